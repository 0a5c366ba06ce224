"""Counts that describe a network at a glance: units by kind and Land, ties, flows, commuters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from netkoop.keys import LAND_NAMES
from netkoop.vocabulary import TIE_KINDS, UNIT_KINDS

if TYPE_CHECKING:
    from netkoop.network import Network


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


def summarize(network: Network) -> Summary:
    """Count the units, ties and flows of ``network``.

    Examples
    --------
    >>> import netkoop
    >>> summarize(netkoop.load("beispielregion")).units_by_kind["kreisfreie_stadt"]
    1
    """
    units, ties, flows = network.units, network.ties, network.flows
    by_kind = units["kind"].value_counts()
    land = units["land"].map(lambda c: f"{c} {LAND_NAMES[c]}", na_action="ignore")
    table = pd.crosstab(land.fillna("(no Land)"), units["kind"])
    table = table.reindex(columns=[k for k in UNIT_KINDS if k in table.columns], fill_value=0)
    tie_counts = ties["kind"].value_counts()
    extra = [c for c in flows.columns if c not in ("from", "to", "commuters")]
    return Summary(
        name=network.name,
        title=network.metadata.title,
        units_by_kind={k: int(by_kind.get(k, 0)) for k in UNIT_KINDS},
        units_by_land=table,
        laender=int(units["land"].nunique()),
        ties_by_kind={k: int(tie_counts.get(k, 0)) for k in TIE_KINDS},
        flows=len(flows),
        commuters=int(flows["commuters"].sum()),
        flow_breakdown={c: int(flows[c].sum()) for c in extra},
        borders=len(network.borders),
    )
