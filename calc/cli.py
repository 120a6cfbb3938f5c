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
    from .result import Result
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
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


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
DEFAULT_SAMPLES = 10_000
SamplesOpt = Annotated[
    int | None,
    typer.Option("--samples", "-n", min=0, show_default=False,
                 help=f"Monte Carlo samples. Default: {DEFAULT_SAMPLES:,} when the scenario has "
                      "uncertain inputs, none otherwise; 0 evaluates the point values only."),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed: the same seed, the same "
                                                     "samples.")]
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
        assignments: SetOpt = None, samples: SamplesOpt = None, seed: SeedOpt = 0,
        plot: Annotated[Path | None, typer.Option(
            "--plot", help="Draw histograms of the --plot-of quantities to this PNG "
                           "(needs samples).")] = None,
        plot_of: Annotated[list[str] | None, typer.Option(
            "--plot-of", metavar="NAME", help="A quantity to draw with --plot. Repeatable; "
                                              "default: the derived quantities that vary.")]
        = None) -> None:
    """Evaluate a scenario and print every quantity with its kind and sources.

    With uncertain inputs, a Monte Carlo run also gives each quantity's mean and 5th, 50th
    and 95th percentiles.
    """
    from .render import render_run

    with _user_errors():
        result = _evaluate(_load(scenario, assignments), samples, seed)
        if plot is not None:
            from .plots import histogram_figure, save_figure

            save_figure(histogram_figure(result, plot_of or []), plot)
        typer.echo(render_run(result, fmt.value), nl=False)


def _evaluate(scenario: Scenario, samples: int | None, seed: int) -> Result:
    """Point values, and a Monte Carlo run when asked or when inputs are uncertain."""
    from .expr import Formula

    if samples is None:
        uncertain = any(i.uncertainty is not None for i in scenario.inputs.values()) or any(
            not isinstance(d.formula, Formula) for d in scenario.derived.values())
        samples = DEFAULT_SAMPLES if uncertain else 0
    return scenario.evaluate(samples=samples or None, seed=seed)


@app.command()
def check(scenario: ScenarioArg = None, fmt: FormatOpt = OutputFormat.table,
          assignments: SetOpt = None, samples: SamplesOpt = None, seed: SeedOpt = 0) -> None:
    """Judge every claim: consistent, overstated, understated or conflict.

    Exits 0 when every claim is consistent, 1 when any is not, 2 on bad input.
    """
    from .render import render_check

    with _user_errors():
        result = _evaluate(_load(scenario, assignments), samples, seed)
        typer.echo(render_check(result, fmt.value), nl=False)
    if not result.all_consistent:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def sweep(
    vary: Annotated[list[str], typer.Option(
        "--vary", "-v", metavar="NAME=LOW:HIGH:N|A,B,C",
        help="An input and its values: a range of N points (pue=1.1:1.5:9, "
             "rack_power=100:600:6 kW/rack) or a list (pue=1.1,1.3). Once or twice.")],
    output: Annotated[list[str], typer.Option(
        "--output", "-y", metavar="NAME", help="A quantity to report. Repeatable.")],
    scenario: ScenarioArg = None,
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option(
        "-o", "--out", help="Also write the full grid as CSV to this file.")] = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Draw a line chart (one input) or heat map (two) to this PNG.")] = None,
    assignments: SetOpt = None,
) -> None:
    """Evaluate outputs over a grid of one or two inputs, in one array pass."""
    from .render import render_sweep
    from .sweeps import evaluate_grid

    with _user_errors():
        loaded = _load(scenario, assignments)
        pairs = dict(_split_vary(v) for v in vary)
        result = evaluate_grid(loaded, pairs, output)
        if out is not None:
            from .files import write_text_atomic

            write_text_atomic(out, render_sweep(result, "csv"))
        if plot is not None:
            from .plots import save_figure, sweep_figure

            save_figure(sweep_figure(result), plot)
        typer.echo(render_sweep(result, fmt.value), nl=False)


def _split_vary(text: str) -> tuple[str, str]:
    from .errors import UnitError

    name, sep, values = text.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise UnitError(f"--vary {text!r} is not NAME=VALUES; write it like --vary pue=1.1:1.5:9")
    return name.strip(), values.strip()


@app.command()
def compare(
    scenarios: Annotated[list[Path], typer.Argument(
        help="Two or three scenario files; the first is the baseline.")],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show scenarios side by side: values, differences, ratios and verdicts."""
    from .comparison import line_up
    from .render import render_compare
    from .scenario import load_scenario

    if not 2 <= len(scenarios) <= 3:
        typer.echo(f"calc: compare takes two or three scenario files, not {len(scenarios)}",
                   err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    with _user_errors():
        results = [load_scenario(path).evaluate() for path in scenarios]
        typer.echo(render_compare(line_up(results), fmt.value), nl=False)


@app.command()
def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    output: Annotated[str, typer.Argument(help="The quantity to explain.")],
    fmt: FormatOpt = OutputFormat.table,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Draw a tornado chart to this PNG.")] = None,
    samples: Annotated[int, typer.Option("--samples", "-n", min=2,
                                         help="Samples for the correlations.")]
    = DEFAULT_SAMPLES,
    seed: SeedOpt = 0,
    assignments: SetOpt = None,
) -> None:
    """Rank uncertain inputs by how much they swing OUTPUT (a tornado)."""
    from .render import render_sensitivity
    from .sensitivity import sensitivity as rank

    with _user_errors():
        result = rank(_load(scenario, assignments), output, samples=samples, seed=seed)
        if plot is not None:
            result.save_plot(plot)
        typer.echo(render_sensitivity(result, fmt.value), nl=False)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(
        "-o", "--out", help="Write the schema to this file instead of printing it.")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors' YAML extensions)."""
    from .schema import schema_text

    with _user_errors():
        if out is None:
            typer.echo(schema_text(), nl=False)
        else:
            from .files import write_text_atomic

            write_text_atomic(out, schema_text())
            typer.echo(f"wrote {out}")


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="Name of the scenario; writes NAME.yaml.")],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to write it in.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]
    = False,
) -> None:
    """Scaffold a scenario file with a commented example of every field."""
    from .template import new_scenario

    with _user_errors():
        path = new_scenario(name, folder=folder, force=force)
        typer.echo(f"wrote {path}; try: calc run {path}")


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins through importlib.metadata (~70 ms) when the first
    # model is built; this process is ours and uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app(prog_name="calc")
    except KeyboardInterrupt:
        sys.stderr.write("calc: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug in calc: say so plainly, keep the traceback for --debug
        if "--debug" in sys.argv[1:]:
            raise
        sys.stderr.write(f"calc: internal error ({type(exc).__name__}: {exc}); this is a bug "
                         "in calc, not in your input: rerun with --debug for the traceback "
                         "and report it\n")
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
