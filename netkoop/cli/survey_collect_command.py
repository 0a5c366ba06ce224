"""``netkoop survey collect``: the answers of a survey into a scenario with its ties."""

from __future__ import annotations

from pathlib import Path

import click

from netkoop.cli.options import force
from netkoop.cli.output import clean

# The choices of netkoop.survey.rules, written here so that `--help` needs no pandas.
RULES = ("union", "confirmed", "respondent")
INTENSITY_RULES = ("lower", "higher", "reporter")


@click.command(name="collect")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--survey",
    "survey",
    type=click.Path(exists=True, path_type=Path),
    help="The folder 'survey create' wrote (holds survey.yaml); default: the one beside FILES.",
)
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write the scenario and the response report into (new or empty).",
)
@click.option(
    "--rule",
    type=click.Choice(RULES),
    default="union",
    show_default=True,
    help="union: a tie when either side reports it; confirmed: when both do; respondent: "
    "every report a tie from the respondent.",
)
@click.option(
    "--intensity",
    type=click.Choice(INTENSITY_RULES),
    default="lower",
    show_default=True,
    help="When both sides answer intensity, level, funding or since differently: the weaker "
    "claim, the stronger, or the answer of the side with the smaller id.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file saying which columns of CSV exports (long or wide) hold which answer.",
)
@force
def collect(
    files: tuple[Path, ...],
    survey: Path | None,
    folder: Path,
    rule: str,
    intensity: str,
    mapping: Path | None,
    force: bool,
) -> None:
    """Collect filled questionnaires, form files and CSV exports into ties.

    FILES are workbooks (.xlsx) and form files (.json) that 'netkoop survey create' sent
    out, CSV exports of survey tools (with --mapping), or folders of them. Of two answers of
    one respondent the later one counts. Every answer becomes a report (reports.csv); the
    ties follow --rule, each saying who reported it and whether the other side confirmed
    it. The folder holds the base scenario with these ties and the respondents' answers
    (netkoop load and validate read it), reports.csv, rücklauf.md and rücklauf.csv.

    \b
    Example: netkoop survey collect antworten/ --survey befragung -o ergebnis
    """
    from netkoop.survey.collection import check_output, collect, find_survey
    from netkoop.survey.response import percent

    if survey is None:
        survey = find_survey(files)
    inputs = [*files, survey, *([mapping] if mapping else [])]
    check_output(folder, overwrite=force, protect=inputs)
    collected = collect(files, survey, rule=rule, intensity=intensity, mapping=mapping)
    written = collected.save(folder, overwrite=force)
    response = collected.response
    ties = collected.ties
    confirmed = int((ties["confirmed"] == "yes").sum())
    click.echo(
        f"Rücklauf: {response.answered:,} von {response.asked:,} Befragten "
        f"({percent(response.rate)})"
    )
    click.echo(
        f"Verbindungen aus der Befragung: {len(ties):,} (Regel {rule}), davon {confirmed:,} "
        "von beiden Seiten bestätigt"
    )
    click.echo(f"Einseitige Nennungen: {len(response.asymmetric):,}")
    click.echo(f"Verworfene Angaben: {len(response.dropped):,}")
    click.echo(f"Geschrieben: {clean(written)} mit reports.csv, rücklauf.md und rücklauf.csv")
