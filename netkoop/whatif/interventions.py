"""Interventions: functions that take a network and return a changed copy of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.keys import LAND_NAMES
from netkoop.network import Network, tie_keys
from netkoop.schema import UNITS
from netkoop.vocabulary import (
    DIRECTED_TIE_KINDS,
    KREIS_KINDS,
    TIE_VALUES,
    UNIT_VALUES,
    select_tie_kinds,
    select_unit_kinds,
)

#: Unit columns that `set_attributes` refuses: changing them changes the network's structure.
STRUCTURAL_COLUMNS: frozenset[str] = frozenset({"id", "kind", "land", "parent"})

#: The attributes of the ties that `mandate` adds.
MANDATE_TIE: Mapping[str, str] = {
    "intensity": "regular",
    "level": "operational",
    "funding": "mandatory",
    "source": "mandate",
}

_SEP = "\x1f"  # joins two ids into one pair key; cannot occur in a unit id read from a table


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
    >>> import netkoop
    >>> from netkoop.whatif import add_ties_where
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
    candidates = _candidates(network, same_kreis=same_kreis, min_commuters=min_commuters)
    kind_of = pd.Series(units["kind"].to_numpy(), index=units["id"].to_numpy())
    keep = _ends_match(candidates, kind_of, from_kinds, to_kinds)
    pairs = candidates[keep & (candidates["from"] != candidates["to"]).to_numpy()]
    pairs = pairs.reset_index(drop=True)
    pairs = pairs[
        _pair_mask(
            network,
            pairs["from"],
            pairs["to"],
            same_kreis=same_kreis,
            adjacent=adjacent,
            min_commuters=min_commuters,
        )
    ]
    key = _pair_keys(pairs["from"], pairs["to"], ordered=directed)
    pairs = pairs.assign(_key=key.to_numpy(), _flip=(pairs["from"] > pairs["to"]).to_numpy())
    # Of the two orientations of an undirected pair, keep the one whose from sorts first.
    pairs = pairs.sort_values(["_key", "_flip"], kind="stable").drop_duplicates("_key")
    ties = network.ties
    same_kind = ties[ties["kind"] == tie_kind]
    existing = _pair_keys(same_kind["from"], same_kind["to"], ordered=directed)
    pairs = pairs[~pairs["_key"].isin(existing)]
    if pairs.empty:
        return _replace(network)
    rows = pd.DataFrame(
        {"from": pairs["from"].to_numpy(), "to": pairs["to"].to_numpy(), "kind": tie_kind}
    )
    for name, value in extra.items():
        rows[name] = value
    return network.add_ties(rows)


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
    >>> import netkoop
    >>> from netkoop.whatif import remove_ties_where
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
        mask &= ties["funding"].isin(_choices(funding, "funding")).fillna(False).to_numpy()
    if from_kinds is not None or to_kinds is not None:
        units = network.units
        kind_of = pd.Series(units["kind"].to_numpy(), index=units["id"].to_numpy())
        forward = _ends_match(ties, kind_of, from_kinds, to_kinds)
        backward = _ends_match(ties, kind_of, to_kinds, from_kinds)
        undirected = ~ties["kind"].isin(DIRECTED_TIE_KINDS).to_numpy()
        mask &= forward | (backward & undirected)
    mask &= _pair_mask(network, ties["from"], ties["to"], same_kreis=same_kreis, adjacent=adjacent)
    return _replace(network, ties=ties[~mask].reset_index(drop=True))


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
    >>> import netkoop
    >>> from netkoop.whatif import set_attributes
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
    return _replace(network, units=units.assign(**changed))


def mandate(
    network: Network,
    *,
    kreise: str | Iterable[str] | None = None,
    coordination: bool = True,
    planning: bool = True,
    case_management: bool = True,
    forum: bool = True,
) -> Network:
    """Return a new network in which integration is a mandatory task of the chosen Kreise.

    "Integration als Pflichtaufgabe" (Kühn, Schammann, Bendel 2024). Each chosen Kreis gets the
    building blocks asked for:

    - ``coordination``: ``coordination_office`` becomes ``"mandatory"`` (a permanent office
      that the law requires, so no budget decision can cut it);
    - ``planning``: ``planning_mandate`` becomes True;
    - ``case_management``: ``case_management`` becomes True;
    - always: an exchange tie (intensity regular, level operational, funding mandatory, source
      mandate) to each of its kreisangehörige Gemeinden that has no exchange tie with it yet;
      the exchange ties it has with them already keep their attributes but are now funded
      as ``"mandatory"`` (the duty pays for them, so a `budget_shock` cannot end them);
    - ``forum``: membership (regular, funding mandatory, source mandate) in its Land forum, the
      first forum unit of the same Land in table order. When the Land has none, a forum
      ``forum-<land>`` named "Landesnetzwerk Integration <Land>" is added. A membership it
      holds already becomes mandatory too.

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    kreise
        Ids of Landkreise and kreisfreie Städte; all of them when omitted.
    coordination, planning, case_management, forum
        Which building blocks to add.

    Raises
    ------
    NetworkEditError
        When an id in ``kreise`` is not a Landkreis or kreisfreie Stadt of the network.

    Examples
    --------
    >>> import netkoop
    >>> from netkoop.whatif import mandate
    >>> net = mandate(netkoop.load("beispielregion"), kreise="lk-sued")
    >>> net.ties[net.ties["source"] == "mandate"][["from", "to"]].to_numpy().tolist()
    [['lk-sued', 'gruenau'], ['lk-sued', 'heidbrueck']]
    """
    units = network.units
    is_kreis = units["kind"].isin(KREIS_KINDS)
    if kreise is None:
        chosen = units.loc[is_kreis, "id"].tolist()
    else:
        chosen = [kreise] if isinstance(kreise, str) else list(dict.fromkeys(kreise))
        bad = sorted(set(chosen) - set(units.loc[is_kreis, "id"]))
        if bad:
            raise NetworkEditError(
                f"mandate: not a Landkreis or kreisfreie Stadt of the network: {', '.join(bad)}"
            )
    attributes: dict[str, Any] = {}
    if coordination:
        attributes["coordination_office"] = "mandatory"
    if planning:
        attributes["planning_mandate"] = True
    if case_management:
        attributes["case_management"] = True
    result = set_attributes(network, chosen, **attributes) if attributes else _replace(network)

    gemeinden = units[(units["kind"] == "gemeinde") & units["parent"].isin(chosen)]
    order = {k: i for i, k in enumerate(chosen)}
    gemeinden = gemeinden.assign(_order=gemeinden["parent"].map(order)).sort_values(
        "_order", kind="stable"
    )
    keys = _pair_keys(gemeinden["parent"], gemeinden["id"], ordered=False)
    ties = result.ties
    exchange = ties["kind"] == "exchange"
    duty = exchange & _pair_keys(ties["from"], ties["to"], ordered=False).isin(keys)
    linked = _pair_keys(ties["from"][exchange], ties["to"][exchange], ordered=False)
    missing = ~keys.isin(linked).to_numpy()
    new = [
        {"from": k, "to": g, "kind": "exchange", **MANDATE_TIE}
        for k, g in zip(gemeinden["parent"][missing], gemeinden["id"][missing], strict=True)
    ]
    if forum:
        result, joins, members = _join_land_forums(result, chosen)
        new.extend(joins)
        duty = duty | members
    if duty.any():
        result = _replace(result, ties=ties.assign(funding=ties["funding"].mask(duty, "mandatory")))
    return result.add_ties(new) if new else result


def shared_position(
    network: Network,
    gemeinden: Iterable[str],
    *,
    funding: str | None = "project",
    since: str | None = None,
) -> Network:
    """Return a new network with a ``shared_staff`` tie between every pair of the given units.

    A shared position (e.g. Flüchtlingssozialarbeit shared by small Gemeinden) ties each pair
    of the units that share it. Pairs that already have a shared_staff tie get no second one.

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    gemeinden
        Ids of the units sharing the position (two or more).
    funding
        Funding of the new ties (voluntary, project or mandatory; None leaves it missing).
    since
        Start of the position, e.g. ``"2025"`` or ``"2025-01-01"``.

    Raises
    ------
    NetworkEditError
        When fewer than two distinct ids are given or an id names no unit.

    Examples
    --------
    >>> import netkoop
    >>> from netkoop.whatif import shared_position
    >>> net = shared_position(netkoop.load("beispielregion"), ["gruenau", "moorhausen"])
    >>> net.ties.iloc[-1][["from", "to", "kind", "funding"]].tolist()
    ['gruenau', 'moorhausen', 'shared_staff', 'project']
    """
    ids = list(dict.fromkeys(gemeinden))
    if len(ids) < 2:
        raise NetworkEditError("shared_position: a shared position needs two or more units")
    unknown = sorted(set(ids) - set(network.units["id"]))
    if unknown:
        raise NetworkEditError(f"shared_position: unknown unit id(s): {', '.join(unknown)}")
    ties = network.ties
    staff = ties[ties["kind"] == "shared_staff"]
    existing = set(_pair_keys(staff["from"], staff["to"], ordered=False))
    rows = [
        {"from": a, "to": b, "kind": "shared_staff", "funding": funding, "since": since}
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if _key(a, b) not in existing
    ]
    return network.add_ties(rows) if rows else _replace(network)


def budget_shock(
    network: Network,
    *,
    voluntary: float = 0.5,
    project: float = 0.8,
    seed: int | np.random.Generator | None = 0,
    offices: bool = True,
) -> Network:
    """Return a new network in which voluntary and project-funded structures may have ended.

    Each tie disappears independently: with probability ``voluntary`` when its funding is
    voluntary or missing (without a legal duty it is cut first), with probability ``project``
    when it is project-funded; mandatory ties always stay. With ``offices``, a project-funded
    coordination office becomes ``"none"`` with probability ``project``; permanent and
    mandatory offices stay.

    The draws are common random numbers: the seed gives every tie (its two units, kind and
    rank among parallel ties of that kind) and every unit one number from 0 to 1, whatever
    else the network holds, and a tie ends when its number lies below its probability. Under
    the same seed, a tie that two scenarios share meets the same fate in both unless its
    funding differs, and a higher probability ends a superset of the ties a lower one ends.
    So two scenarios shocked with the same seeds differ by what the scenarios change, not by
    luck.

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    voluntary, project
        Probabilities of ending, from 0 to 1.
    seed
        Seed of ``numpy.random.default_rng`` (or a Generator to draw from); the same seed
        gives the same result.
    offices
        Also end project-funded coordination offices.

    Raises
    ------
    NetworkEditError
        When a probability lies outside 0 to 1.

    Examples
    --------
    >>> import netkoop
    >>> from netkoop.whatif import budget_shock
    >>> net = netkoop.load("beispielregion")
    >>> after = budget_shock(net, voluntary=1, project=1)
    >>> sorted(set(after.ties["funding"]))
    ['mandatory']
    >>> budget_shock(net, seed=7).equals(budget_shock(net, seed=7))
    True
    """
    for name, p in (("voluntary", voluntary), ("project", project)):
        if not 0 <= p <= 1:
            raise NetworkEditError(f"budget_shock: {name} is a probability from 0 to 1; got {p}")
    tie_word, office_word = np.random.default_rng(seed).integers(0, 2**64, size=2, dtype=np.uint64)
    ties = network.ties
    funding = ties["funding"]
    chance = np.where(
        (funding == "mandatory").fillna(False).to_numpy(),
        0.0,
        np.where((funding == "project").fillna(False).to_numpy(), project, voluntary),
    )
    ends = keyed_uniforms(tie_keys(ties), tie_word) < chance
    changed = {"ties": ties[~ends].reset_index(drop=True)}
    units = network.units
    if offices and "coordination_office" in units.columns:
        draws = keyed_uniforms(units["id"], office_word)
        cut = (units["coordination_office"] == "project").fillna(False).to_numpy() & (
            draws < project
        )
        if cut.any():
            office = units["coordination_office"].mask(cut, "none")
            changed["units"] = units.assign(coordination_office=office)
    return _replace(network, **changed)


def keyed_uniforms(keys: pd.Series, word: np.uint64) -> np.ndarray:
    """Return one number in [0, 1) per key, determined by the key and ``word`` alone.

    Keys are hashed with pandas' stable SipHash (the same in every process and on every
    machine), mixed with ``word`` and scrambled by the SplitMix64 finaliser; the top 53 bits
    make the float. Equal keys get equal numbers under the same word.
    """
    hashed = pd.util.hash_pandas_object(keys.astype("str"), index=False).to_numpy(np.uint64)
    with np.errstate(over="ignore"):
        x = hashed ^ np.uint64(word)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


# --- helpers ------------------------------------------------------------------------------


def _replace(network: Network, **tables: pd.DataFrame) -> Network:
    """Return a new network with some tables replaced (the input's tables are not touched)."""
    return Network(dataclasses.replace(network.tables(), **tables), network.metadata)


def _key(a: str, b: str) -> str:
    return f"{a}{_SEP}{b}" if a <= b else f"{b}{_SEP}{a}"


def _pair_keys(a: pd.Series, b: pd.Series, *, ordered: bool) -> pd.Series:
    """Join two id columns into one key per row; unordered keys put the smaller id first."""
    a = pd.Series(a.to_numpy(), dtype="str")
    b = pd.Series(b.to_numpy(), dtype="str")
    if ordered:
        return a + _SEP + b
    swap = (a > b).fillna(False)
    return a.where(~swap, b) + _SEP + b.where(~swap, a)


def _choices(value: str | Iterable[str], name: str) -> list[str]:
    chosen = [value] if isinstance(value, str) else [str(v) for v in value]
    allowed = TIE_VALUES[name]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise NetworkEditError(
            f"{name}: unknown value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    return chosen


def _ends_match(
    pairs: pd.DataFrame,
    kind_of: pd.Series,
    from_kinds: str | Iterable[str] | None,
    to_kinds: str | Iterable[str] | None,
) -> np.ndarray:
    """Tell per row whether from has one of ``from_kinds`` and to one of ``to_kinds``."""
    mask = np.ones(len(pairs), dtype=bool)
    for end, kinds in (("from", from_kinds), ("to", to_kinds)):
        chosen = select_unit_kinds(kinds, option=f"{end}_kinds")
        if chosen is not None:
            mask &= pairs[end].map(kind_of).isin(chosen).fillna(False).to_numpy()
    return mask


def _candidates(
    network: Network, *, same_kreis: bool | None, min_commuters: float | None
) -> pd.DataFrame:
    """Return ordered pairs of unit ids that may pass the rules, both orientations.

    Restricting to pairs with flows or in the same Kreis first keeps national networks
    (10,000 Gemeinden, 10^8 pairs) tractable; the rules are applied in full afterwards.
    """
    units = network.units
    if min_commuters is not None and min_commuters > 0:
        flows = network.flows
        known = set(units["id"])
        pairs = pd.DataFrame({"from": flows["from"].to_numpy(), "to": flows["to"].to_numpy()})
        pairs = pd.concat([pairs, pairs.rename(columns={"from": "to", "to": "from"})])
        pairs = pairs[pairs["from"].isin(known) & pairs["to"].isin(known)]
        return pairs.drop_duplicates().reset_index(drop=True)
    ids = units[["id"]]
    if same_kreis:
        kreis = network.kreis.dropna()
        members = pd.DataFrame({"id": kreis.index.to_numpy(), "kreis": kreis.to_numpy()})
        merged = members.merge(members, on="kreis", suffixes=("_a", "_b"))
        return pd.DataFrame({"from": merged["id_a"], "to": merged["id_b"]})
    merged = ids.merge(ids, how="cross", suffixes=("_a", "_b"))
    return pd.DataFrame({"from": merged["id_a"], "to": merged["id_b"]})


def _pair_mask(
    network: Network,
    a: pd.Series,
    b: pd.Series,
    *,
    same_kreis: bool | None,
    adjacent: bool | None,
    min_commuters: float | None = None,
) -> np.ndarray:
    """Tell per pair (a, b) whether it passes the Kreis, border and commuter rules."""
    mask = np.ones(len(a), dtype=bool)
    if same_kreis is not None or adjacent is not None:
        kreis = network.kreis
        ka = pd.Series(a.to_numpy(), dtype="str").map(kreis)
        kb = pd.Series(b.to_numpy(), dtype="str").map(kreis)
        both = (ka.notna() & kb.notna()).to_numpy()
        if same_kreis is not None:
            same = (ka == kb).fillna(False).to_numpy() & both
            mask &= same if same_kreis else both & ~same
        if adjacent is not None:
            borders = network.borders
            if borders.empty:
                raise NetworkEditError(
                    "adjacent: the network has no borders; add them (e.g. with the adjacency "
                    "importer) to select adjacent Kreise"
                )
            near = _pair_keys(borders["from"], borders["to"], ordered=False)
            hit = _pair_keys(ka, kb, ordered=False).isin(near).fillna(False).to_numpy() & both
            mask &= hit if adjacent else both & ~hit
    if min_commuters is not None:
        flows = network.flows
        keys = _pair_keys(flows["from"], flows["to"], ordered=False)
        totals = flows["commuters"].groupby(keys.to_numpy()).sum()
        got = _pair_keys(a, b, ordered=False).map(totals).fillna(0).astype("float64")
        mask &= (got >= min_commuters).to_numpy()
    return mask


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


def _join_land_forums(
    network: Network, kreise: list[str]
) -> tuple[Network, list[dict[str, Any]], pd.Series]:
    """Return the network with any missing Land forums added, the membership ties to add, and
    which of its ties are memberships of the Kreise in their Land forum already."""
    units = network.units
    land_of = units.set_index("id")["land"]
    forums = units[units["kind"] == "forum"].dropna(subset=["land"])
    forum_of = forums.drop_duplicates("land").set_index("land")["id"].to_dict()
    lands = [str(land) for land in dict.fromkeys(land_of[kreise].dropna())]
    created = [
        {
            "id": f"forum-{land}",
            "name": f"Landesnetzwerk Integration {LAND_NAMES.get(land, land)}",
            "kind": "forum",
            "land": land,
        }
        for land in lands
        if land not in forum_of
    ]
    if created:
        network = network.add_units(created)
        forum_of.update({row["land"]: row["id"] for row in created})
    ties = network.ties
    members = ties[ties["kind"] == "membership"]
    existing = set(_pair_keys(members["from"], members["to"], ordered=True))
    joins = []
    wanted = set()
    for kreis in kreise:
        land = land_of[kreis]
        if pd.isna(land):
            continue
        target = forum_of[str(land)]
        wanted.add(f"{kreis}{_SEP}{target}")
        if f"{kreis}{_SEP}{target}" not in existing:
            joins.append({"from": kreis, "to": target, "kind": "membership", **_MEMBERSHIP})
    held = (ties["kind"] == "membership") & _pair_keys(ties["from"], ties["to"], ordered=True).isin(
        wanted
    )
    return network, joins, held


_MEMBERSHIP: Mapping[str, str] = {
    "intensity": "regular",
    "funding": "mandatory",
    "source": "mandate",
}
