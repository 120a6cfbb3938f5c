"""Fuzzing: whatever the text, calc succeeds or raises a located CalcError; never a crash
or a hang. A larger campaign runs by hand: python bench/fuzz.py --cases 100000."""

from __future__ import annotations

import contextlib

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import CalcError, ExpressionError
from calc.io.catalogue import load_catalogue
from calc.io.scaffold import with_seed
from calc.lang.arith import evaluate_expression
from calc.lang.formula import parse_formula
from calc.scenario import load_scenario
from calc.units.registry import Q_

from .strategies import formula_text, mutated_scenario, valid_formula

FAST = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VALUES = {
    "a": Q_(2.0, "GW"),
    "b": Q_(3.0, "GW"),
    "c": Q_(0.5),
    "x1": Q_(1.0, "rack"),
    "rack_power": Q_(120.0, "kW/rack"),
    "pue": Q_(1.3),
    "os": Q_(1.0),
}


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


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
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
    from calc.units.notation import parse_quantity

    try:
        value = parse_quantity(text)
    except CalcError as exc:
        ours = exc.message.replace(repr(text), "")  # the input itself may say anything
        assert "Error" not in ours and "Token" not in ours, exc.message
        return
    assert np.isfinite(float(fold_magnitude(value)))


def fold_magnitude(value):
    return value.to_base_units().magnitude if not value.dimensionless else value.magnitude


@FAST
@given(_DECIMAL, st.sampled_from(["", " GW", "kW/rack", " homes", " USD", " percent"]))
def test_a_decimal_is_read_as_written(number, unit):
    from calc.units.notation import parse_quantity

    assert parse_quantity(number + unit).magnitude == float(number)


@FAST
@given(st.integers(1, 999), st.sampled_from([":", "_", ".", "0"]), st.integers(0, 99))
def test_a_number_in_another_notation_is_never_read_as_some_other_number(head, mark, tail):
    """'1:30', '1_000', '1.2.3' and '012' are refused, never read as 90, 1000 or 10."""
    from calc.units.notation import parse_quantity

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
        from calc.domain.sources import fold_text

        from .conftest import ROOT

        _SEED_TEXT = fold_text(
            (ROOT / "seeds" / "003_dad698e8bbde9b79.txt").read_text(encoding="utf-8")
        )
    return _SEED_TEXT


@FAST
@given(st.data())
def test_a_quote_cut_inside_a_word_or_number_never_verifies(data):
    import re

    from calc.domain.sources import find_words

    text = _seed_text()
    tokens = [m for m in re.finditer(r"\d+(?:[.,]\d+)*|\w+", text) if len(m.group()) > 1]
    token = data.draw(st.sampled_from(tokens))
    cut = data.draw(st.integers(token.start() + 1, token.end() - 1))
    length = data.draw(st.integers(2, 60))
    start = cut if data.draw(st.booleans()) else max(0, cut - length)
    quote = text[start : start + length] if start == cut else text[start:cut]
    # the same words may stand whole elsewhere in the article, but never here
    assert find_words(text, quote, start) != start


# --- files, streams and outputs (#19) -------------------------------------------------

_runner = CliRunner()


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_on_stdin_are_a_result_or_exit_2(data):
    """eval reads standard input as bytes: results, or one located message a bad line."""
    result = _runner.invoke(app, ["eval"], input=data)
    assert result.exit_code in (0, 2), result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    for line in result.stderr.splitlines():
        assert line.startswith("calc: <stdin>:"), line


_KEYS = [
    "seeds",
    "references",
    "s1",
    "file",
    "title",
    "publisher",
    "date",
    "url",
    "{",
    "}",
    "[",
    "]",
    ":",
    " ",
    "\n",
    "  ",
    "#",
    "a.txt",
    "2025-01-02",
    "https://x.org",
    "javascript:x",
    "/etc/passwd",
    "../a.txt",
    "&a",
    "*a",
    "<<",
    "!!python/name:os",
    "\t",
    "'",
    '"',
    ",",
    "-",
    "?",
]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(_KEYS), max_size=40).map("".join))
def test_any_catalogue_text_loads_or_fails_with_a_location(tmp_path, text):
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        catalogue = load_catalogue(path)
    except CalcError as exc:
        assert exc.location.file == path, str(exc)
        assert "/etc/passwd" not in str(exc) or "/etc/passwd" in text
        return
    for source in catalogue.sources.values():  # what loads is safe: links, files inside
        assert source.url is None or source.url.lower().startswith(("http://", "https://"))
        if source.file is not None:
            assert source.file.resolve().is_relative_to(tmp_path.resolve())


#: Plain keys that YAML 1.1 (PyYAML) reads as booleans or null: not catalogue ids.
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_ENTRY = {"file": "b.txt", "title": "B", "publisher": "P", "date": "2025-01-02"}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    ids=st.lists(
        st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True).filter(
            lambda i: i not in _YAML11_WORDS
        ),
        max_size=5,
        unique=True,
    ),
    flow=st.booleans(),
    comment=st.sampled_from(["", " # c", "  # c"]),
)
def test_adding_a_seed_keeps_every_seed_in_any_style(tmp_path, ids, flow, comment):
    entry = "{file: a.txt, title: A, publisher: P, date: 2025-01-02}"
    if flow:
        text = "seeds: {" + ", ".join(f"{i}: {entry}" for i in ids) + "}" + comment + "\n"
    else:
        text = (
            "# top\nseeds:"
            + comment
            + "\n"
            + "".join(f"  {i}: {entry}\n" for i in ids)
            + "references: {}\n"
        )
    new_id = "new-seed"
    path = tmp_path / "catalogue.yaml"
    path.write_text(with_seed(text, new_id, _ENTRY), encoding="utf-8")
    assert set(load_catalogue(path).sources) == {*ids, new_id}
    written = path.read_text(encoding="utf-8")
    assert ("# c" in written) == bool(comment)
    assert written.startswith("# top\n") != flow


_PATH_KINDS = ["file", "missing", "folder", "fifo", "link", "dangling"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(_PATH_KINDS), command=st.sampled_from([["schema", "-o"], ["report", "-o"]])
)
def test_any_output_target_is_written_as_a_file_or_refused_untouched(tmp_path, kind, command):
    import os
    import stat

    target = tmp_path / f"{kind}-{command[0]}.out"
    for stale in (target, tmp_path / "real.txt"):
        if stale.is_symlink() or stale.is_file() or stale.is_fifo():
            stale.unlink()
        elif stale.is_dir():
            stale.rmdir()
    if kind == "file":
        target.write_text("old", encoding="utf-8")
    elif kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind in {"link", "dangling"}:
        (tmp_path / "real.txt").write_text("keep", encoding="utf-8")
        target.symlink_to(tmp_path / ("real.txt" if kind == "link" else "nowhere"))
    before = os.lstat(target).st_mode if kind != "missing" else None
    result = _runner.invoke(app, [*command, str(target)])
    if kind in {"file", "missing"}:
        assert result.exit_code == 0 and stat.S_ISREG(os.lstat(target).st_mode)
    else:
        assert result.exit_code == 2 and result.stderr.startswith(f"calc: cannot write {target}")
        assert os.lstat(target).st_mode == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
