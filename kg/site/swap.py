"""Swapping a finished build in for the old site, in one step where the system allows.

The site is built in ``.NAME.tmp-XXXXXXXX`` beside ``out`` and swapped in at
the end (:func:`swap_in`), so a failed or killed build leaves the previous
site as it was; leftovers of killed builds are removed by the next one
(:func:`clean_stale`). Only a folder holding :data:`~kg.site.context.MARKER`
is ever replaced (:func:`check_target`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import WriteError
from .context import MARKER

# ---------------------------------------------------------------- swapping the folder in

#: A temporary folder this young is never taken for a leftover: its build may
#: not hold its lock yet (seconds).
STALE_AFTER = 60.0
#: Where folders cannot be locked (some network file systems), a leftover must
#: be this old before it is removed (seconds).
STALE_UNLOCKABLE = 3600.0
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise WriteError(f"Cannot write the site to {out}: it is a file, not a folder.")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WriteError(
            f"{out} is not empty and is not a thb-kg site; choose an empty or new folder "
            "(kg site only replaces folders it wrote itself)."
        )
    if not out.parent.is_dir():
        raise WriteError(f"Cannot write the site to {out}: folder {out.parent} does not exist.")


def leftover_pattern(out: Path) -> re.Pattern[str]:
    """Names of the temporary folders builds of ``out`` make (and made, with mkdtemp)."""
    return re.compile(rf"\.{re.escape(out.name)}\.(?:tmp|old)-[A-Za-z0-9_]{{8}}\Z")


def lock(path: Path) -> int | None:
    """Open the folder ``path`` and hold an exclusive lock on it; None if it cannot be
    locked. The lock goes with the process: a crashed build's folder is unlocked."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        os.close(fd)
        return None
    return fd


def unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def new_folder(parent: Path, prefix: str, mode: int) -> tuple[Path, int | None]:
    """A new locked folder ``parent/prefix + 8 random characters`` (``mode`` less the umask)."""
    from ..atomic import create_private_name

    for _ in range(100):
        path = parent / create_private_name(prefix)
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            continue
        return path, lock(path)
    raise FileExistsError(errno.EEXIST, "no free temporary folder name", str(parent))


def unused_lock(path: Path) -> tuple[bool, int | None]:
    """Whether the leftover ``path`` belongs to no running build, and the lock that says so.

    A folder is in use while its build holds its lock (see :func:`lock`); one
    younger than :data:`STALE_AFTER` is left alone in any case.
    """
    try:
        age = time.time() - path.lstat().st_mtime
    except OSError:
        return False, None
    if age < STALE_AFTER:
        return False, None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_NOFOLLOW)
    except OSError:
        return False, None
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False, None
    except (ImportError, OSError):  # no locks here: go by age alone
        os.close(fd)
        return age >= STALE_UNLOCKABLE, None
    return True, fd


def clean_stale(out: Path) -> list[Path]:
    """Remove what earlier builds of ``out`` left beside it; returns what was removed.

    Only folders named like ours (``.NAME.tmp-XXXXXXXX``, ``.NAME.old-XXXXXXXX``)
    that no running build holds. If a build was interrupted half-way through the
    fallback swap (``out`` missing, the previous site in ``.NAME.old-*``), that
    site is put back first.
    """
    pattern = leftover_pattern(out)
    removed: list[Path] = []
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return removed
    for path in sorted(entries):
        if not pattern.match(path.name) or path.is_symlink() or not path.is_dir():
            continue
        unused, fd = unused_lock(path)
        if not unused:
            continue
        try:
            kept = path / "site"
            if ".old-" in path.name and not os.path.lexists(out) and (kept / MARKER).is_file():
                os.rename(kept, out)
            shutil.rmtree(path)
            removed.append(path)
        except OSError:
            pass  # e.g. a read-only folder: the build that follows will say so
        finally:
            unlock(fd)
    return removed


def renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2`` (2.28 or later), or None."""
    import ctypes

    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one step (``renameat2(RENAME_EXCHANGE)``).

    False when this system cannot (not Linux or glibc < 2.28, a kernel before
    3.15, a file system without exchange such as NFS): then nothing was moved.
    """
    import ctypes

    fn = renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_in(tmp: Path, out: Path) -> None:
    """Put the finished build ``tmp`` at ``out`` in one step; the old site ends in ``tmp``.

    * ``out`` missing: one ``rename``.
    * ``out`` exists: ``renameat2(RENAME_EXCHANGE)`` swaps the two folders
      atomically, so at every instant ``out`` is a complete site, old or new,
      and stays a plain folder (no symlink). The caller then deletes ``tmp``,
      which holds the old site; if it crashes first, the next build removes it.
    * Where exchange is unavailable (see :func:`exchange`), two renames: the
      old site is moved into ``.NAME.old-XXXXXXXX/site``, then the new one in.
      A crash between them leaves no ``out``; the next ``kg site`` puts the old
      site back before it builds (:func:`clean_stale`).
    """
    if not os.path.lexists(out):
        os.rename(tmp, out)
        return
    if exchange(tmp, out):
        return
    old, fd = new_folder(out.parent, f".{out.name}.old-", 0o700)
    try:
        try:
            os.rename(out, old / "site")
            os.rename(tmp, out)
        except BaseException:
            if not os.path.lexists(out) and os.path.lexists(old / "site"):
                os.rename(old / "site", out)  # put the old site back
            raise
        os.rename(old / "site", tmp)  # the caller removes tmp, as after an exchange
    finally:
        try:
            if os.path.lexists(out):  # else old/site is the only site left: keep it
                shutil.rmtree(old, ignore_errors=True)
        finally:
            unlock(fd)


def keep_modes(old: Path, new: Path) -> None:
    """The new site keeps the old one's folder mode and group, and every file or folder
    the old site had keeps its mode; new ones get the umask's (as any file would)."""
    from ..atomic import match_mode

    try:
        match_mode(new, os.stat(old))
    except OSError:
        return
    for folder, dirs, files in os.walk(new):
        rel = os.path.relpath(folder, new)
        for name in dirs + files:
            try:
                before = os.lstat(os.path.join(old, rel, name))
                now = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            same_type = stat.S_IFMT(before.st_mode) == stat.S_IFMT(now.st_mode)
            if (
                same_type
                and not stat.S_ISLNK(now.st_mode)
                and (
                    stat.S_IMODE(before.st_mode) != stat.S_IMODE(now.st_mode)
                    or before.st_gid != now.st_gid
                )
            ):
                match_mode(Path(folder, name), before)


@contextmanager
def sigterm_cleans_up() -> Iterator[None]:
    """While building, SIGTERM (a CI time-out, ``kill``) raises SystemExit, so the
    temporary folder is removed on the way out; only in the main thread and only
    when SIGTERM has its default action (a host program's handler is left alone)."""
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
