"""Uncertain quantities: distributions in scenario files, and sampling them.

An input may carry ``range: [low, high]``, read as a 90% interval (lognormal when
both ends are positive, normal otherwise), or an explicit ``distribution``:
normal, lognormal, uniform, triangular, PERT, beta, or a weighted mixture. A
derived quantity may be a distribution whose parameters are formulas over other
quantities (the mixture weights of time-to-botec, say).

Sampling draws every uncertain quantity once per run as a numpy array, with one
``numpy.random.Generator`` passed in; parameters may themselves be arrays, so a
distribution whose parameters are uncertain is drawn in the same pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
import pint
from pydantic import BaseModel, ConfigDict, Field

from calc.errors import CalcError, EvaluationError, UnitError
from calc.lang.formula import Formula, parse_formula
from calc.percentiles import quantiles
from calc.units.display import describe_dimension, format_quantity
from calc.units.notation import QuantityRange, parse_quantity, parse_value
from calc.units.registry import Q_

#: The standard normal's 95th percentile: a 90% interval spans +-Z90 standard deviations.
Z90 = 1.6448536269514722
#: Draws used to estimate a 90% interval where no closed form is used.
INTERVAL_DRAWS = 20_000

Param = str | float | int


# --- the file format ----------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NormalSpec(_Strict):
    """Normal: ``mean`` and ``sd``, or ``low`` and ``high`` as a 90% interval."""

    type: Literal["normal"]
    mean: Param | None = None
    sd: Param | None = None
    low: Param | None = None
    high: Param | None = None


class LognormalSpec(_Strict):
    """Lognormal with ``low`` and ``high`` as its 90% interval (both positive)."""

    type: Literal["lognormal"]
    low: Param
    high: Param


class UniformSpec(_Strict):
    type: Literal["uniform"]
    low: Param
    high: Param


class TriangularSpec(_Strict):
    type: Literal["triangular"]
    low: Param
    mode: Param
    high: Param


class PertSpec(_Strict):
    """PERT: a beta distribution from low, most likely and high (weight 4 on the mode)."""

    type: Literal["pert"]
    low: Param
    mode: Param
    high: Param


class BetaSpec(_Strict):
    """Beta on [0, 1], for fractions: shape parameters ``alpha`` and ``beta``."""

    type: Literal["beta"]
    alpha: Param
    beta: Param


class MixtureSpec(_Strict):
    """A weighted mixture; components are distributions or plain values."""

    type: Literal["mixture"]
    components: list[DistributionSpec | Param]
    weights: list[Param]


DistributionSpec = Annotated[
    NormalSpec | LognormalSpec | UniformSpec | TriangularSpec | PertSpec | BetaSpec | MixtureSpec,
    Field(discriminator="type"),
]
MixtureSpec.model_rebuild()


# --- parameters ---------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """A distribution parameter: a fixed quantity (inputs) or a formula (derived)."""

    text: str
    constant: pint.Quantity | None = None
    formula: Formula | None = None

    def shown(self) -> str:
        """A fixed quantity as calc shows every quantity ('10,260 kWh/home/yr', whatever
        order the file wrote its units in); a formula as written."""
        return format_quantity(self.constant) if self.constant is not None else self.text

    def value(self, values: Mapping[str, pint.Quantity]) -> pint.Quantity:
        if self.constant is not None:
            return self.constant
        assert self.formula is not None
        return self.formula.evaluate(values)


def constant_parameter(
    raw: Param | pint.Quantity, like: pint.Quantity | None, what: str
) -> Parameter:
    """A parameter of an input's distribution: a quantity of the input's dimension."""
    if isinstance(raw, pint.Quantity):  # an end of a range read from one text
        quantity, raw = raw, format_quantity(raw)
    else:
        try:
            quantity = parse_value(raw)
        except CalcError as exc:
            raise UnitError(f"{what}: {exc.message}") from None
    if like is not None and quantity.dimensionality != like.dimensionality:
        if quantity.dimensionless:
            raise UnitError(
                f"{what} {str(raw)!r} has no unit, but the input is "
                f"{describe_dimension(like)}; give a unit, such as "
                f"'{format_quantity(like)}'"
            )
        raise UnitError(
            f"{what} {str(raw)!r} is {describe_dimension(quantity)}, but the input is "
            f"{describe_dimension(like)} ({format_quantity(like)}); the units of a "
            "range or distribution must match its input's"
        )
    return Parameter(text=str(raw), constant=quantity)


def formula_parameter(raw: Param, what: str) -> Parameter:
    """A parameter of a derived distribution: a formula over other quantities."""
    try:
        return Parameter(text=str(raw), formula=parse_formula(str(raw)))
    except CalcError as exc:
        raise type(exc)(f"{what}: {exc.message}") from None


def random_generator(seed: int | None) -> np.random.Generator:
    """The one generator of a run, from ``seed``: None, or a whole number from 0 up
    (numpy refuses the rest with its own words, which would end a command in exit 3)."""
    check_seed(seed)
    return np.random.default_rng(seed)


def check_seed(seed: object) -> None:
    """Raise CalcError unless ``seed`` is None or a whole number from 0 up."""
    if seed is None:
        return
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise CalcError(
            f"the random seed must be a whole number from 0 up, not {seed!r}; for example --seed 0"
        )


# --- distributions --------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """A distribution over magnitudes in a unit, with parameters by name."""

    kind: str
    params: Mapping[str, Parameter] = field(default_factory=dict)
    components: tuple[Distribution, ...] = ()
    weights: tuple[Parameter, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        """The quantities this distribution's parameters read."""
        own = {
            n for p in (*self.params.values(), *self.weights) if p.formula for n in p.formula.names
        }
        return frozenset(own).union(*(c.names for c in self.components))

    def describe(self) -> str:
        """'lognormal, 90% in [1.1, 1.4]', 'pert(0.5, 0.8, 1)', 'mixture of 4'."""
        if self.kind == "mixture":
            return f"mixture of {len(self.components)}"
        if self.kind in ("normal90", "lognormal"):
            name = "normal" if self.kind == "normal90" else "lognormal"
            low, high = self.params["low"].shown(), self.params["high"].shown()
            return f"{name}, 90% in [{low}, {high}]"
        return f"{self.kind}(" + ", ".join(p.shown() for p in self.params.values()) + ")"

    def sample(
        self,
        rng: np.random.Generator,
        count: int,
        values: Mapping[str, pint.Quantity],
        unit: pint.Unit,
    ) -> np.ndarray:
        """``count`` draws, as magnitudes in ``unit``."""
        p = self._magnitudes(values, unit)
        if self.kind == "mixture":
            return self._sample_mixture(rng, count, values, unit)
        return _SAMPLERS[self.kind](rng, count, p)

    def mean(self, values: Mapping[str, pint.Quantity], unit: pint.Unit) -> Any:
        """The distribution's mean, as a magnitude in ``unit`` (closed form)."""
        if self.kind == "mixture":
            weights = self._weights(values)
            means = [c.mean(values, unit) for c in self.components]
            return sum(w * m for w, m in zip(weights, means, strict=True))
        return _MEANS[self.kind](self._magnitudes(values, unit))

    def check(self, values: Mapping[str, pint.Quantity], unit: pint.Unit) -> None:
        """Raise UnitError or EvaluationError for bad parameters, without drawing samples."""
        self._magnitudes(values, unit)
        if self.kind == "mixture":
            self._weights(values)
            for component in self.components:
                component.check(values, unit)

    def interval(self, values: Mapping[str, pint.Quantity], unit: pint.Unit) -> tuple[Any, Any]:
        """The 5th and 95th percentiles (closed form where there is one)."""
        p = self._magnitudes(values, unit)
        if self.kind in ("normal90", "lognormal"):
            return p["low"], p["high"]
        if self.kind == "normal":
            return p["mean"] - Z90 * p["sd"], p["mean"] + Z90 * p["sd"]
        if self.kind == "uniform":
            span = p["high"] - p["low"]
            return p["low"] + 0.05 * span, p["high"] - 0.05 * span
        if self.kind == "constant":
            return p["value"], p["value"]
        draws = self.sample(np.random.default_rng(0), INTERVAL_DRAWS, values, unit)
        low, high = quantiles(draws, [0.05, 0.95])
        return float(low), float(high)

    def _magnitudes(self, values: Mapping[str, pint.Quantity], unit: pint.Unit) -> dict[str, Any]:
        out = {}
        for name, parameter in self.params.items():
            quantity = parameter.value(values)
            target = "dimensionless" if name in ("alpha", "beta") else unit
            magnitude = np.asarray(_to(quantity, target, parameter).magnitude, dtype=float)
            out[name] = magnitude if magnitude.ndim else float(magnitude)
        _check_parameters(self.kind, out, self.params)
        return out

    def _weights(self, values: Mapping[str, pint.Quantity]) -> list[Any]:
        raw = [
            np.asarray(_to(w.value(values), "dimensionless", w).magnitude, dtype=float)
            for w in self.weights
        ]
        for weight, parameter in zip(raw, self.weights, strict=True):
            if np.any((weight < 0) | (weight > 1)) or not np.all(np.isfinite(weight)):
                raise EvaluationError(
                    f"mixture weight {parameter.text!r} is {_show(weight)}; weights are "
                    "probabilities, from 0 to 1"
                )
        total = sum(raw)
        if np.any(np.asarray(total) <= 0):
            raise EvaluationError(
                f"mixture weights [{', '.join(w.text for w in self.weights)}] sum to "
                f"{_show(np.asarray(total))}; they must sum to a positive number"
            )
        return [w / total for w in raw]

    def _sample_mixture(
        self,
        rng: np.random.Generator,
        count: int,
        values: Mapping[str, pint.Quantity],
        unit: pint.Unit,
    ) -> np.ndarray:
        """Pick a component per draw, then draw each component's share at once, in the order
        of the components. Memory: the output, one byte a draw for the choice, and one
        component's share at a time; never components x count (10^8 draws of a mixture of
        four take about 2 GB at the peak)."""
        chosen = self._choose(rng, count, values)
        out = np.empty(count)
        for index, component in enumerate(self.components):
            picked = np.flatnonzero(chosen == index)  # ascending, as a stable sort gives them
            if picked.size:
                local = {k: _picked(v, picked, count) for k, v in values.items()}
                out[picked] = component.sample(rng, int(picked.size), local, unit)
        return out

    def _choose(
        self, rng: np.random.Generator, count: int, values: Mapping[str, pint.Quantity]
    ) -> np.ndarray:
        """The component of each draw: how many cumulative weights are at most a uniform
        draw. One byte a draw where there are fewer than 256 components; the uniform draws
        are freed on return."""
        uniform = rng.random(count)
        chosen = np.zeros(count, dtype=np.uint8 if len(self.components) < 256 else np.intp)
        running: Any = 0.0
        for weight in self._weights(values)[:-1]:
            running = running + weight
            chosen += uniform >= running
        return chosen


def _to(quantity: pint.Quantity, unit: Any, parameter: Parameter) -> pint.Quantity:
    try:
        return quantity.to(unit)
    except pint.DimensionalityError:
        target = Q_(1.0, unit)
        raise UnitError(
            f"parameter {parameter.text!r} is {describe_dimension(quantity)}, but "
            f"it must be {describe_dimension(target)}"
        ) from None


def _picked(value: pint.Quantity, picked: np.ndarray, count: int) -> pint.Quantity:
    magnitude = np.asarray(value.magnitude)
    return Q_(magnitude[picked], value.units) if magnitude.shape == (count,) else value


def _show(value: np.ndarray) -> str:
    return f"{float(value):g}" if value.ndim == 0 else f"{float(value.min()):g} at its lowest"


def _check_parameters(kind: str, p: dict[str, Any], params: Mapping[str, Parameter]) -> None:
    def fail(message: str) -> None:
        raise UnitError(message)

    text = {k: v.text for k, v in params.items()}
    if "low" in p and "high" in p and np.any(np.asarray(p["low"]) > np.asarray(p["high"])):
        fail(
            f"the low end {text['low']!r} is above the high end {text['high']!r}; give [low, high]"
        )
    if kind == "lognormal" and np.any(np.asarray(p["low"]) <= 0):
        fail(
            f"a lognormal's bounds must be positive, and {text['low']!r} is not; use a "
            "normal distribution for a quantity that can be zero or negative"
        )
    if "mode" in p and np.any(
        (np.asarray(p["mode"]) < p["low"]) | (np.asarray(p["mode"]) > p["high"])
    ):
        fail(f"the mode {text['mode']!r} is outside [{text['low']}, {text['high']}]")
    if kind in ("uniform", "triangular", "pert") and np.any(
        np.asarray(p["low"]) == np.asarray(p["high"])
    ):
        fail(
            f"the low and high ends are both {text['low']!r}; a {kind} distribution needs "
            "low < high (or give a plain value)"
        )
    if kind == "normal" and np.any(np.asarray(p["sd"]) < 0):
        fail(f"the standard deviation {text['sd']!r} is negative")
    if kind == "beta" and np.any((np.asarray(p["alpha"]) <= 0) | (np.asarray(p["beta"]) <= 0)):
        fail(f"beta's alpha and beta must be positive, not {text['alpha']!r} and {text['beta']!r}")


def _lognormal_parameters(p: dict[str, Any]) -> tuple[Any, Any]:
    log_low, log_high = np.log(p["low"]), np.log(p["high"])
    return (log_low + log_high) / 2, (log_high - log_low) / (2 * Z90)


def _pert_shape(p: dict[str, Any]) -> tuple[Any, Any, Any]:
    span = p["high"] - p["low"]
    alpha = 1 + 4 * (p["mode"] - p["low"]) / span
    beta = 1 + 4 * (p["high"] - p["mode"]) / span
    return alpha, beta, span


_SAMPLERS: dict[str, Any] = {
    "constant": lambda rng, n, p: np.full(n, p["value"], dtype=float),
    "normal": lambda rng, n, p: rng.normal(p["mean"], p["sd"], n),
    "normal90": lambda rng, n, p: rng.normal(
        (p["low"] + p["high"]) / 2, (p["high"] - p["low"]) / (2 * Z90), n
    ),
    "lognormal": lambda rng, n, p: rng.lognormal(*_lognormal_parameters(p), n),
    "uniform": lambda rng, n, p: rng.uniform(p["low"], p["high"], n),
    "triangular": lambda rng, n, p: rng.triangular(p["low"], p["mode"], p["high"], n),
    "pert": lambda rng, n, p: p["low"] + _pert_shape(p)[2] * rng.beta(*_pert_shape(p)[:2], n),
    "beta": lambda rng, n, p: rng.beta(p["alpha"], p["beta"], n),
}

_MEANS: dict[str, Any] = {
    "constant": lambda p: p["value"],
    "normal": lambda p: p["mean"],
    "normal90": lambda p: (p["low"] + p["high"]) / 2,
    "lognormal": lambda p: np.exp(
        _lognormal_parameters(p)[0] + _lognormal_parameters(p)[1] ** 2 / 2
    ),
    "uniform": lambda p: (p["low"] + p["high"]) / 2,
    "triangular": lambda p: (p["low"] + p["mode"] + p["high"]) / 3,
    "pert": lambda p: (p["low"] + 4 * p["mode"] + p["high"]) / 6,
    "beta": lambda p: p["alpha"] / (p["alpha"] + p["beta"]),
}


# --- building from the file format --------------------------------------------


def from_range(bounds: list[Param] | str, like: pint.Quantity | None) -> Distribution:
    """``range: [low, high]``, or one text such as ``range: 120-132 kW``: a 90% interval,
    lognormal if both ends are positive."""
    if isinstance(bounds, str):
        low, high = (constant_parameter(b, like, "range") for b in _range_text(bounds))
    elif len(bounds) != 2:
        raise UnitError(range_size_message(bounds, "range"))
    else:
        low, high = (constant_parameter(b, like, "range") for b in bounds)
    positive = low.constant.magnitude > 0 and high.constant.magnitude > 0  # type: ignore[union-attr]
    distribution = Distribution("lognormal" if positive else "normal90", {"low": low, "high": high})
    distribution.check({}, _unit_of(low, like))  # low <= high
    return distribution


def _range_text(text: str) -> tuple[pint.Quantity, pint.Quantity]:
    """Both ends of a range written as one text, read by the one reader of notation."""
    try:
        read = parse_quantity(text)
    except CalcError as exc:
        raise UnitError(f"range: {exc.message}") from None
    if not isinstance(read, QuantityRange):
        raise UnitError(
            f"range {text!r} is one value; a range is [low, high], or one text with both "
            "ends, such as '120-132 kW' or '750,000 to 1.3 million homes'"
        )
    return read.low, read.high


def range_size_message(values: list[Any], key: str) -> str:
    """Why a range of other than two values is refused; where YAML split unquoted
    thousands commas (``[10,260 kWh, 10,791 kWh]`` is four items), how to quote them.

    >>> range_size_message([10, "260 kWh/yr/home", 10, "791 kWh/yr/home"], "range")
    "a range is [low, high], two values, not 4: YAML splits unquoted values at commas; \
quote each value, range: ['10,260 kWh/yr/home', '10,791 kWh/yr/home']"
    """
    message = f"a range is [low, high], two values, not {len(values)}"
    groups = _rejoin_thousands([str(v) for v in values])
    if len(groups) == len(values):  # no thousands comma was split
        return message
    quoted = ", ".join(repr(g) for g in groups) if len(groups) == 2 else "'1,000 GW', '2,000 GW'"
    return f"{message}: YAML splits unquoted values at commas; quote each value, {key}: [{quoted}]"


def split_pair_message(written: str, values: list[Any]) -> str:
    """Why a two-item range that YAML read across an unquoted thousands comma is refused:
    both readings, and how to write each.

    >>> print(split_pair_message("[10,260 kWh]", [10, "260 kWh"]))
    [10,260 kWh] has two readings: the range 10 to 260 kWh, as YAML reads it, or the
    number 10,260 kWh with a thousands comma; for the range write [10 kWh, 260 kWh]; for
    the number quote it or drop the comma, and give the other end: ['10,260 kWh', HIGH]
    or [10260 kWh, HIGH]
    """
    low, high = (str(v) for v in values)
    number = f"{low},{high}"
    unit = high.lstrip("0123456789").strip()
    both = f"[{low} {unit}, {high}]" if unit else f"[{low}, {high}]"
    return (
        f"{written} has two readings: the range {low} to {high}, as YAML reads it, or the "
        f"number {number} with a thousands comma; for the range write {both}; for the "
        f"number quote it or drop the comma, and give the other end: ['{number}', HIGH] or "
        f"[{low}{high}, HIGH]"
    )


def _rejoin_thousands(pieces: list[str]) -> list[str]:
    """Join each piece that starts with three digits to a previous one that is digits."""
    groups: list[str] = []
    for piece in pieces:
        if groups and _THOUSANDS_TAIL.match(piece) and _DIGITS_END.search(groups[-1]):
            groups[-1] += "," + piece
        else:
            groups.append(piece)
    return groups


_THOUSANDS_TAIL = re.compile(r"\d{3}(?!\d)")
_DIGITS_END = re.compile(r"^[-+]?[$€£]?\d{1,3}(,\d{3})*$")


def from_spec(spec: Any, make: Any, like: pint.Quantity | None) -> Distribution:
    """A Distribution from its spec; ``make(raw, what)`` builds each parameter."""
    if isinstance(spec, MixtureSpec):
        if not spec.components:
            raise UnitError("a mixture needs at least one component (and a weight for each)")
        if len(spec.components) != len(spec.weights):
            raise UnitError(
                f"a mixture needs as many weights as components; it has "
                f"{len(spec.components)} components and {len(spec.weights)} weights"
            )
        components = tuple(
            from_spec(c, make, like)
            if isinstance(c, BaseModel)
            else Distribution("constant", {"value": make(c, "mixture component")})
            for c in spec.components
        )
        weights = tuple(make(w, "mixture weight", dimensionless=True) for w in spec.weights)
        return Distribution("mixture", components=components, weights=weights)
    raw = {k: v for k, v in spec.model_dump(exclude={"type"}).items() if v is not None}
    kind = spec.type
    if kind == "normal":
        kind = _normal_kind(raw)
    fractions = {"alpha", "beta"}
    params = {k: make(v, f"{spec.type} {k}", dimensionless=k in fractions) for k, v in raw.items()}
    return Distribution(kind, params)


def _normal_kind(raw: dict[str, Any]) -> str:
    if set(raw) == {"mean", "sd"}:
        return "normal"
    if set(raw) == {"low", "high"}:
        return "normal90"
    raise UnitError(
        "a normal distribution takes either mean and sd, or low and high (a 90% "
        f"interval), not {', '.join(sorted(raw)) or 'nothing'}"
    )


def _unit_of(parameter: Parameter, like: pint.Quantity | None) -> pint.Unit:
    if like is not None:
        return like.units
    assert parameter.constant is not None
    return parameter.constant.units


@dataclass(frozen=True)
class DistributionFormula:
    """A derived quantity that is a distribution: it reads like a formula (``names``,
    ``evaluate`` gives the mean at point values) and is sampled in a Monte Carlo run."""

    distribution: Distribution
    unit: pint.Unit

    @property
    def names(self) -> frozenset[str]:
        return self.distribution.names

    @property
    def text(self) -> str:
        return self.distribution.describe()

    def __str__(self) -> str:
        return self.text

    def evaluate(self, values: Mapping[str, pint.Quantity]) -> pint.Quantity:
        """The mean, at the given values of the parameters' quantities."""
        return Q_(self.distribution.mean(values, self.unit), self.unit)

    def sample(
        self, rng: np.random.Generator, count: int, values: Mapping[str, pint.Quantity]
    ) -> pint.Quantity:
        return Q_(self.distribution.sample(rng, count, values, self.unit), self.unit)
