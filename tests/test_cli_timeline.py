"""The timeline command: the terminal table in German (or English), report files with English
names for programs and German labels for people, the chart as an offline page (also opened
in headless Chromium) and as PNG/SVG with the same bytes on every run, and bad options."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from conftest import assert_one_error_line, error_lines
from conftest import run_cli as run
from netkoop.metrics.headline import ties_column
from netkoop.model.vocabulary import TIE_KINDS

CHROMIUM = Path(os.environ.get("NETKOOP_CHROMIUM", "/usr/bin/chromium"))

# beispielregion from 2014 to 2026: ties by 1 January, counted from its ties.csv (since only).
TIES_BY_YEAR = [1, 4, 10, 12, 13, 15, 17, 18, 20, 21, 21, 21, 21]

MEASURE_COLUMNS = [
    "date",
    "units",
    "ties",
    *(ties_column(kind) for kind in TIE_KINDS),
    "components",
    "largest_component",
    "isolates",
    "density",
    "ei_index",
    "commuter_coverage",
    "hub_connected",
    "hub_tied",
    "offices",
]


def timeline(*args: str | Path) -> Any:
    return run("timeline", "beispielregion", "--from", "2014", "--to", "2026", *args)


def test_terminal_table_is_german_by_default() -> None:
    result = timeline()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Zeitreihe: beispielregion – 01.01.2014 bis 01.01.2026, jährlich, 13 Zeitpunkte" in out
    for heading in ("Kennzahlen je Datum", "Verbindungen nach Art je Datum", "Markierte Daten"):
        assert heading in out
    assert "Begonnene (+) und beendete (−) Verbindungen je Zeitraum" in out
    for label in ("Verbindungen", "Komponenten", "Dichte", "Erfahrungsaustausch", "Stichtag"):
        assert label in out
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():  # the first table's rows: date, ties, ...
        if line[2:4].isdigit():
            rows.setdefault(line.split()[0], line.split())
    assert [int(rows[f"01.01.{year}"][1]) for year in range(2014, 2027)] == TIES_BY_YEAR
    assert "0,2564" in out  # density in 2026, with a decimal comma
    assert "30.06.2024  Stichtag" in out
    assert "01.01.2014 – 01.01.2015" in out
    assert result.stderr == ""


def test_terminal_table_in_english() -> None:
    result = timeline("--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Timeline: beispielregion – 2014-01-01 to 2026-01-01, yearly, 13 dates" in result.stdout
    assert "density" in result.stdout
    assert "0.2564" in result.stdout
    assert "2024-06-30  reference date" in result.stdout


def test_csv_keeps_english_names(tmp_path: Path) -> None:
    folder = tmp_path / "zeitreihe"
    result = timeline("-o", folder)
    assert result.exit_code == 0, result.output
    assert f"Wrote {folder}" in result.stdout
    measures = pd.read_csv(folder / "measures.csv", dtype={"date": str})
    assert list(measures.columns) == MEASURE_COLUMNS
    assert measures["ties"].tolist() == TIES_BY_YEAR
    changes = pd.read_csv(folder / "changes.csv")
    assert list(changes.columns[:4]) == ["period_start", "period_end", "begun", "ended"]
    assert (changes["begun"] - changes["ended"]).tolist() == [
        b - a for a, b in itertools.pairwise(TIES_BY_YEAR)
    ]
    marks = pd.read_csv(folder / "marks.csv")
    assert marks.to_dict("records") == [
        {"date": "2024-06-30", "kind": "reference", "label": "reference_date"}
    ]
    values = pd.read_csv(folder / "values.csv")
    assert dict(zip(values["measure"], values["value"], strict=True))["every"] == "year"


def test_json_to_standard_output() -> None:
    result = timeline("-o", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["ties"] for row in data["tables"]["measures"]] == TIES_BY_YEAR
    assert data["values"]["dates"] == 13
    assert data["provenance"]["options"]["every"] == "year"


def test_xlsx_has_german_headers_and_sheets(tmp_path: Path) -> None:
    path = tmp_path / "zeitreihe.xlsx"
    result = timeline("-o", path)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == [
        "Überblick",
        "Kennzahlen",
        "Veränderungen je Zeitraum",
        "Markierungen",
        "Metadaten",
    ]
    header = [cell.value for cell in next(book["Kennzahlen"].iter_rows(max_row=1))]
    assert header[:4] == ["Datum", "Einheiten", "Verbindungen", "Verbindungen: Erfahrungsaustausch"]
    assert "Dichte" in header
    assert "E-I-Index (Kreisgrenzen)" in header
    changes = [cell.value for cell in next(book["Veränderungen je Zeitraum"].iter_rows(max_row=1))]
    assert changes[:4] == ["Zeitraum ab", "Zeitraum bis", "begonnen", "beendet"]
    assert "begonnen: freiwillig" in changes
    book.close()


def test_html_is_offline_and_holds_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "zeitreihe.html"
    result = timeline("-o", path)
    assert result.exit_code == 0, result.output
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<script" not in page
    assert "default-src 'none'" in page
    for title in ("Verbindungen nach Art", "Komponenten", "E-I-Index (Kreisgrenzen)"):
        assert f"<h2>{title}</h2>" in page
    # 11 panels; the ties panel has one line for all ties and one per kind (6), hub two.
    assert page.count("<polyline") == 1 + 6 + 5 + 1 + 2 + 1
    assert "Stichtag" in page


def test_figures_are_written_with_the_same_bytes_every_time(tmp_path: Path) -> None:
    first = timeline("-o", tmp_path / "a.png", "-o", tmp_path / "a.svg")
    assert first.exit_code == 0, first.output
    again = timeline("-o", tmp_path / "b.png", "-o", tmp_path / "b.svg")
    assert again.exit_code == 0, again.output
    png = (tmp_path / "a.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == (tmp_path / "b.png").read_bytes()
    svg = (tmp_path / "a.svg").read_bytes()
    assert svg.startswith(b"<?xml")
    assert b"<dc:date>" not in svg
    assert svg == (tmp_path / "b.svg").read_bytes()


def test_an_output_is_replaced_only_with_force(tmp_path: Path) -> None:
    path = tmp_path / "zeitreihe.png"
    assert timeline("-o", path).exit_code == 0
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    refused = timeline("-o", path, "-o", tmp_path / "new.html")
    assert_one_error_line(refused, problems_allowed=False)
    assert not (tmp_path / "new.html").exists()  # refused before anything was written
    assert timeline("-o", path, "--force").exit_code == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_an_input_is_never_written(write_scenario: Any) -> None:
    scenario = write_scenario("name: klein\nextends: beispielregion\n")
    result = run("timeline", scenario, "--from", "2014", "--to", "2016", "-o", scenario, "--force")
    assert_one_error_line(result, problems_allowed=False)
    assert scenario.read_text(encoding="utf-8").startswith("format_version: 1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "20x4", "--to", "2026"], "Error: --from: '20x4' is not a date; use a year"),
        (["--from", "2014", "--to", "31.02.2026"], "Error: --to: '31.02.2026' is not a date"),
        (
            ["--from", "2026", "--to", "2014"],
            "Error: the timeline would start on 2026-01-01, after its end on 2014-01-01",
        ),
        (
            ["--from", "1900", "--to", "2100", "--every", "month"],
            "Error: 1900-01-01 to 2100-01-01 by month gives more than 1,000 dates",
        ),
        (
            ["--from", "2014", "--to", "2026", "-o", "zeitreihe.txt"],
            "Error: zeitreihe.txt: cannot tell what to write from the ending '.txt'",
        ),
    ],
)
def test_bad_options_give_one_line(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("timeline", "beispielregion", *args)
    assert_one_error_line(result, problems_allowed=False)
    assert error_lines(result.stderr)[0].startswith(message), result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_step_is_a_usage_error() -> None:
    result = timeline("--every", "week")
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [
        "Error: Invalid value for '--every': 'week' is not one of 'year', 'quarter', 'month'."
    ]


def test_without_from_and_to_the_years_of_the_scenarios_dates_are_measured(
    write_scenario: Any,
) -> None:
    # befristung: the Land forum is founded in 2010, the last project money ends 2026-12.
    result = run("timeline", "befristung", "-o", "-")
    assert result.exit_code == 0, result.output
    dates = [row["date"] for row in json.loads(result.stdout)["tables"]["measures"]]
    assert (dates[0], dates[-1], len(dates)) == ("2010-01-01", "2027-01-01", 18)
    # Only --to given: --from comes from the dates (beispielregion's first tie is of 2014).
    ends = json.loads(run("timeline", "beispielregion", "--to", "2016", "-o", "-").stdout)
    assert [row["date"] for row in ends["tables"]["measures"]] == [
        "2014-01-01", "2015-01-01", "2016-01-01"
    ]  # fmt: skip
    undated = write_scenario(
        """
        units:
          - {id: a, name: A, kind: landkreis, land: BY}
        """
    )
    refused = run("timeline", undated)
    assert refused.exit_code == 1
    assert error_lines(refused.stderr) == [
        "Error: scenario: no tie, unit or office has a date (since, until), so there is no "
        "span to measure; give --from and --to"
    ]


def test_a_terminal_sees_a_bar_of_the_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    from netkoop.cli import progress as progress_module

    monkeypatch.setattr(progress_module, "_is_terminal", lambda stream: True)
    drawn = timeline()
    assert drawn.exit_code == 0, drawn.output
    states = [part for part in re.split(r"[\r\n]", drawn.stderr) if "Zeitreihe" in part]
    assert states, drawn.stderr
    assert re.search(r"\]\s+13/13", states[-1]), states[-1]
    quiet = timeline("-q")
    assert quiet.stderr == ""
    assert quiet.stdout == drawn.stdout


# --- the page in a real browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (or NETKOOP_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def test_the_page_draws_every_panel_offline_in_a_browser(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "zeitreihe.html"
    result = run(
        "timeline", "befristung-pflichtaufgabe", "--from", "2014", "--to", "2030", "-o", path
    )
    assert result.exit_code == 0, result.output
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    requests: list[str] = []
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"error: {error}"))

    def route(handle: Any, request: Any) -> None:
        requests.append(request.url)
        if request.url.startswith("file:"):
            handle.continue_()
        else:
            handle.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    assert requests == [path.as_uri()]
    assert messages == []  # a style the page's CSP refused would be reported here
    sizes = page.eval_on_selector_all(
        "svg.plot",
        "svgs => svgs.map(s => [s.getBoundingClientRect().width, "
        "s.querySelectorAll('polyline').length, s.querySelectorAll('line[stroke-dasharray]')"
        ".length])",
    )
    assert len(sizes) == 9
    assert all(width > 300 and lines >= 1 and marks == 2 for width, lines, marks in sizes)
    # The styles apply (the CSP allows them): the first panel spans both columns.
    wide, narrow = sizes[0][0], sizes[1][0]
    assert wide > 1.8 * narrow
    assert page.inner_text("ol.marks") == (
        "1Stichtag – 30.06.2024\n2Pflichtaufgabe (mandate) – 01.01.2025"
    )
    page.close()
