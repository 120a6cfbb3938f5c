"""Article notation: reading a value with a unit as a person writes it
(``$1.4 trillion``, ``25 million U.S. homes``, ``120 kW per rack``), or refusing it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pint

from calc.errors import UnitError
from calc.units.registry import Q_, fold_scale_words, forget_on_define, pint_text, ureg
from calc.units.symbols import refuse_unsure_units

# --- article notation ---------------------------------------------------------

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "$1.4 trillion" -> "1.4 trillion USD"; "$5bn" stays for pint to reject.
    (re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|thousand)?"), r"\1 \2 USD"),
    # "10,791" -> "10791" (thousands separators only, never a decimal comma).
    (re.compile(r"(?<=\d),(?=\d{3}(?!\d))"), ""),
    # "U.S. homes" -> "homes": the qualifier is prose, not a unit.
    (re.compile(r"\bU\.\s?S\.\s*"), ""),
    (re.compile(r"\bper\b"), "/"),
    (re.compile(r"%"), " percent"),
)


#: Longest value or unit text accepted; a quantity is a few words, not a document.
MAX_TEXT = 200
#: Largest exponent in a unit string ("m**2", "s^-1"); pint would compute
#: "10**10**10" exactly, as a Python integer, and never return.
MAX_EXPONENT = 12
_EXPONENT = re.compile(r"(\*\*|\^)\s*([-+]?\s*[\w.(]*)")


from calc.units.notation.numbers import MAX_DIGITS, long_number, too_long_message  # noqa: E402


def check_whole_number(value: object) -> None:
    """Refuse a Python integer of more than MAX_DIGITS digits (YAML and notebooks give
    exact integers, which a float cannot hold past about 1e308)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        digits = int(value.bit_length() * math.log10(2)) + 1
        raise UnitError(too_long_message(f"of about {digits:,} digits"))


def _check_exponents(text: str) -> None:
    number = long_number(text)
    if number is not None:
        raise UnitError(too_long_message(number))
    if len(text) > MAX_TEXT:
        raise UnitError(
            f"the text is {len(text)} characters long; a value or unit has at most {MAX_TEXT}"
        )
    _check_grouped_powers(text)
    for match in _EXPONENT.finditer(text):
        power = match.group(2).replace(" ", "")
        rest = text[match.end() :].lstrip()
        if (
            not re.fullmatch(r"[-+]?\d+(\.\d+)?", power)
            or abs(float(power)) > MAX_EXPONENT
            or rest.startswith(("**", "^"))
        ):
            raise UnitError(
                f"{text!r} has the exponent {match.group(0).strip()!r}; exponents in "
                f"units are plain numbers from -{MAX_EXPONENT} to {MAX_EXPONENT}, "
                "such as 'm**2' or 's^-1'"
            )


def _check_grouped_powers(text: str) -> None:
    """Refuse a power of a group that holds a power, such as '(m**12)**12': the limit on
    each exponent would not hold for their product."""
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            start = opened.pop()
            after = text[index + 1 :].lstrip()
            group = text[start:index]
            if after.startswith(("**", "^")) and ("**" in group or "^" in group):
                raise UnitError(
                    f"{text!r} raises {group + ')'!r} to a power, and it holds a "
                    "power itself; exponents in units are plain numbers from "
                    f"-{MAX_EXPONENT} to {MAX_EXPONENT}, such as 'm**2'"
                )


def _rewrite_article_notation(text: str) -> str:
    _check_exponents(text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


#: A value's number as written: decimal, no leading zero (YAML 1.1 and some tools read
#: '012' as octal), no '_', ':' or '0x' forms; then, after a space or not, the unit.
_VALUE = re.compile(
    r"(?P<number>[-+]?\s?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)"
    r"(?![\d.,:_])\s*(?P<unit>.*)",
    re.DOTALL,
)
_NOT_DECIMAL = re.compile(r"[-+]?\s?0[xXoObB][0-9a-fA-F]")
#: What a unit is written with; pint's tokenizer skips some other marks ('1 GW,' was 1 GW).
_NOT_IN_UNITS = re.compile(r"[^\w\s*/^()\-.\u00b7\u00b0]")
_LEADING_ZERO = re.compile(r"[-+]?\s?0\d")
_HOW_TO_WRITE = "give a number and a unit such as '30 GW', '$1.4 trillion' or '120 kW/rack'"


@dataclass(frozen=True)
class QuantityRange:
    """A range as written in one text ('120-132 kW', '$1-5 billion'): both ends.

    >>> r = parse_quantity("750,000 to 1.3 million average American homes")
    >>> print(r)
    750000.0 home to 1300000.0 home
    """

    low: pint.Quantity
    high: pint.Quantity

    def __str__(self) -> str:
        return f"{self.low} to {self.high}"


def parse_quantity(text: str | float | int) -> pint.Quantity | QuantityRange:
    """A value with a unit, in article notation; a range written as one text gives a
    QuantityRange of both ends.

    >>> q = parse_quantity("$1.4 trillion")
    >>> q.magnitude, str(q.units)
    (1400000000000.0, 'USD')
    >>> print(parse_quantity("25 million U.S. homes"))
    25000000.0 home
    >>> print(parse_quantity("30 gigawatts"))
    30 GW
    >>> print(parse_quantity("$1-5 billion"))
    1000000000.0 USD to 5000000000.0 USD

    Scale words are folded into the magnitude; a bare number is dimensionless. The
    number comes first and is read as written, in decimal: '012', '1:30', '0x1F',
    '1_000' and a second number among the units ('30 GW 5') are refused, never guessed.
    Where one value is meant, use ``parse_value``, which refuses a range.
    """
    if isinstance(text, str):
        ends = _read_range(text)
        if ends is not None:
            return QuantityRange(*ends)
    return parse_value(text)


def _read_range(text: str) -> tuple[pint.Quantity, pint.Quantity] | None:
    from calc.units.notation.reader import read_range

    _check_exponents(text)
    stripped = text.strip()
    if not stripped or _LEADING_ZERO.match(stripped) or _NOT_DECIMAL.match(stripped):
        return None
    ends = read_range(stripped)
    if ends is None:
        return None
    low, high = (_finite(end, text) for end in ends)
    require_readable(low.units, text)
    return low, high


#: Texts parse_value has read, with what it read (magnitude, unit): a scenario, its
#: variants and the reference library state the same values again and again, and one
#: reading costs a few hundred microseconds. Forgotten when a unit is defined.
_READ: dict[str, tuple[float, pint.Unit]] = {}
#: How many texts parse_value remembers at most.
_MOST_READ = 20_000
forget_on_define(_READ.clear)


def parse_value(text: str | float | int) -> pint.Quantity:
    """One value with a unit, in article notation, as ``parse_quantity`` reads it; a range
    ('120-132 kW') is refused, naming how to write it as a range.

    >>> print(parse_value("120 kW per rack"))
    120.0 kW/rack
    """
    if not isinstance(text, str):
        return _parse_value(text)
    read = _READ.get(text)
    if read is None:
        quantity = _parse_value(text)
        if len(_READ) >= _MOST_READ:
            _READ.clear()
        read = _READ[text] = (quantity.magnitude, quantity.units)
    return Q_(*read)  # a new Quantity each time: pint's are mutable (``ito``)


def _parse_value(text: str | float | int) -> pint.Quantity:
    if isinstance(text, str) and (ends := _read_range(text)) is not None:
        from calc.units.display import format_quantity

        low, high = (format_quantity(end) for end in ends)
        raise UnitError(
            f"{text!r} is a range, {low} to {high}, not one value; give one value, or "
            f"write the range as range: ['{low}', '{high}']"
        )
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a quantity; give a number with a unit such as '30 GW'")
    if isinstance(text, int | float):
        check_whole_number(text)
        return _finite(Q_(text), text)
    read = _read_whole(text)
    if read is not None:
        return _finite(read, text)
    cleaned = _rewrite_article_notation(text)
    if not cleaned:
        raise UnitError("the value is empty; give a number with a unit such as '30 GW'")
    match = _VALUE.fullmatch(cleaned)
    if match is None or _NOT_DECIMAL.match(cleaned):
        if _NOT_DECIMAL.match(cleaned) or cleaned[0] in "+-.0123456789":
            raise UnitError(
                f"{text!r} is not a number as written: calc reads plain decimals "
                "such as 90, 1.5 or 10,791, not '1:30', '1_000', '0x1F' or '1.2.3'; "
                f"{_HOW_TO_WRITE}"
            )
        raise UnitError(f"{text!r} does not start with a number; {_HOW_TO_WRITE}")
    number = match["number"].replace(" ", "")
    if _LEADING_ZERO.match(number):
        raise UnitError(
            f"{text!r} has a number with a leading zero, which some programs read "
            f"as octal; write it as {number.lstrip('+-0') or '0'}, without the zero"
        )
    if stray := _NOT_IN_UNITS.search(match["unit"]):
        raise UnitError(
            f"{text!r} does not parse as a quantity ({stray.group()!r} is not part "
            f"of a unit); {_HOW_TO_WRITE}"
        )
    try:
        if match["unit"]:
            ureg.Unit(match["unit"])  # units only: pint would multiply in a stray number
        parsed = ureg.Quantity(cleaned)
    except Exception as exc:  # pint raises many types; all mean "does not parse"
        _refuse_non_multiplicative_words(cleaned, text)
        raise UnitError(
            f"{text!r} does not parse as a quantity ({_short_reason(exc)}); " + _HOW_TO_WRITE
        ) from None
    parsed = parsed if isinstance(parsed, pint.Quantity) else Q_(parsed)
    require_readable(parsed.units, text)
    return _finite(parsed, text)


def _read_whole(text: str) -> pint.Quantity | None:
    """The quantity when the one reader reads all of ``text``; None leaves it to pint
    (unit expressions such as '(kW*h)/yr'), whose checks refuse what is not notation."""
    from calc.units.notation.reader import read_notation

    _check_exponents(text)
    stripped = text.strip()
    if not stripped or _LEADING_ZERO.match(stripped) or _NOT_DECIMAL.match(stripped):
        return None
    reading = read_notation(stripped)
    if reading is None or reading.end != len(stripped):
        return None
    quantity = reading.quantity
    require_readable(quantity.units, text)
    return quantity


def _finite(quantity: pint.Quantity, text: str | float | int) -> pint.Quantity:
    """Scale words folded in, and refused unless the magnitude is a finite number."""
    try:
        folded = fold_scale_words(quantity)
        finite = math.isfinite(float(folded.magnitude))
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        shown = str(text) if len(str(text)) <= 40 else str(text)[:40] + "\u2026"
        raise UnitError(f"{shown!r} is not a finite number; give a value such as '30 GW'")
    return folded


def parse_unit(text: str) -> pint.Unit:
    """Parse a display unit such as ``'billion USD/GW'`` (scale words allowed)."""
    cleaned = _rewrite_article_notation(text)
    try:
        unit = ureg.Unit(cleaned)
    except Exception as exc:
        raise UnitError(
            f"{text!r} is not a unit ({_short_reason(exc)}); give one such as "
            "'kW/home', 'billion USD/GW' or 'TWh/yr'"
        ) from exc
    return require_readable(unit, text)


def _refuse_non_multiplicative_words(cleaned: str, text: str) -> None:
    """Name an offset or logarithmic unit that made pint fail ('20 degC' is
    "20 * degC", an ambiguous operation to pint), instead of pint's reason."""
    for word in re.findall(r"[^\W\d]\w*|°[CF]", cleaned):
        try:
            unit = ureg.Unit(word)
        except Exception:  # not a unit: pint's own reason stands
            continue
        require_readable(unit, text)


def require_readable(unit: pint.Unit, text: str) -> pint.Unit:
    """Refuse units calc cannot compute with or cannot be sure of: a symbol pint reads as
    a unit the article hardly means ('100 kt' as knots; ``calc.units.symbols``), and
    units that do not multiply, offset temperatures (degC, degF) and logarithmic units
    (dB, dBm, neper, octave).

    pint refuses to multiply or add the latter ("ambiguous operation"), and each pint
    version draws the line in another place, so calc refuses them where they are
    read, the same way on every version.
    """
    refuse_unsure_units(unit, text)
    names = [name for name in unit._units if not Q_(1, name)._is_multiplicative]
    if not names:
        return unit
    shown = ", ".join(repr(pint_text(ureg.Unit(name))) for name in names)
    if all(ureg.Unit(name).dimensionality == {"[temperature]": 1} for name in names):
        raise UnitError(
            f"{text!r} is a temperature on an offset scale ({shown}), which calc does not "
            "compute with; give an absolute temperature in K, or a difference in "
            "delta_degC or delta_degF"
        )
    raise UnitError(
        f"{text!r} has the logarithmic unit {shown}, which calc does not compute with; "
        "give the ratio as a plain number, or the power itself in W"
    )


def _short_reason(exc: Exception) -> str:
    """Why pint refused a text, in words: never a parser's internals or an exception's name."""
    if isinstance(exc, pint.UndefinedUnitError):
        names = ", ".join(repr(n) for n in exc.unit_names)
        return f"unknown unit {names}"
    if "scaling factor" in str(exc):
        return "a number stands among the units"
    if isinstance(exc, pint.DefinitionSyntaxError):  # 'missing operand' on Python 3.12+
        return "the units are not well formed: check the operators and parentheses"
    if isinstance(exc, pint.PintError) and str(exc):  # pint's own words: dimensions, offsets
        return str(exc).splitlines()[0]
    return "the units are not well formed: check the operators and parentheses"
