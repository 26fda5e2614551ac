"""``packs new``: the skeleton distribution is a valid pack, and it installs and is discovered."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from segur_plan.engine.errors import PackError
from segur_plan.engine.pack_loading import load_pack_file, resolve_pack
from segur_plan.engine.pack_validation import check_pack
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.scaffold import EXAMPLE_EXIGENCE, ScaffoldError, pack_names, scaffold_pack

TODAY = dt.date(2026, 1, 15)
DIST = "segur-plan-pack-mon-dsr"
MODULE = "segur_plan_pack_mon_dsr"


def _resolved(root: Path, registry: PackRegistry):  # noqa: ANN202
    pack = load_pack_file(root / MODULE / "pack.toml")
    return resolve_pack(pack, {"socle-segur": registry.entries["socle-segur"].pack})


def test_skeleton_files_and_names(tmp_path: Path) -> None:
    files = scaffold_pack("Mon DSR", tmp_path, today=TODAY)
    root = tmp_path / DIST
    assert files == sorted(files)
    assert [f.relative_to(root).as_posix() for f in files] == [
        "README.md", "pyproject.toml", f"{MODULE}/__init__.py", f"{MODULE}/pack.toml",
        "tests/test_pack.py"]
    assert "packs_beside(__file__)" in (root / MODULE / "__init__.py").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8").casefold()
    for needed in ("pip install", "segur-plan packs validate", "segur-plan packs list", "source",
                   "reviewed", "n'inventez jamais"):
        assert needed in readme
    compile((root / "tests" / "test_pack.py").read_text(encoding="utf-8"), "test_pack.py", "exec")


@pytest.mark.parametrize("uses_socle", [True, False])
def test_skeleton_pack_passes_check_pack(tmp_path: Path, registry: PackRegistry,
                                         uses_socle: bool) -> None:
    scaffold_pack("Mon DSR", tmp_path, today=TODAY, uses_socle=uses_socle)
    pack = _resolved(tmp_path / DIST, registry)
    assert check_pack(pack) == []
    assert pack.id == "MON-DSR" and pack.uses == (("socle-segur",) if uses_socle else ())
    assert [p.id for p in pack.profils if p.general] == ["general"]
    (example,) = [e for e in pack.exigences if e.id == EXAMPLE_EXIGENCE]
    assert "EXEMPLE" in example.label and example.reviewed == TODAY
    assert "squelette" in pack.coverage.casefold()
    assert "a-renseigner" in pack.sources


def test_pyproject_declares_the_entry_point(tmp_path: Path) -> None:
    scaffold_pack("Mon DSR", tmp_path, today=TODAY, pack_id="ACME-DSR")
    project = tomllib.loads((tmp_path / DIST / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DIST
    assert project["project"]["requires-python"] == ">=3.11"
    assert project["project"]["dependencies"] == ["segur-plan"]
    assert project["project"]["entry-points"]["segur_plan.packs"] == {"mon-dsr": MODULE}
    assert project["tool"]["setuptools"]["package-data"][MODULE] == ["*.toml"]
    assert 'id = "ACME-DSR"' in (tmp_path / DIST / MODULE / "pack.toml").read_text(encoding="utf-8")


def test_names_are_derived() -> None:
    names = pack_names("Éditeur Pharma  v2")
    assert (names.slug, names.dist, names.module, names.pack_id) == (
        "editeur-pharma-v2", "segur-plan-pack-editeur-pharma-v2",
        "segur_plan_pack_editeur_pharma_v2", "EDITEUR-PHARMA-V2")
    assert pack_names("segur-plan-pack-mon-dsr").dist == DIST


def test_an_existing_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / DIST).mkdir()
    (tmp_path / DIST / "mine.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="existe déjà") as info:
        scaffold_pack("mon-dsr", tmp_path, today=TODAY)
    assert isinstance(info.value, PackError)
    assert [p.name for p in (tmp_path / DIST).iterdir()] == ["mine.txt"]


@pytest.mark.parametrize("name", ["", "   ", "!!!", "2024-dsr", "../evil", "a/b", "x" * 41])
def test_an_unusable_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ScaffoldError, match="Nom de pack inutilisable"):
        scaffold_pack(name, tmp_path, today=TODAY)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("pack_id", ["", "MON DSR", "-X", 'A"B'])
def test_an_unusable_pack_id_is_refused(tmp_path: Path, pack_id: str) -> None:
    with pytest.raises(ScaffoldError, match="Identifiant de pack inutilisable"):
        scaffold_pack("mon-dsr", tmp_path, today=TODAY, pack_id=pack_id)


def test_an_installed_pack_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="déjà installé"):
        scaffold_pack("hop-dpi", tmp_path, today=TODAY, taken_ids=["HOP-DPI", "socle-segur"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_scaffolded_pack_installs_and_appears_in_packs_list(tmp_path: Path) -> None:
    """Acceptance: a scaffolded pack installs with pip and appears in ``segur-plan packs list``.

    Approach: ``pip install --no-deps --target site/`` of the scaffolded distribution, then the
    real CLI module in a subprocess with ``PYTHONPATH=site`` and ``cwd=tmp_path`` (the repository
    root never shadows anything). pip really builds and installs the distribution (wheel,
    dist-info, entry point), and discovery goes through ``importlib.metadata`` exactly as for a
    site-packages install; segur-plan and its dependencies come from the current interpreter, so
    no fresh venv has to compile durable-rules (~20 s). The build runs without isolation when
    setuptools and wheel are importable here (offline), else pip fetches them from the index.
    The distribution's own ``tests/test_pack.py`` then runs once in that environment.
    """
    scaffold_pack("Mon DSR", tmp_path / "src", today=TODAY)
    root = tmp_path / "src" / DIST
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-input",
           "--disable-pip-version-check", "--target", str(site)]
    if importlib.util.find_spec("setuptools") and importlib.util.find_spec("wheel"):
        pip.append("--no-build-isolation")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PYTEST", "SEGUR_PLAN"))}
    run = subprocess.run([*pip, str(root)], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert (site / MODULE / "pack.toml").is_file()

    env["PYTHONPATH"] = str(site)
    cli = subprocess.run(
        [sys.executable, "-m", "segur_plan.cli.main", "packs", "list", "--format", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    listed = json.loads(cli.stdout)
    assert listed["broken"] == []
    (mine,) = [p for p in listed["packs"] if p["id"] == "MON-DSR"]
    assert DIST in mine["origin"] and mine["exigences"] == 1

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout


@pytest.mark.slow
def test_scaffolded_pack_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    """Acceptance, literally: a new virtual environment, segur-plan and the scaffolded pack
    installed into it with pip (dependencies from the package index or pip's cache), and the
    venv's own ``segur-plan packs list`` shows the pack."""
    scaffold_pack("Mon DSR", tmp_path / "src", today=TODAY)
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "SEGUR_PLAN", "VIRTUAL_ENV"))}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=120)
    repo = Path(__file__).resolve().parents[2]
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(repo),
         str(tmp_path / "src" / DIST)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    listed = subprocess.run([str(venv / "bin" / "segur-plan"), "packs", "list", "--format", "json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    packs = {p["id"]: p for p in json.loads(listed.stdout)["packs"]}
    assert "MON-DSR" in packs and "HOP-DPI" in packs
    assert DIST in packs["MON-DSR"]["origin"]
