"""Recommend new ties: the pairs of units whose tie would most improve coverage or connectivity."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from netkoop._errors import MetricsError, OutputError
from netkoop.metrics.engine import tie_graph
from netkoop.metrics.pairs import commuters_by_pair, count_of
from netkoop.model.focus import Focus
from netkoop.model.labels import check_lang, column_label, item_label, kind_cells, table_label
from netkoop.model.network import Network
from netkoop.model.selection import tie_selection
from netkoop.model.vocabulary import TIE_KINDS
from netkoop.output.files import Paths, check_file, is_stdout, write_file, write_text
from netkoop.output.formats import TABLE, CsvDialect, choose_format, csv_dialect
from netkoop.output.provenance import provenance
from netkoop.output.tables import about_table, csv_text, workbook
from netkoop.output.values import json_text, records

Objective = Literal["commuter-coverage", "connectivity"]

#: The objectives `recommend` can improve.
OBJECTIVES: tuple[str, ...] = ("commuter-coverage", "connectivity")

#: Columns of the DataFrame `recommend` returns, for either objective.
RECOMMEND_COLUMNS = (
    "from",
    "to",
    "kind",
    "name_from",
    "name_to",
    "kind_from",
    "kind_to",
    "commuters",
    "coverage",
    "size_from",
    "size_to",
    "pairs_connected",
    "components",
)

Candidates = pd.DataFrame | Iterable[tuple[str, str]]


@dataclass(frozen=True, eq=False)
class Recommendation:
    """The outcome of `recommend`: the new ties, and the objective before and after them.

    Attributes
    ----------
    ties
        One row per recommended tie in the order chosen, columns `RECOMMEND_COLUMNS`
        (see `recommend`).
    name, objective, kind, column, k
        The network's name and what was asked for.
    counted
        The tie kinds that counted as existing ties, and ``confirmed`` when only confirmed
        ties counted (None: all).
    adjacent_only
        Whether only pairs that share a border were candidates.
    commuters
        Commuters (of ``column``, both directions summed) between all pairs of units.
    coverage_before
        The share of them commuting between tied units before the new ties; NaN without
        commuters.
    components_before
        The number of components (units joined by ties) before the new ties.
    min_confidence
        The least confidence of a tie that counted (None: any).
    focus
        The id (or Land key) of the focus the ties were recommended for (None: any pair).
    """

    ties: pd.DataFrame
    name: str
    objective: Objective
    kind: str
    column: str
    k: int
    counted: tuple[str, ...] | None
    adjacent_only: bool
    commuters: int
    coverage_before: float
    components_before: int
    min_confidence: float | None = None
    focus: str | None = None

    @property
    def components_after(self) -> int:
        """The number of components once the recommended ties are added."""
        return int(self.ties["components"].iloc[-1]) if len(self.ties) else self.components_before

    def write(
        self,
        path: str | Path,
        *,
        fmt: str | None = None,
        overwrite: bool = False,
        protect: Paths = (),
        lang: str = "de",
        csv: str | CsvDialect = "standard",
    ) -> Path | None:
        """Write the table of ties as CSV, JSON records or a workbook (``-``: standard output).

        The format is ``fmt`` or else the one the ending names (.csv, .json or .xlsx). CSV
        (in the dialect ``csv``, see `netkoop.output.formats.CSV_DIALECTS`) and JSON keep
        the column names; the workbook has headers and sheet names in ``lang`` and a last
        sheet with what made it (`provenance`).

        Raises
        ------
        OutputError
            When the format, language or CSV dialect is unknown or the output may not go
            there.
        """
        check_lang(lang)
        dialect = csv_dialect(csv)
        chosen = check_table_output(path, fmt, overwrite=overwrite, protect=protect)
        if chosen == "xlsx":
            return write_file(path, self.excel(lang), overwrite=overwrite, protect=protect)
        if chosen == "csv":
            text = csv_text(self.ties, dialect)
        else:
            text = json_text(records(self.ties)) + "\n"
        return write_text(path, text, overwrite=overwrite, protect=protect)

    def excel(self, lang: str = "de") -> Callable[[Path], None]:
        """Return a function that writes the ties as a workbook at the path it is given."""
        check_lang(lang)
        made = about_table(
            {"scenario": self.name, **self.provenance()}, label=lambda n: item_label(n, lang)
        )
        return workbook(
            [(table_label("recommended", lang), self.ties), (table_label("about", lang), made)],
            header=lambda name: column_label(name, lang),
            cells=kind_cells(lang),
        )

    def provenance(self) -> dict[str, Any]:
        """Return what made the recommendation: versions and the options asked for."""
        return provenance(
            objective=self.objective,
            k=self.k,
            kind=self.kind,
            column=self.column,
            ties=None if self.counted is None else list(self.counted),
            adjacent_only=self.adjacent_only,
            min_confidence=self.min_confidence,
            focus=self.focus,
        )


def check_table_output(
    path: str | Path, fmt: str | None, *, overwrite: bool = False, protect: Paths = ()
) -> str:
    """Return the format of a table written to ``path``, after checking it may go there.

    Raises
    ------
    OutputError
        When the format is unknown or the output may not go to ``path``.
    """
    chosen = choose_format(path, fmt, TABLE)
    if not is_stdout(path):
        check_file(Path(path), overwrite=overwrite, protect=protect)
    elif chosen == "xlsx":
        raise OutputError("an xlsx table cannot go to standard output; name a file")
    return chosen


def recommend(
    network: Network,
    *,
    k: int = 5,
    objective: Objective | str = "commuter-coverage",
    kind: str = "exchange",
    ties: str | Iterable[str] | None = None,
    adjacent_only: bool = False,
    candidates: Candidates | None = None,
    column: str = "commuters",
    progress: Callable[[int, int], None] | None = None,
    min_confidence: float | None = None,
    focus: Focus | None = None,
) -> Recommendation:
    """Recommend the k new ties that most improve an objective, chosen greedily one by one.

    A new tie joins two units that no tie (of any kind, in either direction) joins yet. Ties
    are chosen one after another, each the best single addition to the network with the
    ties chosen before it added.

    ``"commuter-coverage"`` counts the commuters between tied units (flows in both directions
    summed, as `netkoop.metrics.commuting_gap`). A tie covers exactly the commuters of its own
    pair, so the objective is additive over pairs and greedy is optimal: the k ties are the k
    uncovered pairs with the most commuters, the best set of k. Candidates are pairs with
    commuters and no tie.

    ``"connectivity"`` minimises the disconnection ``D``, the sum over units of the units they
    cannot reach through ties. A tie between components of sizes ``a`` and ``b`` lowers ``D``
    by ``2ab`` (0 within a component), so each step joins two of the largest components.
    Among equally good pairs the one with the most commuters wins. Each step is the best
    single addition; the k ties together are not guaranteed to be the best set of k.

    Remaining ties are broken by unit order (position in `Network.units`): the pair whose
    earlier unit comes first, then whose later unit comes first.

    Parameters
    ----------
    network
        The network; it is not changed.
    k
        The number of ties to recommend; fewer rows when fewer pairs improve the objective
        (every uncovered pair covered, or the network connected).
    objective
        ``"commuter-coverage"`` or ``"connectivity"``.
    kind
        The tie kind of the recommended ties (the ``kind`` column), so that
        ``network.add_ties(result.ties[["from", "to", "kind"]])`` adds them.
    ties
        Only ties of these kinds count as existing ties, and with the word ``confirmed``
        only confirmed ones (see `Network.select_ties`); all when omitted.
    adjacent_only
        Only pairs that share a border (the borders table) are candidates, e.g. a Landkreis
        and the kreisfreie Stadt beside it.
    candidates
        Pairs of unit ids (a DataFrame with ``from`` and ``to``, or ``(from, to)`` tuples), in
        either direction, to choose from; all pairs when omitted. Tied pairs and pairs of a
        unit with itself are left out.
    focus
        Only ties for this focus (`netkoop.model.focus.focus`) are candidates: pairs with an
        end in ``focus.area`` (ties of the unit, or of a Kreis's Gemeinden, with anyone) and
        pairs with both ends in ``focus.kreis_area`` (for a Gemeinde: ties inside its
        Landkreis). With ``candidates`` or ``adjacent_only``, only the pairs all of them
        allow.
    column
        The flow column to count: ``"commuters"`` or a breakdown column of the flows table.
        Missing values count as 0.
    progress
        Called as ``progress(steps, k)``: with 0 steps when the choosing starts, with 1 for
        each tie the connectivity objective chooses, and with the rest when all are chosen.
    min_confidence
        Only ties whose ``confidence`` is at least this count as existing ties; a tie
        without a confidence counts as 1.0.

    Returns
    -------
    Recommendation
        Its ``ties`` have one row per recommended tie in the order chosen, columns
        `RECOMMEND_COLUMNS`:
        ``from`` and ``to`` (unit ids in unit order), ``kind`` (the tie kind),
        ``name_from``, ``name_to``, ``kind_from``, ``kind_to``; then the reason:
        ``commuters`` (commuters between the two, both directions), ``coverage`` (share of
        all commuters between tied units once this and the earlier ties are added; NaN
        without commuters), ``size_from`` and ``size_to`` (units in the components of the
        two before the tie), ``pairs_connected`` (pairs of units newly joined by a path:
        ``size_from * size_to``, 0 within a component) and ``components`` (components after
        the tie).

    Raises
    ------
    MetricsError
        When ``objective`` is unknown, ``k`` is below 1, ``kind`` is not a tie kind,
        ``column`` is not a flow column, a candidate names an unknown unit, or
        ``adjacent_only`` is asked of a network without borders.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> best = recommend(net, k=2)
    >>> best.ties[["from", "to", "commuters"]].values.tolist()
    [['musterstadt', 'auenfeld', 4810], ['musterstadt', 'fahrendorf', 3960]]
    >>> round(best.coverage_before, 3), round(float(best.ties.at[1, "coverage"]), 3)
    (0.699, 0.832)
    >>> joined = recommend(net, k=1, objective="connectivity", ties="membership")
    >>> joined.ties[["from", "to", "size_from", "size_to", "components"]].values.tolist()
    [['musterstadt', 'fahrendorf', 6, 1, 7]]

    Around Landkreis Nordheide: ties of it or of its Gemeinden, with anyone.

    >>> from netkoop.model.focus import focus
    >>> mine = recommend(net, k=3, focus=focus(net, "lk-nord"))
    >>> mine.focus
    'lk-nord'
    >>> mine.ties[["from", "to"]].values.tolist()
    [['musterstadt', 'auenfeld'], ['musterstadt', 'eichwalde'], ['lk-nord', 'lk-sued']]
    """
    selection = tie_selection(ties, min_confidence=min_confidence)
    network = network.select_ties(selection)
    words = selection.words()
    counted = None if words is None else tuple(words)
    if adjacent_only and network.borders.empty:
        raise MetricsError(
            f"adjacent_only (--adjacent-only) needs borders between places, and scenario "
            f"{network.name!r} has none; add a borders table (e.g. with `netkoop import "
            "adjacency`)"
        )
    if objective not in OBJECTIVES:
        raise MetricsError(f"unknown objective {objective!r}; objectives: {', '.join(OBJECTIVES)}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise MetricsError(f"k must be a whole number of at least 1; got {k!r}")
    if kind not in TIE_KINDS:
        raise MetricsError(f"unknown tie kind {kind!r}; tie kinds: {', '.join(TIE_KINDS)}")
    graph = tie_graph(network)
    ids = graph.ids
    n = len(ids)
    tied_keys = graph.pairs[:, 0] * n + graph.pairs[:, 1]
    flow_keys, pair_commuters = commuters_by_pair(network.flows, ids, column)
    total = int(pair_commuters.sum())
    covered = int(pair_commuters[np.isin(flow_keys, tied_keys)].sum())

    keys = flow_keys[pair_commuters > 0]
    if candidates is not None:
        keys = _candidate_keys(candidates, ids)
    if adjacent_only:
        borders = _candidate_keys(network.borders[["from", "to"]], ids)
        keys = borders if candidates is None else np.intersect1d(keys, borders)
    within = None if focus is None else _focus_ends(focus, ids)
    if within is not None:
        keys = keys[_allowed(keys, n, within)]
    keys = keys[~np.isin(keys, tied_keys)]
    commuters = count_of(keys, flow_keys, pair_commuters)

    coverage_before = covered / total if total else math.nan
    component = graph.component.copy()
    sizes = graph.component_sizes.copy()
    if progress is not None:
        progress(0, k)
    stepped = 0
    if objective == "commuter-coverage":
        keep = commuters > 0
        keys, commuters = keys[keep], commuters[keep]
        order = np.lexsort((keys, -commuters))[:k]
        chosen = [int(key) for key in keys[order]]
    else:
        step = None if progress is None else lambda: progress(1, k)
        any_pair = candidates is None and not adjacent_only
        chosen = _greedy_joins(
            keys, commuters, component, sizes, k, any_pair=any_pair, within=within, step=step
        )
        stepped = len(chosen)

    # One look-up for all: each of its own would index every flow pair again.
    gains = count_of(np.array(chosen, dtype=np.int64), flow_keys, pair_commuters)
    rows = []
    for key, gain in zip(chosen, gains.tolist(), strict=True):
        low, high = divmod(key, n)
        a, b = int(component[low]), int(component[high])
        size_a, size_b = int(sizes[a]), int(sizes[b])
        joined = a != b
        if joined:
            component[component == b] = a
            sizes[a] += sizes[b]
            sizes[b] = 0
        covered += gain
        rows.append(
            (
                low,
                high,
                gain,
                covered / total if total else math.nan,
                size_a,
                size_b,
                size_a * size_b if joined else 0,
                int(np.count_nonzero(sizes)),
            )
        )
    if progress is not None:
        progress(k - stepped, k)
    return Recommendation(
        ties=_frame(network, rows, kind),
        name=network.name,
        objective=objective,  # type: ignore[arg-type]  # checked against OBJECTIVES above
        kind=kind,
        column=column,
        k=k,
        counted=counted,
        adjacent_only=adjacent_only,
        commuters=total,
        coverage_before=coverage_before,
        components_before=len(graph.component_sizes),
        min_confidence=selection.min_confidence,
        focus=None if focus is None else focus.key,
    )


def _greedy_joins(
    keys: np.ndarray,
    commuters: np.ndarray,
    component: np.ndarray,
    sizes: np.ndarray,
    k: int,
    *,
    any_pair: bool,
    within: Ends | None = None,
    step: Callable[[], None] | None = None,
) -> list[int]:
    """Choose up to k pairs one by one, each joining components with the largest product.

    ``keys`` are the candidate pairs with their ``commuters``; with ``any_pair`` every pair
    of units is a candidate (every pair ``within`` allows, with a focus) and ``keys`` only
    lists those with commuters. Works on copies of ``component`` and ``sizes``; ``step`` is
    called after each pair chosen.
    """
    n = len(component)
    component, sizes = component.copy(), sizes.copy()
    chosen: list[int] = []
    for _ in range(k):
        low, high = keys // max(n, 1), keys % max(n, 1)
        a, b = component[low], component[high]
        product = np.where(a != b, sizes[a] * sizes[b], 0)
        best = int(product.max()) if len(product) else 0
        alive = np.flatnonzero(sizes)
        if not any_pair:
            target = best
        elif within is not None:
            target = _focus_target(component, sizes, within)
        elif len(alive) >= 2:
            top = np.sort(sizes[alive])[::-1]
            target = int(top[0] * top[1])
        else:
            target = best
        if target == 0:
            break
        if best == target:
            pick = np.flatnonzero(product == best)
            pick = pick[np.lexsort((keys[pick], -commuters[pick]))]
            key = int(keys[pick[0]])
        elif within is not None:
            key = _first_focus_join(component, sizes, within, target)
        else:
            key = _first_join(component, sizes)
        chosen.append(key)
        first, second = component[key // n], component[key % n]
        component[component == second] = first
        sizes[first] += sizes[second]
        sizes[second] = 0
        if step is not None:
            step()
    return chosen


def _first_join(component: np.ndarray, sizes: np.ndarray) -> int:
    """Return the first pair in unit order that joins two components of the largest product.

    Within two components the first pair joins their first units. With two or more
    components of the largest size, the product is largest among them; else the largest
    component is paired with one of the next size, the one whose first unit comes first.
    """
    n = len(component)
    first = np.full(len(sizes), n, dtype=np.int64)
    np.minimum.at(first, component, np.arange(n, dtype=np.int64))
    alive = np.flatnonzero(sizes)
    ranked = np.sort(sizes[alive])[::-1]
    largest = alive[sizes[alive] == ranked[0]]
    if len(largest) >= 2:
        ends = np.sort(first[largest])[:2]
    else:
        nexts = alive[sizes[alive] == ranked[1]]
        ends = np.sort([first[largest[0]], first[nexts].min()])
    return int(ends[0] * n + ends[1])


#: The units a focus allows ties for, as masks in unit order: its area, and its Kreis's area.
Ends = tuple[np.ndarray, np.ndarray]


def _focus_ends(focus: Focus, ids: pd.Index) -> Ends:
    """The focus's ``area`` and ``kreis_area`` as masks over ``ids`` (the Kreis's includes
    the area)."""
    area = ids.isin(list(focus.area))
    return area, area | ids.isin(list(focus.kreis_area))


def _allowed(keys: np.ndarray, n: int, within: Ends) -> np.ndarray:
    """Mark the pair keys a focus allows: an end in its area, or both ends in its Kreis."""
    area, kreis = within
    low, high = keys // max(n, 1), keys % max(n, 1)
    allowed: np.ndarray = area[low] | area[high] | (kreis[low] & kreis[high])
    return allowed


def _focus_target(component: np.ndarray, sizes: np.ndarray, within: Ends) -> int:
    """The largest product of the sizes of two components that a pair the focus allows joins.

    A component with a unit of the area may join any other (best: the largest other one);
    two components with units of the Kreis may join each other.
    """
    area, kreis = within
    alive = np.flatnonzero(sizes)
    if len(alive) < 2:
        return 0
    ranked = np.sort(sizes[alive])[::-1]
    touched = np.unique(component[area])
    other = np.where(sizes[touched] == ranked[0], ranked[1], ranked[0])
    best = int((sizes[touched] * other).max()) if len(touched) else 0
    inside = np.sort(sizes[np.unique(component[kreis])])[::-1]
    if len(inside) >= 2:
        best = max(best, int(inside[0] * inside[1]))
    return best


def _first_focus_join(component: np.ndarray, sizes: np.ndarray, within: Ends, target: int) -> int:
    """Return the first pair in unit order that the focus allows and that joins two
    components whose sizes multiply to ``target``.

    The pair's earlier unit ``x`` decides what the later one may be: anyone for a unit of
    the area, a unit of the Kreis for one of the Kreis, else a unit of the area.
    """
    area, kreis = within
    n = len(component)
    size = sizes[component]
    best = n * n
    for ends, partners in ((area, np.ones(n, dtype=bool)), (kreis & ~area, kreis), (~kreis, area)):
        for own in np.unique(size[ends]).tolist():
            if target % own:
                continue
            first = np.flatnonzero(ends & (size == own))
            later = np.flatnonzero(partners & (size == target // own))
            if len(first) and len(later):
                best = min(best, _first_pair(first, later, component))
    return best


def _first_pair(first: np.ndarray, later: np.ndarray, component: np.ndarray) -> int:
    """The least key ``x * n + y`` with ``x`` of ``first``, ``y > x`` of ``later`` (both
    sorted) and the two in different components; ``n * n`` when there is none."""
    n = len(component)
    groups = component[later]
    starts = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    # The start of the next run of ``later`` in another component, for every position.
    runs = np.append(starts, len(later))
    after = np.append(
        runs[np.searchsorted(starts, np.arange(len(later)), side="right")], len(later)
    )
    at = np.searchsorted(later, first, side="right")
    same = (at < len(later)) & (groups[np.minimum(at, len(later) - 1)] == component[first])
    at = np.where(same, after[at], at)
    found = at < len(later)
    if not found.any():
        return n * n
    keys = first[found].astype(np.int64) * n + later[at[found]]
    return int(keys.min())


def _candidate_keys(candidates: Candidates, ids: pd.Index) -> np.ndarray:
    """Return the distinct unordered pair keys of the candidate pairs, self-pairs left out."""
    if isinstance(candidates, pd.DataFrame):
        if not {"from", "to"} <= set(candidates.columns):
            raise MetricsError("candidates need columns from and to")
        ends = pd.DataFrame({"from": candidates["from"], "to": candidates["to"]})
    else:
        ends = pd.DataFrame(list(candidates), columns=["from", "to"])
    ends = ends.astype(str)
    first = ids.get_indexer(pd.Index(ends["from"]))
    second = ids.get_indexer(pd.Index(ends["to"]))
    unknown = pd.unique(
        pd.concat([ends["from"][first < 0], ends["to"][second < 0]], ignore_index=True)
    )
    if len(unknown):
        raise MetricsError(f"candidates name unknown unit id(s): {', '.join(unknown[:10])}")
    keep = first != second
    n = len(ids)
    low, high = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
    keys: np.ndarray = np.unique(low.astype(np.int64) * n + high)
    return keys


def _frame(
    network: Network, rows: list[tuple[int, int, int, float, int, int, int, int]], kind: str
) -> pd.DataFrame:
    units = network.units
    low = np.array([r[0] for r in rows], dtype=np.int64)
    high = np.array([r[1] for r in rows], dtype=np.int64)
    reasons = list(zip(*rows, strict=True))[2:] if rows else [()] * 6
    frame = pd.DataFrame(
        {
            "from": units["id"].array.take(low),
            "to": units["id"].array.take(high),
            "kind": pd.Series([kind] * len(rows), dtype=units["kind"].dtype),
            "name_from": units["name"].array.take(low),
            "name_to": units["name"].array.take(high),
            "kind_from": units["kind"].array.take(low),
            "kind_to": units["kind"].array.take(high),
        }
    )
    for name, values in zip(RECOMMEND_COLUMNS[7:], reasons, strict=True):
        dtype = np.float64 if name == "coverage" else np.int64
        frame[name] = np.array(values, dtype=dtype)
    return frame
