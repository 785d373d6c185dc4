"""Load time of the shipped graph on each store (issue 2).

Prints, per store, the median of 5 in-process loads (parse ontology + every
TriG file + inference) and the median of 5 cold runs of `kg stats` in a new
process (imports included), plus the sizes that go with them.

    python benchmarks/bench_load.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import kg
from kg.stores import STORES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    first = kg.load()
    print(
        f"shipped graph: {len(first.files)} files, {len(first.source_graphs())} source graphs, "
        f"{len(first.dataset)} quads ({first.inferred} inferred)"
    )
    print(f"{'store':<10} {'load (median, s)':>17} {'min':>7} {'max':>7} {'cold kg stats (s)':>18}")
    for name in STORES:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            kg.load(store=name)
            times.append(time.perf_counter() - start)
        cold = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kg", "--store", name, "stats"],
                check=True,
                capture_output=True,
            )
            cold.append(time.perf_counter() - start)
        print(
            f"{name:<10} {statistics.median(times):>17.3f} {min(times):>7.3f} {max(times):>7.3f} "
            f"{statistics.median(cold):>18.3f}"
        )


if __name__ == "__main__":
    main()
