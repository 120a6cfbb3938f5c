"""Derivation trees: how a quantity was computed, down to the inputs and their sources.

``explain(result, name)`` returns an :class:`Explanation`, a tree of :class:`Step`
objects: each derived step holds its formula, its value and the steps it reads;
each input holds its kind, its citations (source and verbatim quote) and its note.
A quantity read in two places is the same ``Step`` object in both, so building the
tree takes time linear in the scenario's size. Printing an explanation shows each
shared sub-tree once and refers back to it after that; its JSON form lists every
step once, by name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pint

from calc.analysis.support import source_json
from calc.domain.distributions import DistributionFormula
from calc.errors import UnknownNameError
from calc.escape import terminal
from calc.text import flat, wrap
from calc.units.display import format_quantity, quantity_json

if TYPE_CHECKING:
    from calc.domain.model import Citation, Scenario
    from calc.domain.result import Result
    from calc.domain.sources import Source
    from calc.lang.formula import Formula

_PLURAL = {
    "stated": "stated figures",
    "reference": "references",
    "assumption": "assumptions",
    "override": "values set for this run",  # a what-if's (with_inputs, --set)
}
_SINGULAR = {
    "stated": "stated figure",
    "reference": "reference",
    "assumption": "assumption",
    "override": "value set for this run",
}


@dataclass(frozen=True, eq=False)
class Step:
    """One quantity in a derivation: its value and either a formula or its sources.

    ``kind`` is ``'derived'`` or an input's kind (``stated``, ``reference``,
    ``assumption``). A derived step has ``formula``, ``substituted`` (the formula
    with each name replaced by its value, rounded for display) and ``uses``, the
    steps its formula reads in the order it reads them. An input has
    ``citations``.
    """

    name: str
    kind: str
    value: pint.Quantity
    also: tuple[pint.Quantity, ...]
    formula: str | None
    substituted: str | None
    note: str | None
    uses: tuple[Step, ...]
    citations: tuple[Citation, ...]
    uncertainty: str | None = None  # an input's range or distribution, described

    @property
    def is_input(self) -> bool:
        """True for an input, False for a derived quantity."""
        return self.formula is None

    def display(self) -> str:
        """The value as output shows it: '1.2 kW/home (10,512 kWh/home/yr)'."""
        text = format_quantity(self.value)
        if self.also:
            text += f" ({', '.join(format_quantity(q) for q in self.also)})"
        return text

    def __repr__(self) -> str:
        how = f"uses {', '.join(s.name for s in self.uses)}" if self.uses else self.kind
        return f"<Step {self.name} = {self.display()} ({how})>"


@dataclass(frozen=True, eq=False)
class Explanation:
    """The derivation tree of one quantity. ``str()`` prints it; ``to_json()`` serialises it."""

    root: Step
    scenario: Scenario

    @property
    def name(self) -> str:
        return self.root.name

    def steps(self) -> tuple[Step, ...]:
        """Every step in the tree once: the root first, then depth-first in reading order."""
        return tuple(step for step, repeated, _, _ in _walk(self.root) if not repeated)

    def inputs(self) -> tuple[Step, ...]:
        """The inputs the quantity rests on, in the order the tree reaches them."""
        return tuple(step for step in self.steps() if step.is_input)

    def sources(self) -> tuple[Source, ...]:
        """The sources cited by those inputs, in catalogue order."""
        cited = {c.source.id for step in self.inputs() for c in step.citations}
        return tuple(s for sid, s in self.scenario.catalogue.sources.items() if sid in cited)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``calc explain --format json``."""
        return {
            "scenario": {"title": self.scenario.title, "path": str(self.scenario.path)},
            "name": self.name,
            "steps": {step.name: _step_json(step) for step in self.steps()},
            "sources": {s.id: _source_json(s) for s in self.sources()},
        }

    def __str__(self) -> str:
        lines = _tree_lines(self.root)
        lines += ["", *wrap(_summary(self), "", "")]
        if self.sources():
            lines += ["", "sources:"]
            for source in self.sources():
                lines += wrap(f"{source.id}: {source.describe()} ({_status(source)})", "  ", "    ")
        return terminal("\n".join(lines)) + "\n"

    def __repr__(self) -> str:
        return (
            f"<Explanation of {self.name}: {len(self.steps())} steps, {len(self.inputs())} inputs>"
        )

    def _repr_html_(self) -> str:
        from calc.display import view

        return str(view("html", self))


# --- building -----------------------------------------------------------------


def explain(result: Result, name: str) -> Explanation:
    """The derivation tree of ``name`` in an evaluated scenario.

    >>> from calc import default_scenario, load_scenario
    >>> tree = explain(load_scenario(default_scenario()).evaluate(), "cost_per_gw")
    >>> [step.name for step in tree.steps()]
    ['cost_per_gw', 'planned_investment', 'planned_power']
    >>> tree.root.substituted
    '1.4 trillion USD / 30 GW'
    """
    scenario = result.scenario
    if name in scenario.claims and name not in result:
        claim = scenario.claims[name]
        raise UnknownNameError(
            f"{name!r} is a claim, not a quantity; explain its sides instead: "
            f"claimed {claim.claimed_text()}, implied {claim.implied}",
            name=name,
        )
    result[name]  # an unknown name raises, with the closest names as suggestions
    steps: dict[str, Step] = {}
    for input_name, spec in scenario.inputs.items():
        steps[input_name] = Step(
            name=input_name,
            kind=spec.kind,
            value=result.point(input_name),
            also=(),
            formula=None,
            substituted=None,
            note=spec.note,
            uses=(),
            citations=spec.citations,
            uncertainty=spec.uncertainty.describe() if spec.uncertainty else None,
        )
    points = {n: result.point(n) for n in result}  # once: per step, it was quadratic
    for derived_name, derived in scenario.derived.items():
        value = points[derived_name]
        steps[derived_name] = Step(
            name=derived_name,
            kind="derived",
            value=value,
            also=tuple(value.to(unit) for unit in derived.also),
            formula=str(derived.formula),
            substituted=substitute(derived.formula, points),
            note=derived.note,
            uses=tuple(steps[n] for n in names_in_order(derived.formula)),
            citations=(),
        )
    return Explanation(root=steps[name], scenario=scenario)


def names_in_order(formula: Formula | DistributionFormula) -> list[str]:
    """The names a formula reads, each once, in the order they appear in its text.

    >>> from calc.lang.formula import parse_formula
    >>> names_in_order(parse_formula("max(b, a) / b ** c"))
    ['b', 'a', 'c']
    """
    if isinstance(formula, DistributionFormula):  # parameters: no one text to order by
        return sorted(formula.names)
    return list(dict.fromkeys(name for _, name in _name_spans(formula)))


def substitute(formula: Formula | DistributionFormula, values: Mapping[str, pint.Quantity]) -> str:
    """The formula with each name replaced by its value as displayed.

    A value whose unit holds '/' or '·', or that is negative, is put in
    parentheses, so the line still reads as the same arithmetic. A distribution
    shows its mean, which is its value at the point values.
    """
    if isinstance(formula, DistributionFormula):
        return f"{formula.text}, mean {format_quantity(formula.evaluate(values))}"
    data = formula.text.encode("utf-8")  # ast offsets count UTF-8 bytes
    starts = _line_starts(data)
    pieces: list[bytes] = []
    done = 0
    for (line, start, end), name in _name_spans(formula):
        shown = format_quantity(values[name])
        if formula.text != name and (any(c in shown for c in "/·") or shown.startswith("-")):
            shown = f"({shown})"
        pieces += [data[done : starts[line] + start], shown.encode("utf-8")]
        done = starts[line] + end
    pieces.append(data[done:])
    return " ".join(b"".join(pieces).decode("utf-8").split())


def _name_spans(formula: Formula) -> list[tuple[tuple[int, int, int], str]]:
    """(line index, start byte, end byte) of every name the formula reads, in text order."""
    spans = [
        ((node.lineno - 1, node.col_offset, node.end_col_offset or node.col_offset), node.id)
        for node in ast.walk(formula.tree)
        if isinstance(node, ast.Name) and node.id in formula.names
    ]
    return sorted(spans)


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    for index, byte in enumerate(data):
        if byte == ord("\n"):
            starts.append(index + 1)
    return starts


#: For each ancestor level, whether it was the last child: a linked list, (parent, last),
#: so that a step's lasts share its parent's and a deep chain is not copied at each level.
_Lasts = tuple[Any, bool] | None


def _walk(root: Step, max_depth: int | None = None) -> Iterator[tuple[Step, bool, _Lasts, int]]:
    """Depth-first, in reading order: (step, seen before, lasts, depth). A step seen
    before, or at ``max_depth``, is not descended into. Iterative, so a long chain of
    derived quantities cannot exhaust the stack."""
    seen: set[str] = set()
    stack: list[tuple[Step, _Lasts, int]] = [(root, None, 0)]
    while stack:
        step, lasts, depth = stack.pop()
        repeated = step.name in seen
        seen.add(step.name)
        yield step, repeated, lasts, depth
        if not repeated and (max_depth is None or depth < max_depth):
            children = step.uses
            for index in reversed(range(len(children))):
                stack.append((children[index], (lasts, index == len(children) - 1), depth + 1))


def _unrolled(lasts: _Lasts) -> tuple[bool, ...]:
    flags: list[bool] = []
    while lasts is not None:
        lasts, last = lasts
        flags.append(last)
    return tuple(reversed(flags))


# --- text ---------------------------------------------------------------------


#: Deepest level the text tree draws: each level indents every line below it, so a chain
#: of thousands would print a quadratic amount of indentation.
MAX_TREE_DEPTH = 64


def _tree_lines(root: Step) -> list[str]:
    lines: list[str] = []
    for step, repeated, linked, _ in _walk(root, MAX_TREE_DEPTH):
        lasts = _unrolled(linked)
        head = "".join("   " if last else "│  " for last in lasts[:-1])
        body = head
        if lasts:
            head += "└─ " if lasts[-1] else "├─ "
            body += "   " if lasts[-1] else "│  "
        tag = f"{step.kind}, see above" if repeated else step.kind
        lines.append(f"{head}{step.name} = {step.display()}  [{tag}]")
        if not repeated:
            inner = body + ("│  " if step.uses else "   ")
            for detail in _details(step):
                lines += wrap(detail, inner, inner + "  ")
            if len(lasts) == MAX_TREE_DEPTH and step.uses:
                lines.append(
                    f"{inner}... the tree is cut here, {MAX_TREE_DEPTH} levels deep; "
                    f"explain {step.name} to go on"
                )
    return lines


def _details(step: Step) -> list[str]:
    details = []
    if step.formula is not None:
        details.append(f"= {step.formula}")
        if step.substituted and step.substituted != step.formula:
            details.append(f"= {step.substituted}")
    if step.uncertainty:
        details.append(f"uncertain: {step.uncertainty}")
    for citation in step.citations:
        details.append(_citation_text(citation))
    if step.note:
        details.append(f"note: {step.note}")
    return details


def _citation_text(citation: Citation) -> str:
    """'source seed-003, quote verified: “…”'; an external reference's catalogued
    figure follows its quote, or stands alone where no quote was kept."""
    source = citation.source
    status = "verified" if citation.verified else "unverified"
    parts = []
    if citation.quote:
        parts.append(f"quote {status}: \u201c{flat(citation.quote)}\u201d")
    if source.figure:
        label = "figure" if citation.quote else f"figure {status}"
        parts.append(f"{label}: \u201c{flat(source.figure)}\u201d")
    grade = f" [{source.grade}]" if source.grade else ""
    return f"source {source.id}{grade}, " + ("; ".join(parts) or "no quote recorded")


def summary(explanation: Explanation) -> str:
    """'rack_count rests on 4 inputs: 1 stated figure, ...' (the text view's last line)."""
    return _summary(explanation)


def _summary(explanation: Explanation) -> str:
    inputs = explanation.inputs()
    if explanation.root.is_input:
        return f"{explanation.name} is an input ({explanation.root.kind})."
    counts: dict[str, list[str]] = {}
    for step in inputs:
        counts.setdefault(step.kind, []).append(step.name)
    parts = [
        f"{len(names)} {(_SINGULAR if len(names) == 1 else _PLURAL)[kind]}"
        for kind, names in sorted(counts.items(), key=lambda kv: list(_PLURAL).index(kv[0]))
    ]
    text = f"{explanation.name} rests on {len(inputs)} input{'s' if len(inputs) != 1 else ''}: "
    text += ", ".join(parts)
    if "assumption" in counts:
        text += f" ({', '.join(counts['assumption'])})"
    return text + "."


def _status(source: Source) -> str:
    return "quotes verified" if source.verifiable else f"[{source.grade}] unverified"


# --- JSON ---------------------------------------------------------------------


def _quantity_json(value: pint.Quantity) -> dict[str, Any]:
    return quantity_json(value)


def _step_json(step: Step) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": step.kind, **_quantity_json(step.value)}
    if step.is_input:
        entry["citations"] = [_citation_json(c) for c in step.citations]
        entry["uncertainty"] = step.uncertainty
    else:
        entry["formula"] = step.formula
        entry["substituted"] = step.substituted
        entry["uses"] = [s.name for s in step.uses]
        if step.also:
            entry["also"] = [_quantity_json(q) for q in step.also]
    entry["note"] = step.note
    return entry


def _citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "source": citation.source.id,
        "quote": citation.quote,
        "figure": citation.source.figure,
        "verified": citation.verified,
    }


#: The fields of a source that ``calc explain -f json`` shows (support's record has more).
_SOURCE_FIELDS = ("kind", "publisher", "title", "date", "url", "file", "grade", "grade_means")


def _source_json(source: Source) -> dict[str, Any]:
    record = source_json(source)  # one JSON form of a source, shared with calc sources
    return {field: record[field] for field in _SOURCE_FIELDS}
