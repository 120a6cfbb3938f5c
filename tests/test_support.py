"""What each source supports, and ``calc sources``."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

import calc
from calc.analysis.support import supports, unused_sources
from calc.cli import app

from .conftest import ROOT, SEED_SCENARIO

runner = CliRunner()


def test_each_cited_source_lists_inputs_derived_and_claims(seed_scenario):
    found = {s.source.id: s for s in supports(seed_scenario)}
    assert list(found) == [
        "seed-000",
        "seed-001",
        "seed-002",
        "seed-003",
        "eia-household-2023",
        "norris-load-factor-2025",
        "huang-gpus-per-gw-2025",
        # the library figures it cites, in the order its inputs first cite them
        "ref:eia-household-2022",
        "ref:gb200-nvl72-rack-power",
        "ref:gb300-nvl72-rack-power",
        "ref:gb200-nvl72-gpus-per-rack",
        "ref:eia-retail-sales-2022",
        "ref:nvidia-cost-per-gw-2025",
        "ref:bernstein-cost-per-gw-2025",
        "ref:uptime-new-builds-pue-2024",
    ]
    eia = found["ref:eia-household-2022"]
    assert eia.inputs == ("household_use",)
    assert eia.derived == ("household_load", "homes_at_reference_use", "homes_by_annual_energy")
    assert eia.claims == ("homes_equivalence",)
    seed = found["seed-003"]
    assert seed.inputs == (
        "planned_power",
        "planned_investment",
        "homes_equivalent",
        "foxconn_committed_value",
        "planned_power_is_facility",
    )
    assert seed.claims == (
        "homes_equivalence",
        "cost_per_gw_vs_industry",
        "gpus_per_gw_vs_huang",
        "foxconn_deal_value",
    )
    assert "household_load" not in seed.derived and "rack_count" in seed.derived


def test_every_input_cites_some_source_listed(seed_scenario):
    cited = {name for s in supports(seed_scenario) for name in s.inputs}
    assert cited == set(seed_scenario.inputs)


def test_the_quote_each_input_relies_on_is_kept(seed_scenario):
    (seed_001,) = [s for s in supports(seed_scenario) if s.source.id == "seed-001"]
    ((spec, citation),) = seed_001.citations
    assert spec.name == "foxconn_committed_value"
    assert citation.quote == "This isn't a purchase agreement or a financial commitment."


def test_unused_sources_are_those_nothing_cites(seed_scenario):
    assert [s.id for s in unused_sources(seed_scenario)] == [
        "seed-004",
        "enterprisereview-rainier",
        "time-to-botec",
    ]


# --- the command line ---------------------------------------------------------


def test_sources_prints_each_source_with_quotes_and_what_rests_on_it():
    result = runner.invoke(app, ["sources"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(f"OpenAI's 30 GW, $1.4 trillion build-out  ({SEED_SCENARIO})\n\n")
    assert (
        """
seed-001: seed article, quotes verified against its text
  NERDS.xyz, “OpenAI teams with Foxconn to build US-made AI hardware for the next generation of data
  centers”, 2025-11-21, 001_454b7f6b7b13d1d2.txt
  inputs:
    foxconn_committed_value = 0 USD [stated]: “This isn't a purchase agreement or a financial
      commitment.”
  claims: foxconn_deal_value
"""
        in out
    )
    assert (
        """
ref:eia-household-2022: external reference (grade M: primary seen through a mirror), unverified
  U.S. Energy Information Administration, “FAQ: How much electricity does an American home use?”,
  2024-01-08, https://www.eia.gov/tools/faqs/faq.php?id=97&t=3
  quote: “In 2022, the average annual amount of electricity sold to (purchased by) a U.S.
    residential electric-utility customer was 10,791 kilowatthours (kWh), an average of about 899
    kWh per month.”
  figure: “library: 10,791 kWh/home/yr, year 2022, basis energy/average”
  inputs:
    household_use = 10,791 kWh/home/yr [reference]
  derived: household_load, homes_at_reference_use, homes_by_annual_energy
  claims: homes_equivalence
"""
        in out
    )
    assert out.endswith(
        "\n\n7 of 10 catalogue entries cited, and 8 figures of calc's reference library; not "
        "cited: seed-004,\n  enterprisereview-rainier, time-to-botec (details: calc sources "
        "--unused)\n"
    )


def test_sources_unused_lists_what_nothing_cites():
    result = runner.invoke(app, ["sources", str(SEED_SCENARIO), "--unused"])
    assert result.exit_code == 0
    assert (
        result.stdout
        == f"""\
OpenAI's 30 GW, $1.4 trillion build-out  ({SEED_SCENARIO})

3 of 10 catalogue entries are not cited (catalogue: ../seeds/catalogue.yaml):

seed-004: seed article
  Nishadil, “A Bold New Chapter: OpenAI Teams with Foxconn to Forge AI Hardware in the US”,
  2025-11-21, 004_95891ba46abe0de9.txt
  note: The page says it was generated in part using artificial intelligence.

enterprisereview-rainier: seed article
  Enterprise Review Media, “Amazon Transforms Indiana Farmland with $11 Billion Data Center Powering
  Growth”, date unknown,
  https://enterprisereviewmedia.com/amazon-transforms-indiana-farmland-with-11-billion-data-center-powering-growth
  note: A quotation, not a copy: only the sentences that carry the article's figures, verbatim and
    in order (the same text as tests/cases/audit/articles/006_...). Cited by
    scenarios/examples/rainier.yaml.

time-to-botec: external reference (grade P: primary text seen), unverified
  Nuño Sempere (QURI), GitHub, “time-to-botec: a back-of-the-envelope model run in many Monte Carlo
  tools”, 2023, https://github.com/NunoSempere/time-to-botec
  quote: “result = mx([0, 1, 1 to 3, 2 to 10], [(1 - p_c), p_c/2, p_c/4, p_c/4 ])”
  note: example.squiggle sets p_a = 0.8 and p_b = 0.5; the mean of the result is about 0.887.
"""
    )


@pytest.fixture
def fully_cited(tmp_path):
    """The seed scenario beside a catalogue holding only the entries it cites."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    catalogue = tmp_path / "seeds" / "catalogue.yaml"
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    del data["seeds"]["seed-004"], data["seeds"]["enterprisereview-rainier"]
    del data["references"]["time-to-botec"]
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "scenarios").mkdir()
    return shutil.copy(SEED_SCENARIO, tmp_path / "scenarios" / "s.yaml")


def test_sources_when_everything_is_cited(fully_cited):
    unused = runner.invoke(app, ["sources", str(fully_cited), "--unused"])
    assert unused.exit_code == 0
    assert unused.stdout.splitlines()[2:] == ["every one of the 7 catalogue entries is cited"]
    listed = runner.invoke(app, ["sources", str(fully_cited)])
    assert listed.stdout.splitlines()[-1] == (
        "7 of 7 catalogue entries cited, and 8 figures of calc's reference library"
    )
    assert unused_sources(calc.load_scenario(fully_cited)) == ()


def test_sources_json_gives_every_cited_source_and_what_rests_on_it():
    result = runner.invoke(app, ["sources", str(SEED_SCENARIO), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["path"] == str(SEED_SCENARIO)
    assert (data["catalogue_entries"], data["library_figures"]) == (10, 8)
    assert len(data["sources"]) == 15
    assert data["unused"] == ["seed-004", "enterprisereview-rainier", "time-to-botec"]
    by_id = {s["id"]: s for s in data["sources"]}
    eia = by_id["ref:eia-household-2022"]
    assert (eia["kind"], eia["grade"], eia["verified"]) == ("reference", "M", False)
    assert eia["claims"] == ["homes_equivalence"]
    assert eia["derived"] == ["household_load", "homes_at_reference_use", "homes_by_annual_energy"]
    assert [i["name"] for i in eia["inputs"]] == ["household_use"]
    seed = by_id["seed-003"]
    assert seed["verified"] is True and seed["date"] == "2025-11-21"
    power = next(i for i in seed["inputs"] if i["name"] == "planned_power")
    assert power == {
        "name": "planned_power",
        "value": 30,
        "unit": "gigawatt",
        "display": "30 GW",
        "kind": "stated",
        "quote": "invest $1.4 trillion to develop 30 gigawatts of computing power",
        "verified": True,
    }


@pytest.mark.parametrize("flag", ["json", "table"])
def test_sources_unused_in_each_format_names_the_same_entries(flag):
    result = runner.invoke(app, ["sources", str(SEED_SCENARIO), "--unused", "-f", flag])
    assert result.exit_code == 0, result.output
    if flag == "table":
        assert "3 of 10 catalogue entries are not cited" in result.stdout
        return
    data = json.loads(result.stdout)
    assert data["catalogue"] == "../seeds/catalogue.yaml"
    botec = data["unused"][2]
    assert [s["id"] for s in data["unused"]] == [
        "seed-004",
        "enterprisereview-rainier",
        "time-to-botec",
    ]
    assert {k: botec[k] for k in ("kind", "publisher", "date", "url", "grade", "verified")} == {
        "kind": "reference",
        "publisher": "Nuño Sempere (QURI), GitHub",
        "date": "2023",
        "url": "https://github.com/NunoSempere/time-to-botec",
        "grade": "P",
        "verified": False,
    }
    assert botec["quote"] == (
        "result = mx([0, 1, 1 to 3, 2 to 10], [(1 - p_c), p_c/2, p_c/4, p_c/4 ])"
    )


def test_sources_json_when_everything_is_cited(fully_cited):
    data = json.loads(runner.invoke(app, ["sources", str(fully_cited), "-f", "json"]).stdout)
    assert (len(data["sources"]), data["unused"]) == (15, [])


def test_sources_of_a_bad_file_exits_2(variant):
    path = variant(("source: seed-000\n", "source: seed-00\n"))
    result = runner.invoke(app, ["sources", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"calc: {path}:")
    assert "source 'seed-00' is not in the catalogue" in result.stderr
