"""Importers: each module reads one outside file layout into netkoop's tables.

The importers of official data (gvisys, pendler, adjacency, geometry) return an `Imported`
table in netkoop's vocabulary (the same columns a scenario file would give) with the credits
its licence asks for; `import_into` adds it to a scenario folder, creating the scenario on the
first import. ``polygons`` holds the reading that adjacency and geometry share.
`read_graph` and `import_graph` turn a Gephi, visone or Cytoscape file into a whole network.
"""

from netkoop.importers.graph import GraphMapping, ImportedGraph, import_graph, read_graph
from netkoop.importers.imported import Imported, Table
from netkoop.importers.into import Written, import_into, write_into

__all__ = [
    "GraphMapping",
    "Imported",
    "ImportedGraph",
    "Table",
    "Written",
    "import_graph",
    "import_into",
    "read_graph",
    "write_into",
]
