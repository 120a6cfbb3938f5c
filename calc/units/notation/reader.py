"""The one reader of article notation: a number, its scale, currency, units and rate.

``read_notation(text, start)`` reads the longest quantity written at ``start`` and says
where it stopped, so ``parse_quantity`` (the whole text), ``calc eval`` (each operand)
and ``calc extract`` (each figure) read notation alike. Letters with several readings
follow the rules in :mod:`calc.units.notation.words`, or are refused with their readings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pint

import calc.units.notation.words as w
from calc.errors import UnitError
from calc.units.notation.nouns import count_unit, pint_unit, raise_last
from calc.units.notation.numbers import (
    MAX_DIGITS,
    comma_problem,
    long_number,
    low_takes_scale,
    number_parts,
    too_long_message,
    words_value,
)
from calc.units.registry import Q_, ureg
from calc.units.symbols import unsure_reason

_TOKEN = re.compile(
    r"""
    (?P<number>\d[\d,]*(?<!,)(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
  | (?P<sign>U\.S\.\$|US\$|[$€£¥¢%])
  | (?P<word>U\.S\.|p\.a\.|[^\W\d_][\w]*(?:-[^\W\d_]\w*)*)
  | (?P<op>\*\*|[-+*/^()·\u2212\u2013\u00d7,])
    """,
    re.VERBOSE,
)
_MINUS = {"-", "\u2212", "\u2013"}
_SPACES = re.compile(r"\s*")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int
    joined: bool  # no space before it

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Reading:
    """A quantity read from ``text[start:end]``; ``multiplier`` for '5x', 'fivefold';
    ``share`` for a part of a whole ('5%', '5 per cent', 'half', 'a third', '2/3'), which
    calc eval lets take 'of' ('5% of 30 GW')."""

    quantity: pint.Quantity
    start: int
    end: int
    multiplier: bool = False
    scaled: bool = False  # a scale word or letter was written
    share: bool = False


@dataclass(frozen=True)
class Amount:
    """A number as written, with its sign, currency and scale, before any unit:
    '$1.4 trillion', '25M' (before a count noun), 'half a million', 'fivefold', '3e9 USD'.

    ``value`` is the signed number, ``scale`` the scale word's factor; ``currency`` the
    currency unit written before or right after it; ``multiplier`` for '5x', 'fivefold'.
    """

    value: float
    scale: float
    written: str
    currency: str | None
    start: int
    end: int
    spelled: bool = False
    multiplier: bool = False
    scaled: bool = False


def read_amount(
    text: str,
    start: int = 0,
    *,
    counts: Callable[[str], bool] | None = None,
    currency: str | None = None,
) -> Amount | None:
    """The amount written at ``text[start:]`` (None when no number starts there), read as
    ``read_notation`` reads it. ``counts`` says which words are count nouns, before which
    a scale letter is a scale word ('25M homes'); by default the nouns calc knows.
    ``currency`` is one written before (the low end of '$1-5 B'): the amount is in it.
    A letter no rule decides raises UnitError naming its readings, as everywhere."""
    reader = _Reader(text, tokens(text, start, limit=_AMOUNT_TOKENS), counts=counts)
    return reader.amount(currency)


def read_range(text: str) -> tuple[pint.Quantity, pint.Quantity] | None:
    """Both ends of a range written as one text ('120-132 kW', '$1-5 billion', '3 to 5 GW
    a year', '750,000 to 1.3 million average American homes'), or None when ``text`` is
    no range. A unit, currency or rate written on one side only applies to both; so does
    a scale word written on the high side, when the low end as written is the smaller
    ('$1-5 billion'; but '750,000 to 1.3 million' keeps its low end as written)."""
    return _Reader(text, tokens(text)).range()


#: Tokens an amount and the words that decide its scale letter can span.
_AMOUNT_TOKENS = 24


def tokens(text: str, start: int = 0, *, limit: int | None = None) -> list[_Token]:
    """The tokens of ``text`` from ``start``, up to the first character no token matches
    (or ``limit`` tokens)."""
    found: list[_Token] = []
    position = start
    while position < len(text) and (limit is None or len(found) < limit):
        at = _SPACES.match(text, position).end()  # type: ignore[union-attr]
        space = at - position
        match = _TOKEN.match(text, at)
        if match is None or at >= len(text):
            break
        found.append(_Token(match.lastgroup or "", match.group(), at, match.end(), space == 0))
        position = match.end()
    return found


def read_notation(text: str, start: int = 0) -> Reading | None:
    """The quantity written at ``text[start:]``, or None when no number starts there."""
    return _Reader(text, tokens(text, start)).read()


class _Reader:
    def __init__(
        self, text: str, toks: list[_Token], *, counts: Callable[[str], bool] | None = None
    ) -> None:
        self.text = text
        self.toks = toks
        self.i = 0
        self.counts = counts or (lambda word: count_unit(word) is not None)

    def peek(self, ahead: int = 0) -> _Token | None:
        at = self.i + ahead
        return self.toks[at] if at < len(self.toks) else None

    def refuse(self, message: str, at: _Token | None = None) -> UnitError:
        """A refusal; ``reason`` and ``offset`` let calc eval point at the token."""
        error = UnitError(f"{self.text.strip()!r}: {message}")
        error.reason, error.offset = message, (at.start if at else None)  # type: ignore[attr-defined]
        return error

    # --- the parts, in the order they are written -----------------------------------

    def read(self) -> Reading | None:
        amount = self.amount()
        if amount is None:
            return None
        if amount.multiplier and amount.currency is None:
            return Reading(Q_(amount.value), amount.start, amount.end, multiplier=True)
        magnitude = amount.value * amount.scale
        if not amount.scaled and re.fullmatch(r"[\d,]+", amount.written) and abs(magnitude) < 2**53:
            magnitude = int(magnitude)  # '30 GW' stays an integer, as written
        quantity = Q_(magnitude, amount.currency or "dimensionless")
        quantity = quantity * self._units()
        divisor = self._rate()
        if divisor.units != ureg.dimensionless or divisor.magnitude != 1:
            quantity = quantity / divisor
        share = _is_share(quantity, amount.written)
        return self._done(self.toks[0], quantity, scaled=amount.scaled, share=share)

    def amount(self, written_before: str | None = None) -> Amount | None:
        """The number with its sign, currency before or after, multiplier and scale."""
        first = self.peek()
        if first is None:
            return None
        sign = 1.0
        if first.kind == "op" and first.text in _MINUS | {"+"}:
            sign = -1.0 if first.text in _MINUS else 1.0
            self.i += 1
        currency = self._currency_before() or written_before
        number = self._number()
        if number is None:
            return None
        value, written = number
        spelled = self.toks[self.i - 1].kind == "word"
        if self._multiplier() and currency is None:
            end = self.toks[self.i - 1].end
            return Amount(sign * value, 1.0, written, None, first.start, end, spelled, True)
        scale, scaled = self._scale(written, currency)
        if currency is None:
            after = self._currency_after(written, scale)
            currency = None if after == ureg.dimensionless else str(after)
        end = self.toks[self.i - 1].end
        return Amount(
            sign * value, scale, written, currency, first.start, end, spelled, scaled=scaled
        )

    def range(self) -> tuple[pint.Quantity, pint.Quantity] | None:
        low = self.amount()
        if low is None or low.multiplier:
            return None
        low_unit, low_rate = self._units(), self._rate()
        join, after = self.peek(), self.peek(1)
        if join is None or after is None or not (join.text in _MINUS or join.low == "to"):
            return None
        if join.text in ("-", "\u2212") and not (join.joined and after.joined):
            return None  # '120 kW - 5 kW' is a subtraction; '120-132 kW' a range
        self.i += 1
        high = self.amount(low.currency)
        if high is None or high.multiplier or high.value < 0:
            return None
        high_unit, high_rate = self._units(), self._rate()
        if self.i != len(self.toks) or self.toks[-1].end != len(self.text.rstrip()):
            return None
        scale = low.scale
        if not low.scaled and high.scaled and low_unit == ureg.dimensionless:
            scale = high.scale if low_takes_scale(low.value, high.value) else 1.0
        currency = low.currency or high.currency
        top = Q_(high.value * high.scale, high.currency or "dimensionless") * high_unit
        bottom = Q_(low.value * scale, currency or "dimensionless") * (
            low_unit if low_unit != ureg.dimensionless else high_unit
        )
        if low_rate.magnitude != 1 or low_rate.units != ureg.dimensionless:
            bottom = bottom / low_rate
            if high_rate.units == ureg.dimensionless:
                high_rate = low_rate
        if high_rate.magnitude != 1 or high_rate.units != ureg.dimensionless:
            top = top / high_rate
            bottom = bottom / high_rate if low_rate.units == ureg.dimensionless else bottom
        if bottom.dimensionality != top.dimensionality or bottom > top:
            return None
        return bottom, top

    def _done(self, first: _Token, quantity: pint.Quantity, **flags: bool) -> Reading:
        end = self.toks[self.i - 1].end
        return Reading(quantity, first.start, end, **flags)

    def _currency_before(self) -> str | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind == "sign" and token.text == "¥":
            following = self.peek(1)
            amount = self.text[following.start :].strip() if following else ""
            raise self.refuse(
                f"'¥' is the sign of both the yen and the yuan: write '{amount} yen' "
                f"or '{amount} yuan' (calc keeps neither; state the rate to USD)"
            )
        if token.kind == "sign" and token.text in w.CURRENCY_SIGNS:
            self.i += 1
            return w.CURRENCY_SIGNS[token.text]
        following = self.peek(1)
        if token.text in w.CURRENCY_CODES and following is not None and following.kind == "number":
            self.i += 1
            return w.CURRENCY_CODES[token.text]
        return None

    def _number(self) -> tuple[float, str] | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind == "number":
            self.i += 1
            value = _digits(token.text, self)
            over, under = self.peek(), self.peek(1)
            if _is_fraction(over, under):
                assert under is not None
                self.i += 2  # '2/3': a fraction, one number
                return value / float(under.text), token.text + "/" + under.text
            return value, token.text
        if token.low == "twice":
            self.i += 1
            return 2.0, token.text
        if token.kind == "word":
            return self._number_words()
        return None

    def _number_words(self) -> tuple[float, str] | None:
        taken: list[str] = []
        start = self.i
        while (token := self.peek()) is not None and token.kind == "word":
            parts = number_parts(token.low)
            if parts and _continues(taken, parts):
                taken += parts
            elif token.low in ("a", "an", "and", "of") and self._joins_number(taken, token.low):
                taken.append(token.low)
            else:
                break
            self.i += 1
        if not any(p in w.NUMBER_WORDS for p in taken):
            self.i = start
            return None
        written = " ".join(t.text for t in self.toks[start : self.i])
        return words_value(taken), written

    def _joins_number(self, taken: list[str], word: str = "a") -> bool:
        """Whether 'a', 'and' or 'of' at the cursor joins number words: 'half a million',
        'six hundred and fifty', 'one and a half', 'a quarter of a million'; never
        'two and three' or 'two of three', which are two numbers."""
        ahead = 1
        while _low(self.peek(ahead)) in ("a", "an"):
            ahead += 1
        following = number_parts(_low(self.peek(ahead)))
        if not following:
            return False
        if word in ("a", "an"):
            return True
        last = taken[-1] if taken else ""
        if word == "of":  # 'a quarter of a million'
            return last in w.FRACTIONS and following[0] in w.SCALES
        big = last in ("hundred", "dozen") or last in w.SCALES
        return bool(taken) and (big or following[0] in w.FRACTIONS)

    def _multiplier(self) -> bool:
        token = self.peek()
        previous = self.toks[self.i - 1]
        if token is None:
            return previous.low.endswith("fold") or previous.low == "twice"
        if token.text in ("x", "\u00d7") and token.joined and previous.kind == "number":
            self.i += 1
            return True
        if token.low == "times":
            self.i += 1
            return True
        if token.text == "-" and token.joined and _low(self.peek(1)) == "fold":
            self.i += 2
            return True
        return previous.low.endswith("fold") or previous.low == "twice"

    def _scale(self, number: str, currency: str | None) -> tuple[float, bool]:
        token = self.peek()
        if token is None or token.kind != "word":
            return 1.0, False
        if token.low in w.SCALES:
            self.i += 1
            return w.SCALES[token.low], True
        if token.text in w.SURE_SCALES:
            self.i += 1
            return w.SURE_SCALES[token.text], True
        if token.low in w.MONEY_SCALES and (
            currency is not None or self._count_or_currency_follows(1)
        ):
            self.i += 1
            return w.MONEY_SCALES[token.low], True
        if token.text not in w.SCALE_LETTERS:
            return 1.0, False
        if currency is not None or self._count_or_currency_follows(1):
            self.i += 1
            return w.SCALE_LETTERS[token.text], True
        if token.text == "k":
            self.i += 1
            return 1e3, True
        if token.text == "m" and (unit := self._unit_ahead(1)) is not None:
            raise self.refuse(  # '1.2m kW' was 1.2 kW·m
                f"'m' after {number} and before {unit!r} could be {number} million {unit} "
                f"(write '{number} million {unit}') or {number} m·{unit} (write "
                f"'{number} m*{unit}'); a letter alone has no rule to decide, so write the word",
                at=token,
            )
        if token.text in w.LETTER_READINGS:
            readings = w.LETTER_READINGS[token.text]
            named = ", ".join(f"{number} {name} (write '{number} {how}')" for name, how in readings)
            raise self.refuse(
                f"{token.text!r} after {number} could be {named}; a letter alone has no "
                "rule to decide, so write the word or the unit",
                at=token,
            )
        return 1.0, False

    def _unit_ahead(self, ahead: int) -> str | None:
        """The text of a physical unit word ``ahead`` tokens on ('kW'), else None."""
        token = self.peek(ahead)
        if token is None or token.kind != "word" or token.low in w.NOT_UNITS:
            return None
        unit = pint_unit(token.text)
        return token.text if unit is not None and not unit.dimensionless else None

    def _count_or_currency_follows(self, ahead: int) -> bool:
        while (token := self.peek(ahead)) is not None and token.low in w.QUALIFIERS:
            ahead += 1
        token = self.peek(ahead)
        if token is None:
            return False
        return (
            self.counts(token.text)
            or token.text in w.CURRENCY_CODES
            or token.low in w.CURRENCY_WORDS
        )

    def _currency_after(self, number: str, scale: float) -> pint.Unit:
        start = self.i
        while (token := self.peek()) is not None and token.low in ("us", "u.s."):
            self.i += 1
        token = self.peek()
        if token is not None and token.kind == "sign" and token.text == "¢":
            self.i += 1
            return ureg.cent
        if token is not None and token.low in w.CURRENCY_WORDS:
            self.i += 1
            return ureg.Unit(w.CURRENCY_WORDS[token.low])
        if token is not None and token.low in ("pound", "pounds"):
            following = self.peek(1)
            if following is not None and following.low == "sterling":
                self.i += 2
                return ureg.GBP
            amount = self.text[self.toks[0].start : token.start].strip()
            amount = re.sub(r"^[-+\u2212\u2013]", "", amount).strip() or number
            raise self.refuse(
                f"'{token.text}' is pounds sterling or pounds of mass: write "
                f"'{amount} GBP' for money or '{amount} lb' for mass"
            )
        self.i = start
        return ureg.dimensionless

    # --- units, count nouns and rates ------------------------------------------------

    def _units(self, *, single: bool = False) -> pint.Unit:
        unit = ureg.dimensionless
        while (token := self.peek()) is not None:
            if token.text == "%" and self.i and self.toks[self.i - 1].kind == "number":
                self.i += 1
                unit = unit * ureg.percent
            elif (token.low == "percentage" and _low(self.peek(1)) in ("point", "points")) or (
                token.low == "per" and _low(self.peek(1)) == "cent"
            ):
                self.i += 2
                unit = unit * ureg.percent
            elif (found := self._unit_word()) is not None:
                unit = unit * found
            elif token.text in ("/", "*", "·") and token.joined and self._joined_word(1):
                self.i += 1
                following = self._unit_word() if _low(self.peek()) != "a" else self._annum()
                if following is None:
                    self.i -= 1
                    break
                unit = unit / following if token.text == "/" else unit * following
            elif token.text in ("**", "^") and token.joined:
                powered = self._power(unit)
                if powered is None:
                    break
                unit = powered
            else:
                break
            if single:
                break
        return unit

    def _annum(self) -> pint.Unit:
        """'a' after '/' is annum: '10 MWh/a' is per year."""
        self.i += 1
        return ureg.year

    def _joined_word(self, ahead: int) -> bool:
        token = self.peek(ahead)
        return token is not None and token.joined and token.kind == "word"

    def _power(self, unit: pint.Unit) -> pint.Unit | None:
        sign, number = self.peek(1), self.peek(2)
        if sign is not None and sign.kind == "number" and re.fullmatch(r"\d+", sign.text):
            powered, taken = raise_last(unit, int(sign.text)), 2
        elif sign is not None and sign.text in _MINUS and number is not None:
            if not re.fullmatch(r"\d+", number.text):
                return None
            powered, taken = raise_last(unit, -int(number.text)), 3
        else:
            return None
        if powered is not None:
            self.i += taken
        return powered

    def _unit_word(self) -> pint.Unit | None:
        """A unit, a currency word or a count noun (with its qualifiers) at the cursor."""
        start = self.i
        while (token := self.peek()) is not None and token.low in w.QUALIFIERS:
            self.i += 1
        token = self.peek()
        if token is None or token.kind != "word":
            self.i = start
            return None
        for size in (3, 2):  # 'graphics processing units', 'graphics processors'
            phrase = tuple(_low(self.peek(ahead)) for ahead in range(size))
            if phrase in w.COUNT_PHRASES:
                self.i += size
                return ureg.Unit(w.COUNT_PHRASES[phrase])
        if (count := count_unit(token.text)) is not None:
            self.i += 1
            return ureg.Unit(count)
        if self.i > start:  # qualifiers must qualify a count noun or a currency
            self.i = start
            return None
        if token.low in w.NOT_UNITS or token.text in w.LETTER_READINGS:
            return None
        if token.low in w.CURRENCY_WORDS:
            self.i += 1
            return ureg.Unit(w.CURRENCY_WORDS[token.low])
        unit = pint_unit(token.text)
        if unit is not None and (unsure := unsure_reason(unit, token.text)) is not None:
            raise self.refuse(unsure, at=token)  # '100 kt': kilotonnes or knots
        if unit is not None:
            self.i += 1
        return unit

    def _rate(self) -> pint.Quantity:
        """The denominator of a rate: 'per 8 GPUs', 'a day', '/yr' (read in _units), 'annually'."""
        divisor = Q_(1.0)
        while (token := self.peek()) is not None:
            if token.low in w.ADVERBS:
                self.i += 1
                divisor = divisor * ureg.Unit(w.ADVERBS[token.low])
            elif token.low == "per" and _low(self.peek(1)) == "annum":
                self.i += 2
                divisor = divisor * ureg.year
            elif token.low == "per":
                self.i += 1
                divisor = divisor * self._denominator(token, allow_number=True)
            elif token.low in w.ARTICLE_PER and self.i and self._article_is_per():
                self.i += 1
                divisor = divisor * self._denominator(token, allow_number=False)
            elif token.low == "a" and self.peek(1) is None:
                before = self.text[self.toks[0].start : token.start].strip()
                raise self.refuse(
                    f"a trailing 'a' could be {before} per (a time cut off, write "
                    f"'{before} per year') or {before} annum (write '{before}/a' or "
                    f"'{before}/yr')"
                )
            else:
                break
        return divisor

    def _article_is_per(self) -> bool:
        following = self.peek(1)
        if following is None or following.kind != "word":
            return False
        if count_unit(following.text) is not None:
            return True
        return pint_unit(following.text) is not None

    def _denominator(self, per: _Token, *, allow_number: bool) -> pint.Quantity:
        amount = Q_(1.0)
        if allow_number and (number := self._number()) is not None:
            amount = Q_(number[0]) * self._scale(number[1], None)[0]
        unit = self._units()
        if unit == ureg.dimensionless:
            raise self.refuse(
                f"{per.text!r} needs a unit after it, as in '120 kW per rack'", at=per
            )
        return amount * unit


def _is_share(quantity: pint.Quantity, written: str) -> bool:
    """A percentage, or a fraction written as one ('2/3', 'half', 'two-thirds') of at most
    a whole: a part of something, as in '5% of 30 GW'; '5 of 30 GW' is no share."""
    if quantity.units == ureg.percent:
        return True
    fraction = "/" in written or any(
        part in w.FRACTIONS for word in written.lower().split() for part in number_parts(word)
    )
    return fraction and quantity.units == ureg.dimensionless and abs(quantity.magnitude) <= 1


def _is_fraction(over: _Token | None, under: _Token | None) -> bool:
    """'2/3' written joined: a fraction; '2 / 3' is a division, left to calc eval."""
    return (
        over is not None
        and under is not None
        and over.text == "/"
        and over.joined
        and under.joined
        and under.kind == "number"
        and under.text.isdigit()
        and int(under.text) > 0
    )


def _continues(taken: list[str], parts: list[str]) -> bool:
    """Whether number words ``parts`` go on the number ``taken``: 'twenty five', 'two
    hundred', 'half a million'; not 'two three' nor 'ten 20', which are two numbers."""
    last = next((word for word in reversed(taken) if word not in ("a", "an", "and", "of")), "")
    if not last or taken[-1] in ("and", "a", "an", "of"):
        return True
    first = parts[0]
    if first in ("hundred", "dozen") or first in w.SCALES or first in w.FRACTIONS:
        return True
    tens = w.SMALL.get(last, 0) >= 20
    return tens and 0 < w.SMALL.get(first, 0) < 10


def _low(token: _Token | None) -> str:
    return token.low if token is not None else ""


def _digits(number: str, reader: _Reader) -> float:
    """A number as written; a comma that does not group thousands is refused."""
    problem = None
    if "," in number and comma_problem(number, "") is not None:  # the rest only then
        problem = comma_problem(number, reader.text[reader.toks[reader.i - 1].end :].strip())
    if len(re.sub(r"\D", "", number)) > MAX_DIGITS:
        problem = too_long_message(long_number(number) or number)
    if problem is not None:
        raise reader.refuse(problem)
    return float(number.replace(",", ""))
