"""A loaded scenario as immutable data: inputs, derived quantities, claims and
their sources. Built by ``calc.io.loader``; evaluated by ``calc.domain.evaluate``."""

from __future__ import annotations

import copyreg
from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Derived(_Located):
    name: str
    formula: Formula | DistributionFormula
    unit: pint.Unit
    also: tuple[pint.Unit, ...]
    note: str | None


@dataclass(frozen=True)
class Claim(_Located):
    name: str
    text: str
    claimed: Formula
    implied: Formula
    tolerance: float
    note: str | None


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
