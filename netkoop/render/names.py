"""The names a picture writes beside its units: which first, and long forum names shortened.

Labels are placed most important first, so that where two would overlap the more important
one is drawn: Kreise before Gemeinden before forums, Länder last (they are context), and within
a kind the larger population first, then the unit with more ties.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

#: The rank of each unit kind among labels: lower ranks are placed first.
KIND_RANK: Mapping[str, int] = MappingProxyType(
    {"kreisfreie_stadt": 0, "landkreis": 0, "gemeinde": 1, "forum": 2, "land": 3}
)

#: Forum names longer than this many characters are shortened on the map (in full on hover).
NAME_LIMIT = 34

#: Words of forum names with the abbreviation everyone in the field uses.
ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        "Landesarbeitsgemeinschaft": "LAG",
        "Bundesarbeitsgemeinschaft": "BAG",
        "Arbeitsgemeinschaft": "AG",
        "Arbeitskreis": "AK",
    }
)

#: Short words a shortened name does not end on.
_LINKING = frozenset({"der", "die", "das", "des", "und", "für", "im", "in", "von", "zur", "zum"})

_WORD = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b")

ELLIPSIS = "…"


def short_name(name: str, limit: int = NAME_LIMIT) -> str:
    """Return ``name`` shortened to at most ``limit`` characters, or as it is when it fits.

    Known words are abbreviated first (`ABBREVIATIONS`); a name still too long keeps its
    first and last words around an ellipsis (the last word tells forums of different Länder
    apart), else its first words.

    Examples
    --------
    >>> short_name("Landesarbeitsgemeinschaft der Integrationsbeauftragten")
    'LAG der Integrationsbeauftragten'
    >>> short_name("Netzwerk der Integrationsbeauftragten Nordrhein-Westfalen")
    'Netzwerk … Nordrhein-Westfalen'
    >>> short_name("Bundeskonferenz der Integrationsbeauftragten")
    'Bundeskonferenz …'
    >>> short_name("Landkreis Hildesheim")
    'Landkreis Hildesheim'
    """
    if len(name) <= limit:
        return name
    words = _WORD.sub(lambda m: ABBREVIATIONS[m.group(1)], name).split()
    if len(" ".join(words)) <= limit:
        return " ".join(words)
    return _around(words, limit) or _first_words(words, limit)


def _around(words: list[str], limit: int) -> str | None:
    """The first and last words around an ellipsis, as many as fit; None if two do not."""
    head, tail = 1, 1

    def joined(h: int, t: int) -> str:
        return " ".join([*words[:h], ELLIPSIS, *words[len(words) - t :]])

    if len(words) < 3 or len(joined(head, tail)) > limit:
        return None
    while head + tail < len(words) - 1 and len(joined(head + 1, tail)) <= limit:
        head += 1
    while head + tail < len(words) - 1 and len(joined(head, tail + 1)) <= limit:
        tail += 1
    while head > 1 and words[head - 1].casefold() in _LINKING:
        head -= 1
    return joined(head, tail)


def _first_words(words: list[str], limit: int) -> str:
    """The first words that fit before an ellipsis; the first word cut if it alone is longer."""
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word, ELLIPSIS])) > limit:
            break
        kept.append(word)
    while kept and kept[-1].casefold() in _LINKING:
        kept.pop()
    if not kept:
        return words[0][: limit - 1] + ELLIPSIS
    return " ".join([*kept, ELLIPSIS])


def label_order(units: pd.DataFrame, degree: pd.Series | None = None) -> np.ndarray:
    """Return the positions of the units in the order their labels are placed.

    By `KIND_RANK` (unknown kinds after forums), then population (largest first, units
    without one after those with), then ``degree`` (the number of ties, aligned with
    ``units``; most first), then the order of the table.

    Examples
    --------
    >>> units = pd.DataFrame({"kind": ["forum", "gemeinde", "landkreis", "gemeinde"],
    ...                       "population": [None, 5000, 90000, 12000]})
    >>> label_order(units).tolist()
    [2, 3, 1, 0]
    """
    n = len(units)
    rank = units["kind"].map(KIND_RANK).fillna(len(KIND_RANK)).to_numpy(dtype=np.float64)
    if "population" in units.columns:
        population = pd.to_numeric(units["population"], errors="coerce")
        people = population.fillna(-1.0).to_numpy(dtype=np.float64)
    else:
        people = np.full(n, -1.0)
    ties = np.zeros(n) if degree is None else degree.fillna(0).to_numpy(dtype=np.float64)
    order: np.ndarray = np.lexsort((np.arange(n), -ties, -people, rank))
    return order
