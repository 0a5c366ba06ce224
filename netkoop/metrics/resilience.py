"""Who is still anchored: units tied to, or reaching, their Kreis hub or a forum of their Land.

When voluntary structures end, the question is not only how many ties are left but whether a
Gemeinde still has a line to the Landkreis that coordinates integration, or to an exchange
format of its Land, and whether a Kreis still takes part in one.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netkoop.metrics.engine import tie_graph
from netkoop.model.network import Network
from netkoop.model.vocabulary import select_tie_kinds

#: The unit kinds `hub_connection` reports on.
ANCHORED_KINDS: tuple[str, ...] = ("gemeinde", "landkreis", "kreisfreie_stadt")


def hub_connection(network: Network, *, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Tell for each Gemeinde, Landkreis and kreisfreie Stadt whether it is still anchored.

    A unit's anchors are the forums of its Land (forum units with the same ``land``) and, for
    a kreisangehörige Gemeinde, its Kreis hub: the Landkreis it belongs to. A Landkreis or
    kreisfreie Stadt is its own Kreis, so only a Land forum anchors it.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted. Directed kinds count in
        either direction.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit id (in unit order), for the units of `ANCHORED_KINDS`: ``kind``,
        ``hub`` (the Landkreis of a Gemeinde; missing otherwise), ``tied`` (a tie joins the
        unit to an anchor) and ``connected`` (a path of ties leads from the unit to an
        anchor; implied by ``tied``).

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> anchored = hub_connection(net)
    >>> row = anchored.loc["birkenhain"]  # tied to Gemeinden of its Kreis only
    >>> row["hub"], bool(row["tied"]), bool(row["connected"])
    ('lk-nord', False, True)
    >>> round(float(anchored["connected"].mean()), 3), round(float(anchored["tied"].mean()), 3)
    (1.0, 0.636)
    """
    chosen = select_tie_kinds(kinds)
    # Cached like the tie graph: simulations ask for it once per measure.
    return network.cached(("hub_connection", chosen), lambda: _anchored(network, chosen)).copy()


def _anchored(network: Network, kinds: tuple[str, ...]) -> pd.DataFrame:
    graph = tie_graph(network, kinds)
    units = network.units
    kind = units["kind"].to_numpy()
    land = pd.factorize(units["land"])[0]  # missing Land: -1
    parent = units["parent"].where(units["kind"] == "gemeinde")
    hub = graph.ids.get_indexer(parent.where(parent.isin(units["id"][kind == "landkreis"])))
    forum = (kind == "forum") & (land >= 0)

    # Direct: a tie joins the unit to its hub or to a forum of its Land.
    a, b = graph.pairs[:, 0], graph.pairs[:, 1]
    tied = np.zeros(graph.n, dtype=bool)
    for one, other in ((a, b), (b, a)):
        anchor = (hub[one] == other) | (forum[other] & (land[other] == land[one]))
        tied[one[anchor]] = True

    # Through paths: the unit shares a component with its hub or a forum of its Land.
    component = graph.component
    n_components = len(graph.component_sizes)
    forum_keys = np.unique(land[forum] * n_components + component[forum])
    connected = np.isin(land * n_components + component, forum_keys) & (land >= 0)
    has_hub = hub >= 0
    connected[has_hub] |= component[has_hub] == component[hub[has_hub]]

    chosen = np.isin(kind, ANCHORED_KINDS)
    return pd.DataFrame(
        {
            "kind": kind[chosen],
            "hub": parent[chosen].to_numpy(),
            "tied": tied[chosen],
            "connected": connected[chosen],
        },
        index=pd.Index(units["id"][chosen], name="id"),
    )
