"""File formats: what a file's first bytes say it is, and what a proof's kind accepts.

Content sniffing uses `puremagic <https://github.com/cdgriffith/puremagic>`_ (pure Python, MIT,
no system library), called on the first :data:`HEAD_BYTES` bytes only, never on a path: with a
path, puremagic 2 may read the whole file to refine its guess. puremagic ranks its matches by
confidence; the formats of the best-ranked matches (ties included: an ``mp42`` MP4 ties with
3GP) are the detected formats. Only the public API common to puremagic 1.x (Python 3.11) and
2.x (Python ≥ 3.12) is used: ``magic_string`` and ``PureError``.

The seed 002 table names formats as Convergence does (PDF, PNG, JPEG, JPG, MP4, MOV, AVI, FLV);
JPG and JPEG are the same format. ``["*"]`` (or an empty list) accepts any readable file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Bytes read from the start of a file to recognise it (every accepted format is known by far fewer).
HEAD_BYTES = 8192

_ALIASES = {"JPG": "JPEG", "JFIF": "JPEG", "JPE": "JPEG", "QT": "MOV"}
_BY_MIME = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/avi": "AVI",
    "video/msvideo": "AVI",
    "video/x-msvideo": "AVI",
    "video/x-flv": "FLV",
}
_BY_EXTENSION = {"pdf": "PDF", "png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "jpe": "JPEG", "jfif": "JPEG",
                 "mp4": "MP4", "mov": "MOV", "qt": "MOV", "avi": "AVI", "flv": "FLV"}

TEXT = "texte"


def canonical(fmt: str) -> str:
    """``jpg`` → ``JPEG``: the name a format is compared by."""
    upper = fmt.strip().lstrip(".").upper()
    return _ALIASES.get(upper, upper)


def accepted(formats: Iterable[str]) -> frozenset[str] | None:
    """The canonical formats a kind accepts, or ``None`` for any format (``["*"]`` or empty)."""
    names = [f for f in formats if f.strip()]
    if not names or any(f.strip() == "*" for f in names):
        return None
    return frozenset(canonical(f) for f in names)


def format_of_extension(ext: str) -> str | None:
    """The format an extension announces (``png`` → ``PNG``), ``None`` when it names none we know."""
    return _BY_EXTENSION.get(ext.lower().lstrip("."))


@dataclass(frozen=True, slots=True)
class Detection:
    """What the content is: ``formats`` we know (PDF, PNG…) and a label for messages."""

    formats: frozenset[str]
    label: str | None  # "PDF", "texte", "ZIP"…; None when nothing is recognised


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the end of the buffer is still text
        return exc.start >= len(head) - 3 and exc.reason.startswith("unexpected end")
    return True


def sniff(head: bytes) -> Detection:
    """The formats the first bytes of a file show (``head``: at most :data:`HEAD_BYTES` bytes)."""
    if not head:
        return Detection(frozenset(), None)
    import puremagic  # imported on first use: its signature table is loaded at import

    try:
        matches = list(puremagic.magic_string(head))
    except puremagic.PureError:  # puremagic 1.x: nothing recognised
        matches = []
    except ValueError:  # empty input (puremagic 2.x raises a ValueError subclass)
        matches = []
    best = max((m.confidence for m in matches), default=0)
    top = [m for m in matches if m.confidence == best]
    formats: list[str] = []
    for m in top:
        fmt = _BY_MIME.get(m.mime_type or "") or format_of_extension(m.extension or "")
        if fmt and fmt not in formats:
            formats.append(fmt)
    if formats:
        return Detection(frozenset(formats), formats[0])
    if _looks_like_text(head):
        return Detection(frozenset(), TEXT)
    if top and top[0].extension:
        return Detection(frozenset(), top[0].extension.lstrip(".").upper())
    return Detection(frozenset(), None)
