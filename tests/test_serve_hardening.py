"""`kg serve` under attack: bursts, huge queries, huge bodies, memory bombs, greedy clients,
SIGTERM and SIGKILL (issue 14, defects 2, 3, 4 and 6). A real server on 127.0.0.1.

Clients that must count as different clients bind their own source address
(127.0.0.2, 127.0.0.3, ...): all of 127.0.0.0/8 is loopback on Linux.
"""

from __future__ import annotations

import ast
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA

pytestmark = pytest.mark.server

MINIMAL = str(DATA / "minimal")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
HAVING = ("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 0) "
          "ORDER BY ?p")
TIMEOUT = 3.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int

    @property
    def pid(self) -> int:
        return self.proc.pid


def _start(cache: Path, *options: str) -> Server:
    port = _free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--data", MINIMAL, "serve", "--port", str(port), *options],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            if _call(port, "GET", "/health")[0] == 200:
                return Server(proc, port)
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("kg serve did not start: " + proc.stderr.read().decode()[-2000:])
        time.sleep(0.2)


def _stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)
    if server.proc.stderr is not None:
        server.proc.stderr.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    s = _start(tmp_path_factory.mktemp("cache"), "--timeout", str(TIMEOUT), "--workers", "2",
               "--max-memory", "768", "--max-bytes", "1", "--client-queries", "3")
    try:
        yield s
    finally:
        _stop(s)


def _call(port: int, method: str, path: str, body: bytes | None = None,
          headers: dict[str, str] | None = None, client: int = 1,
          timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """One request from 127.0.0.<client>: status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(f"127.0.0.{client}", 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def _query(port: int, text: str, *, client: int = 1, accept: str = "text/csv",
           timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    return _call(port, "POST", "/sparql", text.encode(),
                 {"Content-Type": "application/sparql-query", "Accept": accept},
                 client=client, timeout=timeout)


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (the server's workers)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ------------------------------------------------------------ defect 2: a burst


def test_a_burst_of_group_by_having_never_breaks_the_endpoint(server: Server) -> None:
    """20 concurrent GROUP BY ... HAVING: all answered, and later ones too (was 18-19 x 500)."""
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda i: _query(server.port, HAVING, client=10 + i)[0],
                                 range(20)))
    assert statuses.count(500) == 0
    assert set(statuses) <= {200, 503}, statuses
    assert statuses.count(200) >= 15
    for i in range(3):
        assert _query(server.port, HAVING, client=40 + i)[0] == 200


_FIRST_QUERY = """
import sys
from kg.answer import Job, answer
from kg.cache import engine_from_snapshot, snapshot_path
from kg.worker import warm_up
engine = engine_from_snapshot(str(snapshot_path(sys.argv[1])), "")
if sys.argv[2] == "warm":
    warm_up(engine)
before = set(sys.modules)
answer(engine, Job(sys.argv[3], render=True, accept=sys.argv[4]))
print(sorted(set(sys.modules) - before))
"""


@pytest.mark.parametrize("data", [MINIMAL, str(DATA.parent.parent / "graph_data")])
@pytest.mark.parametrize(("text", "accept"), [
    (HAVING, "text/csv"),
    (HAVING, "application/sparql-results+json"),
    ("ASK { ?s a ?c }", "application/sparql-results+json"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5", "text/turtle"),
])
def test_a_worker_is_warm_before_its_first_query(tmp_path, data: str, text: str,
                                                accept: str) -> None:
    """Workers fork from the zygote, so what it loaded they have: after :func:`warm_up`
    a first quick query loads no module (a cold one loads the SPARQL parser, about
    0.1 s of CPU, enough to count as a long query and be shed with 503 in a burst)."""
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path)}

    def loaded(mode: str) -> list[str]:
        out = subprocess.run([sys.executable, "-c", _FIRST_QUERY, data, mode, text, accept],
                             capture_output=True, text=True, env=env, check=True).stdout
        return ast.literal_eval(out)

    assert loaded("warm") == []
    assert loaded("cold"), "a cold worker should load modules on its first query"


def test_the_warm_up_queries_all_answer(tmp_path, monkeypatch, caplog) -> None:
    """A warm-up query that failed would only log; it must not fail at all."""
    from kg.cache import engine_from_snapshot, snapshot_path
    from kg.worker import warm_up

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    with caplog.at_level("WARNING", logger="kg.worker"):
        warm_up(engine_from_snapshot(str(snapshot_path(MINIMAL)), ""))
    assert not caplog.records


# ------------------------------------------------------ defect 3: CPU outside the limit


def _huge_query() -> str:
    return "SELECT * WHERE { ?s <u:p> ?o " + " ; <u:p> ?o" * 9_000 + " }"


def test_a_huge_query_is_bounded_by_the_time_limit(server: Server) -> None:
    """A 90 KB query used 253 s of the server's CPU; now its worker is killed at the limit."""
    text = _huge_query()
    assert 80_000 < len(text.encode()) < 100_000
    started = time.monotonic()
    status, _, body = _query(server.port, text, client=50)
    assert status in (200, 400, 503), body
    assert time.monotonic() - started < TIMEOUT + 3


def test_huge_queries_do_not_starve_a_small_one(server: Server) -> None:
    """4 huge queries in flight; ASK {} from another client still answers at once."""
    text = _huge_query()
    server_cpu_before = _cpu_seconds(server.pid)
    with ThreadPoolExecutor(4) as pool:
        slow = [pool.submit(_query, server.port, text, client=60 + i) for i in range(4)]
        time.sleep(0.5)
        started = time.monotonic()
        status, _, body = _query(server.port, "ASK {}", client=70, accept="application/json")
        elapsed = time.monotonic() - started
        for f in slow:
            assert f.result()[0] != 500
    assert status == 200 and b"true" in body
    assert elapsed < 2.0, f"ASK {{}} took {elapsed:.2f} s"
    assert _cpu_seconds(server.pid) - server_cpu_before < 2.0  # the server process only moved bytes


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ defect 4: memory


def test_a_huge_body_is_refused_while_it_streams(server: Server) -> None:
    """A 300 MB body declared, then sent: 413 before it is read, server memory unchanged."""
    before = _rss_kib(server.pid)
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    try:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                     b"\r\nContent-Length: 300000000\r\n\r\n")
        sock.sendall(b"a" * 1_000_000)
        reply = sock.recv(4096)
    finally:
        sock.close()
    assert reply.startswith(b"HTTP/1.1 413"), reply[:100]
    # chunked, no length declared: cut as soon as it passes the bound
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        chunk = b"x" * 65536
        try:
            for _ in range(64):  # 4 MB
                conn.send(hex(len(chunk))[2:].encode() + b"\r\n" + chunk + b"\r\n")
            conn.send(b"0\r\n\r\n")
        except OSError:
            pass  # the server may close on us once it has answered
        assert conn.getresponse().status == 413
    finally:
        conn.close()
    assert _rss_kib(server.pid) - before < 50_000


def _memory_bomb(doublings: int = 30) -> str:
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(doublings))
    return f'SELECT ?v{doublings} WHERE {{ BIND("a" AS ?v0) {binds} }}'


def test_a_memory_bomb_hits_the_workers_cap_not_the_machine(server: Server) -> None:
    """30 chained CONCATs (a 1 GiB string) took a worker to 3.2 GB; now 400 at its cap."""
    before = _rss_kib(server.pid)
    status, _, body = _query(server.port, _memory_bomb(), client=80)
    assert status in (400, 503), body
    if status == 400:
        assert b"memory" in body
    assert _rss_kib(server.pid) - before < 50_000
    assert _query(server.port, "ASK {}", client=80, accept="application/json")[0] == 200


def test_results_are_capped_in_bytes(tmp_path) -> None:
    """One 2 MiB literal (a 2^28-character one took the server to 1.57 GB): 400 past 1 MiB.

    Its own server with a generous time limit, so that on a loaded machine the
    size cap, not the clock, is what stops the query.
    """
    server = _start(tmp_path / "cache", "--timeout", "120", "--workers", "1",
                    "--max-memory", "768", "--max-bytes", "1")
    try:
        before = _rss_kib(server.pid)
        status, _, body = _query(server.port, _memory_bomb(21), client=81, timeout=180)
        assert status == 400, body
        assert b"larger than" in body and b"size cap" in body
        assert _rss_kib(server.pid) - before < 50_000
        status, _, body = _query(server.port, _memory_bomb(10), client=81)
        assert status == 200 and len(body) > 1024
    finally:
        _stop(server)


def test_deeply_nested_json_to_labels_is_a_400(server: Server) -> None:
    body = b'{"iris": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    body = body[:99_000]
    status, _, text = _call(server.port, "POST", "/labels", body,
                            {"Content-Type": "application/json"}, client=82)
    assert status == 400, text
    deep = b"[" * 50_000 + b"]" * 49_000
    status, _, text = _call(server.port, "POST", "/labels", deep[:99_000],
                            {"Content-Type": "application/json"}, client=82)
    assert status == 400


# --------------------------------------------------------------- defect 6: fairness


def test_a_client_over_its_share_gets_429_with_retry_after(server: Server) -> None:
    """--client-queries 3: a fourth query in flight from one client is refused, not queued."""
    with ThreadPoolExecutor(5) as pool:
        replies = list(pool.map(lambda _: _query(server.port, SLOW, client=90), range(5)))
    statuses = [r[0] for r in replies]
    assert 429 in statuses, statuses
    assert 500 not in statuses
    for status, headers, _ in replies:
        if status == 429:
            assert int(headers["retry-after"]) >= 1
    # another client is not affected meanwhile
    assert _query(server.port, "ASK {}", client=91, accept="application/json")[0] == 200


def test_the_query_time_share_is_per_client(tmp_path) -> None:
    """--client-budget: past its seconds of query time per minute a client gets 429."""
    s = _start(tmp_path / "cache", "--timeout", "1", "--client-budget", "2")
    try:
        statuses = [_query(s.port, SLOW, client=5)[0] for _ in range(4)]
        # Each query runs to the 1 s limit (503) and is charged what it took:
        # at most two fit in 2 s, fewer when a loaded machine is slow to stop
        # one; then the client is refused (429) however loaded the machine is.
        first_refusal = statuses.index(429) if 429 in statuses else len(statuses)
        assert 1 <= first_refusal <= 2, statuses
        assert set(statuses[:first_refusal]) == {503}
        assert set(statuses[first_refusal:]) == {429}, statuses
        status, headers, _ = _query(s.port, "ASK {}", client=5)
        assert status == 429 and 30 <= int(headers["retry-after"]) <= 60
        assert _query(s.port, "ASK {}", client=6, accept="application/json")[0] == 200
    finally:
        _stop(s)


# ------------------------------------------------------ defect 6: stopping and dying


def test_sigterm_stops_the_server_within_2_s_mid_query(tmp_path) -> None:
    s = _start(tmp_path / "cache", "--timeout", "30")
    workers = _children(s.pid)
    assert workers
    with ThreadPoolExecutor(2) as pool:
        pool.submit(_query, s.port, SLOW, client=7, timeout=60)
        pool.submit(_query, s.port, _huge_query(), client=8, timeout=60)
        time.sleep(1.0)
        started = time.monotonic()
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(10)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"SIGTERM took {elapsed:.2f} s"
    time.sleep(0.3)
    assert not any(_alive(w) for w in workers)
    s.proc.stderr.close()


def test_sigkill_of_the_server_takes_its_workers_along(tmp_path) -> None:
    s = _start(tmp_path / "cache", "--timeout", "30")
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_query, s.port, SLOW, client=9, timeout=60)
        time.sleep(1.0)
        workers = _children(s.pid)
        assert workers
        s.proc.kill()
        s.proc.wait(10)
        deadline = time.monotonic() + 2.0
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
    s.proc.stderr.close()


def _kg_query(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "kg", "--data", MINIMAL, "query", "ASK {}"],
                   env=env, check=True, capture_output=True, timeout=120)  # warm the cache
    # as from a terminal: a shell that starts a job in the background (CI's `cmd &`)
    # hands it SIGINT ignored, and Python then installs no Ctrl-C handler at all
    return subprocess.Popen([sys.executable, "-m", "kg", "--data", MINIMAL, "query", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_child(pid: int) -> list[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        kids = _children(pid)
        if kids:
            time.sleep(0.3)
            return kids
        time.sleep(0.05)
    raise AssertionError("kg query started no child")


@pytest.mark.parametrize("flags", [[], ["--safe", "--timeout", "60"]])
def test_sigkill_of_kg_query_takes_its_child_along(tmp_path, flags: list[str]) -> None:
    """A SIGKILLed `kg query --safe` left its worker at 98% CPU; now the kernel kills it."""
    proc = _kg_query(tmp_path, *flags, SLOW)
    kids = _wait_for_child(proc.pid)
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 2.0
    while any(_alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(k) for k in kids)


def test_ctrl_c_stops_a_long_kg_query(tmp_path) -> None:
    """Oxigraph ignores SIGINT; kg query's parent does not, and kills the query."""
    proc = _kg_query(tmp_path, SLOW)
    kids = _wait_for_child(proc.pid)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    assert time.monotonic() - started < 2.0
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"interrupted" in err
    assert not any(_alive(k) for k in kids)


def test_a_query_that_crashes_the_engine_is_one_sentence(tmp_path) -> None:
    """Even past our parse limits, an engine crash ends the child, not kg (was exit 139)."""
    from kg.answer import Job
    from kg.isolate import run_isolated
    from kg.safety import Policy

    class Crashing:
        def execute(self, text: str, *, max_rows: int | None = None) -> None:
            os.kill(os.getpid(), signal.SIGSEGV)

    from kg.worker import WorkerCrashError

    with pytest.raises(WorkerCrashError, match="crashed"):
        run_isolated(Crashing(), Job("ASK {}", policy=Policy.local()))
