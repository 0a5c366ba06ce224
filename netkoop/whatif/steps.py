"""Apply the ``interventions:`` steps of a scenario file: one name, one function each."""

from __future__ import annotations

from collections.abc import Sequence

from netkoop._errors import NetkoopError, Problem, ScenarioError
from netkoop.interventions_spec import Intervention
from netkoop.network import Network
from netkoop.whatif import interventions


def apply_interventions(
    network: Network, steps: Sequence[Intervention]
) -> tuple[Network | None, Problem | None]:
    """Apply a scenario's intervention steps in order.

    Returns the changed network, or None and a problem located at the step that failed (the
    steps after it depend on it, so they are not tried).
    """
    for step in steps:
        options = dict(step.options)
        try:
            if step.name in ("add_ties", "remove_ties", "add_units"):
                network = getattr(network, step.name)(options["rows"])
            elif step.name == "remove_units":
                network = network.remove_units(options["ids"])
            elif step.name == "set_attributes":
                network = interventions.set_attributes(network, options["ids"], **options["values"])
            elif step.name == "shared_position":
                network = interventions.shared_position(
                    network, options.pop("gemeinden"), **options
                )
            else:
                network = getattr(interventions, step.name)(network, **options)
        except NetkoopError as exc:
            detail = (
                "; ".join(str(p) for p in exc.errors) if isinstance(exc, ScenarioError) else exc
            )
            message = f"intervention {step.name} cannot be applied: {detail}"
            return None, Problem("error", step.where, message, field="do", value=step.name)
    return network, None
