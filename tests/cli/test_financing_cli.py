"""``segur-plan financing check``: text and JSON reports, exit codes 0 / 1 / 2, French errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli.financing import financing_group
from segur_plan.cli.main import main, run

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "financing" / "mdv-lgc-propre.toml"
TO_FIX = ROOT / "examples" / "financing" / "mdv-lgc-a-corriger.toml"


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    """The group as cli/main.py registers it (added here if the registration is not there yet)."""
    if "financing" in main.commands:
        yield
        return
    main.add_command(financing_group)
    try:
        yield
    finally:
        main.commands.pop("financing", None)


def invoke(*args: str) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [])
    return result.exit_code, result.stdout, result.stderr


def test_clean_file_exits_0_with_a_french_text_report() -> None:
    code, out, _ = invoke("financing", "check", str(CLEAN), "--today", "2026-01-20")
    assert code == 0
    assert "Verdict : RECEVABLE" in out
    assert "SO-2026-01 : avance AV-2025-01 ; retirés : 12345678200010 ; compensation : 450,00 €" in out
    assert "AV-2025-01 (20/11/2025) : cas 2" in out
    assert "réponse due le 06/01/2026 (réponse envoyée)" in out


def test_file_with_problems_exits_1() -> None:
    code, out, _ = invoke("financing", "check", str(TO_FIX), "--today", "2025-11-10")
    assert code == 1
    assert "Verdict : REFUSÉ" in out
    assert "Points bloquants (refus de l'ASP) :" in out
    assert "SIRET « 73282932000075 » refusé" in out
    assert "FINESS « 750000128 » refusé" in out
    assert "réponse due le 24/11/2025 (en attente)" in out


def test_json_report() -> None:
    code, out, _ = invoke("financing", "check", str(TO_FIX), "--today", "2025-11-10", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["accepted"] is False and report["today"] == "2025-11-10"
    assert report["cancellations"][0]["case"] == 4
    assert report["contestations"][0]["due"] == "2025-11-24"
    assert isinstance(report["soldes"][0]["compensation"], str)
    dup = next(f for f in report["findings"] if f["code"] == "FINANCING_DUPLICATE_BENEFICIARY")
    assert dup["refs"] == ["AV-2025-01", "AV-2025-02", "73282932000074"]


def test_json_file_accepted(tmp_path: Path) -> None:
    code, out, _ = invoke("financing", "check", str(CLEAN), "--today", "2026-01-20", "--format", "json")
    assert code == 0
    path = tmp_path / "financement.json"
    path.write_text(json.dumps({"pack": "MDV-LGC", "requests": [{
        "id": "AV-1", "kind": "avance", "date": "2025-06-01",
        "beneficiaries": [{"id": "73282932000074", "id_kind": "siret"}],
        "orders": [{"beneficiary": "73282932000074", "signed": "2025-05-02", "amount": 1500,
                    "state_mention": True}]}]}), encoding="utf-8")
    code, out, _ = invoke("financing", "check", str(path), "--today", "2025-06-02", "--format", "json")
    assert code == 0 and json.loads(out)["accepted"] is True


def _profile(tmp_path: Path, pack: str) -> Path:
    path = tmp_path / "profil.toml"
    path.write_text(f'[solution]\nname = "LGC"\n[referencement]\npack = "{pack}"\nt0 = 2024-08-31\n',
                    encoding="utf-8")
    return path


def test_profile_gives_the_avance_deadline_and_the_pack(tmp_path: Path) -> None:
    # T0 2024-08-31 → avance deadline T0 + 19 months = 2026-03-31 (generic table, seed 000)
    late = tmp_path / "tardif.toml"
    late.write_text(CLEAN.read_text(encoding="utf-8").replace("signed = 2025-05-07", "signed = 2026-04-01"),
                    encoding="utf-8")
    code, out, _ = invoke("financing", "check", str(late), "--profile", str(_profile(tmp_path, "MDV-LGC")),
                          "--today", "2026-01-20", "--format", "json")
    report = json.loads(out)
    assert code == 1
    late_order = next(f for f in report["findings"] if f["code"] == "FINANCING_ORDER_AFTER_AVANCE_DEADLINE")
    assert "31/03/2026" in late_order["message"]
    assert "FINANCING_ORDER_DATES_UNCHECKED" not in {f["code"] for f in report["findings"]}
    code, out, _ = invoke("financing", "check", str(CLEAN), "--profile", str(_profile(tmp_path, "HOP-DPI")),
                          "--today", "2026-01-20")
    assert code == 1 and "FINANCING_PACK_MISMATCH" in out


@pytest.mark.parametrize(("content", "expected"), [
    ('pack = "MDV-LGC"\n[[requests]]\nid = "AV-1"\n', ["Fichier de financement invalide", "requests[0].kind",
                                                         "champ obligatoire absent"]),
    ("pack = \n", ["TOML mal formé"]),
    ('pack = "MDV-LGC"\n[[requests]]\nid = "A"\nkind = "avance"\ndate = 2025-06-01\n'
     '[[requests.beneficiaries]]\nid = "73282932000074"\nid_kind = "siret"\navance_paid = 450.5\n',
     ["requests[0].beneficiaries[0].avance_paid", "virgule flottante"]),
])
def test_bad_input_exits_2(tmp_path: Path, content: str, expected: list[str]) -> None:
    path = tmp_path / "financement.toml"
    path.write_text(content, encoding="utf-8")
    code, out, err = invoke("financing", "check", str(path), "--today", "2025-06-01")
    assert code == 2 and out == ""
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err


def test_missing_file_and_bad_profile_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("financing", "check", str(tmp_path / "absent.toml"))
    assert code == 2 and "Fichier introuvable" in err
    bad = tmp_path / "profil.toml"
    bad.write_text('[solution]\nname = "x"\n[referencement]\npack = "INCONNU"\n', encoding="utf-8")
    code, _, err = invoke("financing", "check", str(CLEAN), "--profile", str(bad), "--today", "2026-01-20")
    assert code == 2 and "Pack inconnu « INCONNU »" in err


def test_bad_option_is_a_french_usage_error() -> None:
    code, _, err = invoke("financing", "check", str(CLEAN), "--format", "xml")
    assert code == 2 and "Erreur :" in err


def test_schema() -> None:
    code, out, _ = invoke("financing", "schema")
    assert code == 0 and "Order" in json.loads(out)["$defs"]
    code, out, _ = invoke("financing", "schema", "report")
    schema = json.loads(out)
    assert code == 0 and schema["$defs"]["SoldeOut"]["properties"]["compensation"]["type"] == "string"
