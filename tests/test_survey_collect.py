"""`netkoop survey collect`: answers in every format into reports, ties by rule, the response.

The hand-made case: a Landkreis (lk, not asked) with the Gemeinden a, b, c, d and a forum f.
a, b and c answer; d is asked and does not. Every expected value below is worked out by hand
from `ANSWERS`:

- a–b exchange: both report it (confirmed yes); a says regular, operational, since 2016, b
  intensive, leadership, funding project, since 2012: intensity, level and since differ.
- a–c exchange: both, occasional (yes, no difference).
- b–lk exchange: only b (lk was not asked: unknown). b writes the Landkreis by its name.
- b–c shared_staff: only b, and c answered without it (no); c–b joint_project likewise:
  the two asymmetric pairs, each naming the other's kind.
- a–d joint_project: only a, d did not answer (unknown).
- a → b service_opening and a → f membership: directed, never asked back (unknown).
"""

from __future__ import annotations

import json
import math
import os
import re
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import netkoop
from netkoop import DataFileError, NetkoopWarning, OutputError
from netkoop.model.vocabulary import TIE_KINDS, VALUE_LABELS_DE
from netkoop.scenario.document import display_path
from netkoop.survey.collection import OUTPUT_FILES, collect
from netkoop.survey.readers.mapping import mapping_from
from netkoop.survey.rules import CONFIDENCE, INTENSITY_RULES, RULES
from tests.conftest import run_cli, snapshot

SURVEY_ID = "5eed5eed5eed"
OTHER_ID = "0ther0ther00"

UNITS = """\
id,name,kind,land,parent,coordination_office
lk,Landkreis Lindenau,landkreis,03,,
a,Altdorf,gemeinde,03,lk,
b,Buchholz,gemeinde,03,lk,
c,Crusendorf,gemeinde,03,lk,project
d,Dammhausen,gemeinde,03,lk,
f,AG Integration Niedersachsen,forum,03,,
"""

RESPONDENTS = ("a", "b", "c", "d")
ROSTERS = {r: tuple(p for p in ("a", "b", "c", "d", "f") if p != r) for r in RESPONDENTS}

#: What each respondent answers: (partner as written, kind, fields in netkoop's words).
ANSWERS: dict[str, dict[str, Any]] = {
    "a": {
        "reports": [
            ("b", "exchange", {"intensity": "regular", "level": "operational", "since": 2016}),
            ("c", "exchange", {"intensity": "occasional"}),
            ("d", "joint_project", {}),
            ("f", "membership", {}),
            ("b", "service_opening", {"intensity": "regular"}),
        ],
        "about": {"coordination_office": "permanent", "integration_concept": True},
    },
    "b": {
        "reports": [
            (
                "a",
                "exchange",
                {
                    "intensity": "intensive",
                    "level": "leadership",
                    "funding": "project",
                    "since": 2012,
                },
            ),
            ("c", "shared_staff", {}),
            ("Landkreis Lindenau", "exchange", {}),
        ],
        "about": {"coordination_office": "none", "case_management": False},
    },
    "c": {
        "reports": [
            ("a", "exchange", {"intensity": "occasional"}, "seit Jahren"),
            ("b", "joint_project", {}),
        ],
        "about": {"integration_concept": False},
    },
}

TIE_FIELDS = ["from", "to", "kind", "intensity", "level", "funding", "since"]
TIE_STATUS = ["reported_by", "confirmed", "confidence", "intensity_rule", "differs"]

#: The ties of `union` with `lower`, worked out by hand (see the module docstring).
UNION_LOWER = [
    ("a", "b", "exchange", "regular", "operational", "project", "2016", "both", "yes", 1.0,
     "lower", "intensity, level, since"),
    ("a", "c", "exchange", "occasional", None, None, None, "both", "yes", 1.0, None, None),
    ("b", "lk", "exchange", None, None, None, None, "b", "unknown", 0.6, None, None),
    ("b", "c", "shared_staff", None, None, None, None, "b", "no", 0.3, None, None),
    ("a", "d", "joint_project", None, None, None, None, "a", "unknown", 0.6, None, None),
    ("b", "c", "joint_project", None, None, None, None, "c", "no", 0.3, None, None),
    ("a", "b", "service_opening", "regular", None, None, None, "a", "unknown", 0.6, None, None),
    ("a", "f", "membership", None, None, None, None, "a", "unknown", 0.6, None, None),
]  # fmt: skip

# --- building the survey and its answers -----------------------------------------------------


def _survey_yaml(survey_id: str = SURVEY_ID) -> str:
    partners = "".join(f"  {r}: [{', '.join(repr(p) for p in ROSTERS[r])}]\n" for r in RESPONDENTS)
    return (
        "format_version: 1\n"
        f"survey: {{id: '{survey_id}', name: Befragung Lindenau, created: '2024-06-30', "
        "scenario: ../szenario}\n"
        f"respondents: [{', '.join(repr(r) for r in RESPONDENTS)}]\n"
        f"partners:\n{partners}"
    )


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """The survey folder (its scenario beside it in ../szenario)."""
    scenario = tmp_path / "szenario"
    scenario.mkdir()
    (scenario / "scenario.yaml").write_text(
        "format_version: 1\nname: lindenau\ntitle: Lindenau\nunits: {file: units.csv}\n",
        encoding="utf-8",
    )
    (scenario / "units.csv").write_text(UNITS, encoding="utf-8")
    folder = tmp_path / "befragung"
    folder.mkdir()
    (folder / "survey.yaml").write_text(_survey_yaml(), encoding="utf-8")
    return folder


def _german(field: str, value: object) -> object:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if field in {"since"}:
        return value
    return VALUE_LABELS_DE[(field, str(value))]


#: The answer columns of the spec's workbook, in an order of their own: kinds backwards, to
#: show that collect reads the hidden sheet rather than fixed positions.
_KIND_FIELDS = ("presence", "intensity", "level", "funding", "since")
_COLUMNS = [f"{k}.{f}" for k in reversed(TIE_KINDS) for f in _KIND_FIELDS] + ["comment"]


def _letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index)


def write_workbook(
    path: Path,
    respondent: str,
    answers: Mapping[str, Any] | None = None,
    *,
    survey_id: str = SURVEY_ID,
    roster: Sequence[str] | None = None,
    cells: Mapping[str, object] | None = None,
) -> Path:
    """A questionnaire laid out as the spec says, filled with ``answers`` in German words.

    Partners on the roster get their row; others go to the free rows (written as given).
    ``cells`` overwrites single cells afterwards (``{"Partner!A2": "x"}``).
    """
    names = {"a": "Altdorf", "b": "Buchholz", "c": "Crusendorf", "d": "Dammhausen"}
    roster = list(ROSTERS[respondent] if roster is None else roster)
    book = openpyxl.Workbook()
    book.active.title = "Anleitung"
    book.active["A1"] = "Bitte füllen Sie die gelben Zellen aus."
    sheet = book.create_sheet("Partner")
    sheet.append(["Schlüssel", "Name", "Art", "Kreis", *_COLUMNS])
    for key in roster:
        sheet.append([key, names.get(key, key), None, None])
    free = len(roster) + 2
    column_of = {meaning: _letter(5 + i) for i, meaning in enumerate(_COLUMNS)}
    about = book.create_sheet("Eigene Angaben")
    about["A2"], about["B2"] = "Kommune", f"{names[respondent]} ({respondent})"
    rows: dict[str, int] = {key: 2 + i for i, key in enumerate(roster)}
    for entry in (answers or {}).get("reports", []):
        partner, kind, values = entry[:3]
        comment = entry[3] if len(entry) > 3 else None
        if partner not in rows:
            rows[partner] = free
            sheet[f"A{free}"] = partner
            free += 1
        row = rows[partner]
        sheet[f"{column_of[f'{kind}.presence']}{row}"] = "ja"
        for field, value in values.items():
            sheet[f"{column_of[f'{kind}.{field}']}{row}"] = _german(field, value)
        if comment:
            sheet[f"{column_of['comment']}{row}"] = comment
    for number, field in enumerate(
        ("coordination_office", "integration_concept", "case_management"), 3
    ):
        about[f"A{number}"] = field
        value = (answers or {}).get("about", {}).get(field)
        if value is not None:
            about[f"B{number}"] = _german(field, value)
    book.create_sheet("Alle Einheiten").append(["Schlüssel", "Name"])
    hidden = book.create_sheet("netkoop")
    layout = [
        ("format", "netkoop-survey-1"),
        ("survey", survey_id),
        ("survey_name", "Befragung Lindenau"),
        ("scenario", "lindenau"),
        ("respondent", respondent),
        ("respondent_name", names[respondent]),
        ("created", "2024-06-30"),
        *((f"column:{letter}", meaning) for meaning, letter in column_of.items()),
        ("about:B3", "coordination_office"),
        ("about:B4", "integration_concept"),
        ("about:B5", "case_management"),
    ]
    for key, value in layout:
        hidden.append([key, value])
    hidden.sheet_state = "veryHidden"
    for where, value in (cells or {}).items():
        name, cell = where.split("!")
        book[name][cell] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_form(
    path: Path,
    respondent: str,
    answers: Mapping[str, Any],
    *,
    survey_id: str = SURVEY_ID,
    saved: str | None = "2024-07-01T10:00:00+02:00",
) -> Path:
    """A form file as the offline form saves it (English words)."""
    items = []
    for entry in answers["reports"]:
        partner, kind, values = entry[:3]
        comment = entry[3] if len(entry) > 3 else None
        items.append({"partner": partner, "kind": kind, **values, "comment": comment})
    doc = {
        "format": "netkoop-survey-form-1",
        "survey": survey_id,
        "survey_name": "Befragung Lindenau",
        "scenario": "lindenau",
        "respondent": respondent,
        "saved": saved,
        "answers": items,
        "about": {
            k: answers["about"].get(k)
            for k in ("coordination_office", "integration_concept", "case_management")
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


_LIME_KINDS = {"exchange": "AUS", "shared_staff": "STE", "joint_project": "PRO",
               "shared_material": "MAT", "service_opening": "OEF", "membership": "MIT"}  # fmt: skip
_LIME_FIELDS = {
    "presence": "",
    "intensity": "int",
    "level": "lev",
    "funding": "fin",
    "since": "sin",
}
_LIME_PARTNERS = {"SQ001": "a", "SQ002": "b", "SQ003": "c", "SQ004": "d", "SQ005": "f",
                  "SQ006": "Landkreis Lindenau"}  # fmt: skip
_LIME_CODES = {
    "presence": {True: "Y"},
    "intensity": {"occasional": "A1", "regular": "A2", "intensive": "A3"},
    "level": {"leadership": "A1", "operational": "A2"},
    "funding": {"voluntary": "A1", "project": "A2", "mandatory": "A3"},
    "coordination_office": {"none": "A1", "project": "A2", "permanent": "A3", "mandatory": "A4"},
    "integration_concept": {True: "Y", False: "N"},
    "case_management": {True: "Y", False: "N"},
}
LIME_MAPPING = {
    "layout": "wide",
    "respondent": "token",
    "saved": "submitdate",
    "columns": {
        f"{kind}.{field}" if field != "presence" else kind: f"{code}{suffix}[{{partner}}]"
        for kind, code in _LIME_KINDS.items()
        for field, suffix in _LIME_FIELDS.items()
    },
    "partners": _LIME_PARTNERS,
    "about": {
        "coordination_office": "KOORD",
        "integration_concept": "KONZ",
        "case_management": "FALL",
    },
    "values": {
        **{
            field: {code: VALUE_LABELS_DE[(field, word)] for word, code in codes.items()}
            for field, codes in _LIME_CODES.items()
            if field in {"intensity", "level", "funding", "coordination_office"}
        },
        "presence": {"Y": "ja", "N": "nein"},
        "integration_concept": {"Y": "ja", "N": "nein"},
        "case_management": {"Y": "ja", "N": "nein"},
    },
}


def write_wide_csv(path: Path, answers: Mapping[str, Mapping[str, Any]]) -> Path:
    """A LimeSurvey-style wide export: one row per respondent, array questions per kind."""
    code_of = {written: code for code, written in _LIME_PARTNERS.items()}
    header = ["id", "submitdate", "token"]
    header += [
        f"{kind_code}{suffix}[{code}]"
        for kind_code in _LIME_KINDS.values()
        for suffix in _LIME_FIELDS.values()
        for code in _LIME_PARTNERS
    ]
    header += ["KOORD", "KONZ", "FALL"]
    rows = []
    for number, (respondent, answer) in enumerate(answers.items(), 1):
        row = dict.fromkeys(header, "")
        row |= {"id": str(number), "submitdate": "2024-07-01 10:00:00", "token": respondent}
        for code in _LIME_PARTNERS:
            for kind_code in _LIME_KINDS.values():
                row[f"{kind_code}[{code}]"] = "N"
        for entry in answer["reports"]:
            partner, kind, values = entry[:3]
            code = code_of[partner]
            row[f"{_LIME_KINDS[kind]}[{code}]"] = "Y"
            for field, value in values.items():
                cell = f"{_LIME_KINDS[kind]}{_LIME_FIELDS[field]}[{code}]"
                row[cell] = str(value) if field == "since" else _LIME_CODES[field][value]
        for field, column in LIME_MAPPING["about"].items():
            value = answer["about"].get(field)
            row[column] = "" if value is None else _LIME_CODES[field][value]
        rows.append(row)
    text = pd.DataFrame(rows, columns=header).to_csv(index=False, lineterminator="\r\n")
    path.write_text(text, encoding="utf-8")
    return path


LONG_MAPPING = """\
layout: long
respondent: Befragte
partner: Partner
kind: Art
columns:
  intensity: Intensität
  level: Ebene
  funding: Finanzierung
  since: seit
  comment: Bemerkung
about:
  coordination_office: Koordinierungsstelle
  integration_concept: Integrationskonzept
  case_management: Fallmanagement
"""

_KIND_DE = {
    "exchange": "Erfahrungsaustausch",
    "shared_staff": "geteilte Stelle",
    "joint_project": "gemeinsames Projekt",
    "service_opening": "Öffnung von Angeboten",
    "membership": "Mitgliedschaft",
}


def write_long_csv(path: Path, answers: Mapping[str, Mapping[str, Any]]) -> Path:
    """A long export in German Excel's dialect: cp1252, ';', German words."""
    lines = [
        "Befragte;Partner;Art;Intensität;Ebene;Finanzierung;seit;Bemerkung;"
        "Koordinierungsstelle;Integrationskonzept;Fallmanagement"
    ]
    for respondent, answer in answers.items():
        about = [
            "" if answer["about"].get(f) is None else str(_german(f, answer["about"][f]))
            for f in ("coordination_office", "integration_concept", "case_management")
        ]
        for entry in answer["reports"]:
            partner, kind, values = entry[:3]
            comment = entry[3] if len(entry) > 3 else ""
            fields = [
                "" if values.get(f) is None else str(_german(f, values[f]))
                for f in ("intensity", "level", "funding", "since")
            ]
            lines.append(";".join([respondent, partner, _KIND_DE[kind], *fields, comment, *about]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def workbooks(folder: Path, answers: Mapping[str, Any] = ANSWERS) -> list[Path]:
    return [write_workbook(folder / f"{r}.xlsx", r, a) for r, a in answers.items()]


def forms(folder: Path, answers: Mapping[str, Any] = ANSWERS) -> list[Path]:
    return [write_form(folder / f"{r}_antworten.json", r, a) for r, a in answers.items()]


def values(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[object, ...]]:
    """Rows as tuples, missing values as None."""
    return [
        tuple(None if _missing(v) else v for v in row)
        for row in frame[list(columns)].itertuples(index=False)
    ]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# --- rules -----------------------------------------------------------------------------------


def test_union_ties_worked_out_by_hand(survey: Path, tmp_path: Path) -> None:
    collected = collect(workbooks(tmp_path / "antworten"), survey)
    assert values(collected.ties, [*TIE_FIELDS, *TIE_STATUS]) == UNION_LOWER
    assert set(collected.ties["source"]) == {"survey:Befragung Lindenau 2024-06-30"}
    assert list(collected.ties.columns) == [
        "from", "to", "kind", "intensity", "level", "funding", "since", "source", "confidence",
        "reported_by", "confirmed", "intensity_rule", "differs",
    ]  # fmt: skip


def test_confirmed_keeps_what_both_sides_report(survey: Path, tmp_path: Path) -> None:
    collected = collect(workbooks(tmp_path / "antworten"), survey, rule="confirmed")
    assert values(collected.ties, [*TIE_FIELDS, *TIE_STATUS]) == UNION_LOWER[:2]


def test_respondent_keeps_every_report_as_a_directed_tie(survey: Path, tmp_path: Path) -> None:
    collected = collect(workbooks(tmp_path / "antworten"), survey, rule="respondent")
    assert values(collected.ties, ["from", "to", "kind", "intensity", "since", *TIE_STATUS]) == [
        ("a", "b", "exchange", "regular", "2016", "a", "yes", 1.0, None, None),
        ("a", "c", "exchange", "occasional", None, "a", "yes", 1.0, None, None),
        ("b", "a", "exchange", "intensive", "2012", "b", "yes", 1.0, None, None),
        ("b", "lk", "exchange", None, None, "b", "unknown", 0.6, None, None),
        ("c", "a", "exchange", "occasional", None, "c", "yes", 1.0, None, None),
        ("b", "c", "shared_staff", None, None, "b", "no", 0.3, None, None),
        ("a", "d", "joint_project", None, None, "a", "unknown", 0.6, None, None),
        ("c", "b", "joint_project", None, None, "c", "no", 0.3, None, None),
        ("a", "b", "service_opening", "regular", None, "a", "unknown", 0.6, None, None),
        ("a", "f", "membership", None, None, "a", "unknown", 0.6, None, None),
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("lower", ("regular", "operational", "project", "2016")),
        ("higher", ("intensive", "leadership", "project", "2012")),
        # The smaller id is a: its answers, and b's funding where a gave none.
        ("reporter", ("regular", "operational", "project", "2016")),
    ],
)
def test_intensity_rule_decides_where_both_sides_differ(
    survey: Path, tmp_path: Path, rule: str, expected: tuple[str, ...]
) -> None:
    collected = collect(workbooks(tmp_path / "antworten"), survey, intensity=rule)
    ties = collected.ties
    pair = ties[(ties["from"] == "a") & (ties["to"] == "b") & (ties["kind"] == "exchange")]
    assert values(
        pair, ["intensity", "level", "funding", "since", "intensity_rule", "differs"]
    ) == [(*expected, rule, "intensity, level, since")]
    # A tie one side reported keeps that side's answer whatever the rule.
    opening = ties[ties["kind"] == "service_opening"]
    assert values(opening, ["intensity", "intensity_rule"]) == [("regular", None)]


def test_rule_names_and_confidence_are_documented_values() -> None:
    from netkoop.cli import survey_collect_command as command

    assert command.RULES == RULES
    assert command.INTENSITY_RULES == INTENSITY_RULES
    assert dict(CONFIDENCE) == {"yes": 1.0, "unknown": 0.6, "no": 0.3}


def test_an_unknown_rule_is_refused(survey: Path, tmp_path: Path) -> None:
    with pytest.raises(netkoop.NetkoopError, match="unknown rule 'both'; rules: union"):
        collect(workbooks(tmp_path / "antworten"), survey, rule="both")


# --- reports, units and the response report ---------------------------------------------------


def test_reports_say_who_said_what_and_where(survey: Path, tmp_path: Path) -> None:
    collected = collect(workbooks(tmp_path / "antworten"), survey)
    reports = collected.reports
    assert list(reports.columns) == [
        "respondent", "partner", "kind", "intensity", "level", "funding", "since", "comment",
        "file", "place",
    ]  # fmt: skip
    # Columns of the spec's workbook: kinds backwards from E (membership) to AD (exchange).
    assert values(
        reports, ["respondent", "partner", "kind", "since", "comment", "file", "place"]
    ) == [
        ("a", "b", "exchange", 2016, None, "a.xlsx", "Partner!AD2"),
        ("a", "b", "service_opening", None, None, "a.xlsx", "Partner!J2"),
        ("a", "c", "exchange", None, None, "a.xlsx", "Partner!AD3"),
        ("a", "d", "joint_project", None, None, "a.xlsx", "Partner!T4"),
        ("a", "f", "membership", None, None, "a.xlsx", "Partner!E5"),
        ("b", "a", "exchange", 2012, None, "b.xlsx", "Partner!AD2"),
        ("b", "c", "shared_staff", None, None, "b.xlsx", "Partner!Y3"),
        ("b", "lk", "exchange", None, None, "b.xlsx", "Partner!AD6"),
        ("c", "a", "exchange", None, "seit Jahren", "c.xlsx", "Partner!AD2"),
        ("c", "b", "joint_project", None, None, "c.xlsx", "Partner!T3"),
    ]


def test_units_say_who_responded_and_what_they_said_about_themselves(
    survey: Path, tmp_path: Path
) -> None:
    units = collect(workbooks(tmp_path / "antworten"), survey).units.set_index("id")
    assert values(
        units.reset_index(),
        ["id", "responded", "coordination_office", "integration_concept", "case_management"],
    ) == [
        ("lk", None, None, None, None),
        ("a", True, "permanent", True, None),
        ("b", True, "none", None, False),
        ("c", True, "project", False, None),  # the base scenario's office stays
        ("d", False, None, None, None),
        ("f", None, None, None, None),
    ]
    assert str(units["responded"].dtype) == "boolean"


def test_response_report_by_hand(survey: Path, tmp_path: Path) -> None:
    response = collect(workbooks(tmp_path / "antworten"), survey).response
    assert (response.asked, response.answered, response.rate) == (4, 3, 0.75)
    assert values(response.rates, ["group", "id", "asked", "answered", "rate"]) == [
        ("overall", None, 4, 3, 0.75),
        ("kind", "gemeinde", 4, 3, 0.75),
        ("kreis", "lk", 4, 3, 0.75),
    ]
    assert values(
        response.respondents,
        ["id", "responded", "file", "reports", "confirmed", "unconfirmed", "unknown"],
    ) == [
        ("a", True, "a.xlsx", 5, 2, 0, 3),
        ("b", True, "b.xlsx", 3, 1, 1, 1),
        ("c", True, "c.xlsx", 2, 1, 1, 0),
        ("d", False, None, 0, 0, 0, 0),
    ]
    assert values(response.asymmetric, ["reporter", "partner", "kind", "other_kinds"]) == [
        ("b", "c", "shared_staff", "joint_project"),
        ("c", "b", "joint_project", "shared_staff"),
    ]
    assert response.dropped.empty
    text = response.markdown()
    assert "| insgesamt | 4 | 3 | 75 % |" in text
    assert "| d | Dammhausen | kreisangehörige Gemeinde |" in text
    assert "| Buchholz (b) | Crusendorf (c) | geteilte Stelle | gemeinsames Projekt |" in text
    table = response.table()
    assert list(table["section"].unique()) == ["rate", "respondent", "asymmetric"]


# --- every format gives the same ties ---------------------------------------------------------


def _collect_each_format(survey: Path, tmp_path: Path) -> dict[str, Any]:
    mapping = tmp_path / "lang.yaml"
    mapping.write_text(LONG_MAPPING, encoding="utf-8")
    return {
        "workbooks": collect(workbooks(tmp_path / "xlsx"), survey),
        "forms": collect(forms(tmp_path / "json"), survey),
        "wide": collect(
            write_wide_csv(tmp_path / "limesurvey.csv", ANSWERS),
            survey,
            mapping=mapping_from(LIME_MAPPING),
        ),
        "long": collect(write_long_csv(tmp_path / "lang.csv", ANSWERS), survey, mapping=mapping),
    }


def test_workbooks_forms_wide_and_long_csv_give_the_same_ties(survey: Path, tmp_path: Path) -> None:
    found = _collect_each_format(survey, tmp_path)
    for name, collected in found.items():
        assert values(collected.ties, [*TIE_FIELDS, *TIE_STATUS]) == UNION_LOWER, name
        pd.testing.assert_frame_equal(collected.units, found["workbooks"].units, obj=name)
        assert collected.response.dropped.empty, name
    assert b"regelm\xe4\xdfig" in (tmp_path / "lang.csv").read_bytes()  # cp1252
    long = found["long"].reports
    assert values(long.head(2), ["respondent", "partner", "file", "place"]) == [
        ("a", "b", "lang.csv", "row 2"),
        ("a", "b", "lang.csv", "row 6"),
    ]
    wide = found["wide"].reports
    assert values(wide.head(1), ["file", "place"]) == [("limesurvey.csv", "row 2, AUS[SQ002]")]


def test_a_created_survey_reads_back(tmp_path: Path) -> None:
    from netkoop.survey.questionnaires import create

    made = create("beispielregion", tmp_path / "befragung", kreis="lk-nord", date="2024-06-30")
    book = openpyxl.load_workbook(made.workbooks["auenfeld"])
    layout = {row[0].value: row[1].value for row in book["netkoop"].iter_rows()}
    column = {
        meaning: key.split(":")[1] for key, meaning in layout.items() if key.startswith("column:")
    }
    roster = book["Partner"]
    row = next(r for r in range(2, roster.max_row + 1) if roster[f"A{r}"].value == "birkenhain")
    roster[f"{column['exchange.presence']}{row}"] = "ja"
    roster[f"{column['exchange.intensity']}{row}"] = "regelmäßig"
    book.save(tmp_path / "auenfeld.xlsx")
    # beispielregion has its own 21 ties, one of them Auenfeld-Birkenhain: the answer replaces it.
    with pytest.warns(NetkoopWarning, match="21 ties: 1 .* replaced by it, 20 stay"):
        collected = collect(tmp_path / "auenfeld.xlsx", tmp_path / "befragung")
    survey_ties = collected.ties
    assert values(survey_ties, ["from", "to", "kind", "intensity", "reported_by", "confirmed"]) == [
        ("auenfeld", "birkenhain", "exchange", "regular", "auenfeld", "unknown")
    ]


# --- the folder --------------------------------------------------------------------------------


def test_the_folder_loads_validates_and_is_rebuilt_byte_for_byte(
    survey: Path, tmp_path: Path
) -> None:
    files = workbooks(tmp_path / "antworten")
    out = tmp_path / "ergebnis"
    result = run_cli("survey", "collect", *files, "--survey", survey, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "Rücklauf: 3 von 4 Befragten (75 %)",
        "Verbindungen aus der Befragung: 8 (Regel union), davon 2 von beiden Seiten bestätigt",
        "Einseitige Nennungen: 2",
        "Verworfene Angaben: 0",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted({".netkoop", *OUTPUT_FILES})
    net = netkoop.load(out)
    assert values(net.ties, [*TIE_FIELDS, *TIE_STATUS]) == UNION_LOWER
    assert netkoop.validate(out).ok
    assert run_cli("validate", out).exit_code == 0
    first = snapshot(out)
    again = run_cli("survey", "collect", *files, "--survey", survey, "-o", out, "--force")
    assert again.exit_code == 0, again.output
    assert snapshot(out) == first
    reports = pd.read_csv(out / "reports.csv", dtype=str)
    assert len(reports) == 10
    assert "Rücklaufquote" in (out / "rücklauf.md").read_text(encoding="utf-8")
    table = pd.read_csv(out / "rücklauf.csv", dtype=str)
    assert table.loc[table["section"] == "rate", "rate"].tolist() == ["0.75"] * 3


def test_the_survey_is_found_beside_the_files_and_folders_are_read(
    survey: Path, tmp_path: Path
) -> None:
    workbooks(survey / "Antworten")
    (survey / "Antworten" / "~$a.xlsx").write_bytes(b"lock")  # Excel's lock file: passed over
    out = tmp_path / "ergebnis"
    result = run_cli("survey", "collect", survey / "Antworten", "-o", out)
    assert result.exit_code == 0, result.output
    assert len(netkoop.load(out).ties) == len(UNION_LOWER)


def test_a_folder_of_other_files_is_refused_before_anything_is_read(
    survey: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ergebnis"
    out.mkdir()
    (out / "notizen.txt").write_text("meins", encoding="utf-8")
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"")
    result = run_cli("survey", "collect", broken, "--survey", survey, "-o", out)
    assert result.exit_code == 1
    assert "holds files netkoop did not write (notizen.txt)" in result.stderr
    assert "kaputt" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notizen.txt"]


# --- bad answers: one message each, nothing written ----------------------------------------------


def _refused(args: Sequence[object], tmp_path: Path) -> str:
    """Run collect on the command line; it must fail with one Error line and write nothing."""
    out = tmp_path / "ergebnis"
    result = run_cli("survey", "collect", *args, "-o", out)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    return errors[0]


def test_a_workbook_of_another_survey_names_the_file_and_both_ids(
    survey: Path, tmp_path: Path
) -> None:
    other = write_workbook(tmp_path / "fremd.xlsx", "a", ANSWERS["a"], survey_id=OTHER_ID)
    message = _refused([other, "--survey", survey], tmp_path)
    assert "fremd.xlsx, netkoop!B2" in message
    assert f"belongs to survey '{OTHER_ID}'" in message
    assert f"not to the survey '{SURVEY_ID}' (Befragung Lindenau)" in message


def test_a_form_of_another_survey_names_the_file_and_both_ids(survey: Path, tmp_path: Path) -> None:
    other = write_form(tmp_path / "fremd.json", "a", ANSWERS["a"], survey_id=OTHER_ID)
    message = _refused([other, "--survey", survey], tmp_path)
    assert "fremd.json, survey" in message
    assert f"'{OTHER_ID}'" in message
    assert f"'{SURVEY_ID}'" in message


def test_a_changed_key_of_a_roster_row_is_an_error(survey: Path, tmp_path: Path) -> None:
    changed = write_workbook(
        tmp_path / "a.xlsx", "a", ANSWERS["a"], cells={"Partner!A3": "x-unbekannt"}
    )
    message = _refused([changed, "--survey", survey], tmp_path)
    assert "a.xlsx, Partner!A3, field 'Schlüssel', value 'x-unbekannt'" in message
    assert "the key of a roster row was changed" in message
    assert "(this row was made for Crusendorf, 'c')" in message


def test_a_changed_respondent_key_is_an_error(survey: Path, tmp_path: Path) -> None:
    unknown = write_workbook(tmp_path / "a.xlsx", "a", ANSWERS["a"], cells={"netkoop!B5": "lk"})
    message = _refused([unknown, "--survey", survey], tmp_path)
    assert "a.xlsx, netkoop!B5, field 'respondent', value 'lk'" in message
    assert "not one of the survey's respondents" in message
    swapped = write_workbook(tmp_path / "b.xlsx", "a", ANSWERS["a"], cells={"netkoop!B5": "b"})
    message = _refused([swapped, "--survey", survey], tmp_path)
    assert "'b' is Buchholz, but the questionnaire was made for Altdorf" in message


@pytest.mark.parametrize("name", ["leer.xlsx", "leer.json", "leer.csv"])
def test_an_empty_file_is_an_error(survey: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    message = _refused([tmp_path / name, "--survey", survey], tmp_path)
    assert message.endswith(f"{name}: the file is empty: no answers can be read from it")


def test_a_file_that_is_no_workbook_is_an_error(survey: Path, tmp_path: Path) -> None:
    (tmp_path / "kaputt.xlsx").write_text("kein Excel", encoding="utf-8")
    message = _refused([tmp_path / "kaputt.xlsx", "--survey", survey], tmp_path)
    assert "kaputt.xlsx: not a readable Excel workbook" in message
    plain = tmp_path / "tabelle.xlsx"
    openpyxl.Workbook().save(plain)
    message = _refused([plain, "--survey", survey], tmp_path)
    assert "tabelle.xlsx: not a questionnaire of 'netkoop survey create'" in message


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda doc: "{kein json", "x.json: not a form file: not JSON (Expecting property name"),
        (lambda doc: [1, 2], "x.json: not a form file: the JSON holds no object"),
        (
            lambda doc: {**doc, "answers": "viele"},
            "x.json, answers, value 'viele': must be a list of answers",
        ),
        (
            lambda doc: {**doc, "answers": [{**doc["answers"][0], "intensity": "oft"}]},
            "x.json, answers[0].intensity, field 'intensity', value 'oft': not an intensity; "
            "allowed: gelegentlich, regelmäßig, intensiv (or occasional, regular, intensive)",
        ),
        (
            lambda doc: {**doc, "answers": [{**doc["answers"][0], "since": 1850}]},
            "x.json, answers[0].since, field 'since', value '1850': not a year; allowed: a "
            "whole number from 1990 to 2035",
        ),
        (
            lambda doc: {**doc, "answers": [{"kind": "exchange"}]},
            "x.json, answers[0].partner: the partner's key (or name) as text is needed",
        ),
        (
            lambda doc: {**doc, "about": {"integration_concept": "vielleicht"}},
            "x.json, about.integration_concept, field 'integration_concept', value "
            "'vielleicht': not an answer of ja/nein",
        ),
        (
            lambda doc: {**doc, "saved": "gestern"},
            "x.json, saved, value 'gestern': not a time",
        ),
        (
            lambda doc: {**doc, "format": "etwas"},
            "x.json, format, value 'etwas': not a form file this netkoop reads",
        ),
    ],
)
def test_a_form_edited_into_nonsense_gets_one_message(
    survey: Path, tmp_path: Path, edit: Any, expected: str
) -> None:
    form = write_form(tmp_path / "x.json", "a", ANSWERS["a"])
    doc = edit(json.loads(form.read_text(encoding="utf-8")))
    form.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    message = _refused([form, "--survey", survey], tmp_path)
    assert expected in message


def test_a_workbook_value_not_allowed_names_sheet_and_cell(survey: Path, tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "a.xlsx", "a", ANSWERS["a"], cells={"Partner!AE3": "oft"})
    message = _refused([book, "--survey", survey], tmp_path)
    assert (
        "a.xlsx, Partner!AE3, field 'exchange.intensity', value 'oft': not an intensity; "
        "allowed: gelegentlich, regelmäßig, intensiv" in message
    )


def test_problems_of_several_files_are_listed_together(survey: Path, tmp_path: Path) -> None:
    (tmp_path / "leer.json").write_bytes(b"")
    other = write_workbook(tmp_path / "fremd.xlsx", "a", survey_id=OTHER_ID)
    with pytest.raises(DataFileError) as caught:
        collect([tmp_path / "leer.json", other], survey)
    lines = str(caught.value).splitlines()
    assert lines[0] == "2 problems in the answer files; nothing was collected:"
    assert "leer.json: the file is empty" in lines[1]
    assert "fremd.xlsx, netkoop!B2" in lines[2]


def test_an_unknown_partner_is_dropped_with_a_did_you_mean(survey: Path, tmp_path: Path) -> None:
    answers = {
        **ANSWERS,
        "c": {**ANSWERS["c"], "reports": [*ANSWERS["c"]["reports"], ("Dammhusen", "exchange", {})]},
    }
    with pytest.warns(NetkoopWarning) as caught:
        collected = collect(workbooks(tmp_path / "antworten", answers), survey)
    messages = [str(w.message) for w in caught]
    assert messages == [
        "c.xlsx, Partner!A6: answer dropped: the partner names no unit of the scenario "
        "'Dammhusen'; did you mean 'Dammhausen' ('d')?"
    ]
    assert values(collected.ties, [*TIE_FIELDS, *TIE_STATUS]) == UNION_LOWER
    assert values(collected.response.dropped, ["respondent", "written", "kind", "reason"]) == [
        ("c", "Dammhusen", "exchange", "unknown_partner")
    ]
    text = collected.response.markdown()
    assert "Partner ist keine Einheit des Szenarios; meinten Sie Dammhausen (d)?" in text


def test_a_name_several_units_share_is_dropped_with_their_keys(
    survey: Path, tmp_path: Path
) -> None:
    scenario = survey.parent / "szenario" / "units.csv"
    scenario.write_text(UNITS + "e,Buchholz,gemeinde,03,lk,\n", encoding="utf-8")
    answers = {"reports": [("Buchholz", "exchange", {})], "about": {}}
    book = write_workbook(tmp_path / "a.xlsx", "a", answers)
    with pytest.warns(NetkoopWarning, match=r"name of several units 'Buchholz' \('b' or 'e'\)"):
        collected = collect(book, survey)
    assert collected.ties.empty


def test_a_dropped_membership_and_self_report(survey: Path, tmp_path: Path) -> None:
    answers = {"reports": [("b", "membership", {}), ("a", "exchange", {})], "about": {}}
    form = write_form(tmp_path / "a.json", "a", answers)
    with pytest.warns(NetkoopWarning) as caught:
        collected = collect(form, survey)
    assert [str(w.message).split(": answer dropped: ")[1] for w in caught] == [
        "a membership is with a forum only 'b'",
        "the respondent names itself as partner 'a'",
    ]
    assert collected.ties.empty


def test_the_later_of_two_answers_wins_said_aloud(survey: Path, tmp_path: Path) -> None:
    early = write_form(tmp_path / "a1.json", "a", ANSWERS["a"], saved="2024-07-01T09:00:00+00:00")
    late_answers = {"reports": [("b", "exchange", {})], "about": {}}
    late = write_form(tmp_path / "a2.json", "a", late_answers, saved="2024-07-02T09:00:00+00:00")
    with pytest.warns(NetkoopWarning) as caught:
        collected = collect([late, early], survey)  # the order given does not decide
    assert [str(w.message) for w in caught] == [
        f"two answers from Altdorf ('a'): {display_path(early)} and {display_path(late)}; the "
        f"later one, {display_path(late)} (saved 2024-07-02T09:00:00+00:00), wins"
    ]
    assert values(collected.reports, ["respondent", "partner", "file"]) == [("a", "b", "a2.json")]
    assert values(collected.response.dropped, ["respondent", "reason", "file"]) == [
        ("a", "duplicate_answer", "a1.json")
    ]


def test_without_saved_times_the_later_file_then_the_order_given_wins(
    survey: Path, tmp_path: Path
) -> None:
    first = write_workbook(tmp_path / "x.xlsx", "a", ANSWERS["a"])
    second = write_workbook(
        tmp_path / "y.xlsx", "a", {"reports": [], "about": {"coordination_office": "none"}}
    )
    now = time.time()
    os.utime(first, (now, now))
    os.utime(second, (now - 60, now - 60))
    with pytest.warns(NetkoopWarning, match=r"the later one, .*x\.xlsx \(changed later\)"):
        assert collect([first, second], survey).response.respondents["reports"][0] == 5
    os.utime(second, (now, now))
    with pytest.warns(NetkoopWarning, match=r"the later one, .*y\.xlsx .*\(given later\)"):
        assert collect([first, second], survey).response.respondents["reports"][0] == 0


def test_a_csv_export_needs_a_mapping_whose_columns_it_has(survey: Path, tmp_path: Path) -> None:
    export = write_long_csv(tmp_path / "lang.csv", ANSWERS)
    message = _refused([export, "--survey", survey], tmp_path)
    assert (
        "lang.csv: a CSV export is read through a mapping of its columns: pass --mapping" in message
    )
    mapping = tmp_path / "lang.yaml"
    mapping.write_text(LONG_MAPPING.replace("Intensität", "Intensitaet"), encoding="utf-8")
    message = _refused([export, "--survey", survey, "--mapping", mapping], tmp_path)
    assert "lang.csv, row 1, field 'intensity', value 'Intensitaet': no column" in message
    assert "lang.yaml names for 'intensity'" in message
    assert "did you mean 'Intensität'?" in message


def test_a_mapping_with_an_unknown_setting_names_its_line(survey: Path, tmp_path: Path) -> None:
    export = write_long_csv(tmp_path / "lang.csv", ANSWERS)
    mapping = tmp_path / "lang.yaml"
    mapping.write_text(LONG_MAPPING + "sheet: Tabelle1\n", encoding="utf-8")
    message = _refused([export, "--survey", survey, "--mapping", mapping], tmp_path)
    assert "lang.yaml, line 15: unknown setting 'sheet'" in message


def test_an_unknown_kind_and_an_unknown_respondent_of_a_csv_are_dropped(
    survey: Path, tmp_path: Path
) -> None:
    export = tmp_path / "lang.csv"
    export.write_text(
        "Befragte;Partner;Art\na;b;Austausch\na;c;Austasch\nTest;b;Austausch\n", encoding="utf-8"
    )
    mapping = mapping_from({"respondent": "Befragte", "partner": "Partner", "kind": "Art"})
    with pytest.warns(NetkoopWarning) as caught:
        collected = collect(export, survey, mapping=mapping)
    assert [str(w.message) for w in caught] == [
        "lang.csv, row 3: answer dropped: not a tie kind 'Austasch'; tie kinds: exchange, "
        "shared_staff, joint_project, shared_material, service_opening, membership; did you "
        "mean 'exchange'?",
        "lang.csv, row 4: answer dropped: not a respondent of the survey 'Test'",
    ]
    assert values(collected.ties, ["from", "to", "confirmed"]) == [("a", "b", "unknown")]


def test_nothing_is_written_when_a_file_fails(survey: Path, tmp_path: Path) -> None:
    good = workbooks(tmp_path / "antworten")
    (tmp_path / "leer.json").write_bytes(b"")
    _refused([*good, tmp_path / "leer.json", "--survey", survey], tmp_path)


def test_collect_warns_nothing_for_clean_answers(survey: Path, tmp_path: Path) -> None:
    files = workbooks(tmp_path / "antworten")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        collect(files, survey)


def test_an_output_beside_an_existing_result_needs_force(survey: Path, tmp_path: Path) -> None:
    files = workbooks(tmp_path / "antworten")
    out = tmp_path / "ergebnis"
    collected = collect(files, survey)
    collected.save(out)
    with pytest.raises(OutputError, match="pass overwrite=True"):
        collected.save(out)
    with pytest.raises(OutputError, match="holds an input of this command"):
        collect(files, survey).save(tmp_path / "antworten")


def test_the_saved_scenario_is_the_collected_network(survey: Path, tmp_path: Path) -> None:
    collected = collect(workbooks(tmp_path / "antworten"), survey)
    written = collected.save(tmp_path / "ergebnis")
    assert written == tmp_path / "ergebnis" / "scenario.yaml"
    assert netkoop.load(written).equals(collected.network)
    table = pd.read_csv(tmp_path / "ergebnis" / "rücklauf.csv", dtype=str, keep_default_na=False)
    assert table[table["section"] == "respondent"][
        ["id", "responded", "reports"]
    ].values.tolist() == [
        ["a", "true", "5"],
        ["b", "true", "3"],
        ["c", "true", "2"],
        ["d", "false", "0"],
    ]


def test_two_rows_of_one_respondent_in_a_wide_export(survey: Path, tmp_path: Path) -> None:
    export = write_wide_csv(tmp_path / "lime.csv", {"a": ANSWERS["a"], "b": ANSWERS["b"]})
    lines = export.read_text(encoding="utf-8").splitlines()
    again = re.sub(r"(?<=,)Y(?=,)", "N", lines[1].replace("2024-07-01 10", "2024-07-03 08"))
    export.write_text("\n".join([*lines, again]) + "\n", encoding="utf-8")
    with pytest.warns(NetkoopWarning) as caught:
        collected = collect(export, survey, mapping=mapping_from(LIME_MAPPING))
    assert [str(w.message) for w in caught] == [
        f"two answers from Altdorf ('a'): {display_path(export)} (row 2) and "
        f"{display_path(export)} (row 4); the later one, {display_path(export)} (row 4) "
        "(saved 2024-07-03T08:00:00), wins"
    ]
    assert values(collected.response.respondents, ["id", "file", "reports"]) == [
        ("a", "lime.csv", 0),
        ("b", "lime.csv", 3),
        ("c", None, 0),
        ("d", None, 0),
    ]


def test_a_questionnaire_returned_blank_is_no_answer(survey: Path, tmp_path: Path) -> None:
    files = [*workbooks(tmp_path / "antworten"), write_workbook(tmp_path / "d.xlsx", "d")]
    with pytest.warns(NetkoopWarning) as caught:
        collected = collect(files, survey)
    assert [str(w.message) for w in caught] == [
        "d.xlsx: answer dropped: the questionnaire came back blank (no cell filled in): not "
        "counted as an answer"
    ]
    assert values(collected.ties, [*TIE_FIELDS, *TIE_STATUS]) == UNION_LOWER
    assert collected.response.answered == 3
    assert "der Fragebogen kam leer zurück" in collected.response.markdown()


def test_a_sosci_export_with_overlapping_column_patterns(survey: Path, tmp_path: Path) -> None:
    export = tmp_path / "sosci.csv"
    export.write_text(
        "CASE;KOMM;Q1_01;Q1_02;Q1_01_int;Q1_02_int\n1;a;1;2;;3\n2;b;2;1;1;\n", encoding="utf-8"
    )
    mapping = mapping_from(
        {
            "respondent": "KOMM",
            "columns": {"exchange": "Q1_{partner}", "exchange.intensity": "Q1_{partner}_int"},
            "partners": {"01": "Altdorf", "02": "b"},  # a name or a key
            "values": {
                "presence": {"1": "nein", "2": "ja"},
                "intensity": {"1": "gelegentlich", "3": "intensiv"},
            },
        }
    )
    collected = collect(export, survey, mapping=mapping)
    assert values(collected.reports, ["respondent", "partner", "intensity", "place"]) == [
        ("a", "b", "intensive", "row 2, Q1_02"),
        ("b", "a", "occasional", "row 3, Q1_01"),
    ]
    assert values(collected.ties, ["from", "to", "intensity", "confirmed", "differs"]) == [
        ("a", "b", "occasional", "yes", "intensity")
    ]
