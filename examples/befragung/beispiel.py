"""A survey of the Beispielregion, start to end: questionnaires out, answers in, ties built.

    python examples/befragung/beispiel.py OUT

writes into the new folder OUT:

- ``region/``: the Beispielregion as it is known before the survey: its units, forums,
  commuter flows and which Kreise border each other, but no ties (nobody has asked yet);
- ``umfrage/``: the survey of its 11 Kommunen, as ``netkoop survey create`` writes it;
- ``antworten/``: the answers of 9 of them: 8 workbooks filled in here with openpyxl, as a
  Kommune fills them in Excel, and one form file, as the HTML form's "Speichern" saves it
  (Grünau answered in the browser); Birkenhain and Moorhausen did not answer;
- ``ergebnis/``: the scenario ``netkoop survey collect`` builds from them.

The answers in `ANSWERS` were chosen so that every case of the survey shows: ties both sides
report, ties whose other side did not answer, one pair that only one side names although the
other answered (Eichwalde names Fahrendorf, Fahrendorf does not name Eichwalde: the pattern
the study "Zwei Welten?" reports), and one tie whose sides disagree about its intensity
(Landkreis Nordheide calls its exchange with Auenfeld intensive, Auenfeld regular). The
bundled scenario ``beispielregion-befragung`` is ``ergebnis/`` of this script.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd

import netkoop
from netkoop.survey import collect, create
from netkoop.survey.roster import choices

#: The day the survey is sent out: the same day gives the same files, byte for byte.
DATE = "2025-03-03"

#: The name of the region's scenario, which the questionnaires carry.
SCENARIO = "beispielregion-befragung"

#: The name of the survey, in its files and in the collected scenario's title.
NAME = "Befragung zur Zusammenarbeit 2025"

#: The day the form answer was saved in the browser.
SAVED = "2025-03-17T09:30:00.000Z"

#: Which Kreise touch: the city lies between the two Landkreise, which touch each other.
BORDERS = [("lk-nord", "musterstadt"), ("lk-nord", "lk-sued"), ("lk-sued", "musterstadt")]

#: Respondent -> its reports: (partner, kind, intensity, level, funding, since).
ANSWERS: dict[str, list[tuple[str, str, str, str, str, int]]] = {
    "musterstadt": [
        ("lk-nord", "service_opening", "regular", "operational", "project", 2016),
        ("lk-sued", "exchange", "occasional", "leadership", "voluntary", 2023),
        ("lag-ni", "membership", "intensive", "leadership", "voluntary", 2014),
    ],
    "lk-nord": [
        ("auenfeld", "exchange", "intensive", "operational", "mandatory", 2016),
        ("eichwalde", "exchange", "occasional", "leadership", "voluntary", 2019),
        ("lag-ni", "membership", "regular", "leadership", "voluntary", 2016),
    ],
    "lk-sued": [
        ("fahrendorf", "exchange", "regular", "operational", "mandatory", 2015),
        ("moorhausen", "exchange", "occasional", "operational", "mandatory", 2019),
        ("musterstadt", "exchange", "occasional", "leadership", "voluntary", 2023),
        ("lag-ni", "membership", "regular", "leadership", "voluntary", 2016),
    ],
    "auenfeld": [
        ("birkenhain", "exchange", "regular", "operational", "voluntary", 2016),
        ("dorfstetten", "exchange", "occasional", "leadership", "voluntary", 2018),
        ("eichwalde", "exchange", "regular", "leadership", "voluntary", 2015),
        ("lk-nord", "exchange", "regular", "operational", "mandatory", 2016),
        ("lag-ni", "membership", "occasional", "operational", "voluntary", 2020),
    ],
    "dorfstetten": [
        ("auenfeld", "exchange", "occasional", "leadership", "voluntary", 2018),
        ("birkenhain", "exchange", "regular", "operational", "voluntary", 2017),
        ("birkenhain", "shared_staff", "intensive", "operational", "project", 2021),
    ],
    "eichwalde": [
        ("auenfeld", "exchange", "regular", "leadership", "voluntary", 2015),
        ("lk-nord", "exchange", "occasional", "leadership", "voluntary", 2019),
        ("fahrendorf", "exchange", "occasional", "operational", "voluntary", 2022),
    ],
    "fahrendorf": [
        ("gruenau", "exchange", "regular", "operational", "voluntary", 2016),
        ("heidbrueck", "exchange", "regular", "leadership", "voluntary", 2017),
        ("lk-sued", "exchange", "regular", "operational", "mandatory", 2015),
    ],
    "gruenau": [
        ("fahrendorf", "exchange", "regular", "operational", "voluntary", 2016),
        ("heidbrueck", "joint_project", "regular", "operational", "project", 2022),
    ],
    "heidbrueck": [
        ("fahrendorf", "exchange", "regular", "leadership", "voluntary", 2017),
        ("gruenau", "joint_project", "regular", "operational", "project", 2022),
        ("moorhausen", "shared_material", "occasional", "operational", "voluntary", 2020),
    ],
}

#: Respondent -> its answers about itself (coordination office, concept, case management).
ABOUT: dict[str, tuple[str, bool, bool]] = {
    "musterstadt": ("permanent", True, True),
    "lk-nord": ("project", True, False),
    "lk-sued": ("permanent", False, True),
    "auenfeld": ("project", False, False),
    "dorfstetten": ("none", False, False),
    "eichwalde": ("none", True, False),
    "fahrendorf": ("project", False, False),
    "gruenau": ("none", False, False),
    "heidbrueck": ("none", False, False),
}

#: The Kommune that answered through the HTML form instead of the workbook.
IN_THE_BROWSER = "gruenau"


def region(folder: Path) -> Path:
    """Write the Beispielregion without its ties, with its Kreis borders; return the file."""
    known = netkoop.load("beispielregion")
    borders = pd.DataFrame(BORDERS, columns=["from", "to"]).astype("str")
    borders["length_km"] = pd.Series([float("nan")] * len(BORDERS), dtype="float64")
    before = known.with_tables(ties=known.ties.iloc[0:0], borders=borders).with_metadata(
        name=SCENARIO,
        title="Beispielregion (fiktiv)",
        description="The Beispielregion asked who works with whom: its 11 Kommunen got a "
        "questionnaire, 9 answered (examples/befragung). Before the survey the region was "
        "known by its units, forums, commuter flows and Kreis borders, without ties.",
    )
    return before.save(folder)


def fill_workbook(blank: Path, target: Path, respondent: str) -> None:
    """Fill a respondent's questionnaire as a person would in Excel, and save it as ``target``.

    The cells are found through the workbook's hidden sheet ``netkoop``, as `collect` finds
    them; the answers are the German words of the drop-down lists.
    """
    book = openpyxl.load_workbook(blank)
    layout = {str(a): str(b) for a, b in book["netkoop"].iter_rows(values_only=True) if a}
    columns = {meaning: key[len("column:") :] for key, meaning in layout.items()
               if key.startswith("column:")}  # fmt: skip
    first, last = (int(n) for n in layout["rows:roster"].split("-"))
    sheet = book["Partner"]
    rows = {sheet[f"A{row}"].value: row for row in range(first, last + 1)}
    german = {field: dict(choices(field)) for field in ("intensity", "level", "funding")}
    for partner, kind, intensity, level, funding, since in ANSWERS[respondent]:
        row = rows[partner]
        sheet[f"{columns[f'{kind}.presence']}{row}"] = "ja"
        sheet[f"{columns[f'{kind}.intensity']}{row}"] = german["intensity"][intensity]
        sheet[f"{columns[f'{kind}.level']}{row}"] = german["level"][level]
        sheet[f"{columns[f'{kind}.funding']}{row}"] = german["funding"][funding]
        sheet[f"{columns[f'{kind}.since']}{row}"] = since
    office, concept, cases = ABOUT[respondent]
    about = {meaning: key[len("about:") :] for key, meaning in layout.items()
             if key.startswith("about:")}  # fmt: skip
    answers = {
        "coordination_office": dict(choices("coordination_office"))[office],
        "integration_concept": "ja" if concept else "nein",
        "case_management": "ja" if cases else "nein",
    }
    for field, text in answers.items():
        book["Eigene Angaben"][about[field]] = text
    book.save(target)


def form_answer(survey: netkoop.survey.CreatedSurvey, respondent: str) -> str:
    """The file the HTML form's "Speichern" downloads, for ``respondent``'s answers."""
    office, concept, cases = ABOUT[respondent]
    document = {
        "format": "netkoop-survey-form-1",
        "survey": survey.id,
        "survey_name": survey.name,
        "scenario": SCENARIO,
        "respondent": respondent,
        "saved": SAVED,
        "answers": [
            {
                "partner": partner,
                "kind": kind,
                "intensity": intensity,
                "level": level,
                "funding": funding,
                "since": since,
                "comment": None,
            }
            for partner, kind, intensity, level, funding, since in ANSWERS[respondent]
        ],
        "about": {
            "coordination_office": office,
            "integration_concept": concept,
            "case_management": cases,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(out: Path) -> Path:
    """Run the whole survey into the new folder ``out``; return the collected scenario."""
    out.mkdir()
    scenario = region(out / "region")
    survey = create(scenario.parent, out / "umfrage", name=NAME, date=DATE)
    answers = out / "antworten"
    answers.mkdir()
    for respondent in ANSWERS:
        if respondent == IN_THE_BROWSER:
            target = answers / f"{respondent}_antworten.json"
            target.write_text(form_answer(survey, respondent), encoding="utf-8")
        else:
            blank = survey.workbooks[respondent]
            fill_workbook(blank, answers / blank.name, respondent)
    collected = collect(sorted(answers.iterdir()), out / "umfrage")
    return collected.save(out / "ergebnis")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "befragung"
    print(f"Wrote {main(target)}")
