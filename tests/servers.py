"""The SPARQL servers the backend tests run against, from the environment.

``scripts/servers start`` starts each server on 127.0.0.1 with a throwaway
database and writes its URLs as ``KG_TEST_<NAME>_QUERY``, ``_UPDATE`` and
``_STORE`` (the query, SPARQL Update and Graph Store Protocol endpoints).
A server whose variables are absent is skipped, unless
``KG_REQUIRE_SERVERS=1`` (CI), where that is a failure: CI must test both.

One more server the tests start themselves (:func:`own_oxigraph`): Oxigraph
with ``--union-default-graph``, whose default graph includes its named
graphs, as Virtuoso's does, so that the way ``kg`` queries such a server
(the dataset named in each request) is tested wherever the ``oxigraph``
binary is installed, whatever the environment says.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

#: The servers we test, by the name in their variables.
NAMES = ("oxigraph", "virtuoso")
#: The server the tests start themselves.
OWN = "oxigraph-union-default"
REQUIRE_ENV = "KG_REQUIRE_SERVERS"


@dataclass(frozen=True)
class Server:
    """One running server's endpoints."""

    name: str
    query: str
    update: str
    store: str


def variables(name: str) -> dict[str, str]:
    prefix = f"KG_TEST_{name.upper()}_"
    return {part: f"{prefix}{part.upper()}" for part in ("query", "update", "store")}


def server(name: str) -> Server:
    """The server ``name`` from the environment; skipped (or failed, when required) if absent."""
    names = variables(name)
    missing = [var for var in names.values() if not os.environ.get(var)]
    if missing:
        message = f"{name} server not configured: set {', '.join(missing)} (scripts/servers start)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message}; {REQUIRE_ENV}=1 requires it")
        pytest.skip(message)
    return Server(name, **{part: os.environ[var] for part, var in names.items()})


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def own_oxigraph(folder: Path) -> Iterator[Server]:
    """An Oxigraph server with ``--union-default-graph`` on 127.0.0.1, a new database in
    ``folder``, stopped afterwards; skipped (failed when required) without the binary."""
    binary = oxigraph_binary()
    if binary is None:
        message = "the oxigraph binary is not installed (pip install oxigraph)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message}; {REQUIRE_ENV}=1 requires it")
        pytest.skip(message)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("the Oxigraph server did not start within 15 s")
        base = f"http://127.0.0.1:{port}"
        yield Server(OWN, f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
