"""The command line: output and exit codes, in-process and as the installed script."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calc.cli import app

from .conftest import SEED_SCENARIO

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_run_point_values_prints_the_seed_table():
    result = invoke("run", "--samples", "0")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OpenAI's 30 GW, $1.4 trillion build-out")
    assert lines[2].split() == ["quantity", "value", "kind", "sources"]
    rows = {line.split()[0]: line for line in lines[4:] if line and not line.startswith(" ")}
    assert rows["per_home_load"].split()[1:5] == ["1.2", "kW/home", "(10,512", "kWh/home/yr)"]
    assert "46.7 billion USD/GW" in rows["cost_per_gw"]
    assert rows["rack_count"].split()[1:4] == ["192,308", "racks", "derived"]
    assert rows["planned_power"].split()[1:] == ["30", "GW", "stated", "seed-003"]
    assert "  seed-003: " in result.stdout and "(quotes verified)" in result.stdout
    assert "  ref:eia-household-2022: U.S. Energy Information Administration, " in result.stdout
    assert lines[-1] == "4 claims: 3 consistent, 1 conflict; details: calc check"


def test_run_json_has_the_documented_shape():
    result = invoke("run", str(SEED_SCENARIO), "--format", "json", "--samples", "0")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"scenario", "quantities", "claims"}
    home = data["quantities"]["per_home_load"]
    assert home["value"] == pytest.approx(1.2)
    assert home["unit"] == "kilowatt / home"
    assert home["kind"] == "derived"
    assert home["sources"] == ["seed-003"]
    assert home["formula"] == "planned_power / homes_equivalent"
    assert home["also"][0]["display"] == "10,512 kWh/home/yr"
    cost = data["quantities"]["cost_per_gw"]
    assert (cost["value"], cost["unit"]) == (pytest.approx(4.6667e10, rel=1e-4), "USD / gigawatt")
    assert data["quantities"]["planned_investment"] == {
        "value": 1400000000000,
        "unit": "USD",
        "display": "1.4 trillion USD",
        "kind": "stated",
        "sources": ["seed-003"],
    }
    assert data["claims"]["foxconn_deal_value"]["verdict"] == "conflict"


def test_every_json_unit_parses_back(seed_result):
    from calc.units.registry import Q_

    data = json.loads(invoke("run", "-f", "json", "-n", "0").stdout)
    for name, entry in data["quantities"].items():
        back = Q_(entry["value"], entry["unit"])
        assert back.to(seed_result[name].units).magnitude == pytest.approx(
            float(seed_result[name].magnitude)
        ), name


def test_run_csv():
    result = invoke("run", "--format", "csv", "--samples", "0")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["name", "value", "unit", "display", "kind", "sources", "formula"]
    by_name = {r["name"]: r for r in rows}
    assert float(by_name["rack_count"]["value"]) == pytest.approx(30e9 / 1.3 / 120e3)
    assert by_name["rack_count"]["unit"] == "rack"
    assert (
        by_name["rack_count"]["sources"]
        == "seed-003; ref:gb200-nvl72-rack-power; ref:gb300-nvl72-rack-power; "
        "ref:uptime-new-builds-pue-2024"
    )


def test_run_markdown():
    result = invoke("run", "--format", "markdown", "--samples", "0")
    lines = result.stdout.splitlines()
    assert lines[0] == "# OpenAI's 30 GW, $1.4 trillion build-out"
    assert lines[2] == "| quantity | value | kind | sources |"
    assert "| `cost_per_gw` | 46.7 billion USD/GW | derived | seed-003 |" in lines


def test_check_lists_verdicts_and_exits_1_on_a_conflict():
    result = invoke("check", "--samples", "0")
    assert result.exit_code == 1
    out = result.stdout
    assert "[ok] homes_equivalence: consistent (1.03\u00d7), tolerance 10%" in out
    assert "[!!] foxconn_deal_value: conflict (implied is zero), tolerance 10%" in out
    assert "claimed  5 billion USD" in out and "implied  0 USD" in out
    assert out.splitlines()[-1] == "4 claims: 3 consistent, 1 conflict"


def test_run_samples_by_default_when_inputs_are_uncertain():
    result = invoke("run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("  10,000 samples, seed 0")
    assert lines[2].split() == [
        "quantity",
        "point",
        "mean",
        "5%",
        "50%",
        "95%",
        "unit",
        "also",
        "kind",
        "sources",
    ]
    rows = {line.split()[0]: line.split() for line in lines[4:] if line[:1].isalpha()}
    assert rows["planned_power"][:3] == ["planned_power", "30", "GW"]  # constant: no spread
    gpus = rows["gpu_count"]
    assert gpus[1] == "13.8" and gpus[6:9] == ["million", "GPUs", "derived"]
    assert float(gpus[3]) < 13.8 < float(gpus[5])  # 5% < point < 95%


def test_run_is_the_same_under_the_same_seed_and_differs_under_another():
    first, again = (
        invoke("run", "-f", "json", "--seed", "7"),
        invoke("run", "-f", "json", "--seed", "7"),
    )
    other = invoke("run", "-f", "json", "--seed", "8")
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    data = json.loads(first.stdout)
    assert data["scenario"]["samples"] == 10_000 and data["scenario"]["seed"] == 7
    racks = data["quantities"]["rack_count"]["samples"]
    assert set(racks) == {"mean", "p5", "p50", "p95", "unit"}
    assert racks["p5"] < racks["p50"] < racks["p95"]


def test_check_exits_0_when_every_claim_is_consistent(variant):
    path = variant(
        (
            "    claimed: foxconn_deal_value\n    implied: foxconn_committed_value\n",
            "    claimed: foxconn_deal_value\n    implied: foxconn_deal_value\n",
        )
    )
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "4 claims: 4 consistent"


def test_check_json():
    result = invoke("check", "-f", "json")
    data = json.loads(result.stdout)
    assert data["all_consistent"] is False
    homes = data["claims"]["homes_equivalence"]
    assert homes["verdict"] == "consistent"
    assert homes["ratio"] == pytest.approx(1.0266, abs=1e-4)
    assert homes["claimed"]["sources"] == ["seed-003"]
    assert homes["implied"]["sources"] == [
        "seed-003",
        "eia-household-2023",
        "ref:eia-household-2022",
        "ref:uptime-new-builds-pue-2024",
    ]
    assert data["claims"]["foxconn_deal_value"]["ratio"] is None


def test_bad_input_exits_2_with_one_line_on_stderr(variant):
    # a stated value must be what its quote says (#19); as an assumption it may differ
    path = variant(
        ("value: 30 GW\n    kind: stated", "value: 30 GWh\n    kind: assumption\n    note: what if")
    )
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"calc: {path}:")
    assert "inputs.planned_power.value: '30 GWh' is an energy" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_exits_2(tmp_path):
    result = invoke("run", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"calc: {tmp_path / 'none.yaml'}: no such file; check the path\n"


def test_an_unknown_format_is_a_usage_error():
    result = invoke("run", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = invoke("--debug", "run", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "ScenarioFileError"


# --- the installed console script ---------------------------------------------


def _script() -> str:
    found = Path(sys.executable).parent / "calc"
    return str(found) if found.exists() else (shutil.which("calc") or "calc")


def test_console_script_runs_from_any_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [_script(), "run"], cwd=tmp_path, capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "46.7     " in run.stdout and "billion USD/GW" in run.stdout
    check = subprocess.run(
        [_script(), "check", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert check.returncode == 1
    assert json.loads(check.stdout)["claims"]["foxconn_deal_value"]["verdict"] == "conflict"
    bad = subprocess.run(
        [_script(), "run", "nothing.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr == (
        "calc: nothing.yaml: no such file, and no shipped scenario of that "
        "name; check the path, or name one that ships with calc: openai-30gw, "
        "openai-30gw-it-load, openai-30gw-kyber\n"
    )


def test_python_dash_m_calc(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "calc", "run", "-f", "csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("name,value,mean,p5,p50,p95,unit,display,kind,sources,formula\n")


def test_check_of_a_scenario_without_claims(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text(
        "title: Plain\ninputs:\n  a:\n    value: 1 GW\n    kind: reference\n"
        "    source: time-to-botec\n"
    )
    result = invoke("check", str(path))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "no claims to check; add a 'claims' section to judge what a source asserts"
    )


@pytest.mark.parametrize(
    ("fmt", "row"),
    [
        ("table", r"^rack_power +600 +kW/rack +was 120 kW/rack +override +override$"),
        ("table", r"^per_home_load +1\.2 +kW/home +10,512 kWh/home/yr +derived "),
        ("markdown", r"^\| `rack_power` \| 600 \|  \|  \|  \|  \| kW/rack \| was 120 kW/rack \|"),
        ("csv", r"^rack_power,600,.*600 kW/rack \(was 120 kW/rack\),override"),
    ],
)
def test_a_sampled_run_keeps_was_and_also_in_every_format(fmt, row):
    result = invoke("run", "-f", fmt, "--set", "rack_power=600 kW/rack")
    assert result.exit_code == 0, result.output
    assert re.search(row, result.stdout, re.M), result.stdout


def _every_parameter():
    """Each parameter of calc and of each of its commands, with its command's name."""
    import typer.main

    group = typer.main.get_command(app)
    yield from (("calc", p) for p in group.params)
    for name, command in group.commands.items():
        yield from ((name, p) for p in command.params)


#: Values the command line (or a default) gives parameters: plain ones calc converts, and
#: others (to refuse, or that typer reads in its own less usual ways) it leaves to typer.
_VALUES = (
    None,
    (),
    ("a", "b"),
    "",
    "x.yaml",
    "-",
    "0",
    "7",
    "-3",
    "007",
    " 5",
    "5.0",
    "1_000",
    "12345678901234567890123",
    "json",
    "JSON",
    "bogus",
    0,
    5,
    True,
    False,
    Path("x.yaml"),
    ("1", "x"),
    (Path("a"), "b"),
)


def _outcome(runtime, value, param, ctx):
    try:
        return "value", runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the refusal, type and words, as typer gives it
        return type(exc).__name__, str(exc)


def test_plain_parameters_are_coerced_exactly_as_typer_does(tmp_path, monkeypatch):
    """calc coerces plain parameters without typer's pydantic adapters (#17): every
    value comes out, or is refused with the same words, as typer's own coercion does it."""
    import importlib.util

    from calc.cli import _coerce_plainly, _PlainValue

    if importlib.util.find_spec("typer._coercion") is None:  # typer before 0.26, over click
        parameters = [param for _, param in _every_parameter()]
        _coerce_plainly(parameters)
        assert not any(hasattr(param, "_runtime_param") for param in parameters)  # its own
        return
    from typer._coercion import build_runtime_param

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text("")
    compared = 0
    for name, param in _every_parameter():
        param._runtime_param = None
        _coerce_plainly([param])
        ours = param._runtime_param
        param._runtime_param = None
        if ours is None:
            continue
        assert isinstance(ours, _PlainValue)
        theirs = build_runtime_param(param.type_descriptor)
        ctx = app_context(name)
        for value in _VALUES:
            expected = _outcome(theirs, value, param, ctx)
            assert _outcome(ours, value, param, ctx) == expected, (name, param.name, value)
            compared += 1
    assert compared > 50 * len(_VALUES)  # every command's parameters were compared


def app_context(name: str):
    import typer.main

    group = typer.main.get_command(app)
    command = group if name == "calc" else group.commands[name]
    return command.make_context(name, [], resilient_parsing=True)


def test_a_typer_without_the_private_names_keeps_its_own_coercion(monkeypatch):
    """calc hands odd values to typer's private coercion functions; a typer that renames
    them is left to coerce everything itself, and the commands still work."""
    import calc.cli as cli

    monkeypatch.setattr(cli, "_typer_internals_known", lambda: False)
    parameters = [param for _, param in _every_parameter()]
    before = [getattr(param, "_runtime_param", "absent") for param in parameters]
    cli._coerce_plainly(parameters)
    assert [getattr(param, "_runtime_param", "absent") for param in parameters] == before
    result = runner.invoke(app, ["eval", "30 GW / 25 million homes"])
    assert (result.exit_code, result.stdout) == (0, "1.2 kW/home\n")
