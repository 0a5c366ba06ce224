"""Figures for print, drawn with matplotlib: the chart of a timeline as PNG or SVG.

The figure draws the `netkoop.render.timeline.Chart` the HTML page draws (the same panels,
axes, colours and numbered marks), with matplotlib's Agg canvas and no pyplot state. The
bytes are the same on every run: SVG ids come from a fixed salt and carry no date.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from netkoop.metrics.timeline import Timeline
from netkoop.model.labels import Lang, date_label
from netkoop.output.files import Paths, write_file
from netkoop.output.formats import Formats, check_file_format, choose_format, file_format
from netkoop.render.timeline import (
    AXIS_COLOUR,
    MARK_COLOUR,
    Chart,
    Panel,
    chart_of,
    dot_radius,
    mark_rows,
    ordinal,
    tick_text,
    x_ticks,
    y_ticks,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Figures: PNG (raster, for documents) and SVG (vector, for print and editing).
FIGURE: Formats = MappingProxyType({"png": (".png",), "svg": (".svg",)})

#: Settings every figure is drawn with: a fixed salt for SVG ids and text as paths, so the
#: same timeline gives the same bytes.
RC: Mapping[str, object] = MappingProxyType(
    {
        "svg.hashsalt": "netkoop",
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": AXIS_COLOUR,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#e6e6e6",
    }
)

#: Dots per inch of a PNG.
DPI = 150


def figure_format(path: str | Path) -> str:
    """Return ``"png"`` or ``"svg"`` for a figure written to ``path``.

    Raises
    ------
    OutputError
        When the ending names neither.

    Examples
    --------
    >>> figure_format("zeitreihe.svg")
    'svg'
    """
    return file_format(path, FIGURE, "figure")


def timeline_figure(timeline: Timeline, fmt: str = "png", *, lang: Lang | str = "de") -> bytes:
    """Draw the chart of ``timeline`` (see `netkoop.render.timeline.chart_of`) as PNG or SVG.

    Examples
    --------
    >>> from netkoop.metrics.timeline import timeline
    >>> found = timeline(netkoop.load("beispielregion"), 2014, 2026)
    >>> timeline_figure(found, "png")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    chart = chart_of(timeline, lang)
    chosen = choose_format(f"figure.{fmt}", fmt, FIGURE)
    rows = _slots(chart)
    height = _HEADER + sum(max(slot.height for slot in row) for row in rows) + 0.1
    with mpl.rc_context(cast(Any, dict(RC))):
        figure = Figure(figsize=(_WIDTH, height))
        FigureCanvasAgg(figure)
        _draw(figure, chart, rows, height)
        out = io.BytesIO()
        metadata = {"Date": None} if chosen == "svg" else {}
        figure.savefig(out, format=chosen, dpi=DPI, metadata=metadata)
    return out.getvalue()


def check_figure(path: str | Path, *, overwrite: bool = False, protect: Paths = ()) -> str:
    """Return the format of a figure to write at ``path``, after checking it may go there.

    Raises
    ------
    OutputError
        When the ending names no figure format, the file exists without ``overwrite``, or
        is an input (see `netkoop.output.files`).
    """
    return check_file_format(path, FIGURE, "figure", overwrite=overwrite, protect=protect)


def write_timeline_figure(
    timeline: Timeline,
    path: str | Path,
    *,
    lang: Lang | str = "de",
    overwrite: bool = False,
    protect: Paths = (),
) -> Path:
    """Write the chart of ``timeline`` as PNG or SVG, as the ending of ``path`` says.

    Raises
    ------
    OutputError
        See `check_figure`.
    """
    chosen = check_figure(path, overwrite=overwrite, protect=protect)
    content = timeline_figure(timeline, chosen, lang=lang)
    return write_file(path, content, overwrite=overwrite, protect=protect)


# --- drawing ----------------------------------------------------------------------------------

# The layout in inches, fixed (no layout engine, whose text measurements could depend on what
# was drawn before): the page width, margins, the header, the plot heights, the room above a
# plot (title), per row of mark numbers, below it (tick labels) and per row of a legend.
_WIDTH, _LEFT, _RIGHT, _GAP = 11.0, 0.75, 0.3, 0.9
_HEADER, _WIDE_PLOT, _NARROW_PLOT = 1.0, 2.6, 1.9
_ABOVE, _MARK_ROW, _BELOW, _LEGEND_ROW = 0.32, 0.18, 0.32, 0.2


@dataclass(frozen=True)
class _Slot:
    panel: Panel
    column: int  # 0 or 1; a wide panel takes both
    mark_rows: int
    legend_rows: int

    @property
    def height(self) -> float:
        plot = _WIDE_PLOT if self.panel.wide else _NARROW_PLOT
        above = _ABOVE + _MARK_ROW * self.mark_rows
        return above + plot + _BELOW + _LEGEND_ROW * self.legend_rows


def _slots(chart: Chart) -> list[list[_Slot]]:
    """The panels in rows: a wide panel alone, the others two by two."""
    rows: list[list[_Slot]] = []
    for panel in chart.panels:
        marks = mark_rows(_positions(chart), _mark_width(panel))
        per_row = _legend_columns(panel)
        legend = math.ceil(len(panel.series) / per_row) if len(panel.series) > 1 else 0
        last = rows[-1] if rows else None
        join = last is not None and not panel.wide and len(last) == 1 and not last[0].panel.wide
        slot = _Slot(panel, 1 if join else 0, max(marks) + 1 if marks else 0, legend)
        if join and last is not None:
            last.append(slot)
        else:
            rows.append([slot])
    return rows


def _plot_width(panel: Panel) -> float:
    full = _WIDTH - _LEFT - _RIGHT
    return full if panel.wide else (full - _GAP) / 2


def _mark_width(panel: Panel) -> float:
    """The room a mark's number takes, as a share of the plot's width."""
    return 0.2 / _plot_width(panel)


def _legend_columns(panel: Panel) -> int:
    return 4 if panel.wide else 2


def _positions(chart: Chart) -> list[float]:
    """Where the marks lie on the date axis, from 0 (first day) to 1 (last)."""
    low, high = chart.x_range()
    return [(ordinal(m.date) - low) / (high - low) for m in chart.marks]


def _draw(figure: Figure, chart: Chart, rows: list[list[_Slot]], height: float) -> None:
    header = figure.add_axes((0, 1 - _HEADER / height, 1, _HEADER / height))
    _header(header, chart)
    top = height - _HEADER
    for row in rows:
        block = max(slot.height for slot in row)
        for slot in row:
            plot = _WIDE_PLOT if slot.panel.wide else _NARROW_PLOT
            width = _plot_width(slot.panel)
            left = _LEFT + slot.column * (width + _GAP)
            bottom = top - _ABOVE - _MARK_ROW * slot.mark_rows - plot
            axes = figure.add_axes((left / _WIDTH, bottom / height, width / _WIDTH, plot / height))
            _panel(axes, chart, slot, plot)
        top -= block


def _header(axes: Axes, chart: Chart) -> None:
    axes.axis("off")
    left = _LEFT / _WIDTH / 2
    axes.text(left, 0.82, chart.title, fontsize=14, fontweight="bold", va="top", ha="left")
    axes.text(left, 0.5, chart.subtitle, fontsize=10, color="#555555", va="top", ha="left")
    marks = "     ".join(
        f"({m.number}) {m.label} – {date_label(m.date, chart.lang)}" for m in chart.marks
    )
    if marks:
        axes.text(left, 0.22, textwrap.fill(marks, 150), fontsize=9, va="top", ha="left")


def _panel(axes: Axes, chart: Chart, slot: _Slot, plot: float) -> None:
    panel = slot.panel
    days = chart.days
    for series in panel.series:
        axes.plot(
            days,
            series.values,
            color=series.colour,
            linewidth=1.6,
            marker="o",
            markersize=dot_radius(days * 72 * _plot_width(panel) / (days.max() - days.min() or 1)),
            label=series.label,
        )
    low, high = chart.x_range()
    axes.set_xlim(low, high)
    ticks = y_ticks(panel)
    step = ticks[1] - ticks[0]
    axes.set_ylim(ticks[0], ticks[-1])
    axes.set_yticks(ticks, [tick_text(t, step, panel.axis, chart.lang) for t in ticks])
    shown = x_ticks(chart, 14 if panel.wide else 7)
    axes.set_xticks([day for day, _ in shown], [label for _, label in shown])
    axes.tick_params(length=3, colors="#444444")
    _marks(axes, chart, _mark_width(panel))
    pad = 5 + 72 * _MARK_ROW * slot.mark_rows
    axes.set_title(panel.title, loc="left", fontsize=10, fontweight="bold", pad=pad)
    if slot.legend_rows:
        axes.legend(
            loc="upper left",
            bbox_to_anchor=(0, -(_BELOW - 0.04) / plot),
            ncol=min(len(panel.series), _legend_columns(panel)),
            frameon=False,
            fontsize=8,
            handlelength=1.5,
            borderaxespad=0,
        )


def _marks(axes: Axes, chart: Chart, width: float) -> None:
    """Draw the marks as dashed lines with their numbers in rows above the plot."""
    positions = _positions(chart)
    for mark, at, row in zip(chart.marks, positions, mark_rows(positions, width), strict=True):
        axes.axvline(ordinal(mark.date), color=MARK_COLOUR, linestyle=(0, (4, 3)), linewidth=0.8)
        axes.annotate(
            str(mark.number),
            (at, 1),
            xycoords="axes fraction",
            xytext=(0, 4 + 72 * _MARK_ROW * row),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            color="white",
            fontweight="bold",
            bbox={"boxstyle": "circle,pad=0.2", "facecolor": MARK_COLOUR, "edgecolor": "none"},
        )
