"""Scenarios side by side."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import calc
from calc.analysis.comparison import line_up as compare
from calc.cli import app

from .conftest import ROOT, SEED_SCENARIO

KYBER = ROOT / "scenarios" / "openai-30gw-kyber.yaml"
IT_LOAD = ROOT / "scenarios" / "openai-30gw-it-load.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def comparison():
    return compare([calc.load_scenario(p).evaluate() for p in (SEED_SCENARIO, KYBER)])


def test_differences_and_ratios(comparison):
    rows = {q.name: q for q in comparison.quantities}
    racks = rows["rack_count"]
    assert racks.differs and not racks.is_input
    assert racks.ratio(1) == pytest.approx(0.2)
    assert racks.difference(1).to("rack").magnitude == pytest.approx(
        30e9 / 1.3 / 600e3 - 30e9 / 1.3 / 120e3
    )
    assert rows["rack_power"].differs and rows["rack_power"].is_input
    assert not rows["pue"].differs
    assert [q.name for q in comparison.quantities if q.is_input and q.differs] == [
        "rack_power",
        "gpus_per_rack",
    ]


def test_changed_verdicts(comparison):
    assert [c.name for c in comparison.claims if c.changed] == ["gpus_per_gw_vs_huang"]


def test_cli_compare_marks_differing_inputs_and_changed_verdicts():
    result = runner.invoke(app, ["compare", str(SEED_SCENARIO), str(KYBER)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].split() == [
        "quantity",
        "openai-30gw",
        "openai-30gw-kyber",
        "difference",
        "ratio",
    ]
    row = next(line for line in lines if line.startswith("* rack_power"))
    assert row.split() == [
        "*",
        "rack_power",
        "120",
        "kW/rack",
        "600",
        "kW/rack",
        "+480",
        "kW/rack",
        "5\u00d7",
    ]
    racks = next(line for line in lines if line.startswith("  rack_count"))
    assert racks.split()[-3:] == ["-153,846", "racks", "0.2\u00d7"]
    pue = next(line for line in lines if line.startswith("  pue"))
    assert pue.split() == ["pue", "1.3", "1.3"]
    assert any(line.startswith("! gpus_per_gw_vs_huang") for line in lines)
    assert lines[-1] == (
        "* an input that differs from the first scenario; ! a claim whose verdict changes"
    )


def test_cli_compare_three_and_json():
    result = runner.invoke(
        app, ["compare", str(SEED_SCENARIO), str(KYBER), str(IT_LOAD), "-f", "json"]
    )
    data = json.loads(result.stdout)
    assert [s["label"] for s in data["scenarios"]] == [
        "openai-30gw",
        "openai-30gw-kyber",
        "openai-30gw-it-load",
    ]
    assert data["quantities"]["facility_power"]["ratios"] == [
        pytest.approx(1.0),
        pytest.approx(1.3),
    ]
    assert data["claims"]["homes_equivalence"] == {
        "changed": True,
        "verdicts": ["consistent", "consistent", "understated"],
    }


def test_cli_compare_csv_is_tidy():
    result = runner.invoke(app, ["compare", str(SEED_SCENARIO), str(IT_LOAD), "-f", "csv"])
    lines = result.stdout.splitlines()
    assert lines[0] == "quantity,scenario,kind,value,unit,difference,ratio,differs"
    assert "it_power,openai-30gw-it-load,derived,30.0,GW,6.923076923076923,1.3,True" in lines


def test_compare_needs_two_or_three_files():
    result = runner.invoke(app, ["compare", str(SEED_SCENARIO)])
    assert result.exit_code == 2
    assert result.stderr == "calc: compare takes two or three scenario files, not 1\n"
