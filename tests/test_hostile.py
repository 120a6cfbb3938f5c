"""Hostile input: scenario files and expressions cannot run code or exhaust the machine.

Each case must be refused with a located message, exit 2 and nothing run. How quickly is
measured by bench/hostile.py (tests check behaviour, not time).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.errors import CalcError

runner = CliRunner()
MARKER = "calc-hostile-marker"


def _file(tmp_path: Path, text: str | bytes, name: str = "h.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _derived(formula: str) -> str:
    return ("title: h\ninputs:\n  a:\n    value: 2\n    kind: reference\n"
            "    source: time-to-botec\nderived:\n  b:\n"
            f"    formula: {formula!r}\n    unit: dimensionless\n")


def _refused(path: Path, expected: str) -> str:
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"calc: {path}")
    assert expected in result.stderr, result.stderr
    return result.stderr


FORMULAS = [
    ("__import__('os').system('touch " + MARKER + "')", "not a function name"),
    ("a.__class__", "attribute access"),
    ("a.__class__.__mro__[1].__subclasses__()", "not a function name"),
    ("__builtins__", "names may not begin with '_'"),
    ("open('/etc/passwd')", "calls the unknown function 'open'"),
    ("eval('1')", "calls the unknown function 'eval'"),
    ("exec('import os')", "calls the unknown function 'exec'"),
    ("(lambda: 1)()", "a call of something that is not a function name"),
    ("[x for x in (1, 2)][0]", "indexing"),
    ("{1: 2}", "a dict"),
    ("a if a else a", "'if'/'else'"),
    ("10**10**10", "stacks powers"),
    ("a ** 100000", "raises to the power 100000"),
    ("(" * 500 + "a" + ")" * 500, "nests parentheses 500 deep"),
    ("-" * 1500 + "a", "is nested more than 40 deep"),
    ("a + " * 600 + "a", "characters long"),
    ("f'{a}'", "an f-string"),
    ("a := 1", "malformed"),
]


@pytest.mark.parametrize(("formula", "expected"), FORMULAS, ids=[f[1] for f in FORMULAS])
def test_formulas_cannot_run_code(tmp_path, formula, expected, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _refused(_file(tmp_path, _derived(formula)), expected)
    assert not (tmp_path / MARKER).exists()


YAML_CASES = [
    ("title: !!python/object/apply:os.system ['touch " + MARKER + "']\ninputs: {}\n",
     "could not determine a constructor for the tag"),
    ("title: !!python/name:os.system\ninputs: {}\n", "could not determine a constructor"),
    ("title: x\ninputs: !!python/object:calc.scenario.Scenario {}\n",
     "could not determine a constructor"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]\n"
               for i in range(1, 9)), "expands to more than 100,000 values"),
    ("title: x\ninputs: " + "[" * 100_000 + "]" * 100_000 + "\n", "nests more than 32 levels"),
    ("title: x\ninputs: " + "[" * 1_100 + "]" * 1_100 + "\n", "nests more than 32 levels"),
    ("title: x\ninputs: " + "{a: " * 40 + "1" + "}" * 40 + "\n", "nests more than 32 levels"),
    ("title: x\ninputs:\n  " + "n" * 200 + ":\n    value: 1\n    kind: reference\n"
     "    source: time-to-botec\n", "is not a usable name"),
    ("title: x\ninputs:\n  " + "n" * 10_000 + ":\n    value: 1\n", "is not valid YAML"),
    ("title: x\ninputs:\n  a:\n    value: 9**9**9 GW\n    kind: reference\n"
     "    source: time-to-botec\n", "exponents in units are plain numbers"),
    ("title: x\ninputs:\n  a:\n    value: 1e999 GW\n    kind: reference\n"
     "    source: time-to-botec\n", "is not a finite number"),
]


@pytest.mark.parametrize(("text", "expected"), YAML_CASES,
                         ids=["apply", "name", "object", "laughs", "deep", "deep-past-libyaml",
                              "deep-mapping", "long-name",
                              "huge-key", "unit-tower", "infinite"])
def test_yaml_cannot_run_code_or_explode(tmp_path, text, expected, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _refused(_file(tmp_path, text), expected)
    assert not (tmp_path / MARKER).exists()


def test_an_enormous_file_is_refused_unread(tmp_path):
    path = _file(tmp_path, "title: x\n# " + "x" * 2_000_000 + "\n")
    _refused(path, "is 2,000,012 bytes; scenario files are at most 1,000,000 bytes")


def test_nul_bytes_and_text_that_is_not_utf8(tmp_path):
    _refused(_file(tmp_path, b"title: x\x00\ninputs: {}\n"),
             ":1: contains a NUL byte; it is not a text file")
    _refused(_file(tmp_path, b"title: caf\xe9\ninputs: {}\n", "latin.yaml"),
             ": is not UTF-8 text (byte 10); save it as UTF-8")


EVAL_CASES = [
        ("__import__('os')", "calc: "),
        ("().__class__", "'.' is not part of an expression"),
        ("10**10**10", "stacks powers"),
        ("9**9**9 W", "stacks powers"),
        ("(" * 100 + "1" + ")" * 100, "nests parentheses"),
        ("1" * 5000, "characters long"),
        ("1e308 * 10 W", "is not a finite number"),
]


@pytest.mark.parametrize(("expression", "expected"), EVAL_CASES)
def test_eval_refuses_hostile_expressions(expression, expected):
    result = runner.invoke(app, ["eval", expression])
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.output


# --- numerical safety ---------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "value", "message"),
    [
        ("a / (a - a)", "2", "b = a / (a - a) is infinite, from a = 2; check for a zero "
                             "divisor or a value out of range"),
        ("a * a", "1e300", "b = a * a is infinite, from a = 1e300; check for a zero divisor "
                           "or a value out of range"),
        ("log(a)", "-2", "b = log(a) is not a number (NaN), from a = -2; check for a zero "
                         "divisor or a value out of range"),
        ("sqrt(a)", "-1", "b = sqrt(a) is not a number (NaN), from a = -1; check for a zero "
                          "divisor or a value out of range"),
        ("exp(a)", "1000", "b = exp(a) is infinite, from a = 1,000; check for a zero divisor "
                           "or a value out of range"),
    ],
)
def test_non_finite_results_are_errors_naming_formula_and_values(tmp_path, formula, value,
                                                                   message):
    text = _derived(formula).replace("value: 2", f"value: {value}")
    stderr = _refused(_file(tmp_path, text), message)
    # the words say what happened; no 'nan' or 'inf' is printed as if it were a value
    assert not re.search(r"\b(nan|inf)\b", stderr.replace("(NaN)", ""), re.IGNORECASE)


def test_a_sampled_zero_divisor_is_caught_too(tmp_path):
    text = ("title: h\ninputs:\n  a:\n    value: 1\n    distribution: {type: mixture, "
            "components: [0, 1], weights: [0.5, 0.5]}\n    kind: reference\n"
            "    source: time-to-botec\nderived:\n  b:\n    formula: 1 / a\n"
            "    unit: dimensionless\n")
    path = _file(tmp_path, text)
    scenario = calc.load_scenario(path)
    with pytest.raises(CalcError, match=r"b = 1 / a is infinite"):
        scenario.evaluate(samples=1000, seed=0)


def test_an_empty_mixture(tmp_path):
    text = ("title: h\ninputs:\n  a:\n    distribution: {type: mixture, components: [], "
            "weights: []}\n    kind: reference\n    source: time-to-botec\n")
    _refused(_file(tmp_path, text), "a mixture needs at least one component")


def test_eval_of_a_value_near_the_float_limit():
    """Found by bench/fuzz.py: 1e308 kW overflowed when re-prefixed to watts."""
    result = runner.invoke(app, ["eval", "1e308kW"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "1e308 kW\n"


def test_a_unit_factor_past_a_float_is_an_error_or_left_as_is(tmp_path):
    """Found by bench/fuzz.py: kW**64 overflowed inside pint's root-unit factor."""
    result = runner.invoke(app, ["eval", "kW**64"])
    assert (result.exit_code, result.stdout) == (0, "1 kW\u2076\u2074\n")
    text = ("title: t\ninputs:\n  a:\n    value: 1 YW\n    kind: reference\n"
            "    source: time-to-botec\nderived:\n  b:\n    formula: a ** 20\n"
            "    unit: W**12 * W**8\n")
    _refused(_file(tmp_path, text), "derived.b.formula: b = a ** 20 overflows: a value or "
             "unit factor is beyond the largest number a float holds; use smaller units or "
             "exponents")


# --- wrong results that passed silently (#19, class 5) -------------------------


def _input(value: str, extra: str = "") -> str:
    return ("title: h\ninputs:\n  a:\n    value: " + value + "\n    kind: reference\n"
            "    source: time-to-botec\n" + extra)


SILENT_VALUES = [
    (_input(".nan"), "inputs.a.value: 'nan' is not a finite number"),
    (_input("-.inf"), "inputs.a.value: '-inf' is not a finite number"),
    (_input(".INF"), "inputs.a.value: 'inf' is not a finite number"),
    (_input("1.0e+400"), "inputs.a.value: 'inf' is not a finite number"),
    (_input("1e400 GW"), "inputs.a.value: '1e400 GW' is not a finite number"),
    (_input("1e300 trillion USD"), "inputs.a.value: '1e300 trillion USD' is not a finite number"),
    (_input("1" + "0" * 400), "is not a finite number"),
    (_input("1", "    range: [.nan, 2]\n"), "inputs.a.range: range: 'nan' is not a finite"),
    (_input("1", "    range: [1, .inf]\n"), "inputs.a.range: range: 'inf' is not a finite"),
    (_input("1", "    distribution: {type: uniform, low: 0, high: .nan}\n"),
     "'nan' is not a finite number"),
    (_input("1:30"), "inputs.a.value: '1:30' is not a number as written"),
    (_input("1:30:00"), "inputs.a.value: '1:30:00' is not a number as written"),
    (_input("012"), "inputs.a.value: '012' has a number with a leading zero, which some "
                    "programs read as octal; write it as 12, without the zero"),
    (_input("-007 GW"), "write it as 7, without the zero"),
    (_input("0x1F"), "inputs.a.value: '0x1F' is not a number as written"),
    (_input("0o17"), "inputs.a.value: '0o17' is not a number as written"),
    (_input("0b101"), "inputs.a.value: '0b101' is not a number as written"),
    (_input("1_000"), "inputs.a.value: '1_000' is not a number as written"),
    (_input("1.2.3"), "inputs.a.value: '1.2.3' is not a number as written"),
    (_input("!!int 012"), "'012' is not a decimal number"),
    (_input("!!float 1:30"), "'1:30' is not a decimal number"),
    (_input("30 GW 5"), "'30 GW 5' does not parse as a quantity (a number stands among the "
                        "units)"),
    (_input("'1 2'"), "'1 2' does not parse as a quantity (a number stands among the units)"),
    (_input("GW"), "'GW' does not start with a number"),
    (_input("1", "    range: [012, 20]\n"), "range: '012' has a number with a leading zero"),
    (_input("1", "    range: ['1:30', 2]\n"), "range: '1:30' is not a number as written"),
]


@pytest.mark.parametrize(("text", "expected"), SILENT_VALUES,
                         ids=[e[:24] + f"-{i}" for i, (_, e) in enumerate(SILENT_VALUES)])
def test_a_number_that_is_not_read_as_written_is_refused(tmp_path, text, expected):
    _refused(_file(tmp_path, text), expected)


TOLERANCES = [("5", "5 would be 500%: for 5% write '5%' or 0.05"),
              ("1.5", "1.5 would be 150%: for 1.5% write '1.5%' or 0.015"),
              ("'150%'", "'150%' is not a tolerance"), ("-0.1", "-0.1 is not a tolerance"),
              (".nan", "nan is not a tolerance"), ("'5 GW'", "'5 GW' is not a tolerance")]


@pytest.mark.parametrize(("tolerance", "expected"), TOLERANCES)
def test_a_tolerance_above_100_percent_is_refused(tmp_path, tolerance, expected):
    text = _input("1", "claims:\n  c:\n    text: t\n    claimed: a\n    implied: a\n"
                       f"    tolerance: {tolerance}\n")
    stderr = _refused(_file(tmp_path, text), expected)
    assert "claims.c.tolerance: " in stderr
    assert "give a fraction from 0 to 1 such as 0.1, or a percentage up to 100% such as " \
           "'10%'" in stderr


@pytest.mark.parametrize("tolerance", ["1", "'100%'", "0", "'0.5%'", "0.25"])
def test_a_tolerance_up_to_100_percent_is_kept(tmp_path, tolerance):
    text = _input("1", "claims:\n  c:\n    text: t\n    claimed: a\n    implied: a\n"
                       f"    tolerance: {tolerance}\n")
    assert runner.invoke(app, ["check", str(_file(tmp_path, text))]).exit_code == 0


@pytest.mark.parametrize(("command", "value"), [
    (["run"], "homes_equivalent=-5 homes"),
    (["run"], "homes_equivalent=-1e-9 homes"),
    (["check"], "homes_equivalent=-25 million U.S. homes"),
    (["run"], "homes_equivalent=-0.5 thousand homes"),
])
def test_set_refuses_a_negative_count_as_the_loader_does(command, value):
    result = runner.invoke(app, [*command, "--set", value, "-n", "0"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("calc: homes_equivalent='-")
    assert result.stderr.endswith("is a negative count of homes; a count is zero or more\n")


def test_vary_refuses_a_negative_count_too():
    result = runner.invoke(app, ["sweep", "--vary", "homes_equivalent=-5:5:3 homes",
                                 "--output", "per_home_load"])
    assert result.exit_code == 2
    assert "is a negative count of homes; a count is zero or more" in result.stderr


@pytest.mark.parametrize("arguments", [
    ["30", "GW"], ["1.4", "trillion", "USD"], ["$1.4", "trillion"],
    ["25", "million", "homes"], ["30 GW", "in MW"], ["30", "GW/home"],
])
def test_eval_refuses_an_expression_the_shell_split_at_spaces(arguments):
    result = runner.invoke(app, ["eval", *arguments])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("calc: the expression was split into several arguments")


@pytest.mark.parametrize(("expression", "expected"), [
    ("30 GW per", "at column 7 (near 'per'): 'per' needs a unit after it"),
    ("30 per per GW", "at column 4 (near 'per per GW'): 'per' needs a unit after it"),
    ("30 GW per + 5 GW", "at column 7 (near 'per + 5 GW'): 'per' needs a unit after it"),
    ("(30 GW per) * 2", "'per' needs a unit after it"),
    ("30 GW in", "at column 7 (near 'in'): 'in' at the end converts to no unit"),
    ("012 GW", "'012' has a leading zero, which some programs read as octal"),
    ("30 GW / 007 homes", "'007' has a leading zero"),
])
def test_eval_refuses_a_dangling_word_or_an_octal_looking_number(expression, expected):
    result = runner.invoke(app, ["eval", expression])
    assert (result.exit_code, result.stdout) == (2, "")
    assert expected in result.stderr


# --- quotes: "verified" means the article says it (#19, class 1) ------------------


def _stated(value: str, quote: str) -> str:
    return (f"title: h\ncatalogue: {CATALOGUE}\ninputs:\n  a:\n    value: {value}\n"
            f"    kind: stated\n    source: seed-003\n    quote: {quote!r}\n")


CATALOGUE = Path(__file__).resolve().parent.parent / "seeds" / "catalogue.yaml"
QUOTES = [
    ("4 trillion USD", "4 trillion to develop 30 gigawatts", "the words '4 trillion to develop "
     "30 gigawatts' were not found"),
    ("0 GW", "0 gigawatts", "the words '0 gigawatts' were not found"),
    ("3 GW", "to develop 3", "the words 'to develop 3' were not found"),
    ("1 GW", " ", "quote ' ' is too short to verify"),
    ("1 GW", "\u2026", "is too short to verify"),
    ("1 GW", "$", "is too short to verify"),
    ("30 GW", "30", "is too short to verify"),
    ("106 homes", "10\u2076 homes", "the words '10\u2076 homes' were not found"),
    ("$4 trillion", "plans to invest $1.4 trillion", "the value 4 trillion USD is not what the "
     "quote states ('$1.4 trillion')"),
    ("$14 trillion", "plans to invest $1.4 trillion", "the value 14 trillion USD is not what"),
    ("30 GWh", "to develop 30 gigawatts", "the value 30 GWh is not what the quote states "
     "('30 gigawatts')"),
    ("5 million homes", "25 million U.S. homes", "the value 5 million homes is not what"),
    ("$5 billion", "OpenAI CEO Sam Altman", "the quote states no figure, so it cannot support "
     "the value 5 billion USD"),
]


@pytest.mark.parametrize(("value", "quote", "expected"), QUOTES,
                         ids=[f"{v}|{q}"[:30] for v, q, _ in QUOTES])
def test_a_quote_verifies_only_what_the_article_says(tmp_path, value, quote, expected):
    stderr = _refused(_file(tmp_path, _stated(value, quote)), expected)
    assert ":8: inputs.a.quote: " in stderr
