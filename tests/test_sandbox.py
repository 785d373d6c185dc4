"""kg.sandbox: a query worker has no way out to the network, even when the check is fooled.

Each test turns the text check off (or goes round it) and counts the requests
a real HTTP server on 127.0.0.1 receives. A control test shows that the same
query, run without the sandbox, does reach that server: the count can fail.
"""

from __future__ import annotations

import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA

from kg.answer import Job
from kg.errors import QueryError
from kg.safety import Policy

MINIMAL = DATA / "minimal"


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 - http.server's names

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on 127.0.0.1 that answers SPARQL and records every request."""
    hits: list[str] = []
    handler = type("Counter", (_Counter,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def _service(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.cache import write_nquads
    from kg.graph import load

    path = tmp_path_factory.mktemp("snap") / "minimal.nq"
    write_nquads(load(MINIMAL), path)
    return path


def test_control_without_the_sandbox_the_request_is_made(listener, minimal_kg) -> None:
    """Proves the listener counts: an unchecked, unconfined query does reach it."""
    from kg.query import run

    port, hits = listener
    run(minimal_kg, _service(port), policy=None)
    assert hits, "the engine made no request even without the sandbox: the test proves nothing"


@pytest.mark.parametrize("store", ["pyoxigraph", "memory"])
def test_worker_without_the_check_makes_no_request(listener, snapshot: Path, store: str) -> None:
    """Worker.execute runs text with no check at all: the sandbox alone stops SERVICE."""
    from kg.worker import Worker

    port, hits = listener
    worker = Worker(snapshot, store)
    try:
        with pytest.raises(Exception) as info:  # noqa: B017 - whatever the engine says
            worker.execute(_service(port), timeout=20)
        assert "ermission denied" in str(info.value) or "13" in str(info.value)
        # the worker lives on and answers
        assert worker.execute("ASK { ?s ?p ?o }", timeout=20).boolean is True
    finally:
        worker.kill()
    assert hits == []


def test_isolated_query_with_the_check_switched_off_makes_no_request(
    listener, minimal_kg, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kg query`'s forked child: with kg.safety's checks replaced by no-ops, still 0 requests."""
    import kg.safety
    from kg.isolate import run_isolated
    from kg.query.engines import _engine_for

    monkeypatch.setattr(kg.safety, "check", lambda *a, **k: None)
    monkeypatch.setattr(kg.safety, "check_tokens", lambda *a, **k: None)
    port, hits = listener
    with pytest.raises(QueryError):
        run_isolated(_engine_for(minimal_kg), Job(_service(port), policy=Policy.local()))
    assert hits == []


def test_errors_are_no_port_scanner(listener, snapshot: Path) -> None:
    """An open port and a closed one give the same error: nothing to learn from it."""
    from kg.worker import Worker

    open_port, hits = listener
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    worker = Worker(snapshot)
    messages = []
    try:
        for port in (open_port, closed_port):
            with pytest.raises(Exception) as info:  # noqa: B017
                worker.execute(_service(port), timeout=20)
            messages.append(str(info.value).replace(str(port), "PORT"))
    finally:
        worker.kill()
    assert messages[0] == messages[1]
    assert hits == []


def test_allowed_service_gets_the_network(listener, snapshot: Path) -> None:
    """--allow-service is the one way out: that worker runs without the filter."""
    from kg.worker import Worker

    port, hits = listener
    worker = Worker(snapshot, network=True)
    try:
        worker.execute(_service(port), timeout=20)
    finally:
        worker.kill()
    assert hits


def test_sandboxed_child_cannot_open_an_internet_socket() -> None:
    """The filter itself: AF_INET and AF_INET6 refused, AF_UNIX allowed, in a forked child."""
    from kg.sandbox import deny_network

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        results = []
        try:
            deny_network()
            for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
                try:
                    socket.socket(family).close()
                    results.append("ok")
                except OSError as exc:
                    results.append(f"errno{exc.errno}")
        finally:
            os.write(write_fd, ",".join(results).encode())
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    assert answer == "errno13,errno13,ok"
