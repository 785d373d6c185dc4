"""Time the query library on generated data of 10k, 100k and 1M quads (issue 10).

    python benchmarks/bench_scale.py [--sizes 10000,100000,1000000] [--runs 3]
                                     [--cache DIR] [--old-timeout 600] [--rdflib-timeout 360]

For each size, ``benchmarks/synth.py`` writes the data once into a cache
folder (``$TMPDIR/thb-kg-bench-scale/synth-N-seedS``, reused by later runs).
Then, on bare pyoxigraph:

1. ``Store().bulk_load`` of every TriG file (timed: "bulk load");
2. the ontology into ``graph/ontology``, its entailments (inverses,
   super-properties, super-classes) into ``graph/inferred`` with SPARQL
   Update, and the union of all graphs, each triple once, into the default
   graph, as kg's own snapshot does (timed together: "infer + union");
3. every library query with its default parameters, the text kg itself
   runs (:func:`kg.query.prepare`: predeclared prefixes, parameters bound
   by ``VALUES``), every row read; the median of ``--runs`` runs;
4. the in-force query as it was before issue 10 (``FILTER NOT EXISTS``) in a
   child process killed after ``--old-timeout`` seconds.

And rdflib's memory store (``Dataset(default_union=True)``) loading the
same files and answering in-force, the new text then the old, in one child
process killed after ``--rdflib-timeout`` seconds (its load included); once
it runs out of time at one size, larger sizes are skipped. Prints one table
per size (wall and CPU time: on a shared machine the wall time includes
waiting for a core) and the targets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

ONTOLOGY = HERE.parent / "ontology" / "thb.ttl"
GRAPH = "https://w3id.org/thb-kg/graph/"

#: kg/queries/in-force.rq before issue 10 (git show 61a2c38:kg/queries/in-force.rq).
OLD_IN_FORCE = """\
# param: asOf date = 2025-01-01 -- the day to look at (also --as-of)
SELECT ?instrument (MIN(?start) AS ?inForceSince) (MAX(?end) AS ?lastDayInForce)
       (SAMPLE(?later) AS ?replacedBy)
WHERE {
  ?instrument a eli:LegalResource ;
              eli:first_date_entry_in_force ?start .
  FILTER(?start <= ?asOf)
  FILTER NOT EXISTS {
    ?instrument eli:date_no_longer_in_force ?ended .
    FILTER(?ended < ?asOf)
  }
  FILTER NOT EXISTS {
    ?replacing thb:replaces|eli:repeals ?instrument .
    OPTIONAL { ?replacing eli:date_applicability ?applies }
    OPTIONAL { ?replacing eli:first_date_entry_in_force ?enters }
    FILTER(COALESCE(?applies, ?enters) <= ?asOf)
  }
  OPTIONAL { ?instrument eli:date_no_longer_in_force ?end }
  OPTIONAL { ?later thb:replaces|eli:repeals ?instrument }
}
GROUP BY ?instrument
ORDER BY ?inForceSince ?instrument
"""

# Entailment as kg/inference.py computes it, as SPARQL Update: three rounds
# reach the fixpoint of our ontology (a super-property of an inverse...).
INFER = [
    f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT {{ GRAPH <{GRAPH}inferred> {{ ?s ?sup ?o }} }}
WHERE {{ GRAPH <{GRAPH}ontology> {{ ?p rdfs:subPropertyOf+ ?sup FILTER(?p != ?sup) }}
         GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{GRAPH}ontology>) }}""",
    f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT {{ GRAPH <{GRAPH}inferred> {{ ?s rdf:type ?sup }} }}
WHERE {{ GRAPH <{GRAPH}ontology> {{ ?c rdfs:subClassOf+ ?sup FILTER(?c != ?sup) }}
         GRAPH ?g {{ ?s rdf:type ?c }} FILTER(?g != <{GRAPH}ontology>) }}""",
    f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
INSERT {{ GRAPH <{GRAPH}inferred> {{ ?o ?inv ?s }} }}
WHERE {{ GRAPH <{GRAPH}ontology> {{
           {{ ?p owl:inverseOf ?inv }} UNION {{ ?inv owl:inverseOf ?p }}
           UNION {{ ?p a owl:SymmetricProperty BIND(?p AS ?inv) }} }}
         GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{GRAPH}ontology> && isIRI(?o)) }}""",
]
UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def dataset(quads: int, seed: int, cache: Path) -> Path:
    """The generated folder for ``quads``, generated once (``synth.json`` marks it complete)."""
    folder = cache / f"synth-{quads}-seed{seed}"
    if not (folder / "synth.json").exists():
        synth.generate(quads, folder, seed)
    return folder


def texts() -> dict[str, str]:
    """Every library query as kg runs it with its defaults, and the old in-force text."""
    from kg import library
    from kg.query import prepare

    out = {q.name: prepare(q.sparql, q.bindings()).text for q in library.list_queries()}
    out["in-force (old)"] = prepare(OLD_IN_FORCE, library.get("in-force").bindings()).text
    return out


def load_oxigraph(folder: Path):  # noqa: ANN201
    import pyoxigraph as ox

    store = ox.Store()
    start = time.perf_counter()
    for path in sorted(folder.glob("*.trig")):
        store.bulk_load(path=path, format=ox.RdfFormat.TRIG)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    store.bulk_load(path=ONTOLOGY, format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(GRAPH + "ontology"))
    for _ in range(3):
        for update in INFER:
            store.update(update)
    store.update(UNION)
    return store, loaded, time.perf_counter() - start


def run_ox(store, text: str) -> tuple[float, int, float]:  # noqa: ANN001
    """Wall seconds, rows and CPU seconds of one run, every row read."""
    start, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for solution in store.query(text):
        tuple(solution)
        rows += 1
    return time.perf_counter() - start, rows, time.process_time() - cpu


def child(kind: str, folder: str, names: str) -> None:
    """In a child process: load ``folder``, time each query of ``names``; a JSON line each."""
    all_texts = texts()
    if kind == "oxigraph":
        store, _, _ = load_oxigraph(Path(folder))
        for name in names.split(","):
            seconds, rows, _ = run_ox(store, all_texts[name])
            print(json.dumps({"name": name, "seconds": seconds, "rows": rows}), flush=True)
        return
    from rdflib import Dataset, URIRef

    ds = Dataset(default_union=True)
    start = time.perf_counter()
    for path in sorted(Path(folder).glob("*.trig")):
        ds.parse(path, format="trig")
    ds.graph(URIRef(GRAPH + "ontology")).parse(ONTOLOGY, format="turtle")
    loaded = time.perf_counter() - start
    for name in names.split(","):
        start = time.perf_counter()
        rows = sum(1 for _ in ds.query(all_texts[name]))
        print(json.dumps({"name": name, "seconds": time.perf_counter() - start, "rows": rows,
                          "load": loaded}), flush=True)


def in_child(kind: str, folder: Path, names: list[str], timeout: float) -> dict[str, dict]:
    """Results by name of the queries the child finished within ``timeout``."""
    cmd = [sys.executable, __file__, "--child", kind, str(folder), ",".join(names)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
        out = done.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        out = out.decode() if isinstance(out, bytes) else out
    results = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {r["name"]: r for r in results}


def fmt(seconds: float | None, limit: float | None = None) -> str:
    if seconds is None:
        return f"> {limit:.0f} s" if limit else "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "thb-kg-bench-scale")
    parser.add_argument("--old-timeout", type=float, default=600)
    parser.add_argument("--rdflib-timeout", type=float, default=360)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    sizes = [int(s) for s in args.sizes.split(",") if s]
    queries = texts()
    rdflib_gave_up = False
    summary = []
    for size in sizes:
        folder = dataset(size, args.seed, args.cache)
        manifest = json.loads((folder / "synth.json").read_text())
        store, loaded, prepared = load_oxigraph(folder)
        print(f"\n## {manifest['quads']:,} quads ({manifest['graphs']} source graphs); "
              f"bulk load {fmt(loaded)}, infer + union {fmt(prepared)}")
        print(f"{'query':<22} {'rows':>8} {'wall':>9} {'cpu':>9}")
        times = {}
        for name, text in queries.items():
            if name == "in-force (old)":
                continue
            runs = [run_ox(store, text) for _ in range(args.runs)]
            times[name] = statistics.median(t for t, _, _ in runs)
            cpu = statistics.median(c for _, _, c in runs)
            print(f"{name:<22} {runs[0][1]:>8,} {fmt(times[name]):>9} {fmt(cpu):>9}", flush=True)
        del store
        old = in_child("oxigraph", folder, ["in-force (old)"], args.old_timeout).get(
            "in-force (old)")
        print(f"{'in-force (old text)':<22} {old['rows'] if old else '':>8} "
              f"{fmt(old and old['seconds'], args.old_timeout):>9}", flush=True)
        rdf_new = rdf_old = None
        if not rdflib_gave_up:
            got = in_child("rdflib", folder, ["in-force", "in-force (old)"],
                           args.rdflib_timeout)
            rdf_new, rdf_old = got.get("in-force"), got.get("in-force (old)")
            rdflib_gave_up = rdf_new is None
            for label, r in (("new", rdf_new), ("old", rdf_old)):
                load = f", its load {fmt(r['load'])}" if r else ""
                print(f"rdflib memory, in-force ({label} text): "
                      f"{fmt(r and r['seconds'], args.rdflib_timeout)}{load}", flush=True)
        worst = max(times, key=times.get)
        best_rdflib = min((r["seconds"] for r in (rdf_new, rdf_old) if r), default=None)
        summary.append((manifest["quads"], loaded, worst, times[worst], times["in-force"],
                        old and old["seconds"], best_rdflib))
    print("\n## Targets (1M quads: every library query <= 1 s; in-force >= 500x rdflib memory)")
    for quads, _loaded, worst, worst_t, new_t, old_t, rdf_t in summary:
        ratio = f"{rdf_t / new_t:,.0f}x" if rdf_t else "rdflib did not finish"
        speedup = f"{old_t / new_t:,.0f}x" if old_t else f"> {args.old_timeout / new_t:,.0f}x"
        print(f"{quads:>10,} quads: slowest {worst} {fmt(worst_t)}; in-force {fmt(new_t)}, "
              f"{speedup} faster than the old text, vs rdflib memory {ratio}")


if __name__ == "__main__":
    main()
