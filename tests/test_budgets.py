"""Budgets that cannot be routed around (#21): exponents, digits, samples, mixtures."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.domain.budget import MEMORY_BUDGET, check_sample_count, sample_limit
from calc.domain.evaluate import varying_quantities
from calc.errors import CalcError, ExpressionError, UnitError
from calc.lang.formula import parse_formula
from calc.units.notation import parse_quantity, parse_unit

from .conftest import SEED_SCENARIO

runner = CliRunner()
LONG = "9" * 300


@pytest.mark.parametrize(
    ("formula", "total"),
    [
        ("(a**10)**10", "100"),
        ("((a**10)**10)**10", "100"),
        ("(a**8)**9", "72"),
        ("-(a**8)**9", "72"),
        ("sqrt(a**60)**2", "120"),
        ("((a**2)**2)**20", "80"),
    ],
)
def test_exponent_limits_hold_through_parentheses(formula, total):
    with pytest.raises(
        ExpressionError, match=f"{total} with the powers around it; exponents are at most 64"
    ):
        parse_formula(formula)


@pytest.mark.parametrize("formula", ["a**(5*5*5)", "a**(100-30)", "a**(-(70))", "2**(130/2)"])
def test_a_computed_exponent_is_held_to_the_limit(formula):
    with pytest.raises(ExpressionError, match="exponents are at most 64"):
        parse_formula(formula)


@pytest.mark.parametrize("formula", ["(a**8)**8", "a**(5*5)", "(a**2)**-3", "a**n"])
def test_exponents_within_the_limit_pass(formula):
    parse_formula(formula)


@pytest.mark.parametrize("text", ["(m**12)**12", "((m**2)**2)**2", "(s^-3)^5 m"])
def test_unit_towers_through_parentheses_are_refused(text):
    with pytest.raises(UnitError, match="holds a power itself"):
        parse_unit(text)


@pytest.mark.parametrize(
    "expression",
    ["(GW**10)**10", "((2**10)**10)**10", "2**(5*5*5)", LONG, f"{LONG} GW", f"2 * {LONG[:60]}"],
)
def test_eval_refuses_routed_around_budgets_cleanly(expression):
    result = runner.invoke(app, ["eval", expression])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "internal error" not in result.output


@pytest.mark.parametrize("value", [LONG, f"{LONG} GW", 10**400, -(10**300), 10**41])
def test_numbers_of_hundreds_of_digits_are_refused(value):
    with pytest.raises(UnitError, match="is longer than 40 digits; write it with an exponent"):
        parse_quantity(value)


@pytest.mark.parametrize("how", ["yaml", "set", "library", "formula"])
def test_hundreds_of_digits_exit_2_everywhere(tmp_path, how):
    if how == "library":
        with pytest.raises(UnitError, match=r"pue=\.\.\.: the number of about 401 digits"):
            calc.load_scenario(SEED_SCENARIO).evaluate(pue=10**400)
        return
    if how == "set":
        result = runner.invoke(app, ["run", str(SEED_SCENARIO), "--set", f"pue={LONG[:150]}"])
    else:
        body = f"    value: {LONG}\n" if how == "yaml" else "    value: 1\n"
        text = (
            "title: T\ninputs:\n  a:\n" + body + "    kind: reference\n    source: time-to-botec\n"
        )
        if how == "formula":
            text += f"derived:\n  b:\n    formula: a * {LONG}\n    unit: dimensionless\n"
        path = tmp_path / "t.yaml"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert "is longer than 40 digits" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("quantities", [1, 28, 1000])
def test_one_sample_limit_from_memory(quantities):
    limit = sample_limit(quantities)
    assert limit == int(MEMORY_BUDGET / (8 * 1.5 * quantities))
    assert check_sample_count(limit, quantities) == limit
    with pytest.raises(CalcError, match=f"the limit is {limit:,} samples"):
        check_sample_count(limit + 1, quantities)


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--samples", "{n}"],
        ["check", "--samples", "{n}"],
        ["report", "--samples", "{n}"],
        ["sensitivity", "{path}", "rack_count", "--samples", "{n}"],
    ],
)
def test_every_command_has_the_same_sample_limit(command):
    scenario = calc.load_scenario(SEED_SCENARIO)
    limit = sample_limit(varying_quantities(scenario))
    args = [a.format(n=limit + 1, path=SEED_SCENARIO) for a in command]
    if command[0] != "sensitivity":
        args.insert(1, str(SEED_SCENARIO))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"the limit is {limit:,} samples" in result.output
    with pytest.raises(CalcError, match=f"the limit is {limit:,} samples"):
        scenario.evaluate(samples=limit + 1)


def test_a_sweep_grid_has_the_same_limit():
    scenario = calc.load_scenario(SEED_SCENARIO)
    limit = sample_limit(2 + len(scenario.derived))  # two swept inputs, every derived one
    side = int(limit**0.5) + 1
    with pytest.raises(CalcError, match=f"the limit is {limit:,} grid points"):
        calc.sweep(
            scenario,
            {"pue": np.linspace(1, 2, side), "load_factor": np.linspace(0.5, 1, side)},
            ["rack_count"],
        )


def test_mixture_sampling_costs_components_plus_samples(tmp_path):
    components = 2000
    weights = ", ".join(["0.0005"] * components)
    values = ", ".join(f"{i + 1} GW" for i in range(components))
    path = tmp_path / "m.yaml"
    path.write_text(
        f"""title: M
inputs:
  p:
    value: 1 GW
    distribution: {{type: mixture, components: [{values}], weights: [{weights}]}}
    kind: reference
    source: time-to-botec
""",
        encoding="utf-8",
    )
    scenario = calc.load_scenario(path)
    samples = 20_000
    tracemalloc.start()
    result = scenario.evaluate(samples=samples, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    drawn = result["p"].magnitude
    assert drawn.min() >= 1 and drawn.max() <= components
    assert len(np.unique(drawn)) > 1000
    assert peak < 40 * (components + samples) * 8  # components x samples would be 320 MB
