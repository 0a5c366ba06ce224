"""Importers: each module reads one outside file layout into netkoop's tables.

The importers of official data (gvisys, pendler, adjacency) return an `Imported` table in
netkoop's vocabulary (the same columns a scenario file would give) with the credits its licence
asks for; `import_into` adds it to a scenario folder, creating the scenario on the first import.
`read_graph` and `import_graph` turn a Gephi, visone or Cytoscape file into a whole network.
"""

from netkoop.importers.graph import GraphMapping, ImportedGraph, import_graph, read_graph
from netkoop.importers.imported import Imported, Table
from netkoop.importers.into import import_into

__all__ = [
    "GraphMapping",
    "Imported",
    "ImportedGraph",
    "Table",
    "import_graph",
    "import_into",
    "read_graph",
]
