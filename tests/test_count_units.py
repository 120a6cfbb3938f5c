"""Count units added at run time: define_count_unit and a scenario's 'units' section."""

from __future__ import annotations

import pint
import pytest

from calc.errors import UnitError
from calc.scenario import load_scenario
from calc.units.counts import define_count_unit
from calc.units.display import format_quantity
from calc.units.notation import parse_quantity
from calc.units.registry import COUNT_UNITS, ureg

from .conftest import ROOT, line_of


def test_a_new_count_unit_has_a_dimension_of_its_own():
    define_count_unit("crane", "cranes")
    cranes = parse_quantity("40 cranes")
    assert cranes == ureg.Quantity(40, "crane")
    assert format_quantity(cranes) == "40 cranes"
    with pytest.raises(pint.DimensionalityError):
        cranes + parse_quantity("40 homes")


def test_defining_a_count_unit_again_is_harmless():
    first = define_count_unit("barge", "barges")
    assert define_count_unit("barge") == first
    assert COUNT_UNITS["barge"] == "barges"


def test_rates_of_a_new_count_unit_convert():
    define_count_unit("kiln", "kilns")
    assert parse_quantity("70 kilns") / parse_quantity("2 weeks") == ureg.Quantity(35, "kiln/week")


@pytest.mark.parametrize(
    ("name", "plural", "message"),
    [
        (
            "point",
            None,
            "'point' is already a unit (a length); name the count differently, "
            "such as 'point_count'",
        ),
        (
            "Robot",
            None,
            "'Robot' is not a usable unit name; a count unit is a lower-case word "
            "of letters, digits and '_', such as 'robot'",
        ),
        (
            "drone",
            "two words",
            "'two words' is not a usable plural of 'drone'; give one word "
            "of letters, digits and '_', such as 'robots'",
        ),
        (
            "pointer",
            "points",
            "'points' is already a unit (a length); give 'pointer' another plural, or none",
        ),
    ],
)
def test_a_count_unit_that_would_clash_is_refused(name, plural, message):
    with pytest.raises(UnitError) as caught:
        define_count_unit(name, plural)
    assert str(caught.value) == message
    assert name not in COUNT_UNITS


SCENARIO = """\
title: Robots
catalogue: {catalogue}
units:
  welder: welders
inputs:
  welders:
    value: 40 welders
    kind: assumption
    source: ref:uptime-new-builds-pue-2024
    note: A test count.
  welders_per_rack:
    value: 2 welder/rack
    kind: assumption
    source: ref:uptime-new-builds-pue-2024
    note: A test rate.
derived:
  racks:
    formula: welders / welders_per_rack
    unit: rack
"""


def test_a_scenario_declares_its_count_units(tmp_path):
    path = tmp_path / "robots.yaml"
    path.write_text(SCENARIO.format(catalogue=_catalogue()), encoding="utf-8")
    result = load_scenario(path).evaluate()
    assert result["racks"] == ureg.Quantity(20, "rack")
    assert format_quantity(result["welders"]) == "40 welders"


def test_a_declared_unit_that_clashes_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    text = SCENARIO.format(catalogue=_catalogue()).replace("  welder: welders", "  point: points")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnitError) as caught:
        load_scenario(path)
    line = line_of(path, "units:", "point")
    assert str(caught.value) == (
        f"{path}:{line}: units.point: 'point' is already a unit (a length); name the count "
        "differently, such as 'point_count'"
    )


def _catalogue() -> str:
    return str(ROOT / "seeds" / "catalogue.yaml")


def test_a_count_unit_declared_by_one_scenario_does_not_leak_into_another(tmp_path):
    """The registry is the process's: a second file that uses 'turbines' without
    declaring them must fail as it would on its own, whatever was loaded before (#21)."""
    declares = tmp_path / "a.yaml"
    declares.write_text(
        "title: A\nunits: {turbine: turbines}\ninputs:\n  n:\n    value: 5 turbines\n"
        "    kind: reference\n    source: time-to-botec\n",
        encoding="utf-8",
    )
    borrows = tmp_path / "b.yaml"
    borrows.write_text(
        "title: B\ninputs:\n  n:\n    value: 7 turbines\n    kind: reference\n"
        "    source: time-to-botec\n",
        encoding="utf-8",
    )
    load_scenario(declares)
    with pytest.raises(UnitError) as caught:
        load_scenario(borrows)
    assert str(caught.value) == (
        f"{borrows}:4: inputs.n.value: 'turbine' is a count unit this scenario does not "
        "declare (something else loaded in this process added it); declare it: units: "
        "{turbine: turbines}"
    )


def test_a_unit_defined_after_its_name_was_read_is_read_as_that_unit():
    """The registry remembers how it read each unit text (#17); defining a unit forgets
    what it remembered, so a name read as unknown before is known after."""
    assert ureg.parse_unit_name("windmills") == ()
    define_count_unit("windmill", "windmills")
    assert ureg.parse_unit_name("windmills") == (("", "windmill", ""),)
    assert parse_quantity("40 windmills") == ureg.Quantity(40, "windmill")


def test_the_registry_reads_a_unit_text_once():
    """A name pint reads by trying every prefix is read once per process (#17)."""
    first = ureg.parse_units_as_container("GW/rack")
    assert ureg.parse_units_as_container("GW/rack") is first
    assert ureg.parse_unit_name("GW") is ureg.parse_unit_name("GW")
