"""The outlines a map draws under the network: polygons projected like the units, by level.

Outlines are context (see `netkoop.Network.outlines`): a Land's outline is drawn even where
the scenario has no unit for the Land, and Land units without ties are then left off the
map as places (`context_units`): their outline shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop.model.network import Network
from netkoop.render.projection import MapFrame

#: The order outlines are drawn in: the smaller places' fills over the larger ones', Land
#: borders over all.
LEVEL_ORDER = ("kreis", "gemeinde", "land")


@dataclass(frozen=True, eq=False)
class Shapes:
    """Outlines projected to the canvas, in `LEVEL_ORDER`.

    Attributes
    ----------
    ids, levels, names
        Per outline: the id of its place, its level, and its name (the outline's own, else
        the name of its unit, else its id).
    rings
        Per outline: its rings (outer rings and holes alike, to be filled even-odd), each an
        ``(m, 2)`` array of canvas x and y without the repeated closing point.
    """

    ids: tuple[str, ...]
    levels: tuple[str, ...]
    names: tuple[str, ...]
    rings: tuple[tuple[np.ndarray, ...], ...]

    def __len__(self) -> int:
        return len(self.ids)

    def bounds(self) -> tuple[float, float, float, float] | None:
        """The smallest box around every ring: min x, min y, max x, max y; None if empty."""
        points = [ring for rings in self.rings for ring in rings]
        if not points:
            return None
        every = np.concatenate(points)
        low, high = every.min(axis=0), every.max(axis=0)
        return float(low[0]), float(low[1]), float(high[0]), float(high[1])


def project_outlines(outlines: pd.DataFrame, frame: MapFrame, units: pd.DataFrame) -> Shapes:
    """Project every outline with ``frame``, the way the units were placed.

    Parameters
    ----------
    outlines
        As `netkoop.Network.outlines`: ``id``, ``level``, ``name``, ``geometry``.
    frame
        The map frame of the units' layout (`netkoop.render.layout.Layout.frame`).
    units
        The units (``id``, ``name``), whose names stand in for missing outline names.

    Examples
    --------
    >>> square = {"type": "Polygon",
    ...           "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 53], [9, 52]]]}
    >>> outlines = pd.DataFrame({"id": ["03"], "level": ["land"], "name": [None],
    ...                          "geometry": [square]})
    >>> units = pd.DataFrame({"id": ["03"], "name": ["Niedersachsen"]})
    >>> shapes = project_outlines(outlines, MapFrame(4321000.0, 3210000.0, 0.001), units)
    >>> shapes.names, shapes.rings[0][0].shape
    (('Niedersachsen',), (4, 2))
    """
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    table = outlines.assign(_rank=outlines["level"].map(rank).fillna(len(rank)))
    table = table.sort_values("_rank", kind="stable").reset_index(drop=True)
    unit_names = pd.Series(units["name"].to_numpy(), index=units["id"].to_numpy())
    unit_names = unit_names[~unit_names.index.duplicated()]
    names = table["name"].where(table["name"].notna(), table["id"].map(unit_names))
    names = names.where(names.notna(), table["id"])
    rings = [_rings(geometry) for geometry in table["geometry"]]
    counts = [len(ring) for outline in rings for ring in outline]
    flat = [ring for outline in rings for ring in outline]
    if flat:
        lonlat = np.concatenate(flat)
        x, y = frame.canvas(lonlat[:, 0], lonlat[:, 1])
        projected = np.split(np.column_stack([x, y]), np.cumsum(counts)[:-1])
    else:
        projected = []
    shaped: list[tuple[np.ndarray, ...]] = []
    start = 0
    for outline in rings:
        shaped.append(tuple(projected[start : start + len(outline)]))
        start += len(outline)
    return Shapes(
        ids=tuple(table["id"].astype("str")),
        levels=tuple(table["level"].astype("str")),
        names=tuple(names.astype("str")),
        rings=tuple(shaped),
    )


def _rings(geometry: dict[str, Any]) -> list[np.ndarray]:
    """The rings of a GeoJSON Polygon or MultiPolygon as lon/lat arrays, open (not closed)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = np.asarray(ring, dtype=np.float64)[:, :2]
            if len(points) > 1 and np.array_equal(points[0], points[-1]):
                points = points[:-1]
            if len(points) >= 3:
                rings.append(points)
    return rings


def context_units(network: Network, units: pd.DataFrame, ties: pd.DataFrame) -> np.ndarray:
    """Tell, per unit of ``units``, whether a map with outlines leaves it off as a place.

    Land units without a tie among ``ties`` are context: the outline of their Land shows
    them. Without outlines, every unit is drawn.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> bool(context_units(net, net.units, net.ties).any())  # no outlines: all drawn
    False
    """
    if network.outlines.empty:
        return np.zeros(len(units), dtype=bool)
    tied = pd.concat([ties["from"], ties["to"]]).unique()
    return ((units["kind"] == "land") & ~units["id"].isin(tied)).to_numpy(dtype=bool)
