"""The ontology's rdfs:domain and rdfs:range declarations hold in the data, and the SHACL
shapes agree with them (issue 11, item 8).

For every property the ontology gives a domain (or range), every use in the union of
the graphs has a subject (or value) of that class, by the ontology's class hierarchy
(``rdf:type/rdfs:subClassOf*``), or a literal of that datatype. Plain union SPARQL, on
each store of the ``kg`` fixture. A shape's ``sh:class`` (``sh:datatype``) for a property
with a declared range is that range or narrower.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

import kg as kg_api
from kg import paths
from kg.namespaces import SH, sparql_prologue

ONTOLOGY = Graph().parse(paths.ontology_dir() / "thb.ttl")
SHAPES = Graph().parse(paths.ontology_dir() / "shapes.ttl")
RDF_LANGSTRING = ns.RDF.langString
THB_NS = "https://w3id.org/thb-kg/ontology#"


def _declared(axiom: URIRef) -> list[tuple[str, str]]:
    return sorted((str(p), str(c)) for p, c in ONTOLOGY.subject_objects(axiom))


DOMAINS = _declared(ns.RDFS.domain)
RANGES = _declared(ns.RDFS.range)
THB_PROPERTIES = sorted(
    str(p) for t in (ns.OWL.ObjectProperty, ns.OWL.DatatypeProperty)
    for p in ONTOLOGY.subjects(ns.RDF.type, t) if str(p).startswith(THB_NS)
)


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize(("prop", "cls"), DOMAINS, ids=[_short(p) for p, _ in DOMAINS])
def test_every_subject_fits_the_domain(kg: kg_api.KnowledgeGraph, prop: str, cls: str) -> None:
    query = sparql_prologue() + f"""
    SELECT DISTINCT ?s WHERE {{
      ?s <{prop}> ?o .
      FILTER NOT EXISTS {{ ?s rdf:type/rdfs:subClassOf* <{cls}> }}
    }} LIMIT 5"""
    misfits = [str(row[0]) for row in kg.dataset.query(query)]
    assert misfits == [], f"{_short(prop)} is used on non-{_short(cls)}: {misfits}"


def _range_test(cls: str) -> str:
    """A SPARQL condition on ?o that is true when ?o fits the range ``cls``."""
    if cls == str(ns.RDFS.Literal):
        return "isLiteral(?o)"
    if cls == str(RDF_LANGSTRING):
        return 'isLiteral(?o) && lang(?o) != ""'
    if cls.startswith(str(ns.XSD)):
        return f'isLiteral(?o) && lang(?o) = "" && datatype(?o) = <{cls}>'
    return f"!isLiteral(?o) && EXISTS {{ ?o rdf:type/rdfs:subClassOf* <{cls}> }}"


@pytest.mark.parametrize(("prop", "cls"), RANGES, ids=[_short(p) for p, _ in RANGES])
def test_every_value_fits_the_range(kg: kg_api.KnowledgeGraph, prop: str, cls: str) -> None:
    query = sparql_prologue() + f"""
    SELECT DISTINCT ?o WHERE {{ ?s <{prop}> ?o . FILTER(!({_range_test(cls)})) }} LIMIT 5"""
    misfits = [str(row[0]) for row in kg.dataset.query(query)]
    assert misfits == [], f"{_short(prop)} has values outside {_short(cls)}: {misfits}"


def test_every_thb_property_declares_a_domain_or_a_range() -> None:
    """Each thb: property says at least what its subjects or its values are; those used on
    unrelated classes (thb:locator, thb:about's values) leave the other side open."""
    declared = {p for p, _ in DOMAINS} | {p for p, _ in RANGES}
    bare = sorted(_short(p) for p in THB_PROPERTIES if p not in declared)
    assert bare == [], f"declare a domain or range for {bare}"
    both = [p for p in THB_PROPERTIES
            if p in {d for d, _ in DOMAINS} and p in {r for r, _ in RANGES}]
    assert len(both) >= 36


def _shape_constraints(kind: URIRef) -> list[tuple[str, str]]:
    return sorted(
        (str(path), str(value))
        for shape in SHAPES.subjects(SH.path, None)
        for path in SHAPES.objects(shape, SH.path)
        for value in SHAPES.objects(shape, kind)
        if isinstance(path, URIRef)
    )


def _narrower_or_same(cls: str, than: str) -> bool:
    seen, todo = set(), [URIRef(cls)]
    while todo:
        c = todo.pop()
        if str(c) == than:
            return True
        seen.add(c)
        todo.extend(s for s in ONTOLOGY.objects(c, ns.RDFS.subClassOf) if s not in seen)
    return False


SHAPE_CLASSES = _shape_constraints(SH["class"])
SHAPE_DATATYPES = _shape_constraints(SH.datatype)


@pytest.mark.parametrize(("prop", "cls"), SHAPE_CLASSES, ids=[_short(p) for p, _ in SHAPE_CLASSES])
def test_a_shape_class_is_the_range_or_narrower(prop: str, cls: str) -> None:
    for declared in ONTOLOGY.objects(URIRef(prop), ns.RDFS.range):
        assert _narrower_or_same(cls, str(declared)), (
            f"shapes.ttl wants {_short(cls)} for {_short(prop)}, whose range is {_short(declared)}"
        )


@pytest.mark.parametrize(
    ("prop", "datatype"), SHAPE_DATATYPES, ids=[_short(p) for p, _ in SHAPE_DATATYPES]
)
def test_a_shape_datatype_is_the_range(prop: str, datatype: str) -> None:
    for declared in ONTOLOGY.objects(URIRef(prop), ns.RDFS.range):
        assert str(declared) in (datatype, str(ns.RDFS.Literal)), (
            f"shapes.ttl wants {_short(datatype)} for {_short(prop)}, "
            f"whose range is {_short(declared)}"
        )


def test_every_shape_constraint_on_a_ranged_thb_property_is_checked() -> None:
    """The agreement tests above are not empty: the shapes constrain ranged properties."""
    ranged = {p for p, _ in RANGES}
    assert {p for p, _ in SHAPE_CLASSES + SHAPE_DATATYPES} & ranged


def test_acts_carry_their_titles_as_dct_title(kg: kg_api.KnowledgeGraph) -> None:
    """ELI's eli:title belongs to a language version (eli:LegalExpression); an act's
    titles are dct:title, each with its language, in plain union SPARQL."""
    prologue = sparql_prologue()
    misplaced = kg.dataset.query(prologue + """
        ASK { ?x eli:title ?t FILTER NOT EXISTS { ?x a eli:LegalExpression } }""")
    assert not misplaced.askAnswer
    untitled = [str(r[0]) for r in kg.dataset.query(prologue + """
        SELECT ?act WHERE { ?act a eli:LegalResource
          FILTER NOT EXISTS { ?act dct:title ?t } }""")]
    assert untitled == []
    english = {str(r[0]) for r in kg.dataset.query(prologue + """
        SELECT ?t WHERE { <http://data.europa.eu/eli/dir/2011/36/oj> dct:title ?t
          FILTER(langMatches(lang(?t), "en")) }""")}
    assert any("2011/36/EU" in t and "trafficking in human beings" in t for t in english)
