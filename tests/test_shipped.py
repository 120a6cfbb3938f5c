"""Shipped scenarios by name, from a checkout and from an installed wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv

import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.errors import ScenarioFileError
from calc.io.paths import shipped_scenarios

from .conftest import ROOT

runner = CliRunner()
SHIPPED = ["openai-30gw", "openai-30gw-it-load", "openai-30gw-kyber"]


def test_calc_scenarios_lists_what_ships():
    result = runner.invoke(app, ["scenarios", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [e["name"] for e in listed] == sorted(SHIPPED)
    titles = {e["name"]: e["title"] for e in listed}
    assert titles["openai-30gw"] == "OpenAI's 30 GW, $1.4 trillion build-out"
    table = runner.invoke(app, ["scenarios"]).stdout.splitlines()
    assert table[0].split() == ["name", "title"]
    assert table[-1] == "Run one by name: calc run NAME (a path that exists wins)."


@pytest.mark.parametrize("name", ["openai-30gw-kyber", "openai-30gw-kyber.yaml"])
def test_a_name_loads_the_shipped_scenario_from_any_folder(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    scenario = calc.load_scenario(name)
    assert scenario.path == shipped_scenarios()["openai-30gw-kyber"]
    rack_count = scenario.evaluate()["rack_count"].to("rack").magnitude
    assert rack_count == pytest.approx(30e9 / 1.3 / 600e3, rel=1e-9)


def test_compare_takes_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["compare", "openai-30gw", "openai-30gw-kyber"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "OpenAI's 30 GW, $1.4 trillion build-out vs "
        "OpenAI's 30 GW on 600 kW Rubin Ultra (Kyber) racks"
    )


def test_a_path_that_exists_wins_over_a_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "openai-30gw-kyber"
    local.write_text("not: [a scenario\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        calc.load_scenario("openai-30gw-kyber")
    assert str(caught.value).startswith("openai-30gw-kyber:2: is not valid YAML")


def test_an_unknown_name_lists_the_shipped_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "openai-40gw"])
    assert result.exit_code == 2
    assert result.stderr == (
        "calc: openai-40gw: no such file, and no shipped scenario of that "
        "name; check the path, or name one that ships with calc: "
        + ", ".join(sorted(SHIPPED))
        + "\n"
    )


@pytest.mark.slow
def test_a_wheel_in_a_fresh_venv_runs_a_shipped_scenario_by_name(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("infracalc-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    away = tmp_path / "elsewhere"
    away.mkdir()
    run = subprocess.run(
        [str(bin_dir / "calc"), "run", "openai-30gw-kyber", "--samples", "0"],
        cwd=away,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("OpenAI's 30 GW on 600 kW Rubin Ultra (Kyber) racks")
    assert "rack_count" in run.stdout and "50,000 racks" not in run.stdout
    listed = subprocess.run(
        [str(bin_dir / "calc"), "scenarios", "-f", "json"],
        cwd=away,
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(e["name"] for e in json.loads(listed.stdout)) == sorted(SHIPPED)
    library = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import calc; s = calc.load_scenario('openai-30gw'); "
            "print(calc.format_quantity(s.evaluate()['cost_per_gw']), calc.__version__)",
        ],
        cwd=away,
        capture_output=True,
        text=True,
        check=True,
    )
    assert library.stdout.split(" USD/GW ")[0] == "46.7 billion"
    assert library.stdout.split()[-1] == calc.__version__


def test_ci_selects_the_derandomized_hypothesis_profile():
    from hypothesis import settings

    expected = "ci" if os.environ.get("CI") else "dev"
    assert settings._current_profile == os.environ.get("HYPOTHESIS_PROFILE", expected)
    assert settings.default.derandomize is (settings._current_profile == "ci")
