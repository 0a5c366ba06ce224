"""`netkoop survey create`: one questionnaire per respondent, as a workbook and an offline form."""

from __future__ import annotations

from pathlib import Path

import click

from netkoop.cli.options import csv_option, force
from netkoop.cli.output import clean


@click.command("create")
@click.argument("scenario", metavar="SCENARIO")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="A new or empty folder for the survey.",
)
@click.option(
    "--respondents",
    metavar="ID,...",
    help="The units to ask, by id (comma-separated).",
)
@click.option(
    "--kind",
    "kinds",
    metavar="KIND,...",
    help="Instead of ids: ask the units of these kinds (default: every unit that is not a "
    "forum or a Land).",
)
@click.option("--kreis", metavar="ID", help="Ask only the units of this Kreis (id or name).")
@click.option(
    "--partners",
    type=click.Choice(["default", "all", "respondents"]),
    default="default",
    show_default=True,
    help="Who is on each roster: the other respondents, the units of the respondent's Kreis "
    "and of neighbouring Kreise and the forums of its Land (default); every other unit "
    "(all); or the other respondents only (respondents).",
)
@click.option("--name", help="The survey's name (default: Befragung <scenario name>).")
@click.option(
    "--date",
    metavar="YYYY-MM-DD",
    help="The survey's date (default: today); the same inputs and date give the same files.",
)
@csv_option
@force
def survey_create(
    scenario: str,
    output: Path,
    respondents: str | None,
    kinds: str | None,
    kreis: str | None,
    partners: str,
    name: str | None,
    date: str | None,
    csv: str,
    force: bool,
) -> None:
    """Write one questionnaire per respondent: an Excel workbook and an offline HTML form.

    Each respondent gets a workbook (Fragebögen/<id>_<Name>.xlsx) in German with the roster
    of its candidate partners and drop-downs for each tie kind's presence, intensity, level,
    funding and "since" year, free rows for partners not on the list, three questions about
    itself and the list of all units; only the answer cells can be changed, and its key is
    stored in the file so that a renamed file still belongs to it. The form
    (Formulare/<id>_<Name>.html) asks the same offline and saves the answers as a file
    that `netkoop survey collect` reads. survey.yaml records the survey, Anschreiben.md is
    a cover letter template and Versand.csv lists what goes to whom.

    No personal data of people is asked; comments are free text.

    \b
    Example: netkoop survey create beispielregion --kreis lk-nord -o befragung
    """
    from netkoop.survey.questionnaires import create

    made = create(
        scenario,
        output,
        respondents=respondents,
        kinds=kinds,
        kreis=kreis,
        partners=partners,
        name=name,
        date=date,
        csv=csv,
        overwrite=force,
    )
    for note in made.notes:
        click.echo(f"Hinweis: {clean(note)}", err=True)
    rows = sum(len(p) for p in made.partners.values())
    click.echo(
        f"Befragung {made.id} ({clean(made.name)}, {made.created}): {len(made.respondents)} "
        f"Fragebögen mit {rows} Partnerzeilen in {clean(str(made.folder))}"
    )
