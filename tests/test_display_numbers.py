"""Display never changes a number (#21): every path shows what the point display shows.

The point display is ``format_quantity``. Sampled tables, HTML, intervals, sensitivity,
reports, explain, sweeps and plot labels must each give a number that, read back, is
the same rounding of the same value: checked over the whole float range, 1e-30 to 1e30,
positive and negative.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import calc
from calc.analysis.sensitivity import sensitivity
from calc.domain.result import _stats
from calc.render.html import result_html
from calc.render.plots import _tick
from calc.render.report import render_report
from calc.render.text import _plain_number, render_check, render_run, render_sensitivity
from calc.units.display import format_number, format_quantity, format_together
from calc.units.registry import Q_

WORDS = {"": 1, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_NUMBER = re.compile(r"^(-?[\d,]*\.?\d+)(?:e(-?\d+))?(?: (million|billion|trillion))?$")


def reading(text: str, word: str = "") -> tuple[Decimal, Decimal]:
    """A displayed number read back: (value, half a unit in its last digit)."""
    match = _NUMBER.match(text.strip())
    assert match, f"{text!r} is not a displayed number"
    digits, exponent, own_word = match.groups()
    assert not (word and own_word), text
    scale = Decimal(WORDS[own_word or word]) * Decimal(10) ** int(exponent or 0)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = Decimal(digits.replace(",", "")) * scale
    return value, Decimal(5) * Decimal(10) ** (-decimals - 1) * scale


def assert_faithful(text: str, true: float, word: str = "") -> None:
    """``text`` is ``true`` rounded to the digits it shows (and no more than 3 significant
    figures are lost: a number is never shown with fewer than the point display's)."""
    value, half_unit = reading(text, word)
    error = abs(value - Decimal(true))
    assert error <= half_unit * (1 + Decimal("1e-12")), (text, true)


magnitudes = st.builds(
    lambda m, e, sign: sign * m * 10.0**e,
    st.floats(1, 9.9999),
    st.integers(-30, 29),
    st.sampled_from([1, -1]),
)
BOUNDARIES = [
    999.95e6,
    999.5e6,
    999_999.5,
    999.95,
    999.95e12,
    0.000099995,
    -999.95e9,
    1e-30,
    1e30,
    9.9995e14,
    1_000_000.0,
    0.0,
]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (999.95e6, "1 billion USD"),
        (999.4e6, "999 million USD"),
        (999.95, "1,000 USD"),
        (999_999.4, "999,999 USD"),
        (999_999.6, "1 million USD"),
        (999.95e12, "1e15 USD"),
        (1.2345e20, "1.23e20 USD"),
        (-999.95e9, "-1 trillion USD"),
        (0.000099995, "0.0001 USD"),
        (1.5e-30, "1.5e-30 USD"),
        (46.7e9, "46.7 billion USD"),
        (192_308.4, "192,308 USD"),
    ],
)
def test_point_display_rounds_before_it_picks_the_scale(value, shown):
    assert format_quantity(Q_(value, "USD")) == shown


@pytest.mark.parametrize(
    ("values", "texts", "unit"),
    [
        # alone, each value reads as its point display does
        ([999.95e6], ["1"], "billion USD"),
        ([1e15], ["1e15"], "USD"),
        # 1.23e20 used to read '123 trillion': the 'million' of 123 million trillion was lost
        ([1.2345e20, 1e19], ["1.23e20", "1e19"], "USD"),
        ([1e15, 5e6], ["1e15", "5 million"], "USD"),
        # on a shared scale, a small value keeps its three significant figures
        ([2e12, 999.4e6], ["2", "0.000999"], "trillion USD"),
        ([13.8e6, 12.2e6, 999.95], ["13.8", "12.2", "0.001"], "million USD"),
    ],
)
def test_values_shown_together_keep_every_digit_and_word(values, texts, unit):
    assert format_together([Q_(v, "USD") for v in values]) == (texts, unit)


@settings(max_examples=400, deadline=None)
@given(value=magnitudes, companion=magnitudes)
@example(value=999.95e6, companion=1.0)
@example(value=1.2345e20, companion=1e19)
@example(value=999.95e12, companion=-1.0)
def test_every_formatting_path_agrees_with_the_point_display(value, companion):
    point_digits, point_word = format_number(value)
    assert_faithful(point_digits, value, point_word)
    point = " ".join(p for p in (point_digits, point_word) if p)
    assert _plain_number(value) == point  # sweep tables
    assert _tick(value) == point  # plot labels
    assert format_quantity(Q_(value, "USD")) == f"{point} USD"
    (alone,), unit = format_together([Q_(value, "USD")])
    assert f"{alone} {unit}" == f"{point} USD"
    texts, unit = format_together([Q_(value, "USD"), Q_(companion, "USD")])
    word = unit.removesuffix("USD").strip()
    for text, true in zip(texts, (value, companion), strict=True):
        assert_faithful(text, true, word)
    if word == point_word or (not word and " " not in texts[0]):
        assert f"{texts[0]} {word}".strip() == point  # the same scale: the same text


def test_a_heavy_tail_is_not_shown_as_a_constant():
    samples = np.full(1000, 5.0)
    samples[:20] = 5e6  # 2% of draws: both percentiles are 5
    stats = _stats(Q_(5.0, "GW"), Q_(samples, "GW"), 1000)
    assert float(stats.p5.magnitude) == float(stats.p95.magnitude) == 5.0
    assert stats.varies
    constant = _stats(Q_(5.0, "GW"), Q_(np.full(1000, 5.0) * (1 + 1e-15), "GW"), 1000)
    assert not constant.varies  # rounding noise is not variation


def _scenario(tmp_path: Path, value: float, unit: str) -> Path:
    low, high = sorted((value * 0.9, value * 1.1))
    text = f"""title: P
inputs:
  c:
    value: {value!r} {unit}
    kind: reference
    source: time-to-botec
  x:
    value: {value!r} {unit}
    range: [{low!r} {unit}, {high!r} {unit}]
    kind: reference
    source: time-to-botec
derived:
  y:
    formula: x * 2
    unit: {unit}
claims:
  k:
    text: the same figure twice
    claimed: c
    implied: x
    tolerance: 0.1
"""
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _cells(table: str, name: str) -> list[str]:
    row = next(line for line in table.splitlines() if line.startswith(f"{name} "))
    return re.split(r"\s{2,}", row)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=magnitudes.filter(lambda v: v != 0), unit=st.sampled_from(["USD", "GW", "home"]))
@example(value=999.95e6, unit="USD")
@example(value=-1.2345e20, unit="GW")
def test_every_output_shows_the_point_display(tmp_path, value, unit):
    value = abs(value) if unit == "home" else value  # a count is zero or more
    scenario = calc.load_scenario(_scenario(tmp_path, value, unit))
    result = scenario.evaluate(samples=200, seed=1)
    shown = format_quantity(result.point("c"))
    assert_faithful(
        shown.removesuffix(f" {unit}").removesuffix(" homes").removesuffix(" home"), value
    )
    assert f"c = {shown}" in str(result.explain("c"))
    assert f"| `c` | {shown} |" in render_report(result)
    assert f"claimed  {shown}  " in render_check(result, "table")
    assert f"(point {format_quantity(result.point('y'))})" in render_sensitivity(
        sensitivity(scenario, "y", samples=200), "table"
    )
    point_run = render_run(scenario.evaluate(), "table")
    assert f"c         {shown}  " in point_run
    sampled = render_run(result, "table")
    c_point, c_unit = _cells(sampled, "c")[1:3]
    assert f"{c_point} {c_unit}" == shown
    # cells carry their alignment inline, past Jupyter's stylesheet (#20)
    assert f'<td style="text-align: left; vertical-align: top">{c_point}</td>' in result_html(
        result
    )
    cells = _cells(sampled, "x")
    word = next((w for w in ("million", "billion", "trillion") if cells[6].startswith(w)), "")
    stats = result.stats("x")
    for text, true in zip(
        cells[1:6], (stats.point, stats.mean, stats.p5, stats.p50, stats.p95), strict=True
    ):
        assert_faithful(text, float(true.magnitude), word)
