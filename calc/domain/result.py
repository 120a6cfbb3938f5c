"""The result of evaluating a scenario: every quantity, where it came from, the verdicts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pint

from calc.domain.graph import sources_of
from calc.errors import UnknownNameError
from calc.names import closest
from calc.percentiles import percentiles
from calc.units.registry import Q_

if TYPE_CHECKING:
    from calc.domain.model import Scenario
    from calc.domain.verdicts import Verdict


@dataclass(frozen=True)
class Stats:
    """A sampled quantity's point value, mean and 5th, 50th and 95th percentiles."""

    point: pint.Quantity
    mean: pint.Quantity
    p5: pint.Quantity
    p50: pint.Quantity
    p95: pint.Quantity
    #: Whether any sample differs from the others, judged on all of them: a heavy tail
    #: (99% of samples at one value) varies even where the 5th and 95th percentiles agree.
    varies: bool = True


@dataclass(frozen=True)
class Row:
    """One quantity as output shows it."""

    name: str
    value: pint.Quantity
    kind: str
    sources: tuple[str, ...]
    formula: str | None
    also: tuple[pint.Unit, ...]
    note: str | None
    original: pint.Quantity | None = None  # the loaded value of an overridden input
    stats: Stats | None = None  # in a Monte Carlo run


class Result(Mapping[str, pint.Quantity]):
    """A mapping from each quantity's name to its value, a pint Quantity.

    Derived values are in their declared display unit, inputs in the unit they
    were given in. ``rows()`` adds kind, sources and formula; ``verdicts`` holds
    the claims judged.
    """

    def __init__(
        self,
        *,
        scenario: Scenario,
        values: Mapping[str, pint.Quantity],
        rests_on: Mapping[str, frozenset[str]],
        verdicts: tuple[Verdict, ...],
        samples: Mapping[str, pint.Quantity] | None = None,
        seed: int | None = None,
    ) -> None:
        self.scenario = scenario
        self._values = {name: read_only(value) for name, value in values.items()}
        self._samples = (
            None if samples is None else {name: read_only(value) for name, value in samples.items()}
        )
        self._rests_on = dict(rests_on)
        self._stats: dict[str, Stats] = {}
        self.verdicts = verdicts
        self.seed = seed

    @property
    def sample_count(self) -> int | None:
        """How many samples each quantity has (None for a point evaluation)."""
        if self._samples is None:
            return None
        return max((np.size(v.magnitude) for v in self._samples.values()), default=0)

    def __getitem__(self, name: str) -> pint.Quantity:
        """The quantity's samples in a Monte Carlo run, else its value."""
        self._known(name)
        if self._samples is None:
            return self._values[name]
        value = self._samples[name]
        if np.ndim(value.magnitude) == 0:  # untouched by any uncertain input: a constant
            return Q_(np.broadcast_to(value.magnitude, (self.sample_count or 1,)), value.units)
        return value

    def point(self, name: str) -> pint.Quantity:
        """The quantity at the inputs' point values (the figures as stated)."""
        self._known(name)
        return self._values[name]

    def stats(self, name: str) -> Stats | None:
        """Point, mean and percentiles of a sampled quantity (None without samples)."""
        self._known(name)
        if self._samples is None:
            return None
        if name not in self._stats:
            self._stats[name] = _stats(
                self._values[name], self._samples[name], self.sample_count or 1
            )
        return self._stats[name]

    def _known(self, name: str) -> None:
        if name in self._values:
            return
        hint = closest(name, self._values)
        raise UnknownNameError(
            f"{self.scenario.path} has no quantity {name!r}"
            + (f"; did you mean {hint}?" if hint else f"; it has {', '.join(self._values)}"),
            name=name,
            suggestions=tuple(h.strip("'") for h in hint.split(" or ") if h),
        )

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        sampled = f", {self.sample_count:,} samples" if self.sample_count else ""
        return (
            f"<Result of {self.scenario.title!r}: {len(self)} quantities, "
            f"{len(self.verdicts)} claims{sampled}>"
        )

    @property
    def all_consistent(self) -> bool:
        """True when every claim's verdict is consistent."""
        return all(v.consistent for v in self.verdicts)

    def sources(self, name: str) -> tuple[str, ...]:
        """Catalogue ids of the sources a quantity rests on, through the whole graph."""
        self[name]  # a clear error for unknown names
        return sources_of(self.scenario, self._rests_on[name])

    def inputs_behind(self, name: str) -> frozenset[str]:
        """The inputs a quantity rests on."""
        self[name]
        return self._rests_on[name]

    def rows(self) -> list[Row]:
        """Every quantity with its kind, sources and formula, inputs first."""
        rows = []
        for name in self:
            spec_in = self.scenario.inputs.get(name)
            spec_d = self.scenario.derived.get(name)
            rows.append(
                Row(
                    name=name,
                    value=self.point(name),
                    kind=spec_in.kind if spec_in else "derived",
                    sources=self.sources(name),
                    formula=str(spec_d.formula) if spec_d else None,
                    also=spec_d.also if spec_d else (),
                    note=(spec_in or spec_d).note if (spec_in or spec_d) else None,
                    original=spec_in.original.quantity if spec_in and spec_in.original else None,
                    stats=self.stats(name),
                )
            )
        return rows


def read_only(quantity: pint.Quantity) -> pint.Quantity:
    """``quantity`` with its array, if it has one, made read-only: a Result is immutable,
    and a caller who writes into ``result[name].magnitude`` gets an error, not a changed
    result."""
    if isinstance(quantity.magnitude, np.ndarray):
        quantity.magnitude.setflags(write=False)
    return quantity


def _stats(point: pint.Quantity, samples: pint.Quantity, count: int) -> Stats:
    """Mean and percentiles of ``samples`` (a constant gives its value for each)."""
    unit = samples.units
    magnitude = np.asarray(samples.magnitude, dtype=float)
    if magnitude.ndim == 0:
        magnitude = np.full(1, float(magnitude))
    p5, p50, p95 = percentiles(magnitude, [5, 50, 95])
    return Stats(
        point=point,
        mean=Q_(float(magnitude.mean()), unit),
        p5=Q_(float(p5), unit),
        p50=Q_(float(p50), unit),
        p95=Q_(float(p95), unit),
        varies=_varies(magnitude),
    )


#: Relative spread below which samples are one value: rounding noise, as in
#: 30 GW / PUE x PUE, is not variation.
_NOISE = 1e-9


def _varies(magnitude: np.ndarray) -> bool:
    """True when the samples spread beyond rounding noise (over all samples, not two
    percentiles, so a rare large draw counts)."""
    spread = float(np.ptp(magnitude))
    return spread > _NOISE * float(np.max(np.abs(magnitude)))
