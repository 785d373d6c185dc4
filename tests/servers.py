"""The SPARQL servers the backend tests run against, from the environment.

``scripts/servers start`` starts each server on 127.0.0.1 with a throwaway
database and writes its URLs as ``KG_TEST_<NAME>_QUERY``, ``_UPDATE`` and
``_STORE`` (the query, SPARQL Update and Graph Store Protocol endpoints).
A server whose variables are absent is skipped, unless
``KG_REQUIRE_SERVERS=1`` (CI), where that is a failure: CI must test both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

#: The servers we test, by the name in their variables.
NAMES = ("oxigraph", "virtuoso")
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
