"""Benchmark the Kreistag report against `netkoop metrics` on the national Kreis scenario.

The scenario is the one ``examples/build_national.sh`` builds from the official files under
``--data`` (16 Länder and 400 Kreise from the Destatis Gemeindeverzeichnis, the 46,991 BA
commuter flows between Kreise, the 1,044 pairs of neighbouring Kreise and the simplified BKG
outlines), written to a temporary folder first (not timed).

Each repeat runs three whole fresh processes, in an order that turns between repeats, so that
each includes starting Python, loading the scenario and writing its output:

* ``metrics``: ``netkoop metrics SCENARIO -q`` (the terminal summary);
* ``report html``: ``netkoop report SCENARIO -o bericht.html -q`` (metrics, recommendations,
  the map as a 17 x 13 cm PNG at 200 dpi, the document);
* ``report pdf``: the same printed to PDF with WeasyPrint.

The table gives median and minimum wall seconds; the target of
issue 17 is each report within 2x the metrics run (median against median).

    python benchmarks/report.py [--repeat K] [--data DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

#: The issue's target: report seconds / metrics seconds.
TARGET_RATIO = 2.0


def build(data: Path, folder: Path) -> Path:
    """The national Kreis scenario of examples/build_national.sh, in ``folder``."""
    netkoop = [sys.executable, "-m", "netkoop"]
    shapes = data / "bkg-vg1000-2022" / "VG1000_KRS.shp"
    if not shapes.exists():
        shapes = shapes.with_suffix(".zip")
    out = folder / "deutschland"
    steps = [
        ["import", "gv-isys", str(data / "destatis-gvisys" / "31122023_Auszug_GV.xlsx"),
         "--level", "kreis"],
        ["import", "pendler", str(data / "ba-pendler-2023")],
        ["import", "adjacency", str(shapes)],
        ["import", "geometry", str(shapes)],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run([*netkoop, *step, "-o", str(out), "-q"], capture_output=True,
                              text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            sys.exit(f"netkoop {' '.join(step[:2])} failed:\n{done.stderr}")
    return out


def timed(args: list[str]) -> float:
    """Run ``netkoop ARGS`` in a fresh process; its wall seconds."""
    begin = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "netkoop", *args], capture_output=True,
                          text=True, check=False)  # fmt: skip
    seconds = time.perf_counter() - begin
    if done.returncode != 0:
        sys.exit(f"netkoop {' '.join(args)} failed:\n{done.stderr}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Build the scenario, time the three commands, print the table and the verdicts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    common.add_data_argument(parser)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs each (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    print(common.machine("netkoop", "pandas", "matplotlib", "weasyprint"))
    with tempfile.TemporaryDirectory(prefix="netkoop-report-") as tmp:
        folder = Path(tmp)
        scenario = str(build(args.data, folder))
        commands = {
            "metrics": ["metrics", scenario, "-q"],
            "report html": [
                "report",
                scenario,
                "-o",
                str(folder / "bericht.html"),
                "-q",
                "--force",
            ],
            "report pdf": ["report", scenario, "-o", str(folder / "bericht.pdf"), "-q", "--force"],
        }
        for command in commands.values():  # warm the file cache and the font caches
            timed(command)
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for repeat in range(args.repeat):
            order = names[repeat % len(names) :] + names[: repeat % len(names)]
            for name in order:
                seconds[name].append(timed(commands[name]))
        pages = (folder / "bericht.pdf").stat().st_size / 1e6
    print(f"\n{'step':<14} {'median s':>9} {'min s':>7} {'× metrics':>10}")
    base = statistics.median(seconds["metrics"])
    missed = False
    for name in names:
        median = statistics.median(seconds[name])
        ratio = median / base
        print(f"{name:<14} {median:>9.2f} {min(seconds[name]):>7.2f} {ratio:>10.2f}")
    print(f"\npdf: {pages:.2f} MB")
    for name in ("report html", "report pdf"):
        ratio = statistics.median(seconds[name]) / base
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        missed |= ratio > TARGET_RATIO
        print(f"target: {name} within {TARGET_RATIO:.0f}x metrics: {ratio:.2f}x {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
