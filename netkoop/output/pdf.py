"""PDF from HTML: WeasyPrint lays out HTML and CSS for print (A4 pages, page breaks, inline
images) in Python, with no browser to start, and gives the same bytes for the same input.

It needs the Pango library, which Linux desktops have and `WeasyPrint's install guide
<https://doc.courtbouillon.org/weasyprint/stable/first_steps.html>`_ describes for Windows
and macOS. Without it, write HTML and print it from a browser.

This module imports nothing heavy, so that the process a `Printer` spawns starts quickly.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from netkoop._errors import NetkoopError


def html_pdf(text: str) -> bytes:
    """HTML text printed to PDF by WeasyPrint, its log kept quiet.

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
        data: bytes = weasyprint.HTML(string=text).write_pdf()
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
    return data


#: A page that loads WeasyPrint's fonts and styles, printed while the caller works.
_WARM_UP = "<!DOCTYPE html><html><body><p>netkoop</p></body></html>"


class Printer:
    """Prints HTML to PDF in a second process that loads WeasyPrint in the meantime.

    Loading WeasyPrint and its fonts takes about as long as measuring a national network;
    a command that will write a PDF opens a printer first, so that both happen at once, on
    two cores. The process is spawned (not forked), so it shares no state with the caller;
    it ends with the ``with`` block.

    Examples
    --------
    >>> with Printer() as printer:
    ...     pdf = printer.pdf("<p>Kreistag</p>")
    >>> pdf[:5]
    b'%PDF-'
    """

    def __enter__(self) -> Printer:
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self._ready = self._pool.submit(html_pdf, _WARM_UP)
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def pdf(self, text: str) -> bytes:
        """The HTML text printed to PDF (the same bytes as `html_pdf`).

        Raises
        ------
        NetkoopError
            When WeasyPrint or the Pango library it needs is missing.
        """
        self._ready.result()  # a missing WeasyPrint raises here, with its message
        return self._pool.submit(html_pdf, text).result()
