"""Read XML graph files safely and as a stream: no entities, no network, elements freed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from netkoop._errors import DataFileError


def ends(path: Path, label: str, root: str, tags: tuple[str, ...]) -> Iterator[Any]:
    """Yield the elements ``tags`` (local names) as each ends, streamed, and then the root.

    Only ends are reported (half the work of starts and ends); an element's ancestors, with
    their attributes, are there when it ends.

    The parser resolves no entities, loads no DTD and never touches the network, so a file
    cannot make netkoop read other files or expand an entity bomb. The root element must be
    ``root`` (in any namespace).

    Raises
    ------
    DataFileError
        When the file is not well-formed XML (naming the line) or its root is another one.
    """
    wanted = tuple(f"{{*}}{tag}" for tag in (root, *tags))  # the root ends last
    if path.stat().st_size == 0:
        raise DataFileError(f"{label}: the file is empty; expected <{root}> XML")
    with path.open("rb") as stream:
        parser = etree.iterparse(
            stream,
            events=("end",),
            tag=wanted,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        first = True
        try:
            for _, element in parser:
                if first:
                    first = False
                    _check_root(element.getroottree().getroot(), label, root)
                yield element
        except etree.XMLSyntaxError as exc:
            raise _malformed(label, exc) from None
        if first:
            _check_root(parser.root, label, root)


def _check_root(element: Any, label: str, root: str) -> None:
    found = local(element) if element is not None else None
    if found != root:
        known = {"gexf": "GEXF (Gephi)", "graphml": "GraphML (visone, yEd)"}
        what = f" a {known[found]} file," if found in known else ""
        raise DataFileError(
            f"{label}: the root element is <{found}>, not <{root}>:{what} not what its name "
            f"ending says; rename it (.gexf, .graphml) or export it again"
        )


def _malformed(label: str, exc: etree.XMLSyntaxError) -> DataFileError:
    line = exc.lineno or (exc.position[0] if exc.position else None)
    message = str(exc.msg or exc).strip()
    # libxml2 appends the place to its message; the line is said once, in front.
    message = message.split(", line ")[0]
    where = f"{label}, line {line}" if line else label
    return DataFileError(f"{where}: not well-formed XML ({message}); the file cannot be read")


def local(element: Any) -> str:
    """The element's name without its namespace."""
    return str(element.tag).rpartition("}")[2]


def free(element: Any) -> None:
    """Drop an element that has been read, and the siblings read before it, from memory."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def children(element: Any, name: str) -> Iterator[Any]:
    """The child elements called ``name`` (in any namespace)."""
    return element.iterchildren(f"{{*}}{name}")  # type: ignore[no-any-return]


def text(element: Any) -> str:
    """The text inside an element (CDATA included), stripped."""
    return "".join(element.itertext()).strip()


_START = re.compile(rb"""<(?:[\w.-]+:)?(node|edge)\b[^>]*?\sid\s*=\s*(["'])(.*?)\2""", re.DOTALL)


def start_lines(path: Path) -> dict[tuple[str, str], int]:
    """The line of each node and edge start tag, by (kind, id), read from the file's bytes.

    The first tag of an id counts; a tag inside a comment may count too (it would be read
    as the start of the element of that id only when the real one comes later).
    """
    found: dict[tuple[str, str], int] = {}
    data = path.read_bytes()
    line, at = 1, 0
    for match in _START.finditer(data):
        line += data.count(b"\n", at, match.start())
        at = match.start()
        ident = html.unescape(match.group(3).decode("utf-8", "replace"))
        found.setdefault((match.group(1).decode(), ident), line)
    return found
