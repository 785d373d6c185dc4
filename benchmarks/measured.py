"""One process, measured: what bench_focus.py and bench_validate.py time.

Not a benchmark itself; imported by the scripts beside it (they run as
``python benchmarks/NAME.py``, so this folder is on ``sys.path``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time


def run_measured(argv: list[str], env: dict[str, str], limit: float | None, *,
                 keep: str = "stdout") -> tuple[str, float, float, int, str]:
    """Run ``argv``, killed past ``limit`` seconds: its outcome ("exit N" or "stopped"),
    wall time, CPU time, peak resident memory (KiB, from ``wait4``) and the text of
    ``keep`` (``"stdout"`` or ``"stderr"``; the other stream is discarded)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as kept:
        streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, keep: kept}
        proc = subprocess.Popen(argv, env=env, **streams)
        deadline = None if limit is None else started + limit
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                cpu = usage.ru_utime + usage.ru_stime
                return "stopped", time.perf_counter() - started, cpu, int(usage.ru_maxrss), ""
            time.sleep(0.05)
        wall = time.perf_counter() - started
        kept.seek(0)
        text = kept.read().decode()
    cpu = usage.ru_utime + usage.ru_stime
    return f"exit {os.waitstatus_to_exitcode(status)}", wall, cpu, int(usage.ru_maxrss), text
