"""The fast paths of loading give the answers of the slow ones they skip."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from netkoop.model import cells
from netkoop.model.blocks import Block, Origin
from netkoop.model.checks import FLOWS, assemble, check_flows
from netkoop.model.keys import KEY_PATTERN
from netkoop.model.schema import Reporter
from netkoop.scenario.sources import _may_have_blank_line, _nothing_to_strip

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
