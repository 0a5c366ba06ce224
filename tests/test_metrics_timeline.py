"""The timeline (netkoop.metrics.timeline) and the headline measures of subsets
(netkoop.metrics.headline): counts on hand-made networks worked out by hand, the same
measures as `MEASURES` on `Network.at` of every date, the periods' identity, the marks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import netkoop
from conftest import random_kinds_network
from netkoop import Network
from netkoop._errors import MetricsError
from netkoop.interventions import Step
from netkoop.metrics.headline import (
    MEASURES,
    WORKING_OFFICES,
    Commuters,
    Subsets,
    components,
    confirmed_share,
    ties_column,
)
from netkoop.metrics.timeline import (
    FUNDINGS,
    MAX_DATES,
    DatedRows,
    Mark,
    changes,
    intervention_marks,
    load_dated,
    scenario_timeline,
    timeline,
    timeline_dates,
)
from netkoop.model.vocabulary import TIE_KINDS

YEARS = [f"{year}-01-01" for year in range(2014, 2021)]

# Landkreis ka (Gemeinden a1, a2), Landkreis kb (b1), kreisfreie Stadt st, Land forum f.
# Offices: ka project 2016-2019, kb mandatory from July 2018, st permanent, a1 project.
UNITS = [
    {"id": "ka", "name": "Landkreis A", "kind": "landkreis", "land": "03"},
    {"id": "kb", "name": "Landkreis B", "kind": "landkreis", "land": "03"},
    {"id": "st", "name": "Stadt", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "a1", "name": "A eins", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a2", "name": "A zwei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "b1", "name": "B eins", "kind": "gemeinde", "land": "03", "parent": "kb"},
    {"id": "f", "name": "AG Integration", "kind": "forum", "land": "03"},
]
OFFICES = {
    "ka": {"coordination_office": "project", "office_since": "2016", "office_until": "2019"},
    "kb": {"coordination_office": "mandatory", "office_since": "2018-07"},
    "st": {"coordination_office": "permanent"},
    "a1": {"coordination_office": "project"},
}
TIES = [
    # 1-8 as numbered in the comments below
    {"from": "a1", "to": "a2", "kind": "exchange", "funding": "voluntary", "since": "2015"},
    {
        "from": "a2",
        "to": "ka",
        "kind": "exchange",
        "funding": "project",
        "since": "2016-07",
        "until": "2018",
    },
    {
        "from": "a1",
        "to": "ka",
        "kind": "shared_staff",
        "funding": "project",
        "since": "2017",
        "until": "2017-06",
    },
    {"from": "ka", "to": "st", "kind": "exchange", "funding": "mandatory", "until": "2019-12-31"},
    {
        "from": "st",
        "to": "ka",
        "kind": "service_opening",
        "funding": "project",
        "since": "2014-03-01",
    },
    {"from": "ka", "to": "f", "kind": "membership", "funding": "voluntary", "since": "2016"},
    {"from": "b1", "to": "kb", "kind": "exchange", "since": "2018", "until": "2018"},
    {"from": "kb", "to": "f", "kind": "membership", "funding": "voluntary", "since": "2019-01-01"},
]
FLOWS = [
    {"from": "a1", "to": "st", "commuters": 500},
    {"from": "st", "to": "a1", "commuters": 100},
    {"from": "a2", "to": "b1", "commuters": 50},
    {"from": "ka", "to": "st", "commuters": 300},
]

# Ties on 1 January of each year (the tie numbers of TIES), counted by hand:
# 2014: 4 (no since)                         -> exchange 1
# 2015: 1, 4, 5 (5 began 2014-03-01)          -> exchange 2, service_opening 1
# 2016: 1, 4, 5, 6                            -> exchange 2, service_opening 1, membership 1
# 2017: 1, 2, 3, 4, 5, 6 (3 began 2017-01-01) -> exchange 3, shared_staff 1, so 1, mem 1
# 2018: 1, 2, 4, 5, 6, 7 (3 ended 2017-06-30) -> exchange 4, service_opening 1, membership 1
# 2019: 1, 4, 5, 6, 8 (2, 7 ended 2018-12-31) -> exchange 2, service_opening 1, membership 2
# 2020: 1, 5, 6, 8 (4 ended 2019-12-31)       -> exchange 1, service_opening 1, membership 2
TIES_ON = {
    "2014-01-01": {"exchange": 1},
    "2015-01-01": {"exchange": 2, "service_opening": 1},
    "2016-01-01": {"exchange": 2, "service_opening": 1, "membership": 1},
    "2017-01-01": {"exchange": 3, "shared_staff": 1, "service_opening": 1, "membership": 1},
    "2018-01-01": {"exchange": 4, "service_opening": 1, "membership": 1},
    "2019-01-01": {"exchange": 2, "service_opening": 1, "membership": 2},
    "2020-01-01": {"exchange": 1, "service_opening": 1, "membership": 2},
}
# Working offices: st and a1 always; ka from 2016 through 2019; kb from 2018-07-01.
OFFICES_ON = [2, 2, 3, 3, 3, 4, 3]

# Per period (d_i, d_i+1]: begun = first day after d_i and on or before d_i+1, ended = last
# day on or after d_i and before d_i+1; (begun ties, ended ties) and their kinds and funding.
# 2014-2015: begun 5 (2014-03-01), 1 (2015-01-01)
# 2015-2016: begun 6 (2016-01-01)
# 2016-2017: begun 2 (2016-07-01), 3 (2017-01-01)
# 2017-2018: begun 7 (2018-01-01); ended 3 (2017-06-30)
# 2018-2019: begun 8 (2019-01-01); ended 2, 7 (2018-12-31)
# 2019-2020: ended 4 (2019-12-31)
BEGUN = [2, 1, 2, 1, 1, 0]
ENDED = [0, 0, 0, 1, 2, 1]
BEGUN_BY = {
    "exchange": [1, 0, 1, 1, 0, 0],
    "shared_staff": [0, 0, 1, 0, 0, 0],
    "service_opening": [1, 0, 0, 0, 0, 0],
    "membership": [0, 1, 0, 0, 1, 0],
    "voluntary": [1, 1, 0, 0, 1, 0],
    "project": [1, 0, 2, 0, 0, 0],
    "funding_unknown": [0, 0, 0, 1, 0, 0],
}
ENDED_BY = {
    "exchange": [0, 0, 0, 0, 2, 1],
    "shared_staff": [0, 0, 0, 1, 0, 0],
    "project": [0, 0, 0, 1, 1, 0],
    "mandatory": [0, 0, 0, 0, 0, 1],
    "funding_unknown": [0, 0, 0, 0, 1, 0],
}


def hand_made(**extra: object) -> Network:
    units = [{**unit, **OFFICES.get(str(unit["id"]), {})} for unit in UNITS]
    return Network.from_tables(units, TIES, FLOWS, **extra)  # type: ignore[arg-type]


@pytest.fixture
def dated() -> Network:
    return hand_made(metadata=netkoop.Metadata(name="hand", reference_date="2017-06-30"))


def expected(network: Network) -> dict[str, float]:
    """Every measure of `MEASURES` on ``network`` with its own commuters, and the counts."""
    commuters = Commuters.of(network)
    values = {name: measure(network, commuters) for name, measure in MEASURES.items()}
    values["units"] = len(network.units)
    for kind in TIE_KINDS:
        values[ties_column(kind)] = int((network.ties["kind"] == kind).sum())
    if "confirmed" in network.ties.columns:
        values["confirmed_share"] = confirmed_share(network)
    return values


def assert_same(row: pd.Series, network: Network) -> None:
    for name, value in expected(network).items():
        if name not in row.index:
            assert name == "offices"
            continue
        got = float(row[name])
        assert (math.isnan(got) and math.isnan(value)) or got == value, (name, got, value)


# --- dates ------------------------------------------------------------------------------------


def test_dates_step_from_the_first_day_to_the_last_included() -> None:
    assert timeline_dates("2014", "2016") == ("2014-01-01", "2015-01-01", "2016-01-01")
    assert timeline_dates("01.05.2014", "2015-01", every="quarter") == (
        "2014-05-01",
        "2014-08-01",
        "2014-11-01",
    )
    assert timeline_dates("2020-01-31", "2020-05-30", every="month") == (
        "2020-01-31",
        "2020-02-29",
        "2020-03-31",
        "2020-04-30",
    )
    assert timeline_dates(2016, "2016") == ("2016-01-01",)


@pytest.mark.parametrize(
    ("start", "end", "every", "message"),
    [
        ("20x4", "2016", "year", "start: '20x4' is not a date; use a year (2016)"),
        ("2014", "2019-13", "year", "end: '2019-13' is not a date"),
        ("2014", "2016", "week", "every: 'week' is not a step; use year, quarter, month"),
        ("2026", "2014", "year", "would start on 2026-01-01, after its end on 2014-01-01"),
        ("1900", "2100", "month", f"gives more than {MAX_DATES:,} dates"),
    ],
)
def test_bad_dates_are_refused(start: str, end: str, every: str, message: str) -> None:
    with pytest.raises(MetricsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        timeline_dates(start, end, every)


# --- the hand-made network --------------------------------------------------------------------


def test_ties_by_kind_on_each_date_as_counted_by_hand(dated: Network) -> None:
    found = timeline(dated, 2014, 2020).measures.set_index("date")
    assert list(found.index) == YEARS
    for date, kinds in TIES_ON.items():
        for kind in TIE_KINDS:
            assert found.loc[date, ties_column(kind)] == kinds.get(kind, 0), (date, kind)
        assert found.loc[date, "ties"] == sum(kinds.values())
    assert found["offices"].tolist() == OFFICES_ON
    assert found["units"].tolist() == [7] * 7


def test_other_measures_on_dates_worked_out_by_hand(dated: Network) -> None:
    found = timeline(dated, 2014, 2020).measures.set_index("date")
    # 2014: only ka-st: components {ka, st}, a1, a2, b1, kb, f; isolates 5.
    assert found.loc["2014-01-01", ["components", "isolates"]].tolist() == [6, 5]
    assert found.loc["2014-01-01", "largest_component"] == 2 / 7
    # 2017: inside a Kreis a1-a2, a2-ka, a1-ka; across ka-st twice; ka-f has no Kreis.
    assert found.loc["2017-01-01", "ei_index"] == (2 - 3) / 5
    # 2016: tied to an anchor only ka (member of f); connected ka and st (through ka to f).
    assert found.loc["2016-01-01", "hub_tied"] == 1 / 6
    assert found.loc["2016-01-01", "hub_connected"] == 2 / 6
    # Commuter pairs a1-st 600, a2-b1 50, ka-st 300; only ka-st is ever tied.
    assert found["commuter_coverage"].tolist() == [300 / 950] * 7
    # Tied pairs in 2017: a1-a2, a2-ka, a1-ka, ka-st, ka-f, of 7 * 6 / 2.
    assert found.loc["2017-01-01", "density"] == 5 / 21


def test_begun_and_ended_per_period_as_counted_by_hand(dated: Network) -> None:
    found = timeline(dated, 2014, 2020).changes
    assert found["period_start"].tolist() == YEARS[:-1]
    assert found["period_end"].tolist() == YEARS[1:]
    assert found["begun"].tolist() == BEGUN
    assert found["ended"].tolist() == ENDED
    for what, by in (("begun", BEGUN_BY), ("ended", ENDED_BY)):
        for group in (*TIE_KINDS, *FUNDINGS):
            assert found[f"{what}_{group}"].tolist() == by.get(group, [0] * 6), (what, group)


def test_ties_on_a_date_are_those_before_plus_begun_minus_ended(dated: Network) -> None:
    for network in (dated, netkoop.load("beispielregion"), _random_dated(7, units_end=False)):
        found = timeline(network, "2013-07", "2027-07", every="quarter")
        ties = found.measures.set_index("date")
        for _, period in found.changes.iterrows():
            before, after = period["period_start"], period["period_end"]
            assert ties.loc[after, "ties"] == (
                ties.loc[before, "ties"] + period["begun"] - period["ended"]
            )
            for kind in TIE_KINDS:
                column = ties_column(kind)
                assert ties.loc[after, column] == (
                    ties.loc[before, column] + period[f"begun_{kind}"] - period[f"ended_{kind}"]
                )
            by_funding = sum(period[f"begun_{f}"] - period[f"ended_{f}"] for f in FUNDINGS)
            assert by_funding == period["begun"] - period["ended"]


def test_one_date_gives_no_period(dated: Network) -> None:
    found = timeline(dated, "2017", "2017")
    assert found.dates == ("2017-01-01",)
    assert found.changes.empty
    assert list(found.changes.columns)[:4] == ["period_start", "period_end", "begun", "ended"]


# --- the same as Network.at -------------------------------------------------------------------


def _random_dated(seed: int, *, units_end: bool = True) -> Network:
    """A random network with every kind, its ties and offices (and with ``units_end`` some
    units) dated by a seeded rng."""
    network = random_kinds_network(seed)
    rng = np.random.default_rng(seed)
    ties = network.ties
    begin = rng.integers(2010, 2026, len(ties))
    length = rng.integers(0, 12, len(ties))
    ties["since"] = np.where(rng.random(len(ties)) < 0.8, begin.astype(str), None)
    ties["until"] = np.where(rng.random(len(ties)) < 0.5, (begin + length).astype(str), None)
    ties["funding"] = rng.choice(["voluntary", "project", "mandatory", None], len(ties))
    units = network.units
    places = (units["kind"] != "forum").to_numpy()
    units["coordination_office"] = np.where(
        places, rng.choice(["none", "project", "permanent"], len(units)), None
    )
    units["office_since"] = np.where(places & (rng.random(len(units)) < 0.5), "2016-03", None)
    units["office_until"] = np.where(places & (rng.random(len(units)) < 0.3), "2022", None)
    if units_end:
        units["until"] = np.where(rng.random(len(units)) < 0.1, "2019-06", None)
    ids = units["id"][places].to_numpy()
    pairs = {
        (a, b) for a, b in zip(rng.choice(ids, 60), rng.choice(ids, 60), strict=True) if a != b
    }
    flows = [
        {"from": a, "to": b, "commuters": int(c)}
        for (a, b), c in zip(sorted(pairs), rng.integers(1, 500, len(pairs)), strict=True)
    ]
    return Network.from_tables(units, ties, flows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_date_measures_what_measures_give_on_network_at(seed: int) -> None:
    network = _random_dated(seed)
    found = timeline(network, "2012", "2027").measures.set_index("date")
    for date, row in found.iterrows():
        assert_same(row, network.at(str(date)))


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")
@pytest.mark.parametrize(
    "name", ["beispielregion", "beispielregion-befragung", "befristung", "haushaltskrise"]
)
def test_bundled_scenarios_measure_as_network_at(name: str) -> None:
    network, _ = load_dated(name)
    found = timeline(network, "2014", "2030", every="quarter").measures.set_index("date")
    for date in found.index[::5]:
        assert_same(found.loc[date], network.at(str(date)))
    if name == "beispielregion-befragung":
        assert "confirmed_share" in found.columns
    else:
        assert "confirmed_share" not in found.columns


def test_rows_on_a_date_are_the_ties_and_offices_of_network_at(dated: Network) -> None:
    rows = DatedRows(dated)
    for date in ["2013-12-31", *YEARS, "2017-06-30", "2017-07-01", "2018-06-30"]:
        on = rows.on(date)
        at = dated.at(date)
        assert on.units is None
        assert on.ties is not None
        assert on.offices is not None
        assert dated.ties[on.ties].reset_index(drop=True).equals(at.ties)
        working = dated.units["coordination_office"].isin(WORKING_OFFICES).to_numpy()
        assert dated.units["id"][working & on.offices].tolist() == (
            at.units["id"][at.units["coordination_office"].isin(WORKING_OFFICES)].tolist()
        )


def test_a_unit_that_ends_takes_its_gemeinden_and_ties_with_it() -> None:
    units = [
        *UNITS,
        {"id": "kc", "name": "Landkreis C", "kind": "landkreis", "land": "03", "until": "2016"},
        {"id": "c1", "name": "C eins", "kind": "gemeinde", "land": "03", "parent": "kc"},
        {"id": "neu", "name": "Neu", "kind": "gemeinde", "land": "03", "parent": "kb"}
        | {"since": "2018-07"},
    ]
    ties = [*TIES, {"from": "c1", "to": "a1", "kind": "exchange"}]
    flows = [*FLOWS, {"from": "c1", "to": "st", "commuters": 50}]
    network = Network.from_tables(units, ties, flows)
    found = timeline(network, 2014, 2020).measures.set_index("date")
    # kc and c1 exist through 2016, neu from 2018-07: 9, 9, 9, 7, 7, 8, 8 units.
    assert found["units"].tolist() == [9, 9, 9, 7, 7, 8, 8]
    # c1-a1 (undated) counts while c1 exists: one more tie in 2014-2016.
    assert (found["ties"] - pd.Series([1, 3, 4, 6, 6, 5, 4], index=found.index)).tolist() == [
        1,
        1,
        1,
        0,
        0,
        0,
        0,
    ]
    for date, row in found.iterrows():
        assert_same(row, network.at(str(date)))


def test_a_subset_of_every_row_measures_the_whole_network() -> None:
    network = netkoop.load("beispielregion")
    everything = Subsets(network).measure()
    for name, value in expected(network).items():
        assert everything[name] == value, name


def test_components_label_each_vertex_with_the_smallest_of_its_component() -> None:
    rng = np.random.default_rng(5)
    for _ in range(20):
        n = int(rng.integers(1, 40))
        a = rng.integers(0, n, int(rng.integers(0, 60)))
        b = rng.integers(0, n, len(a))
        parent = list(range(n))
        for x, y in zip(a, b, strict=True):
            low, high = sorted((_root(parent, x), _root(parent, y)))
            parent[high] = low
        assert components(n, a, b).tolist() == [_root(parent, i) for i in range(n)]


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        i = parent[i]
    return i


# --- marks, scenarios and inputs --------------------------------------------------------------


def test_the_reference_date_is_marked_unless_marks_are_given(dated: Network) -> None:
    assert timeline(dated, 2014, 2020).marks == (Mark("2017-06-30", "reference_date", "reference"),)
    mine = (Mark("2019-05-01", "Haushaltssperre"), Mark("2015-01-01", "Start"))
    assert timeline(dated, 2014, 2020, marks=mine).marks == tuple(reversed(mine))
    assert timeline(hand_made(), 2014, 2020).marks == ()


def test_interventions_mark_their_dates(write_scenario) -> None:  # type: ignore[no-untyped-def]
    path = write_scenario(
        """
        name: mit-massnahmen
        extends: beispielregion
        reference_date: 2024-06-30
        interventions:
          - do: shared_position
            gemeinden: [gruenau, heidbrueck]
            since: 2021-09
          - do: mandate
            since: 2025
          - do: expire
            until: 2026-06
          - do: budget_shock
            voluntary: 0.2
            project: 0.2
            at: 01.01.2027
        """
    )
    found = scenario_timeline(path, 2014, 2030)
    assert [(mark.date, mark.label, mark.kind) for mark in found.marks] == [
        ("2021-09-01", "shared_position", "intervention"),
        ("2024-06-30", "reference_date", "reference"),
        ("2025-01-01", "mandate", "intervention"),
        ("2026-06-30", "expire", "intervention"),
        ("2027-01-01", "budget_shock", "intervention"),
    ]
    # The interventions are applied: the shared position's tie begins in September 2021.
    shared = found.measures.set_index("date")["ties_shared_staff"]
    assert shared["2022-01-01"] == shared["2021-01-01"] + 1


def test_intervention_marks_without_a_date_option_are_none() -> None:
    step = Step("add_ties", {"rows": []}, "here")
    assert intervention_marks([step]) == ()


def test_inputs_are_not_changed(dated: Network, tmp_path: Path) -> None:
    units, ties, flows = dated.units.copy(), dated.ties.copy(), dated.flows.copy()
    timeline(dated, 2014, 2020, every="month")
    changes(dated, YEARS)
    assert dated.units.equals(units)
    assert dated.ties.equals(ties)
    assert dated.flows.equals(flows)


def test_the_report_holds_measures_changes_and_marks(dated: Network) -> None:
    report = timeline(dated, 2014, 2020).report()
    assert list(report.tables) == ["measures", "changes", "marks"]
    assert report.values == {
        "scenario": "hand",
        "start": "2014-01-01",
        "end": "2020-01-01",
        "every": "year",
        "dates": 7,
    }
    assert report.tables["marks"].to_dict("records") == [
        {"date": "2017-06-30", "kind": "reference", "label": "reference_date"}
    ]
    assert report.provenance is not None
    assert report.provenance["options"]["every"] == "year"


def test_progress_is_called_once_per_date(dated: Network) -> None:
    calls: list[int] = []
    timeline(dated, 2014, 2020, progress=calls.append)
    assert calls == [1] * 7
