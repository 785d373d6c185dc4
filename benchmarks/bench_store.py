"""Time the persistent on-disk Oxigraph store (kg/store/) against its targets (issue 10).

    python benchmarks/bench_store.py [--sizes 100000,1000000] [--runs 3] [--cache DIR]

For each size, ``benchmarks/synth.py`` writes the data once into a cache
folder (``$TMPDIR/thb-kg-bench-store/synth-N``, reused by later runs). Then,
each in a new process, with an empty ``$KG_CACHE_DIR`` for the build:

1. "bare bulk load": ``pyoxigraph.Store().bulk_load`` of every data file, in
   memory, nothing else (the floor; median of ``--runs``);
2. "first build": :func:`kg.store.disk.store_path` on an empty cache: the
   files parsed by Oxigraph, the union and the inference by SPARQL Update,
   the store written to disk, its manifest (one run: the build is what a
   first ``kg query`` pays once);
3. "cold open": :func:`kg.store.open_engine` in a new process, the store
   already built (the time inside the process, median);
4. ``kg --data DIR query 'ASK {}'`` and ``kg --data DIR query instruments``,
   as CSV and as the default table (whole processes, wall time, median; the
   instruments are every instrument, 28k at 1M quads, so they measure the
   query too, and the table also labels each IRI);
5. ``kg --data DIR stats`` (whole process, median).

Wall times on a shared machine include waiting for a core, so the CPU time
of each child (user + system, median) and its peak resident memory are
printed beside it. Before timing, the package is byte-compiled (as an
installed package is), so that no run pays for compiling ``kg``'s modules
when ``PYTHONDONTWRITEBYTECODE`` is set. Prints one table per size and the
targets: first build at most 2x the bare bulk load, a later cold
``kg query`` at most 0.5 s, ``kg stats`` at most 2 s (at 1M quads).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

_BARE = """
import sys, time
from pathlib import Path
import pyoxigraph as ox
files = sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix == ".trig")
started = time.perf_counter()
store = ox.Store()
for path in files:
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
print(time.perf_counter() - started)
"""

_BUILD = """
import sys, time
started = time.perf_counter()
from kg.store.disk import store_path
store_path(sys.argv[1])
print(time.perf_counter() - started)
"""

_OPEN = """
import sys, time
started = time.perf_counter()
from kg.store import open_engine
open_engine(sys.argv[1], store="oxigraph-disk")
print(time.perf_counter() - started)
"""


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, str, int, float]:
    """Run ``argv``: its wall time, standard output, peak resident memory (KiB) and CPU
    time (user + system, seconds)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:6])}... failed: {err.decode()[-500:]}")
    return wall, out.decode(), int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def _median(values: list[float]) -> float:
    return statistics.median(values)


Row = tuple[str, float, float, int, str]


def bench(size: int, data: Path, cache: Path, runs: int) -> list[Row]:
    """The rows of the table for ``size``: (what, seconds, CPU seconds, peak KiB, note)."""
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    env.pop("KG_STORE", None)
    py = sys.executable
    rows: list[Row] = []

    def median_of(done: list[tuple[float, str, int, float]], inside: bool = False
                  ) -> tuple[float, float, int]:
        seconds = [float(out) for _, out, _, _ in done] if inside else [w for w, *_ in done]
        return (_median(seconds), _median([c for *_, c in done]), max(p for _, _, p, _ in done))

    bare = [_run([py, "-c", _BARE, str(data)], env) for _ in range(runs)]
    bare_s, bare_cpu, bare_peak = median_of(bare, inside=True)
    rows.append(("bare Store().bulk_load (in memory)", bare_s, bare_cpu, bare_peak, ""))

    shutil.rmtree(cache, ignore_errors=True)
    _, out, peak, cpu = _run([py, "-c", _BUILD, str(data)], env)
    build_s = float(out)
    rows.append(("first build of the store", build_s, cpu, peak,
                 f"{build_s / bare_s:.1f}x bare, CPU {cpu / bare_cpu:.1f}x (target <= 2x)"))

    opened = [_run([py, "-c", _OPEN, str(data)], env) for _ in range(runs)]
    rows.append(("cold open (inside the process)", *median_of(opened, inside=True), ""))

    kg = [py, "-m", "kg", "--data", str(data)]
    for label, argv, target in (
        ("kg query 'ASK {}' (process)", [*kg, "query", "ASK {}"], 0.5),
        ("kg query instruments -f csv (process)", [*kg, "query", "instruments", "-f", "csv"],
         0.5),
        ("kg query instruments (table, process)", [*kg, "query", "instruments"], 0.5),
        ("kg stats (process)", [*kg, "stats"], 2.0),
    ):
        wall, cpu, peak = median_of([_run(argv, env) for _ in range(runs)])
        met = ["met" if t <= target else "MISSED" for t in (wall, cpu)]
        rows.append((label, wall, cpu, peak,
                     f"target <= {target:g} s: {met[0]} (wall), {met[1]} (CPU)"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000",
                        help="quads, comma-separated (default 100000,1000000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "thb-kg-bench-store",
                        help="folder for the generated data and the store caches")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(HERE.parent / "kg", quiet=1)
    for size in (int(s) for s in args.sizes.split(",")):
        data = args.cache / f"synth-{size}"
        if not data.is_dir():
            subprocess.run([sys.executable, str(HERE / "synth.py"), "--quads", str(size),
                            "--out", str(data)], check=True)
        rows = bench(size, data, args.cache / f"kg-cache-{size}", args.runs)
        print(f"\n{size:,} quads ({data})")
        print(f"{'what':<40}  {'seconds':>8}  {'CPU s':>7}  {'peak MiB':>8}  note")
        for label, seconds, cpu, peak, note in rows:
            print(f"{label:<40}  {seconds:>8.2f}  {cpu:>7.2f}  {peak / 1024:>8.0f}  {note}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
