"""The one unit registry: pint with calc's definitions, count units and
scale words.

Everything in calc that has a unit uses ``ureg`` from here, so quantities from
different scenario files can always be combined. The registry adds currency,
count units and scale words (``units.txt`` beside this file) to pint's defaults.

pint can keep its parsed definitions in an on-disk cache, which saves about a third
of start-up; but the cache is a pickle, and loading a pickle runs whatever it holds.
So the cache is kept only beside calc's own bytecode (``calc/__pycache__``, which Python
already executes from), and only when that folder is this user's and nobody else can
write it; anywhere else, the registry is built from the definitions text.
"""

from __future__ import annotations

import math
import os
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pint

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
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid in {os.geteuid(), 0}
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


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
    registry.load_definitions(str(resources.files("calc.units").joinpath("units.txt")))
    return registry


def _remember_unit_names(registry: pint.UnitRegistry) -> None:
    """Make the registry remember how it read each unit text until a unit is defined.

    pint reads every unit text anew: it splits each name ('GW', 'kWh', 'homes') into
    prefix, name and suffix by trying each of its prefixes and suffixes, about 30 us a
    name, and calc reads the same texts again and again (a scenario's values, the
    reference library's, the article reader's candidate words, ``ureg.percent``). The
    answers (tuples and pint's immutable UnitsContainer) depend only on the definitions,
    so they are kept until ``define`` adds one (a scenario's count unit).
    """
    known: dict[tuple[Any, ...], Any] = {}

    def remembered(method: Any) -> Any:
        def read(text: Any, *options: Any, **named: Any) -> Any:
            key = (method.__name__, text, *options, *sorted(named.items()))
            try:
                found = known.get(key)
            except TypeError:  # not a text: pint's own reading, unremembered
                return method(text, *options, **named)
            if found is None:
                if len(known) >= _MOST_TEXTS_REMEMBERED:  # words of a long article
                    known.clear()
                found = known[key] = method(text, *options, **named)
            return found

        return read

    define = registry.define
    forget_on_define(known.clear)

    def define_and_forget(definition: Any) -> None:
        _forget_readings()
        define(definition)
        _forget_readings()

    registry.parse_unit_name = remembered(registry.parse_unit_name)  # type: ignore[method-assign]
    registry.parse_units_as_container = remembered(  # type: ignore[method-assign]
        registry.parse_units_as_container
    )
    registry.define = define_and_forget  # type: ignore[method-assign]


#: What forgets a reading of unit text when a unit is defined: each memory of readings
#: (the registry's own, parse_value's) registers its ``clear`` here.
_FORGETTERS: list[Any] = []


def forget_on_define(forget: Any) -> None:
    """Call ``forget()`` whenever a unit is defined: what was read before may read
    differently now ('40 windmills' once a scenario declares the count unit windmill)."""
    _FORGETTERS.append(forget)


def _forget_readings() -> None:
    for forget in _FORGETTERS:
        forget()


#: How many unit texts the registry remembers at most (a few hundred in a scenario).
_MOST_TEXTS_REMEMBERED = 20_000

ureg: pint.UnitRegistry = _build_registry()
_remember_unit_names(ureg)
ureg.formatter.default_format = "~P"
Q_ = ureg.Quantity

#: The product sign pint writes between units: "·" up to pint 0.25, "⋅" (U+22C5) from 0.26.
_PINT_PRODUCT_SIGNS = str.maketrans({"\u22c5": "\u00b7"})


def unprefixed(name: str, registry: pint.UnitRegistry | None = None) -> str:
    """A unit's name without its SI prefix ('byte' for 'petabyte', 'molar' for
    'megamolar'); the name itself when pint reads it without one."""
    parsed = (registry or ureg).parse_unit_name(name)
    return parsed[0][1] if parsed else name


def pint_text(value: pint.Unit | pint.Quantity | Any) -> str:
    """A unit or quantity in pint's short pretty form ('kW/rack', '2 GW·h'), with one
    product sign whatever pint's version: calc's messages, tables and reader all use '·'."""
    return format(value, "~P").translate(_PINT_PRODUCT_SIGNS)


def _readable(quantity: pint.Quantity) -> str | None:
    """The quantity as calc writes it, from calc.units.display (reached through
    calc.display, which imports it on first use, as the registry sits below it)."""
    from calc import display

    return display.view("readable", quantity)  # type: ignore[no-any-return]


def _repr_html(quantity: pint.Quantity) -> str:
    from html import escape

    text = _readable(quantity)
    return escape(text) if text is not None else pint.Quantity._repr_html_(quantity)


def _repr_pretty(quantity: pint.Quantity, printer: Any, cycle: bool) -> None:
    text = _readable(quantity)
    if text is None:
        pint.Quantity._repr_pretty_(quantity, printer, cycle)
    else:
        printer.text(text)


# A notebook shows calc's quantities as the terminal does, not as pint's default
# ('46666666666.666664 USD/GW'); only calc's registry's class is changed.
ureg.Quantity._repr_html_ = _repr_html  # type: ignore[method-assign]
ureg.Quantity._repr_pretty_ = _repr_pretty  # type: ignore[method-assign]
ureg.Quantity._repr_markdown_ = _readable  # type: ignore[method-assign]
ureg.Quantity._repr_latex_ = lambda quantity: None  # type: ignore[method-assign]
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
#: The count units defined in ``calc/units/units.txt``, before any are added at run time.
BUILT_IN_COUNT_UNITS: frozenset[str] = frozenset(COUNT_UNITS)


@lru_cache(maxsize=256)
def conversion_factor(source: pint.Unit, target: pint.Unit) -> float | None:
    """The factor pint multiplies a magnitude in ``source`` by to give it in ``target``
    (the same float, so the result is the same to the last bit); None where the two do
    not convert by one finite, non-zero factor (another dimension, an offset unit)."""
    try:
        if Q_(0.0, source).to(target).magnitude != 0.0:
            return None
        factor = float(Q_(1.0, source).to(target).magnitude)
    except (pint.PintError, ArithmeticError, ValueError, TypeError):
        return None
    return factor if math.isfinite(factor) and factor != 0.0 else None


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
