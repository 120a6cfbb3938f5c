"""Vague amounts read as the ranges they state (#15)."""

from __future__ import annotations

import pytest

from calc.articles.vague import vague_figures


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("it will hold tens of thousands of liquid-cooled GPU racks.", 20_000, 90_000, "rack"),
        ("enough for hundreds of thousands of households, they say", 200_000, 900_000, "home"),
        ("a cluster drawing hundreds of megawatts", 200, 900, "megawatt"),
    ],
)
def test_a_vague_amount_is_read_as_its_range(text: str, low: int, high: int, unit: str) -> None:
    (figure,) = vague_figures(text)
    assert (figure.low, figure.high, figure.unit) == (low, high, unit)


def test_a_vague_amount_of_nothing_calc_counts_is_no_figure() -> None:
    assert vague_figures("It cost tens of millions of dollars and hundreds of hours.") == []
