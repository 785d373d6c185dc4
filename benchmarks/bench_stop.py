"""How fast `kg serve` and `kg query` stop, and whether their workers go with them (issue 14).

Prints, each the median of ``--runs``:

* SIGTERM to `kg serve`, idle and with a slow query and a 90 KB query in
  flight: seconds until the server has exited, and workers left behind;
* SIGKILL to `kg serve` mid-query: seconds until its last worker is gone;
* SIGKILL to `kg query` and `kg query --safe` mid-query: seconds until the
  query's child is gone;
* SIGINT (Ctrl-C) to `kg query` mid-query: seconds until it has exited.

    python benchmarks/bench_stop.py [--runs 3]
"""

from __future__ import annotations

import argparse
import http.client
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HUGE = "SELECT * WHERE { ?s <u:p> ?o " + " ; <u:p> ?o" * 9_000 + " }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (workers, and the workers' zygote's children)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, parent in parents.items() if parent == p]
        found += kids
        frontier += kids
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone_after(pids: list[int], started: float, limit: float = 30.0) -> float:
    while any(_alive(p) for p in pids) and time.monotonic() - started < limit:
        time.sleep(0.01)
    return time.monotonic() - started


def _serve() -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port),
                             "--timeout", "60"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("kg serve did not start")


def _send(port: int, text: str, client: int) -> None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120,
                                          source_address=(f"127.0.0.{client}", 0))
        conn.request("POST", "/sparql", body=text.encode(),
                     headers={"Content-Type": "application/sparql-query"})
        conn.getresponse().read()
    except OSError:
        pass


def sigterm(busy: bool) -> tuple[float, int]:
    proc, port = _serve()
    if busy:
        for i, text in enumerate((SLOW, HUGE)):
            threading.Thread(target=_send, args=(port, text, 20 + i), daemon=True).start()
        time.sleep(1.0)
    workers = _children(proc.pid)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    elapsed = time.monotonic() - started
    time.sleep(0.5)
    return elapsed, sum(_alive(w) for w in workers)


def sigkill_server() -> float:
    proc, port = _serve()
    threading.Thread(target=_send, args=(port, SLOW, 30), daemon=True).start()
    time.sleep(1.0)
    workers = _children(proc.pid)
    started = time.monotonic()
    proc.kill()
    proc.wait(10)
    return _gone_after(workers, started)


def kg_query(sig: int, *flags: str) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", *flags, SLOW],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not _children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    kids = _children(proc.pid)
    started = time.monotonic()
    proc.send_signal(sig)
    if sig == signal.SIGINT:
        proc.wait(30)
        return time.monotonic() - started
    proc.wait(10)
    return _gone_after(kids, started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "kg", "query", "ASK {}"], check=True,
                   capture_output=True)  # the snapshot cache, built once

    def median(f, *a):  # type: ignore[no-untyped-def]
        return statistics.median(f(*a) for _ in range(args.runs))

    for busy in (False, True):
        runs = [sigterm(busy) for _ in range(args.runs)]
        label = "mid-query" if busy else "idle"
        print(f"kg serve, SIGTERM {label}: exits in {statistics.median(r[0] for r in runs):.2f} s"
              f" (worst {max(r[0] for r in runs):.2f} s); workers left: "
              f"{max(r[1] for r in runs)}")
    print(f"kg serve, SIGKILL mid-query: last worker gone after {median(sigkill_server):.2f} s")
    print(f"kg query, SIGKILL mid-query: its child gone after "
          f"{median(kg_query, signal.SIGKILL):.2f} s")
    print(f"kg query --safe, SIGKILL mid-query: its child gone after "
          f"{median(kg_query, signal.SIGKILL, '--safe', '--timeout', '60'):.2f} s")
    print(f"kg query, Ctrl-C mid-query: exits in {median(kg_query, signal.SIGINT):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
