"""calc: an infrastructure-scale what-if calculator.

>>> import calc
>>> s = calc.load_scenario(calc.default_scenario())
>>> r = s.evaluate()
>>> print(calc.format_quantity(r["per_home_load"]))
1.2 kW/home

The names below are loaded on first use (PEP 562), so that ``import calc`` and
the command line start quickly; ``dir(calc)`` and ``__all__`` list them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .arith import evaluate_expression
    from .claims import Verdict
    from .comparison import compare
    from .errors import (
        CalcError,
        CycleError,
        EvaluationError,
        ExpressionError,
        OutputError,
        ScenarioFileError,
        SourceError,
        UnitError,
        UnknownNameError,
    )
    from .explain import Explanation, Step
    from .expr import Formula, parse_formula
    from .figures import Figure, extract
    from .paths import default_scenario
    from .result import Result
    from .scenario import Scenario, load_scenario
    from .sweeps import sweep
    from .units import Q_, format_quantity, parse_quantity, ureg

_EXPORTS: dict[str, str] = {
    "evaluate_expression": "arith",
    "Verdict": "claims",
    "compare": "comparison",
    "sweep": "sweeps",
    "CalcError": "errors",
    "CycleError": "errors",
    "EvaluationError": "errors",
    "ExpressionError": "errors",
    "ScenarioFileError": "errors",
    "SourceError": "errors",
    "UnitError": "errors",
    "UnknownNameError": "errors",
    "OutputError": "errors",
    "Explanation": "explain",
    "Step": "explain",
    "Formula": "expr",
    "parse_formula": "expr",
    "Figure": "figures",
    "extract": "figures",
    "default_scenario": "paths",
    "Result": "result",
    "Scenario": "scenario",
    "load_scenario": "scenario",
    "Q_": "units",
    "format_quantity": "units",
    "parse_quantity": "units",
    "ureg": "units",
}

__all__ = [
    "Q_",
    "CalcError",
    "CycleError",
    "EvaluationError",
    "Explanation",
    "ExpressionError",
    "Figure",
    "Formula",
    "OutputError",
    "Result",
    "Scenario",
    "ScenarioFileError",
    "SourceError",
    "Step",
    "UnitError",
    "UnknownNameError",
    "Verdict",
    "__version__",
    "compare",
    "default_scenario",
    "evaluate_expression",
    "extract",
    "format_quantity",
    "load_scenario",
    "parse_formula",
    "parse_quantity",
    "sweep",
    "ureg",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("infracalc")  # the distribution's name; PyPI's 'calc' is another project
        except PackageNotFoundError:  # a checkout that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'calc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
