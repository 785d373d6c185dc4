"""Run one query in a forked child of this process: no network, Ctrl-C and crashes handled.

``kg query`` has the graph open already (a snapshot loads in milliseconds);
starting a fresh worker process would cost more than the query. So it forks:
the child, a copy of this process, confines itself (:mod:`kg.sandbox`: no
socket but local ones, optionally a memory cap, killed if this process
dies), checks and runs the query (:func:`kg.answer.answer`), sends the
result back through a pipe and exits. This process waits, and so:

* Ctrl-C works even while Oxigraph (which ignores signals) is busy: the
  child is killed, and ``KeyboardInterrupt`` goes on up;
* a time limit is a SIGKILL of the child;
* an engine that crashes (a segfault on a query the parser could not
  take) kills the child, not ``kg``: the user gets one sentence.

Linux only (``os.fork`` and seccomp); elsewhere :func:`run_isolated` runs
the query in this process with the same checks, and says so once.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import sys
import time
import warnings
from typing import Any

from rdflib import Literal, URIRef

from .answer import Job
from .errors import QueryTimeoutError
from .worker import _ENVELOPE, crash_error, error_reply, unwrap


def _uriref(text: str) -> Any:
    """An rdflib ``URIRef`` the child already checked, rebuilt without checking it again."""
    return str.__new__(URIRef, text)


def _literal(text: str, language: Any, datatype: Any, value: Any, ill_typed: Any) -> Any:
    """An rdflib ``Literal`` rebuilt from the child's own fields: its Python value is
    carried over, not parsed again from the text (which is what unpickling a Literal
    does, 30 µs each: a second a million-quad result of 30k rows would cost)."""
    lit = str.__new__(Literal, text)
    lit._language, lit._datatype, lit._value, lit._ill_typed = (
        language, datatype, value, ill_typed)
    return lit


class _ReplyPickler(pickle.Pickler):
    """Pickles the child's reply with the terms' own fields (:func:`_uriref`,
    :func:`_literal`), so the parent rebuilds them without parsing."""

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is URIRef:
            return _uriref, (str(obj),)
        if kind is Literal:
            return _literal, (str(obj), obj._language, obj._datatype, obj._value,
                              obj._ill_typed)
        return NotImplemented


def _dumps(reply: Any) -> bytes:
    """The child's reply as bytes for the pipe (see :class:`_ReplyPickler`)."""
    buffer = io.BytesIO()
    _ReplyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(reply)
    return buffer.getvalue()


#: Longest single wait for the child, in seconds (see :func:`_read_all`).
_WAKE = 0.2


def _read_all(fd: int, limit: int | None, deadline: float | None) -> bytes:
    """Everything the child writes to ``fd``, within the deadline and the size cap."""
    chunks: list[bytes] = []
    size = 0
    while True:
        # Never wait long in one select: a Ctrl-C that the kernel hands to another
        # thread of this process (Oxigraph's, a library's) only flags the signal,
        # and the main thread runs its handler when it comes back from select.
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], _WAKE if left is None else min(left, _WAKE))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if limit is not None and size > limit:
            raise OverflowError
        chunks.append(chunk)


def _child(  # pragma: no cover - in the child
    engine: Any, job: Job, write_fd: int, mask: set[int | signal.Signals]
) -> None:
    from .answer import answer
    from .sandbox import confine

    out = os.fdopen(write_fd, "wb")
    try:
        import faulthandler

        faulthandler.disable()  # a crash is reported once, by the parent, in one sentence
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        confine(network=job.policy.network, max_memory=job.policy.max_memory,
                parent=os.getppid())
        result = answer(engine, job)
        out.write(_dumps(("ok", result)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back as a message
        try:
            out.write(pickle.dumps(error_reply(exc), protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:  # noqa: BLE001 - last resort: the parent sees no reply
            pass
    finally:
        try:
            out.flush()
        finally:
            os._exit(0)


def run_isolated(engine: Any, job: Job) -> Any:
    """Answer ``job`` on ``engine`` in a confined child; its result, or its error raised."""
    if not hasattr(os, "fork") or sys.platform != "linux":
        from .answer import answer

        warnings.warn("No network sandbox on this system: the query runs in this process "
                      "with the safety check only.", stacklevel=2)
        return answer(engine, job)
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    # Ctrl-C is held back over the fork: delivered between fork() and the
    # ``try`` below, it would leave the child running with our stdout open.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _child(engine, job, write_fd, mask)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a held Ctrl-C lands here
        os.close(write_fd)
        timeout = job.policy.timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        limit = None if job.policy.max_bytes is None else job.policy.max_bytes + _ENVELOPE
        try:
            data = _read_all(read_fd, limit, deadline)
        except TimeoutError:
            raise QueryTimeoutError(
                f"The query was stopped after {timeout:g} s (the time limit); "
                "narrow it down or raise the limit with --timeout."
            ) from None
        except OverflowError:
            from .answer import ResultTooLargeError

            raise ResultTooLargeError(
                f"The result is larger than {job.policy.max_bytes:,} bytes (the size cap); "
                "select fewer columns or rows, or add LIMIT."
            ) from None
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    status = _reap(pid)
    if not data:
        raise crash_error(os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
                          job.policy.max_memory)
    return unwrap(pickle.loads(data))  # noqa: S301 - our own child


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> int:
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            return status
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0
