"""SHACL validation without pySHACL: the shapes compiled to SPARQL and run inside Oxigraph.

pySHACL walks the data node by node in Python; at a million quads that takes
many minutes. The shapes of ``ontology/shapes.ttl`` use a small set of SHACL
constructs, each of which is one set-at-a-time SPARQL query, so the store kg
already builds (:mod:`kg.store`) can answer them in seconds. One job per module:

* :mod:`kg.validation.report`: the report both engines give
  (:class:`~kg.validation.report.ValidationReport`, :class:`~kg.validation.report.Violation`);
* :mod:`kg.validation.shapes`: the shapes graph read into plain values; a construct
  this engine cannot run is an :class:`~kg.validation.shapes.UnsupportedShapeError`
  naming the shape, never skipped;
* :mod:`kg.validation.compile`: each constraint as one SPARQL query;
* :mod:`kg.validation.messages`: the messages pySHACL writes when a shape has no
  ``sh:message``;
* :mod:`kg.validation.run`: the queries run on a pyoxigraph ``Store`` whose default
  graph is the union of all graphs, and the rows turned into the report.

:func:`kg.validate.validate` picks the engine.
"""
