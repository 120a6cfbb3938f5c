"""Suggestions for misspelled names: "did you mean per_home_load?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str], *, count: int = 3) -> str:
    """The closest known names, quoted and joined with 'or'; '' when none is close."""
    matches = difflib.get_close_matches(name, list(known), n=count, cutoff=0.6)
    return " or ".join(repr(m) for m in matches)
