"""Prose in terminal output: folding white space and wrapping under a prefix."""

from __future__ import annotations

import textwrap

#: Terminal output is wrapped to this width, indentation included.
WIDTH = 100


def flat(text: str) -> str:
    """Fold runs of white space (YAML line breaks) into single spaces; words stay verbatim."""
    return " ".join(text.split())


def wrap(text: str, first: str, rest: str, *, width: int = WIDTH) -> list[str]:
    """Wrap ``text`` into lines that start with ``first``, then ``rest``.

    URLs and hyphenated words are never broken.

    >>> wrap("one two three", "- ", "  ", width=9)
    ['- one two', '  three']
    """
    room = max(width - len(rest), 40 if width >= 60 else 1)
    lines = textwrap.wrap(flat(text), width=room, break_long_words=False, break_on_hyphens=False)
    return [(first if i == 0 else rest) + line for i, line in enumerate(lines)]
