"""The headline measures of a network (ties, components, E-I index, commuter coverage, hub
connection, offices), by name, and the same measures on many subsets of one network's rows.

`MEASURES` takes each measure of a whole network through the metrics functions; simulations
take them after every run. `Subsets` computes them on masks over one network's units and
ties (the network on a date, say) from codes worked out once: a timeline of thirteen dates
costs about one metrics run, not thirteen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netkoop.metrics.kreis import ei_index
from netkoop.metrics.pairs import commuters_by_pair, pair_keys, unit_codes
from netkoop.metrics.resilience import ANCHORED_KINDS, hub_connection
from netkoop.metrics.structure import cohesion
from netkoop.model.network import Network
from netkoop.model.selection import NOT_SURVEYED, confirmation
from netkoop.model.vocabulary import TIE_KINDS

#: Coordination offices that count as working.
WORKING_OFFICES: tuple[str, ...] = ("project", "permanent", "mandatory")


@dataclass(frozen=True, eq=False)
class Commuters:
    """Commuters per unordered pair of units, counted once and reused.

    Interventions change flows only by removing units (and their flows), so a network with
    as many flows as the one counted has its flows; the network on a date has fewer flows
    only when units ended. ``index`` holds the unit ids, ``keys`` the pair keys
    (`netkoop.metrics.pairs.pair_keys` over positions in ``index``, sorted), ``volume`` the
    commuters of each pair and ``flows`` the number of flows counted.
    """

    index: pd.Index
    keys: np.ndarray
    volume: np.ndarray
    flows: int

    @classmethod
    def of(cls, network: Network) -> Commuters:
        """Count the commuters of each pair of units of ``network``, both directions summed."""
        index = pd.Index(network.units["id"])
        flows = network.flows
        keys, volume = commuters_by_pair(flows, index)
        return cls(index, keys, volume, len(flows))

    def coverage(self, network: Network) -> float:
        """Return the share of commuters that travel between two units joined by a tie.

        NaN when no one commutes between two units.

        Examples
        --------
        >>> net = netkoop.load("beispielregion")
        >>> round(Commuters.of(net).coverage(net), 3)
        0.699
        """
        if len(network.flows) != self.flows:  # a step removed units and their flows
            return Commuters.of(network).coverage(network)
        total = float(self.volume.sum())
        if not total:
            return math.nan
        ties = network.ties
        n = len(self.index)
        a, b = unit_codes(self.index, ties["from"]), unit_codes(self.index, ties["to"])
        tied = pair_keys(a[(a >= 0) & (b >= 0)], b[(a >= 0) & (b >= 0)], n)
        return float(self.volume[np.isin(self.keys, tied)].sum()) / total


Measure = Callable[[Network, Commuters], float]


def _anchored_share(network: Network, column: str) -> float:
    anchored = hub_connection(network)
    return float(anchored[column].mean()) if len(anchored) else math.nan


def _largest_share(network: Network) -> float:
    counts = cohesion(network)
    return counts["largest_component"] / counts["units"] if counts["units"] else math.nan


def _offices(network: Network) -> float:
    units = network.units
    if "coordination_office" not in units.columns:
        return math.nan
    return float(units["coordination_office"].isin(WORKING_OFFICES).sum())


#: The headline measures by name (the names simulate's ``measures=`` and ``--metric`` take).
MEASURES: Mapping[str, Measure] = {
    "ties": lambda net, _: float(cohesion(net)["ties"]),
    "components": lambda net, _: float(cohesion(net)["components"]),
    "largest_component": lambda net, _: _largest_share(net),
    "isolates": lambda net, _: float(cohesion(net)["isolates"]),
    "density": lambda net, _: float(cohesion(net)["density"]),
    "ei_index": lambda net, _: ei_index(net).overall,
    "commuter_coverage": lambda net, commuters: commuters.coverage(net),
    "hub_connected": lambda net, _: _anchored_share(net, "connected"),
    "hub_tied": lambda net, _: _anchored_share(net, "tied"),
    "offices": lambda net, _: _offices(net),
}

#: What each measure means, for help texts and the written report.
MEASURE_HELP: Mapping[str, str] = {
    "ties": "number of ties",
    "components": "connected components of the tie graph (an isolate is one)",
    "largest_component": "share of units in the largest component",
    "isolates": "units without any tie",
    "density": "tied pairs / possible pairs",
    "ei_index": "E-I index of ties across vs inside Kreis borders",
    "commuter_coverage": "share of commuters travelling between tied units",
    "hub_connected": "share of Gemeinden and Kreise with a path to their Kreis hub or a Land forum",
    "hub_tied": "share of Gemeinden and Kreise with a tie to their Kreis hub or a Land forum",
    "offices": "units with a working coordination office (project, permanent or mandatory)",
}

#: `MEASURE_HELP` in German, for the terminal.
MEASURE_HELP_DE: Mapping[str, str] = {
    "ties": "Zahl der Verbindungen",
    "components": "Komponenten des Verbindungsnetzes (eine Einheit ohne Verbindung ist eine)",
    "largest_component": "Anteil der Einheiten in der größten Komponente",
    "isolates": "Einheiten ohne jede Verbindung",
    "density": "verbundene Paare / mögliche Paare",
    "ei_index": "E-I-Index der Verbindungen über Kreisgrenzen gegen die im Kreis",
    "commuter_coverage": "Anteil der Pendelnden zwischen verbundenen Einheiten",
    "hub_connected": "Anteil der Gemeinden und Kreise mit einem Weg zu ihrem Landkreis oder "
    "einem Austauschformat ihres Landes",
    "hub_tied": "Anteil der Gemeinden und Kreise mit einer Verbindung zu ihrem Landkreis oder "
    "einem Austauschformat ihres Landes",
    "offices": "Einheiten mit arbeitender Koordinierungsstelle (Projekt, dauerhaft oder Pflicht)",
}

#: The measure of a survey's ties, taken where the ties carry a ``confirmed`` column.
CONFIRMED_SHARE = "confirmed_share"

#: What `confirmed_share` means.
CONFIRMED_SHARE_HELP = "share of the ties a survey reported that both sides reported"


def confirmed_share(network: Network) -> float:
    """Return the share of the survey's ties that both sides reported (``confirmed`` yes).

    Ties no survey reported (no ``confirmed`` value) do not count; NaN when there is no
    survey tie.

    Examples
    --------
    >>> units = [{"id": i, "name": i, "kind": "landkreis", "land": "03"} for i in "abc"]
    >>> ties = [{"from": "a", "to": "b", "kind": "exchange", "confirmed": "yes"},
    ...         {"from": "a", "to": "c", "kind": "exchange", "confirmed": "no"},
    ...         {"from": "b", "to": "c", "kind": "exchange"}]  # not from the survey
    >>> confirmed_share(netkoop.Network.from_tables(units, ties))
    0.5
    """
    states = confirmation(network.ties)
    surveyed = int((states != NOT_SURVEYED).sum())
    return int((states == "yes").sum()) / surveyed if surveyed else math.nan


def ties_column(kind: str) -> str:
    """The name of the count of one tie kind in a table of measures: ``ties_<kind>``."""
    return f"ties_{kind}"


class Subsets:
    """The headline measures of one network's subsets: some of its units and ties.

    Everything that does not depend on the subset (unit codes of the tie ends, Kreise,
    hubs, Länder, pair keys, the commuters of each pair) is worked out once; `measure` then
    needs a few array operations per subset. A subset gives the values `MEASURES` gives on
    the network with just those rows (a tie counts when it and both its ends are kept; a
    flow when both its ends are kept), and the counts of ties by kind; with a ``confirmed``
    column also `confirmed_share`.

    Parameters
    ----------
    network
        The network whose rows the masks select.
    commuters
        The network's `Commuters`, when counted already.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> subsets = Subsets(net)
    >>> everything = subsets.measure()
    >>> everything["ties"], everything["components"], everything["ties_exchange"]
    (21, 1, 12)
    >>> exchanges = (net.ties["kind"] == "exchange").to_numpy()
    >>> only = subsets.measure(ties=exchanges)  # the two forums lose their ties
    >>> only["ties"], only["components"], only["isolates"]
    (12, 3, 2)
    """

    def __init__(self, network: Network, commuters: Commuters | None = None) -> None:
        units, ties = network.units, network.ties
        index = pd.Index(units["id"])
        self.n = n = len(index)
        self._from = unit_codes(index, ties["from"])
        self._to = unit_codes(index, ties["to"])
        self._kind = pd.Categorical(ties["kind"], categories=TIE_KINDS).codes.astype(np.int64)
        keys = pair_keys(self._from, self._to, n)
        self._pair, unique = pd.factorize(keys)
        unique = np.asarray(unique, dtype=np.int64)
        self._pair_low, self._pair_high = unique // max(n, 1), unique % max(n, 1)

        kreis = pd.factorize(network.kreis.reindex(index))[0]  # no Kreis: -1
        in_kreis = (kreis[self._from] >= 0) & (kreis[self._to] >= 0)
        self._ei_counted = in_kreis
        self._ei_external = in_kreis & (kreis[self._from] != kreis[self._to])

        kind = units["kind"].to_numpy()
        self._land = pd.factorize(units["land"])[0]  # no Land: -1
        self._forum = (kind == "forum") & (self._land >= 0)
        parent = units["parent"].where(units["kind"] == "gemeinde")
        landkreise = units["id"][kind == "landkreis"]
        self._hub = np.asarray(index.get_indexer(parent.where(parent.isin(landkreise))))
        self._anchored = np.isin(kind, ANCHORED_KINDS)

        offices = units.get("coordination_office")
        self._working = None if offices is None else offices.isin(WORKING_OFFICES).to_numpy()

        self._commuters = commuters if commuters is not None else Commuters.of(network)
        flow_keys = self._commuters.keys
        found = np.searchsorted(flow_keys, unique)
        hit = found < len(flow_keys)
        hit[hit] = flow_keys[found[hit]] == unique[hit]
        self._pair_flow = np.where(hit, found, -1)  # each tied pair's commuters, if any
        self._flow_low, self._flow_high = flow_keys // max(n, 1), flow_keys % max(n, 1)

        self._surveyed: np.ndarray | None = None
        self._confirmed: np.ndarray | None = None
        if "confirmed" in ties.columns:
            states = confirmation(ties).to_numpy()
            self._surveyed, self._confirmed = states != NOT_SURVEYED, states == "yes"

    @property
    def names(self) -> tuple[str, ...]:
        """The names `measure` returns, in order."""
        rest = [name for name in MEASURES if name != "ties"]
        names = ["units", "ties", *map(ties_column, TIE_KINDS), *rest]
        if self._working is None:
            names.remove("offices")
        if self._surveyed is not None:
            names.append(CONFIRMED_SHARE)
        return tuple(names)

    def measure(
        self,
        units: np.ndarray | None = None,
        ties: np.ndarray | None = None,
        offices: np.ndarray | None = None,
    ) -> dict[str, float | int]:
        """Measure the network with the units and ties whose mask is True (all when None).

        ``offices`` masks the units whose coordination office counts (an office outside
        its dates counts as none); all when None. Counts come back as int, the rest as
        float (NaN where a share has nothing to divide by).
        """
        return self.measure_anchored(units, ties, offices)[0]

    def measure_anchored(
        self,
        units: np.ndarray | None = None,
        ties: np.ndarray | None = None,
        offices: np.ndarray | None = None,
    ) -> tuple[dict[str, float | int], np.ndarray]:
        """`measure`, and per unit whether it is kept and connected to an anchor.

        The array has one entry per unit of the network, in unit order: True where the unit
        is kept, of `ANCHORED_KINDS`, and has a path to its Kreis hub or a forum of its Land
        (the ``connected`` of `netkoop.metrics.resilience.hub_connection` on the subset).

        Examples
        --------
        >>> net = netkoop.load("beispielregion")
        >>> values, connected = Subsets(net).measure_anchored()
        >>> int(connected.sum()), values["hub_connected"]
        (11, 1.0)
        """
        kept = np.ones(self.n, dtype=bool) if units is None else np.asarray(units, dtype=bool)
        chosen = np.ones(len(self._from), dtype=bool) if ties is None else np.asarray(ties)
        chosen = chosen & kept[self._from] & kept[self._to]
        n_units = int(kept.sum())
        pairs = np.zeros(len(self._pair_low), dtype=bool)
        pairs[self._pair[chosen]] = True
        low, high = self._pair_low[pairs], self._pair_high[pairs]
        component = components(self.n, low, high)
        sizes = np.bincount(component[kept], minlength=self.n)
        sizes = sizes[sizes > 0]
        n_pairs = int(pairs.sum())
        values: dict[str, float | int] = {"units": n_units, "ties": int(chosen.sum())}
        by_kind = np.bincount(self._kind[chosen], minlength=len(TIE_KINDS))
        values.update({ties_column(k): int(c) for k, c in zip(TIE_KINDS, by_kind, strict=True)})
        values |= {
            "components": len(sizes),
            "largest_component": int(sizes.max()) / n_units if n_units else math.nan,
            "isolates": int((sizes == 1).sum()),
            "density": 2 * n_pairs / (n_units * (n_units - 1)) if n_units > 1 else 0.0,
            "ei_index": self._ei(chosen),
            "commuter_coverage": self._coverage(None if units is None else kept, pairs),
        }
        tied, connected = self._anchors(kept, low, high, component)
        anchored = self._anchored & kept
        if anchored.any():
            values["hub_connected"] = float(connected[anchored].mean())
            values["hub_tied"] = float(tied[anchored].mean())
        else:
            values["hub_connected"] = values["hub_tied"] = math.nan
        if self._working is not None:
            working = self._working & kept if offices is None else self._working & kept & offices
            values["offices"] = int(working.sum())
        if self._surveyed is not None and self._confirmed is not None:
            surveyed = int((self._surveyed & chosen).sum())
            confirmed = int((self._confirmed & chosen).sum())
            values[CONFIRMED_SHARE] = confirmed / surveyed if surveyed else math.nan
        return {name: values[name] for name in self.names}, connected & anchored

    def _ei(self, chosen: np.ndarray) -> float:
        counted = int((self._ei_counted & chosen).sum())
        external = int((self._ei_external & chosen).sum())
        return (2 * external - counted) / counted if counted else math.nan

    def _coverage(self, kept: np.ndarray | None, pairs: np.ndarray) -> float:
        volume = self._commuters.volume
        if kept is None:  # every unit and so every flow is kept
            total = float(volume.sum())
        else:
            total = float(volume[kept[self._flow_low] & kept[self._flow_high]].sum())
        if not total:
            return math.nan
        found = self._pair_flow[pairs]
        return float(volume[found[found >= 0]].sum()) / total

    def _anchors(
        self, kept: np.ndarray, low: np.ndarray, high: np.ndarray, component: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per unit: tied to an anchor, and connected to one (see `hub_connection`)."""
        land, forum = self._land, self._forum & kept
        hub = np.where((self._hub >= 0) & kept[np.maximum(self._hub, 0)], self._hub, -1)
        tied = np.zeros(self.n, dtype=bool)
        for one, other in ((low, high), (high, low)):
            anchor = (hub[one] == other) | (forum[other] & (land[other] == land[one]))
            tied[one[anchor]] = True
        forum_keys = np.unique(land[forum] * self.n + component[forum])
        connected = np.isin(land * self.n + component, forum_keys) & (land >= 0)
        has_hub = hub >= 0
        connected[has_hub] |= component[has_hub] == component[hub[has_hub]]
        return tied, connected


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Label the connected components of ``n`` vertices joined by the edges ``a``-``b``.

    Each vertex gets the smallest vertex of its component, by hooking roots onto smaller
    roots along the edges and halving paths until every edge joins two equal labels: a few
    passes over the edges in numpy, however they are ordered.

    Examples
    --------
    >>> components(5, np.array([3, 1]), np.array([4, 0])).tolist()
    [0, 0, 2, 3, 3]
    """
    label = np.arange(n, dtype=np.int64)
    while True:
        first, second = label[a], label[b]
        differ = first != second
        if not differ.any():
            return label
        low = np.minimum(first[differ], second[differ])
        high = np.maximum(first[differ], second[differ])
        np.minimum.at(label, high, low)
        while True:  # point every vertex at its root
            root = label[label]
            if np.array_equal(root, label):
                break
            label = root
