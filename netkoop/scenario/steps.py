"""Read the ``interventions:`` list of a scenario file: each step checked against the registry.

Each step names a registered intervention with ``do:`` and gives its options; the kind of
each option (`netkoop.interventions.registry.OptionKind`) says what its value may be.
"""

from __future__ import annotations

from typing import Any, Protocol

from netkoop.interventions import INTERVENTIONS, Step
from netkoop.interventions.registry import OptionKind
from netkoop.model.blocks import text_of
from netkoop.model.dates import DATE_FORMS, iso_date
from netkoop.scenario import yamlsafe


class Report(Protocol):
    """Where a problem goes: its line, message, field and value."""

    def __call__(
        self, line: int, message: str, *, key: str | None = None, value: Any = None
    ) -> None: ...


_BAD = object()  # an option value that was reported as a problem


def read_steps(doc: yamlsafe.Mapping, label: str, error: Report) -> tuple[Step, ...]:
    """Read and check the ``interventions:`` list of one parsed scenario file.

    ``label`` names the file in `Step.where`; every problem goes to ``error`` with its line,
    and a step with a problem is left out.
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
        step = _step(item, line, label, error)
        if step is not None:
            steps.append(step)
    return tuple(steps)


def _step(item: Any, line: int, label: str, error: Report) -> Step | None:
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
    known = INTERVENTIONS[name]
    allowed = ("do", *known.option_names)
    ok = True
    for key in known.unknown(k for k in item if k != "do"):
        error(
            item.line_of(key),
            f"unknown option of {name}; allowed: {', '.join(allowed)}",
            key=key,
            value=item[key],
        )
        ok = False
    for key in known.missing(item):
        error(item.line, f"{name} needs the option '{key}'", key=key)
        ok = False
    options: dict[str, Any] = {}
    for option in known.options:
        if option.name in item:
            value = _value(option.kind, item, option.name, error)
            ok = ok and value is not _BAD
            options[option.name] = value
    if not ok:
        return None
    return Step(name, options, f"{label}, line {item.line}")


def _value(kind: OptionKind, item: yamlsafe.Mapping, key: str, error: Report) -> Any:
    """Return an option's value as plain Python, or ``_BAD`` after reporting a problem."""
    value = item[key]
    line = item.line_of(key)
    if kind == "rows":
        flat = isinstance(value, list) and all(
            isinstance(r, yamlsafe.Mapping)
            and not any(isinstance(v, dict | list) for v in r.values())
            for r in value
        )
        if not flat:
            error(line, "a list of rows, each a mapping of column: value", key=key)
            return _BAD
        return [dict(r) for r in value]
    if kind == "mapping":
        if not isinstance(value, yamlsafe.Mapping) or any(
            isinstance(v, dict | list) for v in value.values()
        ):
            error(line, "a mapping of column: value", key=key, value=value)
            return _BAD
        return dict(value)
    if kind == "names":
        values = value if isinstance(value, list) else [value]
        if not values or any(v is None or isinstance(v, dict | list | bool) for v in values):
            error(line, "one name or a list of names", key=key, value=value)
            return _BAD
        texts = [text_of(v) for v in values]
        return texts if isinstance(value, list) else texts[0]
    if kind == "flag":
        if not isinstance(value, bool):
            error(line, "true or false", key=key, value=value)
            return _BAD
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            error(line, "a number", key=key, value=value)
            return _BAD
        return value
    if kind == "seed":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            error(line, "a whole number of 0 or more", key=key, value=value)
            return _BAD
        return value
    if kind == "date":
        written = None if isinstance(value, dict | list | bool) else text_of(value)
        if value is not None and (written is None or iso_date(written) is None):
            error(line, DATE_FORMS, key=key, value=value)
            return _BAD
        return written
    if isinstance(value, dict | list | bool):
        error(line, "plain text", key=key, value=value)
        return _BAD
    return None if value is None else text_of(value)
