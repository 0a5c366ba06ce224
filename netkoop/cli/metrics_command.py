"""The metrics command: the full report in the terminal or written as CSV, JSON, Markdown, Excel."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import pandas as pd

import netkoop
from netkoop.cli.options import metric_options, report_format, split
from netkoop.metrics import Options, Report, metrics_report

ROWS_SHOWN = 10


@click.command()
@click.argument("scenario", metavar="FILE")
@metric_options
@report_format
@click.option(
    "--output", type=click.Path(path_type=Path), help="Write the whole report here (csv: a folder)."
)
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
    top: int,
) -> None:
    """Measure a network: structure, mixing, Kreis borders, brokers, communities, commuting gap.

    Prints a readable report; --output writes every table (CSV folder, JSON, Markdown, Excel).
    Closeness follows networkx (Wasserman-Faust scaling on disconnected graphs).

    \b
    Example: netkoop metrics zwei-welten-2020 --metric kreis,gap --output report.xlsx
    """
    network = netkoop.load(scenario)
    chosen = dataclasses.replace(options, top=top)
    report = metrics_report(network, ties=split(ties), metrics=split(metrics), options=chosen)
    if output is not None:
        path = report.write(output, fmt=fmt)  # type: ignore[arg-type]
        click.echo(f"Wrote {path}")
    elif fmt in ("json", "markdown"):
        click.echo(report.to_json() if fmt == "json" else report.to_markdown(), nl=False)
        return
    elif fmt is not None:
        raise click.UsageError(f"--format {fmt} needs --output")
    click.echo(_text(report))


def _text(report: Report) -> str:
    lines = [click.style(f"Metrics: {report.name}", bold=True), ""]
    width = max((len(k) for k in report.values), default=0)
    lines += [f"  {key:<{width}}  {_value(value)}" for key, value in report.values.items()]
    for name, table in report.tables.items():
        lines += ["", click.style(name, bold=True)]
        with pd.option_context("display.width", 120, "display.max_columns", 12):
            lines.append(table.head(ROWS_SHOWN).to_string())
        if len(table) > ROWS_SHOWN:
            lines.append(f"  ... {len(table) - ROWS_SHOWN:,} more rows (--output writes all)")
    return "\n".join(lines)


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


COMMANDS = (metrics,)
