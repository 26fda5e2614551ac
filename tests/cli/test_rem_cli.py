"""Issue 12 as a regulatory lead runs it: ``--rem``, the profile key, local packs, a new REM version.

Every REM workbook is built here with openpyxl (invented texts, made-up IDs beside the pack's own).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner
from segur_plan.cli.main import run

CLIENT_LOURD = [  # published layout, HOP-DPI
    {"Périmètre": "Vague 2", "ID": "SC.PSC.01", "Chapitre": "PSC", "Fonction": "Connexion PSC",
     "Exigence": "Texte de test : le système DOIT a.", "Nature de l'exigence": "EXIGENCE", "Profil": "Général",
     "N° scénario": "PSC.01.01", "Scénario de conformité": "Scénario de test",
     "N° preuve 1": "PSC.01.01.01", "Preuve 1": "Vidéo de la connexion (test)",
     "N° preuve 2": "PSC.01.01.02", "Preuve 2": "Log de la requête (test)", "Criticité": "Majeure"},
    {"Périmètre": "Vague 2", "ID": "DPI.TST/X.01", "Chapitre": "TST", "Fonction": "Fonction de test",
     "Exigence": "Texte de test : le système DOIT b.", "Nature de l'exigence": "EXIGENCE", "Profil": "Client lourd",
     "N° scénario": "TST/X.01.01", "N° preuve 1": "TST/X.01.01.01", "Preuve 1": "Capture d'écran (test)"},
]  # fmt: skip
PROFILE = """[solution]
name = "DPI Test"
[referencement]
pack = "{pack}"
t0 = 2024-08-31
{extra}
[profils]
declared = ["Client lourd"]
[prerequisites]
cnda_nie = "NIE-1"
cnda_nil = "NIL-1"
cnda_request_status = "homologue"
"""


def invoke(*args: str) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [])
    return result.exit_code, result.stdout, result.stderr


def write_profile(path: Path, pack: str = "HOP-DPI", extra: str = "") -> Path:
    path.write_text(PROFILE.format(pack=pack, extra=extra), encoding="utf-8")
    return path


@pytest.fixture
def rem(tmp_path: Path, write_rem) -> Path:  # noqa: ANN001
    return write_rem(tmp_path / "REM-HOP-DPI.xlsx", CLIENT_LOURD)


@pytest.fixture(autouse=True)
def no_packs_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEGUR_PLAN_PACKS_PATH", raising=False)


# ---------------------------------------------------------------- plan --rem and the profile key


def test_plan_rem_lists_the_rem_preuves_and_keeps_the_calendar(tmp_path: Path, rem: Path) -> None:
    profile = write_profile(tmp_path / "p.toml")
    code, out, err = invoke("plan", str(profile), "--rem", str(rem), "--today", "2025-03-01")
    assert code == 0, err
    plan = json.loads(out)
    proofs = {p["id"]: (p["kind"], p["formats"], p["max_bytes"])
              for r in plan["requirements"] for s in r["scenarios"] for p in s["proofs"]}
    assert proofs == {"SC.PSC.01.01.01": ("video", ["PNG", "JPEG", "JPG", "MP4", "MOV", "AVI", "FLV"], 50_000_000),
                      "SC.PSC.01.01.02": ("log", ["*"], 1_000_000),
                      "DPI.TST/X.01.01.01": ("capture", ["PNG", "JPEG", "JPG", "MP4", "MOV", "AVI", "FLV"],
                                             50_000_000)}
    _, plain, _ = invoke("plan", str(profile), "--today", "2025-03-01")
    built_in = json.loads(plain)
    # 6 milestones + the 2 ASP openings
    assert plan["deadlines"] == built_in["deadlines"] and len(plan["deadlines"]) == 8
    assert [a["id"] for a in plan["actions"]] == [a["id"] for a in built_in["actions"]]
    assert plan["packs"][0]["rem"]["file"] == "REM-HOP-DPI.xlsx"


def test_the_profile_key_gives_the_same_plan_byte_for_byte(tmp_path: Path, rem: Path) -> None:
    by_option = invoke("plan", str(write_profile(tmp_path / "a.toml")), "--rem", str(rem), "--today", "2025-03-01")
    by_key = invoke("plan", str(write_profile(tmp_path / "b.toml", extra=f'rem = "{rem.name}"')),
                    "--today", "2025-03-01")
    assert by_option[0] == by_key[0] == 0
    assert by_option[1] == by_key[1]


def test_markdown_names_the_rem(tmp_path: Path, rem: Path) -> None:
    code, out, _ = invoke("plan", str(write_profile(tmp_path / "p.toml")), "--rem", str(rem),
                          "--today", "2025-03-01", "--format", "md")
    assert code == 0 and "catalogue du REM REM-HOP-DPI.xlsx (SHA-256 " in out


def test_explain_with_the_rem(tmp_path: Path, rem: Path) -> None:
    profile = write_profile(tmp_path / "p.toml")
    code, out, _ = invoke("explain", str(profile), "DPI.TST/X.01", "--rem", str(rem), "--today", "2025-03-01",
                          "--format", "json")
    assert code == 0 and json.loads(out)["applicable"] is True
    code, _, err = invoke("explain", str(profile), "DPI.TST/X.01", "--today", "2025-03-01")
    assert code == 2 and "Identifiant inconnu « DPI.TST/X.01 »" in err


def test_proofs_export_and_check_with_the_rem(tmp_path: Path, rem: Path) -> None:
    profile = write_profile(tmp_path / "p.toml")
    code, _, err = invoke("proofs", "export", str(profile), "--rem", str(rem), "-o", str(tmp_path / "suivi.csv"),
                          "--today", "2025-03-01")
    assert code == 0 and "(3 lignes)" in err
    text = (tmp_path / "suivi.csv").read_text(encoding="utf-8-sig")
    assert all(p in text for p in ("SC.PSC.01.01.01", "SC.PSC.01.01.02", "DPI.TST/X.01.01.01"))
    code, out, _ = invoke("proofs", "check", str(profile), "--rem", str(rem), "--format", "json",
                          "--today", "2025-03-01")
    assert code == 0 and json.loads(out)


def test_batch_with_the_rem_writes_the_plan_of_plan_rem(tmp_path: Path, rem: Path) -> None:
    folder = tmp_path / "profils"
    folder.mkdir()
    profile = write_profile(folder / "dpi.toml")
    code, _, err = invoke("batch", str(folder), "-o", str(tmp_path / "out"), "--rem", str(rem),
                          "--today", "2025-03-01", "-j", "1")
    assert code == 0, err
    _, single, _ = invoke("plan", str(profile), "--rem", str(rem), "--today", "2025-03-01")
    assert (tmp_path / "out" / "dpi.json").read_text(encoding="utf-8") == single


# ---------------------------------------------------------------- bad REM files


def _headers_only(path: Path, headers: list[str], rows: list[list[str]] = ()) -> Path:  # type: ignore[assignment]
    wb = openpyxl.Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("case", ["texte", "xls", "sans-en-tetes", "zero-ligne", "colonne-manquante"])
@pytest.mark.parametrize("command", ["plan", "import-rem"])
def test_bad_rem_files_exit_2_with_a_french_message(tmp_path: Path, write_rem, case: str,  # noqa: ANN001
                                                    command: str) -> None:
    path = tmp_path / "REM.xlsx"
    if case == "texte":
        path.write_text("ID;Exigence\nX.01;a\n", encoding="utf-8")
    elif case == "xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    elif case == "sans-en-tetes":
        _headers_only(path, ["Nom", "Prénom", "Ville"], [["a", "b", "c"]])
    elif case == "zero-ligne":
        write_rem(path, [])
    else:  # a Convergence export without its « N° preuve » column
        headers = ["ID", "Chapitre", "Fonction", "Exigence", "Profil", "N° scénario", "Preuve"]
        _headers_only(path, headers, [["X.01", "c", "f", "e", "Général", "X.01.01", "p"]])
    if command == "plan":
        args = ("plan", str(write_profile(tmp_path / "p.toml")), "--rem", str(path), "--today", "2025-03-01")
    else:
        args = ("packs", "import-rem", str(path), "--pack", "TEST", "-o", str(tmp_path / "out"))
    code, out, err = invoke(*args)
    expected = {
        "texte": "n'est pas un tableur .xlsx",
        "xls": "Excel 97-2003 (.xls), non pris en charge",
        "sans-en-tetes": "aucune feuille n'a les en-têtes d'un des formats connus",
        "zero-ligne": "Aucune exigence importée de REM.xlsx",
        "colonne-manquante": "colonne obligatoire absente « N° preuve » (format le plus proche : export Convergence",
    }[case]
    assert code == 2 and out == ""
    assert err.startswith("Erreur : ") and expected in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


# ---------------------------------------------------------------- Convergence export, both forms


CONVERGENCE = [
    {"Périmètre": "Vague 2", "ID": "SC.PSC.01", "Chapitre": "PSC", "Fonction": "Connexion PSC",
     "Exigence": "Texte de test : le système DOIT a.", "Profil": "Général", "N° scénario": "PSC.01.01",
     "Scénario de conformité": "Scénario de test", "N° preuve": "PSC.01.01.01",
     "Preuve": "<p>Vidéo&nbsp;de la connexion</p>", "Criticité": "Majeure", "Ordre": 1},
    {"N° scénario": "PSC.01.01", "N° preuve": "PSC.01.01.02", "Preuve": "Log de la requête", "Ordre": 2,
     "ID": "SC.PSC.01", "Profil": "Général"},
    {"Périmètre": "Vague 1", "ID": "SC.INS/va1.10", "Chapitre": "INS", "Fonction": "Qualification",
     "Exigence": "Texte de test : le système DOIT c.", "Profil": "va1 Intégration INS",
     "N° scénario": "INS/va1.10.01", "N° preuve": "INS/va1.10.01.01", "Preuve": "Capture d'écran",
     "Profil historique": "Intégration INS", "Criticité": "Critique", "Ordre": 3},
]  # fmt: skip


@pytest.mark.parametrize("form", ["convergence", "convergence-older"])
def test_a_convergence_export_imports_with_or_without_perimetre(tmp_path: Path, write_rem, form: str) -> None:  # noqa: ANN001
    rows = CONVERGENCE if form == "convergence" else [
        {k: v for k, v in r.items() if k not in ("Périmètre", "Profil historique", "Criticité", "Ordre")}
        | {"Statut publication": "Inchangée"} for r in CONVERGENCE]
    path = write_rem(tmp_path / f"{form}.xlsx", rows, layout=form, sheet="Export")
    code, _, err = invoke("packs", "import-rem", str(path), "--pack", "CONV-TEST", "-o", str(tmp_path / "pack"),
                          "--today", "2026-11-30")
    assert code == 0, err
    assert "export Convergence" in err and "exigences 2, scénarios 2, preuves 3" in err
    pack = tomllib.loads((tmp_path / "pack" / "pack.toml").read_text(encoding="utf-8"))
    ex = {e["id"]: e for e in pack["exigences"]}
    assert set(ex) == {"SC.PSC.01", "SC.INS/va1.10"}
    assert ex["SC.INS/va1.10"]["perimetre"] == "vague-1" and ex["SC.PSC.01"]["perimetre"] == "vague-2"
    assert ex["SC.INS/va1.10"].get("critical", False) is (form == "convergence")
    labels = [p["label"] for s in ex["SC.PSC.01"]["scenarios"] for p in s["preuves"]]
    assert labels == ["Vidéo de la connexion", "Log de la requête"]  # HTML and entities cleaned
    plan_code, out, _ = invoke("plan", str(write_profile(tmp_path / "p.toml")), "--rem", str(path),
                               "--today", "2025-03-01")
    assert plan_code == 0 and json.loads(out)["packs"][0]["rem"]["layout"] == "convergence"


# ---------------------------------------------------------------- local packs


def _import(rem: Path, target: Path, *extra: str) -> None:
    code, _, err = invoke("packs", "import-rem", str(rem), "--today", "2026-11-30", "-o", str(target), *extra)
    assert code == 0, err


def test_an_imported_pack_on_the_packs_path_is_listed_and_planned(tmp_path: Path, rem: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "packs"
    _import(rem, folder / "dpi-officiel", "--pack", "HOP-DPI-OFFICIEL")
    monkeypatch.setenv("SEGUR_PLAN_PACKS_PATH", f"{tmp_path / 'vide'}{':'}{folder}")
    code, out, err = invoke("packs", "list")
    assert code == 0
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("HOP-DPI-OFFICIEL"))
    assert "2 exigences" in lines[at] and f"origine : dossier local {folder / 'dpi-officiel'}" in lines[at + 1]
    assert "origine : segur-plan" in out  # the built-in packs say where they come from too
    assert f"dossier local {tmp_path / 'vide'}" in err and "introuvable" in err
    code, out, _ = invoke("plan", str(write_profile(tmp_path / "p.toml", pack="HOP-DPI-OFFICIEL")),
                          "--today", "2025-03-01")
    plan = json.loads(out)
    assert code == 0 and plan["packs"][0]["id"] == "HOP-DPI-OFFICIEL"
    assert {r["id"] for r in plan["requirements"]} == {"SC.PSC.01", "DPI.TST/X.01"}
    assert plan["summary"]["proofs"] == 3 and len(plan["actions"]) > 0  # the socle's journey and formats


def test_the_packs_path_option_is_repeatable(tmp_path: Path, rem: Path) -> None:
    _import(rem, tmp_path / "a", "--pack", "PACK-A")
    _import(rem, tmp_path / "b", "--pack", "PACK-B")
    code, out, _ = invoke("--packs-path", str(tmp_path / "a"), "--packs-path", str(tmp_path / "b"),
                          "packs", "list", "--format", "json")
    origins = {p["id"]: p["origin"] for p in json.loads(out)["packs"]}
    assert code == 0 and origins["PACK-A"] == f"dossier local {tmp_path / 'a'}"
    assert origins["PACK-B"] == f"dossier local {tmp_path / 'b'}"


def test_a_local_pack_with_an_installed_id_is_refused_unless_it_replaces_it(tmp_path: Path, rem: Path) -> None:
    _import(rem, tmp_path / "clash", "--pack", "HOP-DPI")
    code, out, err = invoke("--packs-path", str(tmp_path / "clash"), "packs", "list")
    assert code == 0 and "HOP-DPI        0.1.0    vague 2" in out  # the installed one stays
    assert (f"Le pack local « HOP-DPI » (dossier local {tmp_path / 'clash'}) a l'identifiant du pack installé "
            "par segur-plan 0.1.0 (point d'entrée « hop-dpi »)") in err
    assert 'replaces = "HOP-DPI"' in err
    _import(rem, tmp_path / "remplace", "--pack", "HOP-DPI", "--replaces")
    code, out, err = invoke("--packs-path", str(tmp_path / "remplace"), "packs", "list", "--format", "json")
    dpi = next(p for p in json.loads(out)["packs"] if p["id"] == "HOP-DPI")
    assert dpi["exigences"] == 2 and dpi["origin"].startswith(f"dossier local {tmp_path / 'remplace'} (remplace ")
    assert "INUTILISABLE" not in err


# ---------------------------------------------------------------- a new REM version


V1 = [
    ["Vague 2", "SC.PSC.01", "PSC", "Connexion", "Texte de test A.", "", "Général", "PSC.01.01", "Scénario A",
     "PSC.01.01.01", "Vidéo de la connexion", "", "Majeure", 1],
    ["Vague 2", "SC.PSC.01", "PSC", "Connexion", "Texte de test A.", "", "Général", "PSC.01.01", "Scénario A",
     "PSC.01.01.02", "Log de la requête", "", "Majeure", 2],
    ["Vague 2", "DPI.TST/X.01", "TST", "F", "Texte de test B.", "", "Client lourd", "TST/X.01.01", "Scénario B",
     "TST/X.01.01.01", "Capture d'écran", "", "Mineure", 3],
    ["Vague 2", "DPI.TST/X.02", "TST", "G", "Texte de test C.", "", "Général", "TST/X.02.01", "Scénario C",
     "TST/X.02.01.01", "Capture d'écran", "", "Mineure", 4],
    ["Vague 2", "DPI.TST/X.04", "TST", "I", "Texte de test E.", "", "Général", "TST/X.04.01", "Scénario E",
     "TST/X.04.01.01", "Document", "", "Mineure", 5],
    ["Vague 2", "DPI.TST/X.05", "TST", "J", "Texte de test F.", "", "Général", "TST/X.05.01", "Scénario F",
     "TST/X.05.01.01", "Document", "", "Mineure", 6],
]  # fmt: skip


def _write_version(path: Path, rows: list[list[object]], write_rem) -> Path:  # noqa: ANN001
    keys = ["Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Commentaire", "Profil", "N° scénario",
            "Scénario de conformité", "N° preuve", "Preuve", "Profil historique", "Criticité", "Ordre"]
    return write_rem(path, [dict(zip(keys, r, strict=True)) for r in rows], layout="convergence", sheet="Export")


def test_previous_gives_exactly_the_changed_ids_and_exactly_those_redeposits(tmp_path: Path, write_rem,  # noqa: ANN001
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    v2 = [list(r) for r in V1]
    v2[1][10] = "Log de la requête et de la réponse"  # a preuve's text
    v2[3][4] = "Texte de test C, modifié."  # an exigence's statement
    v2[4][6] = "Client lourd"  # an exigence's profil
    v2[5][12] = "Critique"  # an exigence's criticité
    v2.append(["Vague 2", "DPI.TST/X.03", "TST", "H", "Texte de test D.", "", "Général", "TST/X.03.01",
               "Scénario D", "TST/X.03.01.01", "Vidéo", "", "Mineure", 7])  # an exigence added
    del v2[2]  # an exigence removed (DPI.TST/X.01, its scénario and preuve)
    old = _write_version(tmp_path / "REM-v1.xlsx", V1, write_rem)
    new = _write_version(tmp_path / "REM-v2.xlsx", v2, write_rem)
    _import(old, tmp_path / "v1", "--pack", "DPI-REM", "--released", "2025-01-10")
    code, _, err = invoke("packs", "import-rem", str(new), "--pack", "DPI-REM", "--previous",
                          str(tmp_path / "v1" / "pack.toml"), "--released", "2025-06-30", "--today", "2026-11-30",
                          "-o", str(tmp_path / "v2"))
    assert code == 0, err
    pack = tomllib.loads((tmp_path / "v2" / "pack.toml").read_text(encoding="utf-8"))
    (entry,) = pack["changelog"]
    assert str(entry["date"]) == "2025-06-30"
    assert entry["items"] == ["DPI.TST/X.01", "DPI.TST/X.01.01", "DPI.TST/X.01.01.01", "DPI.TST/X.02",
                              "DPI.TST/X.03", "DPI.TST/X.03.01", "DPI.TST/X.03.01.01", "DPI.TST/X.04",
                              "DPI.TST/X.05", "SC.PSC.01.01.02"]
    assert entry["added"] == ["DPI.TST/X.03", "DPI.TST/X.03.01", "DPI.TST/X.03.01.01"]
    assert pack["version"] == "0.2.0" and str(pack["released"]) == "2025-06-30"
    assert "Historique : entrée du 2025-06-30, 10 élément(s) modifié(s)" in err

    deposits = "".join(f'[[proofs]]\nid = "{p}"\nstatus = "deposited"\ndate = 2025-03-01\n' for p in (
        "PSC.01.01.01", "PSC.01.01.02", "TST/X.02.01.01", "TST/X.04.01.01", "TST/X.05.01.01"))
    profile = tmp_path / "ru.toml"
    profile.write_text(PROFILE.format(pack="DPI-REM", extra='trigger = "referentiel-update"\n'
                                      'already_referenced = ["vague-2"]') + deposits, encoding="utf-8")
    monkeypatch.setenv("SEGUR_PLAN_PACKS_PATH", str(tmp_path / "v2"))
    code, out, err = invoke("plan", str(profile), "--today", "2025-07-15")
    assert code == 0, err
    statuses = {r["id"]: r["status"] for r in json.loads(out)["requirements"]}
    assert {i for i, s in statuses.items() if s == "redeposit"} == {
        "SC.PSC.01", "DPI.TST/X.02", "DPI.TST/X.04", "DPI.TST/X.05"}
    assert statuses["DPI.TST/X.03"] == "to-prove"  # added by the new version: nothing proves it yet
    added = next(r for r in json.loads(out)["requirements"] if r["id"] == "DPI.TST/X.03")
    assert any("ajouté par la version du référentiel du 2025-06-30" in w["message"] for w in added["why"])
    with profile.open("a", encoding="utf-8") as f:  # once proven after that version, it is acquired
        f.write('[[proofs]]\nid = "TST/X.03.01.01"\nstatus = "validated"\ndate = 2025-07-01\n')
    _, out, _ = invoke("plan", str(profile), "--today", "2025-07-15")
    assert {r["id"]: r["status"] for r in json.loads(out)["requirements"]}["DPI.TST/X.03"] == "acquired"
    redeposit = next(r for r in json.loads(out)["requirements"] if r["id"] == "SC.PSC.01")
    assert [w["ref"] for w in redeposit["why"] if w["kind"] == "changelog"] == ["PSC.01.01.02"]


def test_previous_with_the_same_date_or_another_pack_is_refused(tmp_path: Path, rem: Path) -> None:
    _import(rem, tmp_path / "v1", "--pack", "DPI-REM", "--released", "2025-01-10")
    previous = str(tmp_path / "v1" / "pack.toml")
    code, _, err = invoke("packs", "import-rem", str(rem), "--pack", "AUTRE", "--previous", previous,
                          "-o", str(tmp_path / "v2"))
    assert code == 2 and "--pack AUTRE mais le pack précédent" in err
    # a first changelog entry on 2025-02-01, then the same date again
    _import(rem, tmp_path / "v2", "--pack", "DPI-REM", "--previous", previous, "--released", "2025-02-01")
    code, _, err = invoke("packs", "import-rem", str(rem), "--pack", "DPI-REM", "--previous",
                          str(tmp_path / "v2" / "pack.toml"), "--released", "2025-02-01", "-o", str(tmp_path / "v3"))
    assert code == 2 and "a déjà une entrée datée du 2025-02-01" in err


def test_batch_workers_see_the_packs_path_and_the_rem(tmp_path: Path, rem: Path) -> None:
    _import(rem, tmp_path / "packs" / "local", "--pack", "DPI-LOCAL")
    folder = tmp_path / "profils"
    folder.mkdir()
    write_profile(folder / "local.toml", pack="DPI-LOCAL")
    write_profile(folder / "rem.toml", extra=f'rem = "{rem}"')
    code, out, err = invoke("--packs-path", str(tmp_path / "packs"), "batch", str(folder), "-o", str(tmp_path / "out"),
                            "--today", "2025-03-01", "-j", "2")
    assert code == 0, err
    assert json.loads((tmp_path / "out" / "local.json").read_text(encoding="utf-8"))["packs"][0]["id"] == "DPI-LOCAL"
    planned = json.loads((tmp_path / "out" / "rem.json").read_text(encoding="utf-8"))
    assert planned["packs"][0]["rem"]["file"] == rem.name
