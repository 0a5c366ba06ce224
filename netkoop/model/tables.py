"""The tables of a network, and the Kreis each unit belongs to."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from netkoop.model.vocabulary import KREIS_KINDS

#: The tables of a network, in order.
TABLE_NAMES = ("units", "ties", "flows", "borders")


@dataclass(frozen=True)
class Tables:
    """The tables of a network, typed and in canonical column order.

    ``borders`` holds pairs of units that share a border (Kreise, from the adjacency
    importer) with the border's length; like flows it is context, not a tie.
    """

    units: pd.DataFrame
    ties: pd.DataFrame
    flows: pd.DataFrame
    borders: pd.DataFrame


def kreis_of(units: pd.DataFrame) -> pd.Series:
    """Return each unit's Kreis by unit id.

    A Landkreis or kreisfreie Stadt is its own Kreis; a kreisangehörige Gemeinde belongs to its
    parent.

    Land and forum units belong to no Kreis (missing).
    """
    own = units["kind"].isin(KREIS_KINDS)
    kreis = units["id"].where(own, units["parent"].where(units["kind"] == "gemeinde"))
    return pd.Series(kreis.to_numpy(), index=units["id"].to_numpy(), name="kreis", dtype="str")
