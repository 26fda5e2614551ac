"""The segur-plan command as a user runs it: output, exit codes, French errors, no traceback."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan import __version__
from segur_plan.cli.main import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hop-dpi-client-lourd.toml"
NO_CNDA = ROOT / "examples" / "hop-dpi-sans-cnda.toml"


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """Run the console-script entry point ``run`` (French usage errors included)."""
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"segur-plan {__version__}"


def test_plan_json_to_stdout() -> None:
    code, out, _ = invoke("plan", str(EXAMPLE), "--today", "2025-03-01")
    assert code == 0
    plan = json.loads(out)
    assert plan["today"] == "2025-03-01"
    assert {"SC.PSC.01", "SC.PSC.13"} <= {r["id"] for r in plan["requirements"]}
    assert "ciba" in {p["id"] for p in plan["profils"]}


def test_plan_markdown_to_file(tmp_path: Path) -> None:
    target = tmp_path / "sortie" / "plan.md"
    code, _, err = invoke("plan", str(EXAMPLE), "--today", "2025-03-01", "--format", "md", "-o", str(target))
    assert code == 0 and "Écrit" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Plan de conformité Ségur — DPI Exemple")
    assert "| Dépôt du dossier administratif (soumis au moins une fois) | 2025-02-28 |" in text


def test_strict_exits_1_on_blocking_findings_only() -> None:
    assert invoke("plan", str(NO_CNDA), "--today", "2025-03-01", "--strict")[0] == 1
    assert invoke("plan", str(NO_CNDA), "--today", "2025-03-01")[0] == 0
    assert invoke("plan", str(EXAMPLE), "--today", "2025-03-01", "--strict")[0] == 0


@pytest.mark.parametrize("backend", ["native", "durable"])
def test_backend_option(backend: str) -> None:
    from segur_plan.engine.rules import durable_backend

    if backend == "durable" and not durable_backend.available():
        pytest.skip("durable-rules indisponible")
    code, out, _ = invoke("plan", str(EXAMPLE), "--today", "2025-03-01", "--backend", backend)
    assert code == 0 and json.loads(out)["summary"]["requirements"] > 100


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profil.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ('schema_version = 1\n[solution]\nname = "x"\n[referencement]\npack = "INCONNU"\n',
     ["Pack inconnu « INCONNU »", "referencement.pack", "HOP-DPI"]),
    ('[solution\nname = "x"\n', ["TOML mal formé", "ligne 1, colonne 10", "« ] » attendu"]),
    ('[solution]\nname = 12\n[referencement]\npack = "HOP-DPI"\n', ["solution.name", "chaîne de caractères"]),
    ('[solution]\nname = "x"\n[referencement]\npack = "HOP-DPI"\n[profils]\ndeclared = ["Licorne"]\n',
     ["Profil inconnu « Licorne »", "profils.declared"]),
])
def test_bad_input_exits_2_with_a_french_message(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    code, out, err = invoke("plan", str(path), "--today", "2025-03-01")
    assert code == 2 and out == ""
    assert err.startswith("Erreur : ") and str(path) in err
    for fragment in expected:
        assert fragment in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("args", "fragment"), [
    (["plan"], "Argument manquant « PROFIL »"),
    (["plan", "x.toml", "--format", "pdf"], "« pdf » n'est pas parmi"),
    (["plan", "x.toml", "--today", "2025-13-01"], "date invalide « 2025-13-01 »"),
    (["commande"], "Commande inconnue : « commande »"),
    (["plan", "absent.toml"], "Fichier introuvable"),
])
def test_usage_errors_are_french(args: list[str], fragment: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2 and fragment in err and "Traceback" not in err


def test_explain_names_rule_and_source() -> None:
    code, out, _ = invoke("explain", str(EXAMPLE), "SC.PSC.13", "--today", "2025-03-01")
    assert code == 0
    assert "Statut dans le plan : À PROUVER" in out
    assert "client-lourd-ciba : déclenchée" in out and "FAQ : profil optionnel CIBA" in out


def test_explain_json_for_a_non_applicable_exigence() -> None:
    code, out, _ = invoke("explain", str(ROOT / "examples" / "hop-dpi-sans-cnda.toml"), "SC.PSC.13",
                          "--format", "json", "--today", "2025-03-01")
    data = json.loads(out)
    assert code == 0 and data["applicable"] is False
    assert data["rules"] == [{"id": "client-lourd-ciba", "label": data["rules"][0]["label"], "fired": False,
                              "effect": "active le profil « ciba » dont relève l'exigence ; exige l'exigence",
                              "source": data["rules"][0]["source"]}]


def test_explain_unknown_exigence() -> None:
    code, _, err = invoke("explain", str(EXAMPLE), "SC.NOPE.01")
    assert code == 2 and "Identifiant inconnu « SC.NOPE.01 »" in err


def test_packs_list_json_lists_packs_with_versions_and_profils() -> None:
    code, out, _ = invoke("packs", "list", "--format", "json")
    data = json.loads(out)
    packs = {p["id"]: p for p in data["packs"]}
    assert code == 0 and data["broken"] == []
    for pack_id in ("HOP-DPI", "BIO-SGL", "RAD-RIS", "MDV-LGC", "PHA-LGO", "MS-DUI"):
        assert packs[pack_id]["version"] and packs[pack_id]["vague"] == "2" and packs[pack_id]["coverage"]
        assert any(p["general"] for p in packs[pack_id]["profils"])
    assert {"client-lourd", "ciba"} <= {p["id"] for p in packs["HOP-DPI"]["profils"]}
    assert packs["HOP-DPI"]["preuves"] >= 150 and packs["HOP-DPI"]["scenarios"] >= 125


def test_packs_show_text_and_json() -> None:
    code, out, _ = invoke("packs", "show", "RAD-DRIMBOX")
    assert code == 0 and "dossier-complet : 2026-05-13 12:00" in out
    code, out, _ = invoke("packs", "show", "HOP-DPI", "--format", "json")
    data = json.loads(out)
    assert data["pack"]["rules"][0]["id"] == "client-lourd-ciba"
    assert invoke("packs", "show", "NOPE")[0] == 2


def test_init_from_flags_writes_a_valid_profile(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    code, _, err = invoke("init", "-o", str(target), "--no-input", "--name", "Mon DPI", "--pack", "HOP-DPI",
                          "--profil", "client lourd", "--t0", "2024-08-31", "--nie", "N1", "--nil", "L1",
                          "--cnda-status", "pre-examen")
    assert code == 0, err
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["profils"]["declared"] == ["Client lourd"]
    assert data["referencement"]["t0"].isoformat() == "2024-08-31"
    code, out, _ = invoke("plan", str(target), "--today", "2025-01-01")
    assert code == 0 and json.loads(out)["summary"]["blocking"] == 0
    assert invoke("init", "-o", str(target), "--no-input", "--name", "x", "--pack", "HOP-DPI")[0] == 2  # exists


def test_init_from_prompts(tmp_path: Path) -> None:
    target = tmp_path / "p.toml"
    # pack, name, editor, version, T0, parcours, trigger, profils, NIE, NIL, CNDA status, waves
    answers = "\n".join(["HOP-DPI", "DPI Interactif", "Éditeur", "", "", "", "", "IAM, Client lourd", "", "", "none",
                         ""]) + "\n"
    code, _, err = invoke("init", "-o", str(target), input=answers)
    assert code == 0, err
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["solution"] == {"name": "DPI Interactif", "editor": "Éditeur"}
    assert data["profils"]["declared"] == ["IAM", "Client lourd"]


def test_init_rejects_unknown_profil(tmp_path: Path) -> None:
    code, _, err = invoke("init", "-o", str(tmp_path / "p.toml"), "--no-input", "--name", "x", "--pack", "HOP-DPI",
                          "--profil", "Licorne")
    assert code == 2 and "Profil inconnu « Licorne »" in err
    assert not (tmp_path / "p.toml").exists()


@pytest.mark.parametrize(("what", "key"), [("profile", "referencement"), ("plan", "requirements"),
                                           ("pack", "exigences")])
def test_schema(what: str, key: str) -> None:
    code, out, _ = invoke("schema", what)
    schema = json.loads(out)
    assert code == 0 and schema["type"] == "object"
    assert key in schema["properties"]


def test_plan_includes_the_financing_file_pre_checks() -> None:
    code, out, _ = invoke("plan", str(ROOT / "examples" / "mdv-lgc-financement.toml"), "--today", "2025-11-10")
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert code == 0
    assert {"FINANCING_BDC_ZERO_AMOUNT", "FINANCING_DUPLICATE_BENEFICIARY", "FINANCING_SIRET_INVALID"} <= codes


def test_a_broken_financing_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "fin.toml").write_text('schema_version = 1\npack = "HOP-DPI"\n[[requests]]\nid = 3\n', encoding="utf-8")
    profile = tmp_path / "p.toml"
    profile.write_text('financing_file = "fin.toml"\n[solution]\nname = "x"\n[referencement]\npack = "HOP-DPI"\n',
                       encoding="utf-8")
    code, _, err = invoke("plan", str(profile))
    assert code == 2 and str(tmp_path / "fin.toml") in err and "requests" in err and "Traceback" not in err


def test_explain_a_solution_of_a_groupement() -> None:
    groupement = str(ROOT / "examples" / "hop-dpi-groupement.toml")
    code, out, _ = invoke("explain", groupement, "SC.SSI/IAM.80", "--solution", "DPI Court séjour", "--format", "json")
    assert code == 0 and json.loads(out)["applicable"] is True  # IAM declared for this solution only
    code, out, _ = invoke("explain", groupement, "SC.SSI/IAM.80", "--solution", "DPI Psychiatrie", "--format", "json")
    assert code == 0 and json.loads(out)["applicable"] is False
    code, _, err = invoke("explain", groupement, "SC.SSI/IAM.80", "--solution", "Inconnue")
    assert code == 2 and "Solution inconnue « Inconnue »" in err and "DPI Psychiatrie" in err


def test_schema_pack_documents_every_field_in_french() -> None:
    code, out, _ = invoke("schema", "pack")
    schema = json.loads(out)
    undocumented = [f"{name}.{key}" for name, model in [("Pack", schema), *schema["$defs"].items()]
                    for key, prop in model.get("properties", {}).items() if not prop.get("description")]
    assert code == 0 and undocumented == []
    defs = schema["$defs"]
    assert "Paramètres datés" in schema["properties"]["parameters"]["description"]
    assert "date d'effet" in defs["Parameter"]["properties"]["values"]["description"]
    assert "forme plate" in defs["Rule"]["properties"]["when"]["description"]


def test_explain_shows_the_vague_1_ids_and_accepts_them() -> None:
    example = str(ROOT / "examples" / "hop-dpi-client-lourd.toml")
    code, out, _ = invoke("explain", example, "SC.ANN/va1.01", "--today", "2026-12-02")
    assert code == 0 and "Identifiant Vague 1 : DPI.ANN.01" in out
    code, out, _ = invoke("explain", example, "DPI.ANN.01", "--today", "2026-12-02", "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["exigence_id"], data["vague1_ids"]) == ("SC.ANN/va1.01", ["DPI.ANN.01"])
    code, out, _ = invoke("explain", example, "SC.SSI/GEN.18", "--today", "2026-12-02", "--format", "json")
    assert json.loads(out)["vague1_ids"] == []


def test_plan_json_gives_every_requirement_its_vague_1_ids() -> None:
    code, out, _ = invoke("plan", str(ROOT / "examples" / "hop-dpi-client-lourd.toml"), "--today", "2026-12-02")
    reqs = {r["id"]: r for r in json.loads(out)["requirements"]}
    assert all(isinstance(r["vague1_ids"], list) for r in reqs.values())
    assert reqs["SC.ANN/va1.01"]["vague1_ids"] == ["DPI.ANN.01"] and reqs["SC.SSI/GEN.18"]["vague1_ids"] == []


def test_a_reader_that_stops_early_gets_no_error_message() -> None:
    """``segur-plan packs list | head -1``: the closed pipe ends the command quietly."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "segur_plan.cli.main", "packs", "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()  # as head does once it has its line
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert "Erreur" not in err and "Traceback" not in err
