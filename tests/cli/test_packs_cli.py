"""``segur-plan packs validate`` and ``packs import-rem`` as a pack author runs them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli.main import run

SHARED = Path(__file__).resolve().parents[3] / "shared" / "ans"
DRAFT = SHARED / "rem-va2-draft-iteration3.xlsx"
OLDER = SHARED / "rem-drimbox-draft-older-layout.xlsx"
needs_shared = pytest.mark.skipif(not DRAFT.exists(), reason="dossier shared/ans absent")
ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("pack_id", ["HOP-DPI", "BIO-SGL", "RAD-RIS", "MDV-LGC", "PHA-LGO", "MS-DUI",
                                     "HOP-PFI", "RAD-DRIMBOX"])
def test_every_built_in_pack_validates(pack_id: str) -> None:
    code, out, _ = invoke("packs", "validate", pack_id, "--today", "2026-12-02", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["valid"] and data["errors"] == []


def test_validate_a_pack_folder_by_path() -> None:
    code, out, _ = invoke("packs", "validate", str(ROOT / "packs" / "hop_dpi"), "--today", "2026-12-02")
    assert code == 0 and "HOP-DPI 0.1.0 est valide" in out


def test_validate_lists_errors_with_their_location(tmp_path: Path) -> None:
    pack = (ROOT / "packs" / "hop_dpi" / "pack.toml").read_text(encoding="utf-8")
    broken = pack.replace('{ action = "require_exigence", exigence = "SC.PSC.13" }',
                          '{ action = "require_exigence", exigence = "SC.PSC.99" }')
    broken = broken.replace('source = { ref = "ans-faq-industriels", section = "FAQ : profil optionnel CIBA (renvoie',
                            'source = { ref = "seed-999", section = "FAQ : profil optionnel CIBA (renvoie')
    for name in ("profils.toml", "exigences.toml", "exigences_faq.toml"):
        (tmp_path / name).write_text((ROOT / "packs" / "hop_dpi" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pack.toml").write_text(broken, encoding="utf-8")
    code, out, err = invoke("packs", "validate", str(tmp_path), "--today", "2026-12-02")
    assert code == 2 and "Pack invalide : 2 erreurs" in err
    assert "ERREUR  rules[0].then[2] : exigence « SC.PSC.99 » absente du catalogue" in out
    assert "ERREUR  rules[0].source : source « seed-999 » absente de [sources]" in out


def test_validate_refuses_review_dates_in_the_future() -> None:
    code, out, _ = invoke("packs", "validate", "HOP-DPI", "--today", "2026-01-01", "--format", "json")
    data = json.loads(out)
    assert code == 2 and any("date future" in e["message"] for e in data["errors"])


def test_stale_lists_old_reviews_only() -> None:
    code, out, _ = invoke("packs", "validate", "MS-DUI", "--stale", "30", "--today", "2026-12-31", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["stale"] and all("revu le 2026-11-23 (38 jours)" in s["message"] for s in data["stale"])
    code, out, _ = invoke("packs", "validate", "MS-DUI", "--stale", "60", "--today", "2026-12-31", "--format", "json")
    assert json.loads(out)["stale"] == []


def test_validate_unknown_pack_and_wrong_version() -> None:
    assert invoke("packs", "validate", "NOPE")[0] == 2
    code, _, err = invoke("packs", "validate", "HOP-DPI@9.9")
    assert code == 2 and "version 0.1.0, pas 9.9" in err


@needs_shared
def test_import_rem_writes_a_valid_pack_without_statements(tmp_path: Path) -> None:
    target = tmp_path / "out"
    code, _, err = invoke("packs", "import-rem", str(DRAFT), "--pack", "HOP-DPI", "--rem", "HOP-DPI",
                          "--no-statements", "-o", str(target), "--today", "2026-11-23")
    assert code == 0, err
    assert "exigences 199" in err
    written = tomllib.loads((target / "pack.toml").read_text(encoding="utf-8"))
    built_in = tomllib.loads((ROOT / "packs/hop_dpi/exigences.toml").read_text("utf-8"))["exigences"]
    from_it3 = {e["id"] for e in built_in if e["source"]["ref"] == "rem-va2-draft-it3"}
    assert from_it3 and from_it3 <= {e["id"] for e in written["exigences"]}
    code, out, _ = invoke("packs", "validate", str(target), "--today", "2026-12-02")
    assert code == 0 and "199 exigences" in out


@needs_shared
def test_import_rem_keeps_statements_for_the_user(tmp_path: Path) -> None:
    target = tmp_path / "drimbox.toml"
    code, _, err = invoke("packs", "import-rem", str(OLDER), "--pack", "MA-DRIMBOX", "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Pack importé de rem-drimbox-draft-older-layout.xlsx")
    assert "DOIT" in text  # the statements are in the user's own pack
    assert invoke("packs", "import-rem", str(OLDER), "--pack", "MA-DRIMBOX", "-o", str(target))[0] == 2


@needs_shared
def test_import_rem_needs_a_rem_when_the_file_has_several(tmp_path: Path) -> None:
    code, _, err = invoke("packs", "import-rem", str(DRAFT), "--pack", "X", "-o", str(tmp_path))
    assert code == 2 and "plusieurs REM" in err and "HOP-DPI" in err


def test_packs_new_scaffolds_a_valid_pack(tmp_path: Path) -> None:
    code, out, err = invoke("packs", "new", "Mon DSR", "-d", str(tmp_path), "--today", "2026-11-23")
    assert code == 0, err
    assert "pip install -e" in err and "segur-plan-pack-mon-dsr" in err
    pack_toml = tmp_path / "segur-plan-pack-mon-dsr" / "segur_plan_pack_mon_dsr" / "pack.toml"
    assert f"Créé : {pack_toml}" in out
    code, out, _ = invoke("packs", "validate", str(pack_toml), "--today", "2026-12-02")
    assert code == 0 and "MON-DSR 0.1.0 est valide" in out
    code, _, err = invoke("packs", "new", "hop-dpi", "-d", str(tmp_path))
    assert code == 2 and "HOP-DPI" in err and "déjà installé" in err


def test_packs_diff_lists_exactly_what_changed(tmp_path: Path) -> None:
    for file in (ROOT / "packs" / "hop_dpi").glob("*.toml"):
        (tmp_path / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    pack = tmp_path / "pack.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "0.2.0"'),
                    encoding="utf-8")
    faq = tmp_path / "exigences_faq.toml"
    faq.write_text(faq.read_text(encoding="utf-8").replace('profils = ["ciba"]', 'profils = ["ciba", "iam"]'),
                   encoding="utf-8")
    code, out, _ = invoke("packs", "diff", "HOP-DPI", str(tmp_path))
    assert code == 0
    assert out.splitlines() == [
        "Différences entre HOP-DPI 0.1.0 et HOP-DPI 0.2.0 :",
        "Métadonnée modifiée : version : 0.1.0 → 0.2.0",
        "Exigence modifiée : SC.PSC.13 — profils : [ciba] → [ciba, iam]",
    ]
    code, out, _ = invoke("packs", "diff", "HOP-DPI", str(tmp_path), "--format", "json")
    data = json.loads(out)
    assert data["counts"]["changed"] == 1 and data["exigences"]["changed"][0]["id"] == "SC.PSC.13"
    code, out, _ = invoke("packs", "diff", "HOP-DPI", "HOP-DPI@0.1.0", "--format", "md")
    assert code == 0 and "Aucune différence" in out


def test_packs_show_lists_parameters_with_their_history() -> None:
    code, out, _ = invoke("packs", "show", "HOP-DPI")
    assert code == 0
    block = out[out.index("Paramètres ("):out.index("\nCalendrier publié :")]
    assert "  - pilots-required : Nombre de déploiements pilotes" in block
    assert "sans date d'effet connue : 3 — ANS, « Accompagnement des ENS sur un parcours de type Ségur »" in block
    assert "cancellation-case4-pivot" in block and ": 17/11 —" in block


@pytest.mark.parametrize(("pack_id", "preuves", "scenarios"), [
    ("HOP-DPI", 150, 125), ("HOP-PFI", 125, 90), ("BIO-SGL", 260, 195), ("RAD-RIS", 265, 200),
    ("MDV-LGC", 225, 175), ("RAD-DRIMBOX", 64, 55),
])
def test_packs_show_json_counts_scenarios_and_preuves(pack_id: str, preuves: int, scenarios: int) -> None:
    code, out, _ = invoke("packs", "show", pack_id, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["preuves"] >= preuves and data["scenarios"] >= scenarios
    listed = data["pack"]["exigences"]
    assert data["preuves"] == sum(len(s["preuves"]) for e in listed for s in e["scenarios"])
    code, text, _ = invoke("packs", "show", pack_id)
    assert f"{data['scenarios']} scénarios, {data['preuves']} preuves" in text


def test_packs_show_text_gives_vague_1_dates_and_domains() -> None:
    code, out, _ = invoke("packs", "show", "MS-DUI")
    assert code == 0 and "  - PDS : Personnes en difficultés spécifiques" in out
    assert "Dates de la Vague 1 (historique, hors calendrier) :" in out and "2024-12-19 14:00" in out
    code, out, _ = invoke("packs", "show", "HOP-DPI")
    assert "  - avance : 2025-12-17 12:00" in out and "  - ouverture-enrolement : 2024-06-20 14:00" in out
