"""The ontology's own words name only terms it defines (issue 11, item 8: thb:SeedOnly was
named in a comment and defined nowhere)."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from kg import paths
from kg.namespaces import THB

ONTOLOGY = Graph().parse(paths.ontology_dir() / "thb.ttl")
#: A thb: CURIE as the comments write it (thb:Confirmed, thb:establishedBy).
CURIE = re.compile(r"\bthb:([A-Za-z][A-Za-z0-9_]*)")
NAMED = sorted(
    {(str(subject), name)
     for subject, text in ONTOLOGY.subject_objects(RDFS.comment)
     for name in CURIE.findall(str(text))}
    | {(str(subject), name)
       for subject, text in ONTOLOGY.subject_objects(SKOS.definition)
       for name in CURIE.findall(str(text))}
)


def _defined(name: str) -> bool:
    term = URIRef(str(THB) + name)
    return any(ONTOLOGY.triples((term, None, None)))


def test_the_comments_name_thb_terms_at_all() -> None:
    assert len(NAMED) > 10  # the check below has something to check


@pytest.mark.parametrize(("where", "name"), NAMED)
def test_every_term_a_comment_names_is_defined(where: str, name: str) -> None:
    assert _defined(name), f"the comment of {where} names thb:{name}, which thb.ttl does not define"
