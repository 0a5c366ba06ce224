"""Recommendations for one focus (`recommend(focus=...)`, ``netkoop recommend --focus``): by
hand on beispielregion, against brute force, and around Landkreis Hildesheim on national data."""

from __future__ import annotations

import io
import itertools
import json
import random
import textwrap
from pathlib import Path

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

import netkoop
from conftest import OFFICIAL, assert_one_error_line, national_yaml
from conftest import run_cli as run
from netkoop.model.focus import Focus, focus
from netkoop.model.network import Network
from netkoop.whatif.recommend import _first_focus_join, _first_join, _focus_target, recommend

HILDESHEIM = "03254"

#: Ties of a Hildesheim-like scenario: Hildesheim with Hannover and Peine, two pairs of its
#: Gemeinden, and one pair far away (München) that a focus on Hildesheim must not care about.
HILDESHEIM_TIES = """\
from,to,kind
03254,03241,exchange
03157,03254,exchange
03254021,03254028,exchange
03254003,03254020,exchange
09162,09184,exchange
"""


def pairs_of(ties: pd.DataFrame) -> list[list[str]]:
    return ties[["from", "to"]].values.tolist()


# --- by hand on beispielregion --------------------------------------------------------------


def test_a_gemeinde_focus_takes_its_own_pairs_and_those_inside_its_landkreis(
    region: Network,
) -> None:
    # Counting only joint projects, every other pair is untied. Eichwalde (lk-nord) commutes
    # with Musterstadt (2,930) and Fahrendorf (310 + 270); inside Landkreis Nordheide only
    # Auenfeld and Birkenhain commute (420). Landkreis Nordheide - Musterstadt (24,660), the
    # largest pair, is outside: Musterstadt is neither Eichwalde nor in its Landkreis.
    found = recommend(region, k=5, ties="joint_project", focus=focus(region, "eichwalde"))
    assert found.ties[["from", "to", "commuters"]].values.tolist() == [
        ["musterstadt", "eichwalde", 2930],
        ["eichwalde", "fahrendorf", 580],
        ["auenfeld", "birkenhain", 420],
    ]
    assert found.focus == "eichwalde"
    assert found.provenance()["options"]["focus"] == "eichwalde"
    everyone = recommend(region, k=1, ties="joint_project")
    assert pairs_of(everyone.ties) == [["musterstadt", "lk-nord"]]


def test_a_kreisfreie_stadt_focus_takes_only_its_own_pairs(region: Network) -> None:
    found = recommend(region, k=5, focus=focus(region, "musterstadt")).ties
    assert all("musterstadt" in pair for pair in pairs_of(found))
    # Its untied commuter partners, largest first: Auenfeld 4,810, Fahrendorf 3,960, ...
    assert found["commuters"].tolist() == [4810, 3960, 2930, 1620, 1440]


def test_connectivity_around_a_gemeinde_by_hand(region: Network) -> None:
    # Counting only memberships, Musterstadt, both Landkreise, Auenfeld and the two forums
    # form one component of 6; every other unit is alone. Birkenhain joins it first (its
    # 1,240 commuters to Musterstadt decide among its partners); then no pair the focus
    # allows has commuters, and the first in unit order that joins the component (now 7)
    # with a unit alone is Landkreis Nordheide with Dorfstetten, inside the Landkreis.
    found = recommend(
        region, k=2, objective="connectivity", ties="membership", focus=focus(region, "birkenhain")
    )
    assert found.ties[
        ["from", "to", "commuters", "size_from", "size_to", "components"]
    ].values.tolist() == [
        ["musterstadt", "birkenhain", 1240, 6, 1, 7],
        ["lk-nord", "dorfstetten", 0, 7, 1, 6],
    ]


def test_a_focus_narrows_the_candidates_and_the_borders() -> None:
    network = netkoop.Network.from_tables(
        UNITS,
        flows=[{"from": a, "to": b, "commuters": c} for a, b, c in FLOWS],
        borders=[{"from": "s", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "b1"}],
    )
    around = focus(network, "a1")
    # a1's pairs and those inside Landkreis A; the candidates allow two of them.
    candidates = [("a1", "s"), ("a", "a2"), ("b", "s")]
    found = recommend(network, k=5, candidates=candidates, focus=around)
    assert pairs_of(found.ties) == [["s", "a1"], ["a", "a2"]]
    # Only neighbours: s - a and a - b share a border, but neither is a1's nor inside A.
    assert recommend(network, k=5, adjacent_only=True, focus=around).ties.empty
    # Neighbours among the candidates: both must allow a pair (s - b has more commuters, 40,
    # but no border).
    both = recommend(network, k=5, adjacent_only=True, candidates=[("s", "a"), ("s", "b")])
    assert pairs_of(both.ties) == [["s", "a"]]


def test_connectivity_with_a_focus_keeps_to_the_candidates() -> None:
    network = netkoop.Network.from_tables(UNITS)
    # Candidates: no pair of every pair; only a1 - b of them is a1's.
    found = recommend(
        network,
        k=5,
        objective="connectivity",
        candidates=[("a1", "b"), ("s", "b1")],
        focus=focus(network, "a1"),
    )
    assert pairs_of(found.ties) == [["b", "a1"]]


# --- against brute force --------------------------------------------------------------------

#: A kreisfreie Stadt s, Landkreis A with Gemeinden a1, a2, Landkreis B with b1, b2, a forum.
UNITS = [
    {"id": "s", "name": "S", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "a", "name": "A", "kind": "landkreis", "land": "03"},
    {"id": "b", "name": "B", "kind": "landkreis", "land": "04"},
    {"id": "a1", "name": "A1", "kind": "gemeinde", "land": "03", "parent": "a"},
    {"id": "a2", "name": "A2", "kind": "gemeinde", "land": "03", "parent": "a"},
    {"id": "b1", "name": "B1", "kind": "gemeinde", "land": "04", "parent": "b"},
    {"id": "b2", "name": "B2", "kind": "gemeinde", "land": "04", "parent": "b"},
    {"id": "f", "name": "F", "kind": "forum", "land": "03"},
]
FLOWS = [("a1", "s", 50), ("a", "a2", 30), ("b", "s", 40), ("s", "a", 20), ("b1", "a1", 10)]
IDS = [u["id"] for u in UNITS]
PLACES = [key for key in IDS if key != "f"]


def random_network(seed: int) -> Network:
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    pairs = list(itertools.combinations(IDS, 2))
    ties = [
        {"from": a, "to": b, "kind": "membership" if "f" in (a, b) else "exchange"}
        for a, b in rng.sample(pairs, rng.randint(0, 5))
    ]
    # Few distinct volumes, so that equal scores and tie-breaking occur.
    flows = [
        {"from": a, "to": b, "commuters": rng.choice([10, 20, 30])}
        for a, b in itertools.permutations(PLACES, 2)
        if rng.random() < 0.2
    ]
    return netkoop.Network.from_tables(
        UNITS,
        pd.DataFrame(ties, columns=["from", "to", "kind"]),
        pd.DataFrame(flows, columns=["from", "to", "commuters"]),
    )


def allowed(around: Focus, a: str, b: str) -> bool:
    """The rule of a focus, written out: an end in the area, or both in the Kreis's area."""
    return a in around.area or b in around.area or {a, b} <= around.kreis_area


def commuters_of(network: Network) -> dict[frozenset[str], int]:
    out: dict[frozenset[str], int] = {}
    for a, b, c in network.flows[["from", "to", "commuters"]].itertuples(index=False):
        out[frozenset((a, b))] = out.get(frozenset((a, b)), 0) + int(c)
    return out


def brute_force(network: Network, around: Focus, k: int, objective: str) -> list[list[str]]:
    """The ties chosen one by one from every allowed untied pair, scored from scratch."""
    commuters = commuters_of(network)
    graph = nx.Graph(network.graph())
    graph.add_nodes_from(IDS)
    n = len(IDS)
    chosen: list[list[str]] = []
    for _ in range(k):
        before = sum(len(c) * (n - len(c)) for c in nx.connected_components(graph))
        scored = []
        for i, j in itertools.combinations(range(len(IDS)), 2):
            a, b = IDS[i], IDS[j]
            if graph.has_edge(a, b) or not allowed(around, a, b):
                continue
            if objective == "connectivity":
                graph.add_edge(a, b)
                after = sum(len(c) * (n - len(c)) for c in nx.connected_components(graph))
                graph.remove_edge(a, b)
                gain = before - after
            else:
                gain = commuters.get(frozenset((a, b)), 0)
            scored.append((-gain, -commuters.get(frozenset((a, b)), 0), i, j))
        if not scored or min(scored)[0] == 0:
            break
        _, _, i, j = min(scored)
        graph.add_edge(IDS[i], IDS[j])
        chosen.append([IDS[i], IDS[j]])
    return chosen


@pytest.mark.parametrize("objective", ["commuter-coverage", "connectivity"])
@pytest.mark.parametrize("seed", range(20))
def test_greedy_with_a_focus_equals_brute_force(seed: int, objective: str) -> None:
    network = random_network(seed)
    for key in ("s", "a", "a1", "b2", "f", "03"):
        around = focus(network, key)
        found = recommend(network, k=4, objective=objective, focus=around)
        assert pairs_of(found.ties) == brute_force(network, around, 4, objective), key


@pytest.mark.parametrize("seed", range(30))
def test_the_first_focus_join_of_everyone_is_the_first_join(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    component = rng.integers(0, n, size=n)
    sizes = np.bincount(component, minlength=n)
    if np.count_nonzero(sizes) < 2:
        return
    top = np.sort(sizes)[::-1]
    everyone = np.ones(n, dtype=bool)
    within = (everyone, everyone)
    target = _focus_target(component, sizes, within)
    assert target == top[0] * top[1]
    first = _first_focus_join(component, sizes, within, target)
    assert first == _first_join(component, sizes)


# --- Landkreis Hildesheim in the national scenario ------------------------------------------


@pytest.fixture(scope="module")
def hildesheim_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national scenario (400 Kreise, their Gemeinden, BA commuters between Kreise) with
    `HILDESHEIM_TIES`."""
    folder = tmp_path_factory.mktemp("hildesheim")
    text = national_yaml(OFFICIAL / "derived", more="\nties: {file: ties.csv}\n")
    (folder / "scenario.yaml").write_text(
        "format_version: 1\n" + textwrap.dedent(text), encoding="utf-8"
    )
    (folder / "ties.csv").write_text(HILDESHEIM_TIES, encoding="utf-8")
    return folder / "scenario.yaml"


def gemeinden_of(kreis: str) -> set[str]:
    """The kreisangehörige Gemeinden of ``kreis``, read from the Destatis table."""
    table = pd.read_csv(OFFICIAL / "derived" / "gemeinden.csv.gz", dtype=str)
    chosen = table["gemeinde_typ_code"].isin(["60", "63", "64", "65", "66", "67"])
    return set(table.loc[chosen & (table["kreis_ags"] == kreis), "ags"])


def load_quietly(path: Path) -> Network:
    with pytest.warns(netkoop.NetkoopWarning, match="have no tie"):
        return netkoop.load(path)


def uncovered_pairs_of(key: str) -> pd.DataFrame:
    """The Kreis pairs of ``key`` by commuters (both directions), largest first, read from the
    BA table with pandas; the pairs `HILDESHEIM_TIES` ties are left out."""
    derived = OFFICIAL / "derived"
    kreise = set(pd.read_csv(derived / "kreise.csv.gz", dtype=str)["kreis_ags"])
    flows = pd.read_csv(
        derived / "pendler_kreise_od.csv.gz", dtype={"wohnort_kreis": str, "arbeitsort_kreis": str}
    )
    home, work = flows["wohnort_kreis"], flows["arbeitsort_kreis"]
    flows = flows[home.isin(kreise) & work.isin(kreise) & (home != work)]
    home, work = flows["wohnort_kreis"], flows["arbeitsort_kreis"]
    flows = flows.assign(
        low=np.where(home < work, home, work), high=np.where(home < work, work, home)
    )
    pairs = flows.groupby(["low", "high"], as_index=False)["insgesamt"].sum()
    pairs = pairs[(pairs["low"] == key) | (pairs["high"] == key)]
    ties = pd.read_csv(io.StringIO(HILDESHEIM_TIES), dtype=str)
    tied = {frozenset(pair) for pair in ties[["from", "to"]].values.tolist()}
    untied = [frozenset(pair) not in tied for pair in pairs[["low", "high"]].values.tolist()]
    largest: pd.DataFrame = pairs[untied].sort_values("insgesamt", ascending=False, kind="stable")
    return largest


def test_a_focus_on_hildesheim_recommends_only_its_ties(hildesheim_like: Path) -> None:
    network = load_quietly(hildesheim_like)
    around = focus(network, HILDESHEIM)
    assert around.area == {HILDESHEIM, *gemeinden_of(HILDESHEIM)}
    # Without a focus, the largest gaps lie elsewhere (München first): none is Hildesheim's.
    everyone = recommend(network, k=5)
    assert not any(HILDESHEIM in pair for pair in pairs_of(everyone.ties))
    for objective in ("commuter-coverage", "connectivity"):
        found = recommend(network, k=5, objective=objective, focus=around)
        assert len(found.ties) == 5
        for a, b in pairs_of(found.ties):
            assert a in around.area or b in around.area, (objective, a, b)
    ties = recommend(network, k=5, focus=around).ties
    largest = uncovered_pairs_of(HILDESHEIM).head(5)
    first = ties.iloc[0]
    assert {first["from"], first["to"]} == {largest["low"].iloc[0], largest["high"].iloc[0]}
    assert int(first["commuters"]) == int(largest["insgesamt"].iloc[0])
    assert ties["commuters"].tolist() == largest["insgesamt"].tolist()


def test_the_command_recommends_for_hildesheim(hildesheim_like: Path, tmp_path: Path) -> None:
    out = tmp_path / "hildesheim.json"
    result = run("recommend", hildesheim_like, "--focus", HILDESHEIM, "-k", "3", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    gemeinden = len(gemeinden_of(HILDESHEIM))
    assert f"Focus: Hildesheim (03254) with its {gemeinden} Gemeinden: their ties with anyone" in (
        result.stdout
    )
    rows = json.loads(out.read_text(encoding="utf-8"))
    largest = uncovered_pairs_of(HILDESHEIM).head(3)
    assert [r["commuters"] for r in rows] == largest["insgesamt"].tolist()
    assert all(HILDESHEIM in (r["from"], r["to"]) for r in rows)


# --- the command ----------------------------------------------------------------------------


def test_the_command_says_which_focus(tmp_path: Path) -> None:
    out = tmp_path / "eichwalde.xlsx"
    result = run(
        "recommend", "beispielregion", "--focus", "eichwalde", "--ties", "joint_project",
        "-o", out, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "Focus: Eichwalde (eichwalde): its ties with anyone, "
        "and ties inside Landkreis Nordheide (lk-nord)"
    )
    assert "Only 3 of 5 ties improve commuter-coverage: then every pair the focus allows" in (
        result.stdout
    )
    book = openpyxl.load_workbook(out, read_only=True)
    assert ("Fokus (--focus)", "eichwalde") in list(book.worksheets[-1].values)


def test_the_command_names_a_land_focus() -> None:
    result = run("recommend", "beispielregion", "--focus", "03", "-k", "1", "-q")
    assert result.exit_code == 0, result.output
    assert "Focus: Niedersachsen (03) with its 3 Kreise and 8 Gemeinden" in result.stdout


def test_an_unknown_focus_is_one_error() -> None:
    result = run("recommend", "beispielregion", "--focus", "eichwald")
    assert_one_error_line(result, problems_allowed=False)
    assert "--focus: 'eichwald' is no unit of this network; did you mean 'eichwalde'" in (
        result.stderr
    )
