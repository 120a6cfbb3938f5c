"""`calc extract`: the table, the JSON records, --scaffold, and errors."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from calc.cli import app

from .conftest import ROOT

runner = CliRunner()
SEED_003 = ROOT / "seeds" / "003_dad698e8bbde9b79.txt"


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_extract_prints_a_table_of_the_figures():
    result = invoke("extract", SEED_003)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{SEED_003}: 3 figures",
        "",
        "offset  figure                 value             quote",
        "------  ---------------------  ----------------  "
        "-------------------------------------------------------------------",
        "  1662  $1.4 trillion          1.4 trillion USD  "
        "\u2026plans to invest $1.4 trillion to develop 30 gigawatts of\u2026",
        "  1687  30 gigawatts           30 GW             "
        "\u2026to invest $1.4 trillion to develop 30 gigawatts of computing power",
        "  1773  25 million U.S. homes  25 million homes  "
        "\u2026equivalent to the electricity consumption of 25 million U.S. homes",
        "",
        "Quotes in full: --format json. A scenario from these figures: --scaffold FILE.",
    ]


def test_extract_json_is_a_list_of_records():
    result = invoke("extract", SEED_003, "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [(r["value"], r["unit"], r["offset"]) for r in records] == [
        (1400000000000, "USD", 1662),
        (30, "gigawatt", 1687),
        (25000000, "home", 1773),
    ]
    assert records[2] == {
        "value": 25000000,
        "unit": "home",
        "display": "25 million homes",
        "text": "25 million U.S. homes",
        "quote": "roughly equivalent to the electricity consumption of 25 million U.S. homes",
        "offset": 1773,
        "low": None,
        "high": None,
        "qualifier": None,
        "noun": "U.S. homes",
        "new_units": [],
    }


def test_extract_of_an_article_without_figures_says_so():
    path = ROOT / "seeds" / "002_43d97e13a65d93b6.txt"
    result = invoke("extract", path)
    assert (result.exit_code, result.stdout) == (0, f"{path}: no figures found\n")


def test_scaffold_writes_a_scenario_that_calc_run_evaluates(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    target = tmp_path / "scenarios" / "openai.yaml"
    result = invoke("extract", SEED_003, "--scaffold", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{SEED_003}: 3 figures\n")
    assert result.stderr.splitlines() == [
        f"wrote {target}: 3 stated inputs from seed-003",
        "  investment       $1.4 trillion",
        "  computing_power  30 gigawatts",
        "  homes            25 million U.S. homes",
        f"next: rename the inputs, add derived quantities and claims, then calc run {target}",
    ]
    run = invoke("run", target)
    assert run.exit_code == 0, run.output
    assert run.stdout.splitlines()[4:7] == [
        "investment       1.4 trillion USD  stated  seed-003",
        "computing_power  30 GW             stated  seed-003",
        "homes            25 million homes  stated  seed-003",
    ]


def test_scaffold_refuses_an_existing_file_before_printing_anything(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("title: mine\n", encoding="utf-8")
    result = invoke("extract", SEED_003, "--scaffold", target)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"calc: {target}: exists already; pass --force to replace it, or choose another name\n"
    )
    assert invoke("extract", SEED_003, "--scaffold", target, "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Scaffolded by `calc extract`")


def test_a_missing_article_is_an_error_with_exit_code_2(tmp_path):
    result = invoke("extract", tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {tmp_path / 'nope.txt'}: no such file; give the path of the article's text\n"
    )


def test_extract_is_listed_in_the_help():
    result = invoke("--help")
    assert "extract" in result.stdout
    assert "List every figure an article states" in invoke("extract", "--help").stdout


UNSURE = "It spent 1.5 B on 3 tons of chips and $2 billion on 30 GW of power.\n"


def test_extract_lists_the_figures_it_could_not_read_with_their_readings(tmp_path):
    """'1.5 B' (billion or byte) and '3 tons' (short, long or metric) are not guessed."""
    article = tmp_path / "unsure.txt"
    article.write_text(UNSURE)
    result = invoke("extract", article)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{article}: 2 figures"
    assert lines[-3:] == [
        "Not read, as calc cannot be sure how (2):",
        "  '1.5 B' at character 9: 'B' after 1.5 could be 1.5 billion (write '1.5 billion'), "
        "1.5 byte (write '1.5 byte'); a letter alone has no rule to decide, so write the "
        "word or the unit",
        "  '3 tons' at character 18: 'tons' could be metric tonnes (write 'tonne'), or long "
        "tons (write 'long_ton'), or the ton, a short ton of 2,000 lb (write 'short_ton'); "
        "calc does not pick one: write the unit you mean",
    ]


def test_extract_json_keeps_standard_output_to_the_records_and_says_what_it_left_out(tmp_path):
    article = tmp_path / "unsure.txt"
    article.write_text(UNSURE)
    result = invoke("extract", article, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["text"] for r in json.loads(result.stdout)] == ["$2 billion", "30 GW"]
    assert result.stderr.startswith("Not read, as calc cannot be sure how (2):\n  '1.5 B'")
    assert result.stderr.endswith("write the unit you mean\n")
