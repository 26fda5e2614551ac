"""The file-naming convention that ties a proof file to its proof ID.

Convention (``segur-plan proofs check --dir DOSSIER``):

- A file is named after its proof ID with every ``/`` replaced by ``_``:
  ``SSI/GEN.18.01.02`` → ``SSI_GEN.18.01.02.pdf``; ``SC.DMP/AIRS.03.01.01`` →
  ``SC.DMP_AIRS.03.01.01.png``.
- Anything after a ``--`` or ``__`` separator is a free description and is ignored:
  ``SC.DMP_AIRS.03.01.01--capture.png``, ``SSI_GEN.18.01.02__v2.pdf``.
- The extension is free (checked against the content and the proof's kind, not used to find the
  proof); case is ignored; the ``SC.``/``CH.``/métier prefix is optional, as in Convergence
  (``DMP_AIRS.03.01.01.png`` names the same proof as ``SC.DMP_AIRS.03.01.01.png``).
- Sub-folders are scanned too; hidden entries (name starting with ``.``) are skipped.
- A name that reads as no proof, scénario or exigence of the applicable catalogue is *unknown*
  (refused) when it looks like an ID (upper-case letters, then dot-separated segments with at
  least one number, e.g. ``FOO.99.01.01.pdf``); any other name (``notes.txt``, ``IMG_1234.png``)
  is ignored and only counted.
- Groupement: a file found in the folder serves every solution; a proof that differs per solution
  is named in the profile's ``[[proofs]]`` (``file`` and ``solution``).

How a name is read: the part before the first separator is the ID candidate; without a
separator, trailing dot-segments that contain a letter (``.pdf``, ``.tar.gz``) may be an
extension, and the longest reading that the catalogue knows wins, so IDs with a lettered
segment (``SC.SSI/GEN.02.BIS``) still match. A numeric segment is never taken for an extension.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..ids import number

SEPARATORS = ("--", "__")

_EXTENSION = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
_SEGMENT = re.compile(r"[A-Za-z0-9_\-]+")
_FIRST = re.compile(r"[A-Z]{2}[A-Z0-9_\-]*")
_NUMBER = re.compile(r"\d{1,4}")


def proof_key(identifier: str) -> str:
    """Comparison key of an ID or of a file's ID part: no prefix, ``/`` as ``_``, case folded.

    >>> proof_key("SC.DMP/AIRS.03.01.01") == proof_key("dmp_airs.03.01.01")
    True
    """
    return number(identifier.strip().upper()).replace("/", "_").casefold()


def _split(name: str) -> tuple[str, bool]:
    """The ID part of a file name and whether a description separator followed it."""
    cuts = [i for i in (name.find(s) for s in SEPARATORS) if i >= 0]
    if cuts:
        return name[:min(cuts)], True
    return name, False


def readings(name: str) -> list[str]:
    """Possible ID parts of a file name, longest first (each without the extension it may have)."""
    part, separated = _split(name)
    if not part:
        return []
    if separated:
        return [part]
    out = [part]
    segments = part.split(".")
    # Drop trailing segments while they look like an extension (contain a letter).
    for cut in range(len(segments) - 1, 0, -1):
        if not _EXTENSION.fullmatch(segments[cut]):
            break
        out.append(".".join(segments[:cut]))
    return out


def looks_like_id(text: str) -> bool:
    """Upper-case letters, then dot-separated segments with at least one number (``FOO.99.01``)."""
    segments = text.split(".")
    return (len(segments) >= 2 and bool(_FIRST.fullmatch(segments[0]))
            and all(_SEGMENT.fullmatch(s) for s in segments)
            and any(_NUMBER.fullmatch(s) for s in segments[1:]))


def read_id(name: str, known: Callable[[str], bool], nested: Callable[[str], bool] | None = None) -> str | None:
    """The ID a file name stands for, or ``None`` when the name follows no ID (file ignored).

    ``known(key)`` tells whether the catalogue has a :func:`proof_key` (a preuve, a scénario or
    an exigence): the longest known reading wins. Otherwise the name less one extension is kept
    (as an ID the catalogue lacks) when ``nested(key)`` says it nests under a known exigence, or
    when it looks like an ID.
    """
    options = readings(name)
    for option in options:
        if known(proof_key(option)):
            return option
    if not options:
        return None
    guess = options[1] if len(options) > 1 else options[0]  # one extension off
    if looks_like_id(guess) or (nested is not None and nested(proof_key(guess))):
        return guess
    return None


def extension(name: str) -> str:
    """The extension of a file name, lower case without the dot (``""`` when none or numeric)."""
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot and _EXTENSION.fullmatch(ext) else ""
