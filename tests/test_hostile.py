"""Hostile input: scenario files and expressions cannot run code or exhaust the machine.

Each case must be refused with a located message, exit 2 and nothing run. How quickly is
measured by bench/hostile.py (tests check behaviour, not time).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.errors import CalcError
from calc.io.catalogue import load_catalogue
from calc.io.yamlfile import echo

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
    return (
        "title: h\ninputs:\n  a:\n    value: 2\n    kind: reference\n"
        "    source: time-to-botec\nderived:\n  b:\n"
        f"    formula: {formula!r}\n    unit: dimensionless\n"
    )


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
    (
        "title: !!python/object/apply:os.system ['touch " + MARKER + "']\ninputs: {}\n",
        "could not determine a constructor for the tag",
    ),
    ("title: !!python/name:os.system\ninputs: {}\n", "could not determine a constructor"),
    (
        "title: x\ninputs: !!python/object:calc.scenario.Scenario {}\n",
        "could not determine a constructor",
    ),
    (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]\n"
            for i in range(1, 9)
        ),
        "expands to more than 100,000 values",
    ),
    ("title: x\ninputs: " + "[" * 100_000 + "]" * 100_000 + "\n", "nests more than 32 levels"),
    ("title: x\ninputs: " + "[" * 1_100 + "]" * 1_100 + "\n", "nests more than 32 levels"),
    ("title: x\ninputs: " + "{a: " * 40 + "1" + "}" * 40 + "\n", "nests more than 32 levels"),
    (
        "title: x\ninputs:\n  " + "n" * 200 + ":\n    value: 1\n    kind: reference\n"
        "    source: time-to-botec\n",
        "is not a usable name",
    ),
    ("title: x\ninputs:\n  " + "n" * 10_000 + ":\n    value: 1\n", "is not valid YAML"),
    (
        "title: x\ninputs:\n  a:\n    value: 9**9**9 GW\n    kind: reference\n"
        "    source: time-to-botec\n",
        "exponents in units are plain numbers",
    ),
    (
        "title: x\ninputs:\n  a:\n    value: 1e999 GW\n    kind: reference\n"
        "    source: time-to-botec\n",
        "is not a finite number",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    YAML_CASES,
    ids=[
        "apply",
        "name",
        "object",
        "laughs",
        "deep",
        "deep-past-libyaml",
        "deep-mapping",
        "long-name",
        "huge-key",
        "unit-tower",
        "infinite",
    ],
)
def test_yaml_cannot_run_code_or_explode(tmp_path, text, expected, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _refused(_file(tmp_path, text), expected)
    assert not (tmp_path / MARKER).exists()


def test_an_enormous_file_is_refused_unread(tmp_path):
    path = _file(tmp_path, "title: x\n# " + "x" * 2_000_000 + "\n")
    _refused(path, "is 2,000,012 bytes; scenario files are at most 1,000,000 bytes")


def test_nul_bytes_and_text_that_is_not_utf8(tmp_path):
    _refused(
        _file(tmp_path, b"title: x\x00\ninputs: {}\n"),
        ":1: contains a NUL byte; it is not a text file",
    )
    _refused(
        _file(tmp_path, b"title: caf\xe9\ninputs: {}\n", "latin.yaml"),
        ": is not UTF-8 text (byte 10); save it as UTF-8",
    )


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
        (
            "a / (a - a)",
            "2",
            "b = a / (a - a) is infinite, from a = 2; check for a zero "
            "divisor or a value out of range",
        ),
        (
            "a * a",
            "1e300",
            "b = a * a is infinite, from a = 1e300; check for a zero divisor "
            "or a value out of range",
        ),
        (
            "log(a)",
            "-2",
            "b = log(a) is not a number (NaN), from a = -2; check for a zero "
            "divisor or a value out of range",
        ),
        (
            "sqrt(a)",
            "-1",
            "b = sqrt(a) is not a number (NaN), from a = -1; check for a zero "
            "divisor or a value out of range",
        ),
        (
            "exp(a)",
            "1000",
            "b = exp(a) is infinite, from a = 1,000; check for a zero divisor "
            "or a value out of range",
        ),
    ],
)
def test_non_finite_results_are_errors_naming_formula_and_values(tmp_path, formula, value, message):
    text = _derived(formula).replace("value: 2", f"value: {value}")
    stderr = _refused(_file(tmp_path, text), message)
    # the words say what happened; no 'nan' or 'inf' is printed as if it were a value
    assert not re.search(r"\b(nan|inf)\b", stderr.replace("(NaN)", ""), re.IGNORECASE)


def test_a_sampled_zero_divisor_is_caught_too(tmp_path):
    text = (
        "title: h\ninputs:\n  a:\n    value: 1\n    distribution: {type: mixture, "
        "components: [0, 1], weights: [0.5, 0.5]}\n    kind: reference\n"
        "    source: time-to-botec\nderived:\n  b:\n    formula: 1 / a\n"
        "    unit: dimensionless\n"
    )
    path = _file(tmp_path, text)
    scenario = calc.load_scenario(path)
    with pytest.raises(CalcError, match=r"b = 1 / a is infinite"):
        scenario.evaluate(samples=1000, seed=0)


def test_an_empty_mixture(tmp_path):
    text = (
        "title: h\ninputs:\n  a:\n    distribution: {type: mixture, components: [], "
        "weights: []}\n    kind: reference\n    source: time-to-botec\n"
    )
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
    text = (
        "title: t\ninputs:\n  a:\n    value: 1 YW\n    kind: reference\n"
        "    source: time-to-botec\nderived:\n  b:\n    formula: a ** 20\n"
        "    unit: W**12 * W**8\n"
    )
    _refused(
        _file(tmp_path, text),
        "derived.b.formula: b = a ** 20 overflows: a value or "
        "unit factor is beyond the largest number a float holds; use smaller units or "
        "exponents",
    )


# --- wrong results that passed silently (#19, class 5) -------------------------


def _input(value: str, extra: str = "") -> str:
    return (
        "title: h\ninputs:\n  a:\n    value: " + value + "\n    kind: reference\n"
        "    source: time-to-botec\n" + extra
    )


SILENT_VALUES = [
    (_input(".nan"), "inputs.a.value: 'nan' is not a finite number"),
    (_input("-.inf"), "inputs.a.value: '-inf' is not a finite number"),
    (_input(".INF"), "inputs.a.value: 'inf' is not a finite number"),
    (_input("1.0e+400"), "inputs.a.value: 'inf' is not a finite number"),
    (_input("1e400 GW"), "inputs.a.value: '1e400 GW' is not a finite number"),
    (_input("1e300 trillion USD"), "inputs.a.value: '1e300 trillion USD' is not a finite number"),
    (_input("1" + "0" * 400), "the number of about 401 digits is longer than 40 digits"),
    (_input("1", "    range: [.nan, 2]\n"), "inputs.a.range: range: 'nan' is not a finite"),
    (_input("1", "    range: [1, .inf]\n"), "inputs.a.range: range: 'inf' is not a finite"),
    (
        _input("1", "    distribution: {type: uniform, low: 0, high: .nan}\n"),
        "'nan' is not a finite number",
    ),
    (_input("1:30"), "inputs.a.value: '1:30' is not a number as written"),
    (_input("1:30:00"), "inputs.a.value: '1:30:00' is not a number as written"),
    (
        _input("012"),
        "inputs.a.value: '012' has a number with a leading zero, which some "
        "programs read as octal; write it as 12, without the zero",
    ),
    (_input("-007 GW"), "write it as 7, without the zero"),
    (_input("0x1F"), "inputs.a.value: '0x1F' is not a number as written"),
    (_input("0o17"), "inputs.a.value: '0o17' is not a number as written"),
    (_input("0b101"), "inputs.a.value: '0b101' is not a number as written"),
    (_input("1_000"), "inputs.a.value: '1_000' is not a number as written"),
    (_input("1.2.3"), "inputs.a.value: '1.2.3' is not a number as written"),
    (_input("!!int 012"), "'012' is not a decimal number"),
    (_input("!!float 1:30"), "'1:30' is not a decimal number"),
    (_input("30 GW 5"), "'30 GW 5' does not parse as a quantity (a number stands among the units)"),
    (_input("'1 2'"), "'1 2' does not parse as a quantity (a number stands among the units)"),
    (_input("GW"), "'GW' does not start with a number"),
    (_input("1", "    range: [012, 20]\n"), "range: '012' has a number with a leading zero"),
    (_input("1", "    range: ['1:30', 2]\n"), "range: '1:30' is not a number as written"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    SILENT_VALUES,
    ids=[e[:24] + f"-{i}" for i, (_, e) in enumerate(SILENT_VALUES)],
)
def test_a_number_that_is_not_read_as_written_is_refused(tmp_path, text, expected):
    _refused(_file(tmp_path, text), expected)


TOLERANCES = [
    ("5", "5 would be 500%: for 5% write '5%' or 0.05"),
    ("1.5", "1.5 would be 150%: for 1.5% write '1.5%' or 0.015"),
    ("'150%'", "'150%' is not a tolerance"),
    ("-0.1", "-0.1 is not a tolerance"),
    (".nan", "nan is not a tolerance"),
    ("'5 GW'", "'5 GW' is not a tolerance"),
]


@pytest.mark.parametrize(("tolerance", "expected"), TOLERANCES)
def test_a_tolerance_above_100_percent_is_refused(tmp_path, tolerance, expected):
    text = _input(
        "1",
        f"claims:\n  c:\n    text: t\n    claimed: a\n    implied: a\n    tolerance: {tolerance}\n",
    )
    stderr = _refused(_file(tmp_path, text), expected)
    assert "claims.c.tolerance: " in stderr
    assert (
        "give a fraction from 0 to 1 such as 0.1, or a percentage up to 100% such as "
        "'10%'" in stderr
    )


@pytest.mark.parametrize("tolerance", ["1", "'100%'", "0", "'0.5%'", "0.25"])
def test_a_tolerance_up_to_100_percent_is_kept(tmp_path, tolerance):
    text = _input(
        "1",
        f"claims:\n  c:\n    text: t\n    claimed: a\n    implied: a\n    tolerance: {tolerance}\n",
    )
    assert runner.invoke(app, ["check", str(_file(tmp_path, text))]).exit_code == 0


@pytest.mark.parametrize(
    ("command", "value"),
    [
        (["run"], "homes_equivalent=-5 homes"),
        (["run"], "homes_equivalent=-1e-9 homes"),
        (["check"], "homes_equivalent=-25 million U.S. homes"),
        (["run"], "homes_equivalent=-0.5 thousand homes"),
    ],
)
def test_set_refuses_a_negative_count_as_the_loader_does(command, value):
    result = runner.invoke(app, [*command, "--set", value, "-n", "0"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("calc: homes_equivalent='-")
    assert result.stderr.endswith("is a negative count of homes; a count is zero or more\n")


def test_vary_refuses_a_negative_count_too():
    result = runner.invoke(
        app, ["sweep", "--vary", "homes_equivalent=-5:5:3 homes", "--of", "per_home_load"]
    )
    assert result.exit_code == 2
    assert "is a negative count of homes; a count is zero or more" in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["30", "GW"],
        ["1.4", "trillion", "USD"],
        ["$1.4", "trillion"],
        ["25", "million", "homes"],
        ["30 GW", "in MW"],
        ["30", "GW/home"],
    ],
)
def test_eval_refuses_an_expression_the_shell_split_at_spaces(arguments):
    result = runner.invoke(app, ["eval", *arguments])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("calc: the expression was split into several arguments")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("30 GW per", "at column 7 (near 'per'): 'per' needs a unit after it"),
        ("30 per per GW", "at column 4 (near 'per per GW'): 'per' needs a unit after it"),
        ("30 GW per + 5 GW", "at column 7 (near 'per + 5 GW'): 'per' needs a unit after it"),
        ("(30 GW per) * 2", "'per' needs a unit after it"),
        ("30 GW in", "at column 7 (near 'in'): 'in' at the end converts to no unit"),
        ("012 GW", "'012' has a leading zero, which some programs read as octal"),
        ("30 GW / 007 homes", "'007' has a leading zero"),
    ],
)
def test_eval_refuses_a_dangling_word_or_an_octal_looking_number(expression, expected):
    result = runner.invoke(app, ["eval", expression])
    assert (result.exit_code, result.stdout) == (2, "")
    assert expected in result.stderr


# --- quotes: "verified" means the article says it (#19, class 1) ------------------


def _stated(value: str, quote: str) -> str:
    return (
        f"title: h\ncatalogue: {CATALOGUE}\ninputs:\n  a:\n    value: {value}\n"
        f"    kind: stated\n    source: seed-003\n    quote: {quote!r}\n"
    )


CATALOGUE = Path(__file__).resolve().parent.parent / "seeds" / "catalogue.yaml"
QUOTES = [
    (
        "4 trillion USD",
        "4 trillion to develop 30 gigawatts",
        "the words '4 trillion to develop 30 gigawatts' were not found",
    ),
    ("0 GW", "0 gigawatts", "the words '0 gigawatts' were not found"),
    ("3 GW", "to develop 3", "the words 'to develop 3' were not found"),
    ("1 GW", " ", "quote ' ' is too short to verify"),
    ("1 GW", "\u2026", "is too short to verify"),
    ("1 GW", "$", "is too short to verify"),
    ("30 GW", "30", "is too short to verify"),
    ("106 homes", "10\u2076 homes", "the words '10\u2076 homes' were not found"),
    (
        "$4 trillion",
        "plans to invest $1.4 trillion",
        "the value 4 trillion USD is not what the quote states ('$1.4 trillion')",
    ),
    ("$14 trillion", "plans to invest $1.4 trillion", "the value 14 trillion USD is not what"),
    (
        "30 GWh",
        "to develop 30 gigawatts",
        "the value 30 GWh is not what the quote states ('30 gigawatts')",
    ),
    ("5 million homes", "25 million U.S. homes", "the value 5 million homes is not what"),
    (
        "$5 billion",
        "OpenAI CEO Sam Altman",
        "the quote states no figure, so it cannot support the value 5 billion USD",
    ),
]


@pytest.mark.parametrize(
    ("value", "quote", "expected"), QUOTES, ids=[f"{v}|{q}"[:30] for v, q, _ in QUOTES]
)
def test_a_quote_verifies_only_what_the_article_says(tmp_path, value, quote, expected):
    stderr = _refused(_file(tmp_path, _stated(value, quote)), expected)
    assert ":8: inputs.a.quote: " in stderr


# --- input at fault, never exit 3 (#19, class 6) ----------------------------------


@pytest.mark.parametrize(
    ("also", "expected"),
    [
        (
            "[TWh]",
            "derived.b.also[0]: 'TWh' is an energy, but b is shown in GW, a power; give a "
            "unit of the same kind, or remove it",
        ),
        ("[MW, USD]", "derived.b.also[1]: 'USD' is money, but b is shown in GW, a power"),
        ("[kWh]", "'kWh' is an energy, but b is shown in GW"),
        ("[GW/home]", "'GW/home' is a power per home, but b is shown in GW"),
    ],
)
def test_a_further_unit_of_another_dimension_is_refused(tmp_path, also, expected):
    text = _input("2 GW", f"derived:\n  b:\n    formula: a * 2\n    unit: GW\n    also: {also}\n")
    _refused(_file(tmp_path, text), expected)


def test_a_further_unit_of_the_same_dimension_is_kept(tmp_path):
    text = _input(
        "2 GW", "derived:\n  b:\n    formula: a * 2\n    unit: GW\n    also: [MW, TWh/yr]\n"
    )
    result = runner.invoke(app, ["run", str(_file(tmp_path, text))])
    assert result.exit_code == 0 and "4 GW (4,000 MW, 35 TWh/yr)" in result.stdout, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["run", "-n", "100"],
        ["run", "-n", "0"],
        ["check", "-n", "100"],
        ["sensitivity", "scenarios/openai-30gw.yaml", "rack_count"],
        ["report", "-n", "100"],
    ],
)
@pytest.mark.parametrize("seed", ["-1", "-99999999999999999999"])
def test_a_negative_seed_is_refused(command, seed, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = runner.invoke(app, [*command, "--seed", seed])
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        f"calc: the random seed must be a whole number from 0 up, not "
        f"{seed}; for example --seed 0\n"
    )


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_a_library_seed_is_checked_too(seed):
    with pytest.raises(CalcError, match=r"^the random seed must be a whole number from 0 up"):
        calc.load_scenario(calc.default_scenario()).evaluate(samples=10, seed=seed)


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["sweep", "--vary", "pue=1.1:1.5:3", "--of", "it_power"], "grid.txt"),
        (["sweep", "--vary", "pue=1.1:1.5:3", "--of", "it_power"], "grid.png.bak"),
        (["run", "-n", "100"], "h.docx"),
        (["sensitivity", "scenarios/openai-30gw.yaml", "rack_count"], "t.html"),
    ],
)
def test_a_plot_format_matplotlib_cannot_write_is_refused_before_any_work(
    tmp_path, command, name, monkeypatch
):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    target, csv = tmp_path / name, tmp_path / "grid.csv"
    extra = ["-o", str(csv)] if command[0] == "sweep" else []
    result = runner.invoke(app, [*command, *extra, "--plot", str(target)])
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    suffix = target.suffix
    assert result.stderr.startswith(
        f"calc: {target}: cannot draw a plot as '{suffix}'; give a file name ending in "
    )
    assert ".png" in result.stderr and ".svg" in result.stderr
    assert not target.exists() and not csv.exists()


@pytest.mark.parametrize(
    "title", ["Cost $\\\\foo$ per GW", "From $1 to $5 billion", "$\\\\frac{1}{0}$", "$$", "a $^$ b"]
)
@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["sweep", "--vary", "pue=1.1:1.5:3", "--of", "it_power"], "g.png"),
        (["run", "-n", "200"], "h.svg"),
        (["sensitivity", "rack_count"], "t.pdf"),
    ],
)
def test_a_title_is_drawn_as_plain_text_not_mathtext(variant, tmp_path, title, command, name):
    path = variant(("title: OpenAI's 30 GW, $1.4 trillion build-out", f'title: "{title}"'))
    args = [command[0], str(path), *command[1:], "--plot", str(tmp_path / name)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 1000


def test_a_figure_s_titles_and_labels_are_plain_text(seed_scenario):
    from calc.analysis.sweeps import evaluate_grid
    from calc.render.plots import sweep_figure

    drawn = sweep_figure(evaluate_grid(seed_scenario, {"pue": "1.1:1.5:3"}, ["it_power"]))
    ax = drawn.axes[0]
    texts = [drawn._suptitle, ax.title, ax.xaxis.label, ax.yaxis.label]
    assert [t.get_parse_math() for t in texts] == [False] * 4


# --- messages never show a parser's internals (#19, class 7) -----------------------

#: Exception class names from pint, tokenize, ast and PyYAML that a message leaked.
INTERNALS = re.compile(
    r"AssertionError|TokenError|DefinitionSyntaxError|ValueError|TypeError|"
    r"KeyError|SyntaxError|Exception|Traceback|EOF in multi-line|"
    r"\(\d+, \d+\)\)"
)
BAD_VALUES = [
    "30 GW per",
    "1 +",
    "GW /",
    "3 (GW",
    "30 GW)",
    "1 * / GW",
    "5 GW ** ",
    "1 kW//h",
    "1 GW GW /",
    "2 [GW]",
    "1 GW,",
    "1 GW;",
    "1 GW @ 2",
]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_malformed_value_is_refused_in_calc_s_own_words(tmp_path, value):
    stderr = _refused(_file(tmp_path, _input(repr(value))), f"inputs.a.value: {value!r}")
    assert not INTERNALS.search(stderr), stderr
    result = runner.invoke(app, ["run", "-n", "0", "--set", f"pue={value}"])
    assert result.exit_code == 2 and not INTERNALS.search(result.stderr), result.stderr


@pytest.mark.parametrize(
    "expression",
    [*BAD_VALUES, "012", "1 2 3", "(((", "30 GW to (", "30 GW to kW//h", "$", "max(", "max(1,"],
)
def test_a_malformed_expression_is_refused_in_calc_s_own_words(expression):
    result = runner.invoke(app, ["eval", expression])
    assert result.exit_code == 2, result.output
    assert not INTERNALS.search(result.stderr), result.stderr


# --- files: catalogues, seeds and extends (#19) -------------------------------------

_SEED_ENTRY = "    title: T\n    publisher: P\n    date: 2025-01-02\n"


def _project(
    tmp_path: Path,
    *,
    file: str = "a.txt",
    url: str | None = None,
    article: bytes = b"The site draws 30 MW of power.\n",
) -> Path:
    """A catalogue with one seed, its article, and a scenario quoting it; the scenario."""
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "a.txt").write_bytes(article)
    link = f"    url: {url!r}\n" if url is not None else ""
    (seeds / "catalogue.yaml").write_text(
        f"seeds:\n  s1:\n    file: {file!r}\n{_SEED_ENTRY}{link}", encoding="utf-8"
    )
    return _file(
        tmp_path,
        "title: t\ninputs:\n  power:\n    value: 30 MW\n    kind: stated\n"
        "    source: s1\n    quote: 30 MW of power\n",
        "s.yaml",
    )


BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:x",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "vbscript:msgbox",
    "ftp://example.org/a",
    "http:/example.org",
    "https://",
    "//example.org/a",
    "example.org",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_catalogue_links_only_to_http_and_https(tmp_path, url):
    path = _project(tmp_path, url=url)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {tmp_path / 'seeds' / 'catalogue.yaml'}:7: seeds.s1.url: {url!r} is not a web "
        "address; a catalogue links only to http:// and https:// addresses: give the "
        "document's web address, or leave 'url' out\n"
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:,x"])
def test_a_reference_url_is_checked_too(tmp_path, url):
    catalogue = _file(
        tmp_path,
        f"references:\n  r1:\n    publisher: P\n    title: T\n"
        f"    url: {url!r}\n    date: 2024-01-02\n    grade: P\n",
        "c.yaml",
    )
    with pytest.raises(CalcError, match=r":5: references\.r1\.url: .* is not a web address"):
        load_catalogue(catalogue)


@pytest.mark.parametrize("url", ["http://example.org", "HTTPS://www.EIA.gov/a?b=c#d"])
def test_web_links_are_kept(tmp_path, url):
    path = _project(tmp_path, url=url)
    assert calc.load_scenario(path).catalogue.sources["s1"].url == url


def _outside(tmp_path: Path) -> str:
    (tmp_path / "secret.txt").write_text("The site draws 30 MW of power.\n", encoding="utf-8")
    return str(tmp_path / "secret.txt")


def _link_out(tmp_path: Path) -> str:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "inside.txt").symlink_to(_outside(tmp_path))
    return "inside.txt"


def _sub(tmp_path: Path) -> bool:
    (tmp_path / "seeds" / "sub").mkdir(parents=True, exist_ok=True)
    return True


ESCAPES = [
    ("absolute", _outside),
    ("etc-passwd", lambda tmp_path: "/etc/passwd"),
    ("dot-dot", lambda tmp_path: _outside(tmp_path) and "../secret.txt"),
    (
        "dot-dot-inside-path",
        lambda tmp_path: _outside(tmp_path) and _sub(tmp_path) and "sub/../../secret.txt",
    ),
    ("symlink-out", _link_out),
]


@pytest.mark.parametrize("escape", [e[1] for e in ESCAPES], ids=[e[0] for e in ESCAPES])
def test_a_seed_file_outside_the_catalogue_folder_is_refused(tmp_path, escape):
    file = escape(tmp_path)
    path = _project(tmp_path, file=file)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {tmp_path / 'seeds' / 'catalogue.yaml'}:3: seeds.s1.file: {echo(file)} is outside "
        f"the catalogue's folder ({tmp_path / 'seeds'}); keep seed articles in that folder "
        "(copy the article there), or, for a catalogue you trust, pass --allow-outside-seeds "
        "(allow_outside=True in Python)\n"
    )


@pytest.mark.parametrize(
    "escape",
    [e[1] for e in ESCAPES if e[0] != "etc-passwd"],
    ids=[e[0] for e in ESCAPES if e[0] != "etc-passwd"],
)
def test_an_explicit_option_allows_seeds_outside(tmp_path, escape):
    path = _project(tmp_path, file=escape(tmp_path))
    assert calc.load_scenario(path, allow_outside=True).evaluate()["power"].magnitude == 30
    for command in (["run"], ["check"], ["report"], ["sources"], ["explain"]):
        args = [
            *command,
            str(path),
            *(["power"] if command == ["explain"] else []),
            "--allow-outside-seeds",
        ]
        assert runner.invoke(app, args).exit_code == 0, args


@pytest.mark.parametrize("file", ["a.txt", "./a.txt", "sub/../a.txt"])
def test_a_seed_file_inside_the_folder_is_accepted(tmp_path, file):
    (tmp_path / "seeds" / "sub").mkdir(parents=True)
    assert calc.load_scenario(_project(tmp_path, file=file)).evaluate()["power"].magnitude == 30


SECRETS = [
    ("passwd", "root:x:0:0:SECRET-root:/root:/bin/bash\ndaemon:x:1:1:SECRET:/usr/sbin\n"),
    ("one-long-line", "SECRET" * 1000 + "\n"),
    ("a-list", "- SECRET-1\n- SECRET-2\n"),
    ("a-number", "12345678901234567890\n"),
]


@pytest.mark.parametrize("content", [s[1] for s in SECRETS], ids=[s[0] for s in SECRETS])
def test_a_catalogue_path_to_another_file_never_prints_its_content(tmp_path, content):
    secret = _file(tmp_path, content, "passwd")
    path = _file(
        tmp_path,
        f"title: t\ncatalogue: {secret}\ninputs:\n  a:\n    value: 1\n"
        "    kind: reference\n    source: x\n",
        "s.yaml",
    )
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {secret}:1: is not a source catalogue: expected a mapping with 'seeds' and "
        "'references' at the top level; check the 'catalogue' path\n"
    )


def test_an_echoed_value_is_cut_short(tmp_path):
    catalogue = _file(
        tmp_path,
        f"seeds:\n  s1:\n    file: a.txt\n{_SEED_ENTRY}    colour: " + "x" * 5000 + "\n",
        "c.yaml",
    )
    with pytest.raises(CalcError) as caught:
        load_catalogue(catalogue)
    assert str(caught.value) == (
        f"{catalogue}:7: seeds.s1.colour: is not a known field (value "
        f"'{'x' * 55}...' (5,000 characters)); check its spelling or remove it"
    )


SEED_TEXTS = [
    ("windows-1252", "\u201c30 MW\u201d of power".encode("cp1252"), 0, 0x93),
    ("latin-1", "caf\u00e9: 30 MW of power".encode("latin-1"), 3, 0xE9),
    ("utf-16", "30 MW of power".encode("utf-16"), 0, 0xFF),
    ("late-byte", b"The site draws 30 MW of power." + b"\x80", 30, 0x80),
]


@pytest.mark.parametrize(
    ("raw", "at", "byte"), [t[1:] for t in SEED_TEXTS], ids=[t[0] for t in SEED_TEXTS]
)
def test_a_seed_article_that_is_not_utf8_is_exit_2_with_the_fix(tmp_path, raw, at, byte):
    path = _project(tmp_path, article=raw)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"calc: {tmp_path / 'seeds' / 'catalogue.yaml'}:2: seeds.s1.file: the text of seed s1 "
        f"(a.txt) is not UTF-8 text (byte {at} is {byte:#04x}; "
        "Windows-1252 or Latin-1?); save the article as UTF-8, e.g. iconv -f cp1252 -t utf-8\n"
    )


def _seed_node(kind: str, folder: Path) -> None:
    target = folder / "seeds" / "a.txt"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "too-long":
        with target.open("wb") as stream:
            stream.truncate(2_000_001)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is a FIFO (named pipe), not a regular file; give the path of a file"),
        ("folder", "is a folder, not a regular file; give the path of a file"),
        ("too-long", "is 2,000,001 bytes; articles are at most 2,000,000 bytes"),
    ],
)
def test_a_seed_article_that_is_not_a_bounded_regular_file_is_refused(tmp_path, kind, message):
    path = _project(tmp_path)
    _seed_node(kind, tmp_path)
    result = _run_process(["run", str(path)])
    assert result.returncode == 2, result.stderr
    assert result.stderr.endswith(f"the text of seed s1 (a.txt) {message}\n")


def test_a_seed_of_dev_zero_is_refused_unread(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "zero.txt").symlink_to("/dev/zero")
    path = _project(tmp_path, file="zero.txt")
    result = _run_process(["run", str(path), "--allow-outside-seeds"])
    assert result.returncode == 2
    assert result.stderr.endswith(
        "zero.txt) is a character device, not a regular file; give the path of a file\n"
    )


DUPLICATES = [
    (
        "inputs-twice",
        "title: t\ninputs:\n  a: {value: 1, kind: reference, source: time-to-botec}"
        "\ninputs:\n  b: {value: 2, kind: reference, source: time-to-botec}\n",
        4,
        "inputs",
        "the key 'inputs' appears twice in one mapping, on lines 2 and 4",
    ),
    (
        "value-twice",
        "title: t\ninputs:\n  a:\n    value: 1\n    kind: reference\n    value: 2\n"
        "    source: time-to-botec\n",
        6,
        "inputs.a.value",
        "the key 'value' appears twice in one mapping, on lines 4 and 6",
    ),
    (
        "flow",
        "title: t\ninputs: {a: {value: 1, value: 2, kind: reference, source: time-to-botec}}\n",
        2,
        "inputs.a.value",
        "the key 'value' appears twice in one mapping, on lines 2 and 2",
    ),
    (
        "quoted-and-plain",
        "title: t\n'title': u\ninputs: {}\n",
        2,
        "title",
        "the key 'title' appears twice in one mapping, on lines 1 and 2",
    ),
    (
        "input-name",
        "title: t\ninputs:\n  a: {value: 1, kind: reference, source: time-to-botec}"
        "\n  b: {value: 1, kind: reference, source: time-to-botec}\n"
        "  a: {value: 9, kind: reference, source: time-to-botec}\n",
        5,
        "inputs.a",
        "the key 'a' appears twice in one mapping, on lines 3 and 5",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [d[1:] for d in DUPLICATES],
    ids=[d[0] for d in DUPLICATES],
)
def test_a_duplicate_key_is_refused_naming_both_lines(tmp_path, text, line, field, message):
    path = _file(tmp_path, text)
    _refused(
        path,
        f"calc: {path}:{line}: {field}: {message}; YAML would keep only the last, "
        "dropping the first: merge the two or rename one\n",
    )


def test_a_duplicate_seed_in_a_catalogue_is_refused(tmp_path):
    catalogue = _file(
        tmp_path,
        f"seeds:\n  s1:\n    file: a.txt\n{_SEED_ENTRY}  s1:\n    file: b.txt\n{_SEED_ENTRY}",
        "c.yaml",
    )
    with pytest.raises(CalcError) as caught:
        load_catalogue(catalogue)
    assert str(caught.value).startswith(
        f"{catalogue}:7: seeds.s1: the key 's1' appears twice in one mapping, on lines 2 and 7"
    )


def _chain(tmp_path: Path, length: int) -> Path:
    base = "inputs:\n  a: {value: 1, kind: reference, source: time-to-botec}\n"
    _file(tmp_path, "title: v0\n" + base, "v0.yaml")
    for i in range(1, length):
        _file(tmp_path, f"title: v{i}\nextends: v{i - 1}.yaml\n", f"v{i}.yaml")
    return tmp_path / f"v{length - 1}.yaml"


@pytest.mark.parametrize("length", [17, 1_000])
def test_a_long_chain_of_extends_is_refused(tmp_path, length):
    result = runner.invoke(app, ["run", str(_chain(tmp_path, length))])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {tmp_path / f'v{length - 16}.yaml'}:2: extends: extends a "
        "chain of more than 16 files; a variant extends a base, a few files "
        "deep: shorten the chain\n"
    )


def test_a_chain_of_sixteen_files_loads(tmp_path):
    assert calc.load_scenario(_chain(tmp_path, 16)).evaluate()["a"].magnitude == 1


def test_an_extends_loop_through_symbolic_links_is_refused(tmp_path):
    _file(tmp_path, "title: a\nextends: b.yaml\n", "a.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    _refused(tmp_path / "a.yaml", "'b.yaml' extends back into itself (a.yaml -> a.yaml)")


def test_extends_of_a_link_to_itself_is_refused(tmp_path):
    _file(tmp_path, "title: a\nextends: loop.yaml\n", "a.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    _refused(tmp_path / "a.yaml", "'loop.yaml' is not a file (looked for")


# --- streams and processes (#19) ----------------------------------------------------


def _run_process(args: list[str | bytes], **kw) -> subprocess.CompletedProcess[str]:
    """`python -m calc ARGS` in a fresh process, as the shell would run it."""
    kw = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
    return subprocess.run(
        [sys.executable, "-m", "calc", *args], text=True, timeout=120, check=False, **kw
    )


STDOUT_COMMANDS = [["eval", "1 GW"], ["report"], ["schema"], ["explain", "rack_count"]]


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=[a[0] for a in STDOUT_COMMANDS])
def test_a_full_stdout_is_reported_not_a_crash(args):
    with open("/dev/full", "w") as full:
        result = _run_process(args, stdout=full)
    assert result.returncode == 2
    assert result.stderr == (
        "calc: cannot write to standard output (No space left on device); "
        "free some space, or redirect the output to a file that can be "
        "written\n"
    )


@pytest.mark.parametrize("args", STDOUT_COMMANDS[:3], ids=[a[0] for a in STDOUT_COMMANDS[:3]])
def test_a_closed_stdout_is_reported_and_exits_non_zero(args):
    result = _run_process(args, stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert result.stderr == (
        "calc: cannot write to standard output (standard output is "
        "closed); redirect the output to a file that can be written\n"
    )


def test_a_closed_stdin_is_reported():
    result = _run_process(["eval"], preexec_fn=lambda: os.close(0))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "calc: standard input is closed, so there is no expression to "
        "read; give one as an argument: calc eval '30 GW / 25 million "
        "homes'\n"
    )


STDIN_BYTES = [
    ("invalid-start", b"\xff\n", 1, 1),
    ("latin-1", b"1 GW\n\xe9 W\n", 2, 1),
    ("lone-continuation", b"2 GW\n\n3 \x80GW\n", 3, 3),
    ("overlong", b"\xc0\xaf\n", 1, 1),
    ("surrogate", b"1 \xed\xa0\x80 W\n", 1, 3),
]


@pytest.mark.parametrize(
    ("data", "line", "byte"), [b[1:] for b in STDIN_BYTES], ids=[b[0] for b in STDIN_BYTES]
)
def test_stdin_that_is_not_utf8_is_exit_2(data, line, byte):
    result = subprocess.run(
        [sys.executable, "-m", "calc", "eval"],
        input=data,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"calc: <stdin>:{line}: is not UTF-8 text (byte {byte} of "
        "the line); give expressions as UTF-8\n"
    )


@pytest.mark.parametrize("source", ["/dev/zero", "long-line"])
def test_stdin_without_line_ends_is_read_in_bounded_lines(tmp_path, source):
    if source == "long-line":
        source = str(_file(tmp_path, "1 " + "0" * 20_000 + " GW\n", "long.txt"))
    with open(source, "rb") as stream:
        result = _run_process(["eval"], stdin=stream)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "calc: <stdin>:1: the line is longer than 10,000 bytes; give one expression a line\n"
    )


def test_a_home_that_cannot_be_written_is_not_an_error(tmp_path):
    home = _file(tmp_path, "not a folder", "home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    result = _run_process(["eval", "1 GW"], env={**env, "HOME": str(home)})
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 GW\n", "")


@pytest.mark.parametrize("name", [b"\xff.yaml", b"caf\xe9\x80"])
def test_a_file_name_that_is_not_utf8_is_exit_2(tmp_path, name):
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as stream:
        stream.write(b"title: x\ninputs: [\n")
    for args in ([b"run", path], [b"schema", b"-o", path + b".missing/x.json"]):
        result = subprocess.run(
            [sys.executable, "-m", "calc", *args], capture_output=True, timeout=120, check=False
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(b"calc: ") and b"internal error" not in result.stderr


# --- resources: budgets before allocating (#19) -------------------------------------


def _wide(tmp_path: Path, quantities: int) -> Path:
    lines = [
        "title: wide",
        "inputs:",
        "  x0: {value: 1, kind: reference, source: time-to-botec, range: [0.5, 2]}",
        "derived:",
    ]
    lines += [f"  d{i}: {{formula: x0 * {i + 1}, unit: '1'}}" for i in range(quantities - 1)]
    return _file(tmp_path, "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("quantities", "samples", "need", "most"),
    [
        (400, 5_000_000, "24.0 GB", "833,333"),
        (2, 50_000_000, "1.2 GB", None),
        (40, 9_000_000, "4.3 GB", "8,333,333"),
    ],
)
def test_samples_past_the_memory_budget_are_refused_before_drawing(
    tmp_path, quantities, samples, need, most
):
    path = _wide(tmp_path, quantities)
    result = runner.invoke(app, ["run", str(path), "--samples", str(samples)])
    if most is None:  # within the budget: not refused (checked, not run: it takes a while)
        from calc.domain.budget import MEMORY_BUDGET, array_memory

        assert array_memory(samples, quantities) <= MEMORY_BUDGET
        return
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {samples:,} samples of {quantities} quantities need about {need} of memory "
        f"({samples:,} x {quantities} x 8 bytes x 1.5); the limit is {most} samples (4.0 GB): "
        "ask for fewer with --samples\n"
    )


def test_sensitivity_is_bounded_by_the_same_budget(tmp_path):
    path = _wide(tmp_path, 400)
    result = runner.invoke(app, ["sensitivity", str(path), "d1", "--samples", "5000000"])
    assert result.exit_code == 2 and "need about 24.0 GB of memory" in result.stderr


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        (
            "pue=1:2:300000000",
            "--vary pue='1:2:300000000' asks for 300,000,000 points; a swept "
            "input takes at most 10,000,000: use fewer steps",
        ),
        ("pue=1:2:10000001", "asks for 10,000,001 points"),
        ("pue=1:2:" + "9" * 30, "asks for " + f"{int('9' * 30):,}" + " points"),
    ],
)
def test_a_sweep_range_is_counted_before_it_is_allocated(vary, message):
    result = runner.invoke(app, ["sweep", "--vary", vary, "-y", "it_power"])
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_sweep_grid_past_the_memory_budget_is_refused(tmp_path):
    path = _wide(tmp_path, 400)
    result = runner.invoke(app, ["sweep", str(path), "--vary", "x0=1:2:1000000", "-y", "d1"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "calc: 1,000,000 grid points of 400 quantities need about 4.8 GB of memory"
    )


def test_explain_of_a_deep_chain_stops_drawing_at_64_levels(tmp_path):
    lines = [
        "title: chain",
        "inputs:",
        "  x0: {value: 1, kind: reference, source: time-to-botec}",
        "derived:",
    ]
    lines += [f"  x{i}: {{formula: x{i - 1} + 1, unit: '1'}}" for i in range(1, 3_000)]
    path = _file(tmp_path, "\n".join(lines) + "\n")
    text = str(calc.load_scenario(path).evaluate().explain("x2999"))
    assert f"... the tree is cut here, 64 levels deep; explain x{2999 - 64} to go on" in text
    assert max(len(line) for line in text.splitlines()) < 3 * 64 + 120
    assert len(text) < 100_000


@pytest.mark.parametrize("name", [b"\xe9t\xe9.txt", b"\xff"])
@pytest.mark.parametrize("inside", [True, False], ids=["in-seeds", "elsewhere"])
def test_an_article_whose_name_is_not_utf8_is_scaffolded_under_a_utf8_name(tmp_path, name, inside):
    (tmp_path / "seeds").mkdir()
    folder = os.fsencode(tmp_path / "seeds" if inside else tmp_path)
    article = os.path.join(folder, name)
    with open(article, "wb") as stream:
        stream.write(b"The site draws 30 MW of power.\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "calc",
            "extract",
            article,
            "--scaffold",
            os.fsencode(tmp_path / "s.yaml"),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    copy = name.decode("utf-8", "replace").replace("\ufffd", "_")
    assert calc.load_scenario(tmp_path / "s.yaml").evaluate()["power"].magnitude == 30
    assert (
        load_catalogue(tmp_path / "seeds" / "catalogue.yaml")
        .sources["seed-" + (copy.rsplit(".", 1)[0].strip("_") or "article")]
        .file.name
        == copy
    )


def test_a_report_holding_a_name_that_is_not_utf8_is_exit_2(tmp_path):
    from calc.io.files import write_text_atomic

    name = b"caf\xe9".decode("utf-8", "surrogateescape")
    with pytest.raises(CalcError) as caught:
        write_text_atomic(tmp_path / "out.md", f"# {name}\n")
    assert str(caught.value) == (
        f"cannot write {tmp_path / 'out.md'}: the text holds a file "
        "name that is not UTF-8, which a UTF-8 file cannot hold; rename "
        "the file (e.g. with convmv) and run again"
    )
    assert list(tmp_path.iterdir()) == []


# --- code execution: pint's pickle cache (#19) --------------------------------------


class _Payload:
    """Unpickling this runs a command: what a planted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_planted_in_the_user_cache_folder_is_never_loaded(tmp_path):
    import pickle
    from importlib import resources

    import pint

    cache = tmp_path / "cache"
    registry = pint.UnitRegistry(cache_folder=cache / "pint", on_redefinition="ignore")
    registry.load_definitions(str(resources.files("calc.units").joinpath("units.txt")))
    planted = sorted((cache / "pint").glob("*.pickle"))
    assert planted  # pint wrote its cache where calc used to read it
    marker = tmp_path / MARKER
    for path in planted:
        path.write_bytes(pickle.dumps(_Payload(marker)))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "HOME": str(tmp_path)}
    result = _run_process(["eval", "1 GW"], env=env)
    assert (result.returncode, result.stdout) == (0, "1 GW\n")
    assert not marker.exists()


def _package(
    tmp_path: Path,
    *,
    package: int = 0o755,
    pycache: int = 0o755,
    cache: int | None = 0o755,
    owner: int | None = None,
) -> Path:
    root = tmp_path / "calc"
    folder = root / "__pycache__" / "pint-units"
    folder.mkdir(parents=True)
    if cache is None:
        folder.rmdir()
    else:
        folder.chmod(cache)
    (root / "__pycache__").chmod(pycache)
    root.chmod(package)
    if owner is not None:
        os.chown(folder if cache is not None else root / "__pycache__", owner, -1)
    return folder


@pytest.mark.parametrize(
    ("kw", "trusted"),
    [
        ({}, True),
        ({"cache": None}, True),  # pint makes it on first use, inside a private folder
        ({"package": 0o775}, False),
        ({"pycache": 0o757}, False),
        ({"cache": 0o777}, False),
        ({"cache": 0o1777}, False),
        ({"owner": 4242}, False),
    ],
    ids=[
        "private",
        "not-made-yet",
        "group-writable-package",
        "world-writable-pycache",
        "world-writable-cache",
        "sticky-tmp-like",
        "another-owner",
    ],
)
def test_the_unit_cache_is_used_only_where_only_calc_writes(tmp_path, kw, trusted):
    from calc.units.registry import trusted_cache_folder

    if os.geteuid() != 0 and "owner" in kw:
        pytest.skip("giving a folder to another user needs root")
    folder = _package(tmp_path, **kw)
    try:
        assert (trusted_cache_folder(folder) == folder) is trusted
    finally:
        (tmp_path / "calc").chmod(0o755)


def test_a_symbolic_link_as_the_cache_folder_is_not_trusted(tmp_path):
    from calc.units.registry import trusted_cache_folder

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "calc" / "__pycache__").mkdir(parents=True)
    (tmp_path / "calc" / "__pycache__" / "pint-units").symlink_to(elsewhere)
    assert trusted_cache_folder(tmp_path / "calc" / "__pycache__" / "pint-units") is None


@pytest.mark.parametrize("junk", [b"not a pickle", b"", b"\x80\x05N."])
def test_a_corrupt_cache_falls_back_to_the_definitions(tmp_path, monkeypatch, junk):
    import calc.units.registry

    folder = tmp_path / "pint-units"
    calc.units.registry._registry(folder)  # fill it
    for path in folder.glob("*.pickle"):
        path.write_bytes(junk)
    monkeypatch.setattr(calc.units.registry, "trusted_cache_folder", lambda: folder)
    registry = calc.units.registry._build_registry()
    assert registry.Quantity("1.4 trillion USD").to("USD").magnitude == pytest.approx(1.4e12)
    assert registry.Quantity("1 year").to("hour").magnitude == 8760  # calc's units.txt loaded
