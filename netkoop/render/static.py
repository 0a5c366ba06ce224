"""Print figures of a network: the map of the page drawn with matplotlib as PNG, SVG or PDF.

The figure draws what the page draws, from the same `Drawing`, measures, layout, outlines
and neutral style: outlines under the network (a choropleth by ``color_by`` with the classes
of `netkoop.render.classes`), units by kind and size, ties by kind and intensity, the
largest commuter pairs without a tie (dashed), a legend, the title, the reference date and
the credits the data's licences ask for. It uses matplotlib's Agg canvas and no pyplot
state; the same input and seed give the same bytes.
"""

from __future__ import annotations

import dataclasses
import io
import textwrap
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, groupby
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Affine2D

from netkoop._errors import NetkoopError, NetkoopWarning
from netkoop._version import __version__
from netkoop.model.dates import day_of
from netkoop.model.labels import date_label
from netkoop.model.metadata import Credit
from netkoop.model.network import Network
from netkoop.model.selection import confirmation, responded
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS, TIE_KINDS, UNIT_KINDS
from netkoop.output.files import Paths, write_file
from netkoop.output.formats import Formats, check_file_format, choose_format, file_format
from netkoop.render.classes import Classes, choropleth
from netkoop.render.drawing import Drawing, drawing_of
from netkoop.render.labels import Lang, kind_label, text
from netkoop.render.layout import place_units
from netkoop.render.measures import Shown, largest_gaps, measure
from netkoop.render.names import label_order, short_name
from netkoop.render.options import RenderOptions
from netkoop.render.outlines import LEVEL_ORDER, context_units
from netkoop.render.projection import MapFrame
from netkoop.render.style import (
    CURVE_STEP,
    INTENSITY_WIDTH,
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
    PLAIN_WIDTH,
    TIE_STYLE,
    UNIT_STYLE,
    Shape,
    marker_sizes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Static figures: PNG (raster), SVG (vector, to edit), PDF (vector, to print).
STATIC: Formats = MappingProxyType({"png": (".png",), "svg": (".svg",), "pdf": (".pdf",)})

#: The size of a figure in centimetres (width, height): A4 landscape.
A4_LANDSCAPE = (29.7, 21.0)

#: Dots per inch of a PNG.
DPI = 200

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

#: Settings every figure is drawn with: a fixed salt for SVG ids, text kept as text (to
#: search and edit), embedded TrueType fonts in PDF, dash lengths in points.
RC: Mapping[str, object] = MappingProxyType(
    {
        "svg.hashsalt": "netkoop",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "font.family": "DejaVu Sans",
        "lines.scale_dashes": False,
    }
)

# The sheet in inches at A4 landscape, scaled with the figure: margin, header, footer, legend.
_A4_INCHES = (A4_LANDSCAPE[0] / 2.54, A4_LANDSCAPE[1] / 2.54)
_MARGIN, _HEADER, _FOOTER, _LEGEND, _GAP = 0.35, 0.75, 0.42, 2.7, 0.2


def static_format(path: str | Path) -> str:
    """Return ``"png"``, ``"svg"`` or ``"pdf"`` for a figure written to ``path``.

    Raises
    ------
    OutputError
        When the ending names none of them (standard output, ``-``, takes no figure).

    Examples
    --------
    >>> static_format("karte.PDF")
    'pdf'
    """
    return file_format(path, STATIC, "figure")


def check_static(path: str | Path, *, overwrite: bool = False, protect: Paths = ()) -> str:
    """Return the format of a figure to write at ``path``, after checking it may go there.

    Raises
    ------
    OutputError
        When the ending names no figure format, the file exists without ``overwrite``, or
        is an input (see `netkoop.output.files`).
    """
    return check_file_format(path, STATIC, "figure", overwrite=overwrite, protect=protect)


def render_static(
    network: Network,
    path: str | Path,
    options: RenderOptions | None = None,
    *,
    overwrite: bool = False,
    size: tuple[float, float] = A4_LANDSCAPE,
    dpi: int = DPI,
    focus: str | None = None,
    **settings: Any,
) -> Path:
    """Write the map of ``network`` as a PNG, SVG or PDF figure, as the ending of ``path`` says.

    Parameters
    ----------
    network
        The network to draw (e.g. `netkoop.render.region.region` of a larger one).
    path
        The file to write, ending in .png, .svg or .pdf.
    options
        How to draw it (`RenderOptions`, as for the page); the defaults when omitted.
    overwrite
        Replace an existing file (never one the network was read from).
    size
        Width and height in centimetres; A4 landscape by default.
    dpi
        Dots per inch of a PNG (vector formats keep it for their raster parts only).
    focus
        The id of a unit to mark: a dark ring around its symbol and its outline drawn dark.
    **settings
        Fields of `RenderOptions` to change, e.g. ``lang="en"``, ``size_by="degree"``,
        ``color_by="coverage"`` (a choropleth of the outlines, as on the page),
        ``classes="natural_breaks"``, ``k=7``.

    Returns
    -------
    The path written.

    Raises
    ------
    NetkoopError
        When an option is not valid, ``focus`` is no unit of the network, or ``path`` names
        no figure format or may not be written (see `check_static`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "karte.png"
    >>> render_static(netkoop.load("beispielregion"), out, dpi=50).name
    'karte.png'
    """
    protect = network.metadata.inputs
    chosen = check_static(path, overwrite=overwrite, protect=protect)
    content = static_figure(
        network,
        chosen,
        options,
        size=size,
        dpi=dpi,
        focus=focus,
        **settings,
    )
    return write_file(path, content, overwrite=overwrite, protect=protect)


def static_figure(
    network: Network,
    fmt: str = "png",
    options: RenderOptions | None = None,
    *,
    size: tuple[float, float] = A4_LANDSCAPE,
    dpi: int = DPI,
    focus: str | None = None,
    **settings: Any,
) -> bytes:
    """Return the map of ``network`` as PNG, SVG or PDF bytes; see `render_static`.

    Examples
    --------
    >>> figure = static_figure(netkoop.load("beispielregion"), "pdf")
    >>> figure[:5]
    b'%PDF-'
    """
    chosen = choose_format(f"figure.{fmt}", fmt, STATIC)
    width, height = (float(v) for v in size)
    if not (2 <= width <= 200 and 2 <= height <= 200):
        raise NetkoopError(f"size: width and height must be 2 to 200 cm; got {width} x {height}")
    if not 10 <= dpi <= 1200:
        raise NetkoopError(f"dpi must be 10 to 1200; got {dpi}")
    picked = RenderOptions.of(options, **settings)
    if focus is not None and not (network.units["id"] == focus).any():
        raise NetkoopError(f"focus: {focus!r} is no unit of this network")
    sheet = dataclasses.replace(_prepare(network, picked), focus=focus)
    with mpl.rc_context(cast(Any, dict(RC))):
        figure = Figure(figsize=(width / 2.54, height / 2.54), dpi=dpi)
        FigureCanvasAgg(figure)
        _draw(figure, sheet, raster=chosen == "png")
        out = io.BytesIO()
        figure.savefig(out, format=chosen, dpi=dpi, metadata=_METADATA[chosen])
    return out.getvalue()


# Metadata without dates, so that the same figure gives the same bytes.
_METADATA: Mapping[str, dict[str, Any]] = MappingProxyType(
    {
        "png": {"Software": f"netkoop {__version__}"},
        "svg": {"Date": None, "Creator": f"netkoop {__version__}"},
        "pdf": {"CreationDate": None, "Creator": f"netkoop {__version__}"},
    }
)


# --- what the figure draws ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Sheet:
    """Everything a figure draws, in canvas coordinates (y grows downwards)."""

    lang: Lang
    title: str
    subtitle: str
    credits: str
    units: pd.DataFrame  # the units drawn, with x, y, radius, fill
    ties: pd.DataFrame  # a, b (positions in units), kind, width, one_sided, curve
    gaps: pd.DataFrame  # a, b, total
    outlines: list[tuple[str, str, MplPath]]  # id, level, path
    fills: Mapping[str, str]  # outline id: choropleth colour
    classes: Classes | None
    color_by: str | None
    size_by: str | None  # None: sizes by kind
    bounds: tuple[float, float, float, float]
    focus: str | None = None  # the id of the unit marked


def _prepare(network: Network, options: RenderOptions) -> _Sheet:
    drawing, day = _drawing(network, options)
    shown = measure(drawing, options)
    current = drawing.current
    units = drawing.units.reset_index(drop=True)
    placed = place_units(units, drawing.ties, seed=options.seed)
    radius, sized = _sizes(units, shown, options.size_by)
    outlines = _outline_paths(current.outlines, placed.frame)
    classes = _classes(current, shown, options, drawn=bool(outlines))
    table = units.assign(x=placed.x, y=placed.y, radius=radius)
    table["fill"] = table["kind"].map(lambda kind: UNIT_STYLE.get(kind, ("#7f7f7f",))[0])
    said = responded(units)
    table["no_answer"] = False if said is None else (said == False).fillna(False).to_numpy()  # noqa: E712
    table = table[~context_units(current, units, drawing.ties)]
    metadata = drawing.metadata or current.metadata
    return _Sheet(
        lang=options.lang,
        title=options.title or metadata.title or metadata.name,
        subtitle=_subtitle(metadata.reference_date, day, options.lang),
        credits=_credits(metadata.sources, options.lang),
        units=table,
        ties=_ties(drawing, pd.Index(table["id"])),
        gaps=_gaps(drawing, shown, pd.Index(table["id"])) if options.flows else _NO_GAPS,
        outlines=outlines,
        fills={} if classes is None else {str(i): c for i, c in classes.colour_of().items()},
        classes=classes,
        color_by=options.color_by,
        size_by=options.size_by if sized else None,
        bounds=_bounds(table, outlines),
    )


def _classes(
    network: Network, shown: Shown, options: RenderOptions, *, drawn: bool
) -> Classes | None:
    """The choropleth's classes as the page makes them; None without one, or (with a
    warning, as on the page) without outlines to fill."""
    name = options.color_by
    if name is None:
        return None
    if not drawn:
        why = "no outlines" if network.outlines.empty else "no coordinates to place its units by"
        warnings.warn(
            f"color_by {name!r}: the network has {why}; the figure shows no choropleth",
            NetkoopWarning,
            stacklevel=4,
        )
        return None
    scheme, lang = options.classes, options.lang
    return choropleth(network, name, scheme=scheme, k=options.k, lang=lang, extra=shown.extra)


def _drawing(network: Network, options: RenderOptions) -> tuple[Drawing, str | None]:
    """The drawing of the network on the day shown, and that day when one is asked or implied.

    A network with dates is drawn as its page opens: on the opening day of its date slider.
    """
    selected = network.select_ties(options.ties, min_confidence=options.min_confidence)
    drawing = drawing_of(selected, at=options.at)
    if drawing.slider is None:
        return drawing, None if options.at is None else day_of(options.at)
    day = drawing.slider.opening
    on = selected.at(day)
    return (
        Drawing(
            units=on.units,
            ties=on.ties,
            current=on,
            unit_status=np.zeros(len(on.units), dtype=np.int8),
            tie_status=np.zeros(len(on.ties), dtype=np.int8),
            metadata=on.metadata,
        ),
        day,
    )


def _sizes(units: pd.DataFrame, shown: Shown, size_by: str) -> tuple[np.ndarray, bool]:
    """Marker radii in canvas units as on the page (area grows with ``size_by``), and
    whether any unit has a value of ``size_by``."""
    index = pd.Index(units["id"])
    figures = shown.current.units.reindex(index)
    extra = shown.extra.reindex(index)
    if size_by in extra.columns:
        column = extra[size_by]
    elif size_by in figures.columns:
        column = figures[size_by]
    elif size_by in units.columns:
        column = units[size_by].set_axis(index)
    else:
        raise NetkoopError(f"size_by {size_by!r} is not a unit column or measure")
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return marker_sizes(values, units["kind"]), bool(np.isfinite(values).any())


def _ties(drawing: Drawing, index: pd.Index) -> pd.DataFrame:
    """The ties between units drawn, with their width, whether one-sided, and their curve."""
    ties = drawing.ties.reset_index(drop=True)
    a = index.get_indexer(pd.Index(ties["from"]))
    b = index.get_indexer(pd.Index(ties["to"]))
    widths = ties["intensity"].map(INTENSITY_WIDTH).fillna(PLAIN_WIDTH)
    one_sided = (
        confirmation(ties).isin(["no", "unknown"])
        if "confirmed" in ties.columns
        else pd.Series(False, index=ties.index)
    )
    table = pd.DataFrame(
        {
            "a": a,
            "b": b,
            "kind": ties["kind"].to_numpy(),
            "width": widths.to_numpy(dtype=np.float64),
            "one_sided": one_sided.to_numpy(dtype=bool),
        }
    )
    table = table[(table["a"] >= 0) & (table["b"] >= 0) & (table["a"] != table["b"])]
    # Several ties between two units curve apart as on the page: 0, +1, -1, +2 ... steps.
    low = np.minimum(table["a"], table["b"])
    high = np.maximum(table["a"], table["b"])
    within = table.groupby([low, high], sort=False).cumcount().to_numpy()
    curve = np.where(within % 2 == 1, 1, -1) * ((within + 1) // 2)
    table["curve"] = np.where(table["a"] < table["b"], curve, -curve)
    return table.reset_index(drop=True)


_NO_GAPS = pd.DataFrame({"a": [], "b": [], "total": []}, dtype=np.int64)


def _gaps(drawing: Drawing, shown: Shown, index: pd.Index) -> pd.DataFrame:
    """The largest commuter pairs without a tie (as the page lists them) between units drawn."""
    gaps = largest_gaps(drawing.current, shown.current.pairs)
    if not gaps:
        return _NO_GAPS
    frame = pd.DataFrame(gaps, columns=["from", "to", "total"])
    table = pd.DataFrame(
        {
            "a": index.get_indexer(pd.Index(frame["from"])),
            "b": index.get_indexer(pd.Index(frame["to"])),
            "total": frame["total"],
        }
    )
    return table[(table["a"] >= 0) & (table["b"] >= 0)].reset_index(drop=True)


def _outline_paths(
    outlines: pd.DataFrame, frame: MapFrame | None
) -> list[tuple[str, str, MplPath]]:
    """The outlines as paths in canvas coordinates, in `LEVEL_ORDER`; holes wound against
    their outer ring, so that every backend leaves them open.

    Each ring becomes its points, closing point included, then its first point again
    (``CLOSEPOLY``); the rings of all outlines are projected, oriented and closed at once.
    """
    if frame is None or outlines.empty:
        return []
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    ordered = outlines.assign(_rank=outlines["level"].map(rank).fillna(len(rank)))
    ordered = ordered.sort_values("_rank", kind="stable")
    rings: list[list[list[float]]] = []
    owners: list[int] = []
    holes: list[bool] = []
    for position, geometry in enumerate(ordered["geometry"]):
        polygons = geometry["coordinates"]
        for polygon in [polygons] if geometry["type"] == "Polygon" else polygons:
            for number, ring in enumerate(polygon):
                if len(ring) >= 3:
                    rings.append(ring)
                    owners.append(position)
                    holes.append(number > 0)
    if not rings:
        return []
    sizes = np.fromiter(map(len, rings), dtype=np.intp, count=len(rings))
    lonlat = np.array(list(chain.from_iterable(rings)), dtype=np.float64)[:, :2]
    x, y = frame.canvas(lonlat[:, 0], lonlat[:, 1])
    vertices, codes, ends = _closed_rings(x, y, sizes, np.array(holes))
    # Rings of one outline are consecutive: its path runs from its first ring to its last.
    owner = np.array(owners)
    last = np.flatnonzero(np.r_[owner[1:] != owner[:-1], True])
    stops = ends[last]
    begins = np.r_[0, stops[:-1]]
    ids, levels = ordered["id"].to_numpy(), ordered["level"].to_numpy()
    return [
        (str(ids[o]), str(levels[o]), MplPath(vertices[a:b], codes[a:b]))
        for o, a, b in zip(owner[last].tolist(), begins.tolist(), stops.tolist(), strict=True)
    ]


def _closed_rings(
    x: np.ndarray, y: np.ndarray, sizes: np.ndarray, holes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rings given by their points one after another, as closed paths: the vertices, the
    codes and where each ring ends. Outer rings are turned to a shoelace area of at least 0,
    holes to the other way round (below 0, when they have an area)."""
    starts = np.cumsum(sizes) - sizes
    following = np.arange(len(x)) + 1
    following[starts + sizes - 1] = starts
    twice_area = np.add.reduceat(x * y[following], starts) - np.add.reduceat(
        y * x[following], starts
    )
    flip = (twice_area < 0) != holes
    closed = sizes + 1
    ends = np.cumsum(closed)
    ring = np.repeat(np.arange(len(sizes)), closed)
    step = np.arange(int(ends[-1])) - (ends - closed)[ring]
    step[step == sizes[ring]] = 0  # the closing vertex repeats the first
    step = np.where(flip[ring], sizes[ring] - 1 - step, step)
    index = starts[ring] + step
    vertices = np.column_stack([x[index], y[index]])
    codes = np.full(len(index), MplPath.LINETO, dtype=MplPath.code_type)
    codes[ends - closed] = MplPath.MOVETO
    codes[ends - 1] = MplPath.CLOSEPOLY
    return vertices, codes, ends


def _bounds(
    units: pd.DataFrame, outlines: list[tuple[str, str, MplPath]]
) -> tuple[float, float, float, float]:
    """The box the map frames: the units drawn (their markers whole) and the outlines other
    than Länder'."""
    radius = units["radius"].to_numpy()
    xs = [units["x"].to_numpy() - radius, units["x"].to_numpy() + radius]
    ys = [units["y"].to_numpy() - radius, units["y"].to_numpy() + radius]
    for _, level, path in outlines:
        if level != "land":
            vertices = np.asarray(path.vertices)
            xs.append(vertices[:, 0])
            ys.append(vertices[:, 1])
    x, y = np.concatenate(xs), np.concatenate(ys)
    if not len(x):
        return (-1.0, -1.0, 1.0, 1.0)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def _subtitle(reference: str | None, day: str | None, lang: Lang) -> str:
    if day is not None:
        return f"{text('as_of', lang)} {date_label(day, lang)}"
    if reference:
        return f"{text('reference_date', lang)}: {date_label(reference, lang)}"
    return ""


def _credits(sources: tuple[Credit, ...], lang: Lang) -> str:
    """The credits line: each source's attribution and licence once, then netkoop."""
    parts: list[str] = []
    for source in sources:
        credit = source.credit or source.name
        if source.licence and source.licence not in credit:
            credit = f"{credit} ({source.licence})"
        if credit not in parts:  # two imports of one product credit it alike
            parts.append(credit)
    made = text("made_with", lang, version=__version__)
    return f"{text('sources', lang)}: {'; '.join(parts)} · {made}" if parts else made


# --- drawing -------------------------------------------------------------------------------


def _draw(figure: Figure, sheet: _Sheet, *, raster: bool) -> None:
    """Lay out the sheet: header, the map with the legend to its right, the credits below;
    ``raster`` for a PNG, whose outlines need no artist each (see `_draw_outlines`)."""
    width, height = figure.get_size_inches()
    scale = max(0.6, min(width / _A4_INCHES[0], height / _A4_INCHES[1]))
    margin, header, footer = _MARGIN * scale, _HEADER * scale, _FOOTER * scale
    legend = min(_LEGEND * scale, width * 0.4)
    bottom = margin + footer
    room = (
        72 * (width - 2 * margin - legend - _GAP * scale),
        72 * (height - bottom - margin - header),
    )
    ppu, used = _fit(sheet.bounds, room, scale)
    axes = figure.add_axes(
        (margin / width, bottom / height, used / 72 / width, room[1] / 72 / height)
    )
    _limits(axes, sheet.bounds, ppu, (used, room[1]), scale)
    _draw_outlines(axes, sheet, scale, one_artist=raster)
    _draw_gaps(axes, sheet, scale)
    _draw_ties(axes, sheet, ppu, scale, figure)
    _draw_units(axes, sheet, ppu, scale)
    _draw_labels(axes, sheet, ppu, scale, (used, room[1]))
    left = margin + used / 72 + _GAP * scale
    box = figure.add_axes((left / width, bottom / height, legend / width, room[1] / 72 / height))
    _draw_legend(box, sheet, scale, (legend * 72, room[1]))
    _draw_header(figure, sheet, scale, margin, header)


# Room kept free around the units and outlines in points (sides, top, bottom): for the
# labels of the units at the edge.
_PADS = (26.0, 6.0, 14.0)


def _fit(
    bounds: tuple[float, float, float, float], room: tuple[float, float], scale: float
) -> tuple[float, float]:
    """Points per canvas unit that fit ``bounds`` into ``room``, and the width the map takes."""
    x0, y0, x1, y1 = bounds
    side, top, below = (pad * scale for pad in _PADS)
    ppu = min(
        (room[0] - 2 * side) / max(x1 - x0, 1e-9), (room[1] - top - below) / max(y1 - y0, 1e-9)
    )
    return ppu, min(room[0], (x1 - x0) * ppu + 2 * side)


def _limits(
    axes: Axes,
    bounds: tuple[float, float, float, float],
    ppu: float,
    size: tuple[float, float],
    scale: float,
) -> None:
    """Set the axes to ``ppu`` points per canvas unit, north up: the bounds centred, with
    the room below them for labels (`_PADS`) kept."""
    axes.set_axis_off()
    x0, y0, x1, y1 = bounds
    top, below = _PADS[1] * scale, _PADS[2] * scale
    spare = (size[1] - (y1 - y0) * ppu - top - below) / 2
    cx = (x0 + x1) / 2
    half_x = size[0] / ppu / 2
    axes.set_xlim(cx - half_x, cx + half_x)
    upper = y0 - (top + spare) / ppu
    axes.set_ylim(upper + size[1] / ppu, upper)  # canvas y grows downwards


def _draw_outlines(axes: Axes, sheet: _Sheet, scale: float, *, one_artist: bool) -> None:
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


def _outline_face(sheet: _Sheet, place: str, level: str) -> tuple[float, float, float, float]:
    """The fill of an outline: its choropleth class's colour, a light grey, none for a Land."""
    if level == "land":
        return (0.0, 0.0, 0.0, 0.0)
    fill = sheet.fills.get(place)
    return to_rgba(OUTLINE_FILL) if fill is None else to_rgba(fill, FILL_ALPHA)


def _draw_gaps(axes: Axes, sheet: _Sheet, scale: float) -> None:
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


def _draw_ties(axes: Axes, sheet: _Sheet, ppu: float, scale: float, figure: Figure) -> None:
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
        curves = [
            _curve(xy[a], xy[b], int(c))
            for a, b, c in zip(group["a"], group["b"], group["curve"], strict=True)
        ]
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


def _draw_units(axes: Axes, sheet: _Sheet, ppu: float, scale: float) -> None:
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


def _draw_labels(
    axes: Axes, sheet: _Sheet, ppu: float, scale: float, room: tuple[float, float]
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


def _legend_entries(sheet: _Sheet) -> list[_Entry]:
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


def _draw_legend(axes: Axes, sheet: _Sheet, scale: float, room: tuple[float, float]) -> None:
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


def _draw_header(figure: Figure, sheet: _Sheet, scale: float, margin: float, header: float) -> None:
    """Title and reference date at the top, the credits line at the bottom."""
    width, height = figure.get_size_inches()
    inches = {"transform": figure.dpi_scale_trans, "va": "top"}
    _say(figure, margin, height - margin, sheet.title, 15 * scale, fontweight="bold", **inches)
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
