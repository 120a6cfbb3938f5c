"""The command line's error contract, for every command: a message on stderr, no
traceback, exit 2 for bad input or usage; 1 for findings; 0 for success. Output files
are written atomically, so a failed run leaves a good file as it was."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from calc.cli import app

from .conftest import ROOT

runner = CliRunner()
SEED = str(ROOT / "scenarios" / "openai-30gw.yaml")

BAD = {
    "run: missing file": ["run", "nope.yaml"],
    "run: unknown format": ["run", "-f", "xml"],
    "run: bad --set": ["run", "--set", "pue"],
    "run: negative samples": ["run", "--samples", "-5"],
    "run: unknown option": ["run", "--colour"],
    "check: missing file": ["check", "nope.yaml"],
    "check: wrong dimension": ["check", "--set", "pue=3 GW"],
    "sweep: no --vary": ["sweep", "--output", "rack_count"],
    "sweep: bad range": ["sweep", "--vary", "pue=1:2", "--output", "rack_count"],
    "sweep: unknown output": ["sweep", "--vary", "pue=1,2", "--output", "racks"],
    "compare: one file": ["compare", SEED],
    "compare: missing file": ["compare", SEED, "nope.yaml"],
    "sensitivity: unknown output": ["sensitivity", SEED, "rack_cnt"],
    "sensitivity: nothing uncertain": ["sensitivity", SEED, "per_home_load"],
    "explain: unknown name": ["explain", "per_home_lod"],
    "sources: missing file": ["sources", "nope.yaml"],
    "eval: dimension error": ["eval", "1 GW + 1 USD"],
    "eval: malformed": ["eval", "1 GW +* 2"],
    "report: missing folder": ["report", "-o", "no/such/folder/report.md"],
    "schema: missing folder": ["schema", "-o", "no/such/folder/s.json"],
    "new: bad name": ["new", "../x"],
    "extract: missing file": ["extract", "nope.txt"],
    "extract: bad format": ["extract", "nope.txt", "--format", "xml"],
    "no command": ["frobnicate"],
}


@pytest.mark.parametrize("args", BAD.values(), ids=BAD.keys())
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
    assert result.stderr.strip(), "the message goes to stderr"
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_findings_exit_1_and_success_exits_0():
    assert runner.invoke(app, ["check", "-n", "0"]).exit_code == 1  # the Foxconn conflict
    assert runner.invoke(app, ["run", "-n", "0"]).exit_code == 0
    assert runner.invoke(app, ["eval", "1 GW"]).exit_code == 0


def test_a_failed_run_leaves_a_good_output_file_as_it_was(tmp_path):
    good = tmp_path / "grid.csv"
    good.write_text("good\n")
    result = runner.invoke(
        app, ["sweep", "--vary", "pue=1:2", "--output", "rack_count", "-o", str(good)]
    )
    assert result.exit_code == 2
    assert good.read_text() == "good\n"
    report = tmp_path / "report.md"
    report.write_text("good\n")
    result = runner.invoke(app, ["report", str(tmp_path / "missing.yaml"), "-o", str(report)])
    assert result.exit_code == 2
    assert report.read_text() == "good\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.csv", "report.md"]


def test_an_internal_error_is_one_line_exit_3(monkeypatch, capsys):
    import sys

    from calc import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("calc.render.text.render_run", broken)
    monkeypatch.setattr(sys, "argv", ["calc", "run", "-n", "0"])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 3
    assert capsys.readouterr().err == (
        "calc: internal error (ZeroDivisionError: boom); this is a bug in calc, not in your "
        "input: rerun with --debug for the traceback and report it\n"
    )
