"""Fixed-term money on a date: funded ties and offices end with it, or are extended.

"Integration als Pflichtaufgabe" (Kühn, Schammann, Bendel 2024) describes integration work
paid by project money for a few years at a time; when a funding period ends, the positions
and the cooperation they carried end with it unless the money is extended. `expire` asks
both questions of a dated network; `netkoop.model.Network.at` and ``netkoop timeline`` show
what follows.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.interventions.registry import intervention
from netkoop.model.dates import (
    DATE_FORMS,
    begins,
    column_of,
    ends,
    iso_date,
    last_day,
    months_in,
    office_days,
    shifted,
)
from netkoop.model.network import Network
from netkoop.model.vocabulary import TIE_VALUES


@intervention(until="date", funding="text", extend_by="text", offices="flag")
def expire(
    network: Network,
    *,
    until: str | dt.date,
    funding: str = "project",
    extend_by: str | None = None,
    offices: bool = True,
) -> Network:
    """Return a new network in which the money of one funding ends on a date, or is extended.

    Without ``extend_by`` (befristete Förderung läuft aus): every tie with that ``funding``
    that has begun by ``until`` and would run past it ends on ``until`` (its ``until`` is
    set to that date); ties whose ``until`` lies on or before it end there as before, and
    ties that begin later (paid by later money) stay as they are. With ``offices`` and
    ``funding: project``, a project-funded coordination office ends on the same rule (its
    ``office_until``).

    With ``extend_by`` (the money is extended): every tie with that ``funding`` whose
    ``until`` lies on or before ``until`` runs ``extend_by`` longer, and so do project-funded
    offices whose ``office_until`` does; ties and offices without an end are left alone.

    A partial date means its whole period: ``until: 2025`` is the money of 2025, ending on
    31 December 2025. The ties and units keep everything else; `Network.at` shows the
    network on any date after the change.

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    until
        The date the money runs out (a year, year-month or day).
    funding
        The funding whose money it is: voluntary, project or mandatory.
    extend_by
        How much longer the ties and offices ending by ``until`` run, e.g. ``"2 years"``
        or ``"6 Monate"``.
    offices
        Also end (or extend) project-funded coordination offices.

    Raises
    ------
    NetworkEditError
        When ``until`` is not a date, ``funding`` is not a funding, or ``extend_by`` is no
        duration.

    Examples
    --------
    >>> net = netkoop.Network.from_tables(
    ...     units=[{"id": i, "name": i, "kind": "landkreis", "land": "09"} for i in "abc"],
    ...     ties=[
    ...         {"from": "a", "to": "b", "kind": "exchange", "funding": "project"},
    ...         {"from": "a", "to": "c", "kind": "exchange", "funding": "project",
    ...          "until": "2025-06"},
    ...     ],
    ... )
    >>> expire(net, until="2025").ties["until"].tolist()
    ['2025', '2025-06']
    >>> expire(net, until="2025", extend_by="2 years").ties["until"].fillna("open").tolist()
    ['open', '2027-06']
    """
    written = _date(until)
    end = last_day(written)
    if funding not in TIE_VALUES["funding"]:
        allowed = ", ".join(TIE_VALUES["funding"])
        raise NetworkEditError(f"expire: funding {funding!r} is none of {allowed}")
    months = _months(extend_by)
    ties = network.ties
    funded = (ties["funding"] == funding).fillna(False).to_numpy()
    stops = ends(ties["until"])
    if months is None:
        begun = begins(ties["since"]) <= end
        change = funded & begun & (stops > end)
        new_until = ties["until"].mask(change, written)
    else:
        change = funded & (stops <= end)
        new_until = ties["until"].mask(
            change, ties["until"].map(lambda d: shifted(d, months), na_action="ignore")
        )
    changed: dict[str, pd.DataFrame] = {}
    if change.any():
        changed["ties"] = ties.assign(until=new_until)
    units = network.units
    if offices and funding == "project" and "coordination_office" in units.columns:
        moved = _offices(units, end, written, months)
        if moved is not None:
            changed["units"] = moved
    return network.with_tables(**changed)


def _offices(
    units: pd.DataFrame, end: str, written: str, months: int | None
) -> pd.DataFrame | None:
    """The units with their project offices ended on ``end`` or extended; None if none is."""
    project = (units["coordination_office"] == "project").fillna(False).to_numpy()
    until = column_of(units, "office_until")
    opens, stops = office_days(units)
    if months is None:
        change = project & (opens <= end) & (stops > end)
        moved = until.mask(change, written)
    else:
        change = project & (stops <= end)
        moved = until.mask(change, until.map(lambda d: shifted(d, months), na_action="ignore"))
    if not change.any():
        return None
    return units.assign(office_until=moved)


def _date(value: str | dt.date) -> str:
    """The ISO form of the date asked for, keeping a year or year-month as written."""
    iso = value.isoformat() if isinstance(value, dt.date) else iso_date(str(value))
    if iso is None:
        raise NetworkEditError(f"expire: until {str(value)!r} is not a date; use {DATE_FORMS}")
    return iso


def _months(extend_by: str | None) -> int | None:
    if extend_by is None:
        return None
    try:
        months = months_in(extend_by)
    except NetworkEditError as exc:
        raise NetworkEditError(f"expire: extend_by: {exc}") from None
    if months <= 0:
        raise NetworkEditError(f"expire: extend_by must be longer than 0; got {extend_by!r}")
    return months
