"""`kg export --format graphml|gexf`: the network for Gephi and yEd, labels and classes kept."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import kg as kg_api
from kg.cli import main
from kg.errors import FormatError, WriteError
from kg.formats import (
    NETWORK_FORMATS,
    RDF_FORMATS,
    export_format_names,
    exporter,
    network_format,
)
from kg.network import export, to_networkx

INJECTION = Path(__file__).parent / "data" / "injection"
EUROPOL = "https://w3id.org/thb-kg/id/body/europol"
READ = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


def test_network_formats_are_a_table_beside_the_rdf_one() -> None:
    assert set(NETWORK_FORMATS) == {"graphml", "gexf"}
    assert set(RDF_FORMATS) == {"trig", "nquads", "jsonld", "turtle", "nt", "xml"}  # no network
    assert export_format_names() == [*RDF_FORMATS, *NETWORK_FORMATS]
    assert exporter("graphml") is export
    assert exporter("TriG") is kg_api.export
    assert network_format("GEXF").suffix == ".gexf"


def test_unknown_format_lists_both_kinds() -> None:
    with pytest.raises(FormatError, match="choose one of: trig, .*graphml, gexf"):
        exporter("dot")
    with pytest.raises(FormatError, match="graphml, gexf"):
        network_format("dot")


@pytest.mark.parametrize("fmt", sorted(NETWORK_FORMATS))
def test_export_keeps_labels_and_classes(kg: kg_api.KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph{NETWORK_FORMATS[fmt].suffix}"
    size = export(kg, out, fmt)
    assert size == out.stat().st_size > 0
    G = to_networkx(kg)
    back = READ[fmt](out)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    node = back.nodes[EUROPOL]
    assert node["label"] == "Europol"
    assert node["kind"] == "body"
    assert "org:Organization" in node["classes"]
    assert node["iri"] == EUROPOL
    labels = {d.get("label") for _u, _v, d in back.edges(data=True)}
    assert "sub-organisation of" in labels


def test_gexf_carries_colours_by_class(minimal_kg: kg_api.KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    export(minimal_kg, out, "gexf")
    text = out.read_text(encoding="utf-8")
    assert "viz:color" in text and 'r="0" g="114" b="178"' in text  # instruments are blue


@pytest.mark.parametrize("fmt", sorted(NETWORK_FORMATS))
def test_cli_export_network(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    out = tmp_path / f"g.{fmt}"
    assert main(["--data", str(INJECTION), "export", "--format", fmt, "--out", str(out)]) == 0
    assert f"bytes, {fmt})" in capsys.readouterr().err  # "wrote FILE (N bytes, fmt)"
    back = READ[fmt](out)
    assert "<img src=x onerror=alert(1)>" in {d["label"] for _n, d in back.nodes(data=True)}


def test_cli_export_rdf_still_works(tmp_path: Path) -> None:
    out = tmp_path / "g.trig"
    assert main(["--data", str(INJECTION), "export", "-f", "trig", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("@prefix")


def test_cli_unknown_format_fails_before_loading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", "/nonexistent", "export", "-f", "dot", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "Unknown export format 'dot'" in err and "graphml" in err


def test_failed_network_write_leaves_old_file(
    minimal_kg: kg_api.KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "g.graphml"
    export(minimal_kg, target, "graphml")
    before = target.read_bytes()
    import kg.network as network_module

    monkeypatch.setattr(network_module, "graphml_bytes", lambda G: b"<graphml><oops")
    with pytest.raises(WriteError, match="did not read back"):
        export(minimal_kg, target, "graphml")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]
