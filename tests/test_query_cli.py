"""`kg query`, `kg queries`, `kg prefixes` from the command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.cli import main
from kg.formats import RDF_FORMATS, RESULT_FORMATS
from kg.library import list_queries
from kg.namespaces import PREFIXES

MINIMAL = str(DATA / "minimal")
SELECT = "SELECT ?act ?celex ?date WHERE { ?act eli:id_local ?celex OPTIONAL { ?act eli:date_document ?date } } ORDER BY ?celex"  # noqa: E501
D2011 = "http://data.europa.eu/eli/dir/2011/36/oj"


pytestmark = pytest.mark.usefixtures("kg_cache_dir")


def kg(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--data", MINIMAL, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_inline_query_prints_an_aligned_table_with_labels(capsys) -> None:
    code, out, _ = kg(capsys, "query", SELECT)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["act", "celex", "date"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert "Directive 2011/36/EU" in lines[2] and "32011L0036" in lines[2]
    assert lines[-1] == "(2 rows)"


def test_query_from_a_file_and_from_stdin(capsys, tmp_path, monkeypatch) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?celex WHERE { ?a eli:id_local ?celex } ORDER BY ?celex\n")
    code, out, _ = kg(capsys, "query", str(rq), "-f", "csv")
    assert code == 0 and out.splitlines() == ["celex", "32011L0036", "32024L1712"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("ASK { ?a eli:amends ?b }"))
    code, out, _ = kg(capsys, "query", "-")
    assert (code, out.strip()) == (0, "true")


def test_a_long_one_line_query_is_a_query_not_a_file_name(capsys) -> None:
    """Longer than a file name may be (255 bytes): once a traceback (ENAMETOOLONG)."""
    long_query = SELECT.replace("WHERE {", "WHERE { " + "FILTER(true) " * 30)
    assert len(long_query) > 300 and "\n" not in long_query
    code, out, err = kg(capsys, "query", long_query, "-f", "csv")
    assert (code, err) == (0, "")
    assert out == kg(capsys, "query", SELECT, "-f", "csv")[1]
    assert f"{D2011},32011L0036" in out


def test_library_query_by_name_with_as_of(capsys) -> None:
    code, out, _ = kg(capsys, "query", "in-force", "--as-of", "2011-04-15", "-f", "csv")
    assert code == 0
    assert D2011 in out
    code, out, _ = kg(capsys, "query", "in-force", "--as-of", "2011-04-14", "-f", "csv")
    assert D2011 not in out


def test_library_params_are_typed_by_the_header(capsys) -> None:
    code, out, _ = kg(capsys, "query", "lineage", "--param", f"instrument={D2011}", "-f", "tsv")
    assert code == 0
    assert "<http://data.europa.eu/eli/ontology#amended_by>" in out
    code, _, err = kg(capsys, "query", "lineage", "--param", "nope=1")
    assert code == 2 and "no parameter 'nope'" in err


def test_param_binds_typed_values(capsys) -> None:
    q = "SELECT ?act WHERE { ?act eli:date_document ?d FILTER(?d >= ?since) }"
    code, out, _ = kg(capsys, "query", q, "--param", "since=2011-01-01", "-f", "csv")
    assert code == 0 and out.splitlines() == ["act", D2011]


def test_unknown_library_name_lists_close_matches() -> None:
    r = subprocess.run([sys.executable, "-m", "kg", "--data", MINIMAL, "query", "in-forse"],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "KG_CACHE_DIR": os.environ["KG_CACHE_DIR"]})
    assert r.returncode == 2
    assert "in-force" in r.stderr and "Did you mean" in r.stderr
    assert "Traceback" not in r.stderr


def test_syntax_error_exit_2_with_caret_and_no_traceback() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "kg", "--data", MINIMAL, "query", "SELECT ?s WHERE {\n ?s ?p ?o .\n FILTER(?o = ) }"],  # noqa: E501
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "KG_CACHE_DIR": os.environ["KG_CACHE_DIR"]},
    )
    assert r.returncode == 2
    assert "line 3" in r.stderr and "FILTER(?o = ) }" in r.stderr
    assert r.stderr.rstrip().endswith("^")
    assert "Traceback" not in r.stderr


def test_unknown_prefix_is_named_on_the_cli(capsys) -> None:
    code, _, err = kg(capsys, "query", "SELECT * WHERE { ?s nope:x ?o }")
    assert code == 2 and "'nope:'" in err


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_w3c_result_formats_parse_back(capsys, fmt: str) -> None:
    code, out, _ = kg(capsys, "query", SELECT, "-f", fmt)
    assert code == 0
    parsed = Result.parse(io.BytesIO(out.encode("utf-8")), format=fmt)
    rows = [[str(t) if t is not None else None for t in row] for row in parsed]
    assert [str(v) for v in parsed.vars] == ["act", "celex", "date"]
    assert rows[0][:2] == [D2011, "32011L0036"]
    assert rows[0][2] == "2011-04-05"
    assert rows[1][2] is None or rows[1][2] == ""


def test_json_is_the_w3c_shape(capsys) -> None:
    _, out, _ = kg(capsys, "query", SELECT, "-f", "json")
    doc = json.loads(out)
    assert doc["head"]["vars"] == ["act", "celex", "date"]
    first = doc["results"]["bindings"][0]
    assert first["act"] == {"type": "uri", "value": D2011}
    assert first["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert "date" not in doc["results"]["bindings"][1]


def test_markdown(capsys) -> None:
    _, out, _ = kg(capsys, "query", SELECT, "-f", "md")
    assert out.splitlines()[0] == "| act | celex | date |"
    assert "| Directive 2011/36/EU | 32011L0036 | 2011-04-05 |" in out


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig", "nquads"])
def test_construct_gives_rdf(capsys, fmt: str) -> None:
    q = "CONSTRUCT { ?b eli:amended_by ?a } WHERE { ?a eli:amends ?b }"
    code, out, _ = kg(capsys, "query", q, "-f", fmt)
    assert code == 0
    spec = RDF_FORMATS[fmt]
    g = Dataset() if spec.quads else Graph()
    g.parse(data=out, format=spec.rdflib_name)
    assert (URIRef(D2011), URIRef(PREFIXES["eli"] + "amended_by"),
            URIRef("http://data.europa.eu/eli/dir/2024/1712/oj")) in set(
        (s, p, o) for s, p, o, *_ in (g.quads() if spec.quads else g))


def test_rows_format_for_a_graph_query_is_refused(capsys) -> None:
    code, _, err = kg(capsys, "query", "CONSTRUCT WHERE { ?s ?p ?o }", "-f", "csv")
    assert code == 2 and "gives triples" in err
    code, _, err = kg(capsys, "query", SELECT, "-f", "turtle")
    assert code == 2 and "gives rows" in err
    code, _, err = kg(capsys, "query", SELECT, "-f", "yaml")
    assert code == 2 and "Unknown format" in err


def test_out_writes_atomically_and_infers_format(capsys, tmp_path) -> None:
    target = tmp_path / "answer.csv"
    code, out, err = kg(capsys, "query", SELECT, "--out", str(target))
    assert code == 0 and out == ""
    assert target.read_bytes().startswith(b"act,celex,date\r\n")
    assert "wrote" in err
    before = target.read_bytes()
    code, _, _ = kg(capsys, "query", "SELECT ?s WHERE { ?s ?p }", "--out", str(target))
    assert code == 2
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["answer.csv"]  # no temp file left


def test_every_store_gives_the_same_answer(capsys) -> None:
    outputs = set()
    for store in ("memory", "oxigraph", "pyoxigraph"):
        code = main(["--data", MINIMAL, "--store", store, "query", SELECT, "-f", "tsv"])
        out = capsys.readouterr().out
        assert code == 0
        outputs.add(out)
    assert len(outputs) == 1


def test_prefixes_lists_every_predeclared_prefix(capsys) -> None:
    code = main(["prefixes"])
    out = capsys.readouterr().out
    assert code == 0
    for prefix, iri in PREFIXES.items():
        assert f"{prefix}:" in out and iri in out
    for standard in ("eli", "org", "skos", "prov", "dct", "foaf", "time", "qb", "schema", "thb"):
        assert f"{standard}:" in out


def test_queries_lists_and_shows(capsys) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == len(list_queries()) == 22
    assert "in-force" in out and "Instruments in force on a date" in out
    assert main(["queries", "show", "in-force"]) == 0
    out = capsys.readouterr().out
    assert "Which instruments were in force on a given date?" in out
    assert "--param asOf=<date> (default" in out
    assert "first_date_entry_in_force" in out
    assert main(["queries", "show", "conflict"]) == 2
    assert "conflicts" in capsys.readouterr().err


def test_cached_snapshot_is_reused(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    assert main(["--data", MINIMAL, "query", "ASK { ?s ?p ?o }"]) == 0
    files = list(Path(tmp_path).glob("graph-*.nq"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    assert main(["--data", MINIMAL, "query", "ASK { ?s ?p ?o }"]) == 0
    assert files[0].stat().st_mtime_ns == stamp
    capsys.readouterr()


def test_result_formats_table_is_complete() -> None:
    assert set(RESULT_FORMATS) == {"table", "csv", "tsv", "json", "xml", "md"}
    assert RESULT_FORMATS["json"].media_type == "application/sparql-results+json"
    assert RESULT_FORMATS["xml"].media_type == "application/sparql-results+xml"
    assert RESULT_FORMATS["tsv"].media_type == "text/tab-separated-values"
