"""Updating a profile's ``[[proofs]]`` from a tracking workbook, without losing anything else.

The TOML is edited with `tomlkit <https://github.com/python-poetry/tomlkit>`_, which keeps
comments, blank lines, key order and formatting: only the changed keys of the changed
``[[proofs]]`` entries are touched, and new entries are appended after the last one.

How a row is matched: by proof ID (prefix and case ignored, as everywhere) and, for a groupement,
by solution (the Solution column; empty = the whole group). A row is compared with what the
workbook showed for it, the profile's last record of that proof for that solution or for the
whole group (the plan's rule). An unchanged row changes nothing; a changed row updates the last
record of the same proof and solution when it is the one in force, else a new record is
appended (so that it is the one in force). A row « À faire » with no date, file or note for a
proof the profile does not record is not added (the profile stays small). Only the columns
present in the workbook are applied (a workbook without Note leaves the notes alone); an empty
Date, Fichier or Note cell removes the key.

The result is validated with the engine's :func:`~segur_plan.engine.loading.parse_profile`
before anything is written, and written atomically (temporary file, then rename).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FieldProblem, InputError, ProfileError
from ..loading import load_profile, parse_profile
from ..models.common import plural
from ..models.profile import ProofRecord, SolutionProfile
from ..storage import write_file
from .naming import proof_key
from .workbook import STATUS_LABELS, SheetRow, read_workbook

FIELDS = ("status", "date", "file", "note")
_DEFAULTS: dict[str, Any] = {"status": "todo", "date": None, "file": None, "note": None}
_NAMES = {"status": "statut", "date": "date", "file": "fichier", "note": "note"}


@dataclass(frozen=True)
class Change:
    """One ``[[proofs]]`` entry updated (``index``: its position) or appended (``index`` None)."""

    proof: str
    solution: str | None
    index: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    line: str

    def summary(self) -> str:
        """« ID [solution] : statut Collectée → Déposée ; date — → 2026-01-05 » (— : empty)."""
        who = self.proof + (f" [{self.solution}]" if self.solution else "")
        if self.index is None:
            parts = [_show("status", self.after["status"])]
            parts += [f"{_NAMES[f]} {_show(f, self.after[f])}" for f in ("date", "file", "note") if self.after.get(f)]
            return f"{who} : ajoutée ({', '.join(parts)})"
        parts = [f"{_NAMES[f]} {_show(f, self.before.get(f, _DEFAULTS[f]))} → {_show(f, v)}"
                 for f, v in self.after.items() if v != self.before.get(f, _DEFAULTS[f])]
        return f"{who} : {' ; '.join(parts)}"

    def describe(self) -> str:
        """:meth:`summary` and where the row is in the workbook."""
        return f"{self.summary()} ({self.line})"


def _show(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name == "status":
        return str(STATUS_LABELS.get(value, value))
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass
class ImportResult:
    changes: list[Change]
    unchanged: int
    skipped: int
    text: str
    written: bool = False


def _values(record: ProofRecord | None, names: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(record, f) if record is not None else _DEFAULTS[f] for f in names}


def plan_changes(profile: SolutionProfile, rows: list[SheetRow]) -> tuple[list[Change], int, int]:
    """The changes ``rows`` make to ``profile`` (and how many rows are unchanged / not added)."""
    names = {s.name for s in profile.solutions}
    keyed = [(proof_key(r.id), r) for r in profile.proofs]
    problems: list[FieldProblem] = []
    seen: dict[tuple[str, str | None], SheetRow] = {}
    changes: list[Change] = []
    unchanged = skipped = 0
    for row in rows:
        if row.solution is not None and row.solution not in names:
            where = row.cells.get("solution", row.line)
            known = ", ".join(sorted(names)) if names else "aucune (profil mono-solution : laissez la colonne vide)"
            problems.append(FieldProblem(where, f"solution inconnue « {row.solution} » ; solutions du profil : "
                                                f"{known}"))
            continue
        key = proof_key(row.proof)
        fields = tuple(f for f in FIELDS if f in row.present)
        new = {f: getattr(row, f) for f in fields}
        first = seen.get((key, row.solution))
        if first is not None:
            if {f: getattr(first, f) for f in fields} != new:
                problems.append(FieldProblem(row.cells.get("proof", row.line),
                                             f"la preuve {row.proof} figure deux fois avec des valeurs différentes "
                                             f"({first.line} et {row.line})"))
            continue
        seen[(key, row.solution)] = row
        effective = next((i for i in range(len(keyed) - 1, -1, -1)
                          if keyed[i][0] == key and keyed[i][1].solution in (None, row.solution)), None)
        current = _values(keyed[effective][1] if effective is not None else None, fields)
        if current == new:
            unchanged += 1
            continue
        target = next((i for i in range(len(keyed) - 1, -1, -1)
                       if keyed[i][0] == key and keyed[i][1].solution == row.solution), None)
        if target is not None and target == effective:
            changes.append(Change(row.proof, row.solution, target, current, new, row.line))
            continue
        if effective is None and row.status == "todo" and not (row.date or row.file or row.note):
            skipped += 1
            continue
        after = {f: new.get(f, current.get(f, _DEFAULTS[f])) for f in FIELDS}
        if effective is not None:  # fields absent from the workbook keep the record in force
            after |= {f: getattr(keyed[effective][1], f) for f in FIELDS if f not in fields}
        changes.append(Change(row.proof, row.solution, None, _values(None, FIELDS) | current, after, row.line))
    if problems:
        raise InputError(f"Classeur incompatible avec le profil : {plural(len(problems), 'cellule')} à corriger",
                         problems=problems)
    return changes, unchanged, skipped


# ------------------------------------------------------------------------------ TOML editing


def _set(table: Any, key: str, value: Any) -> None:
    """Set, replace or remove (``None``) one key, keeping the table's comments and layout."""
    import tomlkit
    from tomlkit.items import InlineTable

    if value is None:
        if key in table:
            del table[key]
        return
    if key in table or isinstance(table, InlineTable):
        table[key] = value
        return
    body = getattr(getattr(table, "value", None), "body", None)
    last = next((k for k, _ in reversed(body) if k is not None), None) if body else None
    insert_after = getattr(table.value, "_insert_after", None) if last is not None else None
    if insert_after is None:  # pragma: no cover - tomlkit without the private helper
        table[key] = value
        return
    # Added after the last key, not after the table's trailing comments and blank lines.
    insert_after(last, key, tomlkit.item(value))


def _hand_over_trailing(last: Any, new: Any) -> None:
    """Separate the last ``[[proofs]]`` entry from the one appended after it by a blank line.

    Comments right under the entry's last key stay with it; from its first blank line on, its
    trailing comments introduce what follows (« # Prérequis » before ``[prerequisites]``), so
    they move to the end of the new entry and keep introducing it."""
    from tomlkit.items import Whitespace

    body = last.value.body
    keys = [i for i, (k, _) in enumerate(body) if k is not None]
    if not keys:  # pragma: no cover - an entry always has its id
        return
    start = next((i for i in range(keys[-1] + 1, len(body)) if isinstance(body[i][1], Whitespace)), len(body))
    trailing = body[start:]
    del body[start:]  # keyless items at the end: the key index map is unaffected
    new.trivia.indent = "\n"  # the blank line before the new entry's header
    for _, item in trailing:
        new.add(item)


def apply_changes(text: str, changes: list[Change]) -> str:
    """The TOML ``text`` with ``changes`` made to its ``[[proofs]]`` (tomlkit: comments kept)."""
    import tomlkit
    from tomlkit.items import AoT, Array

    doc = tomlkit.parse(text)
    proofs = doc.get("proofs")
    for change in changes:
        if change.index is not None:
            entry = proofs[change.index]  # type: ignore[index]
            for name, value in change.after.items():
                if name == "status" and value == "todo" and "status" not in entry:
                    continue  # the default: nothing to write
                _set(entry, name, value)
            continue
        values: dict[str, Any] = {"id": change.proof}
        if change.solution is not None:
            values["solution"] = change.solution
        values |= {f: v for f, v in change.after.items() if v is not None}
        if proofs is None:
            proofs = tomlkit.aot()
            if doc.body and not text.endswith("\n\n"):
                doc.add(tomlkit.nl())
            doc.append("proofs", proofs)
            proofs = doc["proofs"]
        if isinstance(proofs, Array):
            inline = tomlkit.inline_table()
            inline.update(values)
            proofs.append(inline)
            continue
        table = tomlkit.table()
        for k, v in values.items():
            table[k] = v
        if isinstance(proofs, AoT) and len(proofs):
            _hand_over_trailing(proofs[-1], table)
        proofs.append(table)
    return tomlkit.dumps(doc)


def import_workbook(profile_path: Path, workbook_path: Path, *, dry_run: bool = False) -> ImportResult:
    """Update the ``[[proofs]]`` of the profile at ``profile_path`` from a tracking workbook."""
    profile_path = Path(profile_path)
    profile = load_profile(profile_path)
    text = profile_path.read_bytes().decode("utf-8")
    rows = read_workbook(Path(workbook_path))
    changes, unchanged, skipped = plan_changes(profile, rows)
    if not changes:
        return ImportResult(changes, unchanged, skipped, text)
    new_text = apply_changes(text, changes)
    try:
        data = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - tomlkit writes valid TOML
        raise ProfileError(f"Le profil modifié serait illisible ({exc}) : rien n'est écrit", path=profile_path) from exc
    try:
        parse_profile(data, origin=str(profile_path))
    except InputError as exc:
        raise ProfileError(f"Le profil modifié serait invalide : rien n'est écrit ({profile_path})",
                           path=profile_path, problems=exc.problems) from exc
    result = ImportResult(changes, unchanged, skipped, new_text)
    if not dry_run:
        write_file(profile_path, new_text.encode("utf-8"))
        result.written = True
    return result
