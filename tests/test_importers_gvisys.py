"""The Destatis Gemeindeverzeichnis (GV-ISys "Auszug GV") read as Länder, Kreise and Gemeinden."""

from __future__ import annotations

import csv
import gzip
import math
import time
from collections import Counter
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import netkoop
from netkoop import DataFileError
from netkoop.importers import Imported, import_into
from netkoop.importers.gvisys import read_gvisys

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


def write_workbook(
    path, rows, *, sheet="Onlineprodukt_Gemeinden30092024", title=True, extra_sheet=None
):
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
        data.append(
            ["Gemeinden in Deutschland nach Fläche, Bevölkerung und Postleitzahl am 30.09.2024"]
        )
    data.append([])
    for row in [*HEADER, *rows]:
        data.append(row)
    data.append([])
    data.append(["© Daten (im Auftrag der Herausgebergemeinschaft)"])
    data.append(["     Statistisches Bundesamt (Destatis), 2025"])
    book.save(path)
    return path


def test_another_layout_of_the_product_reads_the_same(tmp_path):
    path = write_workbook(tmp_path / "gv.xlsx", MINI_ROWS)
    imported = read_gvisys(path)
    assert imported.reference_date == "2024-09-30"
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
        title=False,
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


def test_a_key_twice_names_both_rows(tmp_path):
    rows = [list(r) for r in MINI_ROWS]
    rows.append(list(rows[8]))
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
