"""Read the outlines of places for maps from polygons (BKG VG250/VG1000, shapefile, GeoJSON).

The polygons are simplified as one coverage (``shapely.coverage_simplify``), so that
neighbours keep sharing their edges, and the Länder (and, from Gemeinden, the Kreise) are
dissolved from them; `fit_outlines` keeps the outlines of the places a scenario has, and
`outlines_after` joins them with the scenario's own.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, NetkoopWarning
from netkoop.importers.imported import Imported
from netkoop.importers.polygons import (
    GERMANY_CRS,
    KEY_COLUMNS,
    KREIS_LAYER,
    bkg_credit,
    bkg_product,
    check_polygons,
    crs_name,
    dissolve,
    edition_year,
    geo_modules,
    in_germany,
    key_column,
    land_only,
    official_keys,
    read_layer,
    require_crs,
)
from netkoop.model.keys import LAND_NAMES
from netkoop.model.metadata import Credit
from netkoop.model.outlines import (
    OUTLINE_LEVELS,
    merge_outlines,
    outlines_frame,
    outlines_geojson,
)
from netkoop.model.vocabulary import KREIS_KINDS
from netkoop.scenario.document import display_path

Level = Literal["land", "kreis", "gemeinde"]

#: The simplification's default tolerance in metres, by the level of the file's places: the
#: 400 Kreise with their 16 Länder then take less than 300 KB.
TOLERANCE_M: dict[str, float] = {"land": 2700.0, "kreis": 2700.0, "gemeinde": 500.0}

#: Decimals of the degrees written (5: about a metre).
DECIMALS = 5

#: The level of the places by the digits of their keys.
LEVEL_OF_WIDTH: dict[int, Level] = {2: "land", 5: "kreis", 8: "gemeinde"}

#: The digits of a key at each level.
WIDTH_OF_LEVEL: dict[str, int] = {level: width for width, level in LEVEL_OF_WIDTH.items()}

#: The levels dissolved from the places of each level, largest first.
COARSER: dict[str, tuple[Level, ...]] = {
    "land": (),
    "kreis": ("land",),
    "gemeinde": ("land", "kreis"),
}

#: A file's layer of each level (BKG: vg250_lan, vg250_krs, vg250_gem): a pattern, a word.
LAYERS: dict[str, tuple[str, str]] = {
    "land": (r"lan(?!d?kreis)|bundesl|laender", "Länder"),
    "kreis": KREIS_LAYER,
    "gemeinde": (r"gem", "Gemeinden"),
}

#: Key columns tried for Gemeinden: the 8-digit AGS before the 12-digit ARS.
GEMEINDE_KEYS = ("AGS", "ags", "ARS", "ars")

#: Columns that hold a place's name, tried in this order (BKG: GEN).
NAME_COLUMNS = ("GEN", "name", "NAME", "Name")

#: What the outlines' credit says netkoop did with the data.
OUTLINES_NOTE = "Daten verändert: outlines simplified for maps, neighbours keeping their edges"

#: At most this many keys are named in a note or message.
_SHOWN = 5


def read_geometry(
    path: str | Path,
    *,
    key: str | None = None,
    level: Level | None = None,
    layer: str | None = None,
    tolerance_m: float | None = None,
    credit_year: int | None = None,
) -> Imported:
    """Read the outlines of places from polygons, simplified so that a page can carry them.

    The polygons are projected to EPSG:25832 (UTM 32, BKG's CRS for Germany), simplified as
    one coverage so that neighbours keep sharing their edges (``shapely.coverage_simplify``),
    and written in lon/lat degrees (WGS84) rounded to `DECIMALS`. From Kreise the Länder are
    dissolved (by the first 2 digits of the key), from Gemeinden the Kreise (5) and Länder.
    Each outline gets a point inside it (``lat``/``lon``). Needs the optional geo
    dependencies: ``pip install 'netkoop[geo]'``.

    Parameters
    ----------
    path
        A shapefile (with its ``.shx``, ``.dbf`` and ``.prj``), GeoJSON, GeoPackage or any
        polygon file GDAL reads, e.g. BKG's ``VG1000_KRS.shp`` or ``DE_VG250.gpkg``. Where a
        ``GF`` column exists (BKG), only land polygons (GF=4) are used; several polygons with
        one key are merged.
    key
        The column with the place keys; by default the first of ARS, AGS, kreis_ags and ags
        (for Gemeinden AGS first). Leading zeros are restored, and the 12-digit ARS of a
        Gemeinde becomes its 8-digit AGS.
    level
        The places' level, ``land``, ``kreis`` or ``gemeinde``; by default told by the
        keys' digits (2, 5, 8). Of a file with several layers, the layer of this level is
        read (BKG: ``vg250_lan``, ``vg250_krs``, ``vg250_gem``).
    layer
        The layer to read of a file that has several.
    tolerance_m
        How much to simplify, in metres (roughly the square root of the area of the
        smallest detail kept); by default `TOLERANCE_M` of the level, 0 keeps every vertex.
    credit_year
        The year in BKG's attribution; by default that of the file's edition.

    Returns
    -------
    Imported
        The ``outlines`` table (see `netkoop.Network.outlines`) sorted by level and id, the
        BKG credit when the file is BKG's, and notes saying how much was simplified.

    Raises
    ------
    NetkoopError
        When geopandas is not installed.
    DataFileError
        When the file is missing or no readable geodata, holds no polygons, has no key column
        or no CRS, a feature without a key or a valid polygon, or keys of no official width.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> def square(x):
    ...     return {"type": "Polygon", "coordinates": [[[x, 52], [x + 1, 52], [x + 1, 53],
    ...                                                [x, 53], [x, 52]]]}
    >>> kreise = [{"type": "Feature", "properties": {"AGS": key}, "geometry": square(x)}
    ...           for key, x in (("03254", 9), ("03255", 10))]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "kreise.geojson"
    >>> _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": kreise}))
    >>> read_geometry(path).frame[["id", "level", "name"]].values.tolist()
    [['03', 'land', 'Niedersachsen'], ['03254', 'kreis', nan], ['03255', 'kreis', nan]]
    """
    tolerance = _tolerance(tolerance_m, level)
    gpd, shapely = geo_modules()
    source = Path(path)
    label = display_path(source)
    frame = read_layer(gpd, source, label, layer, wanted=LAYERS[level or "kreis"])
    prefer = GEMEINDE_KEYS if level == "gemeinde" else KEY_COLUMNS
    column = key_column(frame, key, label, prefer=prefer)
    features = len(frame)
    frame, notes = land_only(frame, label)
    keys, key_notes = official_keys(frame[column], label, column)
    keys, found, level_notes = _level_keys(keys, level, label, column)
    check_polygons(shapely, frame, keys, label, column)
    require_crs(frame, label, "the outlines cannot be placed on a map")
    metric = frame.to_crs(GERMANY_CRS if in_germany(frame) else frame.estimate_utm_crs())
    places, ids, merged = dissolve(shapely, metric.geometry.to_numpy(), keys)
    names = _names(frame, keys, ids)
    before = int(shapely.get_num_coordinates(places).sum())
    simplified, clean = _simplify(shapely, places, tolerance)  # UTM: metres
    levels = _levels(shapely, found, simplified, ids, names, clean=clean)
    outlines, vanished = _outlines(gpd, shapely, levels, metric.crs, label)
    after = int(shapely.get_num_coordinates(simplified).sum())
    notes = [
        f"read {features:,} features of {len(ids):,} places ({found}) from {label} "
        f"(key column {column})",
        *notes,
        *key_notes,
        *level_notes,
        *([f"merged the polygons of {merged:,} places that have several"] if merged else []),
        _crs_note(frame.crs, metric.crs),
        _simplified_note(before, after, tolerance, clean),
        *_dissolved_note(levels, found),
        *vanished,
    ]
    return Imported(
        table="outlines",
        frame=outlines,
        credits=_credits(frame, source, credit_year),
        notes=tuple(notes),
        source=label,
    )


def fit_outlines(
    imported: Imported, units: pd.DataFrame, *, present: pd.DataFrame | None = None
) -> Imported:
    """Keep the outlines of the places a scenario has, and of the Länder its units lie in.

    Kreis and Gemeinde outlines whose id names no unit are left out (a national file for a
    regional scenario). Of the outlines dissolved from the file's polygons (Länder from
    Kreise, Kreise and Länder from Gemeinden), those of places that have an outline at that
    level in ``present`` (the scenario's outlines) are left out too: a file of one Landkreis's
    Gemeinden is not all of its Land, and a kreisfreie Stadt may have no Gemeinde in it, so
    the outline the scenario has stays. The outlines at the file's own level are kept, to be
    added or to replace the scenario's (see `outlines_after`). The notes count what was left
    out, the units that lack an outline, the units that take their coordinates from their
    outline, and the size of the outlines file.

    Raises
    ------
    DataFileError
        When no Kreis or Gemeinde outline names a unit of the scenario (other keys, or another
        level than the scenario's units).
    """
    outlines = imported.frame
    present = _empty_like(outlines) if present is None else present
    label = imported.source or "the outlines"
    own = (outlines["level"] != "land").to_numpy()
    known = outlines["id"].isin(units["id"]).to_numpy()
    if own.any() and not (own & known).any():
        raise DataFileError(_none_known(label, outlines[own], units))
    laender = set(units["land"].dropna()) | set(units["id"][units["kind"] == "land"])
    keep = (own & known) | (~own & outlines["id"].isin(laender).to_numpy())
    if not keep.any():
        raise DataFileError(_none_known(label, outlines, units))
    finest = _finest(outlines)
    dissolved = (outlines["level"] != finest).to_numpy()
    had = _pairs(outlines).isin(_pairs(present)).to_numpy()
    stays = keep & dissolved & had
    kept = outlines[keep & ~stays].reset_index(drop=True)
    after = outlines_after(present, kept)
    also = f"; with the scenario's others {len(after):,} ({_counts(after)})" if len(present) else ""
    notes = [
        *imported.notes,
        *_left_out(outlines[~keep]),
        *_stayed(outlines[stays], finest),
        *_replacing(kept, present),
        *_lacking(after, units),
        *_placed(kept, units),
        f"{len(kept):,} outlines ({_counts(kept)}){also}: "
        f"{len(outlines_geojson(after).encode('utf-8')) / 1024:,.0f} KB of GeoJSON",
    ]
    return Imported(
        table="outlines",
        frame=kept,
        credits=imported.credits,
        notes=tuple(notes),
        source=imported.source,
    )


def outlines_after(present: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    """Return a scenario's outlines after an import: the imported ones replace those of the same
    place and level, every other outline stays; sorted by level and id.

    >>> square = {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}
    >>> old, _ = outlines_frame([{"id": i, "level": "kreis", "name": "alt", "geometry": square}
    ...                          for i in ("03254", "03255")])
    >>> new, _ = outlines_frame([{"id": "03254", "level": "kreis", "name": "neu",
    ...                           "geometry": square}])
    >>> outlines_after(old, new)[["id", "name"]].values.tolist()
    [['03254', 'neu'], ['03255', 'alt']]
    """
    merged = merge_outlines(present, imported)
    order = merged["level"].map({level: i for i, level in enumerate(OUTLINE_LEVELS)})
    sort = np.lexsort((merged["id"].to_numpy(), order.to_numpy()))
    return merged.iloc[sort].reset_index(drop=True)


def replaced_outlines(present: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    """Return the imported outlines of places that have an outline at that level in ``present``."""
    return imported[_pairs(imported).isin(_pairs(present)).to_numpy()]


# --- keys and levels -------------------------------------------------------------------------


def _tolerance(tolerance_m: float | None, level: str | None) -> float:
    if level is not None and level not in OUTLINE_LEVELS:
        raise ValueError(f"level is one of {', '.join(OUTLINE_LEVELS)}, got {level!r}")
    if tolerance_m is None:
        return TOLERANCE_M[level or "kreis"]
    if not (math.isfinite(tolerance_m) and tolerance_m >= 0):
        raise ValueError(f"tolerance_m must be 0 or more, got {tolerance_m!r}")
    return tolerance_m


def _level_keys(
    keys: np.ndarray, level: Level | None, label: str, column: str
) -> tuple[np.ndarray, Level, list[str]]:
    """The keys at their level: 12-digit ARS of Gemeinden become AGS; every key one width."""
    text = pd.Series(keys, dtype="str")
    notes = []
    if level in (None, "gemeinde") and text.str.fullmatch(r"\d{12}").all():
        text = text.str[:5] + text.str[9:]
        notes.append(f"the 12-digit ARS in {column} became 8-digit AGS (Gemeinde keys)")
    widths = text.str.len()
    width = int(widths.iloc[0])
    found = LEVEL_OF_WIDTH.get(width) if (widths == width).all() else None
    wanted = WIDTH_OF_LEVEL[level] if level is not None else None
    if found is None or (wanted is not None and width != wanted):
        odd = text[widths != (wanted or width)] if found is not None else text
        said = f"{level} keys have {wanted} digits" if level else "keys of 2, 5 or 8 digits"
        raise DataFileError(
            f"{label}, field {column!r}: {said} (Land, Kreis, Gemeinde); found "
            f"{', '.join(map(repr, odd.head(3)))}; name the key column (--key) or the level "
            "(--level)"
        )
    return text.to_numpy(dtype=object), found, notes


def _names(frame: Any, keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The name of each place (the first of its features'), or missing."""
    column = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    if column is None:
        return np.full(len(ids), None, dtype=object)
    names = pd.Series(frame[column].to_numpy(), index=keys)
    first = names[~names.index.duplicated()]
    return first.reindex(ids).astype(object).where(lambda s: s.notna(), None).to_numpy()


# --- simplifying -----------------------------------------------------------------------------


def _simplify(shapely: ModuleType, places: np.ndarray, tolerance: float) -> tuple[np.ndarray, bool]:
    """Simplify the places as one coverage; return them and whether they form a clean one.

    Polygons whose edges do not coincide (overlaps, edges that miss) are no clean coverage:
    each is then simplified on its own, in the same way (a coverage of one polygon).
    """
    clean = bool(shapely.coverage_is_valid(places))
    if tolerance == 0:
        return places, clean
    if clean:
        return np.asarray(shapely.coverage_simplify(places, tolerance)), clean
    alone = [shapely.coverage_simplify(np.array([place]), tolerance)[0] for place in places]
    return np.asarray(alone, dtype=object), clean


def _levels(
    shapely: ModuleType,
    level: Level,
    places: np.ndarray,
    ids: np.ndarray,
    names: np.ndarray,
    *,
    clean: bool,
) -> list[tuple[Level, np.ndarray, np.ndarray, np.ndarray]]:
    """The places at their level and at the coarser levels dissolved from them."""
    levels = []
    coarser: Level
    for coarser in COARSER[level]:
        width = WIDTH_OF_LEVEL[coarser]
        prefix = pd.Series(ids, dtype="str").str[:width]
        codes, groups = pd.factorize(prefix, sort=True)
        union = shapely.coverage_union_all if clean else shapely.union_all
        merged = np.empty(len(groups), dtype=object)
        for code in range(len(groups)):
            merged[code] = union(places[codes == code])
        labels = [LAND_NAMES.get(g) if coarser == "land" else None for g in groups]
        levels.append((coarser, np.asarray(groups, dtype=object), merged, np.asarray(labels)))
    return [*levels, (level, ids, places, names)]


def _outlines(
    gpd: ModuleType,
    shapely: ModuleType,
    levels: Sequence[tuple[Level, np.ndarray, np.ndarray, np.ndarray]],
    crs: Any,
    label: str,
) -> tuple[pd.DataFrame, list[str]]:
    """The outlines table: the places in lon/lat degrees, each with a point inside it.

    Places that the grid of `DECIMALS` erases are left out, with a warning; the notes name them.
    """
    rows = []
    vanished: list[str] = []
    for level, ids, places, names in levels:
        inside = shapely.point_on_surface(places)
        degrees = gpd.GeoSeries(np.concatenate([places, inside]), crs=crs).to_crs("EPSG:4326")
        shapes = _on_grid(shapely, degrees.to_numpy()[: len(places)])
        points = np.round(shapely.get_coordinates(degrees.to_numpy()[len(places) :]), DECIMALS)
        for i, shape in enumerate(shapes):
            if shape is None:
                vanished.append(f"{level} {_place(ids[i], names[i])}")
                continue
            rows.append(
                {
                    "id": ids[i],
                    "level": level,
                    "name": names[i],
                    "geometry": shape,
                    "lon": points[i, 0],
                    "lat": points[i, 1],
                }
            )
    notes = []
    if vanished:
        said = (
            f"{label}: the outline of {vanished[0]} is smaller than the grid of {DECIMALS} "
            "decimals of the degrees written (about a metre), so it was left out"
            if len(vanished) == 1
            else f"{label}: the outlines of {len(vanished):,} places "
            f"({_listed(pd.Series(vanished))}) are smaller than the grid of {DECIMALS} "
            "decimals of the degrees written (about a metre), so they were left out"
        )
        warnings.warn(said, NetkoopWarning, stacklevel=3)
        notes.append(said)
    if not rows:
        raise DataFileError(
            f"{label}: every outline is smaller than the grid of {DECIMALS} decimals (about a "
            "metre); are the coordinates in the units the file's CRS says?"
        )
    frame, problems = outlines_frame(rows)
    if problems:  # the rings are closed and on the grid: a problem here is a bug
        raise RuntimeError("; ".join(str(p) for p in problems[:3]))
    return outlines_after(_empty_like(frame), frame), notes


#: Positions per degree on the grid of `DECIMALS`.
_SCALE = 10**DECIMALS


def _on_grid(shapely: ModuleType, shapes: np.ndarray) -> list[dict[str, Any] | None]:
    """The shapes as GeoJSON (multi)polygons with their positions on the grid of `DECIMALS`.

    Rounding can collapse a ring smaller than the grid (a sliver where outlines are no clean
    coverage): a ring left with fewer than 4 positions or no area is dropped, a part with its
    holes when its exterior is; a shape with no part left is None. Repeated positions are
    removed. The area is summed in whole grid units, so that the test is exact.
    """
    parts, part_shape = shapely.get_parts(shapes, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)  # each exterior first
    xy, position_ring = shapely.get_coordinates(rings, return_index=True)
    grid = np.rint(xy * _SCALE).astype(np.int64)
    new = np.ones(len(grid), dtype=bool)
    new[1:] = (position_ring[1:] != position_ring[:-1]) | (grid[1:] != grid[:-1]).any(axis=1)
    grid, position_ring = grid[new], position_ring[new]
    counts = np.bincount(position_ring, minlength=len(rings))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    relative = grid - grid[starts[position_ring]]  # small numbers: the products stay exact
    cross = relative[:-1, 0] * relative[1:, 1] - relative[1:, 0] * relative[:-1, 1]
    within = position_ring[:-1] == position_ring[1:]
    area = np.zeros(len(rings), dtype=np.int64)
    np.add.at(area, position_ring[:-1][within], cross[within])
    drawn = (counts >= 4) & (area != 0)
    exterior = np.ones(len(rings), dtype=bool)
    exterior[1:] = ring_part[1:] != ring_part[:-1]
    part_drawn = np.zeros(len(parts), dtype=bool)
    part_drawn[ring_part[exterior]] = drawn[exterior]
    polygons: list[list[list[list[list[float]]]]] = [[] for _ in shapes]
    for ring in np.flatnonzero(drawn & part_drawn[ring_part]):
        positions = (grid[starts[ring] : starts[ring] + counts[ring]] / _SCALE).tolist()
        owner = polygons[part_shape[ring_part[ring]]]
        if exterior[ring]:
            owner.append([positions])
        else:
            owner[-1].append(positions)
    multi = shapely.get_type_id(shapes) == shapely.GeometryType.MULTIPOLYGON
    out: list[dict[str, Any] | None] = []
    for kept, is_multi in zip(polygons, multi, strict=True):
        if not kept:
            out.append(None)
        elif is_multi:
            out.append({"type": "MultiPolygon", "coordinates": kept})
        else:
            out.append({"type": "Polygon", "coordinates": kept[0]})
    return out


def _place(key: str, name: object) -> str:
    return f"{key} ({name})" if isinstance(name, str) and name else str(key)


def _crs_note(crs: Any, metric: Any) -> str:
    simplified = (
        f"simplified in {crs_name(metric)}"
        if crs == metric
        else f"projected from {crs_name(crs)} to {crs_name(metric)} to simplify"
    )
    return f"{simplified}; written in lon/lat degrees (EPSG:4326) with {DECIMALS} decimals"


def _simplified_note(before: int, after: int, tolerance: float, clean: bool) -> str:
    if tolerance == 0:
        return f"kept all {before:,} vertices (tolerance 0)"
    how = (
        "as one coverage: neighbours keep their shared edges"
        if clean
        else "each polygon on its own, as their edges do not coincide (overlaps or gaps): "
        "neighbours may not share their edges exactly"
    )
    share = 1 - after / before if before else 0.0
    return (
        f"simplified from {before:,} to {after:,} vertices ({share:.1%} fewer) at a "
        f"tolerance of {tolerance:,.0f} m, {how}"
    )


def _dissolved_note(
    levels: Sequence[tuple[Level, np.ndarray, np.ndarray, np.ndarray]], level: Level
) -> list[str]:
    coarser = [f"{len(ids):,} {name}" for name, ids, _, _ in levels if name != level]
    if not coarser:
        return []
    return [f"dissolved {' and '.join(coarser)} outlines from the {level} polygons"]


def _credits(frame: Any, source: Path, year: int | None) -> tuple[Credit, ...]:
    """BKG's attribution when the file is BKG's (by its name, layer or BKG's columns)."""
    product = bkg_product(source, frame.attrs.get("layer"))
    if product is None and not {"GF", "BEGINN", "ARS"} <= set(frame.columns):
        return ()
    edition = year or edition_year(frame, source)
    return (bkg_credit(edition, product=product or "1000", note=OUTLINES_NOTE),)


# --- fitting to a scenario -------------------------------------------------------------------


def _none_known(label: str, outlines: pd.DataFrame, units: pd.DataFrame) -> str:
    theirs = _listed(outlines["id"])
    ours = _listed(units["id"][units["kind"] != "forum"]) or "none"
    return (
        f"{label}: none of its {len(outlines):,} keys ({theirs}) names a unit of the "
        f"scenario (its units: {ours}); check the key column (--key) and the level "
        "(--level), or import the units of these places first"
    )


def _listed(ids: pd.Series) -> str:
    """The first ids, and "..." when there are more."""
    return ", ".join(ids.head(_SHOWN)) + (", ..." if len(ids) > _SHOWN else "")


def _left_out(outlines: pd.DataFrame) -> list[str]:
    own = outlines[outlines["level"] != "land"]
    if own.empty:
        return []
    return [
        f"left out {len(own):,} outlines of places the scenario does not have "
        f"({_listed(own['id'])})"
    ]


def _lacking(outlines: pd.DataFrame, units: pd.DataFrame) -> list[str]:
    """Count the units of the imported levels that have no outline."""
    kinds = {"kreis": list(KREIS_KINDS), "gemeinde": ["gemeinde"]}
    levels = [level for level in kinds if (outlines["level"] == level).any()]
    wanted = units["kind"].isin([kind for level in levels for kind in kinds[level]])
    lacking = units.loc[wanted & ~units["id"].isin(outlines["id"]), "id"]
    if lacking.empty:
        return []
    noun = "unit has" if len(lacking) == 1 else "units have"
    return [
        f"{len(lacking):,} {noun} no outline ({_listed(lacking)}): the file has no polygon "
        f"of {'it' if len(lacking) == 1 else 'them'}"
    ]


def _placed(outlines: pd.DataFrame, units: pd.DataFrame) -> list[str]:
    lacking = units["lat"].isna() & units["lon"].isna() & units["id"].isin(outlines["id"])
    count = int(lacking.sum())
    if not count:
        return []
    return [f"{count:,} units without coordinates take them from their outline (a point inside)"]


def _stayed(outlines: pd.DataFrame, finest: str) -> list[str]:
    """Say which outlines dissolved from the file were not used: the scenario has them."""
    if outlines.empty:
        return []
    return [
        f"kept the scenario's {_counts(outlines)} outlines ({_listed(outlines['id'])}): the "
        f"ones dissolved from the {finest} polygons only add places that have none (to "
        "replace them, import a file of their level with --replace)"
    ]


def _replacing(outlines: pd.DataFrame, present: pd.DataFrame) -> list[str]:
    replacing = replaced_outlines(present, outlines)
    if replacing.empty:
        return []
    return [
        f"{len(replacing):,} outlines replace the scenario's of the same places "
        f"({_listed(replacing['id'])}); its other outlines stay"
    ]


def _finest(outlines: pd.DataFrame) -> str:
    """The level of the file's own places: the finest, as the others are dissolved from it."""
    levels = set(outlines["level"])
    return next((level for level in reversed(OUTLINE_LEVELS) if level in levels), "land")


def _pairs(outlines: pd.DataFrame) -> pd.Series:
    return outlines["level"].astype("str") + "\x1f" + outlines["id"].astype("str")


def _empty_like(outlines: pd.DataFrame) -> pd.DataFrame:
    return outlines.iloc[:0]


def _counts(outlines: pd.DataFrame) -> str:
    counts = outlines["level"].value_counts()
    return ", ".join(f"{counts[level]:,} {level}" for level in OUTLINE_LEVELS if level in counts)
