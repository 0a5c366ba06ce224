"""E-I index, its permutation test and forum-mediated pairs, on hand-worked examples."""

from __future__ import annotations

import math

import pytest

import netkoop
from netkoop.metrics.kreis import (
    ei_index,
    ei_permutation_test,
    forum_mediation,
    study_counts,
    tie_scope,
)
from netkoop.metrics.pairs import PAIR_TYPES


def in_bavaria(units):
    """Give every unit but a forum the Land code 09 (validation asks for a Land)."""
    return [u if u["kind"] == "forum" else {**u, "land": "09"} for u in units]


# Two Landkreise (lk-a with g-a1, g-a2; lk-b with g-b1, g-b2), a kreisfreie Stadt, a Land and a
# forum. Ties 1-9 below; the E-I counts are worked out by hand in the comments.
UNITS = in_bavaria(
    [
        {"id": "land-x", "name": "Land X", "kind": "land"},
        {"id": "lk-a", "name": "Landkreis A", "kind": "landkreis"},
        {"id": "lk-b", "name": "Landkreis B", "kind": "landkreis"},
        {"id": "kfs", "name": "Stadt C", "kind": "kreisfreie_stadt"},
        {"id": "g-a1", "name": "A1", "kind": "gemeinde", "parent": "lk-a"},
        {"id": "g-a2", "name": "A2", "kind": "gemeinde", "parent": "lk-a"},
        {"id": "g-b1", "name": "B1", "kind": "gemeinde", "parent": "lk-b"},
        {"id": "g-b2", "name": "B2", "kind": "gemeinde", "parent": "lk-b"},
        {"id": "forum", "name": "AG Integration", "kind": "forum"},
    ]
)
TIES = [
    {"from": "g-a1", "to": "g-a2", "kind": "exchange"},  # 1 internal
    {"from": "g-a1", "to": "lk-a", "kind": "exchange"},  # 2 internal
    {"from": "kfs", "to": "lk-a", "kind": "service_opening"},  # 3 external
    {"from": "lk-b", "to": "kfs", "kind": "exchange"},  # 4 external
    {"from": "g-a2", "to": "g-b1", "kind": "joint_project"},  # 5 external
    {"from": "g-b1", "to": "lk-b", "kind": "exchange"},  # 6 internal
    {"from": "g-a1", "to": "g-a2", "kind": "shared_staff"},  # 7 internal (same pair again)
    {"from": "lk-b", "to": "land-x", "kind": "exchange"},  # a Land has no Kreis: left out
    {"from": "lk-a", "to": "forum", "kind": "membership"},  # a forum has no Kreis: left out
    {"from": "kfs", "to": "forum", "kind": "membership"},
]


@pytest.fixture(scope="module")
def example():
    return netkoop.Network.from_tables(UNITS, TIES)


# --- E-I index ----------------------------------------------------------------------------


def test_ei_overall_counts_each_tie_once(example):
    result = ei_index(example)
    assert (result.internal, result.external) == (4, 3)  # ties 1, 2, 6, 7 and 3, 4, 5
    assert result.overall == pytest.approx((3 - 4) / 7)
    assert type(result.overall) is float
    assert type(result.internal) is int


def test_ei_per_unit_counts_every_tie_of_the_unit_in_either_direction(example):
    units = ei_index(example).units
    expected = {  # id: (internal, external)
        "g-a1": (3, 0),  # ties 1, 2, 7
        "g-a2": (2, 1),  # ties 1, 7 and 5
        "lk-a": (1, 1),  # tie 2 and the service opening 3 that points to it
        "kfs": (0, 2),  # ties 3, 4; its membership does not count
        "lk-b": (1, 1),  # ties 6 and 4; the tie to the Land does not count
        "g-b1": (1, 1),  # ties 6 and 5
        "g-b2": (0, 0),  # no tie
    }
    assert list(units.columns) == ["name", "kind", "kreis", "internal", "external", "ei"]
    assert units.index.name == "id"
    assert set(units.index) == set(expected)  # forum and Land belong to no Kreis
    for unit, (internal, external) in expected.items():
        assert (units.at[unit, "internal"], units.at[unit, "external"]) == (internal, external)
    assert units.at["g-a1", "ei"] == -1
    assert units.at["g-a2", "ei"] == pytest.approx(-1 / 3)
    assert units.at["lk-a", "ei"] == 0
    assert units.at["kfs", "ei"] == 1
    assert math.isnan(units.at["g-b2", "ei"])
    assert units.at["g-a1", "kreis"] == "lk-a"
    assert units.at["kfs", "kreis"] == "kfs"


def test_ei_by_kind_sums_the_units_of_each_kind(example):
    by_kind = ei_index(example).by_kind
    assert list(by_kind.index) == ["landkreis", "kreisfreie_stadt", "gemeinde"]
    assert list(by_kind.columns) == ["units", "internal", "external", "ei"]
    assert by_kind.loc["landkreis", ["units", "internal", "external"]].tolist() == [2, 2, 2]
    assert by_kind.loc["kreisfreie_stadt", ["units", "internal", "external"]].tolist() == [1, 0, 2]
    # Gemeinden: internal 3 + 2 + 1 + 0, external 0 + 1 + 1 + 0 (tie 5 counts at both ends)
    assert by_kind.loc["gemeinde", ["units", "internal", "external"]].tolist() == [4, 6, 2]
    assert by_kind["ei"].tolist() == pytest.approx([0.0, 1.0, -0.5])


def test_ei_restricted_to_tie_kinds(example):
    result = ei_index(example, kinds=["exchange"])
    assert (result.internal, result.external) == (3, 1)  # ties 1, 2, 6 and 4
    assert result.overall == -0.5
    assert ei_index(example, kinds="membership").overall != ei_index(example).overall
    assert math.isnan(ei_index(example, kinds="membership").overall)


def test_ei_unknown_tie_kind_lists_the_kinds(example):
    with pytest.raises(
        netkoop.NetkoopError, match=r"unknown tie kind\(s\) friendship; tie kinds: exchange"
    ):
        ei_index(example, kinds=["friendship"])


def test_ei_without_ties_is_missing_everywhere():
    net = netkoop.Network.from_tables(UNITS)
    result = ei_index(net)
    assert (result.internal, result.external) == (0, 0)
    assert math.isnan(result.overall)
    assert result.units["ei"].isna().all()
    assert result.by_kind["ei"].isna().all()
    assert result.by_kind["units"].tolist() == [2, 1, 4]


def test_ei_all_internal_is_minus_one_and_all_external_plus_one():
    inside = netkoop.Network.from_tables(
        UNITS,
        [
            {"from": "g-a1", "to": "g-a2", "kind": "exchange"},
            {"from": "g-b1", "to": "lk-b", "kind": "exchange"},
        ],
    )
    result = ei_index(inside)
    assert result.overall == -1.0
    assert result.by_kind["ei"].tolist()[0] == -1.0
    assert math.isnan(result.by_kind.loc["kreisfreie_stadt", "ei"])
    across = netkoop.Network.from_tables(
        UNITS,
        [
            {"from": "g-a1", "to": "g-b1", "kind": "exchange"},
            {"from": "lk-a", "to": "kfs", "kind": "exchange"},
        ],
    )
    result = ei_index(across)
    assert result.overall == 1.0
    assert result.units["ei"].dropna().tolist() == [1.0, 1.0, 1.0, 1.0]


def test_ei_of_beispielregion():
    result = ei_index(netkoop.load("beispielregion"))
    # 13 ties stay inside a Landkreis; Eichwalde-Fahrendorf and the city's two ties cross
    assert (result.internal, result.external) == (13, 3)
    assert result.overall == -0.625
    assert result.units.at["musterstadt", "ei"] == 1.0


# --- permutation test ---------------------------------------------------------------------


def kreise_with_internal_ties(kreise=10, gemeinden=4):
    """Landkreise with Gemeinden, every two units of a Kreis tied, no tie across."""
    units, ties = [], []
    for k in range(kreise):
        members = [f"lk-{k}"] + [f"g-{k}-{g}" for g in range(gemeinden)]
        units.append({"id": f"lk-{k}", "name": f"LK {k}", "kind": "landkreis"})
        units += [
            {"id": m, "name": m, "kind": "gemeinde", "parent": f"lk-{k}"} for m in members[1:]
        ]
        ties += [
            {"from": a, "to": b, "kind": "exchange"}
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        ]
    return netkoop.Network.from_tables(in_bavaria(units), ties)


def test_permutation_test_finds_strongly_internal_ties_significant():
    net = kreise_with_internal_ties()
    test = ei_permutation_test(net, permutations=500, seed=7)
    assert set(test) == {"observed", "expected", "std", "p_value", "permutations"}
    assert test["observed"] == -1.0
    assert test["expected"] > 0.5  # by chance most of 100 ties would cross among 10 Kreise
    assert test["std"] > 0
    assert test["p_value"] == 1 / 501  # no permutation is as extreme: (0 + 1) / (500 + 1)
    assert test["permutations"] == 500
    assert all(type(v) in (float, int) for v in test.values())


def test_permutation_test_is_reproducible_with_a_seed():
    net = kreise_with_internal_ties(kreise=3, gemeinden=2)
    first = ei_permutation_test(net, permutations=200, seed=42)
    assert ei_permutation_test(net, permutations=200, seed=42) == first
    others = [ei_permutation_test(net, permutations=200, seed=s)["expected"] for s in range(5)]
    assert len(set(others)) > 1


def test_permutation_test_p_value_of_a_hand_worked_case():
    # Two Kreise of two units each and one tie inside a Kreis: a random relabelling keeps the
    # two ends in one Kreis with probability 1/3, so E-I is -1 (p = 1/3) or +1 (p = 2/3).
    units = [
        {"id": "lk-a", "name": "A", "kind": "landkreis"},
        {"id": "g-a", "name": "a", "kind": "gemeinde", "parent": "lk-a"},
        {"id": "lk-b", "name": "B", "kind": "landkreis"},
        {"id": "g-b", "name": "b", "kind": "gemeinde", "parent": "lk-b"},
    ]
    net = netkoop.Network.from_tables(
        in_bavaria(units), [{"from": "lk-a", "to": "g-a", "kind": "exchange"}]
    )
    test = ei_permutation_test(net, permutations=2000, seed=1)
    assert test["observed"] == -1.0
    assert test["expected"] == pytest.approx(1 / 3, abs=0.06)
    assert test["std"] == pytest.approx(math.sqrt(8 / 9), abs=0.03)
    assert test["p_value"] == pytest.approx(1 / 3, abs=0.04)  # only the -1 draws are as extreme


def test_permutation_test_with_one_possible_labelling_gives_p_one():
    units = [
        {"id": "a", "name": "A", "kind": "kreisfreie_stadt"},
        {"id": "b", "name": "B", "kind": "kreisfreie_stadt"},
    ]
    net = netkoop.Network.from_tables(
        in_bavaria(units), [{"from": "a", "to": "b", "kind": "exchange"}]
    )
    test = ei_permutation_test(net, permutations=50)
    assert test == {
        "observed": 1.0,
        "expected": 1.0,
        "std": 0.0,
        "p_value": 1.0,
        "permutations": 50,
    }


def test_permutation_test_observed_matches_ei_index_and_tie_kinds(example):
    test = ei_permutation_test(example, kinds="exchange", permutations=20)
    assert test["observed"] == ei_index(example, kinds="exchange").overall == -0.5


def test_permutation_test_without_ties_is_missing():
    test = ei_permutation_test(netkoop.Network.from_tables(UNITS), permutations=10)
    assert math.isnan(test["observed"])
    assert math.isnan(test["p_value"])
    assert test["permutations"] == 10


def test_permutation_test_needs_at_least_one_permutation(example):
    with pytest.raises(netkoop.NetkoopError, match="permutations must be at least 1; got 0"):
        ei_permutation_test(example, permutations=0)


# --- forum mediation ----------------------------------------------------------------------

MEDIATION_UNITS = in_bavaria(
    [
        {"id": "lk-a", "name": "Landkreis A", "kind": "landkreis"},
        {"id": "g-a1", "name": "A1", "kind": "gemeinde", "parent": "lk-a"},
        {"id": "lk-b", "name": "Landkreis B", "kind": "landkreis"},
        {"id": "kfs-c", "name": "Stadt C", "kind": "kreisfreie_stadt"},
        {"id": "kfs-d", "name": "Stadt D", "kind": "kreisfreie_stadt"},
        {"id": "f1", "name": "Land-AG", "kind": "forum"},
        {"id": "f2", "name": "Städtenetz", "kind": "forum"},
    ]
)
MEDIATION_TIES = [
    {"from": "lk-a", "to": "f1", "kind": "membership"},
    {"from": "lk-b", "to": "f1", "kind": "membership"},
    {"from": "kfs-c", "to": "f1", "kind": "membership"},
    {"from": "g-a1", "to": "f1", "kind": "membership"},
    {"from": "kfs-c", "to": "f2", "kind": "membership"},
    {"from": "kfs-d", "to": "f2", "kind": "membership"},
    {"from": "lk-a", "to": "f2", "kind": "membership"},
    {"from": "lk-a", "to": "kfs-c", "kind": "exchange"},  # across, also in both forums
    {"from": "kfs-d", "to": "lk-b", "kind": "exchange"},  # across, no shared forum
    {"from": "lk-a", "to": "g-a1", "kind": "exchange"},  # inside lk-a: not a pair
]


@pytest.fixture(scope="module")
def mediation_example():
    return netkoop.Network.from_tables(MEDIATION_UNITS, MEDIATION_TIES)


def test_forum_mediation_pairs_by_hand(mediation_example):
    result = forum_mediation(mediation_example)
    # f1 joins lk-a, lk-b, kfs-c, g-a1: five pairs across Kreise (lk-a/g-a1 share a Kreis);
    # f2 joins kfs-c, kfs-d, lk-a: three pairs, lk-a/kfs-c again. Seven distinct pairs.
    pairs = result.pairs.set_index(["unit_a", "unit_b"])
    assert list(result.pairs.columns) == [
        "unit_a",
        "name_a",
        "kind_a",
        "unit_b",
        "name_b",
        "kind_b",
        "pair_type",
        "forums",
        "direct",
        "forum_only",
    ]
    assert pairs["forums"].to_dict() == {
        ("lk-a", "lk-b"): 1,
        ("lk-a", "kfs-c"): 2,
        ("lk-a", "kfs-d"): 1,
        ("lk-b", "kfs-c"): 1,
        ("lk-b", "kfs-d"): 0,
        ("lk-b", "g-a1"): 1,
        ("kfs-c", "kfs-d"): 1,
        ("kfs-c", "g-a1"): 1,
    }
    assert pairs["direct"][pairs["direct"] > 0].to_dict() == {
        ("lk-a", "kfs-c"): 1,
        ("lk-b", "kfs-d"): 1,
    }
    assert result.overall == {
        "forum_pairs": 7,
        "direct_pairs": 2,
        "both": 1,
        "forum_only": 6,
        "direct_only": 1,
    }
    assert all(type(v) is int for v in result.overall.values())


def test_forum_mediation_by_pair_type(mediation_example):
    by_type = forum_mediation(mediation_example).by_type
    assert list(by_type.columns) == [
        "forum_pairs",
        "direct_pairs",
        "both",
        "forum_only",
        "direct_only",
    ]
    assert list(by_type.index) == [
        "landkreis–landkreis",
        "landkreis–kreisfreie_stadt",
        "landkreis–gemeinde (across Kreise)",
        "kreisfreie_stadt–kreisfreie_stadt",
        "kreisfreie_stadt–gemeinde",
    ]
    assert list(by_type.index) == [t for t in PAIR_TYPES if t in by_type.index]
    assert by_type.loc["landkreis–kreisfreie_stadt"].tolist() == [3, 2, 1, 2, 1]
    assert by_type.loc["landkreis–landkreis"].tolist() == [1, 0, 0, 1, 0]
    assert by_type.loc["kreisfreie_stadt–gemeinde"].tolist() == [1, 0, 0, 1, 0]


def test_forum_mediation_direct_ties_of_chosen_kinds(mediation_example):
    result = forum_mediation(mediation_example, kinds="service_opening")
    assert result.overall["direct_pairs"] == 0
    assert result.overall["forum_only"] == 7


def test_forum_mediation_without_forums_or_ties():
    result = forum_mediation(netkoop.Network.from_tables(MEDIATION_UNITS))
    assert result.pairs.empty
    assert result.by_type.empty
    assert result.overall == dict.fromkeys(
        ["forum_pairs", "direct_pairs", "both", "forum_only", "direct_only"], 0
    )


def test_forum_mediation_in_beispielregion():
    result = forum_mediation(netkoop.load("beispielregion"))
    # lag-ni joins lk-nord, lk-sued, musterstadt and auenfeld (in lk-nord): five pairs across;
    # the city's ties to both Landkreise are direct, so three are linked only through lag-ni.
    assert result.overall["forum_pairs"] == 5
    assert result.overall["forum_only"] == 3
    only = result.pairs[result.pairs["forum_only"]]
    assert set(zip(only["unit_a"], only["unit_b"], strict=True)) == {
        ("lk-nord", "lk-sued"),
        ("lk-sued", "auenfeld"),
        ("musterstadt", "auenfeld"),
    }


# --- the bundled study reconstruction ----------------------------------------------------


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")
def test_zwei_welten_kreis_measures_agree_with_the_existing_counts():
    study = netkoop.load("zwei-welten-2020")
    result = ei_index(study)
    scoped = tie_scope(study)
    assert result.internal == int((scoped["scope"] == "inside").sum())
    assert result.external == int((scoped["scope"] == "across").sum())
    # Gemeinden exchange inside their Landkreis: their E-I is far below the Kreis level's
    assert result.by_kind.loc["gemeinde", "ei"] < result.by_kind.loc["kreisfreie_stadt", "ei"]
    units_with_across = (result.units["external"] > 0).groupby(result.units["kind"]).sum()
    counts = study_counts(study)
    assert units_with_across.reindex(counts.index).tolist() == counts["tie_across"].tolist()
    mediation = forum_mediation(study)
    kreis_level = mediation.by_type.loc[
        ["landkreis–landkreis", "landkreis–kreisfreie_stadt", "kreisfreie_stadt–kreisfreie_stadt"]
    ]
    assert kreis_level["forum_pairs"].sum() > 5 * kreis_level["direct_pairs"].sum()


# --- cross-check against a plain Python count on random networks -------------------------


def random_network(seed):
    import random

    rnd = random.Random(seed)  # noqa: S311 - test data, not secrets
    units = [{"id": f"lk{k}", "name": f"LK {k}", "kind": "landkreis"} for k in range(4)]
    units += [{"id": f"kfs{k}", "name": f"Stadt {k}", "kind": "kreisfreie_stadt"} for k in range(3)]
    units += [
        {"id": f"g{i}", "name": f"G {i}", "kind": "gemeinde", "parent": f"lk{i % 4}"}
        for i in range(20)
    ]
    units += [{"id": f"f{i}", "name": f"Forum {i}", "kind": "forum"} for i in range(3)]
    places = [u["id"] for u in units if u["kind"] != "forum"]
    ties = []
    for _ in range(60):
        a, b = rnd.sample(places, 2)
        ties.append({"from": a, "to": b, "kind": rnd.choice(["exchange", "joint_project"])})
    memberships = {(rnd.choice(places), f"f{rnd.randrange(3)}") for _ in range(25)}
    ties += [{"from": a, "to": f, "kind": "membership"} for a, f in sorted(memberships)]
    return netkoop.Network.from_tables(in_bavaria(units), ties)


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")  # duplicate random ties
@pytest.mark.parametrize("seed", range(5))
def test_ei_and_forum_mediation_match_a_plain_count(seed):
    net = random_network(seed)
    kreis = {u: k for u, k in net.kreis.items() if isinstance(k, str)}
    internal = external = 0
    per_unit = {u: [0, 0] for u in kreis}
    direct = {}
    for a, b in zip(net.ties["from"], net.ties["to"], strict=True):
        if a not in kreis or b not in kreis:
            continue
        across = kreis[a] != kreis[b]
        internal += not across
        external += across
        for unit in (a, b):
            per_unit[unit][across] += 1
        if across:
            direct[frozenset((a, b))] = direct.get(frozenset((a, b)), 0) + 1
    result = ei_index(net)
    assert (result.internal, result.external) == (internal, external)
    assert result.overall == pytest.approx((external - internal) / (external + internal))
    for unit, (i, e) in per_unit.items():
        assert (result.units.at[unit, "internal"], result.units.at[unit, "external"]) == (i, e)

    members = {}
    for a, f, kind in zip(net.ties["from"], net.ties["to"], net.ties["kind"], strict=True):
        if kind == "membership" and a in kreis:
            members.setdefault(f, set()).add(a)
    shared = {}
    for group in members.values():
        for a in group:
            for b in group:
                if a < b and kreis[a] != kreis[b]:
                    shared[frozenset((a, b))] = shared.get(frozenset((a, b)), 0) + 1
    mediation = forum_mediation(net)
    got = {
        frozenset((a, b)): (f, d)
        for a, b, f, d in zip(
            mediation.pairs["unit_a"],
            mediation.pairs["unit_b"],
            mediation.pairs["forums"],
            mediation.pairs["direct"],
            strict=True,
        )
    }
    expected = {p: (shared.get(p, 0), direct.get(p, 0)) for p in set(shared) | set(direct)}
    assert got == expected
    assert mediation.overall["forum_only"] == sum(1 for p in shared if p not in direct)
