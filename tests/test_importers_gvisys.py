"""The Destatis Gemeindeverzeichnis (GV-ISys "Auszug GV") read as Länder, Kreise and Gemeinden."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import netkoop
from netkoop import DataFileError
from netkoop.cli import main
from netkoop.importers import Imported, import_into
from netkoop.importers.gvisys import read_gvisys
from netkoop.scenario.document import display_path

GV_FILE = Path("destatis-gvisys") / "31122023_Auszug_GV.xlsx"
KFS_TYPES = {"61", "62"}  # Gemeinde records of kreisfreie Städte: no unit of their own
TOTAL_POPULATION = 84_669_326


@cache
def read_cached(path: Path, level: str = "gemeinde") -> Imported:
    return read_gvisys(path, level=level)  # type: ignore[arg-type]


def gv_file(official: Path) -> Path:
    return official / GV_FILE


def derived_rows(official: Path, name: str) -> list[dict[str, str]]:
    with gzip.open(official / "derived" / name, "rt", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def by_id(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {row["id"]: row for row in frame.to_dict("records")}


def close(a: object, b: str, tolerance: float) -> bool:
    if b == "":
        return pd.isna(a)
    return not pd.isna(a) and math.isclose(float(a), float(b), abs_tol=tolerance)  # type: ignore[arg-type]


# --- the national file --------------------------------------------------------------------


def test_kreis_level_has_the_16_laender_and_400_kreise(official):
    imported = read_cached(gv_file(official), "kreis")
    frame = imported.frame
    assert imported.table == "units"
    assert Counter(frame["kind"]) == {"land": 16, "landkreis": 294, "kreisfreie_stadt": 106}
    kreise = frame[frame["kind"] != "land"]
    per_land = Counter(zip(kreise["land"], kreise["kind"], strict=True))
    for land, landkreise, kfs in [
        ("09", 71, 25),
        ("05", 31, 22),
        ("03", 37, 8),
        ("08", 35, 9),
        ("10", 6, 0),
    ]:
        assert per_land[land, "landkreis"] == landkreise, land
        assert per_land[land, "kreisfreie_stadt"] == kfs, land
    units = by_id(frame)
    for key in ("03241", "05334", "10041", "09184"):
        assert units[key]["kind"] == "landkreis", key
    assert units["03241"]["name"] == "Region Hannover"
    assert units["10041"]["kreis_typ"] == "Regionalverband"
    assert units["09162"]["kind"] == "kreisfreie_stadt"
    assert units["08111"]["kreis_typ"] == "Stadtkreis"
    assert kreise["population"].sum() == TOTAL_POPULATION
    assert frame.loc[frame["kind"] == "land", "population"].sum() == TOTAL_POPULATION
    assert frame["parent"].isna().all()
    assert units["09"]["name"] == "Bayern"
    assert units["09"]["land"] == "09"


def test_progress_is_told_over_the_three_steps(official):
    calls = []
    imported = read_gvisys(
        gv_file(official), level="kreis", progress=lambda steps, of: calls.append((steps, of))
    )
    assert calls == [(0, 3), (1, 3), (1, 3), (1, 3)]  # workbook, records, units
    pd.testing.assert_frame_equal(imported.frame, read_cached(gv_file(official), "kreis").frame)


def test_kreise_agree_with_the_derived_table(official):
    units = by_id(read_cached(gv_file(official), "kreis").frame)
    expected = derived_rows(official, "kreise.csv.gz")
    assert len(expected) == 400
    for row in expected:
        unit = units[row["kreis_ags"]]
        kind = "kreisfreie_stadt" if row["kind"] == "kreisfreie Stadt" else "landkreis"
        assert unit["name"] == row["name"]
        assert unit["kind"] == kind
        assert unit["land"] == row["land_code"]
        assert unit["kreis_typ"] == row["kreis_typ"]
        assert unit["population"] == int(row["bevoelkerung"]), row["kreis_ags"]
        assert close(unit["area_km2"], row["flaeche_km2"], 0.011), row["kreis_ags"]
        # derived: population-weighted mean of the Gemeinde centres, rounded to 5 decimals
        assert close(unit["lat"], row["pop_centroid_lat"], 1e-5), row["kreis_ags"]
        assert close(unit["lon"], row["pop_centroid_lon"], 1e-5), row["kreis_ags"]


def test_gemeinde_level_gives_the_kreisangehoerige_gemeinden(official):
    frame = read_cached(gv_file(official)).frame
    gemeinden = by_id(frame[frame["kind"] == "gemeinde"])
    expected = [
        r
        for r in derived_rows(official, "gemeinden.csv.gz")
        if r["gemeinde_typ_code"] not in KFS_TYPES
    ]
    assert len(expected) == 10_873
    assert set(gemeinden) == {r["ags"] for r in expected}
    for row in expected:
        unit = gemeinden[row["ags"]]
        assert unit["parent"] == row["kreis_ags"], row["ags"]
        assert unit["land"] == row["land_code"]
        assert unit["name"] == row["name"]
        assert unit["population"] == int(row["bevoelkerung"]), row["ags"]
        assert close(unit["lat"], row["lat"], 1e-6), row["ags"]
        assert close(unit["lon"], row["lon"], 1e-6), row["ags"]
        assert close(unit["area_km2"], row["flaeche_km2"], 1e-9)
        assert unit["ars"] == row["ars"]
        assert unit["ags"] == row["ags"]
        assert unit["verband"] == row["verband_ars"]
        assert unit["verband_name"] == row["verband_name"]
        assert unit["gemeinde_typ"] == row["gemeinde_typ"]
        assert unit["gemeindefrei"] == (row["gemeinde_typ_code"] in {"65", "66"})
        assert (unit["plz"] if pd.notna(unit["plz"]) else "") == row["plz_verwaltungssitz"]
    assert sum(1 for u in gemeinden.values() if u["gemeindefrei"]) == 206
    assert Counter(frame["kind"])["gemeinde"] == 10_873
    assert len(frame) == 16 + 400 + 10_873


def test_kreisfreie_staedte_carry_their_gemeinde(official):
    units = by_id(read_cached(gv_file(official)).frame)
    muenchen = units["09162"]
    assert muenchen["population"] == 1_510_378
    assert muenchen["ags"] == "09162000"
    assert muenchen["area_km2"] == pytest.approx(310.7)
    assert "09162000" not in units
    kfs_rows = [
        r for r in derived_rows(official, "gemeinden.csv.gz") if r["gemeinde_typ_code"] in KFS_TYPES
    ]
    assert len(kfs_rows) == 106
    for row in kfs_rows:
        unit = units[row["kreis_ags"]]
        assert unit["kind"] == "kreisfreie_stadt"
        assert unit["ags"] == row["ags"]
        assert unit["population"] == int(row["bevoelkerung"])
        assert close(unit["lat"], row["lat"], 1e-6)
        assert close(unit["lon"], row["lon"], 1e-6)
        assert unit["plz"] == row["plz_verwaltungssitz"]


def test_keys_are_text_with_leading_zeros_and_lat_is_breitengrad(official):
    frame = read_cached(gv_file(official)).frame
    units = by_id(frame)
    garching = units["09184119"]
    assert garching["ars"] == "091840119119"
    assert garching["verband"] == "091840119"
    assert garching["regierungsbezirk"] == "Oberbayern"
    assert garching["lat"] == pytest.approx(48.249173)  # Breitengrad
    assert garching["lon"] == pytest.approx(11.65188)  # Längengrad
    flensburg = units["01001"]
    assert flensburg["ars"] == "01001"
    assert flensburg["ags"] == "01001000"
    assert units["08115"]["region"] == "Region Stuttgart"
    assert units["14612"]["plz"].startswith("01")  # Dresden: PLZ 01xxx keeps its zero
    for column in ("id", "land", "parent", "ars", "ags", "verband", "plz"):
        assert pd.api.types.is_string_dtype(frame[column]), column
    assert (frame["lat"].dropna().between(47, 55.1)).all()
    assert (frame["lon"].dropna().between(5.8, 15.1)).all()


def test_notes_credit_and_reference_date(official):
    imported = read_cached(gv_file(official))
    assert imported.reference_date == "2023-12-31"
    assert imported.population_date == "2023-12-31"  # below "Bevölkerung", merged from I5:M5
    (credit,) = imported.credits
    assert credit.name == "Destatis Gemeindeverzeichnis (GV-ISys)"
    assert credit.credit is not None
    assert credit.credit.startswith("© Statistisches Bundesamt (Destatis), 2024;")
    assert "Gemeindeverzeichnis-Informationssystem GV-ISys" in credit.credit
    assert credit.licence == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert credit.url is not None
    assert credit.url.startswith("https://www.destatis.de/")
    assert credit.note is not None
    assert "eigene Berechnungen" in credit.note
    notes = " ".join(imported.notes)
    assert "07000999" in notes
    assert "13000999" in notes
    assert "population-weighted" in notes
    assert "206 gemeindefreie Gebiete" in notes


def test_national_file_is_read_in_a_few_seconds(official):
    started = time.perf_counter()
    imported = read_gvisys(gv_file(official))
    elapsed = time.perf_counter() - started
    assert len(imported.frame) == 11_289
    assert elapsed < 10, f"reading took {elapsed:.1f} s"


# --- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize("land", ["09", "BY"])
def test_land_filter_keeps_one_land(official, land):
    imported = read_gvisys(gv_file(official), laender=[land])
    frame = imported.frame
    assert set(frame["land"]) == {"09"}
    kinds = Counter(frame["kind"])
    expected = sum(
        1
        for r in derived_rows(official, "gemeinden.csv.gz")
        if r["land_code"] == "09" and r["gemeinde_typ_code"] not in KFS_TYPES
    )
    assert kinds == {"land": 1, "landkreis": 71, "kreisfreie_stadt": 25, "gemeinde": expected}
    assert "07000999" not in " ".join(imported.notes)


def test_kreis_filter_keeps_the_kreis_its_gemeinden_and_land(official):
    imported = read_gvisys(gv_file(official), kreise=["09184"])
    frame = imported.frame
    expected = {
        r["ags"] for r in derived_rows(official, "gemeinden.csv.gz") if r["kreis_ags"] == "09184"
    }
    gemeinden = frame[frame["kind"] == "gemeinde"]
    assert set(gemeinden["id"]) == expected
    assert (gemeinden["parent"] == "09184").all()
    assert frame.loc[frame["kind"] != "gemeinde", "id"].tolist() == ["09", "09184"]
    assert by_id(frame)["09184"]["population"] == gemeinden["population"].sum()

    kreis_level = read_gvisys(gv_file(official), level="kreis", kreise=["09184", "09162"])
    assert kreis_level.frame["id"].tolist() == ["09", "09162", "09184"]


# --- a valid scenario -------------------------------------------------------------------


def test_result_is_valid_and_round_trips_through_a_scenario(official, tmp_path):
    imported = read_cached(gv_file(official))
    network = netkoop.Network.from_tables(imported.frame)
    assert len(network.units) == len(imported.frame)
    written = import_into(tmp_path / "s", imported)
    loaded = netkoop.load(tmp_path / "s")
    assert loaded.equals(written)
    pd.testing.assert_frame_equal(loaded.units, network.units)
    assert loaded.metadata.reference_date == "2023-12-31"
    assert loaded.metadata.sources == imported.credits
    units = loaded.units.set_index("id")
    assert units.loc["09162", "ags"] == "09162000"
    assert units.loc["09184119", "parent"] == "09184"
    assert units.loc["01001", "plz"] == "24937"


def test_kreis_level_of_one_land_is_a_valid_scenario(official, tmp_path):
    imported = read_gvisys(gv_file(official), level="kreis", laender=["NW"])
    network = import_into(tmp_path / "nrw", imported)
    assert Counter(network.units["kind"]) == {"land": 1, "landkreis": 31, "kreisfreie_stadt": 22}
    assert len(netkoop.load(tmp_path / "nrw").units) == 54


# --- other layouts of the same product --------------------------------------------------


def cells(line):
    """A row of header cells written as 'a|b||c' (empty cells between bars)."""
    return [cell or None for cell in line.split("|")]


HEADER = [
    cells(
        "Satz-art|Text-kenn-zeichen|Amtlicher Regionalschlüssel (ARS)|||||Gemeindename"
        "|Fläche km2 1)|Bevölkerung2)||Postleit-zahl3)|Geografische Mittelpunktkoordinaten|"
    ),
    cells("||Land|RB|Kreis|VB|Gem|||insgesamt|je km2||Längengrad|Breitengrad"),
]


def gv_row(satzart, key, name, figures=()):
    """One record: Satzart, (Textkennzeichen, Land, RB, Kreis, VB, Gem), name, figures.

    ``figures`` are Fläche, Bevölkerung, je km2, PLZ, Längengrad, Breitengrad.
    """
    return [satzart, *key, *[None] * (6 - len(key)), name, *figures, *[None] * (6 - len(figures))]


#: A small Bavarian extract written the other way: keys and codes as numbers, a population as
#: German text, coordinates as numbers or German text, an empty row among the records.
MINI_ROWS = [
    gv_row(10, (None, 9), "Bayern"),
    gv_row(20, (None, 9, 1), "Oberbayern"),
    gv_row(40, (41, 9, 1, 62), "München, Landeshauptstadt"),
    gv_row(50, (50, 9, 1, 62, 0), "München, Landeshauptstadt"),
    gv_row(
        60,
        (61, 9, 1, 62, 0, 0),
        "München, Landeshauptstadt",
        (310.7, "1.510.378", None, "80313", 11.575997, 48.137683),
    ),
    [],
    gv_row(40, (44, 9, 1, 84), "München"),
    gv_row(50, (50, 9, 1, 84, 119), "Garching b.München, St"),
    gv_row(
        60,
        (63, 9, 1, 84, 119, 119),
        "Garching b.München, St",
        ("28,17", 100, None, "85748", "11,0", "48,0"),
    ),
    gv_row(50, (50, 9, 1, 84, 149), "Unterschleißheim, St"),
    gv_row(
        60,
        (63, 9, 1, 84, 149, 149),
        "Unterschleißheim, St",
        (20, 300, None, 85716, "12,0", "49,0"),
    ),
    gv_row(50, (50, 9, 1, 84, 9451), "Forst, gemfr. Geb."),
    gv_row(60, (66, 9, 1, 84, 9451, 451), "Forst, gemfr. Geb.", (1.5, 0, None, None, 11.5, 48.5)),
]


TITLE = "Gemeinden in Deutschland nach Fläche, Bevölkerung und Postleitzahl am 30.09.2024"


def write_workbook(
    path,
    rows,
    *,
    sheet="Onlineprodukt_Gemeinden30092024",
    title=TITLE,
    extra_sheet=None,
    header=HEADER,
    merges=(),
):
    """A GV-ISys-like workbook: a title in row 2, the header from row 4, then ``rows``.

    ``merges`` are Excel ranges such as "J6:K6" to merge, as Destatis merges its headings.
    """
    book = openpyxl.Workbook()
    if extra_sheet is not None:
        book.active.title = extra_sheet
        book.active.append(["Inhalt"])
        data = book.create_sheet(sheet)
    else:
        data = book.active
        data.title = sheet
    data.append([])
    if title:
        data.append([title])
    data.append([])
    for row in [*header, *rows]:
        data.append(row)
    data.append([])
    data.append(["© Daten (im Auftrag der Herausgebergemeinschaft)"])
    data.append(["     Statistisches Bundesamt (Destatis), 2025"])
    for cells_range in merges:
        data.merge_cells(cells_range)
    book.save(path)
    return path


def test_another_layout_of_the_product_reads_the_same(tmp_path):
    path = write_workbook(tmp_path / "gv.xlsx", MINI_ROWS)
    imported = read_gvisys(path)
    assert imported.reference_date == "2024-09-30"
    assert imported.population_date is None
    assert (
        "the file states no Bevölkerungsstand (no date in the heading 'Bevölkerung2) "
        "insgesamt' nor a line such as 'Bevölkerungsstand: 31.12.2023' above the records); "
        "population_date is left empty"
    ) in imported.notes
    assert imported.credits[0].credit is not None
    assert imported.credits[0].credit.startswith("© Statistisches Bundesamt (Destatis), 2025;")
    units = by_id(imported.frame)
    assert list(units) == ["09", "09162", "09184", "09184119", "09184149", "09184451"]
    assert units["09162"]["population"] == 1_510_378
    assert units["09162"]["ags"] == "09162000"
    assert units["09184119"]["ars"] == "091840119119"
    assert units["09184451"]["verband"] == "091849451"
    assert units["09184451"]["gemeindefrei"]
    assert units["09184119"]["area_km2"] == pytest.approx(28.17)
    assert units["09184149"]["plz"] == "85716"
    lk = units["09184"]
    assert lk["population"] == 400
    assert lk["area_km2"] == pytest.approx(49.67)
    assert lk["lat"] == pytest.approx(48.75)  # (100 * 48 + 300 * 49) / 400
    assert lk["lon"] == pytest.approx(11.75)
    assert lk["regierungsbezirk"] == "Oberbayern"
    assert units["09"]["population"] == 1_510_778
    netkoop.Network.from_tables(imported.frame)


def test_the_sheet_is_found_by_content_and_the_date_by_file_name(tmp_path):
    path = write_workbook(
        tmp_path / "31032024_Auszug_GV.xlsx",
        MINI_ROWS,
        sheet="Daten",
        title=None,
        extra_sheet="Inhalt",
    )
    imported = read_gvisys(path, level="kreis")
    assert imported.reference_date == "2024-03-31"
    assert imported.frame["id"].tolist() == ["09", "09162", "09184"]


# --- bad input --------------------------------------------------------------------------


def test_garbage_renamed_to_xlsx(tmp_path):
    path = tmp_path / "Auszug_GV.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(DataFileError, match=r"Auszug_GV\.xlsx: not an Excel workbook") as info:
        read_gvisys(path)
    assert "expected the Destatis GV-ISys extract" in str(info.value)


def test_text_renamed_to_xlsx_and_missing_file(tmp_path):
    path = tmp_path / "gv.xlsx"
    path.write_text("Satzart;Land\n10;01\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"gv\.xlsx: not an Excel workbook"):
        read_gvisys(path)
    with pytest.raises(DataFileError, match=r"nothing\.xlsx: the file does not exist"):
        read_gvisys(tmp_path / "nothing.xlsx")


def test_workbook_with_an_unrelated_sheet(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Tabelle1"
    book.active.append(["Name", "Wert"])
    book.active.append(["a", 1])
    book.save(path)
    with pytest.raises(DataFileError) as info:
        read_gvisys(path)
    message = str(info.value)
    assert "other.xlsx: not a GV-ISys 'Auszug GV' file" in message
    assert "'Tabelle1'" in message
    assert "'Satzart'" in message
    assert "10 (Land) to 60 (Gemeinde)" in message


def test_missing_column_names_sheet_and_header_row(tmp_path):
    rows = [row[:13] for row in MINI_ROWS]  # without the Breitengrad
    path = write_workbook(tmp_path / "gv.xlsx", rows)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.cell(row=5, column=14).value = None  # the "Breitengrad" label
    book.save(path)
    with pytest.raises(DataFileError) as info:
        read_gvisys(path)
    message = str(info.value)
    assert "sheet 'Onlineprodukt_Gemeinden30092024', header row 4" in message
    assert "missing column(s) Breitengrad" in message
    assert "Längengrad" in message  # what was found


def test_malformed_records_name_row_field_and_value(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows[6][4] = "8A"  # the Kreis part of the Landkreis München
    path = write_workbook(tmp_path / "gv.xlsx", rows)
    with pytest.raises(DataFileError) as info:
        read_gvisys(path)
    message = str(info.value)
    assert "sheet 'Onlineprodukt_Gemeinden30092024', row 12" in message
    assert "field 'Kreis' (ARS) has value '8A'" in message
    assert "2-digit Kreis part" in message

    rows = [list(r) for r in MINI_ROWS]
    rows[6][1] = 49
    path = write_workbook(tmp_path / "gv2.xlsx", rows)
    with pytest.raises(
        DataFileError,
        match=r"row 12: field 'Textkennzeichen' of Kreis 09184 has value '49'; allowed for a Kreis .*44 Landkreis",
    ):
        read_gvisys(path)

    rows = [list(r) for r in MINI_ROWS]
    rows[8][9] = "viele"
    path = write_workbook(tmp_path / "gv3.xlsx", rows)
    with pytest.raises(
        DataFileError,
        match=r"row 14: field 'Bevölkerung insgesamt' has value 'viele'; expected a number",
    ):
        read_gvisys(path)


def test_centre_0_0_means_unknown(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows[-1][-2:] = ["0", 0]  # the gemeindefreie Gebiet, with 300 inhabitants
    rows[-1][9] = 300
    imported = read_gvisys(write_workbook(tmp_path / "gv.xlsx", rows))
    units = by_id(imported.frame)
    assert pd.isna(units["09184451"]["lat"])
    assert units["09184"]["lat"] == pytest.approx(48.75)  # the 0/0 centre does not count
    assert units["09184"]["population"] == 700
    assert "1 unit(s) have coordinates 0/0 in the file and got none: 09184451" in imported.notes


def test_one_ags_in_two_gemeindeverbaende_names_both_rows(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows.append(list(rows[8]))
    rows[-1][5] = 9119  # the same Gemeinde key below another Gemeindeverband: another ARS
    with pytest.raises(DataFileError) as info:
        read_gvisys(write_workbook(tmp_path / "gv.xlsx", rows))
    message = str(info.value)
    assert "rows 14 and 19: field 'ARS' has value '09184119' twice" in message
    assert "allowed: one record of a Gemeinde per key" in message


def test_kreisfreie_stadt_record_below_a_landkreis(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows[8][1] = 61  # Garching as if it were a kreisfreie Stadt
    path = write_workbook(tmp_path / "gv.xlsx", rows)
    with pytest.raises(DataFileError) as info:
        read_gvisys(path)
    message = str(info.value)
    assert "row 14: Gemeinde 09184119 (Garching b.München, St) has Textkennzeichen 61" in message
    assert "its Kreis 09184 is a Landkreis; allowed below a Landkreis" in message


def test_unknown_land_or_kreis(official, tmp_path):
    with pytest.raises(DataFileError) as info:
        read_gvisys(gv_file(official), laender=["Bayern", "XY"])
    message = str(info.value)
    assert "31122023_Auszug_GV.xlsx" in message
    assert "--land (laender) value 'XY' is not a Land" in message
    assert "allowed: a Land key 01-16, name or abbreviation" in message

    with pytest.raises(
        DataFileError,
        match=r"--kreis \(kreise\) value '9184' is not a Kreis key \(with its leading zero: '09184'\)",
    ):
        read_gvisys(gv_file(official), kreise=["9184"])
    with pytest.raises(
        DataFileError,
        match=r"sheet 'Onlineprodukt_Gemeinden31122023': --kreis \(kreise\) value '09199' names no Kreis in the file; allowed: the 5-digit key of one of its 400 Kreise \(e.g. 09161",
    ):
        read_gvisys(gv_file(official), kreise=["09199"])
    with pytest.raises(
        DataFileError,
        match=r"'09184' lies in Land 09 \(Bayern\), not in the selected Länder \(05\)",
    ):
        read_gvisys(gv_file(official), laender=["NW"], kreise=["09184"])

    mini = write_workbook(tmp_path / "gv.xlsx", MINI_ROWS)
    with pytest.raises(
        DataFileError,
        match=r"--land \(laender\) value '05' \(Nordrhein-Westfalen\) has no records in the file; allowed: the Länder in the file \(09\)",
    ):
        read_gvisys(mini, laender=["05"])


def test_unknown_level(tmp_path):
    with pytest.raises(DataFileError, match=r"level 'kreise' is not known; allowed: 'kreis'"):
        read_gvisys(tmp_path / "x.xlsx", level="kreise")  # type: ignore[arg-type]


# --- the vintages in the repository, counted from their raw sheets -----------------------


@dataclass(frozen=True)
class Official:
    """What tests/data/official/destatis-gvisys/SOURCE.txt says a file holds (None: not said)."""

    laender: int
    landkreise: int
    kreisfreie: int
    gemeinden: int  # Satzart 60 without the gemeindefreie Gebiete
    gemeindefrei: int | None
    population: int
    date: str


VINTAGES = {
    "31122013_Auszug_GV.xlsx": Official(16, 295, 107, 11_159, None, 80_767_463, "2013-12-31"),
    "31122021_Auszug_GV.xlsx": Official(16, 294, 106, 10_787, None, 83_237_124, "2021-12-31"),
    "31122023_Auszug_GV.xlsx": Official(16, 294, 106, 10_773, 208, 84_669_326, "2023-12-31"),
}


@cache
def raw_counts(path: Path) -> tuple[Counter[str], str]:
    """Count the records of a GV-ISys file from its cells with openpyxl alone, not netkoop.

    The data sheet is the last one; its header row has a cell reading "Satz-art" with the
    Textkennzeichen to its right, and the row below it "insgesamt" under the population. The
    Gebietsstand is read from the "Inhalt" sheet, which netkoop does not read.
    """
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    contents = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    stated = next(text for text in contents if text.startswith("Gebietsstand:"))
    day, month, year = stated.split()[1].split(".")
    rows = iter(book.worksheets[-1].iter_rows(values_only=True))
    for row in rows:
        texts = [str(c).replace("-", "").lower() if c else "" for c in row]
        if "satzart" in texts:
            satzart = texts.index("satzart")
            break
    population = [str(c).strip() for c in next(rows)].index("insgesamt")
    counts: Counter[str] = Counter()
    for row in rows:
        kind, code = str(row[satzart]), str(row[satzart + 1])
        if kind == "10":
            counts["laender"] += 1
        elif kind == "40":
            counts["kreisfreie" if code in ("41", "42") else "landkreise"] += 1
        elif kind == "60":
            counts["gemeindefrei" if code in ("65", "66") else "gemeinden"] += 1
            counts["population"] += int(row[population] or 0)
    book.close()
    return counts, f"{year}-{month}-{day}"


def netkoop_counts(imported: Imported) -> Counter[str]:
    """The same counts from what read_gvisys gives: units, and the records its notes name."""
    frame = imported.frame
    kinds = Counter(frame["kind"])
    free = int(frame["gemeindefrei"].fillna(False).sum())
    left_out = sum(
        int(match.group(1))
        for note in imported.notes
        if (match := re.match(r"left out (\d+) Gemeinde record", note))
    )
    return Counter(
        laender=kinds["land"],
        landkreise=kinds["landkreis"],
        kreisfreie=kinds["kreisfreie_stadt"],
        # a kreisfreie Stadt is a Gemeinde too: its own record joins the Kreis unit
        gemeinden=kinds["gemeinde"] - free + kinds["kreisfreie_stadt"],
        gemeindefrei=free + left_out,
        population=int(frame.loc[frame["kind"] == "land", "population"].sum()),
    )


@pytest.mark.parametrize("name", list(VINTAGES))
def test_each_vintage_gives_the_official_counts_of_its_raw_sheet(official, name):
    path = official / "destatis-gvisys" / name
    raw, stated = raw_counts(path)
    expected = VINTAGES[name]
    for field in ("laender", "landkreise", "kreisfreie", "gemeinden", "population"):
        assert raw[field] == getattr(expected, field), field
    if expected.gemeindefrei is not None:
        assert raw["gemeindefrei"] == expected.gemeindefrei
    imported = read_cached(path)
    assert netkoop_counts(imported) == raw
    assert stated == expected.date
    assert imported.reference_date == expected.date
    assert imported.population_date == expected.date  # annual files: one date for both
    assert not any(note.startswith("dropped") for note in imported.notes)


def test_each_vintage_is_a_valid_scenario_that_keeps_both_dates(official, tmp_path):
    for name, expected in VINTAGES.items():
        folder = tmp_path / name.split("_")[0]
        imported = read_gvisys(official / "destatis-gvisys" / name, level="kreis")
        import_into(folder, imported)
        loaded = netkoop.load(folder)
        assert loaded.metadata.reference_date == expected.date
        assert loaded.metadata.population_date == expected.date
        kinds = Counter(loaded.units["kind"])
        assert kinds["landkreis"] == expected.landkreise
        assert kinds["kreisfreie_stadt"] == expected.kreisfreie


def test_info_shows_gemeindefreie_gebiete_apart_so_the_gemeinden_are_the_official_ones(
    official, tmp_path
):
    import_into(tmp_path / "de", read_cached(gv_file(official)))
    shown = CliRunner().invoke(main, ["info", str(tmp_path / "de"), "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    # 10,667 kreisangehörige Gemeinden + 106 kreisfreie Städte = the official 10,773 Gemeinden
    assert "gemeinde          kreisangehörige Gemeinde  10,667" in lines
    assert "gemeinde          gemeindefreies Gebiet        206" in lines
    assert "kreisfreie_stadt  kreisfreie Stadt             106" in lines
    assert "Reference date: 2023-12-31" in lines
    assert "Population date (Bevölkerungsstand): 2023-12-31" in lines
    land_header = next(line for line in lines if line.startswith("Land "))
    assert land_header.split() == [
        "Land",
        "land",
        "landkreis",
        "kreisfreie_stadt",
        "gemeinde",
        "gemeindefrei",
    ]
    bayern = next(line for line in lines if line.startswith("09 Bayern"))
    raw = raw_gemeinden_of_land(gv_file(official), "09")
    assert bayern.split()[-2:] == [f"{raw['gemeinden']:,}", f"{raw['gemeindefrei']:,}"]

    as_json = json.loads(
        CliRunner().invoke(main, ["info", str(tmp_path / "de"), "--format", "json"]).stdout
    )
    assert as_json["units_by_kind"]["gemeinde"] == 10_873  # every unit of kind gemeinde
    assert as_json["gemeindefrei"] == 206
    assert as_json["gemeindefrei_by_land"]["09 Bayern"] == raw["gemeindefrei"]


def raw_gemeinden_of_land(path: Path, land: str) -> Counter[str]:
    """Kreisangehörige Gemeinden and gemeindefreie Gebiete of one Land, from the raw sheet."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    counts: Counter[str] = Counter()
    for row in book.worksheets[-1].iter_rows(values_only=True):
        if str(row[0]) == "60" and str(row[2]) == land and str(row[1]) not in KFS_TYPES:
            counts["gemeindefrei" if str(row[1]) in ("65", "66") else "gemeinden"] += 1
    book.close()
    return counts


# --- headings of other vintages, by what they mean --------------------------------------

#: A header as in the 31.12.2009 file: "Regionalschlüssel (RS)", "Einwohner" instead of
#: "Bevölkerung", words broken over lines, superscript footnote marks, the coordinates named
#: in the third row, and one date merged over the area and population columns.
EINWOHNER_HEADER = [
    cells(
        "Satz-\nart|Text-\nkenn-\nzeichen|Regionalschlüssel (RS)|||||Gemeinde-\nname"
        "|Fläche in km²|Einwohner¹⁾||Post-\nleit-\nzahl|Geografische Mittelpunktkoordinaten|"
    ),
    cells("||Land|RB|Kreis|VB|Gem|||insgesamt|je km²|||"),
    cells(
        "||Gebietsstand am 31.12.2009 (Jahr)||||||am 31.12.2009 (Jahr)||||Längengrad|Breitengrad"
    ),
]
EINWOHNER_MERGES = ("C4:G4", "J4:K4", "M4:N4", "C6:H6", "I6:K6")


def test_einwohner_heading_of_older_vintages(tmp_path):
    path = write_workbook(
        tmp_path / "31122009_Auszug_GV.xlsx",
        MINI_ROWS,
        sheet="Gemeindedaten",
        title="Gemeinden in Deutschland nach Fläche, Einwohner und Postleitzahl am 31.12.2009 (Jahr)",
        header=EINWOHNER_HEADER,
        merges=EINWOHNER_MERGES,
    )
    imported = read_gvisys(path)
    assert imported.reference_date == "2009-12-31"
    assert imported.population_date == "2009-12-31"  # the date merged over I6:K6
    units = by_id(imported.frame)
    assert units["09162"]["population"] == 1_510_378
    assert units["09184"]["population"] == 400
    assert units["09184119"]["area_km2"] == pytest.approx(28.17)
    assert units["09184119"]["lat"] == pytest.approx(48.0)
    assert units["09184149"]["plz"] == "85716"
    assert imported.notes[-1].startswith("Landkreise and Länder")  # no note on the dates


def test_a_date_merged_over_area_and_population_needs_the_merge(tmp_path):
    # Without the merge the date stands below the area only, and the file states no
    # Bevölkerungsstand: netkoop does not guess it.
    path = write_workbook(
        tmp_path / "gv.xlsx", MINI_ROWS, header=EINWOHNER_HEADER, merges=EINWOHNER_MERGES[:4]
    )
    imported = read_gvisys(path)
    assert imported.reference_date == "2009-12-31"  # "Gebietsstand am" beats the title's date
    assert imported.population_date is None
    assert any(n.startswith("the file states no Bevölkerungsstand") for n in imported.notes)


#: A quarterly header: Gebietsstand 30.09.2024 (3. Quartal), population of 31.12.2023.
QUARTER_HEADER = [
    *HEADER,
    cells(
        "||Gebietsstand am 30.09.2024 (3. Quartal)||||||30.09.2024 (3. Quartal)"
        "|am 31.12.2023 (Jahr)|||Zuordnungsstand am 31.12.2023|"
    ),
]


def test_quarterly_file_keeps_gebietsstand_and_bevoelkerungsstand_apart(tmp_path):
    path = write_workbook(
        tmp_path / "30092024_Auszug_GV.xlsx",
        MINI_ROWS,
        title=TITLE + " (3. Quartal)",
        header=QUARTER_HEADER,
        merges=("C6:H6", "J6:K6", "M6:N6"),
    )
    imported = read_gvisys(path)
    assert imported.reference_date == "2024-09-30"
    assert imported.population_date == "2023-12-31"
    assert (
        "Bevölkerung of 2023-12-31 (Bevölkerungsstand, population_date) on the territory of "
        "2024-09-30 (Gebietsstand, reference_date)"
    ) in imported.notes

    import_into(tmp_path / "q3", imported)
    written = (tmp_path / "q3" / "scenario.yaml").read_text(encoding="utf-8")
    assert "\nreference_date: 2024-09-30\npopulation_date: 2023-12-31\n" in written
    loaded = netkoop.load(tmp_path / "q3")
    assert loaded.metadata.reference_date == "2024-09-30"
    assert loaded.metadata.population_date == "2023-12-31"

    loaded.save(tmp_path / "saved")
    saved = netkoop.load(tmp_path / "saved")
    assert saved.metadata.population_date == "2023-12-31"
    assert saved.metadata.reference_date == "2024-09-30"

    shown = CliRunner().invoke(main, ["info", str(tmp_path / "saved"), "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[1:3] == [
        "Reference date: 2024-09-30",
        "Population date (Bevölkerungsstand): 2023-12-31",
    ]
    assert "gemeinde          kreisangehörige Gemeinde      2" in lines
    assert "gemeinde          gemeindefreies Gebiet         1" in lines


def test_population_date_from_a_line_that_names_it(tmp_path):
    title = TITLE + " (3. Quartal), Bevölkerungsstand: 31.12.2023"
    imported = read_gvisys(write_workbook(tmp_path / "gv.xlsx", MINI_ROWS, title=title))
    assert imported.reference_date == "2024-09-30"
    assert imported.population_date == "2023-12-31"

    path = write_workbook(
        tmp_path / "30062024_Auszug_GV.xlsx",
        MINI_ROWS,
        sheet="Daten",
        title="Bevölkerungsstand:",
        extra_sheet="Inhalt",
    )
    book = openpyxl.load_workbook(path)
    book["Daten"]["B2"] = dt.datetime(2023, 12, 31)  # a date cell beside its label
    book.save(path)
    imported = read_gvisys(path, level="kreis")
    assert imported.population_date == "2023-12-31"
    assert imported.reference_date == "2024-06-30"  # from the file's name


# --- repeated records -------------------------------------------------------------------


def test_exact_repeats_are_dropped_with_a_note(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows.extend([list(rows[8]), list(rows[4])])  # Garching and München once more
    path = write_workbook(tmp_path / "gv.xlsx", rows)
    imported = read_gvisys(path)
    assert imported.notes[0] == (
        "dropped 2 repeated record(s) that agree with an earlier record of the same key "
        f"(Satzart and ARS) in every column read: {display_path(path)}, sheet "
        "'Onlineprodukt_Gemeinden30092024', row(s) 19, 20"
    )
    units = by_id(imported.frame)
    assert list(units) == ["09", "09162", "09184", "09184119", "09184149", "09184451"]
    assert units["09184"]["population"] == 400
    assert units["09"]["population"] == 1_510_778


def test_repeats_that_differ_only_in_a_column_not_read_are_dropped_and_say_so(tmp_path):
    # As in the file of 31.12.2017, which lists a gemeindefreies Gebiet once per Reisegebiet;
    # here the repeat differs in the density ("je km2"), which netkoop does not read.
    rows = [list(r) for r in MINI_ROWS]
    rows.append(list(rows[8]))
    rows[-1][10] = 3.5
    path = write_workbook(tmp_path / "gv.xlsx", rows)
    imported = read_gvisys(path)
    assert imported.notes[0] == (
        "dropped 1 repeated record(s) that agree with an earlier record of the same key "
        f"(Satzart and ARS) in every column read: {display_path(path)}, sheet "
        "'Onlineprodukt_Gemeinden30092024', row(s) 19; they differ only in "
        "Bevölkerung2) je km2, which netkoop does not read"
    )
    assert by_id(imported.frame)["09184"]["population"] == 400


def test_repeats_that_disagree_name_file_rows_key_field_and_values(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows.append(list(rows[8]))
    rows[-1][9] = 150  # Garching's population, 100 in row 14
    path = write_workbook(tmp_path / "gv.xlsx", rows)
    with pytest.raises(DataFileError) as info:
        read_gvisys(path)
    assert str(info.value) == (
        f"{display_path(path)}, sheet 'Onlineprodukt_Gemeinden30092024', rows 14 and 19: "
        "2 records of the Gemeinde with key (ARS) '091840119119' (Satzart 60) disagree: field "
        "'Bevölkerung insgesamt' has value '100' in row 14 and '150' in row 19; allowed: one "
        "record per key, or repeats identical in every column netkoop reads"
    )

    rows = [list(r) for r in MINI_ROWS]
    rows.extend([list(rows[6]), list(rows[6])])
    rows[-1][7] = "München (Landkreis)"
    with pytest.raises(
        DataFileError,
        match=r"rows 12, 19 and 20: 3 records of the Kreis with key \(ARS\) '09184' \(Satzart "
        r"40\) disagree: field 'Gemeindename' has value 'München' in row 12 and "
        r"'München \(Landkreis\)' in row 20",
    ):
        read_gvisys(write_workbook(tmp_path / "gv2.xlsx", rows))


def test_the_quarterly_file_of_2024_gives_the_official_counts_and_keeps_both_dates(official):
    path = official / "destatis-gvisys" / "AuszugGV4QAktuell_2024.xlsx"
    raw, stated = raw_counts(path)
    imported = read_cached(path)
    assert netkoop_counts(imported) == raw
    # Destatis' own figures for 31.12.2024: 10,752 Gemeinden, 10,646 of them kreisangehörig.
    assert raw["gemeinden"] == 10_752
    kinds = Counter(imported.frame["kind"])
    free = int(imported.frame["gemeindefrei"].fillna(False).sum())
    assert kinds["gemeinde"] - free == 10_646
    assert (stated, imported.reference_date) == ("2024-12-31", "2024-12-31")
    assert imported.population_date == "2023-12-31"  # the quarter's population is a year older


def test_the_2017_file_drops_its_repeated_records_with_a_note(official):
    path = official / "destatis-gvisys" / "31122017_Auszug_GV.xlsx"
    raw, _ = raw_counts(path)
    imported = read_cached(path)
    counted = netkoop_counts(imported)
    [note] = [n for n in imported.notes if n.startswith("dropped")]
    assert note.startswith("dropped 8 repeated record(s)")
    assert "row(s) 9738, 10552, 10553, 10554, 10612, 10749, 11034, 11414" in note
    # the raw sheet lists these 8 gemeindefreie Gebiete twice; everything else is the same
    assert counted["gemeindefrei"] == raw["gemeindefrei"] - 8
    assert {k: v for k, v in counted.items() if k != "gemeindefrei"} == {
        k: v for k, v in raw.items() if k != "gemeindefrei"
    }
    assert imported.frame["id"].is_unique
