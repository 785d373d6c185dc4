"""CLI conventions: global options on either side of the command, honest help texts,
usage errors in one line, and the serve extra named when it is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from kg.cli import build_parser, main, subcommands
from kg.commands import LOAD_STORE, SNAPSHOT_STORE
from kg.stores import DEFAULT_STORE

MINIMAL = str(DATA / "minimal")
COMMANDS = dict(subcommands(build_parser()))
#: The store each command that reads the graph uses by default: what the code does.
EXPECTED_DEFAULT = {
    "validate": LOAD_STORE,
    "stats": LOAD_STORE,
    "export": LOAD_STORE,
    "viz": LOAD_STORE,
    "site": LOAD_STORE,
    "query": SNAPSHOT_STORE,
    "serve": SNAPSHOT_STORE,
    "check-staleness": SNAPSHOT_STORE,
    "publish": SNAPSHOT_STORE,
}
GRAPH_FREE = {"queries", "queries show", "prefixes"}

pytestmark = pytest.mark.usefixtures("kg_cache_dir")


def run_kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )


def test_every_command_is_classified() -> None:
    assert set(COMMANDS) == set(EXPECTED_DEFAULT) | GRAPH_FREE


def test_the_defaults_are_what_the_code_uses() -> None:
    assert LOAD_STORE == DEFAULT_STORE == "memory"
    assert SNAPSHOT_STORE == "pyoxigraph"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_states_this_commands_store_default(name: str) -> None:
    result = run_kg(*name.split(), "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for option in ("--data", "--ontology", "--store", "--no-infer", "--debug"):
        assert option in text, f"kg {name} --help does not list {option}"
    if name in GRAPH_FREE:
        assert f"ignored: kg {name} does not read the graph" in text
    else:
        assert f"(default for kg {name}: {EXPECTED_DEFAULT[name]})" in text


def test_top_level_help_lists_each_commands_default() -> None:
    text = " ".join(run_kg("--help").stdout.split())
    load = sorted(n for n, s in EXPECTED_DEFAULT.items() if s == LOAD_STORE)
    snap = sorted(n for n, s in EXPECTED_DEFAULT.items() if s == SNAPSHOT_STORE)
    for store, names in ((LOAD_STORE, load), (SNAPSHOT_STORE, snap)):
        listed = text.split(f"{store} for kg ", 1)[1].split(";")[0].split(".")[0]
        assert sorted(n.strip() for n in listed.split(",")) == names


@pytest.mark.parametrize(
    "argv",
    [
        ["--store", "memory", "query", "instruments"],
        ["query", "instruments", "--store", "memory"],
        ["query", "--store", "memory", "instruments"],
    ],
    ids=["before", "after", "between"],
)
def test_global_options_work_on_either_side(capsys, argv: list[str]) -> None:
    assert main(["--data", MINIMAL, *argv, "-f", "csv"]) == 0
    assert "32011L0036" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "winner"),
    [
        (["--store", "nosuch", "stats", "--store", "memory"], None),
        (["--store", "memory", "stats", "--store", "nosuch"], "nosuch"),
        (["--store", "nosuch", "query", "instruments", "--store", "oxigraph"], None),
    ],
    ids=["after wins (good)", "after wins (bad)", "query after wins"],
)
def test_the_later_option_wins(capsys, argv: list[str], winner: str | None) -> None:
    code = main(["--data", MINIMAL, *argv])
    err = capsys.readouterr().err
    if winner is None:
        assert code == 0, err
    else:
        assert code == 2 and f"Unknown store '{winner}'" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--data", MINIMAL, "--no-infer"],
        ["validate", "--data", MINIMAL, "--ontology", "ontology"],
        ["queries", "show", "instruments", "--store", "memory", "--debug"],
        ["prefixes", "--data", MINIMAL],
    ],
    ids=["stats", "validate", "queries show", "prefixes"],
)
def test_each_global_option_is_accepted_after_the_command(argv: list[str]) -> None:
    result = run_kg(*argv)
    assert result.returncode == 0, result.stderr


def test_store_from_the_environment_applies_when_no_option_says(capsys, monkeypatch) -> None:
    monkeypatch.setenv("KG_STORE", "nosuch")
    assert main(["--data", MINIMAL, "stats"]) == 2
    assert "Unknown store 'nosuch'" in capsys.readouterr().err
    assert main(["--data", MINIMAL, "stats", "--store", "memory"]) == 0


def test_debug_after_the_command_shows_the_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.trig").write_text('@prefix ex: <https://example.org/> .\nex:g { ex:a ex:b "x .\n}\n')
    plain = run_kg("stats", "--data", str(tmp_path))
    debug = run_kg("stats", "--data", str(tmp_path), "--debug")
    assert plain.returncode == debug.returncode == 2
    assert "Traceback" not in plain.stderr and "Traceback" in debug.stderr


@pytest.mark.parametrize(
    "argv",
    [["query"], ["nosuchcommand"], ["stats", "--bogus"], ["export", "--format"], []],
    ids=["missing argument", "unknown command", "unknown option", "option without value", "no command"],
)
def test_usage_errors_are_one_line_exit_2(argv: list[str]) -> None:
    result = run_kg(*argv)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: kg"), result.stderr
    assert "--help" in lines[0]


def test_serve_without_its_extra_names_the_extra() -> None:
    """Starlette and uvicorn hidden from the import system, as on a core install."""
    code = (
        "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None\n"
        "import importlib.util\n"
        "real = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda n, *a: None if n in ('starlette', 'uvicorn') else real(n, *a)\n"
        "from kg.cli import main; sys.exit(main(['--data', sys.argv[1], 'serve']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, MINIMAL], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: kg serve needs starlette and uvicorn, which are not installed: "
        "pip install 'thb-kg[serve]'."
    ]


def test_serve_extra_declares_what_kg_serve_imports() -> None:
    import ast
    import tomllib

    root = Path(__file__).parent.parent
    extras = tomllib.loads((root / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    tree = ast.parse((root / "kg" / "serve.py").read_text())
    imported = {
        (n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom)) and not getattr(n, "level", 0)
        for a in (n.names if isinstance(n, ast.Import) else [n])
    }
    third_party = imported - set(sys.stdlib_module_names) - {"kg", "__future__", "rdflib", "jinja2"}

    def names(reqs: list[str]) -> set[str]:
        return {r.split(">")[0].split("=")[0].split("[")[0].strip().lower() for r in reqs}

    assert third_party == names(extras["serve"]) == {"starlette", "uvicorn"}
    assert "fastapi" not in names(extras["test"])
    assert names(extras["serve"]) <= names(extras["test"])
