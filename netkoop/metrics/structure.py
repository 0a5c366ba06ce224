"""Structure of the tie graph: degree, centrality, cohesion, and the units and ties holding it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError
from netkoop.metrics.engine import TieGraph, tie_graph
from netkoop.model.network import Network
from netkoop.model.vocabulary import TIE_KINDS, select_tie_kinds

#: Weight of a tie by its intensity in ``weighted_degree``; a tie without intensity weighs 1.
INTENSITY_WEIGHTS: Mapping[str, int] = MappingProxyType(
    {"occasional": 1, "regular": 2, "intensive": 3}
)

#: Source units sampled for ``betweenness="sampled"`` when ``samples`` is not given.
DEFAULT_SAMPLES = 1000

#: Columns of `unit_structure`, in order.
UNIT_COLUMNS: tuple[str, ...] = (
    "degree",
    "neighbours",
    "weighted_degree",
    "clustering",
    "betweenness",
    "closeness",
    "eigenvector",
    "core_number",
    "articulation",
    "component",
)

#: Columns of `structure_by_tie_kind`, in order.
KIND_COLUMNS: tuple[str, ...] = (
    "ties",
    "units",
    "pairs",
    "density",
    "components",
    "isolates",
    "largest_component",
    "transitivity",
)


def unit_structure(
    network: Network,
    *,
    kinds: str | Iterable[str] | None = None,
    betweenness: Literal["exact", "sampled"] = "exact",
    samples: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
) -> pd.DataFrame:
    """Measure each unit's position in the tie graph.

    Every measure but ``degree`` and ``weighted_degree`` is computed, unweighted, on the
    simple undirected graph: units joined by one tie or several count as one pair, and
    directed kinds count both ways. The heavy measures run in a compiled engine
    (`netkoop.metrics.engine`) with the meaning of their networkx counterparts.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to include (one or several); all kinds when omitted.
    betweenness
        ``"exact"`` uses every unit as a source of shortest paths; ``"sampled"`` estimates
        from ``samples`` source units drawn at random, as networkx's
        ``betweenness_centrality(k=samples)`` does.
    samples
        Number of source units for sampled betweenness (at least 2; default
        `DEFAULT_SAMPLES`). As many as there are units or more gives exact betweenness.
    seed
        Seed of the sample of source units; the same seed gives the same result.
    jobs
        Worker processes for betweenness and closeness (-1 for every core), or a Dask
        cluster's workers under ``joblib.parallel_config(backend="dask")``; see
        `netkoop.metrics.engine.TieGraph.paths`. The values do not depend on it.

    Returns
    -------
    One row per unit, indexed by unit id (``id``), in the order of `Network.units`, with
    columns:

    - ``degree``: number of ties (each tie of the multigraph counts);
    - ``neighbours``: number of distinct units tied to;
    - ``weighted_degree``: sum of the ties' intensity weights (`INTENSITY_WEIGHTS`:
      occasional 1, regular 2, intensive 3; a tie without intensity 1);
    - ``clustering``: share of pairs of neighbours that are tied themselves (0 for fewer than
      two neighbours), as networkx's ``clustering``;
    - ``betweenness``: share of shortest paths between other units that pass through the
      unit, normalized as networkx's ``betweenness_centrality(normalized=True)``; sampled
      values are scaled as networkx scales ``k`` samples;
    - ``closeness``: networkx's ``closeness_centrality`` with its default Wasserman–Faust
      scaling for disconnected graphs: a unit reaching ``r - 1`` other units at total
      distance ``d`` gets ``(r - 1) / d * (r - 1) / (n - 1)``, so units in small
      components score low; an isolate gets 0;
    - ``eigenvector``: eigenvector centrality computed on the largest component only, with
      unit Euclidean norm over it (as networkx's ``eigenvector_centrality_numpy``, which it
      equals on a connected graph); every unit outside the largest component gets 0, since
      a disconnected graph has no single leading eigenvector;
    - ``core_number``: the largest k such that the unit belongs to a k-core;
    - ``articulation``: whether removing the unit splits its component;
    - ``component``: label of the unit's connected component, 0 for the largest, then by
      falling size (ties in size by the unit order).

    Raises
    ------
    ValueError
        When ``betweenness`` is neither "exact" nor "sampled", ``samples`` is given with
        exact betweenness or is below 2, or ``jobs`` is neither -1 nor at least 1.
    NetworkEditError
        When a tie kind is unknown.

    Examples
    --------
    >>> units = unit_structure(netkoop.load("beispielregion"))
    >>> units.loc["birkenhain", ["degree", "neighbours", "weighted_degree"]].tolist()
    [3, 2, 7]
    >>> units["betweenness"].idxmax()  # alone links Birkenhain and Dorfstetten
    'auenfeld'
    """
    graph = tie_graph(network, kinds)
    sources = _sources(graph.n, betweenness, samples, seed)
    between, close = graph.paths(sources, jobs=jobs)
    degree, weighted = _degrees(network, graph)
    columns = {
        "degree": degree,
        "neighbours": graph.neighbours(),
        "weighted_degree": weighted,
        "clustering": graph.clustering(),
        "betweenness": between,
        "closeness": close,
        "eigenvector": graph.eigenvector(),
        "core_number": graph.core_number(),
        "articulation": graph.articulation(),
        "component": graph.series(graph.component, "component"),
    }
    return pd.DataFrame(columns, index=graph.ids)


def overall_structure(
    network: Network, *, kinds: str | Iterable[str] | None = None
) -> dict[str, int | float]:
    """Measure the tie graph as a whole.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to include (one or several); all kinds when omitted.

    Returns
    -------
    A dict of plain Python numbers:

    - ``units``, ``ties``: numbers of units and of ties (of the chosen kinds);
    - ``pairs``: number of distinct pairs of units joined by at least one tie;
    - ``density``: pairs divided by all possible pairs, ``n(n - 1)/2``;
    - ``components``, ``isolates``, ``largest_component``: number of connected components
      (an isolate is one), of units without a tie, and of units in the largest component;
    - ``transitivity``: share of closed triads (networkx's ``transitivity``);
    - ``average_clustering``: mean local clustering over all units, 0 for units with fewer
      than two neighbours (networkx's ``average_clustering``);
    - ``bridges``: number of ties whose loss splits a component (see `bridges`);
    - ``articulation_points``: number of units whose loss splits a component.

    Raises
    ------
    NetworkEditError
        When a tie kind is unknown.

    Examples
    --------
    >>> overall = overall_structure(netkoop.load("beispielregion"))
    >>> overall["pairs"], overall["components"], overall["bridges"]
    (20, 1, 1)
    """
    graph = tie_graph(network, kinds)
    clustering = graph.clustering()
    return cohesion(network, kinds=kinds) | {
        "average_clustering": float(clustering.mean()) if graph.n else 0.0,
        "bridges": int(_bridge_ties(graph).size),
        "articulation_points": int(graph.articulation().sum()),
    }


def start_unit_structure(
    network: Network,
    *,
    kinds: str | Iterable[str] | None = None,
    betweenness: Literal["exact", "sampled"] = "exact",
    samples: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
) -> None:
    """Begin the shortest paths of `unit_structure` in worker processes, and return at once.

    A later `unit_structure` with the same arguments collects them; meanwhile the caller can
    measure other things (see `netkoop.metrics.engine.TieGraph.start_paths`). The values are
    the same as without this call.

    Raises
    ------
    ValueError
        On the options `unit_structure` refuses.
    """
    graph = tie_graph(network, kinds)
    graph.start_paths(_sources(graph.n, betweenness, samples, seed), jobs=jobs)


def structure_by_tie_kind(network: Network) -> pd.DataFrame:
    """Measure the graph of each tie kind on its own.

    Returns
    -------
    One row per tie kind present, indexed by ``kind`` in vocabulary order, with columns
    ``ties``; ``units`` (units with at least one tie of the kind); and ``pairs``,
    ``density``, ``components``, ``isolates``, ``largest_component``, ``transitivity`` as in
    `overall_structure` with ``kinds=kind``: over all units of the network, so ``isolates``
    counts the units without a tie of that kind.

    Examples
    --------
    >>> by_kind = structure_by_tie_kind(netkoop.load("beispielregion"))
    >>> by_kind.loc["membership", ["ties", "units", "components"]].tolist()
    [5, 6, 8]
    """
    present = set(network.ties["kind"])
    rows = {}
    for kind in (k for k in TIE_KINDS if k in present):
        overall = cohesion(network, kinds=kind)
        rows[kind] = overall | {"units": overall["units"] - overall["isolates"]}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(KIND_COLUMNS))
    table.index.name = "kind"
    return table.astype(
        {c: "float64" if c in ("density", "transitivity") else "int64" for c in KIND_COLUMNS}
    )


def bridges(network: Network, *, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Return the ties whose loss splits a component of the tie graph.

    A tie is a bridge when its pair of units has no other connection: no other path and no
    parallel tie (a pair joined by two ties loses neither by losing one), as networkx's
    ``bridges`` on `Network.graph`.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to include (one or several); all kinds when omitted.

    Returns
    -------
    Columns ``from``, ``to``, ``kind`` of each bridge as in `Network.ties`, indexed by the
    tie's row there.

    Raises
    ------
    NetworkEditError
        When a tie kind is unknown.

    Examples
    --------
    >>> bridges(netkoop.load("beispielregion"))
               from    to        kind
    19  musterstadt  buko  membership
    """
    graph = tie_graph(network, kinds)
    found: pd.DataFrame = network.ties.iloc[graph.tie_positions[_bridge_ties(graph)]]
    return found[["from", "to", "kind"]]


def _sources(n: int, betweenness: str, samples: int | None, seed: int | None) -> np.ndarray | None:
    """Return the vertex positions of the source units for betweenness, None for all."""
    if betweenness == "exact":
        if samples is not None:
            raise MetricsError("samples is only used with betweenness='sampled'")
        return None
    if betweenness != "sampled":
        raise MetricsError(f"betweenness must be 'exact' or 'sampled', not {betweenness!r}")
    k = DEFAULT_SAMPLES if samples is None else samples
    if k < 2:
        raise MetricsError(f"samples must be at least 2, not {k}")
    if k >= n:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))


def _degrees(network: Network, graph: TieGraph) -> tuple[pd.Series, pd.Series]:
    """Count each unit's ties and sum their intensity weights."""
    intensity = network.ties["intensity"].iloc[graph.tie_positions]
    weights = intensity.map(INTENSITY_WEIGHTS).fillna(1).to_numpy(dtype=np.int64)
    ends = graph.tie_ends.ravel()
    degree = np.bincount(ends, minlength=graph.n)
    weighted = np.bincount(ends, weights=np.repeat(weights, 2), minlength=graph.n)
    return (
        graph.series(degree.astype(np.int64), "degree"),
        graph.series(weighted.astype(np.int64), "weighted_degree"),
    )


def cohesion(
    network: Network, *, kinds: str | Iterable[str] | None = None
) -> dict[str, int | float]:
    """Count the tie graph's units, ties, pairs, components and isolates; density, transitivity.

    The cheap part of `overall_structure` (without clustering, bridges and articulation
    points), computed once per network and kind selection.

    Examples
    --------
    >>> counts = cohesion(netkoop.load("beispielregion"))
    >>> counts["ties"], counts["pairs"], counts["components"], counts["largest_component"]
    (21, 20, 1, 13)
    """
    chosen = select_tie_kinds(kinds)
    return dict(network.cached(("cohesion", chosen), lambda: _cohesion(tie_graph(network, chosen))))


def _cohesion(graph: TieGraph) -> dict[str, int | float]:
    n, pairs = graph.n, len(graph.pairs)
    sizes = graph.component_sizes
    return {
        "units": n,
        "ties": len(graph.tie_ends),
        "pairs": pairs,
        "density": 2 * pairs / (n * (n - 1)) if n > 1 else 0.0,
        "components": len(sizes),
        "isolates": int((sizes == 1).sum()),
        "largest_component": int(sizes[0]) if n else 0,
        "transitivity": graph.transitivity(),
    }


def _bridge_ties(graph: TieGraph) -> np.ndarray:
    """Return the positions (into the graph's ties) of the ties that are bridges."""
    single = graph.bridge_pairs() & (graph.pair_ties == 1)
    return np.flatnonzero(single[graph.tie_pair])
