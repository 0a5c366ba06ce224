"""Bring a graph file in as a scenario: Gephi (GEXF), visone and yEd (GraphML), Cytoscape (JSON).

Nodes become units and edges ties; edges of kind ``commuting`` (or others a mapping names)
become commuter flows. Where a file keeps an id, a kind or a Land under other names, a
`GraphMapping` says which attribute holds what, and what to assume where it holds nothing.
The tables are checked as a scenario's are, every problem naming the file, the element (by
line in XML, by place in JSON), the attribute and the value. A file netkoop exported reads
back into the same tables (`netkoop.export`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from netkoop._errors import DataFileError, NetkoopWarning, not_a_file
from netkoop.importers.graphfile.cytoscape import read_cytoscape
from netkoop.importers.graphfile.elements import GraphFile
from netkoop.importers.graphfile.gexf import read_gexf
from netkoop.importers.graphfile.graphml import read_graphml
from netkoop.importers.graphfile.mapping import GraphMapping, read_mapping
from netkoop.importers.graphfile.tables import Built, build
from netkoop.model.folder import SCENARIO_FILES
from netkoop.model.network import Network
from netkoop.output.files import check_folder
from netkoop.scenario.document import display_path

__all__ = ["FORMATS", "GraphMapping", "ImportedGraph", "import_graph", "read_graph", "read_mapping"]

#: The graph formats read, by file name ending.
FORMATS: dict[str, Callable[[Path, str], GraphFile]] = {
    ".gexf": read_gexf,
    ".graphml": read_graphml,
    ".json": read_cytoscape,
    ".cyjs": read_cytoscape,
}


@dataclass(frozen=True)
class ImportedGraph:
    """A scenario written from a graph file: the network, its scenario file, and notes on what
    was read, derived or left out."""

    network: Network
    path: Path
    notes: tuple[str, ...]


def read_graph(
    path: str | Path, mapping: GraphMapping | str | Path | None = None, *, name: str | None = None
) -> Network:
    """Read a GEXF, GraphML or Cytoscape JSON file as a network: nodes as units, edges as ties.

    Parameters
    ----------
    path
        A ``.gexf`` (Gephi), ``.graphml`` (visone, yEd, igraph) or ``.json``/``.cyjs``
        (Cytoscape) file. Node ids stay text as written (leading zeros kept); node labels are
        the units' names where nodes have no ``name`` attribute; attributes the file declares
        numeric are read as numbers, all others as text.
    mapping
        Which attribute holds what (`GraphMapping`), or the path of a YAML file with the
        same settings (`read_mapping`). By default the unit kind is the attribute ``kind``,
        the tie kind the edge's ``kind`` (GEXF's own, Cytoscape's interaction), and edges of
        kind ``commuting`` are flows with their ``commuters`` (else their weight).
    name
        The scenario's name (default: the name the file gives, else the file's name).

    Returns
    -------
    The network, checked as a scenario's tables are.

    Raises
    ------
    DataFileError
        When the file is missing, of an unknown format, not well-formed, has no nodes, or
        the mapping names an attribute that no element has or a kind netkoop does not know.
    ScenarioError
        Listing every problem of the tables (unknown kinds, missing names, edges to unknown
        nodes...), each with the file, element, attribute, value and what is allowed.

    Warns
    -----
    NetkoopWarning
        Once, for oddities that do not stop the import (units without ties, ties twice).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "netz.json"
    >>> _ = file.write_text('{"elements": {"nodes": [{"data": {"id": "03254", '
    ...     '"name": "Hildesheim", "kind": "landkreis", "land": "NI"}}], "edges": []}}')
    >>> read_graph(file).units[["id", "name", "kind", "land"]].values.tolist()
    [['03254', 'Hildesheim', 'landkreis', '03']]
    """
    source = Path(path)
    built = _read(source, mapping, name=name, fallback=source.stem)
    return built.network


def import_graph(
    path: str | Path,
    folder: str | Path,
    mapping: GraphMapping | str | Path | None = None,
    *,
    name: str | None = None,
    overwrite: bool = False,
) -> ImportedGraph:
    """Read a graph file (see `read_graph`) and write it as a scenario folder.

    The folder is written through the output layer: a new or empty folder (or, with
    ``overwrite``, one netkoop wrote a scenario into before), whole or not at all, and it is
    refused before the file is read. ``netkoop.load(folder)`` gives the network back.

    Parameters
    ----------
    path, mapping
        As for `read_graph`.
    folder
        The scenario folder to write.
    name
        The scenario's name (default: the name the file gives, else the folder's name).
    overwrite
        Replace a scenario that netkoop wrote into the folder before.

    Raises
    ------
    OutputError
        When the folder holds files netkoop did not write, or a scenario and ``overwrite``
        is False (`OutputExistsError`).
    DataFileError, ScenarioError
        As `read_graph`; nothing is written then.
    """
    source, target = Path(path), Path(folder)
    names = list(SCENARIO_FILES)
    check_folder(target, names, kind="scenario", overwrite=overwrite, protect=[source])
    built = _read(source, mapping, name=name, fallback=target.name)
    written = built.network.save(target, overwrite=overwrite)
    return ImportedGraph(built.network, written, built.notes)


def _read(
    source: Path, mapping: GraphMapping | str | Path | None, *, name: str | None, fallback: str
) -> Built:
    label = display_path(source)
    if isinstance(mapping, GraphMapping):
        settings = mapping
    else:
        settings = read_mapping(mapping) if mapping is not None else GraphMapping()
    settings.check()
    reader = FORMATS.get(source.suffix.lower())
    if reader is None:
        raise DataFileError(
            f"{label}: unknown graph format {source.suffix or '(no ending)'!r}; netkoop reads "
            ".gexf (Gephi), .graphml (visone, yEd) and .json or .cyjs (Cytoscape)"
        )
    if not source.is_file():
        raise DataFileError(f"{label}: the file {not_a_file(source)}")
    built = build(reader(source, label), settings, name=name, fallback=fallback)
    if built.warnings:
        first, more = built.warnings[0], len(built.warnings) - 1
        tail = f" (and {more} more; 'netkoop validate' lists them)" if more else ""
        warnings.warn(f"{label}: {first}{tail}", NetkoopWarning, stacklevel=3)
    return built
