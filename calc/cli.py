"""The ``calc`` command line: a thin typer layer over the library.

Exit codes: 0 success (and every claim consistent, for ``check``), 1 findings
(a claim that is not consistent), 2 bad input or usage. Errors go to stderr as
one message naming file, line and field, without a traceback unless ``--debug``.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import functools
import importlib
import io
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum, StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.26+ carries its own click
    from typer._click.exceptions import ClickException as _ClickError
    from typer._click.exceptions import UsageError as _UsageError
except ImportError:  # pragma: no cover (older typer over click)
    from click.exceptions import ClickException as _ClickError
    from click.exceptions import UsageError as _UsageError

from calc.errors import CalcError

if TYPE_CHECKING:
    from calc.errors import Location
    from calc.result import Result
    from calc.scenario import Scenario


class _CalcGroup(TyperGroup):
    """The command group: ``--debug`` wherever the user puts it, usage errors in one line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Accept ``--debug`` after the command too (``calc run --debug``): it is moved
        in front of the command, where the group reads it; after ``--`` it is left alone."""
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]
        _coerce_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run with click's own error display off, so that a usage error is one line on
        stderr (``calc: run: No such option: --bogus; see calc run --help``), exit 2."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except typer.Abort:
            sys.stderr.write("calc: aborted\n")
            sys.exit(EXIT_INTERRUPTED)
        except _ClickError as exc:
            sys.stderr.write(_usage_line(exc) + "\n")
            sys.exit(EXIT_BAD_INPUT)
        sys.exit(code if isinstance(code, int) else 0)


class _CalcCommand(TyperCommand):
    """A command whose help names each value as the user writes it (``FILE``, ``NAME``,
    ``N``), not by its Python type: typer writes ``FILE <path>``, ``{name}`` and
    ``<list[str]>``, which read as something to type."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _coerce_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_metavar(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help, whole, for the list of commands in calc --help
        (click cuts it at the column width, mid-sentence, with '...')."""
        paragraph = " ".join((self.help or "").strip().split("\n\n")[0].split())
        return re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_metavar(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _coerce_plainly(params: list[Any]) -> None:
    """Give each parameter of a plain type calc's own coercion (#17).

    typer 0.26+ coerces every value through a pydantic TypeAdapter that it builds for each
    parameter of the command run, even one left at its default: that imports pydantic
    (~30 ms), which ``calc eval`` otherwise never needs, and builds the adapters (~10 ms).
    A parameter of a type this knows gets a :class:`_PlainValue` instead; typers without
    this machinery (older ones, over click), or whose private names differ, are left alone."""
    if not _typer_internals_known():
        return
    for param in params:
        if getattr(param, "_runtime_param", False) is None and _plain_type(param) is not None:
            param._runtime_param = _PlainValue(param)


@functools.cache
def _typer_internals_known() -> bool:
    """Whether this typer has the private functions ``_PlainValue`` hands values to: a typer
    that renames them keeps its own coercion, slower but never broken."""
    wanted = {
        "typer._coercion": ("build_runtime_param",),
        "typer._param_types": ("coerce_cli_choice", "coerce_cli_path"),
    }
    try:
        return all(
            hasattr(importlib.import_module(module), name)
            for module, names in wanted.items()
            for name in names
        )
    except ImportError:
        return False


def _plain_type(param: Any) -> Any:
    """The type of each value of ``param`` when it is one :class:`_PlainValue` converts
    (str, int, bool, Path or an Enum, alone or in a list), else None."""
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    if info is None or info.parser is not None or getattr(info, "clamp", False):
        return None
    if getattr(info, "path_type", None) not in (None, Path):
        return None
    annotation = descriptor.annotation
    if getattr(annotation, "__origin__", None) is list:
        (annotation,) = annotation.__args__
    if annotation in (str, int, bool, Path) or (
        isinstance(annotation, type) and issubclass(annotation, Enum)
    ):
        return annotation
    return None


_CANONICAL_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_UNCONVERTED = object()


class _PlainValue:
    """A parameter's coercion, as typer's TypeAdapter does it, for the values the command
    line gives a plain type: the text of a str, a whole number written plainly (within the
    option's min and max), a path, an Enum's value, or the default itself. Any other value
    (one to refuse, one to read in some less usual way) goes to typer's own coercion, built
    on first need, so that what typer accepts and how it words a refusal stay the same."""

    def __init__(self, param: Any) -> None:
        self._param = param
        self._type = _plain_type(param)
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many and isinstance(value, list | tuple):
            items = [self._convert(item, ctx) for item in value]
            if all(item is not _UNCONVERTED for item in items):
                return items
        elif not many:
            converted = self._convert(value, ctx)
            if converted is not _UNCONVERTED:
                return converted
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self._param.type_descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)

    def _convert(self, value: Any, ctx: Any) -> Any:
        kind, info = self._type, self._param.type_descriptor.parameter_info
        if kind is str or kind is bool:
            return value if type(value) is kind else _UNCONVERTED
        if kind is int:
            if type(value) is str and _CANONICAL_INT.fullmatch(value):
                value = int(value)
            if type(value) is not int:
                return _UNCONVERTED
            low, high = info.min, info.max
            inside = (low is None or value >= low) and (high is None or value <= high)
            return value if inside else _UNCONVERTED
        if kind is Path:
            return self._path(value, ctx)
        if isinstance(value, kind):
            return value
        from typer._param_types import coerce_cli_choice

        try:
            return coerce_cli_choice(
                value, choices=tuple(kind), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            return _UNCONVERTED

    def _path(self, value: Any, ctx: Any) -> Any:
        """A path, with typer's own checks (exists, readable, ...) and their messages."""
        if type(value) is str and value:
            value = Path(value)
        if not isinstance(value, Path):
            return _UNCONVERTED
        from typer._param_types import coerce_cli_path

        info = self._param.type_descriptor.parameter_info
        return coerce_cli_path(value, info, path_type=Path, param=self._param, ctx=ctx)


def _argument_metavar(param: Any) -> str:
    """``FILE`` for one value, ``WORD...`` for many: the metavar, else the name in capitals."""
    name = param.metavar or (param.name or "").upper()
    return name if param.nargs == 1 or name.endswith("...") else f"{name}..."


def _usage_line(exc: _ClickError) -> str:
    """A click error as one line that names the command and where its help is."""
    from calc.escape import terminal

    message = " ".join(exc.format_message().split()).rstrip(".")
    path = exc.ctx.command_path if isinstance(exc, _UsageError) and exc.ctx else "calc"
    return terminal(f"calc: {message}; see {path} --help", one_line=True)


app = typer.Typer(
    name="calc",
    cls=_CalcGroup,
    rich_markup_mode=None,
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
    typer.Argument(
        metavar="FILE",
        help="Scenario file (YAML), or the name of one that ships with calc "
        "(calc scenarios). Default: the seed scenario, openai-30gw.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", metavar="table|json|csv|markdown", help="Output format."),
]
DEFAULT_SAMPLES = 10_000
SamplesOpt = Annotated[
    int | None,
    typer.Option(
        "--samples",
        "-n",
        metavar="N",
        min=0,
        show_default=False,
        help=f"Monte Carlo samples. Default: {DEFAULT_SAMPLES:,} when the scenario has "
        "uncertain inputs, none otherwise; 0 evaluates the point values only.",
    ),
]
SeedOpt = Annotated[
    int,
    typer.Option("--seed", metavar="N", help="Random seed: the same seed, the same samples."),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="NAME=VALUE",
        help="Override an input for this run, e.g. --set pue=1.3 "
        "--set rack_power='600 kW/rack'. Repeatable.",
    ),
]
AllowOutsideOpt = Annotated[
    bool,
    typer.Option(
        "--allow-outside-seeds",
        help="Accept seed articles outside the catalogue's folder (only for "
        "catalogues you trust: quote checks read those files).",
    ),
]


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a message or an output: every line calc prints goes through here, so
    control and escape sequences from scenario files are shown, never sent to the
    terminal (whether or not it is one)."""
    from calc.escape import terminal

    typer.echo(terminal(text), err=err, nl=nl)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn CalcError into a message on stderr and exit 2 (a traceback with --debug)."""
    try:
        yield
    except CalcError as exc:
        if _state["debug"]:
            raise
        _echo(f"calc: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _load(
    path: Path | None, assignments: list[str] | None = None, *, allow_outside: bool = False
) -> Scenario:
    """Load the scenario (the seed one by default) and apply --set overrides."""
    from calc.domain.overrides import parse_assignment
    from calc.io.paths import default_scenario
    from calc.scenario import load_scenario

    scenario = load_scenario(
        path if path is not None else default_scenario(), allow_outside=allow_outside
    )
    overrides = dict(parse_assignment(a) for a in assignments or [])
    return scenario.with_inputs(overrides)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        _echo(f"calc {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
) -> None:
    """calc: what do the figures imply, do they hang together, where did each come from."""
    _state["debug"] = debug


@app.command(cls=_CalcCommand)
def run(
    scenario: ScenarioArg = None,
    fmt: FormatOpt = OutputFormat.table,
    assignments: SetOpt = None,
    samples: SamplesOpt = None,
    seed: SeedOpt = 0,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            metavar="FILE.png",
            help="Draw histograms of the --plot-of quantities to this PNG (needs samples).",
        ),
    ] = None,
    plot_of: Annotated[
        list[str] | None,
        typer.Option(
            "--plot-of",
            metavar="NAME",
            help="A quantity to draw with --plot. Repeatable; "
            "default: the derived quantities that vary.",
        ),
    ] = None,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Evaluate a scenario and print every quantity with its kind and sources.

    With uncertain inputs, a Monte Carlo run also gives each quantity's mean and 5th, 50th
    and 95th percentiles.
    """
    from calc.render.text import render_run

    with _user_errors():
        _check_plot(plot)
        result = _evaluate(_load(scenario, assignments, allow_outside=allow_outside), samples, seed)
        if plot is not None:
            from calc.render.plots import histogram_figure, save_figure

            save_figure(histogram_figure(result, plot_of or []), plot)
            _echo(f"wrote {plot}", err=True)
        _echo(render_run(result, fmt.value), nl=False)


def _evaluate(scenario: Scenario, samples: int | None, seed: int) -> Result:
    """Point values, and a Monte Carlo run when asked or when inputs are uncertain."""
    from calc.domain.evaluate import default_samples

    if samples is None:
        samples = default_samples(scenario) or 0
    return scenario.evaluate(samples=samples or None, seed=seed)


@app.command(cls=_CalcCommand)
def check(
    scenario: ScenarioArg = None,
    fmt: FormatOpt = OutputFormat.table,
    assignments: SetOpt = None,
    samples: SamplesOpt = None,
    seed: SeedOpt = 0,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Judge every claim against what its sources imply, with a verdict for each.

    Verdicts: consistent, overstated, understated, conflict, arithmetic error, not
    comparable, unit error, unsupported (README: "Reading a verdict"). Exits 0 when
    every claim is consistent, 1 when any is not, 2 on bad input.
    """
    from calc.render.text import render_check

    with _user_errors():
        result = _evaluate(_load(scenario, assignments, allow_outside=allow_outside), samples, seed)
        _echo(render_check(result, fmt.value), nl=False)
    if not result.all_consistent:
        raise typer.Exit(EXIT_FINDINGS)


@app.command(cls=_CalcCommand)
def sweep(
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            "-v",
            metavar="NAME=LOW:HIGH:N|A,B,C",
            help="An input and its values: a range of N points (pue=1.1:1.5:9, "
            "rack_power=100:600:6 kW/rack) or a list (pue=1.1,1.3). Once or twice.",
        ),
    ],
    output: Annotated[
        list[str],
        typer.Option("--of", "-y", metavar="NAME", help="A quantity to report. Repeatable."),
    ],
    scenario: ScenarioArg = None,
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Also write the full grid as CSV to this file."
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            metavar="FILE.png",
            help="Draw a line chart (one input) or heat map (two) to this PNG.",
        ),
    ] = None,
    assignments: SetOpt = None,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Evaluate outputs over a grid of one or two inputs, in one array pass."""
    from calc.analysis.sweeps import evaluate_grid
    from calc.render.text import render_sweep

    with _user_errors():
        _check_plot(plot)
        loaded = _load(scenario, assignments, allow_outside=allow_outside)
        pairs = dict(_split_vary(v) for v in vary)
        result = evaluate_grid(loaded, pairs, output)
        if out is not None:
            from calc.io.files import write_text_atomic

            write_text_atomic(out, render_sweep(result, "csv"))
            _echo(f"wrote {out}", err=True)
        if plot is not None:
            from calc.render.plots import save_figure, sweep_figure

            save_figure(sweep_figure(result), plot)
            _echo(f"wrote {plot}", err=True)
        _echo(render_sweep(result, fmt.value), nl=False)


def _check_plot(plot: Path | None) -> None:
    """Refuse a --plot file of a format matplotlib cannot write, before any work."""
    if plot is not None:
        from calc.render.plots import plot_format

        plot_format(plot)


def _split_vary(text: str) -> tuple[str, str]:
    from calc.errors import UnitError

    name, sep, values = text.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise UnitError(f"--vary {text!r} is not NAME=VALUES; write it like --vary pue=1.1:1.5:9")
    return name.strip(), values.strip()


@app.command(cls=_CalcCommand)
def compare(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Two or three scenario files; the first is the baseline.",
        ),
    ],
    fmt: FormatOpt = OutputFormat.table,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Show scenarios side by side: values, differences, ratios and verdicts."""
    from calc.analysis.comparison import line_up
    from calc.render.text import render_compare
    from calc.scenario import load_scenario

    if not 2 <= len(scenarios) <= 3:
        _echo(f"calc: compare takes two or three scenario files, not {len(scenarios)}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    with _user_errors():
        results = [
            load_scenario(path, allow_outside=allow_outside).evaluate() for path in scenarios
        ]
        _echo(render_compare(line_up(results), fmt.value), nl=False)


@app.command(cls=_CalcCommand)
def sensitivity(
    scenario: Annotated[Path, typer.Argument(metavar="FILE", help="Scenario file (YAML).")],
    output: Annotated[str, typer.Argument(metavar="OUTPUT", help="The quantity to explain.")],
    fmt: FormatOpt = OutputFormat.table,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", metavar="FILE.png", help="Draw a tornado chart to this PNG."),
    ] = None,
    samples: Annotated[
        int,
        typer.Option("--samples", "-n", metavar="N", min=2, help="Samples for the correlations."),
    ] = DEFAULT_SAMPLES,
    seed: SeedOpt = 0,
    assignments: SetOpt = None,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Rank uncertain inputs by how much they swing OUTPUT (a tornado)."""
    from calc.analysis.sensitivity import sensitivity as rank
    from calc.render.text import render_sensitivity

    with _user_errors():
        _check_plot(plot)
        result = rank(
            _load(scenario, assignments, allow_outside=allow_outside),
            output,
            samples=samples,
            seed=seed,
        )
        if plot is not None:
            result.save_plot(plot)
            _echo(f"wrote {plot}", err=True)
        _echo(render_sensitivity(result, fmt.value), nl=False)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("scenarios", cls=_CalcCommand)
def list_scenarios(
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", metavar="table|json", help="Output format.")
    ] = ListFormat.table,
) -> None:
    """List the scenarios that ship with calc; any command takes one by name."""
    from calc.io.paths import shipped_scenarios
    from calc.io.yamlfile import load_yaml
    from calc.render.text import render_scenario_list

    with _user_errors():
        entries = []
        for name, path in shipped_scenarios().items():
            data = load_yaml(path).data
            title = data.get("title", "") if isinstance(data, dict) else ""
            entries.append({"name": name, "title": " ".join(str(title).split()), "path": str(path)})
        _echo(render_scenario_list(entries, fmt.value), nl=False)


def _today() -> datetime.date:
    """Today's date for `calc refs --stale`; a function so that tests can fix it."""
    return datetime.date.today()


@app.command("refs", cls=_CalcCommand)
def refs(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="WORD",
            show_default=False,
            help="An id (shows that figure in full) or words to look for.",
        ),
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", metavar="table|json", help="Output format.")
    ] = ListFormat.table,
    stale: Annotated[
        bool, typer.Option("--stale", help="Only figures more than two years old.")
    ] = False,
) -> None:
    """Find figures of calc's reference library: `calc refs household`, `calc refs ID`."""
    from calc.domain.references import STALE_AFTER_YEARS
    from calc.errors import SourceError
    from calc.io.references import load_library
    from calc.render.references import render_reference, render_references

    query = " ".join(words or [])
    with _user_errors():
        library = load_library()
        fid = query.strip().removeprefix("ref:")
        if fid in library.figures and not stale:
            _echo(render_reference(library.figures[fid], fmt.value), nl=False)
            return
        figures = library.search(query)
        if stale:
            old = {f.id for f in library.stale(_today())}
            figures = [f for f in figures if f.id in old]
        if not figures and not stale:
            raise SourceError(
                f"no figure of calc's reference library matches {query!r}; "
                "`calc refs` with no word lists them all"
            )
        if not figures:
            _echo(f"No figure is more than {STALE_AFTER_YEARS} years old.")
            return
        _echo(render_references(figures, fmt.value), nl=False)


@app.command(cls=_CalcCommand)
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to this file instead of printing it.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors' YAML extensions)."""
    from calc.io.schema import schema_text

    with _user_errors():
        if out is None:
            _echo(schema_text(), nl=False)
        else:
            from calc.io.files import write_text_atomic

            write_text_atomic(out, schema_text())
            _echo(f"wrote {out}")


@app.command(cls=_CalcCommand)
def new(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Name of the scenario; writes NAME.yaml.")
    ],
    folder: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Folder to write it in.")
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Scaffold a scenario file with a commented example of every field."""
    from calc.io.template import new_scenario

    with _user_errors():
        path = new_scenario(name, folder=folder, force=force)
        _echo(f"wrote {path}; try: calc run {path}")


class TreeFormat(StrEnum):
    text = "text"
    json = "json"


def _explain_parts(first: str | None, second: str | None) -> tuple[Path | None, str]:
    """'[FILE] NAME': a name alone is explained in the seed scenario."""
    if first is None:
        raise typer.BadParameter(
            "give the name of a quantity to explain, as in calc explain rack_count",
            param_hint="NAME",
        )
    if second is None and first.endswith((".yaml", ".yml")):
        raise typer.BadParameter(
            f"give the name of a quantity after the file: calc explain {first} NAME",
            param_hint="NAME",
        )
    return (None, first) if second is None else (Path(first), second)


@app.command(cls=_CalcCommand)
def explain(
    first: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE",
            show_default=False,
            help="Scenario file. Default: the seed scenario, openai-30gw.yaml.",
        ),
    ] = None,
    second: Annotated[
        str | None,
        typer.Argument(metavar="NAME", show_default=False, help="The quantity to explain."),
    ] = None,
    fmt: Annotated[
        TreeFormat, typer.Option("--format", "-f", metavar="text|json", help="Output format.")
    ] = TreeFormat.text,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Show how a quantity is derived, down to the inputs and their sources.

    Prints each step's formula and value, and for every input its kind, source and
    verbatim quote (seed quotes verified, external ones not). With only NAME, the
    seed scenario.
    """
    path, name = _explain_parts(first, second)
    with _user_errors():
        tree = _load(path, allow_outside=allow_outside).evaluate().explain(name)
        if fmt is TreeFormat.json:
            import json

            _echo(json.dumps(tree.to_json(), indent=2, ensure_ascii=False))
        else:
            _echo(str(tree), nl=False)


@app.command(cls=_CalcCommand)
def sources(
    scenario: ScenarioArg = None,
    unused: Annotated[
        bool,
        typer.Option(
            "--unused", help="List the catalogue entries that nothing in the scenario cites."
        ),
    ] = False,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", metavar="table|json", help="Output format.")
    ] = ListFormat.table,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """List the sources a scenario cites and what rests on each.

    For every source: the inputs quoting it, and through them the derived quantities
    and claims. With --unused: the catalogue entries nothing cites.
    """
    from calc.analysis import support

    with _user_errors():
        loaded = _load(scenario, allow_outside=allow_outside)
        if fmt is ListFormat.json:
            import json

            data = (support.unused_json if unused else support.supports_json)(loaded)
            _echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            render = support.render_unused if unused else support.render_supports
            _echo(render(loaded), nl=False)


@app.command("eval", cls=_CalcCommand, context_settings={"ignore_unknown_options": True})
def eval_(
    expressions: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="EXPR",
            show_default=False,
            help="Expressions such as '1.4 trillion USD / 30 GW'. None, or '-': read them from "
            "standard input, one a line.",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="UNIT",
            help="Show each result in this unit, e.g. 'kW/home' or 'billion USD/GW'.",
        ),
    ] = None,
) -> None:
    """One-line arithmetic with units: calc eval '1.4 trillion USD / 30 GW'.

    Accepts article notation ('$1.4 trillion / 30 gigawatts', '25 million U.S.
    homes', '120 kW per rack') and a trailing 'to UNIT'. Prints one result a line;
    exits 2 if any expression is bad, after evaluating the others.
    """
    from calc.errors import Location
    from calc.lang.arith import evaluate_expression
    from calc.units.display import format_quantity
    from calc.units.notation import parse_unit

    arguments = expressions or ["-"]
    with _user_errors():
        _check_not_split(arguments)
        try:
            target = parse_unit(to) if to is not None else None
        except CalcError as exc:
            raise exc.at(Location(field="--to")) from None
    failed = False
    with _user_errors():  # what ends the reading: a closed or unreadable standard input
        for location, text in _expression_lines(arguments):
            try:
                _echo(format_quantity(evaluate_expression(text, to=target)))
            except CalcError as exc:  # a bad expression: say so, go on with the next
                if _state["debug"]:
                    raise
                _echo(f"calc: {exc.at(location) if location is not None else exc}", err=True)
                failed = True
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


#: Arguments that are never an expression alone: the shell split one at its spaces.
_SPLIT_MARKS = {"/", "*", "+", "**", "^", "\u00d7", "\u00f7", "per", "to", "in"}


def _check_not_split(arguments: list[str]) -> None:
    """Refuse 'calc eval 1.4 trillion USD / 30 GW' typed without quotes: among several
    arguments, an operator, or a word with no number ('GW' after '30'), is a fragment."""
    fragments = [
        a
        for a in arguments
        if a != "-" and (a.strip() in _SPLIT_MARKS or not any(c.isdigit() for c in a))
    ]
    if len(arguments) > 1 and fragments:
        import shlex

        from calc.errors import ExpressionError

        raise ExpressionError(
            "the expression was split into several arguments by the shell (it treats each "
            "word as one); quote it whole: calc eval " + shlex.quote(" ".join(arguments))
        )


def _expression_lines(arguments: list[str]) -> Iterator[tuple[Location | None, str]]:
    """Each expression, with its line on standard input when read from there.

    Lines are read as they come, so results stream; blank lines and lines starting
    with '#' are skipped.
    """

    for argument in arguments:
        if argument != "-":
            yield None, argument
            continue
        yield from _stdin_lines()


#: Longest line read from standard input; an expression is a line, not a stream of bytes.
MAX_STDIN_LINE = 10_000


def _stdin_lines() -> Iterator[tuple[Location | None, str]]:
    """Expressions on standard input, read in bounded lines of UTF-8.

    Refused with CalcError: a closed standard input, a line longer than MAX_STDIN_LINE
    bytes (``< /dev/zero`` has no line end at all), a line that is not UTF-8.
    """
    from calc.errors import ExpressionError, Location

    stream = _stdin_bytes()
    if stream.isatty():
        _echo("calc eval: reading expressions, one a line; end with Ctrl-D", err=True)
    number = 0
    while raw := stream.readline(MAX_STDIN_LINE + 1):
        number += 1
        where = Location("<stdin>", number)
        if len(raw) > MAX_STDIN_LINE and not raw.endswith(b"\n"):
            raise ExpressionError(
                f"the line is longer than {MAX_STDIN_LINE:,} bytes; give one expression a line",
                location=where,
            )
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ExpressionError(
                f"is not UTF-8 text (byte {exc.start + 1} of the line); give expressions as UTF-8",
                location=where,
            ) from None
        if line.strip() and not line.lstrip().startswith("#"):
            yield where, line.strip()


def _stdin_bytes() -> IO[bytes]:
    """Standard input as bytes (decoded line by line, so that a bad byte is a message)."""
    from calc.errors import ExpressionError

    try:
        if sys.stdin is None or sys.stdin.closed:  # None: started with it closed (<&-)
            raise RuntimeError
        return typer.get_binary_stream("stdin")
    except (RuntimeError, ValueError, OSError):
        raise ExpressionError(
            "standard input is closed, so there is no expression to read; give one as an "
            "argument: calc eval '30 GW / 25 million homes'"
        ) from None


@app.command(cls=_CalcCommand)
def report(
    scenario: ScenarioArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to this file (atomically) instead of printing it.",
            show_default=False,
        ),
    ] = None,
    samples: SamplesOpt = None,
    seed: SeedOpt = 0,
    allow_outside: AllowOutsideOpt = False,
    all_sources: Annotated[
        bool,
        typer.Option(
            "--all-sources", help="Also name the catalogue entries the scenario does not cite."
        ),
    ] = False,
) -> None:
    """Write a Markdown report for an editor: claims, figures, inputs, sources.

    Claims with their verdicts first, then the derived figures, the inputs, and the
    sources with their quotes. The same files give the same report, byte for byte.
    """
    from calc.render.report import render_report, write_report

    with _user_errors():
        result = _evaluate(_load(scenario, allow_outside=allow_outside), samples, seed)
        if output is None:
            _echo(render_report(result, all_sources=all_sources), nl=False)
        else:
            write_report(result, output, all_sources=all_sources)
            _echo(f"wrote {output}")


def main() -> None:
    """Console-script entry point."""
    # pydantic looks for plugins through importlib.metadata (~70 ms) when the first
    # model is built; this process is ours and uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if sys.stdout is None:  # started with standard output closed (>&-): fail on writing
        sys.stdout = _ClosedOutput()
    try:
        try:
            with _only_the_command_asked(sys.argv[1:]):
                app(prog_name="calc")
        finally:
            sys.stdout.flush()
    except OSError as exc:  # every file calc writes is an OutputError; this is stdout
        _output_failed(exc)
    except KeyboardInterrupt:
        sys.stderr.write("calc: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug in calc: say so plainly, keep the traceback for --debug
        if "--debug" in sys.argv[1:]:
            raise
        sys.stderr.write(_internal_error(exc, sys.argv[1:]) + "\n")
        sys.exit(EXIT_INTERNAL)


@contextmanager
def _only_the_command_asked(arguments: list[str]) -> Iterator[None]:
    """Have typer build only the command that ``arguments`` name (#17).

    Before it parses anything, typer turns every registered command into a click command,
    reading each one's parameters from its annotations: ~40 ms for calc's commands, of
    which one command needs its own. The group's help and a mistyped or missing command
    still see them all, so their output is unchanged (calc has no shell completion).
    """
    name = next((a for a in arguments if not a.startswith("-")), None)
    commands = list(app.registered_commands)
    asked = [c for c in commands if _command_name(c) == name]
    if len(asked) != 1:
        yield
        return
    app.registered_commands = asked
    try:
        yield
    finally:
        app.registered_commands = commands


def _command_name(command: Any) -> str:
    """The name a registered command is called by: its own, else its function's, as typer
    derives it ('refs', 'run')."""
    from typer.main import get_command_name

    return str(command.name or get_command_name(command.callback.__name__))


def _internal_error(exc: Exception, arguments: list[str]) -> str:
    """One line: the error, that it is a bug, and the exact command line that shows its
    traceback (``--debug`` goes first, where every command takes it)."""
    import shlex

    from calc.escape import terminal

    rerun = shlex.join(["calc", "--debug", *arguments])
    return terminal(
        f"calc: internal error ({type(exc).__name__}: {exc}); this is a bug in calc, not in "
        f"your input: rerun it as {rerun} for the traceback, and report it",
        one_line=True,
    )


# --- extract ----------------------------------------------------------------------


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(cls=_CalcCommand)
def extract(
    article: Annotated[
        Path,
        typer.Argument(metavar="ARTICLE", help="The article's text (UTF-8).", show_default=False),
    ],
    fmt: Annotated[
        ExtractFormat,
        typer.Option("--format", "-f", metavar="table|json", help="Output format."),
    ] = ExtractFormat.table,
    scaffold: Annotated[
        Path | None,
        typer.Option(
            "--scaffold",
            metavar="FILE.yaml",
            help="Also write a scenario (YAML) with each figure as a stated input, "
            "and add the article to its source catalogue.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --scaffold file if it exists.")
    ] = False,
) -> None:
    """List every figure an article states: value, unit, quote and offset.

    With --scaffold, also write a scenario in which each figure is a stated input.
    """
    from calc.articles.figures import extract_all, render_figures, render_unread
    from calc.io.scaffold import describe, read_article
    from calc.io.scaffold import scaffold as write_scaffold

    with _user_errors():
        written = write_scaffold(article, scaffold, force=force) if scaffold else None
        figures, unread = extract_all(read_article(article))
        title = str(article)
        _echo(render_figures(figures, fmt.value, title=title, unread=unread), nl=False)
        if fmt.value == "json" and unread:  # standard output stays the JSON records
            _echo(render_unread(unread).lstrip("\n"), err=True, nl=False)
        if written is not None:
            _echo(describe(written), err=True, nl=False)


class AuditFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command(cls=_CalcCommand)
def audit(
    articles: Annotated[
        list[Path],
        typer.Argument(
            help="Articles (UTF-8 text), or folders of .txt articles.",
            metavar="ARTICLE...",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        AuditFormat,
        typer.Option("--format", "-f", metavar="table|json|markdown|html", help="Output format."),
    ] = AuditFormat.table,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            "-w",
            metavar="FILE",
            help="Keep the checks as a scenario (YAML) that calc check judges the same "
            "way; the article is added to its source catalogue. One article only.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the output here instead of printing it (the HTML page, say).",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write a JSON Lines report: one line per article.",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Processes to judge articles in (default: one below 8 articles, else one "
            "per core).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --write file.")] = False,
) -> None:
    """Check an article's arithmetic, figure by figure, with a verdict for each check.

    Each figure is paired with the others and with calc's reference library; each
    check shows its quotes, formula with values, reference and verdict.

    Exits 0 when every check is consistent, 1 when any is not, 2 on bad input.
    """
    from calc.analysis.audit import article_paths, audit_records
    from calc.analysis.audit import write as write_audit
    from calc.render.audit import jsonl_line, render_json, render_markdown, render_table

    with _user_errors():
        paths = article_paths(articles)
        if write is not None and len(paths) != 1:
            raise CalcError(
                f"--write keeps the scenario of one article; {len(paths)} were given: "
                "audit them one at a time to keep each"
            )
        audits, records = audit_records(paths, jobs=jobs)
        if write is not None and audits is not None:
            write_audit(write, audits[0], force=force)
        if fmt is AuditFormat.html:
            from calc.render.audit_page import render_page

            text = render_page(records)
        else:
            render = {"table": render_table, "json": render_json, "markdown": render_markdown}
            text = render[fmt.value](records)
        from calc.io.files import write_text_atomic

        if report is not None:
            write_text_atomic(report, "".join(jsonl_line(r) for r in records))
        if out is not None:
            write_text_atomic(out, text)
            _echo(f"wrote {out}", err=True)
        else:
            _echo(text, nl=False)
        if write is not None:
            _echo(f"wrote {write}; check it with: calc check {write}", err=True)
    if any(c["verdict"] != "consistent" for r in records for c in r["checks"]):
        raise typer.Exit(EXIT_FINDINGS)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the process started without one: writing fails, as it
    would on a closed file, instead of vanishing."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _output_failed(exc: OSError) -> None:
    """Say that the output could not be written, and exit 2; the rest of the output
    goes nowhere, so that Python's own flush at exit does not fail a second time."""
    if exc.errno == errno.EPIPE:  # the reader left (| head): quietly, like other tools
        code, message = EXIT_FINDINGS, None
    else:
        code, message = (
            EXIT_BAD_INPUT,
            (
                f"calc: cannot write to standard output ({exc.strerror or exc}); "
                + ("free some space, or redirect" if exc.errno == errno.ENOSPC else "redirect")
                + " the output to a file that can be written"
            ),
        )
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        sys.stdout = None  # type: ignore[assignment]
    if message:
        with contextlib.suppress(OSError):
            sys.stderr.write(message + "\n")
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
