"""The words of the model: unit kinds, tie kinds and the allowed values of their attributes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

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

# Spellings met in German tables (Destatis, BBSR, study data) for the unit kinds.
_UNIT_KIND_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "bundesland": "land",
        "kreis": "landkreis",
        "regionalverband": "landkreis",
        "region": "landkreis",
        "städteregion": "landkreis",
        "kreisfreie stadt": "kreisfreie_stadt",
        "kreisfreie_stadt": "kreisfreie_stadt",
        "kreisfreiestadt": "kreisfreie_stadt",
        "kfs": "kreisfreie_stadt",
        "stadtkreis": "kreisfreie_stadt",
        "kreisangehörige gemeinde": "gemeinde",
        "kreisangehoerige gemeinde": "gemeinde",
        "kreisangehörige kommune": "gemeinde",
        "kreisangehörige stadt": "gemeinde",
        "forum": "forum",
        "austauschformat": "forum",
    }
)

_TIE_KIND_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "austausch": "exchange",
        "erfahrungsaustausch": "exchange",
        "shared staff": "shared_staff",
        "joint project": "joint_project",
        "shared material": "shared_material",
        "service opening": "service_opening",
        "mitgliedschaft": "membership",
    }
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

_SPACES = re.compile(r"[\s\-]+")


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
    chosen = [kinds] if isinstance(kinds, str) else [str(k) for k in kinds]
    unknown = [k for k in chosen if k not in TIE_KINDS]
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
    chosen = [kinds] if isinstance(kinds, str) else [str(k) for k in kinds]
    unknown = [k for k in chosen if k not in UNIT_KINDS]
    if unknown:
        raise NetworkEditError(
            f"{option}: unknown unit kind(s) {', '.join(unknown)}; "
            f"unit kinds: {', '.join(UNIT_KINDS)}"
        )
    return chosen


def normalize_unit_kind(value: str) -> str | None:
    """Return the unit kind a spelling stands for, or None if it names none.

    >>> normalize_unit_kind("Kreisfreie Stadt")
    'kreisfreie_stadt'
    >>> normalize_unit_kind("Stadtkreis")
    'kreisfreie_stadt'
    """
    word = _SPACES.sub(" ", value.strip().lower())
    if word.replace(" ", "_") in UNIT_KINDS:
        return word.replace(" ", "_")
    return _UNIT_KIND_ALIASES.get(word)


def normalize_tie_kind(value: str) -> str | None:
    """Return the tie kind a spelling stands for, or None if it names none.

    >>> normalize_tie_kind("Shared Staff")
    'shared_staff'
    """
    word = _SPACES.sub(" ", value.strip().lower())
    if word.replace(" ", "_") in TIE_KINDS:
        return word.replace(" ", "_")
    return _TIE_KIND_ALIASES.get(word)
