"""Uncertainty: sample statistics against analytic values, determinism, claims, tornado."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.domain.distributions import Z90

from .conftest import ROOT

runner = CliRunner()
TIME_TO_BOTEC = ROOT / "scenarios" / "examples" / "time-to-botec.yaml"


def scenario(
    tmp_path: Path, inputs: str, derived: str = "", claims: str = "", name: str = "u.yaml"
) -> Path:
    """A small scenario file; every input cites the time-to-botec reference."""
    text = f"title: U\ninputs:\n{inputs}"
    if derived:
        text += f"derived:\n{derived}"
    if claims:
        text += f"claims:\n{claims}"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def uncertain(name: str, spec: str, value: str | None = None) -> str:
    line = f"    value: {value}\n" if value is not None else ""
    return f"  {name}:\n{line}    {spec}\n    kind: reference\n    source: time-to-botec\n"


def lognormal_mean(low: float, high: float) -> float:
    mu = (math.log(low) + math.log(high)) / 2
    sigma = (math.log(high) - math.log(low)) / (2 * Z90)
    return math.exp(mu + sigma**2 / 2)


N = 400_000


@pytest.mark.parametrize(
    ("spec", "mean", "p5", "p95", "sd"),
    [
        # a positive range is a lognormal whose 5th and 95th percentiles are its ends
        ("range: [1, 3]", lognormal_mean(1, 3), 1.0, 3.0, None),
        # a range reaching zero or below is a normal
        ("range: [-1, 3]", 1.0, -1.0, 3.0, 4 / (2 * Z90)),
        ("distribution: {type: normal, mean: 10, sd: 2}", 10.0, 10 - 2 * Z90, 10 + 2 * Z90, 2),
        ("distribution: {type: uniform, low: 0, high: 10}", 5.0, 0.5, 9.5, 10 / math.sqrt(12)),
        (
            "distribution: {type: triangular, low: 0, mode: 0, high: 1}",
            1 / 3,
            1 - math.sqrt(0.95),
            1 - math.sqrt(0.05),
            math.sqrt(1 / 18),
        ),
        (
            "distribution: {type: pert, low: 0, mode: 0.8, high: 1}",
            (0 + 4 * 0.8 + 1) / 6,
            None,
            None,
            None,
        ),
        (
            "distribution: {type: beta, alpha: 2, beta: 6}",
            0.25,
            None,
            None,
            math.sqrt(2 * 6 / (8**2 * 9)),
        ),
    ],
)
def test_sample_statistics_match_analytic_values(tmp_path, spec, mean, p5, p95, sd):
    path = scenario(tmp_path, uncertain("x", spec))
    r = calc.load_scenario(path).evaluate(samples=N, seed=1)
    x = np.asarray(r["x"].magnitude)
    assert x.shape == (N,)
    spread = sd if sd is not None else float(np.std(x))
    # the sample mean's standard error is sd / sqrt(N); allow five of them
    assert x.mean() == pytest.approx(mean, abs=5 * spread / math.sqrt(N))
    if p5 is not None:
        # a percentile's standard error is about sqrt(p (1 - p) / N) / density: ~1% here
        assert np.quantile(x, 0.05) == pytest.approx(p5, rel=0.02, abs=0.01)
        assert np.quantile(x, 0.95) == pytest.approx(p95, rel=0.02, abs=0.01)
    if sd is not None:
        assert float(np.std(x)) == pytest.approx(sd, rel=0.01)


def test_a_range_carries_the_inputs_units(tmp_path):
    path = scenario(tmp_path, uncertain("p", "range: [1 GW, 2000 MW]", "1.5 GW"))
    r = calc.load_scenario(path).evaluate(samples=10_000, seed=3)
    assert r["p"].units == calc.ureg.Unit("GW")
    stats = r.stats("p")
    assert stats.p5.magnitude == pytest.approx(1.0, rel=0.03)
    assert stats.p95.magnitude == pytest.approx(2.0, rel=0.03)
    assert r.point("p").magnitude == 1.5


def test_without_a_value_the_point_is_the_mean(tmp_path):
    path = scenario(tmp_path, uncertain("x", "distribution: {type: uniform, low: 2, high: 4}"))
    assert calc.load_scenario(path).evaluate()["x"].magnitude == pytest.approx(3.0)


def test_time_to_botec_mean(tmp_path):
    r = calc.load_scenario(TIME_TO_BOTEC).evaluate(samples=1_000_000, seed=1)
    expected = 0.2 * 1 + 0.1 * lognormal_mean(1, 3) + 0.1 * lognormal_mean(2, 10)
    assert expected == pytest.approx(0.887, abs=5e-4)
    result = np.asarray(r["result"].magnitude)
    # the mixture's sd is about 1.74, so the mean's standard error is 0.0017 at 1e6 draws
    assert result.mean() == pytest.approx(expected, abs=0.009)
    assert np.mean(result == 0) == pytest.approx(0.6, abs=0.003)  # weight 1 - p_c
    assert np.mean(result == 1) == pytest.approx(0.2, abs=0.003)  # weight p_c / 2
    assert r.point("result").magnitude == pytest.approx(expected)  # the point is the mean


def test_the_same_seed_gives_the_same_samples(seed_scenario):
    a = seed_scenario.evaluate(samples=1000, seed=42)["rack_count"].magnitude
    b = seed_scenario.evaluate(samples=1000, seed=42)["rack_count"].magnitude
    c = seed_scenario.evaluate(samples=1000, seed=43)["rack_count"].magnitude
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_each_input_is_drawn_once(tmp_path):
    derived = (
        "  zero:\n    formula: x - x\n    unit: GW\n"
        "  one:\n    formula: x / y\n    unit: dimensionless\n"
        "  y:\n    formula: x * 1\n    unit: GW\n"
    )
    path = scenario(tmp_path, uncertain("x", "range: [1 GW, 3 GW]", "2 GW"), derived)
    r = calc.load_scenario(path).evaluate(samples=50_000, seed=5)
    assert np.all(r["zero"].magnitude == 0)  # exactly, not approximately
    np.testing.assert_allclose(r["one"].magnitude, 1.0, rtol=1e-15)


def test_python_summary(seed_scenario):
    r = seed_scenario.evaluate(samples=100_000, seed=1)
    assert r["rack_count"].magnitude.shape == (100_000,)
    assert r.sample_count == 100_000
    table = r.summary()
    assert list(table.columns) == ["name", "point", "p5", "p50", "p95", "mean", "unit"]
    racks = table[table.name == "rack_count"].iloc[0]
    assert racks.point == pytest.approx(30e9 / 1.3 / 120e3)
    assert racks.p5 < racks.p50 < racks.p95
    power = table[table.name == "planned_power"].iloc[0]
    assert (power.point, power.p5, power.p95) == (30, 30, 30)


def test_an_override_replaces_the_uncertainty(seed_scenario):
    r = seed_scenario.evaluate(pue=1.2, samples=2000, seed=1)
    np.testing.assert_allclose(r["it_power"].to("GW").magnitude, 25.0)


def test_a_claim_inside_the_implied_interval_is_consistent(tmp_path):
    inputs = (
        uncertain("implied_x", "range: [1, 3]", "1.2")
        + "  claimed_x:\n    value: 2.5\n    kind: reference\n    source: time-to-botec\n"
    )
    claims = "  c:\n    text: x is 2.5\n    claimed: claimed_x\n    implied: implied_x\n"
    path = scenario(tmp_path, inputs, claims=claims)
    point = calc.load_scenario(path).evaluate()
    assert {v.name: v for v in point.verdicts}["c"].verdict == "overstated"  # 2.5 vs 1.2
    sampled = calc.load_scenario(path).evaluate(samples=200_000, seed=2)
    verdict = {v.name: v for v in sampled.verdicts}["c"]
    assert verdict.verdict == "consistent"
    assert verdict.interval[0].magnitude == pytest.approx(1.0, rel=0.02)
    assert verdict.interval[1].magnitude == pytest.approx(3.0, rel=0.02)
    # P(lognormal with 90% in [1, 3] > 2.5), from its distribution function
    mu, sigma = math.log(3) / 2, math.log(3) / (2 * Z90)
    exceeds = 0.5 * math.erfc((math.log(2.5) - mu) / (sigma * math.sqrt(2)))
    assert verdict.p_exceeds == pytest.approx(exceeds, abs=0.005)
    assert (
        verdict.describe() == f"consistent (2.08\u00d7, P(implied > claimed) = "
        f"{verdict.p_exceeds:.0%})"
    )


def test_tornado_ordering_on_a_known_model(tmp_path):
    inputs = (
        uncertain("a", "range: [1, 2]", "1.5")
        + uncertain("b", "range: [-1, 1]", "0")
        + uncertain("c", "range: [1, 4]", "2")
        + "  unused:\n    value: 3\n    range: [1, 9]\n    kind: reference\n"
        "    source: time-to-botec\n"
    )
    derived = "  y:\n    formula: 10 * a + b + 2 * c\n    unit: dimensionless\n"
    result = calc.load_scenario(scenario(tmp_path, inputs, derived)).sensitivity("y")
    assert [s.name for s in result.swings] == ["a", "c", "b"]  # swings 10, 6, 2
    assert [float(s.swing.magnitude) for s in result.swings] == pytest.approx([10, 6, 2])
    a = result.swings[0]
    assert (float(a.output_low.magnitude), float(a.output_high.magnitude)) == pytest.approx(
        (10 * 1 + 0 + 4, 10 * 2 + 0 + 4)
    )
    assert all(s.correlation > 0.1 for s in result.swings)


def test_cli_sensitivity_table_and_tornado(tmp_path):
    png = tmp_path / "t.png"
    result = runner.invoke(
        app,
        [
            "sensitivity",
            str(ROOT / "scenarios" / "openai-30gw.yaml"),
            "rack_count",
            "--plot",
            str(png),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "OpenAI's 30 GW, $1.4 trillion build-out: what moves rack_count (point 192,308 racks)"
    )
    assert [line.split()[0] for line in lines[4:6]] == ["pue", "rack_power"]
    assert lines[4].split()[:6] == ["pue", "1.1", "1.4", "227,273", "178,571", "48,701"]
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_cli_run_histograms(tmp_path):
    png = tmp_path / "h.png"
    result = runner.invoke(
        app, ["run", "-n", "2000", "--plot", str(png), "--plot-of", "rack_count"]
    )
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    no_samples = runner.invoke(app, ["run", "-n", "0", "--plot", str(tmp_path / "x.png")])
    assert no_samples.exit_code == 2
    assert no_samples.stderr == ("calc: histograms need samples; run with --samples N (N > 0)\n")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "range: [3, 1]",
            "inputs.x.range: the low end '3' is above the high end '1'; give [low, high]",
        ),
        (
            "distribution: {type: lognormal, low: 0, high: 2}",
            "inputs.x.distribution: a lognormal's bounds must be positive, and '0' is not; use "
            "a normal distribution for a quantity that can be zero or negative",
        ),
        (
            "distribution: {type: mixture, components: [1, 2], weights: [0, 0]}",
            "inputs.x.distribution: mixture weights [0, 0] sum to 0; they must sum to a "
            "positive number",
        ),
        (
            "distribution: {type: mixture, components: [1, 2], weights: [1.5, 0.5]}",
            "inputs.x.distribution: mixture weight '1.5' is 1.5; weights are probabilities, "
            "from 0 to 1",
        ),
        (
            "distribution: {type: mixture, components: [1, 2], weights: [1]}",
            "inputs.x.distribution: a mixture needs as many weights as components; it has 2 "
            "components and 1 weights",
        ),
        (
            "distribution: {type: normal, mean: 1}",
            "inputs.x.distribution: a normal distribution takes either mean and sd, or low and "
            "high (a 90% interval), not mean",
        ),
        (
            "distribution: {type: pert, low: 0, mode: 2, high: 1}",
            "inputs.x.distribution: the mode '2' is outside [0, 1]",
        ),
    ],
)
def test_bad_distributions_exit_2_with_a_located_message(tmp_path, spec, message):
    path = scenario(tmp_path, uncertain("x", spec, "1"))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"calc: {path}:5: {message}\n"


_SPLIT = "two values, not {}: YAML splits unquoted values at commas; quote each value, range: "


@pytest.mark.parametrize(
    ("value", "spec", "message"),
    [
        (
            "10,500 kWh/yr/home",
            "range: [10,260 kWh/yr/home, 10,791 kWh/yr/home]",
            _SPLIT.format(4) + "['10,260 kWh/yr/home', '10,791 kWh/yr/home']",
        ),
        ("1500", "range: [1,000, 2,500]", _SPLIT.format(4) + "['1,000', '2,500']"),
        (
            "1.5 million GW",
            "range: [1,000,000 GW, 2,000,000 GW]",
            _SPLIT.format(6) + "['1,000,000 GW', '2,000,000 GW']",
        ),
        ("900 GW", "range: [800 GW, 1,000 GW]", _SPLIT.format(3) + "['800 GW', '1,000 GW']"),
        # three values none of which was split: the plain message, no advice to quote
        ("2", "range: [1, 2, 3]", "a range is [low, high], two values, not 3"),
    ],
)
def test_a_range_split_at_thousands_commas_says_to_quote(tmp_path, value, spec, message):
    path = scenario(tmp_path, uncertain("x", spec, value))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"calc: {path}:5: inputs.x.range: ")
    assert result.stderr.endswith(message + "\n")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("value", "spec", "written", "low", "high", "low_with_unit"),
    [
        ("100 kWh", "range: [10,260 kWh]", "[10,260 kWh]", "10", "260 kWh", "10 kWh"),
        ("150", "range: [100,200]", "[100,200]", "100", "200", "100"),
        ("1 GW", "range: [1,000 MW]", "[1,000 MW]", "1", "000 MW", "1 MW"),
    ],
)
def test_a_two_value_range_split_at_a_thousands_comma_is_refused_with_both_readings(
    tmp_path, value, spec, written, low, high, low_with_unit
):
    """'[10,260 kWh]' is 10 to 260 kWh to YAML, or 10,260 kWh with a thousands comma: it
    was read as the first, silently (#18)."""
    path = scenario(tmp_path, uncertain("x", spec, value))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {path}:5: inputs.x.range: {written} has two readings: the range {low} to "
        f"{high}, as YAML reads it, or the number {low},{high} with a thousands comma; for "
        f"the range write [{low_with_unit}, {high}]; for the number quote it or drop the "
        f"comma, and give the other end: ['{low},{high}', HIGH] or [{low}{high}, HIGH]\n"
    )


@pytest.mark.parametrize(
    ("value", "spec"),
    [
        ("150", "range: [100, 200]"),
        ("10,500 kWh", "range: ['10,260 kWh', '10,791 kWh']"),
        ("15", "range: [1,20]"),
        ("150 kWh", "range: [100 kWh,200 kWh]"),
    ],
)
def test_a_range_with_no_ambiguous_comma_reads_as_written(tmp_path, value, spec):
    """A space after the comma, quotes, a unit before it, or fewer than three digits after
    it: no thousands comma."""
    path = scenario(tmp_path, uncertain("x", spec, value))
    result = runner.invoke(app, ["run", "-n", "0", "-f", "json", str(path)])
    assert result.exit_code == 0, result.stderr


def test_a_two_value_claimed_range_split_at_a_thousands_comma_is_refused(tmp_path):
    inputs = uncertain("x", "range: [1 GW, 2 GW]", "1.5 GW")
    claims = "  k:\n    text: x\n    claimed_range: [1,500 MW]\n    implied: x\n"
    path = scenario(tmp_path, inputs, claims=claims)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"calc: {path}:11: claims.k.claimed_range: [1,500 MW] has two readings: the range 1 "
        "to 500 MW, as YAML reads it, or the number 1,500 MW with a thousands comma;"
    )
    assert result.stderr.count("\n") == 1


def test_a_claimed_range_split_at_thousands_commas_says_to_quote(tmp_path):
    inputs = uncertain("x", "range: [1 GW, 2 GW]", "1.5 GW")
    claims = "  k:\n    text: x\n    claimed_range: [1,000 MW, 2,000 MW]\n    implied: x\n"
    path = scenario(tmp_path, inputs, claims=claims)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {path}:11: claims.k.claimed_range: a range is [low, high], two values, not 4: "
        "YAML splits unquoted values at commas; quote each value, claimed_range: "
        "['1,000 MW', '2,000 MW']\n"
    )


def test_bounds_whose_units_do_not_match(tmp_path):
    path = scenario(tmp_path, uncertain("p", "range: [1 GW, 2 GWh]", "1.5 GW"))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {path}:5: inputs.p.range: range '2 GWh' is an energy, but the input is a "
        "power (1.5 GW); the units of a range or distribution must match its input's\n"
    )
    bare = scenario(tmp_path, uncertain("p", "range: [1, 2]", "1.5 GW"), name="b.yaml")
    result = runner.invoke(app, ["run", str(bare)])
    assert result.stderr == (
        f"calc: {bare}:5: inputs.p.range: range '1' has no unit, but the "
        "input is a power; give a unit, such as '1.5 GW'\n"
    )


def test_mixture_weights_from_formulas_are_checked_when_evaluated(tmp_path):
    inputs = "  p:\n    value: 1.5\n    kind: reference\n    source: time-to-botec\n"
    derived = (
        "  m:\n    unit: dimensionless\n    distribution:\n      type: mixture\n"
        "      components: [0, 1]\n      weights: [1 - p, p]\n"
    )
    path = scenario(tmp_path, inputs, derived)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {path}:10: derived.m.distribution: mixture weight '1 - p' "
        "is -0.5; weights are probabilities, from 0 to 1\n"
    )


# --- ranges written as one text (#12) ------------------------------------------------


def test_a_range_written_as_one_text_reads_both_ends_with_the_shared_scale_and_noun(tmp_path):
    spec = "range: 750,000 to 1.3 million average American homes"
    path = scenario(tmp_path, uncertain("h", spec))
    stats = calc.load_scenario(path).evaluate(samples=20_000, seed=1).stats("h")
    assert stats.p5.to("home").magnitude == pytest.approx(750_000, rel=0.03)
    assert stats.p95.to("home").magnitude == pytest.approx(1_300_000, rel=0.03)


def test_a_value_that_is_a_range_is_refused_naming_the_range_field(tmp_path):
    inputs = "  h:\n    value: $1-5 billion\n    kind: reference\n    source: time-to-botec\n"
    path = scenario(tmp_path, inputs)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {path}:4: inputs.h.value: '$1-5 billion' is a range, 1 billion USD to "
        "5 billion USD, not one value; give one value, or write the range as range: "
        "['1 billion USD', '5 billion USD']\n"
    )


def test_a_range_written_as_one_value_is_refused(tmp_path):
    path = scenario(tmp_path, uncertain("p", "range: 30 GW", "30 GW"))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"calc: {path}:5: inputs.p.range: range '30 GW' is one value; a range is "
        "[low, high], or one text with both ends, such as '120-132 kW' or "
        "'750,000 to 1.3 million homes'\n"
    )


def test_parse_quantity_gives_both_ends_and_parse_value_refuses_a_range():
    read = calc.parse_quantity("$2 to $3 trillion")
    assert isinstance(read, calc.QuantityRange)
    assert read.low == calc.Q_(2e12, "USD") and read.high == calc.Q_(3e12, "USD")
    ends = calc.parse_quantity("500,000 to 1 million homes")
    assert (ends.low.magnitude, ends.high.magnitude) == (500_000, 1_000_000)
    with pytest.raises(calc.UnitError, match=r"is a range, 120 kW to 132 kW, not one value"):
        calc.parse_value("120-132 kW")
    # a spaced hyphen between two quantities is a subtraction, not a range
    with pytest.raises(calc.UnitError):
        calc.parse_quantity("120 kW - 5 kW")
