"""The ``netkoop recommend`` command: text, --output, --save and errors, checked by hand.

Expected values are worked out from the input files (bundled CSVs, tables written here, or
the official commuter table in tests/data/official), never copied from netkoop's output.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import netkoop
from conftest import national_yaml, snapshot
from conftest import run_cli as run
from netkoop import NetkoopWarning
from netkoop.whatif import recommend

ScenarioWriter = Callable[..., Path]

# c1 has no tie, and the bundled what-if scenarios have isolates: loading them warns.
pytestmark = pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "scenarios"

# Components {a1, a2, a3}, {b1, b2} and {c1}. Flows: a3-b2 100 + 20 (the best join of the two
# largest), b1-a1 40, a1-c1 500 (the most commuters, but joins only 3 x 1 units).
THREE_COMPONENTS = {
    "units__csv": (
        "id,name,kind,land,parent\n"
        "a1,Alpha 1,landkreis,09,\n"
        "a2,Alpha 2,gemeinde,09,a1\n"
        "a3,Alpha 3,gemeinde,09,a1\n"
        "b1,Beta 1,kreisfreie_stadt,09,\n"
        "b2,Beta 2,landkreis,09,\n"
        "c1,Gamma 1,kreisfreie_stadt,09,\n"
    ),
    "ties__csv": "from,to,kind\na1,a2,exchange\na2,a3,joint_project\nb1,b2,exchange\n",
    "flows__csv": "from,to,commuters\na3,b2,100\nb2,a3,20\nb1,a1,40\na1,c1,500\n",
}
THREE_COMPONENTS_YAML = """
    name: drei-teile
    units: {file: units.csv}
    ties: {file: ties.csv}
    flows: {file: flows.csv}
    """


# --- helpers ------------------------------------------------------------------------------


def table_rows(stdout: str) -> list[list[str]]:
    """The cells of the table rows (the lines after the dashed rule), split at 2+ spaces."""
    lines = stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"[- ]+", line))
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def pair_sums(flows: pd.DataFrame, home: str, work: str, count: str) -> pd.Series:
    """Commuters per unordered pair (both directions summed), keyed by the sorted pair."""
    ends = flows[[home, work]].astype(str)
    low = ends.min(axis=1)
    high = ends.max(axis=1)
    keep = low != high
    keys = pd.Series(list(zip(low[keep], high[keep], strict=True)), index=low[keep].index)
    return flows.loc[keep, count].groupby(keys).sum()


def read_scenario_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def expected_records(result: pd.DataFrame) -> list[dict[str, object]]:
    """The Python function's rows as plain values, NaN as None."""
    return [
        {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in result.astype(object).to_dict("records")
    ]


# --- help ---------------------------------------------------------------------------------


def test_help_states_method_and_guarantee_and_ends_with_a_working_example() -> None:
    result = run("recommend", "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split("\nOptions:", 1)[0].split())
    assert "The method is greedy" in text
    assert "A tie covers exactly the commuters of its own pair, so greedy is optimal" in text
    assert "the k ties together are not guaranteed to be the best set of k" in text
    last = [line for line in result.stdout.split("\nOptions:")[0].splitlines() if line.strip()]
    assert last[-1].strip() == "Example: netkoop recommend zwei-welten-2020 -k 5"
    example = run(*last[-1].split()[2:])
    assert example.exit_code == 0, example.output
    assert len(table_rows(example.stdout)) == 5


# --- commuter coverage --------------------------------------------------------------------


def test_coverage_on_beispielregion_by_hand() -> None:
    flows = pd.read_csv(BUNDLED / "beispielregion" / "flows.csv")
    ties = read_scenario_csv(BUNDLED / "beispielregion" / "ties.csv")
    sums = pair_sums(flows, "from", "to", "commuters")
    tied = {tuple(sorted(p)) for p in zip(ties["from"], ties["to"], strict=True)}
    total = int(sums.sum())
    covered = int(sums[[key in tied for key in sums.index]].sum())
    assert (total, covered) == (65_740, 45_940)
    # The largest uncovered pairs: Auenfeld -> Musterstadt 4,810 and Fahrendorf 3,960 (one
    # direction each in flows.csv).
    assert sums[("auenfeld", "musterstadt")] == 4_810
    assert sums[("fahrendorf", "musterstadt")] == 3_960

    result = run("recommend", "beispielregion", "-k", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Recommended new exchange ties for beispielregion: commuter-coverage"
    assert lines[1] == "Before: 69.9% of 65,740 commuters between tied units"
    assert "greedy, optimal for k" in lines[2]
    assert table_rows(result.stdout) == [
        # (45,940 + 4,810) / 65,740 = 77.2%; + 3,960 = 83.2%
        ["1", "musterstadt", "Musterstadt", "kreisfreie_stadt", "auenfeld", "Auenfeld",
         "gemeinde", "4,810", "77.2%"],
        ["2", "musterstadt", "Musterstadt", "kreisfreie_stadt", "fahrendorf", "Fahrendorf",
         "gemeinde", "3,960", "83.2%"],
    ]  # fmt: skip
    assert result.stderr == ""


def test_coverage_with_another_flow_column_and_kind() -> None:
    # foreign: Auenfeld -> Musterstadt 610 is the largest uncovered pair of that column.
    result = run(
        "recommend", "beispielregion", "-k", "1", "--column", "foreign", "--kind", "joint_project"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "Recommended new joint_project ties for beispielregion: commuter-coverage"
    )
    assert "commuters (foreign) between tied units" in result.stdout.splitlines()[1]
    [row] = table_rows(result.stdout)
    assert (row[1], row[4], row[7]) == ("musterstadt", "auenfeld", "610")


def test_nothing_to_improve_is_said_and_exits_0() -> None:
    # regionalverbund ties every pair with commuters, as its flows and ties files show.
    with pytest.warns(NetkoopWarning, match="isolates"):
        net = netkoop.load("regionalverbund")
    tied = {frozenset(p) for p in zip(net.ties["from"], net.ties["to"], strict=True)}
    assert all(frozenset(p) in tied for p in zip(net.flows["from"], net.flows["to"], strict=True))
    result = run("recommend", "regionalverbund")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "Before: 100.0% of 402,980 commuters between tied units",
        "No new tie improves commuter-coverage: every pair with commuters has a tie.",
    ]
    assert int(net.flows["commuters"].sum()) == 402_980

    joined = run("recommend", "beispielregion", "--objective", "connectivity")
    assert joined.exit_code == 0, joined.output
    assert joined.stdout.splitlines()[1:] == [
        "Before: 1 component (units joined by ties)",
        "No new tie improves connectivity: the ties join every unit.",
    ]


# --- connectivity -------------------------------------------------------------------------


def test_connectivity_on_three_components_by_hand(write_scenario: ScenarioWriter) -> None:
    path = write_scenario(THREE_COMPONENTS_YAML, **THREE_COMPONENTS)
    result = run("recommend", path, "--objective", "connectivity", "-k", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Recommended new exchange ties for drei-teile: connectivity"
    assert lines[1] == "Before: 3 components (units joined by ties)"
    assert "not guaranteed" in lines[2]
    # Step 1: 3 x 2 is the largest product; of the six pairs a3-b2 has the most commuters.
    # Step 2: the 5 units with c1; a1-c1 has 500 commuters.
    assert table_rows(result.stdout) == [
        ["1", "a3", "Alpha 3", "gemeinde", "b2", "Beta 2", "landkreis", "120",
         "3 + 2 units", "2"],
        ["2", "a1", "Alpha 1", "landkreis", "c1", "Gamma 1", "kreisfreie_stadt", "500",
         "5 + 1 units", "1"],
    ]  # fmt: skip
    assert lines[-1] == ("Only 2 of 5 ties improve connectivity: then the ties join every unit.")

    # By commuters alone a1-c1 comes first: the objective, not the volume, decides above.
    coverage = run("recommend", path, "-k", "1")
    assert [row[1] + "-" + row[4] for row in table_rows(coverage.stdout)] == ["a1-c1"]


def test_ties_option_counts_only_the_given_kinds(write_scenario: ScenarioWriter) -> None:
    path = write_scenario(THREE_COMPONENTS_YAML, **THREE_COMPONENTS)
    # Without joint_project, a3 is alone: components {a1, a2}, {b1, b2}, {a3}, {c1}.
    result = run("recommend", path, "--objective", "connectivity", "--ties", "exchange", "-k", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("connectivity, counting only exchange ties")
    assert lines[1] == "Before: 4 components (units joined by ties)"
    # The two components of 2: of the four pairs only b1-a1 has commuters (40).
    assert table_rows(result.stdout) == [
        ["1", "a1", "Alpha 1", "landkreis", "b1", "Beta 1", "kreisfreie_stadt", "40",
         "2 + 2 units", "3"],
    ]  # fmt: skip


def test_adjacent_only_restricts_to_neighbours(write_scenario: ScenarioWriter) -> None:
    # Only a3-b2 and b1-c1 share a border; b1-c1 has no commuters.
    files = {**THREE_COMPONENTS, "borders__csv": "from,to,length_km\nb2,a3,4.5\nc1,b1,2\n"}
    path = write_scenario(THREE_COMPONENTS_YAML + "borders: {file: borders.csv}\n", **files)
    coverage = run("recommend", path, "--adjacent-only", "-k", "3")
    assert coverage.exit_code == 0, coverage.output
    assert [(r[1], r[4], r[7]) for r in table_rows(coverage.stdout)] == [("a3", "b2", "120")]
    assert coverage.stdout.splitlines()[-1] == (
        "Only 1 of 3 ties improve commuter-coverage: "
        "then every neighbouring pair with commuters has a tie."
    )
    joined = run("recommend", path, "--adjacent-only", "--objective", "connectivity")
    assert [(r[1], r[4], r[8]) for r in table_rows(joined.stdout)] == [
        ("a3", "b2", "3 + 2 units"),
        ("b1", "c1", "5 + 1 units"),
    ]


# --- --output -----------------------------------------------------------------------------


@pytest.mark.parametrize("objective", ["commuter-coverage", "connectivity"])
def test_output_csv_and_json_equal_the_python_result(
    tmp_path: Path, write_scenario: ScenarioWriter, objective: str
) -> None:
    path = write_scenario(THREE_COMPONENTS_YAML, **THREE_COMPONENTS)
    expected = recommend(netkoop.load(path), k=4, objective=objective).ties
    assert len(expected) >= 2
    out = tmp_path / "out"
    for name in ("rec.csv", "rec.json"):
        result = run("recommend", path, "-k", "4", "--objective", objective, "--output",
                     out / name)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1] == f"Wrote {out / name}"
    # Written whole under a temporary name and moved in place: nothing else is left.
    assert sorted(p.name for p in out.iterdir()) == ["rec.csv", "rec.json"]

    written = pd.read_csv(out / "rec.csv", dtype=dict.fromkeys(expected.columns[:7], str))
    assert list(written.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(written, expected, check_dtype=False, check_categorical=False)
    records = json.loads((out / "rec.json").read_text(encoding="utf-8"))
    assert records == expected_records(expected)


def test_json_writes_missing_coverage_as_null(
    tmp_path: Path, write_scenario: ScenarioWriter
) -> None:
    files = {k: v for k, v in THREE_COMPONENTS.items() if k != "flows__csv"}
    path = write_scenario("name: ohne-pendler\nunits: {file: units.csv}\nties: {file: ties.csv}\n",
                          **files)  # fmt: skip
    out = tmp_path / "rec.json"
    result = run("recommend", path, "--objective", "connectivity", "--output", out)
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["from"], r["to"], r["commuters"], r["coverage"]) for r in records] == [
        ("a1", "b1", 0, None),  # no commuters: the first units of the two largest components
        ("a1", "c1", 0, None),
    ]
    coverage = run("recommend", path)
    assert coverage.exit_code == 0, coverage.output
    assert coverage.stdout.splitlines()[1:] == [
        "Before: n/a of 0 commuters between tied units",
        "No new tie improves commuter-coverage: there are no commuters.",
    ]


# --- --save -------------------------------------------------------------------------------


def test_save_writes_the_scenario_with_exactly_k_more_ties(tmp_path: Path) -> None:
    source = tmp_path / "beispiel"
    shutil.copytree(BUNDLED / "beispielregion", source)
    before = snapshot(source)
    saved = tmp_path / "mit-empfehlungen"
    result = run("recommend", source, "-k", "3", "--kind", "joint_project", "--save", saved)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"Saved the scenario with 3 new ties added: {saved / 'scenario.yaml'}"
    )
    assert snapshot(source) == before

    original = netkoop.load(source)
    loaded = netkoop.load(saved)
    assert len(loaded.ties) == len(original.ties) + 3
    kept = loaded.ties.iloc[: len(original.ties)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, original.ties)
    added = loaded.ties.iloc[len(original.ties) :][["from", "to", "kind"]]
    # The three largest uncovered pairs: Auenfeld 4,810, Fahrendorf 3,960, Eichwalde 2,930.
    assert added.values.tolist() == [
        ["musterstadt", "auenfeld", "joint_project"],
        ["musterstadt", "fahrendorf", "joint_project"],
        ["musterstadt", "eichwalde", "joint_project"],
    ]
    pd.testing.assert_frame_equal(loaded.units, original.units)
    pd.testing.assert_frame_equal(loaded.flows, original.flows)


def test_save_keeps_the_ties_that_ties_option_leaves_out(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    result = run("recommend", "beispielregion", "--objective", "connectivity", "--ties",
                 "membership", "-k", "1", "--save", saved)  # fmt: skip
    assert result.exit_code == 0, result.output
    original = netkoop.load("beispielregion")
    loaded = netkoop.load(saved)
    assert len(original.ties) == 21
    assert len(loaded.ties) == 22
    # The docstring's example: Musterstadt's membership component of 6 joins Fahrendorf.
    last = loaded.ties.iloc[-1]
    assert (last["from"], last["to"], last["kind"]) == ("musterstadt", "fahrendorf", "exchange")


def test_save_refuses_an_existing_scenario_and_writes_no_table(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    assert run("recommend", "beispielregion", "--save", saved).exit_code == 0
    before = snapshot(tmp_path)
    out = tmp_path / "rec.csv"
    result = run("recommend", "beispielregion", "-k", "1", "--save", saved, "--output", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "netkoop wrote before; pass overwrite=True (--force)" in result.stderr
    assert [line for line in result.stderr.splitlines() if line.strip()] == [result.stderr.strip()]
    assert snapshot(tmp_path) == before
    forced = run("recommend", "beispielregion", "-k", "1", "--save", saved, "--force")
    assert forced.exit_code == 0, forced.output
    assert len(netkoop.load(saved).ties) == 22


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["beispielregion", "-k", "0"], "k must be a whole number of at least 1; got 0"),
        (["beispielregion", "-k", "-3"], "k must be a whole number of at least 1; got -3"),
        (["beispielregion", "--kind", "friendship"], "unknown tie kind 'friendship'; tie kinds: "),
        (["beispielregion", "--column", "cars"], "no flow column 'cars'; flow columns: "
         "commuters, foreign"),
        (["beispielregion", "--objective", "reach"], "unknown objective 'reach'"),
        (["beispielregion", "--ties", "friendship"], "unknown tie kind(s) friendship"),
        (["beispielregion", "--ties", ","], "--ties needs tie kinds"),
        (["beispielregion", "--adjacent-only"], "(--adjacent-only) needs borders between places"),
        (["atlantis"], "atlantis: no such file or folder, and no bundled scenario"),
    ],
)  # fmt: skip
def test_errors_give_one_error_line_exit_1_and_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = run("recommend", *args, "--output", work / "rec.csv", "--save", work / "saved")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert result.stdout == ""
    assert snapshot(work) == {}


@pytest.mark.parametrize("name", ["rec.xls", "rec", "rec.csv.gz"])
def test_output_with_another_ending_is_refused(tmp_path: Path, name: str) -> None:
    result = run("recommend", "beispielregion", "--output", tmp_path / name)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / name}: cannot tell the format from the ending; "
        "use --format or a name ending in .csv or .json or .xlsx\n"
    )
    assert snapshot(tmp_path) == {}


# --- the national scenario ----------------------------------------------------------------


@pytest.fixture
def od_pairs(official: Path) -> pd.Series:
    """Commuters per pair of Kreise from the official table, largest first."""
    flows = pd.read_csv(
        official / "derived" / "pendler_kreise_od.csv.gz",
        dtype={"wohnort_kreis": str, "arbeitsort_kreis": str},
    )
    sums = pair_sums(flows, "wohnort_kreis", "arbeitsort_kreis", "insgesamt")
    return sums.sort_values(ascending=False, kind="stable")


def test_national_top_recommendation_is_muenchen(
    national: Path, official: Path, od_pairs: pd.Series, tmp_path: Path
) -> None:
    flows = pd.read_csv(
        official / "derived" / "pendler_kreise_od.csv.gz",
        dtype={"wohnort_kreis": str, "arbeitsort_kreis": str},
    ).set_index(["wohnort_kreis", "arbeitsort_kreis"])["insgesamt"]
    assert flows[("09184", "09162")] == 71_660
    assert flows[("09162", "09184")] == 86_350

    out = tmp_path / "national.csv"
    result = run("recommend", national, "-k", "5", "--output", out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Before: 0.0% of 13,459,370 commuters between tied units"
    rows = table_rows(result.stdout)
    assert rows[0] == ["1", "09162", "München, Landeshauptstadt", "kreisfreie_stadt", "09184",
                       "München", "landkreis", "158,010", "1.2%"]  # fmt: skip

    # The five largest pairs of the official table, with no tie in the scenario; the sixth
    # is smaller, so the five are the only right answer.
    top = od_pairs.head(6)
    assert top.iloc[4] > top.iloc[5]
    written = pd.read_csv(out, dtype={"from": str, "to": str})
    assert [tuple(sorted(p)) for p in zip(written["from"], written["to"], strict=True)] == list(
        top.index[:5]
    )
    assert written["commuters"].tolist() == top.iloc[:5].tolist()
    assert written["commuters"].iloc[0] == 71_660 + 86_350
    total = int(od_pairs.sum())
    assert total == 13_459_370
    assert written["coverage"].tolist() == pytest.approx((top.iloc[:5].cumsum() / total).tolist())


def test_national_connectivity_grows_one_component_by_commuters(
    national: Path, od_pairs: pd.Series
) -> None:
    # With every Kreis alone, the first tie may join any two: the most commuters win. Then
    # joining the growing component (size s) to a single unit gives s x 1, more than any
    # other pair, so each step adds the Kreis with most commuters to the component.
    result = run("recommend", national, "--objective", "connectivity", "-k", "4")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "Before: 11,273 components (units joined by ties)"
    pairs = od_pairs.reset_index(drop=True)
    ends = pd.DataFrame(od_pairs.index.tolist(), columns=["a", "b"])
    component = set(od_pairs.index[0])
    expected = [(*od_pairs.index[0], int(pairs.iloc[0]))]
    for _ in range(3):
        touching = ends["a"].isin(component) ^ ends["b"].isin(component)
        best = pairs[touching]
        assert best.iloc[0] > best.iloc[1]  # no tie to break
        a, b = ends.loc[best.index[0]]
        expected.append((a, b, int(best.iloc[0])))
        component |= {a, b}
    got = [
        (*sorted((r[1], r[4])), int(r[7].replace(",", "")), r[8], r[9])
        for r in table_rows(result.stdout)
    ]
    assert [g[:3] for g in got] == expected
    assert [g[3:] for g in got] == [
        ("1 + 1 units", "11,272"),
        ("2 + 1 units", "11,271"),
        ("3 + 1 units", "11,270"),
        ("4 + 1 units", "11,269"),
    ]
    assert expected[0][:2] == ("09162", "09184")


def test_national_adjacent_only_takes_the_largest_neighbouring_pairs(
    official: Path, write_scenario: ScenarioWriter, od_pairs: pd.Series, tmp_path: Path
) -> None:
    path = write_scenario(national_yaml(official / "derived", borders=True), folder="n")
    with gzip.open(
        official / "derived" / "kreis_adjacency.csv.gz", "rt", encoding="utf-8"
    ) as handle:
        adjacent = {tuple(sorted((r["kreis_a"], r["kreis_b"]))) for r in csv.DictReader(handle)}
    k = 60
    neighbours = od_pairs[[p in adjacent for p in od_pairs.index]]
    assert neighbours.iloc[k - 1] > neighbours.iloc[k]
    # München and Freising share no border, yet their pair is among the 60 largest.
    assert ("09162", "09178") in set(od_pairs.index[:k]) - adjacent

    out = tmp_path / "adjacent.json"
    result = run("recommend", path, "-k", str(k), "--adjacent-only", "--output", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("commuter-coverage, neighbouring pairs only")
    records = json.loads(out.read_text(encoding="utf-8"))
    got = [(tuple(sorted((r["from"], r["to"]))), r["commuters"]) for r in records]
    assert got == list(zip(neighbours.index[:k], neighbours.iloc[:k].tolist(), strict=True))
