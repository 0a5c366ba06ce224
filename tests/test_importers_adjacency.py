"""Shared borders of Kreise read from polygons: BKG VG1000, hand-made squares, bad files."""

from __future__ import annotations

import csv
import gzip
import sys
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

import netkoop
from netkoop import DataFileError, NetkoopError
from netkoop.importers import import_into
from netkoop.importers.adjacency import read_adjacency

KM = 1000.0
#: A point in Hessen in EPSG:25832 (9° E, on the zone's central meridian), for hand-made squares.
X0, Y0 = 500_000.0, 5_550_000.0


def vg1000(official: Path) -> Path:
    return official / "bkg-vg1000-2022" / "VG1000_KRS.zip"


@cache
def derived_pairs(official: Path) -> dict[tuple[str, str], float]:
    """The independently computed adjacency table: (kreis_a, kreis_b) → shared_border_km."""
    with gzip.open(
        official / "derived" / "kreis_adjacency.csv.gz", "rt", encoding="utf-8"
    ) as handle:
        return {
            (row["kreis_a"], row["kreis_b"]): float(row["shared_border_km"])
            for row in csv.DictReader(handle)
        }


@cache
def read_vg1000(official: Path, min_length_km: float = 0.0):
    return read_adjacency(vg1000(official), min_length_km=min_length_km)


def pairs_of(imported) -> dict[tuple[str, str], float]:
    frame = imported.frame
    return dict(zip(zip(frame["from"], frame["to"], strict=True), frame["length_km"], strict=True))


def neighbours(pairs) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        found[a].add(b)
        found[b].add(a)
    return found


# --- BKG VG1000 ------------------------------------------------------------------------------


def test_vg1000_gives_exactly_the_derived_pairs_and_lengths(official):
    imported = read_vg1000(official)
    expected = derived_pairs(official)
    got = pairs_of(imported)

    assert imported.table == "borders"
    assert list(imported.frame.columns) == ["from", "to", "length_km", "contact"]
    assert len(got) == len(imported.frame) == 1044
    assert set(got) == set(expected)
    for pair, length in expected.items():
        assert abs(got[pair] - length) <= max(0.005 * length, 0.05), pair
    assert (imported.frame["from"] < imported.frame["to"]).all()
    assert (imported.frame["contact"] == "line").all()
    assert (imported.frame["length_km"] > 0).all()
    assert imported.frame["from"].str.fullmatch(r"\d{5}").all()
    assert imported.frame["length_km"].round(3).equals(imported.frame["length_km"])


def test_vg1000_known_neighbours(official):
    found = neighbours(pairs_of(read_vg1000(official)))

    assert found["09162"] == {"09174", "09179", "09184"}  # München: Dachau, FFB, LK München
    assert len(found["11000"]) == 9  # Berlin
    assert all(k.startswith("12") for k in found["11000"])  # all in Brandenburg
    assert len(found["03241"]) == 8  # Region Hannover
    assert found["03404"] == {"03459", "05566"}  # Osnabrück Stadt: LK Osnabrück, Steinfurt


def test_vg1000_graph_is_connected_over_all_400_kreise(official):
    found = neighbours(pairs_of(read_vg1000(official)))
    start = "09162"
    seen, todo = {start}, [start]
    while todo:
        for other in found[todo.pop()] - seen:
            seen.add(other)
            todo.append(other)
    assert len(found) == 400
    assert seen == set(found)


def test_vg1000_min_length_drops_exactly_the_short_borders(official):
    imported = read_vg1000(official, min_length_km=5.0)
    expected = {p for p, length in derived_pairs(official).items() if length > 5}
    dropped = len(derived_pairs(official)) - len(expected)

    assert set(pairs_of(imported)) == expected
    assert f"dropped {dropped} borders of 5 km or less" in imported.notes


def test_vg1000_credit_and_notes(official):
    imported = read_vg1000(official)

    (credit,) = imported.credits
    assert credit.name == "BKG Verwaltungsgebiete 1:1 000 000 (VG1000)"
    assert credit.credit == "© GeoBasis-DE / BKG (2023) (Daten verändert)"
    assert credit.licence == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert credit.url == "https://gdz.bkg.bund.de"
    assert "eigene berechnungen" in (credit.note or "").lower()
    notes = "\n".join(imported.notes)
    assert "left out 24 water polygons (GF=2;" in notes
    assert "used the 400 land polygons" in notes
    assert "key column ARS" in notes
    assert "measured in EPSG:25832" in notes
    assert "dropped 0 point contacts" in notes
    assert "overlap" not in notes


def test_vg1000_credit_year_can_be_given(official):
    imported = read_adjacency(vg1000(official), credit_year=2025)
    assert imported.credits[0].credit == "© GeoBasis-DE / BKG (2025) (Daten verändert)"


def test_vg1000_takes_a_few_seconds_at_most(official):
    started = time.perf_counter()
    read_adjacency(vg1000(official))
    assert time.perf_counter() - started < 10  # about 1 s on a laptop


def test_simplified_geojson_needs_a_tolerance(official):
    path = official / "derived" / "kreise_vg1000_simplified.geojson.zip"
    expected = derived_pairs(official)

    exact = read_adjacency(path)
    assert len(exact.frame) < len(expected)  # the simplified edges no longer coincide
    assert any("consider tolerance_m" in note for note in exact.notes)

    tolerant = read_adjacency(path, tolerance_m=500)  # Douglas–Peucker 250 m per feature
    got = pairs_of(tolerant)
    assert set(got) == set(expected)
    assert "projected from EPSG:4326 to EPSG:25832 to measure in metres" in tolerant.notes
    # simplification shortens the lines: close on the whole, not to the metre
    ratio = sum(got.values()) / sum(expected.values())
    assert 0.9 < ratio < 1.0


def test_borders_join_a_scenario_of_the_400_kreise(official, tmp_path):
    with gzip.open(official / "derived" / "kreise.csv.gz", "rt", encoding="utf-8") as handle:
        units = [
            {"id": r["kreis_ags"], "name": r["name"], "kind": r["kind"], "land": r["land_code"]}
            for r in csv.DictReader(handle)
        ]
    folder = tmp_path / "deutschland"
    netkoop.Network.from_tables(units).save(folder)

    network = import_into(folder, read_vg1000(official))

    assert len(network.borders) == 1044
    loaded = netkoop.load(folder)
    assert len(loaded.units) == 400
    assert len(loaded.borders) == 1044
    assert {"from", "to", "length_km", "contact"} <= set(loaded.borders.columns)
    assert any(c.name.startswith("BKG Verwaltungsgebiete") for c in loaded.metadata.sources)
    munich = loaded.borders[(loaded.borders["from"] == "09162") | (loaded.borders["to"] == "09162")]
    assert len(munich) == 3


@pytest.mark.parametrize("tolerance_m", [0, 500])
def test_progress_counts_the_pairs_chunk_by_chunk_and_chunks_change_nothing(
    official, monkeypatch, tolerance_m
):
    path = official / "derived" / "kreise_vg1000_simplified.geojson.zip"
    whole = read_adjacency(path, tolerance_m=tolerance_m)
    calls = []
    monkeypatch.setattr("netkoop.importers.adjacency.CHUNK", 7)
    chunked = read_adjacency(
        path, tolerance_m=tolerance_m, progress=lambda steps, of: calls.append((steps, of))
    )

    pd.testing.assert_frame_equal(chunked.frame, whole.frame)
    total = calls[0][1]
    assert calls[0] == (0, total)
    assert total >= len(whole.frame)  # candidate pairs: borders, corner contacts, near misses
    assert [of for _, of in calls] == [total] * len(calls)
    assert [steps for steps, _ in calls[1:]] == [7] * (total // 7) + [total % 7] * (total % 7 > 0)


# --- hand-made squares -----------------------------------------------------------------------


def square(col: float, row: float, size: float = 10.0) -> Polygon:
    """A square of ``size`` km whose lower left corner is ``col``, ``row`` km from X0, Y0."""
    x, y = X0 + col * KM, Y0 + row * KM
    return box(x, y, x + size * KM, y + size * KM)


def squares(crs: str = "EPSG:25832", **columns) -> gpd.GeoDataFrame:
    """Five places with known borders.

    A (01001) and B (01002) share 10 km; C (01003, 5 km wide) sits on A's top edge, which has
    no vertex where C ends (5 km); D (01004) touches B at a corner only; F (01005) has a hole
    that G (01006) fills (an enclave: 40 km).
    """
    ring = square(40, 0, 20).difference(square(45, 5))
    frame = gpd.GeoDataFrame(
        {"ARS": ["01001", "01002", "01003", "01004", "01005", "01006"], **columns},
        geometry=[
            square(0, 0),
            square(10, 0),
            square(0, 10, 5),
            square(20, 10),
            ring,
            square(45, 5),
        ],
        crs="EPSG:25832",
    )
    return frame.to_crs(crs)


EXPECTED = {("01001", "01002"): 10.0, ("01001", "01003"): 5.0, ("01005", "01006"): 40.0}


def test_squares_in_a_projected_shapefile(tmp_path):
    path = tmp_path / "squares.shp"
    squares().to_file(path)

    imported = read_adjacency(path)

    assert pairs_of(imported) == EXPECTED
    assert "dropped 1 point contacts (polygons touching at a corner)" in imported.notes
    assert "measured in EPSG:25832" in imported.notes


def test_squares_in_geographic_geojson_are_projected_to_measure(tmp_path):
    path = tmp_path / "squares.geojson"
    squares("EPSG:4326").to_file(path)

    imported = read_adjacency(path)

    assert pairs_of(imported) == pytest.approx(EXPECTED, abs=0.002)
    assert "projected from EPSG:4326 to EPSG:25832 to measure in metres" in imported.notes
    assert "dropped 1 point contacts (polygons touching at a corner)" in imported.notes


def test_geographic_input_outside_germany_uses_the_estimated_utm_zone(tmp_path):
    frame = squares().set_crs("EPSG:32631", allow_override=True).to_crs("EPSG:4326")
    path = tmp_path / "elsewhere.geojson"
    frame.to_file(path)

    imported = read_adjacency(path)

    assert pairs_of(imported) == pytest.approx(EXPECTED, abs=0.002)
    assert "projected from EPSG:4326 to EPSG:32631 to measure in metres" in imported.notes


def test_squares_in_feet_are_measured_in_km(tmp_path):
    foot = 1200 / 3937  # US survey foot in metres
    frame = squares()
    frame.geometry = frame.geometry.scale(1 / foot, 1 / foot, origin=(0, 0))
    path = tmp_path / "feet.gpkg"
    frame.set_crs("EPSG:2263", allow_override=True).to_file(path)  # a CRS in US feet

    imported = read_adjacency(path)

    assert pairs_of(imported) == pytest.approx(EXPECTED, abs=0.002)


def test_min_length_keeps_only_longer_borders(tmp_path):
    path = tmp_path / "squares.shp"
    squares().to_file(path)

    imported = read_adjacency(path, min_length_km=5)

    assert pairs_of(imported) == {("01001", "01002"): 10.0, ("01005", "01006"): 40.0}
    assert "dropped 1 borders of 5 km or less" in imported.notes


def test_water_polygons_are_left_out_and_parts_merged(tmp_path):
    # a water part (GF=2) of D between B and D would make them neighbours; land parts of one
    # key are merged: A in two halves is still one place with the same borders
    frame = squares(GF=[4] * 6)
    water = gpd.GeoDataFrame(
        {"ARS": ["01004"], "GF": [2]},
        geometry=[box(X0 + 20 * KM, Y0, X0 + 30 * KM, Y0 + 10 * KM)],
        crs=frame.crs,
    )
    halves = gpd.GeoDataFrame(
        {"ARS": ["01001", "01001"], "GF": [4, 4]},
        geometry=[
            box(X0, Y0, X0 + 5 * KM, Y0 + 10 * KM),
            box(X0 + 5 * KM, Y0, X0 + 10 * KM, Y0 + 10 * KM),
        ],
        crs=frame.crs,
    )
    frame = pd.concat([frame.iloc[1:], water, halves], ignore_index=True)
    path = tmp_path / "parts.shp"
    frame.to_file(path)

    imported = read_adjacency(path)

    assert pairs_of(imported) == EXPECTED
    notes = "\n".join(imported.notes)
    assert "left out 1 water polygons (GF=2;" in notes
    assert "merged the polygons of 1 places that have several" in notes


def test_tolerance_bridges_a_gap_between_edges(tmp_path):
    gap = gpd.GeoDataFrame(
        {"ags": ["01001", "01002"]},
        geometry=[square(0, 0), box(X0 + 10.1 * KM, Y0, X0 + 20.1 * KM, Y0 + 10 * KM)],
        crs="EPSG:25832",
    )
    path = tmp_path / "gap.gpkg"
    gap.to_file(path)

    assert read_adjacency(path).frame.empty

    imported = read_adjacency(path, tolerance_m=300)  # edges 100 m apart, within 150 m
    (length,) = pairs_of(imported).values()
    assert length == pytest.approx(10.0, rel=0.02)
    assert any("within 150 m of the neighbour" in note for note in imported.notes)


def test_numeric_keys_get_their_leading_zero_back(tmp_path):
    frame = squares().rename(columns={"ARS": "kreis_ags"})
    frame["kreis_ags"] = frame["kreis_ags"].astype(int)
    path = tmp_path / "numbers.geojson"
    frame.to_crs("EPSG:4326").to_file(path)

    imported = read_adjacency(path)

    assert set(pairs_of(imported)) == set(EXPECTED)
    assert any(
        "restored the leading zeros of keys in kreis_ags (5 digits)" in note
        for note in imported.notes
    )


def test_twelve_digit_ars_become_kreis_keys(tmp_path):
    frame = squares()
    frame["ARS"] = frame["ARS"] + "0000000"
    path = tmp_path / "ars.shp"
    frame.to_file(path)

    assert set(pairs_of(read_adjacency(path))) == set(EXPECTED)


def test_text_keys_that_lost_their_zero_get_it_back(tmp_path):
    frame = squares()
    frame["ARS"] = frame["ARS"].str.lstrip("0")  # "1001", as a spreadsheet leaves it
    path = tmp_path / "text.shp"
    frame.to_file(path)

    assert set(pairs_of(read_adjacency(path))) == set(EXPECTED)


def test_the_kreis_layer_of_a_geopackage_is_found(tmp_path):
    path = tmp_path / "vg.gpkg"
    whole = gpd.GeoDataFrame({"ARS": ["01"]}, geometry=[square(0, 0, 60)], crs="EPSG:25832")
    whole.to_file(path, layer="vg_lan")
    squares().to_file(path, layer="vg_krs")
    squares().to_file(path, layer="other")

    assert set(pairs_of(read_adjacency(path))) == set(EXPECTED)
    assert read_adjacency(path, layer="vg_lan").frame.empty


def test_a_geopackage_of_unrecognised_layers_needs_one_named(tmp_path):
    path = tmp_path / "two.gpkg"
    squares().to_file(path, layer="first")
    squares().to_file(path, layer="second")

    with pytest.raises(DataFileError, match=r"two\.gpkg: 2 layers \(first, second\); name the one"):
        read_adjacency(path)
    with pytest.raises(DataFileError, match=r"two\.gpkg: no layer 'third'; found: first, second"):
        read_adjacency(path, layer="third")
    assert set(pairs_of(read_adjacency(path, layer="second"))) == set(EXPECTED)


def test_named_key_column_wins(tmp_path):
    frame = squares(kreis=["a", "b", "c", "d", "e", "f"])
    path = tmp_path / "named.shp"
    frame.to_file(path)

    imported = read_adjacency(path, key="kreis")

    assert set(pairs_of(imported)) == {("a", "b"), ("a", "c"), ("e", "f")}


# --- bad input -------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match=r"nowhere\.shp: the file does not exist"):
        read_adjacency(tmp_path / "nowhere.shp")


@pytest.mark.parametrize("name", ["garbage.shp", "garbage.geojson"])
def test_garbage_is_not_readable_geodata(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 8)

    with pytest.raises(DataFileError) as caught:
        read_adjacency(path)

    message = str(caught.value)
    assert name in message
    assert "not readable geodata" in message


def test_shapefile_without_its_companions(tmp_path):
    path = tmp_path / "alone.shp"
    squares().to_file(path)
    path.with_suffix(".shx").unlink()

    with pytest.raises(DataFileError, match=r"alone\.shp: not readable geodata.*\.shx"):
        read_adjacency(path)


def test_no_key_column_lists_the_columns(tmp_path):
    frame = squares().rename(columns={"ARS": "code"}).assign(name="x")
    path = tmp_path / "nokey.shp"
    frame.to_file(path)

    with pytest.raises(DataFileError) as caught:
        read_adjacency(path)
    message = str(caught.value)
    assert "nokey.shp" in message
    assert "no key column (ARS, AGS, kreis_ags, ags)" in message
    assert "found: code, name" in message

    with pytest.raises(DataFileError, match=r"no key column 'AGS'; found: code, name"):
        read_adjacency(path, key="AGS")


def test_invalid_polygon_names_file_feature_field_and_value(tmp_path):
    bowtie = Polygon([(X0, Y0), (X0 + KM, Y0 + KM), (X0 + KM, Y0), (X0, Y0 + KM)])
    frame = gpd.GeoDataFrame(
        {"AGS": ["01001", "01002"]}, geometry=[square(5, 5), bowtie], crs="EPSG:25832"
    )
    path = tmp_path / "bowtie.gpkg"
    frame.to_file(path)

    with pytest.raises(DataFileError) as caught:
        read_adjacency(path)

    message = str(caught.value)
    assert (
        "bowtie.gpkg, feature 2, field 'AGS', value '01002': invalid polygon (Self-intersection"
        in message
    )


def test_the_same_polygon_twice(tmp_path):
    frame = gpd.GeoDataFrame(
        {"AGS": ["01001", "01002", "01003"]},
        geometry=[square(0, 0), square(10, 0), square(0, 0)],
        crs="EPSG:25832",
    )
    path = tmp_path / "twice.gpkg"
    frame.to_file(path)

    with pytest.raises(DataFileError) as caught:
        read_adjacency(path)

    message = str(caught.value)
    assert "twice.gpkg, feature 3, field 'AGS', value '01003'" in message
    assert "the same polygon as feature 1 ('01001')" in message


def test_one_place_under_two_keys(tmp_path):
    frame = gpd.GeoDataFrame(
        {"AGS": ["01001", "01002"]},
        geometry=[square(0, 0), square(0.1, 0.1, 9.8)],
        crs="EPSG:25832",
    )
    path = tmp_path / "covered.gpkg"
    frame.to_file(path)

    with pytest.raises(DataFileError) as caught:
        read_adjacency(path)

    message = str(caught.value)
    assert "covered.gpkg, feature 2, field 'AGS', value '01002'" in message
    assert "overlap by 100% of the smaller one" in message


def test_missing_key_value(tmp_path):
    frame = squares()
    frame.loc[2, "ARS"] = None
    path = tmp_path / "nokeyvalue.gpkg"
    frame.to_file(path)

    with pytest.raises(DataFileError, match=r"nokeyvalue\.gpkg, feature 3, field 'ARS': no key"):
        read_adjacency(path)


def test_points_are_not_polygons(tmp_path):
    frame = gpd.GeoDataFrame(
        {"AGS": ["01001"]}, geometry=gpd.points_from_xy([X0], [Y0]), crs="EPSG:25832"
    )
    path = tmp_path / "points.geojson"
    frame.to_crs("EPSG:4326").to_file(path)

    with pytest.raises(DataFileError, match=r"feature 1, field 'AGS', value '01001': a Point"):
        read_adjacency(path)


def test_shapefile_without_prj_has_no_crs(tmp_path):
    path = tmp_path / "noprj.shp"
    squares().to_file(path)
    path.with_suffix(".prj").unlink()

    with pytest.raises(DataFileError, match=r"noprj\.shp: no coordinate reference system"):
        read_adjacency(path)


def test_without_geopandas_the_error_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "geopandas", None)

    with pytest.raises(NetkoopError, match=r"netkoop\[geo\]"):
        read_adjacency(tmp_path / "any.shp")


def test_negative_options_are_refused(tmp_path):
    with pytest.raises(ValueError, match="min_length_km"):
        read_adjacency(tmp_path / "any.shp", min_length_km=-1)
    with pytest.raises(ValueError, match="tolerance_m"):
        read_adjacency(tmp_path / "any.shp", tolerance_m=float("nan"))
