"""The graph of a scenario: evaluation order, and what each quantity rests on."""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from calc.errors import CycleError, UnknownNameError
from calc.names import closest

if TYPE_CHECKING:
    from calc.domain.model import Derived, Input, Scenario


def order_derived(inputs: Mapping[str, Input], derived: Mapping[str, Derived]) -> list[str]:
    """Derived names in an order where each comes after what it reads."""
    known = set(inputs) | set(derived)
    graph: dict[str, set[str]] = {}
    for name, quantity in derived.items():
        for used in sorted(quantity.formula.names):
            if used not in known:
                raise _unknown(used, known, f"formula of {name!r}").at(quantity.where("formula"))
        graph[name] = {n for n in quantity.formula.names if n in derived}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        loop = list(exc.args[1])
        first = derived[loop[0]]
        raise CycleError(
            f"derived quantities depend on each other in a loop: {' -> '.join(loop)}; "
            "break the loop by making one of them an input",
            location=first.where("formula"),
        ) from None
    return _file_order_topological(graph)


def _file_order_topological(graph: Mapping[str, set[str]]) -> list[str]:
    """Kahn's algorithm, always taking the ready name that comes first in the file."""
    position = {name: i for i, name in enumerate(graph)}
    waiting = {name: len(deps) for name, deps in graph.items()}
    users: dict[str, list[str]] = {name: [] for name in graph}
    for name, deps in graph.items():
        for dep in deps:
            users[dep].append(name)
    ready = [(position[n], n) for n, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        ordered.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, (position[user], user))
    return ordered


def _unknown(name: str, known: set[str], where: str) -> UnknownNameError:
    hint = closest(name, known)
    return UnknownNameError(
        f"{name!r} in the {where} is not defined"
        + (f"; did you mean {hint}?" if hint else "; define it under 'inputs' or 'derived'"),
        name=name,
        suggestions=tuple(h.strip("'") for h in hint.split(" or ")) if hint else (),
    )


def needed_for(scenario: Scenario, names: Collection[str]) -> set[str]:
    """The names in ``names`` and every derived quantity they read, directly or not."""
    needed: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        if name in scenario.derived:
            stack.extend(scenario.derived[name].formula.names)
    return needed


def lineage(scenario: Scenario) -> dict[str, frozenset[str]]:
    """The inputs each quantity rests on, followed through the whole graph."""
    rests_on: dict[str, frozenset[str]] = {name: frozenset({name}) for name in scenario.inputs}
    for name, derived in scenario.derived.items():
        rests_on[name] = frozenset().union(*(rests_on[n] for n in derived.formula.names))
    return rests_on


def sources_of(scenario: Scenario, inputs: frozenset[str]) -> tuple[str, ...]:
    """Catalogue ids behind a set of inputs, in catalogue order, each once."""
    cited = {c.source.id for n in inputs for c in scenario.inputs[n].citations}
    listed = tuple(sid for sid in scenario.catalogue.sources if sid in cited)
    return listed + tuple(sorted(cited - set(listed)))  # e.g. "override", last
