"""The validated-pack cache: used only for unchanged files, never different from reading the packs."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from segur_plan.engine import pack_cache
from segur_plan.engine.api import Engine
from segur_plan.engine.registry import PackRegistry
from segur_plan.engine.render import render_json
from support import EXAMPLES, ROOT, pack_data, write_pack


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SEGUR_PLAN_CACHE_DIR", str(folder))
    return folder / "packs"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle"))


def test_a_second_discovery_reads_the_cache_and_plans_the_same_bytes(cache: Path) -> None:
    first = PackRegistry.discover()
    assert len(entries(cache)) == 1
    second = PackRegistry.discover()
    assert type(second.entries).__name__ == "LazyEntries"  # read back from the cache
    assert second.ids(include_socles=True) == first.ids(include_socles=True)
    assert second.broken == first.broken
    today = dt.date(2025, 3, 1)
    for example in EXAMPLES:
        assert render_json(Engine(second).plan_file(example, today=today)) == \
            render_json(Engine(first).plan_file(example, today=today))


def test_an_edited_pack_is_read_again(cache: Path, tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "local", "PACK-L")
    assert PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-L").pack.title == "Pack local de test"
    (folder / "pack.toml").write_text(tomli_w.dumps(pack_data("PACK-L", title="Titre modifié")), encoding="utf-8")
    assert PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-L").pack.title == "Titre modifié"


def test_an_edited_include_is_read_again(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    data = pack_data("PACK-I", include=["profils.toml"])
    profils = {"profils": data.pop("profils")}
    (folder / "pack.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    (folder / "profils.toml").write_text(tomli_w.dumps(profils), encoding="utf-8")
    assert PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-I").pack.profils[0].label == "Général"
    profils["profils"][0]["label"] = "Tout"
    (folder / "profils.toml").write_text(tomli_w.dumps(profils), encoding="utf-8")
    assert PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-I").pack.profils[0].label == "Tout"


def test_a_broken_pack_stays_reported_from_the_cache(cache: Path, tmp_path: Path) -> None:
    write_pack(tmp_path / "a", "PACK-A")
    write_pack(tmp_path / "b", "PACK-A")  # the same id twice: both refused, naming both
    first = PackRegistry.discover(entry_points=False, paths=[tmp_path / "a", tmp_path / "b"])
    second = PackRegistry.discover(entry_points=False, paths=[tmp_path / "a", tmp_path / "b"])
    assert first.broken == second.broken and len(second.broken) == 2 and second.ids() == []


def test_a_corrupt_entry_is_ignored_and_rewritten(cache: Path, tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "local", "PACK-C")
    PackRegistry.discover(entry_points=False, paths=[folder])
    (entry,) = entries(cache)
    entry.write_bytes(b"not a pickle")
    assert PackRegistry.discover(entry_points=False, paths=[folder]).ids() == ["PACK-C"]
    assert entry.read_bytes() != b"not a pickle"


def test_off_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEGUR_PLAN_CACHE_DIR", "off")
    assert pack_cache.cache_folder() is None
    folder = write_pack(tmp_path / "local", "PACK-O")
    assert PackRegistry.discover(entry_points=False, paths=[folder]).ids() == ["PACK-O"]


def test_old_entries_are_pruned(cache: Path, tmp_path: Path) -> None:
    for n in range(pack_cache.KEEP_ENTRIES + 3):
        PackRegistry.discover(entry_points=False, paths=[write_pack(tmp_path / f"p{n}", f"PACK-{n}")])
    assert len(entries(cache)) == pack_cache.KEEP_ENTRIES


def test_plan_imports_only_what_it_uses(tmp_path: Path) -> None:
    """A JSON plan never loads the HTML/ICS renderers, the financing checks, the REM reader, batch
    or the HTTP service (the cold start of a one-shot command)."""
    code = (
        "import sys\n"
        "from segur_plan.cli.main import run\n"
        f"try:\n    run(['plan', {str(ROOT / 'examples' / 'hop-dpi-client-lourd.toml')!r}, '-o', "
        f"{str(tmp_path / 'plan.json')!r}, '--today', '2025-03-01'])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ['jinja2', 'icalendar', 'holidays', 'stdnum', 'openpyxl', 'uvicorn', 'fastapi', 'tomlkit',"
        " 'multiprocessing', 'segur_plan.engine.batch', 'segur_plan.engine.rem_import',"
        " 'segur_plan.engine.financing.checks', 'segur_plan.cli.packs', 'segur_plan.cli.serve']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**__import__("os").environ, "SEGUR_PLAN_CACHE_DIR": str(tmp_path / "c")})
    assert done.stdout.strip() == ""
    assert (tmp_path / "plan.json").is_file()


def test_registries_of_one_process_share_the_packs_they_read(cache: Path, tmp_path: Path) -> None:
    """A second Engine of the process (a batch run, a portal's engine per request) reuses the pack
    objects the first read, unpickled once; an edited pack is a new state, read again."""
    folder = write_pack(tmp_path / "local", "PACK-S")
    first = PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-S")
    again = PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-S")
    assert again is first
    (folder / "pack.toml").write_text(tomli_w.dumps(pack_data("PACK-S", title="Titre modifié")), encoding="utf-8")
    edited = PackRegistry.discover(entry_points=False, paths=[folder]).get("PACK-S")
    assert edited is not first and edited.pack.title == "Titre modifié"
