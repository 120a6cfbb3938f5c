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
