"""The data of a page's date slider: its days, when each unit and tie exists, figures per day.

The page script (``page.js``) shows on each slider position exactly the units and ties whose
first day is on or before it and whose last day on or after it (ISO dates compare as text),
and the headline figures measured on `netkoop.Network.at` that day. Per unit and tie it gets
codes into one sorted list of days, which keeps a national page small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from netkoop.metrics.overview import FIGURE_COLUMNS
from netkoop.model.dates import EVER, NEVER, office_days
from netkoop.model.labels import date_label
from netkoop.render.dates import DateSlider
from netkoop.render.labels import Lang, value_labels
from netkoop.render.measures import Moment
from netkoop.render.vis.figures import headline_rows, survey_rows

#: The halo under the ties that began since the previous position, and under those that end
#: before the next one: colour and dashes (in thirds of the halo's width); how much wider
#: than the tie it is.
NEW_HALO: tuple[str, tuple[int, ...]] = ("rgba(0, 166, 80, 0.45)", ())
ENDING_HALO: tuple[str, tuple[int, ...]] = ("rgba(230, 85, 13, 0.6)", (4, 2))
HALO_SIZE = 6

#: Unit figures the page counts itself on every day: ties and partners among the ties shown.
LIVE_FIGURES = ("degree", "neighbours")

#: Unit figures that follow the commuter flows only; they change with the date only when
#: units come and go.
FLOW_FIGURES = ("out_commuters", "in_commuters")


def slider_scene(
    dates: DateSlider,
    moments: Sequence[Moment],
    *,
    units: pd.DataFrame,
    lang: Lang,
) -> dict[str, Any]:
    """Return the page data of a date slider, ready for JSON.

    Parameters
    ----------
    dates
        The slider's days and the lifetimes of the units and ties drawn.
    moments
        The figures of each day, in the order of ``dates.days``.
    units
        The units drawn (for the ids of the gap lists and their coordination offices).
    lang
        The page's language: dates are written 01.05.2016 in German, 2016-05-01 in English.

    Examples
    --------
    >>> from netkoop.render.dates import date_slider
    >>> from netkoop.render.measures import moments_of
    >>> net = netkoop.load("beispielregion")
    >>> dated = date_slider(net)
    >>> data = slider_scene(dated, moments_of(net, dated)[1], units=net.units, lang="de")
    >>> data["labels"][0], data["labels"][data["start"]]
    ('31.12.2013', '30.06.2024')
    """
    index = pd.Index(units["id"])
    bounds = [dates.unit_first, dates.unit_last, dates.tie_first, dates.tie_last]
    office = _office(units)
    if office is not None:
        bounds += list(office)
    days = np.unique(np.concatenate([np.asarray(b, dtype=str) for b in bounds]))

    def codes(values: np.ndarray) -> list[int]:
        found: list[int] = np.searchsorted(days, np.asarray(values, dtype=str)).tolist()
        return found

    units_dated = bool((dates.unit_first != EVER).any() or (dates.unit_last != NEVER).any())
    return {
        "days": list(dates.days),
        "labels": [date_label(day, lang) for day in dates.days],
        "start": dates.start,
        "dates": days.tolist(),
        "units": {"first": codes(dates.unit_first), "last": codes(dates.unit_last)},
        "ties": {"first": codes(dates.tie_first), "last": codes(dates.tie_last)},
        "office": None
        if office is None
        else {
            "first": codes(office[0]),
            "last": codes(office[1]),
            "none": value_labels("coordination_office", lang).get("none", "none"),
        },
        "headline": [
            headline_rows(m.headline, None, lang) + survey_rows(m.survey, lang) for m in moments
        ],
        "pairs": [int(m.headline["pairs"]) for m in moments],
        "gaps": [gap_codes(m.gaps, index) for m in moments],
        "live": list(LIVE_FIGURES),
        # Unit figures measured on the opening day only: other days leave them out.
        "opening": [
            c
            for c in FIGURE_COLUMNS
            if c not in LIVE_FIGURES and (units_dated or c not in FLOW_FIGURES)
        ],
        "style": {
            "fresh": {"color": NEW_HALO[0], "dashes": list(NEW_HALO[1])},
            "ending": {"color": ENDING_HALO[0], "dashes": list(ENDING_HALO[1])},
            "size": HALO_SIZE,
        },
    }


def gap_codes(gaps: Sequence[tuple[str, str, int]], index: pd.Index) -> list[list[int]]:
    """A list of commuter pairs without a tie in page codes: both units' positions in
    ``index``, and the commuters."""
    if not gaps:
        return []
    a = index.get_indexer(pd.Index([gap[0] for gap in gaps]))
    b = index.get_indexer(pd.Index([gap[1] for gap in gaps]))
    return [[int(x), int(y), int(gap[2])] for x, y, gap in zip(a, b, gaps, strict=True)]


def _office(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """The first and last day of each unit's coordination office; None when undated."""
    dated = [c for c in ("office_since", "office_until") if c in units.columns]
    if "coordination_office" not in units.columns or not units[dated].notna().any().any():
        return None
    return office_days(units)
