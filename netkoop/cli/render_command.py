"""The render command: a network, or two compared, as one HTML page that works offline."""

from __future__ import annotations

import gc
import webbrowser
from pathlib import Path

import click

from netkoop.cli.options import (
    TIES_HELP,
    LazyChoice,
    at_option,
    focus_option,
    focused,
    force,
    lang,
    min_confidence,
    names_of,
    split,
)


@click.command()
@click.argument("scenario", metavar="FILE")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The HTML file to write (default: the scenario's name + .html; - for standard output).",
)
@click.option(
    "--compare",
    "base",
    metavar="BASE",
    help="Draw FILE against the scenario BASE: added ties highlighted, removed ties dashed.",
)
@click.option(
    "--size-by",
    default="population",
    show_default=True,
    help="Node area: population, a numeric unit column or a measure (degree, betweenness...).",
)
@click.option(
    "--color-by",
    metavar="NAME",
    help="Fill the outlines by a value of their units: a measure (coverage, ei, degree...) or "
    "a unit column (population, coordination_office, responded...).",
)
@click.option(
    "--classes",
    type=LazyChoice(names_of("netkoop.render.options", "CLASS_SCHEMES")),
    help="Classes of the fill [default: quantiles for numbers, categories for text].",
)
@click.option(
    "-k",
    "k",
    metavar="N",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Number of classes of numbers.",
)
@lang
@click.option(
    "--min-commuters",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Leave out commuter pairs (both directions) with fewer commuters.",
)
@click.option(
    "--top-flows",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Draw each unit's largest commuter pairs; 0 draws every pair.",
)
@click.option("--no-flows", is_flag=True, help="Leave the commuter overlay out.")
@click.option("--ties", metavar="KIND,...", help=TIES_HELP)
@min_confidence
@at_option
@click.option(
    "--comments",
    is_flag=True,
    help="Show free-text comment columns (comment, Bemerkung...) in the tooltips; they are "
    "left out by default.",
)
@click.option(
    "--physics/--no-physics",
    default=None,
    help="Let the layout move [default: on below 300 units without coordinates].",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the layout.")
@click.option("--title", help="Page title (default: the scenario's title).")
@click.option(
    "--region",
    metavar="KEY",
    help="Draw only a Kreis or a Land (its key, e.g. 03254 or 03) and the Kreise around it, "
    "framed to fit.",
)
@focus_option
@click.option(
    "--size",
    metavar="WxH",
    default="29.7x21",
    show_default=True,
    callback=lambda ctx, param, value: _centimetres(value),
    help="Size of a figure (-o NAME.png, .svg or .pdf) in centimetres; A4 landscape.",
)
@click.option(
    "--dpi",
    type=click.IntRange(10, 1200),
    default=200,
    show_default=True,
    help="Dots per inch of a PNG figure.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@force
def render(
    scenario: str,
    output: Path | None,
    base: str | None,
    size_by: str,
    color_by: str | None,
    classes: str | None,
    k: int,
    lang: str,
    min_commuters: int,
    top_flows: int,
    no_flows: bool,
    ties: str | None,
    min_confidence: float | None,
    at: str | None,
    comments: bool,
    physics: bool | None,
    seed: int,
    title: str | None,
    region: str | None,
    focus: str | None,
    size: tuple[float, float],
    dpi: int,
    open_page: bool,
    force: bool,
) -> None:
    """Draw a network as one interactive HTML file that needs no internet.

    Units by kind and size, ties by kind and intensity, commuter flows as an overlay with the
    pairs no tie covers highlighted; legend, key figures, search, filters by tie kind, unit
    kind and Land. Survey results show too: units that did not answer get a dashed outline,
    ties only one side reported are dashed and lighter, both with a legend entry and a
    filter. Send the file to anyone: everything is inside it (comments only with --comments).

    A scenario with outlines is drawn as a map: Kreis and Land borders under the network
    (ETRS89-LAEA), with --color-by a choropleth whose classes (mapclassify) are in the
    legend; hovering a polygon names its place. Labels never overlap: the less important
    ones (by kind, then population) appear as you zoom in.

    When ties or units carry dates (since, until), the page has a date slider and a play
    button: it shows the network on the chosen date with its key figures, the ties new
    since the previous date and those ending before the next one marked; it opens on
    --at, else on the reference date. A comparison (--compare) has no slider: with --at
    both networks are drawn on that date.

    --focus KEY draws the region around one unit, as --region does for its Kreis (for a
    Gemeinde: its Landkreis) or its Land, and opens the page with the unit selected; the
    title names it, a figure marks it. --focus and --region cannot go together.

    \b
    Example: netkoop render beispielregion -o netz.html --open
    Example: netkoop render deutschland.yaml --color-by coverage --classes natural_breaks
    Example: netkoop render deutschland.yaml --focus 03254 -o hildesheim.html
    """
    from netkoop.render import RenderOptions, render_diff
    from netkoop.render import render as render_page
    from netkoop.scenario import load

    if focus is not None and region is not None:
        raise click.UsageError(
            "--focus draws the region around its unit; give --focus or --region, not both"
        )
    network = load(scenario)
    compared = None if base is None else load(base)
    chosen = focused(network, focus)
    if region is not None:
        from netkoop.render.region import region as around

        network = around(network, region)
        compared = None if compared is None else around(compared, region)
    elif chosen is not None:
        from netkoop.render.region import focus_region

        network = focus_region(network, chosen)
        compared = None if compared is None else focus_region(compared, chosen)
    # A Land given by its key has no unit to select; its region is the focus.
    marked = (
        chosen.key if chosen is not None and (network.units["id"] == chosen.key).any() else None
    )
    options = RenderOptions(
        size_by=size_by,
        color_by=color_by,
        classes=classes,
        k=k,
        lang=lang,  # type: ignore[arg-type]  # a LANGUAGES choice
        physics=physics,
        flows=not no_flows,
        min_commuters=min_commuters,
        top_flows=top_flows or None,
        seed=seed,
        title=title,
        ties=split(ties),
        min_confidence=min_confidence,
        comments=comments,
        at=at,
    )
    target = output or Path(f"{network.name}.html")
    if target.suffix.lower() in FIGURES:
        if compared is not None:
            raise click.UsageError("--compare draws a page; name an .html file with -o")
        from netkoop.render.static import render_static

        # The loaded scenario lives until the figure is written: frozen, the garbage
        # collector does not walk its objects again and again (a few tenths of a second for
        # a Gemeinde map).
        gc.freeze()
        try:
            path: Path | None = render_static(
                network, target, options, overwrite=force, size=size, dpi=dpi, focus=marked
            )
        finally:
            gc.unfreeze()
    elif compared is None:
        path = render_page(network, target, options, overwrite=force, focus=marked)
    else:
        path = render_diff(compared, network, target, options, overwrite=force, focus=marked)
    if path is None:
        return
    click.echo(f"Wrote {path}")
    if open_page:
        webbrowser.open(path.resolve().as_uri())


#: Endings of -o that make a figure (`netkoop.render.static.STATIC`) instead of a page.
FIGURES = (".png", ".svg", ".pdf")


def _centimetres(value: str) -> tuple[float, float]:
    """``29.7x21`` (or ``29,7x21``) as width and height in centimetres."""
    try:
        width, height = (float(part.strip().replace(",", ".")) for part in value.split("x"))
    except ValueError:
        raise click.BadParameter(f"{value!r}: write width x height in cm, e.g. 29.7x21") from None
    return width, height


COMMANDS = (render,)
