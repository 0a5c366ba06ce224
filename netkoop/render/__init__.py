"""Draw networks as interactive, self-contained HTML pages (vis-network via pyvis's files).

``render`` writes one network, ``render_diff`` the difference of two; ``to_html`` and
``diff_html`` return the page as text, and ``show``/``show_diff`` display it in Jupyter.
Only this package imports pyvis.
"""

from netkoop.render.diff import compare
from netkoop.render.html import (
    Page,
    diff_html,
    render,
    render_diff,
    show,
    show_diff,
    to_html,
    write_page,
)
from netkoop.render.labels import LANGUAGES
from netkoop.render.layout import Layout, place_units
from netkoop.render.scene import TIE_STYLE, UNIT_STYLE

__all__ = [
    "LANGUAGES",
    "TIE_STYLE",
    "UNIT_STYLE",
    "Layout",
    "Page",
    "compare",
    "diff_html",
    "place_units",
    "render",
    "render_diff",
    "show",
    "show_diff",
    "to_html",
    "write_page",
]
