"""Check the units table: ids, kinds, Land, parents, official keys and invisible characters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netkoop._errors import BIDI_CONTROLS
from netkoop.model import cells, keys
from netkoop.model.blocks import Located
from netkoop.model.references import UnitIndex, one_line, report_unknown
from netkoop.model.rowchecks import check_order, label_of, report_duplicates
from netkoop.model.schema import LIMIT, Reporter


def check_units(located: Located, report: Reporter) -> None:
    """Check ids, kinds, Land, parents and official keys of the units table."""
    units = located.frame
    where = located.where
    ids = units["id"]
    dup = ids.notna() & ids.duplicated(keep="first")
    report_duplicates(
        located,
        ids,
        "duplicate id; every unit needs its own id",
        report,
        field="id",
        shown=lambda rows: ids.iloc[rows].tolist(),
    )

    kind, land, parent = units["kind"], units["land"], units["parent"]

    # the first unit of each id, where parents are looked up (by position, not by an index)
    listed = np.flatnonzero((~dup & ids.notna()).to_numpy())
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
            f"only a kreisangehörige Gemeinde has a parent; a {label_of(k)} has none"
            for k in kind.iloc[stray[:LIMIT]]
        ],
    )

    rows = np.flatnonzero(is_gemeinde & has_parent)
    parents = parent.iloc[rows]
    found = cells.positions_in(parents, ids.iloc[listed])
    known = found >= 0
    if not known.all():
        report_unknown(
            located,
            rows[~known],
            parents[~known].tolist(),
            UnitIndex(units.iloc[listed]),
            report,
            field="parent",
            message="unknown parent; it must be the id of a Landkreis in units",
        )
    rows, parents = rows[known], parents[known]
    parent_rows = listed[found[known]]
    parent_kind = kind.to_numpy(dtype=object)[parent_rows]
    wrong = parent_kind != "landkreis"
    report.rows(
        where,
        rows[wrong],
        "the parent must be a Landkreis",
        field="parent",
        values=parents[wrong].tolist(),
        messages=[
            f"the parent must be a Landkreis; '{pid}' is a {label_of(pk)}"
            for pid, pk in zip(parents[wrong][:LIMIT], parent_kind[wrong][:LIMIT], strict=True)
        ],
    )
    every_land = land.to_numpy(dtype=object)
    parent_land, own_land = every_land[parent_rows], every_land[rows]
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
    check_order(located, report, "since", "until", "the unit ends before it begins")
    check_order(located, report, "office_since", "office_until", "the office ends before it begins")
    _check_keys(located, report)
    _check_invisible(located, report)


_INVISIBLE = f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]"


def _check_invisible(located: Located, report: Reporter) -> None:
    """Ids and names holding characters that no program shows as written."""
    for column in ("id", "name"):
        if column not in located.frame:
            continue
        values = located.frame[column]
        if cells.printable_ascii(values):  # no byte of a control character: nothing to find
            continue
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
    # `keys.KEY_PATTERN`, r"\d{5}" and the lengths of digit keys, from one match of r"\d+"
    id_digits, id_length = cells.fullmatch(ids, r"\d+"), cells.lengths(ids)
    official = id_digits & np.isin(id_length, keys.KEY_LENGTHS) & placed

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

    kinds = kind.to_numpy(dtype=object)
    below_kreis = official & (id_length >= 5) & (kinds == "gemeinde")
    kreis_parent = cells.fullmatch(parent, r"\d+") & (cells.lengths(parent) == 5)
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

    short = np.zeros(len(units), dtype=bool)
    for unit_kind, lengths in keys.SHORT_KEY_LENGTHS.items():
        short |= (kinds == unit_kind) & np.isin(id_length, lengths)
    rows = np.flatnonzero(short & id_digits & placed & ~official)
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
        if not cells.holds(written, "."):  # a float key has its point
            continue
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
