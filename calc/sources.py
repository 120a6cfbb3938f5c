"""The source catalogue: seed articles and external references, and quote checks.

A *seed* is an article kept in ``seeds/``; a figure it states carries a verbatim
quote, and the quote is checked against the article's text. An *external
reference* (EIA, NVIDIA, an analyst note) lists publisher, title, URL, date and
the quote as read; it cannot be checked offline, and output says so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import Location, SourceError
from .names import closest, name_problem
from .yamlfile import YamlDocument, load_yaml

CATALOGUE_NAME = "catalogue.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeedEntry(_Strict):
    file: str
    title: str
    publisher: str
    date: date
    url: str | None = None
    author: str | None = None
    note: str | None = None


class ReferenceEntry(_Strict):
    publisher: str
    title: str
    url: str
    date: date | str
    quote: str | None = Field(None, description="Words read in the document")
    figure: str | None = Field(None, description="The figure as tabulated, where no quote was kept")
    grade: Literal["P", "M", "S", "D", "U"] = Field(
        description="How firm: Primary, Mirror of a primary, Secondary, Derived, Unreliable")
    note: str | None = None


class CatalogueFile(_Strict):
    seeds: dict[str, SeedEntry] = {}
    references: dict[str, ReferenceEntry] = {}


GRADES = {
    "P": "primary text seen",
    "M": "primary seen through a mirror",
    "S": "secondary report",
    "D": "derived by arithmetic",
    "U": "weak source",
}


@dataclass(frozen=True)
class Source:
    """One catalogue entry, seed or external reference, as the rest of calc sees it."""

    id: str
    kind: Literal["seed", "reference", "override"]
    title: str
    publisher: str
    date: str
    url: str | None = None
    file: Path | None = None
    quote: str | None = None
    figure: str | None = None
    grade: str | None = None
    note: str | None = None

    @property
    def verifiable(self) -> bool:
        """Seeds are checked against their text; external references cannot be."""
        return self.kind == "seed"

    def describe(self) -> str:
        """'EIA, "How much electricity ...", 2024-01-08, https://...'."""
        where = self.url or (f"seeds/{self.file.name}" if self.file else "")
        parts = [self.publisher, f"\u201c{self.title}\u201d", self.date, where]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Catalogue:
    """Sources by id, with the seed texts they verify quotes against."""

    path: Path
    sources: dict[str, Source]
    lines: dict[str, int]
    _texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def get(self, source_id: str, location: Location) -> Source:
        try:
            return self.sources[source_id]
        except KeyError:
            hint = closest(source_id, self.sources)
            raise SourceError(
                f"source {source_id!r} is not in the catalogue {self.path}; "
                + (f"did you mean {hint}? " if hint else "")
                + "add it there or cite one that is",
                location=location,
            ) from None

    def verify_quote(self, source: Source, quote: str, location: Location) -> None:
        """Raise SourceError unless ``quote`` is in the seed's text (folded)."""
        if not source.verifiable:
            return
        text = self._folded_text(source)
        position = 0
        for fragment in _fragments(quote):
            found = text.find(fragment, position)
            if found < 0:
                raise SourceError(
                    f"quote {quote!r} is not in {source.id} (seeds/{_name(source)}); "
                    f"the words {fragment!r} were not found"
                    + (" after the earlier part of the quote" if position else "")
                    + "; copy the words exactly from the article",
                    location=location,
                )
            position = found + len(fragment)

    def _folded_text(self, source: Source) -> str:
        if source.id not in self._texts:
            assert source.file is not None
            try:
                self._texts[source.id] = fold_text(source.file.read_text(encoding="utf-8"))
            except OSError as exc:
                raise SourceError(
                    f"the text of seed {source.id} ({source.file}) cannot be read: "
                    f"{exc.strerror}; put the article there or fix 'file' in the catalogue",
                    location=Location(self.path, self.lines.get(source.id)),
                ) from None
        return self._texts[source.id]


def _name(source: Source) -> str:
    return source.file.name if source.file else source.id


_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00a0": " ",
})
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.)\s*")


def fold_text(text: str) -> str:
    """Fold what differs between copies of the same words: white space,
    typographic quotes and dashes, Unicode compatibility forms."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    return " ".join(text.split())


def _fragments(quote: str) -> list[str]:
    """A quote with '…' elisions is checked as its parts, in order."""
    parts = [fold_text(p) for p in _ELLIPSIS.split(quote)]
    return [p for p in parts if p] or [fold_text(quote)]


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue file; seed files resolve beside it."""
    document = load_yaml(path)
    parsed = document.validate(CatalogueFile)
    return _build(parsed, document)


def _build(parsed: CatalogueFile, document: YamlDocument) -> Catalogue:
    folder = document.path.parent
    sources: dict[str, Source] = {}
    lines: dict[str, int] = {}
    for section in ("seeds", "references"):
        for sid in getattr(parsed, section):
            problem = name_problem(sid, "id")
            if problem:
                raise document.error(f"{sid!r} is not a usable id; {problem}", section, sid)
    for sid, seed in parsed.seeds.items():
        sources[sid] = Source(
            id=sid, kind="seed", title=seed.title, publisher=seed.publisher,
            date=seed.date.isoformat(), url=seed.url, file=folder / seed.file, note=seed.note)
        lines[sid] = document.line_of(("seeds", sid)) or 0
    for rid, ref in parsed.references.items():
        if rid in sources:
            raise document.error(f"id {rid!r} is both a seed and a reference; rename one",
                                 "references", rid)
        sources[rid] = Source(
            id=rid, kind="reference", title=ref.title, publisher=ref.publisher,
            date=str(ref.date), url=ref.url, quote=ref.quote, figure=ref.figure,
            grade=ref.grade, note=ref.note)
        lines[rid] = document.line_of(("references", rid)) or 0
    return Catalogue(path=document.path, sources=sources, lines=lines)
