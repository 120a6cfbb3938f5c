"""Reading calc's reference library (``calc/data/references.yaml``), once a process.

The file ships inside the package and is read with the same bounded, safe YAML
reader as scenario files; a figure that fails validation is reported at its line.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from calc.domain.basis import parse_basis
from calc.domain.distributions import split_pair_message
from calc.domain.references import FROM_REFERENCE, REF_PREFIX, Reference, ReferenceLibrary, cited_id
from calc.domain.sources import Catalogue, Source
from calc.errors import Location, ScenarioFileError, SourceError
from calc.io.files import read_limited
from calc.io.yamlfile import MAX_FILE_BYTES, YamlDocument, parse_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceEntry(_Strict):
    publisher: str
    title: str
    url: str
    date: datetime.date | str
    quote: str | None = None
    table: str | None = None
    grade: Literal["P", "M", "S", "D", "U"]


class FigureEntry(_Strict):
    group: str
    description: str
    value: str | int | float
    range: tuple[str | int | float, str | int | float] | None = None
    basis: list[str]
    year: int
    source: SourceEntry
    also: list[SourceEntry] = []
    note: str | None = None


class LibraryFile(_Strict):
    version: int
    updated: datetime.date | str
    references: dict[str, FigureEntry]


def library_path() -> Path:
    """Where the shipped library lies, in a checkout or an installed wheel."""
    return Path(str(resources.files("calc") / "data" / "references.yaml"))


@functools.cache
def load_library() -> ReferenceLibrary:
    """The shipped library, read and validated on first use and kept for the process.
    Each figure's value and range are parsed when a scenario first cites it, not all 74
    at start-up (tests/test_reference_data.py checks every one of them)."""
    return read_library(library_path(), check=False, shipped=True)


def read_library(path: Path, *, check: bool = True, shipped: bool = False) -> ReferenceLibrary:
    """A library file, read with a bound and validated (ScenarioFileError at the line);
    ``check=False`` leaves each figure's value to be checked when first cited;
    ``shipped``: calc's own, installed with its code (see ``parse_yaml``)."""
    raw = read_limited(path, MAX_FILE_BYTES, what="reference libraries", error=ScenarioFileError)
    document = parse_yaml(raw, path, shipped=shipped)
    if not isinstance(document.data, dict):
        raise document.error("is not a reference library: expected 'references' at the top")
    parsed = document.validate(LibraryFile)
    figures = {
        fid: _figure(fid, entry, document, check=check) for fid, entry in parsed.references.items()
    }
    return ReferenceLibrary(
        version=parsed.version, updated=_date_text(parsed.updated), figures=figures
    )


def _figure(fid: str, entry: FigureEntry, document: YamlDocument, *, check: bool) -> Reference:
    written = document.comma_splits.get(("references", fid, "range"))
    if written is not None and entry.range:  # '[1,500 MW]': 1 to 500 MW, or 1,500 MW?
        raise document.error(
            split_pair_message(written, list(entry.range)), "references", fid, "range"
        )
    try:  # the scenario's vocabulary, so that a cited figure's tags travel with it
        parse_basis(entry.basis)
    except ScenarioFileError as exc:
        raise document.error(str(exc), "references", fid, "basis") from None
    reference = Reference(
        id=fid,
        group=entry.group,
        description=entry.description,
        value=str(entry.value),
        range=(str(entry.range[0]), str(entry.range[1])) if entry.range else None,
        year=entry.year,
        basis=tuple(entry.basis),
        source=Source(id="", kind="reference", title="", publisher="", date=""),
        note=entry.note,
        where=document.locate("references", fid),
    )
    if check:
        reference.check_itself()
    source = _source(REF_PREFIX + fid, entry.source, entry.note)
    also = tuple(_source(f"{REF_PREFIX}{fid}", s, None) for s in entry.also)
    return replace(reference, source=source, also=also)


def _source(sid: str, entry: SourceEntry, note: str | None) -> Source:
    """The figure's source as output shows any reference; citing it adds the library's
    value, range, year and basis where a catalogue keeps a tabulated figure
    (``Reference.summarised``)."""
    return Source(
        id=sid,
        kind="reference",
        title=entry.title,
        publisher=entry.publisher,
        date=_date_text(entry.date),
        url=entry.url,
        quote=entry.quote,
        figure=entry.table,
        grade=entry.grade,
        note=note,
    )


def _date_text(date: datetime.date | str) -> str:
    """A date as the file writes it: YAML reads 2024-01-08 as a date, shown the same."""
    return date.isoformat() if isinstance(date, datetime.date) else date


# --- citing -------------------------------------------------------------------


def resolve_source(
    cited: str, catalogue: Catalogue, location: Location, *, local: bool = True
) -> tuple[Source, Reference | None]:
    """The source a citation names, and the library figure it checks against.

    ``ref:ID`` names a library figure; an entry of the same id in the scenario's own
    catalogue (``local``: one it names or one found above it, not the bundled one it
    falls back on) wins, marked so that output notes it, and then no library check
    applies. Other ids are the catalogue's.
    """
    fid = cited_id(cited)
    if fid is None:
        if cited not in catalogue.sources and cited in load_library().figures:
            raise SourceError(
                f"source {cited!r} is not in the catalogue {catalogue.path}; calc's "
                f"reference library has it: cite it as '{REF_PREFIX}{cited}' "
                f"(`calc refs {cited}` shows it)",
                location=location,
            )
        return catalogue.get(cited, location), None
    figure = load_library().get(cited, location)
    if local and fid in catalogue.sources:
        return replace(catalogue.sources[fid], shadows=cited), None
    return figure.source, figure


def is_from_reference(value: object) -> bool:
    """Whether an input's ``value`` says to take the library's (``from reference``)."""
    return isinstance(value, str) and " ".join(value.lower().split()) == FROM_REFERENCE
