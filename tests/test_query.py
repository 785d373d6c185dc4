"""kg.query: prologue, typed parameters, results as values, errors with line and column."""

from __future__ import annotations

import pytest
from conftest import DATA
from rdflib import Literal, URIRef

import kg as kg_api
from kg.cache import Snapshot
from kg.errors import QueryError, UnsafeQueryError
from kg.namespaces import PREFIXES
from kg.query import QueryKind, QueryResult, bind_text, parse_param, parse_params, prepare, run

XSD = "http://www.w3.org/2001/XMLSchema#"
D2011 = URIRef("http://data.europa.eu/eli/dir/2011/36/oj")
D2024 = URIRef("http://data.europa.eu/eli/dir/2024/1712/oj")


@pytest.fixture(scope="module")
def engines(minimal_kg: kg_api.KnowledgeGraph) -> list:
    """The minimal graph on the fixture's store, and the same data in a pyoxigraph Snapshot."""
    return [minimal_kg, Snapshot.from_graph(minimal_kg)]


def test_select_gives_vars_and_rows(engines: list) -> None:
    for target in engines:
        r = run(target, "SELECT ?act ?celex WHERE { ?act eli:id_local ?celex } ORDER BY ?celex")
        assert isinstance(r, QueryResult)
        assert r.kind is QueryKind.SELECT
        assert r.vars == ("act", "celex")
        assert r.rows == ((D2011, Literal("32011L0036")), (D2024, Literal("32024L1712")))
        assert r.as_dicts()[0] == {"act": D2011, "celex": Literal("32011L0036")}
        assert r.column("celex") == [Literal("32011L0036"), Literal("32024L1712")]


def test_result_is_frozen(engines: list) -> None:
    r = run(engines[0], "ASK { ?s ?p ?o }")
    with pytest.raises(AttributeError):
        r.boolean = False  # type: ignore[misc]


def test_xsd_string_literals_are_plain_on_every_engine(engines: list) -> None:
    # Oxigraph returns every plain literal typed xsd:string; rdflib does not.
    for target in engines:
        r = run(target, 'SELECT ?x WHERE { BIND("a"^^xsd:string AS ?x) }')
        assert r.rows == ((Literal("a"),),)
        assert r.rows[0][0].datatype is None


def test_ask_construct_describe(engines: list) -> None:
    for target in engines:
        assert run(target, "ASK { ?a eli:amends ?b }").boolean is True
        c = run(target, "CONSTRUCT { ?b eli:amended_by ?a } WHERE { ?a eli:amends ?b }")
        assert c.kind is QueryKind.CONSTRUCT
        assert c.triples == ((D2011, URIRef(PREFIXES["eli"] + "amended_by"), D2024),)
        d = run(target, f"DESCRIBE <{D2024}>")
        assert d.kind is QueryKind.DESCRIBE
        assert (D2024, URIRef(PREFIXES["eli"] + "amends"), D2011) in d.triples


def test_predeclared_prefixes_and_own_declarations() -> None:
    p = prepare("PREFIX eli: <http://example.org/eli#>\nSELECT * WHERE { ?s eli:x ?o }")
    assert "PREFIX eli: <http://data.europa.eu/eli/ontology#>" not in p.text
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in p.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011-04-15", Literal("2011-04-15", datatype=URIRef(XSD + "date"))),
        ("<http://example.org/x>", URIRef("http://example.org/x")),
        ("https://example.org/x", URIRef("https://example.org/x")),
        ("id:body/unodc", URIRef("https://w3id.org/thb-kg/id/body/unodc")),
        ("eli:amends", URIRef("http://data.europa.eu/eli/ontology#amends")),
        ("42", Literal("42", datatype=URIRef(XSD + "integer"))),
        ("2.5", Literal("2.5", datatype=URIRef(XSD + "decimal"))),
        ("true", Literal("true", datatype=URIRef(XSD + "boolean"))),
        ('"Europol"@en', Literal("Europol", lang="en")),
        ('"7"^^xsd:integer', Literal("7", datatype=URIRef(XSD + "integer"))),
        ('"say \\"hi\\""', Literal('say "hi"')),
        ("Europol", Literal("Europol")),
    ],
)
def test_parse_param_types(text: str, expected: object) -> None:
    assert parse_param(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [("2011-02-30", "date"), ("tomorrow", "date"), ("not an iri", "iri"), ("x", "integer"),
     ("<a b>", None)],
)
def test_parse_param_refuses_bad_values(text: str, kind: str | None) -> None:
    with pytest.raises(QueryError):
        parse_param(text, kind)


def test_parse_params_needs_name_equals_value() -> None:
    assert parse_params(["?asOf=2011-01-01"]) == {"asOf": parse_param("2011-01-01")}
    with pytest.raises(QueryError, match="name=value"):
        parse_params(["2011-01-01"])


def test_params_bind_through_values_not_text(engines: list) -> None:
    query = "SELECT ?act WHERE { ?act eli:date_document ?d FILTER(?d < ?before) }"
    for target in engines:
        assert run(target, query, {"before": "2012-01-01"}).rows == ((D2011,),)
        assert run(target, query, {"before": "2011-01-01"}).rows == ()


def test_hostile_parameter_value_stays_a_literal(engines: list) -> None:
    evil = '" } ; DROP ALL ; SELECT * { ?s ?p ?o } #'
    for target in engines:
        r = run(target, "SELECT ?x WHERE { BIND(STRLEN(?v) AS ?x) }", {"v": Literal(evil)})
        assert r.rows == ((Literal(len(evil)),),)


def test_binding_reaches_filters_in_optional_and_not_exists(engines: list) -> None:
    query = """SELECT ?act WHERE {
      ?act a eli:LegalResource ; eli:first_date_entry_in_force ?start .
      FILTER(?start <= ?asOf)
      FILTER NOT EXISTS { ?act eli:date_no_longer_in_force ?end FILTER(?end < ?asOf) }
    }"""
    for target in engines:
        assert run(target, query, as_of="2011-04-15").rows == ((D2011,),)
        assert run(target, query, as_of="2011-04-14").rows == ()


def test_binding_a_sub_select_query(engines: list) -> None:
    query = "SELECT ?a WHERE { SELECT ?a ?b WHERE { ?a eli:amends ?b } }"
    for target in engines:
        assert run(target, query, {"b": D2011}).rows == ((D2024,),)


def test_binding_construct_and_describe(engines: list) -> None:
    for target in engines:
        c = run(target, "CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }", {"a": D2024, "p": URIRef(
            PREFIXES["eli"] + "amends")})
        assert len(c.triples) == 1
        d = run(target, "DESCRIBE ?x", {"x": D2024})
        assert d.kind is QueryKind.DESCRIBE and len(d) > 0


def test_unused_parameter_is_an_error(engines: list) -> None:
    with pytest.raises(QueryError, match=r"\?nope does not occur"):
        run(engines[0], "SELECT * WHERE { ?s ?p ?o }", {"nope": "1"})


def test_bind_text_shows_the_bound_query() -> None:
    text = bind_text("SELECT ?s WHERE {\n  ?s ?p ?o }", {"o": Literal("x")})
    # bound in scope, as kg query binds it: the term in place as well as the VALUES
    assert text == 'SELECT ?s WHERE { VALUES (?o) { ("x") }\n  ?s ?p "x" }'


def test_syntax_error_has_line_column_and_caret(engines: list) -> None:
    for target in engines:
        with pytest.raises(QueryError) as info:
            run(target, "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }")
        err = info.value
        assert err.line == 4
        assert err.column is not None
        assert "FILTER(?o = ) }" in str(err)
        assert str(err).splitlines()[-1].strip() == "^"


def test_syntax_error_position_ignores_the_values_clause(engines: list) -> None:
    for target in engines:
        with pytest.raises(QueryError) as info:
            run(target, "SELECT ?s WHERE { ?s ?p ?x . FILTER(?x = ) }", {"x": "1"})
        assert info.value.line == 1
        assert info.value.column is not None and 29 <= info.value.column <= 45  # in the original


def test_unknown_prefix_is_named(engines: list) -> None:
    with pytest.raises(QueryError) as info:
        run(engines[0], "SELECT * WHERE {\n  ?s foo:bar ?o }")
    assert "'foo:'" in str(info.value)
    assert (info.value.line, info.value.column) == (2, 6)


def test_updates_are_refused(engines: list) -> None:
    for text in ("INSERT DATA { <a:b> <a:c> <a:d> }", "DELETE WHERE { ?s ?p ?o }",
                 "LOAD <file:///etc/passwd>", "CLEAR ALL", "DROP GRAPH <a:b>"):
        with pytest.raises(UnsafeQueryError, match="read-only"):
            run(engines[0], text)


def test_deep_nesting_is_a_query_error(engines: list) -> None:
    text = "SELECT * WHERE " + "{ " * 60 + "?s ?p ?o" + " }" * 60
    try:
        run(engines[0], text)
    except QueryError:
        pass  # a clear error, not a RecursionError


def test_max_rows_truncates(engines: list) -> None:
    for target in engines:
        r = run(target, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=3)
        assert len(r.rows) == 3 and r.truncated


def test_labels_prefer_english_pref_label(minimal_kg: kg_api.KnowledgeGraph) -> None:
    from kg.query import labels

    names = labels(minimal_kg, [URIRef("https://w3id.org/thb-kg/id/body/example-body"), D2011])
    assert names[URIRef("https://w3id.org/thb-kg/id/body/example-body")] == "Example body"
    assert names[D2011] == "Directive 2011/36/EU"  # dct:title when no prefLabel


def test_snapshot_file_round_trip(tmp_path, minimal_kg: kg_api.KnowledgeGraph) -> None:
    from kg.cache import write_nquads

    path = tmp_path / "g.nq"
    write_nquads(minimal_kg, path)
    snap = Snapshot.from_file(path)
    q = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    assert run(snap, q).rows == run(Snapshot.from_graph(minimal_kg), q).rows
    assert run(snap, "SELECT ?t WHERE { graph:example-source dct:title ?t }").rows == (
        (Literal("Example source for tests", lang="en"),),
    )


def test_cache_key_follows_the_input_bytes(tmp_path) -> None:
    from kg.cache import cache_key

    data = tmp_path / "data"
    data.mkdir()
    src = (DATA / "minimal" / "example-source.trig").read_text()
    (data / "a.trig").write_text(src)
    k1 = cache_key(data)
    assert cache_key(data) == k1
    assert cache_key(data, infer=False) != k1
    (data / "a.trig").write_text(src + "\n# changed\n")
    assert cache_key(data) != k1


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", ("s", "p", "o")),
        ("SELECT DISTINCT * WHERE { ?s ?p ?o . OPTIONAL { ?o ?q ?z } }", ("s", "p", "o", "q", "z")),
        ("SELECT * WHERE { GRAPH ?g { ?act eli:id_local ?celex } }", ("g", "act", "celex")),
    ],
)
def test_select_star_columns_in_order_of_first_appearance(minimal_kg, text: str, columns) -> None:
    """One column order on every engine (rdflib gave s,o,p and Oxigraph o,p,s)."""
    from kg.cache import Snapshot

    for target in (minimal_kg, Snapshot.from_graph(minimal_kg)):
        assert run(target, text).vars == columns


IN_GRAPH = ("SELECT DISTINCT ?i WHERE { GRAPH ?g { ?i eli:first_date_entry_in_force ?d "
            "FILTER(?d <= ?asOf) } }")


@pytest.mark.parametrize(
    "text",
    [
        IN_GRAPH,  # the filter runs inside GRAPH, before a join with an outer VALUES
        "SELECT ?i WHERE { ?i eli:first_date_entry_in_force ?d "
        "MINUS { ?i eli:first_date_entry_in_force ?d2 FILTER(?d2 > ?asOf) } }",
        "SELECT ?i WHERE { { SELECT ?i WHERE { ?i eli:first_date_entry_in_force ?d "
        "FILTER(?d <= ?asOf) } } }",
        "SELECT ?i ?asOf WHERE { OPTIONAL { ?i eli:first_date_entry_in_force ?d } "
        "FILTER(BOUND(?d) && ?d <= ?asOf) }",
    ],
)
def test_a_parameter_is_in_scope_wherever_the_query_uses_it(minimal_kg, text: str) -> None:
    """Issue 11, item 4: --as-of bound by a top-level VALUES gave 0 rows here, silently."""
    from kg.cache import Snapshot

    for target in (minimal_kg, Snapshot.from_graph(minimal_kg)):
        before = run(target, text, as_of="2012-01-01")
        assert [str(r[0]) for r in before.rows] == ["http://data.europa.eu/eli/dir/2011/36/oj"]
        assert run(target, text, as_of="2011-01-01").rows == ()


def test_the_parameter_column_shows_its_value(minimal_kg) -> None:
    r = run(minimal_kg, "SELECT ?asOf WHERE { ?s ?p ?o FILTER(?o != ?asOf) } LIMIT 1",
            as_of="2012-01-01")
    assert str(r.rows[0][0]) == "2012-01-01"


@pytest.mark.parametrize(
    "text",
    ["SELECT ?x WHERE { BIND(1 AS ?asOf) ?s ?p ?x }",
     "SELECT ?x WHERE { VALUES ?asOf { 1 } ?s ?p ?x }"],
)
def test_a_query_that_binds_the_parameter_itself_is_refused(minimal_kg, text: str) -> None:
    with pytest.raises(QueryError, match=r"binds \?asOf itself") as info:
        run(minimal_kg, text, as_of="2012-01-01")
    assert info.value.line == 1 and info.value.column is not None


def test_cli_as_of_in_a_graph_filter(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "kg", "--data", str(DATA / "minimal"), "query", IN_GRAPH,
                        "--as-of", "2012-01-01", "-f", "csv"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["i", "http://data.europa.eu/eli/dir/2011/36/oj"]
