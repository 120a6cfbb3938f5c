"""Screenshots of the quickstart notebook as a reader sees it, in headless Chromium.

    .venv/bin/python bench/notebook_screenshot.py [--out notebook.png] [--width 1200]
        [--height 9000] [--dark]

Executes notebooks/quickstart.ipynb in a real kernel (nbclient), renders it to HTML
with nbconvert (the lab template; --dark its dark theme), and screenshots the page
with Debian's `chromium` (`apt-get install -y chromium`), headless, with a fresh
profile and no network use of its own. Prints the paths written and the checks the
test suite makes of the same page: scientific notation, pint's default reprs, and the
sections the quickstart must cover. Look at the PNG: the point is what a person sees.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
SECTIONS = [
    "46.7 billion USD/GW",  # a bare quantity, as the terminal writes it
    "rack_power = 600 kW/rack",  # a named what-if
    "implied 90% interval",  # the verdict table
    "What moves rack_count",  # sensitivity: table and tornado
    "calc-interact",  # the interactive what-if, redrawn
    "calc-interact-static",  # the what-if's own cell, as a page without a kernel shows it
]


def rendered_html(dark: bool) -> str:
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # no widget state, as JupyterLab saves a notebook by default: with it, nbconvert's page
    # draws widgets with a script from a CDN, which an offline page never loads
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
        store_widget_state=False,
    ).execute()
    exporter = HTMLExporter(template_name="lab", theme="dark" if dark else "light")
    body, _ = exporter.from_notebook_node(notebook)
    return body


def checks(body: str) -> list[str]:
    """What is wrong with the page, in words (empty when nothing is)."""
    text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", body)
    problems = []
    if found := re.search(r"\d\.\d+e[+-]\d\d", text):
        problems.append(f"scientific notation: {found.group()}")
    if found := re.search(r"\d\.\d{6,}", text):
        problems.append(f"an unrounded number: {found.group()}")
    if "<th>Magnitude</th>" in text:
        problems.append("a pint default repr (Magnitude/Units table)")
    problems += [f"missing: {s}" for s in SECTIONS if s not in text]
    return problems


def screenshot(html: Path, png: Path, width: int, height: int) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("no chromium: install Debian's package with apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("notebook.png"))
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=9000)
    parser.add_argument("--dark", action="store_true", help="nbconvert's dark theme")
    args = parser.parse_args()
    body = rendered_html(args.dark)
    html = args.out.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    screenshot(html.resolve(), args.out.resolve(), args.width, args.height)
    print(f"wrote {html} and {args.out}")
    problems = checks(body)
    print("checks: " + ("; ".join(problems) if problems else "all pass"))


if __name__ == "__main__":
    main()
