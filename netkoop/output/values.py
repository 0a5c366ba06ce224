"""Plain Python values for JSON and spreadsheets: no numpy scalars, no NaN."""

from __future__ import annotations

import json
import math
import re
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


#: What a cell may not start with in a spreadsheet: a spreadsheet program would run it as a
#: formula (the OWASP "CSV injection" rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?")


def is_formula(text: str) -> bool:
    """Tell whether a spreadsheet would read ``text`` as a formula (a number is none).

    Examples
    --------
    >>> is_formula('=HYPERLINK("http://x")'), is_formula("-12,5"), is_formula("Süd")
    (True, False, False)
    """
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with text cells that would start a formula prefixed with ``'``.

    A spreadsheet shows them as the text they are; netkoop reads ``'=...`` in a CSV file back
    as ``=...`` (`unescape_formulas`). Index labels are escaped too.
    """
    changed = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            hit = _formulas(column)
            if hit.any():
                changed[name] = column.mask(hit, "'" + column.astype("str"))
    out = frame.assign(**changed) if changed else frame
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index):
        labels = out.index.map(_escaped)
        if not labels.equals(out.index):
            out = out.set_axis(labels)
    return out


def unescape_formulas(column: pd.Series) -> pd.Series:
    """Undo `escape_formulas` on a column of text read from a CSV file."""
    escaped = column.str.match(r"'[=+\-@\t\r]", na=False)
    if not escaped.any():
        return column
    return column.mask(escaped, column.str[1:])


def _escaped(label: object) -> object:
    """One index label (a tuple for a MultiIndex), escaped as `escape_formulas` escapes."""
    if isinstance(label, tuple):
        return tuple(_escaped(part) for part in label)
    return f"'{label}" if isinstance(label, str) and is_formula(label) else label


def _formulas(column: pd.Series) -> pd.Series:
    """Tell per cell whether it is text that a spreadsheet would run as a formula."""
    text = (
        column.where(column.map(lambda v: isinstance(v, str))) if column.dtype == object else column
    )
    starts = text.str.match(r"[=+\-@\t\r]", na=False)
    if not starts.any():
        return starts
    return starts & ~text.str.fullmatch(_NUMBER.pattern, na=False)


def text_not_formulas(workbook: Any) -> None:
    """Make every cell of an openpyxl workbook that would run as a formula plain text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
