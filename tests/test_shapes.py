"""Each SHACL shape catches a broken example, naming the focus node and the path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg as kg_api

MINIMAL = Path(__file__).parent / "data" / "minimal"

HEAD = """
@prefix thb: <https://w3id.org/thb-kg/ontology#> .
@prefix src: <https://w3id.org/thb-kg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/broken/> .

src:broken a thb:Source ;
    prov:wasDerivedFrom <https://example.org/documents/broken> ;
    dct:title "Broken examples"@en ;
    dct:publisher ex:publisher .
"""

# (shape, broken TriG body inside graph src:broken, expected focus, expected path)
CASES = [
    ("legal resource: title", "ex:act a eli:LegalResource .", "ex:act", "dct:title"),
    (
        "legal resource: date datatype",
        'ex:act a eli:LegalResource ; dct:title "Act"@en ; eli:date_document "2011" .',
        "ex:act",
        "eli:date_document",
    ),
    (
        "legal resource: one entry into force",
        'ex:act a eli:LegalResource ; dct:title "Act"@en ; '
        'eli:first_date_entry_in_force "2011-01-01"^^xsd:date, "2012-01-01"^^xsd:date .',
        "ex:act",
        "eli:first_date_entry_in_force",
    ),
    (
        "legal resource: in force before end",
        'ex:act a eli:LegalResource ; dct:title "Act"@en ; '
        'eli:first_date_entry_in_force "2012-01-01"^^xsd:date ; '
        'eli:date_no_longer_in_force "2011-01-01"^^xsd:date .',
        "ex:act",
        "eli:first_date_entry_in_force",
    ),
    (
        "legal resource: amends a legal resource",
        'ex:act a eli:LegalResource ; dct:title "Act"@en ; eli:amends ex:notAnAct .',
        "ex:act",
        "eli:amends",
    ),
    (
        "legal resource: supplements a legal resource",
        'ex:act a eli:LegalResource ; dct:title "Act"@en ; thb:supplements ex:notAnAct .',
        "ex:act",
        "thb:supplements",
    ),
    (
        "EU act: CELEX pattern",
        'ex:act a eli:LegalResource ; dct:title "Act"@en ; eli:id_local "2011/36/EU" .',
        "ex:act",
        "eli:id_local",
    ),
    (
        "EU act by ELI: needs CELEX",
        '<http://data.europa.eu/eli/dir/2099/1/oj> a eli:LegalResource ; dct:title "Act"@en .',
        "<http://data.europa.eu/eli/dir/2099/1/oj>",
        "eli:id_local",
    ),
    (
        "EU act by ELI: CELEX agrees with the ELI",
        '<http://data.europa.eu/eli/reg/2007/168/oj> a eli:LegalResource ; dct:title "Act"@en ; '
        'eli:id_local "32007R1680" .',
        "<http://data.europa.eu/eli/reg/2007/168/oj>",
        "eli:id_local",
    ),
    (
        "article: part of an act",
        "<http://data.europa.eu/eli/dir/2011/36/oj/art_20> a eli:LegalResourceSubdivision ; "
        'skos:prefLabel "Article 20"@en .',
        "<http://data.europa.eu/eli/dir/2011/36/oj/art_20>",
        "eli:is_part_of",
    ),
    (
        "article: ELI subdivision IRI",
        '<http://data.europa.eu/eli/dir/2011/36/oj> a eli:LegalResource ; dct:title "Act"@en ; '
        'eli:id_local "32011L0036" . '
        "ex:article-20 a eli:LegalResourceSubdivision ; "
        'eli:is_part_of <http://data.europa.eu/eli/dir/2011/36/oj> ; skos:prefLabel "Article 20"@en .',
        "ex:article-20",
        "eli:is_part_of",
    ),
    (
        "article: a claim's provision is an article",
        'ex:claim a thb:Claim ; rdf:value "A claim"@en ; thb:about ex:act ; '
        'thb:provision ex:not-an-article . ex:not-an-article skos:prefLabel "Article 1"@en ; '
        "eli:is_part_of ex:act . "
        'ex:act a eli:LegalResource ; dct:title "Act"@en .',
        "ex:not-an-article",
        None,  # a node-level constraint (sh:class on the shape) has no path
    ),
    (
        "membership: one member",
        "ex:m a org:Membership ; org:organization ex:org ; org:memberDuring ex:i . "
        'ex:org a org:Organization ; skos:prefLabel "Org"@en . ex:i a time:Interval .',
        "ex:m",
        "org:member",
    ),
    (
        "membership: an organisation",
        "ex:m a org:Membership ; org:member ex:p ; org:memberDuring ex:i . ex:i a time:Interval .",
        "ex:m",
        "org:organization",
    ),
    (
        "membership: an interval",
        "ex:m a org:Membership ; org:member ex:p ; org:organization ex:org . "
        'ex:org a org:Organization ; skos:prefLabel "Org"@en .',
        "ex:m",
        "org:memberDuring",
    ),
    (
        "instant: an xsd:date",
        'ex:t a time:Instant ; time:inXSDDate "March 2011" .',
        "ex:t",
        "time:inXSDDate",
    ),
    (
        "interval: ends after it begins",
        "ex:i a time:Interval ; time:hasBeginning ex:b ; time:hasEnd ex:e . "
        'ex:b a time:Instant ; time:inXSDDate "2020-01-01"^^xsd:date . '
        'ex:e a time:Instant ; time:inXSDDate "2019-01-01"^^xsd:date .',
        "ex:i",
        "time:hasEnd",
    ),
    (
        "observation: a data set",
        "ex:o a qb:Observation ; sdmx-measure:obsValue 5.0 ; sdmx-attribute:unitMeasure ex:u ; "
        "sdmx-dimension:refArea ex:a .",
        "ex:o",
        "qb:dataSet",
    ),
    (
        "observation: a numeric value",
        'ex:o a qb:Observation ; qb:dataSet ex:ds ; sdmx-measure:obsValue "many" ; '
        "sdmx-attribute:unitMeasure ex:u ; sdmx-dimension:refArea ex:a . ex:ds a qb:DataSet .",
        "ex:o",
        "sdmx-measure:obsValue",
    ),
    (
        "observation: a unit",
        "ex:o a qb:Observation ; qb:dataSet ex:ds ; sdmx-measure:obsValue 5.0 ; "
        "sdmx-dimension:refArea ex:a . ex:ds a qb:DataSet .",
        "ex:o",
        "sdmx-attribute:unitMeasure",
    ),
    (
        "observation: an area",
        "ex:o a qb:Observation ; qb:dataSet ex:ds ; sdmx-measure:obsValue 5.0 ; "
        "sdmx-attribute:unitMeasure ex:u . ex:ds a qb:DataSet .",
        "ex:o",
        "sdmx-dimension:refArea",
    ),
    (
        "percentage: 0..100",
        "ex:o a qb:Observation ; qb:dataSet ex:ds ; sdmx-measure:obsValue 184.0 ; "
        "sdmx-attribute:unitMeasure <https://w3id.org/thb-kg/id/unit/percent> ; "
        "sdmx-dimension:refArea ex:a . ex:ds a qb:DataSet .",
        "ex:o",
        "sdmx-measure:obsValue",
    ),
    (
        "labels: one per language",
        'ex:x skos:prefLabel "One"@en, "Two"@en .',
        "ex:x",
        "skos:prefLabel",
    ),
    (
        "named entity: has a label",
        "ex:body a org:Organization .",
        "ex:body",
        "skos:prefLabel",
    ),
    (
        "report: a publisher",
        'ex:r a thb:Report ; skos:prefLabel "R"@en ; dct:title "R"@en .',
        "ex:r",
        "dct:publisher",
    ),
    (
        "claim: a text",
        "ex:c a thb:Claim ; thb:about ex:x .",
        "ex:c",
        "rdf:value",
    ),
    (
        "dates: typed",
        'ex:campaign thb:launchDate "March 2009" .',
        "ex:campaign",
        "thb:launchDate",
    ),
]


def _load_with(
    tmp_path: Path, body: str, store: str, extra_default: str = ""
) -> kg_api.KnowledgeGraph:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(MINIMAL / "example-source.trig", folder)
    (folder / "broken.trig").write_text(HEAD + extra_default + "\nsrc:broken {\n" + body + "\n}\n")
    return kg_api.load(folder, store=store)


def _expand(kg: kg_api.KnowledgeGraph, curie: str) -> str:
    if curie.startswith("<"):
        return curie[1:-1]
    prefix, local = curie.split(":", 1)
    if prefix == "ex":
        return "https://example.org/broken/" + local
    return str(kg.dataset.namespace_manager.expand_curie(curie))


@pytest.mark.parametrize(("name", "body", "focus", "path"), CASES, ids=[c[0] for c in CASES])
def test_shape_catches_broken_example(
    tmp_path: Path, store: str, name: str, body: str, focus: str, path: str
) -> None:
    graph = _load_with(tmp_path, body, store)
    report = kg_api.validate(graph)
    assert not report.conforms
    focus_iri = _expand(graph, focus)
    hits = [v for v in report.violations if str(v.focus) == focus_iri]
    assert hits, f"no violation on {focus}: {report.violations}"
    assert path in {v.path for v in hits}, [v.path for v in hits]
    # the report names the source graph that made the bad statement
    assert any(str(g).endswith("/graph/broken") for v in hits for g in v.source_graphs)


def test_undescribed_named_graph_is_reported(tmp_path: Path, store: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(MINIMAL / "example-source.trig", folder)
    (folder / "orphan.trig").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/thb-kg/graph/orphan> {\n"
        '  <https://example.org/x> skos:prefLabel "x"@en .\n}\n'
    )
    report = kg_api.validate(kg_api.load(folder, store=store))
    assert not report.conforms
    hit = [v for v in report.violations if str(v.focus) == "https://w3id.org/thb-kg/graph/orphan"]
    assert hit and hit[0].path == "rdf:type"


def test_source_description_needs_origin(tmp_path: Path, store: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(MINIMAL / "example-source.trig", folder)
    (folder / "vague.trig").write_text(
        "@prefix thb: <https://w3id.org/thb-kg/ontology#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/thb-kg/graph/vague> a thb:Source ; dct:title "Vague"@en ;\n'
        "    dct:publisher <https://example.org/p> .\n"
        "<https://w3id.org/thb-kg/graph/vague> {\n"
        '  <https://example.org/x> skos:prefLabel "x"@en .\n}\n'
    )
    report = kg_api.validate(kg_api.load(folder, store=store))
    hit = [v for v in report.violations if str(v.focus) == "https://w3id.org/thb-kg/graph/vague"]
    assert hit and hit[0].path == "prov:wasDerivedFrom"


def test_minimal_folder_conforms(minimal_kg: kg_api.KnowledgeGraph) -> None:
    assert kg_api.validate(minimal_kg).conforms
