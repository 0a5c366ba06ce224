"""Why a reference names no unit, and which unit it most likely means.

Tables from spreadsheets break keys in a few known ways: Excel stores ``01001`` as the number
1001 (the leading zero is lost) or writes it back as ``1001.0``; people write a Gemeinde's name
where its key belongs; and they misspell. A reference that names no unit is matched against the
units once more under each of these readings, so that the message can name the cause and the
key meant, and `netkoop validate --fix` can write it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from netkoop._errors import Problem, Severity
from netkoop.model import keys
from netkoop.model.blocks import Located
from netkoop.model.schema import LIMIT, Reporter
from netkoop.model.vocabulary import fold

Cause = Literal["zero", "float", "units_zero", "units_float", "name", "close"]

#: The lengths of official keys: Land, Kreis, Gemeinde (AGS), Gemeindeverband, Gemeinde (ARS).
KEY_WIDTHS = (2, 5, 8, 9, 12)

#: Causes under which the key meant is certain, so that `--fix` may write it.
CERTAIN: frozenset[Cause] = frozenset({"zero", "float", "name"})

#: At most this many distinct references are compared with every name for a misspelling.
_CLOSE_LOOKUPS = LIMIT


@dataclass(frozen=True)
class Reading:
    """A reference read once more: the cause of the mismatch and the unit id it means.

    ``others`` are further units it may mean: a name several units share ("Berlin" is a
    Land and a kreisfreie Stadt). Such a reading is never certain.
    """

    cause: Cause
    key: str
    others: tuple[str, ...] = ()


class UnitIndex:
    """The ids and names of the units, for looking references up again.

    A name is also known by its part before a comma, as Destatis writes "Dresden, Stadt" and
    people write "Dresden".
    """

    def __init__(self, units: pd.DataFrame) -> None:
        self.ids: frozenset[str] = frozenset(units["id"].dropna())
        names = units["name"] if "name" in units else pd.Series(dtype="str")
        named = pd.DataFrame({"id": units["id"], "name": names}).dropna()
        self._name_of: dict[str, str] = dict(zip(named["id"], named["name"], strict=True))
        by_form: dict[str, list[str]] = {}
        for key, name in zip(named["id"], named["name"], strict=True):
            for form in dict.fromkeys((fold(name), fold(name.split(",")[0]))):
                if form:
                    by_form.setdefault(form, []).append(key)
        self._by_form = by_form

    def name_of(self, key: str) -> str:
        """The name of the unit ``key``, or the key itself for a unit without one."""
        return self._name_of.get(key, key)

    def read(self, value: str, *, close: bool = True) -> Reading | None:
        """How ``value`` names a unit after all, or None if no reading finds one."""
        key = value.strip()
        cause: Cause = "zero"
        floated = keys.FLOAT_KEY.fullmatch(key)
        if floated:
            key, cause = floated.group(1), "float"
            if key in self.ids:
                return Reading("float", key)
        if key.isdigit():
            for width in KEY_WIDTHS:
                if width > len(key) and key.zfill(width) in self.ids:
                    return Reading(cause, key.zfill(width))
            stripped = key.lstrip("0")
            if stripped != key and stripped in self.ids:
                return Reading("units_zero", stripped)
            for written in (key + ".0", stripped + ".0"):
                if written in self.ids:
                    return Reading("units_float", written)
            return None
        named = self._by_form.get(fold(value))
        if named is not None:
            return Reading("name", named[0], tuple(named[1:]))
        if close:
            near = difflib.get_close_matches(fold(value), list(self._by_form), n=1, cutoff=0.75)
            if near:
                first, *others = self._by_form[near[0]]
                return Reading("close", first, tuple(others))
        return None


def report_unknown(
    located: Located,
    positions: np.ndarray,
    values: Sequence[str],
    index: UnitIndex,
    report: Reporter,
    *,
    field: str,
    message: str,
) -> None:
    """Report references that name no unit, each with its likely cause and the key it means.

    References that share a cause of the table's making (lost leading zeros, keys written as
    floats, or units whose keys lost theirs) are one line with their count and first rows,
    however many they are: one cause, one line. The others are listed row by row.
    """
    readings = _read_all(values, index)
    grouped: dict[Cause, list[int]] = {}
    alone: list[int] = []
    for i, reading in enumerate(readings):
        if reading is not None and reading.cause in _OF_THE_TABLE:
            grouped.setdefault(reading.cause, []).append(i)
        else:
            alone.append(i)
    for cause, members in grouped.items():
        report.add(
            one_line(
                located,
                [int(positions[i]) for i in members],
                [(values[i], readings[i].key) for i in members],  # type: ignore[union-attr]
                f"{message}; {{count}} {_CAUSES[cause]}",
                _REMEDIES[cause],
                field=field,
            )
        )
    report.rows(
        located.where,
        positions[alone],
        message,
        field=field,
        values=[values[i] for i in alone],
        messages=[_one(message, values[i], readings[i], index) for i in alone[:LIMIT]],
    )


def one_line(
    located: Located,
    positions: Sequence[int],
    pairs: Sequence[tuple[str, str]],
    what: str,
    remedy: str,
    *,
    field: str,
    severity: Severity = "error",
    counted: tuple[str, str] = ("reference matches", "references match"),
) -> Problem:
    """One problem for many rows of one cause: their count, first rows and first corrections.

    ``what`` holds ``{count}``, which becomes "one reference matches" or "57 references match"
    (the words of ``counted``).
    """
    distinct = list(dict.fromkeys(pairs))
    examples = ", ".join(f"'{value}' is '{key}'" for value, key in distinct[:3])
    more = ", …" if len(distinct) > 3 else ""
    count = f"one {counted[0]}" if len(positions) == 1 else f"{len(positions):,} {counted[1]}"
    return Problem(
        severity,
        located.where_many(positions),
        f"{what.format(count=count)} ({examples}{more}); {remedy}",
        field=field,
        value=pairs[0][0] if len(positions) == 1 else None,
    )


def _read_all(values: Sequence[str], index: UnitIndex) -> list[Reading | None]:
    """Read each distinct value once; only the first few are compared with every name."""
    seen: dict[str, Reading | None] = {}
    for value in values:
        if value not in seen:
            seen[value] = index.read(value, close=len(seen) < _CLOSE_LOOKUPS)
    return [seen[value] for value in values]


def _one(message: str, value: str, reading: Reading | None, index: UnitIndex) -> str:
    if reading is None:
        return message
    keys = " or ".join(f"'{k}'" for k in (reading.key, *reading.others))
    if reading.cause == "name" and not reading.others:
        return f"{message}; '{value}' is the name of the unit {keys}: write its key"
    if reading.cause == "name":
        return f"{message}; '{value}' is the name of several units ({keys}): write the key meant"
    return f"{message}; did you mean '{index.name_of(reading.key)}' ({keys})?"


#: Causes of a spreadsheet's making, which a table shares over many rows.
_OF_THE_TABLE: frozenset[Cause] = frozenset({"zero", "float", "units_zero", "units_float"})

_CAUSES: Mapping[Cause, str] = {
    "zero": "a unit once the leading zero is restored",
    "float": "a unit once the '.0' a spreadsheet added is stripped",
    "units_zero": "a unit only without the leading zero: the ids of the units lost theirs",
    "units_float": "a unit only with a '.0': a spreadsheet stored the ids of the units as numbers",
}

_REMEDIES: Mapping[Cause, str] = {
    "zero": "store keys as text (Excel drops leading zeros of numbers), or run "
    "'netkoop validate --fix'",
    "float": "store keys as text, or run 'netkoop validate --fix'",
    "units_zero": "write the ids of units as text with their leading zeros (see the warning "
    "on the units table), or run 'netkoop validate --fix'",
    "units_float": "write the ids of units as text (see the warning on the units table), or run "
    "'netkoop validate --fix'",
}


def corrections(values: Iterable[str], index: UnitIndex) -> dict[str, Reading]:
    """The references whose key is certain under one reading (for `--fix`), by value."""
    found = {}
    for value in dict.fromkeys(values):
        reading = index.read(value, close=False)
        if reading is not None and reading.cause in CERTAIN and not reading.others:
            found[value] = reading
    return found
