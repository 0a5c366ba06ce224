"""Plain Python values for JSON and spreadsheets: no numpy scalars, no NaN."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """Return ``value`` as a plain Python value: numpy scalars unwrapped, missing as None.

    Examples
    --------
    >>> plain(np.int64(3)), plain(float("nan")), plain(pd.NA), plain("x")
    (3, None, None, 'x')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of ``table`` as plain mappings; a named or non-range index becomes
    the first column(s)."""
    frame = (
        table.reset_index()
        if table.index.name or not isinstance(table.index, pd.RangeIndex)
        else table
    )
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def json_text(data: Any, *, indent: int | None = 1) -> str:
    """Return ``data`` as JSON text, umlauts as they are; NaN is refused, never written."""
    return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
