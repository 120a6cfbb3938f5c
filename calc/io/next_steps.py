"""The closing comment of a scaffolded scenario: a derived quantity and a claim worth
making, written with the names the file really has.

A claim compares what the article implies with a figure from somewhere else, never a
formula with itself: the example divides two of the scaffolded inputs and checks the
ratio against a reference input the user adds from another source.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from calc.articles.figures import Figure
from calc.domain.model import Bound, bound_of

#: The unit a ratio of two dimensions is shown in, and the end of its name.
_RATIO_UNITS = {
    ("[currency]", "[power]"): ("billion USD/GW", "per_gw"),
    ("[power]", "[currency]"): ("GW/billion USD", "per_billion_usd"),
}

#: A figure of calc's reference library to set the ratio against, where one fits: the
#: all-in cost of an AI data center per GW (a money figure may be only part of that,
#: which the claim's ``basis`` then says).
_LIBRARY_FIGURES = {("[currency]", "[power]"): "nvidia-cost-per-gw-2025"}


def next_steps(inputs: Sequence[tuple[str, Figure]]) -> list[str]:
    """Comment lines: what to add next, over the inputs' own names; a figure the article
    bounds ("up to", "more than") gives its claim a ``bound:``."""
    return _ratio_steps(inputs) + _bound_steps(inputs, claims_header=_pair(inputs) is None)


def _ratio_steps(inputs: Sequence[tuple[str, Figure]]) -> list[str]:
    pair = _pair(inputs)
    if pair is None:
        return [
            "# Next: add derived quantities (formulas over the inputs above) and claims",
            "# that compare a figure of the article with one from another source;",
            "# `calc new example` writes a file with an example of every field.",
        ]
    (top, top_figure), (bottom, bottom_figure) = pair
    dimensions = (_dimension(top_figure), _dimension(bottom_figure))
    unit, per = _RATIO_UNITS.get(dimensions, (None, f"per_{bottom}"))
    ratio = f"{top}_{per}"
    return [
        "# Next: what the figures imply, and a claim to check against another source.",
        *_elsewhere_lines(ratio, unit, _LIBRARY_FIGURES.get(dimensions)),
        "# then:",
        "# derived:",
        f"#   {ratio}:",
        f"#     formula: {top} / {bottom}",
        *([f"#     unit: {unit}"] if unit else []),
        "# claims:",
        f"#   {ratio}_in_line:",
        f"#     text: The article's {top} / {bottom} is in line with other estimates",
        f"#     claimed: {ratio}",
        *_bound_line(_quotient_bound(top_figure, bottom_figure), top_figure, bottom_figure),
        f"#     implied: {ratio}_elsewhere",
        "#     tolerance: 20%",
    ]


def _elsewhere_lines(ratio: str, unit: str | None, library_id: str | None) -> list[str]:
    """The input a claim sets the article's ratio against: a sourced figure of calc's
    reference library where one fits, else one the user cites in the catalogue."""
    if library_id is not None:
        return [
            "# For example, add to `inputs:` a sourced figure of calc's reference library",
            f"# (`calc refs {library_id}` shows it; `calc refs WORD` finds others):",
            f"#   {ratio}_elsewhere:",
            "#     value: from reference",
            "#     kind: reference",
            f"#     source: ref:{library_id}",
        ]
    return [
        "# For example, add to `inputs:` a figure from elsewhere: one of calc's reference",
        "# library (`calc refs WORD` finds them), or one you cite in the catalogue:",
        f"#   {ratio}_elsewhere:",
        f"#     value: ...{' ' + unit if unit else ''}",
        "#     kind: reference",
        "#     source: ...",
    ]


def _bound_steps(inputs: Sequence[tuple[str, Figure]], *, claims_header: bool) -> list[str]:
    """For each figure stated as a bound, a claim on it that keeps the bound (under the
    ratio's ``claims:`` when there is one, so that the comment uncomments as one file)."""
    lines: list[str] = []
    for name, figure in inputs:
        bound = _bound(figure)
        if bound is None:
            continue
        if not lines:
            lines.append("# The article bounds these figures; a claim on one keeps the bound:")
            lines += ["# claims:"] if claims_header else []
        lines += [
            f"#   {name}_claim:",
            f"#     text: {json.dumps(' '.join(figure.quote.split()), ensure_ascii=False)}",
            f"#     claimed: {name}",
            *_bound_line(bound, figure),
            "#     implied: ...   # the same figure worked out from another source",
        ]
    return lines


def _bound(figure: Figure) -> Bound | None:
    """at_most or at_least where the article's qualifier bounds the figure."""
    bound = bound_of(figure.qualifier) if figure.qualifier else None
    return bound if bound in ("at_most", "at_least") else None


def _quotient_bound(top: Figure, bottom: Figure) -> Bound | None:
    """The bound on top / bottom: "up to" on the top bounds it above, on the bottom below."""
    flipped = {"at_most": "at_least", "at_least": "at_most"}
    ends = {b for b in (_bound(top), flipped.get(_bound(bottom) or "")) if b is not None}
    return next(iter(ends)) if len(ends) == 1 else None  # type: ignore[return-value]


def _bound_line(bound: Bound | None, *figures: Figure) -> list[str]:
    if bound is None:
        return []
    why = ", ".join(_words(f) for f in figures if _bound(f) is not None)
    return [f"#     bound: {bound}   # from {why}"]


def _words(figure: Figure) -> str:
    return f'"{figure.qualifier} {" ".join(figure.text.split())}"'


def _pair(inputs: Sequence[tuple[str, Figure]]) -> tuple[tuple[str, Figure], ...] | None:
    """Two inputs of different dimensions to divide: money by power when there are both,
    else the first two that differ."""
    by_dimension: dict[str, tuple[str, Figure]] = {}
    for name, figure in inputs:
        by_dimension.setdefault(_dimension(figure), (name, figure))
    if "[currency]" in by_dimension and "[power]" in by_dimension:
        return by_dimension["[currency]"], by_dimension["[power]"]
    firsts = list(by_dimension.values())
    return tuple(firsts[:2]) if len(firsts) >= 2 else None


def _dimension(figure: Figure) -> str:
    figure.define_units()
    quantity = figure.quantity
    for dimension in ("[currency]", "[power]"):
        if quantity.check(dimension):
            return dimension
    return str(quantity.dimensionality)
