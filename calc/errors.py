"""Every error calc raises on purpose, under one base class.

Each error carries structured fields and builds its message in ``__str__``, so the
command line can print it as it is and tests can assert its exact text. A message
says where (file, line, field), what value, what is wrong and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a bad value sits: a file, a 1-based line and a dotted field path."""

    file: str | Path | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            parts.append(where)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)


class CalcError(Exception):
    """Base of calc's errors: a message for a person, with where it happened."""

    def __init__(self, message: str, *, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    def at(self, location: Location) -> CalcError:
        """Return the same error placed at ``location`` (fields already set win)."""
        merged = Location(
            file=self.location.file if self.location.file is not None else location.file,
            line=self.location.line if self.location.line is not None else location.line,
            field=self.location.field or location.field,
        )
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.args = self.args
        clone.location = merged
        return clone


class ScenarioFileError(CalcError, ValueError):
    """The scenario file cannot be read, parsed or validated."""


class UnitError(CalcError, ValueError):
    """A value or unit that does not parse, or has the wrong dimension."""


class ExpressionError(CalcError, ValueError):
    """A formula that does not parse or reaches outside the allowed language."""


class UnknownNameError(CalcError, KeyError):
    """A name that is not defined; carries the closest known names."""

    def __init__(
        self, message: str, *, name: str, suggestions: tuple[str, ...] = (), **kw: object
    ) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return CalcError.__str__(self)


class CycleError(CalcError, ValueError):
    """Derived quantities that depend on each other in a loop."""


class SourceError(CalcError, ValueError):
    """A missing source, or a quote that its source does not contain."""


class EvaluationError(CalcError, ArithmeticError):
    """A formula whose value cannot be computed (division by zero, overflow, NaN)."""


class OutputError(CalcError, OSError):
    """An output file that cannot be written."""
