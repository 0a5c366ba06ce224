"""Export to GEXF, GraphML and Cytoscape JSON, read back with independent readers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

import netkoop
from netkoop.cli import main
from netkoop.export import export, export_graph


@pytest.fixture
def net(minimal):
    return netkoop.load(minimal)


def test_gexf_keeps_every_tie_and_unit_attribute(net, tmp_path):
    path = export(net, tmp_path / "netz.gexf")
    graph = nx.read_gexf(path)
    assert sorted(graph.nodes) == sorted(net.units["id"])
    assert graph.number_of_edges() == len(net.ties)
    assert graph.nodes["09162"]["label"] == "München"
    assert graph.nodes["09162"]["population"] == 1510378
    assert "parent" not in graph.nodes["09162"]  # empty values are left out, not written as None
    kinds = sorted(d["kind"] for _, _, d in graph.edges(data=True))
    assert kinds == sorted(net.ties["kind"])


def test_graphml_is_valid_xml_with_directed_flag(net, tmp_path):
    path = export(net, tmp_path / "netz.graphml")
    root = ET.parse(path).getroot()  # noqa: S314 - our own output
    assert root.tag.endswith("graphml")
    graph = nx.read_graphml(path)
    opening = [d for _, _, d in graph.edges(data=True) if d["kind"] == "service_opening"]
    assert len(opening) == 1
    assert (opening[0]["from"], opening[0]["to"], opening[0]["directed"]) == (
        "09162",
        "09184",
        True,
    )
    exchange = [d for _, _, d in graph.edges(data=True) if d["kind"] == "exchange"]
    assert exchange[0]["directed"] is False


def test_cytoscape_json_with_flows(net, tmp_path):
    path = export(net, tmp_path / "netz.json", flows=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    edges = [e["data"] for e in data["elements"]["edges"]]
    assert len(data["elements"]["nodes"]) == 5
    assert len(edges) == len(net.ties) + len(net.flows)
    commuting = {(e["from"], e["to"]): e["commuters"] for e in edges if e["kind"] == "commuting"}
    assert commuting == {("09184", "09162"): 71660, ("09162", "09184"): 30440}
    assert "NaN" not in path.read_text(encoding="utf-8")


def test_merged_edges_have_list_attributes_flattened(write_scenario, tmp_path):
    """networkx's GEXF and GraphML writers fail on tuples and None; the export must not."""
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
    assert network.graph(multigraph=False)["a"]["b"]["kinds"] == ("exchange", "joint_project")
    for suffix in (".gexf", ".graphml", ".json"):
        export(network, tmp_path / f"merged{suffix}", merge=True, flows=True)
    graph = nx.read_graphml(tmp_path / "merged.graphml")
    assert graph["a"]["b"]["kinds"] == "exchange; joint_project"
    assert graph["a"]["b"]["weight"] == 2
    assert graph["a"]["b"]["commuters"] == 150
    assert export_graph(network, merge=True).number_of_edges() == 1


def test_unicode_names_survive(write_scenario, tmp_path):
    path = write_scenario(
        """
        units:
          - {id: "09184149", name: Unterschleißheim, kind: gemeinde, land: BY, parent: "09184"}
          - {id: "09184", name: Landkreis München, kind: landkreis, land: BY}
        """
    )
    out = export(netkoop.load(path), tmp_path / "u.gexf")
    assert nx.read_gexf(out).nodes["09184149"]["label"] == "Unterschleißheim"


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
    exchange = (netkoop.load("beispielregion").ties["kind"] == "exchange").sum()
    assert nx.read_gexf(tmp_path / "b.gexf").number_of_edges() == exchange

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
