"""Where units are drawn: map positions from coordinates, or a seeded layout of the ties."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from netkoop.model.vocabulary import KREIS_KINDS
from netkoop.render.projection import MapFrame, to_metres

#: Average distance between neighbouring units, in canvas units; node sizes are set against it.
SPACING = 150.0

#: Up to this many units, a network without coordinates gets a spring layout (networkx); above,
#: its units are grouped by Kreis, which takes no time at any size.
SPRING_LIMIT = 500

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

Method = Literal["geographic", "spring", "grouped"]


@dataclass(frozen=True, eq=False)
class Layout:
    """Canvas positions of the units, in the order of the units table.

    Attributes
    ----------
    x, y
        Canvas coordinates (y grows downwards, so north is up on a map).
    method
        ``"geographic"`` (projected from ``lat``/``lon``), ``"spring"`` (a force-directed
        layout of the ties, seeded) or ``"grouped"`` (units of one Kreis together).
    extent
        The width of the drawing in canvas units; about `SPACING` per unit on a side.
    frame
        For ``"geographic"``: how longitude and latitude become canvas coordinates (outlines
        are drawn through it); None otherwise.
    """

    x: np.ndarray
    y: np.ndarray
    method: Method
    extent: float
    frame: MapFrame | None = None


def place_units(units: pd.DataFrame, ties: pd.DataFrame, *, seed: int = 0) -> Layout:
    """Place every unit on the canvas, the same way for the same tables and seed.

    Units with coordinates are projected with ETRS89-LAEA (`netkoop.render.projection`)
    when at least half of the units other than forums have them, or every Kreis has them.
    Units without coordinates are then placed near what they belong to: a Gemeinde around
    its Kreis, a Kreis at the middle of its Gemeinden, a forum or Land near the units tied
    to it (its members), else at the middle of its Land, else on a ring around the map.

    Without coordinates, up to `SPRING_LIMIT` units get networkx's spring layout with
    ``seed``; more units are grouped by Kreis on a sunflower spiral.

    Parameters
    ----------
    units
        Columns ``id``, ``kind``, ``land``, ``parent``, ``lat``, ``lon`` (as `Network.units`).
    ties
        Columns ``from`` and ``to``; ends that are not units are ignored.
    seed
        Seed of the spring layout.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "kind": ["landkreis", "kreisfreie_stadt"],
    ...                       "land": ["09", "09"], "parent": [None, None],
    ...                       "lat": [48.0, 49.0], "lon": [11.0, 11.0]})
    >>> placed = place_units(units, pd.DataFrame({"from": [], "to": []}))
    >>> placed.method, bool(placed.y[0] > placed.y[1])  # the southern unit is drawn lower
    ('geographic', True)
    """
    n = len(units)
    ids = pd.Index(units["id"])
    a = ids.get_indexer(ties["from"])
    b = ids.get_indexer(ties["to"])
    known = (a >= 0) & (b >= 0) & (a != b)
    ends = np.column_stack([a[known], b[known]]).astype(np.int64)
    located = (units["lat"].notna() & units["lon"].notna()).to_numpy()
    kinds = units["kind"].to_numpy()
    frame = None
    if _use_coordinates(located, kinds):
        x, y, extent, frame = _project(units, located)
        method: Method = "geographic"
        placed = located.copy()
    elif n < SPRING_LIMIT:
        x, y, extent = _spring(n, ends, seed)
        return Layout(x, y, "spring", extent)
    else:
        x, y, extent, placed = _grouped(units)
        method = "grouped"
    _place_the_rest(units, ends, x=x, y=y, placed=placed, extent=extent)
    return Layout(x, y, method, extent, frame)


def _use_coordinates(located: np.ndarray, kinds: np.ndarray) -> bool:
    if not located.any():
        return False
    places = kinds != "forum"
    kreise = np.isin(kinds, list(KREIS_KINDS))
    return bool(located[places].mean() >= 0.5 or (kreise.any() and located[kreise].all()))


def _extent(n: int) -> float:
    return max(600.0, SPACING * math.sqrt(max(n, 1)))


def _project(
    units: pd.DataFrame, located: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float, MapFrame]:
    """Project latitude and longitude with ETRS89-LAEA, centred and scaled to the canvas."""
    n = len(units)
    lon = units["lon"].to_numpy(dtype=np.float64, na_value=np.nan)[located]
    lat = units["lat"].to_numpy(dtype=np.float64, na_value=np.nan)[located]
    east, north = to_metres(lon, lat)
    span = max(float(np.ptp(east)), float(np.ptp(north)))
    scale = _extent(int(located.sum())) / span if span > 0 else 1.0
    frame = MapFrame(
        east=(east.min() + east.max()) / 2, north=(north.min() + north.max()) / 2, scale=scale
    )
    x = np.zeros(n)
    y = np.zeros(n)
    x[located] = (east - frame.east) * scale
    y[located] = (frame.north - north) * scale  # canvas y grows downwards: north up
    extent = max(float(np.ptp(x[located])), float(np.ptp(y[located])), _extent(1))
    return x, y, extent, frame


def _spring(n: int, ends: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, ends.tolist()))
    extent = _extent(n)
    pos = nx.spring_layout(graph, seed=seed, scale=extent / 2)
    x = np.array([pos[i][0] for i in range(n)], dtype=np.float64) if n else np.zeros(0)
    y = np.array([pos[i][1] for i in range(n)], dtype=np.float64) if n else np.zeros(0)
    return x, y, extent


def _sunflower(count: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of the ``count``-th point (1, 2, ...) of a sunflower spiral ``step`` apart."""
    radius = step * np.sqrt(count)
    angle = count * _GOLDEN_ANGLE
    return radius * np.cos(angle), radius * np.sin(angle)


def _kreis_keys(units: pd.DataFrame) -> pd.Series:
    own = units["kind"].isin(KREIS_KINDS)
    gemeinde = units["kind"] == "gemeinde"
    return units["id"].where(own, units["parent"].where(gemeinde)).reset_index(drop=True)


def _grouped(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Group units by Kreis; groups on a sunflower, members on a small one around its centre."""
    n = len(units)
    kreis = _kreis_keys(units)
    placed = kreis.notna().to_numpy().copy()
    # Units outside any Kreis that are not forums or Länder form groups of their own.
    loose = ~placed & ~units["kind"].isin(["forum", "land"]).to_numpy()
    kreis = kreis.where(~pd.Series(loose), units["id"].reset_index(drop=True))
    placed |= loose
    x = np.zeros(n)
    y = np.zeros(n)
    members = kreis[placed]
    if members.empty:
        return x, y, _extent(n), placed
    sizes = members.value_counts(sort=False)
    order = sizes.sort_values(ascending=False, kind="stable")
    rank = pd.Series(np.arange(1, len(order) + 1), index=order.index)
    step = SPACING * 0.5
    group_step = 2.2 * step * math.sqrt(float(sizes.mean()))
    cx, cy = _sunflower(rank.to_numpy(dtype=np.float64) - 0.5, group_step)
    centre = pd.DataFrame({"x": cx, "y": cy}, index=order.index)
    within = members.groupby(members, sort=False).cumcount().to_numpy(dtype=np.float64)
    dx, dy = _sunflower(within, step)
    x[placed] = centre.loc[members, "x"].to_numpy() + dx
    y[placed] = centre.loc[members, "y"].to_numpy() + dy
    extent = max(float(np.ptp(x[placed])), float(np.ptp(y[placed])), _extent(1))
    return x, y, extent, placed


def _place_the_rest(
    units: pd.DataFrame,
    ends: np.ndarray,
    *,
    x: np.ndarray,
    y: np.ndarray,
    placed: np.ndarray,
    extent: float,
) -> None:
    """Place units that have no position yet, in place, near what they belong to."""
    if placed.all():
        return
    ids = pd.Index(units["id"])
    parent = ids.get_indexer(units["parent"].fillna("").astype("str"))
    step = SPACING * 0.6
    offsets = iter(range(1, len(units) + 1))

    def put(where: np.ndarray, ax: np.ndarray, ay: np.ndarray) -> None:
        # A small sunflower offset keeps units that share an anchor from covering each other.
        dx, dy = _sunflower(np.array([next(offsets) for _ in where], dtype=np.float64), step)
        x[where] = ax + dx
        y[where] = ay + dy
        placed[where] = True

    # 1. Gemeinden around their placed Kreis.
    todo = np.flatnonzero(~placed & (parent >= 0))
    todo = todo[placed[parent[todo]]] if len(todo) else todo
    if len(todo):
        rank = pd.Series(parent[todo]).groupby(parent[todo]).cumcount().to_numpy() + 1.0
        dx, dy = _sunflower(rank, SPACING * 0.5)
        x[todo] = x[parent[todo]] + dx
        y[todo] = y[parent[todo]] + dy
        placed[todo] = True
    # 2. Kreise at the middle of their placed Gemeinden.
    child = np.flatnonzero(placed & (parent >= 0))
    middle = _means(parent[child], x[child], y[child])
    todo = np.array([i for i in middle.index if not placed[i]], dtype=np.int64)
    if len(todo):
        put(todo, middle.loc[todo, "x"].to_numpy(), middle.loc[todo, "y"].to_numpy())
    # 3. Forums and other units near the placed units tied to them (forums of forums too).
    for _ in range(3):
        both = np.concatenate([ends, ends[:, ::-1]]) if len(ends) else ends.reshape(0, 2)
        useful = both[~placed[both[:, 0]] & placed[both[:, 1]]] if len(both) else both
        if not len(useful):
            break
        middle = _means(useful[:, 0], x[useful[:, 1]], y[useful[:, 1]])
        todo = middle.index.to_numpy(dtype=np.int64)
        put(todo, middle["x"].to_numpy(), middle["y"].to_numpy())
    # 4. The middle of the unit's Land.
    land = units["land"].astype("str").to_numpy()
    have_land = units["land"].notna().to_numpy()
    source = np.flatnonzero(placed & have_land)
    if len(source) and (~placed & have_land).any():
        codes = pd.factorize(land)[0]
        middle = _means(codes[source], x[source], y[source])
        todo = np.flatnonzero(~placed & have_land)
        todo = todo[np.isin(codes[todo], middle.index)]
        if len(todo):
            put(
                todo,
                middle.loc[codes[todo], "x"].to_numpy(),
                middle.loc[codes[todo], "y"].to_numpy(),
            )
    # 5. A ring around the drawing.
    todo = np.flatnonzero(~placed)
    if len(todo):
        angle = 2 * math.pi * np.arange(len(todo)) / len(todo) - math.pi / 2
        radius = extent * 0.6
        cx = (x[placed].min() + x[placed].max()) / 2 if placed.any() else 0.0
        cy = (y[placed].min() + y[placed].max()) / 2 if placed.any() else 0.0
        x[todo] = cx + radius * np.cos(angle)
        y[todo] = cy + radius * np.sin(angle)
        placed[todo] = True


def _means(keys: np.ndarray, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Mean x and y per key, indexed by key in order of first appearance."""
    frame = pd.DataFrame({"k": keys, "x": x, "y": y})
    return frame.groupby("k", sort=False)[["x", "y"]].mean()
