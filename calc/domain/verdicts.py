"""Claims and their verdicts.

A claim pairs what a source asserts (``claimed``) with what the model or a
reference implies (``implied``). Both sides are compared in one canonical unit (the
registry's base units, scale words folded), so a verdict never depends on the unit a
side is written in. With ``ratio = claimed / implied``:

- ``consistent`` when the claimed value is within the tolerance of the implied
  one: ``|claimed - implied| <= tolerance * |implied|``, with a relative allowance of
  ``EPSILON`` (1e-9) for float rounding, so a ratio exactly at the tolerance is
  consistent whether the sides are in GW, MW or W;
- ``conflict`` when it is not, both sides rest only on stated figures, and no source
  stands on both sides: two sources disagree about the same quantity, and the model
  cannot say which is right (one source on both sides is its own arithmetic, judged
  as below);
- ``opposite sign`` when the two sides have different signs (a gain claimed where a
  loss is implied): no scale makes them agree, so it is its own finding;
- otherwise ``overstated`` (the claim is larger in magnitude) or ``understated``
  (smaller): a loss of 5 claimed where 2 is implied is overstated.

A side that is infinite or not a number (a division by zero, say) is an error, not a
verdict. An implied zero against a nonzero claim has no ratio; its verdict says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pint

from calc.domain.graph import sources_of
from calc.errors import EvaluationError
from calc.units.registry import Q_, fold_scale_words

if TYPE_CHECKING:
    from calc.domain.model import Claim, Scenario

VerdictName = Literal["consistent", "overstated", "understated", "conflict", "opposite sign"]
#: Relative allowance for float rounding at the tolerance boundary (see the module doc).
EPSILON = 1e-9


@dataclass(frozen=True)
class Verdict:
    """A claim judged: both values, their ratio, the verdict and the sources on each side."""

    claim: Claim
    claimed: pint.Quantity
    implied: pint.Quantity
    ratio: float | None
    verdict: VerdictName
    claimed_sources: tuple[str, ...]
    implied_sources: tuple[str, ...]
    interval: tuple[pint.Quantity, pint.Quantity] | None = None  # implied 5th-95th percentile
    p_exceeds: float | None = None  # P(implied > claimed) over the samples

    @property
    def name(self) -> str:
        return self.claim.name

    def __repr__(self) -> str:
        return f"<Verdict {self.name}: {self.describe()}>"

    def __str__(self) -> str:
        return f"{self.name}: {self.describe()}"

    def _repr_html_(self) -> str:
        from calc.display import view

        return str(view("html", self))

    @property
    def consistent(self) -> bool:
        return self.verdict == "consistent"

    def describe(self) -> str:
        """'consistent', 'overstated 1.23x', 'conflict (implied is zero)'."""
        chance = "" if self.p_exceeds is None else f", P(implied > claimed) = {self.p_exceeds:.0%}"
        if self.ratio is None:
            return f"{self.verdict} (implied is zero{chance})"
        if self.verdict == "consistent":
            return f"consistent ({self.ratio:.3g}\u00d7{chance})"
        return f"{self.verdict} {self.ratio:.3g}\u00d7" + (f" ({chance[2:]})" if chance else "")


def judge(
    claim: Claim,
    values: Mapping[str, pint.Quantity],
    scenario: Scenario,
    rests_on: Mapping[str, frozenset[str]],
    samples: Mapping[str, pint.Quantity] | None = None,
) -> Verdict:
    """Evaluate both sides of a claim at the point values and give the verdict.

    With samples, the claim is also consistent when the claimed value lies inside the
    implied 90% interval, and the verdict carries P(implied > claimed).
    """
    claimed = _side(claim, "claimed", values)
    implied = _side(claim, "implied", values).to(claimed.units)
    claimed_inputs = _inputs_behind(claim.claimed.names, rests_on)
    implied_inputs = _inputs_behind(claim.implied.names, rests_on)
    claimed_sources = sources_of(scenario, claimed_inputs)
    implied_sources = sources_of(scenario, implied_inputs)
    two_sources = all(
        scenario.inputs[n].kind == "stated" for n in claimed_inputs | implied_inputs
    ) and not set(claimed_sources) & set(implied_sources)
    # point values are scalars, but array overrides (a what-if over several values) are
    # judged by their mean; both sides in the canonical unit
    ratio, verdict = _verdict(
        _canonical(claimed), _canonical(implied), claim.tolerance, two_sources
    )
    interval = p_exceeds = None
    if samples is not None:
        interval, p_exceeds = _spread(claim, samples, claimed.units)
        low, high = (float(q.magnitude) for q in interval)
        if verdict != "consistent" and low <= float(np.mean(claimed.magnitude)) <= high:
            verdict = "consistent"
    return Verdict(
        claim=claim,
        claimed=claimed,
        implied=implied,
        ratio=ratio,
        verdict=verdict,
        claimed_sources=claimed_sources,
        implied_sources=implied_sources,
        interval=interval,
        p_exceeds=p_exceeds,
    )


def _spread(
    claim: Claim, samples: Mapping[str, pint.Quantity], unit: pint.Unit
) -> tuple[tuple[pint.Quantity, pint.Quantity], float]:
    """The implied side's 90% interval, and the chance it exceeds the claimed side."""
    implied = np.asarray(claim.implied.evaluate(samples).to(unit).magnitude, dtype=float)
    claimed = np.asarray(claim.claimed.evaluate(samples).to(unit).magnitude, dtype=float)
    low, high = np.quantile(implied, [0.05, 0.95]) if implied.ndim else (implied, implied)
    exceeds = float(np.mean(implied > claimed))
    return (Q_(float(low), unit), Q_(float(high), unit)), exceeds


def _inputs_behind(names: frozenset[str], rests_on: Mapping[str, frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*(rests_on[n] for n in names))


def _side(claim: Claim, side: str, values: Mapping[str, pint.Quantity]) -> pint.Quantity:
    """One side of a claim at the point values; infinite or NaN is an error."""
    formula = claim.claimed if side == "claimed" else claim.implied
    value = fold_scale_words(formula.evaluate(values))
    magnitude = np.asarray(value.magnitude, dtype=float)
    if not np.all(np.isfinite(magnitude)):
        problem = "is not a number (NaN)" if np.any(np.isnan(magnitude)) else "is infinite"
        raise EvaluationError(
            f"claim {claim.name!r}: the {side} side {formula} {problem}, so it cannot be "
            "judged; check for a zero divisor or a value out of range",
            location=claim.where(side),
        )
    return value


def _canonical(value: pint.Quantity) -> float:
    """The mean magnitude in base units: the same number whatever unit a side was in."""
    return float(np.mean(value.to_base_units().magnitude))


def _verdict(
    claimed: float, implied: float, tolerance: float, two_sources: bool
) -> tuple[float | None, VerdictName]:
    ratio = claimed / implied if implied != 0 else None
    if abs(claimed - implied) <= tolerance * abs(implied) * (1 + EPSILON):
        return ratio, "consistent"
    if two_sources:
        return ratio, "conflict"
    if claimed * implied < 0:
        return ratio, "opposite sign"
    return ratio, "overstated" if abs(claimed) > abs(implied) else "understated"
