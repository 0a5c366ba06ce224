"""A region of a network: a Kreis or a Land with its neighbours, by hand and on national data."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pandas as pd
import pytest
from test_render_static import national_network

from conftest import OFFICIAL
from netkoop import NetkoopError, NetkoopWarning
from netkoop.model.network import Network
from netkoop.model.outlines import outlines_frame
from netkoop.render import region as region_module
from netkoop.render.region import region, touching
from netkoop.render.static import static_figure

# Five Kreise in a row, a-b-c-d (Land 03) and e (Land 04) beside d; Gemeinden in a and b.
UNITS = [
    {"id": "a", "name": "Kreis A", "kind": "landkreis", "land": "03"},
    {"id": "b", "name": "Kreis B", "kind": "landkreis", "land": "03"},
    {"id": "c", "name": "Stadt C", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "d", "name": "Kreis D", "kind": "landkreis", "land": "03"},
    {"id": "e", "name": "Kreis E", "kind": "landkreis", "land": "04"},
    {"id": "a1", "name": "A eins", "kind": "gemeinde", "land": "03", "parent": "a"},
    {"id": "b1", "name": "B eins", "kind": "gemeinde", "land": "03", "parent": "b"},
    {"id": "b2", "name": "B zwei", "kind": "gemeinde", "land": "03", "parent": "b"},
    {"id": "ni", "name": "Niedersachsen", "kind": "land", "land": "03"},
    {"id": "ag", "name": "AG Integration", "kind": "forum", "land": "03"},
    {"id": "ag-e", "name": "AG Ost", "kind": "forum", "land": "04"},
]
TIES = [
    {"from": "a1", "to": "b1", "kind": "exchange"},
    {"from": "b2", "to": "c", "kind": "exchange"},
    {"from": "c", "to": "d", "kind": "joint_project"},
    {"from": "b", "to": "ag", "kind": "membership"},
    {"from": "e", "to": "ag-e", "kind": "membership"},
    {"from": "ni", "to": "d", "kind": "exchange"},
]
FLOWS = [
    {"from": "a1", "to": "b", "commuters": 100},
    {"from": "b1", "to": "c", "commuters": 50},
    {"from": "c", "to": "d", "commuters": 70},
    {"from": "d", "to": "e", "commuters": 30},
]
BORDERS = [
    {"from": "a", "to": "b"},
    {"from": "b1", "to": "c"},  # a Gemeinde's border counts for its Kreis
    {"from": "c", "to": "d"},
    {"from": "d", "to": "e"},
]


def square(x: float, y: float = 52.0) -> dict[str, object]:
    ring = [[x, y], [x + 0.5, y], [x + 0.5, y + 0.5], [x, y + 0.5], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


#: The Kreise side by side in a row (0.5 degrees wide): a, b, c, d touch; e is apart.
OUTLINES = [
    {"id": key, "level": "kreis", "geometry": square(9 + 0.5 * i)} for i, key in enumerate("abcd")
] + [{"id": "e", "level": "kreis", "geometry": square(12)}]


def ids(network: Network) -> list[str]:
    return sorted(network.units["id"])


@pytest.fixture
def row() -> Network:
    return Network.from_tables(UNITS, TIES, FLOWS, borders=BORDERS)


def test_a_kreis_and_its_neighbours(row: Network) -> None:
    part = region(row, "a")
    # a and its neighbour b, their Gemeinden, and the forum b is a member of.
    assert ids(part) == ["a", "a1", "ag", "b", "b1", "b2"]
    assert part.ties[["from", "to"]].values.tolist() == [["a1", "b1"], ["b", "ag"]]
    assert part.flows[["from", "to"]].values.tolist() == [["a1", "b"]]
    assert part.borders[["from", "to"]].values.tolist() == [["a", "b"]]


def test_a_neighbour_through_a_gemeinde_border(row: Network) -> None:
    # b1 borders c: b and c are neighbours.
    assert ids(region(row, "c")) == ["ag", "b", "b1", "b2", "c", "d", "ni"]
    assert ids(region(row, "d")) == ["ag-e", "c", "d", "e", "ni"]


def test_a_land_and_the_kreise_beyond_its_border(row: Network) -> None:
    assert ids(region(row, "04")) == ["ag-e", "d", "e", "ni"]
    # By the id of its Land unit, or its key.
    assert ids(region(row, "ni")) == ids(region(row, "03"))
    assert set(ids(region(row, "03"))) == {u["id"] for u in UNITS}


def test_the_title_names_the_region(row: Network) -> None:
    assert region(row, "a").metadata.title == "network – Kreis A"
    assert region(row.with_metadata(title="Netz"), "04").metadata.title == "Netz – Bremen"


def test_the_input_is_unchanged(row: Network) -> None:
    before = row.units.copy()
    region(row, "a")
    pd.testing.assert_frame_equal(row.units, before)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("x", "region: 'x' is no Kreis or Land of this network$"),
        ("Krais A", r"'Krais A' is no Kreis or Land .*did you mean 'a' \(Kreis A\)\?"),
        ("b1", r"'b1' \(B eins\) is a gemeinde, not a Kreis or Land; use its Kreis 'b'"),
        ("ag", r"'ag' \(AG Integration\) is a forum, not a Kreis or Land$"),
    ],
)
def test_errors(row: Network, key: str, message: str) -> None:
    with pytest.raises(NetkoopError, match=message):
        region(row, key)


def test_a_land_without_kreise() -> None:
    net = Network.from_tables([{"id": "g", "name": "G", "kind": "land", "land": "05"}])
    with pytest.raises(NetkoopError, match="the Land 'g' has no Kreise in this network"):
        region(net, "g")


def outlined() -> Network:
    outlines, problems = outlines_frame(OUTLINES)
    assert problems == []
    units = [u for u in UNITS if u["kind"] != "land"]
    ties = [t for t in TIES if "ni" not in (t["from"], t["to"])]
    return Network.from_tables(units, ties, FLOWS, outlines=outlines)


def test_without_borders_neighbours_come_from_touching_outlines() -> None:
    net = outlined()
    assert ids(region(net, "b")) == ["a", "a1", "ag", "b", "b1", "b2", "c"]
    assert ids(region(net, "e")) == ["ag-e", "e"]
    assert sorted(region(net, "b").outlines["id"]) == ["a", "b", "c"]


def test_outlines_that_share_corners_without_shapely(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def no_shapely(name: str, package: str | None = None) -> object:
        if name == "shapely":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(region_module.importlib, "import_module", no_shapely)
    outlines = outlines_frame(OUTLINES)[0]
    assert touching(outlines, ["b"]) == {"a", "c"}
    assert touching(outlines, ["e"]) == set()


def test_without_borders_and_outlines_a_warning(row: Network) -> None:
    bare = Network.from_tables(UNITS, TIES, FLOWS)
    with pytest.warns(NetkoopWarning, match="no borders and no outlines"):
        assert ids(region(bare, "a")) == ["a", "a1"]


# --- the national network -------------------------------------------------------------------

#: Landkreis Hildesheim's neighbours, read off the map.
HILDESHEIM = {
    "03241": "Region Hannover",
    "03157": "Peine",
    "03102": "Salzgitter",
    "03158": "Wolfenbüttel",
    "03153": "Goslar",
    "03155": "Northeim",
    "03255": "Holzminden",
    "03252": "Hameln-Pyrmont",
}


@pytest.fixture(scope="module")
def germany(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return national_network(tmp_path_factory.mktemp("national"), gemeinden=True)


def test_hildesheim_and_its_neighbours(germany: Network) -> None:
    part = region(germany, "03254")
    kreise = part.units[part.units["kind"] != "gemeinde"]
    assert set(kreise["id"]) == {"03254", *HILDESHEIM}
    # Every Gemeinde of the nine Kreise, counted from the Destatis table itself.
    gemeinden = pd.read_csv(OFFICIAL / "derived" / "gemeinden.csv.gz", dtype=str)
    wanted = gemeinden[
        gemeinden["kreis_ags"].isin(kreise["id"])
        & gemeinden["gemeinde_typ_code"].isin(["60", "63", "64", "65", "66", "67"])
    ]
    assert set(part.units.loc[part.units["kind"] == "gemeinde", "id"]) == set(wanted["ags"])
    # The flows among the nine Kreise, counted from the BA table.
    flows = pd.read_csv(OFFICIAL / "derived" / "pendler_kreise_od.csv.gz", dtype=str)
    among = flows["wohnort_kreis"].isin(kreise["id"]) & flows["arbeitsort_kreis"].isin(kreise["id"])
    assert len(part.flows) == int(among.sum())
    assert set(part.outlines.loc[part.outlines["level"] == "kreis", "id"]) == set(kreise["id"])
    assert list(part.outlines.loc[part.outlines["level"] == "land", "id"]) == ["03"]


def test_hildesheim_neighbours_from_outlines_equal_those_from_borders(germany: Network) -> None:
    assert touching(germany.outlines, ["03254"]) == set(HILDESHEIM)


def test_the_figure_of_a_region_draws_its_kreise(germany: Network) -> None:
    svg = static_figure(region(germany, "03254"), "svg", color_by="population").decode("utf-8")
    kreise = re.findall(r'id="outline-kreis-(\d+)"', svg)
    assert sorted(kreise) == sorted({"03254", *HILDESHEIM})
    assert "Deutschland: Kreise – Hildesheim" in svg


def test_a_national_land(germany: Network, tmp_path: Path) -> None:
    part = region(germany, "03")
    kreise = part.units[part.units["kind"].isin(["landkreis", "kreisfreie_stadt"])]
    own = kreise[kreise["land"] == "03"]
    assert len(own) == 45  # Niedersachsen: 37 Landkreise and 8 kreisfreie Städte
    assert {"04011", "04012"} <= set(kreise["id"])  # Bremen and Bremerhaven, in the middle
    assert "09162" not in set(kreise["id"])  # München is no neighbour
