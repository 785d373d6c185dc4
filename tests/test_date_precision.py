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
        (["check-staleness", "--before", "2006-01-01"], ["2000-12", "2005-03"],
         ["2000-12-01", "2005-03-01"]),
    ],
    ids=lambda a: (a[1] if a[0] == "query" else a[0]) if isinstance(a, list) and a else None,
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
