"""Read a survey tool's CSV export, long or wide, through its mapping (`TableMapping`).

The file is read as netkoop reads every table (UTF-8 or cp1252, ``,`` or ``;``, see
`netkoop.scenario.sources`); each answer names its row, and a wide export's its column.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netkoop.scenario.document import display_path
from netkoop.scenario.sources import read_table_file
from netkoop.survey.answers import (
    FIELDS,
    Answer,
    AnswerBuilder,
    Context,
    cell_text,
    parse_time,
)
from netkoop.survey.readers.mapping import TableMapping, Target


@dataclass
class _Gathered:
    """One respondent's answer being read from the rows of a long export."""

    builder: AnswerBuilder
    place: str
    saved: dt.datetime | None = None
    about: dict[str, object] = field(default_factory=dict)


def read_table(path: Path, context: Context, mapping: TableMapping) -> list[Answer]:
    """Read one CSV export; problems go to ``context``, none is raised."""
    label = display_path(path)
    block, problems = read_table_file(
        path, label, referenced_at=label, sep=mapping.sep, encoding=mapping.encoding
    )
    context.problems.extend(p for p in problems if p.severity == "error")
    if block is None:
        return []
    frame = block.frame
    header = f"{label}, row {block.origin.number(0) - 1 if len(frame) else 1}"
    named = {"respondent": mapping.respondent, "saved": mapping.saved}
    if mapping.layout == "long":
        named |= {"partner": mapping.partner, "kind": mapping.kind}
        named |= {target.label: column for column, target in mapping.columns.items()}
    named |= dict(mapping.about)
    missing = False
    for what, column in named.items():
        if column is not None and column not in frame.columns:
            _no_column(
                context,
                header,
                column=column,
                what=what,
                columns=list(frame.columns),
                mapping=mapping,
            )
            missing = True
    if missing:
        return []
    cells = {column: frame[column].tolist() for column in frame.columns}
    numbers = [block.origin.number(i) for i in range(len(frame))]
    if mapping.layout == "long":
        return _long(path, label, cells=cells, numbers=numbers, context=context, mapping=mapping)
    found = _wide_columns(list(frame.columns), mapping)
    for pattern, target in mapping.columns.items():
        if not any(t == target for t, _ in found.values()):
            context.error(
                header,
                f"no column matches the pattern '{pattern}' that {mapping.source} names for "
                f"'{target.label}'",
                field="columns",
                value=pattern,
            )
            missing = True
    if missing:
        return []
    return _wide(
        path,
        label,
        cells=cells,
        numbers=numbers,
        found=found,
        context=context,
        mapping=mapping,
    )


def _no_column(
    context: Context,
    header: str,
    *,
    column: str,
    what: str,
    columns: Sequence[str],
    mapping: TableMapping,
) -> None:
    close = difflib.get_close_matches(column, columns, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
    context.error(
        header,
        f"no column '{column}', which {mapping.source} names for '{what}' (columns: {shown}){hint}",
        field=what,
        value=column,
    )


def _text(mapping: TableMapping, name: str, raw: object) -> str | None:
    text = cell_text(raw)
    return None if text is None else mapping.translate(name, text)


def _long(
    path: Path,
    label: str,
    *,
    cells: Mapping[str, list[object]],
    numbers: Sequence[int],
    context: Context,
    mapping: TableMapping,
) -> list[Answer]:
    gathered: dict[str, _Gathered] = {}
    by_kind: dict[str, dict[str, str]] = {}  # kind: field: column
    shared: dict[str, str] = {}  # field: column, for every kind of the row
    for column, target in mapping.columns.items():
        if target.kind is None:
            shared[target.field] = column
        else:
            by_kind.setdefault(target.kind, {})[target.field] = column
    for i, number in enumerate(numbers):
        place = f"row {number}"
        where = f"{label}, {place}"
        written = _text(mapping, "respondent", cells[mapping.respondent][i])
        resolved = context.respondent(written) if written else None
        if resolved is None or resolved.key is None:
            context.drop_row(
                "unknown_respondent",
                path.name,
                place,
                written=written,
                suggestions=resolved.suggestions if resolved else (),
            )
            continue
        entry = gathered.get(resolved.key)
        if entry is None:
            entry = _Gathered(AnswerBuilder(context, resolved.key, path.name), place)
            gathered[resolved.key] = entry
        if mapping.saved is not None:
            entry.saved = _later(entry.saved, _saved(cells[mapping.saved][i], where, context))
        for name, column in mapping.about.items():
            if name not in entry.about:
                value = _about(context, mapping, name, cells[column][i], where)
                if value is not None:
                    entry.about[name] = value
        shared_values = {
            name: (cells[column][i], column) for name, column in shared.items() if name != "comment"
        }
        comment = cell_text(cells[shared["comment"]][i]) if "comment" in shared else None
        rows: dict[str, dict[str, tuple[object, str]]] = {}
        if mapping.kind is not None:
            kind_text = _text(mapping, "kind", cells[mapping.kind][i])
            if kind_text is None:
                if any(cell_text(v) for v, _ in shared_values.values()):
                    entry.builder.drop("unknown_kind", place)
                continue
            kind, suggestions = context.kind(kind_text)
            if kind is None:
                entry.builder.drop(
                    "unknown_kind", place, written=kind_text, suggestions=suggestions
                )
                continue
            rows[kind] = {"presence": ("ja", mapping.kind), **shared_values}
        else:
            for kind, columns in by_kind.items():
                own = {name: (cells[column][i], column) for name, column in columns.items()}
                rows[kind] = {**shared_values, **own}
        partner = _text(mapping, "partner", cells[mapping.partner][i]) if mapping.partner else None
        _row(
            entry.builder,
            mapping,
            partner,
            place=place,
            where=where,
            rows=rows,
            comment=comment,
        )
    return [
        entry.builder.answer(path, entry.place, entry.saved, entry.about)
        for entry in gathered.values()
    ]


def _row(
    builder: AnswerBuilder,
    mapping: TableMapping,
    written: str | None,
    *,
    place: str,
    where: str,
    rows: Mapping[str, Mapping[str, tuple[object, str]]],
    comment: str | None,
    wide: bool = False,
) -> None:
    """Read one partner's answers of a row: per kind its ja/nein and fields (cell, column).

    In a wide export each answer's place names its column too (``row 4, exchange[03241]``).
    """
    context = builder.context
    chosen: dict[str, dict[str, object]] = {}
    places: dict[str, str] = {}
    for kind, given in rows.items():
        presence_cell = given.get("presence")
        presence = None
        if presence_cell is not None:
            text = _text(mapping, "presence", presence_cell[0])
            presence = context.presence(text, f"{where}, {presence_cell[1]}", f"{kind}.presence")
        own = {
            name: given[name]
            for name in FIELDS
            if name in given and _text(mapping, name, given[name][0]) is not None
        }
        if presence is False or (presence is None and not _kind_specific(own, rows, kind)):
            continue
        values = {
            name: context.field_value(
                name, _text(mapping, name, cell), f"{where}, {column}", f"{kind}.{name}"
            )
            for name, (cell, column) in own.items()
        }
        chosen[kind] = values
        first = presence_cell or next(iter(own.values()))
        places[kind] = f"{place}, {first[1]}" if wide else place
    if not chosen:
        return
    first_place = next(iter(places.values()))
    if written is None:
        builder.drop("no_partner", first_place, kind=", ".join(chosen))
        return
    partner = builder.partner(written, first_place, tuple(chosen))
    if partner is None:
        return
    for kind, values in chosen.items():
        builder.add(partner, kind, values, comment, places[kind])


def _kind_specific(
    given: Mapping[str, tuple[object, str]],
    rows: Mapping[str, Mapping[str, tuple[object, str]]],
    kind: str,
) -> bool:
    """Tell whether a field is filled in a column of this kind alone (an unanswered ja/nein
    with details of its own counts as ja; fields all kinds share do not)."""
    others = [r for k, r in rows.items() if k != kind]
    return any(all(r.get(name) != cell for r in others) for name, cell in given.items())


def _wide_columns(columns: Sequence[str], mapping: TableMapping) -> dict[str, tuple[Target, str]]:
    """The export's columns that a pattern matches, each with its target and partner code."""
    # The pattern with the most written around {partner} first: Q1_{partner}_int before
    # Q1_{partner}, which would take "03_int" for a partner's code.
    patterns = sorted(mapping.patterns().items(), key=lambda item: -len(item[0]))
    found: dict[str, tuple[Target, str]] = {}
    for column in columns:
        for pattern, regex in patterns:
            match = regex.fullmatch(column)
            if match is not None:
                found[column] = (mapping.columns[pattern], match["code"])
                break
    return found


def _wide(
    path: Path,
    label: str,
    *,
    cells: Mapping[str, list[object]],
    numbers: Sequence[int],
    found: Mapping[str, tuple[Target, str]],
    context: Context,
    mapping: TableMapping,
) -> list[Answer]:
    by_code: dict[str, dict[str, dict[str, str]]] = {}  # code: kind: field: column
    comments: dict[str, str] = {}
    for column, (target, code) in found.items():
        if target.kind is None:
            comments[code] = column
        else:
            by_code.setdefault(code, {}).setdefault(target.kind, {})[target.field] = column
    answers = []
    for i, number in enumerate(numbers):
        place = f"row {number}"
        where = f"{label}, {place}"
        written = _text(mapping, "respondent", cells[mapping.respondent][i])
        resolved = context.respondent(written) if written else None
        if resolved is None or resolved.key is None:
            context.drop_row(
                "unknown_respondent",
                path.name,
                place,
                written=written,
                suggestions=resolved.suggestions if resolved else (),
            )
            continue
        builder = AnswerBuilder(context, resolved.key, path.name)
        saved = _saved(cells[mapping.saved][i], where, context) if mapping.saved else None
        about = {}
        for name, column in mapping.about.items():
            value = _about(context, mapping, name, cells[column][i], where)
            if value is not None:
                about[name] = value
        for code, kinds in by_code.items():
            rows = {
                kind: {name: (cells[column][i], column) for name, column in columns.items()}
                for kind, columns in kinds.items()
            }
            comment = cell_text(cells[comments[code]][i]) if code in comments else None
            partner = mapping.partners.get(code, code)
            _row(
                builder,
                mapping,
                partner,
                place=place,
                where=where,
                rows=rows,
                comment=comment,
                wide=True,
            )
        answers.append(builder.answer(path, place, saved, about))
    return answers


def _saved(raw: object, where: str, context: Context) -> dt.datetime | None:
    text = cell_text(raw)
    if text is None:
        return None
    found = parse_time(text)
    if found is None:
        context.error(
            where,
            "not a time; allowed: 2024-06-30 10:15:00 (ISO) or 30.06.2024 10:15",
            field="saved",
            value=text,
        )
    return found


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b, key=_instant)


def _instant(moment: dt.datetime) -> float:
    return moment.timestamp()


def _about(context: Context, mapping: TableMapping, name: str, raw: object, where: str) -> object:
    text = _text(mapping, name, raw)
    if text is None:
        return None
    return context.about(name, text, f"{where}, {mapping.about[name]}", name)
