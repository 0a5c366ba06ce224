"""Read which places share a border, and how long it is, from polygons (shapefile, GeoJSON)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, Problem
from netkoop.importers.imported import Imported
from netkoop.importers.polygons import (
    bkg_credit,
    check_polygons,
    dissolve,
    edition_year,
    geo_modules,
    key_column,
    land_only,
    official_keys,
    read_layer,
    to_metric,
)
from netkoop.scenario.document import display_path

#: Neighbours whose polygons overlap by this share of the smaller one are taken for one
#: place listed twice (a duplicate), not for neighbours whose edges do not coincide.
DUPLICATE_SHARE = 0.5

#: Overlays snap coordinates to this grid (metres), absorbing rounding noise.
GRID_M = 0.001

#: Pairs of neighbours measured at a time, so that progress can be told in between.
CHUNK = 500

#: What the borders' credit says netkoop computed.
BORDERS_NOTE = "Eigene Berechnungen: shared borders and their lengths computed from the polygons"


def read_adjacency(
    path: str | Path,
    *,
    key: str | None = None,
    min_length_km: float = 0.0,
    tolerance_m: float = 0.0,
    layer: str | None = None,
    credit_year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Read which places share a border, and its length, from polygons of Kreise.

    Pairs are found with a spatial index; a border is where the two boundaries run together,
    its length that of the lines they share. Polygons that touch at points only (corner
    contacts) share no border. Needs the optional geo dependencies: ``pip install
    'netkoop[geo]'``.

    Parameters
    ----------
    path
        A shapefile (``.shp`` with ``.shx``, ``.dbf`` and ``.prj`` beside it), GeoJSON,
        GeoPackage or any other polygon file GDAL reads, e.g. BKG's ``VG1000_KRS.shp``. Where
        a ``GF`` column exists (BKG), only land polygons (GF=4) are used; several polygons with
        one key are merged into one place.
    key
        The column with the place keys; by default the first of ARS, AGS, kreis_ags and ags
        (in any case). Keys are text; keys that lost their leading zero get it back (1001 →
        01001), and 12-digit ARS or 8-digit AGS of Kreise (01001 followed by zeros) become the
        5-digit Kreis key.
    min_length_km
        Keep borders longer than this (after rounding to the metre); with the default 0 every
        border that is a line is kept and point contacts are dropped.
    tolerance_m
        Metres by which shared edges may miss each other, for polygons whose edges do not
        coincide (simplified one by one, digitised separately). Each polygon is widened by
        ``tolerance_m / 2``; an edge counts as shared along the stretch that runs inside the
        neighbour's widened polygon (within ``tolerance_m / 2`` of it, or inside it where the
        two overlap), and the border's length is the mean of the two sides' stretches. For
        polygons simplified with Douglas–Peucker tolerance *s*, ``2 * s`` works. With a
        tolerance a corner contact becomes a stretch of up to about the tolerance (raise
        ``min_length_km`` to drop those), and on clean polygons such as BKG's every border
        grows by about the tolerance (the edges beside its ends run within reach too); leave
        it at 0 for them.
    layer
        The layer of a file that has several (a GeoPackage); by default the only layer, or
        the one whose name says Kreise (BKG: ``vg1000_krs``).
    credit_year
        The year in the BKG attribution (BKG asks for the year the data were obtained). By
        default the year after the file's latest change (BKG ``BEGINN``, plus a month), else
        the year the file was last modified.
    progress
        Called as ``progress(pairs, total)`` while the borders are measured: with 0 pairs
        once the candidate pairs of neighbours are found, then after each `CHUNK` of them.

    Returns
    -------
    Imported
        The ``borders`` table: ``from`` < ``to`` (text keys), ``length_km`` (rounded to the
        metre) and ``contact`` ("line"), sorted; the BKG credit; notes on what was left out.
        Lengths are measured in the file's projected CRS; geographic coordinates are first
        projected to EPSG:25832 (Germany) or the UTM zone geopandas estimates (elsewhere).

    Raises
    ------
    NetkoopError
        When geopandas is not installed.
    DataFileError
        When the file is missing or not readable geodata, has no key column, no CRS, a
        feature without a key or a valid polygon, or the same place twice.
    """
    if not (math.isfinite(min_length_km) and min_length_km >= 0):
        raise ValueError(f"min_length_km must be 0 or more, got {min_length_km!r}")
    if not (math.isfinite(tolerance_m) and tolerance_m >= 0):
        raise ValueError(f"tolerance_m must be 0 or more, got {tolerance_m!r}")
    gpd, shapely = geo_modules()
    source = Path(path)
    label = display_path(source)
    frame = read_layer(gpd, source, label, layer)
    column = key_column(frame, key, label)
    frame, notes = land_only(frame, label)
    keys, key_notes = official_keys(frame[column], label, column)
    check_polygons(shapely, frame, keys, label, column)
    frame, unit, crs_note = to_metric(frame, label)
    places, names, merged = dissolve(shapely, frame.geometry.to_numpy(), keys)
    pairs = _measure(shapely, places, tolerance_m / unit, GRID_M / unit, progress)
    features = pd.Series(frame.index + 1, index=keys).groupby(level=0).first()
    _check_duplicates(pairs, names, features, label, column)

    length_km = np.round(pairs.length * unit / 1000, 3)
    a, b = names[pairs.left], names[pairs.right]
    borders = pd.DataFrame(
        {
            "from": np.where(a < b, a, b),
            "to": np.where(a < b, b, a),
            "length_km": length_km,
            "contact": "line",
        }
    )
    kept = borders[(length_km > min_length_km) & (length_km > 0)]
    kept = kept.sort_values(["from", "to"], ignore_index=True)
    kept = kept.astype({"from": "str", "to": "str", "length_km": "float64", "contact": "str"})

    notes = [
        f"read {len(frame):,} polygons of {len(names):,} places from {label} (key column {column})",
        *notes,
        *key_notes,
    ]
    if merged:
        notes.append(f"merged the polygons of {merged:,} places that have several")
    notes.append(crs_note)
    if tolerance_m > 0:
        notes.append(
            f"tolerance {tolerance_m:g} m: an edge counts as shared where it runs within "
            f"{tolerance_m / 2:g} m of the neighbour; lengths are the mean of both sides"
        )
    touching = (length_km == 0) & (pairs.overlap == 0)
    notes.append(f"dropped {int(touching.sum()):,} point contacts (polygons touching at a corner)")
    if min_length_km > 0:
        short = (length_km > 0) & (length_km <= min_length_km)
        notes.append(f"dropped {int(short.sum()):,} borders of {min_length_km:g} km or less")
    notes += _overlap_notes(pairs, names, unit, tolerance_m)
    notes.append(f"{len(kept):,} borders; their lengths are own calculations")
    year = credit_year or edition_year(frame, source)
    origins = tuple(
        f"{label}, features {features[a]} and {features[b]}"
        for a, b in zip(kept["from"], kept["to"], strict=True)
    )
    return Imported(
        table="borders",
        frame=kept,
        credits=(bkg_credit(year, note=BORDERS_NOTE),),
        notes=tuple(notes),
        origins=origins,
    )


# --- measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pairs:
    """Candidate pairs (positions into the places): shared length, overlap area (CRS units)."""

    left: np.ndarray
    right: np.ndarray
    length: np.ndarray
    overlap: np.ndarray
    share: np.ndarray


def _measure(
    shapely: ModuleType,
    places: np.ndarray,
    tolerance: float,
    grid: float,
    progress: Callable[[int, int], None] | None = None,
) -> _Pairs:
    """Find neighbours with the spatial index and measure the lines they share (CRS units).

    Without a tolerance the border is the intersection of the two boundaries (its lines;
    points have no length). With one, each side's boundary is cut by the other place widened
    by half the tolerance, and the two lengths are averaged. Overlays snap to a ``grid`` of
    1 mm, so that an edge that ends on a neighbour's edge within rounding noise (e.g. after
    reprojection) still counts as shared. The pairs are measured `CHUNK` at a time, and
    ``progress(pairs, total)`` is told after each chunk.
    """
    tree = shapely.STRtree(places)
    half = tolerance / 2
    if half > 0:
        left, right = tree.query(places, predicate="dwithin", distance=half)
    else:
        left, right = tree.query(places, predicate="intersects")
    ahead = left < right
    left, right = left[ahead], right[ahead]
    edges = shapely.boundary(places)
    wide = np.empty(len(places), dtype=object)
    if half > 0:
        used = np.unique(np.concatenate([left, right]))
        wide[used] = shapely.buffer(places[used], half)
    shapely.prepare(places)
    length = np.zeros(len(left))
    overlap = np.zeros(len(left))
    share = np.zeros(len(left))
    if progress is not None:
        progress(0, len(left))
    # Element-wise overlays: a chunk gives the same values as all pairs at once.
    for start in range(0, len(left), CHUNK):
        at = np.arange(start, min(start + CHUNK, len(left)))
        one, two = left[at], right[at]
        if half > 0:
            this = shapely.length(shapely.intersection(edges[one], wide[two], grid_size=grid))
            that = shapely.length(shapely.intersection(edges[two], wide[one], grid_size=grid))
            length[at] = (this + that) / 2
        else:
            shared = shapely.intersection(edges[one], edges[two], grid_size=grid)
            length[at] = shapely.length(shared)
        inner = shapely.relate_pattern(places[one], places[two], "T********")
        if inner.any():
            a, b = places[one[inner]], places[two[inner]]
            area = shapely.area(shapely.intersection(a, b, grid_size=grid))
            overlap[at[inner]] = area
            share[at[inner]] = area / np.minimum(shapely.area(a), shapely.area(b))
        if progress is not None:
            progress(len(at), len(left))
    return _Pairs(left, right, length, overlap, share)


def _check_duplicates(
    pairs: _Pairs, names: np.ndarray, features: pd.Series, label: str, column: str
) -> None:
    """Raise when two places' polygons largely coincide (one place under two keys)."""
    twice = np.flatnonzero(pairs.share >= DUPLICATE_SHARE)
    if not len(twice):
        return
    worst = twice[np.argmax(pairs.share[twice])]
    first, second = names[pairs.left[worst]], names[pairs.right[worst]]
    at = int(features[second])
    more = f" (and {len(twice) - 1:,} more pairs)" if len(twice) > 1 else ""
    raise DataFileError(
        str(
            Problem(
                "error",
                f"{label}, feature {at}",
                f"its polygon and that of {first!r} overlap by {pairs.share[worst]:.0%} of the "
                "smaller one; is one place in the file twice, or a polygon missing its hole?"
                f"{more}",
                column,
                str(second),
            )
        )
    )


def _overlap_notes(pairs: _Pairs, names: np.ndarray, unit: float, tolerance_m: float) -> list[str]:
    """Say how many neighbours overlap slightly (edges that do not coincide)."""
    rows = np.flatnonzero(pairs.overlap > 0)
    if not len(rows):
        return []
    worst = rows[np.argmax(pairs.overlap[rows])]
    km2 = pairs.overlap[worst] * unit**2 / 1e6
    said = (
        f"{len(rows):,} pairs of polygons overlap (most: {names[pairs.left[worst]]} and "
        f"{names[pairs.right[worst]]}, {km2:.3g} km²): their edges do not coincide"
    )
    if tolerance_m > 0:
        return [said]
    return [f"{said}, so borders may be missed or short; consider tolerance_m"]
