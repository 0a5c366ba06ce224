"""One respondent's answer as read from a file: its reports, its own attributes, and where.

The readers of workbooks, form files and CSV exports (`netkoop.survey.readers`) turn cells
into `Answer` records through one `Context`, which knows the survey and the scenario's units:
it reads German and English answer words, resolves partners written as keys or names, and
collects the problems that stop a collection (each with file, place, field, value and what
is allowed) and the answers it drops (each with its reason).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from netkoop._errors import DataFileError, Problem
from netkoop.model.references import CERTAIN, UnitIndex
from netkoop.model.vocabulary import (
    TIE_KINDS,
    TIE_VALUES,
    UNIT_VALUES,
    VALUE_LABELS_DE,
    closest,
    fold,
    normalize_tie_kind,
    normalize_value,
)

#: The fields of a report besides partner, kind and comment, in the order tables list them.
FIELDS = ("intensity", "level", "funding", "since")

#: What a questionnaire asks per partner and tie kind: whether there is a tie, then its fields.
KIND_FIELDS = ("presence", *FIELDS)

#: The questions about the respondent itself ("Eigene Angaben").
ABOUT = ("coordination_office", "integration_concept", "case_management")

#: The years a "since" answer may name.
FIRST_YEAR, LAST_YEAR = 1990, 2035

#: The columns of the reports table.
REPORT_COLUMNS = (
    "respondent",
    "partner",
    "kind",
    *FIELDS,
    "comment",
    "file",
    "place",
)

_YES = frozenset(fold(w) for w in ("ja", "j", "yes", "y", "x", "true", "wahr", "1", "✓", "✔"))
_NO = frozenset(fold(w) for w in ("nein", "n", "no", "false", "falsch", "0", "–", "—"))
_FLAGS = frozenset({"integration_concept", "case_management"})
_PRESENCE = {"ja": True, "nein": False, "yes": True, "no": False}
_CHOICES = {**TIE_VALUES, **UNIT_VALUES}
_NOUNS = {
    "intensity": "an intensity",
    "level": "a level",
    "funding": "a kind of funding",
    "coordination_office": "a kind of coordination office",
}


@dataclass(frozen=True)
class Survey:
    """What `survey create` wrote into ``survey.yaml``: the survey, its respondents and rosters.

    ``partners`` holds the roster of each respondent (the candidate partners, in the order
    of the workbook's rows); ``path`` is the survey file and ``scenario`` the base scenario
    as written there.
    """

    id: str
    name: str
    created: str
    scenario: str
    respondents: tuple[str, ...]
    partners: Mapping[str, tuple[str, ...]]
    path: Path

    @property
    def source(self) -> str:
        """The ``source`` of every tie the survey gives: ``survey:<name> <created>``."""
        return f"survey:{self.name} {self.created}"


class Report(NamedTuple):
    """One claim of a respondent: a tie of ``kind`` with ``partner``, and where it was read."""

    partner: str
    kind: str
    intensity: str | None
    level: str | None
    funding: str | None
    since: int | None
    comment: str | None
    place: str


@dataclass(frozen=True)
class Dropped:
    """An answer left out of the reports, and why.

    ``reason`` is one of `REASONS`; ``written`` is the partner, kind or respondent as
    written; ``suggestions`` are the unit keys (or the kind) it most likely means; ``other``
    names the other file of a duplicate answer.
    """

    reason: str
    file: str
    place: str
    respondent: str | None = None
    written: str | None = None
    kind: str | None = None
    suggestions: tuple[str, ...] = ()
    other: str | None = None


#: Why an answer is dropped, in English (messages and ``rücklauf.csv``).
REASONS: Mapping[str, str] = {
    "unknown_partner": "the partner names no unit of the scenario",
    "ambiguous_partner": "the partner is the name of several units",
    "unknown_kind": "not a tie kind",
    "unknown_respondent": "not a respondent of the survey",
    "no_partner": "answers in a row that names no partner",
    "self": "the respondent names itself as partner",
    "membership_not_forum": "a membership is with a forum only",
    "repeated": "the same partner and kind twice in one answer; the first is kept",
    "details_without_tie": "details given for a tie answered 'nein'; read as no tie",
    "duplicate_answer": "another answer of the same respondent came later and wins",
    "blank": "the questionnaire came back blank (no cell filled in): not counted as an answer",
}


@dataclass(frozen=True)
class Answer:
    """Everything one respondent answered in one file (a workbook, a form, rows of a CSV).

    ``file`` names the file as reports name it (its name), ``path`` is where it was read;
    ``place`` says where the respondent is named in it; ``saved`` is when the respondent
    saved it, where the file says so (form files, a CSV's time column). ``blank`` tells a
    questionnaire returned with no cell filled in, which does not count as an answer.
    """

    respondent: str
    file: str
    path: Path
    place: str
    saved: dt.datetime | None
    reports: tuple[Report, ...]
    about: Mapping[str, object]
    dropped: tuple[Dropped, ...]
    blank: bool = False


@dataclass
class Resolved:
    """A partner or respondent as written, read as a unit key or not, with suggestions."""

    key: str | None
    reason: str | None = None
    suggestions: tuple[str, ...] = ()


@dataclass
class Context:
    """The survey and the scenario's units, for reading answers; collects the problems met.

    Readers call `error` for every problem that stops the collection and go on reading, so
    that one pass finds them all; `raise_problems` raises them together at the end.
    """

    survey: Survey
    units: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kinds: dict[str, str] = dict(zip(self.units["id"], self.units["kind"], strict=True))
        self.names: dict[str, str] = dict(zip(self.units["id"], self.units["name"], strict=True))
        self.respondents = frozenset(self.survey.respondents)
        self._index: UnitIndex | None = None
        self._resolved: dict[str, Resolved] = {}
        self._values: dict[tuple[str, object], object] = {}

    # --- problems ---------------------------------------------------------------------

    def error(
        self, where: str, message: str, *, field: str | None = None, value: object = None
    ) -> None:
        """Record a problem that stops the collection."""
        shown = None if value is None else _shown(value)
        self.problems.append(Problem("error", where, message, field=field, value=shown))

    def drop_row(
        self,
        reason: str,
        file: str,
        place: str,
        *,
        written: str | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> None:
        """Record an answer that belongs to no respondent's answer (a CSV row of no
        respondent of the survey)."""
        self.dropped.append(Dropped(reason, file, place, None, written, None, suggestions))

    def raise_problems(self) -> None:
        """Raise one `DataFileError` listing every problem recorded, if there is any."""
        if not self.problems:
            return
        if len(self.problems) == 1:
            raise DataFileError(str(self.problems[0]))
        lines = "\n".join(f"  {problem}" for problem in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  ... and {more:,} more" if more > 0 else ""
        raise DataFileError(
            f"{len(self.problems):,} problems in the answer files; nothing was collected:\n"
            f"{lines}{tail}"
        )

    # --- units ------------------------------------------------------------------------

    def name_of(self, key: str) -> str:
        """The name of unit ``key``, or the key itself."""
        return self.names.get(key, key)

    def is_forum(self, key: str) -> bool:
        """Tell whether unit ``key`` is a forum."""
        return self.kinds.get(key) == "forum"

    def resolve(self, written: str) -> Resolved:
        """Read a partner written as a key or a name (a lost leading zero, a key as a float).

        A unique name is its unit's key; a name several units share, or a misspelling, is
        not resolved but comes with the keys it may mean.
        """
        if written in self.kinds:
            return Resolved(written)
        known = self._resolved.get(written)
        if known is not None:
            return known
        if self._index is None:
            self._index = UnitIndex(self.units)
        reading = self._index.read(written)
        if reading is None:
            found = Resolved(None, "unknown_partner")
        elif reading.cause in CERTAIN and not reading.others:
            found = Resolved(reading.key)
        elif reading.cause == "name":
            found = Resolved(None, "ambiguous_partner", (reading.key, *reading.others))
        else:
            found = Resolved(None, "unknown_partner", (reading.key, *reading.others))
        self._resolved[written] = found
        return found

    def respondent(self, written: str) -> Resolved:
        """Read a respondent written as a key or a name; it must be one of the survey's."""
        found = self.resolve(written)
        if found.key is not None and found.key not in self.respondents:
            return Resolved(None, "unknown_respondent")
        if found.key is None:
            return Resolved(None, "unknown_respondent", found.suggestions)
        return found

    def check_pair(self, respondent: str, partner: str, kind: str) -> str | None:
        """The reason a report cannot stand (a respondent naming itself...), else None."""
        if partner == respondent:
            return "self"
        if kind == "membership" and not self.is_forum(partner):
            return "membership_not_forum"
        return None

    # --- answer words -----------------------------------------------------------------

    def kind(self, written: str) -> tuple[str | None, tuple[str, ...]]:
        """The tie kind a word means, or None with the kind it most likely means."""
        kind = normalize_tie_kind(written)
        if kind is not None:
            return kind, ()
        close = closest("kind (ties)", written)
        return None, (close,) if close else ()

    def presence(self, raw: object, where: str, label: str) -> bool | None:
        """Read a ja/nein answer (ja, nein, yes, no, x, 1, 0, true, false); None when empty."""
        if isinstance(raw, bool):
            return raw
        text = cell_text(raw)
        if text is None:
            return None
        known = _PRESENCE.get(text)
        if known is not None:
            return known
        folded = fold(text)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        self.error(
            where,
            "not an answer of ja/nein; allowed: ja, nein (or yes, no)",
            field=label,
            value=raw,
        )
        return None

    def choice(self, name: str, raw: object, where: str, label: str) -> str | None:
        """Read a word of ``name`` (intensity, level, funding, coordination_office)."""
        text = cell_text(raw)
        if text is None:
            return None
        cached = self._values.get((name, text), _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        value = normalize_value(name, text)
        if value is None:
            allowed = ", ".join(VALUE_LABELS_DE[(name, v)] for v in _CHOICES[name])
            close = closest(name, text)
            hint = f"; did you mean '{VALUE_LABELS_DE[(name, close)]}'?" if close else ""
            english = ", ".join(_CHOICES[name])
            self.error(
                where,
                f"not {_NOUNS[name]}; allowed: {allowed} (or {english}){hint}",
                field=label,
                value=raw,
            )
            return None
        self._values[(name, text)] = value
        return value

    def year(self, raw: object, where: str, label: str) -> int | None:
        """Read a year of "since" (a whole number from 1990 to 2035)."""
        if raw is None or raw == "" or (isinstance(raw, float) and math.isnan(raw)):
            return None
        text = cell_text(raw)
        if text is None:
            return None
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            year: int | None = int(raw)
        elif isinstance(raw, dt.date):
            year = raw.year
        else:
            year = int(text) if text.isdigit() else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            self.error(
                where,
                f"not a year; allowed: a whole number from {FIRST_YEAR} to {LAST_YEAR}",
                field=label,
                value=raw,
            )
            return None
        return year

    def about(self, name: str, raw: object, where: str, label: str | None = None) -> object:
        """Read an answer about the respondent itself; None when it is empty."""
        label = label or name
        if name in _FLAGS:
            return self.presence(raw, where, label)
        return self.choice(name, raw, where, label)

    def field_value(self, name: str, raw: object, where: str, label: str) -> object:
        """Read a report field: intensity, level, funding (words) or since (a year)."""
        if name == "since":
            return self.year(raw, where, label)
        return self.choice(name, raw, where, label)


_MISSING = object()


def cell_text(raw: object) -> str | None:
    """Return a cell or JSON value as text: trimmed, whole floats without '.0'; None if empty."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "ja" if raw else "nein"
    if isinstance(raw, float):
        if math.isnan(raw):
            return None
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    text = str(raw).strip()
    return text or None


def _shown(value: object) -> str:
    text = cell_text(value)
    return text if text is not None else repr(value)


class AnswerBuilder:
    """Gathers the reports and dropped answers of one respondent's answer, checking each."""

    def __init__(self, context: Context, respondent: str, file: str) -> None:
        self.context = context
        self.respondent = respondent
        self.file = file
        self.reports: list[Report] = []
        self.dropped: list[Dropped] = []
        self._seen: set[tuple[str, str]] = set()

    def partner(self, written: str, place: str, kinds: tuple[str, ...]) -> str | None:
        """Resolve a partner as written; drop the row's answers when it names no unit."""
        found = self.context.resolve(written)
        if found.key is None:
            self.drop(
                found.reason or "unknown_partner",
                place,
                written=written,
                kind=", ".join(kinds) or None,
                suggestions=found.suggestions,
            )
        return found.key

    def add(
        self,
        partner: str,
        kind: str,
        values: Mapping[str, Any],
        comment: str | None,
        place: str,
    ) -> None:
        """Add a report of ``kind`` with ``partner``, or drop it with its reason."""
        reason = self.context.check_pair(self.respondent, partner, kind)
        if reason is None and (partner, kind) in self._seen:
            reason = "repeated"
        if reason is not None:
            self.drop(reason, place, written=partner, kind=kind)
            return
        self._seen.add((partner, kind))
        self.reports.append(
            Report(
                partner,
                kind,
                values.get("intensity"),
                values.get("level"),
                values.get("funding"),
                values.get("since"),
                comment,
                place,
            )
        )

    def drop(
        self,
        reason: str,
        place: str,
        *,
        written: str | None = None,
        kind: str | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> None:
        """Record an answer left out, and why."""
        self.dropped.append(
            Dropped(reason, self.file, place, self.respondent, written, kind, suggestions)
        )

    def answer(
        self,
        path: Path,
        place: str,
        saved: dt.datetime | None,
        about: Mapping[str, object],
        *,
        blank: bool = False,
    ) -> Answer:
        """The answer gathered; ``blank`` for a questionnaire with no cell filled in."""
        return Answer(
            self.respondent,
            self.file,
            path,
            place,
            saved,
            tuple(self.reports),
            dict(about),
            tuple(self.dropped),
            blank,
        )


def dropped_order(dropped: Dropped) -> tuple[object, ...]:
    """Order dropped answers by file and place as people read them: row 9 before row 10."""
    place = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", dropped.place)
    )
    return (dropped.file, place, dropped.reason)


def reason_text(dropped: Dropped, names: Mapping[str, str]) -> str:
    """Say in English why an answer was dropped, with the units it most likely means."""
    base = REASONS[dropped.reason]
    written = f" '{dropped.written}'" if dropped.written else ""
    if dropped.reason in {"unknown_partner", "unknown_respondent"} and dropped.suggestions:
        key = dropped.suggestions[0]
        return f"{base}{written}; did you mean '{names.get(key, key)}' ('{key}')?"
    if dropped.reason == "ambiguous_partner":
        keys = " or ".join(f"'{k}'" for k in dropped.suggestions)
        return f"{base}{written} ({keys}); write the key meant"
    if dropped.reason == "unknown_kind":
        hint = f"; did you mean '{dropped.suggestions[0]}'?" if dropped.suggestions else ""
        return f"{base}{written}; tie kinds: {', '.join(TIE_KINDS)}{hint}"
    if dropped.reason == "duplicate_answer" and dropped.other:
        return f"{base}: {dropped.other}"
    return f"{base}{written}"


_GERMAN_TIME = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


def parse_time(text: str) -> dt.datetime | None:
    """Read when an answer was saved: ISO 8601 (``2024-06-30T10:15:00Z``, LimeSurvey's
    ``2024-06-30 10:15:00``) or German (``30.06.2024 10:15``); None if it is neither.

    >>> parse_time("2024-06-30T10:15:00Z").isoformat()
    '2024-06-30T10:15:00+00:00'
    >>> parse_time("30.06.2024 10:15").isoformat(), parse_time("morgen")
    ('2024-06-30T10:15:00', None)
    """
    text = text.strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for form in _GERMAN_TIME:
        try:
            return dt.datetime.strptime(text, form)
        except ValueError:
            continue
    return None
