"""Start-up time of `calc` as a whole process, against importing its dependencies.

Run by hand:  .venv/bin/python bench/startup.py [--runs 15]
Prints the best and median wall time of each command over N runs, and the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(command: list[str], runs: int) -> tuple[float, float]:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    python = sys.executable
    script = (
        str(Path(python).parent / "calc")
        if (Path(python).parent / "calc").exists()
        else shutil.which("calc") or "calc"
    )
    commands = {
        "python -c 'import pint, numpy'": [python, "-c", "import pint, numpy"],
        "python -c 'import pint, numpy, typer, pydantic, yaml'": [
            python,
            "-c",
            "import pint, numpy, typer, pydantic, yaml",
        ],
        "calc --help": [script, "--help"],
        "calc run (seed scenario)": [script, "run"],
        "calc check (seed scenario)": [script, "check"],
    }
    results = {name: _time(cmd, runs) for name, cmd in commands.items()}
    floor = results["python -c 'import pint, numpy'"][0]
    print(f"{'command':<58} {'best s':>7} {'median s':>9} {'best/pint+numpy':>16}")
    for name, (best, median) in results.items():
        print(f"{name:<58} {best:7.3f} {median:9.3f} {best / floor:15.2f}x")


if __name__ == "__main__":
    main()
