"""The offline survey form in a real headless Chromium (playwright), every request blocked.

The form is filled by clicking and choosing as a respondent would, "Speichern" downloads the
answers, and the file is checked field by field; it loads back into the form. A missing
playwright package or browser fails these tests, as in test_render_page_browser.py.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import xss_network
from netkoop.survey.questionnaires import create

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
DATE = "2025-03-01"
SAVED = "2025-03-14T09:30:00.000Z"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need playwright: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: apt-get install chromium (or set NETKOOP_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The survey of the Landkreis Nordheide in beispielregion."""
    return create(
        "beispielregion", tmp_path_factory.mktemp("s") / "befragung", kreis="lk-nord", date=DATE
    )


@dataclass
class Opened:
    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests to other hosts: {self.blocked}"
        assert all(url.startswith(LOCAL_SCHEMES) for url in self.requests), self.requests
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"

    def choose(self, partner: str, name: str, value: str) -> None:
        self.page.locator(
            f'fieldset[data-partner="{partner}"] select[name="{name}"]'
        ).select_option(value)

    def save(self) -> tuple[str, dict[str, Any]]:
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name="Speichern").click()
        download = info.value
        saved: dict[str, Any] = json.loads(Path(download.path()).read_text(encoding="utf-8"))
        return download.suggested_filename, saved


Opener = Callable[[Path], Opened]


@pytest.fixture
def open_form(browser: Any) -> Iterator[Opener]:
    """Open a form with all network access blocked and the browser's clock fixed."""
    contexts = []

    def open_(path: Path) -> Opened:
        context = browser.new_context(
            viewport={"width": 1200, "height": 900}, accept_downloads=True
        )
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
        page.clock.set_fixed_time(SAVED)
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-ready]", state="attached", timeout=60_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def fill(form: Opened) -> None:
    """Two roster answers, a partner added from the list, one typed by name, the about part."""
    form.choose("lk-nord", "exchange.presence", "yes")
    form.choose("lk-nord", "exchange.intensity", "regular")
    form.choose("lk-nord", "exchange.level", "operational")
    form.choose("lk-nord", "exchange.funding", "mandatory")
    form.choose("lk-nord", "exchange.since", "2016")
    form.page.locator('fieldset[data-partner="lk-nord"] textarea').fill("Treffen im Kreishaus")
    form.choose("lag-ni", "membership.presence", "yes")
    form.choose("lag-ni", "membership.intensity", "occasional")
    form.choose("birkenhain", "shared_staff.presence", "no")  # a "nein" is no report
    free = form.page.locator("#free fieldset").first
    free.locator("input[name='partner']").fill("Fahrendorf (fahrendorf)")
    free.locator("select[name='exchange.presence']").select_option("yes")
    free.locator("select[name='exchange.since']").select_option("2022")
    form.page.get_by_role("button", name="Weiteren Partner hinzufügen").click()
    other = form.page.locator("#free fieldset").nth(1)
    other.locator("input[name='partner']").fill("Kreisstadt Irgendwo")
    other.locator("select[name='joint_project.presence']").select_option("yes")
    about = form.page.locator("#about")
    about.locator("select[name='coordination_office']").select_option(label="dauerhaft")
    about.locator("select[name='integration_concept']").select_option(label="ja")
    about.locator("select[name='case_management']").select_option(label="nein")


def expected(survey: Any) -> dict[str, Any]:
    empty = {"intensity": None, "level": None, "funding": None, "since": None, "comment": None}
    return {
        "format": "netkoop-survey-form-1",
        "survey": survey.id,
        "survey_name": "Befragung beispielregion",
        "scenario": "beispielregion",
        "respondent": "auenfeld",
        "saved": SAVED,
        "answers": [
            {
                "partner": "lk-nord",
                "kind": "exchange",
                "intensity": "regular",
                "level": "operational",
                "funding": "mandatory",
                "since": 2016,
                "comment": "Treffen im Kreishaus",
            },
            {"partner": "lag-ni", "kind": "membership", **empty, "intensity": "occasional"},
            {"partner": "fahrendorf", "kind": "exchange", **empty, "since": 2022},
            {"partner": "Kreisstadt Irgendwo", "kind": "joint_project", **empty},
        ],
        "about": {
            "coordination_office": "permanent",
            "integration_concept": True,
            "case_management": False,
        },
    }


def test_the_form_saves_what_was_chosen_as_json(survey: Any, open_form: Opener) -> None:
    form = open_form(survey.forms["auenfeld"])
    page = form.page
    assert page.title() == "Befragung beispielregion: Auenfeld"
    partners = page.locator("#roster fieldset").evaluate_all(
        "(all) => all.map((f) => f.dataset.partner)"
    )
    assert partners == ["lk-nord", "birkenhain", "dorfstetten", "eichwalde", "lag-ni"]
    # Membership is asked of the forum only; details open once "ja" is chosen.
    assert page.locator('fieldset[data-partner="lk-nord"] tr[data-kind]').count() == 5
    assert page.locator('fieldset[data-partner="lag-ni"] tr[data-kind]').count() == 6
    intensity = page.locator('fieldset[data-partner="lk-nord"] select[name="exchange.intensity"]')
    assert intensity.is_disabled()
    assert intensity.locator("option").all_inner_texts() == [
        "–",
        "gelegentlich",
        "regelmäßig",
        "intensiv",
    ]
    fill(form)
    assert intensity.is_enabled()
    assert (
        page.locator("#free fieldset .found").first.inner_text()
        == "erkannt: Fahrendorf (fahrendorf)"
    )
    name, saved = form.save()
    assert name == "auenfeld_antworten.json"
    assert saved == expected(survey)
    assert "Gespeichert: 4 Angabe(n) zu 4 Partner(n)" in page.locator("#status").inner_text()
    form.assert_clean()


def test_a_saved_file_loads_back_into_the_form(
    survey: Any, open_form: Opener, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    first = open_form(survey.forms["auenfeld"])
    fill(first)
    _, saved = first.save()
    path = tmp_path / "auenfeld_antworten.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    again = open_form(survey.forms["auenfeld"])
    again.page.locator("#load").set_input_files(path)
    expect(again.page.locator("#status")).to_have_text(re.compile("^Geladen: "))
    assert again.page.locator('fieldset[data-partner="lk-nord"] textarea').input_value() == (
        "Treffen im Kreishaus"
    )
    _, resaved = again.save()
    assert resaved == saved
    # A file of another Kommune is refused with a message, not a dialog.
    other = open_form(survey.forms["birkenhain"])
    other.page.locator("#load").set_input_files(path)
    expect(other.page.locator("#status")).to_have_text(
        "Diese Datei gehört zu einer anderen Befragung oder einer anderen Kommune."
    )
    for opened in (first, again, other):
        opened.assert_clean()


def test_an_added_partner_without_a_name_is_asked_for(survey: Any, open_form: Opener) -> None:
    form = open_form(survey.forms["eichwalde"])
    form.page.locator("#free fieldset select[name='exchange.presence']").select_option("yes")
    downloads: list[Any] = []

    def downloaded(download: Any) -> None:
        downloads.append(download)

    form.page.on("download", downloaded)
    form.page.get_by_role("button", name="Speichern").click()
    assert form.page.locator("#status").inner_text() == (
        "Bitte geben Sie bei jedem weiteren Partner den Namen oder den Schlüssel an."
    )
    assert downloads == []
    form.page.locator("#free fieldset input[name='partner']").fill("auenfeld")
    _, saved = form.save()
    assert [(a["partner"], a["kind"]) for a in saved["answers"]] == [("auenfeld", "exchange")]
    assert saved["about"] == {
        "coordination_office": None,
        "integration_concept": None,
        "case_management": None,
    }
    form.assert_clean()


def test_markup_in_names_shows_as_text(open_form: Opener, tmp_path: Path) -> None:
    made = create(xss_network(), tmp_path / "s", date=DATE)
    form = open_form(made.forms["c"])
    assert form.page.locator("img, svg, b").count() == 0
    names = form.page.locator("#roster legend .name").all_inner_texts()
    assert names == ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>"]
    form.assert_clean()
