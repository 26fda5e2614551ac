"""Pre-deposit checks of proof files: place, type, format by content, size, ID, duplicates.

The files checked are those the profile's ``[[proofs]]`` name (``file`` of the record in force:
the last one of each proof and solution; a relative path is resolved against the checked folder)
and, when a folder is scanned, the files named after a proof ID (see :mod:`.naming`); a file
reached both ways is checked once (source ``profil+dossier``). For each file:

- it exists, is a regular file, is readable and lies inside the folder. Its path is resolved
  (symbolic links included) *before* anything is opened: a link whose target leaves the folder
  is refused without its target being opened or read, and a file is opened with ``O_NOFOLLOW``
  and ``O_NONBLOCK`` and checked again (regular file, same inode) before a byte is read;
- its format, from its first bytes (:func:`.formats.sniff`), against its extension and the
  formats its kind accepts (seed 002 table; ``*`` accepts anything readable);
- its size (``fstat``, the file is not read) against its kind's limit, in bytes (1 Mo is read as
  1,000,000 bytes, the conservative reading);
- its ID: a catalogued preuve of an applicable exigence; nested under an applicable exigence but
  absent from the catalogue (a warning: the draft catalogues lack scénarios); of a non-applicable
  exigence, or unknown (refused);
- one file per proof: two files for the same proof (and solution) are duplicates (a warning).

Memory: the folder is walked with ``os.scandir`` iterators (one open iterator per folder level,
no list of entries), at most :data:`~.formats.HEAD_BYTES` bytes of a file are read, and files
whose name follows no ID are only counted. The report keeps one small record per proof file (to
sort them and to find duplicates).
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..models.common import plural
from ..models.plan import Plan
from ..models.profile import ProofRecord, SolutionProfile
from ..storage import kind_of, os_reason
from ..vocabulary import REQ_STATUS
from .catalogue import KIND_LABELS, ExpectedProof, Match, ProofIndex
from .formats import HEAD_BYTES, TEXT, Detection, accepted, canonical, format_of_extension, sniff
from .naming import extension, proof_key, read_id

Level = Literal["refused", "warning"]
MAX_DEPTH = 32

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    level: Level
    message: str


#: Problems are shared between files that have the same one (10,000 files, a few messages).
_problem = functools.lru_cache(maxsize=4096)(Problem)
_key = functools.lru_cache(maxsize=4096)(proof_key)


@dataclass(slots=True)
class FileCheck:
    """The verdict on one file."""

    path: str
    proof: str | None
    kind: str | None
    size: int | None
    detected: str | None
    source: str  # "profil", "dossier" or "profil+dossier"
    solution: str | None = None
    problems: list[Problem] = field(default_factory=list)
    key: str | None = None  # duplicate key (proof key), None when the proof is unknown

    @property
    def status(self) -> str:
        levels = {p.level for p in self.problems}
        return "refused" if "refused" in levels else "warning" if "warning" in levels else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "proof": self.proof, "kind": self.kind, "size": self.size,
                "detected": self.detected, "status": self.status, "source": self.source,
                "solution": self.solution,
                "problems": [{"code": p.code, "level": p.level, "message": p.message} for p in self.problems]}


@dataclass
class CheckReport:
    root: str
    scanned: bool
    files: list[FileCheck]
    ignored: int
    expected: int
    missing: list[tuple[str, str | None]]

    @property
    def refused(self) -> bool:
        return any(f.status == "refused" for f in self.files)

    def counts(self) -> dict[str, int]:
        statuses = [f.status for f in self.files]
        return {"checked": len(statuses), "ok": statuses.count("ok"), "warning": statuses.count("warning"),
                "refused": statuses.count("refused"), "ignored": self.ignored}

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": [f.as_dict() for f in self.files],
            "summary": {
                "dir": self.root, "scanned": self.scanned, **self.counts(),
                "expected": self.expected, "with_file": self.expected - len(self.missing),
                "missing": [{"proof": p, "solution": s} for p, s in self.missing],
            },
        }


# ------------------------------------------------------------------------------ helpers


def octets(n: int) -> str:
    """``2000000`` → ``2 000 000``."""
    return f"{n:,}".replace(",", " ")


def _mo(n: int) -> str:
    value = n / 1_000_000
    return f"{value:g}".replace(".", ",")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _read_head(fd: int, size: int) -> bytes:
    wanted = min(size, HEAD_BYTES)
    chunks, got = [], 0
    while got < wanted:
        chunk = os.read(fd, wanted - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def inspect(path: str, root_real: str, real: str | None = None) -> tuple[int | None, Detection | None, list[Problem]]:
    """Size, content detection and place problems of the file at ``path`` (absolute).

    Nothing outside ``root_real`` is ever opened: the path is resolved first (``realpath`` only
    reads links), and the file is opened without following links, then checked again. ``real``:
    the resolved path when the caller knows it (a scanned entry that is not a link, in folders
    that are not links).
    """
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return None, None, [_problem("missing", "refused", "fichier introuvable")]
    except OSError as exc:
        return None, None, [_problem("unreadable", "refused", f"inaccessible : {os_reason(exc)}")]
    if real is None or stat.S_ISLNK(lst.st_mode):
        real = os.path.realpath(path)
    if not _inside(real, root_real):
        if stat.S_ISLNK(lst.st_mode):
            return None, None, [_problem("symlink-outside", "refused",
                                        f"lien symbolique vers {real}, hors du dossier vérifié : refusé sans être lu")]
        return None, None, [_problem("outside-dir", "refused", f"hors du dossier vérifié ({root_real}) : refusé")]
    try:
        st = os.stat(real)
    except OSError as exc:
        return None, None, [_problem("missing", "refused", f"cible introuvable : {os_reason(exc)}")]
    if not stat.S_ISREG(st.st_mode):
        what = kind_of(st.st_mode)
        return None, None, [_problem("not-regular", "refused", f"n'est pas un fichier ordinaire : {what}")]
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        return st.st_size, None, [_problem("unreadable", "refused", f"illisible : {os_reason(exc)}")]
    try:
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode) or (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino):
            return None, None, [_problem("changed", "refused", "le fichier a changé pendant la vérification")]
        try:
            head = _read_head(fd, fst.st_size)
        except OSError as exc:
            return fst.st_size, None, [_problem("unreadable", "refused", f"illisible : {os_reason(exc)}")]
    finally:
        os.close(fd)
    return fst.st_size, sniff(head), []


def format_problems(name: str, detection: Detection, proof: ExpectedProof | None) -> list[Problem]:
    """The content against the extension and against the formats of the proof's kind."""
    ext = extension(name)
    announced = format_of_extension(ext)
    content = detection.label or "non reconnu"
    allowed = accepted(proof.formats) if proof is not None and proof.formats else None
    if proof is not None and allowed is not None:
        formats = ", ".join(dict.fromkeys(canonical(f) for f in proof.formats))
        if not detection.formats & allowed:
            if announced in allowed:
                return [_problem("wrong-format", "refused", f"n'est pas un {announced} (contenu : {content})")]
            kind = KIND_LABELS.get(proof.kind, proof.kind)
            return [_problem("wrong-format", "refused",
                             f"format {content} non accepté pour une preuve de type {kind} "
                             f"(formats acceptés : {formats})")]
        if announced not in allowed:
            target = sorted(detection.formats & allowed)[0].lower()
            shown = f"« .{ext} »" if ext else "absente"
            return [_problem("wrong-extension", "refused",
                            f"extension {shown} non acceptée ({formats}) : renommez le fichier en .{target}")]
        if announced not in detection.formats:
            return [_problem("extension-mismatch", "warning",
                            f"l'extension .{ext} annonce un {announced}, le contenu est un {content}")]
        return []
    if announced is not None and announced not in detection.formats:
        what = "du texte" if detection.label == TEXT else f"un {content}" if detection.label else "non reconnu"
        return [_problem("extension-mismatch", "warning",
                         f"l'extension .{ext} annonce un {announced}, le contenu est {what}")]
    return []


def size_problems(size: int, proof: ExpectedProof | None) -> list[Problem]:
    if size == 0:
        return [_problem("empty", "refused", "fichier vide")]
    if proof is not None and proof.max_bytes is not None and size > proof.max_bytes:
        return [_problem("too-big", "refused",
                        f"trop volumineux : {octets(size)} octets pour {octets(proof.max_bytes)} au plus "
                        f"({_mo(proof.max_bytes)} Mo ; 1 Mo = 1 000 000 octets)")]
    return []


def id_problems(identifier: str, match: Match) -> list[Problem]:
    req = match.requirement
    if match.what == "unknown":
        return [_problem("unknown-proof", "refused",
                        "numéro inconnu ou non applicable : ne relève d'aucune exigence applicable")]
    if match.what == "not-applicable":
        return [_problem("not-applicable", "refused",
                        f"{identifier} relève de l'exigence {req.id if req else '?'}, non applicable à ce profil")]
    if match.what == "nested":
        return [_problem("not-in-catalogue", "warning",
                        f"preuve absente du catalogue : l'exigence {req.id if req else '?'} s'applique mais nos "
                        "sources n'en listent pas les preuves ; format et taille non vérifiés")]
    if match.what in ("scenario", "requirement"):
        what = "un scénario" if match.what == "scenario" else "une exigence"
        return [_problem("not-a-proof", "warning",
                        f"{identifier} est {what}, pas une preuve : nommez le fichier d'après le numéro de preuve ; "
                        "format et taille non vérifiés")]
    problems = []
    proof = match.proof
    if proof is not None and not proof.requirement.to_prove:
        status = REQ_STATUS.get(proof.requirement.status, proof.requirement.status)
        problems.append(_problem("not-to-prove", "warning",
                                f"l'exigence {proof.requirement.id} est {status} : cette preuve n'est pas demandée"))
    if proof is not None and proof.max_bytes is None:
        problems.append(_problem("unknown-limits", "warning",
                                "type de preuve non reconnu dans le catalogue : format et taille non vérifiés"))
    return problems


# ------------------------------------------------------------------------------ the check


def check_file(path: str, shown: str, identifier: str, match: Match, root_real: str, *, source: str,
               solution: str | None = None, real: str | None = None) -> FileCheck:
    """Every check on one file whose proof ID is ``identifier`` (resolved as ``match``)."""
    proof = match.proof
    spelt = ProofIndex.display(identifier, match)
    result = FileCheck(path=shown, proof=spelt, kind=proof.kind if proof else None, size=None, detected=None,
                       source=source, solution=solution,
                       key=_key(spelt) if match.what != "unknown" else None)
    size, detection, problems = inspect(path, root_real, real)
    result.size = size
    result.problems.extend(id_problems(spelt, match))
    if detection is not None and size is not None:
        result.detected = detection.label
        result.problems.extend(size_problems(size, proof))
        if size:  # an empty file has no format to discuss
            result.problems.extend(format_problems(os.path.basename(path), detection, proof))
    result.problems[:0] = problems
    return result


def _walk(root: str) -> Iterator[os.DirEntry[str]]:
    """Every non-hidden entry of ``root`` that is not a real folder, folders descended depth-first
    (links to folders are entries, never followed). One ``scandir`` iterator per level."""
    stack = [os.scandir(root)]
    try:
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop().close()
                continue
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if len(stack) < MAX_DEPTH:
                    try:
                        stack.append(os.scandir(entry.path))
                    except OSError:
                        continue
                continue
            yield entry
    finally:
        for it in stack:
            it.close()


def count_files(root: Path) -> int:
    """How many entries :func:`check_proofs` will look at in ``root`` (for a progress bar)."""
    return sum(1 for _ in _walk(str(root)))


def _relative(path: str, root: str) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive (Windows)
        return path


def _profile_files(profile: SolutionProfile) -> list[ProofRecord]:
    """The records in force (the last one of each proof and solution) that name a file."""
    latest: dict[tuple[str, str | None], ProofRecord] = {}
    for record in profile.proofs:
        latest[(proof_key(record.id), record.solution)] = record
    return [r for r in latest.values() if r.file]


def check_proofs(plan: Plan, profile: SolutionProfile, *, root: Path, scan: bool = True,
                 on_entry: Callable[[], None] | None = None) -> CheckReport:
    """Check the proof files of ``profile`` (planned as ``plan``) in the folder ``root``.

    ``root`` is the folder every file must lie in (the ``--dir`` folder, or the profile's); the
    profile's relative ``file`` paths are resolved against it. With ``scan``, the files of
    ``root`` named after a proof ID are checked too. ``on_entry`` is called once per scanned
    entry (progress bar).
    """
    index = ProofIndex(plan)
    root_abs = os.path.abspath(root)
    root_real = os.path.realpath(root)
    results: list[FileCheck] = []
    by_real: dict[str, FileCheck] = {}
    for record in _profile_files(profile):
        written = record.file or ""
        path = os.path.normpath(os.path.join(root_abs, os.path.expanduser(written)))
        shown = _relative(path, root_abs) if _inside(path, root_abs) else written
        match = index.resolve(record.id, record.solution)
        result = check_file(path, shown, record.id, match, root_real, source="profil", solution=record.solution)
        named = read_id(os.path.basename(path), index.knows, index.nests)
        if named is not None and proof_key(named) != proof_key(record.id) and index.knows(proof_key(named)):
            result.problems.append(_problem("id-mismatch", "warning",
                                           f"le nom du fichier désigne {named}, le profil le rattache à {record.id}"))
        results.append(result)
        if os.path.lexists(path):
            by_real.setdefault(os.path.realpath(path), result)
    ignored = 0
    if scan:
        for entry in _walk(root_abs):
            if on_entry is not None:
                on_entry()
            # Folders below root are never links (not followed): only the entry itself may be one.
            inner = entry.path[len(root_abs):].lstrip(os.sep)
            real = None if entry.is_symlink() else os.path.join(root_real, inner)
            if by_real:  # already checked as a file of the profile
                already = by_real.get(real or os.path.realpath(entry.path))
                if already is not None:
                    if already.source == "profil":
                        already.source = "profil+dossier"
                    continue
            identifier = read_id(entry.name, index.knows, index.nests)
            if identifier is None:
                ignored += 1
                continue
            match = index.resolve(identifier)
            results.append(check_file(entry.path, inner.replace(os.sep, "/"), identifier, match, root_real,
                                      source="dossier", real=real))
    _mark_duplicates(results)
    results.sort(key=lambda f: (f.path, f.proof or "", f.solution or ""))
    covered = {(f.key, f.solution) for f in results if f.key}
    expected = index.expected()
    missing = sorted({(p.id, p.solution) for p in expected
                      if (proof_key(p.id), p.solution) not in covered and (proof_key(p.id), None) not in covered},
                     key=lambda x: (x[0], x[1] or ""))
    return CheckReport(root=root_abs, scanned=scan, files=results, ignored=ignored,
                       expected=len({(p.id, p.solution) for p in expected}), missing=missing)


def _mark_duplicates(results: list[FileCheck]) -> None:
    """Files of the same proof (and solution) get one shared problem naming a few of them."""
    groups: dict[tuple[str, str | None], list[FileCheck]] = {}
    for result in results:
        if result.key is not None:
            groups.setdefault((result.key, result.solution), []).append(result)
    for group in groups.values():
        if len(group) < 2:
            continue
        paths = sorted(r.path for r in group)
        shown = ", ".join(paths[:3]) + (f"… et {plural(len(paths) - 3, 'autre')}" if len(paths) > 3 else "")
        problem = Problem("duplicate", "warning", f"doublon : {len(group)} fichiers pour la preuve {group[0].proof} "
                                                  f"({shown}) ; un seul sera déposé")
        for result in group:
            result.problems.append(problem)


# ------------------------------------------------------------------------------ rendering

_STATUS_FR = {"ok": "OK", "warning": "ATTENTION", "refused": "REFUSÉ"}


def render_text(report: CheckReport) -> str:
    """One French line per file, then a summary."""
    lines = []
    for f in report.files:
        what = [KIND_LABELS.get(f.kind, f.kind)] if f.kind else []
        if f.size is not None:
            what.append(f"{octets(f.size)} octets")
        if f.detected:
            what.append(f"contenu {f.detected}")
        target = f"{f.proof}" + (f" [{f.solution}]" if f.solution else "")
        line = f"{_STATUS_FR[f.status]:<9} {f.path} → {target}" + (f" ({', '.join(what)})" if what else "")
        if f.problems:
            line += " : " + " ; ".join(p.message for p in f.problems)
        lines.append(line)
    c = report.counts()
    if not report.files:
        lines.append("Aucun fichier de preuve à vérifier." + ("" if report.scanned else
                     " Indiquez un dossier (--dir) ou des fichiers dans les [[proofs]] du profil."))
    lines.append("")
    lines.append(f"{plural(c['checked'], 'fichier vérifié', 'fichiers vérifiés')} : "
                 f"{plural(c['ok'], 'conforme')}, {c['warning']} avec avertissement, "
                 f"{plural(c['refused'], 'refusé')}."
                 + (f" {plural(c['ignored'], 'fichier ignoré', 'fichiers ignorés')} (nom sans numéro de preuve)."
                    if report.scanned else ""))
    if report.expected:
        with_file = report.expected - len(report.missing)
        lines.append(f"Preuves attendues : {report.expected}, dont {with_file} avec un fichier.")
    if report.missing:
        shown = ", ".join(p + (f" [{s}]" if s else "") for p, s in report.missing)
        lines.append(f"Sans fichier ({len(report.missing)}) : {shown}")
    return "\n".join(lines) + "\n"
