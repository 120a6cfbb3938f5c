"""What an audit works on: articles with their figures, and the checks made of them.

``read`` gives each article its text, figures (``calc extract``, plus "no financial
commitment" read as 0 USD), layout and quantities; a ``Check`` is a pairing of figures
with the claim it makes, and an ``ArticleAudit`` one article's checks once judged. The
small readings every kind of check shares live here too: the bound a qualifier sets,
whether two sentences speak of one subject, what dimension a unit has.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from calc.articles.figures import Figure, Unread, extract_all
from calc.articles.layout import Layout, layout
from calc.errors import CalcError
from calc.io.relations import Template

#: Figures this many characters apart, across a paragraph break, may still pair when
#: neither has a partner in its own paragraph (a one-line paragraph says "That's ...").
NEARBY = 400

_COMMITMENT_NONE = re.compile(
    r"(?i)\b(?:no|not|without|isn[\u2019']t|doesn[\u2019']t|does\s+not|is\s+not)\b"
    r"[^.;]{0,60}?\b(?:financial|purchase|spending)\s+(?:commitments?|obligations?)"
    r"(?:\s+or\s+(?:a\s+)?(?:financial|purchase)\s+(?:commitments?|obligations?))?"
)


@dataclass(frozen=True)
class Article:
    """One article of an audit: its path, text, figures and layout."""

    path: Path
    text: str
    figures: tuple[Figure, ...]
    layout: Layout
    quantities: Mapping[int, Any] = field(default_factory=dict)  # offset -> Quantity
    unread: tuple[Unread, ...] = ()  # figures calc cannot read for sure ('1.5 B')

    def quantity(self, figure: Figure) -> Any:
        """The figure's quantity, read once; None when calc cannot hold it."""
        return self.quantities.get(figure.offset)

    def sentence_of(self, figure: Figure) -> str:
        start, end = self.layout.sentence_span(figure.offset, len(self.text))
        return self.text[start:end]


@dataclass(frozen=True)
class Mention:
    """A figure of one article, as an audit uses it."""

    article: int
    figure: Figure


@dataclass
class Check:
    """One check an audit makes: the figures it rests on, and what calc found."""

    id: str
    kind: str
    title: str
    text: str
    roles: dict[str, Mention]
    template: Template | None = None
    tolerance: str | None = None
    why: str | None = None
    note: str | None = None
    claimed: str = ""
    implied: str = ""
    claim_kind: str | None = None
    bound: str | None = None
    basis: dict[str, str] = field(default_factory=dict)
    # filled in when the scenario is checked
    verdict: Any = None
    eval_claimed: str = ""
    eval_implied: str = ""
    scenario_names: tuple[str, ...] = ()  # the names the check uses in its scenario
    published: str | None = None  # a figure the words state, such as 'doubled': 2
    years: dict[str, int] = field(default_factory=dict)  # role -> the year it is dated

    def reference_ids(self) -> dict[str, str]:
        """The template's references, each '{role:year}' read as the role's year."""
        if self.template is None:
            return {}
        return {
            key: dated_reference(ref_id, self.years)
            for key, ref_id in self.template.references.items()
        }

    @property
    def home(self) -> int:
        """The article whose scenario holds the check: that of its first figure."""
        return next(iter(self.roles.values())).article


@dataclass
class ArticleAudit:
    """What an audit found in one article."""

    article: Article
    checks: list[Check]
    index: int = 0
    scenario_text: str = ""
    set_aside: list[tuple[Check, str]] = field(default_factory=list)

    @property
    def not_checked(self) -> list[Figure]:
        used = {
            m.figure.offset
            for c in self.checks
            for m in c.roles.values()
            if m.article == self.index
        }
        return [f for f in self.article.figures if f.offset not in used]


# --- reading ------------------------------------------------------------------------


def read(paths: Sequence[Path]) -> list[Article]:
    """Each article's text, figures and layout; SourceError for an unreadable one."""
    from calc.io.catalogue import read_article

    articles = []
    for path in paths:
        text = read_article(path)
        read_figures, unread = extract_all(text)
        found = _units_named(text, read_figures)
        figures = tuple(_with_commitments(text, _with_vague(text, found)))
        quantities = {}
        for figure in figures:
            with contextlib.suppress(CalcError):
                quantities[figure.offset] = figure.quantity
        articles.append(Article(path, text, figures, layout(text), quantities, tuple(unread)))
    return articles


#: The count unit of "units", a word that counts whatever was named before it.
ANY_UNITS = "unit_count"
#: What "units" may stand for: the counts the checks pair.
_NAMED_COUNTS = ("gpu", "rack", "home")


def _units_named(text: str, figures: list[Figure]) -> list[Figure]:
    """The figures, with a count of "units" ("doubled to over 200,000 units") read in the
    unit of the count its sentence named just before it (GPUs)."""
    lay = layout(text)
    out: list[Figure] = []
    for figure in figures:
        if figure.unit == ANY_UNITS:
            named = [
                f
                for f in out
                if f.unit in _NAMED_COUNTS and lay.sentence(f.offset) == lay.sentence(figure.offset)
            ]
            if named:
                figure = replace(figure, unit=named[-1].unit)
        out.append(figure)
    return out


def _with_vague(text: str, figures: list[Figure]) -> list[Figure]:
    """The figures, with the vague amounts ("hundreds of thousands of GPUs") no figure
    overlaps, read as ranges."""
    from calc.articles.vague import vague_figures

    taken = [(f.offset, f.end) for f in figures]
    vague = [
        v for v in vague_figures(text) if not any(a < v.end and v.offset < b for a, b in taken)
    ]
    return sorted([*figures, *vague], key=lambda f: f.offset)


def _with_commitments(text: str, figures: Iterable[Figure]) -> list[Figure]:
    """The figures, with "no financial commitment" read as a figure of 0 USD: the
    amount of money the words commit."""
    found = list(figures)
    for match in _COMMITMENT_NONE.finditer(text):
        found.append(
            Figure(
                value=0.0,
                unit="USD",
                text=match.group(),
                quote=match.group(),
                offset=match.start(),
                noun="commitment",
            )
        )
    return sorted(found, key=lambda f: f.offset)


# --- readings the checks share -----------------------------------------------------


@cache
def dimension_of(unit: str) -> Any:
    from calc.units.registry import ureg

    return ureg.parse_units(unit).dimensionality


def bound_of(qualifier: str | None) -> str | None:
    from calc.domain.model import BOUND_WORDS

    if not qualifier:
        return None
    found = BOUND_WORDS.get(qualifier.lower().strip())
    return None if found in (None, "about") else found


def worth_restating(quantity: Any) -> bool:
    """Money, power, energy, areas (a site's acres) and counts of homes, GPUs and racks:
    figures an article restates on purpose. Durations and counts of other things repeat
    by chance."""
    kinds = ("USD", "W", "J", "m**2", "home", "gpu", "rack", "percent")
    return any(quantity.dimensionality == dimension_of(k) for k in kinds)


def same_subject(article: Article, a: Figure, b: Figure) -> bool:
    """Figures in one paragraph pair; across paragraphs, not when each sentence names
    organisations or places and they share none ("Microsoft will spend $80 billion"
    and "xAI's Colossus 2 will need 1 gigawatt" are different projects), unless the
    later sentence points back ("That's ...")."""
    lay = article.layout
    if lay.paragraph(a.offset) == lay.paragraph(b.offset):
        return True
    later = a if a.offset > b.offset else b
    if _ANAPHORA.match(article.sentence_of(later)):
        return True
    names_a = names_in(article.sentence_of(a)) - names_in(a.text)
    names_b = names_in(article.sentence_of(b)) - names_in(b.text)
    return not (names_a and names_b) or bool(names_a & names_b)


#: A sentence that begins by pointing back ("That's roughly ...") speaks of the last one.
_ANAPHORA = re.compile(
    r"[\s\"'\u201c\u2018]*(?:That|This|It|These|Those|Such|Which|The same|The (?:deal|"
    r"project|campus|site|facility|plan|company|cluster|investment|data cent(?:er|re)))\b"
)


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]{2,}\b")
_COMMON = frozenset({"The", "This", "That", "These", "Those", "And", "But", "For", "With", "CEO"})


def names_in(text: str) -> set[str]:
    return {m.group() for m in _NAME.finditer(text)} - _COMMON


#: A figure's year: in its clause after it ("76 TWh in 2018") or before it ("By 2018, ...").
_YEAR_AFTER = re.compile(
    r"(?:U\.S\.|[^.;]){0,40}?\b(?:in|by|for|during|as\s+of|between)\s+((?:19|20)\d\d)\b"
)
_YEAR_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Bb]y|[Aa]s\s+of)\s+((?:19|20)\d\d),?\s+(?:U\.S\.|[^.;]){0,50}$"
)
_YEAR_OF_ROLE = re.compile(r"\{(\w+):year\}")


def year_of(article: Article, figure: Figure) -> int | None:
    """The year the words date a figure to, in its sentence; None when they date none."""
    after = _YEAR_AFTER.match(article.text, figure.end)
    if after:
        return int(after[1])
    start, _ = article.layout.sentence_span(figure.offset, len(article.text))
    before = _YEAR_BEFORE.search(article.text[start : figure.offset])
    return int(before[1]) if before else None


def dated_reference(ref_id: str, years: Mapping[str, int]) -> str:
    """A reference id with each '{role:year}' replaced by that role's year."""
    return _YEAR_OF_ROLE.sub(lambda m: str(years.get(m.group(1), m.group())), ref_id)
