"""The graph: evaluation over arrays, non-finite results, lineage."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from calc.domain.evaluate import evaluate_values, point_values
from calc.errors import EvaluationError, UnitError
from calc.scenario import load_scenario
from calc.units.registry import Q_


def test_the_same_graph_evaluates_arrays_of_inputs(seed_scenario):
    """Sampling and sweeps will pass arrays; the graph needs no change for them."""
    values = point_values(seed_scenario)
    values["pue"] = Q_(np.array([1.1, 1.3, 1.5]))
    out = evaluate_values(seed_scenario, values)
    np.testing.assert_allclose(
        out["rack_count"].to("rack").magnitude, 30e9 / np.array([1.1, 1.3, 1.5]) / 120e3
    )
    assert out["per_home_load"].magnitude == pytest.approx(1.2)  # untouched stays scalar


def test_a_zero_divisor_is_an_error_naming_formula_and_values(seed_scenario):
    values = point_values(seed_scenario)
    values["rack_power"] = Q_(0.0, "kW/rack")
    with pytest.raises(EvaluationError) as info:
        evaluate_values(seed_scenario, values)
    path = seed_scenario.path
    line = seed_scenario.derived["rack_count"].where("formula").line
    assert str(info.value) == (
        f"{path}:{line}: derived.rack_count.formula: rack_count = it_power / rack_power is "
        "infinite, from it_power = 23.1 GW, rack_power = 0 kW/rack; check for a zero divisor "
        "or a value out of range"
    )


def test_nan_is_never_passed_on(seed_scenario):
    values = point_values(seed_scenario)
    values["rack_power"] = Q_(np.array([120.0, np.nan]), "kW/rack")
    with pytest.raises(EvaluationError, match="is not a number"):
        evaluate_values(seed_scenario, values)


def test_unit_conversion_in_place_never_touches_an_input_array(seed_scenario):
    from dataclasses import replace
    from types import MappingProxyType

    from calc.lang.formula import parse_formula

    # household_load = household_use (a bare name) and a unary plus both hand back the
    # input's own array; converting it to kW/home must copy, not convert in place.
    derived = dict(seed_scenario.derived)
    derived["household_load"] = replace(
        derived["household_load"], formula=parse_formula("+household_use")
    )
    scenario = replace(seed_scenario, derived=MappingProxyType(derived))
    use = np.array([10791.0, 10260.0])
    values = point_values(scenario)
    values["household_use"] = Q_(use, "kWh/yr/home")
    out = evaluate_values(scenario, values)
    np.testing.assert_array_equal(use, [10791.0, 10260.0])
    np.testing.assert_allclose(
        out["household_load"].to("kW/home").magnitude, np.array([10791.0, 10260.0]) / 8760
    )


def test_a_wrong_unit_is_blamed_even_when_another_factor_is_zero(tmp_path):
    # the rest of the formula evaluates to 0: dividing values (0/0) used to warn, and a
    # warning turned into an error ended in exit 3
    path = tmp_path / "z.yaml"
    path.write_text(
        "title: t\ninputs:\n  power:\n    value: 30 GW\n    kind: reference\n"
        "    source: time-to-botec\n  share:\n    value: 0\n    kind: reference\n"
        "    source: time-to-botec\nderived:\n  used:\n    formula: power * share\n"
        "    unit: kWh\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UnitError) as caught:
            load_scenario(path)
    assert str(caught.value) == (
        f"{path}:4: inputs.power.value: '30 GW' is a power, but power is used as an energy "
        "(in kWh, say) in used = power * share (shown in kWh); give an energy instead"
    )
