"""Outlines read from polygons: BKG VG1000 into the national scenario, hand-made grids, bad files."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, shape

import netkoop
from netkoop import DataFileError, NetkoopError
from netkoop.importers import import_into, write_into
from netkoop.importers.adjacency import read_adjacency
from netkoop.importers.geometry import TOLERANCE_M, read_geometry
from netkoop.model.outlines import outlines_geojson
from tests.conftest import assert_one_error_line, national_yaml, run_cli, snapshot

KM = 1000.0
#: A corner in Niedersachsen in EPSG:25832, for hand-made grids of places.
X0, Y0 = 550_000.0, 5_750_000.0
#: Vertices along each kilometre of a hand-made edge.
STEPS = 10


def vg1000(official: Path) -> Path:
    return official / "bkg-vg1000-2022" / "VG1000_KRS.zip"


@cache
def read_vg1000(official: Path):
    return read_geometry(vg1000(official))


def wiggly_cell(col: int, row: int, size_km: float = 10) -> Polygon:
    """A square of the grid whose edges zigzag by 30 m: many vertices, shared exactly by the
    neighbours because each point depends on its place only."""
    x0, y0 = X0 + col * size_km * KM, Y0 + row * size_km * KM
    n = int(size_km * STEPS)
    step = KM / STEPS

    def along(start, end, horizontal, fixed):
        points = []
        for k in range(n + 1):
            t = start + (end - start) * k / n
            wiggle = 30.0 * (round(t / step) % 2)
            points.append((t, fixed + wiggle) if horizontal else (fixed + wiggle, t))
        return points

    size = size_km * KM
    ring = (
        along(x0, x0 + size, True, y0)[:-1]
        + along(y0, y0 + size, False, x0 + size)[:-1]
        + along(x0 + size, x0, True, y0 + size)[:-1]
        + along(y0 + size, y0, False, x0)
    )
    return Polygon(ring)


#: A grid of 3 × 2 Kreise in two Länder: Land 01 on the bottom row, Land 03 on the top one.
GRID_KEYS = {(0, 0): "01001", (1, 0): "01002", (2, 0): "01003",
             (0, 1): "03101", (1, 1): "03102", (2, 1): "03103"}  # fmt: skip


def grid(keys=GRID_KEYS, column="ARS", crs="EPSG:25832", **columns) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {column: list(keys.values()), **columns},
        geometry=[wiggly_cell(*cell) for cell in keys],
        crs="EPSG:25832",
    )
    return frame.to_crs(crs)


def units_of(keys, *, coordinates=True) -> list[dict]:
    rows = []
    for i, key in enumerate(keys):
        row = {"id": key, "name": f"Kreis {key}", "kind": "landkreis", "land": key[:2]}
        if coordinates:
            row |= {"lat": 52.0 + i / 10, "lon": 9.0}
        rows.append(row)
    return rows


def scenario(tmp_path: Path, keys=None, **options) -> Path:
    folder = tmp_path / "region"
    chosen = list(GRID_KEYS.values()) if keys is None else keys
    netkoop.Network.from_tables(units_of(chosen, **options)).save(folder)
    return folder


def pairs(frame) -> set[tuple[str, str]]:
    return set(zip(frame["from"], frame["to"], strict=True))


def kreis_adjacency(outlines, tmp_path: Path) -> set[tuple[str, str]]:
    """The neighbours that the simplified Kreis outlines give, measured by the adjacency importer."""
    path = tmp_path / "simplified-kreise.geojson"
    path.write_text(outlines_geojson(outlines[outlines["level"] == "kreis"]), encoding="utf-8")
    return pairs(read_adjacency(path, key="id").frame)


def vertices(outlines) -> int:
    return int(sum(shapely.get_num_coordinates(shape(g)) for g in outlines["geometry"]))


# --- BKG VG1000 into the national scenario ---------------------------------------------------


def test_vg1000_outlines_join_the_national_scenario(official, write_scenario, tmp_path):
    path = write_scenario(
        national_yaml(official / "derived", gemeinden=False, borders=True), folder="deutschland"
    )

    network = import_into(path.parent, read_vg1000(official), inputs=[vg1000(official)])

    loaded = netkoop.load(path)
    assert loaded.equals(network)
    outlines = loaded.outlines
    assert outlines["level"].value_counts().to_dict() == {"kreis": 400, "land": 16}
    assert (path.parent / "outlines.geojson").stat().st_size <= 300 * 1024
    kreise = loaded.units[loaded.units["kind"] != "land"]
    assert set(kreise["id"]) == set(outlines.loc[outlines["level"] == "kreis", "id"])
    assert set(outlines.loc[outlines["level"] == "land", "id"]) == {f"{i:02}" for i in range(1, 17)}
    # The simplified Kreise have exactly the neighbours the unsimplified polygons have.
    assert kreis_adjacency(outlines, tmp_path) == pairs(loaded.borders)
    assert len(loaded.borders) == 1044
    assert "outlines:\n  file: outlines.geojson\n" in path.read_text(encoding="utf-8")
    credits = [c for c in loaded.metadata.sources if "outlines" in (c.note or "")]
    assert [c.credit for c in credits] == ["© GeoBasis-DE / BKG (2023) (Daten verändert)"]
    assert credits[0].name == "BKG Verwaltungsgebiete 1:1 000 000 (VG1000)"


def test_vg1000_outlines_are_simplified_in_degrees_with_a_point_inside(official):
    imported = read_vg1000(official)
    outlines = imported.frame

    assert imported.table == "outlines"
    assert vertices(outlines[outlines["level"] == "kreis"]) < 225_150 * 0.06
    hildesheim = outlines.set_index("id").loc["03254"]
    assert hildesheim["name"] == "Hildesheim"
    polygon = shape(hildesheim["geometry"])
    assert polygon.is_valid
    assert polygon.contains(shapely.Point(hildesheim["lon"], hildesheim["lat"]))
    west, south, east, north = polygon.bounds
    assert 9.5 < west < east < 10.5
    assert 51.8 < south < north < 52.4
    assert outlines.set_index("id").loc["09", "name"] == "Bayern"
    degrees = shapely.get_coordinates([shape(g) for g in outlines["geometry"]])
    assert (degrees.round(5) == degrees).all()


def test_vg1000_notes_say_how_much_was_simplified(official):
    notes = read_vg1000(official).notes

    assert notes[0] == (
        "read 424 features of 400 places (kreis) from "
        "tests/data/official/bkg-vg1000-2022/VG1000_KRS.zip (key column ARS)"
    )
    simplified = next(n for n in notes if n.startswith("simplified from"))
    assert simplified.startswith("simplified from 225,150 to ")
    assert f"at a tolerance of {TOLERANCE_M['kreis']:,.0f} m, as one coverage" in simplified
    assert "dissolved 16 land outlines from the kreis polygons" in notes


def test_the_cli_imports_geometry_and_says_what_it_did(tmp_path):
    path = tmp_path / "grid.shp"
    grid().to_file(path)
    folder = scenario(tmp_path)

    result = run_cli("import", "geometry", path, "-o", folder)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{folder / 'scenario.yaml'}: 8 outlines imported; the scenario now has 6 units, 8 outlines"
    )
    assert any("note: read 6 features of 6 places (kreis)" in line for line in lines)
    assert any("note: simplified from " in line and "% fewer" in line for line in lines)
    assert any(line.endswith("KB of GeoJSON") for line in lines)


def test_the_cli_help_names_the_options():
    result = run_cli("import", "geometry", "--help")

    assert result.exit_code == 0
    for option in ("--key", "--level", "--layer", "--tolerance", "--replace"):
        assert option in result.output


# --- hand-made grids -------------------------------------------------------------------------


def test_simplified_neighbours_keep_sharing_their_edges(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)

    imported = read_geometry(path)

    outlines = imported.frame
    assert list(outlines["id"]) == ["01", "03", *GRID_KEYS.values()]
    assert vertices(outlines[outlines["level"] == "kreis"]) < 100
    assert kreis_adjacency(outlines, tmp_path) == pairs(read_adjacency(path).frame)
    kreise = [shape(g) for g in outlines.loc[outlines["level"] == "kreis", "geometry"]]
    assert shapely.coverage_is_valid(kreise)
    assert imported.credits == ()  # not BKG's file
    assert any("not" not in n and "as one coverage" in n for n in imported.notes)


def test_land_outlines_are_the_union_of_their_kreise(tmp_path):
    path = tmp_path / "grid.geojson"
    grid(crs="EPSG:4326").to_file(path)

    outlines = read_geometry(path).frame.set_index("id")

    union = shapely.union_all(
        [shape(outlines.loc[k, "geometry"]) for k in ("01001", "01002", "01003")]
    )
    land = shape(outlines.loc["01", "geometry"])
    assert land.symmetric_difference(union).area < 1e-9
    assert outlines.loc["01", "name"] == "Schleswig-Holstein"
    assert outlines.loc["01", "level"] == "land"


def test_tolerance_zero_keeps_every_vertex(tmp_path):
    path = tmp_path / "grid.shp"
    grid().to_file(path)

    imported = read_geometry(path, tolerance_m=0)

    kreise = imported.frame[imported.frame["level"] == "kreis"]
    assert vertices(kreise) == sum(shapely.get_num_coordinates(wiggly_cell(*c)) for c in GRID_KEYS)
    assert any(n.startswith("kept all ") for n in imported.notes)


def test_a_land_file_is_read_at_land_level(tmp_path):
    path = tmp_path / "laender.geojson"
    grid({(0, 0): "01", (1, 0): "03"}, crs="EPSG:4326").to_file(path)

    outlines = read_geometry(path).frame

    assert list(outlines["level"]) == ["land", "land"]
    assert list(outlines["id"]) == ["01", "03"]


def test_gemeinden_with_ars_become_ags_and_kreise_and_laender_are_dissolved(tmp_path):
    keys = {(0, 0): "010010000001", (1, 0): "010010000002", (2, 0): "010020000001"}
    path = tmp_path / "gemeinden.gpkg"
    grid(keys).to_file(path)

    imported = read_geometry(path, tolerance_m=300)

    outlines = imported.frame
    assert list(zip(outlines["level"], outlines["id"], strict=True)) == [
        ("land", "01"),
        ("kreis", "01001"),
        ("kreis", "01002"),
        ("gemeinde", "01001001"),
        ("gemeinde", "01001002"),
        ("gemeinde", "01002001"),
    ]
    assert "the 12-digit ARS in ARS became 8-digit AGS (Gemeinde keys)" in imported.notes
    assert "dissolved 1 land and 2 kreis outlines from the gemeinde polygons" in imported.notes


def test_the_level_picks_the_layer_of_a_bkg_geopackage(tmp_path):
    path = tmp_path / "DE_VG250.gpkg"
    grid({(0, 0): "01", (1, 0): "03"}, GEN=["SH", "NI"]).to_file(path, layer="vg250_lan")
    grid(GEN=list("abcdef")).to_file(path, layer="vg250_krs")
    gemeinden = {(0, 0): "01001001", (1, 0): "01001002"}
    grid(gemeinden, column="AGS").to_file(path, layer="vg250_gem")

    assert set(read_geometry(path).frame["level"]) == {"land", "kreis"}
    assert list(read_geometry(path, level="land").frame["name"]) == ["SH", "NI"]
    gemeinde = read_geometry(path, level="gemeinde").frame
    assert list(gemeinde.loc[gemeinde["level"] == "gemeinde", "id"]) == list(gemeinden.values())
    credit = read_geometry(path, level="land").credits[0]
    assert credit.name == "BKG Verwaltungsgebiete 1:250 000 (VG250)"


def test_polygons_whose_edges_do_not_coincide_are_simplified_one_by_one(tmp_path):
    frame = grid()
    frame.loc[0, "geometry"] = frame.loc[0, "geometry"].buffer(200)  # overlaps its neighbours
    path = tmp_path / "overlap.gpkg"
    frame.to_file(path)

    notes = read_geometry(path).notes

    assert any("each polygon on its own" in n for n in notes)


# --- into a scenario -------------------------------------------------------------------------


def test_units_without_coordinates_take_them_from_their_outline(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)
    folder = scenario(tmp_path, coordinates=False)

    written = write_into(folder, read_geometry(path))

    assert "6 units without coordinates take them from their outline (a point inside)" in (
        written.imported.notes
    )
    loaded = netkoop.load(folder)
    units = loaded.units.set_index("id")
    outlines = loaded.outlines.set_index("id")
    for key in GRID_KEYS.values():
        point = shapely.Point(units.loc[key, "lon"], units.loc[key, "lat"])
        assert shape(outlines.loc[key, "geometry"]).contains(point)


def test_a_regional_scenario_keeps_its_own_places_and_their_land(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)
    folder = scenario(tmp_path, keys=["03101", "03102"])

    written = write_into(folder, read_geometry(path))

    assert list(written.network.outlines["id"]) == ["03", "03101", "03102"]
    notes = written.imported.notes
    assert (
        "left out 4 outlines of places the scenario does not have (01001, 01002, 01003, 03103)"
        in notes
    )
    assert notes[-1].startswith("3 outlines (1 land, 2 kreis): ")
    # The Land's outline is whole: dissolved from all its Kreise in the file.
    land = shape(written.network.outlines.set_index("id").loc["03", "geometry"])
    assert land.area == pytest.approx(
        3 * shape(written.network.outlines.loc[1, "geometry"]).area, rel=0.05
    )


def test_units_the_file_has_no_polygon_of_are_counted(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)
    folder = scenario(tmp_path, keys=[*GRID_KEYS.values(), "01004"])

    notes = write_into(folder, read_geometry(path)).imported.notes

    assert "1 unit has no outline (01004): the file has no polygon of it" in notes


def test_keys_that_name_no_unit_are_one_error_and_nothing_is_written(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)
    folder = scenario(tmp_path, keys=["05111", "05112"])
    before = snapshot(folder)

    result = run_cli("import", "geometry", path, "-o", folder)

    assert_one_error_line(result, problems_allowed=False)
    assert "none of its 6 keys (01001, 01002, 01003, 03101, 03102, ...) names a unit" in (
        result.stderr
    )
    assert "(its units: 05111, 05112)" in result.stderr
    assert snapshot(folder) == before


def test_a_second_import_needs_replace(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)
    folder = scenario(tmp_path)
    import_into(folder, read_geometry(path))

    with pytest.raises(
        NetkoopError,
        match=r"already has 6 of these outlines \(kreis 01001, 01002, 01003, \.\.\.\); pass "
        r"--replace to replace them \(the scenario's other outlines stay\)",
    ):
        import_into(folder, read_geometry(path, tolerance_m=0))
    network = import_into(folder, read_geometry(path, tolerance_m=0), replace=True)

    assert vertices(network.outlines[network.outlines["level"] == "kreis"]) > 1000
    # The Länder are dissolved outlines: they stay as the first import made them.
    assert network.outlines["level"].value_counts().to_dict() == {"kreis": 6, "land": 2}
    assert sorted(p.name for p in folder.glob("*.geojson")) == ["outlines.geojson"]


def test_outlines_need_a_scenario_first(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)

    with pytest.raises(NetkoopError, match="import the units first"):
        import_into(tmp_path / "empty", read_geometry(path))


def test_a_hand_written_outlines_file_stays_and_the_import_takes_another_name(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(
        "format_version: 1\nunits:\n"
        + "".join(
            f'  - {{id: "{k}", name: K{k}, kind: landkreis, land: "{k[:2]}"}}\n'
            for k in GRID_KEYS.values()
        ),
        encoding="utf-8",
    )
    (folder / "outlines.geojson").write_text("mine", encoding="utf-8")

    with pytest.warns(netkoop.NetkoopWarning, match="outlines-2.geojson"):
        import_into(folder, read_geometry(path))

    assert (folder / "outlines.geojson").read_text(encoding="utf-8") == "mine"
    assert len(netkoop.load(folder).outlines) == 8


# --- bad files -------------------------------------------------------------------------------


def test_a_file_of_points_is_one_error_line(tmp_path):
    frame = gpd.GeoDataFrame(
        {"ARS": ["01001", "01002"]},
        geometry=gpd.points_from_xy([X0, X0 + KM], [Y0, Y0]),
        crs="EPSG:25832",
    )
    path = tmp_path / "points.geojson"
    frame.to_file(path)
    folder = scenario(tmp_path)

    result = run_cli("import", "geometry", path, "-o", folder)

    assert_one_error_line(result, problems_allowed=False)
    assert "points.geojson: holds no polygons (2 × Point); places need (multi)polygons" in (
        result.stderr
    )


def test_a_missing_key_column_names_the_columns_found(tmp_path):
    path = tmp_path / "nokey.gpkg"
    grid(column="kennung", GEN=list("abcdef")).to_file(path)

    with pytest.raises(
        DataFileError,
        match=r"nokey\.gpkg: no key column \(ARS, AGS, kreis_ags, ags\); found: kennung, GEN",
    ):
        read_geometry(path)
    assert len(read_geometry(path, key="kennung").frame) == 8


def test_keys_of_no_official_width_are_refused(tmp_path):
    path = tmp_path / "odd.gpkg"
    grid({(0, 0): "123", (1, 0): "456"}).to_file(path)

    with pytest.raises(DataFileError, match=r"odd\.gpkg, field 'ARS': keys of 2, 5 or 8 digits"):
        read_geometry(path)


def test_a_level_that_the_keys_do_not_have_is_refused(tmp_path):
    path = tmp_path / "grid.gpkg"
    grid().to_file(path)

    with pytest.raises(DataFileError, match=r"gemeinde keys have 8 digits .* found '01001'"):
        read_geometry(path, level="gemeinde")


def test_a_missing_file_and_garbage(tmp_path):
    with pytest.raises(DataFileError, match=r"nothing\.shp: the file does not exist"):
        read_geometry(tmp_path / "nothing.shp")
    garbage = tmp_path / "garbage.geojson"
    garbage.write_text("no json at all", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"garbage\.geojson: not readable geodata"):
        read_geometry(garbage)


def test_without_geopandas_the_error_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "geopandas", None)

    with pytest.raises(NetkoopError, match=r"netkoop\[geo\]"):
        read_geometry(tmp_path / "any.shp")


def test_bad_options_are_refused(tmp_path):
    with pytest.raises(ValueError, match="tolerance_m"):
        read_geometry(tmp_path / "any.shp", tolerance_m=-1)
    with pytest.raises(ValueError, match="level"):
        read_geometry(tmp_path / "any.shp", level="bezirk")  # type: ignore[arg-type]
