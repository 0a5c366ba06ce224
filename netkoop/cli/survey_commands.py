"""`netkoop survey`: questionnaires out (create), answers in (collect)."""

from __future__ import annotations

import click

from netkoop.cli.survey_collect_command import collect as survey_collect
from netkoop.cli.survey_create_command import survey_create


@click.group(name="survey")
def survey_group() -> None:
    """Ask the Kommunen who they work with, and collect their answers into ties.

    create writes the questionnaires, collect reads the answers back:
    netkoop survey collect antworten/ --survey befragung -o ergebnis

    Example: netkoop survey create beispielregion -o befragung
    """


survey_group.add_command(survey_create)
survey_group.add_command(survey_collect)

COMMANDS = (survey_group,)
