"""Checks of an article against itself: a figure stated twice (also as a rate and one
period's amount), a change stated as a multiple ("more than doubling") or as N times
another figure, a growth rate a year against its dated ends, a change in percent
against its ends, parts against their total, and a deal's value against "no financial
commitment" (also across articles about the same companies)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from calc.analysis.audit_model import (
    NEARBY,
    Article,
    Check,
    Mention,
    bound_of,
    names_in,
    same_subject,
    worth_restating,
    year_of,
)
from calc.articles.figures import Figure
from calc.io.relations import Role, Template

#: Tolerance for a figure the article restates ("2,000 watts (2 kW)", "$500 billion"
#: twice): two statements of one figure are rounded differently, rarely by more than 5%.
RESTATED_TOLERANCE = "5%"
#: Two figures of one unit closer than this ratio, in different sentences of a
#: paragraph, are taken as one figure stated twice; further apart, two figures.
RESTATED_RATIO = 1.25

_DEAL_VALUE = re.compile(
    r"(?i)\b(?:deal|agreement|partnership|contract)\b[^.;]{0,40}\b(?:valued|worth)\b"
)


def restated(index: int, article: Article) -> list[Check]:
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
                checks.append(_restatement(index, first, second, _per_period(a, b)))
                break
    return checks


#: A source's site pasted into the text after a figure, where a link was ("2 million
#: liters per day example.com (730 million liters a year)"): not words of the sentence.
_CITATION = re.compile(
    r"(?<=\s)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|int)\b"
)


def _per_period(a: Any, b: Any) -> tuple[str, str] | None:
    """When one figure is a rate and the other the amount of one of its periods ("560
    billion liters a year (half a trillion liters)"): which role is the rate, and the
    period; None otherwise."""
    for role, rate, amount in (("first", a, b), ("second", b, a)):
        for unit, power in rate.unit_items():
            if power == -1 and unit in _PERIODS:
                per = rate * rate._REGISTRY.Quantity(1, unit)
                if per.dimensionality == amount.dimensionality:
                    return role, unit
    return None


_PERIODS = ("year", "day", "month", "week", "hour")


def _beside(article: Article, first: Figure, second: Figure) -> bool:
    """The second figure restates the first right after it: in brackets, or after "or"
    in other units ("2 million liters a day, or 730 million liters a year"; "2 GW or 3
    GW" are two figures)."""
    between = _CITATION.sub(" ", article.text[first.end : second.offset])
    if _OR_RESTATED.fullmatch(between):
        return first.unit != second.unit
    return (
        re.fullmatch(
            r"\s*[(\[]\s*(?:[\u2248~]|about|approx(?:imately|\.)?|or|i\.e\.,?|over|"
            r"more than|nearly|almost|some)?\s*",
            between,
        )
        is not None
    )


_OR_RESTATED = re.compile(
    r",?\s+or\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+|approximately\s+)?"
)


def _restates(article: Article, first: Figure, a: Any, second: Figure, b: Any) -> bool:
    if a.magnitude == 0 or b.magnitude == 0:
        return False
    if a.dimensionality != b.dimensionality:
        return _per_period(a, b) is not None and _beside(article, first, second)
    if _beside(article, first, second):
        return True
    if a.units != b.units or not worth_restating(a):
        return False
    if (first.low is None) != (second.low is None):
        return False  # '20%' and '13% to 27%' in other sentences: a midpoint by chance
    ratio = float(b.magnitude / a.magnitude)
    lay = article.layout
    # across paragraphs, figures that differ are more likely two things than one figure
    # stated twice, differently: there only equal figures (within 5%) are restatements
    window = RESTATED_RATIO if lay.paragraph(first.offset) == lay.paragraph(second.offset) else 1.05
    return (
        lay.sentence(first.offset) != lay.sentence(second.offset)
        and 1 / window <= ratio <= window
        and bool(first.noun) == bool(second.noun)
        and same_subject(article, first, second)
    )


def _restatement(
    index: int, first: Figure, second: Figure, period: tuple[str, str] | None = None
) -> Check:
    claimed, implied, note, template = "{second}", "{first}", None, None
    if period is not None:  # a rate restated as one period's amount, or the reverse
        role, unit = period
        if role == "first":
            implied = "{first} * period"
        else:
            claimed = "{second} * period"
        note = f"A rate and the amount of one {unit}: the rate is multiplied by 1 {unit}."
        template = Template(
            title="a rate stated as one period's amount",
            roles={"first": Role(like=1), "second": Role(like=1)},
            constants={"period": f"1 {unit}"},
            claimed=claimed,
            implied=implied,
            text="",
        )
    return Check(
        template=template,
        id="stated-twice",
        kind="stated-twice",
        title="a figure stated twice",
        text=f"{second.text!r} restates {first.text!r}",
        roles={"first": Mention(index, first), "second": Mention(index, second)},
        claimed=claimed,
        implied=implied,
        tolerance=RESTATED_TOLERANCE,
        why="two statements of one figure are rounded differently, rarely by more than 5%",
        bound=bound_of(second.qualifier),
        note=note,
    )


_MULTIPLES = {"doubl": 2, "tripl": 3, "quadrupl": 4}
_MULTIPLE = re.compile(
    r"(?i)\b(?:(?P<qualifier>more than|nearly|near|almost|over|about|roughly|at least)"
    r"[\s-]+)?(?P<first>doubl|tripl|quadrupl)(?:e|ed|es|ing)\b"
    r"(?:\s+or\s+(?P<second>tripl|quadrupl)(?:e|ed|es|ing)\b)?"
)
#: A multiple in words ('doubled') is a round number: it allows this much.
MULTIPLE_TOLERANCE = "10%"


def multiples(index: int, article: Article) -> list[Check]:
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
        check = _multiple_check(
            index,
            "stated-multiple",
            "a change stated as a multiple",
            f"{later.text!r} is {match.group()!r} {earlier.text!r}",
            {"earlier": earlier, "later": later},
            "{later} / {earlier}",
            str(low),
            bound_of(match["qualifier"]) if match["qualifier"] else None,
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
        and worth_restating(q)
        and (lay.sentence(f.offset) == lay.sentence(at) or abs(f.offset - at) <= NEARBY)
    ]
    near.sort(key=lambda f: abs(f.offset - at))
    for i, first in enumerate(near):
        for second in near[i + 1 :]:
            if first.unit == second.unit and first.value != second.value:
                return (first, second) if first.offset < second.offset else (second, first)
    return None


def commitments(index: int, article: Article) -> list[Check]:
    """A deal's stated value against the same article's "no financial commitment"."""
    zeros = [f for f in article.figures if f.noun == "commitment"]
    deals = [f for f in article.figures if _is_deal_value(article, f)]
    return [
        _commitment_check(Mention(index, d), Mention(index, z)) for d in deals for z in zeros[:1]
    ]


def commitments_across(articles: Sequence[Article]) -> list[Check]:
    """A deal valued in one article against "no financial commitment" in another about
    the same parties (both name at least two of the same organisations)."""
    checks = []
    for i, article in enumerate(articles):
        zeros = [f for f in article.figures if f.noun == "commitment"]
        if not zeros:
            continue
        for j, other in enumerate(articles):
            if j == i or len(names_in(article.text) & names_in(other.text)) < 2:
                continue
            for deal in (f for f in other.figures if _is_deal_value(other, f)):
                checks.append(_commitment_check(Mention(j, deal), Mention(i, zeros[0])))
    return checks


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


#: A percentage over a span of years: "7% from 2014 to 2018", "18% between 2018 and 2023".
_SPAN = re.compile(
    r"\s*(?:a\s+year\s+|annually\s+|per\s+year\s+)?(?:from|between)\s+((?:19|20)\d\d)\s+"
    r"(?:to|and|through|-|\u2013)\s*((?:19|20)\d\d)\b"
)
#: Words that make such a percentage a growth rate a year.
_GROWTH_WORDS = re.compile(
    r"(?i)\b(?:compound\s+annual|CAGR|annual(?:ly)?|a\s+year|per\s+year|yearly|each\s+year)\b"
)
#: A growth rate a year is rounded to a whole percent, and rounding its ends moves it.
GROWTH_TOLERANCE = "20%"


def growth_rates(index: int, article: Article) -> list[Check]:
    """A yearly growth rate over a span of years ("a compound annual growth rate of 7%
    from 2014 to 2018") against the article's figures for the two years: (end / start)
    ** (1 / years) - 1. The figures are the nearest of one dimension dated those years."""
    checks = []
    for rate in article.figures:
        if rate.unit != "percent" or rate.value <= 0:
            continue
        span = _SPAN.match(article.text, rate.end)
        if span is None or not _GROWTH_WORDS.search(article.sentence_of(rate)):
            continue
        first, last = int(span[1]), int(span[2])
        if last <= first:
            continue
        ends = _dated_ends(article, rate, first, last)
        if ends is None:
            continue
        start, end = ends
        years = last - first
        template = Template(
            title="a growth rate against its dated ends",
            roles={"rate": Role(like="percent"), "start": Role(like=1), "end": Role(like=1)},
            constants={"years": str(years)},
            claimed="{rate}",
            implied="({end} / {start}) ** (1 / years) - 1",
            text="",
        )
        checks.append(
            Check(
                id="growth-rate",
                kind="rate-time",
                title="a growth rate against its dated ends",
                text=f"{rate.text!r} a year from {first} to {last}: {start.text!r} to {end.text!r}",
                roles={
                    "rate": Mention(index, rate),
                    "start": Mention(index, start),
                    "end": Mention(index, end),
                },
                template=template,
                claimed="{rate}",
                implied="({end} / {start}) ** (1 / years) - 1",
                tolerance=GROWTH_TOLERANCE,
                why="a growth rate a year is rounded to a whole percent, and rounding its "
                "ends moves it",
                bound=bound_of(rate.qualifier),
                note=f"{start.text!r} is read as {first}'s figure and {end.text!r} as "
                f"{last}'s: check that they are.",
            )
        )
    return checks


def _dated_ends(
    article: Article, rate: Figure, first: int, last: int
) -> tuple[Figure, Figure] | None:
    dated: dict[int, list[Figure]] = {first: [], last: []}
    for figure in article.figures:
        quantity = article.quantity(figure)
        if (
            figure is rate
            or figure.unit == "percent"
            or quantity is None
            or quantity.magnitude <= 0
            or not worth_restating(quantity)
        ):
            continue
        year = year_of(article, figure)
        if year in dated:
            dated[year].append(figure)
    for start in sorted(dated[first], key=lambda f: abs(f.offset - rate.offset)):
        a = article.quantity(start)
        for end in sorted(dated[last], key=lambda f: abs(f.offset - rate.offset)):
            if article.quantity(end).dimensionality == a.dimensionality:
                return start, end
    return None


#: Words before a percentage that make it a change: "rose 20%", "an increase of 20%".
_CHANGE_BEFORE = re.compile(
    r"(?i)\b(?P<way>ris(?:e|es|ing)|rose|gr(?:ew|ow|ows|owing|owth)|increas(?:e|ed|es|ing)|"
    r"jump(?:ed|s)?|climb(?:ed|s)?|soar(?:ed|s)?|up|fell|fall(?:s|ing)?|drop(?:ped|s)?|"
    r"declin(?:e|ed|es|ing)|decreas(?:e|ed|es|ing)|down|cut)\b(?:\s+(?:by|of|some|about|"
    r"around|roughly|nearly|almost|more\s+than|over|an?|the|a\s+further))*\s*$"
)
_FALLING = re.compile(r"(?i)^(?:fell|fall|drop|declin|decreas|down|cut)")
_FROM = re.compile(r"(?i)\bfrom\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$")
_TO = re.compile(r"(?i)\bto\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+|over\s+)?$")
_RANGE_TO = re.compile(r"\s+to\s+")
#: A change in percent is rounded, and so are its ends.
CHANGE_TOLERANCE = "10%"


def percent_changes(index: int, article: Article) -> list[Check]:
    """A change in percent ("rose 25% from 400 TWh to 500 TWh", "fell 20% to $8 billion
    from $10 billion") against its two ends in the sentence: end / start - 1."""
    checks = []
    for change in article.figures:
        if change.unit != "percent" or change.value <= 0 or change.low is not None:
            continue
        clause = article.text[max(0, change.offset - 40) : change.offset]
        way = _CHANGE_BEFORE.search(clause)
        if way is None or _SPAN.match(article.text, change.end):
            continue
        ends = _from_to(article, change)
        if ends is None:
            continue
        start, end = ends
        falling = bool(_FALLING.match(way["way"]))
        implied = "1 - {end} / {start}" if falling else "{end} / {start} - 1"
        checks.append(
            Check(
                id="percent-change",
                kind="rate-time",
                title="a change in percent against its ends",
                text=f"{change.text!r} {'down' if falling else 'up'} from {start.text!r} to "
                f"{end.text!r}",
                roles={
                    "change": Mention(index, change),
                    "start": Mention(index, start),
                    "end": Mention(index, end),
                },
                claimed="{change}",
                implied=implied,
                tolerance=CHANGE_TOLERANCE,
                why="a change in percent is rounded, and so are its ends",
                bound=bound_of(change.qualifier),
            )
        )
    return checks


def _from_to(article: Article, change: Figure) -> tuple[Figure, Figure] | None:
    """The figures after 'from' and after 'to' in the change's sentence, of one unit."""
    lay = article.layout
    here = [
        f
        for f in article.figures
        if f is not change
        and f.unit != "percent"
        and f.low is None
        and lay.sentence(f.offset) == lay.sentence(change.offset)
        and (q := article.quantity(f)) is not None
        and q.magnitude > 0
    ]

    def before(f: Figure) -> str:
        return article.text[max(0, f.offset - 20) : f.offset]

    starts = [f for f in here if _FROM.search(before(f))]
    ends = [f for f in here if _TO.search(before(f))]
    for f in article.figures:  # "from 400 TWh to 500 TWh", read as a range
        if (
            f.low is not None
            and f.high is not None
            and lay.sentence(f.offset) == lay.sentence(change.offset)
            and _FROM.search(before(f))
            and (split := _RANGE_TO.search(f.text))
        ):
            first = replace(f, value=f.low, low=None, high=None, text=f.text[: split.start()])
            second = replace(
                f,
                value=f.high,
                low=None,
                high=None,
                text=f.text[split.end() :],
                offset=f.offset + split.end(),
            )
            return first, second
    for start in starts:
        for end in ends:
            if article.quantity(start).dimensionality == article.quantity(end).dimensionality:
                return start, end
    return None


#: What follows "N times" when it compares two figures: "five times the 1 GW", "four
#: times as much power as", "10 times larger than".
_TIMES_THAN = re.compile(
    r"(?i)\s+(?:the\b|that\s+of\b|what\b|as\s+(?:much|many|large|big|high)\b[^.;]{0,20}?\bas\b|"
    r"(?:more|larger|bigger|higher|greater)\s+than\b)"
)


def times_checks(index: int, article: Article) -> list[Check]:
    """A figure said to be N times another in its sentence ("5 GW, five times the 1 GW
    of the old site"): the first over the second against N."""
    lay = article.layout
    checks = []
    for times in article.figures:
        if times.unit != "dimensionless" or not times.text.lower().endswith("times"):
            continue
        compared = _TIMES_THAN.match(article.text, times.end)
        if compared is None:
            continue
        here = [
            f
            for f in article.figures
            if f is not times
            and lay.sentence(f.offset) == lay.sentence(times.offset)
            and (q := article.quantity(f)) is not None
            and q.magnitude > 0
            and worth_restating(q)
        ]
        before = [f for f in here if f.end <= times.offset]
        after = [f for f in here if f.offset >= compared.end()]
        pair = next(
            (
                (big, small)
                for big in reversed(before)
                for small in after
                if article.quantity(big).dimensionality == article.quantity(small).dimensionality
            ),
            None,
        )
        if pair is None:
            continue
        big, small = pair
        check = _multiple_check(
            index,
            "stated-times",
            "a figure said to be a multiple of another",
            f"{big.text!r} is {times.text!r} {small.text!r}",
            {"larger": big, "smaller": small},
            "{larger} / {smaller}",
            _plain_number(times.value),
            bound_of(times.qualifier),
        )
        if compared.group().rstrip().lower().endswith("than"):  # "3 times more than"
            check.bound = "at_least"
            check.note = (
                f"{times.text!r} {compared.group().strip()!r} is checked as at least "
                f"{times.text!r} as much: some writers mean one more"
            )
        checks.append(check)
    return checks


def _multiple_check(
    index: int,
    check_id: str,
    title: str,
    text: str,
    roles: dict[str, Figure],
    ratio: str,
    published: str,
    bound: str | None,
) -> Check:
    """A ratio of two of the article's figures (``ratio``, over ``roles``) against the
    multiple its words state: a round number, so MULTIPLE_TOLERANCE."""
    return Check(
        id=check_id,
        kind="stated-twice",
        title=title,
        text=text,
        roles={role: Mention(index, figure) for role, figure in roles.items()},
        claimed="",
        published=published,
        implied=ratio,
        tolerance=MULTIPLE_TOLERANCE,
        why="a multiple in words is a round number",
        bound=bound,
    )


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


#: Words that make a figure the total of others in its sentence.
_TOTAL_BEFORE = re.compile(
    r"(?i)\b(?:total(?:ing|ling|s)?|a\s+total\s+of|combined|altogether|in\s+all|sum\s+of|"
    r"adding\s+up\s+to|add\s+up\s+to)\s+(?:of\s+)?(?:about\s+|around\s+|roughly\s+|some\s+)?$"
)
_TOTAL_AFTER = re.compile(r"(?i)\s*(?:in\s+total|in\s+all|altogether|combined|total)\b")
#: Words that say the figures listed are some of the parts, not all.
_SOME_PARTS = re.compile(r"(?i)\b(?:includ\w*|such\s+as|among|of\s+which|at\s+least)\b")
#: The most parts a sentence lists.
MAX_PARTS = 5


def parts_totals(index: int, article: Article) -> list[Check]:
    """Parts listed with their total in one sentence ("$3 billion in Texas and $2
    billion in Ohio, $5 billion in all"): the sum of the parts against the total."""
    lay = article.layout
    checks = []
    for total in article.figures:
        quantity = article.quantity(total)
        if quantity is None or quantity.magnitude <= 0 or not worth_restating(quantity):
            continue
        before = article.text[max(0, total.offset - 30) : total.offset]
        if not (_TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(article.text, total.end)):
            continue
        sentence = article.sentence_of(total)
        if _SOME_PARTS.search(sentence):
            continue
        parts = [
            f
            for f in article.figures
            if f is not total
            and f.low is None
            and lay.sentence(f.offset) == lay.sentence(total.offset)
            and (q := article.quantity(f)) is not None
            and q.dimensionality == quantity.dimensionality
            and 0 < q.to(quantity.units).magnitude < quantity.magnitude
        ]
        if not 2 <= len(parts) <= MAX_PARTS:
            continue
        roles = {"total": Mention(index, total)}
        roles |= {f"part_{n}": Mention(index, f) for n, f in enumerate(parts, start=1)}
        written = " + ".join(repr(f.text) for f in parts)
        checks.append(
            Check(
                id="parts-total",
                kind="parts-total",
                title="parts against their total",
                text=f"{written} make {total.text!r}",
                roles=roles,
                claimed="{total}",
                implied=" + ".join(f"{{part_{n}}}" for n in range(1, len(parts) + 1)),
                tolerance=PARTS_TOLERANCE,
                why="an article's own figures should add up; 2% allows for their rounding",
                bound=bound_of(total.qualifier),
            )
        )
    return checks


#: An article's parts should add up to its total, but for rounding.
PARTS_TOLERANCE = "2%"
