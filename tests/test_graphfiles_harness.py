"""The graph-file harness itself (tests/graphfiles.py): it passes good files and fails bad ones.

The files are small and written here by hand, so a failure points at the harness, the vendored
schemas or the pinned JavaScript libraries, not at netkoop's exporters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import graphfiles
import pytest
from graphfiles import (
    GEXF_DIR,
    GRAPHML_DIR,
    SCHEMA_LOCATIONS,
    JsHarnessError,
    load_in_js,
    validate_gexf,
    validate_graphml,
)

GEXF = """\
<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <meta lastmodifieddate="2024-01-31">
    <creator>netkoop tests</creator>
    <description>one directed, one undirected edge</description>
  </meta>
  <graph defaultedgetype="undirected" mode="static">
    <attributes class="node">
      <attribute id="0" title="population" type="integer"/>
    </attributes>
    <nodes>
      <node id="09162" label="München">
        <attvalues><attvalue for="0" value="1510378"/></attvalues>
      </node>
      <node id="09184" label="Landkreis München"/>
      <node id="ag-by" label="AG Integration Bayern"/>
    </nodes>
    <edges>
      <edge id="e0" source="09162" target="09184" type="directed" weight="2.0"/>
      <edge id="e1" source="09184" target="ag-by"/>
    </edges>
  </graph>
</gexf>
"""

GRAPHML = """\
<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns
                             http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="d0" for="graph" attr.name="scenario" attr.type="string"/>
  <key id="d1" for="node" attr.name="population" attr.type="long"/>
  <key id="d2" for="edge" attr.name="intensive" attr.type="boolean">
    <default>false</default>
  </key>
  <graph id="G" edgedefault="undirected">
    <data key="d0">minimal</data>
    <node id="09162"><data key="d1">1510378</data></node>
    <node id="09184"/>
    <node id="ag-by"/>
    <edge id="e0" source="09162" target="09184" directed="true"/>
    <edge id="e1" source="09184" target="ag-by" directed="false">
      <data key="d2">true</data>
    </edge>
  </graph>
</graphml>
"""

CYTOSCAPE = {
    "data": {"name": "minimal"},
    "elements": {
        "nodes": [{"data": {"id": "09162"}}, {"data": {"id": "09184"}}, {"data": {"id": "ag-by"}}],
        "edges": [
            {"data": {"id": "e0", "source": "09162", "target": "09184", "directed": True}},
            {"data": {"id": "e1", "source": "09184", "target": "ag-by", "directed": False}},
        ],
    },
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the vendored schemas -------------------------------------------------------------------


def test_every_mapped_schema_location_is_a_vendored_file() -> None:
    for url, local in SCHEMA_LOCATIONS.items():
        assert local.is_file(), url
    for folder in (GEXF_DIR, GRAPHML_DIR):
        assert (folder / "SOURCE.txt").is_file()


# --- GEXF against gexf.xsd ------------------------------------------------------------------


def test_valid_gexf_passes_as_file_and_as_bytes(tmp_path: Path) -> None:
    validate_gexf(write(tmp_path, "g.gexf", GEXF))
    validate_gexf(str(write(tmp_path, "g.gexf", GEXF)))
    validate_gexf(GEXF.encode())
    validate_gexf(GEXF.encode(), schema="rng")


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        (
            '<graph defaultedgetype="undirected"',
            '<graph name="x" defaultedgetype="undirected"',
            "name",
        ),
        ('version="1.3"', 'version="1.2"', "version"),
        ('type="directed"', 'type="sideways"', "sideways"),
        ('type="integer"', 'type="int"', "'int'"),
        ('weight="2.0"', 'weight="heavy"', "heavy"),
        ('xmlns="http://gexf.net/1.3"', 'xmlns="http://www.gexf.net/1.2draft"', "gexf"),
    ],
)
def test_invalid_gexf_fails_with_the_line(
    tmp_path: Path, old: str, new: str, reported: str
) -> None:
    assert old in GEXF
    bad = write(tmp_path, "bad.gexf", GEXF.replace(old, new, 1))
    with pytest.raises(AssertionError, match="not valid GEXF") as caught:
        validate_gexf(bad)
    message = str(caught.value)
    assert reported in message
    assert str(bad) in message
    assert re.search(r"^  \d+:\d+: ", message, re.MULTILINE), message


def test_malformed_xml_fails() -> None:
    with pytest.raises(AssertionError, match="not well-formed"):
        validate_gexf(GEXF.replace("</gexf>", "").encode())


def test_official_gexf_xsd_rejects_the_viz_namespace_but_the_grammar_accepts_it() -> None:
    """A known fault of gexf.xsd 1.3: its viz elements are in the GEXF namespace.

    If an update of the vendored XSD fixes this, this test fails: then drop the caveat in
    validate_gexf's docstring.
    """
    with_viz = GEXF.replace(
        'xmlns="http://gexf.net/1.3"',
        'xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz"',
    ).replace(
        '<node id="09184" label="Landkreis München"/>',
        '<node id="09184" label="Landkreis München">'
        '<viz:color r="10" g="20" b="30"/><viz:position x="1.0" y="2.0"/><viz:size value="3"/>'
        "</node>",
    )
    validate_gexf(with_viz.encode(), schema="rng")
    with pytest.raises(AssertionError, match=r"\{http://gexf.net/1.3/viz\}color"):
        validate_gexf(with_viz.encode())
    with pytest.raises(AssertionError, match="not valid GEXF"):
        validate_gexf(with_viz.replace('r="10"', 'r="300"', 1).encode(), schema="rng")


# --- GraphML against graphml.xsd ------------------------------------------------------------


def test_valid_graphml_passes(tmp_path: Path) -> None:
    validate_graphml(write(tmp_path, "g.graphml", GRAPHML))
    validate_graphml(GRAPHML.encode())


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        ('attr.type="long"', 'attr.type="bool"', "bool"),
        ('<key id="d1"', '<key id="d0"', "key_id_key"),
        ('target="ag-by"', 'target="nowhere"', "edge_target_ref"),
        ('<data key="d0">', '<data key="d9">', "data_key_ref"),
        ('edgedefault="undirected"', 'edgedefault="mixed"', "mixed"),
        ('directed="true"', 'directed="yes"', "yes"),
        ('<node id="ag-by"/>', '<node id="09184"/>', "node_id_key"),
    ],
)
def test_invalid_graphml_fails_with_the_line(
    tmp_path: Path, old: str, new: str, reported: str
) -> None:
    assert old in GRAPHML
    bad = write(tmp_path, "bad.graphml", GRAPHML.replace(old, new, 1))
    with pytest.raises(AssertionError, match="not valid GraphML") as caught:
        validate_graphml(bad)
    message = str(caught.value)
    assert reported in message
    assert str(bad) in message
    assert re.search(r"^  \d+:\d+: ", message, re.MULTILINE), message


# --- the JavaScript libraries ---------------------------------------------------------------


def test_cytoscape_loads_three_nodes_and_two_edges(tmp_path: Path) -> None:
    report = load_in_js("cytoscape", write(tmp_path, "g.json", json.dumps(CYTOSCAPE)))
    assert report["nodes"] == 3
    assert report["edges"] == 2
    assert report["directed_edges"] == 1
    assert report["edge_ids"] == ["e0", "e1"]
    assert report["node_ids"] == ["09162", "09184", "ag-by"]
    assert report["data"] == {"name": "minimal"}
    assert report["warnings"] == []


def test_cytoscape_fails_on_an_edge_to_a_missing_node(tmp_path: Path) -> None:
    broken = json.loads(json.dumps(CYTOSCAPE))
    broken["elements"]["edges"][1]["data"]["target"] = "nowhere"
    with pytest.raises(AssertionError, match="nonexistent target `nowhere`"):
        load_in_js("cytoscape", write(tmp_path, "g.json", json.dumps(broken)))


def test_graphology_reads_a_mixed_gexf(tmp_path: Path) -> None:
    report = load_in_js("gexf", write(tmp_path, "g.gexf", GEXF))
    assert (report["nodes"], report["edges"]) == (3, 2)
    assert (report["directed_edges"], report["undirected_edges"]) == (1, 1)
    assert report["attributes"] == {
        "creator": "netkoop tests",
        "description": "one directed, one undirected edge",
        "lastModifiedDate": "2024-01-31",
    }
    assert report["node_attributes"]["09162"] == {"label": "München", "population": 1510378}
    edges = {e["key"]: e for e in report["edge_list"]}
    assert edges["e0"]["directed"] is True
    assert edges["e0"]["attributes"] == {"weight": 2.0}
    assert edges["e1"]["directed"] is False
    assert report["warnings"] == []


def test_graphology_reads_a_mixed_graphml(tmp_path: Path) -> None:
    report = load_in_js("graphml", write(tmp_path, "g.graphml", GRAPHML))
    assert (report["nodes"], report["edges"]) == (3, 2)
    assert (report["directed_edges"], report["undirected_edges"]) == (1, 1)
    assert report["attributes"] == {"id": "G", "scenario": "minimal"}
    assert report["node_attributes"]["09162"] == {"population": 1510378}
    by_ends = {(e["source"], e["target"]): e for e in report["edge_list"]}
    assert by_ends[("09162", "09184")]["directed"] is True
    assert by_ends[("09184", "ag-by")]["directed"] is False
    assert by_ends[("09184", "ag-by")]["attributes"] == {"intensive": True}


def test_graphology_graphml_ignores_directed_false_under_a_directed_default(tmp_path: Path) -> None:
    """A fault of graphology-graphml 0.5.2 that exporters must work around.

    It reads an edge as directed when directed="true" and otherwise takes edgedefault, so
    directed="false" in a graph with edgedefault="directed" comes out directed. A mixed GraphML
    meant for Gephi Lite needs edgedefault="undirected" with directed="true" on the directed
    edges. This test fails when the pinned version no longer does this.
    """
    directed_default = GRAPHML.replace('edgedefault="undirected"', 'edgedefault="directed"')
    validate_graphml(directed_default.encode())
    report = load_in_js("graphml", write(tmp_path, "g.graphml", directed_default))
    assert (report["directed_edges"], report["undirected_edges"]) == (2, 0)


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("gexf", GEXF.replace('target="ag-by"', 'target="nowhere"'), "inexisting node"),
        ("graphml", GRAPHML.replace('target="ag-by"', 'target="nowhere"'), "inexisting node"),
    ],
)
def test_graphology_fails_on_an_edge_to_a_missing_node(
    tmp_path: Path, fmt: str, text: str, message: str
) -> None:
    with pytest.raises(AssertionError, match=message):
        load_in_js(fmt, write(tmp_path, f"g.{fmt}", text))  # type: ignore[arg-type]


def test_missing_node_is_an_error_not_a_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "g.json", json.dumps(CYTOSCAPE))
    monkeypatch.setattr(graphfiles.shutil, "which", lambda _name: None)
    graphfiles._node.cache_clear()
    try:
        with pytest.raises(JsHarnessError, match="node is not installed"):
            load_in_js("cytoscape", path)
    finally:
        graphfiles._node.cache_clear()
