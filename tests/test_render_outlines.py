"""Maps in the page: the projection, outlines under the units, the choropleth and the labels' data."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import mapclassify
import maps
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

import netkoop
from conftest import page_data, quiet_load
from conftest import run_cli as run
from netkoop import NetkoopError, NetkoopWarning
from netkoop.interventions.edits import set_attributes
from netkoop.render import RenderOptions, place_units, to_html
from netkoop.render import classes as classes_module
from netkoop.render import options as options_module
from netkoop.render.names import label_order, short_name
from netkoop.render.projection import MapFrame, to_metres
from netkoop.render.style import LABEL_FONT

GEOD = Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def germany() -> netkoop.Network:
    """The 400 Kreise with their outlines and a unit for each Land."""
    return maps.germany(laender=True)


@pytest.fixture(scope="module")
def germany_page(germany: netkoop.Network) -> dict[str, Any]:
    return page_data(to_html(germany, color_by="population"))


def rings_of(data: dict[str, Any]) -> list[list[np.ndarray]]:
    """The rings of each outline of a page, decoded as the page script decodes them."""
    outlines = data["outlines"]
    points = np.cumsum(np.asarray(outlines["xy"], dtype=np.int64).reshape(-1, 2), axis=0)
    points = points * outlines["quantum"]
    decoded, at = [], 0
    for counts in outlines["rings"]:
        rings = []
        for count in counts:
            rings.append(points[at : at + count])
            at += count
        decoded.append(rings)
    assert at == len(points)
    return decoded


def polygon_of(rings: list[np.ndarray]) -> shapely.Geometry:
    """The area of rings filled even-odd, as the page fills them."""
    area = shapely.Polygon()
    for ring in rings:
        area = shapely.symmetric_difference(area, shapely.Polygon(ring).buffer(0))
    return area


# --- the projection -------------------------------------------------------------------------


def test_the_map_is_projected_with_etrs89_laea() -> None:
    east, north = to_metres(np.array([10.0, 9.9485]), np.array([52.0, 52.1506]))
    assert east[0] == pytest.approx(4_321_000)
    assert north[0] == pytest.approx(3_210_000)
    # Hildesheim lies about 17 km north-north-west of the projection's origin at 52°N 10°E.
    assert math.hypot(east[1] - east[0], north[1] - north[0]) == pytest.approx(17_300, rel=0.02)


def test_units_are_placed_through_the_map_frame(germany: netkoop.Network) -> None:
    units = germany.units
    placed = place_units(units, germany.ties)
    assert placed.method == "geographic"
    assert isinstance(placed.frame, MapFrame)
    located = units["lat"].notna().to_numpy()
    x, y = placed.frame.canvas(units["lon"].to_numpy()[located], units["lat"].to_numpy()[located])
    assert np.allclose(x, placed.x[located])
    assert np.allclose(y, placed.y[located])


def test_distances_and_areas_are_true_to_scale(germany: netkoop.Network) -> None:
    """Equal-area: Kreise in the north and the south keep their areas (Web Mercator would
    draw Nordfriesland a third larger against Berchtesgadener Land)."""
    data = page_data(to_html(germany))
    placed = place_units(germany.units, germany.ties)
    assert placed.frame is not None
    scale = placed.frame.scale
    outlines = data["outlines"]
    rings = rings_of(data)
    source = maps.germany_outlines().set_index(["level", "id"])
    for key in ("01054", "09172", "05315", "14612"):  # Nordfriesland ... Dresden
        k = next(
            i
            for i, (o, lv) in enumerate(zip(outlines["id"], outlines["level"], strict=True))
            if o == key and outlines["levels"][lv] == "kreis"
        )
        drawn = polygon_of(rings[k]).area / scale**2
        geometry = shapely.geometry.shape(source.loc[("kreis", key), "geometry"])
        true_area = abs(GEOD.geometry_area_perimeter(geometry)[0])
        assert drawn == pytest.approx(true_area, rel=0.005), key
    ids = germany.units["id"].tolist()
    kiel, muenchen = ids.index("01002"), ids.index("09162")
    canvas = math.hypot(placed.x[kiel] - placed.x[muenchen], placed.y[kiel] - placed.y[muenchen])
    lat, lon = germany.units["lat"].to_numpy(), germany.units["lon"].to_numpy()
    metres = GEOD.inv(lon[kiel], lat[kiel], lon[muenchen], lat[muenchen])[2]
    assert canvas / scale == pytest.approx(metres, rel=0.005)


# --- outlines in the page data ---------------------------------------------------------------


def test_the_page_holds_400_kreise_and_16_laender_under_their_units(
    germany: netkoop.Network, germany_page: dict[str, Any]
) -> None:
    outlines = germany_page["outlines"]
    levels = [outlines["levels"][lv] for lv in outlines["level"]]
    assert levels.count("kreis") == 400
    assert levels.count("land") == 16
    assert levels.index("land") > max(i for i, lv in enumerate(levels) if lv == "kreis")
    rings = rings_of(germany_page)
    units = germany_page["units"]
    source = maps.germany_outlines().set_index(["level", "id"])["geometry"]
    located = germany.units.set_index("id")
    agree = 0
    for k, unit in enumerate(outlines["unit"]):
        if levels[k] != "kreis":
            continue
        key = outlines["id"][k]
        assert units["id"][unit] == key
        # A unit stands at the centroid of its Kreis, which lies in the Kreis unless the
        # Kreis surrounds a kreisfreie Stadt: drawn, it lies where it lies on the globe.
        on_globe = shapely.geometry.shape(source[("kreis", key)]).contains(
            shapely.Point(located.loc[key, "lon"], located.loc[key, "lat"])
        )
        drawn = polygon_of(rings[k]).contains(shapely.Point(units["x"][unit], units["y"][unit]))
        agree += on_globe == drawn
    assert agree >= 398  # a unit within a step of its border may fall either way
    assert outlines["name"][outlines["id"].index("03254")] == "Hildesheim"


def test_the_national_page_with_outlines_stays_under_one_and_a_half_megabytes(
    germany: netkoop.Network,
) -> None:
    page = to_html(germany, color_by="coverage")
    assert len(page.encode("utf-8")) < 1_500_000
    plain = to_html(maps.germany(outlines=False, laender=True))
    assert len(page.encode("utf-8")) - len(plain.encode("utf-8")) < 400_000


def test_laender_without_ties_are_context_not_places(
    germany: netkoop.Network, germany_page: dict[str, Any]
) -> None:
    kinds = [germany_page["unitKinds"][k]["key"] for k in germany_page["units"]["kind"]]
    context = germany_page["context"]
    assert sorted(kinds[i] for i in context) == ["land"] * 16
    counts = {k["key"]: k["count"] for k in germany_page["unitKinds"]}
    assert counts == {"land": 0, "landkreis": 294, "kreisfreie_stadt": 106}
    lands = {land["code"]: land["count"] for land in germany_page["lands"]}
    assert lands["03"] == 45  # 37 Landkreise and 8 kreisfreie Städte, not the Land itself
    tied = germany.add_ties([{"from": "03", "to": "03254", "kind": "exchange"}])
    assert len(page_data(to_html(tied))["context"]) == 15


def test_without_outlines_or_coordinates_nothing_is_context(region: netkoop.Network) -> None:
    data = page_data(to_html(maps.germany(outlines=False, laender=True)))
    assert data["outlines"] is None
    assert data["context"] == []
    spring = quiet_load("zwei-welten-2020")
    data = page_data(to_html(spring.with_tables(outlines=maps.germany_outlines())))
    assert data["layout"] == "spring"
    assert data["outlines"] is None


def test_outline_coordinates_are_small_steps(germany_page: dict[str, Any]) -> None:
    outlines = germany_page["outlines"]
    steps = np.abs(np.asarray(outlines["xy"][2:]))
    assert outlines["quantum"] == 0.1
    assert np.percentile(steps, 90) < 1000  # mostly two or three digits a coordinate
    assert outlines["style"]["land"]["width"] > outlines["style"]["kreis"]["width"]


# --- the choropleth -------------------------------------------------------------------------


def _classes_of(data: dict[str, Any]) -> dict[str, int]:
    outlines = data["outlines"]
    return {
        key: code
        for key, code, level in zip(
            outlines["id"], outlines["classes"], outlines["level"], strict=True
        )
        if outlines["levels"][level] == "kreis"
    }


def test_the_choropleth_has_the_quantiles_of_mapclassify(
    germany: netkoop.Network, germany_page: dict[str, Any]
) -> None:
    kreise = germany.units[germany.units["kind"] != "land"]
    expected = mapclassify.Quantiles(kreise["population"].to_numpy(dtype=float), k=5)
    choropleth = germany_page["choropleth"]
    assert choropleth["scheme"] == "quantiles"
    assert choropleth["breaks"] == pytest.approx(list(expected.bins))
    assert choropleth["colours"] == list(classes_module.SEQUENTIAL[5])
    assert _classes_of(germany_page) == dict(zip(kreise["id"], expected.yb.tolist(), strict=True))
    assert choropleth["label"] == "Einwohner"
    assert choropleth["schemeLabel"] == "Quantile, 5 Klassen"
    assert len(choropleth["classLabels"]) == 5


def test_natural_breaks_and_categories(germany: netkoop.Network) -> None:
    data = page_data(to_html(germany, color_by="population", classes="natural_breaks", k=4))
    kreise = germany.units[germany.units["kind"] != "land"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # mapclassify's "Numba not installed"
        expected = mapclassify.FisherJenks(kreise["population"].to_numpy(dtype=float), k=4)
    assert data["choropleth"]["breaks"] == pytest.approx(list(expected.bins))
    assert _classes_of(data) == dict(zip(kreise["id"], expected.yb.tolist(), strict=True))
    offices = set_attributes(
        germany, kreise["id"].iloc[::2].tolist(), coordination_office="permanent"
    )
    data = page_data(to_html(offices, color_by="coordination_office", lang="en"))
    choropleth = data["choropleth"]
    assert choropleth["scheme"] == "categories"
    assert "permanent" in choropleth["classLabels"]
    assert choropleth["values"] == [None] * len(data["outlines"]["id"])
    codes = _classes_of(data)
    permanent = choropleth["classLabels"].index("permanent")
    assert {codes[i] for i in kreise["id"].iloc[::2]} == {permanent}


def test_a_choropleth_of_one_kreis_has_one_class(tmp_path: Path) -> None:
    data = page_data(to_html(maps.hildesheim(), color_by="population", lang="en"))
    assert data["choropleth"]["schemeLabel"] == "quantiles, 1 class"
    assert data["choropleth"]["classLabels"] == ["278,571"]
    outlines = data["outlines"]
    assert [outlines["id"][k] for k, c in enumerate(outlines["classes"]) if c >= 0] == ["03254"]


def test_a_choropleth_by_a_measure_shows_its_values(germany: netkoop.Network) -> None:
    data = page_data(to_html(germany, color_by="degree", lang="en"))
    choropleth = data["choropleth"]
    outlines = data["outlines"]
    degree = pd.concat([germany.ties["from"], germany.ties["to"]]).value_counts()
    k = outlines["id"].index("03254")
    assert choropleth["values"][k] == int(degree.get("03254", 0))
    assert choropleth["label"] == "ties"
    land = next(i for i, lv in enumerate(outlines["level"]) if outlines["levels"][lv] == "land")
    assert outlines["classes"][land] == -1


def test_a_choropleth_by_a_structure_measure_or_a_metrics_column(
    germany: netkoop.Network,
) -> None:
    data = page_data(to_html(germany, color_by="betweenness"))
    assert data["choropleth"]["column"] == "betweenness"
    scores = pd.DataFrame({"score": np.arange(len(germany.units))}, index=germany.units["id"])
    data = page_data(to_html(germany, color_by="score", metrics=scores))
    assert data["choropleth"]["breaks"][-1] == len(germany.units) - 17  # the last Kreis


def test_an_unknown_color_by_is_an_error_naming_what_is_allowed(
    germany: netkoop.Network,
) -> None:
    with pytest.raises(NetkoopError, match=r"color_by: 'einwohner' .*population"):
        to_html(germany, color_by="einwohner")


def test_a_choropleth_without_outlines_is_a_warning(region: netkoop.Network) -> None:
    with pytest.warns(NetkoopWarning, match="color_by 'population': the network has no outlines"):
        data = page_data(to_html(region, color_by="population"))
    assert data["choropleth"] is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"classes": "jenks"}, "classes: 'jenks' is unknown; use one of quantiles, natural"),
        ({"k": 0}, "k: the number of classes must be 1 to 9; got 0"),
        ({"k": 12}, "k: the number of classes must be 1 to 9; got 12"),
    ],
)
def test_choropleth_options_are_checked(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(NetkoopError, match=message):
        RenderOptions(**settings)


def test_the_options_know_the_schemes_of_the_classes() -> None:
    assert options_module.CLASS_SCHEMES == classes_module.SCHEMES
    assert options_module.MAX_CLASSES == classes_module.MAX_CLASSES


def test_render_color_by_on_the_command_line(tmp_path: Path) -> None:
    scenario = maps.hildesheim().save(tmp_path / "hildesheim")
    out = tmp_path / "karte.html"
    result = run(
        "render",
        scenario,
        "-o",
        out,
        "--color-by",
        "degree",
        "--classes",
        "natural_breaks",
        "-k",
        "3",
    )
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["choropleth"]["scheme"] == "natural_breaks"
    assert data["choropleth"]["column"] == "degree"
    assert data["outlines"]["id"].count("03254") == 1


def test_render_refuses_an_unknown_scheme_and_an_unknown_value(tmp_path: Path) -> None:
    scenario = maps.hildesheim().save(tmp_path / "hildesheim")
    result = run("render", scenario, "-o", tmp_path / "a.html", "--classes", "jenks")
    assert result.exit_code == 2
    assert "'jenks' is not one of 'quantiles', 'natural_breaks', 'categories'" in result.stderr
    result = run("render", scenario, "-o", tmp_path / "b.html", "--color-by", "einwohner")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [
        next(line for line in result.stderr.splitlines() if "color_by" in line)
    ]
    assert "color_by: 'einwohner' is no measure and no column of the units" in result.stderr
    assert not (tmp_path / "b.html").exists()


# --- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short"),
    [
        (
            "Landesarbeitsgemeinschaft der Integrationsbeauftragten",
            "LAG der Integrationsbeauftragten",
        ),
        (
            "Netzwerk der Integrationsbeauftragten Mecklenburg-Vorpommern",
            "Netzwerk … Mecklenburg-Vorpommern",
        ),
        (
            "Arbeitsgemeinschaft der kommunalen Integrationsbeauftragten Niedersachsen",
            "AG der kommunalen … Niedersachsen",
        ),
        ("Bundeskonferenz der Integrationsbeauftragten", "Bundeskonferenz …"),
        (
            "Integrationsbeauftragtenkonferenzvorbereitungsausschuss",
            "Integrationsbeauftragtenkonferenz…",
        ),
        ("Runder Tisch Migration", "Runder Tisch Migration"),
    ],
)
def test_long_forum_names_are_shortened(name: str, short: str) -> None:
    assert short_name(name) == short
    assert len(short) <= 34


def test_labels_are_placed_kreise_first_then_by_population(region: netkoop.Network) -> None:
    data = page_data(to_html(region))
    labels = data["labels"]
    ids = data["units"]["id"]
    order = [ids[i] for i in labels["order"]]
    units = region.units.set_index("id")
    kinds = units.loc[order, "kind"].tolist()
    assert kinds[:3] == ["kreisfreie_stadt", "landkreis", "landkreis"]
    assert kinds[-2:] == ["forum", "forum"]
    gemeinden = [u for u in order if units.loc[u, "kind"] == "gemeinde"]
    people = units.loc[gemeinden, "population"].tolist()
    assert people == sorted(people, reverse=True)
    short = {ids[i]: text for i, text in labels["short"]}
    assert short == {"lag-ni": "LAG der Integrationsbeauftragten", "buko": "Bundeskonferenz …"}
    fonts = {k["key"]: k["font"] for k in data["unitKinds"]}
    assert fonts["landkreis"] == list(LABEL_FONT["landkreis"])
    assert fonts["landkreis"][0] > fonts["gemeinde"][0]


def test_forums_without_population_follow_their_ties() -> None:
    units = pd.DataFrame(
        {"kind": ["forum", "forum", "land"], "population": [None, None, 8_000_000]}
    )
    assert label_order(units, pd.Series([1, 5, 0])).tolist() == [1, 0, 2]
