"""The recommend command: the k new ties that most improve commuter coverage or connectivity."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netkoop._errors import MetricsError
from netkoop.cli.options import (
    NamesOption,
    at_option,
    csv_option,
    focus_option,
    focused,
    force,
    lang,
    min_confidence,
    names_of,
    on_date,
    split,
)
from netkoop.cli.output import clean, table
from netkoop.cli.progress import progress, quiet_option
from netkoop.output.files import is_stdout
from netkoop.output.formats import TABLE

if TYPE_CHECKING:
    from netkoop.model.focus import Focus
    from netkoop.model.network import Network
    from netkoop.whatif.recommend import Recommendation


@click.command("recommend")
@click.argument("scenario", metavar="FILE")
@click.option(
    "-k",
    "--k",
    "k",
    type=int,
    default=5,
    show_default=True,
    metavar="N",
    help="Number of new ties to recommend.",
)
@click.option(
    "--objective",
    default="commuter-coverage",
    show_default=True,
    metavar="NAME",
    cls=NamesOption,
    names=names_of("netkoop.whatif.recommend", "OBJECTIVES"),
    help="What the new ties should improve",
)
@click.option(
    "--kind",
    default="exchange",
    show_default=True,
    metavar="KIND",
    help="Tie kind of the new ties, e.g. exchange or joint_project.",
)
@click.option(
    "--column",
    default="commuters",
    show_default=True,
    help="Flow column to count, e.g. auslaender.",
)
@click.option(
    "--ties",
    metavar="KIND,...",
    help="Only these existing tie kinds count (comma-separated; default: all); the word "
    "'confirmed' counts only the ties both sides of a survey reported.",
)
@min_confidence
@at_option
@click.option(
    "--adjacent-only",
    is_flag=True,
    help="Only pairs that share a border (borders table), e.g. a Landkreis and its Stadt.",
)
@focus_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the table of recommended ties here (.csv, .json or .xlsx; - for standard output).",
)
@click.option("--format", "fmt", type=click.Choice(list(TABLE)), help="Format of --output.")
@click.option(
    "--save",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Write the scenario with the recommended ties added to this folder.",
)
@lang
@csv_option
@force
@quiet_option
def recommend(
    scenario: str,
    k: int,
    objective: str,
    kind: str,
    column: str,
    ties: str | None,
    min_confidence: float | None,
    at: str | None,
    adjacent_only: bool,
    focus: str | None,
    output: Path | None,
    fmt: str | None,
    save: Path | None,
    lang: str,
    csv: str,
    force: bool,
    quiet: bool,
) -> None:
    """Recommend the k new ties that most improve commuter coverage or connectivity.

    A new tie joins two units that no tie joins yet. The method is greedy: ties are chosen
    one after another, each the best single addition once the ties chosen before it are
    added. Each tie is listed with its reason.

    commuter-coverage: the share of commuters (both directions summed) who commute between
    tied units. A tie covers exactly the commuters of its own pair, so greedy is optimal
    here: the k uncovered pairs with the most commuters are the best set of k ties. Reason:
    commuters covered and the coverage after the tie.

    connectivity: as few pairs of units without a path of ties between them as possible.
    Each step joins two of the largest components (among equal choices the pair with the
    most commuters). Each step is the best single tie, but the k ties together are not
    guaranteed to be the best set of k. Reason: sizes of the two components joined and the
    number of components after the tie.

    --focus KEY recommends ties for one unit: ties of the unit (of a Kreis: also of its
    Gemeinden; of a Land: of its Kreise and Gemeinden) with anyone, and for a Gemeinde also
    ties inside its Landkreis.

    --output writes the table (CSV or JSON records with the columns of the Python function
    netkoop.whatif.recommend, or an xlsx workbook labelled in --lang); --save writes the
    scenario with the new ties added.

    \b
    Example: netkoop recommend beispielregion --focus eichwalde
    Example: netkoop recommend zwei-welten-2020 -k 5
    """
    from netkoop.model.vocabulary import TIE_KINDS
    from netkoop.output.files import check_folder
    from netkoop.scenario import load
    from netkoop.whatif.recommend import check_table_output
    from netkoop.whatif.recommend import recommend as recommend_ties

    kinds = split(ties)
    if ties is not None and not kinds:
        raise MetricsError(f"--ties needs tie kinds; tie kinds: {', '.join(TIE_KINDS)}")
    network = on_date(load(scenario), at)
    chosen = focused(network, focus)
    protect = network.metadata.inputs
    # Refuse an output before anything is computed or written, so a refusal leaves nothing.
    if output is not None:
        check_table_output(output, fmt, overwrite=force, protect=protect)
    if save is not None:
        check_folder(save, (), kind="scenario", overwrite=force, protect=protect)
    with progress("Neue Beziehungen wählen", quiet=quiet) as advance:
        result = recommend_ties(
            network,
            k=k,
            objective=objective,
            kind=kind,
            ties=kinds,
            min_confidence=min_confidence,
            adjacent_only=adjacent_only,
            column=column,
            progress=advance,
            focus=chosen,
        )
    to_stdout = output is not None and is_stdout(output)
    saved = None
    if save is not None:
        added = result.ties[["from", "to", "kind"]].assign(source="netkoop recommend")
        saved = network.add_ties(added).save(save, overwrite=force)
    if output is not None:
        result.write(output, fmt=fmt, overwrite=force, protect=protect, lang=lang, csv=csv)
    about = None if chosen is None else _focus_line(chosen, network)
    click.echo(_text(result, about), err=to_stdout)
    if saved is not None:
        click.echo(
            f"Saved the scenario with {len(result.ties)} new ties added: {saved}", err=to_stdout
        )
    if output is not None and not to_stdout:
        click.echo(f"Wrote {output}")


def _focus_line(chosen: Focus, network: Network) -> str:
    """Which ties the focus allows, e.g. ``Focus: Hildesheim (03254) with its 18 Gemeinden:
    their ties with anyone``."""
    from netkoop.model.vocabulary import KREIS_KINDS

    units = network.units.set_index("id")
    kinds = units["kind"].reindex(sorted(chosen.area - {chosen.key}))
    counts = (
        (int(kinds.isin(list(KREIS_KINDS)).sum()), "Kreis", "Kreise"),
        (int((kinds == "gemeinde").sum()), "Gemeinde", "Gemeinden"),
    )
    members = " and ".join(f"{n:,} {one if n == 1 else many}" for n, one, many in counts if n)
    line = f"Focus: {chosen.name} ({chosen.key})"
    line += f" with its {members}: their ties with anyone" if members else ": its ties with anyone"
    if chosen.kreis_area != chosen.area and chosen.kreis is not None:
        kreis = units["name"].get(chosen.kreis, chosen.kreis)
        line += f", and ties inside {kreis} ({chosen.kreis})"
    return clean(line)


def _text(result: Recommendation, about: str | None = None) -> str:
    """The header with the objective before (and ``about`` the focus), one line per
    recommended tie, and what is left."""
    counted, column = result.counted, result.column
    scope = "" if counted is None else f", counting only {', '.join(counted)} ties"
    pairs = "neighbouring pair" if result.adjacent_only else "pair"
    if result.focus is not None:
        about = about or f"Focus: {clean(result.focus)}"
        pairs += " the focus allows"
    if result.min_confidence is not None:
        scope += f", ties of confidence {result.min_confidence:g} or more"
    if result.adjacent_only:
        scope += ", neighbouring pairs only"
    objective = result.objective
    title = clean(f"Recommended new {result.kind} ties for {result.name}: {objective}{scope}")
    ties = result.ties
    rows = [
        [i, r["from"], r["name_from"], r["kind_from"], r["to"], r["name_to"], r["kind_to"]]
        for i, r in enumerate(ties.to_dict("records"), start=1)
    ]
    header = ["#", "from", "name", "kind", "to", "name", "kind", "commuters"]
    if objective == "commuter-coverage":
        total = result.commuters
        label = "commuters" if column == "commuters" else f"commuters ({column})"
        before = f"{_share(result.coverage_before)} of {total:,} {label} between tied units"
        method = "greedy, optimal for k: each tie covers only its own pair's commuters"
        header.append("coverage after")
        reasons = [
            [int(c), _share(s)] for c, s in zip(ties["commuters"], ties["coverage"], strict=True)
        ]
        done = f"every {pairs} with {label} has a tie" if total else f"there are no {label}"
    else:
        components = result.components_before
        before = f"{components:,} component{'s' if components != 1 else ''} (units joined by ties)"
        method = "greedy, each tie the best single one; the k together not guaranteed best"
        header += ["components joined", "components after"]
        reasons = [
            [
                int(r["commuters"]),
                f"{r['size_from']:,} + {r['size_to']:,} units",
                int(r["components"]),
            ]
            for r in ties.to_dict("records")
        ]
        after = result.components_after
        done = "the ties join every unit" if after <= 1 else f"no {pairs} joins two components"
    lines = [click.style(title, bold=True), *([about] if about else []), f"Before: {before}"]
    if ties.empty:
        return "\n".join([*lines, f"No new tie improves {objective}: {done}."])
    lines += [f"Method: {method}", ""]
    lines.append(table([row + reason for row, reason in zip(rows, reasons, strict=True)], header))
    if len(ties) < result.k:
        lines += ["", f"Only {len(ties)} of {result.k} ties improve {objective}: then {done}."]
    return "\n".join(lines)


def _share(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1%}"


COMMANDS = (recommend,)
