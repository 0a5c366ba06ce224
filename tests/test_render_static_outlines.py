"""Outlines of static figures: paths built at once, and a PNG's collections drawn as patches."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.path import Path as MplPath
from PIL import Image
from test_render_static import gids, national_network, two_kreise

import netkoop
from netkoop.model.network import Network
from netkoop.model.outlines import outlines_frame
from netkoop.render import static
from netkoop.render.projection import MapFrame
from netkoop.render.sheet import outline_paths

FRAME = MapFrame(4321000.0, 3210000.0, 0.001)


def square(x: float, y: float, side: float, *, clockwise: bool = False) -> list[list[float]]:
    """A closed ring, counter-clockwise in lon/lat unless ``clockwise``."""
    ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
    return ring[::-1] if clockwise else ring


def paths_of(rows: list[dict[str, Any]]) -> list[tuple[str, str, MplPath]]:
    frame, problems = outlines_frame(rows)
    assert problems == []
    return outline_paths(frame, FRAME)


def areas(path: MplPath) -> list[float]:
    """The shoelace area (twice) of each ring of a path, in canvas coordinates."""
    found = []
    for ring in path.to_polygons(closed_only=False):
        x, y = ring[:, 0], ring[:, 1]
        found.append(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    return found


def test_rings_are_closed_and_holes_wound_against_their_outer_ring() -> None:
    # The hole is given wound like its outer ring; the second Kreis's parts both clockwise.
    rows = [
        {
            "id": "b",
            "level": "kreis",
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [square(10, 52, 1, clockwise=True)],
                    [square(11, 52, 1, clockwise=True), square(11.2, 52.2, 0.4, clockwise=True)],
                ],
            },
        },
        {"id": "l", "level": "land", "geometry": {"type": "Polygon", "coordinates": [square(9, 51, 4)]}},
        {
            "id": "a",
            "level": "kreis",
            "geometry": {"type": "Polygon", "coordinates": [square(9, 52, 1), square(9.2, 52.2, 0.5)]},
        },
    ]  # fmt: skip
    paths = paths_of(rows)
    # Kreise before Länder, in their order within a level.
    assert [(place, level) for place, level, _ in paths] == [
        ("b", "kreis"),
        ("a", "kreis"),
        ("l", "land"),
    ]
    b, a, land = (path for _, _, path in paths)
    # Each ring: its five points (closing point included) and the first again.
    assert len(b.vertices) == 18
    assert b.codes is not None
    starts = np.flatnonzero(b.codes == MplPath.MOVETO).tolist()
    assert starts == [0, 6, 12]
    assert np.flatnonzero(b.codes == MplPath.CLOSEPOLY).tolist() == [5, 11, 17]
    for start in starts:
        assert np.array_equal(b.vertices[start], b.vertices[start + 5])
    outer_b, outer_c, hole = areas(b)
    assert outer_b > 0
    assert outer_c > 0
    assert hole < 0
    outer_a, hole_a = areas(a)
    assert outer_a > 0
    assert hole_a < 0
    assert areas(land)[0] > 0
    # The points are the projected ones, only reordered.
    x, y = FRAME.canvas(np.array([9.0]), np.array([52.0]))
    assert [x[0], y[0]] in a.vertices.tolist()


def test_rings_of_fewer_than_three_points_and_empty_outlines_are_left_out() -> None:
    # A table as the checks would never let through: the drawing skips what it cannot fill.
    line = [[9.1, 52.1], [9.2, 52.2]]
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "level": ["kreis", "kreis", "kreis"],
            "geometry": [
                {"type": "Polygon", "coordinates": [square(9, 52, 1), line]},
                {"type": "Polygon", "coordinates": [line]},
                {"type": "MultiPolygon", "coordinates": [[square(10, 52, 1)]]},
            ],
        }
    )
    paths = outline_paths(frame, FRAME)
    assert [place for place, _, _ in paths] == ["a", "c"]
    assert len(paths[0][2].vertices) == 6


def test_no_outlines_no_paths() -> None:
    net = netkoop.load("beispielregion")
    assert outline_paths(net.outlines, FRAME) == []


def patch_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw a PNG's outlines one patch each, as SVG and PDF do."""
    draw = static.draw_outlines

    def per_outline(*args: Any, one_artist: bool) -> None:
        draw(*args, one_artist=False)

    monkeypatch.setattr(static, "draw_outlines", per_outline)


def pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize(
    "settings",
    [
        {"color_by": "coordination_office"},
        {"color_by": "population", "focus": "a"},  # one Kreis left for the collection
        {},
    ],
)
def test_a_png_draws_the_outlines_as_patches_would(
    monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any]
) -> None:
    net = two_kreise()
    grouped = static.static_figure(net, "png", dpi=80, **settings)
    patch_drawn(monkeypatch)
    assert np.array_equal(
        pixels(grouped), pixels(static.static_figure(net, "png", dpi=80, **settings))
    )


@pytest.fixture(scope="module")
def germany(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return national_network(tmp_path_factory.mktemp("national"))


def test_the_national_png_is_the_picture_of_one_patch_per_outline(
    germany: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings: dict[str, Any] = {"color_by": "population", "focus": "03254", "dpi": 100}
    grouped = static.static_figure(germany, "png", **settings)
    patch_drawn(monkeypatch)
    one_each = static.static_figure(germany, "png", **settings)
    assert np.array_equal(pixels(grouped), pixels(one_each))
    assert grouped == one_each  # the same bytes, too


def test_an_svg_keeps_one_path_per_outline() -> None:
    net = two_kreise()
    svg = static.static_figure(net, "svg", color_by="population").decode("utf-8")
    assert sorted(gids(svg, "outline-kreis-")) == ["a", "b"]
    assert "outlines-kreis" not in svg  # no collection
