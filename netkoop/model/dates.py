"""Dates of ties and units: the periods partial dates stand for, and which rows exist on a day.

A scenario writes a date as a year (``2016``), a year-month (``2016-05``) or a day
(``2016-05-01`` or ``01.05.2016``). A partial date means its whole period: ``since: 2016``
begins on 2016-01-01, ``until: 2016`` ends on 2016-12-31, ``until: 2016-05`` on 2016-05-31.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.model.schema import _normalize_date

#: The first and last day of rows without ``since`` or ``until`` (see `begins` and `ends`):
#: before and after any date.
EVER, NEVER = "0000-01-01", "9999-12-31"

#: The forms a date may take, for messages.
DATE_FORMS = "a year (2016), a year-month (2016-05) or a day (2016-05-01 or 01.05.2016)"


def day_of(value: str | dt.date) -> str:
    """Return the ISO day a date names; a year or year-month names its first day.

    Raises
    ------
    NetworkEditError
        When ``value`` is not a date in one of the forms of `DATE_FORMS`.

    Examples
    --------
    >>> day_of("2016"), day_of("2016-05"), day_of("01.05.2016")
    ('2016-01-01', '2016-05-01', '2016-05-01')
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    iso = _normalize_date(str(value).strip())
    if iso is None:
        raise NetworkEditError(f"not a date: {str(value)!r}; use {DATE_FORMS}")
    return first_day(iso)


def iso_date(value: str) -> str | None:
    """Return the ISO form of a date in one of the forms of `DATE_FORMS`, None for others.

    >>> iso_date("01.05.2016"), iso_date("2016"), iso_date("2016-13")
    ('2016-05-01', '2016', None)
    """
    return _normalize_date(str(value).strip())


def first_day(iso: str) -> str:
    """The first day of an ISO year, year-month or day: ``"2016-05"`` -> ``"2016-05-01"``."""
    parts = iso.split("-")
    return "-".join([parts[0], *[*parts[1:], "01", "01"][:2]])


def last_day(iso: str) -> str:
    """The last day of an ISO year, year-month or day: ``"2016-02"`` -> ``"2016-02-29"``."""
    parts = iso.split("-")
    if len(parts) == 3:
        return iso
    year = int(parts[0])
    month = int(parts[1]) if len(parts) == 2 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def active_on(since: pd.Series, until: pd.Series, day: str, what: str) -> np.ndarray:
    """Tell for each row whether it exists on ``day`` (ISO): begun by then and not yet ended.

    A missing ``since`` means since before any date, a missing ``until`` without end. Values
    are ISO dates as the tie table holds them, or (unit attributes) anything that reads as a
    date; ``what`` names the table for the message when one does not.
    """
    begins = _bounds(since, first_day, what, "since")
    ends = _bounds(until, last_day, what, "until")
    began = begins.isna().to_numpy() | (begins.fillna("").to_numpy() <= day)
    running = ends.isna().to_numpy() | (ends.fillna(NEVER).to_numpy() >= day)
    return np.asarray(began & running, dtype=bool)


def begins(since: pd.Series, what: str = "ties") -> np.ndarray:
    """The first day of each ``since`` as ISO text; a missing one is `EVER`."""
    return np.asarray(_bounds(since, first_day, what, "since").fillna(EVER), dtype=str)


def ends(until: pd.Series, what: str = "ties", column: str = "until") -> np.ndarray:
    """The last day of each ``until`` as ISO text; a missing one is `NEVER`."""
    return np.asarray(_bounds(until, last_day, what, column).fillna(NEVER), dtype=str)


def column_of(table: pd.DataFrame, name: str) -> pd.Series:
    """The dates of column ``name``, missing everywhere when ``table`` has no such column."""
    if name in table.columns:
        return table[name]
    return pd.Series([None] * len(table), index=table.index, dtype="object")


def office_days(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The first and last day of each unit's coordination office (`EVER`/`NEVER` when open)."""
    return (
        begins(column_of(units, "office_since"), "units"),
        ends(column_of(units, "office_until"), "units", "office_until"),
    )


def _bounds(values: pd.Series, bound: Callable[[str], str], what: str, column: str) -> pd.Series:
    """The first or last day of each value's period, as ISO text (missing stays missing)."""
    out = pd.Series([None] * len(values), index=values.index, dtype="object")
    present = values.notna().to_numpy()
    if not present.any():
        return out
    mapping: dict[object, str] = {}
    for value in pd.unique(values[present]):
        iso = _normalize_date(str(value).strip())
        if iso is None:
            raise NetworkEditError(
                f"{what}: {column} {str(value)!r} is not a date; use {DATE_FORMS}"
            )
        mapping[value] = bound(iso)
    out[present] = values[present].map(mapping).to_numpy()
    return out


def day_before(day: str) -> str:
    """The ISO day before an ISO day: ``"2026-01-01"`` -> ``"2025-12-31"``."""
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def day_after(day: str) -> str:
    """The ISO day after an ISO day: ``"2025-12-31"`` -> ``"2026-01-01"``."""
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


#: How a duration is written: a whole number and a unit, in English or German.
_DURATION = re.compile(r"(\d+)\s*(years?|jahre?n?|months?|monate?n?)", re.IGNORECASE)

#: The forms a duration may take, for messages.
DURATION_FORMS = "a whole number of years or months, e.g. '2 years', '6 months' or '2 Jahre'"


def months_in(text: str) -> int:
    """Return the number of months a duration names: ``"2 years"`` -> 24.

    Raises
    ------
    NetworkEditError
        When ``text`` is not one of `DURATION_FORMS`.

    Examples
    --------
    >>> months_in("2 years"), months_in("18 Monate"), months_in("1 Jahr")
    (24, 18, 12)
    """
    match = _DURATION.fullmatch(str(text).strip())
    if match is None:
        raise NetworkEditError(f"not a duration: {str(text)!r}; use {DURATION_FORMS}")
    count, unit = int(match.group(1)), match.group(2).lower()
    return count * 12 if unit.startswith(("year", "jahr")) else count


def shifted(iso: str, months: int) -> str:
    """Move an ISO end date later by ``months``, keeping its precision where it can.

    A year moved by whole years stays a year and a year-month stays a year-month; otherwise
    the result is the day that many months after the period's last day, and the last day of
    a month stays the last day of a month.

    >>> shifted("2026", 24), shifted("2026", 6), shifted("2026-06", 6), shifted("2026-02-28", 12)
    ('2028', '2027-06-30', '2026-12', '2027-02-28')
    >>> shifted("2026-01-31", 1), shifted("2026-01-15", 1)
    ('2026-02-28', '2026-02-15')
    """
    parts = iso.split("-")
    if len(parts) == 1 and months % 12 == 0:
        return str(int(parts[0]) + months // 12)
    if len(parts) == 2:
        year, month = divmod(int(parts[0]) * 12 + int(parts[1]) - 1 + months, 12)
        return f"{year:04d}-{month + 1:02d}"
    end = dt.date.fromisoformat(last_day(iso))
    year, month = divmod(end.year * 12 + end.month - 1 + months, 12)
    month += 1
    length = calendar.monthrange(year, month)[1]
    at_end = end.day == calendar.monthrange(end.year, end.month)[1]
    return dt.date(year, month, length if at_end else min(end.day, length)).isoformat()
