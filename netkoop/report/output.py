"""Write a report: HTML as it is, PDF printed from it by WeasyPrint.

WeasyPrint lays out HTML and CSS for print (A4 pages, page breaks, inline images) in Python,
with no browser to start; it needs the Pango library, which Linux desktops have and
`WeasyPrint's install guide <https://doc.courtbouillon.org/weasyprint/stable/first_steps.html>`_
describes for Windows and macOS. Without it, write HTML and print it from a browser: the
document's print styles give the same A4 pages.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from netkoop._errors import NetkoopError, OutputError
from netkoop.output.files import Paths, check_file, write_file, write_text
from netkoop.report.document import Document

#: The formats of a report, with their file endings.
REPORT_FORMATS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"html": (".html", ".htm"), "pdf": (".pdf",)}
)


def check_report(path: str | Path, *, overwrite: bool = False, protect: Paths = ()) -> str:
    """Return the format of a report written to ``path`` (``html`` or ``pdf``), after checking
    that it may go there; commands call it before they measure anything.

    Raises
    ------
    OutputError
        When the ending names no report format, or the file may not be written.
    """
    ending = Path(path).suffix.lower()
    chosen = next((name for name, ends in REPORT_FORMATS.items() if ending in ends), None)
    if chosen is None:
        raise OutputError(
            f"{path}: a report is written as .html (for browsers, prints to A4) or .pdf; "
            f"got {ending or 'no ending'!r}"
        )
    check_file(Path(path), overwrite=overwrite, protect=protect)
    return chosen


def pdf_of(document: Document) -> bytes:
    """Print the document to PDF with WeasyPrint.

    Raises
    ------
    NetkoopError
        When WeasyPrint or the Pango library it needs is missing.
    """
    try:
        weasyprint = importlib.import_module("weasyprint")
    except (ImportError, OSError) as error:  # OSError: Pango is missing
        raise NetkoopError(
            "a PDF report needs WeasyPrint (pip install 'netkoop[pdf]') and the Pango library "
            f"it uses ({error}); or write bericht.html and print it from a browser"
        ) from None
    quiet = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.ERROR)
    try:
        data: bytes = weasyprint.HTML(string=document.html()).write_pdf()
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
    return data


def write_report(
    document: Document, path: str | Path, *, overwrite: bool = False, protect: Paths = ()
) -> Path:
    """Write the document as HTML or PDF, as the ending of ``path`` says; whole or not at all.

    Raises
    ------
    NetkoopError
        When the format is unknown, the file may not be written, or PDF cannot be made.
    """
    chosen = check_report(path, overwrite=overwrite, protect=protect)
    if chosen == "pdf":
        return write_file(path, pdf_of(document), overwrite=overwrite, protect=protect)
    write_text(path, document.html(), overwrite=overwrite, protect=protect)
    return Path(path)
