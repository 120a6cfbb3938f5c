"""notebooks/quickstart.ipynb runs top to bottom in a real Jupyter kernel.

Marked slow: CI runs it once, on the README's Python and the newest versions; the
Jupyter stack is imported inside the fixture, so that the other runs, which deselect
it, do not import it while collecting.
"""

from __future__ import annotations

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def notebook():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # a failing cell raises CellExecutionError and fails the test
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    return notebook


@pytest.fixture(scope="module")
def executed(notebook):
    return [c for c in notebook.cells if c.cell_type == "code"]


def _outputs(cell, kind):
    return [o["data"][kind] for o in cell.outputs if kind in o.get("data", {})]


def test_every_cell_runs_without_error(executed):
    for cell in executed:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source


def _text_outputs(cell):
    """Every text and HTML output of a cell (images left out)."""
    texts = [o.get("text", "") for o in cell.outputs if o.output_type == "stream"]
    for kind in ("text/html", "text/plain", "text/markdown"):
        texts += _outputs(cell, kind)
    return "\n".join(texts)


def test_the_scenario_and_results_render_as_html(executed):
    assert "OpenAI&#x27;s 30 GW, $1.4 trillion build-out" in _outputs(executed[0], "text/html")[0]
    frame = _outputs(executed[1], "text/html")[0]
    assert "rack_count" in frame and "per_home_load" in frame
    assert ">192,308<" in frame and ">46.7 billion<" in frame and ">1.4 trillion<" in frame


def test_quantities_read_as_the_terminal(executed):
    assert _outputs(executed[2], "text/html") == ["46.7 billion USD/GW"]  # r.point
    assert _outputs(executed[2], "text/plain") == ["46.7 billion USD/GW"]
    samples = _outputs(executed[3], "text/plain")[0]
    assert samples.startswith("10,000 values: 5% ") and samples.endswith(" racks")
    assert _outputs(executed[4], "text/html") == ["46.7 billion USD/GW"]


def test_explain_and_what_if_and_claims(executed):
    explained = _outputs(executed[5], "text/html")[0]
    assert "How rack_count is derived" in explained and "rack_count rests on 4 inputs" in explained
    printed = "".join(o.get("text", "") for o in executed[6].outputs if o.output_type == "stream")
    assert printed.endswith("what if rack_power = 600 kW/rack (was 120 kW/rack)\n")
    compared = _outputs(executed[6], "text/html")[0]
    assert "rack_power = 600 kW/rack" in compared and ">38,462<" in compared
    named = _outputs(executed[7], "text/html")[0]
    assert "GB200 racks" in named and "Kyber racks" in named
    verdicts = _outputs(executed[8], "text/html")
    assert len(verdicts) == 1 and verdicts[0].count("<table") == 1
    assert "homes_equivalence" in verdicts[0] and "implied 90% interval" in verdicts[0]


def test_the_plots_are_images(executed):
    assert _outputs(executed[9], "image/png")
    for cell in (executed[10], executed[11]):  # sensitivity and sweep: a table, a plot
        shown = _outputs(cell, "text/html")[0]
        assert "<table" in shown and "data:image/png;base64," in shown


def test_interact_redraws_in_the_kernel(executed):
    assert _outputs(executed[12], "application/vnd.jupyter.widget-view+json")
    moved = "".join(_outputs(executed[13], "text/html"))
    assert "177,515 racks" in moved  # 30 GW / 1.3 / 130 kW per rack


@pytest.fixture(scope="module")
def rendered(notebook):
    """The executed notebook as nbconvert's HTML, images taken out."""
    import re

    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(notebook)
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", body)


def test_the_rendered_notebook_has_no_scientific_notation_or_pint_reprs(executed, rendered):
    import re

    outputs = "\n".join(_text_outputs(c) for c in executed)
    assert not re.search(r"\d\.\d+e[+-]\d\d", outputs)  # 1.400000e+12
    assert not re.search(r"\d\.\d{5,}", outputs)  # 227272.727273, 46.666666666666664
    assert "USD·billion" not in outputs and "USD billion" not in outputs
    assert "46.7 billion USD/GW" in rendered and "rack_power = 600 kW/rack" in rendered
    assert "What moves rack_count" in rendered


def test_an_export_without_widget_state_shows_the_what_if_as_last_drawn(notebook):
    """JupyterLab saves no widget state by default; nbconvert then showed 'VBox(...)' for
    calc.interact. It shows the inputs and the results as drawn when the cell ran (#20)."""
    import copy

    from nbconvert import HTMLExporter

    saved = copy.deepcopy(notebook)
    saved.metadata.pop("widgets", None)
    body, _ = HTMLExporter().from_notebook_node(saved)
    assert "calc-interact-static" in body and "VBox(" not in body
    static = body.split("calc-interact-static", 1)[1]
    assert "192,308 racks" in static  # rack_power at 120 kW/rack when the box was shown
    assert "120 to 132 kW/rack" in static
