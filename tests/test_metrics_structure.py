"""Structure metrics: hand-computed values and cross-checks against networkx on random graphs."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netkoop
from netkoop import Network
from netkoop._errors import NetworkEditError
from netkoop.metrics.engine import tie_graph
from netkoop.metrics.structure import (
    KIND_COLUMNS,
    UNIT_COLUMNS,
    bridges,
    overall_structure,
    structure_by_tie_kind,
    unit_structure,
)

TIGHT: dict[str, Any] = {"rel": 1e-12, "abs": 1e-12}

#: (units, ties, seed) of random graphs: connected ones, sparse ones with several components and
#: isolates, and one with components of equal size.
RANDOM_GRAPHS = [
    (30, 80, 1),
    (40, 120, 2),
    (50, 45, 3),
    (60, 55, 4),
    (25, 20, 5),
    (80, 100, 6),
    (12, 4, 7),
]


def network_of(
    edges: Iterable[tuple[Any, ...]], nodes: Iterable[object] = (), **tie_columns: Any
) -> Network:
    """Build a network of Landkreise in Bayern with exchange ties (or the kinds in edges).

    Each edge is (a, b) or (a, b, kind) or (a, b, kind, intensity); nodes lists every unit in
    order (units in edges but not in nodes follow in order of appearance).
    """
    edges = list(edges)
    order = list(dict.fromkeys([*nodes, *(end for edge in edges for end in edge[:2])]))
    units = [{"id": str(u), "name": f"Kreis {u}", "kind": "landkreis", "land": "09"} for u in order]
    ties = []
    for edge in edges:
        row = {"from": str(edge[0]), "to": str(edge[1]), "kind": "exchange", **tie_columns}
        if len(edge) > 2:
            row["kind"] = edge[2]
        if len(edge) > 3:
            row["intensity"] = edge[3]
        ties.append(row)
    return Network.from_tables(units, ties or None)


def uid(node: object) -> str:
    """The unit id of a networkx node (plain numbers would read as official keys)."""
    return node if isinstance(node, str) else f"n{node}"


def from_nx(graph: nx.Graph[int]) -> Network:
    return network_of(((uid(a), uid(b)) for a, b in graph.edges), nodes=map(uid, graph.nodes))


def by_id(values: Mapping[Any, Any]) -> pd.Series:
    return pd.Series({uid(k): v for k, v in values.items()})


def path3() -> Network:
    return network_of([("a", "b"), ("b", "c")])


# --- hand-computed values ------------------------------------------------------------------


def test_path_of_three() -> None:
    units = unit_structure(path3())
    assert list(units.index) == ["a", "b", "c"]
    assert units["betweenness"].tolist() == [0.0, 1.0, 0.0]
    assert units["closeness"].tolist() == pytest.approx([2 / 3, 1.0, 2 / 3], **TIGHT)
    assert units["eigenvector"].tolist() == pytest.approx([0.5, math.sqrt(0.5), 0.5], **TIGHT)
    assert units["degree"].tolist() == [1, 2, 1]
    assert units["core_number"].tolist() == [1, 1, 1]
    assert units["articulation"].tolist() == [False, True, False]
    assert units["component"].tolist() == [0, 0, 0]
    assert len(bridges(path3())) == 2


def test_star() -> None:
    star = network_of([("hub", leaf) for leaf in "abcd"])
    units = unit_structure(star)
    assert units.loc["hub", "betweenness"] == 1.0
    assert units.loc[list("abcd"), "betweenness"].tolist() == [0.0] * 4
    # a leaf reaches the hub at 1 and three leaves at 2
    assert units["closeness"].tolist() == pytest.approx([1.0] + [4 / 7] * 4, **TIGHT)
    assert units["articulation"].tolist() == [True] + [False] * 4
    assert units["clustering"].tolist() == [0.0] * 5
    overall = overall_structure(star)
    assert overall["bridges"] == 4
    assert overall["transitivity"] == 0.0
    assert overall["density"] == pytest.approx(4 / 10, **TIGHT)


def test_two_triangles_joined_by_a_bridge() -> None:
    net = network_of(
        [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")]
    )
    units = unit_structure(net)
    assert units.index[units["articulation"]].tolist() == ["c", "d"]
    # c lies on the paths of the 6 pairs {a, b} x {d, e, f}, of the 10 pairs apart from c
    assert units.loc[["c", "d"], "betweenness"].tolist() == pytest.approx([0.6, 0.6], **TIGHT)
    assert units["core_number"].tolist() == [2] * 6
    assert bridges(net)[["from", "to"]].to_numpy().tolist() == [["c", "d"]]
    overall = overall_structure(net)
    # 2 triangles, 10 connected triples (1 at a, b, e, f; 3 at c and d)
    assert overall["transitivity"] == pytest.approx(0.6, **TIGHT)
    assert (overall["bridges"], overall["articulation_points"]) == (1, 2)


def test_disconnected_graph_with_an_isolate() -> None:
    """Closeness scaled by the share reached (Wasserman–Faust); eigenvector on the largest part."""
    net = network_of([("a", "b"), ("b", "c"), ("d", "e")], nodes=["f"])
    units = unit_structure(net).loc[list("abcdef")]
    n = 6
    expected = [
        2 / 3 * 2 / (n - 1),
        2 / 2 * 2 / (n - 1),
        2 / 3 * 2 / (n - 1),
        1 / (n - 1),
        1 / (n - 1),
        0,
    ]
    assert units["closeness"].tolist() == pytest.approx(expected, **TIGHT)
    assert units["component"].tolist() == [0, 0, 0, 1, 1, 2]
    assert units["eigenvector"].tolist() == pytest.approx(
        [0.5, math.sqrt(0.5), 0.5, 0, 0, 0], **TIGHT
    )
    assert units["betweenness"].tolist() == pytest.approx([0, 1 / 10, 0, 0, 0, 0], **TIGHT)
    overall = overall_structure(net)
    assert (overall["components"], overall["isolates"], overall["largest_component"]) == (3, 1, 3)


def test_equal_components_are_labelled_in_unit_order() -> None:
    net = network_of([("c", "d"), ("a", "b")], nodes=["x", "c", "d", "a", "b"])
    assert unit_structure(net)["component"].tolist() == [2, 0, 0, 1, 1]


def test_parallel_ties_count_in_degree_and_are_no_bridge() -> None:
    net = network_of(
        [
            ("a", "b", "exchange", "intensive"),
            ("a", "b", "shared_staff"),
            ("b", "c", "joint_project", "regular"),
            ("c", "d", "exchange", "occasional"),
        ]
    )
    units = unit_structure(net)
    assert units["degree"].tolist() == [2, 3, 2, 1]
    assert units["neighbours"].tolist() == [1, 2, 2, 1]
    # intensive 3, missing 1, regular 2, occasional 1
    assert units["weighted_degree"].tolist() == [4, 6, 3, 1]
    assert dict(net.graph().degree) == units["degree"].to_dict()
    found = bridges(net)
    assert found.to_dict("records") == [
        {"from": "b", "to": "c", "kind": "joint_project"},
        {"from": "c", "to": "d", "kind": "exchange"},
    ]
    assert list(found.index) == [2, 3]  # rows of net.ties
    expected = {frozenset(pair) for pair in nx.bridges(net.graph())}
    assert {frozenset(pair) for pair in found[["from", "to"]].to_numpy().tolist()} == expected
    overall = overall_structure(net)
    assert (overall["ties"], overall["pairs"], overall["bridges"]) == (4, 3, 2)


def test_kinds_restrict_the_ties() -> None:
    net = network_of([("a", "b", "exchange"), ("b", "c", "joint_project"), ("c", "a", "exchange")])
    units = unit_structure(net, kinds="exchange")
    assert units["degree"].tolist() == [2, 1, 1]
    assert units["betweenness"].tolist() == [1.0, 0.0, 0.0]
    assert unit_structure(net, kinds=["exchange", "joint_project"]).equals(unit_structure(net))
    assert overall_structure(net, kinds="joint_project")["isolates"] == 1
    assert bridges(net, kinds="exchange")["kind"].tolist() == ["exchange", "exchange"]
    assert bridges(net).empty


def test_structure_by_tie_kind() -> None:
    net = network_of(
        [("a", "b", "exchange"), ("b", "c", "exchange"), ("a", "b", "joint_project")],
        nodes=["a", "b", "c", "d"],
    )
    table = structure_by_tie_kind(net)
    assert list(table.columns) == list(KIND_COLUMNS)
    assert table.index.name == "kind"
    assert table.to_dict("index") == {
        "exchange": {
            "ties": 2,
            "units": 3,
            "pairs": 2,
            "density": pytest.approx(2 / 6),
            "components": 2,
            "isolates": 1,
            "largest_component": 3,
            "transitivity": 0.0,
        },
        "joint_project": {
            "ties": 1,
            "units": 2,
            "pairs": 1,
            "density": pytest.approx(1 / 6),
            "components": 3,
            "isolates": 2,
            "largest_component": 2,
            "transitivity": 0.0,
        },
    }


def test_structure_without_ties() -> None:
    net = network_of([], nodes=["a", "b", "c"])
    units = unit_structure(net)
    assert list(units.columns) == list(UNIT_COLUMNS)
    assert units[["degree", "betweenness", "closeness", "eigenvector"]].to_numpy().sum() == 0
    assert units["component"].tolist() == [0, 1, 2]
    assert overall_structure(net) == {
        "units": 3,
        "ties": 0,
        "pairs": 0,
        "density": 0.0,
        "components": 3,
        "isolates": 3,
        "largest_component": 1,
        "transitivity": 0.0,
        "average_clustering": 0.0,
        "bridges": 0,
        "articulation_points": 0,
    }
    assert structure_by_tie_kind(net).empty
    assert list(structure_by_tie_kind(net).columns) == list(KIND_COLUMNS)
    assert list(bridges(net).columns) == ["from", "to", "kind"]


def test_bundled_scenario_columns_and_plain_values() -> None:
    net = netkoop.load("beispielregion")
    units = unit_structure(net)
    assert list(units.columns) == list(UNIT_COLUMNS)
    assert units.index.name == "id"
    assert list(units.index) == list(net.units["id"])
    assert units["articulation"].dtype == bool
    for column in ("degree", "neighbours", "weighted_degree", "core_number", "component"):
        assert units[column].dtype == np.int64
    overall = overall_structure(net)
    for value in overall.values():
        assert type(value) in (int, float)
    assert overall["ties"] == len(net.ties)


# --- the engine adapter -------------------------------------------------------------------


def test_engine_graph_is_converted_once_per_kind_selection() -> None:
    net = netkoop.load("beispielregion")
    assert tie_graph(net) is tie_graph(net)
    assert tie_graph(net, "exchange") is tie_graph(net, ["exchange"])
    assert tie_graph(net, "exchange") is not tie_graph(net)
    assert list(tie_graph(net).ids) == list(net.units["id"])


def test_eigenvector_is_repeatable_and_leaves_random_alone() -> None:
    graph = nx.gnm_random_graph(200, 800, seed=21)
    state = random.getstate()
    runs = [from_nx(graph) for _ in range(3)]  # separate networks: converted anew each time
    values = [tie_graph(net).eigenvector() for net in runs]
    assert random.getstate() == state
    for other in values[1:]:
        pd.testing.assert_series_equal(other, values[0], check_exact=True)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(NetworkEditError, match=r"unknown tie kind.*friendship"):
        unit_structure(path3(), kinds="friendship")


# --- cross-checks against networkx --------------------------------------------------------


@pytest.fixture(params=RANDOM_GRAPHS, ids=lambda p: "n{}-m{}-seed{}".format(*p))
def random_graph(request: pytest.FixtureRequest) -> nx.Graph[int]:
    n, m, seed = request.param
    graph: nx.Graph[int] = nx.gnm_random_graph(n, m, seed=seed)
    return graph


def test_random_graphs_cover_connected_and_disconnected() -> None:
    connected = [nx.is_connected(nx.gnm_random_graph(n, m, seed=s)) for n, m, s in RANDOM_GRAPHS]
    assert any(connected)
    assert not all(connected)


def test_unit_measures_match_networkx(random_graph: nx.Graph[int]) -> None:
    units = unit_structure(from_nx(random_graph))
    expected = {
        "betweenness": nx.betweenness_centrality(random_graph),
        "closeness": nx.closeness_centrality(random_graph),
        "clustering": nx.clustering(random_graph),
        "core_number": nx.core_number(random_graph),
        "degree": dict(random_graph.degree),
    }
    for column, values in expected.items():
        reference = by_id(values)
        assert units[column].tolist() == pytest.approx(reference[units.index].tolist(), **TIGHT)
    cut = {uid(u) for u in nx.articulation_points(random_graph)}
    assert set(units.index[units["articulation"]]) == cut


def test_components_match_networkx(random_graph: nx.Graph[int]) -> None:
    units = unit_structure(from_nx(random_graph))
    parts = {frozenset(uid(u) for u in part) for part in nx.connected_components(random_graph)}
    labels = units.groupby("component").groups
    assert {frozenset(ids) for ids in labels.values()} == parts
    sizes = units["component"].value_counts().sort_index().tolist()
    assert sizes == sorted(sizes, reverse=True)


def test_eigenvector_matches_networkx(random_graph: nx.Graph[int]) -> None:
    """On the largest component as networkx on that subgraph; 0 elsewhere."""
    units = unit_structure(from_nx(random_graph))
    largest = units.index[units["component"] == 0]
    nodes = [int(u[1:]) for u in largest]
    assert len(nodes) == max(len(c) for c in nx.connected_components(random_graph))
    reference = by_id(
        nx.eigenvector_centrality(random_graph.subgraph(nodes), max_iter=100_000, tol=1e-14)
    )
    assert units.loc[largest, "eigenvector"].tolist() == pytest.approx(
        reference[largest].tolist(), rel=1e-9, abs=1e-9
    )
    assert (units.loc[units["component"] != 0, "eigenvector"] == 0).all()


@pytest.mark.parametrize(("n", "m", "seed"), [(30, 80, 1), (40, 120, 2), (50, 300, 8)])
def test_eigenvector_on_connected_graphs_matches_networkx(n: int, m: int, seed: int) -> None:
    graph = nx.gnm_random_graph(n, m, seed=seed)
    assert nx.is_connected(graph)
    units = unit_structure(from_nx(graph))
    reference = by_id(nx.eigenvector_centrality(graph, max_iter=100_000, tol=1e-14))
    assert units["eigenvector"].tolist() == pytest.approx(
        reference[units.index].tolist(), rel=1e-9, abs=1e-9
    )
    assert np.linalg.norm(units["eigenvector"]) == pytest.approx(1.0, **TIGHT)


def test_overall_measures_match_networkx(random_graph: nx.Graph[int]) -> None:
    net = from_nx(random_graph)
    overall = overall_structure(net)
    assert overall["units"] == random_graph.number_of_nodes()
    assert overall["ties"] == overall["pairs"] == random_graph.number_of_edges()
    assert overall["density"] == pytest.approx(nx.density(random_graph), **TIGHT)
    assert overall["components"] == nx.number_connected_components(random_graph)
    assert overall["isolates"] == nx.number_of_isolates(random_graph)
    assert overall["largest_component"] == max(
        len(c) for c in nx.connected_components(random_graph)
    )
    assert overall["transitivity"] == pytest.approx(nx.transitivity(random_graph), **TIGHT)
    assert overall["average_clustering"] == pytest.approx(
        nx.average_clustering(random_graph), **TIGHT
    )
    assert overall["articulation_points"] == len(set(nx.articulation_points(random_graph)))
    assert overall["bridges"] == len(list(nx.bridges(random_graph)))
    found = {frozenset(p) for p in bridges(net)[["from", "to"]].to_numpy().tolist()}
    assert found == {frozenset((uid(a), uid(b))) for a, b in nx.bridges(random_graph)}


# --- sampled betweenness ------------------------------------------------------------------


def test_sampled_betweenness_is_seeded() -> None:
    net = from_nx(nx.gnm_random_graph(60, 120, seed=11))
    first = unit_structure(net, betweenness="sampled", samples=10, seed=3)
    again = unit_structure(net, betweenness="sampled", samples=10, seed=3)
    other = unit_structure(net, betweenness="sampled", samples=10, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first["betweenness"].equals(other["betweenness"])
    exact = unit_structure(net)
    pd.testing.assert_frame_equal(
        first.drop(columns="betweenness"), exact.drop(columns="betweenness")
    )


def test_sampled_betweenness_with_every_unit_is_exact() -> None:
    net = from_nx(nx.gnm_random_graph(40, 70, seed=12))
    exact = unit_structure(net)["betweenness"]
    for samples in (40, 100):
        sampled = unit_structure(net, betweenness="sampled", samples=samples, seed=1)
        assert sampled["betweenness"].tolist() == pytest.approx(exact.tolist(), **TIGHT)


@pytest.mark.parametrize(("k", "seed"), [(2, 1), (5, 2), (17, 3), (39, 4)])
def test_sampled_betweenness_scales_as_networkx(k: int, seed: int) -> None:
    """The same sources as networkx's k samples give networkx's values."""
    graph = nx.gnm_random_graph(40, 70, seed=13)
    sources = random.Random(seed).sample(list(graph), k)  # noqa: S311 - networkx's own draw
    engine = tie_graph(from_nx(graph)).betweenness(np.array(sources))
    reference = by_id(nx.betweenness_centrality(graph, k=k, seed=seed))
    assert engine.tolist() == pytest.approx(reference[engine.index].tolist(), **TIGHT)


def test_sampled_betweenness_default_sample_and_small_graphs() -> None:
    exact = unit_structure(path3())
    sampled = unit_structure(path3(), betweenness="sampled", seed=1)
    pd.testing.assert_frame_equal(sampled, exact)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"betweenness": "approximate"},
            "betweenness must be 'exact' or 'sampled', not 'approximate'",
        ),
        ({"samples": 10}, "samples is only used with betweenness='sampled'"),
        ({"betweenness": "sampled", "samples": 1}, "samples must be at least 2, not 1"),
    ],
)
def test_bad_betweenness_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        unit_structure(path3(), **options)
