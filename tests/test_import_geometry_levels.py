"""Gemeinde outlines into a scenario with Kreis outlines: the Gemeinden are added, nothing is lost."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box, shape

import netkoop
from netkoop import NetkoopError
from netkoop.importers import import_into, write_into
from netkoop.importers.geometry import read_geometry
from tests.conftest import assert_one_error_line, run_cli, snapshot

KM = 1000.0
X0, Y0 = 550_000.0, 5_750_000.0

#: Three Kreise of Niedersachsen in a row: two Landkreise with a kreisfreie Stadt between.
KREISE = {"03101": "landkreis", "03102": "kreisfreie_stadt", "03103": "landkreis"}
#: The Gemeinden of the Landkreis 03101: its square cut in two halves.
GEMEINDEN = {"03101001": (0.0, 5.0), "03101002": (5.0, 10.0)}


def kreis_box(column: int) -> object:
    return box(X0 + column * 10 * KM, Y0, X0 + (column + 1) * 10 * KM, Y0 + 10 * KM)


def kreis_file(tmp_path: Path) -> Path:
    path = tmp_path / "kreise.gpkg"
    gpd.GeoDataFrame(
        {"ARS": list(KREISE), "GEN": ["Landkreis A", "Stadt B", "Landkreis C"]},
        geometry=[kreis_box(i) for i in range(len(KREISE))],
        crs="EPSG:25832",
    ).to_file(path)
    return path


def gemeinde_file(tmp_path: Path, *, wide: float = 0.0) -> Path:
    """The Gemeinden of 03101 only (``wide`` moves their outer edge west, in km)."""
    path = tmp_path / f"gemeinden-{wide:g}.gpkg"
    gpd.GeoDataFrame(
        {"AGS": list(GEMEINDEN), "GEN": ["Gemeinde 1", "Gemeinde 2"]},
        geometry=[
            box(X0 + (west - (wide if west == 0 else 0)) * KM, Y0, X0 + east * KM, Y0 + 10 * KM)
            for west, east in GEMEINDEN.values()
        ],
        crs="EPSG:25832",
    ).to_file(path)
    return path


def scenario(tmp_path: Path) -> Path:
    """Kreis units and the Gemeinden of 03101, with the Kreis (and Land) outlines imported."""
    units = [
        {"id": key, "name": f"Kreis {key}", "kind": kind, "land": "03", "lat": 52.0, "lon": 9.0}
        for key, kind in KREISE.items()
    ] + [
        {"id": key, "name": f"Gemeinde {key}", "kind": "gemeinde", "land": "03", "parent": "03101"}
        for key in GEMEINDEN
    ]
    folder = tmp_path / "region"
    netkoop.Network.from_tables(units).save(folder)
    import_into(folder, read_geometry(kreis_file(tmp_path), tolerance_m=0))
    return folder


def geometries(outlines) -> dict[tuple[str, str], object]:
    return {
        (level, key): shape(g)
        for level, key, g in zip(
            outlines["level"], outlines["id"], outlines["geometry"], strict=True
        )
    }


def test_gemeinde_outlines_are_added_and_the_kreis_outlines_stay(tmp_path):
    folder = scenario(tmp_path)
    before = geometries(netkoop.load(folder).outlines)
    assert set(before) == {("land", "03"), *(("kreis", k) for k in KREISE)}

    written = write_into(folder, read_geometry(gemeinde_file(tmp_path, wide=1), tolerance_m=0))

    after = geometries(netkoop.load(folder).outlines)
    assert set(after) == set(before) | {("gemeinde", k) for k in GEMEINDEN}
    # The kreisfreie Stadt, the other Landkreis, the Land, and the Landkreis whose Gemeinden
    # came are drawn as before: outlines dissolved from one Landkreis's Gemeinden (which here
    # reach 1 km further west) replace none of them.
    for place, polygon in before.items():
        assert after[place].equals(polygon), place
    assert list(written.imported.frame["id"]) == list(GEMEINDEN)
    notes = written.imported.notes
    assert (
        "kept the scenario's 1 land, 1 kreis outlines (03, 03101): the ones dissolved from "
        "the gemeinde polygons only add places that have none (to replace them, import a file "
        "of their level with --replace)"
    ) in notes
    assert notes[-1].startswith("2 outlines (2 gemeinde); with the scenario's others 6 (1 land, ")


def test_replace_replaces_only_the_gemeinde_outlines(tmp_path):
    folder = scenario(tmp_path)
    import_into(folder, read_geometry(gemeinde_file(tmp_path), tolerance_m=0))
    before = geometries(netkoop.load(folder).outlines)

    with pytest.raises(
        NetkoopError,
        match=r"already has 2 of these outlines \(gemeinde 03101001, 03101002\); pass --replace",
    ):
        import_into(folder, read_geometry(gemeinde_file(tmp_path, wide=1), tolerance_m=0))
    import_into(folder, read_geometry(gemeinde_file(tmp_path, wide=1), tolerance_m=0), replace=True)

    after = geometries(netkoop.load(folder).outlines)
    assert set(after) == set(before)
    # The western Gemeinde grew from 5 to 6 km wide.
    grown = after[("gemeinde", "03101001")].area / before[("gemeinde", "03101001")].area
    assert grown == pytest.approx(6 / 5, rel=0.01)
    for place in (("land", "03"), *(("kreis", k) for k in KREISE), ("gemeinde", "03101002")):
        assert after[place].equals(before[place]), place


def test_the_cli_adds_gemeinden_with_replace_as_the_benchmark_does_and_keeps_the_kreise(
    tmp_path,
):
    folder = scenario(tmp_path)
    before = geometries(netkoop.load(folder).outlines)
    yaml_before = (folder / "scenario.yaml").read_text(encoding="utf-8")

    result = run_cli(
        "import",
        "geometry",
        gemeinde_file(tmp_path, wide=1),
        "--level",
        "gemeinde",
        "--replace",
        "--tolerance",
        "0",
        "-o",
        folder,
    )

    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"{folder / 'scenario.yaml'}: 2 outlines imported; the scenario now has 5 units, 6 outlines"
    )
    assert "note: kept the scenario's 1 land, 1 kreis outlines (03, 03101)" in result.output
    after = geometries(netkoop.load(folder).outlines)
    assert set(after) == set(before) | {("gemeinde", k) for k in GEMEINDEN}
    for place, polygon in before.items():
        assert after[place].equals(polygon), place
    assert (folder / "scenario.yaml").read_text(encoding="utf-8") == yaml_before


def test_a_kreis_the_scenario_has_no_outline_of_gets_the_dissolved_one(tmp_path):
    units = [
        {"id": "03101", "name": "Landkreis A", "kind": "landkreis", "land": "03"},
        {"id": "03102", "name": "Stadt B", "kind": "kreisfreie_stadt", "land": "03"},
    ] + [
        {"id": key, "name": key, "kind": "gemeinde", "land": "03", "parent": "03101"}
        for key in GEMEINDEN
    ]
    folder = tmp_path / "region"
    netkoop.Network.from_tables(units).save(folder)
    stadt = tmp_path / "stadt.gpkg"
    gpd.GeoDataFrame({"ARS": ["03102"]}, geometry=[kreis_box(1)], crs="EPSG:25832").to_file(stadt)
    import_into(folder, read_geometry(stadt, tolerance_m=0))

    import_into(folder, read_geometry(gemeinde_file(tmp_path), tolerance_m=0))

    outlines = geometries(netkoop.load(folder).outlines)
    assert set(outlines) == {
        ("land", "03"),
        ("kreis", "03101"),
        ("kreis", "03102"),
        *(("gemeinde", k) for k in GEMEINDEN),
    }
    union = shapely.union_all([outlines[("gemeinde", k)] for k in GEMEINDEN])
    assert outlines[("kreis", "03101")].symmetric_difference(union).area < 1e-12
    # The Land is the one of the first import (from the kreisfreie Stadt): it stays.
    assert outlines[("land", "03")].equals(outlines[("kreis", "03102")])


def test_a_refused_import_leaves_the_folder_as_it_was(tmp_path):
    folder = scenario(tmp_path)
    import_into(folder, read_geometry(gemeinde_file(tmp_path), tolerance_m=0))
    before = snapshot(folder)

    result = run_cli(
        "import", "geometry", gemeinde_file(tmp_path), "--tolerance", "0", "-o", folder
    )

    assert_one_error_line(result, problems_allowed=False)
    assert "already has 2 of these outlines (gemeinde 03101001, 03101002)" in result.stderr
    assert snapshot(folder) == before
