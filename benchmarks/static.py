"""Benchmark static figures: the national map, outlines and a choropleth, as an A4 PNG at 200 dpi.

The network is built in memory (not timed) from ``shared/data``: the 400 Kreise of
``derived/kreise.csv`` at their centroids, the 46,991 BA commuter flows between them
(``pendler_kreise_od.csv``), their borders (``kreis_adjacency.csv``), illustrative ties
(exchange across a quarter of the borders, memberships of 60 % of the Kreise in 16 Land
forums, drawn with ``numpy.random.default_rng(--seed)``), and as outlines the 400 Kreise of
BKG's VG1000 (``bkg-vg1000-2022/VG1000_KRS.shp``, the land parts) simplified together with
shapely's coverage simplification (``--tolerance`` metres, default 1,000) and the 16 Länder
dissolved from them. With ``--gemeinden`` the 10,873 kreisangehörige Gemeinden of
``gemeinden.csv`` join at their coordinates (as units: their outlines are not drawn). With
``--scenario`` a saved scenario is loaded instead (not timed), e.g. the Gemeinde scenario
that ``gemeinde.py --keep`` leaves in ``built/befragt``, with the Gemeinde outlines.

Each repeat calls `netkoop.render.static.render_static` on a fresh copy of the network
(nothing cached from an earlier run: the measures, the layout and the classes are computed
again) and writes an A4 landscape PNG at 200 dpi coloured by ``--color-by`` (default
``population``, quantiles) into ``--out``; one untimed run comes first. The table gives the
median and minimum seconds and the file's size; the target (issue 16) is a median within 5 s,
and the script exits with 1 when it is missed.

    python benchmarks/static.py [--data PATH] [--out DIR] [--repeat K] [--seed S]
        [--color-by NAME] [--tolerance M] [--gemeinden | --scenario PATH]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import common
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import netkoop
from netkoop.model.outlines import outlines_frame
from netkoop.render.static import render_static

#: The issue's target: seconds for the A4 PNG at 200 dpi (median).
TARGET = 5.0

BKG = netkoop.Credit(
    "BKG, Verwaltungsgebiete 1:1 000 000 (VG1000), Stand 31.12.2022",
    credit="© GeoBasis-DE / BKG (2023) (Daten verändert)",
    licence="dl-de/by-2-0",
)
BA = netkoop.Credit(
    "Statistik der Bundesagentur für Arbeit, Pendlerstatistik 2023",
    credit="© Statistik der Bundesagentur für Arbeit",
)
DESTATIS = netkoop.Credit(
    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem",
    credit="© Statistisches Bundesamt (Destatis), 2024",
)


def kreise(derived: Path) -> pd.DataFrame:
    """The 400 Kreise as units at their polygon centroids."""
    table = pd.read_csv(derived / "kreise.csv", dtype=str)
    town = table["kind"].str.lower().str.startswith(("kreisfrei", "stadtkreis"))
    return pd.DataFrame(
        {
            "id": table["kreis_ags"],
            "name": table["name"],
            "kind": np.where(town, "kreisfreie_stadt", "landkreis"),
            "land": table["land_code"],
            "population": table["bevoelkerung"].astype("int64"),
            "lat": table["centroid_lat"].astype("float64"),
            "lon": table["centroid_lon"].astype("float64"),
        }
    )


def gemeinden(derived: Path) -> pd.DataFrame:
    """The kreisangehörige Gemeinden at their coordinates."""
    table = pd.read_csv(derived / "gemeinden.csv", dtype=str)
    table = table[table["gemeinde_typ_code"].isin(["60", "63", "64", "65", "66", "67"])]
    return pd.DataFrame(
        {
            "id": table["ags"],
            "name": table["name"],
            "kind": "gemeinde",
            "land": table["land_code"],
            "parent": table["kreis_ags"],
            "population": pd.to_numeric(table["bevoelkerung"]),
            "lat": pd.to_numeric(table["lat"]),
            "lon": pd.to_numeric(table["lon"]),
        }
    )


def outlines(data: Path, tolerance: float) -> pd.DataFrame:
    """The VG1000 Kreise, simplified together, and the Länder dissolved from them."""
    shapes = gpd.read_file(data / "bkg-vg1000-2022" / "VG1000_KRS.shp")
    shapes = shapes[shapes["GF"] == 4]
    shapes = shapes.set_geometry(shapely.coverage_simplify(shapes.geometry.array, tolerance))
    lands = shapes.dissolve("SN_L").reset_index().to_crs(4326)
    shapes = shapes.to_crs(4326)
    rows = [
        {"id": key, "level": "kreis", "name": name, "geometry": shapely.geometry.mapping(shape)}
        for key, name, shape in zip(shapes["AGS"], shapes["GEN"], shapes.geometry, strict=True)
    ] + [
        {"id": key, "level": "land", "geometry": shapely.geometry.mapping(shape)}
        for key, shape in zip(lands["SN_L"], lands.geometry, strict=True)
    ]
    frame, problems = outlines_frame(rows)
    if problems:
        sys.exit(f"outlines: {problems[0]}")
    return frame


def build(
    data: Path, derived: Path, *, seed: int, tolerance: float, with_gemeinden: bool
) -> netkoop.Network:
    """The national network with illustrative ties, outlines and the credits they need."""
    rng = np.random.default_rng(seed)
    units = kreise(derived)
    forums = common.land_forums(units["land"])
    borders = pd.read_csv(derived / "kreis_adjacency.csv", dtype={"kreis_a": str, "kreis_b": str})
    ties = common.illustrative_ties(units, borders, rng)
    od = pd.read_csv(derived / "pendler_kreise_od.csv", dtype=str)
    flows = pd.DataFrame(
        {
            "from": od["wohnort_kreis"],
            "to": od["arbeitsort_kreis"],
            "commuters": od["insgesamt"].astype("int64"),
        }
    )
    every = [units, forums] + ([gemeinden(derived)] if with_gemeinden else [])
    return netkoop.Network.from_tables(
        pd.concat(every, ignore_index=True),
        ties,
        flows,
        borders=pd.DataFrame({"from": borders["kreis_a"], "to": borders["kreis_b"]}),
        outlines=outlines(data, tolerance),
        metadata=netkoop.Metadata(
            name="national",
            title="Deutschland: 400 Kreise (Verbindungen illustrativ)",
            reference_date="2023-12-31",
            sources=(BKG, BA, DESTATIS),
        ),
    )


def _loadavg() -> str:
    """The 1, 5 and 15 minute load averages, or "n/a" where /proc/loadavg is missing."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    """Build the network, time the figure, print the table and the verdict."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    common.add_data_argument(parser)
    parser.add_argument(
        "--out", type=Path, default=None, help="folder of the PNG (a temporary one)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--color-by", default="population", help="choropleth value")
    parser.add_argument("--tolerance", type=float, default=1000.0, help="simplification, metres")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--gemeinden", action="store_true", help="add the Gemeinden")
    which.add_argument("--scenario", type=Path, help="draw this saved scenario instead")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    print(common.machine("netkoop", "matplotlib", "mapclassify", "pandas", "numpy"))
    start = time.perf_counter()
    if args.scenario is not None:
        network = netkoop.load(args.scenario)
    else:
        derived = common.find_derived(args.data, ("kreise.csv", "pendler_kreise_od.csv"))
        network = build(
            args.data,
            derived,
            seed=args.seed,
            tolerance=args.tolerance,
            with_gemeinden=args.gemeinden,
        )
    print(
        f"network: {len(network.units):,} units, {len(network.ties):,} ties, "
        f"{len(network.flows):,} flows, {len(network.outlines):,} outlines "
        f"({'loaded' if args.scenario else 'built'} in {time.perf_counter() - start:.1f} s)"
    )
    out = args.out or Path(tempfile.mkdtemp(prefix="netkoop-static-"))
    path = out / "national.png"
    seconds = []
    before = _loadavg()
    for _ in range(args.repeat + 1):
        fresh = network.with_tables()  # a new network: nothing cached from the run before
        gc.collect()
        begin = time.perf_counter()
        render_static(fresh, path, overwrite=True, color_by=args.color_by, dpi=200)
        seconds.append(time.perf_counter() - begin)
    # The first run also loads matplotlib's fonts and pyproj's transformation.
    first, seconds = seconds[0], seconds[1:]
    median = statistics.median(seconds)
    print(f"\n{'step':<34} {'median s':>9} {'min s':>7} {'MB':>6}")
    print(
        f"{'A4 PNG, 200 dpi, ' + args.color_by:<34} {median:>9.2f} {min(seconds):>7.2f} "
        f"{path.stat().st_size / 1e6:>6.2f}"
    )
    print(f"{'first run (fonts, projection)':<34} {first:>9.2f}")
    print(f"load average (/proc/loadavg) before: {before}, after: {_loadavg()}")
    print(f"\nfigure: {path}")
    verdict = "met" if median <= TARGET else "MISSED"
    print(f"target: median within {TARGET:.0f} s: {verdict}")
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
