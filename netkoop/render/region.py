"""A map of one region: a Kreis or a Land and the Kreise around it, cut out of a network.

The neighbours come from the network's borders (pairs of places that touch, read at Kreis
level) or, without borders, from outlines that touch. Page and figure draw the network
`region` (or `focus_region`, the region around a focus) returns and frame it to fit.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetkoopError, NetkoopWarning
from netkoop.model.focus import Focus, did_you_mean
from netkoop.model.keys import LAND_NAMES
from netkoop.model.network import Network
from netkoop.model.vocabulary import KREIS_KINDS
from netkoop.render.projection import to_metres

#: Outlines closer than this many metres count as touching (simplified outlines of
#: neighbours need not share their edges exactly).
TOUCH_METRES = 100.0

#: Unit kinds kept in a region when they are tied to one of its places.
_TIED_KINDS = ("forum", "land")


def region(network: Network, key: str) -> Network:
    """Return the part of ``network`` around a Kreis or a Land: it and its neighbours.

    The Kreise kept are the region's own (the Kreis of ``key``, or every Kreis of the Land)
    and every Kreis that borders one of them (a network without borders and outlines
    gives no neighbours, with a warning); with them go their Gemeinden, the forums and
    Land units tied to any of these, and the ties, flows and borders among the units kept.
    Outlines stay for the units kept, and those of their Länder. The title names the region.

    Parameters
    ----------
    network
        The whole network.
    key
        The id of a Landkreis or kreisfreie Stadt, the id of a Land unit, or a Land key
        (``03``) that units of the network carry.

    Raises
    ------
    NetkoopError
        When ``key`` names no Kreis or Land of the network, or a unit that is neither.

    Examples
    --------
    >>> net = netkoop.Network.from_tables(
    ...     [{"id": k, "name": k, "kind": "landkreis", "land": "03"} for k in "abc"],
    ...     borders=[{"from": "a", "to": "b"}, {"from": "b", "to": "c"}])
    >>> sorted(region(net, "a").units["id"]), sorted(region(net, "b").units["id"])
    (['a', 'b'], ['a', 'b', 'c'])
    """
    own, name = _own_kreise(network.units, key)
    return _cut(network, own, name)


def focus_region(network: Network, focus: Focus) -> Network:
    """Return the region around a focus (`netkoop.model.focus.focus`), titled with its name.

    For a Kreis, or a Gemeinde of it, the region of the Kreis; for a Land the region of the
    Land (see `region`). A focus without a Kreis or Land (a forum, a Gemeinde without its
    Kreis) keeps the whole network; only the title names it.

    Raises
    ------
    NetkoopError
        When the focus is a Land without Kreise in the network.

    Examples
    --------
    >>> from netkoop.model.focus import focus
    >>> kreise = [{"id": k, "name": f"Kreis {k}", "kind": "landkreis"} for k in "abc"]
    >>> eins = {"id": "a1", "name": "Eins", "kind": "gemeinde", "parent": "a"}
    >>> net = netkoop.Network.from_tables(
    ...     pd.DataFrame([*kreise, eins]).assign(land="03"),
    ...     borders=[{"from": "a", "to": "b"}, {"from": "b", "to": "c"}])
    >>> part = focus_region(net, focus(net, "a1"))
    >>> sorted(part.units["id"]), part.metadata.title
    (['a', 'a1', 'b'], 'network – Eins (Kreis a)')
    """
    units = network.units
    title = network.metadata.title or network.name
    if focus.kind == "land":
        own, name = _own_kreise(units, focus.key)
        return _cut(network, own, name)
    kreise = set(units.loc[units["kind"].isin(KREIS_KINDS), "id"])
    if focus.kreis not in kreise:
        return network.with_metadata(title=f"{title} – {focus.name}")
    name = focus.name
    if focus.kreis != focus.key:
        names = units.set_index("id")["name"]
        name = f"{name} ({names.get(focus.kreis, focus.kreis)})"
    return _cut(network, {str(focus.kreis)}, name)


def _cut(network: Network, own: set[str], name: str) -> Network:
    """The Kreise ``own`` and their neighbours, with their Gemeinden, tied forums and Land
    units, titled with ``name``."""
    units = network.units
    kreis = network.kreis
    neighbours = _neighbours(network, own)
    kreise = own | neighbours
    places = units["id"][kreis.reindex(units["id"]).isin(kreise).to_numpy()]
    kept = set(places) | _tied(network, set(places))
    gone = units.loc[~units["id"].isin(kept), "id"]
    part = network.remove_units(gone) if len(gone) else network
    lands = set(part.units["land"].dropna())
    outlines = part.outlines
    stays = (outlines["level"] != "land") | outlines["id"].isin(lands)
    if not stays.all():
        part = part.with_tables(outlines=outlines[stays].reset_index(drop=True))
    title = network.metadata.title or network.name
    return part.with_metadata(title=f"{title} – {name}")


def _own_kreise(units: pd.DataFrame, key: str) -> tuple[set[str], str]:
    """The Kreise of the region and its name; an error naming what was meant otherwise."""
    ids = units["id"]
    found = units[ids == key]
    if len(found):
        row = found.iloc[0]
        if row["kind"] in KREIS_KINDS:
            return {key}, str(row["name"])
        if row["kind"] == "land":
            land = row["land"] if isinstance(row["land"], str) else key
            return _land_kreise(units, land, key), str(row["name"])
        parent = row["parent"] if isinstance(row["parent"], str) else None
        hint = f"; use its Kreis {parent!r}" if parent else ""
        raise NetkoopError(
            f"region: {key!r} ({row['name']}) is a {row['kind']}, not a Kreis or Land{hint}"
        )
    if (units["land"] == key).any():
        return _land_kreise(units, key, key), LAND_NAMES.get(key, key)
    near = did_you_mean(units, key, kinds=KREIS_KINDS | {"land"})
    raise NetkoopError(f"region: {key!r} is no Kreis or Land of this network{near}")


def _land_kreise(units: pd.DataFrame, land: str, key: str) -> set[str]:
    chosen = units["kind"].isin(KREIS_KINDS) & (units["land"] == land)
    if not chosen.any():
        raise NetkoopError(f"region: the Land {key!r} has no Kreise in this network")
    return set(units.loc[chosen, "id"])


def _neighbours(network: Network, own: set[str]) -> set[str]:
    """The Kreise that border one of ``own``: from the borders, else from touching outlines."""
    borders = network.borders
    if len(borders):
        kreis = network.kreis
        a = borders["from"].map(kreis).fillna(borders["from"])
        b = borders["to"].map(kreis).fillna(borders["to"])
        found = set(b[a.isin(own)]) | set(a[b.isin(own)])
    elif len(network.outlines):
        found = touching(network.outlines, own)
    else:
        warnings.warn(
            "region: the network has no borders and no outlines, so the region has no "
            "neighbours; import them with 'netkoop import adjacency' or 'netkoop import geometry'",
            NetkoopWarning,
            stacklevel=4,
        )
        return set()
    kreise = network.units.loc[network.units["kind"].isin(KREIS_KINDS), "id"]
    return (found & set(kreise)) - own


def _tied(network: Network, places: set[str]) -> set[str]:
    """The forums and Land units tied to one of ``places``."""
    ties = network.ties
    units = network.units
    others = set(units.loc[units["kind"].isin(_TIED_KINDS), "id"])
    a, b = ties["from"], ties["to"]
    return (set(b[a.isin(places)]) | set(a[b.isin(places)])) & others


def touching(outlines: pd.DataFrame, ids: Iterable[str]) -> set[str]:
    """Return the ids of the Kreis outlines that touch the outline of one of ``ids``.

    With shapely (netkoop's ``geo`` extra), outlines closer than `TOUCH_METRES` touch;
    without it, outlines that share a corner point.

    Examples
    --------
    >>> def square(x):
    ...     ring = [[x, 52], [x + 1, 52], [x + 1, 53], [x, 53], [x, 52]]
    ...     return {"type": "Polygon", "coordinates": [ring]}
    >>> outlines = pd.DataFrame({"id": ["a", "b", "c"], "level": ["kreis"] * 3,
    ...                          "geometry": [square(9), square(10), square(12)]})
    >>> sorted(touching(outlines, ["a"]))
    ['b']
    """
    kreise = outlines[outlines["level"] == "kreis"].reset_index(drop=True)
    wanted = set(ids)
    mine = kreise["id"].isin(wanted).to_numpy()
    if not mine.any():
        return set()
    try:
        shapely = importlib.import_module("shapely")
    except ImportError:
        return _sharing_corners(kreise, mine) - wanted
    shapes = [shapely.geometry.shape(_projected(g)) for g in kreise["geometry"]]
    tree = shapely.STRtree(shapes)
    mine_shapes = [shape for shape, own in zip(shapes, mine, strict=True) if own]
    _, near = tree.query(mine_shapes, predicate="dwithin", distance=TOUCH_METRES)
    return set(kreise["id"].iloc[np.unique(near)]) - wanted


def _projected(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON polygon mapping with its lon/lat points projected to metres."""

    def ring(points: list[list[float]]) -> list[list[float]]:
        lonlat = np.asarray(points, dtype=np.float64)
        east, north = to_metres(lonlat[:, 0], lonlat[:, 1])
        projected: list[list[float]] = np.column_stack([east, north]).tolist()
        return projected

    coordinates = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in coordinates]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in polygon] for polygon in coordinates],
    }


def _sharing_corners(kreise: pd.DataFrame, mine: np.ndarray) -> set[str]:
    """The ids of the outlines that share a corner point with one of the ``mine`` outlines."""
    rows = []
    for position, geometry in enumerate(kreise["geometry"]):
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                points = np.round(np.asarray(ring, dtype=np.float64)[:, :2], 6)
                rows.append(pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "at": position}))
    corners = pd.concat(rows, ignore_index=True).drop_duplicates()
    own = corners[mine[corners["at"].to_numpy()]][["x", "y"]].drop_duplicates()
    shared = corners.merge(own, on=["x", "y"])["at"].unique()
    return set(kreise["id"].iloc[shared])
