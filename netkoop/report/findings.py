"""What the report says: findings read from a metrics report, each a sentence key with its
numbers.

A finding is made only where its data exist, and a measure whose value is undefined or not
significant gives the sentence that says so, never a pattern. The words come later, from the
language modules (`netkoop.report.words`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from netkoop.metrics.brokerage import main_role
from netkoop.metrics.kreis import KOMMUNE_KINDS, study_units
from netkoop.metrics.report import Report
from netkoop.model.focus import Focus
from netkoop.model.network import Network
from netkoop.model.summary import Summary
from netkoop.report.words import Counted, Share, Term

#: Below this response rate the report warns that its findings describe the respondents.
LOW_RESPONSE = 0.5

#: The significance level of the permutation test below which the report names a pattern.
ALPHA = 0.05


@dataclass(frozen=True)
class Finding:
    """One sentence: the template ``key`` of the language module and its ``values``;
    ``topic`` names the explanation (`netkoop.report.de.EXPLAIN`) that goes with it."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    topic: str | None = None


#: Länder whose Landkreise are called "Kreis" (Schleswig-Holstein, Nordrhein-Westfalen).
_KREIS_LAENDER = frozenset({"01", "05"})


def place_name(name: str, kind: str, land: str | None = None) -> str:
    """The name of a unit as a sentence names it: a Landkreis with its designation, so that
    "München" (the Landkreis) and "München, Landeshauptstadt" read apart.

    Examples
    --------
    >>> place_name("München", "landkreis", "09"), place_name("Dithmarschen", "landkreis", "01")
    ('Landkreis München', 'Kreis Dithmarschen')
    >>> place_name("Rhein-Erft-Kreis", "landkreis", "05"), place_name("Köln", "kreisfreie_stadt")
    ('Rhein-Erft-Kreis', 'Köln')
    """
    folded = name.casefold()
    if kind != "landkreis" or "kreis" in folded or folded.startswith(("region", "städteregion")):
        return name
    return f"{'Kreis' if land in _KREIS_LAENDER else 'Landkreis'} {name}"


def places(network: Network) -> dict[str, str]:
    """Every unit's id with its `place_name`."""
    units = network.units
    lands = units["land"].where(units["land"].notna(), None)
    return {
        str(i): place_name(str(name), str(kind), land)
        for i, name, kind, land in zip(
            units["id"], units["name"], units["kind"], lands, strict=True
        )
    }


def _value(report: Report, key: str) -> Any:
    return report.values.get(key)


def _number(value: Any) -> float:
    """A value as a float; NaN for a missing one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value)


def region(network: Network, summary: Summary, kinds: Mapping[str, str]) -> Iterator[Finding]:
    """The units by kind, the forums, the ties by kind, the flows and the interviews.

    ``summary`` is the network's (`Network.summary`); ``kinds`` labels the tie kinds (as
    `netkoop.model.labels.kind_cells` does).
    """
    units = network.units
    by_kind = summary.units_by_kind
    kommunen = units[units["kind"].isin(KOMMUNE_KINDS)]
    if len(kommunen):
        order = ("kreisfreie_stadt", "landkreis", "gemeinde")  # as the study lists them
        kinds_counted = [Counted(k, int(by_kind[k])) for k in order if by_kind.get(k)]
        yield Finding(
            "region.kommunen",
            {
                "kommunen": len(kommunen),
                "laender": int(kommunen["land"].nunique()),
                "kinds": kinds_counted,
            },
        )
    if by_kind.get("forum"):
        yield Finding("region.forums", {"forums": int(by_kind["forum"])})
    if "interviews" in units.columns and units["interviews"].notna().any():
        interviewed = kommunen[kommunen["interviews"].fillna(0) > 0]
        yield Finding(
            "region.interviews",
            {"interviews": int(units["interviews"].sum()), "kommunen": len(interviewed)},
        )
    ties = {kind: n for kind, n in summary.ties_by_kind.items() if n}
    if ties:
        listed = [f"{kinds.get(kind, kind)} ({n})" for kind, n in ties.items()]
        yield Finding("region.ties", {"ties": sum(ties.values()), "kinds": listed})
    else:
        yield Finding("region.no_ties")
    if summary.flows:
        yield Finding("region.flows", {"flows": summary.flows, "commuters": summary.commuters})


def key_findings(network: Network, report: Report) -> Iterator[Finding]:
    """The findings on the whole network, in the order the report gives them."""
    yield from _gemeinden(network, report)
    yield from _kreise(report)
    yield from _concept(network)
    names = places(network)
    yield from _neighbours(report)
    yield from _gap(report, names)
    yield from _ei(report)
    yield from _components(report)
    yield from _brokerage(report, names)


Counts = dict[str, dict[str, int]]


def rows_of(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """A small table as plain values: row name -> column -> value."""
    return cast(dict[str, dict[str, Any]], table.to_dict("index"))


def first_row(table: pd.DataFrame) -> dict[str, Any]:
    """The first row of a table as plain values: column -> value."""
    return cast(dict[str, Any], table.iloc[0].to_dict())


def _study(report: Report) -> tuple[Counts | None, bool]:
    """The study's counts by kind of Kommune, and whether they count only what each unit
    reported itself."""
    reported = report.tables.get("kreis_study_counts_reported")
    table = reported if reported is not None else report.tables.get("kreis_study_counts")
    if table is None:
        return None, False
    counts = {kind: {k: int(v) for k, v in row.items()} for kind, row in rows_of(table).items()}
    return counts, reported is not None


def _gemeinden(network: Network, report: Report) -> Iterator[Finding]:
    counts, reported = _study(report)
    if counts is None or not counts["gemeinde"]["units"]:
        return
    gemeinden = int(counts["gemeinde"]["units"])
    inside = int(counts["gemeinde"]["tie_inside"])
    across = int(counts["gemeinde"]["tie_across"])
    response = report.tables.get("survey_response")
    if response is not None and "gemeinde" in response.index and reported:
        yield from _answered(network, rows_of(response)["gemeinde"])
        yield Finding("gemeinden.across", {"across": across})
        return
    key = "gemeinden.inside_reported" if reported else "gemeinden.inside"
    yield Finding(key, {"gemeinden": gemeinden, "inside": inside, "across": across})


def _answered(network: Network, response: Mapping[str, Any]) -> Iterator[Finding]:
    """The Gemeinden that answered: how many report a tie inside their Kreis, how many none,
    and for how many of those a neighbour reported one with them.

    The study counts of the metrics report count every Gemeinde; these count only those
    whose ``responded`` is true, so they come from the marks of each unit (`study_units`).
    """
    answered = int(response["answered"])
    yield Finding(
        "gemeinden.answered",
        {
            "answered": answered,
            "gemeinden": int(response["asked"]),
            "rate": Share(float(response["response_rate"])),
        },
        "survey",
    )
    either = study_units(network)
    own = study_units(network, reported=True)
    units = network.units.set_index("id")
    said = units["responded"].reindex(either.index).fillna(False).astype(bool)
    said &= either["kind"] == "gemeinde"
    inside = int((said & own["tie_inside"]).sum())
    none = answered - inside
    yield Finding("gemeinden.inside_of_answered", {"inside": inside, "none": none})
    named = int((said & either["tie_inside"] & ~own["tie_inside"]).sum())
    if named:
        yield Finding("gemeinden.named_by_neighbour", {"named": named, "none": none}, "survey")


def _kreise(report: Report) -> Iterator[Finding]:
    counts, _ = _study(report)
    if counts is None:
        return

    def total(column: str) -> int:
        return sum(row[column] for row in counts.values())

    if total("intensive_across"):
        yield Finding(
            "kreise.intensive",
            {
                "kfs": int(counts["kreisfreie_stadt"]["intensive_across"]),
                "lk": int(counts["landkreis"]["intensive_across"]),
            },
        )
    pairs = _value(report, "kreis.forum_pairs.forum_pairs")
    if pairs:
        yield Finding(
            "kreise.forums",
            {
                "pairs": int(pairs),
                "direct": int(_value(report, "kreis.forum_pairs.both") or 0),
                "forum_only": int(_value(report, "kreis.forum_pairs.forum_only") or 0),
            },
        )
    members = total("land_forum")
    if members:
        yield Finding(
            "land_forum",
            {
                "members": members,
                "kommunen": total("units"),
                "lk": int(counts["landkreis"]["land_forum"]),
                "lk_all": int(counts["landkreis"]["units"]),
                "kfs": int(counts["kreisfreie_stadt"]["land_forum"]),
                "kfs_all": int(counts["kreisfreie_stadt"]["units"]),
                "g": int(counts["gemeinde"]["land_forum"]),
                "g_all": int(counts["gemeinde"]["units"]),
            },
        )


def _concept(network: Network) -> Iterator[Finding]:
    units = network.units
    if "integration_concept" not in units.columns:
        return
    kommunen = units[units["kind"].isin(KOMMUNE_KINDS)]
    known = kommunen["integration_concept"].dropna()
    if known.empty:
        return
    having = int(known.astype(bool).sum())
    yield Finding(
        "concept",
        {"concept": having, "kommunen": len(known), "share": Share(having / len(known))},
    )


def _neighbours(report: Report) -> Iterator[Finding]:
    by_type = report.tables.get("gap_neighbours_by_type")
    if by_type is None or "landkreis–kreisfreie_stadt" not in by_type.index:
        return
    row = rows_of(by_type)["landkreis–kreisfreie_stadt"]
    if not row["pairs_tied"]:
        yield Finding("neighbours.lk_kfs_none", {"pairs": int(row["pairs"])})
        return
    yield Finding("neighbours.lk_kfs", {"pairs": int(row["pairs"]), "tied": int(row["pairs_tied"])})


def _pair(row: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The two places of a row of the commuting gap and their commuters."""
    return {
        "a": names.get(row["unit_a"], row["name_a"]),
        "b": names.get(row["unit_b"], row["name_b"]),
        "commuters": int(row["commuters"]),
    }


def _gap(report: Report, names: Mapping[str, str], prefix: str = "gap") -> Iterator[Finding]:
    by_type = report.tables.get(f"{prefix}_by_type")
    if by_type is None or by_type.empty:
        return
    uncovered = report.tables[f"{prefix}_uncovered"]
    if len(uncovered):
        yield Finding("gap.largest", _pair(first_row(uncovered), names), "coverage")
    else:
        yield Finding("gap.none_uncovered", topic="coverage")
    total = int(by_type["commuters"].sum())
    covered = int(by_type["commuters_tied"].sum())
    share = Share(covered / total if total else math.nan)
    yield Finding("gap.coverage", {"total": total, "covered": covered, "share": share}, "coverage")


def _ei(report: Report) -> Iterator[Finding]:
    if "kreis.ei" not in report.values:
        return
    ei = _number(_value(report, "kreis.ei"))
    if math.isnan(ei):
        yield Finding("ei.undefined", topic="ei")
        return
    yield Finding(
        "ei.value",
        {
            "ei": ei,
            "internal": int(_value(report, "kreis.internal")),
            "external": int(_value(report, "kreis.external")),
        },
        "ei",
    )
    p = _number(_value(report, "kreis.ei_test.p_value"))
    expected = _number(_value(report, "kreis.ei_test.expected"))
    std = _number(_value(report, "kreis.ei_test.std"))
    if math.isnan(p) or math.isnan(expected) or std == 0:
        yield Finding("ei.untested", topic="ei_test")
        return
    values = {"expected": expected, "p": p}
    if p >= ALPHA:
        yield Finding("ei.not_significant", values, "ei_test")
    else:
        yield Finding("ei.inward" if ei < expected else "ei.outward", values, "ei_test")


def _components(report: Report) -> Iterator[Finding]:
    if "structure.components" not in report.values or not _value(report, "structure.ties"):
        return  # without ties the region says so; every unit would be its own component
    units = int(_value(report, "structure.units"))
    components = int(_value(report, "structure.components"))
    if components <= 1:
        yield Finding("structure.connected", {"units": units}, "components")
        return
    largest = int(_value(report, "structure.largest_component"))
    yield Finding(
        "structure.components",
        {"components": components, "largest": largest, "units": units},
        "components",
    )
    isolates = int(_value(report, "structure.isolates"))
    if isolates:
        yield Finding("structure.isolates", {"isolates": isolates}, "components")


def _brokerage(report: Report, names: Mapping[str, str]) -> Iterator[Finding]:
    units = report.tables.get("brokerage_units")
    if units is None:
        return
    if units.empty:
        yield Finding("brokerage.none", topic="brokerage")
        return
    top = units.iloc[0]
    yield Finding(
        "brokerage.top",
        {
            "brokers": len(units),
            "name": names.get(units.index[0], units.index[0]),
            "total": int(top["total"]),
            "role": Term(str(main_role(units, units.index[0]))),
        },
        "brokerage",
    )


def survey(report: Report) -> Iterator[Finding]:
    """Response rate (with a warning when it is low), confirmed share, one-sided ties."""
    asked = report.values.get("survey.asked")
    if asked:
        rate = _number(report.values.get("survey.response_rate"))
        yield Finding(
            "survey.response",
            {
                "answered": int(report.values["survey.answered"]),
                "asked": int(asked),
                "rate": Share(rate),
            },
            "survey",
        )
        if rate < LOW_RESPONSE:
            yield Finding("survey.low", topic="survey")
    reported = report.values.get("survey.ties_reported")
    if reported:
        confirmed = int(report.values.get("survey.ties_confirmed") or 0)
        yield Finding(
            "survey.confirmed",
            {
                "reported": int(reported),
                "confirmed": confirmed,
                "share": Share(confirmed / int(reported)),
            },
            "survey",
        )
        unknown = report.values.get("survey.ties_unknown")
        if unknown:
            yield Finding("survey.unknown", {"unknown": int(unknown)}, "survey")
        asymmetric = report.values.get("survey.asymmetric")
        if asymmetric:
            yield Finding("survey.asymmetric", {"asymmetric": int(asymmetric)}, "survey")


def focus_gap(report: Report, focus: Focus, names: Mapping[str, str]) -> Iterator[Finding]:
    """The commuting gap around the focus: its largest uncovered pair and its coverage."""
    by_type = report.tables.get("gap_focus_by_type")
    if by_type is None or by_type.empty:
        return
    # The gap of a Gemeinde is that of its Kreis: commuter data are mostly by Kreis.
    kreis = focus.kreis if focus.kind == "gemeinde" and focus.kreis else focus.key
    name = names.get(kreis, focus.name)
    uncovered = report.tables.get("gap_focus_uncovered")
    if uncovered is not None and len(uncovered):
        pair = _pair(first_row(uncovered), names)
        yield Finding("focus.gap", {**pair, "name": name}, "coverage")
    total = int(by_type["commuters"].sum())
    covered = int(by_type["commuters_tied"].sum())
    yield Finding(
        "gap.kreis_coverage" if len(focus.kreis_area) > 1 else "gap.focus_coverage",
        {
            "name": name,
            "total": total,
            "covered": covered,
            "share": Share(covered / total if total else math.nan),
        },
        "coverage",
    )
