"""The date slider of a page in a real headless Chromium (playwright), every request blocked.

Moving the slider to a day shows exactly the ties and units of `Network.at` that day,
counted in the page, and the headline panel the figures of `overview` of that network.
Browser and page fixtures are those of test_render_page_browser.py.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from test_render_dates import DAYS, FLOWS, TIES, UNITS, stand
from test_render_page_browser import Opened, Opener, browser, open_page

from netkoop import Network
from netkoop.metrics.overview import overview
from netkoop.render import render
from netkoop.render.vis.figures import HEADLINE_FORMATS

__all__ = ["browser", "open_page"]  # the shared fixtures

#: The ties that begin on a day (marked new) and that end on it (marked ending), by index.
BEGIN_END = {"2016-01-01": ([0], [5]), "2019-01-01": ([4], [4]), "2016-01-02": ([], [3])}


def move(opened: Opened, position: int) -> None:
    """Move the slider as a hand would: set its value, then the input event."""
    opened.page.evaluate(
        """(p) => { const s = document.getElementById('slider-range');
                    s.value = String(p); s.dispatchEvent(new Event('input', {bubbles: true})); }""",
        position,
    )
    opened.frame()


def wait_until(opened: Opened, script: str, timeout: float = 5.0) -> None:
    """Wait until ``script`` is true in the page (the page's policy refuses eval, which
    playwright's wait_for_function needs)."""
    deadline = time.monotonic() + timeout
    while not opened.page.evaluate(script):
        assert time.monotonic() < deadline, f"still not true after {timeout} s: {script}"
        opened.page.wait_for_timeout(50)


def position(opened: Opened) -> int:
    shown: int = opened.page.evaluate("window.netkoop.slider.position()")
    return shown


def panel(opened: Opened) -> dict[str, str]:
    """The headline panel as shown: its values by figure."""
    rows: dict[str, str] = opened.page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('#figures dd[data-key]'),
                                               (dd) => [dd.dataset.key, dd.textContent]))"""
    )
    return rows


def german_number(text: str) -> float:
    """A number as the German page writes it: 1.234,5 or 38,2 % (a share: 0.382) or –."""
    if text == "–":
        return math.nan
    share = text.endswith(" %")
    value = float(text.removesuffix(" %").replace(".", "").replace(",", "."))
    return value / 100 if share else value


def assert_panel_shows(opened: Opened, network: Network) -> None:
    """The headline panel shows the figures of ``overview(network)``, to their digits."""
    expected = overview(network).headline
    shown = panel(opened)
    for key, (digits, percent) in HEADLINE_FORMATS.items():
        if key in ("commuters", "coverage") and not expected["pairs"]:
            assert key not in shown
            continue
        value = german_number(shown[key])
        if math.isnan(expected[key]):
            assert math.isnan(value), key
        else:
            tolerance = 0.5 * 10 ** -(digits + (2 if percent else 0)) + 1e-12
            assert abs(value - expected[key]) <= tolerance, (key, shown[key], expected[key])


@pytest.fixture
def opened_stand(open_page: Opener, tmp_path: Path) -> tuple[Network, Opened]:
    net = stand()
    return net, open_page(render(net, tmp_path / "stand.html", top_flows=None))


def test_every_day_shows_the_ties_units_and_figures_of_at(
    opened_stand: tuple[Network, Opened],
) -> None:
    net, opened = opened_stand
    days = list(DAYS)
    assert position(opened) == len(days) - 1  # no reference date: the last day
    for day in ["2016-01-01", "2013-12-31", "2016-01-02", "2020-07-01", "2019-01-01"]:
        move(opened, days.index(day))
        assert position(opened) == days.index(day)
        on = net.at(day)
        counts = opened.counts()
        assert counts["ties"] == counts["drawnTies"] == len(on.ties) == len(DAYS[day])
        assert counts["nodes"] == counts["drawnNodes"] == len(on.units)
        assert_panel_shows(opened, on)
        day_de = ".".join(reversed(day.split("-")))
        assert opened.page.inner_text("#slider-day") == day_de
    opened.assert_clean()


def test_ties_that_begin_or_end_on_the_day_are_marked(
    opened_stand: tuple[Network, Opened],
) -> None:
    _, opened = opened_stand
    days = list(DAYS)
    for day, (fresh, ending) in BEGIN_END.items():
        move(opened, days.index(day))
        marks = opened.page.evaluate("window.netkoop.slider.marks()")
        assert (marks["fresh"], marks["ending"]) == (fresh, ending), day
    move(opened, days.index("2016-01-01"))
    legend = opened.page.inner_text("#slider")
    assert "neu seit Stand 01.03.2015" in legend
    assert "endet vor Stand 02.01.2016" in legend
    opened.assert_clean()


def test_the_legend_counts_and_the_gap_list_follow_the_day(
    opened_stand: tuple[Network, Opened],
) -> None:
    _, opened = opened_stand
    page = opened.page
    move(opened, 0)  # 2013-12-31: only tie 5; no forum yet
    assert page.inner_text("[data-filter=unitKind][data-key=forum] ~ .count") == "0"
    assert page.inner_text("[data-filter=tieKind][data-key=exchange] ~ .count") == "1"
    assert "Kreis A ↔ Kreis B: 1000" in page.inner_text("#gaps")
    move(opened, list(DAYS).index("2016-01-01"))  # tie 0 joins Kreis A and Kreis B
    assert "Kreis A ↔ Kreis B" not in page.inner_text("#gaps")
    assert page.inner_text("[data-filter=tieKind][data-key=exchange] ~ .count") == "4"
    opened.assert_clean()


def test_filters_and_days_work_together(opened_stand: tuple[Network, Opened]) -> None:
    net, opened = opened_stand
    page = opened.page
    day = "2016-01-01"
    move(opened, list(DAYS).index(day))
    page.uncheck("[data-filter=tieKind][data-key=exchange]")
    on = net.at(day)
    assert opened.counts()["ties"] == int((on.ties["kind"] != "exchange").sum())
    move(opened, list(DAYS).index("2019-01-01"))
    assert opened.counts()["ties"] == int((net.at("2019-01-01").ties["kind"] != "exchange").sum())
    page.check("[data-filter=tieKind][data-key=exchange]")
    assert opened.counts()["ties"] == opened.counts()["drawnTies"] == len(net.at("2019-01-01").ties)
    opened.assert_clean()


def test_the_play_button_steps_through_the_days_and_stops_at_the_end(
    opened_stand: tuple[Network, Opened],
) -> None:
    _, opened = opened_stand
    page = opened.page
    last = len(DAYS) - 1
    assert page.inner_text("#slider-play") == "▶ Abspielen"
    page.click("#slider-play")  # at the end: starts again from the first day
    assert position(opened) == 0
    assert page.inner_text("#slider-play") == "❚❚ Pause"
    wait_until(opened, "window.netkoop.slider.position() >= 2")
    page.click("#slider-play")
    stopped = position(opened)
    page.wait_for_timeout(1300)
    assert position(opened) == stopped
    assert page.inner_text("#slider-play") == "▶ Abspielen"
    page.evaluate(f"window.netkoop.slider.show({last - 1})")
    page.click("#slider-play")
    wait_until(opened, "!window.netkoop.slider.playing()")
    assert position(opened) == last
    opened.assert_clean()


def test_the_arrow_keys_move_the_slider(opened_stand: tuple[Network, Opened]) -> None:
    net, opened = opened_stand
    page = opened.page
    page.focus("#slider-range")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    opened.frame()
    day = list(DAYS)[len(DAYS) - 3]
    assert position(opened) == len(DAYS) - 3
    assert opened.counts()["ties"] == len(net.at(day).ties)
    opened.assert_clean()


def test_finding_a_unit_of_another_day_moves_the_slider(
    opened_stand: tuple[Network, Opened],
) -> None:
    _, opened = opened_stand
    page = opened.page
    move(opened, 0)
    page.fill("#search", "Forum")
    page.press("#search", "Enter")
    assert page.evaluate("window.netkoop.focus.unit") == "f1"
    assert list(DAYS)[position(opened)] == "2018-01-01"  # the nearest day the forum exists
    opened.assert_clean()


def test_a_unit_tooltip_follows_the_day(open_page: Opener, tmp_path: Path) -> None:
    units = [dict(u) for u in UNITS]
    units[0] |= {
        "coordination_office": "project",
        "office_since": "2016",
        "office_until": "2018-06",
    }
    net = Network.from_tables(units, TIES, FLOWS)
    opened = open_page(render(net, tmp_path / "amt.html", physics=False, flows=False))
    page = opened.page

    def tip(day: str) -> str:
        move(opened, list(DAYS).index(day))
        corner = page.locator("#network").bounding_box()
        assert corner is not None
        # off the unit but on the canvas, so that the network sees the pointer leave it
        page.mouse.move(corner["x"] + corner["width"] - 5, corner["y"] + corner["height"] - 5)
        page.mouse.move(*opened.unit_at("lk-a"))
        page.wait_for_selector("#tip:not([hidden])")
        return page.inner_text("#tip")

    inside = tip("2016-06-01")  # the office's days; one tie (lk-a–lk-b)
    assert "Koordinierungsstelle\nprojektfinanziert" in inside
    assert "Verbindungen\n1\nPartner\n1" in inside
    assert "Komponente" not in inside  # measured on the opening day only
    outside = tip("2019-01-01")  # the money ended in 2018; ties to lk-b, the forum, lk-c
    assert "Koordinierungsstelle\nkeine" in outside
    assert "Verbindungen\n3\nPartner\n3" in outside
    opened.assert_clean()


def test_a_page_without_dates_has_no_slider(
    region: Network, open_page: Opener, tmp_path: Path
) -> None:
    undated = region.with_tables(ties=region.ties.assign(since=None))
    opened = open_page(render(undated, tmp_path / "ohne.html"))
    assert opened.page.locator("#slider").count() == 0
    assert opened.page.locator("input[type=range]").count() == 0
    assert opened.page.evaluate("window.netkoop.slider") is None
    assert opened.counts()["ties"] == len(region.ties)
    opened.assert_clean()


def test_the_english_slider(open_page: Opener, tmp_path: Path) -> None:
    opened = open_page(render(stand(), tmp_path / "en.html", lang="en"))
    text = opened.page.inner_text("#slider")
    assert "As of 2020-07-01" in " ".join(text.split())
    assert "Play" in text
    opened.assert_clean()


def test_screenshots_of_two_days(region: Network, open_page: Opener, tmp_path: Path) -> None:
    opened = open_page(render(region, tmp_path / "region.html"), width=1400, height=900)
    shots = []
    for day in ("2016-01-01", "2024-06-30"):
        move(opened, opened.page.evaluate(f"window.netkoop.slider.days.indexOf('{day}')"))
        assert opened.counts()["ties"] == len(region.at(day).ties)
        assert_panel_shows(opened, region.at(day))
        shot = tmp_path / f"region-{day}.png"
        opened.page.screenshot(path=str(shot))
        shots.append(shot.read_bytes())
    assert all(s.startswith(b"\x89PNG") for s in shots)
    assert shots[0] != shots[1]
    box = opened.page.locator("#slider").bounding_box()
    side = opened.page.locator("#side").bounding_box()
    assert box is not None
    assert side is not None
    assert box["x"] + box["width"] <= side["x"] + side["width"]  # the slider fits the panel
    opened.assert_clean()
