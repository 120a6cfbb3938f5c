"""The checks an audit makes of articles: by the relation templates of
``calc/data/relations.yaml`` (``audit_pairs``) and of each article against itself
(``audit_self``), each with a unique claim name."""

from __future__ import annotations

from collections.abc import Sequence

from calc.analysis.audit_model import Article, ArticleAudit, Check, Mention, read
from calc.analysis.audit_pairs import template_checks
from calc.analysis.audit_self import (
    commitments,
    commitments_across,
    growth_rates,
    multiples,
    parts_totals,
    percent_changes,
    restated,
    times_checks,
)
from calc.io.relations import load_relations

__all__ = ["Article", "ArticleAudit", "Check", "Mention", "plan", "read"]


def plan(articles: Sequence[Article]) -> list[Check]:
    """Every check the templates and the self-checks find in ``articles``."""
    checks: list[Check] = []
    for index, article in enumerate(articles):
        for name, template in load_relations().items():
            checks += template_checks(name, template, index, article)
        checks += restated(index, article)
        checks += multiples(index, article)
        checks += growth_rates(index, article)
        checks += percent_changes(index, article)
        checks += times_checks(index, article)
        checks += parts_totals(index, article)
        checks += commitments(index, article)
    checks += commitments_across(articles)
    _name(checks)
    return checks


def _name(checks: list[Check]) -> None:
    """Unique claim names, from the template names: power_homes, power_homes_2, ..."""
    used: dict[str, int] = {}
    for check in checks:
        base = check.id.replace("-", "_")
        used[base] = used.get(base, 0) + 1
        check.id = base if used[base] == 1 else f"{base}_{used[base]}"
