"""An interactive what-if for notebooks: a slider per numeric input, live outputs.

``interact(scenario, outputs)`` draws one slider for each input that is a single
number (bounded by its uncertainty's 5-95% range, widened to take in the point, or
else from zero to twice the value) and, under them, the outputs and the claims'
verdicts, redrawn on every move: one evaluation takes about a millisecond.
ipywidgets is an optional extra (``pip install 'infracalc[interact]'``).

A page exported without a kernel (nbconvert, when the notebook keeps no widget state)
cannot draw the sliders; the box offers it the inputs' values and the view as last
drawn, as plain HTML, in place of an empty space.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from typing import Any

from calc.errors import CalcError
from calc.render.html import _text, table, verdicts_table
from calc.units.display import format_quantity, format_together, format_unit
from calc.units.registry import Q_

#: Steps across each slider.
STEPS = 200


def interact(scenario: Any, outputs: Sequence[str] = (), *, inputs: Sequence[str] = ()) -> Any:
    """A widget box: sliders for ``inputs`` (default: every single-number input) and a
    live view of ``outputs`` (default: every derived quantity) and the verdicts.

    The box's ``sliders`` maps input names to their sliders and ``view`` is the
    HTML widget that shows the results, for code that drives it.
    """
    try:
        import ipywidgets as widgets
    except ImportError:
        raise CalcError(
            "interact needs ipywidgets, which is not installed; install it with "
            "pip install 'infracalc[interact]'"
        ) from None
    names = list(inputs) or [n for n, i in scenario.inputs.items() if _is_number(i.quantity)]
    shown = list(outputs) or list(scenario.derived)
    scenario.evaluate()  # unknown names and bad scenarios fail here, before any widget
    sliders = {name: _slider(widgets, scenario, name) for name in names}
    view = widgets.HTML()

    def redraw(_change: object = None) -> None:
        # only the moved sliders: an input left alone keeps its sources in the verdicts
        overrides = {
            name: _quantity(scenario, name, slider.value)
            for name, slider in sliders.items()
            if slider.value != float(scenario.inputs[name].quantity.magnitude)
        }
        try:
            view.value = _results_html(scenario.evaluate(**overrides), shown)
        except CalcError as error:  # e.g. a value that divides by zero: say so, keep going
            view.value = f"<p><b>cannot evaluate:</b> {_text(str(error))}</p>"

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    box = _box_type(widgets)([*sliders.values(), view])
    box.sliders, box.view, box.scenario = sliders, view, scenario
    return box


_BOX: type | None = None


def _box_type(widgets: Any) -> type:
    """A VBox that also offers a static page its contents as HTML (built on first use:
    ipywidgets is optional)."""
    global _BOX
    if _BOX is None:

        class WhatIf(widgets.VBox):  # type: ignore[misc, name-defined]
            """calc.interact's box: live in a kernel, its last view in a static page."""

            def _repr_mimebundle_(self, **kwargs: Any) -> Any:
                bundle = super()._repr_mimebundle_(**kwargs) or {}
                bundle["text/html"] = static_html(self.scenario, self.sliders, self.view)
                return bundle

        _BOX = WhatIf
    return _BOX


def static_html(scenario: Any, sliders: dict[str, Any], view: Any) -> str:
    """The inputs' values with their slider ranges, and the outputs and verdicts as last
    drawn: what a page without a kernel can show of the what-if."""
    rows = []
    for name, slider in sliders.items():
        unit = scenario.inputs[name].quantity.units
        value = format_quantity(_quantity(scenario, name, slider.value))
        ends, unit_text = format_together([Q_(slider.min, unit), Q_(slider.max, unit)])
        span = " ".join(part for part in (f"{ends[0]} to {ends[1]}", unit_text) if part)
        rows.append([f"<code>{_text(name)}</code>", _text(value), _text(span)])
    note = (
        '<p class="calc-interact-static"><i>calc.interact: the sliders move in a running '
        "kernel; this page shows the inputs and the results as last drawn.</i></p>"
    )
    inputs = table(["input", "value", "slider range"], rows, cls="interact-inputs")
    return note + inputs + view.value


def _is_number(quantity: Any) -> bool:
    try:
        return math.isfinite(float(quantity.magnitude))
    except (TypeError, ValueError):
        return False


def _slider(widgets: Any, scenario: Any, name: str) -> Any:
    spec = scenario.inputs[name]
    value = float(spec.quantity.magnitude)
    low, high = _bounds(scenario, name, value)
    unit = format_unit(spec.quantity.units)
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=float(f"{(high - low) / STEPS:.3g}"),  # a round step: readouts stay short
        description=name,
        readout_format=".4g",
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="36em"),
        tooltip=unit,
    )


def _bounds(scenario: Any, name: str, value: float) -> tuple[float, float]:
    """The uncertainty's 5-95% range, taking in the point; else 0 to twice the value."""
    spec = scenario.inputs[name]
    low, high = (0.0, 2 * value) if value >= 0 else (2 * value, 0.0)
    if spec.uncertainty is not None:
        from calc.domain.evaluate import point_values

        with contextlib.suppress(CalcError):
            low, high = map(
                float, spec.uncertainty.interval(point_values(scenario), spec.quantity.units)
            )
        # four significant figures (as the readout shows), still taking in the point
        low, high = min(float(f"{low:.4g}"), value), max(float(f"{high:.4g}"), value)
    if not high > low:  # a zero value, or a constant range
        low, high = (value - 1, value + 1) if value == 0 else (value / 2, value * 2)
        low, high = min(low, high), max(low, high)
    return low, high


def _quantity(scenario: Any, name: str, magnitude: float) -> Any:
    unit = scenario.inputs[name].quantity.units
    return scenario.inputs[name].quantity.__class__(magnitude, unit)


def _results_html(result: Any, outputs: Sequence[str]) -> str:
    rows = [[f"<code>{_text(n)}</code>", _text(format_quantity(result[n]))] for n in outputs]
    parts = [table(["output", "value"], rows, cls="interact")]
    if result.verdicts:
        parts.append(verdicts_table(result.verdicts, result.scenario.catalogue))
    return "".join(parts)
