"""init: every key of a first plan, forgiving choices, nothing lost, a commented profile."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click
from click.testing import CliRunner
from segur_plan.cli.main import run


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [], input=input)
    return result.exit_code, result.stdout, result.stderr


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_every_question_is_asked_and_wrong_answers_are_asked_again(tmp_path: Path) -> None:
    target = tmp_path / "profil.toml"
    code, out, err = invoke("init", "-o", str(target), input=answers(
        "hop dpi",                 # pack: case and hyphen ignored
        "DPI Exemple", "Éditeur Exemple SAS", "5.2",
        "2024-31-08", "2024-08-31",  # T0: wrong date, asked again
        "Mono Éditeur",            # parcours: label, accents and case ignored
        "version majeure",         # trigger: its French label
        "Licorne, IAM", "iam, CLIENT LOURD",  # an unknown profil: asked again, nothing else lost
        "NIE-1", "NIL-1",
        "pre examen",              # CNDA status without its accent and hyphen
        "vague 2", "Vague 1",      # an unknown wave, then the right one
    ))
    assert code == 0, err
    for question in ("Pack (DSR)", "Nom de la solution", "Éditeur", "Version de la solution", "T0", "Parcours",
                     "Entrée dans le cycle", "Profils implémentés", "NIE du CNDA", "NIL du CNDA",
                     "Statut de la demande CNDA", "Vagues déjà obtenues"):
        assert question in out, question
    assert out.count("Profils implémentés") == 2 and out.count("T0") == 2
    assert "Profil inconnu « Licorne »" in out and "date invalide « 2024-31-08 »" in out
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["solution"] == {"name": "DPI Exemple", "editor": "Éditeur Exemple SAS", "version": "5.2"}
    assert data["referencement"] == {"pack": "HOP-DPI", "t0": data["referencement"]["t0"], "parcours": "mono-editeur",
                                     "trigger": "major-version", "already_referenced": ["vague-1"]}
    assert data["referencement"]["t0"].isoformat() == "2024-08-31"
    assert data["profils"]["declared"] == ["IAM", "Client lourd"]
    assert data["prerequisites"] == {"cnda_nie": "NIE-1", "cnda_nil": "NIL-1", "cnda_request_status": "pre-examen"}
    code, plan, _ = invoke("plan", str(target), "--today", "2025-03-01")
    assert code == 0 and json.loads(plan)["summary"]["blocking"] == 0


def test_the_profile_is_commented(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    assert invoke("init", "-o", str(target), "--no-input", "--name", "x", "--pack", "HOP-DPI")[0] == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Profil de solution segur-plan")
    assert 'parcours = "mono-editeur" # mono-editeur | groupement | marque-blanche' in text
    assert '# cnda_nie = "NIE-…"' in text and "# t0 = 2024-08-31" in text  # what is left to fill in
    commented = [line for line in text.splitlines() if "=" in line and not line.startswith("#")]
    assert all("#" in line for line in commented if not line.startswith("schema_version")), commented


def test_a_flag_for_each_question_groupement(tmp_path: Path) -> None:
    target = tmp_path / "g.toml"
    code, _, err = invoke("init", "-o", str(target), "--no-input", "--pack", "HOP-DPI", "--name", "Groupe",
                          "--editor", "Éditeur", "--version", "4.0", "--t0", "2024-08-31", "--parcours", "Groupement",
                          "--solution", "DPI A", "--solution", "DPI B", "--trigger", "initial", "--profil", "IAM",
                          "--nie", "N", "--nil", "L", "--cnda-status", "homologué", "--already-referenced", "vague-1")
    assert code == 0, err
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert [s["name"] for s in data["solutions"]] == ["DPI A", "DPI B"]
    assert data["solutions"][0]["editor"] == "Éditeur" and data["solutions"][0]["version"] == "4.0"
    assert data["referencement"]["parcours"] == "groupement"
    assert data["prerequisites"]["cnda_request_status"] == "homologue"
    assert invoke("plan", str(target), "--today", "2025-03-01")[0] == 0


def test_a_flag_for_each_question_marque_blanche(tmp_path: Path) -> None:
    target = tmp_path / "mb.toml"
    code, _, err = invoke("init", "-o", str(target), "--no-input", "--pack", "HOP-DPI", "--name", "DPI MB",
                          "--parcours", "marque blanche", "--original-editor", "Origine SAS", "--modified",
                          "--modified-area", "ins", "--modified-area", "DMP")
    assert code == 0, err
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["marque_blanche"] == {"original_editor": "Origine SAS", "modified": True,
                                      "modified_areas": ["INS", "DMP"]}
    assert invoke("plan", str(target), "--today", "2025-03-01")[0] == 0


def test_wrong_flags_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    for flags, message in (
        (["--pack", "HOP-DP"], "Vouliez-vous dire « HOP-DPI »"),
        (["--pack", "HOP-DPI", "--profil", "Licorne"], "Profil inconnu « Licorne »"),
        (["--pack", "HOP-DPI", "--parcours", "solo"], "« solo » n'est pas une réponse possible"),
        (["--pack", "HOP-DPI", "--parcours", "groupement", "--solution", "seule"], "au moins deux solutions"),
    ):
        code, _, err = invoke("init", "-o", str(target), "--no-input", "--name", "x", *flags)
        assert code == 2 and message in err, (flags, err)
        assert not target.exists()


def test_an_existing_profile_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    target.write_text("# le mien\n", encoding="utf-8")
    code, _, err = invoke("init", "-o", str(target), "--no-input", "--name", "x", "--pack", "HOP-DPI")
    assert code == 2 and "existe déjà" in err and target.read_text(encoding="utf-8") == "# le mien\n"
