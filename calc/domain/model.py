"""A loaded scenario as immutable data: inputs, derived quantities, claims and
their sources. Built by ``calc.io.loader``; evaluated by ``calc.domain.evaluate``."""

from __future__ import annotations

import copyreg
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import pint

from calc.domain.distributions import (
    Distribution,
    DistributionFormula,
)
from calc.domain.sources import Catalogue, Source
from calc.errors import Location
from calc.lang.formula import Formula

if TYPE_CHECKING:
    pass


# A Scenario holds its sections as read-only mappings; pickle and deepcopy (a notebook's
# multiprocessing, copy.deepcopy) rebuild them from a plain dict.
def read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """A read-only view of ``mapping`` (how an unpickled Scenario gets its sections)."""
    return MappingProxyType(mapping)


copyreg.pickle(MappingProxyType, lambda proxy: (read_only, (dict(proxy),)))

Kind = Literal["stated", "reference", "assumption"]
#: An input's kind once loaded: "override" when a what-if set its value.
InputKind = Literal["stated", "reference", "assumption", "override"]
#: Keyword arguments of Scenario.evaluate, so no input may take these names.
RESERVED_NAMES = frozenset({"samples", "seed"})
DEFAULT_TOLERANCE = 0.10
#: How a claim reads its figure: about it, at most it ("up to"), at least it ("more than").
Bound = Literal["about", "at_most", "at_least"]
#: Words articles use, and the bound each sets (``bound: up to`` reads as at_most).
BOUND_WORDS: dict[str, Bound] = {
    **dict.fromkeys(
        ["about", "roughly", "around", "approximately", "some", "nearly equal"], "about"
    ),
    **dict.fromkeys(
        [
            "at_most",
            "at most",
            "up to",
            "as many as",
            "as much as",
            "nearly",
            "almost",
            "fits within",
            "within",
            "under",
            "less than",
            "no more than",
            "below",
            "just under",
        ],
        "at_most",
    ),
    **dict.fromkeys(
        [
            "at_least",
            "at least",
            "more than",
            "over",
            "past",
            "above",
            "exceeding",
            "upwards of",
            "no less than",
            "hundreds of",
            "thousands of",
            "millions of",
        ],
        "at_least",
    ),
}
#: Qualifiers ``calc extract`` keeps that BOUND_WORDS does not spell out, as bounds.
_QUALIFIER_BOUNDS: dict[str, Bound] = {
    **dict.fromkeys(["close to", "an estimated", "~", "\u2248"], "about"),
    **dict.fromkeys(["fewer than", "as high as", "<", "\u2264"], "at_most"),
    **dict.fromkeys(["just over", "in excess of", "as low as", ">", "\u2265"], "at_least"),
}


def bound_of(words: str) -> Bound | None:
    """The bound an article's qualifier sets on its figure ("up to" -> at_most, "more
    than" -> at_least, "roughly" -> about); None for words that set none."""
    word = " ".join(words.lower().replace("-", " ").split())
    found = BOUND_WORDS.get(word) or BOUND_WORDS.get(word.replace(" ", "_"))
    return found or _QUALIFIER_BOUNDS.get(word)


#: Default tolerance per kind of claim, and why a reader can defend it.
KIND_TOLERANCES: dict[str, tuple[float, str]] = {
    "homes-equivalence": (
        0.15,
        "homes comparisons rest on a yearly average household use that varies about 5-10% "
        "by year and source, and on a rounded headline figure",
    ),
    "own-arithmetic": (
        0.02,
        "an article's own figures should multiply out; 2% allows for their rounding",
    ),
    "two-outlets": (
        0.05,
        "two outlets quoting one figure round it differently, rarely by more than 5%",
    ),
    "analyst-range": (
        0.25,
        "analysts' cost estimates for the same build differ by a quarter or more",
    ),
    "general": (0.10, "the default: a figure rounded for a headline"),
}


# --- the loaded scenario ------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    source: Source
    quote: str | None

    @property
    def verified(self) -> bool:
        """True when the quote was checked against a seed's text."""
        return self.source.verifiable and self.quote is not None


@dataclass(frozen=True)
class _Located:
    """Where an entry and each of its fields stand in the file."""

    location: Location
    field_locations: Mapping[str, Location]

    def where(self, field: str) -> Location:
        """The location of one field (the entry's line where the field is absent)."""
        return self.field_locations.get(field) or Location(
            self.location.file, self.location.line, f"{self.location.field}.{field}"
        )


@dataclass(frozen=True)
class Input(_Located):
    name: str
    quantity: pint.Quantity
    kind: InputKind
    citations: tuple[Citation, ...]
    note: str | None
    original: Input | None = None  # the input as loaded, when an override replaced it
    uncertainty: Distribution | None = None  # from `range` or `distribution`
    basis: Mapping[str, frozenset[str]] = field(default_factory=dict)  # what it measures


@dataclass(frozen=True)
class Derived(_Located):
    name: str
    formula: Formula | DistributionFormula
    unit: pint.Unit
    also: tuple[pint.Unit, ...]
    note: str | None
    basis: Mapping[str, frozenset[str]] = field(default_factory=dict)  # else inherited


@dataclass(frozen=True)
class Claim(_Located):
    name: str
    text: str
    claimed: Formula
    implied: Formula
    tolerance: float
    note: str | None
    bound: Bound = "about"
    claimed_high: Formula | None = None  # a claimed range: ``claimed`` is its low end
    published: pint.Quantity | None = None  # the figure as published, maybe a unit slip
    published_text: str | None = None
    source: str | None = None  # who publishes the claim, for a published figure
    kind: str | None = None  # homes-equivalence, own-arithmetic... (sets the tolerance)
    tolerance_reason: str | None = None
    #: Other readings: a basis name and the implied formula on it, each judged.
    alternatives: tuple[tuple[str, Formula], ...] = ()
    #: What a published figure measures (a formula's side inherits its inputs' basis).
    published_basis: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def claimed_names(self) -> frozenset[str]:
        """The names the claimed side reads (both ends of a range)."""
        high = self.claimed_high.names if self.claimed_high is not None else frozenset()
        return frozenset() if self.published is not None else self.claimed.names | high

    def claimed_text(self) -> str:
        """The claimed side as written: a formula, 'low to high', or the published figure."""
        if self.published_text is not None:
            return f"as published: {self.published_text}"
        if self.claimed_high is not None:
            return f"{self.claimed} to {self.claimed_high}"
        return str(self.claimed)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Derived quantities are held in evaluation order."""

    path: Path
    title: str
    description: str | None
    inputs: Mapping[str, Input]
    derived: Mapping[str, Derived]
    claims: Mapping[str, Claim]
    catalogue: Catalogue
    extends: tuple[Path, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every quantity's name: inputs in file order, then derived in evaluation order."""
        return (*self.inputs, *self.derived)

    def __repr__(self) -> str:
        return (
            f"<Scenario {self.title!r} from {self.path.name}: {len(self.inputs)} inputs, "
            f"{len(self.derived)} derived, {len(self.claims)} claims>"
        )
