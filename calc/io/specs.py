"""Scenario files: the YAML format as pydantic models (also the JSON Schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from calc.domain.distributions import (
    DistributionSpec,
)
from calc.domain.model import Kind

if TYPE_CHECKING:
    pass


# --- the file format ----------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CitationSpec(_Strict):
    """One source for a figure: a catalogue id and, for seeds, the verbatim quote."""

    source: str
    quote: str | None = None


class InputSpec(_Strict):
    """An input: a value with a unit, its kind, where it comes from, how uncertain it is."""

    value: str | float | int | None = Field(
        None,
        description="A number with a unit: '30 GW', '$1.4 trillion'; without it, the "
        "mean of the range or distribution",
    )
    range: list[str | float | int] | str | None = Field(
        None,
        description="[low, high], a 90% interval: lognormal if both are positive, else "
        "normal; or one text such as '120-132 kW' or '750,000 to 1.3 million homes'",
    )
    distribution: DistributionSpec | None = Field(
        None, description="normal, lognormal, uniform, triangular, pert, beta or mixture"
    )
    kind: Kind
    source: str | None = Field(None, description="Catalogue id of the source")
    quote: str | None = Field(None, description="Verbatim words of the source")
    sources: list[CitationSpec] = Field([], description="Further sources that state the same")
    note: str | None = Field(None, description="Context; for assumptions, the rationale")
    basis: str | list[str] | dict[str, str] | None = Field(
        None, description="What it measures: 'investment', [all-in, facility], {scope: chips}"
    )


class DerivedSpec(_Strict):
    """A derived quantity: a formula over other names (or a distribution whose parameters
    are formulas), and the unit it is shown in."""

    formula: str | None = None
    distribution: DistributionSpec | None = Field(
        None, description="Instead of a formula: a distribution with formula parameters"
    )
    unit: str = Field(description="Display unit; also the dimension the formula must have")
    also: list[str] = Field([], description="Further units to show the value in")
    note: str | None = None
    basis: str | list[str] | dict[str, str] | None = Field(
        None, description="What it measures; by default what its formula's inputs measure"
    )


class ClaimSpec(_Strict):
    """What a source asserts (``claimed``) against what the model implies (``implied``)."""

    text: str = Field(description="The claim in words, as a reader would say it")
    claimed: str | None = Field(None, description="Formula for the figure as claimed")
    # numbers too, so that an unquoted '[1,000 MW, 2,000 MW]' reaches the loader's count
    # of values and its advice to quote them, not a type error about '1'
    claimed_range: list[str | float | int] | None = Field(
        None, description="[low, high] formulas: the claim is a range, judged as one"
    )
    claimed_as_published: str | None = Field(
        None,
        description="The figure as the article printed it, unit and all ('911 kW'); a "
        "wrong dimension is reported as a unit error",
    )
    bound: str | None = Field(
        None, description="about, at_most, at_least, or the article's words: 'up to', 'more than'"
    )
    basis: str | list[str] | dict[str, str] | None = Field(
        None,
        description="What a figure recorded as published measures ('investment', [all-in]); "
        "a formula's side measures what its inputs do",
    )
    implied: str = Field(description="Formula for the figure the model or a reference implies")
    bases: dict[str, str] = Field(
        {},
        description="Other readings of an ambiguous claim, each a basis name and the implied "
        "formula on it ({peak-demand: homes_at_peak}); each is judged",
    )
    tolerance: int | float | str | None = Field(
        None, description="0.1 or '10%', at most 1 (100%); by default the kind's"
    )
    kind: str | None = Field(
        None, description="homes-equivalence, own-arithmetic, two-outlets or analyst-range"
    )
    source: str | None = Field(None, description="Catalogue id of who publishes the claim")
    note: str | None = None


class ScenarioSpec(_Strict):
    """A whole scenario file."""

    title: str
    description: str | None = None
    extends: str | None = Field(
        None,
        description="A scenario this one varies (path relative to this file); its "
        "inputs, derived quantities and claims are inherited, and entries here replace them",
    )
    catalogue: str | None = Field(None, description="Path of the source catalogue")
    units: dict[str, str] = Field(
        {}, description="Count units this scenario adds, each with its plural: {robot: robots}"
    )
    inputs: dict[str, InputSpec] = {}
    derived: dict[str, DerivedSpec] = {}
    claims: dict[str, ClaimSpec] = {}
