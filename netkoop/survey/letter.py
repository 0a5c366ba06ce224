"""The cover letter template of a survey and the list of what goes to whom (``Versand.csv``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from netkoop.output.tables import csv_text
from netkoop.survey.roster import SurveyInfo, Unit

#: The columns of ``Versand.csv``, one row per respondent; the letter's placeholders are
#: these names in braces.
SENT_COLUMNS = ("respondent", "name", "kind", "kreis", "kreis_name", "partners", "workbook", "form")


def sent_table(
    respondents: Sequence[Unit],
    partners: Mapping[str, Sequence[str]],
    workbooks: Mapping[str, str],
    forms: Mapping[str, str],
) -> pd.DataFrame:
    """Return what is sent to whom: one row per respondent with its files (relative paths)."""
    rows = [
        {
            "respondent": unit.id,
            "name": unit.name,
            "kind": unit.kind,
            "kreis": unit.kreis,
            "kreis_name": unit.kreis_name,
            "partners": len(partners[unit.id]),
            "workbook": workbooks[unit.id],
            "form": forms[unit.id],
        }
        for unit in respondents
    ]
    return pd.DataFrame(rows, columns=list(SENT_COLUMNS)).astype(
        {c: "str" for c in SENT_COLUMNS if c != "partners"} | {"partners": "int64"}
    )


def sent_csv(table: pd.DataFrame, dialect: str = "standard") -> str:
    """Return ``Versand.csv`` in a CSV dialect (`netkoop.output.formats.CSV_DIALECTS`)."""
    return csv_text(table, dialect)


def letter(survey: SurveyInfo) -> str:
    """Return the cover letter template (Markdown, German) with placeholders per respondent.

    The placeholders in braces are the columns of ``Versand.csv``, so that a mail merge fills
    them (``{name}``, ``{respondent}``, ``{workbook}``, ``{form}``).
    """
    return f"""\
<!-- Anschreiben zur Befragung „{survey.name}“ (Kennung {survey.id}, {survey.created}).
     Die Platzhalter in geschweiften Klammern sind die Spalten von Versand.csv: ein
     Serienbrief füllt sie je Kommune. Ergänzen Sie Absender, Frist und Rückgabeweg. -->

# {survey.name}

An: {{name}} (Schlüssel {{respondent}})

Sehr geehrte Damen und Herren,

wir möchten wissen, mit welchen Kommunen und Austauschformaten Ihre Verwaltung in der
Integrationspolitik zusammenarbeitet: im Erfahrungsaustausch, mit geteilten Stellen,
gemeinsamen Projekten, geteiltem Material, geöffneten Angeboten oder als Mitglied eines
Austauschformats. Die Antworten aller Kommunen zusammen zeigen, wo Zusammenarbeit trägt und wo
sie fehlt.

Bitte füllen Sie **einen** der beiden beigefügten Fragebögen aus:

- den Excel-Fragebogen `{{workbook}}`, oder
- das Formular `{{form}}`: Öffnen Sie es im Browser (es braucht keine Internetverbindung),
  füllen Sie es aus und klicken Sie auf „Speichern“; senden Sie uns die gespeicherte Datei.

Der Fragebogen listet die Kommunen und Austauschformate, mit denen Sie wahrscheinlich zu tun
haben; weitere Partner können Sie ergänzen. Das Ausfüllen dauert etwa 15 Minuten.

Wir fragen nach Kommunen und Strukturen, nicht nach Personen: Bitte nennen Sie keine Namen von
Personen. Ihre Bemerkungen werten wir aus, zeigen sie aber in keinem Netzwerkbild.

Bitte senden Sie den ausgefüllten Fragebogen bis zum [FRIST] an [E-MAIL-ADRESSE].

Bei Fragen erreichen Sie uns unter [TELEFON / E-MAIL].

Mit freundlichen Grüßen

[NAME, STELLE]
"""
