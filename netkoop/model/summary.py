"""Counts that describe a network at a glance: units by kind and Land, ties, flows, commuters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from netkoop.model.keys import LAND_NAMES
from netkoop.model.metadata import Metadata
from netkoop.model.tables import Tables
from netkoop.model.vocabulary import TIE_KINDS, UNIT_KINDS


@dataclass(frozen=True)
class Summary:
    """What `netkoop info` reports."""

    name: str
    title: str | None
    units_by_kind: dict[str, int]
    units_by_land: pd.DataFrame
    laender: int
    ties_by_kind: dict[str, int]
    flows: int
    commuters: int
    flow_breakdown: dict[str, int]
    borders: int

    def as_dict(self) -> dict[str, Any]:
        """Plain Python values, for JSON."""
        by_land = {
            str(land): {k: int(v) for k, v in row.items() if v}
            for land, row in self.units_by_land.iterrows()
        }
        return {
            "name": self.name,
            "title": self.title,
            "units": sum(self.units_by_kind.values()),
            "units_by_kind": self.units_by_kind,
            "units_by_land": by_land,
            "laender": self.laender,
            "ties": sum(self.ties_by_kind.values()),
            "ties_by_kind": self.ties_by_kind,
            "flows": self.flows,
            "commuters": self.commuters,
            "flow_breakdown": self.flow_breakdown,
            "borders": self.borders,
        }


def summarize(tables: Tables, metadata: Metadata) -> Summary:
    """Count the units, ties and flows of a network's tables (`Network.summary` calls this).

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> summarize(net.tables(), net.metadata).units_by_kind["kreisfreie_stadt"]
    1
    """
    units, ties, flows = tables.units, tables.ties, tables.flows
    by_kind = units["kind"].value_counts()
    land = units["land"].map(lambda c: f"{c} {LAND_NAMES[c]}", na_action="ignore")
    table = pd.crosstab(land.fillna("(no Land)"), units["kind"])
    table = table.reindex(columns=[k for k in UNIT_KINDS if k in table.columns], fill_value=0)
    tie_counts = ties["kind"].value_counts()
    extra = [c for c in flows.columns if c not in ("from", "to", "commuters")]
    return Summary(
        name=metadata.name,
        title=metadata.title,
        units_by_kind={k: int(by_kind.get(k, 0)) for k in UNIT_KINDS},
        units_by_land=table,
        laender=int(units["land"].nunique()),
        ties_by_kind={k: int(tie_counts.get(k, 0)) for k in TIE_KINDS},
        flows=len(flows),
        commuters=int(flows["commuters"].sum()),
        flow_breakdown={c: int(flows[c].sum()) for c in extra},
        borders=len(tables.borders),
    )
