"""Ties inside and across Kreis borders: E-I index, forum-mediated pairs, the study's counts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError
from netkoop.metrics.pairs import (
    pair_columns,
    pair_keys,
    pair_type_codes,
    ranked_units,
    sum_by_pair_type,
    unit_codes,
)
from netkoop.model.network import Network
from netkoop.model.vocabulary import select_tie_kinds

#: Kinds of unit that the study counts, in report order.
KOMMUNE_KINDS = ("landkreis", "kreisfreie_stadt", "gemeinde")


def tie_scope(network: Network) -> pd.DataFrame:
    """Return the ties with each end's Kreis and whether the tie stays inside one Kreis.

    Columns: those of `Network.ties`, plus ``from_kreis``, ``to_kreis`` and ``scope``:
    ``"inside"`` (both ends in the same Kreis), ``"across"`` (different Kreise), or missing
    when an end belongs to no Kreis (a Land or a forum, e.g. every membership).
    """
    ties = network.ties
    kreis = network.kreis
    from_kreis = ties["from"].map(kreis)
    to_kreis = ties["to"].map(kreis)
    known = from_kreis.notna() & to_kreis.notna()
    scope = pd.Series(np.where(from_kreis == to_kreis, "inside", "across"), index=ties.index)
    return ties.assign(
        from_kreis=from_kreis, to_kreis=to_kreis, scope=scope.where(known).astype("str")
    )


def _reporting_ends(ties: pd.DataFrame, *, reported: bool) -> pd.DataFrame:
    """One row per tie end that counts for its unit: (unit, partner, tie row).

    With ``reported``, an end counts only if the tie's ``reported_by`` names that unit (ids
    separated by ";"); ties without ``reported_by``, or whose ``reported_by`` is ``both`` (as
    a survey writes a tie both sides reported), count for both ends.
    """
    rows = []
    for end, other in (("from", "to"), ("to", "from")):
        part = pd.DataFrame({"unit": ties[end], "partner": ties[other], "tie": ties.index})
        if reported and "reported_by" in ties.columns:
            said = ties["reported_by"].astype("str")
            names_unit = [
                pd.isna(by)
                or by.strip().casefold() == "both"
                or unit in {s.strip() for s in by.split(";")}
                for unit, by in zip(ties[end], said, strict=True)
            ]
            part = part[np.asarray(names_unit, dtype=bool)]
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def study_units(network: Network, *, reported: bool = False) -> pd.DataFrame:
    """Mark each Kommune by the patterns "Zwei Welten?" (2020) counts; see `study_counts`.

    Returns
    -------
    One row per Landkreis, kreisfreie Stadt and kreisangehörige Gemeinde (index ``id``, in
    unit order) with ``kind`` and the boolean columns ``tie_inside``, ``tie_across``,
    ``intensive_across`` and ``land_forum`` of `study_counts`.

    Examples
    --------
    >>> marks = study_units(netkoop.load("beispielregion"))
    >>> marks.index[marks["tie_across"] & (marks["kind"] == "gemeinde")].tolist()
    ['eichwalde', 'fahrendorf']
    """
    units = network.units.set_index("id")
    ties = tie_scope(network)
    ends = _reporting_ends(ties, reported=reported)
    ends = ends.join(ties[["kind", "intensity", "scope"]], on="tie")
    ends["partner_kind"] = ends["partner"].map(units["kind"])
    ends["partner_land"] = ends["partner"].map(units["land"])

    def having(mask: pd.Series) -> set[str]:
        return set(ends["unit"][mask.fillna(False).astype(bool)])

    measures = {
        "tie_inside": having(ends["scope"] == "inside"),
        "tie_across": having(ends["scope"] == "across"),
        "intensive_across": having(
            (ends["scope"] == "across") & (ends["intensity"] == "intensive")
        ),
        "land_forum": having(
            (ends["kind"] == "membership")
            & (ends["partner_kind"] == "forum")
            & ends["partner_land"].notna()
        ),
    }
    kommunen = units[units["kind"].isin(KOMMUNE_KINDS)]
    marks = pd.DataFrame({"kind": kommunen["kind"]}, index=kommunen.index)
    for name, having_units in measures.items():
        marks[name] = marks.index.isin(list(having_units))
    return marks


def study_counts(network: Network, *, reported: bool = False) -> pd.DataFrame:
    """Count the units of each kind by the patterns "Zwei Welten?" (2020) reports.

    Parameters
    ----------
    network
        The network.
    reported
        Count a tie for a unit only when the unit itself reported it (the tie's
        ``reported_by`` names it); otherwise every tie counts for both its ends.

    Returns
    -------
    One row per kind of Kommune (landkreis, kreisfreie_stadt, gemeinde) with columns
    ``units``; ``tie_inside`` (units with at least one tie inside their Kreis);
    ``tie_across`` (at least one tie beyond their Kreis); ``intensive_across`` (at least
    one ``intensive`` tie beyond their Kreis); ``land_forum`` (a membership in a forum that
    belongs to a Land).

    Examples
    --------
    >>> counts = study_counts(netkoop.load("beispielregion"))
    >>> int(counts.loc["gemeinde", "tie_across"])  # Eichwalde and Fahrendorf
    2
    """
    marks = study_units(network, reported=reported)
    table = marks.groupby("kind").sum().reindex(list(KOMMUNE_KINDS), fill_value=0)
    table.insert(0, "units", marks["kind"].value_counts().reindex(table.index, fill_value=0))
    table.index.name = "kind"
    return table.astype("int64")


# --- pairs of units: codes, keys and labels (shared with the commuting gap) ------------------

# --- E-I index (Krackhardt & Stern 1988) ----------------------------------------------------


@dataclass(frozen=True, eq=False)
class EIResult:
    """The E-I index of ties across versus inside Kreis borders; see `ei_index`.

    Attributes
    ----------
    units
        One row per unit that belongs to a Kreis, indexed by ``id``, with columns ``name``,
        ``kind``, ``kreis``, ``internal`` and ``external`` (its ties inside its Kreis and
        across the border) and ``ei`` (NaN for a unit without a counted tie).
    by_kind
        One row per kind of Kommune (landkreis, kreisfreie_stadt, gemeinde), indexed by
        ``kind``, with columns ``units``, ``internal``, ``external`` (sums over the units of
        the kind) and ``ei`` (NaN without counted ties).
    overall
        The E-I index of all counted ties, each tie counted once; NaN without counted ties.
    internal
        The number of counted ties inside one Kreis.
    external
        The number of counted ties across a Kreis border.
    """

    units: pd.DataFrame
    by_kind: pd.DataFrame
    overall: float
    internal: int
    external: int


def _ei(internal: pd.Series, external: pd.Series) -> pd.Series:
    total = internal + external
    return (external - internal) / total.where(total > 0)


def ei_index(network: Network, *, kinds: str | Iterable[str] | None = None) -> EIResult:
    """Compute Krackhardt and Stern's E-I index of ties across versus inside Kreis borders.

    E-I = (E - I) / (E + I), where E counts external ties (the two ends lie in different
    Kreise) and I internal ones (both ends in the same Kreis). It runs from -1 (every tie
    stays inside a Kreis) to +1 (every tie crosses a Kreis border).

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.

    Returns
    -------
    EIResult
        ``units`` (per unit), ``by_kind`` (per kind of unit), ``overall``, and the counts
        ``internal`` and ``external``. A unit counts every tie it is an end of, whatever the
        tie's direction; ``by_kind`` sums the units of a kind, so a tie between two Gemeinden
        counts twice there. ``overall`` counts each tie once (counting both ends gives the
        same value).

    Raises
    ------
    NetkoopError
        When ``kinds`` names an unknown tie kind.

    Notes
    -----
    Only ties whose two ends both belong to a Kreis count: ties to a forum or a Land, and so
    every membership, are left out, because such a unit is neither inside nor outside a
    Kreis. Several ties between the same two units count separately.

    Examples
    --------
    >>> result = ei_index(netkoop.load("beispielregion"))
    >>> result.internal, result.external, round(result.overall, 3)
    (13, 3, -0.625)
    >>> round(float(result.units.at["lk-nord", "ei"]), 3)  # 2 ties inside, 1 across
    -0.333
    """
    chosen = select_tie_kinds(kinds)
    kreis = network.kreis.dropna()
    ties = network.ties
    ties = ties[ties["kind"].isin(chosen)]
    from_kreis = ties["from"].map(kreis)
    to_kreis = ties["to"].map(kreis)
    counted = (from_kreis.notna() & to_kreis.notna()).to_numpy()
    external = (from_kreis != to_kreis).to_numpy()[counted]
    ends = pd.DataFrame(
        {
            "unit": np.concatenate(
                [ties["from"].to_numpy()[counted], ties["to"].to_numpy()[counted]]
            ),
            "external": np.concatenate([external, external]).astype("int64"),
        }
    )
    per_unit = ends.groupby("unit")["external"].agg(["sum", "size"])
    n_external = per_unit["sum"].reindex(kreis.index, fill_value=0).astype("int64")
    n_all = per_unit["size"].reindex(kreis.index, fill_value=0).astype("int64")

    table = network.units.set_index("id").loc[kreis.index, ["name", "kind"]]
    table = table.assign(kreis=kreis, internal=n_all - n_external, external=n_external)
    table["ei"] = _ei(table["internal"], table["external"])
    table.index.name = "id"

    by_kind = (
        table.groupby("kind")[["internal", "external"]]
        .sum()
        .reindex(list(KOMMUNE_KINDS), fill_value=0)
        .astype("int64")
    )
    by_kind.insert(
        0, "units", table["kind"].value_counts().reindex(list(KOMMUNE_KINDS), fill_value=0)
    )
    by_kind = by_kind.astype("int64")
    by_kind["ei"] = _ei(by_kind["internal"], by_kind["external"])
    by_kind.index.name = "kind"

    n_ext = int(external.sum())
    n_int = len(external) - n_ext
    overall = (n_ext - n_int) / len(external) if len(external) else math.nan
    return EIResult(
        units=table, by_kind=by_kind, overall=float(overall), internal=n_int, external=n_ext
    )


def ei_permutation_test(
    network: Network,
    *,
    kinds: str | Iterable[str] | None = None,
    permutations: int = 1000,
    seed: int | None = 0,
) -> dict[str, Any]:
    """Test whether the overall E-I index differs from chance, by permuting Kreis labels.

    Each permutation shuffles the Kreis labels among the units that belong to a Kreis (so
    every Kreis keeps its number of units), keeps the ties where they are, and recomputes the
    overall E-I index of the counted ties (see `ei_index`).

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds to count (one or several); all kinds when omitted.
    permutations
        Number of random permutations, at least 1.
    seed
        Seed of the random generator (``numpy.random.default_rng``); the same seed gives the
        same result. None draws fresh entropy.

    Returns
    -------
    dict
        ``observed`` (the overall E-I index), ``expected`` (mean over the permutations),
        ``std`` (their standard deviation, ddof=0), ``p_value`` (two-sided: the share of
        permutations at least as far from ``expected`` as ``observed``, as
        (b + 1) / (n + 1)) and ``permutations``. All values are plain Python numbers; without
        counted ties the first four are NaN.

    Raises
    ------
    NetkoopError
        When ``permutations`` is below 1 or ``kinds`` names an unknown tie kind.

    Examples
    --------
    >>> test = ei_permutation_test(netkoop.load("beispielregion"), permutations=200, seed=1)
    >>> test["observed"], test["p_value"] < 0.05
    (-0.625, True)
    """
    if permutations < 1:
        raise MetricsError(f"permutations must be at least 1; got {permutations}")
    chosen = select_tie_kinds(kinds)
    kreis = network.kreis.dropna()
    labels = pd.factorize(kreis)[0].astype(np.int32)
    index = pd.Index(kreis.index)
    ties = network.ties
    ties = ties[ties["kind"].isin(chosen)]
    a = unit_codes(index, ties["from"])
    b = unit_codes(index, ties["to"])
    counted = (a >= 0) & (b >= 0)
    a, b = a[counted], b[counted]
    total = len(a)
    if total == 0:
        nan = math.nan
        return {
            "observed": nan,
            "expected": nan,
            "std": nan,
            "p_value": nan,
            "permutations": permutations,
        }
    observed = int(np.count_nonzero(labels[a] != labels[b]))
    rng = np.random.default_rng(seed)
    external = np.empty(permutations, dtype=np.int64)
    for i in range(permutations):  # one vectorised pass over all ties per permutation
        shuffled = rng.permutation(labels)
        external[i] = np.count_nonzero(shuffled[a] != shuffled[b])
    values = (2 * external - total) / total
    centre = external.mean()
    # Integer counts: deviations that differ at all differ by at least 1/permutations.
    extreme = np.abs(external - centre) >= abs(observed - centre) - 1e-9
    return {
        "observed": (2 * observed - total) / total,
        "expected": float(values.mean()),
        "std": float(values.std()),
        "p_value": (int(extreme.sum()) + 1) / (permutations + 1),
        "permutations": permutations,
    }


# --- forum-mediated versus direct connections across Kreis borders --------------------------


@dataclass(frozen=True, eq=False)
class ForumMediation:
    """Pairs of units in different Kreise linked through a shared forum or a direct tie.

    See `forum_mediation` for the definitions.

    Attributes
    ----------
    pairs
        One row per pair that shares a forum or has a direct tie, the two units in report
        order (by kind, then id): ``unit_a``, ``name_a``, ``kind_a``, ``unit_b``, ``name_b``,
        ``kind_b``, ``pair_type``, ``forums`` (number of forums both are members of),
        ``direct`` (number of direct ties between them) and ``forum_only`` (linked only
        through a forum).
    by_type
        One row per pair type (index ``pair_type``, e.g. ``"landkreis–kreisfreie_stadt"``):
        ``forum_pairs`` (pairs sharing a forum), ``direct_pairs`` (pairs with a direct tie),
        ``both``, ``forum_only`` and ``direct_only``.
    overall
        The same five counts over all pairs, as plain ints.
    """

    pairs: pd.DataFrame
    by_type: pd.DataFrame
    overall: dict[str, int]


def forum_mediation(
    network: Network, *, kinds: str | Iterable[str] | None = None
) -> ForumMediation:
    """Compare cross-Kreis pairs linked through a shared forum with pairs tied directly.

    A pair is two units that belong to different Kreise (forums and Länder belong to none).
    It **shares a forum** when both units have a membership tie to the same forum, and it is
    **tied directly** when at least one tie of ``kinds`` joins the two, in either direction.
    A pair is **linked only through a forum** when it shares a forum and has no direct tie.

    Parameters
    ----------
    network
        The network.
    kinds
        Tie kinds that count as direct ties (one or several); all kinds when omitted.
        Forums are always read from the membership ties.

    Returns
    -------
    ForumMediation
        ``pairs``, ``by_type`` (counts per pair type, in the order of `PAIR_TYPES`) and
        ``overall`` (the same counts over all pairs).

    Raises
    ------
    NetkoopError
        When ``kinds`` names an unknown tie kind.

    Notes
    -----
    Every forum adds a pair for each two of its members, so the work grows with the square
    of a forum's size: fine for Land-level formats of Landkreise and kreisfreie Städte, heavy
    for a forum that all 11,000 Gemeinden are members of (60 million pairs).

    Examples
    --------
    >>> mediation = forum_mediation(netkoop.load("beispielregion"))
    >>> mediation.overall["forum_pairs"], mediation.overall["forum_only"]
    (5, 3)
    >>> int(mediation.by_type.loc["landkreis–kreisfreie_stadt", "forum_only"])
    0
    """
    chosen = select_tie_kinds(kinds)
    units = ranked_units(network)
    n = len(units)
    index = pd.Index(units["id"])
    kreis = pd.factorize(units["kreis"])[0]  # missing Kreis: -1
    ties = network.ties

    memberships = ties[ties["kind"] == "membership"]
    member = unit_codes(index, memberships["from"])
    forum = unit_codes(index, memberships["to"])
    keep = kreis[member] >= 0
    members = pd.DataFrame({"unit": member[keep], "forum": forum[keep]}).drop_duplicates()
    shared = members.merge(members, on="forum")
    x, y = shared["unit_x"].to_numpy(), shared["unit_y"].to_numpy()
    across = (x < y) & (kreis[x] != kreis[y])
    forum_keys, forum_counts = np.unique(pair_keys(x[across], y[across], n), return_counts=True)

    direct_ties = ties[ties["kind"].isin(chosen)]
    x = unit_codes(index, direct_ties["from"])
    y = unit_codes(index, direct_ties["to"])
    across = (kreis[x] >= 0) & (kreis[y] >= 0) & (kreis[x] != kreis[y])
    direct_keys, direct_counts = np.unique(pair_keys(x[across], y[across], n), return_counts=True)

    keys = np.union1d(forum_keys, direct_keys)
    forums = np.zeros(len(keys), dtype=np.int64)
    forums[np.searchsorted(keys, forum_keys)] = forum_counts
    direct = np.zeros(len(keys), dtype=np.int64)
    direct[np.searchsorted(keys, direct_keys)] = direct_counts
    a, b = keys // n, keys % n
    types = pair_type_codes(units, a, b)
    forum_only = (forums > 0) & (direct == 0)
    pairs = pd.DataFrame(
        {
            **pair_columns(units, a, b, types),
            "forums": forums,
            "direct": direct,
            "forum_only": forum_only,
        }
    )
    by_type = sum_by_pair_type(
        types,
        {
            "forum_pairs": forums > 0,
            "direct_pairs": direct > 0,
            "both": (forums > 0) & (direct > 0),
            "forum_only": forum_only,
            "direct_only": (forums == 0) & (direct > 0),
        },
    )
    overall = {name: int(by_type[name].sum()) for name in by_type.columns}
    return ForumMediation(pairs=pairs, by_type=by_type, overall=overall)
