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


# --- numbers and quotes (#19) -------------------------------------------------------

_DECIMAL = st.from_regex(r"[1-9][0-9]{0,8}(\.[0-9]{1,6})?|0\.[0-9]{1,6}|0", fullmatch=True)


@FAST
@given(st.text(max_size=40))
def test_any_value_text_is_a_finite_quantity_or_a_unit_error_in_plain_words(text):
    from calc.units import parse_quantity

    try:
        value = parse_quantity(text)
    except CalcError as exc:
        assert "Error" not in exc.message and "Token" not in exc.message, exc.message
        return
    assert np.isfinite(float(fold_magnitude(value)))


def fold_magnitude(value):
    return value.to_base_units().magnitude if not value.dimensionless else value.magnitude


@FAST
@given(_DECIMAL, st.sampled_from(["", " GW", "kW/rack", " homes", " USD", " percent"]))
def test_a_decimal_is_read_as_written(number, unit):
    from calc.units import parse_quantity

    assert parse_quantity(number + unit).magnitude == float(number)


@FAST
@given(st.integers(1, 999), st.sampled_from([":", "_", ".", "0"]), st.integers(0, 99))
def test_a_number_in_another_notation_is_never_read_as_some_other_number(head, mark, tail):
    """'1:30', '1_000', '1.2.3' and '012' are refused, never read as 90, 1000 or 10."""
    from calc.units import parse_quantity

    text = f"{head}{mark}{tail:02d}{'.5' if mark == '.' else ''}"
    if mark == "0":
        text = f"0{head}"
    with contextlib.suppress(CalcError):
        value = parse_quantity(text)
        raise AssertionError(f"{text!r} was read as {value}")


_SEED_TEXT = None


def _seed_text() -> str:
    global _SEED_TEXT
    if _SEED_TEXT is None:
        from calc.sources import fold_text

        from .conftest import ROOT

        _SEED_TEXT = fold_text((ROOT / "seeds" / "003_dad698e8bbde9b79.txt")
                               .read_text(encoding="utf-8"))
    return _SEED_TEXT


@FAST
@given(st.data())
def test_a_quote_cut_inside_a_word_or_number_never_verifies(data):
    import re

    from calc.sources import find_words

    text = _seed_text()
    tokens = [m for m in re.finditer(r"\d+(?:[.,]\d+)*|\w+", text) if len(m.group()) > 1]
    token = data.draw(st.sampled_from(tokens))
    cut = data.draw(st.integers(token.start() + 1, token.end() - 1))
    length = data.draw(st.integers(2, 60))
    start = cut if data.draw(st.booleans()) else max(0, cut - length)
    quote = text[start:start + length] if start == cut else text[start:cut]
    # the same words may stand whole elsewhere in the article, but never here
    assert find_words(text, quote, start) != start
