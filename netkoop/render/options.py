"""How to draw a network: one options value for pages (and, later, figures)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.model.dates import DATE_FORMS, day_of
from netkoop.model.selection import tie_selection
from netkoop.render.labels import Lang, check_lang

#: The class schemes of a choropleth (as `netkoop.render.classes.SCHEMES`, which imports
#: mapclassify: options stay quick to import without it).
CLASS_SCHEMES = ("quantiles", "natural_breaks", "categories")

#: The largest number of classes of a choropleth (as `netkoop.render.classes.MAX_CLASSES`).
MAX_CLASSES = 9


@dataclass(frozen=True, eq=False)
class RenderOptions:
    """How to draw a network.

    Attributes
    ----------
    size_by
        What node area shows: ``"population"`` or another numeric unit column, a measure of
        the page (``degree``, ``neighbours``, ``out_commuters``, ``in_commuters``,
        ``uncovered_commuters``), a column of ``metrics``, or a column of
        `netkoop.metrics.unit_structure` (``betweenness``, ``eigenvector``...; computed,
        with sampled betweenness above 2,000 units). Units without a value are drawn at a
        size for their kind.
    lang
        ``"de"`` (German labels, the default) or ``"en"``.
    physics
        Let the units move (force simulation). By default on for networks without
        coordinates below 300 units, off otherwise, so large networks show at once.
    flows
        Include the commuter overlay (when the network has flows).
    min_commuters
        Leave out commuter pairs (both directions summed) with fewer commuters.
    top_flows
        Draw only each unit's ``top_flows`` largest commuter pairs; None draws every pair
        from ``min_commuters``.
    seed
        Seed of the layout of networks without coordinates.
    title
        The title; the scenario's title by default.
    metrics
        Measures to show in the tooltips, one row per unit indexed by unit id (e.g. from
        `netkoop.metrics.unit_structure`); their columns can size the nodes.
    ties
        Draw only these ties: tie kinds, and the word ``confirmed`` for only the ties both
        sides of a survey reported (see `netkoop.Network.select_ties`); all when None.
    min_confidence
        Draw only ties whose ``confidence`` is at least this; a tie without one counts as 1.0.
    comments
        Show free-text comment columns (``comment``, ``comments``, ``bemerkung``,
        ``kommentar``, and names ending in ``_comment`` or starting with ``comment_``) in the
        tooltips. Off by default: a survey's comments are written for the one who collects
        them, not for a page that is passed around.
    at
        The date the page shows first, written as in scenario files (``2016``,
        ``2016-05``, ``2016-05-01``, ``01.05.2016``; a year or month means its first
        day). A network whose ties or units carry dates gets a date slider that opens on
        it (see `netkoop.render.dates`); one without, and both networks of a comparison,
        are drawn as `netkoop.Network.at` gives them on that date.
    color_by
        Fill the outlines of a map (`netkoop.Network.outlines`) by this value of their
        units: a measure (``coverage``, the share of a unit's commuters travelling between
        tied units; ``ei``, ``degree``, ``neighbours``, ``uncovered_commuters``...), a unit
        column (``population``, ``coordination_office``, ``responded``...), a column of
        ``metrics`` or of `netkoop.metrics.unit_structure`. None (the default) fills every
        outline alike.
    classes
        How the choropleth's classes are made: ``"quantiles"``, ``"natural_breaks"``
        (Fisher-Jenks) or ``"categories"``; by default quantiles for numbers and categories
        for anything else (see `netkoop.render.classes`).
    k
        The number of classes of numbers (1 to 9).

    Raises
    ------
    NetkoopError
        When ``lang`` is unknown, a threshold is out of range, the tie selection names an
        unknown word, ``at`` is not a date, or ``classes`` or ``k`` is not one allowed.
    """

    size_by: str = "population"
    lang: Lang = "de"
    physics: bool | None = None
    flows: bool = True
    min_commuters: int = 1
    top_flows: int | None = 5
    seed: int = 0
    title: str | None = None
    metrics: pd.DataFrame | None = None
    ties: str | Sequence[str] | None = None
    min_confidence: float | None = None
    comments: bool = False
    at: str | dt.date | None = None
    color_by: str | None = None
    classes: str | None = None
    k: int = 5

    def __post_init__(self) -> None:
        check_lang(self.lang)
        if self.at is not None:
            try:
                day_of(self.at)
            except NetkoopError:
                raise NetkoopError(
                    f"at: {str(self.at)!r} is not a date; use {DATE_FORMS}"
                ) from None
        tie_selection(self.ties, min_confidence=self.min_confidence)
        if self.min_commuters < 0:
            raise NetkoopError(f"min_commuters must be 0 or more; got {self.min_commuters}")
        if self.top_flows is not None and self.top_flows < 1:
            raise NetkoopError(f"top_flows must be 1 or more (or None); got {self.top_flows}")
        if self.classes is not None and self.classes not in CLASS_SCHEMES:
            raise NetkoopError(
                f"classes: {self.classes!r} is unknown; use one of {', '.join(CLASS_SCHEMES)}"
            )
        if not 1 <= self.k <= MAX_CLASSES:
            raise NetkoopError(f"k: the number of classes must be 1 to {MAX_CLASSES}; got {self.k}")

    @classmethod
    def of(cls, options: RenderOptions | None = None, **settings: Any) -> RenderOptions:
        """Return ``options`` (or the defaults) with the keyword ``settings`` changed.

        Examples
        --------
        >>> RenderOptions.of(lang="en").lang
        'en'
        """
        return dataclasses.replace(options or cls(), **settings)
