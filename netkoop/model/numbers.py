"""Numbers written as text, German or English, decided per column from all of its values.

German Excel writes "1.234,5" (a decimal comma, dots between thousands), English programs
"1,234.5". A value such as "12.345" reads either way (twelve thousand or twelve point three),
so the reading is decided per column: from the values that only one reading accepts
("12,5", "1.234.567" German; "52.27" English), then from what the column holds (a count is a
whole number, a latitude lies within ±90), and only then from the file's separator, with a
warning naming the column. A table file's ``decimal:`` and ``thousands:`` options decide
outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netkoop.model import cells


@dataclass(frozen=True)
class Reading:
    """How numbers are written: the decimal mark and the thousands separator (or none)."""

    decimal: str
    thousands: str | None

    @property
    def name(self) -> str:
        """A short description for messages."""
        return f"decimal {self.decimal!r}" + (
            f", thousands {self.thousands!r}" if self.thousands else ""
        )


GERMAN = Reading(",", ".")
ENGLISH = Reading(".", ",")


@dataclass(frozen=True)
class Decision:
    """The reading chosen for a column, and an example value when both readings fit it."""

    reading: Reading
    ambiguous: str | None = None


def parse(text: pd.Series, reading: Reading) -> pd.Series:
    """Parse numbers written with ``reading``; NaN where a cell is empty or no number of it.

    Examples
    --------
    >>> parse(pd.Series(["1.234,5", "12", "1.5"]), GERMAN).tolist()
    [1234.5, 12.0, nan]
    >>> parse(pd.Series(["1,234.5", "52.27"]), ENGLISH).tolist()
    [1234.5, 52.27]
    """
    fast = _arrow(text) if reading.decimal == "." else None
    if fast is not None:
        return fast
    text = text.astype("str").str.strip()
    if reading.thousands:
        grouped = _grouped(reading)
        found = text.str.fullmatch(grouped, na=False)
        if found.any():
            text = text.mask(found, text.str.replace(reading.thousands, "", regex=False))
    other = "." if reading.decimal == "," else ","
    if reading.decimal == "," and text.str.contains(",", regex=False, na=False).any():
        # A dot left over after the thousands were taken out is no German number.
        text = text.mask(text.str.contains(".", regex=False, na=False))
        text = text.str.replace(",", ".", regex=False)
    elif text.str.contains(other, regex=False, na=False).any():
        text = text.mask(text.str.contains(other, regex=False, na=False))
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers))


def decide(
    text: pd.Series,
    *,
    hint: Reading,
    given: Reading | None = None,
    whole: bool = False,
    low: float | None = None,
    high: float | None = None,
) -> Decision:
    """Choose how a column's numbers are written, from all its values.

    Parameters
    ----------
    text
        The column's cells as text (missing where empty).
    hint
        The reading the file suggests (German for ";" or tab separated files), for columns
        whose values fit both readings alike.
    given
        The reading the table file names (``decimal:``, ``thousands:``); it decides outright.
    whole, low, high
        What the column holds: whole numbers (counts), and the range of its values.

    Examples
    --------
    >>> decide(pd.Series(["52.271", "9.9"]), hint=GERMAN, low=-90, high=90).reading.decimal
    '.'
    >>> decide(pd.Series(["1.234", "12"]), hint=ENGLISH, whole=True).reading.decimal
    ','
    >>> decide(pd.Series(["12.345"]), hint=GERMAN).ambiguous
    '12.345'
    """
    if given is not None:
        return Decision(given)
    marked = _marked(text)
    if marked.empty:
        return Decision(hint)

    def fitting(reading: Reading) -> tuple[np.ndarray, np.ndarray]:
        # numpy, not pandas: the tests of a column of coordinates take microseconds
        numbers = parse(marked, reading).to_numpy(dtype="float64")
        ok = ~np.isnan(numbers)
        if whole:
            ok &= numbers % 1 == 0
        if low is not None:
            ok &= numbers >= low
        if high is not None:
            ok &= numbers <= high
        return numbers, ok

    parsed, fits = {}, {}
    parsed[ENGLISH], fits[ENGLISH] = fitting(ENGLISH)
    if fits[ENGLISH].all() and not _either_way(marked):
        # Every value is an English number and none could be a German one: the common case
        # of coordinates and shares, decided without a second pass.
        return Decision(ENGLISH)
    if fits[ENGLISH].all() and _some_not_german(marked):
        # German fits fewer values than English (which fits all), without parsing them.
        return Decision(ENGLISH)
    parsed[GERMAN], fits[GERMAN] = fitting(GERMAN)
    german, english = int(fits[GERMAN].sum()), int(fits[ENGLISH].sum())
    if german != english:
        return Decision(GERMAN if german > english else ENGLISH)
    both = fits[GERMAN] & fits[ENGLISH] & (parsed[GERMAN] != parsed[ENGLISH])
    if not both.any():
        return Decision(hint)
    # Both readings fit every value and give other numbers: a decimal point is more common
    # than a thousands separator in values that are not counts.
    return Decision(ENGLISH, ambiguous=str(marked[both].iloc[0]))


def _marked(text: pd.Series) -> pd.Series:
    """The cells holding a dot or a comma (found by Arrow: a column of a million counts has
    none, and must not cost a regular expression per cell)."""
    values = cells.arrow(text)
    found = pc.or_kleene(pc.match_substring(values, "."), pc.match_substring(values, ","))
    if not pc.any(found).as_py():
        return text.iloc[:0]
    return text[np.asarray(found.fill_null(False))]


def _either_way(marked: pd.Series) -> bool:
    """Whether a value reads as a number both ways: one separator before three digits."""
    values = cells.arrow(marked)
    return bool(pc.any(pc.match_substring_regex(values, r"^[-+]?\d{1,3}[.,]\d{3}$")).as_py())


def _some_not_german(marked: pd.Series) -> bool:
    """Whether a value has a dot that is no German thousands separator ("52.271", "9.9").

    `parse` reads such a value as no number with `GERMAN`, so German fits fewer values.
    """
    values = pc.utf8_trim_whitespace(cells.arrow(marked))  # as parse strips them
    dotted = values.filter(pc.match_substring(values, "."))
    return len(dotted) > 0 and not cells.all_fullmatch(dotted, _grouped(GERMAN))


def _grouped(reading: Reading) -> str:
    t, d = re.escape(reading.thousands or ""), re.escape(reading.decimal)
    return rf"[-+]?\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d*)?"


def _arrow(text: pd.Series) -> pd.Series | None:
    """Parse a column of plain numbers in one Arrow cast; None if any cell is not one."""
    try:
        parsed = pc.cast(pa.array(text, from_pandas=True), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    numbers = pd.Series(
        parsed.to_numpy(zero_copy_only=False), index=text.index, dtype="float64", copy=False
    )
    return numbers.where(np.isfinite(numbers))
