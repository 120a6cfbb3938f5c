"""How quickly each hostile input of tests/test_hostile.py is refused, by hand.

    .venv/bin/python bench/hostile.py

Each case runs in-process through the command line (after one warm-up run, so imports are
not counted); prints each case's time and the slowest. Target: every case under a second,
except the two that do real work at the limit (explain of a 16,000-step chain, and
extract of 32,000 figures, which is refused after extraction): a few seconds, linear.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc.cli import app
from tests.test_hostile import (
    BAD_VALUES,
    DUPLICATES,
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
    cases = [
        (f"formula: {label}", ["run", _write(folder, _derived(text))]) for text, label in FORMULAS
    ]
    cases += [(f"yaml: {label[:40]}", ["run", _write(folder, text)]) for text, label in YAML_CASES]
    cases += [(f"eval: {text[:30]!r}", ["eval", text]) for text, _ in EVAL_CASES]
    cases += [
        (f"number: {label[:40]}", ["run", _write(folder, text)]) for text, label in SILENT_VALUES
    ]
    cases += [
        (f"quote: {quote[:30]!r} for {value}", ["run", _write(folder, _stated(value, quote))])
        for value, quote, _ in QUOTES
    ]
    cases += [
        (f"value: {value!r}", ["run", _write(folder, _input(repr(value)))]) for value in BAD_VALUES
    ]
    cases.append(("file: 2 MB", ["run", _write(folder, "title: x\n# " + "x" * 2_000_000)]))
    cases += [
        (f"yaml: duplicate {label}", ["run", _write(folder, text)])
        for label, text, *_ in DUPLICATES
    ]
    cases += _file_cases(folder)
    runner.invoke(app, ["run", "-n", "0"])  # warm up: imports and the unit registry
    slowest = 0.0
    for label, args in cases:
        start = time.perf_counter()
        result = runner.invoke(app, args)
        elapsed = time.perf_counter() - start
        slowest = max(slowest, elapsed)
        print(f"{elapsed * 1000:8.1f} ms  exit {result.exit_code}  {label}")
    print(f"{len(cases)} cases; slowest {slowest * 1000:.1f} ms (target: under 1,000 ms)")


def _file_cases(folder: Path) -> list[tuple[str, list[str]]]:
    """Files, streams' stand-ins and outputs: nodes that are not regular files, a 2 GB
    sparse scenario, budgets past the limit, a deep explain chain, a long article."""
    fifo = folder / "node.fifo"
    os.mkfifo(fifo)
    sparse = folder / "sparse.yaml"
    with sparse.open("wb") as stream:
        stream.truncate(2_000_000_000)
    wide = _write(
        folder,
        "title: wide\ninputs:\n  x0: {value: 1, kind: reference, source: "
        "time-to-botec, range: [0.5, 2]}\nderived:\n"
        + "".join(f"  d{i}: {{formula: x0 * {i + 1}, unit: '1'}}\n" for i in range(399)),
    )
    chain = _write(
        folder,
        "title: chain\ninputs:\n  x0: {value: 1, kind: reference, source: "
        "time-to-botec}\nderived:\n"
        + "".join(f"  x{i}: {{formula: x{i - 1} + 1, unit: '1'}}\n" for i in range(1, 16_000)),
    )
    article = folder / "long.txt"
    article.write_text(
        " ".join(f"Site {i} draws {i + 1} MW." for i in range(32_000)), encoding="utf-8"
    )
    return [
        ("read: FIFO as scenario", ["run", str(fifo)]),
        ("read: /dev/zero as scenario", ["run", "/dev/zero"]),
        ("read: 2 GB sparse scenario", ["run", str(sparse)]),
        ("write: schema -o FIFO", ["schema", "-o", str(fifo)]),
        ("write: report -o /dev/null", ["report", "-o", "/dev/null"]),
        ("budget: --samples 5,000,000 x 400", ["run", wide, "--samples", "5000000"]),
        (
            "budget: --vary 300,000,000 points",
            ["sweep", "--vary", "pue=1:2:300000000", "-y", "it_power"],
        ),
        ("explain: chain of 16,000 (0.6 MB)", ["explain", chain, "x15999"]),
        (
            "extract --scaffold: 32,000 figures",
            ["extract", str(article), "--scaffold", str(folder / "s.yaml")],
        ),
    ]


def _write(folder: Path, text: str) -> str:
    path = Path(tempfile.mkstemp(suffix=".yaml", dir=folder)[1])
    path.write_text(text, encoding="utf-8")
    return str(path)


if __name__ == "__main__":
    main()
