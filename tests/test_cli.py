"""The ``netkoop`` command line as a whole: help of every command through every entry point."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli as run

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "scenarios" / "beispielregion"
COMMANDS = (
    "validate",
    "info",
    "new",
    "scenarios",
    "import",
    "export",
    "metrics",
    "render",
    "compare",
    "simulate",
    "recommend",
    "survey",
    "timeline",
    "report",
)


# --- help ---------------------------------------------------------------------------------


def _help_text_end(output: str) -> str:
    """The last non-empty line of the help text proper (before the Options section)."""
    before = output.split("\nOptions:", 1)[0]
    return [line for line in before.splitlines() if line.strip()][-1].strip()


@pytest.mark.parametrize("command", [None, *COMMANDS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_of_every_command_ends_with_an_example(command: str | None, flag: str) -> None:
    args = [command, flag] if command else [flag]
    result = run(*args)
    assert result.exit_code == 0, result.output
    usage = f"Usage: netkoop {command}" if command else "Usage: netkoop"
    assert result.stdout.startswith(usage), result.stdout
    last = _help_text_end(result.stdout)
    assert last.startswith("Example: netkoop"), result.stdout
    if command:
        assert last.startswith(f"Example: netkoop {command}"), last
    assert result.stderr == ""


def test_group_help_lists_every_command() -> None:
    result = run("--help")
    commands = result.stdout.split("\nCommands:", 1)[1]
    listed = {line.split()[0] for line in commands.splitlines() if line.strip()}
    assert listed == set(COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([str(Path(sys.executable).parent / "netkoop")], id="console-script"),
        pytest.param([sys.executable, "-m", "netkoop"], id="python-m"),
        pytest.param([sys.executable, "cli.py"], id="cli.py-shim"),
    ],
)
def test_help_through_every_entry_point(argv: list[str]) -> None:
    done = subprocess.run(
        [*argv, "--help"], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: netkoop"), done.stdout
    assert _help_text_end(done.stdout).startswith("Example: netkoop")
    for command in COMMANDS:
        assert re.search(rf"^  {command}\b", done.stdout, re.MULTILINE), done.stdout
    assert "Traceback" not in done.stderr
