"""Evaluating a scenario: dimensions checked at load, every quantity at the
point values and, with samples, as one vectorised Monte Carlo run; then every claim."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from calc.domain.budget import check_sample_count
from calc.domain.distributions import DistributionFormula, check_seed, random_generator
from calc.domain.graph import _unknown, lineage, needed_for
from calc.domain.references import REF_PREFIX
from calc.errors import CalcError, EvaluationError, UnitError
from calc.lang.formula import Formula
from calc.units.display import describe_dimension, format_quantity, format_unit
from calc.units.registry import Q_, conversion_factor, fold_scale_words, pint_text

if TYPE_CHECKING:
    from calc.domain.model import Claim, Derived, Input, Scenario
    from calc.domain.result import Result


def check_scenario(scenario: Scenario) -> None:
    """Check names in claims and every dimension, by evaluating once at the point values."""
    known = set(scenario.names)
    for claim in scenario.claims.values():
        for side, formula in _claim_formulas(claim):
            for used in sorted(formula.names):
                if used not in known:
                    raise _unknown(used, known, f"claim {claim.name!r}").at(claim.where(side))
    values = evaluate_values(scenario, point_values(scenario), check_finite=False)
    for derived in scenario.derived.values():
        _check_unit(derived, values, scenario)
    for claim in scenario.claims.values():
        if claim.published is not None:
            continue  # a published figure's wrong dimension is a finding: unit error
        implied = _claim_side(claim, "implied", claim.implied, values)
        for side, formula in _claim_formulas(claim)[:-1]:
            claimed = _claim_side(claim, side, formula, values)
            if claimed.dimensionality != implied.dimensionality:
                raise UnitError(
                    f"claimed {formula} is {describe_dimension(claimed)} "
                    f"({format_unit(claimed.units)}) but implied {claim.implied} is "
                    f"{describe_dimension(implied)} ({format_unit(implied.units)}); "
                    "both sides of a claim need the same dimension; for a figure "
                    "printed with a wrong unit, record it as 'claimed_as_published'",
                    location=claim.where("implied"),
                )


def _claim_formulas(claim: Claim) -> list[tuple[str, Formula]]:
    """The claim's formulas with the field each is in, the implied side last."""
    if claim.claimed_high is not None:
        claimed = [("claimed_range", claim.claimed), ("claimed_range", claim.claimed_high)]
    else:
        claimed = [] if claim.published is not None else [("claimed", claim.claimed)]
    others = [(f"bases.{basis}", formula) for basis, formula in claim.alternatives]
    return [*claimed, *others, ("implied", claim.implied)]


def _claim_side(
    claim: Claim, side: str, formula: Formula, values: Mapping[str, pint.Quantity]
) -> pint.Quantity:
    try:
        return formula.evaluate(values)
    except CalcError as exc:
        raise exc.at(claim.where(side)) from None


def _check_unit(derived: Derived, values: Mapping[str, pint.Quantity], scenario: Scenario) -> None:
    value = values[derived.name]
    if value.dimensionality == derived.unit.dimensionality:
        return
    blamed = _blame_input(derived, values, scenario)
    if blamed is not None:
        name, needed = blamed
        given = scenario.inputs[name]
        raise UnitError(
            f"{_show(given.quantity)!r} is {describe_dimension(given.quantity)}, but {name} is "
            f"used as {needed} in {derived.name} = {derived.formula} (shown in "
            f"{format_unit(derived.unit)}); give {needed.split(' (in ')[0]} instead",
            location=given.where("value"),
        )
    operands = ", ".join(
        f"{n} = {_show(values[n])} ({describe_dimension(values[n])})"
        for n in sorted(derived.formula.names)
    )
    raise UnitError(
        f"{format_unit(derived.unit)!r} is {describe_dimension(derived.unit)}, but the formula "
        f"{derived.formula} gives {describe_dimension(value)} "
        f"({format_unit(value.to_reduced_units().units)}) from "
        f"{operands}; correct the unit, or the units of the inputs",
        location=derived.where("unit"),
    )


def _blame_input(
    derived: Derived, values: Mapping[str, pint.Quantity], scenario: Scenario
) -> tuple[str, str] | None:
    """The one input whose unit, changed to a well-known dimension, would fix ``derived``.

    For each input the formula reads, work out the dimension it would need from how
    the result's dimension depends on it; blame it only when that need is a named
    dimension (a power, an energy per home...) and no other input's need is.
    """
    suspects = []
    for name in sorted(derived.formula.names & scenario.inputs.keys()):
        needed = _needed_dimension(derived, values, name)
        described = needed.split(" (in ")[0] if needed else ""
        if needed is not None and "[" not in described and described != "a pure number":
            suspects.append((name, needed))
    if len(suspects) != 1 or _vouched_for(scenario.inputs[suspects[0][0]]):
        return None  # then the derived quantity's own `unit:` line is blamed
    return suspects[0]


def _vouched_for(given: Input) -> bool:
    """Whether an input's dimension is a source's, not the file's: a stated figure's value
    was found in its quote (number and unit), and a reference citing the library was
    checked against the library's figure. A wrong ``unit:`` elsewhere is not theirs."""
    if given.kind == "stated":
        return True
    return given.kind == "reference" and any(
        c.source.id.startswith(REF_PREFIX) for c in given.citations
    )


def _needed_dimension(
    derived: Derived, values: Mapping[str, pint.Quantity], name: str
) -> str | None:
    given = values[name]
    if given.dimensionless:
        return None
    try:
        actual = derived.formula.evaluate(values)
        rest = derived.formula.evaluate(dict(values) | {name: Q_(np.float64(1.0))})
    except CalcError:
        return None  # the input is added to something: its dimension is not a factor
    # the units alone: dividing the values would warn when the rest evaluates to 0
    contributed = (actual.units / rest.units).dimensionality
    base, power = next(iter(given.dimensionality.items()))
    exponent = contributed.get(base, 0) / power
    if exponent == 0:
        return None
    needed = fold_scale_words(Q_(1.0, (derived.unit / rest.units) ** (1 / exponent)))
    return f"{describe_dimension(needed)} (in {format_unit(needed.to_reduced_units().units)}, say)"


def _show(value: pint.Quantity) -> str:
    try:
        return format_quantity(value)
    except (ValueError, TypeError):
        return pint_text(value)


def point_values(scenario: Scenario) -> dict[str, pint.Quantity]:
    """Each input at its stated value, as a float quantity."""
    return {
        name: Q_(_as_float(i.quantity.magnitude), i.quantity.units)
        for name, i in scenario.inputs.items()
    }


def _as_float(magnitude: Any) -> Any:
    """float64 scalars and arrays, so that a zero divisor gives inf (checked) not an exception."""
    array = np.asarray(magnitude, dtype=np.float64)
    return array if array.ndim else np.float64(array)


def evaluate_values(
    scenario: Scenario,
    inputs: Mapping[str, pint.Quantity],
    *,
    check_finite: bool = True,
    only: Collection[str] | None = None,
    draw: tuple[np.random.Generator, int] | None = None,
) -> dict[str, pint.Quantity]:
    """Every quantity's value, inputs first, derived in order, in display units.

    With ``only``, just the derived quantities those names need are computed. With
    ``draw`` (a generator and a sample count), derived distributions are sampled;
    without it they take their mean.
    """
    values: dict[str, pint.Quantity] = dict(inputs)
    needed = None if only is None else needed_for(scenario, only)
    bounds: dict[str, float] = {}  # names whose magnitudes are proved finite, and how large
    for name, derived in scenario.derived.items():
        if needed is not None and name not in needed:
            continue
        field = "formula" if isinstance(derived.formula, Formula) else "distribution"
        bound = None
        try:
            if draw is not None and isinstance(derived.formula, DistributionFormula):
                value = derived.formula.sample(draw[0], draw[1], values)
            elif isinstance(derived.formula, Formula):  # in its unit where that saves a pass
                value, bound = derived.formula.evaluate_bounded(
                    values, derived.unit, bounds if check_finite else None
                )
            else:
                value = derived.formula.evaluate(values)
            value = _in_display_unit(value, derived, values)
        except CalcError as exc:
            raise exc.at(derived.where(field)) from None
        except OverflowError:  # pint's unit factors are floats too: (YW)**64 overflows
            raise EvaluationError(
                f"{name} = {derived.formula} overflows: a value or unit factor is beyond "
                "the largest number a float holds; use smaller units or exponents",
                location=derived.where(field),
            ) from None
        if bound is not None and value.units == derived.unit:
            bounds[name] = bound  # finite, proved from its operands without reading it
        elif check_finite:
            _check_finite(name, derived, value, values)
        values[name] = value
    return values


def _in_display_unit(
    value: pint.Quantity, derived: Derived, values: Mapping[str, pint.Quantity]
) -> pint.Quantity:
    """``value`` in the derived quantity's unit (left alone if its dimension differs)."""
    unit = derived.unit
    if value.units == unit or value.dimensionality != unit.dimensionality:
        return value
    factor = conversion_factor(value.units, unit)  # pint's own factor, looked up once
    magnitude = value.magnitude
    if factor is None:
        return value.to(unit)
    if not isinstance(magnitude, np.ndarray) or not magnitude.flags.writeable:
        return Q_(magnitude * factor, unit)
    if any(magnitude is other.magnitude for other in values.values()):
        return Q_(magnitude * factor, unit)  # e.g. a bare name: its array is another's
    magnitude *= factor  # a fresh array: converted in place, without a copy
    return Q_(magnitude, unit)


#: From this many numbers, _check_finite sums them rather than testing each.
_SUM_FROM = 4096


def _check_finite(
    name: str, derived: Derived, value: pint.Quantity, values: Mapping[str, pint.Quantity]
) -> None:
    magnitude = np.asarray(value.magnitude)
    if magnitude.size < _SUM_FROM:  # a few numbers: checked one by one, at once
        if (magnitude.ndim == 0 and math.isfinite(magnitude)) or np.isfinite(magnitude).all():
            return
    else:
        # One pass, no boolean array: a sum is finite when every term is (an overflowing
        # sum is checked exactly, and is no warning: large finite values may add up past
        # the largest float).
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(magnitude, axis=None)
        if np.isfinite(total) or np.all(np.isfinite(magnitude)):
            return
    operands = ", ".join(
        f"{n} = {_show(values[n])}"
        for n in sorted(derived.formula.names)
        if np.all(np.isfinite(np.asarray(values[n].magnitude)))
    )
    problem = "is not a number (NaN)" if np.any(np.isnan(magnitude)) else "is infinite"
    raise EvaluationError(
        f"{name} = {derived.formula} {problem}, from {operands}; check for a zero divisor "
        "or a value out of range",
        location=derived.where("formula"),
    )


#: Memory one run may take for its arrays: every sample count and grid size is held to it.
def varying_quantities(scenario: Scenario) -> int:
    """How many arrays a sampled run holds: the uncertain inputs and the derived ones."""
    return sum(i.uncertainty is not None for i in scenario.inputs.values()) + len(scenario.derived)


def sample_inputs(
    scenario: Scenario, rng: np.random.Generator, count: int
) -> dict[str, pint.Quantity]:
    """Every uncertain input drawn ``count`` times, once each; the others at their value.

    Refused before drawing when the arrays of every quantity would pass the memory budget.
    """
    check_sample_count(count, varying_quantities(scenario), fix="ask for fewer with --samples")
    values = point_values(scenario)
    for name, spec in scenario.inputs.items():
        if spec.uncertainty is not None:
            unit = spec.quantity.units
            try:
                values[name] = Q_(spec.uncertainty.sample(rng, count, {}, unit), unit)
            except CalcError as exc:
                raise exc.at(spec.where("distribution")) from None
    return values


#: Monte Carlo samples a run takes when the scenario has uncertain inputs and none are asked.
DEFAULT_SAMPLES = 10_000


def default_samples(scenario: Scenario) -> int | None:
    """``DEFAULT_SAMPLES`` when anything in the scenario is uncertain, else None (point
    values): what ``calc run`` and ``calc check`` draw when not told."""
    uncertain = any(i.uncertainty is not None for i in scenario.inputs.values()) or any(
        not isinstance(d.formula, Formula) for d in scenario.derived.values()
    )
    return DEFAULT_SAMPLES if uncertain else None


def evaluate(
    scenario: Scenario,
    *,
    samples: int | None = None,
    seed: int | None = None,
    result_type: type[Result] | None = None,
) -> Result:
    """Evaluate a scenario: every quantity at the point values and, with ``samples``,
    as a Monte Carlo run with every uncertain input drawn once; then every claim."""
    from calc.domain.result import Result
    from calc.domain.verdicts import judge_readings

    check_seed(seed)
    values = evaluate_values(scenario, point_values(scenario))
    drawn = None
    if samples:
        samples = check_sample_count(
            samples, varying_quantities(scenario), fix="ask for fewer with --samples"
        )
        rng = random_generator(seed)
        drawn = evaluate_values(
            scenario, sample_inputs(scenario, rng, samples), draw=(rng, samples)
        )
    rests_on = lineage(scenario)
    verdicts = tuple(
        judge_readings(claim, values, scenario, rests_on, drawn)
        for claim in scenario.claims.values()
    )
    return (result_type or Result)(
        scenario=scenario,
        values=values,
        rests_on=rests_on,
        verdicts=verdicts,
        samples=drawn,
        seed=seed,
    )
