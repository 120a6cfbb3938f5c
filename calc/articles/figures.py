"""The figures an article states: value, unit, quote and offset, found in its text.

``extract(text)`` reads prose and returns one ``Figure`` for each stated quantity; the
number, its scale word and currency are read by the one reader of article notation
(``calc.units.notation.reader.read_amount``), as scenario values and ``calc eval`` read
them, and the rate words and qualifiers of count nouns come from its vocabulary. Stated
quantities are: money ("$1.4 trillion",
"1.4 trillion dollars"), power and energy ("30 gigawatts", "10,791 kWh"), counts
with their nouns as units ("25 million U.S. homes" is 25e6 home, "2 million
chips" a count in gpu, "three major efforts" a count in a new unit ``effort``),
percentages, rates ("2,000 racks a week", "$46.7 billion per GW") and ranges
("$1 billion to $5 billion", "120-132 kW"). Dates, times, years, ordinals,
section numbers and model names ("GB200") are not figures.

>>> [(f.text, f.value, f.unit) for f in extract("It costs $5 billion for 2 GW.")]
[('$5 billion', 5000000000.0, 'USD'), ('2 GW', 2.0, 'gigawatt')]
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pint

import calc.units.notation.words as vocab
from calc.articles.prose import (
    STOPWORDS,
    clause_around,
    clause_breaks,
    is_plural,
    is_year,
    not_figures,
    singular,
    soften_newlines,
)
from calc.errors import UnitError
from calc.escape import terminal
from calc.units.counts import define_count_unit
from calc.units.display import format_quantity
from calc.units.notation.nouns import count_unit
from calc.units.notation.numbers import low_takes_scale
from calc.units.notation.reader import read_amount
from calc.units.notation.words import COUNT_NOUNS, COUNT_PHRASES
from calc.units.registry import BUILT_IN_COUNT_UNITS, COUNT_UNITS, Q_, ureg
from calc.units.symbols import unsure_reason

#: Longest text ``extract`` reads: a long report, not a book.
MAX_CHARS = 2_000_000


@dataclass(frozen=True)
class Figure:
    """A stated quantity: its value and unit, the words that state it, and where.

    ``value`` is in ``unit`` (a string calc's registry parses, with scale words
    folded in); for a range it is the midpoint of ``low`` and ``high``. ``text`` is
    the figure as written, ``quote`` the clause around it, ``offset`` the index of
    ``text`` in the article. ``new_units`` names the count units the figure needs
    that calc does not have yet ("three major efforts" needs ``effort``);
    ``quantity`` defines them on the registry on first use.
    """

    value: float
    unit: str
    text: str
    quote: str
    offset: int
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    noun: str | None = None
    new_units: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        """The index just past ``text`` in the article."""
        return self.offset + len(self.text)

    @property
    def quantity(self) -> pint.Quantity:
        """``value`` with its unit, as a pint Quantity of calc's registry."""
        self.define_units()
        return Q_(self.value, self.unit)

    def define_units(self) -> None:
        """Define the figure's new count units on calc's registry (harmless if done)."""
        for name in self.new_units:
            define_count_unit(name, plural_of(self) if self.unit.startswith(name) else None)

    def display(self) -> str:
        """The value at a readable scale: 'about 5 billion USD', '120 kW to 132 kW'."""
        if self.low is not None and self.high is not None:
            self.define_units()
            low, high = Q_(self.low, self.unit), Q_(self.high, self.unit)
            text = f"{format_quantity(low)} to {format_quantity(high)}"
        else:
            text = format_quantity(self.quantity)
        if not self.qualifier:
            return text
        return f"{self.qualifier}{' ' if self.qualifier[-1].isalpha() else ''}{text}"

    def as_dict(self) -> dict[str, Any]:
        """The figure as JSON-ready data (the record ``calc extract -f json`` prints)."""
        return {
            "value": _plain(self.value),
            "unit": self.unit,
            "display": self.display(),
            "text": self.text,
            "quote": self.quote,
            "offset": self.offset,
            "low": _plain(self.low),
            "high": _plain(self.high),
            "qualifier": self.qualifier,
            "noun": self.noun,
            "new_units": list(self.new_units),
        }


def plural_of(figure: Figure) -> str | None:
    """The plural to show a new count unit with, from the article's noun.

    'three major efforts' gives 'efforts', '1,200 data centers' 'data_centers'.
    """
    if not figure.noun:
        return None
    head = figure.noun.split()[-1]
    name, stem = figure.unit.split(" ")[0], singular(head).lower()
    if not is_plural(head) or not name.endswith(stem):
        return None
    plural = name[: len(name) - len(stem)] + head.lower()
    if not plural.isidentifier() or _pint_unit_any(plural) not in {None, name}:
        return None  # 'kilos' would read as kiloseconds
    return plural


def _plain(number: float | None) -> float | int | None:
    if number is None:
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


@dataclass(frozen=True)
class Unread:
    """A figure calc found but cannot read with certainty ('1.5 B': billion or byte?),
    with the readings it could have; it is left out of the figures, and said so."""

    offset: int
    text: str
    reason: str

    def describe(self) -> str:
        return f"{self.text!r} at character {self.offset}: {self.reason}"


def extract(text: str) -> list[Figure]:
    """Every stated figure in ``text``, in the order they appear.

    >>> f = extract("roughly equivalent to the electricity of 25 million U.S. homes")[0]
    >>> f.value, f.unit, f.noun, f.offset
    (25000000.0, 'home', 'U.S. homes', 41)
    """
    return extract_all(text)[0]


def extract_all(text: str) -> tuple[list[Figure], list[Unread]]:
    """The figures ``extract`` finds, and the ones it leaves out because calc cannot be
    sure how to read them (each with its readings).

    >>> figures, unread = extract_all("It spent 1.5 B on 3 tons of chips.")
    >>> [u.text for u in unread]
    ['1.5 B', '3 tons']
    >>> print(unread[0].describe())  # doctest: +ELLIPSIS
    '1.5 B' at character 9: 'B' after 1.5 could be 1.5 billion (write '1.5 billion'), ...
    """
    if len(text) > MAX_CHARS:
        from calc.errors import SourceError

        raise SourceError(
            f"the text is {len(text):,} characters long; calc extract reads at "
            f"most {MAX_CHARS:,}; split it into articles"
        )
    work = soften_newlines(text)
    masked, breaks = not_figures(work), clause_breaks(work)
    figures: list[Figure] = []
    unread: list[Unread] = []
    position = 0
    for candidate in _CANDIDATE.finditer(work):
        if candidate.start() < position or _inside(candidate.start("num"), masked):
            continue
        try:
            parsed = _figure_at(work, candidate.start())
        except UnitError as exc:  # a letter ('1.5 B') or unit ('3 tons') calc cannot be sure of
            unread.append(_unread(work, candidate.start(), exc))
            continue
        if parsed is None:
            continue
        figure = _finish(parsed, text, clause_around(work, parsed.start, parsed.end, breaks=breaks))
        figures.append(_compared(work, figure, figures[-1] if figures else None, parsed))
        position = parsed.end
    return figures, unread


def _unread(text: str, start: int, error: UnitError) -> Unread:
    """The figure as written, up to the end of the word the refusal names."""
    at = getattr(error, "offset", None)
    word = re.compile(r"\S+").match(text, at) if at is not None and at >= start else None
    end = word.end() if word else start + len(text[start:].split(maxsplit=1)[0])
    written = text[start:end].rstrip(".,;:)")
    return Unread(start, written, getattr(error, "reason", None) or error.message)


#: Words before a figure compared with the one before it: 'up from 2.64 million'.
_COMPARED = re.compile(
    r"\b(?:up|down)\s+from\s*$|\bcompared\s+(?:with|to)\s*$|\bversus\s*$|\bvs\.?\s*$"
)


def _compared(text: str, figure: Figure, before: Figure | None, parse: _Parse) -> Figure:
    """'shipped 3.76 million GPUs in 2023, up from 2.64 million in 2022': a scaled number
    compared with the figure just before it, in the same sentence, counts what it counts."""
    if before is None or figure.unit != "dimensionless" or parse.scale == 1:
        return figure
    compared = _COMPARED.search(text, max(0, figure.offset - 20), figure.offset)
    if figure.low is not None or compared is None:
        return figure
    between = text[before.end : figure.offset]
    if re.search(r"[.;!?]\s", between) or before.unit in {"dimensionless", "percent"}:
        return figure
    if before.low is not None:
        return figure
    return replace(figure, unit=before.unit, noun=before.noun, new_units=before.new_units)


def _inside(index: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``index`` falls in one of ``spans`` (sorted, not overlapping)."""
    at = bisect.bisect_right(spans, (index, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= index < spans[at][1]


# --- numbers ----------------------------------------------------------------------
#
# The number, its scale and its currency are read by the one reader of notation
# (calc.units.notation.reader.read_amount), as scenario values and calc eval read them;
# the patterns here only find where a figure may start in prose.

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # for [...] classes
_SPACE = "[ \t\u00a0\u202f]"


def _alternatives(choices: object) -> str:
    return "|".join(sorted((re.escape(str(word)) for word in choices), key=len, reverse=True))


_SIGNS = _alternatives([*vocab.CURRENCY_SIGNS, *vocab.CURRENCY_CODES])
_DIGITS = (
    rf"(?P<sign>[\-\u2212\u2013](?=(?:{_SIGNS})?\d))?"
    rf"(?P<cur>(?:{_SIGNS}){_SPACE}?)?"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?!\d|/\d)"
)
#: Number words that may begin a figure ('zero' and 'half' alone begin none), and the
#: words a leading 'a', 'an' or 'half a' must come before: 'a million', 'a fivefold'.
_FIRST_WORDS = _alternatives(set(vocab.SMALL) - {"zero"})
_AFTER_A = _alternatives(vocab.NUMBER_WORDS - set(vocab.SMALL))
_WORDS = (
    rf"(?P<word>(?i:(?:a|an|half{_SPACE}+an?)(?={_SPACE}+(?:{_AFTER_A})(?:-?fold)?\b)"
    rf"|(?:{_FIRST_WORDS})(?=\b|fold\b)))"
)
#: Where a figure may start: not inside a word, a decimal, a date or 'COVID-19'; an
#: em dash after a word is punctuation ('in question\u20144.5GW').
_CANDIDATE = re.compile(
    rf"(?:(?<![\w.,/:^{_DASHES}])|(?<=[^\W\d]\u2014)){_DIGITS}|(?<![\w{_DASHES}]){_WORDS}"
)
_RANGE_JOIN = re.compile(rf"{_SPACE}*(?:[{_DASHES}]|to\b|or\b|and\b|through\b){_SPACE}*")


@dataclass
class _Parse:
    """A figure while it is read: the parts found so far."""

    start: int
    end: int
    number: float
    digits: str = ""
    spelled: bool = False
    currency: str | None = None
    scale: float = 1.0
    unit: str | None = None
    physical: bool = False
    noun: str | None = None
    new_units: list[str] = field(default_factory=list)
    per: list[str] = field(default_factory=list)
    divisor: float = 1.0
    high: _Parse | None = None
    multiplier: bool = False

    @property
    def money(self) -> bool:
        """Whether the figure has a currency (then it takes no other unit)."""
        return self.currency is not None


def _number_at(
    text: str,
    start: int,
    *,
    second: bool = False,
    currency: str | None = None,
    refuse: bool = False,
) -> _Parse | None:
    """The number (with its sign, currency and scale) that begins exactly at ``start``,
    read by the one reader; None where it is no number, or a letter no rule decides
    (``refuse``: the reader's UnitError instead, naming the readings, for the caller to
    list as not read)."""
    if (_DIGITS_ONLY if second else _CANDIDATE).match(text, start) is None:
        return None
    try:
        amount = read_amount(text, start, counts=_counts, currency=currency)
    except UnitError:  # '5 M', '2 billion pounds', '1,5': what calc refuses is no figure
        if refuse:
            raise
        return None
    if amount is None and (word := _WORD_BEFORE_HYPHEN.match(text, start)):
        with contextlib.suppress(UnitError):
            amount = read_amount(text[: word.end()], start)  # 'an eight-building complex'
    if amount is None or (second and amount.spelled):
        return None
    end = amount.end
    if re.match(r"\+(?=[ \t\u00a0])", text[end : end + 2]) and not amount.spelled:
        end += 1  # '500+ terawatt-hours': the figure as written, its value the number
        plus = text[: amount.end] + " " + text[end : end + 80]  # '$100+ billion'
        try:
            scaled = read_amount(plus, start, counts=_counts, currency=currency)
        except UnitError:
            scaled = None
        if scaled is not None and scaled.scaled and scaled.scale != amount.scale:
            amount, end = scaled, scaled.end
    parse = _Parse(
        start,
        end,
        amount.value,
        digits="" if amount.spelled else amount.written,
        spelled=amount.spelled,
        currency=amount.currency,
        scale=amount.scale,
        multiplier=amount.multiplier,
    )
    if amount.multiplier:  # '5x', 'fivefold', 'six times'
        parse.unit, parse.physical = "dimensionless", True
    return parse


_DIGITS_ONLY = re.compile(_DIGITS)
_WORD_BEFORE_HYPHEN = re.compile(r"[A-Za-z]+(?=-[A-Za-z])")


def _counts(word: str) -> bool:
    """Whether extract counts in ``word``, so a scale letter before it is a scale: '25M
    homes', '200k H100s', '50K GPUs'."""
    if count_unit(word) is not None:
        return True
    return word.isalpha() and word.lower() not in STOPWORDS and is_plural(word)


def _figure_at(text: str, start: int) -> _Parse | None:
    """Read a whole figure at ``start``, or None when the number there is not one;
    UnitError when calc cannot be sure how to read it."""
    parse = _number_at(text, start, refuse=True)
    if parse is None:
        return None
    high = _range_end(text, parse)  # '120-132 kW', '$1-5 billion', '$1 billion to $5 billion'
    if high is None:
        _unit_at(text, parse)
        high = _range_end(text, parse)  # '30 GW to 40 GW'
    if high is None:
        _unit_of_change(text, parse)
        _rates_at(text, parse)
    else:
        _unit_at(text, high)
        _rates_at(text, high)
        if not _join_range(parse, high):
            return _figure_alone(text, start)
    return parse if _is_figure(text, parse) else None


def _figure_alone(text: str, start: int) -> _Parse | None:
    """The first number of a failed range, read on its own."""
    parse = _number_at(text, start)
    assert parse is not None
    _unit_at(text, parse)
    _rates_at(text, parse)
    return parse if _is_figure(text, parse) else None


def _is_figure(text: str, parse: _Parse) -> bool:
    """Reject what only looks like a figure: a year, a bare count, a model number."""
    if text[parse.end : parse.end + 1].isalnum():
        return False  # '5G', '4K', '3D': a name, not a quantity
    if parse.spelled and _NAMED.match(text, parse.start):
        return False  # 'Three Mile Island', 'Four Seasons': a proper name (#12)
    if (
        parse.spelled
        and _THE.search(text, max(0, parse.start - 5), parse.start)
        and "-" not in text[parse.start : parse.end]
    ):
        return False  # 'the two companies confirmed': counted before; not 'the eight-building
    if parse.multiplier:
        return True  # '5x', 'fivefold', 'six times'
    if parse.spelled and parse.number * parse.scale == 1 and not parse.physical:
        return False  # 'one of', 'one company': a word, not a stated count
    has_unit = parse.unit is not None or parse.money
    if _looks_like_a_year(parse):
        return False
    if has_unit:
        return not (parse.noun and _after_name(text, parse.start))
    if parse.spelled and not float(parse.number).is_integer():
        return _is_fraction(text, parse)
    if parse.spelled or parse.scale != 1:
        return parse.scale != 1
    return "." in parse.digits and not _after_name(text, parse.start)


def _is_fraction(text: str, parse: _Parse) -> bool:
    """'two-thirds', 'a third of U.S. homes' state a fraction; 'a third phase' is an ordinal."""
    written = text[parse.start : parse.end].lower()
    plural = any(word.endswith("s") for word in re.split(r"[-\s]+", written))
    return plural or re.match(rf"{_SPACE}+of\b", text[parse.end :]) is not None


def _looks_like_a_year(parse: _Parse) -> bool:
    """'in 2026', '2023 household use'; but '2000 racks' and '2025 MW' are figures."""
    if not (parse.digits and is_year(parse.digits)) or parse.scale != 1 or parse.money:
        return False
    if parse.physical:
        return False
    counted = parse.noun is not None and is_plural(parse.noun.split()[-1])
    return not (counted and parse.unit in BUILT_IN_COUNT_UNITS)


def _after_name(text: str, start: int) -> bool:
    """Whether a capitalised word stands right before ``start``: 'Llama 3', 'Windows 11'."""
    match = re.search(r"(?:^|\s)([A-Z][\w]*)[ \u00a0]$", text[max(0, start - 40) : start])
    return match is not None and match[1].lower() not in STOPWORDS


# --- ranges -----------------------------------------------------------------------


#: A verb of change before 'from X to Y': the two numbers are before and after, not a range.
_CHANGE = re.compile(
    r"\b(?:rose|risen|rise|rises|grew|grown|grow|grows|increased|increases|soared|climbed|"
    r"jumped|went|fell|fallen|dropped|declined|decreased|doubled|up|down)\s+from\s*$",
    re.IGNORECASE,
)
#: 'the' right before a spelled number: the things were counted before ('the two signed').
_THE = re.compile(r"\b[Tt]he[ \t\u00a0]+$")
#: A capitalised number word before a capitalised word: a name ('Three Mile Island').
_NAMED = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?[ \t]+[A-Z][a-z]")


def _range_end(text: str, low: _Parse) -> _Parse | None:
    """The other end of '120-132', '$1 billion to $5 billion', 'between 35 and 60'."""
    join = _RANGE_JOIN.match(text, low.end)
    if join is None or low.spelled or _CHANGE.search(text[max(0, low.start - 40) : low.start]):
        return None  # 'rose from 50% to 80%': a change, two figures (#12)
    if join.group().strip() == "and" and not re.search(
        r"\bbetween\s*$", text[max(0, low.start - 12) : low.start]
    ):
        return None
    high = _number_at(text, join.end(), second=True, currency=low.currency)
    if high is None or high.spelled or high.number < 0:
        return None
    return high


def _unit_of_change(text: str, before: _Parse) -> None:
    """'climbed from 2 million to 3 million GPUs': the figure before a change takes the
    unit (and scale word) written after the figure it changes to."""
    if _kind(before) is not None or before.multiplier:
        return
    if not _CHANGE.search(text[max(0, before.start - 40) : before.start]):
        return
    join = re.compile(rf"{_SPACE}+to{_SPACE}+").match(text, before.end)
    after = _number_at(text, join.end(), second=True) if join else None
    if after is None:
        return
    _unit_at(text, after)
    if _kind(after) is None:
        return
    if before.scale == 1 and after.scale != 1:
        before.scale = after.scale if low_takes_scale(before.number, after.number) else 1.0
    before.unit, before.currency, before.physical = after.unit, after.currency, after.physical
    before.new_units += after.new_units


def _join_range(low: _Parse, high: _Parse) -> bool:
    """Merge ``high`` into ``low`` when both state one quantity, low first."""
    low_unit, high_unit = _kind(low), _kind(high)
    if low_unit is not None and high_unit is None and not low.money:
        return False  # '30 GW to 40': not a range
    if low_unit is not None and high_unit is not None:
        if not _same_kind(low, high):
            return False
        if low.physical and low.unit != high.unit:
            high.number = Q_(high.number * high.scale, high.unit).to(low.unit).magnitude
            high.scale = 1.0
    # '$1-5 billion', but not '750,000 to 1.3 million' (its low end is written in full)
    if low.scale == 1 and high.scale != 1 and low.unit is None:
        low.scale = high.scale if low_takes_scale(low.number, high.number) else 1.0
    if low.number * low.scale > high.number * high.scale:
        return False
    low.currency = low.currency or high.currency
    if low.unit is None:  # '120-132 kW': the low end takes the unit of the high
        low.unit, low.physical, low.noun = high.unit, high.physical, high.noun
    low.new_units += high.new_units
    low.per, low.divisor = high.per, high.divisor
    low.high, low.end = high, high.end
    return True


def _kind(parse: _Parse) -> str | None:
    return parse.currency or parse.unit


def _same_kind(low: _Parse, high: _Parse) -> bool:
    if _kind(low) == _kind(high):
        return True
    if not (low.physical and high.physical):
        return False
    return bool(ureg.Unit(str(low.unit)).dimensionality == ureg.Unit(str(high.unit)).dimensionality)


# --- units and nouns ----------------------------------------------------------------

#: Units that article figures are stated in, by pint's name; prefixed where allowed.
_PREFIXABLE = frozenset(
    {
        "watt",
        "watt_hour",
        "joule",
        "volt_ampere",
        "volt",
        "ampere",
        "byte",
        "bit",
        "hertz",
        "gram",
        "metric_ton",
        "liter",
        "meter",
        "second",
    }
)
_PREFIXES = frozenset({"", "kilo", "mega", "giga", "tera", "peta", "exa", "milli", "centi"})
_PLAIN_UNITS = frozenset(
    {
        "british_thermal_unit",
        "quadrillion_Btu",
        "therm",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "decade",
        "century",
        "mile",
        "foot",
        "yard",
        "acre",
        "hectare",
        "gallon",
        "barrel",
        "ton",
        "pound",
        "percent",
        "ppm",
        "degree_Celsius",
        "degree_Fahrenheit",
        "USD",
        "cent",
        "mile_per_hour",
        "horsepower",
    }
)
_SINGLE_LETTERS = frozenset({"W", "J", "m", "h"})
#: Units of several words, or of symbols, as pint expressions.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"{_SPACE}*(?:{pattern})(?![\w])", re.IGNORECASE), unit)
    for pattern, unit in (
        (r"kilo[- ]?watt[- ]hours?", "kilowatt_hour"),
        (r"mega[- ]?watt[- ]hours?", "megawatt_hour"),
        (r"giga[- ]?watt[- ]hours?", "gigawatt_hour"),
        (r"tera[- ]?watt[- ]hours?", "terawatt_hour"),
        (r"watt[- ]hours?", "watt_hour"),
        (r"(?-i:kW)[- ]hours?", "kilowatt_hour"),  # '2 GW-hours' was 2 GW, the hours lost
        (r"(?-i:MW)[- ]hours?", "megawatt_hour"),
        (r"(?-i:GW)[- ]hours?", "gigawatt_hour"),
        (r"(?-i:TW)[- ]hours?", "terawatt_hour"),
        (r"per[ ]?cent(?:age points?)?", "percent"),
        (r"square (?:feet|foot)|sq\.? ?(?:ft|feet|foot)\.?|ft\u00b2", "foot ** 2"),
        (r"sq\.? ?(?:m|meters?|metres?)|sqm", "meter ** 2"),
        (r"sq\.? ?(?:mi|miles?)", "mile ** 2"),
        (r"sq\.? ?km", "kilometer ** 2"),
        (r"square (?:meters?|metres?)", "meter ** 2"),
        (r"square miles?", "mile ** 2"),
        (r"square (?:kilometers?|kilometres?)", "kilometer ** 2"),
        (r"metric (?:tons?|tonnes?)", "metric_ton"),
        (r"degrees? celsius", "degree_Celsius"),
        (r"degrees? fahrenheit", "degree_Fahrenheit"),
        (r"(?:U\.S\.|US|American) dollars?", "USD"),
        (r"British thermal units?", "british_thermal_unit"),
        (r"m\u00b3|cubic (?:meters?|metres?)", "meter ** 3"),
        (r"m\u00b2", "meter ** 2"),
        (r"km\u00b2", "kilometer ** 2"),
        (r"bits? per second", "bit / second"),  # "bps" alone may be basis points
        (r"kbps", "kilobit / second"),
        (r"Mbps", "megabit / second"),
        (r"Gbps", "gigabit / second"),
        (r"Tbps", "terabit / second"),
        (r"Pbps", "petabit / second"),
    )
)
_SYMBOLS = {
    "%": "percent",
    "\u00a2": "cent",
    "\u00b0C": "degree_Celsius",
    "\u00b0F": "degree_Fahrenheit",
    "\u2103": "degree_Celsius",
}
_SYMBOL = re.compile(rf"{_SPACE}?(%|\u00a2|\u00b0[CF]|\u2103)")
_TOKEN = re.compile(rf"({_SPACE}*|-)([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*)")
_QUALIFIER_WORDS = _alternatives(vocab.QUALIFIERS - {"us", "u.s."})
_QUALIFIER_TOKEN = re.compile(
    rf"{_SPACE}*((?:[A-Z]\.){{2,}}|US|UK|EU|(?i:{_QUALIFIER_WORDS}))(?=\s)"
)


def _unit_at(text: str, parse: _Parse) -> None:
    """Read the unit after the number: a physical unit, a symbol, a ratio or a noun."""
    if parse.money or parse.multiplier:
        return
    for pattern, unit in _PHRASES:
        if match := pattern.match(text, parse.end):
            _set_unit(parse, unit, match.end())
            return
    if symbol := _SYMBOL.match(text, parse.end):
        _set_unit(parse, _SYMBOLS[symbol[1]], symbol.end())
    elif (token := _TOKEN.match(text, parse.end)) and (
        found := _physical(token, text, spelled=parse.spelled)
    ):
        _set_unit(parse, found, token.end())
    elif token and token.group(1) == "-" and _hyphen_count(token, text):
        _set_noun(parse, token.group(2), [token.group(2)], token.end())  # 'a 72-GPU rack'
    elif token and (unit := _unit_before_hyphen(token, text, parse)):
        _set_unit(parse, unit, token.start(2) + token.group(2).index("-"))
    else:
        _noun_at(text, parse)


def _unit_before_hyphen(token: re.Match[str], text: str, parse: _Parse) -> str | None:
    """A unit joined by a hyphen to the word it makes an adjective of: 'a 100MW-class data
    center', '5GW-scale'; never a count noun ('72-GPU' is read above)."""
    head, _, tail = token.group(2).partition("-")
    if not tail or not tail.isalpha() or not tail.islower():
        return None
    start = token.start(2)
    part = _TOKEN.match(text[: start + len(head)], token.start())
    return _physical(part, text, spelled=parse.spelled) if part else None


def _hyphen_count(token: re.Match[str], text: str) -> bool:
    """A count joined by a hyphen to its noun: 'a 72-GPU rack', and any singular noun
    used as an adjective before another word ('an eight-building complex')."""
    word = token.group(2)
    if _count_unit(word)[1] is False:
        return True
    if not word.isalpha() or word.lower() in STOPWORDS or is_plural(word) or len(word) < 3:
        return False
    return re.compile(rf"{_SPACE}+[a-z]").match(text, token.end()) is not None


def _set_unit(parse: _Parse, unit: str, end: int) -> None:
    """A physical unit (or a ratio); '1.4 trillion dollars' is money like '$1.4 trillion'."""
    if unit == "USD":
        parse.currency = "USD"
    parse.unit = None if unit == "USD" else unit
    parse.end, parse.physical = end, True


def _physical(token: re.Match[str], text: str, *, spelled: bool = False) -> str | None:
    """The pint name of a unit word such as 'gigawatts', 'kWh', 'GW', or None; joined by a
    hyphen only to a number ('a 30-year plan', 'a five-year deal')."""
    space, word = token.group(1), token.group(2)
    if space == "-" and not (text[token.start() - 1].isdigit() or spelled):
        return None
    if word.lower() in STOPWORDS or (len(word) == 1 and word not in _SINGLE_LETTERS):
        return None
    found = _pint_unit(word.replace("-", "_"))  # 'kilowatt-hour'
    if found is None and word[:1].isupper() and word[1:].islower():
        found = _pint_unit(word.lower())
    if found is not None and (unsure := _unsure(found, word)) is not None:
        error = UnitError(unsure)  # '3 tons': short, long or metric?
        error.reason, error.offset = unsure, token.start(2)  # type: ignore[attr-defined]
        raise error
    return found


@functools.lru_cache(maxsize=4096)
def _unsure(found: str, word: str) -> str | None:
    """Why ``word`` (read as ``found``) is not a sure unit: judged on calc's reading and on
    pint's own, which differ for 'kt' (kilotonne here, the knot to pint and calc eval)."""
    readings = [ureg.Unit(found)]
    with contextlib.suppress(Exception):  # pint raises several types: "not a unit by itself"
        readings.append(ureg.Unit(word))
    return next((r for u in readings if (r := unsure_reason(u, word)) is not None), None)


@functools.lru_cache(maxsize=4096)
def _pint_unit(word: str) -> str | None:
    """pint's name of a unit article figures use ('GW' -> gigawatt), or None."""
    try:
        candidates = ureg.parse_unit_name(word)
    except Exception:  # pint raises for names it cannot split at all
        return None
    for prefix, name, _suffix in candidates:
        if prefix and word.lower().startswith(prefix) and len(word) - len(prefix) < 3:
            continue  # 'kilos' is not kilo-s(econds)
        if prefix in _PREFIXES and (name in _PREFIXABLE or (not prefix and name in _PLAIN_UNITS)):
            return prefix + name
    return None


def _noun_at(text: str, parse: _Parse) -> None:
    """Read a counted noun: '25 million U.S. homes', '72 GPUs', 'three major efforts',
    '25 million average American homes', 'four 72-GPU racks', 'two Three Gorges Dams'."""
    phrase_start: int | None = None
    position, words = parse.end, list[str]()
    if adjective := _COUNT_ADJECTIVE.match(text, position):  # 'four 72-GPU racks'
        phrase_start, position = adjective.start(1), adjective.end()
    while len(words) < 5:
        qualifier = _QUALIFIER_TOKEN.match(text, position)
        token = qualifier or _TOKEN.match(text, position)
        if token is None or (not qualifier and not _noun_word(token, words)):
            break
        phrase_start = token.start(1) if phrase_start is None else phrase_start
        position = token.end()
        words.append(token.group(1).strip() if qualifier else token.group(2))
        following = _TOKEN.match(text, position)
        if following and _begins_phrase([*words, following.group(2)]):
            continue  # 'graphics processors': the first word is no noun of its own
        if qualifier or _goes_on(words, following):
            continue
        if is_plural(words[-1]) or _count_unit(words[-1])[1] is False:
            _set_noun(parse, text[phrase_start:position].strip(), words, position)
            return
    if words and parse.number * parse.scale == 1 and _is_word(words[0]):
        first = _TOKEN.match(text, parse.end)
        assert first is not None
        _set_noun(parse, first.group(2), [first.group(2)], first.end())


#: A count written as an adjective before the counted noun: '72-GPU' in 'four 72-GPU racks'.
_COUNT_ADJECTIVE = re.compile(rf"{_SPACE}+(\d[\d,.]*-[A-Za-z][A-Za-z0-9]*)(?={_SPACE})")


def _begins_phrase(words: list[str]) -> bool:
    """Whether the last words begin a count noun of several words ('graphics processing')."""
    for size in (2, 3):
        tail = tuple(word.lower() for word in words[-size:])
        if len(words) >= size and any(phrase[:size] == tail for phrase in COUNT_PHRASES):
            return True
    return False


def _goes_on(words: list[str], following: re.Match[str] | None) -> bool:
    """Whether the noun phrase goes on past its last word: a name that begins with a
    number word ('Three Gorges Dams'), or a noun used as an adjective ('GPU servers',
    'weekly active users')."""
    if following is None or following.group(1) in {"", "-"}:
        return False
    word, last = following.group(2), words[-1]
    if word.lower() in STOPWORDS or not word.isalpha():
        return False
    if words[0].lower() in vocab.NUMBER_WORDS and words[0][:1].isupper():
        return word[:1].isupper()  # a name: 'Three Gorges Dams' counts dams
    if last.lower().endswith("ly") and last.isalpha():
        return True  # 'weekly active users'
    if is_plural(last) and "-" in last and is_plural(word) and word.islower():
        return True  # 'natural-gas plants' count plants
    return not is_plural(last) and is_plural(word) and last.isupper()  # 'GPU servers'


def _noun_word(token: re.Match[str], words: list[str]) -> bool:
    """Whether a word can be part of a counted noun phrase."""
    word = token.group(2)
    if token.group(1) in {"", "-"} or word.lower() in STOPWORDS:
        return False  # '5G' is a name; 'a 30-year plan' is no count of plans
    if word.endswith("ly") and not (word.lower() in _ADVERB_UNITS and word.islower()):
        return False  # 'roughly'; but 'weekly' may qualify a noun ('weekly active users')
    proper = word[0].isupper() and word[1:2].islower()  # 'Foxconn', not 'GPUs'
    nouns = [w for w in words if w.lower() not in vocab.QUALIFIERS]  # 'five new Stargate'
    return not (nouns and proper and nouns[-1][:1].islower())


def _is_word(word: str) -> bool:
    return word.isalpha() and word.lower() not in STOPWORDS


def _set_noun(parse: _Parse, phrase: str, words: list[str], end: int) -> None:
    for size in (3, 2):  # 'graphics processors' are GPUs, not 'graphic' (#12)
        tail = tuple(word.lower() for word in words[-size:])
        if len(words) >= size and tail in COUNT_PHRASES:
            parse.unit, parse.noun, parse.end = COUNT_PHRASES[tail], phrase, end
            return
    modifier = words[-2] if len(words) > 1 and words[-2].lower() in _MODIFIERS else None
    unit, new = _count_unit(words[-1], modifier=modifier)
    parse.unit, parse.noun, parse.end = unit, phrase, end
    parse.new_units += [unit] if new else []


#: Nouns that make a compound with the next: 'data centers' count in data_center.
_MODIFIERS = frozenset(
    {
        "data",
        "power",
        "server",
        "solar",
        "wind",
        "battery",
        "storage",
        "cooling",
        "network",
        "fuel",
    }
)


def _count_unit(word: str, *, modifier: str | None = None) -> tuple[str, bool]:
    """The count unit a noun counts in, and whether it is new to calc.

    Nouns calc knows are its own units ('homes', 'chips' -> gpu); any other noun is
    a count unit of its own, named by its singular ('efforts' -> effort), or
    '<noun>_count' where pint already uses the word for something else ('points').
    """
    name = singular(word)
    lowered = re.sub(r"\W", "_", name.lower())[:30]
    if lowered in COUNT_NOUNS:  # the one reader's count nouns: 'server racks' count racks
        return COUNT_NOUNS[lowered], False
    if modifier is not None:
        return f"{modifier.lower()}_{lowered}", True
    known = _pint_unit_any(name) or _pint_unit_any(lowered)
    if known in BUILT_IN_COUNT_UNITS:
        return known, False
    if known is not None and known not in COUNT_UNITS:  # pint's 'point' is a length
        return f"{lowered}_count", True
    return lowered, True


@functools.lru_cache(maxsize=4096)
def _pint_unit_any(word: str) -> str | None:
    """pint's name for ``word`` as any unit at all ('points' -> point), or None."""
    try:
        candidates = ureg.parse_unit_name(word)
    except Exception:
        return None
    return candidates[0][0] + candidates[0][1] if candidates else None


# --- rates ----------------------------------------------------------------------------

#: 'per GW', 'a week', and '/' between words ('kW/rack'; 'IT 58% / facility' is a list).
_PER = re.compile(
    rf"{_SPACE}*(?:(per)|({_alternatives(vocab.ARTICLE_PER)}))\b{_SPACE}*|/(?=[A-Za-z])"
)
_ADVERB_UNITS = {**vocab.ADVERBS, "per annum": "year"}
_ADVERB = re.compile(rf"{_SPACE}+((?i:{_alternatives(_ADVERB_UNITS)}))(?!\w)")
#: 'of water' between a physical unit and its rate: '5 million gallons of water a day'.
_MATERIAL = re.compile(rf"{_SPACE}+of{_SPACE}+[a-z]+(?=(?:{_SPACE}+|/)\S)")
_NOT_RATE = re.compile(rf"{_SPACE}+(?:ago|earlier|later|before|after|prior|old|from now)\b")


def _rates_at(text: str, parse: _Parse) -> None:
    """Read 'per GW', 'a week', '/yr/home', 'per 10 GW', 'annually' after the unit."""
    for _ in range(3):
        if parse.physical and not parse.per and (material := _MATERIAL.match(text, parse.end)):
            rest = _Parse(material.end(), material.end(), 1.0, physical=True, unit=parse.unit)
            _rates_at(text, rest)  # '5 million gallons of water a day'
            if rest.per:
                parse.per, parse.divisor, parse.end = rest.per, rest.divisor, rest.end
                parse.new_units += rest.new_units
            return
        if adverb := _ADVERB.match(text, parse.end):
            parse.per.append(_ADVERB_UNITS[adverb[1].lower()])
            parse.end = adverb.end()
            continue
        per = _PER.match(text, parse.end)
        if per is None or not _denominator_at(text, parse, per.end(), article=bool(per[2])):
            return


def _denominator_at(text: str, parse: _Parse, start: int, *, article: bool) -> bool:
    """Read what a rate is per: 'GW', 'U.S. home', '10 GW', '8 GPUs', or after 'a', a time."""
    adjective = _COUNT_ADJECTIVE.match(text, start - 1) if not article else None
    count = None if article or adjective else _number_at(text, start)
    position = adjective.end() if adjective else count.end if count else start
    if qualifier := _QUALIFIER_TOKEN.match(text, position):
        position = qualifier.end()
    if not article or parse.money:
        for pattern, unit in _PHRASES:  # 'per kilowatt hour'
            if phrase := pattern.match(text, position):
                parse.per.append(unit)
                parse.divisor *= count.number * count.scale if count else 1.0
                parse.end = phrase.end()
                return True
    token = _TOKEN.match(text, position)
    if token is None or token.group(1) == "-":
        return False
    unit = _rate_unit(token, text, parse, article=article, counted=count is not None)
    if unit is None or (_NOT_RATE.match(text, token.end()) and _is_time(unit)):
        return False  # 'a week later', 'a year ago'; but 'per building after the fill'

    parse.per.append(unit)
    parse.divisor *= count.number * count.scale if count else 1.0
    parse.end = token.end()
    return True


def _is_time(unit: str) -> bool:
    try:
        return bool(ureg.Unit(unit).dimensionality == {"[time]": 1})
    except Exception:  # a count unit extract has not defined yet
        return False


def _rate_unit(
    token: re.Match[str], text: str, parse: _Parse, *, article: bool, counted: bool
) -> str | None:
    """'a week' and 'per GW' take any unit; 'a' takes a time, or for a price any unit."""
    unit = _physical(token, text)
    if article:
        if unit is None and parse.money:
            unit, new = _count_unit(token.group(2))
            unit = None if new else unit  # '$1,000 a home', not '$5 a share'
        is_time = unit is not None and ureg.Unit(unit).dimensionality == {"[time]": 1}
        return unit if is_time or parse.money else None
    if unit is None and _is_word(token.group(2)):
        unit = _denominator_noun(token.group(2), parse, plural=counted)
    return unit


def _denominator_noun(word: str, parse: _Parse, *, plural: bool) -> str | None:
    """'per home' counts in home, 'per robot' in a new unit robot; 'per 8 GPUs' in gpu."""
    unit, new = _count_unit(word)
    if is_plural(word) and not plural:
        return None
    parse.new_units += [unit] if new else []
    return unit


# --- the record -----------------------------------------------------------------------

_QUALIFIER = re.compile(
    r"(?:\b(?:roughly|about|around|approximately|approx\.|nearly|almost|some|over|under|"
    r"more than|less than|fewer than|up to|at least|at most|as much as|as many as|as high as|"
    r"as low as|close to|just over|just under|an estimated|upwards of|in excess of|between|"
    r"exceeding|near|on the order of|from)|[~\u2248<>\u2264\u2265])\s*$",
    re.IGNORECASE,
)


def _finish(parse: _Parse, original: str, clause: tuple[int, int]) -> Figure:
    """Turn a parse into a Figure, with its quote (``clause``) and qualifier."""
    lo, hi = clause
    value = parse.number * parse.scale / parse.divisor
    figure = Figure(
        value=value,
        unit=_unit_text(parse),
        text=original[parse.start : parse.end],
        quote=original[lo:hi],
        offset=parse.start,
        noun=parse.noun,
        new_units=tuple(dict.fromkeys(parse.new_units)),
        qualifier=_qualifier(original, parse.start),
    )
    if parse.high is None:
        return figure
    high = parse.high.number * parse.high.scale / parse.divisor
    return replace(figure, low=value, high=high, value=(value + high) / 2)


def _unit_text(parse: _Parse) -> str:
    top = parse.currency or parse.unit or "dimensionless"
    if not parse.per:
        return top
    text = " / ".join(["1" if top == "dimensionless" else top, *parse.per])
    return text if parse.new_units else format(ureg.Unit(text), "D")


def _qualifier(text: str, start: int) -> str | None:
    match = _QUALIFIER.search(text, max(0, start - 20), start)
    if match is None:
        return None
    word = match.group().strip().lower()
    return None if word in {"between", "from"} else word


# --- output ---------------------------------------------------------------------------

#: Widest quote excerpt in the table; the JSON has every quote in full.
QUOTE_WIDTH = 72


def render_figures(
    figures: list[Figure], fmt: str, *, title: str, unread: Sequence[Unread] = ()
) -> str:
    """The figures as a table for people (with those calc could not read, and why) or
    as JSON records for programs (``render_unread`` says the rest, on standard error)."""
    if fmt == "json":
        return json.dumps([f.as_dict() for f in figures], indent=2, ensure_ascii=False) + "\n"
    count = f"{len(figures)} figure{'s' if len(figures) != 1 else ''}"
    if not figures:
        return terminal(f"{title}: no figures found", one_line=True) + "\n" + render_unread(unread)
    rows = [
        [
            terminal(cell, one_line=True)
            for cell in (str(f.offset), " ".join(f.text.split()), f.display(), _excerpt(f))
        ]
        for f in figures
    ]
    widths = [max(len(r[i]) for r in [_HEADER, *rows]) for i in range(4)]
    lines = [terminal(f"{title}: {count}", one_line=True), ""]
    for row in [_HEADER, ["-" * w for w in widths], *rows]:
        cells = [row[0].rjust(widths[0])] + [
            c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines += ["", "Quotes in full: --format json. A scenario from these figures: --scaffold FILE."]
    return "\n".join(lines) + "\n" + render_unread(unread)


def render_unread(unread: Sequence[Unread]) -> str:
    """The figures left out because calc cannot be sure how to read them, one a line."""
    if not unread:
        return ""
    lines = ["", f"Not read, as calc cannot be sure how ({len(unread)}):"]
    lines += [terminal(f"  {u.describe()}", one_line=True) for u in unread]
    return "\n".join(lines) + "\n"


_HEADER = ["offset", "figure", "value", "quote"]


def _excerpt(figure: Figure) -> str:
    """The quote on one line, cut at words to about QUOTE_WIDTH around the figure."""
    quote = " ".join(figure.quote.split())
    if len(quote) <= QUOTE_WIDTH:
        return quote
    at = max(quote.find(" ".join(figure.text.split())), 0)
    start = max(0, min(at - QUOTE_WIDTH // 3, len(quote) - QUOTE_WIDTH))
    end = start + QUOTE_WIDTH
    if start:
        start = quote.find(" ", start, at) + 1 if quote.find(" ", start, at) >= 0 else start
    if end < len(quote):
        space = quote.rfind(" ", at, end)
        end = space if space > at else end
    return ("\u2026" if start else "") + quote[start:end] + ("\u2026" if end < len(quote) else "")
