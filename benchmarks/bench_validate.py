"""Time ``kg validate`` as a whole process on generated data, per engine (issue 10).

    python benchmarks/bench_validate.py [--sizes 100000,1000000] [--cache DIR]
                                        [--pyshacl-limit 600]

For each size, ``benchmarks/synth.py`` writes the data once into
``DIR/synth-N`` (reused later). Then, each a new process with its own
``$KG_CACHE_DIR``:

1. ``kg --data DIR validate --engine sparql`` on an empty cache: the store is
   built by Oxigraph (kg/store/), then the shapes run as SPARQL in it;
2. the same again, the store already built (what every later run pays);
3. ``kg --data DIR validate --engine pyshacl`` (pySHACL needs rdflib to parse
   the data first); from 1M quads on, stopped after ``--pyshacl-limit`` seconds.

Printed: wall time, CPU time (user + system: on a shared machine the wall time
includes waiting for a core), peak resident memory of the child (``ru_maxrss``), exit
code and the number of violations the report counts (0: conforms). The
target of issue 10 is ``kg validate`` at most 60 s at 1M quads.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measured import run_measured

HERE = Path(__file__).resolve().parent


def _run(argv: list[str], env: dict[str, str],
         limit: float | None) -> tuple[str, float, float, int, str]:
    """Run ``argv`` measured (:func:`measured.run_measured`), keeping its stdout."""
    return run_measured(argv, env, limit, keep="stdout")


def _violations(text: str) -> str:
    if text.strip() == "conforms":
        return "0"
    found = re.search(r"(\d+) violation", text)
    return found.group(1) if found else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "thb-kg-bench-validate")
    parser.add_argument("--pyshacl-limit", type=float, default=600.0,
                        help="stop pySHACL after this many seconds (default 600)")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{'quads':>9}  {'run':<34}  {'wall s':>8}  {'CPU s':>8}  {'peak MiB':>8}  "
          f"{'outcome':<8}  violations")
    for size in (int(s) for s in args.sizes.split(",")):
        data = args.cache / f"synth-{size}"
        if not data.is_dir():
            subprocess.run([sys.executable, str(HERE / "synth.py"), "--quads", str(size),
                            "--out", str(data)], check=True)
        cache = args.cache / f"kg-cache-{size}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "KG_CACHE_DIR": str(cache)}
        env.pop("KG_STORE", None)
        kg = [sys.executable, "-m", "kg", "--data", str(data), "validate", "--engine"]
        for label, engine, limit in (
            ("sparql, first run (builds the store)", "sparql", None),
            ("sparql, store already built", "sparql", None),
            ("pyshacl", "pyshacl", args.pyshacl_limit if size >= 1_000_000 else None),
        ):
            outcome, wall, cpu, peak, text = _run([*kg, engine], env, limit)
            print(f"{size:>9,}  {label:<34}  {wall:>8.2f}  {cpu:>8.2f}  {peak / 1024:>8.0f}  "
                  f"{outcome:<8}  {_violations(text) if text else '-'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
