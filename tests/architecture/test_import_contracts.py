"""The import contracts of pyproject.toml hold, and they do catch a breach of the layering.

``lint-imports`` (import-linter) reads the contracts from pyproject.toml and walks the package
folders through ``typecheck/segur_plan`` (links giving the folders their installed names).
The second test copies the engine into a temporary tree, adds one forbidden import and checks
that the same contracts then fail: a contract that cannot fail would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter absent (pip install -e '.[check]')")


def lint_imports(tree: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_repository_keeps_its_contracts() -> None:
    result = lint_imports(ROOT / "typecheck", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("engine/planner/facts.py", "import click", "Le moteur n'importe ni la CLI"),
    ("engine/render/markdown.py", "from ..planner import facts", "Les renderers ne lisent qu'un Plan"),
    ("engine/dates.py", "from segur_plan.server import app", "Couches"),
])
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    package = tmp_path / "segur_plan"
    package.mkdir()
    shutil.copy(ROOT / "api" / "__init__.py", package / "__init__.py")
    for folder in ("engine", "cli", "server", "packs"):
        shutil.copytree(ROOT / folder, package / folder, ignore=shutil.ignore_patterns("__pycache__"))
    target = package / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # breach\n", encoding="utf-8")

    result = lint_imports(tmp_path, ROOT / "pyproject.toml")

    assert result.returncode != 0
    assert "0 broken" not in result.stdout
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
