"""``segur-plan proofs check|export|import`` as a user runs them: output, exit codes, French errors."""

from __future__ import annotations

import json
import struct
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner
from segur_plan.cli import proofs as proofs_module
from segur_plan.cli.main import main, run
from segur_plan.cli.proofs import proofs_group


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    """The group as cli/main.py registers it (added here if the registration is not there yet)."""
    if "proofs" in main.commands:
        yield
        return
    main.add_command(proofs_group)
    try:
        yield
    finally:
        main.commands.pop("proofs", None)


ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "rad-drimbox-proxy.toml"
TODAY = "2026-01-10"
VIDEO, LOG = "SC.DMP/AIRS.06.01.01", "SC.DMP/AIRS.06.01.02"


def catalogued(profile: Path) -> int:
    """How many preuves the plan of ``profile`` expects (the catalogue grows with the sources)."""
    code, out, _ = invoke("plan", str(profile), "--today", TODAY)
    assert code in (0, 1)
    return sum(len(s["proofs"]) for r in json.loads(out)["requirements"] for s in r["scenarios"])


def invoke(*args: str) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profil.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + '\n[[proofs]]\nid = "SC.DMP/AIRS.06.01.01"  # vidéo\n'
                    'status = "collected"\n', encoding="utf-8")
    return path


def mp4(path: Path, size: int) -> None:
    body = b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41"
    with path.open("wb") as out:
        out.write(struct.pack(">I", 8 + len(body)) + b"ftyp" + body)
        out.truncate(size)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "preuves"
    folder.mkdir()
    mp4(folder / "SC.DMP_AIRS.06.01.01--demo.mp4", 40_000_000)
    return folder


def test_check_accepts_good_files_and_exits_0(profile: Path, folder: Path) -> None:
    code, out, err = invoke("proofs", "check", str(profile), "--dir", str(folder), "--today", TODAY)
    assert code == 0, err
    assert out.startswith("OK        SC.DMP_AIRS.06.01.01--demo.mp4 → SC.DMP/AIRS.06.01.01 (vidéo, 40 000 000 octets, "
                          "contenu MP4)\n")
    assert "1 fichier vérifié : 1 conforme, 0 avec avertissement, 0 refusé." in out
    assert err == ""  # piped: no progress bar


def test_check_exits_1_when_a_file_would_be_refused(profile: Path, folder: Path) -> None:
    (folder / "SC.DMP_AIRS.06.01.02.log").write_bytes(b"x" * 2_000_000)
    (folder / "SC.DMP_AIRS.06.01.03.png").write_text("pas une image", encoding="utf-8")
    (folder / "QQ.99.01.01.pdf").write_bytes(b"%PDF-1.4\n")
    code, out, _ = invoke("proofs", "check", str(profile), "--dir", str(folder), "--today", TODAY, "--format", "json")
    assert code == 1
    data = json.loads(out)
    files = {f["path"]: f for f in data["files"]}
    assert [f["path"] for f in data["files"]] == sorted(files)
    assert files["SC.DMP_AIRS.06.01.02.log"]["status"] == "refused"
    assert files["SC.DMP_AIRS.06.01.02.log"]["problems"][0]["code"] == "too-big"
    assert files["SC.DMP_AIRS.06.01.03.png"]["problems"][0]["message"] == "n'est pas un PNG (contenu : texte)"
    assert files["QQ.99.01.01.pdf"]["problems"][0]["code"] == "unknown-proof"
    assert files["SC.DMP_AIRS.06.01.01--demo.mp4"] | {"problems": []} == {
        "path": "SC.DMP_AIRS.06.01.01--demo.mp4", "proof": VIDEO, "kind": "video", "size": 40_000_000,
        "detected": "MP4", "status": "ok", "source": "dossier", "solution": None, "problems": []}
    summary = data["summary"]
    expected = catalogued(profile)
    assert expected > 35 and (summary["checked"], summary["ok"], summary["refused"], summary["expected"]) == (
        4, 1, 3, expected)
    assert {"proof": LOG, "solution": None} not in summary["missing"]
    again = invoke("proofs", "check", str(profile), "--dir", str(folder), "--today", TODAY, "--format", "json")
    assert again[1] == out


def test_progress_bar_only_on_a_terminal(profile: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proofs_module, "_on_terminal", lambda: True)
    code, _, err = invoke("proofs", "check", str(profile), "--dir", str(folder), "--today", TODAY)
    assert code == 0 and "Vérification des fichiers" in err


def test_check_without_dir_uses_the_profile_folder(profile: Path, folder: Path) -> None:
    text = profile.read_text(encoding="utf-8").replace('status = "collected"\n',
                                                       'status = "collected"\nfile = "preuves/SC.DMP_AIRS.06.01.01--'
                                                       'demo.mp4"\n')
    profile.write_text(text, encoding="utf-8")
    code, out, _ = invoke("proofs", "check", str(profile), "--today", TODAY, "--format", "json")
    assert code == 0
    (only,) = json.loads(out)["files"]
    assert (only["path"], only["source"], only["status"]) == ("preuves/SC.DMP_AIRS.06.01.01--demo.mp4", "profil", "ok")


@pytest.mark.parametrize(("args", "expected"), [
    (["--dir", "{tmp}/absent"], "Dossier introuvable"),
    (["--format", "xml"], "« xml » n'est pas parmi"),
])
def test_check_bad_input_exits_2(profile: Path, tmp_path: Path, args: list[str], expected: str) -> None:
    code, _, err = invoke("proofs", "check", str(profile), *[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and expected in err


def test_unknown_profile_exits_2(tmp_path: Path) -> None:
    code, _, err = invoke("proofs", "check", str(tmp_path / "absent.toml"))
    assert code == 2 and "Fichier introuvable" in err and "Traceback" not in err
    code, _, err = invoke("proofs", "export", str(tmp_path / "absent.toml"), "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "Fichier introuvable" in err


def test_export_then_import_round_trip(profile: Path, tmp_path: Path) -> None:
    original = profile.read_text(encoding="utf-8")
    target = tmp_path / "suivi.xlsx"
    code, _, err = invoke("proofs", "export", str(profile), "-o", str(target), "--today", TODAY)
    assert code == 0 and f"Écrit : {target}" in err
    code, out, _ = invoke("proofs", "import", str(profile), str(target))
    rows = catalogued(profile)  # one row per catalogued preuve (the recorded one is catalogued)
    assert code == 0 and out.startswith(f"Aucun changement ; {rows} lignes inchangées")

    wb = openpyxl.load_workbook(target)
    ws = wb["Preuves"]
    for row in ws.iter_rows(min_row=2):
        if row[4].value == VIDEO:
            row[8].value = "Validée"
        if row[4].value == LOG:
            row[8].value, row[9].value = "Déposée", "logs/airs.log"
    wb.save(target)

    code, out, _ = invoke("proofs", "import", str(profile), str(target), "--dry-run")
    assert code == 0 and "--dry-run" in out and profile.read_text(encoding="utf-8") == original
    assert f"{VIDEO} : statut Collectée → Validée (feuille « Preuves », ligne" in out

    code, out, _ = invoke("proofs", "import", str(profile), str(target))
    assert code == 0 and f"2 changements écrits dans {profile}" in out
    assert f"{LOG} : ajoutée (Déposée, fichier logs/airs.log)" in out
    text = profile.read_text(encoding="utf-8")
    assert text.startswith(original.split("[[proofs]]")[0])
    assert "# vidéo" in text and "# Exemple : DRIMbox en mode proxy" in text
    proofs = {p["id"]: p for p in tomllib.loads(text)["proofs"]}
    assert proofs[VIDEO]["status"] == "validated" and proofs[LOG] == {"id": LOG, "status": "deposited",
                                                                      "file": "logs/airs.log"}


def test_export_csv_and_bad_extension(profile: Path, tmp_path: Path) -> None:
    code, _, _ = invoke("proofs", "export", str(profile), "-o", str(tmp_path / "suivi.csv"), "--today", TODAY)
    assert code == 0 and (tmp_path / "suivi.csv").read_bytes().startswith(b"\xef\xbb\xbfExigence;Chapitre;")
    code, _, err = invoke("proofs", "export", str(profile), "-o", str(tmp_path / "suivi.ods"))
    assert code == 2 and "extension attendue .xlsx ou .csv" in err


def test_import_unknown_status_names_the_cell(profile: Path, tmp_path: Path) -> None:
    target = tmp_path / "suivi.csv"
    target.write_bytes(f"Exigence;Preuve;Statut\r\nSC.DMP/AIRS.06;{VIDEO};terminé\r\n".encode("utf-8-sig"))
    original = profile.read_text(encoding="utf-8")
    code, _, err = invoke("proofs", "import", str(profile), str(target))
    assert code == 2
    assert "ligne 2, colonne Statut : statut inconnu « terminé »" in err and "Traceback" not in err
    assert profile.read_text(encoding="utf-8") == original
