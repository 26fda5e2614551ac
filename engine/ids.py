"""Exigence, scénario and preuve identifiers.

IDs nest: exigence ``X.NN`` → scénario ``X.NN.01`` → preuve ``X.NN.01.01``. Published REMs and
Convergence display numbers without the socle or chantier prefix (``SC.``, ``CH.``) and
sometimes without the three-letter métier prefix (``DPI.``, ``SGL.``…), while the ANS working
files keep it (``SC.DMP/AIRS.03.01``). Comparisons therefore use :func:`number`.
"""

from __future__ import annotations

import re

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
