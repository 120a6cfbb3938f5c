"""Text from scenario and catalogue files, made inert for each kind of reader.

A title, a claim, a quote or a URL is written by whoever wrote the file, and calc shows
it to someone else: on a terminal, in a Markdown report, in notebook HTML, in a CSV that
a spreadsheet opens. Each function here makes such text shown, never acted on:

- ``terminal``: control and escape sequences (CSI, OSC: window titles, the clipboard),
  C1 controls and bidi overrides are shown as visible escapes such as ``\\u001b``.
- ``markdown_text`` / ``markdown_code`` / ``markdown_table``: no text can end a table
  cell, open raw HTML or make a link.
- ``safe_url``: only http and https URLs become links.
- ``csv_cell`` / ``csv_text``: a cell a spreadsheet would read as a formula is prefixed
  with a single quote (OWASP's rule for CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

# --- terminal -----------------------------------------------------------------

#: Characters that change how a terminal shows text: C0 controls but line feed and tab,
#: DEL, the C1 controls (U+009B is a one-byte CSI), line and paragraph separators, and
#: the bidi controls that reorder what follows them (U+202E, U+2066-U+2069...).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROL}]")
_UNSAFE_IN_LINE = re.compile(f"[{_CONTROL}\n\t]")


def _visible(match: re.Match[str]) -> str:
    """A JSON-style escape: visible on a terminal, and still valid inside a JSON string
    (where it reads back as the same character)."""
    return f"\\u{ord(match.group()):04x}"


def terminal(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape, never sent as is.

    Line feeds and tabs stay, unless ``one_line`` (a table cell, a title), where they
    are shown too. The result holds only printable text, so applying it twice is the
    same as once.

    >>> terminal("ok\\x1b]0;owned\\x07 \\u202eevil")
    'ok\\\\u001b]0;owned\\\\u0007 \\\\u202eevil'
    """
    return (_UNSAFE_IN_LINE if one_line else _UNSAFE).sub(_visible, text)


def has_control(text: str) -> bool:
    """True when ``text`` holds a character ``terminal`` would escape (line feed and tab
    aside)."""
    return _UNSAFE.search(text) is not None


# --- Markdown -----------------------------------------------------------------

#: What could start a code span, a link or image, raw HTML or an autolink, end a table
#: cell, or escape the next character; '(' after ']' and '!' before '[' as well, so not
#: even the outline of a link is left. Each gets a backslash. Emphasis, which cannot act
#: on a reader, is left alone, and so are parentheses elsewhere: '(1.03x)' reads as is.
_MARKDOWN_INLINE = re.compile(r"([\\`\[\]<|]|!(?=\[)|(?<=\])\()")
#: At the start of a paragraph these would make a heading, quote, list or rule.
_MARKDOWN_BLOCK = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


class Code(str):
    """A table cell shown as code (a name, a formula) by ``markdown_table``."""

    __slots__ = ()


def markdown_text(text: str) -> str:
    """Plain text as inline Markdown that shows the same characters and nothing more:
    one line, no code, link, image, raw HTML or cell break.

    >>> print(markdown_text("a | b [x](javascript:y) <img src=z>"))
    a \\| b \\[x\\]\\(javascript:y) \\<img src=z>
    """
    return _MARKDOWN_INLINE.sub(r"\\\1", _one_line(text))


def markdown_paragraph(text: str) -> str:
    """``markdown_text`` for a paragraph of its own: a leading '#', '>', '-', '1.' stays text."""
    return _MARKDOWN_BLOCK.sub(r"\1\\\2", markdown_text(text), count=1)


def markdown_code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks or pipes it holds.

    >>> markdown_code("a`b")
    '``a`b``'
    """
    body = _one_line(text).replace("|", "\\|")  # GFM reads \\| as | inside a cell's code
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip() else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table, one line per row: ``Code`` cells as code spans, the rest as text."""

    def cells(row: Sequence[str]) -> str:
        return "| " + " | ".join(_markdown_cell(c) for c in row) + " |"

    return [cells(header), "|" + "|".join("---" for _ in header) + "|", *map(cells, rows)]


def _markdown_cell(cell: str) -> str:
    return markdown_code(cell) if isinstance(cell, Code) else markdown_text(str(cell))


def _one_line(text: str) -> str:
    """White space folded (a YAML line break is not a new block), controls made visible."""
    return terminal(" ".join(text.split()), one_line=True)


# --- URLs ---------------------------------------------------------------------

_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http or https URL that can be a link, else None
    (``javascript:``, ``data:``, or one with spaces, quotes or angle brackets)."""
    if url is None or not _WEB_URL.fullmatch(url):
        return None
    return url


# --- CSV ----------------------------------------------------------------------

#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection), with the
#: full-width forms some spreadsheets fold to them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a string that starts with a formula
    character, even after white space, gets a leading single quote; numbers, and strings
    that are just a number such as '-5', stay as they are.

    >>> [csv_cell(v) for v in ["=1+1", " @SUM(A1)", "-5", -5.0, "-5 GW", "GW"]]
    ["'=1+1", "' @SUM(A1)", '-5', -5.0, "'-5 GW", 'GW']
    """
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    if value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text, every cell through ``csv_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()
