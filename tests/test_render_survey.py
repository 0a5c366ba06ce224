"""A survey in the page: units that did not answer ringed, one-sided ties dashed and lighter,
both in the legend and filterable, who reported a tie in its tooltip, comments left out.

On the hand-made network of `test_metrics_survey`: g2 was asked and did not answer; ties 2
and 4 the other side did not report, ties 3 and 5 the other side did not answer about.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_metrics_survey import survey_network
from test_render_page_browser import Opener, browser, open_page  # noqa: F401  (fixtures)

from conftest import page_data, run_cli
from netkoop import Network
from netkoop.render import render, to_html
from netkoop.render.style import NO_ANSWER_BORDER, ONE_SIDED_DASHES, ONE_SIDED_OPACITY, TIE_STYLE

#: The ties only one side reported (confirmed no or unknown), by row.
ONE_SIDED = [2, 3, 4, 5]


@pytest.fixture(scope="module")
def surveyed() -> Network:
    return survey_network()


@pytest.fixture(scope="module")
def data(surveyed: Network) -> dict[str, Any]:
    return page_data(to_html(surveyed))


# --- the page data ----------------------------------------------------------------------------


def test_the_scene_codes_answers_and_confirmation(data: dict[str, Any]) -> None:
    # lk, lk2, st, g1, g2, g3, g4, f: 1 answered, 0 did not, -1 not asked
    assert data["units"]["responded"] == [1, -1, 1, 1, 0, 1, 1, -1]
    # 0 no survey, 1 both sides, 2 the other side did not report it, 3 it did not answer
    assert data["ties"]["confirmed"] == [1, 1, 2, 3, 2, 3, 0, 1]
    survey = data["survey"]
    assert (survey["noAnswer"], survey["bothSides"], survey["oneSided"]) == (1, 3, 4)
    assert survey["style"] == {
        "noAnswer": {"color": NO_ANSWER_BORDER, "width": 3.0, "dashes": [3, 3]},
        "oneSided": {"opacity": ONE_SIDED_OPACITY, "dashes": list(ONE_SIDED_DASHES)},
    }
    figures = {row["key"]: row["value"] for row in data["headline"]}
    assert figures["response_rate"] == "83,3 %"  # 5 of 6 asked
    assert figures["confirmed_share"] == "42,9 %"  # 3 of the 7 ties the survey reported


def test_a_tie_says_who_reported_it_first(data: dict[str, Any]) -> None:
    details = data["tieDetails"]
    assert details["labels"][:2] == ["gemeldet von", "bestätigt"]
    by, confirmed = details["values"][0], details["values"][1]
    assert by == [
        "beide Seiten",
        "beide Seiten",
        "Gemeinde Eins",
        "Gemeinde Drei",
        "Gemeinde Vier",
        "Gemeinde Eins",
        None,
        "beide Seiten",
    ]
    unknown = "unbekannt (andere Seite hat nicht geantwortet)"
    assert confirmed == ["ja", "ja", "nein", unknown, "nein", unknown, None, "ja"]
    assert "hat geantwortet" in data["unitDetails"]["labels"]


def test_comments_stay_out_of_the_page_unless_asked_for(surveyed: Network) -> None:
    plain = to_html(surveyed)
    assert "Telefon alle zwei Wochen" not in plain
    assert "Bemerkung" not in page_data(plain)["tieDetails"]["labels"]
    noted = surveyed.with_tables(units=surveyed.units.assign(Bemerkung="nur intern"))
    assert "nur intern" not in to_html(noted)
    asked = to_html(noted, comments=True)
    assert "Telefon alle zwei Wochen" in asked
    assert "nur intern" in asked


def test_english_labels(surveyed: Network) -> None:
    data = page_data(to_html(surveyed, lang="en"))
    assert data["tieDetails"]["labels"][:2] == ["reported by", "confirmed"]
    assert data["tieDetails"]["values"][0][0] == "both sides"
    assert data["tieDetails"]["values"][1][3] == "unknown (the other side did not answer)"
    assert data["text"]["no_answer"] == "did not answer"
    assert data["text"]["one_sided"] == "reported by one side only"


def test_a_page_without_a_survey_has_none(region: Network) -> None:
    data = page_data(to_html(region))
    assert data["survey"] is None
    assert data["units"]["responded"] is None
    assert data["ties"]["confirmed"] is None
    assert "response_rate" not in {row["key"] for row in data["headline"]}


def test_the_page_draws_only_the_selected_ties(surveyed: Network, tmp_path: Path) -> None:
    data = page_data(to_html(surveyed, ties=["confirmed"]))
    assert data["ties"]["confirmed"] == [1, 1, 0, 1]
    least = page_data(to_html(surveyed, min_confidence=0.5))
    assert len(least["ties"]["from"]) == 6
    saved = surveyed.save(tmp_path / "befragung")
    out = tmp_path / "n.html"
    result = run_cli("render", saved, "--ties", "exchange,confirmed", "--lang", "en", "-o", out)
    assert result.exit_code == 0, result.output
    written = page_data(out.read_text(encoding="utf-8"))
    assert written["ties"]["confirmed"] == [1, 1, 0, 1]
    assert written["lang"] == "en"


# --- in the browser -----------------------------------------------------------------------------


def test_the_browser_draws_and_filters_the_survey(
    surveyed: Network,
    open_page: Opener,  # noqa: F811
    tmp_path: Path,
) -> None:
    opened = open_page(render(surveyed, tmp_path / "befragung.html"))
    page = opened.page
    start = opened.counts()
    assert (start["nodes"], start["ties"]) == (8, 8)

    styles = page.evaluate(
        """() => window.netkoop.edges.get().map((e) => ({
             ix: e.ix, dashes: e.dashes, color: e.color.color, opacity: e.color.opacity }))"""
    )
    kinds = surveyed.ties["kind"].tolist()
    for style in styles:
        colour = TIE_STYLE[kinds[style["ix"]]][0]
        assert style["color"] == colour  # one-sided or not, the kind's colour stays
        if style["ix"] in ONE_SIDED:
            assert style["dashes"] == list(ONE_SIDED_DASHES)
            assert style["opacity"] == ONE_SIDED_OPACITY
        else:
            assert style.get("opacity") is None
    assert page.evaluate("window.netkoop.rings()") == ["g2"]

    legend = page.inner_text("#legend-survey")
    for text in ("Befragung", "hat nicht geantwortet", "nur von einer Seite gemeldet"):
        assert text.casefold() in legend.casefold()

    page.uncheck("[data-filter=survey][data-key=oneSided]")
    opened.frame()
    assert opened.counts()["ties"] == 8 - len(ONE_SIDED)
    shown = page.evaluate("window.netkoop.edgeView.get().map((e) => e.ix)")
    assert sorted(shown) == [0, 1, 6, 7]
    page.check("[data-filter=survey][data-key=oneSided]")
    assert opened.counts() == start

    page.uncheck("[data-filter=survey][data-key=noAnswer]")
    counts = opened.counts()
    assert counts["nodes"] == 7  # g2 hidden, and with it its tie to g3 and its commuters
    assert counts["ties"] == 7
    assert page.evaluate("window.netkoop.rings()") == []
    page.check("[data-filter=survey][data-key=noAnswer]")

    page.uncheck("[data-filter=survey][data-key=bothSides]")
    assert opened.counts()["ties"] == 8 - 3  # the base tie lk–lk2 stays

    page.check("[data-filter=survey][data-key=bothSides]")
    assert opened.counts() == start
    opened.assert_clean()


def test_the_browser_tooltip_names_who_reported_a_tie(
    surveyed: Network,
    open_page: Opener,  # noqa: F811
    tmp_path: Path,
) -> None:
    opened = open_page(render(surveyed, tmp_path / "befragung.html"))
    page = opened.page
    page.uncheck("[data-filter=flows]")  # no commuter band under the pointer
    (ax, ay), (bx, by) = opened.unit_at("g1"), opened.unit_at("st")
    page.mouse.move((ax + bx) / 2, (ay + by) / 2)
    page.wait_for_selector("#tip:not([hidden])")
    tip = page.inner_text("#tip")
    assert "Gemeinde Eins – Hafenstadt" in tip
    assert "gemeldet von\tGemeinde Eins" in tip or "gemeldet von\nGemeinde Eins" in tip
    assert "bestätigt\tnein" in tip or "bestätigt\nnein" in tip
    page.mouse.click(*opened.unit_at("g1"))
    page.wait_for_selector("#selection:not([hidden])")
    assert "gemeinsames Projekt · einseitig" in page.inner_text("#selection")
    opened.assert_clean()


def test_a_screenshot_of_the_survey_page(
    surveyed: Network,
    open_page: Opener,  # noqa: F811
    tmp_path: Path,
) -> None:
    opened = open_page(render(surveyed, tmp_path / "befragung.html"), width=1300, height=800)
    shot = tmp_path / "befragung.png"
    opened.page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    opened.page.uncheck("[data-filter=survey][data-key=oneSided]")
    opened.frame()
    before = opened.canvas()
    opened.page.check("[data-filter=survey][data-key=oneSided]")
    opened.frame()
    assert opened.canvas() != before  # the one-sided ties are drawn
    opened.assert_clean()
