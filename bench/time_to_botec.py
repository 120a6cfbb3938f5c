"""time-to-botec at 1,000,000 samples, as whole processes: calc against squigglepy and numpy.

Run by hand, with squigglepy 0.30 in some Python (it is not a calc dependency):

    python3 -m venv /tmp/sq && /tmp/sq/bin/pip install squigglepy==0.30
    .venv/bin/python bench/time_to_botec.py --squigglepy-python /tmp/sq/bin/python

Each command runs --runs times in a fresh process; the best and median wall times are
printed with the mean each reports (about 0.887). Target: calc at least 4x faster than
squigglepy.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "examples" / "time-to-botec.yaml"
SAMPLES = 1_000_000

SQUIGGLEPY = f"""
import squigglepy as sq
p_a, p_b = 0.8, 0.5
p_c = p_a * p_b
result = sq.mixture([0, 1, sq.lognorm(1, 3), sq.lognorm(2, 10)],
                    [1 - p_c, p_c / 2, p_c / 4, p_c / 4])
print(sq.sample(result, {SAMPLES}).mean())
"""

NUMPY = f"""
import numpy as np
n, z = {SAMPLES}, 1.6448536269514722
rng = np.random.default_rng(0)
p_c = 0.8 * 0.5
weights = np.cumsum([1 - p_c, p_c / 2, p_c / 4, p_c / 4])
chosen = np.searchsorted(weights[:-1], rng.random(n), side="right")
out = np.zeros(n)
out[chosen == 1] = 1
for index, (low, high) in ((2, (1, 3)), (3, (2, 10))):
    mask = chosen == index
    mu, sigma = (np.log(low) + np.log(high)) / 2, (np.log(high) - np.log(low)) / (2 * z)
    out[mask] = rng.lognormal(mu, sigma, mask.sum())
print(out.mean())
"""


def timed(command: list[str], runs: int) -> tuple[float, float, str]:
    times, output = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
        output = done.stdout
    return min(times), statistics.median(times), output


def calc_mean(output: str) -> str:
    row = next(line for line in output.splitlines() if line.startswith("result "))
    return row.split()[2]  # point, then mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--squigglepy-python", default=None, help="A Python with squigglepy 0.30 installed."
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "calc"
    calc = [
        str(script) if script.exists() else shutil.which("calc") or "calc",
        "run",
        str(SCENARIO),
        "--samples",
        str(SAMPLES),
        "--seed",
        "1",
    ]
    rows = [("calc run ... --samples 1000000", *timed(calc, args.runs))]
    rows[0] = (*rows[0][:3], calc_mean(rows[0][3]))
    rows.append(("plain numpy script", *timed([sys.executable, "-c", NUMPY], args.runs)))
    if args.squigglepy_python:
        rows.append(
            (
                "squigglepy 0.30 script",
                *timed([args.squigglepy_python, "-c", SQUIGGLEPY], args.runs),
            )
        )
    print(f"time-to-botec, {SAMPLES:,} samples, {args.runs} runs each (whole processes)")
    print(f"{'command':<34} {'best s':>7} {'median s':>9} {'mean':>8}")
    for name, best, median, output in rows:
        print(f"{name:<34} {best:7.3f} {median:9.3f} {float(output.strip()):8.4f}")
    if args.squigglepy_python:
        print(f"squigglepy / calc (best): {rows[2][1] / rows[0][1]:.1f}x  (target: >= 4x)")
    print(f"calc / numpy (best): {rows[0][1] / rows[1][1]:.2f}x")


if __name__ == "__main__":
    main()
