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
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from netkoop._errors import NetkoopError
from netkoop._version import __version__
from netkoop.model.network import Network
from netkoop.output.files import Paths, write_file
from netkoop.output.formats import Formats, check_file_format, choose_format, file_format
from netkoop.render.legend import draw_header, draw_legend
from netkoop.render.map_layers import (
    FILL_ALPHA,
    FOCUS_COLOUR,
    FOCUS_WIDTH,
    GAP_ALPHA,
    GAP_COLOUR,
    GAP_DASHES,
    LABEL_POINTS,
    LABEL_ROOM,
    MARKERS,
    POINTS_PER_PIXEL,
    draw_gaps,
    draw_labels,
    draw_outlines,
    draw_ties,
    draw_units,
)
from netkoop.render.options import RenderOptions
from netkoop.render.sheet import Sheet, sheet_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "A4_LANDSCAPE",
    "DPI",
    "FILL_ALPHA",
    "FOCUS_COLOUR",
    "FOCUS_WIDTH",
    "GAP_ALPHA",
    "GAP_COLOUR",
    "GAP_DASHES",
    "LABEL_POINTS",
    "LABEL_ROOM",
    "MARKERS",
    "POINTS_PER_PIXEL",
    "RC",
    "STATIC",
    "check_static",
    "render_static",
    "static_figure",
    "static_format",
]

#: Static figures: PNG (raster), SVG (vector, to edit), PDF (vector, to print).
STATIC: Formats = MappingProxyType({"png": (".png",), "svg": (".svg",), "pdf": (".pdf",)})

#: The size of a figure in centimetres (width, height): A4 landscape.
A4_LANDSCAPE = (29.7, 21.0)

#: Dots per inch of a PNG.
DPI = 200


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
    sheet = dataclasses.replace(sheet_of(network, picked), focus=focus)
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


def _draw(figure: Figure, sheet: Sheet, *, raster: bool) -> None:
    """Lay out the sheet: header, the map with the legend to its right, the credits below;
    ``raster`` for a PNG, whose outlines need no artist each (see
    `netkoop.render.map_layers.draw_outlines`)."""
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
    draw_outlines(axes, sheet, scale, one_artist=raster)
    draw_gaps(axes, sheet, scale)
    draw_ties(axes, sheet, ppu, scale, figure)
    draw_units(axes, sheet, ppu, scale)
    draw_labels(axes, sheet, ppu, scale, (used, room[1]))
    left = margin + used / 72 + _GAP * scale
    box = figure.add_axes((left / width, bottom / height, legend / width, room[1] / 72 / height))
    draw_legend(box, sheet, scale, (legend * 72, room[1]))
    draw_header(figure, sheet, scale, margin, header)


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
