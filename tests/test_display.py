"""Notebook display: HTML that says the right things, readable reprs, DataFrames, figures."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import calc
from calc.errors import CalcError


class Tables(HTMLParser):
    """Collects each table's rows as lists of cell texts, and the links and styles seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, str] = {}
        self.styles: dict[str, str] = {}
        self._table = self._row = self._cell = None
        self._href = self._span = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("class", "")
            self.tables[self._table] = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "a":
            self._href = attrs["href"]
        elif tag == "span" and "calc-verdict" in attrs.get("class", ""):
            self._span = attrs["style"]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._href is not None:
            self.links[data] = self._href
        if self._span is not None:
            self.styles[data] = self._span

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr":
            self.tables[self._table].append(self._row)
        elif tag == "a":
            self._href = None
        elif tag == "span":
            self._span = None


def parse(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def test_result_html_has_values_units_links_and_coloured_verdicts(seed_result):
    page = parse(seed_result._repr_html_())
    rows = {r[0]: r for r in page.tables["calc-result"][1:]}
    assert page.tables["calc-result"][0] == ["quantity", "value", "unit", "kind", "sources"]
    assert rows["cost_per_gw"][1:4] == ["46.7", "billion USD/GW", "derived"]
    assert rows["rack_count"][1:3] == ["192,308", "racks"]
    assert (
        page.links["ref:eia-household-2022"] == "https://www.eia.gov/tools/faqs/faq.php?id=97&t=3"
    )
    claims = {r[0]: r for r in page.tables["calc-claims"][1:]}
    # the verdict in colour, the ratio in its own column (#20)
    assert claims["foxconn_deal_value"][1:3] == ["conflict", "implied is zero"]
    assert claims["homes_equivalence"][1:3] == ["consistent", "1.03\u00d7"]
    assert "#cf222e" in page.styles["conflict"]
    assert "#1a7f37" in page.styles["consistent"]


def test_sampled_result_html_has_percentile_columns(seed_scenario):
    page = parse(seed_scenario.evaluate(samples=5000, seed=0)._repr_html_())
    header, *body = page.tables["calc-result"]
    assert header == ["quantity", "point", "mean", "5%", "50%", "95%", "unit", "kind", "sources"]
    racks = next(r for r in body if r[0] == "rack_count")
    assert racks[1] == "192,308" and racks[6] == "racks"
    assert int(racks[3].replace(",", "")) < 192_308 < int(racks[5].replace(",", ""))


def test_html_escapes_text(seed_scenario):
    page = seed_scenario._repr_html_()
    assert "OpenAI&#x27;s 30 GW" in page and "OpenAI's 30 GW" not in page


def test_scenario_html_lists_inputs_with_uncertainty_derived_and_claims(seed_scenario):
    page = parse(seed_scenario._repr_html_())
    inputs = {r[0]: r for r in page.tables["calc-inputs"][1:]}
    assert inputs["pue"][1:4] == ["1.3", "lognormal, 90% in [1.1, 1.4]", "assumption"]
    assert inputs["load_factor"][2] == "pert(0.5, 0.8, 1)"  # numbers as calc shows them
    derived = {r[0]: r for r in page.tables["calc-derived"][1:]}
    assert derived["rack_count"][1:] == ["it_power / rack_power", "rack"]
    assert [r[0] for r in page.tables["calc-claims"][1:]] == [
        "homes_equivalence",
        "cost_per_gw_vs_industry",
        "gpus_per_gw_vs_huang",
        "foxconn_deal_value",
    ]


def test_reprs_are_readable(seed_scenario, seed_result):
    assert repr(seed_scenario) == (
        '<Scenario "OpenAI\'s 30 GW, $1.4 trillion build-out" '
        "from openai-30gw.yaml: 14 inputs, 14 derived, 4 claims>"
    )
    assert str(seed_scenario).splitlines()[2].split() == ["planned_power", "30", "GW"]
    assert repr(seed_result) == (
        '<Result of "OpenAI\'s 30 GW, $1.4 trillion build-out": 28 quantities, 4 claims>'
    )
    assert str(seed_result).splitlines()[2].split() == ["quantity", "value", "kind", "sources"]
    verdict = seed_result.verdicts[0]
    assert repr(verdict) == "<Verdict homes_equivalence: consistent (1.03\u00d7)>"
    assert str(verdict) == "homes_equivalence: consistent (1.03\u00d7)"


def test_to_frame_point(seed_result):
    frame = seed_result.to_frame().set_index("name")
    assert list(frame.columns) == ["value", "unit", "kind", "sources", "formula"]
    assert frame.loc["cost_per_gw", "value"] == pytest.approx(1.4e12 / 30)
    assert frame.loc["cost_per_gw", "unit"] == "USD/GW"
    assert frame.loc["rack_count", "sources"] == (
        "seed-003, ref:gb200-nvl72-rack-power, ref:gb300-nvl72-rack-power, "
        "ref:uptime-new-builds-pue-2024"
    )
    assert frame.loc["pue", "kind"] == "assumption"
    assert frame.loc["it_power", "formula"] == "planned_power / pue ** planned_power_is_facility"


def test_to_frame_sampled(seed_scenario):
    frame = seed_scenario.evaluate(samples=20_000, seed=3).to_frame().set_index("name")
    # the percentiles beside the value, as the terminal shows them (#20)
    assert list(frame.columns) == [
        "value",
        "p5",
        "p50",
        "p95",
        "mean",
        "unit",
        "kind",
        "sources",
        "formula",
    ]
    row = frame.loc["rack_count"]
    assert row.p5 < row.p50 < row.p95
    assert frame.loc["planned_power", "p95"] == 30


def test_to_frame_without_pandas(seed_result, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(CalcError) as info:
        seed_result.to_frame()
    assert str(info.value) == (
        "to_frame needs pandas, which is not installed; install it "
        "with pip install 'infracalc[table]'"
    )


def test_plots_return_figures_without_showing(seed_scenario, monkeypatch):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show was called"))
    before = plt.get_fignums()
    figure = seed_scenario.evaluate(samples=2000, seed=1).plot("rack_count")
    tornado = seed_scenario.sensitivity("rack_count", samples=2000).plot()
    assert isinstance(figure, Figure) and isinstance(tornado, Figure)
    assert figure.axes[0].get_xlabel() == "rack_count (racks)"
    assert tornado.axes[0].get_xlabel() == "rack_count (racks)"
    assert plt.get_fignums() == before  # no pyplot state touched


def test_plot_needs_samples(seed_result):
    with pytest.raises(CalcError, match=r"histograms need samples"):
        seed_result.plot("rack_count")


def test_public_api_is_explicit():
    assert sorted(calc.__all__) == sorted(set(calc.__all__))
    for name in calc.__all__:
        assert getattr(calc, name) is not None, name
    assert dir(calc) == sorted(calc.__all__)
    with pytest.raises(AttributeError, match="module 'calc' has no attribute 'nope'"):
        calc.nope  # noqa: B018


def test_explanation_html_shows_formulas_values_and_verified_quotes(seed_result):
    html = seed_result.explain("rack_count")._repr_html_()
    page = parse(html)
    assert "<code>rack_count</code> = <b>192,308 racks</b> <i>[derived]</i>" in html
    assert "= <code>it_power / rack_power</code>" in html
    assert "<code>planned_power</code> = <b>30 GW</b> <i>[stated]</i>" in html
    assert (
        "&ldquo;invest $1.4 trillion to develop 30 gigawatts of computing power&rdquo; "
        '<span class="calc-status" style="color: #1a7f37">(quote verified)</span>'
    ) in html
    assert page.links["ref:gb300-nvl72-rack-power"] == (
        "https://introl.com/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters"
    )
    assert "(unverified)" in html
