"""Options shared by the commands, and option types that read the library only when needed.

The commands import the library when they run, so that ``netkoop --help`` starts without
pandas or the graph engines. Choices and help texts that come from the library's registries
(metric families, simulation measures, languages) are read the first time a command's own
help or a value needs them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from netkoop.cli.workers import backend_options, jobs_option
from netkoop.output.formats import CSV_DIALECTS, CSV_SETTING, REPORT

if TYPE_CHECKING:
    from netkoop.model import Network
    from netkoop.model.focus import Focus


def names_of(module: str, attribute: str) -> Callable[[], tuple[str, ...]]:
    """Return a function that reads the names of a registry (a mapping or a sequence).

    Examples
    --------
    >>> names_of("netkoop.metrics.sections", "SECTIONS")()[:2]
    ('structure', 'mixing')
    """

    def load() -> tuple[str, ...]:
        return tuple(getattr(importlib.import_module(module), attribute))

    return load


class LazyChoice(click.Choice[str]):
    """A choice among names that the library knows, read when first needed."""

    def __init__(self, load: Callable[[], Sequence[str]]) -> None:
        self._load = load
        self._choices: tuple[str, ...] | None = None
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            self._choices = tuple(self._load())
        return self._choices

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        self._choices = tuple(value)


class NamesOption(click.Option):
    """An option taking comma-separated names; its help lists the names a registry holds."""

    def __init__(self, *args: Any, names: Callable[[], Sequence[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names = names
        self._lead = self.help or "Only these"

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = f"{self._lead}: {', '.join(self._names())}."
        return super().get_help_record(ctx)


_SECTIONS = names_of("netkoop.metrics.sections", "SECTIONS")

#: Help of ``--ties`` wherever ties are selected.
TIES_HELP = (
    "Only these tie kinds (comma-separated); the word 'confirmed' keeps only the ties both "
    "sides of a survey reported (and ties no survey reported), e.g. exchange,confirmed."
)

#: ``--min-confidence`` of every command that selects ties.
min_confidence = click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    metavar="X",
    help="Only ties whose confidence is at least X (0 to 1); a tie without a confidence "
    "counts as 1.0.",
)

#: ``--seed`` of the commands that measure (metrics, compare, report).
seed_option = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of every random step.",
)

#: ``--permutations`` of the E-I test, wherever it is measured.
permutations_option = click.option(
    "--permutations",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Permutations of the E-I test.",
)

_METRIC_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--ties", metavar="KIND,...", help=TIES_HELP),
    min_confidence,
    click.option("--metric", "metrics", metavar="NAME,...", cls=NamesOption, names=_SECTIONS),
    seed_option,
    click.option(
        "--betweenness",
        type=click.Choice(["exact", "sampled"]),
        default="exact",
        show_default=True,
        help="Exact betweenness, or estimated from --samples sources.",
    ),
    click.option("--samples", type=click.IntRange(min=1), help="Sources for sampled betweenness."),
    permutations_option,
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
    jobs_option("betweenness and closeness"),
)

#: ``--format`` of the commands that write a report (metrics, compare, simulate).
report_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORT)),
    help="Output format (default: from --output's ending).",
)

AT_HELP = (
    "Show the network on this date: only the ties and units that existed then. A year "
    "(2016), year-month (2016-05) or day (2016-05-01, 01.05.2016); a year or month asked for "
    "means its first day, one in the tables its whole period."
)

#: ``--at`` of the commands that look at a network: the network on a date.
at_option = click.option("--at", "at", metavar="DATE", help=AT_HELP)


def on_date(network: Network, value: str | None, option: str = "--at") -> Network:
    """Return ``network`` as it stood on the date ``value`` (unchanged when None).

    A value that is not a date raises one error naming the option, the value and the forms.
    """
    if value is None:
        return network
    from netkoop._errors import NetkoopError
    from netkoop.model.dates import DATE_FORMS, day_of

    try:
        day_of(value)
    except NetkoopError:
        raise NetkoopError(f"{option}: {value!r} is not a date; use {DATE_FORMS}") from None
    return network.at(value)


#: ``--focus`` of the commands that can narrow themselves to one Kommune, Kreis or Land.
focus_option = click.option(
    "--focus",
    metavar="KEY",
    help="Narrow to one unit: a Kommune, a Kreis (with its Gemeinden) or a Land, by its id.",
)


def focused(network: Network, key: str | None) -> Focus | None:
    """Return the focus on ``key`` (None when no --focus was given); an unknown key is one
    error naming --focus, the key and a near one."""
    if key is None:
        return None
    from netkoop._errors import NetkoopError
    from netkoop.model.focus import focus

    try:
        return focus(network, key)
    except NetkoopError as error:
        raise NetkoopError(f"--{error}") from None


#: ``--force`` of every command that writes: replace what netkoop wrote there before.
force = click.option(
    "--force",
    is_flag=True,
    help="Replace an output netkoop wrote before (never an input or a file it did not make).",
)

#: ``--lang`` of the commands that write for people.
lang = click.option(
    "--lang",
    type=LazyChoice(names_of("netkoop.model.labels", "LANGUAGES")),
    default="de",
    show_default=True,
    help="Language of the labels for people (pages, xlsx, the terminal); CSV and JSON keep "
    "their English column names.",
)

#: ``--csv`` of the commands that write CSV files: their dialect, also set by NETKOOP_CSV.
csv_option = click.option(
    "--csv",
    "csv",
    type=click.Choice(list(CSV_DIALECTS)),
    envvar=CSV_SETTING,
    show_envvar=True,
    default="standard",
    show_default=True,
    help="CSV for programs (standard: ',' and decimal point, UTF-8) or for German Excel "
    "(excel-de: ';', decimal comma, UTF-8 with BOM). Excel drops the leading zeros of keys "
    "such as 01003 whatever the CSV says: use xlsx to keep them.",
)

#: The parameters of `_METRIC_OPTIONS` that become fields of `netkoop.metrics.Options`.
_SETTINGS = ("seed", "betweenness", "samples", "permutations", "communities", "gap_column", "jobs")


def metric_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options of `netkoop metrics` that choose the ties, the measures and their settings.

    The command receives ``ties``, ``min_confidence`` and ``metrics`` as given and the
    settings (seed, betweenness, samples, permutations, communities, gap column, jobs) as one
    `netkoop.metrics.Options` value, ``options``; it runs with the workers of ``--backend``
    or ``--cluster`` (`netkoop.cli.workers.backend_options`).
    """

    @functools.wraps(command)
    def with_options(**kwargs: Any) -> Any:
        from netkoop.metrics import Options

        settings = {name: kwargs.pop(name) for name in _SETTINGS}
        return command(**kwargs, options=Options(**settings))

    for option in reversed(_METRIC_OPTIONS):
        with_options = option(with_options)
    return backend_options(with_options)


def split(value: str | None) -> list[str] | None:
    """Split a comma-separated option value; None when it is not given."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None
