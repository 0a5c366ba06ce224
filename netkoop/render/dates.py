"""The dates a page can show: the positions of its date slider and when each unit and tie exists.

A network whose ties or units carry ``since``/``until`` gets a date slider. Its positions are
the days on which the network changes (`change_days`), with the day before the first change
in front, so that the slider runs from the network before anything dated began to the
network after everything dated began or ended. When there are more than `MAX_POSITIONS` of
them, the slider steps by month, or by year (every few years if need be), instead
(`slider_days`). On every position the page shows exactly the units and ties of
`netkoop.Network.at` that day; `DateSlider` holds what it needs for that, so the page decides
by comparing ISO dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netkoop.model.dates import (
    EVER,
    NEVER,
    begins,
    column_of,
    day_after,
    day_before,
    day_of,
    ends,
)
from netkoop.model.network import Network

#: At most this many change days become slider positions one by one; with more, the
#: slider steps by month or by year, so that a page of a national network stays small.
MAX_POSITIONS = 300


@dataclass(frozen=True, eq=False)
class DateSlider:
    """The days a page's date slider shows, and when each unit and tie of the network exists.

    Attributes
    ----------
    days
        The slider positions: ISO days, ascending, each once.
    start
        The position the page opens on.
    unit_first, unit_last
        Per unit of ``network.units``, in order: the first and last day it exists as
        `netkoop.Network.at` sees it (its own ``since``/``until``, within those of its
        parent); `EVER` and `NEVER` when open. A unit with ``unit_first > unit_last``
        never exists.
    tie_first, tie_last
        Per tie of ``network.ties``, in order: the same for ties, within the days both
        their units exist.
    """

    days: tuple[str, ...]
    start: int
    unit_first: np.ndarray
    unit_last: np.ndarray
    tie_first: np.ndarray
    tie_last: np.ndarray

    @property
    def opening(self) -> str:
        """The day the page opens on."""
        return self.days[self.start]


def date_slider(network: Network, *, at: str | dt.date | None = None) -> DateSlider | None:
    """Return the date slider of ``network``; None when no tie or unit carries a date.

    The page opens on ``at`` when given; otherwise on the network's reference date, when
    that is not before the first position (after the last change the network stays as it
    is); otherwise on the last position. The day it opens on is a position of its own.

    Raises
    ------
    NetworkEditError
        When ``at``, or a ``since``/``until`` of a unit, is not a date.

    Examples
    --------
    >>> dated = date_slider(netkoop.load("beispielregion"))
    >>> dated.days[:3], dated.opening
    (('2013-12-31', '2014-01-01', '2015-01-01'), '2024-06-30')
    """
    unit_first, unit_last = unit_lifetimes(network.units)
    tie_first, tie_last = tie_lifetimes(network, unit_first, unit_last)
    changes = change_days(
        np.concatenate([unit_first, tie_first]), np.concatenate([unit_last, tie_last])
    )
    if not changes:
        return None
    days = slider_days(changes)
    opening = _opening(days, at, network.metadata.reference_date)
    days = sorted({*days, opening})
    return DateSlider(
        days=tuple(days),
        start=days.index(opening),
        unit_first=unit_first,
        unit_last=unit_last,
        tie_first=tie_first,
        tie_last=tie_last,
    )


def unit_lifetimes(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each unit's first and last day, as `netkoop.Network.at` keeps units.

    A unit exists while its own ``since``/``until`` say so and its parent (a Gemeinde's
    Landkreis) exists by its own dates; `EVER` and `NEVER` stand for open ends.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["k", "g"], "parent": [None, "k"],
    ...                       "since": [None, "2016"], "until": ["2020-06", None]})
    >>> [days.tolist() for days in unit_lifetimes(units)]
    [['0000-01-01', '2016-01-01'], ['2020-06-30', '2020-06-30']]
    """
    n = len(units)
    first = begins(column_of(units, "since"), "units")
    last = ends(column_of(units, "until"), "units")
    parent = pd.Index(units["id"]).get_indexer(units["parent"]) if n else np.zeros(0, int)
    has = parent >= 0
    first, last = first.astype(f"<U{len(EVER)}"), last.astype(f"<U{len(NEVER)}")
    # One level, as `Network.at` drops the Gemeinden of a Landkreis that does not exist.
    first[has] = _later(first[has], first[parent[has]])
    last[has] = _earlier(last[has], last[parent[has]])
    return first, last


def tie_lifetimes(
    network: Network, unit_first: np.ndarray, unit_last: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return each tie's first and last day: its own ``since``/``until``, within the
    lifetimes of both its units (a tie to a unit not in the table keeps its own dates)."""
    ties = network.ties
    index = pd.Index(network.units["id"])
    first = begins(ties["since"]).astype(f"<U{len(EVER)}")
    last = ends(ties["until"]).astype(f"<U{len(NEVER)}")
    for column in ("from", "to"):
        code = index.get_indexer(ties[column])
        known = code >= 0
        first[known] = _later(first[known], unit_first[code[known]])
        last[known] = _earlier(last[known], unit_last[code[known]])
    return first, last


def change_days(first: np.ndarray, last: np.ndarray) -> list[str]:
    """Return the days on which rows with these lifetimes begin or stop existing, sorted.

    A row begins on its first day and is gone on the day after its last; open ends and
    rows that never exist change nothing.

    Examples
    --------
    >>> change_days(np.array(["2016-01-01", EVER, "2018-01-01"]),
    ...             np.array([NEVER, "2016-12-31", "2017-01-01"]))
    ['2016-01-01', '2017-01-01']
    """
    real = first <= last
    starts = np.unique(first[real & (first != EVER)])
    stops = np.unique(last[real & (last != NEVER)])
    return sorted({*starts.tolist(), *(day_after(day) for day in stops.tolist())})


def slider_days(changes: Sequence[str], limit: int = MAX_POSITIONS) -> list[str]:
    """Return the slider positions for the sorted ``changes``: the day before the first one,
    then every change day, or with more than ``limit`` positions the first day of each
    month (then of each year, of every few years) after the first change up to the first
    such day after the last change.

    Examples
    --------
    >>> slider_days(["2016-01-01", "2016-05-15"])
    ['2015-12-31', '2016-01-01', '2016-05-15']
    >>> slider_days(["2016-01-01", "2016-05-15", "2016-05-20", "2017-02-10"], limit=3)
    ['2015-12-31', '2017-01-01', '2018-01-01']
    """
    before = day_before(changes[0])
    if len(changes) + 1 <= limit:
        return [before, *changes]
    step = 1
    while True:
        grid = _grid(changes[0], changes[-1], step)
        if len(grid) + 1 <= limit:
            return [before, *grid]
        step = 12 if step == 1 else step + 12


def _grid(first: str, last: str, months: int) -> list[str]:
    """First days of the periods of ``months`` months (counted from year 0) that begin
    after the period of ``first``, up to the first one after the period of ``last``."""
    low = (_month(first) // months + 1) * months
    high = (_month(last) // months + 1) * months
    return [f"{m // 12:04d}-{m % 12 + 1:02d}-01" for m in range(low, high + 1, months)]


def _month(day: str) -> int:
    return int(day[:4]) * 12 + int(day[5:7]) - 1


def _opening(days: Sequence[str], at: str | dt.date | None, reference: str | None) -> str:
    if at is not None:
        return day_of(at)
    if reference:
        day = day_of(reference)
        if day >= days[0]:
            return day
    return days[-1]


def _later(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(a >= b, a, b)


def _earlier(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(a <= b, a, b)
