"""validate --fix: a corrected copy of a scenario with the accidents of spreadsheets undone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import netkoop
from conftest import run_cli as run
from conftest import snapshot
from netkoop.scenario.fix import fix

#: Landkreis Hildesheim as German Excel saves it: cp1252, ';', keys that lost their zeros.
UNITS = (
    "id;name;kind;land;parent;population\n"
    "3254;Landkreis Hildesheim;Landkreis;03;;276.594\n"
    "3254021;Hildesheim;kreisangehörige Gemeinde;03;3254;101.693\n"
    "3254028.0;Sarstedt;Gemeinde;03;3254.0;19.512\n"
    "3254032;Söhlde;gemeinde;03;03254;7.911\n"
    "03241;Region Hannover;Landkreis;03;;1.171.755\n"
)
TIES = (
    "from;to;kind;intensity;funding\n"
    "3254021;3254028;Erfahrungsaustausch;regelmäßig;freiwillig\n"
    "3254021.0;Söhlde;gemeinsames Projekt;intensiv;Projektförderung\n"
    "sarstedt;03241;Personalstelle geteilt;gelegentlich;Pflichtaufgabe\n"
    "3254;3241;Austausch;;\n"
)


@pytest.fixture
def hildesheim(tmp_path: Path) -> Path:
    folder = tmp_path / "hildesheim"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(
        "# Kooperationen im Landkreis Hildesheim\nformat_version: 1\nname: hildesheim\n"
        "units: {file: kommunen.csv}\nties: {file: daten/kooperationen.csv}\n",
        "utf-8",
    )
    (folder / "kommunen.csv").write_bytes(UNITS.encode("cp1252"))
    (folder / "daten").mkdir()
    (folder / "daten" / "kooperationen.csv").write_bytes(TIES.encode("cp1252"))
    return folder


def test_the_excel_accidents_are_undone_and_the_copy_validates_cleanly(
    hildesheim: Path, tmp_path: Path
) -> None:
    before = snapshot(hildesheim)
    assert not netkoop.validate(hildesheim).ok
    fixed = fix(hildesheim, tmp_path / "korrigiert")
    assert snapshot(hildesheim) == before
    word = "netkoop's word for"
    assert [(Path(c.file).name, c.row, c.field, c.before, c.after) for c in fixed.changes] == [
        ("kooperationen.csv", 2, "from", "3254021", "03254021"),
        ("kooperationen.csv", 2, "to", "3254028", "03254028"),
        ("kooperationen.csv", 2, "kind", "Erfahrungsaustausch", "exchange"),
        ("kooperationen.csv", 2, "intensity", "regelmäßig", "regular"),
        ("kooperationen.csv", 2, "funding", "freiwillig", "voluntary"),
        ("kooperationen.csv", 3, "from", "3254021.0", "03254021"),
        ("kooperationen.csv", 3, "to", "Söhlde", "03254032"),
        ("kooperationen.csv", 3, "kind", "gemeinsames Projekt", "joint_project"),
        ("kooperationen.csv", 3, "intensity", "intensiv", "intensive"),
        ("kooperationen.csv", 3, "funding", "Projektförderung", "project"),
        ("kooperationen.csv", 4, "from", "sarstedt", "03254028"),
        ("kooperationen.csv", 4, "kind", "Personalstelle geteilt", "shared_staff"),
        ("kooperationen.csv", 4, "intensity", "gelegentlich", "occasional"),
        ("kooperationen.csv", 4, "funding", "Pflichtaufgabe", "mandatory"),
        ("kooperationen.csv", 5, "from", "3254", "03254"),
        ("kooperationen.csv", 5, "to", "3241", "03241"),
        ("kooperationen.csv", 5, "kind", "Austausch", "exchange"),
        ("kommunen.csv", 2, "id", "3254", "03254"),
        ("kommunen.csv", 2, "kind", "Landkreis", "landkreis"),
        ("kommunen.csv", 3, "id", "3254021", "03254021"),
        ("kommunen.csv", 3, "parent", "3254", "03254"),
        ("kommunen.csv", 3, "kind", "kreisangehörige Gemeinde", "gemeinde"),
        ("kommunen.csv", 4, "id", "3254028.0", "03254028"),
        ("kommunen.csv", 4, "parent", "3254.0", "03254"),
        ("kommunen.csv", 4, "kind", "Gemeinde", "gemeinde"),
        ("kommunen.csv", 5, "id", "3254032", "03254032"),
        ("kommunen.csv", 6, "kind", "Landkreis", "landkreis"),
    ]
    assert {c.why for c in fixed.changes if c.field in {"from", "to", "id", "parent"}} == {
        "the key lost its leading zero",
        "a key stored as a number",
        "the name of a unit, not its key",
    }
    assert all(c.why == f"{word} {c.before!r}" for c in fixed.changes if c.field == "kind")
    assert fixed.left == ()
    assert [note.rsplit("/", 1)[-1] for note in fixed.notes] == [
        "kommunen.csv: written as UTF-8 (it was cp1252)",
        "kooperationen.csv: written as UTF-8 (it was cp1252)",
    ]
    result = netkoop.validate(fixed.scenario)
    assert [str(p) for p in result.problems] == []
    net = netkoop.load(fixed.scenario)
    assert net.units["id"].tolist() == ["03254", "03254021", "03254028", "03254032", "03241"]
    assert net.units["population"].tolist() == [276594, 101693, 19512, 7911, 1171755]
    assert net.ties[["from", "to", "kind"]].to_numpy().tolist() == [
        ["03254021", "03254028", "exchange"],
        ["03254021", "03254032", "joint_project"],
        ["03254028", "03241", "shared_staff"],
        ["03254", "03241", "exchange"],
    ]
    copy = tmp_path / "korrigiert"
    assert (copy / "scenario.yaml").read_bytes() == (hildesheim / "scenario.yaml").read_bytes()
    written = (copy / "kommunen.csv").read_bytes()
    assert written.startswith("\ufeff".encode())  # UTF-8 with BOM, which Excel reads as such
    assert written.decode("utf-8-sig").splitlines()[1:3] == [
        "03254;Landkreis Hildesheim;landkreis;03;;276.594",
        "03254021;Hildesheim;gemeinde;03;03254;101.693",
    ]


def test_a_workbook_keeps_its_sheets_and_gets_text_keys(tmp_path: Path) -> None:
    folder = tmp_path / "mappe"
    folder.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kommunen"
    sheet.append(["id", "name", "kind", "land"])
    sheet.append([9162, "München", "Kreisfreie Stadt", "09"])
    sheet.append([9184, "Landkreis München", "Landkreis", "09"])
    book.create_sheet("Notizen").append(["bleibt wie es ist"])
    sheet["A1"].font = openpyxl.styles.Font(bold=True)
    book.save(folder / "kommunen.xlsx")
    (folder / "scenario.yaml").write_text(
        "format_version: 1\nunits: {file: kommunen.xlsx, sheet: Kommunen}\n"
        "ties:\n  - {from: '09162', to: '09184', kind: Austausch}\n",
        "utf-8",
    )
    fixed = fix(folder, tmp_path / "neu")
    assert [(c.row, c.field, c.before, c.after) for c in fixed.changes] == [
        (2, "id", "9162", "09162"),
        (2, "kind", "Kreisfreie Stadt", "kreisfreie_stadt"),
        (3, "id", "9184", "09184"),
        (3, "kind", "Landkreis", "landkreis"),
    ]
    # The inline row is not edited; what it needs is said.
    assert [left.split("scenario.yaml, ", 1)[1] for left in fixed.left] == [
        "line 4, field 'kind': write 'exchange' for 'Austausch' (netkoop's word for "
        "'Austausch'); rows written in the scenario file not edited"
    ]
    copy = openpyxl.load_workbook(tmp_path / "neu" / "kommunen.xlsx")
    assert copy.sheetnames == ["Kommunen", "Notizen"]
    assert copy["Kommunen"]["A2"].value == "09162"
    assert copy["Kommunen"]["A2"].number_format == "@"
    assert copy["Kommunen"]["A1"].font.bold
    assert copy["Notizen"]["A1"].value == "bleibt wie es ist"
    assert netkoop.validate(fixed.scenario).ok


def test_the_command_lists_each_change_and_validates_the_copy(
    hildesheim: Path, tmp_path: Path
) -> None:
    before = snapshot(hildesheim)
    result = run("validate", hildesheim, "--fix", tmp_path / "korrigiert")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Wrote {tmp_path / 'korrigiert' / 'scenario.yaml'}: 27 changes"
    assert any(
        line.endswith(
            "kooperationen.csv, row 3, field 'to': 'Söhlde' → '03254032' (the name of a unit, not its key)"
        )
        for line in lines
    )
    assert lines[-1].endswith("scenario.yaml: valid (5 units, 4 ties, 0 flows)")
    assert snapshot(hildesheim) == before


def test_fix_writes_only_into_a_new_or_empty_folder_and_never_over_the_input(
    hildesheim: Path, tmp_path: Path
) -> None:
    before = snapshot(hildesheim)
    for target in (hildesheim, hildesheim / "daten", hildesheim / "scenario.yaml"):
        result = run("validate", hildesheim, "--fix", target)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ")
        assert len(result.output.splitlines()) == 1
    assert snapshot(hildesheim) == before
    two = run("validate", hildesheim, hildesheim, "--fix", tmp_path / "x")
    assert two.exit_code == 2
    assert "--fix corrects one scenario at a time" in two.output


def test_a_table_outside_the_scenario_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "daten.csv").write_text("id,name,kind,land\n09162,München,kreisfreie_stadt,09\n")
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(
        "format_version: 1\nfiles_outside: true\nunits: {file: ../daten.csv}\n", "utf-8"
    )
    result = run("validate", folder, "--fix", tmp_path / "neu")
    assert result.exit_code == 1
    assert "daten.csv lies outside the folder of" in result.output
    assert not (tmp_path / "neu").exists()


def test_a_scenario_that_extends_a_bundled_one_is_copied_without_it(tmp_path: Path) -> None:
    folder = tmp_path / "mehr"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(
        "format_version: 1\nextends: beispielregion\nties: {file: neu.csv}\n", "utf-8"
    )
    (folder / "neu.csv").write_text(
        "from,to,kind,intensity\nMusterstadt,lk-nord,gemeinsames Projekt,regelmäßig\n", "utf-8"
    )
    fixed = fix(folder, tmp_path / "korrigiert")
    assert [(c.row, c.field, c.before, c.after) for c in fixed.changes] == [
        (2, "from", "Musterstadt", "musterstadt"),
        (2, "kind", "gemeinsames Projekt", "joint_project"),
        (2, "intensity", "regelmäßig", "regular"),
    ]
    assert sorted(p.name for p in (tmp_path / "korrigiert").iterdir()) == [
        "neu.csv",
        "scenario.yaml",
    ]
    net = netkoop.load(fixed.scenario)
    assert ("musterstadt", "lk-nord", "joint_project") in set(
        zip(net.ties["from"], net.ties["to"], net.ties["kind"], strict=True)
    )
