"""How well ``calc audit`` finds the checks an analyst makes, measured on hand labels.

Usage: python bench/audit_quality.py [--verbose]

The labels in tests/cases/audit/ were written before calc read the articles (see the
README there). For each set (the five seeds, audited together so a deal valued in one
meets "no commitment" in another; and the held-out articles, each audited alone) it
prints:

- recall: the share of labelled checks calc makes. A calc check matches a label when
  its figures lie inside the label's quoted spans, touching as many of them as it can,
  and its kind is the label's (or both are checks of the article against itself);
- precision: the share of calc's checks that some label matches;
- verdict agreement: among the labels found, the share where calc's verdict is the
  label's.

Targets (issue #15): on the seeds every labelled check is found; on the held-out
articles recall >= 80% and verdict agreement >= 85%.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc.analysis.audit import audit_records  # noqa: E402

LABELS = ROOT / "tests" / "cases" / "audit"
SELF = {"stated-twice", "rate-time", "per-unit-count", "parts-total"}
TARGETS = {"seeds": (1.0, None), "held-out": (0.80, 0.85)}


def _spans(label_file: Path, label: dict) -> list[tuple[Path, int, int, int]]:
    """Where each quote of a label lies: (article, start, end)."""
    article = (label_file.parent / label["article"]).resolve()
    text = article.read_text(encoding="utf-8")
    spans = [s for q, quote in enumerate(label["quotes"]) for s in _every(article, text, quote, q)]
    for n, other in enumerate(label.get("against", []), start=len(label["quotes"])):
        path = (label_file.parent / other["article"]).resolve()
        spans += _every(path, path.read_text(encoding="utf-8"), other["quote"], n)
    return spans


def _every(path: Path, text: str, quote: str, number: int) -> list[tuple[Path, int, int, int]]:
    """Every place the quote stands in the text: a label names words, not a place."""
    found, at = [], text.find(quote)
    while at >= 0:
        found.append((path, at, at + len(quote), number))
        at = text.find(quote, at + 1)
    return found


def _matches(label_spans: list[tuple[Path, int, int, int]], kind: str, check: dict) -> bool:
    if not (kind == check["kind"] or (kind in SELF and check["kind"] in SELF)):
        return False
    touched = set()
    for figure in check["figures"]:
        path = Path(figure["article"]).resolve()
        inside = [
            number
            for p, start, end, number in label_spans
            if p == path and figure["offset"] < end and figure["end"] > start
        ]
        if not inside:
            return False
        touched.update(inside)
    quotes = {number for *_, number in label_spans}
    return len(touched) >= min(len(quotes), len(check["figures"]))


def score(name: str, groups: list[tuple[list[Path], list[tuple[Path, dict]]]], verbose: bool):
    labels_total = found = agree = calc_total = calc_matched = 0
    for articles, labelled in groups:
        _, records = audit_records(articles)
        checks = [c for r in records for c in r["checks"]]
        calc_total += len(checks)
        matched_checks: set[int] = set()
        for label_file, doc in labelled:
            for check in doc["checks"]:
                labels_total += 1
                spans = _spans(label_file, {**doc, **check})
                hits = [i for i, c in enumerate(checks) if _matches(spans, check["kind"], c)]
                matched_checks.update(hits)
                if not hits:
                    if verbose:
                        print(f"  MISSED {label_file.name} {check['id']} ({check['kind']})")
                    continue
                found += 1
                verdicts = {checks[i]["verdict"] for i in hits}
                if check["verdict"] in verdicts:
                    agree += 1
                elif verbose:
                    print(
                        f"  VERDICT {label_file.name} {check['id']}: label {check['verdict']}, "
                        f"calc {sorted(verdicts)}"
                    )
        calc_matched += len(matched_checks)
        if verbose:
            for i, c in enumerate(checks):
                if i not in matched_checks:
                    where = Path(c["figures"][0]["article"]).name
                    print(f"  EXTRA {where}: {c['text']} ({c['verdict']})")
    recall = found / labels_total if labels_total else 0.0
    precision = calc_matched / calc_total if calc_total else 0.0
    agreement = agree / found if found else 0.0
    want_recall, want_agree = TARGETS[name]
    print(
        f"{name:9} recall {recall:6.1%} ({found}/{labels_total}, target {want_recall:.0%})  "
        f"precision {precision:6.1%} ({calc_matched}/{calc_total})  "
        f"verdicts agree {agreement:6.1%} ({agree}/{found}"
        + (f", target {want_agree:.0%})" if want_agree else ")")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and extras")
    args = parser.parse_args()
    seeds, held_out = [], []
    for label_file in sorted(LABELS.glob("*.yaml")):
        doc = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        entry = (label_file, doc)
        (seeds if label_file.name.startswith("seed-") else held_out).append(entry)
    seed_articles = [(f.parent / d["article"]).resolve() for f, d in seeds]
    score("seeds", [(seed_articles, seeds)], args.verbose)
    score(
        "held-out",
        [([(f.parent / d["article"]).resolve()], [(f, d)]) for f, d in held_out],
        args.verbose,
    )


if __name__ == "__main__":
    main()
