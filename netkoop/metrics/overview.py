"""The measures an overview of a network shows: per unit, per commuter pair, and overall.

They are cheap (no path counting), so a page or figure of any size can show them all: the
headline figures of the whole network, each unit's ties, partners, component, E-I index and
commuters, and the commuters between each pair of units with whether a tie joins them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop.metrics.engine import tie_graph
from netkoop.metrics.pairs import unit_codes
from netkoop.model.network import Network

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


def tie_pair_keys(network: Network, index: pd.Index) -> np.ndarray:
    """Return the sorted distinct pair keys ``min * n + max`` of the units joined by ties."""
    ties = network.ties
    a = unit_codes(index, ties["from"])
    b = unit_codes(index, ties["to"])
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
    home = unit_codes(index, flows["from"])
    work = unit_codes(index, flows["to"])
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
    a = unit_codes(index, ties["from"])
    b = unit_codes(index, ties["to"])
    ok = (a >= 0) & (b >= 0)
    a, b = a[ok], b[ok]
    degree = np.bincount(np.concatenate([a, b]), minlength=n)
    graph = tie_graph(network)
    kreis = unit_codes(pd.Index(pd.unique(network.kreis.dropna())), network.kreis.reindex(index))
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


@dataclass(frozen=True, eq=False)
class Overview:
    """The overview measures of one network: `Pairs`, `unit_figures` and `headline`."""

    pairs: Pairs
    units: pd.DataFrame
    headline: dict[str, Any]


def overview(network: Network) -> Overview:
    """Return the overview measures of ``network``, computed once and kept with it.

    Examples
    --------
    >>> shown = overview(netkoop.load("beispielregion"))
    >>> shown.headline["ties"], int(shown.units.loc["musterstadt", "degree"])
    (21, 4)
    """

    def build() -> Overview:
        pairs = commuter_pairs(network, pd.Index(network.units["id"]))
        return Overview(pairs, unit_figures(network, pairs), headline(network, pairs))

    return network.cached(("overview",), build)
