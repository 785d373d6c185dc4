"""Load the ontology and the source graphs into one rdflib Dataset.

This is the only place that reads ``ontology/`` and ``graph_data/``; every
command (validate, query, views, site, serve) starts from :func:`load`.
"""

from __future__ import annotations

import logging
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from . import paths
from .errors import DataFileError, DataFolderError
from .inference import Rules
from .namespaces import GRAPH, ID, PREFIXES, THB
from .stores import StoreSpec, resolve_store

if TYPE_CHECKING:
    from .query import Engine

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

    def engine(self) -> Engine:
        """The engine that answers SPARQL on this graph as SPARQL says (see
        :func:`kg.store.engine_for_dataset`)."""
        from .store import engine_for_dataset

        return engine_for_dataset(self.dataset)

    def shapes(self) -> Graph:
        """The SHACL shapes graph of this graph's ontology folder."""
        return _parse_graph(self.ontology_dir / SHAPES_FILE)

    def __len__(self) -> int:
        return len(self.dataset)


def _line_of(exc: Exception, path: Path | None = None) -> int | None:
    if isinstance(exc, ParserError) and path is not None:
        return _line_quoted(str(exc), path)
    if isinstance(exc, BadSyntax):
        return int(exc.lines) + 1
    line = getattr(exc, "lineno", None)
    return int(line) if isinstance(line, int) else None


def _line_quoted(message: str, path: Path) -> int | None:
    """The line of ``path`` that rdflib's N-Triples/N-Quads error quotes at its end."""
    quoted = message.rstrip().rpartition("\n")[2].strip()
    if len(quoted) < 2 or quoted[0] not in "'\"":
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    wanted = quoted[1:-1].strip()
    return next((n for n, text in enumerate(lines, 1) if text.strip() == wanted), None)


#: Oxigraph's parser errors start with their position, which DataFileError says already.
_OX_POSITION = re.compile(
    r"^Parser error (?:at line \d+ (?:between columns (\d+) and (\d+)|column (\d+))"
    r"|between line \d+ column (\d+) and line \d+ column \d+): "
)


def _reason_of(exc: Exception, path: Path | None = None) -> str:
    """What is wrong, on one line (an error is one line on the terminal)."""
    return " ".join(_describe(exc, path).split())


def _describe(exc: Exception, path: Path | None) -> str:
    if isinstance(exc, ParserError):  # rdflib's N-Quads parser: the line is in the message
        return "bad syntax: not a valid N-Quads statement"
    if isinstance(exc, BadSyntax):
        return f"bad syntax: {getattr(exc, '_why', exc)}"
    if isinstance(exc, RecursionError):
        return "nesting too deep to parse"
    text = getattr(exc, "msg", None) or str(exc)
    m = _OX_POSITION.match(text)
    if m:
        start, end, column, from_column = m.groups()
        column = column or from_column
        text = text[m.end():]
        if "IRI" in text and path is not None and isinstance(exc, SyntaxError) and start:
            written = _text_at(path, exc.lineno, int(start), int(end))
            if written:
                return _bad_iri_reason(written.strip("<>"), text)
        return f"bad syntax at column {start or column}: {text}"
    return f"bad syntax: {text}"


def _text_at(path: Path, line: int | None, start: int, end: int) -> str | None:
    """Columns ``start``..``end`` (from 1, as Oxigraph counts) of ``line`` in ``path``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    if not line or not 0 < line <= len(lines):
        return None
    return lines[line - 1][start - 1 : end - 1] or None


def _bad_iri_reason(iri: str, why: str) -> str:
    return (
        f"<{_printable(iri)}> is not a valid IRI ({_printable(why)}); RDF stores and formats "
        "refuse it: percent-encode the character (a space as %20, a quote as %22)"
    )


def _printable(text: str) -> str:
    """``text`` on one line: control characters and surrogates as ``\\uXXXX`` escapes."""
    return re.sub(r"[\x00-\x1f\x7f\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04X}", text)


def _parse_graph(path: Path) -> Graph:
    graph = Graph()
    if not path.exists():
        raise DataFolderError(f"Ontology file {path} does not exist.")
    _check_file(path)
    _check_text(path)
    try:
        with _quiet_rdflib():
            graph.parse(path, format="turtle")
    except (BadSyntax, SyntaxError, ParserError, RecursionError, ValueError) as exc:
        raise DataFileError(path, _line_of(exc, path), _reason_of(exc, path)) from exc
    except OSError as exc:
        raise DataFileError(path, None, _os_reason(exc)) from exc
    bad = _first_bad_iri(_graph_iris(graph))
    if bad is not None:
        raise _bad_iri_error(path, *bad)
    return graph


def data_files(folder: Path) -> list[Path]:
    """The RDF files of a data folder, in a stable order."""
    if not folder.exists():
        raise DataFolderError(f"Data folder {folder} does not exist.")
    if not folder.is_dir():
        raise DataFolderError(f"Data folder {folder} is not a folder.")
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise DataFolderError(f"Data folder {folder} cannot be read: {_os_reason(exc)}.") from None
    # Hidden names (.#x.trig editor locks, .x.trig.swp) are not data.
    files = sorted(
        p for p in entries if p.suffix in DATA_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise DataFolderError(f"Data folder {folder} holds no .trig, .ttl or .nq files.")
    for path in files:
        _check_file(path)
    return files


def _os_reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def _check_file(path: Path) -> None:
    """Refuse, as a :class:`DataFileError`, a data file that is no readable regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DataFileError(path, None, "a link to a file that does not exist") from None
    except OSError as exc:
        raise DataFileError(path, None, f"cannot be read: {_os_reason(exc)}") from None
    if stat.S_ISDIR(mode):
        raise DataFileError(path, None, "a folder, not a data file: rename or move it")
    if not stat.S_ISREG(mode):
        raise DataFileError(
            path, None, "not a regular file (a pipe, socket or device): replace it with a file"
        )
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise DataFileError(path, None, f"cannot be read: {_os_reason(exc)}") from None


#: A ``\uD800``-``\uDFFF`` (or ``\U0000D800``...) escape not itself escaped: a surrogate.
_SURROGATE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*(\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2}))"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(path: Path) -> None:
    """Refuse a file that is not UTF-8, or that escapes a lone surrogate (``\\uD800``):
    rdflib would keep it in a string that no UTF-8 writer (kg viz, kg site) can write,
    and an RDF literal or IRI is made of Unicode scalar values, which exclude surrogates."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, None, f"cannot be read: {_os_reason(exc)}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataFileError(
            path,
            line,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
            "TriG, Turtle and N-Quads files must be UTF-8",
        ) from None
    match = _SURROGATE_ESCAPE.search(text)
    if match is None or not _holds_surrogate(path):  # e.g. an escape in a comment
        return
    escape = match.group(1)
    raise DataFileError(
        path,
        text.count("\n", 0, match.start(1)) + 1,
        f"the escape {escape} is a lone surrogate, not a Unicode character, so this is not "
        "valid RDF (literals and IRIs are strings of Unicode scalar values): write the "
        "character itself, or one \\U escape for a character beyond \\uFFFF",
    )


def _holds_surrogate(path: Path) -> bool:
    """Whether rdflib, parsing ``path`` on its own, gives a term with a surrogate in it."""
    scratch = Dataset()
    try:
        with _quiet_rdflib():
            _parse_file(scratch, path, _format_of(path))
    except Exception:  # noqa: BLE001 - the real parse reports the syntax error
        return False
    return any(
        _SURROGATE.search(str(term)) for quad in scratch.quads((None, None, None, None))
        for term in quad[:3]
    )


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's parse-time warnings: an IRI it doubts (we refuse those ourselves,
    with file and line) and a literal it cannot convert (SHACL reports those)."""
    logger = logging.getLogger("rdflib.term")

    def drop(record: logging.LogRecord) -> bool:
        return record.levelno > logging.WARNING

    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


def _graph_iris(graph: Graph) -> Iterator[URIRef]:
    for triple in graph:
        yield from _iris_of(triple)


def _iris_of(terms: Iterable[object]) -> Iterator[URIRef]:
    for term in terms:
        term = getattr(term, "identifier", term)
        if isinstance(term, URIRef):
            yield term
        elif isinstance(term, Literal) and term.datatype is not None:
            yield term.datatype


def _first_bad_iri(iris: Iterable[URIRef]) -> tuple[str, str] | None:
    """The first IRI Oxigraph refuses (what rdflib lets through), with Oxigraph's reason."""
    import pyoxigraph

    seen: set[str] = set()
    for iri in iris:
        text = str(iri)
        if text in seen:
            continue
        seen.add(text)
        try:
            pyoxigraph.NamedNode(text)
        except ValueError as exc:
            return text, str(exc)
    return None


def _bad_iri_error(path: Path, iri: str, why: str) -> DataFileError:
    """The error for ``iri`` in ``path``, at the line that writes it when we can tell."""
    line = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        lines = []
    cut = next((i for i, c in enumerate(iri) if c in _IRI_STOP), len(iri))
    for needle in (iri, iri[:cut]):
        hits = [n for n, text in enumerate(lines, 1) if needle and needle in text]
        if len(hits) == 1 or (hits and needle == iri):
            line = hits[0]
            break
    return DataFileError(path, line, _bad_iri_reason(iri, why))


_IRI_STOP = set('<>"{}|^`\\ ') | {chr(c) for c in range(0x21)}


def _format_of(path: Path) -> str:
    return DATA_SUFFIXES[path.suffix]


def _parse_file(dataset: Dataset, path: Path, fmt: str) -> None:
    if fmt == "turtle":
        # A Turtle file has no graph names: its triples are its own source graph.
        dataset.graph(GRAPH[path.stem]).parse(path, format="turtle")
    else:
        dataset.parse(path, format=fmt)


def _parse_into(dataset: Dataset, path: Path, store: StoreSpec) -> None:
    fmt = _format_of(path)
    if fmt == "trig":
        fmt = store.trig_parser
    _check_text(path)
    try:
        with _quiet_rdflib():
            _parse_file(dataset, path, fmt)
    except (BadSyntax, SyntaxError, ParserError, RecursionError, ValueError) as exc:
        if store.trig_parser != "trig" and not isinstance(exc, (BadSyntax, SyntaxError)):
            # rdflib's parser handing Oxigraph a term it refuses (a .ttl file): say which.
            located = _locate_bad_iri([path])
            if located is not None:
                raise located from exc
        raise DataFileError(path, _line_of(exc, path), _reason_of(exc, path)) from exc
    except OSError as exc:
        raise DataFileError(path, None, f"cannot be read: {_os_reason(exc)}") from exc


def _locate_bad_iri(files: Iterable[Path]) -> DataFileError | None:
    """Parse each file alone with rdflib until one holds an IRI Oxigraph refuses."""
    for path in files:
        scratch = Dataset()
        try:
            with _quiet_rdflib():
                _parse_file(scratch, path, _format_of(path))
        except Exception:  # noqa: BLE001 - not this file's problem to report here
            continue
        bad = _first_bad_iri(
            iri for quad in scratch.quads((None, None, None, None)) for iri in _iris_of(quad)
        )
        if bad is not None:
            return _bad_iri_error(path, *bad)
    return None


def _check_iris(dataset: Dataset, files: Iterable[Path]) -> None:
    """Refuse an IRI that rdflib's parser let through but RDF does not allow (a space, a
    quote, ``<>{}|^`\\``, a bad %-escape): Oxigraph, the exports and kg site would fail on it.
    Oxigraph's own parser refuses them while parsing, so only rdflib's stores need this."""
    iris = (iri for quad in dataset.quads((None, None, None, None)) for iri in _iris_of(quad))
    if _first_bad_iri(iris) is None:
        return
    located = _locate_bad_iri(files)
    if located is not None:
        raise located


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
    sourced: list[tuple[Node, Node, Node, Node]] = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        if gid in SYSTEM_GRAPHS:
            continue
        asserted.add((s, p, o))
        if isinstance(gid, URIRef) and gid != DATASET_DEFAULT_GRAPH_ID:
            sourced.append((s, p, o, gid))  # a source's statements are in its named graph
    entailed = rules.entail(asserted) - asserted
    entailed |= rules.end_of_force(sourced, asserted | entailed)
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
    if spec.trig_parser == "trig":
        _check_iris(dataset, files)
    inferred = materialise(dataset, onto) if infer else 0
    return KnowledgeGraph(
        dataset=dataset,
        store=spec,
        data_dir=data_dir,
        ontology_dir=ontology_dir,
        files=tuple(files),
        inferred=inferred,
    )
