"""Brokerage roles of Gould & Fernandez (1989) with the Kreis as the group."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netkoop.model.network import Network
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, UNIT_KINDS, select_tie_kinds

#: The five brokerage roles, in report order.
ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")

# Two-paths handled per step: bounds memory (a few int64 arrays of this length) when a unit
# with many ties sits in the middle of millions of two-paths.
_CHUNK = 1 << 22


def _arcs(network: Network, kinds: str | Iterable[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct arcs (tail, head) as positions in the units table, sorted.

    Undirected ties run both ways, directed kinds one way: the arcs of
    ``network.graph(kinds, directed=True, multigraph=False)``.
    """
    ties = network.ties
    ties = ties[ties["kind"].isin(select_tie_kinds(kinds))]
    index = pd.Index(network.units["id"])
    tail = index.get_indexer(ties["from"])
    head = index.get_indexer(ties["to"])
    both = ~ties["kind"].isin(DIRECTED_TIE_KINDS).to_numpy()
    n = len(index)
    keys = np.unique(np.concatenate([tail * n + head, head[both] * n + tail[both]]).astype("int64"))
    return keys // n, keys % n


def _groups(network: Network) -> np.ndarray:
    """Return each unit's group as an integer: its Kreis, or the unit alone if it has none."""
    units = network.units
    kreis = units["id"].map(network.kreis)
    group = kreis.fillna(units["id"])
    return pd.factorize(group)[0]


def _role_codes(ga: np.ndarray, gb: np.ndarray, gc: np.ndarray) -> np.ndarray:
    """Classify two-paths a→b→c by the groups of their ends into positions in `ROLES`."""
    a_is_b = ga == gb
    c_is_b = gc == gb
    return np.select(
        [a_is_b & c_is_b, c_is_b, a_is_b, ga == gc],
        [0, 1, 2, 3],
        default=4,
    )


def brokerage_roles(network: Network, *, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Count how often each unit brokers between others, by Gould & Fernandez role.

    A unit b brokers on every two-path a → b → c where a and c are different units and a has
    no tie to c of its own (a tie c → a does not close the path). Undirected ties run both
    ways, so an open undirected path a - b - c gives b two two-paths, one in each direction;
    directed kinds (``service_opening``, ``membership``) run one way only, so a forum, which
    only receives memberships, brokers nothing through them. Ties between the same two units
    count once.

    The groups are the Kreise (a kreisfreie Stadt or a Landkreis is its own Kreis); a unit
    without a Kreis (a Land or a forum) forms a group of its own. With the groups of a, b
    and c, a two-path is:

    - ``coordinator``: all three in one group;
    - ``gatekeeper``: a from another group, b and c in one group (b lets a in);
    - ``representative``: a and b in one group, c in another (b speaks for its group);
    - ``consultant``: a and c in one group, b in another (b serves a group from outside);
    - ``liaison``: all three in different groups.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.

    Returns
    -------
    One row per unit (index ``id``, in the order of `Network.units`) with int64 columns
    ``coordinator``, ``gatekeeper``, ``representative``, ``consultant``, ``liaison`` and
    ``total`` (their sum: all open two-paths through the unit).

    Raises
    ------
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    References
    ----------
    Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal approach to
    brokerage in transaction networks. Sociological Methodology, 19, 89-126.

    Examples
    --------
    >>> roles = brokerage_roles(netkoop.load("beispielregion"))
    >>> # Eichwalde links Auenfeld and Landkreis Nordheide with Fahrendorf, both ways
    >>> roles.loc["eichwalde", ["coordinator", "gatekeeper", "representative"]].tolist()
    [0, 2, 2]
    >>> int(roles.loc["lag-ni", "total"])  # memberships run into the forum, not out of it
    0
    """
    chosen = select_tie_kinds(kinds)
    roles = network.cached(("brokerage", chosen), lambda: _count_roles(network, chosen))
    return roles.copy()


def _count_roles(network: Network, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Count the roles of every unit (computed once per network and tie kinds, then cached)."""
    units = network.units
    n = len(units)
    tail, head = _arcs(network, kinds)
    keys = tail * n + head
    group = _groups(network)

    # Out-lists: the arcs are sorted by tail, so each unit's heads are one slice.
    out_degree = np.bincount(tail, minlength=n)
    out_start = np.concatenate([[0], np.cumsum(out_degree)[:-1]])
    # In-arcs (a, b) repeat once per out-arc (b, c) of their head b.
    repeats = out_degree[head]
    ends = np.cumsum(repeats)
    counts = np.zeros(n * len(ROLES), dtype="int64")
    first = 0
    while first < len(tail):
        done = int(ends[first - 1]) if first else 0
        last = max(int(np.searchsorted(ends, done + _CHUNK, side="right")), first + 1)
        reps = repeats[first:last]
        a = np.repeat(tail[first:last], reps)
        b = np.repeat(head[first:last], reps)
        offset = np.arange(len(a)) - np.repeat(np.cumsum(reps) - reps, reps)
        c = head[out_start[b] + offset]
        closing = a * n + c
        found = np.searchsorted(keys, closing)
        closed = keys[np.minimum(found, len(keys) - 1)] == closing
        open_path = (a != c) & ~closed
        a, b, c = a[open_path], b[open_path], c[open_path]
        role = _role_codes(group[a], group[b], group[c])
        counts += np.bincount(b * len(ROLES) + role, minlength=len(counts))
        first = last

    table = pd.DataFrame(
        counts.reshape(n, len(ROLES)),
        index=pd.Index(units["id"].to_numpy(), name="id"),
        columns=list(ROLES),
        dtype="int64",
    )
    table["total"] = table.sum(axis=1).astype("int64")
    return table


def brokerage_summary(
    network: Network, *, kinds: str | Iterable[str] | None = None
) -> pd.DataFrame:
    """Add up the brokerage roles of `brokerage_roles` by kind of unit.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.

    Returns
    -------
    One row per unit kind (index ``kind``, every kind of `UNIT_KINDS` in that order) with
    int64 columns ``units`` (units of the kind), ``brokers`` (those with at least one open
    two-path), then the role counts summed over the kind: ``coordinator``, ``gatekeeper``,
    ``representative``, ``consultant``, ``liaison`` and ``total``.

    Raises
    ------
    NetworkEditError
        When ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> summary = brokerage_summary(netkoop.load("beispielregion"))
    >>> summary.loc["kreisfreie_stadt", ["units", "brokers", "liaison"]].tolist()
    [1, 1, 2]
    """
    roles = brokerage_roles(network, kinds=kinds)
    kind = network.units.set_index("id")["kind"].reindex(roles.index)
    sums = roles.groupby(kind.to_numpy()).sum()
    table = pd.DataFrame(
        {
            "units": kind.value_counts(),
            "brokers": (roles["total"] > 0).groupby(kind.to_numpy()).sum(),
        }
    ).join(sums)
    table = table.reindex(list(UNIT_KINDS), fill_value=0).fillna(0).astype("int64")
    table.index.name = "kind"
    return table


def main_role(roles: pd.DataFrame, unit: str) -> str | None:
    """The role ``unit`` holds most often in ``roles`` (a table of `brokerage_roles`), the
    first of `ROLES` among equals; None for a unit that brokers nothing.

    Examples
    --------
    >>> roles = brokerage_roles(netkoop.load("beispielregion"))
    >>> main_role(roles, "lk-nord"), main_role(roles, "buko")
    ('gatekeeper', None)
    """
    if unit not in roles.index or not roles.loc[unit, "total"]:
        return None
    counts = roles.loc[unit, list(ROLES)].astype("int64")
    return str(counts.idxmax())
