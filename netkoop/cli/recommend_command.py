"""The recommend command: the k new ties that most improve commuter coverage or connectivity."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import click
import pandas as pd

import netkoop
from netkoop import whatif
from netkoop._errors import MetricsError, NetkoopError
from netkoop.cli.options import split
from netkoop.cli.output import table
from netkoop.metrics import commuting_gap
from netkoop.metrics.engine import tie_graph
from netkoop.network import Network
from netkoop.vocabulary import TIE_KINDS
from netkoop.whatif.recommend import OBJECTIVES

#: Table formats of --output, by file ending.
OUTPUT_FORMATS = {".csv": "csv", ".json": "json"}


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
    metavar="|".join(OBJECTIVES),
    help="What the new ties should improve.",
)
@click.option(
    "--kind",
    default="exchange",
    show_default=True,
    metavar="KIND",
    help=f"Tie kind of the new ties: {', '.join(TIE_KINDS)}.",
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
    help="Only these existing tie kinds count (comma-separated); default: all.",
)
@click.option(
    "--adjacent-only",
    is_flag=True,
    help="Only pairs that share a border (borders table), e.g. a Landkreis and its Stadt.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the table of recommended ties here (.csv or .json).",
)
@click.option(
    "--save",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write the scenario with the recommended ties added to this folder.",
)
@click.option("--force", is_flag=True, help="Let --save replace an existing scenario in DIR.")
def recommend(
    scenario: str,
    k: int,
    objective: str,
    kind: str,
    column: str,
    ties: str | None,
    adjacent_only: bool,
    output: Path | None,
    save: Path | None,
    force: bool,
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

    --output writes the table (CSV or JSON records, columns as the Python function
    netkoop.whatif.recommend); --save writes the scenario with the new ties added.

    \b
    Example: netkoop recommend zwei-welten-2020 -k 5
    """
    suffix = _output_suffix(output)
    loaded = netkoop.load(scenario)
    kinds = split(ties)
    if ties is not None and not kinds:
        raise MetricsError(f"--ties needs tie kinds; tie kinds: {', '.join(TIE_KINDS)}")
    network = loaded if kinds is None else loaded.with_tie_kinds(kinds)
    candidates = _borders(network) if adjacent_only else None
    result = whatif.recommend(
        network, k=k, objective=objective, kind=kind, candidates=candidates, column=column
    )
    text = _text(
        network,
        result,
        k=k,
        objective=objective,
        kind=kind,
        column=column,
        counted=kinds,
        adjacent_only=adjacent_only,
    )
    # Save first: it refuses an existing scenario before writing anything, so a refusal
    # leaves no table behind either.
    saved = None
    if save is not None:
        added = result[["from", "to", "kind"]].assign(source="netkoop recommend")
        saved = loaded.add_ties(added).save(save, overwrite=force)
    if output is not None:
        _write_table(result, output, suffix)
    click.echo(text)
    if saved is not None:
        click.echo(f"Saved the scenario with {len(result)} new ties added: {saved}")
    if output is not None:
        click.echo(f"Wrote {output}")


def _output_suffix(output: Path | None) -> str:
    """Return the ending of --output, checked before anything is computed or written."""
    if output is None:
        return ""
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise NetkoopError(
            f"{output}: cannot tell the format from the ending; "
            f"use a name ending in {' or '.join(OUTPUT_FORMATS)}"
        )
    return suffix


def _borders(network: Network) -> pd.DataFrame:
    borders = network.borders
    if borders.empty:
        raise MetricsError(
            f"--adjacent-only needs borders between places, and scenario {network.name!r} has "
            "none; add a borders table (e.g. with `netkoop import adjacency`)"
        )
    return borders[["from", "to"]]


def _write_table(result: pd.DataFrame, output: Path, suffix: str) -> None:
    """Write the table under a temporary name beside ``output`` and move it in place."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".netkoop-", suffix=suffix, dir=output.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        if OUTPUT_FORMATS[suffix] == "csv":
            result.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
        else:
            temporary.write_text(_json(result), encoding="utf-8")
        os.replace(temporary, output)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _json(result: pd.DataFrame) -> str:
    """The table as a JSON list of records: plain numbers, missing values as null."""
    records = [
        {str(key): None if pd.isna(value) else _plain(value) for key, value in row.items()}
        for row in result.to_dict("records")
    ]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _plain(value: object) -> object:
    """A numpy scalar as the Python value json writes."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _text(
    network: Network,
    result: pd.DataFrame,
    *,
    k: int,
    objective: str,
    kind: str,
    column: str,
    counted: list[str] | None,
    adjacent_only: bool,
) -> str:
    """The header with the objective before, one line per recommended tie, and what is left."""
    scope = "" if counted is None else f", counting only {', '.join(counted)} ties"
    pairs = "neighbouring pair" if adjacent_only else "pair"
    if adjacent_only:
        scope += ", neighbouring pairs only"
    title = f"Recommended new {kind} ties for {network.name}: {objective}{scope}"
    rows = [
        [i, r["from"], r["name_from"], r["kind_from"], r["to"], r["name_to"], r["kind_to"]]
        for i, r in enumerate(result.to_dict("records"), start=1)
    ]
    header = ["#", "from", "name", "kind", "to", "name", "kind", "commuters"]
    if objective == "commuter-coverage":
        gap = commuting_gap(network, column=column, top=0)
        total = int(gap.pairs["commuters"].sum())
        label = "commuters" if column == "commuters" else f"commuters ({column})"
        before = f"{_share(gap.coverage)} of {total:,} {label} between tied units"
        method = "greedy, optimal for k: each tie covers only its own pair's commuters"
        header.append("coverage after")
        reasons = [
            [int(c), _share(s)]
            for c, s in zip(result["commuters"], result["coverage"], strict=True)
        ]
        done = f"every {pairs} with {label} has a tie" if total else f"there are no {label}"
    else:
        components = len(tie_graph(network).component_sizes)
        before = f"{components:,} component{'s' if components != 1 else ''} (units joined by ties)"
        method = "greedy, each tie the best single one; the k together not guaranteed best"
        header += ["components joined", "components after"]
        reasons = [
            [
                int(r["commuters"]),
                f"{r['size_from']:,} + {r['size_to']:,} units",
                int(r["components"]),
            ]
            for r in result.to_dict("records")
        ]
        after = int(result["components"].iloc[-1]) if len(result) else components
        done = "the ties join every unit" if after <= 1 else f"no {pairs} joins two components"
    lines = [click.style(title, bold=True), f"Before: {before}"]
    if result.empty:
        return "\n".join([*lines, f"No new tie improves {objective}: {done}."])
    lines += [f"Method: {method}", ""]
    lines.append(table([row + reason for row, reason in zip(rows, reasons, strict=True)], header))
    if len(result) < k:
        lines += ["", f"Only {len(result)} of {k} ties improve {objective}: then {done}."]
    return "\n".join(lines)


def _share(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1%}"


COMMANDS = (recommend,)
