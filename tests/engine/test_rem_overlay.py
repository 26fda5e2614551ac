"""Planning against the editor's REM (engine.rem_overlay): the REM's catalogue, the pack's rest.

The REM workbooks are built by the tests (invented texts, made-up IDs beside the pack's own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.errors import PackError, ProfileError
from segur_plan.engine.rem_import import RemSource
from segur_plan.engine.rem_import.cache import MEMORY, cache_dir, load_table
from segur_plan.engine.render import render_json
from support import TODAY

HOP_DPI_REM = [
    {"Périmètre": "Vague 2", "ID": "SC.PSC.01", "Chapitre": "PSC", "Fonction": "Connexion PSC",
     "Exigence": "Texte de test : le système DOIT a.", "Nature de l'exigence": "EXIGENCE", "Profil": "Général",
     "N° scénario": "PSC.01.01", "Scénario de conformité": "Scénario de test A",
     "N° preuve 1": "PSC.01.01.01", "Preuve 1": "Vidéo de la connexion (test)",
     "N° preuve 2": "PSC.01.01.02", "Preuve 2": "Log de la requête (test)", "Criticité": "Majeure"},
    {"Périmètre": "Vague 2", "ID": "SC.SSI/GEN.01", "Chapitre": "SSI", "Fonction": "Gouvernance",
     "Exigence": "Texte de test : le système DOIT b.", "Nature de l'exigence": "EXIGENCE", "Profil": "Général",
     "N° scénario": "SSI/GEN.01.01", "N° preuve 1": "SSI/GEN.01.01.01", "Preuve 1": "Document de procédure (test)",
     "Criticité": "Critique"},
    {"Périmètre": "Vague 1", "ID": "SC.INS/va1.10", "Chapitre": "INS", "Fonction": "Qualification",
     "Exigence": "Texte de test : le système DOIT c.", "Nature de l'exigence": "EXIGENCE",
     "Profil": "va1 intégration ins", "N° scénario": "INS/va1.10.01", "N° preuve 1": "INS/va1.10.01.01",
     "Preuve 1": "Capture d'écran (test)", "Criticité": "Mineure"},
    {"Périmètre": "Vague 2", "ID": "DPI.TST/X.01", "Chapitre": "TST", "Fonction": "Fonction de test",
     "Exigence": "Texte de test : le système DOIT d.", "Nature de l'exigence": "EXIGENCE", "Profil": "CLIENT LOURD",
     "N° scénario": "TST/X.01.01", "N° preuve 1": "TST/X.01.01.01", "Preuve 1": "Rapport de test"},
    {"Périmètre": "Vague 2", "ID": "DPI.TST/X.02", "Chapitre": "TST", "Fonction": "Autre fonction",
     "Exigence": "Texte de test : le système PEUT e.", "Nature de l'exigence": "PRECONISATION",
     "Profil": "Profil sans équivalent", "N° scénario": "TST/X.02.01", "N° preuve 1": "TST/X.02.01.01",
     "Preuve 1": "Vidéo (test)"},
]  # fmt: skip


def profile(**referencement: object) -> dict:
    return {
        "solution": {"name": "DPI Test"},
        "referencement": {"pack": "HOP-DPI", "t0": dt.date(2024, 8, 31), **referencement},
        "profils": {"declared": ["Client lourd", "Intégration INS"]},
        "prerequisites": {"cnda_nie": "NIE-1", "cnda_nil": "NIL-1", "cnda_request_status": "homologue"},
    }


@pytest.fixture
def rem(tmp_path: Path, write_rem) -> Path:  # noqa: ANN001
    return write_rem(tmp_path / "REM-HOP-DPI-test.xlsx", HOP_DPI_REM)


def test_the_rem_catalogue_replaces_the_pack_one_with_formats_and_sizes(native_engine: Engine, rem: Path) -> None:
    plan = native_engine.plan(profile(), today=TODAY, rem=rem)
    proofs = {p.id: (p.kind.value, list(p.formats), p.max_bytes) for r in plan.requirements
              for s in r.scenarios for p in s.proofs}
    video = ["PNG", "JPEG", "JPG", "MP4", "MOV", "AVI", "FLV"]
    assert proofs == {
        "SC.PSC.01.01.01": ("video", video, 50_000_000),
        "SC.PSC.01.01.02": ("log", ["*"], 1_000_000),
        "SC.SSI/GEN.01.01.01": ("document", ["*"], 1_000_000),
        "SC.INS/va1.10.01.01": ("capture", video, 50_000_000),
        "DPI.TST/X.01.01.01": ("rapport", ["*"], 1_000_000),
    }
    assert [r.id for r in plan.requirements] == ["DPI.TST/X.01", "SC.INS/va1.10", "SC.PSC.01", "SC.SSI/GEN.01"]
    by_id = {r.id: r for r in plan.requirements}
    assert by_id["DPI.TST/X.01"].profil == "client-lourd" and by_id["SC.INS/va1.10"].profil == "integration-ins"
    assert by_id["SC.SSI/GEN.01"].critical and by_id["SC.SSI/GEN.01"].transversal  # REM Criticité, pack overlay
    assert plan.summary.proofs == 5 and plan.packs[0].status == "published"


def test_calendar_journey_and_rules_of_the_pack_stay(native_engine: Engine, rem: Path) -> None:
    built_in = native_engine.plan(profile(), today=TODAY)
    with_rem = native_engine.plan(profile(), today=TODAY, rem=rem)
    # 6 milestones + the 2 ASP openings of HOP-DPI
    assert with_rem.deadlines == built_in.deadlines and len(with_rem.deadlines) == 8
    assert [a.id for a in with_rem.actions] == [a.id for a in built_in.actions] and with_rem.actions
    assert with_rem.prerequisites == built_in.prerequisites
    assert "ciba" in {p.id for p in with_rem.profils}  # the pack's rule client-lourd-ciba still fires
    psc = next(r for r in with_rem.requirements if r.id == "SC.PSC.01")
    assert any(w.ref == "client-lourd-ciba" for w in psc.why)


def test_packs_records_the_rem_file_and_its_sha256(native_engine: Engine, rem: Path) -> None:
    plan = native_engine.plan(profile(), today=TODAY, rem=rem)
    ref = plan.packs[0]
    assert ref.id == "HOP-DPI" and ref.sha256 == native_engine.registry.get("HOP-DPI").sha256
    assert ref.rem is not None
    assert (ref.rem.file, ref.rem.sha256) == (rem.name, hashlib.sha256(rem.read_bytes()).hexdigest())
    assert (ref.rem.layout, ref.rem.exigences, ref.rem.scenarios, ref.rem.preuves) == ("published", 5, 5, 6)


def test_findings_name_what_does_not_fit(native_engine: Engine, rem: Path) -> None:
    plan = native_engine.plan(profile(), today=TODAY, rem=rem)
    found = {f.code: f for f in plan.findings}
    unknown = found["REM_PROFIL_UNKNOWN"]
    assert unknown.refs == ["profil-sans-equivalent"] and "« Profil sans équivalent » (1 exigence)" in unknown.message
    missing = [f for f in plan.findings if f.code == "REM_EXIGENCE_MISSING"]
    # the rule client-lourd-ciba cites SC.PSC.13; the socle's transversal overlay the SSI/GEN block
    assert [f.refs for f in missing] == [["SC.PSC.13"], ["SC.SSI/GEN.02"], ["SC.SSI/GEN.03"], ["SC.SSI/GEN.20"]]
    assert "règle « client-lourd-ciba »" in missing[0].message and rem.name in missing[0].message
    assert "surcouche" in missing[1].message
    assert "5 exigences, 5 scénarios, 6 preuves" in found["REM_CATALOGUE"].message
    assert "PACK_DRAFT" not in found  # the catalogue is the published REM's


def test_an_unknown_rem_profil_can_be_declared(native_engine: Engine, rem: Path) -> None:
    data = profile()
    data["profils"]["declared"].append("profil sans equivalent")
    plan = native_engine.plan(data, today=TODAY, rem=rem)
    assert "DPI.TST/X.02" in {r.id for r in plan.requirements}


def test_citations_follow_the_rem_spelling_of_an_id(native_engine: Engine, tmp_path: Path, write_rem) -> None:  # noqa: ANN001
    rows = [dict(HOP_DPI_REM[0], ID="PSC.01"), {**HOP_DPI_REM[0], "ID": "PSC.13", "N° scénario": "PSC.13.01",
                                                 "N° preuve 1": "PSC.13.01.01", "N° preuve 2": None}]
    plan = native_engine.plan(profile(), today=TODAY, rem=write_rem(tmp_path / "r.xlsx", rows))
    assert not [f for f in plan.findings if f.code == "REM_EXIGENCE_MISSING" and "PSC" in f.refs[0]]
    psc13 = next(r for r in plan.requirements if r.id == "PSC.13")
    assert any(w.ref == "client-lourd-ciba" for w in psc13.why)


def test_same_inputs_same_bytes_and_bytes_or_path_alike(native_engine: Engine, rem: Path) -> None:
    first = render_json(native_engine.plan(profile(), today=TODAY, rem=rem))
    upload = RemSource(rem.name, rem.read_bytes())
    assert render_json(native_engine.plan(profile(), today=TODAY, rem=upload)) == first
    assert render_json(native_engine.plan(profile(), today=TODAY, rem=str(rem))) == first


def test_the_profile_key_is_relative_to_the_profile_file(native_engine: Engine, rem: Path, tmp_path: Path) -> None:
    (tmp_path / "profil.toml").write_text(
        '[solution]\nname = "DPI Test"\n[referencement]\npack = "HOP-DPI"\nt0 = 2024-08-31\n'
        f'rem = "{rem.name}"\n[profils]\ndeclared = ["Client lourd", "Intégration INS"]\n'
        '[prerequisites]\ncnda_nie = "NIE-1"\ncnda_nil = "NIL-1"\ncnda_request_status = "homologue"\n',
        encoding="utf-8")
    other = Path.cwd()
    os.chdir(tmp_path.parent)  # the key does not depend on the working folder
    try:
        by_key = native_engine.plan_file(tmp_path / "profil.toml", today=TODAY)
    finally:
        os.chdir(other)
    assert render_json(by_key) == render_json(native_engine.plan(profile(), today=TODAY, rem=rem))


def test_a_profile_naming_a_rem_without_a_folder_is_refused(native_engine: Engine) -> None:
    with pytest.raises(ProfileError, match=r"referencement\.rem = « REM\.xlsx »"):
        native_engine.plan(profile(rem="REM.xlsx"), today=TODAY)


def test_a_missing_rem_file_is_a_french_error(native_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(PackError, match="Fichier introuvable"):
        native_engine.plan(profile(), today=TODAY, rem=tmp_path / "absent.xlsx")


def test_the_import_is_cached_by_hash_in_memory_and_on_disk(native_engine: Engine, rem: Path,
                                                             rem_cache_dir: Path) -> None:
    native_engine.plan(profile(), today=TODAY, rem=rem)
    parsed = MEMORY.parsed
    native_engine.plan(profile(), today=TODAY, rem=RemSource("autre-nom.xlsx", rem.read_bytes()))
    assert MEMORY.parsed == parsed  # same bytes: not read again
    MEMORY.clear()
    native_engine.plan(profile(), today=TODAY, rem=rem)
    assert MEMORY.parsed == parsed  # read back from the disk cache
    entry = cache_dir() / f"{hashlib.sha256(rem.read_bytes()).hexdigest()}.json"
    assert entry.is_file() and entry.is_relative_to(rem_cache_dir)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert sorted(p.name for p in rem.parent.iterdir()) == [rem.name]  # nothing beside the user's file
    entry.write_text("{pas du json", encoding="utf-8")  # a damaged entry is read again, then rewritten
    MEMORY.clear()
    table = load_table(RemSource(rem.name, rem.read_bytes()))
    assert MEMORY.parsed == parsed + 1 and len(table.rows) == len(HOP_DPI_REM)
    assert entry.read_text(encoding="utf-8").startswith('{"format"')


def test_the_disk_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEGUR_PLAN_CACHE_DIR", "off")
    assert cache_dir() is None


def test_a_draft_with_several_rems_picks_the_pack_one(native_engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["REM", "ID Exigence", "Profil", "Nature de l'exigence", "Evolution"])
    ws.append(["HOP-DPI", "SC.PSC.01", "Général", "Obligatoire", "Stable"])
    ws.append(["BIO", "SC.PSC.02", "Général", "Obligatoire", "Stable"])
    wb.save(tmp_path / "brouillon.xlsx")
    plan = native_engine.plan(profile(), today=TODAY, rem=tmp_path / "brouillon.xlsx")
    assert [r.id for r in plan.requirements] == ["SC.PSC.01"] and plan.packs[0].status == "draft"


def test_cells_that_do_not_nest_are_reported(native_engine: Engine, tmp_path: Path, write_rem) -> None:  # noqa: ANN001
    rows = [dict(HOP_DPI_REM[0], **{"N° preuve 2": "PSC.02.01.01"})]
    plan = native_engine.plan(profile(), today=TODAY, rem=write_rem(tmp_path / "r.xlsx", rows))
    (finding,) = [f for f in plan.findings if f.code == "REM_ROWS_SKIPPED"]
    assert finding.message.startswith("1 ligne ou cellule du REM « r.xlsx » non reprise (preuve : ne dérive pas")
