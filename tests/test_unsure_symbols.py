"""Symbols pint reads as units an article hardly means are refused with their readings:
'100 kt' is knots to pint and kilotonnes to a reader, '$5 mil' dollars times a thousandth
of an inch. Written in full ('knots', 'short_ton'), the unit is read."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import calc
from calc.articles.figures import extract, extract_all
from calc.cli import app
from calc.io.scaffold import scaffold

runner = CliRunner()

REFUSED = [
    ("100 kt", "'kt' could be kilotonnes (write 'kilotonne'), or the knot, a speed (write 'knot')"),
    ("10 Gal", "'Gal' could be gallons (write 'gallon'), or the galileo, an acceleration"),
    ("20 pc", "'pc' could be percent (write '%'), or the parsec, a distance (write 'parsec')"),
    ("5 mil", "'mil' could be million (write 'million'), or the mil, a thousandth of an inch"),
    ("3 tons", "'tons' could be metric tonnes (write 'tonne'), or long tons (write 'long_ton')"),
    ("5 pt", "'pt' could be points"),
    ("3 b", "'b' could be billion (write 'billion'), or bits (write 'bit'), or the barn"),
    ("4 R", "'R' reads as the molar gas constant, the gas constant"),
    ("1e", "'e' could be a power of ten (write '1e3'), or the elementary charge"),
    ("30 GW * 2 kt", "'kt' could be kilotonnes"),
]


@pytest.mark.parametrize(("text", "readings"), REFUSED, ids=[t for t, _ in REFUSED])
def test_calc_eval_refuses_a_symbol_with_its_readings(text, readings):
    result = runner.invoke(app, ["eval", text])
    assert result.exit_code == 2
    assert readings in result.output
    assert result.output.count("\n") == 1
    assert "calc does not pick one" in result.output or "hardly means" in result.output


@pytest.mark.parametrize(
    ("text", "unit", "magnitude"),
    [
        ("5 knots", "knot", 5),
        ("3 short_ton", "pound", 6000),
        ("2 tonne", "kg", 2000),
        ("10 gallons", "gallon", 10),
        ("5 pints", "pint", 5),
        ("$5 mil", "USD", 5e6),
        ("5 mil USD", "USD", 5e6),
        ("2 mil homes", "home", 2e6),
        ("$3 mln", "USD", 3e6),
        ("€2 bln", "EUR", 2e9),
        ("2 Mt", "kg", 2e9),
    ],
)
def test_a_unit_named_in_full_or_a_money_scale_is_read(text, unit, magnitude):
    assert calc.parse_value(text).to(unit).magnitude == pytest.approx(magnitude)
    assert calc.evaluate_expression(text).to(unit).magnitude == pytest.approx(magnitude)


def test_a_scenario_value_in_an_unsure_symbol_is_refused_at_its_line(variant):
    path = variant(("value: 30 GW\n", "value: 30 kt\n"))
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    line = path.read_text(encoding="utf-8").splitlines().index("    value: 30 kt") + 1
    assert result.output.startswith(f"calc: {path}:{line}: inputs.planned_power.value: ")
    assert "'kt' could be kilotonnes" in result.output


def test_extract_reads_money_scales_it_read_as_dollars():
    """'$5 mil' was 5 USD and '$3 mln' 3 USD: silently wrong by a million."""
    figures = extract("Costs rose to $5 mil. Another $3 mln went to power.")
    assert [(f.text, f.quantity.to("USD").magnitude) for f in figures] == [
        ("$5 mil", 5e6),
        ("$3 mln", 3e6),
    ]


def test_a_scaffold_leaves_out_an_unsure_unit_and_says_why(tmp_path):
    """'3 tons' is not read (short, long or metric?): the scaffold's comment says why."""
    _, (unread,) = extract_all("It ships 3 tons of chips.")
    reason = (
        "'tons' could be metric tonnes (write 'tonne'), or long tons (write 'long_ton'), "
        "or the ton, a short ton of 2,000 lb (write 'short_ton'); calc does not pick one: "
        "write the unit you mean"
    )
    assert (unread.text, unread.offset, unread.reason) == ("3 tons", 9, reason)
    article = tmp_path / "tons.txt"
    article.write_text("It ships 3 tons of chips to a 120 kW rack.", encoding="utf-8")
    result = scaffold(article, tmp_path / "tons.yaml")
    assert [name for name, _ in result.inputs] == ["power"]
    assert f"#   3 tons, at character 9: {reason}\n" in (tmp_path / "tons.yaml").read_text()


@pytest.mark.parametrize(
    ("text", "symbol"),
    [("It mined 10 kt of ore.", "'kt'"), ("A 5 Gal pump.", "'Gal'"), ("1.5 B in sales.", "'B'")],
)
def test_extract_and_eval_agree_that_a_symbol_is_unsure(text, symbol):
    """extract read '10 kt' as kilotonnes and '5 Gal' as gallons where calc eval refuses
    both: the article reader now refuses them too, with the same readings."""
    figures, (unread,) = extract_all(text)
    assert figures == []
    assert unread.reason.startswith(f"{symbol} ")
    result = CliRunner().invoke(app, ["eval", unread.text])
    assert result.exit_code == 2
    assert unread.reason in result.stderr


@pytest.mark.parametrize(
    ("text", "usd"), [("$5MM", 5e6), ("$5 MM", 5e6), ("$7 mm", 7e6), ("5MM USD", 5e6)]
)
def test_finance_mm_beside_a_currency_is_a_million(text, usd):
    """'$5MM' was 5 USD·megamolar and '$7 mm' 7 USD·millimetres."""
    (figure,) = extract(f"The fund raised {text} in its first round.")
    assert figure.quantity.to("USD").magnitude == pytest.approx(usd)
    result = CliRunner().invoke(app, ["eval", text])
    assert (result.exit_code, result.stdout) == (0, f"{usd / 1e6:g} million USD\n")


def test_mm_alone_is_refused_and_millimetres_stay_millimetres():
    result = CliRunner().invoke(app, ["eval", "5 MM"])
    assert result.exit_code == 2
    assert (
        "'MM' could be million ('MM' in finance) (write 'million'), or the megamolar, a "
        "concentration (write 'megamolar'); calc does not pick one" in result.stderr
    )
    assert CliRunner().invoke(app, ["eval", "5 mm"]).stdout == "5 mm\n"


@pytest.mark.parametrize(
    ("text", "symbol", "readings"),
    [
        ("50 bps", "bps", "basis points (write 'a percent: 50 bp is 0.5%'), or the baud"),
        ("50 bp", "bp", "percentage points (write 'a percent: 3 pp is 3%'), or basis points"),
        ("3 pp", "pp", "percentage points (write 'a percent: 3 pp is 3%'), or basis points"),
    ],
)
def test_points_and_bps_are_refused_not_read_as_lengths_or_data_rates(text, symbol, readings):
    """'3 pp' was three printer's points (a length), '50 bps' 50 bits per second."""
    result = CliRunner().invoke(app, ["eval", text])
    assert result.exit_code == 2
    assert f"'{symbol}' could be {readings}" in result.stderr


@pytest.mark.parametrize(
    ("text", "shown"), [("2 Tbps", "2 Tbit/s"), ("400 Gbps", "400 Gbit/s"), ("5 baud", "5 bit/s")]
)
def test_a_prefixed_or_named_data_rate_is_read(text, shown):
    assert CliRunner().invoke(app, ["eval", text]).stdout == f"{shown}\n"


def test_extract_reads_no_bare_bps_as_a_data_rate():
    figures = extract("Rates rose 50 bps while links ran at 400 Gbps.")
    assert [(f.text, f.unit) for f in figures] == [
        ("50 bps", "bp_count"),
        ("400 Gbps", "gigabit / second"),
    ]


def test_eval_refuses_a_lowercase_m_between_a_number_and_a_unit():
    """'1.2m kW' was 1.2 kW·m; '5 m' alone stays five metres."""
    result = CliRunner().invoke(app, ["eval", "1.2m kW"])
    assert result.exit_code == 2
    assert "could be 1.2 million kW (write '1.2 million kW') or 1.2 m·kW" in result.stderr
    assert CliRunner().invoke(app, ["eval", "5 m"]).stdout == "5 m\n"
