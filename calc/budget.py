"""The memory budget of one evaluation, checked from counts before any array exists.

A Monte Carlo run or a sweep holds an array of floats per quantity that varies (each
uncertain or swept input, and the derived quantities), one element per sample or grid
point, plus temporaries while formulas and percentiles are computed.
The need is known from the counts alone, so a run that would exhaust the machine is
refused before it allocates anything, with the need and the limit.
"""

from __future__ import annotations

from .errors import CalcError

#: Most memory one evaluation's arrays may take.
MEMORY_BUDGET = 4_000_000_000
#: Arrays per quantity that varies, allowed for: its values, and room for the temporaries of
#: formulas, checks and percentiles. Measured: `calc run` of 401 quantities at 150,000
#: samples peaked at 1.0 times the size of the values (471 MB above start-up for 481 MB).
ARRAYS_PER_QUANTITY = 1.5
_FLOAT_BYTES = 8


def array_memory(rows: int, quantities: int) -> int:
    """Bytes that ``rows`` samples or points of ``quantities`` quantities need.

    >>> array_memory(5_000_000, 400)
    24000000000
    """
    return int(rows * quantities * _FLOAT_BYTES * ARRAYS_PER_QUANTITY)


def check_memory(rows: int, quantities: int, *, rows_are: str, fix: str) -> None:
    """Refuse, before allocating, an evaluation whose arrays would pass MEMORY_BUDGET."""
    need = array_memory(rows, quantities)
    if need > MEMORY_BUDGET:
        most = int(MEMORY_BUDGET / (quantities * _FLOAT_BYTES * ARRAYS_PER_QUANTITY))
        raise CalcError(
            f"{rows:,} {rows_are} of {quantities:,} quantities need about {_gb(need)} of "
            f"memory ({rows:,} x {quantities:,} x {_FLOAT_BYTES} bytes x "
            f"{ARRAYS_PER_QUANTITY}); the limit is {_gb(MEMORY_BUDGET)}, which allows "
            f"{most:,} {rows_are} here: {fix}")


def _gb(size: int) -> str:
    return f"{size / 1e9:,.1f} GB"
