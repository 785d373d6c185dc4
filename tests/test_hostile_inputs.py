"""The sweep: every `kg` command against hostile inputs fails in one sentence, exit 2.

Every subcommand is taken from :func:`kg.cli.build_parser`, so a new command is
swept automatically (it fails here until it has a line in :data:`BASE_ARGS`).
Each command that reads the graph is run, as a subprocess, against each file of
``tests/data/hostile-inputs/`` alone in a data folder, and against inputs that
cannot live in git (a folder or FIFO named like a data file, a dangling link, an
unreadable file), a bad ``--data``/``--ontology``/``--store``; each command is
also run with its own hostile arguments (invalid dates, queries, unwritable
output). The answer must be exit code 2, one error sentence on stderr (a query
error may quote the query under it, indented, with a caret) and no traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA

from kg.cli import build_parser, subcommands

HOSTILE = DATA / "hostile-inputs"
MINIMAL = DATA / "minimal"
ROOT = Path(__file__).parent.parent
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOT_UTF8 = b"SELECT * WHERE { ?s ?p \"caf\xe9\" }\n"
DEEP_QUERY = "SELECT * WHERE { ?s ?p " + "[ ?p " * 3000 + "?o" + " ]" * 3000 + " }"
SERVICE_QUERY = (
    "PREFIX remote: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE remote:sparql { ?s ?p ?o } }"
)

PARSER = build_parser()
COMMANDS = dict(subcommands(PARSER))
#: Arguments with which each command succeeds on good data; {out} is a fresh folder.
BASE_ARGS: dict[str, list[str]] = {
    "validate": [],
    "stats": [],
    "export": ["--format", "trig", "--out", "{out}/graph.trig"],
    "check-staleness": [],
    "query": ["instruments"],
    "queries": [],
    "queries show": ["instruments"],
    "prefixes": [],
    "serve": ["--port", "0"],
    "viz": ["--out", "{out}/view.html"],
    "site": ["--quiet", "--out", "{out}/site"],
    # nothing listens on port 9: data that loads ends in "cannot connect", also exit 2
    "publish": ["--quiet", "--endpoint", "http://127.0.0.1:9/query"],
}


def reads_graph(command: str) -> bool:
    """Whether ``command`` reads the graph: it declares the store it uses (kg.commands)."""
    return COMMANDS[command].get_default("store_default") is not None


# ------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class Case:
    """A run: ``argv`` (after ``kg``, before the command's own) built in a tmp folder."""

    make: Callable[[Path], list[str]]
    stdout_full: bool = False
    needs_non_root: bool = False


def _data_file(name: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        folder = tmp / "data"
        folder.mkdir()
        shutil.copy(HOSTILE / name, folder / name)
        return ["--data", str(folder)]

    return make


def _folder_with(kind: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        folder = tmp / "data"
        folder.mkdir()
        target = folder / "source.trig"
        if kind == "folder":
            target.mkdir()
        elif kind == "fifo":
            os.mkfifo(target)
        elif kind == "dangling link":
            target.symlink_to(tmp / "nowhere.trig")
        elif kind == "unreadable":
            shutil.copy(MINIMAL / "example-source.trig", target)
            target.chmod(0)
        return ["--data", str(folder)]

    return make


def _unreadable_folder(tmp: Path) -> list[str]:
    folder = tmp / "data"
    shutil.copytree(MINIMAL, folder)
    folder.chmod(0)
    return ["--data", str(folder)]


def _ontology(kind: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        folder = tmp / "ontology"
        shutil.copytree(ROOT / "ontology", folder)
        thb = folder / "thb.ttl"
        if kind == "missing":
            thb.unlink()
        elif kind == "folder":
            thb.unlink()
            thb.mkdir()
        elif kind == "bad IRI":
            thb.write_text(thb.read_text() + "\n<https://example.org/a b> a owl:Class .\n")
        elif kind == "not UTF-8":
            thb.write_bytes(thb.read_bytes() + b"\n# caf\xe9\n")
        return ["--data", str(MINIMAL), "--ontology", str(folder)]

    return make


DATA_CASES: dict[str, Case] = {
    f"file {p.name}": Case(_data_file(p.name))
    for p in sorted(HOSTILE.iterdir())
    if p.suffix in (".trig", ".ttl", ".nq")
}
DATA_CASES.update(
    {
        "a folder named source.trig": Case(_folder_with("folder")),
        "a FIFO named source.trig": Case(_folder_with("fifo")),
        "a dangling link source.trig": Case(_folder_with("dangling link")),
        "an unreadable file (chmod 000)": Case(_folder_with("unreadable"), needs_non_root=True),
        "an unreadable data folder (chmod 000)": Case(_unreadable_folder, needs_non_root=True),
        "--data names a file": Case(lambda tmp: ["--data", str(HOSTILE / "malformed.nq")]),
        "--data names nothing": Case(lambda tmp: ["--data", str(tmp / "nowhere")]),
        "--data holds no data file": Case(lambda tmp: ["--data", str(tmp)]),
        "--ontology without thb.ttl": Case(_ontology("missing")),
        "--ontology thb.ttl is a folder": Case(_ontology("folder")),
        "--ontology thb.ttl with a bad IRI": Case(_ontology("bad IRI")),
        "--ontology thb.ttl not UTF-8": Case(_ontology("not UTF-8")),
        "--store unknown": Case(lambda tmp: ["--data", str(MINIMAL), "--store", "nosuch"]),
    }
)


def _file(name: str, content: bytes | str | None) -> Callable[[Path], str]:
    def make(tmp: Path) -> str:
        path = tmp / name
        if content is None:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return str(path)

    return make


def _folder_of_notes(tmp: Path) -> str:
    folder = tmp / "notes"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    return str(folder)


def _args(*argv: str | Callable[[Path], str], **kw: bool) -> Case:
    """A command's own hostile arguments, on the good minimal data."""

    def make(tmp: Path) -> list[str]:
        words = [a(tmp) if callable(a) else a for a in argv]
        return ["--data", str(MINIMAL), "--replace-args", *words]

    return Case(make, **kw)


FULL = _args(stdout_full=True)
#: Each command's own hostile arguments; "--replace-args" replaces BASE_ARGS.
ARG_CASES: dict[str, dict[str, Case]] = {
    "validate": {"stdout on a full disk": FULL},
    "stats": {"stdout on a full disk": FULL},
    "export": {
        "unknown format": _args("--format", "docx", "--out", "{out}/x.docx"),
        "--out in a missing folder": _args("--format", "trig", "--out", "{out}/no/x.trig"),
    },
    "check-staleness": {
        "invalid date": _args("--before", "2011-13-45"),
        "unknown format": _args("--format", "docx"),
        "stdout on a full disk": FULL,
    },
    "query": {
        "invalid --as-of date": _args("in-force", "--as-of", "2011-13-45"),
        "invalid date parameter": _args("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "-p", "d=2011-02-30"),
        "prefixed-name SERVICE": _args(SERVICE_QUERY, "--safe"),
        "deep [ ] nesting": _args(DEEP_QUERY),
        "syntax error": _args("SELECT * WHERE { ?s ?p "),
        "update": _args("INSERT DATA { <https://e/a> <https://e/b> <https://e/c> }"),
        "query file not UTF-8": _args(_file("q.rq", NOT_UTF8)),
        "query file is a folder": _args(_file("d.rq", None)),
        "control characters in a library name": _args("instr\x1b[31muments\x07"),
        "stdout on a full disk": _args("instruments", stdout_full=True),
    },
    "queries": {"stdout on a full disk": FULL},
    "queries show": {
        "unknown name with control characters": _args("no\x1b[2Jsuch"),
        "stdout on a full disk": _args("instruments", stdout_full=True),
    },
    "prefixes": {"stdout on a full disk": FULL, "unknown option": _args("--bogus")},
    "viz": {
        "invalid --as-of date": _args("--out", "{out}/v.html", "--as-of", "2011-13-45"),
        "query file not UTF-8": _args("--out", "{out}/v.html", "--query", _file("q.rq", NOT_UTF8)),
        "deep [ ] nesting query": _args("--out", "{out}/v.html", "--query", _file("deep.rq", DEEP_QUERY)),
        "unknown focus": _args("--out", "{out}/v.html", "--focus", "no\x1b[2Jsuch"),
        "negative depth": _args("--out", "{out}/v.html", "--focus", "Europol", "--depth", "-1"),
        "--out in a missing folder": _args("--out", "{out}/no/v.html"),
    },
    "site": {
        "--out is a file": _args("--quiet", "--out", _file("file", "x")),
        "--out is a folder kg site did not write": _args("--quiet", "--out", _folder_of_notes),
    },
}


def _sweep() -> list[pytest.param]:
    params = []
    for command in sorted(COMMANDS):
        cases = dict(DATA_CASES) if reads_graph(command) else {}
        cases.update(ARG_CASES.get(command, {}))
        if not cases:
            cases = {"no hostile input declared": Case(lambda tmp: [])}
        for name, case in cases.items():
            marks = []
            if case.needs_non_root:
                marks.append(pytest.mark.skipif(IS_ROOT, reason="root reads any file"))
            params.append(pytest.param(command, case, id=f"{command}: {name}", marks=marks))
    return params


def error_lines(stderr: str) -> list[str]:
    """stderr without the quoted query and caret that a query error may indent under it."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("    ")]


@pytest.mark.parametrize(("command", "case"), _sweep())
def test_hostile_input_one_sentence_exit_2(tmp_path: Path, command: str, case: Case) -> None:
    assert command in BASE_ARGS, f"add the arguments of a good run of kg {command} to BASE_ARGS"
    assert reads_graph(command) or command in ARG_CASES, f"give kg {command} hostile arguments"
    out = tmp_path / "out"
    out.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    given = case.make(work)
    own = BASE_ARGS[command]
    if "--replace-args" in given:
        cut = given.index("--replace-args")
        given, own = given[:cut], given[cut + 1 :] or own
    argv = [*command.split(), *(a.replace("{out}", str(out)) for a in own), *given]
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "80"}
    env.pop("KG_STORE", None)
    with open("/dev/full" if case.stdout_full else os.devnull, "w") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "kg", *argv],
            stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60, env=env, cwd=tmp_path,
        )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr[-3000:]
    assert result.returncode == 2, result.stderr[-3000:]
    assert "\x1b" not in result.stderr, "control characters reach the terminal"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_ill_typed_date_in_the_data_loads_quietly_and_validate_reports_it(
    tmp_path: Path, store: str
) -> None:
    """Not an error at load (ill-typed literals are RDF): no rdflib warning, SHACL says it."""
    text = (MINIMAL / "example-source.trig").read_text()
    assert '"2011-04-05"^^xsd:date' in text
    (tmp_path / "example-source.trig").write_text(
        text.replace('"2011-04-05"^^xsd:date', '"2011-13-45"^^xsd:date')
    )
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    stats = subprocess.run(
        [sys.executable, "-m", "kg", "stats", "--data", str(tmp_path), "--store", store],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert stats.returncode == 0 and stats.stderr == ""
    validate = subprocess.run(
        [sys.executable, "-m", "kg", "validate", "--data", str(tmp_path), "--store", store],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert validate.returncode == 1 and "value: 2011-13-45" in validate.stdout
    assert "Traceback" not in validate.stderr
