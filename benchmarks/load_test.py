"""Load test of `kg serve`: many clients, a few slow queries, fast ones must stay fast (issue 14).

Starts `kg serve` on the shipped graph on a free port of 127.0.0.1 (or uses
``--url``), then runs ``--clients`` clients at once, each sending
``--queries`` queries one after another. Each client has its own source
address (127.0.0.10, 127.0.0.11, ...; all of 127.0.0.0/8 is loopback on
Linux), so the server sees them as different clients, as it would on a
network. A share of the queries (``--slow-share``, 5 % by default) are
cross joins that run until the time limit; the others are library queries
that answer in milliseconds.

It runs the whole load twice: *cold* (right after the server started) and
*warm*. For each it prints requests per second, the fast queries' p50 and
p95 (all of them, and those sent while a slow query was in flight), and the
count of each status. Targets: fast p95 <= 1 s with slow queries in flight,
and no 500.

    python benchmarks/load_test.py [--clients 50] [--queries 20] [--fail-on-500]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

FAST = [
    "SELECT ?act ?celex WHERE { ?act eli:id_local ?celex } ORDER BY ?celex",
    "ASK { ?s ?p ?o }",
    "SELECT ?b ?label WHERE { ?b a org:Organization ; skos:prefLabel ?label } LIMIT 50",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 2)",
]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass(frozen=True)
class Sample:
    slow: bool
    status: int
    start: float
    end: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(extra: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("kg serve did not start within 120 s")


def _one(host: str, port: int, client: int, text: str) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=120,
                                      source_address=(f"127.0.0.{10 + client}", 0))
    try:
        conn.request("POST", "/sparql", body=text.encode(),
                     headers={"Content-Type": "application/sparql-query",
                              "Accept": "application/sparql-results+json"})
        r = conn.getresponse()
        r.read()
        return r.status
    except OSError:
        return 0  # no answer at all
    finally:
        conn.close()


def run_load(url: str, clients: int, queries: int, slow_share: float) -> list[Sample]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    samples: list[Sample] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)  # the same load on every run
        for j in range(queries):
            slow = rng.random() < slow_share
            text = SLOW if slow else FAST[(i + j) % len(FAST)]
            start = time.monotonic()
            status = _one(host, port, i, text)
            with lock:
                samples.append(Sample(slow, status, start, time.monotonic()))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def report(name: str, samples: list[Sample]) -> dict[str, float]:
    start = min(s.start for s in samples)
    end = max(s.end for s in samples)
    slow = [s for s in samples if s.slow]
    fast = [s for s in samples if not s.slow and s.status == 200]
    during = [s for s in fast if any(x.start < s.end and s.start < x.end for x in slow)]
    lat = [s.end - s.start for s in fast]
    lat_during = [s.end - s.start for s in during]
    counts = Counter(s.status for s in samples)
    figures = {
        "requests": len(samples),
        "seconds": end - start,
        "rps": len(samples) / (end - start),
        "fast_p50": _pct(lat, 0.5),
        "fast_p95": _pct(lat, 0.95),
        "during_n": len(during),
        "during_p50": _pct(lat_during, 0.5),
        "during_p95": _pct(lat_during, 0.95),
        "s500": counts.get(500, 0),
        "s429": counts.get(429, 0),
    }
    print(f"{name}: {len(samples)} requests in {figures['seconds']:.1f} s "
          f"({figures['rps']:.1f} requests/s)")
    print(f"  fast queries: p50 {figures['fast_p50']:.3f} s, p95 {figures['fast_p95']:.3f} s "
          f"(n={len(lat)})")
    print(f"  fast queries with a slow one in flight: p50 {figures['during_p50']:.3f} s, "
          f"p95 {figures['during_p95']:.3f} s (n={len(during)})")
    slow_median = statistics.median([s.end - s.start for s in slow]) if slow else 0.0
    print("  statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
          + f"  (slow queries: {len(slow)}, median {slow_median:.1f} s)")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an endpoint already running (default: start kg serve)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--slow-share", type=float, default=0.05)
    parser.add_argument("--fail-on-500", action="store_true",
                        help="exit 1 if any request got a 500 (for CI)")
    parser.add_argument("serve_args", nargs="*", help="extra options for kg serve (after --)")
    args = parser.parse_args()
    proc = None
    url = args.url
    if url is None:
        proc, url = start_server(args.serve_args)
    try:
        print(f"{args.clients} clients x {args.queries} queries, "
              f"{args.slow_share:.0%} slow (cross joins to the time limit), {os.cpu_count()} cores")
        cold = report("cold", run_load(url, args.clients, args.queries, args.slow_share))
        warm = report("warm", run_load(url, args.clients, args.queries, args.slow_share))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(15)
    worst = max(cold["during_p95"], warm["during_p95"])
    print(f"target: fast p95 <= 1 s with slow queries in flight: "
          f"{'met' if worst <= 1.0 else 'MISSED'} ({worst:.3f} s); "
          f"500s: {int(cold['s500'] + warm['s500'])}")
    if args.fail_on_500 and cold["s500"] + warm["s500"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
