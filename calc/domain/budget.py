"""The memory budget of one evaluation, checked from counts before any array exists.

A Monte Carlo run or a sweep holds an array of floats per quantity that varies (each
uncertain or swept input, and the derived quantities), one element per sample or grid
point, plus temporaries while formulas and percentiles are computed. The need is known
from the counts alone, so a run that would exhaust the machine is refused before it
allocates anything, with the need and the limit. Every sample count and grid size, in
every command and library call, goes through ``check_sample_count``.

The budget is a share of the memory available (``memory_budget``), read when a run asks.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from calc.errors import CalcError

#: Set to a number of bytes to fix the memory one evaluation's arrays may take (tests, or
#: a machine shared with others); None: a share of the memory available when a run asks.
MEMORY_BUDGET: int | None = None
#: The share of the available memory one run may take: the rest is left for Python, the
#: libraries, the operating system's caches and the other programs of the machine.
MEMORY_SHARE = 0.5
#: The budget is never below this, however little memory is free at the moment: a busy
#: machine still runs the ordinary jobs (it may swap, as any program would).
MEMORY_FLOOR = 1_000_000_000
#: Where the memory available cannot be read (no /proc/meminfo, no sysconf).
MEMORY_UNKNOWN = 4_000_000_000
_MEMINFO = Path("/proc/meminfo")

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


def available_memory() -> int | None:
    """Bytes of memory available for a new run: MemAvailable of /proc/meminfo on Linux
    (free memory plus the caches the kernel can reclaim), else the physical memory from
    sysconf; None where neither can be read."""
    try:
        for line in _MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024  # the file counts in KiB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def memory_budget() -> int:
    """Most memory one evaluation's arrays may take: MEMORY_BUDGET where it is set, else
    MEMORY_SHARE of the memory available, and never less than MEMORY_FLOOR."""
    if MEMORY_BUDGET is not None:
        return MEMORY_BUDGET
    available = available_memory()
    if available is None:
        return MEMORY_UNKNOWN
    return max(MEMORY_FLOOR, int(available * MEMORY_SHARE))


def sample_limit(quantities: int, budget: int | None = None) -> int:
    """Most samples (or grid points) a run over ``quantities`` varying quantities may hold
    within ``budget`` bytes (default: ``memory_budget()``).

    >>> sample_limit(28, 4_000_000_000)
    11904761
    """
    budget = memory_budget() if budget is None else budget
    return max(1, int(budget / (max(1, quantities) * _FLOAT_BYTES * ARRAYS_PER_QUANTITY)))


def check_sample_count(
    count: object, quantities: int, *, what: str = "samples", fix: str = "use fewer"
) -> int:
    """``count`` if it is a whole number within ``sample_limit``; else a CalcError that
    gives the limit and how much memory the run would need. The one check every command
    uses."""
    budget = memory_budget()
    limit = sample_limit(quantities, budget)
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise CalcError(f"{what} must be a whole number from 1 to {limit:,}, not {count!r}")
    rows = int(count)
    if rows > limit:
        need = array_memory(rows, quantities)
        raise CalcError(
            f"{rows:,} {what} of {quantities:,} quantities need about {_gb(need)} of memory "
            f"({rows:,} x {quantities:,} x {_FLOAT_BYTES} bytes x {ARRAYS_PER_QUANTITY}); "
            f"the limit is {limit:,} {what} ({_budget_text(budget)}): {fix}"
        )
    return rows


def _budget_text(budget: int) -> str:
    """'4.0 GB', or where it comes from the machine: '5.0 GB, half of the 10.0 GB
    available'."""
    if MEMORY_BUDGET is not None:
        return _gb(budget)
    available = available_memory()
    if available is None:
        return f"{_gb(budget)}; the memory available could not be read"
    if budget == MEMORY_FLOOR and available * MEMORY_SHARE < MEMORY_FLOOR:
        return f"{_gb(budget)}, the least calc allows; {_gb(available)} is available"
    return f"{_gb(budget)}, {_share()} of the {_gb(available)} available"


def _share() -> str:
    return "half" if MEMORY_SHARE == 0.5 else f"{MEMORY_SHARE:.0%}"


def _gb(size: int) -> str:
    return f"{size / 1e9:,.1f} GB"
