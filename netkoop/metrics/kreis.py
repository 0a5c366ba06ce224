"""Ties inside and across Kreis borders, and the counts the study "Zwei Welten?" reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netkoop.network import Network

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
    separated by ";"); ties without ``reported_by`` count for both ends.
    """
    rows = []
    for end, other in (("from", "to"), ("to", "from")):
        part = pd.DataFrame({"unit": ties[end], "partner": ties[other], "tie": ties.index})
        if reported and "reported_by" in ties.columns:
            said = ties["reported_by"].astype("str")
            names_unit = [
                pd.isna(by) or unit in {s.strip() for s in by.split(";")}
                for unit, by in zip(ties[end], said, strict=True)
            ]
            part = part[np.asarray(names_unit, dtype=bool)]
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


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
    >>> import netkoop
    >>> counts = study_counts(netkoop.load("beispielregion"))
    >>> int(counts.loc["gemeinde", "tie_across"])  # Eichwalde and Fahrendorf
    2
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
    kinds = units["kind"]
    rows = {}
    for kind in KOMMUNE_KINDS:
        members = kinds.index[kinds == kind]
        rows[kind] = {"units": len(members)} | {
            name: int(members.isin(having_units).sum()) for name, having_units in measures.items()
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "kind"
    return table.astype("int64")
