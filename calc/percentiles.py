"""Percentiles of samples as numpy computes them, without importing numpy.ma.

``np.percentile`` and ``np.quantile`` pass the positions they need through ``np.unique``,
whose first call imports numpy.ma: about 7 ms of every Monte Carlo run's start-up (#17).
This is numpy's default method ('linear', Hyndman and Fan's type 7) for one array of
numbers, step for step, so the results are numpy's to the last bit
(tests/test_percentiles.py compares them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def quantiles(values: object, fractions: Sequence[float]) -> list[float]:
    """``np.quantile(values, fractions)`` of all of ``values``, as floats.

    >>> quantiles([1.0, 2.0, 3.0, 4.0], [0.05, 0.5, 0.95])
    [1.15, 2.5, 3.8499999999999996]
    """
    array = np.asarray(values, dtype=float).ravel()
    count = array.size
    if count == 0:  # numpy's answer (nan) and warning, as they are
        return [float(q) for q in np.quantile(array, fractions)]
    positions = [(count - 1) * q for q in map(float, fractions)]
    below = [_index_below(p, count) for p in positions]
    above = [min(b + 1, count - 1) for b in below]
    ordered = np.partition(array, sorted({*below, *above, count - 1}))
    if math.isnan(ordered[count - 1]):  # NaN sorts last: numpy's rules for it, as they are
        return [float(q) for q in np.quantile(array, fractions)]
    return [
        _between(float(ordered[b]), float(ordered[a]), p - b)
        for p, b, a in zip(positions, below, above, strict=True)
    ]


def percentiles(values: object, points: Sequence[float]) -> list[float]:
    """``np.percentile(values, points)`` of all of ``values``, as floats."""
    return quantiles(values, [p / 100 for p in points])


def _index_below(position: float, count: int) -> int:
    if position >= count - 1:
        return count - 1
    return max(0, math.floor(position))


def _between(low: float, high: float, fraction: float) -> float:
    """numpy's linear interpolation: from the nearer end, so that it is exact there."""
    step = high - low
    return high - step * (1 - fraction) if fraction >= 0.5 else low + step * fraction
