"""Claims as articles make them (#13): bounds, ranges, bases, unit slips, and the
verdicts that say what is wrong, from real-looking claims."""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import calc
from calc.cli import app
from calc.domain.verdicts import _chance, _compare

ARTICLE = (
    "The campus will cost $12 billion for buildings and $8 billion for chips, "
    "a total of $25 billion. It will power as many as 1 million homes."
)
CATALOGUE = """\
seeds:
  article:
    file: article.txt
    title: A data center announcement
    publisher: Example Daily
    date: 2025-11-21
references:
  eia:
    publisher: EIA
    title: Household use
    url: https://www.eia.gov/
    date: "2024"
    grade: P
  blog:
    publisher: A blog
    title: Rumours
    url: https://example.org/
    date: 2025-11
    grade: U
"""


def _scenario(tmp_path, inputs: str, claims: str, derived: str = "") -> str:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    text = "title: Shapes\ncatalogue: catalogue.yaml\ninputs:\n" + textwrap.indent(
        textwrap.dedent(inputs), "  "
    )
    if derived:
        text += "derived:\n" + textwrap.indent(textwrap.dedent(derived), "  ")
    text += "claims:\n" + textwrap.indent(textwrap.dedent(claims), "  ")
    path = tmp_path / "shapes.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


HOMES = """\
power:
  value: 1 GW
  kind: reference
  source: eia
household:
  value: 10,791 kWh/yr/home
  kind: reference
  source: eia
"""
HOMES_DERIVED = """\
homes:
  formula: power / household
  unit: home
"""


def _verdict(path: str, name: str, samples: int | None = None):
    result = calc.load_scenario(path).evaluate(samples=samples, seed=1)
    return next(v for v in result.verdicts if v.name == name)


@pytest.mark.parametrize(
    ("bound", "claimed", "expected"),
    [
        ("up to", "1 million homes", "consistent"),  # implied 0.81 million: the bound holds
        ("as many as", "1 million homes", "consistent"),
        ("at_most", "500,000 homes", "understated"),  # the bound is below what is implied
        ("more than", "500,000 homes", "consistent"),
        ("at least", "1 million homes", "overstated"),  # 1 million is past 0.81 million
        ("nearly", "2 million homes", "consistent"),
        (None, "1 million homes", "overstated"),  # read as a point: 1.23x
    ],
)
def test_an_upper_or_lower_bound_is_judged_as_a_bound(tmp_path, bound, claimed, expected):
    path = _scenario(
        tmp_path,
        HOMES + f"said:\n  value: {claimed}\n  kind: reference\n  source: eia\n",
        "k:\n  text: powers as many as 1 million homes\n  claimed: said\n  implied: homes\n"
        + (f"  bound: {bound}\n" if bound else ""),
        HOMES_DERIVED,
    )
    assert _verdict(path, "k").verdict == expected


def test_an_upper_bound_met_says_so(tmp_path):
    path = _scenario(
        tmp_path,
        HOMES + "said:\n  value: 1 million homes\n  kind: reference\n  source: eia\n",
        "k:\n  text: up to a million homes\n  claimed: said\n  implied: homes\n  bound: up to\n",
        HOMES_DERIVED,
    )
    assert _verdict(path, "k").describe() == "consistent (claimed at most, 1.23\u00d7)"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("700,000 homes", "900,000 homes", "consistent"),  # overlaps 0.81 million
        ("850,000 homes", "1.2 million homes", "consistent"),  # within 10% of its low end
        ("1 million homes", "1.2 million homes", "overstated"),
        ("300,000 homes", "600,000 homes", "understated"),
    ],
)
def test_a_claimed_range_is_judged_as_an_interval(tmp_path, low, high, expected):
    inputs = HOMES + "".join(
        f"{n}:\n  value: {v}\n  kind: reference\n  source: eia\n"
        for n, v in (("low", low), ("high", high))
    )
    path = _scenario(
        tmp_path,
        inputs,
        "k:\n  text: between\n  claimed_range: [low, high]\n  implied: homes\n",
        HOMES_DERIVED,
    )
    assert _verdict(path, "k").verdict == expected


intervals = st.tuples(
    st.floats(0.01, 1e6, allow_nan=False), st.floats(0.0, 3.0, allow_nan=False)
).map(lambda p: (p[0], p[0] * (1 + p[1])))
MIRROR = {"overstated": "understated", "understated": "overstated"}


@given(intervals, intervals, st.floats(0.0, 1.0), st.sampled_from(["model", "two sources"]))
def test_a_verdict_does_not_change_when_the_sides_are_swapped(a, b, tolerance, who):
    forward, backward = _compare(a, b, tolerance, who), _compare(b, a, tolerance, who)
    assert backward == MIRROR.get(forward, forward)


@pytest.mark.parametrize(
    ("claimed_basis", "implied_basis", "words"),
    [
        ("investment", "cost", "measures investment and the implied side cost (money)"),
        ("[all-in]", "[chips]", "measures all-in and the implied side chips (scope)"),
        ("{boundary: it}", "{boundary: facility}", "it and the implied side facility"),
    ],
)
def test_investment_against_cost_is_not_comparable(tmp_path, claimed_basis, implied_basis, words):
    inputs = f"""\
investment:
  value: $10 billion
  kind: reference
  source: eia
  basis: {claimed_basis}
power:
  value: 1 GW
  kind: reference
  source: eia
cost:
  value: 50 billion USD/GW
  kind: reference
  source: eia
  basis: {implied_basis}
"""
    derived = "per_gw:\n  formula: investment / power\n  unit: billion USD/GW\n"
    claims = "k:\n  text: $10 B/GW\n  claimed: per_gw\n  implied: cost\n"
    verdict = _verdict(_scenario(tmp_path, inputs, claims, derived), "k")
    assert verdict.verdict == "not comparable"
    assert words in verdict.describe()


def test_a_basis_the_derived_states_replaces_the_inherited_one(tmp_path):
    inputs = HOMES + "said:\n  value: 0.8 million homes\n  kind: reference\n  source: eia\n"
    inputs = inputs.replace("  source: eia\nhousehold", "  source: eia\n  basis: peak\nhousehold")
    derived = HOMES_DERIVED + "  basis: average\n"
    claims = "k:\n  text: homes\n  claimed: said\n  implied: homes\n"
    assert _verdict(_scenario(tmp_path, inputs, claims, derived), "k").verdict == "consistent"


def test_an_unknown_basis_tag_is_refused_on_its_line(tmp_path):
    inputs = HOMES.replace("  source: eia\nhousehold", "  source: eia\n  basis: gross\nhousehold")
    path = _scenario(tmp_path, inputs, "k:\n  text: x\n  claimed: power\n  implied: power\n")
    result = CliRunner().invoke(app, ["check", path])
    assert result.exit_code == 2
    assert "shapes.yaml:8: inputs.power.basis" in result.output
    assert "'gross' is not a known basis tag" in result.output


@pytest.mark.parametrize(
    ("published", "written", "slip"),
    [
        ("2,941,176 homes per second", "a count of homes per unit of time", "per second"),
        ("911 kW", "a power like the figure", "kW written for kWh per month"),
        ("1.23 kWh", "an energy", "a total written where a rate per hour was meant"),
        ("911 W/month", "a power per unit of time", "W written for Wh"),
    ],
)
def test_a_unit_slip_is_a_finding_in_words(tmp_path, published, written, slip):
    inputs = (
        "monthly:\n  value: 899 kWh/month/home\n  kind: reference\n  source: eia\n"
        "homes_total:\n  value: 2.9 million homes\n  kind: reference\n  source: eia\n"
        "one_home:\n  value: 1 home\n  kind: reference\n  source: eia\n"
    )
    implied = "homes_total" if "homes" in published else "monthly * one_home"
    if published.startswith("911 W/"):
        implied = "monthly * one_home / 1000"
    claims = (
        f"k:\n  text: as printed\n  claimed_as_published: {published}\n  implied: {implied}\n"
        "  source: article\n"
    )
    verdict = _verdict(_scenario(tmp_path, inputs, claims), "k")
    assert verdict.verdict == "unit error"
    assert written in verdict.detail and slip in verdict.detail
    assert "[" not in verdict.detail


def test_every_unit_slip_in_a_file_is_reported_in_one_run(tmp_path):
    inputs = "homes_total:\n  value: 2.9 million homes\n  kind: reference\n  source: eia\n"
    claims = "".join(
        f"k{i}:\n  text: slip\n  claimed_as_published: {text}\n  implied: homes_total\n"
        "  source: article\n"
        for i, text in enumerate(["2,941,176 homes per second", "2.9 million homes per hour"])
    )
    result = CliRunner().invoke(app, ["check", _scenario(tmp_path, inputs, claims), "-f", "json"])
    assert result.exit_code == 1
    claims_out = json.loads(result.output)["claims"]
    assert [c["verdict"] for c in claims_out.values()] == ["unit error", "unit error"]


ARITHMETIC = """\
buildings:
  value: $12 billion
  kind: stated
  source: article
  quote: $12 billion for buildings
chips:
  value: $8 billion
  kind: stated
  source: article
  quote: $8 billion for chips
total:
  value: $25 billion
  kind: stated
  source: article
  quote: a total of $25 billion
"""


def test_an_article_whose_own_sum_is_wrong_is_an_arithmetic_error(tmp_path):
    claims = (
        "k:\n  text: a total of $25 billion\n  claimed: total\n  implied: buildings + chips\n"
        "  kind: own-arithmetic\n"
    )
    verdict = _verdict(_scenario(tmp_path, ARITHMETIC, claims), "k")
    assert verdict.verdict == "arithmetic error"
    assert verdict.claim.tolerance == 0.02
    assert verdict.describe() == "arithmetic error 1.25\u00d7"


@pytest.mark.parametrize(
    ("claimed_input", "expected"),
    [
        ("value: 1 GW\n  kind: reference\n  source: blog", "figures graded U (rumour)"),
        ("value: 1 GW\n  kind: assumption\n  source: eia\n  note: a guess", "assumptions"),
    ],
)
def test_a_claim_resting_on_a_grade_u_source_is_unsupported(tmp_path, claimed_input, expected):
    inputs = f"rumour:\n  {claimed_input}\neia_power:\n  value: 1 GW\n  kind: reference\n"
    inputs += "  source: eia\n"
    claims = "k:\n  text: a gigawatt\n  claimed: rumour\n  implied: eia_power\n"
    verdict = _verdict(_scenario(tmp_path, inputs, claims), "k")
    assert verdict.verdict == "unsupported"
    assert expected in verdict.detail


@pytest.mark.parametrize(
    ("kind", "tolerance"),
    [
        ("homes-equivalence", 0.15),
        ("own-arithmetic", 0.02),
        ("two-outlets", 0.05),
        ("analyst-range", 0.25),
        (None, 0.10),
    ],
)
def test_each_kind_of_claim_has_a_default_tolerance(tmp_path, kind, tolerance):
    claims = "k:\n  text: x\n  claimed: power\n  implied: power\n" + (
        f"  kind: {kind}\n" if kind else ""
    )
    claim = calc.load_scenario(_scenario(tmp_path, HOMES, claims)).claims["k"]
    assert claim.tolerance == tolerance


def test_a_close_call_says_the_verdict_would_flip(tmp_path):
    inputs = HOMES + "said:\n  value: 0.9 million homes\n  kind: reference\n  source: eia\n"
    claims = "k:\n  text: x\n  claimed: said\n  implied: homes\n"
    verdict = _verdict(_scenario(tmp_path, inputs, claims, HOMES_DERIVED), "k")
    assert verdict.verdict == "overstated"  # 0.9 / 0.81 = 1.11
    assert verdict.flip == "consistent at a tolerance of 15%"
    result = CliRunner().invoke(app, ["check", _scenario(tmp_path, inputs, claims, HOMES_DERIVED)])
    assert "close call: consistent at a tolerance of 15%" in result.output


def test_chance_is_shown_only_when_something_varies_and_never_rounds_to_certainty(tmp_path):
    claims = "k:\n  text: x\n  claimed: power\n  implied: power\n"
    assert _verdict(_scenario(tmp_path, HOMES, claims), "k", samples=200).p_exceeds is None
    assert [_chance(p) for p in (0.0, 0.001, 0.5, 0.999, 1.0)] == [
        "0%",
        "< 1%",
        "50%",
        "> 99%",
        "100%",
    ]


def test_equal_varying_sides_are_even_not_certain(tmp_path):
    inputs = HOMES.replace(
        "  source: eia\nhousehold", "  source: eia\n  range: [0.9 GW, 1.1 GW]\nhousehold"
    )
    claims = "k:\n  text: x\n  claimed: power * 3 / 3\n  implied: power\n"
    verdict = _verdict(_scenario(tmp_path, inputs, claims), "k", samples=500)
    assert verdict.p_exceeds == pytest.approx(0.5)
    assert "P(implied > claimed) = 50%" in verdict.describe()


@pytest.mark.parametrize(
    ("claims", "fragment"),
    [
        ("k:\n  text: x\n  implied: power\n", "needs exactly one of 'claimed'"),
        (
            "k:\n  text: x\n  claimed: power\n  implied: power\n  bound: roughly-ish\n",
            "'roughly-ish' is not a bound",
        ),
        (
            "k:\n  text: x\n  claimed: power\n  implied: power\n  kind: vibes\n",
            "'vibes' is not a kind of claim",
        ),
        ("k:\n  text: x\n  claimed_range: [power]\n  implied: power\n", "a range is [low, high]"),
    ],
)
def test_a_badly_shaped_claim_is_one_line_with_exit_2(tmp_path, claims, fragment):
    result = CliRunner().invoke(app, ["check", _scenario(tmp_path, HOMES, claims)])
    assert result.exit_code == 2
    assert fragment in result.output
    assert "shapes.yaml:" in result.output


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_every_new_verdict_renders_in_every_format(tmp_path, fmt):
    inputs = ARITHMETIC + HOMES + "rumour:\n  value: 1 GW\n  kind: reference\n  source: blog\n"
    claims = (
        "own:\n  text: sum\n  claimed: total\n  implied: buildings + chips\n"
        "slip:\n  text: slip\n  claimed_as_published: 1 GW/day\n  implied: power\n"
        "  source: article\n"
        "weak:\n  text: weak\n  claimed: rumour\n  implied: power\n"
    )
    path = _scenario(tmp_path, inputs, claims)
    result = CliRunner().invoke(app, ["check", path, "-f", fmt])
    assert result.exit_code == 1, result.output
    for verdict in ("arithmetic error", "unit error", "unsupported"):
        assert verdict in result.output
    report = CliRunner().invoke(app, ["report", path])
    assert "unit error" in report.output
    html = calc.load_scenario(path).evaluate()._repr_html_()
    assert "calc-unit-error" in html


def test_an_ambiguous_claim_is_judged_on_each_basis_it_may_use(tmp_path):
    inputs = HOMES + (
        "said:\n  value: 1.2 million homes\n  kind: reference\n  source: eia\n"
        "peak_per_home:\n  value: 0.83 kW/home\n  kind: reference\n  source: eia\n"
    )
    derived = HOMES_DERIVED + "homes_at_peak:\n  formula: power / peak_per_home\n  unit: home\n"
    claims = (
        "k:\n  text: 1.2 million homes\n  claimed: said\n  implied: homes\n"
        "  bases:\n    peak-demand: homes_at_peak\n"
    )
    verdict = _verdict(_scenario(tmp_path, inputs, claims, derived), "k")
    assert verdict.verdict == "consistent"  # 1.2 million homes at 0.83 kW at peak
    assert [(basis, v.verdict) for basis, v in verdict.readings] == [
        ("homes", "overstated"),
        ("peak-demand", "consistent"),
    ]
    assert verdict.describe().startswith("on the homes basis overstated 1.48\u00d7; on the peak")


@pytest.mark.parametrize(
    ("written", "shown"), [("2024", "2024"), ("2025-11", "2025-11"), ("2025-11-21", "2025-11-21")]
)
def test_catalogue_dates_are_printed_as_written(tmp_path, written, shown):
    path = _scenario(tmp_path, HOMES, "k:\n  text: x\n  claimed: power\n  implied: power\n")
    catalogue = (tmp_path / "catalogue.yaml").read_text(encoding="utf-8")
    catalogue = catalogue.replace("date: 2025-11-21", f"date: {written}")
    catalogue = catalogue.replace('date: "2024"', f"date: {written}")
    (tmp_path / "catalogue.yaml").write_text(catalogue, encoding="utf-8")
    sources = calc.load_scenario(path).catalogue.sources
    assert sources["article"].date == shown
    assert sources["eia"].date == shown


# --- a published figure's basis; unsupported after the numbers (#13) -----------

PUBLISHED_COST = """\
cost:
  value: 50 billion USD/GW
  kind: reference
  source: eia
  basis: [cost, all-in]
"""


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("investment", "the claimed side measures investment and the implied side cost (money)"),
        ("[cost, chips]", "the claimed side measures chips and the implied side all-in (scope)"),
    ],
)
def test_a_published_figure_carries_a_basis_like_other_claims(tmp_path, basis, expected):
    """ "$10 billion per GW" printed as an investment, against an all-in cost (#13)."""
    claims = (
        "k:\n  text: an investment of $10 B per GW\n  claimed_as_published: $10 billion/GW\n"
        f"  basis: {basis}\n  implied: cost\n  source: article\n"
    )
    verdict = _verdict(_scenario(tmp_path, PUBLISHED_COST, claims), "k")
    assert verdict.verdict == "not comparable"
    assert verdict.detail == expected
    same = claims.replace(f"basis: {basis}", "basis: [cost, all-in]")
    (tmp_path / "same").mkdir()
    again = _verdict(_scenario(tmp_path / "same", PUBLISHED_COST, same), "k")
    assert again.describe() == "understated 0.2\u00d7"  # the same thing measured, far off


def test_a_basis_is_refused_on_a_claimed_formula(tmp_path):
    claims = "k:\n  text: x\n  claimed: cost\n  basis: investment\n  implied: cost\n"
    result = CliRunner().invoke(app, ["check", _scenario(tmp_path, PUBLISHED_COST, claims)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "claims.k.basis: has a 'basis' but no 'claimed_as_published'; a claimed formula "
        "measures what its inputs measure: give the 'basis' on those inputs or derived "
        "quantities\n"
    )


WEAK = """\
rumour:
  value: 1.3 GW
  range: [1.2 GW, 1.4 GW]
  kind: reference
  source: blog
eia_power:
  value: 1 GW
  kind: reference
  source: eia
"""


def test_an_unsupported_claim_is_still_computed_and_shown(tmp_path):
    """Its numbers are worked out and shown; the verdict then says they rest on
    nothing a source states (#13)."""
    claims = "k:\n  text: a gigawatt and a bit\n  claimed: rumour\n  implied: eia_power\n"
    path = _scenario(tmp_path, WEAK, claims)
    verdict = _verdict(path, "k")
    assert verdict.verdict == "unsupported"
    assert verdict.ratio == pytest.approx(1.3)
    assert verdict.detail == (
        "the claimed side rests only on figures graded U (rumour); the numbers alone read "
        "overstated 1.3\u00d7"
    )
    sampled = _verdict(path, "k", samples=2000)
    assert sampled.verdict == "unsupported" and sampled.interval is not None
    assert sampled.p_exceeds == 0.0  # the implied 1 GW is below every sample of 1.2-1.4 GW
    out = CliRunner().invoke(app, ["check", path, "-f", "json", "--samples", "0"])
    data = json.loads(out.stdout)["claims"]["k"]
    assert (data["verdict"], data["ratio"]) == ("unsupported", pytest.approx(1.3))


def test_an_unsupported_published_figure_is_still_computed(tmp_path):
    claims = (
        "k:\n  text: printed as 1.3 GW\n  claimed_as_published: 1.3 GW\n  implied: eia_power\n"
        "  source: blog\n"
    )
    verdict = _verdict(_scenario(tmp_path, WEAK, claims), "k")
    assert (verdict.verdict, verdict.ratio) == ("unsupported", pytest.approx(1.3))
    assert verdict.detail == (
        "the published figure rests only on blog, graded U; the numbers alone read overstated "
        "1.3\u00d7"
    )


@pytest.mark.parametrize(
    ("words", "bound"),
    [("fewer than", "at_most"), ("in excess of", "at_least"), ("close to", "about")],
)
def test_every_qualifier_calc_extract_keeps_reads_as_a_bound(tmp_path, words, bound):
    """A claim's bound can be the qualifier `calc extract` kept, word for word (#13)."""
    claims = f"k:\n  text: x\n  claimed: power\n  bound: {words}\n  implied: power\n"
    assert calc.load_scenario(_scenario(tmp_path, HOMES, claims)).claims["k"].bound == bound
