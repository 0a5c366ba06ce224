"""Gould–Fernandez brokerage roles by Kreis, against a brute-force count on random networks."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

import netkoop
from conftest import Unit, build, random_kinds_network
from netkoop import Network
from netkoop.metrics import brokerage
from netkoop.metrics.brokerage import ROLES, brokerage_roles, brokerage_summary
from netkoop.model.vocabulary import UNIT_KINDS

# --- brokerage --------------------------------------------------------------------------

BROKER_UNITS: list[Unit] = [
    ("A", "landkreis", None),
    ("B", "landkreis", None),
    ("C", "landkreis", None),
    ("a1", "gemeinde", "A"),
    ("a2", "gemeinde", "A"),
    ("a3", "gemeinde", "A"),
    ("b1", "gemeinde", "B"),
    ("b2", "gemeinde", "B"),
    ("c1", "gemeinde", "C"),
    ("L1", "land", None),
    ("L2", "land", None),
    ("F", "forum", None),
]


def only(roles: pd.DataFrame, unit: str, **counts: int) -> None:
    """Check that ``unit`` has exactly ``counts`` (other roles 0) and every other unit none."""
    expected = {role: counts.get(role, 0) for role in ROLES}
    assert roles.loc[unit, list(ROLES)].to_dict() == expected
    assert roles.loc[unit, "total"] == sum(counts.values())
    assert roles.drop(index=unit)["total"].sum() == 0


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (("a1", "a2", "a3"), "coordinator"),  # all in Kreis A
        (("b1", "a1", "a2"), "gatekeeper"),  # B into A, through A
        (("a1", "a2", "b1"), "representative"),  # A out to B, through A
        (("a1", "b1", "a2"), "consultant"),  # A to A, through B
        (("a1", "b1", "c1"), "liaison"),  # A to C, through B
    ],
)
def test_directed_two_path_has_the_role_of_its_groups(path, role):
    a, b, c = path
    net = build(BROKER_UNITS, [(a, b, "service_opening"), (b, c, "service_opening")])
    only(brokerage_roles(net), b, **{role: 1})


def test_a_closing_tie_from_a_to_c_leaves_no_brokerage():
    closed = [("a1", "b1", "service_opening"), ("b1", "c1", "service_opening")]
    net = build(BROKER_UNITS, [*closed, ("a1", "c1", "service_opening")])
    assert brokerage_roles(net)["total"].sum() == 0
    triangle = [("a1", "b1", "exchange"), ("b1", "c1", "exchange"), ("c1", "a1", "exchange")]
    assert brokerage_roles(build(BROKER_UNITS, triangle))["total"].sum() == 0


def test_a_tie_from_c_back_to_a_does_not_close_the_path():
    ties = [("a1", "b1", "service_opening"), ("b1", "c1", "service_opening")]
    net = build(BROKER_UNITS, [*ties, ("c1", "a1", "service_opening")])
    roles = brokerage_roles(net)
    # Each unit now sits in the middle of one open two-path of the directed 3-cycle.
    assert roles.loc[["a1", "b1", "c1"], "liaison"].tolist() == [1, 1, 1]
    assert roles["total"].sum() == 3


def test_undirected_star_across_three_kreise():
    leaves = ["a2", "a3", "b1", "b2", "c1"]
    net = build(BROKER_UNITS, [("a1", leaf, "exchange") for leaf in leaves])
    # 5 leaves give 5 * 4 ordered pairs; the centre a1 is in Kreis A.
    only(
        brokerage_roles(net),
        "a1",
        coordinator=2,  # a2 <-> a3
        gatekeeper=6,  # {b1, b2, c1} -> {a2, a3}
        representative=6,  # {a2, a3} -> {b1, b2, c1}
        consultant=2,  # b1 <-> b2
        liaison=4,  # b1, b2 <-> c1
    )


def test_parallel_ties_and_directions_of_one_pair_count_once():
    ties = [
        ("a1", "b1", "exchange"),
        ("b1", "a1", "joint_project"),
        ("a1", "b1", "service_opening"),
    ]
    net = build(BROKER_UNITS, [*ties, ("b1", "c1", "exchange")])
    only(brokerage_roles(net), "b1", liaison=2)


def test_units_without_kreis_are_groups_of_their_own():
    # Two Länder through a Landkreis, and a Landkreis to a Landkreis through a Land.
    net = build(BROKER_UNITS, [("L1", "A", "exchange"), ("A", "L2", "exchange")])
    only(brokerage_roles(net), "A", liaison=2)
    net = build(BROKER_UNITS, [("A", "L1", "exchange"), ("L1", "a1", "exchange")])
    only(brokerage_roles(net), "L1", consultant=2)


def test_forums_broker_nothing_through_memberships():
    net = build(BROKER_UNITS, [("A", "F", "membership"), ("B", "F", "membership")])
    assert brokerage_roles(net)["total"].sum() == 0


def brute_force(net: Network, kinds: str | list[str] | None = None) -> pd.DataFrame:
    """Gould & Fernandez by enumeration on networkx's directed simple graph."""
    graph = net.graph(kinds, directed=True, multigraph=False)
    kreis = net.kreis
    group = {u: kreis[u] if isinstance(kreis[u], str) else ("alone", u) for u in graph}
    counts = {u: Counter[str]() for u in graph}
    for b in graph:
        for a in graph.predecessors(b):
            for c in graph.successors(b):
                if a == c or graph.has_edge(a, c):
                    continue
                ga, gb, gc = group[a], group[b], group[c]
                if ga == gb == gc:
                    role = "coordinator"
                elif gb == gc:
                    role = "gatekeeper"
                elif ga == gb:
                    role = "representative"
                elif ga == gc:
                    role = "consultant"
                else:
                    role = "liaison"
                counts[b][role] += 1
    table = pd.DataFrame(
        [[counts[u][r] for r in ROLES] for u in net.units["id"]],
        index=pd.Index(net.units["id"].to_numpy(), name="id"),
        columns=list(ROLES),
        dtype="int64",
    )
    table["total"] = table.sum(axis=1)
    return table


@pytest.mark.parametrize("seed", range(12))
def test_brokerage_equals_brute_force_on_random_networks(seed):
    net = random_kinds_network(seed, ties=60 + 10 * seed)
    pd.testing.assert_frame_equal(brokerage_roles(net), brute_force(net))
    kinds = ["exchange", "service_opening"]
    pd.testing.assert_frame_equal(brokerage_roles(net, kinds=kinds), brute_force(net, kinds))


def test_brokerage_in_small_chunks_gives_the_same_counts(monkeypatch):
    net = random_kinds_network(3, ties=120)
    whole = brokerage_roles(net)
    monkeypatch.setattr(brokerage, "_CHUNK", 5)
    pd.testing.assert_frame_equal(brokerage_roles(net), whole)
    assert whole["total"].sum() > 50


def test_brokerage_table_shape_on_beispielregion():
    net = netkoop.load("beispielregion")
    roles = brokerage_roles(net)
    assert list(roles.columns) == [*ROLES, "total"]
    assert roles.index.name == "id"
    assert roles.index.tolist() == net.units["id"].tolist()
    assert (roles.dtypes == "int64").all()
    pd.testing.assert_frame_equal(roles, brute_force(net))
    assert brokerage_roles(net, kinds="shared_staff")["total"].sum() == 0


def test_brokerage_summary_adds_up_by_kind():
    net = random_kinds_network(5, ties=100)
    roles = brokerage_roles(net)
    summary = brokerage_summary(net)
    assert summary.index.tolist() == list(UNIT_KINDS)
    assert summary.index.name == "kind"
    assert list(summary.columns) == ["units", "brokers", *ROLES, "total"]
    assert (summary.dtypes == "int64").all()
    kinds = net.units.set_index("id")["kind"]
    for kind in UNIT_KINDS:
        members = roles[kinds.reindex(roles.index) == kind]
        assert summary.loc[kind, "units"] == len(members)
        assert summary.loc[kind, "brokers"] == (members["total"] > 0).sum()
        assert summary.loc[kind, list(ROLES)].tolist() == members[list(ROLES)].sum().tolist()
    assert summary["total"].sum() == roles["total"].sum()


def test_brokerage_summary_lists_kinds_without_units():
    net = build(BROKER_UNITS[:9], [("a1", "b1", "exchange"), ("b1", "c1", "exchange")])
    summary = brokerage_summary(net)
    assert summary.loc["forum"].tolist() == [0] * 8
    assert summary.loc["gemeinde", ["units", "brokers", "liaison", "total"]].tolist() == [
        6,
        1,
        2,
        2,
    ]
