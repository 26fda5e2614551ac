"""« Vouliez-vous dire … ? »: the closest known names to a mistyped one (case and accents ignored)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .models.common import fold


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates close to ``word``, best first (difflib ratio on folded text)."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(fold(candidate), candidate)
    keys = difflib.get_close_matches(fold(word), list(by_key), n=n, cutoff=0.6)
    return [by_key[k] for k in keys]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` Vouliez-vous dire « X » ?`` (with a leading space), or an empty string."""
    found = close_matches(word, candidates)
    if not found:
        return ""
    return " Vouliez-vous dire " + " ou ".join(f"« {f} »" for f in found) + " ?"
