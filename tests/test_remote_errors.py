"""A SPARQL server that is down, slow or refusing: one sentence, exit code 2, no traceback.

The servers here are real HTTP servers on 127.0.0.1 that this test starts:
one answers 500, 403 or 404, one takes longer than the time limit, one
answers a web page, one redirects elsewhere; a closed port stands for a
server that is down. Every command that reads the graph, and kg publish,
meets each of them.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.cli import main
from kg.store.http import EndpointError, check_url

pytestmark = pytest.mark.usefixtures("kg_cache_dir")

#: How long the slow server waits before it answers (the tests' limit is far below).
SLOW = 5.0


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        mode = self.path.strip("/").split("/")[0]
        if mode == "slow":
            time.sleep(SLOW)
            mode = "ok"
        if mode == "garbage":  # not HTTP at all
            self.wfile.write(b"SPARQL? never heard of it\r\n\r\n")
            self.close_connection = True
            return
        if mode == "headers":  # as Virtuoso answers a query naming many graphs
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            for i in range(300):
                self.send_header("X-SPARQL-named-graph", f"urn:graph:{i}")
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if mode in ("500", "403", "404", "503"):
            body = f"boom: server says {mode}\nsecond line".encode()
            self.send_response(int(mode))
            self.send_header("Content-Type", "text/plain")
        elif mode == "redirect":
            body = b""
            self.send_response(302)
            self.send_header("Location", "http://example.org/sparql")
        elif mode == "html":
            body = b"<html><body><h1>Welcome</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        else:
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (the slow case)
            pass

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def closed_port() -> str:
    """A port nothing listens on: a server that is down."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/query"


COMMANDS = {
    "query": ["query", "instruments"],
    "query-safe": ["query", "instruments", "--safe"],
    "stats": ["stats"],
    "validate": ["validate"],
    "check-staleness": ["check-staleness"],
    "viz": ["viz", "--out", "{tmp}/v.html"],
    "site": ["site", "--out", "{tmp}/site", "-q"],
    "export": ["export", "-f", "trig", "--out", "{tmp}/x.trig"],
    "publish": ["publish", "--update-endpoint", "{url}"],
}


def _run(args: list[str], url: str, tmp: str, capsys: pytest.CaptureFixture[str]
         ) -> tuple[int, str, float]:
    args = [a.format(tmp=tmp, url=url) for a in args]
    started = time.monotonic()
    code = main(["--endpoint", url, *args])
    took = time.monotonic() - started
    err = capsys.readouterr().err
    return code, err, took


def _one_sentence(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_server_that_is_down(command: str, closed_port: str, tmp_path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, err, _took = _run(COMMANDS[command], closed_port, str(tmp_path), capsys)
    line = _one_sentence(err)
    assert code == 2
    assert closed_port in line and "connection was refused" in line
    assert "check that the server is running" in line


@pytest.mark.parametrize("status", ["500", "503", "403", "404"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_server_that_refuses(command: str, status: str, base: str, tmp_path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{base}/{status}/query"
    code, err, _took = _run(COMMANDS[command], url, str(tmp_path), capsys)
    line = _one_sentence(err)
    assert code == 2
    assert url in line and f"HTTP {status}" in line
    assert f"boom: server says {status} second line" in line  # the server's own words
    advice = {"500": "check the server's log", "503": "try again later",
              "403": "lets you do this", "404": "check the URL"}[status]
    assert advice in line


@pytest.mark.parametrize("command", ["query", "publish"])
def test_a_server_that_is_too_slow(command: str, base: str, tmp_path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{base}/slow/query"
    code, err, took = _run([*COMMANDS[command], "--timeout", "0.5"], url, str(tmp_path), capsys)
    line = _one_sentence(err)
    assert code == 2
    assert url in line and "did not answer within 0.5 s" in line and "--timeout" in line
    assert took < SLOW - 1


@pytest.mark.parametrize("command", ["query", "stats", "validate"])
def test_a_web_page_is_no_sparql_endpoint(command: str, base: str, tmp_path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{base}/html/query"
    code, err, _took = _run(COMMANDS[command], url, str(tmp_path), capsys)
    line = _one_sentence(err)
    assert code == 2 and url in line and "text/html" in line and "query endpoint" in line


@pytest.mark.parametrize("command", ["query", "stats", "publish"])
def test_no_redirect_is_followed(command: str, base: str, tmp_path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{base}/redirect/query"
    code, err, _took = _run(COMMANDS[command], url, str(tmp_path), capsys)
    line = _one_sentence(err)
    assert code == 2 and url in line and "http://example.org/sparql" in line
    assert "follows no redirect" in line


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/sparql", "127.0.0.1:7878/query",
                                 "file:///etc/passwd", "http:///query"])
def test_only_http_urls_are_endpoints(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(EndpointError):
        check_url(url)
    assert main(["--endpoint", url, "query", "instruments"]) == 2
    assert "is not an http:// or https:// URL" in _one_sentence(capsys.readouterr().err)


def test_the_endpoint_from_the_environment(closed_port: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KG_ENDPOINT", closed_port)
    assert main(["stats"]) == 2
    assert closed_port in _one_sentence(capsys.readouterr().err)


def test_serve_refuses_an_endpoint(closed_port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--endpoint", closed_port, "serve"]) == 2
    assert "drop --endpoint" in _one_sentence(capsys.readouterr().err)


def test_publish_needs_an_endpoint(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    assert main(["publish"]) == 2
    assert "--endpoint URL" in _one_sentence(capsys.readouterr().err)


def test_a_publish_that_fails_half_way_says_to_publish_again(
    base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server takes the query and the updates, then refuses the graphs."""
    code = main(["publish", "--endpoint", f"{base}/ok/query", "--update-endpoint",
                 f"{base}/ok/update", "--store-endpoint", f"{base}/500/store", "-q"])
    line = _one_sentence(capsys.readouterr().err)
    assert code == 2
    assert f"{base}/500/store?graph=" in line and "HTTP 500" in line
    assert "holds part of the dataset: run kg publish again" in line


def test_an_answer_that_is_not_http(base: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{base}/garbage/query"
    assert main(["--endpoint", url, "query", "ASK {}"]) == 2
    line = _one_sentence(capsys.readouterr().err)
    assert url in line and "not valid HTTP" in line


def test_an_answer_with_a_header_per_graph(base: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Virtuoso sends one X-SPARQL-named-graph header per graph a query names."""
    assert main(["--endpoint", f"{base}/headers/query", "query", "ASK {}", "-f", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["boolean", "true"]
