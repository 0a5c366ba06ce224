"""The columns of the units, ties and flows tables, and turning text cells into typed columns."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netkoop._errors import Problem, Severity
from netkoop.model import cells, keys
from netkoop.model.blocks import Block
from netkoop.model.numbers import ENGLISH, GERMAN, Decision, Reading, decide, parse
from netkoop.model.vocabulary import (
    TIE_KINDS,
    TIE_VALUES,
    UNIT_KINDS,
    UNIT_VALUES,
    closest,
    normalize_tie_kind,
    normalize_unit_kind,
    normalize_value,
)

#: At most this many problems of one kind are listed per table and field; the rest are counted.
LIMIT = 20

ColumnType = Literal["text", "unit_kind", "tie_kind", "land", "count", "number", "choice", "date"]


@dataclass(frozen=True)
class Column:
    """A column netkoop knows: its type, whether it is required, and what values it allows."""

    name: str
    type: ColumnType
    required: bool = False
    allowed: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class TableSpec:
    """The known columns of a table; other columns are attributes (or counts, for flows)."""

    name: str
    columns: tuple[Column, ...]
    extras: Literal["attribute", "count"]

    @property
    def required(self) -> list[str]:
        """Names of the columns every table of this kind must have."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column | None:
        """Return the known column called ``name``, if any."""
        return next((c for c in self.columns if c.name == name), None)


UNITS = TableSpec(
    "units",
    (
        Column("id", "text", required=True),
        Column("name", "text", required=True),
        Column("kind", "unit_kind", required=True, allowed=UNIT_KINDS),
        Column("land", "land"),
        Column("parent", "text"),
        Column("population", "count"),
        Column("lat", "number", low=-90, high=90),
        Column("lon", "number", low=-180, high=180),
        *(Column(k, "choice", allowed=v) for k, v in UNIT_VALUES.items()),
        Column("since", "date"),
        Column("until", "date"),
        Column("office_since", "date"),
        Column("office_until", "date"),
    ),
    extras="attribute",
)

TIES = TableSpec(
    "ties",
    (
        Column("from", "text", required=True),
        Column("to", "text", required=True),
        Column("kind", "tie_kind", required=True, allowed=TIE_KINDS),
        Column("intensity", "choice", allowed=TIE_VALUES["intensity"]),
        Column("level", "choice", allowed=TIE_VALUES["level"]),
        Column("funding", "choice", allowed=TIE_VALUES["funding"]),
        Column("since", "date"),
        Column("until", "date"),
        Column("source", "text"),
        Column("confidence", "number", low=0, high=1),
    ),
    extras="attribute",
)

FLOWS = TableSpec(
    "flows",
    (
        Column("from", "text", required=True),
        Column("to", "text", required=True),
        Column("commuters", "count", required=True),
    ),
    extras="count",
)

BORDERS = TableSpec(
    "borders",
    (
        Column("from", "text", required=True),
        Column("to", "text", required=True),
        Column("length_km", "number", low=0),
    ),
    extras="attribute",
)

#: The tables of a network, by name.
SPECS = {spec.name: spec for spec in (UNITS, TIES, FLOWS, BORDERS)}

_INT_TEXT = re.compile(r"[-+]?(?:0|[1-9]\d*)")
#: A cell that starts with a zero and a digit ("01067") is neither `_INT_TEXT` nor `_FLOAT_TEXT`.
_LEADING_ZERO = r"^[-+]?0[0-9]"
#: The dtypes the columns get, as objects: pandas looks a name ("str") up on every call.
_STR = cast(pd.StringDtype, pd.api.types.pandas_dtype("str"))
_INT64 = pd.Int64Dtype()
_BOOLEAN = pd.BooleanDtype()
_FLOAT_TEXT = re.compile(r"[-+]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_DATE_FORMS = (
    (re.compile(r"(\d{4})"), "{0}"),
    (re.compile(r"(\d{4})-(\d{2})"), "{0}-{1}"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?"), "{0}-{1}-{2}"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), "{2}-{1:0>2}-{0:0>2}"),
)


class Reporter:
    """Collects problems, listing at most `LIMIT` rows per table, field and message."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.problems.append(problem)

    def rows(
        self,
        where: Callable[[int], str],
        positions: Sequence[int] | np.ndarray,
        message: str,
        *,
        field: str | None = None,
        values: Sequence[object] | None = None,
        messages: Sequence[str] | None = None,
        severity: Severity = "error",
    ) -> None:
        """Record one problem per row position (0-based), listing at most `LIMIT` of them.

        ``messages`` gives each listed row its own message; ``message`` sums up the rest.
        """
        count = len(positions)
        for i in range(min(count, LIMIT)):
            value = values[i] if values is not None else None
            text = None if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]
            said = messages[i] if messages is not None else message
            self.add(Problem(severity, where(int(positions[i])), said, field=field, value=text))
        if count > LIMIT:
            self.add(
                Problem(
                    severity,
                    f"{where(int(positions[LIMIT]))} and {count - LIMIT - 1:,} more rows",
                    f"the same problem: {message}",
                    field=field,
                )
            )


def to_numbers(text: pd.Series, *, german: bool) -> pd.Series:
    """Parse numbers written as text; NaN where a cell is empty or not a finite number.

    With ``german``, a comma is the decimal mark and dots group thousands ("13.459.370",
    "1.234,5", "48,1377"). Files whose columns may be written either way are read with
    `netkoop.model.numbers.decide` instead.
    """
    return parse(text, GERMAN if german else ENGLISH)


def _map_unique(
    text: pd.Series, normalize: Callable[[str], str | None]
) -> tuple[pd.Series, np.ndarray]:
    """Normalise each distinct value once; return the result and positions that did not map."""
    values = cells.arrow(text)  # mapped in Arrow: each distinct value found once by hashing
    uniques = pc.unique(values).drop_null()
    normal = pa.array([normalize(v) for v in uniques.to_pylist()], type=pa.large_string())
    found = normal.take(pc.index_in(values, value_set=uniques))
    mapped = pd.Series(pd.array(found, dtype=_STR), index=text.index, name=text.name, copy=False)
    bad = np.flatnonzero(text.notna().to_numpy() & mapped.isna().to_numpy())
    return mapped, bad


def _normalize_date(value: str) -> str | None:
    """Return the ISO form of a date written as a year, year-month or date, if it exists.

    >>> _normalize_date("01.05.2019"), _normalize_date("2019-13"), _normalize_date("2019-02-30")
    ('2019-05-01', None, None)
    """
    for pattern, template in _DATE_FORMS:
        match = pattern.fullmatch(value)
        if match:
            text = template.format(*match.groups())
            return text if _exists(text) else None
    return None


def _exists(date: str) -> bool:
    """Tell whether an ISO year, year-month or date names a real day, month or year."""
    parts = [int(p) for p in date.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def coerce_block(spec: TableSpec, block: Block, report: Reporter) -> pd.DataFrame | None:
    """Turn a block of text cells into typed columns, reporting every bad cell.

    Returns None when the block lacks a required column (its rows cannot be used).
    """
    frame, origin = _nfc(spec, block, report), block.origin
    missing = [name for name in spec.required if name not in frame.columns]
    if missing:
        has = ", ".join(map(str, frame.columns)) or "none"
        report.add(
            Problem(
                "error",
                origin.file,
                f"the {spec.name} table needs the column(s) {', '.join(missing)} "
                f"(it has: {has}); map differently named columns with 'columns:'",
            )
        )
        return None
    out: dict[str, pd.Series] = {}
    for name in frame.columns:
        column = spec.column(name)
        text = frame[name]
        if column is not None:
            out[name] = _coerce(column, text, block, report)
        elif spec.extras == "count":
            out[name] = _coerce(Column(name, "count"), text, block, report)
        elif block.german_numbers or block.reading is not None:
            out[name] = _attribute_numbers(name, text, block, report)
        else:
            out[name] = text
    return pd.DataFrame(out, index=frame.index, copy=False)


#: The largest count a table may hold: more than the people on earth, and sums of a million
#: such counts still fit in 64 bits.
MAX_COUNT = 10**12


def _hint(block: Block) -> Reading:
    return GERMAN if block.german_numbers else ENGLISH


def _report_ambiguous(name: str, decision: Decision, block: Block, report: Reporter) -> None:
    if decision.ambiguous is None:
        return
    value = decision.ambiguous
    german, english = parse(pd.Series([value]), GERMAN)[0], parse(pd.Series([value]), ENGLISH)[0]
    report.add(
        Problem(
            "warning",
            block.origin.file,
            f"the numbers of this column read both ways ({value!r} is {english:g} with a "
            f"decimal point, {german:g} with dots between thousands); read with a decimal "
            "point. Add decimal: '.' or decimal: ',' to the table file to decide",
            field=name,
            value=value,
        )
    )


def _attribute_numbers(name: str, text: pd.Series, block: Block, report: Reporter) -> pd.Series:
    """An attribute column of German numbers, as numbers in the form every table uses."""
    filled = text.notna()
    looks = text.str.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", na=False)
    marked = text.str.contains(r"[.,]", na=False)
    if not filled.any() or not (looks | ~filled).all() or not marked.any():
        return text
    decision = decide(text, hint=_hint(block), given=block.reading)
    _report_ambiguous(name, decision, block, report)
    if decision.reading == ENGLISH:
        return text  # read as it is written (infer_attribute)
    numbers = parse(text, decision.reading)
    if numbers[filled].isna().any():
        return text
    return numbers.map(repr).astype(_STR).where(filled)


#: Columns that hold keys: their values must match letter for letter across tables.
KEY_COLUMNS = frozenset({"id", "parent", "from", "to"})


def _nfc(spec: TableSpec, block: Block, report: Reporter) -> pd.DataFrame:
    """Return the block's cells in Unicode NFC, the form keyboards and most files write.

    The same name can be written composed ("ü") or decomposed ("u" and a combining mark, as
    files from macOS often are); both look alike but would be two different ids. A key column
    written decomposed gets a warning, as other programs will not match it either.
    """
    frame = block.frame
    if block.nfc:
        return frame
    changed = {}
    for name in frame.columns:
        column = frame[name]
        other = column.notna() & ~column.str.isascii().fillna(True).astype(bool)
        if not other.any():
            continue
        normal = column.mask(other, column[other].str.normalize("NFC"))
        moved = np.flatnonzero((normal != column).fillna(False).to_numpy())
        if len(moved):
            changed[name] = normal
            if name in KEY_COLUMNS:
                report.rows(
                    block.origin.where,
                    moved,
                    "written in decomposed Unicode (NFD); read as the composed form (NFC) "
                    "that other tables use",
                    field=str(name),
                    values=column.iloc[moved].tolist(),
                    severity="warning",
                )
    return frame.assign(**changed) if changed else frame


def _coerce(column: Column, text: pd.Series, block: Block, report: Reporter) -> pd.Series:
    where = block.origin.where
    name = column.name
    if column.required:
        empty = np.flatnonzero(text.isna().to_numpy())
        if len(empty):
            report.rows(where, empty, f"missing value; every row needs a {name}", field=name)
    if column.type == "text":
        return text
    if column.type in ("count", "number"):
        plain = _plain_counts(text) if column.type == "count" else None
        if plain is not None:
            return plain
        decision = decide(
            text,
            hint=_hint(block),
            given=block.reading,
            whole=column.type == "count",
            low=column.low,
            high=column.high,
        )
        _report_ambiguous(name, decision, block, report)
        numbers = parse(text, decision.reading)
        bad = np.flatnonzero(text.notna().to_numpy() & numbers.isna().to_numpy())
        expected = "a whole number (a count)" if column.type == "count" else "a number"
        if len(bad):
            report.rows(
                where,
                bad,
                f"not a number; expected {expected}",
                field=name,
                values=text.iloc[bad].tolist(),
            )
        if column.type == "number":
            return _check_range(column, numbers, text, where, report)
        return _counts(name, numbers, text, where, report)
    normalize: Callable[[str], str | None]
    words: str | None = None  # the vocabulary a misspelling is looked up in
    if column.type == "unit_kind":
        normalize, allowed, words = normalize_unit_kind, ", ".join(UNIT_KINDS), "kind (units)"
    elif column.type == "tie_kind":
        normalize, allowed, words = normalize_tie_kind, ", ".join(TIE_KINDS), "kind (ties)"
    elif column.type == "land":
        normalize, allowed = (
            keys.land_code,
            "a Land key 01-16, name or abbreviation (e.g. 09, Bayern, BY)",
        )
    elif column.type == "date":
        normalize, allowed = (
            _normalize_date,
            "a year (2019), year-month (2019-05) or a date that exists (2019-05-01 or 01.05.2019)",
        )
    elif column.name in {**TIE_VALUES, **UNIT_VALUES}:
        normalize = functools.partial(normalize_value, column.name)
        allowed, words = ", ".join(column.allowed), column.name
    else:
        choices = column.allowed
        normalize = lambda v: v.lower() if v.lower() in choices else None  # noqa: E731
        allowed = ", ".join(choices)
    mapped, bad = _map_unique(text, normalize)
    if len(bad):
        written = text.iloc[bad].tolist()
        report.rows(
            where,
            bad,
            f"not allowed; allowed: {allowed}",
            field=name,
            values=written,
            messages=[_not_allowed(str(value), words, allowed) for value in written[:LIMIT]],
        )
    return mapped


def _counts(
    name: str,
    numbers: pd.Series,
    text: pd.Series,
    where: Callable[[int], str],
    report: Reporter,
) -> pd.Series:
    """Report counts below 0, with a fraction or too large; return the others as Int64."""
    values = numbers.to_numpy(dtype="float64")  # NaN where missing or no number
    whole = np.trunc(values) == values  # False for NaN
    for wrong, message in (
        (values < 0, "negative; a count is 0 or more"),
        (~whole & ~np.isnan(values), "fractional; a count is a whole number"),
        (values > MAX_COUNT, f"too large for a count of people (at most {MAX_COUNT:,})"),
    ):
        if wrong.any():
            rows = np.flatnonzero(wrong)
            report.rows(where, rows, message, field=name, values=text.iloc[rows].tolist())
    fine = whole & (values >= 0) & (values <= MAX_COUNT)
    counts = pd.arrays.IntegerArray(np.where(fine, values, 0).astype("int64"), ~fine)
    return pd.Series(counts, index=numbers.index, name=numbers.name)


def _plain_counts(text: pd.Series) -> pd.Series | None:
    """Read a column of plain counts in one Arrow cast; None unless every cell is one.

    A plain count is ASCII digits only, at most `MAX_COUNT`: every reading of numbers reads it
    the same, and `_counts` finds nothing wrong with it, so the common clean column skips
    deciding and checking. Any other cell (a sign, a mark, "0x10", which Arrow would read as
    hex) leaves the column to the general path and its messages.
    """
    if not cells.all_ascii_digits(text):  # False when every cell is empty
        return None
    try:
        numbers = [pc.cast(values, pa.int64()) for values in cells.chunks(text)]
    except pa.ArrowInvalid:  # beyond 64 bits
        return None
    if max(pc.max(part).as_py() or 0 for part in numbers) > MAX_COUNT:
        return None
    missing = np.zeros(len(text), dtype=bool)
    if any(part.null_count for part in numbers):
        missing = np.concatenate([cells.flags(pc.is_null(part)) for part in numbers])
    counts = pd.arrays.IntegerArray(cells.to_numpy(numbers, np.int64, missing=0), missing)
    return pd.Series(counts, index=text.index, name=text.name, copy=False)


def _not_allowed(value: str, words: str | None, allowed: str) -> str:
    """The message for a value no spelling matches, with the word it most likely means."""
    close = closest(words, value) if words else None
    hint = f"did you mean '{close}'? " if close else ""
    german = " (or their German words, see README)" if words else ""
    return f"not allowed; {hint}allowed: {allowed}{german}"


def _check_range(
    column: Column,
    numbers: pd.Series,
    text: pd.Series,
    where: Callable[[int], str],
    report: Reporter,
) -> pd.Series:
    low = column.low if column.low is not None else -np.inf
    high = column.high if column.high is not None else np.inf
    outside = np.flatnonzero(((numbers < low) | (numbers > high)).to_numpy())
    if len(outside):
        report.rows(
            where,
            outside,
            f"out of range; allowed: {_range_text(column)}",
            field=column.name,
            values=text.iloc[outside].tolist(),
        )
    return numbers.where((numbers >= low) & (numbers <= high))


def _range_text(column: Column) -> str:
    if column.high is None:
        return f"{column.low:g} or more"
    if column.low is None:
        return f"{column.high:g} or less"
    return f"{column.low:g} to {column.high:g}"


_BOOLEAN_WORDS = pa.array(["true", "false"])


def infer_attribute(text: pd.Series) -> pd.Series:
    """Give an attribute column its natural type: boolean, integer, float, else text.

    Keys with leading zeros ("01001") stay text. The same rule applies to inline YAML, CSV and
    Excel, so a scenario reads the same whichever way it is written.
    """
    values = cells.arrow(text).drop_null()  # Arrow throughout: a few calls per column
    if not len(values):
        return text.astype(_STR)
    first = values[0].as_py()
    # Every value must pass a test for the column to pass it: a column of names fails on its
    # first value, without a pass over the others.
    if first.lower() in ("true", "false") and _all_booleans(values):
        return text.str.lower().map({"true": True, "false": False}).astype(_BOOLEAN)
    if _INT_TEXT.fullmatch(first) and _leading_zero(values):
        return text.astype(_STR)  # keys such as "01067" fail both tests below, late
    if _INT_TEXT.fullmatch(first) and cells.all_fullmatch(values, _INT_TEXT.pattern):
        long = values.filter(pc.greater_equal(pc.utf8_length(values), 16)).to_pylist()
        if not long:  # below 2**53 (as pandas reads them, through floats), read by Arrow
            exact = _exact_integers(text)
            if exact is not None:
                return exact
        if any(not -(2**63) <= int(v) < 2**63 for v in long):
            return text.astype(_STR)  # beyond 64-bit integers: kept as written
        return pd.to_numeric(text).astype(_INT64)
    if _FLOAT_TEXT.fullmatch(first) and cells.all_fullmatch(values, _FLOAT_TEXT.pattern):
        short = _short_decimals(text, values)
        return short if short is not None else pd.to_numeric(text).astype("float64")
    return text.astype(_STR)


def _leading_zero(values: pa.Array) -> bool:
    """Whether a cell starts with a zero and a digit: one cheap Arrow pass, no full match."""
    return bool(pc.any(pc.match_substring_regex(values, _LEADING_ZERO)).as_py())


def _all_booleans(values: pa.Array) -> bool:
    return bool(cells.flags(pc.is_in(pc.utf8_lower(values), value_set=_BOOLEAN_WORDS)).all())


def _exact_integers(text: pd.Series) -> pd.Series | None:
    """``pd.to_numeric(text).astype("Int64")`` for integers of at most 15 digits, by Arrow.

    None when Arrow does not read one of them ("+5").
    """
    try:
        numbers = pc.cast(cells.arrow(text), pa.int64())
    except pa.ArrowInvalid:
        return None
    missing = cells.flags(pc.is_null(numbers))
    integers = pd.arrays.IntegerArray(numbers.fill_null(0).to_numpy(), missing)
    return pd.Series(integers, index=text.index, name=text.name, copy=False)


#: The longest decimal text that `_short_decimals` reads by Arrow: at most 15 digits, whose
#: integer is exact in a double, and so one correctly rounded division for both readers.
_SHORT_DECIMAL = 15


def _short_decimals(text: pd.Series, values: pa.Array) -> pd.Series | None:
    """``pd.to_numeric(text).astype("float64")`` for short decimals ("54.78252"), by Arrow.

    Only for cells of `_FLOAT_TEXT` of at most `_SHORT_DECIMAL` characters without an
    exponent; tests/test_load_speed_paths.py compares both readers on millions of such texts
    and on every such cell of the shared data, bit for bit. None for other columns.
    """
    if cells.holds(values, "e") or cells.holds(values, "E"):
        return None
    if pc.max(pc.binary_length(values)).as_py() > _SHORT_DECIMAL:
        return None
    numbers = pc.cast(cells.arrow(text), pa.float64()).to_numpy(zero_copy_only=False)
    return pd.Series(numbers, index=text.index, name=text.name, dtype="float64", copy=False)
