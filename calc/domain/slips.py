"""Unit slips in published figures: a dimension in words, and the common slip a
published number fits ("W written for Wh", "per second written for per hour").

A published figure with the wrong dimension ("2,941,176 homes per second") is a
finding, not a load error: the claim's verdict is ``unit error``, naming the
dimension written and the one that makes sense, in words.
"""

from __future__ import annotations

import math

import pint

from calc.units.display import describe_dimension, format_quantity
from calc.units.registry import Q_

#: Common slips: what the published unit is multiplied by to read it as meant, and
#: the slip's name. Of those that bring the number within ``SLIP_BAND`` of the
#: implied value, the closest is named.
SLIPS: tuple[tuple[str, str], ...] = (
    ("1", "the number fits, only the unit is wrong"),
    ("1 s", "written per second where a total was meant"),
    ("1 h", "W written for Wh (a power where an energy was meant, or the reverse)"),
    ("3600", "per second written for per hour (x3600)"),
    ("1 / 3600", "per hour written for per second (x3600)"),
    ("1000", "a factor of 1,000 (k for M, or W for kW)"),
    ("1 / 1000", "a factor of 1,000 (M for k, or kW for W)"),
    ("24", "per hour written for per day (x24)"),
    ("1 / 24", "per day written for per hour (x24)"),
    ("8760", "kWh per year written as kW, or per hour for per year (x8,760)"),
    ("1 / 8760", "kW written for kWh per year, or per year for per hour (x8,760)"),
    ("1 / 730", "kW written for kWh per month (a month is about 730 hours)"),
    ("730", "kWh per month written as kW (a month is about 730 hours)"),
    ("1 / (8760 h)", "kWh written for kWh per year"),
    ("1 / (730 h)", "kWh written for kWh per month"),
    ("1 d", "a power written per day (a power needs no 'per day')"),
    ("1 / s", "a total written where a rate per second was meant"),
    ("1 / h", "a total written where a rate per hour was meant"),
)
#: How close a re-read number must come to the implied value to name the slip (x1.5).
SLIP_BAND = 1.5


def dimension_in_words(value: pint.Quantity | pint.Unit) -> str:
    """'a power', 'a count of homes per unit of time', 'a power per unit of time'."""
    described = describe_dimension(value)
    if "[" not in described:
        return described
    unit = value.units if isinstance(value, pint.Quantity) else value
    for exponent, words in ((1, "per unit of time"), (2, "per unit of time, squared")):
        for sign, joiner in ((1, words), (-1, "times a time" if exponent == 1 else "")):
            if not joiner:
                continue
            shifted = describe_dimension(unit * Q_(1, "s").units ** (sign * exponent))
            if "[" not in shifted and shifted != "a pure number":
                return f"{shifted} {joiner}"
    return "a quantity of " + " ".join(
        f"{dim.strip('[]')}^{power:g}" for dim, power in unit.dimensionality.items()
    )


def slip_for(published: pint.Quantity, implied: pint.Quantity) -> str | None:
    """The common slip that turns ``published`` into about ``implied``, if one does."""
    target = float(abs(implied.to_base_units().magnitude))
    fits = []
    for factor, name in SLIPS:
        reread = published * Q_(factor)
        if reread.dimensionality != implied.dimensionality or target == 0:
            continue
        if factor == "1" and published.dimensionality == implied.dimensionality:
            continue  # no slip: the number itself differs
        value = float(abs(reread.to_base_units().magnitude))
        distance = abs(math.log(value / target)) if value > 0 else math.inf
        if distance <= math.log(SLIP_BAND):
            fits.append((distance, name, reread))
    if not fits:
        return None
    _, name, reread = min(fits, key=lambda fit: fit[0])
    return f"{name}: read so, it is {format_quantity(reread.to(implied.units))}"


def unit_error_text(published: pint.Quantity, written: str, implied: pint.Quantity) -> str:
    """What was written, what makes sense and the slip it fits, in words."""
    slip = slip_for(published, implied)
    fits = f"; it fits a common slip, {slip}" if slip else "; it fits no common slip"
    if published.dimensionality == implied.dimensionality:
        return (
            f"{written!r} is {dimension_in_words(published)} like the figure it is compared "
            f"with ({format_quantity(implied)}), but far from it{fits}"
        )
    return (
        f"{written!r} is {dimension_in_words(published)}, but the figure it is compared "
        f"with ({format_quantity(implied)}) is {dimension_in_words(implied)}{fits}"
    )
