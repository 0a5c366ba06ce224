"""Tests of netkoop.whatif.recommend: greedy new ties checked against brute force."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pandas as pd
import pytest

import netkoop
from netkoop._errors import MetricsError
from netkoop.metrics import commuting_gap
from netkoop.model.network import Network
from netkoop.whatif.recommend import RECOMMEND_COLUMNS, recommend

TIE_COLUMNS = ["from", "to", "kind"]


def make(
    n: int, ties: list[tuple[int, int]], flows: list[tuple[int, int, int]] | None = None
) -> Network:
    """Build a network of units u0..u{n-1} with exchange ties and commuter flows."""
    units = [
        {"id": f"u{i}", "name": f"Unit {i}", "kind": "landkreis", "land": "09"} for i in range(n)
    ]
    tie_rows = [{"from": f"u{a}", "to": f"u{b}", "kind": "exchange"} for a, b in ties]
    flow_rows = [{"from": f"u{a}", "to": f"u{b}", "commuters": c} for a, b, c in flows or []]
    return Network.from_tables(
        units,
        pd.DataFrame(tie_rows, columns=TIE_COLUMNS),
        pd.DataFrame(flow_rows, columns=["from", "to", "commuters"]),
    )


def random_network(seed: int) -> Network:
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    n = rng.randint(5, 8)
    pairs = list(itertools.combinations(range(n), 2))
    ties = rng.sample(pairs, rng.randint(0, n))
    flows = []
    for a, b in pairs:
        for home, work in ((a, b), (b, a)):
            if rng.random() < 0.35:
                # Few distinct volumes, so that equal scores and tie-breaking occur.
                flows.append((home, work, rng.choice([10, 20, 30])))
    return make(n, ties, flows)


def order(network: Network) -> dict[str, int]:
    return {unit: i for i, unit in enumerate(network.units["id"])}


def untied_pairs(network: Network) -> list[tuple[str, str]]:
    """Every pair of units without a tie, in unit order."""
    graph = network.graph()
    return [
        (a, b)
        for a, b in itertools.combinations(network.units["id"], 2)
        if not graph.has_edge(a, b)
    ]


def pair_commuters(network: Network) -> dict[frozenset[str], int]:
    out: dict[frozenset[str], int] = {}
    for row in network.flows.itertuples(index=False):
        key = frozenset((row[0], row[1]))
        out[key] = out.get(key, 0) + int(row[2])
    return out


def disconnection(network: Network) -> int:
    """Sum over units of the units they cannot reach: sum of s * (n - s) over components."""
    n = len(network.units)
    return sum(len(c) * (n - len(c)) for c in nx.connected_components(network.graph()))


def with_tie(network: Network, a: str, b: str) -> Network:
    return network.add_ties([{"from": a, "to": b, "kind": "exchange"}])


def best_connectivity_tie(network: Network) -> tuple[str, str] | None:
    """The best single tie by brute force: least disconnection, most commuters, unit order."""
    commuters = pair_commuters(network)
    before = disconnection(network)
    scored = []
    for a, b in untied_pairs(network):
        gain = before - disconnection(with_tie(network, a, b))
        scored.append((-gain, -commuters.get(frozenset((a, b)), 0), a, b))
    if not scored:
        return None
    where = order(network)
    best = min(scored, key=lambda s: (s[0], s[1], where[s[2]], where[s[3]]))
    return None if best[0] == 0 else (best[2], best[3])


SEEDS = range(25)


@pytest.mark.parametrize("seed", SEEDS)
def test_coverage_is_best_set_and_first_is_best_single(seed: int) -> None:
    network = random_network(seed)
    commuters = pair_commuters(network)
    candidates = [p for p in untied_pairs(network) if commuters.get(frozenset(p), 0) > 0]
    for k in (1, 2, 3):
        result = recommend(network, k=k).ties
        assert len(result) == min(k, len(candidates))
        chosen = list(zip(result["from"], result["to"], strict=True))
        assert set(chosen) <= set(candidates)
        got = sum(commuters[frozenset(p)] for p in chosen)
        best = max(
            (
                sum(commuters[frozenset(p)] for p in subset)
                for subset in itertools.combinations(candidates, min(k, len(candidates)))
            ),
            default=0,
        )
        assert got == best
        assert result["commuters"].tolist() == [commuters[frozenset(p)] for p in chosen]
    if candidates:
        first = recommend(network, k=1).ties
        top = max(commuters[frozenset(p)] for p in candidates)
        # Equal volumes: the earliest pair in unit order.
        assert tuple(first[["from", "to"]].iloc[0]) == next(
            p for p in candidates if commuters[frozenset(p)] == top
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_connectivity_each_step_is_best_single_addition(seed: int) -> None:
    network = random_network(seed)
    result = recommend(network, k=3, objective="connectivity").ties
    current = network
    for row in result.to_dict("records"):
        assert best_connectivity_tie(current) == (row["from"], row["to"])
        before = disconnection(current)
        current = with_tie(current, row["from"], row["to"])
        assert before - disconnection(current) == 2 * row["pairs_connected"]
        assert row["components"] == nx.number_connected_components(current.graph())
    if len(result) < 3:
        # Stopped early only because the network became connected.
        assert best_connectivity_tie(current) is None
        assert nx.is_connected(current.graph())


def test_connectivity_joins_the_two_largest_components_with_commuters() -> None:
    # Components {0,1,2}, {3,4}, {5,6}, {7}; flows 2-6 (5) and 0-4 (9), 1-7 (100).
    network = make(
        8, [(0, 1), (1, 2), (3, 4), (5, 6)], [(2, 6, 5), (0, 4, 9), (4, 0, 1), (1, 7, 100)]
    )
    result = recommend(network, k=3, objective="connectivity").ties
    assert result[["from", "to"]].values.tolist() == [["u0", "u4"], ["u2", "u6"], ["u1", "u7"]]
    assert result["commuters"].tolist() == [10, 5, 100]
    assert result["size_from"].tolist() == [3, 5, 7]
    assert result["size_to"].tolist() == [2, 2, 1]
    assert result["pairs_connected"].tolist() == [6, 10, 7]
    assert result["components"].tolist() == [3, 2, 1]
    # Connected after three ties: asking for more gives no more.
    assert len(recommend(network, k=5, objective="connectivity").ties) == 3


@pytest.mark.parametrize("objective", ["connectivity", "commuter-coverage"])
def test_progress_reaches_k_also_when_fewer_ties_are_chosen(objective: str) -> None:
    network = make(
        8, [(0, 1), (1, 2), (3, 4), (5, 6)], [(2, 6, 5), (0, 4, 9), (4, 0, 1), (1, 7, 100)]
    )
    calls: list[tuple[int, int]] = []
    result = recommend(
        network, k=5, objective=objective, progress=lambda n, of: calls.append((n, of))
    )
    assert len(result.ties) == 3  # connected after three; three uncovered pairs
    if objective == "connectivity":  # one step per tie chosen, then the two not needed
        assert calls == [(0, 5), (1, 5), (1, 5), (1, 5), (2, 5)]
    else:  # chosen at once
        assert calls == [(0, 5), (5, 5)]


def test_connectivity_without_flows_takes_first_units() -> None:
    # Components {1,3}, {2,4}, {0}: the two of size 2 joined by their first units.
    network = make(5, [(1, 3), (2, 4)])
    result = recommend(network, k=2, objective="connectivity").ties
    assert result[["from", "to"]].values.tolist() == [["u1", "u2"], ["u0", "u1"]]
    assert result["commuters"].tolist() == [0, 0]
    assert math.isnan(float(result["coverage"].iloc[0]))


def test_coverage_reasons_by_hand() -> None:
    # 0-1 tied with 50; 1-2 has 30 + 40 = 70; 0-2 has 60; 2-3 has 10.
    network = make(4, [(0, 1)], [(0, 1, 50), (1, 2, 30), (2, 1, 40), (2, 0, 60), (3, 2, 10)])
    result = recommend(network, k=5).ties
    assert result[["from", "to"]].values.tolist() == [["u1", "u2"], ["u0", "u2"], ["u2", "u3"]]
    assert result["commuters"].tolist() == [70, 60, 10]
    assert result["coverage"].tolist() == pytest.approx([120 / 190, 180 / 190, 1.0])
    assert result["pairs_connected"].tolist() == [2, 0, 3]
    assert result["components"].tolist() == [2, 2, 1]
    assert list(result.columns) == list(RECOMMEND_COLUMNS)
    assert set(result["kind"]) == {"exchange"}


def test_coverage_starts_from_commuting_gap_on_bundled_scenario() -> None:
    network = netkoop.load("beispielregion")
    gap = commuting_gap(network, top=None)
    result = recommend(network, k=3, kind="joint_project").ties
    uncovered = gap.uncovered.head(3)
    assert result["commuters"].tolist() == uncovered["commuters"].tolist()
    assert result["coverage"].iloc[0] == pytest.approx(
        gap.coverage + uncovered["commuters"].iloc[0] / gap.pairs["commuters"].sum()
    )
    added = network.add_ties(result[["from", "to", "kind"]])
    assert commuting_gap(added).coverage == pytest.approx(result["coverage"].iloc[-1])


def test_candidates_restrict_the_choice() -> None:
    network = make(4, [(0, 1)], [(0, 2, 50), (1, 3, 40), (2, 3, 30)])
    result = recommend(network, k=3, candidates=[("u3", "u1"), ("u2", "u3"), ("u0", "u1")]).ties
    assert result[["from", "to"]].values.tolist() == [["u1", "u3"], ["u2", "u3"]]
    frame = pd.DataFrame({"from": ["u3"], "to": ["u2"]})
    joined = recommend(network, objective="connectivity", candidates=frame).ties
    assert joined[["from", "to"]].values.tolist() == [["u2", "u3"]]


def test_other_flow_column() -> None:
    network = netkoop.load("beispielregion")
    result = recommend(network, k=1, column="foreign").ties
    assert result[["from", "to", "commuters"]].values.tolist() == [["musterstadt", "auenfeld", 610]]


def test_before_figures_and_the_counted_kinds_by_hand() -> None:
    # Ties 0-1 (exchange) and 2-3 (joint_project); flows 0-1 50, 1-2 30, 2-3 20.
    network = make(4, [(0, 1)], [(0, 1, 50), (1, 2, 30), (2, 3, 20)])
    network = network.add_ties([{"from": "u2", "to": "u3", "kind": "joint_project"}])
    found = recommend(network, k=1)
    assert (found.commuters, found.components_before) == (100, 2)
    assert found.coverage_before == pytest.approx(70 / 100)
    assert found.counted is None
    only_exchange = recommend(network, k=1, ties="exchange")
    assert only_exchange.counted == ("exchange",)
    assert only_exchange.coverage_before == pytest.approx(50 / 100)
    assert only_exchange.components_before == 3
    assert only_exchange.ties[["from", "to"]].values.tolist() == [["u1", "u2"]]
    joined = recommend(network, k=5, objective="connectivity")
    assert (joined.components_before, joined.components_after) == (2, 1)


def test_adjacent_only_takes_neighbouring_pairs_and_needs_borders() -> None:
    network = make(3, [], [(0, 1, 50), (1, 2, 30)])
    with pytest.raises(MetricsError, match=r"adjacent_only \(--adjacent-only\) needs borders"):
        recommend(network, adjacent_only=True)
    bordered = netkoop.Network.from_tables(
        network.units, network.ties, network.flows, borders=[{"from": "u1", "to": "u2"}]
    )
    found = recommend(bordered, k=3, adjacent_only=True)
    assert found.adjacent_only
    assert found.ties[["from", "to", "commuters"]].values.tolist() == [["u1", "u2", 30]]


def test_input_unchanged() -> None:
    network = random_network(3)
    copy = random_network(3)
    recommend(network, k=3, objective="connectivity")
    recommend(network, k=3)
    assert network.equals(copy)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"objective": "reach"}, "unknown objective 'reach'; objectives: commuter-coverage"),
        ({"k": 0}, "k must be a whole number of at least 1; got 0"),
        ({"k": 1.5}, "k must be a whole number"),
        ({"column": "cars"}, "no flow column 'cars'; flow columns: commuters, foreign"),
        ({"kind": "friendship"}, "unknown tie kind 'friendship'; tie kinds: exchange"),
        ({"candidates": [("musterstadt", "atlantis")]}, "unknown unit id.*atlantis"),
        ({"candidates": pd.DataFrame({"a": ["x"]})}, "candidates need columns from and to"),
    ],
)
def test_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(MetricsError, match=message):
        recommend(netkoop.load("beispielregion"), **options)  # type: ignore[arg-type]
