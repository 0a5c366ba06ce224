"""Time exact betweenness and closeness in igraph, rustworkx and networkit on an L-sized graph.

rustworkx and networkit are **not** netkoop dependencies (netkoop's engine is python-igraph,
see ``netkoop/metrics/engine.py``). Run this script with a scratch virtual environment of its
own, not with netkoop's ``.venv``::

    python3 -m venv /work/bench/engines-venv
    /work/bench/engines-venv/bin/pip install numpy python-igraph rustworkx networkit networkx
    /work/bench/engines-venv/bin/python benchmarks/engines.py [--seed N] [--repeat K]
        [--n N] [--edges M] [--edges-file PATH] [--check-n N] [--only TEXT]

The script imports nothing from netkoop. It builds a seeded random graph shaped like netkoop's
``L`` tie graph (issue 18): ``--n`` vertices (default 11,017: 11,000 units in 400 groups of
about 27, the Landkreise, laid out on a 20 x 20 grid, plus 17 hub vertices, the forums) and
``--edges`` distinct undirected edges (default 45,000, the 50,000 ties collapsed): about 900
edges from units to hubs (mostly the hub of their region), and of the rest 55 % inside a
group, 35 % to one of the 8 neighbouring groups of the grid and 10 % to any unit. Isolates
are allowed. ``--edges-file`` reads an edge list instead (whitespace-separated, the first two
integer columns; loops dropped, duplicates and both directions collapsed).

Every measurement runs in a **fresh Python process** (``--repeat`` times, default 3, the
configurations interleaved run by run) that converts the edge array into the engine's graph
(timed separately) and then times one call (or the chunked calls), including turning the
result into a numpy array:

* igraph ``Graph.betweenness(directed=False)``, and the same summed over ``sources=`` chunks
  (the vertices split into 2, 8 and 32 contiguous chunks);
* igraph ``Graph.closeness(normalized=True)``, and the same on ``vertices=`` chunks;
* rustworkx ``betweenness_centrality(normalized=True)`` and ``closeness_centrality()``
  (``wf_improved=True``) with ``RAYON_NUM_THREADS`` unset (the default: all cores), ``=1``
  and ``=2`` (set in the child's environment before the import), and on the serial code path
  (``parallel_threshold`` above the number of vertices);
* networkit ``Betweenness(G, normalized=True)`` and ``Closeness(G, True,
  ClosenessVariant.GENERALIZED)`` after ``networkit.setNumberOfThreads(1)`` and ``(2)``.

All values are brought to networkx's meaning (normalized betweenness over ordered pairs;
Wasserman-Faust closeness, 0 for isolates) and compared: with the plain igraph call on the big
graph, and, once per configuration, with networkx on a small graph of ``--check-n`` vertices
(default 500, the same generator). Whether a configuration is deterministic is checked by
comparing the bytes of the raw float arrays of its repeated runs. Each run's wall time, CPU
time of the process (all threads) and 1-minute load average are printed as it finishes; the
table gives medians. The load average is printed at the start and end.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.metadata
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

L_VERTICES = 11_017
L_EDGES = 45_000
L_HUBS = 17
L_HUB_EDGES = 900
GROUP_SIZE = 27.5
SHARE_INSIDE, SHARE_NEIGHBOUR = 0.55, 0.35  # the rest goes to any unit
SHARE_HOME_HUB = 0.7
CHUNKS = (2, 8, 32)
LIBRARIES = ("numpy", "python-igraph", "rustworkx", "networkit", "networkx")


def loadavg() -> str:
    """Return the first three fields of /proc/loadavg."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


# --- the graph ---------------------------------------------------------------------------


def _unique_edges(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Return the distinct undirected non-loop edges (low, high) of a, b in first-drawn order."""
    keep = a != b
    low, high = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    _, first = np.unique(low * n + high, return_index=True)
    first.sort()
    return np.column_stack([low[first], high[first]])


def synthetic_edges(n: int, edges: int, seed: int) -> np.ndarray:
    """Return ``edges`` distinct undirected edges of a seeded graph shaped like netkoop's L."""
    rng = np.random.default_rng(seed)
    hubs = max(1, round(L_HUBS * n / L_VERTICES))
    members = n - hubs
    groups = max(1, round(members / GROUP_SIZE))
    hub_edges = min(round(edges * L_HUB_EDGES / L_EDGES), members * hubs)
    local_edges = edges - hub_edges
    group_of = np.arange(members, dtype=np.int64) * groups // members
    starts = np.searchsorted(group_of, np.arange(groups))
    sizes = np.bincount(group_of, minlength=groups)
    cols = math.ceil(math.sqrt(groups))
    rows = math.ceil(groups / cols)
    offsets = np.array([(r, c) for r in (-1, 0, 1) for c in (-1, 0, 1) if (r, c) != (0, 0)])

    def in_grid(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        return (r >= 0) & (r < rows) & (c >= 0) & (c < cols) & (r * cols + c < groups)

    def local_batch(m: int) -> tuple[np.ndarray, np.ndarray]:
        a = rng.integers(members, size=m)
        ga = group_of[a]
        kind = rng.random(m)
        r, c = np.divmod(ga, cols)
        dr, dc = offsets[rng.integers(len(offsets), size=m)].T
        r2, c2 = r + dr, c + dc
        flip = ~in_grid(r2, c2)
        r2[flip], c2[flip] = r[flip] - dr[flip], c[flip] - dc[flip]
        neighbour = np.where(in_grid(r2, c2), r2 * cols + c2, ga)
        gb = np.where(kind < SHARE_INSIDE, ga, neighbour)
        b = starts[gb] + (rng.random(m) * sizes[gb]).astype(np.int64)
        anywhere = kind >= SHARE_INSIDE + SHARE_NEIGHBOUR
        b[anywhere] = rng.integers(members, size=int(anywhere.sum()))
        return a, b

    def hub_batch(m: int) -> tuple[np.ndarray, np.ndarray]:
        a = rng.integers(members, size=m)
        home = group_of[a] * hubs // groups
        hub = np.where(rng.random(m) < SHARE_HOME_HUB, home, rng.integers(hubs, size=m))
        return a, members + hub

    def draw(batch: Any, target: int) -> np.ndarray:
        a = np.empty(0, dtype=np.int64)
        b = np.empty(0, dtype=np.int64)
        found = np.empty((0, 2), dtype=np.int64)
        while len(found) < target:
            more_a, more_b = batch(max(1000, 2 * (target - len(found))))
            a, b = np.concatenate([a, more_a]), np.concatenate([b, more_b])
            found = _unique_edges(a, b, n)
        return found[:target]

    both = np.concatenate([draw(local_batch, local_edges), draw(hub_batch, hub_edges)])
    return _unique_edges(both[:, 0], both[:, 1], n)


def file_edges(path: Path, n: int | None) -> tuple[np.ndarray, int]:
    """Read an edge list (two int columns) as distinct undirected edges; return edges and n."""
    raw = np.loadtxt(path, dtype=np.int64, ndmin=2, usecols=(0, 1))
    size = max(int(raw.max()) + 1 if len(raw) else 0, n or 0)
    return _unique_edges(raw[:, 0], raw[:, 1], size), size


def describe(edges: np.ndarray, n: int) -> str:
    """Return vertices, edges, isolates and the size of the largest component."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in edges.tolist():
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
    roots = np.array([find(x) for x in range(n)])
    degree = np.bincount(edges.ravel(), minlength=n)
    return (
        f"{n:,} vertices, {len(edges):,} edges, {int((degree == 0).sum()):,} isolates, "
        f"{len(np.unique(roots)):,} components, largest {int(np.bincount(roots).max()):,}"
    )


# --- the child: one engine, one measure ----------------------------------------------------


def _components(edges: np.ndarray, n: int) -> np.ndarray:
    """Return each vertex's component size (via igraph; not timed)."""
    igraph = importlib.import_module("igraph")
    membership = np.asarray(
        igraph.Graph(n=n, edges=edges).connected_components().membership, dtype=np.int64
    )
    return np.bincount(membership)[membership]


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Convert, time one configuration, save its networkx-scaled values; return the timings."""
    edges = np.load(spec["edges"])
    n = int(spec["n"])
    engine, measure, threads = spec["engine"], spec["measure"], spec["threads"]
    chunks = int(spec.get("chunks", 1))
    pairs_scale = (n - 1) * (n - 2) if n > 2 else 1.0
    module = importlib.import_module(engine)
    if engine == "networkit":
        module.setNumberOfThreads(int(threads))
    started = time.perf_counter()  # imports are not timed
    if engine == "igraph":
        graph = module.Graph(n=n, edges=edges)
    elif engine == "rustworkx":
        graph = module.PyGraph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from_no_data(list(map(tuple, edges.tolist())))
    elif engine == "networkit":
        ends = (edges[:, 0].astype(np.uint64), edges[:, 1].astype(np.uint64))
        graph = module.GraphFromCoo(ends, n)
    else:
        graph = module.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges.tolist())
    convert = time.perf_counter() - started

    cpu, started = time.process_time(), time.perf_counter()
    if engine == "igraph" and measure == "betweenness":
        if chunks == 1:
            raw = np.asarray(graph.betweenness(directed=False), dtype=np.float64)
        else:
            raw = np.zeros(n)
            for part in np.array_split(np.arange(n), chunks):
                found = graph.betweenness(directed=False, sources=part.tolist())
                raw += np.asarray(found, dtype=np.float64)
    elif engine == "igraph":
        if chunks == 1:
            raw = np.asarray(graph.closeness(normalized=True), dtype=np.float64)
        else:
            raw = np.concatenate(
                [
                    np.asarray(graph.closeness(vertices=part.tolist(), normalized=True), np.float64)
                    for part in np.array_split(np.arange(n), chunks)
                ]
            )
    elif engine == "rustworkx":
        options = {"parallel_threshold": n + 1} if threads == "serial" else {}
        if measure == "betweenness":
            found = module.betweenness_centrality(graph, normalized=True, **options)
        else:
            found = module.closeness_centrality(graph, wf_improved=True, **options)
        raw = np.array([found[i] for i in range(n)], dtype=np.float64)
    elif engine == "networkit":
        if measure == "betweenness":
            algorithm = module.centrality.Betweenness(graph, normalized=True)
        else:
            variant = module.centrality.ClosenessVariant.GENERALIZED
            algorithm = module.centrality.Closeness(graph, True, variant)
        algorithm.run()
        raw = np.asarray(algorithm.scores(), dtype=np.float64)
    elif measure == "betweenness":
        found = module.betweenness_centrality(graph)
        raw = np.array([found[i] for i in range(n)], dtype=np.float64)
    else:
        found = module.closeness_centrality(graph)
        raw = np.array([found[i] for i in range(n)], dtype=np.float64)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    load = loadavg()

    digest = hashlib.sha256(raw.tobytes()).hexdigest()
    if engine == "igraph" and measure == "betweenness":
        values = 2.0 * raw / pairs_scale  # igraph counts unordered pairs; networkx ordered
    elif engine == "igraph":
        values = np.nan_to_num(raw) * (_components(edges, n) - 1) / max(n - 1, 1)
    else:
        values = raw
    np.save(spec["out"], values)
    return {"convert": convert, "seconds": seconds, "cpu": cpu, "load": load, "digest": digest}


# --- the parent ----------------------------------------------------------------------------


def configurations() -> list[dict[str, Any]]:
    """Return every timed configuration: engine, measure, threads label, chunks."""
    found: list[dict[str, Any]] = []
    for measure in ("betweenness", "closeness"):
        found.append({"engine": "igraph", "measure": measure, "threads": "1"})
        found.extend(
            {"engine": "igraph", "measure": measure, "threads": "1", "chunks": k} for k in CHUNKS
        )
        found.extend(
            {"engine": "rustworkx", "measure": measure, "threads": t}
            for t in ("default", "1", "2", "serial")
        )
        found.extend({"engine": "networkit", "measure": measure, "threads": t} for t in ("1", "2"))
    return found


def label(config: dict[str, Any]) -> str:
    """Return the engine column: the engine and, for chunked calls, the chunks."""
    chunks = config.get("chunks", 1)
    if chunks == 1:
        return config["engine"]
    return f"igraph {chunks} {'sources' if config['measure'] == 'betweenness' else 'vertices'}"


def threads_label(config: dict[str, Any]) -> str:
    """Return the threads column, spelling out rustworkx's default and serial path."""
    names = {"default": f"default ({os.cpu_count()})", "serial": "serial path"}
    return names.get(config["threads"], config["threads"])


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one configuration in a fresh process; return its timings."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("RAYON_NUM_THREADS", None)
    if spec["engine"] == "rustworkx" and spec["threads"] in {"1", "2"}:
        env["RAYON_NUM_THREADS"] = spec["threads"]
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"child failed: {spec}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def max_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Return the largest absolute difference of two arrays."""
    return float(np.max(np.abs(a - b))) if len(a) else 0.0


def main() -> None:
    """Parse the options, build the graphs, run every configuration and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=18, help="generator seed (default 18)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration")
    parser.add_argument("--n", type=int, default=None, help=f"vertices (default {L_VERTICES})")
    parser.add_argument("--edges", type=int, default=L_EDGES, help="distinct undirected edges")
    parser.add_argument("--edges-file", type=Path, help="read this edge list instead")
    parser.add_argument("--check-n", type=int, default=500, help="vertices of the networkx check")
    parser.add_argument("--only", default="", help="run configurations whose label contains this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return

    print(f"load average at start: {loadavg()}   cores: {os.cpu_count()}")
    print(
        "python "
        + sys.version.split()[0]
        + "; "
        + ", ".join(f"{name} {importlib.metadata.version(name)}" for name in LIBRARIES)
    )
    if args.edges_file:
        big, n = file_edges(args.edges_file, args.n)
        source = str(args.edges_file)
    else:
        n = args.n or L_VERTICES
        big, source = synthetic_edges(n, args.edges, args.seed), f"synthetic, seed {args.seed}"
    small_n = args.check_n
    small_m = round(len(big) * small_n / max(n, 1))
    small = synthetic_edges(small_n, small_m, args.seed)
    print(f"graph ({source}): {describe(big, n)}")
    print(f"check graph (synthetic): {describe(small, small_n)}")

    chosen = [
        c for c in configurations() if args.only in f"{label(c)} {c['measure']} {threads_label(c)}"
    ]
    with tempfile.TemporaryDirectory(prefix="engines-") as folder:
        tmp = Path(folder)
        np.save(tmp / "big.npy", big)
        np.save(tmp / "small.npy", small)

        # Correctness on the small graph: each configuration once, against networkx.
        reference = {}
        for measure in ("betweenness", "closeness"):
            spec = {"engine": "networkx", "measure": measure, "threads": "1"}
            spec |= {"edges": str(tmp / "small.npy"), "n": small_n, "out": str(tmp / "nx.npy")}
            run_child(spec)
            reference[measure] = np.load(tmp / "nx.npy")
        check: dict[int, float] = {}
        for index, config in enumerate(chosen):
            out = tmp / f"check{index}.npy"
            run_child(config | {"edges": str(tmp / "small.npy"), "n": small_n, "out": str(out)})
            check[index] = max_diff(np.load(out), reference[config["measure"]])

        # Timed runs on the big graph, configurations interleaved.
        runs: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(chosen))}
        values: dict[int, list[np.ndarray]] = {i: [] for i in range(len(chosen))}
        print(
            f"\n{'run':>3}  {'engine':<18} {'measure':<11} {'threads':<12} "
            f"{'wall s':>7} {'cpu s':>7} {'convert s':>9}  load after"
        )
        for rep in range(args.repeat):
            for index, config in enumerate(chosen):
                out = tmp / f"run{index}_{rep}.npy"
                spec = config | {"edges": str(tmp / "big.npy"), "n": n, "out": str(out)}
                found = run_child(spec)
                runs[index].append(found)
                values[index].append(np.load(out))
                print(
                    f"{rep + 1:>3}  {label(config):<18} {config['measure']:<11} "
                    f"{threads_label(config):<12} {found['seconds']:>7.2f} {found['cpu']:>7.2f} "
                    f"{found['convert']:>9.3f}  {found['load']}",
                    flush=True,
                )

    plain = {
        c["measure"]: values[i][0]
        for i, c in enumerate(chosen)
        if c["engine"] == "igraph" and c.get("chunks", 1) == 1 and values[i]
    }
    print(
        f"\nn = {n:,}, {len(big):,} edges; {args.repeat} fresh processes per row; "
        f"check graph n = {small_n}, {len(small):,} edges"
    )
    header = (
        f"{'engine':<18} {'measure':<11} {'threads':<12} {'median s':>8} {'min s':>7} "
        f"{'cpu s':>6} {'max|d| igraph':>13} {'max|d| nx500':>12}  bit-identical"
    )
    print(header)
    print("-" * len(header))
    for index, config in enumerate(chosen):
        seconds = [r["seconds"] for r in runs[index]]
        if not seconds:
            continue
        measure = config["measure"]
        versus = f"{max_diff(values[index][0], plain[measure]):.1e}" if measure in plain else "-"
        digests = {r["digest"] for r in runs[index]}
        if len(seconds) < 2:
            same = "n/a (1 run)"
        elif len(digests) == 1:
            same = "yes"
        else:
            spread = max(max_diff(v, values[index][0]) for v in values[index])
            differ = max(int((v != values[index][0]).sum()) for v in values[index])
            same = f"no ({differ:,} values, up to {spread:.1e})"
        print(
            f"{label(config):<18} {measure:<11} {threads_label(config):<12} "
            f"{statistics.median(seconds):>8.2f} {min(seconds):>7.2f} "
            f"{statistics.median(r['cpu'] for r in runs[index]):>6.2f} {versus:>13} "
            f"{check[index]:>12.1e}  {same}"
        )

    print("\nconverting the edge array into the engine's graph (median wall s over all runs):")
    for engine in ("igraph", "rustworkx", "networkit"):
        times = [
            r["convert"] for i, c in enumerate(chosen) if c["engine"] == engine for r in runs[i]
        ]
        if times:
            print(f"  {engine:<10} {statistics.median(times):.3f} s  (min {min(times):.3f})")
    print(f"\nload average at end: {loadavg()}")


if __name__ == "__main__":
    main()
