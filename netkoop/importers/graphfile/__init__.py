"""The parts of the graph file importer (`netkoop.importers.graph`): one module per format.

``elements`` holds what any graph file says (nodes, edges, their attributes as read), ``xml``
the safe, streaming XML reading that ``gexf`` and ``graphml`` share, ``cytoscape`` reads
Cytoscape JSON, ``mapping`` the settings that say which attribute holds what, and ``tables``
turns the elements into the units, ties and flows a scenario holds.
"""
