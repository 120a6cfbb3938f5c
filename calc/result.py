"""The result of evaluating a scenario: every quantity, where it came from, the verdicts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pint

from .errors import UnknownNameError
from .model import sources_of
from .names import closest

if TYPE_CHECKING:
    from .claims import Verdict
    from .explain import Explanation
    from .scenario import Scenario


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


class Result(Mapping[str, pint.Quantity]):
    """A mapping from each quantity's name to its value, a pint Quantity.

    Derived values are in their declared display unit, inputs in the unit they
    were given in. ``rows()`` adds kind, sources and formula; ``verdicts`` holds
    the claims judged.
    """

    def __init__(self, *, scenario: Scenario, values: Mapping[str, pint.Quantity],
                 rests_on: Mapping[str, frozenset[str]], verdicts: tuple[Verdict, ...]) -> None:
        self.scenario = scenario
        self._values = dict(values)
        self._rests_on = dict(rests_on)
        self.verdicts = verdicts

    def __getitem__(self, name: str) -> pint.Quantity:
        try:
            return self._values[name]
        except KeyError:
            hint = closest(name, self._values)
            raise UnknownNameError(
                f"{self.scenario.path} has no quantity {name!r}"
                + (f"; did you mean {hint}?" if hint else f"; it has {', '.join(self._values)}"),
                name=name, suggestions=tuple(h.strip("'") for h in hint.split(" or ") if h),
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"<Result of {self.scenario.title!r}: {len(self)} quantities, " \
               f"{len(self.verdicts)} claims>"

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
            rows.append(Row(
                name=name, value=self[name],
                kind=spec_in.kind if spec_in else "derived",
                sources=self.sources(name),
                formula=str(spec_d.formula) if spec_d else None,
                also=spec_d.also if spec_d else (),
                note=(spec_in or spec_d).note if (spec_in or spec_d) else None))
        return rows

    def explain(self, name: str) -> Explanation:
        """The derivation tree of a quantity: formulas, values, inputs and their sources.

        ``print()`` it to read it; see :mod:`calc.explain`.
        """
        from .explain import explain

        return explain(self, name)
