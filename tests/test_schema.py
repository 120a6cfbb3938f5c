"""The JSON Schema of scenario files: generated, committed, and every scenario valid."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from calc.cli import app
from calc.io.schema import scenario_schema

from .conftest import ROOT

SCHEMA_FILE = ROOT / "scenarios" / "scenario.schema.json"


def test_the_committed_schema_is_current():
    """Regenerate with: calc schema -o scenarios/scenario.schema.json"""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == scenario_schema()


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_scenario_validates_against_the_schema(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(document, scenario_schema(), cls=jsonschema.Draft202012Validator)


def test_the_schema_rejects_what_the_loader_rejects():
    validator = jsonschema.Draft202012Validator(scenario_schema())
    bad = {"title": "x", "inputs": {"a": {"value": 1, "kind": "guess", "source": "s"}}}
    assert not validator.is_valid(bad)
    extra = {"title": "x", "inputs": {"a": {"value": 1, "kind": "stated", "colour": "red"}}}
    assert not validator.is_valid(extra)
    mixture = {
        "title": "x",
        "inputs": {
            "a": {
                "kind": "reference",
                "source": "s",
                "distribution": {
                    "type": "mixture",
                    "components": [0, {"type": "lognormal", "low": 1, "high": 3}],
                    "weights": [0.5, 0.5],
                },
            }
        },
    }
    assert validator.is_valid(mixture)


def test_cli_schema(tmp_path):
    printed = CliRunner().invoke(app, ["schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["title"] == "calc scenario"
    out = tmp_path / "s.json"
    written = CliRunner().invoke(app, ["schema", "-o", str(out)])
    assert written.stdout == f"wrote {out}\n"
    assert json.loads(out.read_text()) == scenario_schema()
