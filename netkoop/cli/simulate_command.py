"""The simulate command: scenarios with random interventions, run many times under shared seeds."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netkoop.cli.options import (
    NamesOption,
    at_option,
    csv_option,
    force,
    lang,
    names_of,
    report_format,
    split,
)
from netkoop.cli.output import clean
from netkoop.cli.progress import progress, quiet_option
from netkoop.cli.workers import backend_options, jobs_option

if TYPE_CHECKING:
    from netkoop.whatif.simulate import Simulation


@click.command("simulate")
@click.argument("scenarios", metavar="FILE...", nargs=-1, required=True)
@click.option(
    "--runs", type=click.IntRange(min=1), default=1000, show_default=True, help="Runs per scenario."
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Root seed of every run.",
)
@jobs_option("the runs")
@backend_options
@click.option(
    "--metric",
    "measures",
    metavar="NAME,...",
    cls=NamesOption,
    names=names_of("netkoop.whatif.simulate", "MEASURES"),
    help="Only these measures",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write summary, differences, units and every run (csv: a folder, json, md, xlsx; "
    "- for standard output).",
)
@at_option
@report_format
@lang
@csv_option
@force
@quiet_option
def simulate_command(
    scenarios: tuple[str, ...],
    runs: int,
    seed: int,
    jobs: int,
    measures: str | None,
    output: Path | None,
    at: str | None,
    fmt: str | None,
    lang: str,
    csv: str,
    force: bool,
    quiet: bool,
) -> None:
    """Run scenarios with random interventions (budget_shock) many times and compare them.

    Each run replaces the seeds written in the files with seeds drawn from --seed, the same
    for every scenario, so two scenarios face the same shocks (with and without a mandate,
    say) and differ only by what they change. Prints, per measure, the value before the
    shock and the mean with the 5-95% range of the runs, and for each scenario after the
    first its paired difference to the first. Units still connected: the share of
    Gemeinden and Kreise with a path of ties to their Landkreis or a forum of their Land.
    The same seed gives byte-identical output (csv, json, markdown) whatever --jobs is.
    xlsx shows labels in --lang; CSV and JSON keep the names programs read. With --at every
    run is measured on the network of that date, for a budget_shock at a date or money that
    expires.

    \b
    Example: netkoop simulate haushaltskrise haushaltskrise-pflichtaufgabe --runs 1000 --jobs 2
    """
    from netkoop.metrics.report import check_output
    from netkoop.whatif.simulate import Plan, simulate

    chosen = split(measures)
    if fmt is not None and output is None:
        raise click.UsageError(f"--format {fmt} needs --output")
    plans = [Plan.from_scenario(spec) for spec in scenarios]
    protect = [path for plan in plans for path in plan.start.metadata.inputs]
    if output is not None:
        check_output(output, fmt, overwrite=force, protect=protect)
    with progress("Simulationsläufe", total=runs, quiet=quiet, eta=True) as advance:
        result = simulate(
            plans, runs=runs, seed=seed, jobs=jobs, measures=chosen, progress=advance, at=at
        )
    if output is not None:
        report = result.report()
        path = report.write(output, fmt=fmt, overwrite=force, protect=protect, lang=lang, csv=csv)
        if path is None:
            return
        click.echo(f"Wrote {path}")
    click.echo(_text(result, lang))


def _text(result: Simulation, lang: str) -> str:
    from netkoop.metrics.headline import MEASURE_HELP, MEASURE_HELP_DE
    from netkoop.model.labels import column_label, date_label, measure_label
    from netkoop.model.vocabulary import LABELS_DE

    words = _WORDS[lang]
    german = lang == "de"

    def label(name: str) -> str:
        return measure_label(name, lang) if german else name

    runs = int(result.runs["run"].nunique())
    runs_text = f"{runs:,}".replace(",", ".") if german else f"{runs:,}"
    title = words["title"].format(runs=runs_text, seed=result.seed)
    if result.at is not None:
        title += words["at"].format(date_label(result.at, lang))
    lines = [click.style(title, bold=True)]
    for name in result.scenarios:
        rows = result.summary[result.summary.index.get_level_values("scenario") == name]
        shown = rows.droplevel("scenario")[["before", "mean", "q05", "median", "q95"]]
        shown = shown.rename(columns=words["headers"], index=label)
        shown.index.name = words["measure"]
        lines += [
            "",
            click.style(clean(name), bold=True),
            clean(shown.map(lambda v: _number(v, lang=lang)).to_string()),
        ]
    first = result.scenarios[0]
    for name in result.scenarios[1:]:
        rows = result.difference[result.difference["scenario"] == name]
        shown = rows.set_index("measure")[["mean", "q05", "median", "q95"]]
        shares = rows.set_index("measure")[["share_higher", "share_lower"]]
        both = shown.map(lambda v: _number(v, sign=True, lang=lang)).join(
            shares.map(lambda v: _percent(v, lang))
        )
        both = both.rename(columns=words["headers"], index=label)
        both.index.name = words["measure"]
        lines += [
            "",
            click.style(clean(words["difference"].format(name=name, first=first)), bold=True),
            clean(both.to_string()),
        ]
    lines += ["", words["measures"]]
    helps = MEASURE_HELP_DE if german else MEASURE_HELP
    measures = result.summary.xs(first, level="scenario").index
    lines += [f"  {label(name)}: {helps[name]}" for name in measures]

    column = f"connected ({first})"
    units = result.units[result.units["connected before"]]
    at_risk = units.sort_values(column, kind="stable").head(10)
    if len(at_risk) and at_risk[column].min() < 1:
        shares = at_risk[[c for c in at_risk.columns if c.startswith("connected (")]]
        risky = at_risk[["name", "kind"]].join(shares.map(lambda v: _percent(v, lang)))
        if german:
            risky = risky.assign(kind=risky["kind"].map(lambda k: LABELS_DE.get(k, k)))
            risky = risky.rename(columns=lambda c: column_label(str(c), lang))
            risky.index.name = column_label("id", lang)
        lines += [
            "",
            click.style(clean(words["at_risk"].format(first=first)), bold=True),
            clean(risky.to_string()),
        ]
    return "\n".join(lines)


#: The words of the terminal text, by language.
_WORDS: dict[str, dict[str, Any]] = {
    "de": {
        "title": "Simulation: {runs} Läufe je Szenario, Startwert {seed}",
        "at": ", gemessen am {}",
        "measure": "Kennzahl",
        "headers": {
            "before": "vorher",
            "mean": "Mittel",
            "q05": "5 %",
            "median": "Median",
            "q95": "95 %",
            "share_higher": "höher",
            "share_lower": "niedriger",
        },
        "difference": "{name} minus {first}, Lauf für Lauf unter denselben Schocks",
        "measures": "Kennzahlen:",
        "at_risk": "Einheiten, die vor dem Schock verbunden waren und danach am seltensten, "
        "in {first}",
    },
    "en": {
        "title": "Simulation: {runs} runs per scenario, seed {seed}",
        "at": ", measured on {}",
        "measure": "measure",
        "headers": {
            "q05": "5%",
            "median": "median",
            "q95": "95%",
            "share_higher": "higher",
            "share_lower": "lower",
        },
        "difference": "{name} minus {first}, run by run under the same shocks",
        "measures": "Measures:",
        "at_risk": "Units connected before the shock and least often after it, in {first}",
    },
}


def _number(value: float, *, sign: bool = False, lang: str = "en") -> str:
    if math.isnan(value):
        return "-"
    text = f"{value:+.4g}" if sign else f"{value:.4g}"
    return text.replace(".", ",") if lang == "de" else text


def _percent(value: float, lang: str = "en") -> str:
    if math.isnan(value):
        return "-"
    return f"{value * 100:.0f} %" if lang == "de" else f"{value:.0%}"


COMMANDS = (simulate_command,)
