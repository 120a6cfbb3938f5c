"""Start-up of the console script (#17): what `calc run` and `calc eval` import, and that
the fast exit keeps the exit code and every byte of the output."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

#: Imported by neither command: plotting, tables, the other commands' analyses and
#: renderers, and scipy (pint.compat imports it where installed, for a method calc never
#: calls). importlib.metadata and email are not on the list: pint, flexcache and
#: flexparser read their own versions through it on import, as `import pint` does alone.
NOT_FOR_RUN = (
    "matplotlib",
    "pandas",
    "scipy",
    "calc.analysis.comparison",
    "calc.analysis.sensitivity",
    "calc.analysis.sweeps",
    "calc.analysis.explain",
    "calc.render.html",
    "calc.render.plots",
    "calc.render.report",
    "calc.io.scaffold",
    "numpy.ma",  # numpy 2 imports it on np.unique (np.percentile): calc.percentiles does without
)
#: `calc eval` reads no scenario: no YAML, no scenario specs, no graph, no claims, and no
#: pydantic (typer 0.26+ would coerce every parameter through a pydantic TypeAdapter; the
#: command line coerces plain parameters itself).
NOT_FOR_EVAL = (
    *NOT_FOR_RUN,
    "pydantic",
    "pydantic_core",
    "typer._adapters",
    "yaml",
    "ruamel",
    "calc.io.specs",
    "calc.io.loader",
    "calc.domain.evaluate",
    "calc.domain.verdicts",
    "calc.scenario",
)

#: Runs the console script's main in a child process with a fake scipy on its path (so
#: that refusing it is tested where scipy is not installed), and writes the modules
#: imported to a file from an exit handler: the fast exit runs those before it ends.
_CHILD = textwrap.dedent(
    """
    import atexit, json, sys
    out, *argv = sys.argv[1:]
    atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
    sys.argv = ["calc", *argv]
    from calc.console import main
    main()
    """
)


def _imported(tmp_path, *argv: str) -> set[str]:
    fake = tmp_path / "site" / "scipy"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(out), *argv],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
    )
    assert done.returncode in (0, 1), done.stderr  # check exits 1: a claim conflicts
    return set(json.loads(out.read_text()))


def _within(imported: set[str], packages: tuple[str, ...]) -> list[str]:
    """The ``packages`` (or modules of theirs) among ``imported``."""
    return sorted(p for p in packages if any(m == p or m.startswith(p + ".") for m in imported))


@pytest.mark.parametrize(
    ("argv", "forbidden"),
    [
        (("run",), NOT_FOR_RUN),
        (("run", "-n", "0", "-f", "json"), NOT_FOR_RUN),
        (("run", "scenarios/examples/time-to-botec.yaml", "-n", "1000"), NOT_FOR_RUN),
        (("check",), NOT_FOR_RUN),
        (("eval", "1.4 trillion USD / 30 GW"), NOT_FOR_EVAL),
        (("eval", "30 GW / 25 million homes", "--to", "kW/home"), NOT_FOR_EVAL),
    ],
)
def test_the_command_imports_only_what_it_needs(tmp_path, argv, forbidden):
    imported = _imported(tmp_path, *argv)
    assert "pint" in imported  # the child did run the command
    assert _within(imported, _not_imported_by_numpy(forbidden)) == []


def _not_imported_by_numpy(modules: tuple[str, ...]) -> tuple[str, ...]:
    """``modules`` less those ``import numpy`` imports itself (numpy 1.x imports
    numpy.ma; numpy 2 leaves it until first use)."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, numpy; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    by_numpy = set(done.stdout.split())
    return tuple(m for m in modules if m not in by_numpy)


def test_the_command_does_not_look_for_pydantic_plugins(tmp_path):
    """Reading every installed distribution's entry points is not done by `calc run`
    (pydantic's plugin search, ~10 ms): the search would leave its (empty) findings."""
    child = _CHILD.replace(
        "json.dumps(sorted(sys.modules))",
        "repr(getattr(sys.modules.get('pydantic.plugin._loader'), '_plugins', 'absent'))",
    )
    out = tmp_path / "plugins.txt"
    env = {"PATH": "", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", child, str(out), "run"], capture_output=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text() == "None"


def test_scipy_is_imported_as_usual_after_pint(tmp_path):
    """The console refuses scipy to pint.compat alone: a later import finds it."""
    fake = tmp_path / "site" / "scipy"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("MARK = 'fake scipy'\n")
    code = (
        "import sys; sys.meta_path.insert(0, __import__('calc.console').console._NoScipyForPint());"
        "import pint.compat, scipy; print(getattr(pint.compat, 'HAS_SCIPY', False), scipy.MARK)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "False fake scipy\n", "")


@pytest.mark.parametrize(
    ("argv", "code", "out", "err"),
    [
        (("eval", "1 GW"), 0, "1 GW\n", ""),
        (("eval", "1 GW", "2 GW +"), 2, "1 GW\n", "the expression ends with '+'"),
        (("run", "missing.yaml"), 2, "", "calc: missing.yaml: no such file"),
        (("check", "-n", "0"), 1, "4 claims: 3 consistent, 1 conflict\n", ""),
        (("run", "--no-such-option"), 2, "", "No such option"),  # click's words vary
        (("--version",), 0, "calc ", ""),
    ],
)
def test_the_fast_exit_keeps_the_exit_code_and_the_output(tmp_path, argv, code, out, err):
    done = subprocess.run(
        [sys.executable, "-m", "calc", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == code, done.stderr
    assert out in done.stdout
    assert err in done.stderr
    assert done.stdout.endswith("\n") or not done.stdout


def test_the_whole_output_of_a_big_run_arrives(tmp_path):
    """Nothing buffered is lost by ending with os._exit: 60,000 CSV lines of a sweep."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "calc",
            "sweep",
            "--vary",
            "pue=1.1:1.5:300",
            "--vary",
            "load_factor=0.5:1:200",
            "--of",
            "rack_count",
            "-f",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 + 300 * 200
    assert lines[0] == "pue,load_factor,rack_count (racks)"
    assert lines[-1].startswith("1.5,1.0,")


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["run", "scenarios/openai-30gw.yaml"], ["run"]),
        (["--debug", "eval", "1 GW"], ["eval"]),
        (["refs", "--debug"], ["refs"]),
        (["--help"], None),  # the group's help lists every command
        (["rn"], None),  # a mistyped command: typer suggests from all of them
        ([], None),
    ],
)
def test_typer_builds_only_the_command_asked(argv, built):
    """typer reads every command's annotations before it parses (~30 ms); `calc run`
    needs only run's (#17)."""
    from calc.cli import _command_name, _only_the_command_asked, app

    every = [_command_name(c) for c in app.registered_commands]
    with _only_the_command_asked(argv):
        assert [_command_name(c) for c in app.registered_commands] == (built or every)
    assert [_command_name(c) for c in app.registered_commands] == every
    assert {"run", "check", "eval", "refs", "scenarios", "sweep"} <= set(every)
