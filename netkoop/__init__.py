"""netkoop: networks of inter-municipal cooperation in German integration policy.

Load a scenario, change it, look at it::

    import netkoop
    net = netkoop.load("beispielregion")
    whatif = net.add_ties([{"from": "lk-nord", "to": "musterstadt", "kind": "exchange"}])

The names below are imported when first used, so that ``import netkoop`` (and the command
line's ``--help``) does not wait for pandas and the graph engines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from netkoop._errors import (
    DataFileError,
    MetricsError,
    NetkoopError,
    NetkoopWarning,
    NetworkEditError,
    OutputError,
    OutputExistsError,
    Problem,
    ScenarioError,
    UnknownScenarioError,
)
from netkoop._version import __version__

if TYPE_CHECKING:
    from netkoop.model import Credit, Metadata, Network
    from netkoop.scenario import Validation, list_scenarios, load, save, validate

#: The public names that live in the layers below, by the module that defines them.
_LAZY = {
    "Credit": "netkoop.model",
    "Metadata": "netkoop.model",
    "Network": "netkoop.model",
    "Validation": "netkoop.scenario",
    "list_scenarios": "netkoop.scenario",
    "load": "netkoop.scenario",
    "save": "netkoop.scenario",
    "validate": "netkoop.scenario",
}

__all__ = [
    "Credit",
    "DataFileError",
    "Metadata",
    "MetricsError",
    "NetkoopError",
    "NetkoopWarning",
    "Network",
    "NetworkEditError",
    "OutputError",
    "OutputExistsError",
    "Problem",
    "ScenarioError",
    "UnknownScenarioError",
    "Validation",
    "__version__",
    "list_scenarios",
    "load",
    "save",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'netkoop' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
