"""Reading scenario files: YAML, keys, format version, extends chains and table file options, every problem located."""

from __future__ import annotations

import pytest

import netkoop
from conftest import KREISE, assert_problems

pytestmark = pytest.mark.usefixtures("folder")


# --- scenario.yaml ---------------------------------------------------------------------------


def test_malformed_yaml_names_its_line(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        name: a: b
        """
    )
    assert_problems(
        path, ("error", "scenario.yaml, line 2", None, None, "malformed YAML: mapping values")
    )


def test_yaml_tag_is_refused_and_nothing_runs(write_scenario, folder):
    path = write_scenario(
        """\
        format_version: 1
        name: !!python/object/apply:os.system ["touch executed"]
        """
    )
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 2",
            None,
            None,
            "the YAML tag '!!python/object/apply:os.system' is not allowed",
        ),
    )
    assert not (folder / "executed").exists()


def test_duplicate_yaml_key(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        name: first
        name: second
        """
    )
    assert_problems(
        path,
        ("error", "scenario.yaml, line 3", None, None, "duplicate key 'name' (first on line 2)"),
    )


def test_unknown_top_level_key(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        nodes: {file: units.csv}
        """
    )
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 2",
            "nodes",
            None,
            "unknown key; a scenario may have: format_version, name, title, description, "
            "reference_date, sources, extends, files_outside, units, forums, ties, flows",
        ),
    )


def test_missing_format_version(folder):
    path = folder / "scenario.yaml"
    path.write_text("name: no version\n", encoding="utf-8")
    assert_problems(
        path, ("error", "scenario.yaml, line 1", None, None, "must state 'format_version: 1'")
    )


@pytest.mark.parametrize(("written", "value"), [("2", "2"), ("'1'", "1"), ("one", "one")])
def test_wrong_format_version(write_scenario, written, value):
    path = write_scenario(f"format_version: {written}\n")
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 1",
            "format_version",
            value,
            "unsupported format version; this netkoop reads format_version 1",
        ),
    )


def test_extends_cycle(write_scenario):
    path = write_scenario("format_version: 1\nextends: b.yaml\n", name="a.yaml")
    write_scenario("format_version: 1\nextends: a.yaml\n", name="b.yaml")
    assert_problems(
        path,
        (
            "error",
            "b.yaml, line 2",
            "extends",
            "a.yaml",
            "extends forms a cycle: a.yaml -> b.yaml -> a.yaml",
        ),
    )


def test_extends_itself(write_scenario):
    path = write_scenario("format_version: 1\nextends: scenario.yaml\n")
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 2",
            "extends",
            "scenario.yaml",
            "extends forms a cycle: scenario.yaml -> scenario.yaml",
        ),
    )


def test_extends_missing_file(write_scenario):
    path = write_scenario("format_version: 1\nextends: nowhere.yaml\n")
    assert_problems(
        path,
        ("error", "scenario.yaml, line 2", "extends", "nowhere.yaml", "no such file or folder"),
    )


def test_problems_of_an_extended_file_name_that_file(write_scenario):
    write_scenario(
        """\
        format_version: 1
        units:
          - {id: a, name: A, kind: landkreis, land: "09"}
          - {id: b, name: B, kind: stadt, land: "09"}
        """,
        name="base.yaml",
    )
    path = write_scenario("format_version: 1\nextends: base.yaml\n")
    assert_problems(path, ("error", "base.yaml, line 4", "kind", "stadt", "not allowed"))


@pytest.mark.parametrize(
    ("yaml", "line"),
    [
        ("units:\n  file: units.csv\n", 3),
        ("units: {file: units.csv}\n", 2),
        ("units:\n  - {id: a, name: A, kind: landkreis, land: BY}\n  - file: units.csv\n", 4),
    ],
)
def test_missing_table_file_is_located_at_its_file_key(write_scenario, yaml, line):
    path = write_scenario("format_version: 1\n" + yaml)
    assert_problems(
        path,
        (
            "error",
            f"scenario.yaml, line {line}",
            "file",
            "units.csv",
            "the table file does not exist",
        ),
    )


def test_unknown_table_file_option(write_scenario):
    path = write_scenario(
        "format_version: 1\nunits: {file: units.csv, sheet_name: Kreise}\n", units__csv=KREISE
    )
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 2",
            "sheet_name",
            None,
            "unknown option of a table file; allowed: file, sheet, columns, set, where, text, sep, "
            "encoding",
        ),
    )


def test_column_mapping_naming_a_missing_column(write_scenario):
    path = write_scenario(
        """\
        format_version: 1
        units:
          file: units.csv
          columns: {id: AGS}
        """,
        units__csv="Schlüssel,name,kind,land\n09162,München,kreisfreie_stadt,09\n",
    )
    assert_problems(
        path,
        (
            "error",
            "scenario.yaml, line 4",
            "id",
            "AGS",
            "names a column that units.csv does not have; its columns: Schlüssel, name, kind, land",
        ),
    )


def test_column_mapping_renames_a_column(write_scenario):
    path = write_scenario(
        "format_version: 1\nunits: {file: units.csv, columns: {id: Schlüssel}}\n",
        units__csv="Schlüssel,name,kind,land\n09162,München,kreisfreie_stadt,09\n",
    )
    result = netkoop.validate(path)
    assert result.problems == []
    assert result.network.units["id"].tolist() == ["09162"]


@pytest.mark.parametrize(
    ("table", "csv", "says"),
    [
        (
            "units",
            "id,name,land\na,A,09\n",
            "the units table needs the column(s) kind (it has: id, name, land)",
        ),
        ("ties", "from,to\na,b\n", "the ties table needs the column(s) kind (it has: from, to)"),
        (
            "flows",
            "from,to,foreign\na,b,3\n",
            "the flows table needs the column(s) commuters (it has: from, to, foreign)",
        ),
    ],
)
def test_required_column_missing_from_a_table_file(tables, table, csv, says):
    assert_problems(tables(**{table: csv}), ("error", f"{table}.csv", None, None, says))
