"""The full metrics report and `netkoop metrics`: every format, selections, and the national data."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

import netkoop
from netkoop.cli import main
from netkoop.metrics import metrics_report

FAMILIES = {"structure", "mixing", "kreis", "brokerage", "communities", "gap"}


def invoke(*args: str):
    result = CliRunner().invoke(main, ["metrics", *args])
    assert "Traceback" not in result.output
    return result


def test_report_covers_every_family_with_plain_values():
    report = metrics_report(netkoop.load("beispielregion"))
    prefixes = {key.split(".")[0] for key in report.values} | {
        name.split("_")[0] for name in report.tables
    }
    assert prefixes >= FAMILIES
    assert report.values["structure.units"] == 13
    assert report.values["structure.ties"] == 21
    assert report.values["gap.pairs"] == 14  # unordered pairs with commuters in flows.csv
    assert all(not hasattr(v, "dtype") for v in report.values.values())


def test_ties_option_restricts_every_family():
    net = netkoop.load("beispielregion")
    report = metrics_report(net, ties=["exchange"], metrics=["structure", "kreis"])
    assert report.values["structure.ties"] == int((net.ties["kind"] == "exchange").sum())
    assert {key.split(".")[0] for key in report.values} == {"structure", "kreis"}


def test_same_seed_gives_the_same_report():
    net = netkoop.load("beispielregion")
    first = metrics_report(net, metrics=["kreis", "communities"]).to_json()
    again = metrics_report(net, metrics=["kreis", "communities"]).to_json()
    assert first == again


@pytest.mark.parametrize(
    ("metrics", "total"),
    [
        (None, 7),  # structure, mixing, kreis, brokerage, communities, gap, survey
        (["structure", "gap"], 2),  # one step per family, not per table
        (["kreis"], 1),
    ],
)
def test_progress_is_told_once_per_family_with_their_number(metrics, total):
    calls = []
    report = metrics_report(
        netkoop.load("beispielregion"),
        metrics=metrics,
        progress=lambda steps, of: calls.append((steps, of)),
    )
    assert calls == [(0, total)] + [(1, total)] * total
    assert (
        report.to_json()
        == metrics_report(netkoop.load("beispielregion"), metrics=metrics).to_json()
    )


@pytest.mark.parametrize("fmt", ["json", "markdown", "xlsx", "csv"])
def test_every_output_format(fmt, tmp_path):
    target = tmp_path / {"json": "r.json", "markdown": "r.md", "xlsx": "r.xlsx", "csv": "r"}[fmt]
    result = invoke("beispielregion", "--format", fmt, "--output", str(target))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["values"]["structure.units"] == 13
        assert "NaN" not in target.read_text(encoding="utf-8")
    elif fmt == "markdown":
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# Metrics: beispielregion")
        assert "## kreis_study_counts" in text
    elif fmt == "xlsx":
        sheets = openpyxl.load_workbook(target, read_only=True).sheetnames
        assert sheets[0] == "Überblick"  # German labels for people by default
        assert "Struktur je Einheit" in sheets
        assert sheets[-1] == "Metadaten"
    else:
        assert (target / "values.csv").is_file()
        assert (target / "gap_uncovered.csv").is_file()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary leftovers


def test_terminal_report_and_json_to_stdout():
    text = invoke("beispielregion", "--metric", "structure")
    assert text.exit_code == 0
    assert re.search(r"^  Einheiten +13$", text.stdout, re.M)  # structure.units, labelled
    assert re.search(r"^Struktur je Einheit$", text.stdout, re.M)
    # 20 connected pairs of 13 * 12 / 2 = 78 possible: 0.2564, with a decimal comma in German.
    assert text.stdout.startswith("Kennzahlen: beispielregion\n")
    assert re.search(r"^  Dichte +0,2564$", text.stdout, re.M)
    english = invoke("beispielregion", "--metric", "structure", "--lang", "en")
    assert english.stdout.startswith("Metrics: beispielregion\n")
    assert re.search(r"^  density +0\.2564$", english.stdout, re.M)
    assert re.search(r"^  units +13$", english.stdout, re.M)
    assert re.search(r"^Structure by unit$", english.stdout, re.M)
    data = json.loads(invoke("beispielregion", "--metric", "gap", "--format", "json").stdout)
    assert set(data["tables"]) == {"gap_by_type", "gap_uncovered"}


def test_bad_metric_or_tie_kind_is_one_error_line(tmp_path):
    bad = invoke("beispielregion", "--metric", "magic", "--output", str(tmp_path / "r.json"))
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: unknown metric(s) magic; available: structure")
    assert not (tmp_path / "r.json").exists()
    kind = invoke("beispielregion", "--ties", "friendship")
    assert kind.exit_code == 1
    assert "unknown tie kind(s) friendship" in kind.stderr


def test_national_report_finds_muenchen_among_the_largest_uncovered_pairs(official, write_scenario):
    derived = official / "derived"
    path = write_scenario(
        f"""
        files_outside: true
        units:
          file: {derived / "kreise.csv.gz"}
          columns: {{id: kreis_ags, land: land_code, land_name: land}}
        flows:
          file: {derived / "pendler_kreise_od.csv.gz"}
          columns: {{from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt}}
        borders:
          file: {derived / "kreis_adjacency.csv.gz"}
          columns: {{from: kreis_a, to: kreis_b, length_km: shared_border_km}}
        """
    )
    result = invoke(str(path), "--format", "json", "--permutations", "50")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["values"]["gap.coverage"] == 0
    top = data["tables"]["gap_uncovered"][:5]
    pairs = [{row["unit_a"], row["unit_b"]} for row in top]
    assert {"09184", "09162"} in pairs
    first = data["tables"]["gap_neighbours_uncovered"][0]
    assert {first["unit_a"], first["unit_b"]} == {"09184", "09162"}
    assert first["commuters"] == 71_660 + 86_350


def test_inconsistent_options_are_one_error_line():
    result = invoke("beispielregion", "--metric", "structure", "--samples", "5")
    assert result.exit_code == 1
    assert result.stderr == "Error: samples is only used with betweenness='sampled'\n"
    sampled = invoke(
        "beispielregion",
        "--metric",
        "structure",
        "--betweenness",
        "sampled",
        "--samples",
        "5",
        "--seed",
        "3",
    )
    again = invoke(
        "beispielregion",
        "--metric",
        "structure",
        "--betweenness",
        "sampled",
        "--samples",
        "5",
        "--seed",
        "3",
    )
    assert sampled.exit_code == 0
    assert sampled.stdout == again.stdout
