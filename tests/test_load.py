"""Loading: the shipped graph on each store, and clear errors for bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kg as kg_api
from kg.graph import INFERRED_GRAPH, ONTOLOGY_GRAPH

MINIMAL = Path(__file__).parent / "data" / "minimal"

MALFORMED = {
    "unterminated string": (
        '@prefix ex: <https://example.org/> .\nex:g {\n  ex:a ex:b ex:c .\n  ex:a ex:b "oops .\n}\n',
        4,
    ),
    "missing dot": (
        "@prefix ex: <https://example.org/> .\nex:g {\n  ex:a ex:b ex:c\n  ex:d ex:e ex:f .\n}\n",
        4,
    ),
    "unknown prefix": (
        "@prefix ex: <https://example.org/> .\n\nex:g {\n  ex:a nope:b ex:c .\n}\n",
        4,
    ),
}


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120
    )


def test_shipped_graph_loads_with_sources(kg: kg_api.KnowledgeGraph) -> None:
    sources = kg.source_graphs()
    assert len(sources) >= 2
    assert ONTOLOGY_GRAPH not in sources and INFERRED_GRAPH not in sources
    assert len(kg.files) >= len(sources) - 1


def test_both_stores_hold_the_same_quads() -> None:
    memory = kg_api.load(store="memory")
    oxigraph = kg_api.load(store="oxigraph")
    assert len(memory.dataset) == len(oxigraph.dataset)
    assert memory.source_graphs() == oxigraph.source_graphs()
    assert memory.inferred == oxigraph.inferred


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_names_file_and_line(tmp_path: Path, store: str, case: str) -> None:
    text, line = MALFORMED[case]
    (tmp_path / "bad.trig").write_text(text)
    with pytest.raises(kg_api.DataFileError) as err:
        kg_api.load(tmp_path, store=store)
    assert err.value.path.name == "bad.trig"
    assert err.value.line == line
    assert f"bad.trig, line {line}" in str(err.value)


def test_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    depth = 2000
    (tmp_path / "deep.ttl").write_text(
        "@prefix ex: <https://example.org/> .\nex:a ex:b "
        + "[ ex:c " * depth
        + "ex:d"
        + " ]" * depth
        + " .\n"
    )
    with pytest.raises(kg_api.DataFileError) as err:
        kg_api.load(tmp_path)
    assert "deep.ttl" in str(err.value)


def test_cli_malformed_exit_2_without_traceback(tmp_path: Path) -> None:
    text, line = MALFORMED["unterminated string"]
    (tmp_path / "bad.trig").write_text(text)
    result = run_kg("--data", str(tmp_path), "validate")
    assert result.returncode == 2
    assert f"bad.trig, line {line}" in result.stderr
    assert "Traceback" not in result.stderr
    debug = run_kg("--debug", "--data", str(tmp_path), "validate")
    assert debug.returncode == 2 and "Traceback" in debug.stderr


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--data", "/nonexistent/thb-data", "stats"], "does not exist"),
        (["--store", "nosuchstore", "stats"], "Unknown store 'nosuchstore'"),
        (["export", "--format", "docx", "--out", "x.docx"], "Unknown export format 'docx'"),
    ],
    ids=["missing folder", "unknown store", "unknown format"],
)
def test_cli_bad_input_one_sentence_exit_2(args: list[str], sentence: str) -> None:
    result = run_kg(*args)
    assert result.returncode == 2
    assert sentence in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    result = run_kg("--data", str(tmp_path), "stats")
    assert result.returncode == 2
    assert "holds no .trig" in result.stderr


def test_cli_validate_conforms_on_shipped_data() -> None:
    result = run_kg("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "conforms"


def test_cli_validate_reports_violation_exit_1(tmp_path: Path) -> None:
    shutil.copy(MINIMAL / "example-source.trig", tmp_path)
    text = (MINIMAL / "example-source.trig").read_text()
    (tmp_path / "example-source.trig").write_text(
        text.replace('eli:id_local "32011L0036"', 'eli:id_local "2011/36/EU"')
    )
    result = run_kg("--data", str(tmp_path), "validate")
    assert result.returncode == 1
    out = result.stdout
    assert "focus: http://data.europa.eu/eli/dir/2011/36/oj" in out
    assert "path: eli:id_local" in out
    assert "CELEX" in out
    assert "source graph: https://w3id.org/thb-kg/graph/example-source" in out


def test_cli_stats_lists_every_source_graph(kg: kg_api.KnowledgeGraph) -> None:
    result = run_kg("stats")
    assert result.returncode == 0
    for graph in kg.source_graphs():
        assert str(graph) in result.stdout
    assert "total" in result.stdout
    assert "eli:LegalResource" in result.stdout


def test_user_data_folder_replaces_shipped_one() -> None:
    result = run_kg("--data", str(MINIMAL), "stats")
    assert result.returncode == 0
    assert "graph/example-source" in result.stdout
    assert "graph/seed-article" not in result.stdout
