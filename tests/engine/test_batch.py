"""The engine-side batch runner: file order, outputs equal to single plans, errors kept per profile."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from segur_plan.engine import batch
from segur_plan.engine.api import Engine
from segur_plan.engine.batch import (
    SUMMARY_NAME,
    BatchError,
    BatchTask,
    RendererUnavailableError,
    find_profiles,
    run_batch,
)
from segur_plan.engine.errors import BackendUnavailableError, DuplicatePackError, SegurPlanError
from segur_plan.engine.loading import load_profile
from segur_plan.engine.render import RENDERERS, render_json, render_markdown
from support import EXAMPLES, ROOT, TODAY, write_pack

SMALL = ["hop-pfi-plateau-technique", "ms-dui-ehpad", "pha-lgo-client-lourd"]  # fast to plan

BAD = {
    "casse.toml": "schema_version = 1\n[solution\nname = 'x'\n",  # malformed TOML
    "champ.toml": "[solution]\nname = 'x'\n[referencement]\npack = 3\n",  # wrong type
    "pack.toml": "[solution]\nname = 'x'\n[referencement]\npack = 'NOPE'\n",  # unknown pack
    "profil.toml": "[solution]\nname = 'x'\n[referencement]\npack = 'HOP-DPI'\n[profils]\ndeclared = ['Toaster']\n",
}


def copy_examples(target: Path, names: list[str] | None = None) -> Path:
    """Copy example profiles (all, or ``names``), with the financing files they point to."""
    target.mkdir(parents=True, exist_ok=True)
    for path in EXAMPLES:
        if names is None or path.stem in names:
            shutil.copy(path, target / path.name)
    if names is None:
        shutil.copytree(ROOT / "examples" / "financing", target / "financing")
    return target


def write_bad(target: Path) -> None:
    for name, text in BAD.items():
        (target / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def native(registry) -> Engine:  # noqa: ANN001
    return Engine(registry, backend="native")


# ---------------------------------------------------------------------------- discovery


def test_profiles_are_found_in_file_name_order(tmp_path: Path) -> None:
    for name in ["b.toml", "a.toml", "C.toml", "notes.txt", "sub/z.toml", "sub/deeper/y.toml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "dossier.toml").mkdir()  # a folder named like a profile is not one
    rel = [p.relative_to(tmp_path).as_posix() for p in find_profiles(tmp_path)]
    assert rel == ["C.toml", "a.toml", "b.toml"]
    rel = [p.relative_to(tmp_path).as_posix() for p in find_profiles(tmp_path, recursive=True)]
    assert rel == ["C.toml", "a.toml", "b.toml", "sub/deeper/y.toml", "sub/z.toml"]


def test_missing_or_empty_folders_are_refused_in_french(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="Dossier introuvable"):
        run_batch(tmp_path / "absent", tmp_path / "out", today=TODAY, jobs=1)
    (tmp_path / "fichier.toml").write_text("", encoding="utf-8")
    with pytest.raises(BatchError, match="n'est pas un dossier"):
        run_batch(tmp_path / "fichier.toml", tmp_path / "out", today=TODAY, jobs=1)
    (tmp_path / "vide").mkdir()
    with pytest.raises(BatchError, match=r"Aucun profil \*\.toml"):
        run_batch(tmp_path / "vide", tmp_path / "out", today=TODAY, jobs=1)
    copy_examples(tmp_path / "src", SMALL[:1])
    with pytest.raises(BatchError, match="sortie .* n.est pas un dossier : rien n.a été écrit"):
        run_batch(tmp_path / "src", tmp_path / "fichier.toml", today=TODAY, jobs=1)


# ---------------------------------------------------------------------------- in this process


def test_outputs_equal_single_plans_and_summary_is_in_file_order(tmp_path: Path, native: Engine) -> None:
    src = copy_examples(tmp_path / "src")
    write_bad(src)
    seen = []
    summary = run_batch(src, tmp_path / "out", today=TODAY, jobs=1, backend="native", on_result=seen.append)

    assert [r.file for r in summary.results] == sorted(p.name for p in src.glob("*.toml"))
    assert sorted(r.file for r in seen) == [r.file for r in summary.results]  # one call per profile
    assert len(summary.planned) == len(EXAMPLES) and len(summary.errors) == len(BAD)
    for path in EXAMPLES:
        expected = render_json(native.plan_file(src / path.name, today=TODAY))  # financing file included
        assert (tmp_path / "out" / f"{path.stem}.json").read_text(encoding="utf-8") == expected
    produced = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert produced == sorted([f"{p.stem}.json" for p in EXAMPLES] + [SUMMARY_NAME])

    data = json.loads((tmp_path / "out" / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert data["today"] == "2025-03-01" and data["format"] == "json" and data["backend"] == "native"
    assert data["totals"] == {"profiles": len(EXAMPLES) + len(BAD), "ok": len(EXAMPLES), "error": len(BAD)}
    row = next(r for r in data["results"] if r["file"] == "hop-dpi-sans-cnda.toml")
    plan = native.plan(load_profile(src / "hop-dpi-sans-cnda.toml"), today=TODAY)
    assert row == {"file": "hop-dpi-sans-cnda.toml", "status": "ok", "output": "hop-dpi-sans-cnda.json",
                   "pack": "HOP-DPI", "requirements": plan.summary.requirements,
                   "to_prove": plan.summary.to_prove, "blocking": plan.summary.blocking, "error": None}
    assert plan.summary.blocking > 0


def test_each_bad_profile_is_an_error_naming_the_file_and_the_field(tmp_path: Path) -> None:
    src = copy_examples(tmp_path / "src", SMALL[:1])
    write_bad(src)
    results = {r.file: r for r in run_batch(src, tmp_path / "out", today=TODAY, jobs=1).results}
    assert results[f"{SMALL[0]}.toml"].ok

    broken = results["casse.toml"]
    assert broken.status == "error" and broken.output is None
    assert "TOML mal formé" in broken.message and str(src / "casse.toml") in broken.message

    field = results["champ.toml"]
    assert [(p.loc, p.message) for p in field.problems] == [
        ("referencement.pack", "doit être une chaîne de caractères (reçu : 3)")]
    assert str(src / "champ.toml") in field.error_text()
    assert "  - referencement.pack : doit être une chaîne" in field.error_text()

    unknown = results["pack.toml"]
    assert unknown.pack == "NOPE" and "Pack inconnu « NOPE » (referencement.pack)" in unknown.message
    assert unknown.message.startswith(f"{src / 'pack.toml'} : ")

    profil = results["profil.toml"]
    assert profil.problems[0].loc == "profils.declared" and "Toaster" in profil.message
    for name in BAD:
        assert not (tmp_path / "out" / name.replace(".toml", ".json")).exists()


def test_markdown_outputs_and_recursive_folders(tmp_path: Path, native: Engine) -> None:
    src = copy_examples(tmp_path / "src", SMALL[:1])
    copy_examples(src / "sous-dossier", SMALL[1:2])
    flat = run_batch(src, tmp_path / "flat", today=TODAY, fmt="md", jobs=1)
    assert [r.file for r in flat.results] == [f"{SMALL[0]}.toml"]

    deep = run_batch(src, tmp_path / "deep", today=TODAY, fmt="md", jobs=1, recursive=True)
    assert [(r.file, r.output) for r in deep.results] == [
        (f"{SMALL[0]}.toml", f"{SMALL[0]}.md"), (f"sous-dossier/{SMALL[1]}.toml", f"sous-dossier/{SMALL[1]}.md")]
    expected = render_markdown(native.plan(load_profile(src / "sous-dossier" / f"{SMALL[1]}.toml"), today=TODAY))
    assert (tmp_path / "deep" / "sous-dossier" / f"{SMALL[1]}.md").read_text(encoding="utf-8") == expected


def test_an_error_in_the_financing_file_names_the_profile_too(tmp_path: Path) -> None:
    src = copy_examples(tmp_path / "src", ["mdv-lgc-financement"])
    result = run_batch(src, tmp_path / "out", today=TODAY, jobs=1).results[0]
    assert not result.ok and result.pack == "MDV-LGC"
    assert result.message.startswith(f"{src / 'mdv-lgc-financement.toml'} : ")
    assert "financing" in result.message  # the financing file it points to is absent here


def test_a_profile_named_summary_cannot_overwrite_the_summary(tmp_path: Path) -> None:
    src = copy_examples(tmp_path / "src", SMALL[:1])
    shutil.copy(src / f"{SMALL[0]}.toml", src / "summary.toml")
    summary = run_batch(src, tmp_path / "out", today=TODAY, jobs=1)
    bad = next(r for r in summary.results if r.file == "summary.toml")
    assert not bad.ok and "nom réservé" in bad.message
    assert json.loads((tmp_path / "out" / SUMMARY_NAME).read_text(encoding="utf-8"))["schema_version"] == 1
    # in markdown there is no clash
    assert all(r.ok for r in run_batch(src, tmp_path / "md", today=TODAY, fmt="md", jobs=1).results)


def test_an_engine_bug_on_one_profile_does_not_stop_the_others(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    src = copy_examples(tmp_path / "src", SMALL)
    real = batch.plan_file

    def flaky(engine: Engine, task: BatchTask):  # noqa: ANN202
        if task.rel.startswith("ms-dui"):
            raise ZeroDivisionError("division by zero")
        return real(engine, task)

    monkeypatch.setattr(batch, "plan_file", flaky)
    results = run_batch(src, tmp_path / "out", today=TODAY, jobs=1).results
    assert [r.ok for r in results] == [True, False, True]
    assert "erreur interne (ZeroDivisionError" in results[1].message


# ---------------------------------------------------------------------------- formats and backends


def test_an_absent_html_renderer_is_a_french_error(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delitem(RENDERERS, "html")  # as in an installation without the HTML renderer
    copy_examples(tmp_path / "src", SMALL[:1])
    with pytest.raises(RendererUnavailableError, match="Le format « html » n'est pas disponible") as info:
        run_batch(tmp_path / "src", tmp_path / "out", today=TODAY, fmt="html", jobs=1)
    assert isinstance(info.value, SegurPlanError)
    assert not (tmp_path / "out").exists()  # refused before anything is written
    with pytest.raises(RendererUnavailableError, match="formats possibles"):
        batch.renderer("pdf")


def test_html_outputs_when_the_renderer_is_installed(tmp_path: Path, native: Engine) -> None:
    if "html" not in RENDERERS:
        pytest.skip("moteur de rendu HTML absent")
    copy_examples(tmp_path / "src", SMALL[:1])
    run_batch(tmp_path / "src", tmp_path / "out", today=TODAY, fmt="html", jobs=1, backend="native")
    expected = RENDERERS["html"](native.plan(load_profile(EXAMPLES[0].with_name(f"{SMALL[0]}.toml")), today=TODAY))
    assert (tmp_path / "out" / f"{SMALL[0]}.html").read_text(encoding="utf-8") == expected


def test_an_unavailable_backend_is_refused_before_planning(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(batch.durable_backend, "available", lambda: False)
    copy_examples(tmp_path / "src", SMALL[:1])
    with pytest.raises(BackendUnavailableError, match="indisponible"):
        run_batch(tmp_path / "src", tmp_path / "out", today=TODAY, jobs=1, backend="durable")


def test_a_worker_whose_engine_cannot_start_reports_it_on_each_profile(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    def broken(**_: object) -> Engine:
        raise DuplicatePackError("HOP-DPI", ["a", "b"])

    monkeypatch.setattr(batch, "Engine", broken)
    batch.init_worker("native")
    task = batch.make_tasks(copy_examples(tmp_path / "src", SMALL[:1]), tmp_path / "out", today=TODAY)[0]
    result = batch.worker_plan(task)
    assert not result.ok and "fourni deux fois" in result.message


# ---------------------------------------------------------------------------- worker processes


@pytest.mark.slow
def test_processes_give_the_same_files_and_summary_as_one_process(tmp_path: Path) -> None:
    src = copy_examples(tmp_path / "src")
    write_bad(src)
    one = run_batch(src, tmp_path / "one", today=TODAY, jobs=1, backend="native")
    many = run_batch(src, tmp_path / "many", today=TODAY, jobs=2, backend="native")
    assert one.to_json() == many.to_json()
    for name in sorted(p.name for p in (tmp_path / "one").iterdir()):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes(), name



@pytest.mark.slow
def test_workers_see_the_local_packs_named_when_the_batch_runs(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers fork from a forkserver that keeps the environment of its start (an earlier
    batch of the process): SEGUR_PLAN_PACKS_PATH set since must still reach them."""
    src = copy_examples(tmp_path / "src", SMALL[:2])
    run_batch(src, tmp_path / "first", today=TODAY, jobs=2, backend="native")  # the forkserver starts
    monkeypatch.setenv("SEGUR_PLAN_PACKS_PATH", str(write_pack(tmp_path / "packs" / "local", "PACK-LOCAL")))
    for n in range(2):
        (src / f"local-{n}.toml").write_text(
            f'[solution]\nname = "Locale {n}"\n[referencement]\npack = "PACK-LOCAL"\n', encoding="utf-8")
    summary = run_batch(src, tmp_path / "second", today=TODAY, jobs=2, backend="native")
    assert {r.file: r.pack for r in summary.results if r.file.startswith("local-")} == \
        {"local-0.toml": "PACK-LOCAL", "local-1.toml": "PACK-LOCAL"}
    assert all(r.ok for r in summary.results), [r.message for r in summary.results if not r.ok]

@pytest.mark.parametrize(("count", "workers"), [(1, 2), (7, 2), (200, 2), (1000, 8), (3, 16)])
def test_profiles_go_to_the_workers_in_order_in_shrinking_groups(count: int, workers: int) -> None:
    """Every profile once, in file order; groups of at most 8 that never grow, the last ones
    single profiles (the workers finish together)."""
    tasks = [batch.BatchTask(Path(f"{n:04d}.toml"), f"{n:04d}.toml", Path(f"{n:04d}.json"), f"{n:04d}.json",
                             TODAY, "json") for n in range(count)]
    groups = batch.chunks(tasks, workers)
    assert [t for group in groups for t in group] == tasks
    sizes = [len(group) for group in groups]
    assert max(sizes) <= 8 and sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
