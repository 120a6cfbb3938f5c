"""Labelled figures for calc.extract, and precision and recall against them.

The labels live in ``tests/cases/``: ``figure_sentences.yaml`` (sentences written for
the tests), ``figure_sentences_heldout_real.yaml`` (sentences from real articles, all held
out) and ``seed_figures.yaml`` (every figure in the five seed articles). Used by
``tests/test_figures.py`` and by ``bench/extract_quality.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from calc.articles.figures import Figure
from calc.units.registry import Q_

CASES = Path(__file__).resolve().parent / "cases"
ROOT = CASES.parent.parent


@dataclass(frozen=True)
class Label:
    """A figure as a careful reader states it, or a known miss or false find."""

    text: str
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    quote: str | None = None
    offset: int | None = None
    missed: str | None = None
    wrong: str | None = None

    @property
    def stated(self) -> bool:
        """Whether the text states this figure (a label of a wrong find does not)."""
        return self.wrong is None


@dataclass(frozen=True)
class Score:
    """Counts of figures found rightly (tp), wrongly (fp) and not found (fn)."""

    tp: int
    fp: int
    fn: int

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True)
class Sentence:
    """A labelled sentence; ``held_out`` ones were labelled before calc first read them."""

    text: str
    labels: tuple[Label, ...]
    held_out: bool = False
    real_article: str | None = None


def load_sentences(*, real_articles: bool = True) -> list[Sentence]:
    """The labelled sentences of ``figure_sentences.yaml``, then (unless ``real_articles``
    is false) those of ``figure_sentences_heldout_real.yaml``, which are all held out.

    The tests leave the real-article sentences out: they measure calc, and only
    ``bench/extract_quality.py`` scores them, so that calc is never tuned on them.
    """
    data = yaml.safe_load((CASES / "figure_sentences.yaml").read_text(encoding="utf-8"))
    sentences = [
        Sentence(
            case["text"],
            tuple(Label(**f) for f in case["figures"]),
            held_out=case.get("held_out", False),
        )
        for case in data
    ]
    if real_articles:
        real = (CASES / "figure_sentences_heldout_real.yaml").read_text(encoding="utf-8")
        sentences += [
            Sentence(
                case["text"],
                tuple(Label(**f) for f in case["figures"]),
                held_out=True,
                real_article=case["article"],
            )
            for case in yaml.safe_load(real)
        ]
    return sentences


def load_seeds() -> list[tuple[Path, list[Label]]]:
    """The seed articles and their labelled figures: (path, labels)."""
    data = yaml.safe_load((CASES / "seed_figures.yaml").read_text(encoding="utf-8"))
    return [
        (ROOT / "seeds" / name, [Label(**f) for f in figures or []])
        for name, figures in data.items()
    ]


def matches(figure: Figure, label: Label) -> bool:
    """Same words, same quantity (and range), same qualifier."""
    figure.define_units()
    if " ".join(figure.text.split()) != label.text or figure.qualifier != label.qualifier:
        return False
    if (figure.low is None) != (label.low is None):
        return False
    pairs = [(figure.value, label.value)]
    if figure.low is not None and figure.high is not None:
        pairs += [(figure.low, label.low), (figure.high, label.high)]
    return all(_same(f, figure.unit, v, label.unit) for f, v in pairs)


def _same(value: float, unit: str, expected: float | None, expected_unit: str) -> bool:
    try:
        return math.isclose(
            Q_(value, unit).to(expected_unit).magnitude,
            float(expected or 0),
            rel_tol=1e-9,
            abs_tol=1e-12,
        )
    except Exception:  # different dimensions, or a unit the other side lacks
        return False


def score(found: Sequence[Figure], labels: Sequence[Label]) -> Score:
    """Match found figures to labels one to one, in order."""
    unmatched = [label for label in labels if label.stated]
    tp = fp = 0
    for figure in found:
        hit = next((label for label in unmatched if matches(figure, label)), None)
        if hit is None:
            fp += 1
        else:
            unmatched.remove(hit)
            tp += 1
    return Score(tp=tp, fp=fp, fn=len(unmatched))
