from __future__ import annotations

import numpy as np
import pytest

from calc.errors import EvaluationError, ExpressionError, UnitError, UnknownNameError
from calc.lang.formula import parse_formula
from calc.units.registry import Q_

LANGUAGE = (
    "formulas use names, numbers, + - * / **, parentheses and the functions "
    "abs, exp, log, max, min, sqrt"
)


def test_names_are_listed_and_function_names_are_not():
    assert parse_formula("max(a, b) / sqrt(c) - d ** 2").names == {"a", "b", "c", "d"}


def test_evaluates_with_units():
    f = parse_formula("planned_investment / planned_power")
    value = f.evaluate({"planned_investment": Q_(1.4e12, "USD"), "planned_power": Q_(30, "GW")})
    assert value.to("USD/GW").magnitude == pytest.approx(1.4e12 / 30)


def test_evaluates_whole_arrays_in_one_pass():
    f = parse_formula("p / pue ** facility")
    pue = Q_(np.array([1.1, 1.3, 1.5]))
    value = f.evaluate({"p": Q_(30.0, "GW"), "pue": pue, "facility": Q_(1.0)})
    np.testing.assert_allclose(value.to("GW").magnitude, 30 / np.array([1.1, 1.3, 1.5]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(a, b)", 1.0),
        ("max(a, b)", 2.0),
        ("abs(-a)", 1.0),
        ("sqrt(b * b)", 2.0),
        ("exp(log(b))", 2.0),
        ("-a + +b", 1.0),
        ("(a + b) * 2 / 4", 1.5),
        ("b ** -1", 0.5),
    ],
)
def test_functions_and_operators(text, expected):
    value = parse_formula(text).evaluate(
        {"a": Q_(1.0, "GW"), "b": Q_(2.0, "GW")}
        if "log" not in text and "**" not in text
        else {"a": Q_(1.0), "b": Q_(2.0)}
    )
    assert float(value.magnitude) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "__import__('os')",
            "formula \"__import__('os')\" calls the unknown function "
            "'__import__' at column 1; the functions are abs, exp, log, max, "
            "min, sqrt",
        ),
        (
            "a.real",
            f"formula 'a.real' uses attribute access at column 1 ('a.real'), which is "
            f"not allowed; {LANGUAGE}",
        ),
        (
            "open('x')",
            "formula \"open('x')\" calls the unknown function 'open' at column 1; "
            "the functions are abs, exp, log, max, min, sqrt",
        ),
        (
            "mx(a, b)",
            "formula 'mx(a, b)' calls the unknown function 'mx' at column 1 (did you "
            "mean 'max'?); the functions are abs, exp, log, max, min, sqrt",
        ),
        (
            "10**10**10",
            "formula '10**10**10' stacks powers at column 5 ('10**10**10'); a "
            "power's exponent may not itself contain '**'",
        ),
        (
            "a ** 65",
            "formula 'a ** 65' raises to the power 65 at column 6; exponents are at most 64",
        ),
        (
            "lambda: 1",
            f"formula 'lambda: 1' uses lambda at column 1 ('lambda: 1'), which is "
            f"not allowed; {LANGUAGE}",
        ),
        (
            "[x for x in a]",
            f"formula '[x for x in a]' uses a comprehension at column 1 "
            f"('[x for x in a]'), which is not allowed; {LANGUAGE}",
        ),
        (
            "a[0]",
            f"formula 'a[0]' uses indexing at column 1 ('a[0]'), which is not allowed; {LANGUAGE}",
        ),
        (
            "a + * b",
            f"formula 'a + * b' is malformed at column 5 (near '* b'): invalid syntax; {LANGUAGE}",
        ),
        (
            "_secret",
            f"formula '_secret' uses the name '_secret' (names may not begin with '_') "
            f"at column 1 ('_secret'), which is not allowed; {LANGUAGE}",
        ),
        (
            "'text'",
            f"formula \"'text'\" uses the constant 'text' at column 1 (\"'text'\"), "
            f"which is not allowed; {LANGUAGE}",
        ),
        ("min(a)", "formula 'min(a)': min() takes 2 to 16 argument(s), not 1"),
        ("", "the formula is empty; write one such as 'a / b'"),
        (
            "(" * 41 + "a" + ")" * 41,
            "the formula nests parentheses 41 deep; at most 40 are allowed",
        ),
        ("a" * 2001, "the formula is 2,001 characters long; at most 2,000 are allowed"),
    ],
)
def test_whitelist_refuses_everything_else(text, message):
    with pytest.raises(ExpressionError) as info:
        parse_formula(text)
    assert str(info.value) == message


def test_adding_a_power_to_an_energy_names_both_dimensions():
    with pytest.raises(UnitError) as info:
        parse_formula("a + b").evaluate({"a": Q_(1, "GW"), "b": Q_(1, "GWh")})
    assert str(info.value) == (
        "in 'a + b', cannot add an energy (GWh) to a power (GW); both sides need the same dimension"
    )


def test_log_of_a_dimensional_quantity_is_refused():
    with pytest.raises(UnitError) as info:
        parse_formula("log(a)").evaluate({"a": Q_(1, "GW")})
    assert str(info.value) == (
        "log() takes a pure number, but its argument is a power (GW); "
        "divide it by a quantity of the same unit first"
    )


def test_python_float_division_by_zero_is_an_evaluation_error():
    with pytest.raises(EvaluationError) as info:
        parse_formula("a / b").evaluate({"a": Q_(1, "GW"), "b": Q_(0, "")})
    assert str(info.value) == "formula 'a / b' divides by zero in 'a / b'"


def test_unknown_name_at_evaluation_suggests_names():
    with pytest.raises(UnknownNameError) as info:
        parse_formula("rack_cout * 2").evaluate({"rack_count": Q_(1, "rack")})
    assert str(info.value) == (
        "formula 'rack_cout * 2' uses 'rack_cout', which is not defined; did you mean 'rack_count'?"
    )
    assert isinstance(info.value, KeyError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "max(a, c)",
            "in 'max(a, c)', the arguments of max() need the same dimension, but "
            "they are a power (GW) and money (USD)",
        ),
        (
            "min(a, 2, c)",
            "in 'min(a, 2, c)', the arguments of min() need the same dimension, "
            "but they are a power (GW), a pure number and money (USD)",
        ),
    ],
)
def test_min_and_max_over_different_dimensions_name_each_argument(text, expected):
    with pytest.raises(UnitError) as caught:
        parse_formula(text).evaluate({"a": Q_(1.0, "GW"), "c": Q_(5.0, "USD")})
    assert str(caught.value) == expected


def test_exponent_names_are_the_names_inside_a_power_s_exponent():
    assert parse_formula("a * b ** (n + m) / c ** 2").exponent_names == {"n", "m"}
    assert parse_formula("(a ** n) ** 2 + max(x, y ** k)").exponent_names == {"n", "k"}
    assert parse_formula("planned_power / pue").exponent_names == frozenset()


def test_a_display_unit_is_folded_into_the_smaller_operand():
    """A column times a row (or over a number) comes out in the unit asked for, the
    factor applied to the column, not to the grid: equal to converting after (#17)."""
    from calc.units.registry import ureg

    column = Q_(np.linspace(1.0, 2.0, 300)[:, None], "GW")
    row = Q_(np.linspace(0.5, 1.0, 300)[None, :])
    values = {"a": column, "b": row, "c": Q_(3.0, "kW")}
    for text, unit in [("a * b", "TWh/yr"), ("b / a", "1/TW"), ("a * b / c", "percent")]:
        formula = parse_formula(text)
        folded = formula.evaluate(values, ureg.Unit(unit))
        assert folded.units == ureg.Unit(unit)
        after = formula.evaluate(values).to(unit).magnitude
        np.testing.assert_allclose(folded.magnitude, after, rtol=1e-15)
    small = {"a": Q_(np.linspace(1.0, 2.0, 3)[:, None], "GW"), "b": row[:, :3]}
    assert parse_formula("a * b").evaluate(small, ureg.Unit("TWh/yr")).units == ureg.Unit("GW")
    other = parse_formula("a * b").evaluate(values, ureg.Unit("USD"))  # another dimension
    assert other.units == ureg.Unit("GW")


def test_conversion_factor_is_pint_s_own_and_none_where_there_is_none():
    from calc.units.registry import conversion_factor, ureg

    gw, energy = ureg.Unit("GW"), ureg.Unit("TWh/yr")
    samples = np.array([0.1, 1.0, 3.7, 1234.5])
    assert (samples * conversion_factor(gw, energy)).tolist() == (
        Q_(samples, "GW").to(energy).magnitude.tolist()
    )
    assert conversion_factor(gw, ureg.Unit("USD")) is None  # another dimension
    assert conversion_factor(ureg.Unit("K"), ureg.Unit("degC")) is None  # an offset
