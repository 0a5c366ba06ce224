"""The report command: the findings for a Kreistag as plain sentences, in HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import click

from netkoop.cli.options import (
    at_option,
    focus_option,
    force,
    lang,
    on_date,
    permutations_option,
    seed_option,
)
from netkoop.cli.progress import progress, quiet_option
from netkoop.cli.workers import backend_options, jobs_option


@click.command()
@click.argument("scenario", metavar="FILE")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The report to write: bericht.html (opens in any browser, prints to A4) or bericht.pdf.",
)
@focus_option
@click.option(
    "--compare",
    "base",
    metavar="BASE",
    help="Compare with this scenario (e.g. the network before a mandate).",
)
@at_option
@lang
@force
@seed_option
@permutations_option
@jobs_option("betweenness and closeness")
@backend_options
@quiet_option
def report(
    scenario: str,
    output: Path,
    focus: str | None,
    base: str | None,
    at: str | None,
    lang: str,
    force: bool,
    seed: int,
    permutations: int,
    jobs: int,
    quiet: bool,
) -> None:
    """Write a report for people who decide: key findings as sentences with their numbers.

    The report holds the region (units, date, sources), the key findings with what each
    measure means and what it does not, the map, the largest commuting gaps, recommended ties
    with their reasons, and, where the data have them, survey quality, the timeline and the
    comparison with --compare. With --focus KEY (a Kommune, a Kreis or a Land) it adds the
    unit's profile: partners, its position among units of its kind, its uncovered commuter
    partners and the ties recommended for it. German by default (--lang en for English).

    A PDF is printed by WeasyPrint; without it, write .html and print it from a browser.

    \b
    Example: netkoop report beispielregion --focus lk-nord -o bericht.html
    """
    import contextlib

    from netkoop.cli.options import focused
    from netkoop.metrics import Options
    from netkoop.report import Printer, check_report, kreistag_report, write_report
    from netkoop.scenario import load

    whole = load(scenario)
    network = on_date(whole, at)
    compared = on_date(load(base), at) if base is not None else None
    protect = (*network.metadata.inputs, *(compared.metadata.inputs if compared else ()))
    chosen = check_report(output, overwrite=force, protect=protect)
    focused(network, focus)  # an unknown key fails before anything is measured
    # A PDF is printed in a second process that loads WeasyPrint while the report is measured
    # (started once the inputs are known to be good, so that an error costs no start).
    printing = Printer() if chosen == "pdf" else contextlib.nullcontext(None)
    with printing as printer, progress("Bericht", quiet=quiet) as advance:
        document = kreistag_report(
            network,
            focus=focus,
            base=compared,
            lang=lang,
            options=Options(seed=seed, permutations=permutations, jobs=jobs),
            at=at,
            history=whole,
            progress=advance,
        )
        path = write_report(document, output, overwrite=force, protect=protect, printer=printer)
    click.echo(f"Wrote {path}")


COMMANDS = (report,)
