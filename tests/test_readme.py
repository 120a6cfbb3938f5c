"""The README's command-line examples and its JSON example of ``calc explain`` are real.

Each ```console block holds commands (lines starting with ``$ calc``) each followed
by its exact output; a command whose output has a line starting with ``calc:``
must exit 2, any other 0. They run in a copy of the top folder's ``scenarios/``
and ``seeds/``, so relative paths work and ``-o`` writes nowhere that matters.
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

README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", README, flags=re.S | re.M)


def _examples() -> list[tuple[str, str]]:
    examples: list[tuple[str, str]] = []
    for block in _blocks("console"):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.strip():
                command, _, output = chunk.partition("\n")
                examples.append((command.removeprefix("$ "), output))
    return examples


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
    expected_code = 2 if any(line.startswith("calc: ") for line in output.splitlines()) else 0
    assert (result.output, result.exit_code) == (output, expected_code)


def test_the_json_example_of_explain_is_the_real_output():
    (block,) = [b for b in _blocks("json") if '"name": "cost_per_gw"' in b]
    documented = json.loads(block)
    actual = json.loads(runner.invoke(app, ["explain", "cost_per_gw", "-f", "json"]).stdout)
    actual["scenario"]["path"] = "..."
    assert documented == actual
