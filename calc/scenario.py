"""The Scenario facade: a loaded scenario with the conveniences a notebook wants.

``calc.domain.model.Scenario`` is the data; this subclass adds evaluation, what-ifs,
sweeps, sensitivity and display, reaching down into the layers below. It is the one
place where the data meets the analysis and the presentation, so that the layers under
it never import upwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calc.domain import model
from calc.escape import terminal
from calc.io.loader import load_scenario as _load
from calc.result import Result
from calc.units.display import format_quantity

if TYPE_CHECKING:
    from calc.analysis.sensitivity import Sensitivity
    from calc.analysis.sweeps import Sweep


@dataclass(frozen=True, repr=False, eq=False)
class Scenario(model.Scenario):
    """A validated scenario (see ``calc.domain.model.Scenario``), with ``evaluate``,
    ``with_inputs``, ``sweep``, ``sweep_grid``, ``sensitivity`` and notebook display."""

    def __str__(self) -> str:
        width = max(len(n) for n in self.names)
        lines = [self.title, "inputs:"]
        lines += [
            f"  {n:<{width}}  {format_quantity(i.quantity)}"
            + (f"  ({i.uncertainty.describe()})" if i.uncertainty else "")
            for n, i in self.inputs.items()
        ]
        lines.append("derived:")
        lines += [f"  {n:<{width}}  = {d.formula}" for n, d in self.derived.items()]
        if self.claims:
            lines.append("claims:")
            lines += [f"  {n:<{width}}  {' '.join(c.text.split())}" for n, c in self.claims.items()]
        return terminal("\n".join(lines))

    def _repr_html_(self) -> str:
        from calc.render.html import scenario_html  # notebooks only: not for the command line

        return scenario_html(self)

    def with_inputs(self, overrides: Mapping[str, Any] | None = None, /, **values: Any) -> Scenario:
        """A new scenario with some inputs set to other values; this one is unchanged.

        >>> from calc import default_scenario, format_quantity
        >>> s = load_scenario(default_scenario())
        >>> print(format_quantity(s.with_inputs(pue=1.5).evaluate()["it_power"]))
        20 GW
        """
        from calc.domain.overrides import with_inputs

        return with_inputs(self, {**(overrides or {}), **values})

    def evaluate(
        self,
        overrides: Mapping[str, Any] | None = None,
        /,
        *,
        samples: int | None = None,
        seed: int | None = None,
        **values: Any,
    ) -> Result:
        """Evaluate every quantity and claim, with any inputs overridden by keyword.

        With ``samples``, also a Monte Carlo run: every uncertain input is drawn that
        many times (once each, from a generator seeded with ``seed``), and
        ``result[name]`` holds the samples; ``result.summary()`` their percentiles.

        >>> from calc import default_scenario
        >>> s = load_scenario(default_scenario())
        >>> print(format_quantity(s.evaluate(rack_power="600 kW/rack")["rack_count"]))
        38,462 racks
        """
        from calc.domain.evaluate import evaluate

        return evaluate(
            self.with_inputs(overrides, **values), samples=samples, seed=seed, result_type=Result
        )

    def sensitivity(
        self, output: str, *, samples: int = 10_000, seed: int | None = 0
    ) -> Sensitivity:
        """Rank the uncertain inputs by how far they swing ``output`` (a tornado)."""
        from calc.analysis.sensitivity import sensitivity

        return sensitivity(self, output, samples=samples, seed=seed)

    def sweep(self, vary: Mapping[str, Any], outputs: Sequence[str]) -> Any:
        """A tidy table of ``outputs`` over a grid of one or two inputs (see calc.sweep)."""
        from calc.analysis.sweeps import sweep

        return sweep(self, vary, outputs)

    def sweep_grid(self, vary: Mapping[str, Any], outputs: Sequence[str]) -> Sweep:
        """``outputs`` over a grid of one or two inputs as arrays, without the table (see
        calc.sweep_grid)."""
        from calc.analysis.sweeps import sweep_grid

        return sweep_grid(self, vary, outputs)


def load_scenario(path: str | Path, *, allow_outside: bool = False) -> Scenario:
    """Load, validate and check a scenario file, or a shipped scenario by name
    (``load_scenario("openai-30gw")``); a path that exists wins over a name.

    ``allow_outside=True`` accepts seed articles outside the catalogue's folder (see
    ``calc.domain.sources.load_catalogue``); only for files you trust.

    >>> from calc import default_scenario
    >>> s = load_scenario(default_scenario())
    >>> print(format_quantity(s.evaluate()["per_home_load"]))
    1.2 kW/home
    """
    return _load(path, allow_outside=allow_outside, scenario_type=Scenario)
