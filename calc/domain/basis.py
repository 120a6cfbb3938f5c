"""What a quantity measures (its *basis*), and whether two sides of a claim measure
the same thing.

A basis is a set of tags along named axes: ``money: investment`` or ``money: cost``,
``scope: all-in``, ``capacity: nameplate``, ``power: facility``, ``demand: peak``.
A derived quantity measures what its formula's inputs measure, unless it says
otherwise. Two sides of a claim that carry different tags on one axis measure
different things: the claim is not comparable, however close the numbers are. A side
that says nothing on an axis is not held against the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from calc.errors import ScenarioFileError

if TYPE_CHECKING:
    from calc.domain.model import Scenario

#: Well-known tags and the axis each belongs to; other axes are written as a mapping.
AXES: dict[str, str] = {
    "cost": "money",
    "investment": "money",
    "price": "money",
    "revenue": "money",
    "all-in": "scope",
    "buildings-and-power": "scope",
    "chips": "scope",
    "nameplate": "capacity",
    "output": "capacity",
    "it": "power",
    "facility": "power",
    "grid": "power",
    "average": "demand",
    "peak": "demand",
    "energy": "demand",
}

#: Tags that name the same measure: a yearly energy per home is an average draw per
#: home (energy over the hours of a year), so homes "on an energy basis" and "at
#: average demand" are one basis, set against "peak".
SAME_AS: dict[str, str] = {"energy": "average"}

#: A basis once loaded: axis -> the tags a quantity carries on it (several when its
#: inputs measure different things).
Basis = Mapping[str, frozenset[str]]


def parse_basis(raw: str | list[str] | dict[str, str] | None) -> dict[str, frozenset[str]]:
    """``'investment'``, ``[all-in, facility]`` or ``{scope: all-in}`` as axis -> tags."""
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {str(axis): frozenset({_canonical(str(tag))}) for axis, tag in raw.items()}
    tags = [raw] if isinstance(raw, str) else raw
    basis: dict[str, frozenset[str]] = {}
    for tag in tags:
        word = str(tag).strip().lower()
        if word not in AXES:
            known = ", ".join(AXES)
            raise ScenarioFileError(
                f"{tag!r} is not a known basis tag ({known}); for another kind of "
                f"difference write a mapping of axis to tag, such as {{scope: {word}}}"
            )
        basis[AXES[word]] = basis.get(AXES[word], frozenset()) | {_canonical(word)}
    return basis


def _canonical(tag: str) -> str:
    word = tag.strip().lower()
    return SAME_AS.get(word, word)


def merged(bases: Iterable[Basis]) -> dict[str, frozenset[str]]:
    """The basis of a result computed from several quantities: every tag they carry."""
    out: dict[str, frozenset[str]] = {}
    for basis in bases:
        for axis, tags in basis.items():
            out[axis] = out.get(axis, frozenset()) | tags
    return out


def bases_of(scenario: Scenario) -> dict[str, Basis]:
    """Every quantity's basis: stated on it, or inherited through its formula."""
    bases: dict[str, Basis] = {name: i.basis for name, i in scenario.inputs.items()}
    for name, derived in scenario.derived.items():
        bases[name] = derived.basis or merged(bases[n] for n in derived.formula.names)
    return bases


def difference(claimed: Basis, implied: Basis) -> str | None:
    """Where two sides measure different things, in words; None when they do not."""
    parts = [
        f"the claimed side measures {_tags(claimed[axis])} and the implied side "
        f"{_tags(implied[axis])} ({axis})"
        for axis in sorted(claimed.keys() & implied.keys())
        if claimed[axis] != implied[axis]
    ]
    return "; ".join(parts) or None


def _tags(tags: frozenset[str]) -> str:
    return " and ".join(sorted(tags))
