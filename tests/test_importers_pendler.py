"""BA Pendlerstatistik exports and generic origin–destination tables read as flows."""

from __future__ import annotations

import csv
import gzip
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import netkoop
from netkoop import DataFileError
from netkoop.importers import Imported, import_into
from netkoop.importers.pendler import BA_CREDIT, read_od, read_pendler

BREAKDOWNS = ["maenner", "frauen", "deutsche", "auslaender", "azubis"]
COLUMNS = ["from", "to", "commuters", *BREAKDOWNS]

HEADER_AUS = (
    '"Wohnort";"Regionalschlüssel";"Arbeitsort";"Regionalschlüssel";"Insgesamt";"Männer";'
    '"Frauen";"Deutsche";"Ausländer";"Auszubildende"'
)
HEADER_EIN = HEADER_AUS.replace('"Wohnort"', '"X"').replace('"Arbeitsort"', '"Wohnort"')
HEADER_EIN = HEADER_EIN.replace('"X"', '"Arbeitsort"')

META = """\
"Land";"Bayern"
"Kreis";"Alle"
"";""
"Regionale Ebene";"Kreise"
"Gebietsstand";"Juni 2023"
"Berichtsmonat";"{month}"
"Datenstand";"Januar 2024"
"Hinweise";"In den Pendlerangaben sind nur regional zuordenbare Fälle enthalten. Regionen, \
deren Pendlerzahl insgesamt kleiner 10 ist, werden als „Übrige“ zu der nächsthöheren Ebene \
zusammengefasst."
""
""
"Thema:";"{topic} Kreise"
"""

FOOTER = """\
""
"Exportdatum: ";"15.07.2024";"23:9:10"
"© Statistik der Bundesagentur für Arbeit"
"Die Produkte unterliegen dem Urheberrecht. Daten und Tabellen dürfen uneingeschränkt \
verwendet werden."
"""

#: An Auspendler table as BA exports it: dots group thousands, "*" marks suppressed values.
ORIGINAL_AUS_ROWS = """\
"Landkreis München";"09184";"Auspendler insgesamt";"0";"181.230";"98.410";"82.820";"157.030";"24.200";"4.560"
"Landkreis München";"09184";"München, Landeshauptstadt";"09162";"71.660";"38.120";"33.540";"62.540";"9.120";"1.710"
"Landkreis München";"09184";"Übrige Kreise (Regierungsbezirk)";"031xx";"20";"10";"10";"20";"0";"0"
"Landkreis München";"09184";"Freising";"09178";"5.430";"*";"2.100";"*";"*";"120"
"Landkreis München";"09184";"Dachau";"09174";"*";"*";"*";"*";"*";"*"
"Landkreis München";"09184";"Österreich";"A";"40";"20";"20";"10";"30";"0"
"München, Landeshauptstadt";"09162";"Auspendler insgesamt";"0";"201.340";"110.220";"91.120";"165.010";"36.330";"5.020"
"München, Landeshauptstadt";"09162";"Landkreis München";"09184";"30.440";"16.010";"14.430";"26.230";"4.210";"870"
"""

EXPECTED_AUS = [
    ("09184", "09162", 71660, 38120, 33540, 62540, 9120, 1710),
    ("09184", "09178", 5430, None, 2100, None, None, 120),
    ("09162", "09184", 30440, 16010, 14430, 26230, 4210, 870),
]


def ba_export(
    rows: str,
    *,
    topic: str = "Auspendler",
    month: str = "Juni 2023",
    meta: str | None = None,
    footer: str = FOOTER,
) -> str:
    """The text of a BA export around the given data rows."""
    header = HEADER_AUS if topic == "Auspendler" else HEADER_EIN
    head = META.format(month=month, topic=topic) if meta is None else meta
    return f"{head}{header}\n{rows}{footer}"


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def as_tuples(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in frame[COLUMNS].itertuples(index=False)
    ]


@cache
def read_cached(*paths: Path) -> Imported:
    return read_pendler(paths)


def ba_files(shared: Path, direction: str) -> list[Path]:
    files = sorted((shared / "ba-pendler-2023" / direction).glob("*.csv.gz"))
    assert len(files) == 16
    return files


def derived_flows(shared: Path) -> dict[tuple[str, str], tuple[int, ...]]:
    with gzip.open(
        shared / "derived" / "pendler_kreise_od.csv.gz", "rt", encoding="utf-8", newline=""
    ) as f:
        return {
            (r["wohnort_kreis"], r["arbeitsort_kreis"]): (
                int(r["insgesamt"]),
                *(int(r[c]) for c in BREAKDOWNS),
            )
            for r in csv.DictReader(f)
        }


def flow_dict(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[int, ...]]:
    return {(row[0], row[1]): tuple(int(v) for v in row[2:]) for row in as_tuples(frame)}


# --- the official exports ---------------------------------------------------------------------


def test_all_auspendler_files_give_the_derived_flows(official):
    imported = read_cached(*ba_files(official, "Auspendler"))
    frame = imported.frame
    assert imported.table == "flows"
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 46_991
    assert frame["commuters"].sum() == 13_459_370
    assert all(str(frame[c].dtype) == "Int64" for c in COLUMNS[2:])
    assert frame["from"].str.fullmatch(r"\d{5}").all()
    assert frame["to"].str.fullmatch(r"\d{5}").all()
    assert flow_dict(frame) == derived_flows(official)
    assert imported.reference_date == "2023-06-30"
    assert imported.credits == (BA_CREDIT,)
    assert BA_CREDIT.credit == "© Statistik der Bundesagentur für Arbeit"
    assert "skipped 400 totals rows" in " ".join(imported.notes)


def test_all_32_files_count_each_pair_once(official):
    files = ba_files(official, "Auspendler") + ba_files(official, "Einpendler")
    imported = read_pendler(files)
    frame = imported.frame
    assert len(frame) == 46_991
    assert not frame.duplicated(["from", "to"]).any()
    assert frame["commuters"].sum() == 13_459_370
    assert flow_dict(frame) == derived_flows(official)
    flows = frame.set_index(["from", "to"])["commuters"]
    assert flows[("09184", "09162")] == 71_660  # Landkreis München -> München
    assert flows[("03459", "03404")] == 32_650  # Landkreis Osnabrück -> Osnabrück
    notes = " ".join(imported.notes)
    assert "46,991 pairs came from both" in notes
    assert "skipped 800 totals rows" in notes
    assert "'Übrige Kreise' rows" in notes
    assert "rows with residence or workplace abroad" in notes


def test_einpendler_files_alone_and_a_folder(official):
    ein = read_cached(*ba_files(official, "Einpendler")).frame
    aus = read_cached(*ba_files(official, "Auspendler")).frame
    assert flow_dict(ein) == flow_dict(aus)
    calls = []
    folder = read_pendler(  # both subfolders, 32 files
        official / "ba-pendler-2023", progress=lambda steps, of: calls.append((steps, of))
    )
    assert len(folder.frame) == 46_991
    assert "read 46,991 flows from 32 file(s)" in folder.notes
    assert calls == [(0, 32)] + [(1, 32)] * 32  # told once the folder is listed, then per file


def test_import_into_a_scenario_of_the_400_kreise(official, tmp_path):
    with gzip.open(official / "derived" / "kreise.csv.gz", "rt", encoding="utf-8", newline="") as f:
        units = pd.DataFrame(
            [
                {"id": r["kreis_ags"], "name": r["name"], "kind": r["kind"], "land": r["land_code"]}
                for r in csv.DictReader(f)
            ]
        )
    folder = tmp_path / "deutschland"
    netkoop.Network.from_tables(units).save(folder)
    import_into(folder, read_cached(*ba_files(official, "Auspendler")))
    net = netkoop.load(folder)
    assert len(net.units) == 400
    assert len(net.flows) == 46_991
    assert net.flows["commuters"].sum() == 13_459_370
    assert list(net.flows.columns) == COLUMNS
    assert BA_CREDIT in net.metadata.sources
    assert net.metadata.reference_date == "2023-06-30"


# --- hand-made exports ------------------------------------------------------------------------


def test_original_style_export_in_cp1252(tmp_path):
    path = write(tmp_path / "aus.csv", ba_export(ORIGINAL_AUS_ROWS), encoding="cp1252")
    imported = read_pendler([path])
    assert as_tuples(imported.frame) == EXPECTED_AUS
    assert imported.reference_date == "2023-06-30"
    notes = imported.notes
    assert "skipped 2 totals rows ('Aus-/Einpendler insgesamt')" in notes
    assert any(n.startswith("skipped 1 'Übrige Kreise' rows") for n in notes)
    assert "skipped 1 rows with residence or workplace abroad" in notes
    assert "skipped 1 rows whose Insgesamt is suppressed ('*')" in notes
    assert "3 suppressed ('*') breakdown values are missing" in notes
    assert "0 pairs came from both an Einpendler and an Auspendler table (agreeing)" in notes


def test_header_is_found_by_content_and_stichtag_gives_the_date(tmp_path):
    meta = '"Thema:";"Auspendler Kreise"\n"Stichtag";"30.09.2022"\n\n'
    text = ba_export(ORIGINAL_AUS_ROWS, meta=meta, footer="")
    imported = read_pendler([write(tmp_path / "aus.csv", text, encoding="utf-8")])
    assert as_tuples(imported.frame) == EXPECTED_AUS
    assert imported.reference_date == "2022-09-30"


def test_einpendler_fills_suppressed_breakdowns_and_counts_pairs_once(tmp_path):
    aus = write(tmp_path / "aus.csv", ba_export(ORIGINAL_AUS_ROWS), encoding="cp1252")
    ein_rows = """\
"München, Landeshauptstadt";"9162";"Einpendler insgesamt";"0";"412.300";"1";"1";"1";"1";"1"
"München, Landeshauptstadt";"9162";"Landkreis München";"9184";"71.660";"38.120";"*";"62.540";"9.120";"1.710"
"München, Landeshauptstadt";"9162";"Polen";"PL";"120";"100";"20";"0";"120";"0"
"Freising";"09178";"Landkreis München";"09184";"5.430";"3.330";"2.100";"4.900";"530";"120"
"Freising";"09178";"Übrige Kreise (Land)";"09xxx";"20";"10";"10";"20";"0";"0"
"""
    ein = write(tmp_path / "ein.csv", ba_export(ein_rows, topic="Einpendler"))
    imported = read_pendler([aus, ein])
    assert as_tuples(imported.frame) == [
        EXPECTED_AUS[0],
        ("09184", "09178", 5430, 3330, 2100, 4900, 530, 120),
        EXPECTED_AUS[2],
    ]
    notes = imported.notes
    assert "2 pairs came from both an Einpendler and an Auspendler table (agreeing)" in notes
    assert "skipped 3 totals rows ('Aus-/Einpendler insgesamt')" in notes
    assert "skipped 2 rows with residence or workplace abroad" in notes
    assert any(n.startswith("skipped 2 'Übrige Kreise' rows") for n in notes)


def test_ein_and_aus_disagreement_names_the_pair_files_rows_and_values(tmp_path):
    aus = write(tmp_path / "aus.csv", ba_export(ORIGINAL_AUS_ROWS), encoding="cp1252")
    ein_rows = '"München";"09162";"Landkreis München";"09184";"71.670";"1";"1";"1";"1";"1"\n'
    ein = write(tmp_path / "ein.csv", ba_export(ein_rows, topic="Einpendler"))
    with pytest.raises(DataFileError) as caught:
        read_pendler([aus, ein])
    message = str(caught.value)
    assert "disagree on 1 pair(s)" in message
    assert "field 'Insgesamt'" in message
    assert "09184 -> 09162" in message
    assert "aus.csv, row 14 (Auspendler): 71660" in message
    assert "ein.csv, row 13 (Einpendler): 71670" in message


def test_disagreeing_breakdowns_are_reported_too(tmp_path):
    aus = write(tmp_path / "aus.csv", ba_export(ORIGINAL_AUS_ROWS), encoding="cp1252")
    ein_rows = '"München";"09162";"Landkreis München";"09184";"71.660";"38.120";"*";"*";"*";"9"\n'
    ein = write(tmp_path / "ein.csv", ba_export(ein_rows, topic="Einpendler"))
    with pytest.raises(DataFileError, match=r"'Auszubildende'[\s\S]*1710[\s\S]*: 9"):
        read_pendler([aus, ein])


def test_files_of_different_dates_are_refused(tmp_path):
    aus = write(tmp_path / "aus.csv", ba_export(ORIGINAL_AUS_ROWS))
    ein = write(tmp_path / "ein.csv", ba_export("", topic="Einpendler", month="Juni 2022"))
    with pytest.raises(DataFileError, match=r"different dates.*2023-06-30.*2022-06-30"):
        read_pendler([aus, ein])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (bytes(range(256)) * 40, "the file is binary, not a CSV text file"),
        (b"PK\x03\x04 workbook", "the file is binary"),
        (
            b"wohnort_kreis,arbeitsort_kreis,insgesamt\n09184,09162,71660\n",
            "not a BA Pendlerstatistik export",
        ),
        (
            '"Land";"Bayern"\n"Thema:";"Beschäftigte"\n"Kreis";"Insgesamt"\n"09184";"1"\n'.encode(),
            "no header row with the columns Wohnort, Arbeitsort and Insgesamt",
        ),
    ],
)
def test_files_that_are_not_ba_exports(tmp_path, content, message):
    path = tmp_path / "pendler.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message) as caught:
        read_pendler([path])
    assert "pendler.csv" in str(caught.value)


def test_bad_cells_are_named_with_file_row_and_value(tmp_path):
    rows = ORIGINAL_AUS_ROWS.replace('"5.430"', '"5,43"')
    path = write(tmp_path / "aus.csv", ba_export(rows))
    with pytest.raises(DataFileError) as caught:
        read_pendler([path])
    assert "column 'Insgesamt' are not a count" in str(caught.value)
    assert "aus.csv, row 16: '5,43'" in str(caught.value)

    rows = ORIGINAL_AUS_ROWS.replace('"09178"', '"Freising"')
    path = write(tmp_path / "aus.csv", ba_export(rows))
    with pytest.raises(DataFileError, match=r"second Regionalschlüssel[\s\S]*row 16: 'Freising'"):
        read_pendler([path])


def test_a_broken_row_inside_the_table_is_an_error(tmp_path):
    lines = ORIGINAL_AUS_ROWS.splitlines(keepends=True)
    lines[2] = '"Landkreis München";"09184";"Übrige Kreise"\n'
    path = write(tmp_path / "aus.csv", ba_export("".join(lines)))
    with pytest.raises(
        DataFileError, match=r"aus\.csv, row 15: 3 field\(s\) where the table has 10"
    ):
        read_pendler([path])


def test_gemeinde_tables_and_missing_files_are_refused(tmp_path):
    text = ba_export(ORIGINAL_AUS_ROWS).replace('"Kreise"', '"Gemeinden"')
    with pytest.raises(DataFileError, match="regional level 'Gemeinden'"):
        read_pendler([write(tmp_path / "aus.csv", text)])
    with pytest.raises(DataFileError, match="does not exist"):
        read_pendler([tmp_path / "missing.csv"])
    with pytest.raises(DataFileError, match="no files given"):
        read_pendler([])


# --- generic origin–destination tables --------------------------------------------------------


def test_read_od_with_the_derived_table(official):
    path = official / "derived" / "pendler_kreise_od.csv.gz"
    imported = read_od(
        path,
        columns={
            "from": "wohnort_kreis",
            "to": "arbeitsort_kreis",
            "commuters": "insgesamt",
            "auslaender": "auslaender",
        },
    )
    frame = imported.frame
    assert imported.table == "flows"
    assert list(frame.columns) == ["from", "to", "commuters", "auslaender"]
    assert len(frame) == 46_991
    assert frame["commuters"].sum() == 13_459_370
    assert str(frame["commuters"].dtype) == "Int64"
    expected = {k: (v[0], v[4]) for k, v in derived_flows(official).items()}
    got = frame.set_index(["from", "to"])[["commuters", "auslaender"]]
    assert {
        k: (int(a), int(b)) for k, (a, b) in zip(got.index, got.to_numpy(), strict=True)
    } == expected
    assert imported.credits[0].name == "pendler_kreise_od.csv.gz"
    assert any("maenner" in n for n in imported.notes)  # dropped, listed


def test_read_od_from_excel_and_german_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pendler"
    sheet.append(["Wohnort", "Arbeitsort", "Anzahl", "Frauen"])
    sheet.append(["09184", "09162", 71660, 33540])
    sheet.append(["09162", "09184", 30440, 14430])
    book.save(tmp_path / "od.xlsx")
    imported = read_od(
        tmp_path / "od.xlsx",
        columns={"from": "Wohnort", "to": "Arbeitsort", "commuters": "Anzahl", "frauen": "Frauen"},
        sheet="Pendler",
    )
    assert as_tuples_od(imported.frame) == [
        ("09184", "09162", 71660, 33540),
        ("09162", "09184", 30440, 14430),
    ]

    (tmp_path / "od.csv").write_bytes("von;nach;Pendler\n09184;09162;71.660\n".encode("cp1252"))
    imported = read_od(
        tmp_path / "od.csv", columns={"from": "von", "to": "nach", "commuters": "Pendler"}
    )
    assert as_tuples_od(imported.frame) == [("09184", "09162", 71660)]


def as_tuples_od(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        tuple(v if isinstance(v, str) else int(v) for v in row)
        for row in frame.itertuples(index=False)
    ]


def test_read_od_errors(tmp_path):
    path = tmp_path / "od.csv"
    path.write_text("von,nach,n\n09184,09162,12.5\n09162,,3\n", encoding="utf-8")
    columns = {"from": "von", "to": "nach", "commuters": "n"}
    with pytest.raises(DataFileError) as caught:
        read_od(path, columns=columns)
    message = str(caught.value)
    assert "od.csv: 2 problems" in message
    assert "row 2, field 'commuters', value '12.5'" in message
    assert "row 3, field 'to': missing value" in message
    with pytest.raises(
        DataFileError, match=r"no column 'anzahl' \(for commuters\); found: von, nach, n"
    ):
        read_od(path, columns={**columns, "commuters": "anzahl"})
    with pytest.raises(DataFileError, match="the column mapping needs commuters"):
        read_od(path, columns={"from": "von", "to": "nach"})
    with pytest.raises(DataFileError, match="does not exist"):
        read_od(tmp_path / "missing.csv", columns=columns)
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(DataFileError, match="empty"):
        read_od(tmp_path / "empty.csv", columns=columns)
