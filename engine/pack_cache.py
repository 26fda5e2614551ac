"""The validated packs, cached on disk and keyed by the bytes of their files.

Discovering the packs parses every pack's TOML, validates it (pydantic), resolves it against its
socle, checks it and compiles its rules: most of the start-up of a one-shot command such as
``segur-plan plan``, the same on every run while no pack changes. :func:`cached` keeps the result
of that work (the registry's entries and the packs it refused, with their reasons):

- under the user's cache folder (:func:`~.storage.user_cache_dir`, ``…/segur-plan/packs``;
  ``SEGUR_PLAN_CACHE_DIR`` names another folder, or ``off`` turns the cache off), never beside
  the packs; entries are private to the user (folder 0700, files 0600), written atomically;
- keyed by the list of pack files (where each comes from, local or installed), a fingerprint of
  the engine's code (module sizes and dates) and the versions of Python and pydantic; an entry
  is used only if every file it was built from (each ``pack.toml`` and the files it
  ``include``s) still has the SHA-256 recorded in it: editing a pack, adding an include, a new
  version of the engine: the packs are read again;
- safe to delete at any time; an entry that does not read back, was written by another user or
  by another format is ignored (and rewritten): the cache can make discovery faster, never
  different. Programmatic packs (:class:`~.models.pack.Pack` objects) are never cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .storage import user_cache_dir, write_private

CACHE_FORMAT = 1
#: Entries kept (the most recently written): one per set of pack files and engine version.
KEEP_ENTRIES = 8
_ENGINE = Path(__file__).resolve().parent


def cache_folder() -> Path | None:
    root = user_cache_dir()
    return None if root is None else root / "packs"


def _code_fingerprint() -> list[tuple[str, int, int]]:
    """Size and modification time of every module of the engine (a changed engine: a new key)."""
    out = []
    for folder, dirs, files in os.walk(_ENGINE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                out.append((os.path.relpath(os.path.join(folder, name), _ENGINE), info.st_size, info.st_mtime_ns))
    return out


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # a missing file: recorded as such (it appearing later changes the digest)


def pack_files(path: Path) -> list[Path]:
    """The files a ``pack.toml`` is built from: itself and the files it ``include``s."""
    import tomllib

    try:
        includes = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("include", [])
    except (OSError, ValueError):
        return [path]
    if not isinstance(includes, list):
        return [path]
    return [path, *(path.parent / str(name) for name in includes)]


def _key(sources: Sequence[tuple[str, Path, bool]]) -> str:
    from pydantic import VERSION

    shape = [CACHE_FORMAT, platform.python_implementation(), sys.version, VERSION, _code_fingerprint(),
             [(origin, str(path), local) for origin, path, local in sources]]
    return hashlib.sha256(json.dumps(shape).encode("utf-8")).hexdigest()[:40]


#: The entries already built in this process, by the state they were read in (the cache file's
#: name and the SHA-256 of every pack file): every registry of the process that finds the same
#: state shares them (immutable), unpickled once; a worker forked from a process that read them
#: (the batch's forkserver, :mod:`.worker_preload`) starts with them. At most KEEP_ENTRIES states.
_IN_PROCESS: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Any]] = {}
_IN_PROCESS_LOCK = threading.Lock()


def _shared(state: tuple[str, tuple[tuple[str, str], ...]]) -> dict[str, Any]:
    with _IN_PROCESS_LOCK:
        found = _IN_PROCESS.get(state)
        if found is None:
            found = _IN_PROCESS[state] = {}
            while len(_IN_PROCESS) > KEEP_ENTRIES:
                del _IN_PROCESS[next(iter(_IN_PROCESS))]  # the oldest state
        return found


def _read(file: Path) -> tuple[tuple[tuple[str, str], ...], Any] | None:
    """(the files it was built from with their SHA-256, the entry) of ``file`` when it reads back
    and is this user's own, else None."""
    try:
        with open(file, "rb") as handle:
            info = os.fstat(handle.fileno())
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
                return None
            data = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a truncated or foreign entry is only a miss
        return None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return None
    files = data.get("files")
    if not isinstance(files, list) or any(_digest(Path(p)) != d for p, d in files):
        return None
    return tuple((str(p), str(d)) for p, d in files), data.get("value")


class LazyEntries(Mapping[str, Any]):
    """The registry's entries read from the cache: each pack is unpickled the first time it is
    looked up (a plan against one pack never builds the objects of the eight others); its kind
    (``socle`` or ``dsr``) is known without that."""

    def __init__(self, blobs: dict[str, tuple[str, bytes]], loaded: dict[str, Any] | None = None) -> None:
        self._blobs = blobs
        self._loaded: dict[str, Any] = {} if loaded is None else loaded  # shared: see _IN_PROCESS
        self._lock = _IN_PROCESS_LOCK

    def kind_of(self, pack_id: str) -> str:
        return self._blobs[pack_id][0]

    def __getitem__(self, pack_id: str) -> Any:
        entry = self._loaded.get(pack_id)
        if entry is None:
            kind, blob = self._blobs[pack_id]
            with self._lock:
                entry = self._loaded.get(pack_id)
                if entry is None:
                    entry = self._loaded[pack_id] = pickle.loads(blob)
        return entry

    def __contains__(self, pack_id: object) -> bool:
        return pack_id in self._blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)


def cached(sources: Sequence[tuple[str, Path, bool]],
           build: Callable[[], tuple[Mapping[str, Any], list[Any]]]) -> tuple[Mapping[str, Any], list[Any]]:
    """``build()`` (the registry's entries by pack id and its refused packs, from the pack
    files ``sources``: (origin, pack.toml, local)), or what it returned last time for the same
    files, unchanged since (the entries then unpickled one by one, on first use)."""
    folder = cache_folder()
    if folder is None:
        return build()
    try:
        file = folder / f"{_key(sources)}.pickle"
    except OSError:  # the engine's folder cannot be listed: no cache
        return build()
    found = _read(file)
    if found is not None:
        files, (blobs, broken) = found
        return LazyEntries(blobs, _shared((file.name, files))), broken
    digests = [(str(p), _digest(p)) for _, path, _ in sources for p in pack_files(path)]  # before reading them
    entries, broken = build()
    _shared((file.name, tuple(digests))).update(entries)
    try:
        blobs = {i: (e.pack.kind, pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL)) for i, e in entries.items()}
        data = pickle.dumps({"format": CACHE_FORMAT, "files": digests, "value": (blobs, broken)},
                            protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a third-party pack holding an object pickle refuses: no cache
        return entries, broken
    write_private(folder, file.name, data)
    _prune(folder)
    return entries, broken


def _prune(folder: Path) -> None:
    """Remove all but the :data:`KEEP_ENTRIES` newest entries (older engines, other pack sets)."""
    try:
        files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in files[KEEP_ENTRIES:]:
            old.unlink(missing_ok=True)
    except OSError:  # another process pruning at the same time, a read-only folder: no matter
        pass
