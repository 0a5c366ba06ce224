"""A network as a scenario folder: ``scenario.yaml``, one UTF-8 CSV file per table, outlines.

This is the form `Network.save` writes and `netkoop.load` reads back identically: the
canonical subset of the scenario format (`netkoop.scenario` reads the whole of it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from netkoop._version import __version__
from netkoop.model.metadata import Metadata
from netkoop.model.outlines import outlines_geojson
from netkoop.model.schema import SPECS, TableSpec, infer_attribute
from netkoop.model.tables import TABLE_NAMES, Tables
from netkoop.output.files import write_folder
from netkoop.output.values import escape_formulas

#: The version of the scenario format that this netkoop reads and writes.
FORMAT_VERSION = 1

#: The scenario file of a scenario folder.
SCENARIO_FILE = "scenario.yaml"

#: The table files `write_scenario` writes beside the scenario file.
TABLE_FILES = {name: f"{name}.csv" for name in TABLE_NAMES}

#: The GeoJSON file of the outlines that `write_scenario` writes when there are any.
OUTLINES_FILE = "outlines.geojson"

#: Every file `write_scenario` may write into a scenario folder.
SCENARIO_FILES = (SCENARIO_FILE, *TABLE_FILES.values(), OUTLINES_FILE)

#: The first line of every scenario file netkoop writes.
HEADER = f"# Written by netkoop {__version__}. Tables are UTF-8 CSV beside this file.\n"


def write_scenario(
    tables: Tables, metadata: Metadata, path: str | Path, *, overwrite: bool = False
) -> Path:
    """Write tables and metadata as a scenario folder; return the path of the scenario file.

    The folder is written through the output layer: into a new or empty folder, or into a
    scenario folder netkoop wrote before when ``overwrite`` is given, and whole or not at all.

    Parameters
    ----------
    tables, metadata
        What to write.
    path
        A folder, or the name of the YAML file to write (its tables go beside it).
    overwrite
        Replace the scenario netkoop wrote into the folder before.

    Raises
    ------
    OutputExistsError
        When netkoop wrote a scenario into the folder before and ``overwrite`` is False.
    OutputError
        When the folder holds files netkoop did not write (a hand-written scenario, say).
    """
    target = Path(path)
    folder, name = (
        (target.parent, target.name)
        if target.suffix in {".yaml", ".yml"}
        else (target, SCENARIO_FILE)
    )
    files: dict[str, str | bytes] = {name: scenario_yaml(tables, metadata)}
    for table, file in TABLE_FILES.items():
        files[file] = _csv(getattr(tables, table), SPECS[table])
    if not tables.outlines.empty:
        files[OUTLINES_FILE] = outlines_geojson(tables.outlines)
    write_folder(folder, files, kind="scenario", overwrite=overwrite)
    return folder / name


def scenario_yaml(tables: Tables, metadata: Metadata) -> str:
    """Return the scenario file that names the tables of `write_scenario` and the metadata."""
    doc: dict[str, object] = {"format_version": FORMAT_VERSION, "name": metadata.name}
    for key in ("title", "description", "reference_date", "population_date"):
        value = getattr(metadata, key)
        if value is not None:
            doc[key] = value
    if metadata.sources:
        doc["sources"] = [credit.as_dict() for credit in metadata.sources]
    for table, file in TABLE_FILES.items():
        source: dict[str, object] = {"file": file}
        text = _text_kept(getattr(tables, table), SPECS[table])
        if text:
            source["text"] = text
        doc[table] = source
    if not tables.outlines.empty:
        doc["outlines"] = {"file": OUTLINES_FILE}
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def _csv(frame: pd.DataFrame, spec: TableSpec) -> bytes:
    """The table as CSV: optional columns that are empty everywhere left out (loading adds
    them back), booleans spelt true and false."""
    optional = {c.name for c in spec.columns if not c.required}
    out = {}
    for name in frame.columns:
        column = frame[name]
        if name in optional and column.isna().all():
            continue
        if pd.api.types.is_bool_dtype(column):
            column = column.map({True: "true", False: "false"})
        out[name] = column
    table = escape_formulas(pd.DataFrame(out, index=frame.index))
    text = table.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def _text_kept(frame: pd.DataFrame, spec: TableSpec) -> list[str]:
    """Attribute columns of text that would read back as numbers or booleans without a hint."""
    known = {c.name for c in spec.columns}
    return [
        str(name)
        for name in frame.columns
        if name not in known
        and pd.api.types.is_string_dtype(frame[name])
        and not pd.api.types.is_string_dtype(infer_attribute(frame[name]))
    ]
