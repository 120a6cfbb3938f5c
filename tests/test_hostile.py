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
    (_input("1" + "0" * 400), "the number of about 401 digits is longer than 40 digits"),
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


# --- input at fault, never exit 3 (#19, class 6) ----------------------------------


@pytest.mark.parametrize(("also", "expected"), [
    ("[TWh]", "derived.b.also[0]: 'TWh' is an energy, but b is shown in GW, a power; give a "
              "unit of the same kind, or remove it"),
    ("[MW, USD]", "derived.b.also[1]: 'USD' is money, but b is shown in GW, a power"),
    ("[kWh]", "'kWh' is an energy, but b is shown in GW"),
    ("[GW/home]", "'GW/home' is a power per home, but b is shown in GW"),
])
def test_a_further_unit_of_another_dimension_is_refused(tmp_path, also, expected):
    text = _input("2 GW", f"derived:\n  b:\n    formula: a * 2\n    unit: GW\n    also: {also}\n")
    _refused(_file(tmp_path, text), expected)


def test_a_further_unit_of_the_same_dimension_is_kept(tmp_path):
    text = _input("2 GW", "derived:\n  b:\n    formula: a * 2\n    unit: GW\n"
                          "    also: [MW, TWh/yr]\n")
    result = runner.invoke(app, ["run", str(_file(tmp_path, text))])
    assert result.exit_code == 0 and "4 GW (4,000 MW, 35 TWh/yr)" in result.stdout, result.output


@pytest.mark.parametrize("command", [
    ["run", "-n", "100"], ["run", "-n", "0"], ["check", "-n", "100"],
    ["sensitivity", "scenarios/openai-30gw.yaml", "rack_count"],
    ["report", "-n", "100"],
])
@pytest.mark.parametrize("seed", ["-1", "-99999999999999999999"])
def test_a_negative_seed_is_refused(command, seed, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = runner.invoke(app, [*command, "--seed", seed])
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (f"calc: the random seed must be a whole number from 0 up, not "
                             f"{seed}; for example --seed 0\n")


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_a_library_seed_is_checked_too(seed):
    with pytest.raises(CalcError, match=r"^the random seed must be a whole number from 0 up"):
        calc.load_scenario(calc.default_scenario()).evaluate(samples=10, seed=seed)


@pytest.mark.parametrize(("command", "name"), [
    (["sweep", "--vary", "pue=1.1:1.5:3", "--output", "it_power"], "grid.txt"),
    (["sweep", "--vary", "pue=1.1:1.5:3", "--output", "it_power"], "grid.png.bak"),
    (["run", "-n", "100"], "h.docx"),
    (["sensitivity", "scenarios/openai-30gw.yaml", "rack_count"], "t.html"),
])
def test_a_plot_format_matplotlib_cannot_write_is_refused_before_any_work(
        tmp_path, command, name, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    target, csv = tmp_path / name, tmp_path / "grid.csv"
    extra = ["-o", str(csv)] if command[0] == "sweep" else []
    result = runner.invoke(app, [*command, *extra, "--plot", str(target)])
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    suffix = target.suffix
    assert result.stderr.startswith(f"calc: {target}: cannot draw a plot as '{suffix}'; give a "
                                    "file name ending in ")
    assert ".png" in result.stderr and ".svg" in result.stderr
    assert not target.exists() and not csv.exists()


@pytest.mark.parametrize("title", ["Cost $\\\\foo$ per GW", "From $1 to $5 billion",
                                   "$\\\\frac{1}{0}$", "$$", "a $^$ b"])
@pytest.mark.parametrize(("command", "name"), [
    (["sweep", "--vary", "pue=1.1:1.5:3", "--output", "it_power"], "g.png"),
    (["run", "-n", "200"], "h.svg"),
    (["sensitivity", "rack_count"], "t.pdf"),
])
def test_a_title_is_drawn_as_plain_text_not_mathtext(variant, tmp_path, title, command, name):
    path = variant(("title: OpenAI's 30 GW, $1.4 trillion build-out", f'title: "{title}"'))
    args = [command[0], str(path), *command[1:], "--plot", str(tmp_path / name)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 1000


def test_a_figure_s_titles_and_labels_are_plain_text(seed_scenario):
    from calc.plots import sweep_figure
    from calc.sweeps import evaluate_grid

    drawn = sweep_figure(evaluate_grid(seed_scenario, {"pue": "1.1:1.5:3"}, ["it_power"]))
    ax = drawn.axes[0]
    texts = [drawn._suptitle, ax.title, ax.xaxis.label, ax.yaxis.label]
    assert [t.get_parse_math() for t in texts] == [False] * 4


# --- messages never show a parser's internals (#19, class 7) -----------------------

#: Exception class names from pint, tokenize, ast and PyYAML that a message leaked.
INTERNALS = re.compile(r"AssertionError|TokenError|DefinitionSyntaxError|ValueError|TypeError|"
                       r"KeyError|SyntaxError|Exception|Traceback|EOF in multi-line|"
                       r"\(\d+, \d+\)\)")
BAD_VALUES = ["30 GW per", "1 +", "GW /", "3 (GW", "30 GW)", "1 * / GW", "5 GW ** ", "1 kW//h",
              "1 GW GW /", "2 [GW]", "1 GW,", "1 GW;", "1 GW @ 2"]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_malformed_value_is_refused_in_calc_s_own_words(tmp_path, value):
    stderr = _refused(_file(tmp_path, _input(repr(value))), f"inputs.a.value: {value!r}")
    assert not INTERNALS.search(stderr), stderr
    result = runner.invoke(app, ["run", "-n", "0", "--set", f"pue={value}"])
    assert result.exit_code == 2 and not INTERNALS.search(result.stderr), result.stderr


@pytest.mark.parametrize("expression", [*BAD_VALUES, "012", "1 2 3", "(((", "30 GW to (",
                                        "30 GW to kW//h", "$", "max(", "max(1,"])
def test_a_malformed_expression_is_refused_in_calc_s_own_words(expression):
    result = runner.invoke(app, ["eval", expression])
    assert result.exit_code == 2, result.output
    assert not INTERNALS.search(result.stderr), result.stderr
