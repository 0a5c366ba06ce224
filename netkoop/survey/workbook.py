"""The questionnaire as an Excel workbook: instructions, the roster with drop-downs, the
questions about the respondent, all units, and a hidden sheet that says what each cell means.

Sheets: ``Anleitung``, ``Partner`` (row 1 headers; from row 2 one row per partner: A key, B
name, C kind, D Kreis, then per tie kind of `netkoop.survey.roster.KINDS` the five columns
of `FIELDS`, last the comment; then `FREE_ROWS` rows for partners not on the list),
``Eigene Angaben``, ``Alle Einheiten`` and the very hidden ``netkoop``: key/value rows in
columns A/B (`format`, `survey`, `survey_name`, `scenario`, `respondent`, `respondent_name`,
`created`, then ``column:<letter>`` = ``<kind>.<field>`` or ``comment`` for each answer
column of ``Partner``, ``about:<cell>`` = the field of each answer cell of ``Eigene
Angaben``, and ``rows:roster`` / ``rows:free`` = the first and last row of the roster and of
the free rows, e.g. ``2-12``; an empty roster is ``2-1``). Readers take the layout from that
sheet, never from fixed positions.

Every sheet is protected without a password and the workbook's structure is locked: only the
answer cells (and the key and name cells of the free rows) can be changed. Keys are text
cells (``@``). The same inputs and date give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from netkoop.output.values import text_not_formulas
from netkoop.survey.roster import (
    ABOUT,
    FIELD_LABELS,
    FIELDS,
    KIND_HELP,
    KINDS,
    LONGEST_COMMENT,
    YEARS,
    Directory,
    SurveyInfo,
    Unit,
    choices,
    kinds_of,
)

#: The value of ``format`` in the hidden sheet.
FORMAT = "netkoop-survey-1"

#: The sheets, in order; the last one is very hidden.
INSTRUCTIONS, ROSTER, ABOUT_SHEET, ALL_UNITS, HIDDEN = (
    "Anleitung",
    "Partner",
    "Eigene Angaben",
    "Alle Einheiten",
    "netkoop",
)

#: Empty rows after the roster for partners not on the list.
FREE_ROWS = 15

#: The first row of the roster on sheet ``Partner``.
FIRST_ROW = 2

#: The columns before the answers on sheet ``Partner``: key, name, kind, Kreis.
INFO_HEADERS = ("Schlüssel", "Name", "Art", "Kreis")

#: The answer cell of each question about the respondent, on sheet ``Eigene Angaben``.
ABOUT_CELLS = {field: f"B{row}" for row, (field, _, _) in enumerate(ABOUT, start=3)}

_ANSWER_FILL = "FFF8DC"  # pale yellow: cells to fill in
_LOCKED_FILL = "F2F2F2"  # light grey: given
_NOT_ASKED_FILL = "BFBFBF"  # grey: not asked on this row
_KIND_FILLS = ("DCE6F1", "EBF1DE")  # header groups, alternating
_FONT = "Calibri"  # openpyxl's default; a font without a name falls back to a serif face
_LINE_HEIGHT = 15  # points per line of wrapped text
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def answer_columns() -> list[tuple[str, str]]:
    """The answer columns of sheet ``Partner``: letter and meaning, in order.

    Examples
    --------
    >>> answer_columns()[:2], answer_columns()[-1]
    ([('E', 'exchange.presence'), ('F', 'exchange.intensity')], ('AI', 'comment'))
    """
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - only workbooks need it

    meanings = [f"{kind}.{field}" for kind in KINDS for field in FIELDS] + ["comment"]
    first = len(INFO_HEADERS) + 1
    return [(get_column_letter(first + i), m) for i, m in enumerate(meanings)]


def headers() -> list[str]:
    """The German headers of sheet ``Partner``, in column order."""
    from netkoop.model.vocabulary import LABELS_DE  # noqa: PLC0415

    answers = [
        f"{LABELS_DE[kind]}: {FIELD_LABELS[field]}" if field == "presence" else FIELD_LABELS[field]
        for kind in KINDS
        for field in FIELDS
    ]
    return [*INFO_HEADERS, *answers, "Bemerkung"]


def workbook_bytes(
    survey: SurveyInfo, respondent: Unit, roster: Sequence[Unit], directory: Directory
) -> bytes:
    """Return the questionnaire of one respondent as the bytes of an xlsx file."""
    from openpyxl import Workbook  # noqa: PLC0415 - only workbooks need it
    from openpyxl.workbook.protection import WorkbookProtection  # noqa: PLC0415

    book = Workbook()
    _instructions(book.active, survey, respondent)
    _roster(book.create_sheet(ROSTER), roster, len(directory.units))
    _about(book.create_sheet(ABOUT_SHEET), respondent)
    _all_units(book.create_sheet(ALL_UNITS), directory)
    _hidden(book.create_sheet(HIDDEN), survey, respondent, len(roster))
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 0
    stamp = datetime.datetime.fromisoformat(survey.created)
    book.properties.creator = "netkoop"
    book.properties.lastModifiedBy = "netkoop"
    book.properties.title = f"{survey.name}: {respondent.name}"
    book.properties.created = stamp
    book.properties.modified = stamp
    text_not_formulas(book)
    out = io.BytesIO()
    book.save(out)
    return _fixed_stamps(out.getvalue(), stamp)


def _fixed_stamps(data: bytes, stamp: datetime.datetime) -> bytes:
    """The same zip with every entry dated ``stamp`` and the document's modification date set
    to it, so that the same survey gives the same bytes on any day."""
    written = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            body = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + written + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, body)
    return out.getvalue()


# --- sheets ---------------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # noqa: PLC0415

    thin = Side(style="thin", color="BFBFBF")
    return {
        "bold": Font(name=_FONT, size=11, bold=True),
        "title": Font(name=_FONT, size=14, bold=True),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "centre": Alignment(horizontal="center", vertical="top"),
        "answer": PatternFill("solid", fgColor=_ANSWER_FILL),
        "locked": PatternFill("solid", fgColor=_LOCKED_FILL),
        "not_asked": PatternFill("solid", fgColor=_NOT_ASKED_FILL),
        "open": Protection(locked=False),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "free_top": Border(left=thin, right=thin, top=Side(style="medium"), bottom=thin),
        "group": Border(left=Side(style="medium"), right=thin, top=thin, bottom=thin),
        "group_free_top": Border(
            left=Side(style="medium"), right=thin, top=Side(style="medium"), bottom=thin
        ),
    }


def _protect(sheet: Any, *, filter_allowed: bool = False) -> None:
    """Protect a sheet without a password; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    if filter_allowed:
        sheet.protection.autoFilter = False


def _list(labels: Sequence[str], title: str) -> Any:
    """A drop-down of ``labels`` that refuses anything else."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    return DataValidation(
        type="list",
        formula1='"' + ",".join(labels) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error="Bitte wählen Sie einen Wert aus der Liste: " + ", ".join(labels) + ".",
        showInputMessage=True,
        promptTitle=title[:32],
        prompt=", ".join(labels)[:255],
    )


def _instructions(sheet: Any, survey: SurveyInfo, respondent: Unit) -> None:
    from netkoop.model.vocabulary import LABELS_DE  # noqa: PLC0415

    style = _styles()
    sheet.title = INSTRUCTIONS
    lines: list[tuple[str, str]] = [
        ("title", survey.name),
        ("bold", f"Fragebogen für: {respondent.name} (Schlüssel {respondent.id})"),
        ("", f"Befragung vom {_german_date(survey.created)}, Kennung {survey.id}"),
        ("", ""),
        (
            "",
            "Mit diesem Fragebogen möchten wir erfahren, mit welchen Kommunen und "
            "Austauschformaten Ihre Verwaltung in der Integrationspolitik zusammenarbeitet.",
        ),
        ("", ""),
        ("bold", "So füllen Sie den Fragebogen aus"),
        (
            "",
            "1. Blatt „Partner“: eine Zeile je möglichem Partner. Wählen Sie für jede Art der "
            "Zusammenarbeit in der Spalte „ja/nein“, ob es sie gibt. Wenn ja, wählen Sie "
            "Intensität, Ebene und Finanzierung aus der Liste und tragen Sie unter „seit“ das "
            f"Jahr ein, seit dem es sie gibt ({YEARS[0]}–{YEARS[1]}).",
        ),
        ("", "2. Lassen Sie leer, was Sie nicht wissen. Ein leeres Feld zählt nicht als „nein“."),
        (
            "",
            "3. Partner, die nicht in der Liste stehen: Tragen Sie in einer der "
            f"{FREE_ROWS} freien Zeilen unter der Liste den Schlüssel (Spalte A) oder den "
            "Namen (Spalte B) ein. Das Blatt „Alle Einheiten“ listet alle Einheiten mit "
            "Schlüssel; mit dem Filter in der Kopfzeile finden Sie eine schnell.",
        ),
        ("", "4. Blatt „Eigene Angaben“: drei Fragen zu Ihrer eigenen Kommune."),
        (
            "",
            "5. Speichern Sie die Datei und senden Sie sie zurück. Sie dürfen die Datei "
            "umbenennen: Sie bleibt Ihrer Kommune zugeordnet.",
        ),
        ("", ""),
        ("bold", "Arten der Zusammenarbeit"),
        *[("", f"{LABELS_DE[kind]}: {KIND_HELP[kind]}") for kind in KINDS],
        ("", ""),
        ("bold", "Antworten"),
        ("", "Intensität: " + " / ".join(label for _, label in choices("intensity")) + "."),
        (
            "",
            "Ebene: Leitungsebene (z. B. Bürgermeisterin, Landrat, Dezernat) oder "
            "Arbeitsebene (z. B. Integrationsbeauftragte, Sozialarbeit).",
        ),
        (
            "",
            "Finanzierung: freiwillig (freiwillige Aufgabe aus eigenen Mitteln), "
            "Projektförderung (befristete Mittel) oder Pflichtaufgabe (gesetzlich "
            "vorgeschrieben).",
        ),
        ("", "Bemerkung: freier Text, z. B. zu Themen oder Formaten der Zusammenarbeit."),
        ("", ""),
        ("bold", "Datenschutz"),
        (
            "",
            "Gefragt ist nach Kommunen und Strukturen, nicht nach Personen: Bitte nennen Sie "
            "keine Namen von Personen, auch nicht in den Bemerkungen. Bemerkungen werden "
            "ausgewertet, aber in Netzwerkbildern nicht gezeigt.",
        ),
        ("", ""),
        (
            "",
            "Die Blätter sind geschützt: Nur die gelben Antwortfelder lassen sich ändern "
            "(kein Kennwort nötig).",
        ),
    ]
    width = 95
    for row, (kind, text) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.alignment = style["wrap"]
        if kind:
            cell.font = style[kind]
        if kind == "title":
            sheet.row_dimensions[row].height = 22
        elif _lines(text, width) > 1:
            sheet.row_dimensions[row].height = _LINE_HEIGHT * _lines(text, width) + 2
    sheet.column_dimensions["A"].width = width
    sheet.sheet_view.showGridLines = False
    _protect(sheet)


def _roster(sheet: Any, roster: Sequence[Unit], units: int) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    style = _styles()
    columns = answer_columns()
    titles = headers()
    starts = {len(INFO_HEADERS) + 1 + i for i, (_, m) in enumerate(columns) if "." not in m}
    starts |= {len(INFO_HEADERS) + 1 + i for i, (_, m) in enumerate(columns) if "presence" in m}
    for number, title in enumerate(titles, start=1):
        cell = sheet.cell(row=1, column=number, value=title)
        cell.font, cell.alignment = style["bold"], style["wrap"]
        cell.border = style["group"] if number in starts else style["border"]
    _header_fills(sheet)
    sheet.row_dimensions[1].height = 3 * _LINE_HEIGHT + 2
    last_roster = FIRST_ROW + len(roster) - 1
    free = range(last_roster + 1, last_roster + 1 + FREE_ROWS)
    rows: list[tuple[int, Unit | None]] = [
        *((FIRST_ROW + i, unit) for i, unit in enumerate(roster)),
        *((row, None) for row in free),
    ]
    # Which rows each answer column is asked on: membership only for forums and free rows.
    asked: dict[str, list[int]] = {letter: [] for letter, _ in columns}
    widths = _roster_widths(roster)
    for row, unit in rows:
        top = style["free_top"] if row == free.start else style["border"]
        info = [unit.id, unit.name, unit.kind_label, unit.kreis_name] if unit else [None] * 4
        if unit is not None and _lines(unit.name, widths["B"]) > 1:
            sheet.row_dimensions[row].height = _LINE_HEIGHT * _lines(unit.name, widths["B"]) + 2
        for number, value in enumerate(info, start=1):
            cell = sheet.cell(row=row, column=number, value=value)
            cell.border, cell.alignment = top, style["wrap"]
            editable = unit is None and number <= 2
            cell.fill = style["answer"] if editable else style["locked"]
            if editable:
                cell.protection = style["open"]
        sheet.cell(row=row, column=1).number_format = "@"
        sheet.cell(row=row, column=2).number_format = "@"
        kinds = kinds_of(unit)
        for letter, meaning in columns:
            cell = sheet[f"{letter}{row}"]
            if meaning.endswith(".presence") or meaning == "comment":
                cell.border = style["group_free_top"] if row == free.start else style["group"]
            else:
                cell.border = top
            if meaning != "comment" and meaning.split(".")[0] not in kinds:
                cell.fill = style["not_asked"]
                continue
            cell.fill, cell.protection = style["answer"], style["open"]
            if meaning == "comment":
                cell.alignment = style["wrap"]
                cell.number_format = "@"
            asked[letter].append(row)
    for letter, meaning in columns:
        field = meaning.split(".")[-1]
        if field == "since":
            check = DataValidation(
                type="whole",
                operator="between",
                formula1=str(YEARS[0]),
                formula2=str(YEARS[1]),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="seit",
                error=f"Bitte ein Jahr von {YEARS[0]} bis {YEARS[1]} eintragen.",
                showInputMessage=True,
                promptTitle="seit",
                prompt=f"Jahr ({YEARS[0]}–{YEARS[1]})",
            )
        elif field == "comment":
            check = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(LONGEST_COMMENT),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Bemerkung",
                error=f"Bitte höchstens {LONGEST_COMMENT} Zeichen; keine Namen von Personen.",
                showInputMessage=True,
                promptTitle="Bemerkung",
                prompt="Freier Text; bitte keine Namen von Personen.",
            )
        else:
            check = _list([label for _, label in choices(field)], FIELD_LABELS[field])
        for first, last in _spans(asked[letter]):
            check.add(f"{letter}{first}:{letter}{last}" if last > first else f"{letter}{first}")
        sheet.add_data_validation(check)
    if FREE_ROWS:
        last_unit = units + 1
        for number, what in ((1, "Schlüssel"), (2, "Name")):
            letter = get_column_letter(number)
            pick = DataValidation(
                type="list",
                formula1=f"'{ALL_UNITS}'!${letter}$2:${letter}${last_unit}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="information",
                errorTitle=f"{what} nicht in der Liste",
                error="Diese Angabe steht nicht im Blatt „Alle Einheiten“; sie wird so "
                "übernommen, wie Sie sie eingetragen haben.",
                showInputMessage=True,
                promptTitle="Weiterer Partner",
                prompt="Partner, der nicht in der Liste steht: Schlüssel (Spalte A) oder "
                "Name (Spalte B) eintragen oder aus der Liste wählen.",
            )
            pick.add(f"{letter}{free.start}:{letter}{free.stop - 1}")
            sheet.add_data_validation(pick)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:B"
    sheet.page_setup.orientation = "landscape"
    _protect(sheet)


def _roster_widths(roster: Sequence[Unit]) -> dict[str, float]:
    """Column widths of sheet ``Partner``: keys, names and Kreise as wide as they are (names
    up to 45 characters, then wrapped), each kind's first column as wide as its name."""

    def longest(values: Iterable[str | None], least: int) -> int:
        return max([least, *(len(v) for v in values if v)])

    widths: dict[str, float] = {
        "A": min(20, longest((u.id for u in roster), 10) + 2),
        "B": min(45, longest((u.name for u in roster), 22) + 2),
        "C": longest((u.kind_label for u in roster), 10) + 2,
        "D": min(40, longest((u.kreis_name for u in roster), 10) + 2),
    }
    for letter, meaning in answer_columns():
        if meaning == "comment":
            widths[letter] = 40
        elif meaning.endswith(".presence"):
            widths[letter] = 22
        else:
            widths[letter] = 13
    return widths


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    return max(1, math.ceil(len(text) / (width * 1.1)))


def _header_fills(sheet: Any) -> None:
    from openpyxl.styles import PatternFill  # noqa: PLC0415

    columns = answer_columns()
    for i, kind in enumerate(KINDS):
        fill = PatternFill("solid", fgColor=_KIND_FILLS[i % 2])
        for letter, meaning in columns:
            if meaning.startswith(f"{kind}."):
                sheet[f"{letter}1"].fill = fill


def _spans(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Runs of consecutive row numbers as (first, last)."""
    spans: list[tuple[int, int]] = []
    for row in rows:
        if spans and spans[-1][1] == row - 1:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    return spans


def _about(sheet: Any, respondent: Unit) -> None:
    style = _styles()
    for number, title in enumerate(("Frage", "Antwort"), start=1):
        cell = sheet.cell(row=1, column=number, value=title)
        cell.font, cell.border = style["bold"], style["border"]
    sheet["A2"], sheet["B2"] = "Kommune", f"{respondent.name} ({respondent.id})"
    for cell in (sheet["A2"], sheet["B2"]):
        cell.fill, cell.border, cell.alignment = style["locked"], style["border"], style["wrap"]
    for field, question, answers in ABOUT:
        row = int(ABOUT_CELLS[field][1:])
        sheet.cell(row=row, column=1, value=question).alignment = style["wrap"]
        sheet.row_dimensions[row].height = _LINE_HEIGHT * _lines(question, 70) + 2
        sheet.cell(row=row, column=1).border = style["border"]
        sheet.cell(row=row, column=1).fill = style["locked"]
        cell = sheet[ABOUT_CELLS[field]]
        cell.fill, cell.protection, cell.border = style["answer"], style["open"], style["border"]
        check = _list([label for _, label in choices(answers)], "Antwort")
        check.add(ABOUT_CELLS[field])
        sheet.add_data_validation(check)
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 30
    _protect(sheet)


def _all_units(sheet: Any, directory: Directory) -> None:
    style = _styles()
    for number, title in enumerate(("Schlüssel", "Name", "Art", "Kreis"), start=1):
        sheet.cell(row=1, column=number, value=title).font = style["bold"]
    for row, unit in enumerate(directory.units.values(), start=2):
        sheet.cell(row=row, column=1, value=unit.id).number_format = "@"
        sheet.cell(row=row, column=2, value=unit.name)
        sheet.cell(row=row, column=3, value=unit.kind_label)
        sheet.cell(row=row, column=4, value=unit.kreis_name)
    longest = max((len(u.name) for u in directory.units.values()), default=20)
    for letter, width in (("A", 14), ("B", min(60, longest + 2)), ("C", 24), ("D", 30)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:D{len(directory.units) + 1}"
    _protect(sheet, filter_allowed=True)


def _hidden(sheet: Any, survey: SurveyInfo, respondent: Unit, roster: int) -> None:
    last = FIRST_ROW + roster - 1
    rows: list[tuple[str, str]] = [
        ("format", FORMAT),
        ("survey", survey.id),
        ("survey_name", survey.name),
        ("scenario", survey.scenario_name),
        ("respondent", respondent.id),
        ("respondent_name", respondent.name),
        ("created", survey.created),
        *((f"column:{letter}", meaning) for letter, meaning in answer_columns()),
        *((f"about:{cell}", field) for field, cell in ABOUT_CELLS.items()),
        ("rows:roster", f"{FIRST_ROW}-{last}"),
        ("rows:free", f"{last + 1}-{last + FREE_ROWS}"),
    ]
    for number, (key, value) in enumerate(rows, start=1):
        sheet.cell(row=number, column=1, value=key).number_format = "@"
        sheet.cell(row=number, column=2, value=value).number_format = "@"
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


def _german_date(iso: str) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d.%m.%Y")
