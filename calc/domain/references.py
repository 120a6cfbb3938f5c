"""calc's reference library: sourced figures any scenario may cite as ``ref:ID``.

The library ships inside the package (``calc/data/references.yaml``); reading it is
``calc.io.references``'s. Each figure is a value (with a range where sources differ),
the year it describes, what it measures (basis tags) and the ``Source`` it comes
from, which output shows like any catalogue reference.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pint

from calc.domain.sources import Source
from calc.errors import CalcError, Location, ScenarioFileError, SourceError
from calc.names import closest
from calc.units.display import format_quantity
from calc.units.notation import parse_value

#: How a scenario cites a library figure: ``source: ref:eia-household-2022``.
REF_PREFIX = "ref:"
#: What ``value:`` says to take the value (and range) from the cited library figure.
FROM_REFERENCE = "from reference"
#: A stated value may differ from the library's value or range by this much (relative),
#: so that a figure rounded to three significant digits still agrees.
ROUNDING = 0.005
#: A figure is stale when the year it describes is more than this many years old.
STALE_AFTER_YEARS = 2


@dataclass(frozen=True)
class Reference:
    """One figure of the library."""

    id: str
    group: str
    description: str
    value: str
    range: tuple[str, str] | None
    year: int
    basis: tuple[str, ...]
    source: Source
    also: tuple[Source, ...] = ()
    note: str | None = None
    where: Location | None = None  # its place in the library file, for its errors

    @property
    def quantity(self) -> pint.Quantity:
        return parse_value(self.value)

    @property
    def unit(self) -> str:
        return format_quantity(self.quantity).partition(" ")[2]

    def summary(self) -> str:
        """'10,791 kWh/home/yr, year 2022, basis energy/average' (with its range).

        Values are spelled as every other view spells their unit, not as the file
        wrote them (one spelling per unit, #20)."""
        value = format_quantity(self.quantity)
        span = ""
        if self.range:
            low, high = (format_quantity(parse_value(end)) for end in self.range)
            span = f" (range {low} to {high})"
        return f"{value}{span}, year {self.year}, basis {'/'.join(self.basis)}"

    def summarised(self) -> Reference:
        """The figure with its summary where its sources keep a tabulated figure (after
        the source's own table cell, when it has one)."""
        summary = f"library: {self.summary()}"

        def with_summary(source: Source) -> Source:
            table = source.figure
            return replace(source, figure=f"{table}; {summary}" if table else summary)

        return replace(
            self, source=with_summary(self.source), also=tuple(map(with_summary, self.also))
        )

    def check_itself(self) -> None:
        """ScenarioFileError at the figure's line in the library unless its value parses
        and its range holds it (a broken library file is reported where it is broken)."""
        try:
            self.check_value(self.quantity)
        except CalcError as exc:
            raise ScenarioFileError(f"is not a usable figure: {exc}", location=self.where) from None

    def check_value(self, value: pint.Quantity) -> None:
        """Raise SourceError unless ``value`` lies in the figure's range (its value when
        it has none), allowing ROUNDING for a figure rounded where it is stated."""
        figure = self.quantity
        if value.dimensionality != figure.dimensionality:
            raise SourceError(
                f"the value {format_quantity(value)} does not measure what "
                f"{REF_PREFIX}{self.id} measures ({self.value}); give a value in its "
                f"units, or write 'value: {FROM_REFERENCE}'"
            )
        low, high = (parse_value(b) for b in self.range) if self.range else (figure, figure)
        for end in (low, high):
            if end.dimensionality != figure.dimensionality:
                raise SourceError(
                    f"its range {self.range[0]} to {self.range[1]} does not measure what "  # type: ignore[index]
                    f"its value {self.value} measures"
                )
        point = float(value.to(figure.units).magnitude)
        low_m, high_m = (float(q.to(figure.units).magnitude) for q in (low, high))
        slack = ROUNDING * max(abs(low_m), abs(high_m))
        if low_m - slack <= point <= high_m + slack:
            return
        library = f"range {self.range[0]} to {self.range[1]}" if self.range else self.value
        raise SourceError(
            f"the value {format_quantity(value)} is outside what {REF_PREFIX}{self.id} "
            f"gives ({library}); write 'value: {FROM_REFERENCE}', give a value within "
            "it, or, for a figure of your own, make the input an 'assumption' with a note"
        )


@dataclass(frozen=True)
class ReferenceLibrary:
    """The library's figures by id, with its version and the date it was updated."""

    version: int
    updated: str
    figures: Mapping[str, Reference]
    #: figures checked on first use and given their summary (start-up parses no value)
    cited: dict[str, Reference] = field(default_factory=dict)

    def get(self, cited: str, location: Location | None = None) -> Reference:
        """The figure ``ref:ID`` (or ``ID``) names; SourceError with the closest ids."""
        fid = cited.removeprefix(REF_PREFIX)
        if fid in self.cited:
            return self.cited[fid]
        if fid in self.figures:
            figure = self.figures[fid]
            figure.check_itself()
            self.cited[fid] = figure.summarised()
            return self.cited[fid]
        hint = closest(REF_PREFIX + fid, [REF_PREFIX + k for k in self.figures])
        raise SourceError(
            f"{cited!r} is not in calc's reference library; "
            + (f"did you mean {hint}? " if hint else "")
            + "`calc refs WORD` lists the figures whose id or description holds WORD",
            location=location,
        )

    def search(self, query: str | None = None) -> list[Reference]:
        """Figures whose id, description, unit or group holds every word of ``query``
        (case ignored); all figures without one."""
        words = (query or "").lower().removeprefix(REF_PREFIX).split()
        return [f for f in self.figures.values() if all(w in _haystack(f) for w in words)]

    def stale(self, today: datetime.date) -> list[Reference]:
        """Figures whose year is more than STALE_AFTER_YEARS before ``today``'s."""
        oldest = today.year - STALE_AFTER_YEARS
        return [f for f in self.figures.values() if f.year < oldest]


def _haystack(figure: Reference) -> str:
    return " ".join((figure.id, figure.description, figure.unit, figure.group)).lower()


def cited_id(source: str) -> str | None:
    """The library id a citation names (``ref:ID``), or None for a catalogue id."""
    return source[len(REF_PREFIX) :] if source.startswith(REF_PREFIX) else None
