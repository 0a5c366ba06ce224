"""Counts that describe a network at a glance: units by kind and Land, ties, flows, commuters."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from netkoop.model.keys import LAND_NAMES
from netkoop.model.metadata import Metadata
from netkoop.model.tables import Tables
from netkoop.model.vocabulary import LABELS_DE, TIE_KINDS, UNIT_KINDS

#: The attribute that marks a unit of kind gemeinde as a gemeindefreies Gebiet (a forest, lake
#: or training area with no Gemeinde of its own; Destatis Textkennzeichen 65 and 66), as
#: `netkoop.importers.gvisys.read_gvisys` writes it.
GEMEINDEFREI = "gemeindefrei"
#: The German name of such units, for people.
GEMEINDEFREI_LABEL = "gemeindefreies Gebiet"


@dataclass(frozen=True)
class Summary:
    """What `netkoop info` reports.

    ``units_by_kind`` and ``units_by_land`` count every unit by its kind. ``gemeindefrei``
    (and ``gemeindefrei_by_land``) counts the units of kind gemeinde that are gemeindefreie
    Gebiete, which the gemeinde counts include; `kinds_shown` and `land_table` show them apart,
    so that the Gemeinde counts are the official ones. ``undated_ties`` counts the ties
    without ``since`` (on any date they count as existing since before it), ``dated_ties``
    those with a ``since`` or an ``until``.
    """

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
    gemeindefrei: int = 0
    gemeindefrei_by_land: dict[str, int] = field(default_factory=dict)
    undated_ties: int = 0
    dated_ties: int = 0

    def kinds_shown(self) -> list[tuple[str, str, int]]:
        """Return (kind, German label, units) per kind, gemeindefreie Gebiete on a row of their own.

        Destatis counts a gemeindefreies Gebiet as no Gemeinde; its row follows the
        kreisangehörige Gemeinden (kind gemeinde as well) and is left out when there are none.

        Examples
        --------
        >>> summary = netkoop.load("beispielregion").summary()
        >>> [row for row in summary.kinds_shown() if row[0] == "kreisfreie_stadt"]
        [('kreisfreie_stadt', 'kreisfreie Stadt', 1)]
        """
        rows = []
        for kind, count in self.units_by_kind.items():
            if kind == "gemeinde" and self.gemeindefrei:
                rows.append((kind, LABELS_DE[kind], count - self.gemeindefrei))
                rows.append((kind, GEMEINDEFREI_LABEL, self.gemeindefrei))
            else:
                rows.append((kind, LABELS_DE[kind], count))
        return rows

    def land_table(self) -> pd.DataFrame:
        """Return units by Land and kind, with gemeindefreie Gebiete in a column of their own.

        The ``gemeinde`` column then counts the kreisangehörige Gemeinden only.
        """
        if not self.gemeindefrei:
            return self.units_by_land
        table = self.units_by_land.copy()
        free = pd.Series(self.gemeindefrei_by_land, dtype="int64")
        free = free.reindex(table.index, fill_value=0)
        table["gemeinde"] = table["gemeinde"] - free
        table.insert(list(table.columns).index("gemeinde") + 1, GEMEINDEFREI, free)
        return table

    def _repr_html_(self) -> str:
        """A small table for notebooks, in German: units and ties by kind, flows, commuters.

        Examples
        --------
        >>> table = netkoop.load("beispielregion").summary()._repr_html_()
        >>> "<td>Erfahrungsaustausch</td><td>12</td>" in table
        True
        """
        units = [(label, count) for _, label, count in self.kinds_shown() if count]
        ties = [(LABELS_DE[kind], count) for kind, count in self.ties_by_kind.items() if count]
        groups = [
            ("Einheiten", sum(self.units_by_kind.values()), units),
            ("Verbindungen", sum(self.ties_by_kind.values()), ties),
            ("Pendlerströme", self.flows, [("Pendler", self.commuters)] if self.flows else []),
        ]
        if self.borders:
            groups.append(("Grenzen", self.borders, []))
        rows = []
        for heading, total, parts in groups:
            rows.append(f"<tr><th>{heading}</th><th>{_german(total)}</th></tr>")
            rows += [f"<tr><td>{html.escape(k)}</td><td>{_german(n)}</td></tr>" for k, n in parts]
        caption = html.escape(self.title or self.name)
        if self.title and self.title != self.name:
            caption += f" <code>{html.escape(self.name)}</code>"
        body = "".join(rows)
        return f'<table class="netkoop-summary"><caption>{caption}</caption>{body}</table>'

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
            "gemeindefrei": self.gemeindefrei,
            "gemeindefrei_by_land": self.gemeindefrei_by_land,
            "laender": self.laender,
            "ties": sum(self.ties_by_kind.values()),
            "ties_by_kind": self.ties_by_kind,
            "flows": self.flows,
            "commuters": self.commuters,
            "flow_breakdown": self.flow_breakdown,
            "borders": self.borders,
            "undated_ties": self.undated_ties,
            "dated_ties": self.dated_ties,
        }


def _german(value: int) -> str:
    """A count as German text writes it: 65.740."""
    return f"{value:,}".replace(",", ".")


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
    land = land.fillna("(no Land)")
    table = pd.crosstab(land, units["kind"])
    table = table.reindex(columns=[k for k in UNIT_KINDS if k in table.columns], fill_value=0)
    free = _gemeindefrei(units)
    free_by_land = land[free].value_counts()
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
        gemeindefrei=int(free.sum()),
        gemeindefrei_by_land={str(k): int(v) for k, v in sorted(free_by_land.items())},
        undated_ties=int(ties["since"].isna().sum()),
        dated_ties=int((ties["since"].notna() | ties["until"].notna()).sum()),
    )


def _gemeindefrei(units: pd.DataFrame) -> pd.Series:
    """Tell which units are gemeindefreie Gebiete: kind gemeinde with ``gemeindefrei`` true.

    Only a true/false column counts; a column of other values marks nothing.
    """
    column = units.get(GEMEINDEFREI)
    if column is None or not pd.api.types.is_bool_dtype(column):
        return pd.Series(False, index=units.index)
    return (units["kind"] == "gemeinde") & column.fillna(False).astype(bool)
