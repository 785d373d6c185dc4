"""kg at scale, engines side by side: 10k to 10M quads of generated data (issue 10).

    python benchmarks/bench_scale.py [--sizes 10000,100000,1000000,10000000]
        [--engines rdflib,embedded,oxigraph,virtuoso] [--commands stats,validate,viz,site]
        [--server-commands LIST]
        [--timeout 600] [--rdflib-timeout 600] [--runs 3] [--focus place:germany]
        [--cache DIR] [--kg-cache DIR] [--json FILE] [--table FILE]

For each size, ``benchmarks/synth.py`` writes the data once into ``--cache``
(``synth-N-seedS``, reused by later runs). Then, each in a new process (its
wall time, CPU time and peak resident memory from ``wait4``; on a shared
machine the wall time includes waiting for a core):

* **bare bulk load**: ``pyoxigraph.Store().bulk_load`` of every TriG file, in
  memory, nothing else: the floor the first load is compared with; and the
  same into a new on-disk ``Store(path)``, the floor of a persistent store;
* **rdflib memory** (``--store memory``): ``kg.load`` (rdflib
  ``Dataset``, the ontology, the inference), then every library query and the
  in-force query as it was before issue 10 (``FILTER NOT EXISTS``), in one
  child killed after ``--rdflib-timeout`` seconds; once it runs out of time at
  one size, larger sizes are skipped;
* **embedded Oxigraph** (kg's default): the first ``kg --data DIR query
  'ASK {}'`` on an empty cache (it builds kg's store), a later cold ``kg
  query 'ASK {}'`` and ``kg query in-force`` (median of ``--runs``), every
  library query in one child
  (:func:`kg.library.run`, every row read, median of ``--runs``), and
  Oxigraph's own time for the same text, with and without its final ``ORDER
  BY`` (on the disk store, sorting looks up every compared IRI or literal in
  RocksDB);
* **Oxigraph server** (``oxigraph serve``, PyPI ``oxigraph``, started here
  on 127.0.0.1 with a new database) and **Virtuoso** (the one
  ``scripts/servers start`` runs, its endpoints from the env file): ``kg
  publish`` (the first load there), a cold ``kg --endpoint URL query
  in-force``, every library query in one child, and the server's peak memory
  (``VmHWM``; Virtuoso's is since it started);
* then the whole commands of ``--commands`` on each engine but rdflib:
  ``kg stats``, ``kg validate``, ``kg viz --focus FOCUS --out F.html`` and
  ``kg site --out DIR``, each killed after ``--timeout`` seconds.

Every result is appended to ``--json`` as soon as it is measured, so a run
stopped half-way keeps what it measured and runs of different sizes add up;
``--table FILE`` prints the Markdown tables of such a file and measures
nothing. The targets at 1M quads: first load <= 2x the bare bulk load, a
later cold ``kg query`` <= 0.5 s, ``kg stats`` <= 2 s, each library query
<= 1 s, in-force >= 500x faster than rdflib memory, ``kg validate`` <= 60 s,
``kg site`` finishes or says why; at 10M, kg loads within 24 GiB and the
library answers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

KG = [sys.executable, "-m", "kg"]
ENGINES = ("rdflib", "embedded", "oxigraph", "virtuoso")
LABELS = {"first load": "first load (rdflib: `kg.load`; embedded: first `kg query`, "
                        "which builds kg's store; servers: `kg publish`)",
          "open the store": "open kg's store (in a process)",
          "cold kg query ASK": "a later cold `kg query 'ASK {}'` (process)",
          "cold kg query in-force": "a later cold `kg query in-force` (process)"}
TITLES = {"rdflib": "rdflib memory", "embedded": "embedded Oxigraph",
          "oxigraph": "Oxigraph server", "virtuoso": "Virtuoso"}

#: kg/queries/in-force.rq before issue 10 (git show 61a2c38:kg/queries/in-force.rq).
OLD_IN_FORCE = """\
# param: asOf date = 2025-01-01 -- the day to look at (also --as-of)
SELECT ?instrument (MIN(?start) AS ?inForceSince) (MAX(?end) AS ?lastDayInForce)
       (SAMPLE(?later) AS ?replacedBy)
WHERE {
  ?instrument a eli:LegalResource ;
              eli:first_date_entry_in_force ?start .
  FILTER(?start <= ?asOf)
  FILTER NOT EXISTS {
    ?instrument eli:date_no_longer_in_force ?ended .
    FILTER(?ended < ?asOf)
  }
  FILTER NOT EXISTS {
    ?replacing thb:replaces|eli:repeals ?instrument .
    OPTIONAL { ?replacing eli:date_applicability ?applies }
    OPTIONAL { ?replacing eli:first_date_entry_in_force ?enters }
    FILTER(COALESCE(?applies, ?enters) <= ?asOf)
  }
  OPTIONAL { ?instrument eli:date_no_longer_in_force ?end }
  OPTIONAL { ?later thb:replaces|eli:repeals ?instrument }
}
GROUP BY ?instrument
ORDER BY ?inForceSince ?instrument
"""

_BARE = """
import sys, time
from pathlib import Path
import pyoxigraph as ox
store = ox.Store()
started = time.perf_counter()
for path in sorted(Path(sys.argv[1]).glob("*.trig")):
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
print(time.perf_counter() - started)
"""
_BARE_DISK = """
import sys, tempfile, time
from pathlib import Path
import pyoxigraph as ox
with tempfile.TemporaryDirectory(dir=sys.argv[2]) as where:
    store = ox.Store(where)
    started = time.perf_counter()
    for path in sorted(Path(sys.argv[1]).glob("*.trig")):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    store.flush()
    print(time.perf_counter() - started)
    del store
"""


@dataclass
class Run:
    """One process: wall and CPU seconds, peak resident memory, exit code, output."""

    wall: float
    cpu: float
    peak_kib: int
    rc: int
    out: str
    err: str
    timed_out: bool = False


def measure(cmd: list[str], env: dict[str, str], timeout: float | None = None) -> Run:
    """Run ``cmd`` in its own session; kill its whole group after ``timeout`` seconds.

    ``wait4`` gives the child's own CPU time and peak resident memory, also
    when it had to be killed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss),
                   proc.returncode, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"), timed_out)


def dataset(quads: int, seed: int, cache: Path) -> Path:
    """The generated folder for ``quads``, generated once (``synth.json`` marks it complete)."""
    folder = cache / f"synth-{quads}-seed{seed}"
    if not (folder / "synth.json").exists():
        synth.generate(quads, folder, seed)
    return folder


def peak_kib(pid: int) -> int:
    """The peak resident memory (``VmHWM``) of a running process, 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# ------------------------------------------------------------------ the child


def child(engine: str, target: str, runs: int) -> None:
    """In a child process: open ``target`` as ``engine``, then each library query; a JSON
    line each (seconds, CPU, rows, this process's peak memory so far)."""
    from kg import library
    from kg.query import run

    def line(**fields: object) -> None:
        print(json.dumps({**fields, "peak_kib": peak_kib(os.getpid())}), flush=True)

    start, cpu = time.perf_counter(), time.process_time()
    if engine == "rdflib":
        import kg

        opened: object = kg.load(target, store="memory")
    elif engine == "embedded":
        from kg.store import open_engine

        opened = open_engine(target)
    else:
        from kg.store import open_engine

        opened = open_engine(endpoint=target)
    line(name="(open)", seconds=time.perf_counter() - start, cpu=time.process_time() - cpu)
    names = [q.name for q in library.list_queries()]
    if engine == "rdflib":  # in-force first: it is the query the target compares
        names = ["in-force", "in-force (old text)"] + [n for n in names if n != "in-force"]
    for name in names:
        times, cpus, rows = [], [], 0
        for _ in range(1 if engine == "rdflib" else runs):
            start, cpu = time.perf_counter(), time.process_time()
            if name == "in-force (old text)":
                result = run(opened, OLD_IN_FORCE, library.get("in-force").bindings(),  # type: ignore[arg-type]
                             policy=None)
            else:
                result = library.run(opened, name)  # type: ignore[arg-type]
            rows = len(result.rows)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        extra = {}
        if engine == "embedded" and name != "in-force (old text)":
            extra = engine_alone(opened, library.get(name))
        line(name=name, seconds=statistics.median(times), cpu=statistics.median(cpus), rows=rows,
             **extra)


def engine_alone(engine: object, query: object) -> dict[str, float]:
    """Oxigraph's own time for a library query (the text kg runs, every row read as
    Oxigraph terms), without turning the rows into rdflib terms as kg.library.run does."""
    from kg.query import prepare

    text = prepare(query.sparql, query.bindings()).text  # type: ignore[attr-defined]
    out = {}
    unordered = _without_final_order_by(text)
    for key, variant in (("engine", text), ("engine_unordered", unordered)):
        if variant is None:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        for solution in engine.store.query(variant):  # type: ignore[attr-defined]
            tuple(solution)
        out[f"{key}_seconds"] = time.perf_counter() - start
        out[f"{key}_cpu"] = time.process_time() - cpu
    return out


def _without_final_order_by(text: str) -> str | None:
    """``text`` without the ORDER BY on its last line (every library query that sorts
    ends so), or None when it has none there or limits its rows (LIMIT, OFFSET)."""
    lines = text.rstrip().splitlines()
    last = lines[-1].strip() if lines else ""
    if not last.upper().startswith("ORDER BY") or any(
            w in last.upper() for w in ("LIMIT", "OFFSET")):
        return None
    return "\n".join(lines[:-1]) + "\n"


def library_child(engine: str, target: str, env: dict[str, str], runs: int,
                  timeout: float | None) -> tuple[dict[str, dict], Run]:
    run = measure([sys.executable, __file__, "--child", engine, target, str(runs)], env,
                  timeout)
    lines = [json.loads(x) for x in run.out.splitlines() if x.startswith("{")]
    if run.rc != 0 and not run.timed_out:
        print(f"  {engine} library child failed: {run.err.strip()[-400:]}", flush=True)
    return {r["name"]: r for r in lines}, run


# ------------------------------------------------------------------ servers


def start_oxigraph(location: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    import bench_remote

    proc, base = bench_remote.start_server(location)
    return proc, {"query": f"{base}/query", "store": f"{base}/store", "update": f"{base}/update"}


def virtuoso_endpoints() -> dict[str, str] | None:
    names = {k: f"KG_TEST_VIRTUOSO_{k.upper()}" for k in ("query", "store", "update")}
    if not all(os.environ.get(n) for n in names.values()):
        return None
    return {k: os.environ[n] for k, n in names.items()}


def virtuoso_pid() -> int:
    folder = Path(os.environ.get("THB_KG_SERVERS_DIR", "/tmp/thb-kg-servers"))
    try:
        return int((folder / "virtuoso.pid").read_text())
    except (OSError, ValueError):
        return 0


# ------------------------------------------------------------------ one size


class Recorder:
    """Prints each result and appends it to the JSON file at once."""

    def __init__(self, path: Path, quads: int) -> None:
        self.path, self.quads = path, quads

    def __call__(self, engine: str, what: str, **fields: object) -> None:
        record = {"quads": self.quads, "engine": engine, "what": what, **fields}
        with self.path.open("a") as f:
            f.write(json.dumps(record) + "\n")
        print(f"  {TITLES.get(engine, engine):<18} {what:<28} {cell(record)}", flush=True)


def record_run(rec: Recorder, engine: str, what: str, run: Run, **extra: object) -> None:
    rec(engine, what, wall=run.wall, cpu=run.cpu, peak_kib=run.peak_kib, rc=run.rc,
        timed_out=run.timed_out, **extra)


def commands(rec: Recorder, engine: str, base: list[str], env: dict[str, str],
             args: argparse.Namespace, work: Path) -> None:
    chosen = args.commands if engine == "embedded" or args.server_commands is None \
        else args.server_commands
    wanted = [c for c in chosen.split(",") if c]
    for command in wanted:
        if command == "viz":
            argv = ["viz", "--focus", args.focus, "--out", str(work / f"viz-{engine}.html")]
        elif command == "site":
            argv = ["site", "--out", str(work / f"site-{engine}"), "-q"]
        else:
            argv = [command]
        run = measure([*base, *argv], env, args.timeout)
        extra: dict[str, object] = {}
        if command == "site" and not run.timed_out:
            folder = work / f"site-{engine}"
            extra["pages"] = sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0
            extra["note"] = " ".join(x for x in run.err.splitlines() if x.startswith("note:"))
            shutil.rmtree(folder, ignore_errors=True)
        if command == "viz" and not run.timed_out:
            extra["note"] = run.err.strip().splitlines()[-1] if run.err.strip() else ""
        if run.rc not in (0, 1) and not run.timed_out:
            extra["error"] = run.err.strip()[-300:]
        record_run(rec, engine, f"kg {command}", run, **extra)


def bench_size(size: int, args: argparse.Namespace, work: Path, rdflib_ok: bool) -> bool:
    folder = dataset(size, args.seed, args.cache)
    quads = json.loads((folder / "synth.json").read_text())["quads"]
    rec = Recorder(args.json, quads)
    print(f"\n## {quads:,} quads ({folder})", flush=True)
    kept = args.kg_cache is not None
    env = {**os.environ, "KG_CACHE_DIR": str(args.kg_cache or work / f"kg-cache-{size}")}
    env.pop("KG_STORE", None)
    env.pop("KG_ENDPOINT", None)
    engines = [e for e in args.engines.split(",") if e]
    data = ["--data", str(folder)]

    record_run(rec, "bare", "bare bulk load",
               bare := measure([sys.executable, "-c", _BARE, str(folder)], env),
               inside=float(bare.out.strip() or "nan"))
    record_run(rec, "bare", "bare bulk load on disk",
               bare := measure([sys.executable, "-c", _BARE_DISK, str(folder), str(work)], env),
               inside=float(bare.out.strip() or "nan"))

    if "rdflib" in engines:
        if rdflib_ok:
            got, run = library_child("rdflib", str(folder), env, 1, args.rdflib_timeout)
            for name, r in got.items():
                rec("rdflib", "first load" if name == "(open)" else name, wall=r["seconds"],
                    cpu=r["cpu"], peak_kib=r["peak_kib"], rows=r.get("rows"))
            rdflib_ok = "in-force" in got and not run.timed_out
            rec("rdflib", "(child)", wall=run.wall, cpu=run.cpu, peak_kib=run.peak_kib,
                timed_out=run.timed_out, limit=args.rdflib_timeout)
        else:
            rec("rdflib", "(child)", skipped="out of time at a smaller size")

    if "embedded" in engines:
        if kept:  # built if missing, not timed
            measure([*KG, *data, "query", "ASK {}"], env)
            rec("embedded", "first load", skipped=f"kg's store kept in {args.kg_cache}")
        else:
            shutil.rmtree(env["KG_CACHE_DIR"], ignore_errors=True)
            record_run(rec, "embedded", "first load",
                       measure([*KG, *data, "query", "ASK {}"], env, args.timeout))
        for what, query in (("cold kg query ASK", "ASK {}"), ("cold kg query in-force",
                                                               "in-force")):
            cold = [measure([*KG, *data, "query", query, "-f", "csv"], env)
                    for _ in range(args.runs)]
            record_run(rec, "embedded", what, sorted(cold, key=lambda r: r.wall)[len(cold) // 2])
        got, run = library_child("embedded", str(folder), env, args.runs, args.timeout)
        for name, r in got.items():
            rec("embedded", "open the store" if name == "(open)" else name, wall=r["seconds"],
                cpu=r["cpu"], peak_kib=r["peak_kib"], rows=r.get("rows"),
                engine_cpu=r.get("engine_cpu"), engine_unordered_cpu=r.get("engine_unordered_cpu"))
        commands(rec, "embedded", [*KG, *data], env, args, work)

    for server in ("oxigraph", "virtuoso"):
        if server not in engines:
            continue
        proc = None
        if server == "oxigraph":
            proc, ends = start_oxigraph(work / f"oxigraph-{size}")
            pid = proc.pid
        else:
            found = virtuoso_endpoints()
            if found is None:
                rec(server, "(server)", skipped="no scripts/servers env")
                continue
            ends, pid = found, virtuoso_pid()
        try:
            run = measure([*KG, *data, "publish", "--endpoint", ends["query"],
                           "--store-endpoint", ends["store"], "--update-endpoint",
                           ends["update"], "-q"], env, args.publish_timeout)
            record_run(rec, server, "first load", run, note=run.out.strip())
            if run.rc != 0:
                continue
            remote = [*KG, "--endpoint", ends["query"]]
            cold = [measure([*remote, "query", "in-force", "-f", "csv"], env)
                    for _ in range(args.runs)]
            record_run(rec, server, "cold kg query in-force",
                       sorted(cold, key=lambda r: r.wall)[len(cold) // 2])
            got, _ = library_child(server, ends["query"], env, args.runs, args.timeout)
            for name, r in got.items():
                if name != "(open)":
                    rec(server, name, wall=r["seconds"], cpu=r["cpu"], peak_kib=r["peak_kib"],
                        rows=r.get("rows"))
            commands(rec, server, remote, env, args, work)
            rec(server, "server peak memory", peak_kib=peak_kib(pid))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=60)
                shutil.rmtree(work / f"oxigraph-{size}", ignore_errors=True)
    if not kept:
        shutil.rmtree(env["KG_CACHE_DIR"], ignore_errors=True)
    return rdflib_ok


# ------------------------------------------------------------------ the table


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def mib(kib: int | None) -> str:
    if not kib:
        return ""
    return f"{kib / 1024:,.0f} MB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.1f} GB"


def cell(r: dict) -> str:
    """One measure as a table cell: wall (CPU), peak memory; or why there is none."""
    if r.get("skipped"):
        return f"not run: {r['skipped']}"
    if r.get("timed_out"):
        cpu = f" (CPU {fmt(r['cpu'])})" if r.get("cpu") is not None else ""
        return f"killed after {fmt(r['wall'])}{cpu}, {mib(r.get('peak_kib'))}".rstrip(", ")
    if "wall" not in r:
        return mib(r.get("peak_kib")) or "-"
    text = fmt(r["wall"])
    if r.get("cpu") is not None and r["engine"] in ("bare", "rdflib", "embedded") \
            or r["what"].startswith(("kg ", "first load", "cold ")):
        text += f" (CPU {fmt(r['cpu'])})"
    if r.get("peak_kib"):
        text += f", {mib(r['peak_kib'])}"
    if r.get("rc") not in (None, 0, 1):
        text += f", exit {r['rc']}"
    if r.get("pages") is not None:
        text += f", {r['pages']:,} pages"
    return text


def table(path: Path) -> str:
    """The Markdown tables of a ``--json`` file: one per size, engines side by side.

    Library-query cells give wall time (and the client's CPU where the engine
    runs in the client); the peak memory of the child that ran them is its own row."""
    records = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    out = []
    for quads in sorted({r["quads"] for r in records}):
        mine = [r for r in records if r["quads"] == quads]
        engines = [e for e in ENGINES if any(r["engine"] == e for r in mine)]
        by = {(r["engine"], r["what"]): r for r in mine}
        bare = by.get(("bare", "bare bulk load"))
        disk = by.get(("bare", "bare bulk load on disk"))
        out.append(f"\n### {quads:,} quads\n")
        if bare:
            out.append(f"Bare `Store().bulk_load` (the floor): {fmt(bare['inside'])} "
                       f"inside a process of {fmt(bare['wall'])} (CPU {fmt(bare['cpu'])}), "
                       f"{mib(bare['peak_kib'])}.\n")
        if disk:
            out.append(f"Bare `Store(path).bulk_load` on disk (the floor of a persistent "
                       f"store): {fmt(disk['inside'])} inside a process of {fmt(disk['wall'])} "
                       f"(CPU {fmt(disk['cpu'])}), {mib(disk['peak_kib'])}.\n")
        out.append("| | " + " | ".join(TITLES[e] for e in engines) + " |")
        out.append("|---" * (len(engines) + 1) + "|")
        whats: list[str] = []
        for r in mine:
            if r["engine"] != "bare" and r["what"] not in whats and r["what"] != "(child)":
                whats.append(r["what"])
        first = ["first load", "open the store", "cold kg query ASK", "cold kg query in-force"]
        tail = ["kg stats", "kg validate", "kg viz", "kg site", "server peak memory"]
        whats = ([w for w in first if w in whats]
                 + [w for w in whats if w not in first and w not in tail]
                 + [w for w in tail if w in whats])
        for what in whats:
            cells = []
            for e in engines:
                r = by.get((e, what))
                text = cell(r) if r else ""
                if r and r.get("rows") is not None:
                    text = text.split(", ")[0] + f" ({r['rows']:,} rows)"
                    if r.get("engine_cpu") is not None:
                        text += f"; Oxigraph alone: CPU {fmt(r['engine_cpu'])}"
                    if r.get("engine_unordered_cpu") is not None:
                        text += f" ({fmt(r['engine_unordered_cpu'])} without ORDER BY)"
                cells.append(text)
            out.append(f"| {LABELS.get(what, what)} | " + " | ".join(cells) + " |")
        peaks = [max((r.get("peak_kib") or 0 for r in mine
                      if r["engine"] == e and r.get("rows") is not None), default=0)
                 for e in engines]
        if any(peaks):
            out.append("| peak memory of the process that ran the library queries | "
                       + " | ".join(mib(p) for p in peaks) + " |")
        child = by.get(("rdflib", "(child)"))
        if child:
            out.append(f"\nrdflib memory: {cell(child)}"
                       + (f" (limit {child['limit']:.0f} s)" if child.get("limit") else ""))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000,10000000")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--commands", default="stats,validate,viz,site")
    parser.add_argument("--server-commands",
                        help="the commands to run on the servers (default: --commands)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--focus", default="https://w3id.org/thb-kg/id/place/germany",
                        help="the entity of kg viz --focus (a state: 1,081 statements at 1M)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds before a command is killed")
    parser.add_argument("--publish-timeout", type=float, default=1800)
    parser.add_argument("--rdflib-timeout", type=float, default=600)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "thb-kg-bench-scale")
    parser.add_argument("--json", type=Path, default=Path("bench-scale.jsonl"),
                        help="results, one JSON line each, appended")
    parser.add_argument("--kg-cache", type=Path,
                        help="use and keep this KG_CACHE_DIR (one size): no first load measured")
    parser.add_argument("--table", type=Path, help="print the tables of this file and stop")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    if args.table:
        print(table(args.table))
        return
    work = Path(tempfile.mkdtemp(prefix="thb-kg-bench-scale-"))
    rdflib_ok = True
    try:
        for size in (int(s) for s in args.sizes.split(",") if s):
            rdflib_ok = bench_size(size, args, work, rdflib_ok)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(args.json))


if __name__ == "__main__":
    main()
