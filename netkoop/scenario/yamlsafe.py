"""A safe YAML reader that keeps official keys as text and remembers line numbers.

Plain PyYAML follows YAML 1.1: ``01001`` (the AGS of Flensburg) becomes the octal number 513,
``1:20`` becomes 80 and ``on``/``no`` become booleans. Scenario files hold official keys, so this
reader resolves only decimal numbers without leading zeros and the words true/false, refuses
every tag that would construct an object, reports duplicate keys, and records the line of each
mapping and each of its keys for messages. A malformed file is reported with its line, column,
the line as written and the likely cause (`netkoop.scenario.yamlerrors`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node
from yaml.reader import ReaderError

from netkoop._errors import DataFileError, not_a_file, shown
from netkoop.scenario.yamlerrors import YamlError, malformed, unbuildable, unreadable

__all__ = ["MAX_DEPTH", "Mapping", "YamlError", "parse"]

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"


class Mapping(dict[str, Any]):
    """A YAML mapping with the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Return the line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


#: Integers of a scenario file stay within 64 bits (seeds, counts, years).
_INT_LIMIT = 2**63

#: Scenario files nest a few levels; deeper nesting is refused with this limit.
MAX_DEPTH = 50

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Loader(yaml.SafeLoader):
    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Build a value; one that cannot be built as its tag says is a located problem."""
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError, KeyError) as exc:
            reason = (
                "not one of true, false, yes, no, on, off" if isinstance(exc, KeyError) else exc
            )
            raise ConstructorError(
                None,
                None,
                f"{_written(node)} cannot be read as {tag} ({reason})",
                node.start_mark,
            ) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
            raise ConstructorError(
                None,
                None,
                f"the number {_written(node)} is too large: numbers in a scenario file lie "
                "between -2^63 and 2^63",
                node.start_mark,
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise ConstructorError(
                None,
                None,
                f"{_written(node)} is not a finite number, which no field of a scenario takes",
                node.start_mark,
            )
        return value


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in {_INT, _FLOAT, _BOOL}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), None)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), None)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^[-+]?(?:0|[1-9][0-9]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$"
        r"|^[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+$"
    ),
    None,
)


def _written(node: Node) -> str:
    """A node's text for a message, cut short: a number may be written with thousands of digits."""
    text = node.value if isinstance(node.value, str) else shown(node.value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _construct_mapping(loader: _Loader, node: MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, dict | list):
            raise ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        key = str(key)
        if key in mapping:
            raise ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first on line {mapping.key_lines[key]})",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def parse_mapping_file(source: Path, label: str) -> Any:
    """Read and parse a small YAML settings file (an importer's or a survey's mapping file).

    Every failure is one `DataFileError` that starts with ``label`` (how messages name the
    file): a missing file, text that is not UTF-8, YAML that does not parse (with its line).

    Returns the document, None for an empty file.
    """
    if not source.is_file():
        raise DataFileError(f"{label}: the mapping file {not_a_file(source)}")
    try:
        return parse(source.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{label}: not UTF-8 text (byte {exc.start}); a mapping file is YAML"
        ) from None
    except YamlError as exc:
        where = f"{label}, line {exc.line}" if exc.line else label
        raise DataFileError(f"{where}: {exc.message}") from None


def parse(text: str) -> Any:
    """Parse one YAML document safely.

    Raises
    ------
    YamlError
        For malformed YAML, tags that would construct objects, or duplicate keys.

    Examples
    --------
    >>> parse("id: 01001\\nsince: 2019")
    {'id': '01001', 'since': 2019}
    >>> try:
    ...     parse("format_version: 1\\nkind:exchange\\nname: x")
    ... except YamlError as exc:
    ...     print(exc.line, exc.column)
    2 5
    """
    # A byte order mark is no part of the first line: marks and shown lines stay aligned.
    text = text.removeprefix("\ufeff")
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except RecursionError:
        raise YamlError(f"the YAML is nested deeper than {MAX_DEPTH} levels", None) from None
    except ConstructorError as exc:
        raise unbuildable(exc, text) from None
    except yaml.MarkedYAMLError as exc:
        raise malformed(exc, text) from None
    except ReaderError as exc:
        raise unreadable(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"malformed YAML: {exc}", None) from None
    _check_tree(doc, text)
    return doc


def _check_tree(doc: Any, text: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` and text that is no Unicode (lone surrogates).

    Aliases make the document a graph whose shared parts are visited once, so that an alias
    bomb (a few lines standing for billions of values) is checked in no time.
    """
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                escape = _ESCAPED_SURROGATE.search(text)
                line = text.count("\n", 0, escape.start()) + 1 if escape else None
                raise YamlError(
                    f"the text {value[:40]!r} holds a lone surrogate (an escape such as "
                    "\\ud800 that stands for no character)",
                    line,
                )
            continue
        if not isinstance(value, dict | list) or id(value) in seen:
            continue
        seen.add(id(value))
        if depth > MAX_DEPTH:
            raise YamlError(f"the YAML is nested deeper than {MAX_DEPTH} levels", None)
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        stack.extend((item, depth + 1) for item in items)
