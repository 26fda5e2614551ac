"""French labels for the renderers (from :mod:`segur_plan.engine.vocabulary`), French plurals, sizes."""

from __future__ import annotations

from collections.abc import Sequence

from ..models.common import plural
from ..vocabulary import CNDA_STATUS as CNDA_STATUS_LABEL
from ..vocabulary import (
    LEVEL,
    ORIGIN,
    PACK_STATUS,
    PARCOURS,
    PREREQUISITE,
    PROOF_KIND,
    REQ_STATUS,
    SOLICITATION,
    TRIGGER,
)

#: The profil every pack applies to all solutions (id ``general``), as users read it.
GENERAL_PROFIL = "Général"

__all__ = ["CNDA_STATUS_LABEL", "GENERAL_PROFIL", "LEVEL", "ORIGIN", "PACK_STATUS", "PARCOURS", "PREREQUISITE",
           "PROOF_KIND", "REQ_STATUS", "SOLICITATION", "TRIGGER", "formats_text", "plural", "size_text"]


def formats_text(formats: Sequence[str]) -> str:
    if not formats:
        return "à préciser"
    if tuple(formats) == ("*",):
        return "tout format"
    return ", ".join(formats)


def size_text(max_bytes: int | None) -> str:
    """« 50 Mo », « 1,5 Go », « — » (decimal units, as the ANS writes them)."""
    if max_bytes is None:
        return "—"
    for unit, size in (("Go", 10**9), ("Mo", 10**6), ("ko", 10**3)):
        if max_bytes >= size:
            value = max_bytes / size
            text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{max_bytes} octets"
