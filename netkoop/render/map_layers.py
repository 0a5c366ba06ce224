"""Draw the map of a static figure with matplotlib: outlines, commuter pairs, ties, units, labels.

Each layer draws from a `Sheet` onto axes whose data coordinates are the canvas's, at ``ppu``
points per canvas unit; page pixels become points of print by `POINTS_PER_PIXEL`, and every
length grows with the figure's ``scale``.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Affine2D

from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, UNIT_KINDS
from netkoop.render.names import label_order, short_name
from netkoop.render.sheet import Sheet
from netkoop.render.style import (
    CURVE_STEP,
    LABEL_COLOR,
    LABEL_FONT,
    LABEL_HALO,
    NO_ANSWER_BORDER,
    NO_ANSWER_DASHES,
    NO_ANSWER_WIDTH,
    ONE_SIDED_DASHES,
    ONE_SIDED_OPACITY,
    OUTLINE_FILL,
    OUTLINE_STYLE,
    TIE_STYLE,
    UNIT_STYLE,
    Shape,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Page pixels become this many points of print: line widths, dashes and label sizes.
POINTS_PER_PIXEL = 0.55

#: Label sizes: points of print per pixel of the page's label font (`LABEL_FONT`).
LABEL_POINTS = 0.45

#: The opacity of choropleth fills, which lets ties show on the darkest class.
FILL_ALPHA = 0.65

#: Commuter pairs without a tie: colour and opacity (as on the page), dash pattern (points).
GAP_COLOUR, GAP_ALPHA, GAP_DASHES = "#d72626", 0.6, (5.0, 3.0)

#: The unit a figure is made for (``focus``): the colour and width (points) of the ring around
#: its symbol and of its outline.
FOCUS_COLOUR, FOCUS_WIDTH = "#111111", 2.2

#: The most labels a figure writes: one per this many square points of map (fewer where
#: they would overlap), so that a national map keeps room for its colours.
LABEL_ROOM = 1500.0

#: matplotlib's marker of each neutral shape.
MARKERS: Mapping[Shape, str] = MappingProxyType(
    {"circle": "o", "square": "s", "triangle": "^", "hexagon": "h", "star": "*"}
)


def draw_outlines(axes: Axes, sheet: Sheet, scale: float, *, one_artist: bool) -> None:
    """Draw the outlines, each a patch with its id (``outline-kreis-03254`` in SVG), or with
    ``one_artist`` (for a PNG) those of one level in one collection.

    A collection fills and strokes each path in turn as the patches do, so the pixels are the
    same; it saves the thousands of artists a Gemeinde map would need (seconds).
    """
    for level, group in groupby(sheet.outlines, key=lambda outline: outline[1]):
        colour, width = OUTLINE_STYLE.get(level, OUTLINE_STYLE["kreis"])
        style: dict[str, Any] = {
            "edgecolor": colour,
            "linewidth": width * POINTS_PER_PIXEL * scale,
            "zorder": 1 if level != "land" else 2,
            "joinstyle": "round",
        }
        paths, faces = [], []
        for place, _, path in group:
            face = _outline_face(sheet, place, level)
            if one_artist and place != sheet.focus:
                paths.append(path)
                faces.append(face)
                continue
            patch = PathPatch(path, facecolor=face, **style)
            if place == sheet.focus:
                patch.set(edgecolor=FOCUS_COLOUR, linewidth=FOCUS_WIDTH * scale, zorder=3)
            patch.set_gid(f"outline-{level}-{place}")
            # add_artist, not add_patch: the limits are set, and add_patch would measure
            # every Bézier segment of 400 Kreise for them (seconds).
            axes.add_artist(patch)
        if len(paths) == 1:  # a collection of one path is drawn as a marker: other pixels
            axes.add_artist(PathPatch(paths[0], facecolor=faces[0], **style))
        elif paths:
            # No fill at all for Länder, as a patch without a fill: their borders are clipped.
            fill = "none" if level == "land" else faces
            collection = PathCollection(paths, facecolors=fill, **style)
            collection.set_gid(f"outlines-{level}")
            axes.add_collection(collection, autolim=False)


def _outline_face(sheet: Sheet, place: str, level: str) -> tuple[float, float, float, float]:
    """The fill of an outline: its choropleth class's colour, a light grey, none for a Land."""
    if level == "land":
        return (0.0, 0.0, 0.0, 0.0)
    fill = sheet.fills.get(place)
    return to_rgba(OUTLINE_FILL) if fill is None else to_rgba(fill, FILL_ALPHA)


def draw_gaps(axes: Axes, sheet: Sheet, scale: float) -> None:
    """Draw the largest commuter pairs without a tie as dashed lines, wider for more."""
    gaps = sheet.gaps
    if gaps.empty:
        return
    xy = sheet.units[["x", "y"]].to_numpy()
    segments = np.stack([xy[gaps["a"]], xy[gaps["b"]]], axis=1)
    share = np.sqrt(gaps["total"].to_numpy(dtype=np.float64) / float(gaps["total"].max()))
    lines = LineCollection(
        list(segments),
        colors=GAP_COLOUR,
        alpha=GAP_ALPHA,
        linewidths=(1 + 7 * share) * 0.35 * scale,
        linestyles=[(0, tuple(d * scale for d in GAP_DASHES))],
        capstyle="butt",
        zorder=3,
    )
    lines.set_gid("gaps")
    axes.add_collection(lines)


def draw_ties(axes: Axes, sheet: Sheet, ppu: float, scale: float, figure: Figure) -> None:
    """Draw the ties by kind, width and side, curved apart, with arrow heads if directed."""
    ties = sheet.ties
    if ties.empty:
        return
    xy = sheet.units[["x", "y"]].to_numpy()
    radius = sheet.units["radius"].to_numpy() * ppu
    for key, group in ties.groupby(["kind", "width", "one_sided"], sort=True):
        kind, width, one_sided = cast(tuple[str, float, bool], key)
        colour, dashes = TIE_STYLE.get(kind, ("#555555", ()))
        pattern = ONE_SIDED_DASHES if one_sided else dashes
        line_width = width * POINTS_PER_PIXEL * scale
        style = (0, tuple(d * POINTS_PER_PIXEL * scale for d in pattern)) if pattern else "solid"
        curves = _curves(xy, group["a"].to_numpy(), group["b"].to_numpy(), group["curve"])
        lines = LineCollection(
            curves,
            colors=colour,
            alpha=ONE_SIDED_OPACITY if one_sided else 0.9,
            linewidths=line_width,
            linestyles=[style],
            capstyle="round",
            zorder=4,
        )
        lines.set_gid(f"ties-{kind}")
        axes.add_collection(lines)
        if kind in DIRECTED_TIE_KINDS:
            heads = [
                _arrow(c[-2], c[-1], radius[b], line_width)
                for c, b in zip(curves, group["b"], strict=True)
            ]
            arrows = PolyCollection(
                heads,
                offsets=xy[group["b"].to_numpy()],
                offset_transform=axes.transData,
                transform=Affine2D().scale(1 / 72) + figure.dpi_scale_trans,
                facecolors=colour,
                edgecolors="none",
                alpha=ONE_SIDED_OPACITY if one_sided else 0.9,
                zorder=4,
            )
            axes.add_collection(arrows)


def _curves(xy: np.ndarray, a: np.ndarray, b: np.ndarray, curve: Any) -> list[np.ndarray]:
    """The `_curve` of each tie from ``xy[a]`` to ``xy[b]``: the straight ones in one step."""
    bends = np.asarray(curve, dtype=np.int64)
    curves = list(np.stack((xy[a], xy[b]), axis=1))
    for i in np.flatnonzero(bends):
        curves[i] = _curve(xy[a[i]], xy[b[i]], int(bends[i]))
    return curves


def _curve(start: np.ndarray, end: np.ndarray, curve: int) -> np.ndarray:
    """A straight tie, or one bent to the side by ``curve`` steps (a quadratic Bézier)."""
    if curve == 0:
        return np.array([start, end])
    middle = (start + end) / 2
    along = end - start
    normal = np.array([-along[1], along[0]])
    control = middle + normal * curve * CURVE_STEP
    t = np.linspace(0, 1, 17)[:, None]
    points: np.ndarray = (1 - t) ** 2 * start + 2 * (1 - t) * t * control + t**2 * end
    return points


def _arrow(before: np.ndarray, end: np.ndarray, radius: float, width: float) -> np.ndarray:
    """An arrow head in points around the end of a tie, its tip at the unit's edge."""
    direction = np.array([end[0] - before[0], before[1] - end[1]])  # points: y grows upwards
    length = float(np.hypot(*direction)) or 1.0
    u = direction / length
    n = np.array([-u[1], u[0]])
    head = 2.5 + 2.2 * width
    tip = -u * radius
    base = tip - u * head
    return np.array([tip, base + n * head * 0.45, base - n * head * 0.45])


def draw_units(axes: Axes, sheet: Sheet, ppu: float, scale: float) -> None:
    """Draw the units by kind, largest first, with rings for no answer and for the focus."""
    units = sheet.units
    floor = 0.7 * scale
    for kind in (*UNIT_KINDS, *sorted(set(units["kind"]) - set(UNIT_KINDS))):
        chosen = units[units["kind"] == kind].sort_values("radius", ascending=False, kind="stable")
        if chosen.empty:
            continue
        shape = UNIT_STYLE.get(kind, ("#7f7f7f", "circle"))[1]
        radius = np.maximum(chosen["radius"].to_numpy() * ppu, floor)
        dots = axes.scatter(
            chosen["x"],
            chosen["y"],
            s=(2 * radius) ** 2,
            c=list(chosen["fill"]),
            marker=MARKERS[shape],
            edgecolors="white",
            linewidths=0.4 * scale,
            zorder=5,
        )
        dots.set_gid(f"units-{kind}")
        silent = chosen[chosen["no_answer"]]
        if len(silent):
            axes.scatter(
                silent["x"],
                silent["y"],
                s=(2 * radius[chosen["no_answer"].to_numpy()] + 3 * scale) ** 2,
                facecolors="none",
                edgecolors=NO_ANSWER_BORDER,
                linewidths=NO_ANSWER_WIDTH * POINTS_PER_PIXEL * 0.6 * scale,
                linestyles=[(0, tuple(d * POINTS_PER_PIXEL for d in NO_ANSWER_DASHES))],
                marker=MARKERS[shape],
                zorder=5,
            )
        marked = (chosen["id"] == sheet.focus).to_numpy()
        if marked.any():
            ring = axes.scatter(
                chosen["x"][marked],
                chosen["y"][marked],
                s=(2 * radius[marked] + 4 * FOCUS_WIDTH * scale) ** 2,
                facecolors="none",
                edgecolors=FOCUS_COLOUR,
                linewidths=FOCUS_WIDTH * scale,
                marker=MARKERS[shape],
                zorder=6,
            )
            ring.set_gid(f"focus-{sheet.focus}")


# Where a label may go, tried in order: below its unit, above, right, left (offset
# direction, and the text's alignment).
_PLACES = (
    ((0, -1), "center", "top"),
    ((0, 1), "center", "bottom"),
    ((1, 0), "left", "center"),
    ((-1, 0), "right", "center"),
)


def draw_labels(
    axes: Axes, sheet: Sheet, ppu: float, scale: float, room: tuple[float, float]
) -> None:
    """Write the names of the units, most important first, none over another or the edge."""
    units = sheet.units.reset_index(drop=True)
    x0, y0 = axes.get_xlim()[0], axes.get_ylim()[1]
    halo, halo_width = LABEL_HALO
    effects = [withStroke(linewidth=halo_width * POINTS_PER_PIXEL * scale, foreground=halo)]
    taken = np.zeros((0, 4))
    most = int(room[0] * room[1] / (LABEL_ROOM * scale**2))
    for position in label_order(units)[: most * 8]:
        row = units.iloc[int(position)]
        size, bold, italic = LABEL_FONT.get(str(row["kind"]), (11.0, False, False))
        font = size * LABEL_POINTS * scale
        label = short_name(str(row["name"])) if row["kind"] == "forum" else str(row["name"])
        # In points from the top left of the map: the unit's centre, its reach, the label's size.
        at = ((float(row["x"]) - x0) * ppu, (float(row["y"]) - y0) * ppu)
        reach = max(float(row["radius"]) * ppu, 0.7 * scale) + 1
        extent = (0.6 * font * len(label) + 2, 1.25 * font)
        found = _free_place(taken, at, reach, extent, room)
        if found is None:
            continue
        box, ((dx, dy), ha, va) = found
        taken = np.vstack([taken, box])
        axes.annotate(
            label,
            (float(row["x"]), float(row["y"])),
            xytext=(dx * reach, dy * reach),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=font,
            fontweight="bold" if bold else "normal",
            fontstyle="italic" if italic else "normal",
            color=LABEL_COLOR,
            path_effects=effects,
            zorder=6,
            annotation_clip=False,
        )
        if len(taken) >= most:
            break


def _free_place(
    taken: np.ndarray,
    at: tuple[float, float],
    reach: float,
    extent: tuple[float, float],
    room: tuple[float, float],
) -> tuple[np.ndarray, tuple[tuple[int, int], str, str]] | None:
    """The first of `_PLACES` where a label fits inside the map and over no other label."""
    for place in _PLACES:
        box = _label_box(at, reach, extent, place[0])
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= room[0] and box[3] <= room[1]
        if inside and not _overlaps(taken, box):
            return box, place
    return None


def _label_box(
    at: tuple[float, float],
    reach: float,
    extent: tuple[float, float],
    direction: tuple[int, int],
) -> np.ndarray:
    """The box (left, top, right, bottom; points, y down) of a label beside its unit."""
    (x, y), (width, height), (dx, dy) = at, extent, direction
    if dx:
        left = x + reach if dx > 0 else x - reach - width
        return np.array([left, y - height / 2, left + width, y + height / 2])
    top = y + reach if dy < 0 else y - reach - height
    return np.array([x - width / 2, top, x + width / 2, top + height])


def _overlaps(boxes: np.ndarray, box: np.ndarray) -> bool:
    """Tell whether ``box`` overlaps one of ``boxes`` (rows of left, top, right, bottom)."""
    return bool(
        (
            (boxes[:, 0] < box[2])
            & (boxes[:, 2] > box[0])
            & (boxes[:, 1] < box[3])
            & (boxes[:, 3] > box[1])
        ).any()
    )
