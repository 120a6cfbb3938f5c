"""Matplotlib figures: built on ``Figure`` directly, so nothing is shown and no
pyplot state is touched; the caller saves or displays them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np

from calc import display
from calc.errors import CalcError, Location, OutputError
from calc.io.files import write_atomic
from calc.units.display import format_number, format_unit, label_with_unit

P = ParamSpec("P")
R = TypeVar("R")

#: Heat maps up to this many cells get each value written in its cell.
MAX_ANNOTATED_CELLS = 100

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from calc.analysis.sensitivity import Sensitivity, Swing
    from calc.analysis.sweeps import Sweep
    from calc.domain.result import Result


def _matplotlib_figure() -> type[Figure]:
    """A Figure class that shows itself in Jupyter as a PNG, without pyplot."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise CalcError(
            "plots need matplotlib, which is not installed; install it with "
            "pip install 'infracalc[plot]'"
        ) from None

    class CalcFigure(Figure):
        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return CalcFigure


def _plain_text(build: Callable[P, R]) -> Callable[P, R]:
    """Build a figure with every text plain: a title such as '$1 to $5' or '$\\foo$' is
    the user's words, not matplotlib mathtext (which would garble or refuse it)."""

    @functools.wraps(build)
    def plain(*args: P.args, **kwargs: P.kwargs) -> R:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return build(*args, **kwargs)

    return plain


@_plain_text
def sweep_figure(sweep: Sweep) -> Figure:
    """A line chart per output (one varied input) or a heat map per output (two)."""
    Figure = _matplotlib_figure()

    count = len(sweep.outputs)
    figure = Figure(
        figsize=(6.4, 3.2 * count) if len(sweep.axes) == 1 else (6.4, 4.8 * count),
        layout="constrained",
    )
    axes = figure.subplots(count, 1, squeeze=False)[:, 0]
    for ax, name in zip(axes, sweep.outputs, strict=True):
        if len(sweep.axes) == 1:
            _line(ax, sweep, name)
        else:
            _heat_map(figure, ax, sweep, name)
    # what is swept, not the scenario: a plot copied elsewhere still says what it is
    figure.suptitle(sweep.title)
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
    mesh = ax.pcolormesh(
        _edges(columns.values.magnitude),
        _edges(rows.values.magnitude),
        sweep.outputs[name].magnitude,
        shading="flat",
        cmap="viridis",
    )
    colorbar = figure.colorbar(mesh, ax=ax, format=_readable())
    colorbar.set_label(sweep.label(name))
    if sweep.outputs[name].magnitude.size <= MAX_ANNOTATED_CELLS:
        _annotate(
            ax, rows.values.magnitude, columns.values.magnitude, sweep.outputs[name].magnitude, mesh
        )
    ax.set_xlabel(columns.label)
    ax.set_ylabel(rows.label)
    ax.set_title(sweep.label(name))


def _annotate(ax: Any, ys: np.ndarray, xs: np.ndarray, values: np.ndarray, mesh: Any) -> None:
    """Write each cell's value in it, dark on light cells and light on dark ones."""
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            shade = mesh.cmap(mesh.norm(values[i, j]))
            light = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] > 0.5
            ax.text(
                x,
                y,
                _tick(values[i, j]),
                ha="center",
                va="center",
                fontsize=7,
                color="black" if light else "white",
            )


def _tick(value: float, _position: object = None) -> str:
    digits, word = format_number(float(value))
    return f"{digits} {word}" if word else digits  # "16.6 million", "230,769"


def _few_ticks(axis: Any) -> None:
    """Readable tick labels, few enough that long ones ('100,000') never run together."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=4))
    axis.set_major_formatter(_readable())


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
    suffix = plot_format(path)
    return write_atomic(path, lambda stream: figure.savefig(stream, format=suffix, dpi=120))


def plot_format(path: str | Path) -> str:
    """The image format a plot path names ('png' without a suffix); an OutputError for
    a suffix matplotlib cannot write, so a command can refuse it before any work."""
    suffix = Path(path).suffix.lstrip(".").lower() or "png"
    _matplotlib_figure()
    from matplotlib.backend_bases import FigureCanvasBase

    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix not in formats:
        raise OutputError(
            f"cannot draw a plot as '.{suffix}'; give a file name ending in "
            + ", ".join(f".{f}" for f in sorted(formats)),
            location=Location(path),
        )
    return suffix


@_plain_text
def histogram_figure(result: Result, names: list[str]) -> Figure:
    """Histograms of sampled quantities, with the 5th, 50th and 95th percentiles marked."""
    Figure = _matplotlib_figure()
    if not result.sample_count:
        raise CalcError("histograms need samples; run with --samples N (N > 0)")  # the CLI's
    chosen = names or [n for n in result.scenario.derived if _varies(result, n)][:6]
    if not chosen:
        raise CalcError(
            "nothing varies in this run, so there is nothing to draw; give "
            "uncertain inputs a range or distribution"
        )
    figure = Figure(figsize=(6.4, 2.8 * len(chosen)), layout="constrained")
    for ax, name in zip(figure.subplots(len(chosen), 1, squeeze=False)[:, 0], chosen, strict=True):
        _histogram(ax, result, name)
    # the quantities drawn, not the scenario: a plot copied elsewhere still says what it is
    figure.suptitle(f"{', '.join(chosen)}: {result.sample_count:,} samples")
    return figure


def _varies(result: Result, name: str) -> bool:
    stats = result.stats(name)
    return stats is not None and stats.varies


def _histogram(ax: Any, result: Result, name: str) -> None:
    stats = result.stats(name)
    assert stats is not None
    unit = stats.point.units
    text = format_unit(unit, plural=True)
    ax.set_xlabel(label_with_unit(name, unit))
    point = float(stats.point.to(unit).magnitude)
    if not stats.varies:
        ax.text(
            0.5,
            0.5,
            f"constant: {_tick(point)} {text}",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        return
    samples = np.asarray(result[name].to(unit).magnitude, dtype=float)
    ax.hist(samples, bins=60, color="#4c72b0", alpha=0.8)
    for label, value, style in (
        ("5%", stats.p5, ":"),
        ("50%", stats.p50, "--"),
        ("95%", stats.p95, ":"),
    ):
        x = float(value.to(unit).magnitude)
        # above the point line (zorder), so a percentile that falls on it stays visible
        ax.axvline(
            x, color="black", linestyle=style, linewidth=1, label=f"{label} {_tick(x)}", zorder=4
        )
    ax.axvline(point, color="#c44e52", linewidth=3, alpha=0.7, label=f"point {_tick(point)}")
    ax.set_ylabel("samples")
    _few_ticks(ax.xaxis)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)


@_plain_text
def tornado_figure(sensitivity: Sensitivity) -> Figure:
    """Horizontal bars from the output at each input's 5th to its 95th percentile,
    largest swing on top, around a line at the point value."""
    Figure = _matplotlib_figure()
    unit = sensitivity.point.units
    point_value = float(sensitivity.point.magnitude)
    moving = [s for s in sensitivity.swings if _moves(s, point_value, unit)]
    still = [s.name for s in sensitivity.swings if s not in moving]
    swings = list(reversed(moving))  # barh draws bottom-up
    figure = Figure(figsize=(7.5, 1.2 + 0.5 * len(swings)), layout="constrained")
    ax = figure.subplots()
    point = float(sensitivity.point.magnitude)
    for row, swing in enumerate(swings):
        low = float(swing.output_low.to(unit).magnitude)
        high = float(swing.output_high.to(unit).magnitude)
        ax.barh(row, high - point, left=point, color="#4c72b0", height=0.6)
        ax.barh(row, low - point, left=point, color="#dd8452", height=0.6)
    ax.set_yticks(range(len(swings)), [_input_label(s) for s in swings], fontsize=8)
    ax.axvline(point, color="black", linewidth=1)
    ax.set_xlabel(label_with_unit(sensitivity.output, unit))
    _few_ticks(ax.xaxis)
    title = (
        f"What moves {sensitivity.output}: each input from its 5th (orange) to its "
        f"95th (blue) percentile"
    )
    if still:  # left out, but said: an input with no effect is a finding too
        title += f"\nno effect, left out: {', '.join(still)}"
    ax.set_title(title, fontsize=9)
    return figure


def _moves(swing: Swing, point: float, unit: Any) -> bool:
    """True when the output at the input's 5th or 95th percentile differs from the point."""
    ends = (float(q.to(unit).magnitude) for q in (swing.output_low, swing.output_high))
    return any(not np.isclose(end, point, rtol=1e-9, atol=0.0) for end in ends)


def _input_label(swing: Swing) -> str:
    low, high = _tick(float(swing.input_low.magnitude)), _tick(float(swing.input_high.magnitude))
    unit = format_unit(swing.input_low.units)
    return f"{swing.name}\n{low} to {high}" + (f" {unit}" if unit else "")


def _sensitivity_view(sensitivity: Sensitivity, *, path: str | Path | None = None) -> Any:
    """The tornado chart as a Figure, or saved to ``path`` (its path returned)."""
    figure = tornado_figure(sensitivity)
    return figure if path is None else save_figure(figure, path)


def _register() -> None:
    from calc.analysis.sensitivity import Sensitivity
    from calc.analysis.sweeps import Sweep

    display.register("plot", Sensitivity, _sensitivity_view)
    display.register("plot", Sweep, sweep_figure)


_register()
