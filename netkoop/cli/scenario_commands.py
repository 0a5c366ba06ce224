"""Commands that check, describe and create scenarios: validate, info, new, scenarios."""

from __future__ import annotations

import json
import shlex
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netkoop._errors import UnknownScenarioError
from netkoop.cli.options import at_option, lang, on_date
from netkoop.cli.output import clean, count, print_problems, table

if TYPE_CHECKING:
    from netkoop.model.network import Network
    from netkoop.model.summary import Summary


@click.command()
@click.argument("scenarios", nargs=-1, required=True, metavar="FILE...")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@click.option(
    "--fix",
    "fix_to",
    type=click.Path(path_type=Path),
    metavar="OUT",
    help="Write a corrected copy of the scenario into the new folder OUT: keys padded and "
    "'.0' stripped, names resolved to keys where unique, German words mapped, NFC. Lists "
    "each change; the input stays as it is.",
)
def validate(scenarios: tuple[str, ...], strict: bool, fix_to: Path | None) -> None:
    """Check scenario files and list every problem, each with file, row, field and value.

    Exits with 0 when all are valid, 1 otherwise.

    Example: netkoop validate scenarios/beispielregion/scenario.yaml
    """
    from netkoop.scenario import validate as validate_scenario

    if fix_to is not None:
        if len(scenarios) != 1:
            raise click.UsageError("--fix corrects one scenario at a time")
        scenarios = (str(_fixed_copy(scenarios[0], fix_to)),)
    failed = False
    for spec in scenarios:
        try:
            result = validate_scenario(spec)
        except UnknownScenarioError as exc:
            click.echo(f"Error: {clean(exc)}", err=True)
            failed = True
            continue
        errors, warnings = len(result.errors), len(result.warnings)
        bad = errors or (strict and warnings)
        failed = failed or bool(bad)
        if result.network is not None:
            net = result.network
            counts = f"{len(net.units):,} units, {len(net.ties):,} ties, {len(net.flows):,} flows"
            state = "valid" if not bad else "has warnings (--strict)"
            steps = len(result.interventions)
            note = f"; {steps} intervention{'s' * (steps != 1)} applied" if steps else ""
            note += f"; {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
            click.echo(f"{clean(result.source)}: {state} ({counts}{note})")
        else:
            click.echo(
                f"{clean(result.source)}: {errors} error{'s' * (errors != 1)}"
                + (f", {warnings} warning{'s' * (warnings != 1)}" if warnings else "")
            )
        print_problems(result.problems)
    if failed:
        raise SystemExit(1)


def _fixed_copy(spec: str, out: Path) -> Path:
    """Write the corrected copy, list what changed, and return the copy's scenario file."""
    from netkoop.scenario.fix import fix

    try:
        fixed = fix(spec, out)
    except UnknownScenarioError as exc:
        raise click.ClickException(clean(exc)) from None
    count = len(fixed.changes)
    click.echo(f"Wrote {clean(fixed.scenario)}: {count} change{'s' * (count != 1)}")
    for change in fixed.changes:
        click.echo(f"  {clean(change)}")
    for note in fixed.notes:
        click.echo(f"  note: {clean(note)}")
    for left in fixed.left:
        click.echo(f"  not changed: {clean(left)}")
    return fixed.scenario


@click.command()
@click.argument("scenario", metavar="FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Plain text for reading, JSON for scripts.",
)
@at_option
@lang
def info(scenario: str, fmt: str, at: str | None, lang: str) -> None:
    """Describe a scenario: units by kind and Land, ties by kind, flows and commuters.

    Example: netkoop info beispielregion
    """
    from netkoop.model.labels import date_label
    from netkoop.scenario import load

    net = on_date(load(scenario), at)
    summary = net.summary()
    if fmt == "json":
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    words = _INFO_WORDS[lang]
    title = f"{summary.title} [{summary.name}]" if summary.title else summary.name
    click.echo(click.style(clean(title), bold=True))
    for key, value in (
        ("reference", net.metadata.reference_date),
        ("population", net.metadata.population_date),
        ("at", None if at is None else _asked_day(at)),
    ):
        if value:
            click.echo(f"{words[key]}: {clean(date_label(value, lang))}")
    for line in _info_lines(net, summary, words, lang):
        click.echo(line)


def _info_lines(net: Network, summary: Summary, words: Mapping[str, str], lang: str) -> list[str]:
    """The lines of `info` after its title and dates, in ``lang``."""
    from netkoop.model.labels import column_label
    from netkoop.model.vocabulary import LABELS_DE

    german = lang == "de"

    def kind(name: str) -> str:
        return LABELS_DE.get(name, name) if german else name

    units_total = sum(summary.units_by_kind.values())
    laender = words["land" if summary.laender == 1 else "laender"]
    lines = [f"\n{words['units']}: {count(units_total, lang)} in {summary.laender} {laender}"]
    shown = [row for row in summary.kinds_shown() if row[2]]
    rows = [(row[1], row[2]) if german else row for row in shown]
    lines.append(
        table(
            rows, [words["kind"], words["count_units"]] if german else ["kind", "", "units"], lang
        )
    )
    if len(summary.units_by_land):
        by_land = summary.land_table()
        header = ["Land", *(kind(str(c)) for c in by_land.columns)]
        rows_land = [
            (words["no_land"] if land == "(no Land)" else land, *map(int, row))
            for land, row in by_land.iterrows()
        ]
        lines.append("\n" + table(rows_land, header, lang))
    ties_total = sum(summary.ties_by_kind.values())
    undated = ""
    if summary.dated_ties and summary.undated_ties:
        undated = f" ({words['undated'].format(count(summary.undated_ties, lang))})"
    lines.append(f"\n{words['ties']}: {count(ties_total, lang)}{undated}")
    if ties_total:
        tie_rows = [
            (LABELS_DE[k], n) if german else (k, LABELS_DE[k], n)
            for k, n in summary.ties_by_kind.items()
            if n
        ]
        header = [words["kind"], words["count_ties"]] if german else ["kind", "", "ties"]
        lines.append(table(tie_rows, header, lang))
    lines.append(
        f"\n{words['flows']}: "
        + words["flows_with"].format(count(summary.flows, lang), count(summary.commuters, lang))
    )
    lines.extend(
        f"  {clean(column_label(c, lang))}: {count(t, lang)}"
        for c, t in summary.flow_breakdown.items()
    )
    if summary.borders:
        lines.append(f"\n{words['borders'].format(count(summary.borders, lang))}")
    if net.metadata.sources:
        lines.append(f"\n{words['sources']}:")
        lines.extend(
            f"  {clean(credit.credit or credit.name)}"
            + (f" ({clean(credit.licence)})" if credit.licence else "")
            for credit in net.metadata.sources
        )
    return lines


def _asked_day(value: str) -> str:
    from netkoop.model.dates import day_of

    return day_of(value)


#: The words of `info`, by language.
_INFO_WORDS: Mapping[str, Mapping[str, str]] = {
    "de": {
        "reference": "Stichtag",
        "population": "Bevölkerungsstand",
        "at": "Stand am",
        "units": "Einheiten",
        "land": "Land",
        "laender": "Ländern",
        "kind": "Art",
        "count_units": "Einheiten",
        "no_land": "(ohne Land)",
        "ties": "Verbindungen",
        "undated": "davon {} ohne Beginn (since), als seit jeher bestehend gezählt",
        "count_ties": "Verbindungen",
        "flows": "Pendlerströme",
        "flows_with": "{} mit {} Pendelnden",
        "borders": "Nachbarschaften: {} Paare benachbarter Einheiten",
        "sources": "Quellen",
    },
    "en": {
        "reference": "Reference date",
        "population": "Population date (Bevölkerungsstand)",
        "at": "On",
        "units": "Units",
        "land": "Land",
        "laender": "Länder",
        "kind": "kind",
        "count_units": "units",
        "no_land": "(no Land)",
        "ties": "Ties",
        "undated": "{} without since, counted as existing since ever",
        "count_ties": "ties",
        "flows": "Flows",
        "flows_with": "{} with {} commuters",
        "borders": "Borders: {} pairs of neighbours",
        "sources": "Sources",
    },
}


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
def new(folder: Path) -> None:
    """Create a starter scenario: a commented scenario.yaml with CSV templates beside it.

    The starter validates as written; replace its example rows with your own.

    Example: netkoop new meine-region && netkoop validate meine-region
    """
    from netkoop.scenario import new_scenario

    path = new_scenario(folder)
    click.echo(f"Created {path} with units.csv, ties.csv and flows.csv beside it.")
    click.echo(f"Next: edit them, then run: netkoop validate {shlex.quote(str(folder))}")


@click.command()
def scenarios() -> None:
    """List the scenarios bundled with netkoop; any command takes their names.

    Example: netkoop scenarios
    """
    from netkoop.scenario import list_scenarios

    for bundled in list_scenarios():
        click.echo(click.style(clean(bundled.name), bold=True) + f"  {clean(bundled.title)}")
        if bundled.description:
            # At most 200 characters, cut at a word.
            click.echo(f"    {clean(textwrap.shorten(bundled.description, 200, placeholder=' …'))}")


COMMANDS = (validate, info, new, scenarios)
