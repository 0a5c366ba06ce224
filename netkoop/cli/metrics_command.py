"""The metrics command: the full report in the terminal or written as CSV, JSON, Markdown, Excel."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netkoop.cli.options import (
    at_option,
    csv_option,
    force,
    lang,
    metric_options,
    on_date,
    report_format,
    split,
)
from netkoop.cli.output import clean
from netkoop.cli.progress import progress, quiet_option

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from netkoop.metrics import Options, Report

ROWS_SHOWN = 10


@click.command()
@click.argument("scenario", metavar="FILE")
@metric_options
@at_option
@report_format
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the whole report here (csv: a folder; - for standard output).",
)
@force
@lang
@csv_option
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Uncovered commuter pairs to list.",
)
@quiet_option
def metrics(
    scenario: str,
    ties: str | None,
    min_confidence: float | None,
    metrics: str | None,
    options: Options,
    at: str | None,
    fmt: str | None,
    output: Path | None,
    force: bool,
    lang: str,
    csv: str,
    top: int,
    quiet: bool,
) -> None:
    """Measure a network: structure, mixing, Kreis borders, brokers, communities, commuting gap.

    A network with survey ties (a 'confirmed' column) or respondents (a 'responded' column)
    also gets the survey: response rate, reciprocity, asymmetric pairs, and the headline
    measures of all ties beside those of the confirmed ones.

    Prints a readable report; --output writes every table (CSV folder, JSON, Markdown, Excel).
    The terminal and xlsx show labels in --lang; CSV and JSON keep the names programs read,
    and JSON and xlsx record the versions, seed and options. Closeness follows networkx
    (Wasserman-Faust scaling on disconnected graphs).

    \b
    Example: netkoop metrics zwei-welten-2020 --metric kreis,gap --output report.xlsx
    """
    from netkoop.metrics import metrics_report
    from netkoop.metrics.report import check_output
    from netkoop.scenario import load

    if output is None and fmt in ("csv", "xlsx"):
        raise click.UsageError(f"--format {fmt} needs --output")
    network = on_date(load(scenario), at)
    target = output if output is not None else "-" if fmt is not None else None
    protect = network.metadata.inputs
    if target is not None:
        check_output(target, fmt, overwrite=force, protect=protect)
    chosen = dataclasses.replace(options, top=top)
    with progress("Kennzahlen", quiet=quiet) as advance:
        report = metrics_report(
            network,
            ties=split(ties),
            metrics=split(metrics),
            options=chosen,
            progress=advance,
            min_confidence=min_confidence,
        )
    if target is None:
        click.echo(_text(report, lang))
        return
    made = chosen.provenance(
        scenario=scenario,
        ties=split(ties),
        metrics=split(metrics),
        min_confidence=min_confidence,
    )
    report = dataclasses.replace(report, provenance=made)
    path = report.write(target, fmt=fmt, overwrite=force, protect=protect, lang=lang, csv=csv)
    if path is not None:
        click.echo(f"Wrote {path}")
        click.echo(_text(report, lang))


def _text(report: Report, lang: str = "de") -> str:
    """The report for the terminal: measures, tables and headers labelled in ``lang``."""
    import pandas as pd

    from netkoop.model.labels import column_label, measure_label, table_label

    heading = "Kennzahlen" if lang == "de" else "Metrics"
    lines = [click.style(f"{heading}: {clean(report.name)}", bold=True), ""]
    labels = {key: clean(measure_label(key, lang)) for key in report.values}
    width = max((len(label) for label in labels.values()), default=0)
    lines += [
        f"  {labels[key]:<{width}}  {_value(value, lang)}" for key, value in report.values.items()
    ]
    for name, table in report.tables.items():
        lines += ["", click.style(clean(table_label(name, lang)), bold=True)]
        head = _in_words(table.head(ROWS_SHOWN), lang)
        if head.index.name == "measure":  # rows named by measure, e.g. the survey's
            head = head.rename(index=lambda key: measure_label(str(key), lang))
        shown = _labelled(head, lambda column: column_label(column, lang))
        # Row positions (a RangeIndex, rows left after filtering) mean nothing to a reader.
        positional = not any(table.index.names) and pd.api.types.is_integer_dtype(table.index)
        with pd.option_context("display.width", 120, "display.max_columns", 12):
            if shown.empty:
                lines.append("  keine" if lang == "de" else "  none")
                continue
            numbers = (lambda v: _number(v, lang)) if lang == "de" else None
            lines.append(clean(shown.to_string(index=not positional, float_format=numbers)))
        if len(table) > ROWS_SHOWN:
            more = _value(len(table) - ROWS_SHOWN, lang)
            lines.append(
                f"  ... {more} weitere Zeilen (--output schreibt alle)"
                if lang == "de"
                else f"  ... {more} more rows (--output writes all)"
            )
    return "\n".join(lines)


def _in_words(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with kinds, pair types and confirmations as people read them in ``lang``."""
    from netkoop.model.labels import kind_cells

    cells = kind_cells(lang)
    shown = table.assign(
        **{str(c): table[c].map(cells[str(c)]) for c in table.columns if str(c) in cells}
    )
    if table.index.nlevels == 1 and str(table.index.name) in cells:
        shown.index = table.index.map(cells[str(table.index.name)]).rename(table.index.name)
    return shown


def _labelled(table: pd.DataFrame, label: Callable[[str], str]) -> pd.DataFrame:
    """The table with its column and index names as people read them."""
    shown = table.rename(columns=lambda name: label(str(name)))
    names = [None if name is None else label(str(name)) for name in table.index.names]
    return shown.set_axis(table.index.set_names(names), axis=0)


def _number(value: float, lang: str) -> str:
    """A table cell's float: whole numbers (counts that pandas holds as floats) without
    decimals, the rest with four."""
    number = float(value)
    return _value(int(number) if number.is_integer() else number, lang)


def _value(value: object, lang: str = "de") -> str:
    """A value as people read it in ``lang``: in German 0,2564 and 1.000."""
    if isinstance(value, float):
        text = f"{value:.4f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    else:
        return "" if value is None else clean(value)
    if lang == "de":  # swap the separators: 1,234.5 -> 1.234,5
        text = text.translate(str.maketrans(",.", ".,"))
    return text


COMMANDS = (metrics,)
