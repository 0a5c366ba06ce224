"""Every script in examples/ runs to the end; the national ones on the official data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import netkoop

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BIN = Path(sys.executable).parent


def run(args, tmp_path, **env):
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_every_example_is_covered_here():
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in {".py", ".sh"}) == [
        "build_national.sh",
        "first_steps.py",
        "uncovered_commuter_pairs.py",
        "whatif_edges.py",
    ]


def test_first_steps_saves_a_loadable_what_if(tmp_path):
    out = run([sys.executable, str(EXAMPLES / "first_steps.py"), str(tmp_path / "out")], tmp_path)
    assert "the baseline is unchanged: 21 ties" in out
    whatif = netkoop.load(tmp_path / "out")
    base = netkoop.load("beispielregion")
    assert len(whatif.units) == len(base.units) - 1
    assert ((whatif.ties["from"] == "lk-nord") & (whatif.ties["to"] == "musterstadt")).sum() == 1


def test_national_build_and_the_largest_uncovered_commuter_pairs(tmp_path, official):
    out = run(["bash", str(EXAMPLES / "build_national.sh"), "deutschland", str(official)], tmp_path)
    assert "Pendlerströme: 46.991 mit 13.459.370 Pendelnden" in out
    assert "Nachbarschaften: 1.044 Paare benachbarter Einheiten" in out

    top = run(
        [sys.executable, str(EXAMPLES / "uncovered_commuter_pairs.py"), "deutschland"], tmp_path
    )
    lines = top.splitlines()
    assert len(lines) == 21
    # Landkreis München <-> München: 71,660 + 86,350 commuters (BA, June 2023), no tie given.
    assert lines[1].split()[:2] == ["158,010", "09184"]
    assert "09162" in lines[1]
