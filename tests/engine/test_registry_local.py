"""Local packs (SEGUR_PLAN_PACKS_PATH, ``paths``): discovery, clashes with installed packs, replaces."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.registry import PackRegistry
from support import pack_data, write_pack


def installed(pack_id: str) -> SimpleNamespace:
    @hookimpl
    def segur_plan_packs() -> list:
        return [Pack.model_validate(pack_data(pack_id, title="Pack installé"))]

    return SimpleNamespace(__name__="installe", segur_plan_packs=segur_plan_packs)


def test_a_folder_of_pack_folders_and_a_pack_folder(tmp_path: Path) -> None:
    write_pack(tmp_path / "tous" / "a", "PACK-A")
    write_pack(tmp_path / "tous" / "b", "PACK-B")
    write_pack(tmp_path / "seul", "PACK-C")
    registry = PackRegistry.discover(entry_points=False, paths=[tmp_path / "tous", tmp_path / "seul"])
    assert registry.ids() == ["PACK-A", "PACK-B", "PACK-C"] and registry.broken == []
    assert registry.entries["PACK-C"].origin == f"dossier local {tmp_path / 'seul'}"


def test_the_environment_variable_is_read_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_pack(tmp_path / "x", "PACK-X")
    write_pack(tmp_path / "y", "PACK-Y")
    import os

    monkeypatch.setenv("SEGUR_PLAN_PACKS_PATH", os.pathsep.join([str(tmp_path / "x"), "", str(tmp_path / "y")]))
    assert PackRegistry.discover(entry_points=False).ids() == ["PACK-X", "PACK-Y"]


def test_a_local_pack_with_an_installed_id_is_refused_naming_both(tmp_path: Path) -> None:
    write_pack(tmp_path / "local", "DSR-TEST")
    registry = PackRegistry.discover([installed("DSR-TEST")], entry_points=False, paths=[tmp_path / "local"])
    assert registry.get("DSR-TEST").pack.title == "Pack installé"
    (broken,) = registry.broken
    assert broken.origin == f"dossier local {tmp_path / 'local'}" and broken.pack_id == "DSR-TEST"
    assert "installe (enregistré par programme)" in broken.reason and 'replaces = "DSR-TEST"' in broken.reason


def test_replaces_makes_the_local_pack_win(tmp_path: Path) -> None:
    write_pack(tmp_path / "local", "DSR-TEST", replaces="DSR-TEST")
    registry = PackRegistry.discover([installed("DSR-TEST")], entry_points=False, paths=[tmp_path / "local"])
    entry = registry.get("DSR-TEST")
    assert entry.pack.title == "Pack local de test" and registry.broken == []
    assert entry.origin == f"dossier local {tmp_path / 'local'} (remplace installe (enregistré par programme))"


def test_replaces_must_name_the_pack_itself(tmp_path: Path) -> None:
    write_pack(tmp_path / "local", "DSR-AUTRE", replaces="DSR-TEST")
    registry = PackRegistry.discover([installed("DSR-TEST")], entry_points=False, paths=[tmp_path / "local"])
    assert registry.ids() == ["DSR-TEST"]
    assert "« replaces » vaut « DSR-TEST »" in registry.broken[0].reason


def test_two_local_packs_with_one_id_are_both_refused(tmp_path: Path) -> None:
    write_pack(tmp_path / "a", "DSR-TEST")
    write_pack(tmp_path / "b", "DSR-TEST")
    registry = PackRegistry.discover(entry_points=False, paths=[tmp_path / "a", tmp_path / "b"])
    assert registry.ids() == [] and len(registry.broken) == 2
    assert all("fourni deux fois" in b.reason for b in registry.broken)


def test_missing_empty_and_invalid_folders_are_reported(tmp_path: Path) -> None:
    (tmp_path / "vide").mkdir()
    (tmp_path / "faux").mkdir()
    (tmp_path / "faux" / "pack.toml").write_text("id = 3\n", encoding="utf-8")
    registry = PackRegistry.discover(entry_points=False,
                                     paths=[tmp_path / "absent", tmp_path / "vide", tmp_path / "faux"])
    reasons = [(b.origin, b.reason) for b in registry.broken]
    assert (f"dossier local {tmp_path / 'absent'}",
            "dossier de packs introuvable (SEGUR_PLAN_PACKS_PATH ou --packs-path)") in reasons
    assert any("aucun pack.toml" in r for _, r in reasons)
    assert any(o == f"dossier local {tmp_path / 'faux'}" and "Pack invalide" in r for o, r in reasons)
