"""Units: the one registry, the reader of article notation, and readable display.

``registry`` holds ``ureg`` and the count units; ``notation`` reads values as articles
write them (or refuses them); ``display`` and ``readable`` show quantities as a person
would write them. The public names of all four are re-exported here.
"""

from calc.units.counts import define_count_unit, negative_count
from calc.units.display import (
    describe_dimension,
    format_number,
    format_quantity,
    format_together,
    format_unit,
    scale_word,
    to_plain,
)
from calc.units.notation import (
    QuantityRange,
    parse_quantity,
    parse_unit,
    parse_value,
    require_readable,
)
from calc.units.readable import readable
from calc.units.registry import (
    BUILT_IN_COUNT_UNITS,
    COUNT_UNITS,
    Q_,
    SCALE_WORDS,
    fold_scale_words,
    ureg,
)

__all__ = [
    "BUILT_IN_COUNT_UNITS",
    "COUNT_UNITS",
    "Q_",
    "SCALE_WORDS",
    "QuantityRange",
    "define_count_unit",
    "describe_dimension",
    "fold_scale_words",
    "format_number",
    "format_quantity",
    "format_together",
    "format_unit",
    "negative_count",
    "parse_quantity",
    "parse_unit",
    "parse_value",
    "readable",
    "require_readable",
    "scale_word",
    "to_plain",
    "ureg",
]
