"""The one unit registry, article notation, and readable display of quantities.

Everything in calc that has a unit uses ``ureg`` from here, so quantities from
different scenario files can always be combined. The registry adds currency,
count units and scale words (``calc/units.txt``) to pint's defaults.

pint can keep its parsed definitions in an on-disk cache, which saves about a third
of start-up; but the cache is a pickle, and loading a pickle runs whatever it holds.
So the cache is kept only beside calc's own bytecode (``calc/__pycache__``, which Python
already executes from), and only when that folder is this user's and nobody else can
write it; anywhere else, the registry is built from the definitions text.
"""

from __future__ import annotations

import math
import os
import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
import stat
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pint

from .errors import UnitError
from .names import name_problem

#: Where pint's (pickle) cache of parsed definitions may live: inside calc's installation.
UNIT_CACHE = Path(__file__).resolve().parent / "__pycache__" / "pint-units"


def trusted_cache_folder(folder: Path = UNIT_CACHE) -> Path | None:
    """``folder`` when only this user (or root) can have written what it holds, else None.

    Every folder from calc's package down to ``folder`` that exists must be owned by this
    user or root and writable by neither group nor others, and calc's package must be
    writable by this user (pint writes the cache on first use).
    """
    package = folder.parent.parent
    chain = [package, package / "__pycache__", folder]
    try:
        if not os.access(package, os.W_OK):
            return None
        for path in chain:
            if path.exists() and not _private(os.lstat(path)):
                return None
    except OSError:
        return None
    return folder


def _private(status: os.stat_result) -> bool:
    return (stat.S_ISDIR(status.st_mode) and status.st_uid in {os.geteuid(), 0}
            and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _build_registry() -> pint.UnitRegistry:
    """The registry with calc's definitions; from the trusted cache when there is one,
    and from the text when the cache cannot be used (unwritable, corrupt, disk full)."""
    folder = trusted_cache_folder()
    if folder is not None:
        try:
            return _registry(folder)
        except Exception:  # any failure of the cache (corrupt, disk full): build without it
            pass
    return _registry(None)


def _registry(cache_folder: Path | None) -> pint.UnitRegistry:
    registry = pint.UnitRegistry(
        cache_folder=cache_folder,
        # calc's units.txt redefines `year` as 365 days on purpose (EIA's 8,760 h).
        on_redefinition="ignore",
    )
    registry.load_definitions(str(resources.files("calc").joinpath("units.txt")))
    return registry


ureg: pint.UnitRegistry = _build_registry()
ureg.formatter.default_format = "~P"
Q_ = ureg.Quantity
# pint unpickles quantities into its "application registry": make that calc's, so a
# pickled or deep-copied kWh/yr keeps calc's 365-day year and its count units.
pint.set_application_registry(ureg)

#: Scale words and their factors, largest first (used for display too).
SCALE_WORDS: dict[str, float] = {
    "trillion": 1e12,
    "billion": 1e9,
    "million": 1e6,
    "thousand": 1e3,
}
#: The scale words display uses, with their powers of ten, largest first.
_SCALE_EXPONENTS: dict[str, int] = {"trillion": 12, "billion": 9, "million": 6}
#: Count units: their display name in the plural, when a figure counts them.
#: ``define_count_unit`` adds the count units that scenario files declare.
COUNT_UNITS: dict[str, str] = {"home": "homes", "rack": "racks", "gpu": "GPUs"}
#: The count units defined in ``calc/units.txt``, before any are added at run time.
BUILT_IN_COUNT_UNITS: frozenset[str] = frozenset(COUNT_UNITS)

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


# --- article notation ---------------------------------------------------------

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "$1.4 trillion" -> "1.4 trillion USD"; "$5bn" stays for pint to reject.
    (re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|thousand)?"),
     r"\1 \2 USD"),
    # "10,791" -> "10791" (thousands separators only, never a decimal comma).
    (re.compile(r"(?<=\d),(?=\d{3}(?!\d))"), ""),
    # "U.S. homes" -> "homes": the qualifier is prose, not a unit.
    (re.compile(r"\bU\.\s?S\.\s*"), ""),
    (re.compile(r"\bper\b"), "/"),
    (re.compile(r"%"), " percent"),
)


#: Longest value or unit text accepted; a quantity is a few words, not a document.
MAX_TEXT = 200
#: Largest exponent in a unit string ("m**2", "s^-1"); pint would compute
#: "10**10**10" exactly, as a Python integer, and never return.
MAX_EXPONENT = 12
_EXPONENT = re.compile(r"(\*\*|\^)\s*([-+]?\s*[\w.(]*)")


#: Most digits in one number: a float holds about 17, and a number of hundreds of digits
#: would be an exact Python integer too large for a float.
MAX_DIGITS = 40
_DIGITS = re.compile(r"\d[\d,_]*")


def long_number(text: str) -> str | None:
    """The first number in ``text`` with more than MAX_DIGITS digits (shortened), if any."""
    for match in _DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) > MAX_DIGITS:
            return f"{digits[:6]}...({len(digits)} digits)"
    return None


def too_long_message(number: str) -> str:
    return (f"the number {number} is longer than {MAX_DIGITS} digits; write it with an "
            "exponent, such as '1.2e45', or with a scale word")


def check_whole_number(value: object) -> None:
    """Refuse a Python integer of more than MAX_DIGITS digits (YAML and notebooks give
    exact integers, which a float cannot hold past about 1e308)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        digits = int(value.bit_length() * math.log10(2)) + 1
        raise UnitError(too_long_message(f"of about {digits:,} digits"))


def _check_exponents(text: str) -> None:
    number = long_number(text)
    if number is not None:
        raise UnitError(too_long_message(number))
    if len(text) > MAX_TEXT:
        raise UnitError(f"the text is {len(text)} characters long; a value or unit has at most "
                        f"{MAX_TEXT}")
    _check_grouped_powers(text)
    for match in _EXPONENT.finditer(text):
        power = match.group(2).replace(" ", "")
        rest = text[match.end():].lstrip()
        if (not re.fullmatch(r"[-+]?\d+(\.\d+)?", power) or abs(float(power)) > MAX_EXPONENT
                or rest.startswith(("**", "^"))):
            raise UnitError(f"{text!r} has the exponent {match.group(0).strip()!r}; exponents in "
                            f"units are plain numbers from -{MAX_EXPONENT} to {MAX_EXPONENT}, "
                            "such as 'm**2' or 's^-1'")


def _check_grouped_powers(text: str) -> None:
    """Refuse a power of a group that holds a power, such as '(m**12)**12': the limit on
    each exponent would not hold for their product."""
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            start = opened.pop()
            after = text[index + 1:].lstrip()
            group = text[start:index]
            if after.startswith(("**", "^")) and ("**" in group or "^" in group):
                raise UnitError(f"{text!r} raises {group + ')'!r} to a power, and it holds a "
                                "power itself; exponents in units are plain numbers from "
                                f"-{MAX_EXPONENT} to {MAX_EXPONENT}, such as 'm**2'")


def _rewrite_article_notation(text: str) -> str:
    _check_exponents(text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


#: A value's number as written: decimal, no leading zero (YAML 1.1 and some tools read
#: '012' as octal), no '_', ':' or '0x' forms; then, after a space or not, the unit.
_VALUE = re.compile(r"(?P<number>[-+]?\s?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)"
                    r"(?![\d.,:_])\s*(?P<unit>.*)", re.DOTALL)
_NOT_DECIMAL = re.compile(r"[-+]?\s?0[xXoObB][0-9a-fA-F]")
#: What a unit is written with; pint's tokenizer skips some other marks ('1 GW,' was 1 GW).
_NOT_IN_UNITS = re.compile(r"[^\w\s*/^()\-.\u00b7\u00b0]")
_LEADING_ZERO = re.compile(r"[-+]?\s?0\d")
_HOW_TO_WRITE = ("give a number and a unit such as '30 GW', '$1.4 trillion' or "
                 "'120 kW/rack'")


def parse_quantity(text: str | float | int) -> pint.Quantity:
    """Parse a value with a unit, accepting article notation.

    >>> q = parse_quantity("$1.4 trillion")
    >>> q.magnitude, str(q.units)
    (1400000000000.0, 'USD')
    >>> print(parse_quantity("25 million U.S. homes"))
    25000000.0 home
    >>> print(parse_quantity("30 gigawatts"))
    30 GW

    Scale words are folded into the magnitude; a bare number is dimensionless. The
    number comes first and is read as written, in decimal: '012', '1:30', '0x1F',
    '1_000' and a second number among the units ('30 GW 5') are refused, never guessed.
    """
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a quantity; give a number with a unit such as '30 GW'")
    if isinstance(text, int | float):
        check_whole_number(text)
        return _finite(Q_(text), text)
    cleaned = _rewrite_article_notation(text)
    if not cleaned:
        raise UnitError("the value is empty; give a number with a unit such as '30 GW'")
    match = _VALUE.fullmatch(cleaned)
    if match is None or _NOT_DECIMAL.match(cleaned):
        if _NOT_DECIMAL.match(cleaned) or cleaned[0] in "+-.0123456789":
            raise UnitError(f"{text!r} is not a number as written: calc reads plain decimals "
                            "such as 90, 1.5 or 10,791, not '1:30', '1_000', '0x1F' or '1.2.3'; "
                            f"{_HOW_TO_WRITE}")
        raise UnitError(f"{text!r} does not start with a number; {_HOW_TO_WRITE}")
    number = match["number"].replace(" ", "")
    if _LEADING_ZERO.match(number):
        raise UnitError(f"{text!r} has a number with a leading zero, which some programs read "
                        f"as octal; write it as {number.lstrip('+-0') or '0'}, without the zero")
    if stray := _NOT_IN_UNITS.search(match["unit"]):
        raise UnitError(f"{text!r} does not parse as a quantity ({stray.group()!r} is not part "
                        f"of a unit); {_HOW_TO_WRITE}")
    try:
        if match["unit"]:
            ureg.Unit(match["unit"])  # units only: pint would multiply in a stray number
        parsed = ureg.Quantity(cleaned)
    except Exception as exc:  # pint raises many types; all mean "does not parse"
        _refuse_non_multiplicative_words(cleaned, text)
        raise UnitError(f"{text!r} does not parse as a quantity ({_short_reason(exc)}); "
                        + _HOW_TO_WRITE) from None
    parsed = parsed if isinstance(parsed, pint.Quantity) else Q_(parsed)
    require_multiplicative(parsed.units, text)
    return _finite(parsed, text)


def _finite(quantity: pint.Quantity, text: str | float | int) -> pint.Quantity:
    """Scale words folded in, and refused unless the magnitude is a finite number."""
    try:
        folded = fold_scale_words(quantity)
        finite = math.isfinite(float(folded.magnitude))
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        shown = str(text) if len(str(text)) <= 40 else str(text)[:40] + "\u2026"
        raise UnitError(f"{shown!r} is not a finite number; give a value such as '30 GW'")
    return folded


def parse_unit(text: str) -> pint.Unit:
    """Parse a display unit such as ``'billion USD/GW'`` (scale words allowed)."""
    cleaned = _rewrite_article_notation(text)
    try:
        unit = ureg.Unit(cleaned)
    except Exception as exc:
        raise UnitError(
            f"{text!r} is not a unit ({_short_reason(exc)}); give one such as "
            "'kW/home', 'billion USD/GW' or 'TWh/yr'"
        ) from exc
    return require_multiplicative(unit, text)


def _refuse_non_multiplicative_words(cleaned: str, text: str) -> None:
    """Name an offset or logarithmic unit that made pint fail ('20 degC' is
    "20 * degC", an ambiguous operation to pint), instead of pint's reason."""
    for word in re.findall(r"[^\W\d]\w*|°[CF]", cleaned):
        try:
            unit = ureg.Unit(word)
        except Exception:  # not a unit: pint's own reason stands
            continue
        require_multiplicative(unit, text)


def require_multiplicative(unit: pint.Unit, text: str) -> pint.Unit:
    """Refuse units that do not multiply: offset temperatures (degC, degF) and
    logarithmic units (dB, dBm, neper, octave).

    pint refuses to multiply or add them ("ambiguous operation"), and each pint
    version draws the line in another place, so calc refuses them where they are
    read, the same way on every version.
    """
    names = [name for name in unit._units if not Q_(1, name)._is_multiplicative]
    if not names:
        return unit
    shown = ", ".join(repr(format(ureg.Unit(name), "~P")) for name in names)
    if all(ureg.Unit(name).dimensionality == {"[temperature]": 1} for name in names):
        raise UnitError(
            f"{text!r} is a temperature on an offset scale ({shown}), which calc does not "
            "compute with; give an absolute temperature in K, or a difference in "
            "delta_degC or delta_degF")
    raise UnitError(
        f"{text!r} has the logarithmic unit {shown}, which calc does not compute with; "
        "give the ratio as a plain number, or the power itself in W")


def _short_reason(exc: Exception) -> str:
    """Why pint refused a text, in words: never a parser's internals or an exception's name."""
    if isinstance(exc, pint.UndefinedUnitError):
        names = ", ".join(repr(n) for n in exc.unit_names)
        return f"unknown unit {names}"
    if "scaling factor" in str(exc):
        return "a number stands among the units"
    if isinstance(exc, pint.PintError) and str(exc):  # pint's own words: dimensions, offsets
        return str(exc).splitlines()[0]
    return "the units are not well formed: check the operators and parentheses"


def fold_scale_words(quantity: pint.Quantity) -> pint.Quantity:
    """Move scale words (million, billion, ...) from the unit into the magnitude."""
    factor = 1.0
    kept = ureg.dimensionless
    for name, exponent in quantity.unit_items():
        if name in SCALE_WORDS:
            factor *= SCALE_WORDS[name] ** exponent
        else:
            kept = kept * ureg.Unit(name) ** exponent
    if factor == 1.0 and kept == quantity.units:
        return quantity
    return Q_(quantity.magnitude * factor, kept)


# --- count units added at run time ------------------------------------------


def define_count_unit(name: str, plural: str | None = None) -> pint.Unit:
    """Add a count unit with a dimension of its own, such as ``robot``, to the registry.

    >>> print(define_count_unit("robot", "robots"))
    robot
    >>> print(parse_quantity("40 robots") / parse_quantity("2 weeks"))
    20.0 robot/week

    Defining a name again is harmless; a name pint already knows as another unit
    (``point`` is a length) is refused, so a count can never become a length.
    """
    if name in COUNT_UNITS:
        return ureg.Unit(name)
    problem = name_problem(name, "unit")
    if problem:
        raise UnitError(f"{name!r} is not a usable unit name; {problem}")
    _check_free(name, f"name the count differently, such as '{name}_count'")
    alias = plural if plural and plural != name else None
    if alias is not None:
        problem = name_problem(alias, "plural")
        if problem:
            raise UnitError(f"{alias!r} is not a usable plural of {name!r}; {problem}")
        _check_free(alias, f"give {name!r} another plural, or none")
    ureg.define(f"{name} = [{name}]" + (f" = _ = {alias}" if alias else ""))
    COUNT_UNITS[name] = plural or name
    return ureg.Unit(name)


def negative_count(quantity: pint.Quantity) -> str | None:
    """The plural name of what ``quantity`` counts, when it is a count below zero
    (any of its values, for an array); else None. Counts are zero or more, in a
    scenario file, an override and a sweep alike."""
    units = dict(quantity.unit_items())
    if len(units) != 1 or next(iter(units)) not in COUNT_UNITS:
        return None
    counted = COUNT_UNITS[next(iter(units))]
    return counted if bool((np.asarray(quantity.magnitude) < 0).any()) else None


def _check_free(word: str, fix: str) -> None:
    if word in ureg:
        raise UnitError(f"{word!r} is already a unit ({describe_dimension(ureg.Unit(word))}); "
                        + fix)


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
    base = {"[currency]": "USD", "[length]": "m", "[mass]": "kg", "[time]": "s",
            "[current]": "A", "[temperature]": "K", "[substance]": "mol",
            "[luminosity]": "cd"}
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
        return " ".join([*words, f"{rest:~P}"])
    return f"{unit:~P}"


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
