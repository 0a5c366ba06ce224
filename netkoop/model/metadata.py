"""What a network says about itself: name, title, dates and the credits of its data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Credit:
    """A data source and the attribution its licence asks for."""

    name: str
    credit: str | None = None
    url: str | None = None
    licence: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, str]:
        """Return the fields that are set, for YAML and JSON."""
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Metadata:
    """What a scenario says about itself.

    ``reference_date`` is the date the data describe (for an official register its
    Gebietsstand, the territorial date); ``population_date`` the date of the population
    figures (Bevölkerungsstand), which official files state apart because a quarterly register
    carries the population of an earlier date. ``path`` is the scenario file it was read from,
    ``inputs`` every file it was read from (its YAML files and table files): outputs never
    replace them.
    """

    name: str
    title: str | None = None
    description: str | None = None
    reference_date: str | None = None
    population_date: str | None = None
    sources: tuple[Credit, ...] = ()
    path: Path | None = field(default=None, compare=False)
    inputs: tuple[Path, ...] = field(default=(), compare=False)
