"""Benchmark reading scenarios: netkoop.validate and netkoop.load against plain pandas.read_csv.

Two scenarios are built in a temporary folder (writing them is not timed):

* ``national``: the 400 Kreise, the kreisangehörige Gemeinden (selected with ``where:``) and the
  46,991 BA commuter flows from ``shared/data/derived`` beside the repository;
* ``synthetic``: 11,000 units (400 Kreise, ~10,600 Gemeinden with keys below their Landkreis)
  and ``--rows`` distinct directed commuter flows (1,000,000 by default) with one breakdown
  column, drawn with ``numpy.random.default_rng(--seed)``.

The anchor is the CSV reader netkoop itself uses (``pandas.read_csv`` with the options of
``netkoop/scenario/sources.py``), timed on the same files in the same run; the targets of issue 18
are printed with "met" or "MISSED": ``load`` of the synthetic scenario at most 1.5x and of the
national one at most 2.5x the anchor on all their CSVs, and a peak RSS under 1,024 MB when loading
the synthetic scenario (11,000 units, 1,000,000 flows by default).

Every measurement runs in a fresh Python process, so the peak RSS (``ru_maxrss``) belongs to that
one step. The child also reports its RSS right after ``import netkoop, pandas`` and resolving
``netkoop.load`` (the baseline), so the increment caused by the step is visible.

    python benchmarks/load.py [--data PATH] [--rows N] [--repeat K] [--seed S] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import common

if TYPE_CHECKING:
    pass

Run = dict[str, Any]  # one child's JSON report
CHILD_FLAG = "--child"
BUILD_FLAG = "--child-build"
STEPS = ("validate", "load", "read_csv flows", "read_csv all")

#: The reader that netkoop's own CSV reading calls, and so the anchor of the targets: if
#: netkoop/scenario/sources.py changes reader, the anchor steps must change with it.
ANCHOR = "pandas.read_csv"
#: The targets of issue 18: load / anchor (all CSVs of the scenario) at most this much.
RATIO_TARGETS = {"synthetic": 1.5, "national": 2.5}
#: ... and the peak RSS of loading the synthetic scenario (11,000 units, 1,000,000 flows).
PEAK_TARGET_MB = 1024


# --------------------------------------------------------------------------- child process


def _child(step: str, scenario: str, csvs: list[str]) -> None:
    """Run one step once and print a JSON line: seconds, baseline and peak RSS, and a summary."""
    # Imported here, not at the top: the parent process must stay small (see _build_in_child).
    import pandas as pd  # noqa: PLC0415

    import netkoop  # noqa: PLC0415

    # `import netkoop` is lazy: resolving the two functions imports the reading code, so the
    # timed step below is the reading itself, as it was when the package imported eagerly.
    validate, load = netkoop.validate, netkoop.load
    baseline = common.peak_rss_mb()
    info: Run = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        if step == "validate":
            result = validate(scenario)
            seconds = time.perf_counter() - start
            info = {
                "ok": result.ok,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "first_problems": [str(p) for p in result.problems[:5]],
            }
        elif step == "load":
            network = load(scenario)
            seconds = time.perf_counter() - start
            info = {"units": len(network.units), "flows": len(network.flows)}
        else:
            # ANCHOR with the options netkoop's CSV reader passes (sources.py, _read_csv).
            frames = [
                pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], engine="c")
                for path in csvs
            ]
            seconds = time.perf_counter() - start
            info = {"rows": sum(len(f) for f in frames)}
    info["warned"] = len(caught)
    info["hwm_mb"] = common.status_mb("VmHWM")
    print(
        json.dumps(
            {"seconds": seconds, "baseline_mb": baseline, "peak_mb": common.peak_rss_mb(), **info}
        )
    )


# --------------------------------------------------------------------------- inputs


def build_national(derived: Path, folder: Path) -> tuple[Path, list[Path], list[Path]]:
    """Write the national scenario; return it, its flow CSV(s) and all its CSVs."""
    folder.mkdir(parents=True)
    kreise, gemeinden = derived / "kreise.csv", derived / "gemeinden.csv"
    flows = derived / "pendler_kreise_od.csv"
    text = f"""\
format_version: 1
name: national
files_outside: true  # the official tables stay in the shared data folder
units:
  - file: {common.yaml_string(kreise)}
    columns: {{id: kreis_ags, land: land_code, population: bevoelkerung, lat: centroid_lat, \
lon: centroid_lon, land_name: land}}
  - file: {common.yaml_string(gemeinden)}
    where: {{gemeinde_typ_code: [60, 63, 64, 65, 66, 67]}}
    columns: {{id: ags, parent: kreis_ags, land: land_code, population: bevoelkerung, \
land_name: land}}
    set: {{kind: gemeinde}}
flows:
  file: {common.yaml_string(flows)}
  columns: {{from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt}}
"""
    scenario = folder / "scenario.yaml"
    scenario.write_text(text, encoding="utf-8")
    return scenario, [flows], [kreise, gemeinden, flows]


def build_synthetic(
    folder: Path, rows: int, seed: int, n_units: int = 11_000
) -> tuple[Path, list[Path], list[Path]]:
    """Write a synthetic scenario with ``n_units`` units and ``rows`` distinct directed flows."""
    import numpy as np  # noqa: PLC0415  (runs in a child; see _build_in_child)
    import pandas as pd  # noqa: PLC0415

    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)

    # 400 Kreise over the 16 Länder: 106 kreisfreie Städte (Kreis part 01-49) and 294 Landkreise
    # (Kreis part 51-99), keys LL0KK.
    n_kfs, n_lk = 106, 294
    lands = np.arange(1, 17)
    kfs_land = np.sort(np.resize(lands, n_kfs))
    lk_land = np.sort(np.resize(lands, n_lk))
    kfs_ids = [
        f"{land:02d}0{k:02d}" for land, k in zip(kfs_land, common.ordinal(kfs_land), strict=True)
    ]
    lk_ids = [
        f"{land:02d}0{50 + k:02d}" for land, k in zip(lk_land, common.ordinal(lk_land), strict=True)
    ]
    kreis_ids = kfs_ids + lk_ids
    kreis_land = [f"{land:02d}" for land in (*kfs_land, *lk_land)]
    kreis_kind = ["kreisfreie_stadt"] * n_kfs + ["landkreis"] * n_lk

    # The remaining units are Gemeinden, spread over the Landkreise; key = Landkreis + 3 digits.
    n_gem = n_units - len(kreis_ids)
    per_lk = rng.multinomial(n_gem, np.full(n_lk, 1 / n_lk))
    parents = np.repeat(np.array(lk_ids), per_lk)
    numbers = np.concatenate([np.arange(1, c + 1) for c in per_lk])
    gem_ids = [f"{p}{n:03d}" for p, n in zip(parents, numbers, strict=True)]

    ids = kreis_ids + gem_ids
    units = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Einheit {i}" for i in ids],
            "kind": kreis_kind + ["gemeinde"] * n_gem,
            "land": kreis_land + [p[:2] for p in parents],
            "parent": [""] * len(kreis_ids) + list(parents),
            "population": rng.integers(100, 1_000_000, len(ids)),
            "lat": np.round(rng.uniform(47.3, 55.0, len(ids)), 5),
            "lon": np.round(rng.uniform(5.9, 15.0, len(ids)), 5),
        }
    )
    units_csv = folder / "units.csv"
    units.to_csv(units_csv, index=False, lineterminator="\n")

    # Distinct directed pairs without self-loops: sample pair numbers, then decode them.
    n = len(ids)
    pairs = rng.choice(n * (n - 1), size=rows, replace=False)
    origin, rest = np.divmod(pairs, n - 1)
    destination = rest + (rest >= origin)
    commuters = np.ceil(rng.lognormal(2.0, 1.5, rows)).astype(np.int64)
    frauen = rng.binomial(commuters, 0.45)
    id_array = np.array(ids)
    flows = pd.DataFrame(
        {
            "from": id_array[origin],
            "to": id_array[destination],
            "commuters": commuters,
            "frauen": frauen,
        }
    )
    flows_csv = folder / "flows.csv"
    flows.to_csv(flows_csv, index=False, lineterminator="\n")

    scenario = folder / "scenario.yaml"
    scenario.write_text(
        "format_version: 1\nname: synthetic\n"
        "units:\n  file: units.csv\nflows:\n  file: flows.csv\n",
        encoding="utf-8",
    )
    return scenario, [flows_csv], [units_csv, flows_csv]


def _count_rows(csv: Path) -> int:
    with csv.open("rb") as handle:
        return sum(1 for _ in handle) - 1


# --------------------------------------------------------------------------- parent


def _run_child(step: str, scenario: Path, csvs: list[Path]) -> Run:
    command = [sys.executable, str(Path(__file__).resolve()), CHILD_FLAG, step, str(scenario)]
    command += [str(c) for c in csvs]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=scenario.parent)
    if done.returncode != 0:
        sys.exit(f"{step} on {scenario} failed (exit {done.returncode}):\n{done.stderr}")
    run: Run = json.loads(done.stdout.strip().splitlines()[-1])
    return run


def _build_in_child(folder: Path, rows: int, seed: int) -> tuple[Path, list[Path], list[Path]]:
    """Write the synthetic inputs in a separate process.

    On Linux a child inherits its parent's peak RSS through fork and exec (ru_maxrss is kept
    across exec), so the parent must never hold the big tables itself.
    """
    command = [sys.executable, str(Path(__file__).resolve()), BUILD_FLAG, str(folder)]
    command += [str(rows), str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"writing the synthetic scenario failed:\n{done.stderr}")
    paths = json.loads(done.stdout.strip().splitlines()[-1])
    return Path(paths[0]), [Path(p) for p in paths[1]], [Path(p) for p in paths[2]]


def main(argv: list[str] | None = None) -> int:
    """Build both scenarios, time every step in fresh processes, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_data_argument(parser)
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic flow rows")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (fresh process each)")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the synthetic data")
    parser.add_argument("--keep", action="store_true", help="keep and print the temporary folder")
    args = parser.parse_args(argv)
    if args.repeat < 1 or not 1 <= args.rows <= 11_000 * 10_999:
        parser.error("--repeat must be at least 1 and --rows between 1 and 11,000 x 10,999")

    derived = common.find_derived(args.data)
    tmp = Path(tempfile.mkdtemp(prefix="netkoop-bench-"))
    try:
        print(common.machine("pandas", "numpy"))
        print(f"data: {derived}; temporary folder: {tmp}")
        start = time.perf_counter()
        scenarios = {
            "national": build_national(derived, tmp / "national"),
            "synthetic": _build_in_child(tmp / "synthetic", args.rows, args.seed),
        }
        print(f"inputs written in {time.perf_counter() - start:.1f} s (not timed below)")
        results = _measure(scenarios, args.repeat)
        _report(scenarios, results, args.repeat)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


Scenarios = dict[str, tuple[Path, list[Path], list[Path]]]
Results = dict[tuple[str, str], list[Run]]


def _measure(scenarios: Scenarios, repeat: int) -> Results:
    results: Results = {}
    for name, (scenario, flow_csvs, all_csvs) in scenarios.items():
        check = _run_child("validate", scenario, [])
        if not check["ok"]:
            problems = "\n  ".join(map(str, check["first_problems"]))
            sys.exit(f"the {name} scenario is not valid ({check['errors']} errors):\n  {problems}")
        # Interleave the steps so drift (page cache, thermal) spreads evenly over them.
        for _ in range(repeat):
            for step in STEPS:
                csvs = flow_csvs if step == "read_csv flows" else all_csvs
                results.setdefault((name, step), []).append(_run_child(step, scenario, csvs))
            print(".", end="", flush=True)
    print()
    return results


def _report(scenarios: Scenarios, results: Results, repeat: int) -> None:
    header = (
        f"{'scenario':<10} {'flow rows':>10} {'step':<15} {'median s':>9} {'min s':>8} "
        f"{'peak RSS MB':>12} {'base MB':>8} {'+MB':>7}"
    )
    print(f"\n{repeat} run(s) per step, each in a fresh process; RSS = ru_maxrss of that process")
    print(header)
    print("-" * len(header))
    medians: dict[tuple[str, str], float] = {}
    for name, (_, flow_csvs, _) in scenarios.items():
        rows = sum(_count_rows(c) for c in flow_csvs)
        for step in STEPS:
            runs = results[(name, step)]
            seconds = [float(r["seconds"]) for r in runs]
            peak = statistics.median(float(r["peak_mb"]) for r in runs)
            base = statistics.median(float(r["baseline_mb"]) for r in runs)
            medians[(name, step)] = statistics.median(seconds)
            print(
                f"{name:<10} {rows:>10,} {step:<15} {statistics.median(seconds):>9.3f} "
                f"{min(seconds):>8.3f} {peak:>12.0f} {base:>8.0f} {peak - base:>7.0f}"
            )
    print()
    off = [
        (name, step)
        for (name, step), runs in results.items()
        for r in runs
        if r.get("hwm_mb") is not None and abs(float(r["peak_mb"]) - float(r["hwm_mb"])) > 5
    ]
    if off:
        print(f"note: ru_maxrss and VmHWM differ by > 5 MB in {sorted(set(off))}")
    for name in scenarios:
        load = medians[(name, "load")]
        flows = medians[(name, "read_csv flows")]
        every = medians[(name, "read_csv all")]
        print(
            f"{name}: netkoop load / {ANCHOR} = {load / flows:.2f}x (flow CSV only), "
            f"{load / every:.2f}x (all CSVs of the scenario)"
        )
    _targets(scenarios, results, medians)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _targets(scenarios: Scenarios, results: Results, medians: dict[tuple[str, str], float]) -> None:
    """Print each target of issue 18 with the anchor of this run and "met" or "MISSED"."""
    print(f"\ntargets (anchor: {ANCHOR} of all the scenario's CSVs, median of this run):")
    for name, limit in RATIO_TARGETS.items():
        if name not in scenarios:
            continue
        load, anchor = medians[(name, "load")], medians[(name, "read_csv all")]
        ratio = load / anchor
        print(
            f"  {name:<10} load {load:.3f} s / anchor {anchor:.3f} s = {ratio:.2f}x "
            f"(target <= {limit}x): {_verdict(ratio <= limit)}"
        )
    rows = sum(_count_rows(c) for c in scenarios["synthetic"][1])
    peak = statistics.median(float(r["peak_mb"]) for r in results[("synthetic", "load")])
    at = "" if rows == 1_000_000 else f" (measured at {rows:,} flows; the target is at 1,000,000)"
    print(
        f"  {'synthetic':<10} load peak RSS {peak:.0f} MB (target < {PEAK_TARGET_MB} MB)"
        f"{at}: {_verdict(peak < PEAK_TARGET_MB)}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == CHILD_FLAG:
        _child(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) > 1 and sys.argv[1] == BUILD_FLAG:
        built = build_synthetic(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        print(json.dumps([str(built[0]), [str(p) for p in built[1]], [str(p) for p in built[2]]]))
    else:
        sys.exit(main())
