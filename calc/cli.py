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
    from .errors import Location
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


def _load(path: Path | None) -> Scenario:
    from .paths import default_scenario
    from .scenario import load_scenario

    return load_scenario(path if path is not None else default_scenario())


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
def run(scenario: ScenarioArg = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Evaluate a scenario and print every quantity with its kind and sources."""
    from .render import render_run

    with _user_errors():
        typer.echo(render_run(_load(scenario).evaluate(), fmt.value), nl=False)


@app.command()
def check(scenario: ScenarioArg = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Judge every claim: consistent, overstated, understated or conflict.

    Exits 0 when every claim is consistent, 1 when any is not, 2 on bad input.
    """
    from .render import render_check

    with _user_errors():
        result = _load(scenario).evaluate()
        typer.echo(render_check(result, fmt.value), nl=False)
    if not result.all_consistent:
        raise typer.Exit(EXIT_FINDINGS)


class TreeFormat(StrEnum):
    text = "text"
    json = "json"


def _explain_parts(first: str | None, second: str | None) -> tuple[Path | None, str]:
    """'[FILE] NAME': a name alone is explained in the seed scenario."""
    if first is None:
        raise typer.BadParameter("give the name of a quantity to explain, as in "
                                 "calc explain rack_count", param_hint="NAME")
    if second is None and first.endswith((".yaml", ".yml")):
        raise typer.BadParameter(f"give the name of a quantity after the file: calc explain "
                                 f"{first} NAME", param_hint="NAME")
    return (None, first) if second is None else (Path(first), second)


@app.command()
def explain(
    first: Annotated[str | None, typer.Argument(
        metavar="FILE", show_default=False,
        help="Scenario file. Default: the seed scenario, openai-30gw.yaml.")] = None,
    second: Annotated[str | None, typer.Argument(
        metavar="NAME", show_default=False, help="The quantity to explain.")] = None,
    fmt: Annotated[TreeFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = TreeFormat.text,
) -> None:
    """Show how a quantity is derived, down to the inputs and their sources.

    Prints each step's formula and value, and for every input its kind, source and
    verbatim quote (seed quotes verified, external ones not). With only NAME, the
    seed scenario.
    """
    path, name = _explain_parts(first, second)
    with _user_errors():
        tree = _load(path).evaluate().explain(name)
        if fmt is TreeFormat.json:
            import json

            typer.echo(json.dumps(tree.to_json(), indent=2, ensure_ascii=False))
        else:
            typer.echo(str(tree), nl=False)


@app.command()
def sources(
    scenario: ScenarioArg = None,
    unused: Annotated[bool, typer.Option(
        "--unused", help="List the catalogue entries that nothing in the scenario cites.")
                      ] = False,
) -> None:
    """List the sources a scenario cites and what rests on each.

    For every source: the inputs quoting it, and through them the derived quantities
    and claims. With --unused: the catalogue entries nothing cites.
    """
    from .support import render_supports, render_unused

    with _user_errors():
        loaded = _load(scenario)
        typer.echo((render_unused if unused else render_supports)(loaded), nl=False)


@app.command("eval", context_settings={"ignore_unknown_options": True})
def eval_(
    expressions: Annotated[list[str] | None, typer.Argument(
        metavar="[EXPR]...", show_default=False,
        help="Expressions such as '1.4 trillion USD / 30 GW'. None, or '-': read them from "
             "standard input, one a line.")] = None,
    to: Annotated[str | None, typer.Option(
        "--to", help="Show each result in this unit, e.g. 'kW/home' or 'billion USD/GW'.")
                  ] = None,
) -> None:
    """One-line arithmetic with units: calc eval '1.4 trillion USD / 30 GW'.

    Accepts article notation ('$1.4 trillion / 30 gigawatts', '25 million U.S.
    homes', '120 kW per rack') and a trailing 'to UNIT'. Prints one result a line;
    exits 2 if any expression is bad, after evaluating the others.
    """
    from .arith import evaluate_expression
    from .errors import Location
    from .units import format_quantity, parse_unit

    arguments = expressions or ["-"]
    with _user_errors():
        _check_not_split(arguments)
        try:
            target = parse_unit(to) if to is not None else None
        except CalcError as exc:
            raise exc.at(Location(field="--to")) from None
    failed = False
    for location, text in _expression_lines(arguments):
        try:
            typer.echo(format_quantity(evaluate_expression(text, to=target)))
        except CalcError as exc:
            if _state["debug"]:
                raise
            typer.echo(f"calc: {exc.at(location) if location is not None else exc}", err=True)
            failed = True
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


#: Arguments that are never an expression alone: the shell split one at its spaces.
_SPLIT_MARKS = {"/", "*", "+", "**", "^", "\u00d7", "\u00f7", "per", "to", "in"}


def _check_not_split(arguments: list[str]) -> None:
    """Refuse 'calc eval 1.4 trillion USD / 30 GW' typed without quotes."""
    if len(arguments) > 1 and any(a.strip() in _SPLIT_MARKS for a in arguments):
        import shlex

        from .errors import ExpressionError

        raise ExpressionError(
            "the expression was split into several arguments by the shell (it treats each "
            "word as one); quote it whole: calc eval " + shlex.quote(" ".join(arguments)))


def _expression_lines(arguments: list[str]) -> Iterator[tuple[Location | None, str]]:
    """Each expression, with its line on standard input when read from there.

    Lines are read as they come, so results stream; blank lines and lines starting
    with '#' are skipped.
    """
    from .errors import Location

    for argument in arguments:
        if argument != "-":
            yield None, argument
            continue
        stream = typer.get_text_stream("stdin")
        if stream.isatty():
            typer.echo("calc eval: reading expressions, one a line; end with Ctrl-D", err=True)
        for number, line in enumerate(stream, start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                yield Location("<stdin>", number), line.strip()


@app.command()
def report(
    scenario: ScenarioArg = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the report to this file (atomically) instead of "
                               "printing it.", show_default=False)] = None,
) -> None:
    """Write a Markdown report for an editor: claims, figures, inputs, sources.

    Claims with their verdicts first, then the derived figures, the inputs, and the
    sources with their quotes. The same files give the same report, byte for byte.
    """
    from .report import render_report, write_report

    with _user_errors():
        result = _load(scenario).evaluate()
        if output is None:
            typer.echo(render_report(result), nl=False)
        else:
            write_report(result, output)
            typer.echo(f"wrote {output}")


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins through importlib.metadata (~70 ms) when the first
    # model is built; this process is ours and uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="calc")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
