"""The key figures of a page, written as its language writes numbers, for the headline panel."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from netkoop.render.labels import Lang, text

#: Decimal digits and whether the figure is a share, per headline figure, in panel order.
HEADLINE_FORMATS: Mapping[str, tuple[int, bool]] = MappingProxyType(
    {
        "units": (0, False),
        "ties": (0, False),
        "components": (0, False),
        "isolates": (0, False),
        "ei_overall": (2, False),
        "commuters": (0, False),
        "coverage": (1, True),
    }
)

#: The survey's figures (see `netkoop.render.measures.survey_figures`), in panel order.
SURVEY_FIGURES = ("response_rate", "confirmed_share")

Row = dict[str, str | None]


def number(value: float, lang: Lang, *, digits: int = 0, percent: bool = False) -> str:
    """Format a number as the page's language writes it (1.234,5 or 1,234.5).

    >>> number(12345.678, "de", digits=1), number(0.25, "en", digits=1, percent=True)
    ('12.345,7', '25.0%')
    """
    if not math.isfinite(value):
        return "–"
    if percent:
        value *= 100
    # Digits are grouped from five on (DIN 5008), as the page script does.
    written = f"{value:,.{digits}f}" if abs(value) >= 10_000 else f"{value:.{digits}f}"
    if lang == "de":
        written = written.replace(",", " ").replace(".", ",").replace(" ", ".")
    if percent:
        return f"{written} %" if lang == "de" else f"{written}%"
    return written


def headline_rows(
    now: Mapping[str, Any], before: Mapping[str, Any] | None, lang: Lang
) -> list[Row]:
    """Return the rows of the headline panel for the headline figures of
    `netkoop.metrics.overview` (and of the network compared with, if any).

    The commuter figures are left out of a network without commuter pairs.
    """
    rows: list[Row] = []
    for key, (digits, percent) in HEADLINE_FORMATS.items():
        if key in ("commuters", "coverage") and not now["pairs"]:
            continue
        rows.append(
            {
                "key": key,
                "label": text(key, lang),
                "value": number(now[key], lang, digits=digits, percent=percent),
                "base": None
                if before is None
                else number(before[key], lang, digits=digits, percent=percent),
            }
        )
    return rows


def survey_rows(figures: Mapping[str, float], lang: Lang) -> list[Row]:
    """Return the headline rows of a survey's figures: response rate, confirmed share."""
    return [
        {
            "key": key,
            "label": text(key, lang),
            "value": number(figures[key], lang, digits=1, percent=True),
            "base": None,
        }
        for key in SURVEY_FIGURES
        if key in figures
    ]
