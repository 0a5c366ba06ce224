"""Print the 20 largest Landkreis <-> kreisfreie Stadt commuter pairs that have no tie.

Run: python examples/uncovered_commuter_pairs.py SCENARIO
(build the national scenario first: bash examples/build_national.sh deutschland)
"""

from __future__ import annotations

import sys

import netkoop

net = netkoop.load(sys.argv[1] if len(sys.argv) > 1 else "deutschland")
kind = net.units.set_index("id")["kind"]
name = net.units.set_index("id")["name"]

# Orient every flow as (Landkreis, kreisfreie Stadt) and sum both directions.
flows = net.flows
city_first = flows["from"].map(kind) == "kreisfreie_stadt"
flows = flows.assign(
    landkreis=flows["to"].where(city_first, flows["from"]),
    stadt=flows["from"].where(city_first, flows["to"]),
)
mixed = (flows["landkreis"].map(kind) == "landkreis") & (
    flows["stadt"].map(kind) == "kreisfreie_stadt"
)
pairs = flows[mixed].groupby(["landkreis", "stadt"], as_index=False)["commuters"].sum()

# Drop the pairs joined by any tie, in either direction.
ties = net.ties
tied = set(zip(ties["from"], ties["to"], strict=True)) | set(
    zip(ties["to"], ties["from"], strict=True)
)
open_pairs = [pair not in tied for pair in zip(pairs["landkreis"], pairs["stadt"], strict=True)]

print(f"{'commuters':>10}  Landkreis <-> kreisfreie Stadt without a tie")
for row in pairs[open_pairs].nlargest(20, "commuters").itertuples(index=False):
    print(
        f"{row.commuters:>10,}  {row.landkreis} {name[row.landkreis]}"
        f"  <->  {row.stadt} {name[row.stadt]}"
    )
