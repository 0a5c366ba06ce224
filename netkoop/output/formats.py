"""Output formats: the families of formats netkoop writes, their file endings, choosing one."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from types import MappingProxyType

from netkoop._errors import OutputError
from netkoop.output.files import Paths, check_file, is_stdout

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

#: One table (recommended ties): a CSV file, JSON records or an Excel workbook.
TABLE: Formats = MappingProxyType({"csv": (".csv",), "json": (".json",), "xlsx": (".xlsx",)})

#: Networks for other programs: Gephi (GEXF), visone and yEd (GraphML), Cytoscape (JSON).
GRAPH: Formats = MappingProxyType(
    {"gexf": (".gexf",), "graphml": (".graphml", ".xml"), "json": (".json", ".cyjs")}
)

#: Interactive pages.
PAGE: Formats = MappingProxyType({"html": (".html", ".htm")})

#: Formats that are written as text, so that ``-`` can send them to standard output.
TEXT = frozenset({"json", "markdown", "html", "gexf", "graphml", "csv"})


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file netkoop writes is spelt: separator, decimal mark, BOM and line ends."""

    name: str
    sep: str
    decimal: str
    bom: bool
    line_end: str


#: The CSV dialects netkoop writes: ``standard`` for programs (``,``, decimal point, UTF-8
#: without BOM, ``\n``), ``excel-de`` for German Excel to open with a double click (``;``,
#: decimal comma, UTF-8 with BOM, ``\r\n`` as Excel writes them). Neither keeps the leading
#: zeros of keys such as 01003 in Excel, which reads them as numbers whatever the file says.
CSV_DIALECTS: Mapping[str, CsvDialect] = MappingProxyType(
    {
        "standard": CsvDialect("standard", ",", ".", bom=False, line_end="\n"),
        "excel-de": CsvDialect("excel-de", ";", ",", bom=True, line_end="\r\n"),
    }
)

#: The environment variable that chooses the CSV dialect of the commands (``--csv`` wins).
CSV_SETTING = "NETKOOP_CSV"


def csv_dialect(name: str | CsvDialect) -> CsvDialect:
    """Return the CSV dialect of this name (one of `CSV_DIALECTS`).

    Raises
    ------
    OutputError
        When there is no dialect of this name.

    Examples
    --------
    >>> csv_dialect("excel-de").sep
    ';'
    """
    if isinstance(name, CsvDialect):
        return name
    try:
        return CSV_DIALECTS[name]
    except KeyError:
        raise OutputError(
            f"unknown CSV dialect {name!r}; dialects: {', '.join(CSV_DIALECTS)}"
        ) from None


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


def file_format(path: str | os.PathLike[str], formats: Formats, what: str) -> str:
    """Return the format the ending of ``path`` names among ``formats``, for an output that
    is always a file (a ``what``: a figure, a report) and takes no ``--format``.

    Raises
    ------
    OutputError
        When the ending names none of them, saying which endings a ``what`` takes.

    Examples
    --------
    >>> file_format("karte.PNG", {"png": (".png",), "pdf": (".pdf",)}, "figure")
    'png'
    """
    ending = PurePath(path).suffix.lower()
    for name, endings in formats.items():
        if ending in endings:
            return name
    listed = [e for endings in formats.values() for e in endings]
    named = ", ".join(listed[:-1]) + f" or {listed[-1]}" if len(listed) > 1 else listed[0]
    raise OutputError(
        f"{path}: a {what} is written as {named}; got {ending or 'no ending'!r}, so name a "
        "file with one of these endings"
    )


def check_file_format(
    path: str | os.PathLike[str],
    formats: Formats,
    what: str,
    *,
    overwrite: bool = False,
    protect: Paths = (),
) -> str:
    """Return `file_format` of ``path`` after checking that the file may be written there.

    Commands call it before they compute anything, so that a refusal costs no time.

    Raises
    ------
    OutputError
        When the ending names no format of ``formats``, the file exists without
        ``overwrite``, or is an input (see `netkoop.output.files`).
    """
    chosen = file_format(path, formats, what)
    check_file(Path(path), overwrite=overwrite, protect=protect)
    return chosen
