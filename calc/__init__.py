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
    from calc.analysis.comparison import compare
    from calc.analysis.explain import Explanation, Step
    from calc.analysis.sweeps import Sweep, sweep, sweep_grid
    from calc.articles.figures import Figure, extract
    from calc.domain.verdicts import Verdict
    from calc.errors import (
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
    from calc.io.paths import default_scenario
    from calc.lang.arith import evaluate_expression
    from calc.lang.formula import Formula, parse_formula
    from calc.render.interact import interact
    from calc.result import Result
    from calc.scenario import Scenario, load_scenario
    from calc.units.display import format_quantity
    from calc.units.notation import QuantityRange, parse_quantity, parse_value
    from calc.units.registry import Q_, ureg

_EXPORTS: dict[str, str] = {
    "evaluate_expression": "lang.arith",
    "interact": "render.interact",
    "Verdict": "domain.verdicts",
    "compare": "analysis.comparison",
    "sweep": "analysis.sweeps",
    "sweep_grid": "analysis.sweeps",
    "Sweep": "analysis.sweeps",
    "references": "analysis.references",
    "CalcError": "errors",
    "CycleError": "errors",
    "EvaluationError": "errors",
    "ExpressionError": "errors",
    "ScenarioFileError": "errors",
    "SourceError": "errors",
    "UnitError": "errors",
    "UnknownNameError": "errors",
    "OutputError": "errors",
    "Explanation": "analysis.explain",
    "Step": "analysis.explain",
    "Formula": "lang.formula",
    "parse_formula": "lang.formula",
    "Figure": "articles.figures",
    "extract": "articles.figures",
    "default_scenario": "io.paths",
    "Result": "result",
    "Scenario": "scenario",
    "load_scenario": "scenario",
    "Q_": "units.registry",
    "format_quantity": "units.display",
    "parse_quantity": "units.notation",
    "parse_value": "units.notation",
    "QuantityRange": "units.notation",
    "ureg": "units.registry",
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
    "QuantityRange",
    "Result",
    "Scenario",
    "ScenarioFileError",
    "SourceError",
    "Step",
    "Sweep",
    "UnitError",
    "UnknownNameError",
    "Verdict",
    "__version__",
    "compare",
    "default_scenario",
    "evaluate_expression",
    "extract",
    "format_quantity",
    "interact",
    "load_scenario",
    "parse_formula",
    "parse_quantity",
    "parse_value",
    "references",
    "sweep",
    "sweep_grid",
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
