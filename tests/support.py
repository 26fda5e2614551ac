"""Constants the test modules share (import them from here; tests/conftest.py builds its fixtures on them).

``tests/`` is on the test path (pyproject.toml, ``[tool.pytest.ini_options] pythonpath``), so a
test module writes ``from support import EXAMPLES, TODAY, BACKENDS``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
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
