"""The question library: every .rq is documented, runs on every store, and answers its question.

The fact tests assert what a reader of the sources expects, on
the shipped graph, on rdflib's memory store and on Oxigraph (the ``kg``
fixture) and on the cached pyoxigraph snapshot.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import kg as kg_api
from kg import library
from kg.cache import Snapshot
from kg.errors import QueryError

ID = "https://w3id.org/thb-kg/id/"
G = "https://w3id.org/thb-kg/graph/"
ELI = "http://data.europa.eu/eli/ontology#"
THB = "https://w3id.org/thb-kg/ontology#"
D2011 = "http://data.europa.eu/eli/dir/2011/36/oj"
EUROPOL_CONVENTION = ID + "instrument/europol-convention"
DEC_2009_371 = "http://data.europa.eu/eli/dec/2009/371/oj"
REG_2016_794 = "http://data.europa.eu/eli/reg/2016/794/oj"
D2024 = "http://data.europa.eu/eli/dir/2024/1712/oj"
D2004 = "http://data.europa.eu/eli/dir/2004/81/oj"
FD2002 = "http://data.europa.eu/eli/dec_framw/2002/629/oj"
PROTOCOL = ID + "instrument/un-trafficking-protocol"
UNTOC = ID + "instrument/untoc"

QUERIES = library.list_queries()


def rows(target, name: str, **params: str) -> list[dict[str, str]]:
    """A library query's rows as {variable: str(value)}."""
    return [{k: str(v) for k, v in r.items()} for r in library.run(target, name, params).as_dicts()]


def pairs(target, name: str, a: str, b: str, **params: str) -> set[tuple[str, str]]:
    return {(r.get(a, ""), r.get(b, "")) for r in rows(target, name, **params)}


# ------------------------------------------------------------ the library itself

def test_there_is_one_query_per_question() -> None:
    assert sorted(q.number for q in QUERIES) == list(range(1, 23))


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_every_query_is_documented(q: library.LibraryQuery) -> None:
    assert len(q.title) > 10
    assert q.question.endswith((".", "?")) and len(q.question) > 20
    assert len(q.description) > 40, f"{q.name} needs a description of how it reads the model"
    for p in q.parameters:
        assert p.description, f"{q.name}: parameter {p.name} needs a description"
        assert f"?{p.name}" in q.sparql


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_every_query_has_a_fact_test(q: library.LibraryQuery) -> None:
    assert q.name in FACT_TESTS, f"add a fact test for {q.name} to tests/test_library.py"


def test_get_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(QueryError, match="Did you mean: in-force"):
        library.get("in-forse")
    with pytest.raises(QueryError, match="kg queries"):
        library.get("zzzz")


def test_defaults_and_typed_params() -> None:
    q = library.get("in-force")
    assert str(q.bindings()["asOf"]) == q.parameters[0].default
    assert str(q.bindings(as_of="2011-04-15")["asOf"]) == "2011-04-15"
    with pytest.raises(QueryError, match="not a date"):
        q.bindings({"asOf": "yesterday"})
    assert "property" not in library.get("provenance").bindings()  # optional: unbound


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: q.name)
def test_every_query_gives_the_same_answer_on_every_engine(
    q: library.LibraryQuery, kg: kg_api.KnowledgeGraph
) -> None:
    snapshot = _snapshot(kg)
    a = library.run(kg, q.name)
    b = library.run(snapshot, q.name)
    assert a.vars == b.vars
    assert sorted(map(repr, a.rows)) == sorted(map(repr, b.rows))


_SNAPSHOTS: dict[int, Snapshot] = {}


def _snapshot(kg: kg_api.KnowledgeGraph) -> Snapshot:
    if id(kg) not in _SNAPSHOTS:
        _SNAPSHOTS[id(kg)] = Snapshot.from_graph(kg)
    return _SNAPSHOTS[id(kg)]


def test_conflicts_compare_dates_at_their_precision(tmp_path, store: str) -> None:
    """Month precision: 2010-06-01 agrees with 2010-06-29 and disagrees with 2011-12-01."""
    prefixes = (
        "@prefix thb: <https://w3id.org/thb-kg/ontology#> . @prefix src: <https://w3id.org/thb-kg/graph/> .\n"  # noqa: E501
        "@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix time: <http://www.w3.org/2006/time#> .\n"  # noqa: E501
        "@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .\n"
    )
    files = {
        "a": 'src:a a thb:Source ; prov:wasDerivedFrom <urn:a> ; dct:title "A"@en .\n'
             "src:a { <urn:x> thb:joinDate \"2010-06-01\"^^xsd:date ; thb:datePrecision time:unitMonth .\n"  # noqa: E501
             "        <urn:y> thb:joinDate \"2010-06-01\"^^xsd:date ; thb:datePrecision time:unitMonth .\n"  # noqa: E501
             "        <urn:z> thb:launchDate \"2009-01-01\"^^xsd:date ; thb:datePrecision time:unitYear .\n"  # noqa: E501
             "        <urn:n> sdmx-measure:obsValue \"2500000000\"^^xsd:decimal .\n"
             "        <urn:m> sdmx-measure:obsValue \"147\"^^xsd:decimal . }\n",
        "b": 'src:b a thb:Source ; prov:wasDerivedFrom <urn:b> ; dct:title "B"@en .\n'
             "src:b { <urn:x> thb:joinDate \"2010-06-29\"^^xsd:date .\n"
             "        <urn:y> thb:joinDate \"2011-12-01\"^^xsd:date .\n"
             "        <urn:z> thb:launchDate \"2009-03-05\"^^xsd:date .\n"
             "        <urn:n> sdmx-measure:obsValue \"2.5E9\"^^xsd:double .\n"
             "        <urn:m> sdmx-measure:obsValue \"117\"^^xsd:decimal . }\n",
    }
    for name, body in files.items():
        (tmp_path / f"{name}.trig").write_text(prefixes + body)
    graph = kg_api.load(tmp_path, store=store)
    for target in (graph, Snapshot.from_graph(graph)):
        found = {(r["subject"], r["value1"], r["value2"]) for r in rows(target, "conflicts")}
        # decimals come back in their XSD canonical form (kg.terms.canonical) on every engine
        assert found == {("urn:y", "2010-06-01", "2011-12-01"), ("urn:m", "147.0", "117.0")}


# ------------------------------------------------------------ fact tests, one per question

def q_instruments(kg) -> None:
    by = {r["instrument"]: r for r in rows(kg, "instruments")}
    assert by[D2011]["adopted"] == "2011-04-05"
    assert by[D2011]["inForce"] == "2011-04-15"
    assert by[FD2002]["inForce"] == "2002-08-01"
    assert by[FD2002]["endOfForce"] == "2011-04-14"
    assert by[D2004]["adopted"] == "2004-04-29" and by[D2004]["inForce"] == "2004-08-06"
    assert by[D2024]["adopted"] == "2024-06-13" and by[D2024]["inForce"] == "2024-07-14"
    assert by[PROTOCOL]["inForce"] == "2003-12-25"
    assert "Parliament" in by[D2011]["adoptedBy"] and "Council" in by[D2011]["adoptedBy"]


IN_FORCE = [
    # (date, in force, not in force)
    ("2002-07-31", set(), {FD2002}),
    ("2002-08-01", {FD2002}, set()),
    ("2003-12-24", {FD2002}, {PROTOCOL}),
    ("2003-12-25", {FD2002, PROTOCOL}, set()),
    ("2004-08-05", {FD2002, PROTOCOL}, {D2004}),
    ("2004-08-06", {FD2002, PROTOCOL, D2004}, set()),
    ("2011-04-14", {FD2002, D2004, PROTOCOL}, {D2011}),
    ("2011-04-15", {D2011, D2004, PROTOCOL}, {FD2002}),
    ("2024-07-13", {D2011}, {D2024, FD2002}),
    ("2024-07-14", {D2011, D2024, D2004, PROTOCOL}, {FD2002}),
    # replaced with no end date of its own: out once the replacing act applies
    ("2009-12-31", {EUROPOL_CONVENTION, DEC_2009_371}, set()),
    ("2010-01-01", {DEC_2009_371}, {EUROPOL_CONVENTION}),
    ("2017-04-30", {DEC_2009_371, REG_2016_794}, {EUROPOL_CONVENTION}),
    ("2017-05-01", {REG_2016_794}, {DEC_2009_371, EUROPOL_CONVENTION}),
]


def q_in_force(kg) -> None:
    for date, inside, outside in IN_FORCE:
        found = {r["instrument"] for r in rows(kg, "in-force", asOf=date)}
        assert inside <= found, f"{date}: missing {inside - found}"
        assert not (outside & found), f"{date}: wrongly in force {outside & found}"
    found = {r["instrument"]: r for r in rows(kg, "in-force", asOf="2009-12-31")}
    assert found[EUROPOL_CONVENTION]["replacedBy"] == DEC_2009_371


def q_changes(kg) -> None:
    got = {(r["date"], r["change"], r["instrument"], r.get("by", ""))
           for r in rows(kg, "changes", **{"from": "2011-04-01", "to": "2011-04-30"})}
    assert ("2011-04-05", "adopted", D2011, "") in got
    assert ("2011-04-14", "last day in force", FD2002, "") in got
    assert ("2011-04-15", "entered into force", D2011, "") in got
    assert ("2011-04-15", "repealed or replaced", FD2002, D2011) in got
    got = {(r["date"], r["change"], r["instrument"], r.get("by", ""))
           for r in rows(kg, "changes", **{"from": "2024-01-01", "to": "2024-12-31"})}
    assert ("2024-07-14", "amended", D2011, D2024) in got
    assert not any(d < "2024-01-01" or d > "2024-12-31" for d, *_ in got)
    got = {(r["date"], r["change"], r["instrument"], r.get("by", ""))
           for r in rows(kg, "changes", **{"from": "2010-01-01", "to": "2017-12-31"})}
    assert ("2010-01-01", "repealed or replaced", EUROPOL_CONVENTION, DEC_2009_371) in got
    assert ("2017-05-01", "repealed or replaced", DEC_2009_371, REG_2016_794) in got  # applies
    assert ("2017-04-30", "last day in force", DEC_2009_371, "") in got


def q_lineage(kg) -> None:
    got = pairs(kg, "lineage", "relation", "other", instrument=D2011)
    assert (THB + "replaces", FD2002) in got
    assert (ELI + "amended_by", D2024) in got
    assert (ELI + "repeals", FD2002) not in got  # implied by thb:replaces: not repeated
    assert (ELI + "amends", D2011) in pairs(kg, "lineage", "relation", "other", instrument=D2024)
    assert (THB + "supplements", UNTOC) in pairs(kg, "lineage", "relation", "other",
                                                 instrument=PROTOCOL)


def q_responsible_bodies(kg) -> None:
    got = {(r["body"], r["responsibility"], r["instrument"]) for r in rows(kg, "responsible-bodies")}
    assert (ID + "body/unodc", THB + "hasGuardian", PROTOCOL) in got


def q_body_relations(kg) -> None:
    got = {(r["body"], r["relation"], r["other"]) for r in rows(kg, "body-relations")}
    assert (ID + "body/europol", THB + "mandatedCrimeArea",
            ID + "concept/crime-area/trafficking-in-human-beings") in got
    assert (ID + "body/european-commission", "http://www.w3.org/ns/org#hasPost",
            ID + "post/eu-anti-trafficking-coordinator") in got


def q_coordinators(kg) -> None:
    got = rows(kg, "coordinators")
    vassiliadou = [r for r in got if r["person"] == ID + "person/myria-vassiliadou"]
    assert {(r.get("appointed"), r.get("source")) for r in vassiliadou} >= {
        ("2010-12-14", G + "ip-10-1715"), ("2011-12-01", G + "seed-article")}
    assert any(r.get("until") == "2020-02-29" for r in vassiliadou)


def q_campaigns(kg) -> None:
    got = rows(kg, "campaigns")
    blue = [r for r in got if r["campaign"] == ID + "campaign/blue-heart"]
    assert blue and all(r.get("runBy") == ID + "body/unodc" for r in blue)
    assert blue[0]["launched"].startswith("2009-03")
    spain = [r for r in blue if r.get("participant") == ID + "state/spain"]
    assert spain and all(r["joined"].startswith("2010-06") for r in spain if "joined" in r)


def q_statistics(kg) -> None:
    got = rows(kg, "statistics")
    revenue = {(r["value"], r.get("unit", "")) for r in got
               if r["observation"] == ID + "observation/unodc-2010-europe-annual-revenue"}
    assert {float(v) for v, _u in revenue} >= {2.5e9, 3e9}
    assert {u for _v, u in revenue} >= {ID + "unit/eur-per-year", ID + "unit/usd-per-year"}
    assert any(float(r["value"]) == 140000 and r.get("area") == ID + "place/europe" for r in got)


def q_victims_origin(kg) -> None:
    got = [(r["origin"], float(r["share"])) for r in rows(kg, "victims-origin")]
    expected = [("balkans", 32), ("former-soviet-union", 19), ("south-america", 13),
                ("central-europe", 7), ("africa", 5), ("east-asia", 3)]
    assert [(ID + "place/" + o, float(s)) for o, s in expected] == [
        g for g in got if g[0] in {ID + "place/" + o for o, _ in expected}]


def q_provenance(kg) -> None:
    got = rows(kg, "provenance", entity="id:membership/vassiliadou-atc",
               property="thb:appointmentDate")
    sources = {(r["source"], r["value"], r.get("document")) for r in got}
    assert (G + "ip-10-1715", "2010-12-14",
            "http://europa.eu/rapid/press-release_IP-10-1715_en.htm") in sources
    assert (G + "seed-article", "2011-12-01",
            "https://w3id.org/thb-kg/source/blue-heart-article") in sources
    assert all(r.get("title") for r in got)


def q_conflicts(kg) -> None:
    got = rows(kg, "conflicts")

    def has(subject: str, prop: str, values: set[str], graphs: set[str] | None = None) -> bool:
        for r in got:
            if r["subject"] == subject and r["property"] == prop:
                vals = {r["value1"], r["value2"]}
                same = vals == values or {float(v) for v in vals} == {float(v) for v in values} \
                    if all(_num(v) for v in vals | values) else vals == values
                if same and (graphs is None or {r["source1"], r["source2"]} == graphs):
                    return True
        return False

    assert has(ID + "membership/vassiliadou-atc", THB + "appointmentDate",
               {"2011-12-01", "2010-12-14"}, {G + "seed-article", G + "ip-10-1715"})
    assert has(ID + "observation/unodc-2010-europe-annual-revenue",
               "http://purl.org/linked-data/sdmx/2009/measure#obsValue", {"2500000000", "3000000000"})
    assert has(ID + "body/europol", THB + "officialName",
               {"European Police Office", "European Union Agency for Law Enforcement Cooperation"})
    assert any(r["property"].endswith("obsValue") and {float(r["value1"]), float(r["value2"])}
               == {147.0, 117.0} for r in got)
    assert has(D2011, THB + "timeRelative",  # conflict 5: overtaken by the amendment
               {"the most recent", "http://data.europa.eu/eli/dir/2024/1712/oj"},
               {G + "seed-article", G + "eur-lex-32024l1712"})


def _num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def q_topics(kg) -> None:
    got = pairs(kg, "topics", "topic", "instrument")
    for topic in ("prevention", "prosecution", "protection"):
        assert (ID + "concept/topic/" + topic, D2011) in got


def q_victim_measures(kg) -> None:
    got = {r.get("measure") for r in rows(kg, "victim-measures")}
    assert {ID + "concept/measure/reflection-period", ID + "concept/measure/residence-permit"} <= got


def q_timeline(kg) -> None:
    got = rows(kg, "timeline")
    events = {(r["date"], r["event"], r["subject"]) for r in got}
    assert ("2011-04-15", "entered into force", D2011) in events
    assert ("2010-12-14", "appointment decided", ID + "membership/vassiliadou-atc") in events
    assert any(d.startswith("2009-03") and e == "launched" and s == ID + "campaign/blue-heart"
               for d, e, s in events)
    dates = [r["date"] for r in got]
    assert dates == sorted(dates)


def q_connections(kg) -> None:
    got = {(r["steps"], r["relation1"], r["dir1"]) for r in rows(kg, "connections")}
    assert ("1", THB + "hasGuardian", "<-") in got
    assert ("1", THB + "guardianOf", "->") in got


def q_reports(kg) -> None:
    got = {(r["report"], r.get("publisher"), r.get("issued")) for r in rows(kg, "reports")}
    assert any(rep == ID + "report/unodc-2010-trafficking-to-europe" and pub == ID + "body/unodc"
               for rep, pub, _ in got)
    assert any(rep == ID + "report/europol-2011-thb-in-the-eu" and pub == ID + "body/europol"
               for rep, pub, _ in got)


def q_dated_counts(kg) -> None:
    got = rows(kg, "dated-counts")
    counts = {(float(r["value"]), r["asAt"]) for r in got if r["status"] == "dated count"
              and "value" in r}
    assert (182.0, "2024-04-20") in counts
    assert (117.0, "2024-04-20") in counts


def q_untoc_supplements(kg) -> None:
    got = {r["protocol"] for r in rows(kg, "untoc-supplements")}
    assert {PROTOCOL, ID + "instrument/un-smuggling-protocol",
            ID + "instrument/un-firearms-protocol"} <= got
    by = {r["protocol"]: r for r in rows(kg, "untoc-supplements")}
    assert by[PROTOCOL]["inForce"] == "2003-12-25"


def q_court_cases(kg) -> None:
    got = {(r["case"], r.get("judgment")) for r in rows(kg, "court-cases")}
    assert (ID + "case/rantsev-v-cyprus-and-russia", "2010-01-07") in got
    assert (ID + "case/siliadin-v-france", "2005-07-26") in got
    ids = {r.get("identifier") for r in rows(kg, "court-cases")}
    assert {"25965/04", "73316/01"} <= ids


def q_external_ids(kg) -> None:
    got = {(r["entity"], r["identifier"]) for r in rows(kg, "external-ids")}
    assert (D2011, "32011L0036") in got
    assert (D2004, "32004L0081") in got
    assert (PROTOCOL, "XVIII-12-a") in got


def q_describe_entity(kg) -> None:
    got = {(r["direction"], r["property"], r["value"]) for r in rows(kg, "describe-entity")}
    assert ("out", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "http://www.w3.org/ns/org#Organization") in got
    assert ("in", THB + "initiativeOf", ID + "campaign/blue-heart") in got
    assert ("in", THB + "hasGuardian", PROTOCOL) in got
    sources = {r["source"] for r in rows(kg, "describe-entity")}
    assert G + "seed-article" in sources


FACT_TESTS: dict[str, Callable] = {
    "instruments": q_instruments,
    "in-force": q_in_force,
    "changes": q_changes,
    "lineage": q_lineage,
    "responsible-bodies": q_responsible_bodies,
    "body-relations": q_body_relations,
    "coordinators": q_coordinators,
    "campaigns": q_campaigns,
    "statistics": q_statistics,
    "victims-origin": q_victims_origin,
    "provenance": q_provenance,
    "conflicts": q_conflicts,
    "topics": q_topics,
    "victim-measures": q_victim_measures,
    "timeline": q_timeline,
    "connections": q_connections,
    "reports": q_reports,
    "dated-counts": q_dated_counts,
    "untoc-supplements": q_untoc_supplements,
    "court-cases": q_court_cases,
    "external-ids": q_external_ids,
    "describe-entity": q_describe_entity,
}


@pytest.mark.parametrize("name", sorted(FACT_TESTS))
def test_query_answers_its_question(name: str, kg: kg_api.KnowledgeGraph) -> None:
    FACT_TESTS[name](kg)


@pytest.mark.parametrize("name", ["in-force", "conflicts", "coordinators"])
def test_query_answers_on_the_snapshot_too(name: str, kg: kg_api.KnowledgeGraph) -> None:
    FACT_TESTS[name](_snapshot(kg))
