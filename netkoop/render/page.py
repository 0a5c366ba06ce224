"""Pages: a network, or two compared, as one self-contained interactive HTML file.

Each page is made in three steps: what it draws (`netkoop.render.drawing`), the measures it
shows (`netkoop.render.measures`), and the vis-network backend that turns both into HTML
(`netkoop.render.vis`). Options come as one `RenderOptions` value or as its fields by keyword.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netkoop._errors import NetkoopError
from netkoop.model.network import Network
from netkoop.output.files import Paths, check_file, is_stdout, write_text
from netkoop.output.formats import PAGE, choose_format
from netkoop.render.drawing import Drawing, difference, drawing_of
from netkoop.render.labels import Lang, text
from netkoop.render.measures import measure
from netkoop.render.options import RenderOptions
from netkoop.render.vis.document import page_html
from netkoop.render.vis.scene import build_scene
from netkoop.whatif.compare import select_both

#: Height of the page in a Jupyter notebook cell, in pixels.
NOTEBOOK_HEIGHT = 650

#: Names longer than this are cut in a page's one-line summary.
SUMMARY_NAME_WIDTH = 60

#: What a page is, in its one-line summary: a network, or two compared.
_PAGE_WORDS: dict[Lang, tuple[str, str]] = {
    "de": ("Seite", "Vergleich"),
    "en": ("page", "comparison"),
}


def to_html(
    network: Network,
    options: RenderOptions | None = None,
    *,
    focus: str | None = None,
    **settings: Any,
) -> str:
    """Return the page of ``network`` as HTML text; see `render`.

    Examples
    --------
    >>> page = to_html(netkoop.load("beispielregion"), lang="en")
    >>> page.startswith("<!DOCTYPE html>"), "Musterstadt" in page
    (True, True)
    """
    chosen = RenderOptions.of(options, **settings)
    return _html(drawing_of(_selected(network, chosen), at=chosen.at), chosen, focus)


def render(
    network: Network,
    path: str | Path,
    options: RenderOptions | None = None,
    *,
    overwrite: bool = False,
    focus: str | None = None,
    **settings: Any,
) -> Path | None:
    """Write ``network`` as one self-contained, interactive HTML page; return its path.

    The page needs no network connection: vis-network (shipped with pyvis), the page's
    script and style and the data are all inside the file, and its content security policy
    forbids requests to any other host. It is written whole or not at all.

    Units are drawn by kind (colour and shape), sized by ``size_by``; ties by kind (colour
    and dash), as wide as their intensity, with arrows for directed kinds, and several ties
    between two units curved apart. Commuter flows form an overlay that can be switched on
    and off, with pairs that no tie joins (the commuting gap) highlighted. The page has a
    legend, key figures, tooltips, search, filters by tie kind, unit kind and Land, and
    highlights a unit's neighbourhood on click.

    When ties or units carry dates (``since``, ``until``), the page has a date slider with
    a play button: it shows the network on the chosen date, exactly as `Network.at` gives
    it, with the key figures of that date; ties that began since the previous position,
    and those that end before the next one, are highlighted. It opens on ``at``, else on
    the reference date, else on the last position (see `netkoop.render.dates`). Without
    dates the page has no slider.

    A network with outlines (`netkoop.Network.outlines`) and coordinates is drawn as a map:
    units and polygons projected alike with ETRS89-LAEA, the polygons under the network, Land
    borders heavier than Kreis borders, and Land units without ties left to their outline.
    ``color_by`` fills the polygons by a value of their units in classes of mapclassify
    (``classes``, ``k``), with a legend; hovering a polygon names its place. Unit labels
    keep their size on screen and never overlap each other or cross the edge: the more
    important ones (Kreise, then Gemeinden, then forums; within a kind the larger
    population) are placed first, the others appear as the view zooms in, and long forum
    names are shortened (in full on hover).

    A survey shows in the page: units asked that did not answer (``responded`` False) have
    a dashed dark outline, ties only one side reported (``confirmed`` ``no`` or
    ``unknown``) are dashed and lighter in their kind's colour; both have a legend entry
    and a filter, and a tie's tooltip says who reported it and whether it is confirmed.
    Comment columns stay out of the page unless ``comments`` asks for them.

    With ``focus`` the page opens with that unit selected, as if clicked: its neighbourhood
    highlighted and its partners listed (e.g. for the region `netkoop.render.region.
    focus_region` cuts around it).

    Parameters
    ----------
    network
        The network to draw.
    path
        The file to write, ending in .html or .htm; ``-`` writes to standard output.
    options
        How to draw it (`RenderOptions`); the defaults when omitted.
    overwrite
        Replace an existing file (never one the network was read from).
    focus
        The id of the unit the page opens on, selected; none when omitted. A unit not on
        the page when it opens (filtered out, or not yet there on its first date) is not
        selected.
    **settings
        Fields of `RenderOptions` to change, e.g. ``lang="en"``, ``size_by="betweenness"``.

    Returns
    -------
    The path written; None for standard output.

    Raises
    ------
    NetkoopError
        When an option is not valid (unknown ``size_by`` or ``lang``, negative thresholds),
        ``focus`` is no unit of the network, ``path`` does not end in .html or .htm, or
        exists and ``overwrite`` is not given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "netz.html"
    >>> render(netkoop.load("beispielregion"), out).name
    'netz.html'
    """
    chosen = RenderOptions.of(options, **settings)
    protect = network.metadata.inputs
    check_page(path, overwrite=overwrite, protect=protect)
    page = _html(drawing_of(_selected(network, chosen), at=chosen.at), chosen, focus)
    return write_page(page, path, overwrite=overwrite, protect=protect)


def diff_html(
    base: Network,
    whatif: Network,
    options: RenderOptions | None = None,
    *,
    focus: str | None = None,
    **settings: Any,
) -> str:
    """Return the page comparing ``whatif`` with ``base`` as HTML text; see `render_diff`.

    Examples
    --------
    >>> net = netkoop.load("beispielregion")
    >>> more = net.add_ties([{"from": "lk-nord", "to": "lk-sued", "kind": "exchange"}])
    >>> "Musterstadt" in diff_html(net, more)
    True
    """
    chosen = RenderOptions.of(options, **settings)
    if chosen.title is None:
        title = text(
            "diff_title",
            chosen.lang,
            base=base.metadata.title or base.name,
            whatif=whatif.metadata.title or whatif.name,
        )
        chosen = RenderOptions.of(chosen, title=title)
    if chosen.at is not None:
        base, whatif = base.at(chosen.at), whatif.at(chosen.at)
    base, whatif = select_both(base, whatif, chosen.ties, min_confidence=chosen.min_confidence)
    return _html(difference(base, whatif), chosen, focus)


def render_diff(
    base: Network,
    whatif: Network,
    path: str | Path,
    options: RenderOptions | None = None,
    *,
    overwrite: bool = False,
    focus: str | None = None,
    **settings: Any,
) -> Path | None:
    """Write a page showing how ``whatif`` differs from ``base``; return its path.

    Every unit and tie of either network is drawn: ties only ``whatif`` has are highlighted
    (a green glow, drawn wider), ties only ``base`` has are dashed and faded, and units
    likewise. Key figures show both values; the commuter overlay marks pairs that
    ``whatif`` newly ties. Options (and ``focus``) as for `render`; measures are those of
    ``whatif``.
    A comparison has no date slider: with ``at`` both networks are compared as they
    stood on that date.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> net = netkoop.load("beispielregion")
    >>> fewer = net.remove_ties([{"from": "musterstadt", "to": "lk-nord"}])
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "vergleich.html"
    >>> render_diff(net, fewer, out).name
    'vergleich.html'
    """
    protect = (*base.metadata.inputs, *whatif.metadata.inputs)
    check_page(path, overwrite=overwrite, protect=protect)
    page = diff_html(base, whatif, options, focus=focus, **settings)
    return write_page(page, path, overwrite=overwrite, protect=protect)


def write_page(
    page: str, path: str | Path, *, overwrite: bool = False, protect: Paths = ()
) -> Path | None:
    """Write HTML text to ``path`` (``-``: standard output) through the output layer.

    Raises
    ------
    OutputError
        When ``path`` does not end in .html or .htm (which also keeps a scenario file from
        being overwritten by mistake), exists without ``overwrite``, or is an input.
    """
    check_page(path, overwrite=overwrite, protect=protect)
    return write_text(path, page, overwrite=overwrite, protect=protect)


def check_page(path: str | Path, *, overwrite: bool = False, protect: Paths = ()) -> None:
    """Refuse a name that is no page or may not be written, before the page is made.

    Raises
    ------
    OutputError
        When ``path`` does not end in .html or .htm, exists without ``overwrite``, or is an
        input.
    """
    choose_format(path, "html", PAGE, strict=True)
    if not is_stdout(path):
        check_file(Path(path), overwrite=overwrite, protect=protect)


def _selected(network: Network, options: RenderOptions) -> Network:
    return network.select_ties(options.ties, min_confidence=options.min_confidence)


def _html(drawing: Drawing, options: RenderOptions, focus: str | None = None) -> str:
    ids = list(drawing.units["id"].astype("str"))
    if focus is not None and focus not in ids:
        raise NetkoopError(f"focus: {focus!r} is no unit of this network")
    scene = build_scene(drawing, measure(drawing, options), options)
    # The position of the unit the page opens selected (None: none).
    scene["focus"] = None if focus is None else scene["units"]["id"].index(focus)
    return page_html(scene, options.seed)


@dataclass(frozen=True, repr=False)
class Page:
    """A rendered page that shows itself in a Jupyter notebook (in a sandboxed iframe).

    A notebook stores the page once, as the frame; its plain text is the one-line
    ``summary``, not a second copy of the page.

    Attributes
    ----------
    html
        The whole page.
    height
        Height of the notebook frame in pixels.
    summary
        What the page shows, on one line, e.g. ``<netkoop Seite: beispielregion, 13
        Einheiten, 21 Verbindungen>``; `show` and `show_diff` write it.
    """

    html: str
    height: int = NOTEBOOK_HEIGHT
    summary: str = ""

    def __repr__(self) -> str:
        return self.summary or f"<netkoop Seite: {len(self.html):,} Zeichen>"

    def _repr_html_(self) -> str:
        # srcdoc keeps the page apart from the notebook: its own document, scripts sandboxed.
        # The frame takes the width of the output column, its border inside it.
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            'style="display:block;width:100%;max-width:100%;box-sizing:border-box;'
            f'height:{int(self.height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts" loading="lazy"></iframe>'
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The frame and the one-line summary: without it IPython would add ``repr``."""
        return {"text/html": self._repr_html_(), "text/plain": repr(self)}

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path | None:
        """Write the page to ``path``; return the path."""
        return write_page(self.html, path, overwrite=overwrite)


def show(
    network: Network,
    options: RenderOptions | None = None,
    *,
    height: int = NOTEBOOK_HEIGHT,
    **settings: Any,
) -> Page:
    """Return the page of ``network`` for display in a Jupyter notebook.

    Options as for `render`. In a notebook, make it the last expression of a cell.

    Examples
    --------
    >>> page = show(netkoop.load("beispielregion"))
    >>> page._repr_html_().startswith("<iframe srcdoc=")
    True
    >>> page
    <netkoop Seite: beispielregion, 13 Einheiten, 21 Verbindungen>
    """
    chosen = RenderOptions.of(options, **settings)
    summary = _summary(0, network.name, network, chosen.lang)
    return Page(to_html(network, chosen), height=height, summary=summary)


def show_diff(
    base: Network,
    whatif: Network,
    options: RenderOptions | None = None,
    *,
    height: int = NOTEBOOK_HEIGHT,
    **settings: Any,
) -> Page:
    """Return the comparison page of two networks for display in a notebook; see `render_diff`.

    Its one-line summary names both networks and counts the units and ties of ``whatif``.
    """
    chosen = RenderOptions.of(options, **settings)
    summary = _summary(1, f"{base.name} → {whatif.name}", whatif, chosen.lang)
    return Page(diff_html(base, whatif, chosen), height=height, summary=summary)


def _summary(what: int, name: str, network: Network, lang: Lang) -> str:
    """One line: what the page is, the name(s), how many units and ties."""
    name = " ".join(name.split())  # one line whatever the name holds
    if len(name) > SUMMARY_NAME_WIDTH:
        name = name[: SUMMARY_NAME_WIDTH - 1] + "…"
    counts = ", ".join(
        f"{_number(len(table), lang)} {text(key, lang)}"
        for key, table in (("units", network.units), ("ties", network.ties))
    )
    return f"<netkoop {_PAGE_WORDS[lang][what]}: {name}, {counts}>"


def _number(value: int, lang: Lang) -> str:
    return f"{value:,}".replace(",", ".") if lang == "de" else f"{value:,}"
