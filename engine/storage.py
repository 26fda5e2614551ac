"""The one writer of the project: every command that writes a file goes through :func:`write_file`.

What it does with the path it is given (the output of ``plan -o``, ``batch -o``, ``proofs export``,
``proofs import``, ``init``, ``packs import-rem``, ``packs new``, ``packs diff -o``, the bench):

- ``-`` is standard output: the bytes go there, no file named « - » is created;
- a regular file (or a path that does not exist yet) is written atomically: a temporary file in the
  same folder, flushed and synced, then renamed over the target; an existing file keeps its mode;
- a symbolic link is written *through*: the file it points to is replaced atomically and the link
  stays a link (so a ``plan.html`` linked into a shared folder keeps being the shared copy); a link
  to something that is not a regular file is refused like that thing;
- anything else (a character or block device such as ``/dev/null``, a named pipe, a socket, a
  folder) is refused with :class:`~segur_plan.engine.errors.OutputError` before anything is
  written: the target is left exactly as it was.

A reader therefore never sees half a plan, and running as root never turns ``/dev/null`` into a
regular file.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

#: The path that means standard output.
STDOUT = "-"


_ERRNO_FR = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.EEXIST: "existe déjà",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EXDEV: "déplacement entre deux systèmes de fichiers impossible",
    errno.ENOTEMPTY: "dossier non vide",
}


def os_reason(exc: OSError) -> str:
    """The system's reason in French (« permission refusée »): the C library speaks English."""
    return _ERRNO_FR.get(exc.errno or 0, exc.strerror or str(exc))


def os_error_text(exc: OSError) -> str:
    """« chemin : permission refusée »."""
    return f"{exc.filename} : {os_reason(exc)}" if exc.filename else os_reason(exc)


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def kind_of(mode: int) -> str:
    """« un dossier », « un tube nommé (FIFO) »… : what a path that is not a regular file is."""
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISCHR(mode):
        return "un périphérique (caractère)"
    if stat.S_ISBLK(mode):
        return "un périphérique (bloc)"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "une socket"
    return "un fichier spécial"


def writable_target(path: Path | str) -> Path:
    """The regular file that writing ``path`` would replace (the end of its symlinks), or an
    :class:`OutputError` when ``path`` is (or links to) a device, a pipe, a socket or a folder."""
    path = Path(path)
    try:
        real = Path(os.path.realpath(path)) if path.is_symlink() else path
        info = real.stat()
    except FileNotFoundError:
        return real
    except ValueError:  # a NUL byte in the path
        raise OutputError(f"Chemin de sortie invalide : {str(path)!r}", path=path) from None
    except OSError as exc:
        raise OutputError(f"Écriture impossible : {os_error_text(exc)}", path=path) from None
    if not stat.S_ISREG(info.st_mode):
        shown = f"{path} (lien vers {real})" if real != path else str(path)
        raise OutputError(f"{shown} est {kind_of(info.st_mode)}, pas un fichier : rien n'a été écrit. "
                          "Donnez le chemin d'un fichier (ou « - » pour la sortie standard).", path=path)
    return real


def write_file(path: Path | str, data: bytes, *, stdout: BinaryIO | None = None, sync: bool = True) -> None:
    """Write ``data`` to ``path`` as described in the module docstring (``-``: to ``stdout``,
    by default this process's standard output).

    ``sync=False`` skips the fsync of the temporary file before the rename: the write stays
    atomic for readers, but the caller takes charge of flushing to disk (a batch syncs once
    for all its files, :func:`sync_files`)."""
    if is_stdout(path):
        out = stdout if stdout is not None else sys.stdout.buffer
        out.write(data)
        out.flush()
        return
    target = writable_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{target.parent} n'est pas un dossier : rien n'a été écrit.", path=path) from None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if sync:
                os.fsync(out.fileno())
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
        os.chmod(tmp, mode)
        writable_target(target)  # still a regular file (or absent) just before the rename
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def sync_files(paths: Iterable[Path]) -> None:
    """Flush files written with ``write_file(..., sync=False)`` (and the folders that hold them)
    to disk: one :func:`os.sync` where the system has it (POSIX: a single call, whatever the
    number of files), else an fsync of each file."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # pragma: no cover - Windows
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a file renamed into it stays there after a crash (POSIX)."""
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Names another cache folder, or turns the disk caches off with ``off`` (REM tables, packs).
CACHE_ENV_VAR = "SEGUR_PLAN_CACHE_DIR"


def user_cache_dir() -> Path | None:
    """The user's cache folder of segur-plan (``$XDG_CACHE_HOME/segur-plan`` or
    ``~/.cache/segur-plan``; ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows), or
    ``SEGUR_PLAN_CACHE_DIR``; None when that variable turns the caches off."""
    value = os.environ.get(CACHE_ENV_VAR, "").strip()
    if value.lower() in ("off", "0", "none", "non"):
        return None
    if value:
        return Path(value)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "segur-plan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "segur-plan"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "segur-plan"


def write_private(folder: Path, name: str, data: bytes) -> None:
    """Best effort, for a cache entry: ``folder/name`` written atomically, private to the user
    (folder 0700, file 0600), without fsync; a cache that cannot be written is no error."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, folder / name)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError:
        pass


#: The name the engine used before ``write_file`` handled ``-``, links and special files.
atomic_write = write_file
