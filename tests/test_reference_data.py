"""The shipped reference library (calc/data/references.yaml) is well formed (#14).

Every figure is checked: a lowercase-kebab id, a value and range that parse with
calc's unit registry and share a dimension, a range that contains its value, a
source with an http(s) URL, a verbatim quote or table cell and a known grade, an
integer year, and group and basis tags from the fixed vocabulary. The checker is
itself tested on broken figures, so a check that can never fail is caught.
"""

from __future__ import annotations

import copy
import datetime
import re
from importlib import resources
from typing import Any

import pytest
import yaml

from calc.domain.basis import AXES
from calc.errors import UnitError
from calc.units.notation import parse_quantity

GROUPS = {"household", "grid", "accelerators", "efficiency", "cost", "plants", "water"}
BASIS_TAGS = set(AXES)  # the vocabulary scenarios use, so a cited figure's tags travel
GRADES = {"P", "M", "S", "D", "U"}
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCE_TEXT_FIELDS = ("publisher", "title")


def load_library() -> dict[str, Any]:
    """Read the library from inside the installed package, as users will."""
    text = (resources.files("calc") / "data" / "references.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


LIBRARY = load_library()
FIGURES: dict[str, dict[str, Any]] = LIBRARY["references"]


def source_problems(where: str, source: Any) -> list[str]:
    if not isinstance(source, dict):
        return [f"{where}: source must be a mapping"]
    problems = [
        f"{where}: source.{field} is missing or empty"
        for field in SOURCE_TEXT_FIELDS
        if not (isinstance(source.get(field), str) and source[field].strip())
    ]
    url = source.get("url")
    if not (isinstance(url, str) and re.match(r"https?://\S+$", url)):
        problems.append(f"{where}: source.url {url!r} is not an http(s) URL")
    if not any(isinstance(source.get(k), str) and source[k].strip() for k in ("quote", "table")):
        problems.append(f"{where}: source has neither a quote nor a table cell")
    if source.get("grade") not in GRADES:
        problems.append(f"{where}: source.grade {source.get('grade')!r} is not one of P M S D U")
    date = source.get("date")
    if not isinstance(date, str | datetime.date) or not str(date).strip():
        problems.append(f"{where}: source.date is missing")
    return problems


def quantity_problems(fid: str, figure: dict[str, Any]) -> list[str]:
    try:
        value = parse_quantity(figure.get("value"))
    except (UnitError, TypeError) as exc:
        return [f"{fid}: value {figure.get('value')!r} does not parse ({exc})"]
    bounds = figure.get("range")
    if bounds is None:
        return []
    if not (isinstance(bounds, list) and len(bounds) == 2):
        return [f"{fid}: range must be a list of two values"]
    try:
        low, high = (parse_quantity(bound) for bound in bounds)
    except (UnitError, TypeError) as exc:
        return [f"{fid}: range {bounds!r} does not parse ({exc})"]
    if not (low.dimensionality == high.dimensionality == value.dimensionality):
        return [f"{fid}: range {bounds!r} and value {figure['value']!r} differ in dimension"]
    low_m, high_m = low.to(value.units).magnitude, high.to(value.units).magnitude
    if not low_m <= value.magnitude <= high_m:
        return [f"{fid}: range {bounds!r} does not contain value {figure['value']!r}"]
    return []


def figure_problems(fid: str, figure: Any) -> list[str]:
    """Everything wrong with one figure, as messages naming the id and field."""
    if not ID_PATTERN.fullmatch(fid):
        return [f"{fid!r}: id is not lowercase-kebab"]
    if not isinstance(figure, dict):
        return [f"{fid}: figure must be a mapping"]
    problems = []
    if figure.get("group") not in GROUPS:
        problems.append(f"{fid}: group {figure.get('group')!r} is not a known group")
    if not (isinstance(figure.get("description"), str) and figure["description"].strip()):
        problems.append(f"{fid}: description is missing")
    basis = figure.get("basis")
    if not (isinstance(basis, list) and basis and set(basis) <= BASIS_TAGS):
        problems.append(f"{fid}: basis {basis!r} is not a list of known tags")
    year = figure.get("year")
    if not (isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 2100):
        problems.append(f"{fid}: year {year!r} is not an integer year")
    problems += quantity_problems(fid, figure)
    problems += source_problems(fid, figure.get("source"))
    for n, extra in enumerate(figure.get("also") or []):
        problems += source_problems(f"{fid}: also[{n}]", extra)
    return problems


def test_library_is_versioned() -> None:
    assert isinstance(LIBRARY["version"], int) and LIBRARY["version"] >= 1
    assert isinstance(LIBRARY["updated"], datetime.date)


def test_library_covers_every_group() -> None:
    assert {figure["group"] for figure in FIGURES.values()} == GROUPS


@pytest.mark.parametrize("fid", sorted(FIGURES))
def test_figure_is_well_formed(fid: str) -> None:
    assert figure_problems(fid, FIGURES[fid]) == []


GOOD = FIGURES["eia-household-2020"]


def broken(**changes: Any) -> dict[str, Any]:
    """A copy of a good figure with top-level or ``source.`` fields replaced."""
    figure = copy.deepcopy(GOOD)
    for key, new in changes.items():
        target, _, field = key.rpartition("__")
        (figure[target] if target else figure)[field] = new
    return figure


@pytest.mark.parametrize(
    ("figure", "fragment"),
    [
        (broken(value="10,715 kWh/yr/flurb"), "value '10,715 kWh/yr/flurb' does not parse"),
        (broken(range=["9 GW", "11 GW"]), "differ in dimension"),
        (broken(range=["11,000 kWh/yr/home", "12,000 kWh/yr/home"]), "does not contain value"),
        (broken(range=["1 MWh/yr/home", "2 MWh/yr/home"]), "does not contain value"),
        (broken(range=["10 MWh/yr/home"]), "range must be a list of two values"),
        (broken(group="homes"), "group 'homes' is not a known group"),
        (broken(basis=["energy", "mean"]), "is not a list of known tags"),
        (broken(basis=[]), "is not a list of known tags"),
        (broken(year="2020"), "year '2020' is not an integer year"),
        (broken(year=True), "year True is not an integer year"),
        (broken(source__url="www.eia.gov/faq"), "is not an http(s) URL"),
        (broken(source__url="ftp://eia.gov/x"), "is not an http(s) URL"),
        (broken(source__quote="  "), "source has neither a quote nor a table cell"),
        (broken(source__grade="A"), "source.grade 'A' is not one of P M S D U"),
        (broken(source__publisher=""), "source.publisher is missing or empty"),
        (broken(description=None), "description is missing"),
    ],
)
def test_checker_reports_broken_figures(figure: dict[str, Any], fragment: str) -> None:
    problems = figure_problems("eia-household-2020", figure)
    assert any(fragment in problem for problem in problems), problems


@pytest.mark.parametrize(
    "fid", ["EIA-household", "eia_household", "eia--household", "-eia", "eia-"]
)
def test_checker_rejects_ids_that_are_not_kebab(fid: str) -> None:
    assert figure_problems(fid, GOOD) == [f"{fid!r}: id is not lowercase-kebab"]


def test_checker_reports_a_broken_second_source() -> None:
    figure = copy.deepcopy(GOOD)
    figure["also"] = [{**GOOD["source"], "grade": "X"}]
    assert figure_problems("eia-household-2020", figure) == [
        "eia-household-2020: also[0]: source.grade 'X' is not one of P M S D U"
    ]


def test_checker_catches_an_unquoted_thousands_comma_in_a_range() -> None:
    # In a YAML flow list the comma splits "2,074 MW" into two items.
    figure = {**GOOD, **yaml.safe_load("range: [2,074 MW, 2,080 MW]")}
    assert "range must be a list of two values" in figure_problems("x", figure)[0]
