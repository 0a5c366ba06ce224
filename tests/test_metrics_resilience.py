"""Who is still anchored: netkoop.metrics.resilience.hub_connection.

Expected values on a hand-made network are worked out from the ties listed below; random
networks are checked against an independent reading of the definition on networkx's graph
(a direct edge to an anchor for ``tied``, ``nx.has_path`` for ``connected``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netkoop
from netkoop import Network
from netkoop._errors import NetworkEditError
from netkoop.metrics.resilience import ANCHORED_KINDS, hub_connection

# Land 03: Landkreis ka (a1-a3), Landkreis kb (b1), kreisfreie Stadt st, forum f.
# Land 09: Landkreis kc (c1, c2), kreisfreie Stadt sz, forum g. Forum h has no Land.
UNITS = [
    {"id": "ka", "name": "Landkreis A", "kind": "landkreis", "land": "03"},
    {"id": "a1", "name": "A eins", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a2", "name": "A zwei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a3", "name": "A drei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "kb", "name": "Landkreis B", "kind": "landkreis", "land": "03"},
    {"id": "b1", "name": "B eins", "kind": "gemeinde", "land": "03", "parent": "kb"},
    {"id": "st", "name": "Stadt", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "kc", "name": "Landkreis C", "kind": "landkreis", "land": "09"},
    {"id": "c1", "name": "C eins", "kind": "gemeinde", "land": "09", "parent": "kc"},
    {"id": "c2", "name": "C zwei", "kind": "gemeinde", "land": "09", "parent": "kc"},
    {"id": "sz", "name": "Stadt Z", "kind": "kreisfreie_stadt", "land": "09"},
    {"id": "f", "name": "AG Integration 03", "kind": "forum", "land": "03"},
    {"id": "g", "name": "AG Integration 09", "kind": "forum", "land": "09"},
    {"id": "h", "name": "Bundesnetzwerk", "kind": "forum"},
]
TIES = [
    {"from": "a1", "to": "ka", "kind": "exchange"},  # a1: tied to its hub
    {"from": "a2", "to": "a1", "kind": "exchange"},  # a2 reaches ka only through a1
    {"from": "a3", "to": "b1", "kind": "shared_staff"},  # a3 and b1: with each other ...
    {"from": "b1", "to": "g", "kind": "membership"},  # ... and a forum of another Land only
    {"from": "kb", "to": "f", "kind": "membership"},  # kb: tied to its Land forum
    {"from": "ka", "to": "kb", "kind": "exchange"},  # ka reaches f through kb
    {"from": "kc", "to": "c1", "kind": "service_opening"},  # c1: tied, against the direction
    {"from": "kc", "to": "f", "kind": "membership"},  # kc: a forum of another Land
    {"from": "st", "to": "h", "kind": "membership"},  # st: a forum without Land
    {"from": "sz", "to": "g", "kind": "membership"},  # sz: tied to its Land forum
]
ORDER = ["ka", "a1", "a2", "a3", "kb", "b1", "st", "kc", "c1", "c2", "sz"]
HUBS = {"a1": "ka", "a2": "ka", "a3": "ka", "b1": "kb", "c1": "kc", "c2": "kc"}


@pytest.fixture
def net() -> Network:
    return Network.from_tables(UNITS, TIES)


def flags(table: pd.DataFrame, column: str) -> dict[str, bool]:
    return {str(k): bool(v) for k, v in table[column].items()}


def only(*ids: str) -> dict[str, bool]:
    return {unit: unit in ids for unit in ORDER}


def test_columns_index_and_hubs(net: Network) -> None:
    anchored = hub_connection(net)
    assert list(anchored.columns) == ["kind", "hub", "tied", "connected"]
    assert anchored.index.name == "id"
    assert list(anchored.index) == ORDER  # unit order, forums left out
    assert anchored["kind"].tolist() == [
        "landkreis",
        *["gemeinde"] * 3,
        "landkreis",
        "gemeinde",
        "kreisfreie_stadt",
        "landkreis",
        "gemeinde",
        "gemeinde",
        "kreisfreie_stadt",
    ]
    assert anchored["hub"].dropna().to_dict() == HUBS
    assert anchored["tied"].dtype == bool
    assert anchored["connected"].dtype == bool


def test_tied_and_connected_with_all_tie_kinds(net: Network) -> None:
    anchored = hub_connection(net)
    # a1 (tie to ka), kb (tie to f), c1 (service_opening kc -> c1), sz (tie to g).
    assert flags(anchored, "tied") == only("a1", "kb", "c1", "sz")
    # Also a2 (a2-a1-ka) and ka (ka-kb-f). Not: a3 and b1 (only g, of Land 09, and each
    # other), st (h has no Land), kc (f is of Land 03, and c1 is no anchor of a Kreis),
    # c2 (no tie).
    assert flags(anchored, "connected") == only("a1", "a2", "ka", "kb", "c1", "sz")


def test_a_gemeinde_reaching_its_landkreis_through_another_is_connected_not_tied(
    net: Network,
) -> None:
    row = hub_connection(net).loc["a2"]
    assert (row["hub"], bool(row["tied"]), bool(row["connected"])) == ("ka", False, True)
    # Without a1's tie to ka, the path is gone.
    cut = net.remove_ties([{"from": "a1", "to": "ka", "kind": "exchange"}])
    assert flags(hub_connection(cut), "connected") == only("ka", "kb", "c1", "sz")


def test_forums_of_another_land_or_without_land_do_not_anchor(net: Network) -> None:
    anchored = hub_connection(net)
    for unit in ("b1", "kc", "st"):  # tied to g (Land 09), f (Land 03), h (no Land)
        assert not anchored.loc[unit, "tied"]
        assert not anchored.loc[unit, "connected"]
    # Giving h the Land of st makes it st's Land forum.
    units = [{**u, "land": "03"} if u["id"] == "h" else u for u in UNITS]
    moved = hub_connection(Network.from_tables(units, TIES))
    assert moved.loc["st", "tied"]
    assert moved.loc["st", "connected"]


def test_kreise_are_anchored_only_by_a_land_forum(net: Network) -> None:
    anchored = hub_connection(net)
    # kc is tied to its own Gemeinde c1: that is no anchor for a Kreis.
    assert not anchored.loc["kc", "connected"]
    assert pd.isna(anchored.loc["kc", "hub"])
    # A membership in g, the forum of its Land, anchors kc.
    joined = hub_connection(net.add_ties([{"from": "kc", "to": "g", "kind": "membership"}]))
    assert flags(joined, "tied") == only("a1", "kb", "c1", "sz", "kc")
    # kc, f, kb, ka, a1, a2, c1 and now g, b1, a3, sz share one component: a3 and b1 reach
    # their Landkreise (through g, kc, f, kb), c2 still has no tie.
    assert flags(joined, "connected") == {unit: unit not in ("st", "c2") for unit in ORDER}


@pytest.mark.parametrize(
    ("kinds", "tied", "connected"),
    [
        ("exchange", ["a1"], ["a1", "a2"]),
        (["membership"], ["kb", "sz"], ["kb", "sz"]),
        (("exchange", "membership"), ["a1", "kb", "sz"], ["a1", "a2", "ka", "kb", "sz"]),
        ("service_opening", ["c1"], ["c1"]),
        ("joint_project", [], []),
    ],
)
def test_kinds_restrict_the_ties_counted(
    net: Network, kinds: str | list[str], tied: list[str], connected: list[str]
) -> None:
    anchored = hub_connection(net, kinds=kinds)
    assert flags(anchored, "tied") == only(*tied)
    assert flags(anchored, "connected") == only(*connected)


def test_unknown_kind_is_an_error(net: Network) -> None:
    with pytest.raises(NetworkEditError, match=r"unknown tie kind\(s\) partnership; tie kinds"):
        hub_connection(net, kinds="partnership")


def test_result_is_a_copy_of_the_cached_table(net: Network) -> None:
    first = hub_connection(net)
    first.loc[:, "tied"] = True
    assert flags(hub_connection(net), "tied") == only("a1", "kb", "c1", "sz")


# --- cross-check against networkx ---------------------------------------------------------

NON_FORUM_KINDS = [
    "exchange",
    "shared_staff",
    "joint_project",
    "shared_material",
    "service_opening",
]


def random_network(seed: int) -> Network:
    """Three Länder of Landkreise, Gemeinden, kreisfreie Städte and forums, random ties."""
    rng = np.random.default_rng(seed)
    units: list[dict[str, Any]] = []
    for land in ("01", "02", "03"):
        for k in range(rng.integers(1, 4)):
            kreis = f"lk{land}{k}"
            units.append({"id": kreis, "name": kreis, "kind": "landkreis", "land": land})
            units += [
                {
                    "id": f"{kreis}g{g}",
                    "name": "g",
                    "kind": "gemeinde",
                    "land": land,
                    "parent": kreis,
                }
                for g in range(rng.integers(0, 5))
            ]
        units += [
            {"id": f"st{land}{s}", "name": "s", "kind": "kreisfreie_stadt", "land": land}
            for s in range(rng.integers(0, 3))
        ]
        units += [
            {"id": f"ag{land}{f}", "name": "f", "kind": "forum", "land": land}
            for f in range(rng.integers(0, 3))
        ]
    units += [{"id": f"bund{f}", "name": "b", "kind": "forum"} for f in range(rng.integers(0, 2))]
    ties = []
    for _ in range(rng.integers(0, 2 * len(units))):
        one, other = (units[i] for i in rng.choice(len(units), size=2, replace=False))
        if one["kind"] == "forum" and other["kind"] == "forum":
            continue
        if "forum" in (one["kind"], other["kind"]):
            member, forum = (other, one) if one["kind"] == "forum" else (one, other)
            ties.append({"from": member["id"], "to": forum["id"], "kind": "membership"})
        else:
            kind = str(rng.choice(NON_FORUM_KINDS))
            ties.append({"from": one["id"], "to": other["id"], "kind": kind})
    return Network.from_tables(units, ties)


def reference(network: Network, kinds: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The definition read directly on networkx's multigraph of the chosen ties."""
    graph = network.graph(kinds)
    units = network.units
    forums = units[(units["kind"] == "forum") & units["land"].notna()]
    rows = {}
    for unit in units.to_dict("records"):
        if unit["kind"] not in ANCHORED_KINDS:
            continue
        anchors = set(forums.loc[forums["land"] == unit["land"], "id"])
        if unit["kind"] == "gemeinde":
            anchors.add(unit["parent"])
        rows[unit["id"]] = {
            "tied": any(graph.has_edge(unit["id"], a) for a in anchors),
            "connected": any(nx.has_path(graph, unit["id"], a) for a in anchors),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("kinds", [None, ("exchange", "membership"), "service_opening"])
def test_random_networks_agree_with_networkx(
    seed: int, kinds: str | tuple[str, ...] | None
) -> None:
    network = random_network(seed)
    got = hub_connection(network, kinds=kinds)
    expected = reference(network, kinds)
    assert list(got.index) == list(expected.index)
    assert got["tied"].tolist() == expected["tied"].tolist()
    assert got["connected"].tolist() == expected["connected"].tolist()


def test_random_networks_cover_every_case() -> None:
    """The random networks above hold tied, connected-only and unanchored units alike."""
    seen = pd.concat([reference(random_network(seed)) for seed in range(8)])
    cases = set(zip(seen["tied"], seen["connected"], strict=True))
    assert cases == {(True, True), (False, True), (False, False)}


@pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")  # isolates in zwei-welten-2020
@pytest.mark.parametrize("name", ["beispielregion", "zwei-welten-2020", "pflichtaufgabe"])
def test_bundled_scenarios_agree_with_networkx(name: str) -> None:
    network = netkoop.load(name)
    got = hub_connection(network)
    expected = reference(network)
    assert got["tied"].tolist() == expected["tied"].tolist()
    assert got["connected"].tolist() == expected["connected"].tolist()
    if name == "pflichtaufgabe":  # the mandate ties every Kreis and Gemeinde to an anchor
        assert got["tied"].all()
