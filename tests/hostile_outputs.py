"""Scenario files whose every text field holds hostile text, every output calc makes of
them, and the checks that none of that text acts on its reader.

Shared by tests/test_outputs.py (a fast Hypothesis run) and bench/fuzz.py (a long one).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from typer.testing import CliRunner

from calc.cli import app
from calc.escape import has_control
from calc.scenario import load_scenario

#: Pieces of hostile text: escape sequences, markup, formulas, cell breaks.
HOSTILE = [
    "\x1b]0;owned\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m",
    "\u202eevil",
    "\u2066x\u2069",
    "\r[ok] fake",
    "\x00\x7f\x85",
    "a\nb\n| x | y |",
    "|",
    "`",
    "``",
    "[x](javascript:alert(1))",
    "![i](http://e/x.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "\"'><b>",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=x",
    ' =HYPERLINK("http://e")',
    "# heading",
    "> quote",
    "---",
    "&lt;b&gt;",
    "\\",
    "\u2028\u2029",
]


def write_files(folder: Path, text: str) -> Path:
    """A scenario and its catalogue, with ``text`` in every free-text field; returns
    the scenario's path. Names and ids stay valid (they are validated at load)."""
    catalogue = {
        "references": {
            "ref-a": {
                "publisher": text,
                "title": text,
                "url": "https://example.com/" + text,
                "date": text,
                "quote": text,
                "figure": text,
                "grade": "S",
                "note": text,
            }
        },
        "seeds": {},
    }
    scenario = {
        "title": text,
        "description": text,
        "catalogue": "catalogue.yaml",
        "units": {"robot": "robots"},
        "inputs": {
            "power": {
                "value": "30 GW",
                "range": ["25 GW", "35 GW"],
                "kind": "reference",
                "source": "ref-a",
                "quote": text,
                "note": text,
            },
            "homes": {
                "value": "25 million homes",
                "kind": "assumption",
                "source": "ref-a",
                "note": text,
            },
            "fleet": {"value": "40 robots", "kind": "assumption", "source": "ref-a", "note": text},
        },
        "derived": {
            "per_home": {"formula": "power / homes", "unit": "kW/home", "note": text},
            "per_robot": {"formula": "power / fleet", "unit": "GW/robot"},
        },
        "claims": {
            "claim_a": {"text": text, "claimed": "per_home", "implied": "per_home", "note": text}
        },
    }
    (folder / "catalogue.yaml").write_text(
        yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8"
    )
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


#: (command line, format) of every output made from a scenario file.
COMMANDS = [
    (["run", "-n", "0"], "table"),
    (["run", "-n", "200"], "table"),
    (["run", "-n", "0", "-f", "json"], "json"),
    (["run", "-n", "200", "-f", "csv"], "csv"),
    (["run", "-n", "0", "-f", "csv"], "csv"),
    (["run", "-n", "200", "-f", "markdown"], "markdown"),
    (["check", "-n", "0"], "table"),
    (["check", "-n", "0", "-f", "csv"], "csv"),
    (["check", "-n", "0", "-f", "markdown"], "markdown"),
    (["check", "-f", "json"], "json"),
    (["report", "-n", "200"], "markdown"),
    (["sources"], "table"),
    (["sources", "--unused"], "table"),
    (["sources", "-f", "json"], "json"),
    (["sources", "--unused", "-f", "json"], "json"),
    (["explain", "per_home"], "table"),
    (["explain", "per_home", "-f", "json"], "json"),
    (["sensitivity", "per_home", "-n", "50"], "table"),
    (["sensitivity", "per_home", "-n", "50", "-f", "markdown"], "markdown"),
    (["sweep", "-v", "power=1:3:3 GW", "-y", "per_home"], "table"),
    (["sweep", "-v", "power=1:3:3 GW", "-y", "per_home", "-f", "markdown"], "markdown"),
    (["sweep", "-v", "power=1:3:3 GW", "-y", "per_home", "-f", "csv"], "csv"),
    (["compare"], "table"),
    (["compare", "-f", "markdown"], "markdown"),
]


def _argv(command: list[str], path: Path) -> list[str]:
    if command[0] == "explain":
        return ["explain", str(path), *command[1:]]
    if command[0] == "sensitivity":
        return ["sensitivity", str(path), *command[1:]]
    if command[0] == "compare":
        return ["compare", str(path), str(path), *command[1:]]
    return [command[0], *command[1:], str(path)] if command[0] != "sweep" else [*command, str(path)]


def cli_outputs(path: Path) -> list[tuple[str, str, str]]:
    """(command, format, stdout + stderr) of every command on the scenario."""
    runner = CliRunner()
    found = []
    for command, fmt in COMMANDS:
        outcome = runner.invoke(app, _argv(command, path), catch_exceptions=False)
        assert outcome.exit_code in (0, 1), (command, outcome.output)
        found.append((" ".join(command), fmt, outcome.stdout))
        found.append((" ".join(command) + " (stderr)", "table", outcome.stderr))
    return found


def library_outputs(path: Path) -> list[tuple[str, str, str]]:
    """What a notebook shows: reprs, HTML and explain text (not through the CLI)."""
    scenario = load_scenario(path)
    point, sampled = scenario.evaluate(), scenario.evaluate(samples=200, seed=1)
    tree = point.explain("per_home")
    return [
        ("str(scenario)", "table", str(scenario)),
        ("str(result)", "table", str(point)),
        ("str(sampled)", "table", str(sampled)),
        ("str(explain)", "table", str(tree)),
        ("scenario html", "html", scenario._repr_html_()),
        ("result html", "html", point._repr_html_()),
        ("sampled html", "html", sampled._repr_html_()),
        ("explain html", "html", tree._repr_html_()),
    ]


# --- checks ---------------------------------------------------------------------------


def check_output(what: str, fmt: str, text: str) -> None:
    """Raise AssertionError if ``text`` could act on whoever reads it as ``fmt``."""
    assert not has_control(text), f"{what}: a control character reaches the reader"
    {
        "table": _check_table,
        "json": _check_json,
        "csv": _check_csv,
        "markdown": _check_markdown,
        "html": _check_html,
    }[fmt](what, text)


def _check_table(what: str, text: str) -> None:
    assert "\r" not in text, f"{what}: a carriage return can overwrite a line"


def _check_json(what: str, text: str) -> None:
    json.loads(text)


_FORMULA = re.compile(r"\s*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _check_csv(what: str, text: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and all(len(r) == len(rows[0]) for r in rows), f"{what}: ragged CSV"
    for row in rows:
        for cell in row:
            assert not _FORMULA.match(cell) or _NUMBER.fullmatch(cell), (
                f"{what}: the cell {cell!r} is a formula to a spreadsheet"
            )


_UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")
_AUTOLINK = re.compile(r"<https?://[^\s<>]*>")


def _check_markdown(what: str, text: str) -> None:
    tables = re.split(r"\n(?!\|)", text)
    for block in tables:
        rows = [line for line in block.split("\n") if line.startswith("|")]
        if rows:
            widths = {len(_UNESCAPED_PIPE.findall(r)) for r in rows}
            assert len(widths) == 1, f"{what}: a table row has a different number of cells"
    bare = _AUTOLINK.sub("", text)
    assert not re.search(r"(?<!\\)<", bare), f"{what}: an unescaped '<' can open raw HTML"
    assert not re.search(r"(?<!\\)\]\(", bare), f"{what}: text makes a link"


_TAGS = {
    "div",
    "h4",
    "small",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "span",
    "a",
    "b",
    "i",
    "br",
    "ul",
    "li",
    "p",
    "style",  # calc's own constant rules: verdict colours on dark themes (#20)
}
_ATTRIBUTES = {"class", "style", "title", "href"}


class _Tags(HTMLParser):
    def __init__(self, what: str) -> None:
        super().__init__(convert_charrefs=True)
        self.what = what

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in _TAGS, f"{self.what}: text opened a <{tag}> element"
        for name, value in attrs:
            assert name in _ATTRIBUTES, f"{self.what}: text added the attribute {name}"
            if name == "href":
                assert value and re.match(r"https?://", value), f"{self.what}: href {value!r}"


def _check_html(what: str, text: str) -> None:
    _Tags(what).feed(text)
