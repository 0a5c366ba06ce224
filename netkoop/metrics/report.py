"""The full metrics report: every measure of a network in one object, written as CSV, JSON,
Markdown or Excel, or read in the terminal."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError

Format = Literal["csv", "json", "markdown", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "json", "markdown", "xlsx")


@dataclass(frozen=True)
class Options:
    """Settings shared by the measures of one report."""

    seed: int = 0
    betweenness: Literal["exact", "sampled"] = "exact"
    samples: int | None = None
    permutations: int = 1000
    communities: Literal["leiden", "louvain"] = "leiden"
    gap_column: str = "commuters"
    top: int = 20


@dataclass
class Report:
    """Measures of one network: headline ``values`` and named ``tables``."""

    name: str
    values: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def add(
        self, prefix: str, values: Mapping[str, Any] | None = None, **tables: pd.DataFrame
    ) -> None:
        """Add values (keys prefixed with ``prefix``) and tables (named ``prefix_name``)."""
        for key, value in (values or {}).items():
            self.values[f"{prefix}.{key}"] = _plain(value)
        for key, table in tables.items():
            self.tables[f"{prefix}_{key}" if key != prefix else prefix] = table

    def as_dict(self) -> dict[str, Any]:
        """Plain Python values and tables as lists of records, for JSON."""
        return {
            "name": self.name,
            "values": self.values,
            "tables": {name: _records(table) for name, table in self.tables.items()},
        }

    def to_json(self) -> str:
        """The report as JSON text (missing values as null, never NaN)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)

    def to_markdown(self) -> str:
        """The report as a Markdown document with one table per measure."""
        lines = [f"# Metrics: {self.name}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {key} | {_cell(value)} |" for key, value in self.values.items()]
        for name, table in self.tables.items():
            lines += ["", f"## {name}", "", _markdown_table(table)]
        return "\n".join(lines) + "\n"

    def write(self, path: str | Path, *, fmt: Format | None = None) -> Path:
        """Write the report; CSV goes to a folder with one file per table (values.csv first).

        The output appears whole or not at all: it is written under a temporary name first.
        """
        target = Path(path)
        chosen = fmt or _format_of(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".netkoop-", dir=target.parent))
        try:
            written = staging / "out"
            if chosen == "csv":
                written.mkdir()
                values = pd.DataFrame(
                    {"measure": list(self.values), "value": list(self.values.values())}
                )
                values.to_csv(written / "values.csv", index=False, lineterminator="\n")
                for name, table in self.tables.items():
                    table.to_csv(written / f"{name}.csv", lineterminator="\n")
            elif chosen == "json":
                written.write_text(self.to_json(), encoding="utf-8")
            elif chosen == "markdown":
                written.write_text(self.to_markdown(), encoding="utf-8")
            else:
                with pd.ExcelWriter(written, engine="openpyxl") as excel:
                    values = pd.DataFrame(
                        {"measure": list(self.values), "value": list(self.values.values())}
                    )
                    values.to_excel(excel, sheet_name="values", index=False)
                    for name, table in self.tables.items():
                        table.to_excel(excel, sheet_name=name[:31])
            if target.is_dir() and chosen == "csv":
                shutil.rmtree(target)
            os.replace(written, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target


def _format_of(path: Path) -> Format:
    suffix = path.suffix.lower()
    mapping: dict[str, Format] = {
        ".json": "json",
        ".md": "markdown",
        ".xlsx": "xlsx",
        ".csv": "csv",
        "": "csv",
    }
    if suffix not in mapping:
        raise MetricsError(f"{path}: cannot tell the format from the ending; use --format")
    return mapping[suffix]


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    frame = (
        table.reset_index()
        if table.index.name or not isinstance(table.index, pd.RangeIndex)
        else table
    )
    return [
        {str(k): _plain(v) if not pd.isna(v) else None for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value).replace("|", "\\|")


def _markdown_table(table: pd.DataFrame) -> str:
    frame = (
        table.reset_index()
        if table.index.name or not isinstance(table.index, pd.RangeIndex)
        else table
    )
    header = [str(c) for c in frame.columns]
    rows = [[_cell(_plain(v)) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
