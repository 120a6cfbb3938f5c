"""Precision and recall of `calc extract` against labelled figures.

Run by hand:  .venv/bin/python bench/extract_quality.py [--verbose]

Scores the five seed articles (tests/cases/seed_figures.yaml), the sentences written
for the tests (tests/cases/figure_sentences.yaml), the held-out ones apart, and the
held-out sentences from real articles (figure_sentences_heldout_real.yaml). A found
figure counts as right when its words, value, unit, range and qualifier all match a
label. --verbose lists every miss and every wrong find.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc import extract  # noqa: E402
from tests.figure_cases import (  # noqa: E402
    Label,
    Score,
    load_seeds,
    load_sentences,
    matches,
    score,
)


def _report(name: str, total: Score) -> str:
    found, labelled = f"{total.tp}/{total.tp + total.fp}", f"{total.tp}/{total.tp + total.fn}"
    return (
        f"{name:<22} precision {total.precision:6.1%} {found:>8}"
        f"   recall {total.recall:6.1%} {labelled:>8}"
    )


def _errors(where: str, text: str, labels: tuple[Label, ...] | list[Label]) -> list[str]:
    found = extract(text)
    wrong = [
        f"  wrong  {where}: {f.text!r} = {f.display()}"
        for f in found
        if not any(label.stated and matches(f, label) for label in labels)
    ]
    missed = [
        f"  missed {where}: {label.text!r} ({label.missed or 'not found'})"
        for label in labels
        if label.stated and not any(matches(f, label) for f in found)
    ]
    return wrong + missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list misses and wrong finds")
    args = parser.parse_args()

    seeds = load_seeds()
    sentences = load_sentences()
    totals = {
        "seeds (5 articles)": Score(0, 0, 0),
        "sentences, tuned": Score(0, 0, 0),
        "sentences, held out": Score(0, 0, 0),
        "  of them real": Score(0, 0, 0),
    }
    errors: list[str] = []
    for path, labels in seeds:
        text = path.read_text(encoding="utf-8")
        totals["seeds (5 articles)"] += score(extract(text), labels)
        errors += _errors(path.name, text, labels)
    for sentence in sentences:
        key = "sentences, held out" if sentence.held_out else "sentences, tuned"
        found = score(extract(sentence.text), sentence.labels)
        totals[key] += found
        if sentence.real_article:
            totals["  of them real"] += found
        errors += _errors(sentence.text[:40] + "...", sentence.text, sentence.labels)
    totals["sentences, all"] = totals["sentences, tuned"] + totals["sentences, held out"]
    print(
        f"calc extract against labelled figures ({len(seeds)} seeds, {len(sentences)} sentences)\n"
    )
    for name, total in totals.items():
        print(_report(name, total))
    if args.verbose and errors:
        print("\n" + "\n".join(errors))


if __name__ == "__main__":
    main()
