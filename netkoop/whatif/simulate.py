"""Monte Carlo runs of scenarios with random interventions, spread over cores with joblib.

A scenario whose ``interventions:`` include a random step (`budget_shock`) is one draw of
many possible ones. `simulate` repeats the random steps with fresh seeds, measures every
outcome, and summarises the distribution; several scenarios run under the same seeds, so
that their differences come from what the scenarios change, not from luck (with the common
random numbers of `budget_shock`, a tie the scenarios share meets the same fate in both).

Seeds: run ``r`` draws its ``k``-th random step from
``numpy.random.SeedSequence(seed, spawn_key=(r, k))``, the same for every scenario and
whatever the number of workers, so one seed gives identical results with 1 or 16 jobs.
The runs are spread with `joblib.Parallel` without naming a backend: the default uses the
local cores, and ``with joblib.parallel_config(backend="dask"):`` moves them to a Dask
cluster (needs ``distributed``) without changing this code.

A scenario whose only random step is an undated `budget_shock` (the common case) runs
without building a network per run: the shock only removes ties and ends offices, so each
run is a mask over the start network's rows, measured by `netkoop.metrics.headline.Subsets`
from arrays worked out once (about 6 ms a run at Gemeinde scale, 11,000 units and 78,000
ties, against 0.2 to 0.3 s with a network per run), with the same values to the last bit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

from netkoop._errors import MetricsError, NetkoopError
from netkoop.interventions import INTERVENTIONS, Step, apply_steps, check_step
from netkoop.interventions.policy import ShockDraws, budget_shock
from netkoop.metrics.engine import check_jobs
from netkoop.metrics.headline import MEASURE_HELP, MEASURES, Commuters, Subsets
from netkoop.metrics.report import Report
from netkoop.metrics.resilience import hub_connection
from netkoop.model.dates import DATE_FORMS, day_of
from netkoop.model.network import Network
from netkoop.output.provenance import provenance
from netkoop.scenario import loaded

__all__ = ["MEASURES", "MEASURE_HELP", "QUANTILES", "Plan", "Simulation", "simulate"]

# The measures live in `netkoop.metrics.headline` and are named here too, where callers of
# simulate look them up; benchmarks/simulate.py times them with the commuters counted once.
_Commuters = Commuters

#: Quantiles reported for every measure.
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True, eq=False)
class Plan:
    """A scenario prepared for many runs.

    ``start`` is the network before the first random step, ``steps`` the interventions from
    that step on (they run again in every run), ``name`` labels the scenario in the results.
    With ``at`` (an ISO day), every run is measured on the network as it stands that day
    (`Network.at`), so a shock ``at`` a date or money that expires shows in the measures.
    """

    name: str
    start: Network
    steps: tuple[Step, ...]
    at: str | None = None

    @classmethod
    def from_scenario(cls, spec: str | Path, *, name: str | None = None) -> Plan:
        """Read a scenario (path, folder or bundled name) and split its interventions.

        The steps before the first random one are applied once, here.

        Raises
        ------
        ScenarioError
            When the scenario is not valid.
        MetricsError
            When the scenario has no random intervention: every run would be the same.
        """
        result = loaded(spec)
        if result.tables is None:  # loaded raises first
            raise MetricsError(f"{result.source}: the scenario is not valid")
        return cls._split(
            result.tables, result.interventions, name or result.tables.name, result.source
        )

    @classmethod
    def from_network(
        cls,
        network: Network,
        steps: Iterable[tuple[str, Mapping[str, Any]]],
        *,
        name: str | None = None,
    ) -> Plan:
        """Prepare a network and intervention steps given in Python, e.g.
        ``[("budget_shock", {"voluntary": 0.6})]``; names and options as in scenario files.

        Steps before the first random one are applied once, here.

        Raises
        ------
        MetricsError
            When a step is unknown, misses an option or has one it does not take, when no
            step is random, or when a step cannot be applied.
        """
        where = f"{name or network.name}, step"
        given = tuple(
            Step(step, dict(options), f"{where} {i}")
            for i, (step, options) in enumerate(steps, start=1)
        )
        for step in given:
            problem = check_step(step)
            if problem is not None:
                raise MetricsError(f"{step.where}: {problem}")
        return cls._split(network, given, name or network.name, network.name)

    @classmethod
    def _split(cls, network: Network, steps: tuple[Step, ...], name: str, source: str) -> Plan:
        first = next((i for i, step in enumerate(steps) if step.random), None)
        if first is None:
            random = sorted(name for name, known in INTERVENTIONS.items() if known.random)
            raise MetricsError(
                f"{source}: no random intervention ({', '.join(random)}) "
                "among its interventions, so every run would be the same; add one, e.g. "
                "'- do: budget_shock' under 'interventions:'"
            )
        start, failure = apply_steps(network, steps[:first])
        if start is None:
            raise MetricsError(f"{source}: {failure}")
        return cls(name, start, steps[first:])

    def run(self, seeds: Sequence[np.random.SeedSequence | None]) -> Network:
        """Apply the steps; the ``k``-th random step draws from ``seeds[k]``.

        A seed of None leaves the random step out (the network before any shock).
        """
        network = self.start
        steps = []
        random = iter(seeds)
        for step in self.steps:
            if not step.random:
                steps.append(step)
            elif (seed := next(random)) is not None:
                options = {**step.options, "seed": np.random.default_rng(seed)}
                steps.append(dataclasses.replace(step, options=options))
        changed, failure = apply_steps(network, steps)
        if changed is None:
            raise MetricsError(f"{self.name}: {failure}")
        return changed if self.at is None else changed.at(self.at)

    @property
    def random_steps(self) -> int:
        """The number of random steps per run."""
        return sum(step.random for step in self.steps)


@dataclass(frozen=True, eq=False)
class Simulation:
    """The outcome of `simulate`.

    Attributes
    ----------
    runs
        One row per scenario and run: ``scenario``, ``run``, then one column per measure.
    summary
        One row per scenario and measure: ``before`` (the value without the random steps),
        ``mean``, ``std``, ``min``, the `QUANTILES` as ``q05``, ``q25``, ``median``, ``q75``,
        ``q95``, and ``max``.
    difference
        Each scenario after the first against the first, run by run under the same seeds:
        ``scenario``, ``measure``, ``mean``, ``q05``, ``median``, ``q95`` of the paired
        difference, and the shares of runs in which it is higher or lower. Empty for one
        scenario.
    units
        Per Gemeinde and Kreis of the first scenario's start (id, name, kind, Kreis):
        ``connected before``, whether the first scenario without its random steps connects
        the unit to its Kreis hub or a forum of its Land (see
        `netkoop.metrics.resilience.hub_connection`), then for each scenario the share of runs
        in which it is still connected, as ``connected (<scenario>)``.
    seed, scenarios
        The seed and the scenario names, in order.
    at
        The day every run was measured on, if one was asked for.
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    difference: pd.DataFrame
    units: pd.DataFrame
    seed: int
    scenarios: tuple[str, ...]
    at: str | None = None

    def report(self) -> Report:
        """The results as a `Report`, to print or write as CSV, JSON, Markdown or Excel.

        Its provenance records the versions, the seed, the runs, the measures and the
        scenarios; not the workers, which do not change the results.
        """
        runs = int(self.runs["run"].nunique())
        measures = list(dict.fromkeys(self.summary.index.get_level_values("measure")))
        dated = {} if self.at is None else {"at": self.at}
        made = provenance(
            self.seed, scenarios=list(self.scenarios), runs=runs, measures=measures, **dated
        )
        report = Report(" vs ".join(self.scenarios), provenance=made)
        report.values.update(
            {"scenarios": ", ".join(self.scenarios), "runs": runs, "seed": self.seed, **dated}
        )
        report.tables["summary"] = self.summary
        if not self.difference.empty:
            report.tables["difference"] = self.difference
        report.tables["units"] = self.units
        report.tables["runs"] = self.runs
        return report


# --- running ----------------------------------------------------------------------------------


def simulate(
    scenarios: str | Path | Plan | Iterable[str | Path | Plan],
    *,
    runs: int = 100,
    seed: int = 0,
    jobs: int = 1,
    measures: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
    at: str | dt.date | None = None,
) -> Simulation:
    """Run scenarios with random interventions many times under shared seeds and summarise.

    Parameters
    ----------
    scenarios
        One or more scenarios (path, folder, bundled name or `Plan`), each with at least one
        random intervention (one registered with ``random=True``, such as `budget_shock`).
        The seeds written in the files are replaced by seeds derived from ``seed``.
    runs
        Runs per scenario.
    seed
        The root seed; run ``r``'s ``k``-th random step uses ``SeedSequence(seed,
        spawn_key=(r, k))`` in every scenario.
    jobs
        Worker processes (joblib's ``n_jobs``; -1 for every core of the joblib backend in
        use, a Dask cluster's under ``joblib.parallel_config(backend="dask")``). Results do
        not depend on it.
    measures
        Names from `MEASURES`; all when omitted.
    progress
        Called with the number of runs finished each time a batch completes.
    at
        Measure every run (and the value before the shock) on the network as it stands on
        this date (`Network.at`), for scenarios with dates: a `budget_shock` ``at`` a date,
        money that expires. A year or year-month means its first day.

    Raises
    ------
    MetricsError
        When runs, seed or jobs is out of range, a measure is unknown, a scenario has no
        random intervention, or ``at`` is not a date.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> crisis = Plan.from_network(net, [("budget_shock", {"voluntary": 0.5})], name="crisis")
    >>> duty = Plan.from_network(net, [("mandate", {}), ("budget_shock", {"voluntary": 0.5})])
    >>> result = simulate([crisis, duty], runs=50, seed=1)
    >>> result.summary.loc[("crisis", "ties"), ["before", "min", "max"]].tolist()
    [21.0, 6.0, 16.0]
    >>> result.summary.loc[("crisis", "hub_tied"), ["before", "mean"]].round(3).tolist()
    [0.636, 0.453]
    >>> result.summary.loc[("beispielregion", "hub_tied"), ["before", "min"]].tolist()
    [1.0, 1.0]

    With the mandate (the second plan, named after the network), every Gemeinde and Kreis
    keeps its tie to its Landkreis or Land forum in every run.
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise MetricsError(f"runs must be a whole number of at least 1; got {runs!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise MetricsError(f"seed must be a whole number of 0 or more; got {seed!r}")
    workers = check_jobs(jobs)
    chosen = list(measures) if measures is not None else list(MEASURES)
    unknown = [m for m in chosen if m not in MEASURES]
    if unknown or not chosen:
        raise MetricsError(
            f"unknown measure(s) {', '.join(unknown) or '(none given)'}; "
            f"measures: {', '.join(MEASURES)}"
        )
    plans = _plans(scenarios)
    if at is not None:
        plans = [dataclasses.replace(plan, at=_day(at)) for plan in plans]

    batches = _batches(runs, workers)
    outcomes: list[_Batch] = []
    try:
        parallel = joblib.Parallel(n_jobs=jobs, return_as="generator")
    except ValueError:  # backends such as multiprocessing give their results as one list
        parallel = joblib.Parallel(n_jobs=jobs, return_as="list")
    commuters = [Commuters.of(plan.start) for plan in plans]  # flows do not change per run
    # Each batch gets what its runs need: for a plain shock only arrays (joblib maps large
    # ones into the workers' memory), not the start network with all its flows.
    runners = [_runner(plan, pairs) for plan, pairs in zip(plans, commuters, strict=True)]
    tasks = (joblib.delayed(_run_batch)(runners, batch, seed, chosen) for batch in batches)
    for outcome in parallel(tasks):
        outcomes.append(outcome)
        if progress is not None:
            progress(len(outcome.rows) // len(plans))

    before = [
        _measure(plan.run([None] * plan.random_steps), chosen, pairs)
        for plan, pairs in zip(plans, commuters, strict=True)
    ]
    return _collect(plans, outcomes, before, chosen, seed)


def _day(at: str | dt.date) -> str:
    try:
        return day_of(at)
    except NetkoopError:
        raise MetricsError(f"at: {str(at)!r} is not a date; use {DATE_FORMS}") from None


def _plans(scenarios: str | Path | Plan | Iterable[str | Path | Plan]) -> list[Plan]:
    given = [scenarios] if isinstance(scenarios, str | Path | Plan) else list(scenarios)
    if not given:
        raise MetricsError("simulate needs at least one scenario")
    plans = [p if isinstance(p, Plan) else Plan.from_scenario(p) for p in given]
    seen: dict[str, int] = {}
    named = []
    for plan in plans:  # two scenarios of the same name get "(2)", "(3)" added
        seen[plan.name] = seen.get(plan.name, 0) + 1
        label = plan.name if seen[plan.name] == 1 else f"{plan.name} ({seen[plan.name]})"
        named.append(dataclasses.replace(plan, name=label))
    return named


def _batches(runs: int, workers: int) -> list[range]:
    """Split the runs into batches: about four per worker, at most 50 runs each."""
    size = max(1, min(50, math.ceil(runs / (4 * workers))))
    return [range(start, min(start + size, runs)) for start in range(0, runs, size)]


@dataclass(frozen=True)
class _Batch:
    rows: list[dict[str, Any]]
    anchored: list[np.ndarray]  # per plan and unit of its start: runs still connected


@dataclass(frozen=True, eq=False)
class _Shock:
    """A plan whose only step is a `budget_shock` (no date), run without building networks.

    Such a shock only removes ties and ends project offices, so a run is a subset of the
    start network's rows: `ShockDraws` gives the ties and offices a seed ends, `Subsets`
    the measures and who stays connected, from arrays worked out once per plan. The values
    are those of `MEASURES` and `hub_connection` on ``plan.run(seeds)``
    (tests/test_simulate_subsets.py checks it on random networks).
    """

    draws: ShockDraws
    subsets: Subsets

    @classmethod
    def of(cls, plan: Plan, commuters: Commuters) -> _Shock | None:
        """The shortcut for ``plan``, or None when its steps need the general path."""
        if plan.at is not None or len(plan.steps) != 1 or plan.steps[0].name != "budget_shock":
            return None
        options = {name: value for name, value in plan.steps[0].options.items() if name != "seed"}
        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(budget_shock).parameters.items()
            if name in ("voluntary", "project", "offices", "at")
        }
        chosen = defaults | options
        probabilities = [chosen["voluntary"], chosen["project"]]
        plain = all(
            isinstance(p, int | float) and not isinstance(p, bool) and 0 <= p <= 1
            for p in probabilities
        )
        # Anything unusual (a date, an odd option) takes the general path and its messages.
        odd = set(chosen) != set(defaults) or not isinstance(chosen["offices"], bool)
        if odd or chosen["at"] is not None or not plain:
            return None
        draws = ShockDraws.of(
            plan.start,
            voluntary=float(chosen["voluntary"]),
            project=float(chosen["project"]),
            offices=chosen["offices"],
        )
        return cls(draws, Subsets(plan.start, commuters))

    @property
    def size(self) -> int:
        """The number of units of the start network."""
        return self.subsets.n

    def run(
        self, seeds: list[np.random.SeedSequence], measures: list[str]
    ) -> tuple[dict[str, float], np.ndarray]:
        """The measures of one run and which units stay connected (in unit order)."""
        (seed,) = seeds  # one random step, the shock
        cut, office_cut = self.draws.draw(np.random.default_rng(seed))
        values, connected = self.subsets.measure_anchored(ties=~cut, offices=~office_cut)
        return {name: float(values.get(name, math.nan)) for name in measures}, connected


@dataclass(frozen=True, eq=False)
class _Rebuild:
    """A plan run the general way: its steps applied to a new network per run, then measured."""

    plan: Plan
    commuters: Commuters

    @property
    def units(self) -> pd.Index:
        """The ids of the start network's units."""
        ids: pd.Index = pd.Index(self.plan.start.units["id"])
        return ids

    @property
    def size(self) -> int:
        """The number of units of the start network."""
        return len(self.units)

    def run(
        self, seeds: list[np.random.SeedSequence], measures: list[str]
    ) -> tuple[dict[str, float], np.ndarray]:
        """The measures of one run and which units of the start stay connected."""
        network = self.plan.run(seeds)
        connected = hub_connection(network)["connected"]
        at = self.units.get_indexer(connected.index[connected.to_numpy()])
        stays = np.zeros(len(self.units), dtype=bool)
        stays[at[at >= 0]] = True
        return _measure(network, measures, self.commuters), stays


def _runner(plan: Plan, commuters: Commuters) -> tuple[str, int, _Shock | _Rebuild]:
    """A plan's name, random steps, and what runs it: the shortcut when it applies."""
    shock = _Shock.of(plan, commuters)
    return plan.name, plan.random_steps, shock if shock is not None else _Rebuild(plan, commuters)


def _run_batch(
    runners: list[tuple[str, int, _Shock | _Rebuild]],
    batch: range,
    seed: int,
    measures: list[str],
) -> _Batch:
    rows = []
    anchored = []
    for name, random_steps, runner in runners:
        counts = np.zeros(runner.size, dtype=np.int64)
        for run in batch:
            seeds = [np.random.SeedSequence(seed, spawn_key=(run, k)) for k in range(random_steps)]
            values, stays = runner.run(seeds, measures)
            rows.append({"scenario": name, "run": run} | values)
            counts += stays
        anchored.append(counts)
    return _Batch(rows, anchored)


def _measure(network: Network, measures: list[str], commuters: Commuters) -> dict[str, float]:
    return {name: MEASURES[name](network, commuters) for name in measures}


def _collect(
    plans: list[Plan],
    outcomes: list[_Batch],
    before: list[dict[str, float]],
    measures: list[str],
    seed: int,
) -> Simulation:
    names = [plan.name for plan in plans]
    runs = pd.DataFrame([row for outcome in outcomes for row in outcome.rows])
    runs["scenario"] = pd.Categorical(runs["scenario"], categories=names)
    runs = runs.sort_values(["scenario", "run"], kind="stable").reset_index(drop=True)
    runs["scenario"] = runs["scenario"].astype("str")

    rows = []
    for name, values in zip(names, before, strict=True):
        chosen = runs[runs["scenario"] == name]
        for measure in measures:
            column = chosen[measure].to_numpy(dtype=np.float64)
            rows.append(
                {"scenario": name, "measure": measure, "before": values[measure]} | _stats(column)
            )
    summary = pd.DataFrame(rows).set_index(["scenario", "measure"])

    first = runs[runs["scenario"] == names[0]].reset_index(drop=True)
    diffs = []
    for name in names[1:]:
        other = runs[runs["scenario"] == name].reset_index(drop=True)
        for measure in measures:
            change = other[measure].to_numpy(dtype=np.float64) - first[measure].to_numpy(
                dtype=np.float64
            )
            valid = change[~np.isnan(change)]
            diffs.append(
                {
                    "scenario": name,
                    "measure": measure,
                    "mean": float(valid.mean()) if valid.size else math.nan,
                    "q05": _quantile(valid, 0.05),
                    "median": _quantile(valid, 0.5),
                    "q95": _quantile(valid, 0.95),
                    "share_higher": float((valid > 0).mean()) if valid.size else math.nan,
                    "share_lower": float((valid < 0).mean()) if valid.size else math.nan,
                }
            )
    difference = pd.DataFrame(
        diffs,
        columns=[
            "scenario",
            "measure",
            "mean",
            "q05",
            "median",
            "q95",
            "share_higher",
            "share_lower",
        ],
    )

    n_runs = int(runs["run"].nunique())
    start = plans[0].start
    units = start.units[["id", "name", "kind"]].assign(kreis=start.units["id"].map(start.kreis))
    units = units.set_index("id")
    for index, (plan, name) in enumerate(zip(plans, names, strict=True)):
        total = np.sum([outcome.anchored[index] for outcome in outcomes], axis=0)
        share = pd.Series(total / n_runs, index=pd.Index(plan.start.units["id"]))
        units[f"connected ({name})"] = share.reindex(units.index)
    anchored = hub_connection(plans[0].run([None] * plans[0].random_steps))["connected"]
    units = units.loc[units.index.isin(hub_connection(start).index)]
    units.insert(3, "connected before", anchored.reindex(units.index, fill_value=False))
    return Simulation(runs, summary, difference, units, seed, tuple(names), plans[0].at)


def _stats(values: np.ndarray) -> dict[str, float]:
    valid = values[~np.isnan(values)]
    if not valid.size:
        return dict.fromkeys(("mean", "std", "min", *_QUANTILE_NAMES, "max"), math.nan)
    return {
        "mean": float(valid.mean()),
        "std": float(valid.std(ddof=1)) if valid.size > 1 else 0.0,
        "min": float(valid.min()),
        **{name: _quantile(valid, q) for name, q in zip(_QUANTILE_NAMES, QUANTILES, strict=True)},
        "max": float(valid.max()),
    }


_QUANTILE_NAMES = tuple("median" if q == 0.5 else f"q{round(q * 100):02d}" for q in QUANTILES)


def _quantile(values: np.ndarray, q: float) -> float:
    return float(np.quantile(values, q)) if values.size else math.nan
