"""Shared fixtures: the seed scenario, and variants of it written to a temp folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# CI selects a derandomized profile: the same examples on every run, so a red CI is a
# real failure, not a new draw. The long random campaign is bench/fuzz.py.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

import calc  # noqa: E402 (after the Hypothesis profile)
from calc.result import Result  # noqa: E402 (after the Hypothesis profile)
from calc.scenario import Scenario  # noqa: E402 (after the Hypothesis profile)

ROOT = Path(__file__).resolve().parent.parent
SEED_SCENARIO = ROOT / "scenarios" / "openai-30gw.yaml"


#: The memory budget the tests' messages and limits are written for: the machine's own
#: (a share of what it has free) would make them differ from one machine to the next.
TEST_MEMORY_BUDGET = 4_000_000_000


@pytest.fixture(autouse=True)
def fixed_memory_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("calc.domain.budget.MEMORY_BUDGET", TEST_MEMORY_BUDGET)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once when a source catalogue sits above pytest's temporary folder (a
    ``calc audit --write /tmp/x.yaml`` run by hand makes /tmp/seeds/): scaffolds in the
    tests would add their articles to it, and a hundred tests fail for no reason shown."""
    import tempfile

    base = Path(tempfile.gettempdir()).resolve()
    for folder in (base, *base.parents):
        stray = folder / "seeds" / "catalogue.yaml"
        if stray.is_file():
            pytest.exit(
                f"{stray} lies above the tests' temporary folders: scaffolds in the tests "
                f"would use it; move {stray.parent} away and run the tests again",
                returncode=4,
            )


@pytest.fixture(scope="session")
def seed_scenario() -> Scenario:
    return calc.load_scenario(SEED_SCENARIO)


@pytest.fixture(scope="session")
def seed_result(seed_scenario: Scenario) -> Result:
    return seed_scenario.evaluate()


@pytest.fixture
def variant(tmp_path: Path) -> Callable[..., Path]:
    """Write the seed scenario with text replaced, as ``tmp_path/name``.

    Each replacement must match exactly once, so a test cannot silently test the
    unmodified file. The copy finds the repository's catalogue (none above tmp).
    """

    def write(*replacements: tuple[str, str], name: str = "variant.yaml") -> Path:
        text = SEED_SCENARIO.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def line_of(path: Path, anchor: str, needle: str | None = None) -> int:
    """The 1-based number of the first line starting with ``anchor`` or, given a
    ``needle``, of the first line at or after it that contains the needle."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(anchor))
    if needle is None:
        return start + 1
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1
