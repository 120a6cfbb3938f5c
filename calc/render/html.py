"""HTML for notebooks: scenarios, results and verdicts as tables with units,
verdicts in colour and sources as links. Every text is escaped, in elements and in
attributes alike (``_text``), and only http and https URLs become links."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from html import escape as _escape
from typing import TYPE_CHECKING

from calc import display
from calc.analysis.explain import Explanation, Step
from calc.analysis.explain import summary as explain_summary
from calc.domain.overrides import what_if_note
from calc.domain.verdicts import Verdict, Verdicts
from calc.errors import CalcError
from calc.escape import safe_url, terminal
from calc.render.frames import figure_html  # also registers the DataFrame views
from calc.render.text import claimed_value
from calc.units.display import format_quantity, format_together, format_unit

if TYPE_CHECKING:
    from calc.analysis.sensitivity import Sensitivity
    from calc.domain.model import Citation, Scenario
    from calc.domain.result import Result, Row, Stats
    from calc.domain.sources import Catalogue

VERDICT_COLOURS = {
    "consistent": "#1a7f37",
    "overstated": "#b35900",
    "understated": "#b35900",
    "conflict": "#cf222e",
    "opposite sign": "#cf222e",
    "arithmetic error": "#cf222e",
    "not comparable": "#6e40c9",
    "unit error": "#9a6700",
    "unsupported": "#57606a",
}
#: On a dark Jupyter or VS Code theme: each at least 4.5:1 against its background.
DARK_VERDICT_COLOURS = {
    "consistent": "#3fb950",
    "overstated": "#f0883e",
    "understated": "#f0883e",
    "conflict": "#ff7b72",
    "opposite sign": "#ff7b72",
    "arithmetic error": "#ff7b72",
    "not comparable": "#d2a8ff",
    "unit error": "#e3b341",
    "unsupported": "#8b949e",
}
_DARK_THEMES = ('[data-jp-theme-light="false"]', "body.vscode-dark")
_TABLE = 'style="border-collapse: collapse; text-align: left"'
#: Inline on each cell, because Jupyter's stylesheet right-aligns every td and th.
_CELL = 'style="text-align: left; vertical-align: top"'


def dark_theme_style() -> str:
    """A style element: the verdict colours a dark theme needs (inline colours are
    for the light one, and are the ones kept where styles are stripped)."""
    rules = [
        f"{theme} .calc-{word.replace(' ', '-')} {{ color: {colour} !important; }}"
        for theme in _DARK_THEMES
        for word, colour in DARK_VERDICT_COLOURS.items()
    ]
    return "<style>" + " ".join(rules) + "</style>"


def _text(text: str) -> str:
    """Text as HTML for an element or a quoted attribute: <, >, &, both quotes escaped,
    control characters shown (see calc.escape.terminal)."""
    return _escape(terminal(str(text)), quote=True)


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, cls: str) -> str:
    """A table; cells are already HTML (escape text before passing it)."""
    head = "".join(f"<th {_CELL}>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td {_CELL}>{c}</td>" for c in row) + "</tr>" for row in rows)
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


def verdict_cell(verdict: Verdict, text: str | None = None) -> str:
    colour = VERDICT_COLOURS[verdict.verdict]
    css = "calc-" + verdict.verdict.replace(" ", "-")
    return (
        f'<span class="calc-verdict {_text(css)}" style="color: {colour}; '
        f'font-weight: bold">{_text(verdict.describe() if text is None else text)}</span>'
    )


def verdicts_table(verdicts: Sequence[Verdict], catalogue: Catalogue | None) -> str:
    """Every verdict in one table: verdict, ratio, claimed, implied, and the implied
    90% interval (with the chance the implied exceeds the claim) when sampled."""
    sampled = any(v.interval is not None for v in verdicts)
    header = ["claim", "verdict", "ratio", "claimed", "implied"]
    header += ["implied 90% interval"] if sampled else []
    header += ["text", "claimed by", "implied by"]
    rows = []
    for v in verdicts:
        ratio = "implied is zero" if v.ratio is None else f"{v.ratio:.3g}\u00d7"
        row = [
            f"<code>{_text(v.name)}</code>",
            verdict_cell(v, v.verdict),
            _text(ratio),
            _text(claimed_value(v)),
            _text(format_quantity(v.implied)),
        ]
        if sampled:
            row.append(_text(_interval(v)))
        row += [
            _text(v.claim.text),
            source_links(v.claimed_sources, catalogue),
            source_links(v.implied_sources, catalogue),
        ]
        rows.append(row)
    return dark_theme_style() + table(header, rows, cls="claims")


def _interval(verdict: Verdict) -> str:
    if verdict.interval is None:
        return ""
    (low, high), unit = format_together(list(verdict.interval))
    chance = (
        "" if verdict.p_exceeds is None else f"; P(implied > claimed) = {verdict.p_exceeds:.0%}"
    )
    return f"{low} to {high} {unit}".rstrip() + chance


def result_html(result: Result) -> str:
    """The results table (with percentiles when sampled), then the verdicts."""
    catalogue = result.scenario.catalogue
    sampled = bool(result.sample_count)
    header = ["quantity", "value", "unit", "kind", "sources"]
    if sampled:
        header = ["quantity", "point", "mean", "5%", "50%", "95%", "unit", "kind", "sources"]
    rows = [_result_row(row, sampled, catalogue) for row in result.rows()]
    title = _text(result.scenario.title)
    if what_if_note(result.scenario):
        title += f"<br><small>{_text(what_if_note(result.scenario))}</small>"
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
        numbers[0] += f" (was {format_quantity(row.original)})"
    if sampled and row.stats is not None and row.stats.varies and _outside_band(row.stats):
        numbers[0] += " \u26a0 outside its own 5\u201395% band"
    return [
        name,
        *map(_text, numbers),
        _text(unit),
        _text(row.kind),
        source_links(row.sources, catalogue),
    ]


def _outside_band(stats: Stats) -> bool:
    """True when the point value lies outside its own 5th-95th percentiles (a range
    that ends at the point): the reader should know the point is not typical."""
    unit = stats.point.units
    point = float(stats.point.magnitude)
    low, high = (float(q.to(unit).magnitude) for q in (stats.p5, stats.p95))
    return not low <= point <= high


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
        f"<ul>{tree}</ul><p>{_text(explain_summary(explanation))}</p></div>"
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
    uncertain = f"<br>uncertain: {_text(step.uncertainty)}" if step.uncertainty else ""
    note = f"<br><small>note: {_text(step.note)}</small>" if step.note else ""
    return f"<li>{head}{uncertain}<ul>{cited}</ul>{note}</li>"


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
    if not citation.quote and citation.source.figure:
        quote = f" figure: &ldquo;{_text(citation.source.figure)}&rdquo;"
    grade = f" [{_text(citation.source.grade)}]" if citation.source.grade else ""
    return (
        f"<li>{source_links([citation.source.id], catalogue)}{grade}{quote} "
        f'<span class="calc-status" style="color: {colour}">({status})</span></li>'
    )


display.register("html", Verdict, lambda verdict: verdicts_table([verdict], None))
display.register("html", Explanation, explanation_html)


def sensitivity_html(sensitivity: Sensitivity) -> str:
    """The swings as a table, and the tornado chart under it."""
    parts = [f"<h4>What moves {_text(sensitivity.output)}</h4>"]
    with contextlib.suppress(ImportError):
        parts.append(str(sensitivity.table()._repr_html_()))
    with contextlib.suppress(CalcError):  # no matplotlib: the table alone
        parts.append(figure_html(sensitivity.plot()))
    return "<div>" + "".join(parts) + "</div>"


def _register_sensitivity() -> None:
    from calc.analysis.sensitivity import Sensitivity

    display.register("html", Sensitivity, sensitivity_html)


_register_sensitivity()
display.register("html", Verdicts, lambda verdicts: verdicts_table(verdicts, verdicts.catalogue))
