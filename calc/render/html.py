"""HTML for notebooks: scenarios, results and verdicts as tables with units,
verdicts in colour and sources as links. Every text is escaped, in elements and in
attributes alike (``_text``), and only http and https URLs become links."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape as _escape
from typing import TYPE_CHECKING

from calc import display
from calc.analysis.explain import Explanation, Step
from calc.domain.verdicts import Verdict
from calc.escape import safe_url, terminal
from calc.units.display import format_quantity, format_together, format_unit

if TYPE_CHECKING:
    from calc.domain.model import Citation, Scenario
    from calc.domain.result import Result, Row
    from calc.domain.sources import Catalogue

VERDICT_COLOURS = {
    "consistent": "#1a7f37",
    "overstated": "#b35900",
    "understated": "#b35900",
    "conflict": "#cf222e",
    "opposite sign": "#cf222e",
}
_TABLE = 'style="border-collapse: collapse; text-align: left"'


def _text(text: str) -> str:
    """Text as HTML for an element or a quoted attribute: <, >, &, both quotes escaped,
    control characters shown (see calc.escape.terminal)."""
    return _escape(terminal(str(text)), quote=True)


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, cls: str) -> str:
    """A table; cells are already HTML (escape text before passing it)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="calc-{cls}" {_TABLE}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def source_links(ids: Iterable[str], catalogue: Catalogue | None) -> str:
    """Source ids as links to their URL (seeds: their title on hover)."""
    links = []
    for sid in ids:
        source = catalogue.sources.get(sid) if catalogue is not None else None
        title = _text(source.describe()) if source else "set for this run"
        url = safe_url(source.url) if source is not None else None
        if url is not None:
            links.append(f'<a href="{_text(url)}" title="{title}">{_text(sid)}</a>')
        else:
            links.append(f'<span title="{title}">{_text(sid)}</span>')
    return ", ".join(links)


def verdict_cell(verdict: Verdict) -> str:
    colour = VERDICT_COLOURS[verdict.verdict]
    return (
        f'<span class="calc-verdict calc-{_text(verdict.verdict)}" style="color: {colour}; '
        f'font-weight: bold">{_text(verdict.describe())}</span>'
    )


def verdicts_table(verdicts: Sequence[Verdict], catalogue: Catalogue | None) -> str:
    rows = [
        [
            f"<code>{_text(v.name)}</code>",
            verdict_cell(v),
            _text(v.claim.text),
            _text(format_quantity(v.claimed)),
            _text(format_quantity(v.implied)),
            source_links(v.claimed_sources, catalogue),
            source_links(v.implied_sources, catalogue),
        ]
        for v in verdicts
    ]
    return table(
        ["claim", "verdict", "text", "claimed", "implied", "claimed by", "implied by"],
        rows,
        cls="claims",
    )


def result_html(result: Result) -> str:
    """The results table (with percentiles when sampled), then the verdicts."""
    catalogue = result.scenario.catalogue
    sampled = bool(result.sample_count)
    header = ["quantity", "value", "unit", "kind", "sources"]
    if sampled:
        header = ["quantity", "point", "mean", "5%", "50%", "95%", "unit", "kind", "sources"]
    rows = [_result_row(row, sampled, catalogue) for row in result.rows()]
    title = _text(result.scenario.title)
    if sampled:
        title += f" <small>({result.sample_count:,} samples, seed {result.seed})</small>"
    parts = [f"<h4>{title}</h4>", table(header, rows, cls="result")]
    if result.verdicts:
        parts += ["<h4>Claims</h4>", verdicts_table(result.verdicts, catalogue)]
    return "<div>" + "".join(parts) + "</div>"


def _result_row(row: Row, sampled: bool, catalogue: Catalogue) -> list[str]:
    if sampled and row.stats is not None and row.stats.varies:
        s = row.stats
        numbers, unit = format_together([s.point, s.mean, s.p5, s.p50, s.p95])
    else:
        numbers, unit = format_together([row.value])
        numbers += [""] * (4 if sampled else 0)
    name = f"<code>{_text(row.name)}</code>"
    if row.original is not None:
        numbers[0] += f" (was {_text(format_quantity(row.original))})"
    return [
        name,
        *map(_text, numbers),
        _text(unit),
        _text(row.kind),
        source_links(row.sources, catalogue),
    ]


def scenario_html(scenario: Scenario) -> str:
    """Inputs with their uncertainty and sources, derived formulas, claims."""
    catalogue = scenario.catalogue
    inputs = [
        [
            f"<code>{_text(i.name)}</code>",
            _text(format_quantity(i.quantity)),
            _text(i.uncertainty.describe() if i.uncertainty else ""),
            _text(i.kind),
            source_links([c.source.id for c in i.citations], catalogue),
        ]
        for i in scenario.inputs.values()
    ]
    derived = [
        [
            f"<code>{_text(d.name)}</code>",
            f"<code>{_text(str(d.formula))}</code>",
            _text(format_unit(d.unit) or "(pure number)"),
        ]
        for d in scenario.derived.values()
    ]
    claims = [
        [f"<code>{_text(c.name)}</code>", _text(c.text), f"{c.tolerance:.0%}"]
        for c in scenario.claims.values()
    ]
    parts = [f"<h4>{_text(scenario.title)}</h4>"]
    if scenario.description:
        parts.append(f"<p>{_text(scenario.description)}</p>")
    parts += [
        table(["input", "value", "uncertainty", "kind", "sources"], inputs, cls="inputs"),
        table(["derived", "formula", "unit"], derived, cls="derived"),
    ]
    if claims:
        parts.append(table(["claim", "text", "tolerance"], claims, cls="claims"))
    return "<div>" + "".join(parts) + "</div>"


def explanation_html(explanation: Explanation) -> str:
    """The derivation tree as nested lists: formulas, values, and each input's sources,
    quotes and whether the quote was verified. A step met again is referred back to."""
    seen: set[str] = set()
    catalogue = explanation.scenario.catalogue
    tree = _step_html(explanation.root, seen, catalogue)
    return (
        f'<div class="calc-explain"><h4>How {_text(explanation.name)} is derived</h4>'
        f"<ul>{tree}</ul></div>"
    )


def _step_html(step: Step, seen: set[str], catalogue: Catalogue) -> str:
    head = (
        f"<code>{_text(step.name)}</code> = <b>{_text(step.display())}</b> "
        f"<i>[{_text(step.kind)}]</i>"
    )
    if step.name in seen:
        return f"<li>{head} (see above)</li>"
    seen.add(step.name)
    if not step.is_input:
        formula = (
            f"<br>= <code>{_text(step.formula or '')}</code>"
            f"<br>= <code>{_text(step.substituted or '')}</code>"
        )
        children = "".join(_step_html(s, seen, catalogue) for s in step.uses)
        return f"<li>{head}{formula}<ul>{children}</ul></li>"
    cited = "".join(_citation_html(c, catalogue) for c in step.citations)
    note = f"<br><small>{_text(step.note)}</small>" if step.note else ""
    return f"<li>{head}<ul>{cited}</ul>{note}</li>"


def _citation_html(citation: Citation, catalogue: Catalogue) -> str:
    status = (
        "quote verified"
        if citation.verified
        else "unverified"
        if citation.source.kind != "override"
        else "set for this run"
    )
    colour = "#1a7f37" if citation.verified else "#6e7781"
    quote = f" &ldquo;{_text(citation.quote)}&rdquo;" if citation.quote else ""
    return (
        f"<li>{source_links([citation.source.id], catalogue)}{quote} "
        f'<span class="calc-status" style="color: {colour}">({status})</span></li>'
    )


display.register("html", Verdict, lambda verdict: verdicts_table([verdict], None))
display.register("html", Explanation, explanation_html)

try:  # the readable DataFrame view, where pandas is installed
    from calc.render import frames as _frames  # noqa: F401
except ImportError:
    pass
