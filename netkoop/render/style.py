"""The look of a network, for every backend: colours, shapes, dash patterns, widths and sizes.

Shapes are named neutrally (circle, square, triangle, hexagon, star); each backend maps them to
its own (vis-network's "dot", matplotlib's "o"). Lengths are in the backend's drawing units.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

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

#: A tie only one side of a survey reported (``confirmed`` is ``no`` or ``unknown``): drawn in
#: its kind's colour at this opacity, with this dash pattern whatever its kind.
ONE_SIDED_OPACITY = 0.45
ONE_SIDED_DASHES: tuple[int, ...] = (4, 6)

#: The outline of a unit asked by a survey that did not answer (``responded`` is False):
#: colour, width and dash pattern.
NO_ANSWER_BORDER = "#1a1a1a"
NO_ANSWER_WIDTH = 3.0
NO_ANSWER_DASHES: tuple[int, ...] = (3, 3)
