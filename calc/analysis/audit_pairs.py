"""Checks by relation template: figures that fit a template's roles, paired by
nearness (same sentence, then paragraph, then a one-sentence paragraph beside it)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

from calc.analysis.audit_model import (
    NEARBY,
    Article,
    Check,
    Mention,
    bound_of,
    dated_reference,
    dimension_of,
    same_subject,
    year_of,
)
from calc.articles.figures import Figure
from calc.io.relations import Template

#: At most this many checks of one template from one figure (the nearest pairings).
MAX_PAIRINGS = 2


def template_checks(name: str, template: Template, index: int, article: Article) -> list[Check]:
    roles = list(template.roles)
    fits = {r: [f for f in article.figures if _fits(template, r, article, f)] for r in roles}
    if any(not fits[r] for r in roles):
        return []
    anchor, *others = roles
    if not others:
        return _distinct_pairs(
            [_check(name, template, index, {anchor: f}, article) for f in fits[anchor]]
        )
    (other,) = others  # templates pair two figures at most
    near = partial(_nearest, article, scope=template.scope)
    checks = []
    for figure in fits[anchor]:
        partners = [
            p
            for p in near(figure, [f for f in fits[other] if f is not figure])
            if any(a is figure for a in near(p, [f for f in fits[anchor] if f is not p]))
            and same_subject(article, figure, p)
            and _same_year(article, figure, p)
        ]
        for partner in partners:
            check = _check(name, template, index, {anchor: figure, other: partner}, article)
            check.note = _pairing_note(article, figure, partner, partners)
            checks.append(check)
    return _distinct_pairs(checks)


def _same_year(article: Article, a: Figure, b: Figure) -> bool:
    """Figures their sentences date to different years ("58 TWh in 2014", "in 2023 ...
    4.4 percent") are two years' figures, not one project's."""
    year_a, year_b = year_of(article, a), year_of(article, b)
    return year_a is None or year_b is None or year_a == year_b


def _pairing_note(
    article: Article, figure: Figure, partner: Figure, partners: list[Figure]
) -> str | None:
    """Say how the figures were paired when it is not plain: one of two pairings, or
    figures read together from different sentences."""
    notes = []
    if len(partners) > 1:
        written = " and ".join(repr(p.text) for p in partners)
        notes.append(f"{figure.text!r} could pair with {written}: each pairing is checked.")
    if article.layout.sentence(figure.offset) != article.layout.sentence(partner.offset):
        notes.append(
            f"{figure.text!r} and {partner.text!r} are in different sentences, read as one "
            "project's figures: check that they are."
        )
    return " ".join(notes) or None


def _nearest(
    article: Article, figure: Figure, candidates: list[Figure], *, scope: str = "paragraph"
) -> list[Figure]:
    """The candidates in the figure's sentence, else in its paragraph (unless ``scope``
    is the sentence); at most MAX_PAIRINGS, nearest first, one per distinct value.
    A pairing is kept when each figure is among the other's nearest."""
    lay = article.layout

    def nearby(offset: int) -> int:
        """One scope: within NEARBY characters, in the next or last paragraph, when
        one of the two paragraphs is a single sentence ("That's as much as ...")."""
        here, there = lay.paragraph(figure.offset), lay.paragraph(offset)
        close = abs(offset - figure.offset) <= NEARBY and abs(here - there) <= 1
        if offset == figure.offset:  # the figure's own scope
            return 0
        return (
            0
            if close and (lay.one_sentence(here) or lay.one_sentence(there))
            else 1 + (offset > figure.offset)
        )

    if scope == "beside":
        return [c for c in candidates if beside(article.text, figure, c)][:MAX_PAIRINGS]
    scopes = (lay.sentence,) if scope == "sentence" else (lay.sentence, lay.paragraph, nearby)
    for scope_of in scopes:
        here = [c for c in candidates if scope_of(c.offset) == scope_of(figure.offset)]
        if here:
            here.sort(key=lambda c: abs(c.offset - figure.offset))
            distinct: list[Figure] = []
            for c in here:
                if not any(_same_figure(c, d) for d in distinct):
                    distinct.append(c)
            return distinct[:MAX_PAIRINGS]
    return []


#: What may stand between a figure and its restatement written right after it:
#: "£14 billion ($17 billion)", "2 kW (about 2,000 watts)", "5 GW, or 5,000 MW".
BESIDE = re.compile(
    r"\s*(?:[(\[]|,?\s+or\b)\s*(?:[\u2248~]|about|around|roughly|approx(?:imately|\.)?|or|"
    r"i\.e\.,?|some)?\s*"
)


def beside(text: str, a: Figure, b: Figure) -> bool:
    """One figure written right after the other, in parentheses or after 'or'."""
    first, second = (a, b) if a.offset < b.offset else (b, a)
    return (
        first.end <= second.offset and BESIDE.fullmatch(text[first.end : second.offset]) is not None
    )


def _same_figure(a: Figure, b: Figure) -> bool:
    return a.unit == b.unit and a.value == b.value and a.low == b.low and a.high == b.high


def _distinct_pairs(checks: list[Check]) -> list[Check]:
    """One check per pair of distinct values: a figure repeated later in the article,
    paired again with the same partner, adds nothing."""
    seen: set[tuple[tuple[str, float, str], ...]] = set()
    kept = []
    for check in checks:
        key = tuple(sorted((r, m.figure.value, m.figure.unit) for r, m in check.roles.items()))
        if key not in seen:
            seen.add(key)
            kept.append(check)
    return kept


def _check(
    name: str, template: Template, index: int, figures: Mapping[str, Figure], article: Article
) -> Check:
    roles = {role: Mention(index, figure) for role, figure in figures.items()}
    claimed_role = _role_of(template.claimed)
    if claimed_role is not None:
        bound = bound_of(figures[claimed_role].qualifier)
    else:
        bound = _carried_bound(template, figures)
    basis = {}
    for role, axes in template.basis.items():
        if role in figures:
            sentence = article.sentence_of(figures[role])
            for tag, pattern in axes.items():
                if re.search(pattern, sentence):
                    basis[role] = tag
                    break
    years = {
        role: year
        for role, figure in figures.items()
        if template.roles[role].dated and (year := year_of(article, figure)) is not None
    }
    return Check(
        years=years,
        id=name,
        kind=template.kind or name,
        title=template.title,
        text=template.text.format(**{r: f.text for r, f in figures.items()}),
        roles=roles,
        template=template,
        tolerance=template.tolerance,
        why=template.why,
        claim_kind=template.claim_kind,
        bound=bound,
        basis=basis,
    )


_FLIPPED = {"at_least": "at_most", "at_most": "at_least"}


def _carried_bound(template: Template, figures: Mapping[str, Figure]) -> str | None:
    """The bound a qualified figure puts on the claimed side it is part of: "cost more than
    $10 billion" makes the cost per GW at least $10 billion / 5 GW, and "up to 5 GW" the
    same cost per GW at least as much (a divisor's bound turns over). Only for a claimed
    quantity that multiplies and divides, and only one bounded figure."""
    spec = template.derived.get(template.claimed.strip())
    if spec is None or "(" in spec.formula or "+" in spec.formula or "-" in spec.formula:
        return None
    bounded = [
        (role, found)
        for role, figure in figures.items()
        if (found := bound_of(figure.qualifier)) in _FLIPPED
    ]
    if len(bounded) != 1:
        return None
    role, found = bounded[0]
    placed = re.search(r"(/?)\s*\{" + re.escape(role) + r"\}", spec.formula)
    if placed is None:
        return None
    return _FLIPPED[found] if placed.group(1) == "/" else found


def _role_of(formula: str) -> str | None:
    match = re.fullmatch(r"\{(\w+)\}", formula.strip())
    return match.group(1) if match else None


def _fits(template: Template, role: str, article: Article, figure: Figure) -> bool:

    spec = template.roles[role]
    quantity = article.quantity(figure)
    if quantity is None or figure.noun == "commitment":
        return False
    like = str(spec.like)
    if like == "1":  # a count of anything: dimensionless or a count unit of its own
        if quantity.dimensionless:
            ok = True
        else:
            dims = dict(quantity.dimensionality)
            ok = len(dims) == 1 and next(iter(dims.values())) == 1 and _is_count(quantity)
    elif like.endswith(PER_COUNT):  # 'GW/count': power per anything counted ('per reactor')
        dims = dict(quantity.dimensionality / dimension_of(like[: -len(PER_COUNT)]))
        ok = len(dims) == 1 and next(iter(dims.values())) == -1 and _is_count(quantity, dims)
    else:
        ok = quantity.dimensionality == dimension_of(like)
        if ok and like == "percent":
            ok = str(figure.unit) == "percent"
    if ok and spec.after is not None:
        ok = (
            re.search(spec.after, article.text[max(0, figure.offset - 80) : figure.offset])
            is not None
        )
    if ok and spec.not_followed_by is not None:
        after = article.text[figure.end : figure.end + 80]
        ok = re.match(spec.not_followed_by, after) is None
    if ok and spec.followed_by is not None:
        ok = re.match(spec.followed_by, article.text[figure.end : figure.end + 80]) is not None
    if ok and spec.not_after is not None:
        before = article.text[max(0, figure.offset - 40) : figure.offset]
        ok = re.search(spec.not_after + r"[^.;:]*$", before) is None
    if ok and spec.not_words is not None:
        ok = re.search(spec.not_words, article.sentence_of(figure)) is None
    if ok and spec.unit_matches is not None:
        ok = re.search(spec.unit_matches, figure.unit) is not None
    if ok and spec.dated:
        year = year_of(article, figure)
        ok = year is not None and all(
            dated_reference(ref_id, {role: year}) in _library_ids()
            for ref_id in template.references.values()
        )
    if ok and spec.words is not None:
        ok = re.search(spec.words, article.sentence_of(figure)) is not None
        if ok and like == "1":
            ok = re.search(spec.words, figure.text + " " + _after(article, figure)) is not None
    return ok


def _after(article: Article, figure: Figure) -> str:
    return article.text[figure.end : figure.end + 30]


#: pint's own base dimensions; any other is a count unit's ("[home]", "[dam_count]").
_PHYSICAL = frozenset(
    [
        "[length]",
        "[mass]",
        "[time]",
        "[current]",
        "[temperature]",
        "[substance]",
        "[luminosity]",
        "[currency]",
        "[information]",
        "[printing_unit]",
    ]
)


def _is_count(quantity: Any, dims: Any = None) -> bool:
    return next(iter(dims or quantity.dimensionality)) not in _PHYSICAL


#: A role's `like` ending so ('GW/count') takes a figure per anything counted.
PER_COUNT = "/count"


@functools.cache
def _library_ids() -> frozenset[str]:
    from calc.io.references import load_library

    return frozenset(load_library().figures)
