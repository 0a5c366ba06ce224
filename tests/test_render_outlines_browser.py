"""Maps in a real headless Chromium (playwright), every request blocked: outlines drawn under
the network, the choropleth's colours on screen, a polygon's name on hover.

Browser and page fixtures are those of test_render_page_browser.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mapclassify
import maps
import numpy as np
import pytest
from test_render_outlines import polygon_of, rings_of
from test_render_page_browser import Opened, Opener, browser, open_page

import netkoop
from conftest import page_data
from netkoop.render import render

__all__ = ["browser", "open_page"]  # the shared fixtures

#: The pixel colour of a fill may differ by this much per channel from its class's colour.
TOLERANCE = 3


@pytest.fixture(scope="module")
def germany() -> netkoop.Network:
    return maps.germany(laender=True)


def hide_the_network(opened: Opened) -> None:
    """Switch every unit kind and the commuter overlay off: only the map stays."""
    page = opened.page
    for box in page.locator("[data-filter=unitKind]").all():
        box.uncheck()
    if page.locator("[data-filter=flows]").count():
        page.uncheck("[data-filter=flows]")
    page.mouse.move(2, 2)
    opened.frame()


def pixels(opened: Opened, points: list[tuple[float, float]]) -> list[list[int]]:
    """The RGBA values of the network canvas at canvas points (vis-network coordinates)."""
    found: list[list[int]] = opened.page.evaluate(
        """(points) => {
          const api = window.netkoop;
          const canvas = document.querySelector('#network canvas');
          const ratio = canvas.width / canvas.clientWidth;
          const ctx = canvas.getContext('2d');
          return points.map(([x, y]) => {
            const p = api.network.canvasToDOM({x: x, y: y});
            const d = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
            return Array.from(d);
          });
        }""",
        points,
    )
    return found


def rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def interior_points(data: dict[str, Any], scale: float) -> dict[str, tuple[float, float]]:
    """A point of each Kreis outline 2.5 screen pixels inside its borders, where it has one."""
    outlines = data["outlines"]
    points = {}
    for k, rings in enumerate(rings_of(data)):
        if outlines["levels"][outlines["level"][k]] != "kreis":
            continue
        inner = polygon_of(rings).buffer(-2.5 / scale)
        if not inner.is_empty:
            point = inner.point_on_surface()
            points[outlines["id"][k]] = (point.x, point.y)
    return points


def test_the_national_map_draws_400_kreise_and_16_laender_under_the_network(
    germany: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    out = render(germany, tmp_path / "deutschland.html", color_by="population")
    data = page_data(out.read_text(encoding="utf-8"))
    opened = open_page(out, width=1600, height=1000)
    page = opened.page
    assert page.evaluate("window.netkoop.outlines()") == {"kreis": 400, "land": 16}
    counts = opened.counts()
    assert counts["nodes"] == counts["drawnNodes"] == 400  # the Länder are their outlines
    assert page.locator("[data-filter=unitKind][data-key=land]").count() == 0
    # Under the network: the squares of the kreisfreie Städte cover the fills of their Kreise
    # (Berlin's always: no label covers the symbol of a more important unit; the others' where
    # the label of a larger city does not cross their centre).
    units = data["units"]
    city = next(k for k, kind in enumerate(data["unitKinds"]) if kind["key"] == "kreisfreie_stadt")
    colour = rgb(data["unitKinds"][city]["color"])
    scale = page.evaluate("window.netkoop.network.getScale()")
    cities = [
        i
        for i, kind in enumerate(units["kind"])
        if kind == city and units["size"][i] * scale >= 4  # more than a border's width
    ]
    assert len(cities) > 20
    found = pixels(opened, [(units["x"][i], units["y"][i]) for i in cities])
    covered = [np.abs(np.array(p[:3]) - colour).max() <= TOLERANCE and p[3] == 255 for p in found]
    assert sum(covered) >= 0.8 * len(cities)
    assert covered[cities.index(units["id"].index("11000"))]
    legend = page.inner_text("#legend-map")
    for text in ("EINWOHNER", "Quantile, 5 Klassen", "Landesgrenze", "Kreisgrenze"):
        assert text in legend
    assert page.locator("#legend-map [data-class]").count() == 5
    opened.assert_clean()


def test_the_choropleth_shows_the_classes_of_mapclassify(
    germany: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    out = render(germany, tmp_path / "karte.html", color_by="population", k=5)
    data = page_data(out.read_text(encoding="utf-8"))
    opened = open_page(out, width=1600, height=1600)
    hide_the_network(opened)
    kreise = germany.units[germany.units["kind"] != "land"]
    expected = mapclassify.Quantiles(kreise["population"].to_numpy(dtype=float), k=5)
    classes = dict(zip(kreise["id"], expected.yb.tolist(), strict=True))
    swatches = opened.page.eval_on_selector_all(
        "#legend-map [data-class] rect", "(rects) => rects.map((r) => r.getAttribute('fill'))"
    )
    assert swatches == data["choropleth"]["colours"]
    scale = opened.page.evaluate("window.netkoop.network.getScale()")
    points = interior_points(data, scale)
    assert len(points) >= 385  # all but the smallest kreisfreie Städte
    found = pixels(opened, list(points.values()))
    opacity = round(255 * data["outlines"]["opacity"])
    wrong = []
    for key, pixel in zip(points, found, strict=True):
        want = rgb(data["choropleth"]["colours"][classes[key]])
        if np.abs(np.array(pixel[:3]) - want).max() > TOLERANCE or abs(pixel[3] - opacity) > 2:
            wrong.append((key, pixel, want))
    assert wrong == []
    opened.assert_clean()


def test_hovering_a_polygon_names_its_kreis(
    germany: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    out = render(germany, tmp_path / "karte.html", color_by="population")
    data = page_data(out.read_text(encoding="utf-8"))
    opened = open_page(out, width=1600, height=1000)
    hide_the_network(opened)
    scale = opened.page.evaluate("window.netkoop.network.getScale()")
    x, y = interior_points(data, scale)["03254"]
    at = opened.page.evaluate(
        """([x, y]) => { const p = window.netkoop.network.canvasToDOM({x: x, y: y});
                        const box = document.getElementById('network').getBoundingClientRect();
                        return [box.left + p.x, box.top + p.y]; }""",
        [x, y],
    )
    opened.page.mouse.move(*at)
    opened.page.wait_for_selector("#tip:not([hidden])")
    tip = opened.page.inner_text("#tip")
    for text in ("Hildesheim", "Kreis", "03254", "Einwohner", "278.571"):
        assert text in tip
    opened.page.mouse.move(2, 2)
    opened.page.wait_for_selector("#tip[hidden]", state="attached")
    opened.assert_clean()


def test_a_region_with_a_date_slider_keeps_its_map(open_page: Opener, tmp_path: Path) -> None:
    net = maps.hildesheim()
    ties = net.ties.assign(since=None)
    ties.loc[ties.index[:5], "since"] = "2020"
    dated = net.with_tables(ties=ties)
    out = render(dated, tmp_path / "hildesheim.html", at="2019")
    opened = open_page(out)
    page = opened.page
    assert page.evaluate("window.netkoop.outlines()") == {"kreis": 9}
    before = opened.counts()["ties"]
    last = page.evaluate("window.netkoop.slider.days.length") - 1
    page.evaluate(f"window.netkoop.slider.show({last})")
    opened.frame()
    assert opened.counts()["ties"] == before + 5
    assert page.evaluate("window.netkoop.outlines()") == {"kreis": 9}
    assert page.evaluate("window.netkoop.labels().length") > 10
    opened.assert_clean()
