"""The look of a network, for every backend: colours, shapes, dash patterns, widths and sizes.

Shapes are named neutrally (circle, square, triangle, hexagon, star); each backend maps them to
its own (vis-network's "dot", matplotlib's "o"). Lengths are in the backend's drawing units.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

Shape = Literal["circle", "square", "triangle", "hexagon", "star"]

#: Colour (Okabe–Ito, readable with colour-vision deficiency) and shape of each unit kind.
UNIT_STYLE: Mapping[str, tuple[str, Shape]] = MappingProxyType(
    {
        "land": ("#7f7f7f", "hexagon"),
        "landkreis": ("#009e73", "circle"),
        "kreisfreie_stadt": ("#d55e00", "square"),
        "gemeinde": ("#56b4e9", "triangle"),
        "forum": ("#cc79a7", "star"),
    }
)

#: Colour and dash pattern (dash, gap, ...; empty: solid) of each tie kind.
TIE_STYLE: Mapping[str, tuple[str, tuple[int, ...]]] = MappingProxyType(
    {
        "exchange": ("#0072b2", ()),
        "shared_staff": ("#e69f00", (12, 5)),
        "joint_project": ("#882255", ()),
        "shared_material": ("#999933", (3, 4)),
        "service_opening": ("#aa3377", (8, 3, 2, 3)),
        "membership": ("#8c8c8c", (5, 5)),
    }
)

#: Width of a tie by its intensity; a tie without intensity is drawn `PLAIN_WIDTH` wide.
INTENSITY_WIDTH: Mapping[str, float] = MappingProxyType(
    {"occasional": 1.0, "regular": 2.2, "intensive": 3.6}
)
PLAIN_WIDTH = 1.5

#: Roundness added for each further tie between the same two units (curved apart).
CURVE_STEP = 0.22

#: Node size (radius) of the smallest and the largest value of ``size_by``.
SIZE_RANGE = (5.0, 42.0)

#: Node size of each kind of unit when it has no value of ``size_by``.
KIND_SIZE: Mapping[str, float] = MappingProxyType(
    {"land": 26.0, "landkreis": 16.0, "kreisfreie_stadt": 16.0, "gemeinde": 8.0, "forum": 15.0}
)


def marker_sizes(values: np.ndarray, kinds: pd.Series) -> np.ndarray:
    """Node sizes, page and figure alike: the area grows with ``values`` within `SIZE_RANGE`
    (from 0, or from the smallest value when some are negative); a unit without a value, or
    every unit when none has one, gets the `KIND_SIZE` of its kind.

    >>> marker_sizes(np.array([0.0, 25.0, 100.0, np.nan]), pd.Series(["gemeinde"] * 4)).tolist()
    [5.0, 23.5, 42.0, 8.0]
    """
    fixed = kinds.map(KIND_SIZE).fillna(10.0).to_numpy(dtype=np.float64)
    known = np.isfinite(values)
    if not known.any():
        return fixed
    shifted = values - min(0.0, float(values[known].min()))
    top = float(shifted[known].max())
    small, large = SIZE_RANGE
    root = np.sqrt(np.where(known, shifted, 0) / top) if top > 0 else np.zeros(len(values))
    return np.asarray(np.where(known, small + (large - small) * root, fixed), dtype=np.float64)


#: A tie only one side of a survey reported (``confirmed`` is ``no`` or ``unknown``): drawn in
#: its kind's colour at this opacity, with this dash pattern whatever its kind.
ONE_SIDED_OPACITY = 0.45
ONE_SIDED_DASHES: tuple[int, ...] = (4, 6)

#: The outline of a unit asked by a survey that did not answer (``responded`` is False):
#: colour, width and dash pattern.
NO_ANSWER_BORDER = "#1a1a1a"
NO_ANSWER_WIDTH = 3.0
NO_ANSWER_DASHES: tuple[int, ...] = (3, 3)

#: The typeface of the page's text and labels (a system font: a page embeds no font file).
FONT_FACE = "system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

#: Unit labels: size (pixels on screen, which they keep when the view zooms), bold and italic
#: by kind; labels of Kreise stand out, forums are set apart in italics.
LABEL_FONT: Mapping[str, tuple[float, bool, bool]] = MappingProxyType(
    {
        "land": (12.0, False, False),
        "landkreis": (13.0, True, False),
        "kreisfreie_stadt": (13.0, True, False),
        "gemeinde": (11.0, False, False),
        "forum": (11.0, False, True),
    }
)
LABEL_COLOR = "#222222"
#: The halo around label text that keeps it readable over ties and polygons, and its width.
LABEL_HALO = ("#ffffff", 3.0)

#: Outlines by level: border colour and width (pixels on screen, kept when zooming); Land
#: borders are drawn heaviest, over those of Kreise and Gemeinden.
OUTLINE_STYLE: Mapping[str, tuple[str, float]] = MappingProxyType(
    {"land": ("#4a4a4a", 2.0), "kreis": ("#858585", 0.9), "gemeinde": ("#b0b0b0", 0.6)}
)
#: The fill of a polygon without a choropleth class (or of every polygon without one).
OUTLINE_FILL = "#f3f3f1"
#: The opacity of fills: a choropleth stays behind the network drawn over it.
FILL_OPACITY = 0.8
#: The border of the polygon under the pointer.
OUTLINE_HOVER = ("#1a1a1a", 2.0)
