"""The ``calc`` command line: a thin typer layer over the library.

Exit codes: 0 success (and every claim consistent, for ``check``), 1 findings
(a claim that is not consistent), 2 bad input or usage. Errors go to stderr as
one message naming file, line and field, without a traceback unless ``--debug``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import CalcError

if TYPE_CHECKING:
    from .scenario import Scenario

app = typer.Typer(
    name="calc",
    help="Infrastructure-scale what-if calculator: unit-aware scenarios, verified sources, "
    "verdicts on claims.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


_state = {"debug": False}

ScenarioArg = Annotated[
    Path | None,
    typer.Argument(help="Scenario file (YAML). Default: the seed scenario, openai-30gw.yaml.",
                   show_default=False),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", metavar="NAME=VALUE",
                 help="Override an input for this run, e.g. --set pue=1.3 "
                      "--set rack_power='600 kW/rack'. Repeatable."),
]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn CalcError into a message on stderr and exit 2 (a traceback with --debug)."""
    try:
        yield
    except CalcError as exc:
        if _state["debug"]:
            raise
        typer.echo(f"calc: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _load(path: Path | None, assignments: list[str] | None = None) -> Scenario:
    """Load the scenario (the seed one by default) and apply --set overrides."""
    from .overrides import parse_assignment
    from .paths import default_scenario
    from .scenario import load_scenario

    scenario = load_scenario(path if path is not None else default_scenario())
    overrides = dict(parse_assignment(a) for a in assignments or [])
    return scenario.with_inputs(overrides)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"calc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[bool | None, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """calc: what do the figures imply, do they hang together, where did each come from."""
    _state["debug"] = debug


@app.command()
def run(scenario: ScenarioArg = None, fmt: FormatOpt = OutputFormat.table,
        assignments: SetOpt = None) -> None:
    """Evaluate a scenario and print every quantity with its kind and sources."""
    from .render import render_run

    with _user_errors():
        typer.echo(render_run(_load(scenario, assignments).evaluate(), fmt.value), nl=False)


@app.command()
def check(scenario: ScenarioArg = None, fmt: FormatOpt = OutputFormat.table,
          assignments: SetOpt = None) -> None:
    """Judge every claim: consistent, overstated, understated or conflict.

    Exits 0 when every claim is consistent, 1 when any is not, 2 on bad input.
    """
    from .render import render_check

    with _user_errors():
        result = _load(scenario, assignments).evaluate()
        typer.echo(render_check(result, fmt.value), nl=False)
    if not result.all_consistent:
        raise typer.Exit(EXIT_FINDINGS)


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins through importlib.metadata (~70 ms) when the first
    # model is built; this process is ours and uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="calc")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


# --- extract ----------------------------------------------------------------------


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def extract(
    article: Annotated[Path, typer.Argument(help="The article's text (UTF-8).",
                                            show_default=False)],
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="Output format.")]
    = ExtractFormat.table,
    scaffold: Annotated[Path | None, typer.Option(
        "--scaffold", help="Also write a scenario (YAML) with each figure as a stated input, "
        "and add the article to its source catalogue.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --scaffold file if it "
                                        "exists.")] = False,
) -> None:
    """List every figure an article states: value, unit, quote and offset.

    With --scaffold, also write a scenario in which each figure is a stated input.
    """
    from .figures import extract as find_figures
    from .figures import render_figures
    from .scaffold import describe, read_article
    from .scaffold import scaffold as write_scaffold

    with _user_errors():
        written = write_scaffold(article, scaffold, force=force) if scaffold else None
        figures = find_figures(read_article(article))
        typer.echo(render_figures(figures, fmt.value, title=str(article)), nl=False)
        if written is not None:
            typer.echo(describe(written), err=True, nl=False)
