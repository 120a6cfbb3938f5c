"""Derivation trees: the structure, its text, its JSON, and ``calc explain``."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

import calc
from calc.analysis.explain import Explanation, names_in_order, substitute
from calc.cli import app
from calc.lang.formula import parse_formula
from calc.units.registry import Q_

from .conftest import SEED_SCENARIO
from .update_golden import GOLDEN, output_of

runner = CliRunner()


# --- the structure ------------------------------------------------------------


def test_explain_returns_the_tree_of_steps(seed_result):
    tree = seed_result.explain("rack_count")
    assert isinstance(tree, Explanation)
    root = tree.root
    assert (root.name, root.kind, root.formula) == (
        "rack_count",
        "derived",
        "it_power / rack_power",
    )
    assert root.substituted == "23.1 GW / (120 kW/rack)"
    assert root.value.to("rack").magnitude == pytest.approx(30e9 / 1.3 / 120e3)
    assert [s.name for s in root.uses] == ["it_power", "rack_power"]
    assert [s.name for s in tree.steps()] == [
        "rack_count",
        "it_power",
        "planned_power",
        "pue",
        "planned_power_is_facility",
        "rack_power",
    ]
    assert [(s.name, s.kind) for s in tree.inputs()] == [
        ("planned_power", "stated"),
        ("pue", "assumption"),
        ("planned_power_is_facility", "assumption"),
        ("rack_power", "reference"),
    ]
    assert [s.id for s in tree.sources()] == list(seed_result.sources("rack_count"))
    assert repr(tree) == "<Explanation of rack_count: 6 steps, 4 inputs>"
    assert repr(root) == "<Step rack_count = 192,308 racks (uses it_power, rack_power)>"


def test_inputs_carry_their_citations_and_whether_each_was_verified(seed_result):
    steps = {s.name: s for s in seed_result.explain("rack_count").steps()}
    (stated,) = steps["planned_power"].citations
    assert (stated.source.id, stated.verified) == ("seed-003", True)
    assert stated.quote == "invest $1.4 trillion to develop 30 gigawatts of computing power"
    reference, relay = steps["rack_power"].citations
    assert (reference.source.id, reference.verified) == ("ref:gb200-nvl72-rack-power", False)
    assert (relay.source.id, relay.verified) == ("ref:gb300-nvl72-rack-power", False)
    assert steps["pue"].note is not None and steps["pue"].note.startswith(
        "Power usage effectiveness of a new large build"
    )
    assert steps["pue"].is_input and not steps["it_power"].is_input


def test_a_quantity_read_twice_is_one_step(seed_result):
    tree = seed_result.explain("share_of_us_electricity")
    facility = tree.root.uses[0].uses[0]
    assert facility.name == "facility_power"
    pue_direct = facility.uses[1]
    pue_in_it_power = facility.uses[0].uses[1]
    assert pue_direct is pue_in_it_power
    assert [s.name for s in tree.steps()].count("pue") == 1


def test_derived_values_show_their_further_units(seed_result):
    root = seed_result.explain("per_home_load").root
    assert root.display() == "1.2 kW/home (10,512 kWh/home/yr)"


def test_names_are_listed_in_reading_order_without_function_names():
    assert names_in_order(parse_formula("max(b, a) / b ** c")) == ["b", "a", "c"]


def test_substitute_brackets_compound_units_and_negative_values():
    values = {"a": Q_(30.0, "GW"), "b": Q_(120.0, "kW/rack"), "c": Q_(-2.0)}
    assert substitute(parse_formula("a / b * c"), values) == "30 GW / (120 kW/rack) * (-2)"
    assert substitute(parse_formula("b"), values) == "120 kW/rack"


def test_substitute_handles_a_formula_over_several_lines():
    values = {"a": Q_(30.0, "GW"), "bb": Q_(2.0, "h")}
    assert substitute(parse_formula("(a *\n   bb)"), values) == "(30 GW * 2 h)"


def test_an_unknown_name_suggests_the_closest(seed_result):
    with pytest.raises(calc.UnknownNameError) as caught:
        seed_result.explain("per_home_lod")
    assert str(caught.value) == (
        f"{SEED_SCENARIO} has no quantity 'per_home_lod'; did you mean 'per_home_load'?"
    )
    assert caught.value.suggestions == ("per_home_load",)


def test_a_claim_name_points_at_its_sides(seed_result):
    with pytest.raises(calc.UnknownNameError) as caught:
        seed_result.explain("homes_equivalence")
    assert str(caught.value) == (
        "'homes_equivalence' is a claim, not a quantity; explain its sides instead: "
        "claimed homes_equivalent, implied homes_at_reference_use"
    )


# --- the text -----------------------------------------------------------------


def test_str_prints_the_tree(seed_result):
    assert (
        str(seed_result.explain("cost_per_gw"))
        == """\
cost_per_gw = 46.7 billion USD/GW  [derived]
│  = planned_investment / planned_power
│  = 1.4 trillion USD / 30 GW
├─ planned_investment = 1.4 trillion USD  [stated]
│     source seed-003, quote verified: “OpenAI CEO Sam Altman has announced plans to invest $1.4
│       trillion”
└─ planned_power = 30 GW  [stated]
      source seed-003, quote verified: “invest $1.4 trillion to develop 30 gigawatts of computing
        power”

cost_per_gw rests on 2 inputs: 2 stated figures.

sources:
  seed-003: unattributed news article (dateline TAIPEI / BENGALURU), “Foxconn Partners with OpenAI
    to Build Next-Generation AI Hardware”, 2025-11-21, 003_dad698e8bbde9b79.txt (quotes verified)
"""
    )


def test_a_shared_sub_tree_is_printed_once_then_referred_to(seed_result):
    lines = str(seed_result.explain("share_of_us_electricity")).splitlines()
    assert sum(line.endswith("pue = 1.3  [assumption]") for line in lines) == 1
    assert "│  │  └─ pue = 1.3  [assumption, see above]" in lines
    assert sum("source ref:uptime-new-builds-pue-2024" in line for line in lines) == 1


def test_an_external_figure_is_shown_unverified_with_its_grade(seed_result):
    text = str(seed_result.explain("gpus_per_rack"))
    assert text.splitlines()[:3] == [
        "gpus_per_rack = 72 GPU/rack  [reference]",
        "   source ref:gb200-nvl72-gpus-per-rack [S], quote unverified: \u201c72 Blackwell GPUs "
        "and 36 Grace",
        "     CPUs in a single liquid-cooled rack\u201d; figure: \u201clibrary: 72 GPU/rack, year "
        "2024, basis chips\u201d",
    ]
    assert "gpus_per_rack is an input (reference)." in text
    text = str(seed_result.explain("huang_gpus_per_gw"))
    assert text.splitlines()[2:4] == [
        "   source huang-gpus-per-gw-2025 [S], figure unverified: \u201c4\u20135 million GPUs per "
        "10 GW, i.e. 2\u20132.5",
        "     kW per GPU all-in\u201d",
    ]


def test_every_line_fits_in_100_columns_but_urls_are_never_broken(seed_result):
    for name in seed_result:
        for line in str(seed_result.explain(name)).splitlines():
            assert len(line) <= 100 or "https://" in line, (name, line)


def test_a_long_chain_of_derived_quantities_does_not_exhaust_the_stack(tmp_path):
    steps = 1200  # deeper than Python's default recursion limit
    lines = [
        "title: chain",
        "inputs:",
        "  x0:",
        "    value: 1 GW",
        "    kind: assumption",
        "    source: seed-003",
        "    note: a start",
        "derived:",
    ]
    for i in range(1, steps + 1):
        lines += [f"  x{i}:", f"    formula: x{i - 1} + x{i - 1} * 0", "    unit: GW"]
    path = tmp_path / "chain.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tree = calc.load_scenario(path).evaluate().explain(f"x{steps}")
    text = str(tree)
    assert len(tree.steps()) == steps + 1
    assert text.splitlines()[0] == f"x{steps} = 1 GW  [derived]"
    assert json.dumps(tree.to_json())  # flat: no nesting to recurse into


def test_a_lattice_of_shared_steps_prints_in_linear_time(tmp_path):
    """Each level reads the one below twice, through two names: 2**40 paths, 81 steps."""
    levels = 40
    lines = [
        "title: lattice",
        "inputs:",
        "  a0:",
        "    value: 1 GW",
        "    kind: assumption",
        "    source: seed-003",
        "    note: a start",
        "derived:",
    ]
    for i in range(1, levels + 1):
        lines += [
            f"  b{i}:",
            f"    formula: a{i - 1}",
            "    unit: GW",
            f"  a{i}:",
            f"    formula: (a{i - 1} + b{i}) / 2",
            "    unit: GW",
        ]
    path = tmp_path / "lattice.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = calc.load_scenario(path).evaluate()
    start = time.perf_counter()
    text = str(result.explain(f"a{levels}"))
    assert time.perf_counter() - start < 5
    assert len(text.splitlines()) < 10 * levels
    assert text.count("see above") == levels


# --- JSON ---------------------------------------------------------------------


def test_json_lists_each_step_once_with_its_uses(seed_result):
    data = seed_result.explain("cost_per_gw").to_json()
    assert data == {
        "scenario": {
            "title": "OpenAI's 30 GW, $1.4 trillion build-out",
            "path": str(SEED_SCENARIO),
        },
        "name": "cost_per_gw",
        "steps": {
            "cost_per_gw": {
                "kind": "derived",
                "value": pytest.approx(4.6667e10, rel=1e-4),
                "unit": "USD / gigawatt",
                "display": "46.7 billion USD/GW",
                "formula": "planned_investment / planned_power",
                "substituted": "1.4 trillion USD / 30 GW",
                "uses": ["planned_investment", "planned_power"],
                "note": None,
            },
            "planned_investment": {
                "kind": "stated",
                "value": 1400000000000,
                "unit": "USD",
                "display": "1.4 trillion USD",
                "citations": [
                    {
                        "source": "seed-003",
                        "quote": "OpenAI CEO Sam Altman has "
                        "announced plans to invest $1.4 trillion",
                        "figure": None,
                        "verified": True,
                    }
                ],
                "uncertainty": None,
                "note": None,
            },
            "planned_power": {
                "kind": "stated",
                "value": 30,
                "unit": "gigawatt",
                "display": "30 GW",
                "citations": [
                    {
                        "source": "seed-003",
                        "quote": "invest $1.4 trillion to develop 30 gigawatts of computing power",
                        "figure": None,
                        "verified": True,
                    }
                ],
                "uncertainty": None,
                "note": None,
            },
        },
        "sources": {
            "seed-003": {
                "kind": "seed",
                "publisher": "unattributed news article (dateline TAIPEI / BENGALURU)",
                "title": "Foxconn Partners with OpenAI to Build Next-Generation AI Hardware",
                "date": "2025-11-21",
                "url": None,
                "file": "003_dad698e8bbde9b79.txt",
                "grade": None,
                "grade_means": None,
            }
        },
    }


def test_json_of_derived_steps_with_further_units_and_external_sources(seed_result):
    data = seed_result.explain("per_home_load").to_json()
    assert data["steps"]["per_home_load"]["also"] == [
        {
            "value": pytest.approx(10512.0),
            "unit": "kilowatt_hour / home / year",
            "display": "10,512 kWh/home/yr",
        }
    ]
    pue = seed_result.explain("it_power").to_json()
    assert pue["steps"]["pue"]["citations"] == [
        {
            "source": "ref:uptime-new-builds-pue-2024",
            "quote": "These new constructions have achieved PUEs of 1.3 or even better, "
            "contrasting with the sector average.",
            "figure": "library: 1.3, year 2024, basis average/facility",
            "verified": False,
        }
    ]
    assert (
        pue["sources"]["ref:uptime-new-builds-pue-2024"]["grade_means"]
        == "primary seen through a mirror"
    )


# --- the command line ---------------------------------------------------------


@pytest.mark.parametrize("name", ["rack_count", "share_of_us_electricity"])
def test_explain_matches_its_golden_file(name):
    expected = (GOLDEN / f"explain-{name}.txt").read_text(encoding="utf-8")
    assert output_of(["explain", name]) == expected, (
        "output changed: if on purpose, run  .venv/bin/python -m tests.update_golden"
    )


def test_explain_with_a_file_and_a_name():
    result = runner.invoke(app, ["explain", str(SEED_SCENARIO), "rack_count"])
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "explain-rack_count.txt").read_text(encoding="utf-8")


def test_explain_json_on_the_command_line():
    result = runner.invoke(app, ["explain", "gpu_count", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["scenario", "name", "steps", "sources"]
    assert list(data["steps"]) == [
        "gpu_count",
        "rack_count",
        "it_power",
        "planned_power",
        "pue",
        "planned_power_is_facility",
        "rack_power",
        "gpus_per_rack",
    ]
    assert data["steps"]["gpu_count"]["uses"] == ["rack_count", "gpus_per_rack"]
    assert list(data["sources"]) == [
        "seed-003",
        "ref:gb200-nvl72-rack-power",
        "ref:gb300-nvl72-rack-power",
        "ref:gb200-nvl72-gpus-per-rack",
        "ref:uptime-new-builds-pue-2024",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["explain", "per_home_lod"],
            f"calc: {SEED_SCENARIO} has no quantity 'per_home_lod'; did you mean "
            "'per_home_load'?\n",
        ),
        (
            ["explain", "homes_equivalence"],
            "calc: 'homes_equivalence' is a claim, not a quantity; explain its sides instead: "
            "claimed homes_equivalent, implied homes_at_reference_use\n",
        ),
        (
            ["explain", "nowhere.yaml", "rack_count"],
            "calc: nowhere.yaml: no such file, and no shipped scenario of that name; check the "
            "path, or name one that ships with calc: openai-30gw, openai-30gw-it-load, "
            "openai-30gw-kyber\n",
        ),
    ],
)
def test_explain_bad_names_exit_2_with_one_line(arguments, message):
    result = runner.invoke(app, arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["explain"], "give the name of a quantity to explain, as in calc explain rack_count"),
        (
            ["explain", "scenarios/openai-30gw.yaml"],
            "give the name of a quantity after the file: calc explain scenarios/openai-30gw.yaml "
            "NAME",
        ),
        (["explain", "a.yaml", "b", "c"], "unexpected extra argument"),  # click's wording varies
    ],
)
def test_explain_usage_errors_exit_2(arguments, complaint):
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2
    assert complaint in " ".join(line.strip(" │") for line in result.stderr.splitlines())


def _derived_names() -> list[str]:
    return list(calc.load_scenario(SEED_SCENARIO).derived)


@pytest.mark.parametrize("name", _derived_names())
def test_each_substituted_line_is_an_eval_expression_giving_the_value(seed_result, name):
    """What explain prints can be pasted into calc eval; it agrees to display precision."""
    root = seed_result.explain(name).root
    assert root.substituted is not None
    ratio = calc.evaluate_expression(root.substituted) / seed_result[name]
    assert ratio.to("dimensionless").magnitude == pytest.approx(1, rel=1e-2)


@pytest.mark.parametrize(
    ("name", "figure"),
    [
        ("huang_gpus_per_gw", "4\u20135 million GPUs per 10 GW, i.e. 2\u20132.5 kW per GPU all-in"),
        (
            "load_factor",
            "many data centers ~50% capacity utilization; utilities assume 90\u2013100% load "
            "factor",
        ),
    ],
)
def test_an_input_without_its_own_quote_shows_the_catalogued_figure(seed_result, name, figure):
    """Not the catalogue's quote, which may be about another figure (rack power) (#18)."""
    (citation,) = seed_result.explain(name).to_json()["steps"][name]["citations"]
    assert (citation["quote"], citation["figure"]) == (None, figure)
    assert "quote unverified" not in str(seed_result.explain(name))
    from calc.render.report import render_report

    report = render_report(seed_result)
    assert f"({seed_result.scenario.inputs[name].kind}): figure as catalogued: {figure}" in report
    assert "120kW per rack (give or take)" not in report.split("## Inputs")[-1].split("## ")[0]
