"""Oxigraph server as the engine, beside embedded Oxigraph, on generated data (issue 10).

    python benchmarks/bench_remote.py [--sizes 10000,100000] [--runs 3] [--cache DIR]
                                      [--commands stats,validate]

For each size, the data of ``benchmarks/synth.py`` (the folders
``bench_scale.py`` caches) is built into kg's cache (``kg --data DIR query
'ASK {}'``, not timed here: ``bench_scale.py`` and ``bench_store.py`` time
it), then, against an Oxigraph server this script starts on 127.0.0.1 with a
new database folder (``oxigraph serve``, the binary of PyPI's ``oxigraph``):

1. ``kg --data DIR publish`` with the Graph Store Protocol, as a whole
   process: wall time, its peak memory, quads per second;
2. a cold ``kg --endpoint URL query in-force`` process, and the same on the
   embedded store (``kg --data DIR query in-force``), median of ``--runs``;
3. every library query with its defaults, in this process, on the server
   (:class:`kg.store.remote.RemoteEngine`, every row read and turned into
   rdflib terms) and embedded (the cached store), median of ``--runs``;
4. ``kg --endpoint URL stats`` and ``kg --endpoint URL validate`` as
   processes (validate fetches the whole dataset), with peak memory;

and the server's own peak memory (``VmHWM``). The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_scale  # noqa: E402

KG = [sys.executable, "-m", "kg"]


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        sys.exit("needs the Oxigraph server: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, base
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("the Oxigraph server did not start")


def peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak memory (KiB) and stdout of one process."""
    wrapper = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    done = subprocess.run([*wrapper, *cmd], capture_output=True, text=True, env=env)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr.strip()[-500:]}")
    peak = int(done.stderr.strip().splitlines()[-1]) if wrapper else 0
    return took, peak, done.stdout


def median_process(cmd: list[str], env: dict[str, str], runs: int) -> float:
    return statistics.median(timed(cmd, env)[0] for _ in range(runs))


def median_run(engine: object, name: str, runs: int) -> tuple[float, int]:
    from kg import library

    times, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(library.run(engine, name))  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commands", default="stats,validate",
                        help="whole commands to time on both (validate takes minutes at 100k)")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "thb-kg-bench-scale")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="thb-kg-bench-remote-"))
    env = {**os.environ, "KG_CACHE_DIR": str(work / "kg-cache")}
    os.environ["KG_CACHE_DIR"] = env["KG_CACHE_DIR"]
    fmt = bench_scale.fmt
    from kg import library
    from kg.store import open_engine
    from kg.store.remote import RemoteEngine

    try:
        for size in (int(s) for s in args.sizes.split(",") if s):
            folder = bench_scale.dataset(size, args.seed, args.cache)
            data = ["--data", str(folder)]
            timed([*KG, *data, "query", "ASK {}"], env)  # build kg's cache, not timed
            proc, base = start_server(work / f"oxigraph-{size}")
            query = f"{base}/query"
            try:
                took, peak, out = timed(
                    [*KG, *data, "publish", "--endpoint", query, "--store-endpoint",
                     f"{base}/store", "--update-endpoint", f"{base}/update", "-q"], env)
                print(f"\n## {size:,} quads generated; server {base}")
                print(f"kg publish (Graph Store Protocol): {fmt(took)}, peak {peak / 1024:.0f} MB"
                      f" -- {out.strip()}")
                remote = [*KG, "--endpoint", query]
                cold_remote = median_process([*remote, "query", "in-force", "-f", "csv"], env,
                                             args.runs)
                cold_local = median_process([*KG, *data, "query", "in-force", "-f", "csv"], env,
                                            args.runs)
                print(f"cold kg query in-force: server {fmt(cold_remote)}, "
                      f"embedded {fmt(cold_local)}")
                for command in (c for c in args.commands.split(",") if c):
                    took, peak, _ = timed([*remote, command], env)
                    local_took, local_peak, _ = timed([*KG, *data, command], env)
                    print(f"kg {command}: server {fmt(took)} (peak {peak / 1024:.0f} MB), "
                          f"embedded {fmt(local_took)} (peak {local_peak / 1024:.0f} MB)")
                server_engine = RemoteEngine(query)
                embedded = open_engine(str(folder))
                print(f"{'query':<22} {'rows':>8} {'server':>9} {'embedded':>9}")
                for q in library.list_queries():
                    on_server, rows = median_run(server_engine, q.name, args.runs)
                    here, local_rows = median_run(embedded, q.name, args.runs)
                    mark = "" if rows == local_rows else f"  (embedded: {local_rows} rows!)"
                    print(f"{q.name:<22} {rows:>8,} {fmt(on_server):>9} {fmt(here):>9}{mark}",
                          flush=True)
                print(f"server peak memory: {peak_kib(proc.pid) / 1024:.0f} MB")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
