"""Which columns of a survey tool's CSV export hold which answer: the mapping file.

A long export has one row per respondent and partner (or per respondent, partner and kind);
a wide export one row per respondent and one column per partner and question, as LimeSurvey
(``exchange[03241]``) and SoSci Survey (``Q1_03``) export array questions. The mapping names
netkoop's fields on the left and the export's columns on the right; in a wide export each
column is a pattern in which ``{partner}`` stands for the partner's code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from netkoop._errors import DataFileError
from netkoop.model.vocabulary import normalize_tie_kind
from netkoop.scenario import yamlsafe
from netkoop.scenario.document import display_path
from netkoop.survey.answers import ABOUT, FIELDS, KIND_FIELDS

Layout = Literal["long", "wide"]

#: The placeholder of a wide export's column pattern.
PARTNER = "{partner}"

#: The settings a mapping file may hold.
SETTINGS = (
    "layout",
    "respondent",
    "partner",
    "kind",
    "columns",
    "partners",
    "about",
    "saved",
    "values",
    "sep",
    "encoding",
)

#: The fields whose words ``values:`` may translate one by one.
VALUE_FIELDS = ("kind", *KIND_FIELDS, *ABOUT)


@dataclass(frozen=True)
class Target:
    """What a column holds: a kind's presence or field, a field of the row's kind, a comment."""

    kind: str | None
    field: str

    @property
    def label(self) -> str:
        """The target as the mapping writes it: ``exchange.intensity``, ``intensity``."""
        return f"{self.kind}.{self.field}" if self.kind else self.field


@dataclass(frozen=True)
class TableMapping:
    """Where a CSV export keeps the answers; see the module docstring and the README.

    Parameters
    ----------
    layout
        ``long`` (a row per respondent and partner) or ``wide`` (a column per partner).
    respondent
        The column with the respondent's key (or its name).
    partner, kind
        Long exports: the columns with the partner's key (or name) and the tie kind.
    columns
        What each answer column holds (see `Target`), by the column's name (long) or its
        pattern with ``{partner}`` (wide).
    partners
        Wide exports: the codes that stand for partners in the column names, each with the
        unit's key; without it the code is read as a key or a name.
    about
        The columns with the answers about the respondent itself.
    saved
        The column with the time an answer was saved: of two answers of a respondent the
        later one wins.
    values
        The export's own words (or codes) and what they mean: one table for all fields, or
        one per field (``presence``, ``intensity``...).
    sep, encoding
        The CSV separator and text encoding when they are not to be detected.
    """

    layout: Layout
    respondent: str
    partner: str | None = None
    kind: str | None = None
    columns: Mapping[str, Target] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)
    about: Mapping[str, str] = field(default_factory=dict)
    saved: str | None = None
    values: Mapping[str, str | None] = field(default_factory=dict)
    field_values: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    sep: str | None = None
    encoding: str | None = None
    source: str = "the mapping"

    def translate(self, name: str, text: str) -> str | None:
        """The word ``text`` of field ``name`` means by ``values`` (else ``text`` itself)."""
        own = self.field_values.get(name)
        if own is not None and text in own:
            return own[text]
        return self.values.get(text, text)

    def patterns(self) -> dict[str, re.Pattern[str]]:
        """Wide exports: a regular expression per column pattern, capturing the partner code."""
        found = {}
        for pattern in self.columns:
            head, _, tail = pattern.partition(PARTNER)
            found[pattern] = re.compile(f"{re.escape(head)}(?P<code>.+?){re.escape(tail)}")
        return found


def read_mapping(path: str | Path) -> TableMapping:
    """Read a mapping file (YAML) for a CSV export.

    Raises
    ------
    DataFileError
        When the file is missing or malformed, or names a setting, field or kind netkoop
        does not know; each problem with its line.
    """
    source = Path(path)
    label = display_path(source)
    doc = yamlsafe.parse_mapping_file(source, label)
    if not isinstance(doc, dict):
        raise DataFileError(f"{label}: a mapping file holds settings such as 'respondent: Kommune'")
    return mapping_from(doc, label)


def mapping_from(doc: Mapping[str, object], label: str = "the mapping") -> TableMapping:
    """Build a mapping from its settings (as a mapping file holds them).

    >>> mapping_from({"respondent": "ags", "columns": {"exchange": "A[{partner}]"}}).layout
    'wide'

    Raises
    ------
    DataFileError
        As `read_mapping`.
    """
    problems: list[str] = []

    def where(key: str, within: object = doc) -> str:
        line = within.line_of(key) if isinstance(within, yamlsafe.Mapping) else None
        return f"{label}, line {line}" if line else label

    for key in doc:
        if key not in SETTINGS:
            problems.append(
                f"{where(key)}: unknown setting '{key}'; settings: {', '.join(SETTINGS)}"
            )
    texts: dict[str, str | None] = {}
    for key in ("layout", "respondent", "partner", "kind", "saved", "sep", "encoding"):
        value = doc.get(key)
        if value is not None and (isinstance(value, dict | list) or not str(value)):
            problems.append(f"{where(key)}: '{key}' names one column (or value) as text")
            value = None
        texts[key] = None if value is None else str(value)
    columns_doc = _table(doc, "columns", where, problems)
    wide = any(PARTNER in str(v) for v in columns_doc.values())
    layout = texts["layout"] or ("wide" if wide else "long")
    if layout not in {"long", "wide"}:
        problems.append(f"{where('layout')}: layout '{layout}'; allowed: long, wide")
        layout = "long"
    if texts["respondent"] is None:
        problems.append(f"{label}: 'respondent' names the column with the respondent's key")
    columns: dict[str, Target] = {}
    for target_text, column in columns_doc.items():
        target = _target(target_text)
        if target is None:
            problems.append(
                f"{where(target_text, doc.get('columns'))}: '{target_text}' is no answer; "
                f"write a tie kind (its ja/nein), <kind>.<field> with a field of "
                f"{', '.join(KIND_FIELDS)}, a field alone (long exports) or comment"
            )
            continue
        columns[str(column)] = target
    if layout == "long":
        _check_long(texts, columns, label, problems)
    else:
        _check_wide(columns, label, problems)
    about = _table(doc, "about", where, problems)
    for name in about:
        if name not in ABOUT:
            problems.append(
                f"{where('about')}: '{name}' is no question; allowed: {', '.join(ABOUT)}"
            )
    values, field_values = _values(doc, where, problems)
    if texts["sep"] is not None and len(texts["sep"]) != 1:
        problems.append(f"{where('sep')}: 'sep' is one character")
    if problems:
        raise DataFileError("\n".join(problems))
    return TableMapping(
        layout="wide" if layout == "wide" else "long",
        respondent=str(texts["respondent"]),
        partner=texts["partner"],
        kind=texts["kind"],
        columns=columns,
        partners={str(k): str(v) for k, v in _table(doc, "partners", where, problems).items()},
        about={name: str(column) for name, column in about.items()},
        saved=texts["saved"],
        values=values,
        field_values=field_values,
        sep=texts["sep"],
        encoding=texts["encoding"],
        source=label,
    )


def _table(
    doc: Mapping[str, object], key: str, where: object, problems: list[str]
) -> dict[str, object]:
    value = doc.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or any(isinstance(v, dict | list) for v in value.values()):
        problems.append(f"{where(key)}: '{key}' maps names to columns")  # type: ignore[operator]
        return {}
    return {str(k): v for k, v in value.items() if v is not None}


def _target(text: str) -> Target | None:
    if text == "comment":
        return Target(None, "comment")
    if text in FIELDS:
        return Target(None, text)
    kind_text, dot, name = text.partition(".")
    kind = normalize_tie_kind(kind_text)
    if kind is None:
        return None
    if not dot:
        return Target(kind, "presence")
    return Target(kind, name) if name in KIND_FIELDS else None


def _check_long(
    texts: Mapping[str, str | None], columns: Mapping[str, Target], label: str, problems: list[str]
) -> None:
    if texts["partner"] is None:
        problems.append(f"{label}: a long export needs 'partner', the column with the partner")
    presence = [t for t in columns.values() if t.field == "presence"]
    if texts["kind"] is not None and presence:
        problems.append(
            f"{label}: name the tie kind either by a 'kind' column or by one ja/nein column per "
            "kind under 'columns', not both"
        )
    if texts["kind"] is None and not presence:
        problems.append(
            f"{label}: say which kind each row reports: a 'kind' column, or one ja/nein column "
            "per kind under 'columns' (exchange: Austausch)"
        )
    if texts["kind"] is not None and any(t.kind for t in columns.values()):
        problems.append(
            f"{label}: with a 'kind' column, 'columns' names fields alone (intensity: Intensität)"
        )


def _check_wide(columns: Mapping[str, Target], label: str, problems: list[str]) -> None:
    if not columns:
        problems.append(
            f"{label}: a wide export needs 'columns' with patterns such as 'A[{{partner}}]'"
        )
    for pattern, target in columns.items():
        if pattern.count(PARTNER) != 1:
            problems.append(
                f"{label}: the column pattern '{pattern}' ({target.label}) must hold {PARTNER} once"
            )
        if target.kind is None and target.field != "comment":
            problems.append(
                f"{label}: in a wide export every column belongs to a kind: write "
                f"<kind>.{target.field} rather than {target.field}"
            )


def _values(
    doc: Mapping[str, object], where: object, problems: list[str]
) -> tuple[dict[str, str | None], dict[str, dict[str, str | None]]]:
    value = doc.get("values")
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        problems.append(f"{where('values')}: 'values' maps the export's words to netkoop's")  # type: ignore[operator]
        return {}, {}
    words: dict[str, str | None] = {}
    per_field: dict[str, dict[str, str | None]] = {}
    for key, meant in value.items():
        if isinstance(meant, dict):
            if key not in VALUE_FIELDS:
                problems.append(
                    f"{where('values')}: values of '{key}': not a field; fields: "  # type: ignore[operator]
                    + ", ".join(VALUE_FIELDS)
                )
                continue
            per_field[str(key)] = {str(k): _word(v) for k, v in meant.items()}
        elif isinstance(meant, list):
            problems.append(f"{where('values')}: '{key}' means one word")  # type: ignore[operator]
        else:
            words[str(key)] = _word(meant)
    return words, per_field


def _word(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)
