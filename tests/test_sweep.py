"""Sweeps: values against hand arithmetic, range and list forms, CSV, plots."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from calc.analysis.sweeps import evaluate_grid as sweep
from calc.analysis.sweeps import parse_values
from calc.cli import app
from calc.errors import CalcError, UnitError, UnknownNameError
from calc.units.registry import Q_

runner = CliRunner()


def test_two_inputs_over_a_grid_match_hand_arithmetic(seed_scenario):
    result = sweep(
        seed_scenario,
        {"pue": "1.1:1.5:5", "load_factor": "0.6:1.0:3"},
        ["rack_count", "annual_energy"],
    )
    assert result.shape == (5, 3)
    pue = np.linspace(1.1, 1.5, 5)[:, None]
    lf = np.linspace(0.6, 1.0, 3)[None, :]
    np.testing.assert_allclose(
        result.outputs["rack_count"].to("rack").magnitude,
        np.broadcast_to(30e9 / pue / 120e3, (5, 3)),
    )
    np.testing.assert_allclose(
        result.outputs["annual_energy"].to("TWh/yr").magnitude,
        np.broadcast_to(30 * lf * 8760 / 1e3, (5, 3)),
    )


def test_one_input_with_units_in_the_range(seed_scenario):
    result = sweep(seed_scenario, {"rack_power": "100:600:6 kW/rack"}, ["gpu_count"])
    np.testing.assert_allclose(
        result.outputs["gpu_count"].to("gpu").magnitude,
        30e9 / 1.3 / (np.arange(100, 601, 100) * 1e3) * 72,
    )


def test_list_form_and_quantities(seed_scenario):
    by_list = sweep(seed_scenario, {"rack_power": "120 kW/rack, 0.6 MW/rack"}, ["rack_count"])
    by_values = sweep(
        seed_scenario, {"rack_power": [Q_(120, "kW/rack"), "600 kW/rack"]}, ["rack_count"]
    )
    for result in (by_list, by_values):
        np.testing.assert_allclose(
            result.outputs["rack_count"].to("rack").magnitude,
            [30e9 / 1.3 / 120e3, 30e9 / 1.3 / 600e3],
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.1:1.5:3", [1.1, 1.3, 1.5]),
        ("1.1,1.2", [1.1, 1.2]),
        ("2", [2.0]),
        ("1.5:1.1:3", [1.5, 1.3, 1.1]),
    ],
)
def test_parse_values_dimensionless(text, expected):
    np.testing.assert_allclose(parse_values("pue", text, Q_(1.3)).magnitude, expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "1:2",
            "--vary pue='1:2' is neither LOW:HIGH:N nor a list A,B,C; write it like "
            "pue=1.1:1.5:9 or pue=1.1,1.3,1.5",
        ),
        (
            "1:2:1",
            "--vary pue='1:2:1': the number of points after the second ':' must be a "
            "whole number of at least 2, as in 1.1:1.5:9",
        ),
        ("1,,2", "--vary pue='1,,2' has an empty item; write it like pue=1.1,1.3,1.5"),
        (
            "1 GW:2 GW:3",
            "pue='1 GW' is a power, but pue is a pure number (1.3); give a pure "
            "number such as '1.3'",
        ),
    ],
)
def test_parse_values_errors(text, message):
    with pytest.raises(UnitError) as info:
        parse_values("pue", text, Q_(1.3))
    assert str(info.value) == message


def test_records_and_table_are_tidy(seed_scenario):
    result = sweep(seed_scenario, {"pue": "1.2,1.3"}, ["it_power"])
    assert result.records() == [
        {"pue": 1.2, "it_power (GW)": pytest.approx(25.0)},
        {"pue": 1.3, "it_power (GW)": pytest.approx(30 / 1.3)},
    ]
    frame = result.table()
    assert list(frame.columns) == ["pue", "it_power (GW)"]
    assert frame["it_power (GW)"].tolist() == pytest.approx([25.0, 30 / 1.3])


def test_an_output_the_inputs_do_not_reach_is_constant(seed_scenario):
    result = sweep(seed_scenario, {"pue": "1.1:1.5:3"}, ["cost_per_gw"])
    np.testing.assert_allclose(result.outputs["cost_per_gw"].magnitude, [1.4e3 / 30] * 3)


def test_sweep_errors(seed_scenario):
    with pytest.raises(
        UnknownNameError,
        match=r"output .rack_cnt. is not a quantity of "
        r"openai-30gw\.yaml; did you mean .rack_count.",
    ):
        sweep(seed_scenario, {"pue": "1,2"}, ["rack_cnt"])
    with pytest.raises(CalcError, match="a sweep varies one or two inputs, not 3"):
        sweep(
            seed_scenario,
            {"pue": "1,2", "load_factor": "1,2", "rack_power": "1 kW/rack"},
            ["rack_count"],
        )
    with pytest.raises(
        CalcError,
        match=r"100,000,000 grid points of 16 quantities need about "
        r"19.2 GB of memory .*; the limit is 20,833,333 grid points \(4.0 GB\)",
    ):
        sweep(seed_scenario, {"pue": "1:2:10000", "load_factor": "0:1:10000"}, ["rack_count"])


def test_cli_sweep_table_csv_and_plot(tmp_path):
    csv_path, png_path = tmp_path / "grid.csv", tmp_path / "grid.png"
    result = runner.invoke(
        app,
        [
            "sweep",
            "--vary",
            "pue=1.1:1.5:9",
            "--vary",
            "load_factor=0.6:1.0:5",
            "--of",
            "rack_count",
            "-y",
            "annual_energy",
            "--output",
            str(csv_path),
            "--plot",
            str(png_path),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "OpenAI's 30 GW, $1.4 trillion build-out: 9 x 5 grid"
    assert lines[2].split() == [
        "pue",
        "load_factor",
        "rack_count",
        "(racks)",
        "annual_energy",
        "(TWh/yr)",
    ]
    assert lines[4].split() == ["1.1", "0.6", "227,273", "158"]
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert len(rows) == 45
    assert float(rows[0]["rack_count (racks)"]) == pytest.approx(30e9 / 1.1 / 120e3)
    assert float(rows[-1]["annual_energy (TWh/yr)"]) == pytest.approx(30 * 8760 / 1e3)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.stderr == f"wrote {csv_path}\nwrote {png_path}\n"


def test_cli_sweep_json(tmp_path):
    result = runner.invoke(app, ["sweep", "-v", "pue=1.2,1.5", "-y", "it_power", "-f", "json"])
    data = json.loads(result.stdout)
    assert data["axes"] == [{"name": "pue", "unit": "dimensionless", "values": [1.2, 1.5]}]
    assert data["outputs"]["it_power"]["unit"] == "gigawatt"
    assert data["outputs"]["it_power"]["values"] == pytest.approx([25.0, 20.0])


def test_a_big_table_is_elided_but_the_csv_is_whole(tmp_path):
    out = tmp_path / "big.csv"
    result = runner.invoke(app, ["sweep", "-v", "pue=1:2:200", "-y", "it_power", "-o", str(out)])
    assert result.exit_code == 0
    assert "... 140 rows not shown; write them all with -o FILE.csv" in result.stdout
    assert len(out.read_text().splitlines()) == 201


def test_cli_sweep_bad_vary_exits_2():
    result = runner.invoke(app, ["sweep", "-v", "pue", "-y", "it_power"])
    assert result.exit_code == 2
    assert result.stderr == (
        "calc: --vary 'pue' is not NAME=VALUES; write it like --vary pue=1.1:1.5:9\n"
    )


def test_a_failed_plot_leaves_no_partial_file(tmp_path, seed_scenario, monkeypatch):
    from calc.render import plots

    target = tmp_path / "keep.png"
    target.write_bytes(b"old")

    def broken(figure, stream, **kwargs):
        stream.write(b"half")
        raise RuntimeError("disk full")

    figure = plots.sweep_figure(sweep(seed_scenario, {"pue": "1,2"}, ["it_power"]))
    monkeypatch.setattr(type(figure), "savefig", broken)
    with pytest.raises(RuntimeError):
        plots.save_figure(figure, target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_without_pandas_the_table_is_a_list_of_records(seed_scenario, monkeypatch):
    import sys

    import calc

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    table = calc.sweep(seed_scenario, {"pue": [1.2, 1.5]}, ["it_power"])
    assert table == [
        {"pue": 1.2, "it_power (GW)": pytest.approx(25.0)},
        {"pue": 1.5, "it_power (GW)": pytest.approx(20.0)},
    ]


def test_without_matplotlib_plot_says_what_to_install(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    result = runner.invoke(
        app, ["sweep", "-v", "pue=1,2", "-y", "it_power", "--plot", str(tmp_path / "p.png")]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "calc: plots need matplotlib, which is not installed; install it "
        "with pip install 'infracalc[plot]'\n"
    )
    assert not (tmp_path / "p.png").exists()


def test_sweep_grid_gives_the_arrays_the_table_is_made_of(seed_scenario):
    import calc

    vary = {"pue": [1.2, 1.5], "load_factor": [0.5, 0.75, 1.0]}
    grid = calc.sweep_grid(seed_scenario, vary, ["rack_count", "annual_energy"])
    assert isinstance(grid, calc.Sweep)
    assert grid.shape == (2, 3)
    assert grid.label("rack_count") == "rack_count (racks)"
    racks = grid.outputs["rack_count"].to("rack").magnitude
    np.testing.assert_allclose(racks, [[30e9 / 1.2 / 120e3] * 3, [30e9 / 1.5 / 120e3] * 3])
    spread = grid.outputs["rack_count"].magnitude
    assert spread.strides[1] == 0 and not spread.flags.writeable  # one column, not copied
    energy = grid.outputs["annual_energy"].to("TWh/yr").magnitude
    np.testing.assert_allclose(energy, [[131.4, 197.1, 262.8]] * 2, rtol=1e-12)
    table = calc.sweep(seed_scenario, vary, ["rack_count", "annual_energy"])
    assert list(table["rack_count (racks)"]) == racks.ravel().tolist()
    assert seed_scenario.sweep_grid(vary, ["rack_count"]).outputs["rack_count"].shape == (2, 3)


def test_a_large_grid_proved_finite_from_its_column_and_row_is_not_read_again(
    seed_scenario, monkeypatch
):
    """annual_energy = facility_power * load_factor over 300 x 300 points: finite because
    the column and the row are, and their largest product is; the quantities divided
    from it by a number, too. No pass over the 90,000 numbers to check them (#17)."""
    import calc.domain.evaluate as evaluate

    checked = []
    original = evaluate._check_finite

    def counted(name, *args):
        checked.append(name)
        return original(name, *args)

    monkeypatch.setattr(evaluate, "_check_finite", counted)
    vary = {"pue": np.linspace(1.1, 1.5, 300), "load_factor": np.linspace(0.6, 1.0, 300)}
    outputs = ["rack_count", "annual_energy", "homes_by_annual_energy", "share_of_us_electricity"]
    grid = sweep(seed_scenario, vary, outputs)
    assert "rack_count" in checked
    assert not {"annual_energy", "homes_by_annual_energy", "share_of_us_electricity"} & set(checked)
    energy = 30 * np.linspace(0.6, 1.0, 300) * 8760 / 1e3  # TWh/yr
    np.testing.assert_allclose(grid.outputs["annual_energy"].magnitude[7], energy, rtol=1e-13)
    np.testing.assert_allclose(
        grid.outputs["share_of_us_electricity"].magnitude[0], energy / 3927.2 * 100, rtol=1e-13
    )
