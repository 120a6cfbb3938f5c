"""Start-up of `calc` as whole processes, against importing pint and numpy.

    .venv/bin/python bench/startup.py [--rounds 21] [--importtime-runs 5] [--bytecode-cache]

Times `calc run` (the seed scenario, 10,000 samples) and `calc eval "1 GW"` against
`python -c "import pint, numpy"`, and, for context, importing every dependency the command
line uses. The commands run in interleaved rounds after one warm-up round that is not
counted; printed are the medians, the middle half of the times, and the paired ratios
(median of the per-round ratios) beside the targets of issue 17: `calc run` at most 1.5x
and `calc eval` at most 1.2x the import of pint and numpy.

Then where `calc run`'s import time goes, from `python -X importtime` (median of a few
runs; importtime itself adds some overhead): the modules imported at the top level (not
from inside another import; calc imports many lazily), the self time summed by package,
and whether the modules issue 17 names as avoidable for `run` are imported at all.

Last, the same work as `calc run` done stage by stage in one process, each stage timed by
the clock (median of --stage-runs processes, garbage collection off as in the console
script): importing pint and numpy, typer, YAML, building the unit registry, importing
pydantic and building one model, building calc's models, the rest of calc, the article
reader (its patterns compiled), the reference library read, then the work (loading the
seed scenario with its quote checks, 10,000 samples, the claims, the table).

The first line says whether the processes read calc's bytecode cache: where
PYTHONDONTWRITEBYTECODE is set and calc is an editable install, every process compiles
calc again; --bytecode-cache lets them write and read it, as an ordinary install does.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from timing import bytecode_cache, interleaved, median, paired_ratio, process, spread

FLOOR = "python -c 'import pint, numpy'"
TARGETS = {"calc run (seed scenario)": 1.5, "calc eval '1 GW'": 1.2}
# Named in issue 17 as imported by `calc run` without being used. importlib.metadata and
# email are imported by pint itself (pint, flexcache and flexparser read their versions on
# import), so `import pint, numpy` has them too.
AVOIDABLE = ("importlib.metadata", "email", "scipy", "calc.analysis.comparison")
# The modules a finished `calc run` holds, written by an exit handler (the console script
# runs those before it ends): importtime also lists imports that failed, as scipy's does
# where it is not installed or is refused to pint.
MODULES_AT_EXIT = (
    "import atexit, sys; atexit.register(lambda: print(*sorted(sys.modules), file=sys.stderr));"
    "sys.argv = ['calc', 'run']; from calc.console import main; main()"
)


def calc_script() -> str:
    script = Path(sys.executable).parent / "calc"
    return str(script) if script.exists() else shutil.which("calc") or "calc"


def time_commands(rounds: int) -> None:
    python, calc = sys.executable, calc_script()
    commands = {
        FLOOR: [python, "-c", "import pint, numpy"],
        "python -c 'import pint, numpy, pydantic, typer, yaml'": [
            python,
            "-c",
            "import pint, numpy, pydantic, typer, yaml",
        ],
        "calc run (seed scenario)": [calc, "run"],
        "calc eval '1 GW'": [calc, "eval", "1 GW"],
    }
    times, _ = interleaved({name: process(command) for name, command in commands.items()}, rounds)
    print(f"start-up, whole processes, {rounds} interleaved rounds")
    print(f"{'command':<56} {'median s':>8} {'middle half s':>14} {'x import':>9}")
    for name, values in times.items():
        ratio = "" if name == FLOOR else f"{paired_ratio(times, name, FLOOR):8.2f}x"
        print(f"{name:<56} {median(values):8.3f} {spread(values):>14} {ratio:>9}")
    for name, target in TARGETS.items():
        ratio = paired_ratio(times, name, FLOOR)
        verdict = "meets" if ratio <= target else "MISSES"
        print(
            f"  {name} / import pint, numpy: {ratio:.2f}x   target: at most {target}x   {verdict}"
        )


def import_times(command: list[str]) -> list[tuple[str, int, int, int]]:
    """(module, depth, self us, cumulative us) for each import, in order."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((name.strip(), depth, int(own), int(cumulative)))
    return rows


def summarise_imports(runs: int) -> None:
    command = [calc_script(), "run"]
    top: dict[str, list[int]] = defaultdict(list)
    packages: dict[str, list[int]] = defaultdict(list)
    modules: set[str] = set()
    totals = []
    for _ in range(runs):
        rows = import_times(command)
        by_package: dict[str, int] = defaultdict(int)
        for name, depth, own, cumulative in rows:
            modules.add(name)
            by_package[name.split(".")[0]] += own
            if depth == 0:
                top[name].append(cumulative)
        for package, own in by_package.items():
            packages[package].append(own)
        totals.append(sum(cumulative for _, depth, _, cumulative in rows if depth == 0))
    print(
        f"\nimport time of `calc run` (python -X importtime, median of {runs} runs): "
        f"{statistics.median(totals) / 1e3:.0f} ms in all"
    )
    print("  top-level imports, cumulative ms: " + _ranked(top, 12))
    print("  by package, self ms: " + _ranked(packages, 12))
    modules = set(
        subprocess.run(
            [sys.executable, "-c", MODULES_AT_EXIT],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        ).stderr.split()
    )
    present = [name for name in AVOIDABLE if name in modules]
    absent = [name for name in AVOIDABLE if name not in modules]
    print(
        f"  named avoidable in issue 17, loaded at exit: {', '.join(present) or 'none'}; "
        f"not imported: {', '.join(absent) or 'none'}"
    )


#: `calc run`'s work in stages, each printed as name=milliseconds.
STAGES = """
import gc, time
gc.disable()
clock = time.perf_counter
marks = [("start", clock())]
import numpy, pint; marks.append(("pint and numpy", clock()))
import typer; marks.append(("typer", clock()))
import yaml; marks.append(("yaml", clock()))
from calc.units.registry import ureg; marks.append(("unit registry", clock()))
from pydantic import BaseModel
class One(BaseModel):
    a: int
marks.append(("pydantic and one model", clock()))
import calc.domain.distributions, calc.io.specs, calc.io.catalogue, calc.io.references
marks.append(("calc's models", clock()))
import calc.scenario, calc.render.text, calc.cli; marks.append(("the rest of calc", clock()))
import calc.articles.figures; marks.append(("article reader", clock()))
from calc.io.references import load_library; load_library()
marks.append(("reference library", clock()))
from calc.domain.evaluate import default_samples
from calc.io.paths import default_scenario
from calc.render.text import render_run
scenario = calc.scenario.load_scenario(default_scenario())
result = scenario.evaluate(samples=default_samples(scenario) or None, seed=0)
render_run(result, "table"); marks.append(("the work", clock()))
print(";".join(f"{b[0]}={(b[1] - a[1]) * 1e3:.2f}" for a, b in zip(marks, marks[1:])))
"""


def stages(runs: int) -> None:
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STAGES], check=True, capture_output=True, text=True
        ).stdout
        for part in out.strip().split(";"):
            name, value = part.rsplit("=", 1)
            times[name].append(float(value))
    print(f"\n`calc run`'s work by stage, in one process (median of {runs} processes), ms:")
    print("  " + ", ".join(f"{name} {statistics.median(v):.0f}" for name, v in times.items()))


def _ranked(times: dict[str, list[int]], count: int) -> str:
    medians = {name: statistics.median(values) for name, values in times.items()}
    ranked = sorted(medians.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {us / 1e3:.0f}" for name, us in ranked)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--stage-runs", type=int, default=7)
    parser.add_argument(
        "--bytecode-cache",
        action="store_true",
        help="let the processes write Python's bytecode cache even where "
        "PYTHONDONTWRITEBYTECODE is set",
    )
    args = parser.parse_args()
    print(bytecode_cache(args.bytecode_cache))
    time_commands(args.rounds)
    summarise_imports(args.importtime_runs)
    stages(args.stage_runs)


if __name__ == "__main__":
    main()
