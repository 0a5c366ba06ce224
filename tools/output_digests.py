"""Print the sha256 of what the main commands write for every bundled scenario.

Run it before and after a change that should not change any output (a refactoring) and
compare the two listings: ``python tools/output_digests.py > before.txt``. It calls the
installed ``netkoop`` command beside this Python, in a fresh temporary folder.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

NETKOOP = str(Path(sys.executable).parent / "netkoop")

#: The bundled scenarios and the scenario each is compared with.
BASES = {
    "beispielregion": "beispielregion",
    "zwei-welten-2020": "zwei-welten-2020",
    "pflichtaufgabe": "zwei-welten-2020",
    "haushaltskrise": "zwei-welten-2020",
    "haushaltskrise-pflichtaufgabe": "pflichtaufgabe",
    "regionalverbund": "zwei-welten-2020",
}

#: Scenarios with a random intervention, which `simulate` takes.
RANDOM = ("haushaltskrise", "haushaltskrise-pflichtaufgabe")


def run(folder: Path, *args: str) -> bytes:
    done = subprocess.run([NETKOOP, *args], cwd=folder, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"netkoop {' '.join(args)} failed:\n{done.stderr.decode()}")
    return done.stdout


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows: list[tuple[str, bytes]] = []

        def file(label: str, name: str, *args: str) -> None:
            run(folder, *args)
            rows.append((label, (folder / name).read_bytes()))

        for name, base in BASES.items():
            file(f"render {name}", f"{name}.html", "render", name, "-o", f"{name}.html")
            rows.append((f"metrics {name} json", run(folder, "metrics", name, "--format", "json")))
            for suffix in ("gexf", "graphml", "json"):
                out = f"{name}.export.{suffix}"
                file(f"export {name} {suffix}", out, "export", name, "-o", out)
            out = f"{name}.compare.json"
            file(f"compare {base} {name} json", out, "compare", base, name, "-o", out)
            rows.append((f"compare {base} {name} text", run(folder, "compare", base, name)))
            out = f"{name}.diff.html"
            file(f"compare {base} {name} html", out, "compare", base, name, "--html", out)
            out = f"{name}.recommend.csv"
            file(f"recommend {name} csv", out, "recommend", name, "-k", "5", "--output", out)
            for objective in ("commuter-coverage", "connectivity"):
                said = run(folder, "recommend", name, "-k", "5", "--objective", objective)
                rows.append((f"recommend {name} {objective} text", said))
        for name in (*RANDOM, ",".join(RANDOM)):
            names = name.split(",")
            out = f"{name}.simulate.json".replace(",", "+")
            file(f"simulate {' '.join(names)} json", out, "simulate", *names, "--runs", "50",
                 "--quiet", "-o", out)  # fmt: skip
            said = run(folder, "simulate", *names, "--runs", "50", "--quiet")
            rows.append((f"simulate {' '.join(names)} text", said))
        for label, data in rows:
            print(f"{digest(data)}  {label}")


if __name__ == "__main__":
    main()
