"""Load, validate and save scenarios: the one native netkoop format (YAML plus CSV tables)."""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd
import yaml

from netkoop import __version__
from netkoop._errors import (
    NetkoopWarning,
    OutputExistsError,
    Problem,
    ScenarioError,
)
from netkoop.datasets import SCENARIO_FILE
from netkoop.interventions_spec import Intervention
from netkoop.network import Network
from netkoop.scenario import FORMAT_VERSION, display_path, read_document
from netkoop.schema import SPECS, Reporter, TableSpec, infer_attribute
from netkoop.validation import Tables, check, warn_isolates
from netkoop.whatif.steps import apply_interventions

TABLE_FILES = {name: f"{name}.csv" for name in ("units", "ties", "flows", "borders")}


@dataclass(frozen=True)
class Validation:
    """The outcome of checking a scenario: every problem, and the network when it is valid.

    ``interventions`` are the scenario's steps; ``network`` is the result of applying them to
    ``tables``, the network its tables describe.
    """

    source: str
    problems: list[Problem]
    network: Network | None
    interventions: tuple[Intervention, ...] = ()
    tables: Network | None = None

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the scenario invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Oddities that do not stop loading."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors


def validate(spec: str | Path) -> Validation:
    """Check a scenario (path, folder or bundled name) and collect every problem in one pass.

    Raises
    ------
    UnknownScenarioError
        When ``spec`` names no file and no bundled scenario.

    Examples
    --------
    >>> validate("beispielregion").ok
    True
    """
    document = read_document(spec)
    blocks = document.blocks
    tables, problems = check(blocks)
    problems = document.problems + problems
    source = display_path(document.metadata.path) if document.metadata.path else str(spec)
    has_errors = any(p.severity == "error" for p in problems)
    described = None if has_errors else Network(tables, document.metadata)
    network = described
    if described is not None and document.interventions:
        network, failure = apply_interventions(described, document.interventions)
        if failure is not None:
            problems = [*problems, failure]
        else:
            problems = _isolates_after(problems, tables, network)
    return Validation(source, problems, network, document.interventions, described)


def _isolates_after(
    problems: list[Problem], tables: Tables, network: Network | None
) -> list[Problem]:
    """Replace the warning about isolates in the tables by the one about the changed network."""
    if network is None:
        return problems
    before, after = Reporter(), Reporter()
    warn_isolates(tables.units, tables.ties, before)
    warn_isolates(network.units, network.ties, after)
    return [p for p in problems if p not in before.problems] + after.problems


def load(spec: str | Path) -> Network:
    """Load a scenario by path, folder or bundled name.

    Raises
    ------
    ScenarioError
        With every problem when the scenario is not valid.
    UnknownScenarioError
        When ``spec`` names no file and no bundled scenario.

    Warns
    -----
    NetkoopWarning
        Once, counting the oddities found (see `validate` for the list).

    Examples
    --------
    >>> net = load("beispielregion")
    >>> net.name
    'beispielregion'
    """
    return cast(Network, loaded(spec).network)  # loaded raises when there is none


def loaded(spec: str | Path) -> Validation:
    """Validate a scenario as `load` does: raise on errors, warn once about oddities.

    For callers that need more than the resulting network, e.g. the network before the
    scenario's interventions (``tables``) and the steps themselves (``interventions``).
    """
    result = validate(spec)
    if result.network is None:
        raise ScenarioError(result.source, result.problems)
    if result.warnings:
        first = result.warnings[0]
        more = len(result.warnings) - 1
        tail = f" (and {more} more; 'netkoop validate' lists them)" if more else ""
        warnings.warn(f"{result.source}: {first}{tail}", NetkoopWarning, stacklevel=3)
    return result


def save(network: Network, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``network`` as a scenario: ``scenario.yaml`` plus units, ties and flows CSV files.

    Loading the result gives a network identical to ``network``. Files are written to a
    temporary folder first and moved in place at the end, so a failure leaves nothing half
    written.

    Parameters
    ----------
    network
        The network to write.
    path
        A folder, or the name of the YAML file to write (its tables go beside it).
    overwrite
        Replace existing scenario files; without it, existing files are an error.

    Returns
    -------
    The path of the scenario file.

    Raises
    ------
    OutputExistsError
        When a file to write exists and ``overwrite`` is False.
    """
    target = Path(path)
    folder, name = (
        (target.parent, target.name)
        if target.suffix in {".yaml", ".yml"}
        else (target, SCENARIO_FILE)
    )
    outputs = [name, *TABLE_FILES.values()]
    existing = [folder / f for f in outputs if (folder / f).exists()]
    if existing and not overwrite:
        shown = ", ".join(display_path(p) for p in existing)
        raise OutputExistsError(f"{shown} exist(s); pass overwrite=True (--force) to replace")
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".netkoop-", dir=folder))
    try:
        _write_tables(network, staging)
        (staging / name).write_text(_scenario_yaml(network), encoding="utf-8")
        for file in outputs:
            os.replace(staging / file, folder / file)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    staging.rmdir()
    return folder / name


def _write_tables(network: Network, folder: Path) -> None:
    for table, file in TABLE_FILES.items():
        frame = _csv_ready(getattr(network, table), SPECS[table])
        frame.to_csv(folder / file, index=False, encoding="utf-8", lineterminator="\n")


def _csv_ready(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Drop optional columns that are empty everywhere (loading adds them back); spell booleans."""
    optional = {c.name for c in spec.columns if not c.required}
    out = {}
    for name in frame.columns:
        column = frame[name]
        if name in optional and column.isna().all():
            continue
        if pd.api.types.is_bool_dtype(column):
            column = column.map({True: "true", False: "false"})
        out[name] = column
    return pd.DataFrame(out, index=frame.index)


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


def _scenario_yaml(network: Network) -> str:
    meta = network.metadata
    doc: dict[str, object] = {"format_version": FORMAT_VERSION, "name": meta.name}
    for key in ("title", "description", "reference_date"):
        value = getattr(meta, key)
        if value is not None:
            doc[key] = value
    if meta.sources:
        doc["sources"] = [credit.as_dict() for credit in meta.sources]
    for table, file in TABLE_FILES.items():
        source: dict[str, object] = {"file": file}
        text = _text_kept(getattr(network, table), SPECS[table])
        if text:
            source["text"] = text
        doc[table] = source
    header = f"# Written by netkoop {__version__}. Tables are UTF-8 CSV beside this file.\n"
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
