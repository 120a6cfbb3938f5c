"""Hypothesis strategies: formulas and scenario files, valid and mutated."""

from __future__ import annotations

from hypothesis import strategies as st

from .conftest import SEED_SCENARIO

NAMES = ["a", "b", "c", "rack_power", "pue", "__class__", "_x", "os", "x1"]
FUNCTIONS = ["min", "max", "sqrt", "log", "exp", "abs", "eval", "open", "__import__", "len"]
TOKENS = [
    *NAMES,
    *FUNCTIONS,
    "+",
    "-",
    "*",
    "/",
    "**",
    "//",
    "%",
    "(",
    ")",
    ",",
    ".",
    "[",
    "]",
    "{",
    "}",
    ":",
    "lambda",
    "if",
    "else",
    "for",
    "in",
    "not",
    "and",
    "'s'",
    "1",
    "2.5",
    "1e308",
    "0",
    "-1",
    "10",
    "64",
    "65",
    "1000",
    " ",
    "==",
    ";",
    "\n",
    "@",
    "\x00",
    "é",
    "kW",
    "GW",
    "$1.4 trillion",
    "30 gigawatts",
    "per",
    "homes",
    "%",
]


@st.composite
def formula_text(draw: st.DrawFn) -> str:
    """Token soup, biased toward things that almost parse."""
    return "".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25)))


@st.composite
def valid_formula(draw: st.DrawFn, depth: int = 0) -> str:
    """A formula in the language over a, b and c."""
    leaf = st.one_of(
        st.sampled_from(["a", "b", "c"]), st.floats(0.1, 100).map(lambda x: f"{x:.3g}")
    )
    if depth > 3 or draw(st.booleans()):
        return draw(leaf)
    kind = draw(st.sampled_from(["bin", "neg", "call", "pow", "paren"]))
    if kind == "bin":
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"{draw(valid_formula(depth + 1))} {op} {draw(valid_formula(depth + 1))}"
    if kind == "neg":
        return f"-{draw(valid_formula(depth + 1))}"
    if kind == "pow":
        return f"({draw(valid_formula(depth + 1))}) ** {draw(st.integers(-3, 3))}"
    if kind == "paren":
        return f"({draw(valid_formula(depth + 1))})"
    function = draw(st.sampled_from(["min", "max", "sqrt", "abs", "log", "exp"]))
    arguments = 2 if function in ("min", "max") else 1
    return f"{function}({', '.join(draw(valid_formula(depth + 1)) for _ in range(arguments))})"


SEED_TEXT = SEED_SCENARIO.read_text(encoding="utf-8")
INSERTS = [
    ":",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "- ",
    "'",
    '"',
    "\t",
    "\x00",
    "\ufeff",
    "GWh",
    "-1",
    "1e999",
    "__import__('os')",
    "    ",
    "kind: x",
    "range: [3, 1]",
    "formula: a.b",
    "extends: nowhere.yaml",
    "~",
    "null",
    "\n",
]


@st.composite
def mutated_scenario(draw: st.DrawFn) -> str:
    """The seed scenario with one to three mutations: lines dropped, duplicated or swapped,
    characters replaced, or hostile tokens inserted."""
    lines = SEED_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "swap", "char", "insert"]))
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            new = (
                draw(st.sampled_from(INSERTS))
                if action == "insert"
                else draw(st.characters(codec="utf-8"))
            )
            cut = 0 if action == "insert" else 1
            lines[index] = line[:at] + new + line[at + cut :]
    return "".join(lines)
