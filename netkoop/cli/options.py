"""Options shared by the commands that measure networks (metrics, compare)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from netkoop.metrics import Options

F = TypeVar("F", bound=Callable[..., Any])

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


def metric_options(command: F) -> F:
    """Add the options of `netkoop metrics` that choose the ties, the measures and their settings.

    The command receives ``ties``, ``metrics``, ``seed``, ``betweenness``, ``samples``,
    ``permutations``, ``communities`` and ``gap_column``; `metric_settings` turns the last
    six into `Options`.
    """
    for option in reversed(_METRIC_OPTIONS):
        command = option(command)
    return command


def metric_settings(
    seed: int,
    betweenness: str,
    samples: int | None,
    permutations: int,
    communities: str,
    gap_column: str,
) -> Options:
    """Return the metrics options that `metric_options` collected."""
    return Options(
        seed=seed,
        betweenness=betweenness,  # type: ignore[arg-type]  # click.Choice guarantees the value
        samples=samples,
        permutations=permutations,
        communities=communities,  # type: ignore[arg-type]
        gap_column=gap_column,
    )


def split(value: str | None) -> list[str] | None:
    """Split a comma-separated option value; None when it is not given."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None
