"""Vocabularies: typos fail at import, and our schema: choice matches rdflib's."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kg.namespaces import ELI, PREFIXES, SCHEMA, THB, sparql_prologue


def test_unknown_terms_raise() -> None:
    with pytest.raises(AttributeError):
        ELI.ammends  # noqa: B018
    with pytest.raises(AttributeError):
        THB.suplements  # noqa: B018


def test_thb_namespace_lists_every_ontology_term() -> None:
    from kg.paths import ontology_dir

    onto = Graph().parse(ontology_dir() / "thb.ttl")
    declared = {
        str(s) for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(THB._NS))
    }
    for term in declared:
        assert URIRef(term) == THB[term.rsplit("#", 1)[1]]


def test_schema_is_rdflibs_binding() -> None:
    # We use https://schema.org/, the IRI rdflib binds `schema:` to; ELI's own
    # mappings use http://schema.org/, which we do not mix in.
    assert dict(Graph().namespaces())["schema"] == URIRef(str(SCHEMA))
    assert PREFIXES["schema"] == "https://schema.org/"


def test_prologue_declares_every_prefix() -> None:
    prologue = sparql_prologue()
    for prefix in PREFIXES:
        assert f"PREFIX {prefix}: <" in prologue
