"""Tidy tables: a pandas DataFrame where pandas is installed, else a list of records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def tidy(records: Sequence[dict[str, Any]]) -> Any:
    """``records`` as a DataFrame (pandas is an optional extra), else as the list itself."""
    try:
        import pandas as pd
    except ImportError:
        return list(records)
    return pd.DataFrame.from_records(list(records))
