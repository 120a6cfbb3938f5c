"""calc.extract: the seeds' figures, tricky forms, and precision and recall on labels."""

from __future__ import annotations

import json

import pytest

import calc
from calc.articles.figures import MAX_CHARS, extract, render_figures
from calc.errors import Location, SourceError
from calc.io.catalogue import load_catalogue
from calc.units.display import describe_dimension
from calc.units.registry import Q_

from .figure_cases import ROOT, Score, load_seeds, load_sentences, matches, score

SEEDS = load_seeds()
SENTENCES = load_sentences(real_articles=False)


def only(text: str):
    """The one figure in ``text``."""
    found = extract(text)
    assert len(found) == 1, [f.text for f in found]
    return found[0]


# --- the seeds ----------------------------------------------------------------------


@pytest.mark.parametrize(("path", "labels"), SEEDS, ids=[path.name for path, _ in SEEDS])
def test_every_figure_of_a_seed_is_found_with_its_value_unit_quote_and_offset(path, labels):
    found = extract(path.read_text(encoding="utf-8"))
    assert [(f.text, f.value, f.unit, f.qualifier, f.offset, f.quote) for f in found] == [
        (label.text, label.value, label.unit, label.qualifier, label.offset, label.quote)
        for label in labels
    ]


def test_the_offsets_point_at_the_figures_in_the_article():
    path = ROOT / "seeds" / "003_dad698e8bbde9b79.txt"
    text = path.read_text(encoding="utf-8")
    assert [text[f.offset : f.end] for f in extract(text)] == [
        "$1.4 trillion",
        "30 gigawatts",
        "25 million U.S. homes",
    ]


def test_every_seed_quote_verifies_against_the_catalogue():
    catalogue = load_catalogue(ROOT / "seeds" / "catalogue.yaml")
    checked = 0
    for source in catalogue.sources.values():
        if source.file is not None:
            for figure in extract(source.file.read_text(encoding="utf-8")):
                catalogue.verify_quote(source, figure.quote, Location())
                checked += 1
    assert checked == 9 + 11  # the five seeds, and the Rainier article (#14)


def test_the_seed_dates_and_years_give_no_figures():
    texts = [path.read_text(encoding="utf-8") for path, _ in SEEDS]
    found = [f.text for text in texts for f in extract(text)]
    assert not [t for t in found if any(d in t for d in ("2025", "2026", "21", "July"))]


# --- labelled sentences ---------------------------------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES, ids=[s.text[:48] for s in SENTENCES])
def test_a_labelled_sentence_gives_exactly_its_figures(sentence):
    found = extract(sentence.text)
    expected = [label for label in sentence.labels if not label.missed]
    described = [(f.text, f.value, f.unit, f.low, f.high, f.qualifier) for f in found]
    assert len(found) == len(expected), described
    for figure, label in zip(found, expected, strict=True):
        assert matches(figure, label), (described, label)


def test_precision_and_recall_on_the_labels_are_as_reported():
    seeds = sum(
        (score(extract(p.read_text(encoding="utf-8")), labels) for p, labels in SEEDS),
        Score(0, 0, 0),
    )
    tuned = sum(
        (score(extract(s.text), s.labels) for s in SENTENCES if not s.held_out), Score(0, 0, 0)
    )
    held_out = sum(
        (score(extract(s.text), s.labels) for s in SENTENCES if s.held_out), Score(0, 0, 0)
    )
    assert (seeds, tuned, held_out) == (Score(9, 0, 0), Score(94, 0, 2), Score(35, 0, 0))
    assert (round(held_out.precision, 3), round(held_out.recall, 3)) == (1.0, 1.0)


# --- tricky forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "figure", "value", "low", "high", "unit"),
    [
        ("It costs $1 billion to $5 billion.", "$1 billion to $5 billion", 3e9, 1e9, 5e9, "USD"),
        ("Foxconn's capex is $1-5 billion.", "$1-5 billion", 3e9, 1e9, 5e9, "USD"),
        ("A rack draws 120-132 kW.", "120-132 kW", 126, 120, 132, "kilowatt"),
        (
            "between 35 and 60 billion dollars",
            "35 and 60 billion dollars",
            47.5e9,
            35e9,
            60e9,
            "USD",
        ),
        ("They need 4 to 5 million GPUs.", "4 to 5 million GPUs", 4.5e6, 4e6, 5e6, "gpu"),
        (
            "Estimates range from 1.2 GW to 1,500 MW.",
            "1.2 GW to 1,500 MW",
            1.35,
            1.2,
            1.5,
            "gigawatt",
        ),
        ("It is 90\u2013100% utilised.", "90\u2013100%", 95, 90, 100, "percent"),
    ],
)
def test_a_range_has_low_high_and_its_midpoint(text, figure, value, low, high, unit):
    found = only(text)
    assert (found.text, found.unit) == (figure, unit)
    assert (found.value, found.low, found.high) == pytest.approx((value, low, high))


def test_a_fall_is_two_figures_not_a_range():
    assert [(f.text, f.low) for f in extract("It fell from 80% to 50%.")] == [
        ("80%", None),
        ("50%", None),
    ]


def test_figures_of_different_dimensions_are_not_a_range():
    assert [f.unit for f in extract("It takes 30 GW to 25 million homes.")] == ["gigawatt", "home"]


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("$46.7 billion per GW", "$46.7 billion per GW", 46.7e9, "USD / gigawatt"),
        ("up to 120kW per rack", "120kW per rack", 120, "kilowatt / rack"),
        ("1.2 kW per U.S. home", "1.2 kW per U.S. home", 1.2, "kilowatt / home"),
        ("10,791 kWh/yr/home", "10,791 kWh/yr/home", 10791, "kilowatt_hour / home / year"),
        ("a DGX uses 10.2 kW per 8 GPUs", "10.2 kW per 8 GPUs", 1.275, "kilowatt / gpu"),
        ("16 cents per kWh", "16 cents per kWh", 16, "cent / kilowatt_hour"),
        ("10 MW per hall", "10 MW per hall", 10, "megawatt / hall"),
    ],
)
def test_per_makes_a_rate(text, figure, value, unit):
    found = only(text)
    assert (found.text, found.value, found.unit) == (figure, pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "figure", "unit"),
    [
        ("Foxconn can ship 2,000 racks a week.", "2,000 racks a week", "rack / week"),
        ("A home uses 10,791 kWh a year.", "10,791 kWh a year", "kilowatt_hour / year"),
        ("The bill was $135 a month.", "$135 a month", "USD / month"),
        ("Oil sold for $40 a barrel.", "$40 a barrel", "USD / barrel"),
        ("It grows 5% annually.", "5% annually", "percent / year"),
        ("40 robots a week", "40 robots a week", "robot / week"),
    ],
)
def test_a_week_and_a_year_make_a_rate(text, figure, unit):
    found = only(text)
    assert (found.text, found.unit) == (figure, unit)


def test_a_year_ago_is_not_a_rate():
    found = only("We built 3 data centers a year ago.")
    assert (found.text, found.unit) == ("3 data centers", "data_center")


def test_a_week_after_a_non_price_takes_only_a_time():
    found = only("They ship 2,000 racks a piece.")
    assert (found.text, found.unit) == ("2,000 racks", "rack")


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("roughly 30 GW", "roughly", 30),
        ("a deal valued at about $5 billion", "about", 5e9),
        ("~120 kW", "~", 120),
        ("more than 5 GW", "more than", 5),
        ("up to 600 kW", "up to", 600),
        ("PUE ≤1.3", "≤", 1.3),
        ("exactly 30 GW", None, 30),
    ],
)
def test_roughly_and_other_qualifiers_are_kept_apart_from_the_value(text, qualifier, value):
    found = only(text)
    assert (found.qualifier, found.value) == (qualifier, value)


def test_a_qualifier_shows_in_the_display():
    assert [f.display() for f in extract("about $5 billion and ~120 kW")] == [
        "about 5 billion USD",
        "~120 kW",
    ]


@pytest.mark.parametrize(
    ("text", "figure", "value", "unit"),
    [
        ("Revenue fell -3.5% on the year.", "-3.5%", -3.5, "percent"),
        ("a swing of \u2212$2 billion", "\u2212$2 billion", -2e9, "USD"),
        ("net demand of \u22122.5 GW", "\u22122.5 GW", -2.5, "gigawatt"),
        ("The loss was \u20134 MW.", "\u20134 MW", -4, "megawatt"),
    ],
)
def test_a_minus_sign_makes_a_negative_figure(text, figure, value, unit):
    found = only(text)
    assert (found.text, found.value, found.unit) == (figure, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "On November 21, 2025, Foxconn announced the deal.",
        "TAIPEI / BENGALURU \u2013 November 21, 2025Foxconn, the world's largest",
        "Top tech news today: 7 July, 2025",
        "filed on 21 November 2025, or 2025-11-21, or 11/21/2025, or Nov. 21",
        "It opens at 10:30 a.m. and closes at 5 pm.",
        "Section 3, Table 5.1, Chapter 2, item #7, No. 4 and § 12 apply.",
        "the 14th survey and the 3rd quarter",
        "growth in 2026, and between 2030 and 2035, and in 2024-25 and the 1990s",
        "GB200 NVL72 racks of H100 and B200 chips run COVID-19 models on Windows 11.",
        "5G and 4K video run 24/7 on version 1.2.3 in the top 10.",
        "1. Introduction\n2. Methods",
    ],
)
def test_dates_times_years_ordinals_and_labels_are_not_figures(text):
    assert [f.text for f in extract(text)] == []


def test_a_year_before_a_singular_noun_is_still_a_year():
    text = "Where two sources differ (2022 vs 2023 household use), use both."
    assert [f.text for f in extract(text)] == ["two sources"]


def test_a_spaced_slash_separates_figures_and_does_not_make_a_rate():
    assert [(f.text, f.unit) for f in extract("IT 58% / facility 42% per rack")] == [
        ("58%", "percent"),
        ("42% per rack", "percent / rack"),
    ]


def test_a_year_with_a_unit_is_a_figure():
    assert [(f.text, f.unit) for f in extract("They ship 2000 racks and 2025 GPUs.")] == [
        ("2000 racks", "rack"),
        ("2025 GPUs", "gpu"),
    ]


def test_a_bare_whole_number_is_not_a_figure_but_a_decimal_is():
    assert [(f.text, f.unit) for f in extract("The 3 firms agreed; a PUE of 1.3 and 42.")] == [
        ("3 firms", "firm"),
        ("1.3", "dimensionless"),
    ]


# --- count nouns ----------------------------------------------------------------------


def test_homes_stay_a_count_of_homes():
    found = only("roughly equivalent to the electricity consumption of 25 million U.S. homes")
    assert found.quantity == Q_(25e6, "home")
    assert (found.noun, found.new_units) == ("U.S. homes", ())


def test_chips_are_a_count_in_gpu():
    found = only("over 2 million chips")
    assert (found.quantity, found.noun) == (Q_(2e6, "gpu"), "chips")


def test_an_unknown_noun_becomes_a_count_unit_of_its_own():
    found = only("The joint work spans three major efforts.")
    assert (found.value, found.unit, found.noun, found.new_units) == (
        3,
        "effort",
        "major efforts",
        ("effort",),
    )
    assert describe_dimension(found.quantity) == "a count of efforts"
    assert found.quantity.dimensionality != Q_(1, "home").dimensionality


def test_a_compound_noun_counts_in_one_unit():
    found = only("It runs 1,200 data centers.")
    assert (found.unit, found.new_units, found.display()) == (
        "data_center",
        ("data_center",),
        "1,200 data_centers",
    )


def test_a_noun_pint_uses_for_something_else_gets_a_count_unit_of_its_own():
    found = only("The team scored 12 points.")
    assert (found.unit, found.new_units) == ("point_count", ("point_count",))


def test_other_currencies_are_counts_of_their_own_not_dollars():
    assert [(f.text, f.unit) for f in extract("about £4 billion or €4.6 billion")] == [
        ("£4 billion", "GBP"),
        ("€4.6 billion", "EUR"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("two companies", 2, "company"),
        ("twenty-five sites", 25, "site"),
        ("a million GPUs", 1e6, "gpu"),
        ("half a million homes", 5e5, "home"),
        ("a dozen data centers", 12, "data_center"),
        ("two percent", 2, "percent"),
    ],
)
def test_number_words_count_before_a_noun_or_a_scale_word(text, value, unit):
    found = only(text)
    assert (found.value, found.unit) == (value, unit)


def test_number_words_alone_are_not_figures():
    assert extract("The two signed, and one of them said three was enough.") == []


# --- quotes, records, limits -------------------------------------------------------------


def test_the_quote_is_the_clause_around_the_figure():
    text = (
        "OpenAI has announced plans to invest $1.4 trillion to develop 30 gigawatts of "
        "computing power, roughly equivalent to the electricity consumption of 25 million "
        "U.S. homes. Foxconn will build racks."
    )
    assert [f.quote for f in extract(text)] == [
        "OpenAI has announced plans to invest $1.4 trillion to develop 30 gigawatts of "
        "computing power"
    ] * 2 + ["roughly equivalent to the electricity consumption of 25 million U.S. homes"]


def test_a_figure_across_a_wrapped_line_is_found_whole():
    found = only("OpenAI will develop 30\ngigawatts of computing power.")
    assert (found.text, found.value, found.quote) == (
        "30\ngigawatts",
        30,
        "OpenAI will develop 30\ngigawatts of computing power",
    )


def test_a_record_has_the_documented_fields():
    record = only("It costs $1 billion to $5 billion.").as_dict()
    assert record == {
        "value": 3000000000,
        "unit": "USD",
        "display": "1 billion USD to 5 billion USD",
        "text": "$1 billion to $5 billion",
        "quote": "It costs $1 billion to $5 billion",
        "offset": 9,
        "low": 1000000000,
        "high": 5000000000,
        "qualifier": None,
        "noun": None,
        "new_units": [],
    }


def test_calc_extract_is_the_library_entry_point():
    assert calc.extract is extract
    assert "extract" in calc.__all__ and "Figure" in calc.__all__


def test_a_text_longer_than_the_limit_is_refused():
    with pytest.raises(SourceError) as caught:
        extract("x" * (MAX_CHARS + 1))
    assert str(caught.value) == (
        "the text is 2,000,001 characters long; calc extract reads at most 2,000,000; "
        "split it into articles"
    )


def test_render_json_is_the_list_of_records():
    figures = extract("It draws 30 GW.")
    assert json.loads(render_figures(figures, "json", title="t")) == [figures[0].as_dict()]


def test_render_table_lists_offset_figure_value_and_quote():
    text = "It draws about 30 GW, and 2 million chips."
    assert render_figures(extract(text), "table", title="a.txt").splitlines() == [
        "a.txt: 2 figures",
        "",
        "offset  figure           value           quote",
        "------  ---------------  --------------  -----------------------------------------",
        "    15  30 GW            about 30 GW     It draws about 30 GW, and 2 million chips",
        "    26  2 million chips  2 million GPUs  It draws about 30 GW, and 2 million chips",
        "",
        "Quotes in full: --format json. A scenario from these figures: --scaffold FILE.",
    ]


def test_render_table_of_nothing_says_so():
    assert render_figures([], "table", title="a.txt") == "a.txt: no figures found\n"


def test_a_word_pint_would_split_into_prefix_and_symbol_is_a_noun():
    found = only("He bought 5 kilos of copper.")
    assert (found.unit, found.new_units, found.display()) == ("kilo", ("kilo",), "5 kilo")
    assert [f.unit for f in extract("20 milliseconds and 4 kilometres")] == [
        "millisecond",
        "kilometer",
    ]


# --- article forms read through the one reader (#12) --------------------------------------


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # a rate after what is measured: 'of water', then 'a day' or 'per year'
        (
            "They need 5 million gallons of water a day.",
            [("5 million gallons of water a day", 5e6, "gallon / day")],
        ),
        (
            "It draws 12,000 gallons per year per building after the fill.",
            [("12,000 gallons per year per building", 12000, "gallon / year / building")],
        ),
        # bit rates and cubic metres
        ("3.6 Tbps per server.", [("3.6 Tbps per server", 3.6, "terabit / second / server")]),
        ("A campus using 2,000 m³/day of water", [("2,000 m³/day", 2000, "meter ** 3 / day")]),
        # a count joined to its noun by a hyphen, before the noun it describes
        ("The eight-building complex opened.", [("eight-building", 8, "building")]),
        ("They signed a five-year deal.", [("five-year", 5, "year")]),
        # a unit made an adjective by a hyphen
        ("a 100MW-class data center", [("100MW", 100, "megawatt")]),
        # qualifier words are no part of a count noun; adjectives before a plural noun
        ("Plans for five more data centers.", [("five more data centers", 5, "data_center")]),
        ("It will build 10 new natural-gas plants.", [("10 new natural-gas plants", 10, "plant")]),
        (
            "They grew to 700 million weekly active users.",
            [("700 million weekly active users", 7e8, "user")],
        ),
        ("roughly 10 nuclear reactors", [("10 nuclear reactors", 10, "reactor")]),
        # GPU models count GPUs; a three-word count noun
        ("keeping 200k H100s cool", [("200k H100s", 2e5, "gpu")]),
        (
            "4 million graphics processing units",
            [("4 million graphics processing units", 4e6, "gpu")],
        ),
        # the same noun as the figure before, after 'up from'
        (
            "It shipped 3.76 million GPUs in 2023, up from 2.64 million in 2022.",
            [("3.76 million GPUs", 3.76e6, "gpu"), ("2.64 million", 2.64e6, "gpu")],
        ),
        # 'the two' refers back; a name that begins with a number word is no number
        ("The two companies confirmed it.", []),
        ("Constellation will restart Three Mile Island.", []),
        # numbers that are not one: 'two and three', powers of ten
        ("two and three", []),
        ("It withdraws 10^11 to 10^12 liters.", []),
        # multipliers and fractions in words; an ordinal 'a third' is no fraction
        ("Demand grew fivefold.", [("fivefold", 5, "dimensionless")]),
        ("Two-thirds of new sites", [("Two-thirds", 2 / 3, "dimensionless")]),
        ("a third phase of the build", []),
        ("one of the largest", []),
    ],
)
def test_article_forms(text, figures):
    found = [(f.text, f.value, f.unit) for f in extract(text)]
    assert found == [(t, pytest.approx(v), u) for t, v, u in figures]


def test_qualifiers_as_articles_write_them():
    assert [f.qualifier for f in extract("racks exceeding 60 kW, near 6.7 percent")] == [
        "exceeding",
        "near",
    ]
    assert only("an estimated 500+ terawatt-hours").qualifier == "an estimated"
    assert only("an estimated 500+ terawatt-hours").text == "500+ terawatt-hours"
    assert (only("part of $100+ billion AI program").text, only("$100+ billion").value) == (
        "$100+ billion",
        1e11,
    )


@pytest.mark.parametrize(
    ("text", "figure", "unit"),
    [
        ("It stores 2 GW-hours of energy.", "2 GW-hours", "gigawatt_hour"),
        ("It stores 3 kW-hour packs.", "3 kW-hour", "kilowatt_hour"),
        ("Its 400,000 sq ft hall is full.", "400,000 sq ft", "foot ** 2"),
        ("A 1.2 million sq. ft. campus.", "1.2 million sq. ft.", "foot ** 2"),
        ("It covers 50,000 sqm of land.", "50,000 sqm", "meter ** 2"),
        ("The site spans 2 sq mi.", "2 sq mi", "mile ** 2"),
    ],
)
def test_units_written_in_parts_are_read_whole(text, figure, unit):
    """'2 GW-hours' was 2 GW (an energy read as a power) and '400,000 sq ft hall uses' a
    count of 'uses'."""
    found = only(text)
    assert (found.text, found.unit) == (figure, unit)


def test_a_million_written_m_before_a_unit_is_not_read_as_metres():
    """'1.2m kW' was 1.2 metres (the kW dropped); calc eval read 1.2 kW·m."""
    figures, (unread,) = calc.articles.figures.extract_all("The campus draws 1.2m kW at peak.")
    assert figures == []
    assert unread.reason.startswith(
        "'m' after 1.2 and before 'kW' could be 1.2 million kW (write '1.2 million kW') or "
        "1.2 m·kW (write '1.2 m*kW')"
    )
