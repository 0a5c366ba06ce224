"""Mixing by kind of unit: the tie matrix, densities and assortativity, against networkx."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

import netkoop
from conftest import MIXING_UNITS, build, random_kinds_network
from netkoop import Network, NetworkEditError
from netkoop.metrics.brokerage import brokerage_roles
from netkoop.metrics.communities import find_communities
from netkoop.metrics.mixing import kind_assortativity, mixing_density, mixing_matrix
from netkoop.model.vocabulary import UNIT_KINDS

# --- mixing ---------------------------------------------------------------------------

MIXING_TIES = [
    ("a1", "a2", "exchange"),
    ("a1", "a2", "joint_project"),  # a second tie of the same pair
    ("a2", "b1", "exchange"),
    ("a1", "A", "exchange"),
    ("S", "A", "service_opening"),
    ("S", "B", "exchange"),
    ("A", "F", "membership"),
    ("S", "F", "membership"),
]


@pytest.fixture
def mixing_net() -> Network:
    return build(MIXING_UNITS, MIXING_TIES)


def test_mixing_matrix_counts_ties_by_unordered_kind_pair(mixing_net):
    table = mixing_matrix(mixing_net)
    assert list(table.index) == list(UNIT_KINDS) == list(table.columns)
    assert (table.index.name, table.columns.name) == ("kind", "partner_kind")
    assert (table.dtypes == "int64").all()
    expected = {
        ("gemeinde", "gemeinde"): 3,
        ("gemeinde", "landkreis"): 1,
        ("kreisfreie_stadt", "landkreis"): 2,
        ("forum", "landkreis"): 1,
        ("forum", "kreisfreie_stadt"): 1,
    }
    for (a, b), count in expected.items():
        assert table.loc[a, b] == table.loc[b, a] == count
    values = table.to_numpy()
    assert (values == values.T).all()
    assert values.sum() - np.triu(values, 1).sum() == len(MIXING_TIES)


def test_mixing_matrix_keeps_the_chosen_tie_kinds(mixing_net):
    table = mixing_matrix(mixing_net, kinds="exchange")
    assert table.loc["gemeinde", "gemeinde"] == 2
    assert table.loc["kreisfreie_stadt", "landkreis"] == 1
    assert table.loc["forum"].sum() == 0


def test_mixing_density_counts_distinct_pairs_over_possible_pairs(mixing_net):
    table = mixing_density(mixing_net)
    assert table.loc["gemeinde", "gemeinde"] == pytest.approx(2 / 3)  # a1-a2 (twice), a2-b1
    assert table.loc["gemeinde", "landkreis"] == pytest.approx(1 / 6)
    assert table.loc["landkreis", "kreisfreie_stadt"] == 1.0
    assert table.loc["forum", "landkreis"] == 0.5
    assert table.loc["landkreis", "landkreis"] == 0.0
    assert math.isnan(table.loc["kreisfreie_stadt", "kreisfreie_stadt"])  # one unit
    assert table.loc["land"].isna().all()  # no Land in the network
    assert (table.dtypes == "float64").all()


def test_unknown_tie_kind_is_named(mixing_net):
    with pytest.raises(NetworkEditError, match=r"unknown tie kind.*cooperation"):
        mixing_matrix(mixing_net, kinds="cooperation")
    with pytest.raises(NetworkEditError, match="unknown tie kind"):
        brokerage_roles(mixing_net, kinds=["exchange", "cooperation"])
    with pytest.raises(NetworkEditError, match="unknown tie kind"):
        find_communities(mixing_net, kinds="cooperation")


@pytest.mark.parametrize("kinds", [None, "exchange", ["exchange", "membership"]])
def test_kind_assortativity_equals_networkx_on_beispielregion(kinds):
    net = netkoop.load("beispielregion")
    expected = nx.attribute_assortativity_coefficient(net.graph(kinds, multigraph=False), "kind")
    value = kind_assortativity(net, kinds=kinds)
    assert type(value) is float
    assert value == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_kind_assortativity_equals_networkx_on_random_networks(seed):
    net = random_kinds_network(seed)
    graph = net.graph(multigraph=False)
    expected = nx.attribute_assortativity_coefficient(graph, "kind")
    assert kind_assortativity(net) == pytest.approx(expected, abs=1e-12)


def test_kind_assortativity_is_nan_when_undefined(mixing_net):
    assert math.isnan(kind_assortativity(mixing_net, kinds="shared_staff"))  # no ties
    only_gemeinden = build(
        [("A", "landkreis", None), ("a1", "gemeinde", "A"), ("a2", "gemeinde", "A")],
        [("a1", "a2", "exchange")],
    )
    assert math.isnan(kind_assortativity(only_gemeinden))
    across = build(MIXING_UNITS, [("S", "A", "exchange")])
    assert kind_assortativity(across) == -1.0
