"""Exports to GEXF 1.3, GraphML and Cytoscape JSON: valid against the official schemas, edge by
edge as the tables say, and loaded whole by the programs people open them in (networkx,
python-igraph, Cytoscape.js, graphology as used by Gephi Lite)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import igraph as ig
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from graphfiles import load_in_js, validate_gexf, validate_graphml
from lxml import etree

import netkoop
from netkoop._errors import NetkoopWarning, OutputError
from netkoop.cli import main
from netkoop.export import export, export_graph
from netkoop.model.vocabulary import DIRECTED_TIE_KINDS
from netkoop.scenario.bundled import list_scenarios

GEXF = "{http://gexf.net/1.3}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
SUFFIXES = {"gexf": ".gexf", "graphml": ".graphml", "json": ".json"}


def quiet(spec: str | Path) -> netkoop.Network:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        return netkoop.load(spec)


def expected_edges(
    network: netkoop.Network, *, flows: bool
) -> dict[str, tuple[str, str, str, bool]]:
    """Edge id -> (from, to, kind, direction means something), straight from the tables."""
    edges = {
        f"tie-{row}": (a, b, kind, kind in DIRECTED_TIE_KINDS)
        for row, (a, b, kind) in enumerate(
            zip(network.ties["from"], network.ties["to"], network.ties["kind"], strict=True)
        )
    }
    if flows:
        for row, (a, b) in enumerate(zip(network.flows["from"], network.flows["to"], strict=True)):
            edges[f"flow-{row}"] = (a, b, "commuting", True)
    return edges


def gexf_edges(path: Path) -> dict[str, tuple[str, str, str, bool]]:
    """Edge id -> (source, target, kind, written as directed), read with lxml."""
    graph = etree.parse(path).getroot().find(f"{GEXF}graph")
    default = graph.get("defaultedgetype")
    return {
        e.get("id"): (
            e.get("source"),
            e.get("target"),
            e.get("kind"),
            e.get("type", default) == "directed",
        )
        for e in graph.iter(f"{GEXF}edge")
    }


def graphml_edges(path: Path) -> dict[str, tuple[str, str, str, bool]]:
    root = etree.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    graph = root.find(f"{GRAPHML}graph")
    default = graph.get("edgedefault")
    found = {}
    for e in graph.iter(f"{GRAPHML}edge"):
        data = {names[d.get("key")]: d.text for d in e.iter(f"{GRAPHML}data")}
        directed = e.get("directed", "true" if default == "directed" else "false") == "true"
        found[e.get("id")] = (e.get("source"), e.get("target"), data["kind"], directed)
    return found


def cytoscape_edges(path: Path) -> dict[str, tuple[str, str, str, bool]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {
        e["data"]["id"]: (
            e["data"]["source"],
            e["data"]["target"],
            e["data"]["interaction"],
            e["data"]["directed"],
        )
        for e in document["elements"]["edges"]
    }


READERS = {"gexf": gexf_edges, "graphml": graphml_edges, "json": cytoscape_edges}
VALIDATORS = {"gexf": validate_gexf, "graphml": validate_graphml}


def with_parallel_and_directed_ties(network: netkoop.Network) -> netkoop.Network:
    """The national network (no ties of its own) with parallel and directed ties added.

    Hannover (03241) and Hildesheim (03254) share three ties of three kinds; Hannover opens
    services to two neighbours; both are members of a Land forum.
    """
    forum = network.add_units(
        [{"id": "forum-nds", "name": "Netzwerk Integration Niedersachsen", "kind": "forum"}]
    )
    return forum.add_ties(
        [
            {"from": "03241", "to": "03254", "kind": "exchange", "intensity": "regular"},
            {"from": "03254", "to": "03241", "kind": "joint_project", "funding": "project"},
            {"from": "03241", "to": "03254", "kind": "shared_staff"},
            {"from": "03241", "to": "03252", "kind": "service_opening"},
            {"from": "03241", "to": "03255", "kind": "service_opening", "source": "vertrag"},
            {"from": "03241", "to": "forum-nds", "kind": "membership"},
            {"from": "03254", "to": "forum-nds", "kind": "membership"},
        ]
    )


@pytest.fixture(scope="module")
def bundled_exports(tmp_path_factory) -> dict[tuple[str, str, str], tuple[netkoop.Network, Path]]:
    """Every bundled scenario exported in every format, mixed and all-directed, with flows."""
    out = tmp_path_factory.mktemp("exports")
    files = {}
    for scenario in list_scenarios():
        network = quiet(scenario.name)
        for fmt, suffix in SUFFIXES.items():
            for direction in ("mixed", "directed"):
                path = out / f"{scenario.name}-{direction}{suffix}"
                export(network, path, flows=True, direction=direction)  # type: ignore[arg-type]
                files[(scenario.name, fmt, direction)] = (network, path)
    return files


def test_every_bundled_export_is_valid_and_keeps_each_edge_as_the_tables_say(bundled_exports):
    for (name, fmt, direction), (network, path) in bundled_exports.items():
        if fmt in VALIDATORS:
            VALIDATORS[fmt](path)
        expected = expected_edges(network, flows=True)
        found = READERS[fmt](path)
        assert found.keys() == expected.keys(), (name, fmt)
        for edge, (a, b, kind, means) in expected.items():
            written_directed = means if direction == "mixed" or fmt == "json" else True
            assert found[edge] == (a, b, kind, written_directed), (name, fmt, direction, edge)


def test_national_export_with_parallel_and_directed_ties(national, tmp_path):
    network = with_parallel_and_directed_ties(quiet(national))
    assert len(network.units) == 11_274  # 400 Kreise + 10,873 Gemeinden + 1 forum
    expected = expected_edges(network, flows=True)
    assert len(expected) == 7 + 46_991
    for fmt, suffix in SUFFIXES.items():
        path = export(network, tmp_path / f"de{suffix}", flows=True)
        if fmt in VALIDATORS:
            VALIDATORS[fmt](path)
        assert READERS[fmt](path) == expected
    # The three ties between Hannover and Hildesheim stay three edges of three kinds, in the
    # direction each was entered; Gephi keeps parallel edges apart by their kind.
    pair = {e: v for e, v in gexf_edges(tmp_path / "de.gexf").items() if e.startswith("tie-")}
    assert sorted(v[2] for v in pair.values() if {v[0], v[1]} == {"03241", "03254"}) == [
        "exchange",
        "joint_project",
        "shared_staff",
    ]
    assert pair["tie-1"][:2] == ("03254", "03241")


def test_networkx_and_igraph_load_the_directed_exports_edge_by_edge(tmp_path):
    network = quiet("beispielregion")
    expected = expected_edges(network, flows=True)
    gexf = export(network, tmp_path / "b.gexf", flows=True, direction="directed")
    graphml = export(network, tmp_path / "b.graphml", flows=True, direction="directed")
    for graph in (nx.read_gexf(gexf), nx.read_graphml(graphml)):
        assert graph.is_directed()
        assert graph.is_multigraph()
        assert graph.number_of_nodes() == len(network.units) == 13
        assert graph.number_of_edges() == len(expected) == 21 + 18
        for u, v, key, data in graph.edges(keys=True, data=True):
            a, b, kind, means = expected[key]  # the edge id is the multigraph's key
            assert (u, v, data["kind"], data["directed"]) == (a, b, kind, means)
    read = ig.Graph.Read_GraphML(str(graphml))
    assert read.is_directed()
    assert (read.vcount(), read.ecount()) == (13, 39)
    ids = read.vs["id"]
    # igraph 1.0 reads an edge's GraphML id wrongly (it gives a node id), so the edges are
    # compared as a multiset of (from, to, kind, direction means something).
    found = sorted((ids[e.source], ids[e.target], e["kind"], bool(e["directed"])) for e in read.es)
    assert found == sorted(expected.values())
    assert read["reference_date"] == "2024-06-30"
    # A mixed file is read by igraph as undirected, every edge still there.
    mixed = ig.Graph.Read_GraphML(str(export(network, tmp_path / "m.graphml", flows=True)))
    assert (mixed.vcount(), mixed.ecount(), mixed.is_directed()) == (13, 39, False)


def test_cytoscape_js_and_graphology_load_every_node_and_edge(national, tmp_path):
    network = with_parallel_and_directed_ties(quiet(national))
    expected = expected_edges(network, flows=True)
    directed = sum(means for *_, means in expected.values())
    assert directed == 4 + 46_991  # service openings, memberships and every flow
    loaded = load_in_js("cytoscape", export(network, tmp_path / "de.cyjs", flows=True))
    assert (loaded["nodes"], loaded["edges"]) == (11_274, len(expected))
    assert loaded["directed_edges"] == directed
    assert loaded["edge_ids"] == sorted(expected)
    assert loaded["data"]["reference_date"] == "2023-12-31"
    loaded = load_in_js("gexf", export(network, tmp_path / "de.gexf", flows=True))
    assert (loaded["nodes"], loaded["edges"]) == (11_274, len(expected))
    assert (loaded["directed_edges"], loaded["undirected_edges"]) == (directed, 3)


def test_graphology_and_cytoscape_js_load_every_bundled_export(bundled_exports):
    """graphology-graphml takes minutes for the national file, so GraphML is loaded in the
    JavaScript libraries at the size of the bundled scenarios."""
    for (name, fmt, direction), (network, path) in bundled_exports.items():
        if direction != "mixed":
            continue
        expected = expected_edges(network, flows=True)
        directed = sum(means for *_, means in expected.values())
        loaded = load_in_js("cytoscape" if fmt == "json" else fmt, path)  # type: ignore[arg-type]
        assert (loaded["nodes"], loaded["edges"]) == (len(network.units), len(expected)), name
        assert loaded["directed_edges"] == directed, (name, fmt)
        if fmt != "json":
            assert loaded["undirected_edges"] == len(expected) - directed, (name, fmt)


def test_every_export_carries_title_date_sources_and_licence(tmp_path):
    network = quiet("zwei-welten-2020")
    gexf = export(network, tmp_path / "z.gexf")
    description = etree.parse(gexf).getroot().find(f"{GEXF}meta/{GEXF}description").text
    assert description.splitlines()[0] == network.metadata.title
    assert "Stand: 2019-12-31" in description
    assert "© Statistik der Bundesagentur für Arbeit (https://statistik.arbeitsagentur.de)" in (
        description
    )
    graph = nx.read_graphml(export(network, tmp_path / "z.graphml", direction="directed"))
    assert graph.graph["title"] == network.metadata.title
    assert graph.graph["reference_date"] == "2019-12-31"
    assert json.loads(graph.graph["sources"])[1]["credit"] == (
        "© Statistik der Bundesagentur für Arbeit"
    )
    assert "Verändert: mit netkoop" in graph.graph["licence"]
    made = json.loads(graph.graph["netkoop"])
    assert set(made["versions"]) == {"netkoop", "python", "numpy", "pandas", "networkx", "igraph"}
    assert made["options"]["direction"] == "directed"
    data = json.loads(export(network, tmp_path / "z.json").read_text(encoding="utf-8"))["data"]
    assert (data["title"], data["reference_date"]) == (network.metadata.title, "2019-12-31")
    assert data["sources"] == [c.as_dict() for c in network.metadata.sources]


def test_the_licence_of_official_data_is_named_with_its_address(tmp_path):
    network = quiet("beispielregion").with_metadata(
        sources=(
            netkoop.Credit(
                "GV-ISys",
                credit="© Statistisches Bundesamt (Destatis), 2024",
                licence="Datenlizenz Deutschland – Namensnennung – Version 2.0",
            ),
        )
    )
    data = json.loads(export(network, tmp_path / "l.json").read_text(encoding="utf-8"))["data"]
    assert data["licence"].splitlines() == [
        "© Statistisches Bundesamt (Destatis), 2024; Lizenz: Datenlizenz Deutschland – "
        "Namensnennung – Version 2.0 (https://www.govdata.de/dl-de/by-2-0)",
        "Verändert: mit netkoop zu einem Netzwerk zusammengeführt.",
    ]


def test_the_same_network_gives_the_same_bytes(tmp_path):
    network = quiet("beispielregion")
    for fmt, suffix in SUFFIXES.items():
        first = export(network, tmp_path / f"a{suffix}", flows=True).read_bytes()
        again = export(quiet("beispielregion"), tmp_path / f"b{suffix}", flows=True).read_bytes()
        assert first == again, fmt
        assert b"lastmodified" not in first


def test_columns_named_like_the_formats_own_words_stay_columns(write_scenario, tmp_path):
    """`type`, `label`, `pid`, `start` became XML attributes with networkx's writer (a tie
    column `type` made the GEXF invalid); `source` overwrote Cytoscape's edge end."""
    path = write_scenario(
        """
        units:
          - {id: "01001", name: Flensburg, kind: kreisfreie_stadt, land: SH, label: Nord}
          - {id: "01059", name: Schleswig-Flensburg, kind: landkreis, land: SH, pid: x}
        ties:
          - {from: "01001", to: "01059", kind: exchange, type: formal, start: "2016",
             source: interview, "Anzahl Treffen": 4, aktiv: true}
        """
    )
    network = netkoop.load(path)
    gexf = export(network, tmp_path / "r.gexf")
    validate_gexf(gexf)
    graph = nx.read_gexf(gexf)
    edge = next(iter(graph.edges(data=True)))[2]
    assert (edge["type"], edge["start"], edge["source"]) == ("formal", "2016", "interview")
    assert graph.nodes["01001"]["label"] == "Flensburg"  # the GEXF label is the name ...
    graphml = export(network, tmp_path / "r.graphml")
    validate_graphml(graphml)
    read = nx.read_graphml(graphml)
    assert read.nodes["01001"]["label"] == "Nord"  # ... and the column `label` is kept
    assert read.nodes["01059"]["pid"] == "x"
    data = next(iter(read.edges(data=True)))[2]
    assert (data["Anzahl_Treffen"], data["aktiv"], data["type"]) == (4, True, "formal")
    text = graphml.read_text(encoding="utf-8")
    # attr.name must be an XML name token; the exact column name is the key's description.
    assert 'attr.name="Anzahl_Treffen" attr.type="long">\n  <desc>Anzahl Treffen</desc>' in text
    assert ">true</data>" in text
    cy = json.loads(export(network, tmp_path / "r.json").read_text(encoding="utf-8"))
    tie = cy["elements"]["edges"][0]["data"]
    assert (tie["source"], tie["target"], tie["tie_source"]) == ("01001", "01059", "interview")
    assert (tie["type"], tie["Anzahl Treffen"], tie["aktiv"]) == ("formal", 4, True)


def test_graphml_keys_are_unique_and_typed(tmp_path):
    path = export(quiet("beispielregion"), tmp_path / "b.graphml", flows=True)
    root = etree.parse(path).getroot()
    keys = list(root.iter(f"{GRAPHML}key"))
    assert len({k.get("id") for k in keys}) == len(keys)
    named = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert named[("node", "name")] == "string"
    assert named[("node", "population")] == "long"
    assert named[("node", "integration_concept")] == "boolean"
    assert named[("edge", "confidence")] == "double"
    assert named[("edge", "commuters")] == "long"
    assert named[("graph", "title")] == "string"


def test_graphml_refuses_a_unit_id_it_cannot_carry(write_scenario, tmp_path):
    path = write_scenario(
        """
        units:
          - {id: "Kreis A", name: A, kind: landkreis, land: BY}
          - {id: b, name: B, kind: kreisfreie_stadt, land: BY}
        """
    )
    with pytest.raises(OutputError, match="GraphML cannot carry the unit id 'Kreis A'"):
        export(netkoop.load(path), tmp_path / "x.graphml")
    assert not (tmp_path / "x.graphml").exists()
    validate_gexf(export(netkoop.load(path), tmp_path / "x.gexf"))


def test_merged_edges(write_scenario, tmp_path):
    path = write_scenario(
        """
        units:
          - {id: a, name: A, kind: landkreis, land: BY, note: ""}
          - {id: b, name: B, kind: kreisfreie_stadt, land: BY}
        ties:
          - {from: a, to: b, kind: exchange}
          - {from: b, to: a, kind: joint_project}
        flows:
          - {from: a, to: b, commuters: 120}
          - {from: b, to: a, commuters: 30}
        """
    )
    network = netkoop.load(path)
    for fmt, suffix in SUFFIXES.items():
        out = export(network, tmp_path / f"merged{suffix}", merge=True, flows=True)
        if fmt in VALIDATORS:
            VALIDATORS[fmt](out)
    graph = nx.read_graphml(tmp_path / "merged.graphml")
    assert graph["a"]["b"]["kinds"] == "exchange; joint_project"
    assert graph["a"]["b"]["ties"] == 2
    assert graph["a"]["b"]["commuters"] == 150
    edge = etree.parse(tmp_path / "merged.gexf").getroot().find(f".//{GEXF}edge")
    assert (edge.get("weight"), edge.get("type")) == ("2.0", "undirected")
    assert export_graph(network, merge=True).number_of_edges() == 1


def test_export_graph_keeps_direction_and_kinds(minimal):
    network = netkoop.load(minimal)
    graph = export_graph(network, flows=True)
    assert graph.is_directed()
    assert graph.number_of_edges() == len(network.ties) + len(network.flows)
    opening = [(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == "service_opening"]
    assert opening == [("09162", "09184")]
    assert graph.nodes["09162"]["label"] == "München"
    assert "parent" not in graph.nodes["09162"]  # missing values are left out


def test_unicode_and_leading_zeros_survive(write_scenario, tmp_path):
    path = write_scenario(
        """
        units:
          - {id: "09184149", name: Unterschleißheim, kind: gemeinde, land: BY, parent: "09184"}
          - {id: "09184", name: Landkreis München, kind: landkreis, land: BY}
        """
    )
    network = netkoop.load(path)
    assert nx.read_gexf(export(network, tmp_path / "u.gexf")).nodes["09184149"]["label"] == (
        "Unterschleißheim"
    )
    nodes = json.loads(export(network, tmp_path / "u.json").read_text(encoding="utf-8"))
    assert [n["data"]["id"] for n in nodes["elements"]["nodes"]] == ["09184149", "09184"]
    assert list(nx.read_graphml(export(network, tmp_path / "u.graphml")).nodes) == [
        "09184149",
        "09184",
    ]


def test_control_characters_are_replaced_in_xml_and_kept_in_json(write_scenario, tmp_path):
    path = write_scenario(
        """
        units:
          - {id: a, name: "A\\u0007B", kind: landkreis, land: BY}
        """
    )
    network = quiet(path)  # the loader warns about the control character, and keeps it
    with pytest.warns(NetkoopWarning, match="text value.*U\\+FFFD"):
        gexf = export(network, tmp_path / "c.gexf")
    assert nx.read_gexf(gexf).nodes["a"]["name"] == "A\ufffdB"
    data = json.loads(export(network, tmp_path / "c.json").read_text(encoding="utf-8"))
    assert data["elements"]["nodes"][0]["data"]["name"] == "A\u0007B"


def test_cli_export_and_its_errors(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(
        main,
        [
            "export",
            "beispielregion",
            "--to",
            "gexf",
            "-o",
            str(tmp_path / "b.gexf"),
            "--ties",
            "exchange",
        ],
    )
    assert ok.exit_code == 0, ok.output
    exchange = (quiet("beispielregion").ties["kind"] == "exchange").sum()
    assert len(gexf_edges(tmp_path / "b.gexf")) == exchange

    directed = runner.invoke(
        main,
        ["export", "beispielregion", "--direction", "directed", "-o", str(tmp_path / "d.graphml")],
    )
    assert directed.exit_code == 0, directed.output
    assert nx.read_graphml(tmp_path / "d.graphml").is_directed()

    wrong = runner.invoke(
        main, ["export", "beispielregion", "--to", "json", "-o", str(tmp_path / "scenario.yaml")]
    )
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith("Error:")
    assert "ends with .json or .cyjs" in wrong.stderr
    assert not (tmp_path / "scenario.yaml").exists()

    bogus = runner.invoke(
        main, ["export", "beispielregion", "-o", str(tmp_path / "x.gexf"), "--ties", "bogus"]
    )
    assert bogus.exit_code == 1
    assert "unknown tie kind(s) bogus" in bogus.stderr
    assert not (tmp_path / "x.gexf").exists()

    stdout = runner.invoke(main, ["export", "beispielregion", "--to", "json", "-o", "-"])
    assert stdout.exit_code == 0
    assert len(json.loads(stdout.stdout)["elements"]["nodes"]) == 13


def test_flow_weights_are_the_commuters(tmp_path):
    network = quiet("beispielregion")
    edges = etree.parse(export(network, tmp_path / "f.gexf", flows=True)).getroot()
    weights = {
        e.get("id"): e.get("weight")
        for e in edges.iter(f"{GEXF}edge")
        if e.get("kind") == "commuting"
    }
    commuters = network.flows["commuters"]
    assert weights == {f"flow-{row}": f"{float(n)!r}" for row, n in enumerate(commuters)}
    assert pd.Series([float(w) for w in weights.values()]).sum() == commuters.sum()


def test_export_shows_its_progress_at_a_terminal_and_not_with_quiet(monkeypatch, tmp_path):
    from netkoop.cli import progress as progress_module

    monkeypatch.setattr(progress_module, "_is_terminal", lambda stream: True)
    runner = CliRunner()
    shown = runner.invoke(
        main, ["export", "beispielregion", "--flows", "-o", str(tmp_path / "a.gexf")]
    )
    assert shown.exit_code == 0, shown.output
    assert "Kanten schreiben" in shown.stderr
    assert "39/39" in shown.stderr  # 21 ties + 18 flows
    quiet_run = runner.invoke(
        main, ["export", "beispielregion", "--flows", "-q", "-o", str(tmp_path / "b.gexf")]
    )
    assert quiet_run.exit_code == 0
    assert quiet_run.stderr == ""
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()
