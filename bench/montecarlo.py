"""Monte Carlo on the seed scenario: calc against hand-written numpy, and scaling.

Run by hand:  .venv/bin/python bench/montecarlo.py [--samples 1000000] [--repeat 3]
              .venv/bin/python bench/montecarlo.py --scaling

The first form times one Monte Carlo pass of scenarios/openai-30gw.yaml at N samples
(every uncertain input drawn once, every derived quantity computed as arrays) against
the same distributions and formulas written out in plain numpy, and the full
`Scenario.evaluate(samples=N)` (which also judges the claims). Target: calc's pass
within 1.3x of numpy. `--scaling` runs N = 10^4 .. 10^7 in fresh processes and prints
time and peak memory (ru_maxrss) of each.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from timing import best_of  # bench/ is on sys.path when run as a script

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "openai-30gw.yaml"
Z90 = 1.6448536269514722
HOURS = 8760.0


def _lognormal(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    mu = (math.log(low) + math.log(high)) / 2
    return rng.lognormal(mu, (math.log(high) - math.log(low)) / (2 * Z90), n)


def by_hand(n: int, seed: int) -> dict[str, np.ndarray]:
    """The seed scenario's Monte Carlo in plain numpy, SI units, draws in file order."""
    rng = np.random.default_rng(seed)
    household_use = _lognormal(rng, 10260, 10791, n) * 1e3 / HOURS  # W per home
    rack_power = _lognormal(rng, 120e3, 132e3, n)  # W per rack
    industry = _lognormal(rng, 35e9, 60e9, n) / 1e9  # USD per W
    huang = _lognormal(rng, 400e3, 500e3, n)
    pue = _lognormal(rng, 1.1, 1.4, n)
    alpha, beta = 1 + 4 * 0.3 / 0.5, 1 + 4 * 0.2 / 0.5
    load_factor = 0.5 + 0.5 * rng.beta(alpha, beta, n)
    power, investment, homes, us = 30e9, 1.4e12, 25e6, 3927.2e12 / HOURS
    out = {"industry": industry, "huang": huang}
    out["per_home_load"] = np.float64(power / homes)
    out["household_load"] = household_use
    out["cost_per_gw"] = np.float64(investment / power)
    it_power = power / pue**1.0
    out["it_power"] = it_power
    facility = it_power * pue
    out["facility_power"] = facility
    out["homes_at_reference_use"] = facility / household_use
    racks = it_power / rack_power
    out["rack_count"] = racks
    gpus = racks * 72.0
    out["gpu_count"] = gpus
    out["gpus_per_gw"] = gpus / (power / 1e9)
    out["cost_per_rack"] = investment / racks
    out["cost_per_gpu"] = investment / gpus
    energy = facility * load_factor
    out["annual_energy"] = energy
    out["homes_by_annual_energy"] = energy / household_use
    out["share_of_us_electricity"] = energy / us
    return out


def compare(samples: int, repeat: int) -> None:
    import calc
    from calc.domain.evaluate import evaluate_values, sample_inputs

    scenario = calc.load_scenario(SCENARIO)

    def one_pass():
        rng = np.random.default_rng(1)
        return evaluate_values(scenario, sample_inputs(scenario, rng, samples), draw=(rng, samples))

    t_calc, values = best_of(repeat, one_pass)
    t_full, _ = best_of(repeat, lambda: scenario.evaluate(samples=samples, seed=1))
    t_numpy, hand = best_of(repeat, lambda: by_hand(samples, 1))
    np.testing.assert_allclose(
        values["rack_count"].to("rack").magnitude, hand["rack_count"], rtol=1e-9
    )
    np.testing.assert_allclose(
        values["annual_energy"].to("W").magnitude, hand["annual_energy"], rtol=1e-9
    )
    print(f"seed scenario, {samples:,} samples, best of {repeat}")
    print(f"  calc Monte Carlo pass (sample + evaluate): {t_calc * 1e3:8.1f} ms")
    print(f"  numpy by hand, same draws and formulas:    {t_numpy * 1e3:8.1f} ms")
    print(f"  ratio: {t_calc / t_numpy:.2f}x  (target: within 1.3x)")
    print(f"  Scenario.evaluate(samples=N) incl. point values and claims: {t_full * 1e3:.1f} ms")


def _child(samples: int) -> None:
    import calc

    scenario = calc.load_scenario(SCENARIO)
    start = time.perf_counter()
    scenario.evaluate(samples=samples, seed=1)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
    print(json.dumps({"samples": samples, "seconds": elapsed, "peak_mib": peak}))


def scaling() -> None:
    print(f"{'samples':>12} {'evaluate s':>11} {'peak MiB':>9} {'s per 1e6':>10}")
    for exponent in range(4, 8):
        samples = 10**exponent
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(samples)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        row = json.loads(out)
        print(
            f"{samples:>12,} {row['seconds']:>11.3f} {row['peak_mib']:>9.0f} "
            f"{row['seconds'] / samples * 1e6:>10.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
    elif args.scaling:
        scaling()
    else:
        compare(args.samples, args.repeat)


if __name__ == "__main__":
    main()
