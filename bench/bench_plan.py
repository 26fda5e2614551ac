"""Benchmark: plan latency per pack and rule backend, and the CLI's cold start.

Method (written down so that runs can be compared):

- Machine: whatever runs it (CI and developers: 2 shared cores). Absolute times are noisy
  there, so the script also prints **ratios** measured in the same run (durable / native,
  cold start / bare ``python -c pass``), which are far more stable than the times.
- Plan latency: for each installed pack and each available backend, one Engine is built
  (packs discovered once, rule backend compiled once, as a portal would), then a
  representative profile of that pack (the first optional profil declared, T0 set) is planned
  ``--warmup`` times (discarded) and ``--repeat`` times (measured with
  ``time.perf_counter``); the median and the 95th percentile are reported, in milliseconds.
  Planning includes the rule evaluation, catalogue filtering, calendar and rendering to JSON.
- CLI cold start: ``segur-plan --version`` and ``segur-plan plan <example> -o /dev/null`` run
  ``--cold`` times each as fresh processes; median wall time, compared with
  ``python -c pass`` measured the same way.
- Results are printed as a table and written as JSON (``--json FILE``, default
  ``bench/results/latest.json``) with the Python version and the date.

Usage: ``python bench/bench_plan.py [--repeat 50] [--warmup 5] [--cold 10]``.
Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from segur_plan.engine.api import Engine
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.render import render_json
from segur_plan.engine.rules import durable_backend

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "hop-dpi-client-lourd.toml"


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


def plan_latency(registry: PackRegistry, backend: str, warmup: int, repeat: int) -> dict[str, dict[str, float]]:
    engine = Engine(registry, backend=backend)
    today = dt.date(2025, 6, 1)
    out = {}
    for pack_id in registry.ids():
        profile = profile_for(registry, pack_id)
        for _ in range(warmup):
            render_json(engine.plan(profile, today=today))
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            render_json(engine.plan(profile, today=today))
            times.append((time.perf_counter() - start) * 1000)
        out[pack_id] = {"median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}
    return out


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT / "bench")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    args = parser.parse_args()

    registry = PackRegistry.discover()
    backends = ["native"] + (["durable"] if durable_backend.available() else [])
    latency = {b: plan_latency(registry, b, args.warmup, args.repeat) for b in backends}

    print(f"Latence d'un plan (ms), {args.repeat} mesures après {args.warmup} d'échauffement")
    print(f"{'pack':<14}" + "".join(f"{b + ' méd.':>14}{b + ' p95':>13}" for b in backends)
          + ("   durable/natif" if len(backends) == 2 else ""))
    for pack_id in registry.ids():
        row = "".join(f"{latency[b][pack_id]['median_ms']:>14.2f}{latency[b][pack_id]['p95_ms']:>13.2f}"
                      for b in backends)
        ratio = (f"{latency['durable'][pack_id]['median_ms'] / latency['native'][pack_id]['median_ms']:>16.2f}"
                 if len(backends) == 2 else "")
        print(f"{pack_id:<14}{row}{ratio}")

    exe = shutil.which("segur-plan") or str(Path(sys.executable).with_name("segur-plan"))
    bare = wall([sys.executable, "-c", "pass"], args.cold)
    version = wall([exe, "--version"], args.cold)
    plan = wall([exe, "plan", str(EXAMPLE), "--today", "2025-06-01", "-o", "/dev/null"], args.cold)
    print(f"\nDémarrage à froid (médiane de {args.cold} processus) : python -c pass {bare:.0f} ms ; "
          f"segur-plan --version {version:.0f} ms ({version / bare:.1f}×) ; "
          f"segur-plan plan {plan:.0f} ms ({plan / bare:.1f}×)")

    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(), "machine": platform.machine(),
        "method": {"repeat": args.repeat, "warmup": args.warmup, "cold_runs": args.cold},
        "plan_latency_ms": latency,
        "cold_start_ms": {"python_bare": bare, "version": version, "plan": plan},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats : {args.json}")


if __name__ == "__main__":
    main()
