"""GEXF 1.3 for Gephi: valid against the official schema, parallel ties kept apart by kind.

Each edge carries its tie kind in GEXF's own ``kind`` attribute, so Gephi keeps parallel
ties of different kinds as separate edges, and its own ``type``: ``directed`` where the
direction means something (service_opening, membership, commuter flows), ``undirected``
otherwise, in a graph whose default is undirected (Gephi shows such a graph as mixed).
GEXF has no place for graph attributes: title, reference date, sources and licence go into
``<meta><description>`` as text. No ``lastmodifieddate``: the same network gives the same
bytes on any day.
"""

from __future__ import annotations

from typing import IO

from lxml import etree

from netkoop.export.elements import Column, Elements, Progress, description_text

NAMESPACE = "http://gexf.net/1.3"
SCHEMA = "http://gexf.net/1.3/gexf.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _q(tag: str) -> str:
    # Only the root is written with its namespace; lxml writes the elements inside it without
    # a prefix, so they are read in the root's default namespace (checked against the XSD).
    return f"{{{NAMESPACE}}}{tag}"


def write_gexf(elements: Elements, target: IO[bytes], progress: Progress | None = None) -> None:
    """Write ``elements`` as GEXF 1.3 (UTF-8) to the binary file ``target``."""
    about = elements.metadata
    creator = f"netkoop {about['netkoop']['versions']['netkoop']}"
    with etree.xmlfile(target, encoding="utf-8") as xml:
        xml.write_declaration()
        root = {"version": "1.3", f"{{{_XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA}"}
        with xml.element(_q("gexf"), root, nsmap={None: NAMESPACE, "xsi": _XSI}):
            xml.write("\n")
            meta = etree.Element("meta")
            etree.SubElement(meta, "creator").text = creator
            etree.SubElement(meta, "keywords").text = f"netkoop, {about['name']}"
            etree.SubElement(meta, "description").text = description_text(about)
            xml.write(meta, pretty_print=True)
            default = "directed" if elements.direction == "directed" else "undirected"
            graph = {"defaultedgetype": default, "mode": "static"}
            with xml.element("graph", graph):
                xml.write("\n")
                xml.write(_declare("node", elements.node_columns), pretty_print=True)
                xml.write(_declare("edge", _edge_columns(elements)), pretty_print=True)
                _nodes(xml, elements)
                xml.write("\n")
                _edges(xml, elements, progress)
                xml.write("\n")
            xml.write("\n")


def _edge_columns(elements: Elements) -> tuple[Column, ...]:
    """The edge attributes. The tie kind is both the edge's own ``kind`` (Gephi keeps
    parallel edges apart by it) and a column, since networkx and graphology read only the
    columns."""
    return elements.xml_edge_columns


def _declare(kind: str, columns: tuple[Column, ...]) -> etree._Element:
    """The ``<attributes>`` element that declares the columns of nodes or edges."""
    declared = etree.Element("attributes", {"class": kind, "mode": "static"})
    for column in columns:
        attrs = {"id": column.name, "title": column.name, "type": column.type}
        etree.SubElement(declared, "attribute", attrs)
    return declared


def _nodes(xml: etree.xmlfile, elements: Elements) -> None:
    rows = zip(
        elements.node_ids, elements.labels, elements.present(elements.node_columns), strict=True
    )
    with xml.element("nodes", {"count": str(len(elements.node_ids))}):
        xml.write("\n")
        for node, label, values in rows:
            element = etree.Element("node", {"id": node, "label": label})
            _values(element, values)
            xml.write(element)
            xml.write("\n")


def _edges(xml: etree.xmlfile, elements: Elements, progress: Progress | None) -> None:
    rows = zip(elements.edges(progress), elements.present(_edge_columns(elements)), strict=True)
    with xml.element("edges", {"count": str(len(elements.edge_ids))}):
        xml.write("\n")
        for (_, edge, source, target, kind, directed, weight), values in rows:
            attrs = {
                "id": edge,
                "source": source,
                "target": target,
                "kind": kind,
                "type": "directed" if elements.edge_type(directed) else "undirected",
            }
            if weight is not None:
                attrs["weight"] = repr(weight)
            element = etree.Element("edge", attrs)
            _values(element, values)
            xml.write(element)
            xml.write("\n")


def _values(element: etree._Element, values: list[tuple[str, str]]) -> None:
    """Add the ``<attvalues>`` of one node or edge: every column that has a value there."""
    if values:
        parent = etree.SubElement(element, "attvalues")
        for name, text in values:
            etree.SubElement(parent, "attvalue", {"for": name, "value": text})
