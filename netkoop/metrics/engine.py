"""The one adapter to the compiled graph engine (python-igraph): convert once, map results back.

Every heavy network metric goes through `tie_graph`; no other module imports igraph. The
adapter returns results with networkx's meaning (its normalisations and its handling of
disconnected graphs), so that swapping the engine changes this module only.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import igraph
import numpy as np
import pandas as pd

from netkoop.model.network import Network
from netkoop.model.vocabulary import select_tie_kinds


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

    def betweenness(self, sources: np.ndarray | None = None) -> pd.Series:
        """Return betweenness as networkx's ``betweenness_centrality`` (normalized, unweighted).

        Parameters
        ----------
        sources
            Vertex positions of sampled source units, as networkx's ``k`` samples them (all
            units are targets); every unit is a source when omitted. Scaled as networkx scales
            a sample: a sampled unit by ``1 / ((k - 1)(n - 2))``, others by ``1 / (k(n - 2))``.
        """
        n = self.n
        if sources is None:
            raw = self._graph.betweenness(directed=False)
        else:
            raw = self._graph.betweenness(directed=False, sources=sources.tolist())
        # The engine counts each unordered pair once (halving when sources are a subset);
        # networkx counts ordered (s, t) pairs, so double.
        counts = 2.0 * np.asarray(raw, dtype=np.float64)
        if n <= 2:
            return self.series(np.zeros(n), "betweenness")
        if sources is None:
            return self.series(counts / ((n - 1) * (n - 2)), "betweenness")
        k = len(sources)
        sampled = np.zeros(n, dtype=bool)
        sampled[sources] = True
        scale = np.where(sampled, 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan, 1 / (k * (n - 2)))
        return self.series(counts * scale, "betweenness")

    def closeness(self) -> pd.Series:
        """Return closeness as networkx's ``closeness_centrality`` (Wasserman–Faust scaled).

        A unit reaching ``r - 1`` others at total distance ``d`` gets
        ``(r - 1) / d * (r - 1) / (n - 1)``; an isolate gets 0. The engine computes
        ``(r - 1) / d`` within the component; the factor makes it networkx's value.
        """
        n = self.n
        if n < 2:
            return self.series(np.zeros(n), "closeness")
        within = np.nan_to_num(np.asarray(self._graph.closeness(normalized=True), np.float64))
        reached = self.component_sizes[self.component] - 1
        return self.series(within * reached / (n - 1), "closeness")

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
