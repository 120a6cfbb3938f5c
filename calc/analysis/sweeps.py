"""Sweeps: vary one or two inputs over a grid and evaluate it in one array pass.

The graph is evaluated as for a point estimate, with the first varied input a column
and the second a row: numpy broadcasts them, so a quantity that depends on one input
alone is computed once per value of it (not once per grid point), and only the
derived quantities the outputs need are computed at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from calc.domain.budget import MAX_AXIS_POINTS
from calc.domain.overrides import coerce, with_inputs
from calc.errors import CalcError, UnitError, UnknownNameError
from calc.names import closest
from calc.units.display import label_with_unit
from calc.units.notation import parse_value
from calc.units.registry import Q_

if TYPE_CHECKING:
    from calc.domain.model import Scenario

_RANGE_COUNT = re.compile(r"\s*(\d+)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Axis:
    """One varied input and its values (a 1-D array quantity)."""

    name: str
    values: pint.Quantity

    @property
    def label(self) -> str:
        return label_with_unit(self.name, self.values.units)


@dataclass(frozen=True)
class Sweep:
    """The outputs over the grid: each output's array has one axis per varied input."""

    scenario: Scenario
    axes: tuple[Axis, ...]
    outputs: Mapping[str, pint.Quantity]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(axis.values) for axis in self.axes)

    def label(self, name: str) -> str:
        """'rack_count (racks)' for an output, 'pue' for a pure number."""
        return label_with_unit(name, self.outputs[name].units)

    @property
    def title(self) -> str:
        """What the sweep draws: 'rack_count, gpu_count by rack_power (100 to 140 kW/rack)'."""
        swept = " and ".join(_span(axis) for axis in self.axes)
        return f"{', '.join(self.outputs)} by {swept}"

    def columns(self) -> dict[str, np.ndarray]:
        """The tidy table as whole columns, one value per grid point: the varied inputs,
        then the outputs (the first input varies slowest)."""
        grids = np.meshgrid(*(a.values.magnitude for a in self.axes), indexing="ij")
        columns = {a.label: g.ravel() for a, g in zip(self.axes, grids, strict=True)}
        for name, value in self.outputs.items():
            columns[self.label(name)] = np.broadcast_to(value.magnitude, self.shape).ravel()
        return columns

    def records(self) -> list[dict[str, float]]:
        """One record per grid point: the varied inputs, then the outputs (tidy)."""
        columns = self.columns()
        keys = list(columns)
        rows = zip(*(column.tolist() for column in columns.values()), strict=True)
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def table(self) -> Any:
        """The tidy table as a pandas DataFrame where pandas is installed (built from
        whole columns), else the list of records; the frame's ``figure()`` draws the
        sweep."""
        from calc.analysis.tables import sweep_table

        try:
            import pandas as pd
        except ImportError:
            return self.records()
        return sweep_table(pd.DataFrame(self.columns(), copy=False), self)


def _span(axis: Axis) -> str:
    """'rack_power (100 to 140 kW/rack)': an input and the values it was swept over."""
    from calc.units.display import format_together

    ends = [axis.values[0], axis.values[-1]]
    texts, unit = format_together(ends)
    return f"{axis.name} ({texts[0]} to {texts[1]}{' ' + unit if unit else ''})"


def sweep(scenario: Scenario | str | Path, vary: Mapping[str, Any], outputs: Sequence[str]) -> Any:
    """A tidy table of ``outputs`` over the grid of ``vary`` (one or two inputs).

    One row per grid point; a pandas DataFrame where pandas is installed, else a
    list of dicts.

    >>> import calc
    >>> calc.sweep("scenarios/openai-30gw.yaml", {"pue": [1.2, 1.5]}, ["it_power"])
      pue it_power (GW)
    0 1.2            25
    1 1.5            20
    """
    return sweep_grid(scenario, vary, outputs).table()


def sweep_grid(
    scenario: Scenario | str | Path, vary: Mapping[str, Any], outputs: Sequence[str]
) -> Sweep:
    """``outputs`` over the grid of ``vary`` as arrays, without the table: the fast path.

    Each output is a pint Quantity with one axis per varied input (the first input along
    the rows); what depends on one input alone is computed once per value of it and
    spread over the grid as a read-only view, so nothing is written a million times that
    was computed a thousand. ``Sweep.table()`` makes the tidy table of ``calc.sweep``.

    >>> import calc
    >>> grid = calc.sweep_grid("scenarios/openai-30gw.yaml",
    ...                        {"pue": [1.2, 1.5], "load_factor": [0.5, 1.0]},
    ...                        ["rack_count", "annual_energy"])
    >>> grid.shape
    (2, 2)
    >>> grid.outputs["rack_count"].magnitude.round().tolist()  # one value per pue
    [[208333.0, 208333.0], [166667.0, 166667.0]]
    >>> grid.label("annual_energy"), grid.outputs["annual_energy"].magnitude.tolist()
    ('annual_energy (TWh/yr)', [[131.4, 262.8], [131.4, 262.8]])
    """
    from calc.domain.model import Scenario
    from calc.io.loader import load_scenario

    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return evaluate_grid(loaded, vary, outputs)


def evaluate_grid(scenario: Scenario, vary: Mapping[str, Any], outputs: Sequence[str]) -> Sweep:
    """Evaluate ``outputs`` over the grid of the ``vary`` values (one or two inputs).

    ``vary`` maps input names to sequences of values: Quantities, strings such as
    "600 kW/rack", numbers for dimensionless inputs, or a 1-D Quantity array.
    """
    from calc.domain.evaluate import evaluate_values, point_values

    if not 1 <= len(vary) <= 2:
        raise CalcError(
            f"a sweep varies one or two inputs, not {len(vary)}; give one or two --vary options"
        )
    if not outputs:
        raise CalcError("a sweep needs at least one output; add --output NAME")
    _check_outputs(scenario, outputs)
    axes = tuple(_axis(scenario, name, values) for name, values in vary.items())
    _check_size(axes, len(axes) + len(scenario.derived))
    shape = tuple(len(a.values) for a in axes)
    overrides = {a.name: Q_(_along(a, i, len(axes)), a.values.units) for i, a in enumerate(axes)}
    values = evaluate_values(scenario, point_values(with_inputs(scenario, overrides)), only=outputs)
    return Sweep(
        scenario=scenario, axes=axes, outputs={n: _reshaped(values[n], shape) for n in outputs}
    )


def _along(axis: Axis, index: int, dimensions: int) -> np.ndarray:
    """The axis's values along dimension ``index`` of the grid: a column for the first of
    two inputs, a row for the second, so that numpy broadcasts them into the grid."""
    shape = [1] * dimensions
    shape[index] = len(axis.values)
    return axis.values.magnitude.reshape(shape)


def _reshaped(value: pint.Quantity, shape: tuple[int, ...]) -> pint.Quantity:
    """An output over the whole grid: what depends on one input (or none) is spread over
    the other axis as a read-only view, without copying."""
    magnitude = np.asarray(value.magnitude, dtype=float)
    if magnitude.shape == shape and magnitude is value.magnitude:
        return value  # already over the whole grid
    return Q_(np.broadcast_to(magnitude, shape), value.units)


def _check_outputs(scenario: Scenario, outputs: Sequence[str]) -> None:
    known = scenario.names
    for name in outputs:
        if name not in known:
            hint = closest(name, known)
            raise UnknownNameError(
                f"output {name!r} is not a quantity of {scenario.path.name}"
                + (f"; did you mean {hint}?" if hint else ""),
                name=name,
            )


def _check_size(axes: tuple[Axis, ...], quantities: int) -> None:
    """Refuse a grid past the memory budget, before the meshgrid."""
    from calc.domain.budget import check_sample_count

    points = math.prod(len(a.values) for a in axes)
    check_sample_count(points, quantities, what="grid points", fix="use fewer steps")


def _axis(scenario: Scenario, name: str, values: Any) -> Axis:
    if name not in scenario.inputs:
        from calc.domain.overrides import _original

        _original(scenario, name)  # raises the helpful error
    like = scenario.inputs[name].quantity
    if isinstance(values, str):
        values = parse_values(name, values, like)
    if isinstance(values, pint.Quantity | np.ndarray):
        items = [values]  # one array: coerced at once, not element by element
    elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        items = [np.asarray(values, dtype=float)]
    else:
        items = list(values)
    quantities = [coerce(name, v, like) for v in items]
    unit = like.units if like.dimensionless else quantities[0].units
    array = np.concatenate([np.atleast_1d(q.to(unit).magnitude) for q in quantities])
    if array.ndim != 1 or array.size < 1:
        raise UnitError(f"--vary {name}: give at least one value")
    return Axis(name=name, values=Q_(array.astype(float), unit))


def parse_values(name: str, text: str, like: pint.Quantity) -> pint.Quantity:
    """'1.1:1.5:9' (range, N points), '100:600:6 kW/rack', or '120 kW/rack, 600 kW/rack'."""
    parts = text.split(":")
    if len(parts) == 3:
        return _range(name, text, parts, like)
    if len(parts) != 1:
        raise UnitError(
            f"--vary {name}={text!r} is neither LOW:HIGH:N nor a list A,B,C; write "
            f"it like {name}=1.1:1.5:9 or {name}=1.1,1.3,1.5"
        )
    items = [p.strip() for p in text.split(",")]
    if any(not p for p in items):
        raise UnitError(
            f"--vary {name}={text!r} has an empty item; write it like {name}=1.1,1.3,1.5"
        )
    unit = _trailing_unit(items[-1])
    return _stack(name, [_with_unit(name, p, unit) for p in items], like)


def _range(name: str, text: str, parts: list[str], like: pint.Quantity) -> pint.Quantity:
    match = _RANGE_COUNT.fullmatch(parts[2])
    if not match or int(match.group(1)) < 2:
        raise UnitError(
            f"--vary {name}={text!r}: the number of points after the second ':' "
            "must be a whole number of at least 2, as in 1.1:1.5:9"
        )
    count, unit = int(match.group(1)), match.group(2)
    if count > MAX_AXIS_POINTS:  # before linspace allocates them
        raise UnitError(
            f"--vary {name}={text!r} asks for {count:,} points; a swept input "
            f"takes at most {MAX_AXIS_POINTS:,}: use fewer steps"
        )
    low, high = (_with_unit(name, p.strip(), unit) for p in parts[:2])
    low, high = coerce(name, low, like), coerce(name, high, like)
    return Q_(np.linspace(low.magnitude, high.to(low.units).magnitude, count), low.units)


def _trailing_unit(item: str) -> str:
    match = re.fullmatch(r"[-+\d.eE]+\s+(.+)", item)
    return match.group(1) if match else ""


def _with_unit(name: str, text: str, unit: str) -> pint.Quantity:
    try:
        value = parse_value(text)
        if unit and value.dimensionless and re.fullmatch(r"[-+\d.eE]+", text):
            value = parse_value(f"{text} {unit}")
    except CalcError as exc:
        raise UnitError(f"--vary {name}: {exc.message}") from None
    return value


def _stack(name: str, values: list[pint.Quantity], like: pint.Quantity) -> pint.Quantity:
    coerced = [coerce(name, v, like) for v in values]
    unit = coerced[0].units
    return Q_(np.array([float(q.to(unit).magnitude) for q in coerced]), unit)
