from __future__ import annotations

import pytest

from calc.errors import UnitError
from calc.units.display import describe_dimension, format_number, format_quantity
from calc.units.notation import parse_quantity, parse_unit, parse_value
from calc.units.registry import Q_, ureg


@pytest.mark.parametrize(
    ("text", "magnitude", "unit"),
    [
        ("$1.4 trillion", 1.4e12, "USD"),
        ("$5 billion", 5e9, "USD"),
        ("1.4 trillion USD", 1.4e12, "USD"),
        ("1.4 trillion dollars", 1.4e12, "USD"),
        ("30 gigawatts", 30, "GW"),
        ("30 GW", 30, "GW"),
        ("25 million U.S. homes", 25e6, "home"),
        ("25 million homes", 25e6, "home"),
        ("10,791 kWh/yr/home", 10791, "kWh/yr/home"),
        ("120 kW per rack", 120, "kW/rack"),
        ("72 GPU/rack", 72, "gpu/rack"),
        ("2 million chips", 2e6, "gpu"),
        ("1.3", 1.3, "dimensionless"),
        ("5%", 5, "percent"),
        (0.8, 0.8, "dimensionless"),
        (3, 3, "dimensionless"),
    ],
)
def test_parse_quantity_accepts_article_notation(text, magnitude, unit):
    q = parse_quantity(text)
    assert q.units == ureg.Unit(unit)
    assert q.magnitude == pytest.approx(magnitude, rel=1e-12)


def test_count_units_have_dimensions_of_their_own():
    assert Q_(1, "home").dimensionality != Q_(1, "rack").dimensionality
    assert Q_(1, "home").dimensionality != Q_(1, "").dimensionality
    assert Q_(1, "USD").dimensionality == ureg.get_dimensionality("[currency]")


def test_year_is_8760_hours_as_in_eia_figures():
    assert Q_(1, "yr").to("h").magnitude == pytest.approx(8760)
    assert Q_(10791, "kWh/yr/home").to("kW/home").magnitude == pytest.approx(10791 / 8760)
    assert Q_(1, "julian_year").to("h").magnitude == pytest.approx(8766)


def test_power_and_energy_do_not_mix_without_a_time():
    with pytest.raises(Exception, match="Cannot convert"):
        Q_(30, "GW").to("GWh")
    assert Q_(30, "GW").to("TWh/yr").magnitude == pytest.approx(262.8)


@pytest.mark.parametrize(
    ("quantity", "unit", "expected"),
    [
        (Q_(1.4e12, "USD") / Q_(30, "GW"), "billion USD/GW", "46.7 billion USD/GW"),
        (Q_(30, "GW") / Q_(25e6, "home"), "kW/home", "1.2 kW/home"),
        (Q_(192307.69, "rack"), None, "192,308 racks"),
        (Q_(13846153.8, "gpu"), None, "13.8 million GPUs"),
        (Q_(1, "rack"), None, "1 rack"),
        (Q_(1.4e12, "USD"), None, "1.4 trillion USD"),
        (Q_(5.3526, "percent"), None, "5.35 %"),
        (Q_(0.0012, "MW/home"), "kW/home", "1.2 kW/home"),
        (Q_(2.5e15, "USD"), None, "2.5e15 USD"),  # past 999 trillion, scientific
        (Q_(999e12, "USD"), None, "999 trillion USD"),
        (Q_(1e300, "W"), None, "1e300 W"),
        (Q_(0, "USD"), None, "0 USD"),
        (Q_(-3.2e9, "USD"), None, "-3.2 billion USD"),
    ],
)
def test_format_quantity_picks_a_readable_scale(quantity, unit, expected):
    assert format_quantity(quantity, unit) == expected


def test_format_number_refuses_non_finite_values():
    with pytest.raises(ValueError, match="non-finite"):
        format_number(float("nan"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "30 GWx",
            "'30 GWx' does not parse as a quantity (unknown unit 'GWx'); give a number "
            "and a unit such as '30 GW', '$1.4 trillion' or '120 kW/rack'",
        ),
        ("", "the value is empty; give a number with a unit such as '30 GW'"),
        (
            "10**10**10 W",
            "'10**10**10 W' has the exponent '**10'; exponents in units are plain "
            "numbers from -12 to 12, such as 'm**2' or 's^-1'",
        ),
        ("1e400 W", "'1e400 W' is not a finite number; give a value such as '30 GW'"),
        ("x" * 201, "the text is 201 characters long; a value or unit has at most 200"),
    ],
)
def test_parse_quantity_errors_say_what_to_do(text, message):
    with pytest.raises(UnitError) as info:
        parse_quantity(text)
    assert str(info.value) == message


def test_parse_unit_rejects_unknown_units():
    with pytest.raises(UnitError) as info:
        parse_unit("kW/hom")
    assert str(info.value) == (
        "'kW/hom' is not a unit (unknown unit 'hom'); give one such as "
        "'kW/home', 'billion USD/GW' or 'TWh/yr'"
    )


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("GW", "a power"),
        ("GWh", "an energy"),
        ("USD", "money"),
        ("kW/home", "a power per home"),
        ("home", "a count of homes"),
        ("", "a pure number"),
        ("USD/GW", "a cost per unit of power"),
    ],
)
def test_describe_dimension_names_dimensions_for_people(unit, name):
    assert describe_dimension(Q_(1, unit)) == name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "012",
            "'012' has a number with a leading zero, which some programs read as octal; "
            "write it as 12, without the zero",
        ),
        (
            "00.5 GW",
            "'00.5 GW' has a number with a leading zero, which some programs read as "
            "octal; write it as .5, without the zero",
        ),
        (
            "1:30",
            "'1:30' is not a number as written: calc reads plain decimals such as 90, 1.5 "
            "or 10,791, not '1:30', '1_000', '0x1F' or '1.2.3'; give a number and a unit "
            "such as '30 GW', '$1.4 trillion' or '120 kW/rack'",
        ),
        ("1_000 GW", "'1_000 GW' is not a number as written"),
        ("0x1F", "'0x1F' is not a number as written"),
        ("-0b11 GW", "'-0b11 GW' is not a number as written"),
        ("1.2.3", "'1.2.3' is not a number as written"),
        ("1,2", "'1,2': the comma in '1,2' does not group thousands in threes"),
        (
            "GW",
            "'GW' does not start with a number; give a number and a unit such as '30 GW', "
            "'$1.4 trillion' or '120 kW/rack'",
        ),
        ("nan GW", "'nan GW' does not start with a number"),
        ("1 2", "'1 2' does not parse as a quantity (a number stands among the units)"),
        ("30 GW 5", "'30 GW 5' does not parse as a quantity (a number stands among the units)"),
        (
            "30 GW per",
            "'30 GW per': 'per' needs a unit after it, as in '120 kW per rack'",
        ),
        ("1 +", "'1 +' does not parse as a quantity ('+' is not part of a unit)"),
        ("3 (GW", "'3 (GW' does not parse as a quantity (the units are not well formed"),
        ("1e400", "'1e400' is not a finite number; give a value such as '30 GW'"),
        ("1e300 trillion USD", "'1e300 trillion USD' is not a finite number"),
        (float("nan"), "'nan' is not a finite number"),
        (float("-inf"), "'-inf' is not a finite number"),
        pytest.param(
            10**400, "the number of about 401 digits is longer than 40 digits", id="10**400"
        ),
    ],
)
def test_parse_quantity_reads_numbers_as_written_or_refuses(text, message):
    """'012' was 0 (pint), '1:30' 30, '1 2' 2, '30 GW 5' 150 GW, NaN passed (#19)."""
    with pytest.raises(UnitError) as caught:
        parse_quantity(text)
    assert str(caught.value).startswith(message)
    assert "Error" not in str(caught.value)  # no parser internals such as AssertionError


@pytest.mark.parametrize(
    ("text", "magnitude", "unit"),
    [
        ("0", 0, "dimensionless"),
        ("0.5 GW", 0.5, "GW"),
        (".5", 0.5, "dimensionless"),
        ("-3 GW", -3, "GW"),
        ("+2 GW", 2, "GW"),
        ("1e9 USD", 1e9, "USD"),
        ("120kW", 120, "kW"),
        ("3,927.2 TWh/yr", 3927.2, "TWh/yr"),
        ("1 kWh/(yr*home)", 1, "kWh/yr/home"),
        ("10 kW h", 10, "kW*h"),
    ],
)
def test_parse_quantity_still_reads_plain_decimals(text, magnitude, unit):
    q = parse_quantity(text)
    assert q.units == ureg.Unit(unit)
    assert q.magnitude == pytest.approx(magnitude)


def test_a_product_of_units_is_written_with_one_sign_whatever_pints_version():
    """pint 0.26 writes 'h⋅rack' (U+22C5) where 0.25 wrote 'h·rack'; calc writes '·'."""
    from calc.units.display import format_unit
    from calc.units.registry import pint_text

    assert format_unit(ureg.Unit("rack*h")) == "h·rack"
    assert pint_text(Q_(2.0, "GW*h")) == "2.0 GW·h"


def test_a_value_read_again_is_a_new_quantity():
    """parse_value remembers what it read (#17), but hands out a new Quantity each time:
    converting one in place leaves the next reading as written."""
    first = parse_value("7 kW/rack")
    first.ito("W/rack")
    again = parse_value("7 kW/rack")
    assert again is not first
    assert (again.magnitude, str(again.units)) == (7, "kW/rack")
