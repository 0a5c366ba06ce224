"""Draw networks for people: interactive offline pages, in one neutral style for every backend.

``drawing`` says what a picture draws (one network, or two compared), ``measures`` takes the
figures it shows from the metrics layer, ``layout`` places the units (maps through
``projection``, ETRS89-LAEA), ``outlines`` projects the polygons under them and ``classes``
makes a choropleth's classes, ``style``, ``labels`` and ``names`` give the look, the words and
the order and length of unit labels, ``options`` the settings, and ``page`` writes the page
through the vis-network backend (``vis``). ``render`` writes one network,
``render_diff`` the difference of two; ``to_html`` and ``diff_html`` return the page as text,
and ``show``/``show_diff`` display it in Jupyter.
"""

from netkoop.render.drawing import Drawing, difference, drawing_of
from netkoop.render.labels import LANGUAGES
from netkoop.render.layout import Layout, place_units
from netkoop.render.options import RenderOptions
from netkoop.render.page import (
    Page,
    diff_html,
    render,
    render_diff,
    show,
    show_diff,
    to_html,
    write_page,
)
from netkoop.render.style import TIE_STYLE, UNIT_STYLE

__all__ = [
    "LANGUAGES",
    "TIE_STYLE",
    "UNIT_STYLE",
    "Drawing",
    "Layout",
    "Page",
    "RenderOptions",
    "diff_html",
    "difference",
    "drawing_of",
    "place_units",
    "render",
    "render_diff",
    "show",
    "show_diff",
    "to_html",
    "write_page",
]
