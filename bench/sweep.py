"""A 1,000 x 1,000 sweep of the seed scenario against hand-written numpy.

Run by hand:  .venv/bin/python bench/sweep.py [--size 1000] [--repeat 5]

Varies pue and load_factor over a size x size grid and evaluates every derived
quantity of scenarios/openai-30gw.yaml, once through calc (one array pass through
the graph, with units) and once as plain numpy with the same formulas written out
by hand in base units. Prints the best time of each and their ratio (target: calc
within 1.5x of numpy), and checks both give the same numbers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from timing import best_of  # bench/ is on sys.path when run as a script

import calc
from calc.analysis.sweeps import evaluate_grid

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "openai-30gw.yaml"
HOURS = 8760.0


def by_hand(pue: np.ndarray, load_factor: np.ndarray) -> dict[str, np.ndarray]:
    """The seed scenario's formulas over flat grids, in SI units, no unit library."""
    power, investment, homes = 30e9, 1.4e12, 25e6  # W, USD, homes
    household_use = 10791e3 / HOURS  # W per home
    rack_power, gpus_per_rack, us = 120e3, 72.0, 3927.2e12 / HOURS  # W/rack, GPU/rack, W
    is_facility = 1.0
    out: dict[str, np.ndarray] = {}
    out["per_home_load"] = np.full_like(pue, power / homes / 1e3)
    out["household_load"] = np.full_like(pue, household_use / 1e3)
    out["cost_per_gw"] = np.full_like(pue, investment / (power / 1e9) / 1e9)
    it_power = power / pue**is_facility
    out["it_power"] = it_power / 1e9
    facility = it_power * pue
    out["facility_power"] = facility / 1e9
    out["homes_at_reference_use"] = facility / household_use
    racks = it_power / rack_power
    out["rack_count"] = racks
    gpus = racks * gpus_per_rack
    out["gpu_count"] = gpus
    out["gpus_per_gw"] = gpus / (power / 1e9)
    out["cost_per_rack"] = investment / racks / 1e6
    out["cost_per_gpu"] = investment / gpus
    energy = facility * load_factor
    out["annual_energy"] = energy * HOURS / 1e12
    out["homes_by_annual_energy"] = energy / household_use
    out["share_of_us_electricity"] = energy / us * 100
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario = calc.load_scenario(SCENARIO)
    pue_axis = np.linspace(1.1, 1.5, args.size)
    lf_axis = np.linspace(0.6, 1.0, args.size)
    outputs = list(scenario.derived)

    def with_calc():
        return evaluate_grid(scenario, {"pue": pue_axis, "load_factor": lf_axis}, outputs)

    def with_numpy():
        pue, lf = (g.ravel() for g in np.meshgrid(pue_axis, lf_axis, indexing="ij"))
        return by_hand(pue, lf)

    t_calc, swept = best_of(args.repeat, with_calc)
    t_numpy, hand = best_of(args.repeat, with_numpy)
    for name in outputs:
        ours = np.broadcast_to(swept.outputs[name].magnitude, swept.shape).ravel()
        np.testing.assert_allclose(ours, hand[name], rtol=1e-9, err_msg=name)
    points = args.size * args.size
    print(f"grid: {args.size} x {args.size} = {points:,} points, {len(outputs)} derived outputs")
    print(f"calc  (evaluate_grid, units checked): {t_calc * 1e3:8.1f} ms")
    print(f"numpy (same formulas by hand):        {t_numpy * 1e3:8.1f} ms")
    print(f"ratio calc / numpy: {t_calc / t_numpy:.2f}x  (target: within 1.5x)")


if __name__ == "__main__":
    main()
