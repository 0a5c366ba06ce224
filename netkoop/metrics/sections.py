"""The full report: the measure families, registered under the names `--metric` accepts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from netkoop._errors import MetricsError
from netkoop.metrics.brokerage import brokerage_roles, brokerage_summary
from netkoop.metrics.communities import communities_vs_kreise, find_communities
from netkoop.metrics.focus import add_focus
from netkoop.metrics.gap import commuting_gap
from netkoop.metrics.kreis import ei_index, ei_permutation_test, forum_mediation, study_counts
from netkoop.metrics.mixing import kind_assortativity, mixing_density, mixing_matrix
from netkoop.metrics.report import Options, Report
from netkoop.metrics.structure import (
    bridges,
    overall_structure,
    start_unit_structure,
    structure_by_tie_kind,
    unit_structure,
)
from netkoop.metrics.survey import survey_section
from netkoop.model.focus import Focus
from netkoop.model.focus import focus as focus_on
from netkoop.model.network import Network

Section = Callable[[Network, Options, Report], None]
Start = Callable[[Network, Options], None]
SECTIONS: dict[str, Section] = {}
#: Families that can start their heaviest work in worker processes before they run.
STARTS: dict[str, Start] = {}


def section(name: str, *, start: Start | None = None) -> Callable[[Section], Section]:
    """Register a measure family under ``name`` (the names `--metric` accepts).

    ``start`` begins the family's heaviest work in worker processes and returns at once;
    `metrics_report` calls it first when ``Options.jobs`` asks for workers, computes the other
    families meanwhile and this one last.
    """

    def register(function: Section) -> Section:
        SECTIONS[name] = function
        if start is not None:
            STARTS[name] = start
        return function

    return register


def metrics_report(
    network: Network,
    *,
    ties: str | Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
    min_confidence: float | None = None,
    focus: str | None = None,
) -> Report:
    """Compute the chosen measure families (all by default) on the chosen ties.

    Every family is computed on the whole network, so that ranks compare a unit with all
    others. With ``focus`` the report adds the commuting gap of the focus (values
    ``gap_focus.coverage`` and ``gap_focus.pairs``, tables ``gap_focus_by_type`` and
    ``gap_focus_uncovered``: the pairs involving the unit or its Kreis, see `commuting_gap`),
    when ``gap`` is chosen and the network has flows; and the section ``focus`` (see
    `netkoop.metrics.focus.add_focus`): its ties (``focus_partners``) and its position
    among the units of its kind (``focus_position``). `Report.about` then narrows the
    tables to the focus's rows.

    Parameters
    ----------
    network
        The network.
    ties
        Tie kinds to keep, and ``confirmed`` for only the ties both sides of a survey
        reported (see `Network.select_ties`); all when omitted.
    metrics
        Names from `SECTIONS` (structure, mixing, kreis, brokerage, communities, gap,
        survey).
    options
        Seed, betweenness mode, permutations, community method, commuting-gap column.
    progress
        Called as ``progress(0, total)`` before the first family, then as ``progress(1,
        total)`` each time one is done; ``total`` is the number of families chosen.
    min_confidence
        Keep only ties whose ``confidence`` is at least this; ties without one count as 1.0.
    focus
        The id of a unit (or the key of a Land) to profile; see `netkoop.model.focus.focus`.

    Raises
    ------
    NetkoopError
        When a metric name, tie kind or focus is unknown, or the tie selection does not fit
        the network (``confirmed`` without a ``confirmed`` column).

    Examples
    --------
    >>> report = metrics_report(netkoop.load("beispielregion"), metrics=["structure"])
    >>> report.values["structure.units"]
    13
    >>> nord = metrics_report(netkoop.load("beispielregion"), metrics=["gap"], focus="lk-nord")
    >>> nord.values["gap_focus.pairs"], round(nord.values["gap_focus.coverage"], 3)
    (8, 0.677)
    """
    chosen = list(metrics) if metrics is not None else list(SECTIONS)
    unknown = [m for m in chosen if m not in SECTIONS]
    if unknown:
        raise MetricsError(
            f"unknown metric(s) {', '.join(unknown)}; available: {', '.join(SECTIONS)}"
        )
    around = focus_on(network, focus) if focus is not None else None
    subject = network.select_ties(ties, min_confidence=min_confidence)
    settings = options or Options()
    report = Report(network.name)
    if progress is not None:
        progress(0, len(chosen))
    # With workers, the families that can start their work there do so first and are
    # computed last, so that this process measures the others meanwhile.
    started = [name for name in chosen if name in STARTS and settings.jobs != 1]
    for name in started:
        STARTS[name](subject, settings)
    parts = {}
    for name in [name for name in chosen if name not in started] + started:
        parts[name] = Report(network.name)
        SECTIONS[name](subject, settings, parts[name])
        if progress is not None:
            progress(1, len(chosen))
    for name in chosen:  # in the order asked for, whatever the order computed in
        report.values |= parts[name].values
        report.tables |= parts[name].tables
    if around is not None:
        if "gap" in chosen:
            _gap_focus(subject, settings, report, around)
        add_focus(report, subject, around)
    return report


def _start_structure(network: Network, options: Options) -> None:
    start_unit_structure(network, **_paths_options(options))


@section("structure", start=_start_structure)
def _structure(network: Network, options: Options, report: Report) -> None:
    units = unit_structure(network, **_paths_options(options))
    report.add(
        "structure",
        overall_structure(network),
        units=units.sort_values("betweenness", ascending=False),
        by_tie_kind=structure_by_tie_kind(network),
        bridges=bridges(network),
    )


def _paths_options(options: Options) -> dict[str, Any]:
    return {
        "betweenness": options.betweenness,
        "samples": options.samples,
        "seed": options.seed,
        "jobs": options.jobs,
    }


@section("mixing")
def _mixing(network: Network, options: Options, report: Report) -> None:
    report.add(
        "mixing",
        {"assortativity_by_kind": kind_assortativity(network)},
        ties=mixing_matrix(network),
        density=mixing_density(network),
    )


@section("kreis")
def _kreis(network: Network, options: Options, report: Report) -> None:
    ei = ei_index(network)
    test = ei_permutation_test(network, permutations=options.permutations, seed=options.seed)
    forums = forum_mediation(network)
    values = {"ei": ei.overall, "internal": ei.internal, "external": ei.external}
    values |= {f"ei_test.{key}": value for key, value in test.items()}
    values |= {f"forum_pairs.{key}": value for key, value in forums.overall.items()}
    tables = {
        "ei_units": ei.units,
        "ei_by_kind": ei.by_kind,
        "study_counts": study_counts(network),
        "forum_pairs": forums.by_type,
    }
    if "reported_by" in network.ties.columns:
        tables["study_counts_reported"] = study_counts(network, reported=True)
    report.add("kreis", values, **tables)


@section("brokerage")
def _brokerage(network: Network, options: Options, report: Report) -> None:
    roles = brokerage_roles(network)
    report.add(
        "brokerage",
        {"brokers": int((roles["total"] > 0).sum())},
        units=roles[roles["total"] > 0].sort_values("total", ascending=False),
        by_kind=brokerage_summary(network),
    )


@section("communities")
def _communities(network: Network, options: Options, report: Report) -> None:
    found = communities_vs_kreise(network, method=options.communities, seed=options.seed)
    crosstab = found.pop("crosstab")
    members = find_communities(network, method=options.communities, seed=options.seed)
    report.add(
        "communities",
        found,
        units=members.to_frame().join(network.kreis.rename("kreis")),
        crosstab=crosstab,
    )


@section("gap")
def _gap(network: Network, options: Options, report: Report) -> None:
    if network.flows.empty:
        report.add("gap", {"flows": 0})
        return
    gap = commuting_gap(network, column=options.gap_column, top=options.top)
    report.add(
        "gap",
        {"column": gap.column, "coverage": gap.coverage, "pairs": len(gap.pairs)},
        by_type=gap.by_type,
        uncovered=gap.uncovered,
    )
    if not network.borders.empty:
        near = commuting_gap(
            network, column=options.gap_column, top=options.top, adjacent_only=True
        )
        report.add(
            "gap_neighbours",
            {"coverage": near.coverage, "pairs": len(near.pairs)},
            by_type=near.by_type,
            uncovered=near.uncovered,
        )


def _gap_focus(network: Network, options: Options, report: Report, around: Focus) -> None:
    if network.flows.empty:
        return
    gap = commuting_gap(network, column=options.gap_column, top=options.top, focus=around)
    report.add(
        "gap_focus",
        {"coverage": gap.coverage, "pairs": len(gap.pairs)},
        by_type=gap.by_type,
        uncovered=gap.uncovered,
    )


section("survey")(survey_section)
