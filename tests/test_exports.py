"""The public API: ``calc.__all__`` and the lazy exports agree, as pydantic's
test_exports.py checks its own; and ``import calc`` loads nothing but calc."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import calc


def test_all_and_the_lazy_exports_name_the_same_things():
    assert set(calc.__all__) == set(calc._EXPORTS) | {"__version__"}
    assert dir(calc) == sorted(calc.__all__)  # dir() sorts what __dir__ gives


@pytest.mark.parametrize("name", sorted(calc._EXPORTS))
def test_every_export_is_defined_where_the_table_says(name):
    module = importlib.import_module(f"calc.{calc._EXPORTS[name]}")
    assert getattr(calc, name) is getattr(module, name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'calc' has no attribute 'nope'"):
        _ = calc.nope


def test_import_calc_loads_only_calc():
    code = (
        "import sys, calc; print(' '.join(sorted(m for m in sys.modules "
        "if m == 'calc' or m.startswith('calc.') or m.split('.')[0] in "
        "('pint', 'numpy', 'pydantic', 'typer', 'yaml', 'matplotlib', 'pandas'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == ["calc"]
