"""`calc new NAME`: a scenario file that shows every field, and loads as it is."""

from __future__ import annotations

import re
from pathlib import Path

from calc.errors import CalcError

TEMPLATE = """\
# {title}: a calc scenario.
#   calc run {file}            evaluate it (a Monte Carlo run, as it has ranges)
#   calc check {file}          judge its claims
# Editors: point the YAML extension at scenarios/scenario.schema.json (see the README).

title: {title}
description: What this scenario asks, in a sentence or two.

# extends: openai-30gw.yaml          # vary another scenario: entries here replace its own
# catalogue: ../seeds/catalogue.yaml # default: the nearest seeds/catalogue.yaml above

inputs:
  # A figure an article states: cite a seed from the catalogue and quote it verbatim;
  # the quote is checked against the article when the file loads.
  planned_power:
    value: 30 GW
    kind: stated
    source: seed-003
    quote: invest $1.4 trillion to develop 30 gigawatts of computing power
  homes_equivalent:
    value: 25 million homes
    kind: stated
    source: seed-003
    quote: roughly equivalent to the electricity consumption of 25 million U.S. homes

  # A reference figure: `ref:ID` cites calc's reference library (`calc refs rack` lists
  # them; `calc refs ID` shows one), and `value: from reference` takes its value, with
  # its range as the uncertainty. Other ids are external sources in the catalogue.
  rack_power:
    value: from reference
    kind: reference
    source: ref:gb200-nvl72-rack-power
    note: GB200 NVL72-class rack.

  # A value of your own, checked against the library's figure when the file loads.
  # `range` is a 90% interval: lognormal when both ends are positive, normal otherwise.
  household_use:
    value: 10,791 kWh/yr/home
    range: ["10,260 kWh/yr/home", "10,791 kWh/yr/home"]
    kind: reference
    source: ref:eia-household-2022
    note: EIA's 2022 average; the range runs to 10,260 in 2023, as relayed by solarreviews.com.

  # An assumption: your choice, with the rationale in `note` (required).
  # `distribution` takes normal, lognormal, uniform, triangular, pert, beta or mixture.
  pue:
    value: 1.3
    distribution: {{type: pert, low: 1.1, mode: 1.3, high: 1.5}}
    kind: assumption
    source: ref:uptime-new-builds-pue-2024
    note: A new large build.

derived:
  # A formula over other names: + - * / **, parentheses, min max sqrt log exp abs.
  # `unit` is how it is shown, and the dimension the formula must have.
  rack_count:
    formula: planned_power / pue / rack_power
    unit: rack
    note: Racks the IT load fills, reading the 30 GW as facility power.
  it_power:
    formula: planned_power / pue
    unit: GW
    also: [TWh/yr]               # further units to show it in
  homes_powered:
    formula: planned_power / household_use
    unit: million homes

claims:
  # What a source asserts against what another source implies; consistent within
  # tolerance. Compare two different routes to a figure, never a formula with itself.
  homes:
    text: 30 GW is roughly the electricity of 25 million U.S. homes
    claimed: homes_equivalent
    implied: homes_powered
    tolerance: 10%
"""


def new_scenario(name: str, *, folder: str | Path = ".", force: bool = False) -> Path:
    """Write ``NAME.yaml`` in ``folder`` from the template; never overwrite unless forced.
    A file path ('scenarios/mine.yaml') is written where it says: it was written as
    'mine.yaml' in ``folder``, away from where the user asked."""
    given = Path(name)
    if given.name != name and name.endswith((".yaml", ".yml")):
        folder, name = Path(folder) / given.parent, given.name
    stem = Path(name).stem if name.endswith((".yaml", ".yml")) else name
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]{0,99}", stem):
        raise CalcError(
            f"{name!r} is not a usable file name; use letters, digits, '-', '_' "
            "and '.', such as my-scenario"
        )
    path = Path(folder) / f"{stem}.yaml"
    if path.exists() and not force:
        raise CalcError(f"{path} already exists; choose another name or pass --force")
    from calc.io.files import write_text_atomic

    title = stem.replace("-", " ").replace("_", " ").capitalize()
    return write_text_atomic(path, TEMPLATE.format(title=title, file=path))
