"""Outlines on the grid of the decimals written: parts and holes smaller than it are dropped."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape

import netkoop
from netkoop.importers.geometry import DECIMALS, read_geometry
from tests.conftest import run_cli

#: A corner in Niedersachsen in EPSG:25832.
X0, Y0 = 550_000.0, 5_750_000.0
KM = 1000.0


def two_kreise(extra=None, *, hole=None, keys=("03101", "03102")) -> gpd.GeoDataFrame:
    """Two 10 km squares side by side; the second gets an extra part and the first a hole."""
    first = box(X0, Y0, X0 + 10 * KM, Y0 + 10 * KM)
    if hole is not None:
        first = Polygon(first.exterior.coords, [hole.exterior.coords])
    second = box(X0 + 10 * KM, Y0, X0 + 20 * KM, Y0 + 10 * KM)
    if extra is not None:
        second = shapely.union_all([second, extra])
    return gpd.GeoDataFrame({"ARS": list(keys)}, geometry=[first, second], crs="EPSG:25832")


def sliver(x: float, y: float, width: float, height: float) -> Polygon:
    """A right triangle at (x, y) of ``width`` × ``height`` metres."""
    return Polygon([(x, y), (x + width, y), (x, y + height)])


def rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


def assert_clean_geojson(outlines) -> None:
    """Every ring closed, at least 4 positions, on the grid, and each outline a valid polygon."""
    for geometry in outlines["geometry"]:
        for ring in rings(geometry):
            assert len(ring) >= 4
            assert ring[0] == ring[-1]
            assert all(round(v, DECIMALS) == v for position in ring for v in position)
            assert all(a != b for a, b in itertools.pairwise(ring))
        assert shape(geometry).is_valid
        assert shape(geometry).area > 0


#: The part the Gemeinde benchmark hit: 2.5e-6 m², beside the neighbour's edge.
TINY = sliver(X0 + 20 * KM + 0.3, Y0 + 5 * KM + 0.3, 0.002, 0.0025)


@pytest.mark.parametrize("tolerance", [None, 0])
def test_a_part_smaller_than_the_grid_is_dropped(tmp_path, tolerance):
    path = tmp_path / "kreise.geojson"
    two_kreise(TINY).to_file(path)
    assert TINY.area == pytest.approx(2.5e-6)

    outlines = read_geometry(path, tolerance_m=tolerance).frame

    assert_clean_geojson(outlines)
    by_id = outlines.set_index("id")
    # The tiny part is gone; the square stays whole, as does the Land dissolved from both.
    assert len(rings(by_id.loc["03102", "geometry"])) == 1
    assert shape(by_id.loc["03102", "geometry"]).area == pytest.approx(
        shape(by_id.loc["03101", "geometry"]).area, rel=1e-3
    )
    assert len(rings(by_id.loc["03", "geometry"])) == 1


def test_a_part_the_grid_flattens_to_no_area_is_dropped(tmp_path):
    # 30 cm wide and 50 m long: its three corners round onto one line of the grid.
    thin = Polygon([(X0 + 25 * KM, Y0), (X0 + 25 * KM + 50, Y0), (X0 + 25 * KM, Y0 + 0.3)])
    path = tmp_path / "kreise.gpkg"
    two_kreise(thin).to_file(path)

    outlines = read_geometry(path, tolerance_m=0).frame

    assert_clean_geojson(outlines)
    assert len(rings(outlines.set_index("id").loc["03102", "geometry"])) == 1


def test_a_hole_smaller_than_the_grid_is_dropped_and_a_large_one_stays(tmp_path):
    path = tmp_path / "kreise.gpkg"
    two_kreise(hole=box(X0 + 5 * KM, Y0 + 5 * KM, X0 + 5 * KM + 0.01, Y0 + 5 * KM + 0.01)).to_file(
        path
    )
    large = tmp_path / "large.gpkg"
    two_kreise(hole=box(X0 + 4 * KM, Y0 + 4 * KM, X0 + 6 * KM, Y0 + 6 * KM)).to_file(large)

    small_hole = read_geometry(path, tolerance_m=0).frame.set_index("id")
    large_hole = read_geometry(large, tolerance_m=0).frame.set_index("id")

    assert_clean_geojson(small_hole)
    assert len(rings(small_hole.loc["03101", "geometry"])) == 1
    assert len(rings(large_hole.loc["03101", "geometry"])) == 2


def test_a_place_smaller_than_the_grid_is_left_out_with_a_warning(tmp_path):
    frame = two_kreise()
    tiny = gpd.GeoDataFrame(
        {"ARS": ["03103"]}, geometry=[sliver(X0 + 30 * KM, Y0, 0.3, 0.3)], crs="EPSG:25832"
    )
    path = tmp_path / "kreise.gpkg"
    gpd.GeoDataFrame(
        {"ARS": [*frame["ARS"], "03103"]},
        geometry=[*frame.geometry, *tiny.geometry],
        crs="EPSG:25832",
    ).to_file(path)

    with pytest.warns(netkoop.NetkoopWarning) as caught:
        imported = read_geometry(path, tolerance_m=0)

    assert len(caught) == 1
    message = str(caught[0].message)
    assert "kreise.gpkg: the outline of kreis 03103 is smaller than the grid of 5 decimals" in (
        message
    )
    assert "left out" in message
    assert list(imported.frame["id"]) == ["03", "03101", "03102"]
    assert any("03103" in note and "smaller than the grid" in note for note in imported.notes)
    assert_clean_geojson(imported.frame)


def test_the_cli_warns_about_a_vanished_place_and_imports_the_rest(tmp_path):
    path = tmp_path / "kreise.gpkg"
    frame = two_kreise()
    gpd.GeoDataFrame(
        {"ARS": [*frame["ARS"], "03103"]},
        geometry=[*frame.geometry, sliver(X0 + 30 * KM, Y0, 0.3, 0.3)],
        crs="EPSG:25832",
    ).to_file(path)
    folder = tmp_path / "region"
    units = [
        {"id": key, "name": f"Kreis {key}", "kind": "landkreis", "land": "03"}
        for key in ("03101", "03102", "03103")
    ]
    netkoop.Network.from_tables(units).save(folder)

    result = run_cli("import", "geometry", path, "-o", folder, "--tolerance", "0")

    assert result.exit_code == 0, result.output
    assert "03103 is smaller than the grid of 5 decimals" in result.output
    assert set(netkoop.load(folder).outlines["id"]) == {"03", "03101", "03102"}


def test_outlines_of_parts_near_the_grid_are_the_same_on_every_read(tmp_path):
    extra = MultiPolygon([TINY, sliver(X0 + 20 * KM + 5, Y0 + 2 * KM, 0.7, 0.9)])
    path = tmp_path / "kreise.geojson"
    two_kreise(shapely.union_all([extra, box(X0 + 20 * KM, Y0, X0 + 21 * KM, Y0 + KM)])).to_file(
        path
    )

    first = read_geometry(path).frame
    second = read_geometry(path).frame

    assert_clean_geojson(first)
    assert json.dumps(list(first["geometry"])) == json.dumps(list(second["geometry"]))


def test_every_outline_the_grid_erases_is_one_error(tmp_path):
    path = Path(tmp_path) / "dust.gpkg"
    gpd.GeoDataFrame(
        {"ARS": ["03101", "03102"]},
        geometry=[sliver(X0, Y0, 0.2, 0.2), sliver(X0 + KM, Y0, 0.2, 0.2)],
        crs="EPSG:25832",
    ).to_file(path)

    with (
        pytest.warns(netkoop.NetkoopWarning, match="the outlines of 3 places"),
        pytest.raises(
            netkoop.DataFileError, match=r"dust\.gpkg: every outline is smaller than the grid"
        ),
    ):
        read_geometry(path, tolerance_m=0)
