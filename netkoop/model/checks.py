"""Check a scenario's tables: every rule in one pass, each problem with its place and value."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence, Set
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from netkoop._errors import BIDI_CONTROLS, Problem, Severity
from netkoop.model import cells, keys
from netkoop.model.blocks import Block, Located, locate
from netkoop.model.outlines import check_outline_units, empty_outlines, with_outline_points
from netkoop.model.references import UnitIndex, one_line, report_unknown
from netkoop.model.schema import (
    BORDERS,
    FLOWS,
    LIMIT,
    TIES,
    UNITS,
    Reporter,
    TableSpec,
    coerce_block,
    infer_attribute,
)
from netkoop.model.tables import Tables
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, LABELS_DE

_DTYPES: dict[str, Any] = {"count": "Int64", "number": "float64"}


def check(
    blocks: Mapping[str, Sequence[Block]],
    *,
    incomplete: Set[str] = frozenset(),
    outlines: pd.DataFrame | None = None,
) -> tuple[Tables, list[Problem]]:
    """Type and check the blocks of each table section; return the tables and every problem.

    ``blocks`` maps section names (units, forums, ties, flows, borders) to their blocks;
    missing sections are empty. ``incomplete`` names the sections of which a file could not
    be read: while units are missing, the ties, flows and borders that name unknown units are
    counted in one line instead of each burying the one error that matters. ``outlines`` are
    checked outlines (`netkoop.model.outlines`): units without coordinates take the point of
    their outline, and Kreis or Gemeinde outlines that name no unit get a warning.
    """
    report = Reporter()
    forums = blocks.get("forums", [])
    units = assemble(UNITS, [*blocks.get("units", []), *(_as_forums(b) for b in forums)], report)
    ties = assemble(TIES, blocks.get("ties", []), report)
    flows = assemble(FLOWS, blocks.get("flows", []), report)
    borders = assemble(BORDERS, blocks.get("borders", []), report)
    for block in forums:
        _check_forum_kinds(block, report)
    check_units(units, report)
    complete = units.complete and not {"units", "forums"} & incomplete
    check_ties(ties, units.frame, report, complete=complete)
    check_flows(flows, units.frame, report, complete=complete)
    check_borders(borders, units.frame, report, complete=complete)
    warn_isolates(units.frame, ties.frame, report)
    shapes = empty_outlines() if outlines is None else outlines
    check_outline_units(shapes, units.frame, report)
    placed = with_outline_points(units.frame, shapes)
    tables = Tables(placed, ties.frame, flows.frame, borders.frame, shapes)
    return tables, report.problems


def assemble(spec: TableSpec, blocks: Sequence[Block], report: Reporter) -> Located:
    """Type each block, join them, and put the columns in canonical order."""
    frames, origins = [], []
    text: set[str] = set()
    for block in blocks:
        text |= block.text_columns
        frame = coerce_block(spec, block, report)
        if frame is not None:
            if spec is UNITS:
                _require_land(block, frame, report)
            frames.append(frame)
            origins.append(block.origin)
    located = locate(frames, origins)
    located.frame = canonical(spec, located.frame, text=text)
    located.complete = len(frames) == len(blocks)
    return located


def _require_land(block: Block, typed: pd.DataFrame, report: Reporter) -> None:
    """Report units other than forums whose Land cell is empty.

    Judged on the cells as written: a value that is not a Land is reported once, as such, and
    not again as missing.
    """
    written = block.frame["land"] if "land" in block.frame.columns else None
    absent = written.isna() if written is not None else pd.Series(True, index=typed.index)
    kind = typed["kind"]
    rows = np.flatnonzero((absent & kind.notna() & (kind != "forum")).to_numpy())
    report.rows(
        block.origin.where,
        rows,
        "missing Land; every unit but a forum needs its Land (01-16, name or abbreviation)",
        field="land",
    )


def canonical(
    spec: TableSpec, frame: pd.DataFrame, *, text: Set[str] = frozenset()
) -> pd.DataFrame:
    """Return ``frame`` with every known column (empty where absent) followed by the others.

    Attribute columns get their natural type (`infer_attribute`), except those in ``text``.
    """
    out: dict[str, pd.Series] = {}
    for column in spec.columns:
        dtype = _DTYPES.get(column.type, "str")
        if column.name in frame.columns:
            out[column.name] = frame[column.name].astype(dtype)
        else:
            out[column.name] = pd.Series(index=frame.index, dtype=dtype)
    known = {c.name for c in spec.columns}
    for name in frame.columns:
        if name not in known:
            values = frame[name]
            if spec.extras == "count":
                out[name] = values.astype("Int64")
            elif name in text:
                out[name] = values.astype("str")
            else:
                out[name] = infer_attribute(values.astype("str"))
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _as_forums(block: Block) -> Block:
    if "kind" in block.frame.columns:
        return block
    frame = block.frame.assign(kind="forum").astype("str")
    return dataclasses.replace(block, frame=frame)


def _check_forum_kinds(block: Block, report: Reporter) -> None:
    if "kind" not in block.frame.columns:
        return
    kinds = block.frame["kind"].str.strip().str.lower()
    bad = np.flatnonzero(kinds.notna().to_numpy() & (kinds != "forum").to_numpy())
    if len(bad):
        report.rows(
            block.origin.where,
            bad,
            "the forums table holds forums only; list other units under units",
            field="kind",
            values=block.frame["kind"].iloc[bad].tolist(),
        )


def _report_duplicates(
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


def _date_bound(dates: pd.Series, *, end: bool) -> pd.Series:
    """Widen ISO dates (2019, 2019-05, 2019-05-01) to their first or last day, for comparing."""
    fill = {4: "-12-31", 7: "-31", 10: ""} if end else {4: "-01-01", 7: "-01", 10: ""}
    return dates.map(lambda d: d + fill[len(d)], na_action="ignore").astype("str")


def check_units(located: Located, report: Reporter) -> None:
    """Check ids, kinds, Land, parents and official keys of the units table."""
    units = located.frame
    where = located.where
    ids = units["id"]
    dup = ids.notna() & ids.duplicated(keep="first")
    _report_duplicates(
        located,
        ids,
        "duplicate id; every unit needs its own id",
        report,
        field="id",
        shown=lambda rows: ids.iloc[rows].tolist(),
    )

    kind, land, parent = units["kind"], units["land"], units["parent"]

    lookup = units[~dup & ids.notna()].set_index("id")
    is_gemeinde = (kind == "gemeinde").to_numpy()
    has_parent = parent.notna().to_numpy()

    orphans = np.flatnonzero(is_gemeinde & ~has_parent)
    report.rows(
        where,
        orphans,
        "a kreisangehörige Gemeinde needs its parent Landkreis (column parent)",
        field="parent",
    )

    stray = np.flatnonzero(~is_gemeinde & has_parent & kind.notna().to_numpy())
    report.rows(
        where,
        stray,
        "only a kreisangehörige Gemeinde has a parent",
        field="parent",
        values=parent.iloc[stray].tolist(),
        messages=[
            f"only a kreisangehörige Gemeinde has a parent; a {_label(k)} has none"
            for k in kind.iloc[stray[:LIMIT]]
        ],
    )

    rows = np.flatnonzero(is_gemeinde & has_parent)
    parents = parent.iloc[rows]
    known = cells.is_in(parents, lookup.index)
    if not known.all():
        report_unknown(
            located,
            rows[~known],
            parents[~known].tolist(),
            UnitIndex(units[~dup & ids.notna()]),
            report,
            field="parent",
            message="unknown parent; it must be the id of a Landkreis in units",
        )
    rows, parents = rows[known], parents[known]
    parent_kind = lookup["kind"].reindex(parents).to_numpy()
    wrong = parent_kind != "landkreis"
    report.rows(
        where,
        rows[wrong],
        "the parent must be a Landkreis",
        field="parent",
        values=parents[wrong].tolist(),
        messages=[
            f"the parent must be a Landkreis; '{pid}' is a {_label(pk)}"
            for pid, pk in zip(parents[wrong][:LIMIT], parent_kind[wrong][:LIMIT], strict=True)
        ],
    )
    parent_land = lookup["land"].reindex(parents).to_numpy()
    own_land = land.iloc[rows].to_numpy()
    elsewhere = ~wrong & pd.notna(parent_land) & pd.notna(own_land) & (parent_land != own_land)
    report.rows(
        where,
        rows[elsewhere],
        "a Gemeinde belongs to a Landkreis of its own Land",
        field="parent",
        values=parents[elsewhere].tolist(),
        messages=[
            f"the Gemeinde lies in Land {ol} ({keys.LAND_NAMES[ol]}) but its parent Landkreis "
            f"'{pid}' in {pl} ({keys.LAND_NAMES[pl]}); a Gemeinde belongs to a Landkreis of "
            "its own Land"
            for pid, pl, ol in zip(
                parents[elsewhere][:LIMIT],
                parent_land[elsewhere][:LIMIT],
                own_land[elsewhere][:LIMIT],
                strict=True,
            )
        ],
    )
    _check_order(located, report, "since", "until", "the unit ends before it begins")
    _check_order(
        located, report, "office_since", "office_until", "the office ends before it begins"
    )
    _check_keys(located, report)
    _check_invisible(located, report)


def _check_order(located: Located, report: Reporter, begin: str, end: str, what: str) -> None:
    """Rows whose ``end`` date lies before their ``begin`` date, both as periods."""
    frame = located.frame
    if begin not in frame.columns or end not in frame.columns:
        return
    if frame[begin].isna().all() or frame[end].isna().all():
        return  # no row has both dates (canonical adds the columns to every table)
    since = _date_bound(frame[begin], end=False)
    until = _date_bound(frame[end], end=True)
    backwards = np.flatnonzero(frame[begin].notna() & frame[end].notna() & (until < since))
    report.rows(
        located.where,
        backwards,
        f"{what}; {end} must not be earlier than {begin}",
        field=end,
        values=frame[end].iloc[backwards].tolist(),
    )


#: Characters that do not show as themselves: control characters and bidirectional controls.
_INVISIBLE = f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]"


def _check_invisible(located: Located, report: Reporter) -> None:
    """Ids and names holding characters that no program shows as written."""
    for column in ("id", "name"):
        if column not in located.frame:
            continue
        values = located.frame[column]
        rows = np.flatnonzero(values.str.contains(_INVISIBLE, regex=True, na=False).to_numpy())
        found = values.iloc[rows[:LIMIT]].str.extract(f"({_INVISIBLE})", expand=False)
        report.rows(
            located.where,
            rows,
            "holds an invisible control character; remove it",
            field=column,
            values=values.iloc[rows].tolist(),
            messages=[
                f"holds the invisible control character U+{ord(c):04X}, which programs show "
                "differently or not at all; remove it"
                for c in found
            ],
            severity="warning",
        )


def _check_keys(located: Located, report: Reporter) -> None:
    """Official-looking ids must agree with the unit's Land and parent Landkreis."""
    units, where = located.frame, located.where
    ids, kind, land, parent = units["id"], units["kind"], units["land"], units["parent"]
    placed = (ids.notna() & kind.notna() & (kind != "forum")).to_numpy()
    official = cells.fullmatch(ids, keys.KEY_PATTERN) & placed

    rows = np.flatnonzero(official & land.notna().to_numpy() & (ids.str[:2] != land).to_numpy())
    report.rows(
        where,
        rows,
        "the key's Land part contradicts the unit's Land",
        field="id",
        values=ids.iloc[rows].tolist(),
        messages=[
            f"the key's Land part {uid[:2]} contradicts the unit's Land {code} "
            f"({keys.LAND_NAMES[code]})"
            for uid, code in zip(ids.iloc[rows[:LIMIT]], land.iloc[rows[:LIMIT]], strict=True)
        ],
    )

    below_kreis = official & (ids.str.len() >= 5).to_numpy() & (kind == "gemeinde").to_numpy()
    kreis_parent = cells.fullmatch(parent, r"\d{5}")
    rows = np.flatnonzero(below_kreis & kreis_parent & (ids.str[:5] != parent).to_numpy())
    report.rows(
        where,
        rows,
        "the key's Kreis part contradicts the parent Landkreis",
        field="id",
        values=ids.iloc[rows].tolist(),
        messages=[
            f"the key's Kreis part {uid[:5]} contradicts the parent Landkreis {pid}"
            for uid, pid in zip(ids.iloc[rows[:LIMIT]], parent.iloc[rows[:LIMIT]], strict=True)
        ],
    )

    digits = ids.str.len().where(pd.Series(cells.fullmatch(ids, r"\d+"), index=ids.index))
    short = pd.Series(False, index=units.index)
    for unit_kind, lengths in keys.SHORT_KEY_LENGTHS.items():
        short |= (kind == unit_kind) & digits.isin(lengths)
    rows = np.flatnonzero(short.to_numpy() & placed & ~official)
    if len(rows):
        report.add(
            one_line(
                located,
                rows.tolist(),
                [(uid, "0" + uid) for uid in ids.iloc[rows]],
                "{count} lost the leading zero of an official key",
                "store keys as text (Excel drops leading zeros of numbers), or run "
                "'netkoop validate --fix'",
                field="id",
                severity="warning",
                counted=("id has", "ids have"),
            )
        )

    _check_number_keys(located, placed, report)


def _check_number_keys(located: Located, placed: np.ndarray, report: Reporter) -> None:
    """Keys that a spreadsheet stored as numbers and wrote back as floats ("1001.0")."""
    units = located.frame
    for column in ("id", "parent"):
        written = units[column]
        floated = cells.fullmatch(written, keys.FLOAT_KEY.pattern)
        rows = np.flatnonzero(floated & placed)
        if not len(rows):
            continue
        # A parent is a Landkreis; an id is as long as its kind's key.
        kinds = ["landkreis"] * len(rows) if column == "parent" else units["kind"].iloc[rows]
        report.add(
            one_line(
                located,
                rows.tolist(),
                [
                    (key, _digits_of(key, kind))
                    for key, kind in zip(written.iloc[rows], kinds, strict=True)
                ],
                "{count} stored as a number by a spreadsheet",
                "store keys as text, or run 'netkoop validate --fix'",
                field=column,
                severity="warning",
                counted=("key was", "keys were"),
            )
        )


def _digits_of(key: str, kind: object) -> str:
    """The key a float such as "1001.0" stands for: padded where its kind's width is known."""
    repaired = keys.repair(key, kind if isinstance(kind, str) else None)
    return repaired[0] if repaired else key.split(".", maxsplit=1)[0]


def _label(kind: object) -> str:
    return LABELS_DE.get(str(kind), str(kind))


class Ends(NamedTuple):
    """Where the ends of each row are among the units: positions in ``ids``, -1 for none."""

    ids: pd.Series  # the ids of the units, each once
    kinds: np.ndarray  # their kinds, then None (so that position -1 picks None)
    start: np.ndarray  # the position of each row's ``from``
    end: np.ndarray  # the position of each row's ``to``

    def kind(self, positions: np.ndarray, index: pd.Index) -> pd.Series:
        """The kind of the unit at each position (missing for none)."""
        return pd.Series(self.kinds[positions], index=index, dtype="str")

    def pair_key(self, frame: pd.DataFrame) -> pd.Series | None:
        """One number per (from, to) pair, equal for equal pairs; None if an end is unknown.

        A missing end counts as one more unit, so that rows missing the same end still pair.
        """
        count = len(self.ids) + 1
        codes = []
        for name, positions in (("from", self.start), ("to", self.end)):
            absent = positions < 0
            if absent.any() and (absent & frame[name].notna().to_numpy()).any():
                return None
            codes.append(np.where(absent, count - 1, positions) if absent.any() else positions)
        return pd.Series(codes[0] * count + codes[1], index=frame.index)


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
    lookup = units.drop_duplicates("id")
    unit_kinds = np.array([*lookup["kind"], None], dtype=object)  # code -1 picks None
    is_forum = np.append((lookup["kind"] == "forum").to_numpy(dtype=bool), False)
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
            report.rows(where, forum, forums, field=end, values=ids.iloc[forum].tolist())
    if unread:
        report.add(
            Problem(
                "error",
                located.origins[0].file if located.origins else table,
                f"{unread:,} ends of {table} name units that are not among the units read; "
                "a units table could not be read (see its error), so they are not listed",
            )
        )
    same = np.flatnonzero((frame["from"] == frame["to"]).fillna(False).to_numpy())
    noun = {"ties": "tie", "flows": "flow", "borders": "border"}[table]
    report.rows(
        where,
        same,
        f"a {noun} joins two different units; from and to are the same",
        field="to",
        values=frame["to"].iloc[same].tolist(),
    )
    return Ends(lookup["id"], unit_kinds, positions[0], positions[1])


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
            f"a membership points to a forum; '{to}' is a {_label(k)}"
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

    _check_order(located, report, "since", "until", "the tie ends before it begins")

    a, b = ties["from"], ties["to"]
    undirected = ~ties["kind"].isin(DIRECTED_TIE_KINDS)
    lo = a.where(~undirected | (a <= b), b)
    hi = b.where(~undirected | (a <= b), a)
    canonical_ends = ties.assign(**{"from": lo, "to": hi})
    key = pd.util.hash_pandas_object(canonical_ends, index=False)
    _report_duplicates(
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
    key = ends.pair_key(flows)
    if key is None:  # an end names no unit: pairs of unknown ids are told apart by hashing
        key = pd.util.hash_pandas_object(flows[["from", "to"]], index=False)
    _report_duplicates(
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
    _report_duplicates(
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
