"""Checks `calc audit` makes by its relation templates and of an article against itself
(#15): each sentence here is written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calc.analysis.audit_model import read
from calc.articles.figures import extract
from calc.cli import app

runner = CliRunner()


def _checks(tmp_path: Path, text: str) -> list[dict]:
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(article), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    (record,) = json.loads(result.stdout)
    return record["checks"]


def _of(checks: list[dict], title: str) -> list[dict]:
    return [c for c in checks if c["title"] == title]


def test_pounds_restated_in_dollars_meet_the_exchange_rate(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The council backed a £4 billion ($5.1 billion) campus, and a rival bid of "
        "£2 billion ($2 billion) lost.\n",
    )
    found = [
        (c["text"], c["verdict"], c["implied"]) for c in _of(checks, "pounds restated in dollars")
    ]
    assert found == [
        (
            "$5.1 billion restates £4 billion at about $1.30 to the pound",
            "consistent",
            "5.2 billion USD",
        ),
        (
            "$2 billion restates £2 billion at about $1.30 to the pound",
            "understated",
            "2.6 billion USD",
        ),
    ]
    assert {c["kind"] for c in _of(checks, "pounds restated in dollars")} == {"stated-twice"}


def test_euros_restated_in_dollars_meet_the_exchange_rate(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "The Paris hall costs €10 billion (about $11 billion).\n")
    (check,) = _of(checks, "euros restated in dollars")
    assert (check["verdict"], check["implied"]) == ("consistent", "10.9 billion USD")


def test_pounds_and_dollars_apart_are_not_a_restatement(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "The UK fund holds £4 billion; the US fund adds $9 billion.\n")
    assert _of(checks, "pounds restated in dollars") == []


def test_the_energy_output_of_hoover_dams_is_read_by_yearly_energy(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "The 4 GW campus would use the energy output of two Hoover Dams.\n")
    titles = {c["title"]: c for c in checks}
    assert titles["power against Hoover Dams"]["verdict"] == "consistent"  # 1.93 dams
    by_energy = titles["power against Hoover Dams' yearly energy"]
    assert by_energy["implied"] == "8.76 dam_count"  # 4 GW x 8,760 h / 4 TWh
    assert by_energy["verdict"] == "understated"


def test_a_yearly_rate_restated_as_a_years_amount_past_a_pasted_link(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The plant draws 40 million liters of water per year example.org (50 million liters).\n",
    )
    (check,) = _of(checks, "a figure stated twice")
    assert check["eval"] == {
        "claimed": "50 million liters",
        "implied": "40 million l/yr * (1 year)",
    }
    assert check["verdict"] == "overstated"  # 50 is 1.25x the 40 a year


def test_a_count_of_units_counts_what_was_named_before(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path, "Its fleet of 30,000 Blackwell GPUs has tripled to 90,000 units this year.\n"
    )
    (check,) = _of(checks, "a change stated as a multiple")
    assert (check["verdict"], check["implied"]) == ("consistent", "3")
    assert check["eval"]["implied"] == "90,000 GPUs / 30,000 GPUs"


def test_money_a_year_for_power_is_a_rental_not_a_build_cost(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path, "Under the deal, the lab pays $12 billion a year for 2 gigawatts of capacity.\n"
    )
    (check,) = _of(checks, "money a year against power")
    assert (check["kind"], check["verdict"]) == ("money-power", "not comparable")
    assert check["detail"] == "the claimed side measures revenue and the implied side cost (money)"


def test_a_power_said_to_be_one_reactors_output_meets_the_library(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path, "Each campus draws 3 GW, about the output of a typical nuclear reactor.\n"
    )
    (check,) = _of(checks, "a power said to be one reactor's output")
    assert (check["kind"], check["verdict"], check["implied"]) == (
        "plant-comparison",
        "overstated",
        "1 GW",
    )


def test_a_reactors_output_per_unit_meets_the_library(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "Planners compare it with nuclear plants, which put out about 1.1 gigawatts per unit.\n",
    )
    (check,) = _of(checks, "a reactor's stated output")
    assert (check["verdict"], check["eval"]["claimed"]) == (
        "consistent",
        "1.1 GW/unit_count * (1 unit_count)",
    )


def test_a_rate_per_a_new_count_noun_is_verified_against_its_quote(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "Planners compare it with nuclear plants, which put out about 1.1 gigawatts per station.\n",
    )
    (check,) = _of(checks, "a reactor's stated output")  # not set aside: its quote verifies
    assert check["eval"]["claimed"] == "1.1 gigawatts per station * (1 station)"


def test_a_share_of_us_data_centers_is_not_a_share_of_all_electricity(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The new campus will draw 3 GW of power, some 15% of all data center capacity in "
        "the United States.\n",
    )
    assert [(c["title"], c["verdict"]) for c in checks if c["kind"] == "share-us-electricity"] == [
        ("power against U.S. data centers' use", "consistent")  # 26.3 TWh a year of 176
    ]


def test_a_growth_rate_between_two_years_is_not_a_share(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The state's data centers used 40 TWh last year, power demand that grew 9% "
        "from 2019 to 2024.\n",
    )
    assert [c for c in checks if c["kind"] == "share-us-electricity"] == []


@pytest.mark.parametrize(("rate", "verdict"), [("15%", "consistent"), ("25%", "overstated")])
def test_a_growth_rate_meets_the_figures_of_its_two_years(
    tmp_path: Path, rate: str, verdict: str
) -> None:
    checks = _checks(
        tmp_path,
        "The utility's sales to server halls rose to 40 TWh in 2020.\n\nThey had been 20 TWh "
        f"in 2015, for a compound annual growth rate of {rate} from 2015 to 2020.\n",
    )
    (check,) = _of(checks, "a growth rate against its dated ends")
    assert check["kind"] == "rate-time"
    assert check["eval"]["implied"] == "(40 TWh / 20 TWh) ** (1 / (5)) - 1"
    assert (check["implied"], check["verdict"]) == ("14.9 %", verdict)  # 2 ** (1/5) - 1


@pytest.mark.parametrize(
    ("text", "unit"),
    [("a 300,000 sq ft hall", "foot ** 2"), ("a campus of 2 sq. miles", "mile ** 2")],
)
def test_square_feet_and_miles_abbreviated_are_areas(text: str, unit: str) -> None:
    (figure,) = extract(text)
    assert figure.unit == unit


def test_an_area_restated_in_another_unit_is_checked(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "The hall covers 10 acres (40,000 sq. ft.) of the old mill.\n")
    (check,) = _of(checks, "a figure stated twice")
    assert check["verdict"] == "conflict"  # 10 acres is 435,600 sq ft


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The new halls cool racks of 40 kW, four times the industry average.", "consistent"),
        ("Its racks draw 200 kW, five times the typical rack.", "overstated"),
    ],
)
def test_a_rack_said_to_be_a_multiple_of_the_average_meets_the_survey(
    tmp_path: Path, sentence: str, verdict: str
) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "a rack's power as a multiple of the average rack")
    assert (check["kind"], check["verdict"]) == ("racks-power", verdict)


@pytest.mark.parametrize(
    ("sentence", "verdict", "reference"),
    [
        (
            "In 2018, data centers in the United States used 150 TWh of electricity.",
            "overstated",
            "lbnl-datacenters-2018",
        ),
        (
            "U.S. data centers drew about 170 terawatt-hours a year in 2023.",
            "consistent",
            "lbnl-datacenters-2023",
        ),
    ],
)
def test_us_data_centers_use_in_a_year_meets_lbnls_figure_for_that_year(
    tmp_path: Path, sentence: str, verdict: str, reference: str
) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = [c for c in checks if "LBNL" in c["title"]]
    assert (check["verdict"], [r["id"] for r in check["references"]]) == (verdict, [reference])


def test_a_year_the_library_has_no_figure_for_is_not_checked(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "In 2020, U.S. data centers used 90 TWh of electricity.\n")
    assert [c for c in checks if "LBNL" in c["title"]] == []


def test_a_sentence_repeated_gives_one_check_of_a_one_figure_template(tmp_path: Path) -> None:
    sentence = "In 2018, data centers in the United States used 76 TWh of electricity."
    checks = _checks(tmp_path, f"{sentence}\n\nLater.\n\n{sentence}\n")
    assert len([c for c in checks if "LBNL" in c["title"]]) == 1


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("AMD plans to invest $20 billion as its partner builds 2 gigawatts.", "not comparable"),
        ("Microsoft plans to invest $80 billion to build 2 gigawatts.", "consistent"),
    ],
)
def test_a_chip_makers_investment_is_not_a_build_cost(
    tmp_path: Path, sentence: str, verdict: str
) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "money against power")
    assert check["verdict"] == verdict


def test_a_vague_count_pairs_with_a_power_and_its_quote_verifies(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The campus will hold hundreds of thousands of Blackwell GPUs that need about 1 "
        "gigawatt of power.\n",
    )
    (check,) = _of(checks, "accelerators against power")
    assert check["verdict"] == "consistent"  # 1.1 to 5 kW a GPU, 1.8 kW midway
    assert check["eval"]["claimed"] == "1 gigawatt / 550,000 GPUs"


def test_one_racks_power_is_still_not_a_sites(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "The hall holds 2,000 racks, with racks exceeding 100 kW each.\n")
    assert _of(checks, "racks against power") == []


def test_a_one_sentence_paragraph_pairs_with_the_paragraph_before_it(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The lab bought 50,000 GPUs last spring. It plans to buy more.\n\n"
        "The whole site draws 90 megawatts.\n",
    )
    (check,) = _of(checks, "accelerators against power")
    assert check["verdict"] == "consistent"  # 1.8 kW a GPU


def test_a_count_of_units_is_read_as_the_count_its_sentence_named(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("It ordered 5,000 racks and later 7,000 more units.\n", encoding="utf-8")
    (read_article,) = read([article])
    assert [(f.text, f.unit) for f in read_article.figures] == [
        ("5,000 racks", "rack"),
        ("7,000 more units", "rack"),
    ]


def test_a_share_of_the_worlds_electricity_meets_the_world_total(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "Data centers worldwide used 460 TWh a year, about 1.7% of the world's electricity "
        "consumption.\n",
    )
    found = {c["title"]: c["verdict"] for c in checks if c["kind"] == "share-us-electricity"}
    assert found == {
        "energy a year against the world's electricity": "consistent",  # 460 / 27,700
        "data centres' share of the world's electricity": "consistent",  # 1.5%
    }


@pytest.mark.parametrize(
    ("sentence", "verdict", "implied"),
    [
        (
            "The region's demand rose 25% from 400 TWh to 500 TWh.",
            "consistent",
            "500 TWh / 400 TWh - 1",
        ),
        (
            "The grant fell 20% to $8 million from $10 million.",
            "consistent",
            "1 - $8 million / $10 million",
        ),
        ("Spending jumped 40% from $50 million to $60 million.", "arithmetic error", None),
    ],
)
def test_a_change_in_percent_meets_its_ends(
    tmp_path: Path, sentence: str, verdict: str, implied: str | None
) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "a change in percent against its ends")
    assert check["verdict"] == verdict
    if implied:
        assert check["eval"]["implied"] == implied


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The 3 GW campus draws three times the 1 GW of its neighbour.", "consistent"),
        ("At 800 MW, it uses four times as much power as the 400 MW plant.", "arithmetic error"),
        ("It cost $30 million, two times more than the $10 million pilot.", "consistent"),
    ],
)
def test_a_figure_said_to_be_n_times_another_is_checked(
    tmp_path: Path, sentence: str, verdict: str
) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "a figure said to be a multiple of another")
    assert check["verdict"] == verdict


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        (
            "The firm will put $3 million in Leeds and $2 million in York, $5 million in all.",
            "consistent",
        ),
        ("The halls draw 30 MW and 50 MW, a total of 90 MW.", "arithmetic error"),
    ],
)
def test_parts_listed_with_their_total_add_up(tmp_path: Path, sentence: str, verdict: str) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "parts against their total")
    assert (check["kind"], check["verdict"]) == ("parts-total", verdict)


def test_some_parts_of_a_total_are_not_checked_as_all(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path, "Its budget totals $10 million, including $4 million and $3 million for staff.\n"
    )
    assert _of(checks, "parts against their total") == []


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The 2 GW site would use about 14 TWh a year.", "consistent"),  # 80% of 17.5 TWh
        ("The 50 MW hall consumes 1 TWh per year.", "overstated"),  # 2.3x a year at full power
    ],
)
def test_a_power_meets_its_energy_in_a_year(tmp_path: Path, sentence: str, verdict: str) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "a power against its energy in a year")
    assert (check["kind"], check["verdict"]) == ("energy-time", verdict)


def test_a_figure_restated_after_or_in_other_units_is_checked(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The plant takes 3 million liters a day, or 1.5 billion liters a year.\n\n"
        "The town needs 2 GW or 3 GW.\n",
    )
    (check,) = _of(checks, "a figure stated twice")
    assert check["text"] == "'1.5 billion liters a year' restates '3 million liters a day'"
    assert check["verdict"] == "conflict"  # 1.1 billion a year: one source, two figures


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The 100 MW hall pays $6 million a month for electricity.", "consistent"),
        ("Its 500 MW campus has a power bill of $1 billion per year.", "overstated"),
    ],
)
def test_a_power_meets_its_electricity_bill(tmp_path: Path, sentence: str, verdict: str) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = _of(checks, "a power against its electricity bill")
    assert (check["kind"], check["verdict"]) == ("energy-time", verdict)
    assert _of(checks, "money a year against power") == []  # a bill is no rental


def test_a_power_as_a_share_of_a_years_electricity_allows_for_its_load(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path, "The new campuses would add 20 GW of demand, some 3.5% of U.S. electricity.\n"
    )
    (check,) = _of(checks, "a power running all year against U.S. electricity")
    assert check["verdict"] == "consistent"  # 4.5% at full power; 3.5% is 78% of it
    assert _of(checks, "energy a year against U.S. electricity") == []


def test_gb200_chips_are_checked_as_gpus_and_as_superchips(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "The lab paid $9 billion for 100,000 GB300 chips.\n")
    found = {c["title"]: c["verdict"] for c in checks if c["kind"] == "money-gpus"}
    assert found == {
        "money against Blackwell GPUs": "overstated",  # $90,000 against $47,000 a GPU
        "money against GB200 superchips": "consistent",  # against $94,000 a superchip
    }


def test_blackwell_gpus_are_priced_by_their_rack_not_an_h100(tmp_path: Path) -> None:
    checks = _checks(tmp_path, "It spent $5 billion on 100,000 Blackwell GPUs.\n")
    assert [(c["title"], c["verdict"]) for c in checks if c["kind"] == "money-gpus"] == [
        ("money against Blackwell GPUs", "consistent")
    ]


def test_figures_of_different_years_do_not_pair(tmp_path: Path) -> None:
    checks = _checks(
        tmp_path,
        "The state's data centers used 20 TWh in 2015. In 2024, U.S. data centers used "
        "about 4.4 percent of the nation's electricity.\n",
    )
    assert _of(checks, "energy against U.S. electricity") == []


@pytest.mark.parametrize(
    ("sentence", "title", "verdict"),
    [
        (
            "Analysts put the bill at $45 billion per gigawatt, chips included.",
            "a stated cost per GW against the all-in cost of an AI data center",
            "consistent",
        ),
        (
            "Construction alone runs $40 million per megawatt in Phoenix.",
            "a stated construction cost per MW against U.S. construction costs",
            "overstated",
        ),
    ],
)
def test_a_stated_cost_per_power_meets_the_library(
    tmp_path: Path, sentence: str, title: str, verdict: str
) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    assert [(c["title"], c["verdict"]) for c in checks] == [(title, verdict)]


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("Each H100 in the hall draws about 700 watts.", "consistent"),
        ("Every Blackwell GPU there consumes 3 kW.", "overstated"),
        ("The B200 runs at 1,100 W per GPU.", "consistent"),
    ],
)
def test_one_gpus_power_meets_its_rating(tmp_path: Path, sentence: str, verdict: str) -> None:
    checks = _checks(tmp_path, sentence + "\n")
    (check,) = [c for c in checks if c["title"].startswith("one ")]
    assert (check["kind"], check["verdict"]) == ("gpus-power", verdict)


def test_a_power_each_gpu_draws_is_checked_against_its_rating_not_the_sites(
    tmp_path: Path,
) -> None:
    """'Each of the 100,000 H100s draws 700 W' was 700 W for 100,000 GPUs, 'understated
    3.01e-06x': a GPU model's name did not mark the power as one unit's."""
    checks = _checks(
        tmp_path,
        "xAI runs 100,000 H100s in Memphis. Each of the 100,000 H100s draws 700 W.\n",
    )
    assert _of(checks, "accelerators against power") == []
    (rating,) = _of(checks, "one Hopper GPU's power against its rating")
    assert (rating["verdict"], rating["claimed"]) == ("consistent", "700 W/GPU")


def test_a_clusters_cost_per_gpu_is_not_a_chip_price(tmp_path: Path) -> None:
    """A cluster's $10 billion holds buildings, power and networking: against an H100's
    price it was 'overstated 1.67x', which says the article got it wrong."""
    checks = _checks(
        tmp_path,
        "The cluster of 200,000 GPUs that draw about 300 MW will cost $10 billion.\n",
    )
    (per_gpu,) = _of(checks, "money against accelerators")
    assert per_gpu["verdict"] == "not comparable"
    assert "all-in" in per_gpu["describe"] and "chips" in per_gpu["describe"]
    (sale,) = _of(
        _checks(tmp_path, "Nvidia sold 500,000 H100s for $15 billion last quarter.\n"),
        "money against accelerators",
    )
    assert sale["verdict"] == "consistent"


@pytest.mark.parametrize(
    ("sentence", "bound", "verdict"),
    [
        ("The campus will scale to 5 GW and cost more than $10 billion.", "at_least", "consistent"),
        ("The campus will scale to 5 GW and cost up to $500 billion.", "at_most", "consistent"),
        ("The campus will cost $10 billion and scale to up to 5 GW.", "at_least", "consistent"),
        ("The campus will cost $10 billion and scale to 5 GW.", None, "understated"),
    ],
)
def test_a_bounded_figure_bounds_the_ratio_it_is_part_of(
    tmp_path: Path, sentence: str, bound: str | None, verdict: str
) -> None:
    """'cost more than $10 billion' for 5 GW was 'understated 0.0571x' against $35 B/GW:
    the bound now carries to the cost per GW (and turns over for the divisor, 'up to 5 GW')."""
    (check,) = _of(_checks(tmp_path, sentence + "\n"), "money against power")
    assert check["verdict"] == verdict
    said = f"claimed {bound.replace('_', ' ')}" if bound else "claimed at"
    assert (said in check["describe"]) == (bound is not None), check["describe"]


def test_a_racks_power_and_price_and_a_projected_share_make_no_false_findings(
    tmp_path: Path,
) -> None:
    """Each of these was a finding against the article: a rack's $3 million for its 120 kW
    'understated' against a data center's cost per GW, its 120 kW '120x' one GPU's rating,
    a share in the next paragraph '4.41e+05x' a rack's power, and a 2028 projection
    'overstated' against 2023's data-center use."""
    checks = _checks(
        tmp_path,
        "Meta's campus will scale to 5 GW. Each GB200 NVL72 rack draws about 120 kW and "
        "costs roughly $3 million.\n\n"
        "Data centers could consume 12% of U.S. electricity by 2028, up from 4.4% in 2023.\n",
    )
    assert [(c["title"], c["verdict"]) for c in checks] == [
        ("one rack's power against the rack's design", "consistent")  # 'draws about 120 kW'
    ]


def test_a_deal_paid_over_years_is_not_a_build_cost(tmp_path: Path) -> None:
    """'4.5 GW ..., a deal worth $300 billion over five years' buys capacity (revenue to
    the seller), so its money per GW is not judged against a build's cost."""
    (deal,) = _of(
        _checks(
            tmp_path,
            "Oracle agreed to supply 4.5 GW of capacity, a deal worth $300 billion over "
            "five years.\n",
        ),
        "money against power",
    )
    assert deal["verdict"] == "not comparable"
    assert "revenue" in deal["describe"]


def test_a_single_figure_does_not_restate_a_range_in_another_sentence(tmp_path: Path) -> None:
    """'20%' was taken as '13% to 27%' stated again: its midpoint, by chance."""
    checks = _checks(
        tmp_path,
        "Data centers may need 13% to 27% more power. Cloud revenue rose 20% in the quarter.\n",
    )
    assert [c["text"] for c in checks if c["kind"] == "stated-twice"] == []
