"""calc.percentiles: numpy's percentiles, to the last bit, without numpy.ma (#17)."""

from __future__ import annotations

import numpy as np
import pytest

from calc.percentiles import percentiles, quantiles

_RNG = np.random.default_rng(3)
_ARRAYS = [
    _RNG.normal(size=n) * scale
    for n in (1, 2, 3, 4, 7, 10, 19, 20, 101, 1001, 100_000)
    for scale in (1.0, 1e9)
] + [
    _RNG.lognormal(size=1000),
    np.round(_RNG.normal(size=500)),  # ties
    np.full(50, 2.5),
    np.array([3.0, -1.0]),
]


@pytest.mark.parametrize("values", _ARRAYS, ids=lambda a: f"{a.size}")
@pytest.mark.parametrize(
    "fractions", [[0.05, 0.5, 0.95], [0.0, 1.0], [0.05, 0.95], [0.25, 0.75, 0.999]]
)
def test_quantiles_are_numpys(values, fractions):
    assert quantiles(values, fractions) == np.quantile(values, fractions).tolist()


@pytest.mark.parametrize("values", _ARRAYS, ids=lambda a: f"{a.size}")
def test_percentiles_are_numpys(values):
    assert percentiles(values, [5, 50, 95]) == np.percentile(values, [5, 50, 95]).tolist()


def test_a_nan_gives_numpys_answer():
    values = np.array([1.0, np.nan, 3.0])
    assert np.isnan(quantiles(values, [0.05, 0.95])).all()


def test_the_values_are_left_as_they_were():
    values = np.array([3.0, 1.0, 2.0])
    quantiles(values, [0.5])
    assert values.tolist() == [3.0, 1.0, 2.0]
