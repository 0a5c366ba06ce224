"""Benchmark the graph exports: seconds and megabytes per format, with and without flows.

The networks are the ``M`` and ``L`` networks of ``metrics.py`` (M: the 400 Kreise with the
real 46,991 BA commuter flows and 3,000 seeded ties; L: 11,000 units, 50,000 ties and
1,000,000 flows), built in memory (not timed). Each export is written ``--repeat`` times to a
temporary folder with `netkoop.export.export`; the table gives the median and minimum wall time
and the file size. As a reference, the same edges are written by networkx's GEXF writer
(`nx.write_gexf` on `export_graph`), which is what netkoop used before it wrote the XML
itself.

    python benchmarks/export.py [--scales M,L] [--repeat K] [--seed N] [--data PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import common
import metrics


def main(argv: list[str] | None = None) -> int:
    """Build the networks, time each export, print one table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scales", default="M,L")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", action="store_true", help="also time nx.write_gexf")
    common.add_data_argument(parser)
    args = parser.parse_args(argv)

    import networkx as nx  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    import netkoop  # noqa: PLC0415
    from netkoop.export import export, export_graph  # noqa: PLC0415

    print(common.machine("networkx", "lxml", "pandas"))
    print("| scale | units | edges | format | flows | median s | min s | MB |")
    print("|---|---:|---:|---|---|---:|---:|---:|")
    for scale in args.scales.split(","):
        rng = np.random.default_rng([args.seed, metrics.SCALES.index(scale)])
        if scale == "M":
            derived = common.find_derived(args.data)
            tables = metrics.build_m(rng, derived)
        elif scale == "L":
            tables = metrics.build_l(rng)
        else:
            sys.exit(f"unknown scale {scale!r}; M or L")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            network = netkoop.Network.from_tables(
                tables["units"],
                tables["ties"],
                tables["flows"],
                metadata=netkoop.Metadata(name=f"benchmark-{scale}"),
            )
        with tempfile.TemporaryDirectory() as folder:
            for flows in (False, True):
                edges = len(network.ties) + (len(network.flows) if flows else 0)
                for fmt, suffix in (("gexf", ".gexf"), ("graphml", ".graphml"), ("json", ".json")):
                    seconds = []
                    for run in range(args.repeat):
                        path = Path(folder) / f"{scale}-{flows}-{run}{suffix}"
                        start = time.perf_counter()
                        export(network, path, flows=flows)
                        seconds.append(time.perf_counter() - start)
                    size = path.stat().st_size / 1e6
                    print(
                        f"| {scale} | {len(network.units):,} | {edges:,} | {fmt} | {flows} | "
                        f"{statistics.median(seconds):.2f} | {min(seconds):.2f} | {size:.1f} |"
                    )
                if args.baseline:
                    start = time.perf_counter()
                    graph = export_graph(network, flows=flows)
                    nx.write_gexf(graph, Path(folder) / f"nx-{scale}-{flows}.gexf")
                    print(
                        f"| {scale} | {len(network.units):,} | {edges:,} | nx.write_gexf | "
                        f"{flows} | {time.perf_counter() - start:.2f} | | |"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
