"""``calc refs``: figures of calc's reference library as a table, JSON, or one in
full with its sources and quotes (#14)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from calc.analysis.references import reference_record, table_cell
from calc.domain.references import REF_PREFIX, Reference
from calc.domain.sources import Source
from calc.render.text import _columns


def render_references(figures: Sequence[Reference], fmt: Literal["table", "json"]) -> str:
    """The figures, one a row: id, value, year, grade, description."""
    if fmt == "json":
        return _json([reference_record(f) for f in figures])
    body = [[f.id, f.value, str(f.year), f.source.grade or "", f.description] for f in figures]
    lines = _columns(["id", "value", "year", "grade", "description"], body)
    hint = "One in full: calc refs ID. Cite one in a scenario: source: ref:ID."
    return "\n".join([*lines, "", hint]) + "\n"


def render_reference(figure: Reference, fmt: Literal["table", "json"]) -> str:
    """One figure in full: every field, and each source with its quote or table cell."""
    if fmt == "json":
        return _json(reference_record(figure))
    lines = [f"{figure.id}  ({figure.group})", f"  {figure.description}", ""]
    fields = [
        ("value", figure.value),
        ("range", f"{figure.range[0]} to {figure.range[1]}" if figure.range else None),
        ("year", str(figure.year)),
        ("basis", ", ".join(figure.basis)),
        ("note", figure.note),
    ]
    lines += [f"  {name:<7} {text}" for name, text in fields if text]
    for label, source in [("source", figure.source), *(("also", s) for s in figure.also)]:
        lines += _source_lines(label, source)
    lines += ["", f"Cite it: source: {REF_PREFIX}{figure.id}  (value: from reference)"]
    return "\n".join(lines) + "\n"


def _source_lines(label: str, source: Source) -> list[str]:
    lines = [f"  {label:<7} [{source.grade}] {source.describe()}"]
    if source.quote:
        lines.append(f"          \u201c{source.quote}\u201d")
    if cell := table_cell(source):
        lines.append(f"          table: {cell}")
    return lines


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
