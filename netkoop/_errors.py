"""Exceptions, the problem records that validation collects, and the wording they share."""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

#: The bidirectional marks, overrides and isolates (for a regular expression's character class):
#: they reorder what follows them on screen, so a name could show as something it is not.
BIDI_CONTROLS = "\u061c\u202a-\u202e\u2066-\u2069"


@dataclass(frozen=True)
class Problem:
    """One finding about a scenario: where it is, which field, the bad value and what is allowed.

    Parameters
    ----------
    severity
        ``"error"`` makes the scenario invalid; ``"warning"`` is an oddity worth a look.
    where
        File and position, e.g. ``"ties.csv, row 4"`` or ``"scenario.yaml, line 12"``.
    message
        What is wrong and what is allowed instead.
    field
        The column or key concerned, if any.
    value
        The offending value as written, if any.
    """

    severity: Severity
    where: str
    message: str
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        parts = [self.where]
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        if self.value is not None:
            parts.append(f"value {_quote(self.value)}")
        return f"{', '.join(parts)}: {self.message}"


def shown(value: object) -> str:
    """Render a bad value for a message, bounded in size however large or nested it is.

    YAML aliases can nest a small file into a value of billions of elements; ``reprlib``
    renders only the first few items of each level.
    """
    return value if isinstance(value, str) else _BOUNDED.repr(value)


class _BoundedRepr(reprlib.Repr):
    def repr_Mapping(self, value: dict[object, object], level: int) -> str:  # noqa: N802
        """Render netkoop's YAML mappings (a dict subclass) like dicts, bounded."""
        return self.repr_dict(value, level)


_BOUNDED = _BoundedRepr()


def not_a_file(path: Path) -> str:
    """Say why ``path``, which is not a regular file, cannot be read: the words after its name.

    A pipe or a device is never read (it may never end); a symbolic link that loops or leads
    nowhere is named as such, not as a missing file.
    """
    try:
        if path.is_dir():
            return "is a folder, not a file"
        if path.exists():
            return "is not a regular file (a pipe or a device), which netkoop does not read"
        if path.is_symlink():
            return "is a symbolic link that leads nowhere (its target is missing, or it loops)"
    except OSError as exc:  # a name too long for the file system, say
        return f"cannot be looked up ({exc.strerror})"
    return "does not exist"


def _quote(value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return repr(shown)


class NetkoopError(Exception):
    """Base class of every error netkoop raises on purpose."""


class ScenarioError(NetkoopError, ValueError):
    """A scenario cannot be loaded; ``problems`` lists every error found in one pass."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{source}: {len(errors)} error{'s' if len(errors) != 1 else ''}"
        super().__init__("\n".join([head, *(f"  {p}" for p in errors)]))

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the scenario invalid."""
        return [p for p in self.problems if p.severity == "error"]


class UnknownScenarioError(NetkoopError, LookupError):
    """A scenario name is neither a file nor a bundled scenario."""


class DataFileError(NetkoopError, ValueError):
    """An official data file (register, commuter statistics, polygons) cannot be read.

    The message names the file, the row or sheet, the field and the value where it can.
    """


class MetricsError(NetkoopError, ValueError):
    """A measure cannot be computed with the options given (unknown column, method, mode)."""


class NetworkEditError(NetkoopError, ValueError):
    """A what-if edit cannot be applied (unknown unit, no matching tie, invalid row)."""


class OutputError(NetkoopError, ValueError):
    """An output cannot go where it was asked to: it would replace, delete or write into
    something netkoop did not make (an input, a scenario, a folder holding other files)."""


class OutputExistsError(OutputError, FileExistsError):
    """An output path exists and overwriting was not asked for."""


class NetkoopWarning(UserWarning):
    """An oddity in a scenario that does not stop loading it."""
