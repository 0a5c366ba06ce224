"""Communities in the tie network (Leiden or Louvain, seeded), compared with the Kreis partition."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

import igraph
import numpy as np
import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.network import Network, _kinds

Method = Literal["leiden", "louvain"]

#: Community detection methods, by the name `find_communities` accepts.
METHODS: tuple[Method, ...] = ("leiden", "louvain")


class _Weighted:
    """The chosen ties as an undirected weighted igraph graph over all units, in unit order.

    Each pair of units with ties is one edge whose weight is the number of its ties, so that
    modularity is that of the multigraph `Network.graph` (directions ignored).
    """

    def __init__(self, network: Network, kinds: str | Iterable[str] | None) -> None:
        ties = network.ties
        ties = ties[ties["kind"].isin(_kinds(kinds))]
        self.ids = pd.Index(network.units["id"], name="id")
        n = len(self.ids)
        ends = np.sort(
            np.column_stack([self.ids.get_indexer(ties["from"]), self.ids.get_indexer(ties["to"])]),
            axis=1,
        ).astype("int64")
        keys, weights = np.unique(ends[:, 0] * n + ends[:, 1], return_counts=True)
        self.graph = igraph.Graph(n=n, edges=np.column_stack([keys // n, keys % n]).tolist())
        self.weights = weights.astype("float64").tolist()
        self.tied = np.zeros(n, dtype=bool)
        self.tied[ends.ravel()] = True

    def modularity(self, membership: np.ndarray) -> float:
        """Return the modularity of a partition given as one integer label per unit."""
        if not self.weights:
            return float("nan")
        return float(self.graph.modularity(membership.tolist(), weights=self.weights))

    def detect(self, method: Method, seed: int) -> np.ndarray:
        """Return community labels per unit: 0 for the largest community, then by size."""
        with _seeded(seed):
            if method == "leiden":
                found = self.graph.community_leiden(
                    objective_function="modularity", weights=self.weights, n_iterations=-1
                )
            else:
                found = self.graph.community_multilevel(weights=self.weights)
        return _canonical(np.asarray(found.membership, dtype="int64"))


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Let igraph draw from a generator of its own seeded with ``seed``, then from `random`.

    igraph draws from Python's `random` module unless told otherwise and offers no way to ask
    which generator it uses, so afterwards it gets the module back (its default) and the
    module's own state is never touched.
    """
    igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 - not cryptography
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


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
    raise NetkoopError(f"unknown community method {method!r}; methods: {', '.join(METHODS)}")


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

    igraph draws from a generator seeded here and afterwards from Python's `random` module
    again (its default); a generator set with ``igraph.set_random_number_generator`` before
    is replaced by that default. The global state of `random` is left as it was.

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
    >>> import netkoop
    >>> found = find_communities(netkoop.load("beispielregion"), seed=1)
    >>> bool(found["auenfeld"] == found["birkenhain"]), bool(found["auenfeld"] == found["gruenau"])
    (True, False)
    """
    chosen = _check_method(method)
    weighted = _Weighted(network, kinds)
    return pd.Series(weighted.detect(chosen, seed), index=weighted.ids, name="community")


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
    a, b = first.tolist(), second.tolist()
    return (
        float(igraph.compare_communities(a, b, method="adjusted_rand")),
        float(igraph.compare_communities(a, b, method="nmi")),
    )


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
    >>> import netkoop
    >>> result = communities_vs_kreise(netkoop.load("beispielregion"))
    >>> result["communities"], result["kreise"]  # Kreise: two Landkreise, the city, two forums
    (3, 5)
    >>> round(result["modularity_kreise"], 3)
    0.289
    """
    chosen = _check_method(method)
    weighted = _Weighted(network, kinds)
    found = weighted.detect(chosen, seed)
    groups = _kreis_groups(network)
    kreis_codes = pd.factorize(groups)[0]
    tied = weighted.tied
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
        "modularity_kreise": weighted.modularity(kreis_codes),
        "modularity_communities": weighted.modularity(found),
        "adjusted_rand": adjusted_rand,
        "nmi": nmi,
        "crosstab": crosstab,
    }
