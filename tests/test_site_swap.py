"""`kg site` replaces the old site in one step, never ships a download that does not
read back, and leaves no temporary folder behind (issue 14, defect 10)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg as kg_api
import kg.site.ontology
import kg.site.swap as swap
import kg.site.timeline
from kg.cli import main
from kg.errors import WriteError
from kg.site import MARKER, build_site

MINIMAL = Path(__file__).parent / "data" / "minimal"
BODY = "https://w3id.org/thb-kg/id/body/example-body"


@pytest.fixture(scope="module")
def small_kg() -> kg_api.KnowledgeGraph:
    return kg_api.load(MINIMAL)


@pytest.fixture()
def old_site(small_kg: kg_api.KnowledgeGraph, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build_site(small_kg, out)
    (out / "index.html").write_text("the old site\n")  # to tell it apart from a new build
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "site")


def is_complete_site(out: Path) -> bool:
    return (
        (out / MARKER).is_file()
        and (out / "index.html").is_file()
        and (out / "data" / "thb-kg.graphml").is_file()
    )


def make_old(path: Path) -> None:
    """Date ``path`` back past the age under which a folder is never taken for a leftover."""
    old = time.time() - getattr(swap, "STALE_AFTER", 60) - 120
    os.utime(path, (old, old))


# ---------------------------------------------------------------- downloads


def data_with_label(tmp_path: Path, label: str) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    text = (MINIMAL / "example-source.trig").read_text(encoding="utf-8")
    assert '"Example body"@en' in text
    (folder / "example-source.trig").write_text(text.replace('"Example body"@en', f'"{label}"@en'))
    return folder


@pytest.mark.parametrize(
    "label, char",
    [
        ("Example\\u0001body", "U+0001"),
        ("Example\\u000Bbody", "U+000B"),
        ("Ex\\u001Fbody", "U+001F"),
    ],
)
def test_control_character_never_ships_a_malformed_download(
    old_site: Path, tmp_path: Path, label: str, char: str
) -> None:
    bad = kg_api.load(data_with_label(tmp_path, label))
    with pytest.raises(WriteError) as caught:
        build_site(bad, old_site)
    message = str(caught.value)
    assert BODY in message and char in message and "left as it was" in message
    assert (old_site / "index.html").read_text() == "the old site\n"
    nx.read_graphml(old_site / "data" / "thb-kg.graphml")  # the old downloads still read
    nx.read_gexf(old_site / "data" / "thb-kg.gexf")
    assert leftovers(tmp_path) == ["data"]


def test_control_character_cli_is_one_line(
    old_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_with_label(tmp_path, "Example\\u000Bbody")
    assert main(["--data", str(data), "site", "--quiet", "--out", str(old_site)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    assert "U+000B" in err and (old_site / "index.html").read_text() == "the old site\n"


def test_every_download_is_read_back_before_it_ships(
    small_kg: kg_api.KnowledgeGraph, old_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only control characters: any download that does not parse stops the build."""
    import kg.dump

    real = kg.dump.serialize
    monkeypatch.setattr(
        kg.dump,
        "serialize",
        lambda kg, spec, **k: real(kg, spec, **k)[:-40],  # truncated
    )
    with pytest.raises(WriteError, match=r"download data/thb-kg\.\w+ did not read back"):
        build_site(small_kg, old_site)
    assert (old_site / "index.html").read_text() == "the old site\n"
    assert leftovers(old_site.parent) == []


# ---------------------------------------------------------------- the swap


class Crash(BaseException):
    """Stands for the process dying at one step of the swap."""


class Crasher:
    """Wraps the file-system steps of a build's swap; crashes before or after step ``at``,
    recording whether the site folder was complete at that instant."""

    STEPS = (
        ("os", os, "rename"),
        ("os", os, "replace"),
        ("shutil", shutil, "rmtree"),
        ("site", swap, "exchange"),
    )

    def __init__(self, monkeypatch: pytest.MonkeyPatch, out: Path, at: int | None, when: str):
        self.out, self.at, self.when = out, at, when
        self.calls: list[str] = []
        self.complete_at_crash: bool | None = None
        self.recoverable_at_crash = False
        for _label, owner, name in self.STEPS:
            if hasattr(owner, name):
                monkeypatch.setattr(owner, name, self.wrap(name, getattr(owner, name)))

    def wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            if not any(str(a).startswith(str(self.out.parent)) for a in args):
                return real(*args, **kwargs)  # not ours (pytest, other code)
            self.calls.append(name)
            if len(self.calls) == self.at and self.when == "before":
                self.crash()
            result = real(*args, **kwargs)
            if len(self.calls) == self.at and self.when == "after":
                self.crash()
            return result

        return step

    def crash(self) -> None:
        self.complete_at_crash = is_complete_site(self.out)
        self.recoverable_at_crash = any(
            is_complete_site(p / "site") for p in self.out.parent.glob(f".{self.out.name}.old-*")
        )
        self.at = None  # the clean-up that follows runs normally
        raise Crash


def count_steps(small_kg: kg_api.KnowledgeGraph, out: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    with monkeypatch.context() as m:
        crasher = Crasher(m, out, None, "before")
        build_site(small_kg, out)
    return len(crasher.calls)


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_crash_at_any_step_of_the_swap_leaves_a_complete_site(
    small_kg: kg_api.KnowledgeGraph, old_site: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    steps = count_steps(small_kg, old_site, monkeypatch)
    assert steps >= 2  # the exchange and the removal of the old site
    for at in range(1, steps + 1):
        with monkeypatch.context() as m:
            crasher = Crasher(m, old_site, at, when)
            with pytest.raises(Crash):
                build_site(small_kg, old_site)
        assert crasher.complete_at_crash, (
            f"no site at the instant of a crash {when} {crasher.calls}"
        )
        assert is_complete_site(old_site)
        for path in old_site.parent.iterdir():  # what a crash left, the next build removes
            make_old(path)
        swap.clean_stale(old_site)
        assert leftovers(old_site.parent) == []


def test_exchange_is_used_on_linux(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux") or swap.renameat2() is None:
        pytest.skip("renameat2 needs Linux and glibc 2.28 or later")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "in-a").touch()
    assert swap.exchange(a, b)
    assert [p.name for p in b.iterdir()] == ["in-a"] and not any(a.iterdir())


@pytest.mark.parametrize("when", ["before", "after"])
def test_fallback_without_exchange_keeps_or_restores_the_site(
    small_kg: kg_api.KnowledgeGraph, old_site: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """Without renameat2 the swap is two renames: between them there is no site, but the
    old one waits in .site.old-*/site and is put back (at once, or by the next build)."""
    monkeypatch.setattr(swap, "renameat2", lambda: None)
    steps = count_steps(small_kg, old_site, monkeypatch)
    assert steps >= 3
    for at in range(1, steps + 1):
        with monkeypatch.context() as m:
            crasher = Crasher(m, old_site, at, when)
            with pytest.raises(Crash):
                build_site(small_kg, old_site)
        assert crasher.complete_at_crash or crasher.recoverable_at_crash
        assert is_complete_site(old_site)
        for path in old_site.parent.iterdir():
            make_old(path)
        swap.clean_stale(old_site)
        assert leftovers(old_site.parent) == []


def test_next_build_puts_back_a_site_a_killed_fallback_swap_moved_away(
    small_kg: kg_api.KnowledgeGraph, old_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = old_site.parent / ".site.old-k1ll3d00"
    waiting.mkdir()
    old_site.rename(waiting / "site")  # the state a SIGKILL between the two renames leaves
    make_old(waiting)

    def boom(site: object) -> None:
        raise RuntimeError("the new build fails too")

    monkeypatch.setattr(kg.site.timeline, "build", boom)
    with pytest.raises(RuntimeError):
        build_site(small_kg, old_site)
    assert (old_site / "index.html").read_text() == "the old site\n"
    assert leftovers(old_site.parent) == []


# ---------------------------------------------------------------- temporary folders


@pytest.fixture()
def held_lock(tmp_path: Path) -> Iterator[Path]:
    """A leftover-looking folder that a running build holds (its lock is taken)."""
    import fcntl

    busy = tmp_path / ".site.tmp-busy0000"
    busy.mkdir()
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    make_old(busy)
    yield busy
    os.close(fd)


def test_stale_temporary_folders_are_removed_and_only_those(
    small_kg: kg_api.KnowledgeGraph, old_site: Path, held_lock: Path
) -> None:
    parent = old_site.parent
    stale = [
        parent / ".site.tmp-a1b2c3d4",
        parent / ".site.old-zz_9x8y7",
        parent / ".site.tmp-0k3a8_qz",
    ]
    for folder in stale:
        (folder / "data").mkdir(parents=True)
        (folder / "data" / "thb-kg.trig").write_bytes(b"x" * 10_000)
        make_old(folder)
    kept = {
        ".site.tmp-fresh000": "a build that started a moment ago",
        ".site.tmp-short": "not our name pattern",
        ".other.tmp-a1b2c3d4": "another site's",
        "site.tmp-a1b2c3d4": "not hidden: not ours",
    }
    for name in kept:
        (parent / name).mkdir()
        if name != ".site.tmp-fresh000":
            make_old(parent / name)
    build_site(small_kg, old_site)
    assert leftovers(parent) == sorted([*kept, held_lock.name])


def test_failed_build_leaves_no_temporary_folder(
    small_kg: kg_api.KnowledgeGraph, old_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(site: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.site.ontology, "build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(small_kg, old_site)
    assert (old_site / "index.html").read_text() == "the old site\n"
    assert leftovers(old_site.parent) == []


KILL_AT_DOWNLOADS = """
import os, signal, sys
import kg
from kg.site import build_site

def progress(step, done, total):
    if step == "downloads":
        os.kill(os.getpid(), signal.SIGTERM)

build_site(kg.load(sys.argv[1]), sys.argv[2], progress=progress)
"""


def test_terminated_build_leaves_no_temporary_folder(old_site: Path) -> None:
    """SIGTERM (a CI time-out, kill) half-way through the build: no .site.tmp-* left."""
    run = subprocess.run(
        [sys.executable, "-c", KILL_AT_DOWNLOADS, str(MINIMAL), str(old_site)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), run.stderr
    assert "Traceback" not in run.stderr
    assert (old_site / "index.html").read_text() == "the old site\n"
    assert leftovers(old_site.parent) == []
