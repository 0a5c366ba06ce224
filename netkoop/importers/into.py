"""Add an imported table to a scenario folder: its own table file, one reference in the scenario.

The first import into a new or empty folder creates the scenario (``scenario.yaml`` and the
table file). Later imports write their table file beside it and change only the lines of
``scenario.yaml`` that name it (see `netkoop.scenario.edit`): hand-written comments, inline
tables and ``interventions:`` stay, nothing is re-saved from a loaded network (so no random
intervention is ever written into a table), and no file the import reads is written over.
Imports into one folder take turns: each holds a lock while it reads and writes.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import os
import re
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import filelock
import pandas as pd

from netkoop._errors import NetkoopError, NetkoopWarning, OutputError, Problem, ScenarioError
from netkoop.importers.geometry import fit_outlines, outlines_after, replaced_outlines
from netkoop.importers.imported import Imported
from netkoop.model.folder import SCENARIO_FILE
from netkoop.model.metadata import Metadata
from netkoop.model.network import Network
from netkoop.model.outlines import outlines_geojson
from netkoop.output.files import Paths, edit_file, read_marker, write_folder, write_own_file
from netkoop.output.values import escape_formulas
from netkoop.scenario.document import display_path
from netkoop.scenario.edit import TableEdit, edit_scenario_text, new_scenario_text
from netkoop.scenario.load import validate

#: The ending of each table's file where it is not .csv.
_SUFFIXES = {"outlines": ".geojson"}

#: Seconds an import waits for another import into the same folder to finish.
LOCK_WAIT = 120.0


class Written(NamedTuple):
    """What `write_into` did: the scenario's network after the import, and the table written
    (for outlines those of the scenario's places, with notes on what was left out)."""

    network: Network
    imported: Imported


def import_into(
    folder: str | Path,
    imported: Imported,
    *,
    name: str | None = None,
    replace: bool = False,
    inputs: Paths = (),
) -> Network:
    """Add an imported table to the scenario in ``folder``, creating the scenario if needed.

    The same as `write_into`, returning its network only.
    """
    return write_into(folder, imported, name=name, replace=replace, inputs=inputs).network


def write_into(
    folder: str | Path,
    imported: Imported,
    *,
    name: str | None = None,
    replace: bool = False,
    inputs: Paths = (),
) -> Written:
    """Add an imported table to the scenario in ``folder``, creating the scenario if needed.

    Outlines are fitted to the scenario first (`fit_outlines`): only those of its places and
    Länder are added, and the scenario keeps the outlines it has of other places. Outlines
    dissolved from the file's polygons (Länder from Kreise; Kreise and Länder from Gemeinden)
    only add places that have none, so importing Gemeinden keeps the scenario's Kreis and
    Land outlines.

    Parameters
    ----------
    folder
        The scenario folder: a new or empty one for the first import (the units), else the
        folder of an existing ``scenario.yaml``, hand-written or not.
    imported
        The table to add.
    name
        The scenario's name when it is created (default: the folder's name).
    replace
        Point the scenario at the new table although it has rows in that table already. The
        old table file stays as it is unless netkoop wrote it. For outlines: replace the
        scenario's outlines of the places the file has at its own level; all others stay.
    inputs
        The files the table was read from; none of them is ever written over.

    Returns
    -------
    Written
        The network the scenario's tables describe, with the imported table (before the
        scenario's interventions, which run on every load), and the table as written.

    Raises
    ------
    NetkoopError
        When the scenario has that table already (for outlines: outlines of the file's
        places at the file's level) and ``replace`` is False, when flows or
        borders are imported into a folder without a scenario, or another import into the
        folder does not finish within `LOCK_WAIT` seconds.
    ScenarioError
        When the scenario is not valid before the import, or would not be after it; problems
        in the imported rows name the file and row they were read from.
    OutputError
        When the folder holds other files but no scenario.

    Warns
    -----
    NetkoopWarning
        When the usual table file (``flows.csv``) exists and netkoop did not write it: the
        table goes to a file of its own (``flows-2.csv``) and the other file stays.
    """
    target = Path(folder)
    with _locked(target):
        scenario = target / SCENARIO_FILE
        if scenario.is_file():
            return _add(scenario, imported, replace=replace, inputs=inputs)
        if imported.table != "units":
            raise NetkoopError(
                f"{target} has no scenario yet; import the units first "
                "(netkoop import gv-isys FILE -o DIR), then flows, borders and outlines"
            )
        return _create(target, imported, name or target.name)


def _create(folder: Path, imported: Imported, name: str) -> Written:
    # The rows are checked before anything is written; problems name the imported rows.
    metadata = Metadata(
        name=name,
        reference_date=imported.reference_date,
        population_date=imported.population_date,
        sources=imported.credits,
    )
    try:
        network = Network.from_tables(imported.frame, metadata=metadata)
    except ScenarioError as exc:
        located = _located(exc.problems, "units", 1, imported.origins)
        raise ScenarioError(str(folder / SCENARIO_FILE), located) from None
    file = f"{imported.table}.csv"
    edit = TableEdit("units", file, imported.credits, imported.reference_date)
    text = _with_population_date(new_scenario_text(name, edit), imported.population_date)
    files = {SCENARIO_FILE: text, file: _csv(imported)}
    write_folder(folder, files, kind="scenario")
    return Written(network, imported)


def _add(scenario: Path, imported: Imported, *, replace: bool, inputs: Paths) -> Written:
    folder = scenario.parent
    table = imported.table
    before = validate(scenario)
    if before.tables is None:
        raise ScenarioError(before.source, before.problems)
    content = None
    if table == "outlines":
        present_outlines = before.tables.outlines
        imported = fit_outlines(imported, before.tables.units, present=present_outlines)
        replacing = replaced_outlines(present_outlines, imported.frame)
        if len(replacing) and not replace:
            raise NetkoopError(
                f"{folder} already has {len(replacing):,} of these outlines "
                f"({_listed_outlines(replacing)}); pass --replace to replace them (the "
                "scenario's other outlines stay)"
            )
        content = outlines_geojson(outlines_after(present_outlines, imported.frame))
    present = len(getattr(before.tables, table))
    if table != "outlines" and present and not replace:
        raise NetkoopError(
            f"{folder} already has {present:,} {table}; pass --replace to replace them"
        )
    text = scenario.read_text(encoding="utf-8-sig")
    protected = [Path(os.path.realpath(p)) for p in inputs]
    file = _free_name(folder, table, protected, _SUFFIXES.get(table, ".csv"))
    edit = TableEdit(table, file, imported.credits, imported.reference_date)
    edited = edit_scenario_text(text, edit, known=before.tables.metadata.sources)
    edited = _with_population_date(edited, imported.population_date)
    target = folder / file
    old = target.read_bytes() if target.exists() else None
    write_own_file(folder, file, content or _content(imported), protect=protected)
    after = validate(scenario, text=edited)
    if after.network is None or after.tables is None:
        _undo(target, old)
        located = _located(after.problems, display_path(target), 2, imported.origins)
        raise ScenarioError(after.source, located)
    try:
        edit_file(scenario, edited, expected=text)
    except BaseException:
        _undo(target, old)
        raise
    return Written(after.tables, imported)


_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:", re.MULTILINE)


def _with_population_date(text: str, date: str | None) -> str:
    """Add ``population_date:`` after the reference date when the scenario states none.

    The table edit writes the reference date (Gebietsstand) only; the population date of a
    register (Bevölkerungsstand) goes on the line after it, or after ``format_version`` (which
    every valid scenario has) when there is none. Both keys take one line, and the edit has
    made sure that the file is a block mapping, whose keys start at column 0.
    """
    keys = {m["key"]: m.start() for m in _TOP_KEY.finditer(text)}
    anchor = keys.get("reference_date", keys.get("format_version"))
    if not date or "population_date" in keys or anchor is None:
        return text
    end = text.find("\n", anchor) + 1 or len(text)
    before = text[:end] if text[:end].endswith("\n") else text[:end] + "\n"
    return f"{before}population_date: {date}\n{text[end:]}"


def _free_name(folder: Path, table: str, protected: Sequence[Path], suffix: str) -> str:
    """The table's usual file (``flows.csv``), or ``flows-2.csv``... when that is not netkoop's."""
    marker = _own_files(folder)
    for number in range(1, 1000):
        name = f"{table}{suffix}" if number == 1 else f"{table}-{number}{suffix}"
        path = folder / name
        if Path(os.path.realpath(path)) in protected:
            continue
        if not path.exists() or name in marker:
            if number > 1:
                warnings.warn(
                    f"{folder / f'{table}{suffix}'} exists and netkoop did not write it, so it "
                    f"stays as it is; the scenario now reads the imported {table} from {name}",
                    NetkoopWarning,
                    stacklevel=4,
                )
            return name
    raise OutputError(f"{folder} holds {table}{suffix} to {table}-999{suffix}; clear some of them")


def _own_files(folder: Path) -> set[str]:
    made = read_marker(folder)
    return made[1] if made is not None and made[0] == "scenario" else set()


def _listed_outlines(outlines: pd.DataFrame) -> str:
    """The level and first ids of outlines, e.g. ``kreis 01001, 01002, ...``."""
    parts = []
    for level, ids in outlines.groupby("level", sort=False)["id"]:
        shown = ", ".join(ids.head(3)) + (", ..." if len(ids) > 3 else "")
        parts.append(f"{level} {shown}")
    return "; ".join(parts)


def _csv(imported: Imported) -> str:
    return escape_formulas(imported.frame).to_csv(index=False, lineterminator="\n")


def _content(imported: Imported) -> str:
    """The file of an imported table: CSV, or GeoJSON for outlines."""
    if imported.table == "outlines":
        return outlines_geojson(imported.frame)
    return _csv(imported)


def _undo(target: Path, old: bytes | None) -> None:
    """Put the table file back as it was before the import wrote it."""
    if old is None:
        target.unlink(missing_ok=True)
    else:
        target.write_bytes(old)


_ROW = re.compile(r"^(?P<label>.+), row (?P<row>\d+)(?P<rest>.*)$")


def _located(
    problems: Sequence[Problem], label: str, first: int, origins: Sequence[str]
) -> list[Problem]:
    """Name the imported rows' own places (input file and row) in the problems about them."""
    if not origins:
        return list(problems)
    out = []
    for problem in problems:
        match = _ROW.match(problem.where)
        position = int(match["row"]) - first if match and match["label"] == label else -1
        if match and 0 <= position < len(origins):
            where = origins[position] + match["rest"]
            out.append(dataclasses.replace(problem, where=where))
        else:
            out.append(problem)
    return out


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the lock of imports into ``folder``; it is kept outside the folder, which gets no
    lock file."""
    key = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:32]
    locks = Path(tempfile.gettempdir()) / f"netkoop-locks-{getpass.getuser()}"
    locks.mkdir(exist_ok=True)
    lock = filelock.FileLock(locks / f"{key}.lock", timeout=LOCK_WAIT)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise NetkoopError(
            f"another netkoop import into {folder} did not finish within {LOCK_WAIT:.0f} s; "
            "try again when it has"
        ) from None
    try:
        yield
    finally:
        lock.release()
