"""The timeline command: the headline measures on a series of dates, the ties begun and ended
between them, as a table, report files and a chart."""

from __future__ import annotations

import math
import shutil
import textwrap
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import click

from netkoop.cli.options import csv_option, force, lang
from netkoop.cli.output import clean
from netkoop.cli.progress import progress, quiet_option
from netkoop.output.files import STDOUT, is_stdout

if TYPE_CHECKING:
    import pandas as pd

    from netkoop.metrics.timeline import Timeline
    from netkoop.output.files import Paths

#: Endings of the chart outputs: the page, and the figures.
PAGE_ENDINGS = (".html", ".htm")
FIGURE_ENDINGS = (".png", ".svg")

#: Endings of the report outputs (a CSV report is a folder: no ending or .csv).
REPORT_ENDINGS = ("", ".csv", ".json", ".md", ".markdown", ".xlsx")

#: Measures the first table shows, after ``units`` when the units change.
SHOWN = (
    "ties",
    "components",
    "largest_component",
    "isolates",
    "density",
    "ei_index",
    "commuter_coverage",
    "hub_connected",
    "hub_tied",
    "offices",
    "confirmed_share",
)

_WORDS = {
    "title": ("Zeitreihe", "Timeline"),
    "to": ("bis", "to"),
    "dates": ("Zeitpunkte", "dates"),
    "measures": ("Kennzahlen je Datum", "Measures by date"),
    "by_kind": ("Verbindungen nach Art je Datum", "Ties by kind by date"),
    "changes": (
        "Begonnene (+) und beendete (−) Verbindungen je Zeitraum",
        "Ties begun (+) and ended (−) per period",
    ),
    "funding_unknown": ("Finanzierung unbekannt", "funding unknown"),
    "period": ("Zeitraum", "period"),
    "marks": ("Markierte Daten", "Marked dates"),
    "none": ("keine", "none"),
    "year": ("jährlich", "yearly"),
    "quarter": ("vierteljährlich", "quarterly"),
    "month": ("monatlich", "monthly"),
    "note": (
        "Ein Zeitraum reicht von einem Datum bis zum nächsten: begonnen zählt, was am Ende "
        "besteht und am Anfang noch nicht, beendet, was am Anfang besteht und am Ende nicht mehr.",
        "A period runs from one date to the next: begun counts ties that exist at its end but "
        "not yet at its start, ended those that exist at its start but no longer at its end.",
    ),
}


@click.command("timeline")
@click.argument("scenario", metavar="FILE")
@click.option(
    "--from",
    "start",
    metavar="DATE",
    help="The first date: a year (2014), year-month (2014-05) or day (2014-05-01, "
    "01.05.2014); a year or month means its first day. Default: 1 January of the year of "
    "the scenario's first dated change.",
)
@click.option(
    "--to",
    "end",
    metavar="DATE",
    help="The last date (included). Default: 1 January after the scenario's last dated change.",
)
@click.option(
    "--every",
    type=click.Choice(["year", "quarter", "month"]),
    default="year",
    show_default=True,
    help="The step from one date to the next, counted from --from.",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Write the timeline here, as its ending says: a folder or .csv (one CSV file per "
    "table), .json, .md, .xlsx, .html (the chart as an offline page), .png or .svg (the "
    "chart as a figure); - writes JSON to standard output. May be given several times.",
)
@lang
@csv_option
@force
@quiet_option
def timeline_command(
    scenario: str,
    start: str | None,
    end: str | None,
    every: str,
    outputs: tuple[Path, ...],
    lang: str,
    csv: str,
    force: bool,
    quiet: bool,
) -> None:
    """Measure a network on a series of dates: ties by kind, components, E-I index, ...

    Each date shows the network as it stood then (as --at does): the ties begun by then and
    not yet ended, the units that existed, the coordination offices within their dates.
    Per date: units, ties by kind, components, the share in the largest component, units
    without a tie, density, E-I index, commuter coverage, the shares of Gemeinden and
    Kreise with a path or a tie to their Kreis or a Land forum, working coordination
    offices, and with survey data the share of survey ties both sides reported. Per period
    from one date to the next: the ties begun and ended, by kind and funding. The dates of
    the scenario's interventions and its reference date are marked.

    The terminal, xlsx and the chart show labels in --lang; CSV and JSON keep the names
    programs read.

    \b
    Example: netkoop timeline befristung --from 2014 --to 2030 -o zeitreihe.html
    """
    from netkoop.metrics.timeline import dated_span, load_dated, timeline, timeline_dates

    network, marks = load_dated(scenario)
    if start is None or end is None:  # the years of the scenario's own dates
        first, last = dated_span(network, marks)
        start, end = start or first, end or last
    start, end = _date(start, "--from"), _date(end, "--to")
    dates = timeline_dates(start, end, every)
    protect = network.metadata.inputs
    _check_outputs(outputs, force=force, protect=protect)
    with progress("Zeitreihe", total=len(dates), quiet=quiet) as advance:
        found = timeline(network, start, end, every, marks=marks, progress=advance)
    to_stdout = False
    for output in outputs:
        written = _write(found, output, lang=lang, csv=csv, force=force, protect=protect)
        if written is None:
            to_stdout = True
        else:
            click.echo(f"Wrote {written}", err=any(is_stdout(o) for o in outputs))
    if not to_stdout:
        click.echo(text(found, lang=lang))


def _date(value: str, option: str) -> str:
    from netkoop._errors import NetkoopError
    from netkoop.model.dates import DATE_FORMS, day_of

    try:
        return day_of(value)
    except NetkoopError:
        raise NetkoopError(f"{option}: {value!r} is not a date; use {DATE_FORMS}") from None


def _kind_of(output: Path) -> str:
    """``page``, ``figure`` or ``report``, by the output's ending."""
    from netkoop._errors import OutputError

    if is_stdout(output):
        return "report"
    suffix = PurePath(output).suffix.lower()
    if suffix in PAGE_ENDINGS:
        return "page"
    if suffix in FIGURE_ENDINGS:
        return "figure"
    if suffix in REPORT_ENDINGS:
        return "report"
    raise OutputError(
        f"{output}: cannot tell what to write from the ending {suffix!r}; use a folder or "
        ".csv, .json, .md, .xlsx, .html, .png or .svg"
    )


def _check_outputs(outputs: Sequence[Path], *, force: bool, protect: Paths) -> None:
    """Refuse every output that may not be written, before anything is measured."""
    from netkoop.metrics.report import check_output
    from netkoop.render.figure import check_figure
    from netkoop.render.page import check_page

    for output in outputs:
        kind = _kind_of(output)
        if kind == "page":
            check_page(output, overwrite=force, protect=protect)
        elif kind == "figure":
            check_figure(output, overwrite=force, protect=protect)
        else:
            fmt = "json" if is_stdout(output) else None
            check_output(output, fmt, overwrite=force, protect=protect)


def _write(
    found: Timeline, output: Path, *, lang: str, csv: str, force: bool, protect: Paths
) -> Path | None:
    kind = _kind_of(output)
    if kind == "page":
        from netkoop.render.timeline import write_timeline_page

        return write_timeline_page(found, output, lang=lang, overwrite=force, protect=protect)
    if kind == "figure":
        from netkoop.render.figure import write_timeline_figure

        return write_timeline_figure(found, output, lang=lang, overwrite=force, protect=protect)
    fmt = "json" if is_stdout(output) else None
    target = STDOUT if is_stdout(output) else output
    report = found.report()
    return report.write(target, fmt=fmt, overwrite=force, protect=protect, lang=lang, csv=csv)


# --- the terminal -----------------------------------------------------------------------------


def text(found: Timeline, *, lang: str = "de") -> str:
    """Format a timeline for the terminal: measures by date, ties by kind by date, the ties
    begun and ended per period, and the marked dates; labels in ``lang``."""
    from netkoop.metrics.headline import ties_column
    from netkoop.model.labels import column_label, date_label, measure_label
    from netkoop.model.vocabulary import TIE_KINDS

    measures = found.measures
    dates = found.dates
    heading = (
        f"{_word('title', lang)}: {clean(found.name)} – {date_label(dates[0], lang)} "
        f"{_word('to', lang)} {date_label(dates[-1], lang)}, {_word(found.every, lang)}, "
        f"{len(dates)} {_word('dates', lang)}"
    )
    first = [date_label(d, lang) for d in dates]
    names = [n for n in SHOWN if n in measures.columns]
    if measures["units"].min() != measures["units"].max():
        names.insert(0, "units")
    lines = [click.style(heading, bold=True), "", click.style(_word("measures", lang), bold=True)]
    lines += _grid(
        [
            [first[i], *(_cell(n, measures[n].iloc[i], lang) for n in names)]
            for i in range(len(dates))
        ],
        [column_label("date", lang), *(measure_label(n, lang) for n in names)],
    )
    kinds = [k for k in TIE_KINDS if measures[ties_column(k)].any()]
    if kinds:
        lines += ["", click.style(_word("by_kind", lang), bold=True)]
        lines += _grid(
            [
                [first[i], *(_cell("ties", measures[ties_column(k)].iloc[i], lang) for k in kinds)]
                for i in range(len(dates))
            ],
            [column_label("date", lang), *(column_label(k, lang) for k in kinds)],
        )
    lines += ["", *_changes(found.changes, lang)]
    lines += ["", *_marks(found, lang)]
    return "\n".join(lines)


def _changes(changes: pd.DataFrame, lang: str) -> list[str]:
    from netkoop.metrics.timeline import FUNDINGS
    from netkoop.model.labels import column_label, date_label
    from netkoop.model.vocabulary import TIE_KINDS

    title = click.style(_word("changes", lang), bold=True)
    if changes.empty:
        return [title, f"  {_word('none', lang)}"]
    groups = [
        (kind, column_label(kind, lang))
        for kind in TIE_KINDS
        if changes[f"begun_{kind}"].any() or changes[f"ended_{kind}"].any()
    ]
    groups += [
        (funding, _funding_label(funding, lang))
        for funding in FUNDINGS
        if changes[f"begun_{funding}"].any() or changes[f"ended_{funding}"].any()
    ]
    rows = [
        [
            f"{date_label(row['period_start'], lang)} – {date_label(row['period_end'], lang)}",
            _signed(int(row["begun"]), int(row["ended"]), lang),
            *(_signed(int(row[f"begun_{g}"]), int(row[f"ended_{g}"]), lang) for g, _ in groups),
        ]
        for _, row in changes.iterrows()
    ]
    header = [_word("period", lang), column_label("ties", lang), *(label for _, label in groups)]
    return [title, *_grid(rows, header), "", *textwrap.wrap(_word("note", lang), 100)]


def _funding_label(funding: str, lang: str) -> str:
    from netkoop.model.vocabulary import VALUE_LABELS_DE

    if funding == "funding_unknown":
        return _word(funding, lang)
    return VALUE_LABELS_DE.get(("funding", funding), funding) if lang == "de" else funding


def _marks(found: Timeline, lang: str) -> list[str]:
    from netkoop.model.labels import date_label

    lines = [click.style(_word("marks", lang), bold=True)]
    if not found.marks:
        return [*lines, f"  {_word('none', lang)}"]
    for mark in found.marks:
        lines.append(f"  {date_label(mark.date, lang)}  {clean(mark.shown(lang))}")
    return lines


def _word(key: str, lang: str) -> str:
    pair = _WORDS[key]
    return pair[1] if lang == "en" else pair[0]


def _cell(name: str, value: float, lang: str) -> str:
    """A measure as people read it: counts whole, shares in percent, German decimal commas."""
    from netkoop.render.timeline import SHARES

    number = float(value)
    if math.isnan(number):
        return "–"
    if name in SHARES:
        text = f"{number * 100:,.1f}" + (" %" if lang == "de" else "%")
    elif number.is_integer():
        text = f"{int(number):,}"
    else:
        text = f"{number:.4g}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def _signed(begun: int, ended: int, lang: str) -> str:
    parts = ([f"+{begun:,}"] if begun else []) + ([f"−{ended:,}"] if ended else [])
    text = " ".join(parts) or "·"
    return text.replace(",", ".") if lang == "de" else text


def _grid(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[str]:
    """Lay out rows under headers wrapped into several lines, in blocks as wide as the
    terminal (the first column repeated in each); cells after the first right-aligned."""
    width = max(80, min(shutil.get_terminal_size((120, 24)).columns, 160))
    widths = [
        max([len(cell) for cell in column] + [len(w) for w in title.split()] + [10])
        for title, column in zip(header, zip(*rows, strict=True), strict=True)
    ]
    lines: list[str] = []
    rest = list(range(1, len(header)))
    while rest:
        block: list[int] = []
        used = widths[0] + 2
        while rest and (not block or used + widths[rest[0]] + 2 <= width):
            block.append(rest.pop(0))
            used += widths[block[-1]] + 2
        columns = [0, *block]
        titles = [textwrap.wrap(clean(header[c]), widths[c]) or [""] for c in columns]
        depth = max(len(t) for t in titles)
        for line in range(depth):
            cells = []
            for c, title in zip(columns, titles, strict=True):
                part = title[line - depth + len(title)] if line >= depth - len(title) else ""
                cells.append(part.ljust(widths[c]) if c == 0 else part.rjust(widths[c]))
            lines.append("  " + "  ".join(cells).rstrip())
        lines.append("  " + "  ".join("-" * widths[c] for c in columns))
        for row in rows:
            cells = [row[0].ljust(widths[0]), *(row[c].rjust(widths[c]) for c in block)]
            lines.append("  " + "  ".join(cells).rstrip())
        if rest:
            lines.append("")
    return lines


COMMANDS = (timeline_command,)
