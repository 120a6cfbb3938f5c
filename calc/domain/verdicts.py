"""Claims and their verdicts.

A claim pairs what a source asserts (``claimed``) with what the model or a
reference implies (``implied``). Both sides are compared in one canonical unit (the
registry's base units, scale words folded), so a verdict never depends on the unit a
side is written in. Each side is an interval: the claimed side is a point, a range
(``claimed_range``) or one-sided (``bound: at_most`` for "up to", ``at_least`` for
"more than"); with samples, each side also spans its 90% interval. In order:

- ``unit error`` when a figure recorded as published has a dimension the implied side
  does not have, or is far off in a way that fits a common slip (W for Wh, x3600...);
- ``not comparable`` when the sides measure different things (an investment against
  an all-in cost: see ``calc.domain.basis``; a published figure measures its claim's
  ``basis``);
- ``unsupported`` when a side rests only on figures graded U or on assumptions: decided
  after the numbers, which are still computed and shown (the detail says what they
  alone would read);
- ``consistent`` when the intervals overlap, or their nearest ends ``a`` and ``b``
  are within the tolerance of each other: ``|a - b| <= tolerance * min(|a|, |b|)``
  (a relative allowance of ``EPSILON`` for float rounding), a rule that reads the same
  with the sides swapped;
- ``conflict`` when not, both sides rest only on stated figures and two sources
  disagree, or one source states one figure twice, differently (each side one stated
  input); ``arithmetic error`` when one source states every figure on both sides and
  a formula joins them (its own figures do not multiply out);
- ``opposite sign`` when the nearest ends have different signs;
- otherwise ``overstated`` (the claim is larger in magnitude) or ``understated``.

A side that is infinite or not a number (a division by zero, say) is an error, not a
verdict. An implied zero against a nonzero claim has no ratio; its verdict says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Literal

import numpy as np
import pint

from calc.domain.basis import bases_of, difference, merged
from calc.domain.graph import sources_of
from calc.domain.slips import slip_for, unit_error_text
from calc.domain.sources import Catalogue
from calc.errors import EvaluationError
from calc.percentiles import quantiles
from calc.units.registry import Q_, fold_scale_words

if TYPE_CHECKING:
    from calc.domain.model import Claim, Input, Scenario
    from calc.lang.formula import Formula

VerdictName = Literal[
    "consistent",
    "overstated",
    "understated",
    "conflict",
    "arithmetic error",
    "opposite sign",
    "not comparable",
    "unit error",
    "unsupported",
]
#: Verdicts that are about what a claim says, not how far its numbers are apart.
WORDED = ("not comparable", "unit error", "unsupported")
#: How far the tolerance is moved to say a verdict is close to flipping (5 points).
FLIP_MARGIN = 0.05
Interval = tuple[float, float]
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
    claimed_high: pint.Quantity | None = None  # the high end of a claimed range
    detail: str | None = None  # why: the unit slip, the basis difference, the weak source
    flip: str | None = None  # the verdict the tolerance +-5 points would give instead
    readings: tuple[tuple[str, Verdict], ...] = ()  # the claim on each basis it may use

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
        """'consistent (1.03x)', 'overstated 1.23x', 'unit error (...)'."""
        if self.readings:
            return "; ".join(f"on the {basis} basis {v.describe()}" for basis, v in self.readings)
        if self.verdict in WORDED:
            return f"{self.verdict} ({self.detail})"
        chance = (
            "" if self.p_exceeds is None else f", P(implied > claimed) = {_chance(self.p_exceeds)}"
        )
        shape = (
            _SHAPES.get(self.claim.bound, "") if self.claimed_high is None else "claimed range, "
        )
        if self.ratio is None:
            return f"{self.verdict} ({shape}implied is zero{chance})"
        if self.verdict == "consistent":
            return f"consistent ({shape}{self.ratio:.3g}\u00d7{chance})"
        inner = f"{shape}{chance[2:]}".rstrip(", ")
        return f"{self.verdict} {self.ratio:.3g}\u00d7" + (f" ({inner})" if inner else "")


_SHAPES = {"about": "", "at_most": "claimed at most, ", "at_least": "claimed at least, "}


def _chance(p: float) -> str:
    """A probability as a percentage that never rounds a near-certainty to 0% or 100%."""
    if 0 < p < 0.005:
        return "< 1%"
    if 0.995 < p < 1:
        return "> 99%"
    return f"{p:.0%}"


def judge_readings(
    claim: Claim,
    values: Mapping[str, pint.Quantity],
    scenario: Scenario,
    rests_on: Mapping[str, frozenset[str]],
    samples: Mapping[str, pint.Quantity] | None = None,
) -> Verdict:
    """The claim judged; with ``bases`` alternatives, on each basis it may use: the
    verdict is the first consistent reading's, else the stated reading's."""
    first = judge(claim, values, scenario, rests_on, samples)
    if not claim.alternatives:
        return first
    readings = [(str(claim.implied), first)] + [
        (basis, judge(replace(claim, implied=formula), values, scenario, rests_on, samples))
        for basis, formula in claim.alternatives
    ]
    chosen = next((v for _, v in readings if v.consistent), first)
    return replace(chosen, claim=claim, readings=tuple(readings))


def judge(
    claim: Claim,
    values: Mapping[str, pint.Quantity],
    scenario: Scenario,
    rests_on: Mapping[str, frozenset[str]],
    samples: Mapping[str, pint.Quantity] | None = None,
) -> Verdict:
    """Evaluate both sides of a claim and give the verdict (see the module doc)."""
    implied = _side(claim, "implied", claim.implied, values)
    claimed_inputs = _inputs_behind(claim.claimed_names, rests_on)
    implied_inputs = _inputs_behind(claim.implied.names, rests_on)
    claimed_sources = sources_of(scenario, claimed_inputs)
    if claim.source is not None and claim.source not in claimed_sources:
        claimed_sources += (claim.source,)
    implied_sources = sources_of(scenario, implied_inputs)
    found = partial(
        Verdict, claim=claim, claimed_sources=claimed_sources, implied_sources=implied_sources
    )
    if claim.published is not None:
        claimed = claim.published
        if claimed.dimensionality != implied.dimensionality:
            return found(
                claimed=claimed,
                implied=implied,
                ratio=None,
                verdict="unit error",
                detail=unit_error_text(claimed, claim.published_text or "", implied),
            )
    else:
        claimed = _side(claim, "claimed", claim.claimed, values)
    implied = implied.to(claimed.units)
    high = (
        None
        if claim.claimed_high is None
        else _side(claim, "claimed_range", claim.claimed_high, values).to(claimed.units)
    )
    differ = _not_comparable(claim, scenario)
    if differ is not None:
        return found(
            claimed=claimed,
            implied=implied,
            ratio=None,
            verdict="not comparable",
            detail=differ,
            claimed_high=high,
        )
    sides = _sides(claim, claimed, high, implied, samples)
    who = _who(scenario, claimed_inputs | implied_inputs, claimed_sources, implied_sources)
    if who == "one source" and _restated(claim, scenario):
        who = "two sources"  # one figure stated twice, differently: a conflict, not a sum
    verdict = _compare(*sides, claim.tolerance, who)
    if claim.published is not None and verdict != "consistent":
        slip = slip_for(claimed, implied)
        if slip is not None:
            return found(
                claimed=claimed,
                implied=implied,
                ratio=None,
                verdict="unit error",
                detail=unit_error_text(claimed, claim.published_text or "", implied),
            )
    interval, p_exceeds = (None, None) if samples is None else _spread(claim, samples, claimed)
    ratio = _ratio(claimed, high, implied)
    weak = _unsupported(claim, scenario, claimed_inputs, implied_inputs)
    if weak is not None:  # the numbers are computed and shown; the verdict says they are weak
        reading = found(claimed=claimed, implied=implied, ratio=ratio, verdict=verdict).describe()
        return found(
            claimed=claimed,
            implied=implied,
            ratio=ratio,
            verdict="unsupported",
            detail=f"{weak}; the numbers alone read {reading}",
            interval=interval,
            p_exceeds=p_exceeds,
            claimed_high=high,
        )
    return found(
        claimed=claimed,
        implied=implied,
        ratio=ratio,
        verdict=verdict,
        interval=interval,
        p_exceeds=p_exceeds,
        claimed_high=high,
        flip=_flip(sides, claim.tolerance, who, verdict),
    )


def _not_comparable(claim: Claim, scenario: Scenario) -> str | None:
    """Where the two sides measure different things, in words (a published figure
    measures its claim's ``basis``; a formula what its inputs measure)."""
    bases = bases_of(scenario)
    return difference(
        merged([claim.published_basis, *(bases[n] for n in claim.claimed_names)]),
        merged(bases[n] for n in claim.implied.names),
    )


def _unsupported(
    claim: Claim, scenario: Scenario, claimed_inputs: frozenset[str], implied_inputs: frozenset[str]
) -> str | None:
    """Why a side rests on nothing a source states (graded U, or assumed); None if not."""
    for side, inputs in (("claimed", claimed_inputs), ("implied", implied_inputs)):
        if inputs and all(_weak(scenario.inputs[n]) for n in inputs):
            return f"the {side} side rests only on {_weak_words(scenario, inputs)}"
    if not claimed_inputs and claim.published is not None:
        if claim.source is None:
            return "the published figure names no source; add the claim's 'source'"
        if scenario.catalogue.sources[claim.source].grade == "U":
            return f"the published figure rests only on {claim.source}, graded U"
    return None


def _weak(spec: Input) -> bool:
    """An input no source states: an assumption, or cited only from sources graded U."""
    return spec.kind == "assumption" or all(c.source.grade == "U" for c in spec.citations)


def _weak_words(scenario: Scenario, inputs: frozenset[str]) -> str:
    assumed = sorted(n for n in inputs if scenario.inputs[n].kind == "assumption")
    graded = sorted(set(inputs) - set(assumed))
    parts = [f"figures graded U ({', '.join(graded)})"] if graded else []
    parts += [f"assumptions ({', '.join(assumed)})"] if assumed else []
    return " and ".join(parts)


Who = Literal["model", "two sources", "one source"]


def _who(
    scenario: Scenario,
    inputs: frozenset[str],
    claimed_sources: tuple[str, ...],
    implied_sources: tuple[str, ...],
) -> Who:
    """Whether both sides rest only on stated figures, and from one source or two."""
    if not claimed_sources or not implied_sources:
        return "model"
    if not all(scenario.inputs[n].kind == "stated" for n in inputs):
        return "model"
    return "one source" if len({*claimed_sources, *implied_sources}) == 1 else "two sources"


def _restated(claim: Claim, scenario: Scenario) -> bool:
    """Whether each side is one stated input as written: the claim compares two
    statements of a figure, with no arithmetic between them."""
    sides = [claim.claimed, claim.implied]
    return all(
        len(f.names) == 1
        and str(f).strip() in f.names
        and scenario.inputs.get(str(f).strip()) is not None
        for f in sides
        if f is not None
    )


def _sides(
    claim: Claim,
    claimed: pint.Quantity,
    high: pint.Quantity | None,
    implied: pint.Quantity,
    samples: Mapping[str, pint.Quantity] | None,
) -> tuple[Interval, Interval]:
    """Both sides as intervals in base units: the claim's shape, widened by samples."""
    low_value, high_value = _canonical(claimed), _canonical(claimed if high is None else high)
    point = _canonical(implied)
    claimed_side, implied_side = (low_value, high_value), (point, point)
    if samples is not None:
        implied_side = _hull(implied_side, _quantiles(claim.implied, samples))
        if claim.published is None:
            claimed_side = _hull(claimed_side, _quantiles(claim.claimed, samples))
            if claim.claimed_high is not None:
                claimed_side = _hull(claimed_side, _quantiles(claim.claimed_high, samples))
    low, top = min(claimed_side), max(claimed_side)
    if claim.bound == "at_most":
        low = -math.inf
    elif claim.bound == "at_least":
        top = math.inf
    return (low, top), implied_side


def _quantiles(formula: Formula, samples: Mapping[str, pint.Quantity]) -> Interval:
    drawn = np.asarray(fold_scale_words(formula.evaluate(samples)).to_base_units().magnitude)
    if drawn.ndim == 0:
        return float(drawn), float(drawn)
    low, high = quantiles(drawn, [0.05, 0.95])
    return float(low), float(high)


def _hull(a: Interval, b: Interval) -> Interval:
    return min(a[0], b[0]), max(a[1], b[1])


def _compare(claimed: Interval, implied: Interval, tolerance: float, who: Who) -> VerdictName:
    """The verdict on two intervals: it reads the same with the sides swapped (with
    overstated and understated exchanged)."""
    (claimed_low, claimed_high), (implied_low, implied_high) = claimed, implied
    if claimed_low <= implied_high and implied_low <= claimed_high:
        return "consistent"
    a, b = (
        (claimed_low, implied_high) if claimed_low > implied_high else (claimed_high, implied_low)
    )
    if _within(a, b, tolerance):
        return "consistent"
    if who == "two sources":
        return "conflict"
    if who == "one source":
        return "arithmetic error"
    if a * b < 0:
        return "opposite sign"
    return "overstated" if abs(a) > abs(b) else "understated"


def _within(a: float, b: float, tolerance: float) -> bool:
    """Each within ``tolerance`` of the other: the same whichever is the reference."""
    if a == b:
        return True
    if a * b <= 0:
        return False
    return abs(a - b) <= tolerance * min(abs(a), abs(b)) * (1 + EPSILON)


def _flip(sides: tuple[Interval, Interval], tolerance: float, who: Who, verdict: str) -> str | None:
    """The verdict the tolerance moved by five points would give, when it differs."""
    for moved in (tolerance - FLIP_MARGIN, tolerance + FLIP_MARGIN):
        if moved < 0:
            continue
        other = _compare(*sides, moved, who)
        if other != verdict:
            return f"{other} at a tolerance of {moved:.0%}"
    return None


def _ratio(
    claimed: pint.Quantity, high: pint.Quantity | None, implied: pint.Quantity
) -> float | None:
    """Claimed over implied at the point values (the middle of a claimed range)."""
    point = _canonical(claimed) if high is None else (_canonical(claimed) + _canonical(high)) / 2
    value = _canonical(implied)
    return point / value if value != 0 else None


def _spread(
    claim: Claim, samples: Mapping[str, pint.Quantity], claimed_point: pint.Quantity
) -> tuple[tuple[pint.Quantity, pint.Quantity], float | None]:
    """The implied side's 90% interval and, when a side varies, the chance the implied
    side exceeds the claimed one (ties count half, so equal sides give 50%)."""
    unit = claimed_point.units
    implied = np.asarray(claim.implied.evaluate(samples).to(unit).magnitude, dtype=float)
    if claim.published is not None:
        claimed = np.asarray(claimed_point.magnitude, dtype=float)
    else:
        claimed = np.asarray(claim.claimed.evaluate(samples).to(unit).magnitude, dtype=float)
    low, high = quantiles(implied, [0.05, 0.95]) if implied.ndim else (implied, implied)
    interval = (Q_(float(low), unit), Q_(float(high), unit))
    varies = np.ptp(implied) > 0 or np.ptp(claimed) > 0
    if not varies or claim.claimed_high is not None:
        return interval, None
    scale = np.maximum(np.abs(implied), np.abs(claimed)) * EPSILON
    tied = np.abs(implied - claimed) <= scale
    exceeds = float(np.mean((implied > claimed) & ~tied) + 0.5 * np.mean(tied))
    return interval, exceeds


def _inputs_behind(names: frozenset[str], rests_on: Mapping[str, frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*(rests_on[n] for n in names))


def _side(
    claim: Claim, side: str, formula: Formula, values: Mapping[str, pint.Quantity]
) -> pint.Quantity:
    """One side of a claim at the point values; infinite or NaN is an error."""
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
    claimed: float, implied: float, tolerance: float, who: Who | bool
) -> tuple[float | None, VerdictName]:
    """Two point values judged (``who`` True for two sources): the ratio and verdict."""
    who = "two sources" if who is True else "model" if who is False else who
    ratio = claimed / implied if implied != 0 else None
    return ratio, _compare((claimed, claimed), (implied, implied), tolerance, who)


class Verdicts(tuple):  # type: ignore[type-arg]
    """A result's verdicts: a tuple, shown in a notebook as one table (not one per
    verdict, each with its own header); calc.render.html draws it."""

    catalogue: Catalogue | None = None

    def __new__(cls, verdicts: Iterable[Verdict], catalogue: Catalogue | None = None) -> Verdicts:
        made = super().__new__(cls, verdicts)
        made.catalogue = catalogue
        return made

    def _repr_html_(self) -> str:
        from calc.display import view

        return str(view("html", self))
