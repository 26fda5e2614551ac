"""Constants the test modules share (import them from here; tests/conftest.py builds its fixtures on them).

``tests/`` is on the test path (pyproject.toml, ``[tool.pytest.ini_options] pythonpath``), so a
test module writes ``from support import EXAMPLES, TODAY, BACKENDS``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tomli_w
from segur_plan.engine.rules import durable_backend

ROOT = Path(__file__).resolve().parents[1]
#: The example profiles of ``examples/`` (every one is planned, rendered and snapshotted).
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
#: The fixed "today" of the example plans.
TODAY = dt.date(2025, 3, 1)
#: Both rule backends, for ``pytest.mark.parametrize``; durable is skipped where it cannot be imported.
BACKENDS = [
    "native",
    pytest.param("durable", marks=pytest.mark.skipif(
        not durable_backend.available(), reason=f"durable-rules indisponible : {durable_backend.IMPORT_ERROR}")),
]


def pack_data(pack_id: str, **extra: object) -> dict:
    """A one-exigence local pack (``extra`` replaces or adds top-level keys)."""
    return {
        "id": pack_id, "title": "Pack local de test", "version": "1.0.0", "released": "2026-01-01",
        "coverage": "test", "reviewed": "2026-01-01", "sources": {"s": {"title": "Source de test"}},
        "profils": [{"id": "general", "label": "Général", "general": True, "source": {"ref": "s"},
                     "reviewed": "2026-01-01"}],
        "exigences": [{"id": "T.01", "label": "Test", "nature": "exigence", "perimetre": "vague-2",
                       "source": {"ref": "s"}, "reviewed": "2026-01-01"}],
    } | extra


def write_pack(folder: Path, pack_id: str, **extra: object) -> Path:
    """:func:`pack_data` written as ``folder/pack.toml`` (a local pack folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(tomli_w.dumps(pack_data(pack_id, **extra)), encoding="utf-8")
    return folder
