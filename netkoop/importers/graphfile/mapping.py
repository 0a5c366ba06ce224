"""Which attribute of a graph file holds which column of netkoop's tables, and the defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netkoop._errors import DataFileError, Problem, shown
from netkoop.model.vocabulary import (
    TIE_KINDS,
    UNIT_KINDS,
    closest,
    fold,
    normalize_tie_kind,
    normalize_unit_kind,
)
from netkoop.scenario import yamlsafe
from netkoop.scenario.document import display_path

#: The kind of edge that stands for commuter flows; such edges become flows, not ties.
COMMUTING = "commuting"


@dataclass(frozen=True)
class GraphMapping:
    """Where a graph file keeps what netkoop needs, and what to assume where it keeps nothing.

    Every ``*_from`` names a node (or edge) attribute; besides the file's own attributes,
    ``id`` and ``label`` (and on edges ``kind``, ``weight``, ``interaction``) name the
    format's own fields. The same settings can be written in a YAML file (`read_mapping`) and
    given on the command line (``--kind-from typ``).

    Parameters
    ----------
    id_from
        The attribute with the unit id (default: the node id).
    name_from
        The attribute with the unit's name (default: ``name``, else the node label).
    kind_from, land_from
        The attributes with the unit kind and the Land (default: ``kind`` and ``land``).
    tie_kind_from
        The edge attribute with the tie kind (default: ``kind``, else GEXF's edge kind or
        Cytoscape's interaction).
    commuters_from
        The edge attribute with the commuters of a flow (default: ``commuters``, else the
        edge weight).
    unit_kind, tie_kind, land
        The unit kind, tie kind and Land of nodes and edges that have none.
    flow_kinds
        Further edge kinds that become flows, besides ``commuting``.
    unit_kinds, tie_kinds
        The file's own words for kinds, each with the netkoop kind it means (a tie kind may
        be ``commuting``); netkoop's German words are understood without them.
    units, ties
        Further columns: netkoop column (or a new one) → the attribute that holds it.

    Examples
    --------
    >>> GraphMapping(kind_from="typ").unit_columns()["kind"]
    'typ'
    """

    id_from: str | None = None
    name_from: str | None = None
    kind_from: str | None = None
    land_from: str | None = None
    tie_kind_from: str | None = None
    commuters_from: str | None = None
    unit_kind: str | None = None
    tie_kind: str | None = None
    land: str | None = None
    flow_kinds: tuple[str, ...] = ()
    unit_kinds: Mapping[str, str] = field(default_factory=dict)
    tie_kinds: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    ties: Mapping[str, str] = field(default_factory=dict)

    def with_options(self, **options: Any) -> GraphMapping:
        """Return the mapping with the options that are given (not None, not empty) set."""
        given = {k: v for k, v in options.items() if v is not None and v not in ((), {})}
        return dataclasses.replace(self, **given)

    def unit_columns(self) -> dict[str, str]:
        """netkoop unit column → the attribute named for it."""
        named = {"id": self.id_from, "name": self.name_from, "kind": self.kind_from}
        named["land"] = self.land_from
        return {**self.units, **{k: v for k, v in named.items() if v is not None}}

    def tie_columns(self) -> dict[str, str]:
        """netkoop tie column → the attribute named for it."""
        named = {"kind": self.tie_kind_from} if self.tie_kind_from else {}
        return {**self.ties, **named}

    def unit_kind_of(self, word: str) -> str:
        """The kind the file's word means by `unit_kinds`, else the word itself."""
        return _lookup(self.unit_kinds, word)

    def tie_kind_of(self, word: str) -> str:
        """The tie kind the file's word means by `tie_kinds`, else the word itself."""
        return _lookup(self.tie_kinds, word)

    def is_flow(self, kind: str) -> bool:
        """Tell whether edges of this kind (after `tie_kind_of`) are commuter flows."""
        return fold(kind) in {fold(COMMUTING), *(fold(k) for k in self.flow_kinds)}

    def check(self) -> None:
        """Raise `DataFileError` when a default or a word names no kind netkoop knows."""
        problems = []
        if self.unit_kind is not None and normalize_unit_kind(self.unit_kind) is None:
            problems.append(_unknown("unit_kind", "--unit-kind", self.unit_kind, units=True))
        tie_kind = self.tie_kind
        if (
            tie_kind is not None
            and normalize_tie_kind(tie_kind) is None
            and not self.is_flow(tie_kind)
        ):
            problems.append(_unknown("tie_kind", "--tie-kind", tie_kind, units=False))
        for word, kind in self.unit_kinds.items():
            if normalize_unit_kind(kind) is None:
                problems.append(_unknown(f"unit_kinds: {word}", None, kind, units=True))
        for word, kind in self.tie_kinds.items():
            if normalize_tie_kind(kind) is None and not self.is_flow(kind):
                problems.append(_unknown(f"tie_kinds: {word}", None, kind, units=False))
        if problems:
            raise DataFileError("\n".join(problems))


def _lookup(words: Mapping[str, str], word: str) -> str:
    if not words:
        return word
    folded = {fold(k): v for k, v in words.items()}
    return words.get(word) or folded.get(fold(word)) or word


def _unknown(setting: str, option: str | None, value: str, *, units: bool) -> str:
    kinds = UNIT_KINDS if units else (*TIE_KINDS, COMMUTING)
    close = closest("kind (units)" if units else "kind (ties)", value)
    hint = f"did you mean '{close}'? " if close else ""
    named = f"{setting} ({option})" if option else setting
    noun = "unit kind" if units else "tie kind"
    return f"{named} {value!r}: not a {noun}; {hint}allowed: {', '.join(kinds)}"


#: The keys of a mapping file: the fields of `GraphMapping` (``-`` may stand for ``_``).
_TEXT = (
    "id_from",
    "name_from",
    "kind_from",
    "land_from",
    "tie_kind_from",
    "commuters_from",
    "unit_kind",
    "tie_kind",
    "land",
)
_WORDS = ("unit_kinds", "tie_kinds", "units", "ties")
KEYS = (*_TEXT, "flow_kinds", *_WORDS)


def read_mapping(path: str | Path) -> GraphMapping:
    """Read a mapping file: YAML with the fields of `GraphMapping`.

    ::

        kind_from: typ
        tie_kind: exchange
        flow_kinds: [pendeln]
        tie_kinds: {Kooperation: joint_project}
        units: {population: Einwohner}

    Raises
    ------
    DataFileError
        When the file cannot be read, is no YAML mapping, has an unknown key, a value of the
        wrong form, or names a kind netkoop does not know; each problem with its line.
    """
    source = Path(path)
    label = display_path(source)
    doc = yamlsafe.parse_mapping_file(source, label)
    if doc is None:
        return GraphMapping()
    if not isinstance(doc, yamlsafe.Mapping):
        raise DataFileError(
            f"{label}: a mapping file is a YAML mapping (kind_from: typ, ...); allowed keys: "
            + ", ".join(KEYS)
        )
    problems: list[str] = []
    fields: dict[str, Any] = {}

    def bad(key: str, message: str, value: object = None) -> None:
        text = None if value is None else shown(value)
        problems.append(
            str(Problem("error", f"{label}, line {doc.line_of(key)}", message, key, text))
        )

    for key, value in doc.items():
        name = str(key).replace("-", "_")
        if name not in KEYS:
            bad(key, f"unknown key; allowed: {', '.join(KEYS)}")
        elif name in _TEXT:
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                fields[name] = str(value).strip()
            else:
                bad(key, "expected an attribute name or a word (text)", value)
        elif name == "flow_kinds":
            items = [value] if isinstance(value, str) else value
            if isinstance(items, list) and all(isinstance(v, str) for v in items):
                fields[name] = tuple(items)
            else:
                bad(key, "expected a list of edge kinds, e.g. [pendeln]", value)
        elif isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
            for k, v in value.items()
        ):
            fields[name] = {str(k): str(v) for k, v in value.items()}
        else:
            shape = "netkoop column: attribute" if name in {"units", "ties"} else "word: kind"
            bad(key, f"expected a mapping ({shape})", value)
    if problems:
        raise DataFileError("\n".join(problems))
    mapping = GraphMapping(**fields)
    try:
        mapping.check()
    except DataFileError as exc:
        raise DataFileError(f"{label}: {exc}") from None
    return mapping
