"""The full metrics report: every measure of a network in one object, written as CSV, JSON,
Markdown or Excel, or read in the terminal."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from netkoop._errors import OutputError
from netkoop.output.files import (
    Paths,
    check_file,
    check_folder,
    is_stdout,
    write_file,
    write_folder,
    write_text,
)
from netkoop.output.formats import REPORT, TEXT, choose_format
from netkoop.output.values import escape_formulas, json_text, plain, records, text_not_formulas


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
            self.values[f"{prefix}.{key}"] = plain(value)
        for key, table in tables.items():
            self.tables[f"{prefix}_{key}" if key != prefix else prefix] = table

    def as_dict(self) -> dict[str, Any]:
        """Plain Python values and tables as lists of records, for JSON."""
        return {
            "name": self.name,
            "values": self.values,
            "tables": {name: records(table) for name, table in self.tables.items()},
        }

    def to_json(self) -> str:
        """The report as JSON text (missing values as null, never NaN)."""
        return json_text(self.as_dict())

    def to_markdown(self) -> str:
        """The report as a Markdown document with one table per measure."""
        lines = [f"# Metrics: {self.name}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {key} | {_cell(value)} |" for key, value in self.values.items()]
        for name, table in self.tables.items():
            lines += ["", f"## {name}", "", _markdown_table(table)]
        return "\n".join(lines) + "\n"

    def write(
        self,
        path: str | Path,
        *,
        fmt: str | None = None,
        overwrite: bool = False,
        protect: Paths = (),
    ) -> Path | None:
        """Write the report; CSV goes to a folder with one file per table (values.csv first).

        The format is ``fmt`` or else the one the ending names (no ending: CSV). The output
        appears whole or not at all; ``-`` writes JSON or Markdown to standard output.

        Parameters
        ----------
        path
            The file or (CSV) folder to write.
        fmt
            ``"csv"``, ``"json"``, ``"markdown"`` or ``"xlsx"``.
        overwrite
            Replace a report netkoop wrote there before.
        protect
            Files the report was made from (scenario files and tables); never written over.

        Returns
        -------
        The path written; None for standard output.

        Raises
        ------
        OutputError
            When the format is unknown or the output may not go there (see
            `netkoop.output.files`).
        """
        chosen = check_output(path, fmt, overwrite=overwrite, protect=protect)
        if chosen == "csv":
            values = escape_formulas(self._values())
            files = {"values.csv": values.to_csv(index=False, lineterminator="\n")}
            for name, table in self.tables.items():
                files[f"{name}.csv"] = escape_formulas(table).to_csv(lineterminator="\n")
            return write_folder(path, files, kind="report", overwrite=overwrite, protect=protect)
        if chosen == "json":
            return write_text(path, self.to_json(), overwrite=overwrite, protect=protect)
        if chosen == "markdown":
            return write_text(path, self.to_markdown(), overwrite=overwrite, protect=protect)
        return write_file(path, self._excel, overwrite=overwrite, protect=protect)

    def _values(self) -> pd.DataFrame:
        return pd.DataFrame({"measure": list(self.values), "value": list(self.values.values())})

    def _excel(self, path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as excel:
            self._values().to_excel(excel, sheet_name="values", index=False)
            for name, table in self.tables.items():
                table.to_excel(excel, sheet_name=name[:31])
            text_not_formulas(excel.book)


def check_output(
    path: str | Path, fmt: str | None, *, overwrite: bool = False, protect: Paths = ()
) -> str:
    """Return the format a report written to ``path`` gets, after checking that it may go there.

    Commands call it before they measure anything, so that a refusal costs no time.

    Raises
    ------
    OutputError
        When the format is unknown, names no text format for standard output, or the output
        may not go to ``path``.
    """
    chosen = choose_format(path, fmt, REPORT)
    if is_stdout(path):
        if chosen not in TEXT:
            raise OutputError(f"a {chosen} report cannot go to standard output; name a file")
        if chosen == "csv":
            raise OutputError("a CSV report is a folder of tables; name a folder instead of '-'")
    elif chosen == "csv":
        check_folder(Path(path), (), kind="report", overwrite=overwrite, protect=protect)
    else:
        check_file(Path(path), overwrite=overwrite, protect=protect)
    return chosen


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
    rows = [[_cell(plain(v)) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
