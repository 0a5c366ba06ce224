"""Write a network as one self-contained HTML page: vis-network, page script and data inline."""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pyvis.physics import Physics

from netkoop._errors import NetkoopError
from netkoop.output.html import csp_hash, inline_script, inline_style, script_json

_SLOT = re.compile(r"\{\{(\w+)\}\}")

#: The page script's files, joined into the page's one script in this order: labels and
#: outlines first, for the page script that uses them.
SCRIPT_FILES = ("labels.js", "outlines.js", "page.js")


@dataclass(frozen=True)
class Assets:
    """The files a page embeds: vis-network (shipped with pyvis) and netkoop's page files
    (``page_js`` joins `SCRIPT_FILES`)."""

    vis_js: str
    vis_css: str
    vis_version: str
    page_js: str
    page_css: str
    template: str


@functools.cache
def assets() -> Assets:
    """Read the embedded files once per process.

    Raises
    ------
    NetkoopError
        When pyvis ships no vis-network build.
    """
    lib = resources.files("pyvis") / "lib"
    builds = sorted(
        (p for p in lib.iterdir() if p.name.startswith("vis-") and p.is_dir()),
        key=lambda p: tuple(int(part) for part in re.findall(r"\d+", p.name)),
    )
    if not builds:
        raise NetkoopError("pyvis ships no vis-network build (pyvis/lib/vis-*); reinstall pyvis")
    vis = builds[-1]
    here = resources.files("netkoop.render.vis")
    # The source map is not shipped; a reference to it would only make browsers look for it.
    vis_js = re.sub(
        r"^//# sourceMappingURL=.*$",
        "",
        (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        flags=re.M,
    )
    return Assets(
        vis_js=vis_js,
        vis_css=(vis / "vis-network.css").read_text(encoding="utf-8"),
        vis_version=vis.name.removeprefix("vis-"),
        page_js="\n".join((here / name).read_text(encoding="utf-8") for name in SCRIPT_FILES),
        page_css=(here / "page.css").read_text(encoding="utf-8"),
        template=(here / "template.html").read_text(encoding="utf-8"),
    )


def _vis_options(scene: dict[str, Any], seed: int) -> dict[str, Any]:
    """vis-network options: physics from pyvis's settings object, drawing tuned for size."""
    physics = Physics()
    physics.use_force_atlas_2based(
        {
            "gravity": -60,
            "central_gravity": 0.005,
            "spring_length": 120,
            "spring_strength": 0.06,
            "damping": 0.5,
            "overlap": 0.2,
        }
    )
    physics.stabilization.iterations = 200
    physics.stabilization.updateInterval = 50
    settings = json.loads(physics.to_json())
    # The page frames the drawing itself once the layout is stable, with room for labels.
    settings["stabilization"]["fit"] = False
    settings["enabled"] = bool(scene["physics"])
    big = bool(scene["big"])
    return {
        "autoResize": True,
        "physics": settings,
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {
            "hover": True,
            "tooltipDelay": 80,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        # Labels are drawn by the page script (labels.js), not by vis-network.
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3},
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.8},
    }


def page_html(scene: dict[str, Any], seed: int) -> str:
    """Return the whole page of a scene: vis-network, the page script and the data inline."""
    scene["vis"] = _vis_options(scene, seed)
    parts = assets()
    scene["visVersion"] = parts.vis_version
    vis_js = inline_script(parts.vis_js)
    page_js = inline_script(parts.page_js)
    # Only these two scripts may run: an injected handler (onerror=...) is refused by the
    # browser even if escaping failed somewhere; no request may leave the file.
    policy = (
        "default-src 'none'; "
        f"script-src {csp_hash(vis_js)} {csp_hash(page_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    values = {
        "LANG": html.escape(scene["lang"]),
        "TITLE": html.escape(str(scene["title"])),
        "CSP": html.escape(policy, quote=False),
        "VIS_CSS": inline_style(parts.vis_css),
        "PAGE_CSS": inline_style(parts.page_css),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
        "DATA": script_json(scene),
    }
    # One pass over the template, so that text inside the values is never substituted.
    return _SLOT.sub(lambda m: values[m.group(1)], parts.template)
