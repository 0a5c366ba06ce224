"""Benchmark the timeline: 13 yearly dates against one metrics run of the measures it shows.

The network is the ``L`` network of ``metrics.py`` (11,000 units in 400 Kreise, 17 forums,
50,000 ties, 1,000,000 flows), built in memory with ``numpy.random.default_rng`` from
``--seed`` and checked with ``netkoop.Network.from_tables`` (not timed). Its ties get
``since`` years drawn uniformly from 2010 to 2030 and, for about half of them, an ``until``
year from their ``since`` to 2030; the 400 Kreise get a coordination office (project or
permanent) with an ``office_since`` year from 2012 to 2020 and, for project offices, an
``office_until`` year up to 2030.

Each repeat times, in this process and each on a fresh copy of the network (nothing cached
from an earlier step):

* ``metrics run``: the baseline of the issue, every measure the timeline shows computed once on
  the whole network: the commuters per pair (`Commuters.of`), every measure of
  `netkoop.metrics.headline.MEASURES` and the ties by kind;
* ``timeline``: `netkoop.metrics.timeline.timeline` from ``--from`` to ``--to`` by ``--every``
  (default 2014 to 2026 by year: 13 dates), measures and the begun/ended table;
* ``reload per date`` (with ``--reload``): what a timeline without incremental work would cost,
  `Network.at` of every date and `MEASURES` on it with its own commuters.

The order alternates between repeats; garbage is collected before each step. The table gives
median and minimum seconds; the target (issue 15) is a timeline within 3x the metrics run
(median against median). With ``--check`` the timeline's values on three dates are compared
with `MEASURES` on `Network.at` of them.

    python benchmarks/timeline.py [--repeat K] [--seed N] [--from Y] [--to Y] [--every STEP]
                                  [--reload] [--check]
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

import common
import metrics

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    import netkoop

#: The issue's target: timeline seconds / metrics-run seconds.
TARGET_RATIO = 3.0


def build(seed: int) -> netkoop.Network:
    """The L network of metrics.py with dated ties and dated Kreis coordination offices."""
    import numpy as np  # noqa: PLC0415

    import netkoop  # noqa: PLC0415

    rng = np.random.default_rng([seed, metrics.SCALES.index("L")])
    tables = metrics.build_l(rng)
    dates = np.random.default_rng([seed, 15])
    tables["ties"] = _dated_ties(tables["ties"], dates)
    tables["units"] = _dated_offices(tables["units"], dates)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the drawn network's oddities (isolates) are fine
        return netkoop.Network.from_tables(
            tables["units"],
            tables["ties"],
            tables["flows"],
            borders=tables["borders"],
            metadata=netkoop.Metadata(name="benchmark-L-dated", reference_date="2024-06-30"),
        )


def _dated_ties(ties: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    import numpy as np  # noqa: PLC0415

    since = rng.integers(2010, 2031, len(ties))
    until = since + np.floor(rng.random(len(ties)) * (2031 - since)).astype(np.int64)
    ended = rng.random(len(ties)) < 0.5
    return ties.assign(
        since=since.astype(str), until=np.where(ended, until.astype(str), None).astype(object)
    )


def _dated_offices(units: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    import numpy as np  # noqa: PLC0415

    kreis = units["kind"].isin(["landkreis", "kreisfreie_stadt"]).to_numpy()
    n = len(units)
    office = np.where(rng.random(n) < 0.6, "project", "permanent")
    since = rng.integers(2012, 2021, n)
    until = since + rng.integers(2, 11, n)
    ends = kreis & (office == "project")
    return units.assign(
        coordination_office=np.where(kreis, office, "none"),
        office_since=np.where(kreis, since.astype(str), None).astype(object),
        office_until=np.where(ends, until.astype(str), None).astype(object),
    )


def metrics_run(network: netkoop.Network) -> dict[str, float]:
    """Every measure the timeline shows, once, on the whole network."""
    from netkoop.metrics.headline import MEASURES, Commuters, ties_column  # noqa: PLC0415
    from netkoop.model.vocabulary import TIE_KINDS  # noqa: PLC0415

    commuters = Commuters.of(network)
    values = {name: measure(network, commuters) for name, measure in MEASURES.items()}
    kinds = network.ties["kind"].value_counts()
    values |= {ties_column(k): float(kinds.get(k, 0)) for k in TIE_KINDS}
    return values


def reload_per_date(network: netkoop.Network, dates: tuple[str, ...]) -> None:
    """The timeline's measures without incremental work: `Network.at` and `MEASURES` per date."""
    for date in dates:
        metrics_run(network.at(date))


def main(argv: list[str] | None = None) -> int:
    """Build the network, time the metrics run and the timeline, print the table and verdict."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from", dest="start", default="2014", help="first date")
    parser.add_argument("--to", dest="end", default="2026", help="last date")
    parser.add_argument("--every", default="year", choices=["year", "quarter", "month"])
    parser.add_argument("--reload", action="store_true", help="also time Network.at per date")
    parser.add_argument("--check", action="store_true", help="compare with Network.at")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    from netkoop.metrics.timeline import timeline, timeline_dates  # noqa: PLC0415

    print(common.machine("netkoop", "pandas", "numpy", "igraph"))
    start = time.perf_counter()
    network = build(args.seed)
    dates = timeline_dates(args.start, args.end, args.every)
    print(
        f"network: {len(network.units):,} units, {len(network.ties):,} ties, "
        f"{len(network.flows):,} flows (built in {time.perf_counter() - start:.1f} s); "
        f"timeline: {dates[0]} to {dates[-1]} by {args.every}, {len(dates)} dates"
    )

    steps: dict[str, Callable[[netkoop.Network], object]] = {
        "metrics run": metrics_run,
        "timeline": lambda net: timeline(net, args.start, args.end, args.every),
    }
    if args.reload:
        steps["reload per date"] = lambda net: reload_per_date(net, dates)
    seconds: dict[str, list[float]] = {name: [] for name in steps}
    for repeat in range(args.repeat):
        order = list(steps) if repeat % 2 == 0 else list(reversed(steps))
        for name in order:
            fresh = network.with_tables()  # a new network: nothing cached from another step
            gc.collect()  # no collection of an earlier step's garbage inside this one
            begin = time.perf_counter()
            steps[name](fresh)
            seconds[name].append(time.perf_counter() - begin)
        print(".", end="", flush=True)
    print()

    print(f"\n{args.repeat} run(s) each, in one process; peak RSS {common.peak_rss_mb():.0f} MB")
    print(f"{'measurement':<18} {'median s':>9} {'min s':>8} {'per date s':>11}")
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, values in seconds.items():
        per_date = f"{medians[name] / len(dates):>11.3f}" if name != "metrics run" else ""
        print(f"{name:<18} {medians[name]:>9.3f} {min(values):>8.3f} {per_date}")
    ratio = medians["timeline"] / medians["metrics run"]
    ratios = [t / m for t, m in zip(seconds["timeline"], seconds["metrics run"], strict=True)]
    print(
        f"\ntimeline / metrics run: {ratio:.2f} (median over median; per repeat "
        f"{', '.join(f'{r:.2f}' for r in ratios)})"
    )
    if args.reload:
        print(
            f"reload per date / timeline: "
            f"{medians['reload per date'] / medians['timeline']:.1f}x slower"
        )
    if args.check:
        _check(network, timeline(network, args.start, args.end, args.every).measures, dates)

    met = ratio <= TARGET_RATIO
    print(
        f"\ntarget (issue 15): a {args.every}ly timeline of {len(dates)} dates within "
        f"{TARGET_RATIO:g}x one metrics run: {ratio:.2f}x  {'met' if met else 'MISSED'}"
    )
    if (args.start, args.end, args.every) != ("2014", "2026", "year"):
        print("  (the target concerns --from 2014 --to 2026 --every year)")
    return 0 if met else 1


def _check(network: netkoop.Network, measures: pd.DataFrame, dates: tuple[str, ...]) -> None:
    """Compare the timeline on its first, middle and last date with MEASURES on Network.at."""
    rows = measures.set_index("date")
    for date in (dates[0], dates[len(dates) // 2], dates[-1]):
        expected = metrics_run(network.at(date))
        differ = [
            name
            for name, value in expected.items()
            if not (
                (math.isnan(value) and math.isnan(float(rows.loc[date, name])))
                or value == float(rows.loc[date, name])
            )
        ]
        print(
            f"check {date}: "
            + ("the same as MEASURES on Network.at" if not differ else f"DIFFERENT: {differ}")
        )


if __name__ == "__main__":
    sys.exit(main())
