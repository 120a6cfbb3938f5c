"""An audit's checks written as a scenario, and checked by the code ``calc check`` runs.

Each figure a check rests on becomes a ``stated`` input with its quote; each library
figure a ``reference`` input citing ``ref:ID``; each template's quantities derived
quantities; each check a claim. The scenario is staged in a temporary folder beside a
catalogue of the audited articles, loaded (so every quote is verified against its
article) and evaluated with ``calc check``'s defaults, so its verdicts are the ones
``calc check`` gives the file ``--write`` keeps.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from calc.analysis.audit_model import Article, ArticleAudit, Check, Mention
from calc.articles.figures import Figure
from calc.errors import CalcError

#: Checks dropped one at a time when the scenario will not load, before giving up.
MAX_DROPPED = 50

_TOKEN = re.compile(r"\{(\w+)(:unit|:per)?\}|\b[A-Za-z_]\w*\b")


@dataclass(frozen=True)
class Written:
    """A scenario built from checks: its data, and the claim name of each check."""

    data: dict[str, Any]
    expand: Callable[[str], str]


def build(
    articles: Mapping[int, Article] | Sequence[Article],
    checks: Sequence[Check],
    seed_ids: Mapping[int, str],
    catalogue: str,
    title: str,
) -> Written:
    """The scenario (as YAML-ready data) of ``checks``, citing each article by its seed id."""
    from calc.io.references import load_library
    from calc.io.scaffold import input_names

    library = load_library()
    inputs: dict[str, dict[str, Any]] = {}
    derived: dict[str, dict[str, Any]] = {}
    claims: dict[str, dict[str, Any]] = {}
    units: dict[str, str] = {}
    written: dict[str, str] = {}  # name -> value as the eval line writes it
    formulas: dict[str, str] = {}  # derived name -> formula
    names = _input_names(articles, checks, input_names)
    for check in checks:  # every figure first: a reference or definition never takes a
        for role, mention in check.roles.items():  # figure's name, nor a figure theirs
            name = names[(mention.article, mention.figure.offset, mention.figure.end)]
            if name not in inputs:
                inputs[name] = _stated(mention, seed_ids, check, role, _value_text)
                written[name] = inputs[name]["value"]
                units.update(_new_units(mention.figure))
            elif role in check.basis:  # a figure two checks share keeps both checks' tags
                inputs[name]["basis"] = _joined_basis(inputs[name].get("basis"), check.basis[role])
    figure_names = set(inputs)
    for check in checks:
        local = {
            role: names[(mention.article, mention.figure.offset, mention.figure.end)]
            for role, mention in check.roles.items()
        }
        template = check.template
        constants = dict(template.constants) if template is not None else {}
        for key, value in constants.items():
            context = _context(value, check)
            value = _substitute(value, local, check)
            name = f"{key}_{re.sub(r'[^a-z0-9]+', '_', value.lower()).strip('_')}"
            if name in figure_names:
                name = f"{name}_definition"
            local[key] = name
            inputs.setdefault(
                name,
                {
                    "value": value,
                    "kind": "assumption",
                    "source": seed_ids[context.article],
                    "quote": context.figure.quote,
                    "note": f"A definition, not a figure: {key.replace('_', ' ')} = "
                    f"{value}, as the quoted words read.",
                },
            )
            written[name] = f"({value})"
        if template is not None:
            for key, ref_id in check.reference_ids().items():
                name = key
                if name in inputs and inputs[name].get("source") != f"ref:{ref_id}":
                    name = f"{key}_{ref_id.replace('-', '_')}"
                local[key] = name
                inputs.setdefault(
                    name,
                    {"value": "from reference", "kind": "reference", "source": f"ref:{ref_id}"},
                )
                written[name] = f"({library.figures[ref_id].value})"
            for key, spec in template.derived.items():
                name, n = key, 2
                while name in derived or name in inputs:
                    name, n = f"{key}_{n}", n + 1
                formula = _substitute(spec.formula, local, check)
                derived[name] = {"formula": formula, "unit": _substitute(spec.unit, local, check)}
                formulas[name] = formula
                local[key] = name
        check.scenario_names = tuple(local.values())
        claim: dict[str, Any] = {"text": check.text}
        if check.published is not None:  # a figure in words ('doubled'), as published
            home = next(iter(check.roles.values())).article
            claim |= {"claimed_as_published": check.published, "source": seed_ids[home]}
            claimed = check.published
        else:
            assert template is not None or check.claimed
            claimed = _substitute(check.claimed or template.claimed, local, check)  # type: ignore[union-attr]
            claim["claimed"] = claimed
        claim["implied"] = _substitute(check.implied or template.implied, local, check)  # type: ignore[union-attr]
        if check.tolerance:
            claim["tolerance"] = check.tolerance
        elif check.claim_kind:
            claim["kind"] = check.claim_kind
        if check.bound:
            claim["bound"] = check.bound
        note = " ".join(x for x in (check.why and f"Tolerance: {check.why}.", check.note) if x)
        if note:
            claim["note"] = note
        claims[check.id] = claim
        check.claimed, check.implied = claimed, claim["implied"]

    def expand(formula: str) -> str:
        def one(match: re.Match[str]) -> str:
            word = match.group()
            if word in formulas:
                return f"({expand(formulas[word])})"
            return written.get(word, word)

        return _TOKEN.sub(one, formula)

    data: dict[str, Any] = {
        "title": title,
        "description": f"Written by calc audit on {date.today().isoformat()}: the checks "
        "it made, as stated inputs, library references, derived quantities and claims.",
        "catalogue": catalogue,
    }
    if units:
        data["units"] = units
    data |= {"inputs": inputs, "derived": derived, "claims": claims}
    return Written(data, expand)


def _input_names(
    articles: Mapping[int, Article] | Sequence[Article],
    checks: Sequence[Check],
    namer: Callable[..., list[str]],
) -> dict[tuple[int, int, int], str]:
    """A name for each figure the checks use, from the words around it, unique."""
    used: dict[int, list[Figure]] = {}
    for check in checks:
        for mention in check.roles.values():
            figures = used.setdefault(mention.article, [])
            if mention.figure not in figures:
                figures.append(mention.figure)
    names: dict[tuple[int, int, int], str] = {}
    taken: set[str] = set()
    for index, figures in sorted(used.items()):
        figures.sort(key=lambda f: f.offset)
        for figure, name in zip(figures, namer(articles[index].text, figures), strict=True):
            if figure.noun == "commitment":
                name = "committed_money"
            unique, n = name, 2
            while unique in taken:
                unique, n = f"{name}_{n}", n + 1
            taken.add(unique)
            names[(index, figure.offset, figure.end)] = unique
    return names


def _joined_basis(had: str | list[str] | None, tag: str) -> str | list[str]:
    """The tags of an input that two checks tag: 'all-in' and 'revenue' give both."""
    tags = [] if had is None else [had] if isinstance(had, str) else list(had)
    return tags[0] if tags == [tag] else [*dict.fromkeys([*tags, tag])]


def _stated(
    mention: Mention,
    seed_ids: Mapping[int, str],
    check: Check,
    role: str,
    value_text: Callable[[Figure], str],
) -> dict[str, Any]:
    figure = mention.figure
    spec: dict[str, Any] = {
        "value": "0 USD" if figure.noun == "commitment" else value_text(figure),
        "kind": "stated",
        "source": seed_ids[mention.article],
        "quote": figure.quote,
    }
    if figure.low is not None and figure.high is not None:
        spec["range"] = [f"{figure.low!r} {figure.unit}", f"{figure.high!r} {figure.unit}"]
    if role in check.basis:
        spec["basis"] = check.basis[role]
    if figure.qualifier:
        spec["note"] = f"Stated as {figure.qualifier} {figure.text}."
    return spec


@functools.cache
def _value_text(figure: Figure) -> str:
    """The figure as a scenario value writes it (``scaffold.value_text``), worked out
    once: an audit asks for it when it sets checks aside and again when it writes."""
    from calc.io.scaffold import value_text

    return value_text(figure)


def _new_units(figure: Figure) -> dict[str, str]:
    from calc.articles.figures import plural_of

    return {
        name: (plural_of(figure) if figure.unit.startswith(name) else None) or f"{name}s"
        for name in figure.new_units
    }


def _context(constant: str, check: Check) -> Mention:
    """The figure a constant is read with: the role it names, else the first."""
    named = re.search(r"\{(\w+)", constant)
    return check.roles[named.group(1)] if named else next(iter(check.roles.values()))


def _substitute(formula: str, local: Mapping[str, str], check: Check) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            mention = check.roles[match.group(1)]
            if match.group(2) == ":per":  # what a rate is per: 'facility' of 'GW / facility'
                return mention.figure.unit.rsplit("/", 1)[-1].strip()
            return mention.figure.unit if match.group(2) else local[match.group(1)]
        return local.get(match.group(), match.group())

    return _TOKEN.sub(one, formula)


# --- checking ----------------------------------------------------------------------


def check_articles(
    articles: Mapping[int, Article] | Sequence[Article],
    checks: Sequence[Check],
    *,
    only: int | None = None,
) -> list[ArticleAudit]:
    """Each article's checks, judged: each article's scenario is staged in a folder of
    its own with a catalogue of the articles its checks quote, loaded and evaluated
    (only article ``only``'s when given: the others' audits are returned unjudged)."""
    indices = range(len(articles)) if isinstance(articles, Sequence) else sorted(articles)
    audits = [
        ArticleAudit(articles[i], [c for c in checks if c.home == i], index=i) for i in indices
    ]
    with tempfile.TemporaryDirectory(prefix="calc-audit-") as folder:
        for audit in audits:
            if audit.checks and only in (None, audit.index):
                stage = Path(folder) / str(audit.index)
                quoted = {m.article for c in audit.checks for m in c.roles.values()}
                seed_ids = _stage_catalogue(stage, {i: articles[i] for i in sorted(quoted)})
                _judge(stage, articles, audit, seed_ids)
    return audits


def _stage_catalogue(stage: Path, articles: Mapping[int, Article]) -> dict[int, str]:
    from calc.io.scaffold import seed_entry

    seeds_folder = stage / "seeds"
    seeds_folder.mkdir(parents=True)
    seeds: dict[str, Any] = {}
    ids: dict[int, str] = {}
    for index, article in articles.items():
        sid = f"article-{index + 1}"
        file = f"{sid}.txt"
        (seeds_folder / file).write_text(article.text, encoding="utf-8")
        seeds[sid] = seed_entry(file, article.text, article.path)
        ids[index] = sid
    (seeds_folder / "catalogue.yaml").write_text(
        _yaml_text({"seeds": seeds, "references": {}}),
        encoding="utf-8",
    )
    return ids


def _judge(
    stage: Path,
    articles: Mapping[int, Article] | Sequence[Article],
    audit: ArticleAudit,
    seed_ids: Mapping[int, str],
) -> None:
    """Load and evaluate the article's scenario; a check the scenario cannot hold (its
    figure does not load) is set aside with the reason, and the rest are judged."""
    from calc.domain.evaluate import default_samples, evaluate
    from calc.io.loader import load_scenario

    path = stage / f"audit-{audit.index + 1}.yaml"
    _set_aside_unwritable(audit)
    for _ in range(MAX_DROPPED):
        if not audit.checks:
            return
        written = build(
            articles, audit.checks, seed_ids, "seeds/catalogue.yaml", _title(audit.article)
        )
        text = dump(written.data)
        path.write_text(text, encoding="utf-8")
        try:
            scenario = load_scenario(path)
            result = evaluate(scenario, samples=default_samples(scenario), seed=0)
        except CalcError as exc:
            _drop_culprit(audit, exc)
            continue
        verdicts = {v.name: v for v in result.verdicts}
        for check in audit.checks:
            check.verdict = verdicts.get(check.id)
            check.eval_claimed = written.expand(check.claimed)
            check.eval_implied = written.expand(check.implied)
        audit.scenario_text = text
        return


def _set_aside_unwritable(audit: ArticleAudit) -> None:
    """Set aside the checks resting on a figure no scenario value can hold."""
    for check in list(audit.checks):
        for mention in check.roles.values():
            if mention.figure.noun == "commitment":
                continue
            try:
                _value_text(mention.figure)
            except CalcError as exc:
                audit.checks.remove(check)
                audit.set_aside.append((check, exc.message))
                break


def _drop_culprit(audit: ArticleAudit, exc: CalcError) -> None:
    """Set aside the checks the error points at (by claim, derived or input name), or
    the last check when it names none of them, with the reason."""
    words = set(re.split(r"[.\[\]]", exc.location.field or "")) - {""}
    culprits = [
        c for c in audit.checks if c.id in words or any(w in c.scenario_names for w in words)
    ] or audit.checks[-1:]
    for check in culprits:
        audit.checks.remove(check)
        audit.set_aside.append((check, exc.message))


def _title(article: Article) -> str:
    return f"Audit of {article.path.name}"


def dump(data: Mapping[str, Any]) -> str:
    """The scenario as YAML text, with a header saying where it came from."""
    header = (
        "# Written by `calc audit`: every figure is a stated input whose quote calc\n"
        "# verifies against the article; references cite calc's library (calc refs ID).\n"
        "# Edit it like any scenario, and check it with `calc check`.\n\n"
    )
    return header + _yaml_text(dict(data))


def _yaml_text(data: Mapping[str, Any]) -> str:
    """YAML text of plain data, by libyaml's emitter where it is built (the same text,
    several times faster than PyYAML's own)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=88)


# --- records -----------------------------------------------------------------------


def record(
    audit: ArticleAudit, articles: Mapping[int, Article] | Sequence[Article]
) -> dict[str, Any]:
    """One article's audit as JSON-ready data: every output format reads this."""
    checks = [_check_record(c, articles) for c in audit.checks if c.verdict is not None]
    counts: dict[str, int] = {}
    for check in checks:
        counts[check["verdict"]] = counts.get(check["verdict"], 0) + 1
    return {
        "article": str(audit.article.path),
        "characters": len(audit.article.text),
        "figures": len(audit.article.figures),
        "checks": checks,
        "verdicts": counts,
        "not_checked": [_figure_record(f) for f in audit.not_checked],
        "not_read": [
            {"text": u.text, "offset": u.offset, "reason": u.reason} for u in audit.article.unread
        ],
        "set_aside": [{"check": c.text, "reason": reason} for c, reason in audit.set_aside],
        "text": audit.article.text,
    }


def _check_record(
    check: Check, articles: Mapping[int, Article] | Sequence[Article]
) -> dict[str, Any]:
    from calc.units.display import format_quantity

    verdict = check.verdict
    return {
        "id": check.id,
        "kind": check.kind,
        "title": check.title,
        "text": check.text,
        "verdict": verdict.verdict,
        "describe": verdict.describe(),
        "ratio": verdict.ratio,
        "tolerance": verdict.claim.tolerance,
        "flip": verdict.flip,
        "detail": verdict.detail,
        "claimed": format_quantity(verdict.claimed),
        "implied": format_quantity(verdict.implied),
        "interval": _interval(verdict),
        "eval": {"claimed": _outer(check.eval_claimed), "implied": _outer(check.eval_implied)},
        "figures": [
            {
                "role": role,
                "article": str(articles[m.article].path),
                **_figure_record(m.figure),
            }
            for role, m in check.roles.items()
        ],
        "references": _references(check),
        "note": check.note,
    }


def _interval(verdict: Any) -> str | None:
    """The implied side's 90% interval, '36.2 to 58.5 billion USD/GW', when it varies."""
    from calc.units.display import format_together

    if verdict.interval is None:
        return None
    low, high = verdict.interval
    if low == high:
        return None
    (low_text, high_text), unit = format_together([low, high])
    shown = f"{low_text} to {high_text} {unit}".rstrip()
    point = float(verdict.implied.to(low.units).magnitude)
    inside = float(low.magnitude) <= point <= float(high.to(low.units).magnitude)
    # a library range that starts at its value puts the value at the edge of the samples
    return shown if inside else f"{shown}; the value is at one end of its range"


def _figure_record(figure: Figure) -> dict[str, Any]:
    return {
        "text": figure.text,
        "offset": figure.offset,
        "end": figure.end,
        "quote": figure.quote,
        "display": "0 USD (no commitment)" if figure.noun == "commitment" else figure.display(),
    }


def _references(check: Check) -> list[dict[str, Any]]:
    from calc.io.references import load_library

    if check.template is None:
        return []
    library = load_library()
    found = []
    for ref_id in check.reference_ids().values():
        figure = library.figures[ref_id]
        found.append(
            {
                "id": ref_id,
                "value": figure.value,
                "range": list(figure.range) if figure.range else None,
                "description": figure.description,
                "publisher": figure.source.publisher,
                "title": figure.source.title,
                "url": figure.source.url,
                "grade": figure.source.grade,
            }
        )
    return found


def _outer(formula: str) -> str:
    """'(a / b)' -> 'a / b': the outer brackets of an expanded quantity say nothing."""
    if formula.startswith("(") and formula.endswith(")"):
        depth = 0
        for i, char in enumerate(formula):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and i < len(formula) - 1:
                return formula
        return formula[1:-1]
    return formula
