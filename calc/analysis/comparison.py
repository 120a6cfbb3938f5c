"""Scenarios side by side: each quantity in each, the difference and the ratio.

The first scenario is the baseline; each other one is compared with it. Inputs
whose values differ are flagged, and so are claims whose verdict changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from calc.errors import CalcError
from calc.units.display import format_quantity, format_unit
from calc.units.registry import fold_scale_words

if TYPE_CHECKING:
    from calc.domain.model import Scenario
    from calc.domain.result import Result
    from calc.domain.verdicts import Verdict


@dataclass(frozen=True)
class QuantityRow:
    """One quantity across the scenarios (None where a scenario lacks it)."""

    name: str
    kinds: tuple[str | None, ...]
    values: tuple[pint.Quantity | None, ...]

    @property
    def is_input(self) -> bool:
        return any(k not in (None, "derived") for k in self.kinds)

    @property
    def differs(self) -> bool:
        """True when any scenario's value is not the baseline's (within 1e-9)."""
        base = self.values[0]
        return any(not _same(base, v) for v in self.values[1:])

    def difference(self, i: int) -> pint.Quantity | None:
        base, other = self.values[0], self.values[i]
        if base is None or other is None:
            return None
        return other - base.to(other.units)

    def ratio(self, i: int) -> float | None:
        base, other = self.values[0], self.values[i]
        if base is None or other is None or float(base.magnitude) == 0:
            return None
        return float((other / base).to("dimensionless").magnitude)


@dataclass(frozen=True)
class ClaimRow:
    """One claim's verdict in each scenario."""

    name: str
    verdicts: tuple[Verdict | None, ...]

    @property
    def changed(self) -> bool:
        names = {v.verdict if v else None for v in self.verdicts}
        return len(names) > 1


def what_if_label(scenario: Scenario) -> str:
    """A scenario's short name: what was changed for a what-if ('rack_power = 600
    kW/rack, pue = 1.2'), else its file name without extension ('openai-30gw')."""
    changed = [
        f"{name} = {format_quantity(spec.quantity)}"
        for name, spec in scenario.inputs.items()
        if spec.original is not None
    ]
    return ", ".join(changed) if changed else scenario.path.stem


def _unique(labels: Sequence[str]) -> tuple[str, ...]:
    """Labels made distinct: a repeated one gets ' (2)', ' (3)'..."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return tuple(unique)


@dataclass(frozen=True)
class Comparison:
    results: tuple[Result, ...]
    quantities: tuple[QuantityRow, ...]
    claims: tuple[ClaimRow, ...]
    names: tuple[str, ...] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Short names of the scenarios: the names given, else what each what-if
        changed, else the file names without extension; never two alike."""
        if self.names is not None:
            return _unique(self.names)
        return _unique([what_if_label(r.scenario) for r in self.results])

    def records(self) -> list[dict[str, Any]]:
        """One record per quantity and scenario (tidy): value, unit, difference, ratio."""
        rows = []
        for q in self.quantities:
            for i, (label, value) in enumerate(zip(self.labels, q.values, strict=True)):
                if value is None:
                    continue
                difference = q.difference(i)
                rows.append(
                    {
                        "quantity": q.name,
                        "scenario": label,
                        "kind": q.kinds[i],
                        "value": float(fold_scale_words(value).magnitude),
                        "unit": format_unit(fold_scale_words(value).units, plural=True),
                        "difference": _folded(difference, value),
                        "ratio": q.ratio(i),
                        "differs": q.differs,
                    }
                )
        return rows

    def table(self) -> Any:
        from calc.analysis.tables import tidy

        return tidy(self.records(), index="quantity")


def _folded(difference: pint.Quantity | None, value: pint.Quantity) -> float | None:
    """The difference in the unit of the value column, scale words folded in."""
    if difference is None:
        return None
    return float(difference.to(fold_scale_words(value).units).magnitude)


def compare(*scenarios: Scenario | Result | str | Path, names: Sequence[str] | None = None) -> Any:
    """A tidy table comparing scenarios (files, Scenarios or Results) with the first.

    One row per quantity and scenario: value, unit, difference and ratio against
    the first; a pandas DataFrame where pandas is installed, else a list of dicts.
    Each scenario is named by ``names`` when given, else by what a what-if changed
    ("rack_power = 600 kW/rack"), else by its file name.

    >>> import calc
    >>> t = calc.compare("scenarios/openai-30gw.yaml", "scenarios/openai-30gw-kyber.yaml")
    >>> t[t.quantity == "rack_count"][["scenario", "value", "ratio"]]
       scenario          value   ratio
    40 openai-30gw       192,308     1
    41 openai-30gw-kyber  38,462   0.2
    """
    if names is not None and (isinstance(names, str) or len(names) != len(scenarios)):
        given = 1 if isinstance(names, str) else len(names)
        raise CalcError(
            f"compare got {len(scenarios)} scenarios but {given} names; give one name "
            "per scenario, as a list: names=[...]"
        )
    compared = line_up([_result(s) for s in scenarios])
    if names is not None:
        compared = replace(compared, names=tuple(map(str, names)))
    return compared.table()


def _result(item: Scenario | Result | str | Path) -> Result:
    from calc.domain.evaluate import evaluate
    from calc.domain.model import Scenario
    from calc.domain.result import Result
    from calc.io.loader import load_scenario

    if isinstance(item, Result):
        return item
    return evaluate(item if isinstance(item, Scenario) else load_scenario(item))


def line_up(results: Sequence[Result]) -> Comparison:
    """Line up evaluated scenarios; the first is the baseline."""
    names: list[str] = []
    for result in results:
        names += [n for n in result if n not in names]
    quantities = tuple(_quantity_row(name, results) for name in names)
    claim_names: list[str] = []
    for result in results:
        claim_names += [v.name for v in result.verdicts if v.name not in claim_names]
    claims = tuple(
        ClaimRow(
            name, tuple(next((v for v in r.verdicts if v.name == name), None) for r in results)
        )
        for name in claim_names
    )
    return Comparison(results=tuple(results), quantities=quantities, claims=claims)


def _quantity_row(name: str, results: Sequence[Result]) -> QuantityRow:
    kinds = []
    values = []
    for result in results:
        if name in result:
            row_kind = (
                result.scenario.inputs[name].kind if name in result.scenario.inputs else "derived"
            )
            kinds.append(row_kind)
            values.append(result.point(name))
        else:
            kinds.append(None)
            values.append(None)
    return QuantityRow(name=name, kinds=tuple(kinds), values=tuple(values))


def _same(a: pint.Quantity | None, b: pint.Quantity | None) -> bool:
    if a is None or b is None:
        return a is b
    if a.dimensionality != b.dimensionality:
        return False
    return bool(np.isclose(float(a.magnitude), float(b.to(a.units).magnitude), rtol=1e-9, atol=0.0))


def display(value: pint.Quantity | None) -> str:
    return "" if value is None else format_quantity(value)
