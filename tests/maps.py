"""Networks with outlines for the map tests, from the official files in tests/data/official.

The outlines are the BKG VG1000 Kreis polygons (``bkg-vg1000-2022``) as the outlines table of
`netkoop.Network.outlines`: simplified together (shared edges stay shared) to about the size
`netkoop import geometry` keeps, in lon/lat degrees, with the 16 Länder dissolved from them.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import numpy as np
import pandas as pd

import netkoop

OFFICIAL = Path(__file__).resolve().parent / "data" / "official"
KREIS_SHAPES = OFFICIAL / "bkg-vg1000-2022" / "VG1000_KRS.zip"
DERIVED = OFFICIAL / "derived"

#: Metres of coverage simplification: about 300 KB of GeoJSON for the 400 Kreise.
TOLERANCE = 2000.0

HILDESHEIM = "03254"


@functools.cache
def germany_outlines() -> pd.DataFrame:
    """The 400 Kreis outlines and the 16 Land outlines, as `netkoop.Network.outlines` takes."""
    import geopandas
    import shapely

    shapes = geopandas.read_file(f"zip://{KREIS_SHAPES}")
    shapes = shapes[shapes["GF"] == 4].reset_index(drop=True)
    simplified = shapely.coverage_simplify(shapes.geometry.to_numpy(), TOLERANCE)
    kreise = shapes.assign(geometry=simplified)
    laender = kreise.dissolve("SN_L").reset_index()
    rows = pd.concat(
        [
            _rows(kreise, kreise["ARS"], "kreis", kreise["GEN"]),
            _rows(laender, laender["SN_L"], "land", pd.Series([None] * len(laender))),
        ],
        ignore_index=True,
    )
    return rows


def _rows(frame: object, ids: pd.Series, level: str, names: pd.Series) -> pd.DataFrame:
    import shapely

    geometries = frame.to_crs(4326).geometry  # type: ignore[attr-defined]
    rounded = [shapely.transform(g, lambda c: np.round(c, 5)) for g in geometries]
    return pd.DataFrame(
        {
            "id": ids.astype(str).to_numpy(),
            "level": level,
            "name": names.to_numpy(),
            "geometry": [shapely.geometry.mapping(g) for g in rounded],
        }
    )


def _kreise() -> pd.DataFrame:
    kreise = pd.read_csv(DERIVED / "kreise.csv.gz", dtype=str)
    return pd.DataFrame(
        {
            "id": kreise["kreis_ags"],
            "name": kreise["name"],
            "kind": kreise["kind"],
            "land": kreise["land_code"],
            "population": kreise["bevoelkerung"].astype("int64"),
            "lat": kreise["centroid_lat"].astype("float64"),
            "lon": kreise["centroid_lon"].astype("float64"),
        }
    )


def _flows() -> pd.DataFrame:
    od = pd.read_csv(
        DERIVED / "pendler_kreise_od.csv.gz",
        dtype={"wohnort_kreis": str, "arbeitsort_kreis": str},
    )
    return pd.DataFrame(
        {"from": od["wohnort_kreis"], "to": od["arbeitsort_kreis"], "commuters": od["insgesamt"]}
    )


def germany(*, outlines: bool = True, laender: bool = False) -> netkoop.Network:
    """The 400 Kreise at their centroids with the BA commuter flows, exchange ties between
    neighbouring Kreise of each Land (every third border), and with ``outlines`` the Kreis
    and Land outlines; with ``laender`` a unit for each Land (without ties)."""
    units = _kreise()
    if laender:
        codes = sorted(units["land"].unique())
        units = pd.concat(
            [units, pd.DataFrame({"id": codes, "name": codes, "kind": "land", "land": codes})],
            ignore_index=True,
        )
    borders = pd.read_csv(DERIVED / "kreis_adjacency.csv.gz", dtype=str)
    same_land = borders["kreis_a"].str[:2] == borders["kreis_b"].str[:2]
    chosen = borders[same_land].iloc[::3]
    ties = pd.DataFrame(
        {
            "from": chosen["kreis_a"].to_numpy(),
            "to": chosen["kreis_b"].to_numpy(),
            "kind": "exchange",
        }
    )
    return netkoop.Network.from_tables(
        units,
        ties,
        _flows(),
        outlines=germany_outlines() if outlines else None,
        metadata=netkoop.Metadata(name="deutschland", title="Deutschland: 400 Kreise"),
    )


def hildesheim(*, outlines: bool = True) -> netkoop.Network:
    """Landkreis Hildesheim with its 20 Gemeinden at their coordinates, ties from the
    Landkreis to each Gemeinde and between a few neighbours, a Land forum, and with
    ``outlines`` the outlines of the Landkreis and the Kreise around it."""
    kreise = _kreise()
    kreis = kreise[kreise["id"] == HILDESHEIM]
    gemeinden = pd.read_csv(DERIVED / "gemeinden.csv.gz", dtype=str)
    gemeinden = gemeinden[gemeinden["kreis_ags"] == HILDESHEIM]
    members = pd.DataFrame(
        {
            "id": gemeinden["ags"],
            "name": gemeinden["name"],
            "kind": "gemeinde",
            "land": "03",
            "parent": HILDESHEIM,
            "population": gemeinden["bevoelkerung"].astype("int64"),
            "lat": gemeinden["lat"].astype("float64"),
            "lon": gemeinden["lon"].astype("float64"),
        }
    )
    forum = pd.DataFrame(
        [
            {
                "id": "ag-ni",
                "name": "Arbeitsgemeinschaft der kommunalen Integrationsbeauftragten Niedersachsen",
                "kind": "forum",
                "land": "03",
            }
        ]
    )
    ids = members["id"].tolist()
    ties = [{"from": HILDESHEIM, "to": g, "kind": "exchange"} for g in ids]
    pairs = list(itertools.pairwise(ids))[::3]
    ties += [{"from": a, "to": b, "kind": "joint_project"} for a, b in pairs]
    ties += [{"from": u, "to": "ag-ni", "kind": "membership"} for u in (HILDESHEIM, ids[8])]
    shapes = None
    if outlines:
        every = germany_outlines()
        borders = pd.read_csv(DERIVED / "kreis_adjacency.csv.gz", dtype=str)
        near = borders[(borders["kreis_a"] == HILDESHEIM) | (borders["kreis_b"] == HILDESHEIM)]
        around = {HILDESHEIM, *near["kreis_a"], *near["kreis_b"]}
        shapes = every[every["id"].isin(around)].reset_index(drop=True)
    return netkoop.Network.from_tables(
        pd.concat([kreis, members, forum], ignore_index=True),
        ties,
        outlines=shapes,
        metadata=netkoop.Metadata(name="hildesheim", title="Landkreis Hildesheim"),
    )
