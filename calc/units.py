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
import stat
from importlib import resources
from pathlib import Path
from typing import Any

import pint

from .errors import UnitError

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

#: Scale words and their factors, largest first (used for display too).
SCALE_WORDS: dict[str, float] = {
    "trillion": 1e12,
    "billion": 1e9,
    "million": 1e6,
    "thousand": 1e3,
}
#: Count units: their display name in the plural, when a figure counts them.
#: ``define_count_unit`` adds the count units that scenario files declare.
COUNT_UNITS: dict[str, str] = {"home": "homes", "rack": "racks", "gpu": "GPUs"}
#: The count units defined in ``calc/units.txt``, before any are added at run time.
BUILT_IN_COUNT_UNITS: frozenset[str] = frozenset(COUNT_UNITS)
_COUNT_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")

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


def _check_exponents(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise UnitError(f"the text is {len(text)} characters long; a value or unit has at most "
                        f"{MAX_TEXT}")
    for match in _EXPONENT.finditer(text):
        power = match.group(2).replace(" ", "")
        rest = text[match.end():].lstrip()
        if (not re.fullmatch(r"[-+]?\d+(\.\d+)?", power) or abs(float(power)) > MAX_EXPONENT
                or rest.startswith(("**", "^"))):
            raise UnitError(f"{text!r} has the exponent {match.group(0).strip()!r}; exponents in "
                            f"units are plain numbers from -{MAX_EXPONENT} to {MAX_EXPONENT}, "
                            "such as 'm**2' or 's^-1'")


def _rewrite_article_notation(text: str) -> str:
    _check_exponents(text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def parse_quantity(text: str | float | int) -> pint.Quantity:
    """Parse a value with a unit, accepting article notation.

    >>> parse_quantity("$1.4 trillion")
    <Quantity(1.4e+12, 'USD')>
    >>> parse_quantity("25 million U.S. homes")
    <Quantity(25000000.0, 'home')>
    >>> parse_quantity("30 gigawatts")
    <Quantity(30, 'gigawatt')>

    Scale words are folded into the magnitude; a bare number is dimensionless.
    """
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a quantity; give a number with a unit such as '30 GW'")
    if isinstance(text, int | float):
        return fold_scale_words(Q_(text))
    cleaned = _rewrite_article_notation(text)
    if not cleaned:
        raise UnitError("the value is empty; give a number with a unit such as '30 GW'")
    try:
        parsed = ureg.Quantity(cleaned)
    except Exception as exc:  # pint raises many types; all mean "does not parse"
        raise UnitError(
            f"{text!r} does not parse as a quantity ({_short_reason(exc)}); "
            "give a number and a unit such as '30 GW', '$1.4 trillion' or '120 kW/rack'"
        ) from exc
    if not isinstance(parsed, pint.Quantity):  # a bare number
        parsed = Q_(parsed)
    if not math.isfinite(float(parsed.magnitude)):
        raise UnitError(f"{text!r} is not a finite number; give a value such as '30 GW'")
    return fold_scale_words(parsed)


def parse_unit(text: str) -> pint.Unit:
    """Parse a display unit such as ``'billion USD/GW'`` (scale words allowed)."""
    cleaned = _rewrite_article_notation(text)
    try:
        return ureg.Unit(cleaned)
    except Exception as exc:
        raise UnitError(
            f"{text!r} is not a unit ({_short_reason(exc)}); give one such as "
            "'kW/home', 'billion USD/GW' or 'TWh/yr'"
        ) from exc


def _short_reason(exc: Exception) -> str:
    if isinstance(exc, pint.UndefinedUnitError):
        names = ", ".join(repr(n) for n in exc.unit_names)
        return f"unknown unit {names}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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

    >>> define_count_unit("robot", "robots")
    <Unit('robot')>
    >>> parse_quantity("40 robots") / parse_quantity("2 weeks")
    <Quantity(20.0, 'robot / week')>

    Defining a name again is harmless; a name pint already knows as another unit
    (``point`` is a length) is refused, so a count can never become a length.
    """
    if name in COUNT_UNITS:
        return ureg.Unit(name)
    if not _COUNT_NAME.fullmatch(name):
        raise UnitError(f"{name!r} is not a usable unit name; a count unit is a lower-case "
                        "word of letters, digits and '_', such as 'robot'")
    _check_free(name, f"name the count differently, such as '{name}_count'")
    alias = plural if plural and plural != name else None
    if alias is not None:
        if not alias.isidentifier():
            raise UnitError(f"{alias!r} is not a usable plural of {name!r}; give one word, "
                            "such as 'robots'")
        _check_free(alias, f"give {name!r} another plural, or none")
    ureg.define(f"{name} = [{name}]" + (f" = _ = {alias}" if alias else ""))
    COUNT_UNITS[name] = plural or name
    return ureg.Unit(name)


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


def format_number(magnitude: float) -> tuple[str, str]:
    """Format a magnitude readably; returns (digits, scale word or '').

    Millions and up take a scale word with three significant figures; thousands
    take separators; smaller numbers three significant figures.
    """
    if not math.isfinite(magnitude):
        raise ValueError(f"cannot display a non-finite number {magnitude}")
    size = abs(magnitude)
    if size >= 1e15:  # past a thousand trillion, words stop helping: 1.2e18
        return _significant(magnitude), ""
    if size >= 1e6:
        for word, factor in SCALE_WORDS.items():
            if size >= factor and word != "thousand":
                scaled = magnitude / factor
                if abs(scaled) < 1000 or word == "trillion":
                    return _significant(scaled), word
    if size >= 1e3:
        return f"{magnitude:,.0f}", ""
    return _significant(magnitude), ""


def _significant(value: float, digits: int = 3) -> str:
    if value == 0:
        return "0"
    if 10**digits <= abs(value) < 1e15:
        return f"{value:,.0f}"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


def format_quantity(quantity: pint.Quantity, unit: pint.Unit | str | None = None) -> str:
    """Format a scalar quantity readably: '46.7 billion USD/GW', '1.23 kW/home'."""
    if unit is not None:
        quantity = quantity.to(unit)
    quantity = fold_scale_words(quantity)
    magnitude = float(quantity.magnitude)
    digits, word = format_number(magnitude)
    unit_text = format_unit(quantity.units, plural=magnitude != 1)
    return " ".join(part for part in (digits, word, unit_text) if part)


def to_plain(quantity: pint.Quantity) -> tuple[Any, str]:
    """(magnitude, unit string) with scale words folded into the magnitude."""
    folded = fold_scale_words(quantity)
    return folded.magnitude, format(folded.units, "D")


def format_together(quantities: list[pint.Quantity]) -> tuple[list[str], str]:
    """Several values of one quantity on one scale, and the unit with its scale word:
    (['13.8', '12.2', '15.7'], 'million GPUs'), (['192,308', '182,000'], 'racks')."""
    folded = [fold_scale_words(q) for q in quantities]
    unit = folded[0].units
    magnitudes = [float(q.to(unit).magnitude) for q in folded]
    largest = max(abs(m) for m in magnitudes)
    word, factor = "", 1.0
    if largest >= 1e6:
        word, factor = next((w, f) for w, f in SCALE_WORDS.items()
                            if largest >= f or w == "million")
    texts = [format_number(m / factor)[0] if word else format_number(m)[0] for m in magnitudes]
    unit_text = format_unit(unit, plural=True)
    return texts, " ".join(part for part in (word, unit_text) if part)
