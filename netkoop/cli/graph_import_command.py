"""``netkoop import graph``: a Gephi, visone, yEd or Cytoscape file as a new scenario."""

from __future__ import annotations

from pathlib import Path

import click

from netkoop.cli.options import force
from netkoop.cli.output import clean


@click.command(name="graph")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(path_type=Path),
    help="Scenario folder to create (new or empty).",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file with the settings below (kind_from: typ, ...); options given win.",
)
@click.option(
    "--id-from", metavar="ATTR", help="Node attribute with the unit id (default: node id)."
)
@click.option(
    "--name-from", metavar="ATTR", help="Node attribute with the name (default: name, else label)."
)
@click.option(
    "--kind-from", metavar="ATTR", help="Node attribute with the unit kind (default: kind)."
)
@click.option("--land-from", metavar="ATTR", help="Node attribute with the Land (default: land).")
@click.option(
    "--tie-kind-from",
    metavar="ATTR",
    help="Edge attribute with the tie kind (default: kind, GEXF kind, Cytoscape interaction).",
)
@click.option(
    "--commuters-from",
    metavar="ATTR",
    help="Edge attribute with the commuters of a flow (default: commuters, else weight).",
)
@click.option("--unit-kind", metavar="KIND", help="Unit kind of nodes that have none.")
@click.option("--tie-kind", metavar="KIND", help="Tie kind of edges that have none.")
@click.option(
    "--land", metavar="LAND", help="Land of nodes that have none (key, name, abbreviation)."
)
@click.option(
    "--flow-kind",
    "flow_kinds",
    multiple=True,
    metavar="KIND",
    help="Edges of this kind become flows too (besides 'commuting'); repeatable.",
)
@force
def graph(
    file: Path,
    folder: Path,
    mapping: Path | None,
    id_from: str | None,
    name_from: str | None,
    kind_from: str | None,
    land_from: str | None,
    tie_kind_from: str | None,
    commuters_from: str | None,
    unit_kind: str | None,
    tie_kind: str | None,
    land: str | None,
    flow_kinds: tuple[str, ...],
    force: bool,
) -> None:
    """Import a network from Gephi (.gexf), visone or yEd (.graphml) or Cytoscape (.json, .cyjs).

    Nodes become units, edges ties; edges of kind 'commuting' become commuter flows. Ids stay
    text as written; node labels are names where nodes have no 'name' attribute. Name the
    attributes that hold what netkoop needs, or give defaults, with the options or a mapping
    file. The scenario is checked as 'netkoop validate' checks one, before it is written.

    \b
    Example: netkoop import graph netz.gexf --kind-from Typ --tie-kind exchange -o region
    """
    from netkoop.importers.graph import import_graph
    from netkoop.importers.graphfile.mapping import GraphMapping, read_mapping

    base = read_mapping(mapping) if mapping is not None else GraphMapping()
    settings = base.with_options(
        id_from=id_from,
        name_from=name_from,
        kind_from=kind_from,
        land_from=land_from,
        tie_kind_from=tie_kind_from,
        commuters_from=commuters_from,
        unit_kind=unit_kind,
        tie_kind=tie_kind,
        land=land,
        flow_kinds=(*base.flow_kinds, *flow_kinds) if flow_kinds else None,
    )
    done = import_graph(file, folder, settings, overwrite=force)
    network = done.network
    counts = {"units": len(network.units), "ties": len(network.ties), "flows": len(network.flows)}
    click.echo(
        f"Wrote {clean(done.path)}: "
        + ", ".join(f"{n:,} {table}" for table, n in counts.items() if n or table == "units")
    )
    for note in done.notes:
        click.echo(f"  note: {clean(note)}")
