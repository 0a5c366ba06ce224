"""The sheet of a static figure: what its map draws of a network, in canvas coordinates.

`sheet_of` takes the same `Drawing`, measures, layout and outlines as the page: the units
with their places, sizes and fills, the ties with their widths and curves, the largest
commuter pairs without a tie, the outlines as paths, the choropleth's classes, and the words
of the title, reference date and credits. `netkoop.render.static` draws it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from matplotlib.path import Path as MplPath

from netkoop._errors import NetkoopError, NetkoopWarning
from netkoop._version import __version__
from netkoop.model.dates import day_of
from netkoop.model.labels import date_label
from netkoop.model.metadata import Credit
from netkoop.model.network import Network
from netkoop.model.selection import confirmation, responded
from netkoop.render.classes import Classes, choropleth
from netkoop.render.drawing import Drawing, drawing_of, plain_drawing
from netkoop.render.labels import Lang, text
from netkoop.render.layout import place_units
from netkoop.render.measures import Shown, largest_gaps, measure
from netkoop.render.options import RenderOptions
from netkoop.render.outlines import LEVEL_ORDER, context_units
from netkoop.render.projection import MapFrame
from netkoop.render.style import INTENSITY_WIDTH, PLAIN_WIDTH, UNIT_STYLE, marker_sizes


@dataclass(frozen=True, eq=False)
class Sheet:
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


def sheet_of(network: Network, options: RenderOptions) -> Sheet:
    """Return what the figure of ``network`` draws with ``options``, as its page would."""
    drawing, day = _drawing(network, options)
    shown = measure(drawing, options)
    current = drawing.current
    units = drawing.units.reset_index(drop=True)
    placed = place_units(units, drawing.ties, seed=options.seed)
    radius, sized = _sizes(units, shown, options.size_by)
    outlines = outline_paths(current.outlines, placed.frame)
    classes = _classes(current, shown, options, drawn=bool(outlines))
    table = units.assign(x=placed.x, y=placed.y, radius=radius)
    table["fill"] = table["kind"].map(lambda kind: UNIT_STYLE.get(kind, ("#7f7f7f",))[0])
    said = responded(units)
    table["no_answer"] = False if said is None else (said == False).fillna(False).to_numpy()  # noqa: E712
    table = table[~context_units(current, units, drawing.ties)]
    metadata = drawing.metadata or current.metadata
    return Sheet(
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
    return plain_drawing(on), day


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


def outline_paths(outlines: pd.DataFrame, frame: MapFrame | None) -> list[tuple[str, str, MplPath]]:
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
