"""`calc audit ARTICLE`: from an article to verdicts in one command (#15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import calc
from calc.analysis.audit import audit, audit_records
from calc.cli import app
from calc.errors import ScenarioFileError
from calc.io.relations import read_relations

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_e48b3f4221d41e9b.txt"
SEED_003 = SEEDS / "003_dad698e8bbde9b79.txt"
runner = CliRunner()


def _records(*args: str) -> list[dict]:
    result = runner.invoke(app, ["audit", *args, "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _by_kind(record: dict) -> dict[str, list[dict]]:
    kinds: dict[str, list[dict]] = {}
    for check in record["checks"]:
        kinds.setdefault(check["kind"], []).append(check)
    return kinds


def test_seed_003_homes_and_cost_per_gw_are_found_and_consistent() -> None:
    (record,) = _records(str(SEED_003))
    kinds = _by_kind(record)
    (homes,) = kinds["power-homes"]
    assert homes["verdict"] == "consistent"
    assert {f["text"] for f in homes["figures"]} == {"30 gigawatts", "25 million U.S. homes"}
    assert homes["implied"] == "24.4 million homes"  # 30 GW / 1.23 kW per home
    assert homes["eval"]["implied"] == "30 gigawatts / (1.23 kW/home)"
    assert homes["references"][0]["id"] == "eia-household-demand-2022"
    (cost,) = kinds["money-power"]
    assert cost["verdict"] == "consistent"
    assert cost["claimed"] == "46.7 billion USD/GW"  # $1.4 trillion / 30 GW
    assert cost["references"][0]["id"] == "bernstein-cost-per-gw-2025"
    assert runner.invoke(app, ["audit", str(SEED_003)]).exit_code == 0


def test_seed_000_deal_value_against_no_commitment_elsewhere_is_a_conflict() -> None:
    records = _records(*(str(p) for p in sorted(SEEDS.glob("00[0-3]_*.txt"))))
    deal = [c for c in records[0]["checks"] if c["kind"] == "money-money"]
    across = [c for c in deal if {f["article"] for f in c["figures"]} != {str(SEED_000)}]
    assert across, deal
    assert {c["verdict"] for c in across} == {"conflict"}
    assert across[0]["claimed"] == "5 billion USD"
    assert across[0]["implied"] == "0 USD"
    result = runner.invoke(app, ["audit", *(str(p) for p in sorted(SEEDS.glob("00[0-3]_*.txt")))])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(f"{SEED_000}: 3 figures, ")


def test_the_table_shows_quotes_formula_reference_and_verdict() -> None:
    result = runner.invoke(app, ["audit", str(SEED_003)])
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SEED_003}: 4 figures, 2 checks: 2 consistent; 1 not checked"
    assert "1. power against homes: consistent (1.02\u00d7), tolerance 15%" in lines
    assert '   implied:   24.4 million homes  = calc eval "30 gigawatts / (1.23 kW/home)"' in lines
    assert any(
        line.startswith("   reference: eia-household-demand-2022: 1.23 kW/home (") for line in lines
    )
    assert any(line.startswith("Not checked: ") for line in lines)


def test_every_eval_line_gives_the_value_shown() -> None:
    """The formula with values put in is a `calc eval` line that gives each side."""
    for record in _records(
        str(SEED_003), str(ROOT / "tests/cases/audit/articles/008_newser-nvidia-openai-hoover.txt")
    ):
        for check in record["checks"]:
            for side in ("claimed", "implied"):
                value = calc.evaluate_expression(check["eval"][side])
                shown = calc.parse_quantity(check[side])
                assert value.to(shown.units).magnitude == pytest.approx(shown.magnitude, rel=5e-3)


def test_write_keeps_a_scenario_that_calc_check_judges_the_same(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(SEED_003.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "audit.yaml"
    result = runner.invoke(app, ["audit", str(article), "--write", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {target}; check it with: calc check {target}" in result.stderr
    (record,) = _records(str(article))
    checked = runner.invoke(app, ["check", str(target), "-f", "json"])
    assert checked.exit_code == 0, checked.output
    verdicts = {name: c["verdict"] for name, c in json.loads(checked.stdout)["claims"].items()}
    assert verdicts == {c["id"]: c["verdict"] for c in record["checks"]}
    assert (tmp_path / "seeds" / "catalogue.yaml").is_file()
    again = runner.invoke(app, ["audit", str(article), "--write", str(target)])
    assert again.exit_code == 2  # nothing overwritten the user did not ask for
    assert "--force" in again.stderr


def test_write_takes_one_article() -> None:
    result = runner.invoke(app, ["audit", str(SEED_000), str(SEED_003), "--write", "x.yaml"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "calc: --write keeps the scenario of one article; 2 were given: audit them one at "
        "a time to keep each"
    )
    assert not Path("x.yaml").exists()


def test_a_missing_article_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["audit", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"calc: {missing}: does not exist; give the path of an article's text (UTF-8)"
    )


def test_a_folder_is_its_articles_with_one_line_each_and_a_jsonl_report(tmp_path: Path) -> None:
    for seed in sorted(SEEDS.glob("00*.txt")):
        (tmp_path / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    report = tmp_path / "out" / "report.jsonl"
    (tmp_path / "out").mkdir()
    result = runner.invoke(app, ["audit", str(tmp_path), "--report", str(report)])
    lines = result.stdout.splitlines()
    assert len([line for line in lines if line.startswith(str(tmp_path))]) == 5
    assert lines[-1] == "5 articles; each in full: calc audit ARTICLE"
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["article"]).name for r in rows] == sorted(p.name for p in SEEDS.glob("00*.txt"))
    assert "text" not in rows[0]


def test_parallel_processes_give_the_same_records() -> None:
    paths = sorted(SEEDS.glob("00*.txt"))
    _, serial = audit_records(paths, jobs=1)
    _, parallel = audit_records(paths, jobs=2)
    assert parallel == serial


def test_markdown_has_a_table_per_article() -> None:
    result = runner.invoke(app, ["audit", str(SEED_003), "-f", "markdown"])
    assert result.exit_code == 0
    assert f"## {SEED_003}" in result.stdout
    assert (
        "| check | in words | verdict | claimed vs implied | implied by | reference |"
        in result.stdout
    )


def test_the_html_page_marks_each_figure_in_its_verdict_colour(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "<script>alert(1)</script> The 30 gigawatts campus equals 25 million U.S. homes.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(hostile), "-f", "html"])
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    marks = re.findall(r'<mark class="checked" data-verdict="([a-z ]+)"[^>]*>([^<]+)</mark>', page)
    assert marks == [("consistent", "30 gigawatts"), ("consistent", "25 million U.S. homes")]
    assert "http" not in page.split("<script>")[0].split("<body>")[0]  # loads nothing


def test_one_article_stating_a_figure_twice_differently_is_a_conflict(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "The site will draw 900 megawatts. Later the company said it would draw 1,000 megawatts.\n",
        encoding="utf-8",
    )
    ((check,),) = [[c for c in r["checks"]] for r in _records(str(article))]
    assert check["kind"] == "stated-twice"
    assert check["verdict"] == "conflict"


def test_different_figures_in_different_paragraphs_are_not_one_figure(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "The 1.2-gigawatt campus opens in May.\n\nElsewhere, xAI's Colossus 2 will need 1 "
        "gigawatt.\n\nThe campus, at 1.2 gigawatts, is the state's largest.\n",
        encoding="utf-8",
    )
    (record,) = _records(str(article))
    assert [(c["text"], c["verdict"]) for c in record["checks"]] == [
        ("'1.2 gigawatts' restates '1.2-gigawatt'", "consistent")
    ]


def test_an_investment_in_a_company_is_not_comparable_with_a_build_cost(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Nvidia is making a $100 billion investment in OpenAI, which will deploy at "
        "least 10 gigawatts of systems.\n",
        encoding="utf-8",
    )
    (record,) = _records(str(article))
    (check,) = _by_kind(record)["money-power"]
    assert check["verdict"] == "not comparable"
    assert (
        check["detail"] == "the claimed side measures investment and the implied side cost (money)"
    )


def test_a_plant_comparison_uses_the_library_capacity(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "The campus needs 10 gigawatts, more than four Hoover Dams produce.\n", encoding="utf-8"
    )
    (record,) = _records(str(article))
    (check,) = _by_kind(record)["plant-comparison"]
    assert check["implied"] == "4.82 dam_count"  # 10 GW / 2,074 MW
    assert check["verdict"] == "consistent"  # 'more than four': at least 4


def test_audit_returns_the_checks_for_a_notebook() -> None:
    (result,) = audit([SEED_003])
    assert [c.verdict.verdict for c in result.checks] == ["consistent", "consistent"]
    assert "claims:" in result.scenario_text


def test_a_template_file_with_a_bad_pattern_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "relations.yaml"
    bad.write_text(
        "version: 1\nrelations:\n  x:\n    title: t\n    roles:\n"
        "      a: {like: GW, words: '(unclosed'}\n"
        "    claimed: '{a}'\n    implied: '{a}'\n    text: '{a}'\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioFileError) as caught:
        read_relations(bad)
    assert str(caught.value).startswith(f"{bad}:6: relations.x.roles.a.words: is not a regular")


def test_a_template_naming_an_unknown_role_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "relations.yaml"
    bad.write_text(
        "version: 1\nrelations:\n  x:\n    title: t\n    roles:\n      a: {like: GW}\n"
        "    claimed: '{b}'\n    implied: '{a}'\n    text: '{a}'\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ScenarioFileError, match=r"names \{b\}, which is not one of its roles \(a\)"
    ):
        read_relations(bad)


@pytest.mark.parametrize(
    ("sentence", "verdict", "implied"),
    [
        (
            "Capacity grew from 200 megawatts in 2020 to 410 megawatts in 2024, more than "
            "doubling.",
            "consistent",
            "2.05",
        ),
        (
            "Capacity grew from 200 megawatts in 2020 to 300 megawatts in 2024, doubling.",
            "arithmetic error",
            "1.5",
        ),
    ],
)
def test_a_change_in_words_is_checked_against_its_figures(
    tmp_path: Path, sentence: str, verdict: str, implied: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(sentence + "\n", encoding="utf-8")
    (record,) = _records(str(article))
    (check,) = [c for c in record["checks"] if c["title"] == "a change stated as a multiple"]
    assert (check["verdict"], check["claimed"], check["implied"]) == (verdict, "2", implied)
    assert (
        check["eval"]["implied"]
        == {
            "consistent": "410 megawatts / 200 megawatts",
            "arithmetic error": "300 megawatts / 200 megawatts",
        }[verdict]
    )


def test_a_share_of_us_electricity_for_data_centers_meets_the_library_share(
    tmp_path: Path,
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Data centers in the United States now account for approximately 10% of the "
        "country's total electricity consumption.\n",
        encoding="utf-8",
    )
    (record,) = _records(str(article))
    (check,) = record["checks"]
    assert check["title"] == "data centers' share of U.S. electricity"
    assert check["verdict"] == "overstated"
    assert check["implied"] == "4.56 %"  # 176 TWh / 3,861 TWh (LBNL and EIA, 2023)
    assert [r["id"] for r in check["references"]] == [
        "lbnl-datacenters-2023",
        "eia-retail-sales-2023",
    ]


_WORDS = st.sampled_from(
    [
        "30 gigawatts",
        "25 million U.S. homes",
        "$1.4 trillion",
        "(",
        ")",
        "or",
        "doubled",
        "more than",
        "4 Hoover Dams",
        "10%",
        "of the country's electricity",
        "data centers",
        "176 TWh",
        "2,000 watts",
        "(2kW)",
        "no financial commitment",
        "deal valued at $5 billion",
        "racks",
        "120 kW",
        "72 GPUs",
        "45 degC",
        "1e999 GW",
        ".",
        "\n\n",
        "per",
        "a day",
        "\u2248",
        "0 GW",
        "-3 MW",
        "half a million homes",
        "USD",
        "T",
        "M",
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=25))
def test_any_text_is_audited_or_refused_never_a_crash(tmp_path_factory, words) -> None:
    article = tmp_path_factory.mktemp("a") / "a.txt"
    article.write_text(" ".join(words), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(article)])
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1


def test_a_rack_design_is_checked_against_the_library(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Fairwater runs on Nvidia GB200 servers with 72 Blackwell GPUs per rack. One rack "
        "in a typical datacenter might draw 20 kilowatts, while the latest Nvidia rack "
        "draws 132 kW.\n",
        encoding="utf-8",
    )
    (record,) = _records(str(article))
    checks = {c["title"]: c for c in record["checks"]}
    density = checks["GPUs per rack against the rack's design"]
    assert (density["claimed"], density["implied"], density["verdict"]) == (
        "72 GPU/rack",
        "72 GPU/rack",
        "consistent",
    )
    power = checks["one rack's power against the rack's design"]
    assert [f["text"] for f in power["figures"]] == ["132 kW"]  # not the 20 kW rack
    assert (power["claimed"], power["verdict"]) == ("132 kW/rack", "consistent")


def test_a_figure_named_like_a_reference_keeps_its_own_value(monkeypatch, tmp_path) -> None:
    """Had a figure's input taken the name 'pue', the library's PUE must not be read as
    the figure (nor the figure as the PUE): each keeps its own name."""
    import calc.io.scaffold as scaffold

    article = tmp_path / "a.txt"
    article.write_text("The 100 MW site will hold 50,000 GPUs.\n", encoding="utf-8")
    monkeypatch.setattr(
        scaffold, "input_names", lambda text, figures: ["pue", "power_per_gpu"][: len(figures)]
    )
    _, (record,) = audit_records([article])
    (check,) = record["checks"]
    assert check["verdict"] == "consistent"  # 2 kW/GPU against 1.79 x 1.3
    assert check["eval"] == {"claimed": "100 MW / 50,000 GPUs", "implied": "(1.79 kW/gpu) * (1.3)"}


UNSURE_ARTICLE = (
    "Meta will spend 1.5 B on a 2 GW campus that powers 1.5 million homes, and ship 3 tons "
    "of chips.\n"
)


def test_audit_says_which_figures_it_could_not_read_in_every_format(tmp_path) -> None:
    """'1.5 B' (billion or byte?) is neither checked nor silently dropped: the audit names
    it with its readings, beside the checks it could make."""
    article = tmp_path / "unsure.txt"
    article.write_text(UNSURE_ARTICLE, encoding="utf-8")
    (record,) = _records(str(article))
    assert [(u["text"], u["offset"]) for u in record["not_read"]] == [
        ("1.5 B", 16),
        ("3 tons", 79),
    ]
    assert record["not_read"][0]["reason"].startswith("'B' after 1.5 could be 1.5 billion")
    table = runner.invoke(app, ["audit", str(article)]).stdout
    assert table.splitlines()[0].endswith("; 0 not checked, 2 not read")
    assert "\nNot read: 1.5 B (at 16): 'B' after 1.5 could be 1.5 billion" in table
    markdown = runner.invoke(app, ["audit", str(article), "-f", "markdown"]).stdout
    assert "\n- Not read: 3 tons (at 79): 'tons' could be metric tonnes" in markdown
    page = runner.invoke(app, ["audit", str(article), "-f", "html"]).stdout
    assert "Not read, as calc cannot be sure how:</p><ul><li><b>1.5 B</b> (at 16)" in page


def test_an_implied_value_at_the_end_of_its_range_says_so() -> None:
    """The library's $35-60 B/GW starts at its value, 35: the samples' 90% interval
    (35.1 to 59.9) then excludes the value shown beside it, which read as an error."""
    (record,) = _records(str(SEED_003))
    (cost,) = [c for c in record["checks"] if c["title"] == "money against power"]
    assert cost["implied"] == "35 billion USD/GW"
    assert re.fullmatch(
        r"35\.\d to 59\.\d billion USD/GW; the value is at one end of its range", cost["interval"]
    )
    (homes,) = [c for c in record["checks"] if c["title"] == "power against homes"]
    assert homes["interval"] is None
