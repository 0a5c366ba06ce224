"""Interventions: what-if steps that turn one network into another, in one registry.

``registry`` holds the registry and applies steps by name, ``edits`` adds and removes ties
and units by list or by rule and sets attributes, ``policy`` has the policy levers (a
mandate, shared positions, budget shocks), ``expiry`` the end or extension of fixed-term
money on a date, and ``selection`` the rules that select pairs of
units. Every intervention returns a new network and leaves its input as it was.
"""

from netkoop.interventions.edits import (
    add_ties,
    add_ties_where,
    add_units,
    remove_ties,
    remove_ties_where,
    remove_units,
    set_attributes,
)
from netkoop.interventions.expiry import expire
from netkoop.interventions.policy import budget_shock, keyed_uniforms, mandate, shared_position
from netkoop.interventions.registry import (
    INTERVENTIONS,
    Intervention,
    Step,
    apply_steps,
    check_step,
    intervention,
)

__all__ = [
    "INTERVENTIONS",
    "Intervention",
    "Step",
    "add_ties",
    "add_ties_where",
    "add_units",
    "apply_steps",
    "budget_shock",
    "check_step",
    "expire",
    "intervention",
    "keyed_uniforms",
    "mandate",
    "remove_ties",
    "remove_ties_where",
    "remove_units",
    "set_attributes",
    "shared_position",
]
