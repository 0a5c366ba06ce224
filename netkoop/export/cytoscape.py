"""Cytoscape JSON: what Cytoscape.js's ``cy.json()`` and Cytoscape Desktop (.cyjs) load whole.

Every element has ``data.id`` (edges ``tie-{row}``, ``flow-{row}``), graph data is an object,
and edges carry ``interaction`` (the tie kind, Cytoscape Desktop's edge type) and
``directed``. The names Cytoscape reserves are never overwritten by a netkoop column: a tie
column called ``source`` (where a tie is known from) is written as ``tie_source``, see
`RESERVED`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator
from typing import IO, Any

from netkoop.export.elements import Column, Elements, Progress
from netkoop.importers.graphfile.cytoscape import RENAMED

#: Columns renamed because Cytoscape gives their names a meaning of its own, by element kind
#: (``source`` -> ``tie_source``...): the importer's table read the other way, so the two agree.
RESERVED = {
    kind: {ours: theirs for theirs, ours in names.items()} for kind, names in RENAMED.items()
}

# Degrees of longitude get shorter towards the poles: at 51° N (the middle of Germany) one
# is cos(51°) of a degree of latitude. Positions in pixels, north up (Cytoscape's y runs down).
_SCALE = 100.0
_X_SCALE = _SCALE * math.cos(math.radians(51.0))


def write_cytoscape(
    elements: Elements, target: IO[bytes], progress: Progress | None = None
) -> None:
    """Write ``elements`` as Cytoscape JSON (UTF-8) to the binary file ``target``.

    One element per line: the file stays readable and is written with the C encoder of
    `json` (an indented dump runs in pure Python, four times slower at a million flows).
    """
    about = elements.metadata
    head = {
        "format_version": "1.0",
        "generated_by": f"netkoop-{about['netkoop']['versions']['netkoop']}",
        "target_cytoscapejs_version": "~3",
        "data": {
            "shared_name": about["name"],
            **about,
            # JSON objects have no column order of their own: the tables' order, for import.
            "columns": {
                "node": [c.name for c in elements.node_columns],
                "edge": [c.name for c in elements.edge_columns],
            },
        },
    }
    dump = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    text = dump(head)
    write = target.write
    write(text[:-1].encode("utf-8") + b',\n"elements": {"nodes": [\n')
    write(",\n".join(dump(node) for node in _nodes(elements)).encode("utf-8"))
    write(b'\n],\n"edges": [\n')
    write(",\n".join(dump(edge) for edge in _edges(elements, progress)).encode("utf-8"))
    write(b"\n]}}\n")


def _nodes(elements: Elements) -> Iterator[dict[str, Any]]:
    columns = _renamed(elements.node_columns, "node")
    lat = _find(elements.node_columns, "lat")
    lon = _find(elements.node_columns, "lon")
    rows = zip(
        elements.node_ids, elements.labels, elements.present(columns, text=False), strict=True
    )
    for row, (node, label, values) in enumerate(rows):
        data = {"id": node, **dict(values)}
        data.setdefault("name", label)
        element: dict[str, Any] = {"data": data}
        if lat is not None and lon is not None:
            y, x = lat.values[row], lon.values[row]
            if x is not None and y is not None:
                element["position"] = {"x": round(x * _X_SCALE, 2), "y": round(-y * _SCALE, 2)}
        yield element


def _edges(elements: Elements, progress: Progress | None) -> Iterator[dict[str, Any]]:
    columns = _renamed(elements.edge_columns, "edge")
    rows = zip(elements.edges(progress), elements.present(columns, text=False), strict=True)
    for (_, edge, source, target, kind, directed, weight), values in rows:
        data: dict[str, Any] = {
            "id": edge,
            "source": source,
            "target": target,
            "interaction": kind,
            "directed": directed,
        }
        if weight is not None:
            data["weight"] = weight
        data.update(values)
        yield {"data": data}


def _renamed(columns: tuple[Column, ...], kind: str) -> tuple[Column, ...]:
    renamed = RESERVED[kind]
    return tuple(
        dataclasses.replace(c, name=renamed[c.name]) if c.name in renamed else c for c in columns
    )


def _find(columns: tuple[Column, ...], name: str) -> Column | None:
    return next((c for c in columns if c.name == name and c.type == "double"), None)
