"""Readable units for computed quantities."""

from __future__ import annotations

import pytest

from calc.units.readable import readable
from calc.units.registry import Q_


@pytest.mark.parametrize(
    ("value", "unit", "magnitude"),
    [
        (Q_(30, "GW") / Q_(25e6, "home"), "kilowatt / home", 1.2),
        (Q_(30, "GW") * Q_(8760, "h"), "terawatt_hour", 262.8),
        (Q_(10, "kWh") / Q_(5, "h"), "kilowatt", 2.0),
        (Q_(30, "GW") / Q_(120, "kW/rack"), "rack", 250_000.0),
        (Q_(1, "GW") / Q_(13.8e6, "gpu"), "watt / gpu", 1e9 / 13.8e6),
        (Q_(5, "percent") * Q_(30, "GW"), "gigawatt", 1.5),
        (Q_(5, "percent"), "percent", 5.0),
        (Q_(210, "TWh/yr") / Q_(3927.2, "TWh/yr"), "dimensionless", 210 / 3927.2),
        (Q_(4.67e10, "USD/GW"), "USD / gigawatt", 4.67e10),
        (Q_(2.5e7, "rack"), "rack", 2.5e7),
        (Q_(0.00833, "rack/kW"), "rack / kilowatt", 0.00833),
        (Q_(10_791, "kWh/yr/home"), "kilowatt_hour / home / year", 10_791),
        (Q_(0.5, "GW"), "gigawatt", 0.5),
        (Q_(0, "GW"), "gigawatt", 0),
        # pint counts bits as pure numbers: 1 EB was a bare 8e18, 2 Tbps '2 TBd'
        (Q_(1, "EB"), "exabyte", 1),
        (Q_(2, "Tbps"), "terabit / second", 2),
        (Q_(3, "Mbps") * Q_(2, "h"), "gigabit", 21.6),
        (Q_(2, "MB/s") * Q_(1, "h"), "gigabyte", 7.2),
        (Q_(12, "GB") / Q_(1, "gpu"), "gigabyte / gpu", 12),
        (Q_(0.02, "USD/GB"), "USD / gigabyte", 0.02),
        (Q_(1, "PB") / Q_(10, "Gbps"), "second", 800_000),
        (Q_(1, "GB") / Q_(8, "bit"), "dimensionless", 1e9),
    ],
)
def test_readable_units(value, unit, magnitude):
    result = readable(value)
    assert format(result.units, "D") == unit
    assert result.magnitude == pytest.approx(magnitude)
    if magnitude:  # the same quantity, only in other units
        assert (result / value).to("dimensionless").magnitude == pytest.approx(1)
