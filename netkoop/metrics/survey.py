"""What a survey's answers say and how far a finding rests on them: response, reciprocity,
asymmetric pairs, and the headline measures of all ties beside those of the confirmed ones.

It reads only table columns (`netkoop.model.selection`): units' ``responded`` (True: the
unit answered, False: asked without answering, missing: not asked) and ties' ``confirmed``
(``yes``, ``no``, ``unknown``), ``reported_by`` and ``confidence``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop.metrics.gap import commuting_gap
from netkoop.metrics.kreis import ei_index
from netkoop.metrics.pairs import (
    pair_type_codes,
    pair_type_labels,
    ranked_units,
    sum_by_pair_type,
    unit_codes,
)
from netkoop.metrics.report import Options, Report
from netkoop.metrics.structure import cohesion
from netkoop.model.network import Network
from netkoop.model.selection import CONFIRMATION, NOT_SURVEYED, confirmation, responded
from netkoop.model.vocabulary import TIE_KINDS, UNIT_KINDS

#: Rows of `union_and_confirmed`: measure names as the report's values name them.
RULE_MEASURES: tuple[str, ...] = (
    "structure.ties",
    "structure.pairs",
    "structure.density",
    "structure.components",
    "structure.isolates",
    "structure.largest_component",
    "kreis.ei",
    "kreis.internal",
    "kreis.external",
    "gap.coverage",
)

#: Columns of `Reciprocity.asymmetric`, the ties one side reported and the other did not.
ASYMMETRIC_COLUMNS: tuple[str, ...] = (
    "from",
    "name_from",
    "to",
    "name_to",
    "kind",
    "pair_type",
    "reported_by",
)


def has_survey(network: Network) -> bool:
    """Tell whether the network carries a survey: ties with ``confirmed`` or units with
    ``responded``."""
    return "confirmed" in network.ties.columns or "responded" in network.units.columns


def response(network: Network) -> pd.DataFrame:
    """Count the units asked and those that answered, by kind of unit.

    Returns
    -------
    One row per kind of unit with units asked (index ``kind``, in vocabulary order), with
    columns ``asked`` (units whose ``responded`` is set), ``answered`` (``responded`` is
    True) and ``response_rate`` (answered / asked). Empty without a ``responded`` column.

    Examples
    --------
    >>> units = [{"id": i, "name": i, "kind": "landkreis", "land": "03", "responded": r}
    ...          for i, r in (("a", True), ("b", False), ("c", None))]
    >>> response(netkoop.Network.from_tables(units)).to_dict("records")
    [{'asked': 2, 'answered': 1, 'response_rate': 0.5}]
    """
    units = network.units
    answered = responded(units)
    if answered is None:
        answered = pd.Series(pd.NA, index=units.index, dtype="boolean")
    frame = pd.DataFrame(
        {
            "kind": units["kind"].to_numpy(),
            "asked": answered.notna().to_numpy(),
            "answered": answered.fillna(False).to_numpy(dtype=bool),
        }
    )
    table = frame.groupby("kind")[["asked", "answered"]].sum().astype("int64")
    table = table.reindex([k for k in UNIT_KINDS if k in table.index])
    table = table[table["asked"] > 0]
    table["response_rate"] = table["answered"] / table["asked"]
    table.index.name = "kind"
    return table


def ties_by_status(network: Network) -> pd.DataFrame:
    """Count the ties by confirmation and kind.

    Returns
    -------
    One row per state (index ``confirmed``): ``yes``, ``no``, ``unknown``, and
    ``not_surveyed`` (ties without a ``confirmed`` value) when there are such ties; one
    column per tie kind present (vocabulary order) and ``total``.
    """
    ties = network.ties
    states = confirmation(ties)
    rows = [*CONFIRMATION, *([NOT_SURVEYED] if (states == NOT_SURVEYED).any() else [])]
    kinds = [k for k in TIE_KINDS if (ties["kind"] == k).any()]
    table = pd.crosstab(states, ties["kind"]).reindex(index=rows, columns=kinds, fill_value=0)
    table = table.astype("int64")
    table["total"] = table.sum(axis=1).astype("int64")
    table.index.name = "confirmed"
    table.columns.name = None
    return table


@dataclass(frozen=True, eq=False)
class Reciprocity:
    """How often both sides report a tie; see `reciprocity`.

    Attributes
    ----------
    both_answered
        Survey ties whose two ends both answered (and whose confirmation is ``yes`` or
        ``no``; see `reciprocity`).
    confirmed
        Those of them that both sides reported (``confirmed`` is ``yes``).
    asymmetric_ties
        Ties one side reported while the other answered without reporting them
        (``confirmed`` is ``no``).
    reciprocity
        ``confirmed / both_answered``; NaN when no such tie.
    by_type
        One row per pair type (index ``pair_type``, as in `netkoop.metrics.PAIR_TYPES`)
        with columns ``both_answered``, ``confirmed``, ``asymmetric`` and ``reciprocity``.
    asymmetric
        The asymmetric ties, columns `ASYMMETRIC_COLUMNS` (``reported_by`` only when the
        ties have it).
    """

    both_answered: int
    confirmed: int
    asymmetric_ties: int
    reciprocity: float
    by_type: pd.DataFrame
    asymmetric: pd.DataFrame


def reciprocity(network: Network) -> Reciprocity:
    """Measure how often both sides report a tie, overall and by the kinds of its two ends.

    A survey tie counts when both its ends answered, so that the other side could confirm
    it: its ``confirmed`` is ``yes`` or ``no`` (both say the other side answered) and, with
    a ``responded`` column, both ends' ``responded`` is True. A tie whose confirmation is
    ``unknown`` does not count, also a directed one (service_opening, membership) between two
    units that answered: `netkoop survey collect` asks no confirmation of those. Several
    ties of different kinds between two units count apart.

    Examples
    --------
    >>> units = [{"id": i, "name": i, "kind": "landkreis", "land": "03", "responded": True}
    ...          for i in "abc"]
    >>> ties = [{"from": "a", "to": "b", "kind": "exchange", "confirmed": "yes"},
    ...         {"from": "a", "to": "c", "kind": "exchange", "confirmed": "no"}]
    >>> found = reciprocity(netkoop.Network.from_tables(units, ties))
    >>> found.both_answered, found.confirmed, found.reciprocity
    (2, 1, 0.5)
    """
    ties = network.ties
    states = confirmation(ties).to_numpy()
    surveyed = states != NOT_SURVEYED
    both = np.isin(states, ("yes", "no"))
    answered = responded(network.units)
    if answered is not None:
        said = pd.Series(
            answered.fillna(False).to_numpy(dtype=bool), index=network.units["id"].to_numpy()
        )
        both &= ties["from"].map(said).fillna(False).to_numpy(dtype=bool)
        both &= ties["to"].map(said).fillna(False).to_numpy(dtype=bool)
    yes = both & (states == "yes")
    no = surveyed & (states == "no")

    units = ranked_units(network)
    index = pd.Index(units["id"])
    a, b = unit_codes(index, ties["from"]), unit_codes(index, ties["to"])
    low, high = np.minimum(a, b), np.maximum(a, b)
    counted = np.flatnonzero(both | no)
    types = pair_type_codes(units, low[counted], high[counted])
    by_type = sum_by_pair_type(
        types,
        {
            "both_answered": both[counted],
            "confirmed": yes[counted],
            "asymmetric": no[counted],
        },
    )
    by_type["reciprocity"] = by_type["confirmed"] / by_type["both_answered"].where(
        by_type["both_answered"] > 0
    )

    rows = np.flatnonzero(no)
    names = units.set_index("id")["name"]
    asymmetric = ties.iloc[rows][["from", "to", "kind"]].reset_index(drop=True)
    asymmetric["name_from"] = asymmetric["from"].map(names)
    asymmetric["name_to"] = asymmetric["to"].map(names)
    asymmetric["pair_type"] = pair_type_labels(
        pair_type_codes(units, low[rows], high[rows])
    ).to_numpy()
    columns = list(ASYMMETRIC_COLUMNS)
    if "reported_by" in ties.columns:
        asymmetric["reported_by"] = ties["reported_by"].iloc[rows].to_numpy()
    else:
        columns.remove("reported_by")
    n_both, n_yes = int(both.sum()), int(yes.sum())
    return Reciprocity(
        both_answered=n_both,
        confirmed=n_yes,
        asymmetric_ties=int(no.sum()),
        reciprocity=n_yes / n_both if n_both else math.nan,
        by_type=by_type,
        asymmetric=asymmetric[columns],
    )


def union_and_confirmed(network: Network, *, column: str = "commuters") -> pd.DataFrame:
    """Measure the network with all its ties (``union``) and with the confirmed ones only.

    ``confirmed`` keeps the ties whose ``confirmed`` is ``yes`` and those no survey reported
    (`Network.select_ties` with ``confirmed``): the difference shows how much each measure
    rests on ties that only one side reported.

    Parameters
    ----------
    network
        The network; its ties need a ``confirmed`` column.
    column
        The flow column whose coverage is measured (``gap.coverage``, only with flows).

    Returns
    -------
    One row per measure of `RULE_MEASURES` (index ``measure``; ``gap.coverage`` only when
    the network has flows), as `netkoop.metrics.structure.cohesion`, `ei_index` and
    `commuting_gap` compute them, with columns ``union``, ``confirmed`` and ``difference``
    (confirmed minus union).
    """
    sides = {"union": network, "confirmed": network.select_ties(["confirmed"])}
    measured: dict[str, dict[str, Any]] = {}
    for side, subject in sides.items():
        counts = cohesion(subject)
        ei = ei_index(subject)
        values: dict[str, Any] = {
            f"structure.{key}": counts[key]
            for key in ("ties", "pairs", "density", "components", "isolates", "largest_component")
        }
        values |= {
            "kreis.ei": ei.overall,
            "kreis.internal": ei.internal,
            "kreis.external": ei.external,
        }
        if not subject.flows.empty:
            values["gap.coverage"] = commuting_gap(subject, column=column, top=0).coverage
        measured[side] = values
    rows = [m for m in RULE_MEASURES if m in measured["union"]]
    table = pd.DataFrame(
        [[measured["union"][m], measured["confirmed"][m], _minus(measured, m)] for m in rows],
        index=pd.Index(rows, name="measure", dtype=object),
        columns=["union", "confirmed", "difference"],
        dtype=object,
    )
    return table


def _minus(measured: dict[str, dict[str, Any]], measure: str) -> Any:
    union, confirmed = measured["union"][measure], measured["confirmed"][measure]
    if isinstance(union, float) and math.isnan(union):
        return math.nan
    if isinstance(confirmed, float) and math.isnan(confirmed):
        return math.nan
    return confirmed - union


def survey_section(network: Network, options: Options, report: Report) -> None:
    """Add the survey's measures to ``report``; nothing for a network without a survey.

    Values ``survey.asked``, ``survey.answered`` and ``survey.response_rate`` (with a
    ``responded`` column); ``survey.ties_reported``, ``survey.ties_confirmed``,
    ``survey.ties_unknown``, ``survey.asymmetric``, ``survey.both_answered`` and
    ``survey.reciprocity`` (with a ``confirmed`` column). Tables ``survey_response``,
    ``survey_ties``, ``survey_reciprocity``, ``survey_asymmetric`` and
    ``survey_union_confirmed``.
    """
    if not has_survey(network):
        return
    values: dict[str, Any] = {}
    tables: dict[str, pd.DataFrame] = {}
    if "responded" in network.units.columns:
        by_kind = response(network)
        asked, answered = int(by_kind["asked"].sum()), int(by_kind["answered"].sum())
        values |= {
            "asked": asked,
            "answered": answered,
            "response_rate": answered / asked if asked else math.nan,
        }
        tables["response"] = by_kind
    if "confirmed" in network.ties.columns:
        status = ties_by_status(network)
        found = reciprocity(network)
        total = status["total"]
        values |= {
            "ties_reported": int(total.drop(NOT_SURVEYED, errors="ignore").sum()),
            "ties_confirmed": int(total["yes"]),
            "ties_unknown": int(total["unknown"]),
            "asymmetric": found.asymmetric_ties,
            "both_answered": found.both_answered,
            "reciprocity": found.reciprocity,
        }
        tables |= {
            "ties": status,
            "reciprocity": found.by_type,
            "asymmetric": found.asymmetric,
            "union_confirmed": union_and_confirmed(network, column=options.gap_column),
        }
    report.add("survey", values, **tables)
