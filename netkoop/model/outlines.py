"""Outlines: the polygon of each place, for maps, as GeoJSON geometries in lon/lat degrees.

Like borders, outlines are context: they draw the places under the network and never become
ties. A scenario keeps them in one GeoJSON file beside it (``outlines: {file:
outlines.geojson}``); `outlines_from_geojson` and `outlines_geojson` convert between that
file's FeatureCollection and the table, with the json module only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from netkoop._errors import Problem, shown
from netkoop.model.schema import LIMIT, Reporter

#: The columns of the outlines table. ``lat``/``lon`` are a point inside the polygon (for a
#: label, and for units without coordinates of their own); they may be missing.
OUTLINE_COLUMNS = ("id", "level", "name", "geometry", "lat", "lon")

#: The levels an outline may have, from the largest places to the smallest.
OUTLINE_LEVELS = ("land", "kreis", "gemeinde")

#: The GeoJSON geometry types an outline may have.
POLYGONAL = ("Polygon", "MultiPolygon")

_TEXT = ("id", "level", "name")
_POINT = ("lat", "lon")


class _GeometryError(ValueError):
    """A geometry that is no valid GeoJSON (multi)polygon in degrees; the message says why."""


def empty_outlines() -> pd.DataFrame:
    """Return an outlines table without rows.

    >>> list(empty_outlines().columns)
    ['id', 'level', 'name', 'geometry', 'lat', 'lon']
    """
    return _frame([])


def outlines_frame(
    rows: pd.DataFrame | Iterable[Mapping[str, Any]], where: str = "outlines"
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check outlines given as a table or row mappings; return the typed table and problems.

    Each row needs ``id`` (text), ``level`` (land, kreis or gemeinde, in any case) and
    ``geometry`` (a GeoJSON Polygon or MultiPolygon mapping in lon/lat degrees); ``name``,
    ``lat`` and ``lon`` may be missing. Geometries are copied as plain lists of floats (an
    altitude is dropped); rows with a problem are left out.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}
    >>> frame, problems = outlines_frame([{"id": "03254", "level": "Kreis", "geometry": square}])
    >>> frame.loc[0, "level"], frame.loc[0, "geometry"]["coordinates"][0][1], problems
    ('kreis', [10.0, 52.0], [])
    """
    records: list[dict[str, Any]] = [
        {str(key): value for key, value in record.items()}
        for record in (rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows)
    ]
    report = Reporter()
    kept = []
    for position, record in enumerate(records):
        row = _row(record, f"{where}, row {position + 1}", report)
        if row is not None:
            kept.append(row)
    frame = _frame(kept)
    _report_twice(frame, [f"{where}, row {i + 1}" for i in range(len(kept))], report)
    return frame, report.problems


def outlines_from_geojson(data: object, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a parsed GeoJSON FeatureCollection of outlines; return the table and problems.

    Each feature's ``properties`` hold ``id`` (or the feature has an ``id``), ``level`` and
    optionally ``name``, ``lat`` and ``lon``; its geometry is a Polygon or MultiPolygon in
    lon/lat degrees (WGS84, as RFC 7946 asks). Other properties are not read.

    Examples
    --------
    >>> geometry = {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}
    >>> feature = {"type": "Feature", "properties": {"id": "03", "level": "land"},
    ...            "geometry": geometry}
    >>> frame, problems = outlines_from_geojson(
    ...     {"type": "FeatureCollection", "features": [feature]}, "outlines.geojson")
    >>> list(frame["id"]), problems
    (['03'], [])
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        what = data.get("type") if isinstance(data, dict) else type(data).__name__
        return empty_outlines(), [
            Problem(
                "error",
                label,
                "not a GeoJSON FeatureCollection (its top level is "
                f"{shown(what) if what else 'an object without type'}); outlines are a "
                "FeatureCollection of (multi)polygons, as 'netkoop import geometry' writes",
            )
        ]
    features = data.get("features")
    if not isinstance(features, list):
        return empty_outlines(), [
            Problem("error", label, "the FeatureCollection has no list of 'features'")
        ]
    report = Reporter()
    kept, places = [], []
    for position, feature in enumerate(features):
        where = f"{label}, feature {position + 1}"
        record = _feature_record(feature, where, report)
        row = None if record is None else _row(record, where, report)
        if row is not None:
            kept.append(row)
            places.append(where)
    frame = _frame(kept)
    _report_twice(frame, places, report)
    return frame, _bounded(report.problems)


def outlines_geojson(outlines: pd.DataFrame) -> str:
    """Return the outlines as a GeoJSON FeatureCollection, one feature per line.

    Missing names and points are left out of the properties; numbers are written as Python
    writes floats, so that `outlines_from_geojson` reads back the same values.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}
    >>> frame, _ = outlines_frame([{"id": "03", "level": "land", "geometry": square}])
    >>> print(outlines_geojson(frame), end="")
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"id":"03","level":"land"},"geometry":{"type":"Polygon","coordinates":[[[9.0,52.0],[10.0,52.0],[10.0,53.0],[9.0,52.0]]]}}
    ]}
    """
    lines = []
    columns = [outlines[c].astype(object).to_numpy() for c in OUTLINE_COLUMNS]
    for values in zip(*columns, strict=True):
        row = dict(zip(OUTLINE_COLUMNS, values, strict=True))
        properties = {
            key: _plain(row[key])
            for key in ("id", "level", "name", "lat", "lon")
            if not _missing(row[key])
        }
        feature = {"type": "Feature", "properties": properties, "geometry": row["geometry"]}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return '{"type":"FeatureCollection","features":[\n' + body + ("\n" if lines else "") + "]}\n"


def check_outline_units(outlines: pd.DataFrame, units: pd.DataFrame, report: Reporter) -> None:
    """Warn once about Kreis and Gemeinde outlines whose id names no unit.

    A Land outline needs no unit: the Land is drawn as context even where the scenario has no
    unit for it.
    """
    if outlines.empty:
        return
    own = outlines["level"] != "land"
    unknown = outlines.loc[own & ~outlines["id"].isin(units["id"]), "id"]
    if not len(unknown):
        return
    first = ", ".join(unknown.head(5))
    more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
    noun = "outline names" if len(unknown) == 1 else "outlines name"
    report.add(
        Problem(
            "warning",
            "outlines",
            f"{len(unknown):,} {noun} no unit ({first}{more}); they are drawn as context only",
        )
    )


def with_outline_points(units: pd.DataFrame, outlines: pd.DataFrame) -> pd.DataFrame:
    """Give units without coordinates (no ``lat`` and no ``lon``) the point of their outline.

    The point of an outline is the one in its ``lat``/``lon`` (inside the polygon); a unit
    whose id has outlines at several levels (none does in official keys) takes the largest
    place's. Returns ``units`` itself when no unit gains coordinates.
    """
    if outlines.empty or units.empty:
        return units
    pointed = outlines[outlines["lat"].notna() & outlines["lon"].notna()]
    pointed = pointed.drop_duplicates("id")
    lacking = units["lat"].isna() & units["lon"].isna() & units["id"].isin(pointed["id"])
    if not lacking.any():
        return units
    by_id = pointed.set_index("id")
    ids = units.loc[lacking, "id"]
    filled = units.copy()
    filled.loc[lacking, "lat"] = by_id.loc[ids, "lat"].to_numpy()
    filled.loc[lacking, "lon"] = by_id.loc[ids, "lon"].to_numpy()
    return filled


def merge_outlines(base: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """Return the outlines of a base scenario with a scenario's own: its own replace the base's
    outlines of the same id and level.

    >>> square = {"type": "Polygon", "coordinates": [[[9, 52], [10, 52], [10, 53], [9, 52]]]}
    >>> a, _ = outlines_frame([{"id": "03", "level": "land", "name": "alt", "geometry": square}])
    >>> b, _ = outlines_frame([{"id": "03", "level": "land", "name": "neu", "geometry": square}])
    >>> list(merge_outlines(a, b)["name"])
    ['neu']
    """
    if base.empty:
        return own
    if own.empty:
        return base
    replaced = _pair(base).isin(_pair(own)).to_numpy()
    return pd.concat([base[~replaced], own], ignore_index=True)


# --- rows ------------------------------------------------------------------------------------


def _frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The typed outlines table of checked rows."""
    columns: dict[str, pd.Series] = {}
    index = pd.RangeIndex(len(rows))
    for name in _TEXT:
        columns[name] = pd.Series([r.get(name) for r in rows], index=index, dtype="str")
    geometry = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        geometry[i] = row["geometry"]
    columns["geometry"] = pd.Series(geometry, index=index, dtype=object)
    for name in _POINT:
        values = [np.nan if r.get(name) is None else r[name] for r in rows]
        columns[name] = pd.Series(values, index=index, dtype="float64")
    return pd.DataFrame(columns, columns=list(OUTLINE_COLUMNS))


def _feature_record(feature: object, where: str, report: Reporter) -> dict[str, Any] | None:
    """A feature's properties with its id and geometry, or None after reporting why not."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        report.add(Problem("error", where, "not a GeoJSON Feature", value=shown(feature)))
        return None
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        report.add(Problem("error", where, "'properties' must be an object", field="properties"))
        return None
    record = {key: properties.get(key) for key in ("id", "level", "name", "lat", "lon")}
    if record["id"] is None:
        record["id"] = feature.get("id")
    record["geometry"] = feature.get("geometry")
    return record


def _row(record: Mapping[str, Any], where: str, report: Reporter) -> dict[str, Any] | None:
    """One checked outline, or None after reporting its problems."""
    row: dict[str, Any] = {}
    ok = True
    key = record.get("id")
    if _missing(key):
        report.add(Problem("error", where, "an outline needs the id of its place", field="id"))
        ok = False
    elif not isinstance(key, str):
        report.add(
            Problem(
                "error",
                where,
                'an id is text ("03254"), not a number, so that leading zeros stay',
                field="id",
                value=shown(key),
            )
        )
        ok = False
    else:
        row["id"] = key.strip()
    level = record.get("level")
    word = level.strip().casefold() if isinstance(level, str) else None
    if word not in OUTLINE_LEVELS:
        report.add(
            Problem(
                "error",
                where,
                f"the level of an outline is one of {', '.join(OUTLINE_LEVELS)}",
                field="level",
                value=None if level is None else shown(level),
            )
        )
        ok = False
    row["level"] = word
    name = record.get("name")
    row["name"] = None if _missing(name) else str(name)
    for axis, limit in (("lat", 90.0), ("lon", 180.0)):
        value = record.get(axis)
        if _missing(value):
            row[axis] = None
        elif _number(value) and abs(float(value)) <= limit:
            row[axis] = float(value)
        else:
            report.add(
                Problem(
                    "error",
                    where,
                    f"{axis} is a number of degrees within ±{limit:g}",
                    field=axis,
                    value=shown(value),
                )
            )
            ok = False
    try:
        row["geometry"] = _geometry(record.get("geometry"))
    except _GeometryError as exc:
        report.add(Problem("error", where, str(exc), field="geometry"))
        ok = False
    return row if ok else None


def _report_twice(frame: pd.DataFrame, places: Sequence[str], report: Reporter) -> None:
    """Report outlines whose id and level an earlier one has."""
    twice = np.flatnonzero(_pair(frame).duplicated().to_numpy())
    report.rows(
        lambda i: places[i],
        twice,
        "a second outline of the same place and level; give each place one (multi)polygon",
        field="id",
        values=list(frame["id"].to_numpy()[twice]),
    )


def _pair(frame: pd.DataFrame) -> pd.Series:
    return frame["level"].astype("str") + "\x1f" + frame["id"].astype("str")


def _bounded(problems: list[Problem]) -> list[Problem]:
    """At most `LIMIT` problems per message, the rest counted in one line."""
    counts: dict[str, int] = {}
    out = []
    for problem in problems:
        counts[problem.message] = counts.get(problem.message, 0) + 1
        if counts[problem.message] <= LIMIT:
            out.append(problem)
    for message, count in counts.items():
        if count > LIMIT:
            first = next(p for p in problems if p.message == message)
            where = first.where.rsplit(", feature", 1)[0]
            out.append(
                Problem(
                    "error", where, f"and {count - LIMIT:,} more features: {message}", first.field
                )
            )
    return out


# --- geometries ------------------------------------------------------------------------------


def _geometry(value: object) -> dict[str, Any]:
    """A GeoJSON (multi)polygon as plain lists of [lon, lat] floats; raise `_GeometryError`."""
    if not isinstance(value, Mapping):
        raise _GeometryError(
            "an outline needs a geometry: a GeoJSON mapping with 'type' and 'coordinates'"
        )
    kind = value.get("type")
    if kind not in POLYGONAL:
        raise _GeometryError(
            f"a {shown(kind) if kind else 'geometry without type'}, not a polygon; outlines "
            "are Polygon or MultiPolygon"
        )
    coordinates = value.get("coordinates")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(coordinates)}
    if not isinstance(coordinates, list | tuple) or not coordinates:
        raise _GeometryError("a MultiPolygon's coordinates are a non-empty list of polygons")
    return {"type": kind, "coordinates": [_polygon(p) for p in coordinates]}


def _polygon(rings: object) -> list[list[list[float]]]:
    if not isinstance(rings, list | tuple) or not rings:
        raise _GeometryError("a polygon's coordinates are a non-empty list of rings")
    return [_ring(ring) for ring in rings]


def _ring(ring: object) -> list[list[float]]:
    if not isinstance(ring, list | tuple) or len(ring) < 4:
        raise _GeometryError("a ring of a polygon is a list of at least 4 positions")
    positions = [_position(p) for p in ring]
    if positions[0] != positions[-1]:
        raise _GeometryError("a ring of a polygon ends where it starts (first position = last)")
    return positions


def _position(position: object) -> list[float]:
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(_number(v) for v in position[:2])
    ):
        raise _GeometryError(f"a position is [lon, lat] in degrees, not {shown(position)}")
    lon, lat = float(position[0]), float(position[1])
    if abs(lon) > 180 or abs(lat) > 90:
        raise _GeometryError(
            f"position [{lon:g}, {lat:g}] is not in lon/lat degrees (WGS84, as GeoJSON "
            "requires); projected coordinates such as metres of UTM must be converted, which "
            "'netkoop import geometry' does"
        )
    return [lon, lat]


def _number(value: object) -> TypeGuard[int | float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _plain(value: object) -> object:
    """A value as json writes it: numpy numbers as Python numbers."""
    return value.item() if isinstance(value, np.generic) else value
