"""Benchmark how fast the command line starts: `netkoop --help` and `netkoop info` against click.

Every command runs in a fresh process, ``--repeat`` times (default 10); the table gives the
median and minimum wall time of the whole process. The baseline is ``python -c "import click"``
with the same Python, so the figures say what netkoop adds to any click program. Targets
(issue 10): ``--help`` within 0.3 s and at most 4x the baseline, ``info beispielregion`` within
0.8 s.

Run from the repository root: ``.venv/bin/python benchmarks/startup.py [--repeat 10]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import machine

NETKOOP = [sys.executable, "-m", "netkoop"]

#: The commands timed, with the targets they must meet (seconds, and times the baseline).
COMMANDS: dict[str, tuple[list[str], float | None, float | None]] = {
    'python -c "import click"': ([sys.executable, "-c", "import click"], None, None),
    "netkoop --help": ([*NETKOOP, "--help"], 0.3, 4.0),
    "netkoop info beispielregion": ([*NETKOOP, "info", "beispielregion"], 0.8, None),
}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, cwd=Path.cwd())
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="fresh processes per command")
    args = parser.parse_args()
    print(machine("click", "pandas"))
    for command, _, _ in COMMANDS.values():
        timed(command)  # warm the file cache once, untimed
    results = {name: [timed(c) for _ in range(args.repeat)] for name, (c, _, _) in COMMANDS.items()}
    baseline = statistics.median(results['python -c "import click"'])
    print(f"{'command':<30} {'median s':>9} {'min s':>7} {'x click':>8}  target")
    failed = False
    for name, times in results.items():
        median = statistics.median(times)
        _, seconds, ratio = COMMANDS[name]
        targets = [f"<= {seconds} s"] if seconds is not None else []
        targets += [f"<= {ratio}x click"] if ratio is not None else []
        ok = (seconds is None or median <= seconds) and (
            ratio is None or median <= ratio * baseline
        )
        failed |= not ok
        verdict = ("met" if ok else "MISSED") if targets else ""
        print(
            f"{name:<30} {median:>9.3f} {min(times):>7.3f} {median / baseline:>8.1f}  "
            f"{', '.join(targets)} {verdict}".rstrip()
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
