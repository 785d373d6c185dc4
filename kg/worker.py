"""Queries with a time limit that really stops the work.

No engine here can be interrupted from Python (pyoxigraph ignores signals
until its query ends), so a limited query runs in a worker *process* that
holds the graph (loaded from the cached snapshot, :mod:`kg.cache`); at the
limit the parent kills it with SIGKILL and starts a fresh one. A
:class:`WorkerPool` keeps a few workers, so one slow query never blocks the
others; it is an :class:`kg.query.Engine`, so :func:`kg.query.run` works
on it like on any graph.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import QueryError, QueryTimeoutError
from .query import QueryResult

#: Seconds a new worker may take to load the graph before we give up on it.
START_TIMEOUT = 120.0
_HEADER = struct.Struct("!Q")


class _EngineError(Exception):
    """An engine error carried back from a worker, with its position if any."""

    def __init__(self, message: str, lineno: int | None, col: int | None) -> None:
        super().__init__(message)
        self.lineno = lineno
        self.col = col


def _send(stream: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(stream: Any, n: int) -> bytes:
    chunks = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv(stream: Any) -> Any:
    (n,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    return pickle.loads(_read_exact(stream, n))  # noqa: S301 - our own child process


def _child_main(snapshot: str, store: str | None) -> None:  # pragma: no cover - in a child
    """The worker's loop: read (query, max_rows), answer with a result or an error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing but our frames on the protocol pipe
    from . import safety  # noqa: F401 - switches off rdflib's loading of FROM graphs
    from .cache import engine_from_snapshot

    try:
        engine = engine_from_snapshot(snapshot, store)
    except BaseException as exc:  # noqa: BLE001 - report and stop
        _send(out, ("failed", f"{type(exc).__name__}: {exc}"))
        return
    _send(out, ("ready",))
    while True:
        try:
            text, max_rows = _recv(inp)
        except (EOFError, OSError):
            return
        try:
            _send(out, ("ok", engine.execute(text, max_rows=max_rows)))
        except BaseException as exc:  # noqa: BLE001 - every error goes back as a message
            lineno = getattr(exc, "lineno", None)
            col = getattr(exc, "col", None)
            _send(out, ("error", str(exc) or type(exc).__name__,
                        lineno if isinstance(lineno, int) else None,
                        col if isinstance(col, int) else None))


class Worker:
    """One worker process holding the graph; :meth:`execute` with a time limit.

    The worker is ``python -m kg.worker SNAPSHOT STORE`` speaking pickled
    frames over its stdin/stdout, so it never re-imports the caller's
    ``__main__`` (scripts and notebooks need no ``if __name__`` guard).
    """

    def __init__(self, snapshot: Path | str, store: str | None = None) -> None:
        self.snapshot = str(snapshot)
        self.store = store
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.worker", self.snapshot, store or ""],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._ready = False

    def _wait(self, timeout: float) -> bool:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], max(timeout, 0))
        return bool(ready)

    def _recv(self) -> Any:
        assert self.process.stdout is not None
        return _recv(self.process.stdout)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        if self._ready:
            return
        if not self._wait(timeout):
            self.kill()
            raise QueryError("The query worker did not start in time.")
        try:
            msg = self._recv()
        except EOFError:
            self.kill()
            raise QueryError("The query worker stopped while loading the graph.") from None
        if msg[0] != "ready":
            self.kill()
            # the details may name files: they go to the log, not to a client
            logging.getLogger("kg.worker").error("worker could not load the graph: %s", msg[1])
            raise QueryError("The query worker could not load the graph (see the server log).")
        self._ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def execute(self, text: str, *, max_rows: int | None = None, timeout: float) -> QueryResult:
        """Run ``text``; past ``timeout`` seconds the worker is killed (SIGKILL)."""
        self.wait_ready()
        assert self.process.stdin is not None
        try:
            _send(self.process.stdin, (text, max_rows))
        except (BrokenPipeError, OSError):
            self.kill()
            raise QueryError("The query worker stopped unexpectedly.") from None
        if not self._wait(timeout):
            self.kill()
            raise QueryTimeoutError(
                f"The query was stopped after {timeout:g} s (the time limit); "
                "narrow it down or raise the limit."
            )
        try:
            msg = self._recv()
        except EOFError:
            self.kill()
            raise QueryError("The query worker stopped unexpectedly.") from None
        if msg[0] == "ok":
            return msg[1]  # type: ignore[no-any-return]
        raise _EngineError(msg[1], msg[2], msg[3])

    def kill(self) -> None:
        """Stop the worker at once (SIGKILL) and reap it."""
        if self.process.poll() is None:
            try:
                self.process.send_signal(signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


class WorkerPool:
    """A few :class:`Worker` processes shared by threads; an Engine with a time limit.

    ``size`` workers are started at once and kept; when all are busy a new
    one is started, up to ``max_size``; a killed worker is replaced in the
    background.
    """

    def __init__(
        self,
        snapshot: Path | str,
        store: str | None = None,
        *,
        timeout: float = 10.0,
        size: int = 2,
        max_size: int = 4,
    ) -> None:
        self.snapshot = str(snapshot)
        self.store = store
        self.timeout = timeout
        self.max_size = max(max_size, size, 1)
        self._idle: list[Worker] = []
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False
        for _ in range(max(size, 1)):
            self._idle.append(Worker(self.snapshot, store))
            self._count += 1

    def wait_ready(self) -> None:
        """Block until the first workers have loaded the graph."""
        with self._cond:
            workers = list(self._idle)
        for w in workers:
            w.wait_ready()

    def _acquire(self) -> Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise QueryError("The server is shutting down.")
                while self._idle:
                    w = self._idle.pop()
                    if w.alive:
                        return w
                    self._count -= 1
                if self._count < self.max_size:
                    self._count += 1
                    break
                if not self._cond.wait(self.timeout):
                    raise QueryTimeoutError(
                        "Every query worker is busy; try again in a few seconds."
                    )
        try:
            return Worker(self.snapshot, self.store)
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _release(self, worker: Worker) -> None:
        with self._cond:
            if worker.alive and not self._closed:
                self._idle.append(worker)
            else:
                self._count -= 1
                if not self._closed:
                    threading.Thread(target=self._replace, daemon=True).start()
            self._cond.notify()

    def _replace(self) -> None:
        with self._cond:
            if self._closed or self._count >= self.max_size or self._idle:
                return
            self._count += 1
        w = Worker(self.snapshot, self.store)
        with self._cond:
            self._idle.append(w)
            self._cond.notify()

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        worker = self._acquire()
        try:
            return worker.execute(text, max_rows=max_rows, timeout=self.timeout)
        finally:
            self._release(worker)

    def close(self) -> None:
        """Kill every worker."""
        with self._cond:
            self._closed = True
            workers, self._idle = self._idle, []
            self._cond.notify_all()
        for w in workers:
            w.kill()


def run_limited(
    snapshot: Path | str,
    sparql: str,
    params: Mapping[str, Any] | None = None,
    *,
    store: str | None = None,
    as_of: str | None = None,
    policy: Any = None,
) -> QueryResult:
    """:func:`kg.query.run` under ``policy`` (default :class:`kg.safety.Policy`) in a worker.

    The query is checked before the worker starts; the worker is killed at
    ``policy.timeout`` seconds.
    """
    from .query import run
    from .safety import Policy

    policy = policy or Policy()
    pool = WorkerPool(snapshot, store, timeout=policy.timeout, size=1, max_size=1)
    try:
        return run(pool, sparql, params, as_of=as_of, policy=policy)
    finally:
        pool.close()


if __name__ == "__main__":  # pragma: no cover - the worker process
    _child_main(sys.argv[1], sys.argv[2] or None)
