"""Unit words and count nouns of article notation, looked up in calc's registry."""

from __future__ import annotations

import pint

import calc.units.notation.words as w
from calc.units.registry import COUNT_UNITS, Q_, ureg


def raise_last(unit: pint.Unit, power: int) -> pint.Unit | None:
    """``unit`` with its last factor raised to ``power`` ('m^2'); None past +-12 or with
    no factor to raise."""
    if abs(power) > 12:
        return None
    items = list(unit._units.items())
    if not items:
        return None
    name, exponent = items[-1]
    return unit / ureg.Unit(name) ** exponent * ureg.Unit(name) ** (exponent * power)


def count_unit(word: str) -> str | None:
    """The count unit a noun counts ('homes' -> home, 'chips' -> gpu), or None."""
    lowered = word.lower()
    for candidate in (lowered, lowered[:-1] if lowered.endswith("s") else None):
        if candidate is None:
            continue
        if candidate in w.COUNT_NOUNS:
            return w.COUNT_NOUNS[candidate]
        if candidate in COUNT_UNITS:
            return candidate
    return None


def pint_unit(word: str) -> pint.Unit | None:
    """The multiplicative unit pint reads in ``word``, or None."""
    if len(word) > 40:
        return None
    try:
        unit = ureg.Unit(word.replace("-", "*"))  # 'kilowatt-hour'
    except Exception:  # pint raises several types; all mean "not a unit"
        return None
    if not all(Q_(1, name)._is_multiplicative for name in unit._units):
        return None  # degC, dB: parse_quantity names them
    return unit
