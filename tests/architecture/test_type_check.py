"""mypy, strict on the engine (pyproject.toml ``[tool.mypy]``), passes, and it does catch a type error.

mypy reads ``segur_plan.engine`` through ``typecheck/segur_plan`` (links giving the folders their
installed names). The second test copies the engine into a temporary tree, adds one function that
returns a ``str`` where it declares an ``int``, and checks that the same configuration then fails
on that line: a type check that cannot fail would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MYPY = Path(sys.executable).with_name("mypy")

pytestmark = [
    pytest.mark.slow,  # a cold mypy run on the engine takes 20–60 s
    pytest.mark.skipif(not MYPY.exists(), reason="mypy absent (pip install -e '.[check]')"),
]


def mypy(tree: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """mypy with the repository's configuration, on the ``segur_plan`` package found in ``tree``."""
    env = {**os.environ, "MYPYPATH": str(tree)}
    return subprocess.run(
        [str(MYPY), "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
         "--no-error-summary", "-p", "segur_plan.engine"],
        cwd=tree, env=env, capture_output=True, text=True, timeout=600,
    )


def copy_tree(tmp_path: Path) -> Path:
    package = tmp_path / "tree" / "segur_plan"
    package.mkdir(parents=True)
    shutil.copy(ROOT / "api" / "__init__.py", package / "__init__.py")
    shutil.copytree(ROOT / "engine", package / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    return package.parent


def test_the_engine_passes_strict_mypy(tmp_path: Path) -> None:
    result = mypy(copy_tree(tmp_path), tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_type_error_in_the_engine_fails_mypy(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    target = tree / "segur_plan" / "engine" / "dates.py"
    source = target.read_text(encoding="utf-8")
    breached = source + '\n\ndef _breach() -> int:\n    return "not a number"\n'
    target.write_text(breached, encoding="utf-8")
    line = breached.splitlines().index('    return "not a number"') + 1

    result = mypy(tree, tmp_path / "cache")

    assert result.returncode != 0
    assert f"dates.py:{line}: error: Incompatible return value type" in result.stdout, result.stdout
