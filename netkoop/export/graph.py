"""Write a network for Gephi (GEXF), visone, yEd and igraph (GraphML) or Cytoscape (JSON)."""

from __future__ import annotations

import dataclasses
import io
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Literal

import networkx as nx

from netkoop._errors import NetkoopWarning
from netkoop.export.cytoscape import write_cytoscape
from netkoop.export.elements import Column, Direction, Elements, Progress, elements
from netkoop.export.gexf import write_gexf
from netkoop.export.graphml import write_graphml
from netkoop.model.network import Network
from netkoop.output.files import check_file, is_stdout, write_file, write_text
from netkoop.output.formats import GRAPH, choose_format

Format = Literal["gexf", "graphml", "json"]

_WRITERS: dict[str, Callable[[Elements, IO[bytes], Progress | None], None]] = {
    "gexf": write_gexf,
    "graphml": write_graphml,
    "json": write_cytoscape,
}


def export(
    network: Network,
    path: str | Path,
    *,
    to: Format | None = None,
    kinds: str | Iterable[str] | None = None,
    flows: bool = False,
    merge: bool = False,
    direction: Direction = "mixed",
    overwrite: bool = False,
    progress: Progress | None = None,
    min_confidence: float | None = None,
) -> Path | None:
    """Write ``network`` as GEXF 1.3, GraphML or Cytoscape JSON; return the path written.

    The format follows ``to`` or the file ending, and the ending must fit the format. The
    file is written whole or not at all (``-``: to standard output, with ``to``). The same
    network and options give the same bytes on any day and machine, but for the versions of
    netkoop and its libraries that the file records.

    Parameters
    ----------
    network
        The network to export.
    path
        The file to write, or ``-``.
    to
        ``"gexf"``, ``"graphml"`` or ``"json"`` (Cytoscape); default: from the ending.
    kinds
        Tie kinds to include, and ``confirmed`` for only the ties both sides of a survey
        reported (see `Network.select_ties`); all when omitted.
    flows
        Add commuter flows as directed edges of kind ``commuting``.
    merge
        One edge per pair of units (``weight``: the number of ties) instead of one per tie.
    direction
        ``"mixed"``: each edge directed where its direction means something (service_opening,
        membership, flows), for Gephi, Cytoscape and graphology; ``"directed"`` or
        ``"undirected"``: every edge so, for networkx, igraph and graph-tool, which know no
        mixed graphs (an edge column ``directed`` then keeps the meaning).
    overwrite
        Replace a file netkoop wrote there before (never an input of the network).
    progress
        Called as ``progress(steps, total)`` while the edges are written (`Progress`).
    min_confidence
        Only ties whose ``confidence`` is at least this; a tie without one counts as 1.0.

    Raises
    ------
    OutputError
        When the format is unknown, the file ending does not fit the format, the file
        exists and ``overwrite`` is not given, or a unit id cannot be a GraphML id.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "netz.gexf"
    >>> export(netkoop.load("beispielregion"), out).name
    'netz.gexf'
    """
    fmt = choose_format(path, to, GRAPH, option="--to", strict=True)
    protect = network.metadata.inputs
    if not is_stdout(path):
        check_file(Path(path), overwrite=overwrite, protect=protect)
    found = elements(
        network,
        kinds,
        flows=flows,
        merge=merge,
        direction=direction,
        min_confidence=min_confidence,
    )
    if fmt != "json":
        found = _xml_safe(found)
    writer = _WRITERS[fmt]
    if is_stdout(path):
        buffer = io.BytesIO()
        writer(found, buffer, progress)
        return write_text(path, buffer.getvalue().decode("utf-8"))

    def write(target: Path) -> None:
        with target.open("wb") as file:
            writer(found, file, progress)

    return write_file(path, write, overwrite=overwrite, protect=protect)


def export_graph(
    network: Network,
    kinds: str | Iterable[str] | None = None,
    *,
    flows: bool = False,
    merge: bool = False,
    min_confidence: float | None = None,
) -> nx.MultiDiGraph[str] | nx.Graph[str]:
    """Return what `export` writes as a networkx graph: units as nodes, ties (and flows) as edges.

    One edge per tie (and flow) from ``from`` to ``to`` in a MultiDiGraph keyed by the edge
    id, with ``directed`` saying whether the direction means something; with ``merge`` one
    edge per pair in an undirected Graph. Attributes are plain str, int, float or bool;
    missing values are left out.
    """
    found = elements(network, kinds, flows=flows, merge=merge, min_confidence=min_confidence)
    graph: nx.MultiDiGraph[str] | nx.Graph[str] = nx.Graph() if merge else nx.MultiDiGraph()
    graph.graph.update(
        {k: v for k, v in found.metadata.items() if k in ("name", "title", "reference_date")}
    )
    for row, node in enumerate(found.node_ids):
        graph.add_node(node, label=found.labels[row], **_attrs(found.node_columns, row))
    for row, edge, source, target, kind, directed, weight in found.edges():
        attrs = {"kind": kind, "directed": directed, **_attrs(found.edge_columns, row)}
        if weight is not None:
            attrs["weight"] = weight
        if merge:
            graph.add_edge(source, target, **attrs)
        else:
            graph.add_edge(source, target, key=edge, **attrs)
    return graph


def _attrs(columns: tuple[Column, ...], row: int) -> dict[str, object]:
    return {c.name: c.values[row] for c in columns if c.values[row] is not None}


# Characters XML 1.0 cannot carry (most control characters, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(found: Elements) -> Elements:
    """Write the characters XML cannot carry as U+FFFD in every text value; warn once."""
    changed = 0

    def clean(texts: Iterable[str | None]) -> list[str | None]:
        nonlocal changed
        out: list[str | None] = []
        for text in texts:
            if text is not None and _NOT_XML.search(text):
                changed += 1
                out.append(_NOT_XML.sub("\ufffd", text))
            else:
                out.append(text)
        return out

    def columns(given: tuple[Column, ...]) -> tuple[Column, ...]:
        return tuple(
            dataclasses.replace(c, text=clean(c.text)) if c.type == "string" else c for c in given
        )

    about = dict(found.metadata)
    for key, value in about.items():
        if isinstance(value, str):
            about[key] = clean([value])[0]
    safe = dataclasses.replace(
        found,
        labels=[str(label) for label in clean(found.labels)],
        node_columns=columns(found.node_columns),
        edge_columns=columns(found.edge_columns),
        metadata=about,
    )
    if changed:
        warnings.warn(
            f"{changed:,} text value(s) held control characters that XML cannot carry; they "
            "are written as U+FFFD (\ufffd)",
            NetkoopWarning,
            stacklevel=3,
        )
    return safe
