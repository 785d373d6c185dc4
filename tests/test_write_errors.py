"""Every command that writes says one sentence and exits 2 on a full disk or a read-only
folder, and loses nothing (issue 14, part of defect 8).

As root (who ignores permission bits) the tests mount a small tmpfs, fill it, or
remount it read-only; otherwise the read-only case is a folder without write
permission and the full-disk case is skipped (it needs a mount).
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.cli import main

MINIMAL = Path(__file__).parent / "data" / "minimal"

#: writer -> (arguments after ``kg --data MINIMAL``, the output's name); {out} is the path.
WRITERS = {
    "export trig": (["export", "--format", "trig", "--out", "{out}"], "graph.trig"),
    "export gexf": (["export", "--format", "gexf", "--out", "{out}"], "graph.gexf"),
    "viz --out": (["viz", "--out", "{out}"], "view.html"),
    "query --out": (["query", "SELECT ?s WHERE { ?s a ?c }", "--out", "{out}"], "rows.csv"),
    "site --out": (["site", "--quiet", "--out", "{out}"], "site"),
}
ROOT = os.geteuid() == 0


@pytest.fixture(autouse=True)
def _test_cache(kg_cache_dir: Path) -> Path:
    """Commands that keep a snapshot keep it in the tests' cache, not the user's."""
    return kg_cache_dir


def kg(writer: str, out: Path) -> int:
    args, _name = WRITERS[writer]
    return main(["--data", str(MINIMAL), *(a.replace("{out}", str(out)) for a in args)])


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` with its bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture()
def mount(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``mount(size)``: a tmpfs of that size, unmounted after the test (root only)."""
    mounted: list[Path] = []

    def make(size: str = "4m") -> Path:
        folder = tmp_path / f"fs{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for chunk in (1 << 16, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def assert_one_sentence(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: Cannot "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.skipif(not ROOT, reason="a full disk needs a tmpfs mount (root)")
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_disk_full(
    mount: Callable[..., Path], capsys: pytest.CaptureFixture[str], writer: str
) -> None:
    disk = mount("4m")
    out = disk / WRITERS[writer][1]
    assert kg(writer, out) == 0  # the previous output
    fill(disk)
    before = snapshot(disk)
    capsys.readouterr()
    assert kg(writer, out) == 2
    assert_one_sentence(capsys, str(out), "no space left", "left as it was")
    assert snapshot(disk) == before  # the old output intact, no temporary file left


@pytest.mark.skipif(not ROOT, reason="a full disk needs a tmpfs mount (root)")
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_disk_full_first_write_leaves_nothing(
    mount: Callable[..., Path], capsys: pytest.CaptureFixture[str], writer: str
) -> None:
    disk = mount("64k")
    filler = fill(disk)
    assert kg(writer, disk / WRITERS[writer][1]) == 2
    assert_one_sentence(capsys, "no space left", "nothing was written")
    assert [p.name for p in disk.iterdir()] == [filler.name]


@pytest.fixture()
def read_only(mount: Callable[..., Path], tmp_path: Path) -> Iterator[Callable[[Path], str]]:
    """``protect(folder)`` makes ``folder`` unwritable and returns the words the error
    should hold: a read-only remount as root, no write permission otherwise."""
    protected: list[Path] = []

    def protect(folder: Path) -> str:
        if ROOT:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            return "read-only"
        folder.chmod(0o555)
        protected.append(folder)
        return "permission denied"

    yield protect
    for folder in protected:
        folder.chmod(0o755)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_read_only_folder(
    mount: Callable[..., Path],
    tmp_path: Path,
    read_only: Callable[[Path], str],
    capsys: pytest.CaptureFixture[str],
    writer: str,
) -> None:
    folder = mount("4m") if ROOT else tmp_path / "out"
    folder.mkdir(exist_ok=True)
    out = folder / WRITERS[writer][1]
    assert kg(writer, out) == 0
    before = snapshot(folder)
    words = read_only(folder)
    capsys.readouterr()
    assert kg(writer, out) == 2
    assert_one_sentence(capsys, str(out), words, "left as it was")
    assert snapshot(folder) == before
