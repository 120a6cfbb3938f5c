from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.domain.sources import fold_text
from calc.errors import Location, ScenarioFileError, SourceError
from calc.io.catalogue import load_catalogue

from .conftest import ROOT

CATALOGUE = ROOT / "seeds" / "catalogue.yaml"
HERE = Location("s.yaml", 3, "inputs.x.quote")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CATALOGUE)


def test_every_seed_article_is_catalogued_with_its_file(catalogue):
    seeds = {s.file_shown for s in catalogue.sources.values() if s.kind == "seed"}
    on_disk = {p.relative_to(ROOT / "seeds").as_posix() for p in (ROOT / "seeds").rglob("*.txt")}
    assert seeds == on_disk
    assert len(seeds) == 6  # the five seeds and the Rainier article (#14)


def test_references_carry_publisher_url_date_and_grade(catalogue):
    relay = catalogue.sources["eia-household-2023"]
    assert relay.kind == "reference" and not relay.verifiable
    assert relay.publisher == "solarreviews.com, citing EIA"
    assert relay.url == "https://www.solarreviews.com/blog/how-many-kwh-does-a-house-use"
    assert relay.grade == "S"
    assert relay.date == "2024"


def test_references_cite_their_sources_not_a_file_outside_the_repository(catalogue):
    """The catalogue cited REFERENCE.md, which calc does not ship (#18): each entry cites
    the document itself, and nothing names that file: not the catalogue, not a shipped
    scenario's notes (which reports print)."""
    root = CATALOGUE.parent.parent
    shipped = [CATALOGUE, *sorted((root / "scenarios").rglob("*.yaml"))]
    assert [p.name for p in shipped if "REFERENCE.md" in p.read_text(encoding="utf-8")] == []


def test_a_reference_links_the_page_the_library_cites_on_the_same_site(catalogue):
    """Where calc's reference library cites a page of the same site, the catalogue links
    that page, not the site's home page (Tom's Hardware was https://www.tomshardware.com/)."""
    from urllib.parse import urlsplit

    from calc.io.references import load_library

    def site_and_path(url):
        parts = urlsplit(url)
        return parts.netloc.removeprefix("www."), parts.path.rstrip("/")

    library_pages: dict[str, set[str]] = {}
    for figure in load_library().figures.values():
        for source in (figure.source, *figure.also):
            if source.url:
                site, path = site_and_path(source.url)
                library_pages.setdefault(site, set()).add(path)
    for rid, source in catalogue.sources.items():
        if source.kind == "reference" and source.url:
            site, path = site_and_path(source.url)
            if site in library_pages:
                assert path in library_pages[site], (rid, source.url, library_pages[site])
    # The rack figures moved into the library (#14), which links the pages themselves.
    assert (
        "/pc-components/gpus/nvidia-shows-off-rubin-ultra-with-600-000-watt-kyber-racks-and-"
        "infrastructure-coming-in-2027" in library_pages["tomshardware.com"]
    )
    assert "/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters" in library_pages["introl.com"]


def test_fold_text_folds_space_quotes_and_dashes():
    assert (
        fold_text("Foxconn\u2019s  \u201cmost\u201d\n decisive \u2014 force")
        == 'Foxconn\'s "most" decisive - force'
    )


def test_quote_verifies_after_folding(catalogue):
    seed = catalogue.sources["seed-001"]
    # the article has a typographic apostrophe; the quote a straight one
    catalogue.verify_quote(seed, "This isn't a purchase agreement or a financial commitment.", HERE)
    catalogue.verify_quote(seed, "This  isn\u2019t a purchase\nagreement", HERE)


@pytest.mark.parametrize(
    ("seed", "quote", "left_out"),
    [
        (
            "seed-003",
            "the initial agreement does \u2026 involve immediate purchase commitments",
            "'not'",
        ),
        ("seed-001", "This \u2026 a purchase agreement or a financial commitment", '"n\'t"'),
    ],
)
def test_an_ellipsis_may_not_leave_out_a_negation(catalogue, seed, quote, left_out):
    """'does … involve' verified against "does not involve": the article's words, its
    meaning turned around. An elision that drops a negation is refused."""
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(catalogue.sources[seed], quote, HERE)
    assert str(info.value).startswith(f"s.yaml:3: inputs.x.quote: quote {quote!r} leaves out ")
    assert f"leaves out {left_out} at its '\u2026', which can change what {seed} " in str(
        info.value
    )


def test_an_ellipsis_may_not_splice_far_apart_words(catalogue):
    """Two phrases of one article 300+ characters apart are not one quote; each can be
    quoted on its own."""
    seed = catalogue.sources["seed-003"]
    text = catalogue._folded_text(seed)
    first, last = "Foxconn Partners with OpenAI", "25 million U.S. homes"
    assert text.find(last) - text.find(first) > 300
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(seed, f"{first} \u2026 {last}", HERE)
    assert "characters (at most 300 may be left out)" in str(info.value)
    catalogue.verify_quote(seed, first + " to Build", HERE)


def test_an_ellipsis_finds_the_placing_that_leaves_nothing_out_it_should_not(catalogue):
    """'OpenAI … homes': the first 'OpenAI' is far from 'homes', a later one is not; the
    quote verifies on the placing an analyst means, and a quote of many parts stays fast."""
    seed = catalogue.sources["seed-003"]
    catalogue.verify_quote(seed, "invest $1.4 trillion \u2026 25 million U.S. homes", HERE)
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(seed, " \u2026 ".join(["the"] * 25), HERE)
    assert "quote has 25 parts between '\u2026'; at most 20 are checked" in str(info.value)


def test_quote_with_an_ellipsis_checks_each_part_in_order(catalogue):
    seed = catalogue.sources["seed-003"]
    catalogue.verify_quote(seed, "invest $1.4 trillion \u2026 25 million U.S. homes", HERE)
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(seed, "25 million U.S. homes ... invest $1.4 trillion", HERE)
    assert str(info.value) == (
        "s.yaml:3: inputs.x.quote: quote '25 million U.S. homes ... invest $1.4 trillion' is not "
        "in seed-003 (003_dad698e8bbde9b79.txt); the words 'invest $1.4 trillion' were not "
        "found after the earlier part of the quote; copy the words exactly from the article, "
        "whole words and numbers"
    )


def test_a_quote_not_in_its_seed_is_refused(catalogue):
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(catalogue.sources["seed-000"], "valued at about $6 billion", HERE)
    assert str(info.value) == (
        "s.yaml:3: inputs.x.quote: quote 'valued at about $6 billion' is not in seed-000 "
        "(000_e48b3f4221d41e9b.txt); the words 'valued at about $6 billion' were not "
        "found; copy the words exactly from the article, whole words and numbers"
    )


def test_unknown_source_suggests_the_closest_id(catalogue):
    with pytest.raises(SourceError) as info:
        catalogue.get("seed-03", HERE)
    assert str(info.value) == (
        f"s.yaml:3: inputs.x.quote: source 'seed-03' is not in the catalogue {CATALOGUE}; "
        "did you mean 'seed-003' or 'seed-004' or 'seed-002'? add it there or cite one that is"
    )


def test_catalogue_fields_are_validated_with_their_line(tmp_path: Path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "seeds:\n  s1:\n    file: a.txt\n    title: T\n    publisher: P\n"
        "    date: 2025-11-21\n    colour: red\n"
    )
    with pytest.raises(ScenarioFileError) as info:
        load_catalogue(path)
    assert str(info.value) == (
        f"{path}:7: seeds.s1.colour: is not a known field (value 'red'); "
        "check its spelling or remove it"
    )


# --- "verified" means the article says it (#19) --------------------------------

ARTICLE = "invest $1.4 trillion to develop 30 gigawatts, about 10,791 kWh a year; 10\u2076 homes."


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("$1.4 trillion", True),
        ("1.4 trillion", True),
        ("30 gigawatts", True),
        ("4 trillion", False),
        (".4 trillion", False),
        ("0 gigawatts", False),
        ("30 gigawatt", False),
        ("nvest $1.4", False),
        ("10,79", False),
        ("791 kWh", False),
        ("10,791 kWh", True),
        ("10 homes", False),
        ("106 homes", False),
        ("10\u2076 homes", True),
        ("trillion to", True),
        ("1.4 trillion to develop 30 gigawatts,", True),
    ],
)
def test_find_words_matches_whole_words_and_numbers(words, found):
    from calc.domain.sources import find_words

    assert find_words(ARTICLE, words) == (ARTICLE.index(words) if found else -1)


def test_fold_text_does_no_compatibility_folding():
    assert fold_text("10\u2076 homes, \ufb01ve \u2460") == "10\u2076 homes, \ufb01ve \u2460"


@pytest.mark.parametrize(
    "quote",
    [
        "4 trillion to develop 30 gigawatts",
        "0 gigawatts of computing power",
        "$1.4 trillion to develop 3 gigawatts",
        "Sam Altman has announced plans to invest $1.4 trillio",
    ],
)
def test_a_quote_cut_inside_a_word_or_number_is_refused(catalogue, quote):
    with pytest.raises(
        SourceError,
        match=r"were not found; copy the words exactly from the "
        r"article, whole words and numbers$",
    ):
        catalogue.verify_quote(catalogue.sources["seed-003"], quote, HERE)


@pytest.mark.parametrize(
    "quote",
    [
        "",
        " ",
        "\u00a0\t",
        ".",
        "$",
        "...",
        "\u2026",
        "30",
        "1.4",
        "the",
        "GW",
        "30 40",
        "invest \u2026 .",
        "- -",
    ],
)
def test_a_quote_too_short_to_say_anything_is_refused(catalogue, quote):
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(catalogue.sources["seed-003"], quote, HERE)
    assert str(info.value) == (
        f"s.yaml:3: inputs.x.quote: quote {quote!r} is too short to verify: a quote needs at "
        "least 2 words, one of them not a number, and each part between '\u2026' a word; copy "
        "the article's words around the figure"
    )


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("invest $1.4 trillion to develop 30 gigawatts", "30 GW"),
        ("invest $1.4 trillion to develop 30 gigawatts", "30,000 MW"),
        ("invest $1.4 trillion to develop 30 gigawatts", "$1.4 trillion"),
        ("invest $1.4 trillion to develop 30 gigawatts", "1400 billion USD"),
        ("25 million U.S. homes", "25 million homes"),
        ("80% of the load", "0.8"),
        ("$1 billion to $5 billion", "$3 billion"),
        ("$1 billion to $5 billion", "$5 billion"),
        ("there is no immediate financial commitment", "0 USD"),
        ("three major efforts", "3"),
    ],
)
def test_a_value_the_quote_states_is_accepted(quote, value):
    from calc.domain.sources import check_quoted_value
    from calc.units.notation import parse_quantity

    check_quoted_value(quote, parse_quantity(value))


@pytest.mark.parametrize(
    ("quote", "value", "message"),
    [
        (
            "plans to invest $1.4 trillion",
            "$4 trillion",
            "the value 4 trillion USD is not what the quote states ('$1.4 trillion')",
        ),
        (
            "invest $1.4 trillion to develop 30 gigawatts",
            "3 GW",
            "the value 3 GW is not what the quote states ('$1.4 trillion', '30 gigawatts')",
        ),
        (
            "invest $1.4 trillion to develop 30 gigawatts",
            "30 GWh",
            "the value 30 GWh is not what the quote states",
        ),
        (
            "invest $1.4 trillion to develop 30 gigawatts",
            "30",
            "the value 30 is not what the quote states",
        ),
        (
            "invest $1.4 trillion to develop 30 gigawatts",
            "-30 GW",
            "the value -30 GW is not what the quote states",
        ),
        ("25 million U.S. homes", "25 homes", "the value 25 homes is not what the quote states"),
        (
            "$1 billion to $5 billion",
            "$6 billion",
            "the value 6 billion USD is not what the quote states ('$1 billion to $5 billion')",
        ),
        (
            "there is no immediate financial commitment",
            "$5 billion",
            "the quote states no figure, so it cannot support the value 5 billion USD; quote the "
            "article's words that state it",
        ),
    ],
)
def test_a_value_the_quote_does_not_state_is_refused(quote, value, message):
    from calc.domain.sources import check_quoted_value
    from calc.units.notation import parse_quantity

    with pytest.raises(SourceError) as info:
        check_quoted_value(quote, parse_quantity(value))
    assert str(info.value).startswith(message)


def test_an_input_given_by_a_range_alone_takes_a_quoted_figure_inside_it():
    from calc.domain.sources import check_quoted_value
    from calc.units.notation import parse_quantity

    span = (parse_quantity("25 GW"), parse_quantity("35 GW"))
    check_quoted_value("to develop 30 gigawatts", parse_quantity("29.5 GW"), span)
    with pytest.raises(SourceError, match="the value 45 GW is not what the quote states"):
        check_quoted_value(
            "to develop 30 gigawatts",
            parse_quantity("45 GW"),
            (parse_quantity("40 GW"), parse_quantity("50 GW")),
        )


def _catalogue_elsewhere(tmp_path: Path, quote: str) -> Path:
    """A scenario naming a catalogue in data/, whose article lies in a subfolder."""
    (tmp_path / "data" / "articles").mkdir(parents=True)
    (tmp_path / "data" / "articles" / "a.txt").write_text(
        "The campus will use 2 gigawatts of power by 2027.\n", encoding="utf-8"
    )
    (tmp_path / "data" / "catalogue.yaml").write_text(
        "seeds:\n  s1:\n    file: articles/a.txt\n    title: A campus\n"
        "    publisher: A paper\n    date: 2026-01-02\n",
        encoding="utf-8",
    )
    path = tmp_path / "s.yaml"
    path.write_text(
        "title: t\ncatalogue: data/catalogue.yaml\ninputs:\n  power:\n    value: 2 GW\n"
        f"    kind: stated\n    source: s1\n    quote: {quote}\n",
        encoding="utf-8",
    )
    return path


def test_a_seed_path_is_shown_as_the_catalogue_gives_it(tmp_path: Path) -> None:
    """Not re-derived as seeds/NAME, which names no file here (#13)."""
    path = _catalogue_elsewhere(tmp_path, "will use 2 gigawatts of power")
    out = CliRunner().invoke(app, ["run", str(path)])
    assert out.exit_code == 0, out.output
    assert "  s1: A paper, \u201cA campus\u201d, 2026-01-02, articles/a.txt (quotes verified)" in (
        out.stdout
    )
    assert "seeds/" not in out.stdout
    source = calc.load_scenario(path).catalogue.sources["s1"]
    assert source.file_shown == "articles/a.txt"
    assert source.file == tmp_path / "data" / "articles" / "a.txt"  # where calc reads it
    (tmp_path / "b").mkdir()
    wrong = _catalogue_elsewhere(tmp_path / "b", "will use 3 gigawatts of power")
    with pytest.raises(SourceError) as caught:
        calc.load_scenario(wrong)
    assert "is not in s1 (articles/a.txt); the words" in str(caught.value)
