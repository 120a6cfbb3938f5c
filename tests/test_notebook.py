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
def executed():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # a failing cell raises CellExecutionError and fails the test
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    return [c for c in notebook.cells if c.cell_type == "code"]


def _outputs(cell, kind):
    return [o["data"][kind] for o in cell.outputs if kind in o.get("data", {})]


def test_every_cell_runs_without_error(executed):
    for cell in executed:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source


def test_the_scenario_and_results_render_as_html(executed):
    assert "OpenAI&#x27;s 30 GW, $1.4 trillion build-out" in _outputs(executed[0], "text/html")[0]
    frame = _outputs(executed[1], "text/html")[0]
    assert "rack_count" in frame and "per_home_load" in frame


def test_explain_and_what_if_and_claims(executed):
    assert "How rack_count is derived" in _outputs(executed[2], "text/html")[0]
    printed = "".join(o.get("text", "") for o in executed[3].outputs if o.output_type == "stream")
    assert printed == "41,667 racks\n"  # 30 GW / 1.2 / 600 kW per rack
    verdicts = "".join(_outputs(executed[4], "text/html")[i] for i in range(4))
    assert "homes_equivalence" in verdicts and "conflict (implied is zero" in verdicts


def test_the_plots_are_images(executed):
    assert _outputs(executed[5], "image/png")
    assert _outputs(executed[6], "image/png")
