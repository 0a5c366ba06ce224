"""The one adapter to the compiled graph engine (python-igraph): convert once, map results back.

Every heavy network metric goes through `tie_graph`; no other module imports igraph. The
adapter returns results with networkx's meaning (its normalisations and its handling of
disconnected graphs), so that swapping the engine changes this module only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import igraph
import joblib
import numpy as np
import pandas as pd

from netkoop._errors import MetricsError
from netkoop._workers import Call, call_methods
from netkoop.model.network import Network
from netkoop.model.vocabulary import select_tie_kinds

#: The parts that betweenness cuts its sources into and closeness its units, whatever the
#: number of workers (unit ``i`` goes to part ``i % PARTS``): the partial sums are added in the
#: order of the parts, so the result is the same to the last bit with 1 job or 16.
PARTS = 32

#: Units × tied pairs below which the parts run in the calling process whatever ``jobs`` is
#: (under about 0.05 s of work; starting a worker takes longer). The result is the same.
SPREAD_FROM = 2_000_000


class TieGraph:
    """The ties of a network as an undirected simple graph in the compiled engine.

    Vertices follow the order of ``network.units["id"]``, every unit included. Each pair of
    units joined by at least one tie is one edge, whatever the number, kinds and directions of
    its ties: the parallel ties of the multigraph are collapsed, and their number is kept in
    `pair_ties`. Directed kinds (service_opening, membership) count as undirected. Methods
    return pandas Series indexed by unit id (index name ``id``).

    Build one with `tie_graph`, which caches it on the network.

    Attributes
    ----------
    ids
        Unit ids in vertex order.
    kinds
        The tie kinds included.
    tie_positions
        Position in `Network.ties` of every tie included, in table order.
    tie_ends
        Vertex positions (from, to) of every tie included, shape (ties, 2).
    tie_pair
        The edge (index into `pairs`) of every tie included.
    pairs
        Vertex positions (lower, higher) of every edge, in edge order, shape (pairs, 2).
    pair_ties
        The number of ties of every edge.
    component
        Each vertex's connected component: 0 for the largest, then by falling size, ties in
        size broken by the unit order.
    component_sizes
        The number of units of each component, indexed by component label.

    The arrays are read-only: the graph is cached and shared.
    """

    def __init__(self, network: Network, kinds: tuple[str, ...]) -> None:
        ties = network.ties
        self.ids = pd.Index(network.units["id"], name="id")
        self.kinds = kinds
        self.tie_positions = np.flatnonzero(ties["kind"].isin(kinds).to_numpy())
        chosen = ties.iloc[self.tie_positions]
        self.tie_ends = np.column_stack(
            [self.ids.get_indexer(chosen["from"]), self.ids.get_indexer(chosen["to"])]
        ).astype(np.int64)
        n = len(self.ids)
        low, high = np.sort(self.tie_ends, axis=1).T
        keys, self.tie_pair, self.pair_ties = np.unique(
            low * n + high, return_inverse=True, return_counts=True
        )
        self.pairs = np.column_stack([keys // max(n, 1), keys % max(n, 1)]).astype(np.int64)
        self._graph = igraph.Graph(n=n, edges=self.pairs)
        self._found: dict[tuple[str, int], np.ndarray] = {}
        self._ahead: dict[tuple[bytes | None, int, int], Callable[[], list[Any]]] = {}
        membership = np.asarray(self._graph.connected_components().membership, dtype=np.int64)
        sizes = np.bincount(membership, minlength=1 if n else 0)
        rank = np.empty(len(sizes), dtype=np.int64)
        rank[np.argsort(-sizes, kind="stable")] = np.arange(len(sizes))
        self.component = rank[membership]
        self.component_sizes = np.sort(sizes)[::-1]
        # The graph is cached on the network and shared by every caller: keep it unchanged.
        for array in (
            self.tie_positions,
            self.tie_ends,
            self.tie_pair,
            self.pairs,
            self.pair_ties,
            self.component,
            self.component_sizes,
        ):
            array.flags.writeable = False

    def __getstate__(self) -> dict[str, Any]:
        # Work started ahead runs in this process's workers: a copy elsewhere computes afresh.
        return {**self.__dict__, "_ahead": {}}

    def series(self, values: np.ndarray, name: str | None = None) -> pd.Series:
        """Return per-vertex values as a Series indexed by unit id."""
        return pd.Series(values, index=self.ids, name=name)

    @property
    def n(self) -> int:
        """The number of vertices (units)."""
        return len(self.ids)

    def neighbours(self) -> pd.Series:
        """Return the number of distinct units each unit has ties with."""
        return self.series(np.asarray(self._graph.degree(), dtype=np.int64), "neighbours")

    def betweenness(self, sources: np.ndarray | None = None, *, jobs: int = 1) -> pd.Series:
        """Return betweenness as networkx's ``betweenness_centrality`` (normalized, unweighted).

        Parameters
        ----------
        sources
            Vertex positions of sampled source units, as networkx's ``k`` samples them (all
            units are targets); every unit is a source when omitted. Scaled as networkx scales
            a sample: a sampled unit by ``1 / ((k - 1)(n - 2))``, others by ``1 / (k(n - 2))``.
        jobs
            Worker processes, as in `paths`; the result does not depend on it.
        """
        return self.paths(sources, jobs=jobs, closeness=False)[0]

    def closeness(self, *, jobs: int = 1) -> pd.Series:
        """Return closeness as networkx's ``closeness_centrality`` (Wasserman–Faust scaled).

        A unit reaching ``r - 1`` others at total distance ``d`` gets
        ``(r - 1) / d * (r - 1) / (n - 1)``; an isolate gets 0. The engine computes
        ``(r - 1) / d`` within the component; the factor makes it networkx's value.
        ``jobs`` as in `paths`.
        """
        return self.paths(jobs=jobs, betweenness=False)[1]

    def paths(
        self,
        sources: np.ndarray | None = None,
        *,
        jobs: int = 1,
        betweenness: bool = True,
        closeness: bool = True,
    ) -> tuple[pd.Series, pd.Series]:
        """Return betweenness and closeness (see those methods), computed in one go.

        Both rest on a shortest-path search from every unit, the costliest work of a report.
        The sources of betweenness and the units of closeness are cut into `PARTS`, whatever
        ``jobs`` is; with ``jobs`` above 1 the parts run in that many worker processes
        (through `joblib.Parallel`, so ``joblib.parallel_config`` can send them to a Dask
        cluster), and the partial sums of betweenness are added in the order of the parts.
        One process and many therefore give the same values to the last bit. A small graph
        (below `SPREAD_FROM`) runs its parts here: starting workers would cost more.
        A measure not asked for comes back as an empty Series.

        Raises
        ------
        MetricsError
            When ``jobs`` is neither -1 (all cores) nor at least 1.
        """
        workers = check_jobs(jobs)
        n = self.n
        calls, units = self._path_calls(sources, betweenness=betweenness, closeness=closeness)
        ahead = self._ahead.pop(_ahead_key(sources, workers, calls), None)
        found = ahead() if ahead is not None else self._dispatch(calls, workers)()
        between = found[: len(calls) - len(units)]
        empty = pd.Series(dtype=np.float64)
        between_values = self._betweenness(between, sources) if betweenness else empty
        if not closeness:
            return between_values, empty
        within = np.zeros(n)
        for part, values in zip(units, found[len(between) :], strict=True):
            within[part] = np.nan_to_num(np.asarray(values, dtype=np.float64))
        reached = self.component_sizes[self.component] - 1 if n else np.zeros(0)
        return between_values, self.series(within * reached / max(n - 1, 1), "closeness")

    def start_paths(self, sources: np.ndarray | None = None, *, jobs: int = 1) -> None:
        """Begin `paths` (both measures) in worker processes, and return at once.

        The next `paths` with the same ``sources`` and ``jobs`` collects the results, so the
        caller can measure other things meanwhile: the full report starts the paths first
        and computes its other families while the workers search. Nothing starts when
        `paths` would run in this process anyway (one job, a small graph) or when the
        joblib backend cannot hand results back one by one (``multiprocessing``).

        Raises
        ------
        MetricsError
            When ``jobs`` is neither -1 (all cores) nor at least 1.
        """
        workers = check_jobs(jobs)
        calls, _ = self._path_calls(sources, betweenness=True, closeness=True)
        if not self._spreads(calls, workers):
            return
        try:
            self._ahead[_ahead_key(sources, workers, calls)] = self._dispatch(
                calls, workers, ahead=True
            )
        except ValueError:  # a backend without results as a generator: run when asked
            return

    def _path_calls(
        self, sources: np.ndarray | None, *, betweenness: bool, closeness: bool
    ) -> tuple[list[Call], list[np.ndarray]]:
        """Return the engine calls of `paths` (betweenness parts first) and closeness's parts."""
        n = self.n
        calls: list[Call] = []
        if betweenness and n > 2:
            chosen = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
            calls = [
                ("betweenness", {"directed": False, "sources": part.tolist()})
                for part in _parts(chosen)
            ]
        units = _parts(np.arange(n)) if closeness and n >= 2 else []
        calls += [("closeness", {"vertices": part.tolist(), "normalized": True}) for part in units]
        return calls, units

    def _betweenness(self, partial: list[list[float]], sources: np.ndarray | None) -> pd.Series:
        n = self.n
        if n <= 2:
            return self.series(np.zeros(n), "betweenness")
        # Each part counts every unordered pair with a source in it once; networkx counts
        # ordered (s, t) pairs, so double. The parts are added in their order, always.
        counts = np.zeros(n)
        for values in partial:
            counts += np.asarray(values, dtype=np.float64)
        counts *= 2.0
        if sources is None:
            return self.series(counts / ((n - 1) * (n - 2)), "betweenness")
        k = len(sources)
        sampled = np.zeros(n, dtype=bool)
        sampled[sources] = True
        scale = np.where(sampled, 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan, 1 / (k * (n - 2)))
        return self.series(counts * scale, "betweenness")

    def _spreads(self, calls: list[Call], workers: int) -> bool:
        """Whether the calls are worth sending to ``workers`` processes."""
        return workers > 1 and len(calls) > 1 and self.n * len(self.pairs) >= SPREAD_FROM

    def _dispatch(
        self, calls: list[Call], workers: int, *, ahead: bool = False
    ) -> Callable[[], list[Any]]:
        """Start engine calls on the graph and return the function that collects their results.

        In this process the calls run when their results are collected; in ``workers``
        processes (when `_spreads`) a few tasks per worker, each a share of the calls with
        one copy of the graph, are handed to `joblib.Parallel` now; ``ahead`` makes them run
        while the caller goes on (joblib's results as a generator). Results come back in the
        order of ``calls``.
        """
        if not self._spreads(calls, workers):
            return lambda: call_methods(self._graph, calls)
        tasks = min(len(calls), 4 * workers)
        shares = [calls[i::tasks] for i in range(tasks)]
        how: dict[str, Any] = {"return_as": "generator", "pre_dispatch": "all"} if ahead else {}
        parallel = joblib.Parallel(n_jobs=workers, batch_size=1, **how)
        done = parallel(joblib.delayed(call_methods)(self._graph, share) for share in shares)

        def collect() -> list[Any]:
            found: list[Any] = [None] * len(calls)
            for i, results in enumerate(done):
                found[i::tasks] = results
            return found

        return collect

    def eigenvector(self) -> pd.Series:
        """Return eigenvector centrality on the largest component; 0 outside it.

        Unweighted, on the simple graph, with unit Euclidean norm over the component and
        positive sign, as networkx's ``eigenvector_centrality_numpy`` on a connected graph.
        All 0 when there are no ties.
        """
        values = np.zeros(self.n)
        members = np.flatnonzero(self.component == 0)
        if len(members) > 1:
            # Only a connected graph has a well-defined leading eigenvector.
            with seeded(0):
                vector = np.asarray(self._graph.subgraph(members).eigenvector_centrality())
            values[members] = vector / np.linalg.norm(vector)
        return self.series(values, "eigenvector")

    def core_number(self) -> pd.Series:
        """Return each unit's k-core number, as networkx's ``core_number``."""
        return self.series(np.asarray(self._graph.coreness(), dtype=np.int64), "core_number")

    def clustering(self) -> pd.Series:
        """Return each unit's local clustering coefficient, 0 below two neighbours."""
        values = self._graph.transitivity_local_undirected(mode="zero")
        return self.series(np.asarray(values, dtype=np.float64), "clustering")

    def transitivity(self) -> float:
        """Return the share of closed triads, 0 when there is no triad (as networkx)."""
        value = float(self._graph.transitivity_undirected())
        return 0.0 if np.isnan(value) else value

    def articulation(self) -> pd.Series:
        """Return whether removing each unit splits its component."""
        flags = np.zeros(self.n, dtype=bool)
        flags[np.asarray(self._graph.articulation_points(), dtype=np.int64)] = True
        return self.series(flags, "articulation")

    def modularity(self, membership: np.ndarray) -> float:
        """Return the modularity of a partition (one label per unit), edges weighted by ties.

        With the number of ties as weight, this is the modularity of the multigraph (directions
        ignored). NaN when there are no ties.
        """
        if not len(self.pairs):
            return float("nan")
        weights = self.pair_ties.astype(np.float64).tolist()
        return float(self._graph.modularity(membership.tolist(), weights=weights))

    def communities(self, method: str, seed: int) -> np.ndarray:
        """Return a community label per unit by Leiden (modularity) or Louvain, seeded.

        Edges are weighted by their number of ties. Labels are as the engine gives them;
        the result is kept, so asking again with the same method and seed costs nothing.
        """
        if (method, seed) not in self._found:
            self._found[(method, seed)] = self._detect(method, seed)
        return self._found[(method, seed)].copy()

    def _detect(self, method: str, seed: int) -> np.ndarray:
        weights = self.pair_ties.astype(np.float64).tolist()
        with seeded(seed):
            if method == "leiden":
                found = self._graph.community_leiden(
                    objective_function="modularity", weights=weights, n_iterations=-1
                )
            else:
                found = self._graph.community_multilevel(weights=weights)
        return np.asarray(found.membership, dtype=np.int64)

    def bridge_pairs(self) -> np.ndarray:
        """Return whether each edge (pair) is a bridge of the simple graph, as a bool array."""
        flags = np.zeros(len(self.pairs), dtype=bool)
        flags[np.asarray(self._graph.bridges(), dtype=np.int64)] = True
        return flags


def check_jobs(jobs: int) -> int:
    """Return the number of workers that ``jobs`` asks for; -1 means every core of the
    joblib backend in use (this machine's, or a Dask cluster's under
    ``joblib.parallel_config(backend="dask")``).

    Raises
    ------
    MetricsError
        When ``jobs`` is neither -1 nor a whole number of at least 1.

    Examples
    --------
    >>> check_jobs(2)
    2
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs == 0 or jobs < -1:
        raise MetricsError(f"jobs must be -1 (all cores) or at least 1; got {jobs!r}")
    return int(joblib.effective_n_jobs(jobs)) if jobs == -1 else jobs


def _ahead_key(
    sources: np.ndarray | None, workers: int, calls: list[Call]
) -> tuple[bytes | None, int, int]:
    """What identifies paths started ahead: the sources, the workers and the calls."""
    return None if sources is None else bytes(np.asarray(sources)), workers, len(calls)


def _parts(positions: np.ndarray) -> list[np.ndarray]:
    """Cut vertex positions into `PARTS` strided parts (fewer when there are fewer positions).

    Strided, not contiguous: the cost of a search differs between components, and neighbours
    in the unit order tend to lie in one component.
    """
    return [part for part in (positions[i::PARTS] for i in range(PARTS)) if len(part)]


def compare_partitions(first: np.ndarray, second: np.ndarray) -> tuple[float, float]:
    """Return the adjusted Rand index and the normalised mutual information of two partitions."""
    a, b = first.tolist(), second.tolist()
    return (
        float(igraph.compare_communities(a, b, method="adjusted_rand")),
        float(igraph.compare_communities(a, b, method="nmi")),
    )


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Give the engine its own random generator with ``seed``, for repeatable results.

    The engine draws from Python's `random` module by default (eigenvector centrality draws its
    start vector there, so its last digits vary from call to call); inside this block it uses a
    generator of its own and leaves `random` untouched. Afterwards it uses `random` again.
    """
    igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 - not for security
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def tie_graph(network: Network, kinds: str | Iterable[str] | None = None) -> TieGraph:
    """Return the network's ties of the given kinds in the compiled engine, converted once.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to include (one or several); all kinds when omitted.

    Raises
    ------
    NetworkEditError
        When a kind is unknown.

    Examples
    --------
    >>> graph = tie_graph(netkoop.load("beispielregion"))
    >>> graph.n, len(graph.tie_ends), len(graph.pairs)  # two ties join Birkenhain and Dorfstetten
    (13, 21, 20)
    """
    chosen = select_tie_kinds(kinds)
    # Network has __slots__ without __weakref__, so the cache lives in the network itself.
    return network.cached(("engine", chosen), lambda: TieGraph(network, chosen))
