"""Dates keep the precision their source gives: in the data, in comparisons and in every output.

A term that ended "in June 2021" is an OWL-Time instant with
``time:inXSDgYearMonth "2021-06"`` and ``thb:datePrecision time:unitMonth``,
plus ``thb:notBefore`` / ``thb:notAfter`` (its first and last possible day),
so a plain query over the union compares full dates and the month covers
its last day. Every output (the library's rows, ``kg query`` tables, the
views' point-in-time filter) shows "2021-06", never "2021-06-01".
Issue 11, item 3; graph_data/README.md, "Dates".
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

import kg as kg_api
from kg import library, network
from kg.cli import main

ID = "https://w3id.org/thb-kg/id/"
ONIDI = ID + "person/olivier-onidi"
VASSILIADOU = ID + "person/myria-vassiliadou"
SCHMITT = ID + "person/diane-schmitt"
COSTA = ID + "person/antonio-maria-costa"

#: Who held a post on ``?asOf``, as a researcher writes it over the union: a
#: beginning by its first possible day, an end by its last, read from any
#: source's node of the same term (thb:accountOf).
HOLDERS = """
SELECT DISTINCT ?person WHERE {
  ?membership a org:Membership ; org:member ?person ; org:role ?role .
  OPTIONAL { ?membership thb:accountOf ?shared }
  BIND(COALESCE(?shared, ?membership) AS ?term)
  ?b thb:accountOf? ?term ; org:memberDuring/time:hasBeginning/thb:notBefore ?from .
  OPTIONAL { ?e thb:accountOf? ?term ; org:memberDuring/time:hasEnd/thb:notAfter ?until }
  FILTER(?from <= ?asOf && (!BOUND(?until) || ?until >= ?asOf))
}
"""


def holders(kg, day: str) -> set[str]:
    result = kg_api.query.run(kg, HOLDERS, as_of=day, policy=None)
    return {str(row[0]) for row in result.rows}


@pytest.mark.parametrize(
    ("day", "holds", "not_holds"),
    [
        ("2021-06-15", {ONIDI}, {SCHMITT, VASSILIADOU}),  # the day: "until June 2021"
        ("2021-06-30", {ONIDI}, {SCHMITT}),  # the last day of the month still counts
        ("2021-07-01", {SCHMITT}, {ONIDI}),
        ("2020-03-01", {ONIDI}, {VASSILIADOU}),  # "from March 2020": its first possible day
        ("2020-02-29", {VASSILIADOU}, {ONIDI}),  # her last day, to the day
        ("2011-03-01", {VASSILIADOU}, set()),  # she took up her duties "in March 2011"
        ("2010-08-15", {COSTA}, set()),  # his term ended in 2010 (year), July or August (month)
    ],
)
def test_a_point_in_time_query_respects_precision(kg, day: str, holds: set[str], not_holds: set[str]) -> None:
    got = holders(kg, day)
    assert holds <= got
    assert not (not_holds & got)


@pytest.mark.parametrize(
    ("person", "link", "prop", "written", "first", "last"),
    [
        (ONIDI, "hasEnd", "inXSDgYearMonth", "2021-06", "2021-06-01", "2021-06-30"),
        (ONIDI, "hasBeginning", "inXSDgYearMonth", "2020-03", "2020-03-01", "2020-03-31"),
        (VASSILIADOU, "hasBeginning", "inXSDgYearMonth", "2011-03", "2011-03-01", "2011-03-31"),
        (VASSILIADOU, "hasEnd", "inXSDDate", "2020-02-29", "2020-02-29", "2020-02-29"),
        (COSTA, "hasEnd", "inXSDgYear", "2010", "2010-01-01", "2010-12-31"),
        (COSTA, "hasEnd", "inXSDgYearMonth", "2010-07", "2010-07-01", "2010-07-31"),  # conflict 10
        (COSTA, "hasEnd", "inXSDgYearMonth", "2010-08", "2010-08-01", "2010-08-31"),  # conflict 10
    ],
)
def test_an_instant_keeps_the_precision_of_its_source(
    kg, person: str, link: str, prop: str, written: str, first: str, last: str
) -> None:
    """Plain union SPARQL: the date as the source writes it, with its bounds on the same node."""
    rows = kg_api.query.run(
        kg,
        f"""SELECT ?written ?first ?last ?unit WHERE {{
              ?m org:member <{person}> ; org:memberDuring/time:{link} ?i .
              ?i time:{prop} ?written ; thb:notBefore ?first ; thb:notAfter ?last ;
                 thb:datePrecision ?unit .
            }}""",
        policy=None,
    ).rows
    got = {(str(w), str(f), str(la), str(u).rpartition("#unit")[2]) for w, f, la, u in rows}
    unit = {"inXSDDate": "Day", "inXSDgYearMonth": "Month", "inXSDgYear": "Year"}[prop]
    assert (written, first, last, unit) in got
    # one date and one pair of bounds per instant: no source's bound on another's date
    assert all(w[: len(written)] == f[: len(written)] for w, f, _l, _u in got if len(w) == len(written))


def test_no_instant_stores_a_month_as_its_first_day(kg) -> None:
    """An instant known to the month or the year has no time:inXSDDate (no "2021-06-01")."""
    rows = kg_api.query.run(
        kg,
        """SELECT ?i WHERE {
             ?i a time:Instant ; time:inXSDDate ?d ; thb:datePrecision ?unit .
             FILTER(?unit != time:unitDay)
           }""",
        policy=None,
    ).rows
    assert rows == ()


def test_costa_term_end_is_no_start_date(kg) -> None:
    """Conflict 10 sits on the end instants as dates, not as thb:startDate."""
    rows = kg_api.query.run(
        kg, "SELECT ?i WHERE { ?i a time:Instant ; thb:startDate ?d }", policy=None
    ).rows
    assert rows == ()


# ------------------------------------------------------------------ outputs


def _coordinators(kg) -> dict[str, list[dict[str, Literal]]]:
    out: dict[str, list[dict[str, Literal]]] = {}
    for row in library.run(kg, "coordinators").as_dicts():
        out.setdefault(str(row["person"]), []).append(row)
    return out


def test_coordinators_rows_carry_the_precision(kg) -> None:
    rows = _coordinators(kg)
    onidi = rows[ONIDI]
    assert {(str(r.get("from")), str(r.get("until"))) for r in onidi} == {("2020-03", "2021-06")}
    assert {r["until"].datatype for r in onidi} == {URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")}
    appointed = {str(r["appointed"]) for r in rows[VASSILIADOU] if "appointed" in r}
    assert appointed == {"2011-12", "2010-12-14"}  # conflict 1: the seed's month, the Commission's day


@pytest.mark.parametrize(
    ("args", "shown", "hidden"),
    [
        (["query", "coordinators"], ["2021-06", "2020-03", "2011-03", "2011-12"],
         ["2021-06-01", "2020-03-01", "2011-03-01", "2011-12-01"]),
        (["query", "timeline"], ["2009-03", "2011-12"], ["2009-03-01", "2011-12-01"]),
        (["query", "campaigns"], ["2009-03", "2010-06"], ["2009-03-01", "2010-06-01"]),
        (["query", "reports"], ["2010"], ["2010-01-01"]),
        (["query", "dated-counts"], ["2005-03"], ["2005-03-01"]),
        # describe-entity reads the sources' accounts of the entity, each date at its
        # source's precision (issue 11, item 1): the seed's year, UNODC's month
        (["query", "describe-entity", "--param", "entity=id:campaign/blue-heart"],
         ["2009-03", "2009 "], ["2009-01-01", "2009-03-01"]),
        (["query", "describe-entity", "--param", "entity=id:body/unodc"], ["1997 "], ["1997-01-01"]),
        (["query", "describe-entity", "--param", "entity=id:report/unodc-2010-trafficking-to-europe"],
         ["2010-06-29", "2010 "], ["2010-01-01"]),
        (["check-staleness", "--before", "2006-01-01"], ["2000-12", "2005-03"],
         ["2000-12-01", "2005-03-01"]),
    ],
    ids=lambda a: ("-".join(a[1:4:2]).replace("entity=id:", "") if a[0] == "query" else a[0])
    if isinstance(a, list) and a else None,
)
def test_cli_tables_print_dates_at_their_precision(
    capsys: pytest.CaptureFixture[str], store: str, args: list[str], shown: list[str], hidden: list[str]
) -> None:
    assert main([*args, "--store", store]) == 0
    out = capsys.readouterr().out
    for text in shown:
        assert text in out
    for text in hidden:
        assert text not in out


def test_views_as_of_keeps_a_month_precision_term_to_its_last_day(kg) -> None:
    G = network.to_networkx(kg)
    for day, kept in (("2021-06-15", True), ("2021-06-30", True), ("2021-07-01", False)):
        H = network.in_force_on(G, day)
        terms = [
            e for u, _v, e in H.edges(data=True)
            if u == ONIDI and e.get("qualified", "") and "membership" in e["qualified"]
        ]
        assert bool(terms) is kept, day


def test_views_show_the_month_of_a_term(kg) -> None:
    G = network.to_networkx(kg)
    facts = [
        f for u, _v, e in G.edges(data=True) if u == ONIDI and e.get("qualified")
        for f in e["facts"] if f["label"] in {"from", "until"}
    ]
    assert {(f["label"], f["value"], f["precision"]) for f in facts} == {
        ("from", "2020-03", "month"), ("until", "2021-06", "month")}


# ------------------------------- entry into force and end of force at their precision

#: The prefixes of the test folders below.
_PREFIXES = """
@prefix thb: <https://w3id.org/thb-kg/ontology#> .
@prefix src: <https://w3id.org/thb-kg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
#: An act whose entry into force a source gives only to the year and whose end only to the
#: month. No shipped act has such dates (every entry into force and end in graph_data/ is
#: known to the day), so this folder is written for the test; its one source is described
#: as graph_data/README.md asks.
_ACTS = _PREFIXES + """
src:precision-test a thb:Source ;
    prov:wasDerivedFrom <https://example.org/documents/precision-test> ;
    dct:title "A source that dates an act only to the year and the month"@en .

src:precision-test {
    <https://w3id.org/thb-kg/id/instrument/yearly-convention> a eli:LegalResource ;
        skos:prefLabel "Yearly convention"@en ;
        eli:date_document "1949-01-01"^^xsd:date ;
        eli:first_date_entry_in_force "1951-01-01"^^xsd:date ;
        eli:date_no_longer_in_force "2004-06-01"^^xsd:date ;
        thb:datePrecision time:unitYear .
}
"""
_MONTHLY = _PREFIXES + """
src:precision-test-month a thb:Source ;
    prov:wasDerivedFrom <https://example.org/documents/precision-test-month> ;
    dct:title "A source that dates an act to the month"@en .

src:precision-test-month {
    <https://w3id.org/thb-kg/id/instrument/monthly-protocol> a eli:LegalResource ;
        skos:prefLabel "Monthly protocol"@en ;
        eli:first_date_entry_in_force "1960-03-01"^^xsd:date ;
        eli:date_no_longer_in_force "2004-06-01"^^xsd:date ;
        thb:datePrecision time:unitMonth .
    <https://w3id.org/thb-kg/id/instrument/daily-treaty> a eli:LegalResource ;
        skos:prefLabel "Daily treaty"@en .
}
src:precision-test-day a thb:Source ;
    prov:wasDerivedFrom <https://example.org/documents/precision-test-day> ;
    dct:title "A source that dates an act to the day"@en .
src:precision-test-day {
    <https://w3id.org/thb-kg/id/instrument/daily-treaty>
        eli:first_date_entry_in_force "1960-03-01"^^xsd:date .
}
"""
YEARLY = ID + "instrument/yearly-convention"
MONTHLY = ID + "instrument/monthly-protocol"
DAILY = ID + "instrument/daily-treaty"


@pytest.fixture(scope="module")
def acts_dir(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("precision-acts")
    (folder / "precision-test.trig").write_text(_ACTS, encoding="utf-8")
    (folder / "precision-test-month.trig").write_text(_MONTHLY, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("query", "since", "until", "params"),
    [("in-force", "inForceSince", "lastDayInForce", {"asOf": "1990-01-01"}),
     ("instruments", "inForce", "endOfForce", {})],
)
def test_in_force_and_instruments_show_dates_at_their_precision(
    acts_dir, store: str, query: str, since: str, until: str, params: dict[str, str]
) -> None:
    rows = {str(r["instrument"]): r
            for r in library.run(kg_api.load(acts_dir, store=store), query, params).as_dicts()}
    shown = {iri: (str(rows[iri][since]), str(rows[iri].get(until, ""))) for iri in (YEARLY, MONTHLY, DAILY)}
    # in-force gives the last day in force as stored (see its comment: Virtuoso 7.2)
    ends = ("2004", "2004-06") if query == "instruments" else ("2004-06-01", "2004-06-01")
    assert shown == {YEARLY: ("1951", ends[0]), MONTHLY: ("1960-03", ends[1]), DAILY: ("1960-03-01", "")}
    gyear = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
    assert rows[YEARLY][since].datatype == gyear


@pytest.mark.parametrize("query", ["in-force", "instruments"])
def test_cli_tables_print_entry_into_force_at_its_precision(
    acts_dir, capsys: pytest.CaptureFixture[str], store: str, query: str
) -> None:
    extra = ["--as-of", "1990-01-01"] if query == "in-force" else []
    assert main(["query", query, "--data", str(acts_dir), "--store", store, *extra]) == 0
    out = capsys.readouterr().out
    for text in ("1951", "1960-03", "2004-06", "1960-03-01"):
        assert text in out
    assert "1951-01-01" not in out
    if query == "instruments":
        assert "2004-06-01" not in out
