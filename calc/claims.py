"""Claims and their verdicts.

A claim pairs what a source asserts (``claimed``) with what the model or a
reference implies (``implied``). With ``ratio = claimed / implied``:

- ``consistent`` when the claimed value is within the tolerance of the implied
  one: ``|claimed - implied| <= tolerance * |implied|``;
- ``conflict`` when it is not, and both sides rest only on stated figures: two
  sources disagree about the same quantity, and the model cannot say which is right;
- otherwise ``overstated`` (claimed higher) or ``understated`` (claimed lower).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pint

from .model import sources_of
from .units import Q_

if TYPE_CHECKING:
    from .scenario import Claim, Scenario

VerdictName = Literal["consistent", "overstated", "understated", "conflict"]


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
        from .html import verdicts_table

        return verdicts_table([self], None)

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


def judge(claim: Claim, values: Mapping[str, pint.Quantity], scenario: Scenario,
          rests_on: Mapping[str, frozenset[str]],
          samples: Mapping[str, pint.Quantity] | None = None) -> Verdict:
    """Evaluate both sides of a claim at the point values and give the verdict.

    With samples, the claim is also consistent when the claimed value lies inside the
    implied 90% interval, and the verdict carries P(implied > claimed).
    """
    claimed = claim.claimed.evaluate(values)
    implied = claim.implied.evaluate(values).to(claimed.units)
    claimed_inputs = _inputs_behind(claim.claimed.names, rests_on)
    implied_inputs = _inputs_behind(claim.implied.names, rests_on)
    both_stated = all(scenario.inputs[n].kind == "stated"
                      for n in claimed_inputs | implied_inputs)
    # point values are scalars, but array overrides (a what-if over several values) are
    # judged by their mean
    ratio, verdict = _verdict(float(np.mean(claimed.magnitude)),
                              float(np.mean(implied.magnitude)), claim.tolerance, both_stated)
    interval = p_exceeds = None
    if samples is not None:
        interval, p_exceeds = _spread(claim, samples, claimed.units)
        low, high = (float(q.magnitude) for q in interval)
        if verdict != "consistent" and low <= float(np.mean(claimed.magnitude)) <= high:
            verdict = "consistent"
    return Verdict(claim=claim, claimed=claimed, implied=implied, ratio=ratio, verdict=verdict,
                   claimed_sources=sources_of(scenario, claimed_inputs),
                   implied_sources=sources_of(scenario, implied_inputs),
                   interval=interval, p_exceeds=p_exceeds)


def _spread(claim: Claim, samples: Mapping[str, pint.Quantity], unit: pint.Unit
            ) -> tuple[tuple[pint.Quantity, pint.Quantity], float]:
    """The implied side's 90% interval, and the chance it exceeds the claimed side."""
    implied = np.asarray(claim.implied.evaluate(samples).to(unit).magnitude, dtype=float)
    claimed = np.asarray(claim.claimed.evaluate(samples).to(unit).magnitude, dtype=float)
    low, high = np.quantile(implied, [0.05, 0.95]) if implied.ndim else (implied, implied)
    exceeds = float(np.mean(implied > claimed))
    return (Q_(float(low), unit), Q_(float(high), unit)), exceeds


def _inputs_behind(names: frozenset[str], rests_on: Mapping[str, frozenset[str]]
                   ) -> frozenset[str]:
    return frozenset().union(*(rests_on[n] for n in names))


def _verdict(claimed: float, implied: float, tolerance: float,
             both_stated: bool) -> tuple[float | None, VerdictName]:
    ratio = claimed / implied if implied != 0 else None
    if abs(claimed - implied) <= tolerance * abs(implied):
        return ratio, "consistent"
    if both_stated:
        return ratio, "conflict"
    return ratio, "overstated" if claimed > implied else "understated"
