"""netkoop.validate never raises: mutated scenario files and tables give problems, not exceptions.

Hypothesis mutates beispielregion two ways: the bytes of its files (hostile fragments inserted,
spans cut out) and the structure of its scenario file (values swapped for values of other
types, sizes and shapes). Derandomized, so every run tries the same cases; a few seconds.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import netkoop
from conftest import REPO

BUNDLED = REPO / "scenarios" / "beispielregion"
FILES = {path.name: path.read_bytes() for path in sorted(BUNDLED.iterdir())}

#: Fragments that broke or might break a reader: YAML tags and anchors, quotes, line breaks,
#: encodings, escapes, numbers out of range, paths, formulas, a right-to-left override.
FRAGMENTS = [
    b"&a [x, *a]", b"*a", b"!!int x", b"!!timestamp 2020-99-99", b"!!python/object:os.system",
    b'"\\ud800"', b'"', b"'", b"\r", b"\n", b"\x00", b"\xff\xfe", b"\xc3", b";", b",", b"\t",
    b"{", b"[", b"]", b"}", b":", b"- ", b"  ", b"9" * 30, b"-1", b"1e309", b"nan", b"=1+1",
    b"../../etc/passwd", b"file: x.csv", b"extends: scenario.yaml", b"\xe2\x80\xae", b"a" * 300,
]  # fmt: skip

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

edits = st.lists(
    st.tuples(
        st.sampled_from(sorted(FILES)),
        st.floats(0, 1),
        st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 255).map(lambda b: bytes([b]))),
        st.integers(0, 40),
    ),
    max_size=6,
)


def check(folder: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = netkoop.validate(folder)
    assert isinstance(result, netkoop.Validation)
    assert result.network is not None or result.errors


@SETTINGS
@given(edits)
@example([("units.csv", 0.0, b'"id\r",x\n', 0)])
@example([("flows.csv", 0.5, b"99999999999999999999999", 3)])
@example([("scenario.yaml", 1.0, b"\ntitle: !!int abc\n", 0)])
def test_mutated_files_give_problems_not_exceptions(
    tmp_path_factory: Any, changes: list[tuple[str, float, bytes, int]]
) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    contents = {name: bytearray(data) for name, data in FILES.items()}
    for name, at, fragment, cut in changes:
        data = contents[name]
        position = int(at * len(data))
        data[position : position + cut] = fragment
    for name, data in contents.items():
        (folder / name).write_bytes(bytes(data))
    check(folder)


#: Values of every shape a scenario file may hold by mistake.
values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True), st.dates(dt.date(1, 1, 1)),
        st.sampled_from(["", "units.csv", "ties.csv", "../x", "exchange", "budget_shock",
                         "lk-nord", "2019-13-45", "=1", ";", "a" * 300, "01001"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["file", "do", "rows", "ids", "seed", "kind", "from",
                                         "to", "sep", "where", "columns", "set", "text",
                                         "decimal", "thousands", "name"]), inner, max_size=3),
    ),
    max_leaves=8,
)  # fmt: skip

paths = st.lists(
    st.sampled_from(["units", "ties", "flows", "forums", "sources", "interventions",
                     "extends", "files_outside", "name", "reference_date", "title", 0, 1]),
    min_size=1, max_size=3,
)  # fmt: skip


@SETTINGS
@given(st.lists(st.tuples(paths, values), min_size=1, max_size=4))
def test_scenario_files_of_every_shape_give_problems_not_exceptions(
    tmp_path_factory: Any, changes: list[tuple[list[Any], Any]]
) -> None:
    folder = tmp_path_factory.mktemp("shapes")
    for name in FILES:
        shutil.copy(BUNDLED / name, folder / name)
    doc = yaml.safe_load(FILES["scenario.yaml"])
    for path, value in changes:
        node = doc
        for step in path[:-1]:
            child = node.get(step) if isinstance(node, dict) else None
            if not isinstance(child, dict | list):
                break
            node = child
        else:
            key = path[-1]
            if isinstance(node, dict) or (isinstance(key, int) and key < len(node)):
                node[key] = value
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    check(folder)
