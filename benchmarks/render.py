"""Benchmark rendering: HTML build time, and time until the page is drawn and interactive.

Four networks are built in memory (building them is not timed):

* ``national``: the 400 Kreise of ``shared/data/derived/kreise.csv`` at their centroids, the
  46,991 BA commuter flows between them (``pendler_kreise_od.csv``), their borders, and
  illustrative ties (exchange across a quarter of the borders, memberships in 16 Land
  forums), drawn with the commuter overlay;
* ``bayern``: Bayern at Gemeinde level: the 71 Landkreise and 25 kreisfreie Städte (as Kreis
  units) and the ~2,030 kreisangehörige Gemeinden of ``gemeinden.csv`` at their coordinates,
  illustrative exchange ties between neighbouring Gemeinden of a Kreis, a Land forum, and
  the commuter flows between Bayern's Kreise;
* ``synthetic``: 11,000 units over Germany (400 Kreise, 10,600 Gemeinden around their
  Landkreis), ~3 exchange ties per Gemeinde to its nearest neighbours, memberships in 16 Land
  forums and ``--flows`` random distinct directed flows (default 1,000,000), drawn with the
  overlay (each unit's 5 largest pairs);
* ``national-map``: ``national`` with the outlines of its Kreise and Länder, read from BKG's
  VG1000 shapefile (``shared/data/bkg-vg1000-2022``) by
  `netkoop.importers.geometry.read_geometry` as ``netkoop import geometry`` reads them, drawn
  as a map with a choropleth by commuter coverage (``color_by="coverage"``, quantiles).

Each is rendered with `netkoop.render.to_html` (``build``: median of ``--repeat`` runs), written
to ``--out`` and opened ``--repeat`` times in a fresh headless Chromium page (Debian's
``/usr/bin/chromium`` through playwright) with every request other than the file aborted; the
pages take turns, one opening of each per round. The table gives:

* ``ready``: milliseconds from navigation start until the first frame is drawn and the page
  takes input (``performance.now()`` when the page script sets ``data-ready``);
* ``wall``: seconds from ``page.goto`` in Python until then;
* ``click``: milliseconds for a click on the largest unit until its neighbourhood is drawn
  highlighted (the next frame after the click handler);
* ``toggle``: milliseconds to switch the commuter overlay off and on again by its checkbox,
  each time until the next frame.

A screenshot of the national map with the overlay is saved as ``national.png`` in ``--out``,
and of the map with outlines and choropleth as ``national-map.png``. The targets of the map
(issue 16): ready within 1.2 times the ready time of ``national`` (the same page without
outlines) in the same run, and a page under 1.5 MB with all 400 Kreis polygons.

    python benchmarks/render.py [--data PATH] [--out DIR] [--repeat K] [--flows N] [--seed S]
        [--only national,national-map,bayern,synthetic]
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common
import numpy as np
import pandas as pd
from playwright.sync_api import sync_playwright

import netkoop
from netkoop.importers.geometry import read_geometry
from netkoop.render import to_html, write_page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS = {
    "national": "ready < 1 s",
    "national-map": "ready ≤ 1.2 × national, < 1.5 MB",
    "bayern": "ready < 2 s",
    "synthetic": "ready < 5 s",
}
BUILD_TARGET = 0.5
#: The map's targets: its ready time against that of ``national``, and its page size.
MAP_RATIO = 1.2
MAP_BYTES = 1_500_000
#: How each network is drawn (fields of `netkoop.render.RenderOptions`).
OPTIONS: dict[str, dict[str, Any]] = {"national-map": {"color_by": "coverage"}}
KINDS = {
    "Landkreis": "landkreis",
    "Kreisfreie Stadt": "kreisfreie_stadt",
    "Stadtkreis": "kreisfreie_stadt",
}


# --------------------------------------------------------------------------- networks


def _kreise(derived: Path) -> pd.DataFrame:
    kreise = pd.read_csv(derived / "kreise.csv", dtype=str)
    return pd.DataFrame(
        {
            "id": kreise["kreis_ags"],
            "name": kreise["name"],
            "kind": kreise["kind"]
            .str.strip()
            .map(
                lambda k: (
                    "kreisfreie_stadt"
                    if k.lower().startswith(("kreisfrei", "stadtkreis"))
                    else "landkreis"
                )
            ),
            "land": kreise["land_code"],
            "population": kreise["bevoelkerung"].astype("int64"),
            "lat": kreise["centroid_lat"].astype("float64"),
            "lon": kreise["centroid_lon"].astype("float64"),
        }
    )


def _flows(derived: Path, keep: pd.Series | None = None) -> pd.DataFrame:
    od = pd.read_csv(
        derived / "pendler_kreise_od.csv", dtype={"wohnort_kreis": str, "arbeitsort_kreis": str}
    )
    flows = pd.DataFrame(
        {"from": od["wohnort_kreis"], "to": od["arbeitsort_kreis"], "commuters": od["insgesamt"]}
    )
    if keep is not None:
        flows = flows[flows["from"].isin(keep) & flows["to"].isin(keep)]
    return flows.reset_index(drop=True)


def build_national(derived: Path, seed: int) -> netkoop.Network:
    """The 400 Kreise with the BA flows, borders and illustrative ties."""
    rng = np.random.default_rng(seed)
    kreise = _kreise(derived)
    forums = common.land_forums(kreise["land"])
    borders = pd.read_csv(derived / "kreis_adjacency.csv", dtype={"kreis_a": str, "kreis_b": str})
    return netkoop.Network.from_tables(
        pd.concat([kreise, forums], ignore_index=True),
        common.illustrative_ties(kreise, borders, rng),
        _flows(derived),
        borders=pd.DataFrame(
            {
                "from": borders["kreis_a"],
                "to": borders["kreis_b"],
                "length_km": borders["shared_border_km"],
            }
        ),
        metadata=netkoop.Metadata(
            name="national",
            title="Deutschland: 400 Kreise mit Pendlerströmen (Verbindungen illustrativ)",
            sources=(
                netkoop.Credit(
                    "Statistik der Bundesagentur für Arbeit, Pendlerstatistik 2023",
                    credit="© Statistik der Bundesagentur für Arbeit",
                ),
                netkoop.Credit(
                    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem",
                    credit="© Statistisches Bundesamt (Destatis), 2024",
                ),
            ),
        ),
    )


def build_national_map(data: Path, derived: Path, seed: int) -> netkoop.Network:
    """``national`` with the Kreis and Land outlines of BKG's VG1000, as imported."""
    shapes = data / "bkg-vg1000-2022" / "VG1000_KRS.shp"
    if not shapes.is_file():
        sys.exit(f"no Kreis polygons at {shapes}; pass --data")
    imported = read_geometry(shapes)
    network = build_national(derived, seed).with_tables(outlines=imported.frame)
    sources = (*network.metadata.sources, *imported.credits)
    return network.with_metadata(sources=sources)


def build_bayern(derived: Path, seed: int) -> netkoop.Network:
    """Bayern at Gemeinde level: Kreise as units, kreisangehörige Gemeinden below them."""
    rng = np.random.default_rng(seed)
    kreise = _kreise(derived)
    kreise = kreise[kreise["land"] == "09"]
    gemeinden = pd.read_csv(derived / "gemeinden.csv", dtype=str)
    gemeinden = gemeinden[
        (gemeinden["land_code"] == "09")
        & ~gemeinden["gemeinde_typ"].isin(["Kreisfreie Stadt", "Stadtkreis"])
        & ~gemeinden["gemeinde_typ"].str.startswith("Gemeindefreies")
    ]
    units_g = pd.DataFrame(
        {
            "id": gemeinden["ags"],
            "name": gemeinden["name"],
            "kind": "gemeinde",
            "land": "09",
            "parent": gemeinden["kreis_ags"],
            "population": gemeinden["bevoelkerung"].astype("int64"),
            "lat": gemeinden["lat"].astype("float64"),
            "lon": gemeinden["lon"].astype("float64"),
        }
    ).reset_index(drop=True)
    forum = common.land_forums(kreise["land"])
    ties = [_nearest_ties(units_g, rng, per_unit=1)]
    ties.append(pd.DataFrame({"from": kreise["id"], "to": "forum-09", "kind": "membership"}))
    return netkoop.Network.from_tables(
        pd.concat([kreise, units_g, forum], ignore_index=True),
        pd.concat(ties, ignore_index=True),
        _flows(derived, kreise["id"]),
        metadata=netkoop.Metadata(
            name="bayern", title="Bayern: Gemeinden (Verbindungen illustrativ)"
        ),
    )


def _nearest_ties(gemeinden: pd.DataFrame, rng: np.random.Generator, per_unit: int) -> pd.DataFrame:
    """Exchange ties from each Gemeinde to its nearest ``per_unit`` Gemeinden of its Kreis."""
    starts, ends = [], []
    for _, group in gemeinden.groupby("parent", sort=True):
        if len(group) < 2:
            continue
        lat = group["lat"].to_numpy()
        lon = group["lon"].to_numpy() * math.cos(math.radians(float(lat.mean())))
        distance = (lat[:, None] - lat[None, :]) ** 2 + (lon[:, None] - lon[None, :]) ** 2
        np.fill_diagonal(distance, np.inf)
        nearest = np.argsort(distance, axis=1)[:, :per_unit]
        ids = group["id"].to_numpy()
        for i, row in enumerate(nearest):
            for j in row:
                if ids[i] < ids[j] or i not in nearest[j]:
                    starts.append(ids[i])
                    ends.append(ids[j])
    ties = pd.DataFrame({"from": starts, "to": ends, "kind": "exchange"})
    ties["intensity"] = rng.choice(["occasional", "regular", "intensive"], len(ties))
    return ties


def build_synthetic(seed: int, flows: int, n_units: int = 11_000) -> netkoop.Network:
    """11,000 units over Germany with nearest-neighbour ties and random flows."""
    rng = np.random.default_rng(seed)
    n_kfs, n_lk = 106, 294
    lands = np.arange(1, 17)
    kreis_land = np.sort(np.resize(lands, n_kfs + n_lk))
    kreis_ids = [f"{land:02d}{k:03d}" for k, land in enumerate(kreis_land)]
    kinds = np.where(
        rng.random(n_kfs + n_lk) < n_kfs / (n_kfs + n_lk), "kreisfreie_stadt", "landkreis"
    )
    # Kreis centres over Germany's box, each Land a band of latitude, Gemeinden around them.
    k_lat = 47.4 + (kreis_land - 1 + rng.random(len(kreis_land))) * (7.5 / 16)
    k_lon = rng.uniform(6.0, 14.8, len(kreis_land))
    kreise = pd.DataFrame(
        {
            "id": kreis_ids,
            "name": [f"Kreis {i}" for i in kreis_ids],
            "kind": kinds,
            "land": [f"{land:02d}" for land in kreis_land],
            "population": rng.integers(50_000, 1_500_000, len(kreis_ids)),
            "lat": k_lat,
            "lon": k_lon,
        }
    )
    landkreise = np.flatnonzero(kinds == "landkreis")
    n_gem = n_units - len(kreise)
    parent = rng.choice(landkreise, n_gem)
    gemeinden = pd.DataFrame(
        {
            "id": [f"{kreis_ids[p]}{i:05d}" for i, p in enumerate(parent)],
            "name": [f"Gemeinde {i}" for i in range(n_gem)],
            "kind": "gemeinde",
            "land": kreise["land"].to_numpy()[parent],
            "parent": np.array(kreis_ids)[parent],
            "population": rng.integers(200, 80_000, n_gem),
            "lat": k_lat[parent] + rng.normal(0, 0.12, n_gem),
            "lon": k_lon[parent] + rng.normal(0, 0.18, n_gem),
        }
    )
    forums = common.land_forums(kreise["land"])
    ties = [
        _nearest_ties(gemeinden, rng, per_unit=3),
        pd.DataFrame({"from": kreise["id"], "to": "forum-" + kreise["land"], "kind": "membership"}),
    ]
    units = pd.concat([kreise, gemeinden, forums], ignore_index=True)
    places = np.flatnonzero(units["kind"] != "forum")
    n = len(places)
    pairs = rng.choice(n * (n - 1), size=flows, replace=False)
    origin, rest = np.divmod(pairs, n - 1)
    destination = rest + (rest >= origin)
    ids = units["id"].to_numpy()[places]
    flow_table = pd.DataFrame(
        {
            "from": ids[origin],
            "to": ids[destination],
            "commuters": np.ceil(rng.lognormal(2.0, 1.5, flows)).astype(np.int64),
        }
    )
    return netkoop.Network.from_tables(
        units,
        pd.concat(ties, ignore_index=True),
        flow_table,
        metadata=netkoop.Metadata(name="synthetic", title="Synthetisch: 11.000 Einheiten"),
    )


# --------------------------------------------------------------------------- measuring


def _median_time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


_CLICK = """async (id) => {
  const api = window.netkoop;
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const pos = api.network.canvasToDOM(api.network.getPosition(id));
  const box = document.getElementById('network').getBoundingClientRect();
  return {x: box.left + pos.x, y: box.top + pos.y};
}"""

_LARGEST = (
    "(() => { const s = window.netkoop.data.units.size; return s.indexOf(Math.max(...s)); })()"
)

_FRAME_AFTER = """async (selector) => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const start = performance.now();
  document.querySelector(selector).click();
  await frame();
  const first = performance.now() - start;
  const again = performance.now();
  document.querySelector(selector).click();
  await frame();
  return [first, performance.now() - again];
}"""


def open_once(browser: Any, html: Path, screenshot: Path | None) -> dict[str, Any]:
    """Open the page once; return its times, counts, requests to other hosts and errors."""
    outside: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    start = time.perf_counter()
    page.goto(html.as_uri(), wait_until="commit")
    page.wait_for_selector("html[data-ready]", state="attached", timeout=120_000)
    run: dict[str, Any] = {"wall": time.perf_counter() - start}
    run["ready"] = page.evaluate("window.netkoop.readyAt")
    counts = page.evaluate("window.netkoop.counts()")
    counts["outlines"] = page.evaluate("window.netkoop.outlines()")
    counts["labels"] = len(page.evaluate("window.netkoop.labels()"))
    largest = page.evaluate(_LARGEST)
    at = page.evaluate(_CLICK, largest)
    begin = page.evaluate("performance.now()")
    page.mouse.click(at["x"], at["y"])
    page.wait_for_selector("#selection:not([hidden])", state="attached")
    done = page.evaluate("new Promise((ok) => requestAnimationFrame(() => ok(performance.now())))")
    run["click"] = done - begin
    if page.query_selector("[data-filter=flows]"):
        run["toggle"] = sum(page.evaluate(_FRAME_AFTER, "[data-filter=flows]"))
    if screenshot is not None:
        page.mouse.move(2, 2)
        page.evaluate("window.netkoop.clearFocus()")
        page.evaluate("new Promise((ok) => requestAnimationFrame(() => ok()))")
        page.screenshot(path=str(screenshot))
    page.close()
    return run | {"counts": counts, "outside": outside, "errors": errors}


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The medians of the runs of one page, its counts, and all requests and errors."""
    toggles = [r["toggle"] for r in runs if "toggle" in r]
    return {
        "ready_ms": statistics.median(r["ready"] for r in runs),
        "wall_s": statistics.median(r["wall"] for r in runs),
        "click_ms": statistics.median(r["click"] for r in runs),
        "toggle_ms": statistics.median(toggles) if toggles else math.nan,
        "counts": runs[-1]["counts"],
        "outside": [url for r in runs for url in r["outside"]],
        "errors": [error for r in runs for error in r["errors"]],
    }


def _map_line(rows: list[tuple[str, netkoop.Network, float, int, dict[str, Any]]]) -> None:
    """Print how the map with outlines compares with the same page without them."""
    found = {name: (size, result) for name, _, _, size, result in rows}
    if "national-map" not in found or "national" not in found:
        return
    size, result = found["national-map"]
    ratio = result["ready_ms"] / found["national"][1]["ready_ms"]
    verdict = "met" if ratio <= MAP_RATIO and size < MAP_BYTES else "MISSED"
    print(
        f"national-map: ready {ratio:.2f} × national (target ≤ {MAP_RATIO}), page "
        f"{size / 1e6:.2f} MB (target < {MAP_BYTES / 1e6:.1f} MB), outlines drawn "
        f"{result['counts']['outlines']}, labels {result['counts']['labels']}: {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common.add_data_argument(parser)
    parser.add_argument("--out", type=Path, default=common.REPO / "benchmarks" / "out")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--flows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="national,national-map,bayern,synthetic")
    args = parser.parse_args(argv)

    derived = common.find_derived(args.data, ("kreise.csv",))
    builders: dict[str, Callable[[], netkoop.Network]] = {
        "national": lambda: build_national(derived, args.seed),
        "national-map": lambda: build_national_map(args.data, derived, args.seed),
        "bayern": lambda: build_bayern(derived, args.seed),
        "synthetic": lambda: build_synthetic(args.seed, args.flows),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        built = []
        for name in args.only.split(","):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", netkoop.NetkoopWarning)
                network = builders[name]()
            draw = functools.partial(to_html, network, **OPTIONS.get(name, {}))
            build, page = _median_time(draw, args.repeat)
            html = write_page(page, args.out / f"{name}.html", overwrite=True)
            built.append((name, network, build, html))
            print(f"{name}: built", file=sys.stderr)
        # The pages take turns, so that a change in the machine's load hits them alike.
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in built}
        for attempt in range(args.repeat):
            for name, _, _, html in built:
                shot = args.out / f"{name}.png" if name.startswith("national") else None
                runs[name].append(open_once(browser, html, shot if attempt == 0 else None))
        for name, network, build, html in built:
            rows.append((name, network, build, html.stat().st_size, summarise(runs[name])))
        version = browser.version
        browser.close()
    print(f"Chromium {version} headless, {os.cpu_count()} cores; medians of {args.repeat} runs\n")
    columns = (
        "network",
        "units",
        "ties",
        "flows",
        "edges drawn",
        "HTML MB",
        "build s",
        "ready ms",
        "wall s",
        "click ms",
        "toggle ms",
        "target",
    )
    print("| " + " | ".join(columns) + " |")
    print("|---" + "|---:" * (len(columns) - 1) + "|")
    for name, network, build, size, result in rows:
        counts = result["counts"]
        print(
            f"| {name} | {len(network.units):,} | {len(network.ties):,} | {len(network.flows):,} "
            f"| {counts['edges']:,} ({counts['flows']:,} flow pairs) | {size / 1e6:.1f} "
            f"| {build:.3f} "
            f"| {result['ready_ms']:.0f} | {result['wall_s']:.2f} | {result['click_ms']:.0f} "
            f"| {result['toggle_ms']:.0f} | {TARGETS[name]} |"
        )
    print(f"\nbuild target: < {BUILD_TARGET} s at 11,000 units")
    _map_line(rows)
    for name, _, _, _, result in rows:
        if result["outside"] or result["errors"]:
            print(f"{name}: requests to other hosts {result['outside']}, errors {result['errors']}")
    print(f"pages and screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
