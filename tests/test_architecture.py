"""The layout of the package: every module imports on its own, layers and no cycles, a light CLI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import networkx as nx

import netkoop

REPO = Path(__file__).resolve().parents[1]

#: Libraries that take a noticeable time to import.
HEAVY = {
    "pandas",
    "numpy",
    "networkx",
    "igraph",
    "pyvis",
    "pyarrow",
    "joblib",
    "openpyxl",
    "matplotlib",
    "pyproj",
    "mapclassify",
    "shapely",
}

# Third-party libraries are imported once, then every netkoop module is imported in a child
# forked from that interpreter, which has no netkoop module loaded: each module must import on
# its own, whatever was imported before it.
_IMPORT_EACH = """
import importlib, multiprocessing, sys
import click, igraph, joblib, networkx, numpy, openpyxl, pandas, pyarrow, pyvis.physics, yaml

def load(name):
    try:
        importlib.import_module(name)
    except Exception as exc:
        return name, repr(exc)
    return name, None

if __name__ == "__main__":
    assert not any(m.split(".")[0] == "netkoop" for m in sys.modules)
    with multiprocessing.get_context("fork").Pool(2, maxtasksperchild=1) as pool:
        for name, error in pool.imap(load, sys.argv[1:]):
            print(name, error or "ok")
"""


def modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(netkoop.__path__, "netkoop."))


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    names = modules()
    assert len(names) > 50
    done = python(_IMPORT_EACH, *names)
    assert done.returncode == 0, done.stderr
    results = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert sorted(results) == names
    assert {name: error for name, error in results.items() if error != "ok"} == {}


def test_no_module_imports_another_that_imports_it_back() -> None:
    graph = grimp.build_graph("netkoop", exclude_type_checking_imports=True)
    imports = nx.DiGraph()
    for module in graph.modules:
        imports.add_node(module)
        imports.add_edges_from(
            (module, other) for other in graph.find_modules_directly_imported_by(module)
        )
    cycles = list(nx.simple_cycles(imports))
    assert cycles == []


def test_every_package_is_in_the_layer_contract() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    listed = {name.strip() for layer in layers for name in layer.split("|")}
    top = {f"netkoop.{m.name}" for m in pkgutil.iter_modules(netkoop.__path__)}
    assert top - {"netkoop.__main__"} == listed


def test_help_imports_no_heavy_library_and_info_no_graph_engine() -> None:
    code = """
import sys
from netkoop.cli import main
try:
    main(sys.argv[1:], prog_name="netkoop")
except SystemExit:
    pass
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""
    done = python(code, "--help")
    assert done.returncode == 0, done.stderr
    assert "Usage: netkoop" in done.stdout
    assert set(done.stderr.split()) & HEAVY == set()

    done = python(code, "info", "beispielregion")
    assert "Beispielregion" in done.stdout
    assert set(done.stderr.split()) & {"igraph", "pyvis", "joblib", "openpyxl"} == set()


def test_the_package_imports_lightly_and_loads_the_rest_on_use() -> None:
    done = python(
        "import sys, netkoop\n"
        "light = sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:]))\n"
        "net = netkoop.load('beispielregion')\n"
        "print(light, type(net).__name__, 'pandas' in sys.modules)",
        *HEAVY,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "Network", "True"]
