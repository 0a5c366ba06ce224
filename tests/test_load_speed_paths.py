"""The fast paths of loading give the answers of the slow ones they skip."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from netkoop.model import cells, schema
from netkoop.model.blocks import Block, Origin
from netkoop.model.checks import assemble, check_flows
from netkoop.model.keys import KEY_LENGTHS, KEY_PATTERN
from netkoop.model.linkchecks import _pairs_repeat, _same_ends
from netkoop.model.schema import FLOWS, UNITS, Reporter, coerce_block
from netkoop.model.unitchecks import check_units
from netkoop.model.vocabulary import normalize_unit_kind
from netkoop.scenario.sources import (
    _header,
    _may_have_blank_line,
    _nothing_to_strip,
    _strip,
    read_table_file,
)

TEXT = pd.Series(
    ["09162", " 1", "M\u00fcller", None, "\u0661\u0662", "1.0", "", "12345"], dtype="str"
)


@pytest.mark.parametrize("pattern", [KEY_PATTERN, r"\d+", r"(\d+)\.0+", r"[-+]?(?:0|[1-9]\d*)"])
def test_fullmatch_agrees_with_pandas(pattern: str) -> None:
    expected = TEXT.astype(object).map(
        lambda v: isinstance(v, str) and re.fullmatch(pattern, v) is not None
    )
    assert cells.fullmatch(TEXT, pattern).tolist() == expected.tolist()
    assert cells.all_fullmatch(TEXT.dropna(), pattern) == bool(expected[TEXT.notna()].all())


def test_is_in_and_positions_agree_with_pandas() -> None:
    wanted = pd.Series(["09162", "12345", "x"], dtype="str")
    assert cells.is_in(TEXT, wanted).tolist() == TEXT.isin(wanted).tolist()
    assert cells.positions_in(TEXT, wanted).tolist() == pd.Index(wanted).get_indexer(TEXT).tolist()


@pytest.mark.parametrize(
    ("data", "blank"),
    [(b"a\n1\n2\n", False), (b"a\n1\n\n2\n", True), (b"a\r\n1\r\n\r\n", True), (b"a\n \n", True)],
)
def test_blank_line_look(data: bytes, blank: bool) -> None:
    assert _may_have_blank_line(data) is blank


@pytest.mark.parametrize(
    ("data", "nothing"),
    [
        (b"a,b\n1,2\n", True),
        (b"a,b\n1, 2\n", False),
        (b'a\n"x\n"\n', False),
        ("\u00e4".encode(), False),
    ],
)
def test_strip_look(data: bytes, nothing: bool) -> None:
    assert _nothing_to_strip(data) is nothing


def test_duplicate_flows_with_unknown_ends_are_still_found() -> None:
    units = pd.DataFrame({"id": ["a", "b"], "kind": ["landkreis", "landkreis"]}, dtype="str")
    frame = pd.DataFrame(
        {"from": ["a", "x", "x", "y", "a"], "to": ["b", "b", "b", "b", "b"], "commuters": "1"},
        dtype="str",
    )
    report = Reporter()
    flows = assemble(FLOWS, [Block(frame, Origin("flows.csv"))], report)
    check_flows(flows, units, report)
    second = [p for p in report.problems if "second flow" in p.message]
    assert [p.where for p in second] == ["flows.csv, row 4", "flows.csv, row 6"]
    assert [p.value for p in second] == ["x -> b", "a -> b"]


# --- counts read in one Arrow cast ------------------------------------------------------------


def _coerced(frame: pd.DataFrame) -> tuple[pd.DataFrame | None, list[object]]:
    report = Reporter()
    typed = coerce_block(FLOWS, Block(frame, Origin("flows.csv")), report)
    return typed, [(p.where, p.field, p.value, p.message, p.severity) for p in report.problems]


@pytest.mark.parametrize(
    "counts",
    [
        ["8", "0", "0815", None, "1000000000000"],  # plain: the fast path
        ["8", "-3", "2"],
        ["+5", "2"],
        ["0x10", "2"],
        ["1.5", "2"],
        ["1e3", "2"],
        ["", "2"],
        ["1000000000001", "2"],
        ["99999999999999999999", "1"],
        ["\u0661\u0662", "1"],
        [None, None],
    ],
)
def test_counts_fast_path_agrees_with_the_general_one(
    counts: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = pd.DataFrame(
        {"from": "a", "to": "b", "commuters": counts, "frauen": counts}, dtype="str"
    )
    fast, fast_problems = _coerced(frame)
    monkeypatch.setattr(schema, "_plain_counts", lambda text: None)
    slow, slow_problems = _coerced(frame)
    assert fast is not None
    assert slow is not None
    pd.testing.assert_frame_equal(fast, slow)
    assert fast_problems == slow_problems


def test_plain_counts_only_takes_clean_columns() -> None:
    assert schema._plain_counts(pd.Series(["1", None, "007"], dtype="str")) is not None
    for bad in (["0x10"], ["-1"], ["1,5"], [""], ["1000000000001"], [None]):
        assert schema._plain_counts(pd.Series(bad, dtype="str")) is None


# --- attribute columns: the first value decides early -------------------------------------------


def _infer_as_before(text: pd.Series) -> pd.Series:
    """`schema.infer_attribute` as it was written with pandas string methods."""
    values = text.dropna()
    if values.empty:
        return text.astype("str")
    if values.str.lower().isin(["true", "false"]).all():
        return text.str.lower().map({"true": True, "false": False}).astype("boolean")
    if values.astype(object).map(lambda v: schema._INT_TEXT.fullmatch(v) is not None).all():
        if any(not -(2**63) <= int(v) < 2**63 for v in values[values.str.len() >= 19]):
            return text.astype("str")
        return pd.to_numeric(text).astype("Int64")
    if values.astype(object).map(lambda v: schema._FLOAT_TEXT.fullmatch(v) is not None).all():
        return pd.to_numeric(text).astype("float64")
    return text.astype("str")


@pytest.mark.parametrize(
    "cells_",
    [
        ["1", "22", None, "-3"],
        ["+5", "3"],
        ["01", "2"],
        ["123456789012345", None, "7"],
        ["1234567890123456", None],
        ["9007199254740993", None],
        ["99999999999999999999", "1"],
        ["1.5", "2", None],
        ["2", "1.5"],
        ["54.78252", None, "-0.0", "0"],
        ["1.", ".5", "+1.5", "-.25"],
        ["2.5", "1e5"],
        ["2.5", "7E-3"],
        ["123456789.12345", "0.1"],
        ["1234567890.12345", "0.1"],
        ["0.1234567890123456789", "3"],
        ["True", "false", None],
        ["true", "x"],
        ["x", "1"],
        ["1", "x"],
        ["\u0661\u0662", "3"],
        ["M\u00fcller", "1"],
        [None, None],
        ["10115", "01067", None],
        ["0", "00"],
        ["5", "-01"],
        ["5", "+09.5"],
        ["0", "0.5", "-0"],
        ["7", "0\u0661"],
        ["01067", "10115"],
    ],
)
def test_infer_attribute_agrees_with_pandas(cells_: list[str | None]) -> None:
    text = pd.Series(cells_, dtype="str", name="a")
    pd.testing.assert_series_equal(schema.infer_attribute(text), _infer_as_before(text))


def _decimal_texts(rng: np.random.Generator, size: int) -> list[str]:
    """Decimals of at most `schema._SHORT_DECIMAL` characters: any digits, any point, signs."""
    texts = []
    for total in range(1, schema._SHORT_DECIMAL):
        digits = rng.integers(0, 10**total, size, dtype=np.int64)
        points = rng.integers(0, total + 1, size)
        signs = rng.integers(0, 3, size)
        for number, point, sign in zip(digits, points, signs, strict=True):
            written = str(number).rjust(total, "0")
            written = written[: total - point] + ("." + written[total - point :] if point else "")
            written = written.lstrip("0") or "0"
            written = ("0" if written.startswith(".") else "") + written
            texts.append(("", "-", "+")[sign] + written)
    return [written for written in texts if len(written) <= schema._SHORT_DECIMAL]


def _same_floats(texts: list[str]) -> None:
    text = pd.Series(texts, dtype="str", name="a")
    fast = schema._short_decimals(text, cells.arrow(text).drop_null())
    assert fast is not None
    slow = pd.to_numeric(text).astype("float64")
    # bit for bit: -0.0 and 0.0 differ here, NaN equals NaN
    assert fast.to_numpy().view(np.int64).tolist() == slow.to_numpy().view(np.int64).tolist()
    pd.testing.assert_series_equal(fast, slow)


def test_short_decimals_read_as_pandas_reads_them() -> None:
    # A corpus of random decimals (the check before Arrow's reading was used: 30 million, and
    # every short decimal cell of the shared data, equal bit for bit).
    corpus = _decimal_texts(np.random.default_rng(18), 20_000)
    _same_floats([*corpus, "-0.0", "0.0", "1.", ".5"])


def test_short_decimals_leave_long_and_exponent_texts_to_pandas() -> None:
    for texts in (["1.5", "1e3"], ["1.5", "2E1"], ["1.5", "1234567890.12345"]):
        text = pd.Series(texts, dtype="str")
        assert schema._short_decimals(text, cells.arrow(text)) is None


# --- trimming in one Arrow pass over all columns ------------------------------------------------


def _strip_as_before(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name in frame.columns:
        column = frame[name].astype("str")
        stripped = column.str.strip()
        out[name] = stripped.mask(stripped == "") if (stripped != column).any() else column
    return pd.DataFrame(out, index=frame.index)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"a": ["x", "y"], "b": ["1", None]}, dtype="str"),
        pd.DataFrame({"a": ["x", " y"], "b": ["1 ", None], "c": ["\u00a0z", "w"]}, dtype="str"),
        pd.DataFrame({"a": ["x", "  "], "b": [None, None]}, dtype="str"),
        pd.DataFrame({"a": [1, 2], "b": ["x ", "y"]}),
        pd.DataFrame({"a": pd.Series([], dtype="str")}),
    ],
)
def test_strip_agrees_with_pandas(frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(_strip(frame), _strip_as_before(frame))


# --- ends: the same unit on both ends, pairs that repeat ----------------------------------------


def test_same_ends_agree_with_comparing_the_text() -> None:
    frame = pd.DataFrame(
        {"from": ["a", "a", "x", "x", None, None, "b"], "to": ["a", "b", "x", "y", None, "a", "b"]},
        dtype="str",
    )
    ids = pd.Series(["a", "b", None], dtype="str")  # a unit without id finds missing ends
    start, end = cells.positions_in(frame["from"], ids), cells.positions_in(frame["to"], ids)
    expected = (frame["from"] == frame["to"]).fillna(False).to_numpy()
    assert _same_ends(frame, start, end).tolist() == expected.tolist()


def test_pairs_repeat_agrees_with_pandas() -> None:
    rng = np.random.default_rng(18)
    for size in (0, 1, 50, 5000):
        first, second = rng.integers(0, 60, size), rng.integers(0, 60, size)
        expected = pd.DataFrame({"a": first, "b": second}).duplicated().any()
        assert _pairs_repeat(first, second) is bool(expected)


def test_duplicate_flows_between_known_units_are_still_found() -> None:
    units = pd.DataFrame({"id": ["a", "b", "c"], "kind": "landkreis"}, dtype="str")
    frame = pd.DataFrame(
        {"from": ["a", "b", "a", "c", "a"], "to": ["b", "a", "b", "a", "b"], "commuters": "1"},
        dtype="str",
    )
    report = Reporter()
    flows = assemble(FLOWS, [Block(frame, Origin("flows.csv"))], report)
    check_flows(flows, units, report)
    second = [p for p in report.problems if "second flow" in p.message]
    assert [(p.where, p.value) for p in second] == [
        ("flows.csv, row 4", "a -> b"),
        ("flows.csv, row 6", "a -> b"),
    ]
    assert second[0].message.endswith("(first at flows.csv, row 2)")


@pytest.mark.parametrize(
    "written", [["Kreis", "landkreis", None, "Gemeinde", "nonsense", "Kreis"], [None, None], []]
)
def test_map_unique_agrees_with_pandas_map(written: list[str | None]) -> None:
    text = pd.Series(written, dtype="str", name="kind")
    mapping = {v: normalize_unit_kind(v) for v in text.dropna().unique()}
    expected = text.map(mapping).astype("str")
    mapped, bad = schema._map_unique(text, normalize_unit_kind)
    pd.testing.assert_series_equal(mapped, expected)
    assert bad.tolist() == np.flatnonzero(text.notna() & expected.isna()).tolist()


# --- reading: ASCII files skip decoding, byte looks ---------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"a\n", b"a\n1\n2\n", b"a\n1\n\n2\n", b"ab\n\n1\n", b"a\n1\n2\n\n", b"\n\na\n1", b"a,b\n1,2"],
)
def test_blank_line_look_without_spaces_agrees(data: bytes) -> None:
    assert _may_have_blank_line(data, no_spaces=True) is _may_have_blank_line(data)


@pytest.mark.parametrize("data", [b"a,b\n1,2\n", b"a,b\n1, 2\n", b'a\n"x"\n', b"a\n\x1c1\n"])
def test_strip_look_with_known_ascii_agrees(data: bytes) -> None:
    assert _nothing_to_strip(data, ascii_bytes=data.isascii()) is _nothing_to_strip(data)


@pytest.mark.parametrize(
    "text",
    [
        "id,name\n1,a\n2,b\n",
        "\n \nid,name\r\n1,a\r\n\r\n2, b \r\n",
        "id;name\n1;'=x\n2;\n\n3;c\n",
        'id,name\n1,"a, b"\n2,\x1cc\n',
        "id,name\n1,a",
    ],
)
def test_ascii_files_read_as_when_decoded(text: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("ascii"))
    fast, fast_problems = read_table_file(path, "t.csv", referenced_at="s")
    slow, slow_problems = read_table_file(path, "t.csv", referenced_at="s", encoding="utf-8")
    assert fast is not None
    assert slow is not None
    assert fast_problems == slow_problems == []
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.origin == slow.origin
    assert (fast.nfc, fast.german_numbers) == (True, slow.german_numbers)
    assert [fast.origin.where(i) for i in range(len(fast.frame))] == [
        slow.origin.where(i) for i in range(len(slow.frame))
    ]


def test_header_of_bytes_agrees_with_text() -> None:
    for text in ("id,a\n1,2", "\n\r\n  \nid,a\r\n1", "id"):
        assert _header(text.encode()) == _header(text)


# --- byte looks at Arrow columns ----------------------------------------------------------------

_CELLS = ["a", " b", "c ", "\u00e4", "x\u00a0", None, "", "12", "1.0", "\t", "\x1fz", "+3"]


def _chunked(values: list[str | None]) -> pd.Series:
    """A text column stored in three Arrow chunks, the second a slice, as big files are read."""
    half = len(values) // 2
    parts = [pa.array(values[:half], pa.large_string()), pa.array(["q", *values[half:]])]
    chunks = [parts[0], parts[1].slice(1).cast(pa.large_string()), pa.array([], pa.large_string())]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks)), dtype="str")


@pytest.mark.parametrize("size", range(len(_CELLS) + 1))
def test_byte_looks_agree_with_arrow(size: int) -> None:
    for cells_ in (_CELLS[:size], _CELLS[size:], [c for c in _CELLS[:size] if c]):
        text = _chunked(cells_)
        values = pa.array(cells_, pa.large_string())
        trimmed = pc.utf8_trim_whitespace(values)
        assert cells.needs_trim(text) is bool(pc.any(pc.not_equal(trimmed, values)).as_py())
        assert cells.all_ascii_digits(text) is bool(pc.all(pc.ascii_is_decimal(values)).as_py())
        printable = [c for c in cells_ if c is not None]
        assert cells.printable_ascii(text) is all(
            c.isascii() and c.isprintable() for c in printable
        )
        assert cells.holds(text, ".") is any("." in c for c in printable)
        assert cells.lengths(text).tolist() == [len(c) if c else 0 for c in cells_]
        wanted = pd.Series(["a", "12", "zz"], dtype="str")
        assert cells.positions_in(text, wanted).tolist() == (
            pd.Index(wanted).get_indexer(pd.Series(cells_, dtype="str")).tolist()
        )


def test_official_key_lengths_are_the_key_pattern() -> None:
    for length in range(1, 14):
        digits = "1" * length
        official = re.fullmatch(KEY_PATTERN, digits) is not None
        assert official is (length in KEY_LENGTHS)


# --- unit checks on numpy arrays: the messages they gave ---------------------------------------

#: What check_units reported for `_UNITS` with pandas string methods (before the numpy paths).
_UNIT_PROBLEMS = [
    (
        "error",
        "units.csv, row 10",
        "id",
        "01001",
        "duplicate id; every unit needs its own id (first at units.csv, row 3)",
    ),
    (
        "error",
        "units.csv, row 7",
        "parent",
        "01001.0",
        "unknown parent; it must be the id of a Landkreis in units; one reference matches a unit once the '.0' a spreadsheet added is stripped ('01001.0' is '01001'); store keys as text, or run 'netkoop validate --fix'",
    ),
    (
        "error",
        "units.csv, row 10",
        "parent",
        "1002",
        "the Gemeinde lies in Land 02 (Hamburg) but its parent Landkreis '1002' in 01 (Schleswig-Holstein); a Gemeinde belongs to a Landkreis of its own Land",
    ),
    (
        "error",
        "units.csv, row 7",
        "id",
        "02001001",
        "the key's Land part 02 contradicts the unit's Land 01 (Schleswig-Holstein)",
    ),
    (
        "error",
        "units.csv, row 8",
        "id",
        "١٢",
        "the key's Land part ١٢ contradicts the unit's Land 01 (Schleswig-Holstein)",
    ),
    (
        "error",
        "units.csv, row 10",
        "id",
        "01001",
        "the key's Land part 01 contradicts the unit's Land 02 (Hamburg)",
    ),
    (
        "warning",
        "units.csv, rows 4, 9",
        "id",
        None,
        "2 ids have lost the leading zero of an official key ('1002' is '01002', '9' is '09'); store keys as text (Excel drops leading zeros of numbers), or run 'netkoop validate --fix'",
    ),
    (
        "warning",
        "units.csv, row 5",
        "id",
        "01003.0",
        "one key was stored as a number by a spreadsheet ('01003.0' is '01003'); store keys as text, or run 'netkoop validate --fix'",
    ),
    (
        "warning",
        "units.csv, row 7",
        "parent",
        "01001.0",
        "one key was stored as a number by a spreadsheet ('01001.0' is '01001'); store keys as text, or run 'netkoop validate --fix'",
    ),
    (
        "warning",
        "units.csv, row 6",
        "id",
        "0100100\t1",
        "holds the invisible control character U+0009, which programs show differently or not at all; remove it",
    ),
]

_UNITS = {
    "id": [
        "01",
        "01001",
        "1002",
        "01003.0",
        "0100100\t1",
        "02001001",
        "\u0661\u0662",
        "9",
        "01001",
    ],
    "name": ["SH", "A", "B", "C", "D\u200f", "E", "F", "G", "H"],
    "kind": ["land", *["landkreis"] * 3, "gemeinde", "gemeinde", "landkreis", "land", "gemeinde"],
    "land": [*["01"] * 8, "02"],
    "parent": [None, None, None, None, "01001", "01001.0", None, None, "1002"],
}


def test_unit_checks_report_as_before() -> None:
    report = Reporter()
    frame = pd.DataFrame(_UNITS, dtype="str")
    check_units(assemble(UNITS, [Block(frame, Origin("units.csv"))], report), report)
    found = [(p.severity, p.where, p.field, p.value, p.message) for p in report.problems]
    assert found == _UNIT_PROBLEMS


@pytest.mark.parametrize(
    "written",
    [["01067"], ["10115", "0"], ["-01"], ["+00"], ["0.5"], ["0"], ["00"], ["1", None, "099"]],
)
def test_leading_zero_look_means_neither_integer_nor_decimal(written: list[str | None]) -> None:
    values = cells.arrow(pd.Series(written, dtype="str")).drop_null()
    expected = any(re.match(r"[-+]?0[0-9]", v) for v in values.to_pylist())
    assert schema._leading_zero(values) is expected
    if expected:  # what the fast path skips: no such column passes either test
        assert not cells.all_fullmatch(values, schema._INT_TEXT.pattern)
        assert not cells.all_fullmatch(values, schema._FLOAT_TEXT.pattern)


def test_dtype_objects_are_the_named_dtypes() -> None:
    assert pd.api.types.pandas_dtype("str") == schema._STR
    assert pd.api.types.pandas_dtype("Int64") == schema._INT64
    assert pd.api.types.pandas_dtype("boolean") == schema._BOOLEAN


@pytest.mark.parametrize("rows", [[], [0], [3, 1], [4]])
def test_values_at_agrees_with_iloc(rows: list[int]) -> None:
    chunked = pa.chunked_array([pa.array(["a", None]), pa.array(["c", "d", "e"])])
    text = pd.Series(pd.arrays.ArrowStringArray(chunked), name="to")
    positions = np.array(rows, dtype=np.int64)
    assert cells.values_at(text, positions) == text.iloc[positions].tolist()


def test_forum_and_same_ends_of_flows_reported_as_before() -> None:
    units = pd.DataFrame(
        {"id": ["a", "b", "f"], "kind": ["landkreis"] * 2 + ["forum"]}, dtype="str"
    )
    frame = pd.DataFrame(
        {"from": ["a", "f", "b", "a"], "to": ["b", "a", "b", "f"], "commuters": "1"}, dtype="str"
    )
    report = Reporter()
    flows = assemble(FLOWS, [Block(frame, Origin("flows.csv"))], report)
    check_flows(flows, units, report)
    found = [(p.where, p.field, p.value) for p in report.problems]
    assert ("flows.csv, row 3", "from", "f") in found
    assert ("flows.csv, row 5", "to", "f") in found
    assert ("flows.csv, row 4", "to", "b") in found
    assert len(found) == 3
