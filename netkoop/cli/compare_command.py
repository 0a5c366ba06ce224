"""The compare command: two networks' measures side by side, the ties and units that changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netkoop.cli.options import (
    AT_HELP,
    csv_option,
    force,
    lang,
    metric_options,
    on_date,
    report_format,
    split,
)
from netkoop.cli.output import clean
from netkoop.cli.progress import progress, quiet_option
from netkoop.output.files import is_stdout

if TYPE_CHECKING:
    import pandas as pd

    from netkoop.metrics import Options
    from netkoop.whatif.compare import Comparison

#: Per-unit measures the text output shows, as in `Comparison.units`.
UNIT_MEASURES_SHOWN = ("degree", "betweenness", "ei", "brokerage")

#: Names longer than this are cut in the text output.
NAME_WIDTH = 32

#: Tie columns the text output shows.
TIE_COLUMNS_SHOWN = ("from", "name_from", "to", "name_to", "kind", "intensity", "funding")


@click.command()
@click.argument("base", metavar="BASE")
@click.argument("whatif", metavar="WHATIF")
@metric_options
@click.option("--at", "at", metavar="DATE", help=AT_HELP + " Both sides.")
@click.option("--at-base", metavar="DATE", help="The date of BASE (instead of --at).")
@click.option("--at-whatif", metavar="DATE", help="The date of WHATIF (instead of --at).")
@report_format
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the whole comparison here (csv: a folder; - for standard output).",
)
@click.option(
    "--html",
    type=click.Path(path_type=Path),
    help="Also write the diff page here (a name ending in .html).",
)
@lang
@csv_option
@force
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Rows shown of each list (ties added, ties removed, units).",
)
@quiet_option
def compare(
    base: str,
    whatif: str,
    ties: str | None,
    min_confidence: float | None,
    metrics: str | None,
    options: Options,
    at: str | None,
    at_base: str | None,
    at_whatif: str | None,
    fmt: str | None,
    output: Path | None,
    html: Path | None,
    lang: str,
    csv: str,
    force: bool,
    top: int,
    quiet: bool,
) -> None:
    """Compare a what-if scenario with its base: measures, ties and units that changed.

    Both are measured with the same options and seed, so every difference comes from the
    change, not from chance. Prints the headline measures of both with their difference
    (changed ones marked *), the ties added and removed, and the units whose degree,
    betweenness, E-I index or brokerage changed most. --output writes every table (CSV
    folder, JSON, Markdown, Excel); --html writes the diff page (added ties highlighted,
    removed ties dashed). The terminal, xlsx and the page show labels in --lang; CSV and
    JSON keep the names programs read.

    --at DATE compares both on that date; --at-base and --at-whatif give each its own date,
    so one scenario can be compared with itself at two dates.

    \b
    Example: netkoop compare zwei-welten-2020 pflichtaufgabe --html diff.html
    """
    from netkoop.metrics.report import check_output
    from netkoop.render.page import check_page, diff_html, write_page
    from netkoop.scenario import load
    from netkoop.whatif.compare import compare_networks, select_both

    if output is None and fmt in ("csv", "xlsx"):
        raise click.UsageError(f"--format {fmt} needs --output")
    before = on_date(load(base), at_base or at, "--at-base" if at_base else "--at")
    after = on_date(load(whatif), at_whatif or at, "--at-whatif" if at_whatif else "--at")
    protect = (*before.metadata.inputs, *after.metadata.inputs)
    # JSON or Markdown on stdout stays clean: the notes go to stderr then.
    target = output if output is not None else "-" if fmt is not None else None
    to_stdout = target is not None and is_stdout(target)
    if target is not None:
        check_output(target, fmt, overwrite=force, protect=protect)
    if html is not None:
        check_page(html, overwrite=force, protect=protect)
    kinds = split(ties)
    before, after = select_both(before, after, kinds, min_confidence=min_confidence)
    with progress("Kennzahlen beider Szenarien", quiet=quiet) as advance:
        found = compare_networks(
            before, after, metrics=split(metrics), options=options, progress=advance
        )
    # The page is built before anything is written, so a failure leaves no file behind.
    page = diff_html(before, after, lang=lang, seed=options.seed) if html is not None else None
    made = options.provenance(
        base=base,
        whatif=whatif,
        ties=kinds,
        metrics=split(metrics),
        min_confidence=min_confidence,
    )
    report = dataclasses.replace(found.report(), provenance=made)
    if target is not None:
        path = report.write(target, fmt=fmt, overwrite=force, protect=protect, lang=lang, csv=csv)
        if path is not None:
            click.echo(f"Wrote {path}")
    if html is not None and page is not None:
        written = write_page(page, html, overwrite=force, protect=protect)
        click.echo(f"Wrote {written}", err=to_stdout)
    if not to_stdout:
        click.echo(text(found, top=top, lang=lang))


def text(found: Comparison, *, top: int = 10, lang: str = "de") -> str:
    """Format a comparison for the terminal: measures, ties added and removed, units.

    Measures and column headers are labelled in ``lang``.
    """
    lines = [click.style(f"Comparison: {clean(found.name)}", bold=True), ""]
    lines += _measures(found, lang)
    for label, ties in (("Ties added", found.ties_added), ("Ties removed", found.ties_removed)):
        lines += ["", *_tie_lines(label, ties, top, lang)]
    lines += ["", _unit_counts(found), "", *_unit_lines(found, top, lang)]
    return "\n".join(lines)


def _headers(names: Sequence[str], lang: str) -> list[str]:
    from netkoop.model.labels import column_label

    return [clean(column_label(name, lang)) for name in names]


def _measures(found: Comparison, lang: str) -> list[str]:
    from netkoop.model.labels import measure_label

    values = found.values
    changed = set(found.changed().index)
    rows = [
        [
            clean(measure_label(str(measure), lang)),
            _number(row["base"]),
            _number(row["whatif"]),
            _number(row["difference"], signed=True) if measure in changed else "",
        ]
        for measure, row in values.iterrows()
    ]
    heading = f"Measures: {len(changed)} of {len(values)} changed (marked *)"
    header, rule, *lines = _columns(
        rows, _headers(["measure", "base", "whatif", "difference"], lang), right=(1, 2, 3)
    )
    return [
        click.style(heading, bold=True),
        _indent(header),
        _indent(rule),
        *(
            click.style(f"* {line}", bold=True) if measure in changed else _indent(line)
            for measure, line in zip(values.index, lines, strict=True)
        ),
    ]


def _tie_lines(label: str, ties: pd.DataFrame, top: int, lang: str) -> list[str]:
    if ties.empty:
        return [click.style(f"{label}: none", bold=True)]
    rows = [[_cell(v) for v in row] for row in ties.loc[:, TIE_COLUMNS_SHOWN].head(top).to_numpy()]
    lines = [click.style(f"{label}: {len(ties):,}", bold=True)]
    lines += [_indent(line) for line in _columns(rows, _headers(TIE_COLUMNS_SHOWN, lang))]
    return lines + _more(len(ties), top)


def _unit_counts(found: Comparison) -> str:
    parts = []
    for label, units in (("added", found.units_added), ("removed", found.units_removed)):
        shown = ", ".join(units["id"].head(5))
        more = " ..." if len(units) > 5 else ""
        parts.append(f"{len(units):,} {label}" + (f" ({shown}{more})" if shown else ""))
    return click.style("Units: ", bold=True) + "; ".join(parts)


def _unit_lines(found: Comparison, top: int, lang: str) -> list[str]:
    measures = [m for m in UNIT_MEASURES_SHOWN if f"{m}_base" in found.units.columns]
    if not measures:
        return [click.style("Units that changed most: not measured (--metric)", bold=True)]
    changed = found.changed_units()
    both = int((found.units["status"] == "same").sum())
    heading = f"Units that changed most: {len(changed):,} of {both:,} changed"
    if changed.empty:
        return [click.style(heading, bold=True)]
    rows = [
        [
            str(unit),
            _cell(row["name"]),
            *(f"{_number(row[f'{m}_base'])} → {_number(row[f'{m}_whatif'])}" for m in measures),
        ]
        for unit, row in changed.head(top).iterrows()
    ]
    lines = [click.style(heading, bold=True)]
    lines += [_indent(line) for line in _columns(rows, _headers(["id", "name", *measures], lang))]
    return lines + _more(len(changed), top)


def _more(total: int, top: int) -> list[str]:
    return [f"  ... {total - top:,} more (--output writes all)"] if total > top else []


def _columns(
    rows: Sequence[Sequence[str]], header: Sequence[str], *, right: Sequence[int] = ()
) -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _indent(line: str) -> str:
    return f"  {line}"


def _number(value: Any, *, signed: bool = False) -> str:
    from netkoop.output.values import plain

    value = plain(value)
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    sign = "+" if signed else ""
    if isinstance(value, int):
        return f"{value:{sign},}"
    if value == 0 or abs(value) >= 0.001:
        return f"{value:{sign},.4f}"
    return f"{value:{sign}.3g}"


def _cell(value: Any) -> str:
    from netkoop.output.values import plain

    value = plain(value)
    return "" if value is None else _short(clean(value))


def _short(text: str) -> str:
    return text if len(text) <= NAME_WIDTH else text[: NAME_WIDTH - 1] + "…"


COMMANDS = (compare,)
