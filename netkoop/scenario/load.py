"""Load and validate scenarios: read the files, check the tables, apply the interventions."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from netkoop._errors import NetkoopWarning, Problem, ScenarioError
from netkoop.interventions import Step, apply_steps
from netkoop.model.checks import check
from netkoop.model.folder import write_scenario
from netkoop.model.linkchecks import warn_isolates
from netkoop.model.network import Network
from netkoop.model.schema import Reporter
from netkoop.model.tables import Tables
from netkoop.scenario.bundled import bundled_name
from netkoop.scenario.document import display_path, read_document


@dataclass(frozen=True)
class Validation:
    """The outcome of checking a scenario: every problem, and the network when it is valid.

    ``interventions`` are the scenario's steps; ``network`` is the result of applying them to
    ``tables``, the network its tables describe.
    """

    source: str
    problems: list[Problem]
    network: Network | None
    interventions: tuple[Step, ...] = ()
    tables: Network | None = None

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the scenario invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Oddities that do not stop loading."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors


def validate(spec: str | Path, *, text: str | None = None) -> Validation:
    """Check a scenario (path, folder or bundled name) and collect every problem in one pass.

    ``text`` is checked as the scenario file's content instead of what the file holds (an
    edit, before it is written).

    Raises
    ------
    UnknownScenarioError
        When ``spec`` names no file and no bundled scenario.

    Examples
    --------
    >>> validate("beispielregion").ok
    True
    """
    document = read_document(spec, text=text)
    blocks = document.blocks
    tables, problems = check(blocks, incomplete=document.incomplete, outlines=document.outlines)
    problems = document.problems + problems
    path = document.metadata.path
    source = (bundled_name(path) or display_path(path)) if path else str(spec)
    has_errors = any(p.severity == "error" for p in problems)
    described = None if has_errors else Network(tables, document.metadata)
    network = described
    if described is not None and document.interventions:
        network, failure = apply_steps(described, document.interventions)
        if failure is not None:
            problems = [*problems, failure]
        else:
            problems = _isolates_after(problems, tables, network)
    return Validation(source, problems, network, document.interventions, described)


def _isolates_after(
    problems: list[Problem], tables: Tables, network: Network | None
) -> list[Problem]:
    """Replace the warning about isolates in the tables by the one about the changed network."""
    if network is None:
        return problems
    before, after = Reporter(), Reporter()
    warn_isolates(tables.units, tables.ties, before)
    warn_isolates(network.units, network.ties, after)
    return [p for p in problems if p not in before.problems] + after.problems


def load(spec: str | Path) -> Network:
    """Load a scenario by path, folder or bundled name.

    Raises
    ------
    ScenarioError
        With every problem when the scenario is not valid.
    UnknownScenarioError
        When ``spec`` names no file and no bundled scenario.

    Warns
    -----
    NetkoopWarning
        Once, counting the oddities found (see `validate` for the list).

    Examples
    --------
    >>> net = load("beispielregion")
    >>> net.name
    'beispielregion'
    """
    return cast(Network, loaded(spec).network)  # loaded raises when there is none


def loaded(spec: str | Path) -> Validation:
    """Validate a scenario as `load` does: raise on errors, warn once about oddities.

    For callers that need more than the resulting network, e.g. the network before the
    scenario's interventions (``tables``) and the steps themselves (``interventions``).
    """
    result = validate(spec)
    if result.network is None:
        raise ScenarioError(result.source, result.problems)
    if result.warnings:
        first = result.warnings[0]
        more = len(result.warnings) - 1
        tail = f" (and {more} more; 'netkoop validate' lists them)" if more else ""
        warnings.warn(f"{result.source}: {first}{tail}", NetkoopWarning, stacklevel=3)
    return result


def save(network: Network, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``network`` as a scenario folder; the same as ``network.save(path)``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "kopie"
    >>> load(save(load("beispielregion"), folder)).equals(load("beispielregion"))
    True
    """
    return write_scenario(network.tables(), network.metadata, path, overwrite=overwrite)
