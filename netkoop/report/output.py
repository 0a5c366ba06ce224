"""Write a report: HTML as it is, PDF printed from it by WeasyPrint (`netkoop.output.pdf`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from netkoop.output.files import Paths, write_file, write_text
from netkoop.output.formats import check_file_format
from netkoop.output.pdf import Printer, html_pdf
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
    return check_file_format(path, REPORT_FORMATS, "report", overwrite=overwrite, protect=protect)


def pdf_of(document: Document) -> bytes:
    """Print the document to PDF with WeasyPrint (`netkoop.output.pdf`).

    Raises
    ------
    NetkoopError
        When WeasyPrint or the Pango library it needs is missing.
    """
    return html_pdf(document.html())


def write_report(
    document: Document,
    path: str | Path,
    *,
    overwrite: bool = False,
    protect: Paths = (),
    printer: Printer | None = None,
) -> Path:
    """Write the document as HTML or PDF, as the ending of ``path`` says; whole or not at all.

    ``printer`` prints the PDF (a `Printer` opened before the report was measured); without
    it, this process does.

    Raises
    ------
    NetkoopError
        When the format is unknown, the file may not be written, or PDF cannot be made.
    """
    chosen = check_report(path, overwrite=overwrite, protect=protect)
    if chosen == "pdf":
        html = document.html()
        pdf = html_pdf(html) if printer is None else printer.pdf(html)
        return write_file(path, pdf, overwrite=overwrite, protect=protect)
    write_text(path, document.html(), overwrite=overwrite, protect=protect)
    return Path(path)
