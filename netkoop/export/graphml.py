"""GraphML 1.0 for visone, yEd, igraph and graph-tool: valid against the official schema.

Keys get ids of their own (``g0``, ``n0``, ``e0``...) and carry the column name in
``attr.name``, so a node and an edge column of the same name never share a key. ``attr.name``
must be an XML name token: a column name with spaces or other signs is written with ``_`` in
their place, and its exact name in the key's ``<desc>``. Booleans are ``true``/``false``.
Each edge says whether it is directed, in a graph whose default is undirected; the credits
are graph data.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import IO, Any

from lxml import etree

from netkoop._errors import OutputError
from netkoop.export.elements import Column, Elements, Progress

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# GraphML's ids and key names are XML name tokens: letters, digits, . - _ : (and combining
# marks); _OTHER matches a run of anything else.
_NMTOKEN = re.compile(r"[\w.\-:\u00b7\u0300-\u036f\u203f-\u2040]+")
_OTHER = re.compile(r"[^\w.\-:\u00b7\u0300-\u036f\u203f-\u2040]+")

#: The graph data, in the order they are written; the structured ones as JSON text.
GRAPH_KEYS = (
    "name",
    "title",
    "description",
    "reference_date",
    "population_date",
    "sources",
    "licence",
    "netkoop",
)


def _q(tag: str) -> str:
    # Only the root is written with its namespace; lxml writes the elements inside it without
    # a prefix, so they are read in the root's default namespace (checked against the XSD).
    return f"{{{NAMESPACE}}}{tag}"


def write_graphml(elements: Elements, target: IO[bytes], progress: Progress | None = None) -> None:
    """Write ``elements`` as GraphML (UTF-8) to the binary file ``target``.

    Raises
    ------
    OutputError
        When a unit id is not a GraphML id (an XML name token: no spaces, no ``/``).
    """
    _check_ids(elements.node_ids)
    about = elements.metadata
    graph_data = [(name, about[name]) for name in GRAPH_KEYS if name in about]
    keys = {"graph": [f"g{i}" for i in range(len(graph_data))]}
    keys["node"] = [f"n{i}" for i in range(len(elements.node_columns))]
    keys["edge"] = [f"e{i}" for i in range(len(elements.xml_edge_columns))]
    with etree.xmlfile(target, encoding="utf-8") as xml:
        xml.write_declaration()
        root = {f"{{{_XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA}"}
        with xml.element(_q("graphml"), root, nsmap={None: NAMESPACE, "xsi": _XSI}):
            xml.write("\n")
            for key, (name, _) in zip(keys["graph"], graph_data, strict=True):
                _key(xml, key, "graph", name, safe=name, type_="string")
            for kind in ("node", "edge"):
                columns = elements.node_columns if kind == "node" else elements.xml_edge_columns
                names = [c.name for c in columns]
                for key, column, safe in zip(keys[kind], columns, _key_names(names), strict=True):
                    _key(xml, key, kind, column.name, safe=safe, type_=_TYPES[column.type])
            default = "directed" if elements.direction == "directed" else "undirected"
            with xml.element("graph", {"id": "G", "edgedefault": default}):
                xml.write("\n")
                for key, (_, value) in zip(keys["graph"], graph_data, strict=True):
                    data = etree.Element("data", {"key": key})
                    data.text = value if isinstance(value, str) else _json(value)
                    xml.write(data, pretty_print=True)
                _nodes(xml, elements, keys["node"])
                _edges(xml, elements, keys["edge"], progress)
            xml.write("\n")


# GraphML's attr.type names for the column types.
_TYPES = {"string": "string", "long": "long", "double": "double", "boolean": "boolean"}


def _key(xml: etree.xmlfile, key: str, kind: str, name: str, *, safe: str, type_: str) -> None:
    attrs = {"id": key, "for": kind, "attr.name": safe, "attr.type": type_}
    element = etree.Element("key", attrs)
    if safe != name:
        etree.SubElement(element, "desc").text = name
    xml.write(element, pretty_print=True)


def _key_names(names: list[str]) -> list[str]:
    """Safe, distinct ``attr.name`` values for the columns of one kind of element."""
    taken = set(names)
    out = []
    for name in names:
        safe = key_name(name)
        if safe != name:
            base, n = safe, 2
            while safe in taken:
                safe, n = f"{base}_{n}", n + 1
            taken.add(safe)
        out.append(safe)
    return out


def key_name(name: str) -> str:
    """A column name as GraphML's ``attr.name`` takes it: runs of other signs become ``_``.

    Examples
    --------
    >>> key_name("Anzahl Treffen"), key_name("Größe"), key_name("a/b (c)")
    ('Anzahl_Treffen', 'Größe', 'a_b_c_')
    """
    return _OTHER.sub("_", name) or "_"


def _nodes(xml: etree.xmlfile, elements: Elements, keys: list[str]) -> None:
    rows = zip(
        elements.node_ids, elements.present(_keyed(elements.node_columns, keys)), strict=True
    )
    for node, values in rows:
        element = etree.Element("node", {"id": node})
        _data(element, values)
        xml.write(element)
        xml.write("\n")


def _edges(
    xml: etree.xmlfile, elements: Elements, keys: list[str], progress: Progress | None
) -> None:
    columns = _keyed(elements.xml_edge_columns, keys)
    for (_, edge, source, target, _, directed, _), values in zip(
        elements.edges(progress), elements.present(columns), strict=True
    ):
        attrs = {
            "id": edge,
            "source": source,
            "target": target,
            "directed": "true" if elements.edge_type(directed) else "false",
        }
        element = etree.Element("edge", attrs)
        _data(element, values)
        xml.write(element)
        xml.write("\n")


def _keyed(columns: tuple[Column, ...], keys: list[str]) -> tuple[Column, ...]:
    """The columns named by their key ids, as the ``<data>`` elements name them."""
    return tuple(dataclasses.replace(c, name=k) for c, k in zip(columns, keys, strict=True))


def _data(element: etree._Element, values: list[tuple[str, str]]) -> None:
    for key, text in values:
        etree.SubElement(element, "data", {"key": key}).text = text


def _check_ids(ids: Any) -> None:
    bad = [node for node in ids if not _NMTOKEN.fullmatch(node)]
    if bad:
        raise OutputError(
            f"GraphML cannot carry the unit id {bad[0]!r}"
            + (f" (and {len(bad) - 1:,} more)" if len(bad) > 1 else "")
            + ": its ids are XML name tokens (letters, digits, '.', '-', '_', ':'); export "
            "GEXF or Cytoscape JSON instead, or change the ids"
        )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)
