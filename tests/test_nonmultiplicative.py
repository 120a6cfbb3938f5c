"""Offset temperatures and logarithmic units: refused where they are read, with exit 2,
the same way on every pint version (pint 0.24 to 0.26 each draw the line elsewhere)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from calc.cli import app
from calc.errors import UnitError
from calc.units.notation import parse_quantity, parse_unit

runner = CliRunner()

OFFSET = (
    "is a temperature on an offset scale ('{shown}'), which calc does not compute "
    "with; give an absolute temperature in K, or a difference in delta_degC or delta_degF"
)
LOG = (
    "has the logarithmic unit '{shown}', which calc does not compute with; give the "
    "ratio as a plain number, or the power itself in W"
)

CASES = [
    ("45 degC", OFFSET, "°C"),
    ("68 degF", OFFSET, "°F"),
    ("20 degC * 2", OFFSET, "°C"),
    ("-5 degree_Celsius", OFFSET, "°C"),
    ("10 dB + 3 dB", LOG, "dB"),
    ("3 dBm", LOG, "dBm"),
    ("2 octave", LOG, "oct"),
]


@pytest.mark.parametrize(("text", "template", "shown"), CASES)
def test_calc_eval_refuses_them_with_exit_2(text, template, shown):
    result = runner.invoke(app, ["eval", text])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert template.format(shown=shown) in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("text", "template", "shown"), [c for c in CASES if "+" not in c[0] and "*" not in c[0]]
)
def test_parse_quantity_refuses_them(text, template, shown):
    with pytest.raises(UnitError) as caught:
        parse_quantity(text)
    assert str(caught.value) == f"{text!r} " + template.format(shown=shown)


@pytest.mark.parametrize(("unit", "shown"), [("degC", "°C"), ("degF", "°F")])
def test_parse_unit_refuses_an_offset_scale(unit, shown):
    with pytest.raises(UnitError) as caught:
        parse_unit(unit)
    assert str(caught.value) == f"{unit!r} " + OFFSET.format(shown=shown)


@pytest.mark.parametrize("ok", ["45 kelvin", "5 delta_degC", "3 delta_degF"])
def test_absolute_temperatures_and_differences_still_parse(ok):
    assert parse_quantity(ok).magnitude in (45, 5, 3)


def test_a_rate_of_temperature_is_a_difference_per_time():
    # pint reads degF/hour as delta_degF/hour: a rate of change, which multiplies
    assert str(parse_unit("degF/hour")) == "Δ°F/h"


def test_a_scenario_value_in_degc_is_located_and_refused(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "title: t\ninputs:\n  temp:\n    value: 45 degC\n    kind: assumption\n    source: x\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"calc: {path}:4: inputs.temp.value: '45 degC' " + OFFSET.format(shown="°C") + "\n"
    )


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["run", "--set", "pue=20 degC"], "calc: pue='20 degC': '20 degC' "),
        (["eval", "300 K", "--to", "degC"], "calc: --to: 'degC' "),
    ],
)
def test_set_and_to_refuse_them(args, where):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr == where + OFFSET.format(shown="°C") + "\n"
