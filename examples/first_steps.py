"""First steps in Python: load a bundled scenario, run a networkx algorithm, script a what-if.

Run: python examples/first_steps.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import networkx as nx

import netkoop

net = netkoop.load("beispielregion")
print(net)

# Every networkx algorithm works on the graph views; here: who holds the exchange together?
exchange = net.graph(["exchange", "shared_staff", "joint_project", "shared_material"])
names = net.units.set_index("id")["name"]
central = nx.betweenness_centrality(nx.Graph(exchange))
for unit, value in sorted(central.items(), key=lambda kv: -kv[1])[:3]:
    print(f"  broker: {names[unit]:<22} betweenness {value:.3f}")

# What if Landkreis Nordheide and Musterstadt exchanged regularly, and Moorhausen left?
whatif = net.add_ties(
    [{"from": "lk-nord", "to": "musterstadt", "kind": "exchange", "intensity": "regular"}]
).remove_units("moorhausen")
print(whatif)

components_before = nx.number_connected_components(net.graph())
components_after = nx.number_connected_components(whatif.graph())
print(f"  components: {components_before} -> {components_after}")
print(f"  the baseline is unchanged: {len(net.ties)} ties")

folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "whatif"
print(f"  saved: {whatif.save(folder, overwrite=True)}")
