"""Pack discovery: built-in packs through entry points, third parties, duplicates, broken packs."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.registry import PackRegistry

SIX = {"HOP-DPI", "BIO-SGL", "RAD-RIS", "MDV-LGC", "PHA-LGO", "MS-DUI"}


def minimal_pack(pack_id: str = "TEST-PACK", **extra: object) -> Pack:
    data = {
        "id": pack_id, "title": "Pack de test", "version": "1.0.0", "released": "2026-01-01",
        "coverage": "test", "reviewed": "2026-01-01",
        "sources": {"s": {"title": "Source de test"}},
        "profils": [{"id": "general", "label": "Général", "general": True,
                     "source": {"ref": "s"}, "reviewed": "2026-01-01"}],
        "exigences": [{"id": "T.01", "label": "Test", "nature": "exigence", "perimetre": "vague-2",
                       "source": {"ref": "s"}, "reviewed": "2026-01-01"}],
    } | extra
    return Pack.model_validate(data)


def plugin(*packs: object, name: str = "plugin") -> SimpleNamespace:
    @hookimpl
    def segur_plan_packs() -> list:
        return list(packs)

    return SimpleNamespace(__name__=name, segur_plan_packs=segur_plan_packs)


def test_built_in_packs_come_through_entry_points(registry: PackRegistry) -> None:
    assert set(registry.ids()) >= SIX
    assert "socle-segur" not in registry.ids() and "socle-segur" in registry.ids(include_socles=True)
    assert all("point d'entrée" in registry.entries[i].origin for i in SIX)
    assert registry.broken == []


def test_programmatic_registration_for_portals() -> None:
    registry = PackRegistry.discover([plugin(minimal_pack())], entry_points=False)
    assert registry.ids() == ["TEST-PACK"]
    plan = Engine(registry, backend="native").plan(
        {"solution": {"name": "x"}, "referencement": {"pack": "TEST-PACK"}}, today=dt.date(2026, 1, 2))
    assert [r.id for r in plan.requirements] == ["T.01"]


def test_duplicate_pack_id_is_refused_naming_both_origins() -> None:
    registry = PackRegistry.discover([plugin(minimal_pack(), name="alpha"), plugin(minimal_pack(), name="beta")],
                                     entry_points=False)
    assert registry.ids() == []
    reasons = {b.reason for b in registry.broken}
    assert len(reasons) == 1
    (reason,) = reasons
    assert "alpha" in reason and "beta" in reason and "TEST-PACK" in reason


def test_a_failing_plugin_is_skipped_and_others_load() -> None:
    @hookimpl
    def segur_plan_packs() -> list:
        raise RuntimeError("disque plein")

    broken = SimpleNamespace(__name__="cassé", segur_plan_packs=segur_plan_packs)
    registry = PackRegistry.discover([broken, plugin(minimal_pack())], entry_points=False)
    assert registry.ids() == ["TEST-PACK"]
    assert any("disque plein" in b.reason for b in registry.broken)


def test_an_inconsistent_pack_is_skipped_with_its_problems() -> None:
    bad = minimal_pack("BAD", exigences=[{"id": "B.01", "profils": ["fantome"], "label": "x", "nature": "exigence",
                                          "perimetre": "vague-2", "source": {"ref": "inconnue"},
                                          "reviewed": "2026-01-01"}])
    registry = PackRegistry.discover([plugin(bad), plugin(minimal_pack(), name="ok")], entry_points=False)
    assert registry.ids() == ["TEST-PACK"]
    (entry,) = registry.broken
    messages = " | ".join(f"{p.loc}: {p.message}" for p in entry.problems)
    assert "profil « fantome » non défini" in messages and "source « inconnue »" in messages
    with pytest.raises(Exception, match="inutilisable"):
        registry.get("BAD")


def test_installed_third_party_distribution_is_discovered(tmp_path: Path, monkeypatch) -> None:
    """A fake installed distribution (dist-info with an entry point) appears like any pack."""
    package = tmp_path / "pack_tiers"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from segur_plan.engine.hookspecs import packs_beside\nsegur_plan_packs = packs_beside(__file__)\n")
    (package / "pack.toml").write_text(textwrap.dedent("""
        id = "TIERS-PACK"
        title = "Pack d'un éditeur tiers"
        version = "2.0.0"
        released = 2026-01-01
        reviewed = 2026-01-01
        coverage = "Exemple"
        [sources.s]
        title = "Source"
        [[profils]]
        id = "general"
        label = "Général"
        general = true
        source = { ref = "s" }
        reviewed = 2026-01-01
        [[exigences]]
        id = "TIERS.01"
        label = "Exigence tierce"
        nature = "exigence"
        perimetre = "vague-2"
        source = { ref = "s" }
        reviewed = 2026-01-01
    """), encoding="utf-8")
    dist = tmp_path / "pack_tiers-2.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pack-tiers\nVersion: 2.0.0\n")
    (dist / "entry_points.txt").write_text("[segur_plan.packs]\ntiers = pack_tiers\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        registry = PackRegistry.discover()
        assert "TIERS-PACK" in registry.ids()
        assert registry.entries["TIERS-PACK"].origin.startswith("pack-tiers 2.0.0")
    finally:
        sys.modules.pop("pack_tiers", None)


def test_a_misspelled_hook_is_reported_with_a_suggestion() -> None:
    @hookimpl
    def segur_plan_pack() -> list:  # « packs » misspelled: pluggy alone would ignore it
        return [minimal_pack()]

    typo = SimpleNamespace(__name__="faute", segur_plan_pack=segur_plan_pack)
    registry = PackRegistry.discover([typo], entry_points=False)
    assert registry.ids() == []
    (entry,) = registry.broken
    assert "faute" in entry.origin
    assert "hook inconnu « segur_plan_pack » (vouliez-vous dire « segur_plan_packs » ?)" in entry.reason


def test_an_unknown_key_in_a_pack_file_names_the_key_the_file_and_a_suggestion(tmp_path: Path) -> None:
    from segur_plan.engine.errors import PackError
    from segur_plan.engine.pack_loading import load_pack_file

    path = tmp_path / "pack.toml"
    path.write_text(textwrap.dedent("""
        id = "X"
        title = "x"
        version = "1"
        released = 2026-01-01
        reviewed = 2026-01-01
        coverage = "x"
        [[parametres]]
        id = "pilots-required"
    """), encoding="utf-8")
    with pytest.raises(PackError) as exc:
        load_pack_file(path)
    text = str(exc.value)
    assert str(path) in text
    assert "champ inconnu « parametres » (vouliez-vous dire « parameters » ?)" in text


def test_a_problem_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    from segur_plan.engine.errors import PackError
    from segur_plan.engine.pack_loading import load_pack_file

    rule = ('[[rules]]\nid = "{id}"\nlabel = "x"\n{when} = {{ fact = "solution", trigger = "audit" }}\n'
            'then = [{{ action = "add_finding", level = "info", code = "C", message = "m" }}]\n'
            'source = {{ ref = "s" }}\nreviewed = 2026-01-01\n')
    (tmp_path / "pack.toml").write_text(
        'id = "X"\ntitle = "x"\nversion = "1"\nreleased = 2026-01-01\nreviewed = 2026-01-01\ncoverage = "x"\n'
        'include = ["regles.toml"]\n[sources.s]\ntitle = "S"\n' + rule.format(id="a", when="when"), encoding="utf-8")
    (tmp_path / "regles.toml").write_text(rule.format(id="b", when="whne"), encoding="utf-8")
    with pytest.raises(PackError) as exc:
        load_pack_file(tmp_path / "pack.toml")
    locs = {p.loc: p.message for p in exc.value.problems}
    expected = "champ inconnu « whne » (vouliez-vous dire « when » ?)"
    assert locs[f"{tmp_path / 'regles.toml'} : rules[0].whne"] == expected
