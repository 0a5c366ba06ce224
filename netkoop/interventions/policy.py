"""Policy levers: integration as a mandatory task, shared positions, and budget shocks.

The what-if steps of "Integration als Pflichtaufgabe" (Kühn, Schammann, Bendel 2024): a
mandate that makes coordination permanent, positions shared by small Gemeinden, and the
end of voluntary and fixed-term money.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.interventions.edits import set_attributes
from netkoop.interventions.registry import intervention
from netkoop.interventions.selection import SEP, key, pair_keys
from netkoop.model.keys import LAND_NAMES
from netkoop.model.network import Network, tie_keys
from netkoop.model.vocabulary import KREIS_KINDS

#: The attributes of the ties that `mandate` adds.
MANDATE_TIE: Mapping[str, str] = {
    "intensity": "regular",
    "level": "operational",
    "funding": "mandatory",
    "source": "mandate",
}


@intervention(
    kreise="names",
    coordination="flag",
    planning="flag",
    case_management="flag",
    forum="flag",
)
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
    result = set_attributes(network, chosen, **attributes) if attributes else network.with_tables()

    gemeinden = units[(units["kind"] == "gemeinde") & units["parent"].isin(chosen)]
    order = {k: i for i, k in enumerate(chosen)}
    gemeinden = gemeinden.assign(_order=gemeinden["parent"].map(order)).sort_values(
        "_order", kind="stable"
    )
    keys = pair_keys(gemeinden["parent"], gemeinden["id"], ordered=False)
    ties = result.ties
    exchange = ties["kind"] == "exchange"
    duty = exchange & pair_keys(ties["from"], ties["to"], ordered=False).isin(keys)
    linked = pair_keys(ties["from"][exchange], ties["to"][exchange], ordered=False)
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
        result = result.with_tables(
            ties=ties.assign(funding=ties["funding"].mask(duty, "mandatory"))
        )
    return result.add_ties(new) if new else result


@intervention(gemeinden="names", funding="text", since="text")
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
    existing = set(pair_keys(staff["from"], staff["to"], ordered=False))
    rows = [
        {"from": a, "to": b, "kind": "shared_staff", "funding": funding, "since": since}
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if key(a, b) not in existing
    ]
    return network.add_ties(rows) if rows else network.with_tables()


@intervention(random=True, voluntary="number", project="number", seed="seed", offices="flag")
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
    return network.with_tables(**changed)


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
    existing = set(pair_keys(members["from"], members["to"], ordered=True))
    joins = []
    wanted = set()
    for kreis in kreise:
        land = land_of[kreis]
        if pd.isna(land):
            continue
        target = forum_of[str(land)]
        wanted.add(f"{kreis}{SEP}{target}")
        if f"{kreis}{SEP}{target}" not in existing:
            joins.append({"from": kreis, "to": target, "kind": "membership", **_MEMBERSHIP})
    held = (ties["kind"] == "membership") & pair_keys(ties["from"], ties["to"], ordered=True).isin(
        wanted
    )
    return network, joins, held


_MEMBERSHIP: Mapping[str, str] = {
    "intensity": "regular",
    "funding": "mandatory",
    "source": "mandate",
}
