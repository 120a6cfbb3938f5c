"""Loading a scenario file into a ``calc.domain.model.Scenario``.

Loading does every check that can be done without evaluating: the YAML parses,
the fields validate, values and units parse, sources exist, seed quotes are in
their seeds, formulas are in the language, names resolve, the graph has no cycle
and every formula's dimension matches its declared unit. A loaded ``Scenario``
is immutable; ``evaluate`` turns it into a ``Result``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pint
from pydantic import BaseModel

from calc.domain.basis import parse_basis
from calc.domain.distributions import (
    Distribution,
    DistributionFormula,
    Parameter,
    constant_parameter,
    formula_parameter,
    from_range,
    from_spec,
    range_size_message,
    split_pair_message,
)
from calc.domain.model import (
    KIND_TOLERANCES,
    RESERVED_NAMES,
    Bound,
    Citation,
    Claim,
    Derived,
    Input,
    Kind,
    Scenario,
    bound_of,
)
from calc.domain.references import FROM_REFERENCE, REF_PREFIX, cited_id
from calc.domain.sources import Catalogue, check_quoted_value
from calc.errors import CalcError, Location, UnitError
from calc.io.catalogue import load_catalogue
from calc.io.paths import find_catalogue, has_own_catalogue
from calc.io.references import is_from_reference, load_library, resolve_source
from calc.io.specs import CitationSpec, ClaimSpec, DerivedSpec, InputSpec, ScenarioSpec
from calc.io.yamlfile import YamlDocument, echo, load_yaml
from calc.lang.formula import FUNCTIONS, Formula, parse_formula
from calc.names import name_problem
from calc.units.counts import define_count_unit, negative_count
from calc.units.display import describe_dimension, format_quantity, format_unit
from calc.units.notation import parse_unit, parse_value
from calc.units.registry import BUILT_IN_COUNT_UNITS, COUNT_UNITS, Q_, fold_scale_words

if TYPE_CHECKING:
    pass


def load_scenario(
    path: str | Path, *, allow_outside: bool = False, scenario_type: type[Scenario] = Scenario
) -> Scenario:
    """Load, validate and check a scenario file, or a shipped scenario by name
    (``load_scenario("openai-30gw")``); a path that exists wins over a name.

    ``allow_outside=True`` accepts seed articles outside the catalogue's folder (see
    ``load_catalogue``); only for files you trust. ``scenario_type`` is the class built:
    the facade ``calc.scenario.Scenario`` passes itself, so that this layer never imports
    it.
    """
    from calc.io.paths import resolve_scenario

    layers = _load_layers(resolve_scenario(path), ())
    spec, document = layers[-1]
    _define_units(layers)
    catalogue = _catalogue_for(spec, document, allow_outside=allow_outside)
    own = spec.catalogue is not None or has_own_catalogue(document.path)
    inputs = {
        name: _build_input(name, s, doc, catalogue, own)
        for name, (s, doc) in _merged(layers, "inputs").items()
    }
    catalogue = _with_library_sources(catalogue, inputs)
    derived = {
        name: _build_derived(name, s, doc) for name, (s, doc) in _merged(layers, "derived").items()
    }
    claims = {
        name: _build_claim(name, s, doc, catalogue)
        for name, (s, doc) in _merged(layers, "claims").items()
    }
    if not inputs:
        raise document.error(
            "has no inputs; add an 'inputs' section (or 'extends' a scenario that has them)",
            "inputs",
        )
    _check_names(inputs, derived, claims, document)
    _check_own_count_units(layers, inputs, derived)

    from calc.domain.evaluate import check_scenario
    from calc.domain.graph import order_derived

    ordered = {name: derived[name] for name in order_derived(inputs, derived)}
    description = next((s.description for s, _ in reversed(layers) if s.description), None)
    scenario = scenario_type(
        path=document.path,
        title=spec.title,
        description=description,
        inputs=MappingProxyType(inputs),
        derived=MappingProxyType(ordered),
        claims=MappingProxyType(claims),
        catalogue=catalogue,
        extends=tuple(doc.path for _, doc in layers[:-1]),
    )
    check_scenario(scenario)
    return scenario


Layer = tuple[ScenarioSpec, YamlDocument]
#: Longest chain of ``extends``: a variant of a variant of ... a base, a few deep.
MAX_EXTENDS = 16


def _load_layers(path: Path, chain: tuple[Path, ...]) -> list[Layer]:
    """The file and the scenarios it extends, root first (a loop, found by resolved
    path so that symbolic links cannot hide it, and a chain past MAX_EXTENDS refused)."""
    layers: list[Layer] = []
    while True:
        document = load_yaml(path)
        if not isinstance(document.data, dict):
            raise document.error(
                "is not a scenario: expected a mapping with 'title' and 'inputs' at the top level"
            )
        spec = document.validate(ScenarioSpec)
        layers.append((spec, document))
        if spec.extends is None:
            return layers[::-1]
        chain = (*chain, Path(os.path.realpath(path)))
        path = _parent_of(path, spec, document, chain)


def _parent_of(
    path: Path, spec: ScenarioSpec, document: YamlDocument, chain: tuple[Path, ...]
) -> Path:
    assert spec.extends is not None
    parent = path.parent / spec.extends
    real = Path(os.path.realpath(parent))  # never raises on a loop of links, unlike resolve
    if real in chain:
        loop = " -> ".join(p.name for p in (*chain, real))
        raise document.error(
            f"{echo(spec.extends)} extends back into itself ({loop}); a "
            "variant cannot be its own ancestor",
            "extends",
        )
    if len(chain) >= MAX_EXTENDS:
        raise document.error(
            f"extends a chain of more than {MAX_EXTENDS} files; a variant "
            "extends a base, a few files deep: shorten the chain",
            "extends",
        )
    if not parent.is_file():
        raise document.error(
            f"{echo(spec.extends)} is not a file (looked for {parent}); give "
            "the parent scenario's path relative to this file",
            "extends",
        )
    return parent


def _merged(layers: list[Layer], section: str) -> dict[str, tuple[BaseModel, YamlDocument]]:
    """One section across layers: a later file's entry replaces an earlier one's."""
    entries: dict[str, tuple[BaseModel, YamlDocument]] = {}
    for spec, document in layers:
        for name, entry in getattr(spec, section).items():
            entries[name] = (entry, document)
    return entries


def _define_units(layers: list[Layer]) -> None:
    """Add the count units the files declare (``units: {robot: robots}``) to the registry."""
    for spec, document in layers:
        for name, plural in spec.units.items():
            try:
                define_count_unit(name, plural)
            except UnitError as exc:
                raise exc.at(document.locate("units", name)) from None


def _check_own_count_units(
    layers: list[Layer], inputs: Mapping[str, Input], derived: Mapping[str, Derived]
) -> None:
    """A count unit added at run time (by another scenario, or by calc extract) is usable
    only by a scenario that declares it: the registry is the whole process's, so without
    this a file would load in a notebook that happened to read another one first, and fail
    on its own."""
    declared = set(BUILT_IN_COUNT_UNITS) | {name for spec, _ in layers for name in spec.units}
    for item in inputs.values():
        _check_counts(item.quantity.units, declared, item.where("value"))
    for item in derived.values():
        for unit in (item.unit, *item.also):
            _check_counts(unit, declared, item.where("unit"))


def _check_counts(unit: pint.Unit, declared: set[str], location: Location) -> None:
    foreign = [name for name in unit._units if name in COUNT_UNITS and name not in declared]
    if foreign:
        name = foreign[0]
        raise UnitError(
            f"{name!r} is a count unit this scenario does not declare (something else loaded "
            "in this process added it); declare it: units: "
            f"{{{name}: {COUNT_UNITS[name]}}}",
            location=location,
        )


def _catalogue_for(spec: ScenarioSpec, document: YamlDocument, *, allow_outside: bool) -> Catalogue:
    if spec.catalogue is None:
        return load_catalogue(find_catalogue(document.path), allow_outside=allow_outside)
    path = document.path.parent / spec.catalogue
    if not path.is_file():
        raise document.error(
            f"{echo(spec.catalogue)} is not a file (looked for {path}); give "
            "the catalogue's path relative to this scenario",
            "catalogue",
        )
    return load_catalogue(path, allow_outside=allow_outside)


def _located(doc: YamlDocument, section: str, name: str, spec: BaseModel) -> dict[str, object]:
    return {
        "location": doc.locate(section, name),
        "field_locations": MappingProxyType(
            {f: doc.locate(section, name, f) for f in spec.model_fields_set}
        ),
    }


def _with_library_sources(catalogue: Catalogue, inputs: Mapping[str, Input]) -> Catalogue:
    """The catalogue with the library figures the inputs cite (and the local entries
    that replace one), so output lists them like any other source."""
    cited = {
        c.source.id: c.source
        for spec in inputs.values()
        for c in spec.citations
        if c.source.id.startswith(REF_PREFIX) or c.source.shadows
    }
    return replace(catalogue, sources={**catalogue.sources, **cited}) if cited else catalogue


def _from_reference(name: str, spec: InputSpec, doc: YamlDocument) -> InputSpec:
    """``value: from reference``: the cited library figure's value, and its range as
    the input's uncertainty where the input gives none of its own."""
    if not is_from_reference(spec.value):
        return spec
    if spec.source is None or cited_id(spec.source) is None:
        known = spec.source is not None and spec.source in load_library().figures
        cite = f"'{REF_PREFIX}{spec.source}'" if known else f"one as '{REF_PREFIX}ID'"
        raise doc.error(
            f"has 'value: {FROM_REFERENCE}' but its 'source' {spec.source!r} is not a "
            f"figure of calc's reference library; cite {cite} "
            "(`calc refs WORD` finds them), or give the value",
            "inputs",
            name,
            "value",
        )
    figure = load_library().get(spec.source, doc.locate("inputs", name, "source"))
    update: dict[str, Any] = {"value": figure.value}
    if spec.basis is None:  # what the figure measures travels with it (tags calc knows)
        update["basis"] = list(figure.basis)
    if figure.range and spec.range is None and spec.distribution is None:
        update["range"] = list(figure.range)
    return spec.model_copy(update=update)


def _build_input(
    name: str, given: InputSpec, doc: YamlDocument, catalogue: Catalogue, own: bool
) -> Input:
    spec = _from_reference(name, given, doc)
    quantity = _stated_value(name, spec, doc)
    uncertainty = _uncertainty(name, spec, quantity, doc)
    if quantity is None:
        assert uncertainty is not None
        unit = _unit_of_uncertainty(uncertainty)
        quantity = Q_(float(uncertainty.mean({}, unit)), unit)
    _check_count(name, spec, quantity, doc)
    span = _span(uncertainty) if spec.value is None else None
    citations = _citations(name, spec, doc, catalogue, (quantity, span), own)
    if spec.kind == "assumption" and not spec.note:
        raise doc.error(
            "is an assumption without a rationale; add a 'note' saying why this value was chosen",
            "inputs",
            name,
        )
    return Input(
        name=name,
        quantity=quantity,
        kind=spec.kind,
        citations=citations,
        note=spec.note,
        uncertainty=uncertainty,
        basis=_basis(spec.basis, doc, "inputs", name),
        **_located(doc, "inputs", name, given),
    )


def _stated_value(name: str, spec: InputSpec, doc: YamlDocument) -> pint.Quantity | None:
    if spec.value is None:
        if spec.range is None and spec.distribution is None:
            raise doc.error(
                "has no value; give 'value' (and optionally a 'range' or 'distribution')",
                "inputs",
                name,
            )
        return None
    try:
        return parse_value(spec.value)
    except UnitError as exc:
        raise exc.at(doc.locate("inputs", name, "value")) from None


def _uncertainty(
    name: str, spec: InputSpec, like: pint.Quantity | None, doc: YamlDocument
) -> Distribution | None:
    """The input's range or distribution, with units checked against its value's."""
    if spec.range is not None and spec.distribution is not None:
        raise doc.error("has both 'range' and 'distribution'; keep one", "inputs", name, "range")
    field = "range" if spec.range is not None else "distribution"
    if spec.range is not None:
        _refuse_a_split_pair(doc, spec.range, "inputs", name, "range")
    try:
        if spec.range is not None:
            distribution = from_range(spec.range, like)
        elif spec.distribution is not None:

            def make(raw: Any, what: str, dimensionless: bool = False) -> Parameter:
                return constant_parameter(raw, None if dimensionless else like, what)

            distribution = from_spec(spec.distribution, make, like)
        else:
            return None
        unit = like.units if like is not None else _unit_of_uncertainty(distribution)
        distribution.check({}, unit)  # low <= high, positive bounds, mixture weights...
    except CalcError as exc:
        raise exc.at(doc.locate("inputs", name, field)) from None
    return distribution


def _refuse_a_split_pair(doc: YamlDocument, values: list[Any], *keys: str) -> None:
    """'[10,260 kWh]' is 10 to 260 kWh to YAML, or 10,260 kWh with a thousands comma:
    refused, with both readings (never read one of them silently)."""
    written = doc.comma_splits.get(keys)
    if written is not None and len(values) == 2:
        raise doc.error(split_pair_message(written, values), *keys)


def _unit_of_uncertainty(distribution: Distribution) -> pint.Unit:
    for parameter in distribution.params.values():
        if parameter.constant is not None and distribution.kind != "beta":
            return parameter.constant.units
    for component in distribution.components:
        return _unit_of_uncertainty(component)
    return Q_(1.0).units


def _check_count(name: str, spec: InputSpec, quantity: pint.Quantity, doc: YamlDocument) -> None:
    if (counted := negative_count(quantity)) is not None:
        given = spec.value or format_quantity(quantity)
        raise doc.error(
            f"{given!r} is a negative count of {counted}; a count is zero or more",
            "inputs",
            name,
            "value",
        )


def _span(uncertainty: Distribution | None) -> tuple[pint.Quantity, pint.Quantity] | None:
    """An input given by a range alone: its low and high ends, where it has them."""
    params = uncertainty.params if uncertainty is not None else {}
    low, high = params.get("low"), params.get("high")
    if low is None or high is None or low.constant is None or high.constant is None:
        return None
    return low.constant, high.constant


#: The value a quote must state: the input's value and, for one given by a range
#: alone, the range's ends.
Stated = tuple[pint.Quantity, tuple[pint.Quantity, pint.Quantity] | None]


def _citations(
    name: str,
    spec: InputSpec,
    doc: YamlDocument,
    catalogue: Catalogue,
    stated: Stated,
    own: bool,
) -> tuple[Citation, ...]:
    listed = (
        [(CitationSpec(source=spec.source, quote=spec.quote), ("inputs", name))]
        if spec.source is not None
        else []
    )
    if spec.source is None and spec.quote is not None:
        raise doc.error(
            "has a quote but no 'source'; name the catalogue entry it comes from",
            "inputs",
            name,
            "quote",
        )
    listed += [(c, ("inputs", name, "sources", i)) for i, c in enumerate(spec.sources)]
    if not listed:
        raise doc.error(
            "has no source; every number needs one: add 'source' (a catalogue id) "
            "and, for a figure stated in a seed article, its 'quote'",
            "inputs",
            name,
        )
    return tuple(_citation(spec.kind, c, keys, doc, catalogue, stated, own) for c, keys in listed)


def _citation(
    kind: Kind,
    cited: CitationSpec,
    keys: tuple[str | int, ...],
    doc: YamlDocument,
    catalogue: Catalogue,
    stated: Stated,
    own: bool,
) -> Citation:
    where = doc.locate(*keys, "source")
    source, figure = resolve_source(cited.source, catalogue, where, local=own)
    if figure is not None and kind == "reference":  # an assumption may differ from it
        try:
            figure.check_value(stated[0])
        except CalcError as exc:
            raise exc.at(doc.locate(*keys[:2], "value")) from None
    if kind == "stated":
        if not source.verifiable:
            raise doc.error(
                f"is 'stated' but cites {cited.source!r}, an external reference; "
                "stated figures cite a seed article (or use kind 'reference')",
                *keys,
                "source",
            )
        if not cited.quote:
            raise doc.error(
                f"is 'stated' by {cited.source!r} but has no quote; add the "
                "article's exact words as 'quote'",
                *keys,
            )
    if cited.quote is not None:
        catalogue.verify_quote(source, cited.quote, doc.locate(*keys, "quote"))
        if kind == "stated":  # an assumption's quote is its context, not its value
            try:
                check_quoted_value(cited.quote, *stated)
            except CalcError as exc:
                raise exc.at(doc.locate(*keys, "quote")) from None
    # Without its own quote, an input shows the catalogue's figure (its tabulated
    # value), never the catalogue's quote, which may be about another figure; a figure
    # of the reference library is one figure, so its quote is about this very value.
    from_library = figure is not None
    borrowed = source.quote if from_library or not source.figure else None
    return Citation(source=source, quote=cited.quote or borrowed)


def _build_derived(name: str, spec: DerivedSpec, doc: YamlDocument) -> Derived:
    unit = _unit(spec.unit, doc, "derived", name, "unit")
    if (spec.formula is None) == (spec.distribution is None):
        raise doc.error(
            "needs either a 'formula' or a 'distribution' (and not both)", "derived", name
        )
    formula: Formula | DistributionFormula
    if spec.distribution is not None:
        try:
            distribution = from_spec(
                spec.distribution,
                lambda raw, what, dimensionless=False: formula_parameter(raw, what),
                None,
            )
        except CalcError as exc:
            raise exc.at(doc.locate("derived", name, "distribution")) from None
        formula = DistributionFormula(distribution, unit)
    else:
        assert spec.formula is not None
        formula = _formula(spec.formula, doc, "derived", name, "formula")
    also = tuple(_also(u, unit, doc, name, i) for i, u in enumerate(spec.also))
    return Derived(
        name=name,
        formula=formula,
        unit=unit,
        also=also,
        note=spec.note,
        basis=_basis(spec.basis, doc, "derived", name),
        **_located(doc, "derived", name, spec),
    )


def _also(text: str, unit: pint.Unit, doc: YamlDocument, name: str, index: int) -> pint.Unit:
    """A further display unit: it must measure what ``unit`` measures (a power is not
    shown in TWh, an energy; kWh/yr is a power and may be)."""
    also = _unit(text, doc, "derived", name, "also", index)
    if also.dimensionality != unit.dimensionality:
        raise doc.error(
            f"{text!r} is {describe_dimension(also)}, but {name} is shown in "
            f"{format_unit(unit)}, {describe_dimension(unit)}; give a unit of the "
            "same kind, or remove it",
            "derived",
            name,
            "also",
            index,
        )
    return also


def _build_claim(name: str, spec: ClaimSpec, doc: YamlDocument, catalogue: Catalogue) -> Claim:
    claimed, high, published = _claimed_side(name, spec, doc)
    if spec.source is not None:
        catalogue.get(spec.source, doc.locate("claims", name, "source"))
    tolerance, reason = _claim_tolerance(name, spec, doc)
    return Claim(
        name=name,
        text=spec.text,
        claimed=claimed,
        implied=_formula(spec.implied, doc, "claims", name, "implied"),
        tolerance=tolerance,
        note=spec.note,
        bound=_bound(name, spec, doc),
        claimed_high=high,
        published=published,
        published_text=spec.claimed_as_published,
        source=spec.source,
        kind=spec.kind,
        tolerance_reason=reason,
        alternatives=tuple(
            (basis, _formula(text, doc, "claims", name, "bases", basis))
            for basis, text in spec.bases.items()
        ),
        published_basis=_published_basis(name, spec, doc),
        **_located(doc, "claims", name, spec),
    )


def _published_basis(name: str, spec: ClaimSpec, doc: YamlDocument) -> Mapping[str, frozenset[str]]:
    """What a published figure measures; a formula's side takes its inputs' basis."""
    if spec.basis is not None and spec.claimed_as_published is None:
        raise doc.error(
            "has a 'basis' but no 'claimed_as_published'; a claimed formula measures what "
            "its inputs measure: give the 'basis' on those inputs or derived quantities",
            "claims",
            name,
            "basis",
        )
    return _basis(spec.basis, doc, "claims", name)


def _claimed_side(
    name: str, spec: ClaimSpec, doc: YamlDocument
) -> tuple[Formula, Formula | None, pint.Quantity | None]:
    """The claimed formula, the high end of a claimed range, and a published figure."""
    given = [f for f in ("claimed", "claimed_range", "claimed_as_published") if getattr(spec, f)]
    if len(given) != 1:
        raise doc.error(
            "needs exactly one of 'claimed' (a formula), 'claimed_range' ([low, high]) "
            f"or 'claimed_as_published' (the figure as printed); it has {len(given) or 'none'}"
            + (f" ({', '.join(given)})" if given else ""),
            "claims",
            name,
        )
    if spec.claimed is not None:
        return _formula(spec.claimed, doc, "claims", name, "claimed"), None, None
    if spec.claimed_range is not None:
        _refuse_a_split_pair(doc, spec.claimed_range, "claims", name, "claimed_range")
        if len(spec.claimed_range) != 2:
            raise doc.error(
                range_size_message(spec.claimed_range, "claimed_range"),
                "claims",
                name,
                "claimed_range",
            )
        low, high = (
            _formula(str(text), doc, "claims", name, "claimed_range", i)
            for i, text in enumerate(spec.claimed_range)
        )
        return low, high, None
    assert spec.claimed_as_published is not None
    try:
        published = fold_scale_words(parse_value(spec.claimed_as_published))
    except UnitError as exc:
        raise exc.at(doc.locate("claims", name, "claimed_as_published")) from None
    return parse_formula("1"), None, published  # the published figure stands alone


def _bound(name: str, spec: ClaimSpec, doc: YamlDocument) -> Bound:
    if spec.bound is None:
        return "about"
    bound = bound_of(spec.bound)
    if bound is None:
        raise doc.error(
            f"{spec.bound!r} is not a bound; give about, at_most or at_least, or the "
            "article's words such as 'up to', 'as many as', 'more than', 'nearly'",
            "claims",
            name,
            "bound",
        )
    return bound


def _claim_tolerance(name: str, spec: ClaimSpec, doc: YamlDocument) -> tuple[float, str]:
    """The claim's tolerance and why: given, or its kind's default."""
    kind = spec.kind or "general"
    if kind not in KIND_TOLERANCES:
        raise doc.error(
            f"{kind!r} is not a kind of claim; give one of {', '.join(KIND_TOLERANCES)}",
            "claims",
            name,
            "kind",
        )
    default, reason = KIND_TOLERANCES[kind]
    if spec.tolerance is None:
        return default, reason
    return _tolerance(spec.tolerance, doc, name), "given in the file"


def _basis(raw: Any, doc: YamlDocument, *keys: str) -> Mapping[str, frozenset[str]]:
    try:
        return MappingProxyType(parse_basis(raw))
    except CalcError as exc:
        raise exc.at(doc.locate(*keys, "basis")) from None


def _formula(text: str, doc: YamlDocument, *keys: str) -> Formula:
    try:
        return parse_formula(text)
    except CalcError as exc:
        raise exc.at(doc.locate(*keys)) from None


def _unit(text: str, doc: YamlDocument, *keys: str | int) -> pint.Unit:
    try:
        return parse_unit(text)
    except UnitError as exc:
        raise exc.at(doc.locate(*keys)) from None


def _tolerance(value: float | str, doc: YamlDocument, claim: str) -> float:
    try:
        tolerance = fold_scale_words(parse_value(value)).to("dimensionless").magnitude
    except (UnitError, pint.DimensionalityError):
        tolerance = -1.0
    if not 0 <= tolerance <= 1:
        hint = (
            f"; {value!r} would be {tolerance:.0%}: for {tolerance:g}% write "
            f"'{tolerance:g}%' or {tolerance / 100:g}"
            if tolerance > 1 and not isinstance(value, str)
            else ""
        )
        raise doc.error(
            f"{value!r} is not a tolerance; give a fraction from 0 to 1 such as 0.1, "
            f"or a percentage up to 100% such as '10%'{hint}",
            "claims",
            claim,
            "tolerance",
        )
    return float(tolerance)


def _check_names(
    inputs: Mapping[str, Input],
    derived: Mapping[str, Derived],
    claims: Mapping[str, Claim],
    doc: YamlDocument,
) -> None:
    for section, names in (("inputs", inputs), ("derived", derived), ("claims", claims)):
        for name in names:
            if name_problem(name) or name in FUNCTIONS or name in RESERVED_NAMES:
                raise doc.error(
                    f"{name!r} is not a usable name; names start with a letter and "
                    "hold letters, digits and '_' (100 at most), and are neither "
                    "function names nor 'samples' or 'seed'",
                    section,
                    name,
                )
    for name in derived.keys() & inputs.keys():
        raise doc.error(
            f"{name!r} is both an input and a derived quantity; rename one", "derived", name
        )
