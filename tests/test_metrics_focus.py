"""A focus in the metrics: the focused commuting gap, the focus's ties and position, and
`Report.about`, on beispielregion and a hand-worked network."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import netkoop
from netkoop import NetkoopError
from netkoop.metrics import Options, commuting_gap, metrics_report
from netkoop.metrics.focus import PARTNER_COLUMNS, POSITION_COLUMNS, focus_partners, focus_position
from netkoop.model.focus import focus

NORD = {"lk-nord", "auenfeld", "birkenhain", "dorfstetten", "eichwalde"}


@pytest.fixture(scope="module")
def region() -> netkoop.Network:
    return netkoop.load("beispielregion")


# --- the focused commuting gap ------------------------------------------------------------


def test_focused_gap_keeps_the_pairs_of_landkreis_nordheide(region):
    """From flows.csv, the pairs with an end in Nordheide or its Gemeinden, both directions
    summed: with Musterstadt 18,450 + 6,210 (tied: service opening), Auenfeld 4,810, Eichwalde
    2,930, Birkenhain 1,240, Dorfstetten 870; with Südmarsch 1,320 + 1,090; Eichwalde and
    Fahrendorf 310 + 270 (tied), Auenfeld and Birkenhain 420 (tied). 25,660 of 37,920 tied."""
    gap = commuting_gap(region, focus=focus(region, "lk-nord"))
    ends = gap.pairs[["unit_a", "unit_b"]].values.tolist()
    pairs = dict(zip(map(frozenset, ends), gap.pairs["commuters"], strict=True))
    assert pairs == {
        frozenset({"lk-nord", "musterstadt"}): 24_660,
        frozenset({"musterstadt", "auenfeld"}): 4_810,
        frozenset({"musterstadt", "eichwalde"}): 2_930,
        frozenset({"lk-nord", "lk-sued"}): 2_410,
        frozenset({"musterstadt", "birkenhain"}): 1_240,
        frozenset({"musterstadt", "dorfstetten"}): 870,
        frozenset({"eichwalde", "fahrendorf"}): 580,
        frozenset({"auenfeld", "birkenhain"}): 420,
    }
    assert gap.coverage == pytest.approx(25_660 / 37_920)
    assert gap.uncovered["commuters"].tolist() == [4_810, 2_930, 2_410, 1_240, 870]
    assert int(gap.by_type["pairs"].sum()) == 8
    assert gap.by_type.loc["kreisfreie_stadt–gemeinde", ["pairs", "commuters"]].tolist() == [
        4,
        4_810 + 2_930 + 1_240 + 870,
    ]
    assert gap.by_type.loc["landkreis–kreisfreie_stadt", "coverage"] == 1


def test_a_gemeinde_counts_the_pairs_of_its_whole_kreis(region):
    eichwalde = commuting_gap(region, focus=focus(region, "eichwalde"))
    nord = commuting_gap(region, focus=focus(region, "lk-nord"))
    pd.testing.assert_frame_equal(eichwalde.pairs, nord.pairs)


def test_a_forum_without_commuters_has_an_undefined_coverage(region):
    gap = commuting_gap(region, focus=focus(region, "lag-ni"))
    assert gap.pairs.empty
    assert math.isnan(gap.coverage)
    assert gap.uncovered.empty


def test_report_with_a_focus_adds_the_focused_gap_and_keeps_the_whole_one(region):
    report = metrics_report(region, metrics=["gap"], focus="lk-nord")
    assert report.values["gap.pairs"] == 14  # the whole network, as without a focus
    assert report.values["gap_focus.pairs"] == 8
    assert report.values["gap_focus.coverage"] == pytest.approx(25_660 / 37_920)
    assert report.tables["gap_focus_uncovered"]["commuters"].iloc[0] == 4_810
    assert {"gap_focus_by_type", "focus_partners", "focus_position"} <= set(report.tables)
    assert report.tables["focus_position"].empty  # no structure, brokerage or kreis chosen


def test_unknown_focus_is_an_error_with_a_suggestion(region):
    with pytest.raises(NetkoopError, match=r"'eichwald' is no unit.*'eichwalde' \(Eichwalde\)"):
        metrics_report(region, metrics=["structure"], focus="eichwald")


# --- the focus's ties ---------------------------------------------------------------------


def test_partners_of_landkreis_nordheide_are_its_eleven_ties_sorted(region):
    ties = focus_partners(region, focus(region, "lk-nord"))
    assert list(ties.columns) == list(PARTNER_COLUMNS)
    rows = ties[["unit", "partner", "tie_kind", "intensity", "scope"]].astype(object)
    rows = rows.where(rows.notna(), None).values.tolist()
    assert rows == [
        # the Landkreis first, its ties by intensity, then partner in report order
        ["lk-nord", "musterstadt", "service_opening", "regular", "across"],
        ["lk-nord", "auenfeld", "exchange", "regular", "inside"],
        ["lk-nord", "lag-ni", "membership", "regular", None],  # a forum: no Kreis
        ["lk-nord", "eichwalde", "exchange", "occasional", "inside"],
        ["auenfeld", "birkenhain", "exchange", "regular", "inside"],
        ["auenfeld", "eichwalde", "exchange", "regular", "inside"],
        ["auenfeld", "dorfstetten", "exchange", "occasional", "inside"],
        ["auenfeld", "lag-ni", "membership", "occasional", None],
        ["birkenhain", "dorfstetten", "shared_staff", "intensive", "inside"],
        ["birkenhain", "dorfstetten", "exchange", "regular", "inside"],
        ["eichwalde", "fahrendorf", "exchange", "occasional", "across"],
    ]
    first = ties.iloc[0]
    assert (first["name"], first["partner_name"], first["partner_kind"]) == (
        "Landkreis Nordheide",
        "Musterstadt",
        "kreisfreie_stadt",
    )
    assert first["partner_kreis"] == "musterstadt"
    assert ties["since"].tolist()[:2] == ["2016", "2016"]


def test_focus_values_count_partners_outside_and_ties_inside_and_across(region):
    values = metrics_report(region, metrics=[], focus="lk-nord").values
    assert values == {
        "focus.key": "lk-nord",
        "focus.name": "Landkreis Nordheide",
        "focus.kind": "landkreis",
        "focus.kreis": "lk-nord",
        "focus.units": 5,
        "focus.partners": 3,  # Musterstadt, lag-ni, Fahrendorf
        "focus.ties": 11,
        "focus.ties_inside": 7,
        "focus.ties_across": 2,
    }


# --- the focus's position -----------------------------------------------------------------

# Two Landkreise; Gemeinden g1-g4 in A, g5 and g6 (no tie) in B.
UNITS = [
    {"id": "lk-a", "name": "Landkreis A", "kind": "landkreis", "land": "09"},
    {"id": "lk-b", "name": "Landkreis B", "kind": "landkreis", "land": "09"},
    *(
        {"id": f"g{i}", "name": f"G{i}", "kind": "gemeinde", "parent": p, "land": "09"}
        for i, p in [(1, "lk-a"), (2, "lk-a"), (3, "lk-a"), (4, "lk-a"), (5, "lk-b"), (6, "lk-b")]
    ),
]
TIES = [
    {"from": a, "to": b, "kind": "exchange"}
    for a, b in [("g1", "g2"), ("g1", "g3"), ("g2", "g3"), ("g3", "g4"), ("g1", "g5")]
]
# By hand, among the six Gemeinden:
#   degree       g1 3, g2 2, g3 3, g4 1, g5 1, g6 0
#   E-I index    g1 (1 - 2) / 3 = -1/3, g2 -1, g3 -1, g4 -1, g5 +1, g6 undefined
#   brokerage    g1: g2 -> g1 -> g5 and g3 -> g1 -> g5 representative, the reverse ones
#                gatekeeper (g2 - g3 are tied: no path); g3: g1 -> g3 -> g4, g2 -> g3 -> g4
#                and back, coordinator 4; the others 0.


@pytest.fixture(scope="module")
def hand() -> netkoop.Network:
    return netkoop.Network.from_tables(UNITS, TIES)


@pytest.fixture(scope="module")
def hand_report(hand):
    return metrics_report(
        hand, metrics=["structure", "brokerage", "kreis"], options=Options(permutations=10)
    )


def test_position_ranks_among_the_units_of_the_same_kind(hand, hand_report):
    position = focus_position(hand_report, hand, focus(hand, "g1"))
    assert list(position.columns) == list(POSITION_COLUMNS)
    assert position.index.tolist() == [
        "degree",
        "neighbours",
        "betweenness",
        "closeness",
        "brokerage",
        "internal",
        "external",
        "ei",
    ]
    degree = position.loc["degree"]
    # g1 and g3 share the highest degree: both rank 1; g2, g4, g5 and g6 have fewer (4 of 6).
    assert (degree["value"], degree["rank"], degree["units"]) == (3, 1, 6)
    assert degree["percentile"] == pytest.approx(100 * 4 / 6)
    ei = position.loc["ei"]
    # Five Gemeinden with an E-I index; only g5 (+1) is higher, g2, g3, g4 (-1) lower.
    assert (ei["rank"], ei["units"], ei["percentile"]) == (2, 5, 60)
    assert ei["value"] == pytest.approx(-1 / 3)
    broker = position.loc["brokerage"]
    assert (broker["value"], broker["rank"], broker["role"]) == (4, 1, "gatekeeper")
    assert position.loc["internal", "value"] == 2
    assert position.loc["external", "value"] == 1
    assert position["role"].drop("brokerage").isna().all()


def test_position_of_a_unit_behind_others(hand, hand_report):
    position = focus_position(hand_report, hand, focus(hand, "g2"))
    assert position.loc["degree", ["value", "rank", "units", "percentile"]].tolist() == [
        2,
        3,
        6,
        50,  # g4, g5, g6
    ]
    assert pd.isna(position.loc["brokerage", "role"])  # brokers nowhere
    assert position.loc["brokerage", "rank"] == 3  # four Gemeinden share 0 after g1 and g3
    coordinator = focus_position(hand_report, hand, focus(hand, "g3"))
    assert coordinator.loc["brokerage", "role"] == "coordinator"


def test_focus_values_name_the_main_brokerage_role(hand):
    chosen = ["structure", "brokerage"]
    assert metrics_report(hand, metrics=chosen, focus="g1").values["focus.role"] == "gatekeeper"
    assert metrics_report(hand, metrics=chosen, focus="g2").values["focus.role"] is None
    assert "focus.role" not in metrics_report(hand, metrics=["structure"], focus="g1").values


def test_undefined_ei_stays_missing_with_no_rank(hand, hand_report):
    position = focus_position(hand_report, hand, focus(hand, "g6"))
    ei = position.loc["ei"]
    assert math.isnan(ei["value"])
    assert pd.isna(ei["rank"])
    assert math.isnan(ei["percentile"])
    assert ei["units"] == 5
    assert position.loc["degree", ["value", "rank", "percentile"]].tolist() == [0, 6, 0]
    assert str(position["rank"].dtype) == "Int64"


def test_position_leaves_out_measures_not_chosen_and_units_without_one(hand, region):
    structure = metrics_report(hand, metrics=["structure"])
    assert focus_position(structure, hand, focus(hand, "g1")).index.tolist() == [
        "degree",
        "neighbours",
        "betweenness",
        "closeness",
    ]
    # A Land key without a Land unit has no row in any table.
    full = metrics_report(
        region, metrics=["structure", "kreis"], options=Options(permutations=10), focus="03"
    )
    assert full.tables["focus_position"].empty
    # A forum has structure but no E-I index.
    forum = metrics_report(
        region, metrics=["structure", "kreis"], options=Options(permutations=10), focus="lag-ni"
    )
    assert "ei" not in forum.tables["focus_position"].index
    assert forum.tables["focus_position"].loc["degree", "units"] == 2  # lag-ni and buko


# --- Report.about -------------------------------------------------------------------------


def test_about_keeps_the_rows_of_the_area_and_the_aggregates_whole(region):
    report = metrics_report(region, options=Options(permutations=50), focus="eichwalde")
    about = report.about(focus(region, "eichwalde"))
    assert about.values == report.values
    for name in ("structure_units", "kreis_ei_units", "brokerage_units", "communities_units"):
        assert about.tables[name].index.tolist() == ["eichwalde"], name
    assert about.tables["structure_bridges"].empty  # Musterstadt - buko
    uncovered = about.tables["gap_uncovered"]
    assert uncovered[["unit_a", "unit_b", "commuters"]].values.tolist() == [
        ["musterstadt", "eichwalde", 2_930]
    ]
    assert uncovered.index.tolist() == [0]
    for name in ("brokerage_by_kind", "communities_crosstab", "gap_by_type", "kreis_study_counts"):
        pd.testing.assert_frame_equal(about.tables[name], report.tables[name])
    # The focus's own tables stay whole: the Kreis's pairs without Eichwalde too.
    pd.testing.assert_frame_equal(
        about.tables["gap_focus_uncovered"], report.tables["gap_focus_uncovered"]
    )
    assert len(report.tables["structure_units"]) == 13  # the report itself is unchanged


def test_about_a_landkreis_keeps_its_gemeinden_and_ties_touching_them(region):
    report = metrics_report(region, metrics=["structure", "gap"], focus="lk-nord")
    about = report.about(focus(region, "lk-nord"))
    assert set(about.tables["structure_units"].index) == NORD
    pairs = about.tables["gap_uncovered"][["unit_a", "unit_b"]].values.tolist()
    assert len(pairs) == 5  # of the 9 uncovered pairs
    assert all(set(pair) & NORD for pair in pairs)
