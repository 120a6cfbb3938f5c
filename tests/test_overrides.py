"""What-if overrides: units checked, provenance shown, the loaded scenario untouched."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import UnitError, UnknownNameError
from calc.units.registry import Q_

runner = CliRunner()


def test_evaluate_with_an_override(seed_scenario):
    r = seed_scenario.evaluate(pue=1.5)
    assert r["it_power"].to("GW").magnitude == pytest.approx(20.0)
    assert r["rack_count"].to("rack").magnitude == pytest.approx(20e9 / 120e3)


def test_an_override_is_converted_from_its_own_unit(seed_scenario):
    in_watts = seed_scenario.evaluate(rack_power="600000 W/rack")
    in_megawatts = seed_scenario.evaluate(rack_power=Q_(0.6, "MW/rack"))
    for r in (in_watts, in_megawatts):
        assert r["rack_count"].to("rack").magnitude == pytest.approx(30e9 / 1.3 / 600e3)


def test_overrides_never_change_the_loaded_scenario(seed_scenario):
    before = seed_scenario.inputs["pue"]
    variant = seed_scenario.with_inputs(pue=1.1)
    assert seed_scenario.inputs["pue"] is before
    assert seed_scenario.evaluate()["it_power"].to("GW").magnitude == pytest.approx(30 / 1.3)
    assert variant.inputs["pue"].quantity.magnitude == 1.1
    assert variant is not seed_scenario


def test_an_overridden_input_shows_its_original_and_the_override_as_source(seed_scenario):
    r = seed_scenario.evaluate({"planned_power": "40 GW"})
    row = {row.name: row for row in r.rows()}["planned_power"]
    assert row.kind == "override"
    assert row.original == Q_(30, "GW")
    assert row.sources == ("override",)
    assert r.sources("cost_per_gw") == ("seed-003", "override")
    # planned_power_is_facility still cites seed-003
    assert r.sources("rack_count") == (
        "seed-003",
        "ref:gb200-nvl72-rack-power",
        "ref:gb300-nvl72-rack-power",
        "ref:uptime-new-builds-pue-2024",
        "override",
    )


def test_an_overridden_stated_figure_no_longer_makes_a_conflict(seed_scenario):
    r = seed_scenario.evaluate(foxconn_deal_value="0 USD")
    deal = {v.name: v for v in r.verdicts}["foxconn_deal_value"]
    assert deal.verdict == "consistent"


def test_array_overrides_evaluate_in_one_pass(seed_scenario):
    r = seed_scenario.evaluate(pue=np.array([1.1, 1.2, 1.3]))
    np.testing.assert_allclose(r["it_power"].to("GW").magnitude, 30 / np.array([1.1, 1.2, 1.3]))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "rack_power",
            "600 kW",
            "rack_power='600 kW' is a power, but rack_power is a power per "
            "rack (120 kW/rack); give a power per rack such as "
            "'120 kW/rack'",
        ),
        (
            "rack_power",
            600,
            "rack_power=600 has no unit, but rack_power is a power per rack; "
            "give a unit, such as '120 kW/rack'",
        ),
        (
            "planned_power",
            "30 GWh",
            "planned_power='30 GWh' is an energy, but planned_power is "
            "a power (30 GW); give a power such as '30 GW'",
        ),
        (
            "pue",
            "1.3 GW",
            "pue='1.3 GW' is a power, but pue is a pure number (1.3); give a pure "
            "number such as '1.3'",
        ),
        (
            "pue",
            "1.3 fish",
            "pue='1.3 fish': '1.3 fish' does not parse as a quantity (unknown "
            "unit 'fish'); give a number and a unit such as '30 GW', "
            "'$1.4 trillion' or '120 kW/rack'",
        ),
    ],
)
def test_overrides_of_the_wrong_dimension_are_refused(seed_scenario, name, value, message):
    with pytest.raises(UnitError) as info:
        seed_scenario.with_inputs({name: value})
    assert str(info.value) == message


def test_unknown_and_derived_names_are_refused(seed_scenario):
    with pytest.raises(UnknownNameError) as info:
        seed_scenario.with_inputs(pu=1.2)
    assert str(info.value) == "'pu' is not an input of openai-30gw.yaml; did you mean 'pue'?"
    with pytest.raises(UnknownNameError) as info:
        seed_scenario.with_inputs(rack_count=5)
    assert str(info.value) == (
        "rack_count is derived (rack_count = it_power / rack_power), so "
        "it cannot be set; set the inputs it rests on instead"
    )


def test_cli_set_shows_the_override_beside_the_original():
    result = runner.invoke(
        app, ["run", "--samples", "0", "--set", "pue=1.5", "--set", "rack_power=600 kW/rack"]
    )
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line[:1].isalpha()}
    assert rows["pue"].split() == ["pue", "1.5", "(was", "1.3)", "override", "override"]
    assert rows["rack_power"].split()[:6] == [
        "rack_power",
        "600",
        "kW/rack",
        "(was",
        "120",
        "kW/rack)",
    ]
    assert rows["rack_count"].split()[1:3] == ["33,333", "racks"]
    assert "  override: a value set for this run, in place of the file's" in result.stdout


def test_cli_set_json_carries_the_original():
    result = runner.invoke(app, ["run", "-f", "json", "--set", "pue=1.5"])
    import json

    pue = json.loads(result.stdout)["quantities"]["pue"]
    assert pue["kind"] == "override"
    assert pue["value"] == 1.5
    assert pue["original"] == {"value": 1.3, "unit": "dimensionless", "display": "1.3"}


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "pue",
            "calc: --set 'pue' is not NAME=VALUE; write it like --set pue=1.3 or "
            "--set rack_power='600 kW/rack'\n",
        ),
        (
            "rack_power=600",
            "calc: rack_power='600' is a pure number, but rack_power is a power "
            "per rack (120 kW/rack); give a power per rack such as "
            "'120 kW/rack'\n",
        ),
        ("pu=1", "calc: 'pu' is not an input of openai-30gw.yaml; did you mean 'pue'?\n"),
    ],
)
def test_cli_set_errors_exit_2(assignment, message):
    result = runner.invoke(app, ["check", "--set", assignment])
    assert result.exit_code == 2
    assert result.stderr == message


@pytest.mark.parametrize(
    "value", ["-5 homes", "-1 thousand homes", -5.0, np.array([1.0, -2.0, 3.0])]
)
def test_a_negative_count_is_refused_as_the_loader_refuses_it(seed_scenario, value):
    """The loader refused `value: -5 homes`; --set and with_inputs accepted it (#19)."""
    if not isinstance(value, str):
        value = Q_(value, "home")
    with pytest.raises(
        UnitError,
        match=r"^homes_equivalent=.* is a negative count of homes; "
        r"a count is zero or more$",
    ):
        seed_scenario.with_inputs(homes_equivalent=value)


def test_what_ifs_of_one_scenario_evaluate_it_once(monkeypatch):
    """The dimension check compares each what-if with the scenario at its point values:
    evaluated once per scenario (a sweep or a notebook's sliders make many what-ifs), and
    forgotten with the scenario (#17)."""
    import gc

    import calc.domain.evaluate as evaluate
    from calc.domain import overrides
    from calc.scenario import load_scenario

    from .conftest import SEED_SCENARIO

    scenario = load_scenario(SEED_SCENARIO)
    key = id(scenario)
    evaluated = []
    original = evaluate.evaluate_values

    def counted(of, *args, **kwargs):
        evaluated.append(id(of) == key)
        return original(of, *args, **kwargs)

    monkeypatch.setattr(evaluate, "evaluate_values", counted)
    for share in (1.0, 0.0, 1.0):  # an exponent (pue ** planned_power_is_facility): checked
        changed = scenario.with_inputs({"planned_power_is_facility": share})
        assert changed.inputs["planned_power_is_facility"].quantity.magnitude == share
    assert evaluated.count(True) == 1
    assert key in overrides._POINT_VALUES
    del scenario
    gc.collect()
    assert key not in overrides._POINT_VALUES


def test_a_what_if_that_reaches_no_exponent_skips_the_dimension_check(monkeypatch):
    """pue is a base, never an exponent, in the seed scenario: no value of it can change
    a dimension, so the check does not evaluate the graph at all (#17)."""
    import calc.domain.evaluate as evaluate
    from calc.scenario import load_scenario

    from .conftest import SEED_SCENARIO

    scenario = load_scenario(SEED_SCENARIO)
    evaluated = []
    original = evaluate.evaluate_values

    def counted(of, *args, **kwargs):
        evaluated.append(of)
        return original(of, *args, **kwargs)

    monkeypatch.setattr(evaluate, "evaluate_values", counted)
    changed = scenario.with_inputs(pue=1.5, rack_power="600 kW/rack")
    assert evaluated == []
    racks = changed.evaluate()["rack_count"].to("rack").magnitude
    assert racks == pytest.approx(30e9 / 1.5 / 600e3)
