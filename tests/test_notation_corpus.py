"""The shared corpus of article notation (#12): every written form, through every entry
point that accepts it, reads as a careful reader means it, or is refused with its readings.

The forms are in ``tests/cases/notation.yaml`` (see ``tests/notation_cases.py``). The
``text | entry`` pairs calc reads wrongly today are listed in
``tests/cases/notation_known_failures.txt`` and marked as strict expected failures: one that
starts passing fails the suite until it is taken off the list, so the list only shrinks.
"""

from __future__ import annotations

import itertools

import pytest
import yaml

from .notation_cases import (
    ENTRY_POINTS,
    KNOWN_FAILURES,
    CorpusError,
    NotationCase,
    key_words,
    load_corpus,
    load_known_failures,
    names_reading,
    problems,
    run,
    same_reading,
)

CORPUS = load_corpus()
KNOWN = load_known_failures(CORPUS)
_NOT_BUILT = "issue 12: one reader of notation not built yet"


def _case_params() -> list[pytest.ParameterSet]:
    params = []
    for case in CORPUS.cases:
        for entry in case.entry:
            marks = (
                [pytest.mark.xfail(strict=True, reason=_NOT_BUILT)]
                if case.case_id(entry) in KNOWN
                else []
            )
            params.append(pytest.param(case, entry, id=case.case_id(entry), marks=marks))
    return params


@pytest.mark.parametrize(("case", "entry"), _case_params())
def test_each_form_reads_as_a_careful_reader_means_it(case: NotationCase, entry: str) -> None:
    wrong = problems(case, entry, run(case, entry))
    assert not wrong, f"{case.case_id(entry)}: " + "; ".join(wrong)


def _working(case: NotationCase) -> list[str]:
    return [entry for entry in case.entry if case.case_id(entry) not in KNOWN]


_SHARED = [case for case in CORPUS.cases if len(_working(case)) >= 2]


@pytest.mark.parametrize("case", _SHARED, ids=[case.text for case in _SHARED])
def test_entry_points_that_accept_a_form_agree_on_it(case: NotationCase) -> None:
    """A silent disagreement between two entry points fails, whatever the corpus expects."""
    outcomes = {entry: run(case, entry) for entry in _working(case)}
    for (first, a), (second, b) in itertools.combinations(outcomes.items(), 2):
        assert same_reading(a, b), f"{case.text!r}: {first} reads {a}, {second} reads {b}"


# --- the corpus itself ------------------------------------------------------------------


def test_the_corpus_holds_every_row_of_the_table_in_issue_12() -> None:
    table = {
        "700,000 homes a day",
        "2,000 racks a week",
        "$2.6 T",
        "$3.3 B",
        "30 GW / 25M homes",
        "10.2 kW per 8 GPUs",
        "5x",
        "fivefold",
        "two-thirds",
        "€4.6 billion",
        "rose from 50% to 80%",
        "555,000 graphics processors",
        "750,000 to 1.3 million average American homes",
        "Three Mile Island",
        "two Three Gorges Dams",
    }
    texts = {case.text: case for case in CORPUS.cases}
    assert table <= set(texts)
    assert {"value", "eval", "extract"} <= set(texts["700,000 homes a day"].entry)
    assert {"value", "eval"} <= set(texts["$2.6 T"].entry)


def test_the_corpus_is_large_and_covers_every_entry_point() -> None:
    assert len(CORPUS.cases) >= 300
    for entry in ENTRY_POINTS:
        assert sum(entry in case.entry for case in CORPUS.cases) >= 100, entry
    assert sum(case.refuse is not None for case in CORPUS.cases) >= 15


def test_every_refusal_names_the_ambiguous_letter_s_readings_with_distinct_words() -> None:
    for case in CORPUS.cases:
        if case.refuse is not None:
            words = [frozenset(w.lower() for w in key_words(r)) for r in case.refuse]
            assert len(set(words)) == len(words), case.text


@pytest.mark.parametrize(
    ("message", "reading", "named"),
    [
        ("'5 M' could be 5 mega, 5 million or 5 molar", "5 molar", True),
        ("'5 M' could be 5 MEGA or 5 Million", "5 million", True),
        ("'5 M' could be mega or million", "5 molar", False),
        ("'1,5 GW' reads as 1.5 GW", "15 GW", False),
        ("write 2 billion GBP or 2 billion lb", "2 billion lb", True),
    ],
)
def test_a_reading_is_named_by_each_of_its_key_words(
    message: str, reading: str, named: bool
) -> None:
    assert names_reading(message, reading) is named


def test_the_known_failures_list_names_only_cases_of_the_corpus(tmp_path) -> None:
    listed = tmp_path / "known.txt"
    listed.write_text("# header\n5 M | value\nno such form | eval\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no such form"):
        load_known_failures(CORPUS, listed)
    assert KNOWN_FAILURES.read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ({"text": "5 GW", "entry": ["value"]}, "exactly one of"),
        (
            {
                "text": "5 GW",
                "entry": ["value"],
                "expect": {"value": 5, "unit": "GW"},
                "refuse": ["a", "b"],
            },
            "exactly one of",
        ),
        (
            {"text": "5 GW", "entry": ["value"], "expect": {"value": 5, "unit": "gigawot"}},
            "does not parse",
        ),
        ({"text": "5 GW", "entry": ["value", "eval"], "expect_figures": []}, "extract only"),
        ({"text": "5 M", "entry": ["extract"], "refuse": ["5 mega", "5 million"]}, "refuses"),
        (
            {"text": "1-2 GW", "entry": ["eval"], "expect": {"low": 1, "high": 2, "unit": "GW"}},
            "no ranges",
        ),
        (
            {"text": "5 GW", "entry": ["value"], "expect": {"value": "5", "unit": "GW"}},
            "expected numbers",
        ),
        ({"text": "5 GW", "entry": ["sum"], "expect": {"value": 5, "unit": "GW"}}, "entry"),
    ],
)
def test_a_malformed_case_is_refused_when_the_corpus_loads(tmp_path, case, error) -> None:
    path = tmp_path / "corpus.yaml"
    path.write_text(yaml.safe_dump({"cases": {"c": [case]}}), encoding="utf-8")
    with pytest.raises(CorpusError, match=error):
        load_corpus(path)
