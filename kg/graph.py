"""Load the ontology and the source graphs into one rdflib Dataset.

This is the only place that reads ``ontology/`` and ``graph_data/``; every
command (validate, query, views, site, serve) starts from :func:`load`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.plugins.parsers.notation3 import BadSyntax

from . import paths
from .errors import DataFileError, DataFolderError
from .inference import Rules
from .namespaces import GRAPH, ID, PREFIXES, THB
from .stores import StoreSpec, resolve_store

#: Graph holding the OWL ontology (described in the default graph like a source).
ONTOLOGY_GRAPH = GRAPH["ontology"]
#: Graph holding the triples entailed by the ontology (see kg.inference).
INFERRED_GRAPH = GRAPH["inferred"]
#: Graphs that are ours, not a source's claims.
SYSTEM_GRAPHS = frozenset({ONTOLOGY_GRAPH, INFERRED_GRAPH})
DATA_SUFFIXES = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads"}
ONTOLOGY_FILE = "thb.ttl"
SHAPES_FILE = "shapes.ttl"


@dataclass
class KnowledgeGraph:
    """The loaded graph: an rdflib ``Dataset`` plus where it came from.

    ``dataset`` has ``default_union=True``: a query without ``GRAPH`` sees
    every source at once; ``GRAPH ?g`` tells which source says what.
    """

    dataset: Dataset
    store: StoreSpec
    data_dir: Path
    ontology_dir: Path
    files: tuple[Path, ...] = field(default_factory=tuple)
    inferred: int = 0

    def source_graphs(self) -> list[URIRef]:
        """IRIs of the source graphs (every named graph but ontology and inferred)."""
        return [g for g in self.graph_names() if g not in SYSTEM_GRAPHS]

    def graph_names(self) -> list[URIRef]:
        """IRIs of every non-empty named graph, system graphs included."""
        names = {
            g.identifier
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID
        }
        return sorted(n for n in names if len(self.dataset.graph(n)) > 0)

    def asserted_quads(self) -> Iterator[tuple]:
        """Every quad except the inferred ones: what the files say."""
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            if gid != INFERRED_GRAPH:
                yield s, p, o, gid

    def shapes(self) -> Graph:
        """The SHACL shapes graph of this graph's ontology folder."""
        return _parse_graph(self.ontology_dir / SHAPES_FILE)

    def __len__(self) -> int:
        return len(self.dataset)


def _line_of(exc: Exception) -> int | None:
    if isinstance(exc, BadSyntax):
        return int(exc.lines) + 1
    line = getattr(exc, "lineno", None)
    return int(line) if isinstance(line, int) else None


def _reason_of(exc: Exception) -> str:
    if isinstance(exc, BadSyntax):
        return f"bad syntax: {getattr(exc, '_why', exc)}"
    if isinstance(exc, RecursionError):
        return "nesting too deep to parse"
    text = getattr(exc, "msg", None) or str(exc)
    return f"bad syntax: {text}"


def _parse_graph(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise DataFolderError(f"Ontology file {path} does not exist.") from None
    except (BadSyntax, SyntaxError, RecursionError, ValueError) as exc:
        raise DataFileError(path, _line_of(exc), _reason_of(exc)) from exc
    return graph


def data_files(folder: Path) -> list[Path]:
    """The RDF files of a data folder, in a stable order."""
    if not folder.exists():
        raise DataFolderError(f"Data folder {folder} does not exist.")
    if not folder.is_dir():
        raise DataFolderError(f"Data folder {folder} is not a folder.")
    files = sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
    if not files:
        raise DataFolderError(f"Data folder {folder} holds no .trig, .ttl or .nq files.")
    return files


def _parse_into(dataset: Dataset, path: Path, store: StoreSpec) -> None:
    fmt = DATA_SUFFIXES[path.suffix]
    if fmt == "trig":
        fmt = store.trig_parser
    try:
        if fmt == "turtle":
            # A Turtle file has no graph names: its triples are its own source graph.
            dataset.graph(GRAPH[path.stem]).parse(path, format="turtle")
        else:
            dataset.parse(path, format=fmt)
    except (BadSyntax, SyntaxError, RecursionError, ValueError) as exc:
        raise DataFileError(path, _line_of(exc), _reason_of(exc)) from exc


def _describe_ontology_graph(dataset: Dataset) -> None:
    default = dataset.default_graph
    default.add((ONTOLOGY_GRAPH, RDF.type, THB.Source))
    default.add((ONTOLOGY_GRAPH, PROV.wasDerivedFrom, URIRef("https://w3id.org/thb-kg/ontology")))
    default.add((ONTOLOGY_GRAPH, DCTERMS.title, Literal("thb-kg ontology", lang="en")))
    default.add((ONTOLOGY_GRAPH, DCTERMS.publisher, ID["body/thb-kg"]))
    default.add((INFERRED_GRAPH, RDF.type, THB.Source))
    default.add((INFERRED_GRAPH, PROV.wasDerivedFrom, URIRef("https://w3id.org/thb-kg/ontology")))
    default.add(
        (
            INFERRED_GRAPH,
            DCTERMS.title,
            Literal("Triples entailed by the thb-kg ontology", lang="en"),
        )
    )
    default.add((INFERRED_GRAPH, DCTERMS.publisher, ID["body/thb-kg"]))


def materialise(dataset: Dataset, ontology: Graph) -> int:
    """Add the ontology's entailments of the source graphs to ``graph/inferred``."""
    rules = Rules(ontology)
    asserted = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        if gid in SYSTEM_GRAPHS:
            continue
        asserted.add((s, p, o))
    entailed = rules.entail(asserted) - asserted
    target = dataset.graph(INFERRED_GRAPH)
    for triple in entailed:
        target.add(triple)
    return len(entailed)


def load(
    data: Path | str | None = None,
    *,
    ontology: Path | str | None = None,
    store: str | None = None,
    infer: bool = True,
) -> KnowledgeGraph:
    """Load the ontology and every data file into a new Dataset.

    ``data`` is a folder of TriG (or Turtle) files, by default the shipped
    ``graph_data/``; ``ontology`` a folder with ``thb.ttl`` and
    ``shapes.ttl``; ``store`` a name from :data:`kg.stores.STORES`.

    >>> kg = load()
    >>> len(kg.source_graphs()) > 1
    True
    """
    spec = resolve_store(store)
    data_dir = Path(data) if data is not None else paths.data_dir()
    ontology_dir = Path(ontology) if ontology is not None else paths.ontology_dir()
    files = data_files(data_dir)
    onto_path = ontology_dir / ONTOLOGY_FILE
    onto = _parse_graph(onto_path)

    dataset = Dataset(store=spec.plugin, default_union=True)
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True, replace=True)
    ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
    for triple in onto:
        ontology_graph.add(triple)
    _describe_ontology_graph(dataset)
    for path in files:
        _parse_into(dataset, path, spec)
    inferred = materialise(dataset, onto) if infer else 0
    return KnowledgeGraph(
        dataset=dataset,
        store=spec,
        data_dir=data_dir,
        ontology_dir=ontology_dir,
        files=tuple(files),
        inferred=inferred,
    )
