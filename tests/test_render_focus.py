"""Maps of a focus: `focus_region`, pages and figures that mark the unit, and
``netkoop render --focus``; the page in a real browser opens with the unit selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_render_page_browser import Opener, browser, open_page  # noqa: F401 - fixtures
from test_render_region import BORDERS, FLOWS, TIES, UNITS

import netkoop
from conftest import ScenarioWriter, assert_one_error_line, page_data
from conftest import run_cli as run
from netkoop import NetkoopError
from netkoop.model.focus import focus
from netkoop.model.network import Network
from netkoop.render import render, to_html
from netkoop.render.page import diff_html
from netkoop.render.region import focus_region, region
from netkoop.render.static import static_figure


@pytest.fixture
def row() -> Network:
    """Kreise a-b-c-d in a row (Land 03) and e (Land 04) beside d; Gemeinden in a and b."""
    return Network.from_tables(UNITS, TIES, FLOWS, borders=BORDERS)


def ids(network: Network) -> list[str]:
    return sorted(network.units["id"])


# --- the region around a focus --------------------------------------------------------------


def test_a_gemeinde_has_the_region_of_its_kreis(row: Network) -> None:
    part = focus_region(row, focus(row, "b1"))
    assert ids(part) == ids(region(row, "b"))
    assert part.metadata.title == "network – B eins (Kreis B)"


def test_a_kreis_and_a_land_have_their_regions(row: Network) -> None:
    for key, name in (
        ("c", "Stadt C"),
        ("a", "Kreis A"),
        ("04", "Bremen"),
        ("ni", "Niedersachsen"),
    ):
        part = focus_region(row, focus(row, key))
        assert ids(part) == ids(region(row, key)), key
        assert part.metadata.title == f"network – {name}"


def test_a_forum_keeps_the_whole_network(row: Network) -> None:
    part = focus_region(row.with_metadata(title="Netz"), focus(row, "ag"))
    assert ids(part) == ids(row)
    assert part.metadata.title == "Netz – AG Integration"


# --- the page and the figure ----------------------------------------------------------------


def test_the_page_data_names_the_focused_unit(region: Network) -> None:
    data = page_data(to_html(region, focus="eichwalde"))
    assert data["units"]["id"][data["focus"]] == "eichwalde"
    assert page_data(to_html(region))["focus"] is None
    more = region.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    compared = page_data(diff_html(region, more, focus="lk-sued"))
    assert compared["units"]["id"][compared["focus"]] == "lk-sued"


def test_a_focus_that_is_no_unit_is_refused(region: Network, tmp_path: Path) -> None:
    with pytest.raises(NetkoopError, match="focus: 'eichwald' is no unit of this network"):
        render(region, tmp_path / "netz.html", focus="eichwald")
    with pytest.raises(NetkoopError, match="focus: 'eichwald' is no unit of this network"):
        static_figure(region, "svg", focus="eichwald")
    assert list(tmp_path.iterdir()) == []


def test_the_figure_marks_the_unit_and_its_outline(row: Network) -> None:
    square = {"type": "Polygon", "coordinates": [[[9, 52], [9.5, 52], [9.5, 52.5], [9, 52]]]}
    outlines = pd.DataFrame({"id": ["a"], "level": ["kreis"], "geometry": [square]})
    placed = pd.DataFrame(UNITS).assign(lat=52.2, lon=[9.0 + 0.1 * i for i in range(len(UNITS))])
    net = Network.from_tables(placed, TIES, FLOWS, outlines=outlines)
    plain = static_figure(net, "svg").decode("utf-8")
    marked = static_figure(net, "svg", focus="a").decode("utf-8")
    assert 'id="focus-a"' in marked
    assert "focus-" not in plain
    outline = marked.split('id="outline-kreis-a"', 1)[1].split("</g>", 1)[0]
    assert "stroke: #111111" in outline
    assert "stroke: #111111" not in plain.split('id="outline-kreis-a"', 1)[1].split("</g>", 1)[0]


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def bordered(write_scenario: ScenarioWriter) -> Path:
    """The Kreise in a row as a scenario with its borders table (and Kreis A in the forum)."""

    def csv(rows: list[dict[str, Any]]) -> str:
        text: str = pd.DataFrame(rows).to_csv(index=False)
        return text

    return write_scenario(
        """
        name: reihe
        title: Reihe
        units: {file: units.csv}
        ties: {file: ties.csv}
        flows: {file: flows.csv}
        borders: {file: borders.csv}
        """,
        units__csv=csv(UNITS),
        ties__csv=csv([*TIES, {"from": "a", "to": "ag", "kind": "membership"}]),
        flows__csv=csv(FLOWS),
        borders__csv=csv(BORDERS),
    )


def test_render_focus_draws_the_region_and_selects_the_unit(bordered: Path, tmp_path: Path) -> None:
    out = tmp_path / "b1.html"
    result = run("render", bordered, "--focus", "b1", "-o", out)
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert sorted(data["units"]["id"]) == ids(region(netkoop.load(bordered), "b"))
    assert data["units"]["id"][data["focus"]] == "b1"
    assert data["title"] == "Reihe – B eins (Kreis B)"
    # A Land by its key: its region, no unit to select.
    land = tmp_path / "land.html"
    assert run("render", bordered, "--focus", "04", "-o", land).exit_code == 0
    data = page_data(land.read_text(encoding="utf-8"))
    assert (data["focus"], data["title"]) == (None, "Reihe – Bremen")


def test_render_focus_makes_a_figure_of_the_region(bordered: Path, tmp_path: Path) -> None:
    out = tmp_path / "karte.svg"
    result = run("render", bordered, "--focus", "b", "-o", out)
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert 'id="focus-b"' in svg
    assert "Reihe – Kreis B" in svg


def test_render_refuses_focus_and_region_together(bordered: Path, tmp_path: Path) -> None:
    result = run("render", bordered, "--focus", "b1", "--region", "b", "-o", tmp_path / "x.html")
    assert result.exit_code == 2
    assert "give --focus or --region, not both" in result.stderr
    assert list(tmp_path.glob("*.html")) == []


def test_render_names_an_unknown_focus(bordered: Path, tmp_path: Path) -> None:
    result = run("render", bordered, "--focus", "B eins", "-o", tmp_path / "x.html")
    assert_one_error_line(result, problems_allowed=False)
    assert "--focus: 'B eins' is no unit of this network; did you mean 'b1' (B eins)?" in (
        result.stderr
    )


# --- in the browser -------------------------------------------------------------------------


def test_the_page_opens_with_the_focused_unit_selected(
    region: Network,
    open_page: Opener,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    opened = open_page(render(region, tmp_path / "netz.html", focus="eichwalde"))
    page = opened.page
    chosen = page.evaluate("window.netkoop.focus")
    assert chosen["unit"] == "eichwalde"
    # Its partners by tie (Auenfeld, Landkreis Nordheide, Fahrendorf) and by commuting.
    assert {"auenfeld", "lk-nord", "fahrendorf", "musterstadt"} <= set(chosen["units"])
    assert page.evaluate("window.netkoop.network.getSelectedNodes()") == [
        page.evaluate("window.netkoop.data.units.id.indexOf('eichwalde')")
    ]
    assert not page.locator("#selection").is_hidden()
    assert "Eichwalde" in page.inner_text("#selection")
    page.click("#selection .close")
    assert page.evaluate("window.netkoop.focus") is None
    opened.assert_clean()
