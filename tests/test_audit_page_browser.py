"""The `calc audit --format html` page in a real headless browser (#15).

Debian's Chromium and ChromeDriver (`apt-get install chromium chromium-driver`; .ci/run
installs them) drive the page through Selenium: each figure's highlight must sit where
the figure's words are, in its verdict's colour, and clicking a figure must mark its
checks. The screenshot is kept beside the test's temporary files to look at. Without the
browser the test is skipped and says why.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calc.cli import app

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests/cases/audit/articles/008_newser-nvidia-openai-hoover.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
        "chromium-driver)",
    ),
]


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    yield driver
    driver.quit()


def test_highlights_sit_on_the_figures_and_a_click_marks_the_checks(
    browser, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "audit.html"
    result = CliRunner().invoke(app, ["audit", str(ARTICLE), "-f", "html", "-o", str(page)])
    assert result.exit_code in (0, 1), result.output
    browser.get(page.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.checked")
    text = ARTICLE.read_text(encoding="utf-8")
    assert [m.text for m in marks] == [
        "$100 billion",
        "10 gigawatts",
        "four Hoover Dams",
        "eight million homes",
    ]
    column = browser.find_element(By.CSS_SELECTOR, ".text").rect
    for mark in marks:
        assert mark.text in text
        box = mark.rect
        assert box["width"] > 0 and box["height"] > 0
        inside_x = column["x"] <= box["x"] <= column["x"] + column["width"]
        inside_y = column["y"] <= box["y"] <= column["y"] + column["height"]
        assert inside_x and inside_y, (mark.text, box, column)
        colour = mark.value_of_css_property("border-bottom-color")
        expected = {"consistent": "rgba(26, 127, 55, 1)", "not comparable": "rgba(110, 64, 201, 1)"}
        assert colour == expected[mark.get_attribute("data-verdict")]
    money = marks[0]
    money.click()
    active = browser.find_elements(By.CSS_SELECTOR, "ol.checks li.active")
    assert [a.get_attribute("id") for a in active] == money.get_attribute("data-checks").split()
    assert "money against power" in active[0].text
    assert money.get_attribute("title") == "check 2: not comparable"
    shot = tmp_path / "audit.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
