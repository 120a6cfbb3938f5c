"""Reading prose: clauses, numbers that are not figures, dates, plural nouns."""

from __future__ import annotations

from datetime import date

import pytest

from calc.articles.prose import (
    clause_around,
    first_date,
    is_plural,
    not_figures,
    singular,
    soften_newlines,
)


def clause(text: str, figure: str) -> str:
    start = text.index(figure)
    lo, hi = clause_around(text, start, start + len(figure))
    return text[lo:hi]


@pytest.mark.parametrize(
    ("text", "figure", "expected"),
    [
        (
            "Foxconn grew, in a deal valued at about $5 billion. Next.",
            "$5 billion",
            "in a deal valued at about $5 billion",
        ),
        (
            "It spans three major efforts. First, racks.",
            "three major efforts",
            "It spans three major efforts",
        ),
        # a short clause takes in its neighbour within the sentence
        (
            "Retail sales, all sectors: 3,927.2 TWh (2022), 3,861.3 TWh (2023).",
            "3,861.3 TWh",
            "3,927.2 TWh (2022), 3,861.3 TWh (2023)",
        ),
        # but never across a sentence or a line
        ("It is big. 30 GW.", "30 GW", "30 GW"),
        ("- November 21, 2025\n- 0 Comments\n- 4 minutes read", "0 Comments", "0 Comments"),
        # thousands separators, decimals, 'U.S.' and times do not end a clause
        (
            "The U.S. grid, at 10:30, used 10,791 kWh in all.",
            "10,791 kWh",
            "at 10:30, used 10,791 kWh in all",
        ),
        # quotes and bullets at the ends are trimmed; brackets stay balanced
        (
            "\u201cThis deal is worth $5 billion,\u201d he said.",
            "$5 billion",
            "This deal is worth $5 billion",
        ),
        ("up to 120kW per rack (give or take)", "120kW", "up to 120kW per rack (give or take)"),
    ],
)
def test_the_clause_around_a_figure(text, figure, expected):
    assert clause(text, figure) == expected


def test_an_overlong_clause_is_cut_at_words_around_the_figure():
    text = " ".join(["word"] * 100) + " 30 GW " + " ".join(["more"] * 100)
    quote = clause(text, "30 GW")
    assert "30 GW" in quote and len(quote) <= 240
    assert quote.startswith("word ") and quote.endswith(" more")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("On November 21, 2025 and Nov. 3", ["November 21, 2025", "Nov. 3"]),
        ("7 July, 2025 or 21st of March 2024", ["7 July, 2025", "21st of March 2024"]),
        ("in October 2024", ["October 2024"]),
        ("2025-11-21, 11/21/2025 and 21.11.2025", ["2025-11-21", "11/21/2025", "21.11.2025"]),
        ("at 10:30 a.m., 9 p.m. or 5pm", ["10:30 a.m.", "9 p.m.", "5pm"]),
        ("2024-25, 2022/2023 and the 1990s", ["2024-25", "2022/2023", "1990s"]),
        ("the 14th and 3rd", ["14th", "3rd"]),
        (
            "Section 3, Table 5.1, item #7, No. 4, \u00a7 12, version 1.2.3",
            ["Section 3", "Table 5.1", "#7", "No. 4", "\u00a7 12", "version 1.2.3"],
        ),
        ("1. Introduction\n2. Methods", ["1.", "2."]),
        ("30 GW for 25 million homes", []),
    ],
)
def test_not_figures_finds_dates_times_ordinals_and_labels(text, spans):
    assert [text[a:b].strip() for a, b in not_figures(text)] == spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TAIPEI - November 21, 2025Foxconn", date(2025, 11, 21)),
        ("Top tech news today: 7 July, 2025", date(2025, 7, 7)),
        ("February 30, 2025 then March 1st, 2025", date(2025, 3, 1)),
        ("in 2026", None),
    ],
)
def test_first_date(text, expected):
    assert first_date(text) == expected


def test_soft_newlines_become_spaces_and_keep_offsets():
    text = "It will develop 30\ngigawatts.\nNew line\n- bullet"
    softened = soften_newlines(text)
    assert softened == "It will develop 30 gigawatts.\nNew line\n- bullet"
    assert len(softened) == len(text)


@pytest.mark.parametrize(
    ("word", "plural", "one"),
    [
        ("homes", True, "home"),
        ("companies", True, "company"),
        ("boxes", True, "box"),
        ("processes", True, "process"),
        ("switches", True, "switch"),
        ("people", True, "person"),
        ("GPUs", True, "GPU"),
        ("CPUs", True, "CPU"),
        ("news", False, "news"),
        ("status", False, "status"),
        ("analysis", False, "analysis"),
        ("class", False, "class"),
        ("rack", False, "rack"),
    ],
)
def test_plural_nouns_and_their_singulars(word, plural, one):
    assert (is_plural(word), singular(word)) == (plural, one)
