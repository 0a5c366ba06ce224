"""Labels in a real headless Chromium (playwright), every request blocked: at the default view
no two drawn labels overlap and none is cut at the canvas edge; zooming in shows more.

The page reports the boxes of the labels it drew (``window.netkoop.labels()``, CSS pixels of
the network canvas); each is checked against the canvas, which must hold text inside it.
Browser and page fixtures are those of test_render_page_browser.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import maps
import pytest
from test_render_page_browser import Opened, Opener, browser, open_page

import netkoop
from conftest import quiet_load
from netkoop.render import render

__all__ = ["browser", "open_page"]  # the shared fixtures

#: The networks whose labels are checked, and the unit whose label must be drawn.
CASES: dict[str, tuple[Callable[[], netkoop.Network], str]] = {
    "beispielregion": (lambda: netkoop.load("beispielregion"), "musterstadt"),
    "zwei-welten-2020": (lambda: quiet_load("zwei-welten-2020"), "kfs-01"),
    "hildesheim": (maps.hildesheim, "03254"),
    "hildesheim-ohne-umrisse": (lambda: maps.hildesheim(outlines=False), "03254"),
    "deutschland": (maps.germany, "11000"),
}

#: Viewports: a wide window and a narrow one.
SIZES = [(1400, 900), (720, 560)]

_INKED = """(boxes) => {
  const canvas = document.querySelector('#network canvas');
  const ratio = canvas.width / canvas.clientWidth;
  const ctx = canvas.getContext('2d');
  return boxes.map((b) => {
    const d = ctx.getImageData(Math.floor(b.x * ratio), Math.floor(b.y * ratio),
                               Math.ceil(b.w * ratio), Math.ceil(b.h * ratio)).data;
    let dark = 0;
    for (let p = 0; p < d.length; p += 4) if (d[p + 3] > 200 && d[p] + d[p + 1] + d[p + 2] < 200) dark++;
    return dark;
  });
}"""


def labels(opened: Opened) -> list[dict[str, Any]]:
    opened.frame()
    boxes: list[dict[str, Any]] = opened.page.evaluate("window.netkoop.labels()")
    return boxes


def stage(opened: Opened) -> tuple[float, float]:
    size: dict[str, float] = opened.page.evaluate(
        "(() => { const n = document.getElementById('network');"
        " return {w: n.clientWidth, h: n.clientHeight}; })()"
    )
    return size["w"], size["h"]


def overlap(a: dict[str, Any], b: dict[str, Any]) -> float:
    """The area two boxes share (0 when they only touch or are apart)."""
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


def assert_legible(opened: Opened, boxes: list[dict[str, Any]]) -> None:
    """No two boxes overlap, every box lies inside the canvas, and each holds drawn text."""
    width, height = stage(opened)
    crowded = [
        (a["text"], b["text"]) for a, b in itertools.combinations(boxes, 2) if overlap(a, b) > 0
    ]
    assert crowded == []
    cut = [
        box["text"]
        for box in boxes
        if box["x"] < 0
        or box["y"] < 0
        or box["x"] + box["w"] > width
        or box["y"] + box["h"] > height
    ]
    assert cut == []
    inked = opened.page.evaluate(_INKED, boxes)
    assert all(dark > 0 for dark in inked), [
        b["text"] for b, d in zip(boxes, inked, strict=True) if not d
    ]


def unit_index(opened: Opened, unit_id: str) -> int:
    index: int = opened.page.evaluate(f"window.netkoop.data.units.id.indexOf({unit_id!r})")
    return index


@pytest.mark.parametrize("size", SIZES, ids=["wide", "narrow"])
@pytest.mark.parametrize("case", list(CASES))
def test_no_two_labels_overlap_and_none_is_cut_at_the_default_view(
    case: str, size: tuple[int, int], open_page: Opener, tmp_path: Path
) -> None:
    build, first = CASES[case]
    opened = open_page(render(build(), tmp_path / f"{case}.html"), width=size[0], height=size[1])
    opened.page.mouse.move(1, 1)
    boxes = labels(opened)
    assert len(boxes) >= 5
    assert_legible(opened, boxes)
    assert unit_index(opened, first) in {box["unit"] for box in boxes}
    opened.assert_clean()


def test_zooming_in_shows_the_labels_that_had_no_room(open_page: Opener, tmp_path: Path) -> None:
    opened = open_page(
        render(maps.germany(), tmp_path / "deutschland.html"), width=1400, height=900
    )
    page = opened.page
    shown = {box["unit"] for box in labels(opened)}
    order = page.evaluate("window.netkoop.data.labels.order")
    hidden = next(i for i in order if i not in shown)  # the most important without a label
    view = page.evaluate(
        "[window.netkoop.network.getScale(), window.netkoop.network.getViewPosition()]"
    )
    page.evaluate(
        """(i) => { const n = window.netkoop.network;
                   n.moveTo({position: n.getPosition(i), scale: n.getScale() * 4, animation: false}); }""",
        hidden,
    )
    boxes = labels(opened)
    assert hidden in {box["unit"] for box in boxes}
    assert_legible(opened, boxes)
    page.evaluate(
        "([scale, position]) => window.netkoop.network.moveTo({scale, position, animation: false})",
        view,
    )
    assert {box["unit"] for box in labels(opened)} == shown
    opened.assert_clean()


def test_a_shortened_forum_name_shows_in_full_on_hover(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    opened = open_page(render(region, tmp_path / "netz.html"))
    page = opened.page
    page.mouse.move(1, 1)
    boxes = {box["text"]: box for box in labels(opened)}
    assert "Landesarbeitsgemeinschaft der Integrationsbeauftragten" not in boxes
    box = boxes["LAG der Integrationsbeauftragten"]
    origin = page.evaluate("document.getElementById('network').getBoundingClientRect().toJSON()")
    # The label's left end: clear of the forum's own star, which lies beside its right end.
    x, y = origin["x"] + box["x"] + 8, origin["y"] + box["y"] + box["h"] / 2
    page.mouse.move(x, y)
    page.wait_for_selector("#tip:not([hidden])")
    tip = page.inner_text("#tip")
    assert tip.startswith("Landesarbeitsgemeinschaft der Integrationsbeauftragten")
    assert "Austauschformat" in tip
    page.mouse.click(x, y)
    assert page.evaluate("window.netkoop.focus.unit") == "lag-ni"
    opened.assert_clean()


def test_a_selected_unit_labels_its_neighbourhood(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    opened = open_page(render(region, tmp_path / "netz.html"))
    page = opened.page
    page.evaluate("window.netkoop.reveal('musterstadt')")
    page.wait_for_timeout(400)  # the view moves to the unit
    boxes = labels(opened)
    focus = page.evaluate("window.netkoop.focus")
    ids = page.evaluate("window.netkoop.data.units.id")
    assert boxes[0]["text"] == "Musterstadt"
    assert {ids[box["unit"]] for box in boxes} <= set(focus["units"])
    assert len(boxes) >= 5
    assert_legible(opened, boxes)
    opened.assert_clean()
