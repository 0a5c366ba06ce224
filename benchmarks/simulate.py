"""Benchmark ``netkoop simulate``: 1,000 budget-shock runs on the 400-Kreis national scenario.

Three scenario files are written to a temporary folder (not timed):

* ``national.yaml``: the 400 Kreise, the 46,991 BA commuter flows and the 1,044 Kreis borders
  from ``shared/data/derived``;
* ``krise.yaml`` (extends it): an exchange tie (funding voluntary) between adjacent Kreise with
  at least 3,000 commuters, a joint_project tie (funding project) from each Landkreis to each
  adjacent kreisfreie Stadt with at least 5,000 commuters, then ``budget_shock`` (voluntary
  0.5, project 0.8);
* ``krise-mit-pflicht.yaml``: the same with ``mandate`` before the shock.

Every measurement runs ``netkoop simulate ... --runs N --seed S --jobs J -q -o OUT.json`` in a
fresh process and takes the wall time, the CPU time and the peak RSS of that process and its
reaped workers (``os.wait4``), plus the peak of the summed RSS of its process tree (sampled
from ``/proc``). The JSON outputs of ``--jobs 1`` and ``--jobs J`` must be byte-identical.
A child process also times the library's ``simulate()`` in-process (``jobs=1``) to split the
command's time into start-up, per-run cost and parallel overhead.

    python benchmarks/simulate.py [--data PATH] [--runs N] [--jobs J] [--repeat K] [--seed S]
                                  [--split-runs M] [--keep]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import common

Run = dict[str, Any]  # one measurement
SPLIT_FLAG = "--child-split"

#: The issue's target (issue 6): 1,000 runs on 2 cores in under this many seconds.
TARGET_RUNS = 1000
TARGET_SECONDS = 60.0

#: The measurements: label, scenario files, and whether they use --jobs 1 or the parallel --jobs.
MEASUREMENTS = (
    ("krise, jobs 1", ("krise.yaml",), False),
    ("krise, jobs J", ("krise.yaml",), True),
    ("krise + krise-mit-pflicht, jobs J", ("krise.yaml", "krise-mit-pflicht.yaml"), True),
)


# --------------------------------------------------------------------------- child process


def _split_child(scenario: str, runs: int, seed: int, samples: int) -> None:
    """Time the library in-process and print a JSON line: fixed cost, per-run cost, parts.

    Times are CPU seconds of this process (``time.process_time``), so that other work on the
    machine does not inflate them.
    """
    clock = time.process_time
    start = clock()
    import importlib  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415

    # The module, not the function netkoop.whatif re-exports under the same name.
    module = importlib.import_module("netkoop.whatif.simulate")

    result: Run = {"import_s": clock() - start}
    start = clock()
    plan = module.Plan.from_scenario(scenario)
    result["plan_s"] = clock() - start
    start = clock()
    module.simulate(plan, runs=1, seed=seed, jobs=1)
    result["one_run_s"] = clock() - start
    start = clock()
    module.simulate(plan, runs=runs, seed=seed, jobs=1)
    result["runs_s"] = clock() - start
    result["runs"] = runs

    # One run taken apart: the shock, each measure, the per-unit hub connection. This uses
    # the module's private helpers; the breakdown is left out when they are not there.
    commuters_of = getattr(getattr(module, "_Commuters", None), "of", None)
    hub_connection = getattr(module, "hub_connection", None)
    parts: dict[str, float] = {}
    if samples and commuters_of is not None and hub_connection is not None:
        commuters = commuters_of(plan.start)

        def timed(name: str, call: Any) -> Any:
            begin = clock()
            value = call()
            parts[name] = parts.get(name, 0.0) + clock() - begin
            return value

        for run in range(samples):
            seeds = [
                np.random.SeedSequence(seed, spawn_key=(run, k)) for k in range(plan.random_steps)
            ]
            network = timed("shock (apply steps)", lambda s=seeds: plan.run(s))
            for name, measure in module.MEASURES.items():
                timed(name, lambda m=measure, n=network: m(n, commuters))
            timed("hub_connection (units)", lambda n=network: hub_connection(n))
        parts = {name: seconds / samples for name, seconds in parts.items()}
    result["parts"] = parts
    result["samples"] = samples
    print(json.dumps(result))


# --------------------------------------------------------------------------- inputs


def build(derived: Path, folder: Path) -> None:
    """Write national.yaml, krise.yaml and krise-mit-pflicht.yaml into ``folder``."""
    kreise = common.yaml_string(derived / "kreise.csv")
    flows = common.yaml_string(derived / "pendler_kreise_od.csv")
    borders = common.yaml_string(derived / "kreis_adjacency.csv")
    (folder / "national.yaml").write_text(
        f"""\
format_version: 1
name: national
files_outside: true  # the official tables stay in the shared data folder
units:
  file: {kreise}
  columns: {{id: kreis_ags, land: land_code, land_name: land, population: bevoelkerung, \
lat: centroid_lat, lon: centroid_lon}}
flows:
  file: {flows}
  columns: {{from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt}}
borders:
  file: {borders}
  columns: {{from: kreis_a, to: kreis_b, length_km: shared_border_km}}
""",
        encoding="utf-8",
    )
    ties = """\
  - do: add_ties_where
    kind: exchange
    adjacent: true
    min_commuters: 3000
    attributes: {funding: voluntary}
  - do: add_ties_where
    kind: joint_project
    from_kinds: landkreis
    to_kinds: kreisfreie_stadt
    adjacent: true
    min_commuters: 5000
    attributes: {funding: project}
"""
    shock = """\
  - do: budget_shock
    voluntary: 0.5
    project: 0.8
"""
    for name, mandate in (("krise", ""), ("krise-mit-pflicht", "  - do: mandate\n")):
        (folder / f"{name}.yaml").write_text(
            f"format_version: 1\nname: {name}\nextends: national.yaml\ninterventions:\n"
            f"{ties}{mandate}{shock}",
            encoding="utf-8",
        )


# --------------------------------------------------------------------------- parent


def _netkoop() -> list[str]:
    """The venv's netkoop executable, else ``python -m netkoop``."""
    script = Path(sys.executable).with_name("netkoop")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "netkoop"]


def _tree_rss_mb(root: int) -> float:
    """The summed RSS of ``root`` and all its descendants, from /proc (Linux); 0 elsewhere."""
    parents: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; fields after its last ")".
        parents[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total / (1024 * 1024)


def _run_simulate(
    folder: Path, files: tuple[str, ...], *, runs: int, seed: int, jobs: int, output: Path
) -> Run:
    """Run ``netkoop simulate`` once in a fresh process and measure it."""
    command = [*_netkoop(), "simulate", *files, "--runs", str(runs), "--seed", str(seed)]
    command += ["--jobs", str(jobs), "-q", "-o", str(output)]
    load = os.getloadavg()[0]
    peak_tree = 0.0
    stderr = output.with_suffix(".stderr")
    with stderr.open("w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=err)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not done.wait(0.2):
                peak_tree = max(peak_tree, _tree_rss_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this child's own resource use (with the workers it reaped), not the
        # running total of RUSAGE_CHILDREN over every measurement so far.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    if process.returncode != 0:
        sys.exit(
            f"{' '.join(command)} failed (exit {process.returncode}):\n"
            f"{stderr.read_text(encoding='utf-8', errors='replace')}"
        )
    factor = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes vs KiB
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / factor,
        "tree_mb": peak_tree,
        "load": load,
        "sha256": hashlib.sha256(output.read_bytes()).hexdigest(),
        "output": str(output),
    }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def main(argv: list[str] | None = None) -> int:
    """Write the scenarios, time ``netkoop simulate`` in fresh processes, print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    common.add_data_argument(parser)
    parser.add_argument("--runs", type=int, default=TARGET_RUNS, help="runs per scenario")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the parallel measurements")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--seed", type=int, default=0, help="--seed given to netkoop simulate")
    parser.add_argument(
        "--split-runs",
        type=int,
        default=100,
        help="runs of the in-process simulate() that splits the time (0: leave it out)",
    )
    parser.add_argument("--keep", action="store_true", help="keep and print the temporary folder")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.runs < 1 or args.jobs < 2 or args.split_runs < 0:
        parser.error("--repeat and --runs must be at least 1, --jobs at least 2, --split-runs >= 0")
    if args.split_runs == 1:
        parser.error("--split-runs must be 0 or at least 2")

    derived = common.find_derived(args.data, (*common.DERIVED, "kreis_adjacency.csv"))
    tmp = Path(tempfile.mkdtemp(prefix="netkoop-bench-simulate-"))
    try:
        print(common.machine("netkoop", "joblib", "pandas", "numpy"))
        print(f"data: {derived}; temporary folder: {tmp}")
        print(f"at start: {_load()}")
        build(derived, tmp)
        for name in ("krise.yaml", "krise-mit-pflicht.yaml"):
            done = subprocess.run(
                [*_netkoop(), "validate", name],
                capture_output=True,
                text=True,
                check=False,
                cwd=tmp,
            )
            if done.returncode != 0:
                sys.exit(f"{name} is not valid:\n{done.stdout}{done.stderr}")
            print(done.stdout.strip())
        (tmp / "out").mkdir()

        runs: dict[str, list[Run]] = {label: [] for label, _, _ in MEASUREMENTS}
        for repeat in range(args.repeat):  # interleaved, so drift spreads over the measurements
            order = (
                MEASUREMENTS
                if repeat % 2 == 0
                else (MEASUREMENTS[1], MEASUREMENTS[0], *MEASUREMENTS[2:])
            )
            for label, files, parallel in order:
                jobs = args.jobs if parallel else 1
                output = (
                    tmp / "out" / f"{'-'.join(Path(f).stem for f in files)}-j{jobs}-{repeat}.json"
                )
                result = _run_simulate(
                    tmp, files, runs=args.runs, seed=args.seed, jobs=jobs, output=output
                )
                runs[label].append(result)
                print(".", end="", flush=True)
        print()
        splits = [
            json.loads(
                common.python_child(
                    __file__,
                    SPLIT_FLAG,
                    "krise.yaml",
                    str(args.split_runs),
                    str(args.seed),
                    "20",
                    cwd=tmp,
                )
            )
            for _ in range(args.repeat if args.split_runs else 0)
        ]
        print(f"at end: {_load()}")
        _report(runs, splits, args)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _report(runs: dict[str, list[Run]], splits: list[Run], args: argparse.Namespace) -> None:
    print(
        f"\n{args.repeat} run(s) per measurement, each a fresh `netkoop simulate ... --runs "
        f"{args.runs:,} --seed {args.seed} -q -o OUT.json`; J = {args.jobs}"
    )
    header = (
        f"{'measurement':<33} {'runs':>6} {'median s':>9} {'min s':>8} {'runs/s':>7} "
        f"{'CPU s':>7} {'CPU/wall':>8} {'CPU ms/run':>10} {'peak MB':>8} {'tree MB':>8} "
        f"{'load':>5}"
    )
    print(header)
    print("-" * len(header))
    medians: dict[str, float] = {}
    for label, files, _ in MEASUREMENTS:
        results = runs[label]
        seconds = [float(r["seconds"]) for r in results]
        medians[label] = median = statistics.median(seconds)
        total = args.runs * len(files)
        cpu = statistics.median(float(r["cpu_s"]) for r in results)
        ratio = statistics.median(float(r["cpu_s"]) / float(r["seconds"]) for r in results)
        print(
            f"{label.replace('J', str(args.jobs)):<33} {total:>6,} {median:>9.2f} "
            f"{min(seconds):>8.2f} {total / median:>7.1f} {cpu:>7.1f} {ratio:>8.2f} "
            f"{cpu / total * 1000:>10.1f} "
            f"{max(float(r['peak_mb']) for r in results):>8.0f} "
            f"{max(float(r['tree_mb']) for r in results):>8.0f} "
            f"{statistics.median(float(r['load']) for r in results):>5.2f}"
        )
    print(
        "runs = scenario runs in total; CPU s = user + system time of the command and the "
        "workers it reaped\n(median), CPU ms/run = that per scenario run; peak MB = largest "
        "ru_maxrss of one process\n(os.wait4); tree MB = peak of the summed RSS of the command "
        "and its workers, sampled every 0.2 s;\nload = 1-min load average when the measurement "
        "started (median)"
    )
    print("each repeat in turn: wall s (1-min load average at its start)")
    for label, _, _ in MEASUREMENTS:
        cells = ", ".join(
            f"{float(r['seconds']):.1f} ({float(r['load']):.1f})" for r in runs[label]
        )
        print(f"  {label.replace('J', str(args.jobs)):<33} {cells}")
    busiest = max(float(r["load"]) for results in runs.values() for r in results)
    cores = os.cpu_count() or 1
    if busiest > cores:
        print(
            f"note: the load average reached {busiest:.1f} on {cores} cores: other work competed "
            "for the cores,\nso the wall times are upper bounds; min s and CPU s are the steadier "
            "figures"
        )

    serial, parallel, both = (runs[label] for label, _, _ in MEASUREMENTS)
    digests = {r["sha256"] for r in serial + parallel}
    same = len(digests) == 1
    print(
        f"\n-o json of krise with --jobs 1 and --jobs {args.jobs} "
        f"({len(serial) + len(parallel)} files): "
        + ("byte-identical" if same else f"DIFFERENT ({len(digests)} distinct)")
        + f", sha256 {serial[0]['sha256'][:16]}..."
    )
    pair = {r["sha256"] for r in both}
    print(
        f"-o json of both scenarios with --jobs {args.jobs} over the repeats: "
        + ("byte-identical" if len(pair) == 1 else f"DIFFERENT ({len(pair)} distinct)")
    )
    _print_outcome(Path(both[0]["output"]))

    if splits:
        _print_split(splits, runs, args)

    print("\ntarget (issue 6): 1,000 runs on the 400-Kreis national scenario, standard metric set")
    if args.runs != TARGET_RUNS:
        print(f"  (the target concerns --runs {TARGET_RUNS:,}; this run used {args.runs:,})")
    if (os.cpu_count() or 0) != 2 or args.jobs != 2:
        print(f"  (the target concerns 2 cores; nproc {os.cpu_count()}, --jobs {args.jobs})")
    labels = [label for label, _, _ in MEASUREMENTS]
    _verdict(f"krise, --jobs {args.jobs}: median {medians[labels[1]]:.1f} s", medians[labels[1]])
    print("  and, beyond the target:")
    _verdict(f"krise, --jobs 1 (one core): {medians[labels[0]]:.1f} s", medians[labels[0]])
    _verdict(
        f"both scenarios ({2 * args.runs:,} runs), --jobs {args.jobs}: {medians[labels[2]]:.1f} s",
        medians[labels[2]],
    )
    if not same:
        print("  byte-identical output for --jobs 1 and --jobs J       MISSED")


def _verdict(measured: str, seconds: float) -> None:
    met = seconds < TARGET_SECONDS
    print(f"  {measured:<46} target < {TARGET_SECONDS:.0f} s  {'met' if met else 'MISSED'}")


def _print_outcome(path: Path) -> None:
    """A sanity check of what the scenarios do: ties and hub connection before and after."""
    summary = json.loads(path.read_text(encoding="utf-8"))["tables"]["summary"]
    rows = {(row["scenario"], row["measure"]): row for row in summary}
    print("outcome (from the JSON of both scenarios): before the shock -> mean of the runs")
    for scenario in dict.fromkeys(row["scenario"] for row in summary):
        cells = []
        for measure in ("ties", "components", "commuter_coverage", "hub_connected", "offices"):
            row = rows.get((scenario, measure))
            if row is not None:
                cells.append(f"{measure} {row['before']:.4g} -> {row['mean']:.4g}")
        print(f"  {scenario:<18} " + "; ".join(cells))


def _print_split(splits: list[Run], runs: dict[str, list[Run]], args: argparse.Namespace) -> None:
    """The in-process CPU times, and what they say about the command's start-up and workers."""

    def median(key: str) -> float:
        return statistics.median(float(split[key]) for split in splits)

    n = int(splits[0]["runs"])
    per_run = statistics.median(
        (float(s["runs_s"]) - float(s["one_run_s"])) / (n - 1) for s in splits
    )
    fixed = median("one_run_s") - per_run
    print(
        f"\nin-process split (krise, simulate(plan, runs={n}, jobs=1), CPU s of one fresh "
        f"process, median of {len(splits)}):"
    )
    print(f"  import netkoop.whatif.simulate        {median('import_s'):>8.3f} s")
    print(f"  Plan.from_scenario (load, add ties)   {median('plan_s'):>8.3f} s")
    print(f"  simulate: fixed (before, collect)     {fixed:>8.3f} s")
    print(f"  simulate: per run                     {per_run * 1000:>8.1f} ms")
    names = [name for split in splits for name in split.get("parts") or {}]
    if names:
        print(
            f"  one run taken apart (mean of {splits[0]['samples']} runs, ms; the tie graph and "
            "the hub connection\n  are cached per network: the first measure that needs one pays):"
        )
        total = 0.0
        for name in dict.fromkeys(names):
            value = statistics.median(float(s["parts"].get(name, 0.0)) for s in splits)
            total += value
            print(f"    {name:<34} {value * 1000:>8.2f}")
        print(f"    {'sum':<34} {total * 1000:>8.2f}")

    serial, parallel = (runs[label] for label, _, _ in MEASUREMENTS[:2])
    cpu_serial = statistics.median(float(r["cpu_s"]) for r in serial)
    cpu_parallel = statistics.median(float(r["cpu_s"]) for r in parallel)
    work = args.runs * per_run
    start = cpu_serial - work
    extra = cpu_parallel - cpu_serial
    jobs = args.jobs
    print(f"  -> {args.runs:,} runs of work: {work:.1f} s of CPU")
    print(
        f"  -> command start-up and output (CPU of --jobs 1 minus the runs): {start:.1f} s "
        "(imports, loading, JSON)"
    )
    print(
        f"  -> extra CPU with --jobs {jobs} over --jobs 1: {extra:+.1f} s (worker start-up, "
        "sending plans and results)"
    )
    expected = start + (work + extra) / jobs
    measured = [float(r["seconds"]) for r in parallel]
    print(
        f"  -> --jobs {jobs} on {jobs} idle cores: about {expected:.1f} s expected "
        f"(start-up + (runs + extra) / {jobs}); measured median {statistics.median(measured):.1f} "
        f"s, min {min(measured):.1f} s"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == SPLIT_FLAG:
        _split_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(main())
