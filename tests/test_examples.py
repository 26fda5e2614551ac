"""Snapshot plans of the example profiles; determinism; both rule backends agree.

The snapshots are JSON files under __snapshots__: the full plan (``model_dump(mode="json")``) of
the small examples of :data:`FULL_SNAPSHOTS`, and for every other example its projection
(tests/snapshots.py: ids, statuses, dates, counts, one line per item), which a reviewer can read.
Read the diff before accepting one (``pytest --snapshot-update``). Determinism and the agreement of
the two rule backends compare full plans, without snapshots.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.render import render_json
from segur_plan.engine.rules import durable_backend
from snapshots import project
from support import EXAMPLES, ROOT, TODAY
from syrupy.extensions.json import JSONSnapshotExtension


@pytest.fixture
def snapshot_json(snapshot):  # noqa: ANN001, ANN201
    return snapshot.use_extension(JSONSnapshotExtension)


#: Examples whose whole plan is snapshotted (small ones: every field of a plan is seen somewhere).
FULL_SNAPSHOTS = ["ms-dui-ehpad", "pha-lgo-client-lourd"]
#: What all the snapshot files may total, in lines: beyond it, nobody reads a snapshot diff.
SNAPSHOT_LINES_BUDGET = 20_000


def test_there_are_enough_examples() -> None:
    assert len(EXAMPLES) >= 4
    assert {p.stem for p in EXAMPLES} >= set(FULL_SNAPSHOTS)


@pytest.mark.parametrize("stem", FULL_SNAPSHOTS)
def test_example_full_plan_snapshot(native_engine: Engine, snapshot_json, stem: str) -> None:
    plan = native_engine.plan_file(ROOT / "examples" / f"{stem}.toml", today=TODAY)
    assert plan.model_dump(mode="json") == snapshot_json


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.stem not in FULL_SNAPSHOTS], ids=lambda p: p.stem)
def test_example_plan_projection_snapshot(native_engine: Engine, snapshot_json, path: Path) -> None:
    plan = native_engine.plan_file(path, today=TODAY)
    assert project(plan) == snapshot_json


def test_snapshot_files_stay_readable() -> None:
    """Every snapshot of the suite together stays under the budget a reviewer can read."""
    files = [p for p in ROOT.joinpath("tests").rglob("*") if p.is_file() and "__snapshots__" in p.parts]
    lines = sum(len(p.read_bytes().splitlines()) for p in files)
    assert lines <= SNAPSHOT_LINES_BUDGET, f"{lines} lignes de snapshots pour {len(files)} fichiers"


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
