"""calc's reference library as records: for ``calc refs --format json`` and for
``calc.references()`` in a notebook (#14).

The library itself is read by ``calc.io.references``; this module only lays its
figures out, so that the terminal, JSON and a DataFrame agree on every field.
"""

from __future__ import annotations

from typing import Any

from calc.analysis.tables import tidy
from calc.domain.references import Reference
from calc.domain.sources import Source
from calc.io.references import load_library
from calc.units.display import quantity_json

#: How ``calc.io.references`` joins a table cell to the library's own summary.
_LIBRARY_MARK = "library: "


def reference_record(figure: Reference) -> dict[str, Any]:
    """One figure with all its fields: the value as a number in a plain unit, the
    text it is stated as, its range, year, basis, note and sources."""
    value = quantity_json(figure.quantity)
    return {
        "id": figure.id,
        "group": figure.group,
        "description": figure.description,
        "value": value["value"],
        "unit": value["unit"],
        "stated": figure.value,
        "range": list(figure.range) if figure.range else None,
        "year": figure.year,
        "basis": list(figure.basis),
        "note": figure.note,
        "source": source_record(figure.source),
        "also": [source_record(s) for s in figure.also],
    }


def source_record(source: Source) -> dict[str, Any]:
    """publisher, title, url, date, the quote (or the table cell) and the grade."""
    record: dict[str, Any] = {
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "date": source.date,
    }
    if source.quote:
        record["quote"] = source.quote
    if cell := table_cell(source):
        record["table"] = cell
    record["grade"] = source.grade
    return record


def table_cell(source: Source) -> str | None:
    """The tabulated cell a library source names, without the library's summary."""
    figure = source.figure or ""
    if figure.startswith(_LIBRARY_MARK):
        return None
    cell = figure.partition("; " + _LIBRARY_MARK)[0]
    return cell or None


def references() -> Any:
    """Every figure of calc's reference library, one row each: a DataFrame where
    pandas is installed, else a list of dicts.

    >>> import calc
    >>> rows = calc.references()
    >>> len(rows)
    82
    """
    return tidy([_row(f) for f in load_library().figures.values()], index="id")


def _row(figure: Reference) -> dict[str, Any]:
    """A flat row: the number to compute with, and where it comes from."""
    record = reference_record(figure)
    source = record["source"]
    return {
        "id": figure.id,
        "group": figure.group,
        "description": figure.description,
        "value": record["value"],
        "unit": record["unit"],
        "range": " to ".join(figure.range) if figure.range else None,
        "year": figure.year,
        "basis": "/".join(figure.basis),
        "grade": source["grade"],
        "publisher": source["publisher"],
        "url": source["url"],
    }
