"""Every script in examples/ runs to the end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script, tmp_path):
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr


def test_first_steps_saves_a_loadable_what_if(tmp_path):
    import netkoop

    script = next(p for p in EXAMPLES if p.name == "first_steps.py")
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")], check=True, capture_output=True
    )
    whatif = netkoop.load(tmp_path / "out")
    base = netkoop.load("beispielregion")
    assert len(whatif.units) == len(base.units) - 1
    assert ((whatif.ties["from"] == "lk-nord") & (whatif.ties["to"] == "musterstadt")).sum() == 1
