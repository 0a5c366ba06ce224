"""The tables of a network, and the Kreis each unit belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from netkoop.model.outlines import empty_outlines
from netkoop.model.vocabulary import KREIS_KINDS

#: The tables of a network that a scenario keeps as CSV, in order.
TABLE_NAMES = ("units", "ties", "flows", "borders")

#: Every table of a network: those of `TABLE_NAMES`, then the outlines (kept as GeoJSON).
ALL_TABLES = (*TABLE_NAMES, "outlines")


@dataclass(frozen=True)
class Tables:
    """The tables of a network, typed and in canonical column order.

    ``borders`` holds pairs of units that share a border (Kreise, from the adjacency
    importer) with the border's length; like flows it is context, not a tie. ``outlines``
    holds the polygons of places for maps (see `netkoop.model.outlines`), context too; it is
    no CSV table, so `TABLE_NAMES` leaves it out.
    """

    units: pd.DataFrame
    ties: pd.DataFrame
    flows: pd.DataFrame
    borders: pd.DataFrame
    outlines: pd.DataFrame = field(default_factory=empty_outlines)


def kreis_of(units: pd.DataFrame) -> pd.Series:
    """Return each unit's Kreis by unit id.

    A Landkreis or kreisfreie Stadt is its own Kreis; a kreisangehörige Gemeinde belongs to its
    parent.

    Land and forum units belong to no Kreis (missing).
    """
    own = units["kind"].isin(KREIS_KINDS)
    kreis = units["id"].where(own, units["parent"].where(units["kind"] == "gemeinde"))
    return pd.Series(kreis.to_numpy(), index=units["id"].to_numpy(), name="kreis", dtype="str")
