"""Read a filled questionnaire workbook: its layout from the hidden sheet, then the answers.

The hidden sheet "netkoop" that `survey create` writes says which survey and respondent the
workbook belongs to and which column of the sheet "Partner" (and which cell of "Eigene
Angaben") holds which answer, so the answers are read from there and never from fixed
positions. Workbooks are read with calamine, which parses only the sheets asked for: the
sheet listing every unit of the scenario is never read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from netkoop.model.vocabulary import TIE_KINDS
from netkoop.scenario.document import display_path
from netkoop.survey.answers import (
    ABOUT,
    FIELDS,
    KIND_FIELDS,
    Answer,
    AnswerBuilder,
    Context,
    cell_text,
)

#: The hidden sheet holding the layout, and its format.
LAYOUT_SHEET = "netkoop"
FORMAT = "netkoop-survey-1"

#: The sheets answers are read from.
PARTNER_SHEET = "Partner"
ABOUT_SHEET = "Eigene Angaben"

#: Where the partner's key and name are when the layout does not say (the spec's A and B).
KEY_COLUMN, NAME_COLUMN = "A", "B"

_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")
_COLUMN = re.compile(r"[A-Z]{1,3}")
_ROWS = re.compile(r"([1-9][0-9]*)-([0-9]+)")


@dataclass
class Layout:
    """What the hidden sheet says: the survey, the respondent, and where each answer is."""

    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # key: (value, cell)
    columns: dict[int, tuple[str, str]] = field(default_factory=dict)  # column: (kind, field)
    comment: int | None = None
    key: int = 0
    name: int = 1
    about: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    roster: tuple[int, int] | None = None  # the first and last row of the roster

    def value(self, key: str) -> str | None:
        found = self.values.get(key)
        return found[0] if found else None

    def cell(self, key: str) -> str:
        found = self.values.get(key)
        return found[1] if found else f"{LAYOUT_SHEET}!A1"


def read_workbook(path: Path, context: Context) -> list[Answer]:
    """Read one filled questionnaire; problems go to ``context``, none is raised.

    Returns the one answer the workbook holds (none when it cannot be read).
    """
    label = display_path(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own types (and OSError) for non-workbooks
        context.error(label, f"not a readable Excel workbook ({type(exc).__name__}: {exc})")
        return []
    try:
        names = book.sheet_names
        if LAYOUT_SHEET not in names:
            context.error(
                label,
                f"not a questionnaire of 'netkoop survey create': it has no sheet "
                f"'{LAYOUT_SHEET}' (the hidden sheet naming the survey and the respondent); "
                "CSV exports of survey tools are read with --mapping",
            )
            return []
        layout = _layout(_rows(book, LAYOUT_SHEET), label, context)
        if layout is None:
            return []
        respondent = _respondent(layout, label, context)
        if respondent is None:
            return []
        builder = AnswerBuilder(context, respondent, path.name)
        filled = False
        if layout.columns:
            if PARTNER_SHEET not in names:
                context.error(label, f"the sheet '{PARTNER_SHEET}' is missing")
                return []
            filled = _read_partners(_rows(book, PARTNER_SHEET), layout, builder, label)
        about: dict[str, object] = {}
        if layout.about:
            if ABOUT_SHEET not in names:
                context.error(label, f"the sheet '{ABOUT_SHEET}' is missing")
                return []
            about = _read_about(_rows(book, ABOUT_SHEET), layout, context, label)
    finally:
        book.close()
    blank = not filled and not about
    return [builder.answer(path, layout.cell("respondent"), None, about, blank=blank)]


def _rows(book: CalamineWorkbook, sheet: str) -> list[list[Any]]:
    rows: list[list[Any]] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return rows


def _layout(rows: Sequence[Sequence[object]], label: str, context: Context) -> Layout | None:
    layout = Layout()
    for number, row in enumerate(rows, start=1):
        key = cell_text(row[0]) if row else None
        if key is None:
            continue
        value = cell_text(row[1]) if len(row) > 1 else None
        layout.values[key] = (value or "", f"{LAYOUT_SHEET}!B{number}")
    where = f"{label}, {layout.cell('format')}"
    if layout.value("format") != FORMAT:
        context.error(
            where,
            f"not a questionnaire this netkoop reads; allowed: '{FORMAT}'",
            field="format",
            value=layout.value("format") or "",
        )
        return None
    changed = False
    for key, (value, cell) in layout.values.items():
        if key.startswith("column:"):
            changed |= not _column(layout, key.removeprefix("column:"), value)
        elif key.startswith("about:"):
            changed |= not _about_cell(layout, key.removeprefix("about:"), value)
        elif key == "rows:roster":
            span = _ROWS.fullmatch(value)
            changed |= span is None
            layout.roster = (int(span[1]), int(span[2])) if span else None
        else:
            continue
        if changed:
            context.error(
                f"{label}, {cell}",
                "the hidden sheet 'netkoop' was changed: its rows say which cell holds which "
                "answer (e.g. 'exchange.presence', 'comment', 'coordination_office'); create "
                "the questionnaire anew",
                field=key,
                value=value,
            )
            return None
    return layout


def _column(layout: Layout, letter: str, meaning: str) -> bool:
    if not _COLUMN.fullmatch(letter):
        return False
    index = column_index(letter)
    if meaning == "comment":
        layout.comment = index
    elif meaning in {"partner", "key"}:
        layout.key = index
    elif meaning in {"name", "partner_name"}:
        layout.name = index
    else:
        kind, _, name = meaning.partition(".")
        if kind not in TIE_KINDS or name not in KIND_FIELDS:
            return False
        layout.columns[index] = (kind, name)
    return True


def _about_cell(layout: Layout, cell: str, meaning: str) -> bool:
    match = _CELL.fullmatch(cell)
    if match is None or meaning not in ABOUT:
        return False
    layout.about[(int(match[2]) - 1, column_index(match[1]))] = (meaning, cell)
    return True


def column_index(letter: str) -> int:
    """The 0-based index of a column letter: A is 0, Z 25, AA 26.

    >>> column_index("A"), column_index("F"), column_index("AA")
    (0, 5, 26)
    """
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def column_letter(index: int) -> str:
    """The letter of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _respondent(layout: Layout, label: str, context: Context) -> str | None:
    survey = context.survey
    theirs = layout.value("survey") or ""
    if theirs != survey.id:
        name = layout.value("survey_name")
        named = f" ({name})" if name else ""
        context.error(
            f"{label}, {layout.cell('survey')}",
            f"this questionnaire belongs to survey '{theirs}'{named}, not to the survey "
            f"'{survey.id}' ({survey.name}) of {display_path(survey.path)}; collect it with "
            "its own survey",
            field="survey",
            value=theirs,
        )
        return None
    key = layout.value("respondent") or ""
    where = f"{label}, {layout.cell('respondent')}"
    if key not in context.respondents:
        context.error(
            where,
            "the respondent's key was changed: it is not one of the survey's respondents; "
            "write back the key the questionnaire was made with, or create it anew",
            field="respondent",
            value=key,
        )
        return None
    written = layout.value("respondent_name")
    if written and not _same_name(written, context.name_of(key)):
        context.error(
            where,
            f"the respondent's key was changed: '{key}' is {context.name_of(key)}, but the "
            f"questionnaire was made for {written}",
            field="respondent",
            value=key,
        )
        return None
    return key


def _same_name(written: str, name: str) -> bool:
    a, b = written.casefold().strip(), name.casefold().strip()
    return a in b or b in a


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _read_partners(
    rows: Sequence[Sequence[object]], layout: Layout, builder: AnswerBuilder, label: str
) -> bool:
    """Read the roster and the free rows; tell whether any answer cell is filled in."""
    context = builder.context
    roster = context.survey.partners.get(builder.respondent, ())
    on_roster = frozenset(roster)
    by_kind: dict[str, dict[str, int]] = {}
    for index, (kind, name) in sorted(layout.columns.items()):
        by_kind.setdefault(kind, {})[name] = index
    key_letter = column_letter(layout.key)
    first, last = layout.roster or (2, len(roster) + 1)
    meaning = sorted(layout.columns.items())
    filled = False
    for position, row in enumerate(rows[1:]):
        number = position + 2
        given: dict[str, dict[str, object]] = {}
        for i, (kind, name) in meaning:
            value = row[i] if i < len(row) else None
            if value is not None and value != "" and cell_text(value) is not None:
                given.setdefault(kind, {})[name] = value
        filled = filled or bool(given)
        key = cell_text(_cell(row, layout.key))
        if first <= number <= last:
            if key not in context.kinds or (on_roster and key not in on_roster):
                made = roster[number - first] if number - first < len(roster) else None
                meant = (
                    f" (this row was made for {context.name_of(made)}, '{made}')" if made else ""
                )
                context.error(
                    f"{label}, {PARTNER_SHEET}!{key_letter}{number}",
                    "the key of a roster row was changed: it is not one of the partners on "
                    f"the respondent's roster{meant}; write the key back",
                    field="Schlüssel",
                    value=key or "",
                )
                continue
            partner: str | None = key
        else:
            if not given:
                continue
            place = f"{PARTNER_SHEET}!{key_letter}{number}"
            written = key or cell_text(_cell(row, layout.name))
            if written is None:
                builder.drop("no_partner", place, kind=", ".join(given))
                continue
            partner = builder.partner(written, place, tuple(given))
        if partner is None or not given:
            continue
        comment = cell_text(_cell(row, layout.comment)) if layout.comment is not None else None
        for kind, cells in given.items():
            _add(
                builder,
                partner,
                kind,
                cells=cells,
                columns=by_kind[kind],
                comment=comment,
                number=number,
                label=label,
            )
    return filled


def _add(
    builder: AnswerBuilder,
    partner: str,
    kind: str,
    *,
    cells: Mapping[str, object],
    columns: Mapping[str, int],
    comment: str | None,
    number: int,
    label: str,
) -> None:
    context = builder.context

    def where(name: str) -> str:
        return f"{PARTNER_SHEET}!{column_letter(columns[name])}{number}"

    presence = None
    if "presence" in cells:
        presence = context.presence(
            cells["presence"], f"{label}, {where('presence')}", f"{kind}.presence"
        )
    values = {}
    for name in FIELDS:
        if name in cells and cell_text(cells[name]) is not None:
            values[name] = context.field_value(
                name, cells[name], f"{label}, {where(name)}", f"{kind}.{name}"
            )
    first = next(name for name in KIND_FIELDS if name in cells and cell_text(cells[name]))
    place = where("presence" if "presence" in cells else first)
    if presence is False:
        if values:
            builder.drop("details_without_tie", place, written=partner, kind=kind)
        return
    builder.add(partner, kind, values, comment, place)


def _read_about(
    rows: Sequence[Sequence[object]], layout: Layout, context: Context, label: str
) -> dict[str, object]:
    about: dict[str, object] = {}
    for (row, column), (name, cell) in sorted(layout.about.items()):
        raw = _cell(rows[row], column) if row < len(rows) else None
        value = context.about(name, raw, f"{label}, {ABOUT_SHEET}!{cell}")
        if value is not None:
            about[name] = value
    return about
