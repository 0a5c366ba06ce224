// Loads a graph file in the JavaScript library people would open it with and prints, as one
// JSON object on stdout, what that library made of it. Run by tests/graphfiles.py:
//
//   node load.mjs cytoscape FILE.json   Cytoscape.js, headless, cy.json(file)
//   node load.mjs gexf FILE.gexf        graphology-gexf (as Gephi Lite reads GEXF)
//   node load.mjs graphml FILE.graphml  graphology-graphml
//
// Anything a library writes with console.* goes to "warnings" (Cytoscape.js warns, for one, of
// style and data it ignores), so stdout carries the JSON alone. A library that throws (an edge
// to a missing node, XML that does not parse) makes this script exit with status 1 and the
// error on stderr.

import { readFileSync } from "node:fs";

const warnings = [];
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => warnings.push(args.map(String).join(" "));
}

const { default: cytoscape } = await import("cytoscape");
const { MultiGraph } = await import("graphology");
const { default: gexf } = await import("graphology-gexf");
const { default: graphml } = await import("graphology-graphml");

function loadCytoscape(text) {
  const cy = cytoscape({ headless: true });
  cy.json(JSON.parse(text));
  const edges = cy.edges();
  return {
    nodes: cy.nodes().length,
    edges: edges.length,
    directed_edges: edges.filter((e) => e.data("directed") === true).length,
    node_ids: cy.nodes().map((n) => n.id()).sort(),
    edge_ids: edges.map((e) => e.id()).sort(),
    data: cy.data(),
  };
}

function describeGraphology(parsed) {
  // The parsers pick the graph's type from the file; the report is of a mixed MultiGraph.
  const graph =
    parsed.type === "mixed" && parsed.multi ? parsed : parsed.copy({ type: "mixed", multi: true });
  const edges = [];
  graph.forEachEdge((key, attributes, source, target, _sa, _ta, undirected) => {
    edges.push({ key, source, target, directed: !undirected, attributes });
  });
  const nodes = {};
  graph.forEachNode((key, attributes) => {
    nodes[key] = attributes;
  });
  return {
    parsed_type: parsed.type,
    parsed_multi: parsed.multi,
    nodes: graph.order,
    edges: graph.size,
    directed_edges: graph.directedSize,
    undirected_edges: graph.undirectedSize,
    attributes: graph.getAttributes(),
    node_attributes: nodes,
    edge_list: edges,
  };
}

const loaders = {
  cytoscape: loadCytoscape,
  // respectInputGraphType keeps the MultiGraph (mixed) passed in instead of the type guessed
  // from the first edge.
  gexf: (text) => describeGraphology(gexf.parse(MultiGraph, text, { respectInputGraphType: true })),
  // graphology-graphml has no such option: it builds its graph from edgedefault and upgrades.
  graphml: (text) => describeGraphology(graphml.parse(MultiGraph, text)),
};

const [fmt, path] = process.argv.slice(2);
if (!(fmt in loaders) || !path) {
  process.stderr.write(`usage: node load.mjs {${Object.keys(loaders).join("|")}} FILE\n`);
  process.exit(2);
}
const report = loaders[fmt](readFileSync(path, "utf8"));
report.warnings = warnings;
process.stdout.write(JSON.stringify(report) + "\n");
