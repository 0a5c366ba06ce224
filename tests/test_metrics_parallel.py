"""Betweenness and closeness over several worker processes equal the one-process values exactly."""

from __future__ import annotations

import pickle
from typing import Any, ClassVar

import joblib
import networkx as nx
import numpy as np
import pytest

import netkoop
from netkoop._errors import MetricsError
from netkoop.metrics import Options, metrics_report
from netkoop.metrics import engine as engine_module
from netkoop.metrics.engine import PARTS, SPREAD_FROM, tie_graph
from netkoop.metrics.structure import unit_structure
from tests.test_metrics_structure import TIGHT, by_id, from_nx

#: (units, edges, seed): above `SPREAD_FROM` (units × pairs), so that the parts really go to
#: workers; sparse enough for several components and isolates, dense enough for one large one.
LARGE_GRAPHS = [(1_500, 1_800, 11), (2_000, 3_000, 12), (1_200, 4_000, 13)]


class CountingParallel(joblib.Parallel):  # type: ignore[misc]
    """joblib.Parallel that records how many workers each call of the engine asked for."""

    asked: ClassVar[list[int]] = []

    def __init__(self, n_jobs: int | None = None, **kwargs: Any) -> None:
        CountingParallel.asked.append(n_jobs or 0)
        super().__init__(n_jobs=n_jobs, **kwargs)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    CountingParallel.asked = []
    monkeypatch.setattr(engine_module.joblib, "Parallel", CountingParallel)
    return CountingParallel.asked


def bits(values: Any) -> bytes:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64)).tobytes()


@pytest.fixture(params=LARGE_GRAPHS, ids=lambda p: "n{}-m{}-seed{}".format(*p))
def large_graph(request: pytest.FixtureRequest) -> nx.Graph[int]:
    n, m, seed = request.param
    graph: nx.Graph[int] = nx.gnm_random_graph(n, m, seed=seed)
    return graph


def test_large_graphs_are_above_the_spreading_threshold(large_graph: nx.Graph[int]) -> None:
    assert large_graph.number_of_nodes() * large_graph.number_of_edges() >= SPREAD_FROM
    assert not nx.is_connected(large_graph)


def test_two_workers_give_the_same_bits_as_one(
    large_graph: nx.Graph[int], counted: list[int]
) -> None:
    network = from_nx(large_graph)
    one = unit_structure(network, jobs=1)
    assert counted == []  # one job runs every part in this process
    two = unit_structure(network, jobs=2)
    assert counted == [2]
    for column in ("betweenness", "closeness"):
        assert bits(two[column]) == bits(one[column]), column
    assert two.drop(columns=["betweenness", "closeness"]).equals(
        one.drop(columns=["betweenness", "closeness"])
    )


def test_threads_and_every_core_give_the_same_bits(large_graph: nx.Graph[int]) -> None:
    graph = tie_graph(from_nx(large_graph))
    one = graph.paths(jobs=1)
    with joblib.parallel_config(backend="threading"):
        threads = graph.paths(jobs=2)
    every = graph.paths(jobs=-1)
    for found in (threads, every):
        assert bits(found[0]) == bits(one[0])
        assert bits(found[1]) == bits(one[1])


def test_the_parts_add_up_to_one_call_of_the_engine(large_graph: nx.Graph[int]) -> None:
    """The sum over parts agrees with the engine's own single call (the independent reference)."""
    graph = tie_graph(from_nx(large_graph))
    between, close = graph.paths(jobs=2)
    n = graph.n
    whole = 2.0 * np.asarray(graph._graph.betweenness(directed=False)) / ((n - 1) * (n - 2))
    assert between.to_numpy() == pytest.approx(whole, **TIGHT)
    within = np.nan_to_num(np.asarray(graph._graph.closeness(normalized=True)))
    reached = graph.component_sizes[graph.component] - 1
    assert close.to_numpy() == pytest.approx(within * reached / (n - 1), **TIGHT)


def test_parts_of_a_small_graph_match_networkx(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the threshold lowered, a graph small enough for networkx goes to workers too."""
    monkeypatch.setattr(engine_module, "SPREAD_FROM", 0)
    graph: nx.Graph[int] = nx.gnm_random_graph(120, 160, seed=21)
    units = unit_structure(from_nx(graph), jobs=2)
    for column, reference in {
        "betweenness": nx.betweenness_centrality(graph),
        "closeness": nx.closeness_centrality(graph),
    }.items():
        expected = by_id(reference)[units.index]
        assert units[column].tolist() == pytest.approx(expected.tolist(), **TIGHT)
    assert units.equals(unit_structure(from_nx(graph), jobs=1))


@pytest.mark.parametrize(("k", "seed"), [(3, 1), (PARTS + 5, 2), (400, 3)])
def test_sampled_betweenness_over_workers(k: int, seed: int, counted: list[int]) -> None:
    network = from_nx(nx.gnm_random_graph(2_000, 2_600, seed=seed))
    options: dict[str, Any] = {"betweenness": "sampled", "samples": k, "seed": seed}
    one = unit_structure(network, **options)
    two = unit_structure(network, **options, jobs=2)
    assert counted == [2]
    assert bits(two["betweenness"]) == bits(one["betweenness"])
    assert bits(two["closeness"]) == bits(one["closeness"])


def test_the_report_is_the_same_whatever_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "SPREAD_FROM", 0)
    network = netkoop.load("beispielregion")
    one = metrics_report(network, options=Options(permutations=50))
    two = metrics_report(network, options=Options(permutations=50, jobs=2))
    assert two.to_json() == one.to_json()
    assert "jobs" not in Options(jobs=2).provenance()["options"]


@pytest.mark.parametrize("jobs", [0, -2, 1.5, True])
def test_bad_jobs_are_refused(jobs: Any) -> None:
    network = netkoop.load("beispielregion")
    with pytest.raises(MetricsError, match=r"^jobs must be -1 \(all cores\) or at least 1; got "):
        unit_structure(network, jobs=jobs)


def test_paths_started_ahead_are_collected_once(
    large_graph: nx.Graph[int], counted: list[int]
) -> None:
    graph = tie_graph(from_nx(large_graph))
    one = graph.paths(jobs=1)
    graph.start_paths(jobs=2)
    assert counted == [2]  # the workers have their tasks before anyone asks for the values
    two = graph.paths(jobs=2)
    assert counted == [2]  # collected, not computed again
    assert bits(two[0]) == bits(one[0])
    assert bits(two[1]) == bits(one[1])
    graph.paths(jobs=2)
    assert counted == [2, 2]  # a second call computes afresh


def test_nothing_starts_ahead_where_it_would_not_pay(counted: list[int]) -> None:
    small = tie_graph(netkoop.load("beispielregion"))
    small.start_paths(jobs=2)
    assert counted == []
    large = tie_graph(from_nx(nx.gnm_random_graph(2_000, 2_500, seed=41)))
    large.start_paths(jobs=1)
    assert counted == []
    with joblib.parallel_config(backend="multiprocessing"):  # no results as a generator
        large.start_paths(jobs=2)
        assert counted == [2]
        between, close = large.paths(jobs=2)
    assert bits(between) == bits(large.paths(jobs=1)[0])
    assert bits(close) == bits(large.paths(jobs=1)[1])


def test_a_copy_of_a_graph_with_paths_started_ahead_computes_afresh() -> None:
    graph = tie_graph(from_nx(nx.gnm_random_graph(2_000, 2_500, seed=43)))
    graph.start_paths(jobs=2)
    copy = pickle.loads(pickle.dumps(graph))  # noqa: S301 - our own bytes
    assert bits(copy.paths(jobs=2)[0]) == bits(graph.paths(jobs=2)[0])
