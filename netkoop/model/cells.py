"""Fast and exact tests on columns of text cells, done by Arrow where pandas would loop.

pandas keeps text columns in Arrow but falls back to a Python loop for some calls: ``isin``
turns every wanted value into a scalar one by one, and a regular expression with ``\\d`` runs
per cell in Python once a column holds one non-ASCII value (Python's ``\\d`` also matches
other scripts' digits, Arrow's does not). These helpers give the same answers with Arrow's
kernels, and use Python's ``re`` only for the cells where the two could differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

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


def values_at(text: pd.Series, rows: np.ndarray) -> list[Any]:
    """``text.iloc[rows].tolist()``, without pandas' take when there are no rows.

    Taking from a long Arrow column joins its chunks first, even for no rows: most checks
    find nothing, so the common case skips it.
    """
    return text.iloc[rows].tolist() if len(rows) else []


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
    # chunk by chunk, as read: a million cells are neither joined into one array first nor
    # copied more than once on the way to numpy
    parts = chunks(text)
    kind = parts[0].type if parts else pa.large_string()
    found = pc.index_in(pa.chunked_array(parts, type=kind), value_set=value_set)
    return to_numpy(found.chunks, np.int64, missing=-1)


def to_numpy(arrays: Sequence[pa.Array], dtype: type[np.generic], *, missing: int) -> np.ndarray:
    """Join Arrow arrays of integers into one numpy array of ``dtype``, ``missing`` for null."""
    if not arrays:
        return np.zeros(0, dtype=dtype)
    parts = [
        values.to_numpy() if not values.null_count else values.fill_null(missing).to_numpy()
        for values in arrays
    ]
    return np.concatenate(parts, dtype=dtype, casting="safe")


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


def chunks(text: pd.Series | pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The Arrow arrays of a text column as they are stored (no copy for Arrow-backed text)."""
    values = (
        text if isinstance(text, pa.Array | pa.ChunkedArray) else pa.array(text, from_pandas=True)
    )
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = arrow(text)
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def _layout(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The start and end of each cell in the byte buffer, the buffer, and which cells are set."""
    _, offsets_buffer, data_buffer = values.buffers()
    kind = np.int64 if pa.types.is_large_string(values.type) else np.int32
    offsets = np.frombuffer(
        offsets_buffer, dtype=kind, count=len(values) + 1, offset=values.offset * kind(0).itemsize
    )
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, dtype=np.uint8)
    )
    valid = np.ones(len(values), dtype=bool) if not values.null_count else flags(values.is_valid())
    return offsets, data, valid


def needs_trim(text: pd.Series | pa.Array | pa.ChunkedArray) -> bool:
    """Whether Arrow's ``utf8_trim_whitespace`` (``str.strip``) changes some cell.

    Only a cell that starts or ends with a byte other than printable ASCII can change; Arrow
    trims just those, instead of copying the whole column.

    Examples
    --------
    >>> needs_trim(pd.Series(["a b", None])), needs_trim(pd.Series(["a", "b\\u00a0"]))
    (False, True)
    """
    for values in chunks(text):
        if not len(values):
            continue
        offsets, data, valid = _layout(values)
        start, stop = offsets[:-1], offsets[1:]
        filled = np.flatnonzero(valid & (stop > start))
        # (byte - 0x21) wraps below 0x21: at least 0x5e for a space, control or non-ASCII byte
        first = data[start[filled]] - np.uint8(0x21)
        last = data[stop[filled] - 1] - np.uint8(0x21)
        odd = filled[(first >= 0x5E) | (last >= 0x5E)]
        if len(odd):
            some = values.take(pa.array(odd))
            if pc.any(pc.not_equal(pc.utf8_trim_whitespace(some), some)).as_py():
                return True
    return False


def all_ascii_digits(text: pd.Series | pa.Array | pa.ChunkedArray) -> bool:
    """Whether every cell is empty (missing) or ASCII digits, and one at least is not missing.

    The same as ``pc.all(pc.ascii_is_decimal(values))`` being true, told from the bytes of all
    the cells at once.

    Examples
    --------
    >>> all_ascii_digits(pd.Series(["12", None])), all_ascii_digits(pd.Series(["1", "+2"]))
    (True, False)
    """
    filled = 0
    for values in chunks(text):
        if not len(values):
            continue
        offsets, data, valid = _layout(values)
        lengths = np.diff(offsets)
        if (valid & (lengths == 0)).any():  # an empty text is no number
            return False
        filled += int(valid.sum())
        used = data[offsets[0] : offsets[-1]]
        if ((used - np.uint8(ord("0"))) > 9).any():
            return False
    return filled > 0


def lengths(text: pd.Series | pa.Array) -> np.ndarray:
    """The number of characters of each cell (as ``str.len``), 0 for a missing one."""
    return np.asarray(pc.fill_null(pc.utf8_length(arrow(text)), 0), dtype=np.int64)


def _bytes_of(values: pa.Array) -> np.ndarray:
    """The bytes of all the cells of one array, one after the other."""
    offsets, data, _ = _layout(values)
    return data[offsets[0] : offsets[-1]]


def printable_ascii(text: pd.Series | pa.Array | pa.ChunkedArray) -> bool:
    """Whether every cell holds printable ASCII only (space to tilde): no control character.

    Examples
    --------
    >>> printable_ascii(pd.Series(["a b", None])), printable_ascii(pd.Series(["a\\tb"]))
    (True, False)
    """
    return all(
        not ((_bytes_of(values) - np.uint8(0x20)) >= 0x5F).any()
        for values in chunks(text)
        if len(values)
    )


def holds(text: pd.Series | pa.Array | pa.ChunkedArray, char: str) -> bool:
    """Whether some cell holds the ASCII character ``char``.

    Examples
    --------
    >>> holds(pd.Series(["1001.0", None]), "."), holds(pd.Series(["1001"]), ".")
    (True, False)
    """
    code = np.uint8(ord(char))
    return any((_bytes_of(values) == code).any() for values in chunks(text) if len(values))
