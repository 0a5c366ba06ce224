"""Comparing a what-if network with its base: netkoop.whatif.compare_networks and the compare
command, on hand-made networks, the bundled what-if scenarios and the national scenario.

Expected values are worked out by hand from the tables written here, or counted from the
scenario tables independently of netkoop's tie matching.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import Result

import netkoop
from conftest import run_cli as run
from netkoop import Network
from netkoop.metrics import Options, metrics_report
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS
from netkoop.whatif import Comparison, compare_networks

# A Landkreis with two Gemeinden and a Land forum, and a kreisfreie Stadt without ties.
UNITS = [
    {"id": "lk", "name": "Landkreis Nord", "kind": "landkreis", "land": "03"},
    {"id": "g1", "name": "Eins", "kind": "gemeinde", "land": "03", "parent": "lk"},
    {"id": "g2", "name": "Zwei", "kind": "gemeinde", "land": "03", "parent": "lk"},
    {"id": "st", "name": "Stadt", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "f", "name": "Forum", "kind": "forum", "land": "03"},
]
TIES = [
    {"from": "g1", "to": "g2", "kind": "exchange", "intensity": "regular"},
    {"from": "g2", "to": "lk", "kind": "exchange", "intensity": "regular"},
    {"from": "lk", "to": "f", "kind": "membership", "intensity": "regular"},
]
FLOWS = [
    {"from": "lk", "to": "st", "commuters": 300},
    {"from": "st", "to": "lk", "commuters": 100},
    {"from": "g1", "to": "g2", "commuters": 50},
]
VERBUND = {"from": "lk", "to": "st", "kind": "exchange", "intensity": "intensive"}


@pytest.fixture
def nord() -> Network:
    return Network.from_tables(UNITS, TIES, FLOWS)


def ends(ties: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [(str(a), str(b), str(k)) for a, b, k in ties[["from", "to", "kind"]].to_numpy()]


def tie_counter(ties: pd.DataFrame) -> Counter[tuple[str, str, str]]:
    """Ties as a multiset, undirected kinds keyed by their sorted ends."""
    counted: Counter[tuple[str, str, str]] = Counter()
    for start, end, kind in ends(ties):
        a, b = (start, end) if kind in DIRECTED_TIE_KINDS else sorted((start, end))
        counted[(a, b, kind)] += 1
    return counted


# --- compare_networks on a hand-made network ----------------------------------------------


def test_an_added_tie_changes_exactly_what_it_should(nord: Network) -> None:
    found = compare_networks(nord, nord.add_ties([VERBUND]))

    assert ends(found.ties_added) == [("lk", "st", "exchange")]
    row = found.ties_added.iloc[0]
    assert (row["name_from"], row["name_to"], row["intensity"]) == (
        "Landkreis Nord",
        "Stadt",
        "intensive",
    )
    assert found.ties_removed.empty
    assert found.units_added.empty
    assert found.units_removed.empty

    values = found.values
    assert values.loc["structure.ties"].tolist() == [3, 4, 1]
    assert values.loc["structure.components"].tolist() == [2, 1, -1]  # the Stadt joins
    assert values.loc["structure.isolates"].tolist() == [1, 0, -1]
    base, whatif, difference = values.loc["structure.density"]
    assert (base, whatif) == pytest.approx((3 / 10, 4 / 10))  # 5 units: 10 pairs
    assert difference == pytest.approx(0.1)
    # 400 of the 450 commuters travel between lk and st, now tied.
    assert values.loc["gap.coverage"].tolist() == pytest.approx([50 / 450, 1.0, 400 / 450])
    assert values.loc["communities.method"].tolist() == ["leiden", "leiden", None]

    units = found.units
    lk = units.loc["lk"]
    assert (lk["degree_base"], lk["degree_whatif"], lk["degree_difference"]) == (2, 3, 1)
    # Weights by intensity: regular 2, intensive 3.
    assert (lk["weighted_degree_base"], lk["weighted_degree_whatif"]) == (4, 7)
    # Path g1-g2-lk-f plus st alone, then lk also joins st; 6 pairs of others among 5 units.
    assert lk["betweenness_base"] == pytest.approx(2 / 6)
    assert lk["betweenness_whatif"] == pytest.approx(5 / 6)
    assert units.loc["g2", "betweenness_difference"] == pytest.approx(1 / 6)
    st = units.loc["st"]
    assert pd.isna(st["ei_base"])  # no tie, no E-I index
    assert st["ei_whatif"] == 1.0  # its one tie leaves its Kreis
    # lk: one tie inside its Kreis (g2), none across -> -1; with st one across -> 0.
    assert (lk["ei_base"], lk["ei_whatif"]) == (-1.0, 0.0)
    assert set(units["status"]) == {"same"}
    # Degree +1 for lk and st (lk's betweenness moved more), then g2's betweenness.
    assert list(units.index) == ["lk", "st", "g2", "g1", "f"]
    assert found.changed_units().index.tolist() == ["lk", "st", "g2"]


def test_progress_counts_the_families_of_both_networks(nord: Network) -> None:
    calls: list[tuple[int, int]] = []
    compare_networks(
        nord,
        nord.add_ties([VERBUND]),
        metrics=["structure", "kreis", "gap"],
        progress=lambda steps, of: calls.append((steps, of)),
    )
    # Three families, measured on each side: 6 steps, each told with that total.
    assert calls == ([(0, 6)] + [(1, 6)] * 3) * 2
    assert sum(steps for steps, _ in calls) == 6


def test_a_removed_tie_and_changed_units(nord: Network) -> None:
    whatif = (
        nord.remove_ties([{"from": "g2", "to": "g1"}])
        .add_units([{"id": "f2", "name": "Neues Forum", "kind": "forum", "land": "03"}])
        .add_ties([{"from": "st", "to": "f2", "kind": "membership"}])
        .remove_units(["f"])
    )
    found = compare_networks(nord, whatif, metrics=["structure"])
    assert ends(found.ties_added) == [("st", "f2", "membership")]
    assert ends(found.ties_removed) == [("g1", "g2", "exchange"), ("lk", "f", "membership")]
    assert found.ties_removed["name_to"].tolist() == ["Zwei", "Forum"]
    assert found.units_added["id"].tolist() == ["f2"]
    assert found.units_removed["id"].tolist() == ["f"]
    assert found.values.loc["structure.components"].tolist() == [2, 3, 1]  # g1 | g2-lk | st-f2
    assert found.units["status"].to_dict() == {
        "lk": "same",
        "g1": "same",
        "g2": "same",
        "st": "same",
        "f2": "added",
        "f": "removed",
    }
    # Degree changes by 1 for each unit in both; lk and g2 also lose their betweenness of
    # 2/6 on the path g1-g2-lk-f. Added units, then removed ones, come last.
    assert set(found.units.index[:2]) == {"lk", "g2"}
    assert list(found.units.index[2:]) == ["g1", "st", "f2", "f"]
    assert found.units["degree_difference"].iloc[:4].abs().tolist() == [1, 1, 1, 1]
    assert found.units.loc["f2", "degree_whatif"] == 1
    assert pd.isna(found.units.loc["f2", "degree_base"])
    assert pd.isna(found.units.loc["f2", "degree_difference"])
    assert found.units.loc["f", "degree_base"] == 1


def test_ties_are_matched_one_by_one_and_directed_kinds_keep_their_direction(
    nord: Network,
) -> None:
    base = Network.from_tables(
        UNITS,
        [
            {"from": "g1", "to": "g2", "kind": "exchange"},
            {"from": "g1", "to": "g2", "kind": "exchange", "source": "second"},
            {"from": "st", "to": "lk", "kind": "service_opening"},
        ],
    )
    whatif = Network.from_tables(
        UNITS,
        [
            {"from": "g2", "to": "g1", "kind": "exchange"},
            {"from": "lk", "to": "st", "kind": "service_opening"},
        ],
    )
    found = compare_networks(base, whatif, metrics=["structure"])
    assert ends(found.ties_removed) == [("g1", "g2", "exchange"), ("st", "lk", "service_opening")]
    assert found.ties_removed["source"].tolist()[0] == "second"
    assert ends(found.ties_added) == [("lk", "st", "service_opening")]


def test_measures_only_one_side_has_are_kept(nord: Network) -> None:
    borders = [{"from": "lk", "to": "st", "length_km": 12.5}]
    bordered = Network.from_tables(UNITS, TIES, FLOWS, borders=borders)
    found = compare_networks(nord, bordered, metrics=["gap"])
    assert found.values.loc["gap_neighbours.coverage"].tolist() == [None, 0.0, None]
    assert found.values.loc["gap_neighbours.pairs"].tolist() == [None, 1, None]
    assert "gap_neighbours.coverage" in found.changed().index
    assert found.values.loc["gap.pairs"].tolist() == [2, 2, 0]


def test_the_inputs_are_not_changed(nord: Network) -> None:
    whatif = nord.add_ties([VERBUND])
    tables = {
        name: (getattr(nord, name).copy(), getattr(whatif, name).copy())
        for name in ("units", "ties", "flows", "borders")
    }
    compare_networks(nord, whatif, ties="exchange")
    for name, (before, after) in tables.items():
        pd.testing.assert_frame_equal(getattr(nord, name), before, obj=name)
        pd.testing.assert_frame_equal(getattr(whatif, name), after, obj=name)


def test_both_sides_are_measured_with_the_same_options() -> None:
    net = netkoop.load("beispielregion")
    options = Options(seed=7, betweenness="sampled", samples=3, permutations=50)
    found = compare_networks(net, net, options=options)
    assert found.changed().empty
    expected = metrics_report(net, options=options).values
    default = metrics_report(net).values
    assert expected["kreis.ei_test.permutations"] == 50
    assert expected["kreis.ei_test.p_value"] != default["kreis.ei_test.p_value"]
    for column in ("base", "whatif"):
        assert found.values[column].to_dict() == expected
    sampled = metrics_report(net, metrics=["structure"], options=options)
    betweenness = sampled.tables["structure_units"]["betweenness"]
    assert found.units["betweenness_whatif"].to_dict() == betweenness.to_dict()


def test_ties_option_keeps_only_those_kinds(nord: Network) -> None:
    whatif = nord.add_ties([VERBUND, {"from": "st", "to": "f", "kind": "membership"}])
    found = compare_networks(nord, whatif, ties=["exchange"], metrics=["structure"])
    assert ends(found.ties_added) == [("lk", "st", "exchange")]
    assert found.values.loc["structure.ties"].tolist() == [2, 3, 1]
    assert found.units.loc["lk", "degree_whatif"] == 2  # g2 and st; the forum tie is left out


def test_report_names_the_comparison_and_holds_every_table(nord: Network, tmp_path: Path) -> None:
    found = compare_networks(nord.with_metadata(name="nord"), nord.add_ties([VERBUND]))
    report = found.report()
    assert report.name == "nord → network"
    assert report.values == {
        "measures_changed": len(found.changed()),
        "ties_added": 1,
        "ties_removed": 0,
        "units_added": 0,
        "units_removed": 0,
    }
    assert list(report.tables) == [
        "measures",
        "units",
        "ties_added",
        "ties_removed",
        "units_added",
        "units_removed",
    ]
    written = json.loads(report.write(tmp_path / "cmp.json").read_text(encoding="utf-8"))
    measures = {row["measure"]: row for row in written["tables"]["measures"]}
    assert measures["structure.ties"] == {
        "measure": "structure.ties",
        "base": 3,
        "whatif": 4,
        "difference": 1,
    }
    assert written["tables"]["ties_added"][0]["to"] == "st"


# --- the bundled what-if scenarios ----------------------------------------------------------


@pytest.fixture(scope="module")
def zwei_welten() -> Network:
    with pytest.warns(netkoop.NetkoopWarning):
        return netkoop.load("zwei-welten-2020")


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")
def test_pflichtaufgabe_adds_a_tie_to_every_gemeinde_and_missing_forum_memberships(
    zwei_welten: Network,
) -> None:
    whatif = netkoop.load("pflichtaufgabe")
    found = compare_networks(zwei_welten, whatif)
    assert len(found.ties_added) == 54
    assert found.ties_removed.empty
    assert found.values.loc["structure.ties"].tolist() == [82, 136, 54]

    units = zwei_welten.units
    gemeinden = units[units["kind"] == "gemeinde"]
    exchange = found.ties_added[found.ties_added["kind"] == "exchange"]
    assert set(zip(exchange["from"], exchange["to"], strict=True)) == set(
        zip(gemeinden["parent"], gemeinden["id"], strict=True)
    )
    assert len(exchange) == len(gemeinden) == 45
    # Membership in the Land forum for each Kreis that had none before.
    kind = units.set_index("id")["kind"]
    forums = set(units.loc[units["kind"] == "forum", "id"])
    ties = zwei_welten.ties
    members = set(ties.loc[(ties["kind"] == "membership") & ties["to"].isin(forums), "from"])
    kreise = set(units.loc[units["kind"].isin(["landkreis", "kreisfreie_stadt"]), "id"])
    joined = found.ties_added[found.ties_added["kind"] == "membership"]
    assert set(joined["from"]) == kreise - members
    assert len(joined) == 9
    assert set(joined["to"]) <= forums
    assert set(kind[joined["from"]]) <= {"landkreis", "kreisfreie_stadt"}


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")
@pytest.mark.parametrize("name", ["pflichtaufgabe", "regionalverbund", "haushaltskrise"])
def test_bundled_what_if_ties_added_and_removed_match_a_multiset_count(
    zwei_welten: Network, name: str
) -> None:
    whatif = netkoop.load(name)
    found = compare_networks(zwei_welten, whatif, metrics=["structure"])
    old, new = tie_counter(zwei_welten.ties), tie_counter(whatif.ties)
    assert tie_counter(found.ties_added) == new - old
    assert tie_counter(found.ties_removed) == old - new
    difference = found.values.loc["structure.ties", "difference"]
    assert difference == len(found.ties_added) - len(found.ties_removed)
    assert difference == len(whatif.ties) - len(zwei_welten.ties)
    assert len(found.ties_added) + len(found.ties_removed) > 0


# --- the national scenario ------------------------------------------------------------------

NATIONAL_TIES = [
    {"from": "09184", "to": "09162", "kind": "exchange"},
    {"from": "03459", "to": "03404", "kind": "joint_project", "intensity": "regular"},
]


def test_national_scenario_with_two_city_landkreis_ties(national: Path, official: Path) -> None:
    base = netkoop.load(national)
    whatif = base.add_ties(NATIONAL_TIES)
    found = compare_networks(base, whatif)

    with gzip.open(official / "derived" / "kreise.csv.gz", "rt", encoding="utf-8") as handle:
        names = {row["kreis_ags"]: row["name"] for row in csv.DictReader(handle)}
    assert ends(found.ties_added) == [
        ("09184", "09162", "exchange"),
        ("03459", "03404", "joint_project"),
    ]
    assert found.ties_added["name_to"].tolist() == [names["09162"], names["03404"]]
    assert found.ties_removed.empty

    n = len(base.units)
    values = found.values
    assert values.loc["structure.units"].tolist() == [n, n, 0]
    assert values.loc["structure.components"].tolist() == [n, n - 2, -2]
    assert values.loc["structure.isolates"].tolist() == [n, n - 4, -4]
    with gzip.open(
        official / "derived" / "pendler_kreise_od.csv.gz", "rt", encoding="utf-8"
    ) as handle:
        flows = list(csv.DictReader(handle))
    tied = {frozenset(("09184", "09162")), frozenset(("03459", "03404"))}
    total = sum(int(r["insgesamt"]) for r in flows if r["wohnort_kreis"] != r["arbeitsort_kreis"])
    covered = sum(
        int(r["insgesamt"])
        for r in flows
        if frozenset((r["wohnort_kreis"], r["arbeitsort_kreis"])) in tied
    )
    assert covered > 71_660 + 86_350 + 32_650  # both ways München, one way Osnabrück
    assert values.loc["gap.coverage", "difference"] == pytest.approx(covered / total)

    units = found.units
    # Degree +1 for all four, betweenness unchanged; the regular tie weighs 2, the other 1.
    assert list(units.index[:4]) == ["03404", "03459", "09162", "09184"]
    assert units.loc["03459", ["degree_base", "degree_whatif"]].tolist() == [0, 1]
    assert units.loc["03459", "weighted_degree_whatif"] == 2  # regular
    assert units.loc["09184", "weighted_degree_whatif"] == 1  # no intensity given


# --- the command line -----------------------------------------------------------------------


def assert_one_error(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    # Besides warnings about the scenarios (the base has an isolate), one Error line.
    lines = [line for line in result.stderr.splitlines() if not line.startswith("Warning:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def files_below(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.fixture
def scenarios(write_scenario: Any) -> tuple[Path, Path]:
    """A base scenario (the hand-made network) and a what-if extending it by one tie."""
    frame = pd.DataFrame
    base = write_scenario(
        """
        name: nord
        units: {file: units.csv}
        ties: {file: ties.csv}
        flows: {file: flows.csv}
        """,
        folder="nord",
        units__csv=frame(UNITS).to_csv(index=False),
        ties__csv=frame(TIES).to_csv(index=False),
        flows__csv=frame(FLOWS).to_csv(index=False),
    )
    whatif = write_scenario(
        """
        name: nord-verbund
        extends: ../nord/scenario.yaml
        interventions:
          - do: add_ties
            rows: [{from: lk, to: st, kind: exchange, intensity: intensive}]
        """,
        folder="verbund",
    )
    return base, whatif


def test_text_output_shows_measures_ties_and_units(scenarios: tuple[Path, Path]) -> None:
    base, whatif = scenarios
    result = run("compare", base, whatif)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Comparison: nord → nord-verbund\n")
    lines = out.splitlines()
    # Measures and headers in German by default: structure.ties, .components, .units.
    assert re.search(r"^  Kennzahl +Basis +Was-wäre-wenn +Differenz$", out, re.M)
    assert re.search(r"^\* Verbindungen +3 +4 +\+1$", out, re.M)
    assert re.search(r"^\* Komponenten +2 +1 +-1$", out, re.M)
    assert re.search(r"^  Einheiten +5 +5$", out, re.M)  # unchanged: no mark
    english = run("compare", base, whatif, "--lang", "en").stdout
    assert re.search(r"^  measure +base +what-if +difference$", english, re.M)
    assert re.search(r"^\* ties +3 +4 +\+1$", english, re.M)
    assert "Ties added: 1" in lines
    row = lines[lines.index("Ties added: 1") + 3].split()
    assert row == ["lk", "Landkreis", "Nord", "st", "Stadt", "exchange", "intensive"]
    assert "Ties removed: none" in lines
    assert "Units: 0 added; 0 removed" in lines
    heading = next(i for i, line in enumerate(lines) if line.startswith("Units that changed"))
    assert lines[heading].startswith("Units that changed most: ")
    first = lines[heading + 3]
    assert first.split()[:5] == ["lk", "Landkreis", "Nord", "2", "→"]
    assert "→ 3" in first


def test_top_limits_the_rows_shown(scenarios: tuple[Path, Path]) -> None:
    base, whatif = scenarios
    out = run("compare", base, whatif, "--top", "1", "--metric", "structure").stdout
    lines = out.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Units that changed"))
    assert lines[heading + 3].split()[0] == "lk"
    assert lines[heading + 4].startswith("  ... ")
    assert lines[heading + 4].endswith("more (--output writes all)")


def test_output_json_and_csv_are_written_and_read_back(
    scenarios: tuple[Path, Path], tmp_path: Path
) -> None:
    base, whatif = scenarios
    out = tmp_path / "out"
    result = run("compare", base, whatif, "--output", out / "cmp.json", "--metric", "structure")
    assert result.exit_code == 0, result.output
    assert f"Wrote {out / 'cmp.json'}" in result.stdout
    data = json.loads((out / "cmp.json").read_text(encoding="utf-8"))
    assert data["name"] == "nord → nord-verbund"
    assert data["values"]["ties_added"] == 1
    measures = {row["measure"]: row for row in data["tables"]["measures"]}
    assert (measures["structure.density"]["base"], measures["structure.density"]["whatif"]) == (
        pytest.approx(0.3),
        pytest.approx(0.4),
    )
    units = {row["id"]: row for row in data["tables"]["units"]}
    assert units["st"]["degree_base"] == 0
    assert units["st"]["degree_whatif"] == 1

    result = run("compare", base, whatif, "-o", out / "cmp", "--metric", "structure,kreis")
    assert result.exit_code == 0, result.output
    folder = out / "cmp"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".netkoop",  # the marker of a folder netkoop made
        "measures.csv",
        "ties_added.csv",
        "ties_removed.csv",
        "units.csv",
        "units_added.csv",
        "units_removed.csv",
        "values.csv",
    ]
    measures_csv = pd.read_csv(folder / "measures.csv", index_col="measure")
    assert measures_csv.loc["structure.ties"].tolist() == [3, 4, 1]
    assert measures_csv.loc["kreis.external", "difference"] == 1
    added = pd.read_csv(folder / "ties_added.csv")  # no index column: the rows are ties
    assert ends(added) == [("lk", "st", "exchange")]


def test_format_json_goes_to_stdout_and_html_page_is_written(
    scenarios: tuple[Path, Path], tmp_path: Path
) -> None:
    base, whatif = scenarios
    page = tmp_path / "diff.html"
    result = run("compare", base, whatif, "--format", "json", "--html", page, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["values"]["ties_added"] == 1
    assert f"Wrote {page}" in result.stderr.splitlines()

    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="netkoop-data">(.*?)</script>', text)
    assert found
    data = json.loads(found.group(1))
    assert data["diff"] is True
    assert data["title"].startswith("Comparison: ")
    ids = data["units"]["id"]
    ties = data["ties"]
    added = [
        (ids[a], ids[b])
        for a, b, s in zip(ties["from"], ties["to"], ties["status"], strict=True)
        if s == 1
    ]
    assert added == [("lk", "st")]
    assert not any(s == 2 for s in ties["status"])


def test_bad_inputs_give_one_error_line_and_write_nothing(
    scenarios: tuple[Path, Path], tmp_path: Path
) -> None:
    base, whatif = scenarios
    out = tmp_path / "out"
    out.mkdir()
    page, report = out / "diff.html", out / "cmp.json"
    cases: list[tuple[list[str | Path], tuple[str, ...]]] = [
        (["nope", whatif, "--html", page, "-o", report], ("nope", "no bundled scenario")),
        ([base, "nix.yaml", "--html", page, "-o", report], ("nix.yaml", "no such file")),
        ([base, whatif, "--html", page, "-o", out / "cmp.txt"], ("cmp.txt", "use --format")),
        ([base, whatif, "--html", out / "diff.svg", "-o", report], ("diff.svg", ".html")),
        ([base, whatif, "--html", page, "--metric", "structure,nope"], ("unknown metric", "nope")),
        ([base, whatif, "-o", report, "--ties", "exchange,friend"], ("unknown tie kind", "friend")),
    ]
    for args, words in cases:
        assert_one_error(run("compare", *args), *words)
        assert files_below(out) == [], args


def test_format_csv_without_output_is_a_usage_error(scenarios: tuple[Path, Path]) -> None:
    result = run("compare", *scenarios, "--format", "csv")
    assert result.exit_code == 2
    assert "--format csv needs --output" in result.stderr


def test_help_ends_with_an_example() -> None:
    result = run("compare", "--help")
    assert result.exit_code == 0
    text = result.stdout.split("\nOptions:", 1)[0]
    last = [line for line in text.splitlines() if line.strip()][-1].strip()
    assert last == "Example: netkoop compare zwei-welten-2020 pflichtaufgabe --html diff.html"
    for option in ("--ties", "--metric", "--seed", "--output", "--format", "--html", "--top"):
        assert option in result.stdout


def test_cli_on_the_bundled_pflichtaufgabe(tmp_path: Path) -> None:
    result = run("compare", "zwei-welten-2020", "pflichtaufgabe", "--html", tmp_path / "d.html")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.search(r"^\* Verbindungen +82 +136 +\+54$", result.stdout, re.M)
    assert "Ties added: 54" in lines
    assert "Ties removed: none" in lines
    assert "  ... 44 more (--output writes all)" in lines
    # Loading zwei-welten-2020 warns about its isolates; the CLI prints it as one line.
    assert [w for w in result.stderr.splitlines() if w.startswith("Warning:")]
    assert (tmp_path / "d.html").stat().st_size > 0


def test_cli_on_the_national_scenario(national: Path, write_scenario: Any) -> None:
    whatif = write_scenario(
        f"""
        name: deutschland-verbund
        extends: {national}
        interventions:
          - do: add_ties
            rows:
              - {{from: "09184", to: "09162", kind: exchange}}
              - {{from: "03459", to: "03404", kind: joint_project, intensity: regular}}
        """,
        folder="verbund",
    )
    result = run("compare", national, whatif, "--metric", "structure,gap", "--top", "2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Comparison: deutschland-kreise → deutschland-verbund" in out
    assert re.search(r"^\* Verbindungen +0 +2 +\+2$", out, re.M)
    assert re.search(r"^\* Komponenten +11,273 +11,271 +-2$", out, re.M)
    assert "Ties added: 2" in out.splitlines()


def test_comparison_is_frozen(nord: Network) -> None:
    found = compare_networks(nord, nord, metrics=["structure"])
    assert isinstance(found, Comparison)
    with pytest.raises(AttributeError):
        found.base_name = "other"  # type: ignore[misc]
