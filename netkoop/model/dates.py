"""Dates of ties and units: the periods partial dates stand for, and which rows exist on a day.

A scenario writes a date as a year (``2016``), a year-month (``2016-05``) or a day
(``2016-05-01`` or ``01.05.2016``). A partial date means its whole period: ``since: 2016``
begins on 2016-01-01, ``until: 2016`` ends on 2016-12-31, ``until: 2016-05`` on 2016-05-31.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.model.schema import _normalize_date

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
    running = ends.isna().to_numpy() | (ends.fillna("9999-12-31").to_numpy() >= day)
    return np.asarray(began & running, dtype=bool)


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
