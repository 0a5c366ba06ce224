"""Edits: interventions that add or remove ties and units by list or by rule, or set attributes.

Each is registered with `netkoop.interventions.registry.intervention`, so that scenario files
name it in ``interventions:`` with the same options.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.interventions.registry import intervention
from netkoop.interventions.selection import (
    candidate_pairs,
    choices,
    ends_match,
    pair_keys,
    pair_mask,
)
from netkoop.model.network import Network, Rows
from netkoop.model.schema import UNITS
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, UNIT_VALUES, select_tie_kinds

#: Unit columns that `set_attributes` refuses: changing them changes the network's structure.
STRUCTURAL_COLUMNS: frozenset[str] = frozenset({"id", "kind", "land", "parent"})


@intervention(rows="rows")
def add_ties(network: Network, *, rows: Rows) -> Network:
    """Return a new network with the ties in ``rows`` added; see `Network.add_ties`."""
    return network.add_ties(rows)


@intervention(rows="rows")
def remove_ties(network: Network, *, rows: Rows) -> Network:
    """Return a new network without the ties ``rows`` describe; see `Network.remove_ties`."""
    return network.remove_ties(rows)


@intervention(rows="rows")
def add_units(network: Network, *, rows: Rows) -> Network:
    """Return a new network with the units in ``rows`` added; see `Network.add_units`."""
    return network.add_units(rows)


@intervention(ids="names")
def remove_units(network: Network, *, ids: str | Iterable[str]) -> Network:
    """Return a new network without the units ``ids`` and their ties and flows; see
    `Network.remove_units`."""
    return network.remove_units(ids)


@intervention(
    kind="text",
    from_kinds="names",
    to_kinds="names",
    same_kreis="flag",
    adjacent="flag",
    min_commuters="number",
    attributes="mapping",
)
def add_ties_where(
    network: Network,
    *,
    kind: str,
    from_kinds: str | Iterable[str] | None = None,
    to_kinds: str | Iterable[str] | None = None,
    same_kreis: bool | None = None,
    adjacent: bool | None = None,
    min_commuters: float | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Network:
    """Return a new network with a tie of ``kind`` between every pair of units a rule selects.

    A rule left as None does not restrict. A pair that already has a tie of ``kind`` gets no
    second one (same direction for directed kinds, either direction otherwise).

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    kind
        The tie kind to add.
    from_kinds, to_kinds
        Unit kinds of the two ends. For directed kinds the tie runs from a ``from_kinds`` unit
        to a ``to_kinds`` unit; for undirected kinds either end may be either.
    same_kreis
        True: both units lie in the same Kreis; False: both lie in a Kreis, different ones.
        Units outside any Kreis (Länder, forums) pass neither.
    adjacent
        True: the two units' Kreise share a border (from ``network.borders``); False: both lie
        in a Kreis and their Kreise do not share one (the same Kreis counts as not adjacent).
    min_commuters
        At least this many commuters between the two units, both directions summed (flows
        between the units' own ids).
    attributes
        Tie attributes for every added tie, e.g. ``{"funding": "project", "source": "plan"}``.

    Returns
    -------
    A new network; added ties follow the existing ones, sorted by their ends.

    Raises
    ------
    NetworkEditError
        When a kind is unknown, ``attributes`` names from, to or kind, or ``adjacent`` is asked
        of a network without borders.
    ScenarioError
        When an attribute value is not allowed.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> more = add_ties_where(net, kind="exchange", from_kinds="landkreis",
    ...                       to_kinds="kreisfreie_stadt", min_commuters=10_000)
    >>> more.ties[["from", "to"]].tail(1).to_numpy().tolist()
    [['lk-nord', 'musterstadt']]
    """
    (tie_kind,) = select_tie_kinds([kind])
    extra = dict(attributes or {})
    reserved = sorted({"from", "to", "kind"} & extra.keys())
    if reserved:
        raise NetworkEditError(f"add_ties_where: attributes may not set {', '.join(reserved)}")
    units = network.units
    directed = tie_kind in DIRECTED_TIE_KINDS
    candidates = candidate_pairs(network, same_kreis=same_kreis, min_commuters=min_commuters)
    kind_of = pd.Series(units["kind"].to_numpy(), index=units["id"].to_numpy())
    keep = ends_match(candidates, kind_of, from_kinds, to_kinds)
    pairs = candidates[keep & (candidates["from"] != candidates["to"]).to_numpy()]
    pairs = pairs.reset_index(drop=True)
    pairs = pairs[
        pair_mask(
            network,
            pairs["from"],
            pairs["to"],
            same_kreis=same_kreis,
            adjacent=adjacent,
            min_commuters=min_commuters,
        )
    ]
    key = pair_keys(pairs["from"], pairs["to"], ordered=directed)
    pairs = pairs.assign(_key=key.to_numpy(), _flip=(pairs["from"] > pairs["to"]).to_numpy())
    # Of the two orientations of an undirected pair, keep the one whose from sorts first.
    pairs = pairs.sort_values(["_key", "_flip"], kind="stable").drop_duplicates("_key")
    ties = network.ties
    same_kind = ties[ties["kind"] == tie_kind]
    existing = pair_keys(same_kind["from"], same_kind["to"], ordered=directed)
    pairs = pairs[~pairs["_key"].isin(existing)]
    if pairs.empty:
        return network.with_tables()
    rows = pd.DataFrame(
        {"from": pairs["from"].to_numpy(), "to": pairs["to"].to_numpy(), "kind": tie_kind}
    )
    for name, value in extra.items():
        rows[name] = value
    return network.add_ties(rows)


@intervention(
    kinds="names",
    from_kinds="names",
    to_kinds="names",
    same_kreis="flag",
    adjacent="flag",
    funding="names",
)
def remove_ties_where(
    network: Network,
    *,
    kinds: str | Iterable[str] | None = None,
    from_kinds: str | Iterable[str] | None = None,
    to_kinds: str | Iterable[str] | None = None,
    same_kreis: bool | None = None,
    adjacent: bool | None = None,
    funding: str | Iterable[str] | None = None,
) -> Network:
    """Return a new network without the ties that match every rule given.

    Rules are those of `add_ties_where`; a rule left as None does not restrict, and at least
    one rule must be given. Matching no tie is not an error: the copy has every tie.

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    kinds
        Tie kinds to remove.
    from_kinds, to_kinds
        Unit kinds of the ends (directed ties in their direction, others either way round).
    same_kreis, adjacent
        As in `add_ties_where`.
    funding
        Funding values (voluntary, project, mandatory); ties without funding match none.

    Raises
    ------
    NetworkEditError
        When no rule is given, or a kind or funding value is unknown.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> fewer = remove_ties_where(net, kinds="exchange", same_kreis=False)
    >>> len(net.ties) - len(fewer.ties)
    2
    """
    rules = (kinds, from_kinds, to_kinds, same_kreis, adjacent, funding)
    if all(rule is None for rule in rules):
        raise NetworkEditError("remove_ties_where: give at least one rule; none would remove all")
    ties = network.ties
    mask = np.ones(len(ties), dtype=bool)
    if kinds is not None:
        mask &= ties["kind"].isin(select_tie_kinds(kinds)).to_numpy()
    if funding is not None:
        mask &= ties["funding"].isin(choices(funding, "funding")).fillna(False).to_numpy()
    if from_kinds is not None or to_kinds is not None:
        units = network.units
        kind_of = pd.Series(units["kind"].to_numpy(), index=units["id"].to_numpy())
        forward = ends_match(ties, kind_of, from_kinds, to_kinds)
        backward = ends_match(ties, kind_of, to_kinds, from_kinds)
        undirected = ~ties["kind"].isin(DIRECTED_TIE_KINDS).to_numpy()
        mask &= forward | (backward & undirected)
    mask &= pair_mask(network, ties["from"], ties["to"], same_kreis=same_kreis, adjacent=adjacent)
    return network.with_tables(ties=ties[~mask].reset_index(drop=True))


@intervention(ids="names", values="mapping")
def set_attributes(network: Network, ids: str | Iterable[str], **values: Any) -> Network:
    """Return a new network in which the given units have the given attribute values.

    A new attribute column is typed by its value (bool, int, float or text) and is missing
    for the other units. Known columns keep their type and allowed values.

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    ids
        Unit ids (one or several).
    **values
        Column name and value, e.g. ``coordination_office="permanent"``; None makes it missing.

    Raises
    ------
    NetworkEditError
        When an id names no unit, a column is structural (id, kind, land, parent) or a value
        does not fit the column.

    Examples
    --------
    >>> net = set_attributes(netkoop.load("beispielregion"), "gruenau", case_management=True)
    >>> net.units.set_index("id").loc[["gruenau", "moorhausen"], "case_management"].tolist()
    [True, <NA>]
    """
    chosen = pd.Index([ids] if isinstance(ids, str) else list(ids))
    units = network.units
    unknown = chosen.difference(pd.Index(units["id"]))
    if len(unknown):
        raise NetworkEditError(f"set_attributes: unknown unit id(s): {', '.join(unknown)}")
    structural = sorted(STRUCTURAL_COLUMNS & values.keys())
    if structural:
        raise NetworkEditError(
            f"set_attributes: {', '.join(structural)} cannot be set; "
            "remove the unit and add it again instead"
        )
    rows = units["id"].isin(chosen).to_numpy()
    changed = {}
    for name, value in values.items():
        column = units[name] if name in units.columns else _empty_like(value, len(units))
        changed[name] = _assign(column, rows, value, name)
    return network.with_tables(units=units.assign(**changed))


# --- helpers ------------------------------------------------------------------------------


def _empty_like(value: Any, length: int) -> pd.Series:
    """Return an all-missing column of the type that ``value`` calls for."""
    if isinstance(value, bool | np.bool_):
        dtype = "boolean"
    elif isinstance(value, int | np.integer):
        dtype = "Int64"
    elif isinstance(value, float | np.floating):
        dtype = "float64"
    else:
        dtype = "str"
    return pd.Series([None] * length, dtype=dtype)


def _assign(column: pd.Series, rows: np.ndarray, value: Any, name: str) -> pd.Series:
    """Return ``column`` with ``value`` at ``rows``, refusing values that do not fit it."""
    dtype = column.dtype
    missing = value is None or value is pd.NA
    fits = missing or (
        isinstance(value, bool | np.bool_)
        if pd.api.types.is_bool_dtype(dtype)
        else isinstance(value, int | np.integer) and not isinstance(value, bool)
        if pd.api.types.is_integer_dtype(dtype)
        else isinstance(value, int | float | np.number) and not isinstance(value, bool)
        if pd.api.types.is_float_dtype(dtype)
        else isinstance(value, str)
        if pd.api.types.is_string_dtype(dtype)
        else False
    )
    if not fits:
        raise NetworkEditError(
            f"set_attributes: {name}={value!r} does not fit the column's type ({dtype})"
        )
    allowed = UNIT_VALUES.get(name)
    if allowed is not None and not missing and value not in allowed:
        raise NetworkEditError(
            f"set_attributes: {name}={value!r} is not allowed; allowed: {', '.join(allowed)}"
        )
    spec = UNITS.column(name)
    if spec is not None and not missing and isinstance(value, int | float | np.number):
        low = -np.inf if spec.low is None else spec.low
        high = np.inf if spec.high is None else spec.high
        if not low <= value <= high:
            raise NetworkEditError(f"set_attributes: {name}={value!r} lies outside {low}..{high}")
    if name == "name" and missing:
        raise NetworkEditError("set_attributes: every unit needs a name")
    result = column.copy()
    result[rows] = pd.NA if missing and not pd.api.types.is_string_dtype(dtype) else value
    return result
