"""Official keys: the 16 Länder and the shape of AGS and ARS keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple


class Land(NamedTuple):
    """A Bundesland with its two-digit key, name and usual abbreviation."""

    code: str
    name: str
    abbreviation: str


LAENDER: tuple[Land, ...] = (
    Land("01", "Schleswig-Holstein", "SH"),
    Land("02", "Hamburg", "HH"),
    Land("03", "Niedersachsen", "NI"),
    Land("04", "Bremen", "HB"),
    Land("05", "Nordrhein-Westfalen", "NW"),
    Land("06", "Hessen", "HE"),
    Land("07", "Rheinland-Pfalz", "RP"),
    Land("08", "Baden-Württemberg", "BW"),
    Land("09", "Bayern", "BY"),
    Land("10", "Saarland", "SL"),
    Land("11", "Berlin", "BE"),
    Land("12", "Brandenburg", "BB"),
    Land("13", "Mecklenburg-Vorpommern", "MV"),
    Land("14", "Sachsen", "SN"),
    Land("15", "Sachsen-Anhalt", "ST"),
    Land("16", "Thüringen", "TH"),
)

LAND_NAMES: Mapping[str, str] = MappingProxyType({land.code: land.name for land in LAENDER})

_LAND_LOOKUP: Mapping[str, str] = MappingProxyType(
    {
        **{land.code: land.code for land in LAENDER},
        **{land.code.lstrip("0"): land.code for land in LAENDER},
        **{land.name.lower(): land.code for land in LAENDER},
        **{land.abbreviation.lower(): land.code for land in LAENDER},
        "nrw": "05",
        "baden-wuerttemberg": "08",
        "thueringen": "16",
        "bw": "08",
    }
)

_DIGITS = re.compile(r"\d+")

#: Ids of these shapes are taken for official keys (AGS/ARS of a Land, Kreis, Gemeindeverband
#: or Gemeinde) and checked against the unit's Land and parent.
KEY_PATTERN = r"\d{2}|\d{5}|\d{8}|\d{9}|\d{12}"
# AGS: Land 2, Regierungsbezirk 1, Kreis 2, Gemeinde 3. ARS: AGS with the 4-digit
# Gemeindeverband inserted before the Gemeinde part.
_KEY_LENGTHS = {2: "land", 5: "kreis", 8: "gemeinde", 9: "verband", 12: "gemeinde"}
#: The lengths that `KEY_PATTERN` allows: an id of digits only is official at these lengths.
KEY_LENGTHS = tuple(_KEY_LENGTHS)

#: The length of the official key (AGS) of each kind of place.
KEY_WIDTH: Mapping[str, int] = MappingProxyType(
    {"land": 2, "landkreis": 5, "kreisfreie_stadt": 5, "gemeinde": 8}
)

#: Lengths of official keys that lost their leading zero: a Land 1, a Kreis 4, a Gemeinde 7
#: digits (AGS) or 11 (ARS).
SHORT_KEY_LENGTHS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {"land": (1,), "landkreis": (4,), "kreisfreie_stadt": (4,), "gemeinde": (7, 11)}
)


#: A key that a spreadsheet stored as a number and wrote back as a float: "1001.0".
FLOAT_KEY = re.compile(r"(\d+)\.0+")


def repair(key: str, kind: str | None) -> tuple[str, str] | None:
    """Return the official key a spreadsheet broke, and how: ``"float"`` or ``"zero"``.

    A key written as a float (``1001.0``) is cut back to its digits and padded to the width
    of its kind's key; a key as long as its kind's key less one digit lost its leading zero.
    None when ``key`` looks unbroken, or ``kind`` is no place with an official key.

    >>> repair("1001.0", "landkreis"), repair("9184119", "gemeinde"), repair("09184", "landkreis")
    (('01001', 'float'), ('09184119', 'zero'), None)
    """
    if kind is None:
        return None
    floated = FLOAT_KEY.fullmatch(key)
    if floated and kind in KEY_WIDTH:
        return floated.group(1).zfill(KEY_WIDTH[kind]), "float"
    if key.isdigit() and len(key) in SHORT_KEY_LENGTHS.get(kind, ()):
        return "0" + key, "zero"
    return None


def land_code(value: str) -> str | None:
    """Return the two-digit key of a Land given by key, name or abbreviation, else None.

    >>> land_code("Bayern"), land_code("9"), land_code("NRW")
    ('09', '09', '05')
    """
    return _LAND_LOOKUP.get(value.strip().lower())


def key_level(key: str) -> str | None:
    """Return which level an official-looking key has (land, kreis, verband, gemeinde), else None.

    >>> key_level("09162"), key_level("09162000"), key_level("091620000000"), key_level("M-1")
    ('kreis', 'gemeinde', 'gemeinde', None)
    """
    if not _DIGITS.fullmatch(key):
        return None
    return _KEY_LENGTHS.get(len(key))


def key_land(key: str) -> str | None:
    """Return the Land part of an official-looking key, else None.

    >>> key_land("09162000")
    '09'
    """
    return key[:2] if key_level(key) is not None else None


def key_kreis(key: str) -> str | None:
    """Return the five-digit Kreis part of an official-looking key below Land level, else None.

    >>> key_kreis("091840117117"), key_kreis("09")
    ('09184', None)
    """
    level = key_level(key)
    return key[:5] if level in {"kreis", "verband", "gemeinde"} else None
