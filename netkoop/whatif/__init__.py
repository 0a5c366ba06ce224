"""What-if: interventions that return a changed copy of a network, comparisons, simulations of
random shocks, and tie recommendations."""

from __future__ import annotations

from netkoop.whatif.compare import Comparison, compare_networks
from netkoop.whatif.interventions import (
    add_ties_where,
    budget_shock,
    mandate,
    remove_ties_where,
    set_attributes,
    shared_position,
)
from netkoop.whatif.recommend import recommend
from netkoop.whatif.simulate import Plan, Simulation, simulate

__all__ = [
    "Comparison",
    "Plan",
    "Simulation",
    "add_ties_where",
    "budget_shock",
    "compare_networks",
    "mandate",
    "recommend",
    "remove_ties_where",
    "set_attributes",
    "shared_position",
    "simulate",
]
