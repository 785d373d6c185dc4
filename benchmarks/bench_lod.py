"""Linked Data on `kg serve`: time to answer each IRI kind in each format.

Starts `kg serve` on the shipped graph (its own cache folder), asks every
(IRI, format) pair a few times over real HTTP, and prints the median time
and the response size. The first request of each document also looks up the
sources' descriptions once; the medians are of the repeated requests.

    python benchmarks/bench_lod.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from lod_support import kg_serve, request  # noqa: E402

from kg.lod.conneg import FORMATS  # noqa: E402

PATHS = ("/id/body/unodc", "/graph/seed-article", "/ontology", "/.well-known/void")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache, kg_serve(Path(cache)) as base:
        print(f"{'IRI':<22} {'format':<8} {'status':>6} {'median ms':>10} {'bytes':>9}")
        for path in PATHS:
            for fmt in FORMATS.values():
                times = []
                status, size = 0, 0
                for i in range(args.repeat + 1):
                    t = time.perf_counter()
                    status, _h, body = request(base + path, accept=fmt.media_type)
                    if i:  # the first request warms the sources' descriptions
                        times.append(time.perf_counter() - t)
                    size = len(body)
                print(f"{path:<22} {fmt.name:<8} {status:>6} "
                      f"{statistics.median(times) * 1000:>10.1f} {size:>9,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
