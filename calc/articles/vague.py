"""Vague amounts: "hundreds of thousands of GPUs", "tens of thousands of racks",
"hundreds of megawatts". They state no figure, but they do state a range: tens of
thousands are 20,000 to 90,000 (ten thousand alone is not "tens"), hundreds of
megawatts 200 to 900 MW. ``vague_figures`` reads them as figures with that range, of
a count calc knows (GPUs, racks, homes) or a power, and nothing else.
"""

from __future__ import annotations

import re

from calc.articles.figures import Figure
from calc.units.notation.words import COUNT_NOUNS, COUNT_PHRASES

#: "tens" and "hundreds": the range of the multiplier each states.
_MULTIPLIER = {"tens": (20, 90), "hundreds": (200, 900)}
_SCALE = {"thousands": 1e3, "millions": 1e6}
_POWER_UNITS = {
    "megawatts": "megawatt",
    "mw": "megawatt",
    "gigawatts": "gigawatt",
    "gw": "gigawatt",
}

_VAGUE = re.compile(
    r"(?i)\b(?P<many>tens|hundreds)\s+of\s+(?:(?P<scale>thousands|millions)(?:\s+of\b)?|"
    r"(?P<power>megawatts|gigawatts|MW|GW)\b)"
)
#: Where the noun phrase after "hundreds of thousands of" ends: a clause break or a
#: word that starts a new phrase.
_PHRASE_END = re.compile(
    r"[,;:!?]|\.(?:\s|$)|\s(?:that|which|who|to|and|with|in|for|at|is|are|was|were|will|"
    r"would|could|can|on|by|from|as|across|when|while)\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
#: How far after the words the counted noun may stand.
NOUN_REACH = 80


def vague_figures(text: str) -> list[Figure]:
    """Each vague amount of GPUs, racks, homes or power in ``text``, as a range figure."""
    found = []
    for match in _VAGUE.finditer(text):
        low, high = _MULTIPLIER[match["many"].lower()]
        if match["power"]:
            unit = _POWER_UNITS[match["power"].lower()]
            end = match.end()
        else:
            counted = _counted(text, match.end())
            if counted is None:
                continue
            unit, end = counted
            scale = _SCALE[match["scale"].lower()]
            low, high = low * scale, high * scale
        words = text[match.start() : end]
        found.append(
            Figure(
                value=(low + high) / 2,
                unit=unit,
                text=words,
                quote=words,
                offset=match.start(),
                low=float(low),
                high=float(high),
                noun=None if match["power"] else words[match.end() - match.start() :].strip(),
            )
        )
    return found


def _counted(text: str, start: int) -> tuple[str, int] | None:
    """The count unit of the noun phrase from ``start`` (its last noun calc counts,
    'GPU racks' count racks) and where that noun ends; None when it counts nothing
    calc knows."""
    stop = _PHRASE_END.search(text, start, start + NOUN_REACH)
    phrase_end = stop.start() if stop else min(len(text), start + NOUN_REACH)
    best = None
    words = list(_WORD.finditer(text, start, phrase_end))
    for i, word in enumerate(words):
        lowered = word.group().lower()
        unit = COUNT_NOUNS.get(lowered) or COUNT_NOUNS.get(lowered.removesuffix("s"))
        for size in (3, 2):
            group = tuple(w.group().lower() for w in words[i : i + size])
            if len(group) == size and group in COUNT_PHRASES:
                unit, word = COUNT_PHRASES[group], words[i + size - 1]
                break
        if unit is not None:
            best = (unit, word.end())
    return best
