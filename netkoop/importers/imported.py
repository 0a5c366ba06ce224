"""One table read from an official file: rows in netkoop's vocabulary, credits, notes, origins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from netkoop.model.metadata import Credit

Table = Literal["units", "flows", "borders", "outlines"]


@dataclass(frozen=True)
class Imported:
    """One table read from an official file, ready to join a scenario.

    Parameters
    ----------
    table
        Which table of the scenario the rows belong to.
    frame
        The rows, with netkoop's column names and string ids.
    credits
        Attributions that the source's licence requires.
    reference_date
        The date the data describes (ISO), if the file states it; for a register of units its
        Gebietsstand (territorial date).
    population_date
        The date of the population figures (ISO, Bevölkerungsstand), if the file states it;
        quarterly registers carry the population of an earlier date than their Gebietsstand.
    notes
        What was left out or derived, in words, e.g. "skipped 412 'Übrige Kreise' rows".
    origins
        Where each row was read, e.g. ``"Auspendler_BY.csv, row 17"``: problems found once
        the rows join a scenario name these places. Empty when the importer cannot tell.
    source
        How messages name the file the table was read from, if one file.
    """

    table: Table
    frame: pd.DataFrame
    credits: tuple[Credit, ...]
    reference_date: str | None = None
    population_date: str | None = None
    notes: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    source: str | None = None
