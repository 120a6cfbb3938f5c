"""time-to-botec as whole processes: calc against squigglepy, Squiggle and plain numpy.

    .venv/bin/python bench/time_to_botec.py [--rounds 21] [--samples 10000 1000000]
                                            [--bytecode-cache]

The model (time-to-botec, scenarios/examples/time-to-botec.yaml), the same in every tool:
p_a = 0.8, p_b = 0.5, p_c = p_a * p_b; result is a mixture of 0, 1, a lognormal whose 90%
interval is [1, 3] and one whose 90% interval is [2, 10], with weights 1 - p_c, p_c / 2,
p_c / 4 and p_c / 4. Each tool draws N samples of `result` and prints their mean (exactly
0.8872); the benchmark checks every mean is within 10 / sqrt(N) of it.

- calc: `calc run scenarios/examples/time-to-botec.yaml --samples N --seed 1 -f json`.
- squigglepy 0.30: `sq.sample(sq.mixture(...), N)` then the mean, in its own Python.
- Squiggle (@quri/squiggle-lang on node): bench/time_to_botec.mjs, `mx` of the four with the
  lognormals as sample sets, so the mixture is sampled N times (sampleCount = N).
- numpy: the fastest honest script: one multinomial draw of how many samples each component
  gets, then that many lognormal draws for each (the N samples, grouped by component: the
  same distribution as drawing a component per sample, for a mean or any percentile).

Every command runs in a fresh process, in interleaved rounds (calc, squigglepy, Squiggle,
numpy, then again), after one warm-up round that is not counted. Printed: the median wall
time of each, the middle half of its times, and the paired ratio against calc (the median
of the per-round ratios), beside the targets of issue 17: calc at least 4x faster than
squigglepy, and faster than Squiggle at both 10^4 and 10^6 samples. The first line says
whether calc's bytecode cache is read (see bench/startup.py).

The peers are not calc dependencies. Install them where this script looks by default:

    python3 -m venv bench/.venvs/squigglepy
    bench/.venvs/squigglepy/bin/pip install squigglepy==0.30
    npm install --prefix bench/.node @quri/squiggle-lang@0.10.0

(or point --squigglepy-python and --node-prefix elsewhere). A peer that is missing is
skipped with a line that says how to install it.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from timing import bytecode_cache, interleaved, median, paired_ratio, process, spread

BENCH = Path(__file__).resolve().parent
SCENARIO = BENCH.parent / "scenarios" / "examples" / "time-to-botec.yaml"
SQUIGGLE_SCRIPT = BENCH / "time_to_botec.mjs"
SQUIGGLEPY_PYTHON = BENCH / ".venvs" / "squigglepy" / "bin" / "python"
NODE_PREFIX = BENCH / ".node"
Z90 = 1.6448536269514722


def exact_mean() -> float:
    """0.2 x 1 + 0.1 x (mean of lognormal [1, 3]) + 0.1 x (mean of lognormal [2, 10])."""
    mean = 0.2
    for low, high in ((1, 3), (2, 10)):
        mu, sigma = math.log(low * high) / 2, math.log(high / low) / (2 * Z90)
        mean += 0.1 * math.exp(mu + sigma**2 / 2)
    return mean


SQUIGGLEPY = """
import sys
import numpy as np
import squigglepy as sq
p_a, p_b = 0.8, 0.5
p_c = p_a * p_b
result = sq.mixture([0, 1, sq.lognorm(1, 3), sq.lognorm(2, 10)],
                    [1 - p_c, p_c / 2, p_c / 4, p_c / 4])
print(np.mean(sq.sample(result, int(sys.argv[1]))))
"""

NUMPY = f"""
import sys
import numpy as np
n, z = int(sys.argv[1]), {Z90}
rng = np.random.default_rng(1)
p_c = 0.8 * 0.5
counts = rng.multinomial(n, [1 - p_c, p_c / 2, p_c / 4, p_c / 4])
out = np.empty(n)
out[:counts[0]] = 0.0
start = counts[0] + counts[1]
out[counts[0]:start] = 1.0
for count, low, high in ((counts[2], 1.0, 3.0), (counts[3], 2.0, 10.0)):
    mu, sigma = np.log(low * high) / 2, np.log(high / low) / (2 * z)
    out[start:start + count] = rng.lognormal(mu, sigma, count)
    start += count
print(out.mean())
"""


Command = Callable[[int], list[str]]  # the command line for N samples


def calc_command() -> Command:
    script = Path(sys.executable).parent / "calc"
    calc = str(script) if script.exists() else shutil.which("calc") or "calc"
    return lambda n: [calc, "run", str(SCENARIO), "--samples", str(n), "--seed", "1", "-f", "json"]


def calc_mean(output: str) -> float:
    return json.loads(output)["quantities"]["result"]["samples"]["mean"]


def squigglepy_peer(python: Path) -> tuple[str, Command] | str:
    """('squigglepy 0.30', command) or why it is skipped."""
    how = (
        "python3 -m venv bench/.venvs/squigglepy && "
        "bench/.venvs/squigglepy/bin/pip install squigglepy==0.30"
    )
    if not python.exists():
        return f"squigglepy: skipped, no Python at {python}; install it with: {how}"
    found = subprocess.run(
        [str(python), "-c", "import squigglepy; print(squigglepy.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        return f"squigglepy: skipped, not installed in {python}; install it with: {how}"
    version = found.stdout.strip()
    label = f"squigglepy {version}" + ("" if version == "0.30" else " (the target is for 0.30)")
    return label, lambda n: [str(python), "-c", SQUIGGLEPY, str(n)]


def squiggle_peer(node: str | None, prefix: Path) -> tuple[str, Command] | str:
    """('Squiggle 0.10.0 (node)', command) or why it is skipped."""
    how = "npm install --prefix bench/.node @quri/squiggle-lang@0.10.0"
    if node is None:
        return "Squiggle: skipped, no `node` on PATH; install Node.js 18+, then: " + how
    package = prefix / "node_modules" / "@quri" / "squiggle-lang" / "package.json"
    if not package.exists():
        return f"Squiggle: skipped, @quri/squiggle-lang is not in {prefix}; install it with: {how}"
    version = json.loads(package.read_text(encoding="utf-8"))["version"]
    return (
        f"Squiggle {version} (node)",
        lambda n: [node, str(SQUIGGLE_SCRIPT), str(n), str(prefix)],
    )


def bench(samples: int, tools: dict[str, Command], rounds: int) -> None:
    tasks = {name: process(command(samples)) for name, command in tools.items()}
    times, outputs = interleaved(tasks, rounds)
    expected, tolerance = exact_mean(), 10 / math.sqrt(samples)
    print(f"\ntime-to-botec, {samples:,} samples: whole processes, {rounds} interleaved rounds")
    print(f"{'tool':<44} {'median s':>8} {'middle half s':>14} {'mean':>7} {'x calc time':>12}")
    for name in tools:
        output = str(outputs[name])
        mean = calc_mean(output) if name == "calc" else float(output.split()[-1])
        if abs(mean - expected) > tolerance:
            raise SystemExit(f"{name} printed mean {mean}, not {expected:.4f} +- {tolerance:.3f}")
        ratio = "" if name == "calc" else f"{paired_ratio(times, name, 'calc'):11.2f}x"
        print(
            f"{name:<44} {median(times[name]):8.3f} {spread(times[name]):>14} "
            f"{mean:7.4f} {ratio:>12}"
        )
    for name in tools:
        if name.startswith("squigglepy"):
            _target(f"calc faster than {name.split(' (')[0]}", times, name, 4.0)
        elif name.startswith("Squiggle"):
            _target(f"calc faster than {name}", times, name, 1.0)


def _target(what: str, times: dict[str, list[float]], peer: str, target: float) -> None:
    ratio = paired_ratio(times, peer, "calc")
    if target > 1:
        goal, met = f"at least {target:g}x", ratio >= target
    else:
        goal, met = "faster (> 1x)", ratio > 1
    verdict = "meets" if met else "MISSES"
    print(f"  {what}: {ratio:.2f}x   target: {goal}   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--samples", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument(
        "--squigglepy-python",
        type=Path,
        default=SQUIGGLEPY_PYTHON,
        help="a Python with squigglepy 0.30 installed",
    )
    parser.add_argument(
        "--node-prefix",
        type=Path,
        default=NODE_PREFIX,
        help="the folder where @quri/squiggle-lang was installed with npm",
    )
    parser.add_argument(
        "--bytecode-cache",
        action="store_true",
        help="let the processes write Python's bytecode cache even where "
        "PYTHONDONTWRITEBYTECODE is set",
    )
    args = parser.parse_args()
    print(bytecode_cache(args.bytecode_cache))
    tools: dict[str, Command] = {"calc": calc_command()}
    for peer in (
        squigglepy_peer(args.squigglepy_python),
        squiggle_peer(shutil.which("node"), args.node_prefix),
    ):
        if isinstance(peer, str):
            print(peer)
        else:
            tools[peer[0]] = peer[1]
    tools["numpy script"] = lambda n: [sys.executable, "-c", NUMPY, str(n)]
    for samples in args.samples:
        bench(samples, tools, args.rounds)


if __name__ == "__main__":
    main()
