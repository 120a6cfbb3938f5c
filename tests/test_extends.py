"""Variants: a scenario that extends another, and the shipped variants."""

from __future__ import annotations

from pathlib import Path

import pytest

import calc
from calc.errors import ScenarioFileError

from .conftest import ROOT, SEED_SCENARIO

SCENARIOS = ROOT / "scenarios"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_kyber_variant_replaces_rack_inputs():
    r = calc.load_scenario(SCENARIOS / "openai-30gw-kyber.yaml").evaluate()
    assert r["rack_count"].to("rack").magnitude == pytest.approx(30e9 / 1.3 / 600e3)
    assert r["gpu_count"].to("gpu").magnitude == pytest.approx(30e9 / 1.3 / 600e3 * 576)
    assert r.sources("rack_power") == ("ref:rubin-ultra-nvl576-rack-power",)
    assert r["per_home_load"].to("kW/home").magnitude == pytest.approx(1.2)  # inherited


def test_the_it_load_variant_reads_30_gw_as_what_the_racks_draw():
    r = calc.load_scenario(SCENARIOS / "openai-30gw-it-load.yaml").evaluate()
    assert r["it_power"].to("GW").magnitude == pytest.approx(30)
    assert r["facility_power"].to("GW").magnitude == pytest.approx(39)
    homes = {v.name: v for v in r.verdicts}["homes_equivalence"]
    assert homes.verdict == "understated"
    assert homes.ratio == pytest.approx(25e6 / (39e6 / (10791 / 8760)))


def test_a_chain_of_extends(tmp_path):
    base = write(
        tmp_path / "b.yaml",
        f"title: B\nextends: {SEED_SCENARIO}\n"
        "inputs:\n  pue:\n    value: 1.2\n    kind: assumption\n"
        "    source: ref:uptime-new-builds-pue-2024\n    note: better cooling\n",
    )
    child = write(
        tmp_path / "c.yaml",
        "title: C\nextends: b.yaml\n"
        "derived:\n  racks_per_gw:\n    formula: rack_count / planned_power\n"
        "    unit: rack/GW\n"
        "claims:\n  racks:\n    text: about 7,000 racks per GW\n"
        "    claimed: racks_per_gw\n    implied: racks_per_gw\n",
    )
    s = calc.load_scenario(child)
    assert s.title == "C"
    assert s.extends == (SEED_SCENARIO, base)
    r = s.evaluate()
    assert r["racks_per_gw"].to("rack/GW").magnitude == pytest.approx(1e9 / 1.2 / 120e3)
    assert r["it_power"].to("GW").magnitude == pytest.approx(25)
    assert [v.name for v in r.verdicts][-1] == "racks"
    assert s.inputs["pue"].location.file == base  # errors point into the file that said it


def test_relative_paths_resolve_from_the_extending_file(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "v.yaml", f"title: V\nextends: ../{SEED_SCENARIO.name}\n")
    write(tmp_path / SEED_SCENARIO.name, SEED_SCENARIO.read_text(encoding="utf-8"))
    assert calc.load_scenario(tmp_path / "sub" / "v.yaml").title == "V"


def test_a_missing_parent(tmp_path):
    path = write(tmp_path / "v.yaml", "title: V\nextends: nowhere.yaml\n")
    with pytest.raises(ScenarioFileError) as info:
        calc.load_scenario(path)
    assert str(info.value) == (
        f"{path}:2: extends: 'nowhere.yaml' is not a file (looked for "
        f"{tmp_path / 'nowhere.yaml'}); give the parent scenario's path relative to this file"
    )


def test_a_cycle_of_extends(tmp_path):
    write(tmp_path / "a.yaml", "title: A\nextends: b.yaml\n")
    b = write(tmp_path / "b.yaml", "title: B\nextends: a.yaml\n")
    with pytest.raises(ScenarioFileError) as info:
        calc.load_scenario(tmp_path / "a.yaml")
    assert str(info.value) == (
        f"{b}:2: extends: 'a.yaml' extends back into itself (a.yaml -> "
        "b.yaml -> a.yaml); a variant cannot be its own ancestor"
    )


def test_a_file_that_extends_itself(tmp_path):
    path = write(tmp_path / "a.yaml", "title: A\nextends: a.yaml\n")
    with pytest.raises(ScenarioFileError, match=r"extends back into itself \(a.yaml -> a.yaml\)"):
        calc.load_scenario(path)


def test_a_scenario_with_no_inputs_at_all(tmp_path):
    path = write(tmp_path / "e.yaml", "title: E\n")
    with pytest.raises(ScenarioFileError) as info:
        calc.load_scenario(path)
    assert str(info.value) == (
        f"{path}:1: inputs: has no inputs; add an 'inputs' section (or "
        "'extends' a scenario that has them)"
    )


@pytest.mark.parametrize("path", sorted(SCENARIOS.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_loads_and_evaluates(path):
    result = calc.load_scenario(path).evaluate()
    assert len(result) > 0
