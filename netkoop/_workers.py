"""Work that runs in other processes, in a module that is light to import.

A worker process of joblib (or of a Dask cluster) imports the module of the function it is
sent. The function here imports nothing of netkoop's layers, so a worker that runs it needs
only the library of the object it receives (python-igraph for a graph of the engine), not
pandas and the rest of the package: starting one takes about half a second less.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Call = tuple[str, dict[str, Any]]


def call_methods(subject: object, calls: Sequence[Call]) -> list[Any]:
    """Call methods of ``subject`` by name and return their results, in the order given.

    Examples
    --------
    >>> call_methods("a-b-c", [("split", {"sep": "-"}), ("upper", {})])
    [['a', 'b', 'c'], 'A-B-C']
    """
    return [getattr(subject, name)(**options) for name, options in calls]
