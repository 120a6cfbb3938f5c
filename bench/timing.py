"""Timing helpers shared by the benchmarks.

`interleaved` runs every task once per round, in the same order (ABCD ABCD ...), so that
a busy spell of the machine falls on all of them alike; `median` and `paired_ratio`
summarise the rounds (never the best, which flatters whatever was lucky).
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def best_of(repeat: int, function: Callable[[], T]) -> tuple[float, T | None]:
    """The best wall time of ``repeat`` calls, and the last call's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def interleaved(
    tasks: Mapping[str, Callable[[], object]], rounds: int, warmup: int = 1
) -> tuple[dict[str, list[float]], dict[str, object]]:
    """Wall times of each task over ``rounds`` rounds, and each task's last result.

    Every round runs each task once, in the order given. The ``warmup`` rounds first are
    not counted: they fill the file cache (and Python's bytecode cache) for every task.
    """
    times: dict[str, list[float]] = {name: [] for name in tasks}
    results: dict[str, object] = {}
    for round_ in range(warmup + rounds):
        for name, task in tasks.items():
            start = time.perf_counter()
            results[name] = task()
            elapsed = time.perf_counter() - start
            if round_ >= warmup:
                times[name].append(elapsed)
    return times, results


def process(command: Sequence[str], codes: Sequence[int] = (0,)) -> Callable[[], str]:
    """A task that runs ``command`` as a whole process and returns its standard output;
    an exit code outside ``codes`` stops the benchmark with its standard error."""

    def run() -> str:
        done = subprocess.run(list(command), capture_output=True, text=True, check=False)
        if done.returncode not in codes:
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
        return done.stdout

    return run


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def paired_ratio(times: Mapping[str, Sequence[float]], numerator: str, denominator: str) -> float:
    """The median over rounds of numerator / denominator, each ratio within one round."""
    return statistics.median(
        a / b for a, b in zip(times[numerator], times[denominator], strict=True)
    )


def spread(values: Sequence[float], scale: float = 1.0, digits: int = 3) -> str:
    """The middle half of the values (first to third quartile), times ``scale``, to show
    the noise."""
    if len(values) < 4:
        return ""
    low, _, high = statistics.quantiles(values, n=4)
    return f"[{low * scale:.{digits}f}-{high * scale:.{digits}f}]"


def bytecode_cache(write: bool) -> str:
    """Let the child processes write Python's bytecode cache (``write``), or leave the
    environment as it is; says which way they run, as it moves start-up by tens of ms.
    (PYTHONDONTWRITEBYTECODE stops writing the cache, not reading one already there.)"""
    if write:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "bytecode cache: on (written in the warm-up round where missing, read after)"
    spec = importlib.util.find_spec("calc")
    folder = Path(spec.origin).parent if spec and spec.origin else None
    pattern = f"**/__pycache__/*.{sys.implementation.cache_tag}.pyc"  # packages too
    if folder and any(folder.glob(pattern)):
        return (
            "bytecode cache: not written (PYTHONDONTWRITEBYTECODE is set), but calc's "
            f"cache from an earlier run is read (under {folder})"
        )
    return (
        "bytecode cache: off (PYTHONDONTWRITEBYTECODE is set and calc has none), so "
        "every process compiles calc's modules again; --bytecode-cache turns it on"
    )
