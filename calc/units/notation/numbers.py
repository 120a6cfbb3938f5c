"""Numbers as articles write them: digits with thousands separators, and number words."""

from __future__ import annotations

import re

import calc.units.notation.words as w

#: Most digits in one number: a float holds about 17, and a number of hundreds of digits
#: would be an exact Python integer too large for a float.
MAX_DIGITS = 40
_DIGITS = re.compile(r"\d[\d,_]*")


def long_number(text: str) -> str | None:
    """The first number in ``text`` with more than MAX_DIGITS digits (shortened), if any."""
    for match in _DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) > MAX_DIGITS:
            return f"{digits[:6]}...({len(digits)} digits)"
    return None


def too_long_message(number: str) -> str:
    return (
        f"the number {number} is longer than {MAX_DIGITS} digits; write it with an "
        "exponent, such as '1.2e45', or with a scale word"
    )


def comma_problem(number: str, rest: str) -> str | None:
    """Why a comma in ``number`` is refused (it does not group thousands in threes), naming
    both readings of it with ``rest``, the words after it; None when the commas group."""
    whole = re.split(r"[.eE]", number)[0]
    if "," not in whole or re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole):
        return None
    decimal = number.replace(",", ".", 1) if number.count(",") == 1 else None
    readings = [n for n in (decimal, number.replace(",", "")) if n is not None]
    shown = " or ".join(f"'{n} {rest}'".replace(" '", "'") for n in readings)
    return (
        f"the comma in {number!r} does not group thousands in threes: it could be a "
        f"decimal comma or a slip; write {shown}"
    )


def number_parts(word: str) -> list[str]:
    """The number words of one written word: 'twenty-five', 'two-thirds', 'fivefold'."""
    parts = word.removesuffix("fold").removesuffix("-").split("-")
    return parts if all(p in w.NUMBER_WORDS for p in parts) else []


def words_value(taken: list[str]) -> float:
    """The value of number words: 'two hundred thousand', 'half a million', 'two-thirds'."""
    total = current = 0.0
    after_and = False
    for index, word in enumerate(taken):
        following = taken[index + 1] if index + 1 < len(taken) else ""
        if word in ("and", "of"):
            after_and = word == "and"
            continue
        if word in ("a", "an"):
            if following not in w.FRACTIONS and current == 0 and total == 0:
                current = 1.0
            continue
        if word in w.FRACTIONS:
            part = 1.0 / w.FRACTIONS[word]
            current = current + part if after_and else (current or 1.0) * part
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word == "dozen":
            current = (current or 1.0) * 12
        elif word in w.SCALES:
            total += (current or 1.0) * w.SCALES[word]
            current = 0.0
        else:
            current += w.SMALL[word]
        after_and = False
    return total + current


def low_takes_scale(low: float, high: float) -> bool:
    """Whether the low end of a range takes the scale word written on the high end only:
    '$1-5 billion', '2 to 3 million' (the low as written is below the high as written);
    not '750,000 to 1.3 million', whose low end is written in full."""
    return abs(low) <= abs(high)
