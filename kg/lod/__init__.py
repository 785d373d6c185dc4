"""Linked Data: every IRI of ours resolves, and the dataset describes itself.

* :mod:`kg.lod.documents` -- what the document about an IRI holds (the
  entity's quads with their source graphs, a source graph, the ontology),
  as an rdflib ``Dataset``, from one set of SPARQL queries that run on a
  loaded graph (the static site) or on the endpoint's worker pool (``kg serve``);
* :mod:`kg.lod.conneg` -- an Accept header or ``?format=`` to HTML or one of
  the RDF formats of :mod:`kg.formats`;
* :mod:`kg.lod.routes` -- the endpoint's routes: ``/id/...`` answers 303 to
  ``/doc/...``; ``/doc/...``, ``/graph/...``, ``/ontology`` and
  ``/.well-known/void`` answer in the negotiated format;
* :mod:`kg.lod.void` -- the VoID description and the DCAT-AP record, counts
  computed from the graph;
* :mod:`kg.lod.site` -- the static site's ``.ttl``/``.jsonld`` beside each
  entity page, and the VoID/DCAT-AP downloads;
* :mod:`kg.lod.w3id` -- the redirect rules for https://w3id.org/thb-kg/.
"""

from __future__ import annotations

#: Where our IRIs live (the w3id.org namespace).
PUBLIC_BASE = "https://w3id.org/thb-kg/"
