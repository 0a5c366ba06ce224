"""What made an output: the versions of netkoop and the libraries its numbers come from.

Machine-readable outputs (JSON reports, the metadata sheet of a workbook, graph exports)
record them with the seed and the options, so that a figure can be traced and made again.
"""

from __future__ import annotations

import platform
from functools import cache
from importlib import metadata
from types import MappingProxyType
from typing import Any

from netkoop._version import __version__

#: The libraries whose versions an output records, by the name people know them by, with
#: the name of their distribution.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("numpy", "numpy"),
    ("pandas", "pandas"),
    ("networkx", "networkx"),
    ("igraph", "igraph"),
)


@cache
def versions() -> MappingProxyType[str, str]:
    """Return the versions of netkoop, Python and the libraries in `LIBRARIES`.

    A library that is not installed is recorded as ``"not installed"``.

    Examples
    --------
    >>> list(versions())
    ['netkoop', 'python', 'numpy', 'pandas', 'networkx', 'igraph']
    """
    found = {"netkoop": __version__, "python": platform.python_version()}
    for name, distribution in LIBRARIES:
        try:
            found[name] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return MappingProxyType(found)


def provenance(seed: int | None = None, **options: Any) -> dict[str, Any]:
    """Return what an output records about how it was made: versions, seed and options.

    Options that are None are left out; the rest must be plain values (str, int, float,
    bool, lists of them).

    Examples
    --------
    >>> made = provenance(seed=7, kinds=["exchange"], flows=False, top=None)
    >>> made["seed"], made["options"]
    (7, {'kinds': ['exchange'], 'flows': False})
    """
    made: dict[str, Any] = {"versions": dict(versions())}
    if seed is not None:
        made["seed"] = seed
    made["options"] = {name: value for name, value in options.items() if value is not None}
    return made
