"""The memory budget of one evaluation, checked from counts before any array exists.

A Monte Carlo run or a sweep holds an array of floats per quantity that varies (each
uncertain or swept input, and the derived quantities), one element per sample or grid
point, plus temporaries while formulas and percentiles are computed. The need is known
from the counts alone, so a run that would exhaust the machine is refused before it
allocates anything, with the need and the limit. Every sample count and grid size, in
every command and library call, goes through ``check_sample_count``.
"""

from __future__ import annotations

import numpy as np

from calc.errors import CalcError

#: Most memory one evaluation's arrays may take.
MEMORY_BUDGET = 4_000_000_000
#: Arrays per quantity that varies, allowed for: its values, and room for the temporaries of
#: formulas, checks and percentiles. Measured: `calc run` of 401 quantities at 150,000
#: samples peaked at 1.0 times the size of the values (471 MB above start-up for 481 MB).
ARRAYS_PER_QUANTITY = 1.5
_FLOAT_BYTES = 8
#: Most points one swept axis may hold: it is built before the grid's budget is known.
MAX_AXIS_POINTS = 10_000_000


def array_memory(rows: int, quantities: int) -> int:
    """Bytes that ``rows`` samples or points of ``quantities`` quantities need.

    >>> array_memory(5_000_000, 400)
    24000000000
    """
    return int(rows * max(1, quantities) * _FLOAT_BYTES * ARRAYS_PER_QUANTITY)


def sample_limit(quantities: int) -> int:
    """Most samples (or grid points) a run over ``quantities`` varying quantities may hold.

    >>> sample_limit(28)
    11904761
    """
    return max(1, int(MEMORY_BUDGET / (max(1, quantities) * _FLOAT_BYTES * ARRAYS_PER_QUANTITY)))


def check_sample_count(
    count: object, quantities: int, *, what: str = "samples", fix: str = "use fewer"
) -> int:
    """``count`` if it is a whole number within ``sample_limit``; else a CalcError that
    gives the limit and what the run would need. The one check every command uses."""
    limit = sample_limit(quantities)
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise CalcError(f"{what} must be a whole number from 1 to {limit:,}, not {count!r}")
    rows = int(count)
    if rows > limit:
        need = array_memory(rows, quantities)
        raise CalcError(
            f"{rows:,} {what} of {quantities:,} quantities need about {_gb(need)} of memory "
            f"({rows:,} x {quantities:,} x {_FLOAT_BYTES} bytes x {ARRAYS_PER_QUANTITY}); "
            f"the limit is {limit:,} {what} ({_gb(MEMORY_BUDGET)}): {fix}"
        )
    return rows


def _gb(size: int) -> str:
    return f"{size / 1e9:,.1f} GB"
