"""Fast and exact tests on columns of text cells, done by Arrow where pandas would loop.

pandas keeps text columns in Arrow but falls back to a Python loop for some calls: ``isin``
turns every wanted value into a scalar one by one, and a regular expression with ``\\d`` runs
per cell in Python once a column holds one non-ASCII value (Python's ``\\d`` also matches
other scripts' digits, Arrow's does not). These helpers give the same answers with Arrow's
kernels, and use Python's ``re`` only for the cells where the two could differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow(text: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array:
    """Return a text column as one Arrow string array (no copy for Arrow-backed columns).

    A column joined from several tables comes in chunks; they are put together.
    """
    values = (
        text if isinstance(text, pa.Array | pa.ChunkedArray) else pa.array(text, from_pandas=True)
    )
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pa.array(pd.Series(text).astype("str"), from_pandas=True)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def flags(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Turn an Arrow boolean array into a numpy one, missing as False."""
    return np.asarray(pc.fill_null(values, False), dtype=bool)


def is_in(text: pd.Series, wanted: Iterable[str | None] | pd.Index | pd.Series) -> np.ndarray:
    """``text.isin(wanted)`` for text ``wanted``, as a numpy array, in one Arrow pass.

    Missing cells count as in ``wanted`` when ``wanted`` holds a missing value, as in pandas.

    Examples
    --------
    >>> is_in(pd.Series(["a", None, "c"], dtype="str"), ["a", "b"]).tolist()
    [True, False, False]
    """
    options = list(wanted) if not isinstance(wanted, pd.Index | pd.Series) else wanted
    value_set = pa.array(options, type=pa.large_string(), from_pandas=True)
    return flags(pc.is_in(arrow(text), value_set=value_set))


def positions_in(text: pd.Series, index: pd.Series | pd.Index) -> np.ndarray:
    """The position of each cell's value in ``index`` (its first), -1 where it is absent.

    The same as ``pd.Index(index).get_indexer(text)`` for an ``index`` without repeats:
    a missing cell finds a missing value of ``index``.
    """
    value_set = pa.array(index, type=pa.large_string(), from_pandas=True)
    found = pc.index_in(arrow(text), value_set=value_set)
    return np.asarray(pc.fill_null(found, -1), dtype=np.int64)


def fullmatch(text: pd.Series | pa.Array, pattern: str) -> np.ndarray:
    r"""``text.str.fullmatch(pattern, na=False)`` as a numpy array, with Python's ``re`` rules.

    Arrow matches the ASCII cells, where its rules and Python's agree (``pattern`` must not
    use ``\s``, which Arrow reads otherwise even there); only the other cells are matched
    in Python.

    Examples
    --------
    >>> fullmatch(pd.Series(["12", "1a", None, "\u0661\u0662"], dtype="str"), r"\d+").tolist()
    [True, False, False, True]
    """
    return _match(arrow(text), pattern, stop_early=False)[0]


def all_fullmatch(text: pd.Series | pa.Array, pattern: str) -> bool:
    """Whether every cell matches ``pattern`` (see `fullmatch`); a missing cell matches not.

    A column of names fails on its ASCII cells, without running Python's ``re`` over the
    names that hold an umlaut.
    """
    result, decided = _match(arrow(text), pattern, stop_early=True)
    return decided and bool(result.all())


def _match(values: pa.Array, pattern: str, *, stop_early: bool) -> tuple[np.ndarray, bool]:
    """Match every cell; with ``stop_early``, stop (returning False) once an ASCII cell fails."""
    ascii_cells = flags(pc.string_is_ascii(values))
    result = flags(pc.match_substring_regex(values, f"^(?:{pattern})$")) & ascii_cells
    if stop_early and not result[ascii_cells].all():
        return result, False
    others = np.flatnonzero(~ascii_cells & ~flags(pc.is_null(values)))
    if len(others):
        compiled = re.compile(pattern)
        cells = values.take(pa.array(others)).to_pylist()
        result[others] = [compiled.fullmatch(cell) is not None for cell in cells]
    return result, True
