"""The tracking workbook (issue 5): export, reading back, and updating the profile's [[proofs]]."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from segur_plan.engine.api import Engine
from segur_plan.engine.errors import InputError, ProfileError
from segur_plan.engine.evidence import export_rows, export_workbook, import_workbook, read_workbook
from segur_plan.engine.evidence.workbook import parse_status
from segur_plan.engine.loading import load_profile

TODAY = dt.date(2026, 1, 10)
VIDEO, LOG, VIDEO2 = "SC.DMP/AIRS.06.01.01", "SC.DMP/AIRS.06.01.02", "SC.DMP/AIRS.06.01.03"

PROFILE = """\
# Profil DRIMbox : commentaire d'en-tête.
schema_version = 1

[solution]
name = "DRIMbox Exemple"   # nom commercial
editor = "Imagerie Partagée SAS"

[referencement]
pack = "RAD-DRIMBOX"
# la date de l'arrêté viendra plus tard

[profils]
declared = ["DRIMbox Proxy"]  # mode proxy

[[proofs]]
id = "SC.DMP/AIRS.06.01.01"  # la vidéo principale
status = "collected"
file = "videos/airs-06.mp4"
# commentaire sous la preuve

[[proofs]]
id = "SC.DMP/AIRS.06.01.99"  # absente du catalogue
status = "deposited"
date = 2025-12-01

# Prérequis CNDA
[prerequisites]
cnda_nie = "NIE-0501"
cnda_nil = "NIL-0501"
cnda_request_status = "pre-examen"

[journey]
done = ["compte-isc"]   # fin
"""


def write_profile(tmp_path: Path, text: str = PROFILE) -> Path:
    path = tmp_path / "profil.toml"
    path.write_text(text, encoding="utf-8")
    return path


def export(engine: Engine, profile_path: Path, target: Path) -> int:
    profile = load_profile(profile_path)
    return export_workbook(engine.plan(profile, today=TODAY), profile, target)


def without_proofs(text: str) -> str:
    """The text without its [[proofs]] tables (from a [[proofs]] header to the next other header)."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("[[proofs]]"):
            inside = True
        elif line.startswith("["):
            inside = False
        if not inside:
            out.append(line)
    return "\n".join(out)


def edit_xlsx(path: Path, changes: dict[str, dict[str, object]], solution: str | None = None) -> None:
    """Set cells by header name on the rows of the given proofs."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Preuves"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        values = dict(zip(headers, row, strict=False))
        if values["Preuve"].value in changes and (solution is None or values["Solution"].value == solution):
            for header, value in changes[values["Preuve"].value].items():
                values[header].value = value
    wb.save(path)


# ------------------------------------------------------------------------------ export


def test_rows_cover_catalogue_records_and_requirements_without_proofs(native_engine: Engine, tmp_path: Path) -> None:
    profile = load_profile(write_profile(tmp_path))
    plan = native_engine.plan(profile, today=TODAY)
    rows = export_rows(plan, profile)
    by_proof = {r.proof: r for r in rows if r.proof}
    catalogued = {p.id for r in plan.requirements for s in r.scenarios for p in s.proofs}
    assert len(catalogued) > 35 and set(by_proof) == catalogued | {"SC.DMP/AIRS.06.01.99"}  # + the recorded one
    video = by_proof[VIDEO]
    assert (video.requirement, video.scenario, video.kind, video.max_bytes) == ("SC.DMP/AIRS.06", "SC.DMP/AIRS.06.01",
                                                                               "vidéo", 50_000_000)
    assert video.formats == "PNG, JPEG, JPG, MP4, MOV, AVI, FLV" and video.status == "collected"
    assert video.file == "videos/airs-06.mp4" and video.due == dt.date(2026, 5, 13)  # dossier complet (published)
    assert by_proof[LOG].formats == "Tous formats" and by_proof[LOG].status == "todo"
    extra = by_proof["SC.DMP/AIRS.06.01.99"]
    assert (extra.requirement, extra.scenario, extra.status, extra.date) == ("SC.DMP/AIRS.06", "SC.DMP/AIRS.06.01",
                                                                             "deposited", dt.date(2025, 12, 1))
    without = [r for r in rows if r.proof is None]
    to_prove = {r.id for r in plan.requirements if r.to_prove and not any(s.proofs for s in r.scenarios)}
    assert {r.requirement for r in without} == to_prove and all(r.status == "todo" for r in without)


def test_xlsx_layout_and_determinism(native_engine: Engine, tmp_path: Path) -> None:
    profile_path = write_profile(tmp_path)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    count = export(native_engine, profile_path, first)
    export(native_engine, profile_path, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 10, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-01-10T00:00:00Z" in core and str(dt.date.today().year + 1) not in core
    wb = openpyxl.load_workbook(first)
    assert wb.sheetnames == ["Preuves"]
    ws = wb["Preuves"]
    headers = [c.value for c in ws[1]]
    assert headers == ["Exigence", "Chapitre", "Profil", "Scénario", "Preuve", "Type", "Formats acceptés",
                       "Taille max (octets)", "Statut", "Fichier", "Date", "Échéance", "Statut exigence", "Note"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:N{count + 1}" and ws.max_row == count + 1
    assert all(ws.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLMN")
    assert ws[1][0].font.bold
    (validation,) = ws.data_validations.dataValidation
    assert "Déposée" in validation.formula1 and str(validation.sqref).startswith("I2:I")
    statuses = {row[8] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"À faire", "Collectée", "Déposée"}


def test_csv_for_french_excel(native_engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "suivi.csv"
    export(native_engine, write_profile(tmp_path), target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header, *lines = raw.decode("utf-8-sig").split("\r\n")
    assert header.split(";")[:5] == ["Exigence", "Chapitre", "Profil", "Scénario", "Preuve"]
    video = next(line for line in lines if f";{VIDEO};" in line)
    assert ";Collectée;videos/airs-06.mp4;;2026-05-13;À prouver;" in video


def test_unknown_extension_is_refused(native_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="extension attendue .xlsx ou .csv"):
        export(native_engine, write_profile(tmp_path), tmp_path / "suivi.ods")


# ------------------------------------------------------------------------------ round trip


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_round_trips_and_keeps_the_rest_of_the_toml(
        native_engine: Engine, tmp_path: Path, suffix: str) -> None:
    profile_path = write_profile(tmp_path)
    target = tmp_path / f"suivi{suffix}"
    export(native_engine, profile_path, target)

    untouched = import_workbook(profile_path, target)
    assert untouched.changes == [] and not untouched.written and profile_path.read_text(encoding="utf-8") == PROFILE

    edits = {VIDEO: {"Statut": "Déposée", "Date": dt.date(2026, 1, 5) if suffix == ".xlsx" else "05/01/2026"},
             LOG: {"Statut": "collectée", "Fichier": "logs/airs.log"},
             "SC.DMP/AIRS.06.01.99": {"Statut": "validated", "Note": "validée par l'ANS"},
             VIDEO2: {"Statut": "À faire"}}
    if suffix == ".xlsx":
        edit_xlsx(target, edits)
    else:
        with target.open(encoding="utf-8-sig", newline="") as source:
            header, *lines = list(csv.reader(source, delimiter=";"))
        for cells in lines:
            for name, value in edits.get(cells[header.index("Preuve")], {}).items():
                cells[header.index(name)] = str(value)
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([header, *lines])

    result = import_workbook(profile_path, target)
    assert result.written and result.skipped == 0
    described = "\n".join(c.summary() for c in result.changes)
    assert f"{VIDEO} : statut Collectée → Déposée ; date — → 2026-01-05" in described
    assert f"{LOG} : ajoutée (Collectée, fichier logs/airs.log)" in described
    assert "SC.DMP/AIRS.06.01.99 : statut Déposée → Validée ; note — → validée par l'ANS" in described
    assert VIDEO2 not in described  # « À faire » and nothing else: not added
    assert len(result.changes) == 3

    after = profile_path.read_text(encoding="utf-8")
    assert without_proofs(after) == without_proofs(PROFILE)
    for comment in re.findall(r"#.*", PROFILE):
        assert comment in after
    proofs = {p["id"]: p for p in tomllib.loads(after)["proofs"]}
    assert proofs[VIDEO] == {"id": VIDEO, "status": "deposited", "file": "videos/airs-06.mp4",
                             "date": dt.date(2026, 1, 5)}
    assert proofs[LOG] == {"id": LOG, "status": "collected", "file": "logs/airs.log"}
    assert proofs["SC.DMP/AIRS.06.01.99"]["status"] == "validated"
    assert '# commentaire sous la preuve\n\n[[proofs]]\nid = "SC.DMP/AIRS.06.01.99"' in after

    # the statuses round-trip: exported again, the workbook shows what was imported
    again = tmp_path / f"encore{suffix}"
    export(native_engine, profile_path, again)
    rows = {r.proof: r for r in read_workbook(again)}
    assert (rows[VIDEO].status, rows[VIDEO].date) == ("deposited", dt.date(2026, 1, 5))
    assert (rows[LOG].status, rows[LOG].file) == ("collected", "logs/airs.log")
    assert rows["SC.DMP/AIRS.06.01.99"].status == "validated"
    assert import_workbook(profile_path, again).changes == []


def test_clearing_a_cell_removes_the_key_and_dry_run_writes_nothing(native_engine: Engine, tmp_path: Path) -> None:
    profile_path = write_profile(tmp_path)
    target = tmp_path / "suivi.xlsx"
    export(native_engine, profile_path, target)
    edit_xlsx(target, {VIDEO: {"Fichier": None, "Statut": "Rejetée"}})
    dry = import_workbook(profile_path, target, dry_run=True)
    assert not dry.written and profile_path.read_text(encoding="utf-8") == PROFILE
    assert [c.summary() for c in dry.changes] == [
        f"{VIDEO} : statut Collectée → Rejetée ; fichier videos/airs-06.mp4 → —"]
    import_workbook(profile_path, target)
    proofs = tomllib.loads(profile_path.read_text(encoding="utf-8"))["proofs"]
    assert proofs[0] == {"id": VIDEO, "status": "rejected"}
    assert 'id = "SC.DMP/AIRS.06.01.01"  # la vidéo principale\nstatus = "rejected"\n' in \
        profile_path.read_text(encoding="utf-8")


def test_a_profile_without_proofs_gets_a_proofs_table(native_engine: Engine, tmp_path: Path) -> None:
    text = 'schema_version = 1\n[solution]\nname = "X"\n[referencement]\npack = "RAD-DRIMBOX"\n'
    profile_path = write_profile(tmp_path, text)
    target = tmp_path / "suivi.xlsx"
    export(native_engine, profile_path, target)
    edit_xlsx(target, {VIDEO: {"Statut": "Collectée"}})
    import_workbook(profile_path, target)
    assert profile_path.read_text(encoding="utf-8") == text + f'\n[[proofs]]\nid = "{VIDEO}"\nstatus = "collected"\n'


def test_unknown_status_names_the_cell(native_engine: Engine, tmp_path: Path) -> None:
    profile_path = write_profile(tmp_path)
    target = tmp_path / "suivi.xlsx"
    export(native_engine, profile_path, target)
    edit_xlsx(target, {VIDEO: {"Statut": "fini"}, LOG: {"Date": "demain"}})
    with pytest.raises(InputError) as caught:
        import_workbook(profile_path, target)
    text = str(caught.value)
    ws = openpyxl.load_workbook(target)["Preuves"]
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"E{r}"].value == VIDEO)
    assert f"Preuves!I{row} : statut inconnu « fini » ; valeurs possibles : À faire, Collectée" in text
    assert f"Preuves!K{row + 1} : date invalide « demain »" in text
    assert profile_path.read_text(encoding="utf-8") == PROFILE


def test_an_invalid_result_is_never_written(native_engine: Engine, tmp_path: Path) -> None:
    profile_path = write_profile(tmp_path)
    target = tmp_path / "suivi.csv"
    target.write_bytes("Preuve;Statut;Solution\r\nX.01.01;Déposée;Inconnue\r\n".encode("utf-8-sig"))
    with pytest.raises(InputError, match="solution inconnue « Inconnue »"):
        import_workbook(profile_path, target)
    assert profile_path.read_text(encoding="utf-8") == PROFILE
    broken = PROFILE.replace('pack = "RAD-DRIMBOX"', 'pack = "RAD-DRIMBOX"\nunknown_key = 1')
    profile_path = write_profile(tmp_path, broken)
    target.write_bytes("Preuve;Statut\r\nX.01.01;Déposée\r\n".encode("utf-8-sig"))
    with pytest.raises(ProfileError):
        import_workbook(profile_path, target)
    assert profile_path.read_text(encoding="utf-8") == broken


def test_conflicting_duplicate_rows_are_refused(tmp_path: Path) -> None:
    profile_path = write_profile(tmp_path)
    target = tmp_path / "suivi.csv"
    target.write_bytes(f"Preuve;Statut\r\n{LOG};Déposée\r\n{LOG};Validée\r\n".encode("utf-8-sig"))
    with pytest.raises(InputError, match="figure deux fois avec des valeurs différentes"):
        import_workbook(profile_path, target)


def test_groupement_rows_carry_their_solution(native_engine: Engine, tmp_path: Path) -> None:
    text = """\
schema_version = 1
[[solutions]]
name = "Proxy A"
[[solutions]]
name = "Proxy B"   # la seconde
[referencement]
pack = "RAD-DRIMBOX"
parcours = "groupement"
[profils]
declared = ["DRIMbox Proxy"]
[[proofs]]
id = "SC.DMP/AIRS.06.01.01"   # pour tout le groupement
status = "collected"
"""
    profile_path = write_profile(tmp_path, text)
    target = tmp_path / "suivi.xlsx"
    export(native_engine, profile_path, target)
    ws = openpyxl.load_workbook(target)["Preuves"]
    assert ws["A1"].value == "Solution"
    rows = [r for r in read_workbook(target) if r.proof == VIDEO]
    assert sorted((r.solution, r.status) for r in rows) == [("Proxy A", "collected"), ("Proxy B", "collected")]
    edit_xlsx(target, {VIDEO: {"Statut": "Déposée"}}, solution="Proxy B")
    result = import_workbook(profile_path, target)
    assert [c.summary() for c in result.changes] == [
        f"{VIDEO} [Proxy B] : ajoutée (Déposée)"]
    proofs = tomllib.loads(profile_path.read_text(encoding="utf-8"))["proofs"]
    assert proofs == [{"id": VIDEO, "status": "collected"}, {"id": VIDEO, "solution": "Proxy B", "status": "deposited"}]
    rows = {r.solution: r.status for r in (x for x in export_and_read(native_engine, profile_path, tmp_path)
                                            if x.proof == VIDEO)}
    assert rows == {"Proxy A": "collected", "Proxy B": "deposited"}


def export_and_read(engine: Engine, profile_path: Path, tmp_path: Path) -> list:
    target = tmp_path / "relu.xlsx"
    export(engine, profile_path, target)
    return read_workbook(target)


@pytest.mark.parametrize(("text", "expected"), [
    ("Déposée", "deposited"), ("DEPOSEE", "deposited"), ("déposé", "deposited"), ("validated", "validated"),
    ("Validées", "validated"), ("à faire", "todo"), ("", "todo"), (None, "todo"), ("Rejetée", "rejected"),
    ("fini", None),
])
def test_status_labels(text: str | None, expected: str | None) -> None:
    assert parse_status(text) == expected
