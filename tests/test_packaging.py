"""Packaging: every code folder is installed, every built-in pack is an entry point."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAPPING = {"engine": "segur_plan.engine", "packs": "segur_plan.packs", "cli": "segur_plan.cli",
           "server": "segur_plan.server"}


def test_every_package_folder_is_listed() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {"segur_plan"}
    for folder, package in MAPPING.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *parts)))
    assert found == listed


def test_every_pack_folder_is_an_entry_point() -> None:
    entry_points = set(PYPROJECT["project"]["entry-points"]["segur_plan.packs"].values())
    folders = {f"segur_plan.packs.{p.parent.name}" for p in (ROOT / "packs").glob("*/pack.toml")}
    assert folders == entry_points
