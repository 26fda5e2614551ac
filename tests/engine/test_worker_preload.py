"""The batch forkserver's warm-up: it must work (its errors are swallowed, so that a failure
only means cold workers), and it must not change a single byte of any plan."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from segur_plan.engine import worker_preload
from segur_plan.engine.api import Engine
from segur_plan.engine.planner import prepare
from segur_plan.engine.render import render_json
from support import EXAMPLES, ROOT

TODAY = dt.date(2025, 3, 1)


def test_the_warm_up_runs_without_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEGUR_PLAN_CACHE_DIR", str(tmp_path / "cache"))  # with the cache: packs read too
    worker_preload._warm()  # raises here what the import in the forkserver would swallow
    assert list((tmp_path / "cache" / "packs").glob("*.pickle"))


def test_prepared_packs_plan_the_same_bytes() -> None:
    code = ("import datetime as dt, sys; from segur_plan.engine.api import Engine; "
            "from segur_plan.engine.render import render_json; "
            "sys.stdout.write(''.join(render_json(Engine(backend='native').plan_file(p, today=dt.date(2025, 3, 1))) "
            "for p in sys.argv[1:]))")
    cold = subprocess.run([sys.executable, "-c", code, *map(str, EXAMPLES)], capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout
    engine = Engine(backend="native")
    for pack_id in engine.registry.ids():
        prepare(engine.registry.get(pack_id).pack, dt.date(2026, 12, 2))  # another day: its own records
    engine.prepare(TODAY, rule_backends=False)
    assert engine.rule_backends == 0  # what a forkserver prepares: no rule backend to fork
    assert "".join(render_json(engine.plan_file(p, today=TODAY)) for p in EXAMPLES) == cold


def test_a_service_prepares_every_pack_with_its_rule_backend() -> None:
    engine = Engine(backend="native")
    engine.prepare(TODAY)
    assert engine.rule_backends == len(engine.registry.ids())
    before = engine.rule_backends
    for example in EXAMPLES:
        engine.plan_file(example, today=TODAY)
    assert engine.rule_backends == before  # the plans of that day found theirs ready
