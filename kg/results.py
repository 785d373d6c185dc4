"""Writers for query results: table, CSV, TSV, JSON, XML, Markdown, and RDF.

CSV, TSV, JSON and XML follow the W3C SPARQL 1.1 result formats, so any
SPARQL client reads them. ``table`` and ``md`` are for people: aligned
columns, and a label (``skos:prefLabel`` and friends) instead of a bare IRI
where one exists. The formats themselves are rows of
:data:`kg.formats.RESULT_FORMATS`; this module only holds the functions.

>>> from rdflib import Literal, URIRef
>>> from kg.query import QueryKind, QueryResult
>>> r = QueryResult(QueryKind.SELECT, ("act", "date"),
...                 ((URIRef("http://data.europa.eu/eli/dir/2011/36/oj"),
...                   Literal("2011-04-15", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))),))
>>> to_csv(r).splitlines()
['act,date', 'http://data.europa.eu/eli/dir/2011/36/oj,2011-04-15']
>>> print(to_table(r, {URIRef("http://data.europa.eu/eli/dir/2011/36/oj"): "Directive 2011/36/EU"}))
act                   date
--------------------  ----------
Directive 2011/36/EU  2011-04-15
(1 row)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .query import QueryResult, describe_term

Labels = Mapping[Node, str]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_CELL_MAX = 80


def nt_term(node: Node) -> str:
    """A term in N-Triples syntax (used by TSV)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        body = (
            str(node).replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        )
        if node.language:
            return f'"{body}"@{node.language}'
        if node.datatype:
            return f'"{body}"^^<{node.datatype}>'
        return f'"{body}"'
    return str(node)


def display(node: Node | None, labels: Labels | None = None) -> str:
    """What a person should read for a term: its label, a CURIE, or the text."""
    if node is None:
        return ""
    if labels and node in labels:
        return labels[node]
    return describe_term(node)


def _cells(result: QueryResult, labels: Labels | None, width: int | None) -> list[list[str]]:
    rows = []
    for row in result.rows:
        cells = []
        for t in row:
            text = " ".join(display(t, labels).split())
            if width and len(text) > width:
                text = text[: width - 1] + "…"
            cells.append(text)
        rows.append(cells)
    return rows


def _footer(result: QueryResult) -> str:
    n = len(result.rows)
    text = f"({n} row{'s' if n != 1 else ''})"
    if result.truncated:
        text += f" -- cut at {n} rows by the row cap"
    return text


def to_table(result: QueryResult, labels: Labels | None = None) -> str:
    """Aligned columns with labels; ASK gives ``true`` or ``false``."""
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    rows = _cells(result, labels, TABLE_CELL_MAX)
    header = list(result.vars)
    widths = [
        max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)
    ]
    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out.append(_footer(result))
    return "\n".join(out)


def to_md(result: QueryResult, labels: Labels | None = None) -> str:
    """A Markdown table with labels (pipes escaped)."""
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")
    out = ["| " + " | ".join(esc(v) for v in result.vars) + " |",
           "|" + "|".join("---" for _ in result.vars) + "|"]
    for r in _cells(result, labels, None):
        out.append("| " + " | ".join(esc(c) for c in r) + " |")
    return "\n".join(out) + "\n"


def to_csv(result: QueryResult, labels: Labels | None = None) -> str:
    """SPARQL 1.1 CSV: bare IRIs and lexical forms, CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.boolean is not None:
        w.writerow(["boolean"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    w.writerow(result.vars)
    for row in result.rows:
        w.writerow(
            ["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
        )
    return buf.getvalue()


def to_tsv(result: QueryResult, labels: Labels | None = None) -> str:
    """SPARQL 1.1 TSV: ``?var`` header, terms in N-Triples syntax."""
    if result.boolean is not None:
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    out = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.rows:
        out.append("\t".join("" if t is None else nt_term(t) for t in row))
    return "\n".join(out) + "\n"


def _json_term(node: Node) -> dict[str, str]:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    if isinstance(node, Literal):
        out = {"type": "literal", "value": str(node)}
        if node.language:
            out["xml:lang"] = node.language
        elif node.datatype:
            out["datatype"] = str(node.datatype)
        return out
    return {"type": "literal", "value": str(node)}


def to_json(result: QueryResult, labels: Labels | None = None) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
    bindings = [
        {v: _json_term(t) for v, t in zip(result.vars, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_XML_BAD.sub("\ufffd", text))


def _xml_attr(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(_XML_BAD.sub("\ufffd", text))


def to_xml(result: QueryResult, labels: Labels | None = None) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.boolean is not None:
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>",
                "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("  <head>")
    out += [f"    <variable name={_xml_attr(v)}/>" for v in result.vars]
    out += ["  </head>", "  <results>"]
    for row in result.rows:
        out.append("    <result>")
        for v, t in zip(result.vars, row, strict=True):
            if t is None:
                continue
            if isinstance(t, URIRef):
                inner = f"<uri>{_xml_text(str(t))}</uri>"
            elif isinstance(t, BNode):
                inner = f"<bnode>{_xml_text(str(t))}</bnode>"
            elif isinstance(t, Literal) and t.language:
                inner = f"<literal xml:lang={_xml_attr(t.language)}>{_xml_text(str(t))}</literal>"
            elif isinstance(t, Literal) and t.datatype:
                inner = (f"<literal datatype={_xml_attr(str(t.datatype))}>"
                         f"{_xml_text(str(t))}</literal>")
            else:
                inner = f"<literal>{_xml_text(str(t))}</literal>"
            out.append(f"      <binding name={_xml_attr(v)}>{inner}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_rdf(result: QueryResult, rdflib_name: str, *, quads: bool = False) -> str:
    """The triples of a CONSTRUCT/DESCRIBE in an rdflib serialisation.

    A quad format (``quads=True``: TriG, N-Quads) gets them in its default graph.
    """
    graph = result.graph()
    if quads:
        from rdflib import Dataset

        ds = Dataset()
        for prefix, ns in graph.namespaces():
            ds.bind(prefix, ns, override=True, replace=True)
        for t in graph:
            ds.default_graph.add(t)
        data = ds.serialize(format=rdflib_name)
    else:
        data = graph.serialize(format=rdflib_name)
    return data if isinstance(data, str) else data.decode("utf-8")
