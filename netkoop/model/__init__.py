"""The model: a network of units, typed ties, commuter flows, borders and outlines, as tables.

``vocabulary`` and ``keys`` hold the words and official keys of the domain, ``labels`` the
words people read for table columns and measures (German and English), ``schema`` the
columns of each table, ``blocks`` rows as read with their origin, ``outlines`` the polygons
of places for maps, ``checks`` every rule a scenario's tables must keep, ``tables`` and
``metadata`` what a network consists of, ``network`` the `Network` with its graph views and
edits, ``selection`` the ties that ``--ties`` and ``--min-confidence`` select and the columns
a survey leaves (``confirmed``, ``responded``), ``summary`` its counts, and ``folder`` the
scenario folder `Network.save` writes.
"""

from netkoop.model.metadata import Credit, Metadata
from netkoop.model.network import Network, tie_keys, undated_ties
from netkoop.model.outlines import OUTLINE_COLUMNS, OUTLINE_LEVELS
from netkoop.model.summary import Summary
from netkoop.model.tables import ALL_TABLES, TABLE_NAMES, Tables, kreis_of

__all__ = [
    "ALL_TABLES",
    "OUTLINE_COLUMNS",
    "OUTLINE_LEVELS",
    "TABLE_NAMES",
    "Credit",
    "Metadata",
    "Network",
    "Summary",
    "Tables",
    "kreis_of",
    "tie_keys",
    "undated_ties",
]
