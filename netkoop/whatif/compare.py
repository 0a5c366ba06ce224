"""Compare a what-if network with its base: measures side by side, units and ties changed."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop.metrics import Options, Report, metrics_report
from netkoop.model.network import Network, tie_keys
from netkoop.model.schema import TIES, UNITS
from netkoop.model.selection import tie_selection

#: Per-unit measures of `Comparison.units`: (report table, its column, name in the comparison).
UNIT_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("structure_units", "degree", "degree"),
    ("structure_units", "weighted_degree", "weighted_degree"),
    ("structure_units", "betweenness", "betweenness"),
    ("kreis_ei_units", "ei", "ei"),
    ("brokerage_units", "total", "brokerage"),
)

#: Columns of `Comparison.ties_added` and `Comparison.ties_removed`, in order.
TIE_COLUMNS: tuple[str, ...] = (
    "from",
    "to",
    "kind",
    "name_from",
    "name_to",
    *(c.name for c in TIES.columns if c.name not in ("from", "to", "kind")),
)

#: Columns of `Comparison.units_added` and `Comparison.units_removed`, in order.
UNIT_COLUMNS: tuple[str, ...] = tuple(c.name for c in UNITS.columns)

#: Report tables that list only some units; a unit missing there has the value 0.
_ZERO_WHEN_MISSING = frozenset({"brokerage_units"})

_SAME, _ADDED, _REMOVED = "same", "added", "removed"


@dataclass(frozen=True)
class Comparison:
    """How a what-if network differs from its base.

    Attributes
    ----------
    base_name, whatif_name
        The names of the two networks.
    values
        The headline measures of `netkoop.metrics.metrics_report`, indexed by ``measure``,
        with columns ``base``, ``whatif`` and ``difference`` (whatif minus base when both
        are numbers, else None). A measure only one network has is kept, None on the other
        side.
    units
        Every unit of either network, indexed by ``id``: ``name``, ``kind``, ``status``
        (``same``, ``added``, ``removed``), then ``<measure>_base``, ``<measure>_whatif`` and
        ``<measure>_difference`` for each of `UNIT_MEASURES` the reports have (``ei`` is
        missing for a unit without ties, ``brokerage`` counts all brokerage roles). Units
        in both networks come first, the largest absolute change of degree first, then of
        betweenness, weighted degree, E-I and brokerage; added, then removed units last.
    ties_added, ties_removed
        The ties only ``whatif`` (only ``base``) has, with `TIE_COLUMNS`: the ends, the
        kind, the names of both ends and the standard tie attributes. Several ties of one
        kind between a pair are matched one by one (`netkoop.model.network.tie_keys`).
    units_added, units_removed
        The units only ``whatif`` (only ``base``) has, with `UNIT_COLUMNS`.
    provenance
        What made the comparison (versions, seed, options), for its report to record.
    """

    base_name: str
    whatif_name: str
    values: pd.DataFrame
    units: pd.DataFrame
    ties_added: pd.DataFrame
    ties_removed: pd.DataFrame
    units_added: pd.DataFrame
    units_removed: pd.DataFrame
    provenance: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        """The comparison's name, ``"base → whatif"``."""
        return f"{self.base_name} → {self.whatif_name}"

    def changed(self) -> pd.DataFrame:
        """Return the rows of `values` whose value differs between the networks."""
        base, whatif = self.values["base"], self.values["whatif"]
        same = [_same(a, b) for a, b in zip(base, whatif, strict=True)]
        return self.values[~np.array(same, dtype=bool)]

    def changed_units(self) -> pd.DataFrame:
        """Return the rows of `units` in both networks with any measure changed.

        A value that appears or disappears (an E-I index once a unit has ties) is a change.
        """
        units = self.units[self.units["status"] == _SAME]
        moved = np.zeros(len(units), dtype=bool)
        for _, _, label in UNIT_MEASURES:
            if f"{label}_base" not in units.columns:
                continue
            first, second = units[f"{label}_base"], units[f"{label}_whatif"]
            differs = (second - first).abs().gt(0).fillna(value=False).to_numpy(dtype=bool)
            moved |= differs | (first.isna() != second.isna()).to_numpy()
        return units[moved]

    def report(self) -> Report:
        """Return the comparison as a `Report`, to write as CSV, JSON, Markdown or Excel.

        Its values count the changes (measures changed, ties and units added and removed);
        its tables are ``measures`` (`values`), ``units``, ``ties_added``, ``ties_removed``,
        ``units_added`` and ``units_removed``.
        """
        counts = {
            "measures_changed": len(self.changed()),
            "ties_added": len(self.ties_added),
            "ties_removed": len(self.ties_removed),
            "units_added": len(self.units_added),
            "units_removed": len(self.units_removed),
        }
        tables = {
            "measures": self.values,
            "units": self.units,
            "ties_added": self.ties_added,
            "ties_removed": self.ties_removed,
            "units_added": self.units_added,
            "units_removed": self.units_removed,
        }
        return Report(self.name, values=counts, tables=tables, provenance=self.provenance)


def compare_networks(
    base: Network,
    whatif: Network,
    *,
    ties: str | Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
    min_confidence: float | None = None,
) -> Comparison:
    """Measure two networks with the same options and return how ``whatif`` differs.

    Both networks are measured by `netkoop.metrics.metrics_report` with one set of options,
    so a random step (betweenness samples, permutation test, communities) uses the same seed
    on both sides. Neither network is changed.

    Parameters
    ----------
    base
        The network before the change.
    whatif
        The network after it.
    ties
        Tie kinds to keep in both networks (measures and ties listed), and ``confirmed``
        (see `select_both`); all when omitted.
    metrics
        Measure families to compute (structure, mixing, kreis, brokerage, communities, gap);
        all when omitted.
    options
        Seed, betweenness mode, permutations, community method, commuting-gap column.
    progress
        Called as ``progress(steps, total)`` as the measure families of both networks are
        done, one step per family and network (see `netkoop.metrics.metrics_report`).
    min_confidence
        Keep only ties whose ``confidence`` is at least this; ties without one count as 1.0.

    Returns
    -------
    The `Comparison`: measures, units and ties side by side.

    Raises
    ------
    NetkoopError
        When a tie kind or metric name is unknown, or an option does not fit the networks.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> more = net.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    >>> found = compare_networks(net, more, metrics=["structure"])
    >>> found.values.loc["structure.ties"].tolist()
    [21, 22, 1]
    >>> found.ties_added[["from", "to", "kind"]].to_numpy().tolist()
    [['lk-nord', 'lk-sued', 'exchange']]
    >>> found.units.loc["lk-nord", ["degree_base", "degree_whatif", "degree_difference"]].tolist()
    [4, 5, 1]
    """
    base, whatif = select_both(base, whatif, ties, min_confidence=min_confidence)
    chosen = list(metrics) if metrics is not None else None
    both = None if progress is None else lambda steps, total: progress(steps, 2 * total)
    before = metrics_report(base, metrics=chosen, options=options, progress=both)
    after = metrics_report(whatif, metrics=chosen, options=options, progress=both)
    made = (options or Options()).provenance(
        base=base.name,
        whatif=whatif.name,
        ties=[ties] if isinstance(ties, str) else None if ties is None else list(ties),
        metrics=chosen,
        min_confidence=min_confidence,
    )
    return comparison_of(base, whatif, before, after, provenance=made)


def comparison_of(
    base: Network,
    whatif: Network,
    before: Report,
    after: Report,
    *,
    provenance: dict[str, Any] | None = None,
) -> Comparison:
    """Return how ``whatif`` differs from ``base``, given the metrics reports of both.

    For callers that measured the networks already (the Kreistag report measures the
    what-if network for its findings); `compare_networks` measures them itself.
    """
    old_keys, new_keys = tie_keys(base.ties), tie_keys(whatif.ties)
    old_units, new_units = base.units, whatif.units
    return Comparison(
        base_name=base.name,
        whatif_name=whatif.name,
        values=_values(before.values, after.values),
        units=_units(base, whatif, before, after),
        ties_added=_ties(whatif, ~new_keys.isin(old_keys).to_numpy()),
        ties_removed=_ties(base, ~old_keys.isin(new_keys).to_numpy()),
        units_added=_unit_rows(new_units[~new_units["id"].isin(old_units["id"])]),
        units_removed=_unit_rows(old_units[~old_units["id"].isin(new_units["id"])]),
        provenance=provenance,
    )


def select_both(
    base: Network,
    whatif: Network,
    ties: str | Iterable[str] | None = None,
    *,
    min_confidence: float | None = None,
) -> tuple[Network, Network]:
    """Apply one tie selection (`Network.select_ties`) to both networks of a comparison.

    ``confirmed`` asks for a ``confirmed`` column in at least one of the two; a network
    without one holds no survey ties, so all its ties (of the chosen kinds) are kept, e.g.
    the base scenario a survey was collected into.

    Raises
    ------
    NetworkEditError
        When the selection is not valid, or ``confirmed`` is asked and neither network has
        a ``confirmed`` column.
    """
    chosen = tie_selection(ties, min_confidence=min_confidence)
    surveyed = ["confirmed" in network.ties.columns for network in (base, whatif)]
    if chosen.confirmed and any(surveyed) and not all(surveyed):
        plain = dataclasses.replace(chosen, confirmed=False)
        return (
            base.select_ties(chosen if surveyed[0] else plain),
            whatif.select_ties(chosen if surveyed[1] else plain),
        )
    return base.select_ties(chosen), whatif.select_ties(chosen)


def _values(base: Mapping[str, Any], whatif: Mapping[str, Any]) -> pd.DataFrame:
    measures = list(dict.fromkeys([*base, *whatif]))
    rows = [[base.get(m), whatif.get(m), _difference(base.get(m), whatif.get(m))] for m in measures]
    return pd.DataFrame(
        rows,
        index=pd.Index(measures, name="measure", dtype=object),
        columns=["base", "whatif", "difference"],
        dtype=object,
    )


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def _difference(base: Any, whatif: Any) -> Any:
    return whatif - base if _is_number(base) and _is_number(whatif) else None


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(a == b)


def _units(base: Network, whatif: Network, before: Report, after: Report) -> pd.DataFrame:
    old = pd.Index(base.units["id"])
    new = pd.Index(whatif.units["id"])
    ids = new.append(old.difference(new, sort=False)).rename("id")
    names = pd.concat([whatif.units, base.units]).drop_duplicates("id").set_index("id")
    frame: pd.DataFrame = names.loc[ids, ["name", "kind"]]
    status = np.where(~ids.isin(old), _ADDED, np.where(ids.isin(new), _SAME, _REMOVED))
    frame.insert(2, "status", status)
    changes = []
    for table, column, label in UNIT_MEASURES:
        if table not in before.tables or table not in after.tables:
            continue
        first = _unit_measure(before.tables[table], column, table, old, ids)
        second = _unit_measure(after.tables[table], column, table, new, ids)
        frame[f"{label}_base"] = first
        frame[f"{label}_whatif"] = second
        frame[f"{label}_difference"] = second - first
        changes.append((second - first).abs().to_numpy(dtype=float, na_value=0.0))
    # np.lexsort sorts by its last key first: the status, then the largest change of degree...
    rank = {_SAME: 0, _ADDED: 1, _REMOVED: 2}
    keys = [-change for change in reversed(changes)]
    position = np.lexsort([*keys, frame["status"].map(rank).to_numpy()])
    return frame.iloc[position]


def _unit_measure(
    table: pd.DataFrame, column: str, name: str, own: pd.Index, every: pd.Index
) -> pd.Series:
    """A measure of one network's ``own`` units for ``every`` unit; counts stay ``Int64``."""
    values = table[column]
    if name in _ZERO_WHEN_MISSING:
        values = values.reindex(own, fill_value=0)
    if pd.api.types.is_integer_dtype(values):
        values = values.astype("Int64")
    return values.reindex(every)


def _ties(network: Network, chosen: np.ndarray) -> pd.DataFrame:
    ties = network.ties.reset_index(drop=True)[chosen].reset_index(drop=True)
    names = network.units.set_index("id")["name"]
    ties["name_from"] = ties["from"].map(names)
    ties["name_to"] = ties["to"].map(names)
    return ties.reindex(columns=list(TIE_COLUMNS))


def _unit_rows(units: pd.DataFrame) -> pd.DataFrame:
    return units.reindex(columns=list(UNIT_COLUMNS)).reset_index(drop=True)
