"""REM spreadsheet import (engine.rem_import).

The four layout fixtures are built at test time into tmp_path with openpyxl (invented texts,
header on row 3 under a title and a blank row, a decoy sheet first, non-breaking spaces and HTML
in headers and cells, merged cells, repeated IDs, "---" placeholders). The real ANS files are
read from the shared folder when it is present; their texts stay in memory.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from segur_plan.engine.errors import PackError
from segur_plan.engine.models.common import ProofKind
from segur_plan.engine.pack_validation import check_pack
from segur_plan.engine.rem_import import (
    ImportResult,
    Skipped,
    clean,
    header_key,
    import_rem,
    import_rem_with_report,
    nest,
)
from segur_plan.engine.rem_import.build import KIND_LABELS

ROOT = Path(__file__).resolve().parents[2]
ANS = Path(__file__).resolve().parents[3] / "shared" / "ans"
DAY = dt.date(2026, 11, 23)
needs_ans = pytest.mark.skipif(not ANS.is_dir(), reason=f"fichiers ANS absents ({ANS})")

PROOF_HEADERS = [h for k in range(1, 11) for h in (f"N° preuve {k}", f"Preuve {k}")]
PUBLISHED = ["Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Commentaire",
             "Nature de l'exigence", "Profil", "N° scénario", "Scénario de conformité",
             *PROOF_HEADERS, "Statut publication", "VA N-1", "Criticité", "Ordre"]  # fmt: skip
OLDER = ["Exigence conditionnelle OUI/NON", "Profil", "ID Section", "Section", "Bloc", "Fonction",
         "Nature de l'exigence", "N° exigence",
         "Énoncé de l'exigence (DOIT) ou de la préconisation (PEUT)", "N° scénario",
         "Scénario de conformité", *PROOF_HEADERS, "bon pour publication", "référence exigence",
         "référence cas de test", "référence exigence socle", "points de vérification",
         "Note interne", "Rem Ségur"]  # fmt: skip
CONVERGENCE = ["Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Commentaire", "Profil",
               "N° scénario", "Scénario de conformité", "N° preuve", "Preuve",
               "Profil historique", "Criticité", "Ordre"]  # fmt: skip
DRAFT = ["REM", "ID Exigence", "Profil", "Section (Domaine)", "Bloc", "Fonction",
         " Nature de l'exigence Préconisée & Obligatoire", "Evolution",
         "Commentaire ANS / DNS / CNAM", "Enoncé de l'exigence - Itération #3",
         "Ancien énoncé de l'exigence - Itération #2", "VERIF: Id squash", "VERIF: Jalons",
         "VERIF: Note interne", "VERIF: Id exigence socle"]  # fmt: skip
# How headers are written in the fixtures: stray and non-breaking spaces, HTML, curly apostrophe.
WRITTEN = {
    "ID": " ID\u00a0",
    "Profil": "Profil ",
    "N° scénario": "N°\u00a0scénario",
    "N° preuve 1": "N°\u00a0preuve\u00a01",
    "Criticité": "<b>Criticité</b>",
    "Nature de l'exigence": "Nature de l\u2019exigence",
    "Scénario de conformité": "Scénario  de conformité",
}
ENONCE = "Énoncé de l'exigence (DOIT) ou de la préconisation (PEUT)"
ENONCE3 = "Enoncé de l'exigence - Itération #3"
NAT3 = " Nature de l'exigence Préconisée & Obligatoire"


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[dict[str, Any] | None]  # None: a blank row; keys: headers as listed above
    # (header, first row index, last row index) of each merged range
    merges: list[tuple[str, int, int]] = field(default_factory=list)
    preamble: tuple[tuple[Any, ...], ...] = (("Référentiel d'exigences (fixture)",), ())


DECOY = Sheet(
    "Scénarios coeur de métier",
    ["ID scénario", "Étape", "Exigences citées"],
    [{"ID scénario": "SCN_X/CO.01", "Étape": "1", "Exigences citées": "X.01"}],
)


def build(path: Path, *sheets: Sheet) -> Path:
    """Write the sheets to an .xlsx: preamble rows, header row, data rows, merged ranges."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.title)
        for row in spec.preamble:
            ws.append(list(row) or [None])
        header_row = len(spec.preamble) + 1
        ws.append([WRITTEN.get(h, h) for h in spec.headers])
        for row in spec.rows:
            ws.append(
                [None] * len(spec.headers) if row is None else [row.get(h) for h in spec.headers]
            )
        for header, first, last in spec.merges:
            col = get_column_letter(spec.headers.index(header) + 1)
            ws.merge_cells(f"{col}{header_row + 1 + first}:{col}{header_row + 1 + last}")
    wb.save(path)
    return path


P_ROWS = [
    {"Périmètre": "Vague 2", "ID": "SC.XYZ/ABC.01", "Chapitre": "Chapitre A",
     "Fonction": "<b>Fonction A</b>",
     "Exigence": "<p>Le système DOIT faire A&nbsp;;</p>\n  vraiment.",
     "Nature de l'exigence": "EXIGENCE", "Profil": "Général", "N° scénario": "XYZ/ABC.01.01",
     "Scénario de conformité": "Scénario <i>A un</i>", "N° preuve 1": "XYZ/ABC.01.01.01",
     "Preuve 1": "<p>Vidéo montrant A</p>", "N° preuve 2": "XYZ/ABC.01.01.02",
     "Preuve 2": "Capture d'écran du paramétrage", "Criticité": "Critique", "Ordre": 1},
    {"N° scénario": "XYZ/ABC.01.02", "Scénario de conformité": "Scénario A deux",
     "N° preuve 1": "XYZ/ABC.01.02.01", "Preuve 1": "Log de la requête", "Ordre": 2},
    None,
    {"Périmètre": "Vague 1", "ID": "ABC/va1.02", "Chapitre": "Chapitre B",
     "Fonction": "Fonction B", "Exigence": "Le système PEUT faire B.",
     "Nature de l'exigence": "PRECONISATION", "Profil": "va1 Client lourd, IAM",
     "N° scénario": "ABC/va1.02.01", "Scénario de conformité": "B",
     "N° preuve 1": "ABC/va1.02.01.01", "Preuve 1": "Rapport de test", "N° preuve 2": "ABC/va1.02",
     "Preuve 2": "Voir l'exigence", "Criticité": "Majeure"},
    {"Périmètre": "Vague 1", "ID": "ABC/va1.02\u00a0", "Profil": "Client lourd",
     "Nature de l'exigence": "PRECONISATION", "N° scénario": "ABC/va1.02.01",
     "N° preuve 1": "ABC/va1.02.01.01", "Preuve 1": "Rapport de test",
     "N° preuve 2": "ABC/va1.02.01.02", "Preuve 2": "Attestation sur l'honneur"},
    {"Périmètre": "---", "ID": "XYZ/ABC.03", "Chapitre": "Chapitre A",
     "Fonction": "1.2 - Fonction C",
     "Exigence": "Le système DOIT faire C.", "Nature de l'exigence": "EXIGENCE", "Profil": "---",
     "N° scénario": "---", "Criticité": "Mineure"},
    {"Chapitre": "Intertitre sans identifiant"},
]  # fmt: skip
O_ROWS = [
    {"Exigence conditionnelle OUI/NON": "NON", "Profil": "Général", "ID Section": "DMP/AIRS",
     "Section": "Consultation", "Bloc": "Bloc A", "Fonction": "Homologation",
     "Nature de l'exigence": "EXIGENCE", "N° exigence": "DMP/AIRS.03", ENONCE: "Le système DOIT A.",
     "N° scénario": "DMP/AIRS.03.01", "Scénario de conformité": "Vérifier A",
     "N° preuve 1": "DMP/AIRS.03.01.01", "Preuve 1": "Justificatif\u00a0d'homologation CNDA",
     "référence exigence": "DMP/AIRS.03", "référence exigence socle": "SC.DMP/AIRS.03"},
    None,
    None,
    {"Exigence conditionnelle OUI/NON": "---", "ID Section": "DMP/UX", "Section": "Expérience",
     "Bloc": "Bloc B", "Nature de l'exigence": "PRECONISATION", "N° exigence": "DMP/UX.15",
     ENONCE: "Le système PEUT B.", "N° scénario": "DMP/UX.15.01", "N° preuve 1": "DMP/UX.15.01.01",
     "Preuve 1": "Démonstration (vidéo ou copies d'écran)"},
    {"N° scénario": "DMP/UX.15.02", "N° preuve 1": "DMP/UX.15.01.01",
     "Preuve 1": "Démonstration (vidéo ou copies d'écran)", "N° preuve 2": "DMP/UX.15.02.01",
     "Preuve 2": "Message SOAP de la requête"},
    {"Exigence conditionnelle OUI/NON": "OUI", "Profil": "IE Usagers, IAM", "ID Section": "SSI/IE",
     "Section": "Identification", "Bloc": "Bloc C", "Fonction": "Fonction C",
     "Nature de l'exigence": "EXIGENCE", "N° exigence": "SSI/IE.40", ENONCE: "Le système DOIT C.",
     "N° scénario": "SSI/IE.40", "N° preuve 1": "SSI/IE.40.01", "Preuve 1": "Capture"},
    {"Exigence conditionnelle OUI/NON": "OUI", "Profil": "Prestations d'hébergement ou Saas",
     "Nature de l'exigence": "EXIGENCE", "N° exigence": "SSI/IE.40"},
]  # fmt: skip
C_ROWS = [
    {"Périmètre": "Vague 2", "ID": "SC.MSS/CONF.01", "Chapitre": "Conformité",
     "Fonction": "Connexion", "Exigence": "Le système DOIT se connecter.", "Profil": "Général",
     "N° scénario": "MSS/CONF.01.01",
     "Scénario de conformité": "Connexion nominale", "N° preuve": "MSS/CONF.01.01.01",
     "Preuve": "<p>Vidéo&nbsp;de la connexion</p>", "Criticité": "Majeure", "Ordre": 1},
    {"N° scénario": "MSS/CONF.01.01", "Scénario de conformité": "Connexion nominale",
     "N° preuve": "MSS/CONF.01.01.02", "Preuve": "Logs du serveur", "Ordre": 2},
    {"N° scénario": "MSS/CONF.01.02", "Scénario de conformité": "Connexion refusée",
     "N° preuve": "MSS/CONF.01.02.01", "Preuve": "Lien vers la documentation", "Ordre": 3},
    None,
    {"Périmètre": "Vague 1", "ID": "SC.INS/va1.10", "Chapitre": "INS", "Fonction": "Qualification",
     "Exigence": "Le système PEUT qualifier.", "Profil": "va1 Intégration INS",
     "N° scénario": "INS/va1.10.01", "Scénario de conformité": "Qualification",
     "N° preuve": "INS/va1.10.01.01", "Preuve": "Compte-rendu de test",
     "Profil historique": "Intégration INS", "Criticité": "Critique", "Ordre": 4},
    {"Périmètre": "Vague 1", "ID": "SC.INS/va1.10", "Chapitre": "INS", "Fonction": "Qualification",
     "Exigence": "Le système PEUT qualifier.", "Profil": "va1 Intégration INS",
     "N° scénario": "INS/va1.10.01", "Scénario de conformité": "Qualification",
     "N° preuve": "INS/va1.10.01.01", "Preuve": "Compte-rendu de test", "Ordre": 5},
    {"Périmètre": "Vague 1", "ID": "SC.INS/va1.11", "Chapitre": "INS", "Fonction": "Sans énoncé",
     "Profil": "", "N° scénario": "---", "N° preuve": "---", "Preuve": "---", "Ordre": 6},
]  # fmt: skip
D_ROWS = [
    {"REM": "HOP-DPI", "ID Exigence": "ANN/va1.01", "Profil": "va1 Général",
     "Section (Domaine)": "ANN_Annuaire Santé", "Bloc": "Annuaire", "Fonction": "Import",
     NAT3: "Obligatoire", "Evolution": "Nouvelle exigence", ENONCE3: "Le système DOIT importer.",
     "VERIF: Id exigence socle": "SC.ANN/va1.01"},
    {"REM": "BIO", "ID Exigence": "ANN/va1.01", "Profil": "va1 Général", NAT3: "Obligatoire",
     "Evolution": "Stable", "VERIF: Id exigence socle": "SC.ANN/va1.01"},
    None,
    {"REM": "HOP-DPI", "ID Exigence": "DPI.DMP/va1.04", "Profil": "IAM",
     "Section (Domaine)": "DMP - Dossier partagé", "Bloc": "Masquage", "Fonction": "Paramétrage",
     NAT3: "Préconisée", "Evolution": "Stable", ENONCE3: "Le système PEUT masquer."},
    {"Profil": "IE Usagers", NAT3: "Préconisée", "Evolution": "Stable"},
    {"REM": "HOP-DPI", "ID Exigence": "SSI/GEN.01", "Profil": "Général", NAT3: "Obligatoire",
     "Evolution": "Obsolète", "VERIF: Id exigence socle": "SC.SSI/GEN.01"},
    {"REM": "HOP-DPI", "ID Exigence": "SSI/GEN.02", "Section (Domaine)": "SSI/GEN_Exigences",
     "Bloc": "Sécurité", NAT3: "Obligatoire", "Evolution": "En cours d'instruction",
     "VERIF: Id exigence socle": "SC.SSI/GEN.02"},
]  # fmt: skip

FIXTURES = {
    "published": Sheet("Exigences", PUBLISHED, P_ROWS, [(h, 0, 1) for h in (
        "Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Nature de l'exigence", "Profil")]),
    "older": Sheet("Exigences", OLDER, O_ROWS, [(h, 3, 4) for h in (
        "Exigence conditionnelle OUI/NON", "ID Section", "Section", "Bloc", "Nature de l'exigence",
        "N° exigence", ENONCE)]),
    "convergence": Sheet("Export", CONVERGENCE, C_ROWS, [(h, 0, 2) for h in (
        "Périmètre", "ID", "Chapitre", "Fonction", "Exigence", "Profil", "Criticité")]),
    "draft": Sheet("export_final", DRAFT, D_ROWS, [(h, 3, 4) for h in (
        "REM", "ID Exigence", "Section (Domaine)", "Bloc", "Fonction", ENONCE3)]),
}  # fmt: skip
REM_ARG = {"draft": "HOP-DPI"}
WITH_STATEMENT = {"published": 3, "older": 3, "convergence": 2, "draft": 2}
EXPECTED = {  # exigences, scénarios, preuves → kind, skipped (row, what, value, reason)
    "published": (
        ["SC.XYZ/ABC.01", "ABC/va1.02", "XYZ/ABC.03"],
        ["SC.XYZ/ABC.01.01", "SC.XYZ/ABC.01.02", "ABC/va1.02.01"],
        {"SC.XYZ/ABC.01.01.01": "video", "SC.XYZ/ABC.01.01.02": "capture",
         "SC.XYZ/ABC.01.02.01": "log", "ABC/va1.02.01.01": "rapport",
         "ABC/va1.02.01.02": "document"},
        [(7, "preuve", "ABC/va1.02", "ne dérive pas de son scénario"),
         (10, "ligne", "", "sans identifiant d'exigence")],
    ),
    "older": (
        ["DMP/AIRS.03", "DMP/UX.15", "SSI/IE.40"],
        ["DMP/AIRS.03.01", "DMP/UX.15.01", "DMP/UX.15.02"],
        {"DMP/AIRS.03.01.01": "document", "DMP/UX.15.01.01": "video", "DMP/UX.15.02.01": "log"},
        [(8, "preuve", "DMP/UX.15.01.01", "ne dérive pas de son scénario"),
         (9, "scénario", "SSI/IE.40", "ne dérive pas de son exigence"),
         (9, "preuve", "SSI/IE.40.01", "pas de scénario valide sur la ligne")],
    ),
    "convergence": (
        ["SC.MSS/CONF.01", "SC.INS/va1.10", "SC.INS/va1.11"],
        ["SC.MSS/CONF.01.01", "SC.MSS/CONF.01.02", "SC.INS/va1.10.01"],
        {"SC.MSS/CONF.01.01.01": "video", "SC.MSS/CONF.01.01.02": "log",
         "SC.MSS/CONF.01.02.01": "lien", "SC.INS/va1.10.01.01": "compte-rendu"},
        [],
    ),
    "draft": (
        ["SC.ANN/va1.01", "DPI.DMP/va1.04", "SC.SSI/GEN.02"],
        [],
        {},
        [(5, "ligne", "SC.ANN/va1.01", "autre REM"),
         (9, "ligne", "SC.SSI/GEN.01", "exigence obsolète")],
    ),
}  # fmt: skip


def run(path: Path, **kw: Any) -> ImportResult:
    return import_rem_with_report(path, pack_id="TEST", released=DAY, reviewed=DAY, **kw)


@pytest.fixture(params=sorted(FIXTURES))
def layout(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def fixture_file(tmp_path: Path, layout: str) -> Path:
    return build(tmp_path / f"rem-{layout}.xlsx", DECOY, FIXTURES[layout])


def _ids(result: ImportResult) -> tuple[list[str], list[str], dict[str, str]]:
    ex = result.pack.exigences
    return (
        [e.id for e in ex],
        [s.id for e in ex for s in e.scenarios],
        {p.id: p.kind.value for e in ex for s in e.scenarios for p in s.preuves},
    )


def test_each_layout_gives_exact_items_and_a_valid_pack(layout: str, fixture_file: Path) -> None:
    result = run(fixture_file, rem=REM_ARG.get(layout))
    exigences, scenarios, preuves, _ = EXPECTED[layout]
    assert _ids(result) == (exigences, scenarios, preuves)
    report = result.report
    assert (report.layout, report.sheet, report.header_row) == (layout, FIXTURES[layout].title, 3)
    assert (report.exigences, report.scenarios, report.preuves) == (
        len(exigences),
        len(scenarios),
        len(preuves),
    )
    assert report.rows_read == sum(r is not None for r in FIXTURES[layout].rows)
    assert report.blank_rows == sum(r is None for r in FIXTURES[layout].rows)
    assert check_pack(result.pack) == []


def test_rows_and_cells_left_out_are_reported_with_their_reason(
    layout: str, fixture_file: Path
) -> None:
    skipped = run(fixture_file, rem=REM_ARG.get(layout)).report.skipped
    assert [(s.row, s.what, s.value, s.reason) for s in skipped] == EXPECTED[layout][3]


def test_pack_metadata_sources_and_status(layout: str, fixture_file: Path) -> None:
    pack = run(fixture_file, rem=REM_ARG.get(layout)).pack
    sheet = FIXTURES[layout].title
    assert pack.kind == "dsr"
    assert pack.status == ("published" if layout in ("published", "convergence") else "draft")
    assert set(pack.sources) == {"rem-import"}
    assert pack.sources["rem-import"].title == f"Import de rem-{layout}.xlsx"
    assert pack.sources["rem-import"].kind == ("official" if pack.status == "published" else "draft")
    items = [*pack.profils, *pack.exigences]
    items += [s for e in pack.exigences for s in e.scenarios]
    items += [p for e in pack.exigences for s in e.scenarios for p in s.preuves]
    for item in items:
        assert item.source.ref == "rem-import"
        assert re.fullmatch(rf"{sheet}, ligne \d+", item.source.section), item.source
    assert all(e.reviewed == DAY for e in pack.exigences) and all(
        p.reviewed == DAY for p in pack.profils
    )
    n_ex, n_sc, n_pr = (len(x) for x in EXPECTED[layout][:3])
    assert f"{n_ex} exigences, {n_sc} scénarios de conformité, {n_pr} preuves" in pack.coverage


def test_merged_id_cell_puts_both_scenarios_under_one_exigence(tmp_path: Path) -> None:
    pack = run(build(tmp_path / "p.xlsx", FIXTURES["published"])).pack
    first = pack.exigences[0]
    assert [s.id for s in first.scenarios] == ["SC.XYZ/ABC.01.01", "SC.XYZ/ABC.01.02"]
    assert first.scenarios[1].source.section == "Exigences, ligne 5"
    assert (first.source.section, first.nature, first.profils) == (
        "Exigences, ligne 4",
        "exigence",
        ("general",),
    )


def test_repeated_ids_merge_and_the_first_row_wins(tmp_path: Path) -> None:
    pack = run(build(tmp_path / "p.xlsx", FIXTURES["published"])).pack
    ex = next(e for e in pack.exigences if e.id == "ABC/va1.02")
    assert (ex.source.section, ex.chapter, ex.profils) == (
        "Exigences, ligne 7",
        "Chapitre B",
        ("client-lourd", "iam"),
    )
    (scenario,) = ex.scenarios
    assert [(p.id, p.source.section) for p in scenario.preuves] == [
        ("ABC/va1.02.01.01", "Exigences, ligne 7"),
        ("ABC/va1.02.01.02", "Exigences, ligne 8"),
    ]
    conv = run(build(tmp_path / "c.xlsx", FIXTURES["convergence"])).pack
    (ins,) = [e for e in conv.exigences if e.id == "SC.INS/va1.10"]
    assert [(p.id, p.source.section) for s in ins.scenarios for p in s.preuves] == [
        ("SC.INS/va1.10.01.01", "Export, ligne 8")
    ]


def test_without_merge_the_continuation_row_has_no_exigence(tmp_path: Path) -> None:
    sheet = FIXTURES["published"]
    result = run(build(tmp_path / "p.xlsx", Sheet(sheet.title, sheet.headers, sheet.rows)))
    assert result.report.skipped[0] == Skipped(5, "ligne", "", "sans identifiant d'exigence")
    assert [s.id for s in result.pack.exigences[0].scenarios] == ["SC.XYZ/ABC.01.01"]


@pytest.mark.parametrize(
    ("layout_name", "exigence", "expected"),
    [
        ("published", "SC.XYZ/ABC.01", ("exigence", "vague-2", True, ("general",), "Fonction A")),
        ("published", "ABC/va1.02",
         ("preconisation", "vague-1", False, ("client-lourd", "iam"), "Fonction B")),
        ("published", "XYZ/ABC.03", ("exigence", "vague-2", False, ("general",), "Fonction C")),
        ("older", "DMP/UX.15", ("preconisation", "vague-2", False, ("general",), "Bloc B")),
        ("older", "SSI/IE.40", ("exigence", "vague-2", False,
         ("iam", "ie-usagers", "prestations-d-hebergement-ou-saas"), "Fonction C")),
        ("convergence", "SC.MSS/CONF.01",
         ("exigence", "vague-2", False, ("general",), "Connexion")),
        ("convergence", "SC.INS/va1.10",
         ("preconisation", "vague-1", True, ("integration-ins",), "Qualification")),
        ("convergence", "SC.INS/va1.11",
         ("exigence", "vague-1", False, ("general",), "Sans énoncé")),
        ("draft", "SC.ANN/va1.01", ("exigence", "vague-1", False, ("general",), "Import")),
        ("draft", "DPI.DMP/va1.04",
         ("preconisation", "vague-1", False, ("iam", "ie-usagers"), "Paramétrage")),
        ("draft", "SC.SSI/GEN.02", ("exigence", "vague-2", False, ("general",), "Sécurité")),
    ],
)  # fmt: skip
def test_exigence_fields(tmp_path: Path, layout_name: str, exigence: str, expected: tuple) -> None:
    pack = run(build(tmp_path / "f.xlsx", FIXTURES[layout_name]), rem=REM_ARG.get(layout_name)).pack
    e = next(e for e in pack.exigences if e.id == exigence)
    assert (e.nature, e.perimetre, e.critical, e.profils, e.label) == expected


def test_draft_sections_and_statuses(tmp_path: Path) -> None:
    pack = run(build(tmp_path / "d.xlsx", FIXTURES["draft"]), rem="HOP-DPI").pack
    got = {e.id: (e.section, e.chapter, e.draft_status) for e in pack.exigences}
    assert got == {
        "SC.ANN/va1.01": ("ANN", "Annuaire Santé", "nouvelle-exigence"),
        "DPI.DMP/va1.04": ("DMP", "Dossier partagé", "stable"),
        "SC.SSI/GEN.02": ("SSI/GEN", "Exigences", "en-cours-d-instruction"),
    }
    assert "ni scénario ni preuve" in pack.coverage and pack.dsr == "HOP-DPI"


def test_profils_from_the_profil_column(tmp_path: Path) -> None:
    pack = run(build(tmp_path / "p.xlsx", FIXTURES["published"])).pack
    got = [(p.id, p.label, p.general, p.aliases) for p in pack.profils]
    assert got == [
        ("general", "Général", True, ()),
        ("client-lourd", "Client lourd", False, ("va1 Client lourd",)),
        ("iam", "IAM", False, ()),
    ]
    draft = run(build(tmp_path / "d.xlsx", FIXTURES["draft"]), rem="HOP-DPI").pack
    assert draft.profils[0].aliases == ("va1 Général",) and draft.profils[0].general


def test_warnings_for_guessed_nature_and_missing_profil(tmp_path: Path) -> None:
    warnings = run(build(tmp_path / "c.xlsx", FIXTURES["convergence"])).report.warnings
    assert warnings == (
        "SC.INS/va1.11 : nature non reconnue, « exigence » retenue par défaut",
        "1 exigence(s) sans profil : rattachée(s) au profil général",
    )


def test_statements_are_kept_only_when_asked(layout: str, fixture_file: Path) -> None:
    full = run(fixture_file, rem=REM_ARG.get(layout)).pack
    short = run(fixture_file, rem=REM_ARG.get(layout), include_statements=False).pack
    assert sum(e.note is not None for e in full.exigences) == WITH_STATEMENT[layout]
    assert all(e.note is None for e in short.exigences)
    assert all(s.label is None for e in short.exigences for s in e.scenarios)
    assert {p.label for e in short.exigences for s in e.scenarios for p in s.preuves} <= set(
        KIND_LABELS.values()
    )
    dumped = short.model_dump_json()
    for marker in (
        "Le système",
        "Scénario A",
        "Connexion nominale",
        "Vérifier A",
        "montrant",
        "serveur",
    ):
        assert marker not in dumped
    assert [e.label for e in full.exigences] == [e.label for e in short.exigences]


def test_statement_texts_are_cleaned(tmp_path: Path) -> None:
    pack = run(build(tmp_path / "p.xlsx", FIXTURES["published"])).pack
    first = pack.exigences[0]
    assert first.note == "Le système DOIT faire A ; vraiment."
    assert first.scenarios[0].label == "Scénario A un"
    assert first.scenarios[0].preuves[0].label == "Vidéo montrant A"
    short = run(build(tmp_path / "p2.xlsx", FIXTURES["published"]), include_statements=False).pack
    assert [p.label for p in short.exigences[0].scenarios[0].preuves] == [
        "Vidéo",
        "Capture d'écran",
    ]


def test_unknown_layout_lists_the_headers_found_per_sheet(tmp_path: Path) -> None:
    path = build(
        tmp_path / "autre.xlsx",
        Sheet("Feuil1", ["Nom", "Prénom", "Ville"], [{"Nom": "a"}]),
        Sheet("Notes", ["ID", "Exigence", "Profil"], [{"ID": "X.01"}], preamble=()),
    )
    with pytest.raises(PackError) as info:
        run(path)
    text = str(info.value)
    assert "Format de REM non reconnu dans autre.xlsx" in text
    assert "feuille « Feuil1 » : en-têtes trouvés : Nom, Prénom, Ville" in text
    assert "feuille « Notes » : en-têtes trouvés : ID, Exigence, Profil" in text
    assert [p.loc for p in info.value.problems] == ["feuille « Feuil1 »", "feuille « Notes »"]


@pytest.mark.parametrize(
    ("rem", "message"),
    [(None, "contient plusieurs REM (BIO, HOP-DPI)"), ("LGC", "Aucune ligne du REM « LGC »")],
)
def test_draft_rem_selection_errors(tmp_path: Path, rem: str | None, message: str) -> None:
    with pytest.raises(PackError, match=re.escape(message)):
        run(build(tmp_path / "d.xlsx", FIXTURES["draft"]), rem=rem)


def test_rem_argument_on_a_layout_without_rem_column_is_reported(tmp_path: Path) -> None:
    result = run(build(tmp_path / "o.xlsx", FIXTURES["older"]), rem="DB")
    assert len(result.pack.exigences) == 3
    assert any("pas de colonne REM" in w for w in result.report.warnings)


def test_first_matching_sheet_wins_and_the_other_is_reported(tmp_path: Path) -> None:
    other = Sheet("Exigences (2)", OLDER, O_ROWS)
    result = run(build(tmp_path / "two.xlsx", FIXTURES["published"], other))
    assert result.report.sheet == "Exigences" and len(result.pack.exigences) == 3
    assert "autre feuille au format REM ignorée : « Exigences (2) »" in result.report.warnings


@pytest.mark.parametrize("case", ["missing", "not-xlsx", "header-only"])
def test_unusable_files_raise_pack_error(tmp_path: Path, case: str) -> None:
    path = tmp_path / "rem.xlsx"
    if case == "not-xlsx":
        path.write_text("pas un classeur", encoding="utf-8")
    elif case == "header-only":
        build(path, Sheet("Exigences", PUBLISHED, [None]))
    message = {"missing": "introuvable", "not-xlsx": "n.est pas un tableur", "header-only": "Aucune exigence"}[
        case
    ]
    with pytest.raises(PackError, match=message):
        run(path)


@pytest.mark.parametrize(
    ("child", "parent", "expected"),
    [
        ("SSI/GEN.18.01", "SC.SSI/GEN.18", "SC.SSI/GEN.18.01"),
        ("SSI/GEN.18.01.02", "SC.SSI/GEN.18.01", "SC.SSI/GEN.18.01.02"),
        ("DMP/va1.04.01", "DPI.DMP/va1.04", "DPI.DMP/va1.04.01"),
        ("CH.X/Y.01.01", "X/Y.01", "X/Y.01.01"),
        ("PSC.01.01", "PSC.01", "PSC.01.01"),
        ("PSC.01.01.02", "PSC.01.02", None),
        ("DMP/AIRS.07.01", "DMP/AIRS.07.01", None),
        ("MSS/CDA.01.01.01", "MSS/CDA.01", None),
        ("DMP.01.01", "PSC.01", None),
        ("DMP/UX.150.01", "DMP/UX.15", None),
    ],
)
def test_nest(child: str, parent: str, expected: str | None) -> None:
    assert nest(child, parent) == expected


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<p>a&nbsp;b</p>", "a b"),
        (" x\u00a0 \n y ", "x y"),
        ("---", ""),
        ("—", ""),
        (3.0, "3"),
        (None, ""),
        ("TLS < 1.2 et > 1.0", "TLS < 1.2 et > 1.0"),
        ("&lt;p&gt;échappé&lt;/p&gt;&amp;nbsp;", "échappé &nbsp;"),
    ],
)
def test_clean(raw: Any, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_header_key_ignores_spacing_case_accents_and_html() -> None:
    assert header_key("<b>N°\u00a0Preuve  1</b>") == header_key("N° preuve 1") == "n preuve 1"
    assert header_key(" Nature de l\u2019exigence ") == "nature de l exigence"


def test_import_rem_returns_the_pack(tmp_path: Path) -> None:
    pack = import_rem(build(tmp_path / "p.xlsx", FIXTURES["published"]), pack_id="MON-REM",
                      version="1.2.0", released=DAY, reviewed=dt.date(2026, 12, 1))  # fmt: skip
    assert (pack.id, pack.version, pack.reviewed) == ("MON-REM", "1.2.0", dt.date(2026, 12, 1))


# ---------------------------------------------------------------- real ANS files


@needs_ans
def test_real_published_template_gives_its_one_row() -> None:
    result = run(ANS / "rem-template-published-layout.xlsx")
    report = result.report
    assert (report.layout, report.sheet, report.rows_read) == ("published", "Exigences", 1)
    # The template's sample row is filler shifted by one column: its ID cell holds « NON » and its
    # nature cell a function label, so no scénario or preuve nests under it.
    assert _ids(result) == (["NON"], [], {})
    assert Counter((s.what, s.reason) for s in report.skipped) == {
        ("scénario", "ne dérive pas de son exigence"): 1,
        ("preuve", "pas de scénario valide sur la ligne"): 2,
        ("preuve", "sans numéro"): 8,
    }
    assert any("nature" in w and "non reconnue" in w for w in report.warnings)
    assert check_pack(result.pack) == []


@needs_ans
def test_real_drimbox_older_file() -> None:
    result = run(ANS / "rem-drimbox-draft-older-layout.xlsx")
    report = result.report
    assert (report.layout, report.rows_read) == ("older", 257)
    # README: 230 / 50 / 58. The file has 49 distinct "N° scénario" cells and 58 distinct
    # "N° preuve" cells; one scénario cell and seven preuve cells do not nest (below).
    assert (report.exigences, report.scenarios, report.preuves) == (230, 48, 52)
    assert [(s.row, s.what, s.value, s.parent) for s in report.skipped] == [
        (4, "preuve", "DMP/AIRS.07.01", "DMP/AIRS.07.01"),
        (7, "scénario", "DMP/HISTO.04", "DMP/HISTO.04"),
        (7, "preuve", "DMP/HISTO.04.01", ""),
        (13, "preuve", "DMP/UX.15.01.01", "DMP/UX.15.02"),
        (18, "preuve", "PSC.01.01.02", "PSC.01.02"),
        (19, "preuve", "PSC.01.01.03", "PSC.01.03"),
        (21, "preuve", "PSC.01.02.01", "PSC.02.01"),
        (22, "preuve", "PSC.01.08.01", "PSC.08.01"),
    ]
    kinds = _ids(result)[2]
    assert (kinds["DMP/AIRS.03.01.01"], kinds["DMP/AIRS.06.01.01"], kinds["DMP/AIRS.06.01.02"]) == (
        ProofKind.DOCUMENT, ProofKind.VIDEO, ProofKind.LOG)  # fmt: skip
    assert {p.id for p in result.pack.profils} == {
        "general", "drimbox-proxy", "drimbox-native", "prestations-d-hebergement-ou-saas",
        "equipements-mobiles", "iam", "ie-aspm", "ie-usagers"}  # fmt: skip
    assert check_pack(result.pack) == []


@needs_ans
def test_real_draft_hop_dpi_matches_the_built_in_pack() -> None:
    result = run(ANS / "rem-va2-draft-iteration3.xlsx", rem="HOP-DPI", include_statements=False)
    with (ROOT / "packs" / "hop_dpi" / "exigences.toml").open("rb") as f:
        entries = tomllib.load(f)["exigences"]
    with (ROOT / "packs" / "hop_dpi" / "exigences_faq.toml").open("rb") as f:
        faq = {e["id"] for e in tomllib.load(f)["exigences"]}
    imported = {e.id for e in result.pack.exigences}
    # the built-in pack keeps from itération #3 what the pré-publication does not replace: same IDs
    from_it3 = {e["id"] for e in entries if e["source"]["ref"] == "rem-va2-draft-it3"}
    assert from_it3 and from_it3 <= imported and len(imported) == len(result.pack.exigences) == 199
    assert "SC.PSC.13" in faq and "SC.PSC.13" not in imported
    assert result.report.skipped_by_reason() == {
        ("ligne", "autre REM"): 1331,
        ("ligne", "exigence obsolète"): 71,
    }
    assert (result.report.scenarios, result.report.preuves, result.pack.status) == (0, 0, "draft")
    assert check_pack(result.pack) == []
