"""Readable display of quantities: a number at a readable scale, the unit in
words a person uses, and dimensions named in words.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

import numpy as np
import pint

from calc import display
from calc.percentiles import percentiles
from calc.units.registry import (
    _SCALE_EXPONENTS,
    COUNT_UNITS,
    Q_,
    SCALE_WORDS,
    fold_scale_words,
    pint_text,
    ureg,
)

_DIMENSION_NAMES: dict[str, str] = {
    "W": "power",
    "J": "energy",
    "USD": "money",
    "s": "time",
    "m": "length",
    "kg": "mass",
    "USD/J": "price of energy",
    "USD/W": "cost per unit of power",
}


# --- dimensions ---------------------------------------------------------------


def describe_dimension(value: pint.Quantity | pint.Unit) -> str:
    """Name a dimension for a person: 'a power', 'an energy', 'money per power'."""
    dims = value.dimensionality
    if not dims:
        return "a pure number"
    for symbol, name in _DIMENSION_NAMES.items():
        if ureg.get_dimensionality(symbol) == dims:
            return _with_article(name)
    counts = {k.strip("[]"): v for k, v in dims.items() if k.strip("[]") in COUNT_UNITS}
    physical = ureg.dimensionless
    for k, v in dims.items():
        if k.strip("[]") not in counts:
            physical = physical * _unit_for_dimension(k) ** v
    base = describe_dimension(physical) if counts else f"{dims}"
    if counts and all(v == -1 for v in counts.values()):
        per = " and ".join(counts)
        return f"{base} per {per}"
    if counts and all(v == 1 for v in counts.values()) and not physical.dimensionality:
        return "a count of " + " and ".join(COUNT_UNITS[c] for c in counts)
    return f"{dims}"


def _unit_for_dimension(dimension: str) -> pint.Unit:
    base = {
        "[currency]": "USD",
        "[length]": "m",
        "[mass]": "kg",
        "[time]": "s",
        "[current]": "A",
        "[temperature]": "K",
        "[substance]": "mol",
        "[luminosity]": "cd",
    }
    return ureg.Unit(base.get(dimension, dimension.strip("[]")))


def _with_article(name: str) -> str:
    if name == "money":
        return name
    return ("an " if name[0] in "aeiou" else "a ") + name


# --- display ------------------------------------------------------------------


def format_unit(unit: pint.Unit, *, plural: bool = False) -> str:
    """A unit as a person writes it: 'kW/home', 'USD/GW', 'GPUs'."""
    items = list(unit._units.items())
    if plural and len(items) == 1 and items[0][1] == 1 and items[0][0] in COUNT_UNITS:
        return COUNT_UNITS[items[0][0]]
    words = [w for w, _ in items if w in SCALE_WORDS]
    if words:  # "billion USD/GW", not pint's "USD·billion/GW"
        rest = fold_scale_words(Q_(1.0, unit)).units
        return " ".join([*words, pint_text(rest)])
    return pint_text(unit)


def label_with_unit(name: str, unit: pint.Unit) -> str:
    """A column or axis label: the name, and the unit as a table of values shows it,
    a count in the plural ('rack_count (racks)', 'rack_power (kW/rack)', 'pue')."""
    text = format_unit(unit, plural=True)
    return f"{name} ({text})" if text else name


#: Significant figures of a displayed number below a thousand, or before a scale word.
DIGITS = 3
#: From this size on, scale words stop helping and a number is shown as 1.23e18.
_SCIENTIFIC = Decimal("1e15")


def format_number(magnitude: float, *, word: str | None = None) -> tuple[str, str]:
    """Format a magnitude readably; returns (digits, scale word or '').

    Millions and up take a scale word with three significant figures; thousands
    take separators; smaller numbers three significant figures. The scale is chosen
    after rounding, so 999.95 million is '1 billion', never '1e3 million'. With
    ``word``, the number is put on that scale instead (for several values shown
    together); either way it is the same rounding of the same exact value, so every
    display of a number agrees with every other.

    >>> format_number(999.95e6), format_number(46.7e9), format_number(192308.4)
    (('1', 'billion'), ('46.7', 'billion'), ('192,308', ''))
    >>> format_number(5e6, word="trillion")
    ('5e-6', 'trillion')
    """
    if not math.isfinite(magnitude):
        raise ValueError(f"cannot display a non-finite number {magnitude}")
    if word is None:
        word = scale_word(magnitude)
    exact = Decimal(magnitude)  # the float's exact value: scaling by 10**k stays exact
    if word:
        exact = exact.scaleb(-_SCALE_EXPONENTS[word])
    return _digits(exact), word


def scale_word(magnitude: float) -> str:
    """The scale word the point display of ``magnitude`` uses ('' for none)."""
    exact = Decimal(magnitude)
    rounded = abs(_round_significant(exact))
    if rounded >= _SCIENTIFIC or abs(exact.to_integral_value(ROUND_HALF_EVEN)) < 1_000_000:
        return ""
    return next(w for w, k in _SCALE_EXPONENTS.items() if rounded >= Decimal(10) ** k)


def _digits(exact: Decimal) -> str:
    """'46.7', '0.00123', '192,308', '1.23e18', '1e-30': three significant figures,
    or a whole number with separators from a thousand on."""
    if exact == 0:
        return "0"
    rounded = _round_significant(exact)
    if abs(rounded) >= _SCIENTIFIC:
        return _scientific(rounded)
    if abs(rounded) >= 1000:
        return f"{exact.to_integral_value(ROUND_HALF_EVEN):,}"
    if rounded.adjusted() < -4:  # 0.00001 and less: 1e-5, as Python's 'g' writes it
        return _scientific(rounded)
    return _plain(rounded)


def _round_significant(exact: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec, context.rounding = DIGITS, ROUND_HALF_EVEN
        return +exact


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scientific(value: Decimal) -> str:
    mantissa = _plain(value.scaleb(-value.adjusted()))
    return f"{mantissa}e{value.adjusted()}"


def format_quantity(quantity: pint.Quantity, unit: pint.Unit | str | None = None) -> str:
    """Format a scalar quantity readably: '46.7 billion USD/GW', '1.23 kW/home'."""
    if unit is not None:
        quantity = quantity.to(unit)
    quantity = fold_scale_words(quantity)
    digits, word = format_number(float(quantity.magnitude))
    unit_text = format_unit(quantity.units, plural=_plural([digits], word))
    return " ".join(part for part in (digits, word, unit_text) if part)


def to_plain(quantity: pint.Quantity) -> tuple[Any, str]:
    """(magnitude, unit string) with scale words folded into the magnitude."""
    folded = fold_scale_words(quantity)
    return folded.magnitude, format(folded.units, "D")


def format_together(quantities: list[pint.Quantity]) -> tuple[list[str], str]:
    """Several values of one quantity on one scale, and the unit with its scale word:
    (['13.8', '12.2', '15.7'], 'million GPUs'), (['192,308', '182,000'], 'racks').

    The scale is the one the largest value's own display takes, and each number is the
    same rounding as its own display, so no value reads differently here. Past the
    scale words (1e15 and up) each value is written as it is alone.
    """
    folded = [fold_scale_words(q) for q in quantities]
    unit = folded[0].units
    magnitudes = [float(q.to(unit).magnitude) for q in folded]
    largest = max(magnitudes, key=abs)
    word = scale_word(largest)
    if word:
        texts = [format_number(m, word=word)[0] for m in magnitudes]
    else:
        texts = [" ".join(p for p in format_number(m) if p) for m in magnitudes]
    unit_text = format_unit(unit, plural=_plural(texts, word))
    return texts, " ".join(part for part in (word, unit_text) if part)


def _plural(texts: list[str], word: str) -> bool:
    """'1 home' but '1.2 homes', '1 million homes': by the number as shown."""
    return bool(word) or any(text not in ("1", "-1") for text in texts)


def quantity_json(value: pint.Quantity) -> dict[str, Any]:
    """{'value': number, 'unit': pint-parsable string, 'display': readable text}."""
    magnitude, unit = to_plain(value)
    return {"value": _number(magnitude), "unit": unit, "display": format_quantity(value)}


def _number(magnitude: Any) -> float | int:
    number = float(np.asarray(magnitude))
    if not math.isfinite(number):  # evaluation refuses these; this guards the format
        raise ValueError(f"refusing to write the non-finite number {number}")
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def readable(quantity: pint.Quantity) -> str | None:
    """A quantity as calc writes it: '46.7 billion USD/GW'; an array as its size and
    percentiles ('10,000 values: 5% 170,000, 50% 191,000, 95% 218,000 racks'); None
    where there is nothing finite to show, which keeps pint's own display."""
    try:
        if quantity.ndim == 0:
            return format_quantity(quantity)
        values = np.asarray(quantity.magnitude, dtype=float).ravel()
        if values.size == 0 or not np.all(np.isfinite(values)):
            return None
        one = [Q_(float(v), quantity.units) for v in values[:6]]
        if np.all(values == values[0]):
            return f"{values.size:,} values, all {format_quantity(one[0])}"
        if values.size <= 6:
            texts, unit = format_together(one)
            return f"[{', '.join(texts)}] {unit}".rstrip()
        cuts = percentiles(values, [5, 50, 95])
        texts, unit = format_together([Q_(float(c), quantity.units) for c in cuts])
        shown = ", ".join(f"{p} {t}" for p, t in zip(("5%", "50%", "95%"), texts, strict=True))
        return f"{values.size:,} values: {shown} {unit}".rstrip()
    except (ValueError, TypeError):  # a non-finite value: pint's display says it
        return None


display.register("readable", ureg.Quantity, readable)
