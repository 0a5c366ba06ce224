"""Draw a timeline for people: what its chart shows (panels of lines, marked dates, axes), and
the chart as one offline HTML page with inline SVG.

`chart_of` decides what a chart of a `netkoop.metrics.timeline.Timeline` shows, for every
backend: one panel per measure (ties by kind in one, the two hub shares in one), each with
its own axis, the dates marked as numbered dashed lines. `timeline_html` draws it as SVG in a
page without scripts or anything fetched; `netkoop.render.figure` draws the same chart with
matplotlib.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from netkoop._version import __version__
from netkoop.metrics.headline import CONFIRMED_SHARE, ties_column
from netkoop.metrics.timeline import Timeline
from netkoop.model.labels import Lang, check_lang, date_label, measure_label
from netkoop.model.vocabulary import TIE_KINDS
from netkoop.output.files import Paths
from netkoop.output.html import csp_hash, inline_style
from netkoop.render.labels import kind_label
from netkoop.render.page import write_page
from netkoop.render.style import TIE_STYLE

Axis = Literal["count", "share", "index"]
Scale = Callable[[float], float]

#: Line colours of panels that are not about tie kinds (Okabe–Ito, as `TIE_STYLE`).
LINE_COLOURS: tuple[str, ...] = ("#0072b2", "#d55e00", "#009e73", "#cc79a7")
#: The colour of all ties together, of mark lines and of axes.
TOTAL_COLOUR, MARK_COLOUR, AXIS_COLOUR = "#222222", "#666666", "#999999"

#: Measures whose values are shares (drawn as percentages).
SHARES = frozenset(
    {"largest_component", "commuter_coverage", "hub_connected", "hub_tied", CONFIRMED_SHARE}
)

# Panels of one measure each, in order; ``ties`` (by kind) comes first, the hub shares later.
_SINGLE = ("components", "isolates", "largest_component", "density", "ei_index")
_AFTER_HUB = ("offices", CONFIRMED_SHARE)

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Zeitreihe", "Timeline"),
    "ties_by_kind": ("Verbindungen nach Art", "Ties by kind"),
    "all_ties": ("alle Verbindungen", "all ties"),
    "anchored": ("Anbindung an Kreis oder Land", "Anchored to Kreis or Land"),
    "to": ("bis", "to"),
    "dates": ("Zeitpunkte", "dates"),
    "marks": ("Markierte Daten", "Marked dates"),
    "year": ("jährlich", "yearly"),
    "quarter": ("vierteljährlich", "quarterly"),
    "month": ("monatlich", "monthly"),
    "made": ("erstellt mit netkoop", "made with netkoop"),
}


def word(key: str, lang: Lang | str) -> str:
    """Return a word of the chart in ``lang``."""
    pair = _WORDS[key]
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class Series:
    """One line: a column of the timeline's measures, its label and colour."""

    name: str
    label: str
    colour: str
    values: tuple[float, ...]  # NaN where the measure has no value


@dataclass(frozen=True)
class Panel:
    """One panel: a title, its lines and what its axis shows."""

    title: str
    series: tuple[Series, ...]
    axis: Axis
    wide: bool = False  # across the whole chart


@dataclass(frozen=True)
class ShownMark:
    """A marked date as a chart shows it: its number, day and label in the chart's language."""

    number: int
    date: str
    label: str


@dataclass(frozen=True)
class Chart:
    """What a chart of a timeline shows, in one language."""

    title: str
    subtitle: str
    dates: tuple[str, ...]
    panels: tuple[Panel, ...]
    marks: tuple[ShownMark, ...]
    lang: Lang

    @property
    def days(self) -> np.ndarray:
        """The dates as day numbers (proleptic Gregorian ordinals)."""
        return np.array([ordinal(date) for date in self.dates], dtype=np.float64)

    def x_range(self) -> tuple[float, float]:
        """The first and last day the x axis spans (a day either side of a single date)."""
        days = self.days
        low, high = float(days.min()), float(days.max())
        return (low - 1, high + 1) if low == high else (low, high)


def ordinal(date: str) -> int:
    """The day number of an ISO day."""
    return dt.date.fromisoformat(date).toordinal()


def chart_of(timeline: Timeline, lang: Lang | str = "de") -> Chart:
    """Decide what a chart of ``timeline`` shows, labelled in ``lang``.

    Panels: ties (all, and each kind that occurs), components, isolates, the share in the
    largest component, density, E-I index, commuter coverage, the two hub shares, offices
    and the confirmed share where the timeline has them, and the units where they change.
    The marks within the dates are numbered in date order.

    Examples
    --------
    >>> from netkoop.metrics.timeline import timeline
    >>> chart = chart_of(timeline(netkoop.load("beispielregion"), 2014, 2026))
    >>> [panel.title for panel in chart.panels][:3]
    ['Verbindungen nach Art', 'Komponenten', 'Einheiten ohne Verbindung']
    >>> chart.marks
    (ShownMark(number=1, date='2024-06-30', label='Stichtag'),)
    """
    language = check_lang(lang)
    measures = timeline.measures

    def series(name: str, label: str, colour: str) -> Series:
        values = tuple(float(v) for v in measures[name].to_numpy(dtype=np.float64))
        return Series(name, label, colour, values)

    def single(name: str) -> Panel:
        axis: Axis = "share" if name in SHARES else "index" if name == "ei_index" else "count"
        title = measure_label(name, language)
        return Panel(title, (series(name, title, LINE_COLOURS[0]),), axis)

    kinds = [k for k in TIE_KINDS if measures[ties_column(k)].any()]
    ties = Panel(
        word("ties_by_kind", language),
        (
            series("ties", word("all_ties", language), TOTAL_COLOUR),
            *(series(ties_column(k), kind_label(k, language), TIE_STYLE[k][0]) for k in kinds),
        ),
        "count",
        wide=True,
    )
    hub = Panel(
        word("anchored", language),
        tuple(
            series(name, measure_label(name, language), colour)
            for name, colour in zip(("hub_connected", "hub_tied"), LINE_COLOURS, strict=False)
        ),
        "share",
    )
    panels = [ties, *map(single, _SINGLE), single("commuter_coverage"), hub]
    panels += [single(name) for name in _AFTER_HUB if name in measures.columns]
    if measures["units"].min() != measures["units"].max():
        panels.append(single("units"))
    dates = timeline.dates
    title = f"{word('title', language)}: {timeline.name}"
    subtitle = (
        f"{date_label(dates[0], language)} {word('to', language)} "
        f"{date_label(dates[-1], language)}, {word(timeline.every, language)}, "
        f"{len(dates)} {word('dates', language)}"
    )
    inside = [mark for mark in timeline.marks if dates[0] <= mark.date <= dates[-1]]
    marks = tuple(
        ShownMark(number, mark.date, mark.shown(language))
        for number, mark in enumerate(inside, start=1)
    )
    return Chart(title, subtitle, dates, tuple(panels), marks, language)


# --- axes -------------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Return about ``count`` round tick values covering ``low`` to ``high``; with ``whole``
    one apart at least (for counts).

    Examples
    --------
    >>> nice_ticks(0, 17)
    [0.0, 5.0, 10.0, 15.0, 20.0]
    >>> nice_ticks(0.31, 0.7)
    [0.3, 0.4, 0.5, 0.6, 0.7]
    >>> nice_ticks(0, 1, whole=True)
    [0.0, 1.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high - low < 1e-12:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= raw * 0.999)
    if whole:
        step = max(1.0, math.ceil(step))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = max(1, round((last - first) / step))
    ticks = [round(first + i * step, 12) for i in range(count + 1)]
    return [float(t) for t in ticks]


def y_ticks(panel: Panel) -> list[float]:
    """The ticks of a panel's value axis: from 0 for counts and shares, else the data's range."""
    values = np.array([v for s in panel.series for v in s.values], dtype=np.float64)
    values = values[np.isfinite(values)]
    if not values.size:
        return [0.0, 1.0]
    low, high = float(values.min()), float(values.max())
    whole = panel.axis == "count" and bool(np.all(values == np.round(values)))
    if panel.axis != "index":
        low = min(low, 0.0)
    if whole:
        high = max(high, low + 1)
    return nice_ticks(low, high, whole=whole)


def tick_text(value: float, step: float, axis: Axis, lang: Lang | str) -> str:
    """A tick or point value as people read it: shares in percent, German decimal commas.

    Examples
    --------
    >>> tick_text(0.25, 0.05, "share", "de"), tick_text(1500, 500, "count", "de")
    ('25 %', '1.500')
    >>> tick_text(-0.75, 0.25, "index", "en")
    '-0.75'
    """
    if axis == "share":
        value, step = value * 100, step * 100
    decimals = next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 6)
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.translate(str.maketrans(",.", ".,"))
    if axis == "share":
        text += " %" if lang == "de" else "%"
    return text


def value_text(value: float, axis: Axis, lang: Lang | str) -> str:
    """A measured value for a tooltip: counts whole, shares in percent, the rest to 4 places."""
    if not math.isfinite(value):
        return "–"
    if axis == "count" and float(value).is_integer():
        return tick_text(value, 1, axis, lang)
    return tick_text(value, 0.001 if axis == "share" else 0.0001, axis, lang)


def x_ticks(chart: Chart, most: int = 7) -> list[tuple[float, str]]:
    """Ticks of the date axis: 1 January of the years spanned when they are three or more,
    else the dates measured (both thinned to at most ``most``)."""
    low, high = chart.x_range()
    first, last = dt.date.fromordinal(int(low)), dt.date.fromordinal(int(high))
    years = [y for y in range(first.year, last.year + 1) if low <= dt.date(y, 1, 1).toordinal()]
    years = [y for y in years if dt.date(y, 1, 1).toordinal() <= high]
    if len(years) >= 3:
        every = next(k for k in (1, 2, 5, 10, 20, 50, 100) if math.ceil(len(years) / k) <= most)
        return [(float(dt.date(y, 1, 1).toordinal()), str(y)) for y in years if y % every == 0]
    dates = list(chart.dates)
    every = max(1, math.ceil(len(dates) / most))
    return [(float(ordinal(d)), _month_text(d, chart.lang)) for d in dates[::every]]


def _month_text(date: str, lang: Lang) -> str:
    year, month, _ = date.split("-")
    return f"{month}.{year}" if lang == "de" else f"{year}-{month}"


def dot_radius(xs: Sequence[float] | np.ndarray, largest: float = 2.6) -> float:
    """The radius of the dots of a line whose dates lie at ``xs``: smaller when they crowd.

    Examples
    --------
    >>> dot_radius([0, 40, 80]), dot_radius([0, 3, 6])
    (2.6, 1.0)
    """
    gaps = np.diff(np.asarray(xs, dtype=np.float64))
    if not gaps.size:
        return largest
    return round(max(1.0, min(largest, float(gaps.min()) / 4)), 1)


def mark_rows(positions: Sequence[float], width: float) -> list[int]:
    """Stack labels ``width`` wide at ``positions`` (in order) in rows so none overlap.

    Examples
    --------
    >>> mark_rows([10, 15, 40, 42], 12)
    [0, 1, 0, 1]
    """
    ends: list[float] = []  # the right edge of the last label in each row
    rows = []
    for x in positions:
        row = next((i for i, end in enumerate(ends) if x - width / 2 >= end), len(ends))
        if row == len(ends):
            ends.append(-math.inf)
        ends[row] = x + width / 2
        rows.append(row)
    return rows


# --- the page ---------------------------------------------------------------------------------

# Size of one panel's SVG and the room around its plot area, in CSS pixels.
_WIDTH, _WIDE, _HEIGHT, _WIDE_HEIGHT = 560, 1144, 220, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 62, 16, 10, 28
_MARK_ROW = 15  # the height of a row of mark numbers above the plot area
_WIDE_CLASS = ' class="wide"'

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #222; background: #fff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 1.4rem; margin: 18px 0 4px; }
header p { margin: 0 0 8px; color: #555; }
ol.marks { list-style: none; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap;
  gap: 4px 18px; font-size: 0.9rem; }
ol.marks b { display: inline-block; min-width: 1.2em; text-align: center; border-radius: 50%;
  background: #666; color: #fff; font-size: 0.75rem; margin-right: 4px; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr));
  gap: 8px 24px; }
section { min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 1rem; margin: 12px 0 2px; }
ul.legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap;
  gap: 2px 14px; font-size: 0.8rem; color: #333; }
ul.legend svg { vertical-align: middle; margin-right: 4px; }
svg.plot { width: 100%; height: auto; display: block; }
svg.plot text { font-size: 11px; fill: #444; }
svg.plot text.mark { font-size: 10px; fill: #fff; font-weight: bold; }
footer { color: #888; font-size: 0.8rem; margin-top: 16px; padding-bottom: 16px; }
"""


def timeline_html(timeline: Timeline, *, lang: Lang | str = "de") -> str:
    """Return the chart of ``timeline`` as one HTML page: inline SVG, no script, nothing
    fetched (its Content-Security-Policy allows only its own styles).

    Examples
    --------
    >>> from netkoop.metrics.timeline import timeline
    >>> page = timeline_html(timeline(netkoop.load("beispielregion"), 2014, 2026))
    >>> page.startswith("<!doctype html>"), "<script" in page, "Stichtag" in page
    (True, False, True)
    """
    chart = chart_of(timeline, lang)
    css = inline_style(_CSS)
    marks = "".join(
        f"<li><b>{m.number}</b>{_e(m.label)} – {_e(date_label(m.date, chart.lang))}</li>"
        for m in chart.marks
    )
    panels = "\n".join(_panel_html(chart, panel) for panel in chart.panels)
    return (
        "<!doctype html>\n"
        f'<html lang="{chart.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        f"content=\"default-src 'none'; style-src {csp_hash(css)}\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="netkoop">\n'
        f"<title>{_e(chart.title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"<header><h1>{_e(chart.title)}</h1><p>{_e(chart.subtitle)}</p>"
        f'<ol class="marks" aria-label="{_e(word("marks", chart.lang))}">{marks}</ol>'
        "</header>\n"
        f"<main>\n{panels}\n</main>\n"
        f"<footer>{_e(word('made', chart.lang))} {_e(__version__)}</footer>\n"
        "</body>\n</html>\n"
    )


def write_timeline_page(
    timeline: Timeline,
    path: str | Path,
    *,
    lang: Lang | str = "de",
    overwrite: bool = False,
    protect: Paths = (),
) -> Path | None:
    """Write the chart page of ``timeline`` to ``path`` (``-``: standard output).

    Raises
    ------
    OutputError
        When ``path`` does not end in .html or .htm, exists without ``overwrite``, or is an
        input (see `netkoop.render.page.write_page`).
    """
    return write_page(
        timeline_html(timeline, lang=lang), path, overwrite=overwrite, protect=protect
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _panel_html(chart: Chart, panel: Panel) -> str:
    legend = ""
    if len(panel.series) > 1:
        items = "".join(
            f'<li><svg width="18" height="8" aria-hidden="true"><line x1="0" y1="4" x2="18" '
            f'y2="4" stroke="{s.colour}" stroke-width="3"/></svg>{_e(s.label)}</li>'
            for s in panel.series
        )
        legend = f'<ul class="legend">{items}</ul>'
    return (
        f"<section{_WIDE_CLASS if panel.wide else ''}><h2>{_e(panel.title)}</h2>"
        f"{legend}{_plot_svg(chart, panel)}</section>"
    )


def _plot_svg(chart: Chart, panel: Panel) -> str:
    x_low, x_high = chart.x_range()
    ticks = y_ticks(panel)
    y_low, y_high = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0]
    width = _WIDE if panel.wide else _WIDTH
    left, right = _LEFT, width - _RIGHT

    def x(day: float) -> float:
        return left + (day - x_low) / (x_high - x_low) * (right - left)

    marks = [x(ordinal(m.date)) for m in chart.marks]
    rows = mark_rows(marks, 16)
    top = _TOP + _MARK_ROW * (max(rows) + 1 if rows else 0)
    height = top + (_WIDE_HEIGHT if panel.wide else _HEIGHT) - _TOP - (_MARK_ROW if rows else 0)
    bottom = height - _BOTTOM

    def y(value: float) -> float:
        return bottom - (value - y_low) / (y_high - y_low) * (bottom - top)

    parts = []
    for tick in ticks:
        label = _e(tick_text(tick, step, panel.axis, chart.lang))
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}" '
            f'stroke="#e6e6e6"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{label}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS_COLOUR}"/>'
    )
    for day, label in x_ticks(chart, 14 if panel.wide else 7):
        parts.append(
            f'<line x1="{x(day):.1f}" y1="{bottom}" x2="{x(day):.1f}" y2="{bottom + 4}" '
            f'stroke="{AXIS_COLOUR}"/><text x="{x(day):.1f}" y="{bottom + 17}" '
            f'text-anchor="middle">{_e(label)}</text>'
        )
    parts += _marks_svg(chart, marks, rows, top, bottom)
    xs = [x(d) for d in chart.days]
    radius = dot_radius(xs)
    for series in panel.series:
        parts += _line_svg(chart, panel, series, xs, y, radius=radius)
    return (
        f'<svg class="plot" viewBox="0 0 {width} {height:g}" role="img" '
        f'aria-label="{_e(panel.title)}">{"".join(parts)}</svg>'
    )


def _marks_svg(
    chart: Chart, positions: list[float], rows: list[int], top: float, bottom: float
) -> list[str]:
    parts = []
    for mark, at, row in zip(chart.marks, positions, rows, strict=True):
        tip = _e(f"{mark.number}: {mark.label}, {date_label(mark.date, chart.lang)}")
        cy = top - _MARK_ROW * (row + 0.5)
        parts.append(
            f'<g><title>{tip}</title><line x1="{at:.1f}" y1="{top}" x2="{at:.1f}" y2="{bottom}" '
            f'stroke="{MARK_COLOUR}" stroke-dasharray="4 3"/><circle cx="{at:.1f}" '
            f'cy="{cy:.1f}" r="6.5" fill="{MARK_COLOUR}"/><text class="mark" x="{at:.1f}" '
            f'y="{cy + 3.5:.1f}" text-anchor="middle">{mark.number}</text></g>'
        )
    return parts


def _line_svg(
    chart: Chart, panel: Panel, series: Series, xs: list[float], y: Scale, *, radius: float
) -> list[str]:
    runs: list[list[str]] = [[]]
    dots = []
    for date, at, value in zip(chart.dates, xs, series.values, strict=True):
        if not math.isfinite(value):
            runs.append([])
            continue
        point = f"{at:.1f},{y(value):.1f}"
        runs[-1].append(point)
        tip = _e(
            f"{series.label}, {date_label(date, chart.lang)}: "
            f"{value_text(value, panel.axis, chart.lang)}"
        )
        dots.append(
            f'<circle cx="{at:.1f}" cy="{y(value):.1f}" r="{radius:g}" fill="{series.colour}">'
            f"<title>{tip}</title></circle>"
        )
    lines = [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{series.colour}" '
        'stroke-width="2" stroke-linejoin="round"/>'
        for run in runs
        if len(run) > 1
    ]
    return lines + dots
