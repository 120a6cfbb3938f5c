"""The audit labels (#15) and the quotations they point into.

Each label file must keep the schema of ``tests/cases/audit/README.md``, use its
vocabulary, and quote its article verbatim. The articles are quotations, not copies: each
sentence in them carries a labelled quote or is a held-out sentence of
``figure_sentences_heldout_real.yaml`` (#12). Nothing here runs calc on the articles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

AUDIT = Path(__file__).resolve().parent / "cases" / "audit"
HELD_OUT = AUDIT.parent / "figure_sentences_heldout_real.yaml"

KINDS = {
    "power-homes",
    "money-power",
    "gpus-power",
    "racks-power",
    "money-gpus",
    "money-racks",
    "energy-time",
    "share-us-electricity",
    "plant-comparison",
    "parts-total",
    "rate-time",
    "per-unit-count",
    "stated-twice",
    "money-money",
}
VERDICTS = {
    "consistent",
    "overstated",
    "understated",
    "conflict",
    "arithmetic error",
    "not comparable",
    "unit error",
    "unsupported",
}
TOP_FIELDS = {"article", "source", "labelled", "checks"}
SOURCE_FIELDS = {"publisher", "title", "url", "date"}
CHECK_FIELDS = {"id", "kind", "quotes", "formula", "reference", "verdict", "note"}

LABEL_FILES = sorted(AUDIT.glob("*.yaml"))
ARTICLES = sorted((AUDIT / "articles").glob("*.txt"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _quotes() -> dict[Path, list[str]]:
    """Every quoted span, own and ``against``, by the article file it quotes."""
    quotes: dict[Path, list[str]] = {}
    for path in LABEL_FILES:
        label = _load(path)
        for check in label["checks"]:
            quotes.setdefault((AUDIT / label["article"]).resolve(), []).extend(check["quotes"])
            for other in check.get("against") or []:
                quotes.setdefault((AUDIT / other["article"]).resolve(), []).append(other["quote"])
    return quotes


def _held_out() -> dict[Path, list[str]]:
    """The held-out sentences, by the article file they come from."""
    sentences: dict[Path, list[str]] = {}
    for case in _load(HELD_OUT):
        path = (AUDIT / "articles" / f"{case['article']}.txt").resolve()
        sentences.setdefault(path, []).append(case["text"])
    return sentences


QUOTES, HELD = _quotes(), _held_out()


@pytest.mark.parametrize("path", LABEL_FILES, ids=[p.stem for p in LABEL_FILES])
def test_label_file_has_the_schema_fields(path):
    label = _load(path)
    assert label.keys() >= TOP_FIELDS, TOP_FIELDS - label.keys()
    assert label["source"].keys() >= SOURCE_FIELDS, SOURCE_FIELDS - label["source"].keys()
    assert label["source"]["title"] and label["source"]["publisher"]
    assert isinstance(label["checks"], list)  # empty when nothing is worth checking
    for check in label["checks"]:
        assert check.keys() >= CHECK_FIELDS, (check.get("id"), CHECK_FIELDS - check.keys())
        assert check["quotes"] and all(isinstance(q, str) and q for q in check["quotes"])
        for other in check.get("against") or []:
            assert {"article", "quote"} <= other.keys(), (check["id"], other)
    ids = [check["id"] for check in label["checks"]]
    assert len(ids) == len(set(ids)), f"repeated check ids: {ids}"


@pytest.mark.parametrize("path", LABEL_FILES, ids=[p.stem for p in LABEL_FILES])
def test_label_kinds_and_verdicts_are_from_the_vocabulary(path):
    checks = _load(path)["checks"]
    assert [c["kind"] for c in checks if c["kind"] not in KINDS] == []
    assert [c["verdict"] for c in checks if c["verdict"] not in VERDICTS] == []


def test_the_vocabulary_is_the_one_the_readme_states():
    readme = (AUDIT / "README.md").read_text(encoding="utf-8")
    kinds = re.search(r"^Kinds: (.*?)\. Verdicts: (.*?)\. ", readme, re.M | re.S)
    assert kinds is not None
    words = [{w.strip() for w in group.split(",")} for group in kinds.groups()]
    assert words == [KINDS, VERDICTS]


def test_every_article_has_a_label_file_and_every_label_file_its_article():
    labelled = {(AUDIT / _load(p)["article"]).resolve() for p in LABEL_FILES}
    assert {p.resolve() for p in ARTICLES} <= labelled
    assert [str(p) for p in labelled if not p.is_file()] == []


@pytest.mark.parametrize("path", LABEL_FILES, ids=[p.stem for p in LABEL_FILES])
def test_every_quote_is_verbatim_in_its_article(path):
    label = _load(path)
    spans = [((AUDIT / label["article"]), q) for c in label["checks"] for q in c["quotes"]]
    spans += [
        ((AUDIT / o["article"]), o["quote"])
        for c in label["checks"]
        for o in c.get("against") or []
    ]
    missing = [(p.name, q) for p, q in spans if q not in p.read_text(encoding="utf-8")]
    assert missing == []


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_every_held_out_sentence_is_verbatim_in_its_article(path):
    text = path.read_text(encoding="utf-8")
    sentences = HELD.get(path.resolve(), [])
    assert [s for s in sentences if s not in text] == []


def test_every_held_out_sentence_names_an_article_that_exists():
    assert [str(p) for p in HELD if not p.is_file()] == []


# A sentence ends at . ! ? (and closing quote marks) before a capital or a digit, except
# after an abbreviation such as U.S. or Dr.; a line or a blank line also ends one.
_CLOSE, _OPEN = '"\u201d\u2019)', '"\u201c\u2018(\\['  # with curly quote marks
_END = re.compile(f"[.!?][{_CLOSE}]*\\s+(?=[{_OPEN}]?[A-Z0-9$\u00a3\u20ac])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Inc|Corp|Co|Ltd|St|vs|"
    r"etc|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)


def _sentences(text: str) -> list[str]:
    found = []
    for line in filter(str.strip, text.split("\n")):
        start = 0
        for end in _END.finditer(line):
            if not _ABBREVIATION.search(line[start : end.start() + 1]):
                found.append(line[start : end.start() + len(end.group(0).rstrip())].strip())
                start = end.end()
        found.append(line[start:].strip())
    return found


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_article_is_quotations_only(path):
    """No sentence is kept that neither carries a labelled quote nor is held out."""
    text = path.read_text(encoding="utf-8")
    quotes, held = QUOTES.get(path.resolve(), []), HELD.get(path.resolve(), [])
    unquoted = [
        s
        for s in _sentences(text)
        if not any(q in s for q in quotes) and not any(s in h for h in held)
    ]
    assert unquoted == []


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("A 400 MW site. It powers 300,000 homes.", ["A 400 MW site.", "It powers 300,000 homes."]),
        (
            "The U.S. Energy Information Administration said 4%.\n\nFive sites.",
            ["The U.S. Energy Information Administration said 4%.", "Five sites."],
        ),
        ("He said “it is giant.” Nvidia rose 4%.", ["He said “it is giant.”", "Nvidia rose 4%."]),
        ("| 1 MW | ~750 homes |", ["| 1 MW | ~750 homes |"]),
    ],
)
def test_sentences_splits_as_the_quotations_were_cut(text, sentences):
    assert _sentences(text) == sentences
