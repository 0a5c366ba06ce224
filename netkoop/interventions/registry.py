"""The one registry of interventions: each declares its name and options once, where it is written.

An intervention is a function ``f(network, **options) -> Network``. The decorator
`intervention` registers it under its function name and reads its options from the
signature: a keyword without a default is required, ``**values`` takes a mapping whose items
are passed as keywords. The decorator names the kind of each option (rows, names, a flag...),
which scenario files are checked against; ``random=True`` marks an intervention that draws
random numbers from its ``seed`` option (`netkoop.whatif.simulate` gives it a fresh one per
run). Scenario files, `apply_steps` and simulations all read this registry, so adding an
intervention means writing one function.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from netkoop._errors import NetkoopError, Problem, ScenarioError
from netkoop.model.network import Network

#: The kinds of option value: a list of rows (mappings), a mapping of column: value, one name
#: or a list of names, true or false, a number, a seed (a whole number of 0 or more), a date
#: (a year, year-month or day, as `netkoop.model.dates` reads them), or text.
OptionKind = Literal["rows", "mapping", "names", "flag", "number", "seed", "date", "text"]

F = TypeVar("F", bound=Callable[..., Network])


@dataclass(frozen=True)
class Option:
    """One option of an intervention: its name, kind, and whether a step must give it.

    ``spread`` marks the ``**values`` parameter: its mapping is passed as keywords.
    """

    name: str
    kind: OptionKind
    required: bool
    spread: bool = False


@dataclass(frozen=True)
class Intervention:
    """A registered intervention: its name, function, options and whether it is random."""

    name: str
    function: Callable[..., Network]
    options: tuple[Option, ...]
    random: bool = False

    @property
    def option_names(self) -> tuple[str, ...]:
        """The names of all its options, required ones first."""
        required = [o.name for o in self.options if o.required]
        return (*required, *(o.name for o in self.options if not o.required))

    def option(self, name: str) -> Option | None:
        """Return the option called ``name``, if it has one."""
        return next((o for o in self.options if o.name == name), None)

    def missing(self, given: Iterable[str]) -> list[str]:
        """Return the required options that ``given`` lacks."""
        names = set(given)
        return [o.name for o in self.options if o.required and o.name not in names]

    def unknown(self, given: Iterable[str]) -> list[str]:
        """Return the names in ``given`` that are no option of this intervention."""
        return [name for name in given if self.option(name) is None]

    def apply(self, network: Network, options: Mapping[str, Any]) -> Network:
        """Apply the intervention with ``options`` (checked names, plain values)."""
        keywords: dict[str, Any] = {}
        for name, value in options.items():
            option = self.option(name)
            if option is not None and option.spread:
                taken = sorted(set(value) & {*self.option_names, "network"})
                if taken:
                    raise NetkoopError(f"{name} may not set {', '.join(taken)}")
                keywords.update(value)
            else:
                keywords[name] = value
        return self.function(network, **keywords)


#: Every intervention, by name, in the order they were registered.
INTERVENTIONS: dict[str, Intervention] = {}


def intervention(*, random: bool = False, **kinds: OptionKind) -> Callable[[F], F]:
    """Register the decorated function as the intervention of its name.

    Parameters
    ----------
    random
        The intervention draws random numbers from its ``seed`` option.
    **kinds
        The kind of each option, one per parameter after the network.

    Raises
    ------
    TypeError
        When ``kinds`` and the function's parameters differ, or a random intervention has no
        ``seed``: a mistake in netkoop's own code, found when it is imported.
    """

    def register(function: F) -> F:
        parameters = list(inspect.signature(function).parameters.values())[1:]
        names = [p.name for p in parameters]
        if sorted(names) != sorted(kinds) or (random and "seed" not in kinds):
            raise TypeError(
                f"intervention {function.__name__}: options {sorted(kinds)} do not match the "
                f"parameters {names}" + (" (a random one needs seed)" if random else "")
            )
        options = tuple(
            Option(
                p.name,
                kinds[p.name],
                required=p.default is inspect.Parameter.empty,
                spread=p.kind is inspect.Parameter.VAR_KEYWORD,
            )
            for p in parameters
        )
        INTERVENTIONS[function.__name__] = Intervention(
            function.__name__, function, options, random
        )
        return function

    return register


@dataclass(frozen=True)
class Step:
    """One step of a what-if: an intervention by name, its options as plain Python values,
    and where it was written for messages (e.g. ``"scenario.yaml, line 12"``)."""

    name: str
    options: dict[str, Any]
    where: str

    @property
    def intervention(self) -> Intervention:
        """The registered intervention the step names."""
        return INTERVENTIONS[self.name]

    @property
    def random(self) -> bool:
        """Whether the step draws random numbers."""
        return self.intervention.random


def check_step(step: Step) -> str | None:
    """Return what is wrong with the name or option names of a step, None when nothing is.

    Scenario files check more (each option's kind); this is the check for steps given in
    Python.
    """
    known = INTERVENTIONS.get(step.name)
    if known is None:
        return f"unknown step {step.name!r}; steps: {', '.join(INTERVENTIONS)}"
    missing, unknown = known.missing(step.options), known.unknown(step.options)
    if missing:
        return f"{step.name} needs the option(s) {', '.join(missing)}"
    if unknown:
        allowed = ", ".join(known.option_names) or "none"
        return f"{step.name} takes no option(s) {', '.join(unknown)}; allowed: {allowed}"
    return None


def apply_steps(network: Network, steps: Sequence[Step]) -> tuple[Network | None, Problem | None]:
    """Apply steps in order.

    Returns the changed network, or None and a problem located at the step that failed (the
    steps after it depend on it, so they are not tried).
    """
    for step in steps:
        try:
            network = step.intervention.apply(network, step.options)
        except NetkoopError as exc:
            detail = (
                "; ".join(str(p) for p in exc.errors) if isinstance(exc, ScenarioError) else exc
            )
            message = f"intervention {step.name} cannot be applied: {detail}"
            return None, Problem("error", step.where, message, field="do", value=step.name)
    return network, None
