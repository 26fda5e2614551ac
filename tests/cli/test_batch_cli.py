"""``segur-plan batch`` as a user runs it: same files as ``plan``, French errors, summary, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli import batch as batch_module
from segur_plan.cli.batch import batch_cmd
from segur_plan.cli.common import CliGroup
from segur_plan.cli.plan import plan_cmd
from segur_plan.engine.render import RENDERERS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
TODAY = "2025-03-01"
SMALL = ["hop-pfi-plateau-technique", "ms-dui-ehpad"]


@click.group(cls=CliGroup)
def cli() -> None:
    """The commands under test, in a group like ``segur-plan``'s (registration is cli/main.py's)."""


cli.add_command(batch_cmd)
cli.add_command(plan_cmd)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def source(tmp_path: Path, names: list[str] | None = None) -> Path:
    src = tmp_path / "profils"
    src.mkdir(exist_ok=True)
    for path in EXAMPLES:
        if names is None or path.stem in names:
            shutil.copy(path, src / path.name)
    return src


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_batch_files_equal_plan_output(tmp_path: Path, fmt: str) -> None:
    """Every example, through worker processes, gives the bytes ``segur-plan plan -o`` gives."""
    if fmt not in RENDERERS:
        pytest.skip(f"moteur de rendu {fmt} absent")
    src = source(tmp_path)
    shutil.copytree(ROOT / "examples" / "financing", src / "financing")  # the files profiles point to
    code, out, err = invoke("batch", str(src), "-o", str(tmp_path / "lot"), "--today", TODAY, "--format", fmt,
                            "--jobs", "2", "--backend", "native")
    assert code == 0, err
    for path in EXAMPLES:
        produced = (tmp_path / "lot" / f"{path.stem}.{fmt}").read_bytes()
        single = tmp_path / "seul" / f"{path.stem}.{fmt}"
        assert invoke("plan", str(path), "--today", TODAY, "--format", fmt, "-o", str(single),
                      "--backend", "native")[0] == 0
        assert produced == single.read_bytes(), path.name


def test_one_bad_profile_is_reported_and_the_others_planned(tmp_path: Path) -> None:
    src = source(tmp_path, SMALL)
    (src / "a-casse.toml").write_text("[solution]\nname = 'x'\n[referencement]\npack = 3\n", encoding="utf-8")
    code, out, err = invoke("batch", str(src), "-o", str(tmp_path / "lot"), "--today", TODAY, "-j", "2")
    assert code == 2
    assert f"Erreur : Profil de solution invalide ({src / 'a-casse.toml'})" in err
    assert "  - referencement.pack : doit être une chaîne de caractères (reçu : 3)" in err
    assert "Traceback" not in err + out
    assert sorted(p.name for p in (tmp_path / "lot").iterdir()) == sorted(
        [f"{n}.json" for n in SMALL] + ["summary.json"])
    summary = json.loads((tmp_path / "lot" / "summary.json").read_text(encoding="utf-8"))
    assert [(r["file"], r["status"]) for r in summary["results"]] == [
        ("a-casse.toml", "error"), (f"{SMALL[0]}.toml", "ok"), (f"{SMALL[1]}.toml", "ok")]
    assert summary["results"][0]["error"]["problems"] == [
        {"loc": "referencement.pack", "message": "doit être une chaîne de caractères (reçu : 3)"}]


def test_summary_table_in_french(tmp_path: Path) -> None:
    src = source(tmp_path, SMALL)
    (src / "z-pack.toml").write_text("[solution]\nname = 'x'\n[referencement]\npack = 'NOPE'\n", encoding="utf-8")
    code, out, err = invoke("batch", str(src), "-o", str(tmp_path / "lot"), "--today", TODAY, "-j", "1")
    assert code == 2
    lines = out.splitlines()
    assert lines[0].split() == ["profil", "pack", "exigences", "à", "prouver", "bloquants", "état"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:] if line.strip() and "profils" not in line}
    assert rows["ms-dui-ehpad.toml"][0] == "MS-DUI" and rows["ms-dui-ehpad.toml"][-1] == "ok"
    assert int(rows["ms-dui-ehpad.toml"][3]) >= 1  # bloquants: MS-DUI without a NIE blocks
    assert rows["z-pack.toml"] == ["NOPE", "—", "—", "—", "erreur"]  # the pack asked for, not planned
    assert lines[-1] == "3 profils : 2 planifiés, 1 en erreur."
    assert "Pack inconnu « NOPE »" in err and f"Écrit : {tmp_path / 'lot' / 'summary.json'}" in err


def test_exit_0_when_all_planned_even_with_blocking_findings(tmp_path: Path) -> None:
    src = source(tmp_path, ["hop-dpi-sans-cnda"])
    code, out, _ = invoke("batch", str(src), "-o", str(tmp_path / "lot"), "--today", TODAY)
    assert code == 0
    assert "1 profil : 1 planifié, 0 en erreur." in out


def test_no_progress_bar_when_piped_and_one_on_a_terminal(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    src = source(tmp_path, SMALL[:1])
    _, _, err = invoke("batch", str(src), "-o", str(tmp_path / "a"), "--today", TODAY)
    assert "Planification" not in err
    monkeypatch.setattr(batch_module, "_interactive", lambda: True)
    _, _, err = invoke("batch", str(src), "-o", str(tmp_path / "b"), "--today", TODAY)
    assert "Planification" in err


def test_bad_folder_format_and_jobs_are_french_errors(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    code, _, err = invoke("batch", str(tmp_path / "absent"), "-o", str(tmp_path / "lot"))
    assert code == 2 and f"Erreur : Dossier introuvable : {tmp_path / 'absent'}" in err
    (tmp_path / "vide").mkdir()
    code, _, err = invoke("batch", str(tmp_path / "vide"), "-o", str(tmp_path / "lot"))
    assert code == 2 and "Aucun profil *.toml" in err
    src = source(tmp_path, SMALL[:1])
    monkeypatch.delitem(RENDERERS, "html")  # as in an installation without the HTML renderer
    code, _, err = invoke("batch", str(src), "-o", str(tmp_path / "lot"), "--format", "html")
    assert code == 2 and "Le format « html » n'est pas disponible" in err
    assert invoke("batch", str(src), "-o", str(tmp_path / "lot"), "--jobs", "0")[0] == 2


def test_help_documents_the_exit_codes() -> None:
    code, out, _ = invoke("batch", "--help")
    assert code == 0
    assert "0  tous les profils ont été planifiés" in out
    assert "2  au moins un profil est invalide" in out
    assert "--jobs" in out and "--recursive" in out and "json|md|html" in out


def test_registered_in_segur_plan() -> None:
    from segur_plan.cli.main import main

    if "batch" not in main.commands:
        pytest.skip("segur-plan batch n'est pas encore enregistré dans cli/main.py")
    assert main.commands["batch"] is batch_cmd
