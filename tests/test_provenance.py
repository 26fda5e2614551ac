"""What users read cites documents by title: no « seed 00x », no FACTS file, no path of shared/.

Every example plan in every format, ``packs show`` and ``packs list`` of every pack (text and JSON),
and ``explain`` are scanned."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli.main import run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
FORBIDDEN = re.compile(r"(?i:seed ?0|seeds/)|FACTS|shared/|domain\.md")  # « FACTS » in capitals: a CSS class is fine
PACKS = ("HOP-DPI", "HOP-PFI", "BIO-SGL", "RAD-RIS", "MDV-LGC", "RAD-DRIMBOX", "PHA-LGO", "MS-DUI", "socle-segur")


def invoke(*args: str) -> tuple[int, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [])
    return result.exit_code, result.stdout + result.stderr


def clean(text: str) -> None:
    found = sorted({m.group(0) for m in FORBIDDEN.finditer(text)})
    assert not found, f"provenance interne visible : {found}"


@pytest.mark.parametrize("fmt", ["json", "md", "html", "ics"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_plans_cite_documents_by_title(example: Path, fmt: str) -> None:
    code, out = invoke("plan", str(example), "--today", "2026-12-02", "--format", fmt)
    assert code in (0, 1) and out
    clean(out)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("pack_id", PACKS)
def test_packs_show_cites_documents_by_title(pack_id: str, fmt: str) -> None:
    code, out = invoke("packs", "show", pack_id, "--format", fmt)
    assert code == 0 and pack_id in out
    clean(out)


def test_packs_list_and_explain_cite_documents_by_title() -> None:
    for args in (("packs", "list", "--all"), ("packs", "list", "--all", "--format", "json"),
                 ("explain", str(ROOT / "examples" / "hop-dpi-client-lourd.toml"), "SC.PSC.13"),
                 ("explain", str(ROOT / "examples" / "hop-dpi-client-lourd.toml"), "DPI.ANN.01", "--format", "json")):
        code, out = invoke(*args)
        assert code == 0, out
        clean(out)
