"""The JSON Schema of scenario files, generated from the pydantic models, for editors."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every scenario file satisfies."""
    from calc.io.specs import ScenarioSpec

    schema = ScenarioSpec.model_json_schema()
    return {
        "$schema": SCHEMA_URI,
        "title": "calc scenario",
        "description": "A calc scenario file: inputs with sources, derived quantities "
        "and claims. See the README's 'Scenario files'.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
