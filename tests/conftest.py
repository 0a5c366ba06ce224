"""Shared fixtures and helpers: tiny scenarios, hand-made networks, pages, the official data."""

from __future__ import annotations

import json
import random
import re
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result

import netkoop
from netkoop import NetkoopWarning, Network
from netkoop.cli import main

REPO = Path(__file__).resolve().parents[1]

#: The official files the tests read (Destatis, BKG, BA, and tables derived from them), kept in
#: the repository with their SOURCE.txt: the suite never looks beyond it.
OFFICIAL = REPO / "tests" / "data" / "official"

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
    """A scenario of the national tables in ``tests/data/official/derived``, for `write_scenario`.

    The 400 Kreise (with their Land, population, centroid), with ``gemeinden`` the 10,873
    kreisangehörige Gemeinden below them, the BA commuter flows between Kreise, with
    ``borders`` the pairs of neighbouring Kreise; ``more`` is appended (e.g. interventions).
    """
    units = f"""
          - file: {derived / "kreise.csv.gz"}
            columns: {{id: kreis_ags, land: land_code, population: bevoelkerung,
                       lat: centroid_lat, lon: centroid_lon, land_name: land}}"""
    if gemeinden:
        units += f"""
          - file: {derived / "gemeinden.csv.gz"}
            where: {{gemeinde_typ_code: [60, 63, 64, 65, 66, 67]}}
            columns: {{id: ags, parent: kreis_ags, land: land_code, population: bevoelkerung,
                       land_name: land}}
            set: {{kind: gemeinde}}"""
    text = f"""
        name: {name}
        files_outside: true
        reference_date: 2023-12-31
        units:{units}
        flows:
          file: {derived / "pendler_kreise_od.csv.gz"}
          columns: {{from: wohnort_kreis, to: arbeitsort_kreis, commuters: insgesamt}}
        """
    if borders:
        text += f"""borders:
          file: {derived / "kreis_adjacency.csv.gz"}
          columns: {{from: kreis_a, to: kreis_b, length_km: shared_border_km}}
        """
    return text + textwrap.indent(textwrap.dedent(more), " " * 8)


@pytest.fixture
def national(official: Path, write_scenario: ScenarioWriter) -> Path:
    """The national scenario: Kreise, Gemeinden and commuter flows (no ties)."""
    return write_scenario(national_yaml(official / "derived"), folder="deutschland")


@pytest.fixture
def official() -> Path:
    """The folder of official files in the repository (tests/data/official)."""
    return OFFICIAL


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


# --- pages ------------------------------------------------------------------------------

XSS = "<img src=x onerror=alert(1)>"
CLOSER = "</script><script>alert(2)</script>"


def page_data(page: str) -> dict[str, Any]:
    """The JSON data embedded in a page."""
    found = re.search(
        r'<script type="application/json" id="netkoop-data">(.*?)</script>', page, re.S
    )
    assert found, "no data element in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def quiet_load(name: str) -> netkoop.Network:
    """Load a bundled scenario without its warnings (a bundled what-if may leave isolates)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        return netkoop.load(name)


@pytest.fixture(scope="session")
def region() -> netkoop.Network:
    """The bundled beispielregion, loaded once (a network never changes)."""
    return netkoop.load("beispielregion")


@pytest.fixture(scope="session")
def region_page(region: netkoop.Network) -> str:
    """The page of beispielregion."""
    from netkoop.render import to_html

    return to_html(region)


def xss_network() -> netkoop.Network:
    """Units, a tie, a title and a credit whose text is markup meant to run script."""
    units: list[dict[str, Any]] = [
        {"id": "a", "name": XSS, "kind": "kreisfreie_stadt", "land": "09", "population": 1000},
        {"id": "b", "name": CLOSER, "kind": "landkreis", "land": "09", "population": 2000},
        {"id": "c", "name": "Straße & Söhne <b>", "kind": "landkreis", "land": "09"},
    ]
    ties = [{"from": "a", "to": "b", "kind": "exchange", "source": "<script>alert(3)</script>"}]
    flows = [{"from": "b", "to": "a", "commuters": 500}, {"from": "c", "to": "a", "commuters": 90}]
    metadata = netkoop.Metadata(
        name="xss",
        title="<svg onload=alert(4)>",
        sources=(netkoop.Credit("Quelle <i>", credit="©", url="javascript:alert(5)"),),
    )
    return netkoop.Network.from_tables(units, ties, flows, metadata=metadata)


# --- networks of every unit kind ----------------------------------------------------------

Unit = tuple[str, str, str | None]


def build(units: list[Unit], ties: list[tuple[str, str, str]] | None = None) -> Network:
    """A network from (id, kind, parent) units and (from, to, kind) ties."""
    rows = [{"id": i, "name": i, "kind": k, "land": "03", "parent": p} for i, k, p in units]
    tie_rows = [{"from": a, "to": b, "kind": k} for a, b, k in ties or []]
    return Network.from_tables(rows, tie_rows or None)


#: Seven units of every kind but Land, without ties.
MIXING_UNITS: list[Unit] = [
    ("A", "landkreis", None),
    ("B", "landkreis", None),
    ("S", "kreisfreie_stadt", None),
    ("a1", "gemeinde", "A"),
    ("a2", "gemeinde", "A"),
    ("b1", "gemeinde", "B"),
    ("F", "forum", None),
]


def random_kinds_network(
    seed: int, *, kreise: int = 6, gemeinden: int = 24, ties: int = 70
) -> Network:
    """A seeded random network with every unit kind and undirected and directed tie kinds."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    landkreise = [f"lk{i}" for i in range(kreise - 2)]
    units: list[Unit] = [(i, "landkreis", None) for i in landkreise]
    units += [("kfs0", "kreisfreie_stadt", None), ("kfs1", "kreisfreie_stadt", None)]
    units += [(f"g{i:02d}", "gemeinde", rng.choice(landkreise)) for i in range(gemeinden)]
    units += [("land", "land", None), ("f0", "forum", None), ("f1", "forum", None)]
    places = [u[0] for u in units if u[1] != "forum"]
    everyone = [u[0] for u in units]
    kreis_of = {i: p or i for i, k, p in units if k != "forum"}
    rows = []
    for _ in range(ties):
        kind = rng.choices(
            ["exchange", "joint_project", "service_opening", "membership"], [5, 2, 2, 2]
        )[0]
        if kind == "membership":
            rows.append((rng.choice(places), rng.choice(["f0", "f1"]), kind))
            continue
        a, b = rng.sample(everyone if kind == "exchange" else places, 2)
        if a in kreis_of and rng.random() < 0.5:  # half the ties stay inside a's Kreis
            same = [u for u, k in kreis_of.items() if k == kreis_of[a] and u != a]
            b = rng.choice(same) if same else b
        rows.append((a, b, kind))
    return build(units, rows)


# --- a hand-made network for the interventions ------------------------------------------

HAND_UNITS = [
    {"id": "ka", "name": "Landkreis A", "kind": "landkreis", "land": "03"},
    {"id": "kb", "name": "Landkreis B", "kind": "landkreis", "land": "03"},
    {"id": "st", "name": "Stadt", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "a1", "name": "A eins", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a2", "name": "A zwei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a3", "name": "A drei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "b1", "name": "B eins", "kind": "gemeinde", "land": "03", "parent": "kb"},
    {"id": "f", "name": "AG Integration", "kind": "forum", "land": "03"},
]
HAND_OFFICES = {"ka": "project", "kb": "mandatory", "st": "permanent", "a1": "project"}
HAND_TIES = [
    {"from": "a1", "to": "a2", "kind": "exchange", "funding": "voluntary"},
    {"from": "a2", "to": "a3", "kind": "shared_staff", "funding": "project"},
    {"from": "a1", "to": "ka", "kind": "exchange", "funding": "mandatory"},
    {"from": "ka", "to": "st", "kind": "exchange"},
    {"from": "st", "to": "ka", "kind": "service_opening", "funding": "project"},
    {"from": "ka", "to": "f", "kind": "membership", "funding": "voluntary"},
]
HAND_FLOWS = [
    {"from": "a1", "to": "st", "commuters": 500},
    {"from": "st", "to": "a1", "commuters": 100},
    {"from": "a2", "to": "b1", "commuters": 50},
    {"from": "b1", "to": "a2", "commuters": 60},
    {"from": "ka", "to": "st", "commuters": 300},
]
HAND_BORDERS = [{"from": "ka", "to": "st"}, {"from": "kb", "to": "st"}]

Pairs = list[tuple[str, str]]


@pytest.fixture
def hand_made() -> Network:
    """Two Landkreise (ka with a1-a3, kb with b1), a kreisfreie Stadt st, a forum f."""
    units = [
        {**u, "coordination_office": HAND_OFFICES.get(u["id"], "none")}
        if u["kind"] != "forum"
        else u
        for u in HAND_UNITS
    ]
    return Network.from_tables(units, HAND_TIES, HAND_FLOWS, borders=HAND_BORDERS)


def pairs(ties: pd.DataFrame) -> Pairs:
    return list(zip(ties["from"], ties["to"], strict=True))


def added(before: Network, after: Network) -> pd.DataFrame:
    """The ties after the input's ties (interventions append new ties at the end)."""
    assert after.ties.iloc[: len(before.ties)].equals(before.ties)
    return after.ties.iloc[len(before.ties) :].reset_index(drop=True)


def removed(before: Network, after: Network) -> Pairs:
    ties = before.ties
    kept = set(zip(after.ties["from"], after.ties["to"], after.ties["kind"], strict=True))
    return [
        (a, b)
        for a, b, k in zip(ties["from"], ties["to"], ties["kind"], strict=True)
        if (a, b, k) not in kept
    ]


# --- problems of tiny scenarios ------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the scenario folder, so that messages name files as ``units.csv``."""
    scenario = tmp_path / "scenario"
    scenario.mkdir()
    monkeypatch.chdir(scenario)
    return scenario


#: (severity, where, field, value, a distinctive part of the message)
Expected = tuple[str, str, str | None, str | None, str]

KREISE = """\
id,name,kind,land,parent
a,Landkreis A,landkreis,09,
b,Landkreis B,landkreis,09,
"""

WITH_FORUM = KREISE + "ag,AG Integration,forum,,\n"


@pytest.fixture
def tables(write_scenario) -> Callable[..., Path]:
    """Write a scenario of CSV tables only: ``tables(units=..., flows=...)``."""

    def write(**csv: str) -> Path:
        yaml = "".join(f"{table}: {{file: {table}.csv}}\n" for table in csv)
        return write_scenario(yaml, **{f"{table}__csv": text for table, text in csv.items()})

    return write


def assert_problems(path: Path, *expected: Expected) -> netkoop.Validation:
    """Validate ``path`` once and check that it finds exactly ``expected``, in any order."""
    result = netkoop.validate(path)
    found = result.problems
    unmatched = list(found)
    for severity, where, field, value, says in expected:
        match = [
            p
            for p in unmatched
            if (p.severity, p.where, p.field, p.value) == (severity, where, field, value)
            and says in p.message
        ]
        assert match, f"expected {severity} at {where} ({field}={value!r}: {says!r}) in {found}"
        unmatched.remove(match[0])
    assert not unmatched, f"unexpected problems: {unmatched}"
    return result
