"""Check a scenario's tables: every rule in one pass, each problem with its place and value.

The rules live by table: `netkoop.model.unitchecks` (units), `netkoop.model.linkchecks` (ties,
flows, borders), `netkoop.model.rowchecks` (what all tables share); this module assembles the
tables from their blocks and runs them all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence, Set
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import Problem
from netkoop.model.blocks import Block, Located, locate
from netkoop.model.linkchecks import check_borders, check_flows, check_ties, warn_isolates
from netkoop.model.outlines import check_outline_units, empty_outlines, with_outline_points
from netkoop.model.schema import (
    BORDERS,
    FLOWS,
    TIES,
    UNITS,
    Reporter,
    TableSpec,
    coerce_block,
    infer_attribute,
)
from netkoop.model.tables import Tables
from netkoop.model.unitchecks import check_units

__all__ = [
    "assemble",
    "canonical",
    "check",
    "check_borders",
    "check_flows",
    "check_ties",
    "check_units",
    "warn_isolates",
]

#: dtypes as objects, not names: pandas looks a name up on every call, for every column.
_TEXT: Any = pd.api.types.pandas_dtype("str")
_COUNT: Any = pd.api.types.pandas_dtype("Int64")
_DTYPES: dict[str, Any] = {"count": _COUNT, "number": np.dtype("float64")}


def check(
    blocks: Mapping[str, Sequence[Block]],
    *,
    incomplete: Set[str] = frozenset(),
    outlines: pd.DataFrame | None = None,
) -> tuple[Tables, list[Problem]]:
    """Type and check the blocks of each table section; return the tables and every problem.

    ``blocks`` maps section names (units, forums, ties, flows, borders) to their blocks;
    missing sections are empty. ``incomplete`` names the sections of which a file could not
    be read: while units are missing, the ties, flows and borders that name unknown units are
    counted in one line instead of each burying the one error that matters. ``outlines`` are
    checked outlines (`netkoop.model.outlines`): units without coordinates take the point of
    their outline, and Kreis or Gemeinde outlines that name no unit get a warning.
    """
    report = Reporter()
    forums = blocks.get("forums", [])
    units = assemble(UNITS, [*blocks.get("units", []), *(_as_forums(b) for b in forums)], report)
    ties = assemble(TIES, blocks.get("ties", []), report)
    flows = assemble(FLOWS, blocks.get("flows", []), report)
    borders = assemble(BORDERS, blocks.get("borders", []), report)
    for block in forums:
        _check_forum_kinds(block, report)
    check_units(units, report)
    complete = units.complete and not {"units", "forums"} & incomplete
    check_ties(ties, units.frame, report, complete=complete)
    check_flows(flows, units.frame, report, complete=complete)
    check_borders(borders, units.frame, report, complete=complete)
    warn_isolates(units.frame, ties.frame, report)
    shapes = empty_outlines() if outlines is None else outlines
    check_outline_units(shapes, units.frame, report)
    placed = with_outline_points(units.frame, shapes)
    tables = Tables(placed, ties.frame, flows.frame, borders.frame, shapes)
    return tables, report.problems


def assemble(spec: TableSpec, blocks: Sequence[Block], report: Reporter) -> Located:
    """Type each block, join them, and put the columns in canonical order."""
    frames, origins = [], []
    text: set[str] = set()
    for block in blocks:
        text |= block.text_columns
        frame = coerce_block(spec, block, report)
        if frame is not None:
            if spec is UNITS:
                _require_land(block, frame, report)
            frames.append(frame)
            origins.append(block.origin)
    located = locate(frames, origins)
    located.frame = canonical(spec, located.frame, text=text)
    located.complete = len(frames) == len(blocks)
    return located


def _require_land(block: Block, typed: pd.DataFrame, report: Reporter) -> None:
    """Report units other than forums whose Land cell is empty.

    Judged on the cells as written: a value that is not a Land is reported once, as such, and
    not again as missing.
    """
    written = block.frame["land"] if "land" in block.frame.columns else None
    absent = written.isna() if written is not None else pd.Series(True, index=typed.index)
    kind = typed["kind"]
    rows = np.flatnonzero((absent & kind.notna() & (kind != "forum")).to_numpy())
    report.rows(
        block.origin.where,
        rows,
        "missing Land; every unit but a forum needs its Land (01-16, name or abbreviation)",
        field="land",
    )


def canonical(
    spec: TableSpec, frame: pd.DataFrame, *, text: Set[str] = frozenset()
) -> pd.DataFrame:
    """Return ``frame`` with every known column (empty where absent) followed by the others.

    Attribute columns get their natural type (`infer_attribute`), except those in ``text``.
    """
    out: dict[str, pd.Series] = {}
    absent: dict[str, pd.Series] = {}  # one empty column per type, shared (pandas copies on write)
    for column in spec.columns:
        dtype = _DTYPES.get(column.type, _TEXT)
        if column.name in frame.columns:
            out[column.name] = frame[column.name].astype(dtype)
        else:
            if dtype not in absent:
                absent[dtype] = pd.Series(index=frame.index, dtype=dtype)
            out[column.name] = absent[dtype]
    known = {c.name for c in spec.columns}
    for name in frame.columns:
        if name not in known:
            values = frame[name]
            if spec.extras == "count":
                out[name] = values.astype(_COUNT)
            elif name in text:
                out[name] = values.astype(_TEXT)
            else:
                out[name] = infer_attribute(values.astype(_TEXT))
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)


def _as_forums(block: Block) -> Block:
    if "kind" in block.frame.columns:
        return block
    frame = block.frame.assign(kind="forum").astype("str")
    return dataclasses.replace(block, frame=frame)


def _check_forum_kinds(block: Block, report: Reporter) -> None:
    if "kind" not in block.frame.columns:
        return
    kinds = block.frame["kind"].str.strip().str.lower()
    bad = np.flatnonzero(kinds.notna().to_numpy() & (kinds != "forum").to_numpy())
    if len(bad):
        report.rows(
            block.origin.where,
            bad,
            "the forums table holds forums only; list other units under units",
            field="kind",
            values=block.frame["kind"].iloc[bad].tolist(),
        )
