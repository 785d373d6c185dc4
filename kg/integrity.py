"""Built artefacts that cannot lie: a manifest beside each, checked on open, built under a lock.

An *artefact* is a file (or a folder) that one process builds and other
processes read: the cached N-Quads snapshot of the graph (:mod:`kg.cache`)
today, a persistent on-disk Oxigraph store later. A damaged artefact (a cut
or emptied file, garbled bytes, a build killed half-way) must never be read
as if it were whole, so every artefact carries a *manifest*, a small JSON
file ``<name>.manifest.json`` beside it, written atomically **after** the
artefact itself:

* ``size`` and ``sha256`` of the artefact's bytes (a file; for a folder both
  are ``null``, since a store rewrites its own files when opened);
* ``count``, the number of quads it holds, which the reader checks after
  loading;
* for a folder, ``files``: the name, size and a fingerprint (the sha256 of
  its last 64 KiB; the whole file if smaller) of every file in it. A
  persistent store opened read-only never changes its files, so a folder
  whose listing differs (a file missing, cut, added, or garbled at its end)
  is damaged; damage deep inside a store's data file is caught by the
  store's own block checksums when it is read;
* ``inputs``, what it was built from, so it can be rebuilt.

The life of an artefact:

* :func:`publish` builds it into a temporary name beside the target, puts it
  in place with ``os.replace``, then writes the manifest. The old manifest is
  removed first, so a reader never pairs a new artefact with an old manifest
  it would believe, and a build that dies half-way leaves an artefact without
  a manifest: damaged, never read.
* :func:`verify` (cheap: one read, one sha256 and, given a counter, a count
  of the quads in the bytes: about 3 ms for the 1.5 MB snapshot) and
  :func:`read_verified` (the same, returning the very bytes it checked, so
  what is loaded is what was verified) raise :class:`DamagedArtefactError`
  on any mismatch; :func:`check_count` checks the quads after loading. A
  folder is checked by its manifest (written last, so present only after a
  finished build) and, when the manifest lists them, by its files.
* :func:`ensure` is what a command calls: verify without a lock (the fast,
  common path); on a miss or damage take an exclusive ``fcntl.flock`` on a
  lock file, verify again (another process may have just built it), and only
  then build with :func:`publish`, with a warning when the artefact was
  damaged rather than merely missing. Two processes never build the same
  artefact at once, and a reader never sees a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import KgError

#: The manifest format; a manifest of another format is treated as damaged.
FORMAT = "thb-kg-artefact/1"
MANIFEST_SUFFIX = ".manifest.json"
log = logging.getLogger("kg.integrity")


class DamagedArtefactError(KgError):
    """A built artefact (e.g. the cached graph) that is missing, incomplete or damaged."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        *,
        manifest: Manifest | None = None,
        missing: bool = False,
        message: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.reason = reason
        #: The manifest that was read, when the damage was found after loading.
        self.manifest = manifest
        #: True when there is simply nothing there yet (a cache miss, not damage).
        self.missing = missing
        super().__init__(
            message
            or f"{self.path} is damaged ({reason}); delete it and run the command again."
        )


@dataclass(frozen=True)
class Manifest:
    """What an artefact holds: its size and sha256 (files), its quad count, its inputs."""

    count: int
    size: int | None = None
    sha256: str | None = None
    inputs: Mapping[str, Any] | None = None
    #: A folder's files: name -> [size, fingerprint] (see :func:`folder_listing`).
    files: Mapping[str, Any] | None = None

    def to_json(self) -> str:
        doc = {"format": FORMAT, "size": self.size, "sha256": self.sha256, "count": self.count,
               "inputs": dict(self.inputs) if self.inputs is not None else None}
        if self.files is not None:
            doc["files"] = dict(self.files)
        return json.dumps(doc, indent=1, sort_keys=True) + "\n"


#: Bytes at the end of each file of a folder artefact that its fingerprint covers.
TAIL = 64 * 1024


def folder_listing(folder: Path | str) -> dict[str, list[Any]]:
    """Every file of ``folder``: name -> [size, sha256 of its last :data:`TAIL` bytes].

    About a millisecond for a store of a few dozen files, whatever their size.
    """
    listing: dict[str, list[Any]] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_file(follow_symlinks=False):
            listing[entry.name] = [None, "not a file"]
            continue
        with open(entry.path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - TAIL))
            listing[entry.name] = [size, hashlib.sha256(handle.read()).hexdigest()]
    return listing


def manifest_path(artefact: Path | str) -> Path:
    """The manifest beside ``artefact``: ``<name>.manifest.json``."""
    artefact = Path(artefact)
    return artefact.with_name(artefact.name + MANIFEST_SUFFIX)


def read_manifest(artefact: Path | str) -> Manifest:
    """The manifest of ``artefact``; :class:`DamagedArtefactError` if absent or unreadable."""
    artefact = Path(artefact)
    try:
        raw = manifest_path(artefact).read_bytes()
    except FileNotFoundError:
        exists = artefact.exists()
        raise DamagedArtefactError(
            artefact, "it has no manifest" if exists else "it does not exist", missing=not exists
        ) from None
    except OSError as exc:
        reason = f"its manifest cannot be read: {exc.strerror}"
        raise DamagedArtefactError(artefact, reason) from None
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError("not a manifest")
        count, size, digest, inputs = doc["count"], doc["size"], doc["sha256"], doc["inputs"]
        if not isinstance(count, int) or not (size is None or isinstance(size, int)):
            raise ValueError("bad count or size")
        if not (digest is None or isinstance(digest, str)):
            raise ValueError("bad sha256")
        if not (inputs is None or isinstance(inputs, dict)):
            raise ValueError("bad inputs")
        files = doc.get("files")
        if not (files is None or isinstance(files, dict)):
            raise ValueError("bad files")
    except (ValueError, KeyError, UnicodeDecodeError):
        raise DamagedArtefactError(artefact, "its manifest is not valid") from None
    return Manifest(count=count, size=size, sha256=digest, inputs=inputs, files=files)


#: Counts the quads in an artefact's bytes without loading them (e.g. lines of N-Quads).
Counter = Callable[[bytes], int]


def _check_bytes(
    artefact: Path, manifest: Manifest, data: bytes, counter: Counter | None
) -> None:
    if manifest.size is None or manifest.sha256 is None:
        raise DamagedArtefactError(artefact, "its manifest has no size or checksum")
    if len(data) != manifest.size:
        raise DamagedArtefactError(
            artefact, f"{len(data)} bytes where its manifest says {manifest.size}"
        )
    if hashlib.sha256(data).hexdigest() != manifest.sha256:
        raise DamagedArtefactError(artefact, "its sha256 does not match its manifest")
    if counter is not None:
        count = counter(data)
        if count != manifest.count:
            raise DamagedArtefactError(
                artefact, f"{count} quads where its manifest says {manifest.count}"
            )


def read_verified(
    artefact: Path | str, *, counter: Counter | None = None
) -> tuple[bytes, Manifest]:
    """The bytes of a file artefact and its manifest, checked against each other:
    size, sha256 and, given a ``counter``, the number of quads.

    The bytes returned are the bytes that were checked: load from them, not
    from the path, and a rebuild that replaces the file meanwhile cannot slip
    an unchecked file in.
    """
    artefact = Path(artefact)
    manifest = read_manifest(artefact)
    try:
        data = artefact.read_bytes()
    except FileNotFoundError:
        raise DamagedArtefactError(artefact, "its manifest is there but it is not") from None
    except IsADirectoryError:
        raise DamagedArtefactError(artefact, "a folder where a file belongs") from None
    except OSError as exc:
        raise DamagedArtefactError(artefact, f"it cannot be read: {exc.strerror}") from None
    _check_bytes(artefact, manifest, data, counter)
    return data, manifest


def verify(artefact: Path | str, *, counter: Counter | None = None) -> Manifest:
    """The manifest of ``artefact`` once it is checked; :class:`DamagedArtefactError` if not.

    A file is checked by size and sha256 (and the quad count, given a
    ``counter``; see :func:`read_verified`). A folder (a store) is checked by
    its manifest, written after the build, which says the build finished, and,
    if the manifest lists its files, by their names, sizes and fingerprints
    (:func:`folder_listing`); a caller that can afford it checks the quad count
    after opening it (:func:`check_count`).
    """
    artefact = Path(artefact)
    if artefact.is_dir():
        manifest = read_manifest(artefact)
        if manifest.files is not None:
            _check_listing(artefact, manifest)
        return manifest
    return read_verified(artefact, counter=counter)[1]


def _check_listing(folder: Path, manifest: Manifest) -> None:
    """Raise :class:`DamagedArtefactError` unless ``folder`` holds the files its manifest lists."""
    try:
        found = folder_listing(folder)
    except OSError as exc:
        raise DamagedArtefactError(folder, f"it cannot be read: {exc.strerror}") from None
    expected = dict(manifest.files or {})
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            raise DamagedArtefactError(folder, f"its file {name} is missing")
        if name not in expected:
            raise DamagedArtefactError(folder, f"it holds a file {name} its manifest does not list")
        if list(found[name]) != list(expected[name]):
            raise DamagedArtefactError(folder, f"its file {name} does not match its manifest")


def check_count(artefact: Path | str, manifest: Manifest, count: int) -> None:
    """Raise :class:`DamagedArtefactError` unless ``count`` quads are what the manifest says."""
    if count != manifest.count:
        raise DamagedArtefactError(
            artefact, f"{count} quads loaded where its manifest says {manifest.count}",
            manifest=manifest,
        )


# ---------------------------------------------------------------- building

def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(
    artefact: Path | str,
    build: Callable[[Path], int],
    *,
    inputs: Mapping[str, Any] | None = None,
    folder: bool = False,
) -> Manifest:
    """Build ``artefact`` with ``build(tmp)`` (which returns the quad count), then its manifest.

    ``tmp`` is a fresh temporary file (or, with ``folder``, an empty folder)
    beside the target. It replaces the target only when ``build`` returned;
    the manifest is written (atomically) after that. Call it under
    :func:`locked` when other processes may build the same artefact.
    """
    from .atomic import atomic_write
    from .errors import WriteError

    target = Path(artefact)
    if not target.parent.is_dir():
        raise WriteError(f"Cannot write {target}: folder {target.parent} does not exist.")
    prefix, suffix = f".{target.name}.", ".tmp"
    if folder:
        tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
        os.close(fd)
        tmp = Path(name)
    try:
        count = build(tmp)
        files = None
        if folder:
            size = digest = None
            files = folder_listing(tmp)
        else:
            data = tmp.read_bytes()
            size, digest = len(data), hashlib.sha256(data).hexdigest()
            _fsync_file(tmp)
        manifest = Manifest(count=count, size=size, sha256=digest, inputs=inputs, files=files)
        manifest_path(target).unlink(missing_ok=True)  # no reader may pair it with the new bytes
        if folder and target.exists():
            _remove(target)
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    atomic_write(manifest_path(target), manifest.to_json())
    return manifest


@contextmanager
def locked(lock: Path | str) -> Iterator[None]:
    """Hold an exclusive ``fcntl.flock`` on the file ``lock`` (created, never deleted).

    Where ``fcntl`` does not exist (Windows) this does not lock; writes stay
    atomic, so the worst case is a build done twice.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def warn(message: str) -> None:
    """A warning for the user: to the log if logging is set up, else to stderr."""
    if log.hasHandlers():
        log.warning(message)
    else:
        print(f"warning: {message}", file=sys.stderr)


def _stale_temporaries(target: Path) -> list[Path]:
    return list(target.parent.glob(f".{target.name}.*.tmp"))


def ensure(
    artefact: Path | str,
    build: Callable[[Path], int],
    *,
    lock: Path | str,
    inputs: Mapping[str, Any] | None = None,
    folder: bool = False,
    suspect: Manifest | None = None,
    what: str = "artefact",
    counter: Counter | None = None,
    after_build: Callable[[], None] | None = None,
) -> Manifest:
    """The manifest of a verified ``artefact``, built (under ``lock``) if missing or damaged.

    ``suspect`` is a manifest the caller found wrong after loading (a quad
    count that does not match): the artefact is rebuilt unless another
    process has already replaced it. A damaged artefact is rebuilt with a
    warning naming it and the damage; a missing one is built silently.
    ``counter`` counts quads in a file's bytes (see :func:`read_verified`).
    ``after_build`` runs under the lock after a build (e.g. to prune old
    artefacts).
    """
    target = Path(artefact)
    damage: str | None = None
    if suspect is None:
        try:
            return verify(target, counter=counter)
        except DamagedArtefactError:
            pass
    else:
        damage = "its quad count does not match its manifest"
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(lock):
        try:
            current = verify(target, counter=counter)
            if suspect is None or current != suspect:
                return current  # built (or rebuilt) by another process meanwhile
        except DamagedArtefactError as err:
            if not err.missing:
                damage = err.reason
        for leftover in _stale_temporaries(target):  # from a build that was killed
            _remove(leftover)
        manifest = publish(target, build, inputs=inputs, folder=folder)
        if after_build is not None:
            after_build()
    if damage is not None:
        warn(f"the {what} {target} was damaged ({damage}) and has been rebuilt.")
    return manifest
