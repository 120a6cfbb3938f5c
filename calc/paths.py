"""Where the bundled scenarios and seeds live, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DEFAULT_SCENARIO = "openai-30gw.yaml"


def data_root() -> Path:
    """The folder holding ``scenarios/`` and ``seeds/``.

    A wheel carries them inside the package as ``calc/_data``; a checkout (or an
    editable install) has them at the repository's top level.
    """
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _PACKAGE.parent


def default_scenario() -> Path:
    """The seed scenario that ``calc run`` evaluates when given no file."""
    return data_root() / "scenarios" / DEFAULT_SCENARIO


def find_catalogue(scenario_file: Path) -> Path:
    """The nearest ``seeds/catalogue.yaml`` above a scenario, else the bundled one."""
    for folder in scenario_file.resolve().parents:
        candidate = folder / "seeds" / "catalogue.yaml"
        if candidate.is_file():
            return candidate
    return data_root() / "seeds" / "catalogue.yaml"
