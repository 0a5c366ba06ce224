"""What every graph export holds, before any format: nodes, edges, their typed columns, credits.

The writers of GEXF, GraphML and Cytoscape JSON all take an `Elements` value, so the three
formats say the same thing: one node per unit (id = unit id, every unit column an
attribute), one edge per tie (id ``tie-{row}``, ``source`` = ``from``, ``target`` = ``to``,
its kind, and whether its direction means something), and with flows one directed edge per
flow (id ``flow-{row}``, kind ``commuting``, weight = commuters). The values are held as
columns, not as a Python object per edge, so a million flows stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from netkoop.model.network import Network
from netkoop.model.selection import tie_selection
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, TIE_KINDS
from netkoop.output.provenance import provenance

#: The type of a column in the file: the four types all three formats know.
ValueType = Literal["string", "long", "double", "boolean"]

#: How the file states direction: ``mixed`` per edge (what the direction means: Gephi,
#: Cytoscape and graphology read it), or every edge ``directed`` (from → to) or
#: ``undirected``, for programs that know no mixed graphs (networkx, igraph, graph-tool); there
#: an edge column ``directed`` keeps the meaning.
Direction = Literal["mixed", "directed", "undirected"]

#: A progress callback: ``progress(steps, total)``, as `netkoop.cli.progress` yields one.
Progress = Callable[[int, int | None], None]

# Edges between two calls of a progress callback.
_CHUNK = 20_000

#: Kind of the edges that stand for commuter flows.
COMMUTING = "commuting"

#: Web addresses of the licences netkoop's own and the official data come under.
LICENCE_URLS = {
    "Datenlizenz Deutschland – Namensnennung – Version 2.0": "https://www.govdata.de/dl-de/by-2-0",
    "dl-de/by-2-0": "https://www.govdata.de/dl-de/by-2-0",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    """One attribute column: its name in the file, its type and its values as text.

    ``text`` holds each row's value as the XML formats write it (None where missing);
    ``values`` the plain Python values for JSON (None where missing).
    """

    name: str
    type: ValueType
    values: Sequence[Any]
    text: Sequence[str | None]


@dataclass(frozen=True)
class Elements:
    """The nodes and edges of an export, column by column, and what the file says about itself.

    Attributes
    ----------
    node_ids
        Unit ids, one per node.
    labels
        The unit names (the id where a unit has no name).
    node_columns
        Every unit column but ``id``, in table order.
    edge_ids, sources, targets, kinds, directed, weights
        One entry per edge: ``tie-{row}`` or ``flow-{row}`` (``pair-{n}`` when merged), the
        ends (``from`` and ``to``), the tie kind (``commuting`` for flows), whether the
        direction carries meaning, and the weight (None: the format's default of 1).
    edge_columns
        Every other tie (and flow) column, in table order; ``kind`` among them.
    metadata
        Name, title, description, dates, sources, licence text and provenance (`metadata`).
    """

    node_ids: Sequence[str]
    labels: Sequence[str]
    node_columns: tuple[Column, ...]
    edge_ids: Sequence[str]
    sources: Sequence[str]
    targets: Sequence[str]
    kinds: Sequence[str]
    directed: Sequence[bool]
    weights: Sequence[float | None]
    edge_columns: tuple[Column, ...]
    metadata: dict[str, Any]
    direction: Direction = "mixed"

    def edge_type(self, directed: bool) -> bool:
        """Whether the file writes an edge whose direction means ``directed`` as directed."""
        return directed if self.direction == "mixed" else self.direction == "directed"

    @property
    def xml_edge_columns(self) -> tuple[Column, ...]:
        """The edge columns GEXF and GraphML write: with one direction for all edges, a
        column ``directed`` keeps what each edge's direction means."""
        if self.direction == "mixed" or any(c.name == "directed" for c in self.edge_columns):
            return self.edge_columns
        values = list(self.directed)
        text = ["true" if v else "false" for v in values]
        return (*self.edge_columns, Column("directed", "boolean", values, text))

    @staticmethod
    def present(
        columns: tuple[Column, ...], *, text: bool = True
    ) -> Iterator[list[tuple[str, Any]]]:
        """Yield, row by row, the (column name, value) pairs that have a value there.

        ``text`` gives the values as the XML formats write them, else plain for JSON.
        """
        names = [column.name for column in columns]
        cells = [column.text if text else column.values for column in columns]
        for row in zip(*cells, strict=True):
            yield [(n, v) for n, v in zip(names, row, strict=True) if v is not None]

    def edges(
        self, progress: Progress | None = None
    ) -> Iterator[tuple[int, str, str, str, str, bool, float | None]]:
        """Yield each edge as (row, id, source, target, kind, directed, weight).

        ``progress`` hears of every 20,000 edges, with the number of edges as the total.
        """
        rows = zip(
            range(len(self.edge_ids)),
            self.edge_ids,
            self.sources,
            self.targets,
            self.kinds,
            self.directed,
            self.weights,
            strict=True,
        )
        if progress is None:
            yield from rows
            return
        total = len(self.edge_ids)
        progress(0, total)
        for edge in rows:
            yield edge
            if (edge[0] + 1) % _CHUNK == 0:
                progress(_CHUNK, total)
        progress(total % _CHUNK, total)


def elements(
    network: Network,
    kinds: str | Iterable[str] | None = None,
    *,
    flows: bool = False,
    merge: bool = False,
    direction: Direction = "mixed",
    min_confidence: float | None = None,
) -> Elements:
    """Return the nodes and edges that an export of ``network`` writes.

    Parameters
    ----------
    network
        The network to export.
    kinds
        Tie kinds to include, and ``confirmed`` for only confirmed ties (see
        `Network.select_ties`); all when omitted.
    flows
        Add commuter flows as directed edges of kind ``commuting`` with weight = commuters.
    merge
        One undirected edge per pair of units with ``weight`` (number of ties) and ``kinds``
        (their kinds, joined with "; ") instead of one edge per tie.
    direction
        How the file states direction (`Direction`).
    min_confidence
        Only ties whose ``confidence`` is at least this; ties without one count as 1.0.
    """
    selection = tie_selection(kinds, min_confidence=min_confidence)
    chosen = selection.kinds if selection.kinds is not None else TIE_KINDS
    keep = selection.keep(network.ties, network.name)
    units = network.units
    labels = units["name"].fillna(units["id"]).astype(str).tolist()
    node_columns = tuple(_column(str(name), units[name]) for name in units.columns if name != "id")
    options: dict[str, Any] = {
        "kinds": list(chosen),
        "flows": flows,
        "merge": merge,
        "direction": direction,
    }
    if selection.confirmed:
        options["confirmed"] = True
    if selection.min_confidence is not None:
        options["min_confidence"] = selection.min_confidence
    edges = (
        _merged(network.select_ties(selection), chosen, flows)
        if merge
        else _edges(network, keep, flows)
    )
    ids, ends, edge_kinds, directed, weights, frame = edges
    return Elements(
        node_ids=units["id"].astype(str).tolist(),
        labels=labels,
        node_columns=node_columns,
        edge_ids=ids,
        sources=ends[0],
        targets=ends[1],
        kinds=edge_kinds,
        directed=directed,
        weights=weights,
        edge_columns=tuple(_column(str(name), frame[name]) for name in frame.columns),
        metadata=metadata(network, options),
        direction=direction,
    )


_Edges = tuple[
    list[str], tuple[list[str], list[str]], list[str], list[bool], list[float | None], pd.DataFrame
]


def _edges(network: Network, keep: np.ndarray, flows: bool) -> _Edges:
    """One edge per tie that ``keep`` marks and, with ``flows``, one per flow."""
    ties = network.ties
    rows = np.flatnonzero(keep)
    chosen = ties.iloc[rows]
    ids = [f"tie-{row}" for row in rows]
    sources, targets = chosen["from"].tolist(), chosen["to"].tolist()
    edge_kinds = chosen["kind"].tolist()
    directed = chosen["kind"].isin(DIRECTED_TIE_KINDS).tolist()
    weights: list[float | None] = [None] * len(chosen)
    frame = chosen.drop(columns=["from", "to"]).reset_index(drop=True)
    if flows:
        table = network.flows
        ids += [f"flow-{row}" for row in range(len(table))]
        sources += table["from"].tolist()
        targets += table["to"].tolist()
        edge_kinds += [COMMUTING] * len(table)
        directed += [True] * len(table)
        weights += [float(n) for n in table["commuters"].fillna(0).tolist()]
        counts = table.drop(columns=["from", "to"]).assign(kind=COMMUTING)
        frame = pd.concat([frame, counts], ignore_index=True)
        # Concatenation turns a tie column absent from flows into floats or objects with
        # NaN: give each shared column back the dtype its own table had.
        for name in frame.columns:
            mine = chosen[name] if name in chosen.columns else counts[name]
            if frame[name].dtype != mine.dtype:
                frame[name] = frame[name].astype(mine.dtype)
    return ids, (sources, targets), edge_kinds, directed, weights, frame


def _merged(network: Network, kinds: tuple[str, ...], flows: bool) -> _Edges:
    """One undirected edge per pair of units with ties (or, with ``flows``, commuters)."""
    graph = network.graph(kinds, multigraph=False)
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, data in graph.edges(data=True):
        pairs[(u, v)] = {"weight": data["weight"], "kinds": "; ".join(data["kinds"])}
    if flows:
        table = network.flows
        a, b = table["from"], table["to"]
        both = pd.DataFrame(
            {"u": a.where(a <= b, b), "v": b.where(a <= b, a), "n": table["commuters"]}
        )
        sums = both.groupby(["u", "v"], sort=False)["n"].sum()
        for (u, v), commuters in zip(sums.index, sums, strict=True):
            key = (u, v) if (u, v) in pairs or (v, u) not in pairs else (v, u)
            pair = pairs.setdefault(key, {"weight": 0, "kinds": None})
            pair["commuters"] = int(commuters)
    keys = list(pairs)
    frame = pd.DataFrame(
        {
            "kinds": pd.Series([p["kinds"] for p in pairs.values()], dtype="str"),
            "ties": pd.Series([p["weight"] for p in pairs.values()], dtype="Int64"),
        }
    )
    if flows:
        frame["commuters"] = pd.Series([p.get("commuters") for p in pairs.values()], dtype="Int64")
    return (
        [f"pair-{n}" for n in range(len(keys))],
        ([u for u, _ in keys], [v for _, v in keys]),
        ["merged"] * len(keys),
        [False] * len(keys),
        [float(p["weight"]) for p in pairs.values()],
        frame,
    )


def _column(name: str, series: pd.Series) -> Column:
    """Type a table column and render its values for the writers."""
    missing = series.isna().to_numpy()
    dtype = series.dtype
    values: list[Any]
    text: list[str | None]
    if pd.api.types.is_bool_dtype(dtype):
        kind: ValueType = "boolean"
        values = [None if m else bool(v) for v, m in zip(series.tolist(), missing, strict=True)]
        text = [None if v is None else ("true" if v else "false") for v in values]
    elif pd.api.types.is_integer_dtype(dtype):
        kind = "long"
        values = [None if m else int(v) for v, m in zip(series.tolist(), missing, strict=True)]
        text = [None if v is None else str(v) for v in values]
    elif pd.api.types.is_float_dtype(dtype):
        kind = "double"
        floats = series.to_numpy(dtype="float64", na_value=np.nan)
        values = [None if np.isnan(v) or np.isinf(v) else float(v) for v in floats]
        text = [_double(v) for v in floats]
    else:
        kind = "string"
        text = [None if m else _text(v) for v, m in zip(series.tolist(), missing, strict=True)]
        values = text
    return Column(name, kind, values, text)


def _double(value: float) -> str | None:
    """A float as xs:double text: shortest round-trip digits, INF for infinity."""
    if np.isnan(value):
        return None
    if np.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


def _text(value: Any) -> str:
    """A text cell as a string; lists and tuples (rare, from Python) joined with "; "."""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return str(value)


def metadata(network: Network, options: dict[str, Any]) -> dict[str, Any]:
    """What an export says about itself: name, title, dates, sources, licence, provenance.

    ``licence`` is the text the licences of the sources ask to keep with derived data: each
    source's attribution with its licence and where to read it, and the note that netkoop
    changed the data's form (the Datenlizenz Deutschland asks for a note on changes).
    """
    meta = network.metadata
    sources = [credit.as_dict() for credit in meta.sources]
    about: dict[str, Any] = {
        "name": meta.name,
        "title": meta.title,
        "description": meta.description,
        "reference_date": meta.reference_date,
        "population_date": meta.population_date,
        "sources": sources,
        "licence": licence_text(network),
        "netkoop": provenance(**options),
    }
    return {key: value for key, value in about.items() if value is not None}


def licence_text(network: Network) -> str | None:
    """The attribution and licence of every source, one per line; None without sources."""
    lines = []
    for credit in network.metadata.sources:
        line = credit.credit or credit.name
        if credit.url:
            line += f" ({credit.url})"
        if credit.licence:
            url = LICENCE_URLS.get(credit.licence)
            line += f"; Lizenz: {credit.licence}" + (f" ({url})" if url else "")
        lines.append(line)
    if not lines:
        return None
    lines.append("Verändert: mit netkoop zu einem Netzwerk zusammengeführt.")
    return "\n".join(lines)


def description_text(about: dict[str, Any]) -> str:
    """The metadata as text for people: title, description, dates, sources and licence."""
    lines = [about.get("title") or about["name"]]
    if about.get("description"):
        lines.append(about["description"])
    if about.get("reference_date"):
        lines.append(f"Stand: {about['reference_date']}")
    if about.get("population_date"):
        lines.append(f"Bevölkerungsstand: {about['population_date']}")
    if about.get("licence"):
        lines += ["Quellen:", about["licence"]]
    return "\n".join(lines)
