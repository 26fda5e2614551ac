"""Exigence, scénario and preuve identifiers.

IDs nest: exigence ``X.NN`` → scénario ``X.NN.01`` → preuve ``X.NN.01.01``. A Vague 2 exigence
carried from Vague 1 (``…/va1.NN``) also answers to its Vague 1 IDs (:func:`vague1_equivalent`). Published REMs and
Convergence display numbers without the socle or chantier prefix (``SC.``, ``CH.``) and
sometimes without the three-letter métier prefix (``DPI.``, ``SGL.``…), while the ANS working
files keep it (``SC.DMP/AIRS.03.01``). Comparisons therefore use :func:`number`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PREFIX = re.compile(r"^(?:SC|CH|[A-Z]{2,3})\.(?=[A-Za-z])")


def number(identifier: str) -> str:
    """The identifier without its socle/chantier/métier prefix: ``SC.PSC.01`` → ``PSC.01``."""
    text = identifier.strip()
    return _PREFIX.sub("", text, count=1)


def nests_under(child: str, parent: str) -> bool:
    """True when ``child`` is a scénario or preuve (at any depth) of ``parent``."""
    return number(child).startswith(number(parent) + ".")


def same(a: str, b: str) -> bool:
    return number(a) == number(b)


def vague1_equivalent(record_id: str, exigence_id: str, vague1_ids: Iterable[str]) -> str | None:
    """The Vague 2 ID that a proof recorded under a Vague 1 ID stands for, or None.

    Vague 1 IDs are compared as written (case aside), prefix included, since the prefix names the
    DSR: with ``DPI.ANN.01`` among the Vague 1 IDs of ``SC.ANN/va1.01``, ``DPI.ANN.01.01`` →
    ``SC.ANN/va1.01.01`` and the bare ``DPI.ANN.01`` → ``SC.ANN/va1.01``.
    """
    rid = record_id.strip()
    for v1 in vague1_ids:
        if rid.casefold() == v1.casefold():
            return exigence_id
        if rid.casefold().startswith(v1.casefold() + "."):
            return exigence_id + rid[len(v1):]
    return None


def counts_for(record_id: str, exigence_id: str, vague1_ids: Iterable[str]) -> str | None:
    """The ID under which a recorded proof counts for an exigence: its own when it nests under
    the exigence, its Vague 2 equivalent when it was recorded under a Vague 1 ID, else None."""
    if nests_under(record_id, exigence_id):
        return record_id
    return vague1_equivalent(record_id, exigence_id, vague1_ids)
