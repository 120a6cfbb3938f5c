"""The closing comment of a scaffolded scenario: a derived quantity and a claim worth
making, written with the names the file really has.

A claim compares what the article implies with a figure from somewhere else, never a
formula with itself: the example divides two of the scaffolded inputs and checks the
ratio against a reference input the user adds from another source.
"""

from __future__ import annotations

from collections.abc import Sequence

from calc.articles.figures import Figure

#: The unit a ratio of two dimensions is shown in, and the end of its name.
_RATIO_UNITS = {
    ("[currency]", "[power]"): ("billion USD/GW", "per_gw"),
    ("[power]", "[currency]"): ("GW/billion USD", "per_billion_usd"),
}


def next_steps(inputs: Sequence[tuple[str, Figure]]) -> list[str]:
    """Comment lines: what to add next, over the inputs' own names."""
    pair = _pair(inputs)
    if pair is None:
        return [
            "# Next: add derived quantities (formulas over the inputs above) and claims",
            "# that compare a figure of the article with one from another source;",
            "# `calc new example` writes a file with an example of every field.",
        ]
    (top, top_figure), (bottom, bottom_figure) = pair
    unit, per = _RATIO_UNITS.get(
        (_dimension(top_figure), _dimension(bottom_figure)), (None, f"per_{bottom}")
    )
    ratio = f"{top}_{per}"
    return [
        "# Next: what the figures imply, and a claim to check against another source.",
        "# For example, add to `inputs:` a figure from elsewhere (cite it in the catalogue):",
        f"#   {ratio}_elsewhere:",
        f"#     value: ...{' ' + unit if unit else ''}",
        "#     kind: reference",
        "#     source: ...",
        "# then:",
        "# derived:",
        f"#   {ratio}:",
        f"#     formula: {top} / {bottom}",
        *([f"#     unit: {unit}"] if unit else []),
        "# claims:",
        f"#   {ratio}_in_line:",
        f"#     text: The article's {top} / {bottom} is in line with other estimates",
        f"#     claimed: {ratio}",
        f"#     implied: {ratio}_elsewhere",
        "#     tolerance: 20%",
    ]


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
