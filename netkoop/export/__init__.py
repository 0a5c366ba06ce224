"""Networks for other programs: Gephi (GEXF), visone and yEd (GraphML), Cytoscape (JSON)."""

from netkoop.export.graph import export, export_graph

__all__ = ["export", "export_graph"]
