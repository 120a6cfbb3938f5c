"""Where the bundled scenarios and seeds live, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

from calc.errors import Location, ScenarioFileError

_PACKAGE = Path(__file__).resolve().parent.parent  # calc/
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


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios that ship with calc, by name (the file name without ``.yaml``)."""
    folder = data_root() / "scenarios"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"), key=lambda p: p.stem)}


def resolve_scenario(path: str | Path) -> Path:
    """A scenario file: the path when it exists, else the shipped scenario of that name.

    A path that exists always wins, so a local ``openai-30gw.yaml`` is never shadowed
    by the shipped one. ``openai-30gw`` and ``openai-30gw.yaml`` both name it.
    """
    given = Path(path)
    if given.exists() or given.parent != Path("."):
        return given
    shipped = shipped_scenarios()
    name = given.stem if given.suffix in (".yaml", ".yml") else given.name
    if name in shipped:
        return shipped[name]
    names = ", ".join(shipped)
    raise ScenarioFileError(
        f"no such file, and no shipped scenario of that name; check the "
        f"path, or name one that ships with calc: {names}",
        location=Location(given),
    )


def find_catalogue(scenario_file: Path) -> Path:
    """The nearest ``seeds/catalogue.yaml`` above a scenario, else the bundled one."""
    return _catalogue_above(scenario_file) or data_root() / "seeds" / "catalogue.yaml"


def has_own_catalogue(scenario_file: Path) -> bool:
    """Whether a ``seeds/catalogue.yaml`` lies above the scenario (else calc falls back
    on the bundled one, whose entries never replace the reference library's)."""
    return _catalogue_above(scenario_file) is not None


def _catalogue_above(scenario_file: Path) -> Path | None:
    for folder in scenario_file.resolve().parents:
        candidate = folder / "seeds" / "catalogue.yaml"
        if candidate.is_file():
            return candidate
    return None
