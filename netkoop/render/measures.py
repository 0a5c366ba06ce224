"""The measures a picture shows, taken from the metrics layer before anything is drawn."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netkoop.metrics.headline import components
from netkoop.metrics.overview import Overview, Pairs, overview
from netkoop.metrics.structure import UNIT_COLUMNS, unit_structure
from netkoop.model.network import Network
from netkoop.model.selection import confirmation, responded
from netkoop.render.dates import DateSlider
from netkoop.render.drawing import Drawing
from netkoop.render.options import RenderOptions

#: Above this many units, a structure measure asked for by ``size_by`` uses sampled
#: betweenness, so that drawing a national network takes seconds, not minutes.
EXACT_LIMIT = 2000

#: Number of uncovered commuter pairs a page lists.
GAP_LIST = 10

#: Confirmation states of ties a survey reported (see `netkoop.model.selection.confirmation`).
_REPORTED = ("yes", "no", "unknown")


@dataclass(frozen=True, eq=False)
class Moment:
    """The key figures of the network on one day of a date slider.

    Attributes
    ----------
    day
        The ISO day.
    headline
        The figures of ``overview(network.at(day)).headline``.
    survey
        `survey_figures` of the network on that day.
    gaps
        `largest_gaps` of the network on that day.
    """

    day: str
    headline: dict[str, Any]
    survey: dict[str, float]
    gaps: list[tuple[str, str, int]]


@dataclass(frozen=True, eq=False)
class Shown:
    """The measures of one picture.

    Attributes
    ----------
    current
        The overview of the network drawn (or the what-if of a comparison); for a network
        with a date slider, of the network with all its ties (it sizes the units and picks
        the commuter pairs drawn).
    base
        The overview of the network it is compared with, if any.
    extra
        Further measures per unit of ``current``, indexed by unit id: the caller's
        ``metrics``, and the `netkoop.metrics.unit_structure` columns that ``size_by`` and
        ``color_by`` name.
    opening
        With a date slider: the overview of the network on the day the page opens on, whose
        figures the unit tooltips show on that day.
    moments
        With a date slider: the `Moment` of each of its days, in order.
    """

    current: Overview
    base: Overview | None
    extra: pd.DataFrame
    opening: Overview | None = None
    moments: tuple[Moment, ...] = ()


def measure(drawing: Drawing, options: RenderOptions) -> Shown:
    """Take the measures that the picture of ``drawing`` shows with ``options``."""
    network = drawing.current
    current = overview(network)
    base = overview(drawing.base) if drawing.base is not None else None
    index = current.units.index
    extra = options.metrics if options.metrics is not None else pd.DataFrame(index=index)
    extra = extra.reindex(index)
    wanted = [
        name
        for name in dict.fromkeys((options.size_by, options.color_by))
        if name in UNIT_COLUMNS
        and name not in extra.columns
        and name not in current.units.columns
        and name not in network.units.columns
    ]
    if wanted:
        many = len(network.units) > EXACT_LIMIT
        structure = unit_structure(
            network,
            betweenness="sampled" if many else "exact",
            seed=options.seed if many else None,
        )
        extra = extra.join(structure[wanted].reindex(index))
    if drawing.slider is None:
        return Shown(current, base, extra)
    opening, moments = moments_of(network, drawing.slider)
    return Shown(current, base, extra, opening=opening, moments=moments)


def moments_of(network: Network, dates: DateSlider) -> tuple[Overview, tuple[Moment, ...]]:
    """Return the overview of ``network`` on the opening day of ``dates`` and the `Moment`
    of every day of ``dates``.

    The opening day is measured on ``network.at(day)``; the moments are counted from the
    lifetimes of ``dates`` by `DayCounter`, which gives the same figures.
    """
    counter = DayCounter(network, dates)
    return overview(network.at(dates.opening)), tuple(counter.moment(day) for day in dates.days)


class DayCounter:
    """Count the key figures of a network on the days of its `DateSlider`, fast.

    ``DayCounter(network, dates).moment(day)`` equals what ``overview(network.at(day))``,
    `survey_figures` and `largest_gaps` give on that day, without building the network of
    each day: the units and ties existing on a day are those whose lifetimes cover it, and
    the commuter pairs, Kreise and survey states of the whole network are only masked. It
    keeps a slider of hundreds of days over a national network at a second or two.
    """

    def __init__(self, network: Network, dates: DateSlider) -> None:
        units, ties = network.units, network.ties
        index = pd.Index(units["id"])
        self._network = network
        self._dates = dates
        self._n = len(index)
        self._a = index.get_indexer(ties["from"])
        self._b = index.get_indexer(ties["to"])
        kreis = network.kreis
        ka, kb = ties["from"].map(kreis), ties["to"].map(kreis)
        self._counted = (ka.notna() & kb.notna()).to_numpy()
        self._across = self._counted & (ka != kb).to_numpy()
        self._pairs = overview(network).pairs
        known = (self._a >= 0) & (self._b >= 0)
        self._known = known
        self._tie_key = np.minimum(self._a, self._b) * self._n + np.maximum(self._a, self._b)
        self._pair_key = self._pairs.a * self._n + self._pairs.b
        said = responded(units)
        self._asked = None if said is None else said.notna().to_numpy()
        self._answered = None if said is None else said.fillna(False).to_numpy(dtype=bool)
        states = confirmation(ties) if "confirmed" in ties.columns else None
        self._reported = None if states is None else states.isin(_REPORTED).to_numpy()
        self._confirmed = None if states is None else (states == "yes").to_numpy()

    def moment(self, day: str) -> Moment:
        """Return the key figures of the network on ``day`` (ISO)."""
        dates = self._dates
        units = (dates.unit_first <= day) & (day <= dates.unit_last)
        ties = (dates.tie_first <= day) & (day <= dates.tie_last)
        pairs = self._pairs_on(units, ties)
        external = int((self._across & ties).sum())
        internal = int((self._counted & ties).sum()) - external
        both = external + internal
        components, isolates = self._components(units, ties & self._known)
        headline = {
            "units": int(units.sum()),
            "ties": int(ties.sum()),
            "components": components,
            "isolates": isolates,
            "ei_overall": float((external - internal) / both if both else math.nan),
            "commuters": int(pairs.total.sum()),
            "coverage": float(pairs.coverage),
            "pairs": len(pairs.total),
        }
        return Moment(
            day=day,
            headline=headline,
            survey=self._survey(units, ties),
            gaps=largest_gaps(self._network, pairs),
        )

    def _pairs_on(self, units: np.ndarray, ties: np.ndarray) -> Pairs:
        """The commuter pairs between units existing on a day, tied by the ties of that day."""
        full = self._pairs
        alive = units[full.a] & units[full.b]
        tied = np.isin(self._pair_key[alive], self._tie_key[ties & self._known])
        return dataclasses.replace(
            full,
            a=full.a[alive],
            b=full.b[alive],
            ab=full.ab[alive],
            ba=full.ba[alive],
            total=full.total[alive],
            tied=tied,
        )

    def _components(self, units: np.ndarray, ties: np.ndarray) -> tuple[int, int]:
        """The number of components of the units existing on a day, and of isolates."""
        labels = components(self._n, self._a[ties], self._b[ties])
        sizes = np.bincount(labels[units], minlength=self._n)
        return int((sizes > 0).sum()), int((sizes == 1).sum())

    def _survey(self, units: np.ndarray, ties: np.ndarray) -> dict[str, float]:
        """`survey_figures` of the units and ties existing on a day."""
        figures: dict[str, float] = {}
        if self._asked is not None and self._answered is not None:
            asked = int((self._asked & units).sum())
            if asked:
                figures["response_rate"] = int((self._answered & units).sum()) / asked
        if self._reported is not None and self._confirmed is not None:
            reported = int((self._reported & ties).sum())
            if reported:
                figures["confirmed_share"] = int((self._confirmed & ties).sum()) / reported
        return figures


def survey_figures(units: pd.DataFrame, ties: pd.DataFrame) -> dict[str, float]:
    """Return a survey's key figures: ``response_rate`` (the share of units asked that
    answered) and ``confirmed_share`` (the share of reported ties both sides reported);
    each only when the tables have something to count.

    Examples
    --------
    >>> units = pd.DataFrame({"responded": [True, False, None, True]})
    >>> ties = pd.DataFrame({"confirmed": ["yes", "no", None]})
    >>> survey_figures(units, ties)
    {'response_rate': 0.6666666666666666, 'confirmed_share': 0.5}
    """
    figures: dict[str, float] = {}
    said = responded(units)
    if said is not None:
        asked = int(said.notna().sum())
        if asked:
            figures["response_rate"] = int(said.fillna(False).astype(bool).sum()) / asked
    if "confirmed" in ties.columns:
        states = confirmation(ties)
        reported = states.isin(_REPORTED).to_numpy()
        if reported.any():
            figures["confirmed_share"] = int((states == "yes").sum()) / int(reported.sum())
    return figures


def largest_gaps(
    network: Network, pairs: Pairs, limit: int = GAP_LIST
) -> list[tuple[str, str, int]]:
    """Return the ``limit`` largest commuter pairs no tie joins: both unit ids, commuters.

    Largest first; among equal pairs, the one first in ``pairs``.
    """
    gap = np.flatnonzero(~pairs.tied)
    if len(gap) > limit:
        gap = gap[np.argpartition(-pairs.total[gap], limit - 1)[:limit]]
    gap = gap[np.lexsort((gap, -pairs.total[gap]))]
    ids = network.units["id"].to_numpy()
    return [(str(ids[pairs.a[i]]), str(ids[pairs.b[i]]), int(pairs.total[i])) for i in gap]
