"""Scaffolding a scenario from an article: its figures become stated inputs.

``scaffold(article, target)`` extracts the figures of an article, makes sure the
article is a seed in the source catalogue the new scenario will use (copying it
beside the catalogue when it lives elsewhere), and writes a scenario file in
which every figure is a ``stated`` input with its verbatim quote. Input names
come from the words around each figure; count units calc lacks ("three major
efforts") are declared in the file's ``units:`` section. The file is checked by
loading and evaluating it before it replaces anything, and is written atomically.
"""

from __future__ import annotations

import contextlib
import io
import json
import keyword
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pint
import yaml

from calc.articles.figures import Figure, Unread, extract_all, plural_of
from calc.articles.prose import STOPWORDS, first_date, soften_newlines
from calc.domain.sources import Catalogue
from calc.errors import CalcError, Location, ScenarioFileError, SourceError, UnitError
from calc.escape import terminal
from calc.io.catalogue import CATALOGUE_NAME, load_catalogue
from calc.io.catalogue import read_article as _read_article
from calc.io.files import (
    check_writable_target,
    is_utf8_name,
    locked,
    read_limited,
    renamed,
    shown_name,
    write_atomic,
    write_text_atomic,
)
from calc.io.next_steps import next_steps
from calc.io.yamlfile import MAX_FILE_BYTES
from calc.lang.formula import FUNCTIONS
from calc.units.display import format_unit
from calc.units.notation import parse_value
from calc.units.registry import COUNT_UNITS, Q_, SCALE_WORDS, pint_text, ureg

#: Longest input name or seed id that ``scaffold`` makes up.
MAX_NAME = 40
#: Most figures one scaffold turns into inputs (a long article states a few hundred);
#: more would pass the size limit of a scenario file.
MAX_SCAFFOLD_INPUTS = 2_000


@dataclass(frozen=True)
class Scaffold:
    """What ``scaffold`` wrote: the scenario, its inputs, and the catalogue entry."""

    path: Path
    inputs: tuple[tuple[str, Figure], ...]
    catalogue: Path
    source_id: str
    seed_added: bool
    article_copy: Path | None
    units: tuple[str, ...]
    left_out: tuple[Unread, ...] = ()


def scaffold(
    article: str | Path, target: str | Path, *, force: bool = False, allow_outside: bool = False
) -> Scaffold:
    """Write a scenario at ``target`` whose inputs are the figures ``article`` states.

    Refuses to replace an existing file unless ``force``; adds the article to the
    nearest ``seeds/catalogue.yaml`` above ``target`` (or creates one beside it). The
    catalogue's folder is locked from reading the catalogue to the last write, so two
    scaffolds at once both land; and everything is staged and checked before anything
    is written, so a scaffold that fails writes nothing.
    """
    article, target = Path(article), Path(target)
    _check_target(target, force=force)
    text = read_article(article)
    read, unread = extract_all(text)
    found = _distinct(read)
    if len(found) > MAX_SCAFFOLD_INPUTS:  # before the per-figure work below
        raise SourceError(
            f"states {len(found):,} figures; a scaffolded scenario holds at "
            f"most {MAX_SCAFFOLD_INPUTS:,} inputs: split the article, or scaffold "
            "the part you need",
            location=Location(article),
        )
    figures = [f for f in found if _holds(f)]
    if not figures:
        raise SourceError(
            "states no figure a scenario can hold; there is nothing to scaffold",
            location=Location(article),
        )
    names = input_names(text, figures)
    units = _new_units(figures)
    kept = {id(f) for f in figures}  # a set: 'f not in figures' was quadratic
    refused = [_unread(f) for f in found if id(f) not in kept]
    left_out = tuple(sorted([*refused, *unread], key=lambda u: u.offset))

    def body(catalogue: Path, at: Path, seed: SeedPlan) -> str:
        return scenario_text(
            article,
            at,
            figures,
            names,
            units=units,
            catalogue=catalogue,
            source_id=seed.id,
            title=seed.title,
            left_out=left_out,
        )

    seed = write_with_seed(
        article, target, body, text=text, force=force, allow_outside=allow_outside
    )
    catalogue_path = catalogue_for(target)
    return Scaffold(
        path=target,
        inputs=tuple(zip(names, figures, strict=True)),
        catalogue=catalogue_path,
        source_id=seed.id,
        seed_added=seed.added,
        article_copy=seed.copy,
        units=tuple(units),
        left_out=left_out,
    )


def write_with_seed(
    article: Path,
    target: Path,
    body: Callable[[Path, Path, SeedPlan], str],
    *,
    text: str | None = None,
    force: bool = False,
    allow_outside: bool = False,
) -> SeedPlan:
    """Write the scenario ``body(catalogue, target, seed)`` at ``target``, with
    ``article`` added to the nearest catalogue when it is not there yet.

    The catalogue's folder is locked from reading the catalogue to the last write, so
    two writers at once both land; everything is staged and loaded first, so a scenario
    that would not load writes nothing. Used by ``calc extract --scaffold`` and
    ``calc audit --write``.
    """
    _check_target(target, force=force)
    text = read_article(article) if text is None else text
    catalogue_path = catalogue_for(target)
    with _made_folder(catalogue_path.parent), locked(catalogue_path.parent):
        seed = _plan_seed(article, text, catalogue_path, allow_outside=allow_outside)
        _stage_and_check(seed, catalogue_path, target, body, allow_outside=allow_outside)
        _commit(seed, catalogue_path, target, body(catalogue_path, target, seed))
    return seed


def read_article(path: Path) -> str:
    """The text of an article (see calc.sources.read_article); SourceError when it cannot
    be read, is not a regular file, is too long or is not UTF-8."""
    return _read_article(path)


def _check_target(target: Path, *, force: bool) -> None:
    if target.suffix not in {".yaml", ".yml"}:
        raise ScenarioFileError(
            "is not a scenario file name; give one ending in .yaml", location=Location(target)
        )
    if target.is_dir():
        raise ScenarioFileError(
            "is a folder; give the scenario's file name", location=Location(target)
        )
    if target.exists() and not force:
        raise ScenarioFileError(
            "exists already; pass --force to replace it, or choose another name",
            location=Location(target),
        )


def _unread(figure: Figure) -> Unread:
    """A figure no scenario value can hold, with the reason, where it has one."""
    try:
        value_text(figure)
    except UnitError as exc:
        why = exc.message.removeprefix(f"{figure.text!r} cannot be a scenario value: ")
        return Unread(figure.offset, figure.text, why)
    return Unread(figure.offset, figure.text, "a count below zero" if figure.value < 0 else "")


def _holds(figure: Figure) -> bool:
    """Whether a scenario value can hold the figure: not a temperature, not a count
    below zero (scenarios refuse both)."""
    try:
        value_text(figure)
    except UnitError:
        return False
    return not (figure.value < 0 and figure.unit in COUNT_UNITS)


def _distinct(figures: Sequence[Figure]) -> list[Figure]:
    """Drop repeats of a figure: same value, unit and quote (a repeated paragraph)."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for f in figures:
        key = (f.value, f.unit, f.low, f.high, " ".join(f.quote.split()))
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _new_units(figures: Sequence[Figure]) -> dict[str, str]:
    """The count units the figures need that calc lacks, each with its plural."""
    units: dict[str, str] = {}
    for figure in figures:
        for name in figure.new_units:
            plural = plural_of(figure) if figure.unit.startswith(name) else None
            units.setdefault(name, plural or name)
    return units


def _title(text: str, article: Path) -> str:
    first = next(
        (line.strip() for line in text.splitlines() if line.strip()), shown_name(article.stem)
    )
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."


# --- the catalogue --------------------------------------------------------------------


def catalogue_for(target: Path) -> Path:
    """The catalogue a scenario at ``target`` uses: the nearest ``seeds/catalogue.yaml``
    above it, else a new one in a ``seeds/`` folder beside it."""
    folder = target.resolve().parent
    found = next(
        (
            p / "seeds" / CATALOGUE_NAME
            for p in (folder, *folder.parents)
            if (p / "seeds" / CATALOGUE_NAME).is_file()
        ),
        folder / "seeds" / CATALOGUE_NAME,
    )
    return found if target.is_absolute() else Path(os.path.relpath(found))


@dataclass(frozen=True)
class SeedPlan:
    """The article's seed: known already, or to be added (with the catalogue's new text
    and the copy of the article to write beside it)."""

    id: str
    title: str
    added: bool
    copy: Path | None = None
    file: str = ""
    text: str = ""
    catalogue_text: str | None = None


def _plan_seed(article: Path, text: str, catalogue: Path, *, allow_outside: bool) -> SeedPlan:
    """The article's seed in the catalogue, or the plan to add it: nothing is written."""
    loaded = load_catalogue(catalogue, allow_outside=allow_outside) if catalogue.is_file() else None
    if loaded is not None and (known := _seed_of(loaded, article, text)):
        return SeedPlan(known, loaded.sources[known].title, added=False)
    folder = catalogue.parent
    copy = None
    if article.resolve().parent != folder.resolve() or not is_utf8_name(article.name):
        copy = _free_path(folder, shown_name(article.name).replace("\ufffd", "_"))
    file = (copy or article).name
    ids = set(loaded.sources) if loaded else set()
    source_id = _Names(ids, sep="-").take(_slug(Path(file).stem))
    entry = seed_entry(file, text, article)
    old = _read_catalogue(catalogue) if loaded is not None else None
    return SeedPlan(
        source_id,
        entry["title"],
        added=True,
        copy=copy,
        file=file,
        text=text,
        catalogue_text=with_seed(old, source_id, entry, catalogue),
    )


def _seed_of(catalogue: Catalogue, article: Path, text: str) -> str | None:
    for source in catalogue.sources.values():
        if source.file is None:
            continue
        if source.file.resolve() == article.resolve():
            return source.id
        with contextlib.suppress(SourceError):
            if source.file.is_file() and _read_article(source.file) == text:
                return source.id
    return None


def _read_catalogue(catalogue: Path) -> str:
    return read_limited(
        catalogue, MAX_FILE_BYTES, what="catalogue files", error=SourceError
    ).decode("utf-8")  # load_catalogue checked it


def _free_path(folder: Path, name: str) -> Path:
    path, stem, n = folder / name, Path(name).stem, 2
    while path.exists() or path.is_symlink():
        path, n = folder / f"{stem}-{n}{Path(name).suffix}", n + 1
    return path


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[: MAX_NAME - 5].strip("-")
    return f"seed-{slug or 'article'}"


def seed_entry(file: str, text: str, article: Path) -> dict[str, str]:
    found = first_date(text)
    today = date.today().isoformat()
    note = (
        f"Added by calc extract on {today} from {shown_name(article)}; check the title, "
        "publisher and date."
    )
    if found is None:
        note += " No date was found in the text, so the date is unknown: fill it in."
    return {
        "file": file,
        "title": _title(text, article),
        "publisher": "unknown",
        "date": found.isoformat() if found else "unknown",
        "note": note,
    }


def with_seed(
    old: str | None, source_id: str, entry: dict[str, str], path: Path = Path(CATALOGUE_NAME)
) -> str:
    r"""The catalogue text ``old`` with a seed added under ``seeds``, edited through a
    round-trip YAML library so that comments, order and flow or block style are kept.

    >>> print(with_seed("# mine\nseeds: {a: {file: a.txt}}  # kept\n", "b", {"file": "b.txt"}))
    # mine
    seeds: {a: {file: a.txt}, b: {file: b.txt}} # kept
    <BLANKLINE>
    """
    from ruamel.yaml import YAML, CommentedMap
    from ruamel.yaml.error import YAMLError

    editor = YAML(typ="rt")
    editor.width = 4096  # never fold a long title or note onto a second line
    editor.preserve_quotes = True
    try:
        data = editor.load(old if old is not None else _NEW_CATALOGUE)
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap) or not isinstance(
            data.get("seeds", {}), dict | type(None)
        ):
            raise SourceError(
                "has no 'seeds' mapping to add the article to; add it under 'seeds:' by hand",
                location=Location(path),
            )
        if not data.get("seeds"):  # absent, empty or '{}': a block, one entry a few lines
            data["seeds"] = CommentedMap()
        data["seeds"][source_id] = CommentedMap(entry)
        stream = io.StringIO()
        editor.dump(data, stream)
    except YAMLError as exc:
        raise SourceError(
            f"cannot be edited ({type(exc).__name__}); add the article under 'seeds:' by hand",
            location=Location(path),
        ) from None
    return stream.getvalue()


_NEW_CATALOGUE = """\
# The source catalogue (created by calc extract).
#
# seeds:      articles kept beside this file. A figure they state carries a verbatim
#             quote, and calc checks the quote against the article's text.
# references: external documents, each with publisher, title, url, date, a quote or
#             figure, and a grade (P, M, S, D or U); see calc's README.

seeds:
references: {}
"""


# --- names ------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['\u2019]s)?")
_KIND_NAMES = (
    ("[currency]", "amount"),
    ("[power]", "power"),
    ("[energy]", "energy"),
    ("[time]", "duration"),
    ("[length] ** 2", "area"),
    ("[length] ** 3", "volume"),
)


def input_names(text: str, figures: Sequence[Figure]) -> list[str]:
    """A name for each figure, from the words around it; valid and unique.

    >>> from calc.articles.figures import extract
    >>> t = "It plans to invest $1.4 trillion to develop 30 gigawatts of computing power."
    >>> input_names(t, extract(t))
    ['investment', 'computing_power']
    >>> t = "Amazon has 2.2 GW under way, costing $11 billion."
    >>> input_names(t, extract(t))
    ['power', 'cost']
    >>> t = "The $11 billion investment covers a 1,200-acre site."
    >>> input_names(t, extract(t))
    ['investment', 'area']
    """
    text, names = soften_newlines(text), _Names()
    floors = [0, *(f.end for f in figures[:-1])]
    return [
        names.take(_name_for(text, figure, floor))
        for figure, floor in zip(figures, floors, strict=True)
    ]


def _name_for(text: str, figure: Figure, floor: int) -> str:
    """A name for what the figure measures: its noun, else 'of <words>' after it, else a
    measure word in its clause ('invest' -> investment), else its kind (power, amount);
    never whatever word happens to start the sentence ('amazon', 'costing')."""
    words = (
        _noun_words(figure)
        or _words_after(text, figure)
        or _measure_after(text, figure)
        or _measure_words(text, figure, floor)
    )
    name = re.sub(r"[^a-z0-9]+", "_", "_".join(words).lower()).strip("_")
    if not name:
        name = _kind_name(figure)
    if figure.low is not None:
        name += "_range"
    if not name[0].isalpha():
        name = "figure_" + name
    if name in FUNCTIONS or keyword.iskeyword(name):
        name += "_value"
    return name[:MAX_NAME].rstrip("_")


def _kind_name(figure: Figure) -> str:
    """'amount', 'power', 'energy_per_home_per_year': a name from the unit alone."""
    figure.define_units()
    top, *per = figure.unit.split(" / ")
    unit = ureg.Unit("dimensionless" if top == "1" else top)
    kind = (
        "share"
        if unit == ureg.percent
        else next((name for dim, name in _KIND_NAMES if Q_(1, unit).check(dim)), "figure")
    )
    return "_per_".join([kind, *per])


def _noun_words(figure: Figure) -> list[str]:
    if figure.noun is None:
        return []
    words = [w for w in figure.noun.split() if w.replace("-", "").isalnum()]
    per = figure.unit.split(" / ")[1:]
    return words + [part for unit in per for part in ("per", unit)]


def _words_after(text: str, figure: Figure) -> list[str]:
    """'30 gigawatts of computing power' -> computing, power."""
    match = re.match(r"\s+of\s+((?:[A-Za-z][\w-]*\s*){1,2})", text[figure.end : figure.end + 60])
    if match is None:
        return []
    return _content(match[1].split())[:2]


def _measure_after(text: str, figure: Figure) -> list[str]:
    """'the $11 billion investment' -> investment: a measure word right after the figure."""
    match = re.match(r"\s+([A-Za-z]+)", text[figure.end : figure.end + 30])
    measure = _MEASURES.get(match[1].lower()) if match else None
    return [measure, *_per_words(figure)] if measure and _fits(measure, figure) else []


def _per_words(figure: Figure) -> list[str]:
    return [part for unit in figure.unit.split(" / ")[1:] for part in ("per", unit)]


def _measure_words(text: str, figure: Figure, floor: int) -> list[str]:
    """'..., in a deal valued at about $5 billion' -> value; 'costing $11 billion' -> cost:
    the last measure word in the figure's clause (after the figure before), with the
    figure's per-units ('cost_per_gw')."""
    head = _CLAUSE_BREAK.split(text[max(floor, figure.offset - 80) : figure.offset])[-1]
    words = [m.group().lower() for m in _WORD.finditer(head)]
    fitting = (_MEASURES[w] for w in reversed(words) if w in _MEASURES)
    measure = next((m for m in fitting if _fits(m, figure)), None)
    return [measure, *_per_words(figure)] if measure else []


def _fits(measure: str, figure: Figure) -> bool:
    """Whether a measure word can name the figure: 'investment' names money, 'capacity'
    a power, so '$11 billion investment covers a 1,200-acre site' names only the money."""
    return _kind_name(figure).partition("_per_")[0] == _MEASURE_KINDS.get(measure, "amount")


def _measure_table(groups: dict[str, str]) -> dict[str, str]:
    return {word: measure for measure, words in groups.items() for word in words.split()}


#: Words before a figure that say what it measures, and the name they give.
_MEASURES = _measure_table(
    {
        "investment": "invest invests invested investing investment investments",
        "cost": "cost costs costing costed",
        "spending": "spend spends spending spent",
        "value": "valued value worth",
        "price": "price priced prices",
        "revenue": "revenue revenues sales",
        "funding": "raise raised raises raising funding funded",
        "capacity": "capacity",
        "power": "draw draws drawing consume consumes consuming",
    }
)


#: The kind of figure (``_kind_name``) each measure word names; the others name money.
_MEASURE_KINDS = {"capacity": "power", "power": "power"}


_CLAUSE_BREAK = re.compile(r"[.;:!?,](?=\s)|[\n()\u2014]")


def _content(words: list[str]) -> list[str]:
    return [
        re.sub(r"['\u2019]s$", "", w)
        for w in words
        if w.lower() not in STOPWORDS and w.lower() not in _FILLERS
    ]


#: Words around a figure that say nothing about what it is.
_FILLERS = frozenset(
    {
        "roughly",
        "approximately",
        "estimated",
        "nearly",
        "almost",
        "just",
        "least",
        "close",
        "upwards",
        "excess",
        "some",
        "about",
        "around",
        *SCALE_WORDS,
    }
)


class _Names:
    """Unique names, 'power', 'power_2', ...: the next number of each base is kept, so
    n figures that share one name cost n steps, not n squared over 2."""

    def __init__(self, used: Iterable[str] = (), *, sep: str = "_") -> None:
        self.used, self.sep = set(used), sep
        self.next: dict[str, int] = {}

    def take(self, name: str) -> str:
        candidate, n = name, self.next.get(name, 2)
        while candidate in self.used:
            candidate, n = f"{name}{self.sep}{n}", n + 1
        self.next[name] = n
        self.used.add(candidate)
        return candidate


# --- the scenario file ----------------------------------------------------------------------


def scenario_text(
    article: Path,
    target: Path,
    figures: Sequence[Figure],
    names: Sequence[str],
    *,
    units: dict[str, str],
    catalogue: Path,
    source_id: str,
    title: str,
    left_out: Sequence[Unread] = (),
) -> str:
    """The scaffolded scenario as YAML text, with comments that say what to do next."""
    relative = Path(os.path.relpath(catalogue, target.resolve().parent)).as_posix()
    description = f"The figures stated in {shown_name(article.name)}, found by calc extract."
    lines = [
        f"# Scaffolded by `calc extract` from {shown_name(article.name)} on "
        f"{date.today().isoformat()}.",
        "# Each figure the article states is a `stated` input; calc checks its quote",
        "# against the article when the file loads. Rename the inputs and drop the ones",
        "# you do not need, then add derived quantities and claims (see calc's README).",
        "",
        f"title: {_yaml_scalar('Figures from: ' + title)}",
        f"description: {_yaml_scalar(description)}",
        f"catalogue: {_yaml_scalar(relative)}",
    ]
    if units:
        lines += [
            "",
            "# Count units calc lacked, each with its plural; each counts only itself.",
            "units:",
            *(f"  {name}: {_yaml_scalar(plural)}" for name, plural in units.items()),
        ]
    lines += ["", "inputs:"]
    for name, figure in zip(names, figures, strict=True):
        lines += _input_lines(name, figure, source_id)
    if left_out:
        lines += ["", "# Left out, each with the reason:"]
        lines += [
            f"#   {_comment(u.text)}, at character {u.offset}{': ' if u.reason else ''}"
            f"{_comment(u.reason)}"
            for u in left_out
        ]
    lines += ["", *next_steps(list(zip(names, figures, strict=True)))]
    return "\n".join(lines) + "\n"


def _input_lines(name: str, figure: Figure, source_id: str) -> list[str]:
    lines = [
        f"  {name}:  # {_comment(figure.text)}, at character {figure.offset}",
        f"    value: {_yaml_scalar(value_text(figure))}",
        "    kind: stated",
        f"    source: {_yaml_scalar(source_id)}",
        f"    quote: {_yaml_scalar(figure.quote)}",
    ]
    if note := _note(figure):
        lines.append(f"    note: {_yaml_scalar(note)}")
    return lines


def _note(figure: Figure) -> str | None:
    parts = []
    if figure.low is not None:
        parts.append(f"Stated as a range, {figure.display()}; the value is its midpoint.")
    if figure.qualifier:
        parts.append(f"Stated as {figure.qualifier} {figure.text}.")
    return " ".join(parts) or None


def _comment(text: str) -> str:
    return " ".join(text.split())


def value_text(figure: Figure) -> str:
    """The figure's value as a scenario writes it: the article's words when calc reads
    them as the same quantity ('$1.4 trillion'), else a number and unit ('126 kW').

    Raises UnitError for a figure no scenario value can hold (a temperature).
    """
    quantity = figure.quantity
    magnitude = float(quantity.magnitude)
    candidates = [figure.text] if figure.low is None and "\n" not in figure.text else []
    candidates += [
        f"{_number_text(magnitude)} {format_unit(quantity.units, plural=magnitude != 1)}",
        f"{magnitude!r} {figure.unit}",
    ]
    refusal = None  # why the article's own words are refused ('tons': short or metric?)
    for written in candidates:
        try:
            if _reads_back(written, quantity):
                return written
        except UnitError as exc:
            refusal = refusal or exc.message.removeprefix(f"{written!r}: ")
    why = refusal or (
        f"calc reads no value in {pint_text(quantity.units)} back; enter it by hand in another "
        "unit, or leave it out"
    )
    raise UnitError(f"{figure.text!r} cannot be a scenario value: {why}")


def _reads_back(written: str, quantity: pint.Quantity) -> bool:
    """Whether ``written`` reads as ``quantity``; UnitError where calc refuses it."""
    try:
        value = parse_value(written).to(quantity.units).magnitude
    except pint.DimensionalityError:
        return False
    return math.isclose(float(value), float(quantity.magnitude), rel_tol=1e-12)


def _number_text(number: float) -> str:
    """'1.4 trillion', '2,000', '0.16': short, exact, and readable by parse_value."""
    for word, factor in SCALE_WORDS.items():
        if abs(number) >= factor and factor >= 1e6:
            scaled = number / factor
            if scaled * factor == number and len(repr(scaled)) <= 7:
                return f"{scaled:g} {word}"
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}"
    return repr(number)


# --- writing ---------------------------------------------------------------------------------

_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _yaml_scalar(value: str) -> str:
    """A YAML scalar for ``value``: plain when YAML reads it back unchanged, else quoted."""
    if re.fullmatch(r"[$.A-Za-z0-9][\w $.,/%\u2019'()-]*", value) and not value.endswith(" "):
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _stage_and_check(
    seed: SeedPlan,
    catalogue: Path,
    target: Path,
    body: Callable[[Path, Path, SeedPlan], str],
    *,
    allow_outside: bool,
) -> None:
    """Build the new catalogue, article copy and scenario in a staging folder beside the
    catalogue, and load and evaluate the scenario there: a scaffold that would not load
    is refused before anything is written."""
    from calc.domain.evaluate import evaluate
    from calc.io.loader import load_scenario

    with tempfile.TemporaryDirectory(dir=catalogue.parent, prefix=".calc-scaffold-") as stage:
        folder = Path(stage)
        staged_catalogue = catalogue  # unchanged when the article is a seed already
        if seed.catalogue_text is not None:
            staged_catalogue = folder / catalogue.name
            staged_catalogue.write_text(seed.catalogue_text, encoding="utf-8")
            (folder / seed.file).write_text(seed.text, encoding="utf-8")
        staged = folder / target.name
        staged.write_text(body(staged_catalogue, staged, seed), encoding="utf-8")
        try:
            evaluate(load_scenario(staged, allow_outside=allow_outside))
        except CalcError as exc:
            exc = renamed(renamed(exc, staged_catalogue, catalogue), staged, target)
            exc = renamed(exc, folder, target.parent)  # paths resolved beside the scenario
            raise ScenarioFileError(
                f"{exc.message} (calc extract wrote nothing; please report this)",
                location=exc.location,
            ) from None


def _commit(seed: SeedPlan, catalogue: Path, target: Path, text: str) -> None:
    """Write the article copy, the catalogue and the scenario, each atomically; if one
    fails, undo the ones before it."""
    old_catalogue = catalogue.read_bytes() if catalogue.is_file() else None
    undo: list[Callable[[], object]] = []
    try:
        if seed.copy is not None:
            check_writable_target(seed.copy)
            write_text_atomic(seed.copy, seed.text)
            undo.append(lambda: seed.copy.unlink(missing_ok=True))  # type: ignore[union-attr]
        if seed.catalogue_text is not None:
            write_text_atomic(catalogue, seed.catalogue_text)
            undo.append(lambda: _restore(catalogue, old_catalogue))
        write_text_atomic(target, text, make_folder=True)
    except BaseException:
        for step in reversed(undo):
            with contextlib.suppress(OSError):
                step()
        raise


def _restore(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, lambda stream: stream.write(old))


@contextlib.contextmanager
def _made_folder(folder: Path) -> Iterator[None]:
    """Make the catalogue's folder if missing, and remove it again if the scaffold fails
    and leaves it empty."""
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SourceError(
            f"the folder cannot be made ({exc.strerror})", location=Location(folder)
        ) from None
    try:
        yield
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def describe(result: Scaffold) -> str:
    """What ``scaffold`` did, for a person: the file, its inputs, the catalogue entry."""
    width = max(len(name) for name, _ in result.inputs)
    lines = [
        f"wrote {result.path}: {len(result.inputs)} stated input"
        f"{'s' if len(result.inputs) != 1 else ''} from {result.source_id}"
    ]
    lines += [f"  {name:<{width}}  {' '.join(f.text.split())}" for name, f in result.inputs]
    if result.units:
        lines.append(
            f"declared the count unit{'s' if len(result.units) != 1 else ''} "
            f"{', '.join(result.units)} in its 'units' section"
        )
    if result.left_out:
        lines.append(
            f"left out, each with its reason in the scenario's comments: "
            f"{', '.join(repr(_comment(u.text)) for u in result.left_out)}"
        )
    if result.seed_added:
        copied = (
            f", with a copy of the article at {result.article_copy}" if result.article_copy else ""
        )
        lines.append(f"added {result.source_id} to {result.catalogue}{copied}")
    lines.append(
        f"next: rename the inputs, add derived quantities and claims, then calc run {result.path}"
    )
    return terminal("\n".join(lines)) + "\n"
