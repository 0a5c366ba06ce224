"""Benchmark the full metrics report against the compiled engine's own time for the same metrics.

Three networks are built with ``numpy.random.default_rng(--seed)`` and checked with
``netkoop.Network.from_tables``, then saved as scenarios in a temporary folder (building and
saving are not timed):

* ``S``: one region of 30 units: a kreisfreie Stadt, two Landkreise with 13 Gemeinden each and
  a Land forum, with ties, commuter flows and the Kreis borders;
* ``M``: the 400 Kreise with the real BA commuter flows and the Kreis borders from
  ``shared/data/derived``, 16 Land forums, and 3,000 seeded ties (mostly between neighbouring
  Kreise, some memberships in the Land forums);
* ``L``: 11,000 units (106 kreisfreie Städte, 294 Landkreise, 10,600 Gemeinden with 8-digit
  keys below their Landkreis), 17 forums, 50,000 ties, 1,000,000 flows and synthetic Kreis
  borders.

Every measurement runs in a fresh Python process: it loads the scenario (not timed), times
``netkoop.metrics.metrics_report`` with the default options (every measure family, exact
betweenness, 1,000 permutations), and then, in the same process, times python-igraph called
directly on the same tie graph for the heavy metrics. The peak RSS (``ru_maxrss``) is read
right after the report.

    python benchmarks/metrics.py [--scales S,M,L] [--repeat K] [--seed N] [--data PATH]
                                 [--profile] [--keep]
"""

from __future__ import annotations

import argparse
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import common

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    import netkoop

SCALES = ("S", "M", "L")
Run = dict[str, Any]  # one child's JSON report
CHILD_FLAG = "--child"
BUILD_FLAG = "--child-build"
PROFILE_FLAG = "--child-profile"

#: The targets of issue 4: report / engine at L, report seconds at M, peak MiB at L.
TARGET_RATIO_L = 1.5
TARGET_SECONDS_M = 2.0
TARGET_PEAK_MB_L = 2048  # 2 GiB
#: The target of issue 18: the report with --jobs workers / the engine on one thread, at L.
TARGET_PARALLEL_RATIO_L = 0.75

#: Sizes of the synthetic L network.
L_UNITS, L_TIES, L_FLOWS = 11_000, 50_000, 1_000_000
M_TIES = 3_000
N_KFS, N_LK = 106, 294

#: Kinds of direct tie and how often the generator draws them (memberships are drawn apart).
DIRECT_KINDS = ("exchange", "joint_project", "shared_staff", "shared_material", "service_opening")
DIRECT_P = (0.55, 0.15, 0.08, 0.12, 0.10)

#: Engine steps, in the order they run and are printed.
ENGINE_STEPS = (
    "graph",
    "components",
    "betweenness",
    "closeness",
    "eigenvector",
    "coreness",
    "articulation",
    "bridges",
    "transitivity",
    "leiden",
)


# --------------------------------------------------------------------------- child process


def _load_quietly(scenario: str) -> netkoop.Network:
    import warnings  # noqa: PLC0415

    import netkoop  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. isolates: expected in synthetic data
        return netkoop.load(scenario)


def _timed_sections(seconds: dict[str, float]) -> bool:
    """Wrap the report's measure families so that each one's time lands in ``seconds``.

    Only this process's registry is wrapped; netkoop itself is unchanged. Returns False when
    the registry is not where it used to be (the breakdown is then left out).
    """
    import importlib  # noqa: PLC0415

    registry = None
    for module in ("netkoop.metrics.sections", "netkoop.metrics.report"):
        try:
            registry = getattr(importlib.import_module(module), "SECTIONS", None)
        except ImportError:
            continue
        if isinstance(registry, dict):
            break
    if not isinstance(registry, dict):
        return False

    def wrap(name: str, function: Callable[..., None]) -> Callable[..., None]:
        def timed(*args: Any, **kwargs: Any) -> None:
            start = time.perf_counter()
            try:
                function(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start

        return timed

    for name, function in list(registry.items()):
        registry[name] = wrap(name, function)
    return True


def _engine(network: netkoop.Network, seed: int) -> dict[str, float]:
    """Time python-igraph on the tie graph of ``network``, called directly (not via netkoop).

    The graph is the one netkoop's report measures: every unit a vertex, one undirected edge
    per pair of units with at least one tie (directions ignored), the number of ties as the
    edge weight for community detection.
    """
    import random  # noqa: PLC0415

    import igraph  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    units, ties = network.units, network.ties
    times: dict[str, float] = {}

    start = time.perf_counter()
    index = pd.Index(units["id"])
    n = len(index)
    a = index.get_indexer(ties["from"]).astype(np.int64)
    b = index.get_indexer(ties["to"]).astype(np.int64)
    keys, counts = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_counts=True)
    graph = igraph.Graph(n=n, edges=np.column_stack([keys // n, keys % n]).tolist())
    weights = counts.astype(np.float64).tolist()
    times["graph"] = time.perf_counter() - start

    results: dict[str, Any] = {}

    def step(name: str, call: Callable[[], object]) -> None:
        begin = time.perf_counter()
        results[name] = call()
        times[name] = time.perf_counter() - begin

    igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 - not cryptography
    step("components", graph.connected_components)
    step("betweenness", lambda: graph.betweenness(directed=False))
    step("closeness", lambda: graph.closeness(normalized=True))
    step("eigenvector", lambda: results["components"].giant().eigenvector_centrality())
    step("coreness", graph.coreness)
    step("articulation", graph.articulation_points)
    step("bridges", graph.bridges)

    def transitivity() -> None:
        graph.transitivity_undirected()
        graph.transitivity_local_undirected(mode="zero")

    step("transitivity", transitivity)
    step(
        "leiden",
        lambda: graph.community_leiden(
            objective_function="modularity", weights=weights, n_iterations=-1
        ),
    )
    igraph.set_random_number_generator(random)
    return times


def _workers_peak_mb() -> float:
    """The summed peak RSS (VmHWM) of this process's living children: joblib's workers."""
    me = str(Path("/proc/self").resolve().name)
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = stat.read_text().rsplit(")", 1)[1].split()[1]
            if parent != me:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except (OSError, IndexError):
            continue  # the process ended meanwhile
    return total


def _child(scenario: str, seed: int, engine_first: bool, jobs: int) -> None:
    """Load, then time the full report on one process and on ``jobs`` workers, and the
    engine (first or last); print JSON."""
    import gc  # noqa: PLC0415

    from netkoop.metrics import Options, metrics_report  # noqa: PLC0415

    network = _load_quietly(scenario)
    gc.collect()
    load_peak, base = common.peak_rss_mb(), common.status_mb("VmRSS")
    sections: dict[str, float] = {}
    broken_down = _timed_sections(sections)

    def timed_report(workers: int) -> tuple[float, int, bytes]:
        options = Options(betweenness="exact", permutations=1000, jobs=workers)
        start = time.perf_counter()
        report = metrics_report(network, options=options)
        seconds = time.perf_counter() - start
        units = report.tables["structure_units"]
        paths = units[["betweenness", "closeness"]].to_numpy().tobytes()
        tables = len(report.tables)
        del report
        gc.collect()
        return seconds, tables, paths

    engine = _engine(network, seed) if engine_first else {}
    seconds, tables, paths = timed_report(1)
    peak, hwm = common.peak_rss_mb(), common.status_mb("VmHWM")
    by_section = dict(sections)
    parallel, _, parallel_paths = timed_report(jobs) if jobs > 1 else (seconds, tables, paths)
    if not engine_first:
        engine = _engine(network, seed)
    print(
        json.dumps(
            {
                "report_s": seconds,
                "parallel_s": parallel,
                "same_values": parallel_paths == paths,
                "sections": by_section if broken_down else None,
                "tables": tables,
                "engine_first": engine_first,
                "engine_s": sum(engine.values()),
                "engine": engine,
                "load_peak_mb": load_peak,
                "base_mb": base,
                "peak_mb": peak,
                "hwm_mb": hwm,
                "child_peak_mb": common.peak_rss_mb(),
                "workers_peak_mb": _workers_peak_mb(),
            }
        )
    )


def _profile_child(scenario: str, output: str) -> None:
    """Run the full report once under cProfile and save the statistics to ``output``."""
    import cProfile  # noqa: PLC0415

    from netkoop.metrics import Options, metrics_report  # noqa: PLC0415

    network = _load_quietly(scenario)
    profiler = cProfile.Profile()
    profiler.enable()
    metrics_report(network, options=Options(betweenness="exact", permutations=1000))
    profiler.disable()
    profiler.dump_stats(output)
    print(json.dumps({"profile": output}))


# --------------------------------------------------------------------------- inputs (a child)


def _direct_ties(
    rng: np.random.Generator, ends: Callable[[int], tuple[np.ndarray, np.ndarray]], count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``count`` distinct direct ties (unit positions from, to and kind codes).

    ``ends(size)`` draws candidate pairs; pairs of a unit with itself are dropped and a pair
    keeps one tie per kind (either direction), so drawing repeats until there are enough.
    """
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    kinds = len(DIRECT_KINDS)
    parts: list[np.ndarray] = []
    have = 0
    while have < count:
        a, b = ends(int((count - have) * 1.3) + 16)
        kind = rng.choice(kinds, size=len(a), p=DIRECT_P)
        keep = a != b
        parts.append(np.column_stack([a[keep], b[keep], kind[keep]]))
        drawn = np.concatenate(parts)
        key = (
            np.minimum(drawn[:, 0], drawn[:, 1]) * (1 << 20) + np.maximum(drawn[:, 0], drawn[:, 1])
        ) * kinds + drawn[:, 2]
        first = ~pd.Series(key).duplicated().to_numpy()
        parts = [drawn[first]]
        have = int(first.sum())
    chosen = parts[0][:count]
    return chosen[:, 0], chosen[:, 1], chosen[:, 2]


def _tie_table(
    rng: np.random.Generator,
    ids: np.ndarray,
    direct: tuple[np.ndarray, np.ndarray, np.ndarray],
    members: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """Direct ties and memberships (unit positions) as a ties table with drawn attributes."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    a, b, kind = direct
    frm = np.concatenate([ids[a], ids[members[0]]])
    to = np.concatenate([ids[b], ids[members[1]]])
    kinds = np.concatenate([np.array(DIRECT_KINDS)[kind], np.full(len(members[0]), "membership")])
    n = len(frm)
    return pd.DataFrame(
        {
            "from": frm,
            "to": to,
            "kind": kinds,
            "intensity": rng.choice(["occasional", "regular", "intensive"], n, p=[0.4, 0.4, 0.2]),
            "level": rng.choice(["leadership", "operational"], n),
            "funding": rng.choice(["voluntary", "project", "mandatory"], n, p=[0.6, 0.3, 0.1]),
            "since": rng.integers(2005, 2025, n).astype(str),
        }
    )


def _units_table(
    *,
    ids: list[str],
    kinds: list[str],
    lands: list[str | None],
    parents: list[str | None],
    population: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    places: int,
) -> pd.DataFrame:
    """A units table; the rows from ``places`` on are forums (no population or place)."""
    import pandas as pd  # noqa: PLC0415

    names = {
        "kreisfreie_stadt": "Stadt",
        "landkreis": "Landkreis",
        "gemeinde": "Gemeinde",
        "forum": "Forum",
    }
    units = pd.DataFrame(
        {
            "id": ids,
            "name": [f"{names[k]} {i}" for i, k in zip(ids, kinds, strict=True)],
            "kind": kinds,
            "land": pd.array(lands, dtype="str"),
            "parent": pd.array(parents, dtype="str"),
            "population": population,
            "lat": lat.round(5),
            "lon": lon.round(5),
        }
    )
    units.loc[places:, ["population", "lat", "lon"]] = pd.NA
    units["population"] = units["population"].astype("Int64")
    return units


def build_s(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """One region in Niedersachsen: a kreisfreie Stadt, two Landkreise, 26 Gemeinden, a forum."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    city, landkreise, forum = "03101", ["03151", "03153"], "lag-03"
    gemeinden = [f"{lk}{g:03d}" for lk in landkreise for g in range(1, 14)]
    parent = [g[:5] for g in gemeinden]
    ids = [city, *landkreise, *gemeinden, forum]
    kinds = ["kreisfreie_stadt", "landkreis", "landkreis", *["gemeinde"] * 26, "forum"]
    n = len(ids)
    units = _units_table(
        ids=ids,
        kinds=kinds,
        lands=["03"] * n,
        parents=[None] * 3 + parent + [None],
        population=np.r_[250_000, 180_000, 140_000, rng.integers(1_500, 25_000, 26), 0],
        lat=52.3 + rng.normal(0, 0.15, n),
        lon=10.0 + rng.normal(0, 0.2, n),
        places=n - 1,
    )

    pos = {uid: i for i, uid in enumerate(ids)}
    g = np.arange(3, 29)  # Gemeinde positions
    lk_of = np.where(g < 16, 1, 2)
    pairs: list[tuple[int, int]] = []
    for i in g:
        for j in g[g > i]:
            same = lk_of[i - 3] == lk_of[j - 3]
            if rng.random() < (0.22 if same else 0.02):
                pairs.append((int(i), int(j)))
        if rng.random() < 0.35:
            pairs.append((int(i), int(lk_of[i - 3])))
        if rng.random() < 0.1:
            pairs.append((pos[city], int(i)))
    pairs += [(0, 1), (0, 2), (1, 2)]
    a, b = (np.array(x) for x in zip(*pairs, strict=True))
    kind = rng.choice(len(DIRECT_KINDS), size=len(a), p=DIRECT_P)
    joiners = [0, 1, 2, *(int(i) for i in g if rng.random() < 0.15)]
    members = (np.array(joiners), np.full(len(joiners), pos[forum]))
    ties = _tie_table(rng, np.array(ids), (a, b, kind), members)

    places = np.arange(29)
    flows = []
    for i in places:
        for j in places:
            if i == j:
                continue
            same = i >= 3 and j >= 3 and lk_of[i - 3] == lk_of[j - 3]
            towards_city = j == 0 or i == 0
            kreis_level = i < 3 and j < 3
            gemeinde_in_lk = (i >= 3 and j == lk_of[i - 3]) or (j >= 3 and i == lk_of[j - 3])
            p = 1.0 if towards_city or kreis_level else 0.5 if same else 0.1
            if not gemeinde_in_lk and rng.random() < p:
                flows.append((ids[i], ids[j]))
    frm, to = (list(x) for x in zip(*flows, strict=True))
    commuters = np.ceil(rng.lognormal(5.0, 1.2, len(frm))).astype(np.int64)
    flow_table = pd.DataFrame(
        {"from": frm, "to": to, "commuters": commuters, "foreign": rng.binomial(commuters, 0.12)}
    )
    borders = pd.DataFrame(
        {
            "from": [city, city, "03151"],
            "to": ["03151", "03153", "03153"],
            "length_km": [31.5, 24.2, 18.0],
        }
    )
    return {"units": units, "ties": ties, "flows": flow_table, "borders": borders}


def _csr(groups: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Members grouped: (start, count, flat) so group k's members are flat[start[k]:...]."""
    import numpy as np  # noqa: PLC0415

    order = np.argsort(groups, kind="stable")
    count = np.bincount(groups, minlength=size)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    return start, count, order


def _pick(
    rng: np.random.Generator, csr: tuple[np.ndarray, np.ndarray, np.ndarray], groups: np.ndarray
) -> np.ndarray:
    """One random member of each given group (every group must have members)."""
    import numpy as np  # noqa: PLC0415

    start, count, flat = csr
    offset = np.floor(rng.random(len(groups)) * count[groups]).astype(np.int64)
    picked: np.ndarray = flat[start[groups] + offset]
    return picked


def _border_csr(borders: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Neighbours of each Kreis (both directions) as a CSR of Kreis positions."""
    import numpy as np  # noqa: PLC0415

    tails = np.concatenate([borders[:, 0], borders[:, 1]])
    heads = np.concatenate([borders[:, 1], borders[:, 0]])
    start, count, order = _csr(tails, size)
    return start, count, heads[order]


def build_m(rng: np.random.Generator, derived: Path) -> dict[str, pd.DataFrame]:
    """The 400 Kreise with the real flows and borders, 16 Land forums, 3,000 seeded ties."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(derived / name, dtype=str, keep_default_na=False)

    kreise = read("kreise.csv")
    lands = sorted(kreise["land_code"].unique())
    forums = [f"lag-{land}" for land in lands]
    ids = [*kreise["kreis_ags"], *forums]
    kind_of = {"kreisfreie Stadt": "kreisfreie_stadt", "Landkreis": "landkreis"}
    k = len(kreise)
    units = _units_table(
        ids=ids,
        kinds=[*kreise["kind"].map(kind_of), *["forum"] * len(forums)],
        lands=[*kreise["land_code"], *lands],
        parents=[None] * len(ids),
        population=np.r_[kreise["bevoelkerung"].astype(np.int64), np.zeros(len(forums), np.int64)],
        lat=np.r_[kreise["centroid_lat"].astype(float), np.zeros(len(forums))],
        lon=np.r_[kreise["centroid_lon"].astype(float), np.zeros(len(forums))],
        places=k,
    )
    units["name"] = [*kreise["name"], *(f"Landesarbeitsgemeinschaft {land}" for land in lands)]

    od = read("pendler_kreise_od.csv")
    flows = od.rename(
        columns={"wohnort_kreis": "from", "arbeitsort_kreis": "to", "insgesamt": "commuters"}
    )
    counts = [c for c in flows.columns if c not in ("from", "to")]
    flows[counts] = flows[counts].astype(np.int64)
    adjacency = read("kreis_adjacency.csv")
    borders = pd.DataFrame(
        {
            "from": adjacency["kreis_a"],
            "to": adjacency["kreis_b"],
            "length_km": adjacency["shared_border_km"].astype(float),
        }
    )

    index = pd.Index(kreise["kreis_ags"])
    pairs = np.column_stack(
        [index.get_indexer(borders["from"]), index.get_indexer(borders["to"])]
    ).astype(np.int64)
    land_code = pd.factorize(kreise["land_code"])[0]
    by_land = _csr(land_code, len(lands))
    land_pos = np.searchsorted(lands, kreise["land_code"].to_numpy())

    joins = np.flatnonzero(rng.random(k) < 0.6)
    members = (joins, k + land_pos[joins])

    def ends(size: int) -> tuple[np.ndarray, np.ndarray]:
        # 85 % neighbours, 10 % other Kreise of the same Land, 5 % any two Kreise.
        category = rng.choice(3, size=size, p=[0.85, 0.10, 0.05])
        border = pairs[rng.integers(0, len(pairs), size)]
        flip = rng.random(size) < 0.5
        a = np.where(flip, border[:, 1], border[:, 0])
        b = np.where(flip, border[:, 0], border[:, 1])
        same_land = _pick(rng, by_land, land_code[a])
        anywhere = rng.integers(0, k, size)
        b = np.select([category == 0, category == 1], [b, same_land], anywhere)
        return a, b

    direct = _direct_ties(rng, ends, M_TIES - len(joins))
    ties = _tie_table(rng, np.array(ids), direct, members)
    return {"units": units, "ties": ties, "flows": flows, "borders": borders}


def build_l(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """11,000 units in 400 Kreise, 17 forums, 50,000 ties, 1,000,000 flows, Kreis borders."""
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    # 400 Kreise over the 16 Länder: kreisfreie Städte LL0KK with KK 01-49, Landkreise 51-99.
    lands = np.arange(1, 17)
    kfs_land = np.sort(np.resize(lands, N_KFS))
    lk_land = np.sort(np.resize(lands, N_LK))
    kreis_ids = [
        f"{la:02d}0{k:02d}" for la, k in zip(kfs_land, common.ordinal(kfs_land), strict=True)
    ]
    kreis_ids += [
        f"{la:02d}0{50 + k:02d}" for la, k in zip(lk_land, common.ordinal(lk_land), strict=True)
    ]
    kreis_land = np.r_[kfs_land, lk_land] - 1  # Land position 0-15
    n_kreis = N_KFS + N_LK
    land_lat = rng.uniform(48.0, 54.0, 16)
    land_lon = rng.uniform(7.0, 14.0, 16)
    kreis_lat = land_lat[kreis_land] + rng.normal(0, 0.5, n_kreis)
    kreis_lon = land_lon[kreis_land] + rng.normal(0, 0.7, n_kreis)

    # The Gemeinden: spread over the Landkreise, key = Landkreis + 3 digits, sorted by it.
    n_gem = L_UNITS - n_kreis
    per_lk = rng.multinomial(n_gem, np.full(N_LK, 1 / N_LK))
    gem_kreis = np.repeat(np.arange(N_KFS, n_kreis), per_lk)  # Kreis position of each
    numbers = np.concatenate([np.arange(1, c + 1) for c in per_lk])
    gem_ids = [f"{kreis_ids[p]}{m:03d}" for p, m in zip(gem_kreis, numbers, strict=True)]

    land_codes = [f"{la:02d}" for la in lands]
    forums = [f"lag-{code}" for code in land_codes] + ["buko"]
    ids = np.array(kreis_ids + gem_ids + forums)
    n_places = L_UNITS
    units = _units_table(
        ids=list(ids),
        kinds=["kreisfreie_stadt"] * N_KFS
        + ["landkreis"] * N_LK
        + ["gemeinde"] * n_gem
        + ["forum"] * 17,
        lands=[land_codes[la] for la in kreis_land]
        + [land_codes[kreis_land[p]] for p in gem_kreis]
        + land_codes
        + [None],
        parents=[None] * n_kreis + [kreis_ids[p] for p in gem_kreis] + [None] * 17,
        population=np.r_[
            rng.integers(40_000, 1_500_000, n_kreis), rng.integers(200, 60_000, n_gem), [0] * 17
        ],
        lat=np.r_[kreis_lat, kreis_lat[gem_kreis] + rng.normal(0, 0.1, n_gem), np.zeros(17)],
        lon=np.r_[kreis_lon, kreis_lon[gem_kreis] + rng.normal(0, 0.15, n_gem), np.zeros(17)],
        places=n_places,
    )

    # Borders: each Kreis to its 4 nearest Kreise (by the drawn centres), each pair once.
    dy = kreis_lat[:, None] - kreis_lat[None, :]
    dx = (kreis_lon[:, None] - kreis_lon[None, :]) * 0.65
    distance = np.hypot(dx, dy)
    np.fill_diagonal(distance, np.inf)
    nearest = np.argsort(distance, axis=1)[:, :4]
    a = np.repeat(np.arange(n_kreis), 4)
    b = nearest.ravel()
    border_keys = np.unique(np.minimum(a, b) * n_kreis + np.maximum(a, b))
    border_pairs = np.column_stack([border_keys // n_kreis, border_keys % n_kreis])
    borders = pd.DataFrame(
        {
            "from": ids[border_pairs[:, 0]],
            "to": ids[border_pairs[:, 1]],
            "length_km": np.round(rng.uniform(2, 80, len(border_pairs)), 3),
        }
    )

    # Every place belongs to a Kreis: the Kreis itself and, for a Landkreis, its Gemeinden.
    place_kreis = np.r_[np.arange(n_kreis), gem_kreis]
    gem_positions = np.arange(n_kreis, n_places)
    # A Kreis's "members" for drawing: a kreisfreie Stadt itself, a Landkreis its Gemeinden.
    member_kreis = np.r_[np.arange(N_KFS), gem_kreis]
    member_pos = np.r_[np.arange(N_KFS), gem_positions]
    start, count, order = _csr(member_kreis, n_kreis)
    members_csr = (start, count, member_pos[order])
    neighbours = _border_csr(border_pairs, n_kreis)
    kfs_by_land = _csr(kfs_land - 1, 16)
    kreis_by_land = _csr(kreis_land, 16)

    def neighbour_member(kreis: np.ndarray) -> np.ndarray:
        return _pick(rng, members_csr, _pick(rng, neighbours, kreis))

    def tie_ends(size: int) -> tuple[np.ndarray, np.ndarray]:
        # 55 % Gemeinden of one Landkreis, 15 % a Gemeinde and its Landkreis, 15 % members of
        # neighbouring Kreise, 5 % two neighbouring Kreise, 5 % a Gemeinde and a kreisfreie
        # Stadt of its Land, 5 % any two places.
        category = rng.choice(6, size=size, p=[0.55, 0.15, 0.15, 0.05, 0.05, 0.05])
        gem = rng.integers(n_kreis, n_places, size)
        kreis = rng.integers(0, n_kreis, size)
        member = _pick(rng, members_csr, kreis)
        a = np.select([category <= 1, category == 2, category == 3], [gem, member, kreis], gem)
        b = np.select(
            [category == 0, category == 1, category == 2, category == 3, category == 4],
            [
                _pick(rng, members_csr, place_kreis[gem]),
                place_kreis[gem],
                neighbour_member(kreis),
                _pick(rng, neighbours, kreis),
                _pick(rng, kfs_by_land, kreis_land[place_kreis[gem]]),
            ],
            rng.integers(0, n_places, size),
        )
        return a, b

    # Memberships: Kreise in their Land forum (70 %) and the federal one (20 %), Gemeinden in
    # their Land forum (5 %).
    kreis_in_land = np.flatnonzero(rng.random(n_kreis) < 0.7)
    kreis_in_bund = np.flatnonzero(rng.random(n_kreis) < 0.2)
    gem_in_land = gem_positions[rng.random(n_gem) < 0.05]
    forum_of_land = n_places + np.arange(16)
    members = (
        np.r_[kreis_in_land, kreis_in_bund, gem_in_land],
        np.r_[
            forum_of_land[kreis_land[kreis_in_land]],
            np.full(len(kreis_in_bund), n_places + 16),
            forum_of_land[kreis_land[gem_kreis[gem_in_land - n_kreis]]],
        ],
    )
    direct = _direct_ties(rng, tie_ends, L_TIES - len(members[0]))
    ties = _tie_table(rng, ids, direct, members)

    # Flows: distinct directed pairs of places, 35 % inside a Kreis, 35 % to neighbouring
    # Kreise, 10 % to a Kreis of the same Land, 20 % anywhere.
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < L_FLOWS:
        size = int((L_FLOWS - len(keys)) * 1.4) + 16
        category = rng.choice(4, size=size, p=[0.35, 0.35, 0.10, 0.20])
        home = rng.integers(0, n_places, size)
        work = np.select(
            [category == 0, category == 1, category == 2],
            [
                _pick(rng, members_csr, place_kreis[home]),
                neighbour_member(place_kreis[home]),
                _pick(rng, kreis_by_land, kreis_land[place_kreis[home]]),
            ],
            rng.integers(0, n_places, size),
        )
        drawn = (home * n_places + work)[home != work]
        keys = pd.unique(np.concatenate([keys, drawn]))
    keys = keys[:L_FLOWS]
    commuters = np.ceil(rng.lognormal(2.0, 1.5, L_FLOWS)).astype(np.int64)
    flows = pd.DataFrame(
        {
            "from": ids[keys // n_places],
            "to": ids[keys % n_places],
            "commuters": commuters,
            "auslaender": rng.binomial(commuters, 0.15),
        }
    )
    return {"units": units, "ties": ties, "flows": flows, "borders": borders}


def build(scale: str, folder: Path, seed: int, data: Path) -> dict[str, Any]:
    """Build one scale's network with ``Network.from_tables`` and save it as a scenario."""
    import numpy as np  # noqa: PLC0415

    import netkoop  # noqa: PLC0415

    rng = np.random.default_rng([seed, SCALES.index(scale)])
    if scale == "S":
        tables = build_s(rng)
    elif scale == "M":
        derived = common.derived_folder(data)
        if derived is None:
            sys.exit(
                f"no derived tables (kreise.csv, pendler_kreise_od.csv) under {data}; "
                "pass --data or set NETKOOP_SHARED_DATA"
            )
        tables = build_m(rng, derived)
    else:
        tables = build_l(rng)
    network = netkoop.Network.from_tables(
        tables["units"],
        tables["ties"],
        tables["flows"],
        borders=tables["borders"],
        metadata=netkoop.Metadata(name=f"benchmark-{scale}"),
    )
    path = network.save(folder / scale, overwrite=True)  # the benchmark's own folder
    kinds = network.units["kind"].value_counts()
    return {
        "scenario": str(path),
        "units": len(network.units),
        "forums": int(kinds.get("forum", 0)),
        "ties": len(network.ties),
        "flows": len(network.flows),
        "borders": len(network.borders),
    }


# --------------------------------------------------------------------------- parent


def main(argv: list[str] | None = None) -> int:
    """Build the networks, time the report and the engine in fresh processes, print tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scales", default="S,M,L", help="comma-separated, of S, M, L")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scale (fresh process each)")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the synthetic data")
    common.add_data_argument(parser, "; needed for M")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also run the report once per scale under cProfile and print the hotspots",
    )
    parser.add_argument("--keep", action="store_true", help="keep and print the temporary folder")
    parser.add_argument(
        "--jobs", type=int, default=2, help="workers of the parallel report (issue 18; 1: skip)"
    )
    args = parser.parse_args(argv)
    scales = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    if not scales or any(s not in SCALES for s in scales) or len(set(scales)) < len(scales):
        parser.error(f"--scales takes distinct names from {', '.join(SCALES)}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    tmp = Path(tempfile.mkdtemp(prefix="netkoop-bench-metrics-"))
    try:
        print(common.machine("igraph", "networkx", "pandas", "numpy", "netkoop"))
        print(f"data: {args.data}; seed {args.seed}; temporary folder: {tmp}")
        built: dict[str, dict[str, Any]] = {}
        for scale in scales:
            start = time.perf_counter()
            line = common.python_child(
                __file__, BUILD_FLAG, scale, str(tmp), str(args.seed), str(args.data)
            )
            built[scale] = json.loads(line)
            print(f"{scale} built and saved in {time.perf_counter() - start:.1f} s (not timed)")
        runs: dict[str, list[Run]] = {scale: [] for scale in scales}
        for run in range(args.repeat):  # interleaved, so drift spreads over the scales
            order = "engine-first" if run % 2 else "report-first"
            for scale in scales:
                scenario = Path(built[scale]["scenario"])
                line = common.python_child(
                    __file__,
                    CHILD_FLAG,
                    str(scenario),
                    str(args.seed),
                    order,
                    str(args.jobs),
                    cwd=scenario.parent,
                )
                runs[scale].append(json.loads(line))
                print(".", end="", flush=True)
        print()
        _report(built, runs, args.repeat, args.jobs)
        if args.profile:
            for scale in scales:
                output = tmp / f"profile-{scale}.prof"
                common.python_child(__file__, PROFILE_FLAG, built[scale]["scenario"], str(output))
                _print_profile(scale, output)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _median(runs: list[Run], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)


def _report(
    built: dict[str, dict[str, Any]], runs: dict[str, list[Run]], repeat: int, jobs: int
) -> None:
    print(
        f"\n{repeat} run(s) per scale, each in a fresh process; report = metrics_report(network, "
        "options=Options(betweenness='exact', permutations=1000)) on one process; "
        f"jobs {jobs} = the same with Options(jobs={jobs}), workers started by it included; "
        "engine = python-igraph called directly in the same process, one thread; ratio = "
        "median of report / engine per run; peak = ru_maxrss of the child after the "
        "one-process report (load included); workers = summed peak RSS of the workers; MB = MiB"
    )
    header = (
        f"{'scale':<5} {'units':>7} {'ties':>7} {'flows':>10} {'report s':>9} {'min':>7} "
        f"{f'jobs {jobs} s':>9} {'min':>7} {'engine s':>9} {'min':>7} {'ratio':>6} "
        f"{'ratio j':>7} {'load MB':>8} {'peak MB':>8} {'workers':>8}"
    )
    print(header)
    print("-" * len(header))
    for scale, results in runs.items():
        info = built[scale]
        ratios = [float(r["report_s"]) / float(r["engine_s"]) for r in results]
        parallel = [float(r["parallel_s"]) / float(r["engine_s"]) for r in results]
        print(
            f"{scale:<5} {info['units']:>7,} {info['ties']:>7,} {info['flows']:>10,} "
            f"{_median(results, 'report_s'):>9.3f} {min(r['report_s'] for r in results):>7.3f} "
            f"{_median(results, 'parallel_s'):>9.3f} "
            f"{min(r['parallel_s'] for r in results):>7.3f} "
            f"{_median(results, 'engine_s'):>9.3f} {min(r['engine_s'] for r in results):>7.3f} "
            f"{statistics.median(ratios):>5.2f}x {statistics.median(parallel):>6.2f}x "
            f"{_median(results, 'load_peak_mb'):>8.0f} {_median(results, 'peak_mb'):>8.0f} "
            f"{_median(results, 'workers_peak_mb'):>8.0f}"
        )
    different = [
        scale for scale, results in runs.items() if not all(r["same_values"] for r in results)
    ]
    print(
        "betweenness and closeness of the parallel report equal the one-process ones bit for "
        f"bit: {'no, at ' + ', '.join(different) if different else 'yes'}"
    )

    sections = list(next(iter(runs.values()))[0].get("sections") or {})
    if sections:
        print("\nreport by measure family, median s")
        print(f"{'scale':<5} " + " ".join(f"{s:>11}" for s in sections))
        for scale, results in runs.items():
            cells = [statistics.median(float(r["sections"][s]) for r in results) for s in sections]
            print(f"{scale:<5} " + " ".join(f"{c:>11.3f}" for c in cells))
    print("\nengine by metric, median s")
    print(f"{'scale':<5} " + " ".join(f"{s:>12}" for s in ENGINE_STEPS))
    for scale, results in runs.items():
        cells = [statistics.median(float(r["engine"][s]) for r in results) for s in ENGINE_STEPS]
        print(f"{scale:<5} " + " ".join(f"{c:>12.3f}" for c in cells))

    notes = [
        scale
        for scale, results in runs.items()
        for r in results
        if r.get("hwm_mb") is not None and abs(float(r["peak_mb"]) - float(r["hwm_mb"])) > 5
    ]
    if notes:
        print(f"\nnote: ru_maxrss and VmHWM differ by > 5 MB at {sorted(set(notes))}")
    print("\ntargets (issue 4):")
    if "L" in runs:
        results = runs["L"]
        ratio = statistics.median(float(r["report_s"]) / float(r["engine_s"]) for r in results)
        peak = _median(results, "peak_mb")
        _verdict(
            f"L report / engine = {ratio:.2f}x", f"<= {TARGET_RATIO_L}x", ratio <= TARGET_RATIO_L
        )
        _verdict(
            f"L peak RSS = {peak:,.0f} MB", f"< {TARGET_PEAK_MB_L:,} MB", peak < TARGET_PEAK_MB_L
        )
        if jobs > 1:
            print(f"target (issue 18), on {jobs} workers:")
            ratio = statistics.median(
                float(r["parallel_s"]) / float(r["engine_s"]) for r in results
            )
            _verdict(
                f"L report, jobs {jobs} / engine = {ratio:.2f}x",
                f"<= {TARGET_PARALLEL_RATIO_L}x",
                ratio <= TARGET_PARALLEL_RATIO_L,
            )
    if "M" in runs:
        seconds = _median(runs["M"], "report_s")
        _verdict(
            f"M report = {seconds:.3f} s", f"< {TARGET_SECONDS_M} s", seconds < TARGET_SECONDS_M
        )
    if "L" not in runs and "M" not in runs:
        print("  (targets concern M and L)")


def _verdict(measured: str, target: str, met: bool) -> None:
    print(f"  {measured:<36} target {target:<12} {'met' if met else 'MISSED'}")


def _print_profile(scale: str, path: Path, top: int = 25) -> None:
    """Print the functions with the most own time in one cProfile run of the report."""
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((own, cumulative, calls, f"{_short(file)}:{line}({name})"))
    rows.sort(reverse=True)
    print(
        f"\nprofile of the report at {scale} (cProfile, {total:.2f} s in all), "
        f"top {top} by own time"
    )
    print(f"{'own s':>8} {'cum s':>8} {'calls':>9}  function")
    for own, cumulative, calls, where in rows[:top]:
        print(f"{own:>8.3f} {cumulative:>8.3f} {calls:>9,}  {where}")


def _short(file: str) -> str:
    for marker in ("/site-packages/", str(common.REPO) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == CHILD_FLAG:
        _child(
            sys.argv[2],
            int(sys.argv[3]),
            engine_first=sys.argv[4] == "engine-first",
            jobs=int(sys.argv[5]),
        )
    elif len(sys.argv) > 1 and sys.argv[1] == PROFILE_FLAG:
        _profile_child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == BUILD_FLAG:
        info = build(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
        print(json.dumps(info))
    else:
        sys.exit(main())
