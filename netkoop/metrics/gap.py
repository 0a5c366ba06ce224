"""The commuting gap: commuter volume between units that no tie joins."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError
from netkoop.metrics.pairs import (
    check_flow_column,
    count_of,
    pair_columns,
    pair_keys,
    pair_type_codes,
    ranked_units,
    sum_by_pair_type,
    unit_codes,
)
from netkoop.model.focus import Focus
from netkoop.model.network import Network
from netkoop.model.vocabulary import select_tie_kinds

#: Columns of `GapResult.uncovered`, a selection of those of `GapResult.pairs`.
UNCOVERED_COLUMNS = (
    "unit_a",
    "name_a",
    "unit_b",
    "name_b",
    "pair_type",
    "a_to_b",
    "b_to_a",
    "commuters",
    "adjacent",
)


@dataclass(frozen=True, eq=False)
class GapResult:
    """Commuter volume between pairs of units and how much of it direct ties cover.

    See `commuting_gap`.

    Attributes
    ----------
    pairs
        One row per unordered pair of units with commuters, largest first: ``unit_a``,
        ``name_a``, ``kind_a``, ``kreis_a``, ``unit_b``, ``name_b``, ``kind_b``, ``kreis_b``,
        ``pair_type`` (see `netkoop.metrics.pairs.PAIR_TYPES`), ``a_to_b`` and ``b_to_a``
        (commuters living in one and working in the other), ``commuters`` (both directions),
        ``ties`` (direct ties between the two), ``tied`` (at least one) and ``adjacent``
        (the two share a border in `Network.borders`; missing when the network has no
        borders). The units of a pair are in report order: by kind, then by id.
    coverage
        The share of all commuters in ``pairs`` that travel between tied units; NaN
        without commuters.
    by_type
        One row per pair type (index ``pair_type``, in the order of ``PAIR_TYPES``):
        ``pairs``, ``pairs_tied``, ``commuters``, ``commuters_tied`` and ``coverage``.
    uncovered
        The pairs without a tie with the most commuters, largest first; columns
        ``UNCOVERED_COLUMNS``.
    column
        The flow column that was counted, e.g. ``"commuters"`` or ``"auslaender"``.
    """

    pairs: pd.DataFrame
    coverage: float
    by_type: pd.DataFrame
    uncovered: pd.DataFrame
    column: str


def commuting_gap(
    network: Network,
    *,
    column: str = "commuters",
    kinds: str | Iterable[str] | None = None,
    top: int | None = 20,
    adjacent_only: bool = False,
    focus: Focus | None = None,
) -> GapResult:
    """Find where people commute between units that no tie joins.

    Flows in both directions between two units are summed into one pair; the pair is
    covered when at least one tie joins the two units, of any kind and in either direction.

    Parameters
    ----------
    network
        The network.
    column
        The flow column to count: ``"commuters"`` or a breakdown column of the flows table,
        e.g. foreign commuters. Missing values count as 0; pairs with 0 in this column are
        left out.
    kinds
        Tie kinds that cover a pair (one or several); all kinds when omitted.
    top
        Number of rows of ``uncovered``; None keeps every uncovered pair.
    adjacent_only
        Keep only pairs whose two units share a border (`Network.borders`).
    focus
        Keep only the pairs involving the focus or its Kreis: at least one end in
        ``focus.kreis_area`` (`netkoop.model.focus.focus`). For a Gemeinde these are its
        Landkreis and every Gemeinde of it, for a Landkreis the Landkreis and its Gemeinden.
        ``pairs``, ``coverage``, ``by_type`` and ``uncovered`` all count only these pairs.

    Returns
    -------
    GapResult
        ``pairs``, ``coverage``, ``by_type``, ``uncovered`` and ``column``.

    Raises
    ------
    NetkoopError
        When ``column`` is not a flow column (the message lists them), ``kinds`` names an
        unknown tie kind, or ``adjacent_only`` is asked of a network without borders.

    Notes
    -----
    Pairs are formed at the level the flows are given, and ties and borders are matched
    unit to unit: with flows between Kreise, a tie between two Gemeinden does not cover the
    pair of their Landkreise, and a border between two Kreise says nothing about Gemeinden.

    Examples
    --------
    >>> gap = commuting_gap(netkoop.load("beispielregion"))
    >>> round(gap.coverage, 3)  # ties join 45,940 of the 65,740 commuters
    0.699
    >>> gap.uncovered.loc[0, ["name_a", "name_b"]].tolist(), int(gap.uncovered.at[0, "commuters"])
    (['Musterstadt', 'Auenfeld'], 4810)

    Around Landkreis Nordheide: the 8 pairs with the Landkreis or one of its Gemeinden.

    >>> from netkoop.model.focus import focus
    >>> net = netkoop.load("beispielregion")
    >>> nord = commuting_gap(net, focus=focus(net, "lk-nord"))
    >>> len(nord.pairs), round(nord.coverage, 3)  # ties join 25,660 of its 37,920 commuters
    (8, 0.677)
    """
    flows = network.flows
    check_flow_column(flows, column)
    chosen = select_tie_kinds(kinds)
    borders = network.borders
    if adjacent_only and borders.empty:
        raise MetricsError(
            f"adjacent_only needs borders between places, and network {network.name!r} has "
            "none; add a borders table (e.g. with `netkoop import adjacency`)"
        )
    if top is not None and top < 0:
        raise MetricsError(f"top must be 0 or more (or None for all); got {top}")

    units = ranked_units(network)
    n = len(units)
    index = pd.Index(units["id"])
    home = unit_codes(index, flows["from"])
    work = unit_codes(index, flows["to"])
    volume = flows[column].fillna(0).to_numpy(dtype=np.int64)
    forward = home < work  # the flow runs from unit_a to unit_b
    summed = (
        pd.DataFrame(
            {
                "key": pair_keys(home, work, n),
                "a_to_b": np.where(forward, volume, 0),
                "b_to_a": np.where(forward, 0, volume),
            }
        )
        .groupby("key", sort=False)
        .sum()
    )
    keys = summed.index.to_numpy(dtype=np.int64)
    a_to_b = summed["a_to_b"].to_numpy(dtype=np.int64)
    b_to_a = summed["b_to_a"].to_numpy(dtype=np.int64)
    commuters = a_to_b + b_to_a

    ties = network.ties
    ties = ties[ties["kind"].isin(chosen)]
    tie_keys, tie_counts = np.unique(
        pair_keys(unit_codes(index, ties["from"]), unit_codes(index, ties["to"]), n),
        return_counts=True,
    )
    n_ties = count_of(keys, tie_keys, tie_counts)
    border_keys = np.unique(
        pair_keys(unit_codes(index, borders["from"]), unit_codes(index, borders["to"]), n)
    )
    adjacent = np.isin(keys, border_keys)

    keep = commuters > 0
    if adjacent_only:
        keep &= adjacent
    if focus is not None:
        around = units["id"].isin(list(focus.kreis_area)).to_numpy()
        keep &= around[keys // n] | around[keys % n]
    # Most commuters first; equal volumes in report order of the pair (the key's order).
    rows = np.flatnonzero(keep)
    rows = rows[np.lexsort((keys[rows], -commuters[rows]))]
    keys, a_to_b, b_to_a, commuters = keys[rows], a_to_b[rows], b_to_a[rows], commuters[rows]
    n_ties, adjacent = n_ties[rows], adjacent[rows]

    a, b = keys // n, keys % n
    types = pair_type_codes(units, a, b)
    tied = n_ties > 0
    pairs = pd.DataFrame(
        {
            **pair_columns(units, a, b, types, kreis=True),
            "a_to_b": a_to_b,
            "b_to_a": b_to_a,
            "commuters": commuters,
            "ties": n_ties,
            "tied": tied,
            # Without a borders table, whether two places are neighbours is unknown.
            "adjacent": pd.arrays.BooleanArray(adjacent, np.full(len(rows), borders.empty)),
        }
    )

    total = int(commuters.sum())
    coverage = int(commuters[tied].sum()) / total if total else math.nan
    by_type = sum_by_pair_type(
        types,
        {
            "pairs": np.ones(len(types), dtype=np.int64),
            "pairs_tied": tied,
            "commuters": commuters,
            "commuters_tied": np.where(tied, commuters, 0),
        },
    )
    by_type["coverage"] = by_type["commuters_tied"] / by_type["commuters"]
    uncovered = np.flatnonzero(~tied)
    if top is not None:
        uncovered = uncovered[:top]
    return GapResult(
        pairs=pairs,
        coverage=float(coverage),
        by_type=by_type,
        uncovered=pairs.iloc[uncovered][list(UNCOVERED_COLUMNS)].reset_index(drop=True),
        column=column,
    )
