"""The seed scenario's figures against hand arithmetic."""

from __future__ import annotations

import pytest

HOURS_PER_YEAR = 8760  # EIA's annual figures
POWER_W = 30e9
INVESTMENT_USD = 1.4e12
HOMES = 25e6
HOUSEHOLD_KWH = 10_791
PUE, LOAD_FACTOR = 1.3, 0.8
RACK_W, GPUS_PER_RACK = 120e3, 72
US_TWH = 3927.2


@pytest.mark.parametrize(
    ("name", "unit", "expected"),
    [
        ("per_home_load", "kW/home", POWER_W / HOMES / 1e3),  # 1.2
        ("household_load", "kW/home", HOUSEHOLD_KWH / HOURS_PER_YEAR),  # 1.232
        ("cost_per_gw", "billion USD/GW", INVESTMENT_USD / 30 / 1e9),  # 46.67
        ("it_power", "GW", 30 / PUE),
        ("facility_power", "GW", 30),
        ("rack_count", "rack", POWER_W / PUE / RACK_W),  # 192,308
        ("gpu_count", "gpu", POWER_W / PUE / RACK_W * GPUS_PER_RACK),
        ("cost_per_rack", "USD/rack", INVESTMENT_USD / (POWER_W / PUE / RACK_W)),
        ("annual_energy", "TWh/yr", 30 * LOAD_FACTOR * HOURS_PER_YEAR / 1e3),  # 210.24
        (
            "share_of_us_electricity",
            "percent",
            100 * 30 * LOAD_FACTOR * HOURS_PER_YEAR / 1e3 / US_TWH,
        ),
        ("homes_at_reference_use", "home", POWER_W / (HOUSEHOLD_KWH * 1e3 / HOURS_PER_YEAR)),
        (
            "homes_by_annual_energy",
            "home",
            POWER_W * LOAD_FACTOR / (HOUSEHOLD_KWH * 1e3 / HOURS_PER_YEAR),
        ),
    ],
)
def test_derived_figures_match_hand_arithmetic(seed_result, name, unit, expected):
    assert seed_result[name].to(unit).magnitude == pytest.approx(expected, rel=1e-9)


def test_headline_figures(seed_result):
    assert seed_result["per_home_load"].to("kW/home").magnitude == pytest.approx(1.2)
    assert seed_result["cost_per_gw"].to("billion USD/GW").magnitude == pytest.approx(
        46.667, abs=5e-4
    )
    assert round(seed_result["rack_count"].to("rack").magnitude) == 192_308


def test_per_home_load_is_also_shown_per_year(seed_result, seed_scenario):
    (also,) = seed_scenario.derived["per_home_load"].also
    assert seed_result["per_home_load"].to(also).magnitude == pytest.approx(1.2 * 8760)


def test_sources_follow_the_whole_graph(seed_result):
    assert seed_result.sources("planned_power") == ("seed-003",)
    assert seed_result.sources("rack_count") == (
        "seed-003",
        "ref:gb200-nvl72-rack-power",
        "ref:gb300-nvl72-rack-power",
        "ref:uptime-new-builds-pue-2024",
    )
    assert seed_result.sources("share_of_us_electricity") == (
        "seed-003",
        "norris-load-factor-2025",
        "ref:eia-retail-sales-2022",
        "ref:uptime-new-builds-pue-2024",
    )
    assert seed_result.inputs_behind("rack_count") == {
        "planned_power",
        "pue",
        "planned_power_is_facility",
        "rack_power",
    }


@pytest.mark.parametrize(
    ("claim", "verdict", "ratio"),
    [
        (
            "homes_equivalence",
            "consistent",
            HOMES / (POWER_W * HOURS_PER_YEAR / (HOUSEHOLD_KWH * 1e3)),
        ),
        ("cost_per_gw_vs_industry", "consistent", (INVESTMENT_USD / 30 / 1e9) / 50),
        ("gpus_per_gw_vs_huang", "consistent", 450_000 / (GPUS_PER_RACK / RACK_W / PUE * 1e9)),
        ("foxconn_deal_value", "conflict", None),
    ],
)
def test_seed_claims(seed_result, claim, verdict, ratio):
    judged = {v.name: v for v in seed_result.verdicts}[claim]
    assert judged.verdict == verdict
    if ratio is None:
        assert judged.ratio is None
    else:
        assert judged.ratio == pytest.approx(ratio, rel=1e-9)


def test_the_conflict_names_the_seeds_on_both_sides(seed_result):
    judged = {v.name: v for v in seed_result.verdicts}["foxconn_deal_value"]
    assert judged.claimed_sources == ("seed-000",)
    assert judged.implied_sources == ("seed-001", "seed-002", "seed-003")
    assert judged.describe() == "conflict (implied is zero)"
