"""Options shared by the commands that measure networks (metrics, compare, simulate)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from netkoop.metrics import Options
from netkoop.metrics.report import FORMATS

_METRIC_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--ties", metavar="KIND,...", help="Only these tie kinds (comma-separated)."),
    click.option(
        "--metric",
        "metrics",
        metavar="NAME,...",
        help="Only these: structure, mixing, kreis, brokerage, communities, gap.",
    ),
    click.option(
        "--seed", type=int, default=0, show_default=True, help="Seed of every random step."
    ),
    click.option(
        "--betweenness",
        type=click.Choice(["exact", "sampled"]),
        default="exact",
        show_default=True,
        help="Exact betweenness, or estimated from --samples sources.",
    ),
    click.option("--samples", type=click.IntRange(min=1), help="Sources for sampled betweenness."),
    click.option(
        "--permutations",
        type=click.IntRange(min=1),
        default=1000,
        show_default=True,
        help="Permutations of the E-I test.",
    ),
    click.option(
        "--communities",
        type=click.Choice(["leiden", "louvain"]),
        default="leiden",
        show_default=True,
    ),
    click.option(
        "--gap-column",
        default="commuters",
        show_default=True,
        help="Flow column for the commuting gap, e.g. auslaender.",
    ),
)


#: ``--format`` of the commands that write a report (metrics, compare, simulate).
report_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from --output's ending).",
)

#: The parameters of `_METRIC_OPTIONS` that become fields of `Options`.
_SETTINGS = ("seed", "betweenness", "samples", "permutations", "communities", "gap_column")


def metric_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of `netkoop metrics` that choose the ties, the measures and their settings.

    The command receives ``ties`` and ``metrics`` as given and the settings (seed,
    betweenness, samples, permutations, communities, gap column) as one ``options``.
    """

    @functools.wraps(command)
    def with_options(**kwargs: Any) -> Any:
        settings = {name: kwargs.pop(name) for name in _SETTINGS}
        return command(**kwargs, options=Options(**settings))

    for option in reversed(_METRIC_OPTIONS):
        with_options = option(with_options)
    return with_options


def split(value: str | None) -> list[str] | None:
    """Split a comma-separated option value; None when it is not given."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None
