"""What-if: interventions that return a changed copy of a network, and tie recommendations."""

from __future__ import annotations

from netkoop.whatif.interventions import (
    add_ties_where,
    budget_shock,
    mandate,
    remove_ties_where,
    set_attributes,
    shared_position,
)
from netkoop.whatif.recommend import recommend

__all__ = [
    "add_ties_where",
    "budget_shock",
    "mandate",
    "recommend",
    "remove_ties_where",
    "set_attributes",
    "shared_position",
]
