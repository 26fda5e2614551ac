"""French wherever a user looks: click's frame and errors, syntax errors, BOM and CRLF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli.french import CATALOGUE, PLURALS
from segur_plan.cli.main import main, run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hop-dpi-client-lourd.toml"

#: click's own English, as it would show without the catalogue (and the type names of its help).
ENGLISH = re.compile(r"Usage:|Options:|Commands:|Show this message|Show the version|\[default:|\brequired\b|"
                     r"env var|\b(TEXT|INTEGER|FLOAT|PATH|FILE|DIRECTORY|BOOLEAN|COMMAND|ARGS|PROFILE)\b|"
                     r"Error:|Missing|No such|Invalid value|is not one of|does not exist|Try '")


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner().invoke(command, [], input=input)
    return result.exit_code, result.stdout, result.stderr


def every_command(command: click.Command = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            out += every_command(sub, (*path, name))
    return out


COMMANDS = every_command()


def test_every_command_and_group_is_tested() -> None:
    assert len(COMMANDS) >= 20 and ("packs", "import-rem") in COMMANDS and ("proofs", "export") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "segur-plan")
def test_help_has_no_english_click_text(path: tuple[str, ...]) -> None:
    code, out, err = invoke(*path, "--help")
    assert code == 0 and err == ""
    assert out.startswith("Utilisation : segur-plan")
    assert "Options :" in out and "Affiche cette aide et quitte." in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize(("args", "expected"), [
    (["plan"], "Erreur : Argument manquant « PROFIL »."),
    (["plan", "x.toml", "--bogus"], "Erreur : Option inconnue : « --bogus »."),
    (["plan", "x.toml", "--format", "pdf"], "« pdf » n'est pas parmi « json », « md », « html », « ics », « text »"),
    (["plan", "x.toml", "-o"], "Erreur : L'option « -o » attend une valeur."),
    (["batch", "x", "-o", "y", "--jobs", "0"], "n'est pas dans l'intervalle"),
    (["nope"], "Erreur : Commande inconnue : « nope »."),
    (["plan", "a", "b"], "Erreur : Argument en trop (b)"),
])
def test_usage_errors_are_french(args: list[str], expected: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2 and out == "" and expected in err and "Aide : segur-plan" in err
    assert not ENGLISH.search(err), err


def test_a_missing_rem_file_is_a_french_error() -> None:
    code, out, err = invoke("packs", "import-rem", "absent.xlsx", "--pack", "X")
    assert code == 2 and out == "" and "Fichier introuvable : absent.xlsx" in err
    assert not ENGLISH.search(err), err


def test_catalogue_keeps_click_placeholders() -> None:
    """A translation that lost a placeholder would crash click's .format()."""
    def fields(text: str) -> set[str]:
        return {m.split("!")[0] for m in re.findall(r"\{([^}]*)\}", text)} | set(re.findall(r"%\(\w+\)s", text))
    for english, french in CATALOGUE.items():
        assert fields(english) == fields(french), english
    for (one, many), (un, plusieurs) in PLURALS.items():
        assert fields(one) == fields(un) and fields(many) == fields(plusieurs), one


def test_a_toml_error_is_french_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "profil.toml"
    path.write_text('schema_version = 1\n[solution]\nname = DPI\n', encoding="utf-8")
    code, out, err = invoke("plan", str(path))
    assert code == 2 and out == ""
    assert err == f"Erreur : TOML mal formé dans {path} (ligne 3, colonne 8) : valeur invalide\n"


def test_a_json_financing_error_is_french_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "financement.json"
    path.write_text('{\n  "avances": [,]\n}\n', encoding="utf-8")
    code, _, err = invoke("financing", "check", str(path))
    assert code == 2 and "(ligne 2, colonne 15) : valeur attendue" in err and "Expecting" not in err


def test_bom_and_crlf_are_accepted_like_the_http_service(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, out, err = invoke("plan", str(path), "--today", "2025-03-01")
    expected = json.loads(invoke("plan", str(EXAMPLE), "--today", "2025-03-01")[1])
    assert code == 0, err
    assert json.loads(out)["requirements"] == expected["requirements"]
    from segur_plan.server.documents import decode

    assert decode("toml", path.read_bytes()) == decode("toml", EXAMPLE.read_bytes())


def test_prompts_are_french(tmp_path: Path) -> None:
    code, out, err = invoke("init", "-o", str(tmp_path / "p.toml"), input="HOP-DPI\n")
    assert "Pack (DSR)" in out and "Nom de la solution : " in out
    assert code == 130 and "Interrompu." in err and not ENGLISH.search(out + err)


def test_packs_list_writes_plurals_and_labels() -> None:
    code, out, _ = invoke("packs", "list")
    ms_dui = next(line for line in out.splitlines() if line.startswith("MS-DUI"))
    assert code == 0 and " 1 profil " in ms_dui and "brouillon" in ms_dui and "draft" not in out
    assert not re.search(r"\b[01] (profils|exigences)\b", out)
