"""Take the network away from a query worker, and tie its life and memory to its parent.

The safety check (:mod:`kg.safety`) refuses ``SERVICE`` and remote ``FROM``,
but a check can be fooled: two SPARQL parsers once disagreed about where a
comment ends, and Oxigraph made a request the check never saw. So the
process that runs a query from someone we do not know gets no way out at all.

Mechanism, chosen among the usual three:

* a **network namespace** (``unshare(CLONE_NEWNET)``) needs root, or
  unprivileged user namespaces, which Debian's sysctl, Ubuntu's AppArmor
  policy and most container runtimes switch off;
* **pyoxigraph built without its HTTP client** would need our own Rust build
  of the wheel, and would not cover rdflib (the ``memory`` store), whose
  SERVICE goes out through Python's urllib;
* a **seccomp filter** needs no privilege at all (only ``no_new_privs``), is
  in every Linux kernel since 3.5, and acts on system calls, so it stops Rust
  and Python alike, in every thread, and in any program the worker might
  start. We use it: :func:`deny_network` makes ``socket()`` fail with
  ``EACCES`` for every address family but ``AF_UNIX`` (local sockets reach
  no other machine), and refuses ``io_uring_setup`` (io_uring can open
  sockets without ``socket()``), ``ptrace`` and ``process_vm_writev`` (a
  way to make another process do the talking). The filter is installed with
  ``SECCOMP_FILTER_FLAG_TSYNC`` so threads that already exist get it too.

Every denied call fails the same way whatever the address, so the worker's
errors are no port scanner: "connection refused" and "404" both become
"not permitted".

The same child also asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG``), and may cap its address space (``RLIMIT_AS``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import struct
import sys

from .errors import KgError


class SandboxError(KgError):
    """The network sandbox cannot be set up on this system."""


# prctl and seccomp constants (linux/prctl.h, linux/seccomp.h, linux/filter.h)
_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_SECCOMP_RET_KILL_PROCESS = 0x80000000
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_BPF_RET_K = 0x06  # BPF_RET | BPF_K
_AF_UNIX = 1
_X32_SYSCALL_BIT = 0x40000000

#: Per machine: audit arch, and the numbers of socket, io_uring_setup, ptrace,
#: process_vm_writev and seccomp.
_ARCHES: dict[str, tuple[int, int, int, int, int, int]] = {
    "x86_64": (0xC000003E, 41, 425, 101, 311, 317),
    "aarch64": (0xC00000B7, 198, 425, 117, 271, 277),
}


def _filter_program(arch: str) -> bytes:
    """The BPF program of :func:`deny_network` for ``arch``, as ``struct sock_filter[]``."""
    audit, nr_socket, nr_uring, nr_ptrace, nr_vm_write, _ = _ARCHES[arch]
    deny = _SECCOMP_RET_ERRNO | errno.EACCES

    def stmt(code: int, k: int) -> tuple[int, int, int, int]:
        return (code, 0, 0, k)

    def jump(code: int, k: int, jt: int, jf: int) -> tuple[int, int, int, int]:
        return (code, jt, jf, k)

    # jt/jf count instructions to skip; index 12 is "deny", 9 and 13 "allow"
    prog = [
        stmt(_BPF_LD_W_ABS, 4),  # 0: seccomp_data.arch
        jump(_BPF_JEQ_K, audit, 1, 0),  # 1
        stmt(_BPF_RET_K, _SECCOMP_RET_KILL_PROCESS),  # 2: another ABI (int 0x80)
        stmt(_BPF_LD_W_ABS, 0),  # 3: seccomp_data.nr
        jump(_BPF_JGE_K, _X32_SYSCALL_BIT, 7, 0),  # 4: the x32 ABI
        jump(_BPF_JEQ_K, nr_uring, 6, 0),  # 5
        jump(_BPF_JEQ_K, nr_ptrace, 5, 0),  # 6
        jump(_BPF_JEQ_K, nr_vm_write, 4, 0),  # 7
        jump(_BPF_JEQ_K, nr_socket, 1, 0),  # 8
        stmt(_BPF_RET_K, _SECCOMP_RET_ALLOW),  # 9
        stmt(_BPF_LD_W_ABS, 16),  # 10: args[0], the address family (low 32 bits)
        jump(_BPF_JEQ_K, _AF_UNIX, 1, 0),  # 11
        stmt(_BPF_RET_K, deny),  # 12
        stmt(_BPF_RET_K, _SECCOMP_RET_ALLOW),  # 13
    ]
    return b"".join(struct.pack("HBBI", code, jt, jf, k) for code, jt, jf, k in prog)


def supported() -> bool:
    """Whether :func:`deny_network` can work here (Linux on x86_64 or aarch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def deny_network() -> None:
    """Install the seccomp filter in this process: from now on no socket but AF_UNIX.

    Irreversible, inherited by every thread (TSYNC) and child. Raises
    :class:`SandboxError` where it cannot be installed.
    """
    if not supported():
        raise SandboxError(
            f"The query sandbox needs Linux on x86_64 or aarch64, not {sys.platform} "
            f"{platform.machine()}."
        )
    arch = platform.machine()
    program = _filter_program(arch)
    count = len(program) // 8
    buf = ctypes.create_string_buffer(program, len(program))

    class _Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = _Fprog(count, ctypes.cast(buf, ctypes.c_void_p))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise SandboxError(f"prctl(NO_NEW_PRIVS) failed: {os.strerror(err)}.")
    nr_seccomp = _ARCHES[arch][5]
    rc = libc.syscall(nr_seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                      ctypes.byref(fprog))
    if rc != 0:
        err = ctypes.get_errno()
        # kernels before 3.17 have no seccomp(); prctl covers this thread (and its
        # future children), enough for a worker that has started no thread yet
        rc = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0)
        if rc != 0:
            err = ctypes.get_errno()
            raise SandboxError(f"Installing the seccomp filter failed: {os.strerror(err)}.")


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (``PR_SET_PDEATHSIG``).

    ``parent`` is the pid the caller expects as parent: if it is already gone
    (the parent died before this call), exit at once.
    """
    if sys.platform != "linux":
        return
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space at ``max_bytes`` (``RLIMIT_AS``); None: no cap.

    Past the cap an allocation fails: Python raises MemoryError, Rust aborts
    the process; either way the parent sees the worker fail, and the
    machine's other work goes on.
    """
    if not max_bytes:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))


def confine(
    *, network: bool = False, max_memory: int | None = None, parent: int | None = None
) -> None:
    """All of the above for a query worker: call first thing in the child."""
    die_with_parent(parent)
    if not network:
        deny_network()
    limit_memory(max_memory)
