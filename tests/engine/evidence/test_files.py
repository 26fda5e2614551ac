"""Pre-deposit checks of proof files (issue 5): format by content, size, place, ID, duplicates.

The fixture folders are built in ``tmp_path``. Kinds that the built-in packs lack (compte-rendu,
a log with its 1 Mo limit next to other kinds) come from a small pack registered by program.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import threading
import tracemalloc
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.evidence import check_proofs, count_files, render_text
from segur_plan.engine.evidence import files as files_module
from segur_plan.engine.evidence.formats import HEAD_BYTES
from segur_plan.engine.hookspecs import hookimpl
from segur_plan.engine.loading import parse_profile
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.registry import PackRegistry

TODAY = dt.date(2026, 1, 10)
REVIEWED = "2026-01-01"


def _fmt(kinds: list[str], formats: list[str], max_bytes: int) -> dict:
    return {"kinds": kinds, "label": ", ".join(kinds), "formats": formats, "max_bytes": max_bytes,
            "source": {"ref": "s"}, "reviewed": REVIEWED}


def _exigence(ex_id: str, *proofs: tuple[str, str], profils: tuple[str, ...] = ("general",)) -> dict:
    scenario = f"{ex_id}.01"
    return {"id": ex_id, "label": f"Exigence {ex_id}", "nature": "exigence", "perimetre": "vague-2",
            "profils": list(profils), "source": {"ref": "s"}, "reviewed": REVIEWED,
            "scenarios": [{"id": scenario, "preuves": [{"id": f"{scenario}.{n}", "label": label, "kind": kind}
                                                       for n, (label, kind) in enumerate(proofs, start=1)
                                                       for n in [f"{n:02d}"]]}] if proofs else []}


def evidence_pack() -> Pack:
    """A pack with one exigence per kind of limit (seed 002 table), and one without scénario."""
    return Pack.model_validate({
        "id": "PREUVES-TEST", "title": "Pack de test des preuves", "version": "1.0.0", "released": REVIEWED,
        "coverage": "test", "reviewed": REVIEWED, "sources": {"s": {"title": "Source de test"}},
        "profils": [{"id": "general", "label": "Général", "general": True, "source": {"ref": "s"},
                     "reviewed": REVIEWED},
                    {"id": "option", "label": "Option", "source": {"ref": "s"}, "reviewed": REVIEWED}],
        "proof_formats": [_fmt(["video", "capture"], ["PNG", "JPEG", "JPG", "MP4", "MOV", "AVI", "FLV"], 50_000_000),
                          _fmt(["fichier", "log"], ["*"], 1_000_000),
                          _fmt(["compte-rendu"], ["PDF"], 10_000_000),
                          _fmt(["document", "rapport"], ["*"], 1_000_000)],
        "exigences": [
            _exigence("SC.TST/LOG.01", ("Journal technique", "log")),
            _exigence("TST.CR.02", ("Compte-rendu d'imagerie", "compte-rendu")),
            _exigence("TST.VID.03", ("Vidéo", "video"), ("Capture d'écran", "capture")),
            _exigence("TST.OPT.04", ("Attestation", "document"), profils=("option",)),
            _exigence("TST.NOSC.05"),
        ],
    })


def plugin(pack: Pack) -> SimpleNamespace:
    @hookimpl
    def segur_plan_packs() -> list:
        return [pack]

    return SimpleNamespace(__name__="preuves-test", segur_plan_packs=segur_plan_packs)


@pytest.fixture(scope="module")
def test_engine() -> Engine:
    return Engine(PackRegistry.discover([plugin(evidence_pack())], entry_points=False), backend="native")


def make_profile(**extra: object) -> object:
    return parse_profile({"solution": {"name": "Solution test"}, "referencement": {"pack": "PREUVES-TEST"}} | extra)


def run_check(engine: Engine, folder: Path, profile: object | None = None, **kwargs: object):  # noqa: ANN201
    profile = profile or make_profile()
    plan = engine.plan(profile, today=TODAY)
    return check_proofs(plan, profile, root=folder, **kwargs)


def by_path(report) -> dict:  # noqa: ANN001
    return {f.path: f for f in report.files}


def codes(check) -> set[str]:  # noqa: ANN001
    return {p.code for p in check.problems}


def write_mp4(path: Path, size: int) -> None:
    """A real MP4 start (an ``ftyp`` box, brand isom), then zeros: a sparse file of ``size`` bytes."""
    body = b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41"
    with path.open("wb") as out:
        out.write(struct.pack(">I", 8 + len(body)) + b"ftyp" + body)
        out.write(struct.pack(">I", 8) + b"free")
        out.truncate(size)


def write_pdf(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
        out.truncate(size)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


# ------------------------------------------------------------------------------ acceptance


def test_acceptance_folder(test_engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "preuves"
    folder.mkdir()
    (folder / "SC.TST_LOG.01.01.01.log").write_bytes(b"2026-01-05 INFO requete DMP\n" * 71_429)  # > 2 Mo
    os.truncate(folder / "SC.TST_LOG.01.01.01.log", 2_000_000)
    write_mp4(folder / "TST.VID.03.01.01--demo.mp4", 40_000_000)
    write_pdf(folder / "TST.CR.02.01.01.pdf", 11_000_000)
    (folder / "TST.VID.03.01.02.png").write_text("ceci n'est pas une image\n", encoding="utf-8")
    (folder / "ZZZ.99.01.01.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "TST.OPT.04.01.01.pdf").write_bytes(b"%PDF-1.4\n")  # profil « option » not declared
    (folder / "notes de réunion.txt").write_text("rien à voir", encoding="utf-8")

    report = run_check(test_engine, folder)
    files = by_path(report)

    log = files["SC.TST_LOG.01.01.01.log"]
    assert log.proof == "SC.TST/LOG.01.01.01" and log.kind == "log" and log.size == 2_000_000
    assert log.status == "refused" and codes(log) == {"too-big"}
    assert "trop volumineux : 2 000 000 octets pour 1 000 000 au plus" in log.problems[0].message

    video = files["TST.VID.03.01.01--demo.mp4"]
    assert (video.status, video.detected, video.size, video.problems) == ("ok", "MP4", 40_000_000, [])

    report_pdf = files["TST.CR.02.01.01.pdf"]
    assert report_pdf.kind == "compte-rendu" and report_pdf.detected == "PDF"
    assert report_pdf.status == "refused" and codes(report_pdf) == {"too-big"}
    assert "10 Mo" in report_pdf.problems[0].message

    fake_png = files["TST.VID.03.01.02.png"]
    assert fake_png.status == "refused" and codes(fake_png) == {"wrong-format"}
    assert fake_png.problems[0].message == "n'est pas un PNG (contenu : texte)"

    for name in ("ZZZ.99.01.01.pdf", "TST.OPT.04.01.01.pdf"):
        assert files[name].status == "refused" and codes(files[name]) == {"unknown-proof"}, name
    assert "notes de réunion.txt" not in files and report.ignored == 1
    assert report.refused
    assert report.counts() == {"checked": 6, "ok": 1, "warning": 0, "refused": 5, "ignored": 1}


def test_pdf_under_the_limit_and_log_under_1_mo_are_accepted(test_engine: Engine, tmp_path: Path) -> None:
    write_pdf(tmp_path / "TST.CR.02.01.01.pdf", 10_000_000)  # exactly 10 Mo: accepted
    (tmp_path / "tst.tst_log.01.01.01__serveur.txt").write_bytes(b"x" * 1_000_000)  # case and prefix free
    files = by_path(run_check(test_engine, tmp_path))
    assert files["TST.CR.02.01.01.pdf"].status == "ok"
    assert files["tst.tst_log.01.01.01__serveur.txt"].proof == "SC.TST/LOG.01.01.01"
    assert files["tst.tst_log.01.01.01__serveur.txt"].status == "ok"


def test_compte_rendu_must_be_a_pdf_by_content_and_by_extension(test_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "TST.CR.02.01.01.pdf").write_bytes(PNG)
    report = by_path(run_check(test_engine, tmp_path))["TST.CR.02.01.01.pdf"]
    assert report.status == "refused" and report.problems[0].message == "n'est pas un PDF (contenu : PNG)"
    (tmp_path / "TST.CR.02.01.01.pdf").unlink()
    (tmp_path / "TST.CR.02.01.01.bin").write_bytes(b"%PDF-1.4\n")
    report = by_path(run_check(test_engine, tmp_path))["TST.CR.02.01.01.bin"]
    assert codes(report) == {"wrong-extension"} and "renommez le fichier en .pdf" in report.problems[0].message


def test_extension_and_content_disagree_but_both_are_accepted(test_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "TST.VID.03.01.02.jpg").write_bytes(PNG)
    check = by_path(run_check(test_engine, tmp_path))["TST.VID.03.01.02.jpg"]
    assert check.status == "warning" and codes(check) == {"extension-mismatch"}


def test_any_format_kind_accepts_anything_readable(test_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "SC.TST_LOG.01.01.01.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert by_path(run_check(test_engine, tmp_path))["SC.TST_LOG.01.01.01.zip"].status == "ok"


def test_empty_file_is_refused(test_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "TST.VID.03.01.01.mp4").touch()
    check = by_path(run_check(test_engine, tmp_path))["TST.VID.03.01.01.mp4"]
    assert check.status == "refused" and codes(check) == {"empty"}


def test_not_in_catalogue_is_a_warning_unknown_is_refused(test_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "TST.NOSC.05.01.01.pdf").write_bytes(b"%PDF-1.4\n")  # exigence applies, no scénario known
    (tmp_path / "TST.VID.03.pdf").write_bytes(b"%PDF-1.4\n")  # the exigence itself, not a proof
    (tmp_path / "QQ.01.01.01.pdf").write_bytes(b"%PDF-1.4\n")
    files = by_path(run_check(test_engine, tmp_path))
    nested = files["TST.NOSC.05.01.01.pdf"]
    assert nested.status == "warning" and codes(nested) == {"not-in-catalogue"}
    assert nested.proof == "TST.NOSC.05.01.01" and "TST.NOSC.05" in nested.problems[0].message
    assert codes(files["TST.VID.03.pdf"]) == {"not-a-proof"} and files["TST.VID.03.pdf"].status == "warning"
    assert files["QQ.01.01.01.pdf"].status == "refused"


def test_duplicates_are_reported_once_per_file(test_engine: Engine, tmp_path: Path) -> None:
    write_mp4(tmp_path / "TST.VID.03.01.01.mp4", 1000)
    write_mp4(tmp_path / "TST.VID.03.01.01--v2.mp4", 1000)
    files = by_path(run_check(test_engine, tmp_path))
    for name in ("TST.VID.03.01.01.mp4", "TST.VID.03.01.01--v2.mp4"):
        assert files[name].status == "warning" and codes(files[name]) == {"duplicate"}
        assert "doublon : 2 fichiers pour la preuve TST.VID.03.01.01" in files[name].problems[0].message


def test_profile_files_are_resolved_against_the_folder(test_engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "sous").mkdir()
    write_mp4(tmp_path / "sous" / "ma-video.mp4", 5000)
    outside = tmp_path.parent / f"{tmp_path.name}-dehors.pdf"
    outside.write_bytes(b"%PDF-1.4\n")
    profile = make_profile(proofs=[
        {"id": "TST.VID.03.01.01", "status": "collected", "file": "sous/ma-video.mp4"},
        {"id": "TST.CR.02.01.01", "status": "collected", "file": f"../{outside.name}"},
        {"id": "SC.TST/LOG.01.01.01", "status": "collected", "file": "absent.log"},
    ])
    report = run_check(test_engine, tmp_path, profile)
    files = by_path(report)
    assert files["sous/ma-video.mp4"].status == "ok" and files["sous/ma-video.mp4"].source == "profil+dossier"
    assert report.ignored == 0  # a file the profile names is not « ignored », whatever its name
    assert codes(files[f"../{outside.name}"]) == {"outside-dir"}
    assert codes(files["absent.log"]) == {"missing"}
    # a file both in the profile and named by the convention is checked once
    write_mp4(tmp_path / "TST.VID.03.01.02.mp4", 5000)
    profile = make_profile(proofs=[{"id": "TST.VID.03.01.02", "file": "TST.VID.03.01.02.mp4"}])
    report = run_check(test_engine, tmp_path, profile)
    same = [f for f in report.files if f.proof == "TST.VID.03.01.02"]
    assert len(same) == 1 and same[0].source == "profil+dossier"


def test_only_the_record_in_force_names_the_file(test_engine: Engine, tmp_path: Path) -> None:
    write_mp4(tmp_path / "v2.mp4", 5000)
    profile = make_profile(proofs=[{"id": "TST.VID.03.01.01", "status": "rejected", "file": "v1.mp4"},
                                   {"id": "TST.VID.03.01.01", "status": "collected", "file": "v2.mp4"}])
    report = run_check(test_engine, tmp_path, profile, scan=False)
    assert [(f.path, f.status) for f in report.files] == [("v2.mp4", "ok")]


def test_a_profile_file_named_for_another_proof_is_flagged(test_engine: Engine, tmp_path: Path) -> None:
    write_mp4(tmp_path / "TST.VID.03.01.02.mp4", 5000)
    profile = make_profile(proofs=[{"id": "TST.VID.03.01.01", "file": "TST.VID.03.01.02.mp4"}])
    report = run_check(test_engine, tmp_path, profile, scan=False)
    (check,) = report.files
    assert check.proof == "TST.VID.03.01.01" and codes(check) == {"id-mismatch"}


def test_missing_proofs_are_listed(test_engine: Engine, tmp_path: Path) -> None:
    write_mp4(tmp_path / "TST.VID.03.01.01.mp4", 5000)
    report = run_check(test_engine, tmp_path)
    assert report.expected == 4  # log, compte-rendu, vidéo, capture (TST.OPT.04 does not apply)
    assert [p for p, _ in report.missing] == ["SC.TST/LOG.01.01.01", "TST.CR.02.01.01", "TST.VID.03.01.02"]
    text = render_text(report)
    assert "Sans fichier (3) : SC.TST/LOG.01.01.01, TST.CR.02.01.01, TST.VID.03.01.02" in text
    assert text.startswith("OK        TST.VID.03.01.01.mp4 → TST.VID.03.01.01 (vidéo, 5 000 octets, contenu MP4)")


def test_report_is_sorted_and_deterministic(test_engine: Engine, tmp_path: Path) -> None:
    for name in ("TST.VID.03.01.02.png", "SC.TST_LOG.01.01.01.log", "b/TST.CR.02.01.01.pdf", "ZZ.01.01.01.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(PNG if name.endswith(".png") else b"%PDF-1.4\n")
    first = run_check(test_engine, tmp_path).as_dict()
    assert [f["path"] for f in first["files"]] == sorted(f["path"] for f in first["files"])
    assert first == run_check(test_engine, tmp_path).as_dict()
    assert set(first["files"][0]) == {"path", "proof", "kind", "size", "detected", "status", "source", "solution",
                                      "problems"}


# ------------------------------------------------------------------------------ links, never read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés indisponibles")
def test_a_link_leaving_the_folder_is_refused_and_its_target_never_opened(
        test_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, outside = tmp_path / "preuves", tmp_path / "ailleurs"
    folder.mkdir()
    outside.mkdir()
    fifo = outside / "tube"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    secret = outside / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4\n")
    secret.chmod(0)
    (folder / "TST.VID.03.01.01.mp4").symlink_to(fifo)
    (folder / "TST.CR.02.01.01.pdf").symlink_to(secret)
    (folder / "SC.TST_LOG.01.01.01.log").symlink_to(outside / "nulle-part.log")  # dangling
    write_mp4(folder / "interne.mp4", 2000)
    (folder / "TST.VID.03.01.02.mp4").symlink_to("interne.mp4")  # a link that stays inside is fine

    opened: list[str] = []
    real_open, real_builtin_open = os.open, open

    def spy_open(path: object, *args: object, **kwargs: object) -> int:
        opened.append(os.fspath(path))  # type: ignore[arg-type]
        if str(outside) in os.fspath(path):  # type: ignore[arg-type]
            raise AssertionError(f"cible hors du dossier ouverte : {path}")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def spy_builtin_open(path: object, *args: object, **kwargs: object) -> object:
        if isinstance(path, str | Path) and str(outside) in str(path):
            raise AssertionError(f"cible hors du dossier ouverte : {path}")
        return real_builtin_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(files_module.os, "open", spy_open)
    monkeypatch.setattr("builtins.open", spy_builtin_open)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(run_check(test_engine, folder)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "la vérification bloque sur la cible du lien"
    files = by_path(result[0])
    for name in ("TST.VID.03.01.01.mp4", "TST.CR.02.01.01.pdf", "SC.TST_LOG.01.01.01.log"):
        assert files[name].status == "refused" and codes(files[name]) == {"symlink-outside"}, name
        assert "refusé sans être lu" in files[name].problems[0].message
        assert files[name].size is None and files[name].detected is None
    assert files["TST.VID.03.01.02.mp4"].status == "ok" and files["TST.VID.03.01.02.mp4"].detected == "MP4"
    assert opened and not any(str(outside) in p for p in opened)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés indisponibles")
def test_special_files_inside_the_folder_are_refused_without_blocking(test_engine: Engine, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "TST.VID.03.01.01.mp4")
    (tmp_path / "TST.CR.02.01.01.pdf").mkdir()  # a folder named like a proof: descended, nothing in it
    (tmp_path / "TST.VID.03.01.02.png").symlink_to(tmp_path / "TST.CR.02.01.01.pdf")  # a link to a folder
    files = by_path(run_check(test_engine, tmp_path))
    assert codes(files["TST.VID.03.01.01.mp4"]) == {"not-regular"}
    assert "tube nommé" in files["TST.VID.03.01.01.mp4"].problems[0].message
    assert codes(files["TST.VID.03.01.02.png"]) == {"not-regular"}


def test_only_the_first_bytes_are_read(test_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_mp4(tmp_path / "TST.VID.03.01.01.mp4", 40_000_000)
    asked: list[int] = []
    real_read = os.read

    def spy_read(fd: int, n: int) -> bytes:
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(files_module.os, "read", spy_read)
    assert by_path(run_check(test_engine, tmp_path))["TST.VID.03.01.01.mp4"].status == "ok"
    assert asked and sum(asked) <= HEAD_BYTES


# ------------------------------------------------------------------------------ 10,000 files


def _touch_many(folder: Path, names: Iterable[str]) -> None:
    folder.mkdir(exist_ok=True)
    base = str(folder)
    for name in names:
        os.close(os.open(os.path.join(base, name), os.O_CREAT | os.O_WRONLY, 0o644))


def _peak(engine: Engine, folder: Path) -> tuple[object, int]:
    profile = make_profile()
    plan = engine.plan(profile, today=TODAY)
    check_proofs(plan, profile, root=folder, scan=False)  # imports and caches warmed up
    tracemalloc.start()
    try:
        report = check_proofs(plan, profile, root=folder)
        return report, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_ten_thousand_files_in_bounded_memory(test_engine: Engine, tmp_path: Path) -> None:
    """10,000 files named for proofs (the worst case: each is opened, sniffed and reported) and
    5,000 files named for nothing (only counted): the peak stays a few Mo, and files that are
    not proofs cost no memory at all (their speed is the benchmark's business, not a test's)."""
    _touch_many(tmp_path / "preuves", (f"TST.VID.03.01.01--{i:05d}.mp4" for i in range(5_000)))
    _touch_many(tmp_path / "preuves", (f"ZZ.{i:05d}.01.01.log" for i in range(5_000)))
    _touch_many(tmp_path / "autres", (f"capture {i:05d}.png" for i in range(5_000)))
    assert count_files(tmp_path / "preuves") == 10_000

    report, peak = _peak(test_engine, tmp_path / "preuves")
    assert report.counts() == {"checked": 10_000, "ok": 0, "warning": 0, "refused": 10_000, "ignored": 0}
    assert peak < 6_000_000, f"pic mémoire {peak} octets pour 10 000 fichiers de preuve"
    duplicates = {id(p) for f in report.files for p in f.problems if p.code == "duplicate"}
    assert len(duplicates) == 1  # one shared message, not 5,000 lists of 4,999 names

    report, peak = _peak(test_engine, tmp_path / "autres")
    assert report.counts()["ignored"] == 5_000 and report.files == []
    assert peak < 500_000, f"pic mémoire {peak} octets pour 5 000 fichiers ignorés"
