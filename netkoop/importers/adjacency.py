"""Read which places share a border, and how long it is, from polygons (shapefile, GeoJSON)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, NetkoopError, Problem, not_a_file
from netkoop.importers.imported import Imported
from netkoop.model.metadata import Credit
from netkoop.scenario.document import display_path

#: Columns that hold the key, tried in this order when none is named.
KEY_COLUMNS = ("ARS", "AGS", "kreis_ags", "ags")

#: BKG's Geofaktor column and its value for land ("Gebiete mit Strukturen"); water parts
#: (Bodensee, coastal waters: GF=2) are left out.
GF_COLUMN = "GF"
GF_LAND = 4

#: Geographic input within these bounds (lon/lat) is measured in EPSG:25832, the CRS BKG
#: publishes Germany in, so that lengths agree with BKG's UTM shapefiles.
GERMANY_BOUNDS = (5.0, 46.5, 16.0, 55.5)
GERMANY_CRS = "EPSG:25832"

#: Neighbours whose polygons overlap by this share of the smaller one are taken for one
#: place listed twice (a duplicate), not for neighbours whose edges do not coincide.
DUPLICATE_SHARE = 0.5

#: Overlays snap coordinates to this grid (metres), absorbing rounding noise.
GRID_M = 0.001

#: Pairs of neighbours measured at a time, so that progress can be told in between.
CHUNK = 500

#: At most this many problems of one kind are named in a message; the rest are counted.
_SHOWN = 3
_POLYGONAL = ("Polygon", "MultiPolygon")
#: Official key widths, by the width a number that lost its leading zero has.
_KEY_WIDTHS = {1: 2, 2: 2, 4: 5, 5: 5, 7: 8, 8: 8, 11: 12, 12: 12}
_INSTALL = "pip install 'netkoop[geo]'"


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
    gpd, shapely = _geo_modules()
    source = Path(path)
    label = display_path(source)
    frame = _read(gpd, source, label, layer)
    column = _key_column(frame, key, label)
    frame, notes = _land_only(frame, label)
    keys, key_notes = _keys(frame[column], label, column)
    _check_polygons(shapely, frame, keys, label, column)
    frame, unit, crs_note = _metric(frame, label)
    places, names, merged = _dissolve(shapely, frame.geometry.to_numpy(), keys)
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
    year = credit_year or _credit_year(frame, source)
    origins = tuple(
        f"{label}, features {features[a]} and {features[b]}"
        for a, b in zip(kept["from"], kept["to"], strict=True)
    )
    return Imported(
        table="borders",
        frame=kept,
        credits=(bkg_credit(year),),
        notes=tuple(notes),
        origins=origins,
    )


def bkg_credit(year: int) -> Credit:
    """Return the attribution BKG's licence asks for, marking the borders as own calculations.

    >>> bkg_credit(2023).credit
    '© GeoBasis-DE / BKG (2023) (Daten verändert)'
    """
    return Credit(
        name="BKG Verwaltungsgebiete 1:1 000 000 (VG1000)",
        credit=f"© GeoBasis-DE / BKG ({year}) (Daten verändert)",
        url="https://gdz.bkg.bund.de",
        licence="Datenlizenz Deutschland – Namensnennung – Version 2.0",
        note="Eigene Berechnungen: shared borders and their lengths computed from the polygons",
    )


# --- reading ---------------------------------------------------------------------------------


def _geo_modules() -> tuple[ModuleType, ModuleType]:
    """Import geopandas and shapely, which the optional ``geo`` extra installs."""
    try:
        import geopandas  # noqa: PLC0415
        import pyogrio  # noqa: PLC0415, F401
        import shapely  # noqa: PLC0415
    except ImportError as exc:
        raise NetkoopError(
            f"reading polygons needs geopandas, shapely and pyogrio ({exc.name} is missing); "
            f"install the geo extra: {_INSTALL}"
        ) from exc
    return geopandas, shapely


def _read(gpd: ModuleType, source: Path, label: str, layer: str | None) -> Any:
    """Read the features of the file's Kreis layer (its only one, or the one named)."""
    import pyogrio  # noqa: PLC0415

    if not source.exists():
        raise DataFileError(f"{label}: the file {not_a_file(source)}")
    if source.is_dir() and source.suffix.lower() != ".gdb":
        raise DataFileError(
            f"{label}: is a folder; give the polygon file (e.g. VG1000_KRS.shp or a .geojson)"
        )
    if not source.is_dir() and not source.is_file():
        # A pipe would never end: GDAL would wait for it forever.
        raise DataFileError(
            f"{label}: is not a regular file (a pipe or a device), which netkoop does not read"
        )
    unreadable = (RuntimeError, OSError, ValueError, IndexError)  # pyogrio: RuntimeError
    try:
        layers = [str(name) for name in pyogrio.list_layers(source)[:, 0]]
    except unreadable as exc:
        raise _unreadable(label, exc) from exc
    chosen = _layer(layers, layer, label)
    try:
        frame = gpd.read_file(source, layer=chosen, engine="pyogrio")
    except unreadable as exc:
        raise _unreadable(label, exc) from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise DataFileError(f"{label}: the file has no geometry; expected polygons of places")
    if frame.empty:
        raise DataFileError(f"{label}: the file holds no features; expected polygons of places")
    return frame


def _unreadable(label: str, exc: Exception) -> DataFileError:
    detail = " ".join(str(exc).split(";")[0].split())
    return DataFileError(
        f"{label}: not readable geodata (shapefile with its .shx/.dbf/.prj, GeoJSON, "
        f"GeoPackage): {detail}"
    )


def _layer(layers: list[str], layer: str | None, label: str) -> str:
    """The layer named, the only one, or the one Kreis layer (BKG: vg1000_krs)."""
    if layer is not None:
        if layer in layers:
            return layer
        raise DataFileError(f"{label}: no layer {layer!r}; found: {', '.join(layers)}")
    if len(layers) == 1:
        return layers[0]
    kreise = [n for n in layers if re.search(r"krs|kreis", n, re.IGNORECASE)]
    if len(kreise) == 1:
        return kreise[0]
    raise DataFileError(
        f"{label}: {len(layers)} layers ({', '.join(layers)}); name the one with the "
        "polygons of the places (layer=...)"
    )


def _key_column(frame: Any, key: str | None, label: str) -> str:
    """The key column: the one named, else the first of `KEY_COLUMNS` (in any case)."""
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    if key is not None:
        if key in columns:
            return key
        raise DataFileError(
            f"{label}: no key column {key!r}; found: {', '.join(columns) or 'none'}"
        )
    folded = {c.casefold(): c for c in reversed(columns)}
    for name in KEY_COLUMNS:
        if name in columns:
            return name
        if name.casefold() in folded:
            return folded[name.casefold()]
    raise DataFileError(
        f"{label}: no key column ({', '.join(KEY_COLUMNS)}); found: "
        f"{', '.join(columns) or 'none'}; name the key column (key=..., --key)"
    )


def _land_only(frame: Any, label: str) -> tuple[Any, list[str]]:
    """Keep BKG's land polygons (GF=4) where the file has a GF column."""
    if GF_COLUMN not in frame.columns:
        return frame, []
    gf = pd.to_numeric(frame[GF_COLUMN], errors="coerce")
    land = (gf == GF_LAND).to_numpy()
    if not land.any():
        found = ", ".join(map(str, pd.unique(frame[GF_COLUMN].astype("str"))[:_SHOWN]))
        raise DataFileError(
            f"{label}, field {GF_COLUMN!r}: no land polygons (GF={GF_LAND}); found GF {found}"
        )
    left = frame[~land]
    if left.empty:
        return frame, []
    kinds = sorted(map(str, pd.unique(left[GF_COLUMN].astype("str"))))
    what = "water polygons" if set(kinds) <= {"1", "2"} else "polygons other than land"
    note = (
        f"left out {len(left):,} {what} (GF={', '.join(kinds)}; BKG: 1, 2 water such as "
        f"Bodensee and coastal waters); used the {int(land.sum()):,} land polygons (GF={GF_LAND})"
    )
    return frame[land], [note]


def _keys(values: pd.Series, label: str, column: str) -> tuple[np.ndarray, list[str]]:
    """The keys as text: leading zeros restored, Kreis keys with trailing zeros shortened.

    Numbers lose the leading zero of Länder 01-09; so does text that passed through a
    spreadsheet. Digits one short of an official width (Land 2, Kreis 5, Gemeinde 8, ARS 12)
    get it back; text of 1 or 2 digits is left alone (it may be an id of one's own).
    """
    notes: list[str] = []
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric:
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        whole = numbers.notna() & (numbers % 1 == 0)
        text = numbers.where(whole).astype("Int64").astype("str").where(whole)
        bad = numbers.notna() & ~whole
        _raise_features(label, bad, values, column, "not a key; expected whole-number digits")
    else:
        text = values.astype("str").str.strip().where(values.notna())
    empty = text.isna() | (text == "")
    _raise_features(label, empty, values, column, "no key; every polygon needs one")
    if text.str.fullmatch(r"\d+").all():
        longest = int(text.str.len().max())
        width = _KEY_WIDTHS.get(longest) if numeric or longest > 2 else None
        if width is not None and (text.str.len() < width).any():
            text = text.str.zfill(width)
            notes.append(f"restored the leading zeros of keys in {column} ({width} digits)")
    for width, zeros in ((12, 7), (8, 3)):
        if text.str.fullmatch(rf"\d{{5}}0{{{zeros}}}").all():
            text = text.str[:5]
            notes.append(f"the {width}-digit keys in {column} are Kreis keys; used their 5 digits")
            break
    return text.to_numpy(dtype=object), notes


def _check_polygons(
    shapely: ModuleType, frame: Any, keys: np.ndarray, label: str, column: str
) -> None:
    """Every feature needs one valid polygon, and no polygon may appear twice."""
    geoms = frame.geometry.to_numpy()
    shown = pd.Series(keys, index=frame.index)
    missing = pd.Series(shapely.is_missing(geoms) | shapely.is_empty(geoms), index=frame.index)
    _raise_features(label, missing, shown, column, "no geometry; every place needs a polygon")
    kinds = frame.geometry.geom_type
    other = ~missing & ~kinds.isin(_POLYGONAL)
    _raise_features(
        label,
        other,
        shown,
        column,
        "not a polygon; places need (multi)polygons",
        messages=[f"a {k}, not a polygon; places need (multi)polygons" for k in kinds[other]],
    )
    valid = shapely.is_valid(geoms)
    invalid = pd.Series(~valid, index=frame.index)
    _raise_features(
        label,
        invalid,
        shown,
        column,
        "invalid polygon",
        messages=[
            f"invalid polygon ({reason}); repair it in a GIS (e.g. make valid) first"
            for reason in shapely.is_valid_reason(geoms[~valid])
        ],
    )
    wkb = pd.Series(shapely.to_wkb(shapely.normalize(geoms)), index=frame.index)
    twice = wkb.duplicated(keep="first")
    if twice.any():
        first = {w: i for i, w in zip(frame.index[::-1], wkb.to_numpy()[::-1], strict=True)}
        _raise_features(
            label,
            twice,
            shown,
            column,
            "the same polygon as an earlier feature",
            messages=[
                f"the same polygon as feature {first[w] + 1} ({shown[first[w]]!r}); "
                "is a place listed twice?"
                for w in wkb[twice]
            ],
        )


def _raise_features(
    label: str,
    bad: pd.Series,
    values: pd.Series,
    column: str,
    message: str,
    *,
    messages: Sequence[str] | None = None,
) -> None:
    """Raise `DataFileError` naming the first bad features (1-based, in file order)."""
    positions = np.flatnonzero(bad.to_numpy(dtype=bool))
    if not len(positions):
        return
    index = bad.index[positions]
    lines = []
    for i, at in enumerate(index[:_SHOWN]):
        value = values.loc[at]
        text = None if value is None or pd.isna(value) else str(value)
        said = messages[i] if messages is not None else message
        lines.append(str(Problem("error", f"{label}, feature {at + 1}", said, column, text)))
    if len(index) > _SHOWN:
        lines.append(f"{label}: and {len(index) - _SHOWN:,} more features with the same problem")
    raise DataFileError("\n".join(lines))


# --- measuring -------------------------------------------------------------------------------


def _metric(frame: Any, label: str) -> tuple[Any, float, str]:
    """Project geographic coordinates; return the frame, metres per CRS unit and a note."""
    crs = frame.crs
    if crs is None:
        raise DataFileError(
            f"{label}: no coordinate reference system (a shapefile needs its .prj beside it); "
            "border lengths cannot be measured"
        )
    name = _crs_name(crs)
    if crs.is_geographic:
        west, south, east, north = frame.total_bounds
        gw, gs, ge, gn = GERMANY_BOUNDS
        inside = gw <= west and gs <= south and east <= ge and north <= gn
        target = GERMANY_CRS if inside else frame.estimate_utm_crs()
        frame = frame.to_crs(target)
        return frame, 1.0, f"projected from {name} to {_crs_name(frame.crs)} to measure in metres"
    axes = crs.axis_info
    unit = float(axes[0].unit_conversion_factor) if axes else 1.0
    return frame, unit, f"measured in {name}"


def _crs_name(crs: Any) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else str(crs.name)


def _dissolve(
    shapely: ModuleType, geoms: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """One geometry per key (the union of its parts); return geometries, keys, merged count."""
    codes, names = pd.factorize(pd.Series(keys, dtype="str"), sort=True)
    counts = np.bincount(codes, minlength=len(names))
    places = np.empty(len(names), dtype=object)
    single = counts[codes] == 1
    places[codes[single]] = geoms[single]
    for code in np.flatnonzero(counts > 1):
        places[code] = shapely.union_all(geoms[codes == code])
    return places, np.asarray(names, dtype=object), int((counts > 1).sum())


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


def _credit_year(frame: Any, source: Path) -> int:
    """BKG's year: a month after the latest BEGINN (the edition), else the file's mtime."""
    if "BEGINN" in frame.columns:
        begun = pd.to_datetime(frame["BEGINN"], errors="coerce").max()
        if pd.notna(begun):
            return int((begun + pd.Timedelta(days=31)).year)
    return dt.datetime.fromtimestamp(source.stat().st_mtime, tz=dt.UTC).year
