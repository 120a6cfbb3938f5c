"""Where things are in an article: its paragraphs and sentences, as character spans.

``calc audit`` pairs figures by nearness in the text: same sentence first, then same
paragraph. A paragraph ends at a blank line; a sentence at '.', '!' or '?' followed by
space and a capital, a quote or a digit, unless the word before is an abbreviation
that rarely ends a sentence ('U.S.', 'Inc.', 'approx.').
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[A-Z0-9\"'\u201c\u2018(])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.){1,3}$|\b(?:Inc|Corp|Co|Ltd|Mr|Mrs|Ms|Dr|St|vs|approx|est|No|Jan|Feb|Mar"
    r"|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$"
)


@dataclass(frozen=True)
class Layout:
    """The sentence and paragraph each character offset of a text falls in."""

    sentence_starts: tuple[int, ...]
    paragraph_starts: tuple[int, ...]

    def sentence(self, offset: int) -> int:
        """The index of the sentence holding ``offset``."""
        return bisect.bisect_right(self.sentence_starts, offset) - 1

    def paragraph(self, offset: int) -> int:
        """The index of the paragraph holding ``offset``."""
        return bisect.bisect_right(self.paragraph_starts, offset) - 1

    def one_sentence(self, paragraph: int) -> bool:
        """Whether the paragraph of that index holds a single sentence."""
        start = self.paragraph_starts[paragraph]
        end = (
            self.paragraph_starts[paragraph + 1]
            if paragraph + 1 < len(self.paragraph_starts)
            else None
        )
        inside = [s for s in self.sentence_starts if s >= start and (end is None or s < end)]
        return len(inside) <= 1

    def sentence_span(self, offset: int, text_length: int) -> tuple[int, int]:
        """The start and end of the sentence holding ``offset``."""
        i = self.sentence(offset)
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else text_length
        return self.sentence_starts[i], end


def layout(text: str) -> Layout:
    """The paragraphs and sentences of ``text``.

    >>> lay = layout("It is 30 GW. That is 25 million U.S. homes.\\n\\nNew point.")
    >>> lay.sentence_starts, lay.paragraph_starts
    ((0, 13, 45), (0, 45))
    """
    paragraphs = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    sentences = set(paragraphs)
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if not _ABBREVIATION.search(before.rstrip("\"'\u201d\u2019)")):
            sentences.add(match.end())
    return Layout(tuple(sorted(sentences)), tuple(paragraphs))
