"""Loading scenario files: every bad input gets one located, actionable message."""

from __future__ import annotations

from pathlib import Path

import pytest

import calc
from calc.errors import (
    CycleError,
    ExpressionError,
    ScenarioFileError,
    SourceError,
    UnitError,
    UnknownNameError,
)

from .conftest import ROOT, line_of


def test_the_seed_scenario_loads_with_its_parts(seed_scenario):
    assert seed_scenario.title == "OpenAI's 30 GW, $1.4 trillion build-out"
    assert seed_scenario.inputs["planned_power"].kind == "stated"
    assert seed_scenario.inputs["household_use"].kind == "reference"
    assert seed_scenario.inputs["pue"].kind == "assumption"
    assert {
        "per_home_load",
        "cost_per_gw",
        "it_power",
        "rack_count",
        "gpu_count",
        "cost_per_rack",
        "annual_energy",
        "share_of_us_electricity",
        "homes_at_reference_use",
    } <= set(seed_scenario.derived)
    assert {"homes_equivalence", "cost_per_gw_vs_industry", "foxconn_deal_value"} <= set(
        seed_scenario.claims
    )


def test_stated_inputs_carry_verified_quotes(seed_scenario):
    citations = seed_scenario.inputs["foxconn_committed_value"].citations
    assert [c.source.id for c in citations] == ["seed-002", "seed-001", "seed-003"]
    assert all(c.verified for c in citations)
    eia = seed_scenario.inputs["household_use"].citations[0]
    assert not eia.verified
    assert eia.source.id == "ref:eia-household-2022"  # the library's figure, with its own quote
    assert eia.quote == (
        "In 2022, the average annual amount of electricity sold to (purchased by) a U.S. "
        "residential electric-utility customer was 10,791 kilowatthours (kWh), an average of "
        "about 899 kWh per month."
    )


def test_derived_quantities_keep_file_order_where_dependencies_allow(seed_scenario):
    order = list(seed_scenario.derived)
    assert order.index("household_load") < order.index("homes_at_reference_use")
    assert order.index("annual_energy") < order.index("homes_by_annual_energy")
    assert order.index("facility_power") < order.index("homes_at_reference_use")
    assert order[:3] == ["per_home_load", "household_load", "cost_per_gw"]


def test_a_loaded_scenario_is_immutable(seed_scenario):
    with pytest.raises(TypeError):
        seed_scenario.inputs["pue"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        seed_scenario.title = "x"  # type: ignore[misc]


def _message(error: type[Exception], path: Path) -> str:
    with pytest.raises(error) as info:
        calc.load_scenario(path)
    return str(info.value)


def test_misspelled_name_suggests_the_right_one(variant):
    path = variant(
        (
            "formula: planned_investment / planned_power",
            "formula: planned_investment / planed_power",
        )
    )
    line = line_of(path, "  cost_per_gw:", "formula:")
    assert _message(UnknownNameError, path) == (
        f"{path}:{line}: derived.cost_per_gw.formula: 'planed_power' in the formula of "
        "'cost_per_gw' is not defined; did you mean 'planned_power' or "
        "'planned_power_is_facility' or 'rack_power'?"
    )


def test_misspelled_name_in_a_claim(variant):
    path = variant(("implied: homes_at_reference_use", "implied: homes_at_reference"))
    line = line_of(path, "  homes_equivalence:", "implied:")
    assert _message(UnknownNameError, path) == (
        f"{path}:{line}: claims.homes_equivalence.implied: 'homes_at_reference' in the claim "
        "'homes_equivalence' is not defined; did you mean 'homes_at_reference_use'?"
    )


def test_a_unit_of_the_wrong_dimension_points_at_the_input(variant):
    # a stated value must be what its quote says (#19); as an assumption it may differ
    path = variant(
        ("value: 30 GW\n    kind: stated", "value: 30 GWh\n    kind: assumption\n    note: what if")
    )
    line = line_of(path, "  planned_power:", "value:")
    assert _message(UnitError, path) == (
        f"{path}:{line}: inputs.planned_power.value: '30 GWh' is an energy, but planned_power "
        "is used as a power (in kW, say) in per_home_load = planned_power / homes_equivalent "
        "(shown in kW/home); give a power instead"
    )


def test_a_declared_unit_that_does_not_match_its_formula(variant):
    path = variant(
        (
            "    formula: it_power / rack_power\n    unit: rack",
            "    formula: it_power / rack_power\n    unit: GW",
        )
    )
    line = line_of(path, "  rack_count:", "unit:")
    assert _message(UnitError, path) == (
        f"{path}:{line}: derived.rack_count.unit: 'GW' is a power, but the formula "
        "it_power / rack_power gives a count of racks (rack) from it_power = 23.1 GW (a power), "
        "rack_power = 120 kW/rack (a power per rack); correct the unit, or the units of the "
        "inputs"
    )


@pytest.mark.parametrize(
    ("derived", "formula", "unit", "message"),
    [
        (
            "cost_per_gw",
            "planned_investment / planned_power",
            "billion USD/GWh",
            "'billion USD/GWh' is a price of energy, but the formula planned_investment / "
            "planned_power gives a cost per unit of power (USD/GW) from planned_investment = "
            "1.4 trillion USD (money), planned_power = 30 GW (a power); correct the unit, or "
            "the units of the inputs",
        ),
        (
            "per_home_load",
            "planned_power / homes_equivalent",
            "kWh/home\n    also: [kWh/home]",
            "'kWh/home' is an energy per home, but the formula planned_power / "
            "homes_equivalent gives a power per home (GW/home) from homes_equivalent = 25 "
            "million homes (a count of homes), planned_power = 30 GW (a power); correct the "
            "unit, or the units of the inputs",
        ),
    ],
)
def test_a_wrong_derived_unit_is_blamed_on_its_line_not_on_a_quoted_input(
    variant, derived, formula, unit, message
):
    """planned_power's 30 GW is what its quote says (#13): the `unit:` line is wrong."""
    right = {"cost_per_gw": "billion USD/GW", "per_home_load": "kW/home\n    also: [kWh/yr/home]"}
    path = variant(
        (
            f"    formula: {formula}\n    unit: {right[derived]}",
            f"    formula: {formula}\n    unit: {unit}",
        )
    )
    line = line_of(path, f"  {derived}:", "unit:")
    assert _message(UnitError, path) == f"{path}:{line}: derived.{derived}.unit: {message}"


def test_a_wrong_derived_unit_is_not_blamed_on_a_library_figure(variant):
    """rack_power cites ref:gb200-nvl72-rack-power, a power per rack, checked on load."""
    path = variant(
        (
            "    formula: it_power / rack_power\n    unit: rack",
            "    formula: it_power / rack_power\n    unit: rack*h",
        )
    )
    line = line_of(path, "  rack_count:", "unit:")
    assert _message(UnitError, path).startswith(
        f"{path}:{line}: derived.rack_count.unit: 'h·rack' is "
    )


def test_an_unknown_unit(variant):
    path = variant(("value: 120 kW/rack", "value: 120 kW/rak"))
    line = line_of(path, "    value: 120 kW/rak")
    assert _message(UnitError, path) == (
        f"{path}:{line}: inputs.rack_power.value: '120 kW/rak' does not parse as a quantity "
        "(unknown unit 'rak'); give a number and a unit such as '30 GW', '$1.4 trillion' or "
        "'120 kW/rack'"
    )


def test_a_quote_that_is_not_in_its_seed(variant):
    path = variant(
        (
            "quote: in a deal valued at about $5 billion",
            "quote: in a deal valued at about $6 billion",
        )
    )
    line = line_of(path, "  foxconn_deal_value:", "quote:")
    assert _message(SourceError, path) == (
        f"{path}:{line}: inputs.foxconn_deal_value.quote: quote 'in a deal valued at about "
        "$6 billion' is not in seed-000 (000_e48b3f4221d41e9b.txt); the words 'in a deal "
        "valued at about $6 billion' were not found; copy the words exactly from the article, "
        "whole words and numbers"
    )


def test_a_cycle_names_the_loop(variant):
    path = variant(
        ("formula: it_power / rack_power", "formula: facility_power / rack_power"),
        ("formula: it_power * pue", "formula: rack_count * rack_power * pue"),
    )
    line = line_of(path, "  facility_power:", "formula:")
    assert _message(CycleError, path) == (
        f"{path}:{line}: derived.facility_power.formula: derived quantities depend on each other "
        "in a loop: facility_power -> rack_count -> facility_power; break the loop by making "
        "one of them an input"
    )


def test_malformed_yaml(variant):
    path = variant(("  rack_power:\n", "  rack_power: [\n"))
    assert _message(ScenarioFileError, path) == (
        # the parser notices the unclosed '[' on the next key that cannot be in it
        f"{path}:{line_of(path, '    range: [120 kW/rack')}: is not valid YAML: did not find "
        "expected ',' or ']'; check the indentation and quoting on this line"
    )


def test_a_source_that_is_not_in_the_catalogue(variant):
    path = variant(("source: norris-load-factor-2025", "source: norris-2025"))
    line = line_of(path, "    source: norris-2025")
    assert _message(SourceError, path) == (
        f"{path}:{line}: inputs.load_factor.source: source 'norris-2025' is not in the "
        f"catalogue {ROOT / 'seeds' / 'catalogue.yaml'}; did you mean "
        "'norris-load-factor-2025'? add it there or cite one that is"
    )


def test_an_input_without_any_source(variant):
    path = variant(("    source: norris-load-factor-2025\n", ""))
    line = line_of(path, "  load_factor:")
    assert _message(ScenarioFileError, path) == (
        f"{path}:{line}: inputs.load_factor: has no source; every number needs one: add "
        "'source' (a catalogue id) and, for a figure stated in a seed article, its 'quote'"
    )


def test_a_stated_figure_without_a_quote(variant):
    path = variant(("    quote: in a deal valued at about $5 billion\n", ""))
    line = line_of(path, "  foxconn_deal_value:")
    assert _message(ScenarioFileError, path) == (
        f"{path}:{line}: inputs.foxconn_deal_value: is 'stated' by 'seed-000' but has no quote; "
        "add the article's exact words as 'quote'"
    )


def test_a_negative_count(variant):
    path = variant(("value: 25 million homes", "value: -25 million homes"))
    line = line_of(path, "    value: -25 million homes")
    assert _message(ScenarioFileError, path) == (
        f"{path}:{line}: inputs.homes_equivalent.value: '-25 million homes' is a negative "
        "count of homes; a count is zero or more"
    )


def test_an_assumption_needs_a_rationale(variant):
    path = variant(
        (
            """    source: norris-load-factor-2025
    note: >-
      Average draw as a share of capacity, between the ~50% utilization seen at many
      data centers and the 90-100% that utilities plan for; PERT keeps it within 0.5-1.
""",
            "    source: norris-load-factor-2025\n",
        )
    )
    line = line_of(path, "  load_factor:")
    assert _message(ScenarioFileError, path) == (
        f"{path}:{line}: inputs.load_factor: is an assumption without a rationale; add a 'note' "
        "saying why this value was chosen"
    )


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "__import__('os').system('ls')",
            "formula \"__import__('os').system('ls')\" uses a call of something that is not a "
            "function name at column 1 (\"__import__('os').system('ls')\"), which is not allowed; "
            "formulas use names, numbers, + - * / **, parentheses and the functions abs, exp, "
            "log, max, min, sqrt",
        ),
        (
            "gpu_count.real",
            "formula 'gpu_count.real' uses attribute access at column 1 ('gpu_count.real'), which "
            "is not allowed; formulas use names, numbers, + - * / **, parentheses and the "
            "functions abs, exp, log, max, min, sqrt",
        ),
        (
            "shell(gpu_count)",
            "formula 'shell(gpu_count)' calls the unknown function 'shell' at column 1; the "
            "functions are abs, exp, log, max, min, sqrt",
        ),
        (
            "gpu_count ** 10 ** 10",
            "formula 'gpu_count ** 10 ** 10' stacks powers at column 14 ('gpu_count ** 10 ** "
            "10'); a power's exponent may not itself contain '**'",
        ),
        (
            "gpu_count ** 1000",
            "formula 'gpu_count ** 1000' raises to the power 1000 at column 14; exponents are at "
            "most 64",
        ),
    ],
)
def test_formulas_outside_the_whitelist(variant, formula, message):
    path = variant(("formula: gpu_count / planned_power", f'formula: "{formula}"'))
    line = line_of(path, "  gpus_per_gw:", "formula:")
    assert (
        _message(ExpressionError, path) == f"{path}:{line}: derived.gpus_per_gw.formula: {message}"
    )


def test_an_unknown_field_is_reported_with_its_line(variant):
    path = variant(
        (
            "    kind: assumption\n    source: ref:uptime-new-builds-pue-2024",
            "    kind: assumption\n    sorce: x\n    source: ref:uptime-new-builds-pue-2024",
        )
    )
    line = line_of(path, "    sorce: x")
    assert _message(ScenarioFileError, path) == (
        f"{path}:{line}: inputs.pue.sorce: is not a known field (value 'x'); check its spelling "
        "or remove it"
    )


def test_a_wrong_kind_lists_the_allowed_ones(variant):
    path = variant(
        ("    kind: assumption\n    source: ref:uptime", "    kind: guess\n    source: ref:uptime")
    )
    line = line_of(path, "    kind: guess")
    assert _message(ScenarioFileError, path) == (
        f"{path}:{line}: inputs.pue.kind: 'guess' is not allowed; use one of 'stated', "
        "'reference' or 'assumption'"
    )


def test_a_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    assert _message(ScenarioFileError, path) == f"{path}: no such file; check the path"


def test_a_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    assert _message(ScenarioFileError, path) == (
        f"{path}:1: is not a scenario: expected a mapping with 'title' and 'inputs' at the top "
        "level"
    )


def test_yaml_tags_are_refused_by_the_safe_loader(tmp_path):
    path = tmp_path / "tag.yaml"
    path.write_text("title: !!python/object/apply:os.system ['echo hacked']\ninputs: {}\n")
    message = _message(ScenarioFileError, path)
    assert message.startswith(
        f"{path}:1: is not valid YAML: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )


def test_billion_laughs_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert "expands to more than 100,000 values (through aliases?)" in _message(
        ScenarioFileError, path
    )


def test_a_scenario_may_name_its_catalogue(tmp_path, variant):
    catalogue = ROOT / "seeds" / "catalogue.yaml"
    path = variant(("title: OpenAI", f"catalogue: {catalogue}\ntitle: OpenAI"))
    assert calc.load_scenario(path).catalogue.path == ROOT / "seeds" / "catalogue.yaml"
    missing = variant(("title: OpenAI", "catalogue: nowhere.yaml\ntitle: OpenAI"), name="m.yaml")
    assert _message(ScenarioFileError, missing) == (
        f"{missing}:{line_of(missing, 'catalogue: nowhere')}: catalogue: 'nowhere.yaml' is not "
        "a file (looked for "
        f"{tmp_path / 'nowhere.yaml'}); give the catalogue's path relative to this scenario"
    )
