"""Benchmark: how the cost of a plan scales, against fair lower bounds, as ratios measured in one run.

Method (written down so that runs can be compared):

- Machine: whatever runs it (CI and developers: 2 shared cores). Wall times there are noisy, so
  the measures are **CPU time** (``time.process_time`` in this process, ``RUSAGE_CHILDREN`` user
  time for child processes) where the work is in one process, and every comparison is a **ratio
  of two variants measured interleaved** (A B A B … in the same rounds, the median of each taken
  at the end), so that a slow period of the machine hits both sides alike. Nothing here asserts
  a time; this is not a test. The acceptance thresholds of issue 15 are printed beside each ratio.
  Before the in-process measures, what the bench has set up is frozen out of the garbage
  collector's reach (``gc.freeze``), as the CLI and the batch and HTTP workers do once started.
- ``proofs`` — a BIO-SGL profile (its first optional profil declared, T0 set, CNDA prerequisites
  met) with 0, 100, 400 and 1,000 ``[[proofs]]`` records (IDs of the plan's own preuves, cycled,
  status ``deposited``, distinct dates); one measure = CPU time of ``--batch`` plans + canonical
  JSON (bytes, as written) of that profile. Ratio: each count / no record (linear cost: 400 records ≤ 1.5×).
- ``encoder`` — for BIO-SGL and RAD-RIS: A = plan + canonical JSON as written (the UTF-8 bytes
  of ``render_bytes("json", …)``, what ``plan -o``, the batch and HTTP write); B = the C encoder
  alone (``json.dumps`` compact, the standard library's C path) serialising the *same plan*,
  already dumped to plain data outside the timing, to a ``str`` (not even encoded to UTF-8). B
  is a lower bound of anything that outputs that plan as JSON. Ratio A / B (≤ 3.5×).
- ``catalogue`` — the BIO-SGL pack and a copy whose catalogue is repeated ten times (IDs
  suffixed ``-kN``, so every exigence, scénario and preuve is distinct), each planned by its own
  Engine. Ratio 10× / 1× (linear: about 10).
- ``cold`` — ``segur-plan plan <example> -o <file>`` as a fresh process, against a bare Python
  that imports pydantic, click and pluggy and builds one pydantic model; user CPU of each child
  (``RUSAGE_CHILDREN`` deltas), interleaved, ``--cold`` runs each. Ratio (≤ 1.8×). The
  project's modules are byte-compiled first, as an installed copy is (``--cold-source``: not);
  the validated-pack cache is the user's (the first run fills it, the median is of warm runs).
- ``batch`` — 200 profiles (the examples copied) planned by ``run_batch`` with ``jobs=1`` then
  ``jobs=2`` (start-up included), wall time, ``--rounds`` interleaved rounds. Ratio 1 job / 2 jobs
  (≥ 1.5×). In the same rounds, the machine's own ceiling: two fixed pure-Python computations
  one after the other / in two processes at once (on 2 shared virtual cores it moves between
  ×1.4 and ×1.9 from minute to minute, and no batch can beat it).
- ``serve`` — ``segur-plan serve --workers 1`` and ``--workers 2`` in turn: saturation
  throughput of ``POST /v1/plan`` with 8 client threads sending ``--serve-requests`` requests as
  fast as answered (ratio 2 workers / 1, ≥ 1.5×); then, on 2 workers, a fixed rate of 50
  requests/s for 10 s (latency from each request's scheduled time: no coordinated omission):
  p50, p99 (p99 ≤ 3 × p50) and errors (0).
- Results are printed and written as JSON (``--json FILE``, default
  ``bench/results/scale.json``, git-ignored): parameters, machine, every median and ratio.

Usage: ``python bench/bench_scale.py [--only proofs,encoder,catalogue,cold,batch,serve]
[--rounds 7] [--batch 5] [--cold 8] [--serve-requests 400]``.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import gc
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan import (  # noqa: E402
    EXAMPLES,
    ROOT,
    TODAY,
    Server,
    _post,
    checked_arguments,
    fixed_rate,
    percentile,
    profile_for,
    write_report,
)
from segur_plan.engine.api import Engine  # noqa: E402
from segur_plan.engine.batch import run_batch  # noqa: E402
from segur_plan.engine.hookspecs import hookimpl  # noqa: E402
from segur_plan.engine.models.pack import Pack  # noqa: E402
from segur_plan.engine.registry import PackRegistry  # noqa: E402
from segur_plan.engine.render import render_bytes  # noqa: E402

SECTIONS = ("proofs", "encoder", "catalogue", "cold", "batch", "serve")
PROOF_COUNTS = (0, 100, 400, 1000)


def interleaved(variants: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Median of each variant's measure, the variants taking turns in every round.

    What exists before the measures (engine, packs, profiles, the dumped plan of the lower bound)
    is frozen out of the garbage collector's reach first, as the CLI, the batch workers and the
    HTTP workers do once started: otherwise every full collection during a measure walks the
    bench's own set-up, and the figures depend on what else the bench holds in memory.
    """
    gc.collect()
    gc.freeze()
    try:
        samples: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(rounds):
            for name, measure in variants.items():
                samples[name].append(measure())
    finally:
        gc.unfreeze()
    return {name: statistics.median(values) for name, values in samples.items()}


def cpu(func: Callable[[], object], times: int) -> Callable[[], float]:
    """A measure: CPU seconds of ``times`` calls of ``func`` in this process."""
    def measure() -> float:
        start = time.process_time()
        for _ in range(times):
            func()
        return time.process_time() - start
    return measure


def verdict(ratio: float, limit: float, *, at_least: bool = False) -> str:
    ok = ratio >= limit if at_least else ratio <= limit
    return f"{'tenu' if ok else 'NON TENU'} ({'≥' if at_least else '≤'} {limit})"


# ---------------------------------------------------------------------------- sections


def with_proofs(profile: dict[str, Any], ids: list[str], count: int) -> dict[str, Any]:
    start = dt.date(2024, 1, 1)
    records = [{"id": ids[n % len(ids)], "status": "deposited", "date": start + dt.timedelta(days=n % 500)}
               for n in range(count)]
    return {**profile, "proofs": records}


def section_proofs(registry: PackRegistry, args: argparse.Namespace) -> dict[str, Any]:
    engine = Engine(registry)
    base = profile_for(registry, "BIO-SGL")
    plan = engine.plan(base, today=TODAY)
    ids = [p.id for r in plan.requirements for s in r.scenarios for p in s.proofs] or \
          [r.id for r in plan.requirements]
    profiles = {n: with_proofs(base, ids, n) for n in PROOF_COUNTS}
    for profile in profiles.values():
        render_bytes("json", engine.plan(profile, today=TODAY))  # warm-up
    medians = interleaved({str(n): cpu(lambda p=p: render_bytes("json", engine.plan(p, today=TODAY)), args.batch)
                           for n, p in profiles.items()}, args.rounds)
    ratios = {n: medians[n] / medians["0"] for n in medians}
    print(f"Preuves enregistrées (BIO-SGL, {len(ids)} identifiants de preuve du plan) : temps CPU d'un plan")
    for n in medians:
        print(f"  {n:>5} enregistrements : {medians[n] / args.batch * 1000:7.2f} ms  ×{ratios[n]:.2f}")
    print(f"  400 / 0 = {ratios['400']:.2f} : {verdict(ratios['400'], 1.5)}")
    return {"proofs": {"ms_per_plan": {n: v / args.batch * 1000 for n, v in medians.items()}, "ratio": ratios}}


def section_encoder(registry: PackRegistry, args: argparse.Namespace) -> dict[str, Any]:
    engine = Engine(registry)
    result: dict[str, Any] = {}
    print("Plan + JSON canonique, rapporté à json.dumps (encodeur C, compact) du même plan")
    for pack_id in ("BIO-SGL", "RAD-RIS"):
        profile = profile_for(registry, pack_id)
        data = engine.plan(profile, today=TODAY).model_dump(mode="json")
        medians = interleaved({
            "plan_json": cpu(lambda p=profile: render_bytes("json", engine.plan(p, today=TODAY)), args.batch),
            "c_encoder": cpu(lambda d=data: json.dumps(d, ensure_ascii=False), args.batch),
        }, args.rounds)
        ratio = medians["plan_json"] / medians["c_encoder"]
        result[pack_id] = {"plan_json_ms": medians["plan_json"] / args.batch * 1000,
                           "c_encoder_ms": medians["c_encoder"] / args.batch * 1000, "ratio": ratio}
        print(f"  {pack_id:<8} plan+JSON {result[pack_id]['plan_json_ms']:6.2f} ms, json.dumps "
              f"{result[pack_id]['c_encoder_ms']:5.2f} ms : ×{ratio:.2f} {verdict(ratio, 3.5)}")
    return {"encoder": result}


def scaled(pack: Pack, factor: int) -> Pack:
    """The pack with its catalogue repeated ``factor`` times, every ID made distinct."""
    copies = []
    for k in range(factor):
        for exigence in pack.exigences:
            suffix = f"-k{k}"
            scenarios = tuple(s.model_copy(update={
                "id": s.id.replace(exigence.id, exigence.id + suffix, 1),
                "preuves": tuple(p.model_copy(update={"id": p.id.replace(exigence.id, exigence.id + suffix, 1)})
                                 for p in s.preuves)}) for s in exigence.scenarios)
            copies.append(exigence.model_copy(update={"id": exigence.id + suffix, "scenarios": scenarios}))
    return pack.model_copy(update={"id": f"{pack.id}-X{factor}", "exigences": tuple(copies)})


class _ScaledPacks:
    def __init__(self, packs: list[Pack]) -> None:
        self.packs = packs

    @hookimpl
    def segur_plan_packs(self) -> list[Pack]:
        return self.packs


def section_catalogue(registry: PackRegistry, args: argparse.Namespace) -> dict[str, Any]:
    resolved = registry.get("BIO-SGL").pack  # socle references already resolved
    packs = {f: scaled(resolved, f).model_copy(update={"uses": ()}) for f in (1, 10)}
    scaled_registry = PackRegistry.discover([_ScaledPacks(list(packs.values()))], entry_points=False)
    if scaled_registry.broken:
        raise RuntimeError(f"pack agrandi invalide : {scaled_registry.broken[0]}")
    engine = Engine(scaled_registry)
    profiles = {}
    for f, pack in packs.items():
        profile = profile_for(registry, "BIO-SGL")
        profiles[f] = {**profile, "referencement": {**profile["referencement"], "pack": pack.id}}
        render_bytes("json", engine.plan(profiles[f], today=TODAY))
    medians = interleaved({str(f): cpu(lambda p=p: render_bytes("json", engine.plan(p, today=TODAY)), args.batch)
                           for f, p in profiles.items()}, args.rounds)
    ratio = medians["10"] / medians["1"]
    sizes = {f: len(p.exigences) for f, p in packs.items()}
    print(f"Catalogue ×1 ({sizes[1]} exigences) et ×10 ({sizes[10]}) : {medians['1'] / args.batch * 1000:.2f} ms, "
          f"{medians['10'] / args.batch * 1000:.2f} ms : ×{ratio:.2f} (linéaire : environ 10)")
    return {"catalogue": {"exigences": sizes, "ms_per_plan": {f: v / args.batch * 1000 for f, v in medians.items()},
                          "ratio": ratio}}


def child_cpu(command: list[str]) -> Callable[[], float]:
    """A measure: user CPU seconds of one run of ``command`` as a child process."""
    def measure() -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
    return measure


BARE = ("import pydantic, click, pluggy\n"
        "class M(pydantic.BaseModel):\n    x: int\n    y: str = 'a'\n"
        "M(x=1)\n")


#: The project's modules, byte-compiled before the cold start is measured: an installed copy
#: (pip install) is compiled at install, like pydantic and click in the bare variant; without
#: it, PYTHONDONTWRITEBYTECODE (set on the shared machine) makes every run of an editable install
#: recompile ~100 modules from source. ``--cold-source`` measures that case instead.
PACKAGE_FOLDERS = ("api", "engine", "cli", "packs", "server")


def section_cold(args: argparse.Namespace) -> dict[str, Any]:
    if not args.cold_source:
        for folder in PACKAGE_FOLDERS:
            compileall.compile_dir(str(ROOT / folder), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.json"
        example = str(ROOT / "examples" / "hop-dpi-client-lourd.toml")
        medians = interleaved({
            "plan": child_cpu([sys.executable, "-m", "segur_plan.cli.main", "plan", example, "-o", str(out),
                               "--today", TODAY.isoformat()]),
            "bare": child_cpu([sys.executable, "-c", BARE]),
        }, args.cold)
    ratio = medians["plan"] / medians["bare"]
    how = "modules du projet non compilés" if args.cold_source else "modules compilés comme à l'installation"
    print(f"Démarrage à froid ({how}), CPU utilisateur : plan -o fichier {medians['plan'] * 1000:.0f} ms, Python nu "
          f"(pydantic, click, pluggy, un modèle) {medians['bare'] * 1000:.0f} ms : ×{ratio:.2f} {verdict(ratio, 1.8)}")
    return {"cold": {"plan_ms": medians["plan"] * 1000, "bare_ms": medians["bare"] * 1000, "ratio": ratio,
                     "byte_compiled": not args.cold_source}}


def section_batch(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "profils")
        src.mkdir()
        count = 0
        while count < 200:
            for example in EXAMPLES:
                if count < 200:
                    shutil.copy(example, src / f"{count:03d}-{example.name}")
                    count += 1
        for example in EXAMPLES:  # financing files the examples point to, beside them
            for sibling in example.parent.iterdir():
                if sibling.is_dir() and not (src / sibling.name).exists():
                    shutil.copytree(sibling, src / sibling.name)

        def wall(jobs: int) -> Callable[[], float]:
            def measure() -> float:
                out = Path(tmp, f"plans-{jobs}")
                shutil.rmtree(out, ignore_errors=True)
                start = time.perf_counter()
                run_batch(src, out, today=TODAY, jobs=jobs)
                return time.perf_counter() - start
            return measure

        medians = interleaved({"1": wall(1), "2": wall(2), "cpu1": spin_wall(1), "cpu2": spin_wall(2)},
                              max(3, args.rounds))
    ratio = medians["1"] / medians["2"]
    ceiling = medians["cpu1"] / medians["cpu2"]
    print(f"Lot de 200 profils : 1 processus {medians['1']:.2f} s, 2 processus {medians['2']:.2f} s : "
          f"×{ratio:.2f} {verdict(ratio, 1.5, at_least=True)} ; plafond de la machine pendant ces tours "
          f"(calcul pur, 2 processus / 1) ×{ceiling:.2f}")
    return {"batch": {"profiles": 200, "seconds": medians, "speedup": ratio, "machine_ceiling": ceiling}}


def _spin(loops: int = 2_000_000) -> None:
    total = 0
    for n in range(loops):
        total += n * n


def spin_wall(processes: int) -> Callable[[], float]:
    """A measure: wall time of two fixed pure-Python computations, in this process one after the
    other (1) or in two processes at once (2): the parallel speed-up the machine gives right now,
    the ceiling of the batch and serve ratios."""
    def measure() -> float:
        start = time.perf_counter()
        if processes == 1:
            _spin()
            _spin()
        else:
            workers = [multiprocessing.get_context("fork").Process(target=_spin) for _ in range(2)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        return time.perf_counter() - start
    return measure


def saturation(server: Server, bodies: list[bytes], requests: int) -> float:
    url = f"{server.base}/v1/plan?today={TODAY.isoformat()}"
    for body in bodies * 2:
        _post(url, body)  # warm-up of every worker
    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: _post(url, bodies[n % len(bodies)]), range(requests)))
    elapsed = time.perf_counter() - start
    if any(s != 200 for s in statuses):
        raise RuntimeError(f"réponses en erreur : {sorted(set(statuses))}")
    return requests / elapsed


def at_fixed_rate(server: Server, bodies: list[bytes], rate: int, seconds: int) -> dict[str, Any]:
    sent = fixed_rate(f"{server.base}/v1/plan?today={TODAY.isoformat()}", bodies, rate, rate * seconds, 16)
    latencies = sent["latencies"]
    return {"requests": rate * seconds, "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "errors": len(sent["errors"])}


def section_serve(args: argparse.Namespace) -> dict[str, Any]:
    bodies = [p.read_bytes() for p in EXAMPLES]
    throughput: dict[str, list[float]] = {"1": [], "2": []}
    latency: dict[str, Any] = {}
    for _ in range(2):  # two interleaved rounds: 1, 2, 1, 2 workers
        for workers in ("1", "2"):
            server = Server(int(workers))
            try:
                server.wait_ready()
                throughput[workers].append(saturation(server, bodies, args.serve_requests))
                if workers == "2" and not latency:
                    latency = at_fixed_rate(server, bodies, 50, 10)
            finally:
                server.stop()
    best = {w: statistics.median(v) for w, v in throughput.items()}
    ratio = best["2"] / best["1"]
    tail = latency["p99_ms"] / latency["p50_ms"]
    print(f"Service HTTP : 1 processus {best['1']:.0f} req/s, 2 processus {best['2']:.0f} req/s : ×{ratio:.2f} "
          f"{verdict(ratio, 1.5, at_least=True)}")
    print(f"  2 processus à 50 req/s pendant 10 s : p50 {latency['p50_ms']:.1f} ms, p99 {latency['p99_ms']:.1f} ms "
          f"(×{tail:.2f}, {verdict(tail, 3.0)}), {latency['errors']} erreur(s)")
    return {"serve": {"requests_per_s": best, "speedup": ratio, "fixed_rate": latency, "p99_over_p50": tail}}


# ---------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections ({','.join(SECTIONS)})")
    parser.add_argument("--rounds", type=int, default=7, help="tours entrelacés par comparaison")
    parser.add_argument("--batch", type=int, default=5, help="plans par mesure")
    parser.add_argument("--cold", type=int, default=8, help="lancements à froid de chaque variante")
    parser.add_argument("--cold-source", action="store_true",
                        help="démarrage à froid sans compiler d'abord les modules du projet")
    parser.add_argument("--serve-requests", type=int, default=400)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args()
    only = checked_arguments(parser, args, SECTIONS)

    registry = PackRegistry.discover()
    report: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "python": platform.python_version(), "machine": platform.machine(),
                              "cpus": os.cpu_count(), "parameters": vars(args) | {"json": str(args.json)}}
    for name in only:
        if name in ("proofs", "encoder", "catalogue"):
            report |= globals()[f"section_{name}"](registry, args)
        else:
            report |= globals()[f"section_{name}"](args)
    write_report(args.json, report)


if __name__ == "__main__":
    main()
