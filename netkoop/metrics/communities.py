"""Communities in the tie network (Leiden or Louvain, seeded), compared with the Kreis partition."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError
from netkoop.metrics.engine import compare_partitions, tie_graph
from netkoop.model.network import Network

Method = Literal["leiden", "louvain"]

#: Community detection methods, by the name `find_communities` accepts.
METHODS: tuple[Method, ...] = ("leiden", "louvain")


def _canonical(membership: np.ndarray) -> np.ndarray:
    """Relabel communities by falling size, ties in size broken by their first unit."""
    labels, first, inverse, sizes = np.unique(
        membership, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.lexsort((first, -sizes))
    rank = np.empty(len(labels), dtype="int64")
    rank[order] = np.arange(len(labels))
    return rank[inverse]


def _check_method(method: str) -> Method:
    for known in METHODS:
        if method == known:
            return known
    raise MetricsError(f"unknown community method {method!r}; methods: {', '.join(METHODS)}")


def find_communities(
    network: Network,
    *,
    method: Method = "leiden",
    seed: int = 0,
    kinds: str | Iterable[str] | None = None,
) -> pd.Series:
    """Find communities of units that maximise modularity, with igraph's Leiden or Louvain.

    The ties are taken as undirected; two units with several ties are joined with the weight
    of their number of ties. Leiden (Traag, Waltman & van Eck 2019) runs with the modularity
    objective until an iteration brings no improvement; Louvain is Blondel et al.'s (2008)
    multilevel method. Both visit units in a random order: the same ``seed`` gives the same
    communities, other seeds may give others of similar modularity.

    The engine draws from a generator seeded here (see `netkoop.metrics.engine.seeded`); the
    global state of `random` is left as it was.

    Parameters
    ----------
    network
        The network.
    method
        ``"leiden"`` or ``"louvain"``.
    seed
        Seed of the random order.
    kinds
        Tie kinds to use (one or several); all kinds when omitted.

    Returns
    -------
    The community of each unit (int64, named ``community``, index ``id`` in the order of
    `Network.units`): 0 for the largest community, then by falling size, ties broken by the
    first unit in the table. A unit without ties is a community of its own.

    Raises
    ------
    NetkoopError
        When the method is unknown.
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> found = find_communities(netkoop.load("beispielregion"), seed=1)
    >>> bool(found["auenfeld"] == found["birkenhain"]), bool(found["auenfeld"] == found["gruenau"])
    (True, False)
    """
    graph = tie_graph(network, kinds)
    labels = _canonical(graph.communities(_check_method(method), seed))
    return pd.Series(labels, index=graph.ids, name="community")


def _kreis_groups(network: Network) -> pd.Series:
    """Return each unit's Kreis, or the unit's own id when it belongs to no Kreis."""
    units = network.units
    return pd.Series(
        units["id"].map(network.kreis).fillna(units["id"]).to_numpy(),
        index=pd.Index(units["id"], name="id"),
        name="kreis",
    )


def _agreement(first: np.ndarray, second: np.ndarray) -> tuple[float, float]:
    """Return the adjusted Rand index and the NMI of two partitions (1 when identical)."""
    if len(first) == 0:
        return float("nan"), float("nan")
    cells = len(pd.DataFrame({"a": first, "b": second}).drop_duplicates())
    if cells == len(np.unique(first)) == len(np.unique(second)):
        # Same partition; the formulas divide 0 by 0 when it is trivial (one group or all apart).
        return 1.0, 1.0
    return compare_partitions(first, second)


def communities_vs_kreise(
    network: Network,
    *,
    method: Method = "leiden",
    seed: int = 0,
    kinds: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """Compare the communities `find_communities` finds with the partition into Kreise.

    In the Kreis partition a Landkreis forms one group with its Gemeinden, a kreisfreie
    Stadt a group of its own, and a unit without a Kreis (a Land or a forum) a group of its
    own. Modularity is computed on all units (units without ties add nothing to it); the
    adjusted Rand index, the NMI, the counts and the cross table cover the units with at
    least one tie of the chosen kinds, since a unit without ties gives no evidence either way.

    Parameters
    ----------
    network
        The network.
    method
        ``"leiden"`` or ``"louvain"``.
    seed
        Seed of the community detection.
    kinds
        Tie kinds to use (one or several); all kinds when omitted.

    Returns
    -------
    A dict with ``method`` and ``seed`` as given; ``units`` (units compared: those with a
    tie) and ``isolates`` (units left out); ``communities`` and ``kreise`` (groups among the
    units compared); ``modularity_kreise`` and ``modularity_communities`` (weighted by the
    number of ties per pair, directions ignored); ``adjusted_rand`` (Hubert & Arabie 1985)
    and ``nmi`` (normalized mutual information, arithmetic mean of the two entropies, as
    Danon et al. 2005); and ``crosstab``, a DataFrame of int64 unit counts with one row per
    community (index ``community``) and one column per Kreis or Kreis-less unit (columns
    named ``kreis``). Values are plain Python ints and floats; a float is NaN when undefined
    (no ties).

    Raises
    ------
    NetkoopError
        When the method is unknown.
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> result = communities_vs_kreise(netkoop.load("beispielregion"))
    >>> result["communities"], result["kreise"]  # Kreise: two Landkreise, the city, two forums
    (3, 5)
    >>> round(result["modularity_kreise"], 3)
    0.289
    """
    chosen = _check_method(method)
    graph = tie_graph(network, kinds)
    found = _canonical(graph.communities(chosen, seed))
    groups = _kreis_groups(network)
    kreis_codes = pd.factorize(groups)[0]
    tied = np.zeros(graph.n, dtype=bool)
    tied[graph.tie_ends.ravel()] = True
    compared_found = found[tied]
    compared_kreis = kreis_codes[tied]
    adjusted_rand, nmi = _agreement(compared_found, compared_kreis)
    crosstab = pd.crosstab(
        pd.Series(compared_found, name="community"),
        pd.Series(groups.to_numpy()[tied], name="kreis"),
    ).astype("int64")
    return {
        "method": chosen,
        "seed": seed,
        "units": int(tied.sum()),
        "isolates": int((~tied).sum()),
        "communities": len(np.unique(compared_found)),
        "kreise": len(np.unique(compared_kreis)),
        "modularity_kreise": graph.modularity(kreis_codes),
        "modularity_communities": graph.modularity(found),
        "adjusted_rand": adjusted_rand,
        "nmi": nmi,
        "crosstab": crosstab,
    }
