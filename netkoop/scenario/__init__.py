"""Scenario files: the one netkoop-native format, read into a checked network.

``yamlsafe`` parses YAML without misreading official keys, ``sources`` reads the tables
(inline rows, CSV, Excel), ``steps`` the ``interventions:`` list, ``document`` a whole file
with everything it extends, ``bundled`` finds the scenarios that ship with netkoop,
``starter`` writes a commented starter, and ``load`` validates and loads.
"""

from netkoop.scenario.bundled import BundledScenario, list_scenarios, scenario_path
from netkoop.scenario.load import Validation, load, loaded, save, validate
from netkoop.scenario.starter import new_scenario

__all__ = [
    "BundledScenario",
    "Validation",
    "list_scenarios",
    "load",
    "loaded",
    "new_scenario",
    "save",
    "scenario_path",
    "validate",
]
