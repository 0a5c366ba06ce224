"""Rows as they were read, and where each came from: the blocks that tables are checked from.

A block holds the rows of one table read from one place (an inline YAML list, a CSV or Excel
file, a DataFrame given in Python) with every cell as text, so that one set of checks types
them and every problem can name its file and row.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netkoop.model.numbers import Reading


@dataclass(frozen=True)
class Origin:
    """Where the rows of one block come from: a file and the number of each row in it.

    ``numbers`` holds one number per row (YAML line numbers); without it rows are numbered
    consecutively from ``first``.
    """

    file: str
    unit: str = "row"
    first: int = 2
    numbers: tuple[int, ...] | None = None

    def where(self, position: int) -> str:
        """Describe row ``position`` (0-based within the block) for a message."""
        return f"{self.file}, {self.unit} {self.number(position)}"

    def number(self, position: int) -> int:
        """The row or line number of row ``position`` (0-based within the block)."""
        return self.numbers[position] if self.numbers is not None else self.first + position


@dataclass(frozen=True)
class TableFile:
    """The file a block was read from and how, so that a corrected copy can be written.

    ``columns`` maps netkoop's column names to the file's own, as the scenario's ``columns:``
    renames them.
    """

    path: Path
    header: tuple[str, ...]
    sheet: str | None = None
    separator: str | None = None
    encoding: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str | None:
        """The file's name of netkoop's column ``name``; None for one that ``set:`` adds."""
        own = self.columns.get(name, name)
        return own if own in self.header else None


@dataclass
class Block:
    """Rows of one table read from one place, every value a string or missing.

    ``german_numbers`` tells that the file suggests German numbers (a decimal comma, dots
    between thousands: CSV from German Excel); each column's numbers are still read the way
    all its values fit (`netkoop.model.numbers`), unless ``reading`` (the table file's
    ``decimal:`` and ``thousands:``) decides. ``text_columns`` are known to hold text
    (declared, quoted in YAML, or text in a DataFrame) and are never read as numbers.
    """

    frame: pd.DataFrame
    origin: Origin
    german_numbers: bool = False
    text_columns: frozenset[str] = frozenset()
    reading: Reading | None = None
    nfc: bool = False  # every cell is known to be in Unicode NFC already
    file: TableFile | None = None  # None for rows written in the scenario file itself


@dataclass
class Located:
    """A table assembled from blocks that can still say where each of its rows came from."""

    frame: pd.DataFrame
    starts: list[int] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    complete: bool = True  # False when a block could not be used (a required column missing)

    def where(self, position: int) -> str:
        """Describe row ``position`` (0-based in the whole table) for a message."""
        block = bisect.bisect_right(self.starts, position) - 1
        return self.origins[block].where(position - self.starts[block])

    def where_many(self, positions: Sequence[int], shown: int = 3) -> str:
        """Describe several rows at once: ``"ties.csv, rows 2, 3, 7 and 54 more"``."""
        by_file: dict[tuple[str, str], list[int]] = {}
        for position in positions[:shown]:
            block = bisect.bisect_right(self.starts, position) - 1
            origin = self.origins[block]
            numbers = by_file.setdefault((origin.file, origin.unit), [])
            numbers.append(origin.number(position - self.starts[block]))
        parts = [
            f"{file}, {unit}{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
            for (file, unit), numbers in by_file.items()
        ]
        rest = len(positions) - shown
        return "; ".join(parts) + (f" and {rest:,} more" if rest > 0 else "")


def locate(frames: Sequence[pd.DataFrame], origins: Sequence[Origin]) -> Located:
    """Concatenate block frames into one table with a fresh index, keeping row origins."""
    starts, total = [], 0
    for frame in frames:
        starts.append(total)
        total += len(frame)
    if frames:
        frame = pd.concat(frames, ignore_index=True, sort=False) if len(frames) > 1 else frames[0]
        frame = frame.reset_index(drop=True)
    else:
        frame = pd.DataFrame()
    return Located(frame, starts, list(origins))


def text_of(value: object) -> str | None:
    """Turn one inline YAML value into the text a CSV cell would hold; None for missing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)
