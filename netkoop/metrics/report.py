"""The full metrics report: every measure of a network in one object, written as CSV, JSON,
Markdown or Excel, or read in the terminal."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from netkoop._errors import OutputError
from netkoop.model.labels import (
    check_lang,
    column_label,
    item_label,
    kind_cells,
    measure_label,
    table_label,
)
from netkoop.output.files import (
    Paths,
    check_file,
    check_folder,
    is_stdout,
    write_file,
    write_folder,
    write_text,
)
from netkoop.output.formats import REPORT, TEXT, CsvDialect, choose_format, csv_dialect
from netkoop.output.provenance import provenance
from netkoop.output.tables import about_table, csv_text, workbook
from netkoop.output.values import json_text, plain, records

if TYPE_CHECKING:
    from netkoop.model.focus import Focus

#: Report tables made for a focus, already narrowed to it (`Report.about` keeps them whole).
FOCUS_TABLES = ("focus_", "gap_focus_")


@dataclass(frozen=True)
class Options:
    """Settings shared by the measures of one report.

    ``jobs`` is the number of worker processes for the shortest paths of betweenness and
    closeness (-1 for every core; `netkoop.metrics.engine.TieGraph.paths`). The values do not
    depend on it, so provenance does not record it.
    """

    seed: int = 0
    betweenness: Literal["exact", "sampled"] = "exact"
    samples: int | None = None
    permutations: int = 1000
    communities: Literal["leiden", "louvain"] = "leiden"
    gap_column: str = "commuters"
    top: int = 20
    jobs: int = 1

    def provenance(self, **more: Any) -> dict[str, Any]:
        """Return what an output made with these settings records: versions, seed, options.

        ``more`` adds the other options of the command (scenario, tie kinds, measures); see
        `netkoop.output.provenance.provenance`.

        Examples
        --------
        >>> made = Options(seed=3).provenance(metrics=["kreis"])
        >>> made["seed"], made["options"]["permutations"], made["options"]["metrics"]
        (3, 1000, ['kreis'])
        """
        settings = dataclasses.asdict(self)
        del settings["jobs"]  # the results are the same whatever the workers
        return provenance(settings.pop("seed"), **settings, **more)


@dataclass
class Report:
    """Measures of one network: headline ``values`` and named ``tables``.

    ``provenance`` is what made the report (`netkoop.output.provenance.provenance`: versions,
    seed, options); JSON and workbooks record it, and without it they record the versions.
    """

    name: str
    values: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    provenance: dict[str, Any] | None = None

    def add(
        self, prefix: str, values: Mapping[str, Any] | None = None, **tables: pd.DataFrame
    ) -> None:
        """Add values (keys prefixed with ``prefix``) and tables (named ``prefix_name``)."""
        for key, value in (values or {}).items():
            self.values[f"{prefix}.{key}"] = plain(value)
        for key, table in tables.items():
            self.tables[f"{prefix}_{key}" if key != prefix else prefix] = table

    def about(self, focus: Focus) -> Report:
        """Return a copy whose tables keep only the rows about the area of ``focus``.

        A table indexed by unit ``id`` keeps the units in ``focus.area``; a table with
        ``from`` and ``to`` (ties) or ``unit_a`` and ``unit_b`` (pairs) columns keeps the rows
        with at least one end in the area. Other tables (by kind, pair type, measure,
        community, ...) sum up the whole network and stay as they are, as do the tables made
        for the focus (``focus_*``, ``gap_focus_*``) and the values.

        Examples
        --------
        >>> from netkoop.metrics import metrics_report
        >>> from netkoop.model.focus import focus
        >>> net = netkoop.load("beispielregion")
        >>> report = metrics_report(net, metrics=["structure"])
        >>> sorted(report.about(focus(net, "eichwalde")).tables["structure_units"].index)
        ['eichwalde']
        """
        tables = {
            name: table if name.startswith(FOCUS_TABLES) else _about(table, focus)
            for name, table in self.tables.items()
        }
        return dataclasses.replace(self, values=dict(self.values), tables=tables)

    def as_dict(self) -> dict[str, Any]:
        """Plain Python values, tables as lists of records and the provenance, for JSON."""
        return {
            "name": self.name,
            "values": self.values,
            "tables": {name: records(table) for name, table in self.tables.items()},
            "provenance": self._made(),
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
        lang: str = "de",
        csv: str | CsvDialect = "standard",
    ) -> Path | None:
        """Write the report; CSV goes to a folder with one file per table (values.csv first).

        The format is ``fmt`` or else the one the ending names (no ending: CSV). The output
        appears whole or not at all; ``-`` writes JSON or Markdown to standard output.
        CSV and JSON keep the names programs read; a workbook is for people: headers,
        measures and sheet names in ``lang``, keys as text, and a last sheet with what made
        it (versions, seed, options).

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
        lang
            The language of a workbook's labels, ``"de"`` or ``"en"``.
        csv
            The CSV dialect: ``"standard"`` for programs, ``"excel-de"`` for German Excel
            (see `netkoop.output.formats.CSV_DIALECTS`).

        Returns
        -------
        The path written; None for standard output.

        Raises
        ------
        OutputError
            When the format, the language or the CSV dialect is unknown, or the output may
            not go there (see `netkoop.output.files`).
        """
        check_lang(lang)
        dialect = csv_dialect(csv)
        chosen = check_output(path, fmt, overwrite=overwrite, protect=protect)
        if chosen == "csv":
            files = {"values.csv": csv_text(self._values(), dialect)}
            for name, table in self.tables.items():
                files[f"{name}.csv"] = csv_text(table, dialect)
            return write_folder(path, files, kind="report", overwrite=overwrite, protect=protect)
        if chosen == "json":
            return write_text(path, self.to_json(), overwrite=overwrite, protect=protect)
        if chosen == "markdown":
            return write_text(path, self.to_markdown(), overwrite=overwrite, protect=protect)
        return write_file(path, self.excel(lang), overwrite=overwrite, protect=protect)

    def excel(self, lang: str = "de") -> Callable[[Path], None]:
        """Return a function that writes the report as a workbook at the path it is given.

        The sheets: the headline values, one per table, and last what made the report
        ("Metadaten", "About"); labels in ``lang``. See `netkoop.output.tables.workbook`.
        """
        check_lang(lang)
        made = {"report": self.name, **self._made()}
        sheets = [(table_label("values", lang), self._values())]
        sheets += [(table_label(name, lang), table) for name, table in self.tables.items()]
        sheets.append((table_label("about", lang), about_table(made, label=_items(lang))))
        return workbook(
            sheets,
            header=lambda name: column_label(name, lang),
            cells={**kind_cells(lang), "measure": lambda name: measure_label(str(name), lang)},
        )

    def _values(self) -> pd.DataFrame:
        return pd.DataFrame({"measure": list(self.values), "value": list(self.values.values())})

    def _made(self) -> dict[str, Any]:
        return self.provenance if self.provenance is not None else provenance()


def _about(table: pd.DataFrame, focus: Focus) -> pd.DataFrame:
    """The rows of ``table`` about the area of ``focus`` (see `Report.about`)."""
    if table.index.nlevels == 1 and table.index.name == "id":
        return table[focus.within(table.index.to_series())]
    for a, b in (("from", "to"), ("unit_a", "unit_b")):
        if a in table.columns and b in table.columns:
            kept = table[focus.touches(table[a], table[b])]
            return kept.reset_index(drop=True) if isinstance(table.index, pd.RangeIndex) else kept
    return table


def _items(lang: str) -> Callable[[str], str]:
    return lambda name: item_label(name, lang)


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
