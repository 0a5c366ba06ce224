"""The metrics command: a summary in the terminal, the full report as CSV, JSON, Markdown, Excel."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netkoop.cli.options import (
    at_option,
    csv_option,
    focus_option,
    focused,
    force,
    lang,
    metric_options,
    on_date,
    report_format,
    split,
)
from netkoop.cli.progress import progress, quiet_option

if TYPE_CHECKING:
    from netkoop.metrics import Options


@click.command()
@click.argument("scenario", metavar="FILE")
@metric_options
@at_option
@focus_option
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
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Print every measure and the first rows of every table instead of the summary.",
)
@quiet_option
def metrics(
    scenario: str,
    ties: str | None,
    min_confidence: float | None,
    metrics: str | None,
    options: Options,
    at: str | None,
    focus: str | None,
    fmt: str | None,
    output: Path | None,
    force: bool,
    lang: str,
    csv: str,
    top: int,
    everything: bool,
    quiet: bool,
) -> None:
    """Measure a network: structure, mixing, Kreis borders, brokers, communities, commuting gap.

    A network with survey ties (a 'confirmed' column) or respondents (a 'responded' column)
    also gets the survey: response rate, reciprocity, asymmetric pairs, and the headline
    measures of all ties beside those of the confirmed ones.

    Prints a short summary for people: the headline measures by family, undefined values
    explained, and the first rows of the tables that carry information; --all prints every
    measure and table instead. --output writes every table (CSV folder, JSON, Markdown,
    Excel). The terminal and xlsx show labels in --lang; CSV and JSON keep the names programs
    read, and JSON and xlsx record the versions, seed and options. Closeness follows networkx
    (Wasserman-Faust scaling on disconnected graphs).

    With --focus KEY (a Kommune, a Kreis or a Land) every measure is still computed on the
    whole network, and the report adds the focus's ties, its position among the units of its
    kind (rank, percentile) and the commuting gap of the unit and its Kreis; the tables keep
    only the rows about its area.

    \b
    Example: netkoop metrics zwei-welten-2020 --metric kreis,gap --output report.xlsx
    """
    from netkoop.cli.metrics_summary import dump, summary
    from netkoop.metrics import metrics_report
    from netkoop.metrics.report import check_output
    from netkoop.scenario import load

    if output is None and fmt in ("csv", "xlsx"):
        raise click.UsageError(f"--format {fmt} needs --output")
    network = on_date(load(scenario), at)
    around = focused(network, focus)
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
            focus=focus,
        )
    if around is not None:
        report = report.about(around)
    names = dict(zip(network.units["id"], network.units["name"], strict=True))
    shown = dump(report, lang) if everything else summary(report, lang, names=names)
    if target is None:
        click.echo(shown)
        return
    made = chosen.provenance(
        scenario=scenario,
        ties=split(ties),
        metrics=split(metrics),
        min_confidence=min_confidence,
        focus=focus,
    )
    report = dataclasses.replace(report, provenance=made)
    path = report.write(target, fmt=fmt, overwrite=force, protect=protect, lang=lang, csv=csv)
    if path is not None:
        click.echo(f"Wrote {path}")
        click.echo(shown)


COMMANDS = (metrics,)
