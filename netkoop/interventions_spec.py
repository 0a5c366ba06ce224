"""What an ``interventions:`` list in a scenario file may say, and how each step is checked.

Each step names a Network method or a `netkoop.whatif` function with ``do:`` and gives its
keyword options; `netkoop.whatif.steps` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from netkoop import yamlsafe
from netkoop.sources import text_of


class Report(Protocol):
    """Where a problem goes: its line, message, field and value."""

    def __call__(
        self, line: int, message: str, *, key: str | None = None, value: Any = None
    ) -> None: ...


#: The steps an ``interventions:`` list may name, each with its (required, optional) options.
#: They mirror the keyword options of the Network methods and `netkoop.whatif` functions.
INTERVENTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "add_ties": (("rows",), ()),
    "remove_ties": (("rows",), ()),
    "add_units": (("rows",), ()),
    "remove_units": (("ids",), ()),
    "add_ties_where": (
        ("kind",),
        ("from_kinds", "to_kinds", "same_kreis", "adjacent", "min_commuters", "attributes"),
    ),
    "remove_ties_where": (
        (),
        ("kinds", "from_kinds", "to_kinds", "same_kreis", "adjacent", "funding"),
    ),
    "set_attributes": (("ids", "values"), ()),
    "mandate": ((), ("kreise", "coordination", "planning", "case_management", "forum")),
    "shared_position": (("gemeinden",), ("funding", "since")),
    "budget_shock": ((), ("voluntary", "project", "seed", "offices")),
}
#: Options whose value is a list of rows (mappings), a mapping, a list of ids, or a yes/no.
_ROW_OPTIONS = frozenset({"rows"})
_MAPPING_OPTIONS = frozenset({"attributes", "values"})
_ID_OPTIONS = frozenset(
    {"ids", "kreise", "gemeinden", "kinds", "from_kinds", "to_kinds", "funding"}
)
_FLAG_OPTIONS = frozenset(
    {"same_kreis", "adjacent", "coordination", "planning", "case_management", "forum", "offices"}
)
_NUMBER_OPTIONS = frozenset({"min_commuters", "voluntary", "project"})


@dataclass(frozen=True)
class Intervention:
    """One step of a scenario's ``interventions:`` list, checked but not yet applied.

    ``name`` is the step (``do:``), ``options`` its keyword options as plain Python values,
    ``where`` the file and line for messages (e.g. ``"scenario.yaml, line 12"``).
    """

    name: str
    options: dict[str, Any]
    where: str


_BAD = object()  # an option value that was reported as a problem


def read_interventions(
    doc: yamlsafe.Mapping, label: str, error: Report
) -> tuple[Intervention, ...]:
    """Read and check the ``interventions:`` list of one parsed scenario file.

    ``label`` names the file in `Intervention.where`; every problem goes to ``error`` with
    its line, and a step with a problem is left out.
    """
    raw = doc.get("interventions")
    if raw is None:
        return ()
    line = doc.line_of("interventions")
    if not isinstance(raw, list):
        error(
            line,
            "interventions is a list of steps, each a mapping with 'do:' naming the step "
            f"({', '.join(INTERVENTIONS)}) and its options",
            key="interventions",
            value=raw,
        )
        return ()
    steps = []
    for item in raw:
        step = _intervention(item, line, label, error)
        if step is not None:
            steps.append(step)
    return tuple(steps)


def _intervention(item: Any, line: int, label: str, error: Report) -> Intervention | None:
    if not isinstance(item, yamlsafe.Mapping):
        error(
            line,
            "each intervention is a mapping with 'do:' naming the step and its options",
            key="interventions",
            value=item,
        )
        return None
    name = item.get("do")
    if not isinstance(name, str) or name not in INTERVENTIONS:
        error(
            item.line_of("do"),
            "do: names the step; allowed: " + ", ".join(INTERVENTIONS)
            if "do" in item
            else "each intervention needs 'do:' naming the step; allowed: "
            + ", ".join(INTERVENTIONS),
            key="do",
            value=name,
        )
        return None
    required, optional = INTERVENTIONS[name]
    allowed = ("do", *required, *optional)
    ok = True
    for key in item:
        if key not in allowed:
            error(
                item.line_of(key),
                f"unknown option of {name}; allowed: {', '.join(allowed)}",
                key=key,
                value=item[key],
            )
            ok = False
    for key in required:
        if key not in item:
            error(item.line, f"{name} needs the option '{key}'", key=key)
            ok = False
    options: dict[str, Any] = {}
    for key in (*required, *optional):
        if key in item:
            value = _option(name, item, key, error)
            ok = ok and value is not _BAD
            options[key] = value
    if not ok:
        return None
    return Intervention(name, options, f"{label}, line {item.line}")


def _option(step: str, item: yamlsafe.Mapping, key: str, error: Report) -> Any:
    """Return an option's value as plain Python, or ``_BAD`` after reporting a problem."""
    value = item[key]
    line = item.line_of(key)
    if key in _ROW_OPTIONS:
        flat = isinstance(value, list) and all(
            isinstance(r, yamlsafe.Mapping)
            and not any(isinstance(v, dict | list) for v in r.values())
            for r in value
        )
        if not flat:
            error(line, "a list of rows, each a mapping of column: value", key=key)
            return _BAD
        return [dict(r) for r in value]
    if key in _MAPPING_OPTIONS:
        if not isinstance(value, yamlsafe.Mapping) or any(
            isinstance(v, dict | list) for v in value.values()
        ):
            error(line, "a mapping of column: value", key=key, value=value)
            return _BAD
        return dict(value)
    if key in _ID_OPTIONS and not (step == "shared_position" and key == "funding"):
        values = value if isinstance(value, list) else [value]
        if not values or any(v is None or isinstance(v, dict | list | bool) for v in values):
            error(line, "one name or a list of names", key=key, value=value)
            return _BAD
        texts = [text_of(v) for v in values]
        return texts if isinstance(value, list) else texts[0]
    if key in _FLAG_OPTIONS:
        if not isinstance(value, bool):
            error(line, "true or false", key=key, value=value)
            return _BAD
        return value
    if key in _NUMBER_OPTIONS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            error(line, "a number", key=key, value=value)
            return _BAD
        return value
    if key == "seed":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            error(line, "a whole number of 0 or more", key=key, value=value)
            return _BAD
        return value
    if isinstance(value, dict | list | bool):
        error(line, "plain text", key=key, value=value)
        return _BAD
    return None if value is None else text_of(value)
