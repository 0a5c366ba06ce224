"""The words of the model: unit kinds, tie kinds and the allowed values of their attributes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from netkoop._errors import NetworkEditError

#: Kinds of unit (node), in the order reports list them.
UNIT_KINDS: tuple[str, ...] = ("land", "landkreis", "kreisfreie_stadt", "gemeinde", "forum")

#: Unit kinds that form a Kreis of their own.
KREIS_KINDS: frozenset[str] = frozenset({"landkreis", "kreisfreie_stadt"})

#: Kinds of tie (typed edge).
TIE_KINDS: tuple[str, ...] = (
    "exchange",
    "shared_staff",
    "joint_project",
    "shared_material",
    "service_opening",
    "membership",
)

#: Tie kinds whose direction carries meaning: ``service_opening`` runs from the provider to the
#: unit whose residents may use the services, ``membership`` from the unit to the forum.
DIRECTED_TIE_KINDS: frozenset[str] = frozenset({"service_opening", "membership"})

#: Allowed values of the categorical tie attributes.
TIE_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "intensity": ("occasional", "regular", "intensive"),
        "level": ("leadership", "operational"),
        "funding": ("voluntary", "project", "mandatory"),
    }
)

#: Allowed values of the categorical unit attributes that netkoop knows.
UNIT_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"coordination_office": ("none", "project", "permanent", "mandatory")}
)

#: German labels of the domain terms, used by reports and rendered pages.
LABELS_DE: Mapping[str, str] = MappingProxyType(
    {
        "land": "Land",
        "landkreis": "Landkreis",
        "kreisfreie_stadt": "kreisfreie Stadt",
        "gemeinde": "kreisangehörige Gemeinde",
        "forum": "Austauschformat",
        "exchange": "Erfahrungsaustausch",
        "shared_staff": "geteilte Stelle",
        "joint_project": "gemeinsames Projekt",
        "shared_material": "geteiltes Material",
        "service_opening": "Öffnung von Angeboten",
        "membership": "Mitgliedschaft",
    }
)

#: English labels of the domain terms; German terms with no good English word stay German.
LABELS_EN: Mapping[str, str] = MappingProxyType(
    {
        "land": "Land",
        "landkreis": "Landkreis",
        "kreisfreie_stadt": "kreisfreie Stadt",
        "gemeinde": "Gemeinde (kreisangehörig)",
        "forum": "forum",
        "exchange": "exchange",
        "shared_staff": "shared staff",
        "joint_project": "joint project",
        "shared_material": "shared material",
        "service_opening": "service opening",
        "membership": "membership",
    }
)

#: German words for the values of the categorical attributes, by column and value.
VALUE_LABELS_DE: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("intensity", "occasional"): "gelegentlich",
        ("intensity", "regular"): "regelmäßig",
        ("intensity", "intensive"): "intensiv",
        ("level", "leadership"): "Leitungsebene",
        ("level", "operational"): "Arbeitsebene",
        ("funding", "voluntary"): "freiwillig",
        ("funding", "project"): "Projektförderung",
        ("funding", "mandatory"): "Pflichtaufgabe",
        ("coordination_office", "none"): "keine",
        ("coordination_office", "project"): "projektfinanziert",
        ("coordination_office", "permanent"): "dauerhaft",
        ("coordination_office", "mandatory"): "gesetzlich vorgeschrieben",
    }
)

# Words met in German tables (Destatis, BBSR, surveys, study data) beyond the labels above,
# by what they stand for. Input is compared after `fold`: case, umlauts written as ae/oe/ue,
# ß as ss, and spaces, hyphens and underscores do not matter.
_UNIT_KIND_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "land": ("Bundesland",),
        "landkreis": ("Kreis", "Regionalverband", "Region", "Städteregion", "LK"),
        "kreisfreie_stadt": ("KFS", "Stadtkreis"),
        "gemeinde": ("kreisangehörige Kommune", "kreisangehörige Stadt", "Gemeinde"),
        "forum": ("Arbeitsgemeinschaft",),
    }
)

_TIE_KIND_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "exchange": ("Austausch", "Fachaustausch", "Informationsaustausch"),
        "shared_staff": (
            "geteilte Stellen",
            "gemeinsame Stelle",
            "gemeinsame Stellen",
            "Personalstelle geteilt",
            "geteiltes Personal",
            "gemeinsames Personal",
        ),
        "joint_project": ("gemeinsame Projekte", "Projekt", "Kooperationsprojekt"),
        "shared_material": ("gemeinsames Material", "Materialien geteilt", "geteilte Materialien"),
        "service_opening": ("Angebotsöffnung", "geöffnete Angebote", "Angebote geöffnet"),
        "membership": ("Mitglied", "Mitgliedschaften"),
    }
)

_VALUE_WORDS: Mapping[tuple[str, str], tuple[str, ...]] = MappingProxyType(
    {
        ("intensity", "occasional"): ("selten", "sporadisch", "ab und zu"),
        ("intensity", "regular"): ("regelmässig", "laufend"),
        ("intensity", "intensive"): ("eng", "sehr eng", "sehr intensiv"),
        ("level", "leadership"): ("Leitung", "Führungsebene"),
        ("level", "operational"): ("operativ", "Fachebene"),
        ("funding", "voluntary"): ("freiwillige Aufgabe", "freiwillige Leistung"),
        ("funding", "project"): ("Projekt", "projektfinanziert", "Projektmittel", "befristet"),
        ("funding", "mandatory"): ("Pflicht", "verpflichtend", "gesetzlich", "Pflichtleistung"),
        ("coordination_office", "none"): ("keine Stelle", "nein"),
        ("coordination_office", "project"): ("befristet", "Projektstelle", "Projekt"),
        ("coordination_office", "permanent"): ("unbefristet", "Planstelle", "dauerhafte Stelle"),
        ("coordination_office", "mandatory"): ("Pflicht", "gesetzlich", "Pflichtaufgabe"),
    }
)

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_GAPS = re.compile(r"[\s\-_]+")


def fold(word: str) -> str:
    """Return a word as input is compared: lower case, umlauts spelt out, no spaces or hyphens.

    >>> fold("Regelmäßig"), fold("regelmaessig"), fold("Kreisfreie_Stadt"), fold("Arbeits-Ebene")
    ('regelmaessig', 'regelmaessig', 'kreisfreiestadt', 'arbeitsebene')
    """
    return _GAPS.sub("", word.casefold().translate(_UMLAUTS))


def _spellings(
    canonical: Iterable[str], *labels: Mapping[str, str], more: Mapping[str, tuple[str, ...]]
) -> dict[str, list[str]]:
    """Every accepted spelling of each canonical word, as written: itself, labels, variants."""
    spellings: dict[str, list[str]] = {}
    for word in canonical:
        found = (word, *(m[word] for m in labels if word in m), *more.get(word, ()))
        first: dict[str, str] = {}
        for spelling in found:
            first.setdefault(fold(spelling), spelling)
        spellings[word] = list(first.values())
    return spellings


def _lookup(spellings: Mapping[str, Iterable[str]]) -> Mapping[str, str]:
    """Folded spelling → canonical word; a spelling may stand for one word only."""
    table: dict[str, str] = {}
    for word, written in spellings.items():
        for spelling in written:
            known = table.setdefault(fold(spelling), word)
            if known != word:
                raise AssertionError(f"{spelling!r} would mean both {known} and {word}")
    return MappingProxyType(table)


def _labels_of(column: str, table: Mapping[tuple[str, str], Any]) -> dict[str, Any]:
    return {value: words for (name, value), words in table.items() if name == column}


#: Every spelling input may use, by column and canonical word; README.md lists them.
ACCEPTED: Mapping[str, Mapping[str, list[str]]] = MappingProxyType(
    {
        "kind (units)": _spellings(UNIT_KINDS, LABELS_DE, LABELS_EN, more=_UNIT_KIND_WORDS),
        "kind (ties)": _spellings(TIE_KINDS, LABELS_DE, LABELS_EN, more=_TIE_KIND_WORDS),
        **{
            column: _spellings(
                values,
                _labels_of(column, VALUE_LABELS_DE),
                more=_labels_of(column, _VALUE_WORDS),
            )
            for column, values in {**TIE_VALUES, **UNIT_VALUES}.items()
        },
    }
)

_INPUT: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {column: _lookup(spellings) for column, spellings in ACCEPTED.items()}
)


def closest(column: str, value: str) -> str | None:
    """Return the word of ``column`` (a key of `ACCEPTED`) a misspelt value most likely means.

    Every accepted spelling counts, so a misspelt German word finds its word too.

    >>> closest("kind (ties)", "exchnage"), closest("kind (ties)", "Erfarungsaustausch")
    ('exchange', 'exchange')
    """
    table = _INPUT[column]
    close = difflib.get_close_matches(fold(value), list(table), n=1, cutoff=0.75)
    return table[close[0]] if close else None


def select_tie_kinds(kinds: str | Iterable[str] | None) -> tuple[str, ...]:
    """Return the tie kinds a selection names, in vocabulary order; all kinds for None.

    Raises
    ------
    NetworkEditError
        When a kind is not a tie kind; the message lists the tie kinds.

    Examples
    --------
    >>> select_tie_kinds(["membership", "exchange"])
    ('exchange', 'membership')
    """
    if kinds is None:
        return TIE_KINDS
    chosen, unknown = _read_kinds(kinds, "kind (ties)")
    if unknown:
        raise NetworkEditError(
            f"unknown tie kind(s) {', '.join(unknown)}; tie kinds: {', '.join(TIE_KINDS)}"
        )
    return tuple(k for k in TIE_KINDS if k in chosen)


def select_unit_kinds(kinds: str | Iterable[str] | None, *, option: str) -> list[str] | None:
    """Return the unit kinds a selection names (None for no selection).

    Raises
    ------
    NetworkEditError
        When a kind is not a unit kind; the message names ``option`` and lists the unit kinds.

    Examples
    --------
    >>> select_unit_kinds("landkreis", option="from_kinds")
    ['landkreis']
    """
    if kinds is None:
        return None
    chosen, unknown = _read_kinds(kinds, "kind (units)")
    if unknown:
        raise NetworkEditError(
            f"{option}: unknown unit kind(s) {', '.join(unknown)}; "
            f"unit kinds: {', '.join(UNIT_KINDS)}"
        )
    return chosen


def _read_kinds(kinds: str | Iterable[str], column: str) -> tuple[list[str], list[str]]:
    """The kinds a selection names in any accepted spelling, and the words it names none by
    (each with the word it most likely means)."""
    chosen, unknown = [], []
    for written in [kinds] if isinstance(kinds, str) else [str(k) for k in kinds]:
        kind = _INPUT[column].get(fold(written))
        if kind is not None:
            chosen.append(kind)
        else:
            close = closest(column, written)
            unknown.append(f"{written} (did you mean {close}?)" if close else written)
    return chosen, unknown


def normalize_unit_kind(value: str) -> str | None:
    """Return the unit kind a spelling stands for, or None if it names none.

    Every label netkoop prints is understood, in any case and with umlauts or without.

    >>> normalize_unit_kind("Kreisfreie Stadt"), normalize_unit_kind("Stadtkreis")
    ('kreisfreie_stadt', 'kreisfreie_stadt')
    >>> normalize_unit_kind("kreisangehoerige Gemeinde")
    'gemeinde'
    """
    return _INPUT["kind (units)"].get(fold(value))


def normalize_tie_kind(value: str) -> str | None:
    """Return the tie kind a spelling stands for, or None if it names none.

    >>> normalize_tie_kind("Shared Staff"), normalize_tie_kind("Geteilte Stelle")
    ('shared_staff', 'shared_staff')
    """
    return _INPUT["kind (ties)"].get(fold(value))


def normalize_value(column: str, value: str) -> str | None:
    """Return the value of a categorical column (`TIE_VALUES`, `UNIT_VALUES`) a spelling means.

    >>> normalize_value("intensity", "Regelmäßig"), normalize_value("funding", "Pflichtaufgabe")
    ('regular', 'mandatory')
    """
    return _INPUT[column].get(fold(value))
