"""Importers of official data: each module reads one published file layout into a netkoop table.

Every importer returns an `Imported` table in netkoop's vocabulary (the same columns a scenario
file would give) with the credits its licence asks for; `import_into` adds it to a scenario
folder, creating the scenario on the first import.
"""

from netkoop.importers.imported import Imported, Table
from netkoop.importers.into import import_into

__all__ = ["Imported", "Table", "import_into"]
