"""Thread safety (issue 8): 8 threads × 200 plans, each equal to the serial plan, per rule backend.

The plans are those of the example profiles (with the financing file a profile points to, as
``Engine.plan_file`` reads it), compared as JSON bytes (``model_dump_json``).

The threaded run uses a *fresh* Engine, so the lazy, per-pack construction of the rule backends
also happens under contention; the threads start together (barrier) and the interpreter switches
threads far more often than by default, to give races every chance to show.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.financing import load_financing
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.plan import Plan
from segur_plan.engine.models.profile import SolutionProfile
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.render import render_json
from support import BACKENDS, EXAMPLES, TODAY

pytestmark = pytest.mark.slow

THREADS, PLANS_PER_THREAD = 8, 200



@pytest.fixture(scope="module")
def profiles() -> list[tuple[str, SolutionProfile, Any]]:
    """(name, profile, financing file or None): what ``Engine.plan_file`` reads, read once."""
    out = []
    for path in EXAMPLES:
        profile = load_profile(path)
        financing = load_financing(path.parent / profile.financing_file) if profile.financing_file else None
        out.append((path.stem, profile, financing))
    return out


@pytest.fixture
def frequent_switches() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-3)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


@pytest.mark.parametrize("backend", BACKENDS)
def test_threaded_plans_equal_serial_plans(registry: PackRegistry, profiles: list[tuple[str, SolutionProfile, Any]],
                                           backend: str, frequent_switches: None) -> None:
    serial_engine = Engine(registry, backend=backend)
    expected = {name: serial_engine.plan(profile, today=TODAY, financing=fin).model_dump_json()
                for name, profile, fin in profiles}
    # model_dump_json: every field, in order, as JSON bytes; 9× cheaper than render_json (checked here).
    assert all(render_json(Plan.model_validate_json(expected[name])) == render_json(
        serial_engine.plan(profile, today=TODAY, financing=fin)) for name, profile, fin in profiles)

    shared = Engine(registry, backend=backend)  # fresh: its rule backends are built by the threads
    barrier = threading.Barrier(THREADS)

    def worker(index: int) -> list[tuple[int, str]]:
        barrier.wait()
        mismatches = []
        for n in range(PLANS_PER_THREAD):
            name, profile, fin = profiles[(index * 7 + n) % len(profiles)]  # threads start on different packs
            if shared.plan(profile, today=TODAY, financing=fin).model_dump_json() != expected[name]:
                mismatches.append((n, name))
        return mismatches

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))

    assert sum(len(r) for r in results) == 0, {i: r[:5] for i, r in enumerate(results) if r}
    assert shared.rule_backends == len({p.referencement.pack for _, p, _ in profiles})


@pytest.mark.parametrize("backend", BACKENDS)
def test_threaded_explain_equals_serial(registry: PackRegistry, profiles: list[tuple[str, SolutionProfile, Any]],
                                        backend: str) -> None:
    """``explain`` shares the same evaluation path: a smaller concurrent check."""
    engine = Engine(registry, backend=backend)
    profile = next(p for name, p, _ in profiles if name == "hop-dpi-client-lourd")
    expected = engine.explain(profile, "SC.PSC.13", today=TODAY)
    with ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(lambda _: engine.explain(profile, "SC.PSC.13", today=TODAY), range(THREADS * 10)))
    assert all(g == expected for g in got)
