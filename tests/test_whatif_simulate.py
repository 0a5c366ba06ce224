"""Monte Carlo runs of scenarios with random interventions: netkoop.whatif.simulate and the
simulate command, on a hand-made network, the bundled Haushaltskrise scenarios and the national
Kreis scenario from tests/data/official.

Every run is rebuilt here by applying `budget_shock` by hand with the documented seed and
measured directly (networkx, the metrics functions); statistics are recomputed with numpy,
and the national before-values are counted with pandas from the official CSV files.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import joblib
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

import netkoop
from conftest import national_yaml
from netkoop import Network
from netkoop._errors import MetricsError, UnknownScenarioError
from netkoop.cli import main
from netkoop.metrics import commuting_gap, ei_index
from netkoop.metrics.resilience import hub_connection
from netkoop.model.network import tie_keys
from netkoop.whatif import budget_shock, mandate
from netkoop.whatif.simulate import MEASURE_HELP, MEASURES, Plan, Simulation, simulate

pytestmark = pytest.mark.filterwarnings("ignore::netkoop.NetkoopWarning")  # zwei-welten isolates

# Landkreis ka (Gemeinden a1-a3), Landkreis kb (b1), kreisfreie Stadt st, Land forum f.
UNITS = [
    {"id": "ka", "name": "Landkreis A", "kind": "landkreis", "land": "03"},
    {"id": "a1", "name": "A eins", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a2", "name": "A zwei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "a3", "name": "A drei", "kind": "gemeinde", "land": "03", "parent": "ka"},
    {"id": "kb", "name": "Landkreis B", "kind": "landkreis", "land": "03"},
    {"id": "b1", "name": "B eins", "kind": "gemeinde", "land": "03", "parent": "kb"},
    {"id": "st", "name": "Stadt", "kind": "kreisfreie_stadt", "land": "03"},
    {"id": "f", "name": "AG Integration", "kind": "forum", "land": "03"},
]
OFFICES = {"ka": "project", "kb": "mandatory", "st": "permanent"}
TIES = [
    {"from": "a1", "to": "a2", "kind": "exchange", "funding": "voluntary"},
    {"from": "a2", "to": "a3", "kind": "shared_staff", "funding": "project"},
    {"from": "a1", "to": "ka", "kind": "exchange", "funding": "mandatory"},
    {"from": "ka", "to": "st", "kind": "exchange"},  # no funding: ends like a voluntary tie
    {"from": "st", "to": "ka", "kind": "service_opening", "funding": "project"},
    {"from": "ka", "to": "f", "kind": "membership", "funding": "voluntary"},
    {"from": "b1", "to": "kb", "kind": "exchange", "funding": "voluntary"},
]
FLOWS = [
    {"from": "a1", "to": "st", "commuters": 500},
    {"from": "st", "to": "a1", "commuters": 100},
    {"from": "a2", "to": "b1", "commuters": 50},
    {"from": "b1", "to": "a2", "commuters": 60},
    {"from": "ka", "to": "st", "commuters": 300},
    {"from": "kb", "to": "st", "commuters": 40},
]
ANCHORED = ["ka", "a1", "a2", "a3", "kb", "b1", "st"]
SHOCK = {"voluntary": 0.5, "project": 0.8}
FULL_SHOCK = {"voluntary": 1, "project": 1}
WORKING_OFFICES = ["project", "permanent", "mandatory"]

# The hand-made network before any shock, worked out from the tables above. Tied pairs:
# a1-a2, a2-a3, a1-ka, ka-st (two ties), ka-f, b1-kb; components {ka a1 a2 a3 st f}, {kb b1}.
# Inside a Kreis: a1-a2, a2-a3, a1-ka, b1-kb; across: ka-st twice (f has no Kreis).
# Commuter pairs: a1-st 600, a2-b1 110, ka-st 300 (the only tied one), kb-st 40.
# Anchored: ka (member of f), a1 (tie to ka), b1 (tie to kb); connected also a2, a3, st.
BEFORE = {
    "ties": 7,
    "components": 2,
    "largest_component": 6 / 8,
    "isolates": 0,
    "density": 6 / 28,
    "ei_index": (2 - 4) / 6,
    "commuter_coverage": 300 / 1050,
    "hub_connected": 6 / 7,
    "hub_tied": 3 / 7,
    "offices": 3,
}
# After mandate(): exchange ka-a2, ka-a3 and membership kb-f, st-f added; b1-kb and ka-f now
# mandatory. One component; inside a Kreis 6 ties, across 2; every unit tied to an anchor.
BEFORE_DUTY = {
    "ties": 11,
    "components": 1,
    "largest_component": 1.0,
    "isolates": 0,
    "density": 10 / 28,
    "ei_index": (2 - 6) / 8,
    "commuter_coverage": 300 / 1050,
    "hub_connected": 1.0,
    "hub_tied": 1.0,
    "offices": 3,
}


def make_net() -> Network:
    units = [
        {**u, "coordination_office": OFFICES.get(u["id"], "none")} if u["kind"] != "forum" else u
        for u in UNITS
    ]
    return Network.from_tables(units, TIES, FLOWS)


@pytest.fixture
def net() -> Network:
    return make_net()


def seeds(seed: int, run: int, steps: int = 1) -> list[np.random.SeedSequence]:
    return [np.random.SeedSequence(seed, spawn_key=(run, k)) for k in range(steps)]


def shocked(network: Network, seed: int, run: int, **options: Any) -> Network:
    """budget_shock applied by hand with run ``run``'s documented seed."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(run, 0)))
    return budget_shock(network, seed=rng, **options)


def measured(network: Network) -> dict[str, float]:
    """Every measure computed directly: networkx on the simple graph, the metrics functions."""
    graph = nx.Graph(network.graph())
    components = list(nx.connected_components(graph))
    anchored = hub_connection(network)
    return {
        "ties": len(network.ties),
        "components": len(components),
        "largest_component": max(map(len, components)) / graph.number_of_nodes(),
        "isolates": sum(degree == 0 for _, degree in graph.degree()),
        "density": nx.density(graph),
        "ei_index": ei_index(network).overall,
        "commuter_coverage": commuting_gap(network).coverage,
        "hub_connected": float(anchored["connected"].mean()),
        "hub_tied": float(anchored["tied"].mean()),
        "offices": int(network.units["coordination_office"].isin(WORKING_OFFICES).sum()),
    }


def assert_measures(got: pd.Series | dict[str, Any], expected: dict[str, float]) -> None:
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, nan_ok=True), name


def crisis_plan(network: Network, **shock: float) -> Plan:
    return Plan.from_network(network, [("budget_shock", shock or SHOCK)], name="crisis")


def duty_plan(network: Network, **shock: float) -> Plan:
    steps = [("mandate", {}), ("budget_shock", shock or SHOCK)]
    return Plan.from_network(network, steps, name="duty")


RUNS = 20
SEED = 5


@pytest.fixture(scope="module")
def crisis_and_duty() -> Simulation:
    """The hand-made network shocked without and with the mandate, 20 runs, seed 5."""
    network = make_net()
    return simulate([crisis_plan(network), duty_plan(network)], runs=RUNS, seed=SEED)


def scenario_runs(result: Simulation, name: str) -> pd.DataFrame:
    return result.runs[result.runs["scenario"] == name].reset_index(drop=True)


# --- Plan ---------------------------------------------------------------------------------

ADDED = {"from": "ka", "to": "kb", "kind": "exchange"}


def test_plan_from_network_applies_the_steps_before_the_first_random_one_once(
    net: Network,
) -> None:
    steps = [
        ("mandate", {"kreise": "kb"}),
        ("budget_shock", SHOCK),
        ("add_ties", {"rows": [ADDED]}),
    ]
    plan = Plan.from_network(net, steps, name="plan")
    assert plan.name == "plan"
    assert plan.start.equals(mandate(net, kreise="kb"))
    assert [step.name for step in plan.steps] == ["budget_shock", "add_ties"]
    assert plan.steps[0].options == SHOCK
    assert plan.random_steps == 1
    assert plan.run([None]).equals(plan.start.add_ties([ADDED]))
    for run in range(5):
        (seed,) = seeds(3, run)
        expected = budget_shock(plan.start, seed=np.random.default_rng(seed), **SHOCK)
        after = plan.run([seed])
        assert after.equals(expected.add_ties([ADDED]))
        # The tie added after the shock is never cut.
        assert after.ties.iloc[-1][["from", "to", "kind"]].tolist() == ["ka", "kb", "exchange"]
    # Before: the steps after the shock still apply (the mandate joined kb to the forum).
    result = simulate(plan, runs=5, seed=3, measures=["ties", "hub_connected"])
    before = result.summary.xs("plan", level="scenario")["before"]
    assert before["ties"] == len(mandate(net, kreise="kb").ties) + 1
    assert before["hub_connected"] == 1.0
    assert result.units["connected before"].all()
    for run in range(5):
        (seed,) = seeds(3, run)
        by_hand = budget_shock(plan.start, seed=np.random.default_rng(seed), **SHOCK)
        assert result.runs.loc[run, "ties"] == len(by_hand.ties) + 1


def test_plan_gives_each_random_step_its_own_seed(net: Network) -> None:
    shock = {"voluntary": 0.4, "project": 0.3}
    plan = Plan.from_network(net, [("budget_shock", shock), ("budget_shock", shock)])
    assert plan.name == net.name
    assert plan.start.equals(net)
    assert plan.random_steps == 2
    result = simulate(plan, runs=6, seed=2, measures=["ties"])
    for run in range(6):
        first, second = (np.random.default_rng(s) for s in seeds(2, run, 2))
        by_hand = budget_shock(budget_shock(net, seed=first, **shock), seed=second, **shock)
        assert plan.run(seeds(2, run, 2)).equals(by_hand)
        assert result.runs.loc[run, "ties"] == len(by_hand.ties)
    # Leaving one shock out: the other alone.
    (first,) = seeds(2, 0)
    once = budget_shock(net, seed=np.random.default_rng(first), **shock)
    assert plan.run([first, None]).equals(once)


def test_plan_without_random_step_is_an_error(net: Network) -> None:
    with pytest.raises(
        MetricsError,
        match=r"^network: no random intervention \(budget_shock\) among its interventions, "
        r"so every run would be the same; add one, e\.g\. '- do: budget_shock' under "
        r"'interventions:'$",
    ):
        Plan.from_network(net, [("mandate", {})])
    with pytest.raises(MetricsError, match="no random intervention"):
        Plan.from_network(net, [])


def test_plan_reports_a_step_that_cannot_be_applied(net: Network) -> None:
    with pytest.raises(
        MetricsError,
        match=r"step 1.*intervention mandate cannot be applied: mandate: not a Landkreis "
        r"or kreisfreie Stadt of the network: nirgendwo",
    ):
        Plan.from_network(net, [("mandate", {"kreise": "nirgendwo"}), ("budget_shock", {})])
    # A random step with a bad option fails in the runs, with the same kind of message.
    plan = Plan.from_network(net, [("budget_shock", {"voluntary": 2})])
    with pytest.raises(
        MetricsError, match=r"budget_shock: voluntary is a probability from 0 to 1; got 2"
    ):
        simulate(plan, runs=2)


SCENARIO_UNITS = """\
id,name,kind,land,parent,coordination_office
ka,Landkreis A,landkreis,03,,project
a1,A eins,gemeinde,03,ka,
a2,A zwei,gemeinde,03,ka,
kb,Landkreis B,landkreis,03,,none
f,AG Integration,forum,03,,
"""
SCENARIO_TIES = """\
from,to,kind,funding
a1,a2,exchange,voluntary
a1,ka,exchange,project
ka,f,membership,voluntary
"""


def write_demo(write_scenario: Any, interventions: str) -> Path:
    return write_scenario(
        f"""
        name: demo
        units: {{file: units.csv}}
        ties: {{file: ties.csv}}
        interventions:
        {interventions}
        """,
        units__csv=SCENARIO_UNITS,
        ties__csv=SCENARIO_TIES,
    )


def test_plan_from_scenario_splits_the_steps_of_the_file(write_scenario: Any) -> None:
    path = write_demo(
        write_scenario,
        """
          - {do: set_attributes, ids: kb, values: {coordination_office: project}}
          - {do: budget_shock, voluntary: 0.5, project: 0.8, seed: 5}
          - {do: add_ties, rows: [{from: ka, to: kb, kind: exchange}]}
        """,
    )
    plan = Plan.from_scenario(path)
    assert plan.name == "demo"
    assert Plan.from_scenario(path, name="anders").name == "anders"
    offices = plan.start.units.set_index("id")["coordination_office"]
    assert offices.dropna().to_dict() == {"ka": "project", "kb": "project"}  # set_attributes
    assert plan.start.ties[["from", "to", "kind"]].to_numpy().tolist() == [
        ["a1", "a2", "exchange"],
        ["a1", "ka", "exchange"],
        ["ka", "f", "membership"],
    ]
    assert [step.name for step in plan.steps] == ["budget_shock", "add_ties"]
    assert plan.steps[0].options["seed"] == 5
    # Loading applies the file's seed 5; default_rng(SeedSequence(5)) draws as default_rng(5).
    assert netkoop.load(path).equals(plan.run([np.random.SeedSequence(5)]))


def test_plan_from_scenario_without_random_step_names_the_file(write_scenario: Any) -> None:
    path = write_demo(write_scenario, "  - {do: mandate}")
    with pytest.raises(MetricsError) as caught:
        Plan.from_scenario(path)
    message = str(caught.value)
    assert re.match(r"^\S*scenario\.yaml: no random intervention \(budget_shock\)", message)
    assert message.endswith("add one, e.g. '- do: budget_shock' under 'interventions:'")
    with pytest.raises(MetricsError, match=r"beispielregion.*no random intervention"):
        Plan.from_scenario("beispielregion")


def test_plans_of_the_bundled_haushaltskrise_scenarios() -> None:
    base = netkoop.load("zwei-welten-2020")
    krise = Plan.from_scenario("haushaltskrise")
    duty = Plan.from_scenario("haushaltskrise-pflichtaufgabe")
    assert (krise.name, duty.name) == ("haushaltskrise", "haushaltskrise-pflichtaufgabe")
    assert krise.start.ties.equals(base.ties)
    assert krise.start.units.equals(base.units)
    expected = mandate(base)  # pflichtaufgabe: every building block of the mandate
    assert duty.start.ties.equals(expected.ties)
    assert duty.start.units.equals(expected.units)
    for plan in (krise, duty):
        assert [(s.name, s.options) for s in plan.steps] == [
            ("budget_shock", {"voluntary": 0.5, "project": 0.8, "seed": 2020, "offices": True})
        ]
    assert netkoop.load("haushaltskrise").equals(krise.run([np.random.SeedSequence(2020)]))


# --- runs, summary, difference, units -------------------------------------------------------


def test_each_run_is_the_shock_applied_by_hand_and_measured_directly(
    net: Network, crisis_and_duty: Simulation
) -> None:
    runs = crisis_and_duty.runs
    assert list(runs.columns) == ["scenario", "run", *MEASURES]
    assert runs["scenario"].tolist() == ["crisis"] * RUNS + ["duty"] * RUNS
    assert runs["run"].tolist() == list(range(RUNS)) * 2
    crisis, duty = crisis_plan(net), duty_plan(net)
    for run in range(RUNS):
        by_hand = shocked(net, SEED, run, **SHOCK)
        assert crisis.run(seeds(SEED, run)).equals(by_hand)
        assert_measures(runs.iloc[run], measured(by_hand))
        with_duty = shocked(mandate(net), SEED, run, **SHOCK)
        assert duty.run(seeds(SEED, run)).equals(with_duty)
        assert_measures(runs.iloc[RUNS + run], measured(with_duty))
    # The shock does vary from run to run.
    assert runs["ties"].iloc[:RUNS].nunique() > 3


def test_summary_is_numpy_on_the_runs(crisis_and_duty: Simulation) -> None:
    summary = crisis_and_duty.summary
    assert summary.index.names == ["scenario", "measure"]
    assert list(summary.columns) == [
        "before",
        "mean",
        "std",
        "min",
        "q05",
        "q25",
        "median",
        "q75",
        "q95",
        "max",
    ]
    assert summary.index.tolist() == [(s, m) for s in ("crisis", "duty") for m in MEASURES]
    for name in ("crisis", "duty"):
        runs = scenario_runs(crisis_and_duty, name)
        for measure in MEASURES:
            values = runs[measure].to_numpy(dtype=float)
            row = summary.loc[(name, measure)]
            assert row["mean"] == pytest.approx(np.mean(values))
            assert row["std"] == pytest.approx(np.std(values, ddof=1))
            assert row["min"] == np.min(values)
            assert row["max"] == np.max(values)
            for column, q in (("q05", 0.05), ("q25", 0.25), ("median", 0.5), ("q75", 0.75)):
                assert row[column] == pytest.approx(np.quantile(values, q))
            assert row["q95"] == pytest.approx(np.quantile(values, 0.95))


def test_before_is_the_network_without_the_shock(net: Network, crisis_and_duty: Simulation) -> None:
    summary = crisis_and_duty.summary
    crisis = summary.xs("crisis", level="scenario")["before"]
    duty = summary.xs("duty", level="scenario")["before"]
    assert_measures(crisis, BEFORE)
    assert_measures(crisis, measured(net))
    assert_measures(duty, BEFORE_DUTY)
    assert_measures(duty, measured(mandate(net)))


def test_difference_is_the_paired_difference_run_by_run(crisis_and_duty: Simulation) -> None:
    difference = crisis_and_duty.difference
    assert list(difference.columns) == [
        "scenario",
        "measure",
        "mean",
        "q05",
        "median",
        "q95",
        "share_higher",
        "share_lower",
    ]
    assert difference["scenario"].tolist() == ["duty"] * len(MEASURES)
    assert difference["measure"].tolist() == list(MEASURES)
    crisis = scenario_runs(crisis_and_duty, "crisis")
    duty = scenario_runs(crisis_and_duty, "duty")
    for row in difference.to_dict("records"):
        change = duty[row["measure"]].to_numpy(float) - crisis[row["measure"]].to_numpy(float)
        change = change[~np.isnan(change)]
        assert row["mean"] == pytest.approx(change.mean())
        assert row["q05"] == pytest.approx(np.quantile(change, 0.05))
        assert row["median"] == pytest.approx(np.median(change))
        assert row["q95"] == pytest.approx(np.quantile(change, 0.95))
        assert row["share_higher"] == np.count_nonzero(change > 0) / len(change)
        assert row["share_lower"] == np.count_nonzero(change < 0) / len(change)
    # Mandatory ties survive every shock: the mandate never has fewer ties or anchored units.
    higher = difference.set_index("measure")
    assert higher.loc["ties", "share_lower"] == 0
    assert higher.loc["hub_tied", "share_lower"] == 0
    assert higher.loc["hub_tied", "share_higher"] > 0.9


def test_units_count_the_runs_in_which_a_unit_stays_connected(
    net: Network, crisis_and_duty: Simulation
) -> None:
    units = crisis_and_duty.units
    assert list(units.columns) == [
        "name",
        "kind",
        "kreis",
        "connected before",
        "connected (crisis)",
        "connected (duty)",
    ]
    assert units.index.tolist() == ANCHORED  # the forum is left out
    assert units["kreis"].tolist() == ["ka", "ka", "ka", "ka", "kb", "kb", "st"]
    assert units["connected before"].tolist() == [True, True, True, True, False, True, True]
    counts = pd.Series(0, index=ANCHORED)
    for run in range(RUNS):
        counts += hub_connection(shocked(net, SEED, run, **SHOCK))["connected"].astype(int)
    assert units["connected (crisis)"].tolist() == (counts / RUNS).tolist()
    # a1's tie to ka is mandatory; kb has no Land forum: always and never connected.
    assert units.loc["a1", "connected (crisis)"] == 1.0
    assert units.loc["kb", "connected (crisis)"] == 0.0
    assert 0 < units.loc["b1", "connected (crisis)"] < 1  # its voluntary tie to kb
    # The mandate makes every anchoring tie mandatory.
    assert units["connected (duty)"].tolist() == [1.0] * len(ANCHORED)


def test_full_shock_against_mandate_gives_the_values_worked_out_by_hand(net: Network) -> None:
    result = simulate(
        [crisis_plan(net, **FULL_SHOCK), duty_plan(net, **FULL_SHOCK)], runs=5, seed=1
    )
    # Crisis: only the mandatory a1-ka remains (one tie inside a Kreis), ka's project office
    # closes. Duty: a1-ka, ka-a2, ka-a3, b1-kb, ka-f, kb-f, st-f remain, offices mandatory.
    crisis = {
        "ties": 1,
        "components": 7,
        "largest_component": 2 / 8,
        "isolates": 6,
        "density": 1 / 28,
        "ei_index": -1.0,
        "commuter_coverage": 0.0,
        "hub_connected": 1 / 7,
        "hub_tied": 1 / 7,
        "offices": 2,
    }
    duty = {
        "ties": 7,
        "components": 1,
        "largest_component": 1.0,
        "isolates": 0,
        "density": 7 / 28,
        "ei_index": -1.0,
        "commuter_coverage": 0.0,
        "hub_connected": 1.0,
        "hub_tied": 1.0,
        "offices": 3,
    }
    for run in range(5):
        assert_measures(result.runs.iloc[run], crisis)
        assert_measures(result.runs.iloc[5 + run], duty)
    difference = result.difference.set_index("measure")
    for measure in MEASURES:
        change = duty[measure] - crisis[measure]
        assert difference.loc[measure, ["mean", "q05", "median", "q95"]].tolist() == (
            pytest.approx([change] * 4)
        )
        assert difference.loc[measure, "share_higher"] == (1.0 if change > 0 else 0.0)
        assert difference.loc[measure, "share_lower"] == (1.0 if change < 0 else 0.0)
    assert result.units["connected (crisis)"].to_dict() == {u: float(u == "a1") for u in ANCHORED}
    assert result.units["connected (duty)"].tolist() == [1.0] * len(ANCHORED)


def test_a_scenario_against_itself_differs_by_nothing(net: Network) -> None:
    result = simulate([crisis_plan(net), crisis_plan(net)], runs=15, seed=4)
    assert result.scenarios == ("crisis", "crisis (2)")
    assert (result.difference[["mean", "q05", "median", "q95"]] == 0).all().all()
    assert (result.difference[["share_higher", "share_lower"]] == 0).all().all()
    assert result.units["connected (crisis)"].equals(
        result.units["connected (crisis (2))"].rename("connected (crisis)")
    )


def test_measures_choose_the_columns(net: Network) -> None:
    result = simulate(crisis_plan(net), runs=3, seed=0, measures=["hub_tied", "ties"])
    assert list(result.runs.columns) == ["scenario", "run", "hub_tied", "ties"]
    assert result.summary.index.get_level_values("measure").tolist() == ["hub_tied", "ties"]
    assert result.difference.empty
    assert set(MEASURE_HELP) == set(MEASURES)


# --- seeds and workers ----------------------------------------------------------------------


def assert_same(one: Simulation, other: Simulation) -> None:
    pd.testing.assert_frame_equal(one.runs, other.runs)
    pd.testing.assert_frame_equal(one.summary, other.summary)
    pd.testing.assert_frame_equal(one.difference, other.difference)
    pd.testing.assert_frame_equal(one.units, other.units)


def test_results_do_not_depend_on_the_number_of_workers(
    net: Network, crisis_and_duty: Simulation
) -> None:
    plans = [crisis_plan(net), duty_plan(net)]
    done: list[int] = []
    two = simulate(plans, runs=RUNS, seed=SEED, jobs=2, progress=done.append)
    assert_same(two, crisis_and_duty)
    assert sum(done) == RUNS
    assert len(done) > 2  # the runs were split into batches
    with joblib.parallel_config(backend="threading"):
        threads = simulate(plans, runs=RUNS, seed=SEED, jobs=2)
    assert_same(threads, crisis_and_duty)


def test_the_seed_of_a_run_does_not_depend_on_the_other_scenarios(
    net: Network, crisis_and_duty: Simulation
) -> None:
    alone = simulate(crisis_plan(net), runs=RUNS, seed=SEED)
    pd.testing.assert_frame_equal(alone.runs, scenario_runs(crisis_and_duty, "crisis"))
    swapped = simulate([duty_plan(net), crisis_plan(net)], runs=RUNS, seed=SEED)
    pd.testing.assert_frame_equal(
        scenario_runs(swapped, "crisis"), scenario_runs(crisis_and_duty, "crisis")
    )
    fewer = simulate(crisis_plan(net), runs=10, seed=SEED)
    pd.testing.assert_frame_equal(fewer.runs, alone.runs.iloc[:10])


def test_different_seeds_give_different_runs(net: Network, crisis_and_duty: Simulation) -> None:
    other = simulate(crisis_plan(net), runs=RUNS, seed=SEED + 1, measures=["ties"])
    same = scenario_runs(crisis_and_duty, "crisis")
    assert other.runs["ties"].tolist() != same["ties"].tolist()
    # ... and each is the shock by hand under its own seed.
    assert other.runs.loc[0, "ties"] == len(shocked(net, SEED + 1, 0, **SHOCK).ties)


# --- common random numbers between scenarios ----------------------------------------------------


def test_shared_voluntary_ties_meet_the_same_fate_with_and_without_mandate() -> None:
    krise = Plan.from_scenario("haushaltskrise")
    duty = Plan.from_scenario("haushaltskrise-pflichtaufgabe")

    def voluntary_keys(start: Network) -> set[str]:
        ties = start.ties
        voluntary = ties["funding"].isna() | (ties["funding"] == "voluntary")
        return set(tie_keys(ties)[voluntary.to_numpy()])

    shared = voluntary_keys(krise.start) & voluntary_keys(duty.start)
    assert len(shared) > 20
    ended_somewhere = kept_somewhere = False
    for run in range(8):
        one, other = krise.run(seeds(0, run)), duty.run(seeds(0, run))
        kept_one = shared & set(tie_keys(one.ties))
        kept_other = shared & set(tie_keys(other.ties))
        assert kept_one == kept_other
        ended_somewhere |= len(kept_one) < len(shared)
        kept_somewhere |= bool(kept_one)
        assert hub_connection(other)["connected"].all()
        assert not hub_connection(one)["connected"].all()
    assert ended_somewhere
    assert kept_somewhere


def test_a_tie_meets_the_same_fate_whatever_the_other_ties(net: Network) -> None:
    """Removing the first tie shifts every other one in the table, not its draw."""
    first = {"from": "a1", "to": "a2", "kind": "exchange"}
    crisis = crisis_plan(net)
    fewer = Plan.from_network(net, [("remove_ties", {"rows": [first]}), ("budget_shock", SHOCK)])
    (removed,) = tie_keys(pd.DataFrame([first]))
    outcomes = set()
    for run in range(RUNS):
        kept = set(tie_keys(crisis.run(seeds(SEED, run)).ties))
        assert set(tie_keys(fewer.run(seeds(SEED, run)).ties)) == kept - {removed}
        outcomes.add(frozenset(kept))
    assert len(outcomes) > 5


@pytest.fixture(scope="module")
def haushaltskrise() -> Simulation:
    return simulate(
        ["haushaltskrise", "haushaltskrise-pflichtaufgabe"],
        runs=20,
        seed=0,
        measures=["ties", "hub_connected", "hub_tied", "offices"],
    )


def test_bundled_haushaltskrise_with_and_without_mandate(haushaltskrise: Simulation) -> None:
    assert haushaltskrise.scenarios == ("haushaltskrise", "haushaltskrise-pflichtaufgabe")
    duty = scenario_runs(haushaltskrise, "haushaltskrise-pflichtaufgabe")
    krise = scenario_runs(haushaltskrise, "haushaltskrise")
    assert (duty["hub_connected"] == 1).all()
    assert (duty["hub_tied"] == 1).all()
    assert (krise["hub_connected"] < 1).all()
    before = haushaltskrise.summary["before"]
    assert before[("haushaltskrise", "ties")] == len(netkoop.load("zwei-welten-2020").ties)
    assert before[("haushaltskrise-pflichtaufgabe", "ties")] == len(
        netkoop.load("pflichtaufgabe").ties
    )
    assert before[("haushaltskrise-pflichtaufgabe", "hub_tied")] == 1.0
    # The mandate's ties are mandatory: it always keeps more ties than the crisis alone.
    assert (duty["ties"] > krise["ties"]).all()
    assert haushaltskrise.units["connected (haushaltskrise-pflichtaufgabe)"].eq(1).all()


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"runs": 0}, r"^runs must be a whole number of at least 1; got 0$"),
        ({"runs": 2.5}, r"^runs must be a whole number of at least 1; got 2\.5$"),
        ({"runs": True}, r"^runs must be a whole number of at least 1; got True$"),
        ({"jobs": 0}, r"^jobs must be -1 \(all cores\) or at least 1; got 0$"),
        ({"jobs": -2}, r"^jobs must be -1 \(all cores\) or at least 1; got -2$"),
        ({"measures": ["ties", "nodes"]}, r"^unknown measure\(s\) nodes; measures: ties, "),
        ({"measures": []}, r"^unknown measure\(s\) \(none given\); measures: ties, "),
    ],
)
def test_simulate_rejects_bad_options(net: Network, options: dict[str, Any], message: str) -> None:
    with pytest.raises(MetricsError, match=message):
        simulate(crisis_plan(net), **options)


def test_simulate_needs_scenarios() -> None:
    with pytest.raises(MetricsError, match=r"^simulate needs at least one scenario$"):
        simulate([])
    with pytest.raises(UnknownScenarioError, match="nirgendwo: no such file or folder"):
        simulate("nirgendwo")


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("nonsense", {})], r"step 1: unknown step 'nonsense'; steps: add_ties, "),
        ([("budget_shock", {}), ("add_ties", {})], r"step 2: add_ties needs the option\(s\) rows"),
        (
            [("budget_shock", {"volontary": 0.5})],
            r"budget_shock takes no option\(s\) volontary; allowed: voluntary, project, seed",
        ),
    ],
)
def test_plan_from_network_checks_steps_like_scenario_files(
    net: Network, steps: list[tuple[str, dict[str, object]]], message: str
) -> None:
    with pytest.raises(MetricsError, match=message):
        Plan.from_network(net, steps)


def test_negative_seed_is_a_netkoop_error(net: Network) -> None:
    with pytest.raises(MetricsError, match="seed"):
        simulate(crisis_plan(net), runs=1, seed=-1)


def test_cli_negative_seed_is_one_error_line() -> None:
    run = invoke("haushaltskrise", "--runs", "1", "--seed", "-1")
    assert_one_error_line(run, 2, r"seed")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["simulate", *args])


def assert_one_error_line(run: Result, code: int, message: str) -> None:
    assert run.exit_code == code, run.output
    errors = [line for line in run.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, run.output
    assert re.search(message, errors[0]), errors[0]
    assert "Traceback" not in run.output
    assert run.exception is None or isinstance(run.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--runs", "0"], 2, r"Invalid value for '--runs': 0 is not in the range x>=1"),
        (["--jobs", "-2"], 2, r"Invalid value for '--jobs'"),
        (["--jobs", "0"], 1, r"^Error: jobs must be -1 \(all cores\) or at least 1; got 0$"),
        (["--metric", "ties,knoten"], 1, r"^Error: unknown measure\(s\) knoten; measures: "),
        (["--format", "json"], 2, r"--format json needs --output"),
    ],
)
def test_cli_errors_are_one_line_and_write_nothing(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    out = tmp_path / "out"
    output = [] if "--format" in args else ["-o", str(out / "result.json")]
    run = invoke("haushaltskrise", "--runs", "2", *args, *output)
    assert_one_error_line(run, code, message)
    assert not out.exists()


def test_cli_error_for_a_scenario_without_random_step(write_scenario: Any, tmp_path: Path) -> None:
    path = write_demo(write_scenario, "  - {do: mandate}")
    out = tmp_path / "out"
    out.mkdir()
    run = invoke(str(path), "haushaltskrise", "--runs", "2", "-o", str(out))
    assert_one_error_line(
        run,
        1,
        r"^Error: \S*scenario\.yaml: no random intervention \(budget_shock\) among its "
        r"interventions, so every run would be the same; add one, e\.g\. '- do: budget_shock' "
        r"under 'interventions:'$",
    )
    assert list(out.iterdir()) == []


def test_cli_error_for_an_unknown_scenario(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    run = invoke("haushaltskrise", "nirgendwo", "--runs", "2", "-o", str(out))
    assert_one_error_line(
        run, 1, r"^Error: nirgendwo: no such file or folder, and no bundled scenario"
    )
    assert list(tmp_path.iterdir()) == []


# --- command line output ----------------------------------------------------------------------


def block(text: str, title: str) -> dict[str, list[str]]:
    """The rows of the table under a title line in the text output, split into cells."""
    lines = text.splitlines()
    start = lines.index(title)
    rows = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[0]] = cells[1:]
    return rows


def number(value: float, *, sign: bool = False) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:+.4g}" if sign else f"{value:.4g}"


def test_cli_text_shows_summary_and_difference_of_the_chosen_measures(
    haushaltskrise: Simulation,
) -> None:
    run = invoke(
        "haushaltskrise",
        "haushaltskrise-pflichtaufgabe",
        "--runs",
        "20",
        "--metric",
        "ties, hub_connected",
        "-q",
        "--lang",
        "en",
    )
    assert run.exit_code == 0, run.output
    text = run.stdout
    assert text.startswith("Simulation: 20 runs per scenario, seed 0\n")
    summary = haushaltskrise.summary
    for name in haushaltskrise.scenarios:
        rows = block(text, name)
        assert rows["measure"] == []
        assert set(rows) == {"before", "measure", "ties", "hub_connected"}
        for measure in ("ties", "hub_connected"):
            row = summary.loc[(name, measure)]
            columns = ["before", "mean", "q05", "median", "q95"]
            assert rows[measure] == [number(row[c]) for c in columns]
    assert block(text, "haushaltskrise")["ties"][0] == str(
        len(netkoop.load("zwei-welten-2020").ties)
    )
    title = "haushaltskrise-pflichtaufgabe minus haushaltskrise, run by run under the same shocks"
    rows = block(text, title)
    difference = haushaltskrise.difference.set_index("measure")
    for measure in ("ties", "hub_connected"):
        row = difference.loc[measure]
        expected = [number(row[c], sign=True) for c in ("mean", "q05", "median", "q95")]
        expected += [f"{row['share_higher']:.0%}", f"{row['share_lower']:.0%}"]
        assert rows[measure] == expected
    assert rows["hub_connected"][-2:] == ["100%", "0%"]
    assert f"  ties: {MEASURE_HELP['ties']}" in text
    assert f"  hub_connected: {MEASURE_HELP['hub_connected']}" in text
    assert "density" not in text
    assert "Units connected before the shock and least often after it, in haushaltskrise" in text


def test_cli_text_speaks_german_by_default(haushaltskrise: Simulation) -> None:
    run = invoke(
        "haushaltskrise", "haushaltskrise-pflichtaufgabe", "--runs", "20", "--metric", "ties", "-q"
    )
    assert run.exit_code == 0, run.output
    text = run.stdout
    assert text.startswith("Simulation: 20 Läufe je Szenario, Startwert 0\n")
    row = haushaltskrise.summary.loc[("haushaltskrise", "ties")]
    cells = [f"{row[c]:.4g}".replace(".", ",") for c in ("before", "mean", "q05", "median", "q95")]
    assert re.search(r"^Verbindungen\s+" + r"\s+".join(map(re.escape, cells)) + "$", text, re.M)
    title = (
        "haushaltskrise-pflichtaufgabe minus haushaltskrise, Lauf für Lauf unter denselben Schocks"
    )
    assert title in text
    assert "  Verbindungen: Zahl der Verbindungen" in text
    assert "Einheiten, die vor dem Schock verbunden waren und danach am seltensten" in text


def test_cli_output_is_byte_identical_whatever_the_workers(tmp_path: Path) -> None:
    common = ["haushaltskrise", "haushaltskrise-pflichtaufgabe", "--runs", "8", "--seed", "3"]
    written = {}
    for label, extra in {
        "one": ["--jobs", "1"],
        "two": ["--jobs", "2"],
        "threads": ["--jobs", "2", "--backend", "threading"],
    }.items():
        target = tmp_path / f"{label}.json"
        run = invoke(*common, *extra, "-o", str(target), "-q")
        assert run.exit_code == 0, run.output
        assert run.stdout.startswith(f"Wrote {target}\n")
        written[label] = target.read_bytes()
    assert written["one"] == written["two"] == written["threads"]
    # The file is the library's report of the same simulation.
    expected = simulate(["haushaltskrise", "haushaltskrise-pflichtaufgabe"], runs=8, seed=3)
    assert written["one"].decode("utf-8") == expected.report().to_json()
    data = json.loads(written["one"])
    assert data["values"] == {
        "scenarios": "haushaltskrise, haushaltskrise-pflichtaufgabe",
        "runs": 8,
        "seed": 3,
    }
    assert list(data["tables"]) == ["summary", "difference", "units", "runs"]
    assert len(data["tables"]["runs"]) == 16

    folders = {}
    for jobs in ("1", "2"):
        target = tmp_path / f"csv-{jobs}"
        run = invoke(*common, "--jobs", jobs, "-o", str(target), "-q")
        assert run.exit_code == 0, run.output
        folders[jobs] = {p.name: p.read_bytes() for p in sorted(target.iterdir())}
    assert list(folders["1"]) == [
        ".netkoop",  # the marker of a folder netkoop made
        "difference.csv",
        "runs.csv",
        "summary.csv",
        "units.csv",
        "values.csv",
    ]
    assert folders["1"] == folders["2"]


# --- the national scenario --------------------------------------------------------------------

EXCHANGE_MIN = 3000
JOINT_MIN = 5000


@pytest.fixture
def national(official: Path, write_scenario: Any) -> Path:
    """The 400 Kreise with commuter flows and borders, ties added by rule, then the shock."""
    interventions = f"""
        interventions:
          - do: add_ties_where
            kind: exchange
            adjacent: true
            min_commuters: {EXCHANGE_MIN}
            attributes: {{funding: voluntary}}
          - do: add_ties_where
            kind: joint_project
            from_kinds: landkreis
            to_kinds: kreisfreie_stadt
            adjacent: true
            min_commuters: {JOINT_MIN}
            attributes: {{funding: project}}
          - {{do: budget_shock, voluntary: 0.5, project: 0.8, seed: 1}}
        """
    text = national_yaml(
        official / "derived",
        name="deutschland-krise",
        gemeinden=False,
        borders=True,
        more=interventions,
    )
    return write_scenario(text)


def national_pairs(official: Path) -> pd.DataFrame:
    """Adjacent pairs of Kreise with their commuters (both ways) and kinds, from the CSVs."""
    derived = official / "derived"
    text = {"kreis_ags": str, "kreis_a": str, "kreis_b": str}
    kreise = pd.read_csv(derived / "kreise.csv.gz", dtype=text).set_index("kreis_ags")["kind"]
    flows = pd.read_csv(
        derived / "pendler_kreise_od.csv.gz", dtype={"wohnort_kreis": str, "arbeitsort_kreis": str}
    )
    low = flows[["wohnort_kreis", "arbeitsort_kreis"]].min(axis=1)
    high = flows[["wohnort_kreis", "arbeitsort_kreis"]].max(axis=1)
    commuters = flows.groupby([low, high])["insgesamt"].sum()
    borders = pd.read_csv(derived / "kreis_adjacency.csv.gz", dtype=text)
    pairs = borders[["kreis_a", "kreis_b"]].copy()
    keys = pd.MultiIndex.from_arrays([pairs["kreis_a"], pairs["kreis_b"]])
    pairs["commuters"] = commuters.reindex(keys, fill_value=0).to_numpy()
    assert set(kreise) == {"Landkreis", "kreisfreie Stadt"}
    pairs["mixed"] = pairs["kreis_a"].map(kreise) != pairs["kreis_b"].map(kreise)
    return pairs


def test_national_scenario_simulated_on_two_workers(national: Path, official: Path) -> None:
    pairs = national_pairs(official)
    exchange = pairs[pairs["commuters"] >= EXCHANGE_MIN]
    joint = pairs[(pairs["commuters"] >= JOINT_MIN) & pairs["mixed"]]
    total = 13_459_370  # all commuters of pendler_kreise_od.csv (SOURCE.txt)
    graph = nx.Graph()
    graph.add_nodes_from(
        pd.read_csv(official / "derived" / "kreise.csv.gz", dtype={"kreis_ags": str})["kreis_ags"]
    )
    graph.add_edges_from(zip(exchange["kreis_a"], exchange["kreis_b"], strict=True))

    plan = Plan.from_scenario(national)
    assert plan.start.ties["kind"].value_counts().to_dict() == {
        "exchange": len(exchange),
        "joint_project": len(joint),
    }
    result = simulate(
        plan,
        runs=20,
        seed=7,
        jobs=2,
        measures=["ties", "components", "isolates", "commuter_coverage", "ei_index"],
    )
    before = result.summary["before"].droplevel("scenario")
    assert before["ties"] == len(exchange) + len(joint)
    assert before["components"] == nx.number_connected_components(graph)
    assert before["isolates"] == sum(degree == 0 for _, degree in graph.degree())
    assert before["commuter_coverage"] == pytest.approx(exchange["commuters"].sum() / total)
    assert before["ei_index"] == 1.0  # every tie joins two Kreise

    runs = result.runs
    (seed,) = seeds(7, 0)
    first = budget_shock(plan.start, seed=np.random.default_rng(seed), voluntary=0.5, project=0.8)
    assert runs.loc[0, "ties"] == len(first.ties)
    # Exchange ties end with probability 0.5, joint projects with 0.8: the mean of 20 runs
    # lies within five standard errors of its expectation.
    expected = 0.5 * len(exchange) + 0.2 * len(joint)
    spread = math.sqrt((0.25 * len(exchange) + 0.16 * len(joint)) / 20)
    assert abs(runs["ties"].mean() - expected) < 5 * spread
    assert (runs["commuter_coverage"] < before["commuter_coverage"]).all()
    assert (runs["components"] > before["components"]).all()


def test_national_scenario_from_the_command_line(
    national: Path, official: Path, tmp_path: Path
) -> None:
    pairs = national_pairs(official)
    exchange = pairs[pairs["commuters"] >= EXCHANGE_MIN]
    joint = pairs[(pairs["commuters"] >= JOINT_MIN) & pairs["mixed"]]
    out = tmp_path / "national.json"
    run = invoke(
        str(national),
        "--runs",
        "6",
        "--jobs",
        "2",
        "--metric",
        "ties,commuter_coverage",
        "-o",
        str(out),
        "-q",
    )
    assert run.exit_code == 0, run.output
    assert "deutschland-krise" in run.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    summary = {row["measure"]: row for row in data["tables"]["summary"]}
    assert set(summary) == {"ties", "commuter_coverage"}
    runs = pd.DataFrame(data["tables"]["runs"])
    assert runs["run"].tolist() == list(range(6))
    assert summary["ties"]["mean"] == pytest.approx(runs["ties"].mean())
    assert summary["ties"]["before"] == len(exchange) + len(joint)
    assert summary["ties"]["before"] > summary["ties"]["max"]
    assert summary["commuter_coverage"]["before"] == pytest.approx(
        exchange["commuters"].sum() / 13_459_370
    )
