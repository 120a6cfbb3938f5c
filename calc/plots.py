"""Matplotlib figures: built on ``Figure`` directly, so nothing is shown and no
pyplot state is touched; the caller saves or displays them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import CalcError
from .files import write_atomic
from .units import format_number

#: Heat maps up to this many cells get each value written in its cell.
MAX_ANNOTATED_CELLS = 100

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .sweeps import Sweep


def _matplotlib_figure() -> type[Figure]:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise CalcError("plots need matplotlib, which is not installed; install it with "
                        "pip install 'calc[plot]'") from None
    return Figure


def sweep_figure(sweep: Sweep) -> Figure:
    """A line chart per output (one varied input) or a heat map per output (two)."""
    Figure = _matplotlib_figure()

    count = len(sweep.outputs)
    figure = Figure(figsize=(6.4, 3.2 * count) if len(sweep.axes) == 1 else (6.4, 4.8 * count),
                    layout="constrained")
    axes = figure.subplots(count, 1, squeeze=False)[:, 0]
    for ax, name in zip(axes, sweep.outputs, strict=True):
        if len(sweep.axes) == 1:
            _line(ax, sweep, name)
        else:
            _heat_map(figure, ax, sweep, name)
    figure.suptitle(sweep.scenario.title)
    return figure


def _line(ax: Any, sweep: Sweep, name: str) -> None:
    (axis,) = sweep.axes
    ax.plot(axis.values.magnitude, sweep.outputs[name].magnitude, marker="o", markersize=3)
    ax.set_xlabel(axis.label)
    ax.set_ylabel(sweep.label(name))
    ax.grid(True, alpha=0.3)
    ax.yaxis.set_major_formatter(_readable())


def _heat_map(figure: Figure, ax: Any, sweep: Sweep, name: str) -> None:
    rows, columns = sweep.axes
    mesh = ax.pcolormesh(_edges(columns.values.magnitude), _edges(rows.values.magnitude),
                         sweep.outputs[name].magnitude, shading="flat", cmap="viridis")
    colorbar = figure.colorbar(mesh, ax=ax, format=_readable())
    colorbar.set_label(sweep.label(name))
    if sweep.outputs[name].magnitude.size <= MAX_ANNOTATED_CELLS:
        _annotate(ax, rows.values.magnitude, columns.values.magnitude,
                  sweep.outputs[name].magnitude, mesh)
    ax.set_xlabel(columns.label)
    ax.set_ylabel(rows.label)
    ax.set_title(sweep.label(name))


def _annotate(ax: Any, ys: np.ndarray, xs: np.ndarray, values: np.ndarray, mesh: Any) -> None:
    """Write each cell's value in it, dark on light cells and light on dark ones."""
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            shade = mesh.cmap(mesh.norm(values[i, j]))
            light = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] > 0.5
            ax.text(x, y, _tick(values[i, j]), ha="center", va="center", fontsize=7,
                    color="black" if light else "white")


def _tick(value: float, _position: object = None) -> str:
    digits, word = format_number(float(value))
    return f"{digits} {word}" if word else digits  # "16.6 million", "230,769"


def _readable() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(_tick)


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around grid centres, for pcolormesh."""
    if centres.size == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    middle = (centres[:-1] + centres[1:]) / 2
    return np.concatenate([[2 * centres[0] - middle[0]], middle, [2 * centres[-1] - middle[-1]]])


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Save as PNG (or the format the suffix names), atomically."""
    suffix = Path(path).suffix.lstrip(".") or "png"
    return write_atomic(path, lambda stream: figure.savefig(stream, format=suffix, dpi=120))
