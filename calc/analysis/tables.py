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


_FRAME: type | None = None


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
