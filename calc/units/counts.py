"""Count units added at run time: ``robot`` or ``turbine`` declared by a scenario file,
each with a dimension of its own, so a count can never become a length."""

from __future__ import annotations

import numpy as np
import pint

from calc.errors import UnitError
from calc.names import name_problem
from calc.units.display import describe_dimension
from calc.units.registry import COUNT_UNITS, ureg

# --- count units added at run time ------------------------------------------


def define_count_unit(name: str, plural: str | None = None) -> pint.Unit:
    """Add a count unit with a dimension of its own, such as ``robot``, to the registry.

    >>> from calc.units.notation import parse_quantity
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
        raise UnitError(
            f"{word!r} is already a unit ({describe_dimension(ureg.Unit(word))}); " + fix
        )
