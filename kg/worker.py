"""Query worker processes: no network, a time limit that really stops the work.

No engine here can be interrupted from Python (pyoxigraph ignores signals
until its query ends), so a query from someone we do not know runs in a
worker *process* that holds the graph (loaded from the cached snapshot,
:mod:`kg.cache`). The worker:

* is confined before it loads anything (:func:`kg.sandbox.confine`): no
  socket but local ones, its address space capped, killed by the kernel
  when its parent dies;
* does all the work of a request (:func:`kg.answer.answer`): the safety
  check, the query, labels, the response bytes, each bounded;
* is killed with SIGKILL at the time limit; one that has run for more than
  :data:`DEMOTE_AFTER` seconds is first lowered to the least CPU priority
  (nice 19), so that slow queries never starve quick ones, and is retired
  when it finishes.

A :class:`WorkerPool` keeps a few workers ready and starts more on demand,
up to a bound; it is an :class:`kg.query.Engine`, so :func:`kg.query.run`
works on it like on any graph, and :meth:`WorkerPool.submit` hands it a
whole :class:`kg.answer.Job`.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .errors import KgError, QueryError, QueryTimeoutError, UnsafeQueryError
from .query import QueryResult

log = logging.getLogger("kg.worker")

#: Seconds a new worker may take to load the graph before we give up on it.
START_TIMEOUT = 120.0
#: Seconds after which a running query is demoted to the least CPU priority.
DEMOTE_AFTER = 1.0
#: Bytes a reply may have beyond the result's own byte cap (the frame's envelope).
_ENVELOPE = 64 * 1024
_HEADER = struct.Struct("!Q")


class WorkerCrashError(QueryError):
    """The worker died while running a query: out of memory, or the engine crashed."""


class _EngineError(Exception):
    """An engine error carried back from a worker, with its position if any."""

    def __init__(self, message: str, lineno: int | None, col: int | None) -> None:
        super().__init__(message)
        self.lineno = lineno
        self.col = col


#: Our errors a worker may send back, rebuilt by name in the parent.
def _error_classes() -> dict[str, type[QueryError]]:
    from .answer import ResultTooLargeError

    return {c.__name__: c for c in (QueryError, UnsafeQueryError, QueryTimeoutError,
                                     ResultTooLargeError)}


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


def _recv(stream: Any, limit: int | None = None) -> Any:
    (n,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    if limit is not None and n > limit:
        raise _FrameTooLarge(n)
    return pickle.loads(_read_exact(stream, n))  # noqa: S301 - our own child process


class _FrameTooLarge(Exception):
    pass


def _reply_error(out: Any, exc: BaseException) -> None:
    """Send ``exc`` back: our own errors by class, anything else as an engine error."""
    if isinstance(exc, QueryError):
        _send(out, ("kgerror", type(exc).__name__, exc.message, exc.query, exc.line,
                    exc.column))
    elif isinstance(exc, KgError):
        _send(out, ("kgerror", "QueryError", str(exc), None, None, None))
    elif isinstance(exc, MemoryError):
        _send(out, ("kgerror", "QueryError",
                    "The query needed more memory than a worker may use (its memory cap); "
                    "narrow it down.", None, None, None))
    else:
        lineno = getattr(exc, "lineno", None)
        col = getattr(exc, "col", None)
        _send(out, ("error", str(exc) or type(exc).__name__,
                    lineno if isinstance(lineno, int) else None,
                    col if isinstance(col, int) else None))


def _child_main(config: str) -> None:  # pragma: no cover - in a child
    """The worker's loop: confine itself, load the graph, answer requests until EOF."""
    settings = json.loads(config)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing but our frames on the protocol pipe
    from .sandbox import confine

    try:
        confine(network=settings["network"], max_memory=settings["max_memory"],
                parent=settings["parent"])
        from .answer import answer
        from .cache import engine_from_snapshot

        engine = engine_from_snapshot(settings["snapshot"], settings["store"])
    except BaseException as exc:  # noqa: BLE001 - report and stop
        _send(out, ("failed", f"{type(exc).__name__}: {exc}"))
        return
    _send(out, ("ready",))
    while True:
        try:
            request = _recv(inp)
        except (EOFError, OSError):
            return
        try:
            if request[0] == "job":
                _send(out, ("ok", answer(engine, request[1])))
            else:  # ("execute", text, max_rows): text already prepared and checked
                _send(out, ("ok", engine.execute(request[1], max_rows=request[2])))
        except BaseException as exc:  # noqa: BLE001 - every error goes back as a message
            _reply_error(out, exc)


class Worker:
    """One worker process holding the graph; :meth:`request` with a time limit.

    The worker is ``python -m kg.worker CONFIG`` speaking pickled frames over
    its stdin/stdout, so it never re-imports the caller's ``__main__``
    (scripts and notebooks need no ``if __name__`` guard). It dies with the
    thread that started it (``PR_SET_PDEATHSIG``): start workers from a
    thread that lives as long as they should (the pool has one).
    """

    def __init__(
        self,
        snapshot: Path | str,
        store: str | None = None,
        *,
        network: bool = False,
        max_memory: int | None = None,
    ) -> None:
        self.snapshot = str(snapshot)
        self.store = store
        self.max_memory = max_memory
        config = json.dumps({"snapshot": self.snapshot, "store": store or "",
                             "network": network, "max_memory": max_memory,
                             "parent": os.getpid()})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.worker", config],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._ready = False
        self.demoted = False

    def _wait(self, timeout: float | None) -> bool:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [],
                                    None if timeout is None else max(timeout, 0))
        return bool(ready)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        if self._ready:
            return
        if not self._wait(timeout):
            self.kill()
            raise QueryError("The query worker did not start in time.")
        assert self.process.stdout is not None
        try:
            msg = _recv(self.process.stdout)
        except EOFError:
            self.kill()
            raise QueryError("The query worker stopped while loading the graph.") from None
        if msg[0] != "ready":
            self.kill()
            # the details may name files: they go to the log, not to a client
            log.error("worker could not start: %s", msg[1])
            raise QueryError("The query worker could not start (see the server log).")
        self._ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _demote(self) -> None:
        """Lower the running query to the least CPU priority (nice 19)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
            self.demoted = True
        except OSError:
            pass

    def request(self, message: tuple[Any, ...], *, timeout: float | None,
                max_bytes: int | None = None) -> Any:
        """Send ``message``, wait for the reply; past ``timeout`` s the worker is killed."""
        self.wait_ready()
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            _send(self.process.stdin, message)
        except (BrokenPipeError, OSError):
            self.kill()
            raise QueryError("The query worker stopped unexpectedly.") from None
        started = time.monotonic()
        first = DEMOTE_AFTER if timeout is None else min(DEMOTE_AFTER, timeout)
        if not self._wait(first):
            self._demote()
            rest = None if timeout is None else timeout - (time.monotonic() - started)
            if not self._wait(rest):
                self.kill()
                raise QueryTimeoutError(
                    f"The query was stopped after {timeout:g} s (the time limit); "
                    "narrow it down or raise the limit."
                )
        limit = None if max_bytes is None else max_bytes + _ENVELOPE
        try:
            msg = _recv(self.process.stdout, limit)
        except _FrameTooLarge:
            self.kill()
            from .answer import ResultTooLargeError

            raise ResultTooLargeError(
                f"The result is larger than {max_bytes:,} bytes (the size cap); "
                "select fewer columns or rows, or add LIMIT."
            ) from None
        except EOFError:
            self.kill()
            raise self._crash() from None
        if msg[0] == "ok":
            return msg[1]
        if msg[0] == "kgerror":
            cls = _error_classes().get(msg[1], QueryError)
            raise cls(msg[2], query=msg[3], line=msg[4], column=msg[5])
        raise _EngineError(msg[1], msg[2], msg[3])

    def _crash(self) -> QueryError:
        code = self.process.returncode
        if code in (-signal.SIGABRT, -signal.SIGKILL) and self.max_memory:
            return WorkerCrashError(
                f"The query needed more memory than a worker may use "
                f"({self.max_memory // 2**20:,} MiB); narrow it down."
            )
        if code is not None and code < 0:
            return WorkerCrashError(
                f"The query engine crashed on this query (signal {-code}); "
                "simplify the query."
            )
        return WorkerCrashError("The query worker stopped unexpectedly.")

    def execute(self, text: str, *, max_rows: int | None = None,
                timeout: float | None) -> QueryResult:
        """Run prepared, checked ``text`` (the :class:`kg.query.Engine` call)."""
        return self.request(("execute", text, max_rows), timeout=timeout)  # type: ignore[no-any-return]

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
    """Worker processes shared by threads; an Engine with a time limit.

    ``size`` workers are started at once and kept; while all are busy new
    ones are started, up to ``max_size``, and one spare is kept ready so a
    request rarely waits for a start. Workers are started by one long-lived
    thread, so the kernel's parent-death signal follows the pool, not a
    short-lived request thread. A killed, crashed or demoted worker is
    replaced in the background.
    """

    def __init__(
        self,
        snapshot: Path | str,
        store: str | None = None,
        *,
        timeout: float | None = 10.0,
        size: int = 2,
        max_size: int = 4,
        network: bool = False,
        max_memory: int | None = None,
        spare: int = 1,
    ) -> None:
        self.snapshot = str(snapshot)
        self.store = store
        self.timeout = timeout
        self.network = network
        self.max_memory = max_memory
        self.max_size = max(max_size, size, 1)
        self.spare = spare
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="kg-worker-start")
        for _ in range(max(size, 1)):
            self._count += 1
            self._idle.append(self._start())

    def _new(self) -> Worker:
        return Worker(self.snapshot, self.store, network=self.network,
                      max_memory=self.max_memory)

    def _start(self) -> Worker:
        """A new worker, started from the spawner thread (see the class docstring)."""
        worker = self._spawner.submit(self._new).result()
        with self._cond:
            self._all.add(worker)
        return worker

    def wait_ready(self) -> None:
        """Block until the first workers have loaded the graph."""
        with self._cond:
            workers = list(self._idle)
        for w in workers:
            w.wait_ready()

    def _acquire(self) -> Worker:
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        with self._cond:
            while True:
                if self._closed:
                    raise QueryError("The server is shutting down.")
                while self._idle:
                    w = self._idle.pop()
                    if w.alive:
                        self._top_up_locked()
                        return w
                    self._count -= 1
                    self._all.discard(w)
                if self._count < self.max_size:
                    self._count += 1
                    break
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0 or not self._cond.wait(wait):
                    raise QueryTimeoutError(
                        "Every query worker is busy; try again in a few seconds."
                    )
        try:
            return self._start()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _top_up_locked(self) -> None:
        """Start a spare in the background if none is idle and the bound allows."""
        if not self._closed and len(self._idle) < self.spare and self._count < self.max_size:
            self._count += 1
            self._spawner.submit(self._add_idle)

    def _add_idle(self) -> None:
        try:
            w = self._new()
        except BaseException:  # noqa: BLE001 - a failed start only shrinks the pool
            log.exception("could not start a query worker")
            with self._cond:
                self._count -= 1
            return
        with self._cond:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
            self._idle.append(w)
            self._cond.notify()

    def _release(self, worker: Worker) -> None:
        with self._cond:
            if worker.alive and not worker.demoted and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._all.discard(worker)
            self._count -= 1
            self._top_up_locked()
            self._cond.notify()
        if worker.alive:  # demoted: its priority cannot be raised again without privilege
            worker.kill()

    def request(self, message: tuple[Any, ...], *, max_bytes: int | None = None) -> Any:
        worker = self._acquire()
        try:
            return worker.request(message, timeout=self.timeout, max_bytes=max_bytes)
        finally:
            self._release(worker)

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        """Run prepared, checked ``text`` in a worker (the :class:`kg.query.Engine` call)."""
        return self.request(("execute", text, max_rows))  # type: ignore[no-any-return]

    def submit(self, job: Any) -> Any:
        """Hand a whole :class:`kg.answer.Job` to a worker: its result or response."""
        return self.request(("job", job), max_bytes=job.policy.max_bytes)

    def close(self) -> None:
        """Kill every worker, busy ones too: requests waiting on them fail at once."""
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._idle = []
            self._cond.notify_all()
        for w in workers:
            w.kill()
        self._spawner.shutdown(wait=False, cancel_futures=True)


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

    The worker has no network, and is killed at ``policy.timeout`` seconds;
    the check runs inside it, under the same limit.
    """
    from .answer import Job
    from .query import parse_param
    from .safety import Policy

    policy = policy or Policy()
    bound = {k.lstrip("?$"): v if not isinstance(v, str) else parse_param(v)
             for k, v in (params or {}).items()}
    pool = WorkerPool(snapshot, store, timeout=policy.timeout, size=1, max_size=1,
                      network=policy.network, max_memory=policy.max_memory, spare=0)
    try:
        return pool.submit(Job(sparql, bound or None, as_of, policy=policy))  # type: ignore[no-any-return]
    finally:
        pool.close()


if __name__ == "__main__":  # pragma: no cover - the worker process
    _child_main(sys.argv[1])
