"""Tables in a notebook and at a prompt, read as the terminal reads them.

A calc DataFrame keeps raw numbers; this draws them with the terminal's rounding and
scale words ('46.7 billion', '227,273', never '4.666667e+10' or '227272.727273'),
text left-aligned and numbers right-aligned, with the row name as the index.
"""

from __future__ import annotations

import contextlib
import math
from numbers import Number
from typing import Any

from calc import display
from calc.analysis.tables import calc_frame_type, sweep_frame_type
from calc.units.display import format_number

#: Cells are set inline, beside Styler's own rules, so that Jupyter's stylesheet
#: (which right-aligns every cell) does not win.
_LEFT = {"text-align": "left"}
_RIGHT = {"text-align": "right"}


def readable_number(value: Any) -> str:
    """A number as the terminal shows it ('1.4 trillion', '38,462', '0.2'); a bool as
    itself, a missing value as empty, anything else as its text."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, Number):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return ""
        if not math.isfinite(number):
            return str(number)
        return " ".join(part for part in format_number(number) if part)
    return "" if _missing(value) else str(value)


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, pd.NA compare unequal to themselves
    except (TypeError, ValueError):
        return False


def _numeric_columns(frame: Any) -> list[Any]:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return [c for c in frame.columns if is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]


def readable_frame(frame: Any) -> Any:
    """A plain DataFrame of strings for display: numbers readable, the index column
    (``attrs['calc_index']``) moved to the row labels."""
    import pandas as pd

    strings = pd.DataFrame(
        {c: [readable_number(v) for v in frame[c]] for c in frame.columns},
        index=frame.index,
        columns=frame.columns,
    )
    index = frame.attrs.get("calc_index")
    if (
        index in strings.columns
        and isinstance(frame.index, pd.RangeIndex)
        and strings[index].is_unique  # a long table (compare) keeps its column
    ):
        strings = strings.set_index(index)
        strings.index.name = None
    return strings


def frame_text(frame: Any) -> str:
    """The frame as text: numbers readable and right-aligned, text left-aligned."""
    strings = readable_frame(frame)
    numeric = set(_numeric_columns(frame))
    formatters = {}
    for column in strings.columns:
        width = max([len(str(column)), *(len(t) for t in strings[column])])
        align = str.rjust if column in numeric else str.ljust
        formatters[column] = lambda text, w=width, a=align: a(text, w)
    text = str(strings.to_string(formatters=formatters, justify="left"))
    return "\n".join(line.rstrip() for line in text.splitlines())


def frame_html(frame: Any) -> str:
    """The frame as an HTML table, every text escaped; a Styler's where jinja2 is
    installed (pandas' optional dependency), else pandas' plain table."""
    strings = readable_frame(frame)
    numeric = [c for c in _numeric_columns(frame) if c in strings.columns]
    text = [c for c in strings.columns if c not in numeric]
    try:
        styler = strings.style
    except ImportError:
        return str(strings.to_html(escape=True, classes="calc-frame"))
    if not (strings.index.is_unique and strings.columns.is_unique):  # Styler cannot
        return str(strings.to_html(escape=True, classes="calc-frame"))
    styler = (
        styler.format(escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .set_properties(subset=text, **_LEFT)
        .set_properties(subset=numeric, **_RIGHT)
        .set_table_styles(
            [
                {"selector": "th", "props": [("text-align", "left")]},
                {"selector": "td", "props": [("white-space", "nowrap")]},
            ]
        )
        .set_table_attributes('class="calc-frame"')
    )
    return str(styler.to_html())


def figure_html(figure: object) -> str:
    """A matplotlib figure as an inline PNG image."""
    import base64

    png = base64.b64encode(figure._repr_png_()).decode("ascii")  # type: ignore[attr-defined]
    return f'<img src="data:image/png;base64,{png}" alt="plot">'


def sweep_html(frame: Any) -> str:
    """A sweep's table with its plot under it (the table alone without matplotlib)."""
    from calc.errors import CalcError

    parts = [frame_html(frame)]
    with contextlib.suppress(CalcError):
        parts.append(figure_html(frame.figure()))
    return "<div>" + "".join(parts) + "</div>"


def _register() -> None:
    frame_type = calc_frame_type()
    display.register("html", frame_type, frame_html)
    display.register("text", frame_type, frame_text)
    display.register("html", sweep_frame_type(), sweep_html)


with contextlib.suppress(ImportError):  # pandas is an optional extra
    _register()
