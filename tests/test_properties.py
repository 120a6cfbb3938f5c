"""Laws that must hold whatever the numbers: units, linearity, seeds, immutability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.units.registry import Q_

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

#: For each input of the seed scenario, other units of the same dimension.
OTHER_UNITS = {
    "planned_power": ["W", "kW", "MW", "TW", "TWh/yr", "kWh/day"],
    "planned_investment": ["USD", "thousand USD", "million USD", "billion USD"],
    "homes_equivalent": ["home", "thousand home", "billion home"],
    "household_use": ["kW/home", "W/home", "MWh/yr/home", "kWh/day/home"],
    "rack_power": ["W/rack", "MW/rack", "MW/thousand/rack"],
    "gpus_per_rack": ["GPU/rack", "thousand GPU/thousand/rack"],
    "us_electricity": ["GW", "PWh/yr", "MWh/h"],
    "industry_cost_per_gw": ["USD/W", "million USD/MW", "USD/kW"],
    "huang_gpus_per_gw": ["GPU/W", "million GPU/TW"],
    "pue": ["percent", "dimensionless"],
    "load_factor": ["percent", "dimensionless"],
}


def _all_close(a, b):
    for name in a:
        x, y = a[name], b[name]
        np.testing.assert_allclose(
            float(x.to(y.units).magnitude), float(y.magnitude), rtol=1e-9, err_msg=name
        )


@SETTINGS
@given(data=st.data())
def test_an_input_in_other_units_changes_no_result(seed_scenario, seed_result, data):
    name = data.draw(st.sampled_from(sorted(OTHER_UNITS)))
    unit = data.draw(st.sampled_from(OTHER_UNITS[name]))
    original = seed_scenario.inputs[name].quantity
    converted = original.to(unit)
    result = seed_scenario.evaluate({name: converted})
    _all_close(
        {n: result[n] for n in seed_scenario.derived},
        {n: seed_result[n] for n in seed_scenario.derived},
    )


LINEAR = {
    "planned_investment": ["cost_per_gw", "cost_per_rack", "cost_per_gpu"],
    "planned_power": [
        "it_power",
        "facility_power",
        "rack_count",
        "gpu_count",
        "annual_energy",
        "share_of_us_electricity",
        "homes_at_reference_use",
        "per_home_load",
    ],
    "load_factor": ["annual_energy", "homes_by_annual_energy", "share_of_us_electricity"],
}


@SETTINGS
@given(name=st.sampled_from(sorted(LINEAR)), factor=st.floats(1e-3, 1e3))
def test_scaling_an_input_scales_the_linear_chain_through_it(
    seed_scenario, seed_result, name, factor
):
    scaled = seed_scenario.evaluate({name: seed_scenario.inputs[name].quantity * factor})
    for output in LINEAR[name]:
        assert float(scaled[output].magnitude) == pytest.approx(
            factor * float(seed_result[output].magnitude), rel=1e-9
        ), output


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_the_same_seed_gives_the_same_run(seed_scenario, seed):
    first = seed_scenario.evaluate(samples=500, seed=seed)
    second = seed_scenario.evaluate(samples=500, seed=seed)
    for name in seed_scenario.names:
        np.testing.assert_array_equal(first[name].magnitude, second[name].magnitude)
    assert [v.p_exceeds for v in first.verdicts] == [v.p_exceeds for v in second.verdicts]


@SETTINGS
@given(name=st.sampled_from(sorted(OTHER_UNITS)), factor=st.floats(0.1, 10))
def test_overrides_never_change_the_loaded_scenario(seed_scenario, seed_result, name, factor):
    inputs_before = dict(seed_scenario.inputs)
    value = seed_scenario.inputs[name].quantity * factor
    seed_scenario.evaluate({name: value})
    seed_scenario.with_inputs({name: value}).evaluate(samples=100, seed=1)
    assert dict(seed_scenario.inputs) == inputs_before
    assert all(seed_scenario.inputs[n] is inputs_before[n] for n in inputs_before)
    _all_close(
        {n: seed_scenario.evaluate()[n] for n in seed_scenario.derived},
        {n: seed_result[n] for n in seed_scenario.derived},
    )


def test_unit_conversion_of_a_range_changes_no_sample(tmp_path):
    """The same range written in two units draws the same numbers."""
    import calc

    texts = {
        unit: (
            f"title: t\ninputs:\n  p:\n    value: {v} {unit}\n    range: [{lo} {unit}, "
            f"{hi} {unit}]\n    kind: reference\n    source: time-to-botec\n"
        )
        for unit, v, lo, hi in (("GW", 30, 25, 35), ("MW", 30_000, 25_000, 35_000))
    }
    drawn = {}
    for unit, text in texts.items():
        path = tmp_path / f"{unit}.yaml"
        path.write_text(text)
        drawn[unit] = calc.load_scenario(path).evaluate(samples=1000, seed=4)["p"]
    np.testing.assert_allclose(drawn["MW"].to("GW").magnitude, drawn["GW"].magnitude, rtol=1e-12)
    assert Q_(1, "GW") == Q_(1000, "MW")
