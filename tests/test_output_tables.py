"""Tables that open right in the programs people use: CSV for German Excel, workbooks, provenance.

The scenario is three Kreise of Schleswig-Holstein written here, so that every expected value
is worked out by hand: Lübeck (01003, kreisfreie Stadt) tied to Herzogtum Lauenburg (01053),
which is tied to Stormarn (01062); 1,000 commuters from Stormarn to Lübeck, 500 back, 300 from
Herzogtum Lauenburg to Lübeck. Two of the three pairs have commuters, 1,800 in all; only the
300 of Lübeck and Herzogtum Lauenburg travel between tied units: coverage 300 / 1,800 = 1/6.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from pathlib import Path

import igraph
import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

import netkoop
from conftest import assert_one_error_line, snapshot
from conftest import run_cli as run
from netkoop.model.labels import column_label, measure_label, table_label
from netkoop.output.tables import csv_text, flat, sheet_names

ScenarioWriter = Callable[..., Path]

BOM = b"\xef\xbb\xbf"

KREISE = """
    name: kreise-sh
    units:
      - {id: "01003", name: Lübeck, kind: kreisfreie_stadt, land: "01"}
      - {id: "01053", name: Herzogtum Lauenburg, kind: landkreis, land: "01"}
      - {id: "01062", name: Stormarn, kind: landkreis, land: "01"}
    ties:
      - {from: "01003", to: "01053", kind: exchange, funding: voluntary}
      - {from: "01053", to: "01062", kind: joint_project, funding: mandatory}
    flows:
      - {from: "01062", to: "01003", commuters: 1000}
      - {from: "01003", to: "01062", commuters: 500}
      - {from: "01053", to: "01003", commuters: 300}
    """


@pytest.fixture
def kreise(write_scenario: ScenarioWriter) -> Path:
    return write_scenario(KREISE, folder="kreise")


@pytest.fixture
def verbund(kreise: Path, write_scenario: ScenarioWriter) -> Path:
    """The three Kreise with the missing tie of Lübeck and Stormarn added."""
    return write_scenario(
        """
        name: kreise-verbund
        extends: ../kreise/scenario.yaml
        interventions:
          - do: add_ties
            rows: [{from: "01003", to: "01062", kind: exchange}]
        """,
        folder="verbund",
    )


@pytest.fixture
def krise(kreise: Path, write_scenario: ScenarioWriter) -> Path:
    """The three Kreise with a budget shock that may cut the voluntary tie."""
    return write_scenario(
        """
        name: kreise-krise
        extends: ../kreise/scenario.yaml
        interventions:
          - {do: budget_shock, voluntary: 0.5}
        """,
        folder="krise",
    )


def ok(*args: str | Path) -> None:
    result = run(*args, "-q")
    assert result.exit_code == 0, result.output


def sheet_rows(sheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- CSV for German Excel ---------------------------------------------------------------------


def test_excel_de_csv_opens_in_that_dialect_with_umlauts_keys_and_numbers(
    kreise: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bericht"
    ok("metrics", kreise, "--metric", "structure,gap", "-o", out, "--csv", "excel-de")
    raw = (out / "gap_uncovered.csv").read_bytes()
    assert raw.startswith(BOM + b"unit_a;name_a;unit_b;name_b;")  # BOM, ';', English names
    assert raw.count(b"\r\n") == 2
    assert raw.count(b"\n") == 2
    uncovered = pd.read_csv(
        out / "gap_uncovered.csv",
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"unit_a": str, "unit_b": str},
    )
    # A Landkreis comes before a kreisfreie Stadt: Stormarn is unit a, Lübeck unit b.
    row = uncovered.iloc[0]
    assert (row["unit_a"], row["name_a"], row["unit_b"], row["name_b"]) == (
        "01062",
        "Stormarn",
        "01003",
        "Lübeck",
    )
    assert (row["a_to_b"], row["b_to_a"], row["commuters"]) == (1000, 500, 1500)

    by_type = pd.read_csv(out / "gap_by_type.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert by_type.to_dict("records") == [
        {
            "pair_type": "landkreis–kreisfreie_stadt",
            "pairs": 2,
            "pairs_tied": 1,
            "commuters": 1800,
            "commuters_tied": 300,
            "coverage": pytest.approx(1 / 6),
        }
    ]
    # The values table mixes text and numbers; its numbers have decimal commas too.
    values = (out / "values.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert values[0] == "measure;value"
    assert "structure.density;0,6666666666666666" in values  # 2 ties of 3 possible pairs
    assert "gap.coverage;0,16666666666666666" in values
    assert "gap.column;commuters" in values


def test_standard_csv_stays_as_programs_read_it(kreise: Path, tmp_path: Path) -> None:
    out = tmp_path / "bericht"
    ok("metrics", kreise, "--metric", "gap", "-o", out)
    raw = (out / "gap_by_type.csv").read_bytes()
    assert (
        raw
        == (
            "pair_type,pairs,pairs_tied,commuters,commuters_tied,coverage\n"
            "landkreis–kreisfreie_stadt,2,1,1800,300,0.16666666666666666\n"
        ).encode()
    )


def test_the_setting_chooses_the_dialect_and_the_option_wins(
    kreise: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETKOOP_CSV", "excel-de")
    ok("recommend", kreise, "-k", "1", "--output", tmp_path / "de.csv")
    ok("recommend", kreise, "-k", "1", "--output", tmp_path / "std.csv", "--csv", "standard")
    german = (tmp_path / "de.csv").read_bytes()
    assert german.startswith(BOM + b"from;to;kind;")
    # Lübeck and Stormarn: 1,500 commuters, then all 1,800 covered.
    assert (
        german.decode("utf-8-sig")
        .splitlines()[1]
        .startswith("01003;01062;exchange;Lübeck;Stormarn;kreisfreie_stadt;landkreis;1500;1,0;")
    )
    plain = (tmp_path / "std.csv").read_text("utf-8").splitlines()
    assert plain[1].startswith("01003,01062,exchange,Lübeck,Stormarn,kreisfreie_stadt,")
    monkeypatch.setenv("NETKOOP_CSV", "excel")
    result = run("recommend", kreise, "--output", tmp_path / "x.csv")
    assert result.exit_code == 2
    assert "NETKOOP_CSV" in result.stderr
    assert "'excel' is not one of" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_formulas_are_escaped_in_every_dialect() -> None:
    table = pd.DataFrame({"name": ["=1+1", "-3,5", "Groß Grönau"], "share": [0.5, 1.0, 2.25]})
    assert csv_text(table) == 'name,share\n\'=1+1,0.5\n"-3,5",1.0\nGroß Grönau,2.25\n'
    assert csv_text(table, "excel-de") == (
        "\ufeffname;share\r\n'=1+1;0,5\r\n-3,5;1,0\r\nGroß Grönau;2,25\r\n"
    )


# --- no unnamed index columns -------------------------------------------------------------------


def test_no_csv_netkoop_writes_has_an_unnamed_column(
    kreise: Path, verbund: Path, krise: Path, tmp_path: Path
) -> None:
    ok("metrics", kreise, "-o", tmp_path / "metrics")
    ok("compare", kreise, verbund, "-o", tmp_path / "compare")
    ok("simulate", krise, "--runs", "3", "-o", tmp_path / "simulate")
    ok("recommend", kreise, "--output", tmp_path / "rec.csv", "--csv", "excel-de")
    files = sorted(tmp_path.rglob("*.csv"))
    assert len(files) > 20
    for path in files:
        german = path.read_bytes().startswith(BOM)
        table = pd.read_csv(path, sep=";" if german else ",", encoding="utf-8-sig")
        assert not [c for c in table.columns if c.startswith("Unnamed")], path
    # The tables whose rows are positions start with their first real column.
    assert (tmp_path / "metrics" / "gap_uncovered.csv").read_text("utf-8").startswith("unit_a,")
    assert (tmp_path / "compare" / "ties_added.csv").read_text("utf-8").startswith("from,to,")
    assert (tmp_path / "simulate" / "runs.csv").read_text("utf-8").startswith("scenario,run,")
    # A meaningful index is a named column.
    assert (tmp_path / "compare" / "units.csv").read_text("utf-8").startswith("id,name,kind,")
    summary = (tmp_path / "simulate" / "summary.csv").read_text("utf-8")
    assert summary.startswith("scenario,measure,before,")


def test_flat_names_or_drops_the_index() -> None:
    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert flat(frame[frame["x"] > 1]).columns.tolist() == ["x"]  # positions 1, 2 dropped
    named = frame.set_axis(pd.Index(["a", "b", "c"], name="id"))
    assert flat(named).columns.tolist() == ["id", "x"]
    two = frame.set_axis(pd.MultiIndex.from_tuples([("s", "m")] * 3, names=["scenario", None]))
    assert flat(two).columns.tolist() == ["scenario", "level_1", "x"]
    assert flat(frame.set_axis(["a", "b", "c"])).columns.tolist() == ["index", "x"]


# --- workbooks ----------------------------------------------------------------------------------


def test_metrics_workbook_in_german_ready_to_read(kreise: Path, tmp_path: Path) -> None:
    target = tmp_path / "bericht.xlsx"
    ok("metrics", kreise, "-o", target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Überblick"
    assert book.sheetnames[-1] == "Metadaten"
    assert {"Struktur je Einheit", "Pendler ohne Verbindung", "Gruppen und Kreise"} <= set(
        book.sheetnames
    )
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2", sheet.title
        header = sheet_rows(sheet)[0]
        assert None not in header, sheet.title
        assert "" not in header, sheet.title
        assert sheet.auto_filter.ref.startswith("A1:")

    overview = book["Überblick"]
    rows = {row[0]: row[1] for row in sheet_rows(overview)}
    assert rows["Kennzahl"] == "Wert"
    assert rows["Verbindungen"] == 2  # structure.ties, a number
    assert rows["Dichte"] == pytest.approx(2 / 3)
    assert rows["Anteil Pendler mit Verbindung"] == pytest.approx(1 / 6)  # gap.coverage

    units = book["Struktur je Einheit"]
    header = sheet_rows(units)[0]
    assert header[:4] == ["Schlüssel", "Verbindungen", "Partner", "Verbindungen gewichtet"]
    assert units.auto_filter.ref == "A1:K4"  # key + 10 measures, header + 3 units
    widths = [units.column_dimensions[letter].width for letter in "ABCDEFGHIJK"]
    assert all(8 <= width <= 50 for width in widths)
    # Ordered by betweenness: Herzogtum Lauenburg lies between the other two.
    key, degree = units["A2"], units["B2"]
    assert (key.value, key.data_type, key.number_format) == ("01053", "s", "@")
    assert (degree.value, degree.number_format) == (2, "General")
    assert {units.cell(row=r, column=1).value for r in (2, 3, 4)} == {"01003", "01053", "01062"}

    gap = book["Pendler ohne Verbindung"]
    assert sheet_rows(gap)[0][:4] == ["Einheit A", "Name A", "Einheit B", "Name B"]
    assert sheet_rows(gap)[1][:8] == [
        "01062",
        "Stormarn",
        "01003",
        "Lübeck",
        "Landkreis–kreisfreie Stadt",  # the pair type in words; CSV keeps landkreis–kreisfreie_stadt
        1000,
        500,
        1500,
    ]
    assert gap["A2"].number_format == "@"
    assert gap["C2"].number_format == "@"
    assert gap.auto_filter.ref == "A1:I2"


def test_metrics_workbook_in_english_with_lang_en(kreise: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    ok("metrics", kreise, "--metric", "structure", "-o", target, "--lang", "en")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Overview",
        "Structure by unit",
        "Structure by tie kind",
        "Bridges",
        "About",
    ]
    assert sheet_rows(book["Overview"])[:3] == [["measure", "value"], ["units", 3], ["ties", 2]]
    assert sheet_rows(book["Structure by unit"])[0][:3] == ["key", "ties", "partners"]


def test_metadata_sheet_and_json_record_versions_seed_and_options(
    kreise: Path, tmp_path: Path
) -> None:
    versions = {
        "netkoop": netkoop.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "networkx": nx.__version__,
        "igraph": igraph.__version__,
    }
    common = ("metrics", kreise, "--metric", "kreis", "--seed", "7", "--permutations", "50")
    ok(*common, "-o", tmp_path / "r.xlsx")
    about = dict(sheet_rows(openpyxl.load_workbook(tmp_path / "r.xlsx")["Metadaten"]))
    assert about["Angabe"] == "Wert"
    assert about["Bericht"] == "kreise-sh"
    assert about["netkoop-Version"] == netkoop.__version__
    assert about["Python-Version"] == platform.python_version()
    assert about["pandas-Version"] == pd.__version__
    assert about["igraph-Version"] == igraph.__version__
    assert about["Startwert (--seed)"] == 7
    assert about["Permutationen (--permutations)"] == 50
    assert about["Kennzahlfamilien (--metric)"] == "kreis"

    ok(*common, "-o", tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert list(data) == ["name", "values", "tables", "provenance"]  # old keys where they were
    made = data["provenance"]
    assert made["versions"] == versions
    assert made["seed"] == 7
    assert made["options"]["permutations"] == 50
    assert made["options"]["metrics"] == ["kreis"]
    assert made["options"]["scenario"] == str(kreise)
    assert "ties" not in made["options"]  # not given


def test_key_cells_stay_text_in_every_table_with_keys(kreise: Path, tmp_path: Path) -> None:
    ok("metrics", kreise, "-o", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    keys = {"Schlüssel", "von", "nach", "Kreis", "Einheit A", "Einheit B"}
    seen = 0
    for sheet in book.worksheets:
        header = sheet_rows(sheet)[0]
        for number, name in enumerate(header, start=1):
            if name not in keys:
                continue
            for row in range(2, sheet.max_row + 1):
                cell = sheet.cell(row=row, column=number)
                if cell.value is not None:
                    assert isinstance(cell.value, str)
                    assert cell.value.startswith("010")
                    assert cell.number_format == "@", (sheet.title, name)
                    seen += 1
    assert seen >= 12


def test_recommend_writes_a_workbook(kreise: Path, tmp_path: Path) -> None:
    target = tmp_path / "empfehlungen.xlsx"
    ok("recommend", kreise, "-k", "1", "--output", target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Empfohlene Verbindungen", "Metadaten"]
    ties = book["Empfohlene Verbindungen"]
    rows = sheet_rows(ties)
    assert rows[0][:8] == ["von", "nach", "Art", "Name von", "Name nach", "Art von", "Art nach",
                           "Pendler"]  # fmt: skip
    assert rows[1][:9] == ["01003", "01062", "Erfahrungsaustausch", "Lübeck", "Stormarn",
                           "kreisfreie Stadt", "Landkreis", 1500, 1.0]  # fmt: skip
    assert ties["A2"].number_format == ties["B2"].number_format == "@"
    assert ties.freeze_panes == "A2"
    assert ties.auto_filter.ref == "A1:M2"
    about = dict(sheet_rows(book["Metadaten"]))
    assert about["Szenario"] == "kreise-sh"
    assert about["Anzahl (-k)"] == 1
    assert about["Ziel (--objective)"] == "commuter-coverage"
    assert about["netkoop-Version"] == netkoop.__version__

    english = tmp_path / "rec.xlsx"
    ok("recommend", kreise, "-k", "1", "--output", english, "--lang", "en")
    assert openpyxl.load_workbook(english).sheetnames == ["Recommended ties", "About"]
    # JSON records stay a list that programs read as before.
    ok("recommend", kreise, "-k", "1", "--output", tmp_path / "rec.json")
    records = json.loads((tmp_path / "rec.json").read_text("utf-8"))
    assert [(r["from"], r["to"], r["commuters"]) for r in records] == [("01003", "01062", 1500)]


def test_a_workbook_cannot_go_to_standard_output(kreise: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    result = run("recommend", kreise, "--format", "xlsx", "--output", "-")
    assert_one_error_line(result, problems_allowed=False)
    assert "an xlsx table cannot go to standard output; name a file" in result.stderr
    assert snapshot(tmp_path) == before


def test_compare_workbook_labels_measures_and_sheets(
    kreise: Path, verbund: Path, tmp_path: Path
) -> None:
    target = tmp_path / "vergleich.xlsx"
    ok("compare", kreise, verbund, "--metric", "structure", "-o", target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Überblick",
        "Kennzahlen",
        "Einheiten",
        "Neue Verbindungen",
        "Entfernte Verbindungen",
        "Neue Einheiten",
        "Entfernte Einheiten",
        "Metadaten",
    ]
    measures = {row[0]: row[1:] for row in sheet_rows(book["Kennzahlen"])}
    assert measures["Kennzahl"] == ["Basis", "Was-wäre-wenn", "Differenz"]
    assert measures["Verbindungen"] == [2, 3, 1]  # structure.ties: one tie added
    assert measures["Komponenten"] == [1, 1, 0]
    added = sheet_rows(book["Neue Verbindungen"])
    assert added[0][:5] == ["von", "nach", "Art", "Name von", "Name nach"]
    assert added[1][:5] == ["01003", "01062", "Erfahrungsaustausch", "Lübeck", "Stormarn"]
    units = sheet_rows(book["Einheiten"])
    assert units[0][:5] == ["Schlüssel", "Name", "Art", "Status", "Verbindungen (Basis)"]
    about = dict(sheet_rows(book["Metadaten"]))
    assert (about["Basis"], about["Was-wäre-wenn"]) == (str(kreise), str(verbund))
    assert about["Startwert (--seed)"] == 0


def test_simulate_workbook_and_json_record_the_seed_and_runs(krise: Path, tmp_path: Path) -> None:
    ok("simulate", krise, "--runs", "3", "--seed", "5", "-o", tmp_path / "sim.xlsx")
    book = openpyxl.load_workbook(tmp_path / "sim.xlsx")
    assert book.sheetnames == ["Überblick", "Zusammenfassung", "Einheiten", "Läufe", "Metadaten"]
    summary = sheet_rows(book["Zusammenfassung"])
    assert summary[0][:4] == ["Szenario", "Kennzahl", "vorher", "Mittelwert"]
    before = {row[1]: row[2] for row in summary[1:]}
    assert before["Verbindungen"] == 2  # ties before the shock
    about = dict(sheet_rows(book["Metadaten"]))
    assert about["Startwert (--seed)"] == 5
    assert about["Läufe je Szenario (--runs)"] == 3

    ok("simulate", krise, "--runs", "3", "--seed", "5", "-o", tmp_path / "sim.json")
    made = json.loads((tmp_path / "sim.json").read_text("utf-8"))["provenance"]
    assert made["seed"] == 5
    assert made["options"]["runs"] == 3
    assert made["options"]["scenarios"] == ["kreise-krise"]
    assert "jobs" not in made["options"]  # the workers change nothing


# --- names ---------------------------------------------------------------------------------------


def test_sheet_names_are_valid_and_distinct() -> None:
    names = sheet_names(
        ["a[b]:c*d?e/f\\g", "'Zitat'", "x" * 40, "x" * 40, "Überblick", "ÜBERBLICK", ""]
    )
    assert names == [
        "a-b--c-d-e-f-g",
        "Zitat",
        "x" * 31,
        "x" * 27 + " (2)",
        "Überblick",
        "ÜBERBLICK (2)",
        "Tabelle",
    ]
    assert all(len(name) <= 31 for name in names)


def test_labels_fall_back_to_the_name() -> None:
    assert column_label("auslaender") == "auslaender"
    assert column_label("auslaender", "en") == "auslaender"
    assert measure_label("survey.responses") == "survey.responses"
    assert table_label("my_table") == "my_table"
    assert column_label("betweenness_difference") == "Zwischenzentralität (Differenz)"
    assert column_label("landkreis", "en") == "Landkreis"  # a kind as a column: domain term
    assert column_label("gemeinde") == "kreisangehörige Gemeinde"


def test_unknown_language_and_dialect_are_refused(kreise: Path, tmp_path: Path) -> None:
    report = netkoop.metrics.metrics_report(netkoop.load(kreise), metrics=["structure"])
    with pytest.raises(netkoop.OutputError, match=r"unknown language 'fr'; languages: de, en"):
        report.write(tmp_path / "r.xlsx", lang="fr")
    with pytest.raises(netkoop.OutputError, match=r"unknown CSV dialect 'excel'; dialects: "):
        report.write(tmp_path / "r", csv="excel")
    assert list(tmp_path.iterdir()) == [tmp_path / "kreise"]


def test_a_column_of_counts_under_a_keys_name_stays_numbers(tmp_path: Path) -> None:
    """The mixing table has a column per unit kind; the one for Länder is called "land"."""
    from netkoop.metrics import metrics_report

    report = metrics_report(netkoop.load("beispielregion"), metrics=["mixing"])
    target = tmp_path / "r.xlsx"
    report.write(target)
    sheet = openpyxl.load_workbook(target)["Verbindungen nach Arten"]
    header = [cell.value for cell in sheet[1]]
    land = header.index("Land") + 1
    cells = [sheet.cell(row=row, column=land) for row in range(2, sheet.max_row + 1)]
    assert cells
    assert all(isinstance(cell.value, int) for cell in cells), [c.value for c in cells]
    assert all(cell.number_format != "@" for cell in cells)
