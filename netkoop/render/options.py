"""How to draw a network: one options value for pages (and, later, figures)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from netkoop._errors import NetkoopError
from netkoop.render.labels import Lang, check_lang


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

    Raises
    ------
    NetkoopError
        When ``lang`` is unknown or a threshold is out of range.
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

    def __post_init__(self) -> None:
        check_lang(self.lang)
        if self.min_commuters < 0:
            raise NetkoopError(f"min_commuters must be 0 or more; got {self.min_commuters}")
        if self.top_flows is not None and self.top_flows < 1:
            raise NetkoopError(f"top_flows must be 1 or more (or None); got {self.top_flows}")

    @classmethod
    def of(cls, options: RenderOptions | None = None, **settings: Any) -> RenderOptions:
        """Return ``options`` (or the defaults) with the keyword ``settings`` changed.

        Examples
        --------
        >>> RenderOptions.of(lang="en").lang
        'en'
        """
        return dataclasses.replace(options or cls(), **settings)
