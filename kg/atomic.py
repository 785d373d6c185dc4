"""Atomic file writes: a failed write leaves the old file as it was.

Every output file of ``kg`` (``kg export``, ``kg viz``, ``kg query --out``,
the snapshot cache) is written by :func:`atomic_write` or :func:`atomic_open`:
a temporary file beside the target, flushed and fsynced, then ``os.replace``.

Modes: a *new* file gets what ``open(path, "w")`` would give it -- 0666 less
the umask (or the folder's default ACL), because the temporary file is
created with mode 0666 and the kernel applies them. An *existing* file keeps
its permission bits and its group (and its owner, when run as root); when
its group cannot be kept, the group's permission bits are dropped, so the
new file is never readable by more people than the old one.

Errors: any failure to write (disk full, quota, read-only file system,
permission denied) is a :class:`kg.errors.WriteError` naming the path and
what to check; the target is untouched and no temporary file is left.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import WriteError

__all__ = [
    "atomic_open",
    "atomic_write",
    "create_private_name",
    "match_mode",
    "reads_back",
    "write_error",
]

#: errno -> what the user should check (the second half of the error sentence).
_ADVICE = {
    errno.ENOSPC: "no space left on the device; free some space or write elsewhere",
    errno.EDQUOT: "your disk quota is used up; free some space or write elsewhere",
    errno.EROFS: "the file system is read-only; write to another folder",
    errno.EACCES: "permission denied; check that you may write to {folder}",
    errno.EPERM: "permission denied; check that you may write to {folder}",
    errno.EFBIG: "the file is too large for this file system or your file size limit",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENOENT: "folder {folder} does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EIO: "an input/output error occurred; check the disk",
    errno.EBUSY: "it is in use or a mount point; write to a new path inside it",
    errno.ENOTEMPTY: "another program made it meanwhile; try again",
}
#: errnos that mean "the write itself failed", whatever code raised them.
WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EIO}
)


def write_error(
    target: Path | str, exc: OSError, *, existed: bool | None = None, state: str | None = None
) -> WriteError:
    """A :class:`WriteError` for ``exc``: one sentence naming ``target`` and what to check.

    >>> err = write_error("g.trig", OSError(28, "No space left on device"), existed=True)
    >>> for part in str(err).split("; "):
    ...     print(part)
    Cannot write g.trig: no space left on the device
    free some space or write elsewhere
    g.trig left as it was.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    advice = _ADVICE.get(exc.errno or 0)
    reason = advice.format(folder=folder) if advice else (exc.strerror or str(exc)).lower()
    if state is None:
        if existed is None:
            existed = os.path.lexists(target)
        state = f"{target} left as it was" if existed else "nothing was written"
    return WriteError(f"Cannot write {target}: {reason}; {state}.")


#: Paths written in place whatever they point to: ``/dev/stdout`` is a symlink to
#: ``/proc/self/fd/1``, which may be a regular file; replacing it would replace
#: the system's ``/dev/stdout`` link itself (as root) and lose the output.
IN_PLACE_PREFIXES = ("/dev/", "/proc/")


def _is_special(target: Path) -> bool:
    """Whether ``target`` is written in place, never replaced by a regular file: a
    device, FIFO or socket (a named pipe, ``/dev/full``), or anything under
    ``/dev/`` or ``/proc/`` (``/dev/stdout``, ``/dev/fd/3``)."""
    if str(target.absolute()).startswith(IN_PLACE_PREFIXES):
        return os.path.exists(target)
    try:
        st = os.stat(target)
    except OSError:
        return False
    return not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))


@contextmanager
def _special_open(target: Path, mode: str) -> Iterator[IO]:
    encoding = None if "b" in mode else "utf-8"
    incomplete = "what was written to it is incomplete"
    try:
        handle = open(target, mode, encoding=encoding)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise write_error(target, exc, state="nothing was written") from exc
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as exc:
        if exc.errno in WRITE_ERRNOS and exc.filename in (None, str(target)):
            raise write_error(target, exc, state=incomplete) from exc
        raise


def create_private_name(prefix: str, suffix: str = "") -> str:
    """A name ``prefix + 8 random hex digits + suffix`` for a new entry in a folder.

    The caller creates the entry with ``O_EXCL`` / ``mkdir`` and retries on
    ``FileExistsError``; the random part is the same length as
    :func:`tempfile.mkstemp`'s, so older leftovers match the same pattern.
    """
    return f"{prefix}{secrets.token_hex(4)}{suffix}"


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """Create ``.NAME.XXXXXXXX.tmp`` in ``folder`` with mode 0666 (the umask applies)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / create_private_name(f".{name}.", ".tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def match_mode(fd_or_path: int | Path, like: os.stat_result) -> None:
    """Give a file (an open ``fd`` or a path) the permission bits and group of ``like``.

    The owner too when run as root. If the group cannot be kept, the group's
    bits are dropped: the result is never open to more people than ``like``.
    Set-user/group-ID bits are never copied.
    """
    mode = stat.S_IMODE(like.st_mode) & 0o777
    uid = like.st_uid if hasattr(os, "geteuid") and os.geteuid() == 0 else -1
    try:
        if isinstance(fd_or_path, int):
            os.fchown(fd_or_path, uid, like.st_gid)
        else:
            os.chown(fd_or_path, uid, like.st_gid, follow_symlinks=False)
    except (OSError, AttributeError):
        current = os.fstat(fd_or_path) if isinstance(fd_or_path, int) else os.lstat(fd_or_path)
        if current.st_gid != like.st_gid:
            mode &= ~0o070
    if isinstance(fd_or_path, int):
        os.fchmod(fd_or_path, mode)
    else:
        os.chmod(fd_or_path, mode)


def _keep_mode_of(fd: int, target: Path) -> None:
    """If ``target`` is an existing regular file, give ``fd`` its mode and group."""
    try:
        old = os.stat(target)
    except OSError:
        return
    if stat.S_ISREG(old.st_mode):
        match_mode(fd, old)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; best effort (not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _folder_of(target: Path) -> Path:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"Cannot write {target}: folder {folder} does not exist.")
    return folder


@contextmanager
def atomic_open(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; replace ``path`` only on success.

    The temporary file is flushed and fsynced before ``os.replace``, so a crash
    or an exception inside the ``with`` block never leaves a half-written
    target. A disk-full or similar error while writing becomes a
    :class:`WriteError`.
    """
    target = Path(path)
    if _is_special(target):
        with _special_open(target, mode) as handle:
            yield handle
        return
    folder = _folder_of(target)
    existed = os.path.lexists(target)
    try:
        fd, tmp = _create_temp(folder, target.name)
    except OSError as exc:
        raise write_error(target, exc, existed=existed) from exc
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            try:
                _keep_mode_of(handle.fileno(), target)
            except OSError as exc:
                raise write_error(target, exc, existed=existed) from exc
            try:
                yield handle
            except OSError as exc:  # a write to the temporary file failed
                if exc.errno in WRITE_ERRNOS and exc.filename is None:
                    raise write_error(target, exc, existed=existed) from exc
                raise
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise write_error(target, exc, existed=existed) from exc
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise write_error(target, exc, existed=existed) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def atomic_write(
    path: Path | str, content: str | bytes, *, check: Callable[[Path], None] | None = None
) -> None:
    """Write ``content`` to ``path`` atomically.

    ``check`` is called on the temporary file before it replaces the target
    (e.g. to re-parse what was written); if it raises, the target is untouched.
    A new file gets 0666 less the umask; an existing one keeps its mode (see
    the module docstring). Any failure to write is a :class:`WriteError`. A
    device or FIFO (``/dev/stdout``) is written in place, after ``check``.
    """
    target = Path(path)
    payload = content.encode("utf-8") if isinstance(content, str) else content
    if _is_special(target):
        if check is not None:  # read it back before anything reaches the device
            with tempfile.TemporaryDirectory(prefix="kg-check-") as scratch:
                copy = Path(scratch) / target.name
                copy.write_bytes(payload)
                check(copy)
        with _special_open(target, "wb") as handle:
            handle.write(payload)
        return
    folder = _folder_of(target)
    existed = os.path.lexists(target)
    try:
        fd, tmp = _create_temp(folder, target.name)
    except OSError as exc:
        raise write_error(target, exc, existed=existed) from exc
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                _keep_mode_of(handle.fileno(), target)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise write_error(target, exc, existed=existed) from exc
        if check is not None:
            check(tmp)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise write_error(target, exc, existed=existed) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def reads_back(
    read: Callable[[Path], object], what: str, target: Path | str
) -> Callable[[Path], None]:
    """A ``check`` for :func:`atomic_write`: ``read`` the temporary file, or refuse to replace.

    Exports use it so that a serialisation which cannot be read back (a
    library bug, a term the format cannot hold) never overwrites a good file.
    """

    def check(tmp: Path) -> None:
        try:
            read(tmp)
        except Exception as exc:  # noqa: BLE001 - any failure means "do not replace"
            raise WriteError(
                f"{what} output did not read back ({exc}); {target} left as it was."
            ) from exc

    return check
