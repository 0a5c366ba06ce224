"""Checks every table shares: keys that repeat, periods that end before they begin."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from netkoop._errors import Severity
from netkoop.model import cells
from netkoop.model.blocks import Located
from netkoop.model.schema import LIMIT, Reporter
from netkoop.model.vocabulary import LABELS_DE


def report_duplicates(
    located: Located,
    key: pd.Series,
    message: str,
    report: Reporter,
    *,
    field: str | None,
    shown: Callable[[np.ndarray], list[object]],
    severity: Severity = "error",
) -> None:
    """Report every row whose ``key`` an earlier row already has, naming that earlier row.

    ``shown`` gives the values to show for some row positions; it is called for the listed
    rows only (building the text of a million rows to show twenty would cost more than the
    check).
    """
    duplicate = key.notna() & key.duplicated(keep="first")
    positions = np.flatnonzero(duplicate.to_numpy())
    if not len(positions):
        return
    values = key.to_numpy()
    listed = positions[:LIMIT]
    first = {int(p): int(np.flatnonzero(values == values[p])[0]) for p in listed}
    report.rows(
        located.where,
        positions,
        message,
        field=field,
        values=shown(listed),
        messages=[f"{message} (first at {located.where(first[int(p)])})" for p in listed],
        severity=severity,
    )


def date_bound(dates: pd.Series, *, end: bool) -> pd.Series:
    """Widen ISO dates (2019, 2019-05, 2019-05-01) to their first or last day, for comparing."""
    fill = {4: "-12-31", 7: "-31", 10: ""} if end else {4: "-01-01", 7: "-01", 10: ""}
    return dates.map(lambda d: d + fill[len(d)], na_action="ignore").astype("str")


def check_order(located: Located, report: Reporter, begin: str, end: str, what: str) -> None:
    """Rows whose ``end`` date lies before their ``begin`` date, both as periods."""
    frame = located.frame
    if begin not in frame.columns or end not in frame.columns:
        return
    if frame[begin].isna().all() or frame[end].isna().all():
        return  # no row has both dates (canonical adds the columns to every table)
    since = date_bound(frame[begin], end=False)
    until = date_bound(frame[end], end=True)
    backwards = np.flatnonzero(frame[begin].notna() & frame[end].notna() & (until < since))
    report.rows(
        located.where,
        backwards,
        f"{what}; {end} must not be earlier than {begin}",
        field=end,
        values=cells.values_at(frame[end], backwards),
    )


#: Characters that do not show as themselves: control characters and bidirectional controls.
def label_of(kind: object) -> str:
    return LABELS_DE.get(str(kind), str(kind))
