"""The source catalogue file: seeds and references validated, seed files kept inside
the catalogue's folder, links http(s) only, and articles read with a bound."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from calc.domain.sources import Catalogue, Source
from calc.errors import Location, SourceError
from calc.io.files import read_limited
from calc.io.yamlfile import YamlDocument, echo, load_yaml
from calc.names import name_problem

if TYPE_CHECKING:
    pass


CATALOGUE_NAME = "catalogue.yaml"
#: Longest article calc reads (a long feature is 100 KB; a book is not an article).
MAX_ARTICLE_BYTES = 2_000_000
#: The only kinds of link a catalogue may give: a `javascript:` or `file:` URL would be
#: a live link in notebook HTML and Markdown reports.
URL_SCHEMES = ("http", "https")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _as_written(value: object) -> object:
    """A year alone (``2024``) as text, so it prints as written; full dates stay dates."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: A catalogue date: a full date (YAML reads 2025-11-21 as one), or a year or month as
#: written: 2024, 2025-11.
CatalogueDate = Annotated[date | str, BeforeValidator(_as_written)]


class SeedEntry(_Strict):
    file: str
    title: str
    publisher: str
    date: CatalogueDate = Field(
        description="The article's date as written (2025-11-21, 2025-11, 2025), or 'unknown' "
        "when it is not known (never a stand-in)"
    )
    url: str | None = None
    author: str | None = None
    note: str | None = None


class ReferenceEntry(_Strict):
    publisher: str
    title: str
    url: str
    date: CatalogueDate
    quote: str | None = Field(None, description="Words read in the document")
    figure: str | None = Field(None, description="The figure as tabulated, where no quote was kept")
    grade: Literal["P", "M", "S", "D", "U"] = Field(
        description="How firm: Primary, Mirror of a primary, Secondary, Derived, Unreliable"
    )
    note: str | None = None


class CatalogueFile(_Strict):
    seeds: dict[str, SeedEntry] = {}
    references: dict[str, ReferenceEntry] = {}


def read_article(path: Path) -> str:
    """An article's text: a regular file of at most MAX_ARTICLE_BYTES of UTF-8, its line
    endings kept (offsets count them); SourceError otherwise."""
    raw = read_limited(
        path,
        MAX_ARTICLE_BYTES,
        what="articles",
        error=SourceError,
        missing="no such file; give the path of the article's text",
    )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"is not UTF-8 text (byte {exc.start:,} is {raw[exc.start]:#04x}; Windows-1252 "
            "or Latin-1?); save the article as UTF-8, e.g. iconv -f cp1252 -t utf-8",
            location=Location(path),
        ) from None


def load_catalogue(path: str | Path, *, allow_outside: bool = False) -> Catalogue:
    """Load and validate a catalogue file; seed files resolve beside it.

    A seed's ``file`` must lie inside the catalogue's folder (symbolic links followed),
    or the quote check would tell whether any file on the machine holds some words;
    ``allow_outside=True`` lifts this for a catalogue the user trusts.
    """
    document = load_yaml(path)
    if not isinstance(document.data, dict):  # never echo it: it may be any file at all
        raise document.error(
            "is not a source catalogue: expected a mapping with 'seeds' and "
            "'references' at the top level; check the 'catalogue' path"
        )
    parsed = document.validate(CatalogueFile)
    return _build(parsed, document, allow_outside=allow_outside)


def _build(
    parsed: CatalogueFile, document: YamlDocument, *, allow_outside: bool = False
) -> Catalogue:
    folder = document.path.parent
    sources: dict[str, Source] = {}
    lines: dict[str, int] = {}
    for section in ("seeds", "references"):
        for sid in getattr(parsed, section):
            problem = name_problem(sid, "id")
            if problem:
                raise document.error(f"{sid!r} is not a usable id; {problem}", section, sid)
    for sid, seed in parsed.seeds.items():
        file = folder / seed.file
        if not allow_outside:
            _check_inside(seed.file, file, folder, document, sid)
        _check_url(seed.url, document, "seeds", sid)
        sources[sid] = Source(
            id=sid,
            kind="seed",
            title=seed.title,
            publisher=seed.publisher,
            date="date unknown" if seed.date == "unknown" else str(seed.date),
            url=seed.url,
            file=file,
            file_given=seed.file,
            note=seed.note,
        )
        lines[sid] = document.line_of(("seeds", sid)) or 0
    for rid, ref in parsed.references.items():
        if rid in sources:
            raise document.error(
                f"id {rid!r} is both a seed and a reference; rename one", "references", rid
            )
        _check_url(ref.url, document, "references", rid)
        sources[rid] = Source(
            id=rid,
            kind="reference",
            title=ref.title,
            publisher=ref.publisher,
            date=str(ref.date),
            url=ref.url,
            quote=ref.quote,
            figure=ref.figure,
            grade=ref.grade,
            note=ref.note,
        )
        lines[rid] = document.line_of(("references", rid)) or 0
    return Catalogue(path=document.path, sources=sources, lines=lines, read=read_article)


def _check_inside(written: str, file: Path, folder: Path, document: YamlDocument, sid: str) -> None:
    """Refuse a seed file outside the catalogue's folder tree: an absolute path, a '..'
    that climbs out, or a symbolic link that leads out."""
    resolved, root = file.resolve(), folder.resolve()
    if Path(written).is_absolute() or not resolved.is_relative_to(root):
        raise document.error(
            f"{echo(written)} is outside the catalogue's folder ({folder}); keep seed articles "
            "in that folder (copy the article there), or, for a catalogue you trust, pass "
            "--allow-outside-seeds (allow_outside=True in Python)",
            "seeds",
            sid,
            "file",
        )


def _check_url(url: str | None, document: YamlDocument, section: str, sid: str) -> None:
    """Only web links: a catalogue's URL becomes a live link in HTML and Markdown."""
    if url is None:
        return
    scheme, sep, rest = url.strip().partition(":")
    if sep and scheme.lower() in URL_SCHEMES and rest.startswith("//") and len(rest) > 2:
        return
    raise document.error(
        f"{echo(url)} is not a web address; a catalogue links only to "
        "http:// and https:// addresses: give the document's web address, "
        "or leave 'url' out",
        section,
        sid,
        "url",
    )
