"""tools/gen_draft_packs.py: the committed catalogues are its output, and a second run changes no byte."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANS = ROOT.parent / "shared" / "ans"
WORKBOOKS = ("rem-va2-draft-iteration3.xlsx", "rem-va2-prepub-with-scenarios.xlsx", "rem-va1-va2-crosswalk.xlsx")
pytestmark = pytest.mark.skipif(not all((ANS / w).exists() for w in WORKBOOKS), reason="classeurs ANS absents")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.toml"))}


def generate(packs: Path, reviewed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "gen_draft_packs.py"), "--ans", str(ANS),
                           "--packs", str(packs), "--reviewed", reviewed],
                          capture_output=True, text=True, check=True)


def test_generator_is_reproducible_and_matches_the_committed_packs(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(ROOT / "packs", packs, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    committed = snapshot(packs)
    first = generate(packs, "2027-01-01")  # a later review day: unchanged entries keep their date
    assert snapshot(packs) == committed
    generate(packs, "2027-01-01")
    assert snapshot(packs) == committed
    assert "HOP-DPI : " in first.stdout and "écarté ou non rapproché" in first.stdout
    assert "ne dérive pas" in first.stdout  # rows whose numbering does not derive are reported


def test_a_changed_entry_gets_the_new_review_date(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(ROOT / "packs", packs, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    target = packs / "hop_pfi" / "exigences.toml"
    text = target.read_text(encoding="utf-8")
    first = text.index('label = "')  # spoil the first label: the generator restores it, dated today
    end = text.index('"', first + 9)
    target.write_text(text[:first] + 'label = "modifié à la main' + text[end:], encoding="utf-8")
    generate(packs, "2027-01-01")
    after = target.read_text(encoding="utf-8")
    assert "modifié à la main" not in after and after.count("reviewed = 2027-01-01") == 1
