"""Reader for the ANS draft workbooks of ``ansforge/segur-squash-plugins`` (Vague 2 drafts).

Three workbooks, in layouts of their own (none is a published REM):

- the concertation export « itération #3 » (sheet ``export_final``): one row per exigence, profil
  and REM, no scénario;
- the pré-publication (sheets ``prepub_va2_avec_scenarios`` and ``prepub_avec_scenarios``): one
  row per exigence and scénario, an ``arbitrage`` column (only ``Approuvée`` rows are kept), the
  preuves of a scénario in one cell (``ID : description`` lines);
- the Vague 1 → Vague 2 crosswalk (sheets ``DSR_all_modified`` and ``update_old_ref``).

Columns are found by header name (:func:`.layouts.header_key`), never by position. Only
structural columns are read; statement, scénario and note columns never are. A preuve
description is read only to infer its kind and a label of our own (:func:`preuve_label`), so no
sentence of a workbook enters a pack. Building catalogues from these rows is
:mod:`.ans_catalogue`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PackError
from ..models.common import ProofKind, fold
from ..proof_kinds import infer_proof_kind
from .layouts import clean, header_key

IT3_SHEET = "export_final"
PREPUB_SHEETS = ("prepub_va2_avec_scenarios", "prepub_avec_scenarios")
CROSSWALK_SHEETS = ("DSR_all_modified", "update_old_ref")
#: Squash export of the crosswalk workbook: its internal notes name the Vague 1 origins of the
#: socle MSSanté items (``LGO.MSS.01``…); only those IDs are kept, never the note.
ORIGINS_SHEET = "db_REQUIREMENT"
ORIGIN_ID = re.compile(r"\b(?:LGO|DUI)\.MSS\.\d{2}\b")
APPROVED, OBSOLETE = "approuvee", "obsolete"

IT3_COLUMNS = {
    "rem": "REM", "id": "ID Exigence", "profil": "Profil", "section": "Section (Domaine)",
    "bloc": "Bloc", "fonction": "Fonction", "nature": "Nature de l'exigence Préconisée & Obligatoire",
    "evolution": "Evolution", "socle_id": "VERIF: Id exigence socle", "squash": "VERIF: Id squash",
}  # fmt: skip
PREPUB_COLUMNS = {
    "squash": "id exigence", "arbitrage": "arbitrage", "rem": "REM", "section_id": "ID Section", "ref": "reference",
    "socle_ref": "reference socle",
    "profil": "profil", "section": "section", "bloc": "bloc", "fonction": "fonction",
    "scenario": "ref scenario", "preuve": "preuve", "vague1": "reference vague1",
}  # fmt: skip
#: Columns read only to infer a nature (DOIT / PEUT): never copied.
STATEMENT_COLUMNS = ("description", "description socle", "Description vague 1", "Description modifiée")
CROSSWALK_COLUMNS = {
    "DSR_all_modified": {"dsr": "DSR", "v1": "dsr_req_ref", "v2": "REM_REQ_REF"},
    "update_old_ref": {"v2": "REQ_VERSION_REFERENCE", "v1": "REQ_VERSION_CUF_OLD_REF"},
}

#: Kind → short label of our own; more specific labels come from :data:`SPECIFIC_LABELS`.
KIND_LABELS = {
    ProofKind.VIDEO: "Démonstration (vidéo ou captures d'écran)",
    ProofKind.SCREENSHOT: "Captures d'écran",
    ProofKind.LOG: "Message ou journal technique",
    ProofKind.FILE: "Fichier technique",
    ProofKind.DOCUMENT: "Document justificatif",
    ProofKind.REPORT: "Rapport",
    ProofKind.COMPTE_RENDU: "Compte-rendu",
    ProofKind.LINK: "Lien vers un rapport de test",
    ProofKind.UNKNOWN: "Pièce à préciser (nature non reconnue)",
}
SPECIFIC_LABELS = (  # folded keyword → label, first match wins
    ("gazelle", "Lien vers le rapport de l'espace de test Gazelle"),
    ("mss lps segur", "Identifiant d'exécution de l'outil de test MSSanté"),
    ("ci sis", "Rapport de test de conformité CI-SIS"),
    ("test d intrusion", "Formulaire de test d'intrusion signé"),
    ("homologation", "Justificatif d'homologation CNDA"),
    ("sur l honneur", "Attestation sur l'honneur"),
    ("attestation", "Attestation"),
    ("engagement", "Engagement écrit"),
    ("plan d assurance securite", "Plan d'assurance sécurité"),
    ("procedure", "Procédure documentée"),
    ("formulaire", "Formulaire"),
)
_CONDITIONAL = re.compile(r"^(\[si |cas \d|lorsque |si )")
_PROOF_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9./_-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Row:
    """One sheet row: its number and the cells read, cleaned (preuve cells keep their lines)."""

    sheet: str
    row: int
    cells: dict[str, str]
    statement: str = ""  # folded statement text, only to tell DOIT from PEUT


@dataclass(frozen=True)
class ProofItem:
    id: str
    kind: ProofKind
    label: str


@dataclass
class DraftWorkbooks:
    """Every row read from the three workbooks (only the columns named above)."""

    it3: list[Row] = field(default_factory=list)
    prepub: list[Row] = field(default_factory=list)
    crosswalk: list[Row] = field(default_factory=list)
    origins: list[Row] = field(default_factory=list)  # cells: ref, origins (space-separated IDs)


def _open(path: Path) -> Any:
    import openpyxl

    if not path.is_file():
        raise PackError(f"Classeur introuvable : {path}", path=path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook: zip, XML or key errors alike
        raise PackError(f"Classeur illisible ({path.name}) : {exc}", path=path) from exc


def _raw(value: Any) -> str:
    """Cell text keeping its lines (HTML line breaks become new lines)."""
    if value is None:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", str(value), flags=re.IGNORECASE)
    return "\n".join(clean(line) for line in text.splitlines())


def read_sheet(path: Path, sheet: str, columns: dict[str, str], *, required: tuple[str, ...] = (),
               raw: tuple[str, ...] = (), statements: tuple[str, ...] = ()) -> list[Row]:
    """The non-blank rows of ``sheet`` as :class:`Row` (columns found by header name)."""
    workbook = _open(path)
    if sheet not in workbook.sheetnames:
        raise PackError(f"Feuille « {sheet} » absente de {path.name}.", path=path)
    rows = workbook[sheet].iter_rows(values_only=True)
    keys = [header_key(h) for h in next(rows, ())]
    index = {k: keys.index(header_key(h)) for k, h in columns.items() if header_key(h) in keys}
    missing = [columns[k] for k in required if k not in index]
    if missing:
        raise PackError(f"{path.name}, feuille « {sheet} » : colonnes absentes : {', '.join(missing)}.", path=path)
    text_index = [keys.index(header_key(h)) for h in statements if header_key(h) in keys]
    result = []
    for n, values in enumerate(rows, start=2):
        if not any(v is not None for v in values):
            continue
        cells = {k: (_raw if k in raw else clean)(values[i] if i < len(values) else None)
                 for k, i in index.items()}
        statement = " ".join(fold(clean(values[i])) for i in text_index if i < len(values))
        result.append(Row(sheet, n, cells, statement))
    workbook.close()
    return result


def read_workbooks(it3: Path, prepub: Path, crosswalk: Path) -> DraftWorkbooks:
    """Read the rows of the three workbooks that the catalogues are built from."""
    books = DraftWorkbooks()
    books.it3 = read_sheet(it3, IT3_SHEET, IT3_COLUMNS, required=("rem", "id", "profil", "evolution"))
    for sheet in PREPUB_SHEETS:
        books.prepub += read_sheet(prepub, sheet, PREPUB_COLUMNS, required=("arbitrage", "rem", "ref"),
                                   raw=("preuve",), statements=STATEMENT_COLUMNS)
    for sheet in CROSSWALK_SHEETS:
        books.crosswalk += read_sheet(crosswalk, sheet, CROSSWALK_COLUMNS[sheet], required=("v1", "v2"))
    columns = {"ref": "REQ_VERSION_REFERENCE", "note": "REQ_VERSION_CUF_NOTE_INTERNE"}
    for row in read_sheet(crosswalk, ORIGINS_SHEET, columns, required=tuple(columns)):
        found = sorted(set(ORIGIN_ID.findall(row.cells["note"])))
        if found and row.cells["ref"].startswith("SC.MSS/"):
            books.origins.append(Row(row.sheet, row.row, {"ref": row.cells["ref"], "origins": " ".join(found)}))
    return books


def preuve_label(text: str, kind: ProofKind) -> str:
    """A short label of our own for a preuve, from its kind and a few keywords of its text."""
    folded = fold(re.sub(r"<[^>]+>", " ", text))
    label = next((lab for key, lab in SPECIFIC_LABELS if key in folded), KIND_LABELS[kind])
    return label + (" (selon le cas)" if _CONDITIONAL.match(folded) else "")


def proof_items(cell: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(id, description) of each ``ID : description`` line of a preuve cell, and the lines that
    start with no ID (reported). A line without ``:`` continues the previous description."""
    items: list[tuple[str, str]] = []
    stray: list[str] = []
    for line in (ln for ln in cell.splitlines() if ln.strip()):
        match = _PROOF_LINE.match(line)
        if match:
            items.append((match.group(1), match.group(2)))
        elif items and ":" not in line[:3]:
            items[-1] = (items[-1][0], items[-1][1] + " " + line)
        else:
            stray.append(line.strip())
    return items, stray


def proof(pid: str, text: str) -> ProofItem:
    kind = infer_proof_kind(text)
    return ProofItem(pid, kind, preuve_label(text, kind))


def derive(child: str, raw_parent: str, parent: str) -> str | None:
    """``child`` (as written, under ``raw_parent`` as written) restated under ``parent``'s full
    ID when it is exactly one level below it; None when the numbering does not derive."""
    for written in (raw_parent, parent):
        rest = child[len(written):] if written and child.startswith(written) else ""
        if re.fullmatch(r"\.[A-Za-z0-9]+", rest):
            return parent + rest
    return None


def vague2_refs(cell: str) -> list[str]:
    """The Vague 2 references of a crosswalk cell (``DPI:DOC/va1.02/DOC/va1.04`` → two)."""
    text = re.sub(r"\b[A-Z]{2,5}:", " ", cell)
    return re.findall(r"(?:[A-Za-z]{2,5}\.)?[A-Za-z]+(?:/[A-Za-z]+)*/va1\.\d+|[A-Z]{2,5}\.[A-Za-z]+\.\d+", text)


def vague1_refs(cell: str) -> list[str]:
    """The Vague 1 IDs of a cell (``DPI.ANN.01``, or ``ANN.01`` without its DSR prefix)."""
    return re.findall(r"(?:[A-Za-z]{2,5}\.)?[A-Za-z]+\.\d+[A-Z]?", cell)
