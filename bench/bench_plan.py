"""Benchmark: plan latency per pack and rule backend against a plain-Python lower bound, throughput
(one process and batch on all cores), CLI cold start, peak memory, and HTTP latency at a fixed rate.

Method (written down so that runs can be compared):

- Machine: whatever runs it (CI and developers: 2 shared cores). Absolute times are noisy
  there, so the script also prints **ratios** measured in the same run (durable / native,
  engine / lower bound, batch / one process, cold start / bare ``python -c pass``), which are far
  more stable than the times. Nothing here asserts a time; this is not a test.
- ``latency`` — plan latency: for each installed pack and each available backend, one Engine is
  built (packs discovered once, rule backend compiled once, as a portal would), then a
  representative profile of that pack (its first optional profil declared, T0 set, CNDA
  prerequisites met) is planned ``--warmup`` times (discarded) and ``--repeat`` times (measured
  with ``time.perf_counter``); the median and the 95th percentile are reported, in milliseconds.
  A measured plan is ``render_json(engine.plan(profile_dict, today=…))``: validation of the dict,
  rule evaluation, catalogue filtering, reasons, calendar, journey, progress, canonical JSON.
- ``latency`` also times the **plain-Python lower bound** on the same profile, the same way. It
  does only the selection work, with the pack flattened beforehand (outside the timing) into
  plain dicts and sets: fold the declared profil names (NFKD, accents dropped, casefold, spaces
  and dashes collapsed, as the engine does) and look them up in a dict name → profil id; the
  active profils are the pack's general profils plus those; keep the exigences whose profils
  intersect the active set, as ``{"id", "label", "profil"}`` dicts sorted by id; serialise that
  list with ``json.dumps(indent=2)``. No pydantic, no rules (so no profil activated by a rule, no
  exclusion), no reasons, dates, proofs or actions. The ratio engine / lower bound is the price
  of everything a plan holds beyond the bare selection; whether both selected the same exigence
  ids is printed too (they differ when a pack rule activates a profil or excludes an exigence).
- ``batch`` — throughput: (1) one process, in memory: the example profiles (already parsed) are
  planned and rendered round-robin (with their financing files, read once), ``--throughput``
  plans, with the default backend; (2) batch:
  the examples copied ``--batch-copies`` times into a temporary folder and planned by
  ``segur_plan.engine.batch.run_batch`` (read TOML, plan, render JSON, write the file, write
  summary.json) with ``jobs=1`` (this process) and ``jobs=os.cpu_count()`` (worker processes,
  start-up included). Plans per second = profiles / wall time.
- ``cold`` — CLI cold start: ``segur-plan --version`` and ``segur-plan plan <example> -o
  /dev/null`` run ``--cold`` times each as fresh processes; median wall time, compared with
  ``python -c pass`` measured the same way.
- ``memory`` — ``tracemalloc`` peak (Python allocations only) of building an Engine (pack
  discovery included) then, after ``reset_peak``, of planning every example file once
  (``Engine.plan_file``: reading, the rule backends' first build, planning, JSON); and the max
  RSS (``resource.getrusage``, whole process) of a child process that runs a batch of the copied
  examples on all cores: the child's own RSS and the largest of its worker processes (forked by
  the forkserver, so read from ``/proc`` VmHWM while the batch runs; not measured without it).
- ``http`` — runs only when ``segur_plan.server`` imports (extra ``server``): ``segur-plan serve
  --host 127.0.0.1 --port 0`` is started in a subprocess (the port chosen by the system is read
  from its log), and once ``/healthz`` answers, ``POST /v1/plan?today=…`` requests (an example's
  TOML, ``Content-Type: application/toml``, round-robin over the examples) are sent at a fixed
  rate (``--http-rate`` per second for ``--http-seconds``, so a bounded count) from a pool of
  ``--http-threads`` threads with ``urllib`` (one connection per request). Latency is measured
  from each request's *scheduled* time to its complete response, so a server falling behind is
  not hidden by the client waiting (no coordinated omission). p50, p99, max and the count of
  errors (any status other than 200, or a transport error) are reported; the server is then
  stopped (SIGINT, then kill after 15 s).
- Results are printed as tables and written as JSON (``--json FILE``, default
  ``bench/results/latest.json``, git-ignored) with the Python version, the machine, the date and
  the parameters, so that two runs can be compared key by key.

Usage: ``python bench/bench_plan.py [--only latency,batch,cold,memory,http] [--repeat 50]
[--warmup 5] [--cold 10] [--throughput 400] [--batch-copies 20] [--http-rate 50]
[--http-seconds 10] [--http-threads 8]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segur_plan.engine.api import Engine
from segur_plan.engine.batch import run_batch
from segur_plan.engine.errors import OutputError
from segur_plan.engine.financing import load_financing
from segur_plan.engine.loading import load_profile
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.render import render_json
from segur_plan.engine.rules import durable_backend, resolve_backend_name
from segur_plan.engine.storage import writable_target, write_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
EXAMPLE = ROOT / "examples" / "hop-dpi-client-lourd.toml"
TODAY = dt.date(2025, 6, 1)
SECTIONS = ("latency", "batch", "cold", "memory", "http")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def profile_for(registry: PackRegistry, pack_id: str) -> dict:
    pack = registry.get(pack_id).pack
    optional = [p.id for p in pack.profils if not p.general][:1]
    return {"solution": {"name": "bench"},
            "referencement": {"pack": pack_id, "t0": dt.date(2025, 3, 31)},
            "profils": {"declared": optional},
            "prerequisites": {"cnda_nie": "N", "cnda_nil": "L", "cnda_request_status": "pre-examen"}}


def timed(func: Any, warmup: int, repeat: int) -> dict[str, float]:
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}


# ---------------------------------------------------------------------------- the lower bound


def plain_fold(text: str) -> str:
    """The engine's case- and accent-insensitive key, in plain Python."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\s\u00a0_\-']+", " ", stripped.casefold()).strip()


@dataclass(frozen=True)
class FlatPack:
    """A pack flattened to plain dicts and sets (built once, outside the timing)."""

    names: dict[str, str]  # folded id / label / alias → profil id
    general: frozenset[str]
    exigences: tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, label, profils)


def flatten(registry: PackRegistry, pack_id: str) -> FlatPack:
    pack = registry.get(pack_id).pack
    names: dict[str, str] = {}
    for p in pack.profils:
        for name in (p.id, p.label, *p.aliases):
            names.setdefault(plain_fold(name), p.id)
    return FlatPack(names, frozenset(p.id for p in pack.profils if p.general),
                    tuple((e.id, e.label or e.id, tuple(e.profils)) for e in pack.exigences))


def lower_bound(flat: FlatPack, declared: list[str]) -> str:
    """The selection work alone: active profils, exigences whose profils intersect them, JSON."""
    active = set(flat.general)
    for name in declared:
        active.add(flat.names[plain_fold(name)])
    selected = [{"id": eid, "label": label, "profil": next(p for p in profils if p in active)}
                for eid, label, profils in flat.exigences if not active.isdisjoint(profils)]
    selected.sort(key=lambda r: r["id"])
    return json.dumps(selected, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------- sections


def section_latency(registry: PackRegistry, backends: list[str], args: argparse.Namespace) -> dict[str, Any]:
    latency: dict[str, dict[str, dict[str, float]]] = {}
    for backend in backends:
        engine = Engine(registry, backend=backend)
        latency[backend] = {}
        for pack_id in registry.ids():
            profile = profile_for(registry, pack_id)
            latency[backend][pack_id] = timed(lambda e=engine, p=profile: render_json(e.plan(p, today=TODAY)),
                                              args.warmup, args.repeat)
    lower: dict[str, dict[str, Any]] = {}
    engine = Engine(registry, backend="native")
    for pack_id in registry.ids():
        profile = profile_for(registry, pack_id)
        flat = flatten(registry, pack_id)
        declared = profile["profils"]["declared"]
        lower[pack_id] = timed(lambda f=flat, d=declared: lower_bound(f, d), args.warmup, args.repeat)
        ours = {r["id"] for r in json.loads(lower_bound(flat, declared))}
        engine_ids = {r.id for r in engine.plan(profile, today=TODAY).requirements if r.to_prove}
        lower[pack_id]["same_selection"] = ours == engine_ids
        lower[pack_id]["selected"] = [len(ours), len(engine_ids)]

    print(f"Latence d'un plan (ms), {args.repeat} mesures après {args.warmup} d'échauffement ; "
          "borne basse = sélection seule en Python simple")
    header = f"{'pack':<13}" + "".join(f"{b + ' méd.':>14}{b + ' p95':>13}" for b in backends)
    header += f"{'borne méd.':>12}" + "".join(f"{b + '/borne':>15}" for b in backends)
    header += ("   durable/natif" if len(backends) == 2 else "") + "  même sélection (borne/moteur)"
    print(header)
    ratios: dict[str, dict[str, float]] = {b: {} for b in backends}
    for pack_id in registry.ids():
        row = "".join(f"{latency[b][pack_id]['median_ms']:>14.2f}{latency[b][pack_id]['p95_ms']:>13.2f}"
                      for b in backends)
        base = lower[pack_id]["median_ms"]
        for b in backends:
            ratios[b][pack_id] = latency[b][pack_id]["median_ms"] / base
        row += f"{base:>12.4f}" + "".join(f"{ratios[b][pack_id]:>14.0f}×" for b in backends)
        if len(backends) == 2:
            row += f"{latency['durable'][pack_id]['median_ms'] / latency['native'][pack_id]['median_ms']:>16.2f}"
        same = lower[pack_id]
        row += f"  {'oui' if same['same_selection'] else 'non'} ({same['selected'][0]}/{same['selected'][1]})"
        print(f"{pack_id:<13}{row}")
    return {"plan_latency_ms": latency, "lower_bound_ms": lower, "engine_over_lower_bound": ratios}


def _copy_examples(target: Path, copies: int) -> int:
    """``copies`` copies of each example profile, with the financing files they point to."""
    for n in range(copies):
        for path in EXAMPLES:
            shutil.copy(path, target / f"{path.stem}-{n:03d}.toml")
    if (ROOT / "examples" / "financing").is_dir() and not (target / "financing").exists():
        shutil.copytree(ROOT / "examples" / "financing", target / "financing")
    return copies * len(EXAMPLES)


def section_batch(registry: PackRegistry, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    engine = Engine(registry)
    profiles = [(p, None) for p in map(load_profile, EXAMPLES)]
    profiles = [(p, load_financing(ROOT / "examples" / p.financing_file) if p.financing_file else None)
                for p, _ in profiles]
    for profile, financing in profiles:
        render_json(engine.plan(profile, today=TODAY, financing=financing))
    start = time.perf_counter()
    for n in range(args.throughput):
        profile, financing = profiles[n % len(profiles)]
        render_json(engine.plan(profile, today=TODAY, financing=financing))
    single = args.throughput / (time.perf_counter() - start)

    src = workdir / "lot"
    src.mkdir(exist_ok=True)
    count = _copy_examples(src, args.batch_copies)
    jobs = os.cpu_count() or 1
    walls = {}
    for label, n_jobs in (("batch_1_process", 1), (f"batch_{jobs}_processes", jobs)):
        out = workdir / f"out-{n_jobs}"
        start = time.perf_counter()
        summary = run_batch(src, out, today=TODAY, jobs=n_jobs)
        walls[label] = time.perf_counter() - start
        assert not summary.errors, summary.errors[:1]
        shutil.rmtree(out)
    rates = {label: count / wall for label, wall in walls.items()}
    batch_n = rates[f"batch_{jobs}_processes"]
    print(f"\nDébit ({engine.backend_name}) : un processus, en mémoire {single:.0f} plans/s ; "
          f"lot de {count} profils (lecture, plan, JSON, écriture) : 1 processus {rates['batch_1_process']:.0f} "
          f"plans/s, {jobs} processus {batch_n:.0f} plans/s ({batch_n / rates['batch_1_process']:.2f}× ; "
          f"démarrage des processus compris)")
    return {"throughput_plans_per_s": {"backend": engine.backend_name, "single_process_in_memory": single,
                                       **rates, "batch_profiles": count, "jobs": jobs,
                                       "batch_speedup": batch_n / rates["batch_1_process"]}}


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT / "bench")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def section_cold(args: argparse.Namespace) -> dict[str, Any]:
    exe = shutil.which("segur-plan") or str(Path(sys.executable).with_name("segur-plan"))
    bare = wall([sys.executable, "-c", "pass"], args.cold)
    version = wall([exe, "--version"], args.cold)
    plan = wall([exe, "plan", str(EXAMPLE), "--today", TODAY.isoformat(), "-o", "/dev/null"], args.cold)
    print(f"\nDémarrage à froid (médiane de {args.cold} processus) : python -c pass {bare:.0f} ms ; "
          f"segur-plan --version {version:.0f} ms ({version / bare:.1f}×) ; "
          f"segur-plan plan {plan:.0f} ms ({plan / bare:.1f}×)")
    return {"cold_start_ms": {"python_bare": bare, "version": version, "plan": plan}}


_RSS_CHILD = """
import datetime as dt, json, os, pathlib, resource, sys, threading
from segur_plan.engine.batch import run_batch

# The workers are forked by the forkserver, not by this process: RUSAGE_CHILDREN never sees
# them. Their peak RSS (VmHWM, Linux) is read instead from /proc while the batch runs.
peak = {"kib": 0}
stop = threading.Event()

def descendants(root):
    children = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found

def high_water_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0

def poll():
    while not stop.wait(0.02):
        for pid in descendants(os.getpid()):
            peak["kib"] = max(peak["kib"], high_water_kib(pid))

watcher = threading.Thread(target=poll, daemon=True)
if os.path.isdir("/proc"):
    watcher.start()
summary = run_batch(sys.argv[1], sys.argv[2], today=dt.date.fromisoformat(sys.argv[3]), jobs=os.cpu_count())
stop.set()
print(json.dumps({"profiles": len(summary.results),
                  "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "workers_kib": peak["kib"] or None}))
"""


def section_memory(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    tracemalloc.start()
    engine = Engine()  # packs discovered inside the measure; rule backends are built by the first plans
    build_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    for path in EXAMPLES:
        render_json(engine.plan_file(path, today=TODAY))
    plan_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    src = workdir / "lot-rss"
    src.mkdir(exist_ok=True)
    count = _copy_examples(src, args.batch_copies)
    done = subprocess.run([sys.executable, "-c", _RSS_CHILD, str(src), str(workdir / "out-rss"), TODAY.isoformat()],
                          check=True, capture_output=True, text=True)
    rss = json.loads(done.stdout.strip().splitlines()[-1])
    mib = 1024 * 1024
    print(f"\nMémoire : pic tracemalloc {build_peak / mib:.1f} Mio pour construire le moteur (découverte des packs), "
          f"{plan_peak / mib:.1f} Mio pour planifier les {len(EXAMPLES)} exemples ; RSS max d'un lot de {count} "
          f"profils sur {os.cpu_count()} processus : parent {rss['self_kib'] / 1024:.0f} Mio, plus gros processus "
          f"de calcul (ou forkserver) "
          + (f"{rss['workers_kib'] / 1024:.0f} Mio" if rss["workers_kib"] else "non mesuré (sans /proc)"))
    return {"memory": {"tracemalloc_engine_build_peak_mib": build_peak / mib,
                       "tracemalloc_plan_examples_peak_mib": plan_peak / mib,
                       "batch_max_rss_parent_mib": rss["self_kib"] / 1024,
                       "batch_max_rss_worker_mib": rss["workers_kib"] / 1024 if rss["workers_kib"] else None,
                       "batch_profiles": count}}


# ---------------------------------------------------------------------------- HTTP


class Server:
    """``segur-plan serve --port 0`` in a subprocess; its port is read from uvicorn's log."""

    def __init__(self, workers: int = 1) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "segur_plan.cli.main", "serve", "--host", "127.0.0.1", "--port", "0",
             "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT / "bench")
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()
        self.base = self._wait_for_port(30)

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def _wait_for_port(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            seen.append(line)
            match = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            if match:
                return match[1]
        self.stop()
        raise RuntimeError("le service HTTP n'a pas démarré :\n" + "".join(seen[-20:]))

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("/healthz ne répond pas")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/toml"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def fixed_rate(url: str, bodies: list[bytes], rate: float, total: int, threads: int) -> dict[str, Any]:
    """``total`` POSTs of ``bodies`` (round-robin) at ``rate`` per second from ``threads`` threads.

    Latency runs from each request's *scheduled* time to its complete response, so that a server
    falling behind is not hidden by the client waiting (no coordinated omission); an error is any
    status but 200, or a transport error.
    """
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def send(body: bytes, scheduled: float) -> None:
        try:
            status = _post(url, body)
            error = None if status == 200 else f"HTTP {status}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - scheduled) * 1000
        with lock:
            latencies.append(elapsed)
            if error:
                errors.append(error)

    start = time.perf_counter() + 0.05
    with ThreadPoolExecutor(threads) as pool:
        for n in range(total):
            scheduled = start + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, bodies[n % len(bodies)], scheduled)
    return {"latencies": latencies, "errors": errors, "duration": time.perf_counter() - start}


def section_http(args: argparse.Namespace) -> dict[str, Any]:
    if importlib.util.find_spec("segur_plan.server") is None or importlib.util.find_spec("uvicorn") is None:
        print("\nHTTP : service absent (pip install 'segur-plan[server]'), section sautée")
        return {"http": None}
    bodies = [p.read_bytes() for p in EXAMPLES]
    total = round(args.http_rate * args.http_seconds)
    server = Server()
    try:
        server.wait_ready()
        url = f"{server.base}/v1/plan?today={TODAY.isoformat()}"
        for body in bodies[:4]:  # warm-up: first plan of each backend and pack
            _post(url, body)
        sent = fixed_rate(url, bodies, args.http_rate, total, args.http_threads)
        latencies, errors, duration = sent["latencies"], sent["errors"], sent["duration"]
    finally:
        server.stop()
    result = {"rate_per_s": args.http_rate, "seconds": args.http_seconds, "requests": total,
              "threads": args.http_threads, "achieved_per_s": total / duration,
              "p50_ms": percentile(latencies, 0.50), "p99_ms": percentile(latencies, 0.99),
              "max_ms": max(latencies), "errors": len(errors), "error_kinds": sorted(set(errors))[:5]}
    print(f"\nHTTP (POST /v1/plan, {total} requêtes à {args.http_rate}/s, {args.http_threads} fils, boucle locale) : "
          f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.0f} ms, "
          f"{len(errors)} erreur(s), débit tenu {result['achieved_per_s']:.1f}/s")
    return {"http": result}


# ---------------------------------------------------------------------------- main


def checked_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace, sections: Sequence[str]) -> list[str]:
    """The sections ``--only`` names, and ``--json`` checked before minutes of measurement (never
    written over a device, a pipe or a folder); a bad one is a usage error."""
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(sections))
    if unknown:
        parser.error(f"section(s) inconnue(s) : {', '.join(unknown)} ; possibles : {', '.join(sections)}")
    try:
        writable_target(args.json)
    except OutputError as exc:
        parser.error(exc.message)
    return only


def write_report(path: Path, report: dict[str, Any]) -> None:
    """The JSON report, through the engine's one writer (atomic, never over a device or a folder)."""
    write_file(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    print(f"\nRésultats : {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"sections à mesurer, séparées par des virgules ({','.join(SECTIONS)})")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--throughput", type=int, default=400, help="plans du débit en un processus")
    parser.add_argument("--batch-copies", type=int, default=20, help="copies des exemples dans le lot")
    parser.add_argument("--http-rate", type=float, default=50.0, help="requêtes par seconde")
    parser.add_argument("--http-seconds", type=float, default=10.0)
    parser.add_argument("--http-threads", type=int, default=8)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    args = parser.parse_args()
    only = checked_arguments(parser, args, SECTIONS)

    registry = PackRegistry.discover()
    backends = ["native"] + (["durable"] if durable_backend.available() else [])
    result: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(), "machine": platform.machine(), "cpu_count": os.cpu_count(),
        "default_backend": resolve_backend_name(None),
        "method": {"sections": only, "repeat": args.repeat, "warmup": args.warmup, "cold_runs": args.cold,
                   "throughput_plans": args.throughput, "batch_copies": args.batch_copies,
                   "http_rate": args.http_rate, "http_seconds": args.http_seconds,
                   "http_threads": args.http_threads},
    }
    with tempfile.TemporaryDirectory(prefix="segur-plan-bench-") as tmp:
        workdir = Path(tmp)
        if "latency" in only:
            result |= section_latency(registry, backends, args)
        if "batch" in only:
            result |= section_batch(registry, args, workdir)
        if "cold" in only:
            result |= section_cold(args)
        if "memory" in only:
            result |= section_memory(args, workdir)
        if "http" in only:
            result |= section_http(args)
    write_report(args.json, result)


if __name__ == "__main__":
    main()
