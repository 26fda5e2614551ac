"""Snapshot plans of the example profiles; determinism; both rule backends agree.

The snapshots are JSON files under __snapshots__ (``model_dump(mode="json")``): read the diff
before accepting one (``pytest --snapshot-update``).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.render import render_json
from segur_plan.engine.rules import durable_backend
from syrupy.extensions.json import JSONSnapshotExtension

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def snapshot_json(snapshot):  # noqa: ANN001, ANN201
    return snapshot.use_extension(JSONSnapshotExtension)


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_plan_snapshot(native_engine: Engine, snapshot_json, path: Path) -> None:
    plan = native_engine.plan_file(path, today=TODAY)
    assert plan.model_dump(mode="json") == snapshot_json


@pytest.mark.skipif(not durable_backend.available(), reason="durable-rules indisponible")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_backends_give_identical_plans(registry, path: Path) -> None:
    native = Engine(registry, backend="native").plan_file(path, today=TODAY)
    durable = Engine(registry, backend="durable").plan_file(path, today=TODAY)
    assert render_json(native) == render_json(durable)


@pytest.mark.parametrize("path", EXAMPLES[:2], ids=lambda p: p.stem)
@pytest.mark.slow
def test_same_input_gives_identical_bytes_across_processes(path: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"plan-{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "segur_plan.cli.main", "plan", str(path), "--today", TODAY.isoformat(),
             "-o", str(out)],
            check=True, env=env, capture_output=True, cwd=tmp_path,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].endswith(b"\n")
