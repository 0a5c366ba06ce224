"""The shortcut of `simulate` for a lone budget shock against the general path."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pandas as pd
import pytest

import netkoop
from netkoop.interventions.policy import ShockDraws, budget_shock
from netkoop.metrics.headline import MEASURES, Commuters, Subsets
from netkoop.metrics.resilience import hub_connection
from netkoop.whatif.simulate import Plan, simulate

# The module, not the function netkoop.whatif re-exports under the same name.
simulate_module = importlib.import_module("netkoop.whatif.simulate")

KINDS = ("exchange", "joint_project", "shared_staff", "membership", "service_opening")
FUNDING = ("voluntary", "project", "mandatory", None)


def random_network(seed: int, *, offices: bool = True) -> netkoop.Network:
    """Two Länder with forums, Landkreise with Gemeinden, kreisfreie Städte; random ties
    (parallel ones too) with every kind of funding, random offices and flows."""
    rng = np.random.default_rng(seed)
    units = []
    for land in ("03", "09"):
        units.append(
            {"id": f"forum-{land}", "name": f"Forum {land}", "kind": "forum", "land": land}
        )
        units.append({"id": f"{land}101", "name": f"Stadt {land}", "kind": "kreisfreie_stadt",
                      "land": land})  # fmt: skip
        for k in range(2):
            kreis = f"{land}15{k}"
            units.append({"id": kreis, "name": f"LK {kreis}", "kind": "landkreis", "land": land})
            for g in range(int(rng.integers(2, 7))):
                units.append({"id": f"{kreis}{g:03d}", "name": f"Gemeinde {kreis}{g}",
                              "kind": "gemeinde", "land": land, "parent": kreis})  # fmt: skip
    table = pd.DataFrame(units)
    if offices:
        table["coordination_office"] = rng.choice(["none", "project", "permanent"], len(table))
    place = table["kind"] != "forum"
    ids, forums = table["id"][place].to_numpy(), table["id"][~place].to_numpy()
    n_ties = int(rng.integers(5, 60))
    a, b = rng.integers(0, len(ids), n_ties), rng.integers(0, len(ids), n_ties)
    kind = rng.choice(KINDS, n_ties)
    member = kind == "membership"
    to = np.where(member, forums[rng.integers(0, len(forums), n_ties)], ids[b])
    keep = ids[a] != to
    ties = pd.DataFrame(
        {
            "from": ids[a][keep],
            "to": to[keep],
            "kind": kind[keep],
            "funding": rng.choice(np.array(FUNDING, dtype=object), int(keep.sum())),
        }
    )
    ties = pd.concat([ties, ties.head(3)], ignore_index=True)  # parallel ties of one kind
    home, work = rng.integers(0, len(ids), 40), rng.integers(0, len(ids), 40)
    flows = pd.DataFrame(
        {"from": ids[home], "to": ids[work], "commuters": rng.integers(1, 500, 40)}
    )
    flows = flows[flows["from"] != flows["to"]].drop_duplicates(["from", "to"])
    flows = flows.reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # drawn data: isolates, ties to forums of other Länder
        return netkoop.Network.from_tables(table, ties, flows)


@pytest.mark.parametrize("seed", range(8))
def test_shock_draws_end_what_budget_shock_ends(seed: int) -> None:
    net = random_network(seed)
    for voluntary, project in ((0.5, 0.8), (1.0, 0.0), (0.3, 1.0)):
        cut, office_cut = ShockDraws.of(net, voluntary=voluntary, project=project).draw(seed)
        after = budget_shock(net, voluntary=voluntary, project=project, seed=seed)
        pd.testing.assert_frame_equal(after.ties, net.ties[~cut].reset_index(drop=True))
        expected = net.units["coordination_office"].mask(office_cut, "none")
        pd.testing.assert_series_equal(after.units["coordination_office"], expected)


@pytest.mark.parametrize("seed", range(8))
def test_measure_anchored_is_measures_and_hub_connection(seed: int) -> None:
    net = random_network(seed, offices=seed % 2 == 0)
    commuters = Commuters.of(net)
    subsets = Subsets(net, commuters)
    cut, office_cut = ShockDraws.of(net).draw(seed)
    after = budget_shock(net, seed=seed)
    values, connected = subsets.measure_anchored(ties=~cut, offices=~office_cut)
    for name, measure in MEASURES.items():
        expected = measure(after, commuters)
        got = float(values.get(name, np.nan))
        assert got == expected or (np.isnan(got) and np.isnan(expected)), name
    anchored = hub_connection(after)["connected"]
    ids = net.units["id"]
    assert sorted(ids[connected]) == sorted(anchored.index[anchored.to_numpy()])


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate_module._Shock, "of", classmethod(lambda cls, plan, c: None))


@pytest.mark.parametrize("seed", range(6))
def test_simulate_shortcut_gives_the_general_results(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    net = random_network(seed, offices=seed != 3)
    shocks = [("budget_shock", {"voluntary": 0.6, "project": 0.7})]
    plans = [
        Plan.from_network(net, shocks, name="a"),
        Plan.from_network(net, [("budget_shock", {})], name="b"),
    ]
    assert all(simulate_module._Shock.of(p, Commuters.of(p.start)) for p in plans)
    fast = simulate(plans, runs=25, seed=seed)
    with monkeypatch.context() as patch:
        _plain(patch)
        slow = simulate(plans, runs=25, seed=seed)
    for table in ("runs", "summary", "difference", "units"):
        pd.testing.assert_frame_equal(getattr(fast, table), getattr(slow, table), check_exact=True)


def test_simulate_shortcut_does_not_depend_on_jobs() -> None:
    plan = Plan.from_network(random_network(11), [("budget_shock", {"voluntary": 0.5})])
    one = simulate(plan, runs=40, seed=3, jobs=1).report()
    two = simulate(plan, runs=40, seed=3, jobs=2).report()
    for name, table in one.tables.items():
        pd.testing.assert_frame_equal(table, two.tables[name], check_exact=True)


def test_shortcut_only_for_a_lone_undated_budget_shock() -> None:
    net = random_network(5)
    commuters = Commuters.of(net)
    dated = Plan.from_network(net, [("budget_shock", {"at": "2024"})])
    after = Plan.from_network(net, [("budget_shock", {}), ("mandate", {})])
    on_day = Plan.from_network(net, [("budget_shock", {})])
    on_day = Plan(on_day.name, on_day.start, on_day.steps, at="2024-01-01")
    for plan in (dated, after, on_day):
        assert simulate_module._Shock.of(plan, commuters) is None
