"""Write the Gemeinde-scale scenario of ``gemeinde.py``: real places and Kreis flows, drawn ties.

Run as a child process of ``gemeinde.py`` (so that its pandas and geometry never count towards
the parent's memory)::

    python benchmarks/gemeinde_scenario.py OUT --data DATA --seed S

writes into the new folder ``OUT``:

* ``base/``: the scenario before its imports (`netkoop.Network.save`): units (the 400 Kreise
  of ``derived/kreise.csv``, the 10,873 kreisangehörige Gemeinden and gemeindefreie Gebiete of
  ``gemeinden.csv`` with their coordinates and population, 16 Land forums ``lag-XX``), the
  1,044 Kreis borders of ``kreis_adjacency.csv``, about 40,000 drawn dated ties and about
  1,000,000 Gemeinde flows (see `flows`), with dated Kreis coordination offices;
* ``gemeinden.geojson``: synthetic Gemeinde outlines, the Voronoi cells of the Gemeinde points
  of each Landkreis clipped to its BKG VG1000 polygon, and each kreisfreie Stadt's polygon under
  its Gemeinde key (``01001000``; no unit has it) so that the Kreise dissolved from the file
  cover the country (EPSG:25832, properties ``AGS``, ``GEN``);
* ``befragung/survey.yaml``, ``antworten.csv`` and ``antworten.yaml``: a survey of
  ``--respondents`` Gemeinden (default 1,500) with ``--answers`` answers each (default 8) as a
  long CSV export in German Excel's dialect with its mapping, drawn as ``survey.py`` draws
  them;
* ``build.json``: what was built (counts), printed as the last line too.

Everything random comes from ``numpy.random.default_rng([seed, ...])``.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import common
import geopandas as gpd
import metrics
import numpy as np
import pandas as pd
import shapely
import static
import survey
import timeline

import netkoop

#: The ties drawn (memberships included; the survey adds about 11,000) and the Gemeinde
#: flows aimed at.
TIES = 40_000
FLOWS = 1_000_000
#: Share of the flows between two Gemeinden of one Landkreis (the rest split real Kreis flows).
INTRA_SHARE = 0.2
#: Commuters between Gemeinden of one Landkreis, per commuter leaving it (BA Kreis files
#: have no intra-Kreis pairs; about half of the cross-border volume, as a rough German ratio).
INTRA_VOLUME = 0.5
#: Pairs drawn per distinct pair wanted (draws repeat pairs; tuned to give about FLOWS).
CROSS_DRAWS, INTRA_DRAWS = 3.7, 6.0


def units(derived: Path) -> pd.DataFrame:
    """Kreise, Gemeinden and Land forums, in that order."""
    kreise = static.kreise(derived)
    gemeinden = static.gemeinden(derived)
    # One gemeindefreies Gebiet (10042999) has no coordinates: give it its Kreis's centre.
    centre = kreise.set_index("id")[["lat", "lon"]]
    for column in ("lat", "lon"):
        gemeinden[column] = gemeinden[column].fillna(gemeinden["parent"].map(centre[column]))
    lands = sorted(kreise["land"].unique())
    forums = pd.DataFrame(
        {
            "id": [f"lag-{land}" for land in lands],
            "name": [f"Landesarbeitsgemeinschaft Integration {land}" for land in lands],
            "kind": "forum",
            "land": lands,
        }
    )
    return pd.concat([kreise, gemeinden, forums], ignore_index=True)


class Places:
    """Positions of the places (Kreise, then Gemeinden) and their groupings, for drawing."""

    def __init__(self, table: pd.DataFrame, borders: pd.DataFrame) -> None:
        places = table[table["kind"] != "forum"]
        self.n = len(places)
        kind = places["kind"].to_numpy()
        kreis_ids = places.loc[kind != "gemeinde", "id"]
        self.n_kreis = len(kreis_ids)
        kreis_index = pd.Index(kreis_ids)
        self.kfs = np.flatnonzero(kind[: self.n_kreis] == "kreisfreie_stadt")
        parent = places["parent"].to_numpy()
        # Every place's Kreis: a Kreis itself, a Gemeinde its Landkreis.
        self.kreis = np.r_[
            np.arange(self.n_kreis), kreis_index.get_indexer(parent[self.n_kreis :])
        ].astype(np.int64)
        self.land = pd.factorize(places["land"], sort=True)[0]
        self.population = places["population"].fillna(0).to_numpy(np.float64)
        # A Kreis's members: a kreisfreie Stadt itself, a Landkreis its Gemeinden.
        member = np.r_[self.kfs, np.arange(self.n_kreis, self.n)]
        start, count, order = metrics._csr(self.kreis[member], self.n_kreis)
        self.members = (start, count, member[order])
        pairs = np.column_stack(
            [kreis_index.get_indexer(borders["from"]), kreis_index.get_indexer(borders["to"])]
        ).astype(np.int64)
        self.neighbours = metrics._border_csr(pairs, self.n_kreis)
        kfs_land = self.land[self.kfs]
        start, count, order = metrics._csr(kfs_land, 16)
        self.kfs_by_land = (start, count, self.kfs[order])

    def pick(self, rng: np.random.Generator, csr: tuple, groups: np.ndarray) -> np.ndarray:
        """One random member of each group; -1 for a group without members."""
        start, count, flat = csr
        empty = count[groups] == 0
        safe = np.where(empty, 0, groups)
        picked = metrics._pick(rng, (start, np.maximum(count, 1), flat), safe)
        return np.where(empty, -1, picked)

    def weighted(self, rng: np.random.Generator, groups: np.ndarray) -> np.ndarray:
        """One member of each Kreis in ``groups``, drawn by the square root of population (+1,
        so that none is left out): flatter than population itself, so that the many small
        Gemeinden get flows too."""
        start, count, flat = self.members
        weight = np.sqrt(self.population[flat]) + 1.0
        cumulative = np.cumsum(weight)
        before = np.where(start > 0, cumulative[np.maximum(start - 1, 0)], 0.0)
        total = cumulative[start + count - 1] - before
        target = before[groups] + rng.random(len(groups)) * total[groups]
        at = np.searchsorted(cumulative, target, side="right")
        return flat[np.minimum(at, start[groups] + count[groups] - 1)]


def ties(places: Places, n_units: int, ids: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """About `TIES` ties, shaped as the L network of metrics.py, on the real places."""
    n_kreis, n = places.n_kreis, places.n
    gemeinden = np.arange(n_kreis, n)
    forum_of_land = n + np.arange(n_units - n)  # the forums follow the places, by Land

    def ends(size: int) -> tuple[np.ndarray, np.ndarray]:
        # 55 % Gemeinden of one Landkreis, 15 % a Gemeinde and its Landkreis, 15 % members of
        # neighbouring Kreise, 5 % two neighbouring Kreise, 5 % a Gemeinde and a kreisfreie
        # Stadt of its Land (any place where the Land has none), 5 % any two places.
        category = rng.choice(6, size=size, p=[0.55, 0.15, 0.15, 0.05, 0.05, 0.05])
        gem = rng.integers(n_kreis, n, size)
        kreis = rng.integers(0, n_kreis, size)
        member = places.pick(rng, places.members, kreis)
        neighbour = places.pick(rng, places.neighbours, kreis)
        city = places.pick(rng, places.kfs_by_land, places.land[gem])
        anywhere = rng.integers(0, n, size)
        a = np.select([category <= 1, category == 2, category == 3], [gem, member, kreis], gem)
        b = np.select(
            [category == 0, category == 1, category == 2, category == 3, category == 4],
            [
                places.pick(rng, places.members, places.kreis[gem]),
                places.kreis[gem],
                places.pick(rng, places.members, neighbour),
                neighbour,
                np.where(city >= 0, city, anywhere),
            ],
            anywhere,
        )
        return a, b

    # Memberships: Kreise in their Land forum (70 %), Gemeinden (5 %).
    kreis_in = np.flatnonzero(rng.random(n_kreis) < 0.7)
    gem_in = gemeinden[rng.random(len(gemeinden)) < 0.05]
    joined = np.r_[kreis_in, gem_in]
    members = (joined, forum_of_land[places.land[joined]])
    direct = metrics._direct_ties(rng, ends, TIES - len(joined))
    table = metrics._tie_table(rng, ids, direct, members)
    return timeline._dated_ties(table, rng)


def flows(
    places: Places, ids: np.ndarray, od: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """About `FLOWS` Gemeinde flows: the real Kreis flows split, and drawn intra-Kreis ones.

    Each real BA flow between two Kreise (``od``: home Kreis, work Kreis, commuters) is split
    over Gemeinde pairs, homes and workplaces drawn by population within their Kreis; the
    number of pairs grows with the flow (about ``(1 - INTRA_SHARE) * FLOWS`` in all) and its
    commuters are shared out exactly, so every Kreis pair keeps its real total. A further
    ``INTRA_SHARE`` of the flows join two Gemeinden of one Landkreis, with `INTRA_VOLUME`
    commuters per commuter leaving it.
    """
    index = pd.Index(ids[: places.n_kreis])
    home = index.get_indexer(od["wohnort_kreis"])
    work = index.get_indexer(od["arbeitsort_kreis"])
    commuters = od["insgesamt"].astype(np.int64).to_numpy()
    size = places.members[1]
    room = size[home] * size[work]
    # Pairs per Kreis flow ~ commuters**0.9, scaled to the count aimed at (duplicates fall).
    wanted = (1 - INTRA_SHARE) * FLOWS * CROSS_DRAWS
    weight = commuters.astype(np.float64) ** 0.9
    drawn = np.minimum(room, np.maximum(1, np.round(weight * wanted / weight.sum()))).astype(
        np.int64
    )
    group = np.repeat(np.arange(len(od)), drawn)
    frm = places.weighted(rng, home[group])
    to = places.weighted(rng, work[group])
    cross = _share(rng, group, frm, to, totals=commuters, n=places.n)

    # Intra-Kreis: Landkreise with two or more Gemeinden; draws by population, no self-pairs.
    out = np.bincount(home, weights=commuters, minlength=places.n_kreis)
    landkreis = np.setdiff1d(np.flatnonzero(size >= 2), places.kfs)
    volume = np.round(out[landkreis] * INTRA_VOLUME).astype(np.int64)
    pairs = size[landkreis] * (size[landkreis] - 1)
    want = INTRA_SHARE * FLOWS * INTRA_DRAWS
    drawn = np.minimum(pairs, np.maximum(1, np.round(volume * want / volume.sum()))).astype(
        np.int64
    )
    group = np.repeat(np.arange(len(landkreis)), drawn)
    frm = places.weighted(rng, landkreis[group])
    to = places.weighted(rng, landkreis[group])
    keep = frm != to
    intra = _share(rng, group[keep], frm[keep], to[keep], totals=volume, n=places.n)

    both = pd.concat([cross, intra], ignore_index=True)
    both = both.groupby(["from", "to"], as_index=False, sort=True)["commuters"].sum()
    both = both[both["commuters"] > 0]
    return pd.DataFrame(
        {
            "from": ids[both["from"].to_numpy()],
            "to": ids[both["to"].to_numpy()],
            "commuters": both["commuters"].to_numpy(),
            "auslaender": rng.binomial(both["commuters"].to_numpy(), 0.15),
        }
    )


def _share(
    rng: np.random.Generator,
    group: np.ndarray,
    frm: np.ndarray,
    to: np.ndarray,
    *,
    totals: np.ndarray,
    n: int,
) -> pd.DataFrame:
    """Share each group's total over its distinct pairs (lognormal weights, exact integers)."""
    key = (group.astype(np.int64) * n + frm) * n + to
    key, first = np.unique(key, return_index=True)
    group, frm, to = group[first], frm[first], to[first]
    weight = rng.lognormal(0.0, 1.0, len(key))
    sums = np.bincount(group, weights=weight, minlength=len(totals))
    exact = totals[group] * weight / sums[group]
    whole = np.floor(exact).astype(np.int64)
    # Largest remainders first within each group, so that the group's total is exact.
    left = totals - np.bincount(group, weights=whole, minlength=len(totals)).astype(np.int64)
    order = np.lexsort((-(exact - whole), group))
    rank = common.ordinal(group[order]) - 1
    whole[order[rank < left[group[order]]]] += 1
    return pd.DataFrame({"from": frm, "to": to, "commuters": whole})


def outlines(data: Path, table: pd.DataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Voronoi cells of each Landkreis's Gemeinden, clipped to its VG1000 polygon.

    The cells stay in the polygons' EPSG:25832 and form one clean coverage (neighbours share
    their edges exactly) as the BKG file does, so that `netkoop import geometry` simplifies
    them together.
    """
    shapes = gpd.read_file(data / "bkg-vg1000-2022" / "VG1000_KRS.shp")
    shapes = shapes[shapes["GF"] == 4].dissolve("AGS")
    gem = table[table["kind"] == "gemeinde"]
    points = gpd.GeoSeries(
        gpd.points_from_xy(gem["lon"], gem["lat"]), crs=4326, index=gem.index
    ).to_crs(shapes.crs)
    xy = shapely.get_coordinates(points.to_numpy())
    # Two Gemeinden at one point would share a cell: move them apart by up to 50 m.
    xy = xy + rng.uniform(-50, 50, xy.shape)
    keys, names, cells = [], [], []
    for kreis, rows in gem.groupby("parent", sort=True):
        polygon = shapes.geometry.get(kreis)
        if polygon is None:
            continue
        at = gem.index.get_indexer(rows.index)
        if len(at) == 1:
            parts = np.array([polygon], dtype=object)
        else:
            sites = shapely.multipoints(xy[at])
            voronoi = shapely.voronoi_polygons(sites, extend_to=polygon, ordered=True)
            parts = shapely.intersection(np.asarray(shapely.get_parts(voronoi)), polygon)
        keys += list(rows["id"])
        names += list(rows["name"])
        cells += list(parts)
    # A kreisfreie Stadt is one Gemeinde: its own polygon under its Gemeinde key (01001000),
    # so that the Kreise dissolved from the Gemeinden cover the whole country.
    cities = table[table["kind"] == "kreisfreie_stadt"]
    for key, name in zip(cities["id"], cities["name"], strict=True):
        if key in shapes.index:
            keys.append(f"{key}000")
            names.append(name)
            cells.append(shapes.geometry[key])
    cells = np.asarray(cells, dtype=object)
    # Clipped one Kreis at a time, the cells miss the vertices their neighbours put on shared
    # edges. Noding every edge together and giving each face to the cell it lies in yields
    # a clean coverage.
    lines = shapely.union_all(
        np.r_[shapely.boundary(cells), shapely.boundary(shapes.geometry.to_numpy())]
    )
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    # Each face inside a Kreis goes to the nearest cell (the one it lies in, up to the grid),
    # so that no gap opens; faces outside every Kreis (lakes such as the Bodensee) stay out.
    inside = shapely.point_on_surface(faces)
    kreis_face, _ = shapely.STRtree(shapes.geometry.to_numpy()).query(
        inside, predicate="intersects"
    )
    face = np.unique(kreis_face)
    near, cell = shapely.STRtree(cells).query_nearest(inside[face])
    near, first = np.unique(near, return_index=True)
    face, cell = face[near], cell[first]
    # A sliver (under 100 m²) joins a face it touches instead: given to the nearest cell on
    # its own, it would make a part too small to survive simplification and rounding.
    small = shapely.area(faces[face]) < 100.0
    large = np.flatnonzero(~small)
    sliver, touching = shapely.STRtree(faces[face[large]]).query(
        faces[face[small]], predicate="intersects"
    )
    sliver, first = np.unique(sliver, return_index=True)
    moved = cell[small]
    moved[sliver] = cell[large[touching[first]]]
    cell[small] = moved
    pieces = gpd.GeoDataFrame({"cell": cell}, geometry=faces[face], crs=shapes.crs)
    merged = pieces.dissolve("cell", method="coverage")
    frame = gpd.GeoDataFrame(
        {"AGS": np.asarray(keys)[merged.index], "GEN": np.asarray(names)[merged.index]},
        geometry=merged.geometry.to_numpy(),
        crs=shapes.crs,
    )
    return frame[frame.geometry.geom_type.isin(POLYGONAL)]


POLYGONAL = ("Polygon", "MultiPolygon")


def main(argv: list[str] | None = None) -> int:
    """Build everything into the new folder and print what was built as a JSON line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("out", type=Path)
    common.add_data_argument(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--respondents", type=int, default=1_500)
    parser.add_argument("--answers", type=int, default=8)
    args = parser.parse_args(argv)
    derived = common.find_derived(args.data, ("kreise.csv", "gemeinden.csv", *common.DERIVED))
    out: Path = args.out
    out.mkdir(parents=True)

    table = units(derived)
    table = timeline._dated_offices(table, np.random.default_rng([args.seed, 15]))
    adjacency = pd.read_csv(derived / "kreis_adjacency.csv", dtype=str)
    borders = pd.DataFrame(
        {
            "from": adjacency["kreis_a"],
            "to": adjacency["kreis_b"],
            "length_km": adjacency["shared_border_km"].astype(float),
        }
    )
    places = Places(table, borders)
    ids = table["id"].to_numpy()
    tie_table = ties(places, len(table), ids, np.random.default_rng([args.seed, 1]))
    od = pd.read_csv(derived / "pendler_kreise_od.csv", dtype=str)
    flow_table = flows(places, ids, od, np.random.default_rng([args.seed, 2]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # drawn data: isolates and the like are fine
        network = netkoop.Network.from_tables(
            table,
            tie_table,
            flow_table,
            borders=borders,
            metadata=netkoop.Metadata(
                name="gemeinden",
                title="Deutschland: Gemeinden (Verbindungen und Gemeindeflüsse synthetisch)",
                # No sources here: `netkoop import` into a scenario that Network.save wrote
                # with sources fails (scenario/edit.py, _add_credits); the imports add BKG's.
                reference_date="2023-12-31",
            ),
        )
        base = network.save(out / "base")

    cells = outlines(args.data, table, np.random.default_rng([args.seed, 3]))
    cells.to_file(out / "gemeinden.geojson", driver="GeoJSON")

    survey_rng = np.random.default_rng([args.seed, 14])
    asked, rosters, answers = survey.build_answers(
        table, args.respondents, args.answers, survey_rng
    )
    survey.write_survey(out / "befragung", base, asked, rosters)
    rows = survey.write_long_csv(out / "antworten.csv", answers)
    (out / "antworten.yaml").write_text(survey.LONG_MAPPING, encoding="utf-8")

    kinds = table["kind"].value_counts()
    built = {
        "base": str(base),
        "units": len(table),
        "kreise": int(kinds.get("landkreis", 0) + kinds.get("kreisfreie_stadt", 0)),
        "gemeinden": int(kinds.get("gemeinde", 0)),
        "forums": int(kinds.get("forum", 0)),
        "ties": len(tie_table),
        "dated_until": int(tie_table["until"].notna().sum()),
        "flows": len(flow_table),
        "commuters": int(flow_table["commuters"].sum()),
        "kreis_commuters": int(od["insgesamt"].astype(np.int64).sum()),
        "borders": len(borders),
        "gemeinde_outlines": len(cells),
        "respondents": len(asked),
        "answers": rows,
    }
    (out / "build.json").write_text(json.dumps(built), encoding="utf-8")
    print(json.dumps(built))
    return 0


if __name__ == "__main__":
    sys.exit(main())
