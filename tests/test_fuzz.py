"""Fuzzing: whatever the text, calc succeeds or raises a located CalcError; never a crash
or a hang. A larger campaign runs by hand: python bench/fuzz.py --cases 100000."""

from __future__ import annotations

import contextlib

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.arith import evaluate_expression
from calc.errors import CalcError, ExpressionError
from calc.expr import parse_formula
from calc.scenario import load_scenario
from calc.units import Q_

from .strategies import formula_text, mutated_scenario, valid_formula

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
VALUES = {"a": Q_(2.0, "GW"), "b": Q_(3.0, "GW"), "c": Q_(0.5), "x1": Q_(1.0, "rack"),
          "rack_power": Q_(120.0, "kW/rack"), "pue": Q_(1.3), "os": Q_(1.0)}


# Time is not asserted here (tests check behaviour); bench/fuzz.py reports the slowest case.


def check_formula(text: str) -> None:
    """Parsing gives a Formula or an ExpressionError; evaluating, a Quantity or a CalcError."""
    try:
        formula = parse_formula(text)
    except ExpressionError:
        return
    try:
        value = formula.evaluate(VALUES)
        assert hasattr(value, "units")
    except CalcError:
        pass


def check_expression(text: str) -> None:
    with contextlib.suppress(CalcError):
        evaluate_expression(text)


def check_scenario_text(text: str, path) -> None:
    """Loading and evaluating succeeds, or raises a CalcError naming file and line."""
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path).evaluate(samples=200, seed=0)
    except CalcError as exc:
        assert exc.location.file is not None, str(exc)
        assert exc.location.line is not None, str(exc)
        assert str(exc).startswith(f"{path}:{exc.location.line}: "), str(exc)


@FAST
@given(formula_text())
def test_any_formula_text(text):
    check_formula(text)


@FAST
@given(valid_formula())
def test_valid_formulas_evaluate_or_fail_cleanly(text):
    formula = parse_formula(text)  # always parses
    try:
        value = formula.evaluate(VALUES)
    except CalcError:
        return
    assert value.dimensionality is not None


@FAST
@given(formula_text())
def test_any_eval_expression(text):
    check_expression(text)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated_scenario())
def test_mutated_scenarios_load_or_fail_with_a_location(tmp_path, text):
    check_scenario_text(text, tmp_path / "fuzz.yaml")


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    try:
        load_scenario(path)
    except CalcError as exc:
        assert exc.location.file == path


def test_a_valid_formula_over_arrays_matches_its_scalars():
    formula = parse_formula("max(a, b) / (a + b) * sqrt(c)")
    values = dict(VALUES, a=Q_(np.array([1.0, 2.0]), "GW"))
    arrays = formula.evaluate(values).magnitude
    scalars = [formula.evaluate(dict(VALUES, a=Q_(x, "GW"))).magnitude for x in (1.0, 2.0)]
    np.testing.assert_allclose(arrays, scalars)
