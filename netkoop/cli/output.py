"""Formatting helpers shared by the commands: problem lists, plain-text tables, safe text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import click

from netkoop._errors import BIDI_CONTROLS, Problem

# Control characters (all but tab and newline): a title or name holding ESC sequences would
# otherwise move the cursor, clear the screen or retitle the terminal; bidirectional controls
# would reorder what follows them ("Trojan source").
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def clean(text: object) -> str:
    r"""Return text for the terminal: control characters written as ``\x1b`` or ``\u202e``.

    >>> clean("Süd\x1b[2J")
    'Süd\\x1b[2J'
    >>> clean("Nord\u202eroN")
    'Nord\\u202eroN'
    """
    return _CONTROL.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def print_problems(problems: Iterable[Problem], *, err: bool = False) -> None:
    """Print problems one per line, errors first, each with its place, field and value."""
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    for problem in ordered:
        label = click.style(
            f"{problem.severity:<7}", fg="red" if problem.severity == "error" else "yellow"
        )
        click.echo(f"  {label} {clean(problem)}", err=err)


def table(rows: Sequence[Sequence[object]], header: Sequence[str], lang: str = "en") -> str:
    """Format rows as a plain-text table with right-aligned numbers (1.000 in German)."""
    cells = [[count(v, lang) if isinstance(v, int) else _cell(v) for v in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)
    ]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) and bool(rows)
        for i in range(len(header))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _cell(value: object) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return clean(value)


def count(value: int, lang: str = "en") -> str:
    """A whole number as people in ``lang`` write it: 1,234 or 1.234.

    >>> count(45120, "de"), count(45120)
    ('45.120', '45,120')
    """
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "de" else text
