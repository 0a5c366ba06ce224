"""Outlines as data: the table, its checks, the GeoJSON file beside a scenario, extends, save."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import netkoop
from netkoop import Network, ScenarioError
from netkoop.model.outlines import (
    OUTLINE_COLUMNS,
    empty_outlines,
    outlines_frame,
    outlines_from_geojson,
    outlines_geojson,
)
from netkoop.scenario.fix import fix
from tests.conftest import assert_problems, run_cli


def square(x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


UNITS = [
    {"id": "03254", "name": "Hildesheim", "kind": "landkreis", "land": "03"},
    {"id": "03241", "name": "Region Hannover", "kind": "landkreis", "land": "03"},
    {"id": "03254021", "name": "Hildesheim, Stadt", "kind": "gemeinde", "land": "03",
     "parent": "03254", "lat": 52.15, "lon": 9.95},
]  # fmt: skip

OUTLINES = [
    {"id": "03", "level": "land", "name": "Niedersachsen", "geometry": square(9, 52, 2)},
    {
        "id": "03254",
        "level": "kreis",
        "name": "Hildesheim",
        "geometry": square(9.5, 52),
        "lat": 52.1,
        "lon": 9.9,
    },
    {"id": "03241", "level": "kreis", "geometry": square(9.5, 52.5), "lat": 52.4, "lon": 9.7},
]


def network() -> Network:
    return Network.from_tables(UNITS, outlines=OUTLINES)


def feature_collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def feature(key: str, level: str = "kreis", geometry: dict | None = None, **more) -> dict:
    return {
        "type": "Feature",
        "properties": {"id": key, "level": level, **more},
        "geometry": geometry or square(9, 52),
    }


# --- the table -------------------------------------------------------------------------------


def test_a_network_without_outlines_has_an_empty_table_with_the_columns():
    outlines = Network.from_tables(UNITS).outlines

    assert outlines.empty
    assert list(outlines.columns) == list(OUTLINE_COLUMNS)
    assert list(outlines.columns[:4]) == ["id", "level", "name", "geometry"]


def test_outlines_are_typed_and_their_geometries_plain_lists_of_floats():
    outlines = network().outlines

    assert list(outlines["id"]) == ["03", "03254", "03241"]
    assert list(outlines["level"]) == ["land", "kreis", "kreis"]
    assert pd.isna(outlines.loc[2, "name"])
    assert outlines["id"].dtype == "str"
    assert outlines["lat"].dtype == "float64"
    geometry = outlines.loc[1, "geometry"]
    assert geometry["type"] == "Polygon"
    assert geometry["coordinates"][0][1] == [10.5, 52.0]
    assert all(isinstance(v, float) for v in geometry["coordinates"][0][0])


def test_a_data_frame_of_outlines_is_accepted_too():
    net = Network.from_tables(UNITS, outlines=pd.DataFrame(OUTLINES))

    assert net.outlines.equals(network().outlines)


def test_units_without_coordinates_take_the_point_of_their_outline():
    units = network().units.set_index("id")

    assert (units.loc["03254", "lat"], units.loc["03254", "lon"]) == (52.1, 9.9)
    assert (units.loc["03241", "lat"], units.loc["03241", "lon"]) == (52.4, 9.7)
    # A unit with coordinates of its own keeps them.
    assert (units.loc["03254021", "lat"], units.loc["03254021", "lon"]) == (52.15, 9.95)


def test_at_keeps_the_outlines_and_remove_units_drops_theirs_but_not_the_lands():
    net = network()

    assert net.at("2020").outlines.equals(net.outlines)
    assert net.with_tables(ties=net.ties).outlines.equals(net.outlines)
    smaller = net.remove_units(["03241"])
    assert list(smaller.outlines["id"]) == ["03", "03254"]


def test_equals_tells_outlines_apart():
    other = Network.from_tables(UNITS, outlines=[{**OUTLINES[0], "geometry": square(9, 52, 3)}])

    assert not network().equals(other)
    assert network().equals(network())


def test_an_altitude_is_dropped_and_multipolygons_are_read():
    ring = [[9, 52, 80], [10, 52, 81], [10, 53, 82], [9, 52, 80]]
    multi = {"type": "MultiPolygon", "coordinates": [[ring], square(11, 52)["coordinates"]]}

    frame, problems = outlines_frame([{"id": "03", "level": "Land", "geometry": multi}])

    assert problems == []
    assert frame.loc[0, "geometry"]["coordinates"][0][0][0] == [9.0, 52.0]
    assert frame.loc[0, "level"] == "land"


@pytest.mark.parametrize(
    ("row", "field", "says"),
    [
        ({"level": "kreis", "geometry": square(9, 52)}, "id", "needs the id"),
        ({"id": 3254, "level": "kreis", "geometry": square(9, 52)}, "id", "not a number"),
        ({"id": "03254", "level": "bezirk", "geometry": square(9, 52)}, "level", "land, kreis"),
        ({"id": "03254", "level": "kreis"}, "geometry", "needs a geometry"),
        (
            {
                "id": "03254",
                "level": "kreis",
                "geometry": {"type": "Point", "coordinates": [9, 52]},
            },
            "geometry",
            "a Point, not a polygon",
        ),
        (
            {"id": "03254", "level": "kreis", "geometry": square(550_000, 5_800_000, 1000)},
            "geometry",
            "not in lon/lat degrees",
        ),
        (
            {
                "id": "03254",
                "level": "kreis",
                "geometry": {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53]]]},
            },
            "geometry",
            "at least 4 positions",
        ),
        (
            {
                "id": "03254",
                "level": "kreis",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 53]]],
                },
            },
            "geometry",
            "ends where it starts",
        ),
        (
            {"id": "03254", "level": "kreis", "geometry": square(9, 52), "lat": 100},
            "lat",
            "within ±90",
        ),
    ],
)
def test_bad_outline_rows_are_named(row, field, says):
    frame, problems = outlines_frame([row])

    assert frame.empty
    assert [(p.where, p.field) for p in problems] == [("outlines, row 1", field)]
    assert says in problems[0].message


def test_from_tables_raises_on_bad_outlines():
    with pytest.raises(ScenarioError, match=r"outlines, row 2.*second outline of the same"):
        Network.from_tables(UNITS, outlines=[OUTLINES[1], OUTLINES[1]])


def test_geojson_written_reads_back_identically():
    outlines = network().outlines
    text = outlines_geojson(outlines)

    back, problems = outlines_from_geojson(json.loads(text), "outlines.geojson")

    assert problems == []
    assert back.equals(outlines)
    assert text.count("\n") == len(outlines) + 2  # a line per feature, the head and the end
    assert outlines_geojson(empty_outlines()) == '{"type":"FeatureCollection","features":[\n]}\n'


def test_geojson_ids_may_be_feature_ids_and_other_properties_are_not_read():
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "03254",
                "properties": {"level": "kreis", "GEN": "Hildesheim"},
                "geometry": square(9, 52),
            }
        ],
    }

    frame, problems = outlines_from_geojson(data, "x.geojson")

    assert problems == []
    assert list(frame["id"]) == ["03254"]
    assert list(frame.columns) == list(OUTLINE_COLUMNS)


def test_many_bad_features_are_counted_in_one_line():
    data = json.loads(feature_collection(*[feature("03254", "bezirk")] * 30))

    _, problems = outlines_from_geojson(data, "x.geojson")

    assert len(problems) == 21
    assert problems[-1].where == "x.geojson"
    assert problems[-1].message.startswith("and 10 more features:")


# --- a scenario's outlines file --------------------------------------------------------------

SCENARIO = """\
format_version: 1
name: region
units:
  - {id: "03254", name: Hildesheim, kind: landkreis, land: "03"}
  - {id: "03241", name: Region Hannover, kind: landkreis, land: "03"}
outlines: {file: outlines.geojson}
"""


def write(folder, text=SCENARIO, outlines: str | bytes | None = None):
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    if outlines is not None:
        path = folder / "outlines.geojson"
        if isinstance(outlines, bytes):
            path.write_bytes(outlines)
        else:
            path.write_text(outlines, encoding="utf-8")
    return folder / "scenario.yaml"


def test_a_scenario_reads_its_outlines_file(folder):
    path = write(
        folder,
        outlines=feature_collection(
            feature("03254", lat=52.1, lon=9.9), feature("03241"), feature("03", "land")
        ),
    )

    net = netkoop.load(path)

    assert list(net.outlines["id"]) == ["03254", "03241", "03"]
    assert net.units.set_index("id").loc["03254", "lat"] == 52.1
    assert folder / "outlines.geojson" in net.metadata.inputs


def test_broken_json_is_one_error_naming_file_line_and_column(folder):
    path = write(folder, outlines='{"type": "FeatureCollection",\n "features": [}')

    assert_problems(
        path, ("error", "outlines.geojson, line 2, column 15", None, None, "not valid JSON")
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"type": "Feature", "properties": {}}', "top level is Feature"),
        ("[1, 2]", "top level is list"),
        ('{"type": "FeatureCollection"}', "no list of 'features'"),
    ],
)
def test_a_file_that_is_no_feature_collection_is_one_error(folder, content, says):
    path = write(folder, outlines=content)

    assert_problems(path, ("error", "outlines.geojson", None, None, says))


def test_binary_and_missing_files_are_one_error(folder):
    path = write(folder, outlines=b"\xff\xfe\x00garbage")
    assert_problems(path, ("error", "outlines.geojson", None, None, "is not UTF-8 text"))

    (folder / "outlines.geojson").unlink()
    assert_problems(
        path,
        ("error", "scenario.yaml, line 6", "file", "outlines.geojson", "does not exist"),
    )


def test_the_outlines_key_takes_one_file_and_no_other_option(folder):
    path = write(folder, SCENARIO.replace("{file: outlines.geojson}", "[a, b]"))
    assert_problems(path, ("error", "scenario.yaml, line 6", "outlines", None, "one GeoJSON"))

    path = write(
        folder,
        SCENARIO.replace("{file: outlines.geojson}", "{file: outlines.geojson, sheet: x}"),
        outlines=feature_collection(feature("03254")),
    )
    assert_problems(path, ("error", "scenario.yaml, line 6", "sheet", None, "no option"))


def test_an_outlines_file_outside_the_folder_is_not_read(folder):
    (folder.parent / "outside.geojson").write_text(feature_collection(), encoding="utf-8")
    path = write(folder, SCENARIO.replace("outlines.geojson", "../outside.geojson"))

    assert_problems(
        path,
        ("error", "scenario.yaml, line 6", "file", "../outside.geojson", "lies outside"),
    )


def test_bad_features_are_located(folder):
    path = write(
        folder,
        outlines=feature_collection(
            feature("03254"), feature("03241", geometry={"type": "LineString"}), "x"
        ),
    )

    assert_problems(
        path,
        ("error", "outlines.geojson, feature 2", "geometry", None, "a LineString, not a polygon"),
        ("error", "outlines.geojson, feature 3", None, "x", "not a GeoJSON Feature"),
    )


def test_a_kreis_outline_without_a_unit_is_a_warning_a_land_outline_is_fine(folder):
    path = write(
        folder,
        outlines=feature_collection(
            feature("03254"), feature("03255"), feature("03", "land"), feature("09", "land")
        ),
    )

    result = assert_problems(
        path, ("warning", "outlines", None, None, "1 outline names no unit (03255)")
    )
    assert result.ok


def test_validate_and_info_report_a_broken_outlines_file_without_a_traceback(folder):
    path = write(folder, outlines="{not json")

    result = run_cli("validate", path)

    assert result.exit_code == 1
    assert "outlines.geojson, line 1, column 2: not valid JSON" in result.output


def test_extends_inherits_the_outlines_and_own_ones_replace_the_bases(folder):
    write(folder, outlines=feature_collection(feature("03254"), feature("03", "land")))
    child = folder / "child"
    child.mkdir()
    (child / "scenario.yaml").write_text(
        "format_version: 1\nextends: ../scenario.yaml\n", encoding="utf-8"
    )
    assert list(netkoop.load(child).outlines["id"]) == ["03254", "03"]

    (child / "scenario.yaml").write_text(
        "format_version: 1\nextends: ../scenario.yaml\noutlines: {file: own.geojson}\n",
        encoding="utf-8",
    )
    (child / "own.geojson").write_text(
        feature_collection(feature("03", "land", name="neu"), feature("03241")), encoding="utf-8"
    )
    outlines = netkoop.load(child).outlines
    assert list(outlines["id"]) == ["03254", "03", "03241"]
    assert outlines.set_index("id").loc["03", "name"] == "neu"


# --- saving ----------------------------------------------------------------------------------


def test_save_writes_the_outlines_beside_the_scenario_and_load_reads_them_back(tmp_path):
    net = network()

    path = net.save(tmp_path / "region")

    assert (tmp_path / "region" / "outlines.geojson").is_file()
    assert "outlines:\n  file: outlines.geojson\n" in path.read_text(encoding="utf-8")
    back = netkoop.load(path)
    assert back.equals(net)
    assert back.outlines.equals(net.outlines)


def test_a_network_without_outlines_writes_no_outlines_file(tmp_path):
    path = Network.from_tables(UNITS).save(tmp_path / "region")

    assert not (tmp_path / "region" / "outlines.geojson").exists()
    assert "outlines" not in path.read_text(encoding="utf-8")


def test_saving_again_without_outlines_removes_the_old_file(tmp_path):
    network().save(tmp_path / "region")
    Network.from_tables(UNITS).save(tmp_path / "region", overwrite=True)

    assert not (tmp_path / "region" / "outlines.geojson").exists()
    assert netkoop.load(tmp_path / "region").outlines.empty


def test_fix_copies_the_outlines_file(folder, tmp_path):
    write(folder, outlines=feature_collection(feature("03254"), feature("03", "land")))

    fixed = fix(folder / "scenario.yaml", tmp_path / "fixed")

    assert (tmp_path / "fixed" / "outlines.geojson").read_bytes() == (
        folder / "outlines.geojson"
    ).read_bytes()
    assert len(netkoop.load(fixed.scenario).outlines) == 2


def test_points_are_finite_numbers_or_missing():
    outlines = network().outlines

    assert math.isnan(outlines.loc[0, "lat"])
    assert outlines.loc[1, "lon"] == 9.9
