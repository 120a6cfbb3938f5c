"""What-if overrides: replace some inputs' values and get a new scenario.

An overridden input keeps its name, its unit's dimension and its original value
(for display), and its provenance becomes the override: sources, claims and
output all show that the figure was set by the user, not read from a source.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from calc.domain.sources import Source
from calc.errors import CalcError, UnitError, UnknownNameError
from calc.names import closest
from calc.units.counts import negative_count
from calc.units.display import describe_dimension, format_quantity, format_unit
from calc.units.notation import check_whole_number, parse_unit, parse_value
from calc.units.registry import Q_, pint_text, ureg

if TYPE_CHECKING:
    from calc.domain.model import Input, Scenario

#: The provenance of every overridden value.
OVERRIDE_SOURCE = Source(
    id="override", kind="override", title="value set for this run", publisher="the user", date=""
)


def with_inputs(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A new scenario whose named inputs take the given values.

    Values may be Quantities, strings in article notation ("600 kW/rack",
    "$2 trillion"), or plain numbers (and numpy arrays) for dimensionless inputs.
    The scenario passed in is never changed.
    """
    if not overrides:
        return scenario
    from calc.domain.model import Citation

    inputs = dict(scenario.inputs)
    for name, value in overrides.items():
        original = _original(scenario, name)
        quantity = coerce(name, value, original.quantity)
        inputs[name] = replace(
            original,
            quantity=quantity,
            kind="override",
            citations=(Citation(OVERRIDE_SOURCE, None),),
            original=original.original or original,
            uncertainty=None,
        )
    changed = replace(scenario, inputs=MappingProxyType(inputs))
    _check_dimensions(changed, scenario, overrides)
    return changed


def _check_dimensions(changed: Scenario, scenario: Scenario, overrides: Mapping[str, Any]) -> None:
    """Refuse a what-if that changes what a derived quantity measures, before any run.

    A dimensionless input can be an exponent (``side ** n``): setting n=3 would turn an
    area into a volume, which display would silently show in the wrong unit.
    """
    from calc.domain.evaluate import evaluate_values, point_values

    if not _can_change_dimensions(scenario, overrides, changed):
        return

    def first(values: Mapping[str, pint.Quantity]) -> dict[str, pint.Quantity]:
        return {
            n: Q_(np.ravel(q.magnitude)[0], q.units) if np.ndim(q.magnitude) else q
            for n, q in values.items()
        }

    before = _at_point_values(scenario)
    after = evaluate_values(changed, first(point_values(changed)), check_finite=False)
    for name, derived in changed.derived.items():
        old, new = before[name], after[name]
        if old.dimensionality != new.dimensionality:
            setting = ", ".join(f"{n}={_show(v)}" for n, v in overrides.items())
            raise UnitError(
                f"setting {setting} changes the dimension of {name} = {derived.formula}: it "
                f"would be {describe_dimension(new)} ({format_unit(new.units)}), not "
                f"{describe_dimension(old)} ({format_unit(old.units)}); a what-if changes "
                "values, not what a quantity measures: keep the inputs that set its unit as "
                "they are",
                location=derived.where("formula"),
            )


def _can_change_dimensions(
    scenario: Scenario, overrides: Mapping[str, Any], changed: Scenario
) -> bool:
    """Whether the overrides could change a derived quantity's dimension, so that the
    check must evaluate the graph: only when an overridden input gives a new dimension
    (``coerce`` refuses that already) or reaches the exponent of a ``**``, directly or
    through derived quantities. A derived distribution's parameters are not looked into:
    an input it rests on is always checked."""
    from calc.domain.graph import lineage
    from calc.lang.formula import Formula

    for name in overrides:
        old, new = scenario.inputs[name].quantity, changed.inputs[name].quantity
        if old.dimensionality != new.dimensionality:
            return True
    rests_on = lineage(scenario)
    exponents: set[str] = set()
    for derived in scenario.derived.values():
        formula = derived.formula
        used = formula.exponent_names if isinstance(formula, Formula) else formula.names
        exponents.update(*(rests_on[n] for n in used if n in rests_on))
    return not exponents.isdisjoint(overrides)


#: Each live scenario's quantities at its point values, by id (a scenario is immutable):
#: what-ifs of one scenario (a sweep, a notebook's sliders) compare against it each time.
_POINT_VALUES: dict[int, dict[str, pint.Quantity]] = {}


def _at_point_values(scenario: Scenario) -> dict[str, pint.Quantity]:
    """Every quantity of ``scenario`` at its point values, evaluated once per scenario."""
    from calc.domain.evaluate import evaluate_values, point_values

    key = id(scenario)
    values = _POINT_VALUES.get(key)
    if values is None:
        values = evaluate_values(scenario, point_values(scenario), check_finite=False)
        _POINT_VALUES[key] = values
        weakref.finalize(scenario, _POINT_VALUES.pop, key, None)  # before its id is reused
    return values


def _original(scenario: Scenario, name: str) -> Input:
    if name in scenario.inputs:
        return scenario.inputs[name]
    if name in scenario.derived:
        formula = scenario.derived[name].formula
        raise UnknownNameError(
            f"{name} is derived ({name} = {formula}), so it cannot be set; set the inputs it "
            f"rests on instead",
            name=name,
        )
    hint = closest(name, scenario.inputs)
    raise UnknownNameError(
        f"{name!r} is not an input of {scenario.path.name}"
        + (f"; did you mean {hint}?" if hint else f"; its inputs are {', '.join(scenario.inputs)}"),
        name=name,
        suggestions=tuple(h.strip("'") for h in hint.split(" or ") if h),
    )


def coerce(name: str, value: Any, like: pint.Quantity) -> pint.Quantity:
    """``value`` as a Quantity of the same dimension as ``like`` (the input's value)."""
    quantity = _as_quantity(name, value, like)
    if quantity.dimensionality != like.dimensionality:
        raise UnitError(
            f"{name}={_show(value)} is {describe_dimension(quantity)}, but {name} is "
            f"{describe_dimension(like)} ({format_quantity(like)}); give "
            f"{describe_dimension(like)} such as '{format_quantity(like)}'"
        )
    try:  # a copy: the caller's array may change later, the scenario's may not
        magnitude = np.array(quantity.magnitude, dtype=float)
    except (TypeError, ValueError):
        raise UnitError(
            f"{name}={_show(value)} is not a number or an array of numbers; "
            f"give a value such as '{format_quantity(like)}'"
        ) from None
    if not np.all(np.isfinite(magnitude)):
        raise UnitError(
            f"{name}={_show(value)} is not a finite number; give a value such "
            f"as '{format_quantity(like)}'"
        )
    magnitude.setflags(write=False)
    if (counted := negative_count(quantity)) is not None:
        raise UnitError(
            f"{name}={_show(value)} is a negative count of {counted}; a count is zero or more"
        )
    return Q_(magnitude if magnitude.ndim else float(magnitude), quantity.units)


def _as_quantity(name: str, value: Any, like: pint.Quantity) -> pint.Quantity:
    if isinstance(value, pint.Quantity):
        return value if value._REGISTRY is ureg else _from_other_registry(name, value)
    if isinstance(value, str):
        try:
            return parse_value(value)
        except CalcError as exc:
            raise UnitError(f"{name}={value!r}: {exc.message}") from None
    try:
        check_whole_number(value)
    except CalcError as exc:
        raise UnitError(f"{name}=...: {exc.message}") from None
    if isinstance(value, bool) or not isinstance(value, int | float | np.ndarray | list):
        raise UnitError(
            f"{name}={value!r} is not a value; give a number or a quantity such as "
            f"'{format_quantity(like)}'"
        )
    if not like.dimensionless:
        raise UnitError(
            f"{name}={_show(value)} has no unit, but {name} is {describe_dimension(like)}; "
            f"give a unit, such as '{format_quantity(like)}'"
        )
    try:
        return Q_(np.array(value, dtype=float))
    except (TypeError, ValueError):
        raise UnitError(
            f"{name}={value!r} is not a number or an array of numbers; give a "
            f"value such as '{format_quantity(like)}'"
        ) from None


def _from_other_registry(name: str, value: pint.Quantity) -> pint.Quantity:
    """A Quantity made with another pint registry, in calc's, through base units: the
    value is the same physical amount even where the registries define a unit apart
    (pint's year is 365.25 days, calc's 365)."""
    try:
        base = value.to_base_units()
        return Q_(base.magnitude, parse_unit(str(base.units)))
    except CalcError:
        raise UnitError(
            f"{name}={value!r} comes from another pint registry, in units calc "
            "does not know; give a string such as '30 GW', or a quantity made "
            "with calc.Q_"
        ) from None


def _show(value: Any) -> str:
    if isinstance(value, pint.Quantity) and value._REGISTRY is not ureg:
        return repr(pint_text(value))
    if isinstance(value, pint.Quantity) and np.ndim(value.magnitude) == 0:
        return repr(format_quantity(value))
    return repr(value) if not isinstance(value, np.ndarray) else f"array of {value.size}"


def parse_assignment(text: str) -> tuple[str, str]:
    """'pue=1.3' -> ('pue', '1.3'); the form of the command line's --set."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise UnitError(
            f"--set {text!r} is not NAME=VALUE; write it like --set pue=1.3 or "
            "--set rack_power='600 kW/rack'"
        )
    return name.strip(), value.strip()


def what_if_note(scenario: Scenario) -> str:
    """'what if rack_power = 600 kW/rack (was 120 kW/rack)'; '' for no override."""
    changed = [
        f"{name} = {format_quantity(spec.quantity)} (was {format_quantity(spec.original.quantity)})"
        for name, spec in scenario.inputs.items()
        if spec.original is not None
    ]
    return "what if " + ", ".join(changed) if changed else ""
