"""One-line arithmetic with units: ``calc eval "1.4 trillion USD / 30 GW"``.

An expression is rewritten, token by token, into the formula language of
:mod:`calc.lang.formula` and evaluated by it, with every name resolved from calc's unit
registry; nothing is passed to ``eval``. The rewrite turns article notation into
formula syntax: a number and the words after it become one parenthesised product
(``$1.4 trillion`` -> ``(1.4 * trillion * USD)``, ``25 million U.S. homes`` ->
``(25 * million * homes)``); ``per``, and a unit written without spaces
(``kW/rack``), stay inside that product; ``10,791`` loses its separators, ``^`` is
``**``, ``5%`` is ``5 percent``, and a trailing ``to UNIT`` (or ``in UNIT``)
converts. Each character of the rewrite remembers the column it came from, so
errors point at the expression as it was typed.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field

import pint

from calc.errors import EvaluationError, ExpressionError, UnitError
from calc.lang.formula import FUNCTIONS, parse_formula
from calc.names import closest
from calc.units.display import describe_dimension, format_quantity, format_unit
from calc.units.notation import parse_unit, require_readable
from calc.units.notation.reader import read_notation
from calc.units.readable import readable
from calc.units.registry import Q_, SCALE_WORDS, fold_scale_words, ureg

#: Longest expression accepted: one line, and its rewrite stays within the formula limit.
MAX_LENGTH = 400
_LANGUAGE = (
    "numbers with units ('30 GW', '$1.4 trillion', '120 kW per rack'), "
    "+ - * / ** (or ^), parentheses and the functions " + ", ".join(sorted(FUNCTIONS))
)
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<qualifier>U\.\s?S\.|US(?=\s+[^\W\d]))     # "25 million U.S. homes": prose, not a unit
  | (?P<number>(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?
               |\.\d+(?:[eE][-+]?\d+)?)
  | (?P<word>p\.a\.|[^\W\d]\w*)
  | (?P<dollar>[$\u20ac\u00a3\u00a5\u00a2])
  | (?P<op>\*\*|[-+*/^(),%\u00d7\u00f7\u2212\u2013])
""",
    re.VERBOSE,
)
#: Typed operators and the formula language's spelling of them.
_OPERATORS = {"^": "**", "\u00d7": "*", "\u00f7": "/", "\u2212": "-", "\u2013": "-"}
_SIGNS = {"+", "-", "\u2212", "\u2013"}
_CONVERT = {"to", "in"}
_COMMON_UNITS = (
    "W",
    "kW",
    "MW",
    "GW",
    "TW",
    "Wh",
    "kWh",
    "MWh",
    "GWh",
    "TWh",
    "USD",
    "dollar",
    "home",
    "homes",
    "rack",
    "racks",
    "GPU",
    "GPUs",
    "hour",
    "day",
    "year",
    "yr",
    "percent",
    *SCALE_WORDS,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass
class Rewrite:
    """An expression rewritten into the formula language, and where each character came from.

    ``values`` holds the quantity each name in ``text`` stands for; ``target`` the
    unit of a trailing ``to UNIT``.
    """

    source: str
    text: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    values: dict[str, pint.Quantity] = field(default_factory=dict)
    target: pint.Unit | None = None
    _glued: bool = field(default=False, repr=False)

    def emit(self, text: str, start: int, end: int, *, space: bool = True) -> None:
        """Append ``text``, which stands for ``source[start:end]``; ``space=False``
        glues it to what comes before (a call's '('), and a unary sign to what follows."""
        if (
            space
            and self.text
            and not self.text.endswith("(")
            and not self._glued
            and text not in (")", ",")
        ):
            self.text += " "
            self.spans.append((start, start))
        self.text += text
        self.spans += [(start, end)] * len(text)
        self._glued = False

    def emit_sign(self, text: str, start: int, end: int) -> None:
        """Append a unary sign, glued to the value that follows it."""
        self.emit(text, start, end)
        self._glued = True

    def original(self, start: int, end: int) -> str:
        """The typed text behind ``text[start:end]``."""
        if start >= len(self.spans) or end <= start:
            return ""
        return self.source[self.spans[start][0] : self.spans[end - 1][1]]

    def column(self, offset: int) -> int:
        """The 1-based column in the typed expression of a 1-based column in the rewrite."""
        if 1 <= offset <= len(self.spans):
            return self.spans[offset - 1][0] + 1
        return len(self.source.rstrip()) + 1


def evaluate_expression(text: str, *, to: str | pint.Unit | None = None) -> pint.Quantity:
    """Evaluate one line of arithmetic with units; the result in readable units.

    >>> print(format_quantity(evaluate_expression("1.4 trillion USD / 30 GW")))
    46.7 billion USD/GW
    >>> print(format_quantity(evaluate_expression("30 gigawatts / 25 million U.S. homes")))
    1.2 kW/home
    >>> print(format_quantity(evaluate_expression("$1.4 trillion / 30 GW", to="USD/MW")))
    46.7 million USD/MW

    ``to`` converts (scale words allowed); a trailing ``to UNIT`` or ``in UNIT``
    in the expression itself does too, and wins over ``to``.
    """
    rewrite = rewrite_expression(text)
    value = _evaluate(rewrite)
    target = rewrite.target or (parse_unit(to) if isinstance(to, str) else to)
    if target is None:
        return readable(value)
    return _convert(value, target, text)


def rewrite_expression(text: str) -> Rewrite:
    """Rewrite article notation into the formula language (see the module's docstring).

    Each value in article notation is read by the one reader (calc.units.notation, #12)
    and stands in the formula as one name bound in ``values``:

    >>> rewrite_expression("$1.4 trillion / 30 GW").text
    'notation_0_ / notation_1_'
    >>> rewrite_expression("max(120 kW per rack, 10,791 kWh/yr/home)").text
    'max(notation_0_, notation_1_)'
    """
    if not text.strip():
        raise ExpressionError(
            "the expression is empty; write one such as '1.4 trillion USD / 30 GW'"
        )
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text):,} characters long; at most "
            f"{MAX_LENGTH} are allowed on one line"
        )
    rewrite = Rewrite(source=text)
    tokens = _split_conversion(_tokens(text), rewrite)
    _Rewriter(rewrite, tokens).run()
    return rewrite


# --- tokens -------------------------------------------------------------------


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _error(text, position, f"{text[position]!r} is not part of an expression")
        kind = match.lastgroup or ""
        if kind == "number" and re.match(r"0\d", match.group()):
            raise _error(
                text,
                position,
                f"{match.group()!r} has a leading zero, which some "
                "programs read as octal; write it without the zero",
                language=False,
            )
        if kind not in ("space", "qualifier"):
            tokens.append(_Token(kind, match.group(), match.start(), match.end()))
        position = match.end()
    return tokens


def _split_conversion(tokens: list[_Token], rewrite: Rewrite) -> list[_Token]:
    """Take a trailing 'to UNIT' or 'in UNIT' off the expression, as its target unit."""
    depth = 0
    for index, token in enumerate(tokens):
        depth += (token.text == "(") - (token.text == ")")
        if (
            depth == 0
            and token.kind == "word"
            and token.text in _CONVERT
            and 0 < index < len(tokens) - 1
        ):
            try:
                rewrite.target = parse_unit(rewrite.source[tokens[index + 1].start :])
            except UnitError as exc:
                reason = exc.message.split("; give")[0]
                raise _error(
                    rewrite.source,
                    tokens[index + 1].start,
                    f"{reason}; after {token.text!r} give the unit to convert to, "
                    "such as 'kW/home' or 'billion USD/GW'",
                    language=False,
                ) from None
            return tokens[:index]
    if len(tokens) > 1 and tokens[-1].text == "in" and tokens[-2].kind == "word":
        last = tokens[-1]  # '30 GW in': a conversion with no unit, not GW times inches
        raise _error(
            rewrite.source,
            last.start,
            f"{last.text!r} at the end converts to no "
            f"unit; give the unit after it, as in '30 GW {last.text} MW'",
            language=False,
        )
    return tokens


def _error(text: str, position: int, what: str, *, language: bool = True) -> ExpressionError:
    near = repr(text[position : position + 10]) if text[position:].strip() else "the end"
    return ExpressionError(
        f"expression {text!r} at column {position + 1} (near {near}): {what}"
        + (f"; expressions use {_LANGUAGE}" if language else "")
    )


# --- the rewrite --------------------------------------------------------------


class _Rewriter:
    """One pass over the tokens: checks the order of values and operators, and emits
    the formula text, each quantity (a number and its words) as one product."""

    def __init__(self, rewrite: Rewrite, tokens: list[_Token]) -> None:
        self.out = rewrite
        self.tokens = tokens
        self.index = 0
        self.want_value = True  # at the start, and after an operator, '(' or ','
        self.open: list[tuple[_Token, bool]] = []  # each unclosed '(' and whether it is a call

    def peek(self, ahead: int = 0) -> _Token | None:
        at = self.index + ahead
        return self.tokens[at] if at < len(self.tokens) else None

    def fail(self, token: _Token | None, what: str, *, language: bool = False) -> ExpressionError:
        position = token.start if token else len(self.out.source.rstrip())
        return _error(self.out.source, position, what, language=language)

    def run(self) -> None:
        while (token := self.peek()) is not None:
            if token.kind == "word" and self._is_call():
                self._function(token)
            elif token.kind in ("number", "dollar", "word"):
                self._expect_value(token)
                if not self._notation(token):
                    self._quantity()
                    self.want_value = False
            elif token.text in ("(", ")", ","):
                self._bracket(token)
            else:
                self._operator(token)
        self._finish()

    def _notation(self, token: _Token) -> bool:
        """Read a value written in article notation with the one reader (#12); False when
        no number starts at ``token`` (a unit alone, such as 'GW', is the formula's)."""
        limit = self.tokens[-1].end
        if self.open and self.open[-1][1]:  # in a call, ',' separates the arguments
            limit = next((t.start for t in self.tokens[self.index :] if t.text == ","), limit)
        try:
            reading = read_notation(self.out.source[:limit], token.start)
        except UnitError as exc:
            offset = getattr(exc, "offset", None)
            at = next((t for t in self.tokens if t.start == offset), token)
            raise self.fail(at, getattr(exc, "reason", exc.message)) from None
        if reading is None or (reading.end == token.end and token.kind == "number"):
            return False  # a plain number stays a literal ('2 ** 10')
        name = f"notation_{len(self.out.values)}_"
        self.out.values[name] = reading.quantity
        self.out.emit(name, reading.start, reading.end)
        while (following := self.peek()) is not None and following.start < reading.end:
            self.index += 1
        following = self.peek()
        self.want_value = False
        if reading.multiplier and following is not None and following.kind != "op":
            self.out.emit("*", following.start, following.start)  # '5x 30 GW'
            self.want_value = True
        elif reading.share and following is not None and following.text.lower() == "of":
            self.out.emit("*", following.start, following.end)  # '5% of 30 GW'
            self.index += 1
            self.want_value = True
        return True

    def _expect_value(self, token: _Token) -> None:
        if not self.want_value and token.text in _CONVERT:
            raise self.fail(
                token,
                f"{token.text!r} converts: give the unit after it, as in '30 GW {token.text} MW'",
            )
        if not self.want_value and token.text.lower() == "of":
            raise self.fail(
                token,
                "'of' multiplies only after a share, as in '5% of 30 GW' or 'half of 30 GW'; "
                "otherwise write an operator such as '*' or '/'",
            )
        if not self.want_value:
            raise self.fail(
                token,
                f"{token.text!r} follows a value with no operator between "
                "them; write one such as '*' or '/'",
            )

    def _is_call(self) -> bool:
        following = self.peek(1)
        return following is not None and following.text == "("

    def _function(self, token: _Token) -> None:
        if token.text not in FUNCTIONS:
            hint = closest(token.text, FUNCTIONS)
            raise self.fail(
                token,
                f"{token.text!r} is not a function"
                + (f" (did you mean {hint}?)" if hint else "")
                + f"; the functions are {', '.join(sorted(FUNCTIONS))}",
            )
        self._expect_value(token)
        self.out.emit(token.text, token.start, token.end)
        self.index += 1
        opening = self.peek()
        assert opening is not None
        self.open.append((opening, True))
        self.out.emit("(", opening.start, opening.end, space=False)
        self.index += 1

    def _bracket(self, token: _Token) -> None:
        if token.text == "(":
            self._expect_value(token)
            self.open.append((token, False))
        elif token.text == ")":
            if not self.open:
                raise self.fail(token, "')' has no matching '('")
            if self.want_value:
                raise self.fail(token, "')' follows an operator or '(' with no value before it")
            self.open.pop()
            self.want_value = False
        else:
            if not (self.open and self.open[-1][1]) or self.want_value:
                raise self.fail(
                    token,
                    "',' separates a function's arguments, as in "
                    "max(30 GW, 40 GW); elsewhere write numbers without spaces "
                    "after their thousands separators",
                )
            self.want_value = True
        self.out.emit(token.text, token.start, token.end)
        self.index += 1

    def _operator(self, token: _Token) -> None:
        if token.text == "%":
            raise self.fail(token, "'%' must follow a number, as in '5%'")
        if self.want_value and token.text not in _SIGNS:
            raise self.fail(token, f"{token.text!r} needs a value before it")
        text = _OPERATORS.get(token.text, token.text)
        if self.want_value:
            self.out.emit_sign(text, token.start, token.end)
        else:
            self.out.emit(text, token.start, token.end)
        self.want_value = True
        self.index += 1

    def _finish(self) -> None:
        if self.want_value:
            last = self.tokens[-1]
            raise self.fail(None, f"the expression ends with {last.text!r}; give a value after it")
        if self.open:
            raise self.fail(self.open[-1][0], "this '(' is never closed")

    # --- a quantity: [$] [number [%]] [units joined by juxtaposition, 'per' or '/'] ---------

    def _quantity(self) -> None:
        first = self.peek()
        assert first is not None
        factors: list[tuple[str, _Token]] = []
        if first.kind == "dollar":
            self.index += 1
            if (number := self.peek()) is None or number.kind != "number":
                raise self.fail(number, "'$' must be followed by a number, as in '$1.4 trillion'")
        if (number := self.peek()) is not None and number.kind == "number":
            factors.append(("*", number))
            self.index += 1
            if (percent := self.peek()) is not None and percent.text == "%":
                factors.append(("*", _Token("word", "percent", percent.start, percent.end)))
                self.index += 1
        factors += self._units(after_number=bool(factors))
        if first.kind == "dollar":
            factors.append(("*", _Token("word", "USD", first.start, first.end)))
        self._emit_product(factors)

    def _units(self, *, after_number: bool) -> list[tuple[str, _Token]]:
        units: list[tuple[str, _Token]] = []
        operator = "*"
        while (token := self.peek()) is not None and token.kind == "word" and not self._is_call():
            if token.text.lower() == "of":  # never a unit: '5 of 30 GW' is refused as such
                break
            if token.text == "per" and (units or after_number):
                self._check_unit_follows(token)
                operator = "/"
                self.index += 1
                continue
            units.append((operator, token))
            self.index += 1
            units += self._exponent()
            operator = self._joined()
            if not operator:
                break
        return units

    def _check_unit_follows(self, per: _Token) -> None:
        """'30 GW per' would drop the 'per' and print 30 GW: a unit must follow it."""
        following = self.peek(1)
        if following is None or following.kind != "word" or following.text == "per":
            raise self.fail(per, "'per' needs a unit after it, as in '120 kW per rack'")

    def _exponent(self) -> list[tuple[str, _Token]]:
        """'m^2', 'm**-1': an integer exponent written right after a unit."""
        power, sign, number = self.peek(), self.peek(1), self.peek(2)
        if power is None or power.text not in ("**", "^") or sign is None:
            return []
        if sign.kind == "number":
            self.index += 2
            return [("**", sign)]
        if sign.text in ("-", "\u2212") and number is not None and number.kind == "number":
            self.index += 3
            return [("**", _Token("number", "-" + number.text, sign.start, number.end))]
        return []

    def _joined(self) -> str:
        """How the next word joins this quantity: '*' when juxtaposed, '/' or '*' when
        written with no space ('kW/rack'), '' when the quantity ends here."""
        token, following = self.peek(), self.peek(1)
        if token is None:
            return ""
        if token.kind == "word":
            return "*"
        previous = self.tokens[self.index - 1]
        if (
            _OPERATORS.get(token.text, token.text) in ("/", "*")
            and following is not None
            and following.kind == "word"
            and previous.end == token.start
            and token.end == following.start
        ):
            self.index += 1
            return _OPERATORS.get(token.text, token.text)
        return ""

    def _emit_product(self, factors: list[tuple[str, _Token]]) -> None:
        grouped = len(factors) > 1
        if grouped:
            self.out.emit("(", factors[0][1].start, factors[0][1].start)
        for position, (operator, token) in enumerate(factors):
            if position:
                self.out.emit(operator, token.start, token.start)
            self.out.emit(self._name(token), token.start, token.end)
        if grouped:
            self.out.emit(")", factors[-1][1].end, factors[-1][1].end)

    def _name(self, token: _Token) -> str:
        """A factor's formula text; a unit's value is recorded for evaluation."""
        if token.kind == "number":
            return token.text.replace(",", "")
        value = self._unit_value(token)
        name = token.text
        if keyword.iskeyword(name) or name in FUNCTIONS:
            name += "_"  # 'min' (minute) or 'in' (inch) cannot be a name in a formula
        self.out.values[unicodedata.normalize("NFKC", name)] = value
        return name

    def _unit_value(self, token: _Token) -> pint.Quantity:
        word = token.text
        if word in SCALE_WORDS:
            return Q_(SCALE_WORDS[word])
        try:
            unit = ureg.Unit(word)
        except Exception:  # pint raises several types; all mean "not a unit"
            pass
        else:
            try:
                return Q_(1.0, require_readable(unit, word))
            except UnitError as exc:
                raise self.fail(token, str(exc)) from None
        if word in FUNCTIONS:
            raise self.fail(
                token,
                f"{word!r} is a function; call it with its arguments in "
                f"parentheses, as in {word}(30 GW, 40 GW)",
            )
        if word in _CONVERT:
            raise self.fail(
                token, f"{word!r} converts: give the unit after it, as in '30 GW {word} MW'"
            )
        hint = _closest_unit(word)
        raise self.fail(
            token,
            f"{word!r} is not a unit calc knows" + (f"; did you mean {hint}?" if hint else ""),
        )


def _closest_unit(word: str) -> str:
    """Close unit names, compared without case: 'gw' -> 'GW'."""
    by_lower: dict[str, str] = {}
    for name in _COMMON_UNITS:
        by_lower.setdefault(name.lower(), name)
    found = closest(word.lower(), by_lower)
    if not found:
        by_lower = {name.lower(): name for name in ureg if len(name) > 2}
        found = closest(word.lower(), by_lower)
    return " or ".join(repr(by_lower[m.strip("'")]) for m in found.split(" or ") if m)


# --- evaluation ---------------------------------------------------------------


def _evaluate(rewrite: Rewrite) -> pint.Quantity:
    _check_syntax(rewrite)
    try:
        formula = parse_formula(rewrite.text)
        value = formula.evaluate(rewrite.values)
    except (ExpressionError, UnitError, EvaluationError) as exc:
        raise type(exc)(_in_typed_terms(exc.message, rewrite)) from None
    if not math.isfinite(float(value.magnitude)):
        raise EvaluationError(
            f"{rewrite.source.strip()!r} is not a finite number; check "
            "for a zero divisor or a value out of range"
        )
    return value


def _check_syntax(rewrite: Rewrite) -> None:
    """A backstop: the rewriter checks the order of tokens, so this should never fail."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", SyntaxWarning)  # raised as a SyntaxError
            ast.parse(rewrite.text, mode="eval")
    except SyntaxError as exc:
        reason = (exc.msg or "invalid syntax").split(". Perhaps")[0]
        raise _error(rewrite.source, rewrite.column(exc.offset or 1) - 1, reason) from None


def _in_typed_terms(message: str, rewrite: Rewrite) -> str:
    """Put the expression as typed in place of the rewrite quoted in an error message."""
    message = message.replace(f"formula {rewrite.text!r}", f"{rewrite.source.strip()!r}")
    message = re.sub(
        r"at column (\d+)", lambda m: f"at column {rewrite.column(int(m.group(1)))}", message
    )
    for quoted in re.findall(r"'([^']+)'", message):
        start = rewrite.text.find(quoted)
        if start >= 0:
            typed = rewrite.original(start, start + len(quoted)).strip()
            message = message.replace(f"'{quoted}'", repr(typed), 1)
    return message


def _convert(value: pint.Quantity, target: pint.Unit, text: str) -> pint.Quantity:
    try:
        return fold_scale_words(value.to(target))
    except pint.DimensionalityError:
        raise UnitError(
            f"{text.strip()!r} is {format_quantity(readable(value))}, "
            f"{describe_dimension(value)}; it cannot be shown in {format_unit(target)!r}, "
            f"{describe_dimension(target)}"
        ) from None
