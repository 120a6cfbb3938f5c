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

    @property
    def name(self) -> str:
        return self.claim.name

    @property
    def consistent(self) -> bool:
        return self.verdict == "consistent"

    def describe(self) -> str:
        """'consistent', 'overstated 1.23x', 'conflict (implied is zero)'."""
        if self.ratio is None:
            return f"{self.verdict} (implied is zero)"
        if self.verdict == "consistent":
            return f"consistent ({self.ratio:.3g}\u00d7)"
        return f"{self.verdict} {self.ratio:.3g}\u00d7"


def judge(claim: Claim, values: Mapping[str, pint.Quantity], scenario: Scenario,
          rests_on: Mapping[str, frozenset[str]]) -> Verdict:
    """Evaluate both sides of a claim and give the verdict."""
    claimed = claim.claimed.evaluate(values)
    implied = claim.implied.evaluate(values).to(claimed.units)
    claimed_inputs = _inputs_behind(claim.claimed.names, rests_on)
    implied_inputs = _inputs_behind(claim.implied.names, rests_on)
    both_stated = all(scenario.inputs[n].kind == "stated"
                      for n in claimed_inputs | implied_inputs)
    ratio, verdict = _verdict(float(np.mean(claimed.magnitude)),
                              float(np.mean(implied.magnitude)), claim.tolerance, both_stated)
    return Verdict(claim=claim, claimed=claimed, implied=implied, ratio=ratio, verdict=verdict,
                   claimed_sources=sources_of(scenario, claimed_inputs),
                   implied_sources=sources_of(scenario, implied_inputs))


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
