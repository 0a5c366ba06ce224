"""The Network: units, typed ties and commuter flows as tables, with networkx views on demand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import pandas as pd

from netkoop._errors import NetworkEditError, Problem, ScenarioError
from netkoop.model.blocks import Block, Origin, locate, text_of
from netkoop.model.checks import assemble, check
from netkoop.model.dates import active_on, column_of, day_of
from netkoop.model.folder import write_scenario
from netkoop.model.linkchecks import check_ties
from netkoop.model.metadata import Metadata
from netkoop.model.outlines import outlines_frame
from netkoop.model.schema import TIES, UNITS, Reporter
from netkoop.model.selection import TieSelection, tie_selection
from netkoop.model.summary import Summary, summarize
from netkoop.model.tables import ALL_TABLES, Tables, kreis_of
from netkoop.model.unitchecks import check_units
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, select_tie_kinds

Rows = pd.DataFrame | Iterable[Mapping[str, Any]]
T = TypeVar("T")


class Network:
    """Units, typed ties and commuter flows of one scenario.

    The tables are the source of truth; graph views are built from them on demand and cached.
    A Network never changes: every edit returns a new Network and leaves this one as it was.
    Build one with `netkoop.load` or `Network.from_tables`.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> bigger = net.add_ties([{"from": "lk-nord", "to": "musterstadt", "kind": "exchange"}])
    >>> len(bigger.ties) - len(net.ties)
    1
    """

    __slots__ = ("_cache", "_metadata", "_tables")

    def __init__(self, tables: Tables, metadata: Metadata) -> None:
        self._tables = tables
        self._metadata = metadata
        self._cache: dict[tuple[Any, ...], Any] = {}

    @classmethod
    def from_tables(
        cls,
        units: Rows,
        ties: Rows | None = None,
        flows: Rows | None = None,
        *,
        borders: Rows | None = None,
        outlines: Rows | None = None,
        metadata: Metadata | None = None,
    ) -> Network:
        """Build a network from tables (DataFrames or lists of row mappings), checking them.

        ``outlines`` rows hold ``id``, ``level``, ``name`` and ``geometry`` (a GeoJSON
        Polygon or MultiPolygon mapping in lon/lat degrees), see `outlines`.

        Raises
        ------
        ScenarioError
            Listing every problem when the tables are not valid.
        """
        given = {"units": units, "ties": ties, "flows": flows, "borders": borders}
        blocks = {name: [_block(rows, name)] for name, rows in given.items() if rows is not None}
        shapes, outline_problems = outlines_frame(outlines) if outlines is not None else (None, [])
        tables, problems = check(blocks, outlines=shapes)
        _raise_errors("tables", [*outline_problems, *problems])
        return cls(tables, metadata or Metadata(name="network"))

    # --- tables -------------------------------------------------------------------------

    @property
    def units(self) -> pd.DataFrame:
        """Units: id, name, kind, land, parent, population, lat, lon, then attributes."""
        return self._tables.units.copy(deep=False)

    @property
    def ties(self) -> pd.DataFrame:
        """Ties: from, to, kind, intensity, level, funding, since, until, source, confidence, ..."""
        return self._tables.ties.copy(deep=False)

    @property
    def flows(self) -> pd.DataFrame:
        """Commuter flows: from (residence), to (workplace), commuters, then breakdown counts."""
        return self._tables.flows.copy(deep=False)

    @property
    def borders(self) -> pd.DataFrame:
        """Pairs of places that share a border: from, to, length_km, then attributes."""
        return self._tables.borders.copy(deep=False)

    @property
    def outlines(self) -> pd.DataFrame:
        """Polygons of places for maps: id, level, name, geometry, lat, lon.

        ``id`` is the unit the outline belongs to (for official data its key: Land 2 digits,
        Kreis 5, Gemeinde 8; a Land outline may have no unit); ``level`` is ``land``,
        ``kreis`` or ``gemeinde``; ``name`` may be missing; ``geometry`` is a GeoJSON
        geometry mapping (``{"type": "Polygon" | "MultiPolygon", "coordinates": [...]}``) in
        lon/lat degrees (WGS84, as RFC 7946 asks), simplified for maps; ``lat``/``lon`` are a
        point inside the polygon (for a label), missing where the file has none. Empty with
        these columns when the scenario has no outlines. Callers must not change the
        geometry mappings.
        """
        return self._tables.outlines.copy(deep=False)

    @property
    def metadata(self) -> Metadata:
        """Name, title, description, reference date and source credits."""
        return self._metadata

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self._metadata.name

    @property
    def kreis(self) -> pd.Series:
        """Each unit's Kreis by unit id (a Landkreis or kreisfreie Stadt is its own Kreis)."""
        return self.cached(("kreis",), lambda: kreis_of(self._tables.units)).copy(deep=False)

    def tables(self) -> Tables:
        """Return all tables together."""
        return Tables(**{name: getattr(self, name) for name in ALL_TABLES})

    def summary(self) -> Summary:
        """Count units by kind and Land, ties by kind, and flows and commuters."""
        return summarize(self._tables, self._metadata)

    def equals(self, other: Network) -> bool:
        """Tell whether two networks have identical tables (values and types) and metadata."""
        return self._metadata == other._metadata and all(
            _identical(getattr(self._tables, name), getattr(other._tables, name))
            for name in ALL_TABLES
        )

    def __repr__(self) -> str:
        return (
            f"<Network {self.name!r}: {len(self._tables.units):,} units, "
            f"{len(self._tables.ties):,} ties, {len(self._tables.flows):,} flows>"
        )

    def _repr_html_(self) -> str:
        """Show a notebook the counts of `summary` as a small table (the text stays `repr`)."""
        return self.summary()._repr_html_()

    # --- graph views --------------------------------------------------------------------

    def graph(
        self,
        kinds: str | Iterable[str] | None = None,
        *,
        directed: bool = False,
        multigraph: bool = True,
    ) -> nx.Graph[str]:
        """Return a read-only networkx graph of the ties, with every unit as a node.

        Parameters
        ----------
        kinds
            Tie kinds to include (one or several); all kinds when omitted.
        directed
            Return a directed graph. Directed kinds (service_opening, membership) run one
            way; every other tie runs both ways.
        multigraph
            Keep every tie as its own edge, keyed by its row in `ties`. With False, ties
            between a pair are merged into one edge with ``weight`` (the number of ties) and
            ``kinds`` (their kinds, sorted).

        Returns
        -------
        A frozen graph (``nx.freeze``); call ``.copy()`` for one you can change.
        """
        chosen = select_tie_kinds(kinds)
        key = ("graph", chosen, directed, multigraph)
        return self.cached(key, lambda: self._build_graph(chosen, directed, multigraph))

    def _build_graph(
        self, kinds: tuple[str, ...], directed: bool, multigraph: bool
    ) -> nx.Graph[str]:
        graph: nx.Graph[str]
        if multigraph:
            graph = nx.MultiDiGraph() if directed else nx.MultiGraph()
        else:
            graph = nx.DiGraph() if directed else nx.Graph()
        graph.graph["name"] = self.name
        graph.add_nodes_from(_records(self._tables.units, "id"))
        ties = self._tables.ties[self._tables.ties["kind"].isin(kinds)]
        edges = list(_records(ties.drop(columns=["from", "to"]), None))
        ends = list(zip(ties["from"], ties["to"], ties.index, strict=True))
        both_ways = ~ties["kind"].isin(DIRECTED_TIE_KINDS).to_numpy() if directed else None
        for i, ((u, v, row), (_, attrs)) in enumerate(zip(ends, edges, strict=True)):
            pairs = [(u, v), (v, u)] if both_ways is not None and both_ways[i] else [(u, v)]
            for a, b in pairs:
                if multigraph:
                    graph.add_edge(a, b, key=int(row), **attrs)
                elif graph.has_edge(a, b):
                    data = graph[a][b]
                    data["weight"] += 1
                    data["kinds"] = tuple(sorted({*data["kinds"], attrs["kind"]}))
                else:
                    graph.add_edge(a, b, weight=1, kinds=(attrs["kind"],))
        frozen: nx.Graph[str] = nx.freeze(graph)
        return frozen

    def cached(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """Return the value derived from this network under ``key``, built once by ``build``.

        A network never changes, so whatever is derived from it (graph views, the engine's
        copy of the ties, counts) can be kept with it and shared. ``key`` names what is kept,
        starting with the name of the function that derives it, e.g.
        ``("brokerage", kinds)``; ``build`` is called the first time. Callers must not change
        the value they get.
        """
        if key not in self._cache:
            self._cache[key] = build()
        value: T = self._cache[key]
        return value

    # --- what-if edits ------------------------------------------------------------------

    def add_ties(self, rows: Rows) -> Network:
        """Return a new network with the ties in ``rows`` added (from, to, kind, attributes).

        Raises
        ------
        ScenarioError
            When a row is invalid (unknown unit, unknown kind, bad attribute value...).
        """
        report = Reporter()
        ties = assemble(
            TIES, [_block(self._tables.ties, "ties"), _block(rows, "added ties")], report
        )
        added = locate([ties.frame.iloc[len(self._tables.ties) :]], [Origin("added ties", first=1)])
        check_ties(added, self._tables.units, report)
        _raise_errors("add_ties", report.problems)
        return self.with_tables(ties=ties.frame)

    def with_tie_kinds(self, kinds: str | Iterable[str]) -> Network:
        """Return a new network that keeps only the ties of the given kinds.

        Examples
        --------
        >>> sorted(set(netkoop.load("beispielregion").with_tie_kinds("membership").ties["kind"]))
        ['membership']
        """
        keep = self._tables.ties["kind"].isin(select_tie_kinds(kinds))
        return self.with_tables(ties=self._tables.ties[keep].reset_index(drop=True))

    def select_ties(
        self,
        ties: str | Iterable[str] | TieSelection | None = None,
        *,
        min_confidence: float | None = None,
    ) -> Network:
        """Return a new network that keeps only the ties a selection names (``--ties``).

        Parameters
        ----------
        ties
            Tie kinds, and the word ``confirmed``: only ties whose ``confirmed`` is ``yes``,
            and ties no survey reported (without a ``confirmed`` value); all when None.
        min_confidence
            Keep only ties whose ``confidence`` is at least this (0 to 1); a tie without a
            confidence counts as 1.0.

        Returns
        -------
        This network when the selection keeps every tie, else a new one.

        Raises
        ------
        NetworkEditError
            When a word is neither a tie kind nor ``confirmed``, ``confirmed`` is asked of
            ties without a ``confirmed`` column, or ``min_confidence`` lies outside 0 to 1.

        Examples
        --------
        >>> net = netkoop.load("beispielregion")
        >>> len(net.select_ties(["membership"]).ties), len(net.select_ties(min_confidence=0.8).ties)
        (5, 17)
        """
        chosen = tie_selection(ties, min_confidence=min_confidence)
        if chosen.everything:
            return self
        keep = chosen.keep(self._tables.ties, self.name)
        return self.with_tables(ties=self._tables.ties[keep].reset_index(drop=True))

    def remove_ties(self, rows: Rows) -> Network:
        """Return a new network without the ties that ``rows`` describe.

        Each row names ``from`` and ``to`` and optionally ``kind`` or other tie columns; it
        removes every tie that matches all the given columns (either direction for undirected
        kinds).

        Raises
        ------
        NetworkEditError
            When a row matches no tie.
        """
        ties = self._tables.ties
        remove = np.zeros(len(ties), dtype=bool)
        misses = []
        for row in _row_dicts(rows):
            match = _matches(ties, row)
            if not match.any():
                misses.append(", ".join(f"{k}={v}" for k, v in row.items()))
            remove |= match
        if misses:
            raise NetworkEditError("remove_ties: no tie matches " + "; ".join(misses))
        return self.with_tables(ties=ties[~remove].reset_index(drop=True))

    def add_units(self, rows: Rows) -> Network:
        """Return a new network with the units in ``rows`` added.

        Raises
        ------
        ScenarioError
            When a row is invalid (duplicate id, unknown kind, parent rules...).
        """
        report = Reporter()
        units = assemble(
            UNITS, [_block(self._tables.units, "units"), _block(rows, "added units")], report
        )
        check_units(units, report)
        _raise_errors("add_units", report.problems)
        return self.with_tables(units=units.frame)

    def remove_units(self, ids: str | Iterable[str]) -> Network:
        """Return a new network without the given units and every tie and flow they touch.

        Their borders go too, and their outlines (a Land outline stays: it is context).

        Raises
        ------
        NetworkEditError
            When an id names no unit, or a remaining Gemeinde names a removed unit as parent.
        """
        gone = pd.Index([ids] if isinstance(ids, str) else list(ids))
        unknown = gone.difference(pd.Index(self._tables.units["id"]))
        if len(unknown):
            raise NetworkEditError(f"remove_units: unknown unit id(s): {', '.join(unknown)}")
        units = self._tables.units
        keep = ~units["id"].isin(gone)
        orphans = units[keep & units["parent"].isin(gone)]
        if len(orphans):
            raise NetworkEditError(
                "remove_units: these Gemeinden name a removed unit as parent; remove them too: "
                + ", ".join(orphans["id"].head(10))
                + (" ..." if len(orphans) > 10 else "")
            )
        kept = {"units": units[keep].reset_index(drop=True)}
        for name in ("ties", "flows", "borders"):
            table = getattr(self._tables, name)
            touching = table["from"].isin(gone) | table["to"].isin(gone)
            kept[name] = table[~touching].reset_index(drop=True)
        outlines = self._tables.outlines
        gone_outlines = outlines["id"].isin(gone) & (outlines["level"] != "land")
        if gone_outlines.any():
            kept["outlines"] = outlines[~gone_outlines].reset_index(drop=True)
        return self.with_tables(**kept)

    def at(self, date: str | dt.date) -> Network:
        """Return a new network as it stood on ``date``: the units and ties that existed then.

        A tie is kept when its ``since`` is on or before the date (a tie without ``since``
        counts as existing since before any date; `undated_ties` counts them) and its
        ``until`` is on or after it or empty. Units may carry ``since``/``until`` as
        attributes too (a Gemeinde merged away, a forum founded): a unit that does not exist
        on the date is dropped, with the Gemeinden whose parent it is and every tie, flow and
        border that touches any of them; the outlines all stay. A unit's coordination office
        counts as ``"none"`` on a date outside its ``office_since``/``office_until`` (a
        project-funded position before it was filled or after its money ended).

        Dates are written as in scenario files: a year (``2016``), a year-month (``2016-05``)
        or a day (``2016-05-01``, ``01.05.2016``). A partial date in the tables means its whole
        period: ``since: 2016`` is active from 2016-01-01, ``until: 2016`` until 2016-12-31,
        ``until: 2016-05`` until 2016-05-31. A partial ``date`` asked for means its first day:
        ``at("2016")`` is the network on 2016-01-01.

        Raises
        ------
        NetworkEditError
            When ``date``, or a ``since``/``until`` of a unit, is not a date in those forms.

        Examples
        --------
        >>> net = netkoop.load("beispielregion")
        >>> len(net.at("2015").ties) < len(net.at("2030").ties) <= len(net.ties)
        True
        """
        day = day_of(date)
        units = self._tables.units
        exists = np.ones(len(units), dtype=bool)
        if "since" in units.columns or "until" in units.columns:
            exists = active_on(column_of(units, "since"), column_of(units, "until"), day, "units")
            gone = units["id"][~exists]
            exists &= ~units["parent"].isin(gone).to_numpy()
        units = _offices_on(units, day)
        ties = self._tables.ties
        keep = active_on(ties["since"], ties["until"], day, "ties")
        if exists.all():
            changed = {"ties": ties[keep].reset_index(drop=True)}
            if units is not self._tables.units:
                changed["units"] = units
            return self.with_tables(**changed)
        gone = units["id"][~exists]
        kept = {"units": units[exists].reset_index(drop=True)}
        for name in ("ties", "flows", "borders"):
            table = getattr(self._tables, name)
            stays = ~(table["from"].isin(gone) | table["to"].isin(gone)).to_numpy()
            if name == "ties":
                stays &= keep
            kept[name] = table[stays].reset_index(drop=True)
        return self.with_tables(**kept)

    def with_metadata(self, **changes: Any) -> Network:
        """Return a new network whose metadata has the given fields changed."""
        return Network(self._tables, dataclasses.replace(self._metadata, **changes))

    def with_tables(self, **tables: pd.DataFrame) -> Network:
        """Return a new network with some tables replaced as given, without checking them.

        For interventions that derive valid tables from valid ones (a subset of the ties, a
        column set to an allowed value); rows from elsewhere go through `add_ties` or
        `add_units`, which check them.
        """
        return Network(dataclasses.replace(self._tables, **tables), self._metadata)

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the network as a scenario folder: scenario.yaml plus one CSV file per table.

        Outlines, when there are any, go to ``outlines.geojson``.

        Loading the result gives a network identical to this one. The folder is written
        whole or not at all, into a new or empty folder, or over a scenario netkoop wrote
        before when ``overwrite`` is given (see `netkoop.output.files`).

        Parameters
        ----------
        path
            A folder, or the name of the YAML file to write (its tables go beside it).
        overwrite
            Replace the scenario that netkoop wrote into the folder before.

        Returns
        -------
        The path of the scenario file.

        Raises
        ------
        OutputExistsError
            When netkoop wrote a scenario into the folder before and ``overwrite`` is False.
        OutputError
            When the folder holds files netkoop did not write.
        """
        return write_scenario(self._tables, self._metadata, path, overwrite=overwrite)


def _offices_on(units: pd.DataFrame, day: str) -> pd.DataFrame:
    """The units with each coordination office as it stood on ``day``: outside its
    ``office_since``/``office_until`` an office is ``"none"`` (the same table when none is)."""
    dated = [c for c in ("office_since", "office_until") if c in units.columns]
    if not dated or "coordination_office" not in units.columns:
        return units
    working = active_on(
        column_of(units, "office_since"), column_of(units, "office_until"), day, "units"
    )
    office = units["coordination_office"]
    closed = ~working & office.notna().to_numpy() & (office != "none").to_numpy()
    if not closed.any():
        return units
    return units.assign(coordination_office=office.mask(closed, "none"))


def undated_ties(network: Network) -> int:
    """Count the ties without a ``since``: `Network.at` takes them as existing since ever.

    Examples
    --------
    >>> undated_ties(netkoop.load("beispielregion")) >= 0
    True
    """
    return int(network.ties["since"].isna().sum())


def tie_keys(ties: pd.DataFrame) -> pd.Series:
    """Return a key per tie that equals the key of the same tie in another network.

    A tie is the same when it joins the same two units (either way for undirected kinds)
    with the same kind; the n-th of several such ties matches the n-th of the other network.

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"from": ["a", "b"], "to": ["b", "a"], "kind": ["exchange"] * 2})
    >>> other = pd.DataFrame({"from": ["b"], "to": ["a"], "kind": ["exchange"]})
    >>> list(tie_keys(ties).isin(tie_keys(other)))
    [True, False]
    """
    start = ties["from"].astype("str")
    end = ties["to"].astype("str")
    undirected = ~ties["kind"].isin(DIRECTED_TIE_KINDS)
    swap = undirected & (start > end)
    low = start.where(~swap, end)
    high = end.where(~swap, start)
    base = low + "\x1f" + high + "\x1f" + ties["kind"].astype("str")
    nth = base.groupby(base, sort=False).cumcount().astype("str")
    return (base + "\x1f" + nth).reset_index(drop=True)


def _identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a.equals(b) and list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes)


def _records(frame: pd.DataFrame, key: str | None) -> Iterable[tuple[Any, dict[str, Any]]]:
    """Yield (key or row label, attributes without missing values) per row, as Python values."""
    columns = [c for c in frame.columns if c != key]
    values = [frame[c].astype(object).to_numpy() for c in columns]
    keys = frame[key].to_numpy() if key else frame.index.to_numpy()
    for i, k in enumerate(keys):
        attrs = {}
        for name, column in zip(columns, values, strict=True):
            value = column[i]
            if (
                value is not None
                and value is not pd.NA
                and not (isinstance(value, float) and np.isnan(value))
            ):
                attrs[name] = value.item() if isinstance(value, np.generic) else value
        yield k, attrs


def _row_dicts(rows: Rows) -> list[dict[str, Any]]:
    if isinstance(rows, pd.DataFrame):
        records = rows.to_dict("records")
        return [{str(k): v for k, v in r.items() if not pd.isna(v)} for r in records]
    return [dict(r) for r in rows]


def _matches(ties: pd.DataFrame, row: Mapping[str, Any]) -> np.ndarray:
    if "from" not in row or "to" not in row:
        raise NetworkEditError(f"remove_ties: each row needs from and to; got {dict(row)}")
    others = np.ones(len(ties), dtype=bool)
    for column, value in row.items():
        if column in ("from", "to"):
            continue
        if column not in ties.columns:
            raise NetworkEditError(f"remove_ties: ties have no column {column!r}")
        others &= (ties[column].astype("str") == text_of(value)).fillna(False).to_numpy()
    a, b = str(row["from"]), str(row["to"])
    forward = ((ties["from"] == a) & (ties["to"] == b)).to_numpy()
    backward = ((ties["from"] == b) & (ties["to"] == a)).to_numpy()
    undirected = ~ties["kind"].isin(DIRECTED_TIE_KINDS).to_numpy()
    return others & (forward | (backward & undirected))


def _block(rows: Rows, label: str) -> Block:
    """Turn a DataFrame or row mappings into a block of text cells, as a file would give."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame.from_records(list(rows))
    out = {}
    text = set()
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_string_dtype(column) and column.map(_is_text).all():
            text.add(str(name))
        if pd.api.types.is_bool_dtype(column):
            column = column.map({True: "true", False: "false"})
        elif pd.api.types.is_integer_dtype(column) or pd.api.types.is_float_dtype(column):
            column = column.astype("str")
        elif not pd.api.types.is_string_dtype(column) or column.dtype == object:
            column = column.map(text_of, na_action="ignore")
        out[str(name)] = column.astype("str")
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
    return Block(frame, Origin(label, first=1), text_columns=frozenset(text))


def _is_text(value: object) -> bool:
    return (
        isinstance(value, str)
        or value is None
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
    )


def _raise_errors(source: str, problems: list[Problem]) -> None:
    if any(p.severity == "error" for p in problems):
        raise ScenarioError(source, problems)
