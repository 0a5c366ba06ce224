"""``netkoop import graph``: Gephi, visone/yEd and Cytoscape files, and netkoop's own exports."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import netkoop
from conftest import error_lines, problem_lines, run_cli, snapshot
from netkoop import DataFileError, ScenarioError
from netkoop._errors import NetkoopWarning
from netkoop.importers.graph import GraphMapping, import_graph, read_graph, read_mapping

# --- files of other programs -------------------------------------------------------------------

#: As Gephi 0.10 writes GEXF 1.2draft: attribute ids are numbers with a title, viz elements.
GEPHI = """\
<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">
  <meta lastmodifieddate="2024-05-02">
    <creator>Gephi 0.10.1</creator>
    <description>Kooperation im Raum Hildesheim</description>
  </meta>
  <graph defaultedgetype="undirected" mode="static">
    <attributes class="node" mode="static">
      <attribute id="0" title="Typ" type="string"/>
      <attribute id="1" title="land" type="string"/>
      <attribute id="2" title="parent" type="string"/>
      <attribute id="3" title="population" type="integer"/>
      <attribute id="4" title="Modularity Class" type="integer"/>
      <attribute id="5" title="betweenness" type="double"/>
    </attributes>
    <attributes class="edge" mode="static">
      <attribute id="6" title="Art" type="string"/>
    </attributes>
    <nodes>
      <node id="03254" label="Landkreis Hildesheim">
        <attvalues>
          <attvalue for="0" value="Landkreis"/>
          <attvalue for="1" value="NI"/>
          <attvalue for="3" value="276594"/>
          <attvalue for="4" value="0"/>
          <attvalue for="5" value="1.0E-4"/>
        </attvalues>
        <viz:size value="10.0"/>
        <viz:position x="-12.3" y="45.6" z="0.0"/>
        <viz:color r="153" g="0" b="255"/>
      </node>
      <node id="03101" label="Braunschweig">
        <attvalues>
          <attvalue for="0" value="kreisfreie Stadt"/>
          <attvalue for="1" value="Niedersachsen"/>
          <attvalue for="3" value="251804"/>
          <attvalue for="4" value="1"/>
          <attvalue for="5" value="0.5"/>
        </attvalues>
        <viz:position x="1.0" y="2.0" z="0.0"/>
      </node>
      <node id="03254032" label="Söhlde">
        <attvalues>
          <attvalue for="0" value="kreisangehörige Gemeinde"/>
          <attvalue for="1" value="03"/>
          <attvalue for="2" value="03254"/>
          <attvalue for="3" value="7861"/>
          <attvalue for="4" value="0"/>
          <attvalue for="5" value="NaN"/>
        </attvalues>
      </node>
      <node id="ag-ni" label="AG Integrationsbeauftragte Niedersachsen">
        <attvalues>
          <attvalue for="0" value="Arbeitsgemeinschaft"/>
          <attvalue for="4" value="1"/>
        </attvalues>
      </node>
    </nodes>
    <edges>
      <edge id="0" source="03254" target="03101" weight="1.0">
        <attvalues><attvalue for="6" value="Erfahrungsaustausch"/></attvalues>
      </edge>
      <edge id="1" source="03254032" target="03254" weight="2.5">
        <attvalues><attvalue for="6" value="gemeinsames Projekt"/></attvalues>
      </edge>
      <edge id="2" source="03254" target="ag-ni" type="directed" weight="1.0">
        <attvalues><attvalue for="6" value="Mitgliedschaft"/></attvalues>
      </edge>
      <edge id="3" source="03101" target="ag-ni" weight="1.0">
        <attvalues><attvalue for="6" value="Mitgliedschaft"/></attvalues>
      </edge>
      <edge id="4" source="03254" target="03101" type="directed" weight="12345.0">
        <attvalues><attvalue for="6" value="Pendler"/></attvalues>
      </edge>
    </edges>
  </graph>
</gexf>
"""

#: As yEd 3.23 writes GraphML: yfiles graphics keys, names only in the drawn node labels.
YED = """\
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:java="http://www.yworks.com/xml/yfiles-common/1.0/java" xmlns:sys="http://www.yworks.com/xml/yfiles-common/markup/primitives/2.0" xmlns:x="http://www.yworks.com/xml/yfiles-common/markup/2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml" xmlns:yed="http://www.yworks.com/xml/yed/3" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">
  <!--Created by yEd 3.23.2-->
  <key attr.name="Beschreibung" attr.type="string" for="graph" id="d0"/>
  <key for="port" id="d1" yfiles.type="portgraphics"/>
  <key attr.name="url" attr.type="string" for="node" id="d3"/>
  <key attr.name="description" attr.type="string" for="node" id="d4"/>
  <key for="node" id="d5" yfiles.type="nodegraphics"/>
  <key for="graphml" id="d6" yfiles.type="resources"/>
  <key attr.name="url" attr.type="string" for="edge" id="d7"/>
  <key attr.name="description" attr.type="string" for="edge" id="d8"/>
  <key for="edge" id="d9" yfiles.type="edgegraphics"/>
  <key attr.name="Art" attr.type="string" for="node" id="d10"/>
  <key attr.name="Kennziffer" attr.type="string" for="node" id="d11"/>
  <key attr.name="Einwohner" attr.type="int" for="node" id="d12"/>
  <key attr.name="Kreis" attr.type="string" for="node" id="d13"/>
  <key attr.name="Beziehung" attr.type="string" for="edge" id="d14"/>
  <key attr.name="Anzahl" attr.type="int" for="edge" id="d15"/>
  <graph edgedefault="directed" id="G">
    <data key="d0"/>
    <node id="n0">
      <data key="d4"/>
      <data key="d5">
        <y:ShapeNode>
          <y:Geometry height="30.0" width="30.0" x="10.0" y="20.0"/>
          <y:Fill color="#FFCC00" transparent="false"/>
          <y:NodeLabel alignment="center" autoSizePolicy="content" visible="true">Landkreis Göttingen</y:NodeLabel>
          <y:Shape type="rectangle"/>
        </y:ShapeNode>
      </data>
      <data key="d10">Landkreis</data>
      <data key="d11">03159</data>
      <data key="d12">325077</data>
    </node>
    <node id="n1">
      <data key="d5"><y:ShapeNode><y:NodeLabel>Göttingen, Stadt</y:NodeLabel></y:ShapeNode></data>
      <data key="d10">Gemeinde</data>
      <data key="d11">03159016</data>
      <data key="d12">118974</data>
      <data key="d13">03159</data>
    </node>
    <node id="n2">
      <data key="d5"><y:ShapeNode><y:NodeLabel>Landkreis Northeim</y:NodeLabel></y:ShapeNode></data>
      <data key="d10">Landkreis</data>
      <data key="d11">03155</data>
    </node>
    <node id="n3">
      <data key="d5"><y:ShapeNode><y:NodeLabel>AG Integrationsbeauftragte Südniedersachsen</y:NodeLabel></y:ShapeNode></data>
      <data key="d10">Arbeitsgemeinschaft</data>
      <data key="d11">ag-sued</data>
    </node>
    <edge id="e0" source="n0" target="n2" directed="false">
      <data key="d9"><y:PolyLineEdge><y:EdgeLabel>Austausch</y:EdgeLabel></y:PolyLineEdge></data>
      <data key="d14">Austausch</data>
    </edge>
    <edge id="e1" source="n0" target="n1">
      <data key="d14">Angebotsöffnung</data>
    </edge>
    <edge id="e2" source="n0" target="n3">
      <data key="d14">Mitglied</data>
    </edge>
    <edge id="e3" source="n2" target="n3">
      <data key="d14">Mitglied</data>
    </edge>
    <edge id="e4" source="n2" target="n0">
      <data key="d14">Pendler</data>
      <data key="d15">8120</data>
    </edge>
  </graph>
  <data key="d6"><y:Resources/></data>
</graphml>
"""

YED_MAPPING = """\
# which yEd column holds what
id_from: Kennziffer
kind_from: Art
land: NI
tie-kind-from: Beziehung
commuters_from: Anzahl
flow_kinds: [Pendler]
unit_kinds: {Gemeinde: gemeinde}
units: {population: Einwohner, parent: Kreis}
"""

#: As Cytoscape Desktop 3.10 writes .cyjs: SUIDs as ids, shared names, "interacts with".
CYTOSCAPE_DESKTOP = {
    "format_version": "1.0",
    "generated_by": "cytoscape-3.10.2",
    "target_cytoscapejs_version": "~2.1",
    "data": {
        "shared_name": "kooperation.csv",
        "name": "kooperation-nord",
        "SUID": 52,
        "__Annotations": [],
        "selected": True,
    },
    "elements": {
        "nodes": [
            {
                "data": {
                    "id": "104",
                    "ags": "01001",
                    "shared_name": "Flensburg",
                    "name": "Flensburg",
                    "SUID": 104,
                    "typ": "kreisfreie Stadt",
                    "einwohner": 92550,
                    "selected": False,
                },
                "position": {"x": 0.0, "y": 0.0},
                "selected": False,
            },
            {
                "data": {
                    "id": "106",
                    "ags": "01059",
                    "shared_name": "Schleswig-Flensburg",
                    "name": "Schleswig-Flensburg",
                    "SUID": 106,
                    "typ": "Kreis",
                    "einwohner": 201156,
                    "selected": False,
                },
                "position": {"x": 10.0, "y": 5.0},
            },
            {
                "data": {
                    "id": "108",
                    "ags": "nw-nord",
                    "shared_name": "Netzwerk Integration Nord",
                    "name": "Netzwerk Integration Nord – Förde",
                    "SUID": 108,
                    "typ": "Austauschformat",
                    "selected": False,
                },
            },
        ],
        "edges": [
            {
                "data": {
                    "id": "110",
                    "source": "104",
                    "target": "106",
                    "shared_name": "Flensburg (interacts with) Schleswig-Flensburg",
                    "shared_interaction": "interacts with",
                    "name": "Flensburg (interacts with) Schleswig-Flensburg",
                    "interaction": "interacts with",
                    "SUID": 110,
                    "selected": False,
                },
                "selected": False,
            },
            {
                "data": {
                    "id": "112",
                    "source": "104",
                    "target": "108",
                    "shared_name": "Flensburg (Mitgliedschaft) Netzwerk Integration Nord",
                    "shared_interaction": "Mitgliedschaft",
                    "name": "Flensburg (Mitgliedschaft) Netzwerk Integration Nord",
                    "interaction": "Mitgliedschaft",
                    "SUID": 112,
                    "selected": False,
                }
            },
            {
                "data": {
                    "id": "114",
                    "source": "106",
                    "target": "108",
                    "interaction": "Mitgliedschaft",
                    "seit": 2019,
                    "SUID": 114,
                }
            },
        ],
    },
}

# --- files as netkoop's export writes them (/work/notes/graph-conventions.md) ------------------

#: The network the netkoop-convention files below describe, as a scenario of CSV tables.
REFERENCE_UNITS = """\
id,name,kind,land,parent,population,lat,lon,plz,grenznah,anteil
09162,München,kreisfreie_stadt,09,,1510378,48.1372,11.5755,80331,false,0.25
09184,Landkreis München,landkreis,09,,350473,,,,true,
09184119,Garching b.München,gemeinde,09,09184,17577,48.2489,11.651,85748,,0.125
09184149,Unterschleißheim,gemeinde,09,09184,29102,,,85716,false,0.5
ag-by,AG Integration Bayern,forum,09,,,,,,,
"""
REFERENCE_TIES = """\
from,to,kind,intensity,since,source,confidence
09184119,09184149,exchange,regular,2019-05-01,Umfrage 2024,0.8
09184,ag-by,membership,regular,,,
09162,ag-by,membership,intensive,,,
09162,09184,service_opening,occasional,2021,,
"""
REFERENCE_FLOWS = """\
from,to,commuters,foreign
09184,09162,71660,9120
09162,09184,30440,4210
"""
REFERENCE_YAML = """\
format_version: 1
name: mini
title: Mini-Region München
reference_date: 2024-06-30
population_date: 2023-12-31
sources:
  - {name: BA Pendlerstatistik, credit: © Statistik der Bundesagentur für Arbeit}
units: {file: units.csv, text: [plz]}
ties: {file: ties.csv}
flows: {file: flows.csv}
"""

_NODE_COLUMNS = (
    ("name", "string"),
    ("kind", "string"),
    ("land", "string"),
    ("parent", "string"),
    ("population", "long"),
    ("lat", "double"),
    ("lon", "double"),
    ("coordination_office", "string"),
    ("plz", "string"),
    ("grenznah", "boolean"),
    ("anteil", "double"),
)
_EDGE_COLUMNS = (
    ("kind", "string"),
    ("intensity", "string"),
    ("level", "string"),
    ("funding", "string"),
    ("since", "string"),
    ("until", "string"),
    ("source", "string"),
    ("confidence", "double"),
    ("commuters", "long"),
    ("foreign", "long"),
)

NETKOOP_GEXF = """\
<?xml version='1.0' encoding='utf-8'?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.3" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd">
<meta>
  <creator>netkoop 0.1.0</creator>
  <keywords>netkoop, mini</keywords>
  <description>Mini-Region München
Stand: 2024-06-30
Bevölkerungsstand: 2023-12-31
Quellen:
© Statistik der Bundesagentur für Arbeit
Verändert: mit netkoop zu einem Netzwerk zusammengeführt.</description>
</meta>
<graph defaultedgetype="undirected" mode="static">
<attributes class="node" mode="static">
  <attribute id="name" title="name" type="string"/>
  <attribute id="kind" title="kind" type="string"/>
  <attribute id="land" title="land" type="string"/>
  <attribute id="parent" title="parent" type="string"/>
  <attribute id="population" title="population" type="long"/>
  <attribute id="lat" title="lat" type="double"/>
  <attribute id="lon" title="lon" type="double"/>
  <attribute id="coordination_office" title="coordination_office" type="string"/>
  <attribute id="plz" title="plz" type="string"/>
  <attribute id="grenznah" title="grenznah" type="boolean"/>
  <attribute id="anteil" title="anteil" type="double"/>
</attributes>
<attributes class="edge" mode="static">
  <attribute id="kind" title="kind" type="string"/>
  <attribute id="intensity" title="intensity" type="string"/>
  <attribute id="level" title="level" type="string"/>
  <attribute id="funding" title="funding" type="string"/>
  <attribute id="since" title="since" type="string"/>
  <attribute id="until" title="until" type="string"/>
  <attribute id="source" title="source" type="string"/>
  <attribute id="confidence" title="confidence" type="double"/>
  <attribute id="commuters" title="commuters" type="long"/>
  <attribute id="foreign" title="foreign" type="long"/>
</attributes>
<nodes count="5">
<node id="09162" label="München">
  <attvalues>
    <attvalue for="name" value="München"/>
    <attvalue for="kind" value="kreisfreie_stadt"/>
    <attvalue for="land" value="09"/>
    <attvalue for="population" value="1510378"/>
    <attvalue for="lat" value="48.1372"/>
    <attvalue for="lon" value="11.5755"/>
    <attvalue for="plz" value="80331"/>
    <attvalue for="grenznah" value="false"/>
    <attvalue for="anteil" value="0.25"/>
  </attvalues>
  <viz:position xmlns:viz="http://gexf.net/1.3/viz" x="727.93" y="4813.72"/>
</node>
<node id="09184" label="Landkreis München">
  <attvalues>
    <attvalue for="name" value="Landkreis München"/>
    <attvalue for="kind" value="landkreis"/>
    <attvalue for="land" value="09"/>
    <attvalue for="population" value="350473"/>
    <attvalue for="grenznah" value="true"/>
  </attvalues>
</node>
<node id="09184119" label="Garching b.München">
  <attvalues>
    <attvalue for="name" value="Garching b.München"/>
    <attvalue for="kind" value="gemeinde"/>
    <attvalue for="land" value="09"/>
    <attvalue for="parent" value="09184"/>
    <attvalue for="population" value="17577"/>
    <attvalue for="lat" value="48.2489"/>
    <attvalue for="lon" value="11.651"/>
    <attvalue for="plz" value="85748"/>
    <attvalue for="anteil" value="0.125"/>
  </attvalues>
</node>
<node id="09184149" label="Unterschleißheim">
  <attvalues>
    <attvalue for="name" value="Unterschleißheim"/>
    <attvalue for="kind" value="gemeinde"/>
    <attvalue for="land" value="09"/>
    <attvalue for="parent" value="09184"/>
    <attvalue for="population" value="29102"/>
    <attvalue for="plz" value="85716"/>
    <attvalue for="grenznah" value="false"/>
    <attvalue for="anteil" value="0.5"/>
  </attvalues>
</node>
<node id="ag-by" label="AG Integration Bayern">
  <attvalues>
    <attvalue for="name" value="AG Integration Bayern"/>
    <attvalue for="kind" value="forum"/>
    <attvalue for="land" value="09"/>
  </attvalues>
</node>
</nodes>
<edges count="6">
<edge id="tie-0" source="09184119" target="09184149" kind="exchange" type="undirected">
  <attvalues>
    <attvalue for="kind" value="exchange"/>
    <attvalue for="intensity" value="regular"/>
    <attvalue for="since" value="2019-05-01"/>
    <attvalue for="source" value="Umfrage 2024"/>
    <attvalue for="confidence" value="0.8"/>
  </attvalues>
</edge>
<edge id="tie-1" source="09184" target="ag-by" kind="membership" type="directed">
  <attvalues>
    <attvalue for="kind" value="membership"/>
    <attvalue for="intensity" value="regular"/>
  </attvalues>
</edge>
<edge id="tie-2" source="09162" target="ag-by" kind="membership" type="directed">
  <attvalues>
    <attvalue for="kind" value="membership"/>
    <attvalue for="intensity" value="intensive"/>
  </attvalues>
</edge>
<edge id="tie-3" source="09162" target="09184" kind="service_opening" type="directed">
  <attvalues>
    <attvalue for="kind" value="service_opening"/>
    <attvalue for="intensity" value="occasional"/>
    <attvalue for="since" value="2021"/>
  </attvalues>
</edge>
<edge id="flow-0" source="09184" target="09162" kind="commuting" type="directed" weight="71660.0">
  <attvalues>
    <attvalue for="kind" value="commuting"/>
    <attvalue for="commuters" value="71660"/>
    <attvalue for="foreign" value="9120"/>
  </attvalues>
</edge>
<edge id="flow-1" source="09162" target="09184" kind="commuting" type="directed" weight="30440.0">
  <attvalues>
    <attvalue for="kind" value="commuting"/>
    <attvalue for="commuters" value="30440"/>
    <attvalue for="foreign" value="4210"/>
  </attvalues>
</edge>
</edges>
</graph>
</gexf>
"""

_SOURCES = '[{"name": "BA Pendlerstatistik", "credit": "© Statistik der Bundesagentur für Arbeit"}]'

NETKOOP_GRAPHML = f"""\
<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
<key id="g0" for="graph" attr.name="name" attr.type="string"/>
<key id="g1" for="graph" attr.name="title" attr.type="string"/>
<key id="g2" for="graph" attr.name="reference_date" attr.type="string"/>
<key id="g3" for="graph" attr.name="population_date" attr.type="string"/>
<key id="g4" for="graph" attr.name="sources" attr.type="string"/>
<key id="g5" for="graph" attr.name="licence" attr.type="string"/>
<key id="g6" for="graph" attr.name="netkoop" attr.type="string"/>
{"".join(f'<key id="n{i}" for="node" attr.name="{n}" attr.type="{t}"/>{chr(10)}' for i, (n, t) in enumerate(_NODE_COLUMNS))}\
{"".join(f'<key id="e{i}" for="edge" attr.name="{n}" attr.type="{t}"/>{chr(10)}' for i, (n, t) in enumerate(_EDGE_COLUMNS))}\
<graph id="G" edgedefault="undirected">
<data key="g0">mini</data>
<data key="g1">Mini-Region München</data>
<data key="g2">2024-06-30</data>
<data key="g3">2023-12-31</data>
<data key="g4">{_SOURCES}</data>
<data key="g5">© Statistik der Bundesagentur für Arbeit
Verändert: mit netkoop zu einem Netzwerk zusammengeführt.</data>
<data key="g6">{{"versions": {{"netkoop": "0.1.0"}}, "options": {{"flows": true}}}}</data>
<node id="09162"><data key="n0">München</data><data key="n1">kreisfreie_stadt</data><data key="n2">09</data><data key="n4">1510378</data><data key="n5">48.1372</data><data key="n6">11.5755</data><data key="n8">80331</data><data key="n9">false</data><data key="n10">0.25</data></node>
<node id="09184"><data key="n0">Landkreis München</data><data key="n1">landkreis</data><data key="n2">09</data><data key="n4">350473</data><data key="n9">true</data></node>
<node id="09184119"><data key="n0">Garching b.München</data><data key="n1">gemeinde</data><data key="n2">09</data><data key="n3">09184</data><data key="n4">17577</data><data key="n5">48.2489</data><data key="n6">11.651</data><data key="n8">85748</data><data key="n10">0.125</data></node>
<node id="09184149"><data key="n0">Unterschleißheim</data><data key="n1">gemeinde</data><data key="n2">09</data><data key="n3">09184</data><data key="n4">29102</data><data key="n8">85716</data><data key="n9">false</data><data key="n10">0.5</data></node>
<node id="ag-by"><data key="n0">AG Integration Bayern</data><data key="n1">forum</data><data key="n2">09</data></node>
<edge id="tie-0" source="09184119" target="09184149" directed="false"><data key="e0">exchange</data><data key="e1">regular</data><data key="e4">2019-05-01</data><data key="e6">Umfrage 2024</data><data key="e7">0.8</data></edge>
<edge id="tie-1" source="09184" target="ag-by" directed="true"><data key="e0">membership</data><data key="e1">regular</data></edge>
<edge id="tie-2" source="09162" target="ag-by" directed="true"><data key="e0">membership</data><data key="e1">intensive</data></edge>
<edge id="tie-3" source="09162" target="09184" directed="true"><data key="e0">service_opening</data><data key="e1">occasional</data><data key="e4">2021</data></edge>
<edge id="flow-0" source="09184" target="09162" directed="true"><data key="e0">commuting</data><data key="e8">71660</data><data key="e9">9120</data></edge>
<edge id="flow-1" source="09162" target="09184" directed="true"><data key="e0">commuting</data><data key="e8">30440</data><data key="e9">4210</data></edge>
</graph>
</graphml>
"""

NETKOOP_CYTOSCAPE = {
    "format_version": "1.0",
    "generated_by": "netkoop-0.1.0",
    "target_cytoscapejs_version": "~3",
    "data": {
        "shared_name": "mini",
        "name": "mini",
        "title": "Mini-Region München",
        "reference_date": "2024-06-30",
        "population_date": "2023-12-31",
        "sources": json.loads(_SOURCES),
        "licence": "© Statistik der Bundesagentur für Arbeit\nVerändert: ...",
        "netkoop": {"versions": {"netkoop": "0.1.0"}, "options": {"flows": True}},
    },
    "elements": {
        "nodes": [
            {
                "data": {
                    "id": "09162",
                    "name": "München",
                    "kind": "kreisfreie_stadt",
                    "land": "09",
                    "population": 1510378,
                    "lat": 48.1372,
                    "lon": 11.5755,
                    "plz": "80331",
                    "grenznah": False,
                    "anteil": 0.25,
                },
                "position": {"x": 727.93, "y": -4813.72},
            },
            {
                "data": {
                    "id": "09184",
                    "name": "Landkreis München",
                    "kind": "landkreis",
                    "land": "09",
                    "population": 350473,
                    "grenznah": True,
                }
            },
            {
                "data": {
                    "id": "09184119",
                    "name": "Garching b.München",
                    "kind": "gemeinde",
                    "land": "09",
                    "parent": "09184",
                    "population": 17577,
                    "lat": 48.2489,
                    "lon": 11.651,
                    "plz": "85748",
                    "anteil": 0.125,
                },
                "position": {"x": 733.22, "y": -4824.89},
            },
            {
                "data": {
                    "id": "09184149",
                    "name": "Unterschleißheim",
                    "kind": "gemeinde",
                    "land": "09",
                    "parent": "09184",
                    "population": 29102,
                    "plz": "85716",
                    "grenznah": False,
                    "anteil": 0.5,
                }
            },
            {
                "data": {
                    "id": "ag-by",
                    "name": "AG Integration Bayern",
                    "kind": "forum",
                    "land": "09",
                }
            },
        ],
        "edges": [
            {
                "data": {
                    "id": "tie-0",
                    "source": "09184119",
                    "target": "09184149",
                    "interaction": "exchange",
                    "directed": False,
                    "kind": "exchange",
                    "intensity": "regular",
                    "since": "2019-05-01",
                    "tie_source": "Umfrage 2024",
                    "confidence": 0.8,
                }
            },
            {
                "data": {
                    "id": "tie-1",
                    "source": "09184",
                    "target": "ag-by",
                    "interaction": "membership",
                    "directed": True,
                    "kind": "membership",
                    "intensity": "regular",
                }
            },
            {
                "data": {
                    "id": "tie-2",
                    "source": "09162",
                    "target": "ag-by",
                    "interaction": "membership",
                    "directed": True,
                    "kind": "membership",
                    "intensity": "intensive",
                }
            },
            {
                "data": {
                    "id": "tie-3",
                    "source": "09162",
                    "target": "09184",
                    "interaction": "service_opening",
                    "directed": True,
                    "kind": "service_opening",
                    "intensity": "occasional",
                    "since": "2021",
                }
            },
            {
                "data": {
                    "id": "flow-0",
                    "source": "09184",
                    "target": "09162",
                    "interaction": "commuting",
                    "directed": True,
                    "weight": 71660.0,
                    "kind": "commuting",
                    "commuters": 71660,
                    "foreign": 9120,
                }
            },
            {
                "data": {
                    "id": "flow-1",
                    "source": "09162",
                    "target": "09184",
                    "interaction": "commuting",
                    "directed": True,
                    "weight": 30440.0,
                    "kind": "commuting",
                    "commuters": 30440,
                    "foreign": 4210,
                }
            },
        ],
    },
}


# --- helpers -----------------------------------------------------------------------------------


def write(folder: Path, name: str, content: str | dict[str, object]) -> Path:
    path = folder / name
    text = (
        content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=2)
    )
    path.write_text(text, encoding="utf-8")
    return path


def imported(tmp_path: Path, file: Path, *options: str, folder: str = "out") -> netkoop.Network:
    """Run the command, check its output, and load the scenario it wrote."""
    out = tmp_path / folder
    result = run_cli("import", "graph", file, "-o", out, *options)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {out / 'scenario.yaml'}: "), result.stdout
    done = netkoop.validate(out)
    assert done.ok, done.problems
    return netkoop.load(out)


@pytest.fixture
def reference(tmp_path: Path) -> netkoop.Network:
    """The network that the netkoop-convention files describe, loaded from CSV tables."""
    folder = tmp_path / "reference"
    folder.mkdir()
    for name, text in (
        ("scenario.yaml", REFERENCE_YAML),
        ("units.csv", REFERENCE_UNITS),
        ("ties.csv", REFERENCE_TIES),
        ("flows.csv", REFERENCE_FLOWS),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    return netkoop.load(folder)


def assert_same_tables(got: netkoop.Network, want: netkoop.Network) -> None:
    for table in ("units", "ties", "flows"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(want, table), check_dtype=True)
        assert list(getattr(got, table).dtypes) == list(getattr(want, table).dtypes)


def refused(result: object, *parts: str) -> str:
    """The error output of a failed command, checked for its parts; no traceback."""
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert len(error_lines(err)) == 1, err
    for part in parts:
        assert part in err, f"{part!r} not in:\n{err}"
    return str(err)


# --- other programs ----------------------------------------------------------------------------


def test_gephi_gexf_with_numeric_attribute_ids(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    net = imported(
        tmp_path, file, "--kind-from", "Typ", "--tie-kind-from", "Art", "--flow-kind", "Pendler"
    )
    units = net.units
    assert units["id"].tolist() == ["03254", "03101", "03254032", "ag-ni"]
    assert units["name"].tolist() == [
        "Landkreis Hildesheim",
        "Braunschweig",
        "Söhlde",
        "AG Integrationsbeauftragte Niedersachsen",
    ]
    assert units["kind"].tolist() == ["landkreis", "kreisfreie_stadt", "gemeinde", "forum"]
    assert units["land"].tolist()[:3] == ["03", "03", "03"]
    assert units["parent"].tolist()[2] == "03254"
    assert units["population"].tolist()[:3] == [276594, 251804, 7861]
    assert str(units["population"].dtype) == "Int64"
    # Gephi's own columns stay, typed as declared: by title, not by their ids "4" and "5".
    assert units["Modularity Class"].tolist() == [0, 1, 0, 1]
    assert str(units["Modularity Class"].dtype) == "Int64"
    assert units["betweenness"].tolist()[:2] == [0.0001, 0.5]
    assert pd.isna(units["betweenness"].iloc[2])  # Gephi's NaN
    assert "Typ" not in units.columns  # it became the kind
    ties = net.ties
    assert ties[["from", "to", "kind"]].values.tolist() == [
        ["03254", "03101", "exchange"],
        ["03254032", "03254", "joint_project"],
        ["03254", "ag-ni", "membership"],
        ["03101", "ag-ni", "membership"],
    ]
    assert ties["weight"].tolist() == [1.0, 2.5, 1.0, 1.0]  # one weight is not Gephi's 1
    assert net.flows[["from", "to", "commuters"]].values.tolist() == [["03254", "03101", 12345]]
    assert net.name == "out"
    assert net.metadata.title == "Kooperation im Raum Hildesheim"


def test_gephi_note_on_undirected_membership(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    result = run_cli(
        "import", "graph", file, "-o", tmp_path / "out", "--kind-from", "Typ",
        "--tie-kind-from", "Art", "--flow-kind", "Pendler",
    )  # fmt: skip
    assert "note: read 4 nodes and 5 edges from" in result.stdout
    assert "GEXF 1.2, written by Gephi 0.10.1" in result.stdout
    assert "1 edge became a flow (edges of kind commuting, Pendler)" in result.stdout
    assert "1 edge of a directed kind" in result.stdout  # edge 3 is undirected


def test_yed_graphml_with_a_mapping_file(tmp_path: Path) -> None:
    file = write(tmp_path, "suedniedersachsen.graphml", YED)
    mapping = write(tmp_path, "yed.yaml", YED_MAPPING)
    net = imported(tmp_path, file, "--mapping", mapping)
    units = net.units
    assert units["id"].tolist() == ["03159", "03159016", "03155", "ag-sued"]
    # The names are the labels drawn in yEd; the graphics keys are no columns.
    assert units["name"].tolist() == [
        "Landkreis Göttingen",
        "Göttingen, Stadt",
        "Landkreis Northeim",
        "AG Integrationsbeauftragte Südniedersachsen",
    ]
    assert units["kind"].tolist() == ["landkreis", "gemeinde", "landkreis", "forum"]
    assert units["land"].tolist() == ["03"] * 4
    assert units["parent"].tolist()[1] == "03159"
    assert units["population"].tolist()[:2] == [325077, 118974]
    assert not {"Kennziffer", "Art", "Einwohner", "Kreis", "url", "description"} & set(units)
    ties = net.ties
    assert ties[["from", "to", "kind"]].values.tolist() == [
        ["03159", "03155", "exchange"],
        ["03159", "03159016", "service_opening"],
        ["03159", "ag-sued", "membership"],
        ["03155", "ag-sued", "membership"],
    ]
    assert ties["label"].tolist()[0] == "Austausch"  # drawn on the edge
    assert net.flows[["from", "to", "commuters"]].values.tolist() == [["03155", "03159", 8120]]


def test_options_win_over_the_mapping_file(tmp_path: Path) -> None:
    file = write(tmp_path, "suedniedersachsen.graphml", YED)
    mapping = write(tmp_path, "yed.yaml", YED_MAPPING)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--mapping", mapping,
                     "--land", "Bayern")  # fmt: skip
    # The Land of the option (not the mapping's NI) is checked against the keys it names.
    refused(
        result,
        "suedniedersachsen.graphml, line 21, node 'n0', field 'Kennziffer', value '03159': "
        "the key's Land part 03 contradicts the unit's Land 09 (Bayern)",
    )
    assert len(problem_lines(result.stderr)) == 3
    assert not (tmp_path / "out").exists()


def test_cytoscape_desktop_cyjs(tmp_path: Path) -> None:
    file = write(tmp_path, "nord.cyjs", CYTOSCAPE_DESKTOP)
    out = tmp_path / "out"
    result = run_cli(
        "import", "graph", file, "-o", out, "--id-from", "ags", "--kind-from", "typ",
        "--land", "SH", "--tie-kind", "exchange",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    net = netkoop.load(out)
    units = net.units
    assert units["id"].tolist() == ["01001", "01059", "nw-nord"]
    assert units["name"].tolist() == [
        "Flensburg",
        "Schleswig-Flensburg",
        "Netzwerk Integration Nord – Förde",
    ]
    assert units["kind"].tolist() == ["kreisfreie_stadt", "landkreis", "forum"]
    assert units["einwohner"].tolist()[:2] == [92550, 201156]
    assert str(units["einwohner"].dtype) == "Int64"  # JSON numbers are numbers
    # Cytoscape's own columns (SUID, shared_name, selected) are no unit columns.
    assert not {"SUID", "shared_name", "selected", "ags", "typ"} & set(units.columns)
    ties = net.ties
    # "interacts with" is what Cytoscape calls an edge without a type: --tie-kind applies.
    assert ties[["from", "to", "kind"]].values.tolist() == [
        ["01001", "01059", "exchange"],
        ["01001", "nw-nord", "membership"],
        ["01059", "nw-nord", "membership"],
    ]
    assert not {"name", "SUID", "shared_interaction", "interaction"} & set(ties.columns)
    assert ties["seit"].tolist()[2] == 2019
    assert net.name == "kooperation-nord"


def test_cytoscape_desktop_ids_get_a_note(tmp_path: Path) -> None:
    file = write(tmp_path, "nord.cyjs", CYTOSCAPE_DESKTOP)
    result = run_cli(
        "import", "graph", file, "-o", tmp_path / "out", "--kind-from", "typ", "--land", "SH",
        "--tie-kind", "exchange",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Cytoscape's internal numbers (SUID)" in result.stdout
    assert "--id-from" in result.stdout
    assert netkoop.load(tmp_path / "out").units["id"].tolist() == ["104", "106", "108"]


# --- netkoop's own exports: the same network back ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "metadata"),
    [
        pytest.param("mini.gexf", NETKOOP_GEXF, False, id="gexf-1.3"),
        pytest.param("mini.graphml", NETKOOP_GRAPHML, True, id="graphml"),
        pytest.param("mini.json", NETKOOP_CYTOSCAPE, True, id="cytoscape-json"),
    ],
)
def test_a_netkoop_export_reads_back_into_the_same_network(
    tmp_path: Path, reference: netkoop.Network, name: str, content: str, metadata: bool
) -> None:
    file = write(tmp_path, name, content)
    net = imported(tmp_path, file, folder="back")
    assert_same_tables(net, reference)
    assert net.units["plz"].tolist()[:1] == ["80331"]  # text of digits stays text
    assert str(net.units["grenznah"].dtype) == "boolean"
    assert net.ties["source"].tolist()[0] == "Umfrage 2024"  # Cytoscape: tie_source
    if metadata:
        assert net.metadata == reference.metadata
    else:  # GEXF keeps the name in its keywords, the title and dates in its description
        about = net.metadata
        assert (about.name, about.title, about.reference_date, about.population_date) == (
            "mini",
            "Mini-Region München",
            "2024-06-30",
            "2023-12-31",
        )


@pytest.mark.parametrize("ending", [".json", ".cyjs"])
def test_read_graph_gives_the_network_without_writing(
    tmp_path: Path, reference: netkoop.Network, ending: str
) -> None:
    file = write(tmp_path, f"mini{ending}", NETKOOP_CYTOSCAPE)
    before = snapshot(tmp_path)
    net = read_graph(file)
    assert snapshot(tmp_path) == before
    assert_same_tables(net, reference)
    assert net.metadata == reference.metadata


def test_import_graph_in_python_returns_network_path_and_notes(
    tmp_path: Path, reference: netkoop.Network
) -> None:
    file = write(tmp_path, "mini.graphml", NETKOOP_GRAPHML)
    done = import_graph(file, tmp_path / "szenario")
    assert done.path == tmp_path / "szenario" / "scenario.yaml"
    assert netkoop.load(done.path.parent).equals(done.network)
    assert_same_tables(done.network, reference)
    assert done.notes[0].startswith("read 5 nodes and 6 edges from")
    assert "2 edges became flows (edges of kind commuting)" in done.notes


def test_leading_zeros_stay_even_where_a_file_declares_a_number(tmp_path: Path) -> None:
    # Gephi numbers the nodes itself; the keys are an attribute declared as a number.
    gexf = GEPHI.replace(
        '<attribute id="0" title="Typ" type="string"/>',
        '<attribute id="0" title="Typ" type="string"/>\n'
        '      <attribute id="9" title="ags" type="long"/>',
    )
    keys = [
        ("03254", "03254", "Landkreis"),
        ("03101", "03101", "kreisfreie Stadt"),
        ("03254032", "03254032", "kreisangehörige Gemeinde"),
        ("ag-ni", "0042", "Arbeitsgemeinschaft"),
    ]
    for number, (node, key, kind) in enumerate(keys):
        gexf = gexf.replace(f'<node id="{node}"', f'<node id="{number}"').replace(
            f'<attvalue for="0" value="{kind}"/>',
            f'<attvalue for="0" value="{kind}"/><attvalue for="9" value="{key}"/>',
        )
        gexf = gexf.replace(f'source="{node}"', f'source="{number}"')
        gexf = gexf.replace(f'target="{node}"', f'target="{number}"')
    file = write(tmp_path, "ags.gexf", gexf)
    mapping = GraphMapping(
        id_from="ags", kind_from="Typ", tie_kind_from="Art", flow_kinds=("Pendler",)
    )
    net = read_graph(file, mapping)
    assert net.units["id"].tolist() == ["03254", "03101", "03254032", "0042"]
    assert net.ties[["from", "to"]].values.tolist()[:2] == [
        ["03254", "03101"],
        ["03254032", "03254"],
    ]
    assert net.flows[["from", "to"]].values.tolist() == [["03254", "03101"]]
    assert "ags" not in net.units.columns  # it became the id


def test_help_ends_with_an_example() -> None:
    result = run_cli("import", "graph", "--help")
    assert result.exit_code == 0
    assert "Example: netkoop import graph" in result.stdout
    for option in ("--id-from", "--kind-from", "--tie-kind-from", "--unit-kind", "--mapping"):
        assert option in result.stdout


# --- errors ------------------------------------------------------------------------------------


def test_unknown_format(tmp_path: Path) -> None:
    file = write(tmp_path, "netz.txt", "id,name\n")
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(result, "netz.txt: unknown graph format '.txt'", ".gexf (Gephi)", ".graphml", ".cyjs")
    assert not (tmp_path / "out").exists()


def test_xml_that_is_not_well_formed_names_its_line(tmp_path: Path) -> None:
    broken = NETKOOP_GEXF.replace('<node id="09184" label="Landkreis München">', '<node id="09184"')
    file = write(tmp_path, "kaputt.gexf", broken)
    line = broken.splitlines().index('<node id="09184"') + 1
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    err = refused(result, "kaputt.gexf, line ", "not well-formed XML")
    assert f"line {line}" in err or f"line {line + 1}" in err
    assert not (tmp_path / "out").exists()


def test_a_file_of_another_format_under_the_name(tmp_path: Path) -> None:
    file = write(tmp_path, "netz.graphml", NETKOOP_GEXF)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(result, "netz.graphml: the root element is <gexf>, not <graphml>", "GEXF (Gephi)")


def test_json_that_is_not_valid_names_its_line(tmp_path: Path) -> None:
    file = write(tmp_path, "netz.cyjs", '{"elements": {\n  "nodes": [,]\n}}')
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(result, "netz.cyjs, line 2, column 13: not valid JSON")


def test_edge_to_an_unknown_node(tmp_path: Path) -> None:
    broken = NETKOOP_GRAPHML.replace('target="09184149"', 'target="09184150"')
    file = write(tmp_path, "mini.graphml", broken)
    line = next(i for i, t in enumerate(broken.splitlines(), 1) if "09184150" in t)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(
        result,
        f"mini.graphml, line {line}, edge 'tie-0', field 'target', value '09184150': unknown "
        "unit; an edge must join two nodes of the file",
    )
    assert not (tmp_path / "out").exists()


def test_edge_to_an_unknown_node_in_json_names_its_place(tmp_path: Path) -> None:
    document = json.loads(json.dumps(NETKOOP_CYTOSCAPE))
    document["elements"]["edges"][2]["data"]["source"] = "09999"
    file = write(tmp_path, "mini.json", document)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(
        result,
        "mini.json, edge 'tie-2' (elements.edges[2]), field 'source', value '09999': unknown unit",
    )


def test_missing_kind_says_which_options_give_one(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--tie-kind-from", "Art")
    err = refused(
        result,
        "hildesheim.gexf, field 'kind': no node has a unit kind (attribute 'kind'; the nodes "
        "have: ",
        "'Typ'",
        "--kind-from ATTR",
        "--unit-kind KIND: land, landkreis, kreisfreie_stadt, gemeinde, forum",
    )
    assert "every row needs" not in err  # one line for the column, not one per node
    assert not (tmp_path / "out").exists()


def test_a_node_without_kind_is_named_with_the_options(tmp_path: Path) -> None:
    gexf = GEPHI.replace('<attvalue for="0" value="kreisfreie Stadt"/>', "")
    file = write(tmp_path, "hildesheim.gexf", gexf)
    result = run_cli(
        "import", "graph", file, "-o", tmp_path / "out", "--kind-from", "Typ",
        "--tie-kind-from", "Art", "--flow-kind", "Pendler",
    )  # fmt: skip
    line = next(i for i, t in enumerate(gexf.splitlines(), 1) if 'id="03101"' in t)
    refused(
        result,
        f"hildesheim.gexf, line {line}, node '03101', field 'Typ': missing value",
        "(--kind-from ATTR) or give nodes without one a kind (--unit-kind KIND",
    )


def test_unit_kind_default_fills_nodes_without_one(tmp_path: Path) -> None:
    gexf = GEPHI.replace('<attvalue for="0" value="kreisfreie Stadt"/>', "")
    file = write(tmp_path, "hildesheim.gexf", gexf)
    net = imported(
        tmp_path, file, "--kind-from", "Typ", "--unit-kind", "Stadtkreis",
        "--tie-kind-from", "Art", "--flow-kind", "Pendler",
    )  # fmt: skip
    assert net.units["kind"].tolist()[1] == "kreisfreie_stadt"


def test_bad_tie_kind_names_the_allowed_kinds(tmp_path: Path) -> None:
    gexf = GEPHI.replace('value="gemeinsames Projekt"', 'value="Kooperation"')
    file = write(tmp_path, "hildesheim.gexf", gexf)
    result = run_cli(
        "import", "graph", file, "-o", tmp_path / "out", "--kind-from", "Typ",
        "--tie-kind-from", "Art", "--flow-kind", "Pendler",
    )  # fmt: skip
    line = next(i for i, t in enumerate(gexf.splitlines(), 1) if 'edge id="1"' in t)
    refused(
        result,
        f"hildesheim.gexf, line {line}, edge '1', field 'Art', value 'Kooperation': not allowed",
        "allowed: exchange, shared_staff, joint_project, shared_material, service_opening, "
        "membership",
        "edges of kind 'commuting' become flows",
    )
    # A mapping file names the file's own words.
    mapping = write(tmp_path, "words.yaml", "tie_kinds: {Kooperation: joint_project}\n")
    net = imported(
        tmp_path, file, "--mapping", mapping, "--kind-from", "Typ", "--tie-kind-from", "Art",
        "--flow-kind", "Pendler",
    )  # fmt: skip
    assert net.ties["kind"].tolist()[1] == "joint_project"


def test_missing_tie_kind_says_which_options_give_one(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--kind-from", "Typ")
    refused(
        result,
        "hildesheim.gexf, field 'kind': no edge has a tie kind (attribute 'kind'; the edges "
        "have: 'Art')",
        "--tie-kind-from ATTR",
        "--tie-kind KIND: exchange",
    )


def test_attribute_the_options_name_must_exist(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--kind-from", "typ")
    refused(
        result,
        "hildesheim.gexf: no node has the attribute 'typ' (--kind-from); did you mean 'Typ'?",
        "'Modularity Class'",
    )


def test_bad_defaults_are_refused_before_reading(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--unit-kind", "Landkreiss")
    refused(
        result,
        "unit_kind (--unit-kind) 'Landkreiss': not a unit kind; did you mean 'landkreis'?",
        "allowed: land, landkreis",
    )


def test_declared_number_that_is_none(tmp_path: Path) -> None:
    gexf = GEPHI.replace('<attvalue for="4" value="1"/>', '<attvalue for="4" value="eins"/>', 1)
    file = write(tmp_path, "hildesheim.gexf", gexf)
    result = run_cli(
        "import", "graph", file, "-o", tmp_path / "out", "--kind-from", "Typ",
        "--tie-kind-from", "Art", "--flow-kind", "Pendler",
    )  # fmt: skip
    refused(
        result,
        "node '03101', field 'Modularity Class', value 'eins': not a number, though the file "
        "declares the attribute as 'int'",
    )


def test_bad_mapping_file_names_line_and_key(tmp_path: Path) -> None:
    file = write(tmp_path, "hildesheim.gexf", GEPHI)
    mapping = write(tmp_path, "m.yaml", "kind_from: Typ\nkind_form: Art\nflow_kinds: {a: b}\n")
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--mapping", mapping)
    refused(
        result,
        "m.yaml, line 2, field 'kind_form': unknown key; allowed: id_from",
        "m.yaml, line 3, field 'flow_kinds'",
    )
    bad = write(tmp_path, "bad.yaml", "kind_from: [Typ\n")
    result = run_cli("import", "graph", file, "-o", tmp_path / "out", "--mapping", bad)
    refused(result, "bad.yaml, line ")
    with pytest.raises(DataFileError, match="tie_kinds: Koop 'Kopperation': not a tie kind"):
        read_mapping(write(tmp_path, "w.yaml", "tie_kinds: {Koop: Kopperation}\n"))


def test_output_folder_not_empty_is_refused_before_reading(tmp_path: Path) -> None:
    file = write(tmp_path, "mini.graphml", NETKOOP_GRAPHML)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notizen.txt").write_text("meine Notizen", encoding="utf-8")
    before = snapshot(out)
    result = run_cli("import", "graph", file, "-o", out)
    refused(result, f"{out} holds files netkoop did not write (notizen.txt)", "new or empty folder")
    assert snapshot(out) == before
    # A scenario netkoop wrote there is replaced with --force only.
    other = tmp_path / "other"
    assert run_cli("import", "graph", file, "-o", other).exit_code == 0
    result = run_cli("import", "graph", file, "-o", other)
    refused(result, "--force")
    assert run_cli("import", "graph", file, "-o", other, "--force").exit_code == 0


def test_errors_in_python_list_every_problem(tmp_path: Path) -> None:
    broken = NETKOOP_GRAPHML.replace(">exchange<", ">austausch-xy<").replace(
        'target="09184149"', 'target="nirgends"'
    )
    file = write(tmp_path, "mini.graphml", broken)
    with pytest.raises(ScenarioError) as caught:
        read_graph(file)
    fields = [(p.field, p.value) for p in caught.value.errors]
    assert ("kind", "austausch-xy") in fields
    assert ("target", "nirgends") in fields
    assert all(p.where.startswith("mini.graphml, line ") or "mini.graphml" in p.where
               for p in caught.value.errors)  # fmt: skip


def test_a_file_without_nodes(tmp_path: Path) -> None:
    file = write(tmp_path, "leer.json", {"elements": {"nodes": [], "edges": []}})
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(result, "leer.json: no nodes")


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    xxe = NETKOOP_GRAPHML.replace(
        "<?xml version='1.0' encoding='utf-8'?>",
        f"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE graphml [<!ENTITY x SYSTEM "
        f"'file://{secret}'>]>",
    ).replace(">Mini-Region München<", ">&x;<")
    file = write(tmp_path, "xxe.graphml", xxe)
    net = read_graph(file)
    assert "GEHEIM" not in str(net.metadata)


def test_nodes_without_names_say_how_to_give_them(tmp_path: Path) -> None:
    document = {
        "elements": [
            {"group": "nodes", "data": {"id": "09162", "kind": "kreisfreie_stadt", "land": "09"}},
            {"group": "nodes", "data": {"id": "09184", "kind": "landkreis", "land": "09"}},
            {"group": "edges", "data": {"source": "09162", "target": "09184", "kind": "exchange"}},
        ]
    }
    file = write(tmp_path, "namenlos.json", document)
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(
        result,
        "namenlos.json, field 'name': no node has a name (no attribute 'name', no label; the "
        "nodes have: 'kind', 'land')",
        "give the node a label or a name attribute",
        "(--name-from ATTR)",
    )
    # Cytoscape.js's list of elements with their group is read as well.
    net = imported(tmp_path, file, "--name-from", "id")
    assert net.units["name"].tolist() == ["09162", "09184"]
    assert net.ties[["from", "to", "kind"]].values.tolist() == [["09162", "09184", "exchange"]]


def test_an_empty_file(tmp_path: Path) -> None:
    file = write(tmp_path, "leer.graphml", "")
    result = run_cli("import", "graph", file, "-o", tmp_path / "out")
    refused(result, "leer.graphml: the file is empty")


def test_lines_past_65535_are_exact(tmp_path: Path) -> None:
    # libxml2 keeps line numbers past 65,534 only roughly; messages name the exact line.
    padded = NETKOOP_GRAPHML.replace(
        '<edge id="tie-0" source="09184119" target="09184149"',
        "\n" * 70_000 + '<edge id="tie-0" source="09184119" target="nirgends"',
    )
    file = write(tmp_path, "lang.graphml", padded)
    line = next(i for i, t in enumerate(padded.split("\n"), 1) if "nirgends" in t)
    assert line > 70_000
    with pytest.raises(ScenarioError) as caught:
        read_graph(file)
    assert caught.value.errors[0].where.endswith(f"lang.graphml, line {line}, edge 'tie-0'")


# --- export, then import: the same network ------------------------------------------------


def _same_tables(a: netkoop.Network, b: netkoop.Network) -> None:
    for name in ("units", "ties", "flows"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


@pytest.mark.parametrize("suffix", [".gexf", ".graphml", ".json"])
@pytest.mark.parametrize("scenario", ["beispielregion", "zwei-welten-2020", "regionalverbund"])
def test_export_then_import_gives_back_the_same_network(scenario, suffix, tmp_path):
    from netkoop.export import export

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        before = netkoop.load(scenario)
        path = export(before, tmp_path / f"netz{suffix}", flows=True)
        import_graph(path, tmp_path / "back")
        after = netkoop.load(tmp_path / "back")
    _same_tables(before, after)
    assert after.metadata.name == before.metadata.name
    assert after.metadata.title == before.metadata.title
    assert after.metadata.reference_date == before.metadata.reference_date
    if suffix != ".gexf":  # GEXF has no place for structured metadata
        assert after.metadata.sources == before.metadata.sources
        assert after.metadata.description == before.metadata.description


def test_a_national_export_with_parallel_ties_comes_back_whole(national, tmp_path):
    from netkoop.export import export

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetkoopWarning)
        base = netkoop.load(national)
        before = base.add_units(
            [{"id": "forum-nds", "name": "Netzwerk Niedersachsen", "kind": "forum"}]
        ).add_ties(
            [
                {"from": "03241", "to": "03254", "kind": "exchange"},
                {"from": "03254", "to": "03241", "kind": "joint_project"},
                {"from": "03241", "to": "03252", "kind": "service_opening"},
                {"from": "03254", "to": "forum-nds", "kind": "membership"},
            ]
        )
        path = export(before, tmp_path / "de.cyjs", flows=True)
        import_graph(path, tmp_path / "back")
        after = netkoop.load(tmp_path / "back")
    _same_tables(before, after)
    assert len(after.flows) == 46_991
