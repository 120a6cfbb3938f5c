"""Peak memory of a big Monte Carlo run: time-to-botec at 10^8 samples, as a whole process.

    .venv/bin/python bench/bigrun.py [--samples 100000000] [--scenario PATH]

Runs `calc run SCENARIO --samples N` (default scenarios/examples/time-to-botec.yaml) and
reads the child's peak resident set size from the kernel (os.wait4's rusage, the figure
`/usr/bin/time -v` prints as "Maximum resident set size"), beside the target of issue 17:
10^8 samples in under 3 GiB. Also prints the wall time, the exit code and calc's own memory
budget for the run (what its sample limit allows on this machine), and the run's mean.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "examples" / "time-to-botec.yaml"
TARGET_GIB = 3.0


def calc_script() -> str:
    script = Path(sys.executable).parent / "calc"
    return str(script) if script.exists() else "calc"


def peak_rss(command: list[str]) -> tuple[int, float, int, str]:
    """(exit code, wall seconds, peak RSS in bytes, standard output) of ``command``."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - start, usage.ru_maxrss * 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=100_000_000)
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args()

    from calc.domain.budget import array_memory, memory_budget
    from calc.domain.evaluate import varying_quantities
    from calc.io.loader import load_scenario

    quantities = varying_quantities(load_scenario(args.scenario))
    print(
        f"calc's budget on this machine: {memory_budget() / 2**30:.1f} GiB; this run is "
        f"counted at {array_memory(args.samples, quantities) / 2**30:.1f} GiB "
        f"({quantities} varying quantities)"
    )
    command = [calc_script(), "run", str(args.scenario), "--samples", str(args.samples)]
    code, wall, rss, output = peak_rss(command)
    result = next((line for line in output.splitlines() if line.startswith("result")), "")
    print(f"$ {' '.join(command)}")
    print(f"  exit code {code}, wall {wall:.1f} s, peak RSS {rss / 2**30:.2f} GiB")
    print(f"  {result}")
    verdict = "meets" if code == 0 and rss < TARGET_GIB * 2**30 else "MISSES"
    print(
        f"  {args.samples:,} samples: peak {rss / 2**30:.2f} GiB   target: under "
        f"{TARGET_GIB} GiB   {verdict}"
    )


if __name__ == "__main__":
    main()
