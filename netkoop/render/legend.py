"""The legend of a static figure beside its map, and the title, reference date and credits.

The legend explains the symbols `netkoop.render.map_layers` draws: the choropleth's classes,
the unit kinds and what their size means, the tie kinds and intensities, the commuter pairs
without a tie and the borders.
"""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, TIE_KINDS, UNIT_KINDS
from netkoop.render.labels import Lang, kind_label, text
from netkoop.render.map_layers import (
    FILL_ALPHA,
    GAP_ALPHA,
    GAP_COLOUR,
    GAP_DASHES,
    MARKERS,
    POINTS_PER_PIXEL,
)
from netkoop.render.sheet import Sheet
from netkoop.render.style import (
    INTENSITY_WIDTH,
    NO_ANSWER_BORDER,
    ONE_SIDED_DASHES,
    ONE_SIDED_OPACITY,
    OUTLINE_STYLE,
    PLAIN_WIDTH,
    TIE_STYLE,
    UNIT_STYLE,
    Shape,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class _Entry:
    """One row of the legend: a heading, a note, or a symbol with its label."""

    what: str  # heading, note, patch, marker, line, ring
    label: str
    colour: str = "#555555"
    shape: Shape = "circle"
    dashes: tuple[float, ...] = ()
    width: float = 1.0
    alpha: float = 1.0


def _legend_entries(sheet: Sheet) -> list[_Entry]:
    lang = sheet.lang
    entries: list[_Entry] = []
    if sheet.classes is not None and sheet.color_by is not None:
        entries.append(_Entry("heading", text(sheet.color_by, lang)))
        entries += [_Entry("patch", label, colour) for colour, label in sheet.classes.legend()]
        counted = len(sheet.classes.colours) - (sheet.classes.missing is not None)
        scheme = text(f"scheme_{sheet.classes.scheme}", lang, k=str(counted))
        entries.append(_Entry("note", scheme))
    kinds = [k for k in UNIT_KINDS if (sheet.units["kind"] == k).any()]
    if kinds:
        entries.append(_Entry("heading", text("unit_kinds", lang)))
        entries += [
            _Entry("marker", kind_label(k, lang), UNIT_STYLE[k][0], UNIT_STYLE[k][1]) for k in kinds
        ]
        what = text(sheet.size_by, lang) if sheet.size_by else None
        note = text("size_means", lang, what=what) if what else text("size_fixed", lang)
        entries.append(_Entry("note", note))
    if sheet.units["no_answer"].any():
        entries.append(_Entry("ring", text("no_answer", lang), NO_ANSWER_BORDER))
    entries += _tie_entries(sheet.ties, lang)
    if not sheet.gaps.empty:
        entries.append(_Entry("heading", text("flows", lang)))
        gap = _Entry("line", text("gap_list", lang), GAP_COLOUR, dashes=GAP_DASHES, width=2.5)
        entries.append(dataclasses.replace(gap, alpha=GAP_ALPHA))
    levels = {level for _, level, _ in sheet.outlines}
    if levels:
        entries.append(_Entry("heading", text("outlines", lang)))
    for level in ("land", "kreis", "gemeinde"):
        if level in levels:
            colour, width = OUTLINE_STYLE[level]
            label = text(f"border_{level}", lang)
            entries.append(_Entry("line", label, colour, width=width * POINTS_PER_PIXEL))
    return entries


def _tie_entries(ties: pd.DataFrame, lang: Lang) -> list[_Entry]:
    if ties.empty:
        return []
    entries = [_Entry("heading", text("tie_kinds", lang))]
    for kind in (*TIE_KINDS, *sorted(set(ties["kind"]) - set(TIE_KINDS))):
        if (ties["kind"] == kind).any():
            colour, dashes = TIE_STYLE.get(kind, ("#555555", ()))
            label = kind_label(kind, lang)
            if kind in DIRECTED_TIE_KINDS:
                label = f"{label} ({text('directed', lang)})"
            pattern = tuple(d * POINTS_PER_PIXEL for d in dashes)
            entries.append(
                _Entry("line", label, colour, dashes=pattern, width=PLAIN_WIDTH * POINTS_PER_PIXEL)
            )
    widths = set(ties["width"])
    if widths - {PLAIN_WIDTH}:
        entries.append(_Entry("heading", text("intensity", lang)))
        entries += [
            _Entry("line", text(level, lang), width=width * POINTS_PER_PIXEL)
            for level, width in INTENSITY_WIDTH.items()
            if width in widths
        ]
    if ties["one_sided"].any():
        pattern = tuple(d * POINTS_PER_PIXEL for d in ONE_SIDED_DASHES)
        entries.append(
            _Entry("line", text("one_sided", lang), dashes=pattern, alpha=ONE_SIDED_OPACITY)
        )
    return entries


def draw_legend(axes: Axes, sheet: Sheet, scale: float, room: tuple[float, float]) -> None:
    """The legend in a column beside the map, its rows in points from the top."""
    axes.set_axis_off()
    width, height = room
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    entries = _legend_entries(sheet)
    row = min(11.5 * scale, height / max(len(entries) + 1, 1))
    font = min(7.4 * scale, row * 0.68)
    symbol, gap = 16 * scale, 5 * scale
    y = 0.0
    for number, entry in enumerate(entries):
        middle = y + row / 2
        if entry.what == "heading":
            middle += row * (0.45 if number else 0)
            y += row * (0.45 if number else 0)
            heading = entry.label[:1].upper() + entry.label[1:]
            _say(axes, 0, middle, heading, font * 1.08, fontweight="bold")
        elif entry.what == "note":
            _say(axes, 0, middle, entry.label, font * 0.9, color="#666666", fontstyle="italic")
        else:
            _symbol(axes, entry, (symbol / 2, middle), symbol, scale)
            _say(axes, symbol + gap, middle, entry.label, font)
        y += row


def _say(where: Axes | Figure, x: float, y: float, words: str, size: float, **style: Any) -> Any:
    """Write ``words`` at ``x``, ``y``: left-aligned, centred on ``y``, dark grey by default."""
    return where.text(
        x, y, words, fontsize=size, **({"va": "center", "ha": "left", "color": "#222222"} | style)
    )


def _symbol(
    axes: Axes, entry: _Entry, at: tuple[float, float], length: float, scale: float
) -> None:
    """The symbol of a legend row: a fill, a unit's marker (or ring), or a line."""
    x, y = at
    if entry.what == "patch":
        side = length * 0.6
        fill = to_rgba(entry.colour, FILL_ALPHA)
        box = Rectangle((x - side / 2, y - side * 0.35), side, side * 0.7, facecolor=fill)
        box.set(edgecolor="#9a9a9a", linewidth=0.4 * scale)
        axes.add_patch(box)
    elif entry.what == "marker":
        marker = MARKERS[entry.shape]
        axes.scatter(
            [x], [y], s=(7 * scale) ** 2, marker=marker, c=entry.colour, edgecolors="white"
        )
    elif entry.what == "ring":
        ring = [(0, (2.0 * scale, 1.5 * scale))]
        size = (7 * scale) ** 2
        axes.scatter([x], [y], s=size, facecolors="none", edgecolors=entry.colour, linestyles=ring)
    else:
        style = (0, tuple(d * scale for d in entry.dashes)) if entry.dashes else "solid"
        (line,) = axes.plot([x - length / 2, x + length / 2], [y, y], color=entry.colour)
        line.set(alpha=entry.alpha, linewidth=entry.width * scale, linestyle=style)
        line.set_solid_capstyle("butt")


def draw_header(figure: Figure, sheet: Sheet, scale: float, margin: float, header: float) -> None:
    """Title and reference date at the top, the credits line at the bottom."""
    width, height = figure.get_size_inches()
    inches = {"transform": figure.dpi_scale_trans, "va": "top"}
    title = _say(
        figure, margin, height - margin, sheet.title, 15 * scale, fontweight="bold", **inches
    )
    _fit_width(title, (width - 2 * margin) * figure.dpi, smallest=9 * scale)
    if sheet.subtitle:
        top = height - margin - header * 0.55
        _say(figure, margin, top, sheet.subtitle, 9 * scale, color="#555555", **inches)
    font = 6.5 * scale
    wrapped = textwrap.fill(sheet.credits, max(20, int((width - 2 * margin) * 72 / (0.55 * font))))
    inches["va"] = "bottom"
    credits = _say(
        figure, margin, margin, wrapped, font, color="#444444", linespacing=1.3, **inches
    )
    credits.set_gid("credits")


def _fit_width(words: Any, pixels: float, *, smallest: float) -> None:
    """Shrink a one-line text to ``pixels`` wide, not below ``smallest`` points.

    A long scenario title would otherwise run off the page.
    """
    wide = words.get_window_extent().width  # with the figure's own (Agg) renderer
    if wide > pixels:
        words.set_fontsize(max(smallest, words.get_fontsize() * pixels / wide))
