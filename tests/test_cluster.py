"""The cluster path: simulate and the parallel metrics on a Dask LocalCluster through joblib.

A real `dask.distributed` cluster of two worker processes runs the work; the outputs must be
the bytes a single process writes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed
import joblib
import networkx as nx
import numpy as np
import pytest

from netkoop.cli import workers as workers_module
from netkoop.metrics import engine as engine_module
from netkoop.metrics.engine import SPREAD_FROM
from netkoop.metrics.structure import unit_structure
from netkoop.whatif.simulate import simulate
from tests.conftest import assert_one_error_line, run_cli
from tests.test_metrics_structure import from_nx

#: The bundled scenarios of the budget crisis (with isolates, which they warn about).
CRISIS = ("haushaltskrise", "haushaltskrise-pflichtaufgabe")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of two single-threaded worker processes and its client."""
    with (
        warnings.catch_warnings(),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: 8787 may be taken
            worker_dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        warnings.simplefilter("ignore", ResourceWarning)  # the cluster's own sockets at exit
        yield connected


def ran_on_cluster(client: Any, work: Any) -> tuple[Any, int]:
    """Run ``work()`` under joblib's dask backend; return its result and the tasks run."""
    with distributed.get_task_stream(client) as stream, joblib.parallel_config(backend="dask"):
        result = work()
    return result, len(stream.data)


def test_simulate_on_the_cluster_writes_the_bytes_of_one_process(client: Any) -> None:
    with pytest.warns(UserWarning, match="isolates"):
        alone = simulate(CRISIS, runs=40, seed=5, jobs=1)
    with pytest.warns(UserWarning, match="isolates"):
        clustered, tasks = ran_on_cluster(client, lambda: simulate(CRISIS, runs=40, seed=5, jobs=2))
    assert tasks >= 2  # the batches ran on the workers
    assert clustered.report().to_json() == alone.report().to_json()


def test_parallel_metrics_on_the_cluster_give_the_bits_of_one_process(client: Any) -> None:
    graph: nx.Graph[int] = nx.gnm_random_graph(2_000, 2_800, seed=31)
    assert graph.number_of_nodes() * graph.number_of_edges() >= SPREAD_FROM
    network = from_nx(graph)
    alone = unit_structure(network, jobs=1)
    clustered, tasks = ran_on_cluster(client, lambda: unit_structure(network, jobs=-1))
    assert tasks >= 2  # the parts of betweenness and closeness ran on the workers
    for column in ("betweenness", "closeness"):
        one = np.ascontiguousarray(alone[column].to_numpy()).tobytes()
        assert np.ascontiguousarray(clustered[column].to_numpy()).tobytes() == one


def test_cli_points_simulate_and_metrics_at_a_cluster(
    client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = client.scheduler.address
    common = [*CRISIS, "--runs", "12", "--seed", "2", "-q"]
    written = {}
    for label, extra in {
        "one": ["--jobs", "1"],
        "cluster": ["--cluster", address, "--jobs", "-1"],
    }.items():
        target = tmp_path / f"simulate-{label}.json"
        with distributed.get_task_stream(client) as stream:
            result = run_cli("simulate", *common, *extra, "-o", target)
        assert result.exit_code == 0, result.output
        written[label] = (target.read_bytes(), len(stream.data))
    assert written["cluster"][0] == written["one"][0]
    assert written["one"][1] == 0
    assert written["cluster"][1] >= 2

    monkeypatch.setattr(engine_module, "SPREAD_FROM", 0)  # the small region goes to workers
    metrics = {}
    for label, extra in {"one": [], "cluster": ["--cluster", address, "--jobs", "2"]}.items():
        target = tmp_path / f"metrics-{label}.json"
        with distributed.get_task_stream(client) as stream:
            result = run_cli(
                "metrics", "beispielregion", "--permutations", "30", *extra, "-o", target
            )
        assert result.exit_code == 0, result.output
        metrics[label] = (target.read_bytes(), len(stream.data))
    assert metrics["cluster"][0] == metrics["one"][0]
    assert metrics["cluster"][1] >= 2


def test_a_cluster_that_does_not_answer_is_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers_module, "CONNECT_SECONDS", 1)
    result = run_cli("metrics", "beispielregion", "--cluster", "tcp://127.0.0.1:9", "-q")
    assert_one_error_line(result, problems_allowed=False)
    assert result.stderr.startswith(
        "Error: --cluster tcp://127.0.0.1:9: no Dask scheduler answers there ("
    )
    assert "start one with 'dask scheduler'" in result.stderr


def test_cluster_and_a_local_backend_do_not_go_together() -> None:
    result = run_cli(
        "metrics", "beispielregion", "--cluster", "tcp://127.0.0.1:9", "--backend", "threading"
    )
    assert result.exit_code == 2
    assert "--cluster runs the workers on Dask; leave out --backend" in result.stderr
