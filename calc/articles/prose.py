"""Reading article prose: clauses, dates and other numbers that are not figures, nouns.

``calc.extract`` finds the figures of an article; this module knows the prose
around them: where a clause begins and ends (the quote of a figure), which
numbers are dates, times, years, ordinals or labels ("Section 3", "Table 5.1"),
and how an English plural noun becomes a singular unit name.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

#: Words that never name a unit or a counted thing, and end a noun phrase.
_STOPWORDS = """
a about above across after against ago all almost along also although am among an and any are
around as at be because been before being below between both but by can could did do does
during each either else every for from had has have having he her here his how i if in into is
it its just least less many may might more most much must my near nearly neither no nor not of
off on once only onto or other our out over own per plus rather roughly same se she should since
so some such than that the their them then there these they this those through thus to too
toward towards under until up upon us versus very via was we were what when where whether which
while who whom whose why will with within without would yet you your
"""
STOPWORDS = frozenset(_STOPWORDS.split())

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|2[01])\d\d"
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2212"

#: Numbers that are not figures: dates, times, year ranges, decades, ordinals, labels.
_NOT_FIGURES = re.compile(
    "|".join(
        (
            rf"\b{_MONTH}\s+{_DAY}(?:,?\s*{_YEAR})?(?!\d)",  # November 21, 2025
            # 21 November 2025, 7 July, 2025
            rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?(?!\d)",
            rf"\b{_MONTH},?\s+{_YEAR}\b",  # November 2025
            r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b",
            r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.m\.|\b\d{1,2}\s*[ap]m\b",
            rf"\b{_YEAR}\s*[{_DASH}/]\s*(?:{_YEAR}|\d\d)\b",  # 2024-25, 2022/2023
            r"\b(?:1[89]|20)\d0s\b|'\d0s\b",  # the 1990s, '90s
            r"\b\d+(?:st|nd|rd|th)\b",  # 21st, 14th
            r"\b\d+(?:\.\d+){2,}\b",  # version 1.2.3
            r"(?<![^\n])[ \t]*\d{1,3}[.)](?=\s)",  # 1. a numbered list item
            r"(?:§|#|\bNo\.|\bNos\.)\s*\d+(?:[.\-]\d+)*[A-Za-z]?",
            r"\b(?:[Ss]ection|Sec\.|[Cc]hapter|Ch\.|[Aa]rticle|Art\.|[Pp]art|[Ii]tem|[Tt]able|"
            r"[Ff]igure|Fig\.|[Pp]ages?|pp?\.|[Rr]ule|Title|[Cc]lause|[Pp]aragraph|[Aa]ppendix|"
            r"Annex|[Ee]xhibit|[Ss]chedule|[Ss]tep|[Pp]hase|[Ss]tage|[Tt]ier|[Ll]evel|[Vv]ersion|"
            r"[Rr]elease|[Ee]pisode|[Ss]eason|[Vv]olume|Vol\.|[Ii]ssue|[Rr]oute|[Rr]oom|Form|"
            r"[Tt]op|[Gg]rade|[Cc]lass|[Rr]ank(?:ed)?|[Nn]umber|v)"
            r"\s?\d+(?:[.\-]\d+)*[A-Za-z]?\b",
        )
    )
)


def not_figures(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` whose numbers are dates, times, years, ordinals or labels.

    >>> t = "On November 21, 2025, Section 3 of the 14th survey"
    >>> [t[a:b] for a, b in not_figures(t)]
    ['November 21, 2025', 'Section 3', '14th']
    """
    return [m.span() for m in _NOT_FIGURES.finditer(text)]


def is_year(digits: str) -> bool:
    """A four-digit whole number from 1800 to 2199, written without separators."""
    return bool(re.fullmatch(_YEAR, digits))


# --- dates ----------------------------------------------------------------------

_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y1>{_YEAR})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH}),?\s*(?P<y2>{_YEAR}))"
    r"(?!\d)"
)


def first_date(text: str) -> date | None:
    """The first full date written out in ``text`` ("November 21, 2025"), if any.

    >>> first_date("TAIPEI - November 21, 2025 Foxconn ...")
    datetime.date(2025, 11, 21)
    """
    for match in _DATE.finditer(text):
        month = MONTHS[(match["m1"] or match["m2"]).rstrip(".").lower()]
        try:
            return date(int(match["y1"] or match["y2"]), month, int(match["d1"] or match["d2"]))
        except ValueError:  # "February 30, 2025"
            continue
    return None


# --- clauses --------------------------------------------------------------------

_SOFT_NEWLINE = re.compile(r"(?<=[^\s.!?:;|])[ \t]*\r?\n[ \t]*(?=[a-z0-9$(])")
_BREAK = re.compile(
    r"\n|[;|\u2022\u2014]|:(?!\d)|(?<!\d),|,(?!\d)|\s[-\u2013]\s"
    r"|(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])[.!?]"
    r"(?=[\"'\u201d\u2019]?(?:\s+[^a-z\s]|\s*$))"
)
_TRIM = " \t\r\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb-*\u2022,;:"
#: A clause shorter than this many words takes in its neighbours (within the sentence).
MIN_WORDS = 6
#: A clause longer than this is cut to the words around the figure.
MAX_CHARS = 240


def soften_newlines(text: str) -> str:
    """Turn line breaks inside a sentence (hard-wrapped text) into spaces.

    A break is soft when its line does not end a sentence and the next line goes on
    in lower case or with a number. The result has the same length as ``text``, so
    offsets into one are offsets into the other.
    """
    return _SOFT_NEWLINE.sub(lambda m: " " * len(m.group()), text)


Break = tuple[int, int, str]


def clause_breaks(text: str) -> list[Break]:
    """Where clauses end in ``text``: (start, end, the separator), in order."""
    return [(m.start(), m.end(), m.group()) for m in _BREAK.finditer(text)]


def clause_around(
    text: str, start: int, end: int, *, breaks: list[Break] | None = None
) -> tuple[int, int]:
    """The span of the clause holding ``text[start:end]``, trimmed of quotes and bullets.

    ``breaks`` are ``clause_breaks(text)``, worked out once for many figures.

    >>> t = "OpenAI plans to invest $1.4 trillion, roughly the cost of 30 GW. Next."
    >>> a, b = clause_around(t, 23, 36)
    >>> t[a:b]
    'OpenAI plans to invest $1.4 trillion'
    """
    breaks = clause_breaks(text) if breaks is None else breaks
    first, after = bisect.bisect_left(breaks, (start,)), bisect.bisect_left(breaks, (end,))
    left = [b for b in breaks[max(0, first - _HOPS) : first] if b[1] <= start]
    right = breaks[after : after + _HOPS]
    lo, hi = _widen(text, left, right, (0, len(text)))
    return _trim(text, *_cut(lo, hi, start, end))


#: How many clauses a short clause may take in on each side.
_HOPS = 8


def _widen(
    text: str, left: list[Break], right: list[Break], edges: tuple[int, int]
) -> tuple[int, int]:
    """The clause between the nearest breaks, taking in neighbouring clauses of the
    same sentence while it is shorter than MIN_WORDS."""
    lo = left[-1][1] if left else edges[0]
    hi = right[0][0] if right else edges[1]
    while _short(text, lo, hi):
        if left and _joins(left[-1][2]):
            left.pop()
            lo = left[-1][1] if left else edges[0]
        elif right and _joins(right[0][2]):
            right.pop(0)
            hi = right[0][0] if right else edges[1]
        else:
            break
    return lo, hi


def _joins(separator: str) -> bool:
    """A comma, colon, semicolon or dash joins clauses of one sentence; the rest end it."""
    return separator.strip() not in {"", ".", "!", "?", "|", "\u2022"}


def _short(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` has fewer than MIN_WORDS words (reading only its start)."""
    return len(text[lo : min(hi, lo + 20 * MIN_WORDS)].split(None, MIN_WORDS)) < MIN_WORDS


def _cut(lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """Narrow an over-long clause to about MAX_CHARS around the figure."""
    if hi - lo <= MAX_CHARS:
        return lo, hi
    spare = max(MAX_CHARS - (end - start), 0) // 2
    return max(lo, start - spare), min(hi, end + spare)


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Drop white space, quote marks and bullets at the ends, and any cut word."""
    if lo > 0 and text[lo - 1].isalnum():
        lo = _next_space(text, lo, hi)
    if hi < len(text) and text[hi].isalnum() and text[hi - 1].isalnum():
        hi = text.rfind(" ", lo, hi) if text.rfind(" ", lo, hi) > lo else hi
    while lo < hi and (text[lo] in _TRIM or _unbalanced(text[lo:hi], text[lo])):
        lo += 1
    while hi > lo and (text[hi - 1] in _TRIM or _unbalanced(text[lo:hi], text[hi - 1])):
        hi -= 1
    return lo, hi


def _unbalanced(quote: str, end: str) -> bool:
    """Whether a bracket at one end of ``quote`` has no partner inside it."""
    pairs = {"(": ")", ")": "(", "[": "]", "]": "["}
    return end in pairs and quote.count(end) > quote.count(pairs[end])


def _next_space(text: str, lo: int, hi: int) -> int:
    found = text.find(" ", lo, hi)
    return found if found >= 0 else lo


# --- nouns ----------------------------------------------------------------------

_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "staff": "staff",
    "capita": "person",
}
_NOT_PLURAL = frozenset(
    {
        "gas",
        "bus",
        "news",
        "series",
        "species",
        "means",
        "analysis",
        "basis",
        "status",
        "campus",
        "corpus",
        "census",
        "chassis",
        "lens",
        "bonus",
        "this",
        "its",
        "his",
        "has",
        "was",
        "is",
        "us",
        "does",
        "yes",
        "across",
        "plus",
        "thus",
        "less",
        "unless",
    }
)


def is_plural(word: str) -> bool:
    """Whether an English noun looks plural: 'homes', 'GPUs', 'people' (not 'news')."""
    lower = word.lower()
    if lower in _IRREGULAR or (len(word) > 2 and word[-1] == "s" and word[-2].isupper()):
        return True  # 'people', 'GPUs'
    return (
        len(lower) > 2
        and lower.endswith("s")
        and lower not in _NOT_PLURAL
        and not lower.endswith(("ss", "us", "is"))
    )


def singular(word: str) -> str:
    """The singular of an English plural noun: 'companies' -> 'company', 'GPUs' -> 'GPU'.

    >>> [singular(w) for w in ("homes", "companies", "boxes", "people", "GPUs", "news")]
    ['home', 'company', 'box', 'person', 'GPU', 'news']
    """
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if not is_plural(word):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]
