"""The one reader of notation (#12): what the corpus does not show one case at a time."""

from __future__ import annotations

import pytest

import calc
from calc.units.notation.reader import read_amount


def test_number_words_that_are_two_numbers_are_not_joined():
    # 'two and three' was read as 5, 'two Three Gorges' as 5 Gorges
    with pytest.raises(calc.UnitError):
        calc.parse_value("two and three")
    amount = read_amount("two Three Gorges Dams")
    assert amount is not None and amount.value == 2 and amount.end == 3


def test_and_and_of_join_number_words_where_a_number_goes_on():
    assert calc.parse_value("six hundred and fifty megawatts") == calc.Q_(650, "MW")
    assert calc.parse_value("one and a half million homes") == calc.Q_(1.5e6, "home")
    assert calc.parse_value("a quarter of a million homes") == calc.Q_(2.5e5, "home")


def test_a_multiplier_word_at_the_end_is_a_multiplier():
    amount = read_amount("grew fourfold", 5)
    assert amount is not None and (amount.value, amount.multiplier) == (4, True)


def test_a_range_scale_word_reaches_the_low_end_only_when_it_is_written_smaller():
    assert calc.parse_quantity("$2 to $3 trillion").low == calc.Q_(2e12, "USD")
    assert calc.parse_quantity("500,000 to 1 million homes").low == calc.Q_(5e5, "home")


def test_extract_reads_no_figure_where_the_reader_refuses():
    # 'M' alone after a number: mega, million or molar; extract states no figure for it
    assert calc.extract("It is 5 M.") == []
