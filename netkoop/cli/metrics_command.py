"""The metrics command: the full report in the terminal or written as CSV, JSON, Markdown, Excel."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netkoop.cli.options import force, metric_options, report_format, split
from netkoop.cli.output import clean

if TYPE_CHECKING:
    from netkoop.metrics import Options, Report

ROWS_SHOWN = 10


@click.command()
@click.argument("scenario", metavar="FILE")
@metric_options
@report_format
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the whole report here (csv: a folder; - for standard output).",
)
@force
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Uncovered commuter pairs to list.",
)
def metrics(
    scenario: str,
    ties: str | None,
    metrics: str | None,
    options: Options,
    fmt: str | None,
    output: Path | None,
    force: bool,
    top: int,
) -> None:
    """Measure a network: structure, mixing, Kreis borders, brokers, communities, commuting gap.

    Prints a readable report; --output writes every table (CSV folder, JSON, Markdown, Excel).
    Closeness follows networkx (Wasserman-Faust scaling on disconnected graphs).

    \b
    Example: netkoop metrics zwei-welten-2020 --metric kreis,gap --output report.xlsx
    """
    from netkoop.metrics import metrics_report
    from netkoop.metrics.report import check_output
    from netkoop.scenario import load

    if output is None and fmt in ("csv", "xlsx"):
        raise click.UsageError(f"--format {fmt} needs --output")
    network = load(scenario)
    target = output if output is not None else "-" if fmt is not None else None
    protect = network.metadata.inputs
    if target is not None:
        check_output(target, fmt, overwrite=force, protect=protect)
    chosen = dataclasses.replace(options, top=top)
    report = metrics_report(network, ties=split(ties), metrics=split(metrics), options=chosen)
    if target is None:
        click.echo(_text(report))
        return
    path = report.write(target, fmt=fmt, overwrite=force, protect=protect)
    if path is not None:
        click.echo(f"Wrote {path}")
        click.echo(_text(report))


def _text(report: Report) -> str:
    import pandas as pd

    lines = [click.style(f"Metrics: {clean(report.name)}", bold=True), ""]
    width = max((len(k) for k in report.values), default=0)
    lines += [f"  {key:<{width}}  {_value(value)}" for key, value in report.values.items()]
    for name, table in report.tables.items():
        lines += ["", click.style(name, bold=True)]
        with pd.option_context("display.width", 120, "display.max_columns", 12):
            lines.append(clean(table.head(ROWS_SHOWN).to_string()))
        if len(table) > ROWS_SHOWN:
            lines.append(f"  ... {len(table) - ROWS_SHOWN:,} more rows (--output writes all)")
    return "\n".join(lines)


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else clean(value)


COMMANDS = (metrics,)
