"""The library keeps its promises (#21): immutable results, pickle and deepcopy in calc's
registry, clear errors for odd overrides, compare of sampled results, no umask changes."""

from __future__ import annotations

import copy
import os
import pickle

import numpy as np
import pint
import pytest

import calc
from calc.analysis.comparison import line_up
from calc.errors import CalcError
from calc.io.files import write_text_atomic
from calc.units.registry import Q_, ureg

ROUND_TRIPS = [pickle.loads, copy.deepcopy]


def _round_trip(how, value):
    return how(pickle.dumps(value)) if how is pickle.loads else how(value)


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("10791 kWh/yr", "W", 10791e3 / 8760),  # calc's year is 365 days (EIA's 8,760 h)
        ("10791 kWh/yr/home", "W/home", 10791e3 / 8760),
        ("1 yr", "h", 8760.0),
        ("25 million homes", "home", 25e6),
        ("120 kW/rack", "W/rack", 120e3),
    ],
)
def test_a_quantity_round_trips_exactly_in_calcs_registry(how, text, unit, expected):
    value = calc.parse_quantity(text)
    back = _round_trip(how, value)
    assert back._REGISTRY is ureg
    assert back.to(unit).magnitude == pytest.approx(expected, rel=1e-12)
    assert back == value


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("samples", [None, 300])
def test_a_scenario_and_a_result_round_trip(seed_scenario, how, samples):
    result = seed_scenario.evaluate(samples=samples, seed=4)
    back = _round_trip(how, result)
    for name in result:
        assert np.array_equal(np.asarray(back[name].magnitude), np.asarray(result[name].magnitude))
        assert back[name].units == result[name].units
    again = _round_trip(how, seed_scenario).evaluate(samples=samples, seed=4)
    assert again.point("household_use").to("W/home").magnitude == pytest.approx(10791e3 / 8760)
    assert [v.verdict for v in again.verdicts] == [v.verdict for v in result.verdicts]


@pytest.mark.parametrize("name", ["rack_count", "planned_power", "pue", "per_home_load"])
def test_a_results_arrays_are_read_only(seed_scenario, name):
    result = seed_scenario.evaluate(samples=100, seed=1)
    with pytest.raises(ValueError, match="read-only"):
        result[name].magnitude[0] = 0.0


def test_an_overridden_array_is_copied_and_read_only(seed_scenario):
    mine = np.array([1.2, 1.4])
    scenario = seed_scenario.with_inputs(pue=mine)
    mine[0] = 99.0
    held = scenario.inputs["pue"].quantity.magnitude
    assert held.tolist() == [1.2, 1.4]
    with pytest.raises(ValueError, match="read-only"):
        held[0] = 5.0


_OTHER = pint.UnitRegistry()
_OTHER.define("rack = [rack]")


@pytest.mark.parametrize(
    ("name", "value", "output", "expected"),
    [
        ("rack_power", _OTHER.Quantity(600, "kW/rack"), "rack_count", 30e9 / 1.3 / 600e3),
        ("planned_power", _OTHER.Quantity(15, "GW"), "it_power", 15e9 / 1.3),
        ("pue", _OTHER.Quantity(1.5, ""), "it_power", 30e9 / 1.5),
        ("pue", np.array([1.2, 1.5]), "it_power", [30e9 / 1.2, 30e9 / 1.5]),
    ],
)
def test_other_registries_and_arrays_give_correct_results(
    seed_scenario, name, value, output, expected
):
    result = seed_scenario.evaluate(**{name: value})
    got = result[output].to_base_units().magnitude
    assert np.allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("pue", float("inf"), "pue=inf is not a finite number; give a value such as '1.3'"),
        ("pue", np.array([1.0, np.nan]), "pue=array of 2 is not a finite number"),
        ("pue", _OTHER.Quantity(np.array([1.0, np.inf]), ""), "pue='[1.0 inf]' is not a finite"),
        ("pue", [1, "x"], "pue=[1, 'x'] is not a number or an array of numbers"),
        ("pue", np.array(["a"]), "is not a number or an array of numbers; give a value such as"),
        (
            "household_use",
            _OTHER.Quantity(10791, "kWh/yr"),
            "household_use='10791 kWh/a' is a power, but household_use is a power per home",
        ),
    ],
)
def test_odd_overrides_get_a_calc_error(seed_scenario, name, value, message):
    with pytest.raises(CalcError) as caught:
        seed_scenario.evaluate(**{name: value})
    assert message in str(caught.value)


def test_compare_takes_sampled_results(seed_scenario):
    sampled = seed_scenario.evaluate(samples=200, seed=2)
    other = seed_scenario.evaluate(pue=1.5, samples=200, seed=2)
    rows = {q.name: q for q in line_up([sampled, other]).quantities}
    assert rows["it_power"].ratio(1) == pytest.approx(1.3 / 1.5)
    assert rows["pue"].differs and not rows["planned_power"].differs


def test_file_writes_leave_the_umask_alone(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "umask", lambda mask: calls.append(mask) or 0o022)
    write_text_atomic(tmp_path / "out.txt", "x")
    assert calls == []


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_umask_and_an_old_one_keeps_its_mode(tmp_path, mask):
    old = os.umask(mask)
    try:
        new = write_text_atomic(tmp_path / "new.txt", "x")
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        write_text_atomic(kept, "y")
    finally:
        os.umask(old)
    assert new.stat().st_mode & 0o777 == 0o666 & ~mask
    assert kept.stat().st_mode & 0o777 == 0o640


def test_q_is_calcs_quantity():
    assert Q_(1, "home")._REGISTRY is ureg
