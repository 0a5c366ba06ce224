"""The HTML report in a real headless Chromium: offline, no errors, the map drawn, printed to PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from test_render_page_browser import LOCAL_SCHEMES, browser

from netkoop.cli import main

__all__ = ["browser"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of beispielregion with a focus on Landkreis Nordheide."""
    out = tmp_path_factory.mktemp("bericht") / "bericht.html"
    with pytest.raises(SystemExit) as done:
        main(["report", "beispielregion", "--focus", "lk-nord", "-o", str(out), "-q"])
    assert done.value.code == 0
    return out


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str], list[str]]:
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    page = context.new_page()
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(LOCAL_SCHEMES):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, blocked, errors


def test_report_opens_offline_without_errors_and_shows_the_map(browser, written):
    page, requests, blocked, errors = _open(browser, written)
    assert blocked == []
    assert all(url.startswith(LOCAL_SCHEMES) for url in requests), requests
    assert errors == []
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('#section-map img')]
                 .map((img) => [img.complete, img.naturalWidth, img.naturalHeight])"""
    )
    assert len(drawn) == 1
    complete, width, height = drawn[0]
    assert complete
    assert (width, height) == (1338, 1023)  # 17 x 13 cm at 200 dpi
    headings = page.locator("h2").all_inner_texts()
    assert headings[:4] == ["Die Region", "Kernbefunde", "Profil: Landkreis Nordheide", "Karte"]
    assert "Was die Kennzahlen bedeuten" in headings


def test_report_prints_to_a4_pages_with_its_findings(browser, written):
    page, *_ = _open(browser, written)
    printed = page.pdf(format="A4", print_background=True)
    pdf = pypdf.PdfReader(io.BytesIO(printed))
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert width == pytest.approx(595.3, abs=1)  # A4, 210 x 297 mm in points
    assert height == pytest.approx(841.9, abs=1)
    assert 3 <= len(pdf.pages) <= 8
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Landkreis Nordheide hat 4 erfasste Verbindungen zu 4 Partnern" in text
    assert "Mit 3 Verbindungen" not in text  # that is Eichwalde's, not in this report
    assert "Von 65.740 Pendelnden zwischen den Kommunen pendeln 45.940 (69,9 %)" in text
