"""Edit a scenario file in place: point one table at a file, add credits and a reference date.

Imports change a hand-written scenario file this way. Only the lines of the keys that change
are touched (the table's key, and ``sources`` and ``reference_date`` when they must grow); every
other line stays byte for byte, comments, key order, inline tables and ``interventions:``
included. A YAML round-trip dumper rewrites the whole file in one style (sequence indents,
comment spacing), so the edit is made on the text, at the lines the YAML reader located. A
file whose layout this cannot edit (a top-level flow mapping, say) gets an `EditError` that
lists the exact lines to add by hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from netkoop._errors import NetkoopError
from netkoop.model.folder import FORMAT_VERSION, HEADER
from netkoop.model.metadata import Credit
from netkoop.scenario import yamlsafe

_TOP_KEY = re.compile(r"^[^\s#\-][^:]*:")
_ITEM = re.compile(r"^(\s*)- ")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class EditError(NetkoopError):
    """A scenario file cannot be edited in place; the message lists the lines to add by hand."""


@dataclass(frozen=True)
class TableEdit:
    """What an import changes in a scenario file.

    Attributes
    ----------
    table
        The section to point at the file: ``units``, ``flows`` or ``borders``.
    file
        The table file, relative to the scenario file.
    credits
        Credits the scenario must carry (those it has already are not added twice).
    reference_date
        The date the data describes; set only when the scenario states none.
    """

    table: str
    file: str
    credits: tuple[Credit, ...] = ()
    reference_date: str | None = None


def new_scenario_text(name: str, edit: TableEdit) -> str:
    """Return the scenario file of a new scenario that holds one table.

    Examples
    --------
    >>> text = new_scenario_text("deutschland", TableEdit("units", "units.csv"))
    >>> text.splitlines()[1:]
    ['format_version: 1', 'name: deutschland', 'units:', '  file: units.csv']
    """
    start = f"{HEADER}format_version: {FORMAT_VERSION}\n{_line('name', name)}"
    return edit_scenario_text(start, edit, known=())


def edit_scenario_text(text: str, edit: TableEdit, *, known: Sequence[Credit]) -> str:
    """Return ``text`` with the table pointed at ``edit.file`` and credits and date added.

    ``known`` are the credits the scenario has (its own and those of what it extends).

    Raises
    ------
    EditError
        When the file is not a block mapping at the top level, so that its lines cannot be
        told apart; the message gives the lines to add.

    Examples
    --------
    >>> text = "format_version: 1  # netkoop\\nunits: {file: einheiten.csv}\\n# Pendler:\\n"
    >>> print(edit_scenario_text(text, TableEdit("flows", "flows.csv"), known=()), end="")
    format_version: 1  # netkoop
    units: {file: einheiten.csv}
    # Pendler:
    flows:
      file: flows.csv
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    doc = yamlsafe.parse(text) if text.strip() else yamlsafe.Mapping()
    table_lines = [f"{edit.table}:\n", f"  file: {_scalar(edit.file)}\n"]
    missing = [c for c in edit.credits if c not in known]
    date_line = (
        [_line("reference_date", edit.reference_date)]
        if edit.reference_date and not doc.get("reference_date")
        else []
    )
    if not isinstance(doc, yamlsafe.Mapping) or not _block_mapping(lines, doc):
        wanted = [*table_lines, *date_line]
        if missing:
            wanted += ["sources:\n", *(_item("  - ", c) for c in missing)]
        raise EditError(
            "the scenario file is not a plain block mapping, so netkoop does not edit it; "
            "add these lines yourself (replacing any '"
            + edit.table
            + ":' entry):\n"
            + "".join(f"    {line}" for line in wanted).rstrip()
        )
    edits: list[tuple[int, int, list[str]]] = []  # (first line, end line, new lines), 0-based
    if edit.table in doc:
        first, end = _span(lines, doc.line_of(edit.table) - 1)
        edits.append((first, end, table_lines))
    else:
        at = _before(lines, doc, "interventions")
        edits.append((at, at, table_lines))
    if missing:
        edits.append(_add_credits(lines, doc, missing))
    if date_line:
        anchor = next((k for k in ("title", "name", "format_version") if k in doc), None)
        after = _span(lines, doc.line_of(anchor) - 1)[1] if anchor else 0
        edits.append((after, after, date_line))
    for first, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[first:end] = new
    return "".join(lines)


def _block_mapping(lines: list[str], doc: yamlsafe.Mapping) -> bool:
    """Tell whether every top-level key starts a line of its own at column 0."""
    for key in doc:
        line = lines[doc.line_of(key) - 1] if 0 < doc.line_of(key) <= len(lines) else ""
        if not line.startswith(key) or not _TOP_KEY.match(line):
            return False
    return True


def _span(lines: list[str], first: int) -> tuple[int, int]:
    """The lines of the top-level key on line ``first``: up to the last line of its value.

    The value is every indented line after the key and the items of a block list written
    at column 0 (``- name: …``, as PyYAML writes lists). Blank lines and comments at column 0
    after the value belong to what follows.
    """
    end = first + 1
    last = first + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line[0].isspace() and not _ITEM.match(line):
            break
        if line.strip():
            last = end + 1
        end += 1
    return first, last


def _before(lines: list[str], doc: yamlsafe.Mapping, key: str) -> int:
    """The line to insert a new top-level key at: before ``key`` and its comments, or the end."""
    if key not in doc:
        return len(lines)
    at = doc.line_of(key) - 1
    while at > 0 and lines[at - 1].startswith("#"):
        at -= 1
    return at


def _add_credits(
    lines: list[str], doc: yamlsafe.Mapping, credits: list[Credit]
) -> tuple[int, int, list[str]]:
    if "sources" not in doc:
        at = _before(lines, doc, "interventions")
        return at, at, ["sources:\n", *(_item("  - ", c) for c in credits)]
    first, end = _span(lines, doc.line_of("sources") - 1)
    items = [m.group(1) for line in lines[first + 1 : end] if (m := _ITEM.match(line))]
    if isinstance(doc["sources"], list) and items:
        # A block list: the new items go after the last line of the list, indented alike.
        return end, end, [_item(f"{items[0]}- ", c) for c in credits]
    # A list in flow style or an empty key: rewritten as a block list, old items first.
    old = doc["sources"] if isinstance(doc["sources"], list) else []
    kept = [f"  - {_flow(_plain(item))}\n" for item in old]
    return first, end, ["sources:\n", *kept, *(_item("  - ", c) for c in credits)]


def _plain(value: object) -> object:
    """A value read from YAML as plain dicts and lists (the reader's carry line numbers)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _item(prefix: str, credit: Credit) -> str:
    return f"{prefix}{_flow(credit.as_dict())}\n"


def _flow(value: object) -> str:
    """One value as single-line YAML (flow style), quoted where YAML needs it."""
    written = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    )
    return written.removesuffix("\n...\n").strip()


def _scalar(value: str) -> str:
    return _flow(value)


def _line(key: str, value: str) -> str:
    # A date is written plain (2023-12-31), as netkoop writes scenario files and people do.
    written = value if _DATE.fullmatch(value) else _scalar(value)
    return f"{key}: {written}\n"
