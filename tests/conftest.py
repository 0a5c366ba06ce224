"""Shared fixtures: tiny scenarios written to tmp_path, and the official data in ../shared/data."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netkoop.cli import main

REPO = Path(__file__).resolve().parents[1]

#: Official reference data (Destatis, BKG, BA); CI provides it beside the repository.
SHARED_DATA = Path(os.environ.get("NETKOOP_SHARED_DATA", REPO.parent / "shared" / "data"))

MINIMAL_UNITS = """\
id,name,kind,land,parent,population
09162,München,kreisfreie_stadt,09,,1510378
09184,Landkreis München,landkreis,09,,350473
09184119,Garching b.München,gemeinde,09,09184,17577
09184149,Unterschleißheim,gemeinde,09,09184,29102
ag-by,AG Integration Bayern,forum,09,,
"""

MINIMAL_TIES = """\
from,to,kind,intensity
09184119,09184149,exchange,regular
09184,ag-by,membership,regular
09162,ag-by,membership,intensive
09162,09184,service_opening,occasional
"""

MINIMAL_FLOWS = """\
from,to,commuters,foreign
09184,09162,71660,9120
09162,09184,30440,4210
"""

ScenarioWriter = Callable[..., Path]


def run_cli(*args: str | Path) -> Result:
    """Invoke the command line in-process; fail on any exception that is not a plain exit."""
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="netkoop")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"netkoop {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}"
        ) from result.exception
    assert "Traceback" not in result.output
    return result


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Error:")]


def problem_lines(text: str) -> list[str]:
    """The lines of a printed problem list ("  error   ..." / "  warning ...")."""
    return [line for line in text.splitlines() if re.match(r"  (error|warning) ", line)]


def assert_one_error_line(result: Result, *, problems_allowed: bool) -> None:
    """stderr holds exactly one ``Error:`` line, followed only by problem lines if allowed."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(error_lines(result.stderr)) == 1, result.stderr
    assert lines[0].startswith("Error:"), result.stderr
    rest = lines[1:]
    if problems_allowed:
        assert rest == problem_lines(result.stderr), result.stderr
    else:
        assert rest == [], result.stderr
    assert "Traceback" not in result.output


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) below ``root``, by relative path."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def national_yaml(
    derived: Path,
    *,
    name: str = "deutschland-kreise",
    gemeinden: bool = True,
    borders: bool = False,
    more: str = "",
) -> str:
    """A scenario of the national tables in ``shared/data/derived``, for `write_scenario`.

    The 400 Kreise (with their Land, population, centroid), with ``gemeinden`` the 10,857
    kreisangehörige Gemeinden below them, the BA commuter flows between Kreise, with
    ``borders`` the pairs of neighbouring Kreise; ``more`` is appended (e.g. interventions).
    """
    units = f"""
          - file: {derived / "kreise.csv"}
            columns: {{id: kreis_ags, land: land_code, population: bevoelkerung,
                       lat: centroid_lat, lon: centroid_lon, land_name: land}}"""
    if gemeinden:
        units += f"""
          - file: {derived / "gemeinden.csv"}
            where: {{gemeinde_typ_code: [60, 63, 64, 65, 66, 67]}}
            columns: {{id: ags, parent: kreis_ags, land: land_code, population: bevoelkerung,
                       land_name: land}}
            set: {{kind: gemeinde}}"""
    text = f"""
        name: {name}
        reference_date: 2023-12-31
        units:{units}
        flows:
          file: {derived / "pendler_kreise_od.csv"}
          columns: {{from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt}}
        """
    if borders:
        text += f"""borders:
          file: {derived / "kreis_adjacency.csv"}
          columns: {{from: kreis_a, to: kreis_b, length_km: shared_border_km}}
        """
    return text + textwrap.indent(textwrap.dedent(more), " " * 8)


@pytest.fixture
def national(shared_data: Path, write_scenario: ScenarioWriter) -> Path:
    """The national scenario: Kreise, Gemeinden and commuter flows (no ties)."""
    return write_scenario(national_yaml(shared_data / "derived"), folder="deutschland")


@pytest.fixture
def shared_data() -> Path:
    """The folder with the official data; its absence is a failure, not a skip."""
    assert SHARED_DATA.is_dir(), (
        f"official data expected at {SHARED_DATA} (set NETKOOP_SHARED_DATA)"
    )
    return SHARED_DATA


@pytest.fixture
def write_scenario(tmp_path: Path) -> ScenarioWriter:
    """Write a scenario folder: ``write_scenario(yaml_text, **files)`` returns the YAML path.

    ``files`` maps file names (dots written as ``__``, e.g. ``units__csv``) to text or bytes.
    YAML text is dedented; ``format_version: 1`` is prepended unless the text has one.
    """

    def write(
        yaml_text: str, folder: str = "scenario", name: str = "scenario.yaml", **files: str | bytes
    ) -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(yaml_text)
        if "format_version" not in text:
            text = "format_version: 1\n" + text
        (root / name).write_text(text, encoding="utf-8")
        for file_name, content in files.items():
            path = root / file_name.replace("__", ".")
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root / name

    return write


@pytest.fixture
def minimal(write_scenario: ScenarioWriter) -> Path:
    """A valid scenario around München with CSV tables: 5 units, 4 ties, 2 flows."""
    return write_scenario(
        """
        name: minimal
        units: {file: units.csv}
        ties: {file: ties.csv}
        flows: {file: flows.csv}
        """,
        units__csv=MINIMAL_UNITS,
        ties__csv=MINIMAL_TIES,
        flows__csv=MINIMAL_FLOWS,
    )
