"""The Network: tables, graph views, and what-if edits that never change their input."""

from __future__ import annotations

import re

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netkoop
from netkoop import Network, NetworkEditError, ScenarioError


@pytest.fixture
def net(minimal) -> Network:
    return netkoop.load(minimal)


def snapshot(network: Network) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return network.units.copy(), network.ties.copy(), network.flows.copy()


def assert_unchanged(network: Network, before: tuple[pd.DataFrame, ...]) -> None:
    for now, then in zip(snapshot(network), before, strict=True):
        pd.testing.assert_frame_equal(now, then)


def test_tables_have_documented_columns_and_string_ids(net):
    units = net.units
    assert list(units.columns[:8]) == [
        "id",
        "name",
        "kind",
        "land",
        "parent",
        "population",
        "lat",
        "lon",
    ]
    assert units["id"].tolist() == ["09162", "09184", "09184119", "09184149", "ag-by"]
    assert units.loc[units["id"] == "09184119", "parent"].item() == "09184"
    assert list(net.ties.columns[:3]) == ["from", "to", "kind"]
    assert list(net.flows.columns) == ["from", "to", "commuters", "foreign"]
    assert net.flows["commuters"].tolist() == [71660, 30440]
    assert str(net.flows["foreign"].dtype) == "Int64"


def test_kreis_of_each_unit(net):
    kreis = net.kreis
    assert kreis["09162"] == "09162"
    assert kreis["09184"] == "09184"
    assert kreis["09184149"] == "09184"
    assert pd.isna(kreis["ag-by"])


def test_multigraph_keeps_parallel_ties_of_different_kinds(write_scenario):
    path = write_scenario(
        """
        units:
          - {id: a, name: A, kind: landkreis, land: BY}
          - {id: b, name: B, kind: kreisfreie_stadt, land: BY}
        ties:
          - {from: a, to: b, kind: exchange}
          - {from: a, to: b, kind: joint_project}
          - {from: b, to: a, kind: service_opening}
        """
    )
    net = netkoop.load(path)
    graph = net.graph()
    assert isinstance(graph, nx.MultiGraph)
    assert graph.number_of_edges("a", "b") == 3
    assert sorted(d["kind"] for _, _, d in graph.edges(data=True)) == [
        "exchange",
        "joint_project",
        "service_opening",
    ]
    assert set(graph["a"]["b"]) == {0, 1, 2}  # keys are the rows of net.ties


def test_graph_filters_by_kind_and_keeps_all_units_as_nodes(net):
    graph = net.graph("membership")
    assert graph.number_of_nodes() == 5
    assert sorted(graph.edges()) == [("09162", "ag-by"), ("09184", "ag-by")]
    assert net.graph(["exchange", "service_opening"]).number_of_edges() == 2
    assert graph.nodes["09162"]["population"] == 1510378
    assert "parent" not in graph.nodes["09162"]  # missing values are not attributes


def test_directed_graph_runs_directed_kinds_one_way_and_others_both_ways(net):
    digraph = net.graph(directed=True)
    assert digraph.has_edge("09162", "09184")  # service_opening: provider -> served
    assert not digraph.has_edge("09184", "09162")
    assert digraph.has_edge("09184119", "09184149")
    assert digraph.has_edge("09184149", "09184119")
    assert digraph.number_of_edges() == 5  # 3 directed ties + one exchange tie both ways


def test_simple_graph_merges_ties_into_weighted_edges(write_scenario):
    path = write_scenario(
        """
        units:
          - {id: a, name: A, kind: landkreis, land: BY}
          - {id: b, name: B, kind: kreisfreie_stadt, land: BY}
        ties:
          - {from: a, to: b, kind: exchange}
          - {from: b, to: a, kind: exchange, level: operational}
          - {from: a, to: b, kind: shared_material}
        """
    )
    graph = netkoop.load(path).graph(multigraph=False)
    assert type(graph) is nx.Graph
    assert graph["a"]["b"] == {"weight": 3, "kinds": ("exchange", "shared_material")}


def test_graph_views_are_frozen_and_cached(net):
    graph = net.graph()
    assert nx.is_frozen(graph)
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("x", "y")
    assert net.graph() is graph
    copy = graph.copy()
    copy.add_edge("x", "y")
    assert not graph.has_node("x")


def test_graph_rejects_unknown_tie_kind(net):
    with pytest.raises(NetworkEditError, match=r"unknown tie kind.*cooperation"):
        net.graph("cooperation")


def test_add_ties_returns_new_network_and_leaves_input_unchanged(net):
    before = snapshot(net)
    grown = net.add_ties(
        [{"from": "09184", "to": "09184119", "kind": "exchange", "intensity": "intensive"}]
    )
    assert_unchanged(net, before)
    assert len(grown.ties) == len(net.ties) + 1
    added = grown.ties.iloc[-1]
    assert (added["from"], added["to"], added["kind"], added["intensity"]) == (
        "09184",
        "09184119",
        "exchange",
        "intensive",
    )
    assert grown.graph().number_of_edges() == net.graph().number_of_edges() + 1


def test_add_ties_validates_rows(net):
    with pytest.raises(ScenarioError) as caught:
        net.add_ties(
            [
                {"from": "09184", "to": "99999", "kind": "exchange"},
                {"from": "09184", "to": "09162", "kind": "friendship"},
            ]
        )
    messages = [str(p) for p in caught.value.errors]
    assert any("added ties, row 1" in m and "'to'" in m and "unknown unit" in m for m in messages)
    assert any("added ties, row 2" in m and "'friendship'" in m for m in messages)


def test_remove_ties_matches_either_direction_for_undirected_kinds(net):
    smaller = net.remove_ties([{"from": "09184149", "to": "09184119", "kind": "exchange"}])
    assert len(smaller.ties) == len(net.ties) - 1
    assert "exchange" not in smaller.ties["kind"].tolist()


def test_remove_ties_respects_direction_of_directed_kinds(net):
    with pytest.raises(NetworkEditError, match="no tie matches from=09184, to=09162"):
        net.remove_ties([{"from": "09184", "to": "09162", "kind": "service_opening"}])


def test_remove_units_removes_their_ties_and_flows(net):
    before = snapshot(net)
    smaller = net.remove_units("09162")
    assert_unchanged(net, before)
    assert "09162" not in smaller.units["id"].tolist()
    assert not smaller.ties[["from", "to"]].isin(["09162"]).any().any()
    assert smaller.flows.empty
    assert len(smaller.ties) == 2


def test_remove_units_refuses_to_orphan_gemeinden(net):
    with pytest.raises(NetworkEditError, match="09184119, 09184149"):
        net.remove_units("09184")
    assert len(net.remove_units(["09184", "09184119", "09184149"]).units) == 2


def test_add_units_checks_parent_rules(net):
    grown = net.add_units(
        [{"id": "09184150", "name": "Neu", "kind": "gemeinde", "land": "BY", "parent": "09184"}]
    )
    assert grown.units["land"].iloc[-1] == "09"
    with pytest.raises(ScenarioError, match="parent must be a Landkreis"):
        net.add_units(
            [{"id": "x", "name": "X", "kind": "gemeinde", "land": "09", "parent": "09162"}]
        )


def test_from_tables_builds_the_same_network_as_a_scenario_file(minimal):
    loaded = netkoop.load(minimal)
    built = Network.from_tables(loaded.units, loaded.ties, loaded.flows, metadata=loaded.metadata)
    assert built.equals(loaded)


UNIT_IDS = ["09162", "09184", "09184119", "09184149", "ag-by"]
KINDS = ["exchange", "shared_staff", "joint_project", "shared_material"]

tie_rows = st.lists(
    st.tuples(
        st.sampled_from(UNIT_IDS[:4]), st.sampled_from(UNIT_IDS[:4]), st.sampled_from(KINDS)
    ).filter(lambda t: t[0] != t[1]),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=tie_rows)
def test_edits_never_change_their_input(net, rows):
    before = snapshot(net)
    rows = [{"from": a, "to": b, "kind": k, "source": "what-if"} for a, b, k in rows]
    added = net.add_ties(rows)
    assert len(added.ties) == len(net.ties) + len(rows)
    back = added.remove_ties(rows)
    assert_unchanged(net, before)
    pd.testing.assert_frame_equal(back.ties, net.ties)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(gone=st.sets(st.sampled_from(["09162", "09184149", "09184119", "ag-by"]), min_size=1))
def test_removing_units_removes_exactly_their_ties(net, gone):
    smaller = net.remove_units(sorted(gone))
    ties = net.ties
    touching = ties["from"].isin(gone) | ties["to"].isin(gone)
    pd.testing.assert_frame_equal(smaller.ties, ties[~touching].reset_index(drop=True))
    assert set(smaller.units["id"]) == set(UNIT_IDS) - gone


# --- display in a notebook ----------------------------------------------------------------


def summary_rows(table: str) -> list[tuple[str, str, str]]:
    """The rows of a summary table: (cell tag, label, number)."""
    return re.findall(r"<tr><(th|td)>(.*?)</\1><\1>(.*?)</\1></tr>", table)


def test_a_notebook_shows_units_and_ties_by_kind_and_the_flows_by_hand():
    region = netkoop.load("beispielregion")
    table = region._repr_html_()
    # units.csv: Musterstadt, Landkreise Nordheide and Südmarsch, 8 Gemeinden (4 in each);
    # scenario.yaml: the forums lag-ni and buko. ties.csv: 21 rows. flows.csv: 18 rows.
    assert summary_rows(table) == [
        ("th", "Einheiten", "13"),
        ("td", "Landkreis", "2"),
        ("td", "kreisfreie Stadt", "1"),
        ("td", "kreisangehörige Gemeinde", "8"),
        ("td", "Austauschformat", "2"),
        ("th", "Verbindungen", "21"),
        ("td", "Erfahrungsaustausch", "12"),
        ("td", "geteilte Stelle", "1"),
        ("td", "gemeinsames Projekt", "1"),
        ("td", "geteiltes Material", "1"),
        ("td", "Öffnung von Angeboten", "1"),
        ("td", "Mitgliedschaft", "5"),  # 4 to lag-ni, musterstadt to buko
        ("th", "Pendlerströme", "18"),
        ("td", "Pendler", "65.740"),  # the commuters column summed
    ]
    assert "<caption>Beispielregion (fiktiv) <code>beispielregion</code></caption>" in table
    assert repr(region) == "<Network 'beispielregion': 13 units, 21 ties, 18 flows>"


def test_the_notebook_table_escapes_names_and_counts_borders():
    units = [
        {"id": "a", "name": "A", "kind": "landkreis", "land": "09"},
        {"id": "b", "name": "B", "kind": "landkreis", "land": "09"},
    ]
    metadata = netkoop.Metadata(name="x<y", title="<svg onload=alert(1)>")
    network = Network.from_tables(units, metadata=metadata).with_tables(
        borders=pd.DataFrame({"from": ["a"], "to": ["b"], "length_km": [3.5]})
    )
    table = network._repr_html_()
    assert "<svg" not in table
    assert "&lt;svg onload=alert(1)&gt;" in table
    assert "<code>x&lt;y</code>" in table
    assert summary_rows(table) == [
        ("th", "Einheiten", "2"),
        ("td", "Landkreis", "2"),
        ("th", "Verbindungen", "0"),
        ("th", "Pendlerströme", "0"),
        ("th", "Grenzen", "1"),
    ]
