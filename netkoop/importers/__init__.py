"""Importers of official data: each module reads one published file layout into a netkoop table.

Every importer returns an `Imported` table in netkoop's vocabulary (the same columns a scenario
file would give) with the credits its licence asks for; `import_into` adds it to a scenario
folder, creating the scenario on the first import.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.model.folder import SCENARIO_FILE
from netkoop.model.metadata import Credit, Metadata
from netkoop.model.network import Network
from netkoop.model.tables import TABLE_NAMES
from netkoop.scenario.load import load

Table = Literal["units", "flows", "borders"]


@dataclass(frozen=True)
class Imported:
    """One table read from an official file, ready to join a scenario.

    Parameters
    ----------
    table
        Which table of the scenario the rows belong to.
    frame
        The rows, with netkoop's column names and string ids.
    credits
        Attributions that the source's licence requires.
    reference_date
        The date the data describes (ISO), if the file states it.
    notes
        What was left out or derived, in words, e.g. "skipped 412 'Übrige Kreise' rows".
    """

    table: Table
    frame: pd.DataFrame
    credits: tuple[Credit, ...]
    reference_date: str | None = None
    notes: tuple[str, ...] = ()


def import_into(
    folder: str | Path,
    imported: Imported,
    *,
    name: str | None = None,
    replace: bool = False,
) -> Network:
    """Add an imported table to the scenario in ``folder``, creating the scenario if needed.

    The result is checked like any scenario before anything is written; the folder is
    written as a whole (see `netkoop.scenario.load.save`), so a failure leaves it as it was.

    Parameters
    ----------
    folder
        The scenario folder.
    imported
        The table to add.
    name
        The scenario's name when it is created (default: the folder's name).
    replace
        Replace the table if the scenario already has rows in it.

    Returns
    -------
    The network as written.

    Raises
    ------
    NetkoopError
        When the scenario already has that table and ``replace`` is False, or when flows or
        borders are imported into a folder without units.
    ScenarioError
        When the combined scenario is not valid.
    """
    target = Path(folder)
    exists = (target / SCENARIO_FILE).is_file()
    if exists:
        base = load(target)
    elif imported.table != "units":
        raise NetkoopError(
            f"{target} has no scenario yet; import the units first "
            "(netkoop import gv-isys FILE -o DIR), then flows and borders"
        )
    else:
        base = None
    tables = {t: None if base is None else getattr(base, t) for t in TABLE_NAMES}
    current = tables[imported.table]
    if current is not None and len(current) and not replace:
        raise NetkoopError(
            f"{target} already has {len(current):,} {imported.table}; "
            "pass --replace to replace them"
        )
    tables[imported.table] = imported.frame
    metadata = _merged_metadata(base.metadata if base else None, imported, name or target.name)
    units = tables.pop("units")
    if units is None:  # unreachable: a new scenario starts with its units (checked above)
        raise NetkoopError(f"{target}: no units")
    network = Network.from_tables(units, **tables, metadata=metadata)
    network.save(target, overwrite=True)
    return network


def _merged_metadata(base: Metadata | None, imported: Imported, name: str) -> Metadata:
    if base is None:
        return Metadata(
            name=name,
            reference_date=imported.reference_date,
            sources=imported.credits,
        )
    credits = list(base.sources)
    credits += [c for c in imported.credits if c not in credits]
    return dataclasses.replace(
        base,
        reference_date=base.reference_date or imported.reference_date,
        sources=tuple(credits),
    )
