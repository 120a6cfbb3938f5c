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
from .files import read_limited
from .yamlfile import YamlDocument, echo, load_yaml

CATALOGUE_NAME = "catalogue.yaml"
#: Longest article calc reads (a long feature is 100 KB; a book is not an article).
MAX_ARTICLE_BYTES = 2_000_000
#: The only kinds of link a catalogue may give: a `javascript:` or `file:` URL would be
#: a live link in notebook HTML and Markdown reports.
URL_SCHEMES = ("http", "https")


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
            from .names import closest  # a small module; imported here to keep this one lean

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
            where = Location(self.path, self.lines.get(source.id), f"seeds.{source.id}.file")
            try:
                text = read_article(source.file)
            except SourceError as exc:
                raise SourceError(f"the text of seed {source.id} ({source.file}) {exc.message}",
                                  location=where) from None
            self._texts[source.id] = fold_text(text)
        return self._texts[source.id]


def read_article(path: Path) -> str:
    """An article's text: a regular file of at most MAX_ARTICLE_BYTES of UTF-8, its line
    endings kept (offsets count them); SourceError otherwise."""
    raw = read_limited(path, MAX_ARTICLE_BYTES, what="articles", error=SourceError,
                       missing="no such file; give the path of the article's text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"is not UTF-8 text (byte {exc.start:,} is {raw[exc.start]:#04x}; Windows-1252 "
            "or Latin-1?); save the article as UTF-8, e.g. iconv -f cp1252 -t utf-8",
            location=Location(path)) from None


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


def load_catalogue(path: str | Path, *, allow_outside: bool = False) -> Catalogue:
    """Load and validate a catalogue file; seed files resolve beside it.

    A seed's ``file`` must lie inside the catalogue's folder (symbolic links followed),
    or the quote check would tell whether any file on the machine holds some words;
    ``allow_outside=True`` lifts this for a catalogue the user trusts.
    """
    document = load_yaml(path)
    if not isinstance(document.data, dict):  # never echo it: it may be any file at all
        raise document.error("is not a source catalogue: expected a mapping with 'seeds' and "
                             "'references' at the top level; check the 'catalogue' path")
    parsed = document.validate(CatalogueFile)
    return _build(parsed, document, allow_outside=allow_outside)


def _build(parsed: CatalogueFile, document: YamlDocument, *,
           allow_outside: bool = False) -> Catalogue:
    folder = document.path.parent
    sources: dict[str, Source] = {}
    lines: dict[str, int] = {}
    for sid, seed in parsed.seeds.items():
        file = folder / seed.file
        if not allow_outside:
            _check_inside(seed.file, file, folder, document, sid)
        _check_url(seed.url, document, "seeds", sid)
        sources[sid] = Source(
            id=sid, kind="seed", title=seed.title, publisher=seed.publisher,
            date=seed.date.isoformat(), url=seed.url, file=file, note=seed.note)
        lines[sid] = document.line_of(("seeds", sid)) or 0
    for rid, ref in parsed.references.items():
        if rid in sources:
            raise document.error(f"id {rid!r} is both a seed and a reference; rename one",
                                 "references", rid)
        _check_url(ref.url, document, "references", rid)
        sources[rid] = Source(
            id=rid, kind="reference", title=ref.title, publisher=ref.publisher,
            date=str(ref.date), url=ref.url, quote=ref.quote, figure=ref.figure,
            grade=ref.grade, note=ref.note)
        lines[rid] = document.line_of(("references", rid)) or 0
    return Catalogue(path=document.path, sources=sources, lines=lines)


def _check_inside(written: str, file: Path, folder: Path, document: YamlDocument,
                  sid: str) -> None:
    """Refuse a seed file outside the catalogue's folder tree: an absolute path, a '..'
    that climbs out, or a symbolic link that leads out."""
    resolved, root = file.resolve(), folder.resolve()
    if Path(written).is_absolute() or not resolved.is_relative_to(root):
        raise document.error(
            f"{echo(written)} is outside the catalogue's folder ({folder}); keep seed articles "
            "in that folder (copy the article there), or, for a catalogue you trust, pass "
            "--allow-outside-seeds (allow_outside=True in Python)", "seeds", sid, "file")


def _check_url(url: str | None, document: YamlDocument, section: str, sid: str) -> None:
    """Only web links: a catalogue's URL becomes a live link in HTML and Markdown."""
    if url is None:
        return
    scheme, sep, rest = url.strip().partition(":")
    if sep and scheme.lower() in URL_SCHEMES and rest.startswith("//") and len(rest) > 2:
        return
    raise document.error(f"{echo(url)} is not a web address; a catalogue links only to "
                         "http:// and https:// addresses: give the document's web address, "
                         "or leave 'url' out", section, sid, "url")
