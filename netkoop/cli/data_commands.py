"""Commands that bring official data in and send networks out: import, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from netkoop.cli.graph_import_command import graph as graph_command
from netkoop.cli.options import TIES_HELP, at_option, force, min_confidence, on_date, split
from netkoop.cli.output import clean
from netkoop.cli.progress import progress, quiet_option
from netkoop.output.formats import GRAPH

if TYPE_CHECKING:
    from netkoop.importers import Imported

_OUT = click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(path_type=Path),
    help="Scenario folder: created by the first import, extended by later ones.",
)
_REPLACE = click.option("--replace", is_flag=True, help="Replace the table if the scenario has it.")


def _write(folder: Path, imported: Imported, replace: bool, inputs: tuple[Path, ...]) -> None:
    from netkoop.importers import write_into
    from netkoop.model.tables import ALL_TABLES

    network, imported = write_into(folder, imported, replace=replace, inputs=inputs)
    counts = {name: len(getattr(network, name)) for name in ALL_TABLES}
    click.echo(
        f"{folder / 'scenario.yaml'}: {len(imported.frame):,} {imported.table} imported; "
        "the scenario now has " + ", ".join(f"{n:,} {name}" for name, n in counts.items() if n)
    )
    for note in imported.notes:
        click.echo(f"  note: {clean(note)}")


@click.group(name="import")
def import_group() -> None:
    """Build a scenario from official data (units, then flows, borders, outlines) or a graph file.

    Example: netkoop import gv-isys Auszug_GV.xlsx --level kreis -o deutschland
    """


import_group.add_command(graph_command)


@import_group.command(name="gv-isys")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_OUT
@click.option(
    "--level",
    type=click.Choice(["kreis", "gemeinde"]),
    default="gemeinde",
    show_default=True,
    help="Länder and Kreise only, or also the kreisangehörige Gemeinden.",
)
@click.option(
    "--land",
    "laender",
    multiple=True,
    help="Keep one Land (key, name or abbreviation); repeatable.",
)
@click.option("--kreis", "kreise", multiple=True, help="Keep one Kreis (5-digit key); repeatable.")
@_REPLACE
@quiet_option
def gv_isys(
    file: Path,
    folder: Path,
    level: str,
    laender: tuple[str, ...],
    kreise: tuple[str, ...],
    replace: bool,
    quiet: bool,
) -> None:
    """Import units from the Destatis Gemeindeverzeichnis (GV-ISys "Auszug GV" Excel).

    Länder, Kreise with their kind, and Gemeinden with parent Kreis, Gemeindeverband,
    population, area and coordinates.

    Example: netkoop import gv-isys 31122023_Auszug_GV.xlsx --land 09 -o bayern
    """
    from netkoop.importers.gvisys import read_gvisys

    with progress("Gemeindeverzeichnis lesen", quiet=quiet) as advance:
        imported = read_gvisys(
            file,
            level=level,  # type: ignore[arg-type]  # click.Choice guarantees kreis or gemeinde
            laender=laender or None,
            kreise=kreise or None,
            progress=advance,
        )
    _write(folder, imported, replace, (file,))


@import_group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_OUT
@_REPLACE
@quiet_option
def pendler(files: tuple[Path, ...], folder: Path, replace: bool, quiet: bool) -> None:
    """Import commuter flows from BA Pendlerstatistik CSV exports (Ein- and Auspendler by Kreis).

    FILES are CSV exports or folders of them. A pair listed in both an Ein- and an
    Auspendler file counts once (the two must agree).

    \b
    Example: netkoop import pendler Auspendler/*.csv Einpendler/*.csv -o deutschland
    """
    from netkoop.importers.pendler import read_pendler

    with progress("Pendlerdaten lesen", quiet=quiet) as advance:
        imported = read_pendler(files, progress=advance)
    _write(folder, imported, replace, files)


@import_group.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_OUT
@click.option(
    "--from", "from_", required=True, metavar="COLUMN", help="Column of the place of residence."
)
@click.option("--to", required=True, metavar="COLUMN", help="Column of the workplace.")
@click.option("--commuters", required=True, metavar="COLUMN", help="Column of the commuter count.")
@click.option(
    "--column",
    "extra",
    multiple=True,
    metavar="NAME=COLUMN",
    help="A further count to keep, e.g. foreign=auslaender; repeatable.",
)
@click.option("--sheet", help="Excel sheet (first sheet when omitted).")
@click.option("--sep", help="CSV separator (detected when omitted).")
@click.option("--encoding", help="Text encoding (detected when omitted).")
@_REPLACE
def od(
    file: Path,
    folder: Path,
    from_: str,
    to: str,
    commuters: str,
    extra: tuple[str, ...],
    sheet: str | None,
    sep: str | None,
    encoding: str | None,
    replace: bool,
) -> None:
    """Import commuter flows from any origin-destination table (CSV or Excel).

    \b
    Example: netkoop import od od.csv --from wohnort --to arbeitsort --commuters insgesamt -o region
    """
    from netkoop.importers.pendler import read_od

    columns = {"from": from_, "to": to, "commuters": commuters}
    for item in extra:
        name, _, column = item.partition("=")
        if not name or not column:
            raise click.BadParameter(f"expected NAME=COLUMN, got {item!r}", param_hint="--column")
        columns[name.strip()] = column.strip()
    imported = read_od(file, columns=columns, sep=sep, encoding=encoding, sheet=sheet)
    _write(folder, imported, replace, (file,))


@import_group.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_OUT
@click.option("--key", metavar="COLUMN", help="Column with the Kreis key (default: ARS, AGS, ...).")
@click.option("--layer", help="Layer of a GeoPackage with several layers.")
@click.option(
    "--min-length",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Keep borders longer than this many km (point contacts are never kept).",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Metres by which shared edges may miss each other (simplified polygons).",
)
@_REPLACE
@quiet_option
def adjacency(
    file: Path,
    folder: Path,
    key: str | None,
    layer: str | None,
    min_length: float,
    tolerance: float,
    replace: bool,
    quiet: bool,
) -> None:
    """Import which Kreise share a border, and how long, from polygons (shapefile, GeoJSON).

    Needs the geo extra: pip install 'netkoop[geo]'.

    Example: netkoop import adjacency VG1000_KRS.shp -o deutschland
    """
    from netkoop.importers.adjacency import read_adjacency

    with progress("Grenzen messen", quiet=quiet, eta=True) as advance:
        imported = read_adjacency(
            file,
            key=key,
            layer=layer,
            min_length_km=min_length,
            tolerance_m=tolerance,
            progress=advance,
        )
    _write(folder, imported, replace, (file,))


@import_group.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@_OUT
@click.option("--key", metavar="COLUMN", help="Column with the keys (default: ARS, AGS, ...).")
@click.option(
    "--level",
    type=click.Choice(["land", "kreis", "gemeinde"]),
    help="Level of the places (default: from the keys' digits); picks a GeoPackage's layer.",
)
@click.option("--layer", help="Layer of a GeoPackage with several layers.")
@click.option(
    "--tolerance",
    metavar="METRES",
    type=click.FloatRange(min=0),
    help="How much to simplify (default: 2700 for Länder and Kreise, 500 for Gemeinden; "
    "0 keeps every vertex).",
)
@_REPLACE
@quiet_option
def geometry(
    file: Path,
    folder: Path,
    key: str | None,
    level: str | None,
    layer: str | None,
    tolerance: float | None,
    replace: bool,
    quiet: bool,
) -> None:
    """Import the outlines of places for maps from polygons (shapefile, GeoJSON, GeoPackage).

    The polygons are simplified so that neighbours keep their shared edges and a page can
    carry them, and kept beside the scenario as outlines.geojson; Länder are dissolved from
    Kreise, Kreise and Länder from Gemeinden. The outlines are added to those the scenario
    has, dissolved ones only for places without an outline, so importing Gemeinden keeps
    the scenario's Kreis and Land outlines. --replace replaces the scenario's outlines of
    the file's places at the file's level; all others stay. Parts smaller than the grid of
    5 decimals (about a metre) are dropped. Units without coordinates take them from their
    outline. Needs the geo extra: pip install 'netkoop[geo]'.

    Example: netkoop import geometry VG1000_KRS.shp -o deutschland
    """
    from netkoop.importers.geometry import read_geometry

    with progress("Umrisse vereinfachen", quiet=quiet):
        imported = read_geometry(
            file,
            key=key,
            level=level,  # type: ignore[arg-type]  # click.Choice guarantees a level
            layer=layer,
            tolerance_m=tolerance,
        )
    _write(folder, imported, replace, (file,))


@click.command()
@click.argument("scenario", metavar="FILE")
@click.option(
    "--to",
    "fmt",
    type=click.Choice(list(GRAPH)),
    help="gexf (Gephi), graphml (visone, yEd) or json (Cytoscape); default: from OUT's ending.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write (- for standard output, with --to).",
)
@click.option("--ties", "kinds", metavar="KIND,...", help=TIES_HELP)
@min_confidence
@at_option
@click.option("--flows", is_flag=True, help="Add commuter flows as edges of kind 'commuting'.")
@click.option(
    "--merge", is_flag=True, help="One edge per pair with weight and kinds, not one per tie."
)
@click.option(
    "--direction",
    type=click.Choice(["mixed", "directed", "undirected"]),
    default="mixed",
    show_default=True,
    help="mixed: directed only where direction means something (Gephi, Cytoscape); directed "
    "or undirected: every edge so (networkx, igraph, graph-tool know no mixed graphs).",
)
@force
@quiet_option
def export(
    scenario: str,
    fmt: str | None,
    output: Path,
    kinds: str | None,
    min_confidence: float | None,
    at: str | None,
    flows: bool,
    merge: bool,
    direction: str,
    force: bool,
    quiet: bool,
) -> None:
    """Write the network for Gephi, visone, igraph or Cytoscape: units as nodes, ties as edges.

    Every edge keeps its tie kind and, where it has one, its direction (from -> to); the file
    carries title, reference date, sources and licence.

    Example: netkoop export beispielregion --to gexf -o beispielregion.gexf
    """
    from netkoop.export import export as export_network
    from netkoop.scenario import load

    network = on_date(load(scenario), at)
    with progress("Kanten schreiben", quiet=quiet) as advance:
        path = export_network(
            network,
            output,
            to=fmt,  # type: ignore[arg-type]  # a GRAPH choice
            kinds=split(kinds),
            flows=flows,
            merge=merge,
            direction=direction,  # type: ignore[arg-type]  # a Direction choice
            overwrite=force,
            progress=advance,
            min_confidence=min_confidence,
        )
    if path is not None:
        click.echo(f"Wrote {path}")


COMMANDS = (import_group, export)
