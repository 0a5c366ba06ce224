"""Loading scenario files: table sources, column mappings, extends, bundled names, borders."""

from __future__ import annotations

import gzip
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import netkoop
from netkoop import UnknownScenarioError


def test_column_mapping_reads_flows_with_official_names(write_scenario):
    path = write_scenario(
        """
        units:
          - {id: "09162", name: München, kind: kreisfreie_stadt, land: BY}
          - {id: "09184", name: LK München, kind: landkreis, land: BY}
        flows:
          file: pendler.csv
          columns: {from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt, foreign: auslaender}
        """,
        pendler__csv="wohnort_kreis,arbeitsort_kreis,insgesamt,auslaender\n09184,09162,71660,9120\n",
    )
    flows = netkoop.load(path).flows
    assert flows.to_dict("records") == [
        {"from": "09184", "to": "09162", "commuters": 71660, "foreign": 9120}
    ]


def test_where_selects_rows_and_keeps_their_row_numbers(write_scenario, monkeypatch):
    path = write_scenario(
        """
        units:
          - {id: "09184", name: LK München, kind: landkreis, land: BY}
          - file: gemeinden.csv
            where: {typ: [64, 67]}
            set: {kind: gemeinde}
        """,
        gemeinden__csv=(
            "id,name,typ,land,parent\n"
            "09162000,München,61,09,09162\n"
            "09184119,Garching,64,09,09184\n"
            "09184149,Unterschleißheim,67,09,09999\n"
        ),
    )
    monkeypatch.chdir(path.parent)
    result = netkoop.validate(path)
    assert [str(p) for p in result.errors] == [
        "gemeinden.csv, row 4, field 'parent', value '09999': unknown parent; it must be the id "
        "of a Landkreis in units",
        "gemeinden.csv, row 4, field 'id', value '09184149': the key's Kreis part 09184 contradicts "
        "the parent Landkreis 09999",
    ]


def test_excel_tables_with_sheet_and_text_keys(write_scenario, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Kreise"
    sheet = workbook.create_sheet("Gemeinden")
    sheet.append(["AGS", "Name", "Kreis", "Einwohner"])
    sheet.append(["09184119", "Garching b.München", "09184", 17577])
    sheet.append(["09184149", "Unterschleißheim", "09184", 29102])
    folder = tmp_path / "scenario"
    folder.mkdir()
    workbook.save(folder / "tabellen.xlsx")
    path = write_scenario(
        """
        units:
          - {id: "09184", name: Landkreis München, kind: landkreis, land: Bayern}
          - file: tabellen.xlsx
            sheet: Gemeinden
            columns: {id: AGS, name: Name, parent: Kreis, population: Einwohner}
            set: {kind: gemeinde, land: "09"}
        """
    )
    units = netkoop.load(path).units
    assert units["id"].tolist() == ["09184", "09184119", "09184149"]
    assert units["population"].tolist()[1:] == [17577, 29102]
    assert units["name"].iloc[2] == "Unterschleißheim"


def test_extends_adds_tables_and_overrides_metadata(minimal, write_scenario):
    whatif = write_scenario(
        f"""
        name: verbund
        title: Regionalverbund
        extends: {minimal}
        sources: [Workshop 2024]
        ties:
          - {{from: "09162", to: "09184", kind: joint_project, intensity: intensive}}
        """,
        folder="whatif",
    )
    base, net = netkoop.load(minimal), netkoop.load(whatif)
    assert net.name == "verbund"
    assert net.metadata.title == "Regionalverbund"
    assert [c.name for c in net.metadata.sources] == ["Workshop 2024"]
    assert len(net.ties) == len(base.ties) + 1
    assert net.ties.iloc[-1]["kind"] == "joint_project"
    pd.testing.assert_frame_equal(net.units, base.units)


def test_extends_a_bundled_scenario_by_name(write_scenario):
    path = write_scenario(
        """
        extends: beispielregion
        ties:
          - {from: lk-nord, to: musterstadt, kind: exchange, intensity: regular}
        """
    )
    assert len(netkoop.load(path).ties) == len(netkoop.load("beispielregion").ties) + 1


def test_relative_paths_are_resolved_beside_the_scenario_file(minimal, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path.parent)
    assert len(netkoop.load(minimal).units) == 5
    assert len(netkoop.load(minimal.parent).units) == 5  # a folder names its scenario.yaml


def test_unknown_scenario_lists_bundled_names(tmp_path):
    with pytest.raises(UnknownScenarioError, match=r"bundled: .*beispielregion"):
        netkoop.load(tmp_path / "missing.yaml")
    with pytest.raises(UnknownScenarioError, match=r"has no scenario\.yaml"):
        netkoop.load(tmp_path)


def test_list_scenarios_describes_bundled_ones():
    found = {s.name: s for s in netkoop.list_scenarios()}
    assert "beispielregion" in found
    assert found["beispielregion"].title == "Beispielregion (fiktiv)"
    assert found["beispielregion"].path == Path(found["beispielregion"].path)
    assert found["beispielregion"].path.is_file()


BORDER_UNITS = """
units:
  - {id: "09162", name: München, kind: kreisfreie_stadt, land: BY}
  - {id: "09184", name: LK München, kind: landkreis, land: BY}
  - {id: "09174", name: Dachau, kind: landkreis, land: BY}
"""


def test_borders_are_a_table_of_their_own_and_survive_the_round_trip(write_scenario, tmp_path):
    path = write_scenario(
        BORDER_UNITS + "borders: {file: borders.csv}\n",
        borders__csv="from,to,length_km,contact\n09162,09184,61.2,line\n09162,09174,9.5,line\n",
    )
    net = netkoop.load(path)
    assert net.borders.to_dict("records") == [
        {"from": "09162", "to": "09184", "length_km": 61.2, "contact": "line"},
        {"from": "09162", "to": "09174", "length_km": 9.5, "contact": "line"},
    ]
    assert net.ties.empty
    assert net.flows.empty
    assert netkoop.load(net.save(tmp_path / "out")).equals(net)
    assert net.remove_units("09174").borders["to"].tolist() == ["09184"]
    assert net.summary().borders == 2


def test_border_rules(write_scenario, monkeypatch):
    path = write_scenario(
        BORDER_UNITS + "borders: {file: borders.csv}\n",
        borders__csv=(
            "from,to,length_km\n"
            "09162,09184,61.2\n"
            "09184,09162,61.2\n"  # the same pair again, reversed
            "09162,09162,1\n"
            "09162,09999,1\n"
            "09174,09184,-3\n"
        ),
    )
    monkeypatch.chdir(path.parent)
    assert sorted(str(p) for p in netkoop.validate(path).errors) == [
        "borders.csv, row 3, field 'to', value '09184 - 09162': the pair is listed twice; a "
        "border is listed once, in either order (first at borders.csv, row 2)",
        "borders.csv, row 4, field 'to', value '09162': a border joins two different units; "
        "from and to are the same",
        "borders.csv, row 5, field 'to', value '09999': unknown unit; borders must name the id "
        "of a unit in units",
        "borders.csv, row 6, field 'length_km', value '-3': out of range; allowed: 0 or more",
    ]


def test_text_columns_of_digits_stay_text_through_tables_and_files(write_scenario, tmp_path):
    """Postcodes and ARS of Länder 10-16 are digits without a leading zero: still text."""
    units = pd.DataFrame(
        {
            "id": ["11000", "12054"],
            "name": ["Berlin", "Potsdam"],
            "kind": ["kreisfreie_stadt", "kreisfreie_stadt"],
            "land": ["11", "12"],
            "plz": ["10117", "14467"],
            "ars": ["110000000000", "120540000000"],
            "staff": [3, 2],
        }
    )
    net = netkoop.Network.from_tables(units)
    assert net.units["plz"].tolist() == ["10117", "14467"]
    assert str(net.units["staff"].dtype) == "Int64"
    saved = net.save(tmp_path / "out")
    assert "text:" in saved.read_text(encoding="utf-8")
    again = netkoop.load(saved)
    assert again.equals(net)
    assert again.units["ars"].tolist() == ["110000000000", "120540000000"]

    path = write_scenario(
        """
        units:
          - {id: a, name: A, kind: landkreis, land: BE, plz: "10117", code: 12}
          - file: more.csv
            text: [plz]
        """,
        more__csv="id,name,kind,land,plz,code\nb,B,landkreis,BE,14467,13\n",
    )
    units = netkoop.load(path).units
    assert units["plz"].tolist() == ["10117", "14467"]
    assert units["code"].tolist() == [12, 13]


def test_a_gzip_compressed_table_reads_as_the_table_itself(write_scenario, tmp_path):
    text = "wohnort_kreis;arbeitsort_kreis;insgesamt\n09184;09162;71.660\n"
    units = """
        units:
          - {id: "09162", name: München, kind: kreisfreie_stadt, land: BY}
          - {id: "09184", name: LK München, kind: landkreis, land: BY}
        flows:
          file: pendler.csv{suffix}
          columns: {from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt}
        """
    plain = write_scenario(units.replace("{suffix}", ""), folder="plain", pendler__csv=text)
    packed = write_scenario(units.replace("{suffix}", ".gz"), folder="packed")
    (packed.parent / "pendler.csv.gz").write_bytes(gzip.compress(text.encode("cp1252")))
    expected = [{"from": "09184", "to": "09162", "commuters": 71660}]
    assert netkoop.load(plain).flows.to_dict("records") == expected
    assert netkoop.load(packed).flows.to_dict("records") == expected
