"""Write a network as one self-contained HTML page: vis-network, page script and data inline."""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import os
import re
import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from pyvis.physics import Physics

from netkoop._errors import NetkoopError
from netkoop.network import Network
from netkoop.render.diff import compare
from netkoop.render.labels import check_lang, text
from netkoop.render.scene import Options, build_scene, drawing_of

#: Height of the page in a Jupyter notebook cell, in pixels.
NOTEBOOK_HEIGHT = 650

_SLOT = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Assets:
    """The files a page embeds: vis-network (shipped with pyvis) and netkoop's page files."""

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
    here = resources.files("netkoop.render")
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
        page_js=(here / "page.js").read_text(encoding="utf-8"),
        page_css=(here / "page.css").read_text(encoding="utf-8"),
        template=(here / "template.html").read_text(encoding="utf-8"),
    )


def script_json(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no value can close the element
    (``</script>``) or open a comment; the JSON means the same.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    written = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        written.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(code: str) -> str:
    """Make JavaScript safe to place inside ``<script>``: no closing tag, no comment opener."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _inline_style(css: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def _hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


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
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {
                "size": 14,
                "face": "system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "color": "#222222",
            },
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.8},
    }


def _page(scene: dict[str, Any], seed: int) -> str:
    scene["vis"] = _vis_options(scene, seed)
    parts = assets()
    scene["visVersion"] = parts.vis_version
    vis_js = _inline_script(parts.vis_js)
    page_js = _inline_script(parts.page_js)
    # Only these two scripts may run: an injected handler (onerror=...) is refused by the
    # browser even if escaping failed somewhere; no request may leave the file.
    policy = (
        "default-src 'none'; "
        f"script-src {_hash(vis_js)} {_hash(page_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    values = {
        "LANG": html.escape(scene["lang"]),
        "TITLE": html.escape(str(scene["title"])),
        "CSP": html.escape(policy, quote=False),
        "VIS_CSS": _inline_style(parts.vis_css),
        "PAGE_CSS": _inline_style(parts.page_css),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
        "DATA": script_json(scene),
    }
    # One pass over the template, so that text inside the values is never substituted.
    return _SLOT.sub(lambda m: values[m.group(1)], parts.template)


def _options(
    *,
    size_by: str,
    lang: str,
    physics: bool | None,
    flows: bool,
    min_commuters: int,
    top_flows: int | None,
    seed: int,
    title: str | None,
    metrics: pd.DataFrame | None,
) -> Options:
    return Options(
        size_by=size_by,
        lang=check_lang(lang),
        physics=physics,
        flows=flows,
        min_commuters=min_commuters,
        top_flows=top_flows,
        seed=seed,
        title=title,
        metrics=metrics,
    )


def to_html(
    network: Network,
    *,
    size_by: str = "population",
    lang: str = "de",
    physics: bool | None = None,
    flows: bool = True,
    min_commuters: int = 1,
    top_flows: int | None = 5,
    seed: int = 0,
    title: str | None = None,
    metrics: pd.DataFrame | None = None,
) -> str:
    """Return the page of ``network`` as HTML text; see `render` for the options.

    Examples
    --------
    >>> import netkoop
    >>> page = to_html(netkoop.load("beispielregion"))
    >>> page.startswith("<!DOCTYPE html>"), "Musterstadt" in page
    (True, True)
    """
    options = _options(
        size_by=size_by,
        lang=lang,
        physics=physics,
        flows=flows,
        min_commuters=min_commuters,
        top_flows=top_flows,
        seed=seed,
        title=title,
        metrics=metrics,
    )
    return _page(build_scene(drawing_of(network), options), seed)


def render(
    network: Network,
    path: str | Path,
    *,
    size_by: str = "population",
    lang: str = "de",
    physics: bool | None = None,
    flows: bool = True,
    min_commuters: int = 1,
    top_flows: int | None = 5,
    seed: int = 0,
    title: str | None = None,
    metrics: pd.DataFrame | None = None,
) -> Path:
    """Write ``network`` as one self-contained, interactive HTML page; return its path.

    The page needs no network connection: vis-network (shipped with pyvis), the page's
    script and style and the data are all inside the file, and its content security policy
    forbids requests to any other host. It is written to a temporary file first and moved
    in place, so a failure leaves no partial page.

    Units are drawn by kind (colour and shape), sized by ``size_by``; ties by kind (colour
    and dash), as wide as their intensity, with arrows for directed kinds, and several ties
    between two units curved apart. Commuter flows form an overlay that can be switched on
    and off, with pairs that no tie joins (the commuting gap) highlighted. The page has a
    legend, key figures, tooltips, search, filters by tie kind, unit kind and Land, and
    highlights a unit's neighbourhood on click.

    Parameters
    ----------
    network
        The network to draw.
    path
        The file to write (usually ending in ``.html``).
    size_by
        What node area shows: ``"population"`` or another numeric unit column, a measure of
        the page (``degree``, ``neighbours``, ``out_commuters``, ``in_commuters``,
        ``uncovered_commuters``), a column of ``metrics``, or a column of
        `netkoop.metrics.unit_structure` (``betweenness``, ``eigenvector``...; computed,
        with sampled betweenness above 2,000 units). Units without a value are drawn at a
        size for their kind.
    lang
        ``"de"`` (German labels, the default) or ``"en"``.
    physics
        Let vis-network move the units (force simulation). By default on for networks
        without coordinates below 300 units, off otherwise, so large networks show at once.
    flows
        Include the commuter overlay (when the network has flows).
    min_commuters
        Leave out commuter pairs (both directions summed) with fewer commuters.
    top_flows
        Draw only each unit's ``top_flows`` largest commuter pairs; None draws every pair
        from ``min_commuters``.
    seed
        Seed of the layout of networks without coordinates.
    title
        The page title; the scenario's title by default.
    metrics
        Measures to show in the tooltips, one row per unit indexed by unit id (e.g. from
        `netkoop.metrics.unit_structure` or `netkoop.metrics.brokerage_roles`); their columns
        can size the nodes.

    Returns
    -------
    The path written.

    Raises
    ------
    NetkoopError
        When an option is not valid (unknown ``size_by`` or ``lang``, negative thresholds),
        or ``path`` does not end in .html or .htm.

    Examples
    --------
    >>> import netkoop, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "netz.html"
    >>> render(netkoop.load("beispielregion"), out).name
    'netz.html'
    """
    page = to_html(
        network,
        size_by=size_by,
        lang=lang,
        physics=physics,
        flows=flows,
        min_commuters=min_commuters,
        top_flows=top_flows,
        seed=seed,
        title=title,
        metrics=metrics,
    )
    return write_page(page, path)


def diff_html(
    base: Network,
    whatif: Network,
    *,
    size_by: str = "population",
    lang: str = "de",
    physics: bool | None = None,
    flows: bool = True,
    min_commuters: int = 1,
    top_flows: int | None = 5,
    seed: int = 0,
    title: str | None = None,
    metrics: pd.DataFrame | None = None,
) -> str:
    """Return the page comparing ``whatif`` with ``base`` as HTML text; see `render_diff`.

    Examples
    --------
    >>> import netkoop
    >>> net = netkoop.load("beispielregion")
    >>> more = net.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    >>> "Musterstadt" in diff_html(net, more)
    True
    """
    options = _options(
        size_by=size_by,
        lang=lang,
        physics=physics,
        flows=flows,
        min_commuters=min_commuters,
        top_flows=top_flows,
        seed=seed,
        title=title
        or text(
            "diff_title",
            check_lang(lang),
            base=base.metadata.title or base.name,
            whatif=whatif.metadata.title or whatif.name,
        ),
        metrics=metrics,
    )
    return _page(build_scene(compare(base, whatif), options), seed)


def render_diff(
    base: Network,
    whatif: Network,
    path: str | Path,
    *,
    size_by: str = "population",
    lang: str = "de",
    physics: bool | None = None,
    flows: bool = True,
    min_commuters: int = 1,
    top_flows: int | None = 5,
    seed: int = 0,
    title: str | None = None,
    metrics: pd.DataFrame | None = None,
) -> Path:
    """Write a page showing how ``whatif`` differs from ``base``; return its path.

    Every unit and tie of either network is drawn: ties only ``whatif`` has are highlighted
    (a green glow, drawn wider), ties only ``base`` has are dashed and faded, and units
    likewise. Key figures show both values; the commuter overlay marks pairs that
    ``whatif`` newly ties. Options as for `render`; measures are those of ``whatif``.

    Examples
    --------
    >>> import netkoop, tempfile, pathlib
    >>> net = netkoop.load("beispielregion")
    >>> fewer = net.remove_ties([{"from": "musterstadt", "to": "lk-nord"}])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "vergleich.html"
    >>> render_diff(net, fewer, out).name
    'vergleich.html'
    """
    page = diff_html(
        base,
        whatif,
        size_by=size_by,
        lang=lang,
        physics=physics,
        flows=flows,
        min_commuters=min_commuters,
        top_flows=top_flows,
        seed=seed,
        title=title,
        metrics=metrics,
    )
    return write_page(page, path)


#: File endings a page may be written to.
SUFFIXES = (".html", ".htm")


def write_page(page: str, path: str | Path) -> Path:
    """Write HTML text to ``path`` as UTF-8, through a temporary file moved in place.

    Raises
    ------
    NetkoopError
        When ``path`` does not end in .html or .htm (which also keeps a scenario file from
        being overwritten by mistake).
    """
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        raise NetkoopError(
            f"{target}: a page is written to a file ending in .html or .htm; choose such a name"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name of our own (not mkstemp, which makes files only the owner can read), so
    # the page gets the usual permissions of a new file.
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporary.open("x", encoding="utf-8", newline="\n") as out:
            out.write(page)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


@dataclass(frozen=True)
class Page:
    """A rendered page that shows itself in a Jupyter notebook (in a sandboxed iframe).

    Attributes
    ----------
    html
        The whole page.
    height
        Height of the notebook frame in pixels.
    """

    html: str
    height: int = NOTEBOOK_HEIGHT

    def _repr_html_(self) -> str:
        # srcdoc keeps the page apart from the notebook: its own document, scripts sandboxed.
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts" loading="lazy"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path``; return the path."""
        return write_page(self.html, path)


def show(network: Network, *, height: int = NOTEBOOK_HEIGHT, **options: Any) -> Page:
    """Return the page of ``network`` for display in a Jupyter notebook.

    Options as for `render`. In a notebook, make it the last expression of a cell.

    Examples
    --------
    >>> import netkoop
    >>> show(netkoop.load("beispielregion"))._repr_html_().startswith("<iframe srcdoc=")
    True
    """
    return Page(to_html(network, **options), height=height)


def show_diff(
    base: Network, whatif: Network, *, height: int = NOTEBOOK_HEIGHT, **options: Any
) -> Page:
    """Return the comparison page of two networks for display in a notebook; see `render_diff`."""
    return Page(diff_html(base, whatif, **options), height=height)
