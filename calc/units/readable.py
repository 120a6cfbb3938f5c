"""Readable units for a computed quantity: 1.2 kW/home, not 1.2e-6 GW/home.

A quantity computed from typed figures comes out in whatever units its operands
had (GW/home, GW·h, kWh/h). ``readable`` picks what a person would write, without
changing the value; display (``format_quantity``) then adds scale words.
"""

from __future__ import annotations

import math
from typing import cast

import pint

from calc.units.registry import COUNT_UNITS, fold_scale_words, unprefixed, ureg

#: Units whose SI prefix is re-chosen to bring a result into a readable range.
_PREFIXABLE = {"watt", "watt_hour", "joule", "meter", "gram", "bit", "byte"}
_PREFIXES = {-6: "micro", -3: "milli", 0: "", 3: "kilo", 6: "mega", 9: "giga", 12: "tera"}
#: Data sizes reach exabytes (decimal prefixes, as storage and network figures are given).
_DATA_PREFIXES = {0: "", 3: "kilo", 6: "mega", 9: "giga", 12: "tera", 15: "peta", 18: "exa"}


def readable(value: pint.Quantity) -> pint.Quantity:
    """The same quantity in the units a person would choose.

    Like units cancel (GW/kW), and percent folds into the number when other units
    remain (5% x 30 GW is 1.5 GW); percentages multiplied stay a percentage; a power
    or energy built from several units becomes W or Wh; a physical unit then takes
    the SI prefix that keeps the number readable (1.2e-6 GW/home is 1.2 kW/home).
    Money and counts keep their units: their display takes scale words
    ('46.7 billion USD/GW').

    >>> from calc.units import Q_
    >>> print(readable(Q_(30, "GW") / Q_(25e6, "home")))
    1.2 kW/home
    """
    try:
        return _readable(value)
    except OverflowError:  # a unit factor past a float (kW**64): leave it as it is
        return value


def _readable(value: pint.Quantity) -> pint.Quantity:
    value = fold_scale_words(value)
    if set(dict(value.unit_items())) == {"percent"}:
        return _percent(value)
    if (information := _information(value)) is not None:
        return information
    value = cast(pint.Quantity, _fold_percent(value).to_reduced_units())
    if value.dimensionless:
        return value.to("dimensionless")
    if len(dict(value.unit_items())) > 1:
        for dimension, unit in (("[power]", "W"), ("[energy]", "Wh")):
            if value.dimensionality == ureg.get_dimensionality(dimension):
                return _prefixed(value.to(unit))
    magnitude = abs(float(value.magnitude))
    return value if magnitude == 0 or 0.01 <= magnitude < 1e6 else _prefixed(value)


def _information(value: pint.Quantity) -> pint.Quantity | None:
    """Data in bytes or bits, data rates in bits per second, re-prefixed; None for a value
    that holds no bit, byte or baud. pint counts bits as pure numbers, so reducing 1 EB
    left a bare 8e18, and it names a bit per second a baud ('2 TBd' for 2 Tbps)."""
    data, others = ureg.dimensionless, ureg.dimensionless
    for name, power in value.unit_items():
        if "bit" in ureg.get_root_units(name)[1]._units:
            data = data * ureg.Unit(name) ** power
        else:
            others = others * ureg.Unit(name) ** power
    if data == ureg.dimensionless:
        return None
    bits = ureg.get_root_units(data)[1]  # bit, or bit / second for a rate
    power = dict(bits._units).get("bit", 0)
    if power == 0:  # bits that cancel: 1 PB / 10 Gbps is a time, Gbit/byte a number
        return _readable(value.to(bits * others))
    if power != 1:  # bit² and the like: left in the units they were given
        return value
    in_bytes = any(unprefixed(name) == "byte" for name in data._units)
    rest = (1 * (bits / ureg.bit) * others).to_reduced_units().units  # Mbit/s x h: Mbit
    unit = ureg.Unit("byte" if in_bytes else "bit") * rest
    return _reprefix(value.to(unit), _DATA_PREFIXES)


def _percent(value: pint.Quantity) -> pint.Quantity:
    """A product or power of percentages is a fraction, shown in percent (50% x 50% is
    25 %, not 2,500 %²); one divided by a percentage is a plain ratio (1 / 50% is 2)."""
    power = dict(value.unit_items())["percent"]
    if power == 1:
        return value
    return value.to("percent" if power > 0 else "dimensionless")


def _fold_percent(value: pint.Quantity) -> pint.Quantity:
    units = dict(value.unit_items())
    if "percent" not in units:
        return value
    kept = ureg.dimensionless
    for name, power in units.items():
        if name != "percent":
            kept = kept * ureg.Unit(name) ** power
    return value.to(kept)


def _prefixed(value: pint.Quantity) -> pint.Quantity:
    """Re-prefix the first physical unit to the power so its number is 1 to 999.

    Money and counts are left as they are; so is a unit only in the denominator.
    """
    dims = {k.strip("[]") for k in value.dimensionality}
    if "currency" in dims or dims <= set(COUNT_UNITS):
        return value
    return _reprefix(value, _PREFIXES)


def _reprefix(value: pint.Quantity, prefixes: dict[int, str]) -> pint.Quantity:
    if float(value.magnitude) == 0:
        return value
    for name, power in value.unit_items():
        parsed = ureg.parse_unit_name(name)
        if power == 1 and parsed and parsed[0][1] in _PREFIXABLE:
            base = parsed[0][1]
            break
    else:
        return value
    plain = value.to(value.units / ureg.Unit(name) * ureg.Unit(base))
    if not math.isfinite(float(plain.magnitude)):  # 1e308 kW is past a float in watts
        return value
    exponent = math.floor(math.log10(abs(float(plain.magnitude))) / 3) * 3
    prefix = prefixes[min(max(exponent, min(prefixes)), max(prefixes))]
    return plain.to(plain.units / ureg.Unit(base) * ureg.Unit(prefix + base))
