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

import json
import keyword
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pint
import yaml

from .errors import CalcError, Location, ScenarioFileError, SourceError, UnitError
from .escape import terminal
from .expr import FUNCTIONS
from .figures import Figure, extract, plural_of
from .files import write_text_atomic
from .prose import STOPWORDS, first_date, soften_newlines
from .sources import CATALOGUE_NAME, Catalogue, load_catalogue
from .units import COUNT_UNITS, Q_, SCALE_WORDS, format_unit, parse_quantity, ureg

#: Longest input name or seed id that ``scaffold`` makes up.
MAX_NAME = 40


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
    left_out: tuple[Figure, ...] = ()


def scaffold(article: str | Path, target: str | Path, *, force: bool = False) -> Scaffold:
    """Write a scenario at ``target`` whose inputs are the figures ``article`` states.

    Refuses to replace an existing file unless ``force``; adds the article to the
    nearest ``seeds/catalogue.yaml`` above ``target`` (or creates one beside it).
    """
    article, target = Path(article), Path(target)
    _check_target(target, force=force)
    text = read_article(article)
    found = _distinct(extract(text))
    figures = [f for f in found if _holds(f)]
    if not figures:
        raise SourceError("states no figure a scenario can hold; there is nothing to "
                          "scaffold", location=Location(article))
    catalogue_path = catalogue_for(target)
    seed = _ensure_seed(article, text, catalogue_path)
    names = input_names(text, figures)
    units = _new_units(figures)
    left_out = tuple(f for f in found if f not in figures)
    body = scenario_text(article, target, figures, names, units=units,
                         catalogue=catalogue_path, source_id=seed.id, title=seed.title,
                         left_out=left_out)
    _write_checked(target, body)
    return Scaffold(path=target, inputs=tuple(zip(names, figures, strict=True)),
                    catalogue=catalogue_path, source_id=seed.id, seed_added=seed.added,
                    article_copy=seed.copy, units=tuple(units), left_out=left_out)


def read_article(path: Path) -> str:
    """The text of an article, as UTF-8 with its line endings kept (offsets count them);
    SourceError when it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise SourceError("no such file; give the path of the article's text",
                          location=Location(path)) from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"is not UTF-8 text (byte {exc.start}); save the article as UTF-8",
                          location=Location(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", location=Location(path)) from None


def _check_target(target: Path, *, force: bool) -> None:
    if target.suffix not in {".yaml", ".yml"}:
        raise ScenarioFileError("is not a scenario file name; give one ending in .yaml",
                                location=Location(target))
    if target.is_dir():
        raise ScenarioFileError("is a folder; give the scenario's file name",
                                location=Location(target))
    if target.exists() and not force:
        raise ScenarioFileError("exists already; pass --force to replace it, or choose "
                                "another name", location=Location(target))


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
    first = next((line.strip() for line in text.splitlines() if line.strip()), article.stem)
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."


# --- the catalogue --------------------------------------------------------------------


def catalogue_for(target: Path) -> Path:
    """The catalogue a scenario at ``target`` uses: the nearest ``seeds/catalogue.yaml``
    above it, else a new one in a ``seeds/`` folder beside it."""
    folder = target.resolve().parent
    found = next((p / "seeds" / CATALOGUE_NAME for p in (folder, *folder.parents)
                  if (p / "seeds" / CATALOGUE_NAME).is_file()), folder / "seeds" / CATALOGUE_NAME)
    return found if target.is_absolute() else Path(os.path.relpath(found))


@dataclass(frozen=True)
class _Seed:
    id: str
    title: str
    added: bool
    copy: Path | None = None


def _ensure_seed(article: Path, text: str, catalogue: Path) -> _Seed:
    """The article's seed in the catalogue, adding it (and a copy of it) if missing."""
    loaded = load_catalogue(catalogue) if catalogue.is_file() else None
    if loaded is not None and (known := _seed_of(loaded, article, text)):
        return _Seed(known, loaded.sources[known].title, added=False)
    folder = catalogue.parent
    folder.mkdir(parents=True, exist_ok=True)
    copy = None
    if article.resolve().parent != folder.resolve():
        copy = _free_path(folder, article.name)
        write_text_atomic(copy, text)
    file = (copy or article).name
    ids = set(loaded.sources) if loaded else set()
    source_id = _unique(_slug(Path(file).stem), ids, sep="-")
    entry = _seed_entry(file, text, article)
    _add_seed(catalogue, source_id, entry)
    return _Seed(source_id, entry["title"], added=True, copy=copy)


def _seed_of(catalogue: Catalogue, article: Path, text: str) -> str | None:
    for source in catalogue.sources.values():
        if source.file is None:
            continue
        if source.file.resolve() == article.resolve():
            return source.id
        if source.file.is_file() and source.file.read_text(encoding="utf-8") == text:
            return source.id
    return None


def _free_path(folder: Path, name: str) -> Path:
    path, stem, n = folder / name, Path(name).stem, 2
    while path.exists():
        path, n = folder / f"{stem}-{n}{Path(name).suffix}", n + 1
    return path


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:MAX_NAME - 5].strip("-")
    return f"seed-{slug or 'article'}"


def _seed_entry(file: str, text: str, article: Path) -> dict[str, str]:
    found = first_date(text)
    today = date.today().isoformat()
    note = f"Added by calc extract on {today} from {article}; check the title, publisher and date."
    if found is None:
        note += " No date was found in the text: today's date stands in."
    return {"file": file, "title": _title(text, article), "publisher": "unknown",
            "date": (found.isoformat() if found else today), "note": note}


def _add_seed(catalogue: Path, source_id: str, entry: dict[str, str]) -> None:
    """Add a seed entry to the catalogue's text, keeping its comments and layout."""
    old = catalogue.read_text(encoding="utf-8") if catalogue.is_file() else None
    new = _with_seed(old, source_id, entry)
    write_text_atomic(catalogue, new, check=lambda path: _check_catalogue(path, source_id))


def _with_seed(old: str | None, source_id: str, entry: dict[str, str]) -> str:
    if old is None:
        return _NEW_CATALOGUE + "seeds:\n" + _entry_lines(source_id, entry, "  ") + \
            "\nreferences: {}\n"
    lines = old.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"seeds:\s*(#.*)?$", line)),
                 None)
    if start is None:
        flow = next((i for i, line in enumerate(lines) if re.match(r"seeds:\s*\{\s*}", line)),
                    None)
        if flow is None:
            return old.rstrip("\n") + "\n\nseeds:\n" + _entry_lines(source_id, entry, "  ")
        lines[flow], start = "seeds:\n", flow
    end, indent = _block_end(lines, start)
    lines.insert(end, _entry_lines(source_id, entry, indent))
    return "".join(lines)


def _block_end(lines: list[str], start: int) -> tuple[int, str]:
    """Where the block under ``lines[start]`` ends, and the indentation of its keys."""
    end, indent = start + 1, ""
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.lstrip().startswith("#") and not line[0].isspace():
            break
        if line.strip() and line[0].isspace() and not line.lstrip().startswith("#"):
            end = i + 1
            indent = indent or line[:len(line) - len(line.lstrip())]
    return end, indent or "  "


def _entry_lines(source_id: str, entry: dict[str, str], indent: str) -> str:
    body = "".join(f"{indent * 2}{key}: {_yaml_scalar(value)}\n" for key, value in entry.items())
    return f"{indent}{source_id}:\n{body}"


def _check_catalogue(path: Path, source_id: str) -> None:
    if source_id not in load_catalogue(path).sources:
        raise SourceError(f"could not add {source_id!r} to the catalogue; add the article under "
                          "'seeds:' by hand", location=Location(path))


_NEW_CATALOGUE = """\
# The source catalogue (created by calc extract).
#
# seeds:      articles kept beside this file. A figure they state carries a verbatim
#             quote, and calc checks the quote against the article's text.
# references: external documents, each with publisher, title, url, date, a quote or
#             figure, and a grade (P, M, S, D or U); see calc's README.

"""


# --- names ------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['\u2019]s)?")
_KIND_NAMES = (("[currency]", "amount"), ("[power]", "power"), ("[energy]", "energy"),
               ("[time]", "duration"))


def input_names(text: str, figures: Sequence[Figure]) -> list[str]:
    """A name for each figure, from the words around it; valid and unique.

    >>> t = "It plans to invest $1.4 trillion to develop 30 gigawatts of computing power."
    >>> input_names(t, extract(t))
    ['plans_invest', 'computing_power']
    """
    text, used = soften_newlines(text), set[str]()
    floors = [0, *(f.end for f in figures[:-1])]
    return [_unique(_name_for(text, figure, floor), used)
            for figure, floor in zip(figures, floors, strict=True)]


def _name_for(text: str, figure: Figure, floor: int) -> str:
    """A name from the figure's noun, else 'of <words>' after it, else the words before."""
    words = (_noun_words(figure) or _words_after(text, figure)
             or _words_before(text, figure, floor))
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
    kind = "share" if unit == ureg.percent else next(
        (name for dim, name in _KIND_NAMES if Q_(1, unit).check(dim)), "figure")
    return "_per_".join([kind, *per])


def _noun_words(figure: Figure) -> list[str]:
    if figure.noun is None:
        return []
    words = [w for w in figure.noun.split() if w.replace("-", "").isalnum()]
    per = figure.unit.split(" / ")[1:]
    return words + [part for unit in per for part in ("per", unit)]


def _words_after(text: str, figure: Figure) -> list[str]:
    """'30 gigawatts of computing power' -> computing, power."""
    match = re.match(r"\s+of\s+((?:[A-Za-z][\w-]*\s*){1,2})", text[figure.end:figure.end + 60])
    if match is None:
        return []
    return _content(match[1].split())[:2]


def _words_before(text: str, figure: Figure, floor: int) -> list[str]:
    """'..., in a deal valued at about $5 billion' -> deal, valued (within the clause,
    and after the figure before)."""
    head = _CLAUSE_BREAK.split(text[max(floor, figure.offset - 80):figure.offset])[-1]
    return _content([m.group() for m in _WORD.finditer(head)])[-2:]


_CLAUSE_BREAK = re.compile(r"[.;:!?,](?=\s)|[\n()\u2014]")


def _content(words: list[str]) -> list[str]:
    return [re.sub(r"['\u2019]s$", "", w) for w in words
            if w.lower() not in STOPWORDS and w.lower() not in _FILLERS]


#: Words around a figure that say nothing about what it is.
_FILLERS = frozenset({"roughly", "approximately", "estimated", "nearly", "almost", "just",
                      "least", "close", "upwards", "excess", "some", "about", "around",
                      *SCALE_WORDS})


def _unique(name: str, used: set[str], *, sep: str = "_") -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}{sep}{n}", n + 1
    used.add(candidate)
    return candidate


# --- the scenario file ----------------------------------------------------------------------


def scenario_text(article: Path, target: Path, figures: Sequence[Figure], names: Sequence[str],
                  *, units: dict[str, str], catalogue: Path, source_id: str,
                  title: str, left_out: Sequence[Figure] = ()) -> str:
    """The scaffolded scenario as YAML text, with comments that say what to do next."""
    relative = Path(os.path.relpath(catalogue, target.resolve().parent)).as_posix()
    description = f"The figures stated in {article.name}, found by calc extract."
    lines = [
        f"# Scaffolded by `calc extract` from {article.name} on {date.today().isoformat()}.",
        "# Each figure the article states is a `stated` input; calc checks its quote",
        "# against the article when the file loads. Rename the inputs and drop the ones",
        "# you do not need, then add derived quantities and claims (see calc's README).",
        "",
        f"title: {_yaml_scalar('Figures from: ' + title)}",
        f"description: {_yaml_scalar(description)}",
        f"catalogue: {_yaml_scalar(relative)}",
    ]
    if units:
        lines += ["", "# Count units calc lacked, each with its plural; each counts only itself.",
                  "units:", *(f"  {name}: {_yaml_scalar(plural)}"
                              for name, plural in units.items())]
    lines += ["", "inputs:"]
    for name, figure in zip(names, figures, strict=True):
        lines += _input_lines(name, figure, source_id)
    if left_out:
        lines += ["", "# Left out, as no scenario value can hold them:"]
        lines += [f"#   {_comment(f.text)}, at character {f.offset}" for f in left_out]
    lines += ["", *_NEXT_STEPS]
    return "\n".join(lines) + "\n"


def _input_lines(name: str, figure: Figure, source_id: str) -> list[str]:
    lines = [f"  {name}:  # {_comment(figure.text)}, at character {figure.offset}",
             f"    value: {_yaml_scalar(value_text(figure))}",
             "    kind: stated",
             f"    source: {_yaml_scalar(source_id)}",
             f"    quote: {_yaml_scalar(figure.quote)}"]
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


_NEXT_STEPS = [
    "# Next: what the figures imply, and the claims to check. For example:",
    "# derived:",
    "#   cost_per_gw:",
    "#     formula: investment / power",
    "#     unit: billion USD/GW",
    "# claims:",
    "#   cost_in_line:",
    "#     text: The cost per GW is in line with industry estimates",
    "#     claimed: cost_per_gw",
    "#     implied: industry_cost_per_gw",
    "#     tolerance: 20%",
]


def value_text(figure: Figure) -> str:
    """The figure's value as a scenario writes it: the article's words when calc reads
    them as the same quantity ('$1.4 trillion'), else a number and unit ('126 kW').

    Raises UnitError for a figure no scenario value can hold (a temperature).
    """
    quantity = figure.quantity
    magnitude = float(quantity.magnitude)
    candidates = [figure.text] if figure.low is None and "\n" not in figure.text else []
    candidates += [f"{_number_text(magnitude)} "
                   f"{format_unit(quantity.units, plural=magnitude != 1)}",
                   f"{magnitude!r} {figure.unit}"]
    for written in candidates:
        if _reads_back(written, quantity):
            return written
    raise UnitError(f"{figure.text!r} cannot be a scenario value: calc reads no value in "
                    f"{quantity.units:~P} back; enter it by hand in another unit, or leave it out")


def _reads_back(written: str, quantity: pint.Quantity) -> bool:
    try:
        value = parse_quantity(written).to(quantity.units).magnitude
    except (UnitError, pint.DimensionalityError):
        return False
    return math.isclose(float(value), float(quantity.magnitude), rel_tol=1e-12)


def _number_text(number: float) -> str:
    """'1.4 trillion', '2,000', '0.16': short, exact, and readable by parse_quantity."""
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


def _write_checked(target: Path, text: str) -> None:
    """Write the scenario, but only once it loads and evaluates cleanly."""
    from .scenario import load_scenario

    def check(path: Path) -> None:
        try:
            load_scenario(path).evaluate()
        except CalcError as exc:  # name the file the user asked for, not the temporary one
            where = replace(exc.location, file=target)
            raise ScenarioFileError(f"{exc.message} (calc extract wrote nothing; please "
                                    "report this)", location=where) from exc

    write_text_atomic(target, text, make_folder=True, check=check)


def describe(result: Scaffold) -> str:
    """What ``scaffold`` did, for a person: the file, its inputs, the catalogue entry."""
    width = max(len(name) for name, _ in result.inputs)
    lines = [f"wrote {result.path}: {len(result.inputs)} stated input"
             f"{'s' if len(result.inputs) != 1 else ''} from {result.source_id}"]
    lines += [f"  {name:<{width}}  {' '.join(f.text.split())}" for name, f in result.inputs]
    if result.units:
        lines.append(f"declared the count unit{'s' if len(result.units) != 1 else ''} "
                     f"{', '.join(result.units)} in its 'units' section")
    if result.left_out:
        lines.append(f"left out what no scenario value can hold: "
                     f"{', '.join(repr(_comment(f.text)) for f in result.left_out)}")
    if result.seed_added:
        copied = f", with a copy of the article at {result.article_copy}" \
            if result.article_copy else ""
        lines.append(f"added {result.source_id} to {result.catalogue}{copied}")
    lines.append(f"next: rename the inputs, add derived quantities and claims, then "
                 f"calc run {result.path}")
    return terminal("\n".join(lines)) + "\n"
