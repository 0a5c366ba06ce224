"""What a graph file holds, whatever its format: nodes and edges with their values as read."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

#: How a file declares an attribute: text, whole numbers, numbers, or true/false.
AttrType = Literal["text", "int", "float", "bool"]

#: The value of an attribute as the file holds it: text (XML), or a JSON value.
Raw = str | int | float | bool | list[object] | dict[str, object] | None


@dataclass
class Element:
    """One node or edge as read.

    ``position`` counts the file's nodes (or edges) from 1; ``line`` is where the element
    starts in an XML file. ``attrs`` holds the attributes by name; ``native`` the fields of
    the format itself that a mapping may name too (``label``, GEXF's edge ``kind`` and
    ``weight``, Cytoscape's ``interaction``).
    """

    position: int
    line: int | None
    id: str | None
    attrs: dict[str, Raw] = field(default_factory=dict)
    native: dict[str, Raw] = field(default_factory=dict)
    source: str | None = None
    target: str | None = None
    directed: bool | None = None

    def get(self, name: str) -> Raw:
        """The value of attribute ``name``, else of the native field of that name."""
        if name in self.attrs:
            return self.attrs[name]
        if name == "id":
            return self.id
        return self.native.get(name)


@dataclass
class GraphFile:
    """A graph file read: its nodes and edges, declared attribute types, and what it says.

    ``node_types`` and ``edge_types`` list the attributes in the order the file declares
    them (JSON: in the order its elements name them), with their types. ``metadata`` holds
    the scenario's name, title, dates and sources where the file states them.
    """

    label: str
    format: str
    writer: str | None
    nodes: list[Element]
    edges: list[Element]
    node_types: dict[str, AttrType]
    edge_types: dict[str, AttrType]
    metadata: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lines: bool = True  # XML: elements are named by line; JSON: by their place in the list
    netkoop: bool = False  # written by netkoop's own export
    #: The exact lines of elements by (kind, id), for lines where the parser's are not exact.
    exact_lines: Callable[[], dict[tuple[str, str], int]] | None = None
    _exact: dict[tuple[str, str], int] | None = field(default=None, repr=False)

    def where(self, kind: Literal["node", "edge"], position: int) -> str:
        """Name the ``position``-th node or edge (from 1) for a message.

        >>> f = GraphFile("a.gexf", "GEXF", None, [Element(1, 7, "03254")], [], {}, {})
        >>> f.where("node", 1)
        "a.gexf, line 7, node '03254'"
        """
        items = self.nodes if kind == "node" else self.edges
        element = items[position - 1]
        named = f"{kind} {element.id!r}" if element.id is not None else f"{kind} {position}"
        if self.lines and element.line is not None:
            return f"{self.label}, line {self.line_of(kind, element)}, {named}"
        return f"{self.label}, {named} (elements.{kind}s[{position - 1}])"

    def line_of(self, kind: str, element: Element) -> int | None:
        """The line an element starts on.

        libxml2 counts lines past 65,534 only roughly (one too many, in its 2.14), so those
        are looked up in the file's text, once, when a message needs one.
        """
        line = element.line
        if line is None or line < LINE_LIMIT or self.exact_lines is None or element.id is None:
            return line
        if self._exact is None:
            self._exact = self.exact_lines()
        return self._exact.get((kind, element.id), line)


#: The first line whose number libxml2 does not keep exactly.
LINE_LIMIT = 65535


def text_of(value: Raw) -> str | None:
    """A value as text, stripped; None for a missing or empty one.

    >>> text_of("  03254 "), text_of(""), text_of(12), text_of(True), text_of(["a", "b"])
    ('03254', None, '12', 'true', 'a; b')
    """
    if type(value) is str:  # the common case, first
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    if isinstance(value, list):
        return "; ".join(t for t in map(text_of, value) if t is not None) or None  # type: ignore[arg-type]
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip() or None


_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def typed(value: Raw, declared: AttrType, *, whole: bool = False) -> tuple[str | None, str | None]:
    """Return a value as the text netkoop's tables read, and the problem when it is no value
    of its declared type.

    Numbers become plain text that reads one way only (``1.0E-4`` → ``0.0001``); with
    ``whole``, a whole number is written without a decimal point, as counts are. A number
    that is not a number (NaN) is missing.

    >>> typed("1.0E-4", "float"), typed("12", "float"), typed("12.0", "float", whole=True)
    (('0.0001', None), ('12.0', None), ('12', None))
    >>> typed("zwölf", "int")
    (None, "not a number, though the file declares the attribute as 'int'")
    """
    if declared == "text":
        return text_of(value), None
    if isinstance(value, bool):
        number: float | int | None = None
        if declared == "bool":
            return ("true" if value else "false"), None
    elif isinstance(value, int | float):
        number = value
    else:
        text = text_of(value)
        if text is None:
            return None, None
        if declared == "bool":
            lower = text.lower()
            if lower in _TRUE | _FALSE:
                return ("true" if lower in _TRUE else "false"), None
            return None, "not true or false, though the file declares the attribute as 'bool'"
        number = _number(text)
    if number is None:
        return None, f"not a number, though the file declares the attribute as {declared!r}"
    if isinstance(number, float):
        if math.isnan(number):
            return None, None
        if math.isinf(number):
            return None, "not a finite number"
        if declared == "int" or whole:
            if number % 1 == 0:
                return str(int(number)), None
            if declared == "int":
                return None, "not a whole number, though the file declares the attribute as 'int'"
        return repr(number), None
    if declared == "float" and not whole:
        return repr(float(number)), None
    return str(number), None


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace("INF", "inf"))
    except ValueError:
        return None


def json_type(values: list[Raw]) -> AttrType:
    """The type a JSON column holds: bool, int or float where every value is one, else text.

    >>> json_type([1, None, 2]), json_type([1, 2.5]), json_type([True]), json_type(["1", 2])
    ('int', 'float', 'bool', 'text')
    """
    found = {type(v) for v in values if v is not None}
    if not found:
        return "text"
    if found == {bool}:
        return "bool"
    if found == {int}:
        return "int"
    if found <= {int, float}:
        return "float"
    return "text"
