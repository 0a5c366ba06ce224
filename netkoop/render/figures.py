"""Cheap measures a rendered page shows: per unit, per commuter pair, and for the whole network."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netkoop.metrics.engine import tie_graph
from netkoop.network import Network

#: Columns of `unit_figures`, in order.
FIGURE_COLUMNS: tuple[str, ...] = (
    "degree",
    "neighbours",
    "component",
    "ei",
    "out_commuters",
    "in_commuters",
    "uncovered_commuters",
)


@dataclass(frozen=True, eq=False)
class Pairs:
    """Commuters between unordered pairs of units, both directions summed.

    Unit codes are positions in ``network.units``; ``a < b`` for every pair.

    Attributes
    ----------
    a, b
        Unit codes of the two ends.
    ab, ba
        Commuters living in ``a`` and working in ``b``, and the other way.
    total
        ``ab + ba``.
    tied
        Whether at least one tie (any kind, any direction) joins the two units.
    out, into
        Per unit (by code): commuters living in it and working elsewhere, and the other way.
    """

    a: np.ndarray
    b: np.ndarray
    ab: np.ndarray
    ba: np.ndarray
    total: np.ndarray
    tied: np.ndarray
    out: np.ndarray
    into: np.ndarray

    @property
    def coverage(self) -> float:
        """The share of commuters that travel between tied units; NaN without commuters."""
        total = int(self.total.sum())
        return int(self.total[self.tied].sum()) / total if total else math.nan


def codes_of(index: pd.Index, ids: pd.Series) -> np.ndarray:
    """Return the position of each id in ``index`` (-1 when absent), as int64.

    Factorising first looks each distinct id up once: fast for a million flows.
    """
    codes, uniques = pd.factorize(ids)
    if not len(uniques):
        return np.full(len(codes), -1, dtype=np.int64)
    found = np.asarray(index.get_indexer(uniques), dtype=np.int64)
    return np.where(codes >= 0, found[codes], -1)


def tie_pair_keys(network: Network, index: pd.Index) -> np.ndarray:
    """Return the sorted distinct pair keys ``min * n + max`` of the units joined by ties."""
    ties = network.ties
    a = codes_of(index, ties["from"])
    b = codes_of(index, ties["to"])
    ok = (a >= 0) & (b >= 0)
    n = len(index)
    keys: np.ndarray = np.unique(np.minimum(a, b)[ok] * n + np.maximum(a, b)[ok])
    return keys


def commuter_pairs(network: Network, index: pd.Index, column: str = "commuters") -> Pairs:
    """Sum the flows of ``network`` per unordered pair of units, coded against ``index``.

    Flows whose ends are not in ``index``, and pairs without commuters, are left out.
    """
    flows = network.flows
    n = len(index)
    if flows.empty or column not in flows.columns:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(n, dtype=np.int64)
        return Pairs(empty, empty, empty, empty, empty, np.zeros(0, dtype=bool), none, none)
    home = codes_of(index, flows["from"])
    work = codes_of(index, flows["to"])
    count = flows[column].to_numpy(dtype=np.int64, na_value=0)
    ok = (home >= 0) & (work >= 0) & (home != work) & (count > 0)
    home, work, count = home[ok], work[ok], count[ok]
    out = np.bincount(home, weights=count, minlength=n).round().astype(np.int64)
    into = np.bincount(work, weights=count, minlength=n).round().astype(np.int64)
    forward = home < work
    keys = np.minimum(home, work) * n + np.maximum(home, work)
    tie_keys = tie_pair_keys(network, index)
    # One factorisation of the flow pairs followed by the tie pairs: a tie pair that has
    # flows gets the code of those flows; the others get codes after them. 32-bit keys, when
    # they fit, hash faster.
    both = np.concatenate([keys, tie_keys])
    codes, uniques = pd.factorize(both.astype(np.int32) if n * n < 2**31 else both)
    size = int(codes[: len(keys)].max()) + 1 if len(keys) else 0
    codes, tie_codes = codes[: len(keys)], codes[len(keys) :]
    total = np.bincount(codes, weights=count, minlength=size).round().astype(np.int64)
    ab = np.bincount(codes[forward], weights=count[forward], minlength=size)
    ab_int = ab.round().astype(np.int64)
    unique_keys = np.asarray(uniques[:size], dtype=np.int64)
    tied = np.zeros(size, dtype=bool)
    tied[tie_codes[tie_codes < size]] = True
    return Pairs(
        a=unique_keys // max(n, 1),
        b=unique_keys % max(n, 1),
        ab=ab_int,
        ba=total - ab_int,
        total=total,
        tied=tied,
        out=out,
        into=into,
    )


def strongest_pairs(pairs: Pairs, n: int, *, min_commuters: int, top: int | None) -> np.ndarray:
    """Return the positions of the pairs to draw, largest first.

    A pair is drawn when it has at least ``min_commuters`` and is among the ``top`` largest
    pairs of one of its two units (every pair from ``min_commuters`` when ``top`` is None);
    among equal pairs, the one first in ``pairs`` ranks higher.

    Examples
    --------
    >>> one = np.array([1, 1])
    >>> pairs = Pairs(np.array([0, 0, 1]), np.array([1, 2, 2]), one, one,
    ...               np.array([50, 10, 30]), np.zeros(3, bool), one, one)
    >>> strongest_pairs(pairs, 3, min_commuters=1, top=1).tolist()  # 0's, 1's, 2's largest
    [0, 2]
    """
    keep = np.flatnonzero(pairs.total >= min_commuters)
    if top is not None and len(keep) > 8 * top * n:
        keep = _candidates(pairs, keep, n, top)
    keep = keep[np.argsort(-pairs.total[keep], kind="stable")]
    if top is None or not len(keep):
        return keep
    # Both ends of the i-th largest pair at 2i and 2i + 1: a stable sort by unit then keeps
    # each unit's pairs largest first. Small integer types let numpy use a radix sort.
    ends = np.column_stack([pairs.a[keep], pairs.b[keep]]).ravel()
    order = np.argsort(ends.astype(np.uint16) if n < 2**16 else ends, kind="stable")
    grouped = ends[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    chosen = np.zeros(len(keep), dtype=bool)
    chosen[order[rank < top] // 2] = True
    return keep[chosen]


def _candidates(pairs: Pairs, keep: np.ndarray, n: int, top: int) -> np.ndarray:
    """Narrow ``keep`` to the pairs that can be among a unit's ``top`` largest, in order.

    Pairs from a threshold up are candidates, and every pair of a unit with fewer than
    ``top`` such pairs: a unit with ``top`` pairs above the threshold has none below it among
    its largest. Sorting the candidates is then cheap however many pairs there are.
    """
    totals = pairs.total[keep]
    wanted = min(len(keep) - 1, 4 * top * n)
    threshold = np.partition(totals, len(totals) - 1 - wanted)[len(totals) - 1 - wanted]
    large = totals >= threshold
    above = np.bincount(pairs.a[keep[large]], minlength=n) + np.bincount(
        pairs.b[keep[large]], minlength=n
    )
    short = above < top
    chosen: np.ndarray = keep[large | short[pairs.a[keep]] | short[pairs.b[keep]]]
    return chosen


def unit_figures(network: Network, pairs: Pairs) -> pd.DataFrame:
    """Measure each unit cheaply: ties, partners, component, E-I, commuters in, out, uncovered.

    Returns
    -------
    One row per unit, indexed by unit id, in the order of `Network.units`, with columns
    `FIGURE_COLUMNS`: ``degree`` (ties), ``neighbours`` (distinct partners), ``component``
    (1 for the largest connected component, then by falling size), ``ei`` (E-I index of
    the unit's ties across versus inside its Kreis; NaN without such ties),
    ``out_commuters`` and ``in_commuters``, and ``uncovered_commuters`` (commuters between
    the unit and units it has no tie with).
    """
    units = network.units
    index = pd.Index(units["id"])
    n = len(index)
    ties = network.ties
    a = codes_of(index, ties["from"])
    b = codes_of(index, ties["to"])
    ok = (a >= 0) & (b >= 0)
    a, b = a[ok], b[ok]
    degree = np.bincount(np.concatenate([a, b]), minlength=n)
    graph = tie_graph(network)
    kreis = codes_of(pd.Index(pd.unique(network.kreis.dropna())), network.kreis.reindex(index))
    ka, kb = kreis[a], kreis[b]
    counted = (ka >= 0) & (kb >= 0)
    across = counted & (ka != kb)
    inside = counted & (ka == kb)
    external = np.bincount(np.concatenate([a[across], b[across]]), minlength=n)
    internal = np.bincount(np.concatenate([a[inside], b[inside]]), minlength=n)
    both = external + internal
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(both > 0, (external - internal) / np.maximum(both, 1), np.nan)
    gap = ~pairs.tied
    uncovered = np.bincount(
        np.concatenate([pairs.a[gap], pairs.b[gap]]),
        weights=np.concatenate([pairs.total[gap], pairs.total[gap]]).astype(np.float64),
        minlength=n,
    )
    return pd.DataFrame(
        {
            "degree": degree.astype(np.int64),
            "neighbours": graph.neighbours().to_numpy(dtype=np.int64),
            "component": graph.component.astype(np.int64) + 1,
            "ei": np.round(ei, 3),
            "out_commuters": pairs.out,
            "in_commuters": pairs.into,
            "uncovered_commuters": uncovered.round().astype(np.int64),
        },
        index=pd.Index(index, name="id"),
    )


def headline(network: Network, pairs: Pairs) -> dict[str, float | int]:
    """Return the figures of the whole network: units, ties, components, E-I, commuters.

    ``ei`` is Krackhardt and Stern's E-I index of all ties whose ends both belong to a Kreis
    (as `netkoop.metrics.ei_index`), NaN without such ties; ``coverage`` the share of
    commuters between tied units (as `netkoop.metrics.commuting_gap`), NaN without flows.
    """
    graph = tie_graph(network)
    sizes = graph.component_sizes
    index = pd.Index(network.units["id"])
    ties = network.ties
    kreis = network.kreis
    ka = ties["from"].map(kreis)
    kb = ties["to"].map(kreis)
    counted = (ka.notna() & kb.notna()).to_numpy()
    external = int((ka != kb).to_numpy()[counted].sum())
    internal = int(counted.sum()) - external
    ei = (external - internal) / (external + internal) if external + internal else math.nan
    return {
        "units": len(index),
        "ties": len(ties),
        "components": len(sizes),
        "isolates": int((sizes == 1).sum()),
        "ei_overall": float(ei),
        "commuters": int(pairs.total.sum()),
        "coverage": float(pairs.coverage),
        "pairs": len(pairs.total),
    }
