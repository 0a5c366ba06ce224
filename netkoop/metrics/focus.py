"""A focus's profile: its ties and its position among the units of its kind, read from a report."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from netkoop.metrics.brokerage import main_role
from netkoop.metrics.kreis import tie_scope
from netkoop.metrics.pairs import ranked_units
from netkoop.metrics.report import Report
from netkoop.model.focus import Focus
from netkoop.model.network import Network
from netkoop.model.vocabulary import TIE_KINDS, TIE_VALUES

#: Columns of `focus_partners` (``since`` and ``until`` only when the ties have them).
PARTNER_COLUMNS = (
    "unit",
    "name",
    "partner",
    "partner_name",
    "partner_kind",
    "partner_kreis",
    "tie_kind",
    "intensity",
    "scope",
    "since",
    "until",
)

#: Columns of `focus_position`, indexed by ``measure``.
POSITION_COLUMNS = ("value", "rank", "units", "percentile", "role")

# The measures of `focus_position`: (measure, report table, column), in this order.
_MEASURES = (
    ("degree", "structure_units", "degree"),
    ("neighbours", "structure_units", "neighbours"),
    ("betweenness", "structure_units", "betweenness"),
    ("closeness", "structure_units", "closeness"),
    ("brokerage", "brokerage_units", "total"),
    ("internal", "kreis_ei_units", "internal"),
    ("external", "kreis_ei_units", "external"),
    ("ei", "kreis_ei_units", "ei"),
)

# Strongest first; a tie without an intensity last.
_INTENSITY = {value: i for i, value in enumerate(reversed(TIE_VALUES["intensity"]))}


def focus_partners(network: Network, around: Focus) -> pd.DataFrame:
    """List the ties with at least one end in the area of the focus, one row per tie.

    Parameters
    ----------
    network
        The network (with the ties the report counts).
    around
        The focus (`netkoop.model.focus.focus`).

    Returns
    -------
    pandas.DataFrame
        Columns `PARTNER_COLUMNS`: ``unit`` and ``name`` (the end in the area), ``partner``,
        ``partner_name``, ``partner_kind`` and ``partner_kreis`` (the other end; its Kreis
        missing for a forum or a Land), ``tie_kind`` and ``intensity`` of the tie, ``scope``
        (``"inside"`` the Kreis of the unit, ``"across"`` its border, or missing for a tie
        with a forum or a Land, which the E-I index does not count either), and ``since``
        and ``until`` when the ties carry them. For a tie with both ends in the area the
        focus unit itself, or else the end first in report order, is the ``unit``. Rows are
        sorted by unit (the focus first, then by kind and id), intensity (strongest first),
        partner and tie kind.

    Examples
    --------
    >>> from netkoop.model.focus import focus
    >>> net = netkoop.load("beispielregion")
    >>> ties = focus_partners(net, focus(net, "eichwalde"))
    >>> ties["partner"].tolist()  # the regular tie before the two occasional ones
    ['auenfeld', 'lk-nord', 'fahrendorf']
    >>> ties["scope"].tolist()
    ['inside', 'inside', 'across']
    """
    units = ranked_units(network)
    order = pd.Series(np.arange(len(units)), index=units["id"])
    order[around.key] = -1  # the focus unit before any other
    ties = tie_scope(network)
    ties = ties[around.touches(ties["from"], ties["to"])].reset_index(drop=True)
    ends_from = ties["from"].to_numpy(dtype=object)
    ends_to = ties["to"].to_numpy(dtype=object)
    in_from = around.within(ties["from"])
    in_to = around.within(ties["to"])
    first = ties["from"].map(order).to_numpy() <= ties["to"].map(order).to_numpy()
    from_is_unit = in_from & (~in_to | first)
    unit = pd.Series(np.where(from_is_unit, ends_from, ends_to), dtype="str")
    partner = pd.Series(np.where(from_is_unit, ends_to, ends_from), dtype="str")
    by_id = units.set_index("id")
    table = pd.DataFrame(
        {
            "unit": unit,
            "name": unit.map(by_id["name"]),
            "partner": partner,
            "partner_name": partner.map(by_id["name"]),
            "partner_kind": partner.map(by_id["kind"]),
            "partner_kreis": partner.map(network.kreis),
            "tie_kind": ties["kind"],
            "intensity": ties["intensity"],
            "scope": ties["scope"],
        }
    )
    for column in ("since", "until"):
        if column in ties.columns:
            table[column] = ties[column]
    keys = pd.DataFrame(
        {
            "unit": unit.map(order),
            "intensity": ties["intensity"].map(_INTENSITY).fillna(len(_INTENSITY)),
            "partner": partner.map(order),
            "kind": ties["kind"].map({kind: i for i, kind in enumerate(TIE_KINDS)}),
        }
    )
    rows = np.lexsort([keys[c].to_numpy() for c in reversed(keys.columns)])
    return table.iloc[rows].reset_index(drop=True)


def focus_position(report: Report, network: Network, around: Focus) -> pd.DataFrame:
    """Place the focus unit among the units of its kind, measure by measure.

    The measures come from the tables already in ``report``: ``degree``, ``neighbours``,
    ``betweenness`` and ``closeness`` (``structure_units``), ``brokerage`` (the total of
    ``brokerage_units``; a unit missing there brokers nowhere and counts 0), ``internal``,
    ``external`` and ``ei`` (ties inside and across its Kreis and their E-I index,
    ``kreis_ei_units``). A measure whose table the report lacks (its family was not chosen),
    or that the table does not give for the focus unit (a forum has no E-I index; a Land
    key without a unit has no row anywhere), is left out, so the table may be empty.

    Parameters
    ----------
    report
        The report the measures are read from.
    network
        The network of the report (for the kinds of the units).
    around
        The focus (`netkoop.model.focus.focus`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure``, columns `POSITION_COLUMNS`: ``value`` (float); ``rank``
        among the units of the same kind (1 = highest; equal values share the lowest rank,
        as pandas' ``rank(method="min", ascending=False)``); ``units`` (the units of that
        kind with a defined value); ``percentile`` (the percent of those units whose value
        is smaller, 0 to 100); and ``role``, on the ``brokerage`` row the main brokerage
        role (see `netkoop.metrics.brokerage.ROLES`; the first of the roles with most
        brokerage, missing without any). An undefined value (the E-I index of a unit
        without counted ties) stays missing, with ``rank`` and ``percentile`` missing.

    Examples
    --------
    >>> from netkoop.metrics import metrics_report
    >>> from netkoop.model.focus import focus
    >>> net = netkoop.load("beispielregion")
    >>> report = metrics_report(net, metrics=["structure", "brokerage"])
    >>> position = focus_position(report, net, focus(net, "auenfeld"))
    >>> position.loc["brokerage", ["value", "rank", "units", "role"]].map(str).tolist()
    ['11.0', '1', '8', 'coordinator']
    >>> float(position.at["degree", "percentile"])  # 5 ties, the 7 other Gemeinden fewer
    87.5
    """
    kinds = network.units.set_index("id")["kind"]
    same = kinds.index[kinds == around.kind]
    rows: dict[str, dict[str, Any]] = {}
    for measure, name, column in _MEASURES:
        table = report.tables.get(name)
        if table is None or around.key not in same:
            continue
        if name == "brokerage_units":
            values = table[column].reindex(same, fill_value=0)
        elif around.key in table.index:
            values = table[column].reindex(table.index.intersection(same))
        else:
            continue
        rows[measure] = _ranked(values.astype("float64"), around.key)
        if name == "brokerage_units":
            rows[measure]["role"] = main_role(table, around.key)
    columns = {
        "value": pd.Series([row["value"] for row in rows.values()], dtype="float64"),
        "rank": pd.Series([row["rank"] for row in rows.values()], dtype="Int64"),
        "units": pd.Series([row["units"] for row in rows.values()], dtype="int64"),
        "percentile": pd.Series([row["percentile"] for row in rows.values()], dtype="float64"),
        "role": pd.Series([row["role"] for row in rows.values()], dtype="object"),
    }
    return pd.DataFrame(columns).set_axis(pd.Index(list(rows), name="measure", dtype="str"))


def _ranked(values: pd.Series, key: str) -> dict[str, Any]:
    """The value of ``key`` with its rank and percentile among the defined ``values``."""
    defined = values.dropna()
    value = float(values.get(key, math.nan))
    if math.isnan(value):
        return {
            "value": value,
            "rank": pd.NA,
            "units": len(defined),
            "percentile": math.nan,
            "role": None,
        }
    return {
        "value": value,
        "rank": int((defined > value).sum()) + 1,
        "units": len(defined),
        "percentile": 100 * int((defined < value).sum()) / len(defined),
        "role": None,
    }


def add_focus(report: Report, network: Network, around: Focus) -> None:
    """Add the section ``focus`` to ``report``: the profile of the focus, from the tables the
    report already holds (no measure is computed again).

    Values ``focus.key``, ``focus.name``, ``focus.kind``, ``focus.kreis`` (None for a forum
    or a Land), ``focus.units`` (units in its area), ``focus.partners`` (units outside the
    area tied to it), ``focus.ties`` (ties with an end in the area), ``focus.ties_inside``
    and ``focus.ties_across`` (of these, inside the Kreis of their unit and across its
    border) and, when the report has brokerage, ``focus.role`` (the main brokerage role of
    the unit, None when it brokers nowhere); tables ``focus_partners`` (`focus_partners`)
    and ``focus_position`` (`focus_position`).

    Examples
    --------
    >>> from netkoop.metrics import metrics_report
    >>> report = metrics_report(netkoop.load("beispielregion"), metrics=[], focus="lk-nord")
    >>> report.values["focus.name"], report.values["focus.ties"], report.values["focus.partners"]
    ('Landkreis Nordheide', 11, 3)
    """
    partners = focus_partners(network, around)
    outside = partners.loc[~around.within(partners["partner"]), "partner"]
    position = focus_position(report, network, around)
    values: dict[str, Any] = {
        "key": around.key,
        "name": around.name,
        "kind": around.kind,
        "kreis": around.kreis,
        "units": len(around.area),
        "partners": outside.nunique(),
        "ties": len(partners),
        "ties_inside": int((partners["scope"] == "inside").sum()),
        "ties_across": int((partners["scope"] == "across").sum()),
    }
    if "brokerage" in position.index:
        values["role"] = position.loc["brokerage", "role"]
    report.add("focus", values, partners=partners, position=position)
