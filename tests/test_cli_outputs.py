"""Every command that writes keeps the output rule: nothing it did not make is replaced, deleted
or written into, and ``-o -`` writes to standard output.

The scenario of these tests is a hand-written copy of beispielregion with a budget shock, so
that every command (simulate too) reads it; each command's output is pointed at that
scenario's folder, at its scenario.yaml, at one of its tables and at ``.`` inside it, with and
without ``--force``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import REPO, assert_one_error_line, snapshot
from conftest import run_cli as run

Command = Callable[[Path, Path], list[str]]


@pytest.fixture
def handwritten(tmp_path: Path) -> Path:
    """A hand-written scenario folder: beispielregion's files plus a seeded budget shock."""
    folder = tmp_path / "region"
    shutil.copytree(REPO / "scenarios" / "beispielregion", folder)
    with (folder / "scenario.yaml").open("a", encoding="utf-8") as out:
        # A shock that ends nothing: every command runs, simulate too, and nothing warns.
        out.write("\ninterventions:\n  - {do: budget_shock, voluntary: 0, project: 0, seed: 1}\n")
    return folder


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


#: Each writing command, given the scenario and the output to write, as arguments.
COMMANDS: dict[str, Command] = {
    "render": lambda s, o: ["render", str(s), "-o", str(o)],
    "metrics csv": lambda s, o: ["metrics", str(s), "--metric", "structure", "-o", str(o)],
    "metrics json": lambda s, o: [
        "metrics", str(s), "--metric", "structure", "--format", "json", "-o", str(o),
    ],
    "compare csv": lambda s, o: ["compare", str(s), str(s), "--metric", "structure", "-o", str(o)],
    "compare md": lambda s, o: [
        "compare", str(s), str(s), "--metric", "structure", "--format", "markdown", "-o", str(o),
    ],
    "compare html": lambda s, o: ["compare", str(s), str(s), "--metric", "structure", "--html", str(o)],
    "simulate csv": lambda s, o: ["simulate", str(s), "--runs", "2", "-q", "-o", str(o)],
    "simulate json": lambda s, o: [
        "simulate", str(s), "--runs", "2", "-q", "--format", "json", "-o", str(o),
    ],
    "export gexf": lambda s, o: ["export", str(s), "--to", "gexf", "-o", str(o)],
    "recommend csv": lambda s, o: ["recommend", str(s), "--format", "csv", "--output", str(o)],
    "recommend save": lambda s, o: ["recommend", str(s), "--save", str(o)],
    "import od": lambda s, o: [
        "import", "od", str(s / "flows.csv"), "--from", "from", "--to", "to",
        "--commuters", "commuters", "-o", str(o),
    ],
    "new": lambda s, o: ["new", str(o)],
}  # fmt: skip

#: The outputs aimed at the scenario: its folder, its scenario file, a table, and ".".
TARGETS: dict[str, Callable[[Path], Path]] = {
    "folder": lambda handwritten: handwritten,
    "scenario.yaml": lambda handwritten: handwritten / "scenario.yaml",
    "table": lambda handwritten: handwritten / "ties.csv",
    ".": lambda handwritten: Path("."),
}


def _forcing(command: str, target: str) -> list[str | None]:
    """The ways a command is asked to replace: with --force; new not at all; an import with
    --replace, which into the scenario's own folder is the edit it is for (tested apart)."""
    if command == "new":
        return [None]  # new writes into new or empty folders only
    if command.startswith("import"):
        return [None] if target in ("folder", ".") else [None, "--replace"]
    return [None, "--force"]


@pytest.mark.parametrize(
    ("command", "target", "force"),
    [(c, t, f) for c in COMMANDS for t in TARGETS for f in _forcing(c, t)],
)
def test_no_command_writes_over_or_into_its_scenario(
    handwritten: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    target: str,
    force: str | None,
) -> None:
    before = snapshot(handwritten.parent)
    monkeypatch.chdir(handwritten)
    args = COMMANDS[command](handwritten, TARGETS[target](handwritten))
    result = run(*args, *([force] if force else []))
    assert_one_error_line(result, problems_allowed=False)
    assert snapshot(handwritten.parent) == before


def test_a_report_folder_is_new_or_netkoop_s_own_and_replaced_only_with_force(
    handwritten: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bericht"
    first = run("metrics", handwritten, "--metric", "structure", "-o", out)
    assert first.exit_code == 0, first.output
    assert (out / ".netkoop").is_file()
    again = run("metrics", handwritten, "--metric", "structure,kreis", "-o", out)
    assert_one_error_line(again, problems_allowed=False)
    assert "holds a report that netkoop wrote before; pass overwrite=True (--force)" in again.stderr
    (out / "notizen.txt").write_text("mine", encoding="utf-8")
    forced = run("metrics", handwritten, "--metric", "kreis", "-o", out, "--force")
    assert forced.exit_code == 0, forced.output
    names = sorted(p.name for p in out.iterdir())
    assert "notizen.txt" in names
    assert "kreis_ei_units.csv" in names
    assert "structure_units.csv" not in names  # netkoop's own, no longer in the report


def test_files_get_the_normal_permissions(handwritten: Path, tmp_path: Path, umask: None) -> None:
    outputs = {
        "page.html": ["render", handwritten, "-o", tmp_path / "page.html"],
        "netz.gexf": ["export", handwritten, "-o", tmp_path / "netz.gexf"],
        "rec.json": ["recommend", handwritten, "--output", tmp_path / "rec.json"],
        "bericht.xlsx": [
            "metrics",
            handwritten,
            "--metric",
            "structure",
            "-o",
            tmp_path / "bericht.xlsx",
        ],
        "bericht": ["metrics", handwritten, "--metric", "structure", "-o", tmp_path / "bericht"],
        "kopie": ["recommend", handwritten, "-k", "1", "--save", tmp_path / "kopie"],
    }
    for name, args in outputs.items():
        result = run(*args)
        assert result.exit_code == 0, result.output
        path = tmp_path / name
        expected = 0o755 if path.is_dir() else 0o644
        assert stat.S_IMODE(path.stat().st_mode) == expected, name
    for name in ("bericht", "kopie"):
        for file in (tmp_path / name).iterdir():
            assert stat.S_IMODE(file.stat().st_mode) == 0o644, file
    left = [p.name for p in tmp_path.iterdir() if "netkoop-tmp" in p.name]
    assert left == []


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["metrics", "beispielregion", "--metric", "structure", "--format", "json"], '{\n "name"'),
        (["compare", "beispielregion", "beispielregion", "--metric", "structure", "--format",
          "markdown"], "# Metrics: beispielregion → beispielregion"),
        (["render", "beispielregion"], "<!DOCTYPE html>"),
        (["export", "beispielregion", "--to", "graphml"], "<?xml"),
        (["recommend", "beispielregion", "--format", "json"], "[\n {\n  \"from\""),
    ],
)  # fmt: skip
def test_dash_writes_to_standard_output_and_never_a_file_named_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], starts: str
) -> None:
    monkeypatch.chdir(tmp_path)
    option = "--output" if args[0] == "recommend" else "-o"
    result = run(*args, option, "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(starts)
    assert "Wrote" not in result.stdout
    assert list(tmp_path.iterdir()) == []
    if starts.startswith(("{", "[")):
        json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["metrics", "beispielregion", "-o", "-"], "name the format with --format"),
        (["metrics", "beispielregion", "--format", "csv", "-o", "-"], "a CSV report is a folder"),
        (["metrics", "beispielregion", "--format", "xlsx", "-o", "-"], "xlsx report cannot go"),
        (["export", "beispielregion", "-o", "-"], "name the format with --to"),
        (["recommend", "beispielregion", "--save", "-"], "name a folder instead of '-'"),
    ],
)
def test_dash_refuses_what_is_no_single_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert_one_error_line(result, problems_allowed=False)
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
