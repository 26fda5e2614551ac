"""Reading the ANS draft workbooks (engine/rem_import/ans_drafts.py): cells, preuve lines, IDs, labels."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from segur_plan.engine.errors import PackError
from segur_plan.engine.models.common import ProofKind
from segur_plan.engine.rem_import.ans_drafts import (
    PREPUB_COLUMNS,
    derive,
    preuve_label,
    proof,
    proof_items,
    read_sheet,
    vague1_refs,
    vague2_refs,
)


def test_proof_cell_lines_become_items_and_stray_lines_are_reported() -> None:
    items, stray = proof_items("A.01.01.01 : Vidéo du scénario\nsuite de la description\n : sans numéro\n\n"
                               "A.01.01.02: Log du message")
    assert items == [("A.01.01.01", "Vidéo du scénario suite de la description"), ("A.01.01.02", "Log du message")]
    assert stray == [": sans numéro"]


def test_numbering_derives_one_level_down_under_the_full_id() -> None:
    assert derive("ANN/va1.01.01", "ANN/va1.01", "SC.ANN/va1.01") == "SC.ANN/va1.01.01"
    assert derive("CO.50.01", "CO.50", "DB/CO.50") == "DB/CO.50.01"
    assert derive("DMP/HISTO.03", "DMP/HISTO.03", "SC.DMP/HISTO.03") is None  # the exigence's own ID
    assert derive("08.01", "CDA/INT.08", "SC.CDA/INT.08") is None  # truncated number
    assert derive("PSC.01.02.01", "PSC.02.01", "SC.PSC.02.01") is None  # another exigence's numbering
    assert derive("INS/va1.44.01.01", "INS/va1.44", "SC.INS/va1.44") is None  # two levels down


def test_crosswalk_cells() -> None:
    assert vague2_refs("DPI:DOC/va1.02/DOC/va1.04") == ["DOC/va1.02", "DOC/va1.04"]
    assert vague2_refs("DPI:DPI.DMP/va1.06") == ["DPI.DMP/va1.06"]
    assert vague2_refs("OBSO") == [] and vague2_refs("") == []
    assert vague1_refs("SGL.ANN.01") == ["SGL.ANN.01"] and vague1_refs("ANN.01") == ["ANN.01"]


@pytest.mark.parametrize(("text", "kind", "label"), [
    ("[INTEROP] Lien vers l'Espace de Test Gazelle", ProofKind.LINK,
     "Lien vers le rapport de l'espace de test Gazelle"),
    ("Identifiant de l'exécution du cas de test MSS-LPS-SEGUR-GEN", ProofKind.LINK,
     "Identifiant d'exécution de l'outil de test MSSanté"),
    ("Lien permanent de l'espace de tests d'interopérabilité du CI-SIS vers le rapport", ProofKind.LINK,
     "Rapport de test de conformité CI-SIS"),
    ("Formulaire du test d'intrusion dûment complété et signé", ProofKind.DOCUMENT,
     "Formulaire de test d'intrusion signé"),
    ("Justificatif de l'homologation CNDA pour le DMP", ProofKind.DOCUMENT, "Justificatif d'homologation CNDA"),
    ("Attestation sur l'honneur décrivant le processus", ProofKind.DOCUMENT, "Attestation sur l'honneur"),
    ("Source SMTP du message émis.", ProofKind.LOG, "Message ou journal technique"),
    ("Extrait de configuration TLS du client", ProofKind.FILE, "Fichier technique"),
    ("CAS 1 : Démonstration (vidéo) du cas", ProofKind.VIDEO,
     "Démonstration (vidéo ou captures d'écran) (selon le cas)"),
    ("Texte sans indice", ProofKind.UNKNOWN, "Pièce à préciser (nature non reconnue)"),
])
def test_kind_and_label_of_our_own(text: str, kind: ProofKind, label: str) -> None:
    item = proof("X.01.01.01", text)
    assert (item.kind, item.label) == (kind, label) and preuve_label(text, kind) == label
    assert text not in item.label or text == label


def _workbook(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_read_sheet_finds_columns_by_name_and_keeps_preuve_lines(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "p.xlsx", "prepub_va2_avec_scenarios", [
        ["preuve", "autre", "REM", "Reference", "arbitrage", "description"],
        ["A.01.01.01 : Vidéo<br>A.01.01.02 : Log", "x", "DPI", "A.01", "Approuvée", "L'éditeur PEUT"],
        [None, None, None, None, None, None],
    ])
    (row,) = read_sheet(path, "prepub_va2_avec_scenarios", PREPUB_COLUMNS, required=("rem", "ref"),
                        raw=("preuve",), statements=("description",))
    assert (row.row, row.cells["ref"], row.cells["rem"]) == (2, "A.01", "DPI")
    assert row.cells["preuve"].splitlines() == ["A.01.01.01 : Vidéo", "A.01.01.02 : Log"]
    assert row.statement == "l editeur peut" and "autre" not in row.cells


def test_read_sheet_errors_are_french(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "p.xlsx", "autre", [["REM"]])
    with pytest.raises(PackError, match="Feuille « prepub_va2_avec_scenarios » absente"):
        read_sheet(path, "prepub_va2_avec_scenarios", PREPUB_COLUMNS)
    with pytest.raises(PackError, match="colonnes absentes : reference"):
        read_sheet(path, "autre", PREPUB_COLUMNS, required=("rem", "ref"))
    with pytest.raises(PackError, match="introuvable"):
        read_sheet(tmp_path / "absent.xlsx", "x", {})
