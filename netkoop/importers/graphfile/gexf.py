"""Read GEXF (Gephi; versions 1.1 to 1.3): nodes, edges and their attributes, by title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netkoop.importers.graphfile.elements import AttrType, Element, GraphFile, Raw
from netkoop.importers.graphfile.xml import children, ends, free, local, start_lines, text

#: GEXF's attribute types, by the type netkoop reads them as; any other type is text.
_TYPES: dict[str, AttrType] = {
    **dict.fromkeys(("integer", "long", "short", "byte", "biginteger"), "int"),
    **dict.fromkeys(("float", "double", "bigdecimal"), "float"),
    "boolean": "bool",
}


class _Declared:
    """The attributes one class (node or edge) declares: id → (title, type, default)."""

    def __init__(self) -> None:
        self.by_id: dict[str, tuple[str, AttrType, str | None]] = {}
        self.defaults: list[tuple[str, str]] = []

    def read(self, element: Any) -> None:
        titles = {title for title, _, _ in self.by_id.values()}
        for attribute in children(element, "attribute"):
            key = attribute.get("id")
            title = (attribute.get("title") or key or "").strip()
            if key is None or not title:
                continue
            if title in titles:  # two attributes of one title: the second keeps its id
                title = f"{title} ({key})"
            titles.add(title)
            kind = _TYPES.get((attribute.get("type") or "string").strip().lower(), "text")
            default = next((text(d) for d in children(attribute, "default")), None)
            self.by_id[key] = (title, kind, default or None)
        self.defaults = [(t, d) for t, _, d in self.by_id.values() if d is not None]

    @property
    def types(self) -> dict[str, AttrType]:
        return {title: kind for title, kind, _ in self.by_id.values()}

    def values(self, element: Any) -> dict[str, Raw]:
        """The attribute values of a node or edge by title, declared defaults filled in."""
        found: dict[str, Raw] = {}
        # Nodes inside this one (a hierarchy) were read and emptied before it.
        for value in element.iter("{*}attvalue"):
            key = value.get("for", value.get("id"))
            declared = self.by_id.get(key) if key is not None else None
            title = declared[0] if declared else key
            if title is not None and title not in found:
                found[title] = value.get("value")
        for title, default in self.defaults:
            if found.get(title) is None:
                found[title] = default
        return found


def read_gexf(path: Path, label: str) -> GraphFile:
    """Read a GEXF file; Gephi's ``viz:`` elements (positions, colours, sizes) are left out.

    Attributes are named by their ``title`` (Gephi numbers their ids), node labels and the
    edges' ``kind``, ``weight`` and ``label`` are kept as native fields.
    """
    declared = {"node": _Declared(), "edge": _Declared()}
    nodes: list[Element] = []
    edges: list[Element] = []
    writer, description, keywords, version = None, None, None, ""
    graphs: dict[Any, bool] = {}  # graph element → whether its edges are directed by default
    for element in ends(path, label, "gexf", ("meta", "attributes", "node", "edge")):
        name = local(element)
        if name == "meta":
            writer = next((text(c) for c in children(element, "creator")), None)
            description = next((text(c) for c in children(element, "description")), None)
            keywords = next((text(c) for c in children(element, "keywords")), None)
        elif name == "attributes":
            kind = (element.get("class") or "node").lower()
            if kind in declared:
                declared[kind].read(element)
        elif name == "node":
            nodes.append(
                Element(
                    position=len(nodes) + 1,
                    line=element.sourceline,
                    id=element.get("id"),
                    attrs=declared["node"].values(element),
                    native={"label": element.get("label")},
                )
            )
            free(element)
        elif name == "edge":
            said = (element.get("type") or "").lower()
            if not said:
                graph = next(element.iterancestors("{*}graph"), None)
                if graph not in graphs:
                    default = graph.get("defaultedgetype") if graph is not None else None
                    graphs[graph] = (default or "").lower() == "directed"
            edges.append(
                Element(
                    position=len(edges) + 1,
                    line=element.sourceline,
                    id=element.get("id"),
                    attrs=declared["edge"].values(element),
                    native={
                        "label": element.get("label"),
                        "kind": element.get("kind"),
                        "weight": element.get("weight"),
                    },
                    source=element.get("source"),
                    target=element.get("target"),
                    directed=said == "directed" if said else graphs[graph],
                )
            )
            free(element)
        else:  # the root, which ends last
            namespace = element.nsmap.get(None) or ""
            version = element.get("version") or namespace.rstrip("/").rsplit("/", 1)[-1]
    netkoop = (writer or "").lower().startswith("netkoop")
    return GraphFile(
        label=label,
        format=f"GEXF {version}".strip(),
        writer=writer or None,
        nodes=nodes,
        edges=edges,
        node_types=declared["node"].types,
        edge_types={**declared["edge"].types},
        metadata=_metadata(description, keywords, netkoop=netkoop),
        netkoop=netkoop,
        exact_lines=lambda: start_lines(path),
    )


def _metadata(description: str | None, keywords: str | None, *, netkoop: bool) -> dict[str, object]:
    """GEXF has no graph attributes: the title is the first line of the description.

    netkoop's export writes the name into the keywords and the dates as "Stand:" lines.
    """
    lines = [line.strip() for line in (description or "").splitlines() if line.strip()]
    about: dict[str, object] = {}
    name = None
    if netkoop and keywords and keywords.startswith("netkoop, "):
        name = keywords.removeprefix("netkoop, ").strip() or None
        about["name"] = name
    if lines and lines[0] != name:
        about["title"] = lines[0]
    if netkoop:
        for line in lines[1:]:
            for key, start in (
                ("reference_date", "Stand: "),
                ("population_date", "Bevölkerungsstand: "),
            ):
                if line.startswith(start) and key not in about:
                    about[key] = line.removeprefix(start).strip()
    return about
