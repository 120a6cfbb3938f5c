"""What each source supports: the inputs that cite it, and what rests on those inputs.

``supports(scenario)`` answers "if this source is wrong, what falls?": for every
catalogue entry the scenario cites, the inputs citing it (with the quote each
relies on), the derived quantities that rest on those inputs through the whole
graph, and the claims with a side that rests on them. ``unused_sources`` lists
the catalogue entries nothing cites. Neither needs the scenario evaluated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from calc.domain.graph import lineage
from calc.domain.references import REF_PREFIX
from calc.domain.sources import GRADES
from calc.escape import terminal
from calc.text import flat, wrap
from calc.units.display import format_quantity, quantity_json

if TYPE_CHECKING:
    from calc.domain.model import Citation, Input, Scenario
    from calc.domain.sources import Source


@dataclass(frozen=True, eq=False)
class Support:
    """One cited source and everything that rests on it, in file and evaluation order."""

    source: Source
    citations: tuple[tuple[Input, Citation], ...]
    derived: tuple[str, ...]
    claims: tuple[str, ...]

    @property
    def inputs(self) -> tuple[str, ...]:
        """Names of the inputs that cite the source."""
        return tuple(spec.name for spec, _ in self.citations)


def supports(scenario: Scenario) -> tuple[Support, ...]:
    """Every source the scenario cites, in catalogue order, with what it supports.

    >>> from calc import default_scenario, load_scenario
    >>> found = {s.source.id: s for s in supports(load_scenario(default_scenario()))}
    >>> found["ref:eia-household-2022"].inputs, found["ref:eia-household-2022"].claims
    (('household_use',), ('homes_equivalence',))
    """
    rests_on = lineage(scenario)
    result = []
    for source_id, source in scenario.catalogue.sources.items():
        citations = tuple(
            (spec, c)
            for spec in scenario.inputs.values()
            for c in spec.citations
            if c.source.id == source_id
        )
        if not citations:
            continue
        cited = {spec.name for spec, _ in citations}
        derived = tuple(n for n in scenario.derived if rests_on[n] & cited)
        claims = tuple(
            name
            for name, claim in scenario.claims.items()
            if any(rests_on[n] & cited for n in claim.claimed_names | claim.implied.names)
        )
        result.append(Support(source=source, citations=citations, derived=derived, claims=claims))
    return tuple(result)


def unused_sources(scenario: Scenario) -> tuple[Source, ...]:
    """Catalogue entries that no input of the scenario cites, in catalogue order."""
    cited = {c.source.id for spec in scenario.inputs.values() for c in spec.citations}
    return tuple(s for sid, s in scenario.catalogue.sources.items() if sid not in cited)


# --- JSON --------------------------------------------------------------------


def supports_json(scenario: Scenario) -> dict[str, Any]:
    """``calc sources -f json``: each cited source, its quotes, what rests on it,
    and the ids of the catalogue entries nothing cites.

    >>> from calc import default_scenario, load_scenario
    >>> data = supports_json(load_scenario(default_scenario()))
    >>> [s["id"] for s in data["sources"]][:2], data["sources"][0]["verified"]
    (['seed-000', 'seed-001'], True)
    """
    return {
        **_scenario_json(scenario),
        "sources": [_support_json(support) for support in supports(scenario)],
        "unused": [source.id for source in unused_sources(scenario)],
    }


def unused_json(scenario: Scenario) -> dict[str, Any]:
    """``calc sources --unused -f json``: the catalogue entries nothing cites."""
    return {
        **_scenario_json(scenario),
        "catalogue": _beside(scenario),
        "unused": [source_json(source) for source in unused_sources(scenario)],
    }


def source_json(source: Source) -> dict[str, Any]:
    """A catalogue entry as JSON; the date as the catalogue writes it; ``verified``
    says whether quotes from it are checked against its text (seeds only)."""
    return {
        "id": source.id,
        "kind": source.kind,
        "publisher": source.publisher,
        "title": source.title,
        "date": source.date,
        "url": source.url,
        "file": source.file_shown,
        "grade": source.grade,
        "grade_means": GRADES.get(source.grade or ""),
        "verified": source.verifiable,
        "quote": source.quote,
        "figure": source.figure,
        "note": source.note,
    }


def _scenario_json(scenario: Scenario) -> dict[str, Any]:
    return {
        "scenario": scenario.title,
        "path": str(scenario.path),
        "catalogue_entries": _catalogue_size(scenario),
        "library_figures": len(scenario.catalogue.sources) - _catalogue_size(scenario),
    }


def _support_json(support: Support) -> dict[str, Any]:
    inputs = [
        {
            "name": spec.name,
            **quantity_json(spec.quantity),
            "kind": spec.kind,
            "quote": citation.quote,
            "verified": citation.verified,
        }
        for spec, citation in support.citations
    ]
    return {
        **source_json(support.source),
        "inputs": inputs,
        "derived": list(support.derived),
        "claims": list(support.claims),
    }


# --- text ---------------------------------------------------------------------


def render_supports(scenario: Scenario) -> str:
    """``calc sources``: each cited source, its quotes, and what rests on it."""
    found = supports(scenario)
    unused = unused_sources(scenario)
    lines = [f"{scenario.title}  ({scenario.path})", ""]
    for support in found:
        lines += _support_lines(support)
        lines.append("")
    library = sum(1 for support in found if support.source.id.startswith(REF_PREFIX))
    footer = f"{len(found) - library} of {_catalogue_size(scenario)} catalogue entries cited"
    if library:
        footer += f", and {library} figure{'s' if library != 1 else ''} of calc's reference library"
    if unused:
        footer += f"; not cited: {', '.join(s.id for s in unused)} (details: calc sources --unused)"
    return terminal("\n".join(lines + wrap(footer, "", "  "))) + "\n"


def render_unused(scenario: Scenario) -> str:
    """``calc sources --unused``: the catalogue entries nothing in the scenario cites."""
    unused = unused_sources(scenario)
    total = _catalogue_size(scenario)
    lines = [f"{scenario.title}  ({scenario.path})", ""]
    if not unused:
        lines.append(f"every one of the {total} catalogue entries is cited")
        return terminal("\n".join(lines)) + "\n"
    entries = "entry is" if len(unused) == 1 else "entries are"
    lines += [
        f"{len(unused)} of {total} catalogue {entries} not cited (catalogue: {_beside(scenario)}):",
        "",
    ]
    for source in unused:
        lines += _heading(source, cited=False)
        if source.note:
            lines += wrap(f"note: {source.note}", "  ", "    ")
        lines.append("")
    return terminal("\n".join(lines[:-1])) + "\n"


def _catalogue_size(scenario: Scenario) -> int:
    """The catalogue's own entries, not the library figures the scenario cites beside them."""
    return sum(1 for sid in scenario.catalogue.sources if not sid.startswith(REF_PREFIX))


def _beside(scenario: Scenario) -> str:
    """The catalogue's path as a scenario's 'catalogue:' key would give it."""
    return os.path.relpath(scenario.catalogue.path.resolve(), scenario.path.resolve().parent)


def _support_lines(support: Support) -> list[str]:
    source = support.source
    lines = _heading(source)
    lines.append("  inputs:")
    for spec, citation in support.citations:
        text = f"{spec.name} = {format_quantity(spec.quantity)} [{spec.kind}]"
        if citation.quote and (source.verifiable or citation.quote != source.quote):
            text += f": \u201c{flat(citation.quote)}\u201d"
        lines += wrap(text, "    ", "      ")
    if support.derived:
        lines += wrap(f"derived: {', '.join(support.derived)}", "  ", "    ")
    if support.claims:
        lines += wrap(f"claims: {', '.join(support.claims)}", "  ", "    ")
    return lines


def _heading(source: Source, *, cited: bool = True) -> list[str]:
    """The id and standing of a source, its description, and an external one's words."""
    if source.verifiable:
        standing = "seed article" + (", quotes verified against its text" if cited else "")
    else:
        grade = f"grade {source.grade}: {GRADES[source.grade]}" if source.grade else "ungraded"
        standing = f"external reference ({grade}), unverified"
    lines = [f"{source.id}: {standing}"]
    lines += wrap(source.describe(), "  ", "  ")
    if not source.verifiable:
        if source.quote:
            lines += wrap(f"quote: \u201c{flat(source.quote)}\u201d", "  ", "    ")
        if source.figure:
            lines += wrap(f"figure: \u201c{flat(source.figure)}\u201d", "  ", "    ")
    return lines
