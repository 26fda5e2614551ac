"""REM files as bytes, and the tables read from them cached by the file's SHA-256.

Reading a workbook with openpyxl is the slow part of an import (a second or so for a real REM);
planning against a REM (``plan --rem``) would pay it on every run. The table read from a file is
therefore kept:

- in this process (a small LRU keyed by SHA-256): a service or a batch reads each file once;
- on disk, under the user's cache folder (``$XDG_CACHE_HOME/segur-plan/rem`` or
  ``~/.cache/segur-plan/rem``; ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows),
  never beside the user's file. ``SEGUR_PLAN_CACHE_DIR`` names another folder, or turns the
  disk cache off with ``off``. Entries are private to the user (mode 0600), written atomically,
  keyed by the file's SHA-256 and a fingerprint of the layouts; an entry that does not read back
  is ignored and rewritten. The entry holds the cells of the user's own file: statement texts
  included, like the file itself.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import PackError
from ..loading import read_bytes
from ..storage import CACHE_ENV_VAR, user_cache_dir, write_private  # noqa: F401 - CACHE_ENV_VAR: re-exported
from .layouts import LAYOUTS, layout_by_id
from .reader import Table, read_table_bytes

#: Bumped whenever the reader changes what it extracts from a sheet.
CACHE_FORMAT = 2
#: No REM comes near this (the largest ANS workbook we know weighs 3 MB).
MAX_REM_BYTES = 50_000_000
_MEMORY_ENTRIES = 16


@dataclass(frozen=True)
class RemSource:
    """A REM workbook: its name (as shown to the user) and its bytes."""

    name: str
    data: bytes = field(repr=False)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def from_path(cls, path: Path | str) -> RemSource:
        path = Path(path)
        return cls(path.name, read_bytes(path, PackError, "REM (.xlsx)", MAX_REM_BYTES))


def _fingerprint() -> str:
    layouts = [(lay.id, lay.status, [(c.key, c.header, c.required, c.prefix) for c in lay.columns],
                getattr(lay.expand, "__qualname__", None)) for lay in LAYOUTS]
    return hashlib.sha256(json.dumps([CACHE_FORMAT, layouts]).encode()).hexdigest()[:16]


def cache_dir() -> Path | None:
    """The folder of the disk cache, or None when it is turned off."""
    root = user_cache_dir()
    return None if root is None else root / "rem"


def _to_json(table: Table, fingerprint: str) -> bytes:
    return json.dumps({
        "format": CACHE_FORMAT, "fingerprint": fingerprint, "sheet": table.sheet,
        "layout": table.layout.id, "header_row": table.header_row, "blank_rows": table.blank_rows,
        "other_sheets": list(table.other_sheets), "rows": [[n, cells] for n, cells in table.rows],
    }, ensure_ascii=False).encode("utf-8")


def _from_json(raw: bytes, fingerprint: str) -> Table | None:
    try:
        data: dict[str, Any] = json.loads(raw)
        layout = layout_by_id(data["layout"])
        if data["format"] != CACHE_FORMAT or data["fingerprint"] != fingerprint or layout is None:
            return None
        rows = tuple((int(n), {str(k): str(v) for k, v in cells.items()}) for n, cells in data["rows"])
        return Table(str(data["sheet"]), layout, int(data["header_row"]), rows, int(data["blank_rows"]),
                     tuple(str(s) for s in data["other_sheets"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _disk_read(folder: Path, key: str, fingerprint: str) -> Table | None:
    try:
        raw = (folder / f"{key}.json").read_bytes()
    except OSError:
        return None
    return _from_json(raw, fingerprint)


def _disk_write(folder: Path, key: str, table: Table, fingerprint: str) -> None:
    """Best effort: a cache that cannot be written is no error."""
    write_private(folder, f"{key}.json", _to_json(table, fingerprint))


class _Memory:
    def __init__(self) -> None:
        self.tables: OrderedDict[str, Table] = OrderedDict()
        self.lock = threading.Lock()
        self.parsed = 0  # workbooks actually read by openpyxl (a test counts them)

    def get(self, key: str) -> Table | None:
        with self.lock:
            table = self.tables.get(key)
            if table is not None:
                self.tables.move_to_end(key)
            return table

    def put(self, key: str, table: Table) -> None:
        with self.lock:
            self.tables[key] = table
            self.tables.move_to_end(key)
            while len(self.tables) > _MEMORY_ENTRIES:
                self.tables.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.tables.clear()


MEMORY = _Memory()


def load_table(source: RemSource) -> Table:
    """The REM table of ``source``: from memory, from the disk cache, else read (then kept)."""
    fingerprint = _fingerprint()
    key = source.sha256
    table = MEMORY.get(f"{key}:{fingerprint}")
    if table is not None:
        return table
    folder = cache_dir()
    table = _disk_read(folder, key, fingerprint) if folder is not None else None
    if table is None:
        table = read_table_bytes(source.data, source.name)
        with MEMORY.lock:
            MEMORY.parsed += 1
        if folder is not None:
            _disk_write(folder, key, table, fingerprint)
    MEMORY.put(f"{key}:{fingerprint}", table)
    return table
