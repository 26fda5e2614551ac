"""The proof-tracking workbook: export (.xlsx or .csv) and reading it back.

One row per proof: the catalogued preuves of the applicable exigences, the proofs recorded in
``[[proofs]]`` that the catalogue does not list, and one row (Preuve empty) per exigence still to
prove whose sources list no preuve, so that nothing is lost. Headers are French, close to
Convergence's export; a groupement adds a Solution column. One sheet, « Preuves », with a
Profil column (filters do the per-profil view), a frozen header row, an auto-filter, column
widths from the content and a drop-down list on Statut.

Statut is written as a French label (À faire, Collectée, Déposée, Validée, Rejetée); reading
accepts the labels and the profile's values (todo, collected…), case and accents ignored.
Échéance is the plan's « dossier complet » deadline, or « fin des échanges » for an exigence to
redeposit. The file is deterministic: the workbook's created/modified properties and the zip
entries' times are the plan's date, so the same plan gives the same bytes. The CSV is UTF-8
with a BOM and ``;`` separators (what a French Excel opens directly); reading also accepts
Windows-1252 and ``,`` or tab separators.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FieldProblem, InputError
from ..models.common import fold, plural
from ..models.plan import Plan
from ..models.profile import ProofRecord, SolutionProfile
from ..storage import write_file
from ..vocabulary import PROOF_STATUS
from .catalogue import KIND_LABELS, REQUIREMENT_STATUS_LABELS, units
from .naming import proof_key

STATUSES = ("todo", "collected", "deposited", "validated", "rejected")
STATUS_LABELS = PROOF_STATUS
SHEET = "Preuves"

#: (field, header) in column order; "solution" only for a groupement.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("solution", "Solution"),
    ("requirement", "Exigence"),
    ("chapter", "Chapitre"),
    ("profil", "Profil"),
    ("scenario", "Scénario"),
    ("proof", "Preuve"),
    ("kind", "Type"),
    ("formats", "Formats acceptés"),
    ("max_bytes", "Taille max (octets)"),
    ("status", "Statut"),
    ("file", "Fichier"),
    ("date", "Date"),
    ("due", "Échéance"),
    ("requirement_status", "Statut exigence"),
    ("note", "Note"),
)
HEADERS = dict(COLUMNS)
_MAX_WIDTH = {"requirement": 22, "proof": 26, "file": 36, "note": 40, "profil": 24, "chapter": 40}
_MIN_WIDTH = {"status": 12, "date": 12, "due": 12, "file": 16, "note": 16}


@dataclass(frozen=True)
class ExportRow:
    solution: str | None
    requirement: str | None
    chapter: str | None
    profil: str | None
    scenario: str | None
    proof: str | None
    kind: str | None
    formats: str | None
    max_bytes: int | None
    status: str
    file: str | None
    date: dt.date | None
    due: dt.date | None
    requirement_status: str | None
    note: str | None


def _formats(formats: Sequence[str], max_bytes: int | None) -> str | None:
    if any(f.strip() == "*" for f in formats):
        return "Tous formats"
    if not formats:
        return "Tous formats" if max_bytes is not None else None
    return ", ".join(formats)


def _deadline(plan: Plan, deadline_id: str) -> dt.date | None:
    return next((d.date for d in plan.deadlines if d.id == deadline_id), None)


class _Records:
    """The profile's records; the last one of a proof wins (as in the plan's progress)."""

    def __init__(self, profile: SolutionProfile) -> None:
        self.records = [(proof_key(r.id), r) for r in profile.proofs]

    def effective(self, key: str, solution: str | None) -> ProofRecord | None:
        for k, record in reversed(self.records):
            if k == key and record.solution in (None, solution):
                return record
        return None


def export_rows(plan: Plan, profile: SolutionProfile) -> list[ExportRow]:
    """The rows of the tracking workbook, in the plan's order (shared exigences first)."""
    records = _Records(profile)
    complete, end = _deadline(plan, "dossier-complet"), _deadline(plan, "fin-echanges")
    labels = {p.id: p.label for p in plan.profils}
    rows: list[ExportRow] = []
    shown: set[tuple[str, str | None]] = set()  # (proof key, record solution) already in a row
    every = list(units(plan))
    catalogued = {proof_key(p.id) for _, req in every for s in req.scenarios for p in s.proofs}

    def row(solution: str | None, req: Any, scenario: str | None, proof_id: str | None, kind: str | None,
            formats: str | None, max_bytes: int | None, record: ProofRecord | None) -> ExportRow:
        return ExportRow(
            solution=solution, requirement=req.id if req else None, chapter=req.chapter if req else None,
            profil=labels.get(req.profil, req.profil) if req else None, scenario=scenario, proof=proof_id,
            kind=KIND_LABELS.get(kind, kind) if kind else None, formats=formats, max_bytes=max_bytes,
            status=record.status if record else "todo", file=record.file if record else None,
            date=record.date if record else None,
            due=(end if req is not None and req.status == "redeposit" else complete),
            requirement_status=REQUIREMENT_STATUS_LABELS.get(req.status, req.status) if req else None,
            note=record.note if record else None)

    for solution, req in every:
        if req.status == "not-applicable":
            continue
        before = len(rows)
        for scenario in req.scenarios:
            for p in scenario.proofs:
                record = records.effective(proof_key(p.id), solution)
                if record is not None:
                    shown.add((proof_key(record.id), record.solution))
                rows.append(row(solution, req, scenario.id, p.id, str(p.kind), _formats(p.formats, p.max_bytes),
                                p.max_bytes, record))
        extra: dict[str, ProofRecord] = {}
        req_key = proof_key(req.id)
        for key, record in records.records:
            if key not in catalogued and key.startswith(req_key + ".") and record.solution in (None, solution):
                extra[key] = record  # the last record wins
        for key, record in sorted(extra.items()):
            shown.add((key, record.solution))
            scenario_id = next((s.id for s in req.scenarios if key.startswith(proof_key(s.id) + ".")), None)
            rows.append(row(solution, req, scenario_id, record.id, None, None, None, record))
        if len(rows) == before and req.to_prove:
            rows.append(row(solution, req, None, None, None, None, None, None))
    orphans: dict[tuple[str, str | None], ProofRecord] = {}
    for key, record in records.records:
        if (key, record.solution) not in shown:
            orphans[(key, record.solution)] = record
    by_key = {proof_key(r.id): r for _, r in every}
    for (key, solution), record in sorted(orphans.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        owner = next((r for k, r in by_key.items() if key.startswith(k + ".") or key == k), None)
        rows.append(row(solution, owner, None, record.id, None, None, None, record))
    return rows


# ------------------------------------------------------------------------------ writing


def _columns(groupement: bool) -> list[tuple[str, str]]:
    return [(f, h) for f, h in COLUMNS if groupement or f != "solution"]


def _cell(row: ExportRow, name: str) -> Any:
    value = getattr(row, name)
    if name == "status":
        return STATUS_LABELS.get(value, value)
    return value


def render_csv(rows: Iterable[ExportRow], *, groupement: bool) -> bytes:
    """UTF-8 with BOM, ``;`` separated, dates as AAAA-MM-JJ, CRLF line ends (French Excel)."""
    columns = _columns(groupement)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([h for _, h in columns])
    for r in rows:
        values = [_cell(r, f) for f, _ in columns]
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in values])
    return buffer.getvalue().encode("utf-8-sig")


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time (deterministic workbooks)."""

    fixed: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None,
                 compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed)
            zinfo.compress_type = self.compression
            zinfo.external_attr = 0o600 << 16
            zinfo_or_arcname = zinfo
        else:
            zinfo_or_arcname.date_time = self.fixed
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        """openpyxl writes the worksheets through temporary files: same fixed time for them."""
        with open(filename, "rb") as source:
            data = source.read()
        self.writestr(arcname or os.path.basename(filename), data, compress_type, compresslevel)


def render_xlsx(rows: Iterable[ExportRow], *, groupement: bool, today: dt.date) -> bytes:
    """The workbook as bytes (see the module docstring); ``today`` stamps it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    columns = _columns(groupement)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for _, h in columns])
    widths = [len(h) + 2 for _, h in columns]
    count = 0
    for r in rows:
        values = [_cell(r, f) for f, _ in columns]
        ws.append(values)
        count += 1
        for i, v in enumerate(values):
            text = v.isoformat() if isinstance(v, dt.date) else "" if v is None else str(v)
            widths[i] = max(widths[i], min(len(text) + 2, 60))
    bold, fill = Font(bold=True), PatternFill("solid", start_color="DDE4EE", end_color="DDE4EE")
    for i, (name, _) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i)
        head.font, head.fill = bold, fill
        head.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = max(_MIN_WIDTH.get(name, 8), min(widths[i - 1], _MAX_WIDTH.get(name, 60)))
        if name in ("date", "due"):
            for (cell,) in ws.iter_rows(min_row=2, max_row=count + 1, min_col=i, max_col=i):
                cell.number_format = "DD/MM/YYYY"
        elif name == "max_bytes":
            for (cell,) in ws.iter_rows(min_row=2, max_row=count + 1, min_col=i, max_col=i):
                cell.number_format = "#,##0"
        elif name == "status":
            choices = ",".join(STATUS_LABELS.values())
            check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True,
                                   errorTitle="Statut inconnu", error="Choisissez : " + choices.replace(",", ", "))
            check.add(f"{letter}2:{letter}{max(count + 1, 2) + 500}")
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    stamp = dt.datetime.combine(today, dt.time())
    wb.properties.creator = "segur-plan"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED)
    archive.fixed = (max(today.year, 1980), today.month, today.day, 0, 0, 0)
    ExcelWriter(wb, archive).save()  # not wb.save(): it stamps "modified" with the current time
    return buffer.getvalue()


def export_workbook(plan: Plan, profile: SolutionProfile, target: Path) -> int:
    """Write the tracking workbook (``.xlsx`` or ``.csv``, by extension); returns the row count."""
    rows = export_rows(plan, profile)
    groupement = bool(plan.solutions)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        data = render_xlsx(rows, groupement=groupement, today=plan.today)
    elif suffix == ".csv":
        data = render_csv(rows, groupement=groupement)
    else:
        raise InputError(f"Format de classeur inconnu « {target.suffix or target.name} » : "
                         "extension attendue .xlsx ou .csv", path=target)
    write_file(target, data)
    return len(rows)


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class SheetRow:
    """One row of a workbook read back; ``cells`` names the cell of each field (for messages)."""

    line: str
    proof: str
    solution: str | None
    status: str
    date: dt.date | None
    file: str | None
    note: str | None
    present: frozenset[str]
    cells: dict[str, str]


_READ = ("solution", "proof", "status", "date", "file", "note")
_HEADER_KEYS = {fold(h): f for f, h in COLUMNS if f in _READ}
_STATUS_KEYS: dict[str, str] = {}


def _stem(text: str) -> str:
    """Gender and number off a status word: « Validées » → ``valid``."""
    return re.sub(r"[es]+$", "", fold(text))


for _value, _label in STATUS_LABELS.items():
    _STATUS_KEYS[_value] = _value
    _STATUS_KEYS[_stem(_label)] = _value


def parse_status(value: Any) -> str | None:
    """``Déposée`` / ``deposited`` / ``DEPOSEE`` → ``deposited``; empty → ``todo``; else ``None``."""
    text = fold(str(value)) if value is not None else ""
    if not text:
        return "todo"
    return _STATUS_KEYS.get(text) or _STATUS_KEYS.get(_stem(text))


def _date(value: Any) -> dt.date | None | str:
    """A date from a cell; the original text back when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 2958466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # an Excel serial date
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _rows_from_grid(grid: Iterator[tuple[Any, ...]], ref: Any, where: str,
                    problems: list[FieldProblem]) -> list[SheetRow] | None:
    """Rows of one sheet (``None`` when its first row is not our header)."""
    header = next(grid, None)
    if header is None:
        return None
    columns: dict[str, int] = {}
    for i, value in enumerate(header):
        name = _HEADER_KEYS.get(fold(str(value))) if value is not None else None
        if name and name not in columns:
            columns[name] = i
    if "proof" not in columns or "status" not in columns:
        return None
    present = frozenset(columns)
    out = []
    for number, values in enumerate(grid, start=2):
        def get(name: str, values: tuple[Any, ...] = values) -> Any:
            i = columns.get(name)
            return values[i] if i is not None and i < len(values) else None

        cells = {name: ref(i, number) for name, i in columns.items()}
        proof, raw_status = _text(get("proof")), get("status")
        status = parse_status(raw_status)
        date, file, note, solution = _date(get("date")), _text(get("file")), _text(get("note")), _text(get("solution"))
        if proof is None:
            if status not in (None, "todo") or date or file:
                problems.append(FieldProblem(cells["proof"], "numéro de preuve absent alors que la ligne est "
                                                             "renseignée (statut, date ou fichier)"))
            continue
        if status is None:
            problems.append(FieldProblem(cells["status"], f"statut inconnu « {raw_status} » ; valeurs possibles : "
                                                          f"{', '.join(STATUS_LABELS.values())}"))
            continue
        if isinstance(date, str):
            problems.append(FieldProblem(cells["date"], f"date invalide « {date} » : attendu JJ/MM/AAAA ou AAAA-MM-JJ"))
            continue
        out.append(SheetRow(line=f"{where}ligne {number}", proof=proof, solution=solution, status=status,
                            date=date, file=file, note=note, present=present, cells=cells))
    return out


def _read_xlsx(path: Path, problems: list[FieldProblem]) -> list[SheetRow]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook: zip, XML or key errors alike
        raise InputError(f"Classeur illisible ({path.name}) : {exc}", path=path) from exc
    rows: list[SheetRow] = []
    found = False
    try:
        for ws in wb.worksheets:
            def ref(col: int, row: int, title: str = ws.title) -> str:
                return f"{title}!{get_column_letter(col + 1)}{row}"

            sheet_rows = _rows_from_grid(ws.iter_rows(values_only=True), ref, f"feuille « {ws.title} », ", problems)
            if sheet_rows is not None:
                found = True
                rows.extend(sheet_rows)
    finally:
        wb.close()
    if not found:
        raise InputError(f"{path.name} : aucune feuille n'a d'en-têtes « Preuve » et « Statut » en première ligne",
                         path=path)
    return rows


def _read_csv(path: Path, problems: list[FieldProblem]) -> list[SheetRow]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, None)
    if headers is None:
        raise InputError(f"{path.name} est vide", path=path)

    def ref(col: int, row: int) -> str:
        name = headers[col] if col < len(headers) else f"colonne {col + 1}"
        return f"ligne {row}, colonne {name}"

    def grid() -> Iterator[tuple[Any, ...]]:
        yield tuple(headers)
        for values in reader:
            yield tuple(values)

    rows = _rows_from_grid(grid(), ref, "", problems)
    if rows is None:
        raise InputError(f"{path.name} : en-têtes « Preuve » et « Statut » absents de la première ligne", path=path)
    return rows


def read_workbook(path: Path) -> list[SheetRow]:
    """The proof rows of a tracking workbook (``.xlsx`` or ``.csv``); every faulty cell is reported."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Classeur introuvable : {path}", path=path)
    problems: list[FieldProblem] = []
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _read_xlsx(path, problems)
    elif suffix == ".csv":
        rows = _read_csv(path, problems)
    else:
        raise InputError(f"Format de classeur inconnu « {path.suffix or path.name} » : extension attendue "
                         ".xlsx ou .csv", path=path)
    if problems:
        raise InputError(f"Classeur invalide ({path}) : {plural(len(problems), 'cellule')} à corriger", path=path,
                         problems=problems)
    return rows


__all__ = ["COLUMNS", "ExportRow", "SheetRow", "export_rows", "export_workbook", "read_workbook", "render_csv",
           "render_xlsx", "parse_status"]
