"""The national scenario built from the official tables in tests/data/official/derived."""

from __future__ import annotations

import csv
import gzip
import json
import re

import pytest
from click.testing import CliRunner

import netkoop
from netkoop.cli import main

KREISFREI_TYPES = {"61", "62"}  # Gemeinde rows that repeat a kreisfreie Stadt


def read_rows(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_national_scenario_validates_and_info_reports_official_counts(national, official):
    result = netkoop.validate(national)
    assert result.ok, [str(p) for p in result.errors]
    assert result.warnings == []

    run = CliRunner().invoke(main, ["info", str(national), "--format", "json"])
    assert run.exit_code == 0, run.output
    info = json.loads(run.stdout)
    assert info["units_by_kind"]["landkreis"] == 294
    assert info["units_by_kind"]["kreisfreie_stadt"] == 106
    assert info["laender"] == 16
    assert info["flows"] == 46_991
    assert info["commuters"] == 13_459_370

    gemeinden = read_rows(official / "derived" / "gemeinden.csv.gz")
    kreisangehoerig = [g for g in gemeinden if g["gemeinde_typ_code"] not in KREISFREI_TYPES]
    assert info["units_by_kind"]["gemeinde"] == len(kreisangehoerig)

    text = CliRunner().invoke(main, ["info", str(national)]).stdout
    assert re.search(r"^Landkreis\s+294$", text, re.MULTILINE), text
    assert "Pendlerströme: 46.991 mit 13.459.370 Pendelnden" in text
    assert "Einheiten: 11.273 in 16 Ländern" in text


def test_national_scenario_keeps_official_parents_and_flows(national, official):
    net = netkoop.load(national)
    units = net.units.set_index("id")
    for row in read_rows(official / "derived" / "gemeinden.csv.gz")[::97]:
        if row["gemeinde_typ_code"] in KREISFREI_TYPES:
            assert row["ags"] not in units.index
        else:
            assert units.at[row["ags"], "parent"] == row["kreis_ags"]
    flows = net.flows.set_index(["from", "to"])["commuters"]
    assert flows[("09184", "09162")] == 71_660  # Landkreis München -> München
    assert flows[("03459", "03404")] == 32_650  # Landkreis Osnabrück -> Osnabrück
    assert units.at["09162", "kind"] == "kreisfreie_stadt"
    assert units.at["03241", "kind"] == "landkreis"  # Region Hannover
    assert units.at["01001", "land"] == "01"


@pytest.fixture(scope="module")
def imported_national(tmp_path_factory):
    """The national scenario built with the three import commands from the official files."""
    from conftest import OFFICIAL

    data = OFFICIAL
    out = tmp_path_factory.mktemp("import") / "deutschland"
    runner = CliRunner()
    ba = data / "ba-pendler-2023"
    steps = [
        [
            "import",
            "gv-isys",
            str(data / "destatis-gvisys" / "31122023_Auszug_GV.xlsx"),
            "-o",
            str(out),
        ],
        ["import", "pendler", str(ba / "Auspendler"), str(ba / "Einpendler"), "-o", str(out)],
        ["import", "adjacency", str(data / "bkg-vg1000-2022" / "VG1000_KRS.zip"), "-o", str(out)],
    ]
    for step in steps:
        run = runner.invoke(main, step)
        assert run.exit_code == 0, run.output
    return out


def test_imported_national_scenario_matches_the_derived_tables(imported_national, official):
    derived = official / "derived"
    net = netkoop.load(imported_national)
    units = net.units.set_index("id")
    kinds = units["kind"].value_counts()
    assert kinds["landkreis"] == 294
    assert kinds["kreisfreie_stadt"] == 106
    assert kinds["land"] == 16
    assert units.loc[units["kind"] != "land", "land"].nunique() == 16

    kreise = read_rows(derived / "kreise.csv.gz")
    expected_kind = {"kreisfreie Stadt": "kreisfreie_stadt", "Landkreis": "landkreis"}
    assert {k["kreis_ags"]: expected_kind[k["kind"]] for k in kreise} == dict(
        units.loc[units["kind"].isin(["landkreis", "kreisfreie_stadt"]), "kind"]
    )

    gemeinden = {
        g["ags"]: g["kreis_ags"]
        for g in read_rows(derived / "gemeinden.csv.gz")
        if g["gemeinde_typ_code"] not in KREISFREI_TYPES
    }
    assert dict(units.loc[units["kind"] == "gemeinde", "parent"]) == gemeinden

    pairs = {(r["kreis_a"], r["kreis_b"]) for r in read_rows(derived / "kreis_adjacency.csv.gz")}
    borders = net.borders
    assert set(zip(borders["from"], borders["to"], strict=True)) == pairs

    assert len(net.flows) == 46_991
    assert net.flows["commuters"].sum() == 13_459_370
    od = {
        (r["wohnort_kreis"], r["arbeitsort_kreis"]): int(r["insgesamt"])
        for r in read_rows(derived / "pendler_kreise_od.csv.gz")
    }
    flows = net.flows
    assert (
        dict(zip(zip(flows["from"], flows["to"], strict=True), flows["commuters"], strict=True))
        == od
    )

    credits = " ".join(c.credit or "" for c in net.metadata.sources)
    assert "Statistisches Bundesamt (Destatis)" in credits
    assert "© Statistik der Bundesagentur für Arbeit" in credits
    assert "© GeoBasis-DE / BKG" in credits
