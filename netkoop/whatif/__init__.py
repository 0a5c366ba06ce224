"""What-if: compare two networks, simulate random shocks many times, recommend new ties.

``compare`` measures a what-if against its base, ``simulate`` runs scenarios with random
interventions under shared seeds, ``recommend`` finds the ties that would most improve
commuter coverage or connectivity. The interventions themselves (`netkoop.interventions`)
are re-exported here, so that one import gives the whole what-if toolbox.
"""

from __future__ import annotations

from netkoop.interventions import (
    add_ties_where,
    budget_shock,
    expire,
    mandate,
    remove_ties_where,
    set_attributes,
    shared_position,
)
from netkoop.whatif.compare import Comparison, compare_networks
from netkoop.whatif.recommend import recommend
from netkoop.whatif.simulate import Plan, Simulation, simulate

__all__ = [
    "Comparison",
    "Plan",
    "Simulation",
    "add_ties_where",
    "budget_shock",
    "compare_networks",
    "expire",
    "mandate",
    "recommend",
    "remove_ties_where",
    "set_attributes",
    "shared_position",
    "simulate",
]
