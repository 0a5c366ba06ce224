"""Who is asked about whom: the respondents, the roster of each, and the questions on it.

A survey asks *respondents* (units of a scenario) about their ties to the *partners* on their
roster. The questions are the same in the workbook and in the form: for each partner and each
tie kind of `KINDS` whether the tie exists (`PRESENCE`) and its intensity, level, funding and
since when (`FIELDS`), a free comment per partner, and three questions about the respondent
itself (`ABOUT`). Values are netkoop's words (`netkoop.model.vocabulary`); people see the
German labels of `choices`.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.model.references import UnitIndex
from netkoop.model.vocabulary import (
    KREIS_KINDS,
    LABELS_DE,
    TIE_KINDS,
    TIE_VALUES,
    UNIT_KINDS,
    UNIT_VALUES,
    VALUE_LABELS_DE,
    closest,
    normalize_unit_kind,
)


class SurveyError(NetkoopError, ValueError):
    """A survey cannot be made or read as asked: the message names the value and what is
    allowed."""


# --- the questions --------------------------------------------------------------------------

#: The tie kinds asked on each partner row, in order.
KINDS: tuple[str, ...] = TIE_KINDS

#: Tie kinds asked only on the rows of partners that are forums (and on free rows).
FORUM_KINDS: frozenset[str] = frozenset({"membership"})

#: What is asked per partner and tie kind, in the order of the columns.
FIELDS: tuple[str, ...] = ("presence", "intensity", "level", "funding", "since")

#: The German heading of each field.
FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "presence": "ja/nein",
        "intensity": "Intensität",
        "level": "Ebene",
        "funding": "Finanzierung",
        "since": "seit",
    }
)

#: The answers to "does the tie exist?", as stored and as shown.
PRESENCE: tuple[tuple[str, str], ...] = (("yes", "ja"), ("no", "nein"))

#: The years "since" may take, first and last.
YEARS: tuple[int, int] = (1990, 2035)

#: The longest comment the workbook takes, in characters.
LONGEST_COMMENT = 2000

#: The questions about the respondent itself: its field, the question and the kind of answer
#: (``coordination_office``: the values of `netkoop.model.vocabulary.UNIT_VALUES`;
#: ``yesno``: ja/nein, stored as true/false).
ABOUT: tuple[tuple[str, str, str], ...] = (
    (
        "coordination_office",
        "Gibt es in Ihrer Verwaltung eine Koordinierungsstelle für Integration? Wenn ja: "
        "wie ist sie eingerichtet?",
        "coordination_office",
    ),
    (
        "integration_concept",
        "Hat Ihre Kommune ein Integrationskonzept (beschlossen oder in Arbeit)?",
        "yesno",
    ),
    (
        "case_management",
        "Gibt es ein Fallmanagement (Case Management) für Neuzugewanderte?",
        "yesno",
    ),
)

#: What each tie kind means, as the instructions and the form say it.
KIND_HELP: Mapping[str, str] = MappingProxyType(
    {
        "exchange": "Gespräche, um voneinander zu lernen – auf Leitungsebene (z. B. "
        "Bürgermeisterin, Landrat) oder auf Arbeitsebene (z. B. Integrationsbeauftragte, "
        "Sozialarbeit), in festen Formaten oder informell.",
        "shared_staff": "eine Personalstelle, die Sie mit dem Partner gemeinsam tragen "
        "(z. B. Flüchtlingssozialarbeit, Integrationskoordination).",
        "joint_project": "gemeinsame Projekte, Veranstaltungen oder Fortbildungen.",
        "shared_material": "Informationsmaterial, das Sie gemeinsam erstellen oder teilen.",
        "service_opening": "Ihre Kommune öffnet ihre Beratungs-, Unterstützungs- oder "
        "Bildungsangebote für Menschen, die beim Partner wohnen (von Ihnen zum Partner).",
        "membership": "Ihre Kommune ist Mitglied des Austauschformats (nur bei Austauschformaten).",
    }
)


def choices(field: str) -> tuple[tuple[str, str], ...]:
    """Return the answers a field takes: netkoop's word and the German label, in order.

    ``field`` is ``presence``, a categorical tie field (`netkoop.model.vocabulary.TIE_VALUES`),
    ``coordination_office`` or ``yesno``.

    Examples
    --------
    >>> choices("intensity")
    (('occasional', 'gelegentlich'), ('regular', 'regelmäßig'), ('intensive', 'intensiv'))
    >>> choices("yesno")
    (('true', 'ja'), ('false', 'nein'))
    """
    if field == "presence":
        return PRESENCE
    if field == "yesno":
        return (("true", "ja"), ("false", "nein"))
    values = TIE_VALUES.get(field) or UNIT_VALUES.get(field)
    if values is None:
        raise KeyError(field)
    return tuple((value, VALUE_LABELS_DE[(field, value)]) for value in values)


def kinds_of(partner: Unit | None) -> tuple[str, ...]:
    """Return the tie kinds asked about a partner: all for a forum or a free row (None)."""
    if partner is None or partner.kind == "forum":
        return KINDS
    return tuple(kind for kind in KINDS if kind not in FORUM_KINDS)


# --- units ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A unit as a questionnaire shows it: key, name, kind, Land and Kreis (with its name)."""

    id: str
    name: str
    kind: str
    land: str | None
    kreis: str | None
    kreis_name: str | None

    @property
    def kind_label(self) -> str:
        """The kind in German, e.g. "kreisangehörige Gemeinde"."""
        return LABELS_DE.get(self.kind, self.kind)


class Directory:
    """The units of a scenario in table order, with their Kreise and neighbouring Kreise."""

    def __init__(self, units: pd.DataFrame, kreis: pd.Series, borders: pd.DataFrame) -> None:
        names = dict(zip(units["id"], units["name"].fillna(units["id"]), strict=True))
        found: dict[str, Unit] = {}
        for row in units[["id", "kind", "land"]].itertuples(index=False):
            unit_id, kind, land = str(row[0]), str(row[1]), row[2]
            own = kreis.get(unit_id)
            own = str(own) if isinstance(own, str) and own else None
            found[unit_id] = Unit(
                id=unit_id,
                name=str(names[unit_id]),
                kind=kind,
                land=str(land) if isinstance(land, str) and land else None,
                kreis=own,
                kreis_name=str(names.get(own, own)) if own is not None else None,
            )
        self.units: Mapping[str, Unit] = MappingProxyType(found)
        self.position: Mapping[str, int] = MappingProxyType({k: i for i, k in enumerate(found)})
        self.index = UnitIndex(units)
        self.has_borders = not borders.empty
        self.neighbours = _neighbours(borders, found)

    def kreise(self) -> list[str]:
        """The ids of the units that are a Kreis (Landkreise, kreisfreie Städte), in order."""
        return [u.id for u in self.units.values() if u.kind in KREIS_KINDS]


def _neighbours(borders: pd.DataFrame, units: Mapping[str, Unit]) -> Mapping[str, frozenset[str]]:
    """The Kreise that share a border with each Kreis; a border between places counts for
    their Kreise."""
    found: dict[str, set[str]] = {}
    for a, b in zip(borders["from"].astype("str"), borders["to"].astype("str"), strict=True):
        first, second = units.get(a), units.get(b)
        if first is None or second is None or first.kreis is None or second.kreis is None:
            continue
        if first.kreis != second.kreis:
            found.setdefault(first.kreis, set()).add(second.kreis)
            found.setdefault(second.kreis, set()).add(first.kreis)
    return MappingProxyType({k: frozenset(v) for k, v in found.items()})


# --- the survey -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyInfo:
    """What identifies a survey: its id, name, date and the scenario it asks about."""

    id: str
    name: str
    created: str
    scenario: str
    scenario_name: str


def survey_id(scenario_name: str, respondents: Sequence[str], created: str) -> str:
    """Return a survey's id: 12 hex characters of the SHA-256 of its scenario's name, its
    respondents (in order) and its date, one per line with the respondents joined by commas.

    Examples
    --------
    >>> survey_id("beispielregion", ["auenfeld", "lk-nord"], "2025-03-01")
    '84236f6b2f9d'
    """
    text = f"{scenario_name}\n{','.join(respondents)}\n{created}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --- choosing respondents -------------------------------------------------------------------

#: The ways to fill a roster (see `rosters`).
PARTNER_MODES: tuple[str, ...] = ("default", "all", "respondents")

PartnerMode = Literal["default", "all", "respondents"]

#: Unit kinds that are asked unless the kinds are chosen: all but forums and Länder.
DEFAULT_KINDS: tuple[str, ...] = tuple(k for k in UNIT_KINDS if k not in {"forum", "land"})


def respondents_of(
    directory: Directory,
    *,
    ids: str | Iterable[str] | None = None,
    kinds: str | Iterable[str] | None = None,
    kreis: str | None = None,
) -> list[str]:
    """Return the respondents chosen by id, or by unit kind and Kreis, in table order.

    Without ``ids``, the units of the ``kinds`` (default: every unit that is not a forum or a
    Land) are asked, within the Kreis ``kreis`` (its own unit and its Gemeinden) if given.

    Raises
    ------
    SurveyError
        When an id names no unit (with the unit it most likely means), a kind is not a unit
        kind, ``kreis`` is not a Kreis, ``ids`` comes with ``kinds`` or ``kreis``, or nothing
        is chosen.
    """
    if ids is not None:
        if kinds is not None or kreis is not None:
            raise SurveyError(
                "respondents are chosen either by id or by kind and Kreis, not both; "
                "leave out the kinds and the Kreis, or the ids"
            )
        chosen = _as_list(ids)
        if not chosen:
            raise SurveyError("no respondents given; name unit ids such as the ones 'info' lists")
        unknown = [value for value in chosen if value not in directory.units]
        if unknown:
            raise SurveyError(
                "unknown respondent "
                + ", ".join(_unknown_unit(value, directory) for value in unknown)
                + "; respondents are the ids of the scenario's units"
            )
        doubled = sorted({v for v in chosen if chosen.count(v) > 1})
        if doubled:
            raise SurveyError(f"respondent {', '.join(map(repr, doubled))} named twice")
        return sorted(chosen, key=directory.position.__getitem__)
    wanted = _unit_kinds(kinds)
    inside = None if kreis is None else _kreis(kreis, directory)
    found = [
        unit.id
        for unit in directory.units.values()
        if unit.kind in wanted and (inside is None or unit.kreis == inside)
    ]
    if not found:
        where = f" in the Kreis '{inside}'" if inside is not None else ""
        shown = ", ".join(LABELS_DE.get(k, k) for k in wanted)
        raise SurveyError(f"no respondents: the scenario has no unit of the kinds {shown}{where}")
    return found


def _as_list(values: str | Iterable[str]) -> list[str]:
    items = values.split(",") if isinstance(values, str) else [str(v) for v in values]
    return [item.strip() for item in items if item.strip()]


def _unit_kinds(kinds: str | Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(DEFAULT_KINDS)
    chosen, unknown = [], []
    for written in _as_list(kinds):
        kind = normalize_unit_kind(written)
        if kind is None:
            close = closest("kind (units)", written)
            unknown.append(f"'{written}'" + (f" (did you mean {close}?)" if close else ""))
        else:
            chosen.append(kind)
    if unknown:
        raise SurveyError(
            f"unknown unit kind {', '.join(unknown)}; unit kinds: {', '.join(UNIT_KINDS)}"
        )
    if not chosen:
        raise SurveyError(f"no unit kinds given; unit kinds: {', '.join(UNIT_KINDS)}")
    return chosen


def _kreis(value: str, directory: Directory) -> str:
    """The id of the Kreis ``value`` names (its id or its exact name)."""
    value = value.strip()
    kreise = directory.kreise()
    unit = directory.units.get(value)
    if unit is not None and unit.kind in KREIS_KINDS:
        return unit.id
    named = [k for k in kreise if directory.units[k].name == value]
    if len(named) == 1:
        return named[0]
    if unit is not None:
        within = (
            f"; it lies in the Kreis '{unit.kreis}' ({unit.kreis_name})"
            if unit.kreis is not None
            else ""
        )
        raise SurveyError(
            f"'{value}' is a {unit.kind_label} ({unit.name}), not a Kreis{within}; "
            "a Kreis is a Landkreis or a kreisfreie Stadt"
        )
    near = _near(value, kreise, directory)
    listed = ", ".join(kreise[:10]) + (", …" if len(kreise) > 10 else "")
    raise SurveyError(f"'{value}' is not a Kreis of the scenario{near}; Kreise: {listed or 'none'}")


def _unknown_unit(value: str, directory: Directory) -> str:
    reading = directory.index.read(value)
    if reading is not None and reading.cause == "name" and not reading.others:
        return f"'{value}' (the name of '{reading.key}': give its id)"
    if reading is not None and reading.cause != "close":
        return f"'{value}' (did you mean '{reading.key}'?)"
    return f"'{value}'" + _near(value, list(directory.units), directory)


def _near(value: str, ids: Sequence[str], directory: Directory) -> str:
    """ " (did you mean 'x' (Name)?)" for the id or name most like ``value``, or nothing."""
    by_name = {directory.units[k].name.casefold(): k for k in ids}
    close = difflib.get_close_matches(value, list(ids), n=1, cutoff=0.7)
    if not close:
        named = difflib.get_close_matches(value.casefold(), list(by_name), n=1, cutoff=0.7)
        close = [by_name[named[0]]] if named else []
    if not close:
        return ""
    return f" (did you mean '{close[0]}' ({directory.units[close[0]].name})?)"


# --- choosing partners ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rosters:
    """The partners of each respondent, in the order the roster lists them, and notes."""

    partners: Mapping[str, tuple[str, ...]]
    notes: tuple[str, ...]


def rosters(directory: Directory, respondents: Sequence[str], mode: str = "default") -> Rosters:
    """Return each respondent's partners.

    ``default``: the other respondents, the units of the respondent's Kreis and of the Kreise
    that share a border with it (the borders table; without one, the Kreis alone, with a
    note), and the forums of its Land. ``all``: every other unit. ``respondents``: the other
    respondents only.

    A roster lists the respondent's own Kreis first, then the other Kreise in the order of
    the units table (each Kreis before its Gemeinden), then Länder, then forums.

    Raises
    ------
    SurveyError
        When ``mode`` is none of `PARTNER_MODES`.
    """
    if mode not in PARTNER_MODES:
        raise SurveyError(f"unknown partners '{mode}'; partners: {', '.join(PARTNER_MODES)}")
    asked = set(respondents)
    units = directory.units
    notes: list[str] = []
    if mode == "default" and not directory.has_borders:
        notes.append(
            "das Szenario hat keine Nachbarschaften (borders), daher stehen auf jeder Liste "
            "nur die Einheiten des eigenen Kreises, keine der Nachbarkreise (Nachbarschaften "
            "mit 'netkoop import adjacency' ergänzen)"
        )
    members: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.kreis is not None:
            members.setdefault(unit.kreis, []).append(unit.id)
    found: dict[str, tuple[str, ...]] = {}
    for respondent in respondents:
        me = units[respondent]
        if mode == "all":
            chosen = set(units) - {respondent}
        elif mode == "respondents":
            chosen = asked - {respondent}
        else:
            chosen = asked - {respondent}
            if me.kreis is not None:
                for kreis in {me.kreis, *directory.neighbours.get(me.kreis, ())}:
                    chosen.update(members.get(kreis, ()))
            if me.land is not None:
                chosen.update(
                    u.id for u in units.values() if u.kind == "forum" and u.land == me.land
                )
            chosen.discard(respondent)
        found[respondent] = tuple(sorted(chosen, key=lambda k: _place(units[k], me, directory)))
    empty = [respondent for respondent, partners in found.items() if not partners]
    if empty:
        shown = ", ".join(f"'{r}'" for r in empty[:5]) + (", …" if len(empty) > 5 else "")
        notes.append(
            f"{len(empty)} Partnerliste(n) leer ({shown}): diese Befragten können Partner nur "
            "in den freien Zeilen nennen"
        )
    return Rosters(MappingProxyType(found), tuple(notes))


def _place(unit: Unit, me: Unit, directory: Directory) -> tuple[int, int, int, int]:
    """Where a unit stands on the roster of ``me``: own Kreis, other Kreise, Länder, forums."""
    position = directory.position
    at = position[unit.id]
    if unit.kreis is not None:
        group = 0 if unit.kreis == me.kreis else 1
        kreis_at = position.get(unit.kreis, at)
        return (group, kreis_at, 0 if unit.id == unit.kreis else 1, at)
    return (2 if unit.kind != "forum" else 3, 0, 0, at)
