"""netkoop: networks of inter-municipal cooperation in German integration policy.

Load a scenario, change it, look at it::

    import netkoop
    net = netkoop.load("beispielregion")
    whatif = net.add_ties([{"from": "lk-nord", "to": "musterstadt", "kind": "exchange"}])
"""

from __future__ import annotations

__version__ = "0.1.0"

from netkoop._errors import (
    DataFileError,
    MetricsError,
    NetkoopError,
    NetkoopWarning,
    NetworkEditError,
    OutputExistsError,
    Problem,
    ScenarioError,
    UnknownScenarioError,
)
from netkoop.datasets import list_scenarios
from netkoop.io import Validation, load, save, validate
from netkoop.network import Network
from netkoop.scenario import Credit, Metadata

__all__ = [
    "Credit",
    "DataFileError",
    "Metadata",
    "MetricsError",
    "NetkoopError",
    "NetkoopWarning",
    "Network",
    "NetworkEditError",
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
