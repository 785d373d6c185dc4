"""`kg serve --allow-service URL`: federation on purpose, not by accident (issue 13, item 6).

A loopback HTTP server stands in for a remote SPARQL endpoint (Wikidata's,
Cellar's). Only the listed endpoint is reachable, under the same time limit;
any other SERVICE is refused before a request is made.
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from conftest import DATA

pytestmark = pytest.mark.server

ANSWER = (b'{"head":{"vars":["x"]},"results":{"bindings":'
          b'[{"x":{"type":"literal","value":"from the remote endpoint"}}]}}')


class _Remote(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/slow"):
            time.sleep(6)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    do_GET = do_POST = _answer  # noqa: N815 - http.server's names

    def log_message(self, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def remote() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             type("Remote", (_Remote,), {"hits": hits}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def endpoint(remote, tmp_path_factory) -> Iterator[str]:
    base, _hits = remote
    port = _free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--data", str(DATA / "minimal"), "serve", "--port",
         str(port), "--timeout", "3", "--allow-service", base],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("kg serve did not start") from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


def _ask(endpoint: str, query: str) -> tuple[int, bytes]:
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_an_allowed_endpoint_is_reached(endpoint: str, remote) -> None:
    base, hits = remote
    before = len(hits)
    status, body = _ask(endpoint, f"SELECT ?x WHERE {{ SERVICE <{base}sparql> {{ ?x ?p ?o }} }}")
    assert status == 200, body
    assert b"from the remote endpoint" in body
    assert len(hits) == before + 1


def test_any_other_endpoint_is_refused_without_a_request(endpoint: str, remote) -> None:
    _base, hits = remote
    other = f"http://127.0.0.1:{_free_port()}/sparql"
    before = len(hits)
    status, body = _ask(endpoint, f"SELECT ?x WHERE {{ SERVICE <{other}> {{ ?x ?p ?o }} }}")
    assert status == 403 and b"--allow-service" in body
    assert len(hits) == before


def test_the_time_limit_holds_for_a_slow_remote(endpoint: str, remote) -> None:
    base, _hits = remote
    started = time.monotonic()
    status, body = _ask(endpoint, f"SELECT ?x WHERE {{ SERVICE <{base}slow> {{ ?x ?p ?o }} }}")
    assert status == 503 and b"time limit" in body
    assert time.monotonic() - started < 5.5
