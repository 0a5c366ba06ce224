"""A focus: one Kommune, one Kreis or one Land that a coordinator asks about ("what about *my*
Kreis?"), and the units that belong to it.

Metrics, the commuting gap, recommendations, maps and the report narrow themselves to a focus
with `focus` and `Focus.touches`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.model.keys import LAND_NAMES
from netkoop.model.network import Network


@dataclass(frozen=True)
class Focus:
    """The unit asked about and its area.

    Attributes
    ----------
    key
        The unit's id (for a Land given by its key without a Land unit: the key).
    name, kind
        The unit's name and kind (``land`` for a Land key).
    kreis
        The Kreis the unit belongs to (a Landkreis or kreisfreie Stadt is its own Kreis);
        None for a forum or a Land.
    land
        The unit's Land key; None when it has none.
    area
        The ids of the unit and of the units that belong to it: a Landkreis's Gemeinden, a
        Land's Kreise and Gemeinden; just the unit for a Gemeinde, a kreisfreie Stadt or a
        forum.
    kreis_area
        The area of the focus's Kreis: for a kreisangehörige Gemeinde its Landkreis and every
        Gemeinde of it; otherwise the same as ``area``.
    """

    key: str
    name: str
    kind: str
    kreis: str | None
    land: str | None
    area: frozenset[str]
    kreis_area: frozenset[str]

    def touches(self, a: pd.Series, b: pd.Series) -> np.ndarray:
        """Mark the pairs ``(a[i], b[i])`` with at least one end in the area."""
        area = list(self.area)
        return np.asarray(a.isin(area).to_numpy() | b.isin(area).to_numpy(), dtype=bool)

    def within(self, ids: pd.Series) -> np.ndarray:
        """Mark the ids that lie in the area."""
        return np.asarray(ids.isin(list(self.area)).to_numpy(), dtype=bool)


def focus(network: Network, key: str) -> Focus:
    """Return the focus on the unit ``key`` (or the Land of that key) of ``network``.

    Raises
    ------
    NetkoopError
        When ``key`` names no unit and no Land of the network; the message suggests a unit
        with a near id or name.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> around = focus(net, "lk-nord")
    >>> around.name, around.kreis, sorted(around.area)[:3], len(around.area)
    ('Landkreis Nordheide', 'lk-nord', ['auenfeld', 'birkenhain', 'dorfstetten'], 5)
    >>> gemeinde = focus(net, "eichwalde")
    >>> gemeinde.area, gemeinde.kreis, gemeinde.kreis_area == around.area
    (frozenset({'eichwalde'}), 'lk-nord', True)
    """
    units = network.units
    found = units[units["id"] == key]
    if len(found):
        row = found.iloc[0]
        kind = str(row["kind"])
        land = row["land"] if isinstance(row["land"], str) else None
        kreis = network.kreis.get(key)
        kreis = kreis if isinstance(kreis, str) else None
        kreis_of = network.kreis.reindex(units["id"]).to_numpy()
        in_kreis = _members(network, units["id"][kreis_of == kreis]) if kreis else frozenset({key})
        if kind == "landkreis":
            area = in_kreis
        elif kind == "land" and land is not None:
            area = _members(network, units["id"][units["land"] == land]) | {key}
        else:
            area = frozenset({key})
        around = in_kreis if kind == "gemeinde" and kreis is not None else area
        return Focus(key, str(row["name"]), kind, kreis, land, area, around)
    if (units["land"] == key).any():
        area = _members(network, units["id"][(units["land"] == key)])
        return Focus(key, LAND_NAMES.get(key, key), "land", None, key, area, area)
    raise NetkoopError(f"focus: {key!r} is no unit of this network{did_you_mean(units, key)}")


def _members(network: Network, ids: pd.Series) -> frozenset[str]:
    """The ids, without forums (a forum of a Land is a partner, not part of it)."""
    kinds = network.units.set_index("id")["kind"]
    return frozenset(str(i) for i in ids if kinds.get(i) != "forum")


def did_you_mean(units: pd.DataFrame, key: str, *, kinds: frozenset[str] | None = None) -> str:
    """``; did you mean '03254' (Hildesheim)?`` for a near id or name, else nothing.

    ``kinds`` limits the suggestions to units of these kinds.
    """
    chosen = units if kinds is None else units[units["kind"].isin(list(kinds))]
    names = dict(zip(chosen["id"].astype(str), chosen["name"].astype(str), strict=True))
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.7)
    if not close:
        by_name = {name.casefold(): i for i, name in names.items()}
        match = difflib.get_close_matches(key.casefold(), list(by_name), n=1, cutoff=0.7)
        close = [by_name[match[0]]] if match else []
    return f"; did you mean {close[0]!r} ({names[close[0]]})?" if close else ""
