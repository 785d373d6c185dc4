"""kg.safety and kg.worker: refuse what a public endpoint must not run; stop runaway queries."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib.plugins.sparql
from conftest import DATA

from kg.errors import QueryError, QueryTimeoutError, UnsafeQueryError
from kg.query import prepare, run
from kg.safety import Policy, check

MINIMAL = DATA / "minimal"
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)


def _check(text: str, policy: Policy | None = None) -> None:
    check(prepare(text).text, policy or Policy())


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <http://x.example/> { ?s ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } } }",
        "SELECT * WHERE { FILTER EXISTS { SERVICE <http://x.example/> { ?s ?p ?o } } }",
        "SELECT * WHERE { GRAPH ?g { MINUS { SERVICE <http://x.example/> { ?s ?p ?o } } } }",
        "SELECT * WHERE { BIND(<http://x.example/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        "ASK { SERVICE <http://x.example/> { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_wherever_it_hides(text: str) -> None:
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        _check(text)


def test_service_on_the_allow_list_passes() -> None:
    policy = Policy(allow=frozenset({"http://allowed.example/sparql"}))
    _check("SELECT * WHERE { SERVICE <http://allowed.example/sparql> { ?s ?p ?o } }", policy)
    with pytest.raises(UnsafeQueryError):
        _check("SELECT * WHERE { SERVICE <http://other.example/sparql> { ?s ?p ?o } }", policy)
    prefix = Policy(allow=frozenset({"http://allowed.example/"}))
    _check("SELECT * WHERE { SERVICE <http://allowed.example/a> { ?s ?p ?o } }", prefix)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
        "ASK FROM <file:///etc/hosts> { ?s ?p ?o }",
    ],
)
def test_from_outside_our_graphs_is_refused(text: str) -> None:
    with pytest.raises(UnsafeQueryError, match="FROM"):
        _check(text)


def test_from_our_own_graph_passes() -> None:
    _check("SELECT * FROM <https://w3id.org/thb-kg/graph/seed-article> WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    "text",
    ["INSERT DATA { <a:b> <a:c> <a:d> }", "LOAD <file:///etc/passwd>", "CLEAR DEFAULT",
     "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "PREFIX ex: <http://example.org/> INSERT { ex:a ex:b ex:c } WHERE {}"],
)
def test_updates_are_refused(text: str) -> None:
    with pytest.raises(UnsafeQueryError, match="read-only"):
        check(text, Policy())


def test_rdflib_never_loads_from_graphs() -> None:
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


def test_syntax_error_under_policy_has_position() -> None:
    p = prepare("SELECT * WHERE {\n ?s ?p \n}")
    with pytest.raises(QueryError) as info:
        check(p.text, Policy(), source=p)
    assert info.value.line is not None and info.value.line <= 3


def test_deep_nesting_is_a_clear_error() -> None:
    text = "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200
    with pytest.raises(QueryError):
        _check(text)


def test_policy_run_caps_rows(minimal_kg) -> None:
    r = run(minimal_kg, "SELECT * WHERE { ?s ?p ?o }", policy=Policy(max_rows=2))
    assert len(r.rows) == 2 and r.truncated


def test_service_is_refused_without_any_network_call(minimal_kg) -> None:
    """A listener on 127.0.0.1 sees no connection when SERVICE points at it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        with pytest.raises(UnsafeQueryError):
            run(minimal_kg, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                policy=Policy())
        with pytest.raises(socket.timeout):
            listener.accept()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    from kg.cache import write_nquads
    from kg.graph import load

    path = tmp_path_factory.mktemp("snap") / "minimal.nq"
    write_nquads(load(MINIMAL), path)
    return path


@pytest.mark.parametrize("store", ["pyoxigraph", "memory"])
def test_worker_stops_a_runaway_query_at_the_limit(snapshot: Path, store: str) -> None:
    from kg.worker import WorkerPool

    pool = WorkerPool(snapshot, store, timeout=1.0, size=1, max_size=2)
    try:
        pool.wait_ready()
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="1 s"):
            run(pool, SLOW, policy=Policy(timeout=1.0))
        elapsed = time.monotonic() - started
        assert elapsed < 2.5, f"stopped after {elapsed:.2f} s"
        # the pool starts a fresh worker and keeps answering
        assert run(pool, "ASK { ?s ?p ?o }").boolean is True
    finally:
        pool.close()


def test_worker_answers_and_reports_errors(snapshot: Path) -> None:
    from kg.worker import run_limited

    r = run_limited(snapshot, "SELECT ?a WHERE { ?a eli:amends ?b }")
    assert [str(x[0]) for x in r.rows] == ["http://data.europa.eu/eli/dir/2024/1712/oj"]
    with pytest.raises(UnsafeQueryError):
        run_limited(snapshot, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_worker_is_killed_and_reaped(snapshot: Path) -> None:
    from kg.worker import Worker

    w = Worker(snapshot)
    w.wait_ready()
    pid = w.process.pid
    with pytest.raises(QueryTimeoutError):
        w.execute(SLOW, timeout=0.5)
    assert not w.alive
    assert w.process.returncode == -9  # SIGKILL
    with pytest.raises(ProcessLookupError):
        import os

        os.kill(pid, 0)


def test_cli_safe_refuses_and_times_out(tmp_path) -> None:
    env_cache = {"KG_CACHE_DIR": str(tmp_path / "cache")}
    import os

    env = {**os.environ, **env_cache}
    base = [sys.executable, "-m", "kg", "--data", str(MINIMAL), "query", "--safe"]
    r = subprocess.run([*base, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert "SERVICE" in r.stderr and "Traceback" not in r.stderr
    started = time.monotonic()
    r = subprocess.run([*base, "--timeout", "1", SLOW], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 2
    assert "stopped after 1 s" in r.stderr
    assert time.monotonic() - started < 15
    r = subprocess.run([*base, "--max-rows", "2", "SELECT * WHERE { ?s ?p ?o }", "-f", "csv"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0
    assert len(r.stdout.strip().splitlines()) == 3  # header + 2 rows
    assert "row cap" in r.stderr


def test_the_word_service_in_strings_comments_and_names_is_fine() -> None:
    _check('SELECT ?service WHERE { ?service rdfs:label "SERVICE <http://x.example/>" }'
           "  # SERVICE <http://x.example/>")


def test_construct_is_capped_too(minimal_kg) -> None:
    from kg.cache import Snapshot

    for target in (minimal_kg, Snapshot.from_graph(minimal_kg)):
        r = run(target, "CONSTRUCT WHERE { ?s ?p ?o }", policy=Policy(max_rows=3))
        assert len(r.triples) == 3 and r.truncated


def test_nesting_that_would_crash_oxigraph_is_refused_first(minimal_kg) -> None:
    """pyoxigraph's parser dies with SIGSEGV on ~10,000 nested braces: we never hand it such."""
    from kg.cache import Snapshot

    snap = Snapshot.from_graph(minimal_kg)
    n = 20_000
    with pytest.raises(QueryError, match="nests"):
        run(snap, "SELECT * WHERE " + "{ " * n + "?s ?p ?o" + " }" * n)
    with pytest.raises(QueryError, match="nests"):
        run(snap, "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }")
    assert run(snap, "SELECT * WHERE " + "{ " * 30 + "?s ?p ?o" + " }" * 30).vars


# Issue 14, defect 1: text that one parser reads as a comment, a name or an escape and
# another as SERVICE or FROM. Each was run by Oxigraph (or rdflib) past the old check.
HIDDEN_SERVICE = [
    # Oxigraph ends a comment at CR, rdflib and the old lexer only at LF (the reported case)
    "SELECT * WHERE { # x\r SERVICE <http://127.0.0.1:8765/ssrf> { ?s ?p ?o } \n}",
    "SELECT * WHERE { # x\r\n SERVICE <http://127.0.0.1:8765/ssrf> { ?s ?p ?o } }",
    # Oxigraph reads SERVICE:x as the keyword and the IRI :x
    "PREFIX : <http://127.0.0.1:8765/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:8765/> SELECT * WHERE { SERVICE SILENT:x { ?s ?p ?o } }",
    # rdflib reads codepoint escapes anywhere, before parsing
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:8765/> { ?s ?p ?o } }",
    # a prefixed name (was a 500 from the server, a traceback from the CLI)
    "PREFIX ex: <http://127.0.0.1:8765/> SELECT * WHERE { SERVICE ex:x { ?s ?p ?o } }",
]
HIDDEN_FROM = [
    "PREFIX : <http://127.0.0.1:8765/> SELECT * FROM:g WHERE { ?s ?p ?o }",
    "SELECT * # x\r FROM <file:///etc/passwd>\n WHERE { ?s ?p ?o }",
    "SELECT * \\u0046ROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("text", HIDDEN_SERVICE)
def test_service_hidden_from_one_parser_is_refused(text: str) -> None:
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        _check(text)


@pytest.mark.parametrize("text", HIDDEN_FROM)
def test_from_hidden_from_one_parser_is_refused(text: str) -> None:
    with pytest.raises(UnsafeQueryError, match="FROM"):
        _check(text)


@pytest.mark.parametrize("text", HIDDEN_SERVICE + HIDDEN_FROM)
def test_token_check_alone_refuses_hidden_clauses(text: str) -> None:
    """The cheap check on the engine's exact text catches them without rdflib's parser."""
    from kg.safety import check_tokens

    with pytest.raises(UnsafeQueryError):
        check_tokens(prepare(text).text, Policy())


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o } # comment ending in CR\r",
        'SELECT * WHERE { ?s rdfs:label "SERVICE <http://x/> \\u0041" }',
        "SELECT * WHERE { ?s ?p ?o FILTER(?o != <urn:a\\u0062>) }",
    ],
)
def test_harmless_comments_escapes_and_names_pass(text: str) -> None:
    _check(text)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("SELECT * WHERE { \\uD800 }", "not a Unicode character"),
        ("SELECT * WHERE { ?s ?p \"\\u005Cu0041\" }", "another escape"),
        ("SELECT * WHERE { ?s ?p " + "[ ?p " * 5_000 + "?o" + " ]" * 5_000 + " }", "nests"),
        ("SELECT (" + "+".join(["1"] * 49_000) + " AS ?x) WHERE { }", "operators"),
    ],
)
def test_texts_that_crash_or_split_the_parsers_are_clear_errors(text: str, match: str) -> None:
    with pytest.raises(QueryError, match=match):
        prepare(text)


@pytest.mark.parametrize("flags", [[], ["--unsafe"]])
@pytest.mark.parametrize("store", ["memory", "oxigraph", "pyoxigraph"])
def test_from_a_file_reads_no_file_on_any_store(tmp_path, store: str, flags: list[str]) -> None:
    """Issue 14, defect 9: `--store memory` returned a FROM <file://...>'s contents; FROM only
    names graphs of the dataset, on every store, even with --unsafe."""
    import os

    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:secret> <urn:p> <urn:o> .\n")
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(MINIMAL), "--store", store, "query", *flags,
         f"SELECT ?s FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
         "-f", "csv"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "urn:secret" not in r.stdout
    assert r.stdout.strip() == "s"  # no such graph in the dataset: no rows
