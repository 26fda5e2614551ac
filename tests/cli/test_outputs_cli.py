"""What the commands write, and where: formats from the extension, stdout, the terminal summary,
and never a device, a pipe or a folder replaced (exit 2, French message, target untouched)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from segur_plan.cli import common
from segur_plan.cli.main import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hop-dpi-client-lourd.toml"
PLAIN = ROOT / "examples" / "hop-dpi-sans-cnda.toml"
TODAY = ("--today", "2025-03-01")


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    command = click.Command("segur-plan", callback=lambda: run(list(args)), add_help_option=False)
    result = CliRunner(env=env).invoke(command, [], input=input)
    return result.exit_code, result.stdout, result.stderr


def snapshot(path: Path) -> tuple[int, int, int, int]:
    info = os.lstat(path)
    return info.st_mode, info.st_ino, info.st_rdev, info.st_size


def specials(tmp_path: Path) -> dict[str, Path]:
    """A FIFO, a folder and (as root) a character device numbered like /dev/null, in tmp_path."""
    out = {"fifo": tmp_path / "tube.json", "folder": tmp_path / "dossier.html"}
    os.mkfifo(out["fifo"])
    out["folder"].mkdir()
    if os.geteuid() == 0:
        out["device"] = tmp_path / "null.md"
        os.mknod(out["device"], 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    return out


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
@pytest.mark.parametrize("fmt", [[], ["--format", "json"], ["--format", "html"]])
def test_plan_never_replaces_a_special_file(tmp_path: Path, kind: str, fmt: list[str]) -> None:
    targets = specials(tmp_path)
    if kind not in targets:
        pytest.skip("créer un périphérique (mknod) demande les droits root")
    target = targets[kind]
    before = snapshot(target)
    code, out, err = invoke("plan", str(EXAMPLE), *TODAY, *fmt, "-o", str(target))
    assert code == 2 and out == ""
    assert err.startswith("Erreur : ") and "rien n'a été écrit" in err and "Traceback" not in err
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets.values())


@pytest.mark.parametrize(("name", "check"), [
    ("r.html", lambda text: text.startswith("<!DOCTYPE html>")),
    ("r.md", lambda text: text.startswith("# Plan de conformité Ségur")),
    ("r.json", lambda text: json.loads(text)["today"] == "2025-03-01"),
    ("r.ics", lambda text: text.startswith("BEGIN:VCALENDAR")),
    ("r.txt", lambda text: text.startswith("Plan de conformité Ségur") and "\033[" not in text),
    ("R.HTML", lambda text: text.startswith("<!DOCTYPE html>")),
])
def test_the_format_follows_the_extension(tmp_path: Path, name: str, check) -> None:  # noqa: ANN001
    code, out, err = invoke("plan", str(EXAMPLE), *TODAY, "-o", str(tmp_path / name))
    assert code == 0 and out == "" and f"Écrit : {tmp_path / name}" in err
    assert check((tmp_path / name).read_text(encoding="utf-8"))


def test_format_option_wins_over_the_extension(tmp_path: Path) -> None:
    assert invoke("plan", str(EXAMPLE), *TODAY, "--format", "md", "-o", str(tmp_path / "r.html"))[0] == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("# Plan")


def test_an_unknown_extension_is_an_error(tmp_path: Path) -> None:
    code, _, err = invoke("plan", str(EXAMPLE), *TODAY, "-o", str(tmp_path / "r.htlm"))
    assert code == 2 and "extension « .htlm » inconnue" in err and "--format" in err
    assert not (tmp_path / "r.htlm").exists()


def test_dash_writes_to_stdout_and_creates_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("plan", str(EXAMPLE), *TODAY, "-o", "-")
    assert code == 0 and json.loads(out)["today"] == "2025-03-01" and "Écrit" not in err
    code, out, _ = invoke("plan", str(EXAMPLE), *TODAY, "--format", "md", "-o", "-")
    assert code == 0 and out.startswith("# Plan de conformité Ségur")
    assert list(tmp_path.iterdir()) == []


def test_json_when_piped_text_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = invoke("plan", str(EXAMPLE), *TODAY)
    assert code == 0 and json.loads(out)["schema_version"] == 1  # scripts rely on it
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    code, out, _ = invoke("plan", str(EXAMPLE), *TODAY)
    assert code == 0 and out.startswith("\033[1mPlan de conformité Ségur — DPI Exemple")
    code, out, _ = invoke("plan", str(EXAMPLE), *TODAY, env={"NO_COLOR": "1"})
    assert code == 0 and out.startswith("Plan de conformité Ségur") and "\033[" not in out


@pytest.mark.parametrize("profile", [EXAMPLE, PLAIN], ids=lambda p: p.stem)
def test_the_terminal_summary_fits_one_screen(profile: Path) -> None:
    code, out, _ = invoke("plan", str(profile), *TODAY, "--format", "text")
    plan = json.loads(invoke("plan", str(profile), *TODAY, "--format", "json")[1])
    lines = out.splitlines()
    assert code == 0 and len(lines) <= 40 and max(len(line) for line in lines) <= 100
    assert "\033[" not in out  # not a terminal: no colour
    s = plan["summary"]
    assert f"Exigences : {s['requirements']} applicables, {s['to_prove']} à prouver" in out
    assert f"Points bloquants : {s['blocking']} ; avertissements : {s['warnings']}" in out
    ready = [a for a in plan["actions"] if not a["blocked_by"]]
    assert f"Prochaines actions ({len(plan['actions'])}, dont {len(ready)} prête" in out
    assert plan["actions"][0]["label"][:40] in out
    upcoming = sorted((d for d in plan["deadlines"] if d["date"] and d["status"] != "passed"),
                      key=lambda d: (d["date"], d["id"]))
    assert upcoming and upcoming[0]["label"][:30] in out
    for finding in [f for f in plan["findings"] if f["level"] == "blocking"][:3]:
        assert finding["message"][:40] in out.replace("\n    ", " ")


def test_batch_refuses_a_fifo_as_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.toml").write_bytes(EXAMPLE.read_bytes())
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    code, _, err = invoke("batch", str(src), "-o", str(fifo), *TODAY)
    assert code == 2 and "n'est pas un dossier" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    code, _, err = invoke("batch", str(src), "-o", "-", *TODAY)
    assert code == 2 and "attend un dossier" in err


def test_batch_refuses_a_fifo_in_place_of_a_plan(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "a.toml").write_bytes(EXAMPLE.read_bytes())
    os.mkfifo(out / "a.json")
    code, _, err = invoke("batch", str(src), "-o", str(out), *TODAY, "--jobs", "1")
    assert code == 2 and "tube nommé" in err and stat.S_ISFIFO(os.lstat(out / "a.json").st_mode)


def test_proofs_export_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "suivi.xlsx"
    os.mkfifo(fifo)
    code, _, err = invoke("proofs", "export", str(EXAMPLE), "-o", str(fifo), *TODAY)
    assert code == 2 and "tube nommé" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_proofs_import_writes_through_a_linked_profile(tmp_path: Path) -> None:
    real = tmp_path / "vrai" / "profil.toml"
    real.parent.mkdir()
    real.write_bytes((ROOT / "examples" / "rad-drimbox-proxy.toml").read_bytes())  # a pack with preuves
    link = tmp_path / "profil.toml"
    link.symlink_to(real)
    workbook = tmp_path / "suivi.csv"
    assert invoke("proofs", "export", str(link), "-o", str(workbook), *TODAY)[0] == 0
    lines = workbook.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    first = next(row.split(";") for row in lines[1:] if row.split(";")[header.index("Preuve")])
    first[header.index("Statut")] = "Déposée"
    first[header.index("Date")] = "2025-02-01"
    workbook.write_text("\n".join([lines[0], ";".join(first)]) + "\n", encoding="utf-8-sig")
    code, out, err = invoke("proofs", "import", str(link), str(workbook))
    assert code == 0, err
    assert link.is_symlink() and 'status = "deposited"' in real.read_text(encoding="utf-8")


def test_init_refuses_a_fifo_and_prints_to_stdout(tmp_path: Path) -> None:
    fifo = tmp_path / "profil.toml"
    os.mkfifo(fifo)
    flags = ("--no-input", "--name", "x", "--pack", "HOP-DPI")
    code, _, err = invoke("init", "-o", str(fifo), "--force", *flags)
    assert code == 2 and "tube nommé" in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    code, out, _ = invoke("init", "-o", "-", *flags)
    assert code == 0 and 'name = "x"' in out and not (Path.cwd() / "-").exists()


def test_packs_new_refuses_a_fifo_as_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "ici"
    os.mkfifo(fifo)
    code, _, err = invoke("packs", "new", "mon-pack", "-d", str(fifo), *TODAY)
    assert code == 2 and "Traceback" not in err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert re.search(r"(n'est pas un dossier|dossier)", err)


def test_bench_refuses_a_device_before_measuring(tmp_path: Path) -> None:
    fifo = tmp_path / "resultats.json"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_plan.py"), "--only", "latency",
                           "--json", str(fifo)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "tube nommé" in done.stderr and stat.S_ISFIFO(os.lstat(fifo).st_mode)
