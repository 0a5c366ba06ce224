"""Output formats: the families of formats netkoop writes, their file endings, choosing one."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import PurePath
from types import MappingProxyType

from netkoop._errors import OutputError
from netkoop.output.files import is_stdout

Formats = Mapping[str, tuple[str, ...]]

#: Reports of measures (metrics, compare, simulate): a CSV folder (one file per table, its
#: name without an ending or ending in .csv), JSON, Markdown or an Excel workbook.
REPORT: Formats = MappingProxyType(
    {
        "csv": ("", ".csv"),
        "json": (".json",),
        "markdown": (".md", ".markdown"),
        "xlsx": (".xlsx",),
    }
)

#: One table (recommended ties): a CSV file or JSON records.
TABLE: Formats = MappingProxyType({"csv": (".csv",), "json": (".json",)})

#: Networks for other programs: Gephi (GEXF), visone and yEd (GraphML), Cytoscape (JSON).
GRAPH: Formats = MappingProxyType(
    {"gexf": (".gexf",), "graphml": (".graphml", ".xml"), "json": (".json", ".cyjs")}
)

#: Interactive pages.
PAGE: Formats = MappingProxyType({"html": (".html", ".htm")})

#: Formats that are written as text, so that ``-`` can send them to standard output.
TEXT = frozenset({"json", "markdown", "html", "gexf", "graphml", "csv"})


def choose_format(
    path: str | os.PathLike[str],
    given: str | None,
    formats: Formats,
    *,
    option: str = "--format",
    strict: bool = False,
) -> str:
    """Return the format to write ``path`` in: ``given``, or else the one its ending names.

    Parameters
    ----------
    path
        The output (``-`` for standard output).
    given
        The format asked for, if any.
    formats
        The formats this output may have, each with its file endings (`REPORT`, `GRAPH`...).
    option
        How the user names a format, for messages.
    strict
        Refuse a file whose ending does not fit ``given`` (an export named ``x.gexf`` that
        is not GEXF would mislead every program that opens it).

    Raises
    ------
    OutputError
        When ``given`` is not one of ``formats``, the ending names none of them, or (with
        ``strict``) does not fit ``given``.

    Examples
    --------
    >>> choose_format("bericht.markdown", None, REPORT)
    'markdown'
    >>> choose_format("-", "json", REPORT)
    'json'
    """
    suffix = PurePath(path).suffix.lower()
    if given is not None:
        if given not in formats:
            raise OutputError(f"unknown format {given!r}; formats: {', '.join(formats)}")
        if strict and not is_stdout(path) and suffix not in formats[given]:
            endings = " or ".join(s for s in formats[given] if s)
            raise OutputError(f"{path}: a {given} file ends with {endings}; choose a matching name")
        return given
    if is_stdout(path):
        if len(formats) == 1:
            return next(iter(formats))
        raise OutputError(
            f"name the format with {option} to write to standard output ({', '.join(formats)})"
        )
    for name, suffixes in formats.items():
        if suffix in suffixes:
            return name
    endings = " or ".join(s for suffixes in formats.values() for s in suffixes if s)
    raise OutputError(
        f"{path}: cannot tell the format from the ending; use {option} or a name ending in "
        f"{endings}"
    )
