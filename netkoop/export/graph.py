"""Write a network for Gephi (GEXF), visone and yEd (GraphML) or Cytoscape (JSON)."""

from __future__ import annotations

import io
import json
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, cast

import networkx as nx
import pandas as pd

from netkoop._errors import NetkoopWarning
from netkoop.model.network import Network
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS
from netkoop.output.files import check_file, is_stdout, write_text
from netkoop.output.formats import GRAPH, choose_format
from netkoop.output.values import plain

Format = Literal["gexf", "graphml", "json"]


def export_graph(
    network: Network,
    kinds: str | Iterable[str] | None = None,
    *,
    flows: bool = False,
    merge: bool = False,
) -> nx.Graph[str]:
    """Return the graph that `export` writes: units as nodes, ties (and flows) as edges.

    Every attribute is a plain str, int, float or bool: missing values are left out, lists
    and tuples become text joined with "; ". These are the values the GEXF and GraphML
    writers of networkx accept (lists and None make them fail).

    Parameters
    ----------
    network
        The network to export.
    kinds
        Tie kinds to include; all when omitted.
    flows
        Add commuter flows as edges of kind ``commuting`` with their counts.
    merge
        One edge per pair of units with ``weight`` (number of ties) and ``kinds``, instead of
        one edge per tie.
    """
    source = network.graph(kinds, multigraph=not merge)
    graph: nx.Graph[str] = nx.Graph() if merge else nx.MultiGraph()
    graph.graph.update(_clean({"name": network.name, "title": network.metadata.title}))
    credits = [c.credit or c.name for c in network.metadata.sources]
    if credits:
        graph.graph["sources"] = "; ".join(credits)
    for node, data in source.nodes(data=True):
        graph.add_node(node, **_clean({"label": data.get("name", node), **data}))
    if merge:
        for u, v, data in source.edges(data=True):
            graph.add_edge(u, v, **_clean(data))
    else:
        starts, ends = network.ties["from"].to_numpy(), network.ties["to"].to_numpy()
        for u, v, key, data in cast("nx.MultiGraph[str]", source).edges(keys=True, data=True):
            extra = {
                "from": starts[key],
                "to": ends[key],
                "directed": data["kind"] in DIRECTED_TIE_KINDS,
            }
            graph.add_edge(u, v, key=f"tie-{key}", **_clean({**data, **extra}))
    if flows and merge:
        for (u, v), commuters in _pair_commuters(network).items():
            if not graph.has_edge(u, v):
                graph.add_edge(u, v, weight=0)
            graph[u][v]["commuters"] = commuters
    elif flows:
        for row in network.flows.to_dict("records"):
            record = _clean({str(k): v for k, v in row.items()})
            u, v = str(record.pop("from")), str(record.pop("to"))
            attrs = {"kind": "commuting", "from": u, "to": v, "directed": True, **record}
            graph.add_edge(u, v, key=f"flow-{u}-{v}", **attrs)
    return graph


def export(
    network: Network,
    path: str | Path,
    *,
    to: Format | None = None,
    kinds: str | Iterable[str] | None = None,
    flows: bool = False,
    merge: bool = False,
    overwrite: bool = False,
) -> Path | None:
    """Write ``network`` as GEXF, GraphML or Cytoscape JSON; return the path written.

    The format follows ``to`` or the file ending, and the ending must fit the format. The
    file is written whole or not at all (``-``: to standard output, with ``to``).

    Raises
    ------
    OutputError
        When the format is unknown, the file ending does not fit the format, or the file
        exists and ``overwrite`` is not given.

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
    graph = export_graph(network, kinds, flows=flows, merge=merge)
    if fmt != "json":
        _xml_text(graph)
    if fmt == "json":
        text = json.dumps(nx.cytoscape_data(graph), ensure_ascii=False, indent=1)
    else:
        buffer = io.BytesIO()
        if fmt == "gexf":
            nx.write_gexf(graph, buffer, encoding="utf-8")
        else:
            nx.write_graphml(graph, buffer, encoding="utf-8", named_key_ids=True)
        text = buffer.getvalue().decode("utf-8")
    return write_text(path, text, overwrite=overwrite, protect=protect)


def _pair_commuters(network: Network) -> dict[tuple[str, str], int]:
    """Commuters between each pair of units, both directions summed."""
    flows = network.flows
    a, b = flows["from"], flows["to"]
    pairs = pd.DataFrame(
        {"u": a.where(a <= b, b), "v": b.where(a <= b, a), "n": flows["commuters"]}
    )
    sums = pairs.groupby(["u", "v"])["n"].sum()
    return {(str(u), str(v)): int(n) for (u, v), n in zip(sums.index, sums, strict=True)}


def _clean(attrs: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Keep attributes the writers accept: drop missing values, flatten lists to text."""
    plain = {name: _plain(value) for name, value in attrs.items()}
    return {name: value for name, value in plain.items() if value is not None}


def _plain(value: Any) -> str | int | float | bool | None:
    """An attribute value as the writers take it: plain, lists as text, None if missing."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


# Characters XML 1.0 cannot carry (most control characters, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(graph: nx.Graph[str]) -> None:
    """Write the characters XML cannot carry as U+FFFD in every text attribute; warn once."""
    changed = 0
    places = [
        graph.graph,
        *(d for _, d in graph.nodes(data=True)),
        *(d for *_, d in graph.edges(data=True)),
    ]
    for data in places:
        for name, value in data.items():
            if isinstance(value, str) and _NOT_XML.search(value):
                data[name] = _NOT_XML.sub("\ufffd", value)
                changed += 1
    if changed:
        warnings.warn(
            f"{changed:,} text value(s) held control characters that XML cannot carry; they "
            "are written as U+FFFD (\ufffd)",
            NetkoopWarning,
            stacklevel=3,
        )
