"""Build the report of a network: measure once, then say what the measures show.

`kreistag_report` computes the metrics report (`netkoop.metrics.metrics_report`, with the
focus when one is asked for), the recommended ties, the timeline where ties carry dates and
the comparison with a base, draws the map, and turns all of it into a `Document` of sentences
in the chosen language.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from netkoop._version import __version__
from netkoop.metrics.report import Options, Report
from netkoop.metrics.sections import metrics_report
from netkoop.metrics.timeline import Timeline, dated_span, reference_marks, timeline
from netkoop.model.dates import day_of
from netkoop.model.focus import Focus
from netkoop.model.focus import focus as focus_on
from netkoop.model.labels import check_lang, kind_cells, measure_label
from netkoop.model.network import Network
from netkoop.render.figure import timeline_figure
from netkoop.render.region import focus_region
from netkoop.render.static import static_figure
from netkoop.report import findings as found
from netkoop.report.document import Document, Figure, Section, Table
from netkoop.report.findings import Finding
from netkoop.report.words import Day, Share, Term, Words
from netkoop.whatif.compare import Comparison, comparison_of
from netkoop.whatif.recommend import Recommendation, recommend

#: Ties the report recommends.
RECOMMENDED = 5

#: Rows of the table of commuter pairs without a tie.
GAP_ROWS = 10

#: The headline measures the comparison with a base reports, in this order.
COMPARED = (
    "structure.ties",
    "structure.components",
    "structure.isolates",
    "kreis.ei",
    "kreis.external",
    "gap.coverage",
    "brokerage.brokers",
)

#: The size of the map in centimetres (width, height) and its resolution.
MAP_SIZE = (17.0, 13.0)
MAP_DPI = 200


def kreistag_report(
    network: Network,
    *,
    focus: str | None = None,
    base: Network | None = None,
    lang: str = "de",
    options: Options | None = None,
    at: str | None = None,
    history: Network | None = None,
    drawn: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Document:
    """Return the report of ``network`` for people who decide: findings as sentences.

    Parameters
    ----------
    network
        The network (on the date the report is about: ``network.at(at)``).
    focus
        The id of a Kommune, Kreis or Land the report profiles (`netkoop.model.focus`);
        its gap, recommendations and map narrow to it.
    base
        A network to compare with (what a mandate changes, for instance).
    lang
        ``"de"`` or ``"en"``.
    options
        Seed, permutations and the other settings of the metrics (`Options`).
    at
        The date the network shows, named in the report.
    history
        The network with all its dates, for the timeline up to ``at``, when ``network`` is
        that network on the date ``at``; ``network`` itself when omitted.
    drawn
        Draw the map (a PNG of `netkoop.render.static`).
    progress
        Called as ``progress(steps, total)`` as the parts are done.

    Raises
    ------
    NetkoopError
        When ``focus`` names no unit, or a measure cannot be taken.

    Examples
    --------
    >>> document = kreistag_report(netkoop.load("beispielregion"), drawn=False)
    >>> print(document.sections[1].paragraphs[0])  # doctest: +NORMALIZE_WHITESPACE
    Von 8 kreisangehörigen Gemeinden tauschen sich 8 innerhalb ihres Landkreises aus,
    2 auch darüber hinaus.
    """
    words = Words(check_lang(lang))
    chosen = options or Options()
    names = found.places(network)
    around = focus_on(network, focus) if focus is not None else None
    if around is not None:  # named as sentences name it: "Landkreis München"
        around = dataclasses.replace(around, name=names.get(around.key, around.name))
    steps = 3 + (base is not None) + drawn

    def step(done: int = 1) -> None:
        if progress is not None:
            progress(done, steps)

    step(0)
    report = metrics_report(network, options=chosen, focus=focus)
    step()
    comparison = None
    if base is not None:
        before = metrics_report(base, options=chosen)
        comparison = comparison_of(base, network, before, report)
        step()
    advice = _recommend(network, around)
    dated = _timeline(history if history is not None else network, at)
    step()
    picture = _map(network, around, words) if drawn else None
    if drawn:
        step()
    kinds = kind_cells(words.lang)["kind"]
    sections = [
        _region(network, around, at, words, kinds),
        _findings(network, report, words),
        _profile(report, around, names, words, kinds) if around is not None else None,
        _map_section(picture, words),
        _gap_section(report, around, names, words),
        _recommend_section(advice, around, names, words),
        _survey_section(report, words),
        _timeline_section(dated, words),
        _compare_section(comparison, words),
    ]
    shown = [s for s in sections if s is not None and s]
    shown.append(_meaning(shown, words))
    shown.append(_sources(network, words))
    step()
    title = network.metadata.title or network.name
    heading = words.heading("report")
    subtitle = f"{heading}: {around.name}" if around is not None else heading
    made = words.word("made").format(
        version=__version__, seed=chosen.seed, permutations=words.number(chosen.permutations)
    )
    return Document(words.lang, title, subtitle, shown, made)


# --- the parts measured besides the metrics report -----------------------------------------


def _recommend(network: Network, around: Focus | None) -> Recommendation | None:
    """The ties that most raise commuter coverage (joining components without flows)."""
    if network.flows.empty and network.ties.empty:
        return None
    objective = "connectivity" if network.flows.empty else "commuter-coverage"
    return recommend(network, k=RECOMMENDED, objective=objective, focus=around)


def _timeline(network: Network, at: str | None) -> Timeline | None:
    """Yearly measures over the years the ties' dates span, up to ``at`` when given."""
    if not network.summary().dated_ties:
        return None
    marks = reference_marks(network)
    start, end = dated_span(network, marks)
    if at is not None:
        end = min(end, day_of(at))
        if end <= start:
            return None
    return timeline(network, start, end, "year", marks=marks)


def _map(network: Network, around: Focus | None, words: Words) -> Figure:
    """The map: for a focus the region of its Kreis (where neighbours are known), the unit
    ringed."""
    shown = network
    if around is not None and (len(network.borders) or len(network.outlines)):
        shown = focus_region(network, around)
    marked = around.key if around is not None and around.key in set(shown.units["id"]) else None
    data = static_figure(shown, "png", size=MAP_SIZE, dpi=MAP_DPI, lang=words.lang, focus=marked)
    title = shown.metadata.title or shown.name
    return Figure(title, "image/png", data, title)


# --- sections ----------------------------------------------------------------------------


def _say(findings: Iterable[Finding], words: Words) -> list[str]:
    return [words.say(f.key, **f.values) for f in findings]


def _region(
    network: Network,
    around: Focus | None,
    at: str | None,
    words: Words,
    kinds: Callable[[Any], Any],
) -> Section:
    """Units by kind, ties, flows, the date and the focus."""
    summary = network.summary()
    names = {kind: kinds(kind) for kind in network.ties["kind"].unique()}
    said = _say(found.region(network, summary, names), words)
    section = Section("region", words.heading("region"), said)
    reference = network.metadata.reference_date
    if reference:
        section.paragraphs.append(words.say("region.date", date=Day(reference)))
    if at is not None:
        section.paragraphs.append(words.say("region.at", date=Day(at)))
    if around is not None:
        section.paragraphs.append(
            words.say("region.focus", name=around.name, kind=kinds(around.kind))
        )
    rows = tuple(
        (str(kinds(kind)), words.number(int(n))) for kind, n in summary.units_by_kind.items() if n
    )
    section.tables.append(
        Table(
            words.heading("units_by_kind"),
            (words.word("kind"), words.word("count")),
            rows,
            (False, True),
        )
    )
    return section


def _findings(network: Network, report: Report, words: Words) -> Section:
    listed = list(found.key_findings(network, report))
    section = Section("findings", words.heading("findings"), _say(listed, words))
    section.topics = {f.topic for f in listed if f.topic}
    return section


def _profile(
    report: Report,
    around: Focus,
    names: Mapping[str, str],
    words: Words,
    kinds: Callable[[Any], Any],
) -> Section:
    section = Section("focus", f"{words.heading('focus')}: {around.name}")
    partners = report.tables.get("focus_partners", pd.DataFrame())
    own = partners[partners["unit"] == around.key] if len(partners) else partners
    if own.empty:
        section.paragraphs.append(words.say("focus.no_ties", name=around.name))
    else:
        section.paragraphs += _ties_of(own, "focus.ties", around.name, words, kinds)
    members = len(around.area) - 1
    if members > 0 and len(partners) > len(own):
        section.paragraphs += _ties_of(
            partners, "focus.area_ties", around.name, words, kinds, members=members
        )
    section.paragraphs += _position(report, around, words, section)
    gap = list(found.focus_gap(report, around, names))
    section.paragraphs += _say(gap, words)
    section.topics |= {f.topic for f in gap if f.topic}
    if not partners.empty:
        section.tables.append(_partners_table(partners, around, words, kinds))
    position = _ranked(report)
    if position is not None:
        section.tables.append(_position_table(position, words))
    return section


def _ranked(report: Report) -> pd.DataFrame | None:
    """The focus's position among the units of its kind; None where ranks say nothing (no
    position measured, or a network without ties, where every unit ranks first)."""
    position = report.tables.get("focus_position")
    if position is None or position.empty or not report.values.get("structure.ties"):
        return None
    return position


def _ties_of(
    ties: pd.DataFrame,
    key: str,
    name: str,
    words: Words,
    kinds: Callable[[Any], Any],
    **more: Any,
) -> list[str]:
    """Ties of the focus by kind, and how many stay inside the Kreis."""
    counted = ties["tie_kind"].value_counts()
    said = [
        words.say(
            key,
            name=name,
            ties=len(ties),
            partners=int(ties["partner"].nunique()),
            kinds=[f"{kinds(kind)} ({n})" for kind, n in counted.items()],
            **more,
        )
    ]
    scope = ties["scope"]
    if scope.notna().any():
        said.append(
            words.say(
                "focus.scope",
                inside=int((scope == "inside").sum()),
                across=int((scope == "across").sum()),
            )
        )
    return said


def _position(report: Report, around: Focus, words: Words, section: Section) -> list[str]:
    position = _ranked(report)
    if position is None:
        return []
    said = []
    plural = Term(around.kind, "KINDS_PLURAL")
    rows = found.rows_of(position)
    if "degree" in rows:
        row = rows["degree"]
        said.append(
            words.say(
                "focus.rank",
                name=around.name,
                value=int(row["value"]),
                rank=int(row["rank"]),
                units=int(row["units"]),
                kind=plural,
                percentile=Share(float(row["percentile"]) / 100),
            )
        )
    if "brokerage" in rows:
        row = rows["brokerage"]
        total = 0 if pd.isna(row["value"]) else int(row["value"])
        if total:
            said.append(
                words.say(
                    "focus.broker",
                    name=around.name,
                    total=total,
                    role=Term(str(row["role"])),
                    rank=int(row["rank"]),
                    units=int(row["units"]),
                )
            )
        else:
            said.append(words.say("focus.no_broker", name=around.name))
        section.topics.add("brokerage")
    return said


def _partners_table(
    partners: pd.DataFrame, around: Focus, words: Words, kinds: Callable[[Any], Any]
) -> Table:
    """The ties of the focus: who (when the focus has members), partner, kind, intensity."""
    who = len(around.area) > 1
    rows = []
    for row in partners.to_dict("records"):
        intensity = row.get("intensity")
        scope = row.get("scope")
        cells = [
            str(row["partner_name"]),
            str(kinds(row["partner_kind"])),
            str(kinds(row["tie_kind"])),
            "" if pd.isna(intensity) else words.value("intensity", str(intensity)),
            "" if pd.isna(scope) else words.word(str(scope)),
        ]
        rows.append(tuple([str(row["name"]), *cells] if who else cells))
    header = ["partner", "partner_kind", "tie_kind", "intensity", "scope"]
    header = ["unit", *header] if who else header
    return Table(words.heading("partners"), tuple(words.word(k) for k in header), tuple(rows))


def _position_table(position: pd.DataFrame, words: Words) -> Table:
    rows = []
    for measure, row in position.iterrows():
        value = row["value"]
        rows.append(
            (
                words.word(str(measure)) if str(measure) in words.module.WORDS else str(measure),
                words.number(float(value)) if not pd.isna(value) else words.number(math.nan),
                "" if pd.isna(row["rank"]) else words.number(int(row["rank"])),
                words.number(int(row["units"])),
                "" if pd.isna(row["percentile"]) else words.number(Share(row["percentile"] / 100)),
            )
        )
    header = tuple(words.word(k) for k in ("measure", "value", "rank", "units", "percentile"))
    return Table(words.heading("position"), header, tuple(rows), (False, True, True, True, True))


def _map_section(picture: Figure | None, words: Words) -> Section | None:
    if picture is None:
        return None
    return Section("map", words.heading("map"), figures=[picture])


def _pair(names: Mapping[str, str], row: pd.Series, a: str, b: str) -> str:
    """``Landkreis München – München, Landeshauptstadt``: the places of a row's two ids."""
    return f"{names.get(row[a], row[a])} – {names.get(row[b], row[b])}"


def _gap_section(
    report: Report, around: Focus | None, names: Mapping[str, str], words: Words
) -> Section | None:
    prefix = "gap_focus" if around is not None and "gap_focus_uncovered" in report.tables else "gap"
    uncovered = report.tables.get(f"{prefix}_uncovered")
    if uncovered is None or uncovered.empty:
        return None
    section = Section("gap", words.heading("gap"))
    rows = tuple(
        (
            _pair(names, row, "unit_a", "unit_b"),
            words.number(int(row["a_to_b"])),
            words.number(int(row["b_to_a"])),
            words.number(int(row["commuters"])),
        )
        for _, row in uncovered.head(GAP_ROWS).iterrows()
    )
    header = tuple(words.word(k) for k in ("pair", "a_to_b", "b_to_a", "commuters"))
    table = Table(words.heading("gap_table"), header, rows, (False, True, True, True))
    section.tables.append(table)
    section.topics.add("coverage")
    return section


def _recommend_section(
    advice: Recommendation | None, around: Focus | None, names: Mapping[str, str], words: Words
) -> Section | None:
    if advice is None:
        return None
    section = Section("recommend", words.heading("recommend"))
    ties = advice.ties
    if ties.empty:
        section.paragraphs.append(words.say("recommend.none"))
        return section
    if around is not None:
        section.paragraphs.append(words.say("focus.recommend", name=around.name))
    if advice.objective == "commuter-coverage":
        section.paragraphs.append(
            words.say(
                "recommend.coverage",
                k=len(ties),
                before=Share(advice.coverage_before),
                after=Share(float(ties["coverage"].iloc[-1])),
            )
        )
        section.items = [
            f"{_pair(names, row, 'from', 'to')}: "
            + words.say(
                "recommend.row_coverage",
                commuters=int(row["commuters"]),
                coverage=Share(float(row["coverage"])),
            )
            for _, row in ties.iterrows()
        ]
    else:
        section.paragraphs.append(
            words.say(
                "recommend.connectivity",
                k=len(ties),
                before=advice.components_before,
                after=advice.components_after,
            )
        )
        section.items = [
            f"{_pair(names, row, 'from', 'to')}: "
            + words.say(
                "recommend.row_connectivity", a=int(row["size_from"]), b=int(row["size_to"])
            )
            for _, row in ties.iterrows()
        ]
    section.topics.add("recommend")
    return section


def _survey_section(report: Report, words: Words) -> Section | None:
    listed = list(found.survey(report))
    if not listed:
        return None
    section = Section("survey", words.heading("survey"), _say(listed, words))
    section.topics.add("survey")
    return section


def _timeline_section(dated: Timeline | None, words: Words) -> Section | None:
    if dated is None:
        return None
    measures, changes = dated.measures, dated.changes
    section = Section("timeline", words.heading("timeline"))
    section.paragraphs.append(
        words.say(
            "timeline.change",
            start=Day(dated.dates[0]),
            end=Day(dated.dates[-1]),
            first=int(measures["ties"].iloc[0]),
            last=int(measures["ties"].iloc[-1]),
            begun=int(changes["begun"].sum()),
            ended=int(changes["ended"].sum()),
        )
    )
    if "ended_project" in changes.columns and int(changes["ended_project"].sum()):
        section.paragraphs.append(
            words.say("timeline.project_ended", ended=int(changes["ended_project"].sum()))
        )
    picture = timeline_figure(dated, "svg", lang=words.lang)
    section.figures.append(
        Figure(words.heading("timeline"), "image/svg+xml", picture, words.heading("timeline"))
    )
    return section


def _compare_section(comparison: Comparison | None, words: Words) -> Section | None:
    if comparison is None:
        return None
    section = Section("compare", words.heading("compare"))
    section.paragraphs.append(
        words.say(
            "compare.ties",
            base=comparison.base_name,
            added=len(comparison.ties_added),
            removed=len(comparison.ties_removed),
        )
    )
    changed = found.rows_of(comparison.changed())
    for key in COMPARED:
        if key not in changed:
            continue
        row = changed[key]
        share = key.endswith("coverage")
        before, after = (Share(row[s]) if share else row[s] for s in ("base", "whatif"))
        section.items.append(
            words.say(
                "compare.measure",
                measure=measure_label(key, words.lang),
                before=before,
                after=after,
            )
        )
    if not section.items:
        section.paragraphs.append(words.say("compare.same"))
    return section


#: The explanations in the order the report gives them.
TOPICS = ("ei", "ei_test", "brokerage", "components", "coverage", "survey", "recommend")


def _meaning(sections: list[Section], words: Words) -> Section:
    """What each measure the report spoke of means, and what it does not."""
    spoken = set().union(*(s.topics for s in sections))
    section = Section("meaning", words.heading("meaning"))
    section.notes = [(words.topic(t), words.explain(t)) for t in TOPICS if t in spoken]
    return section


def _sources(network: Network, words: Words) -> Section:
    section = Section("sources", words.heading("sources"))
    for source in network.metadata.sources:
        parts = [source.credit or source.name]
        if source.licence:
            parts.append(source.licence)
        if source.url:
            parts.append(source.url)
        if source.note:
            parts.append(source.note)
        section.items.append("; ".join(parts))
    if network.metadata.description:
        section.paragraphs.append(" ".join(network.metadata.description.split()))
    return section
