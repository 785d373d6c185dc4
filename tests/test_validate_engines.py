"""pySHACL and the SPARQL validator (kg/validation/) give the same report.

For every targeted shape of ontology/shapes.ttl, a copy of the shipped data is
mutated to break each of its constraints (tests/shape_mutations.py, generated
from the shapes: a new constraint gets a case, or fails here); the shipped data
as it is; generated data (benchmarks/synth.py) as it is and with every
constraint broken. Both engines must give the same violations (focus, path,
value, severity, shape, message, source graphs), in the same order.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from shape_mutations import Data, break_shape, constraints

import kg as kg_api
from kg.graph import SHAPES_FILE
from kg.validate import Engine, ValidationReport, default_engine, validate
from kg.validation.report import path_text, report_namespaces
from kg.validation.shapes import UnsupportedShapeError, targeted_shapes

ROOT = Path(__file__).resolve().parents[1]
DATA, ONTOLOGY = ROOT / "graph_data", ROOT / "ontology"
SHAPES = Graph().parse(ONTOLOGY / SHAPES_FILE)
TOPS = targeted_shapes(SHAPES)


def _both(graph: kg_api.KnowledgeGraph) -> tuple[ValidationReport, ValidationReport]:
    return validate(graph, engine=Engine.PYSHACL), validate(graph, engine=Engine.SPARQL)


def _same(sparql: ValidationReport, pyshacl: ValidationReport) -> None:
    """The same report; on failure, the violations only one engine gave."""
    only_sparql = [v for v in sparql.violations if v not in pyshacl.violations]
    only_pyshacl = [v for v in pyshacl.violations if v not in sparql.violations]
    assert (only_sparql, only_pyshacl) == ([], [])
    assert sparql == pyshacl


def _broken(data_dir: Path, folder: Path, tops: list) -> tuple[Path, list[str]]:
    data = Data(data_dir, ONTOLOGY)
    missing = [name for top in tops for name in break_shape(data, SHAPES, top)]
    data.write(folder)
    return folder, missing


@pytest.mark.parametrize("top", TOPS, ids=[str(t.node).rsplit("#", 1)[-1] for t in TOPS])
def test_each_constraint_broken_in_the_shipped_data_is_reported_alike(top, tmp_path) -> None:
    folder, missing = _broken(DATA, tmp_path / "data", [top])
    assert not missing, f"constraints with no violating mutation: {missing}"
    pyshacl, sparql = _both(kg_api.load(folder))
    assert not pyshacl.conforms
    _same(sparql, pyshacl)
    # every constraint of the shape is among the violations (by its shape and path)
    names = report_namespaces(SHAPES)
    seen = {(v.shape, v.path) for v in pyshacl.violations}
    for c in (c for c in constraints(SHAPES) if c.top.node == top.node):
        path = c.owner.path
        if c.parameter.endswith("sparql"):
            assert any(v.shape == str(top.node) for v in pyshacl.violations), c.name
        else:
            assert (str(top.node), path_text(names, path)) in seen, c.name


def test_every_constraint_of_the_shapes_is_covered() -> None:
    """The parametrised cases above reach every constraint: none without a mutation rule."""
    names = {c.name for c in constraints(SHAPES)}
    assert len(names) >= 60  # the shapes hold more than sixty constraints today
    assert {c.top.node for c in constraints(SHAPES)} == {t.node for t in TOPS}


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_shipped_data_conforms_on_both_engines(store: str) -> None:
    pyshacl, sparql = _both(kg_api.load(store=store))
    assert pyshacl.conforms and sparql.conforms
    _same(sparql, pyshacl)


@pytest.fixture(scope="module")
def synth_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "synth-10k"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--quads", "10000",
                    "--out", str(folder)], check=True, capture_output=True)
    return folder


def test_generated_data_as_is_is_reported_alike(synth_10k: Path) -> None:
    pyshacl, sparql = _both(kg_api.load(synth_10k))
    _same(sparql, pyshacl)


def test_generated_data_with_every_constraint_broken_is_reported_alike(
    synth_10k: Path, tmp_path: Path
) -> None:
    folder, missing = _broken(synth_10k, tmp_path / "data", TOPS)
    pyshacl, sparql = _both(kg_api.load(folder))
    assert len(pyshacl.violations) > len(TOPS)
    _same(sparql, pyshacl)
    # the generated data lacks a few kinds (no gYear instants...): what it has, it breaks
    assert len(missing) < len(list(constraints(SHAPES))) // 2, missing


@pytest.mark.parametrize("store", ["memory", "pyoxigraph", "oxigraph-disk"])
def test_cli_engines_print_the_same_report(store: str, tmp_path: Path, kg_cache_dir) -> None:
    # shapes whose mutations make no blank node: a blank node's label differs between
    # two parses of the same files, so the two processes could not name it alike
    tops = [t for t in TOPS if str(t.node).endswith(("InstantShape", "ObservationShape"))]
    folder, _ = _broken(DATA, tmp_path / "data", tops)
    runs = {
        engine: subprocess.run([sys.executable, "-m", "kg", "--data", str(folder), "--store",
                                store, "validate", "--engine", engine],
                               capture_output=True, text=True)
        for engine in ("pyshacl", "sparql")
    }
    assert runs["sparql"].returncode == runs["pyshacl"].returncode == 1, runs["sparql"].stderr
    assert runs["sparql"].stdout == runs["pyshacl"].stdout
    assert "does not conform" in runs["sparql"].stdout


def test_cli_sparql_engine_conforms_on_shipped_data(kg_cache_dir) -> None:
    run = subprocess.run([sys.executable, "-m", "kg", "validate", "--engine", "sparql"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "conforms"


@pytest.mark.parametrize(("store", "engine"), [
    ("memory", Engine.PYSHACL), ("oxigraph", Engine.SPARQL), ("pyoxigraph", Engine.SPARQL),
    ("oxigraph-disk", Engine.SPARQL),
])
def test_default_engine_follows_the_store(store: str, engine: Engine) -> None:
    assert default_engine(store, DATA) is engine


UNSUPPORTED = [
    ("sh:closed", "sh:closed true"),
    ("sh:node", "sh:node shape:Other"),
    ("sh:minLength", "sh:property [ sh:path dct:title ; sh:minLength 3 ]"),
    ("complex sh:path", "sh:property [ sh:path [ sh:inversePath dct:title ] ; sh:minCount 1 ]"),
]


@pytest.mark.parametrize(("what", "turtle"), UNSUPPORTED, ids=[u[0] for u in UNSUPPORTED])
def test_a_construct_the_engine_cannot_run_fails_naming_the_shape(
    what: str, turtle: str, minimal_kg: kg_api.KnowledgeGraph
) -> None:
    shapes = Graph().parse(data=(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix shape: <https://w3id.org/thb-kg/shapes#> .\n"
        f"shape:Odd a sh:NodeShape ; sh:targetClass dct:Agent ; {turtle} ."), format="turtle")
    with pytest.raises(UnsupportedShapeError, match="shapes#Odd"):
        validate(minimal_kg, shapes=shapes, engine=Engine.SPARQL)


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_default_engine_is_sparql_past_the_large_data_threshold(store: str, tmp_path: Path) -> None:
    from kg.store import LARGE_DATA

    small = tmp_path / "small"
    small.mkdir()
    (small / "a.trig").write_text("# a comment is data size too\n")
    assert default_engine("memory", small) is Engine.PYSHACL
    large = tmp_path / "large"
    large.mkdir()
    (large / "a.trig").write_text("#" * (LARGE_DATA + 1) + "\n")
    assert default_engine(store, large) is Engine.SPARQL
