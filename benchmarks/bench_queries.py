"""Time every library query, cold and warm, on each store (issue 3).

Cold: a new process runs `kg query NAME -f csv` (imports, loading and the
query included, wall time), for the default engine (Oxigraph over the
cached snapshot) and for `--store memory` / `--store oxigraph`, which load
and infer the data as kg.load() does. The snapshot cache is built once
before timing (that first run is reported on its own). Warm: the query run
in-process on an already loaded graph. Prints medians in seconds.

    python benchmarks/bench_queries.py [--runs 5] [--cold-stores pyoxigraph,memory,oxigraph]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import kg
from kg import library
from kg.cache import Snapshot, cache_dir, cache_key


def _cold(name: str, store: str, env: dict[str, str]) -> float:
    cmd = [sys.executable, "-m", "kg"]
    if store != "pyoxigraph":
        cmd += ["--store", store]
    start = time.perf_counter()
    subprocess.run([*cmd, "query", name, "-f", "csv"], check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def _warm(target: object, name: str, runs: int) -> float:
    library.run(target, name)  # first run parses and plans
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        library.run(target, name)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-stores", default="pyoxigraph,memory,oxigraph")
    args = parser.parse_args()
    cold_stores = [s for s in args.cold_stores.split(",") if s]
    env = {**os.environ}
    env.pop("KG_STORE", None)

    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "query", "ASK { ?s ?p ?o }"], check=True,
                   capture_output=True, env=env)
    first = time.perf_counter() - start
    snapshot_file = cache_dir() / f"graph-{cache_key()}.nq"
    memory = kg.load(store="memory")
    oxigraph = kg.load(store="oxigraph")
    snapshot = Snapshot.from_file(snapshot_file)
    print(f"shipped graph: {len(memory.files)} files, {len(memory.dataset)} quads; "
          f"snapshot {snapshot_file.stat().st_size} bytes; "
          f"first `kg query` (builds the snapshot): {first:.2f} s")
    print(f"medians of {args.runs} runs, seconds")
    head = f"{'query':<20}" + "".join(f"{'cold ' + s:>16}" for s in cold_stores)
    head += f"{'warm memory':>13}{'warm oxigraph':>15}{'warm pyoxigraph':>17}"
    print(head)
    columns: dict[str, list[float]] = {}
    for q in library.list_queries():
        line = f"{q.name:<20}"
        for store in cold_stores:
            t = statistics.median(_cold(q.name, store, env) for _ in range(args.runs))
            columns.setdefault("cold " + store, []).append(t)
            line += f"{t:>16.3f}"
        for label, target, width in (("warm memory", memory, 13), ("warm oxigraph", oxigraph, 15),
                                     ("warm pyoxigraph", snapshot, 17)):
            t = _warm(target, q.name, args.runs)
            columns.setdefault(label, []).append(t)
            line += f"{t:>{width}.4f}"
        print(line, flush=True)
    print(f"{'median of medians':<20}" + "".join(
        f"{statistics.median(v):>{16 if k.startswith('cold') else len(k) + 2}.3f}"
        for k, v in columns.items()))
    if "cold pyoxigraph" in columns:
        worst = max(columns["cold pyoxigraph"])
        print(f"cold `kg query NAME` (default engine): median "
              f"{statistics.median(columns['cold pyoxigraph']):.3f} s, worst {worst:.3f} s "
              f"(target < 0.5 s)")


if __name__ == "__main__":
    main()
