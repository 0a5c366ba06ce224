"""Turn the nodes and edges of a graph file into units, ties and flows, checked as a scenario."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from netkoop._errors import DataFileError, Problem, ScenarioError, shown
from netkoop.importers.graphfile.elements import AttrType, Element, GraphFile, Raw, text_of, typed
from netkoop.importers.graphfile.mapping import COMMUTING, GraphMapping
from netkoop.model.blocks import Block, Origin
from netkoop.model.checks import check
from netkoop.model.metadata import Credit, Metadata
from netkoop.model.network import Network
from netkoop.model.schema import FLOWS, TIES, UNITS, TableSpec
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, TIE_KINDS, UNIT_KINDS

#: The options that name the attribute of each unit column, for messages.
_UNIT_OPTIONS = {
    "id": "--id-from",
    "name": "--name-from",
    "kind": "--kind-from",
    "land": "--land-from",
}

#: Credit fields a source may have.
_CREDIT_KEYS = tuple(f.name for f in dataclasses.fields(Credit))


@dataclass
class _Table:
    """The cells of one table as text, column by column, and what the checks need to know."""

    spec: TableSpec
    rows: int
    columns: dict[str, list[str | None]] = field(default_factory=dict)
    text: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)  # column → the file's attribute

    def put(self, name: str, values: list[str | None], *, attribute: str, text: bool) -> None:
        self.columns[name] = values
        self.fields[name] = attribute
        if text:
            self.text.add(name)

    def block(self, origin: Origin) -> Block:
        frame = pd.DataFrame(
            {name: pd.Series(values, dtype="str") for name, values in self.columns.items()},
            index=pd.RangeIndex(self.rows),
        )
        return Block(frame, origin, text_columns=frozenset(self.text))


class _Cells:
    """Typing the values of one kind of element, collecting the values no type fits."""

    def __init__(self, graph: GraphFile, kind: str, types: dict[str, AttrType]) -> None:
        self.graph, self.kind, self.types = graph, kind, types
        self.problems: list[Problem] = []

    def column(
        self,
        elements: Sequence[Element],
        values: Iterable[Raw],
        *,
        attribute: str,
        spec: TableSpec,
        name: str,
        declared: AttrType | None = None,
    ) -> tuple[list[str | None], bool]:
        """Type the values of one column; return the cells and whether they are text."""
        known = spec.column(name)
        kind = declared or self.types.get(attribute, "text")
        if known is not None and known.type not in {"count", "number"}:
            return [text_of(v) for v in values], True
        whole = known is not None or spec is FLOWS
        cells: list[str | None] = []
        for element, value in zip(elements, values, strict=True):
            cell, problem = typed(value, kind, whole=whole)
            if problem is not None:
                where = self.graph.where(self.kind, element.position)  # type: ignore[arg-type]
                self.problems.append(Problem("error", where, problem, attribute, text_of(value)))
            cells.append(cell)
        return cells, kind == "text" and known is None


@dataclass(frozen=True)
class Built:
    """A network read from a graph file, what was left out or derived, and its oddities."""

    network: Network
    notes: tuple[str, ...]
    warnings: tuple[Problem, ...]


def build(
    graph: GraphFile, mapping: GraphMapping, *, name: str | None = None, fallback: str
) -> Built:
    """Check the nodes and edges as a scenario's units, ties and flows; return the network.

    The scenario is called ``name``, else what the file calls it, else ``fallback``.

    Raises
    ------
    DataFileError
        When the file has no nodes, or the mapping names an attribute no element has.
    ScenarioError
        With every problem of the tables, each naming the file, element, attribute and value.
    """
    mapping.check()
    label = graph.label
    if not graph.nodes:
        raise DataFileError(f"{label}: no nodes; a graph file for netkoop has a node per unit")
    notes = [_read_note(graph), *graph.notes]
    units, ids, unit_cells = _units(graph, mapping, notes)
    ties, flows, edge_cells, kinds = _edges(graph, mapping, ids, notes)
    positions = [e.position for e in graph.edges]
    tie_rows = [p for p, flow in zip(positions, kinds, strict=True) if not flow]
    flow_rows = [p for p, flow in zip(positions, kinds, strict=True) if flow]
    blocks = {
        "units": [units.block(Origin(label, "node", first=1))],
        "ties": [ties.block(Origin(label, "edge", numbers=tuple(tie_rows)))],
        "flows": [flows.block(Origin(label, "edge", numbers=tuple(flow_rows)))],
    }
    tables, found = check(blocks)
    problems = [*unit_cells.problems, *edge_cells.problems]
    problems += _explained(graph, found, units, ties, flows)
    if any(p.severity == "error" for p in problems):
        raise ScenarioError(label, problems)
    network = Network(tables, _metadata(graph, name, fallback, notes))
    if flow_rows:
        words = ", ".join(dict.fromkeys([COMMUTING, *mapping.flow_kinds]))
        many = "edges became flows" if len(flow_rows) > 1 else "edge became a flow"
        notes.append(f"{len(flow_rows):,} {many} (edges of kind {words})")
    notes += _direction_notes(graph, network, tie_rows)
    warned = tuple(p for p in problems if p.severity == "warning")
    return Built(network, tuple(notes), warned)


def _read_note(graph: GraphFile) -> str:
    by = f", written by {graph.writer}" if graph.writer else ""
    return (
        f"read {len(graph.nodes):,} nodes and {len(graph.edges):,} edges from {graph.label} "
        f"({graph.format}{by})"
    )


# --- units -----------------------------------------------------------------------------------


def _units(
    graph: GraphFile, mapping: GraphMapping, notes: list[str]
) -> tuple[_Table, dict[str, str], _Cells]:
    nodes = graph.nodes
    named = mapping.unit_columns()
    _require(graph, "node", named, {k: _UNIT_OPTIONS.get(k, f"units: {k}") for k in named})
    cells = _Cells(graph, "node", graph.node_types)
    table = _Table(UNITS, len(nodes))
    taken = set(named.values())
    for attribute in _attributes(nodes, graph.node_types):
        if attribute in taken:
            continue
        if attribute in named or attribute == "id":
            _left_out(notes, "node", attribute, named.get(attribute, "the node id"))
            continue
        values = [n.attrs.get(attribute) for n in nodes]
        found, text = cells.column(nodes, values, attribute=attribute, spec=UNITS, name=attribute)
        # An empty column is kept from netkoop's own files only (other programs declare
        # columns they never fill, such as yEd's url and description).
        if graph.netkoop or any(v is not None for v in found):
            table.put(attribute, found, attribute=attribute, text=text)
    for name, attribute in named.items():
        values = [n.get(attribute) for n in nodes]
        found, text = cells.column(nodes, values, attribute=attribute, spec=UNITS, name=name)
        table.put(name, found, attribute=attribute, text=text)

    node_ids = [n.id for n in nodes]
    if "id" not in named:
        table.put("id", [text_of(i) for i in node_ids], attribute="id", text=True)
    if "name" not in named:
        labels = [text_of(n.native.get("label")) for n in nodes]
        names = table.columns.get("name") or [None] * len(nodes)
        filled = [given or shown_label for given, shown_label in zip(names, labels, strict=True)]
        table.put(
            "name", filled, attribute="name" if "name" in table.columns else "label", text=True
        )
        if "label" not in table.columns:
            other = [
                lab if lab not in (None, nam, ident) else None
                for lab, nam, ident in zip(labels, filled, table.columns["id"], strict=True)
            ]
            if any(other):
                table.put("label", other, attribute="label", text=True)
    for name, default in (("kind", mapping.unit_kind), ("land", mapping.land)):
        given = table.columns.get(name) or [None] * len(nodes)
        if default is not None:
            given = [v if v is not None else default for v in given]
        if name == "kind":
            given = [mapping.unit_kind_of(v) if v is not None else None for v in given]
        table.columns[name] = given
        table.fields.setdefault(name, named.get(name, name))
    ids = {
        str(node): unit
        for node, unit in zip(node_ids, table.columns["id"], strict=True)
        if node is not None and unit is not None
    }
    return table, ids, cells


# --- edges -----------------------------------------------------------------------------------


def _edges(
    graph: GraphFile, mapping: GraphMapping, ids: dict[str, str], notes: list[str]
) -> tuple[_Table, _Table, _Cells, list[bool]]:
    edges = graph.edges
    named = mapping.tie_columns()
    options = {k: "--tie-kind-from" if k == "kind" else f"ties: {k}" for k in named}
    if mapping.commuters_from:
        named_flows = {"commuters": mapping.commuters_from}
        _require(graph, "edge", named_flows, {"commuters": "--commuters-from"})
    _require(graph, "edge", named, options)
    kind_from = named.get("kind")
    words: list[str | None] = []
    for edge in edges:
        if kind_from is not None:
            raw = edge.get(kind_from)
        else:
            raw = edge.attrs.get("kind")
            if text_of(raw) is None:
                raw = edge.native.get("kind")
        word = text_of(raw)
        if word is None:
            word = mapping.tie_kind
        words.append(word)
    # Files hold a few kinds many times over: each is looked up once.
    meant = {w: mapping.tie_kind_of(w) for w in words if w is not None}
    words = [meant[w] if w is not None else None for w in words]
    flowing = {w: mapping.is_flow(w) for w in set(meant.values())}
    is_flow = [w is not None and flowing[w] for w in words]
    tie_edges = [e for e, flow in zip(edges, is_flow, strict=True) if not flow]
    flow_edges = [e for e, flow in zip(edges, is_flow, strict=True) if flow]
    cells = _Cells(graph, "edge", graph.edge_types)

    def ends(table: _Table, chosen: list[Element]) -> None:
        for column, side in (("from", "source"), ("to", "target")):
            values = [getattr(e, side) for e in chosen]
            table.put(
                column,
                [ids.get(v, v) if v is not None else None for v in values],
                attribute=side,
                text=True,
            )

    ties = _Table(TIES, len(tie_edges))
    ends(ties, tie_edges)
    kind_attr = kind_from or "kind"
    ties.put(
        "kind",
        [w for w, flow in zip(words, is_flow, strict=True) if not flow],
        attribute=kind_attr,
        text=True,
    )
    # XML files keep what an edge's direction means in "directed" (Cytoscape in its own field).
    taken = {*named.values(), "kind", *(["directed"] if graph.lines else [])}
    for attribute in _attributes(edges, graph.edge_types):
        if attribute in taken:
            if attribute == "kind" and kind_from not in (None, "kind"):
                _left_out(notes, "edge", "kind", kind_from)
            continue
        if attribute in named:
            _left_out(notes, "edge", attribute, named[attribute])
            continue
        values = [e.attrs.get(attribute) for e in tie_edges]
        found, text = cells.column(
            tie_edges, values, attribute=attribute, spec=TIES, name=attribute
        )
        if any(v is not None for v in found):
            ties.put(attribute, found, attribute=attribute, text=text)
    for name, attribute in named.items():
        if name == "kind":
            continue
        values = [e.get(attribute) for e in tie_edges]
        found, text = cells.column(tie_edges, values, attribute=attribute, spec=TIES, name=name)
        ties.put(name, found, attribute=attribute, text=text)
    _native_columns(ties, tie_edges, cells, kind_from)

    flows = _Table(FLOWS, len(flow_edges))
    ends(flows, flow_edges)
    commuters, attribute = _commuters(flow_edges, mapping, graph)
    counted, _ = cells.column(
        flow_edges,
        commuters,
        attribute=attribute,
        spec=FLOWS,
        name="commuters",
        declared=graph.edge_types.get(attribute, "float"),
    )
    flows.put("commuters", counted, attribute=attribute, text=False)
    dropped = []
    for name in _attributes(edges, graph.edge_types):
        if name in {attribute, "kind", "weight", "commuters", kind_from} or name in taken:
            continue
        held = [e.attrs.get(name) for e in flow_edges]
        if all(text_of(v) is None for v in held):
            continue
        if graph.edge_types.get(name) not in {"int", "float"}:
            dropped.append(name)
            continue
        found, _ = cells.column(flow_edges, held, attribute=name, spec=FLOWS, name=name)
        flows.put(name, found, attribute=name, text=False)
    if dropped:
        notes.append(
            f"left out the attributes {', '.join(map(repr, dropped))} of the {COMMUTING} edges: "
            "flows hold counts only"
        )
    return ties, flows, cells, is_flow


def _native_columns(
    ties: _Table, edges: list[Element], cells: _Cells, kind_from: str | None
) -> None:
    """GEXF's edge weight (unless every tie has the default 1) and drawn labels, as columns."""
    for name in ("weight", "label"):
        if name in ties.columns or name == kind_from:
            continue
        raw = [e.native.get(name) for e in edges]
        if name == "weight":
            numbers = {text_of(v) for v in raw} - {None}
            if numbers <= {"1", "1.0"}:
                continue
        column, text = cells.column(
            edges,
            raw,
            attribute=name,
            spec=TIES,
            name=name,
            declared="float" if name == "weight" else "text",
        )
        if any(v is not None for v in column):
            ties.put(name, column, attribute=name, text=text)


def _commuters(
    edges: list[Element], mapping: GraphMapping, graph: GraphFile
) -> tuple[list[Raw], str]:
    """The commuters of each flow: the attribute named, ``commuters``, else the weight."""
    if mapping.commuters_from:
        return [e.get(mapping.commuters_from) for e in edges], mapping.commuters_from
    values: list[Raw] = []
    for edge in edges:
        value = edge.attrs.get("commuters")
        if text_of(value) is None:
            value = edge.attrs.get("weight", edge.native.get("weight"))
        values.append(value)
    counted = any(text_of(e.attrs.get("commuters")) is not None for e in edges)
    return values, "commuters" if counted or "commuters" in graph.edge_types else "weight"


# --- attributes ------------------------------------------------------------------------------


def _attributes(elements: Sequence[Element], types: dict[str, AttrType]) -> list[str]:
    """The attribute names in the order the file declares them, then any others it uses."""
    names = dict.fromkeys(types)
    for element in elements:
        for name in element.attrs:
            if name not in names:
                names[name] = None
    return list(names)


def _require(graph: GraphFile, kind: str, named: dict[str, str], options: dict[str, str]) -> None:
    """Raise when the mapping names an attribute that no node (or edge) has."""
    elements = graph.nodes if kind == "node" else graph.edges

    def held(attribute: str) -> bool:
        if attribute == "id" and kind == "node":
            return True
        return any(text_of(e.get(attribute)) is not None for e in elements)

    missing = [(c, a) for c, a in named.items() if not held(a)]
    if not missing:
        return
    have: set[str] = {"id"} if kind == "node" else set()
    for element in elements:
        have.update(k for k, v in element.attrs.items() if text_of(v) is not None)
        have.update(k for k, v in element.native.items() if text_of(v) is not None)
    column, attribute = missing[0]
    listed = sorted(have, key=str.casefold)
    close = difflib.get_close_matches(attribute, listed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise DataFileError(
        f"{graph.label}: no {kind} has the attribute {attribute!r} ({options[column]}); "
        f"{hint}the {kind}s have: {', '.join(map(repr, listed)) or 'none'}"
    )


def _left_out(notes: list[str], kind: str, attribute: str, instead: str) -> None:
    notes.append(f"left out the {kind} attribute {attribute!r}: its column comes from {instead!r}")


# --- problems --------------------------------------------------------------------------------


def _explained(
    graph: GraphFile,
    problems: list[Problem],
    units: _Table,
    ties: _Table,
    flows: _Table,
) -> list[Problem]:
    """The checks' problems in the file's words: elements by line, fields by attribute, and
    what to pass where a value is missing."""
    label = graph.label
    own = re.compile(rf"^{re.escape(label)}, (node|edge)(s?) ([\d, ]+)(.*)$", re.DOTALL)
    absent = {
        column
        for column in ("id", "name", "kind", "land")
        if all(v is None for v in units.columns.get(column, [None]))
    }
    ties_absent = ties.rows > 0 and all(v is None for v in ties.columns.get("kind", [None]))
    out: list[Problem] = []
    summed: set[tuple[str, str]] = set()
    for problem in problems:
        match = own.match(problem.where)
        if match is None:
            out.append(problem)
            continue
        kind, many, numbers, rest = match.groups()
        table = units if kind == "node" else ties
        field = problem.field
        attribute = table.fields.get(field, field) if field else None
        if kind == "edge" and field in {"from", "to"}:
            attribute = "source" if field == "from" else "target"
        if kind == "edge" and field == "commuters":
            attribute = flows.fields.get("commuters", field)
        message = problem.message
        missing = message.startswith(("missing", "the same problem: missing"))
        whole = (kind == "node" and field in absent) or (
            kind == "edge" and field == "kind" and ties_absent
        )
        if missing and whole and field is not None:
            if (kind, field) not in summed:
                summed.add((kind, field))
                out.append(_absent(graph, kind, field, attribute or field))
            continue
        message = _hint(kind, field, message, problem.value, graph)
        where = _where(graph, kind, many, numbers) + rest
        out.append(dataclasses.replace(problem, where=where, field=attribute, message=message))
    return out


def _where(graph: GraphFile, kind: str, many: str, numbers: str) -> str:
    positions = [int(n) for n in re.findall(r"\d+", numbers)]
    if not many and len(positions) == 1:
        return graph.where(kind, positions[0])  # type: ignore[arg-type]
    items = graph.nodes if kind == "node" else graph.edges
    if graph.lines:
        lines = [str(graph.line_of(kind, items[p - 1])) for p in positions if 0 < p <= len(items)]
        return f"{graph.label}, {kind}s at lines {', '.join(lines)}"
    return f"{graph.label}, elements.{kind}s " + ", ".join(f"[{p - 1}]" for p in positions)


_HINTS: dict[tuple[str, str | None], str] = {
    ("node", "id"): "give every node an id, or name the attribute that holds it (--id-from ATTR)",
    ("node", "name"): (
        "give the node a label or a name attribute, or name the attribute that holds its name "
        "(--name-from ATTR)"
    ),
    ("node", "kind"): (
        "name the attribute that holds the unit kind (--kind-from ATTR) or give nodes without "
        f"one a kind (--unit-kind KIND: {', '.join(UNIT_KINDS)})"
    ),
    (
        "node",
        "land",
    ): "name the attribute that holds it (--land-from ATTR) or give one (--land LAND)",
    ("edge", "kind"): (
        "name the attribute that holds the tie kind (--tie-kind-from ATTR) or give edges without "
        f"one a kind (--tie-kind KIND: {', '.join(TIE_KINDS)})"
    ),
    ("edge", "commuters"): "name the attribute that holds them (--commuters-from ATTR)",
}


def _hint(kind: str, field: str | None, message: str, value: str | None, graph: GraphFile) -> str:
    if message.startswith(("missing", "the same problem: missing")) and (kind, field) in _HINTS:
        return f"{message}; {_HINTS[kind, field]}"
    if "must name the id of a unit in units" in message:
        head = message.split(";", maxsplit=1)[0]
        tail = message.split("in units", 1)[1]
        return f"{head}; an edge must join two nodes of the file{tail}"
    if field == "kind" and message.startswith("not allowed"):
        if kind == "edge":
            more = (
                f"; edges of kind {COMMUTING!r} become flows (--flow-kind KIND names more), and a "
                "mapping file's tie_kinds: {{word: kind}} reads words of your own"
            )
            if value == "merged":
                more += "; a file exported with --merge (one edge per pair) cannot be read back"
            return message + more.replace("{{", "{").replace("}}", "}")
        return message + "; a mapping file's unit_kinds: {word: kind} reads words of your own"
    return message


def _absent(graph: GraphFile, kind: str, field: str, attribute: str) -> Problem:
    elements = graph.nodes if kind == "node" else graph.edges
    have = sorted({a for e in elements for a in e.attrs}, key=str.casefold)
    listed = ", ".join(map(repr, have[:12])) + (", ..." if len(have) > 12 else "")
    noun = {"id": "id", "name": "name", "kind": "kind", "land": "Land"}.get(field, field)
    what = f"no {kind} has a {'tie ' if kind == 'edge' and field == 'kind' else ''}{noun}"
    if kind == "node" and field == "kind":
        what = "no node has a unit kind"
    looked = f"attribute {attribute!r}"
    if kind == "node" and attribute == "label":  # names are the labels where no name is given
        attribute, looked = "name", "no attribute 'name', no label"
    return Problem(
        "error",
        graph.label,
        f"{what} ({looked}; the {kind}s have: {listed or 'no attributes'}); "
        f"{_HINTS.get((kind, field), '')}".rstrip("; "),
        field=attribute,
    )


# --- metadata and notes ----------------------------------------------------------------------


def _metadata(graph: GraphFile, name: str | None, fallback: str, notes: list[str]) -> Metadata:
    about = graph.metadata
    texts = {
        key: text_of(about.get(key))  # type: ignore[arg-type]
        for key in ("name", "title", "description", "reference_date", "population_date")
    }
    return Metadata(
        name=name or texts["name"] or fallback,
        title=texts["title"],
        description=texts["description"],
        reference_date=texts["reference_date"],
        population_date=texts["population_date"],
        sources=_credits(about.get("sources"), graph.label, notes),
    )


def _credits(raw: object, label: str, notes: list[str]) -> tuple[Credit, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    credits = []
    for item in items:
        if isinstance(item, str) and item.strip():
            credits.append(Credit(name=item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            fields = {k: str(item[k]) for k in _CREDIT_KEYS if item.get(k) is not None}
            credits.append(Credit(**fields))
        else:
            notes.append(f"left out a source of {label} that names none: {shown(item)}")
    return tuple(credits)


def _direction_notes(graph: GraphFile, network: Network, tie_rows: list[int]) -> list[str]:
    """Say how many ties of a directed kind are undirected edges in the file."""
    kinds = network.ties["kind"].tolist()
    loose = 0
    for position, kind in zip(tie_rows, kinds, strict=True):
        edge = graph.edges[position - 1]
        meant = edge.attrs.get("directed")
        directed = text_of(meant) == "true" if meant is not None else edge.directed
        if kind in DIRECTED_TIE_KINDS and directed is False:
            loose += 1
    if not loose:
        return []
    return [
        f"{loose:,} edge{'s' if loose > 1 else ''} of a directed kind "
        f"({', '.join(sorted(DIRECTED_TIE_KINDS))}) are undirected in the file; each is read "
        "from its source to its target"
    ]
