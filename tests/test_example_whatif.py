"""examples/whatif_edges.py runs to the end and prints what the new ties change.

The expected ties and figures are worked out here from the scenario's tables with networkx and
plain Python, not with the functions the example calls.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

import netkoop

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "whatif_edges.py"


def run(tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


@dataclass(frozen=True)
class Expected:
    ties: set[tuple[frozenset[str], int]]  # names of both ends, commuters
    ties_before: int
    components: tuple[int, int]
    coverage: tuple[float, float]


@pytest.fixture(scope="module")
def expected() -> Expected:
    """The five untied pairs with the most commuters, and the figures once they are tied."""
    with pytest.warns(netkoop.NetkoopWarning):
        net = netkoop.load("zwei-welten-2020")
    tied = {frozenset(pair) for pair in zip(net.ties["from"], net.ties["to"], strict=True)}
    commuters: dict[frozenset[str], int] = defaultdict(int)
    for a, b, n in zip(net.flows["from"], net.flows["to"], net.flows["commuters"], strict=True):
        if a != b:
            commuters[frozenset((a, b))] += int(n)
    total = sum(commuters.values())
    untied = sorted((p for p in commuters if p not in tied), key=lambda p: -commuters[p])
    best = untied[:5]
    assert commuters[best[4]] > commuters[untied[5]]  # no tie at the cut
    names = dict(zip(net.units["id"], net.units["name"], strict=True))
    graph = nx.Graph(net.graph())
    before = nx.number_connected_components(graph)
    graph.add_edges_from(tuple(p) for p in best)
    covered = sum(n for p, n in commuters.items() if p in tied)
    return Expected(
        ties={(frozenset(names[u] for u in p), commuters[p]) for p in best},
        ties_before=len(net.ties),
        components=(before, nx.number_connected_components(graph)),
        coverage=(covered / total, (covered + sum(commuters[p] for p in best)) / total),
    )


def test_whatif_edges_prints_the_new_ties_and_their_effect(
    tmp_path: Path, expected: Expected
) -> None:
    out = run(tmp_path, "seite.html")

    printed = re.findall(r"new tie: (.+) - (.+) \(([\d,]+) commuters\)", out)
    ties = {(frozenset((a, b)), int(n.replace(",", ""))) for a, b, n in printed}
    assert ties == expected.ties
    n = expected.ties_before
    assert re.search(rf"structure\.ties +{n} -> {n + 5} +\(\+5\)", out)
    before, after = expected.components
    assert re.search(rf"structure\.components +{before} -> {after} +\({after - before:+}\)", out)
    coverage = re.search(r"gap\.coverage +([\d.]+) -> ([\d.]+)", out)
    assert coverage
    low, high = expected.coverage
    assert float(coverage.group(1)) == pytest.approx(low, abs=5e-5)
    assert float(coverage.group(2)) == pytest.approx(high, abs=5e-5)
    assert "ties added: 5, removed: 0" in out

    page = (tmp_path / "seite.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="netkoop-data">(.*?)</script>', page)
    assert found
    data = json.loads(found.group(1))
    assert data["diff"] is True
    assert sorted(data["ties"]["status"]).count(1) == 5
    assert data["title"].endswith("Fünf neue Pendlerbeziehungen")


def test_whatif_edges_writes_its_page_in_the_working_folder_by_default(tmp_path: Path) -> None:
    out = run(tmp_path)
    assert "diff page: whatif_edges.html" in out
    assert (tmp_path / "whatif_edges.html").stat().st_size > 0
