"""The commuting gap on a hand-worked example, the bundled study and the national data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import netkoop
from netkoop.metrics.gap import UNCOVERED_COLUMNS, commuting_gap

UNITS = [
    {"id": "lk-a", "name": "Landkreis A", "kind": "landkreis", "land": "09"},
    {"id": "g-a1", "name": "A1", "kind": "gemeinde", "parent": "lk-a", "land": "09"},
    {"id": "g-a2", "name": "A2", "kind": "gemeinde", "parent": "lk-a", "land": "09"},
    {"id": "lk-b", "name": "Landkreis B", "kind": "landkreis", "land": "09"},
    {"id": "g-b1", "name": "B1", "kind": "gemeinde", "parent": "lk-b", "land": "09"},
    {"id": "kfs", "name": "Stadt C", "kind": "kreisfreie_stadt", "land": "09"},
    {"id": "forum", "name": "AG", "kind": "forum"},
]
FLOWS = pd.DataFrame(
    [
        ("lk-a", "kfs", 1000, 100),
        ("kfs", "lk-a", 400, 50),
        ("lk-b", "kfs", 600, 200),
        ("kfs", "lk-b", 200, 0),
        ("g-a1", "g-a2", 300, 30),
        ("g-a2", "g-a1", 100, None),  # missing breakdown counts as 0
        ("g-a2", "g-b1", 250, 0),
        ("lk-a", "lk-b", 500, 60),
        ("g-b1", "kfs", 150, 20),
    ],
    columns=["from", "to", "commuters", "auslaender"],
).astype({"auslaender": "Int64"})
TIES = [
    {"from": "kfs", "to": "lk-a", "kind": "service_opening"},  # against the main flow
    {"from": "g-a1", "to": "g-a2", "kind": "exchange"},
    {"from": "g-a2", "to": "g-a1", "kind": "shared_staff"},
    {"from": "lk-a", "to": "forum", "kind": "membership"},  # a shared forum is no direct tie
    {"from": "lk-b", "to": "forum", "kind": "membership"},
]
BORDERS = [
    {"from": "lk-a", "to": "kfs"},
    {"from": "kfs", "to": "lk-b"},
    {"from": "lk-a", "to": "lk-b"},
]
# Pairs by hand (commuters both ways, tied?, adjacent?):
#   lk-a / kfs    1400  tied      adjacent
#   lk-b / kfs     800  -         adjacent
#   lk-a / lk-b    500  -         adjacent
#   g-a1 / g-a2    400  tied (2)  -
#   g-a2 / g-b1    250  -         -
#   kfs / g-b1     150  -         -
# 3,500 commuters, 1,800 on tied pairs.


@pytest.fixture(scope="module")
def example():
    return netkoop.Network.from_tables(UNITS, TIES, FLOWS, borders=BORDERS)


def test_pairs_sum_both_directions_in_report_order(example):
    pairs = commuting_gap(example).pairs
    assert list(pairs.columns) == [
        "unit_a",
        "name_a",
        "kind_a",
        "kreis_a",
        "unit_b",
        "name_b",
        "kind_b",
        "kreis_b",
        "pair_type",
        "a_to_b",
        "b_to_a",
        "commuters",
        "ties",
        "tied",
        "adjacent",
    ]
    rows = [
        tuple(r)
        for r in pairs[
            ["unit_a", "unit_b", "a_to_b", "b_to_a", "commuters", "ties", "tied", "adjacent"]
        ].itertuples(index=False)
    ]
    assert rows == [
        ("lk-a", "kfs", 1000, 400, 1400, 1, True, True),
        ("lk-b", "kfs", 600, 200, 800, 0, False, True),
        ("lk-a", "lk-b", 500, 0, 500, 0, False, True),
        ("g-a1", "g-a2", 300, 100, 400, 2, True, False),
        ("g-a2", "g-b1", 250, 0, 250, 0, False, False),
        ("kfs", "g-b1", 0, 150, 150, 0, False, False),
    ]
    assert pairs["pair_type"].tolist() == [
        "landkreis–kreisfreie_stadt",
        "landkreis–kreisfreie_stadt",
        "landkreis–landkreis",
        "gemeinde–gemeinde (same Kreis)",
        "gemeinde–gemeinde (across Kreise)",
        "kreisfreie_stadt–gemeinde",
    ]
    assert pairs.loc[5, ["name_a", "name_b", "kreis_a", "kreis_b"]].tolist() == [
        "Stadt C",
        "B1",
        "kfs",
        "lk-b",
    ]


def test_coverage_and_by_type_by_hand(example):
    gap = commuting_gap(example)
    assert gap.coverage == pytest.approx(1800 / 3500)
    assert type(gap.coverage) is float
    assert gap.column == "commuters"
    by_type = gap.by_type
    assert list(by_type.columns) == [
        "pairs",
        "pairs_tied",
        "commuters",
        "commuters_tied",
        "coverage",
    ]
    assert by_type.index.name == "pair_type"
    assert by_type.index.tolist() == [
        "landkreis–landkreis",
        "landkreis–kreisfreie_stadt",
        "kreisfreie_stadt–gemeinde",
        "gemeinde–gemeinde (same Kreis)",
        "gemeinde–gemeinde (across Kreise)",
    ]
    assert by_type.loc["landkreis–kreisfreie_stadt", ["pairs", "pairs_tied"]].tolist() == [2, 1]
    assert by_type.loc["landkreis–kreisfreie_stadt", ["commuters", "commuters_tied"]].tolist() == [
        2200,
        1400,
    ]
    assert by_type["coverage"].tolist() == pytest.approx([0, 1400 / 2200, 0, 1, 0])
    assert by_type["commuters"].sum() == 3500


def test_uncovered_lists_the_largest_pairs_without_a_tie(example):
    uncovered = commuting_gap(example, top=2).uncovered
    assert list(uncovered.columns) == list(UNCOVERED_COLUMNS)
    assert uncovered[["unit_a", "name_a", "unit_b", "name_b", "commuters"]].to_numpy().tolist() == [
        ["lk-b", "Landkreis B", "kfs", "Stadt C", 800],
        ["lk-a", "Landkreis A", "lk-b", "Landkreis B", 500],
    ]
    assert len(commuting_gap(example, top=None).uncovered) == 4
    assert commuting_gap(example, top=0).uncovered.empty


def test_only_ties_of_the_chosen_kinds_cover(example):
    gap = commuting_gap(example, kinds=["exchange"])
    assert gap.coverage == pytest.approx(400 / 3500)
    assert gap.pairs.set_index(["unit_a", "unit_b"]).loc[("g-a1", "g-a2"), "ties"] == 1
    assert gap.uncovered.loc[0, "unit_a"] == "lk-a"  # the service opening no longer counts
    assert commuting_gap(example, kinds="service_opening").coverage == pytest.approx(1400 / 3500)


def test_adjacent_only_keeps_neighbouring_pairs(example):
    gap = commuting_gap(example, adjacent_only=True)
    assert len(gap.pairs) == 3
    assert gap.pairs["adjacent"].all()
    assert gap.coverage == pytest.approx(1400 / 2700)
    assert gap.uncovered["commuters"].tolist() == [800, 500]
    assert gap.by_type.index.tolist() == ["landkreis–landkreis", "landkreis–kreisfreie_stadt"]


def test_breakdown_column(example):
    gap = commuting_gap(example, column="auslaender")
    assert gap.column == "auslaender"
    pairs = gap.pairs.set_index(["unit_a", "unit_b"])
    assert pairs["commuters"].to_dict() == {
        ("lk-b", "kfs"): 200,
        ("lk-a", "kfs"): 150,
        ("lk-a", "lk-b"): 60,
        ("g-a1", "g-a2"): 30,  # 30 + missing
        ("kfs", "g-b1"): 20,
    }  # g-a2 / g-b1 has no foreign commuters: no pair
    assert gap.coverage == pytest.approx(180 / 460)
    assert gap.uncovered.loc[0, "unit_a"] == "lk-b"


def test_unknown_column_lists_the_flow_columns(example):
    with pytest.raises(
        netkoop.NetkoopError, match="no flow column 'foreign'; flow columns: commuters, auslaender"
    ):
        commuting_gap(example, column="foreign")


def test_adjacent_only_needs_borders():
    net = netkoop.Network.from_tables(UNITS, TIES, FLOWS)
    gap = commuting_gap(net)
    assert gap.pairs["adjacent"].isna().all()  # unknown without borders
    with pytest.raises(netkoop.NetkoopError, match=r"adjacent_only needs borders .* has none"):
        commuting_gap(net, adjacent_only=True)


def test_unknown_tie_kind_and_negative_top(example):
    with pytest.raises(netkoop.NetkoopError, match=r"unknown tie kind\(s\) commuting"):
        commuting_gap(example, kinds="commuting")
    with pytest.raises(netkoop.NetkoopError, match="top must be 0 or more"):
        commuting_gap(example, top=-1)


def test_no_flows_gives_empty_tables_and_missing_coverage():
    gap = commuting_gap(netkoop.Network.from_tables(UNITS, TIES))
    assert gap.pairs.empty
    assert math.isnan(gap.coverage)
    assert gap.by_type.empty
    assert gap.uncovered.empty


def test_beispielregion_gap():
    gap = commuting_gap(netkoop.load("beispielregion"))
    # Both Landkreise are tied to Musterstadt; no Gemeinde is, although 17,390 commute in.
    assert gap.by_type.loc["landkreis–kreisfreie_stadt", "coverage"] == 1.0
    assert gap.by_type.loc["kreisfreie_stadt–gemeinde", ["pairs", "commuters"]].tolist() == [
        8,
        17390,
    ]
    assert gap.by_type.loc["kreisfreie_stadt–gemeinde", "pairs_tied"] == 0
    assert gap.coverage == pytest.approx(45940 / 65740)


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")
def test_zwei_welten_landkreise_and_cities_commute_but_rarely_cooperate():
    gap = commuting_gap(netkoop.load("zwei-welten-2020"))
    row = gap.by_type.loc["landkreis–kreisfreie_stadt"]
    assert row["pairs"] == 23
    assert row["commuters"] > 0
    assert row["pairs_tied"] == 3
    neighbours = commuting_gap(netkoop.load("zwei-welten-2020"), adjacent_only=True)
    assert len(neighbours.pairs) == 23
    assert neighbours.pairs["tied"].sum() == 3


# --- the national Kreis network from tests/data/official ----------------------------------


@pytest.fixture(scope="module")
def national():
    from conftest import OFFICIAL

    derived = OFFICIAL / "derived"
    kreise = pd.read_csv(derived / "kreise.csv.gz", dtype=str)
    units = kreise[["kreis_ags", "name", "kind", "land_code"]].rename(
        columns={"kreis_ags": "id", "land_code": "land"}
    )
    od = pd.read_csv(
        derived / "pendler_kreise_od.csv.gz", dtype={"wohnort_kreis": str, "arbeitsort_kreis": str}
    )
    flows = od[["wohnort_kreis", "arbeitsort_kreis", "insgesamt", "auslaender"]].rename(
        columns={"wohnort_kreis": "from", "arbeitsort_kreis": "to", "insgesamt": "commuters"}
    )
    adjacency = pd.read_csv(
        derived / "kreis_adjacency.csv.gz", dtype={"kreis_a": str, "kreis_b": str}
    )
    borders = adjacency[["kreis_a", "kreis_b", "shared_border_km"]].rename(
        columns={"kreis_a": "from", "kreis_b": "to", "shared_border_km": "length_km"}
    )
    return netkoop.Network.from_tables(units, flows=flows, borders=borders)


def test_national_gap_without_ties_puts_muenchen_on_top(national):
    gap = commuting_gap(national, top=10)
    assert gap.coverage == 0.0
    assert gap.pairs["commuters"].sum() == 13_459_370
    assert not gap.pairs["tied"].any()
    top = gap.uncovered.loc[0]
    assert (top["unit_a"], top["unit_b"]) == ("09184", "09162")  # Landkreis München, München
    assert (top["a_to_b"], top["b_to_a"], top["commuters"]) == (71_660, 86_350, 158_010)
    assert top["pair_type"] == "landkreis–kreisfreie_stadt"
    assert top["adjacent"]
    lk_kfs = gap.pairs[gap.pairs["pair_type"] == "landkreis–kreisfreie_stadt"]
    assert lk_kfs.iloc[0][["unit_a", "unit_b"]].tolist() == ["09184", "09162"]
    assert gap.by_type.index.tolist() == [
        "landkreis–landkreis",
        "landkreis–kreisfreie_stadt",
        "kreisfreie_stadt–kreisfreie_stadt",
    ]
    assert (gap.by_type["coverage"] == 0).all()


def test_national_gap_covers_what_a_tie_joins(national):
    tied = national.add_ties([{"from": "09162", "to": "09184", "kind": "exchange"}])
    gap = commuting_gap(tied)
    assert gap.coverage == pytest.approx(158_010 / 13_459_370)
    assert gap.uncovered.loc[0, ["unit_a", "unit_b"]].tolist() == ["05362", "05315"]  # Köln


def test_national_foreign_commuters_between_neighbours(national):
    gap = commuting_gap(national, column="auslaender", adjacent_only=True, top=3)
    assert gap.pairs["adjacent"].all()
    assert gap.uncovered.loc[0, ["unit_a", "unit_b"]].tolist() == ["09184", "09162"]


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")  # duplicate random ties
@pytest.mark.parametrize("seed", range(5))
def test_gap_matches_a_plain_count_on_random_networks(seed):
    import random

    rnd = random.Random(seed)  # noqa: S311 - test data, not secrets
    units = [
        {"id": f"lk{k}", "name": f"LK {k}", "kind": "landkreis", "land": "09"} for k in range(3)
    ]
    units += [
        {"id": f"kfs{k}", "name": f"S {k}", "kind": "kreisfreie_stadt", "land": "09"}
        for k in range(2)
    ]
    units += [
        {"id": f"g{i}", "name": f"G {i}", "kind": "gemeinde", "parent": f"lk{i % 3}", "land": "09"}
        for i in range(10)
    ]
    ids = [u["id"] for u in units]
    directed = sorted({tuple(rnd.sample(ids, 2)) for _ in range(80)})
    flows = [{"from": a, "to": b, "commuters": rnd.randrange(0, 100)} for a, b in directed]
    ties = [
        {"from": a, "to": b, "kind": "exchange"} for a, b in (rnd.sample(ids, 2) for _ in range(15))
    ]
    borders = sorted({tuple(sorted(rnd.sample(ids, 2))) for _ in range(12)})
    net = netkoop.Network.from_tables(
        units, ties, flows, borders=[{"from": a, "to": b} for a, b in borders]
    )
    volume = {}
    for f in flows:
        pair = frozenset((f["from"], f["to"]))
        volume[pair] = volume.get(pair, 0) + f["commuters"]
    volume = {p: v for p, v in volume.items() if v > 0}
    tied = {frozenset((t["from"], t["to"])) for t in ties}
    near = {frozenset(b) for b in borders}
    gap = commuting_gap(net, top=None)
    got = {
        frozenset((a, b)): (c, t, bool(adj))
        for a, b, c, t, adj in zip(
            gap.pairs["unit_a"],
            gap.pairs["unit_b"],
            gap.pairs["commuters"],
            gap.pairs["tied"],
            gap.pairs["adjacent"],
            strict=True,
        )
    }
    assert got == {p: (v, p in tied, p in near) for p, v in volume.items()}
    covered = sum(v for p, v in volume.items() if p in tied)
    assert gap.coverage == pytest.approx(covered / sum(volume.values()))
    assert gap.pairs["commuters"].is_monotonic_decreasing
    assert len(gap.uncovered) == sum(1 for p in volume if p not in tied)
    near_gap = commuting_gap(net, adjacent_only=True)
    assert set(
        map(frozenset, zip(near_gap.pairs["unit_a"], near_gap.pairs["unit_b"], strict=True))
    ) == {p for p in volume if p in near}
