"""The Markdown report for an editor: claims and verdicts, figures, inputs, sources.

``render_report(result)`` is a pure function of the evaluated scenario, with no
timestamps and no absolute paths, in file, evaluation and catalogue order, so two
runs on the same files give the same bytes and a diff between runs shows only
what changed. ``write_report`` writes it atomically: a temporary file in the
same folder, then ``os.replace``, so a reader never sees half a report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pint

from calc.domain.sources import GRADES
from calc.escape import Code, markdown_code, markdown_paragraph, markdown_table, markdown_text
from calc.escape import safe_url as web_url
from calc.io.files import write_text_atomic
from calc.render.text import claimed_value
from calc.units.display import format_quantity, format_together

if TYPE_CHECKING:
    from calc.domain.model import Citation, Input
    from calc.domain.result import Result, Row
    from calc.domain.sources import Source
    from calc.domain.verdicts import Verdict


def render_report(result: Result, *, all_sources: bool = False) -> str:
    """The whole report as Markdown text; the catalogue entries the scenario does not
    cite are named only with ``all_sources`` (a catalogue may serve many scenarios)."""
    sections = [
        _heading(result),
        _claims(result),
        _derived(result),
        _inputs(result),
        _sources(result, all_sources),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def write_report(result: Result, path: str | Path, *, all_sources: bool = False) -> Path:
    """Render the report and write it to ``path`` atomically; return the path."""
    text = render_report(result, all_sources=all_sources)
    return write_text_atomic(path, text, example="report.md")


# --- sections -----------------------------------------------------------------


def _heading(result: Result) -> str:
    scenario = result.scenario
    lines = [f"# {markdown_text(scenario.title)}", ""]
    if scenario.description:
        lines += [markdown_paragraph(scenario.description), ""]
    counts = Counter(v.verdict for v in result.verdicts)
    verdicts = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
    lines.append(
        f"Scenario {markdown_code(scenario.path.name)}: {len(scenario.inputs)} inputs, "
        f"{len(scenario.derived)} derived figures, {len(result.verdicts)} claims"
        + (f" ({verdicts})." if verdicts else ".")
    )
    return "\n".join(lines)


def _claims(result: Result) -> str:
    if not result.verdicts:
        return "## Claims\n\nThe scenario makes no claims."
    lines = ["## Claims", ""]
    lines += markdown_table(
        ["claim", "verdict", "claimed", "implied", "tolerance"],
        [
            [
                Code(v.name),
                v.describe(),
                claimed_value(v),
                format_quantity(v.implied),
                f"{v.claim.tolerance:.0%}",
            ]
            for v in result.verdicts
        ],
    )
    for verdict in result.verdicts:
        lines += ["", *_claim(verdict)]
    return "\n".join(lines)


def _claim(verdict: Verdict) -> list[str]:
    claim = verdict.claim
    lines = [
        f"### {markdown_code(claim.name)}: {markdown_text(verdict.describe())}",
        "",
        markdown_paragraph(claim.text),
        "",
    ]
    for side, value, formula, sources in (
        ("Claimed", claimed_value(verdict), claim.claimed_text(), verdict.claimed_sources),
        ("Implied", format_quantity(verdict.implied), claim.implied, verdict.implied_sources),
    ):
        lines.append(
            f"- {side}: {markdown_text(value)} from "
            f"{markdown_code(str(formula))} ({markdown_text(_sources_text(sources))})"
        )
    if verdict.interval is not None and verdict.interval[0] != verdict.interval[1]:
        (low, high), unit = format_together(list(verdict.interval))
        lines.append(f"- Implied 90% interval: {low} to {high} {unit}")
    lines.append(
        f"- Tolerance: {claim.tolerance:.0%}"
        + (f" ({markdown_text(claim.tolerance_reason)})" if claim.kind else "")
    )
    if verdict.flip is not None:
        lines.append(f"- Close call: {markdown_text(verdict.flip)}")
    if claim.note:
        lines.append(f"- Note: {markdown_text(claim.note)}")
    return lines


def _derived(result: Result) -> str:
    rows = [row for row in result.rows() if row.formula is not None]
    if not rows:
        return ""
    lines = ["## Derived figures", ""]
    if result.sample_count:
        lines += [
            f"Point values, with the 90% interval of {result.sample_count:,} Monte Carlo "
            f"samples (seed {result.seed}).",
            "",
        ]
        lines += markdown_table(
            ["quantity", "value", "90% interval", "formula", "sources"],
            [
                [
                    Code(r.name),
                    _display(r.value, r.also),
                    _interval(r),
                    Code(r.formula or ""),
                    ", ".join(r.sources),
                ]
                for r in rows
            ],
        )
    else:
        lines += markdown_table(
            ["quantity", "value", "formula", "sources"],
            [
                [
                    Code(r.name),
                    _display(r.value, r.also),
                    Code(r.formula or ""),
                    ", ".join(r.sources),
                ]
                for r in rows
            ],
        )
    notes = [f"- {markdown_code(r.name)}: {markdown_text(r.note)}" for r in rows if r.note]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines)


def _inputs(result: Result) -> str:
    inputs = result.scenario.inputs.values()
    lines = ["## Inputs", ""]
    lines += markdown_table(
        ["input", "value", "kind", "sources"],
        [
            [
                Code(spec.name),
                format_quantity(spec.quantity),
                spec.kind,
                ", ".join(c.source.id for c in spec.citations),
            ]
            for spec in inputs
        ],
    )
    notes = [
        f"- {markdown_code(spec.name)}: {markdown_text(spec.note)}" for spec in inputs if spec.note
    ]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines)


def _sources(result: Result, all_sources: bool) -> str:
    from calc.analysis.support import supports, unused_sources

    lines = ["## Sources"]
    for support in supports(result.scenario):
        lines += ["", *_source(support.source, support.citations)]
    unused = unused_sources(result.scenario) if all_sources else ()
    if unused:
        lines += [
            "",
            "Catalogue entries not cited: "
            + ", ".join(markdown_text(f"{s.id} ({s.title})") for s in unused)
            + ".",
        ]
    return "\n".join(lines)


def _source(source: Source, citations: Sequence[tuple[Input, Citation]]) -> list[str]:
    lines = [f"### {markdown_text(f'{source.id}: {source.title}')}", ""]
    facts = ", ".join(
        p
        for p in (markdown_text(source.publisher), markdown_text(source.date), _where(source))
        if p
    )
    if source.verifiable:
        standing = "Seed article; quotes verified against its text."
    else:
        grade = f"grade {source.grade} ({GRADES[source.grade]})" if source.grade else "ungraded"
        standing = f"External reference, {grade}; not verifiable offline."
    lines += [f"{facts}. {standing}", ""]
    if not source.verifiable and (source.quote or source.figure):
        if source.quote:
            lines += [f"> {markdown_text(source.quote)}", ""]
        if source.figure:
            lines += [f"Figure as catalogued: {markdown_text(source.figure)}", ""]
    for spec, citation in citations:
        lines += _cited_input(spec, citation)
    return lines


def _cited_input(spec: Input, citation: Citation) -> list[str]:
    """One line per input: its name, value and kind, and the words it rests on."""
    text = f"- {markdown_code(spec.name)} = {format_quantity(spec.quantity)} ({spec.kind})"
    if citation.quote and (citation.verified or citation.quote != citation.source.quote):
        text += f": \u201c{markdown_text(citation.quote)}\u201d"
    elif not citation.quote and citation.source.figure:
        text += f": figure as catalogued: {markdown_text(citation.source.figure)}"
    return [text]


def _where(source: Source) -> str:
    """The source's URL as an autolink (http and https only), else its seed file."""
    url = web_url(source.url)
    if url is not None:
        return f"<{url}>"
    if source.url:
        return markdown_text(source.url)
    shown = source.file_shown
    return markdown_code(shown) if shown else ""


# --- layout -------------------------------------------------------------------


def _interval(row: Row) -> str:
    """'169,107 to 218,474 racks'; blank for a quantity that does not vary."""
    if row.stats is None or not row.stats.varies:
        return ""
    (low, high), unit = format_together([row.stats.p5, row.stats.p95])
    return f"{low} to {high} {unit}".strip()


def _display(value: pint.Quantity, also: Sequence[pint.Unit]) -> str:
    text = format_quantity(value)
    extra = [format_quantity(value, unit) for unit in also]
    return f"{text} ({', '.join(extra)})" if extra else text


def _sources_text(sources: Sequence[str]) -> str:
    return (
        ("source " if len(sources) == 1 else "sources ") + ", ".join(sources)
        if sources
        else "no source"
    )
