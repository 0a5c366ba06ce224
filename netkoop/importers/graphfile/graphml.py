"""Read GraphML (visone, yEd, igraph, netkoop): keys by ``attr.name``, yFiles graphics left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from netkoop.importers.graphfile.elements import AttrType, Element, GraphFile, Raw
from netkoop.importers.graphfile.xml import children, ends, free, local, start_lines, text

_TYPES: dict[str, AttrType] = {
    "int": "int",
    "long": "int",
    "float": "float",
    "double": "float",
    "boolean": "bool",
}

#: Graph data that netkoop's export writes and a scenario keeps.
META_KEYS = ("name", "title", "description", "reference_date", "population_date", "sources")


class _Keys:
    """The ``<key>`` declarations: attributes by id, for nodes, edges and the graph."""

    def __init__(self) -> None:
        self.names: dict[str, dict[str, tuple[str, AttrType, str | None]]] = {
            "node": {},
            "edge": {},
            "graph": {},
        }
        self.graphics: set[str] = set()  # yFiles and visone keys: drawings, not attributes

    def read(self, key: Any) -> None:
        ident, name = key.get("id"), (key.get("attr.name") or "").strip()
        if ident is None:
            return
        if not name:
            if key.get("yfiles.type") in {"nodegraphics", "edgegraphics"} or any(
                a.endswith(".type") for a in key.attrib
            ):
                self.graphics.add(ident)
            return
        kind = _TYPES.get((key.get("attr.type") or "string").strip().lower(), "text")
        default = next((text(d) for d in children(key, "default")), None)
        domain = (key.get("for") or "all").strip().lower()
        for target in ("node", "edge", "graph") if domain == "all" else (domain,):
            if target in self.names:
                self.names[target][ident] = (name, kind, default or None)

    def types(self, domain: str) -> dict[str, AttrType]:
        return {name: kind for name, kind, _ in self.names[domain].values()}

    def values(self, element: Any, domain: str) -> tuple[dict[str, Raw], str | None]:
        """The data of a node or edge by attribute name (defaults filled in), and the label
        of its yFiles drawing."""
        keys = self.names[domain]
        found: dict[str, Raw] = {}
        label = None
        for data in children(element, "data"):
            ident = data.get("key")
            if ident in keys:
                name = keys[ident][0]
                if name not in found:
                    found[name] = text(data)
            elif ident in self.graphics and label is None:
                label = _drawn_label(data, "NodeLabel" if domain == "node" else "EdgeLabel")
        for name, _, default in keys.values():
            if default is not None and not found.get(name):
                found[name] = default
        return found, label


def _drawn_label(data: Any, tag: str) -> str | None:
    for shown in data.iter(f"{{*}}{tag}"):
        words = text(shown)
        if words:
            return words
    return None


def read_graphml(path: Path, label: str) -> GraphFile:
    """Read a GraphML file: every node and edge, nested graphs (yEd groups) included.

    Keys without ``attr.name`` (yEd's and visone's graphics) are no attributes; the label
    drawn on a node or edge becomes its native ``label``. Graph data of the outermost graph
    give the metadata.
    """
    keys = _Keys()
    nodes: list[Element] = []
    edges: list[Element] = []
    graph_data: dict[str, Raw] = {}
    scanned = False  # the graph data before the first node or edge are read
    defaults: dict[Any, bool] = {}  # graph element → whether its edges are directed by default
    writer = None
    for element in ends(path, label, "graphml", ("key", "graph", "node", "edge")):
        name = local(element)
        if name == "key":
            keys.read(element)
            continue
        if name == "graphml":  # the root, which ends last
            spaces = " ".join(str(ns) for ns in element.nsmap.values())
            writer = "yEd" if "yworks" in spaces else "visone" if "visone" in spaces else None
            continue
        parent = element.getparent()
        outermost = parent is not None and local(parent) == "graphml"
        if name == "graph":
            if outermost:
                _graph_data(element, keys, graph_data)
            continue
        if not scanned and parent is not None and local(parent) == "graph":
            above = parent.getparent()
            if above is not None and local(above) == "graphml":
                _graph_data(parent, keys, graph_data)
                scanned = True
        attrs, drawn = keys.values(element, name)
        if name == "node":
            nodes.append(
                Element(
                    len(nodes) + 1, element.sourceline, element.get("id"), attrs, {"label": drawn}
                )
            )
        else:
            said = (element.get("directed") or "").strip().lower()
            if not said and parent not in defaults:
                edgedefault = parent.get("edgedefault") if parent is not None else None
                defaults[parent] = (edgedefault or "directed").lower() == "directed"
            edges.append(
                Element(
                    len(edges) + 1,
                    element.sourceline,
                    element.get("id"),
                    attrs,
                    native={"label": drawn},
                    source=element.get("source"),
                    target=element.get("target"),
                    directed=said == "true" if said else defaults[parent],
                )
            )
        free(element)
    if keys.graphics and writer is None:
        writer = "yEd or visone"
    metadata: dict[str, object] = {k: v for k, v in graph_data.items() if k in META_KEYS and v}
    netkoop = isinstance(graph_data.get("netkoop"), str)
    if isinstance(metadata.get("sources"), str):
        metadata["sources"] = _json(str(metadata["sources"]))
    notes = []
    if keys.graphics:
        notes.append(
            "left out the drawing (yFiles or visone graphics keys); node labels drawn in it are "
            "read as labels"
        )
    return GraphFile(
        label=label,
        format="GraphML",
        writer="netkoop" if netkoop else writer,
        nodes=nodes,
        edges=edges,
        node_types=keys.types("node"),
        edge_types=keys.types("edge"),
        metadata=metadata,
        notes=notes,
        netkoop=netkoop,
        exact_lines=lambda: start_lines(path),
    )


def _graph_data(graph: Any, keys: _Keys, found: dict[str, Raw]) -> None:
    """Collect the data elements of the outermost graph (before its nodes are dropped)."""
    for data in children(graph, "data"):
        ident = data.get("key")
        declared = keys.names["graph"].get(ident or "")
        if declared is not None and declared[0] not in found:
            found[declared[0]] = text(data)


def _json(value: str) -> Raw:
    """Sources are written as JSON text; text that is none stays one source's name."""
    try:
        loaded: Raw = json.loads(value)
    except ValueError:
        return value
    return loaded
