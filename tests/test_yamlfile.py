"""Safe YAML loading: numbers are read as written, in decimal (#19)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from calc.errors import ScenarioFileError
from calc.io.yamlfile import parse_yaml


def _value(text: str) -> object:
    return parse_yaml(f"a: {text}\n".encode(), Path("x.yaml")).data["a"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30", 30),
        ("-0", 0),
        ("+12", 12),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("1.5E3", 1500.0),
        ("-2.5e-3", -0.0025),
        # YAML 1.1 reads each of these as a number in another base; here they stay text
        ("1:30", "1:30"),
        ("190:20:30.15", "190:20:30.15"),
        ("012", "012"),
        ("-012", "-012"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("0b101", "0b101"),
        ("1_000", "1_000"),
        ("1_000.5", "1_000.5"),
    ],
)
def test_numbers_are_decimal_and_the_rest_stays_text(text, value):
    read = _value(text)
    assert read == value and type(read) is type(value)


@pytest.mark.parametrize(
    ("text", "check"),
    [
        (".nan", math.isnan),
        (".NaN", math.isnan),
        (".inf", lambda v: v == math.inf),
        ("-.inf", lambda v: v == -math.inf),
        ("1.0e+400", lambda v: v == math.inf),
    ],
)
def test_non_finite_floats_are_read_so_that_the_value_parser_refuses_them(text, check):
    assert check(_value(text))


@pytest.mark.parametrize(
    "text", ["!!int 012", "!!int 1:30", "!!int 0x1F", "!!float 1:30.5", "!!int 1_000"]
)
def test_an_explicit_number_tag_is_decimal_too(text):
    with pytest.raises(ScenarioFileError) as caught:
        _value(text)
    assert (
        "is not a decimal number (calc reads numbers as written, such as 90 or 1.5, not "
        "'1:30', '012' or '0x1F')" in str(caught.value)
    )
    assert str(caught.value).startswith("x.yaml:1: ")


@pytest.mark.parametrize("shipped", [False, True])
def test_deep_nesting_is_refused_in_calcs_own_files_too(shipped):
    """calc's shipped data files skip the token scan (#17); their nesting is still
    bounded, with the same message, by the walk that records every key's line."""
    text = "title: x\ninputs: " + "{a: " * 40 + "1" + "}" * 40 + "\n"
    with pytest.raises(ScenarioFileError, match="nests more than 32 levels"):
        parse_yaml(text.encode(), Path("deep.yaml"), shipped=shipped)


def test_calcs_own_files_keep_their_lines_and_refuse_duplicate_keys():
    text = "a: 1\nb:\n  c: 2\n  c: 3\n"
    with pytest.raises(ScenarioFileError, match="appears twice in one mapping, on lines 3 and 4"):
        parse_yaml(text.encode(), Path("dup.yaml"), shipped=True)
    document = parse_yaml(b"a: 1\nb:\n  c: 2\n", Path("ok.yaml"), shipped=True)
    assert document.lines[("b", "c")] == 3
