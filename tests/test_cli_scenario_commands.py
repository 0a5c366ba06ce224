"""validate, info, new and scenarios: exit codes, messages, and files as spreadsheets write them."""

from __future__ import annotations

import csv
import json
import random
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import yaml

import netkoop
from conftest import (
    REPO,
    ScenarioWriter,
    assert_one_error_line,
    error_lines,
    problem_lines,
    snapshot,
)
from conftest import run_cli as run

BUNDLED = REPO / "scenarios" / "beispielregion"


# --- helpers ------------------------------------------------------------------------------


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (text is dedented and written as UTF-8) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- validate -----------------------------------------------------------------------------

BROKEN_UNITS = """\
id,name,kind,land,parent,population
09162,München,kreisfreie_stadt,09,,1510378
09184,Landkreis München,landkreis,09,,350473
09184119,Garching b.München,dorf,09,09184,17577
09184149,Unterschleißheim,gemeinde,09,09184,viele
"""
BROKEN_TIES = """\
from,to,kind
09184119,09184149,exchange
09162,09999,exchange
"""
BROKEN_FLOWS = """\
from,to,commuters
09184,09162,71660
09162,09184,-30440
"""
SCENARIO_WITH_FILES = """\
format_version: 1
units: {file: units.csv}
ties: {file: ties.csv}
flows: {file: flows.csv}
"""


def test_validate_several_valid_files_exits_0(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = minimal.parent
    before = snapshot(tmp_path)
    result = run("validate", minimal, folder, BUNDLED / "scenario.yaml", "beispielregion")
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path) == before
    lines = result.stdout.splitlines()
    assert len(lines) == 4, result.stdout
    assert all(": valid (" in line for line in lines), result.stdout
    units = read_csv(folder / "units.csv")
    ties = read_csv(folder / "ties.csv")
    flows = read_csv(folder / "flows.csv")
    counts = f"({len(units)} units, {len(ties)} ties, {len(flows)} flows)"
    assert lines[0].endswith(counts)
    assert lines[1].endswith(counts)
    assert problem_lines(result.output) == []
    assert result.stderr == ""


def test_validate_one_invalid_among_valid_exits_1_and_lists_every_problem(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write(
        tmp_path / "kaputt",
        {
            "scenario.yaml": SCENARIO_WITH_FILES,
            "units.csv": BROKEN_UNITS,
            "ties.csv": BROKEN_TIES,
            "flows.csv": BROKEN_FLOWS,
        },
    )
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run("validate", minimal, broken, "beispielregion")
    assert result.exit_code == 1, result.output
    assert snapshot(tmp_path) == before
    out = result.stdout
    # the valid files before and after the broken one are still checked and reported
    assert re.search(r"^scenario/scenario\.yaml: valid \(", out, re.MULTILINE), out
    assert re.search(r"^beispielregion: valid \(", out, re.MULTILINE), out  # its bundled name
    assert re.search(r"^kaputt/scenario\.yaml: \d+ errors?", out, re.MULTILINE), out
    expected = [
        # row numbers: the header is row 1, so the n-th data row is row n + 1
        "kaputt/units.csv, row 4, field 'kind', value 'dorf'",
        "kaputt/units.csv, row 5, field 'population', value 'viele'",
        "kaputt/ties.csv, row 3, field 'to', value '09999'",
        "kaputt/flows.csv, row 3, field 'commuters', value '-30440'",
    ]
    listed = problem_lines(out)
    for fragment in expected:
        assert any(fragment in line and line.startswith("  error") for line in listed), (
            fragment,
            out,
        )


def test_validate_goes_on_after_a_missing_file(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "list every problem" for every FILE given: a missing one is reported, the others checked
    monkeypatch.chdir(tmp_path)
    result = run("validate", "beispielregion", "gibt-es-nicht.yaml", minimal)
    assert result.exit_code == 1, result.output
    assert "gibt-es-nicht.yaml" in result.output
    assert re.search(r"^scenario/scenario\.yaml: valid \(", result.stdout, re.MULTILINE), (
        result.output
    )


def test_validate_strict_turns_warnings_into_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one tie between a and b; c has no tie, which is worth a warning (an isolate), not an error
    folder = write(
        tmp_path / "einsam",
        {
            "scenario.yaml": """\
            format_version: 1
            units:
              - {id: a, name: A, kind: landkreis, land: BY}
              - {id: b, name: B, kind: landkreis, land: BY}
              - {id: c, name: C, kind: landkreis, land: BY}
            ties:
              - {from: a, to: b, kind: exchange}
            """,
        },
    )
    monkeypatch.chdir(tmp_path)
    lenient = run("validate", folder)
    assert lenient.exit_code == 0, lenient.output
    warnings = [line for line in problem_lines(lenient.stdout) if line.startswith("  warning")]
    assert len(warnings) == 1, lenient.stdout
    assert "(c)" in warnings[0]
    strict = run("validate", "--strict", folder)
    assert strict.exit_code == 1, strict.output
    assert problem_lines(strict.stdout) == problem_lines(lenient.stdout)
    # --strict changes nothing for a scenario without warnings
    assert run("validate", "--strict", "beispielregion").exit_code == 0


def test_validate_needs_a_file() -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


# --- info ---------------------------------------------------------------------------------


def _bundled_expectations() -> dict[str, object]:
    """What `netkoop info beispielregion` must report, counted from the scenario's own files."""
    doc = yaml.safe_load((BUNDLED / "scenario.yaml").read_text(encoding="utf-8"))
    units = read_csv(BUNDLED / "units.csv")
    forums = doc["forums"]
    ties = read_csv(BUNDLED / "ties.csv")
    flows = read_csv(BUNDLED / "flows.csv")
    kinds = Counter(u["kind"] for u in units) + Counter({"forum": len(forums)})
    # Land written as key or abbreviation; the bundled scenario uses only Niedersachsen
    land_key = {"03": "03", "NI": "03"}
    lands = [u["land"] for u in units] + [f.get("land") for f in forums]
    by_land: dict[str, Counter[str]] = {}
    for row, land in zip([*units, *forums], lands, strict=True):
        label = "(no Land)" if not land else f"{land_key[land]} Niedersachsen"
        by_land.setdefault(label, Counter())[row.get("kind", "forum")] += 1
    return {
        "name": doc["name"],
        "title": doc["title"],
        "units": len(units) + len(forums),
        "units_by_kind": kinds,
        "units_by_land": {k: dict(v) for k, v in by_land.items()},
        "laender": len({land_key[land] for land in lands if land}),
        "ties": len(ties),
        "ties_by_kind": Counter(t["kind"] for t in ties),
        "flows": len(flows),
        "commuters": sum(int(f["commuters"]) for f in flows),
        "foreign": sum(int(f["foreign"]) for f in flows),
    }


def test_info_json_counts_match_the_bundled_files() -> None:
    want = _bundled_expectations()
    result = run("info", "beispielregion", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    got = json.loads(result.stdout)
    assert got["name"] == want["name"]
    assert got["title"] == want["title"]
    assert got["units"] == want["units"]
    assert {k: v for k, v in got["units_by_kind"].items() if v} == want["units_by_kind"]
    assert got["units_by_land"] == want["units_by_land"]
    assert got["laender"] == want["laender"]
    assert got["ties"] == want["ties"]
    assert {k: v for k, v in got["ties_by_kind"].items() if v} == want["ties_by_kind"]
    assert got["flows"] == want["flows"]
    assert got["commuters"] == want["commuters"]
    assert got["flow_breakdown"] == {"foreign": want["foreign"]}


def test_info_speaks_german_by_default() -> None:
    want = _bundled_expectations()
    result = run("info", "beispielregion")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[1] == "Stichtag: 30.06.2024"
    assert f"Einheiten: {want['units']} in 1 Land" in out
    assert f"Verbindungen: {want['ties']}\n" in out  # no tie lacks its since
    commuters = f"{want['commuters']:,}".replace(",", ".")
    assert f"Pendlerströme: {want['flows']} mit {commuters} Pendelnden" in out
    assert re.search(r"^Erfahrungsaustausch\s+12$", out, re.MULTILINE), out
    assert re.search(r"^kreisangehörige Gemeinde\s+8$", out, re.MULTILINE), out
    assert "(ohne Land)" in out
    dated = run("info", "beispielregion", "--at", "2016")
    assert dated.stdout.splitlines()[2] == "Stand am: 01.01.2016"


def test_info_counts_the_ties_without_a_beginning(write_scenario: ScenarioWriter) -> None:
    path = write_scenario(
        """
        units:
          - {id: a, name: A, kind: landkreis, land: BY}
          - {id: b, name: B, kind: landkreis, land: BY}
        ties:
          - {from: a, to: b, kind: exchange}
          - {from: a, to: b, kind: shared_staff, until: 2020}
          - {from: a, to: b, kind: joint_project, since: 2019}
        """
    )
    out = run("info", path).stdout
    assert "Verbindungen: 3 (davon 2 ohne Beginn (since), als seit jeher bestehend gezählt)" in out
    assert json.loads(run("info", path, "--format", "json").stdout)["undated_ties"] == 2


def test_info_text_of_the_bundled_scenario() -> None:
    want = _bundled_expectations()
    result = run("info", "beispielregion", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    assert out.splitlines()[0] == f"{want['title']} [{want['name']}]"
    assert f"Units: {want['units']:,} in 1 Land" in out
    assert f"Ties: {want['ties']:,}" in out
    assert f"Flows: {want['flows']:,} with {want['commuters']:,} commuters" in out
    assert f"foreign: {want['foreign']:,}" in out
    for kind, count in want["ties_by_kind"].items():  # type: ignore[attr-defined]
        assert re.search(rf"^{kind}\s.*\s{count}$", out, re.MULTILINE), (kind, out)
    # the same scenario named by folder and by file reads the same
    assert run("info", BUNDLED, "--lang", "en").stdout == out
    assert run("info", BUNDLED / "scenario.yaml", "--lang", "en").stdout == out


def test_info_json_stdout_stays_json_when_the_scenario_has_warnings(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "einsam",
        {
            "scenario.yaml": """\
            format_version: 1
            units:
              - {id: a, name: A, kind: landkreis, land: BY}
              - {id: b, name: B, kind: landkreis, land: BY}
              - {id: c, name: C, kind: landkreis, land: BY}
            ties:
              - {from: a, to: b, kind: exchange}
            """,
        },
    )
    result = run("info", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["units"] == 3
    assert result.stderr.startswith("Warning:"), result.stderr


# --- new ----------------------------------------------------------------------------------


def test_new_creates_a_starter_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "meine-region"
    result = run("new", "meine-region")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert sorted(p.name for p in target.iterdir()) == [
        "flows.csv",
        "scenario.yaml",
        "ties.csv",
        "units.csv",
    ]
    checked = run("validate", "meine-region")
    assert checked.exit_code == 0, checked.output
    assert "meine-region/scenario.yaml: valid (" in checked.stdout
    # nested folders that do not exist yet are created
    assert run("new", "a/b/c").exit_code == 0
    assert run("validate", tmp_path / "a" / "b" / "c").exit_code == 0
    # an existing empty folder is fine too
    (tmp_path / "leer").mkdir()
    assert run("new", "leer").exit_code == 0
    assert (tmp_path / "leer" / "scenario.yaml").is_file()


def test_new_names_the_scenario_after_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "Landkreis Hildesheim")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Next: edit them, then run: netkoop validate 'Landkreis Hildesheim'"
    )
    lines = (tmp_path / "Landkreis Hildesheim" / "scenario.yaml").read_text("utf-8").splitlines()
    assert "name: landkreis-hildesheim        # short name, used in reports and file names" in lines
    assert "title: Landkreis Hildesheim       # a readable title" in lines
    net = netkoop.load(tmp_path / "Landkreis Hildesheim")
    assert (net.name, net.metadata.title) == ("landkreis-hildesheim", "Landkreis Hildesheim")


def test_new_refuses_a_non_empty_folder_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = write(
        tmp_path / "vorhanden",
        {"units.csv": "id,name,kind\nx,X,landkreis\n", "notiz.txt": "nicht anfassen\n"},
    )
    before = snapshot(tmp_path)
    result = run("new", folder)
    assert_one_error_line(result, problems_allowed=False)
    assert "vorhanden" in error_lines(result.stderr)[0]
    assert result.stdout == ""
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["a-file", "below-a-file"])
def test_new_on_a_file_path_fails_cleanly(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "datei.txt").write_text("kein Ordner\n", encoding="utf-8")
    target = "datei.txt" if where == "a-file" else "datei.txt/neu"
    before = snapshot(tmp_path)
    result = run("new", target)
    assert_one_error_line(result, problems_allowed=False)
    assert "datei.txt" in error_lines(result.stderr)[0]
    assert snapshot(tmp_path) == before


# --- scenarios ----------------------------------------------------------------------------


def test_scenarios_lists_the_bundled_scenario() -> None:
    result = run("scenarios")
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    bundled = sorted(p.parent.name for p in (REPO / "scenarios").glob("*/scenario.yaml"))
    assert names == bundled
    assert "beispielregion" in names
    title = yaml.safe_load((BUNDLED / "scenario.yaml").read_text(encoding="utf-8"))["title"]
    assert f"beispielregion  {title}" in result.stdout


def test_scenarios_cuts_long_descriptions_at_a_word() -> None:
    described = [
        line[4:] for line in run("scenarios").stdout.splitlines() if line.startswith("    ")
    ]
    assert described, "the bundled scenarios have descriptions"
    for text in described:
        assert len(text) <= 200
        if text.endswith(" …"):
            bundled = {s.description for s in netkoop.list_scenarios()}
            whole = next(d for d in bundled if d.startswith(text[:-2]))
            assert whole[len(text) - 2] == " "  # the cut falls between two words


def test_validate_a_table_says_it_is_a_table(tmp_path: Path) -> None:
    table = tmp_path / "units.csv"
    table.write_bytes(
        "id;name;kind;land\n03254;Landkreis Hildesheim;landkreis;03\n".encode("cp1252")
    )
    result = run("validate", table)
    assert result.exit_code == 1
    assert "is a table, not a scenario file: netkoop checks a table within the scenario" in (
        result.output
    )
    assert "UTF-8" not in result.output


def test_a_scenario_read_twice_warns_once_under_its_bundled_name() -> None:
    result = run("compare", "zwei-welten-2020", "zwei-welten-2020", "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        "Warning: zwei-welten-2020: units: 27 units have no tie (kfs-21, kfs-22, kfs-23, lk-19, "
        "lk-20 and 22 more); they are isolates in the network"
    ]


# --- bad input ----------------------------------------------------------------------------

GARBAGE = random.Random(0).randbytes(4096)  # noqa: S311 - fixed test data, not secrets

Case = Callable[[Path], tuple[str, list[str]]]


def _yaml_only(text: str | bytes, fragments: list[str]) -> Case:
    def build(folder: Path) -> tuple[str, list[str]]:
        write(folder, {"scenario.yaml": text})
        return "scenario", fragments

    return build


def _with_units(name: str, content: str | bytes, fragments: list[str]) -> Case:
    def build(folder: Path) -> tuple[str, list[str]]:
        write(folder, {"scenario.yaml": f"format_version: 1\nunits: {{file: {name}}}\n"})
        write(folder, {name: content})
        return "scenario", fragments

    return build


CP1252_YAML_PREFIX = b"format_version: 1\ntitle: Gr"

BAD_INPUTS: dict[str, Case] = {
    "malformed-yaml": _yaml_only(
        "format_version: 1\nname: kaputt\n\ttitle: eingerückt mit Tab\n",
        ["scenario/scenario.yaml, line 3", "malformed YAML"],
    ),
    "yaml-python-tag": _yaml_only(
        'format_version: 1\nname: !!python/object/apply:os.system ["touch PWNED"]\n',
        ["scenario/scenario.yaml, line 2", "python/object/apply:os.system", "not allowed"],
    ),
    "yaml-python-tag-top-level": _yaml_only(
        '!!python/object/apply:os.system ["touch PWNED"]\n',
        ["scenario/scenario.yaml, line 1", "python/object/apply:os.system", "not allowed"],
    ),
    "empty-scenario": _yaml_only("", ["scenario/scenario.yaml", "empty"]),
    "comment-only-scenario": _yaml_only(
        "# nur ein Kommentar\n", ["scenario/scenario.yaml", "mapping"]
    ),
    "binary-scenario": _yaml_only(GARBAGE, ["scenario/scenario.yaml", "binary"]),
    "cp1252-scenario": _yaml_only(
        CP1252_YAML_PREFIX + "ünwald\n".encode("cp1252"),
        # the first byte that is not UTF-8 is the cp1252 "ü" right after the prefix
        ["scenario/scenario.yaml", "UTF-8", f"byte {len(CP1252_YAML_PREFIX)}"],
    ),
    "binary-units-csv": _with_units("units.csv", GARBAGE, ["scenario/units.csv", "binary"]),
    "empty-units-csv": _with_units("units.csv", b"", ["scenario/units.csv", "empty"]),
    "garbage-units-xlsx": _with_units("units.xlsx", GARBAGE, ["scenario/units.xlsx", "Excel"]),
    "ragged-units-csv": _with_units(
        "units.csv",
        "id,name,kind\n09162,München,kreisfreie_stadt\n09184,Landkreis München,landkreis,09,x\n",
        ["scenario/units.csv, row 3"],
    ),
    "bad-cells-units-csv": _with_units(
        "units.csv",
        "id,name,kind,land,population\n"
        "09162,München,kreisfreie_stadt,09,1510378\n"
        "09184,Landkreis München,stadtteil,09,350473\n"
        "09190,Landkreis Weilheim-Schongau,landkreis,Bayernland,135000\n"
        "09187,Landkreis Rosenheim,landkreis,09,viele\n",
        [
            "scenario/units.csv, row 3, field 'kind', value 'stadtteil'",
            "scenario/units.csv, row 4, field 'land', value 'Bayernland'",
            "scenario/units.csv, row 5, field 'population', value 'viele'",
        ],
    ),
    "missing-table-file": _yaml_only(
        "format_version: 1\nname: fehlt\nunits:\n  file: gemeinden.csv\n",
        ["scenario/scenario.yaml, line 4, field 'file'", "gemeinden.csv", "does not exist"],
    ),
}


@pytest.mark.parametrize("command", ["validate", "info"])
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_a_located_error_and_writes_nothing(
    case: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case in {"binary-scenario", "binary-units-csv"}:
        assert b"\x00" in GARBAGE  # the garbage is binary by any measure
    spec, fragments = BAD_INPUTS[case](tmp_path / "scenario")
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run(command, spec)
    assert result.exit_code == 1, result.output
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "PWNED").exists()
    assert not (tmp_path / "scenario" / "PWNED").exists()
    if command == "info":
        assert_one_error_line(result, problems_allowed=True)
        assert result.stdout == ""
        listed = problem_lines(result.stderr)
    else:
        assert re.match(r"\S+: \d+ errors?", result.stdout), result.stdout
        listed = problem_lines(result.stdout)
    assert listed, result.output
    for fragment in fragments:
        assert any(fragment in line for line in listed), (fragment, result.output)


@pytest.mark.parametrize("command", ["validate", "info"])
@pytest.mark.parametrize(
    "spec", ["gibt-es-nicht/scenario.yaml", "gibt-es-nicht", "beispielregionn"]
)
def test_unknown_scenario_names_it_and_lists_the_bundled_ones(
    spec: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = run(command, spec)
    assert_one_error_line(result, problems_allowed=False)
    line = error_lines(result.stderr)[0]
    assert spec in line
    for name in (p.parent.name for p in (REPO / "scenarios").glob("*/scenario.yaml")):
        assert name in line.replace(spec, "")
    assert snapshot(tmp_path) == before


def test_missing_table_file_quotes_the_value_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Problem.value is "the offending value as written": the scenario says gemeinden.csv
    write(
        tmp_path / "scenario",
        {"scenario.yaml": "format_version: 1\nunits: {file: gemeinden.csv}\n"},
    )
    monkeypatch.chdir(tmp_path)
    result = run("validate", "scenario")
    assert result.exit_code == 1
    listed = problem_lines(result.stdout)
    assert len(listed) == 1, result.stdout
    assert "scenario/scenario.yaml, line 2, field 'file', value 'gemeinden.csv':" in listed[0]


def test_folder_without_scenario_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "nur-tabellen", {"units.csv": "id,name,kind\n"})
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    for command in ("validate", "info"):
        result = run(command, "nur-tabellen")
        assert_one_error_line(result, problems_allowed=False)
        assert "nur-tabellen" in result.stderr
        assert "scenario.yaml" in result.stderr
    assert snapshot(tmp_path) == before


# --- files as spreadsheets write them -----------------------------------------------------

GERMAN_UNITS = [
    # id, name, kind, land, parent, population as German Excel writes it, lat, lon
    ("09162", "München", "kreisfreie_stadt", "09", "", "1.510.378", "48,137", "11,575"),
    ("09184", "Landkreis München", "landkreis", "09", "", "350.473", "48,08", "11,65"),
    ("09184122", "Grünwald", "gemeinde", "09", "09184", "11.300", "48,039", "11,523"),
    (
        "09577",
        "Landkreis Weißenburg-Gunzenhausen",
        "landkreis",
        "09",
        "",
        "95.000",
        "49,1",
        "10,8",
    ),
    ("09577177", "Weißenburg i.Bay.", "gemeinde", "09", "09577", "18.800", "49,03", "10,97"),
]
GERMAN_FLOWS = [("09184", "09162", "71.660"), ("09577177", "09184122", "12")]


def _german_csv(header: list[str], rows: list[tuple[str, ...]]) -> str:
    return "\r\n".join(";".join(cells) for cells in [tuple(header), *rows]) + "\r\n"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("cp1252"), id="cp1252"),
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("cp1252"), id="bom-cp1252"),
    ],
)
def test_csv_from_german_excel_loads(
    encode: Callable[[str], bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units_text = _german_csv(
        ["id", "name", "kind", "land", "parent", "population", "lat", "lon"], GERMAN_UNITS
    )
    flows_text = _german_csv(["from", "to", "commuters"], GERMAN_FLOWS)
    assert "ü".encode("cp1252") in units_text.encode("cp1252")  # umlauts are single bytes
    folder = write(
        tmp_path / "excel",
        {
            "scenario.yaml": """\
            format_version: 1
            units: {file: units.csv}
            flows: {file: flows.csv}
            """,
            "units.csv": encode(units_text),
            "flows.csv": encode(flows_text),
        },
    )
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    checked = run("validate", "--strict", folder)
    assert checked.exit_code == 0, checked.output
    assert problem_lines(checked.output) == []
    shown = run("info", folder, "--format", "json")
    assert shown.exit_code == 0, shown.output
    summary = json.loads(shown.stdout)
    assert summary["units"] == len(GERMAN_UNITS)
    assert summary["commuters"] == 71660 + 12
    assert snapshot(tmp_path) == before

    net = netkoop.load(folder)
    units = net.units.set_index("id")
    assert list(units.index) == [row[0] for row in GERMAN_UNITS]
    assert list(units["name"]) == [row[1] for row in GERMAN_UNITS]
    assert units.loc["09162", "lat"] == 48.137
    assert units.loc["09162", "lon"] == 11.575
    assert units.loc["09162", "population"] == 1510378
    assert units.loc["09577", "population"] == 95000
    assert units.loc["09184122", "name"] == "Grünwald"
    assert units.loc["09577177", "name"] == "Weißenburg i.Bay."
    assert units.loc["09577177", "parent"] == "09577"
    assert units.loc["09577177", "lat"] == 49.03
    flows = net.flows
    assert list(flows["commuters"]) == [71660, 12]
    assert list(flows["from"]) == ["09184", "09577177"]


def test_excel_workbook_keeps_text_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "xlsx"
    folder.mkdir()
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Hinweise"
    notes["A1"] = "Gemeindedaten auf dem Blatt 'Gemeinden'"
    sheet = book.create_sheet("Gemeinden")
    sheet.append(["id", "name", "kind", "land", "parent", "population", "lat", "lon"])
    rows = [
        ("09162", "München", "kreisfreie_stadt", "09", None, 1510378, 48.137, 11.575),
        ("09184", "Landkreis München", "landkreis", "09", None, 350473, 48.08, 11.65),
        ("09184122", "Grünwald", "gemeinde", "09", "09184", 11300, 48.039, 11.523),
    ]
    for row in rows:
        sheet.append(list(row))
    book.save(folder / "units.xlsx")
    write(
        folder,
        {
            "scenario.yaml": """\
            format_version: 1
            units:
              file: units.xlsx
              sheet: Gemeinden
            ties:
              - {from: 09184122, to: 09184, kind: exchange}
              - {from: 09162, to: 09184, kind: service_opening}
            """,
        },
    )
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    checked = run("validate", "--strict", "xlsx")
    assert checked.exit_code == 0, checked.output
    assert f"({len(rows)} units, 2 ties, 0 flows)" in checked.stdout
    assert snapshot(tmp_path) == before

    units = netkoop.load("xlsx").units.set_index("id")
    assert list(units.index) == [row[0] for row in rows]
    assert units.loc["09162", "population"] == 1510378
    assert units.loc["09162", "lat"] == 48.137
    assert units.loc["09184122", "name"] == "Grünwald"
    assert units.loc["09184122", "parent"] == "09184"
    assert units.loc["09184122", "land"] == "09"


def test_ags_keys_keep_leading_zeros_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write(
        tmp_path / "nord",
        {
            # Flensburg (01001) is written inline and unquoted: YAML 1.1 would read 513 (octal)
            "scenario.yaml": """\
            format_version: 1
            units:
              - id: 01001
                name: Flensburg
                kind: kreisfreie_stadt
                land: 01
              - file: units.csv
            ties: {file: ties.csv}
            flows:
              - {from: 01058022, to: 01001, commuters: 1200}
              - {from: 01001, to: 01058, commuters: 800}
            """,
            "units.csv": """\
            id,name,kind,land,parent
            01058,Landkreis Rendsburg-Eckernförde,landkreis,01,
            01058022,Bordesholm,gemeinde,01,01058
            """,
            "ties.csv": """\
            from,to,kind
            01001,01058,exchange
            01058022,01058,exchange
            """,
        },
    )
    monkeypatch.chdir(tmp_path)
    checked = run("validate", "--strict", "nord")
    assert checked.exit_code == 0, checked.output

    net = netkoop.load(folder)
    units = net.units
    assert list(units["id"]) == ["01001", "01058", "01058022"]
    assert all(isinstance(v, str) for v in units["id"])
    assert list(units["land"]) == ["01", "01", "01"]
    assert units["parent"].tolist()[2] == "01058"
    assert list(net.ties["from"]) == ["01001", "01058022"]
    assert list(net.ties["to"]) == ["01058", "01058"]
    assert list(net.flows["from"]) == ["01058022", "01001"]
    assert list(net.flows["to"]) == ["01001", "01058"]
    shown = json.loads(run("info", "nord", "--format", "json").stdout)
    assert shown["units_by_land"] == {
        "01 Schleswig-Holstein": {"landkreis": 1, "kreisfreie_stadt": 1, "gemeinde": 1}
    }


def test_row_numbers_count_blank_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A blank line is a row of its own in a spreadsheet and in an editor: the bad count sits
    # on line/row 4 of the file.
    write(
        tmp_path / "leerzeile",
        {
            "scenario.yaml": SCENARIO_WITH_FILES.replace("ties: {file: ties.csv}\n", ""),
            "units.csv": "id,name,kind,land\na,A,landkreis,09\nb,B,landkreis,09\n",
            "flows.csv": "from,to,commuters\na,b,1\n\nb,a,-5\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = run("validate", "leerzeile")
    assert result.exit_code == 1, result.output
    listed = problem_lines(result.stdout)
    assert len(listed) == 1, result.stdout
    assert "leerzeile/flows.csv, row 4, field 'commuters', value '-5'" in listed[0], listed


# --- a million flows ----------------------------------------------------------------------

N_FLOWS = 1_000_000
# data position (0-based) -> bad commuters value; its row number is position + 2
BAD_FLOWS = {7: "-5", 123_456: "2.5", 999_998: "viele"}


@pytest.fixture(scope="module")
def million_flows(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two scenarios of 1,025 units and 1,000,000 distinct flows: one clean, one with 3 bad rows."""
    kreise = [f"09{100 + k:03d}" for k in range(25)]
    gemeinden = [f"{kreis}{g:03d}" for kreis in kreise for g in range(1, 41)]
    assert len(gemeinden) == 1000
    units = "id,name,kind,land,parent\n" + "".join(
        [f"{k},Landkreis {k},landkreis,09,\n" for k in kreise]
        + [f"{g},Gemeinde {g},gemeinde,09,{g[:5]}\n" for g in gemeinden]
    )
    ids = np.array(kreise + gemeinden)
    n = len(ids)
    rng = np.random.default_rng(0)
    # distinct ordered pairs without self-loops: number them 0 .. n*(n-1)-1 and draw
    pair = rng.choice(n * (n - 1), size=N_FLOWS, replace=False)
    origin = pair // (n - 1)
    dest = pair % (n - 1)
    dest = dest + (dest >= origin)
    assert len(np.unique(pair)) == N_FLOWS
    assert (origin != dest).all()
    commuters = rng.integers(0, 50_000, size=N_FLOWS).astype(str).tolist()
    good_lines = list(
        map(",".join, zip(ids[origin].tolist(), ids[dest].tolist(), commuters, strict=True))
    )
    bad_lines = list(good_lines)
    for position, value in BAD_FLOWS.items():
        bad_lines[position] = f"{ids[origin[position]]},{ids[dest[position]]},{value}"
        assert good_lines[position] != bad_lines[position]
    root = tmp_path_factory.mktemp("million")
    made = []
    for name, lines in (("sauber", good_lines), ("kaputt", bad_lines)):
        folder = write(
            root / name,
            {
                "scenario.yaml": "format_version: 1\nunits: {file: units.csv}\n"
                "flows: {file: flows.csv}\n",
                "units.csv": units,
            },
        )
        (folder / "flows.csv").write_text(
            "from,to,commuters\n" + "\n".join(lines) + "\n", encoding="utf-8"
        )
        made.append(folder)
    return made[0], made[1]


def test_million_flows_bad_rows_are_listed_by_row_number(
    million_flows: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, bad = million_flows
    monkeypatch.chdir(bad.parent)
    result = run("validate", bad.name)
    assert result.exit_code == 1, result.output[:2000]
    assert result.stdout.splitlines()[0] == f"{bad.name}/scenario.yaml: 3 errors"
    listed = problem_lines(result.stdout)
    assert len(listed) == len(BAD_FLOWS), result.stdout
    rows = {}
    for line in listed:
        match = re.search(r"kaputt/flows\.csv, row (\d+), field 'commuters', value '([^']*)'", line)
        assert match, line
        rows[int(match.group(1))] = match.group(2)
    assert rows == {position + 2: value for position, value in BAD_FLOWS.items()}


def test_million_flows_without_bad_rows_are_valid(
    million_flows: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    good, _ = million_flows
    monkeypatch.chdir(good.parent)
    result = run("validate", "--strict", good.name)
    assert result.exit_code == 0, result.output[:2000]
    assert result.stdout.strip() == (
        f"{good.name}/scenario.yaml: valid (1,025 units, 0 ties, {N_FLOWS:,} flows)"
    )
