"""The timeline: the headline measures of a network on a series of dates, and the ties begun
and ended between one date and the next.

The network on each date is `Network.at` of that date: the ties begun by then and not yet
ended, the units that exist then (a unit that does not takes its Gemeinden and ties with it),
and coordination offices counted only within their ``office_since``/``office_until``. The
dates of every row are read once, so a date costs a few comparisons of ISO days and the
measures of `netkoop.metrics.headline.Subsets`, not a new network.

Periods: the period of date ``d_i`` runs up to the next date ``d_{i+1}``. A tie *begun* in it
exists on ``d_{i+1}`` but, by its ``since``, not on ``d_i`` (its first day lies after ``d_i``
and on or before ``d_{i+1}``); a tie *ended* in it exists on ``d_i`` but, by its ``until``,
not on ``d_{i+1}`` (its last day lies on or after ``d_i`` and before ``d_{i+1}``). So, while
no unit begins or ends, ties on ``d_{i+1}`` = ties on ``d_i`` + begun - ended. The last date
closes the last period and opens none: there are one period fewer than dates. A tie that
begins and ends within one period counts as begun and as ended.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError, NetkoopError
from netkoop.interventions import Step
from netkoop.metrics.headline import Subsets
from netkoop.metrics.report import Report
from netkoop.model.dates import (
    DATE_FORMS,
    EVER,
    NEVER,
    begins,
    column_of,
    day_after,
    day_of,
    ends,
    iso_date,
    last_day,
)
from netkoop.model.labels import measure_label, step_label
from netkoop.model.network import Network
from netkoop.model.vocabulary import TIE_KINDS, TIE_VALUES
from netkoop.output.provenance import provenance
from netkoop.scenario import loaded

#: A date as `timeline` takes it: text in a form of `netkoop.model.dates.day_of`, a year as a
#: number, or a date.
DateLike = str | int | dt.date

#: The steps between two dates, in months.
EVERY: Mapping[str, int] = MappingProxyType({"year": 12, "quarter": 3, "month": 1})

#: The most dates one timeline measures.
MAX_DATES = 1000

#: Step options that name the date an intervention takes effect.
DATE_OPTIONS: tuple[str, ...] = ("since", "until", "at")

#: Fundings of the changes table: the allowed values, then ties without one.
FUNDINGS: tuple[str, ...] = (*TIE_VALUES["funding"], "funding_unknown")

#: The label of the reference date's mark.
REFERENCE_DATE = "reference_date"


@dataclass(frozen=True)
class Mark:
    """A date marked on a timeline: an intervention (``label`` the step's name) or the
    network's reference date (``kind`` ``"reference"``, label `REFERENCE_DATE`)."""

    date: str
    label: str
    kind: Literal["intervention", "reference"] = "intervention"

    def shown(self, lang: str = "de") -> str:
        """The mark's label as people read it: ``Stichtag``, ``Pflichtaufgabe (mandate)``."""
        if self.kind == "reference":
            return measure_label(self.label, lang)
        return step_label(self.label, lang)


@dataclass(frozen=True, eq=False)
class Timeline:
    """The outcome of `timeline`.

    Attributes
    ----------
    name
        The network's name.
    every
        The step between two dates (one of `EVERY`).
    measures
        One row per date: ``date`` (ISO), ``units``, ``ties``, ``ties_<kind>`` for every tie
        kind, then the measures of `netkoop.metrics.headline.MEASURES` (``offices`` only when
        the units have a ``coordination_office`` column) and, when the ties carry a survey's
        ``confirmed`` column, ``confirmed_share``.
    changes
        One row per period (see the module's notes): ``period_start``, ``period_end``,
        ``begun``, ``ended``, then ``begun_<kind>`` and ``ended_<kind>`` for every tie kind
        and ``begun_<funding>`` and ``ended_<funding>`` for every funding of `FUNDINGS`.
    marks
        The dates marked, in date order.
    """

    name: str
    every: str
    measures: pd.DataFrame
    changes: pd.DataFrame
    marks: tuple[Mark, ...] = ()

    @property
    def dates(self) -> tuple[str, ...]:
        """The dates measured, as ISO days."""
        return tuple(self.measures["date"])

    def marks_table(self) -> pd.DataFrame:
        """The marks as a table: ``date``, ``kind`` and ``label``."""
        rows = [(mark.date, mark.kind, mark.label) for mark in self.marks]
        return pd.DataFrame(rows, columns=["date", "kind", "label"], dtype="str")

    def report(self) -> Report:
        """The timeline as a `Report`, to print or write as CSV, JSON, Markdown or Excel.

        Its values name the network, the first and last date, the step and the number of
        dates; its tables are ``measures``, ``changes`` and ``marks``.
        """
        dates = self.dates
        made = provenance(scenario=self.name, start=dates[0], end=dates[-1], every=self.every)
        report = Report(self.name, provenance=made)
        report.values.update(
            {
                "scenario": self.name,
                "start": dates[0],
                "end": dates[-1],
                "every": self.every,
                "dates": len(dates),
            }
        )
        report.tables["measures"] = self.measures
        report.tables["changes"] = self.changes
        report.tables["marks"] = self.marks_table()
        return report


# --- dates ------------------------------------------------------------------------------------


def timeline_dates(start: DateLike, end: DateLike, every: str = "year") -> tuple[str, ...]:
    """Return the dates from ``start`` to ``end`` (both included) stepping by ``every``.

    Dates take the forms of `netkoop.model.dates.day_of`; a year or year-month means its
    first day. Each date is ``start`` plus a whole number of steps; a day past the end of a
    shorter month falls on its last day (31 January, 28 February, 31 March).

    Raises
    ------
    MetricsError
        When ``start`` or ``end`` is not a date, ``every`` not one of `EVERY`, ``start`` after
        ``end``, or there would be more than `MAX_DATES` dates.

    Examples
    --------
    >>> timeline_dates("2014", "2016")
    ('2014-01-01', '2015-01-01', '2016-01-01')
    >>> timeline_dates("31.01.2020", "2020-04", every="month")
    ('2020-01-31', '2020-02-29', '2020-03-31')
    """
    first, last = _day("start", start), _day("end", end)
    if every not in EVERY:
        raise MetricsError(f"every: {every!r} is not a step; use {', '.join(EVERY)}")
    if first > last:
        raise MetricsError(f"the timeline would start on {first}, after its end on {last}")
    months = EVERY[every]
    year, month, day = (int(part) for part in first.split("-"))
    dates: list[str] = []
    for step in itertools.count():
        total = month - 1 + step * months
        y, m = year + total // 12, total % 12 + 1
        date = f"{y:04d}-{m:02d}-{min(day, calendar.monthrange(y, m)[1]):02d}"
        if date > last:
            break
        if len(dates) == MAX_DATES:
            raise MetricsError(
                f"{first} to {last} by {every} gives more than {MAX_DATES:,} dates; "
                "choose a shorter span or a longer step"
            )
        dates.append(date)
    return tuple(dates)


def dated_span(network: Network, marks: Iterable[Mark] = ()) -> tuple[str, str]:
    """The years a timeline of ``network`` covers when none are asked for.

    From 1 January of the year of the first dated change (a row beginning, or the day after
    one ended) to 1 January of the year after the last, so that every change falls within;
    ``marks`` (the reference date, interventions) widen the span.

    Raises
    ------
    MetricsError
        When no tie, unit or office of the network and no mark carries a date.

    Examples
    --------
    >>> dated_span(netkoop.load("befristung"))
    ('2010-01-01', '2027-01-01')
    """
    rows = DatedRows(network)
    changes: list[np.ndarray] = [np.array([mark.date for mark in marks], dtype=str)]
    for bounds in (rows.ties, rows.units, rows.offices):
        if bounds is not None:
            changes.append(bounds.begins[bounds.begins != EVER])
            ended = np.unique(bounds.ends[bounds.ends != NEVER])
            changes.append(np.array([day_after(day) for day in ended], dtype=str))
    found = np.sort(np.concatenate(changes))
    if not len(found):
        raise MetricsError(
            f"{network.name}: no tie, unit or office has a date (since, until), so there is "
            "no span to measure; give --from and --to"
        )
    first, last = str(found[0]), str(found[-1])
    year = int(last[:4]) + (last[4:] != "-01-01")
    return f"{first[:4]}-01-01", f"{year:04d}-01-01"


def _day(name: str, value: DateLike) -> str:
    try:
        return day_of(value if isinstance(value, str | dt.date) else str(value))
    except NetkoopError:
        raise MetricsError(f"{name}: {str(value)!r} is not a date; use {DATE_FORMS}") from None


@dataclass(frozen=True)
class Bounds:
    """The first and last day of every row of a table, as ISO text read as `Network.at`
    reads it (`netkoop.model.dates.begins` and `ends`): ``since: 2016`` begins on 2016-01-01,
    ``until: 2016`` ends on 2016-12-31; a missing value lies before (after) every date."""

    begins: np.ndarray
    ends: np.ndarray

    @classmethod
    def of(cls, table: pd.DataFrame, since: str, until: str, what: str) -> Bounds | None:
        """Read ``since`` and ``until`` of ``table``; None when no row has either."""
        first, last = column_of(table, since), column_of(table, until)
        if not (first.notna().any() or last.notna().any()):
            return None
        return cls(begins(first, what), ends(last, what, until))

    def on(self, day: str) -> np.ndarray:
        """Which rows exist on the ISO day ``day``."""
        return np.asarray((self.begins <= day) & (self.ends >= day), dtype=bool)

    def periods(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The period (between ``days[i]`` and ``days[i + 1]``) each row begins and ends in.

        -1 or ``len(days) - 1`` and more: not within the days (see the module's notes).
        """
        begun = np.searchsorted(days, self.begins, side="left") - 1  # d_i < first <= d_i+1
        ended = np.searchsorted(days, self.ends, side="right") - 1  # d_i <= last < d_i+1
        return begun, ended


@dataclass(frozen=True)
class RowsOn:
    """The masks of the rows that exist on one date: ``units``, ``ties`` (a tie whose unit
    is gone included: `Subsets` leaves it out), and ``offices``; None where every row
    exists."""

    units: np.ndarray | None
    ties: np.ndarray | None
    offices: np.ndarray | None


class DatedRows:
    """Which units, ties and coordination offices of a network exist on a date.

    The dates of the rows are read once; `on` compares ISO days.

    Raises
    ------
    NetworkEditError
        When a ``since``, ``until``, ``office_since`` or ``office_until`` is not a date.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> on = DatedRows(net).on("2016-01-01")
    >>> int(on.ties.sum()) == len(net.at("2016").ties)
    True
    """

    def __init__(self, network: Network) -> None:
        units, ties = network.units, network.ties
        self.ties = Bounds.of(ties, "since", "until", "ties")
        self.units = Bounds.of(units, "since", "until", "units")
        self.offices = Bounds.of(units, "office_since", "office_until", "units")
        self._n_ties = len(ties)
        self._parent = np.asarray(pd.Index(units["id"]).get_indexer(units["parent"]))

    def on(self, date: str) -> RowsOn:
        """The rows that exist on ``date`` (a form of `netkoop.model.dates.day_of`)."""
        day = day_of(date)
        units = None
        if self.units is not None:
            units = self.units.on(day)
            has_parent = self._parent >= 0
            units[has_parent] &= units[self._parent[has_parent]]  # its Landkreis ended
        ties = None if self.ties is None else self.ties.on(day)
        offices = None if self.offices is None else self.offices.on(day)
        return RowsOn(units, ties, offices)

    def tie_periods(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The period each tie begins and ends in (see `Bounds.periods`); none for undated."""
        if self.ties is None:
            never = np.full(self._n_ties, -1, dtype=np.int64)
            return never, never
        return self.ties.periods(days)


# --- the timeline -----------------------------------------------------------------------------


def timeline(
    network: Network,
    start: DateLike,
    end: DateLike,
    every: str = "year",
    *,
    marks: Iterable[Mark] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Timeline:
    """Measure a network on every date from ``start`` to ``end``; count the ties begun and
    ended between the dates.

    Parameters
    ----------
    network
        The network; its ties' ``since``/``until`` (and its units', if any) date its rows.
    start, end
        The first and last date (see `timeline_dates`).
    every
        ``"year"``, ``"quarter"`` or ``"month"``.
    marks
        Dates to mark; the network's reference date when omitted.
    progress
        Called with 1 after each date.

    Raises
    ------
    MetricsError
        When the dates are not valid (see `timeline_dates`).
    NetworkEditError
        When a date in the tables is not a date.

    Examples
    --------
    >>> found = timeline(netkoop.load("beispielregion"), 2014, 2024, every="year")
    >>> found.measures.set_index("date").loc["2016-01-01", ["ties", "ties_membership"]].tolist()
    [10, 4]
    >>> first = found.changes.iloc[0]  # from 2014-01-01 to 2015-01-01
    >>> first["period_end"], int(first["begun"]), int(first["ended"])
    ('2015-01-01', 3, 0)
    >>> found.marks
    (Mark(date='2024-06-30', label='reference_date', kind='reference'),)
    """
    dates = timeline_dates(start, end, every)
    rows = DatedRows(network)
    subsets = Subsets(network)
    measured = []
    for date in dates:
        on = rows.on(date)
        measured.append({"date": date, **subsets.measure(on.units, on.ties, on.offices)})
        if progress is not None:
            progress(1)
    measures = pd.DataFrame(measured, columns=["date", *subsets.names])
    if marks is None:
        marks = reference_marks(network)
    return Timeline(
        network.name,
        every,
        measures,
        changes(network, dates, rows),
        tuple(sorted(marks, key=lambda mark: (mark.date, mark.kind, mark.label))),
    )


def changes(network: Network, dates: Sequence[str], rows: DatedRows | None = None) -> pd.DataFrame:
    """Count the ties begun and ended in each period between two dates, by kind and funding.

    See the module's notes for what a period holds, and `Timeline.changes` for the columns.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> found = changes(net, ["2019-01-01", "2020-01-01", "2021-01-01"])
    >>> found[["begun", "begun_membership", "begun_voluntary"]].to_numpy().tolist()
    [[2, 1, 2], [1, 0, 0]]
    """
    days = np.array([day_of(date) for date in dates], dtype=str)
    periods = max(len(days) - 1, 0)
    begun, ended = (rows or DatedRows(network)).tie_periods(days)
    ties = network.ties
    kind = pd.Categorical(ties["kind"], categories=TIE_KINDS).codes.astype(np.int64)
    funding = pd.Categorical(ties["funding"], categories=FUNDINGS[:-1]).codes.astype(np.int64)
    funding[funding < 0] = len(FUNDINGS) - 1
    table: dict[str, object] = {
        "period_start": list(dates[:-1]),
        "period_end": list(dates[1:]),
        "begun": _count(begun, periods),
        "ended": _count(ended, periods),
    }
    for what, period in (("begun", begun), ("ended", ended)):
        table |= _by(what, period, kind, TIE_KINDS, periods)
    for what, period in (("begun", begun), ("ended", ended)):
        table |= _by(what, period, funding, FUNDINGS, periods)
    return pd.DataFrame(table)


def _count(period: np.ndarray, periods: int) -> np.ndarray:
    inside = (period >= 0) & (period < periods)
    return np.bincount(period[inside], minlength=periods).astype(np.int64)


def _by(
    what: str, period: np.ndarray, group: np.ndarray, names: Sequence[str], periods: int
) -> dict[str, np.ndarray]:
    inside = (period >= 0) & (period < periods)
    cells = np.bincount(
        period[inside] * len(names) + group[inside], minlength=periods * len(names)
    ).reshape(periods, len(names))
    return {f"{what}_{name}": cells[:, i].astype(np.int64) for i, name in enumerate(names)}


# --- marks and scenarios ----------------------------------------------------------------------


def reference_marks(network: Network) -> tuple[Mark, ...]:
    """The mark of the network's reference date (none when it has none)."""
    reference = network.metadata.reference_date
    if reference is None:
        return ()
    return (Mark(_day("reference_date", reference), REFERENCE_DATE, "reference"),)


def intervention_marks(steps: Iterable[Step]) -> tuple[Mark, ...]:
    """The dates the steps name in their options `DATE_OPTIONS`, labelled with the step.

    ``since`` and ``at`` mark the first day they name, ``until`` the last: ``until: 2025``
    (money that runs out in 2025) is marked on 2025-12-31, the last day its ties exist.

    Examples
    --------
    >>> steps = [Step("mandate", {"since": "2025"}, "here"), Step("expire", {"until": 2025}, "")]
    >>> [(mark.date, mark.label) for mark in intervention_marks(steps)]
    [('2025-01-01', 'mandate'), ('2025-12-31', 'expire')]
    """
    found = {
        Mark(_option_day(step, option), step.name)
        for step in steps
        for option in DATE_OPTIONS
        if step.options.get(option) is not None
    }
    return tuple(sorted(found, key=lambda mark: (mark.date, mark.label)))


def _option_day(step: Step, option: str) -> str:
    value = step.options[option]
    first = _day(f"{step.where}: {step.name} {option}", value)
    if option != "until" or isinstance(value, dt.date):
        return first
    return last_day(iso_date(str(value)) or first)


def load_dated(spec: str | Path) -> tuple[Network, tuple[Mark, ...]]:
    """Read a scenario (path, folder or bundled name) with the dates a timeline marks.

    Returns the scenario's network, its interventions applied, and the marks: the dates its
    interventions name (`intervention_marks`) and its reference date.

    Raises
    ------
    ScenarioError
        When the scenario is not valid.

    Examples
    --------
    >>> network, marks = load_dated("beispielregion")
    >>> [mark.label for mark in marks]
    ['reference_date']
    """
    result = loaded(spec)
    if result.network is None:  # loaded raises first
        raise MetricsError(f"{result.source}: the scenario is not valid")
    network = result.network
    return network, (*intervention_marks(result.interventions), *reference_marks(network))


def scenario_timeline(
    spec: str | Path,
    start: DateLike | None = None,
    end: DateLike | None = None,
    every: str = "year",
    *,
    progress: Callable[[int], None] | None = None,
) -> Timeline:
    """Read a scenario (path, folder or bundled name) and measure it with `timeline`, its
    interventions applied, their dates and the reference date marked (`load_dated`).

    A missing ``start`` or ``end`` comes from `dated_span`: the years of the scenario's own
    dates.

    Raises
    ------
    ScenarioError
        When the scenario is not valid.
    MetricsError
        When the dates are not valid (see `timeline_dates`), or one is missing and the
        scenario has no dates.

    Examples
    --------
    >>> found = scenario_timeline("beispielregion", "2015", "2025", every="quarter")
    >>> len(found.dates), len(found.changes)
    (41, 40)
    """
    network, marks = load_dated(spec)
    if start is None or end is None:
        first, last = dated_span(network, marks)
        start = first if start is None else start
        end = last if end is None else end
    return timeline(network, start, end, every, marks=marks, progress=progress)
