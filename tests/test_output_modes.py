"""Output files get the umask's mode when new and keep their mode when replaced
(issue 14, defect 7): `kg export`, `kg viz`, `kg query --out` and `kg site`."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.atomic import atomic_open, atomic_write
from kg.cli import main

MINIMAL = Path(__file__).parent / "data" / "minimal"

#: writer -> (arguments after ``kg --data MINIMAL``, the output's name); {out} is the path.
WRITERS = {
    "export trig": (["export", "--format", "trig", "--out", "{out}"], "graph.trig"),
    "export graphml": (["export", "--format", "graphml", "--out", "{out}"], "graph.graphml"),
    "viz": (["viz", "--out", "{out}"], "view.html"),
    "query --out": (["query", "SELECT ?s WHERE { ?s a ?c }", "--out", "{out}"], "rows.csv"),
    "check-staleness --out": (["check-staleness", "--out", "{out}"], "stale.txt"),
    "site": (["site", "--quiet", "--out", "{out}"], "site"),
}
#: files of a site whose modes are checked (the folder itself, pages, assets, downloads).
SITE_FILES = ("index.html", "assets/site.css", "data/thb-kg.trig", "data/thb-kg.graphml", "e")


@pytest.fixture(autouse=True)
def _test_cache(kg_cache_dir: Path) -> Path:
    """Commands that keep a snapshot keep it in the tests' cache, not the user's."""
    return kg_cache_dir


def run_writer(writer: str, out: Path) -> None:
    args, _name = WRITERS[writer]
    argv = ["--data", str(MINIMAL), *(a.replace("{out}", str(out)) for a in args)]
    assert main(argv) == 0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def umask() -> Iterator[Callable[[int], object]]:
    """``umask(value)`` for one test (the commands run in this process); restored after."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize(
    "mask, file_mode, dir_mode",
    [
        pytest.param(0o022, 0o644, 0o755, id="umask-022"),
        pytest.param(0o027, 0o640, 0o750, id="umask-027"),
    ],
)
def test_new_output_follows_the_umask(
    tmp_path: Path,
    umask: Callable[[int], object],
    writer: str,
    mask: int,
    file_mode: int,
    dir_mode: int,
) -> None:
    umask(mask)
    out = tmp_path / WRITERS[writer][1]
    run_writer(writer, out)
    if writer == "site":
        assert mode(out) == dir_mode
        for name in SITE_FILES:
            path = out / name
            assert mode(path) == (dir_mode if path.is_dir() else file_mode), name
    else:
        assert oct(mode(out)) == oct(file_mode)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("existing", [0o644, 0o664, 0o600, 0o660], ids=oct)
def test_replaced_output_keeps_its_mode(
    tmp_path: Path, umask: Callable[[int], object], writer: str, existing: int
) -> None:
    umask(0o077)  # so that a kept mode cannot be the umask's by chance
    out = tmp_path / WRITERS[writer][1]
    run_writer(writer, out)
    if writer == "site":
        out.chmod(existing | 0o111)  # a folder: with its search bits
        for name in SITE_FILES:
            path = out / name
            path.chmod(existing | 0o111 if path.is_dir() else existing)
    else:
        out.chmod(existing)
    run_writer(writer, out)
    if writer == "site":
        assert oct(mode(out)) == oct(existing | 0o111)
        for name in SITE_FILES:
            path = out / name
            assert oct(mode(path)) == oct(existing | 0o111 if path.is_dir() else existing), name
    else:
        assert oct(mode(out)) == oct(existing)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file another group")
@pytest.mark.parametrize("how", ["atomic_write", "atomic_open"])
def test_replaced_file_keeps_its_group(tmp_path: Path, how: str) -> None:
    out = tmp_path / "shared.csv"
    out.write_text("old\n")
    os.chown(out, -1, 4242)
    out.chmod(0o640)
    if how == "atomic_write":
        atomic_write(out, "new\n")
    else:
        with atomic_open(out) as handle:
            handle.write("new\n")
    assert out.read_text() == "new\n"
    assert out.stat().st_gid == 4242 and mode(out) == 0o640
