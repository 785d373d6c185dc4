"""Network views of 100, 1,000 and 10,000 nodes: build time, file size, time to interactive.

Each view is built from a synthetic RDF dataset (one source graph; nodes of
every class with a skos:prefLabel; about 2 edges per node, to earlier nodes,
with ontology predicates), the way `kg viz` builds one:

* ``rdf->nx``: :func:`kg.network.to_networkx` over the dataset;
* ``nx->html``: :func:`kg.view.render` (layout, JSON, template) and the write;
* ``size``: the single, self-contained HTML file;
* ``interactive``: opening the file in headless Chromium (Debian's, via
  Playwright) until the network is drawn (and, below 300 nodes, its physics
  has stabilised and stopped), as the page's own ``performance.now()``
  since navigation and as wall-clock time around ``page.goto``;
* ``respond``: after that, one interaction timed in the page: find a node by
  name, select it (highlight its neighbourhood, open its details, centre on
  it) and draw the whole network again.

Medians of ``--runs`` runs (default 3). ``--compare-pyvis`` also times
pyvis 0.3.2 used naively (``Network.add_node``/``add_edge``) for the same
graphs: the quadratic build the issue measured.

    python benchmarks/bench_views.py [--sizes 100 1000 10000] [--runs 3] [--compare-pyvis]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS

from kg.namespaces import ELI, GRAPH, ID, THB
from kg.network import to_networkx
from kg.view import render

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLASSES = [ELI.LegalResource, ORG.Organization, FOAF.Person, THB.Campaign, THB.Report, ORG.Post]
PREDICATES = [ELI.cites, ORG.subOrganizationOf, ELI.passed_by, THB.hasGuardian, DCTERMS.publisher]


def synthetic_dataset(n: int, *, seed: int = 7) -> Dataset:
    """n labelled, typed nodes with about 2 edges each, in one described source graph."""
    rnd = random.Random(seed)
    ds = Dataset(default_union=True)
    source = GRAPH["synthetic"]
    ds.default_graph.add((source, RDF.type, THB.Source))
    ds.default_graph.add((source, DCTERMS.title, Literal("Synthetic benchmark data", lang="en")))
    ds.default_graph.add((source, PROV.wasDerivedFrom, URIRef("https://example.org/synthetic")))
    g = ds.graph(source)
    nodes = [ID[f"body/n{i}"] for i in range(n)]
    for i, node in enumerate(nodes):
        g.add((node, RDF.type, CLASSES[i % len(CLASSES)]))
        g.add((node, SKOS.prefLabel, Literal(f"Entity {i}", lang="en")))
        if i:
            for _ in range(2):
                g.add((node, rnd.choice(PREDICATES), nodes[rnd.randrange(i)]))
    return ds


def build(ds: Dataset, out: Path) -> tuple[float, float, int, int]:
    start = time.perf_counter()
    G = to_networkx(ds)
    mid = time.perf_counter()
    view = render(G, title=f"{G.number_of_nodes()} synthetic nodes")
    size = view.write(out)
    end = time.perf_counter()
    return mid - start, end - mid, size, G.number_of_nodes()


def interactive(browser: object, path: Path) -> tuple[float, float, float, int]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("#thb-network[data-ready=true]", state="attached", timeout=120_000)
    wall = time.perf_counter() - start
    in_page = page.evaluate("thbView.readyAt") / 1000
    drawn = page.evaluate("thbView.drawnNodeCount()")
    # one interaction, timed in the page: find a node by name, select it (neighbourhood
    # highlight, details panel, centre on it) and draw the network again
    respond = (
        page.evaluate(
            """() => { const t = performance.now();
        const n = thbView.find("Entity 42"); thbView.select(n, true); thbView.network.redraw();
        return performance.now() - t; }"""
        )
        / 1000
    )
    page.fill("#thb-search", "Entity 7")  # and the same through the search box
    page.press("#thb-search", "Enter")
    page.wait_for_selector("#thb-details h2", state="visible")
    assert not errors, errors
    page.close()
    return in_page, wall, respond, drawn


def pyvis_naive(n: int, *, seed: int = 7) -> float:
    from pyvis.network import Network

    rnd = random.Random(seed)
    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    for i in range(n):
        net.add_node(i, label=f"Entity {i}")
    for i in range(1, n):
        for _ in range(2):
            net.add_edge(i, rnd.randrange(i))
    net.generate_html()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare-pyvis", action="store_true")
    parser.add_argument("--no-browser", action="store_true", help="only build, do not open")
    args = parser.parse_args()

    render(to_networkx(synthetic_dataset(5)))  # imports (pyvis options, jinja) out of the figures
    browser = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)

    header = (
        f"{'nodes':>7} {'rdf->nx s':>10} {'nx->html s':>11} {'generate s':>11} {'size MB':>8} "
        f"{'interactive s':>14} {'(wall s)':>9} {'respond s':>10} {'physics':>8}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            ds = synthetic_dataset(n)
            out = Path(tmp) / f"view-{n}.html"
            builds = [build(ds, out) for _ in range(args.runs)]
            to_nx = statistics.median(b[0] for b in builds)
            to_html = statistics.median(b[1] for b in builds)
            total = statistics.median(b[0] + b[1] for b in builds)
            size, nodes = builds[-1][2], builds[-1][3]
            physics = "on" if nodes <= 300 else "off"
            line = f"{nodes:>7} {to_nx:>10.3f} {to_html:>11.3f} {total:>11.3f} {size / 1e6:>8.2f}"
            if browser is not None:
                runs = [interactive(browser, out) for _ in range(args.runs)]
                assert all(r[3] == nodes for r in runs), "drawn nodes differ from the graph"
                line += (
                    f" {statistics.median(r[0] for r in runs):>14.2f}"
                    f" {statistics.median(r[1] for r in runs):>9.2f}"
                    f" {statistics.median(r[2] for r in runs):>10.3f}"
                )
            else:
                line += f" {'-':>14} {'-':>9} {'-':>10}"
            print(line + f" {physics:>8}", flush=True)
    if args.compare_pyvis:
        print("\npyvis 0.3.2 used naively (add_node/add_edge, generate_html):")
        for n in args.sizes:
            print(f"{n:>7} nodes: {pyvis_naive(n):.2f} s")
    if browser is not None:
        browser.close()
        pw.stop()


if __name__ == "__main__":
    main()
