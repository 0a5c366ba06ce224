"""Test helpers for graph export files: the official schemas, and the JavaScript libraries.

``validate_gexf`` and ``validate_graphml`` check a file against the official XSDs kept in
tests/data/xsd/ (each folder has a SOURCE.txt), offline: the schemas' http schemaLocations are
mapped to the local copies and lxml's parser may not touch the network. A file that does not
validate raises AssertionError with the schema's error log, one ``line:column: message`` per
error.

``load_in_js`` loads a file in the library people would open it with (Cytoscape.js for
Cytoscape JSON; graphology-gexf and graphology-graphml, as Gephi Lite does, for GEXF and
GraphML) by running node on tests/js/load.mjs, and returns that script's JSON report. The node
modules pinned by tests/js/package-lock.json are installed with ``npm ci`` when missing or out
of date, once per test session and under a file lock, so parallel pytest processes take turns.
Without node and npm it raises JsHarnessError: a skip would hide a missing check.

Tests import these as ``from graphfiles import validate_gexf, load_in_js`` (pytest puts tests/
on sys.path, as it does for conftest).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Literal

from filelock import FileLock
from lxml import etree

TESTS = Path(__file__).resolve().parent
XSD = TESTS / "data" / "xsd"
GEXF_DIR = XSD / "gexf-1.3"
GRAPHML_DIR = XSD / "graphml-1.0"
JS_DIR = TESTS / "js"

#: Where the schemas are published, and the local copy that stands in for each.
SCHEMA_LOCATIONS: dict[str, Path] = {
    **{
        f"{base}/1.3/{name}": GEXF_DIR / name
        for base in ("http://gexf.net", "http://www.gexf.net", "https://gexf.net")
        for name in ("gexf.xsd", "dynamics.xsd", "viz.xsd")
    },
    **{
        f"http://graphml.graphdrawing.org/xmlns/1.0/{name}": GRAPHML_DIR / name
        for name in ("graphml.xsd", "graphml-structure.xsd", "xlink.xsd")
    },
}

Source = str | os.PathLike[str] | bytes


class JsHarnessError(RuntimeError):
    """node or npm is missing, or installing the pinned node modules failed."""


class _LocalSchemas(etree.Resolver):
    """Hands lxml the local copy for a schema's http location."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        local = SCHEMA_LOCATIONS.get(system_url)
        if local is not None:
            return self.resolve_filename(str(local), context)
        return None  # a relative location (the GEXF files' own) resolves as a file


def _offline_parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalSchemas())
    return parser


@functools.cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _offline_parser()))


@functools.cache
def _relaxng(path: Path) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(path), _offline_parser()))


def _parse(source: Source) -> tuple[etree._ElementTree, str]:
    """The document, and a name for it in messages. A str or path is a file name."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        if isinstance(source, bytes):
            return etree.ElementTree(etree.fromstring(source, parser)), "<bytes>"
        return etree.parse(os.fspath(source), parser), os.fspath(source)
    except etree.XMLSyntaxError as exc:
        raise AssertionError(f"not well-formed XML: {exc}") from exc


def _check(validator: etree._Validator, source: Source, what: str) -> None:
    document, name = _parse(source)
    if validator.validate(document):
        return
    errors = "\n".join(
        f"  {error.line}:{error.column}: {error.message}" for error in validator.error_log
    )
    raise AssertionError(f"{name} is not valid {what}:\n{errors}")


def validate_gexf(source: Source, *, schema: Literal["xsd", "rng"] = "xsd") -> None:
    """Raise AssertionError unless ``source`` (a file name, or the bytes) is valid GEXF 1.3.

    ``schema="xsd"`` checks against the official gexf.xsd. Its viz part has lost the viz
    namespace (the XSD is generated from the RelaxNG by trang): it expects ``<color>`` in the
    GEXF namespace and rejects ``<viz:color>`` in http://gexf.net/1.3/viz, which is what Gephi
    writes and what the GEXF primer shows. ``schema="rng"`` checks against the official RelaxNG
    grammar the XSD was generated from, which has viz:* right.
    """
    if schema == "xsd":
        _check(_schema(GEXF_DIR / "gexf.xsd"), source, "GEXF 1.3 (gexf.xsd)")
    elif schema == "rng":
        _check(_relaxng(GEXF_DIR / "gexf.rng"), source, "GEXF 1.3 (gexf.rng)")
    else:
        raise ValueError(f"schema must be 'xsd' or 'rng', not {schema!r}")


def validate_graphml(source: Source) -> None:
    """Raise AssertionError unless ``source`` (a file name, or the bytes) is valid GraphML 1.0.

    The schema is graphml.xsd: the structural layer with the attributes (attr.name,
    attr.type) and parseinfo extensions. Its identity constraints check unique key, node and
    edge ids and that every edge's source and target, and every data's key, exist.
    """
    _check(_schema(GRAPHML_DIR / "graphml.xsd"), source, "GraphML 1.0 (graphml.xsd)")


def _lock_digest() -> str:
    return hashlib.sha256((JS_DIR / "package-lock.json").read_bytes()).hexdigest()


_STAMP = JS_DIR / "node_modules" / ".netkoop-package-lock.sha256"


@functools.cache
def _node() -> str:
    """The node executable, with tests/js/node_modules installed as package-lock.json pins.

    Cached, so ``npm ci`` runs at most once per test session and process; the lock makes
    parallel processes wait for the one that installs, and then find the stamp current.
    """
    node = shutil.which("node")
    if node is None:
        raise JsHarnessError(
            "node is not installed: the graph export tests load files in Cytoscape.js and "
            "graphology with node (Debian: apt-get install nodejs npm)"
        )
    with FileLock(str(JS_DIR / ".npm-ci.lock"), timeout=900):
        digest = _lock_digest()
        if _STAMP.is_file() and _STAMP.read_text().strip() == digest:
            return node
        npm = shutil.which("npm")
        if npm is None:
            raise JsHarnessError(
                "npm is not installed, and tests/js/node_modules is missing or out of date "
                "(Debian: apt-get install npm)"
            )
        env = {**os.environ, "npm_config_update_notifier": "false"}
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise JsHarnessError(
                f"npm ci in {JS_DIR} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        _STAMP.write_text(digest + "\n")
    return node


def load_in_js(
    fmt: Literal["cytoscape", "gexf", "graphml"], path: str | os.PathLike[str]
) -> dict[str, Any]:
    """Load the file at ``path`` in JavaScript and return what the library made of it.

    ``"cytoscape"``: Cytoscape.js, headless, ``cy.json(file)``; keys ``nodes``, ``edges``,
    ``directed_edges`` (edges whose data.directed is true), ``node_ids`` and ``edge_ids``
    (sorted), ``data`` (``cy.data()``).

    ``"gexf"`` / ``"graphml"``: graphology-gexf / graphology-graphml into a graphology
    MultiGraph of type mixed; keys ``nodes``, ``edges``, ``directed_edges``,
    ``undirected_edges``, ``attributes`` (the graph's), ``node_attributes`` (id -> attributes),
    ``edge_list`` (key, source, target, directed, attributes), and ``parsed_type`` /
    ``parsed_multi`` (the graph type the parser chose).

    Every report has ``warnings``: what the library wrote to the console. A library that throws
    (an edge to a missing node, say) makes this raise AssertionError with its message.
    """
    node = _node()
    result = subprocess.run(
        [node, str(JS_DIR / "load.mjs"), fmt, os.fspath(path)],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{fmt} could not load {os.fspath(path)} (node exited {result.returncode}):\n"
            f"{result.stderr}"
        )
    report: dict[str, Any] = json.loads(result.stdout)
    return report
