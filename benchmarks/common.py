"""What the benchmark scripts share: where the data lives, child processes, machine facts.

The scripts run as ``python benchmarks/NAME.py``, so this folder is on ``sys.path`` and they
import this module as ``common``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"

#: The derived tables every national benchmark reads.
DERIVED = ("kreise.csv", "pendler_kreise_od.csv")


def add_data_argument(parser: argparse.ArgumentParser, note: str = "") -> None:
    """Add ``--data``: the shared data folder (default $NETKOOP_SHARED_DATA or ../shared/data)."""
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("NETKOOP_SHARED_DATA", DEFAULT_DATA)),
        help="shared data folder holding derived/ (default: $NETKOOP_SHARED_DATA or "
        f"../shared/data beside the repository){note}",
    )


def derived_folder(data: Path, names: tuple[str, ...] = DERIVED) -> Path | None:
    """The folder under ``data`` (``derived/`` or ``data`` itself) holding ``names``."""
    for candidate in (data / "derived", data):
        if all((candidate / name).is_file() for name in names):
            return candidate.resolve()
    return None


def find_derived(data: Path, names: tuple[str, ...] = DERIVED) -> Path:
    """`derived_folder`, or exit with a message naming what is missing where."""
    found = derived_folder(data, names)
    if found is None:
        sys.exit(
            f"no derived tables ({', '.join(names)}) under {data}; "
            "pass --data or set NETKOOP_SHARED_DATA"
        )
    return found


def yaml_string(value: str | Path) -> str:
    """Quote a path for YAML (a JSON string is a valid double-quoted YAML scalar)."""
    return json.dumps(str(value), ensure_ascii=False)


def python_child(script: str, *args: str, cwd: Path | None = None) -> str:
    """Run ``script`` with ``args`` in a fresh Python; return the last line it printed."""
    command = [sys.executable, str(Path(script).resolve()), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:2])} failed (exit {done.returncode}):\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (``ru_maxrss``)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def status_mb(field: str) -> float | None:
    """A field of /proc/self/status in MiB (Linux): VmHWM (peak RSS) or VmRSS (current)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return None


def machine(*packages: str) -> str:
    """One line: architecture, cores, Python and the versions of ``packages``."""
    versions = "".join(f", {name} {version(name)}" for name in packages)
    return (
        f"machine: {platform.machine()}, nproc {os.cpu_count()}, "
        f"python {platform.python_version()}{versions}, {platform.system()} {platform.release()}"
    )


def ordinal(sorted_groups: np.ndarray) -> np.ndarray:
    """1, 2, 3 ... within each run of equal values of a sorted array."""
    import numpy as np  # noqa: PLC0415

    return np.arange(len(sorted_groups)) - np.searchsorted(sorted_groups, sorted_groups) + 1


def land_forums(lands: pd.Series) -> pd.DataFrame:
    """One forum unit per Land key in ``lands`` (``forum-09``, "Landesnetzwerk Integration 09")."""
    import pandas as pd  # noqa: PLC0415

    codes = sorted(lands.dropna().unique())
    return pd.DataFrame(
        {
            "id": [f"forum-{c}" for c in codes],
            "name": [f"Landesnetzwerk Integration {c}" for c in codes],
            "kind": "forum",
            "land": codes,
        }
    )


def illustrative_ties(
    kreise: pd.DataFrame, borders: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Exchange ties on a quarter of the neighbouring pairs (``kreis_a``, ``kreis_b``) with a
    random intensity, and memberships of 60 % of the Kreise in their Land's forum
    (`land_forums`), drawn from ``rng`` in that order."""
    import pandas as pd  # noqa: PLC0415

    chosen = borders[rng.random(len(borders)) < 0.25]
    exchange = pd.DataFrame(
        {
            "from": chosen["kreis_a"],
            "to": chosen["kreis_b"],
            "kind": "exchange",
            "intensity": rng.choice(["occasional", "regular", "intensive"], len(chosen)),
        }
    )
    members = kreise[rng.random(len(kreise)) < 0.6]
    membership = pd.DataFrame(
        {"from": members["id"], "to": "forum-" + members["land"], "kind": "membership"}
    )
    return pd.concat([exchange, membership], ignore_index=True)
