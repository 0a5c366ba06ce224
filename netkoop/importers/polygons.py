"""Read polygons of places (shapefile, GeoJSON, GeoPackage): the reading the importers share.

`netkoop.importers.adjacency` measures shared borders from them and
`netkoop.importers.geometry` keeps them as outlines. Both read a file's layer of places,
find the key column, keep BKG's land polygons, restore the keys' leading zeros, check every
polygon and project to metres the same way, with the optional geo dependencies (``pip
install 'netkoop[geo]'``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import DataFileError, NetkoopError, Problem, not_a_file
from netkoop.model.metadata import Credit

#: Columns that hold the key, tried in this order when none is named.
KEY_COLUMNS = ("ARS", "AGS", "kreis_ags", "ags")

#: The layer of Kreise in a file of several: a pattern of its name (BKG: vg1000_krs), a word.
KREIS_LAYER = (r"krs|kreis", "Kreise")

#: BKG's Geofaktor column and its value for land ("Gebiete mit Strukturen"); water parts
#: (Bodensee, coastal waters: GF=2) are left out.
GF_COLUMN = "GF"
GF_LAND = 4

#: Geographic input within these bounds (lon/lat) is measured in EPSG:25832, the CRS BKG
#: publishes Germany in, so that lengths agree with BKG's UTM shapefiles.
GERMANY_BOUNDS = (5.0, 46.5, 16.0, 55.5)
GERMANY_CRS = "EPSG:25832"

#: At most this many problems of one kind are named in a message; the rest are counted.
SHOWN = 3

#: The geometry types of places.
POLYGONAL = ("Polygon", "MultiPolygon")

#: How to install what reading polygons needs.
INSTALL = "pip install 'netkoop[geo]'"

#: Official key widths, by the width a number that lost its leading zero has.
_KEY_WIDTHS = {1: 2, 2: 2, 4: 5, 5: 5, 7: 8, 8: 8, 11: 12, 12: 12}

#: BKG's products of administrative areas (Verwaltungsgebiete), by the scale in their name.
BKG_PRODUCTS = {
    "250": "BKG Verwaltungsgebiete 1:250 000 (VG250)",
    "1000": "BKG Verwaltungsgebiete 1:1 000 000 (VG1000)",
    "2500": "BKG Verwaltungsgebiete 1:2 500 000 (VG2500)",
    "5000": "BKG Verwaltungsgebiete 1:5 000 000 (VG5000)",
}


def bkg_credit(year: int, *, product: str = "1000", note: str | None = None) -> Credit:
    """Return the attribution BKG's licence asks for, marking the data as changed.

    ``product`` is the scale of the BKG product (a key of `BKG_PRODUCTS`), ``note`` says
    what netkoop made of the data.

    >>> bkg_credit(2023).credit
    '© GeoBasis-DE / BKG (2023) (Daten verändert)'
    """
    return Credit(
        name=BKG_PRODUCTS[product],
        credit=f"© GeoBasis-DE / BKG ({year}) (Daten verändert)",
        url="https://gdz.bkg.bund.de",
        licence="Datenlizenz Deutschland – Namensnennung – Version 2.0",
        note=note,
    )


def bkg_product(source: Path, layer: str | None) -> str | None:
    """The scale of the BKG product a file is (``"250"``, ``"1000"``...) by its name or layer.

    >>> bkg_product(Path("vg250_01-01.utm32s.gpkg.ebenen/DE_VG250.gpkg"), "vg250_krs")
    '250'
    >>> bkg_product(Path("kreise.geojson"), None) is None
    True
    """
    for text in (layer or "", *reversed(source.parts)):
        match = re.search(r"vg(250|1000|2500|5000)(?!\d)", text, re.IGNORECASE)
        if match:
            return match.group(1)
    return None


# --- reading ---------------------------------------------------------------------------------


def geo_modules() -> tuple[ModuleType, ModuleType]:
    """Import geopandas and shapely, which the optional ``geo`` extra installs."""
    try:
        import geopandas  # noqa: PLC0415
        import pyogrio  # noqa: PLC0415, F401
        import shapely  # noqa: PLC0415
    except ImportError as exc:
        raise NetkoopError(
            f"reading polygons needs geopandas, shapely and pyogrio ({exc.name} is missing); "
            f"install the geo extra: {INSTALL}"
        ) from exc
    return geopandas, shapely


def read_layer(
    gpd: ModuleType,
    source: Path,
    label: str,
    layer: str | None,
    *,
    wanted: tuple[str, str] = KREIS_LAYER,
) -> Any:
    """Read the features of the file's layer of places (its only one, or the one named).

    ``wanted`` describes the layer to take from a file of several (a GeoPackage) when none
    is named: a regular expression its name matches, and the word for messages. The name
    of the layer read is kept in the frame's ``attrs["layer"]``.
    """
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
        raise unreadable_error(label, exc) from exc
    chosen = choose_layer(layers, layer, label, wanted=wanted)
    try:
        frame = gpd.read_file(source, layer=chosen, engine="pyogrio")
    except unreadable as exc:
        raise unreadable_error(label, exc) from exc
    frame.attrs["layer"] = chosen
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise DataFileError(f"{label}: the file has no geometry; expected polygons of places")
    if frame.empty:
        raise DataFileError(f"{label}: the file holds no features; expected polygons of places")
    return frame


def unreadable_error(label: str, exc: Exception) -> DataFileError:
    """The error for a file that GDAL cannot read, with the first part of its reason."""
    detail = " ".join(str(exc).split(";")[0].split())
    return DataFileError(
        f"{label}: not readable geodata (shapefile with its .shx/.dbf/.prj, GeoJSON, "
        f"GeoPackage): {detail}"
    )


def choose_layer(
    layers: list[str], layer: str | None, label: str, *, wanted: tuple[str, str] = KREIS_LAYER
) -> str:
    """The layer named, the only one, or the one layer whose name matches ``wanted``.

    >>> choose_layer(["vg250_lan", "vg250_krs", "vg250_gem"], None, "DE_VG250.gpkg")
    'vg250_krs'
    """
    if layer is not None:
        if layer in layers:
            return layer
        raise DataFileError(f"{label}: no layer {layer!r}; found: {', '.join(layers)}")
    if len(layers) == 1:
        return layers[0]
    pattern, word = wanted
    matching = [n for n in layers if re.search(pattern, n, re.IGNORECASE)]
    if len(matching) == 1:
        return matching[0]
    raise DataFileError(
        f"{label}: {len(layers)} layers ({', '.join(layers)}); name the one with the "
        f"polygons of the {word} (layer=..., --layer)"
    )


def key_column(
    frame: Any, key: str | None, label: str, *, prefer: Sequence[str] = KEY_COLUMNS
) -> str:
    """The key column: the one named, else the first of ``prefer`` (in any case)."""
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    if key is not None:
        if key in columns:
            return key
        raise DataFileError(
            f"{label}: no key column {key!r}; found: {', '.join(columns) or 'none'}"
        )
    folded = {c.casefold(): c for c in reversed(columns)}
    for name in prefer:
        if name in columns:
            return name
        if name.casefold() in folded:
            return folded[name.casefold()]
    raise DataFileError(
        f"{label}: no key column ({', '.join(prefer)}); found: "
        f"{', '.join(columns) or 'none'}; name the key column (key=..., --key)"
    )


def land_only(frame: Any, label: str) -> tuple[Any, list[str]]:
    """Keep BKG's land polygons (GF=4) where the file has a GF column."""
    if GF_COLUMN not in frame.columns:
        return frame, []
    gf = pd.to_numeric(frame[GF_COLUMN], errors="coerce")
    land = (gf == GF_LAND).to_numpy()
    if not land.any():
        found = ", ".join(map(str, pd.unique(frame[GF_COLUMN].astype("str"))[:SHOWN]))
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


def official_keys(values: pd.Series, label: str, column: str) -> tuple[np.ndarray, list[str]]:
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
        raise_features(label, bad, values, column, "not a key; expected whole-number digits")
    else:
        text = values.astype("str").str.strip().where(values.notna())
    empty = text.isna() | (text == "")
    raise_features(label, empty, values, column, "no key; every polygon needs one")
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


def check_polygons(
    shapely: ModuleType, frame: Any, keys: np.ndarray, label: str, column: str
) -> None:
    """Every feature needs one valid polygon, and no polygon may appear twice.

    Raises
    ------
    DataFileError
        Naming the first features of each problem (1-based, in file order); one line when no
        feature at all is a polygon.
    """
    geoms = frame.geometry.to_numpy()
    shown = pd.Series(keys, index=frame.index)
    missing = pd.Series(shapely.is_missing(geoms) | shapely.is_empty(geoms), index=frame.index)
    raise_features(label, missing, shown, column, "no geometry; every place needs a polygon")
    kinds = frame.geometry.geom_type
    other = ~missing & ~kinds.isin(POLYGONAL)
    if len(frame) > 1 and other.all():
        found = ", ".join(f"{n:,} × {kind}" for kind, n in kinds.value_counts().items())
        raise DataFileError(
            f"{label}: holds no polygons ({found}); places need (multi)polygons; for a "
            "file of several layers, name the one of polygons (layer=..., --layer)"
        )
    raise_features(
        label,
        other,
        shown,
        column,
        "not a polygon; places need (multi)polygons",
        messages=[f"a {k}, not a polygon; places need (multi)polygons" for k in kinds[other]],
    )
    valid = shapely.is_valid(geoms)
    invalid = pd.Series(~valid, index=frame.index)
    raise_features(
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
        raise_features(
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


def raise_features(
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
    for i, at in enumerate(index[:SHOWN]):
        value = values.loc[at]
        text = None if value is None or pd.isna(value) else str(value)
        said = messages[i] if messages is not None else message
        lines.append(str(Problem("error", f"{label}, feature {at + 1}", said, column, text)))
    if len(index) > SHOWN:
        lines.append(f"{label}: and {len(index) - SHOWN:,} more features with the same problem")
    raise DataFileError("\n".join(lines))


# --- projecting and merging -----------------------------------------------------------------


def require_crs(frame: Any, label: str, why: str) -> Any:
    """Return the frame's coordinate reference system; raise when it has none.

    ``why`` says what cannot be done without one.
    """
    if frame.crs is None:
        raise DataFileError(
            f"{label}: no coordinate reference system (a shapefile needs its .prj beside it); {why}"
        )
    return frame.crs


def in_germany(frame: Any) -> bool:
    """Tell whether the frame's features lie within `GERMANY_BOUNDS` (in lon/lat)."""
    west, south, east, north = frame.to_crs("EPSG:4326").total_bounds
    gw, gs, ge, gn = GERMANY_BOUNDS
    return bool(gw <= west and gs <= south and east <= ge and north <= gn)


def to_metric(frame: Any, label: str) -> tuple[Any, float, str]:
    """Project geographic coordinates; return the frame, metres per CRS unit and a note."""
    crs = require_crs(frame, label, "border lengths cannot be measured")
    name = crs_name(crs)
    if crs.is_geographic:
        west, south, east, north = frame.total_bounds
        gw, gs, ge, gn = GERMANY_BOUNDS
        inside = gw <= west and gs <= south and east <= ge and north <= gn
        target = GERMANY_CRS if inside else frame.estimate_utm_crs()
        frame = frame.to_crs(target)
        return frame, 1.0, f"projected from {name} to {crs_name(frame.crs)} to measure in metres"
    axes = crs.axis_info
    unit = float(axes[0].unit_conversion_factor) if axes else 1.0
    return frame, unit, f"measured in {name}"


def crs_name(crs: Any) -> str:
    """Name a CRS for notes: by its EPSG code where it has one."""
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else str(crs.name)


def dissolve(
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


def edition_year(frame: Any, source: Path) -> int:
    """BKG's year: a month after the latest BEGINN (the edition), else the file's mtime."""
    if "BEGINN" in frame.columns:
        begun = pd.to_datetime(frame["BEGINN"], errors="coerce").max()
        if pd.notna(begun):
            return int((begun + pd.Timedelta(days=31)).year)
    return dt.datetime.fromtimestamp(source.stat().st_mtime, tz=dt.UTC).year
