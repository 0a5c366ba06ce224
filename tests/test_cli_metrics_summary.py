"""`netkoop metrics` in the terminal: the summary for people, --all, --focus."""

from __future__ import annotations

import json
import math
import re

import click
import pandas as pd
import pytest

from conftest import assert_one_error_line
from conftest import run_cli as run
from netkoop.cli.metrics_summary import summary
from netkoop.metrics import Report

NORD = {"lk-nord", "auenfeld", "birkenhain", "dorfstetten", "eichwalde"}


def plain(report: Report, lang: str = "de") -> str:
    """The summary as the terminal of a pipe shows it: without bold headings."""
    return click.unstyle(summary(report, lang))


def block(text: str, title: str) -> list[str]:
    """The lines of the table titled ``title``, up to the next empty line."""
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = lines.index("", start)
    return lines[start:end]


# --- the summary --------------------------------------------------------------------------


def test_summary_of_beispielregion_groups_the_measures_and_fits_two_screens():
    result = run("metrics", "beispielregion")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Kennzahlen: beispielregion\n")
    assert re.search(r"^Struktur\n  Einheiten +13$", text, re.M)
    assert re.search(r"^  Dichte +0,2564$", text, re.M)
    assert re.search(r"^  E-I-Index \(Kreisgrenzen\) +-0,625$", text, re.M)
    # The permutation test says what its p-value means (2 of 1,000 permutations as extreme).
    assert re.search(
        r"^  E-I-Test: p-Wert +0,002 – signifikant \(5-%-Niveau\): mehr Verbindungen im Kreis "
        r"als bei Zufall$",
        text,
        re.M,
    )
    assert "E-I-Test: Permutationen" not in text  # a setting, left to --all
    assert "Gruppen: Verfahren" not in text
    # Commuters with German thousands separators; the largest uncovered pair first.
    assert block(text, "Pendler ohne Verbindung")[1].split() == ["Musterstadt", "Auenfeld", "4.810"]
    assert re.search(r"^Landkreis–kreisfreie Stadt +2 +2 +44\.560 +1$", text, re.M)
    # Units by name and id, only the first rows.
    assert block(text, "Struktur je Einheit")[1].split()[:3] == ["auenfeld", "Auenfeld", "5"]
    assert "  ... 8 weitere Zeilen" in text
    assert text.rstrip().endswith(
        "--all zeigt alle Kennzahlen und Tabellen, --output schreibt alle in eine Datei."
    )
    assert len(text.splitlines()) < 130
    assert "NaN" not in text
    assert "<NA>" not in text


def test_summary_leaves_out_rows_and_columns_of_nothing():
    text = run("metrics", "beispielregion").stdout
    # No unit is a Land: the row and column of Land in the mixing table are all zero.
    ties = block(text, "Verbindungen nach Arten")
    assert ties[0].split()[:3] == ["Art", "Partner", "Landkreis"]
    assert not any(line.startswith("Land ") for line in ties)
    # Nobody is a consultant: the column goes.
    assert "Berater" not in "\n".join(block(text, "Vermittlung je Einheit"))
    # Densities repeat the counts of ties and hold undefined cells: left to --all.
    assert "Dichte nach Arten" not in text


def test_summary_explains_undefined_values():
    report = Report(
        "leer",
        values={
            "kreis.ei": math.nan,
            "gap.coverage": math.nan,
            "survey.response_rate": math.nan,
            "kreis.ei_test.p_value": math.nan,
            "magic.number": None,
        },
    )
    text = plain(report)
    assert re.search(
        r"^  E-I-Index \(Kreisgrenzen\) +nicht bestimmt \(keine Verbindung gezählt\)$", text, re.M
    )
    assert re.search(
        r"^  Anteil Pendler mit Verbindung +nicht bestimmt \(keine Pendlerdaten\)$", text, re.M
    )
    assert re.search(
        r"^  Befragung: Rücklaufquote +nicht bestimmt \(niemand befragt\)$", text, re.M
    )
    assert re.search(
        r"^  E-I-Test: p-Wert +nicht bestimmt \(keine Verbindung gezählt\)$", text, re.M
    )
    assert re.search(r"^  magic\.number +nicht bestimmt$", text, re.M)
    english = plain(report, "en")
    assert re.search(
        r"^  E-I index \(Kreis borders\) +undefined \(no tie counted\)$", english, re.M
    )
    assert "--all shows every measure and table" in english


def test_summary_says_when_the_test_is_not_significant():
    values = {"kreis.ei_test.p_value": 0.3, "kreis.ei_test.observed": -0.2}
    text = plain(Report("x", values=values))
    assert re.search(
        r"^  E-I-Test: p-Wert +0,3 – nicht signifikant \(5-%-Niveau\): das Muster kann Zufall "
        r"sein$",
        text,
        re.M,
    )
    english = plain(Report("x", values=values), "en")
    assert "0.3 – not significant at 5 %: the pattern may be chance" in english


def test_summary_writes_numbers_the_german_way():
    report = Report(
        "zahlen",
        values={"structure.units": 12_345, "structure.density": 0.25, "gap.coverage": 0.69884},
        tables={
            "kreis_ei_by_kind": pd.DataFrame(
                {"units": [1_000, 2], "ei": [-0.25, 1.0]},
                index=pd.Index(["landkreis", "gemeinde"], name="kind"),
            )
        },
    )
    text = plain(report)
    assert re.search(r"^  Einheiten +12\.345$", text, re.M)
    assert re.search(r"^  Dichte +0,25$", text, re.M)
    assert re.search(r"^  Anteil Pendler mit Verbindung +0,6988$", text, re.M)
    assert re.search(r"^Landkreis +1\.000 +-0,2500$", text, re.M)
    assert re.search(r"^kreisangehörige Gemeinde +2 +1$", text, re.M)
    english = plain(report, "en")
    assert re.search(r"^  units +12,345$", english, re.M)
    assert re.search(r"^Landkreis +1,000 +-0\.25$", english, re.M)


def test_summary_skips_tables_of_zeros_and_missing_values():
    zeros = pd.DataFrame(
        {"units": [0, 0], "internal": [0, 0], "ei": [math.nan, math.nan]},
        index=pd.Index(["landkreis", "gemeinde"], name="kind"),
    )
    empty = pd.DataFrame({"unit_a": [], "unit_b": [], "commuters": []})
    report = Report(
        "nichts",
        values={"structure.units": 2},
        tables={"kreis_ei_by_kind": zeros, "gap_uncovered": empty, "magic": zeros},
    )
    text = plain(report)
    assert "E-I-Index je Art" not in text
    assert "Pendler ohne Verbindung" not in text
    assert "magic" not in text  # a table the summary does not know goes by the same rule


def test_summary_cuts_tables_to_their_first_rows_and_marks_undefined_cells():
    table = pd.DataFrame(
        {
            "name": [f"Gemeinde {i}" for i in range(9)],
            "degree": [0, *range(1, 9)],
            "ei": [math.nan, math.nan, *[float(i) - 3 for i in range(7)]],
        },
        index=pd.Index([f"g{i}" for i in range(9)], name="id"),
    )
    text = plain(Report("x", tables={"neu": table}))
    rows = block(text, "neu")
    # g0 says nothing (no tie, no index) and goes; g1 has a tie but no index.
    assert len(rows) == 1 + 5 + 1 + 1  # header, five rows, how many more, what "–" means
    assert rows[1].split() == ["g1", "Gemeinde", "1", "1", "–"]
    assert rows[5].split() == ["g5", "Gemeinde", "5", "5", "0"]  # an index of 0 says something
    assert rows[-2:] == ["  ... 3 weitere Zeilen", "  – nicht bestimmt"]


# --- --all and --output -------------------------------------------------------------------


def test_all_prints_the_full_dump():
    summary_text = run("metrics", "beispielregion", "--metric", "structure").stdout
    full = run("metrics", "beispielregion", "--metric", "structure", "--all")
    assert full.exit_code == 0, full.output
    assert re.search(r"^  Einheiten +13$", full.stdout, re.M)
    assert "Eigenvektorzentralität" in full.stdout  # every column
    assert "Eigenvektorzentralität" not in summary_text
    assert "  ... 3 weitere Zeilen (--output schreibt alle)" in full.stdout  # ten rows of 13
    assert "--all zeigt" not in full.stdout


def test_output_writes_the_file_and_prints_the_summary(tmp_path):
    target = tmp_path / "bericht.json"
    result = run("metrics", "beispielregion", "--metric", "kreis", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {target}\nKennzahlen: beispielregion\n")
    assert "--all zeigt alle Kennzahlen" in result.stdout
    data = json.loads(target.read_text(encoding="utf-8"))
    assert "kreis_ei_units" in data["tables"]  # the file has what the summary leaves out
    assert "focus" not in data["provenance"]["options"]


# --- --focus ------------------------------------------------------------------------------


def test_focus_shows_the_landkreis_and_no_unit_outside_its_reach():
    result = run("metrics", "beispielregion", "--focus", "lk-nord")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert re.search(r"^  Fokus: Name +Landkreis Nordheide$", text, re.M)
    assert re.search(r"^  Fokus: Partner außerhalb +3$", text, re.M)
    assert re.search(r"^  Fokus: Hauptrolle als Vermittler +Gatekeeper$", text, re.M)
    assert re.search(r"^  Fokus und Kreis: Anteil Pendler mit Verbindung +0,6767$", text, re.M)
    ties = block(text, "Fokus – Verbindungen")
    assert ties[1].split()[:3] == ["Landkreis", "Nordheide", "Musterstadt"]
    assert ties[-1] == "  ... 1 weitere Zeilen"  # 11 ties, Eichwalde - Fahrendorf the last
    position = block(text, "Fokus – Stellung")
    # Two Landkreise, the same degree: both first, and neither has more than the other.
    assert re.search(r"^Verbindungen +4 +1 von 2 +0 %", position[1])
    assert re.search(r"^Vermittlung +3 +2 von 2 +0 % +Gatekeeper$", position[5])
    units = {line.split()[0] for line in block(text, "Struktur je Einheit")[1:]}
    assert units == NORD
    # Lk Südmarsch's Gemeinden with no tie or commuters to Nordheide appear nowhere.
    for outside in ("Moorhausen", "Grünau", "Heidbrück", "gruenau"):
        assert outside not in text


def test_focus_rows_in_the_written_report_and_its_provenance(tmp_path):
    target = tmp_path / "nord.json"
    result = run("metrics", "beispielregion", "--focus", "eichwalde", "-o", target)
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["provenance"]["options"]["focus"] == "eichwalde"
    assert [row["id"] for row in data["tables"]["structure_units"]] == ["eichwalde"]
    assert [row["partner"] for row in data["tables"]["focus_partners"]] == [
        "auenfeld",
        "lk-nord",
        "fahrendorf",
    ]
    position = {row["measure"]: row for row in data["tables"]["focus_position"]}
    assert (position["degree"]["rank"], position["degree"]["units"]) == (3, 8)
    assert data["values"]["focus.kreis"] == "lk-nord"


@pytest.mark.parametrize("args", [[], ["-o", "out.json"]])
def test_unknown_focus_is_one_error_line_with_a_suggestion(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run("metrics", "beispielregion", "--focus", "eichwald", *args)
    assert_one_error_line(result, problems_allowed=False)
    assert result.stderr == (
        "Error: --focus: 'eichwald' is no unit of this network; did you mean 'eichwalde' "
        "(Eichwalde)?\n"
    )
    assert list(tmp_path.iterdir()) == []
