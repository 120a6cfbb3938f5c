"""The checks an audit makes: an article's figures paired by relation templates.

An audit reads each article's figures (``calc extract``), pairs them by the relation
templates of ``calc/data/relations.yaml`` and by a few checks of the article against
itself (a figure restated, a deal valued against "no financial commitment"), and
writes what it found as an ordinary scenario: stated inputs with their quotes, library
references, derived quantities and claims. That scenario is loaded and checked by the
same code as ``calc check``, so the verdicts are calc's, and ``--write`` keeps a file
that ``calc check`` judges the same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from calc.articles.figures import Figure, extract
from calc.articles.layout import Layout, layout
from calc.errors import CalcError
from calc.io.relations import Template, load_relations

#: Tolerance for a figure the article restates ("2,000 watts (2 kW)", "$500 billion"
#: twice): two statements of one figure are rounded differently, rarely by more than 5%.
RESTATED_TOLERANCE = "5%"
#: Two figures of one unit closer than this ratio, in different sentences, are taken as
#: one figure stated twice; further apart they are different figures.
RESTATED_RATIO = 1.25
#: Figures this many characters apart, across a paragraph break, may still pair when
#: neither has a partner in its own paragraph (a one-line paragraph says "That's ...").
NEARBY = 400
#: At most this many checks of one template from one figure (the nearest pairings).
MAX_PAIRINGS = 2

_COMMITMENT_NONE = re.compile(
    r"(?i)\b(?:no|not|without|isn[\u2019']t|doesn[\u2019']t|does\s+not|is\s+not)\b"
    r"[^.;]{0,60}?\b(?:financial|purchase|spending)\s+(?:commitments?|obligations?)"
    r"(?:\s+or\s+(?:a\s+)?(?:financial|purchase)\s+(?:commitments?|obligations?))?"
)
_DEAL_VALUE = re.compile(
    r"(?i)\b(?:deal|agreement|partnership|contract)\b[^.;]{0,40}\b(?:valued|worth)\b"
)


@dataclass(frozen=True)
class Article:
    """One article of an audit: its path, text, figures and layout."""

    path: Path
    text: str
    figures: tuple[Figure, ...]
    layout: Layout
    quantities: Mapping[int, Any] = field(default_factory=dict)  # offset -> Quantity

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
    references: tuple[Any, ...] = ()
    scenario_names: tuple[str, ...] = ()  # the names the check uses in its scenario
    published: str | None = None  # a figure the words state, such as 'doubled': 2

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
        figures = tuple(_with_commitments(text, extract(text)))
        quantities = {}
        for figure in figures:
            with contextlib.suppress(CalcError):
                quantities[figure.offset] = figure.quantity
        articles.append(Article(path, text, figures, layout(text), quantities))
    return articles


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


# --- pairing ------------------------------------------------------------------------


def plan(articles: Sequence[Article]) -> list[Check]:
    """Every check the templates and the self-checks find in ``articles``."""
    checks: list[Check] = []
    for index, article in enumerate(articles):
        for name, template in load_relations().items():
            checks += _template_checks(name, template, index, article)
        checks += _restated(index, article)
        checks += _multiples(index, article)
        checks += _commitments(index, article)
    checks += _commitments_across(articles)
    _name(checks)
    return checks


def _fits(template: Template, role: str, article: Article, figure: Figure) -> bool:

    spec = template.roles[role]
    quantity = article.quantity(figure)
    if quantity is None or figure.noun == "commitment":
        return False
    like = str(spec.like)
    if like == "1":  # a count of anything: dimensionless or a count unit of its own
        if quantity.dimensionless:
            ok = True
        else:
            dims = dict(quantity.dimensionality)
            ok = len(dims) == 1 and next(iter(dims.values())) == 1 and _is_count(quantity)
    else:
        ok = quantity.dimensionality == _dimension_of(like)
        if ok and like == "percent":
            ok = str(figure.unit) == "percent"
    if ok and spec.after is not None:
        ok = (
            re.search(spec.after, article.text[max(0, figure.offset - 80) : figure.offset])
            is not None
        )
    if ok and spec.not_followed_by is not None:
        after = article.text[figure.end : figure.end + 80]
        ok = re.match(spec.not_followed_by, after) is None
    if ok and spec.followed_by is not None:
        ok = re.match(spec.followed_by, article.text[figure.end : figure.end + 80]) is not None
    if ok and spec.not_after is not None:
        before = article.text[max(0, figure.offset - 40) : figure.offset]
        ok = re.search(spec.not_after + r"[^.;:]*$", before) is None
    if ok and spec.words is not None:
        ok = re.search(spec.words, article.sentence_of(figure)) is not None
        if ok and like == "1":
            ok = re.search(spec.words, figure.text + " " + _after(article, figure)) is not None
    return ok


@cache
def _dimension_of(unit: str) -> Any:
    from calc.units.registry import ureg

    return ureg.parse_units(unit).dimensionality


def _after(article: Article, figure: Figure) -> str:
    return article.text[figure.end : figure.end + 30]


#: pint's own base dimensions; any other is a count unit's ("[home]", "[dam_count]").
_PHYSICAL = frozenset(
    [
        "[length]",
        "[mass]",
        "[time]",
        "[current]",
        "[temperature]",
        "[substance]",
        "[luminosity]",
        "[currency]",
        "[information]",
        "[printing_unit]",
    ]
)


def _is_count(quantity: Any) -> bool:
    return next(iter(quantity.dimensionality)) not in _PHYSICAL


def _template_checks(name: str, template: Template, index: int, article: Article) -> list[Check]:
    roles = list(template.roles)
    fits = {r: [f for f in article.figures if _fits(template, r, article, f)] for r in roles}
    if any(not fits[r] for r in roles):
        return []
    anchor, *others = roles
    if not others:
        return [_check(name, template, index, {anchor: f}, article) for f in fits[anchor]]
    (other,) = others  # templates pair two figures at most
    near = partial(_nearest, article, scope=template.scope)
    checks = []
    for figure in fits[anchor]:
        partners = [
            p
            for p in near(figure, [f for f in fits[other] if f is not figure])
            if any(a is figure for a in near(p, [f for f in fits[anchor] if f is not p]))
            and _same_subject(article, figure, p)
        ]
        for partner in partners:
            check = _check(name, template, index, {anchor: figure, other: partner}, article)
            check.note = _pairing_note(article, figure, partner, partners)
            checks.append(check)
    return _distinct_pairs(checks)


def _pairing_note(
    article: Article, figure: Figure, partner: Figure, partners: list[Figure]
) -> str | None:
    """Say how the figures were paired when it is not plain: one of two pairings, or
    figures read together from different sentences."""
    notes = []
    if len(partners) > 1:
        written = " and ".join(repr(p.text) for p in partners)
        notes.append(f"{figure.text!r} could pair with {written}: each pairing is checked.")
    if article.layout.sentence(figure.offset) != article.layout.sentence(partner.offset):
        notes.append(
            f"{figure.text!r} and {partner.text!r} are in different sentences, read as one "
            "project's figures: check that they are."
        )
    return " ".join(notes) or None


def _same_subject(article: Article, a: Figure, b: Figure) -> bool:
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
    names_a = _names(article.sentence_of(a)) - _names(a.text)
    names_b = _names(article.sentence_of(b)) - _names(b.text)
    return not (names_a and names_b) or bool(names_a & names_b)


#: A sentence that begins by pointing back ("That's roughly ...") speaks of the last one.
_ANAPHORA = re.compile(
    r"[\s\"'\u201c\u2018]*(?:That|This|It|These|Those|Such|Which|The same|The (?:deal|"
    r"project|campus|site|facility|plan|company|cluster|investment|data cent(?:er|re)))\b"
)


def _nearest(
    article: Article, figure: Figure, candidates: list[Figure], *, scope: str = "paragraph"
) -> list[Figure]:
    """The candidates in the figure's sentence, else in its paragraph (unless ``scope``
    is the sentence); at most MAX_PAIRINGS, nearest first, one per distinct value.
    A pairing is kept when each figure is among the other's nearest."""
    lay = article.layout

    def nearby(offset: int) -> int:
        """One scope: within NEARBY characters, in the next or last paragraph, when
        one of the two paragraphs is a single sentence ("That's as much as ...")."""
        here, there = lay.paragraph(figure.offset), lay.paragraph(offset)
        close = abs(offset - figure.offset) <= NEARBY and abs(here - there) <= 1
        return (
            0
            if close and (lay.one_sentence(here) or lay.one_sentence(there))
            else 1 + (offset > figure.offset)
        )

    scopes = (lay.sentence,) if scope == "sentence" else (lay.sentence, lay.paragraph, nearby)
    for scope_of in scopes:
        here = [c for c in candidates if scope_of(c.offset) == scope_of(figure.offset)]
        if here:
            here.sort(key=lambda c: abs(c.offset - figure.offset))
            distinct: list[Figure] = []
            for c in here:
                if not any(_same_figure(c, d) for d in distinct):
                    distinct.append(c)
            return distinct[:MAX_PAIRINGS]
    return []


def _same_figure(a: Figure, b: Figure) -> bool:
    return a.unit == b.unit and a.value == b.value and a.low == b.low and a.high == b.high


def _distinct_pairs(checks: list[Check]) -> list[Check]:
    """One check per pair of distinct values: a figure repeated later in the article,
    paired again with the same partner, adds nothing."""
    seen: set[tuple[tuple[str, float, str], ...]] = set()
    kept = []
    for check in checks:
        key = tuple(sorted((r, m.figure.value, m.figure.unit) for r, m in check.roles.items()))
        if key not in seen:
            seen.add(key)
            kept.append(check)
    return kept


def _check(
    name: str, template: Template, index: int, figures: Mapping[str, Figure], article: Article
) -> Check:
    roles = {role: Mention(index, figure) for role, figure in figures.items()}
    claimed_role = _role_of(template.claimed)
    bound = None
    if claimed_role is not None:
        bound = _bound(figures[claimed_role].qualifier)
    basis = {}
    for role, axes in template.basis.items():
        if role in figures:
            sentence = article.sentence_of(figures[role])
            for tag, pattern in axes.items():
                if re.search(pattern, sentence):
                    basis[role] = tag
                    break
    return Check(
        id=name,
        kind=template.kind or name,
        title=template.title,
        text=template.text.format(**{r: f.text for r, f in figures.items()}),
        roles=roles,
        template=template,
        tolerance=template.tolerance,
        why=template.why,
        claim_kind=template.claim_kind,
        bound=bound,
        basis=basis,
    )


def _role_of(formula: str) -> str | None:
    match = re.fullmatch(r"\{(\w+)\}", formula.strip())
    return match.group(1) if match else None


def _bound(qualifier: str | None) -> str | None:
    from calc.domain.model import BOUND_WORDS

    if not qualifier:
        return None
    found = BOUND_WORDS.get(qualifier.lower().strip())
    return None if found in (None, "about") else found


def _restated(index: int, article: Article) -> list[Check]:
    """A figure restated: in parentheses or after 'or' right after it ("2,000 watts
    (2kW)"), or again in another sentence at nearly the same value. One check per pair
    of values; each figure's quantity is read once."""
    quantities = article.quantities
    figures = [f for f in article.figures if f.noun != "commitment" and f.offset in quantities]
    checks = []
    seen: set[tuple[object, ...]] = set()
    for i, first in enumerate(figures):
        a = quantities[first.offset]
        for second in figures[i + 1 :]:
            b = quantities[second.offset]
            key = (first.value, first.unit, first.low, second.value, second.unit, second.low)
            if key not in seen and _restates(article, first, a, second, b):
                seen.add(key)
                checks.append(_restatement(index, first, second))
                break
    return checks


def _restates(article: Article, first: Figure, a: Any, second: Figure, b: Any) -> bool:
    if a.dimensionality != b.dimensionality or a.magnitude == 0 or b.magnitude == 0:
        return False
    between = article.text[first.end : second.offset]
    if re.fullmatch(
        r"\s*[(\[]\s*(?:[\u2248~]|about|approx(?:imately|\.)?|or|i\.e\.,?)?\s*", between
    ):
        return True
    if a.units != b.units or not _worth_restating(a):
        return False
    ratio = float(b.magnitude / a.magnitude)
    lay = article.layout
    # across paragraphs, figures that differ are more likely two things than one figure
    # stated twice, differently: there only equal figures (within 5%) are restatements
    window = RESTATED_RATIO if lay.paragraph(first.offset) == lay.paragraph(second.offset) else 1.05
    return (
        lay.sentence(first.offset) != lay.sentence(second.offset)
        and 1 / window <= ratio <= window
        and bool(first.noun) == bool(second.noun)
        and _same_subject(article, first, second)
    )


def _worth_restating(quantity: Any) -> bool:
    """Money, power, energy and counts of homes, GPUs and racks: figures an article
    restates on purpose. Durations and counts of other things repeat by chance."""
    kinds = ("USD", "W", "J", "home", "gpu", "rack", "percent")
    return any(quantity.dimensionality == _dimension_of(k) for k in kinds)


def _restatement(index: int, first: Figure, second: Figure) -> Check:
    return Check(
        id="stated-twice",
        kind="stated-twice",
        title="a figure stated twice",
        text=f"{second.text!r} restates {first.text!r}",
        roles={"first": Mention(index, first), "second": Mention(index, second)},
        claimed="{second}",
        implied="{first}",
        tolerance=RESTATED_TOLERANCE,
        why="two statements of one figure are rounded differently, rarely by more than 5%",
        bound=_bound(second.qualifier),
    )


_MULTIPLES = {"doubl": 2, "tripl": 3, "quadrupl": 4}
_MULTIPLE = re.compile(
    r"(?i)\b(?:(?P<qualifier>more than|nearly|near|almost|over|about|roughly|at least)"
    r"[\s-]+)?(?P<first>doubl|tripl|quadrupl)(?:e|ed|es|ing)\b"
    r"(?:\s+or\s+(?P<second>tripl|quadrupl)(?:e|ed|es|ing)\b)?"
)
#: A multiple in words ('doubled') is a round number: it allows this much.
MULTIPLE_TOLERANCE = "10%"


def _multiples(index: int, article: Article) -> list[Check]:
    """A change stated as a multiple ("doubled to over 200,000", "from 200 TWh to 500
    TWh, more than doubling"): the later figure over the earlier one against the words.
    The two figures are the nearest pair of one unit around the words, in their
    sentence, else within NEARBY characters."""
    checks = []
    for match in _MULTIPLE.finditer(article.text):
        pair = _pair_around(article, match.start())
        if pair is None:
            continue
        earlier, later = pair
        low = _MULTIPLES[match["first"].lower()]
        check = Check(
            id="stated-multiple",
            kind="stated-twice",
            title="a change stated as a multiple",
            text=f"{later.text!r} is {match.group()!r} {earlier.text!r}",
            roles={"earlier": Mention(index, earlier), "later": Mention(index, later)},
            claimed="",
            published=str(low),
            implied="{later} / {earlier}",
            tolerance=MULTIPLE_TOLERANCE,
            why="a multiple in words is a round number",
            bound=_bound(match["qualifier"]) if match["qualifier"] else None,
        )
        if match["second"]:  # "double or triple": at least the first
            check.bound = "at_least"
            check.note = f"{match.group()!r} is checked as at least {low}x"
        checks.append(check)
    return checks


def _pair_around(article: Article, at: int) -> tuple[Figure, Figure] | None:
    """The nearest two figures of one unit worth restating, in the sentence of ``at``
    (else within NEARBY characters), in text order."""
    lay = article.layout
    near = [
        f
        for f in article.figures
        if f.noun != "commitment"
        and (q := article.quantity(f)) is not None
        and q.magnitude > 0
        and _worth_restating(q)
        and (lay.sentence(f.offset) == lay.sentence(at) or abs(f.offset - at) <= NEARBY)
    ]
    near.sort(key=lambda f: abs(f.offset - at))
    for i, first in enumerate(near):
        for second in near[i + 1 :]:
            a, b = article.quantity(first), article.quantity(second)
            if a.units == b.units and a.magnitude != b.magnitude:
                return (first, second) if first.offset < second.offset else (second, first)
    return None


def _commitments(index: int, article: Article) -> list[Check]:
    """A deal's stated value against the same article's "no financial commitment"."""
    zeros = [f for f in article.figures if f.noun == "commitment"]
    deals = [f for f in article.figures if _is_deal_value(article, f)]
    return [
        _commitment_check(Mention(index, d), Mention(index, z)) for d in deals for z in zeros[:1]
    ]


def _commitments_across(articles: Sequence[Article]) -> list[Check]:
    """A deal valued in one article against "no financial commitment" in another about
    the same parties (both name at least two of the same organisations)."""
    checks = []
    for i, article in enumerate(articles):
        zeros = [f for f in article.figures if f.noun == "commitment"]
        if not zeros:
            continue
        for j, other in enumerate(articles):
            if j == i or len(_names(article.text) & _names(other.text)) < 2:
                continue
            for deal in (f for f in other.figures if _is_deal_value(other, f)):
                checks.append(_commitment_check(Mention(j, deal), Mention(i, zeros[0])))
    return checks


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]{2,}\b")
_COMMON = frozenset({"The", "This", "That", "These", "Those", "And", "But", "For", "With", "CEO"})


def _names(text: str) -> set[str]:
    return {m.group() for m in _NAME.finditer(text)} - _COMMON


def _is_deal_value(article: Article, figure: Figure) -> bool:
    if figure.noun == "commitment" or figure.unit != "USD" or figure.value <= 0:
        return False
    before = article.text[max(0, figure.offset - 60) : figure.offset]
    return _DEAL_VALUE.search(before) is not None


def _commitment_check(deal: Mention, zero: Mention) -> Check:
    return Check(
        id="deal-value-vs-commitment",
        kind="money-money",
        title="a deal's value against no financial commitment",
        text=f"a deal valued at {deal.figure.text} against {zero.figure.text!r}",
        roles={"deal": deal, "commitment": zero},
        claimed="{deal}",
        implied="{commitment}",
        tolerance="10%",
        why="a deal's value and the money it commits should agree",
    )


def _name(checks: list[Check]) -> None:
    """Unique claim names, from the template names: power_homes, power_homes_2, ..."""
    used: dict[str, int] = {}
    for check in checks:
        base = check.id.replace("-", "_")
        used[base] = used.get(base, 0) + 1
        check.id = base if used[base] == 1 else f"{base}_{used[base]}"
