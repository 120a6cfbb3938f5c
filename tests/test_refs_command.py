"""`calc refs` finds figures of the reference library; calc.references() lists them (#14)."""

from __future__ import annotations

import datetime
import json

import pytest
from typer.testing import CliRunner

import calc
from calc import cli
from calc.cli import app

runner = CliRunner()
SOURCE_FIELDS = {"publisher", "title", "url", "date", "grade"}


HOUSEHOLD = {
    "eia-household-2019",
    "eia-household-2020",
    "eia-household-2021",
    "eia-household-2022",
    "eia-household-demand-2022",
    "appa-household-peak-demand",
    "new-england-peak-to-average",
}


def _listed(table: str) -> set[str]:
    """The ids of a table: the rows between its rule and the first blank line."""
    rows = table.split("\n\n")[0].splitlines()[2:]
    return {row.split()[0] for row in rows}


def _refs(*args: str):
    return runner.invoke(app, ["refs", *args])


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("household", {"eia-household-2019", "eia-household-2022", "eia-household-demand-2022"}),
        ("HOUSEHOLD 2022", {"eia-household-2022", "eia-household-demand-2022"}),
        ("pue", {"google-pue-2021", "uptime-pue-2023"}),
    ],
)
def test_a_query_lists_the_figures_it_matches(query: str, ids: set[str]) -> None:
    result = _refs(*query.split())  # the words as separate arguments, as a shell gives them
    assert result.exit_code == 0, result.output
    assert _listed(result.stdout) >= ids
    if query == "household":  # exactly the household group
        assert _listed(result.stdout) == HOUSEHOLD
    assert result.stdout.splitlines()[0].split() == ["id", "value", "year", "grade", "description"]


@pytest.mark.parametrize("cited", ["eia-household-2022", "ref:eia-household-2022"])
def test_an_id_shows_the_figure_in_full(cited: str) -> None:
    result = _refs(cited)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "10,791 kWh/yr/home" in out
    assert "https://www.eia.gov/tools/faqs/faq.php?id=97&t=3" in out
    assert "was 10,791 kilowatthours (kWh)" in out  # the quote
    assert "year    2022" in out
    assert "Cite it: source: ref:eia-household-2022" in out


def test_a_range_shows_in_full() -> None:
    out = _refs("uptime-pue-2023").stdout
    assert "range   1.55 to 1.59" in out


def test_json_lists_records_with_every_field() -> None:
    result = _refs("household", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    by_id = {r["id"]: r for r in records}
    record = by_id["eia-household-2022"]
    assert {"id", "group", "description", "value", "unit", "range", "year", "basis"} <= set(record)
    assert record["value"] == pytest.approx(10791)
    assert record["unit"] == "kilowatt_hour / home / year"  # pint-parsable, like run JSON
    assert record["group"] == "household" and record["year"] == 2022
    assert set(record["source"]) >= SOURCE_FIELDS and "quote" in record["source"]
    assert all(set(r["source"]) >= SOURCE_FIELDS for r in records)
    assert all("quote" in r["source"] or "table" in r["source"] for r in records)


def test_json_of_one_figure_is_one_record() -> None:
    record = json.loads(_refs("uptime-pue-2023", "-f", "json").stdout)
    assert record["id"] == "uptime-pue-2023" and record["range"] == ["1.55", "1.59"]


@pytest.mark.parametrize(
    ("today", "old", "recent"),
    [
        (datetime.date(2026, 6, 1), "eia-household-2019", "appa-household-peak-demand"),
        (datetime.date(2024, 1, 1), "eia-household-2020", "eia-household-2022"),
    ],
)
def test_stale_lists_old_figures_only(monkeypatch, today, old, recent) -> None:
    monkeypatch.setattr(cli, "_today", lambda: today)
    result = _refs("household", "--stale")
    assert result.exit_code == 0, result.output
    assert old in _listed(result.stdout)
    assert recent not in _listed(result.stdout)


def test_stale_with_nothing_old_says_so(monkeypatch) -> None:
    monkeypatch.setattr(cli, "_today", lambda: datetime.date(2000, 1, 1))
    result = _refs("--stale")
    assert result.exit_code == 0
    assert result.stdout == "No figure is more than 2 years old.\n"


@pytest.mark.parametrize("query", ["eia-household-2099x", "no such words", "ref:nothing"])
def test_no_match_is_one_line_and_exit_2(query: str) -> None:
    result = _refs(query)
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: no figure of calc's reference library matches {query!r}; "
        "`calc refs` with no word lists them all\n"
    )


def test_references_is_a_table_of_all_figures() -> None:
    rows = calc.references()
    ids = list(rows["id"]) if hasattr(rows, "columns") else [r["id"] for r in rows]
    assert len(rows) == 82 and len(set(ids)) == 82  # eight added for #15 audits
    assert "eia-household-2022" in ids
