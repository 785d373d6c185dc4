"""Time ``kg viz --focus`` as a whole process on generated data, old path and new (issue 10).

    python benchmarks/bench_focus.py [--sizes 100000,1000000] [--cache DIR]
                                     [--focus IRI] [--depth 1] [--before-limit 1800]

For each size, ``benchmarks/synth.py`` writes the data once into
``DIR/synth-N-seed1`` (reused later). Then, each a new process:

1. **before**: ``kg --store memory --data DIR viz --focus F``: the whole graph
   loaded into rdflib, turned into networkx, then cut to the neighbourhood (what
   ``kg viz`` did on any data before issue 10; the memory store still does it),
   stopped after ``--before-limit`` seconds;
2. **after, first run**: ``kg --data DIR viz --focus F`` on an empty
   ``$KG_CACHE_DIR``: kg builds its on-disk Oxigraph store (kg/store/), then
   fetches only the neighbourhood (kg/network/store_focus.py);
3. **after**: the same again, the store already built (what every later run pays).

Printed: wall time, CPU time (user + system: on a shared machine the wall time
includes waiting for a core), peak resident memory of the child (``ru_maxrss``),
the nodes and relations drawn, and whether the page is byte for byte the one the
old path wrote.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from measured import run_measured

HERE = Path(__file__).resolve().parent
GERMANY = "https://w3id.org/thb-kg/id/place/germany"


def _run(argv: list[str], env: dict[str, str],
         limit: float | None) -> tuple[str, float, float, int, str]:
    """Run ``argv`` measured (:func:`measured.run_measured`), keeping its stderr."""
    return run_measured(argv, env, limit, keep="stderr")


def _drawn(text: str) -> str:
    found = re.search(r"\((\d+) nodes, (\d+) relations", text)
    return f"{found[1]} nodes, {found[2]} relations" if found else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "thb-kg-bench-focus"))
    ap.add_argument("--focus", default=GERMANY)
    ap.add_argument("--depth", type=int, default=1)
    ap.add_argument("--before-limit", type=float, default=1800.0)
    ap.add_argument("--skip-before", action="store_true", help="only the new path")
    ap.add_argument("--skip-after", action="store_true", help="only the old path")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    kg = [sys.executable, "-m", "kg"]
    print("| quads | run | outcome | wall s | CPU s | peak MB | drawn | same page |")
    print("|---:|---|---|---:|---:|---:|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        data = cache / f"synth-{size}-seed1"
        if not data.is_dir():
            subprocess.run([sys.executable, str(HERE / "synth.py"), "--quads", str(size),
                            "--out", str(data), "--seed", "1"], check=True)
        kg_cache = tempfile.mkdtemp(prefix=f"kgc-focus-{size}-")
        env = {**os.environ, "KG_CACHE_DIR": kg_cache}
        env.pop("KG_STORE", None)
        pages = {}
        runs: list[tuple[str, list[str]]] = (
            [] if args.skip_after else [("after, first run", []), ("after", [])]
        )
        if not args.skip_before:
            runs.insert(0, ("before (--store memory)", ["--store", "memory"]))
        for name, store in runs:
            page = Path(kg_cache) / f"{len(pages)}.html"
            outcome, wall, cpu, rss, text = _run(
                [*kg, *store, "--data", str(data), "viz", "--focus", args.focus,
                 "--depth", str(args.depth), "--out", str(page)],
                env, args.before_limit if store else None,
            )
            pages[name] = page.read_bytes() if page.exists() else None
            before = pages.get("before (--store memory)")
            same = "-" if before is None or name.startswith("before") else (
                "yes" if pages[name] == before else "NO")
            print(f"| {size:,} | {name} | {outcome} | {wall:.1f} | {cpu:.1f} | "
                  f"{rss / 1024:.0f} | {_drawn(text)} | {same} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
