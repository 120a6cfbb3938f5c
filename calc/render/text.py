"""Rendering results for people and programs: table, JSON, CSV, Markdown.

Pure functions from a Result to text; the command line writes what they return.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import pint

from calc.domain.result import Result, Row
from calc.domain.verdicts import Verdict
from calc.escape import Code, csv_text, markdown_table, markdown_text, terminal
from calc.units.display import (
    _number,
    format_number,
    format_quantity,
    format_together,
    quantity_json,
    to_plain,
)
from calc.units.registry import fold_scale_words

if TYPE_CHECKING:
    from calc.analysis.comparison import Comparison
    from calc.analysis.sensitivity import Sensitivity
    from calc.analysis.sweeps import Sweep

Format = Literal["table", "json", "csv", "markdown"]


# --- values -------------------------------------------------------------------


def _display(row: Row) -> str:
    text, extra = format_quantity(row.value), _also(row)
    return f"{text} ({extra})" if extra else text


def _also(row: Row) -> str:
    """The row's value in its further units and, when overridden, the file's value:
    '10,512 kWh/home/yr', 'was 120 kW/rack'; shown in every output, sampled or not."""
    extra = [format_quantity(row.value, unit) for unit in row.also]
    if row.original is not None:
        extra.append(f"was {format_quantity(row.original)}")
    return ", ".join(extra)


# --- run ----------------------------------------------------------------------


def render_run(result: Result, fmt: Format) -> str:
    """The quantities of a result in one of the four formats."""
    rows = result.rows()
    if fmt == "json":
        return json.dumps(run_json(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _run_csv(rows)
    if fmt == "markdown":
        return _run_markdown(result, rows)
    return _run_table(result, rows)


def run_json(result: Result) -> dict[str, Any]:
    """The documented JSON shape of ``calc run``."""
    quantities = {}
    for row in result.rows():
        entry = quantity_json(row.value)
        entry |= {"kind": row.kind, "sources": list(row.sources)}
        if row.formula is not None:
            entry["formula"] = row.formula
        if row.also:
            entry["also"] = [quantity_json(row.value.to(unit)) for unit in row.also]
        if row.original is not None:
            entry["original"] = quantity_json(row.original)
        if row.stats is not None:
            entry["samples"] = _stats_json(row)
        quantities[row.name] = entry
    return {
        "scenario": {
            "title": result.scenario.title,
            "path": str(result.scenario.path),
            "samples": result.sample_count,
            "seed": result.seed,
        },
        "quantities": quantities,
        "claims": {v.name: verdict_json(v) for v in result.verdicts},
    }


def _stats_json(row: Row) -> dict[str, Any]:
    """mean and percentiles as numbers in the row's JSON unit."""
    assert row.stats is not None
    _, unit = to_plain(row.value)
    return {
        key: _number(to_plain(getattr(row.stats, key).to(fold_scale_words(row.value).units))[0])
        for key in ("mean", "p5", "p50", "p95")
    } | {"unit": unit}


_SAMPLED_HEADER = ["quantity", "point", "mean", "5%", "50%", "95%", "unit", "kind", "sources"]


def _sampled_table(rows: Sequence[Row], name: Any = str) -> tuple[list[str], list[list[Any]]]:
    """Header and body of a sampled run; an 'also' column after the unit when any row
    has further units or an overridden value (so nothing the point table shows is lost)."""
    also = any(_also(r) for r in rows)
    header = _SAMPLED_HEADER[:7] + (["also"] if also else []) + _SAMPLED_HEADER[7:]
    body = [
        [name(r.name), *_sampled_cells(r), *([_also(r)] if also else []), r.kind, _sources(r)]
        for r in rows
    ]
    return header, body


def _sources(row: Row) -> str:
    return ", ".join(row.sources)


def _sampled_cells(row: Row) -> list[str]:
    """point, mean, 5%, 50%, 95% on one scale, then the unit (blank spread for constants)."""
    stats = row.stats
    assert stats is not None
    if not stats.varies:
        (point,), unit = format_together([row.value])
        return [point, "", "", "", "", unit]
    numbers, unit = format_together([stats.point, stats.mean, stats.p5, stats.p50, stats.p95])
    return [*numbers, unit]


def _heading(result: Result) -> str:
    """'Title  (path)' on one line, whatever the title holds."""
    return terminal(f"{result.scenario.title}  ({result.scenario.path})", one_line=True)


def _run_table(result: Result, rows: Sequence[Row]) -> str:
    lines = [_heading(result), ""]
    if result.sample_count:
        lines[0] += f"  {result.sample_count:,} samples, seed {result.seed}"
        lines += _columns(*_sampled_table(rows))
    else:
        body = [[r.name, _display(r), r.kind, ", ".join(r.sources)] for r in rows]
        lines += _columns(["quantity", "value", "kind", "sources"], body)
    lines += ["", *_source_legend(result, rows)]
    if result.verdicts:
        lines += ["", _claims_summary(result.verdicts) + "; details: calc check"]
    return terminal("\n".join(lines)) + "\n"


def _run_csv(rows: Sequence[Row]) -> str:
    sampled = any(r.stats is not None for r in rows)
    spread = ["mean", "p5", "p50", "p95"] if sampled else []
    lines = [["name", "value", *spread, "unit", "display", "kind", "sources", "formula"]]
    for row in rows:
        magnitude, unit = to_plain(row.value)
        numbers = [repr(_number(magnitude))]
        if sampled:
            stats = _stats_json(row)
            numbers += [repr(stats[k]) for k in spread]
        lines.append(
            [
                row.name,
                *numbers,
                unit,
                _display(row),
                row.kind,
                "; ".join(row.sources),
                row.formula or "",
            ]
        )
    return csv_text(lines)


def _run_markdown(result: Result, rows: Sequence[Row]) -> str:
    lines = [f"# {markdown_text(result.scenario.title)}", ""]
    if result.sample_count:
        lines += [f"{result.sample_count:,} samples, seed {result.seed}.", ""]
        lines += markdown_table(*_sampled_table(rows, Code))
        return "\n".join(lines) + "\n"
    lines += markdown_table(
        ["quantity", "value", "kind", "sources"],
        [[Code(r.name), _display(r), r.kind, ", ".join(r.sources)] for r in rows],
    )
    return "\n".join(lines) + "\n"


def _source_legend(result: Result, rows: Sequence[Row]) -> list[str]:
    used = {sid for row in rows for sid in row.sources}
    lines = ["sources:"]
    for sid, source in result.scenario.catalogue.sources.items():
        if sid in used:
            status = "quotes verified" if source.verifiable else f"[{source.grade}] unverified"
            lines.append(terminal(f"  {sid}: {source.describe()} ({status})", one_line=True))
    if "override" in used:
        lines.append("  override: a value set for this run, in place of the file's")
    return lines


# --- check --------------------------------------------------------------------

_MARK = {
    "consistent": "ok",
    "overstated": "!!",
    "understated": "!!",
    "conflict": "!!",
    "opposite sign": "!!",
    "arithmetic error": "!!",
    "not comparable": "<>",
    "unit error": "!u",
    "unsupported": "??",
}


def render_check(result: Result, fmt: Format) -> str:
    """Every claim with its verdict, values, ratio and sources."""
    if fmt == "json":
        payload = {
            "scenario": {"title": result.scenario.title, "path": str(result.scenario.path)},
            "all_consistent": result.all_consistent,
            "claims": {v.name: verdict_json(v) for v in result.verdicts},
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _check_csv(result.verdicts)
    if fmt == "markdown":
        return _check_markdown(result)
    return _check_table(result)


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "text": verdict.claim.text,
        "verdict": verdict.verdict,
        "claimed": quantity_json(verdict.claimed)
        | {"formula": verdict.claim.claimed_text(), "sources": list(verdict.claimed_sources)}
        | {
            "bound": verdict.claim.bound,
            "high": None if verdict.claimed_high is None else quantity_json(verdict.claimed_high),
        },
        "implied": quantity_json(verdict.implied)
        | {"formula": str(verdict.claim.implied), "sources": list(verdict.implied_sources)},
        "ratio": verdict.ratio,
        "tolerance": verdict.claim.tolerance,
        "tolerance_reason": verdict.claim.tolerance_reason,
        "kind": verdict.claim.kind,
        "detail": verdict.detail,
        "would_flip": verdict.flip,
        "implied_interval": None
        if verdict.interval is None
        else [quantity_json(q) for q in verdict.interval],
        "p_implied_exceeds_claimed": verdict.p_exceeds,
    }


def claimed_value(verdict: Verdict) -> str:
    """The claimed side's value: 'at most 1 million homes', '0.8 to 1.2 GW', '911 kW'."""
    if verdict.claimed_high is not None:
        (low, high), unit = format_together([verdict.claimed, verdict.claimed_high])
        return f"{low} to {high} {unit}"
    value = format_quantity(verdict.claimed)
    bound = {"at_most": "at most ", "at_least": "at least "}.get(verdict.claim.bound, "")
    return bound + value


def _check_table(result: Result) -> str:
    lines = [_heading(result), ""]
    if result.sample_count:
        lines[0] += f"  {result.sample_count:,} samples, seed {result.seed}"
    for v in result.verdicts:
        lines.append(
            f"[{_MARK[v.verdict]}] {v.name}: {v.describe()}, tolerance {v.claim.tolerance:.0%}"
        )
        lines.append("     " + terminal(" ".join(v.claim.text.split()), one_line=True))
        lines += [
            "     " + line
            for line in _columns(
                ["", "value", "formula", "sources"],
                [
                    [
                        "claimed",
                        claimed_value(v),
                        v.claim.claimed_text(),
                        ", ".join(v.claimed_sources),
                    ],
                    [
                        "implied",
                        format_quantity(v.implied),
                        str(v.claim.implied),
                        ", ".join(v.implied_sources),
                    ],
                ],
            )
        ]
        if v.interval is not None and v.interval[0] != v.interval[1]:
            (low, high), unit = format_together(list(v.interval))
            lines.append(f"     implied 90% interval: {low} to {high} {unit}")
        if v.flip is not None:
            lines.append(f"     close call: {v.flip}")
        if v.claim.kind is not None:
            article = "an" if v.claim.kind[:1] in "aeiou" else "a"
            lines.append(
                f"     tolerance for {article} {v.claim.kind} claim: {v.claim.tolerance_reason}"
            )
        lines.append("")
    lines.append(_claims_summary(result.verdicts))
    return terminal("\n".join(lines)) + "\n"


def _check_csv(verdicts: Sequence[Verdict]) -> str:
    lines: list[list[Any]] = [
        [
            "claim",
            "verdict",
            "ratio",
            "claimed",
            "implied",
            "tolerance",
            "claimed_sources",
            "implied_sources",
            "text",
        ]
    ]
    for v in verdicts:
        lines.append(
            [
                v.name,
                v.verdict,
                "" if v.ratio is None else repr(v.ratio),
                claimed_value(v),
                format_quantity(v.implied),
                v.claim.tolerance,
                "; ".join(v.claimed_sources),
                "; ".join(v.implied_sources),
                v.claim.text,
            ]
        )
    return csv_text(lines)


def _check_markdown(result: Result) -> str:
    lines = [f"# Claims: {markdown_text(result.scenario.title)}", ""]
    lines += markdown_table(
        ["claim", "verdict", "claimed", "implied", "sources (claimed / implied)"],
        [
            [
                Code(v.name),
                v.describe(),
                claimed_value(v),
                format_quantity(v.implied),
                f"{', '.join(v.claimed_sources)} / {', '.join(v.implied_sources)}",
            ]
            for v in result.verdicts
        ],
    )
    return "\n".join(lines) + "\n"


def _claims_summary(verdicts: Sequence[Verdict]) -> str:
    if not verdicts:
        return "no claims to check; add a 'claims' section to judge what a source asserts"
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    parts = ", ".join(f"{n} {name}" for name, n in counts.items())
    return f"{len(verdicts)} claim{'s' if len(verdicts) != 1 else ''}: {parts}"


# --- layout -------------------------------------------------------------------


def _columns(header: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    """Aligned columns; each cell on one line, its control characters shown."""
    header = [terminal(str(c), one_line=True) for c in header]
    body = [[terminal(str(c), one_line=True) for c in row] for row in body]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header).rstrip(), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row).rstrip() for row in body]
    return lines


# --- sweep --------------------------------------------------------------------

#: Rows a sweep table prints before it elides the middle (CSV has them all).
SWEEP_TABLE_ROWS = 60


def render_sweep(sweep: Sweep, fmt: Format) -> str:
    """The grid as a tidy table: varied inputs first, then the outputs."""
    records = sweep.records()
    if fmt == "json":
        return json.dumps(_sweep_json(sweep), indent=2) + "\n"
    if fmt == "csv":
        return _records_csv(records)
    header = list(records[0])
    body = [[_plain_number(v) for v in r.values()] for r in records]
    if fmt == "markdown":
        return "\n".join(markdown_table(header, body)) + "\n"
    shown, hidden = _elide(body)
    size = (
        f"{sweep.shape[0]} points"
        if len(sweep.shape) == 1
        else f"{' x '.join(str(n) for n in sweep.shape)} grid"
    )
    lines = [terminal(f"{sweep.scenario.title}: {size}", one_line=True), ""]
    lines += _columns(header, shown)
    if hidden:
        lines.append(f"... {hidden:,} rows not shown; write them all with -o FILE.csv")
    return terminal("\n".join(lines)) + "\n"


def _sweep_json(sweep: Sweep) -> dict[str, Any]:
    return {
        "scenario": {"title": sweep.scenario.title, "path": str(sweep.scenario.path)},
        "axes": [
            {
                "name": a.name,
                "unit": format(a.values.units, "D"),
                "values": a.values.magnitude.tolist(),
            }
            for a in sweep.axes
        ],
        "outputs": {
            n: {"unit": format(v.units, "D"), "values": v.magnitude.tolist()}
            for n, v in sweep.outputs.items()
        },
    }


def _elide(body: list[list[str]]) -> tuple[list[list[str]], int]:
    if len(body) <= SWEEP_TABLE_ROWS:
        return body, 0
    half = SWEEP_TABLE_ROWS // 2
    return [*body[:half], ["..."] * len(body[0]), *body[-half:]], len(body) - 2 * half


def _plain_number(value: float) -> str:
    digits, word = format_number(value)
    return f"{digits} {word}" if word else digits


def _records_csv(records: Sequence[dict[str, Any]]) -> str:
    return csv_text(
        [
            list(records[0]),
            *(
                [repr(v) if isinstance(v, float) else v for v in record.values()]
                for record in records
            ),
        ]
    )


# --- compare ------------------------------------------------------------------


def render_compare(comparison: Comparison, fmt: Format) -> str:
    """Scenarios side by side; '*' marks inputs that differ, '!' verdicts that change."""
    if fmt == "json":
        return json.dumps(_compare_json(comparison), indent=2) + "\n"
    if fmt == "csv":
        return _records_csv(comparison.records())
    header, body = _compare_quantities(comparison)
    claims_header, claims_body = _compare_claims(comparison)
    if fmt == "markdown":
        return (
            "\n".join(
                [*markdown_table(header, body), "", *markdown_table(claims_header, claims_body)]
            )
            + "\n"
        )
    lines = [terminal(" vs ".join(r.scenario.title for r in comparison.results), one_line=True), ""]
    lines += _columns(header, body)
    lines += [
        "",
        *_columns(claims_header, claims_body),
        "",
        "* an input that differs from the first scenario; ! a claim whose verdict changes",
    ]
    return terminal("\n".join(lines)) + "\n"


def _compare_quantities(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    from calc.analysis.comparison import display as compare_display  # only compare needs it

    labels = comparison.labels
    header = ["quantity", *labels]
    for label in labels[1:]:
        header += (
            ["difference", "ratio"]
            if len(labels) == 2
            else [f"{label} - {labels[0]}", f"{label} / {labels[0]}"]
        )
    body = []
    for q in comparison.quantities:
        mark = "* " if q.is_input and q.differs else "  "
        row = [mark + q.name, *(compare_display(v) for v in q.values)]
        for i in range(1, len(labels)):
            difference, ratio = q.difference(i), q.ratio(i)
            shown = q.differs and difference is not None
            row += [
                _signed(difference) if shown else "",
                f"{ratio:.3g}\u00d7" if shown and ratio is not None else "",
            ]
        body.append(row)
    return header, body


def _signed(value: pint.Quantity) -> str:
    text = format_quantity(value)
    return text if text.startswith("-") else "+" + text


def _compare_claims(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    header = ["claim", *comparison.labels]
    body = [
        [("! " if c.changed else "  ") + c.name, *(v.describe() if v else "" for v in c.verdicts)]
        for c in comparison.claims
    ]
    return header, body


def _compare_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "scenarios": [
            {"label": label, "title": r.scenario.title, "path": str(r.scenario.path)}
            for label, r in zip(comparison.labels, comparison.results, strict=True)
        ],
        "quantities": {
            q.name: {
                "differs": q.differs,
                "input": q.is_input,
                "values": [None if v is None else quantity_json(v) for v in q.values],
                "ratios": [q.ratio(i) for i in range(1, len(q.values))],
            }
            for q in comparison.quantities
        },
        "claims": {
            c.name: {
                "changed": c.changed,
                "verdicts": [v.verdict if v else None for v in c.verdicts],
            }
            for c in comparison.claims
        },
    }


# --- sensitivity --------------------------------------------------------------


def render_sensitivity(result: Sensitivity, fmt: Format) -> str:
    """The inputs ranked by swing, with each one's range and the output at both ends."""
    if fmt == "json":
        return (
            json.dumps(
                {
                    "output": result.output,
                    "point": quantity_json(result.point),
                    "inputs": result.records(),
                },
                indent=2,
            )
            + "\n"
        )
    if fmt == "csv":
        return _records_csv(result.records())
    header = ["input", "from", "to", "output at from", "output at to", "swing", "correlation"]
    body = []
    for s in result.swings:
        (low, high), unit = format_together([s.input_low, s.input_high])
        outputs, out_unit = format_together([s.output_low, s.output_high, s.swing])
        body.append(
            [
                s.name,
                low,
                f"{high} {unit}".strip(),
                outputs[0],
                f"{outputs[1]}",
                f"{outputs[2]} {out_unit}".strip(),
                "" if s.correlation is None else f"{s.correlation:+.2f}",
            ]
        )
    if fmt == "markdown":
        return "\n".join(markdown_table(header, body)) + "\n"
    lines = [
        terminal(
            f"{result.scenario.title}: what moves {result.output} "
            f"(point {format_quantity(result.point)})",
            one_line=True,
        ),
        "",
    ]
    lines += _columns(header, body)
    lines += [
        "",
        "Each input goes from its 5th to its 95th percentile with the others at "
        "their point values;",
        "correlation is over a Monte Carlo run with every input varying.",
    ]
    return terminal("\n".join(lines)) + "\n"


# --- shipped scenarios ---------------------------------------------------------


def render_scenario_list(entries: Sequence[dict[str, str]], fmt: Literal["table", "json"]) -> str:
    """The scenarios that ship with calc: name, title, and the file behind each name."""
    if fmt == "json":
        return json.dumps(list(entries), indent=2, ensure_ascii=False) + "\n"
    body = [[e["name"], e["title"]] for e in entries]
    lines = _columns(["name", "title"], body)
    return (
        "\n".join([*lines, "", "Run one by name: calc run NAME (a path that exists wins)."]) + "\n"
    )
