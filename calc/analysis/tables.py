"""Tidy tables: a pandas DataFrame where pandas is installed, else a list of records.

The frame keeps the raw numbers (1.4e12, 227272.727...) for computing; it *displays*
them as the terminal does ('1.4 trillion', '227,273'), in a notebook and at a prompt.
Drawing is the render layer's (``calc.render.frames``), reached through
``calc.display`` so that this layer never imports upwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from calc import display
from calc.errors import CalcError
from calc.units.registry import Q_


def tidy(records: Sequence[dict[str, Any]], *, index: str | None = None) -> Any:
    """``records`` as a readable DataFrame (pandas is an optional extra), else as the
    list itself. ``index`` names the column a display shows as the row labels."""
    try:
        import pandas  # noqa: F401  (asked each time: it may be uninstalled, or hidden)

        frame_type = calc_frame_type()
    except ImportError:
        return list(records)
    frame = frame_type.from_records(list(records))
    frame.attrs["calc_index"] = index
    return frame


def unit_frame(columns: dict[str, dict[str, Any]], *, rows: Sequence[str]) -> Any:
    """A DataFrame of unit-aware columns (pint-pandas): ``columns`` maps each name to
    its numbers by row and its ``unit`` (a pint Unit of calc's registry). Rows that no
    column has are left out; a column without a row's number holds NA there."""
    try:
        import pandas as pd
        from pint_pandas import PintArray
    except ImportError:
        raise CalcError(
            "unit-aware columns need pint-pandas, which is not installed; install it with "
            "pip install 'infracalc[units]'"
        ) from None
    import numpy as np

    kept = [r for r in rows if any(r in numbers for numbers in columns.values())]
    frame = {
        name: PintArray.from_1darray_quantity(
            Q_(np.array([numbers.get(r, np.nan) for r in kept]), numbers["unit"])
        )
        for name, numbers in columns.items()
    }
    return pd.DataFrame(frame, index=kept)


def sweep_table(records: Sequence[dict[str, Any]], sweep: Any) -> Any:
    """A sweep's records as a frame that also draws the sweep: ``.figure()`` gives its
    plot, and a notebook shows the table with the plot under it."""
    frame = records if hasattr(records, "columns") else tidy(records)
    if isinstance(frame, list):
        return frame
    table = sweep_frame_type()(frame)
    table.attrs["calc_index"] = None
    object.__setattr__(table, "calc_sweep", sweep)  # not a column: no pandas warning
    return table


_FRAME: type | None = None
_SWEEP_FRAME: type | None = None


def sweep_frame_type() -> type:
    """The frame of a whole sweep; a slice or sum of it is a plain readable frame."""
    global _SWEEP_FRAME
    if _SWEEP_FRAME is None:

        class SweepFrame(calc_frame_type()):  # type: ignore[misc]
            _metadata = ["calc_sweep"]  # noqa: RUF012  (pandas' own protocol)

            @property
            def _constructor(self) -> type:
                return calc_frame_type()

            def figure(self) -> Any:
                """The sweep's plot: a line per output, or a heat map for two inputs."""
                return display.view("plot", self.calc_sweep)

        _SWEEP_FRAME = SweepFrame
    return _SWEEP_FRAME


def calc_frame_type() -> type:
    """The DataFrame subclass, built on first use so that pandas is imported only then."""
    global _FRAME
    if _FRAME is None:
        import pandas as pd

        class CalcFrame(pd.DataFrame):
            """A DataFrame that displays its numbers readably; the data are unchanged."""

            @property
            def _constructor(self) -> type:
                return CalcFrame

            def __repr__(self) -> str:
                return str(display.view("text", self))

            def _repr_html_(self) -> str:
                return str(display.view("html", self))

        _FRAME = CalcFrame
    return _FRAME
