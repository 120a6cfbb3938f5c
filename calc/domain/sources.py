"""Sources and quotes: seed articles and external references, and the check that a
quote is what the article says.

A *seed* is an article kept in ``seeds/``; a figure it states carries a verbatim
quote, and the quote is checked against the article's text. An *external
reference* (EIA, NVIDIA, an analyst note) lists publisher, title, URL, date and
the quote as read; it cannot be checked offline, and output says so. Reading the
catalogue file is ``calc.io.catalogue``'s.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pint

from calc.errors import Location, SourceError
from calc.names import closest
from calc.units.display import format_quantity
from calc.units.registry import COUNT_UNITS, ureg

if TYPE_CHECKING:
    from calc.articles.figures import Figure

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
    #: The seed's file as the catalogue gives it (``file:``), which output shows; ``file``
    #: is where calc reads it.
    file_given: str | None = None
    quote: str | None = None
    figure: str | None = None
    grade: str | None = None
    note: str | None = None
    #: The library figure (``ref:ID``) this catalogue entry replaces, where one does.
    shadows: str | None = None

    @property
    def file_shown(self) -> str | None:
        """The seed's file as its catalogue writes it, never re-derived from the path."""
        if self.file_given is not None:
            return self.file_given
        return self.file.name if self.file is not None else None

    @property
    def verifiable(self) -> bool:
        """Seeds are checked against their text; external references cannot be."""
        return self.kind == "seed"

    def describe(self) -> str:
        """'EIA, "How much electricity ...", 2024-01-08, https://...'."""
        where = self.url or self.file_shown or ""
        parts = [self.publisher, f"\u201c{self.title}\u201d", self.date, where]
        text = ", ".join(p for p in parts if p)
        if self.shadows:
            text += f"; note: this local entry wins over the library figure {self.shadows}"
        return text


@dataclass(frozen=True)
class Catalogue:
    """Sources by id, with the seed texts they verify quotes against."""

    path: Path
    sources: dict[str, Source]
    lines: dict[str, int]
    #: Reads a seed article's text; the catalogue's loader (``calc.io.catalogue``) gives
    #: its bounded reader, so that this layer does no I/O of its own.
    read: Callable[[Path], str] = field(
        default=lambda path: _no_reader(path), compare=False, repr=False
    )
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
        """Raise SourceError unless the article says ``quote``: the same words, after
        folding white space, quote marks and dashes, starting and ending where words
        and numbers do ("4 trillion" is not in "$1.4 trillion")."""
        if not source.verifiable:
            return
        fragments = _fragments(quote)
        _check_content(quote, fragments, location)
        text = self._folded_text(source)
        missing, elided = _align(text, fragments)
        if missing is not None:
            raise SourceError(
                f"quote {quote!r} is not in {source.id} ({_name(source)}); "
                f"the words {fragments[missing]!r} were not found"
                + (" after the earlier part of the quote" if missing else "")
                + "; copy the words exactly from the article, whole words and numbers",
                location=location,
            )
        if elided is not None:
            raise SourceError(
                f"quote {quote!r} leaves out {elided} at its '\u2026', which can change "
                f"what {source.id} ({_name(source)}) says; quote the words whole, or "
                "quote each part separately",
                location=location,
            )

    def _folded_text(self, source: Source) -> str:
        if source.id not in self._texts:
            assert source.file is not None
            where = Location(self.path, self.lines.get(source.id), f"seeds.{source.id}.file")
            try:
                text = self.read(source.file)
            except SourceError as exc:
                raise SourceError(
                    f"the text of seed {source.id} ({_name(source)}) {exc.message}",
                    location=where,
                ) from None
            self._texts[source.id] = fold_text(text)
        return self._texts[source.id]


def _no_reader(path: Path) -> str:
    raise SourceError(
        f"cannot read {path}: this catalogue was built without a reader of "
        "articles; load it with calc.io.catalogue.load_catalogue"
    )


def _name(source: Source) -> str:
    return source.file_shown or source.id


_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.)\s*")
_WORD = re.compile(r"\w+")
#: The least a quote must hold to verify anything: a blank, a mark or one token alone
#: ("4", "GW") would be found in nearly any article.
MIN_QUOTE_WORDS = 2


def fold_text(text: str) -> str:
    """Fold only what differs between copies of the same words and cannot change a
    figure: white space, typographic quotes and dashes. No Unicode compatibility
    folding: it would turn "10\u2076 homes" into "106 homes"."""
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def find_words(text: str, words: str, start: int = 0) -> int:
    """The index of ``words`` in ``text`` at or after ``start``, where the match neither
    starts nor ends inside a word or a number; -1 if there is none.

    >>> find_words("invest $1.4 trillion to develop 30 gigawatts", "4 trillion")
    -1
    >>> find_words("invest $1.4 trillion to develop 30 gigawatts", "$1.4 trillion")
    7
    """
    found = text.find(words, start)
    while found >= 0:
        if not _splits(text, found) and not _splits(text, found + len(words)):
            return found
        found = text.find(words, found + 1)
    return -1


def _splits(text: str, at: int) -> bool:
    """Whether a cut between text[at - 1] and text[at] falls inside a word or a number
    (a decimal point or thousands separator between digits is inside one)."""
    if at <= 0 or at >= len(text):
        return False
    before, after = text[at - 1], text[at]
    if before.isalnum() and after.isalnum():
        return True
    digit_before = before.isdigit() or (before in ".," and at >= 2 and text[at - 2].isdigit())
    digit_after = after.isdigit() or (
        after in ".," and at + 1 < len(text) and text[at + 1].isdigit()
    )
    return digit_before and digit_after


#: An elision ('…') may leave out at most this many characters of the article, and no
#: word that turns a statement around: "does … involve" must not drop a "not".
MAX_ELIDED = 300
_NEGATION = re.compile(
    r"(?<!\w)(?:not|no|never|none|nor|neither|without|cannot|nothing|nobody)(?!\w)|n't",
    re.IGNORECASE,
)


def _align(text: str, fragments: list[str]) -> tuple[int | None, str | None]:
    """Find the quote's parts in order: (None, None) when they are there with nothing
    left out that may not be; else the index of the first part not found after the ones
    before it, or what an elision would leave out (a negation, or too long a span)."""
    objection: str | None = None
    placed: dict[tuple[int, int], int | None] = {}  # a hostile '… the … the …' stays linear

    def place(index: int, start: int, first: bool) -> int | None:
        if (index, start) not in placed:
            placed[index, start] = try_place(index, start, first)
        return placed[index, start]

    def try_place(index: int, start: int, first: bool) -> int | None:
        """Where part ``index`` can stand at or after ``start`` with the rest after it;
        the first part may stand anywhere, the others just after an allowed elision."""
        nonlocal objection
        found = find_words(text, fragments[index], start)
        while found >= 0:
            elided = text[start:found]
            if not first and (reason := _elision_objection(elided)) is not None:
                objection = objection or reason
                if len(elided) > MAX_ELIDED:
                    return None  # later places leave out more still
            elif index + 1 == len(fragments) or (
                place(index + 1, found + len(fragments[index]), False) is not None
            ):
                return found
            found = find_words(text, fragments[index], found + 1)
        return None

    if place(0, 0, True) is not None:
        return None, None
    if objection is not None:
        return None, objection
    position, index = 0, 0
    for index, fragment in enumerate(fragments):
        found = find_words(text, fragment, position)
        if found < 0:
            return index, None
        position = found + len(fragment)
    return index, None  # pragma: no cover  (every part found in order: placed above)


def _elision_objection(elided: str) -> str | None:
    if len(elided) > MAX_ELIDED:
        return f"{len(elided):,} characters (at most {MAX_ELIDED} may be left out)"
    if (negation := _NEGATION.search(elided)) is not None:
        return f"{negation.group()!r}"
    return None


def _fragments(quote: str) -> list[str]:
    """A quote with '…' elisions is checked as its parts, in order."""
    parts = [fold_text(p) for p in _ELLIPSIS.split(quote)]
    return [p for p in parts if p] or [fold_text(quote)]


#: The most parts ('…' elisions plus one) a quote may have: an analyst's quote has a few.
MAX_QUOTE_PARTS = 20


def _check_content(quote: str, fragments: list[str], location: Location) -> None:
    if len(fragments) > MAX_QUOTE_PARTS:
        raise SourceError(
            f"quote has {len(fragments):,} parts between '\u2026'; at most "
            f"{MAX_QUOTE_PARTS} are checked: quote the article's words in fewer parts",
            location=location,
        )
    words = _WORD.findall(" ".join(fragments))
    lettered = any(not w.isdigit() for w in words)
    if len(words) < MIN_QUOTE_WORDS or not lettered or not all(map(_WORD.search, fragments)):
        raise SourceError(
            f"quote {quote!r} is too short to verify: a quote needs at least "
            f"{MIN_QUOTE_WORDS} words, one of them not a number, and each part between "
            "'\u2026' a word; copy the article's words around the figure",
            location=location,
        )


def check_quoted_value(
    quote: str, value: pint.Quantity, span: tuple[pint.Quantity, pint.Quantity] | None = None
) -> None:
    """Raise SourceError unless ``quote`` states ``value``: one of the figures calc's
    extractor finds in it has the value's dimension and equals it (in any unit), or,
    for a quoted range ("$1 billion to $5 billion"), holds it. Figures of other
    dimensions are passed over ("$1.4 trillion to develop 30 gigawatts" states 30 GW).
    A vague amount ("hundreds of thousands of GPUs") states its range. A quote with no
    figure supports only zero ("no financial commitment"). ``span``,
    for an input given by a range alone, accepts a figure inside the range.
    """
    from calc.articles.figures import extract
    from calc.articles.vague import vague_figures

    figures = extract(quote) or vague_figures(quote)
    if not figures:
        if value.magnitude == 0:
            return
        raise SourceError(
            f"the quote states no figure, so it cannot support the value "
            f"{format_quantity(value)}; quote the article's words that state it"
        )
    if any(_agrees(figure, value, span) for figure in figures):
        return
    stated = ", ".join(repr(f.text) for f in figures)
    raise SourceError(
        f"the value {format_quantity(value)} is not what the quote states ({stated}); give "
        "the value as the article states it, or quote the words that state this one"
    )


def _agrees(
    figure: Figure, value: pint.Quantity, span: tuple[pint.Quantity, pint.Quantity] | None
) -> bool:
    """Whether ``figure`` states ``value`` (or lies in ``span``); False across dimensions."""
    unit = _unit_of(figure, value)
    if unit is None:
        return False
    low, high = (figure.low, figure.high) if figure.low is not None else (figure.value,) * 2
    assert low is not None and high is not None
    points = [float(value.to(unit).magnitude)]
    if span is not None:
        points += [float(q.to(unit).magnitude) for q in span]
    if _inside(points[0], low, high):
        return True
    return span is not None and _inside(figure.value, *sorted(points[1:]))


def _unit_of(figure: Figure, value: pint.Quantity) -> pint.Unit | None:
    """The figure's unit, where it has the value's dimension; None otherwise. A count
    noun calc does not know ("three major efforts") compares with a count or a number."""
    if figure.new_units:  # whether or not a scenario has defined them on the registry
        with contextlib.suppress(pint.errors.PintError, ValueError):
            defined = ureg.Unit(figure.unit)  # a rate per one ('1 GW per facility')
            if "/" in figure.unit and defined.dimensionality == value.dimensionality:
                return defined
        units = dict(value.unit_items())
        plain = not units or (len(units) == 1 and next(iter(units)) in COUNT_UNITS)
        return value.units if plain else None
    unit = ureg.Unit(figure.unit)
    return unit if unit.dimensionality == value.dimensionality else None


def _inside(point: float, low: float, high: float) -> bool:
    """low <= point <= high, allowing for the rounding of unit conversion."""
    return (
        low <= point <= high
        or math.isclose(point, low, rel_tol=1e-9, abs_tol=1e-12)
        or math.isclose(point, high, rel_tol=1e-9, abs_tol=1e-12)
    )
