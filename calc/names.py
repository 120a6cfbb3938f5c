"""Suggestions for misspelled names: "did you mean per_home_load?"."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def closest(name: str, known: Iterable[str], *, count: int = 3) -> str:
    """The closest known names, quoted and joined with 'or'; '' when none is close."""
    matches = difflib.get_close_matches(name, list(known), n=count, cutoff=0.6)
    return " or ".join(repr(m) for m in matches)


# --- names that reach output -----------------------------------------------------------

#: What each kind of name may hold. Names are printed in tables, reports, HTML and CSV,
#: so none may hold white space, quotes, markup or control characters.
_NAME_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "name": (
        re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}"),
        "names start with a letter and hold letters, digits and '_' (100 at most)",
    ),
    "id": (
        re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"),
        "ids start with a letter or digit and hold letters, digits, '.', '-' and '_' (100 at most)",
    ),
    "unit": (
        re.compile(r"[a-z][a-z0-9_]{0,39}"),
        "a count unit is a lower-case word of letters, digits and '_', such as 'robot'",
    ),
    "plural": (
        re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}"),
        "give one word of letters, digits and '_', such as 'robots'",
    ),
}


def name_problem(text: object, kind: str = "name") -> str | None:
    """Why ``text`` cannot be a name of this kind ('name', 'id', 'unit' or 'plural'), or
    None when it can. The one check for every name that reaches output: inputs, derived
    quantities, claims, catalogue ids and count units.

    >>> name_problem("per_home_load") is None
    True
    >>> name_problem("a|b")
    "names start with a letter and hold letters, digits and '_' (100 at most)"
    """
    pattern, rule = _NAME_RULES[kind]
    return None if isinstance(text, str) and pattern.fullmatch(text) else rule
