"""The render command: a network, or two compared, as one HTML page that works offline."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from netkoop.cli.options import TIES_HELP, at_option, force, lang, min_confidence, split


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
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@force
def render(
    scenario: str,
    output: Path | None,
    base: str | None,
    size_by: str,
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
    open_page: bool,
    force: bool,
) -> None:
    """Draw a network as one interactive HTML file that needs no internet.

    Units by kind and size, ties by kind and intensity, commuter flows as an overlay with the
    pairs no tie covers highlighted; legend, key figures, search, filters by tie kind, unit
    kind and Land. Survey results show too: units that did not answer get a dashed outline,
    ties only one side reported are dashed and lighter, both with a legend entry and a
    filter. Send the file to anyone: everything is inside it (comments only with --comments).

    When ties or units carry dates (since, until), the page has a date slider and a play
    button: it shows the network on the chosen date with its key figures, the ties new
    since the previous date and those ending before the next one marked; it opens on
    --at, else on the reference date. A comparison (--compare) has no slider: with --at
    both networks are drawn on that date.

    \b
    Example: netkoop render beispielregion -o netz.html --open
    """
    from netkoop.render import RenderOptions, render_diff
    from netkoop.render import render as render_page
    from netkoop.scenario import load

    network = load(scenario)
    options = RenderOptions(
        size_by=size_by,
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
    if base is None:
        path = render_page(network, target, options, overwrite=force)
    else:
        path = render_diff(load(base), network, target, options, overwrite=force)
    if path is None:
        return
    click.echo(f"Wrote {path}")
    if open_page:
        webbrowser.open(path.resolve().as_uri())


COMMANDS = (render,)
