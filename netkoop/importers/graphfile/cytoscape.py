"""Read Cytoscape JSON: Cytoscape.js's ``cy.json()``, Cytoscape Desktop's .cyjs, netkoop's."""

from __future__ import annotations

import json
import re
from pathlib import Path

from netkoop._errors import DataFileError
from netkoop.importers.graphfile.elements import AttrType, Element, GraphFile, Raw, json_type

#: Columns netkoop's export renames because Cytoscape gives their names a meaning, read back.
RENAMED = {
    "node": {"unit_id": "id", "unit_source": "source", "unit_target": "target"},
    "edge": {
        "tie_id": "id",
        "tie_source": "source",
        "tie_target": "target",
        "tie_interaction": "interaction",
        "tie_directed": "directed",
    },
}

#: Columns Cytoscape Desktop keeps for itself: its internal numbers, selection, shared names.
DESKTOP = frozenset({"SUID", "shared_name", "shared_interaction", "selected"})

#: Interactions Cytoscape Desktop gives edges that were given none (drawn, or read from SIF).
PLACEHOLDERS = frozenset({"interacts with", "pp", "-"})

#: Network data that a scenario keeps.
META_KEYS = ("name", "title", "description", "reference_date", "population_date", "sources")

_DESKTOP_NAME = re.compile(r".+ \((?P<interaction>.*)\) .+")


def read_cytoscape(path: Path, label: str) -> GraphFile:
    """Read a Cytoscape JSON file (``elements`` as ``{nodes, edges}`` or one list).

    Node ``data.id`` is the node id, edges join ``data.source`` to ``data.target`` and carry
    their type in ``data.interaction``. Positions, styles and Cytoscape Desktop's own columns
    (SUID, shared_name, selected) are left out.
    """
    document = _load(path, label)
    if not isinstance(document, dict) or "elements" not in document:
        raise DataFileError(
            f"{label}: not Cytoscape JSON; expected an object with 'elements' (nodes and "
            "edges), as Cytoscape's 'Export Network to File' (.cyjs) and cy.json() write"
        )
    generated = str(document.get("generated_by") or "")
    netkoop = generated.startswith("netkoop")
    nodes_raw, edges_raw = _groups(document["elements"], label)
    nodes, node_order = _elements(nodes_raw, "node", label, desktop=not netkoop)
    edges, edge_order = _elements(edges_raw, "edge", label, desktop=not netkoop)
    about = document.get("data")
    metadata: dict[str, object] = {}
    declared = about.get("columns") if netkoop and isinstance(about, dict) else None
    if isinstance(declared, dict):  # netkoop's own files name their columns in table order
        node_order = _in_order(node_order, declared.get("node"))
        edge_order = _in_order(edge_order, declared.get("edge"))
    if isinstance(about, dict):
        metadata = {k: about[k] for k in META_KEYS if about.get(k) not in (None, "", [])}
    notes = []
    if nodes and not netkoop and all(str(n.native.get("SUID")) == n.id for n in nodes):
        notes.append(
            "the node ids are Cytoscape's internal numbers (SUID); to key the units by a "
            "column of the table, name it with --id-from (e.g. --id-from name)"
        )
    writer = "netkoop" if netkoop else (generated or None)
    return GraphFile(
        label=label,
        format="Cytoscape JSON",
        writer=writer,
        nodes=nodes,
        edges=edges,
        node_types=_types(nodes, node_order),
        edge_types=_types(edges, edge_order),
        metadata=metadata,
        notes=notes,
        lines=False,
        netkoop=netkoop,
    )


def _in_order(found: list[str], declared: object) -> list[str]:
    """The attribute names ``found``, those a netkoop file declares first, in its order."""
    if not isinstance(declared, list):
        return found
    first = [name for name in declared if isinstance(name, str) and name in found]
    return first + [name for name in found if name not in first]


def _load(path: Path, label: str) -> object:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(
            f"{label}, line {line}: not UTF-8 (byte {exc.start + 1}); JSON files are UTF-8"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{label}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise DataFileError(f"{label}: the JSON is nested too deeply to be a graph") from None


def _groups(elements: object, label: str) -> tuple[list[object], list[object]]:
    """The node and edge objects, from ``{"nodes": [...], "edges": [...]}`` or one list."""
    if isinstance(elements, dict):
        nodes, edges = elements.get("nodes") or [], elements.get("edges") or []
        if isinstance(nodes, list) and isinstance(edges, list):
            return nodes, edges
    elif isinstance(elements, list):
        nodes, edges = [], []
        for item in elements:
            group = item.get("group") if isinstance(item, dict) else None
            data = item.get("data") if isinstance(item, dict) else None
            is_edge = group == "edges" or (
                group is None and isinstance(data, dict) and "source" in data
            )
            (edges if is_edge else nodes).append(item)
        return nodes, edges
    raise DataFileError(
        f"{label}, field 'elements': expected lists of nodes and edges "
        '({"nodes": [...], "edges": [...]})'
    )


def _elements(
    items: list[object], kind: str, label: str, *, desktop: bool
) -> tuple[list[Element], list[str]]:
    """Read nodes or edges; return them and their attribute names in the order they come."""
    renamed = RENAMED[kind]
    found: list[Element] = []
    order: list[str] = []
    known: set[str] = set()
    for position, item in enumerate(items, start=1):
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(data, dict):
            raise DataFileError(
                f"{label}, elements.{kind}s[{position - 1}]: not an object with 'data'; "
                f'every {kind} is {{"data": {{"id": ...}}}}'
            )
        ident = _text(data.get("id"))
        attrs: dict[str, Raw] = {}
        native: dict[str, Raw] = {}
        ends: dict[str, str | None] = {}
        directed = None
        for key, value in data.items():
            name = str(key)
            if name == "id":
                continue
            if desktop and name in DESKTOP:
                if name == "SUID":
                    native["SUID"] = value
                continue
            if kind == "edge" and name in {"source", "target"}:
                ends[name] = _text(value)
                continue
            if kind == "edge" and name == "interaction":
                native["interaction"] = value
                shown = _text(value)
                placeholder = desktop and (shown or "").lower() in PLACEHOLDERS
                native["kind"] = None if placeholder else value
                continue
            if kind == "edge" and name == "directed" and isinstance(value, bool):
                directed = value
                continue
            if kind == "edge" and name == "name" and desktop and _desktop_name(value, data):
                continue
            name = renamed.get(name, name)
            attrs[name] = value
        previous = None
        for name in attrs:
            if name not in known:
                known.add(name)
                order.insert(order.index(previous) + 1 if previous is not None else 0, name)
            previous = name
        found.append(
            Element(
                position,
                None,
                ident,
                attrs,
                native,
                source=ends.get("source"),
                target=ends.get("target"),
                directed=directed,
            )
        )
    return found, order


def _desktop_name(value: object, data: dict[str, object]) -> bool:
    """Tell whether an edge's name is the one Cytoscape Desktop makes: "a (interacts with) b"."""
    match = _DESKTOP_NAME.fullmatch(str(value)) if isinstance(value, str) else None
    return match is not None and match["interaction"] == str(data.get("interaction", ""))


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip() or None


def _types(elements: list[Element], order: list[str]) -> dict[str, AttrType]:
    columns: dict[str, list[Raw]] = {name: [] for name in order}
    for element in elements:
        for name, value in element.attrs.items():
            if name in columns:
                columns[name].append(value)
    return {name: json_type(values) for name, values in columns.items()}
