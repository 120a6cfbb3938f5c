from __future__ import annotations

from pathlib import Path

import pytest

from calc.errors import Location, ScenarioFileError, SourceError
from calc.sources import fold_text, load_catalogue

from .conftest import ROOT

CATALOGUE = ROOT / "seeds" / "catalogue.yaml"
HERE = Location("s.yaml", 3, "inputs.x.quote")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CATALOGUE)


def test_every_seed_article_is_catalogued_with_its_file(catalogue):
    seeds = {s.file.name for s in catalogue.sources.values() if s.kind == "seed"}
    on_disk = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    assert seeds == on_disk
    assert len(seeds) == 5


def test_references_carry_publisher_url_date_and_grade(catalogue):
    eia = catalogue.sources["eia-household-2022"]
    assert eia.kind == "reference" and not eia.verifiable
    assert eia.publisher.startswith("U.S. Energy Information Administration")
    assert eia.url == "https://www.eia.gov/tools/faqs/faq.php?id=97"
    assert eia.grade == "M"
    assert eia.date == "2024-01-08"


def test_fold_text_folds_space_quotes_and_dashes():
    assert fold_text("Foxconn\u2019s  \u201cmost\u201d\n decisive \u2014 force") == \
        "Foxconn's \"most\" decisive - force"


def test_quote_verifies_after_folding(catalogue):
    seed = catalogue.sources["seed-001"]
    # the article has a typographic apostrophe; the quote a straight one
    catalogue.verify_quote(seed, "This isn't a purchase agreement or a financial commitment.",
                           HERE)
    catalogue.verify_quote(seed, "This  isn\u2019t a purchase\nagreement", HERE)


def test_quote_with_an_ellipsis_checks_each_part_in_order(catalogue):
    seed = catalogue.sources["seed-003"]
    catalogue.verify_quote(seed, "invest $1.4 trillion \u2026 25 million U.S. homes", HERE)
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(seed, "25 million U.S. homes ... invest $1.4 trillion", HERE)
    assert str(info.value) == (
        "s.yaml:3: inputs.x.quote: quote '25 million U.S. homes ... invest $1.4 trillion' is not "
        "in seed-003 (seeds/003_dad698e8bbde9b79.txt); the words 'invest $1.4 trillion' were not "
        "found after the earlier part of the quote; copy the words exactly from the article")


def test_a_quote_not_in_its_seed_is_refused(catalogue):
    with pytest.raises(SourceError) as info:
        catalogue.verify_quote(catalogue.sources["seed-000"], "valued at about $6 billion", HERE)
    assert str(info.value) == (
        "s.yaml:3: inputs.x.quote: quote 'valued at about $6 billion' is not in seed-000 "
        "(seeds/000_e48b3f4221d41e9b.txt); the words 'valued at about $6 billion' were not "
        "found; copy the words exactly from the article")


def test_unknown_source_suggests_the_closest_id(catalogue):
    with pytest.raises(SourceError) as info:
        catalogue.get("seed-03", HERE)
    assert str(info.value) == (
        f"s.yaml:3: inputs.x.quote: source 'seed-03' is not in the catalogue {CATALOGUE}; "
        "did you mean 'seed-003' or 'seed-004' or 'seed-002'? add it there or cite one that is")


def test_catalogue_fields_are_validated_with_their_line(tmp_path: Path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("seeds:\n  s1:\n    file: a.txt\n    title: T\n    publisher: P\n"
                    "    date: 2025-11-21\n    colour: red\n")
    with pytest.raises(ScenarioFileError) as info:
        load_catalogue(path)
    assert str(info.value) == (f"{path}:7: seeds.s1.colour: is not a known field (value 'red'); "
                               "check its spelling or remove it")
