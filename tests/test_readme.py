"""The README's command-line examples and its JSON example of ``calc explain`` are real.

Each ```console block holds commands (lines starting with ``$ calc``) each followed
by its exact output; a command whose output has a line starting with ``calc:``
must exit 2, one that shows a claim marked ``[!!]`` 1, any other 0. The outputs
are written by ``tests/update_readme.py``, which reruns the commands. They run in a
copy of the top folder's ``scenarios/`` and ``seeds/``, so relative paths work and
``-o`` writes nowhere that matters.
The README's ```python blocks run as doctests (``--doctest-glob=*.md``).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil

import pytest
from typer.testing import CliRunner

from calc.cli import app

from .conftest import ROOT
from .update_readme import examples, rewritten

README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", README, flags=re.S | re.M)


def _examples() -> list[tuple[str, str]]:
    return [example for block in _blocks("console") for example in examples(block)]


def _expected_code(output: str) -> int:
    lines = output.splitlines()
    if any(line.startswith("calc: ") for line in lines):
        return 2
    return 1 if any(line.startswith("[!!] ") for line in lines) else 0


def test_the_readme_has_console_examples_of_each_new_command():
    commands = {shlex.split(command)[1] for command, _ in _examples()}
    assert commands >= {"explain", "sources", "eval", "report"}


@pytest.mark.parametrize(("command", "output"), _examples(), ids=[c for c, _ in _examples()])
def test_console_example(command, output, tmp_path, monkeypatch):
    for folder in ("scenarios", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    program, *arguments = shlex.split(command)
    assert program == "calc"
    result = runner.invoke(app, arguments)
    assert (result.output, result.exit_code) == (output, _expected_code(output))


def _shown(command: str) -> str:
    (output,) = [out for shown, out in _examples() if shown == command]
    return output


def test_the_default_run_is_shown_with_its_also_column():
    output = _shown("calc run scenarios/openai-30gw.yaml")
    assert "10,000 samples, seed 0" in output
    assert re.search(r"^per_home_load .* kW/home +10,512 kWh/home/yr +derived ", output, re.M)


def test_the_set_example_shows_what_each_override_replaced():
    output = _shown(
        'calc run scenarios/openai-30gw.yaml --set pue=1.5 --set rack_power="600 kW/rack"'
    )
    assert re.search(r"^rack_power +600 +kW/rack +was 120 kW/rack +override ", output, re.M)
    assert re.search(r"^pue +1.5 .*was 1.3 +override ", output, re.M)


def test_the_check_example_shows_probabilities_and_intervals():
    output = _shown("calc check scenarios/openai-30gw.yaml")
    assert "consistent (1.03\u00d7, P(implied > claimed) = 48%)" in output
    assert "     implied 90% interval: 24.4 to 25.6 million homes\n" in output


@pytest.mark.parametrize(
    ("readme", "expected"),
    [
        ("a\n```console\n$ calc x\nold\n```\nb\n", "a\n```console\n$ calc x\nNEW x\n```\nb\n"),
        (
            "```console\n$ calc x\n$ calc y\nold y\n```\n```text\n$ calc z\n```\n",
            "```console\n$ calc x\nNEW x\n$ calc y\nNEW y\n```\n```text\n$ calc z\n```\n",
        ),
        ("no blocks\n", "no blocks\n"),
    ],
)
def test_update_readme_rewrites_each_console_output_and_nothing_else(readme, expected):
    assert rewritten(readme, lambda command: f"NEW {command.split()[-1]}\n") == expected


def test_update_readme_leaves_the_readme_as_it_is():
    shown = dict(_examples())
    assert rewritten(README, lambda command: shown[command]) == README


def test_the_json_example_of_explain_is_the_real_output():
    (block,) = [b for b in _blocks("json") if '"name": "cost_per_gw"' in b]
    documented = json.loads(block)
    actual = json.loads(runner.invoke(app, ["explain", "cost_per_gw", "-f", "json"]).stdout)
    actual["scenario"]["path"] = "..."
    assert documented == actual
