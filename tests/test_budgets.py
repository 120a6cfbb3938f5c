"""Budgets that cannot be routed around (#21): exponents, digits, samples, mixtures."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.domain.budget import check_sample_count, sample_limit
from calc.domain.evaluate import varying_quantities
from calc.errors import CalcError, ExpressionError, UnitError
from calc.lang.formula import parse_formula
from calc.units.notation import parse_quantity, parse_unit

from .conftest import SEED_SCENARIO, TEST_MEMORY_BUDGET

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
    assert limit == int(TEST_MEMORY_BUDGET / (8 * 1.5 * quantities))
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


# --- the budget from the memory available (#17) -------------------------------------


def _no_sysconf(name: str) -> int:
    raise ValueError(name)


@pytest.mark.parametrize(
    ("meminfo", "sysconf", "budget", "where"),
    [
        (
            "MemTotal: 16000000 kB\nMemFree: 1000 kB\nMemAvailable: 8000000 kB\n",
            _no_sysconf,
            4_096_000_000,
            "4.1 GB, half of the 8.2 GB available",
        ),
        (
            "MemAvailable:   50000000 kB\n",
            _no_sysconf,
            25_600_000_000,
            "25.6 GB, half of the 51.2 GB available",
        ),
        (
            "MemAvailable: 1000000 kB\n",
            _no_sysconf,
            1_000_000_000,
            "1.0 GB, the least calc allows; 1.0 GB is available",
        ),
        (
            None,
            lambda name: 4096 if name == "SC_PAGE_SIZE" else 1_000_000,
            2_048_000_000,
            "2.0 GB, half of the 4.1 GB available",
        ),
        (None, _no_sysconf, 4_000_000_000, "4.0 GB; the memory available could not be read"),
    ],
)
def test_the_budget_is_a_share_of_the_memory_available(
    tmp_path, monkeypatch, meminfo, sysconf, budget, where
):
    from calc.domain import budget as module

    path = tmp_path / "meminfo"
    if meminfo is not None:
        path.write_text(meminfo)
    monkeypatch.setattr(module, "_MEMINFO", path)
    monkeypatch.setattr(module.os, "sysconf", sysconf)
    monkeypatch.setattr(module, "MEMORY_BUDGET", None)
    assert module.memory_budget() == budget
    limit = sample_limit(3)
    assert limit == int(budget / (8 * 1.5 * 3))
    assert check_sample_count(limit, 3) == limit
    need = f"{(limit + 1) * 3 * 12 / 1e9:,.1f} GB"
    with pytest.raises(CalcError) as info:
        check_sample_count(limit + 1, 3, fix="ask for fewer with --samples")
    assert str(info.value) == (
        f"{limit + 1:,} samples of 3 quantities need about {need} of memory "
        f"({limit + 1:,} x 3 x 8 bytes x 1.5); the limit is {limit:,} samples ({where}): "
        "ask for fewer with --samples"
    )


def test_the_budget_of_this_machine(monkeypatch):
    from calc.domain import budget as module

    monkeypatch.setattr(module, "MEMORY_BUDGET", None)
    physical = module.os.sysconf("SC_PHYS_PAGES") * module.os.sysconf("SC_PAGE_SIZE")
    assert 0 < module.available_memory() <= physical  # read again below: it moves
    assert module.MEMORY_FLOOR <= module.memory_budget() <= max(module.MEMORY_FLOOR, physical / 2)


@pytest.mark.parametrize("seed", [0, 7])
def test_a_mixture_draws_in_about_twenty_bytes_a_sample(seed):
    """time-to-botec's mixture: the output, one byte a draw for the choice, and one
    component's share at a time (the choice in whole-word indices and a full sort order
    took over 32 bytes a draw, 3.5 GiB at the peak of 10^8 samples)."""
    scenario = calc.load_scenario(SEED_SCENARIO.parent / "examples" / "time-to-botec.yaml")
    formula = scenario.derived["result"].formula
    values = {"p_a": calc.Q_(0.8), "p_b": calc.Q_(0.5), "p_c": calc.Q_(0.4)}
    samples = 1_000_000
    tracemalloc.start()
    drawn = formula.sample(np.random.default_rng(seed), samples, values).magnitude
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 22 * samples
    assert np.mean(drawn == 0) == pytest.approx(0.6, abs=0.005)
    assert np.mean(drawn) == pytest.approx(0.887, rel=0.02)
