"""Rule backends behind one protocol, and their selection.

Selection order: the explicit ``backend`` argument, then the ``SEGUR_PLAN_RULE_BACKEND``
environment variable (``durable`` | ``native`` | ``auto``), then ``auto``: durable-rules where it
imports, native otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..errors import BackendUnavailableError
from . import durable_backend
from .base import Fact, Firing, OnFire, RuleBackend
from .language import FACT_KINDS, CompiledRule, compile_rule, sort_rules
from .native import NativeBackend

ENV_VAR = "SEGUR_PLAN_RULE_BACKEND"
BACKENDS = ("auto", "durable", "native")


def resolve_backend_name(requested: str | None = None) -> str:
    """Turn ``auto``/None/env into the concrete backend name that will be used."""
    name = (requested or os.environ.get(ENV_VAR) or "auto").strip().lower()
    if name not in BACKENDS:
        raise BackendUnavailableError(name, f"valeurs possibles : {', '.join(BACKENDS)}")
    if name == "auto":
        return "durable" if durable_backend.available() else "native"
    return name


def make_backend(name: str, rules: Sequence[CompiledRule]) -> RuleBackend:
    ordered = sort_rules(rules)
    if name == "durable":
        return durable_backend.DurableBackend(ordered)
    return NativeBackend(ordered)


__all__ = [
    "BACKENDS",
    "ENV_VAR",
    "FACT_KINDS",
    "CompiledRule",
    "Fact",
    "Firing",
    "OnFire",
    "RuleBackend",
    "compile_rule",
    "make_backend",
    "resolve_backend_name",
]
