"""Mixing of unit kinds: how many ties join each pair of kinds, how densely, how assortatively."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netkoop.model.network import Network
from netkoop.model.vocabulary import UNIT_KINDS, select_tie_kinds


def _kind_ends(network: Network, kinds: str | Iterable[str] | None) -> pd.DataFrame:
    """Return one row per chosen tie: ``from``, ``to`` and the ends' unit kinds ``a``, ``b``."""
    ties = network.ties
    ties = ties[ties["kind"].isin(select_tie_kinds(kinds))]
    unit_kind = network.units.set_index("id")["kind"]
    return pd.DataFrame(
        {
            "from": ties["from"].to_numpy(),
            "to": ties["to"].to_numpy(),
            "a": ties["from"].map(unit_kind).to_numpy(),
            "b": ties["to"].map(unit_kind).to_numpy(),
        }
    )


def _symmetric(ends: pd.DataFrame) -> pd.DataFrame:
    """Count rows by unordered kind pair into a symmetric kind × kind table of int64."""
    order = {kind: i for i, kind in enumerate(UNIT_KINDS)}
    size = len(UNIT_KINDS)
    i = ends["a"].map(order).to_numpy(dtype="int64")
    j = ends["b"].map(order).to_numpy(dtype="int64")
    counts = np.bincount(i * size + j, minlength=size * size).reshape(size, size)
    both = counts + counts.T
    np.fill_diagonal(both, np.diag(counts))
    table = pd.DataFrame(both, index=list(UNIT_KINDS), columns=list(UNIT_KINDS), dtype="int64")
    table.index.name = "kind"
    table.columns.name = "partner_kind"
    return table


def _distinct_pairs(ends: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per pair of units that share at least one tie, whatever its direction."""
    swap = (ends["from"] > ends["to"]).to_numpy()
    first = np.where(swap, ends["to"], ends["from"])
    second = np.where(swap, ends["from"], ends["to"])
    keep = ~pd.DataFrame({"u": first, "v": second}).duplicated().to_numpy()
    return ends[keep]


def mixing_matrix(network: Network, *, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Count the ties between each pair of unit kinds.

    Every tie counts once, whatever its direction, and ties between the same two units count
    each (the matrix counts ties, not pairs). A tie between a Landkreis and a kreisfreie Stadt
    appears in both the ``landkreis``/``kreisfreie_stadt`` cell and its mirror, so the matrix
    is symmetric; the diagonal counts ties within one kind. The number of ties is the sum of
    the diagonal and the upper triangle.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.

    Returns
    -------
    A symmetric table of int64 counts with every unit kind (`UNIT_KINDS`, in that order) as
    a row (index ``kind``) and as a column (columns named ``partner_kind``).

    Raises
    ------
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> table = mixing_matrix(netkoop.load("beispielregion"))
    >>> int(table.loc["gemeinde", "gemeinde"]), int(table.loc["gemeinde", "landkreis"])
    (10, 4)
    >>> int(table.loc["landkreis", "gemeinde"])
    4
    """
    return _symmetric(_kind_ends(network, kinds))


def mixing_density(network: Network, *, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Return the share of possible pairs between two unit kinds that share a tie.

    The numerator counts distinct pairs of units with at least one tie (of the chosen kinds,
    in either direction); the denominator counts the possible pairs: ``n_a * n_b`` between
    two kinds and ``n_a * (n_a - 1) / 2`` within one kind, where ``n_a`` is the number of
    units of kind ``a``.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.

    Returns
    -------
    A symmetric table of float densities between 0 and 1, shaped like `mixing_matrix`; NaN
    where no pair is possible (a kind without units, or within a kind of one unit).

    Raises
    ------
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> table = mixing_density(netkoop.load("beispielregion"))
    >>> round(float(table.loc["gemeinde", "gemeinde"]), 4)  # 9 of 8 * 7 / 2 = 28 pairs
    0.3214
    >>> float(table.loc["landkreis", "kreisfreie_stadt"])  # both Landkreise with the city
    1.0
    """
    pairs = _symmetric(_distinct_pairs(_kind_ends(network, kinds)))
    size = network.units["kind"].value_counts().reindex(list(UNIT_KINDS), fill_value=0)
    n = size.to_numpy(dtype="float64")
    possible = np.outer(n, n)
    np.fill_diagonal(possible, n * (n - 1) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(possible > 0, pairs.to_numpy() / possible, np.nan)
    return pd.DataFrame(share, index=pairs.index, columns=pairs.columns, dtype="float64")


def kind_assortativity(network: Network, *, kinds: str | Iterable[str] | None = None) -> float:
    """Return the nominal assortativity of the ties by unit kind (Newman 2003).

    Computed on the simple undirected graph: each pair of units with at least one tie of the
    chosen kinds counts once. The value is 1 when ties only join units of the same kind, 0
    when kinds mix as by chance, and negative when ties prefer other kinds. It equals
    ``networkx.attribute_assortativity_coefficient(network.graph(kinds, multigraph=False),
    "kind")``.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.

    Returns
    -------
    The coefficient, or NaN when it is undefined (no ties, or every tie joins two units of
    one and the same kind).

    Raises
    ------
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> round(kind_assortativity(netkoop.load("beispielregion")), 3)
    0.089
    """
    pairs = _symmetric(_distinct_pairs(_kind_ends(network, kinds))).to_numpy(dtype="float64")
    # Each pair counts in both directions, as in networkx's mixing matrix.
    both = pairs + np.diag(np.diag(pairs))
    total = both.sum()
    if total == 0:
        return float("nan")
    e = both / total
    expected = float((e.sum(axis=1) ** 2).sum())
    if expected == 1.0:
        return float("nan")
    return (float(np.trace(e)) - expected) / (1.0 - expected)
