"""Progress bars on standard error for long steps, drawn only for a person at a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, Protocol, TextIO, cast

import click


class Advance(Protocol):
    """What `progress` yields: moves the bar on by ``steps``; ``total`` sets its length."""

    def __call__(self, steps: int = 1, total: int | None = None) -> None: ...


#: Seconds between two drawings of a bar: thousands of quick steps draw it a few times a second.
REDRAW_EVERY = 0.1

#: ``--quiet/-q`` of every command that shows progress.
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")


def _is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal (the tests replace this to fake one)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class _Terminal:
    """Standard error as a terminal for click, which then draws the bar in place.

    `progress` decided that it is one (`_is_terminal`); click would ask again and, asked of a
    stream it does not see as a terminal, would print the label alone.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def progress(
    label: str, *, total: int | None = None, quiet: bool = False, eta: bool = False
) -> Iterator[Advance]:
    """Show a progress bar on standard error while the block runs; yield its ``advance``.

    ``advance(steps=1, total=None)`` moves the bar on by ``steps``; a ``total`` given there
    sets the length of the bar, for work whose size only the library learns (the files in a
    folder, the measure families chosen). It fits the ``progress`` callbacks of the library:
    ``progress(steps)`` and ``progress(steps, total)``.

    The bar is drawn only when standard error is a terminal and ``quiet`` is false; otherwise
    ``advance`` does nothing and nothing at all is written (pipes, CI logs, ``-q``). Standard
    output is never touched.

    Parameters
    ----------
    label
        What runs, in German, e.g. ``"Kennzahlen"`` or ``"Pendlerdaten lesen"``.
    total
        The number of steps, when known before the work starts.
    quiet
        Draw nothing (``--quiet``).
    eta
        Show the time left, for steps that take about equally long (simulation runs); the
        measure families of a report do not.

    Examples
    --------
    >>> with progress("Kennzahlen", total=2) as advance:
    ...     advance()
    ...     advance(1, total=2)
    """
    stream = sys.stderr
    if quiet or not _is_terminal(stream):
        yield _nothing
        return
    with click.progressbar(
        length=total if total is not None else 0,
        label=label,
        file=cast(TextIO, _Terminal(stream)),
        show_pos=total is not None,  # "0/0" would say there is nothing to do
        show_eta=eta,
    ) as bar:
        pending, drawn = 0, 0.0

        def advance(steps: int = 1, total: int | None = None) -> None:
            nonlocal pending, drawn
            if total is not None and (total != bar.length or not bar.show_pos):
                bar.length, bar.show_pos = total, True
                bar.finished = bar.pos >= total
                if not steps:
                    bar.render_progress()
            pending += steps
            now = time.monotonic()
            done = bar.pos + pending >= (bar.length or 0)
            if pending and (done or now - drawn >= REDRAW_EVERY):
                bar.update(pending)
                pending, drawn = 0, now

        try:
            yield advance
        finally:
            if pending:
                bar.update(pending)


def _nothing(steps: int = 1, total: int | None = None) -> None:
    """The ``advance`` of a bar that is not drawn."""
