"""What-if in Python: add the ties that would cover most commuters, compare, draw the difference.

Run: python examples/whatif_edges.py [PAGE.html]   (default: whatif_edges.html here)
"""

from __future__ import annotations

import sys
from pathlib import Path

import netkoop
from netkoop.render import render_diff
from netkoop.whatif import compare_networks, recommend

net = netkoop.load("zwei-welten-2020")

# The five pairs of units with the most commuters between them and no tie yet.
best = recommend(net, k=5, objective="commuter-coverage").ties
for tie in best.itertuples():
    print(f"  new tie: {tie.name_from} - {tie.name_to} ({tie.commuters:,} commuters)")

whatif = net.add_ties(best[["from", "to", "kind"]].assign(intensity="regular"))
whatif = whatif.with_metadata(name="pendlerbeziehungen", title="Fünf neue Pendlerbeziehungen")

# Both networks measured with the same options and seed: every difference is the new ties'.
found = compare_networks(net, whatif, metrics=["structure", "kreis", "gap"])
for measure in ("structure.ties", "structure.components", "kreis.ei", "gap.coverage"):
    base, after, difference = found.values.loc[measure]
    print(f"  {measure:<22} {base:>8.4g} -> {after:<8.4g} ({difference:+.4g})")
print(f"  ties added: {len(found.ties_added)}, removed: {len(found.ties_removed)}")

page = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("whatif_edges.html")
print(f"  diff page: {render_diff(net, whatif, page, overwrite=True)}")  # this script's own page
