"""What a notebook shows (#20): readable frames and quantities, named what-ifs, one
verdict table, HTML for sensitivity and sweeps, plots that say what they draw,
colours that read on a dark theme, and the interactive what-if."""

from __future__ import annotations

import re

import numpy as np
import pytest
from IPython.lib.pretty import pretty

import calc
from calc.render import html

SCIENTIFIC = re.compile(r"\d\.?\d*e[+-]\d")


@pytest.fixture(scope="module")
def sampled(seed_scenario):
    return seed_scenario.evaluate(samples=4000, seed=2)


@pytest.fixture(scope="module")
def kyber(seed_scenario):
    return seed_scenario.with_inputs(rack_power="600 kW/rack")


def _frames(seed_scenario, sampled, kyber):
    return {
        "to_frame": sampled.to_frame(),
        "summary": sampled.summary(),
        "compare": calc.compare(seed_scenario, kyber),
        "sweep": seed_scenario.sweep({"rack_power": ["100 kW/rack", "133 kW/rack"]}, ["gpu_count"]),
        "sensitivity": seed_scenario.sensitivity("rack_count", samples=2000).table(),
    }


@pytest.mark.parametrize("which", ["to_frame", "summary", "compare", "sweep", "sensitivity"])
def test_frames_display_readably_and_keep_raw_numbers(seed_scenario, sampled, kyber, which):
    frame = _frames(seed_scenario, sampled, kyber)[which]
    shown = re.sub(r"data:image/png;base64,[^\"]*", "", frame._repr_html_()) + repr(frame)
    assert not SCIENTIFIC.search(shown), shown
    # no fractional counts or long fractions: at most three significant digits after a point
    assert not re.search(r"\d\.\d{4,}", shown)
    numbers = frame.select_dtypes("number").to_numpy(dtype=float)
    assert np.any(numbers != np.round(numbers))  # the data keep their raw precision


@pytest.mark.parametrize(
    ("name", "column", "shown"),
    [
        ("cost_per_gw", "value", "46.7 billion"),
        ("planned_investment", "value", "1.4 trillion"),
        ("rack_count", "value", "192,308"),
        ("gpu_count", "p95", " million"),
    ],
)
def test_to_frame_cells_read_as_the_terminal(sampled, name, column, shown):
    frame = sampled.to_frame()
    html_text = frame._repr_html_()
    row = frame.set_index("name").loc[name]
    assert shown in html_text and shown.strip() in repr(frame)
    assert row[column] > 1000  # raw number, not the text
    line = next(line for line in repr(frame).splitlines() if line.startswith(name + " "))
    assert shown.strip() in line


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("$1.4 trillion / 30 GW", "46.7 billion USD/GW"),
        ("30 GW / 120 kW/rack", "250,000 racks"),
        ("1.2 kW * 1 yr", "10.5 MWh"),
        ("5e6 USD / 3", "1.67 million USD"),
    ],
)
def test_a_bare_quantity_displays_readably(expression, shown):
    quantity = calc.evaluate_expression(expression)
    assert quantity._repr_html_() == shown
    assert pretty(quantity) == shown
    assert quantity._repr_markdown_() == shown


def test_result_items_and_arrays_display(seed_result, sampled):
    assert pretty(seed_result["cost_per_gw"]) == "46.7 billion USD/GW"
    assert re.fullmatch(
        r"4,000 values: 5% 1\d\d,\d{3}, 50% 1\d\d,\d{3}, 95% 2\d\d,\d{3} racks",
        pretty(sampled["rack_count"]),
    )
    assert pretty(sampled["planned_power"]) == "4,000 values, all 30 GW"
    assert calc.Q_([1.5e9, 2e9], "USD")._repr_html_() == "[1.5, 2] billion USD"
    assert "Magnitude" in calc.Q_([float("nan")] * 2, "USD")._repr_html_()  # pint's own


def test_one_spelling_per_unit(seed_scenario, seed_result, kyber):
    frame = seed_result.to_frame().set_index("name")
    table = calc.compare(seed_scenario, kyber)
    compared = table[table.quantity == "cost_per_gw"].unit.iloc[0]
    assert frame.loc["cost_per_gw", "unit"] == compared == "USD/GW"
    assert frame.loc["rack_count", "unit"] == "racks"


def test_an_uncertainty_spells_its_units_as_the_value_does(seed_scenario, seed_result):
    """The range of household_use read 'kWh/yr/home', as the file wrote it, beside a
    value shown as 'kWh/home/yr' (#20): one formatter for both."""
    uncertainty = seed_scenario.inputs["household_use"].uncertainty
    assert uncertainty.describe() == ("lognormal, 90% in [10,260 kWh/home/yr, 10,791 kWh/home/yr]")
    explained = seed_result.explain("household_load")
    for shown in (str(explained), explained._repr_html_(), seed_scenario._repr_html_()):
        assert "10,791 kWh/home/yr" in shown and "kWh/yr/home" not in shown


@pytest.mark.parametrize(
    ("overrides", "label"),
    [
        ({"rack_power": "600 kW/rack"}, "rack_power = 600 kW/rack"),
        ({"pue": 1.2, "rack_power": "600 kW/rack"}, "rack_power = 600 kW/rack, pue = 1.2"),
        ({"planned_investment": "$2 trillion"}, "planned_investment = 2 trillion USD"),
    ],
)
def test_a_what_if_is_named_by_what_changed(seed_scenario, overrides, label):
    table = calc.compare(seed_scenario, seed_scenario.with_inputs(**overrides))
    assert list(dict.fromkeys(table.scenario)) == ["openai-30gw", label]


def test_compare_takes_names_and_keeps_labels_apart(seed_scenario):
    table = calc.compare(seed_scenario, seed_scenario, names=["as loaded", "copy"])
    assert list(dict.fromkeys(table.scenario)) == ["as loaded", "copy"]
    same = calc.compare(seed_scenario, seed_scenario)
    assert list(dict.fromkeys(same.scenario)) == ["openai-30gw", "openai-30gw (2)"]


@pytest.mark.parametrize("names", [["one"], ["a", "b", "c"], "ab"])
def test_compare_refuses_names_that_do_not_match(seed_scenario, names):
    with pytest.raises(calc.CalcError, match=r"compare got 2 scenarios but \d names"):
        calc.compare(seed_scenario, seed_scenario, names=names)


def test_a_what_if_result_says_what_was_changed(kyber):
    result = kyber.evaluate()
    note = "what if rack_power = 600 kW/rack (was 120 kW/rack)"
    assert result.title.endswith(": " + note)
    assert note in result._repr_html_()


@pytest.mark.parametrize("samples", [None, 3000])
def test_the_verdicts_are_one_table(seed_scenario, samples):
    result = seed_scenario.evaluate(samples=samples, seed=1)
    shown = result.verdicts._repr_html_()
    assert shown.count("<table") == 1 and shown.count("<thead>") == 1
    assert all(f"<code>{v.name}</code>" in shown for v in result.verdicts)
    assert ("implied 90% interval" in shown) == bool(samples)
    assert result.verdicts == tuple(result.verdicts)  # still a tuple
    assert ">1.03\u00d7<" in shown


def test_explanation_html_says_what_the_text_says(seed_result):
    shown = seed_result.explain("rack_count")._repr_html_()
    assert "uncertain: normal, 90% in [1.1, 1.4]" in shown or "uncertain: " in shown
    assert "rack_count rests on 4 inputs" in shown
    assert "note: GB200 NVL72-class rack" in shown
    assert re.search(r"</a> \[[A-Z]\]", shown)  # a source's grade


def test_a_what_if_can_be_explained(kyber):
    explanation = kyber.evaluate().explain("rack_count")
    assert "1 value set for this run" in str(explanation)
    assert "1 value set for this run" in explanation._repr_html_()


@pytest.mark.parametrize(
    ("vary", "outputs", "title", "headers"),
    [
        (
            {"rack_power": ["100 kW/rack", "600 kW/rack"]},
            ["rack_count", "gpu_count"],
            "rack_count, gpu_count by rack_power (100 to 600 kW/rack)",
            ["rack_power (kW/rack)", "rack_count (racks)", "gpu_count (GPUs)"],
        ),
        (
            {"pue": [1.1, 1.5], "planned_investment": ["$1 trillion", "$2 trillion"]},
            ["cost_per_rack"],
            "cost_per_rack by pue (1.1 to 1.5) and planned_investment (1 to 2 trillion USD)",
            ["pue", "planned_investment (USD)", "cost_per_rack (million USD/rack)"],
        ),
    ],
)
def test_a_sweep_is_titled_by_what_is_swept_and_spells_units_as_calc_does(
    seed_scenario, vary, outputs, title, headers
):
    """Sweep plots were titled by the scenario, and headers said 'rack_count (rack)' where
    every other table says 'racks' (#20)."""
    table = seed_scenario.sweep(vary, outputs)
    assert list(table.columns) == headers
    figure = table.figure()
    assert figure._suptitle.get_text() == title
    labels = [ax.get_ylabel() for ax in figure.axes] + [ax.get_xlabel() for ax in figure.axes]
    assert all("(rack)" not in label and "(GPU)" not in label for label in labels)


def test_a_sensitivity_table_spells_units_as_calc_does(seed_scenario):
    table = seed_scenario.sensitivity("rack_count", samples=1000).table().set_index("input")
    assert table.loc["pue", "output_unit"] == "racks"  # it said 'rack'
    assert table.loc["rack_power", "input_unit"] == "kW/rack"


def test_sensitivity_and_sweep_show_a_table_and_a_plot(seed_scenario):
    shown = seed_scenario.sensitivity("rack_count", samples=2000)._repr_html_()
    assert "<h4>What moves rack_count</h4>" in shown and "data:image/png;base64," in shown
    table = seed_scenario.sweep({"pue": [1.1, 1.3, 1.5]}, ["rack_count"])
    assert "data:image/png;base64," in table._repr_html_()
    figure = table.figure()
    assert figure.axes[0].get_ylabel() == "rack_count (racks)"
    assert "data:image" not in table.head(2)._repr_html_()  # a slice is a plain table


@pytest.mark.parametrize("names", ["rack_count", ["rack_count"], ["rack_count", "cost_per_gpu"]])
def test_histograms_name_their_quantities(sampled, names):
    figure = sampled.plot(names)
    wanted = [names] if isinstance(names, str) else names
    assert figure._suptitle.get_text() == f"{', '.join(wanted)}: 4,000 samples"
    for ax in figure.axes:
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        assert 2 <= len(labels) <= 6
        point = next(line for line in ax.lines if line.get_label().startswith("point"))
        median = next(line for line in ax.lines if line.get_label().startswith("50%"))
        assert median.get_zorder() > point.get_zorder()


def test_plot_from_python_asks_for_samples_not_the_flag(seed_result):
    with pytest.raises(calc.CalcError) as info:
        seed_result.plot("rack_count")
    assert "samples=N" in str(info.value) and "--samples" not in str(info.value)


def test_a_tornado_says_which_inputs_have_no_effect(seed_scenario):
    # facility power is the stated 30 GW whatever the PUE: PUE moves it_power only
    figure = seed_scenario.sensitivity("homes_at_reference_use", samples=2000).plot()
    ax = figure.axes[0]
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["household_use"]
    assert ax.get_title().endswith("\nno effect, left out: pue")


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("verdict", list(html.VERDICT_COLOURS))
@pytest.mark.parametrize(
    ("colours", "background"),
    [(html.VERDICT_COLOURS, "#ffffff"), (html.DARK_VERDICT_COLOURS, "#111111")],
)
def test_verdict_colours_contrast(verdict, colours, background):
    # JupyterLab's dark background is #111111; VS Code's #1e1e1e is lighter still
    assert _contrast(colours[verdict], background) >= 4.5
    if background != "#ffffff":
        assert _contrast(colours[verdict], "#1e1e1e") >= 4.5
        assert f"color: {colours[verdict]} !important" in html.dark_theme_style()


def test_cells_are_left_aligned_inline(seed_result):
    shown = seed_result._repr_html_()
    cells = re.findall(r"<t[dh]( [^>]*)?>", shown)
    assert cells and all("text-align: left" in (c or "") for c in cells)


def test_a_point_outside_its_own_band_is_flagged(sampled):
    shown = sampled._repr_html_()
    row = next(r for r in shown.split("<tr>") if "<code>household_use</code>" in r)
    assert "outside its own 5\u201395% band" in row
    rack = next(r for r in shown.split("<tr>") if "<code>cost_per_gw</code>" in r)
    assert "outside" not in rack


def test_interact_redraws_on_a_slider_move(seed_scenario):
    box = calc.interact(seed_scenario, ["rack_count"])
    slider = box.sliders["rack_power"]
    assert (slider.min, slider.max, slider.value) == (120, 132, 120)
    assert "192,308 racks" in box.view.value
    slider.value = 130
    assert "177,515 racks" in box.view.value
    assert box.view.value.count("<table") == 2  # the outputs, the verdicts
    # the inputs left alone keep their sources, and their verdicts are the loaded ones
    assert ">conflict<" in box.view.value and "eia-household-2022" in box.view.value


def test_interact_offers_a_static_page_the_view_as_last_drawn(seed_scenario):
    """A page exported without a kernel showed an empty space where the what-if was (#20):
    the box also offers the inputs and its current view as HTML, beside the live widget."""
    box = calc.interact(seed_scenario, ["rack_count"])
    box.sliders["rack_power"].value = 130
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # still live in a kernel
    shown = bundle["text/html"]
    assert shown.endswith(box.view.value) and "177,515 racks" in shown
    row = next(r for r in shown.split("<tr>") if "<code>rack_power</code>" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[1:] == ["130 kW/rack", "120 to 132 kW/rack"]
    assert "calc-interact-static" in shown and not SCIENTIFIC.search(shown)


def test_interact_without_ipywidgets(seed_scenario, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(calc.CalcError, match=r"pip install 'infracalc\[interact\]'"):
        calc.interact(seed_scenario)


def test_sensitivity_reads_as_text(seed_scenario):
    shown = repr(seed_scenario.sensitivity("rack_count", samples=1000))
    assert shown == (
        "<Sensitivity of rack_count (192,308 racks): pue 227,273 to 178,571 racks; "
        "rack_power 192,308 to 174,825 racks>"
    )


# --- unit-aware columns (pint-pandas) -------------------------------------------


def test_a_pint_frame_holds_each_quantity_in_its_unit(seed_result):
    """One column per quantity, dtype pint[unit], the numbers to_frame holds (#20)."""
    frame = seed_result.to_pint_frame()
    assert list(frame.index) == ["point"]
    assert list(frame.columns) == list(seed_result)
    assert str(frame["cost_per_gw"].dtype) == "pint[USD/GW][Float64]"
    assert str(frame["household_use"].dtype) == "pint[kWh/home/yr][Float64]"
    per_mw = frame["cost_per_gw"].pint.to("USD/MW")["point"]
    assert per_mw.magnitude == pytest.approx(1.4e12 / 30e3)
    rows = seed_result.to_frame().set_index("name")
    for name in ("rack_count", "planned_investment", "share_of_us_electricity"):
        assert frame[name]["point"].magnitude == pytest.approx(rows.loc[name, "value"])


def test_a_sampled_pint_frame_has_the_percentiles(sampled):
    frame = sampled.to_pint_frame()
    assert list(frame.index) == ["point", "mean", "p5", "p50", "p95"]
    summary = sampled.to_frame().set_index("name").loc["rack_count"]
    racks = frame["rack_count"].pint.to("rack")
    for row, column in (("point", "value"), ("p5", "p5"), ("p95", "p95"), ("mean", "mean")):
        assert racks[row].magnitude == pytest.approx(summary[column])
    assert racks["p5"].magnitude < racks["p50"].magnitude < racks["p95"].magnitude


def test_a_pint_frame_without_pint_pandas_says_what_to_install(seed_result, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pint_pandas", None)
    with pytest.raises(calc.CalcError) as caught:
        seed_result.to_pint_frame()
    assert str(caught.value) == (
        "unit-aware columns need pint-pandas, which is not installed; install it with "
        "pip install 'infracalc[units]'"
    )
