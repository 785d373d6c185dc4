"""Query worker processes: no network, a time limit that really stops the work.

No engine here can be interrupted from Python (pyoxigraph ignores signals
until its query ends), so a query from someone we do not know runs in a
worker *process* that holds the graph (loaded from the cached snapshot,
:mod:`kg.cache`). A worker:

* is confined before it loads anything (:func:`kg.sandbox.confine`): no
  socket but local ones, its address space capped, killed by the kernel
  when its parent dies;
* does all the work of a request (:func:`kg.answer.answer`): the safety
  check, the query, labels, the response bytes, each bounded;
* is killed with SIGKILL at the time limit. Once a query has used
  :data:`LONG_CPU` seconds of CPU it is a *long* one: it runs on at the
  least CPU priority (nice 19) if the pool's lane for long queries has room,
  and is stopped at once if not, so that long queries never starve quick
  ones.

A :class:`WorkerPool` keeps a few workers ready and starts more on demand,
up to a bound. It forks them from a *zygote*: one confined process that has
loaded the graph and forks a worker in milliseconds, sharing the loaded
graph's memory, where starting a fresh Python process costs 0.2 s of CPU
(the workers of a busy endpoint are killed and replaced often). The pool is
an :class:`kg.query.Engine`, so :func:`kg.query.run` works on it like on
any graph, and :meth:`WorkerPool.submit` hands it a whole
:class:`kg.answer.Job`. A single :class:`Worker` (tests, ``run_limited``
callers) is a fresh ``python -m kg.worker`` process.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .errors import KgError, QueryError, QueryTimeoutError, UnsafeQueryError
from .query import QueryResult

log = logging.getLogger("kg.worker")

#: Seconds a new worker may take to load the graph before we give up on it.
START_TIMEOUT = 120.0
#: Seconds of CPU after which a query counts as long: it is demoted to the least CPU
#: priority and needs a place in the pool's lane for long queries
#: (:attr:`WorkerPool.max_long`), or is stopped. The library's queries use a few
#: milliseconds. CPU time, not wall time: a quick query that waits for a core under
#: load is not a long one.
LONG_CPU = 0.1
#: How often a running query's CPU time is looked at (seconds).
_POLL = 0.02
#: Bytes a reply may have beyond the result's own byte cap (the frame's envelope).
_ENVELOPE = 64 * 1024
_HEADER = struct.Struct("!Q")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class WorkerCrashError(QueryError):
    """The worker died while running a query: out of memory, or the engine crashed."""


class ServerBusyError(QueryTimeoutError):
    """A long query stopped early because the lane for long queries was full."""


class _EngineError(Exception):
    """An engine error carried back from a worker, with its position if any."""

    def __init__(self, message: str, lineno: int | None, col: int | None) -> None:
        super().__init__(message)
        self.lineno = lineno
        self.col = col


#: Our errors a worker may send back, rebuilt by name in the parent.
def _error_classes() -> dict[str, type[QueryError]]:
    from .answer import ResultTooLargeError
    from .negotiation import NotAcceptableError

    return {c.__name__: c for c in (QueryError, UnsafeQueryError, QueryTimeoutError,
                                     ResultTooLargeError, NotAcceptableError)}


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


def error_reply(exc: BaseException) -> tuple[Any, ...]:
    """``exc`` as a reply message: our own errors by class, anything else as an engine error."""
    if isinstance(exc, QueryError):
        return ("kgerror", type(exc).__name__, exc.message, exc.query, exc.line, exc.column)
    if isinstance(exc, KgError):
        return ("kgerror", "QueryError", str(exc), None, None, None)
    if isinstance(exc, MemoryError):
        return ("kgerror", "QueryError",
                "The query needed more memory than a worker may use (its memory cap); "
                "narrow it down.", None, None, None)
    lineno = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    return ("error", str(exc) or type(exc).__name__,
            lineno if isinstance(lineno, int) else None,
            col if isinstance(col, int) else None)


def unwrap(reply: tuple[Any, ...]) -> Any:
    """The payload of an ``("ok", ...)`` reply; an error reply raised as the error it was."""
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "kgerror":
        cls = _error_classes().get(reply[1], QueryError)
        raise cls(reply[2], query=reply[3], line=reply[4], column=reply[5])
    raise _EngineError(reply[1], reply[2], reply[3])


def crash_error(sig: int | None, max_memory: int | None) -> WorkerCrashError:
    """Why a query process died, from the signal that ended it (None: not known)."""
    mib = f"{max_memory // 2**20:,} MiB" if max_memory else ""
    if sig is None:  # a worker forked by the zygote: its status went to the zygote
        if max_memory:
            return WorkerCrashError(
                f"The query worker stopped: the query needed more memory than a worker may "
                f"use ({mib}), or crashed the engine; narrow it down."
            )
        return WorkerCrashError("The query worker stopped: the query crashed the engine.")
    if sig in (signal.SIGABRT, signal.SIGKILL) and max_memory:
        return WorkerCrashError(
            f"The query needed more memory than a worker may use ({mib}); narrow it down."
        )
    if sig > 0:
        return WorkerCrashError(
            f"The query engine crashed on this query (signal {sig}); simplify the query."
        )
    return WorkerCrashError("The query worker stopped unexpectedly.")


#: Queries a worker answers once before it is ready (:func:`warm_up`): one of each kind,
#: in the formats the endpoint sends most, so that every module a request needs is loaded.
#: They read no data (VALUES only), so they cost the same on 5k quads and on 10M.
_WARM_UP = (
    ('SELECT ?s (COUNT(*) AS ?n) (SAMPLE(?o) AS ?any) WHERE { VALUES (?s ?o) '
     '{ (<urn:thb-kg:warm-up> "1"^^xsd:integer) (<urn:thb-kg:warm-up> "a"@en) } } '
     "GROUP BY ?s HAVING (COUNT(*) > 0) ORDER BY ?s",
     ("text/csv", "application/sparql-results+json")),
    ("ASK { VALUES ?s { <urn:thb-kg:warm-up> } }", ("application/sparql-results+json",)),
    ("CONSTRUCT { ?s ?s ?s } WHERE { VALUES ?s { <urn:thb-kg:warm-up> } }", ("text/turtle",)),
)


def warm_up(engine: Any) -> None:
    """Answer :data:`_WARM_UP` once on ``engine``, results thrown away.

    Why: ``import kg`` loads its modules, and rdflib's SPARQL parser, on first
    use, and the first query in a process costs about 0.1 s of CPU for them,
    as much as :data:`LONG_CPU`. Workers are forked from the zygote; unless it
    has answered a query, every new worker's first quick query would count as
    a long one, and a burst of quick queries on fresh workers would be shed
    with 503 as if the lane for long queries were full. Warmed here, before
    any fork, the modules are in every worker from the start.
    """
    from .answer import Job, answer

    for text, accepts in _WARM_UP:
        for accept in accepts:
            try:
                answer(engine, Job(text, render=True, accept=accept))
            except Exception as exc:  # noqa: BLE001 - only a head start: never stop a worker
                log.warning("worker warm-up query failed: %s: %s", type(exc).__name__, exc)


def _serve(engine: Any, inp: Any, out: Any) -> None:  # pragma: no cover - in a child
    """Answer requests from ``inp`` on ``out`` until EOF."""
    from .answer import answer

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
            _send(out, error_reply(exc))


def _zygote(engine: Any, control: socket.socket) -> None:  # pragma: no cover - in a child
    """Fork a worker for each pair of pipes received on ``control``; send back its pid.

    The zygote is confined and has the graph loaded, so a forked worker is
    ready in milliseconds and shares the loaded graph's memory until it
    writes to it; the seccomp filter and the memory cap are inherited.
    """
    from .sandbox import die_with_parent

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    me = os.getpid()
    control.sendall(b"R")
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(control, 1, 2)
        except OSError:
            return
        if not msg or len(fds) != 2:
            return
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                os.setsid()  # its own scheduler group: demoting it weighs against the rest
                die_with_parent(me)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                out = os.fdopen(fds[1], "wb")
                _send(out, ("ready",))
                _serve(engine, os.fdopen(fds[0], "rb"), out)
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        control.sendall(struct.pack("!I", pid))


def _child_main(config: str) -> None:  # pragma: no cover - in a child
    """A worker (or a zygote): confine itself, load the graph, then serve."""
    settings = json.loads(config)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = None
    if settings.get("control") is not None:
        control = socket.socket(fileno=settings["control"])
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing but our frames on the protocol pipe
    from .sandbox import confine

    try:
        confine(network=settings["network"], max_memory=settings["max_memory"],
                parent=settings["parent"])
        from . import answer, result_network  # noqa: F401 - loaded once, before any fork
        from .cache import engine_from_snapshot

        engine = engine_from_snapshot(settings["snapshot"], settings["store"])
        warm_up(engine)
    except BaseException as exc:  # noqa: BLE001 - report and stop
        log.error("worker could not start: %s: %s", type(exc).__name__, exc)
        if control is not None:
            control.sendall(b"F")
        else:
            _send(out, ("failed", f"{type(exc).__name__}: {exc}"))
        return
    if control is not None:
        _zygote(engine, control)
        return
    _send(out, ("ready",))
    _serve(engine, sys.stdin.buffer, out)


class _Forked:
    """A worker forked by the zygote, with the part of ``Popen``'s interface we use.

    It is the zygote's child, not ours: it is reaped by the kernel, and
    :meth:`poll` looks in ``/proc`` instead of waiting for it.
    """

    def __init__(self, pid: int, stdin: Any, stdout: Any) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                with open(f"/proc/{self.pid}/stat") as handle:
                    state = handle.read().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                state = "gone"
            if state in ("Z", "X", "gone"):
                self.returncode = -1  # the status went to the zygote
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.005)
        return self.returncode or -1


class _Zygote:
    """A confined process holding the graph that forks workers (see :func:`_zygote`)."""

    def __init__(self, snapshot: str, store: str | None, *, network: bool,
                 max_memory: int | None) -> None:
        self.sock, theirs = socket.socketpair()
        config = json.dumps({"snapshot": snapshot, "store": store or "", "network": network,
                             "max_memory": max_memory, "parent": os.getpid(),
                             "control": theirs.fileno()})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.worker", config],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=[theirs.fileno()], start_new_session=True,
        )
        theirs.close()
        self._ready = False
        self._lock = threading.Lock()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _read(self, n: int, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def fork(self) -> _Forked:
        """A new worker, forked from the loaded graph."""
        with self._lock:
            try:
                if not self._ready:
                    if self._read(1, START_TIMEOUT) != b"R":
                        raise EOFError
                    self._ready = True
                to_child, theirs_in = os.pipe()[::-1]
                theirs_out, from_child = os.pipe()[::-1]
                try:
                    socket.send_fds(self.sock, [b"F"], [theirs_in, theirs_out])
                finally:
                    os.close(theirs_in)
                    os.close(theirs_out)
                (pid,) = struct.unpack("!I", self._read(4, START_TIMEOUT))
            except (OSError, EOFError):
                self.kill()
                raise QueryError(
                    "The query worker could not load the graph (see the server log)."
                ) from None
        return _Forked(pid, os.fdopen(to_child, "wb"), os.fdopen(from_child, "rb"))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.sock.close()


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
        process: Any = None,
    ) -> None:
        self.snapshot = str(snapshot)
        self.store = store
        self.max_memory = max_memory
        if process is None:
            config = json.dumps({"snapshot": self.snapshot, "store": store or "",
                                 "network": network, "max_memory": max_memory,
                                 "parent": os.getpid()})
            process = subprocess.Popen(
                [sys.executable, "-m", "kg.worker", config],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.process = process
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
            raise QueryError("The query worker could not load the graph (see the server log).")
        self._ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _cpu(self) -> float:
        """CPU seconds the worker has used so far (0 where /proc cannot tell)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            return 0.0

    def _set_nice(self, value: int) -> bool:
        """Set the worker's CPU priority, and that of its scheduler autogroup.

        A worker is the leader of its own session, and with the kernel's
        autogroup scheduling (on by default in most distributions) CPU time
        is first shared between sessions: the nice value alone would only
        weigh the worker against itself. ``/proc/PID/autogroup`` sets the
        weight of its group too.
        """
        pid = self.process.pid
        try:
            os.setpriority(os.PRIO_PROCESS, pid, value)
        except OSError:
            return False
        try:
            with open(f"/proc/{pid}/autogroup", "w") as handle:
                handle.write(str(value))
        except OSError:
            pass  # no autogroup here: the nice value is what counts
        return True

    def _demote(self) -> None:
        """Lower the running query to the least CPU priority (nice 19)."""
        if self._set_nice(19):
            self.demoted = True

    def promote(self) -> bool:
        """Back to normal priority after a long query; False where that needs privilege."""
        if not self.demoted:
            return True
        if not self._set_nice(0):
            return False
        self.demoted = False
        return True

    def request(self, message: tuple[Any, ...], *, timeout: float | None,
                max_bytes: int | None = None,
                on_long: Callable[[], bool] | None = None) -> Any:
        """Send ``message``, wait for the reply; past ``timeout`` s the worker is killed.

        Once the query has used :data:`LONG_CPU` seconds of CPU it is a long
        one: if ``on_long`` says there is no room for another, the worker is
        killed at once (:class:`ServerBusyError`); else it goes on at nice 19.
        """
        self.wait_ready()
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            _send(self.process.stdin, message)
        except (BrokenPipeError, OSError):
            self.kill()
            raise QueryError("The query worker stopped unexpectedly.") from None
        started = time.monotonic()
        cpu_at_start = self._cpu()
        long = False
        while True:
            remaining = None if timeout is None else timeout - (time.monotonic() - started)
            if remaining is not None and remaining <= 0:
                self.kill()
                raise QueryTimeoutError(
                    f"The query was stopped after {timeout:g} s (the time limit); "
                    "narrow it down or raise the limit."
                )
            step = _POLL if long is False else 0.5
            if self._wait(step if remaining is None else min(step, remaining)):
                break
            if not long and self._cpu() - cpu_at_start >= LONG_CPU:
                long = True
                if on_long is not None and not on_long():
                    self.kill()
                    raise ServerBusyError(
                        "The server is busy with other long queries; this one was stopped "
                        "early. Try again in a few seconds."
                    )
                self._demote()
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
        return unwrap(msg)

    def _crash(self) -> QueryError:
        """Why the worker died, as far as its exit status tells."""
        if isinstance(self.process, _Forked):
            return crash_error(None, self.max_memory)
        code = self.process.returncode
        return crash_error(-code if code is not None and code < 0 else 0, self.max_memory)

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
        max_long: int | None = None,
    ) -> None:
        self.snapshot = str(snapshot)
        self.store = store
        self.timeout = timeout
        self.network = network
        self.max_memory = max_memory
        self.max_size = max(max_size, size, 1)
        self.spare = spare
        #: long queries (past LONG_CPU) that may run at once: the rest of the pool stays
        #: free for quick ones (default a quarter of the pool)
        self.max_long = max(1, self.max_size // 4) if max_long is None else max_long
        self._long = 0
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="kg-worker-start")
        self._zygote: _Zygote | None = None
        try:
            for _ in range(max(size, 1)):
                self._count += 1
                self._idle.append(self._start())
        except BaseException:
            self.close()
            raise

    def _new(self) -> Worker:
        """A worker forked by the zygote (started, or restarted, here on the spawner thread)."""
        if self._zygote is None or not self._zygote.alive:
            if self._zygote is not None:
                self._zygote.kill()
            self._zygote = _Zygote(self.snapshot, self.store, network=self.network,
                                   max_memory=self.max_memory)
        return Worker(self.snapshot, self.store, max_memory=self.max_memory,
                      process=self._zygote.fork())

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
        if worker.alive and worker.demoted:
            worker.promote()
        with self._cond:
            if worker.alive and not worker.demoted and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._all.discard(worker)
            self._count -= 1
            self._top_up_locked()
            self._cond.notify()
        if worker.alive:  # still demoted: raising its priority again needs privilege
            worker.kill()

    def _enter_long(self) -> bool:
        with self._cond:
            if self._long >= self.max_long:
                return False
            self._long += 1
            return True

    def request(self, message: tuple[Any, ...], *, max_bytes: int | None = None,
                timing: list[float] | None = None) -> Any:
        """Run ``message`` in a free worker; ``timing``, if given, gets the seconds it ran
        (waiting for a free worker not included: a client's share counts work)."""
        worker = self._acquire()
        long = [False]
        started = time.monotonic()

        def on_long() -> bool:
            long[0] = self._enter_long()
            return long[0]

        try:
            return worker.request(message, timeout=self.timeout, max_bytes=max_bytes,
                                  on_long=on_long)
        finally:
            if timing is not None:
                timing.append(time.monotonic() - started)
            if long[0]:
                with self._cond:
                    self._long -= 1
            self._release(worker)

    def execute(self, text: str, *, max_rows: int | None = None) -> QueryResult:
        """Run prepared, checked ``text`` in a worker (the :class:`kg.query.Engine` call)."""
        return self.request(("execute", text, max_rows))  # type: ignore[no-any-return]

    def submit(self, job: Any, *, timing: list[float] | None = None) -> Any:
        """Hand a whole :class:`kg.answer.Job` to a worker: its result or response."""
        return self.request(("job", job), max_bytes=job.policy.max_bytes, timing=timing)

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
        if self._zygote is not None:
            self._zygote.kill()


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
