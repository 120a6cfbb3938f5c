"""The formula language: parse, list names, evaluate; never ``eval``.

A formula is names, numbers, ``+ - * / **``, parentheses, unary minus and a few
functions. It is parsed with :mod:`ast` in ``eval`` mode and every node is checked
against a whitelist before anything is evaluated; evaluation walks the checked
tree itself. Values are pint Quantities whose magnitudes may be floats or numpy
arrays, so one walk evaluates a point estimate or a million samples alike.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pint

from calc.errors import EvaluationError, ExpressionError, UnitError, UnknownNameError
from calc.names import closest
from calc.units.display import describe_dimension, format_unit
from calc.units.notation import long_number, too_long_message
from calc.units.registry import Q_, conversion_factor, ureg

MAX_LENGTH = 2_000
MAX_DEPTH = 40
MAX_NAME = 100
#: A literal exponent beyond this is refused: no model needs x**1000, and
#: 10**10**10 would exhaust the machine.
MAX_EXPONENT = 64
#: A display unit's factor is folded into a product's or quotient's smaller operand only
#: for results of at least this many numbers: below, the pass it saves costs less than
#: working out where to fold (and small results, point values among them, keep the
#: rounding of converting the result).
FOLD_FROM = 1 << 16


def _min(*args: pint.Quantity) -> pint.Quantity:
    result = args[0]
    for arg in args[1:]:
        result = np.minimum(result, arg)
    return result


def _max(*args: pint.Quantity) -> pint.Quantity:
    result = args[0]
    for arg in args[1:]:
        result = np.maximum(result, arg)
    return result


def _dimensionless(name: str, fn: Callable[[Any], Any]) -> Callable[[pint.Quantity], Any]:
    def apply(x: pint.Quantity) -> pint.Quantity:
        if not x.dimensionless:
            raise UnitError(
                f"{name}() takes a pure number, but its argument is "
                f"{describe_dimension(x)} ({format_unit(x.units)}); divide it by a "
                "quantity of the same unit first"
            )
        return Q_(fn(x.to("dimensionless").magnitude))

    return apply


#: name -> (function, least and most arguments)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "min": (_min, 2, 16),
    "max": (_max, 2, 16),
    "sqrt": (np.sqrt, 1, 1),
    "abs": (abs, 1, 1),
    "log": (_dimensionless("log", np.log), 1, 1),
    "exp": (_dimensionless("exp", np.exp), 1, 1),
}

_OPERATORS: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("add", lambda a, b: a + b),
    ast.Sub: ("subtract", lambda a, b: a - b),
    ast.Mult: ("multiply", lambda a, b: a * b),
    ast.Div: ("divide", lambda a, b: a / b),
    ast.Pow: ("raise", lambda a, b: a**b),
}
_LANGUAGE = "names, numbers, + - * / **, parentheses and the functions " + ", ".join(
    sorted(FUNCTIONS)
)
_FORBIDDEN = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if'/'else'",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "':='",
    ast.Starred: "'*' unpacking",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.Slice: "a slice",
}


@dataclass(frozen=True)
class Formula:
    """A parsed, checked formula. ``names`` are the quantities it reads."""

    text: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(
        self, values: Mapping[str, pint.Quantity], unit: pint.Unit | None = None
    ) -> pint.Quantity:
        """Evaluate over ``values``; magnitudes may be floats or numpy arrays.

        With ``unit``, a product or quotient of a smaller array (or a number) and a larger
        one comes out in ``unit`` where the two convert by a factor: the factor is folded
        into the smaller operand, which saves converting the larger result afterwards.
        Any other result is left in the units the arithmetic gives.
        """
        if unit is None:
            with np.errstate(all="ignore"):  # non-finite results are checked by the caller
                result = _Evaluator(self.text, values).visit(self.tree.body)
            return result if isinstance(result, pint.Quantity) else Q_(result)
        return self.evaluate_bounded(values, unit, None)[0]

    def evaluate_bounded(
        self,
        values: Mapping[str, pint.Quantity],
        unit: pint.Unit,
        bounds: Mapping[str, float] | None,
    ) -> tuple[pint.Quantity, float | None]:
        """``evaluate(values, unit)``, and a finite number that no magnitude of the result
        passes in size, where the operands prove one without reading the result: a large
        product or quotient of finite operands that are small, or whose bound ``bounds``
        holds by name. Then every magnitude is finite. None where nothing is proved."""
        body = self.tree.body
        with np.errstate(all="ignore"):  # non-finite results are checked by the caller
            if isinstance(body, ast.BinOp):
                result, bound = _Evaluator(self.text, values).binary_in(body, unit, bounds)
            else:
                result, bound = _Evaluator(self.text, values).visit(body), None
        return (result if isinstance(result, pint.Quantity) else Q_(result)), bound

    def __str__(self) -> str:
        return self.text

    @cached_property
    def exponent_names(self) -> frozenset[str]:
        """The names read inside the exponent of a ``**``: the only ones whose values can
        change the dimension of the result (``side ** n``)."""
        return frozenset(
            n.id
            for power in ast.walk(self.tree)
            if isinstance(power, ast.BinOp) and isinstance(power.op, ast.Pow)
            for n in ast.walk(power.right)
            if isinstance(n, ast.Name)
        )


def parse_formula(text: str) -> Formula:
    """Parse and check a formula; raise ExpressionError saying where and why.

    >>> sorted(parse_formula("planned_investment / planned_power").names)
    ['planned_investment', 'planned_power']
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the formula is empty; write one such as 'a / b'")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the formula is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed"
        )
    _check_nesting(text)
    number = long_number(text)
    if number is not None:
        raise ExpressionError(f"formula {_clipped(text)!r}: {too_long_message(number)}")
    try:
        with warnings.catch_warnings():
            # "1in" is a SyntaxWarning to Python ("invalid decimal literal"); to us, malformed
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxWarning as exc:
        raise ExpressionError(
            f"formula {text.strip()!r} is malformed: {exc}; formulas use {_LANGUAGE}"
        ) from None
    except SyntaxError as exc:
        column = exc.offset or 1
        stripped = text.strip()
        near = stripped[column - 1 : column + 9] or "the end"
        raise ExpressionError(
            f"formula {stripped!r} is malformed at column {column} (near {near!r}): "
            f"{exc.msg.split('. Perhaps')[0]}; formulas use {_LANGUAGE}"
        ) from None
    names: set[str] = set()
    _Checker(text.strip(), names).visit(tree.body)
    return Formula(text=text.strip(), tree=tree, names=frozenset(names))


def _clipped(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _check_nesting(text: str) -> None:
    depth = deepest = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise ExpressionError(
            f"the formula nests parentheses {deepest} deep; at most {MAX_DEPTH} are allowed"
        )


class _Checker:
    """Walks a parsed tree and refuses anything outside the whitelist."""

    def __init__(self, text: str, names: set[str]) -> None:
        self.text = text
        self.names = names

    def fail(self, node: ast.AST, what: str) -> ExpressionError:
        column = getattr(node, "col_offset", 0) + 1
        segment = ast.get_source_segment(self.text, node) or ""
        return ExpressionError(
            f"formula {self.text!r} uses {what} at column {column} ({segment!r}), which is not "
            f"allowed; formulas use {_LANGUAGE}"
        )

    def visit(self, node: ast.AST, depth: int = 0, power: float = 1.0) -> None:
        """Check ``node``; ``power`` is the product of the constant exponents it sits under,
        so (2**10)**10 counts as 2**100 however the parentheses fall."""
        if depth > MAX_DEPTH:
            raise ExpressionError(f"formula {self.text!r} is nested more than {MAX_DEPTH} deep")
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _OPERATORS:
                raise self.fail(node, f"the operator {_op_symbol(node, self.text)!r}")
            inner = power
            if isinstance(node.op, ast.Pow):
                inner = power * self._check_exponent(node, power)
            self.visit(node.left, depth + 1, inner)
            self.visit(node.right, depth + 1)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise self.fail(node, "the operator 'not'/'~'")
            self.visit(node.operand, depth + 1, power)
        elif isinstance(node, ast.Name):
            self._check_name(node)
            self.names.add(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float) or isinstance(node.value, bool):
                raise self.fail(node, f"the constant {node.value!r}")
            if not math.isfinite(node.value):
                raise self.fail(node, "a number too large to represent")
        elif isinstance(node, ast.Call):
            self._check_call(node, depth, power)
        else:
            what = _FORBIDDEN.get(type(node), "an expression of a kind formulas do not have")
            raise self.fail(node, what)

    def _check_name(self, node: ast.Name) -> None:
        if node.id.startswith("_"):
            raise self.fail(node, f"the name {node.id!r} (names may not begin with '_')")
        if len(node.id) > MAX_NAME:
            raise self.fail(node, f"a name of {len(node.id)} characters (at most {MAX_NAME})")
        if node.id in FUNCTIONS:
            raise self.fail(node, f"the function {node.id!r} without calling it")

    def _check_call(self, node: ast.Call, depth: int, power: float) -> None:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "a call of something that is not a function name")
        name = node.func.id
        if name not in FUNCTIONS:
            hint = closest(name, FUNCTIONS)
            raise ExpressionError(
                f"formula {self.text!r} calls the unknown function {name!r} at column "
                f"{node.col_offset + 1}"
                + (f" (did you mean {hint}?)" if hint else "")
                + f"; the functions are {', '.join(sorted(FUNCTIONS))}"
            )
        if node.keywords:
            raise self.fail(node, f"keyword arguments to {name}()")
        _, least, most = FUNCTIONS[name]
        if not least <= len(node.args) <= most:
            count = f"{least}" if least == most else f"{least} to {most}"
            raise ExpressionError(
                f"formula {self.text!r}: {name}() takes {count} argument(s), not {len(node.args)}"
            )
        for arg in node.args:
            self.visit(arg, depth + 1, power)

    def _check_exponent(self, node: ast.BinOp, power: float) -> float:
        """The exponent's size when it is a constant (2**(5*5) is 2**25), else 1; refuse
        one that, times the powers around it, passes MAX_EXPONENT."""
        if any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node.right)
        ):
            raise ExpressionError(
                f"formula {self.text!r} stacks powers at column {node.right.col_offset + 1} "
                f"({ast.get_source_segment(self.text, node)!r}); a power's exponent may not "
                "itself contain '**'"
            )
        exponent = _constant(node.right)
        size = 1.0 if exponent is None else abs(exponent)
        if size * power > MAX_EXPONENT:
            total = "" if power == 1 else f", {size * power:g} with the powers around it"
            raise ExpressionError(
                f"formula {self.text!r} raises to the power {exponent:g} at column "
                f"{node.right.col_offset + 1}{total}; exponents are at most {MAX_EXPONENT}"
            )
        return size


def _constant(node: ast.AST) -> float | None:
    """The value of an exponent made only of numbers and + - * /, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _constant(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div):
        left, right = _constant(node.left), _constant(node.right)
        if left is None or right is None or (isinstance(node.op, ast.Div) and right == 0):
            return None
        with np.errstate(all="ignore"):
            value = float(_OPERATORS[type(node.op)][1](np.float64(left), np.float64(right)))
        return value if math.isfinite(value) else math.inf
    return None


def _op_symbol(node: ast.BinOp, text: str) -> str:
    symbols = {
        ast.FloorDiv: "//",
        ast.Mod: "%",
        ast.MatMult: "@",
        ast.LShift: "<<",
        ast.RShift: ">>",
        ast.BitOr: "|",
        ast.BitAnd: "&",
        ast.BitXor: "^",
    }
    return symbols.get(type(node.op), ast.get_source_segment(text, node) or "?")


class _Evaluator:
    """Evaluates a checked tree over a mapping of names to quantities."""

    def __init__(self, text: str, values: Mapping[str, pint.Quantity]) -> None:
        self.text = text
        self.values = values

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return self._lookup(node.id)
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise ExpressionError(f"formula {self.text!r} holds an unchecked node")  # unreachable

    def _call(self, node: ast.Call) -> Any:
        assert isinstance(node.func, ast.Name)
        function = FUNCTIONS[node.func.id][0]
        args = [self.visit(a) for a in node.args]
        try:
            return function(*[a if isinstance(a, pint.Quantity) else Q_(a) for a in args])
        except pint.DimensionalityError:  # min() or max() over different dimensions
            raise UnitError(
                f"in {ast.get_source_segment(self.text, node)!r}, the arguments of "
                f"{node.func.id}() need the same dimension, but they are "
                + _listed([_describe(a) for a in args])
            ) from None

    def _lookup(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            hint = closest(name, self.values)
            raise UnknownNameError(
                f"formula {self.text!r} uses {name!r}, which is not defined"
                + (f"; did you mean {hint}?" if hint else "; define it as an input or derived"),
                name=name,
                suggestions=tuple(hint.split(" or ")) if hint else (),
            ) from None

    def binary_in(
        self, node: ast.BinOp, unit: pint.Unit, bounds: Mapping[str, float] | None = None
    ) -> tuple[Any, float | None]:
        """``node`` evaluated, in ``unit`` when a conversion factor can be folded into the
        smaller operand of a product or quotient (see Formula.evaluate); and, with
        ``bounds``, a finite bound on the result's magnitudes where the operands give one
        (see Formula.evaluate_bounded), else None."""
        left, right = self.visit(node.left), self.visit(node.right)
        if not isinstance(node.op, ast.Mult | ast.Div):
            return self._operate(node, left, right), None
        sizes = np.size(_magnitude(left)), np.size(_magnitude(right))
        if sizes[0] * sizes[1] < FOLD_FROM or min(sizes) >= _result_size(left, right):
            return self._operate(node, left, right), None  # no pass over a large result saved
        factor = _factor(type(node.op), _units(left), _units(right), unit)
        if factor is None:
            return self._operate(node, left, right), None
        if factor == 1.0:
            pass  # the same numbers: only the unit's name changes
        elif sizes[0] <= sizes[1]:
            left = Q_(_magnitude(left) * factor, _units(left))
        elif isinstance(node.op, ast.Mult):
            right = Q_(_magnitude(right) * factor, _units(right))
        else:
            right = Q_(_magnitude(right) / factor, _units(right))
        result = Q_(self._operate(node, left, right).magnitude, unit)
        if bounds is None:
            return result, None
        return result, _bound(node, left, right, bounds)

    def _binary(self, node: ast.BinOp) -> Any:
        return self._operate(node, self.visit(node.left), self.visit(node.right))

    def _operate(self, node: ast.BinOp, left: Any, right: Any) -> Any:
        verb, operate = _OPERATORS[type(node.op)]
        try:
            return operate(left, right)
        except pint.DimensionalityError:
            raise UnitError(self._mismatch(node, verb, left, right)) from None
        except ZeroDivisionError:
            raise EvaluationError(
                f"formula {self.text!r} divides by zero in "
                f"{ast.get_source_segment(self.text, node)!r}"
            ) from None
        except OverflowError:
            raise EvaluationError(
                f"formula {self.text!r} overflows in {ast.get_source_segment(self.text, node)!r}"
            ) from None

    def _mismatch(self, node: ast.BinOp, verb: str, left: Any, right: Any) -> str:
        segment = ast.get_source_segment(self.text, node)
        if verb == "raise":
            return (
                f"in {segment!r}, the exponent must be a pure number and, when the base "
                "has a unit, a plain number literal; "
                f"the base is {_describe(left)} and the exponent {_describe(right)}"
            )
        joiner = "to" if verb == "add" else "from"
        # "cannot add b to a", "cannot subtract b from a"
        return (
            f"in {segment!r}, cannot {verb} {_describe(right)} {joiner} {_describe(left)}; "
            "both sides need the same dimension"
        )


def _magnitude(value: Any) -> Any:
    return value.magnitude if isinstance(value, pint.Quantity) else value


def _units(value: Any) -> pint.Unit:
    return value.units if isinstance(value, pint.Quantity) else ureg.dimensionless


def _result_size(left: Any, right: Any) -> int:
    return math.prod(np.broadcast_shapes(np.shape(_magnitude(left)), np.shape(_magnitude(right))))


@lru_cache(maxsize=256)
def _factor(
    op: type[ast.operator], left: pint.Unit, right: pint.Unit, unit: pint.Unit
) -> float | None:
    """The factor that takes ``left op right`` into ``unit``, as pint converts it; None
    where it is not one factor (another dimension, an offset unit, or units that pint's
    arithmetic rescales), so that the result is converted the usual way."""
    try:
        one = _OPERATORS[op][1](Q_(1.0, left), Q_(1.0, right))
    except (pint.PintError, ArithmeticError, ValueError, TypeError):
        return None
    return conversion_factor(one.units, unit) if one.magnitude == 1.0 else None


def _bound(node: ast.BinOp, left: Any, right: Any, bounds: Mapping[str, float]) -> float | None:
    """A finite bound on |left * right| or |left / right| over every pair the two broadcast
    to, or None. Rounding is monotonic, so no rounded product passes the rounded product of
    the largest sizes, and no quotient passes the largest numerator over the smallest
    divisor; finite operands give no NaN, as a quotient's divisors are not zero."""
    most = _largest(left, node.left, bounds)
    if most is None:
        return None
    if isinstance(node.op, ast.Mult):
        other = _largest(right, node.right, bounds)
        bound = None if other is None else np.float64(most) * np.float64(other)
    else:
        divisor = _magnitude(right)
        if np.size(divisor) >= FOLD_FROM:
            return None
        least = float(np.min(np.abs(divisor)))
        bound = np.float64(most) / np.float64(least) if least > 0 else None
    return float(bound) if bound is not None and math.isfinite(bound) else None


def _largest(value: Any, node: ast.AST, bounds: Mapping[str, float]) -> float | None:
    """The largest size of the magnitudes of an operand, read where it is small, by name
    from ``bounds`` where it is large; None when it is not finite or not known."""
    magnitude = _magnitude(value)
    if np.size(magnitude) < FOLD_FROM:
        largest = float(np.max(np.abs(magnitude)))
        return largest if math.isfinite(largest) else None
    return bounds.get(node.id) if isinstance(node, ast.Name) else None


def _listed(items: list[str]) -> str:
    """'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _describe(value: Any) -> str:
    if not isinstance(value, pint.Quantity):
        return "a pure number"
    unit = format_unit(value.units)
    return f"{describe_dimension(value)} ({unit})" if unit else describe_dimension(value)
