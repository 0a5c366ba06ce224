"""The page data of a map: projected outlines as small integers, level styles, choropleth classes.

Coordinates are canvas positions in steps of `quantum` canvas units, each the difference to
the one before (across rings and outlines), which keeps the 400 Kreise of Germany in a few
hundred kilobytes of page; the page script (``outlines.js``) adds them up again.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from netkoop._errors import NetkoopWarning
from netkoop.model.network import Network
from netkoop.render.labels import Lang, scheme_label, text
from netkoop.render.layout import Layout
from netkoop.render.measures import Shown
from netkoop.render.options import RenderOptions
from netkoop.render.outlines import LEVEL_ORDER, Shapes, project_outlines
from netkoop.render.style import FILL_OPACITY, OUTLINE_FILL, OUTLINE_HOVER, OUTLINE_STYLE

if TYPE_CHECKING:
    from netkoop.render.classes import Classes

#: The canvas is this many coordinate steps wide: fine enough to zoom far into a Kreis.
STEPS = 40_000


def outline_scene(
    shapes: Shapes, unit_ids: pd.Index, extent: float, fills: pd.Series | None = None
) -> dict[str, Any]:
    """Return the page data of projected outlines.

    Parameters
    ----------
    shapes
        The projected outlines (`netkoop.render.outlines.project_outlines`).
    unit_ids
        The ids of the units in the page's order: an outline of a unit names its code.
    extent
        The width of the drawing in canvas units (it sets the coordinate step).
    fills
        The choropleth class of each unit by unit id (-1 or missing: no class); None
        without a choropleth.

    Examples
    --------
    >>> from netkoop.render.outlines import Shapes
    >>> square = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    >>> shapes = Shapes(("k",), ("kreis",), ("Kreis K",), ((square,),))
    >>> data = outline_scene(shapes, pd.Index(["k"]), extent=400.0)
    >>> data["quantum"], data["xy"], data["rings"], data["unit"]
    (0.01, [0, 0, 1000, 0, 0, 1000, -1000, 0], [[4]], [0])
    """
    quantum = _quantum(extent)
    rings: list[list[int]] = []
    steps: list[np.ndarray] = []
    for outline in shapes.rings:
        kept = [_steps(ring, quantum) for ring in outline]
        kept = [ring for ring in kept if len(ring) >= 3]
        rings.append([len(ring) for ring in kept])
        steps.extend(kept)
    flat = np.concatenate(steps) if steps else np.zeros((0, 2), dtype=np.int64)
    deltas = np.diff(flat, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    units = unit_ids.get_indexer(pd.Index(shapes.ids))
    levels = [level for level in LEVEL_ORDER if level in shapes.levels]
    data: dict[str, Any] = {
        "quantum": quantum,
        "levels": levels,
        "level": [levels.index(level) for level in shapes.levels],
        "name": list(shapes.names),
        "id": list(shapes.ids),
        "unit": units.tolist(),
        "rings": rings,
        "xy": deltas.ravel().tolist(),
        "style": {
            level: {"color": OUTLINE_STYLE[level][0], "width": OUTLINE_STYLE[level][1]}
            for level in levels
        },
        "fill": OUTLINE_FILL,
        "opacity": FILL_OPACITY,
        "hover": {"color": OUTLINE_HOVER[0], "width": OUTLINE_HOVER[1]},
        "classes": None,
    }
    if fills is not None:
        codes = fills.reindex(pd.Index(shapes.ids)).fillna(-1).to_numpy(dtype=np.int64)
        data["classes"] = codes.tolist()
    return data


def _quantum(extent: float) -> float:
    """The coordinate step: a round number near ``extent / STEPS`` canvas units."""
    raw = max(extent, 1.0) / STEPS
    power = 10.0 ** np.floor(np.log10(raw))
    return float(round(power * min(s for s in (1, 2, 5, 10) if s * power >= raw), 12))


def _steps(ring: np.ndarray, quantum: float) -> np.ndarray:
    """A ring in whole coordinate steps, points that fall on the one before left out."""
    points = np.rint(ring / quantum).astype(np.int64)
    if len(points) < 2:
        return points
    moved = np.any(points != np.roll(points, 1, axis=0), axis=1)
    kept: np.ndarray = points[moved]
    return kept


def map_scene(
    network: Network,
    units: pd.DataFrame,
    placed: Layout,
    shown: Shown,
    options: RenderOptions,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Return the page data of the outlines under a network and of their choropleth.

    Outlines are drawn on maps (a geographic layout) of networks that have them; the
    choropleth (``options.color_by``) colours the outlines of the units that
    `netkoop.render.classes.choropleth_units` names, with the classes of
    `netkoop.render.classes.classify`, so a page and a figure of the same network agree.
    Both are None when there is nothing to draw (with a warning when ``color_by`` asks for
    a choropleth).

    Raises
    ------
    NetkoopError
        When ``color_by`` names no measure or column, or its values cannot be classified
        by ``classes``.
    """
    outlines = network.outlines
    if placed.frame is None or outlines.empty:
        if options.color_by is not None:
            why = "no outlines" if outlines.empty else "no coordinates to place its units by"
            warnings.warn(
                f"color_by {options.color_by!r}: the network has {why}; the page shows no "
                "choropleth",
                NetkoopWarning,
                stacklevel=2,
            )
        return None, None
    shapes = project_outlines(outlines, placed.frame, units)
    if options.color_by is None:
        return outline_scene(shapes, pd.Index(units["id"]), placed.extent), None
    found, values = _classes(network, shown, options)
    data = outline_scene(shapes, pd.Index(units["id"]), placed.extent, found.codes)
    choropleth = {
        "column": options.color_by,
        "label": text(options.color_by, options.lang),
        "scheme": found.scheme,
        "schemeLabel": scheme_label(
            found.scheme, len(found.colours) - (found.missing is not None), options.lang
        ),
        "breaks": list(found.breaks),
        "colours": list(found.colours),
        "classLabels": list(found.labels),
        "values": _shown_values(values, shapes, found),
    }
    return data, choropleth


def _classes(network: Network, shown: Shown, options: RenderOptions) -> tuple[Classes, pd.Series]:
    """The classes of ``color_by`` and the values classified, by unit id."""
    # classes imports mapclassify (with scikit-learn), which takes a second or more: pages
    # without a choropleth do not wait for it.
    from netkoop.render import classes  # noqa: PLC0415

    name = str(options.color_by)
    lang: Lang = options.lang
    if name in shown.extra.columns:
        chosen = classes.choropleth_units(network)
        values = shown.extra[name].reindex(chosen).rename(name)
        scheme = options.classes or classes.default_scheme(values)
        return classes.classify(values, scheme, options.k, lang), values
    found = classes.choropleth(network, name, scheme=options.classes, k=options.k, lang=lang)
    values = classes.color_values(network, name).reindex(found.codes.index)
    return found, values


def _shown_values(values: pd.Series, shapes: Shapes, found: Classes) -> list[Any]:
    """Per outline, the value its tooltip shows: a number, or None (categories show their
    class's label, and outlines of units without a value show nothing)."""
    if found.scheme == "categories":
        return [None] * len(shapes)
    numbers = pd.to_numeric(values, errors="coerce").reindex(pd.Index(shapes.ids))
    return [_figure(v) for v in numbers.to_numpy(dtype=np.float64, na_value=np.nan)]


def _figure(value: float) -> int | float | None:
    """A value for JSON: whole numbers as int, others to four significant digits."""
    if not math.isfinite(value):
        return None
    if float(value).is_integer():
        return int(value)
    return float(f"{value:.4g}")
