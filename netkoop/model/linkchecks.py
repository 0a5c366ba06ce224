"""Check the tables that join units: ties, flows and borders name known units, each pair once."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from netkoop._errors import Problem
from netkoop.model import cells
from netkoop.model.blocks import Located
from netkoop.model.references import UnitIndex, report_unknown
from netkoop.model.rowchecks import check_order, label_of, report_duplicates
from netkoop.model.schema import LIMIT, Reporter
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS


class Ends(NamedTuple):
    """Where the ends of each row are among the units: positions in ``ids``, -1 for none."""

    ids: pd.Series  # the ids of the units, each once
    kinds: np.ndarray  # their kinds, then None (so that position -1 picks None)
    start: np.ndarray  # the position of each row's ``from``
    end: np.ndarray  # the position of each row's ``to``

    def kind(self, positions: np.ndarray, index: pd.Index) -> pd.Series:
        """The kind of the unit at each position (missing for none)."""
        return pd.Series(self.kinds[positions], index=index, dtype="str")

    def pair_codes(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
        """The positions of each row's ends, a missing end as one more unit; None if an end
        is unknown.

        A missing end counts as the unit after the last, so that rows missing the same end
        still pair.
        """
        count = len(self.ids) + 1
        codes = []
        for name, positions in (("from", self.start), ("to", self.end)):
            absent = positions < 0
            if absent.any() and (absent & frame[name].notna().to_numpy()).any():
                return None
            codes.append(np.where(absent, count - 1, positions) if absent.any() else positions)
        return codes[0], codes[1]

    def pair_key(self, frame: pd.DataFrame) -> pd.Series | None:
        """One number per (from, to) pair, equal for equal pairs; None if an end is unknown."""
        codes = self.pair_codes(frame)
        if codes is None:
            return None
        key = codes[0] * (len(self.ids) + 1) + codes[1]
        return pd.Series(key, index=frame.index, copy=False)


def _pairs_repeat(first: np.ndarray, second: np.ndarray) -> bool:
    """Whether some pair (first[i], second[i]) of codes below 2**16 occurs twice.

    Two stable radix sorts (numpy sorts 16-bit integers by radix) put equal pairs side by
    side: a million pairs in a fraction of the time of hashing them.
    """
    low, high = second.astype(np.uint16), first.astype(np.uint16)
    order = np.argsort(low, kind="stable")
    low, high = low[order], high[order]  # 16-bit copies: a quarter of the memory of positions
    order = np.argsort(high, kind="stable")
    low, high = low[order], high[order]
    return bool(((high[1:] == high[:-1]) & (low[1:] == low[:-1])).any())


def _check_endpoints(
    located: Located,
    units: pd.DataFrame,
    report: Reporter,
    table: str,
    *,
    forums: str | None = None,
    complete: bool = True,
) -> Ends:
    """Report ends that name no unit and rows joining a unit to itself; return where they are.

    With ``forums``, an end that is a forum is an error with that message (flows and borders
    join places).
    """
    frame, where = located.frame, located.where
    first = ~units["id"].duplicated(keep="first").to_numpy()
    lookup = units if first.all() else units[first]  # as units.drop_duplicates("id")
    kinds = lookup["kind"].to_numpy(dtype=object)
    unit_kinds = np.append(kinds, np.array([None], dtype=object))  # code -1 picks None
    is_forum = np.append(kinds == "forum", False)
    positions = []
    unread = 0
    index_of_units: UnitIndex | None = None  # built once, if any end is unknown
    for end in ("from", "to"):
        ids = frame[end]
        codes = cells.positions_in(ids, lookup["id"])
        unknown = np.flatnonzero((codes < 0) & ids.notna().to_numpy())
        if not complete:
            unread += len(unknown)
        elif len(unknown):
            index_of_units = index_of_units or UnitIndex(units)
            report_unknown(
                located,
                unknown,
                ids.iloc[unknown].tolist(),
                index_of_units,
                report,
                field=end,
                message=f"unknown unit; {table} must name the id of a unit in units",
            )
        positions.append(codes)
        if forums is not None:
            forum = np.flatnonzero(is_forum[codes])
            report.rows(where, forum, forums, field=end, values=cells.values_at(ids, forum))
    if unread:
        report.add(
            Problem(
                "error",
                located.origins[0].file if located.origins else table,
                f"{unread:,} ends of {table} name units that are not among the units read; "
                "a units table could not be read (see its error), so they are not listed",
            )
        )
    same = np.flatnonzero(_same_ends(frame, positions[0], positions[1]))
    noun = {"ties": "tie", "flows": "flow", "borders": "border"}[table]
    report.rows(
        where,
        same,
        f"a {noun} joins two different units; from and to are the same",
        field="to",
        values=cells.values_at(frame["to"], same),
    )
    return Ends(lookup["id"], unit_kinds, positions[0], positions[1])


def _same_ends(frame: pd.DataFrame, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``frame["from"] == frame["to"]`` (missing as False), from the positions of the ends.

    Ends found among the units are the same exactly when their positions are; only the other
    rows compare their text.
    """
    found = (start >= 0) & (end >= 0) & frame["from"].notna().to_numpy()
    found &= frame["to"].notna().to_numpy()
    same: np.ndarray = np.asarray(found & (start == end), dtype=bool)
    others = np.flatnonzero(~found)
    if len(others):
        a, b = frame["from"].iloc[others], frame["to"].iloc[others]
        same[others] = (a == b).fillna(False).to_numpy(dtype=bool)
    return same


def check_ties(
    located: Located, units: pd.DataFrame, report: Reporter, *, complete: bool = True
) -> None:
    """Check that ties name known units, memberships point to forums, and dates are ordered."""
    ties, where = located.frame, located.where
    if ties.empty:
        return
    ends = _check_endpoints(located, units, report, "ties", complete=complete)
    from_kind, to_kind = ends.kind(ends.start, ties.index), ends.kind(ends.end, ties.index)
    membership = (ties["kind"] == "membership").to_numpy()
    not_forum = to_kind.notna().to_numpy() & (to_kind != "forum").to_numpy()
    rows = np.flatnonzero(membership & not_forum)
    report.rows(
        where,
        rows,
        "a membership points to a forum",
        field="to",
        values=ties["to"].iloc[rows].tolist(),
        messages=[
            f"a membership points to a forum; '{to}' is a {label_of(k)}"
            for to, k in zip(ties["to"].iloc[rows[:LIMIT]], to_kind.iloc[rows[:LIMIT]], strict=True)
        ],
    )
    touches_forum = (
        ((from_kind == "forum") | (to_kind == "forum")).to_numpy()
        & ~membership
        & ties["kind"].notna().to_numpy()
    )
    report.rows(
        where,
        np.flatnonzero(touches_forum),
        "a forum usually takes part through membership ties; check the tie kind",
        field="kind",
        values=ties["kind"].iloc[np.flatnonzero(touches_forum)].tolist(),
        severity="warning",
    )

    check_order(located, report, "since", "until", "the tie ends before it begins")

    a, b = ties["from"], ties["to"]
    undirected = ~ties["kind"].isin(DIRECTED_TIE_KINDS)
    lo = a.where(~undirected | (a <= b), b)
    hi = b.where(~undirected | (a <= b), a)
    canonical_ends = ties.assign(**{"from": lo, "to": hi})
    key = pd.util.hash_pandas_object(canonical_ends, index=False)
    report_duplicates(
        located,
        key,
        "the same tie is listed twice; both are kept",
        report,
        field="kind",
        shown=lambda rows: ties["kind"].iloc[rows].tolist(),
        severity="warning",
    )


def check_flows(
    located: Located, units: pd.DataFrame, report: Reporter, *, complete: bool = True
) -> None:
    """Check that flows join two known places and that each pair has one flow per direction."""
    flows = located.frame
    if flows.empty:
        return
    ends = _check_endpoints(
        located,
        units,
        report,
        "flows",
        forums="commuters flow between places; a forum is not one",
        complete=complete,
    )
    codes = ends.pair_codes(flows)
    if codes is not None and len(ends.ids) < 2**16 and not _pairs_repeat(*codes):
        return  # no pair repeats: the common case, told without hashing a million pairs
    key = ends.pair_key(flows)
    if key is None:  # an end names no unit: pairs of unknown ids are told apart by hashing
        key = pd.util.hash_pandas_object(flows[["from", "to"]], index=False)
    report_duplicates(
        located,
        key,
        "a second flow for the same pair and direction; add them up into one row",
        report,
        field="to",
        shown=lambda rows: (flows["from"].iloc[rows] + " -> " + flows["to"].iloc[rows]).tolist(),
    )


def check_borders(
    located: Located, units: pd.DataFrame, report: Reporter, *, complete: bool = True
) -> None:
    """Check that borders join two known places, each pair listed once in either order."""
    borders = located.frame
    if borders.empty:
        return
    _check_endpoints(
        located,
        units,
        report,
        "borders",
        forums="borders join places; a forum is not one",
        complete=complete,
    )
    a, b = borders["from"], borders["to"]
    pair = pd.DataFrame({"a": a.where(a <= b, b), "b": b.where(a <= b, a)})
    report_duplicates(
        located,
        pd.util.hash_pandas_object(pair, index=False),
        "the pair is listed twice; a border is listed once, in either order",
        report,
        field="to",
        shown=lambda rows: (a.iloc[rows] + " - " + b.iloc[rows]).tolist(),
    )


def warn_isolates(units: pd.DataFrame, ties: pd.DataFrame, report: Reporter) -> None:
    """Warn once about units that no tie touches (a scenario without any tie is left alone)."""
    if ties.empty:
        return
    tied = pd.concat([ties["from"], ties["to"]]).dropna().unique()
    lonely = units.loc[units["id"].notna() & ~units["id"].isin(tied), "id"]
    if len(lonely):
        shown = ", ".join(lonely.head(5))
        more = f" and {len(lonely) - 5:,} more" if len(lonely) > 5 else ""
        noun = "unit has" if len(lonely) == 1 else "units have"
        report.add(
            Problem(
                "warning",
                "units",
                f"{len(lonely):,} {noun} no tie ({shown}{more}); they are isolates in the network",
            )
        )
