"""Sensitivity: which uncertain input moves an output most.

The tornado measure: each uncertain input goes to the 5th and then the 95th
percentile of its distribution while every other input stays at its point value;
the swing is the distance between the two outputs. All those one-at-a-time cases
are evaluated together, as one array pass. Beside it, each input's sample
correlation with the output in a Monte Carlo run shows how much of the output's
spread it carries when all inputs vary at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from calc.domain.distributions import check_seed, random_generator
from calc.errors import CalcError, UnknownNameError
from calc.names import closest
from calc.units.registry import Q_, pint_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from calc.domain.model import Scenario


@dataclass(frozen=True)
class Swing:
    """One input's effect on the output."""

    name: str
    input_low: pint.Quantity
    input_high: pint.Quantity
    output_low: pint.Quantity  # the output with this input at its 5th percentile
    output_high: pint.Quantity  # ... and at its 95th
    correlation: float | None  # Pearson, over a Monte Carlo run (None if either is constant)

    @property
    def swing(self) -> pint.Quantity:
        return abs(self.output_high - self.output_low)


@dataclass(frozen=True)
class Sensitivity:
    """The swings of every uncertain input, largest first."""

    scenario: Scenario
    output: str
    point: pint.Quantity
    swings: tuple[Swing, ...]

    def records(self) -> list[dict[str, Any]]:
        unit = self.point.units
        return [
            {
                "input": s.name,
                "input_low": float(s.input_low.magnitude),
                "input_high": float(s.input_high.magnitude),
                "input_unit": pint_text(s.input_low.units),
                "output_at_low": float(s.output_low.to(unit).magnitude),
                "output_at_high": float(s.output_high.to(unit).magnitude),
                "swing": float(s.swing.to(unit).magnitude),
                "output_unit": pint_text(unit),
                "correlation": s.correlation,
            }
            for s in self.swings
        ]

    def table(self) -> Any:
        """A pandas DataFrame where pandas is installed, else a list of dicts."""
        from calc.analysis.tables import tidy
        from calc.units.display import format_unit

        # units as every table shows them ('racks', not the JSON's pint name 'rack')
        records = [
            {
                **record,
                "input_unit": format_unit(swing.input_low.units),
                "output_unit": format_unit(self.point.units, plural=True),
            }
            for record, swing in zip(self.records(), self.swings, strict=True)
        ]
        return tidy(records, index="input")

    def __repr__(self) -> str:
        """'<Sensitivity of rack_count (192,308 racks): pue 227,273 to 178,571 racks; ...>'."""
        from calc.units.display import format_quantity, format_together

        parts = []
        for swing in self.swings:
            (low, high), unit = format_together([swing.output_low, swing.output_high])
            parts.append(f"{swing.name} {low} to {high} {unit}".rstrip())
        point = format_quantity(self.point)
        return f"<Sensitivity of {self.output} ({point}): {'; '.join(parts) or 'nothing moves it'}>"

    def _repr_html_(self) -> str:
        from calc.display import view

        return str(view("html", self))

    def plot(self) -> Figure:
        """A tornado chart (a matplotlib Figure; nothing is shown)."""
        from calc.display import view

        return view("plot", self)

    def save_plot(self, path: str | Path) -> Path:
        from calc.display import view

        return Path(view("plot", self, path=path))


def sensitivity(
    scenario: Scenario, output: str, *, samples: int = 10_000, seed: int | None = 0
) -> Sensitivity:
    """Rank the uncertain inputs of ``scenario`` by how far they swing ``output``."""
    from calc.domain.budget import check_sample_count
    from calc.domain.evaluate import evaluate_values, point_values, varying_quantities
    from calc.domain.graph import lineage

    check_seed(seed)
    _check_output(scenario, output)
    check_sample_count(samples, varying_quantities(scenario))
    behind = lineage(scenario)[output]
    uncertain = [n for n, i in scenario.inputs.items() if i.uncertainty is not None and n in behind]
    if not uncertain:
        raise CalcError(
            f"{output} rests on no uncertain input of {scenario.path.name}; give "
            "the inputs it reads a 'range' or 'distribution' to see which moves it"
        )
    point = evaluate_values(scenario, point_values(scenario), only=[output])[output]
    cases = _one_at_a_time(scenario, uncertain)
    swung = evaluate_values(scenario, cases, only=[output])[output]
    swung_magnitude = np.broadcast_to(np.asarray(swung.magnitude), (2 * len(uncertain),))
    correlations = _correlations(scenario, uncertain, output, samples, seed)
    swings = []
    for i, name in enumerate(uncertain):
        unit = scenario.inputs[name].quantity.units
        low, high = cases[name].magnitude[2 * i], cases[name].magnitude[2 * i + 1]
        swings.append(
            Swing(
                name=name,
                input_low=Q_(float(low), unit),
                input_high=Q_(float(high), unit),
                output_low=Q_(float(swung_magnitude[2 * i]), swung.units),
                output_high=Q_(float(swung_magnitude[2 * i + 1]), swung.units),
                correlation=correlations[name],
            )
        )
    swings.sort(key=lambda s: -float(s.swing.magnitude))
    return Sensitivity(scenario=scenario, output=output, point=point, swings=tuple(swings))


def _one_at_a_time(scenario: Scenario, uncertain: list[str]) -> dict[str, pint.Quantity]:
    """Inputs as arrays of 2k cases: case 2i has input i at its 5th percentile, 2i+1 at its
    95th, and every other input at its point value."""
    from calc.domain.evaluate import point_values

    values = point_values(scenario)
    cases = 2 * len(uncertain)
    for i, name in enumerate(uncertain):
        spec = scenario.inputs[name]
        unit = spec.quantity.units
        column = np.full(cases, float(spec.quantity.to(unit).magnitude))
        assert spec.uncertainty is not None
        column[2 * i], column[2 * i + 1] = spec.uncertainty.interval({}, unit)
        values[name] = Q_(column, unit)
    return values


def _correlations(
    scenario: Scenario, uncertain: list[str], output: str, samples: int, seed: int | None
) -> dict[str, float | None]:
    from calc.domain.evaluate import evaluate_values, sample_inputs

    rng = random_generator(seed)
    drawn = sample_inputs(scenario, rng, samples)
    result = evaluate_values(scenario, drawn, only=[output], draw=(rng, samples))[output]
    out = np.asarray(result.magnitude, dtype=float)
    correlations: dict[str, float | None] = {}
    for name in uncertain:
        column = np.asarray(drawn[name].magnitude, dtype=float)
        if out.ndim == 0 or np.std(out) == 0 or np.std(column) == 0:
            correlations[name] = None
        else:
            correlations[name] = float(np.corrcoef(column, out)[0, 1])
    return correlations


def _check_output(scenario: Scenario, output: str) -> None:
    if output not in scenario.names:
        hint = closest(output, scenario.names)
        raise UnknownNameError(
            f"{output!r} is not a quantity of {scenario.path.name}"
            + (f"; did you mean {hint}?" if hint else ""),
            name=output,
        )
