"""The shared corpus of article notation (#12): written forms, and what a careful reader
takes each to mean.

``tests/cases/notation.yaml`` holds the forms by category. Each case has a ``text``, the
``entry`` points that accept it, and exactly one of:

- ``expect``: ``{value, unit}``, or ``{low, high, unit}`` for a range: the quantity;
- ``refuse``: the readings a refusal must name (the text is ambiguous);
- ``expect_figures``: for ``calc extract`` only, every figure the sentence states, in
  order (an empty list: the sentence states none).

The entry points, all through calc's public API:

- ``value``: ``calc.parse_quantity(text)``, which scenario values and ``--set`` use. For a
  range it gives either an object with ``low`` and ``high`` quantities or a quantity whose
  magnitude is ``[low, high]``;
- ``eval``: ``calc.evaluate_expression(text)``, as ``calc eval`` does;
- ``extract``: ``calc.extract(sentence)``, where ``sentence`` is the case's ``sentence``,
  or the text itself. With ``expect`` it finds exactly one figure.

A result matches when it converts to the expected unit and its magnitude is within 1e-9
(relative) of the expected one. A refusal is a ``calc.CalcError`` whose message holds
every key word of every reading (compared without case; see ``key_words``).

Units are strings calc's registry parses. A unit calc does not define yet (``EUR``, or a
count noun that extract defines when it meets it) is listed under ``units_to_come`` with
a stand-in of the same kind, so that its cases can be checked for well-formed units now.

``tests/cases/notation_known_failures.txt`` lists the ``text | entry`` pairs that fail
today; the corpus test marks exactly those as expected failures. The notation work of
#12 must empty it. ``python -m tests.notation_cases`` prints the pairs that fail now.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pint
import yaml

import calc

CASES = Path(__file__).resolve().parent / "cases"
CORPUS = CASES / "notation.yaml"
KNOWN_FAILURES = CASES / "notation_known_failures.txt"
ENTRY_POINTS = ("value", "eval", "extract")
REL_TOL = 1e-9
#: Words of a reading that a refusal need not repeat.
_FILLER = frozenset({"a", "an", "the", "of", "or", "as"})
_CASE_KEYS = frozenset({"text", "entry", "expect", "refuse", "expect_figures", "sentence", "why"})
_OUTCOMES = ("expect", "refuse", "expect_figures")


class CorpusError(ValueError):
    """A case of the corpus that is not well formed."""


@dataclass(frozen=True)
class Expected:
    """A quantity as a careful reader states it: one value, or a range."""

    unit: str
    value: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None

    def __str__(self) -> str:
        if self.is_range:
            return f"{self.low:g} to {self.high:g} {self.unit}"
        return f"{self.value:g} {self.unit}"


@dataclass(frozen=True)
class NotationCase:
    """One written form, the entry points that accept it, and what it must read as."""

    text: str
    category: str
    entry: tuple[str, ...]
    expect: Expected | None = None
    refuse: tuple[str, ...] | None = None
    expect_figures: tuple[Expected, ...] | None = None
    sentence: str | None = None
    why: str | None = None

    @property
    def prose(self) -> str:
        """What ``calc extract`` reads: the sentence, or the text itself."""
        return self.sentence or self.text

    def case_id(self, entry: str) -> str:
        """The case and entry point as the known-failures file names them."""
        return f"{self.text} | {entry}"


@dataclass(frozen=True)
class Corpus:
    cases: tuple[NotationCase, ...]
    units_to_come: dict[str, str]


# --- loading and validation -----------------------------------------------------------


def load_corpus(path: Path = CORPUS) -> Corpus:
    """Every case of the corpus, validated."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    stand_ins = dict(data.get("units_to_come") or {})
    cases = tuple(
        _case(raw, category, stand_ins) for category, raws in data["cases"].items() for raw in raws
    )
    seen: set[str] = set()
    for case in cases:
        if case.text in seen:
            raise CorpusError(f"{case.text!r} is in the corpus twice; each text once")
        seen.add(case.text)
    return Corpus(cases, stand_ins)


def _case(raw: dict[str, Any], category: str, stand_ins: dict[str, str]) -> NotationCase:
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"a case in {category!r} has no text: {raw!r}")

    def fail(what: str) -> CorpusError:
        return CorpusError(f"{category}: {text!r}: {what}")

    if unknown := set(raw) - _CASE_KEYS:
        raise fail(f"unknown keys {sorted(unknown)}")
    if " | " in text or "\n" in text:
        raise fail("a text holds no ' | ' and no line break (they separate case ids)")
    given = [key for key in _OUTCOMES if key in raw]
    if len(given) != 1:
        raise fail(f"give exactly one of {', '.join(_OUTCOMES)}, not {given}")
    entry = tuple(raw.get("entry") or ())
    if not entry or len(set(entry)) != len(entry) or not set(entry) <= set(ENTRY_POINTS):
        raise fail(f"entry must list some of {ENTRY_POINTS}, each once, not {entry}")
    sentence = raw.get("sentence")
    if sentence is not None and text not in sentence:
        raise fail(f"the sentence {sentence!r} does not contain the text")
    case = NotationCase(
        text=text,
        category=category,
        entry=entry,
        sentence=sentence,
        why=raw.get("why"),
        expect=_expected(raw["expect"], fail, stand_ins) if "expect" in raw else None,
        refuse=_readings(raw["refuse"], fail) if "refuse" in raw else None,
        expect_figures=(
            tuple(_expected(f, fail, stand_ins) for f in raw["expect_figures"])
            if "expect_figures" in raw
            else None
        ),
    )
    _check_entries(case, fail)
    return case


def _check_entries(case: NotationCase, fail: Any) -> None:
    if case.expect_figures is not None and case.entry != ("extract",):
        raise fail("expect_figures is for extract only: entry: [extract]")
    if case.refuse is not None and "extract" in case.entry:
        raise fail("extract reads prose and refuses nothing; a refusal is for value and eval")
    if case.expect is not None and case.expect.is_range and "eval" in case.entry:
        raise fail("calc eval has no ranges ('to' converts); a range is for value and extract")
    if case.sentence is not None and "extract" not in case.entry:
        raise fail("a sentence is what extract reads; add extract to entry or drop it")


def _expected(raw: Any, fail: Any, stand_ins: dict[str, str]) -> Expected:
    if not isinstance(raw, dict) or set(raw) - {"value", "low", "high", "unit"}:
        raise fail(f"an expected quantity is {{value, unit}} or {{low, high, unit}}: {raw!r}")
    if "unit" not in raw or not isinstance(raw["unit"], str):
        raise fail(f"the expected quantity {raw!r} has no unit (use 'dimensionless')")
    if ("value" in raw) == ("low" in raw or "high" in raw):
        raise fail(f"give value, or low and high: {raw!r}")
    numbers = [raw[k] for k in ("value", "low", "high") if k in raw]
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        raise fail(f"expected numbers, got {numbers!r}")
    if "low" in raw and ("high" not in raw or raw["low"] > raw["high"]):
        raise fail(f"a range needs low <= high: {raw!r}")
    _check_unit(raw["unit"], fail, stand_ins)
    return Expected(
        unit=raw["unit"],
        value=_float(raw.get("value")),
        low=_float(raw.get("low")),
        high=_float(raw.get("high")),
    )


def _float(number: float | None) -> float | None:
    return None if number is None else float(number)


def _check_unit(unit: str, fail: Any, stand_ins: dict[str, str]) -> None:
    """The unit parses in calc's registry, with a stand-in for each unit still to come."""
    standing = re.sub(r"[A-Za-z_]\w*", lambda m: stand_ins.get(m.group(), m.group()), unit)
    try:
        calc.ureg.parse_units(standing)
    except Exception as exc:  # pint raises several types; all mean "not a unit"
        raise fail(
            f"the unit {unit!r} does not parse in calc's registry ({exc}); list a unit "
            "calc does not define yet under units_to_come"
        ) from None


def _readings(raw: Any, fail: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(r, str) for r in raw):
        raise fail(f"refuse lists the readings (two or more) the refusal names: {raw!r}")
    return tuple(raw)


def key_words(reading: str) -> list[str]:
    """The words of a reading that a refusal must name: every word and number of it but
    fillers such as 'a' and 'of'. '5 molar' gives ['5', 'molar']."""
    words = [w.strip(".,;:'\"()") for w in reading.split()]
    return [w for w in words if w and w.lower() not in _FILLER]


def names_reading(message: str, reading: str) -> bool:
    """Whether ``message`` holds every key word of ``reading``, as a word, in any case."""
    return all(
        re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", message, re.IGNORECASE)
        for word in key_words(reading)
    )


def load_known_failures(corpus: Corpus, path: Path = KNOWN_FAILURES) -> frozenset[str]:
    """The ``text | entry`` ids of the cases that fail today; each must be in the corpus."""
    ids = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    valid = {case.case_id(entry) for case in corpus.cases for entry in case.entry}
    if stale := [i for i in ids if i not in valid]:
        raise CorpusError(f"{path.name} lists ids that are not in the corpus: {stale}")
    if len(set(ids)) != len(ids):
        raise CorpusError(f"{path.name} lists an id twice")
    return frozenset(ids)


# --- running a case ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an entry point made of a text: a quantity, a range, figures, or a refusal."""

    quantity: pint.Quantity | None = None
    low: pint.Quantity | None = None
    high: pint.Quantity | None = None
    figures: tuple[Any, ...] | None = None
    refusal: str | None = None

    def __str__(self) -> str:
        if self.refusal is not None:
            return f"refused: {self.refusal}"
        if self.figures is not None:
            return "figures: " + "; ".join(_figure_text(f) for f in self.figures)
        if self.low is not None:
            return f"range {self.low:~P} to {self.high:~P}"
        return f"{self.quantity:~P}"


def _figure_text(figure: Any) -> str:
    span = f" [{figure.low:g} to {figure.high:g}]" if figure.low is not None else ""
    return f"{figure.text!r} = {figure.value:g} {figure.unit}{span}"


def run(case: NotationCase, entry: str) -> Outcome:
    """What ``entry`` makes of the case; any error but a CalcError propagates (a bug)."""
    try:
        if entry == "value":
            return _value_outcome(calc.parse_quantity(case.text))
        if entry == "eval":
            return Outcome(quantity=calc.evaluate_expression(case.text))
        return _extract_outcome(calc.extract(case.prose))
    except calc.CalcError as exc:
        return Outcome(refusal=str(exc))


def _value_outcome(result: Any) -> Outcome:
    if hasattr(result, "low") and hasattr(result, "high"):
        return Outcome(low=result.low, high=result.high)
    if (
        isinstance(result, pint.Quantity)
        and np.ndim(result.magnitude) == 1
        and len(result.magnitude) == 2
    ):
        return Outcome(low=result[0], high=result[1])
    return Outcome(quantity=result)


def _extract_outcome(figures: list[Any]) -> Outcome:
    for figure in figures:
        figure.define_units()  # a count noun new to calc ('36 Grace CPUs' needs cpu)
    if len(figures) != 1:
        return Outcome(figures=tuple(figures))
    figure = figures[0]
    if figure.low is not None:
        return Outcome(
            low=calc.Q_(figure.low, figure.unit),
            high=calc.Q_(figure.high, figure.unit),
            figures=tuple(figures),
        )
    return Outcome(quantity=figure.quantity, figures=tuple(figures))


def problems(case: NotationCase, entry: str, outcome: Outcome) -> list[str]:
    """How ``outcome`` differs from what the case expects ([] when it matches)."""
    if case.refuse is not None:
        if outcome.refusal is None:
            return [f"read as {outcome}, but it is ambiguous: refuse and name {list(case.refuse)}"]
        return [
            f"the refusal does not name {reading!r}: {outcome.refusal}"
            for reading in case.refuse
            if not names_reading(outcome.refusal, reading)
        ]
    if outcome.refusal is not None:
        return [
            f"refused, but it means {case.expect or list(map(str, case.expect_figures or ()))}"
            f": {outcome.refusal}"
        ]
    if case.expect_figures is not None:
        return _figures_problems(case.expect_figures, outcome.figures or ())
    assert case.expect is not None
    if entry == "extract" and outcome.figures is not None and len(outcome.figures) != 1:
        return [f"extract found {len(outcome.figures)} figures, not one: {outcome}"]
    return _quantity_problems(case.expect, outcome)


def _figures_problems(expected: tuple[Expected, ...], figures: tuple[Any, ...]) -> list[str]:
    if len(expected) != len(figures):
        return [
            f"extract found {len(figures)} figures, not {len(expected)} "
            f"({', '.join(map(str, expected)) or 'none'}): "
            + ("; ".join(_figure_text(f) for f in figures) or "none")
        ]
    found: list[str] = []
    for want, figure in zip(expected, figures, strict=True):
        found += _quantity_problems(want, _extract_outcome([figure]))
    return found


def _quantity_problems(want: Expected, outcome: Outcome) -> list[str]:
    if want.is_range != (outcome.low is not None):
        return [f"read as {outcome}, but it means {want}"]
    pairs = (
        [(outcome.low, want.low), (outcome.high, want.high)]
        if want.is_range
        else [(outcome.quantity, want.value)]
    )
    for got, value in pairs:
        if not _close(got, want.unit, value):
            return [f"read as {outcome}, but it means {want}"]
    return []


def _close(quantity: Any, unit: str | pint.Unit, value: float | None) -> bool:
    try:
        magnitude = float(np.asarray(quantity.to(unit).magnitude))
    except Exception:  # another dimension, or a unit calc does not define
        return False
    return math.isclose(magnitude, float(value or 0.0), rel_tol=REL_TOL, abs_tol=1e-12)


def same_reading(first: Outcome, other: Outcome) -> bool:
    """Whether two entry points read a text alike: both refuse, or the same quantity."""
    if (first.refusal is None) != (other.refusal is None):
        return False
    if first.refusal is not None:
        return True
    if (first.low is None) != (other.low is None):
        return False
    if first.low is not None:
        return _close(other.low, first.low.units, first.low.magnitude) and _close(
            other.high, first.high.units, first.high.magnitude
        )
    if first.quantity is None or other.quantity is None:
        return False
    return _close(other.quantity, first.quantity.units, float(first.quantity.magnitude))


def failing_ids(cases: Iterable[NotationCase]) -> list[str]:
    """The ``text | entry`` ids that do not read as the corpus says, in corpus order."""
    failing = []
    for case in cases:
        for entry in case.entry:
            try:
                wrong = problems(case, entry, run(case, entry))
            except Exception as exc:  # a bug in calc fails the case, as in the test
                wrong = [f"{type(exc).__name__}: {exc}"]
            if wrong:
                failing.append(case.case_id(entry))
    return failing


if __name__ == "__main__":  # print the ids that fail now, for the known-failures file
    sys.stdout.writelines(f"{case_id}\n" for case_id in failing_ids(load_corpus().cases))
