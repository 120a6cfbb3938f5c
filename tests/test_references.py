"""Citing calc's reference library from a scenario (#14): ``source: ref:ID``, ``value:
from reference``, a stated value checked against the library, a local entry winning."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.errors import SourceError
from calc.io.references import load_library

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def scenario(folder: Path, household: str, *, catalogue: str | None = None) -> Path:
    """A from-scratch scenario whose ``household_use`` input is ``household``."""
    text = textwrap.dedent(
        """\
        title: homes per GW
        inputs:
          power:
            value: 1 GW
            kind: assumption
            source: ref:nuclear-reactor-typical
            note: one reactor
          household_use:
        {household}
        derived:
          homes:
            formula: power / household_use
            unit: home
        """
    ).format(household=textwrap.indent(textwrap.dedent(household), "    "))
    if catalogue is not None:
        (folder / "seeds").mkdir()
        (folder / "seeds" / "catalogue.yaml").write_text(catalogue, encoding="utf-8")
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


FROM_REFERENCE = """\
    value: from reference
    kind: reference
    source: ref:eia-household-2022
"""


def test_a_scenario_with_no_catalogue_cites_the_library(tmp_path: Path) -> None:
    loaded = calc.load_scenario(scenario(tmp_path, FROM_REFERENCE))
    (citation,) = loaded.inputs["household_use"].citations
    assert citation.source.id == "ref:eia-household-2022"
    assert citation.source.grade == "M"
    assert citation.source.date == "2024-01-08"
    assert citation.quote is not None and "10,791 kilowatthours" in citation.quote
    assert loaded.inputs["household_use"].quantity.to("kWh/yr/home").magnitude == pytest.approx(
        10_791
    )
    assert "ref:eia-household-2022" in loaded.catalogue.sources
    homes = loaded.evaluate(samples=0).point("homes").to("home").magnitude
    assert homes == pytest.approx(8_760e6 / 10_791, rel=1e-9)


def test_value_from_reference_takes_the_range_as_uncertainty(tmp_path: Path) -> None:
    fig = load_library().get("ref:gb200-nvl72-rack-power")
    assert fig.range == ("120 kW/rack", "130 kW/rack")
    loaded = calc.load_scenario(
        scenario(tmp_path, FROM_REFERENCE.replace("eia-household-2022", "eia-household-2019"))
    )
    assert loaded.inputs["household_use"].uncertainty is None  # 2019 has no range
    path = tmp_path / "ranged.yaml"
    path.write_text(
        "title: t\ninputs:\n  demand:\n    value: from reference\n    kind: reference\n"
        "    source: ref:lbnl-datacenters-2028\n",
        encoding="utf-8",
    )
    uncertain = calc.load_scenario(path).inputs["demand"]
    assert uncertain.quantity.to("TWh/yr").magnitude == pytest.approx(580)
    assert uncertain.uncertainty is not None
    assert uncertain.uncertainty.describe() == "lognormal, 90% in [325 TWh/yr, 580 TWh/yr]"


@pytest.mark.parametrize("value", ["10,791 kWh/yr/home", "10.8 MWh/yr/home", "1.232 kW/home"])
def test_a_stated_value_within_the_library_figure_loads(tmp_path: Path, value: str) -> None:
    text = FROM_REFERENCE.replace("from reference", value)
    assert calc.load_scenario(scenario(tmp_path, text)).inputs["household_use"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("11,000 kWh/yr/home", "11,000 kWh/home/yr"), ("9 MWh/yr/home", "9 MWh/home/yr")],
)
def test_a_stated_value_outside_the_library_figure_is_refused(
    tmp_path: Path, value: str, shown: str
) -> None:
    path = scenario(tmp_path, FROM_REFERENCE.replace("from reference", value))
    with pytest.raises(SourceError) as caught:
        calc.load_scenario(path)
    assert str(caught.value) == (
        f"{path}:9: inputs.household_use.value: the value {shown} is outside what "
        "ref:eia-household-2022 gives (10,791 kWh/yr/home); write 'value: from reference', "
        "give a value within it, or, for a figure of your own, make the input an "
        "'assumption' with a note"
    )


def test_an_assumption_may_differ_from_the_figure_it_cites(tmp_path: Path) -> None:
    text = FROM_REFERENCE.replace("from reference", "12 MWh/yr/home").replace(
        "kind: reference", "kind: assumption\n    note: a larger home"
    )
    assert calc.load_scenario(scenario(tmp_path, text)).inputs["household_use"]


def test_a_value_of_another_dimension_is_refused(tmp_path: Path) -> None:
    path = scenario(tmp_path, FROM_REFERENCE.replace("from reference", "10 GW"))
    with pytest.raises(SourceError, match="does not measure what ref:eia-household-2022"):
        calc.load_scenario(path)


def test_an_unknown_library_id_names_the_closest(tmp_path: Path) -> None:
    path = scenario(tmp_path, FROM_REFERENCE.replace("household-2022", "houshold-2022"))
    with pytest.raises(SourceError) as caught:
        calc.load_scenario(path)
    assert str(caught.value).startswith(
        f"{path}:11: inputs.household_use.source: 'ref:eia-houshold-2022' is not in "
        "calc's reference library; did you mean 'ref:eia-household-2022'"
    )


def test_from_reference_needs_a_library_source(tmp_path: Path) -> None:
    path = scenario(tmp_path, FROM_REFERENCE.replace("ref:eia-household-2022", "seed-003"))
    with pytest.raises(calc.ScenarioFileError, match="'seed-003' is not a figure of calc's"):
        calc.load_scenario(path)


LOCAL = """\
references:
  eia-household-2022:
    publisher: My notes
    title: Household use as I read it
    url: https://example.org/notes
    date: "2025"
    figure: 10,000 kWh a year
    grade: S
"""


def test_a_local_catalogue_entry_wins_with_a_note(tmp_path: Path) -> None:
    text = FROM_REFERENCE.replace("from reference", "10,000 kWh/yr/home")  # unchecked
    loaded = calc.load_scenario(scenario(tmp_path, text, catalogue=LOCAL))
    (citation,) = loaded.inputs["household_use"].citations
    assert (citation.source.id, citation.source.publisher) == ("eia-household-2022", "My notes")
    note = "note: this local entry wins over the library figure ref:eia-household-2022"
    assert citation.source.describe().endswith(note)
    result = runner.invoke(app, ["run", str(tmp_path / "s.yaml"), "--samples", "0"])
    assert result.exit_code == 0, result.output
    assert note in " ".join(result.stdout.split())


def test_explain_shows_a_library_figure_like_any_source(tmp_path: Path) -> None:
    path = scenario(tmp_path, FROM_REFERENCE)
    result = runner.invoke(app, ["explain", str(path), "household_use"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "source ref:eia-household-2022 [M], quote unverified: “In 2022, the average" in flat
    assert "library: 10,791 kWh/home/yr, year 2022, basis energy/average" in flat
    assert (
        "ref:eia-household-2022: U.S. Energy Information Administration, “FAQ: How much "
        "electricity does an American home use?”, 2024-01-08, "
        "https://www.eia.gov/tools/faqs/faq.php?id=97&t=3 ([M] unverified)"
    ) in flat


def test_a_library_range_split_at_a_thousands_comma_is_refused(tmp_path):
    """'[2,074 MW]' is 2 to 074 MW to YAML, or 2,074 MW: refused at its line (#18)."""
    from calc.io.references import library_path, read_library

    text = library_path().read_text(encoding="utf-8")
    written = 'range: ["2,074 MW", "2,080 MW"]'
    line = text[: text.index(written)].count("\n") + 1
    path = tmp_path / "references.yaml"
    path.write_text(text.replace(written, "range: [2,074 MW]"), encoding="utf-8")
    with pytest.raises(calc.CalcError) as info:
        read_library(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: references.")
    assert ".range: [2,074 MW] has two readings: the range 2 to 074 MW" in message
    assert "['2,074 MW', HIGH] or [2074 MW, HIGH]" in message


def test_a_broken_library_figure_is_refused_at_its_line_when_cited(tmp_path):
    """The shipped library's figures are checked when first cited (start-up reads none
    of their values); a broken one is still reported at its line in the file."""
    from calc.io.references import library_path, read_library

    text = library_path().read_text(encoding="utf-8")
    written = "value: 2,074 MW"
    assert written in text
    line = text[: text.index("  hoover-dam-capacity:")].count("\n") + 1
    path = tmp_path / "references.yaml"
    path.write_text(text.replace(written, "value: 2,074 furlongs"), encoding="utf-8")
    library = read_library(path, check=False)  # reads, as calc does at start-up
    with pytest.raises(calc.CalcError) as info:
        library.get("ref:hoover-dam-capacity")
    assert str(info.value).startswith(f"{path}:{line}: references.hoover-dam-capacity: is not")
    with pytest.raises(calc.CalcError):
        read_library(path)  # checked whole, as the tests read it


def test_a_library_id_cited_without_ref_gets_the_spelling_to_write(tmp_path: Path) -> None:
    """The seed catalogue no longer copies library figures (#14): an old-style citation
    names the library figure instead of "did you mean" another catalogue entry."""
    stated = FROM_REFERENCE.replace("from reference", "10,791 kWh/yr/home")
    path = scenario(tmp_path, stated.replace("ref:eia-household-2022", "eia-household-2022"))
    with pytest.raises(SourceError) as caught:
        calc.load_scenario(path)
    catalogue = ROOT / "seeds" / "catalogue.yaml"
    assert str(caught.value) == (
        f"{path}:11: inputs.household_use.source: source 'eia-household-2022' is not in the "
        f"catalogue {catalogue}; calc's reference library has it: cite it as "
        "'ref:eia-household-2022' (`calc refs eia-household-2022` shows it)"
    )
    (tmp_path / "s.yaml").unlink()
    path = scenario(
        tmp_path, FROM_REFERENCE.replace("ref:eia-household-2022", "eia-household-2022")
    )
    with pytest.raises(calc.CalcError) as caught:
        calc.load_scenario(path)
    assert str(caught.value) == (
        f"{path}:9: inputs.household_use.value: has 'value: from reference' but its 'source' "
        "'eia-household-2022' is not a figure of calc's reference library; cite "
        "'ref:eia-household-2022' (`calc refs WORD` finds them), or give the value"
    )


@pytest.mark.parametrize(
    "name", ["openai-30gw", "openai-30gw-kyber", "openai-30gw-it-load", "time-to-botec"]
)
def test_shipped_scenarios_copy_no_library_figure_into_their_catalogue(name: str) -> None:
    """Every reference or assumption figure the library carries is cited as ref:ID; the
    seed catalogue keeps articles and only figures the library lacks (#14)."""
    loaded = calc.load_scenario(
        ROOT / "scenarios" / ("examples/" if name == "time-to-botec" else "") / f"{name}.yaml"
    )
    library = load_library().figures
    catalogue_ids = {sid for sid in loaded.catalogue.sources if not sid.startswith("ref:")}
    assert not catalogue_ids & set(library)
    cited = {c.source.id for i in loaded.inputs.values() for c in i.citations}
    assert {sid for sid in cited if sid.startswith("ref:")} or name == "time-to-botec"


RAINIER = ROOT / "scenarios" / "examples" / "rainier.yaml"


def test_the_rainier_example_checks_the_homes_claim_with_the_library() -> None:
    """A scenario written from scratch (#14): the article's figures quoted from the article
    the bundled catalogue carries, the household figure from the library, no catalogue of
    its own. By hand: 2.2 GW / 1.6 million homes = 1.375 kW a home against EIA's 1.232 kW."""
    loaded = calc.load_scenario(RAINIER)
    assert not (RAINIER.parent / "seeds").exists() and loaded.catalogue.path == (
        ROOT / "seeds" / "catalogue.yaml"
    )
    cited = {n: [c.source.id for c in i.citations] for n, i in loaded.inputs.items()}
    assert cited == {
        "campus_power": ["enterprisereview-rainier"],
        "homes_claimed": ["enterprisereview-rainier"],
        "household_use": ["ref:eia-household-2022"],
    }
    assert all(
        c.verified for n in ("campus_power", "homes_claimed") for c in loaded.inputs[n].citations
    )
    result = loaded.evaluate()
    assert result["per_home_load"].to("kW/home").magnitude == pytest.approx(1.375)
    household_kw = 10_791 / 8_760
    homes = result["homes_at_average_use"].to("home").magnitude
    assert homes == pytest.approx(2.2e6 / household_kw, rel=1e-9)  # 1,785,933 homes
    (verdict,) = result.verdicts
    assert verdict.verdict == "consistent"  # within 15%, the homes-equivalence default
    assert verdict.ratio == pytest.approx(1.6e6 / homes, rel=1e-9)  # 0.896
    assert loaded.claims["homes"].tolerance == pytest.approx(0.15)
    out = runner.invoke(app, ["check", str(RAINIER)])
    assert out.exit_code == 0, out.output
    assert "[ok] homes: consistent (0.896\u00d7), tolerance 15%" in out.stdout
    assert "     close call: understated at a tolerance of 10%" in out.stdout


@pytest.mark.parametrize(("tag", "verdict"), [("energy", "consistent"), ("peak", "not comparable")])
def test_a_homes_figure_on_an_energy_basis_meets_the_librarys_average_use(
    tmp_path: Path, tag: str, verdict: str
) -> None:
    """Homes "on an energy basis" and at average use are one basis: the library's
    household figure is tagged [energy, average], and a claim tagged `energy` was judged
    not comparable with it. A peak-demand figure still is."""
    text = RAINIER.read_text(encoding="utf-8").replace(
        "    quote: enough to power 1.6 million homes\n",
        f"    quote: enough to power 1.6 million homes\n    basis: {tag}\n",
    )
    path = tmp_path / "rainier.yaml"
    path.write_text(text, encoding="utf-8")
    (result,) = calc.load_scenario(path).evaluate().verdicts
    assert result.verdict == verdict


def test_a_library_basis_tag_scenarios_cannot_use_is_refused_at_its_line(tmp_path: Path) -> None:
    """The library speaks the scenarios' basis vocabulary, so a cited figure's tags travel
    with it; a tag outside it ('power' was one) is refused where it is written."""
    from calc.io.references import library_path, read_library

    text = library_path().read_text(encoding="utf-8")
    start = text.index("  hoover-dam-capacity:")
    written = text.index("basis: [nameplate]", start)
    line = text[:written].count("\n") + 1
    path = tmp_path / "references.yaml"
    path.write_text(
        text[:written] + "basis: [power, nameplate]" + text[written + 18 :], encoding="utf-8"
    )
    with pytest.raises(calc.CalcError) as info:
        read_library(path, check=False)
    assert str(info.value).startswith(
        f"{path}:{line}: references.hoover-dam-capacity.basis: 'power' is not a known basis tag"
    )
