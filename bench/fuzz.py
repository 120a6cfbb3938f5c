"""A larger fuzz campaign than the test suite runs, by hand.

.venv/bin/python bench/fuzz.py --cases 100000

Runs the strategies of tests/strategies.py through the same checks as tests/test_fuzz.py:
formula text, `calc eval` expressions, mutated scenario files, and hostile text in every
text field of a scenario and its catalogue, rendered in every output format. Prints how
many cases ran for each, whether any failed (Hypothesis stops a target at its first
failure and shows it), and the slowest case (a hang would show here; run it on an
otherwise idle machine).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile_outputs import HOSTILE, check_output, cli_outputs, library_outputs, write_files
from tests.strategies import formula_text, mutated_scenario
from tests.test_fuzz import check_expression, check_formula, check_scenario_text


def campaign(name: str, strategy, check, cases: int) -> bool:
    count = 0
    slowest = (0.0, "")

    @settings(
        max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def run(value):
        nonlocal count, slowest
        count += 1
        start = time.perf_counter()
        check(value)
        elapsed = time.perf_counter() - start
        slowest = max(slowest, (elapsed, repr(value)[:60]))

    start = time.perf_counter()
    try:
        run()
        outcome = "no failure"
        ok = True
    except Exception as exc:  # report, then go on to the next target
        outcome = f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ok = False
    print(
        f"{name:<24} {count:>8,} cases  {time.perf_counter() - start:7.1f} s  {outcome}; "
        f"slowest case {slowest[0] * 1000:.0f} ms: {slowest[1]}"
    )
    return ok


def hostile_text():
    """Any text, or pieces of escape sequences, markup and formulas strung together."""
    pieces = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=5), min_size=1, max_size=8)
    return st.text(min_size=1, max_size=80) | pieces.map("".join)


def check_outputs(text: str, folder: Path) -> None:
    path = write_files(folder, text)
    for what, fmt, output in [*cli_outputs(path), *library_outputs(path)]:
        check_output(what, fmt, output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--cases",
        type=int,
        default=100_000,
        help="cases per formula and expression target; scenario files get "
        "a fifth as many (each one loads and samples a whole file)",
    )
    parser.add_argument(
        "--targets",
        nargs="+",
        default=["formulas", "eval", "scenarios", "outputs"],
        choices=["formulas", "eval", "scenarios", "outputs"],
    )
    args = parser.parse_args()
    cases = args.cases
    folder = Path(tempfile.mkdtemp())
    targets = {
        "formulas": lambda: campaign("formula text", formula_text(), check_formula, cases),
        "eval": lambda: campaign("eval expressions", formula_text(), check_expression, cases),
        "scenarios": lambda: campaign(
            "mutated scenario files",
            mutated_scenario(),
            lambda text: check_scenario_text(text, folder / "fuzz.yaml"),
            cases // 5,
        ),
        # every output of a file with hostile text in every field: ~1 s a case
        "outputs": lambda: campaign(
            "hostile text, outputs",
            hostile_text(),
            lambda text: check_outputs(text, folder),
            cases // 1000,
        ),
    }
    results = [targets[name]() for name in args.targets]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
