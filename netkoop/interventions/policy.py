"""Policy levers: integration as a mandatory task, shared positions, and budget shocks.

The what-if steps of "Integration als Pflichtaufgabe" (Kühn, Schammann, Bendel 2024): a
mandate that makes coordination permanent, positions shared by small Gemeinden, and the
end of voluntary and fixed-term money.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError
from netkoop.interventions.edits import set_attributes
from netkoop.interventions.registry import intervention
from netkoop.interventions.selection import SEP, key, pair_keys
from netkoop.model.dates import begins, column_of, day_before, day_of, ends, office_days
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
    permanent="flag",
    since="date",
)
def mandate(
    network: Network,
    *,
    kreise: str | Iterable[str] | None = None,
    coordination: bool = True,
    planning: bool = True,
    case_management: bool = True,
    forum: bool = True,
    permanent: bool = False,
    since: str | None = None,
) -> Network:
    """Return a new network in which integration is a mandatory task of the chosen Kreise.

    "Integration als Pflichtaufgabe" (Kühn, Schammann, Bendel 2024). Each chosen Kreis gets the
    building blocks asked for:

    - ``coordination``: ``coordination_office`` becomes ``"mandatory"`` (a permanent office
      that the law requires, so no budget decision can cut it): its ``office_until`` is
      cleared, and with ``since`` an office not working on that date starts then;
    - ``planning``: ``planning_mandate`` becomes True;
    - ``case_management``: ``case_management`` becomes True;
    - always: an exchange tie (intensity regular, level operational, funding mandatory, source
      mandate) to each of its kreisangehörige Gemeinden that has no exchange tie with it yet;
      the exchange ties it has with them already keep their attributes but are now funded
      as ``"mandatory"`` (the duty pays for them, so a `budget_shock` cannot end them);
    - ``forum``: membership (regular, funding mandatory, source mandate) in its Land forum, the
      first forum unit of the same Land in table order. When the Land has none, a forum
      ``forum-<land>`` named "Landesnetzwerk Integration <Land>" is added. A membership it
      holds already becomes mandatory too;
    - ``permanent`` (Stellen werden entfristet): every project-funded tie the mandate touches
      (inside the Kreis, or of the Kreis itself) becomes mandatory and loses its ``until``,
      as do the exchange ties and memberships above; a project-funded office of the Kreis
      becomes mandatory without an end.

    With ``since`` the mandate comes into force on that date: the ties it adds begin then,
    a Gemeinde counts as tied to its Kreis when an exchange tie runs on that date or later,
    and ties and offices that ended before it keep their funding and end. A tie the mandate
    pays for that began earlier keeps its funding until the day before and continues from
    ``since`` as a mandatory tie of its own (appended after the ties), so the network before
    the mandate stays as it was. An office has one period only: it becomes mandatory for
    its whole period (from ``since`` when it was not working then).

    Parameters
    ----------
    network
        The network to start from; it is not changed.
    kreise
        Ids of Landkreise and kreisfreie Städte; all of them when omitted.
    coordination, planning, case_management, forum, permanent
        Which building blocks to add.
    since
        The date the mandate comes into force (a year, year-month or day); always when
        omitted.

    Raises
    ------
    NetworkEditError
        When an id in ``kreise`` is not a Landkreis or kreisfreie Stadt of the network, or
        ``since`` is not a date.

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
    day = None if since is None else day_of(since)
    attributes: dict[str, Any] = {}
    if coordination:
        attributes["coordination_office"] = "mandatory"
    if planning:
        attributes["planning_mandate"] = True
    if case_management:
        attributes["case_management"] = True
    result = set_attributes(network, chosen, **attributes) if attributes else network.with_tables()
    if coordination or permanent:
        result = _lasting_offices(result, network.units, chosen, day, project_only=not coordination)

    gemeinden = units[(units["kind"] == "gemeinde") & units["parent"].isin(chosen)]
    order = {k: i for i, k in enumerate(chosen)}
    gemeinden = gemeinden.assign(_order=gemeinden["parent"].map(order)).sort_values(
        "_order", kind="stable"
    )
    keys = pair_keys(gemeinden["parent"], gemeinden["id"], ordered=False)
    ties = result.ties
    running = np.ones(len(ties), dtype=bool) if day is None else ends(ties["until"]) >= day
    exchange = (ties["kind"] == "exchange").to_numpy() & running
    duty = exchange & pair_keys(ties["from"], ties["to"], ordered=False).isin(keys).to_numpy()
    linked = pair_keys(ties["from"][exchange], ties["to"][exchange], ordered=False)
    missing = ~keys.isin(linked).to_numpy()
    start = {} if since is None else {"since": since}
    new = [
        {"from": k, "to": g, "kind": "exchange", **MANDATE_TIE, **start}
        for k, g in zip(gemeinden["parent"][missing], gemeinden["id"][missing], strict=True)
    ]
    if forum:
        result, joins, members = _join_land_forums(result, chosen, running, start)
        new.extend(joins)
        duty = duty | members.to_numpy()
    if permanent:
        duty = duty | (
            _touched(result, chosen)
            & running
            & (ties["funding"] == "project").fillna(False).to_numpy()
        )
    if duty.any():
        result = result.with_tables(ties=_paid_by_duty(ties, duty, since, permanent=permanent))
    return result.add_ties(new) if new else result


def _paid_by_duty(
    ties: pd.DataFrame, duty: np.ndarray, since: str | None, *, permanent: bool
) -> pd.DataFrame:
    """The ties with those marked ``duty`` funded as mandatory (and without an end when
    ``permanent``) from ``since`` on.

    A tie that began before ``since`` keeps its funding until the day before and continues
    from ``since`` as a tie of its own, so that the network before the mandate stays as it
    was and the timeline shows the change of funding on that date.
    """
    changed = {"funding": ties["funding"].mask(duty, "mandatory")}
    if permanent:
        changed["until"] = ties["until"].mask(duty, None)
    paid = ties.assign(**changed)
    if since is None:
        return paid
    day = day_of(since)
    differs = (ties["funding"] != "mandatory").fillna(True).to_numpy()
    if permanent:
        differs = differs | ties["until"].notna().to_numpy()
    earlier = duty & differs & (begins(ties["since"]) < day)
    if not earlier.any():
        return paid
    paid.loc[earlier] = ties[earlier].assign(until=day_before(day))
    return pd.concat([paid, _continued(ties, earlier, changed, since)], ignore_index=True)


def _continued(
    ties: pd.DataFrame, rows: np.ndarray, changed: Mapping[str, pd.Series], since: str
) -> pd.DataFrame:
    """The continuation from ``since`` of the ties marked ``rows``, with the ``changed``
    columns."""
    later = ties[rows].assign(**{name: column[rows] for name, column in changed.items()})
    return later.assign(since=since)


def _touched(network: Network, kreise: list[str]) -> np.ndarray:
    """Which ties a mandate of ``kreise`` touches: inside one of them, or of the Kreis itself."""
    ties = network.ties
    kreis = network.kreis
    a, b = ties["from"].map(kreis), ties["to"].map(kreis)
    inside = (a == b).fillna(False).to_numpy() & a.isin(kreise).to_numpy()
    own = ties["from"].isin(kreise).to_numpy() | ties["to"].isin(kreise).to_numpy()
    return np.asarray(inside | own, dtype=bool)


def _lasting_offices(
    network: Network,
    before: pd.DataFrame,
    kreise: list[str],
    day: str | None,
    *,
    project_only: bool,
) -> Network:
    """The network with the offices of ``kreise`` made mandatory and without an end.

    ``before`` holds the offices as they were; with ``project_only`` only project-funded
    ones change. An office that was not working on ``day`` starts on it.
    """
    units = network.units
    chosen = units["id"].isin(kreise).to_numpy()
    was = before["coordination_office"] if "coordination_office" in before.columns else None
    if project_only:
        if was is None:
            return network
        chosen &= (was == "project").fillna(False).to_numpy()
    if not chosen.any():
        return network
    since, until = column_of(units, "office_since"), column_of(units, "office_until")
    changed: dict[str, pd.Series] = {
        "coordination_office": units["coordination_office"].mask(chosen, "mandatory"),
    }
    if "office_until" in units.columns:
        changed["office_until"] = until.mask(chosen, None)
    if day is not None:
        opens, stops = office_days(units)
        working = (
            (was.isin(_WORKING).fillna(False).to_numpy() if was is not None else False)
            & (opens <= day)
            & (stops >= day)
        )
        if (chosen & ~working).any() or "office_since" in units.columns:
            changed["office_since"] = since.mask(chosen & ~working, day)
    return network.with_tables(units=units.assign(**changed))


#: Coordination offices that work.
_WORKING = ("project", "permanent", "mandatory")


@intervention(gemeinden="names", funding="text", since="date")
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


@intervention(
    random=True, voluntary="number", project="number", seed="seed", offices="flag", at="date"
)
def budget_shock(
    network: Network,
    *,
    voluntary: float = 0.5,
    project: float = 0.8,
    seed: int | np.random.Generator | None = 0,
    offices: bool = True,
    at: str | None = None,
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

    With ``at``, the shock happens on that date ("on 1 January 2026, what if"): only ties and
    offices that exist on it can end, and they end the day before it (their ``until`` or
    ``office_until``; one that began on the date itself is gone). Ties that ended earlier or
    begin later stay as they are, so the network before the date is unchanged.

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
    at
        The date of the shock (a year, year-month or day; a partial date means its first
        day); without it, the ties that end are removed from every date.

    Raises
    ------
    NetworkEditError
        When a probability lies outside 0 to 1 or ``at`` is not a date.

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
    cut, office_cut = ShockDraws.of(
        network, voluntary=voluntary, project=project, offices=offices
    ).draw(seed)
    ties, units = network.ties, network.units
    if at is None:
        changed = {"ties": ties[~cut].reset_index(drop=True)}
        if office_cut.any():
            office = units["coordination_office"].mask(office_cut, "none")
            changed["units"] = units.assign(coordination_office=office)
        return network.with_tables(**changed)
    return _shock_on(network, day_of(at), cut, office_cut)


@dataclass(frozen=True, eq=False)
class ShockDraws:
    """The draws of `budget_shock` on one network, worked out once for many seeds.

    `draw` gives the ties and offices that `budget_shock` with the same options and seed
    ends; what does not depend on the seed (each tie's probability, the hashed keys) is
    computed here, once, for simulations that shock one network many times.
    """

    tie_chance: np.ndarray
    tie_hashes: np.ndarray
    project_office: np.ndarray
    unit_hashes: np.ndarray
    project: float

    @classmethod
    def of(
        cls, network: Network, *, voluntary: float = 0.5, project: float = 0.8, offices: bool = True
    ) -> ShockDraws:
        """Prepare the draws of ``budget_shock(network, ...)`` with these options."""
        ties, units = network.ties, network.units
        funding = ties["funding"]
        chance = np.where(
            (funding == "mandatory").fillna(False).to_numpy(),
            0.0,
            np.where((funding == "project").fillna(False).to_numpy(), project, voluntary),
        )
        if offices and "coordination_office" in units.columns:
            project_office = (units["coordination_office"] == "project").fillna(False).to_numpy()
            unit_hashes = key_hashes(units["id"])
        else:
            project_office = np.zeros(len(units), dtype=bool)
            unit_hashes = np.zeros(0, dtype=np.uint64)
        return cls(chance, key_hashes(tie_keys(ties)), project_office, unit_hashes, project)

    def draw(
        self, seed: int | np.random.Generator | np.random.SeedSequence | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return which ties and which units' offices the shock with ``seed`` ends.

        Examples
        --------
        >>> net = netkoop.load("beispielregion")
        >>> cut, _ = ShockDraws.of(net).draw(7)
        >>> len(net.ties) - int(cut.sum()) == len(budget_shock(net, seed=7).ties)
        True
        """
        words = np.random.default_rng(seed).integers(0, 2**64, size=2, dtype=np.uint64)
        cut = mixed_uniforms(self.tie_hashes, words[0]) < self.tie_chance
        office_cut = self.project_office.copy()
        if office_cut.any():
            office_cut &= mixed_uniforms(self.unit_hashes, words[1]) < self.project
        return cut, office_cut


def _shock_on(network: Network, day: str, cut: np.ndarray, office_cut: np.ndarray) -> Network:
    """End the ties and offices drawn by a shock on ``day``, if they exist on it."""
    ties = network.ties
    starts = begins(ties["since"])
    cut = cut & (starts <= day) & (ends(ties["until"]) >= day)
    gone = cut & (starts == day)
    changed = {}
    if cut.any():
        until = ties["until"].mask(cut & ~gone, day_before(day))
        changed["ties"] = ties.assign(until=until)[~gone].reset_index(drop=True)
    units = network.units
    if office_cut.any():
        until = column_of(units, "office_until")
        opened, stops = office_days(units)
        office_cut = office_cut & (opened <= day) & (stops >= day)
        closed = office_cut & (opened == day)
        if office_cut.any():
            changed["units"] = units.assign(
                coordination_office=units["coordination_office"].mask(closed, "none"),
                office_until=until.mask(office_cut & ~closed, day_before(day)),
            )
    return network.with_tables(**changed)


def keyed_uniforms(keys: pd.Series, word: np.uint64) -> np.ndarray:
    """Return one number in [0, 1) per key, determined by the key and ``word`` alone.

    Keys are hashed with pandas' stable SipHash (the same in every process and on every
    machine), mixed with ``word`` and scrambled by the SplitMix64 finaliser; the top 53 bits
    make the float. Equal keys get equal numbers under the same word.
    """
    return mixed_uniforms(key_hashes(keys), word)


def key_hashes(keys: pd.Series) -> np.ndarray:
    """Return the stable hash of each key that `keyed_uniforms` mixes with its word."""
    hashed: np.ndarray = pd.util.hash_pandas_object(keys.astype("str"), index=False).to_numpy(
        np.uint64
    )
    return hashed


def mixed_uniforms(hashed: np.ndarray, word: np.uint64) -> np.ndarray:
    """Return `keyed_uniforms` from the keys' `key_hashes`, so that many words reuse them."""
    with np.errstate(over="ignore"):
        x = hashed ^ np.uint64(word)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


# --- helpers ------------------------------------------------------------------------------


def _join_land_forums(
    network: Network, kreise: list[str], running: np.ndarray, begins: Mapping[str, str]
) -> tuple[Network, list[dict[str, Any]], pd.Series]:
    """Return the network with any missing Land forums added, the membership ties to add, and
    which of its ties are memberships of the Kreise in their Land forum already.

    Only ties marked ``running`` (not ended before the mandate) count; ``begins`` holds the
    ``since`` of what is added."""
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
            **begins,
        }
        for land in lands
        if land not in forum_of
    ]
    if created:
        network = network.add_units(created)
        forum_of.update({row["land"]: row["id"] for row in created})
    ties = network.ties
    members = ties[(ties["kind"] == "membership").to_numpy() & running]
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
            joins.append(
                {"from": kreis, "to": target, "kind": "membership", **_MEMBERSHIP, **begins}
            )
    held = (
        (ties["kind"] == "membership")
        & pair_keys(ties["from"], ties["to"], ordered=True).isin(wanted)
        & running
    )
    return network, joins, held


_MEMBERSHIP: Mapping[str, str] = {
    "intensity": "regular",
    "funding": "mandatory",
    "source": "mandate",
}
