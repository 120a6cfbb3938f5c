"""The command line's error contract, for every command: a message on stderr, no
traceback, exit 2 for bad input or usage; 1 for findings; 0 for success. Output files
are written atomically, so a failed run leaves a good file as it was."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import CalcError

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
    "sweep: no --vary": ["sweep", "--of", "rack_count"],
    "sweep: bad range": ["sweep", "--vary", "pue=1:2", "--of", "rack_count"],
    "sweep: unknown output": ["sweep", "--vary", "pue=1,2", "--of", "racks"],
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
        app, ["sweep", "--vary", "pue=1:2", "--of", "rack_count", "-o", str(good)]
    )
    assert result.exit_code == 2
    assert good.read_text() == "good\n"
    report = tmp_path / "report.md"
    report.write_text("good\n")
    result = runner.invoke(app, ["report", str(tmp_path / "missing.yaml"), "-o", str(report)])
    assert result.exit_code == 2
    assert report.read_text() == "good\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.csv", "report.md"]


@pytest.mark.parametrize(
    ("argv", "rerun"),
    [
        (["run", "-n", "0"], "calc --debug run -n 0"),
        (["run", "-s", "rack_power=600 kW/rack"], "calc --debug run -s 'rack_power=600 kW/rack'"),
    ],
)
def test_an_internal_error_is_one_line_exit_3_naming_the_command_line(
    monkeypatch, capsys, argv, rerun
):
    import sys

    from calc import cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("calc.render.text.render_run", broken)
    monkeypatch.setattr(sys, "argv", ["calc", *argv])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 3
    assert capsys.readouterr().err == (
        "calc: internal error (ZeroDivisionError: boom); this is a bug in calc, not in your "
        f"input: rerun it as {rerun} for the traceback, and report it\n"
    )


@pytest.mark.parametrize(
    "arguments",
    [["--debug", "run", "x.yaml"], ["run", "--debug", "x.yaml"], ["run", "x.yaml", "--debug"]],
)
def test_debug_is_accepted_before_or_after_the_command(arguments, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text("title: x\ninputs: {a: {value: 1}}\n", encoding="utf-8")
    with pytest.raises(CalcError):  # --debug: the error itself, for its traceback
        runner.invoke(app, arguments, catch_exceptions=False)


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ["run", "--bogus"],
            # click's words differ between versions; the line's shape is calc's
            (
                "calc: No such option: --bogus; see calc run --help",
                "calc: No such option '--bogus'; see calc run --help",
            ),
        ),
        (["frob"], "calc: No such command 'frob'; see calc --help"),
        (
            ["sweep", "--vary", "pue=1,2"],
            "calc: Missing option '--of' / '-y'; see calc sweep --help",
        ),
        (
            ["sweep", "--vary", "pue=1,2", "--output", "grid.csv"],
            "calc: Missing option '--of' / '-y'; see calc sweep --help",
        ),
    ],
)
def test_a_usage_error_is_one_line_exit_2(arguments, line):
    result = runner.invoke(app, arguments)
    lines = line if isinstance(line, tuple) else (line,)
    assert result.exit_code == 2
    assert result.stderr in [each + "\n" for each in lines]


USAGE = {
    "run": "calc run [OPTIONS] [FILE]",
    "check": "calc check [OPTIONS] [FILE]",
    "sweep": "calc sweep [OPTIONS] [FILE]",
    "compare": "calc compare [OPTIONS] FILE...",
    "sensitivity": "calc sensitivity [OPTIONS] FILE OUTPUT",
    "scenarios": "calc scenarios [OPTIONS]",
    "refs": "calc refs [OPTIONS] [WORD...]",
    "schema": "calc schema [OPTIONS]",
    "new": "calc new [OPTIONS] NAME",
    "explain": "calc explain [OPTIONS] [FILE] [NAME]",
    "sources": "calc sources [OPTIONS] [FILE]",
    "eval": "calc eval [OPTIONS] [EXPR...]",
    "report": "calc report [OPTIONS] [FILE]",
    "extract": "calc extract [OPTIONS] ARTICLE",
    "audit": "calc audit [OPTIONS] ARTICLE...",
}


def test_every_command_is_in_the_help_table():
    from calc.cli import app as typer_app

    names = {info.name or info.callback.__name__ for info in typer_app.registered_commands}
    assert names == set(USAGE)


@pytest.mark.parametrize("command", USAGE)
def test_help_names_values_as_the_user_writes_them(command):
    """FILE, NAME, N, UNIT: never typer's type placeholders (`FILE <path>`, `{name}`,
    `<list[str]>`, `<int range>`) in the usage line or beside a flag (#18)."""
    result = runner.invoke(app, [command, "--help"], prog_name="calc", terminal_width=200)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Usage: {USAGE[command]}"
    for placeholder in ("<", ">", "{", "}", "list[", "[[", "<bool>", "<path>", "<str>"):
        bad = [line for line in lines if placeholder in re.split(r"  \\?\[", line)[0]]
        assert not bad, (placeholder, bad)


def test_help_names_a_flags_value_by_what_it_is():
    help_text = runner.invoke(app, ["run", "--help"], terminal_width=200).stdout
    assert "-n, --samples N " in help_text
    assert "--seed N " in help_text
    assert "\nArguments:\n  FILE" in help_text  # typer 0.16 drops an argument's help
    assert "--to UNIT " in runner.invoke(app, ["eval", "--help"], terminal_width=200).stdout
    assert "--dir DIR " in runner.invoke(app, ["new", "--help"], terminal_width=200).stdout


def test_the_list_of_commands_gives_each_first_sentence_whole():
    """`calc --help` cut each description at the column width, mid-sentence (#18)."""
    shown = runner.invoke(app, ["--help"], terminal_width=80).stdout
    commands = " ".join(shown.split("Commands:")[1].split())
    assert "..." not in commands
    assert "run Evaluate a scenario and print every quantity with its kind and sources." in (
        commands
    )
    assert "eval One-line arithmetic with units: calc eval '1.4 trillion USD / 30 GW'." in (
        commands
    )
    assert (
        "audit Check an article's arithmetic, figure by figure, with a verdict for each check."
        in (commands)
    )
    assert all(f" {name} " in f" {commands}" for name in USAGE)
