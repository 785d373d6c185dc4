"""Atomic file writes: a failed write leaves the old file as it was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import WriteError


@contextmanager
def atomic_open(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; replace ``path`` only on success.

    The temporary file is flushed and fsynced before ``os.replace``, so a crash
    or an exception inside the ``with`` block never leaves a half-written
    target.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"Cannot write {target}: folder {folder} does not exist.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(
    path: Path | str, content: str | bytes, *, check: Callable[[Path], None] | None = None
) -> None:
    """Write ``content`` to ``path`` atomically.

    ``check`` is called on the temporary file before it replaces the target
    (e.g. to re-parse what was written); if it raises, the target is untouched.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"Cannot write {target}: folder {folder} does not exist.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        if check is not None:
            check(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
