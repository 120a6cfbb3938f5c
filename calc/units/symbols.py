"""Units that pint reads in a symbol an article means otherwise.

pint knows thousands of units, many behind one or two letters: to pint '100 kt' is a
speed in knots, '10 Gal' an acceleration, '20 pc' a distance in parsecs, '$5 mil' dollars
times a thousandth of an inch, '4 R' four gas constants. In an article those symbols mean
kilotonnes, gallons, percent and million. calc never picks one of the readings: such a
unit is refused, naming what pint would read and what the article may mean, unless the
text names the unit in full ('knots', 'parsec'), which leaves no doubt.
"""

from __future__ import annotations

import re

import pint

from calc.errors import UnitError
from calc.units.registry import unprefixed

#: pint's name of a unit -> what it is, and what a writer may have meant by its symbol
#: (each with how to write it). ``by_name`` False: the full name is ambiguous too.
_UNSURE: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "knot": ("a speed", (("kilotonnes", "kilotonne"),)),
    "galileo": ("an acceleration", (("gallons", "gallon"),)),
    "parsec": ("a distance", (("percent", "%"),)),
    "carat": ("a mass of gems", (("cents", "cent"),)),
    "mil": ("a thousandth of an inch", (("million", "million"),)),
    "molar": ("a concentration", (("million ('MM' in finance)", "million"),)),
    "pint": ("a volume", (("points", "the figure as a percent"),)),
    "point": (
        "a printer's length",
        (
            ("percentage points", "a percent: 3 pp is 3%"),
            ("basis points", "a percent: 50 bp is 0.5%"),
        ),
    ),
    "baud": ("a data rate in bits per second", (("basis points", "a percent: 50 bp is 0.5%"),)),
    "barn": ("an area in nuclear physics", (("billion", "billion"), ("bits", "bit"))),
    "gauss": ("a magnetic field", (("giga", "GW or GWh"),)),
    "poise": ("a viscosity", (("peta", "PW or PWh"),)),
    "stokes": ("a viscosity", ()),
    "molar_gas_constant": ("the gas constant", ()),
    "elementary_charge": ("the charge of an electron", (("a power of ten", "1e3"),)),
    "unified_atomic_mass_unit": ("a mass of atoms", ()),
    "absorbance_unit": ("an absorbance", (("astronomical units", "astronomical_unit"),)),
    "candela": ("a luminous intensity", ()),
    "rem": ("a radiation dose", ()),
    "ton": ("a short ton of 2,000 lb", (("metric tonnes", "tonne"), ("long tons", "long_ton"))),
}

#: The spelling that names a unit beyond doubt, where its own name does not: 'tons' may
#: be short, long or metric, and '$5 mil' is five million dollars to most writers.
_FULL_NAMES = {"ton": "short_ton", "mil": "thou", "point": "printers_point"}
#: Units whose prefixed symbols are sure: 'Tbps' is terabits per second, 'bps' alone may be
#: basis points.
_SURE_WITH_PREFIX = {"baud"}


def refuse_unsure_units(unit: pint.Unit, text: str) -> None:
    """UnitError when ``unit`` holds a unit of ``_UNSURE`` that ``text`` does not name in
    full (a symbol such as 'kt' or 'Gal'), naming the readings."""
    reason = unsure_reason(unit, text)
    if reason is not None:
        raise UnitError(f"{text!r}: {reason}")


def unsure_reason(unit: pint.Unit, text: str) -> str | None:
    """Why ``unit``, read from ``text``, is not sure: the symbol and its readings.

    >>> from calc.units.registry import ureg
    >>> print(unsure_reason(ureg.Unit("kt"), "100 kt"))
    'kt' could be kilotonnes (write 'kilotonne'), or the knot, a speed (write 'knot');
    calc does not pick one: write the unit you mean
    >>> unsure_reason(ureg.Unit("knot"), "30 knots") is None
    True
    """
    for name in unit._units:
        base = unprefixed(name, unit._REGISTRY)  # 'MM' is a megamolar
        if base not in _UNSURE or _named_in_full(name, text):
            continue
        if base != name and base in _SURE_WITH_PREFIX:
            continue
        what, meant = _UNSURE[base]
        symbol, full = _symbol_of(name, unit, text), _FULL_NAMES.get(name, name)
        pint_reading = f"the {name.replace('_', ' ')}, {what} (write '{full}')"
        if not meant:
            return (
                f"{symbol!r} reads as {pint_reading}, which an article hardly means; "
                "write the unit by its name if you mean it"
            )
        options = [f"{reading} (write '{how}')" for reading, how in meant]
        return (
            f"{symbol!r} could be "
            + ", or ".join([*options, pint_reading])
            + "; calc does not pick one: write the unit you mean"
        )
    return None


def _named_in_full(name: str, text: str) -> bool:
    spelled = re.escape(_FULL_NAMES.get(name, name)).replace("_", "[ _]")
    return re.search(rf"(?<!\w){spelled}(?:s|es)?(?!\w)", text, flags=re.IGNORECASE) is not None


def _symbol_of(name: str, unit: pint.Unit, text: str) -> str:
    """The word of ``text`` that pint read as ``name`` ('kt' for knot), else the name."""
    registry = unit._REGISTRY
    for word in re.findall(r"[^\W\d_]+", text):
        try:
            if name in registry.Unit(word)._units:
                return word
        except Exception:  # pint raises several types; all mean "not a unit"
            continue
    return name
