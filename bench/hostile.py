"""How quickly each hostile input of tests/test_hostile.py is refused, by hand.

    .venv/bin/python bench/hostile.py

Each case runs in-process through the command line (after one warm-up run, so imports are
not counted); prints each case's time and the slowest. Target: every case under a second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc.cli import app
from tests.test_hostile import (
    BAD_VALUES,
    EVAL_CASES,
    FORMULAS,
    QUOTES,
    SILENT_VALUES,
    YAML_CASES,
    _derived,
    _input,
    _stated,
)


def main() -> None:
    runner = CliRunner()
    folder = Path(tempfile.mkdtemp())
    cases = [(f"formula: {label}", ["run", _write(folder, _derived(text))])
             for text, label in FORMULAS]
    cases += [(f"yaml: {label[:40]}", ["run", _write(folder, text)])
              for text, label in YAML_CASES]
    cases += [(f"eval: {text[:30]!r}", ["eval", text]) for text, _ in EVAL_CASES]
    cases += [(f"number: {label[:40]}", ["run", _write(folder, text)])
              for text, label in SILENT_VALUES]
    cases += [(f"quote: {quote[:30]!r} for {value}", ["run", _write(folder, _stated(value, quote))])
              for value, quote, _ in QUOTES]
    cases += [(f"value: {value!r}", ["run", _write(folder, _input(repr(value)))])
              for value in BAD_VALUES]
    cases.append(("file: 2 MB", ["run", _write(folder, "title: x\n# " + "x" * 2_000_000)]))
    runner.invoke(app, ["run", "-n", "0"])  # warm up: imports and the unit registry
    slowest = 0.0
    for label, args in cases:
        start = time.perf_counter()
        result = runner.invoke(app, args)
        elapsed = time.perf_counter() - start
        slowest = max(slowest, elapsed)
        print(f"{elapsed * 1000:8.1f} ms  exit {result.exit_code}  {label}")
    print(f"{len(cases)} cases; slowest {slowest * 1000:.1f} ms (target: under 1,000 ms)")


def _write(folder: Path, text: str) -> str:
    path = Path(tempfile.mkstemp(suffix=".yaml", dir=folder)[1])
    path.write_text(text, encoding="utf-8")
    return str(path)


if __name__ == "__main__":
    main()
