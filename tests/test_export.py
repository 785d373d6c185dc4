"""Export: every format reloads to the same data; a failed write keeps the old file."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import kg as kg_api
from kg.formats import RDF_FORMATS


def _graphs(ds: Dataset) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = str(getattr(g, "identifier", g))
        out.setdefault(gid, Graph()).add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_export_reloads_isomorphic(kg: kg_api.KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    spec = RDF_FORMATS[fmt]
    out = tmp_path / f"export{spec.suffix}"
    kg_api.export(kg, out, fmt)
    original = kg_api.to_dataset(kg)
    reloaded = Dataset()
    reloaded.parse(out, format=spec.rdflib_name)
    if spec.quads:
        before, after = _graphs(original), _graphs(reloaded)
        assert set(before) == set(after), "named graphs lost or added"
        for name, graph in before.items():
            assert isomorphic(graph, after[name]), f"graph {name} changed"
    else:
        union = Graph()
        for s, p, o, _g in original.quads((None, None, None, None)):
            union.add((s, p, o))
        assert isomorphic(union, reloaded.default_graph) or isomorphic(
            union, Graph().parse(out, format=spec.rdflib_name)
        )


def test_failed_write_leaves_old_file(
    minimal_kg: kg_api.KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.trig"
    kg_api.export(minimal_kg, target, "trig")
    before = target.read_bytes()

    import kg.dump as export_module

    monkeypatch.setattr(export_module, "serialize", lambda *a, **k: b"<<< not trig at all")
    with pytest.raises(kg_api.WriteError):
        export_module.export(minimal_kg, target, "trig")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["data.trig"], "temporary file left behind"


def test_write_into_missing_folder_is_clear(
    minimal_kg: kg_api.KnowledgeGraph, tmp_path: Path
) -> None:
    with pytest.raises(kg_api.WriteError, match="does not exist"):
        kg_api.export(minimal_kg, tmp_path / "nope" / "x.trig", "trig")


def test_inferred_graph_only_on_request(minimal_kg: kg_api.KnowledgeGraph) -> None:
    inferred = "<https://w3id.org/thb-kg/graph/inferred> .\n"
    plain = kg_api.serialize(minimal_kg, "nquads").decode()
    full = kg_api.serialize(minimal_kg, "nquads", include_inferred=True).decode()
    assert not any(line.endswith(inferred) for line in plain.splitlines(keepends=True))
    assert any(line.endswith(inferred) for line in full.splitlines(keepends=True))
