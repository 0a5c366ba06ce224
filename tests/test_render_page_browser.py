"""Rendered pages in a real headless Chromium (playwright), with every network request blocked.

A missing playwright package or browser fails these tests: the README's test command installs
both (Debian's ``chromium``). ``NETKOOP_CHROMIUM`` names another Chromium binary.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import netkoop
from conftest import XSS, page_data, quiet_load, xss_network
from netkoop.metrics import commuting_gap
from netkoop.render import render, render_diff, show

CHROMIUM = Path(os.environ.get("NETKOOP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def _missing(reason: str) -> None:
    pytest.fail(f"the browser tests need playwright and Debian's chromium: {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set NETKOOP_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    """A page opened offline, with what it asked for and what it complained about."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.page.evaluate("window.netkoop.counts()")
        return counts

    def unit_at(self, unit_id: str) -> tuple[float, float]:
        """The page coordinates of a unit's centre."""
        at: dict[str, float] = self.page.evaluate(
            """(id) => {
              const api = window.netkoop;
              const i = api.data.units.id.indexOf(id);
              const p = api.network.canvasToDOM(api.network.getPosition(i));
              const box = document.getElementById('network').getBoundingClientRect();
              return {x: box.left + p.x, y: box.top + p.y};
            }""",
            unit_id,
        )
        return at["x"], at["y"]

    def frame(self) -> None:
        """Wait until the browser has drawn the next frame."""
        self.page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))")

    def canvas(self) -> bytes:
        shot: bytes = self.page.locator("#network canvas").screenshot()
        return shot

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests to other hosts: {self.blocked}"
        assert all(url.startswith(LOCAL_SCHEMES) for url in self.requests), self.requests
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.page.evaluate("window.netkoop.errors") == []


Opener = Callable[..., Opened]


@pytest.fixture
def open_page(browser: Any) -> Iterator[Opener]:
    """Open a page file with all network access blocked; wait until it is drawn."""
    contexts = []

    def open_(path: Path, *, width: int = 1400, height: int = 900) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith(LOCAL_SCHEMES):
                request_route.continue_()
            else:
                opened.blocked.append(url)
                request_route.abort()

        context.route("**/*", route)
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))

        def dialog(shown: Any) -> None:
            opened.dialogs.append(shown.message)
            shown.dismiss()

        page.on("dialog", dialog)
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-ready]", state="attached", timeout=60_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


# --- every bundled scenario -----------------------------------------------------------------


@pytest.mark.parametrize("name", [s.name for s in netkoop.list_scenarios()])
def test_bundled_scenario_draws_everything_offline(
    name: str, open_page: Opener, tmp_path: Path
) -> None:
    net = quiet_load(name)
    out = render(net, tmp_path / f"{name}.html", top_flows=None)
    opened = open_page(out)
    # A page with a date slider opens on a day: it shows the network of that day.
    dated = page_data(out.read_text(encoding="utf-8"))["slider"]
    shown = net if dated is None else net.at(dated["days"][dated["start"]])
    pairs = commuting_gap(shown, top=None).pairs
    assert opened.counts() == {
        "nodes": len(shown.units),
        "ties": len(shown.ties),
        "flows": len(pairs),
        "edges": len(shown.ties) + len(pairs),
        "drawnNodes": len(shown.units),
        "drawnTies": len(shown.ties),
    }
    assert opened.page.title() == (net.metadata.title or net.name)
    opened.assert_clean()


def test_the_top_flows_per_unit_are_drawn(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    out = render(region, tmp_path / "netz.html", top_flows=1)
    data = page_data(out.read_text(encoding="utf-8"))
    opened = open_page(out)
    assert opened.counts()["flows"] == len(data["flows"]["a"]) < len(commuting_gap(region).pairs)
    opened.assert_clean()


# --- interaction ----------------------------------------------------------------------------


def test_toggles_and_filters_change_what_is_drawn(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    opened = open_page(render(region, tmp_path / "netz.html", top_flows=None))
    page = opened.page
    start = opened.counts()
    before = opened.canvas()

    page.uncheck("[data-filter=flows]")
    opened.frame()
    assert opened.counts()["flows"] == 0
    assert opened.canvas() != before
    page.check("[data-filter=flows]")
    opened.frame()
    assert opened.counts() == start

    exchange = int((region.ties["kind"] == "exchange").sum())
    page.uncheck("[data-filter=tieKind][data-key=exchange]")
    assert opened.counts()["ties"] == len(region.ties) - exchange
    page.check("[data-filter=tieKind][data-key=exchange]")

    page.uncheck("[data-filter=unitKind][data-key=gemeinde]")
    gemeinden = set(region.units.loc[region.units["kind"] == "gemeinde", "id"])
    ties = region.ties
    flows = commuting_gap(region, top=None).pairs
    counts = opened.counts()
    assert counts["nodes"] == len(region.units) - len(gemeinden)
    assert counts["ties"] == int(
        (~ties["from"].isin(gemeinden) & ~ties["to"].isin(gemeinden)).sum()
    )
    assert counts["flows"] == int(
        (~flows["unit_a"].isin(gemeinden) & ~flows["unit_b"].isin(gemeinden)).sum()
    )
    page.check("[data-filter=unitKind][data-key=gemeinde]")

    page.fill("[data-filter=minCommuters]", "4000")
    page.dispatch_event("[data-filter=minCommuters]", "change")
    assert opened.counts()["flows"] == int((flows["commuters"] >= 4000).sum())

    page.check("[data-filter=physics]")
    opened.frame()
    opened.assert_clean()


def test_the_land_filter(open_page: Opener, tmp_path: Path) -> None:
    net = quiet_load("zwei-welten-2020")
    opened = open_page(render(net, tmp_path / "zw.html"))
    page = opened.page
    page.click("#legend-lands .links button:last-child")  # none
    assert opened.counts()["nodes"] == 0
    page.check("[data-filter=land][data-key='05']")
    assert opened.counts()["nodes"] == int((net.units["land"] == "05").sum())
    page.click("#legend-lands .links button:first-child")  # all
    assert opened.counts()["nodes"] == len(net.units)
    opened.assert_clean()


def test_a_click_highlights_the_neighbourhood(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    out = render(region, tmp_path / "netz.html")
    data = page_data(out.read_text(encoding="utf-8"))
    opened = open_page(out)
    page = opened.page
    page.mouse.move(5, 5)
    opened.frame()
    plain = opened.canvas()
    x, y = opened.unit_at("musterstadt")
    page.mouse.click(x, y)
    page.wait_for_selector("#selection:not([hidden])")
    ids = data["units"]["id"]
    ties = region.ties
    partners = set(ties.loc[ties["from"] == "musterstadt", "to"]) | set(
        ties.loc[ties["to"] == "musterstadt", "from"]
    )
    for a, b in zip(data["flows"]["a"], data["flows"]["b"], strict=True):
        if "musterstadt" in (ids[a], ids[b]):
            partners |= {ids[a], ids[b]}
    focus = page.evaluate("window.netkoop.focus")
    assert focus["unit"] == "musterstadt"
    assert set(focus["units"]) == partners | {"musterstadt"}
    assert "Musterstadt" in page.inner_text("#selection")
    page.mouse.move(5, 5)
    opened.frame()
    assert opened.canvas() != plain
    page.click("#selection .close")
    assert page.evaluate("window.netkoop.focus") is None
    opened.assert_clean()


def test_search_by_name_and_by_key(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    opened = open_page(render(region, tmp_path / "netz.html"))
    page = opened.page
    page.fill("#search", "südm")
    assert page.inner_text("#results button").startswith("Landkreis Südmarsch (lk-sued)")
    page.press("#search", "Enter")
    assert page.evaluate("window.netkoop.focus.unit") == "lk-sued"
    page.fill("#search", "BIRKENHAIN")
    page.click("#results button")
    assert page.evaluate("window.netkoop.focus.unit") == "birkenhain"
    page.fill("#search", "gibt es nicht")
    assert page.inner_text("#results") == "kein Treffer"
    opened.assert_clean()


@pytest.mark.parametrize(
    ("lang", "label", "value"), [("de", "Einwohner", "165.400"), ("en", "population", "165,400")]
)
def test_tooltips_show_attributes_and_measures(
    region: netkoop.Network, open_page: Opener, tmp_path: Path, *, lang: str, label: str, value: str
) -> None:
    opened = open_page(render(region, tmp_path / "netz.html", lang=lang))
    page = opened.page
    page.mouse.move(*opened.unit_at("musterstadt"))
    page.wait_for_selector("#tip:not([hidden])")
    tip = page.inner_text("#tip")
    assert "Musterstadt" in tip
    assert label in tip
    assert value in tip
    opened.assert_clean()


def test_a_commuter_pair_has_a_tooltip(open_page: Opener, tmp_path: Path) -> None:
    units = [
        {"id": "a", "name": "Westdorf", "kind": "landkreis", "land": "03", "lat": 52.0, "lon": 9.0},
        {"id": "b", "name": "Ostdorf", "kind": "landkreis", "land": "03", "lat": 52.0, "lon": 11.0},
    ]
    flows = [
        {"from": "a", "to": "b", "commuters": 1200},
        {"from": "b", "to": "a", "commuters": 300},
    ]
    opened = open_page(render(netkoop.Network.from_tables(units, None, flows), tmp_path / "f.html"))
    (ax, ay), (bx, by) = opened.unit_at("a"), opened.unit_at("b")
    opened.page.mouse.move((ax + bx) / 2, (ay + by) / 2)
    opened.page.wait_for_selector("#tip:not([hidden])")
    tip = opened.page.inner_text("#tip")
    assert "Westdorf ↔ Ostdorf" in tip
    assert "1500" in tip  # grouped from five digits on
    assert "Lücke" in tip
    opened.assert_clean()


def test_a_tie_has_a_tooltip(open_page: Opener, tmp_path: Path) -> None:
    units = [
        {"id": "a", "name": "Westdorf", "kind": "landkreis", "land": "03", "lat": 52.0, "lon": 9.0},
        {"id": "b", "name": "Ostdorf", "kind": "landkreis", "land": "03", "lat": 52.0, "lon": 11.0},
    ]
    ties = [
        {
            "from": "a",
            "to": "b",
            "kind": "exchange",
            "intensity": "intensive",
            "source": "Interview",
        }
    ]
    opened = open_page(render(netkoop.Network.from_tables(units, ties), tmp_path / "t.html"))
    (ax, ay), (bx, by) = opened.unit_at("a"), opened.unit_at("b")
    opened.page.mouse.move((ax + bx) / 2, (ay + by) / 2)
    opened.page.wait_for_selector("#tip:not([hidden])")
    tip = opened.page.inner_text("#tip")
    for text in ("Westdorf – Ostdorf", "Erfahrungsaustausch", "intensiv", "Interview"):
        assert text in tip
    opened.assert_clean()


def test_a_single_unit_without_ties_or_flows_draws(open_page: Opener, tmp_path: Path) -> None:
    lonely = netkoop.Network.from_tables(
        [{"id": "a", "name": "Einsam", "kind": "landkreis", "land": "16"}]
    )
    opened = open_page(render(lonely, tmp_path / "eins.html"))
    assert opened.counts() == {
        "nodes": 1,
        "ties": 0,
        "flows": 0,
        "edges": 0,
        "drawnNodes": 1,
        "drawnTies": 0,
    }
    assert opened.page.locator("#legend-flows").is_hidden()
    opened.assert_clean()


# --- safety ---------------------------------------------------------------------------------


def test_a_name_written_as_markup_runs_nothing_and_shows_as_text(
    open_page: Opener, tmp_path: Path
) -> None:
    opened = open_page(render(xss_network(), tmp_path / "xss.html"))
    page = opened.page
    page.fill("#search", "<img")
    assert page.inner_text("#results button") == f"{XSS} (a)"
    page.click("#results button")
    assert XSS in page.inner_text("#selection")
    page.mouse.move(*opened.unit_at("a"))
    page.wait_for_selector("#tip:not([hidden])")
    assert XSS in page.inner_text("#tip")
    page.mouse.move(*opened.unit_at("b"))
    page.wait_for_timeout(300)
    assert page.locator("img").count() == 0
    assert page.locator("#credits a").count() == 0  # a javascript: address is no link
    assert "javascript:alert(5)" in page.inner_text("#credits")
    assert page.title() == "<svg onload=alert(4)>"
    assert page.inner_text("#title") == "<svg onload=alert(4)>"
    opened.assert_clean()


# --- comparisons, notebooks, screenshots ----------------------------------------------------


def test_a_comparison_draws_added_and_removed_ties(
    region: netkoop.Network, open_page: Opener, tmp_path: Path
) -> None:
    whatif = region.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "joint_project"}])
    whatif = whatif.remove_ties([{"from": "musterstadt", "to": "lk-sued"}])
    removed = len(region.ties) + 1 - len(whatif.ties)
    opened = open_page(render_diff(region, whatif, tmp_path / "vergleich.html"))
    page = opened.page
    assert opened.counts()["ties"] == len(whatif.ties) + removed
    page.uncheck("[data-filter=status][data-key=removed]")
    assert opened.counts()["ties"] == len(whatif.ties)
    page.uncheck("[data-filter=status][data-key=unchanged]")
    assert opened.counts()["ties"] == 1
    page.screenshot(path=str(tmp_path / "vergleich.png"))
    opened.assert_clean()


def test_the_notebook_frame_draws_the_page(browser: Any, region: netkoop.Network) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_content(show(region, height=500)._repr_html_())
    frame = page.frame_locator("iframe")
    frame.locator("html[data-ready]").wait_for(state="attached", timeout=60_000)
    assert "Musterstadt" in frame.locator("#side").inner_text()
    assert errors == []
    page.close()


@pytest.mark.parametrize("width", [900, 500])
def test_the_notebook_frame_fits_the_output_column(
    browser: Any, region: netkoop.Network, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    # A notebook's output column: beside the prompt, padded, scrolling what overflows it.
    page.set_content(
        '<body style="margin:0"><div id="column" style="margin-left:64px;padding:4px 8px;'
        f'overflow-x:auto">{show(region)._repr_html_()}</div></body>'
    )
    page.frame_locator("iframe").locator("html[data-ready]").wait_for(
        state="attached", timeout=60_000
    )
    column = page.evaluate(
        """() => { const c = document.getElementById('column');
                   const f = document.querySelector('iframe').getBoundingClientRect();
                   return {scroll: c.scrollWidth, client: c.clientWidth, frame: f.width}; }"""
    )
    assert column["scroll"] == column["client"]  # nothing to scroll sideways
    assert column["frame"] == column["client"] - 16  # the width between the paddings, border in
    inside = page.frames[1].evaluate(
        """() => { const box = (id) => document.getElementById(id).getBoundingClientRect();
                   const d = document.documentElement;
                   return {scroll: d.scrollWidth, client: d.clientWidth,
                           side: box('side').toJSON(), stage: box('stage').toJSON()}; }"""
    )
    assert inside["scroll"] == inside["client"]  # nothing inside is wider than the frame
    side, stage = inside["side"], inside["stage"]
    if width == 900:  # the panel beside the network, the network the wider
        assert side["right"] <= stage["left"]
        assert stage["width"] > side["width"]
    else:  # too narrow for both side by side: the network on top, the panel below
        assert stage["bottom"] <= side["top"]
        assert stage["width"] == side["width"] == inside["client"]
    page.close()


def test_a_screenshot_is_produced(open_page: Opener, tmp_path: Path) -> None:
    opened = open_page(
        render(quiet_load("zwei-welten-2020"), tmp_path / "zw.html"), width=1600, height=1000
    )
    shot = tmp_path / "zwei-welten.png"
    opened.page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 50_000  # a drawn network, not a blank page
    opened.assert_clean()


def _national(data: Path) -> netkoop.Network:
    derived = data / "derived"
    kreise = pd.read_csv(derived / "kreise.csv.gz", dtype=str)
    units = pd.DataFrame(
        {
            "id": kreise["kreis_ags"],
            "name": kreise["name"],
            "kind": kreise["kind"],
            "land": kreise["land_code"],
            "population": kreise["bevoelkerung"].astype("int64"),
            "lat": kreise["centroid_lat"].astype("float64"),
            "lon": kreise["centroid_lon"].astype("float64"),
        }
    )
    od = pd.read_csv(
        derived / "pendler_kreise_od.csv.gz", dtype={"wohnort_kreis": str, "arbeitsort_kreis": str}
    )
    flows = pd.DataFrame(
        {"from": od["wohnort_kreis"], "to": od["arbeitsort_kreis"], "commuters": od["insgesamt"]}
    )
    return netkoop.Network.from_tables(units, None, flows)


def test_the_national_map_puts_kreise_in_their_places(
    official: Path, open_page: Opener, tmp_path: Path
) -> None:
    net = _national(official)
    out = render(net, tmp_path / "deutschland.html")
    data = page_data(out.read_text(encoding="utf-8"))
    opened = open_page(out, width=1600, height=1000)
    counts = opened.counts()
    assert counts["nodes"] == 400
    assert counts["flows"] == len(data["flows"]["a"]) > 1000
    kiel, muenchen = opened.unit_at("01002"), opened.unit_at("09162")
    koeln, dresden = opened.unit_at("05315"), opened.unit_at("14612")
    assert kiel[1] < muenchen[1]  # north is up
    assert koeln[0] < dresden[0]  # east is right
    opened.page.screenshot(path=str(tmp_path / "deutschland.png"))
    opened.assert_clean()
