"""One-line arithmetic: the rewrite into the formula language, results, errors, ``calc eval``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import EvaluationError, ExpressionError, UnitError
from calc.lang.arith import evaluate_expression, rewrite_expression
from calc.units.display import format_quantity
from calc.units.registry import Q_

runner = CliRunner()
LANGUAGE = (
    "; expressions use numbers with units ('30 GW', '$1.4 trillion', '120 kW per rack'), "
    "+ - * / ** (or ^), parentheses and the functions abs, exp, log, max, min, sqrt"
)


def shown(text: str, to: str | None = None) -> str:
    return format_quantity(evaluate_expression(text, to=to))


# --- results ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.4 trillion USD / 30 GW", "46.7 billion USD/GW"),
        ("$1.4 trillion / 30 gigawatts", "46.7 billion USD/GW"),
        ("1.4 trillion dollars / 30 GW", "46.7 billion USD/GW"),
        ("30 GW / 25 million U.S. homes", "1.2 kW/home"),
        ("30 GW / 25 million US homes", "1.2 kW/home"),
        ("30 GW / 120 kW per rack", "250,000 racks"),
        ("30 GW / 120 kW/rack", "250,000 racks"),
        ("250,000 racks * 72 GPU/rack", "18 million GPUs"),
        ("$1.4 trillion / 13.8 million GPUs", "101,449 USD/GPU"),
        ("1 GW / 13.8 million GPUs", "72.5 W/GPU"),
        ("10,791 kWh/yr/home", "10,791 kWh/home/yr"),
        ("30 GW * 8760 h", "263 TWh"),
        ("30 GW * 0.8 * 1 yr", "210 TWh"),
        ("10 kWh / 5 h", "2 kW"),
        ("1.2 kW/home * 25 million homes", "30 GW"),
        ("210 TWh/yr / 3927 TWh/yr", "0.0535"),
        ("5% * 30 GW", "1.5 GW"),
        ("5% + 3%", "8 %"),
        ("-5 GW + 10 GW", "5 GW"),
        ("30 GW \u2212 5 GW", "25 GW"),
        ("30 GW \u00d7 2", "60 GW"),
        ("2^10", "1,024"),
        ("100 m^2 * 3 m", "300 m\u00b3"),
        ("max(30 GW, 40 GW)", "40 GW"),
        ("max(1,2)", "2"),
        ("120 min", "120 min"),
        ("(1.4 trillion USD) / (30 GW)", "46.7 billion USD/GW"),
        ("1.4 trillion USD/30 GW", "46.7 billion USD/GW"),
        ("1.4e12 USD / 3e1 GW", "46.7 billion USD/GW"),
    ],
)
def test_results_in_readable_units(text, expected):
    assert shown(text) == expected


@pytest.mark.parametrize(
    ("text", "to", "expected"),
    [
        ("1.4 trillion USD / 30 GW", "million USD/MW", "46.7 million USD/MW"),
        ("1.4 trillion USD / 30 GW", "USD/W", "46.7 USD/W"),
        ("30 GW / 25 million homes", "kWh/yr/home", "10,512 kWh/home/yr"),
        ("210 TWh/yr / 3927 TWh/yr", "percent", "5.35 %"),
        ("1.4 trillion USD / 30 GW to million USD/MW", None, "46.7 million USD/MW"),
        ("2 h in min", None, "120 min"),
        ("2 h in min", "s", "120 min"),  # the expression's own 'in' wins
    ],
)
def test_conversion(text, to, expected):
    assert shown(text, to) == expected


def test_results_are_folded_quantities():
    assert evaluate_expression("$1.4 trillion / 30 GW", to="billion USD/GW") == Q_(
        1.4e12 / 30, "USD/GW"
    )
    assert str(evaluate_expression("$1.4 trillion").units) == "USD"


@given(st.floats(min_value=1e-3, max_value=1e9), st.floats(min_value=1e-3, max_value=1e9))
def test_a_result_does_not_depend_on_the_units_typed(power, homes):
    in_gw = evaluate_expression(f"{power!r} GW / {homes!r} million homes", to="W/home")
    in_mw = evaluate_expression(
        f"{power * 1000!r} MW / {homes * 1000!r} thousand homes", to="W/home"
    )
    assert in_gw.magnitude == pytest.approx(power * 1e9 / (homes * 1e6), rel=1e-9)
    assert in_mw.magnitude == pytest.approx(in_gw.magnitude, rel=1e-9)


# --- the rewrite --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "formula", "values"),
    [
        ("1.4 trillion USD / 30 GW", "notation_0_ / notation_1_", ["1.4e+12 USD", "30 GW"]),
        ("$1.4 trillion / 30 gigawatts", "notation_0_ / notation_1_", ["1.4e+12 USD", "30 GW"]),
        ("25 million U.S. homes", "notation_0_", ["2.5e+07 home"]),
        ("120 kW per rack", "notation_0_", ["120 kW/rack"]),
        ("10,791 kWh/yr/home", "notation_0_", ["1.079e+04 kWh/home/yr"]),
        ("5%", "notation_0_", ["5 %"]),
        ("100 m^2", "notation_0_", ["100 m²"]),
        ("2 s^-1", "notation_0_", ["2 1/s"]),
        ("-5 GW", "-notation_0_", ["5 GW"]),
        ("2 * -3 GW", "2 * -notation_0_", ["3 GW"]),
        ("max(30 GW, 2)", "max(notation_0_, 2)", ["30 GW"]),
        ("30 min", "notation_0_", ["30 min"]),
        ("USD / GW", "USD / GW", ["1 USD", "1 GW"]),
        ("30 GW to kW", "notation_0_", ["30 GW"]),
        ("2^10", "2 ** 10", []),
    ],
)
def test_article_notation_is_read_by_the_one_reader_into_the_formula(text, formula, values):
    """Each value in article notation is read by calc.units.notation's reader (#12) and
    stands in the formula as one name; units alone and plain numbers stay as written."""
    rewrite = rewrite_expression(text)
    assert rewrite.text == formula
    assert [f"{v.magnitude:.4g} {v.units:~P}".strip() for v in rewrite.values.values()] == values


def test_the_rewrite_remembers_where_each_character_came_from():
    rewrite = rewrite_expression("1.4 trillion USD / 30 GW")
    start = rewrite.text.index("notation_1_")
    assert rewrite.original(start, len(rewrite.text)) == "30 GW"
    assert rewrite.column(start + 1) == 20


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "1.4 trillion USD /",
            "expression '1.4 trillion USD /' at column 19 (near the end): the expression ends "
            "with '/'; give a value after it",
        ),
        (
            "1.4 trillion USD // 30 GW",
            "expression '1.4 trillion USD // 30 GW' at column 19 (near '/ 30 GW'): '/' needs a "
            "value before it",
        ),
        ("30 GW * (2", "expression '30 GW * (2' at column 9 (near '(2'): this '(' is never closed"),
        ("30 GW)", "expression '30 GW)' at column 6 (near ')'): ')' has no matching '('"),
        (
            "2 GW 3 GW",
            "expression '2 GW 3 GW' at column 6 (near '3 GW'): '3' follows a value with no "
            "operator between them; write one such as '*' or '/'",
        ),
        (
            "30 GW, 40 GW",
            "expression '30 GW, 40 GW' at column 6 (near ', 40 GW'): ',' separates a function's "
            "arguments, as in max(30 GW, 40 GW); elsewhere write numbers without spaces after "
            "their thousands separators",
        ),
        (
            "30 gw",
            "expression '30 gw' at column 4 (near 'gw'): 'gw' is not a unit calc knows; did you "
            "mean 'GW' or 'GWh' or 'W'?",
        ),
        (
            "sqr(4 m^2)",
            "expression 'sqr(4 m^2)' at column 1 (near 'sqr(4 m^2)'): 'sqr' is not a function "
            "(did you mean 'sqrt'?); the functions are abs, exp, log, max, min, sqrt",
        ),
        (
            "max",
            "expression 'max' at column 1 (near 'max'): 'max' is a function; call it with "
            "its arguments in parentheses, as in max(30 GW, 40 GW)",
        ),
        (
            "30 GW to",
            "expression '30 GW to' at column 7 (near 'to'): 'to' converts: give the "
            "unit after it, as in '30 GW to MW'",
        ),
        (
            "30 GW to kWx",
            "expression '30 GW to kWx' at column 10 (near 'kWx'): 'kWx' is not a unit (unknown "
            "unit 'kWx'); after 'to' give the unit to convert to, such as 'kW/home' or "
            "'billion USD/GW'",
        ),
        (
            "$ GW",
            "expression '$ GW' at column 3 (near 'GW'): '$' must be followed by a number, "
            "as in '$1.4 trillion'",
        ),
        ("% 5", "expression '% 5' at column 1 (near '% 5'): '%' must follow a number, as in '5%'"),
        (
            "5 of 30 GW",
            "expression '5 of 30 GW' at column 3 (near 'of 30 GW'): 'of' multiplies only "
            "after a share, as in '5% of 30 GW' or 'half of 30 GW'; otherwise write an "
            "operator such as '*' or '/'",
        ),
        (
            "5%/yr of 30 GW",
            "expression '5%/yr of 30 GW' at column 7 (near 'of 30 GW'): 'of' multiplies only "
            "after a share, as in '5% of 30 GW' or 'half of 30 GW'; otherwise write an "
            "operator such as '*' or '/'",
        ),
        (
            "5% of",
            "expression '5% of' at column 6 (near the end): the expression ends with 'of'; "
            "give a value after it",
        ),
        (
            "x.y",
            "expression 'x.y' at column 2 (near '.y'): '.' is not part of an expression" + LANGUAGE,
        ),
        (
            "__import__(2)",
            "expression '__import__(2)' at column 1 (near '__import__'): '__import__' is not a "
            "function; the functions are abs, exp, log, max, min, sqrt",
        ),
        (
            "open('x')",
            'expression "open(\'x\')" at column 6 (near "\'x\')"): "\'" is not part '
            "of an expression" + LANGUAGE,
        ),
        ("10**100", "'10**100' raises to the power 100 at column 5; exponents are at most 64"),
        ("", "the expression is empty; write one such as '1.4 trillion USD / 30 GW'"),
        ("1 " * 201, "the expression is 402 characters long; at most 400 are allowed on one line"),
    ],
)
def test_a_malformed_expression_points_at_the_column(text, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate_expression(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "1.4 trillion USD + 30 GW",
            "in '1.4 trillion USD + 30 GW', cannot add a power (GW) to money (USD); both sides "
            "need the same dimension",
        ),
        (
            "(30 GW - 5 GWh) * 2",
            "in '30 GW - 5 GWh', cannot subtract an energy (GWh) from a power (GW); both sides "
            "need the same dimension",
        ),
        (
            "2 ** 30 GW",
            "in '2 ** 30 GW', the exponent must be a pure number and, when the base has a unit, "
            "a plain number literal; the base is a pure number and the exponent a power (GW)",
        ),
        (
            "max(30 GW, $5)",
            "in 'max(30 GW, $5)', the arguments of max() need the same dimension, but they are a "
            "power (GW) and money (USD)",
        ),
        (
            "log(30 GW)",
            "log() takes a pure number, but its argument is a power (GW); divide it by a "
            "quantity of the same unit first",
        ),
        (
            "30 GW in kWh",
            "'30 GW in kWh' is 30 GW, a power; it cannot be shown in 'kWh', an energy",
        ),
    ],
)
def test_a_dimension_error_names_each_operands_dimension(text, message):
    with pytest.raises(UnitError) as caught:
        evaluate_expression(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 GW / 0", "'1 GW / 0' divides by zero in '1 GW / 0'"),
        (
            "1e308 * 1e308",
            "'1e308 * 1e308' is not a finite number; check for a zero divisor "
            "or a value out of range",
        ),
    ],
)
def test_values_that_cannot_be_computed(text, message):
    with pytest.raises(EvaluationError) as caught:
        evaluate_expression(text)
    assert str(caught.value) == message


# --- the command line ---------------------------------------------------------


def test_eval_prints_the_result():
    result = runner.invoke(app, ["eval", "1.4 trillion USD / 30 GW"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "46.7 billion USD/GW\n", "")


def test_eval_takes_several_expressions_and_a_unit():
    result = runner.invoke(
        app,
        [
            "eval",
            "$1.4 trillion / 30 gigawatts",
            "46.7 billion USD/GW * 1 GW",
            "--to",
            "million USD/MW",
        ],
    )
    assert result.exit_code == 2
    assert result.stdout == "46.7 million USD/MW\n"
    assert result.stderr == (
        "calc: '46.7 billion USD/GW * 1 GW' is 46.7 billion USD, money; "
        "it cannot be shown in 'million USD/MW', a cost per unit of "
        "power\n"
    )


def test_eval_reads_standard_input_one_expression_a_line():
    lines = "1.4 trillion USD / 30 GW\n\n# a comment\n30 GW / 25 million homes\n"
    result = runner.invoke(app, ["eval"], input=lines)
    assert (result.exit_code, result.stdout) == (0, "46.7 billion USD/GW\n1.2 kW/home\n")
    dash = runner.invoke(app, ["eval", "30 GW * 8760 h", "-"], input=lines)
    assert dash.stdout == "263 TWh\n46.7 billion USD/GW\n1.2 kW/home\n"


def test_eval_goes_on_after_a_bad_line_and_exits_2():
    result = runner.invoke(app, ["eval"], input="30 GW +\n30 GW * 2\n1 GW + 1 USD\n")
    assert result.exit_code == 2
    assert result.stdout == "60 GW\n"
    assert result.stderr == (
        "calc: <stdin>:1: expression '30 GW +' at column 8 (near the end): the expression "
        "ends with '+'; give a value after it\n"
        "calc: <stdin>:3: in '1 GW + 1 USD', cannot add money (USD) to a power (GW); both "
        "sides need the same dimension\n"
    )
    assert "Traceback" not in result.output


def test_eval_accepts_an_expression_that_starts_with_a_minus():
    result = runner.invoke(app, ["eval", "-5 GW + 10 GW"])
    assert (result.exit_code, result.stdout) == (0, "5 GW\n")


def test_eval_with_a_bad_unit_for_to_exits_2_before_reading_anything():
    result = runner.invoke(app, ["eval", "1 GW", "--to", "kWx"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "calc: --to: 'kWx' is not a unit (unknown unit 'kWx'); give one "
        "such as 'kW/home', 'billion USD/GW' or 'TWh/yr'\n"
    )


def test_eval_debug_raises():
    result = runner.invoke(app, ["--debug", "eval", "1 GW + 1 USD"])
    assert type(result.exception).__name__ == "UnitError"


def test_eval_refuses_an_expression_the_shell_split_into_words():
    result = runner.invoke(app, ["eval", "1.4", "trillion", "USD", "/", "30", "GW"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "calc: the expression was split into several arguments by the shell (it treats each "
        "word as one); quote it whole: calc eval '1.4 trillion USD / 30 GW'\n"
    )


def test_eval_says_it_is_waiting_when_standard_input_is_a_terminal(monkeypatch):
    import io

    import typer

    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(typer, "get_binary_stream", lambda name: Terminal(b"30 GW * 2\n"))
    result = runner.invoke(app, ["eval"])
    assert (result.exit_code, result.stdout) == (0, "60 GW\n")
    assert result.stderr == "calc eval: reading expressions, one a line; end with Ctrl-D\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # percent arithmetic as a person reads it (#21)
        ("5% * 30 GW", "1.5 GW"),
        ("50% + 10%", "60 %"),
        ("50% - 60%", "-10 %"),
        ("0.6 * 100%", "60 %"),
        ("50% * 50%", "25 %"),
        ("30% ^ 2", "9 %"),
        ("sqrt(25%)", "50 %"),
        ("1 / 50%", "2"),
        ("20% / 5%", "4"),
        ("2 * 30%", "60 %"),
        ("1 + 5%", "1.05"),
    ],
)
def test_percent_arithmetic_reads_as_a_person_expects(text, expected):
    assert shown(text) == expected
    result = runner.invoke(app, ["eval", text])
    assert (result.exit_code, result.output) == (0, expected + "\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5% of 30 GW", "1.5 GW"),
        ("5 percent of 30 GW", "1.5 GW"),
        ("5 per cent of $1.4 trillion", "70 billion USD"),
        ("-5% of 30 GW", "-1.5 GW"),
        ("half of 30 GW", "15 GW"),
        ("12.5% of 30 GW to MW", "3,750 MW"),
        ("5% of (30 GW + 10 GW)", "2 GW"),
    ],
)
def test_a_share_of_a_quantity_multiplies_it(text, expected):
    """'5% of 30 GW' is 1.5 GW: calc eval suggested 'ozf' for 'of' (#18)."""
    result = runner.invoke(app, ["eval", text])
    assert (result.exit_code, result.output) == (0, expected + "\n")
