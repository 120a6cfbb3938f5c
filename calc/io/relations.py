"""Reading the relation templates of ``calc audit`` (``calc/data/relations.yaml``).

The templates are data: which figures an audit pairs, the formula it checks them by,
the library figures it compares with and the tolerance it allows. This module reads
and validates them, once a process; ``calc.analysis.audit`` applies them.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from calc.errors import ScenarioFileError
from calc.io.files import read_limited
from calc.io.yamlfile import MAX_FILE_BYTES, YamlDocument, parse_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Role(_Strict):
    """A figure a template pairs: any figure with the dimension of ``like``, whose
    sentence matches ``words`` when given."""

    like: str | int = Field(description="An example unit: 'GW', 'home', 'percent', 1")
    words: str | None = Field(None, description="A regular expression the sentence must match")
    not_words: str | None = Field(
        None, description="A regular expression the sentence must not match"
    )
    not_followed_by: str | None = Field(
        None, description="A regular expression the words right after the figure must not match"
    )
    followed_by: str | None = Field(
        None, description="A regular expression the words right after the figure must match"
    )
    after: str | None = Field(
        None, description="A regular expression the words just before the figure must match"
    )
    unit_matches: str | None = Field(
        None,
        description="A regular expression the figure's unit must match, for roles of one "
        "dimension written two ways ('gigawatt' against 'terawatt_hour / year')",
    )
    dated: bool = Field(
        False,
        description="The figure must be dated to a year in its sentence ('76 TWh in "
        "2018'); a reference may then name '{role:year}'",
    )
    not_after: str | None = Field(
        None,
        description="A regular expression that must not stand in the same clause just "
        "before the figure ('racks exceeding 60 kW' is one rack's power)",
    )


class DerivedTemplate(_Strict):
    formula: str
    unit: str


class Template(_Strict):
    """One relation between figures, checked as a claim."""

    title: str
    kind: str | None = Field(
        None, description="The kind of check, in the audit's vocabulary; by default its name"
    )
    roles: dict[str, Role]
    references: dict[str, str] = {}
    constants: dict[str, str] = Field(
        {}, description="Definitions, not figures: {year: 1 yr}; {role:unit} is a role's unit"
    )
    derived: dict[str, DerivedTemplate] = {}
    claimed: str
    implied: str
    scope: Literal["beside", "sentence", "paragraph"] = Field(
        "paragraph",
        description="How far apart its figures may be; 'beside' when one restates the "
        "other right after it ('£14 billion ($17 billion)')",
    )
    claim_kind: str | None = None
    tolerance: str | None = None
    why: str | None = None
    basis: dict[str, dict[str, str]] = {}
    text: str


class RelationsFile(_Strict):
    version: int
    relations: dict[str, Template]


def relations_path() -> Path:
    """Where the shipped templates lie, in a checkout or an installed wheel."""
    return Path(str(resources.files("calc") / "data" / "relations.yaml"))


@functools.cache
def load_relations() -> dict[str, Template]:
    """The shipped templates, read and validated on first use."""
    return read_relations(relations_path(), shipped=True)


def read_relations(path: Path, *, shipped: bool = False) -> dict[str, Template]:
    """A templates file, read with a bound and validated (ScenarioFileError at the line);
    ``shipped``: calc's own, installed with its code (see ``parse_yaml``)."""
    raw = read_limited(path, MAX_FILE_BYTES, what="relation files", error=ScenarioFileError)
    document = parse_yaml(raw, path, shipped=shipped)
    if not isinstance(document.data, dict):
        raise document.error("is not a relations file: expected 'relations' at the top")
    parsed = document.validate(RelationsFile)
    for name, template in parsed.relations.items():
        _check(name, template, document)
    return parsed.relations


#: The fields of a role that hold regular expressions.
_PATTERNS = (
    "words",
    "not_words",
    "after",
    "not_after",
    "followed_by",
    "not_followed_by",
    "unit_matches",
)


def _check(name: str, template: Template, document: YamlDocument) -> None:
    """Patterns compile and every {role} a template writes is one of its roles."""
    patterns = [
        (getattr(spec, key), ("roles", role, key))
        for role, spec in template.roles.items()
        for key in _PATTERNS
    ]
    patterns += [
        (p, ("basis", role)) for role, tags in template.basis.items() for p in tags.values()
    ]
    for pattern, keys in patterns:
        if pattern is None:
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            raise document.error(
                f"is not a regular expression ({exc})", "relations", name, *keys
            ) from None
    written = " ".join(
        [template.claimed, template.implied, template.text]
        + [d.formula for d in template.derived.values()]
        + list(template.constants.values())
    )
    for role in re.findall(r"\{(\w+)\}", written):
        if role not in template.roles:
            raise document.error(
                f"names {{{role}}}, which is not one of its roles ({', '.join(template.roles)})",
                "relations",
                name,
            )
